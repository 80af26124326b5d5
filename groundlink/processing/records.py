"""Where a pcap file's records are, found without touching their data.

dpkt reads a capture one record at a time, with a Python object per record
header and a copy of every record's bytes: about 10 µs per datagram, which is
most of the processor's time on a contact of 8 KiB datagrams. Here the file is
mapped into memory and only the 16-byte record headers are read. Captures of
the data plane are runs of records of one length, so the walk works like a
frame synchroniser: it takes the length of the record it stands on, predicts
that the following records have the same length, checks every prediction at
once (a strided view of the length fields) and only steps by hand where the
length changes. The walk goes window by window, each one processed before the
next is walked. A record that does not end within the file, or a header cut
short, ends the walk, and the reader (capture.py) refuses the file naming that
record.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from .gather import uints_at

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]

GLOBAL_HEADER = 24
_FIRST_WINDOW = 16
RECORD_HEADER = 16
# The first four bytes of a libpcap file as written: byte order and time resolution.
# The modified-pcap magics (24-byte record headers) are left to dpkt.
PCAP_MAGICS: dict[bytes, tuple[Literal["<", ">"], bool]] = {
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

    def original_lengths(self) -> I64:
        """Each record's original length: the packet's, of which the record holds `lengths`."""
        return uints_at(self.data, self.heads + 12, 4, self.order)

    def fractions(self) -> I64:
        """Each record's fraction of a second as its header gives it, in micro- or nanoseconds."""
        return uints_at(self.data, self.heads + 4, 4, self.order)

    def times_us(self) -> I64:
        """Capture times in microseconds, rounded exactly as `round(ts * 1_000_000)` rounds
        dpkt's time stamp (a float for microsecond files, a Decimal for nanosecond files)."""
        seconds = uints_at(self.data, self.heads, 4, self.order)
        fractions = uints_at(self.data, self.heads + 4, 4, self.order)  # micro- or nanoseconds
        if not self.nano:
            stamps = seconds.astype(np.float64) + fractions.astype(np.float64) / 1e6
            return np.rint(stamps * 1_000_000).astype(np.int64)
        micros, rest = np.divmod(seconds * 1_000_000_000 + fractions, 1000)
        half_up = (rest > 500) | ((rest == 500) & (micros % 2 == 1))  # round half to even, as Decimal does
        return np.asarray(micros + half_up, dtype=np.int64)


@dataclass
class Mapped:
    """A capture file mapped read-only, and the libpcap layout its magic names."""

    data: U8  # the whole file (the mapping lives as long as the array)
    mapping: mmap.mmap
    order: Literal["<", ">"]
    nano: bool
    fd: int = -1  # a descriptor of the mapped file (its lease's, `unchanged`), closed with `close`

    def close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def map_capture(path: Path) -> Mapped | None:
    """The libpcap file mapped, or None when it is one dpkt must read itself (another magic,
    or shorter than a global header). The mapping is not populated up front: a thread brings
    its pages in a bounded distance ahead of the walk (readahead.ReadAhead), so that reading a
    file that is not in the page cache overlaps its processing instead of preceding it."""
    with path.open("rb") as stream:
        if len(stream.read(GLOBAL_HEADER)) < GLOBAL_HEADER:
            return None
        stream.seek(0)
        layout = PCAP_MAGICS.get(stream.read(4))
        if layout is None:
            return None
        mapping = mmap.mmap(stream.fileno(), 0, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
        fd = os.dup(stream.fileno())  # the open file the mapping reads, for its lease
    return Mapped(np.frombuffer(mapping, dtype=np.uint8), mapping, *layout, fd=fd)


def walk_records(mapped: Mapped, start: int, stop: int, most: int | None = None) -> tuple[Records, int]:
    """The records that start from offset `start` (a record header) up to about `stop`, at most
    `most` of them, and the offset after the last of them. The walk ends early, at a record that
    does not fit in the file or a header cut short: that offset is then neither `stop` nor the
    file's end, nor the end of `most` records."""
    data, order = mapped.data, mapped.order
    word = np.dtype(np.uint32).newbyteorder(order)
    byteorder: Literal["little", "big"] = "little" if order == "<" else "big"
    size = len(data)
    heads: list[I64] = []
    at = start
    window = _FIRST_WINDOW
    left = size if most is None else most  # records the walk may still take
    while at < stop and at + RECORD_HEADER <= size and left > 0:
        length = int.from_bytes(data[at + 8 : at + 12].tobytes(), byteorder)
        stride = RECORD_HEADER + length
        # records of this length that fit in what is left, and no more than reach `stop`
        fit = min((size - at) // stride, window, (stop - at - 1) // stride + 1, left)
        if fit == 0:
            break
        lengths = np.ndarray((fit,), word, buffer=data, offset=at + 8, strides=(stride,))
        changed = np.flatnonzero(lengths != length)
        run = int(changed[0]) if len(changed) else fit
        # a window checked whole grows, so a long run costs a few numpy calls; a change
        # starts small again, so records of changing lengths cost little each
        window = window * 2 if run == fit else _FIRST_WINDOW
        heads.append(at + stride * np.arange(run, dtype=np.int64))
        at += stride * run
        left -= run
    head = np.concatenate(heads) if heads else np.zeros(0, np.int64)
    return Records(data, head, uints_at(data, head + 8, 4, order), order, mapped.nano), at
