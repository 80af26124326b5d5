"""Reading one capture file: pcap records -> IP/UDP -> VITA-49 payload bytes.

The delivered files are pcap captures of the data-plane datagrams; each UDP
payload holds one or more VITA-49 packets whose payload is the downlink's byte
stream (docs/processing.md). dpkt opens every file: it checks the global header
and the link type, and reads pcapng files and every record whose shape is not
the plain one. The plain records (nearly all of a data-plane capture) are
located with array operations over the memory-mapped file (records.py,
datagrams.py), because dpkt's per-record objects cost ten times more than the
rest of the processor. The VITA-49 header, for which no maintained Python
library exists, is decoded from its first word, as the AWS S3 data delivery
sample does.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Literal

import dpkt
import numpy as np

from .config import CaptureFormat
from .datagrams import ETHERNET_HEADER, read_plain
from .errors import CaptureError
from .readahead import ReadAhead
from .records import GLOBAL_HEADER, I64, RECORD_HEADER, U8, Mapped, Records, map_capture, walk_records

# pcap link types the ground segment's captures use: Ethernet, or raw IP (both values in use).
LINK_ETHERNET = 1
LINK_RAW_IP = frozenset({12, 14, 101})
# Bits of the first VITA-49 header word.
_CLASS_ID = 1 << 27
_TRAILER = 1 << 26
_STREAM_ID_TYPES = frozenset({1, 3})
_WORD = struct.Struct(">I")
# Room kept in front of a chunk's bytes for the bytes the synchroniser carries over
# from the chunk before (less than a CADU), so joining them costs no copy of the chunk.
HEADROOM = 1 << 20
# File bytes whose records are classified at a time: bounds the per-record arrays (some
# hundred bytes per record) whatever the size of the file.
WINDOW_BYTES = 256 << 20


@dataclass
class Chunk:
    """Payload bytes of consecutive packets, with where each packet's payload starts.

    `buffer[begin:begin + size]` holds the bytes. The mapped reader reuses its buffer:
    a chunk is valid until the next one is asked for."""

    file: int
    buffer: U8
    begin: int
    size: int
    offsets: I64  # offset of each piece within the chunk
    packets: I64  # 1-based packet number in its file
    times: I64  # capture time, microseconds since the epoch

    @property
    def data(self) -> U8:
        return self.buffer[self.begin : self.begin + self.size]

    def after(self, carry: U8) -> U8:
        """`carry` followed by this chunk's bytes, in one array."""
        if not len(carry):
            return self.data
        if len(carry) <= self.begin:
            start = self.begin - len(carry)
            self.buffer[start : self.begin] = carry
            return self.buffer[start : self.begin + self.size]
        return np.concatenate((carry, self.data))


@dataclass
class FileStats:
    path: Path
    bytes: int
    packets: int = 0
    truncated_packets: int = 0
    first_time: int | None = None
    last_time: int | None = None


class _Reads:
    """A capture file as dpkt reads it, keeping how many bytes the last read asked for and got:
    dpkt's pcap reader returns a record the file ends inside as if it were whole."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.asked = self.got = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.asked, self.got = size, len(data)
        return data

    def __getattr__(self, name: str) -> Any:  # seek, tell, name: the file's own
        return getattr(self._stream, name)


def _cut_record(number: int, asked: int, got: int, header: bool) -> str:
    """The one line for record `number`, which the file ends inside: in its header, or in the
    bytes its header gives (a copy or a transfer cut short)."""
    if header:
        return f"record {number} is cut short (the file ends {got} bytes into its {asked}-byte header)"
    return f"record {number} is cut short (its header gives {asked} bytes, the file holds {got})"


def _open_reader(stream: BinaryIO, path: Path) -> tuple[Any, _Reads]:
    """dpkt's reader of the file (pcap, else pcapng), and the reads it makes."""
    reads = _Reads(stream)
    try:
        return dpkt.pcap.Reader(reads), reads
    except (ValueError, dpkt.UnpackError):
        stream.seek(0)
    try:
        return dpkt.pcapng.Reader(reads), reads
    except (ValueError, dpkt.UnpackError):
        raise CaptureError(path, "not a pcap or pcapng capture") from None


