"""Output paths checked before any planning starts, so that a bad `--out` or `--json`
costs the user one line, not minutes of planning followed by a traceback."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError


def _check_parent(path: Path, flag: str) -> None:
    """The nearest existing ancestor must be a directory this process can write into."""
    for parent in path.parents:
        if not parent.exists():
            continue
        if not parent.is_dir():
            raise UsageError(f"{flag} {path}: {parent} is a file, not a directory")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise UsageError(f"{flag} {path}: cannot write in {parent}")
        return


def check_file_target(path: Path, flag: str) -> None:
    """`path` can be written as a file (it may not exist yet)."""
    if path.is_dir():
        raise UsageError(f"{flag} {path}: is a directory; give a file path")
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(f"{flag} {path}: cannot overwrite (no write permission)")
    _check_parent(path, flag)


def check_dir_target(path: Path, flag: str) -> None:
    """`path` can be created or replaced as a directory."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{flag} {path}: exists and is not a directory")
    _check_parent(path, flag)
