"""Errors a user can act on: one line each, naming the file and what is wrong with it."""

from __future__ import annotations

import stat
from pathlib import Path


def file_kind(mode: int) -> str:
    """What a path whose `st_mode` is `mode` is, when it is not a regular file or a directory
    (`groundlink process` names a capture that is none; outputs name a target that is none)."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


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
