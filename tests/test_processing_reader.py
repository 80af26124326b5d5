"""The capture reader's array path gives what dpkt gives, record for record.

read_capture locates the payload of plain records (Ethernet or raw IP, IPv4 without
options, UDP, one VITA-49 packet) with array operations and hands every other record
to dpkt. Each capture below mixes plain records with the shapes that must go to dpkt;
the expectation is dpkt reading the whole file (`_read_with_dpkt`), the library
reference, never the array path itself.
"""

from __future__ import annotations

import struct
from decimal import Decimal
from pathlib import Path
from typing import Any

import dpkt
import pytest

from groundlink.processing import capture
from groundlink.processing.capture import FileStats, read_capture
from groundlink.processing.config import CaptureFormat
from groundlink.processing.errors import CaptureError
from groundlink.processing.repeats import Repeats
from tests.contactgen import EPOCH, PORT, datagram, frames, stream_of, vita49

START = EPOCH + 0.25


def _ip_udp(payload: bytes, port: int = PORT) -> dpkt.ip.IP:
    udp = dpkt.udp.UDP(sport=50000, dport=port, data=payload)
    udp.ulen = 8 + len(payload)
    ip = dpkt.ip.IP(src=bytes([10, 0, 0, 1]), dst=bytes([10, 0, 0, 2]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
    ip.len = 20 + udp.ulen
    return ip


def _vlan(payload: bytes) -> bytes:
    """An 802.1Q-tagged frame: the EtherType is not IPv4 at byte 12."""
    ip = bytes(_ip_udp(payload))
    return b"\x04" * 6 + b"\x02" * 6 + struct.pack(">HHH", 0x8100, 7, 0x0800) + ip


def _ipv6(payload: bytes) -> bytes:
    udp = dpkt.udp.UDP(sport=50000, dport=PORT, data=payload, ulen=8 + len(payload))
    ip6 = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=17, hlim=64, data=udp)
    ip6.plen = len(bytes(udp))
    eth = dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, type=dpkt.ethernet.ETH_TYPE_IP6, data=ip6)
    return bytes(eth)


def _ip_options(payload: bytes) -> bytes:
    ip = _ip_udp(payload)
    ip.opts = b"\x01\x01\x01\x00"  # two no-ops and an end of options
    ip.hl = 6
    ip.len += 4
    eth = dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
    return bytes(eth)


def _tcp(payload: bytes) -> bytes:
    tcp = dpkt.tcp.TCP(sport=1, dport=PORT, data=payload)
    ip = dpkt.ip.IP(src=bytes([10, 0, 0, 1]), dst=bytes([10, 0, 0, 2]), p=dpkt.ip.IP_PROTO_TCP, data=tcp)
    eth = dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
    return bytes(eth)


def _records() -> list[bytes]:
    """Ethernet records of every shape, in an order that interleaves them with plain runs."""
    stream = stream_of(frames(range(40)))
    pieces = [stream[at : at + 1000] for at in range(0, len(stream), 1000)]
    plain = [datagram(vita49(p)) for p in pieces]
    odd = [
        datagram(vita49(pieces[0]) + vita49(pieces[1], kind=3, trailer=True)),  # two VITA-49 packets
        Cut(datagram(vita49(pieces[2])), 300),  # a truncated packet (plain: dpkt reads what is there)
        datagram(vita49(pieces[3], kind=4)),  # a context packet: no payload
        datagram(vita49(pieces[4], class_id=False, kind=0)),  # no stream id, no class id
        datagram(vita49(pieces[5]), port=9999),  # another port
        _vlan(vita49(pieces[6])),
        _ipv6(vita49(pieces[7])),
        _ip_options(vita49(pieces[8])),
        _tcp(vita49(pieces[9])),
        datagram(b"\x00\x01"),  # a datagram too short for a VITA-49 header
        Cut(datagram(vita49(pieces[10])), 30),  # cut inside the IP header
    ]
    out = plain[:10]
    for k, record in enumerate(odd):
        out += [record, *plain[10 + 2 * k : 12 + 2 * k]]
    return out


class Cut(bytes):
    """A record's bytes that the capture cut from a longer packet: written with the packet's
    original length, as a snap length leaves it."""

    original: int

    def __new__(cls, packet: bytes, keep: int) -> Cut:
        cut = super().__new__(cls, packet[:keep])
        cut.original = len(packet)
        return cut


