"""Output paths checked before any planning starts, so that a bad `--out` or `--json`
costs the user one line, not minutes of planning followed by a traceback; and writes that
fail anyway (a disk that fills up or turns read-only meanwhile) end the same way, leaving
nothing half-written behind.

Permission bits say little: root passes every `os.access` check, and a read-only mount
or a pseudo filesystem such as /proc refuses what the bits allow. So the check creates,
and removes, a probe directory where the output will go."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import UsageError

PROBE_PREFIX = ".groundlink-probe-"


def reason(exc: OSError) -> str:
    """An OSError in a few words for a one-line message (its strerror)."""
    return exc.strerror or type(exc).__name__


def _check_parent(path: Path, flag: str) -> None:
    """The nearest existing ancestor must be a directory this process can create entries in."""
    for parent in path.parents:
        if not parent.exists():
            continue
        if not parent.is_dir():
            raise UsageError(f"{flag} {path}: {parent} is a file, not a directory")
        try:
            os.rmdir(tempfile.mkdtemp(prefix=PROBE_PREFIX, dir=parent))
        except OSError as exc:
            raise UsageError(f"{flag} {path}: cannot write in {parent} ({reason(exc)})") from None
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


@contextlib.contextmanager
def writing(path: Path, flag: str) -> Iterator[None]:
    """Create `path`'s missing parent directories for the block that writes `path`; if the
    block fails with an OSError, remove the directories created here and raise UsageError
    (one line, exit 2). The block itself leaves no temporary file behind."""
    missing = [p for p in path.parents if not p.exists()]  # deepest first
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield
    except OSError as exc:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise UsageError(f"{flag} {path}: cannot write ({reason(exc)})") from None


@contextlib.contextmanager
def writing_dir(path: Path, flag: str) -> Iterator[None]:
    """For a block that writes into the directory `path`, creating it on the way: if the block
    fails, the directories it created and left empty are removed, and a failed write under
    `path` (an OSError naming a file there, or none) becomes UsageError (one line, exit 2).
    What the block committed before it failed (one contact of several) stays."""
    missing = [p for p in (path, *path.parents) if not p.exists()]  # deepest first
    try:
        yield
    except BaseException as exc:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()  # only an empty one
        if isinstance(exc, OSError) and _names_a_path_under(exc, path):
            raise UsageError(f"{flag} {path}: cannot write ({reason(exc)})") from None
        raise


def _names_a_path_under(exc: OSError, root: Path) -> bool:
    if exc.filename is None:
        return True
    named = Path(os.fsdecode(exc.filename)).absolute()
    return named == root.absolute() or root.absolute() in named.parents
