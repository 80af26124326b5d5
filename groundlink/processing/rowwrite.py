"""Chosen rows of a buffer appended to a file where they lie, one `writev(2)` per batch.

A channel's frames are rows of a chunk that other channels' frames sit between (channels
take turns). Written with `write`, they are first copied into a small buffer, then copied
again by the kernel into the file: two copies of every byte. `writev` hands the kernel the
rows where they are, so it makes the only copy; on the build machine a 1 GB contact of two
interleaved channels took about a tenth less CPU (2026-12-04, docs/processing.md
"Throughput"). Where the C library has no `writev` (Windows) or pointers are not 64-bit,
`available()` is False and the caller copies, as before.
"""

from __future__ import annotations

import ctypes
import errno
import os

import numpy as np
import numpy.typing as npt

from . import libc

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
# struct iovec {void *iov_base; size_t iov_len;}: built here as two 64-bit words per row.
_IOVEC_WORDS = 2
_WORD_BYTES = 8
_SIXTY_FOUR_BIT = ctypes.sizeof(ctypes.c_void_p) == _WORD_BYTES == ctypes.sizeof(ctypes.c_size_t)
_WRITEV = libc.function("writev", [ctypes.c_int, ctypes.c_void_p, ctypes.c_int], ctypes.c_ssize_t)
# POSIX's floor for IOV_MAX is 16; Linux and the BSDs take 1024. sysconf says which, where it can.
_IOV_MAX_NAME = "SC_IOV_MAX"
IOV_MAX = os.sysconf(_IOV_MAX_NAME) if _IOV_MAX_NAME in getattr(os, "sysconf_names", {}) else 16


def available() -> bool:
    """Whether `append_rows` can write here."""
    return _WRITEV is not None and _SIXTY_FOUR_BIT and IOV_MAX > 0


def append_rows(fd: int, rows: U8, chosen: I64, batch_bytes: int) -> None:
    """Write rows `chosen` of `rows` (2-D, each row contiguous), in that order, at `fd`'s
    position: at most `batch_bytes` (or one row) per call. Errors are OSError without a file
    name, as a buffered write's are: the caller knows which file it was writing."""
    call = _WRITEV
    if call is None:
        raise OSError(errno.ENOSYS, "writev is not available here")
    width = int(rows.shape[1])
    if not len(chosen):
        return
    if rows.strides[1] != 1:
        raise ValueError("each row must be contiguous")
    per_call = max(1, min(IOV_MAX, batch_bytes // width))
    vectors = np.empty((len(chosen), _IOVEC_WORDS), dtype=np.uint64)
    vectors[:, 0] = rows.ctypes.data + chosen.astype(np.uint64) * np.uint64(rows.strides[0])
    vectors[:, 1] = width
    address = vectors.ctypes.data
    lo = 0
    while lo < len(chosen):
        count = min(per_call, len(chosen) - lo)
        done = call(fd, address + lo * _IOVEC_WORDS * _WORD_BYTES, count)
        if done < 0:
            failure = ctypes.get_errno()
            if failure == errno.EINTR:  # a signal: its Python handler runs here, then the batch again
                continue
            raise OSError(failure, os.strerror(failure))
        if done < count * width:  # a short write (the disk filling): the rest as plain writes
            _write_all(fd, rows[chosen[lo : lo + count]].reshape(-1)[done:])
        lo += count


def _write_all(fd: int, data: U8) -> None:
    view = memoryview(data.tobytes())  # a short write's rest, seldom: a copy is no cost
    while len(view):
        written = os.write(fd, view)
        if not written:  # never for a regular file, whose full disk is ENOSPC: no endless loop
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        view = view[written:]
