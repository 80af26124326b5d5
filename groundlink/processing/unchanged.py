"""A mapped capture kept whole while it is read: a read lease (Linux `fcntl(F_SETLEASE)`).

The processor reads a capture through a shared mapping. A file cut short under it (a
delivery copied again over it, `truncate`) takes the mapped pages past its new end with it,
and the next read of one is SIGBUS: the interpreter ends at once, with no line said and the
contact's staging directory left behind. With a read lease, the kernel holds back any other
open of the file for writing, and any truncation, and tells the lease holder first (SIGIO,
fcntl(2), "Leases"); the handler here raises `CaptureError` in the main thread, the contact
fails with one line, and its mapping and lease are let go on the way out, after which the
writer goes on. A file that only grows needs none of this (its mapped pages stay), and the
lease is not taken where the platform, the file system, the caller's thread or the file's
owner does not allow it (another process holds the file open for writing: `EAGAIN`): the
read then goes on as before.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from .errors import CaptureError

try:
    import fcntl as _fcntl
except ImportError:  # not POSIX: no lease
    _fcntl = None  # type: ignore[assignment]  # the module, or None where the platform has none
_SETLEASE: int | None = getattr(_fcntl, "F_SETLEASE", None)  # Linux only

CHANGED = "changed while it was read (written to or cut short by another program); process it again once its delivery is whole"


@contextlib.contextmanager
def unchanged_while_read(path: Path, fd: int) -> Iterator[None]:
    """Inside the block, another program's write or truncation of `fd`'s file (the capture at
    `path`) raises CaptureError in the main thread instead of ending the process."""
    lease = getattr(signal, "SIGIO", None)
    if _SETLEASE is None or lease is None:
        yield
        return

    def changed(signum: int, frame: FrameType | None) -> None:
        raise CaptureError(path, CHANGED)

    try:
        previous = signal.signal(lease, changed)
    except ValueError:  # not the main thread: only it may set a handler
        yield
        return
    try:
        try:
            _fcntl.fcntl(fd, _SETLEASE, _fcntl.F_RDLCK)
        except OSError:  # held open for writing elsewhere, not this user's file, a file system without leases
            yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                _fcntl.fcntl(fd, _SETLEASE, _fcntl.F_UNLCK)
    finally:
        signal.signal(lease, previous)
