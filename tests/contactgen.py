"""Synthetic contacts, exact to the byte: CADUs -> VITA-49 -> UDP/IP/Ethernet -> pcap.

Every test contact is built from a list of frames the test states, so each
expectation (frames, gaps, duplicates, corrupt frames, the bytes of each
virtual channel's stream) follows from the test's own inputs, never from the
processor under test. dpkt builds the network headers and the pcap records.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dpkt

ASM = bytes.fromhex("1ACFFC1D")
CADU = 1024
EPOCH = 1_764_547_200  # 2025-12-01T00:00:00Z
PORT = 55888


@dataclass(frozen=True)
class Frame:
    """One CADU as the satellite sent it; `version` other than 1 makes its header corrupt."""

    count: int
    vc: int = 0
    spacecraft: int = 157
    version: int = 1
    replay: bool = False  # a recorder's playback (the signalling field's replay flag)
    cycle: int | None = None  # the frame count cycle, in use: `count` then counts to 2^28

    def header(self) -> bytes:
        """AOS primary header: a spacecraft id past 255 puts its 2 high bits in the signalling
        field's bits 2-3 (CCSDS 732.0-B-5; 00 below 256, as every earlier issue has it), beside
        the replay flag (bit 0), the frame count usage flag (1) and the cycle (4-7)."""
        word = (self.version << 14) | ((self.spacecraft & 0xFF) << 6) | self.vc
        count = self.count % (1 << 24)
        cycle = (self.count >> 24) % 16 if self.cycle is None else self.cycle
        used = self.cycle is not None or self.count >= 1 << 24
        signalling = (self.replay << 7) | (used << 6) | ((self.spacecraft >> 8) << 4) | (cycle if used else 0)
        return struct.pack(">H", word) + count.to_bytes(3, "big") + bytes([signalling])

    def bytes(self, length: int = CADU) -> bytes:
        """ASM + header + a fill that depends on the frame (never forms the ASM)."""
        fill = bytes([0x20 + (self.count * 7 + self.vc) % 0x60]) * (length - len(ASM) - 6)
        return ASM + self.header() + fill


def frames(counts: Iterable[int], vc: int = 0, spacecraft: int = 157) -> list[Frame]:
    return [Frame(c, vc, spacecraft) for c in counts]


def vita49(
    payload: bytes, kind: int = 1, count: int = 0, trailer: bool = False, class_id: bool = True, padded: bool = False
) -> bytes:
    """One VITA-49 data packet: header word, stream id (types 1, 3), class id, integer and
    fractional timestamps, payload padded to 32-bit words, optional trailer. `padded`: a payload
    of any length, filled to a whole word with the pad bits the class id's first word counts."""
    pad = -len(payload) % 4
    body = payload + b"\x00" * pad
    words = 1 + (1 if kind in (1, 3) else 0) + (2 if class_id else 0) + 3 + len(body) // 4 + (1 if trailer else 0)
    word0 = (kind << 28) | (int(class_id) << 27) | (int(trailer) << 26) | (1 << 22) | (2 << 20) | ((count % 16) << 16)
    out = struct.pack(">I", word0 | words)
    if kind in (1, 3):
        out += struct.pack(">I", 0x0000_0001)
    if class_id:
        out += struct.pack(">II", (8 * pad) << 27 | 0x00_12_34_56, 0x0001_0002)
    out += struct.pack(">IQ", EPOCH, 0)
    assert padded or not pad, "payload pieces are whole words in these contacts"
    return out + body + (struct.pack(">I", 0) if trailer else b"")


