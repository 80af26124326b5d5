"""Reading one capture file: pcap records -> IP/UDP (dpkt) -> VITA-49 payload bytes.

The delivered files are pcap captures of the data-plane datagrams; each UDP
payload holds one or more VITA-49 packets whose payload is the downlink's byte
stream (docs/processing.md). dpkt parses the pcap records and the network
headers; the VITA-49 header, for which no maintained Python library exists, is
decoded here from its first word, as the AWS S3 data delivery sample does.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import dpkt

from .config import CaptureFormat
from .errors import CaptureError

# pcap link types the ground segment's captures use: Ethernet, or raw IP (both values in use).
LINK_ETHERNET = 1
LINK_RAW_IP = frozenset({12, 14, 101})
# Bits of the first VITA-49 header word.
_CLASS_ID = 1 << 27
_TRAILER = 1 << 26
_STREAM_ID_TYPES = frozenset({1, 3})
_WORD = struct.Struct(">I")


@dataclass
class Chunk:
    """Payload bytes of consecutive packets, with where each packet's payload starts."""

    file: int
    pieces: list[memoryview] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)  # offset of each piece within the chunk
    packets: list[int] = field(default_factory=list)  # 1-based packet number in its file
    times: list[int] = field(default_factory=list)  # capture time, microseconds since the epoch
    size: int = 0

    def add(self, piece: memoryview, packet: int, time_us: int) -> None:
        self.pieces.append(piece)
        self.offsets.append(self.size)
        self.packets.append(packet)
        self.times.append(time_us)
        self.size += len(piece)


@dataclass
class FileStats:
    path: Path
    bytes: int
    packets: int = 0
    truncated_packets: int = 0
    first_time: int | None = None
    last_time: int | None = None


def _open_reader(stream: BinaryIO, path: Path) -> Any:
    try:
        return dpkt.pcap.Reader(stream)
    except (ValueError, dpkt.UnpackError):
        stream.seek(0)
    try:
        return dpkt.pcapng.Reader(stream)
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


def read_capture(
    path: Path, fmt: CaptureFormat, stats: FileStats, file_index: int, chunk_bytes: int
) -> Iterator[Chunk]:
    """Yield the file's payload in chunks of about `chunk_bytes`; fill `stats` on the way.

    A record cut short, or a file that is no capture at all, raises CaptureError naming
    the file; a datagram shorter than its UDP length (a truncated packet) is kept for
    what it holds and counted, so the frames it broke show up as corrupt or missing.
    """
    ports = fmt.udp_ports
    data_types = fmt.vrt_data_types
    with path.open("rb") as stream:
        reader = _open_reader(stream, path)
        link = reader.datalink()
        if link != LINK_ETHERNET and link not in LINK_RAW_IP:
            raise CaptureError(path, f"link type {link} is neither Ethernet (1) nor raw IP (12, 14, 101)")
        chunk = Chunk(file_index)
        number = 0
        try:
            for ts, frame in reader:
                number += 1
                found = _udp_payload(frame, link)
                if found is None:
                    continue
                udp, data = found
                if ports and udp.dport not in ports:
                    continue
                time_us = _time_us(ts)
                stats.first_time = time_us if stats.first_time is None else stats.first_time
                stats.last_time = time_us
                view = memoryview(data)
                size = len(data)
                if size < udp.ulen - 8:
                    stats.truncated_packets += 1
                at = 0
                while at + 4 <= size:
                    (word,) = _WORD.unpack_from(data, at)
                    length = (word & 0xFFFF) * 4
                    if length == 0:
                        raise CaptureError(path, f"packet {number}: VITA-49 header at byte {at} gives size 0")
                    kind = word >> 28
                    if kind in data_types:
                        header = (
                            4
                            + (4 if kind in _STREAM_ID_TYPES else 0)
                            + (8 if word & _CLASS_ID else 0)
                            + (4 if (word >> 22) & 3 else 0)  # integer timestamp
                            + (8 if (word >> 20) & 3 else 0)  # fractional timestamp
                        )
                        end = min(at + length - (4 if word & _TRAILER else 0), size)
                        if at + header < end:
                            chunk.add(view[at + header : end], number, time_us)
                    at += length
                if chunk.size >= chunk_bytes:
                    yield chunk
                    chunk = Chunk(file_index)
        except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:
            raise CaptureError(path, f"record {number + 1} is cut short or malformed ({error or 'no data'})") from None
        stats.packets = number
        if chunk.size:
            yield chunk
