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

import bisect
import contextlib
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Literal

import dpkt
import numpy as np

from .config import CaptureFormat
from .datagrams import ETHERNET_HEADER, UDP_HEADER, Plain, pad_bytes, read_plain
from .errors import CaptureError
from .gather import uints_at
from .readahead import ReadAhead
from .records import (
    GLOBAL_HEADER,
    I64,
    PCAP_MAGICS,
    RECORD_HEADER,
    U8,
    Mapped,
    Records,
    map_capture,
    walk_records,
)
from .repeats import HEAD, Repeats
from .unchanged import unchanged_while_read

# pcap link types the ground segment's captures use: Ethernet, or raw IP: LINKTYPE_RAW (101, and
# the values 12 and 14 some systems write for it), and LINKTYPE_IPV4 (228) and LINKTYPE_IPV6
# (229), raw IP of one version (dpkt.pcap DLT_IPV4, DLT_IPV6; tcpdump.org "Link-layer header types").
LINK_ETHERNET = 1
PCAP_LINK_TYPE_BITS = 0xFFFF
LINK_RAW_IP = frozenset({12, 14, 101, dpkt.pcap.DLT_IPV4, dpkt.pcap.DLT_IPV6})
# Linux "cooked" captures, which `tcpdump -i any` writes: a header of the capturing host's own
# (16 bytes, its EtherType at 14; version 2: 20 bytes, its EtherType first), then the packet
# from its network header on (dpkt.sll.SLL, dpkt.sll2.SLL2; tcpdump.org LINKTYPE_LINUX_SLL and
# LINKTYPE_LINUX_SLL2).
LINK_COOKED = {dpkt.pcap.DLT_LINUX_SLL: (16, 14), dpkt.pcap.DLT_LINUX_SLL2: (20, 0)}
# Each link type read: the bytes before the network header, and where its EtherType stands
# (None: raw IP, whose version nibble says which IP it is).
LINK_LAYOUTS: dict[int, tuple[int, int | None]] = {
    LINK_ETHERNET: (ETHERNET_HEADER, 12),
    **dict.fromkeys(LINK_RAW_IP, (0, None)),
    **LINK_COOKED,
}
_ETHER_IP = frozenset({dpkt.ethernet.ETH_TYPE_IP, dpkt.ethernet.ETH_TYPE_IP6})
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
# The first window, doubled from one window to the next up to WINDOW_BYTES. The walk waits for
# the disk until its window has arrived, so a cold file's first 256 MiB window kept the core
# idle for that long (about 0.08 s of a 1 GB contact's 0.7 s on the build machine, 2026-12-03);
# a small first window lets processing start after a few milliseconds of reading.
FIRST_WINDOW_BYTES = 8 << 20
# Records classified at a time, at most: a window of tiny records (a file's zero-filled end reads
# as 16-byte records of nothing) held 16 million of them, and their arrays took 930 MB where a
# contact of the downlink's packets (a kilobyte or more each) takes some 250,000 a window.
WINDOW_RECORDS = 1 << 18


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
    # of those, datagrams given up missing a fragment: the record was whole, a fragment never came
    incomplete_datagrams: int = 0
    # records whose data was lost: cut short by the capture, or fragments of a datagram never
    # completed; of those, the ones the capture cut, and the fragments of datagrams none of whose
    # records was cut (the others never came)
    lost_records: int = 0
    cut_records: int = 0
    missing_fragment_records: int = 0
    # the downlink's datagrams read (fragments put together included), and of those the ones cut
    datagrams: int = 0
    cut_datagrams: int = 0
    first_time: int | None = None
    last_time: int | None = None
    # records of no bytes of no packet (a file's zero-filled end reads as such): no packets
    empty_records: int = 0
    # datagrams that repeat the one before them in their flow, byte for byte: one datagram the
    # capture recorded twice (repeats.py), left out of the stream and of every other count
    repeated_datagrams: int = 0
    # the datagrams that carried payload, per UDP destination port: several ports read as one
    # stream (udp_ports left open) is said by the processor
    ports: dict[int, int] = field(default_factory=dict)
    # a pcapng's packets of interfaces whose link type is none read (a loopback beside the
    # downlink's interface), per link type: passed over, and said by the processor
    unread_links: dict[int, int] = field(default_factory=dict)

    def count_incomplete(self, fragments: Fragments) -> None:
        """Count the datagrams `fragments` still waits for or gave up, when a stream ends."""
        left = fragments.left()
        self.truncated_packets += left.datagrams
        self.incomplete_datagrams += left.whole_datagrams
        self.lost_records += left.records
        self.cut_records += left.cut_records
        self.missing_fragment_records += left.whole_records

    def count_cut(self, records: int) -> None:
        """`records` datagrams sent whole that the capture cut short (or that hold less than their
        UDP length gives)."""
        self.truncated_packets += records
        self.lost_records += records
        self.cut_records += records
        self.cut_datagrams += records

    def count_cut_fragments(self, truncated: bool, fragments: Fragments) -> None:
        """A datagram the current record read and found shorter than its UDP length (`truncated`,
        counted once, with that record): if the record completed one put together from fragments,
        its other fragments are lost with it, whole."""
        if truncated:
            self.lost_records += max(fragments.completed - 1, 0)

    def count_ports(self, ports: list[int], times: list[int]) -> None:
        for port, n in zip(ports, times, strict=True):
            self.ports[port] = self.ports.get(port, 0) + n


# The modified pcap (Alexey Kuznetsov's patches, magic 0xA1B2CD34), which dpkt reads: each record
# header is 24 bytes, the standard 16 then an interface index, a protocol and a packet type.
MODIFIED_PCAP_MAGICS: dict[bytes, Literal["<", ">"]] = {b"\x34\xcd\xb2\xa1": "<", b"\xa1\xb2\xcd\x34": ">"}
MODIFIED_RECORD_HEADER = 24