def _time_us(ts: float | Decimal) -> int:
    return round(ts * 1_000_000)


def _udp_payload(frame: bytes, link: int) -> tuple[dpkt.udp.UDP, bytes] | None:
    packet: Any = dpkt.ethernet.Ethernet(frame).data if link == LINK_ETHERNET else dpkt.ip.IP(frame)
    if not isinstance(packet, dpkt.ip.IP | dpkt.ip6.IP6):
        return None
    udp = packet.data
    if not isinstance(udp, dpkt.udp.UDP):
        return None
    return udp, udp.data


def _vita_payloads(data: bytes, fmt: CaptureFormat, path: Path, number: int) -> list[bytes]:
    """The payloads of the VITA-49 data packets in one datagram."""
    pieces: list[bytes] = []
    size = len(data)
    at = 0
    while at + 4 <= size:
        (word,) = _WORD.unpack_from(data, at)
        length = (word & 0xFFFF) * 4
        if length == 0:
            raise CaptureError(path, f"packet {number}: VITA-49 header at byte {at} gives size 0")
        kind = word >> 28
        if kind in fmt.vrt_data_types:
            header = (
                4
                + (4 if kind in _STREAM_ID_TYPES else 0)
                + (8 if word & _CLASS_ID else 0)
                + (4 if (word >> 22) & 3 else 0)  # integer timestamp
                + (8 if (word >> 20) & 3 else 0)  # fractional timestamp
            )
            end = min(at + length - (4 if word & _TRAILER else 0), size)
            if at + header < end:
                pieces.append(data[at + header : end])
        at += length
    return pieces


def _datagram(frame: bytes, link: int, fmt: CaptureFormat, path: Path, number: int) -> tuple[bool, list[bytes]] | None:
    """(truncated, payloads) of one record read by dpkt; None when it is no datagram of the downlink."""
    found = _udp_payload(frame, link)
    if found is None:
        return None
    udp, data = found
    if fmt.udp_ports and udp.dport not in fmt.udp_ports:
        return None
    return len(data) < udp.ulen - 8, _vita_payloads(data, fmt, path, number)


def _parsed(frame: bytes, link: int, fmt: CaptureFormat, path: Path, number: int) -> tuple[bool, list[bytes]] | None:
    """`_datagram` of record `number` (1-based), a record dpkt cannot parse named by its number."""
    try:
        return _datagram(frame, link, fmt, path, number)
    except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:
        raise CaptureError(path, f"record {number} is cut short or malformed ({str(error) or 'no data'})") from None


def read_capture(
    path: Path, fmt: CaptureFormat, stats: FileStats, file_index: int, chunk_bytes: int
) -> Iterator[Chunk]:
    """Yield the file's payload in chunks of about `chunk_bytes`; fill `stats` on the way.

    A record cut short, or a file that is no capture at all, raises CaptureError naming
    the file; a datagram shorter than its UDP length (a truncated packet) is kept for
    what it holds and counted, so the frames it broke show up as corrupt or missing.
    """
    with path.open("rb") as stream:
        reader, reads = _open_reader(stream, path)
        link = reader.datalink()
        if link != LINK_ETHERNET and link not in LINK_RAW_IP:
            raise CaptureError(path, f"link type {link} is neither Ethernet (1) nor raw IP (12, 14, 101)")
        mapped = map_capture(path) if isinstance(reader, dpkt.pcap.Reader) else None
        if mapped is None:  # pcapng or a modified pcap
            yield from _read_with_dpkt(reader, reads, link, path, fmt, stats, file_index, chunk_bytes)
            return
    yield from _read_mapped(mapped, link, path, fmt, stats, file_index, chunk_bytes)