def datagram(payload: bytes, port: int = PORT) -> bytes:
    udp = dpkt.udp.UDP(sport=50000, dport=port, data=payload)
    udp.ulen = 8 + len(payload)
    ip = dpkt.ip.IP(src=bytes([10, 0, 0, 1]), dst=bytes([10, 0, 0, 2]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
    ip.len = 20 + udp.ulen
    eth = dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
    return bytes(eth)


def ip_udp(payload: bytes, version: int = 4, port: int = PORT) -> dpkt.Packet:
    """An IPv4 or IPv6 packet holding one UDP datagram of `payload` (no link-layer header)."""
    udp = dpkt.udp.UDP(sport=50000, dport=port, data=payload)
    udp.ulen = 8 + len(payload)
    if version == 6:
        ip6 = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=17, hlim=64, data=udp)
        ip6.plen = udp.ulen
        return ip6
    ip = dpkt.ip.IP(src=bytes([10, 0, 0, 1]), dst=bytes([10, 0, 0, 2]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
    ip.len = 20 + udp.ulen
    return ip


def ethernet(packet: bytes, version: int = 4) -> bytes:
    kind = dpkt.ethernet.ETH_TYPE_IP6 if version == 6 else dpkt.ethernet.ETH_TYPE_IP
    return b"\x04" * 6 + b"\x02" * 6 + struct.pack(">H", kind) + packet


def fragments(payload: bytes, ident: int, size: int = 1480, version: int = 4) -> list[bytes]:
    """The UDP datagram of `payload` as Ethernet frames of IP fragments of `size` bytes of IP
    payload each (a multiple of 8), offsets in 8-byte units as RFC 791 and RFC 8200 count them."""
    whole = ip_udp(payload, version)
    carried = bytes(whole.data)
    out = []
    for at in range(0, len(carried), size):
        part = carried[at : at + size]
        more = at + size < len(carried)
        if version == 6:
            header = struct.pack(">BBHI", 17, 0, (at // 8) << 3 | more, ident)
            ip6 = dpkt.ip6.IP6(src=whole.src, dst=whole.dst, nxt=44, hlim=64, plen=8 + len(part))
            out.append(ethernet(ip6.pack_hdr() + header + part, 6))
        else:
            ip = dpkt.ip.IP(src=whole.src, dst=whole.dst, p=dpkt.ip.IP_PROTO_UDP, id=ident, data=part)
            ip.offset, ip.mf, ip.len = at // 8, int(more), 20 + len(part)
            out.append(ethernet(bytes(ip)))
    return out


def write_records(path: Path, records: list[tuple[int, bytes]] | list[tuple[int, bytes, int]], link: int = 1) -> Path:
    """A pcap of (time in microseconds, record bytes[, the packet's original length, where the
    capture cut it]) with link type `link`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = dpkt.pcap.Writer(stream, linktype=link, snaplen=65535)
        for time_us, record, *original in records:
            sec, micros = divmod(time_us, 1_000_000)
            length = original[0] if original else len(record)
            stream.write(struct.pack("<IIII", sec, micros, len(record), length) + record)
        del writer
    return path


def write_pcapng(
    path: Path, records: list[tuple[int, bytes, int]], links: tuple[int, ...] = (1,), resolution: int = 6
) -> Path:
    """A pcapng of (time in units of 10**-resolution s, record bytes, interface), one interface
    per link type in `links`, each with that time resolution (if_tsresol)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = [dpkt.pcapng.PcapngOptionLE(code=9, data=bytes([resolution])), dpkt.pcapng.PcapngOptionLE(code=0)]
    interfaces = [dpkt.pcapng.InterfaceDescriptionBlockLE(snaplen=65535, linktype=link, opts=options) for link in links]
    with path.open("wb") as stream:
        writer = dpkt.pcapng.Writer(stream, idb=interfaces)
        for stamp, record, interface in records:
            writer.writepkt(
                dpkt.pcapng.EnhancedPacketBlockLE(
                    pkt_data=record,
                    ts_high=stamp >> 32,
                    ts_low=stamp & 0xFFFFFFFF,
                    caplen=len(record),
                    pkt_len=len(record),
                    iface_id=interface,
                )
            )
    return path


def split(stream: bytes, size: int) -> Iterator[bytes]:
    for at in range(0, len(stream), size):
        yield stream[at : at + size]


@dataclass
class Packet:
    """One captured datagram: `keep` bytes of it are captured (a truncated packet) when set."""

    payload: bytes
    time_us: int
    keep: int | None = None
    port: int = PORT


@dataclass
class Capture:
    packets: list[Packet] = field(default_factory=list)

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as stream:
            writer = dpkt.pcap.Writer(stream, nano=False)
            for p in self.packets:
                raw = datagram(p.payload, p.port)
                if p.keep is not None:
                    raw = raw[: 14 + 20 + 8 + p.keep]
                writer.writepkt(raw, ts=p.time_us / 1e6)
        return path


def packetise(
    stream: bytes,
    piece: int,
    start_us: int,
    step_us: int = 1000,
    per_datagram: int = 1,
    order: Sequence[int] | None = None,
) -> list[Packet]:
    """The stream cut into `piece`-byte VITA-49 payloads, `per_datagram` of them per datagram;
    with `order`, the payloads are captured in that order of their numbers (from 0; every one
    once): the datagrams of a capture that arrived out of order, dated as they were captured."""
    pieces = [vita49(p, count=i) for i, p in enumerate(split(stream, piece))]
    if order is not None:
        assert sorted(order) == list(range(len(pieces))), "order names every piece once"
        pieces = [pieces[i] for i in order]
    return [
        Packet(b"".join(pieces[i : i + per_datagram]), start_us + (i // per_datagram) * step_us)
        for i in range(0, len(pieces), per_datagram)
    ]


# The CCSDS pseudo-randomizer's sequence as CCSDS 131.0-B prints its start (hex FF 48 0E C0 9A
# 0D 70 BC ...), made here by a register held in one integer, apart from the processor's.
def pseudo_random(length: int) -> bytes:
    out, state = bytearray(), 0xFF
    for _ in range(length):
        byte = 0
        for _ in range(8):
            bit = (state >> 7) & 1  # x^8 + x^7 + x^5 + x^3 + 1, shifted out high bit first
            byte = (byte << 1) | bit
            feedback = bit ^ ((state >> 4) & 1) ^ ((state >> 2) & 1) ^ (state & 1)
            state = ((state << 1) & 0xFF) | feedback
        out.append(byte)
    return bytes(out)


def randomized(cadu: bytes) -> bytes:
    """A CADU as a sender with the pseudo-randomizer puts it on the link: every byte after the
    sync marker added to the sequence, the sequence begun afresh at each frame."""
    body = cadu[len(ASM) :]
    return ASM + bytes(a ^ b for a, b in zip(body, pseudo_random(len(body)), strict=True))


def stream_of(items: Iterable[Frame | bytes]) -> bytes:
    return b"".join(i if isinstance(i, bytes) else i.bytes() for i in items)


def raw_dir(root: Path, satellite: str = "noaa20", day: tuple[int, int, int] = (2025, 12, 1)) -> Path:
    year, month, dd = day
    return root / "contacts" / f"year={year}" / f"month={month:02d}" / f"day={dd:02d}" / f"satellite={satellite}"


CONTACT_A = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1"
CONTACT_B = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def contact_file(directory: Path, contact_id: str, number: int) -> Path:
    return directory / f"noaa20_{contact_id}_{number:04d}.pcap"


def demo_contact(root: Path) -> list[Path]:
    """The `make demo` delivery: two contacts of one day, with a gap, a duplicate, a corrupt
    header, a truncated packet and a second virtual channel; returns the files written."""
    directory = raw_dir(root)
    first = [*frames(range(200)), *frames(range(205, 300)), Frame(300, version=0), *frames(range(301, 400))]
    first[50:50] = [first[49]]  # frame 49 sent twice
    channel = frames(range(1000, 1100), vc=6)
    mixed = [f for pair in zip(first[:100], channel, strict=True) for f in pair] + first[100:]
    packets = packetise(stream_of(mixed), 4096, START_DEMO)
    packets[120].keep = 1500
    half = len(packets) // 2
    written = [Capture(packets[:half]).write(contact_file(directory, CONTACT_A, 1))]
    written.append(Capture(packets[half:]).write(contact_file(directory, CONTACT_A, 2)))
    later = packetise(stream_of(frames(range(50))), 4096, START_DEMO + 6 * 3600 * 1_000_000)
    written.append(Capture(later).write(contact_file(directory, CONTACT_B, 1)))
    return written


START_DEMO = (EPOCH + 9 * 3600) * 1_000_000


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m tests.contactgen RAW_DIR`: write the demo delivery under RAW_DIR."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m tests.contactgen",
        description="Write the `make demo` delivery (two synthetic contacts) under RAW_DIR.",
    )
    parser.add_argument("raw_dir", metavar="RAW_DIR", type=Path, help="where the delivery's capture files go")
    args = parser.parse_args(argv)  # --help, or no RAW_DIR: usage, and no directory made
    existed = args.raw_dir.exists()
    before = set(args.raw_dir.rglob("*")) if existed else set()
    try:
        written = demo_contact(args.raw_dir)
    except OSError as error:  # a full disk: a capture cut short is no delivery to process
        made = set(args.raw_dir.rglob("*")) | ({args.raw_dir} if not existed else set())
        for path in sorted(made - before, key=lambda p: len(p.parts), reverse=True):  # deepest first
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
        where = error.filename or args.raw_dir
        print(f"python -m tests.contactgen: cannot write {where} ({error.strerror or error})", file=sys.stderr)
        return 2
    try:
        for path in written:
            print(f"wrote {path}", flush=True)
    except BrokenPipeError:  # `make demo | head -1`: the reader left; the files are written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command its pipe's SIGPIPE stopped
    except OSError as error:  # `make demo > /dev/full`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print(f"python -m tests.contactgen: cannot write to standard output ({error.strerror})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
