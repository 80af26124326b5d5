"""A mapped capture's pages brought in by a thread, a bounded distance ahead of the walk.

The processor walks a mapped file. Where the file is not in the page cache (a
contact read from a disk, not just downloaded), every page the walk touches
first waits for the disk, and asking the kernel for the next window from the
walking thread (`madvise(MADV_WILLNEED)`) only starts that read: the walk
still stops at each page that has not arrived, and faults pages into the
mapping one by one. Here a thread populates the mapping ahead of the walk with
`madvise(MADV_POPULATE_READ)` (Linux 5.14 and later): the thread waits for the
disk while the walk computes, and pages mapped in one call cost the kernel
less than the same pages faulted one at a time. The call goes through
`ctypes`, which releases the GIL for it (`mmap.madvise` holds it).

Where the kernel does not know MADV_POPULATE_READ, the thread asks with
MADV_WILLNEED instead. Measured figures are in docs/processing.md
("Throughput").
"""

from __future__ import annotations

import ctypes
import errno
import mmap
import threading
from types import TracebackType

import numpy as np
import numpy.typing as npt

from . import libc

# linux/mman.h (uapi/asm-generic/mman-common.h): MADV_POPULATE_READ is 22 since Linux 5.14;
# Python 3.11's mmap module does not name it. MADV_WILLNEED is 3 on Linux and the BSDs.
MADV_POPULATE_READ = getattr(mmap, "MADV_POPULATE_READ", 22)
MADV_WILLNEED = getattr(mmap, "MADV_WILLNEED", 3)
STEP_BYTES = 8 << 20  # one madvise call; how soon the thread notices it should stop
LEAD_BYTES = 512 << 20  # how far ahead of the walk the thread may go


_MADVISE = libc.function("madvise", [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int], ctypes.c_int)


class ReadAhead:
    """Populates `data` (a read-only file mapping) from a thread, up to LEAD_BYTES past the
    position the walk last reported with `reached`. Use it as a context manager: leaving it
    stops the thread and waits for it, so the thread never outlives the walk (or the mapping)."""

    def __init__(self, data: npt.NDArray[np.uint8], lead: int = LEAD_BYTES, step: int = STEP_BYTES) -> None:
        self._data = data  # holds the mapping while the thread works on its address
        self._address = data.ctypes.data
        self._size = len(data)
        self._lead, self._step = lead, step
        self._reached = 0
        self._stopped = False
        self._changed = threading.Condition()
        self._advice = MADV_POPULATE_READ
        self._thread = threading.Thread(target=self._run, name="groundlink-readahead", daemon=True)

    def __enter__(self) -> ReadAhead:
        if _MADVISE is not None and self._size:
            self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify()
        if self._thread.is_alive():
            self._thread.join()

    def reached(self, offset: int) -> None:
        """The walk is at `offset`: the thread may go on up to LEAD_BYTES past it."""
        with self._changed:
            self._reached = offset
            self._changed.notify()

    def _run(self) -> None:
        assert _MADVISE is not None
        at = 0
        while at < self._size:
            with self._changed:
                while not self._stopped and at >= self._reached + self._lead:
                    self._changed.wait()
                if self._stopped:
                    return
            length = min(self._step, self._size - at)
            if _MADVISE(self._address + at, length, self._advice) != 0:
                error = ctypes.get_errno()
                if error == errno.EINTR:
                    continue
                if error == errno.EINVAL and self._advice != MADV_WILLNEED:
                    self._advice = MADV_WILLNEED  # a kernel before 5.14: start the reads at least
                    continue
                return  # no advice taken here: the walk faults its pages in itself, as without the thread
            at += length