def _read_with_dpkt(
    reader: Any,
    reads: _Reads,
    link: int,
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    file_index: int,
    chunk_bytes: int,
    before: int = 0,
) -> Iterator[Chunk]:
    """The payload of the records `reader` reads, the first one being record `before` + 1 of the file."""
    pieces: list[bytes] = []
    offsets: list[int] = []
    packets: list[int] = []
    times: list[int] = []
    size = 0
    number = before
    pcap = isinstance(reader, dpkt.pcap.Reader)  # pcapng's reader checks its blocks' lengths itself
    try:
        for ts, frame in reader:
            number += 1
            if pcap and reads.got < reads.asked:
                raise CaptureError(path, _cut_record(number, reads.asked, reads.got, header=False))
            found = _parsed(frame, link, fmt, path, number)
            if found is None:
                continue
            time_us = _time_us(ts)
            stats.first_time = time_us if stats.first_time is None else stats.first_time
            stats.last_time = time_us
            stats.truncated_packets += found[0]
            for piece in found[1]:
                pieces.append(piece)
                offsets.append(size)
                packets.append(number)
                times.append(time_us)
                size += len(piece)
            if size >= chunk_bytes:
                yield _joined(file_index, pieces, offsets, packets, times)
                pieces, offsets, packets, times, size = [], [], [], [], 0
    except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:  # reading the record after `number`
        if pcap and 0 < reads.got < reads.asked:
            raise CaptureError(path, _cut_record(number + 1, reads.asked, reads.got, header=True)) from None
        raise CaptureError(path, f"record {number + 1} is cut short or malformed ({str(error) or 'no data'})") from None
    stats.packets = number
    if size:
        yield _joined(file_index, pieces, offsets, packets, times)


def _joined(file: int, pieces: list[bytes], offsets: list[int], packets: list[int], times: list[int]) -> Chunk:
    data = np.frombuffer(b"".join(pieces), dtype=np.uint8)
    return Chunk(
        file, data, 0, len(data), np.array(offsets, np.int64), np.array(packets, np.int64), np.array(times, np.int64)
    )


@dataclass
class _Pieces:
    """The payload pieces of a window of records, in record order."""

    owner: I64  # record index in the file
    source: I64  # offset in the file, or -1 - index into `extra`
    lengths: I64
    times: I64
    extra: list[bytes]  # payloads of the records dpkt read


def _read_mapped(
    mapped: Mapped, link: int, path: Path, fmt: CaptureFormat, stats: FileStats, file_index: int, chunk_bytes: int
) -> Iterator[Chunk]:
    """The payload of a mapped capture, walked and classified WINDOW_BYTES of file at a time,
    the pages ahead of the walk brought in by a thread (ReadAhead). A record that does not fit
    in the file (the file cut short) is a CaptureError naming it."""
    size = len(mapped.data)
    buffer = np.zeros(0, np.uint8)
    at, before = GLOBAL_HEADER, 0
    with ReadAhead(mapped.data) as ahead:
        while at < size:
            ahead.reached(at)
            stop = at + WINDOW_BYTES
            records, end = walk_records(mapped, at, stop)
            pieces = _pieces(records, before, link, path, fmt, stats)
            before += len(records.heads)
            ends = np.cumsum(pieces.lengths)
            first = 0
            while first < len(ends):
                base = int(ends[first - 1]) if first else 0
                last = min(int(np.searchsorted(ends, base + chunk_bytes, side="left")), len(ends) - 1)
                chunk = int(ends[last]) - base
                if len(buffer) < HEADROOM + chunk:
                    buffer = np.empty(HEADROOM + chunk, np.uint8)
                take = slice(first, last + 1)
                offsets = np.concatenate(([0], ends[take][:-1] - base))
                out = buffer[HEADROOM : HEADROOM + chunk]
                _gather(mapped.data, pieces.source[take], pieces.lengths[take], offsets, pieces.extra, out)
                yield Chunk(file_index, buffer, HEADROOM, chunk, offsets, pieces.owner[take] + 1, pieces.times[take])
                first = last + 1
            if end < min(stop, size):  # the walk stopped at a record that does not fit
                raise CaptureError(path, _cut_short(mapped, end, before + 1))
            at = end
    stats.packets = before


