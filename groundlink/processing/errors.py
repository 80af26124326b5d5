"""Errors a user can act on: one line each, naming the file and what is wrong with it."""

from __future__ import annotations

from pathlib import Path


class ProcessingError(Exception):
    """One or more problems that stop a contact from being processed; nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


class CaptureError(Exception):
    """One capture file that cannot be read."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