class _Reads:
    """A capture file as dpkt reads it, keeping how many bytes the last read asked for and got:
    dpkt's pcap reader returns a record the file ends inside as if it were whole."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.asked = self.got = 0
        self.first = b""  # the file's first read: a pcap's global header, whose magic gives its byte order
        self.before_last = self.last = b""  # a pcap record's header and its data, once dpkt has read both

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.asked, self.got = size, len(data)
        if not self.first:
            self.first = data
        self.before_last, self.last = self.last, data
        return data

    def header(self) -> tuple[int, int, int, bool] | None:
        """The pcap record dpkt read last, as its header (the read before its data) gives it: its
        fraction of a second, captured and original lengths, and whether the fraction is in
        nanoseconds (a modified pcap's 24-byte headers hold the same fields first); None for a
        file of another kind."""
        header, magic = self.before_last, self.first[:4]
        if magic in MODIFIED_PCAP_MAGICS and len(header) == MODIFIED_RECORD_HEADER:
            order, nano = MODIFIED_PCAP_MAGICS[magic], False
        elif magic in PCAP_MAGICS and len(header) == RECORD_HEADER:
            order, nano = PCAP_MAGICS[magic]
        else:
            return None
        fraction, captured, original = struct.unpack(order + "III", header[4:16])
        return fraction, captured, original, nano

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
    _too_large_description(stream, path)
    try:
        return dpkt.pcapng.Reader(reads), reads
    except ValueError as error:
        if str(error) == "IDB not found":  # a pcapng section describing no interface: no packets, or
            return _NoInterface(), reads  # packets of an interface it never describes (said per packet)
    except dpkt.UnpackError:
        pass
    raise CaptureError(path, _unopened(stream))


def _unopened(stream: BinaryIO) -> str:
    """Why neither reader opened the file: one that starts as a capture but ends inside its
    first headers is a copy or a transfer cut short, not a file of another format."""
    stream.seek(0)
    head = stream.read(GLOBAL_HEADER)
    if head[:4] in PCAP_MAGICS and len(head) < GLOBAL_HEADER:
        return f"cut short in its pcap file header (the file holds {len(head)} of its {GLOBAL_HEADER} bytes)"
    if len(head) >= 4 and struct.unpack_from("<I", head)[0] == _SHB:
        try:  # the block walk names the block the file ends in, among those before its first packet
            next(_pcapng_records(stream, Path()), None)
        except CaptureError as error:
            return error.reason
    return "not a pcap or pcapng capture"


class _NoInterface:
    """The reader of a pcapng file whose section describes no interface, which dpkt refuses: an
    empty capture is a pcapng file as much as a pcap file of its global header alone is a pcap
    one. Its blocks are walked as any pcapng file's (`_pcapng_records`)."""

    def datalink(self) -> None:
        return None


def _time_us(ts: float | Decimal) -> int:
    return round(ts * 1_000_000)


def _scaled_us(raw: int, divisor: int) -> int:
    """`raw` / `divisor` seconds in microseconds, rounded half to even, exactly (as
    records.times_us rounds a nanosecond pcap's times): no float in between."""
    micros, rest = divmod(raw * 1_000_000, divisor)
    return micros + (2 * rest > divisor or (2 * rest == divisor and micros % 2 == 1))


# The capture times a products partition (a date) and the catalogs' timestamps can hold.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EARLIEST_US = (datetime.min.replace(tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)
LATEST_US = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // timedelta(microseconds=1)


def _time_problem(number: int, time_us: int) -> str | None:
    """Why record `number`'s capture time cannot date a frame (outside years 1-9999), or None."""
    if EARLIEST_US <= time_us <= LATEST_US:
        return None
    side = "after year 9999" if time_us > LATEST_US else "before year 1"
    return f"record {number}: capture time {time_us} µs after 1970 is {side}"


NOT_UDP = -1
"""A first fragment's `port` when the datagram it begins is no UDP datagram (ICMPv6 behind an
extension header): never the downlink's."""


class Fragments:
    """IP datagrams that arrive in fragments, put back together as RFC 791 and RFC 8200 say:
    the fragments of one datagram share source, destination, protocol and identification,
    each says where it belongs (its offset) and the last one says so (no more fragments).
    Only a datagram whose every byte arrived is returned; one still missing a piece when the
    contact's last file ends is counted as a truncated packet (`left`): a contact's files are
    one capture cut in pieces, so a datagram's fragments may fall in two of them. A fragment
    repeated after its datagram was complete (the same place, the same bytes) is a repeat, not a
    new datagram.

    A datagram still missing a fragment when WAITED more records of the contact's capture have
    been read since its first one is given up and counted then (`left`), as a host's reassembly
    timer gives up (RFC 791; Linux waits 30 s). Every record counts, a datagram sent whole too:
    an IPv4 identification repeats every 65,536 datagrams of a sender, most of them unfragmented,
    and a later datagram's fragments with the stale one's identification were put together with
    the stale pieces (RFC 4963). A piece of a datagram given up that comes within WAITED more
    records is its own, not a new datagram's (unless it is a first fragment, which begins one):
    passed over, not counted again.

    Counted as a truncated packet of the downlink is only a datagram that may be one: its first
    fragment names one of `ports` (all, when none is given) or is missing (`left`, by cause:
    FragmentLoss)."""

    REMEMBERED = 4096  # datagrams completed (or given up) whose fragments are recognised later
    WAITED = 4096  # records read after an incomplete datagram's first, before it is given up

    def __init__(self, ports: Iterable[int] = ()) -> None:
        self.parts: dict[tuple[Any, ...], dict[int, bytes]] = {}  # in the order each datagram began
        # the byte ranges each datagram's pieces cover, merged and in order: whether it is whole is
        # one look, where walking its pieces at every fragment made a train of fragments with a
        # hole that never fills quadratic (4,095 fragments of 8 bytes: 8 million steps)
        self.covered: dict[tuple[Any, ...], list[list[int]]] = {}
        self.ends: dict[tuple[Any, ...], int] = {}
        self.done: dict[tuple[Any, ...], set[tuple[int, int]]] = {}  # in completion order
        self.begun: dict[tuple[Any, ...], int] = {}  # the record at which each began
        self.port: dict[tuple[Any, ...], int] = {}  # the UDP port (or NOT_UDP) its first fragment gives
        self.tally: dict[tuple[Any, ...], list[int]] = {}  # [records, records the capture cut] of each
        # given up: at which record, the (offset, hash) of the pieces it had, whether the downlink's,
        # and its tally, which its late pieces go on counting
        self.abandoned: dict[tuple[Any, ...], tuple[int, set[tuple[int, int]], int, list[int]]] = {}
        self.ports = frozenset(ports)
        self.before = 0  # records of the contact's earlier files
        self.record = 0  # the record being read, counted over the contact's files
        self.given_up = FragmentLoss()
        self.completed = 0  # the records of the datagram the current record completed, if it did one

    def at_record(self, number: int) -> None:
        """Record `number` (1-based) of the current file is read next."""
        self.record = self.before + number
        self.completed = 0

    def end_file(self, records: int) -> None:
        """The current file ended after `records` records: the next file's count on from them."""
        self.before += records
        self.record = self.before

    def _expire(self) -> None:
        """Give up the datagrams that waited too long for their fragments."""
        while self.parts:
            oldest = next(iter(self.parts))
            if self.record - self.begun[oldest] <= self.WAITED:
                break
            downlink, tally = self._downlinks(oldest), self.tally[oldest]
            self.given_up.count(tally, downlink)
            pieces = {(at, hash(piece)) for at, piece in self.parts[oldest].items()}
            self._forget(oldest)
            self.abandoned[oldest] = (self.record, pieces, downlink, tally)
            if len(self.abandoned) > self.REMEMBERED:
                del self.abandoned[next(iter(self.abandoned))]

    def _forget(self, key: tuple[Any, ...]) -> None:
        del self.parts[key], self.begun[key], self.tally[key]
        self.ends.pop(key, None)
        self.port.pop(key, None)
        self.covered.pop(key, None)

    def _cover(self, key: tuple[Any, ...], start: int, end: int) -> list[list[int]]:
        """The ranges datagram `key` covers once bytes `start` to `end` are added, touching or
        overlapping ranges merged."""
        ranges = self.covered.setdefault(key, [])
        at = bisect.bisect_left(ranges, [start, start])
        if at and ranges[at - 1][1] >= start:  # the range before reaches this one
            at -= 1
        last = at
        while last < len(ranges) and ranges[last][0] <= end:
            start, end = min(start, ranges[last][0]), max(end, ranges[last][1])
            last += 1
        ranges[at:last] = [[start, end]]
        return ranges

    def _downlinks(self, key: tuple[Any, ...]) -> int:
        port = self.port.get(key)
        return int(port != NOT_UDP and (not self.ports or port is None or port in self.ports))

    def add(
        self, key: tuple[Any, ...], offset: int, more: bool, data: bytes, port: int | None = None, cut: bool = False
    ) -> bytes | None:
        """The datagram `key`, whole, once this fragment completes it. `port`: what a first
        fragment (offset 0) says of its datagram (its UDP destination port, NOT_UDP, or None when
        it cannot tell); `cut`: the capture cut this fragment short."""
        self._expire()
        if key not in self.parts:
            if (offset, hash(data)) in self.done.get(key, ()):
                return None  # a copy of a fragment of a datagram already put together
            given_up = self.abandoned.get(key)
            recent = given_up is not None and self.record - given_up[0] <= self.WAITED
            if recent and given_up is not None and (offset or (offset, hash(data)) in given_up[1]):
                # a late piece, or a copy, of a datagram given up and counted: its record too
                self.given_up.count_late(given_up[3], cut, given_up[2])
                return None
            self.abandoned.pop(key, None)
            self.begun[key] = self.record
            self.tally[key] = [0, 0]
        parts = self.parts.setdefault(key, {})
        tally = self.tally[key]
        tally[0] += 1
        tally[1] += cut
        if offset == 0 and port is not None:
            self.port[key] = port
        if offset not in parts:  # a fragment repeated: the first copy counts
            parts[offset] = data
            covered = self._cover(key, offset, offset + len(data))
        else:
            covered = self.covered[key]
        if not more:
            self.ends[key] = offset + len(data)
        end = self.ends.get(key)
        if end is None or covered[0][0] > 0 or covered[0][1] < end:
            return None  # the end not known yet, or a hole before it
        pieces, have = [], 0
        for at in sorted(parts):
            if at > have:
                return None  # a hole
            piece = parts[at]
            if at + len(piece) > have:
                pieces.append(piece[have - at :])
                have = at + len(piece)
        if have < end:
            return None
        self.completed = tally[0]
        self._forget(key)
        self.done.pop(key, None)
        self.done[key] = {(at, hash(piece)) for at, piece in parts.items()}
        if len(self.done) > self.REMEMBERED:
            del self.done[next(iter(self.done))]
        return b"".join(pieces)[:end]

    def left(self) -> FragmentLoss:
        """The downlink's datagrams still missing a fragment and those given up waiting for one."""
        loss = replace(self.given_up)
        for key, tally in self.tally.items():
            loss.count(tally, self._downlinks(key))
        return loss


@dataclass
class FragmentLoss:
    """Datagrams of the downlink never put together, and the records (fragments) of theirs that
    came: `cut_records` the capture cut short (a snap length under their size); `whole_*`, the
    datagrams none of whose records was cut, and their records: fragments that never came."""

    datagrams: int = 0
    whole_datagrams: int = 0
    records: int = 0
    cut_records: int = 0
    whole_records: int = 0

    def count(self, tally: list[int], downlink: int) -> None:
        """One datagram of `tally` ([records, cut records]), if it may be the downlink's."""
        records, cut = tally
        whole = int(not cut)
        self.datagrams += downlink
        self.whole_datagrams += downlink * whole
        self.records += downlink * records
        self.cut_records += downlink * cut
        self.whole_records += downlink * whole * records

    def count_late(self, tally: list[int], cut: bool, downlink: int) -> None:
        """One more record of a datagram already counted with `tally` ([records, cut records]),
        which it goes on: a whole record of a whole datagram is one more its missing fragments
        lost; a cut one makes the datagram one the capture cut, its whole records no longer
        counted as missing fragments'."""
        records, cut_before = tally
        if cut and not cut_before:  # whole until now
            self.whole_datagrams -= downlink
            self.whole_records -= downlink * records
        self.records += downlink
        self.cut_records += downlink * cut
        self.whole_records += downlink * (not cut and not cut_before)
        tally[0] += 1
        tally[1] += cut


def _udp_port(data: bytes) -> int | None:
    """The destination port of the UDP header `data` starts with, or None (cut before it)."""
    return int.from_bytes(data[2:4], "big") if len(data) >= 4 else None


def _ip6_past_options(header: int, data: bytes, at: int = 0) -> tuple[int, int] | None:
    """Past the hop-by-hop, routing, destination options and authentication headers that start
    at `at`: (the header that follows them, where it starts), or None where `data` ends inside one."""
    while header in _IP6_OPTIONS or header == _IP6_AUTHENTICATION:
        if len(data) < at + 2:
            return None
        size = (data[at + 1] + 1) * 8 if header in _IP6_OPTIONS else (data[at + 1] + 2) * 4
        header, at = data[at], at + size
    return header, at


def _ip6_first_port(header: int, data: bytes) -> int | None:
    """What an IPv6 first fragment's data says of its datagram: past the extension headers that
    may start the fragmentable part (RFC 8200 4.5), the UDP destination port, NOT_UDP, or None
    (the data ends before it tells)."""
    walked = _ip6_past_options(header, data)
    if walked is None:
        return None
    header, at = walked
    return _udp_port(data[at:]) if header == dpkt.ip.IP_PROTO_UDP else NOT_UDP


def _ip_payload(packet: Any) -> bytes:
    """The bytes an IP packet carries, as they were captured (dpkt may have parsed them)."""
    data = packet.data
    return data.pack_hdr() + bytes(data.data) if isinstance(data, dpkt.Packet) else bytes(data)


# IP protocol numbers under which an IPv6 packet's headers may still lead to a UDP header:
# UDP, and the extension headers (hop-by-hop, routing, fragment, destination options).
_IP6_TOWARDS_UDP = frozenset({dpkt.ip.IP_PROTO_UDP, 0, 43, 44, 60})
_IP_HEADER = {4: 20, 6: 40}


def _cut_ip(header: bytes) -> bool:
    """`header`, the start of an IP packet too short to parse, may be a datagram's: its version
    is IPv4 or IPv6 and the protocol, where the bytes reach it, is UDP or may lead to it."""
    if not header:  # not even the version: cut right after the link header
        return True
    version = header[0] >> 4
    if version not in _IP_HEADER or len(header) >= _IP_HEADER[version]:
        return False  # not IP, or a whole header dpkt refused: malformed, not cut
    if version == 4:
        return len(header) < 10 or header[9] == dpkt.ip.IP_PROTO_UDP
    return len(header) < 7 or header[6] in _IP6_TOWARDS_UDP


# What dpkt raises, besides NeedData, on IPv6 headers it does not follow: a Fragment header
# followed by another extension header (RFC 8200 puts a Destination Options, AH or ESP header of
# the fragmented part there) made its IPv6 parser read `frag_off` of that header.
_DPKT_IP6_FAILURES = (AttributeError, KeyError, IndexError, TypeError, ValueError)
_ETHER_VLAN = frozenset({0x8100, 0x88A8, 0x9100})  # 802.1Q, 802.1ad (QinQ), the pre-standard QinQ tag
_IP6_FIXED = 40
_IP6_OPTIONS = frozenset({0, 43, 60})  # hop-by-hop, routing, destination options: (length + 1) x 8 octets
_IP6_AUTHENTICATION = 51  # (length + 2) x 4 octets (RFC 4302)
_IP6_FRAGMENT = 44  # 8 octets (RFC 8200 4.5)


def _ethernet_carried(frame: bytes, at: int = 12) -> tuple[int, int]:
    """(the EtherType of what an Ethernet frame carries, past any VLAN tags, where that starts):
    dpkt keeps the outer tag's type (0x8100) in `type` when it reads the tags. `at`: where the
    EtherType stands (a Linux cooked header's protocol field, where libpcap puts the tags too)."""
    kind = int.from_bytes(frame[at : at + 2], "big")
    while kind in _ETHER_VLAN and len(frame) >= at + 6:
        at += 4
        kind = int.from_bytes(frame[at : at + 2], "big")
    return kind, at + 2


def _ethernet_ip6(frame: bytes) -> bytes | None:
    """The IPv6 packet an Ethernet frame carries (past any VLAN tags), or None."""
    kind, at = _ethernet_carried(frame)
    return frame[at:] if kind == dpkt.ethernet.ETH_TYPE_IP6 else None


def _ip6_extended(packet: bytes) -> bool:
    """Whether an IPv6 packet's fixed header is followed by an extension header (or anything but
    UDP): such a packet is walked here, never by dpkt, which copies the rest of the packet twice
    for each extension header it reads (a jumbo record of 8-byte headers took minutes)."""
    return len(packet) >= _IP6_FIXED and packet[6] != dpkt.ip.IP_PROTO_UDP


def _ip6_udp(packet: bytes, fragments: Fragments) -> tuple[dpkt.udp.UDP | None, bytes] | None:
    """`_udp_payload` of an IPv6 packet dpkt could not parse, its header chain walked here: the
    extension headers up to UDP, a Fragment header's datagram put back together first (its
    fragmentable part may start with further extension headers). ESP, or anything else that is
    not UDP, is no datagram of the downlink."""
    if len(packet) < _IP6_FIXED:
        return (None, b"") if _cut_ip(packet) else None
    length = int.from_bytes(packet[4:6], "big")
    body = packet[_IP6_FIXED : _IP6_FIXED + length] if length else packet[_IP6_FIXED:]
    cut = len(body) < length  # the capture's snap length cut the packet
    return _ip6_chain(packet[6], body, (6, packet[8:24], packet[24:40]), fragments, cut)


def _ip6_chain(
    header: int, body: bytes, source: tuple[Any, ...], fragments: Fragments | None, cut: bool = False
) -> tuple[dpkt.udp.UDP | None, bytes] | None:
    walked = _ip6_past_options(header, body)
    if walked is None:
        return (None, b"") if cut else None  # cut inside an extension header, or malformed
    header, at = walked
    if header == _IP6_FRAGMENT and fragments is not None:
        if len(body) < at + 8:
            return (None, b"") if cut else None
        if body[at] not in _IP6_TOWARDS_UDP and body[at] != _IP6_AUTHENTICATION:
            return None  # a fragment of another protocol's packet (ICMPv6, TCP): no datagram
        field = int.from_bytes(body[at + 2 : at + 4], "big")
        key = (*source, int.from_bytes(body[at + 4 : at + 8], "big"))
        offset, data = (field >> 3) * 8, body[at + 8 :]
        port = _ip6_first_port(body[at], data) if offset == 0 else None
        whole = fragments.add(key, offset, bool(field & 1), data, port, cut)
        # the datagram put back together starts with the header after the Fragment header
        return None if whole is None else _ip6_chain(body[at], whole, source, None)
    if header != dpkt.ip.IP_PROTO_UDP:
        return None
    udp = body[at:]
    if len(udp) < UDP_HEADER:  # cut inside the UDP header, or a chain running past the packet
        return (None, udp) if cut else None
    return _whole_udp(udp)


def _udp_payload(frame: bytes, link: int, fragments: Fragments) -> tuple[dpkt.udp.UDP | None, bytes] | None:
    """(the UDP header, its payload) of a datagram; (None, the UDP header's bytes) when the
    record ends inside the headers of what may be one (a capture's snap length cut it); None
    when the record is no datagram (or a fragment of one not yet complete)."""
    if link in LINK_COOKED:  # past the cooked header, the packet is raw IP
        header, ethertype_at = LINK_COOKED[link]
        if len(frame) < header:
            return None, b""  # the record ends inside the cooked header
        if ethertype_at + 2 == header:
            # version 1, its protocol field last: libpcap puts a packet's VLAN tags there (its
            # `vlan_offset`, SLL_HDR_LEN - 2), each 4 bytes before the protocol it tags
            kind, start = _ethernet_carried(frame, ethertype_at)
        else:
            kind, start = int.from_bytes(frame[ethertype_at : ethertype_at + 2], "big"), header
        if len(frame) < start:
            return None, b""  # the record ends inside the tags
        if kind not in _ETHER_IP:
            return None
        frame, link = frame[start:], min(LINK_RAW_IP)
    if link == LINK_ETHERNET:
        ip6 = _ethernet_ip6(frame)
        if ip6 is not None and _ip6_extended(ip6):
            return _ip6_udp(ip6, fragments)
        try:
            ethernet = dpkt.ethernet.Ethernet(frame)
        except dpkt.NeedData:  # ends inside the Ethernet header or a VLAN tag
            return None, b""
        except _DPKT_IP6_FAILURES:
            ip6 = _ethernet_ip6(frame)
            return None if ip6 is None else _ip6_udp(ip6, fragments)
        packet: Any = ethernet.data
        if isinstance(packet, bytes):  # dpkt keeps the bytes of an IP header it could not parse
            carried = _ethernet_carried(frame)[0]
            if carried == dpkt.ethernet.ETH_TYPE_IP6 and len(packet) >= _IP6_FIXED:
                return _ip6_udp(packet, fragments)  # cut inside its extension headers, or malformed
            return (None, b"") if carried in _ETHER_IP and _cut_ip(packet) else None
    else:  # raw IP: the version nibble says which
        version6 = bool(frame[:1]) and frame[0] >> 4 == 6
        if version6 and _ip6_extended(frame):
            return _ip6_udp(frame, fragments)
        try:
            packet = dpkt.ip6.IP6(frame) if version6 else dpkt.ip.IP(frame)
        except dpkt.UnpackError:  # NeedData, or a whole header dpkt refuses (an IPv4 header length
            # under 5 words): no datagram, passed over as on Ethernet, whose parser keeps its bytes
            # (it stopped the whole contact on raw IP and Linux cooked captures)
            if version6 and len(frame) >= _IP6_FIXED:
                return _ip6_udp(frame, fragments)  # cut inside its extension headers
            return (None, b"") if _cut_ip(frame) else None
        except _DPKT_IP6_FAILURES:
            if not version6:
                raise
            return _ip6_udp(frame, fragments)
    if isinstance(packet, dpkt.ip.IP) and (packet.mf or packet.offset):
        if packet.p != dpkt.ip.IP_PROTO_UDP:
            return None
        key: tuple[Any, ...] = (4, packet.src, packet.dst, packet.id)
        data = _ip_payload(packet)
        cut = len(data) < packet.len - packet.hl * 4  # the capture's snap length cut the fragment
        port = _udp_port(data) if packet.offset == 0 else None
        whole = fragments.add(key, packet.offset * 8, bool(packet.mf), data, port, cut)
        return None if whole is None else _whole_udp(whole)
    if isinstance(packet, dpkt.ip6.IP6) and _IP6_FRAGMENT in packet.extension_hdrs:
        # every IPv6 fragment is read by the one walker, whatever follows its Fragment header
        # (the next fragments of a datagram whose first one dpkt could not parse among them)
        # past VLAN tags, or (MPLS, PPPoE: encapsulations dpkt reads) as dpkt packs it again
        ip6 = (_ethernet_ip6(frame) if link == LINK_ETHERNET else frame) or bytes(packet)
        return _ip6_udp(ip6, fragments)
    # dpkt leaves `p` unset where the last header it read is ESP (an IPsec packet): no datagram
    protocol = getattr(packet, "p", None)
    if not isinstance(packet, dpkt.ip.IP | dpkt.ip6.IP6):
        return None
    udp = packet.data
    if isinstance(udp, bytes) and protocol == dpkt.ip.IP_PROTO_UDP and len(udp) < UDP_HEADER:
        return None, udp  # the record ends inside the UDP header
    if not isinstance(udp, dpkt.udp.UDP):
        return None
    return udp, udp.data


def _whole_udp(datagram: bytes) -> tuple[dpkt.udp.UDP, bytes]:
    udp = dpkt.udp.UDP(datagram)
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
            advice = (
                "a corrupt header on the dataflow's own port"
                if fmt.udp_ports
                else "a datagram of other traffic? give the dataflow's port (--udp-port, processing.capture.udp_ports)"
            )
            raise CaptureError(
                path,
                f"packet {number}: VITA-49 header at byte {at} gives size 0, which no VITA-49 packet has: {advice}",
            )
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
            if word & _CLASS_ID:  # the payload's last bytes are padding (`pad_bytes`)
                class_at = at + 4 + (4 if kind in _STREAM_ID_TYPES else 0)
                end -= pad_bytes(_WORD.unpack_from(data, class_at)[0]) if class_at + 4 <= size else 0
            if at + header < end:
                pieces.append(data[at + header : end])
        at += length
    return pieces


Datagram = tuple[bool, list[bytes], int, bytes]
"""One datagram of the downlink read by dpkt: whether it is truncated, its VITA-49 payloads, its
UDP destination port, and its bytes from the UDP header on (as captured)."""


def _datagram(
    frame: bytes, link: int, fmt: CaptureFormat, path: Path, number: int, fragments: Fragments, whole: bool | None
) -> Datagram | None:
    """The datagram of one record read by dpkt; None when it is no datagram of the downlink (or a
    fragment of one not yet complete). `whole`: the record holds its whole packet (None: not known)."""
    found = _udp_payload(frame, link, fragments)
    if found is None:
        return None
    udp, data = found
    if udp is None and whole:
        # it ends inside the headers of a datagram although nothing of it was cut: no datagram (a
        # record of no bytes, as a file's zero-filled end reads, dated 1970 and counted as cut)
        return None
    if udp is None:  # cut inside its headers: a truncated packet, unless its port says it is another's
        port = _udp_port(data)
        if fmt.udp_ports and port is not None and port not in fmt.udp_ports:
            return None
        return True, [], port or 0, data
    if fmt.udp_ports and udp.dport not in fmt.udp_ports:
        return None
    truncated = len(data) < udp.ulen - UDP_HEADER
    return truncated, _vita_payloads(data, fmt, path, number), int(udp.dport), udp.pack_hdr() + bytes(data)


def _parsed(
    frame: bytes,
    link: int,
    fmt: CaptureFormat,
    path: Path,
    number: int,
    fragments: Fragments,
    whole: bool | None = None,
) -> Datagram | None:
    """`_datagram` of record `number` (1-based), a record dpkt cannot parse named by its number."""
    fragments.at_record(number)
    try:
        return _datagram(frame, link, fmt, path, number, fragments, whole)
    except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:
        raise CaptureError(path, f"record {number} is cut short or malformed ({str(error) or 'no data'})") from None
    except RecursionError:  # dpkt parses each nested header (Cisco ISL, IP in IP) a call deeper
        raise CaptureError(path, f"record {number} nests more headers than can be read; not read") from None


@dataclass
class StreamState:
    """What a contact's stream carries from one file of a capture cut in files to the next: its
    datagrams still missing a fragment (a datagram's fragments may fall in two files), and the
    last datagram of each flow (a datagram's copy may start the next file: repeats.py). The
    processor starts one for each dataflow; the read path passes it as one."""

    fragments: Fragments
    repeats: Repeats

    @classmethod
    def fresh(cls, fmt: CaptureFormat) -> StreamState:
        return cls(Fragments(fmt.udp_ports), Repeats())


def read_capture(
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    file_index: int,
    chunk_bytes: int,
    carried: StreamState | None = None,
) -> Iterator[Chunk]:
    """Yield the file's payload in chunks of about `chunk_bytes`; fill `stats` on the way.

    A record cut short, or a file that is no capture at all, raises CaptureError naming
    the file; a datagram shorter than its UDP length (a truncated packet) is kept for
    what it holds and counted, so the frames it broke show up as corrupt or missing.
    `carried`: the contact stream's state, shared by its files, whose owner counts the datagrams
    still missing a fragment at the end; without it, the file's own, counted at its end.
    """
    own = carried is None
    carried = StreamState.fresh(fmt) if carried is None else carried
    yield from _read_capture(path, fmt, stats, file_index, chunk_bytes, carried)
    # every record of the file, as the next counts on
    carried.fragments.end_file(stats.packets + stats.empty_records)
    if own:
        stats.count_incomplete(carried.fragments)


def _read_capture(
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    file_index: int,
    chunk_bytes: int,
    carried: StreamState,
) -> Iterator[Chunk]:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise CaptureError(path, f"cannot read ({error.strerror or error})") from None
    with stream:
        reader, reads = _open_reader(stream, path)
        pcap = isinstance(reader, dpkt.pcap.Reader)
        # a pcap header's LinkType field holds the link type in its low 16 bits, and above them
        # whether the packets end in a frame check sequence, and its length (draft-ietf-opsawg-
        # pcap, "LinkType and additional information"); the IP and UDP lengths bound the payload,
        # so an FCS after it is left out whatever its length
        link = reader.datalink() & PCAP_LINK_TYPE_BITS if pcap else reader.datalink()
        if pcap and link not in LINK_LAYOUTS:  # pcapng: each interface's
            raise CaptureError(path, _link_problem(link))
        mapped = map_capture(path) if pcap else None
        if mapped is None:  # pcapng or a modified pcap
            yield from _read_with_dpkt(reader, reads, link, path, fmt, stats, file_index, chunk_bytes, carried)
            return
    yield from _read_mapped(mapped, link, path, fmt, stats, file_index, chunk_bytes, carried)


LINKS_READ = (
    f"Ethernet (1), raw IP ({', '.join(map(str, sorted(LINK_RAW_IP)))}) "
    f"or Linux cooked ({', '.join(map(str, sorted(LINK_COOKED)))})"
)


def _link_problem(link: int) -> str:
    return f"link type {link} is none groundlink reads: {LINKS_READ}"


def _pcap_records(
    reader: Any, reads: _Reads, link: int, path: Path, before: int
) -> Iterator[tuple[int, int, bytes, bool | None]]:
    """(time, link type, bytes, whether the record holds its whole packet) of each record dpkt's
    pcap reader reads, the first being record `before` + 1; a record the file ends
    inside is a CaptureError naming it."""
    number = before
    try:
        for ts, frame in reader:
            number += 1
            if reads.got < reads.asked:
                raise CaptureError(path, _cut_record(number, reads.asked, reads.got, header=False))
            header = reads.header()
            if header is not None:
                _check_fraction(header[0], header[3], number, path)
            yield _time_us(ts), link, frame, None if header is None else header[1] >= header[2]
    except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:  # reading the record after `number`
        if 0 < reads.got < reads.asked:
            raise CaptureError(path, _cut_record(number + 1, reads.asked, reads.got, header=True)) from None
        raise CaptureError(path, f"record {number + 1} is cut short or malformed ({str(error) or 'no data'})") from None


# pcapng block types (the pcapng specification, draft-ietf-opsawg-pcapng)
_SHB, _IDB, _PB, _SPB, _EPB = 0x0A0D0D0A, 1, 2, 3, 6
_BYTE_ORDER_MAGIC = 0x1A2B3C4D
_OPT_TSRESOL, _OPT_TSOFFSET = 9, 14
# The largest section header or interface description read: dpkt copies the rest of a block's
# options for each option it reads, so a block of a megabyte of 4-byte options took minutes and
# hundreds of MB; real ones hold a few names and numbers.
DESCRIPTION_BLOCK_MAX = 65536
# A packet block's fixed fields, before its data (Enhanced and obsolete Packet Blocks alike):
# type, length, interface (and drops), two time stamp words, captured and original lengths.
_PACKET_FIXED = 28


def _without_options(block: bytes, order: str) -> bytes:
    """A packet block without its options, which nothing here reads and dpkt reads in time
    quadratic in their number: its length fields say so. A block whose captured length runs past
    its end is left as it is, for dpkt to refuse."""
    (captured,) = struct.unpack_from(order + "I", block, 20)
    data_end = _PACKET_FIXED + captured + (-captured % 4)
    if data_end + 4 >= len(block):
        return block
    length = struct.pack(order + "I", data_end + 4)
    return block[:4] + length + block[8:data_end] + length


def _description_bounded(path: Path, at: int, size: int) -> None:
    """Refuse a section header or interface description block of more than DESCRIPTION_BLOCK_MAX."""
    if size > DESCRIPTION_BLOCK_MAX:
        raise CaptureError(
            path, f"block at byte {at} is malformed ({size} bytes of description, more than {DESCRIPTION_BLOCK_MAX})"
        )


def _too_large_description(stream: BinaryIO, path: Path) -> None:
    """Refuse a pcapng file whose section header or first interface description (which dpkt's
    reader parses as it opens the file) is larger than DESCRIPTION_BLOCK_MAX; the stream is left
    at its start."""
    try:
        head = stream.read(12)
        if len(head) < 12 or struct.unpack_from("<I", head)[0] != _SHB:
            return
        order = "<" if struct.unpack_from("<I", head, 8)[0] == _BYTE_ORDER_MAGIC else ">"
        (length,) = struct.unpack_from(order + "I", head, 4)
        stream.seek(length)
        following = stream.read(8)
        sizes = [(0, length)]
        if len(following) == 8 and struct.unpack_from(order + "I", following)[0] == _IDB:
            sizes.append((length, struct.unpack_from(order + "I", following, 4)[0]))
        for at, size in sizes:
            _description_bounded(path, at, size)
    finally:
        stream.seek(0)


def _pcapng_records(stream: BinaryIO | _Reads, path: Path) -> Iterator[tuple[int, int, bytes, bool | None]]:
    """(time, link type, bytes, whether the block holds its whole packet) of each packet of a
    pcapng file, walked block by block.

    dpkt's pcapng reader takes every packet for its first interface's (link type, time
    resolution), skips Simple Packet Blocks and returns a file cut inside a block header as if
    whole; dpkt's block classes still parse each block here. Every section and interface is
    honoured; a Simple Packet Block (it has no capture time), a packet naming an interface the
    file does not describe, or a block cut short is a CaptureError naming it."""
    stream.seek(0)
    order = "<"
    interfaces: list[tuple[int, int, int]] = []  # (link type, time units per second, offset in seconds)
    at = number = 0
    while True:
        head = stream.read(8)
        if not head:
            return
        if len(head) == 8 and struct.unpack_from("<I", head)[0] == _SHB:  # its byte order says how to read it
            magic = stream.read(4)
            head += magic
            if len(magic) == 4:
                order = "<" if struct.unpack("<I", magic)[0] == _BYTE_ORDER_MAGIC else ">"
        if len(head) < 8:
            raise CaptureError(
                path, f"block at byte {at} is cut short (the file ends {len(head)} bytes into its header)"
            )
        kind, length = struct.unpack_from(order + "II", head)
        if length < 12 or length % 4:
            raise CaptureError(path, f"block at byte {at} is malformed (it gives its length as {length} bytes)")
        body = stream.read(length - len(head))
        if len(body) < length - len(head):
            got = len(head) + len(body)
            raise CaptureError(
                path, f"block at byte {at} is cut short (its header gives {length} bytes, the file holds {got})"
            )
        block = head + body
        try:
            if kind == _SHB:
                interfaces = []
            elif kind == _IDB:
                _description_bounded(path, at, length)
                interfaces.append(_interface(block, order))
            elif kind in (_EPB, _PB):
                number += 1
                yield _packet(_without_options(block, order), order, kind, interfaces, number, path)
            elif kind == _SPB:
                number += 1
                raise CaptureError(
                    path, f"record {number} is a Simple Packet Block, which has no capture time; not read"
                )
        except (dpkt.NeedData, dpkt.UnpackError, struct.error) as error:
            raise CaptureError(path, f"block at byte {at} is malformed ({str(error) or 'no data'})") from None
        at += length


def _interface(block: bytes, order: str) -> tuple[int, int, int]:
    """An Interface Description Block's (link type, time units per second, offset in seconds)."""
    idb = (
        dpkt.pcapng.InterfaceDescriptionBlockLE(block) if order == "<" else dpkt.pcapng.InterfaceDescriptionBlock(block)
    )
    per_second, offset = 1_000_000, 0
    for option in idb.opts:
        if option.code == _OPT_TSRESOL and option.data:
            value = option.data[0]  # top bit set: a negative power of 2, else of 10
            per_second = 2 ** (value & 0x7F) if value & 0x80 else 10 ** (value & 0x7F)
        elif option.code == _OPT_TSOFFSET and len(option.data) >= 8:
            (offset,) = struct.unpack_from(order + "q", option.data)
    return idb.linktype, per_second, offset


def _packet(
    block: bytes, order: str, kind: int, interfaces: list[tuple[int, int, int]], number: int, path: Path
) -> tuple[int, int, bytes, bool | None]:
    little = order == "<"
    if kind == _EPB:
        packet: Any = dpkt.pcapng.EnhancedPacketBlockLE(block) if little else dpkt.pcapng.EnhancedPacketBlock(block)
    else:
        packet = dpkt.pcapng.PacketBlockLE(block) if little else dpkt.pcapng.PacketBlock(block)
    if len(packet.pkt_data) < packet.caplen:
        raise CaptureError(
            path,
            f"record {number} is cut short (its header gives {packet.caplen} bytes, the block holds {len(packet.pkt_data)})",
        )
    if packet.iface_id >= len(interfaces):
        raise CaptureError(path, f"record {number} names interface {packet.iface_id}, which the file does not describe")
    link, per_second, offset = interfaces[packet.iface_id]
    time_us = offset * 1_000_000 + _scaled_us((packet.ts_high << 32) | packet.ts_low, per_second)
    return time_us, link, bytes(packet.pkt_data), packet.caplen >= packet.pkt_len


def _read_with_dpkt(
    reader: Any,
    reads: _Reads,
    link: int,
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    file_index: int,
    chunk_bytes: int,
    carried: StreamState,
    before: int = 0,
) -> Iterator[Chunk]:
    """The payload of the records `reader` reads, the first one being record `before` + 1 of the file."""
    fragments, repeats = carried.fragments, carried.repeats
    pieces: list[bytes] = []
    offsets: list[int] = []
    packets: list[int] = []
    times: list[int] = []
    size = 0
    number = before
    if isinstance(reader, dpkt.pcap.Reader):
        records = _pcap_records(reader, reads, link, path, before)
    else:
        records = _pcapng_records(reads, path)
    for time_us, record_link, frame, whole in records:
        number += 1
        if not frame and whole:  # a record of no bytes of no packet, as the mapped reader leaves it out
            stats.empty_records += 1
            continue
        if record_link not in LINK_LAYOUTS:  # a pcapng interface's: no datagram of the downlink
            fragments.at_record(number)
            stats.unread_links[record_link] = stats.unread_links.get(record_link, 0) + 1
            continue
        found = _parsed(frame, record_link, fmt, path, number, fragments, whole)
        if found is None:
            continue
        if problem := _time_problem(number, time_us):
            raise CaptureError(path, problem)
        if repeats.repeated(found[3]):
            stats.repeated_datagrams += 1
            continue
        stats.first_time = time_us if stats.first_time is None else min(stats.first_time, time_us)
        stats.last_time = time_us if stats.last_time is None else max(stats.last_time, time_us)
        stats.count_cut(int(found[0]))
        stats.count_cut_fragments(found[0], fragments)
        stats.datagrams += 1
        if found[1]:
            stats.count_ports([found[2]], [1])
        for piece in found[1]:
            pieces.append(piece)
            offsets.append(size)
            packets.append(number)
            times.append(time_us)
            size += len(piece)
        if size >= chunk_bytes:
            yield _joined(file_index, pieces, offsets, packets, times)
            pieces, offsets, packets, times, size = [], [], [], [], 0
    stats.packets = number - stats.empty_records
    if stats.unread_links and sum(stats.unread_links.values()) == stats.packets:
        # every packet on interfaces of link types not read: the file's link type is wrong, as a
        # pcap's header giving one is refused (a capture on the wrong interface)
        raise CaptureError(path, f"{_link_problem(min(stats.unread_links))}; none of its packets is of another")
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
    mapped: Mapped,
    link: int,
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    file_index: int,
    chunk_bytes: int,
    carried: StreamState,
) -> Iterator[Chunk]:
    """The payload of a mapped capture, walked and classified a window of file at a time
    (FIRST_WINDOW_BYTES, doubling up to WINDOW_BYTES), the pages ahead of the walk brought in
    by a thread (ReadAhead). A record that does not fit in the file (the file cut short) is a
    CaptureError naming it."""
    size = len(mapped.data)
    # one buffer for the whole file, as large as a chunk can be: grown chunk by chunk, each larger
    # buffer was new memory the kernel had to map and zero again (a 1 GB contact's first five
    # chunks, 8 to 64 MiB, took 0.125 s to gather instead of 0.04 s, 2026-12-04)
    buffer = np.empty(HEADROOM + min(chunk_bytes, size), np.uint8)
    at, before = GLOBAL_HEADER, 0
    window = min(FIRST_WINDOW_BYTES, WINDOW_BYTES)
    with contextlib.closing(mapped), unchanged_while_read(path, mapped.fd), ReadAhead(mapped.data) as ahead:
        while at < size:
            ahead.reached(at)
            stop = at + window
            window = min(2 * window, WINDOW_BYTES)
            records, end = walk_records(mapped, at, stop, WINDOW_RECORDS)
            pieces = _pieces(records, before, link, path, fmt, stats, carried)
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
            if end < min(stop, size) and len(records.heads) < WINDOW_RECORDS:  # at a record that does not fit
                raise CaptureError(path, _cut_short(mapped, end, before + 1))
            at = end
    stats.packets = before - stats.empty_records


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