def _cut_short(mapped: Mapped, at: int, number: int) -> str:
    """What is wrong with record `number`, at offset `at`, which does not fit in the file: the
    file ends inside its header or inside the bytes its header gives (a copy or a transfer cut
    short), worded as dpkt's path words it (`_Reads`)."""
    left = len(mapped.data) - at
    if left < RECORD_HEADER:
        return _cut_record(number, RECORD_HEADER, left, header=True)
    byteorder: Literal["little", "big"] = "little" if mapped.order == "<" else "big"
    captured = int.from_bytes(mapped.data[at + 8 : at + 12].tobytes(), byteorder)
    return _cut_record(number, captured, left - RECORD_HEADER, header=False)


def _pieces(records: Records, first: int, link: int, path: Path, fmt: CaptureFormat, stats: FileStats) -> _Pieces:
    """The payload pieces of `records` (record `first` of the file onwards); fill `stats`."""
    plain = read_plain(records, ETHERNET_HEADER if link == LINK_ETHERNET else 0, fmt)
    times = records.times_us()
    udp, truncated = plain.udp, plain.truncated
    has = plain.payload_length > 0
    piece_record = [np.flatnonzero(has)]
    piece_at = [plain.payload_at[has]]
    piece_length = [plain.payload_length[has]]
    extra: list[bytes] = []
    for record in np.flatnonzero(~plain.plain):
        start = int(records.starts[record])
        frame = records.data[start : start + int(records.lengths[record])].tobytes()
        found = _parsed(frame, link, fmt, path, first + int(record) + 1)
        if found is None:
            continue
        udp[record], truncated[record] = True, found[0]
        for piece in found[1]:
            piece_record.append(np.array([record], np.int64))
            piece_at.append(np.array([-1 - len(extra)], np.int64))
            piece_length.append(np.array([len(piece)], np.int64))
            extra.append(piece)
    seen = np.flatnonzero(udp)
    if len(seen):
        stats.first_time = int(times[seen[0]]) if stats.first_time is None else stats.first_time
        stats.last_time = int(times[seen[-1]])
    stats.truncated_packets += int(truncated.sum())
    owner = np.concatenate(piece_record)
    order = np.argsort(owner, kind="stable")
    owner = owner[order]
    return _Pieces(
        owner + first, np.concatenate(piece_at)[order], np.concatenate(piece_length)[order], times[owner], extra
    )


def _gather(data: U8, source: I64, lengths: I64, offsets: I64, extra: list[bytes], out: U8) -> None:
    """Copy each piece (`source` in `data`, or `extra[-1 - source]`) to `out` at its offset.

    Consecutive mapped pieces of one length at a constant stride (the usual capture: one
    datagram size) are one strided copy; anything else is copied piece by piece."""
    n = len(source)
    cuts = np.flatnonzero((lengths[1:] != lengths[:-1]) | (source[1:] < 0) | (source[:-1] < 0)) + 1
    for lo, hi in zip(np.concatenate(([0], cuts)).tolist(), np.concatenate((cuts, [n])).tolist(), strict=True):
        first, length = int(source[lo]), int(lengths[lo])
        if first < 0:
            out[offsets[lo] : offsets[lo] + length] = np.frombuffer(extra[-1 - first], np.uint8)
            continue
        strides = np.diff(source[lo:hi])
        if hi - lo > 1 and not (strides == strides[0]).all():
            for k in range(lo, hi):
                out[offsets[k] : offsets[k] + length] = data[source[k] : source[k] + length]
            continue
        stride = int(strides[0]) if hi - lo > 1 else length
        rows = np.lib.stride_tricks.as_strided(data[first:], (hi - lo, length), (stride, 1), writeable=False)
        out[offsets[lo] : offsets[lo] + (hi - lo) * length].reshape(hi - lo, length)[...] = rows
