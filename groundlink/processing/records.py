"""Where a pcap file's records are, found without touching their data.

dpkt reads a capture one record at a time, with a Python object per record
header and a copy of every record's bytes: about 10 µs per datagram, which is
most of the processor's time on a contact of 8 KiB datagrams. Here the file is
mapped into memory and only the 16-byte record headers are read. Captures of
the data plane are runs of records of one length, so the walk works like a
frame synchroniser: it takes the length of the record it stands on, predicts
that the following records have the same length, checks every prediction at
once (a strided view of the length fields) and only steps by hand where the
length changes. A file that does not end exactly on a record boundary returns
None: dpkt then reads it, so that a record cut short gets dpkt's error.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

GLOBAL_HEADER = 24
_FIRST_WINDOW = 16
POPULATE_BYTES = 2 << 30
RECORD_HEADER = 16
# The first four bytes of a libpcap file as written: byte order and time resolution.
# The modified-pcap magics (24-byte record headers) are left to dpkt.
_MAGICS: dict[bytes, tuple[Literal["<", ">"], bool]] = {
    b"\xd4\xc3\xb2\xa1": ("<", False),
    b"\x4d\x3c\xb2\xa1": ("<", True),
    b"\xa1\xb2\xc3\xd4": (">", False),
    b"\xa1\xb2\x3c\x4d": (">", True),
}


@dataclass
class Records:
    """The records of one mapped capture: where their headers are and their captured lengths."""

    data: U8  # the whole file, mapped read-only
    heads: I64  # offset of each record header
    lengths: I64  # captured length of each record
    order: Literal["<", ">"]
    nano: bool

    @property
    def starts(self) -> I64:
        """Offset of each record's data (its link-layer header)."""
        return self.heads + RECORD_HEADER

    def window(self, lo: int, hi: int) -> Records:
        """Records lo to hi (exclusive)."""
        return Records(self.data, self.heads[lo:hi], self.lengths[lo:hi], self.order, self.nano)

    def times_us(self) -> I64:
        """Capture times in microseconds, rounded exactly as `round(ts * 1_000_000)` rounds
        dpkt's time stamp (a float for microsecond files, a Decimal for nanosecond files)."""
        seconds = _gather32(self.data, self.heads, self.order)
        fractions = _gather32(self.data, self.heads + 4, self.order)  # micro- or nanoseconds
        if not self.nano:
            stamps = seconds.astype(np.float64) + fractions.astype(np.float64) / 1e6
            return np.rint(stamps * 1_000_000).astype(np.int64)
        micros, rest = np.divmod(seconds * 1_000_000_000 + fractions, 1000)
        half_up = (rest > 500) | ((rest == 500) & (micros % 2 == 1))  # round half to even, as Decimal does
        return np.asarray(micros + half_up, dtype=np.int64)


def map_file(path: Path) -> U8:
    """The file's bytes, mapped read-only (the mapping lives as long as the array)."""
    # MAP_POPULATE maps the file's cached pages up front, in one call, instead of taking
    # a page fault for every few pages on first touch; only for files that fit in memory
    # with room to spare, since it reads the whole file in before returning.
    populate = getattr(mmap, "MAP_POPULATE", 0) if path.stat().st_size <= POPULATE_BYTES else 0
    flags = mmap.MAP_SHARED | populate
    with path.open("rb") as stream:
        mapped = mmap.mmap(stream.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    return np.frombuffer(mapped, dtype=np.uint8)


def index_records(data: U8) -> Records | None:
    """The records of a libpcap file, or None when the file is one dpkt must read itself
    (another magic, or a last record that does not end exactly at the end of the file)."""
    layout = _MAGICS.get(bytes(data[:4]))
    if layout is None or len(data) < GLOBAL_HEADER:
        return None
    order, nano = layout
    word = np.dtype(np.uint32).newbyteorder(order)
    byteorder: Literal["little", "big"] = "little" if order == "<" else "big"
    size = len(data)
    heads: list[I64] = []
    at = GLOBAL_HEADER
    window = _FIRST_WINDOW
    while at + RECORD_HEADER <= size:
        length = int.from_bytes(data[at + 8 : at + 12].tobytes(), byteorder)
        stride = RECORD_HEADER + length
        fit = min((size - at) // stride, window)  # records of this length that fit in what is left
        if fit == 0:
            return None
        lengths = np.ndarray((fit,), word, buffer=data, offset=at + 8, strides=(stride,))
        changed = np.flatnonzero(lengths != length)
        run = int(changed[0]) if len(changed) else fit
        # a window checked whole grows, so a long run costs a few numpy calls; a change
        # starts small again, so records of changing lengths cost little each
        window = window * 2 if run == fit else _FIRST_WINDOW
        heads.append(at + stride * np.arange(run, dtype=np.int64))
        at += stride * run
    if at != size:
        return None
    head = np.concatenate(heads) if heads else np.zeros(0, np.int64)
    return Records(data, head, _gather32(data, head + 8, order), order, nano)


def _gather32(data: U8, at: I64, order: str) -> I64:
    """The 32-bit unsigned integers at offsets `at`, in byte order `order`."""
    b = [data[at + k].astype(np.int64) for k in range(4)]
    if order == ">":
        return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]
    return (b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]