def _pieces(
    records: Records,
    first: int,
    link: int,
    path: Path,
    fmt: CaptureFormat,
    stats: FileStats,
    carried: StreamState,
) -> _Pieces:
    """The payload pieces of `records` (record `first` of the file onwards); fill `stats`."""
    fragments, repeats = carried.fragments, carried.repeats
    plain = read_plain(records, *LINK_LAYOUTS[link], fmt)
    times = records.times_us()
    udp, truncated = plain.udp, plain.truncated
    has = plain.payload_length > 0
    # read once: `starts` is computed over the whole window at each read, which made a window of
    # small records that are not plain datagrams (other traffic, fragments) quadratic
    starts, lengths = records.starts, records.lengths
    originals = records.original_lengths()
    # a record of no bytes of no packet (a file's zero-filled end reads as such records) is none:
    # left out here at once, not read one by one (4 µs each)
    nothing = (lengths == 0) & (originals == 0)
    stats.empty_records += int(np.count_nonzero(nothing))
    # the first record whose time is impossible (`_check_fraction`), refused where dpkt's reader,
    # reading record by record, refuses it: after any earlier record it cannot read, before any later one
    fractions = records.fractions()
    over = np.flatnonzero(fractions >= _per_second(records.nano))
    bad_time = int(over[0]) if len(over) else None
    parsed: dict[int, Datagram] = {}  # the records dpkt read that hold a datagram of the downlink
    for record in np.flatnonzero(~plain.plain & ~nothing):
        if bad_time is not None and record > bad_time:
            break
        start = int(starts[record])
        frame = records.data[start : start + int(lengths[record])].tobytes()
        whole = bool(lengths[record] >= originals[record])
        found = _parsed(frame, link, fmt, path, first + int(record) + 1, fragments, whole)
        if found is None:
            continue
        udp[record], truncated[record] = True, found[0]
        stats.count_cut_fragments(found[0], fragments)
        parsed[int(record)] = found
    if bad_time is not None:
        _check_fraction(int(fractions[bad_time]), records.nano, first + bad_time + 1, path)
    repeat = _repeated(records, plain, parsed, repeats)
    if len(repeat):
        stats.repeated_datagrams += len(repeat)
        udp[repeat], truncated[repeat], has[repeat] = False, False, False
        for copy in repeat.tolist():
            parsed.pop(copy, None)
    ports, times_seen = np.unique(plain.port[has], return_counts=True)
    stats.count_ports(ports.tolist(), times_seen.tolist())
    piece_record = [np.flatnonzero(has)]
    piece_at = [plain.payload_at[has]]
    piece_length = [plain.payload_length[has]]
    extra: list[bytes] = []
    for index, found in parsed.items():
        if found[1]:
            stats.count_ports([found[2]], [1])
        for piece in found[1]:
            piece_record.append(np.array([index], np.int64))
            piece_at.append(np.array([-1 - len(extra)], np.int64))
            piece_length.append(np.array([len(piece)], np.int64))
            extra.append(piece)
    seen = times[udp]
    if len(seen):  # the earliest and the latest: records need not be in time order
        earliest, latest = int(seen.min()), int(seen.max())
        stats.first_time = earliest if stats.first_time is None else min(stats.first_time, earliest)
        stats.last_time = latest if stats.last_time is None else max(stats.last_time, latest)
    stats.count_cut(int(truncated.sum()))
    stats.datagrams += int(udp.sum())
    owner = np.concatenate(piece_record)
    order = np.argsort(owner, kind="stable")
    owner = owner[order]
    return _Pieces(
        owner + first, np.concatenate(piece_at)[order], np.concatenate(piece_length)[order], times[owner], extra
    )