def _write(path: Path, records: list[bytes], nano: bool = False, linktype: int = 1) -> Path:
    with path.open("wb") as stream:
        writer = dpkt.pcap.Writer(stream, nano=nano, linktype=linktype, snaplen=65535)
        for k, record in enumerate(records):
            ts = Decimal(START) + Decimal(k * 1000 + 500) / Decimal(10**9) if nano else START + k * 0.001
            if isinstance(record, Cut):  # dpkt's writer gives every packet its record's length
                sec, fraction = int(ts), dpkt.compat.intround(ts % 1 * writer._precision_multiplier)
                stream.write(writer._pack_hdr(sec, fraction, len(record), record.original) + record)
            else:
                writer.writepkt(record, ts=ts)
    return path


def _big_endian(path: Path, records: list[bytes]) -> Path:
    out = [struct.pack(">IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for k, record in enumerate(records):
        out.append(struct.pack(">IIII", EPOCH + k, 7 * k, len(record), len(record)) + record)
    path.write_bytes(b"".join(out))
    return path


def _read(path: Path, fmt: CaptureFormat, chunk_bytes: int, *, with_dpkt: bool) -> tuple[Any, ...]:
    """The file's payload bytes, where each piece starts, its packet and time, and the file's stats."""
    stats = FileStats(path, path.stat().st_size)
    with path.open("rb") as stream:
        reader, reads = capture._open_reader(stream, path)
        carried = capture.StreamState(capture.Fragments(), Repeats())  # the file's own, as read_capture's alone
        if with_dpkt:
            chunks = capture._read_with_dpkt(
                reader, reads, reader.datalink(), path, fmt, stats, 0, chunk_bytes, carried
            )
        else:
            chunks = read_capture(path, fmt, stats, 0, chunk_bytes)
        data, starts, packets, times = b"", [], [], []
        for chunk in chunks:  # a chunk is valid until the next one is asked for
            starts += (chunk.offsets + len(data)).tolist()
            data += chunk.data.tobytes()
            packets += chunk.packets.tolist()
            times += chunk.times.tolist()
    if with_dpkt:
        stats.count_incomplete(carried.fragments)
    counts = (stats.packets, stats.truncated_packets, stats.repeated_datagrams, stats.first_time, stats.last_time)
    return data, starts, packets, times, counts


def _same_as_dpkt(path: Path, fmt: CaptureFormat | None = None, chunk_bytes: int = 5000) -> tuple[Any, ...]:
    fmt = fmt or CaptureFormat()
    mapped = _read(path, fmt, chunk_bytes, with_dpkt=False)
    reference = _read(path, fmt, chunk_bytes, with_dpkt=True)
    assert mapped == reference
    assert len(mapped[0]) > 10_000  # the capture's payload came through
    return mapped


def test_every_record_shape_reads_as_dpkt_reads_it(tmp_path: Path) -> None:
    _, _, packets, _, (count, truncated, repeated, first, _) = _same_as_dpkt(_write(tmp_path / "c.pcap", _records()))

    assert count == len(_records()) and truncated >= 1 and repeated == 0
    assert first == round(START * 1e6) and packets[0] == 1


def test_records_of_every_shape_recorded_twice_read_as_once_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each record followed by its copy (repeats.py), in windows that end between a datagram and
    its copy too: both paths leave every copy of the downlink's datagrams out alike."""
    monkeypatch.setattr(capture, "WINDOW_BYTES", 3000)
    once = _same_as_dpkt(_write(tmp_path / "once.pcap", _records()))
    twice = _same_as_dpkt(_write(tmp_path / "twice.pcap", [r for record in _records() for r in (record, record)]))

    assert twice[0] == once[0]  # the same payload bytes
    packets, truncated, repeated = twice[4][:3]
    # every datagram with its UDP header and VITA-49 word whole has its copy left out (the other
    # port's too: no --udp-port reads every port); not the TCP packet, the datagram too short for
    # a VITA-49 word, nor the record cut inside its IP header, which holds no UDP bytes to tell a
    # copy by and is one more truncated packet
    assert (packets, truncated, repeated) == (2 * once[4][0], once[4][1] + 1, len(_records()) - 3)


def test_a_file_classified_in_small_windows_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(capture, "WINDOW_BYTES", 3000)  # a window ends every few records, and inside them
    _, _, packets, _, (count, *_) = _same_as_dpkt(_write(tmp_path / "c.pcap", _records()), chunk_bytes=1 << 20)

    assert count == len(_records()) and packets[-1] == count


def test_the_walk_starts_with_a_small_window_and_doubles_it_to_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold file's walk waits for the disk until its window has arrived: the first window is
    small so processing starts early, and the windows double up to WINDOW_BYTES (which bounds
    the per-record arrays), reading what one window reads."""
    monkeypatch.setattr(capture, "FIRST_WINDOW_BYTES", 1000)
    monkeypatch.setattr(capture, "WINDOW_BYTES", 5000)
    asked: list[int] = []
    walk = capture.walk_records

    def recording(mapped: Any, at: int, stop: int, most: int | None = None) -> Any:
        asked.append(stop - at)
        return walk(mapped, at, stop, most)

    monkeypatch.setattr(capture, "walk_records", recording)
    path = _write(tmp_path / "c.pcap", _records())
    _, _, packets, _, (count, *_) = _same_as_dpkt(path, chunk_bytes=1 << 20)

    assert asked[:4] == [1000, 2000, 4000, 5000] and set(asked[3:]) == {5000}
    assert count == len(_records()) and packets[-1] == count


def test_port_filter_and_payload_types_are_applied_alike(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.pcap", _records())
    _same_as_dpkt(path, CaptureFormat(udp_ports=frozenset({PORT}), vrt_data_types=frozenset({1})))


def test_nanosecond_big_endian_and_raw_ip_captures_read_as_dpkt_reads_them(tmp_path: Path) -> None:
    stream = stream_of(frames(range(30)))
    plain = [datagram(vita49(stream[at : at + 2000])) for at in range(0, len(stream), 2000)]
    _same_as_dpkt(_write(tmp_path / "nano.pcap", plain, nano=True))
    _same_as_dpkt(_big_endian(tmp_path / "big.pcap", plain))
    raw_ip = [record[14:] for record in plain]
    _same_as_dpkt(_write(tmp_path / "raw.pcap", raw_ip, linktype=101))


def test_plain_captures_never_build_a_dpkt_packet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = stream_of(frames(range(30)))
    path = _write(tmp_path / "c.pcap", [datagram(vita49(stream[at : at + 4096])) for at in range(0, len(stream), 4096)])

    def refuse(*_: object) -> None:
        raise AssertionError("a plain record went through dpkt")

    monkeypatch.setattr(capture, "_datagram", refuse)
    stats = FileStats(path, path.stat().st_size)
    data = b"".join(c.data.tobytes() for c in read_capture(path, CaptureFormat(), stats, 0, 1 << 20))

    assert data == stream


def error_on_both_paths(path: Path, fmt: CaptureFormat | None = None) -> str:
    """The one CaptureError line reading `path` raises, the same on the mapped path and dpkt's."""
    messages = []
    for with_dpkt in (False, True):
        with pytest.raises(CaptureError) as error:
            _read(path, fmt or CaptureFormat(), 5000, with_dpkt=with_dpkt)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    return messages[0]


@pytest.mark.parametrize(
    ("record", "ending"),
    [
        (
            datagram(struct.pack(">I", 1 << 28) + bytes(40)),
            "packet 16: VITA-49 header at byte 0 gives size 0, which no VITA-49 packet has: a datagram of other "
            "traffic? give the dataflow's port (--udp-port, processing.capture.udp_ports)",
        ),
    ],
)
def test_a_bad_record_is_the_same_error_on_both_paths(tmp_path: Path, record: bytes, ending: str) -> None:
    records = _records()
    records[15] = record
    path = _write(tmp_path / "c.pcap", records)

    assert error_on_both_paths(path).endswith(ending)


def test_a_size_0_vita_header_on_the_dataflows_own_port_is_not_told_to_give_the_port(tmp_path: Path) -> None:
    """With udp_ports given, the datagram is the dataflow's: its header is corrupt, and asking for
    the port the user already gave would send them looking in the wrong place."""
    records = _records()
    records[15] = datagram(struct.pack(">I", 1 << 28) + bytes(40))
    path = _write(tmp_path / "c.pcap", records)

    line = error_on_both_paths(path, CaptureFormat(udp_ports=frozenset({PORT})))

    assert line.endswith(
        "packet 16: VITA-49 header at byte 0 gives size 0, which no VITA-49 packet has: a corrupt header on the "
        "dataflow's own port"
    )


def test_a_record_cut_inside_its_ethernet_header_is_one_truncated_packet_on_both_paths(tmp_path: Path) -> None:
    records = _records()
    whole = _same_as_dpkt(_write(tmp_path / "whole.pcap", records))[4][1]
    records[15] = Cut(records[15], 10)  # a snap length of 10 bytes: not even the EtherType
    path = _write(tmp_path / "c.pcap", records)

    packets, truncated, *_ = _same_as_dpkt(path)[4]

    assert (packets, truncated) == (len(records), whole + 1)