def _repeated(records: Records, plain: Plain, parsed: dict[int, Datagram], repeats: Repeats) -> I64:
    """The records of a window whose datagram repeats the one before it in its flow (repeats.py):
    the plain records' datagrams read where they lie in the mapped file, dpkt's as it read them."""
    held = np.flatnonzero(plain.udp)  # the plain datagrams, and dpkt's (marked as it read them)
    if not len(held):
        return held
    data, at, size = records.data, plain.udp_at[held], plain.udp_size[held].copy()
    mapped = plain.plain[held]
    # a plain record holds its UDP header and the VITA-49 header word (read_plain's shape)
    flows = np.where(mapped, uints_at(data, at, 4), -1)
    end = np.where(mapped, at + size, HEAD)  # inside the file for dpkt's records too (set below)
    marks = _marks(*(uints_at(data, offsets, 4) for offsets in (at + 4, at + 8, end - 8, end - 4)))
    whole = mapped.copy()
    for k in np.flatnonzero(~mapped).tolist():
        read = parsed[int(held[k])][3]
        size[k] = len(read)
        flows[k] = int.from_bytes(read[:4], "big") if len(read) >= 4 else -1
        whole[k] = len(read) >= HEAD
        if whole[k]:
            words = (int.from_bytes(read[i : i + 4], "big") for i in (4, 8, len(read) - 8, len(read) - 4))
            marks[k] = _marks(*(np.array([w], np.int64) for w in words))[0]

    def datagram(k: int) -> bytes:
        if mapped[k]:
            return data[int(at[k]) : int(at[k]) + int(size[k])].tobytes()
        return parsed[int(held[k])][3]

    return held[repeats.repeated_in(flows, marks, size, whole, datagram)]


_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd 64-bit constant (2^64 / the golden ratio): spreads the bits


def _marks(length_sum: I64, vita: I64, tail_high: I64, tail_low: I64) -> I64:
    """What a datagram's copy must share with it, in one integer per datagram: its UDP length
    and checksum, its VITA-49 header word (the packet count) and its last 8 bytes, mixed.
    Datagrams of different marks differ; of equal marks they are compared whole (repeats.py),
    so a sender that never counts its packets costs a comparison only where the ends agree."""
    head = (length_sum.astype(np.uint64) << np.uint64(32)) | vita.astype(np.uint64)
    tail = (tail_high.astype(np.uint64) << np.uint64(32)) | tail_low.astype(np.uint64)
    with np.errstate(over="ignore"):
        return (head ^ (tail * _MIX)).view(np.int64)


def _per_second(nano: bool) -> int:
    return 1_000_000_000 if nano else 1_000_000


def _check_fraction(fraction: int, nano: bool, number: int, path: Path) -> None:
    """Record `number`'s fraction of a second, in nanoseconds if `nano` (else microseconds), refused
    when it is a second or more: no capture writes one, and added as it was, a microsecond field
    of 3,999,999,999 moved a packet 66 minutes on (and a contact near midnight into the next
    day's partition) without a word."""
    per_second = _per_second(nano)
    if fraction >= per_second:
        raise CaptureError(
            path,
            f"record {number}: its capture time's fraction of a second is {fraction} {'ns' if nano else 'µs'}, a "
            f"second or more (at most {per_second - 1})",
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
