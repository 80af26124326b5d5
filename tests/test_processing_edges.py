"""The contact processor at the edges of its inputs: file order and discovery, capture times,
link types and pcapng's blocks, IP fragments, a wrong CADU length. Each test builds its
capture from frames it states (tests/contactgen.py) and expects what those frames give."""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

import dpkt
import pyarrow.parquet as pq
import pytest

from groundlink.cli import main
from groundlink.processing.capture import FileStats, read_capture
from groundlink.processing.config import CaptureFormat
from groundlink.processing.errors import CaptureError
from groundlink.processing.processor import discover, process_contact
from tests.contactgen import (
    CADU,
    CONTACT_A,
    CONTACT_B,
    EPOCH,
    PORT,
    datagram,
    ethernet,
    fragments,
    frames,
    ip_udp,
    raw_dir,
    split,
    stream_of,
    vita49,
    write_pcapng,
    write_records,
)

START = EPOCH * 1_000_000
PART = "year=2025/month=12/day=01/satellite=noaa20"
STREAM = stream_of(frames(range(40)))


def _pieces(stream: bytes = STREAM, size: int = 4096) -> list[bytes]:
    return [vita49(p, count=k) for k, p in enumerate(split(stream, size))]


def _plain(stream: bytes = STREAM, start: int = START) -> list[tuple[int, bytes]]:
    return [(start + k * 1000, datagram(p)) for k, p in enumerate(_pieces(stream))]


def _name(contact: str, number: int, suffix: str = "pcap") -> str:
    return f"noaa20_{contact}_{number}.{suffix}"


def _process(raw: Path, out: Path) -> list[dict[str, object]]:
    return [process_contact(c, out) for c in discover(raw, CaptureFormat())]


def _stream(out: Path, contact: str = CONTACT_A) -> bytes:
    return (out / "frames" / PART / contact / "sc157-vc0.cadu").read_bytes()


def _read(path: Path) -> tuple[bytes, FileStats]:
    stats = FileStats(path, path.stat().st_size)
    data = b"".join(c.data.tobytes() for c in read_capture(path, CaptureFormat(), stats, 0, 1 << 20))
    return data, stats


def _cli(raw: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["process", str(raw), "--out", str(out)])
    return code, capsys.readouterr().err.splitlines()


# 1. file order


def test_files_in_sub_directories_are_read_in_the_order_of_their_numbers(tmp_path: Path) -> None:
    """`z/..._1` and `a/..._2`: ordered by full path, part 2 came first and part 1 was judged duplicate."""
    directory = raw_dir(tmp_path / "raw")
    write_records(directory / "z" / _name(CONTACT_A, 1), _plain(STREAM[: 20 * CADU]))
    write_records(directory / "a" / _name(CONTACT_A, 2), _plain(STREAM[20 * CADU :], START + 10_000))

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM
    assert (summary["ok_frames"], summary["duplicate_frames"]) == (40, 0)


# 2. capture times a products partition cannot hold


@pytest.mark.parametrize("high", [60_000_000, 0xFFFFFFFF])  # past year 9999; past int64 microseconds
def test_a_pcapng_time_past_year_9999_is_one_line_and_the_other_contacts_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], high: int
) -> None:
    directory = raw_dir(tmp_path / "raw")
    bad = write_pcapng(directory / _name(CONTACT_A, 1, "pcapng"), [(high << 32, r, 0) for _, r in _plain()])
    write_records(directory / _name(CONTACT_B, 1), _plain())

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 2
    assert err == [
        f"{bad}: record 1: capture time {(high << 32)} µs after 1970 is after year 9999",
        "groundlink: 1 of 2 contacts not written (above)",
    ]
    assert _stream(tmp_path / "out", CONTACT_B) == STREAM


def test_the_latest_pcap_time_dates_its_contact(tmp_path: Path) -> None:
    """A pcap's time is two 32-bit fields: at most 2106, always a date (the same class, checked)."""
    latest = (0xFFFFFFFF * 1_000_000) + 999_999
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), [(latest, datagram(_pieces()[0]))])
    (summary,) = _process(tmp_path / "raw", tmp_path / "out")
    assert summary["start_time"] == latest
    assert (tmp_path / "out" / "contact_summary" / "year=2106/month=02/day=07/satellite=noaa20").is_dir()


@pytest.mark.parametrize(("start", "day"), [(0, "1970-01-01"), (START, None)])
def test_a_contact_dated_where_athena_never_looks_is_written_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start: int, day: str | None
) -> None:
    """A capture clock never set dates its contact 1970: the products are written, but the AWS
    catalog projects only the years 2019-2100, so Athena would never see them, silently."""
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(start=start))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0
    if day is None:
        assert err == []
    else:
        assert err == [
            f"groundlink: contact {CONTACT_A}: dated {day} by its first datagram's capture time, outside the "
            "years the AWS catalog projects (2019-2100): Athena will not see it; check the capture clock"
        ]
        assert (tmp_path / "out" / "contact_summary" / "year=1970/month=01/day=01/satellite=noaa20").is_dir()


# 3. symbolic links


def test_a_linked_directory_is_followed_once_and_a_broken_link_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = raw_dir(tmp_path / "raw")
    elsewhere = tmp_path / "elsewhere"
    write_records(directory / _name(CONTACT_A, 1), _plain(STREAM[: 20 * CADU]))
    write_records(elsewhere / _name(CONTACT_A, 2), _plain(STREAM[20 * CADU :], START + 10_000))
    os.symlink(elsewhere, directory / "part-2")
    os.symlink(directory, directory / "again")  # a loop: read once, never twice
    write_records(directory / _name(CONTACT_B, 1), _plain())
    os.symlink(tmp_path / "gone.pcap", directory / _name(CONTACT_B, 2))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 2
    # one line each (a long line is cut in the middle, as every message is: its start and its reason stay)
    assert len(err) == 2 and err[1] == "groundlink: 1 of 2 contacts not written (above)"
    full = f"{directory / _name(CONTACT_B, 2)}: cannot read (broken symbolic link to {tmp_path / 'gone.pcap'})"
    head, _, tail = err[0].partition("…")
    assert err[0] == full or (full.startswith(head) and full.endswith(tail) and tail.endswith("gone.pcap)"))
    assert _stream(tmp_path / "out") == STREAM
    assert not (tmp_path / "out" / "frames" / PART / CONTACT_B).exists()


def test_a_loop_of_links_named_like_captures_is_said_as_a_loop_not_a_broken_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each link of a loop names a target that exists, so "broken symbolic link to" sent the
    user looking for a missing file; the system's reason is said, as for CONTACT_DIR."""
    directory = raw_dir(tmp_path / "raw")
    directory.mkdir(parents=True, exist_ok=True)
    first, second = directory / _name(CONTACT_B, 1), directory / _name(CONTACT_B, 2)
    os.symlink(second.name, first)
    os.symlink(first.name, second)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 2
    assert err == [
        f"{first}: cannot read (Too many levels of symbolic links)",
        f"{second}: cannot read (Too many levels of symbolic links)",
        "groundlink: 1 of 1 contacts not written (above)",
    ]


@pytest.mark.parametrize(
    ("make", "kind"),
    [(os.mkfifo, "a FIFO"), (lambda path: os.symlink("/dev/zero", path), "a character device")],
    ids=["fifo", "link-to-a-device"],
)
def test_a_capture_that_is_no_regular_file_fails_its_contact_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, kind: str
) -> None:
    """Named like a capture, a FIFO or a device is a file the delivery lost, not one to skip:
    its contact fails in one line saying what stands there, the other contact is written."""
    directory = raw_dir(tmp_path / "raw")
    write_records(directory / _name(CONTACT_A, 1), _plain())
    make(directory / _name(CONTACT_B, 1))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 2
    assert err == [
        f"{directory / _name(CONTACT_B, 1)}: cannot read (not a regular file: {kind})",
        "groundlink: 1 of 2 contacts not written (above)",
    ]
    assert _stream(tmp_path / "out") == STREAM
    assert not (tmp_path / "out" / "frames" / PART / CONTACT_B).exists()


# 4. raw IP carries IPv4 or IPv6


@pytest.mark.parametrize("link", [101, 12, 14])
def test_raw_ip_captures_may_carry_ipv6(tmp_path: Path, link: int) -> None:
    records = [(START + k * 1000, bytes(ip_udp(p, version=6 if k % 2 else 4))) for k, p in enumerate(_pieces())]
    data, stats = _read(write_records(tmp_path / "c.pcap", records, link=link))
    assert data == STREAM and stats.packets == len(records)


@pytest.mark.parametrize(("link", "version"), [(228, 4), (229, 6)], ids=["LINKTYPE_IPV4", "LINKTYPE_IPV6"])
def test_raw_ip_of_one_version_is_read_as_raw_ip(tmp_path: Path, link: int, version: int) -> None:
    """Link types 228 and 229 are raw IPv4 and raw IPv6 (dpkt.pcap DLT_IPV4, DLT_IPV6): a capture
    written with either was refused as neither Ethernet nor raw IP."""
    records = [(START + k * 1000, bytes(ip_udp(p, version=version))) for k, p in enumerate(_pieces())]
    data, stats = _read(write_records(tmp_path / "c.pcap", records, link=link))
    assert data == STREAM and stats.packets == len(records)


def _cooked(link: int, packet: bytes, ethertype: int) -> bytes:
    """`packet` behind the Linux cooked header of `link` (113: 16 bytes, 276: 20), as `tcpdump -i any` writes it."""
    if link == 113:  # packet type, ARPHRD_ETHER, address length, address, protocol
        return struct.pack(">HHH8sH", 0, 1, 6, b"\x02" * 6 + b"\x00\x00", ethertype) + packet
    return struct.pack(">HHiHBB8s", ethertype, 0, 3, 1, 0, 6, b"\x02" * 6 + b"\x00\x00") + packet


@pytest.mark.parametrize("link", [113, 276], ids=["LINUX_SLL", "LINUX_SLL2"])
def test_a_linux_cooked_capture_is_read_past_its_header(tmp_path: Path, link: int) -> None:
    """`tcpdump -i any` writes Linux cooked captures (113, version 2: 276), which were refused:
    IPv4 (the vectorised reader), IPv6, IPv4 fragments (dpkt's), and another protocol passed over."""
    pieces = _pieces()
    records = []
    for k, piece in enumerate(pieces):
        if k == 2:  # a datagram in two IPv4 fragments: each fragment's IP packet behind the header
            for fragment in fragments(piece, ident=7, size=2048):
                records.append((START + k * 1000, _cooked(link, fragment[14:], 0x0800)))
            continue
        version = 6 if k % 3 == 1 else 4
        records.append(
            (START + k * 1000, _cooked(link, bytes(ip_udp(piece, version=version)), 0x86DD if version == 6 else 0x0800))
        )
    records.insert(1, (START + 500, _cooked(link, b"\x00" * 28, 0x0806)))  # an ARP packet: no datagram
    data, stats = _read(write_records(tmp_path / "c.pcap", records, link=link))
    assert data == STREAM and stats.packets == len(records)
    assert stats.truncated_packets == 0


@pytest.mark.parametrize("tags", [1, 2], ids=["802.1Q", "QinQ"])
def test_a_linux_cooked_capture_holds_vlan_tags_where_its_protocol_stands(tmp_path: Path, tags: int) -> None:
    """libpcap writes a tagged packet into a version 1 cooked capture with the tag where the
    protocol field stands (TPID, TCI, then the protocol): read as no datagram at all, a mirror
    port's capture was an empty contact, exit 0."""
    records = []
    for k, piece in enumerate(_pieces()):
        version = 6 if k % 2 else 4
        inner = (0x86DD if version == 6 else 0x0800).to_bytes(2, "big")
        tagged = b"".join(struct.pack(">HH", 0x88A8 if t < tags - 1 else 0x8100, 100 + t) for t in range(tags))
        cooked = _cooked(113, b"", 0)[:14] + tagged + inner + bytes(ip_udp(piece, version=version))
        records.append((START + k * 1000, cooked))
    data, stats = _read(write_records(tmp_path / "c.pcap", records, link=113))
    assert data == STREAM and stats.packets == len(records) and stats.truncated_packets == 0


def test_a_capture_of_a_link_type_not_read_is_refused_naming_those_that_are(tmp_path: Path) -> None:
    from groundlink.processing.errors import CaptureError

    path = write_records(tmp_path / "c.pcap", [(START, b"\x00" * 40)], link=105)  # IEEE 802.11
    with pytest.raises(CaptureError) as refused:
        _read(path)
    assert str(refused.value) == (
        f"{path}: link type 105 is none groundlink reads: Ethernet (1), raw IP (12, 14, 101, 228, 229) or Linux "
        "cooked (113, 276)"
    )


def test_a_pcap_link_type_carrying_fcs_bits_is_read_by_its_link_type(tmp_path: Path) -> None:
    """The pcap header's LinkType field holds the link type in its low 16 bits, and whether each
    packet ends in a frame check sequence above them (draft-ietf-opsawg-pcap): Ethernet with a
    4-byte FCS (F bit 28, FCS length 2 sixteen-bit words in bits 29-31) was refused as "link type
    1342177281 is neither Ethernet (1) nor raw IP"."""
    records = [(START + k * 1000, datagram(p) + b"\xde\xad\xbe\xef") for k, p in enumerate(_pieces())]
    data, stats = _read(write_records(tmp_path / "c.pcap", records, link=1 | 1 << 28 | 2 << 29))
    assert data == STREAM and stats.packets == len(records)


@pytest.mark.parametrize("per_datagram", [1, 2], ids=["one-packet-a-datagram", "two-packets-a-datagram"])
def test_vita49_pad_bits_are_left_out_of_the_payload(tmp_path: Path, per_datagram: int) -> None:
    """Payloads of 1022 bytes filled to whole words carry 16 pad bits, counted in the class id's
    first word (VITA 49.2 PadBitCount): the two pad bytes were read as data, every frame after
    the first "followed by 2 bytes off the frame grid". Both readers (the vectorised one for a
    datagram of one packet, the walking one for several) leave them out."""
    pieces = [vita49(piece, count=k, padded=True) for k, piece in enumerate(split(STREAM, 1022))]
    records = [
        (START + k * 1000, datagram(b"".join(pieces[k : k + per_datagram])))
        for k in range(0, len(pieces), per_datagram)
    ]
    data, stats = _read(write_records(tmp_path / "c.pcap", records))
    assert data == STREAM and stats.packets == len(records)


# 5., 6., 11. pcapng


def test_a_pcapng_cut_inside_its_last_block_header_is_refused(tmp_path: Path) -> None:
    path = write_pcapng(tmp_path / "c.pcapng", [(START + k, r, 0) for k, (_, r) in enumerate(_plain())])
    whole = path.read_bytes()
    last = whole.rindex(struct.pack("<I", 6))  # the last Enhanced Packet Block
    path.write_bytes(whole[: last + 4])

    with pytest.raises(CaptureError) as error:
        _read(path)

    assert str(error.value) == f"{path}: block at byte {last} is cut short (the file ends 4 bytes into its header)"


def test_a_pcapng_describing_no_interface_is_an_empty_capture_as_an_empty_pcap_is(tmp_path: Path) -> None:
    """dpkt refuses a pcapng section with no Interface Description Block ("IDB not found"), which
    made it "not a pcap or pcapng capture" and failed its contact, where a pcap of its global
    header alone is an empty capture. A packet in such a file names an interface it never
    describes, which is said as for any pcapng file."""
    header = bytes(dpkt.pcapng.SectionHeaderBlockLE())
    path = tmp_path / "c.pcapng"
    path.write_bytes(header)

    data, stats = _read(path)

    assert data == b"" and (stats.packets, stats.truncated_packets) == (0, 0)
    record = datagram(_pieces()[0])
    packet = dpkt.pcapng.EnhancedPacketBlockLE(
        pkt_data=record, ts_high=START >> 32, ts_low=START & 0xFFFFFFFF, caplen=len(record), pkt_len=len(record)
    )
    path.write_bytes(header + bytes(packet))
    with pytest.raises(CaptureError) as error:
        _read(path)
    assert str(error.value) == f"{path}: record 1 names interface 0, which the file does not describe"


def test_pcapng_packets_of_each_interface_are_read_with_its_link_type(tmp_path: Path) -> None:
    records = [
        (START + k * 1000, datagram(p) if k % 2 == 0 else bytes(ip_udp(p)), k % 2) for k, p in enumerate(_pieces())
    ]
    data, stats = _read(write_pcapng(tmp_path / "c.pcapng", records, links=(1, 101)))
    assert data == STREAM and stats.packets == len(records)


def test_a_pcapng_interface_of_a_link_type_not_read_is_passed_over_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`dumpcap -i en0 -i lo0` (or Npcap's loopback adapter) writes the loopback's packets under
    LINKTYPE_NULL (0) beside the downlink's Ethernet: one local packet there refused the whole
    contact, its frames on the other interface lost, with nothing said of another interface."""
    loopback = struct.pack("<I", 2) + bytes(ip_udp(b"dns?", port=53))  # BSD loopback header: AF_INET
    records = [(START + k * 1000, datagram(p), 0) for k, p in enumerate(_pieces())]
    records[3:3] = [(START + 2500, loopback, 1), (START + 2600, loopback, 2)]
    write_pcapng(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1, "pcapng"), records, links=(1, 0, 0))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and _stream(tmp_path / "out") == STREAM
    assert err == [
        f"groundlink: contact {CONTACT_A}: 2 of its 12 packets passed over, captured on interfaces of link type 0 "
        "(2 packets), which groundlink does not read; it reads Ethernet (1), raw IP (12, 14, 101, 228, 229) or "
        "Linux cooked (113, 276)"
    ]


def test_interfaces_of_two_link_types_not_read_are_each_counted_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two such interfaces (a loopback and a Wi-Fi monitor) are "link types", each with its own
    count, and a lone packet is "1 packet": a user read "link type 0 (2 packets), 105 (1 packets)"
    as one interface."""
    loopback = struct.pack("<I", 2) + bytes(ip_udp(b"dns?", port=53))
    records = [(START + k * 1000, datagram(p), 0) for k, p in enumerate(_pieces())]
    records[3:3] = [(START + 2500, loopback, 1), (START + 2600, loopback, 1), (START + 2700, b"\x00" * 24, 2)]
    write_pcapng(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1, "pcapng"), records, links=(1, 0, 105))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and _stream(tmp_path / "out") == STREAM
    assert err == [
        f"groundlink: contact {CONTACT_A}: 3 of its 13 packets passed over, captured on interfaces of link types 0 "
        "(2 packets), 105 (1 packet), which groundlink does not read; it reads Ethernet (1), raw IP (12, 14, 101, "
        "228, 229) or Linux cooked (113, 276)"
    ]


def test_a_pcapng_of_packets_of_link_types_not_read_only_is_refused_in_one_line(tmp_path: Path) -> None:
    """As a pcap's header naming such a link type: the capture was made on the wrong interface."""
    from groundlink.processing.errors import CaptureError

    path = write_pcapng(tmp_path / "c.pcapng", [(START, b"\x00" * 40, 0), (START + 1, b"\x00" * 40, 1)], links=(105, 0))
    with pytest.raises(CaptureError) as refused:
        _read(path)
    assert str(refused.value) == (
        f"{path}: link type 0 is none groundlink reads: Ethernet (1), raw IP (12, 14, 101, 228, 229) or Linux "
        "cooked (113, 276); none of its packets is of another"
    )


def test_a_pcapng_simple_packet_block_is_refused_in_one_line(tmp_path: Path) -> None:
    path = write_pcapng(tmp_path / "c.pcapng", [(START, datagram(_pieces()[0]), 0)])
    record = datagram(_pieces()[1])
    body = struct.pack("<I", len(record)) + record + b"\0" * (-len(record) % 4)
    with path.open("ab") as stream:
        stream.write(struct.pack("<II", 3, 12 + len(body)) + body + struct.pack("<I", 12 + len(body)))

    with pytest.raises(CaptureError) as error:
        _read(path)

    assert str(error.value) == f"{path}: record 2 is a Simple Packet Block, which has no capture time; not read"


def test_pcapng_nanosecond_times_round_as_a_nanosecond_pcap_rounds_them(tmp_path: Path) -> None:
    """7.499 µs is 7 µs; dpkt's float division made it 8 in a pcapng."""
    nanos = START * 1000 + 7499
    path = write_pcapng(tmp_path / "c.pcapng", [(nanos, datagram(_pieces()[0]), 0)], resolution=9)
    _, stats = _read(path)
    assert stats.first_time == START + 7


# 7. a CADU length that is not the one delivered


def test_cadus_longer_than_the_cadu_length_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long = b"".join(f.bytes(2048) for f in frames(range(20)))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(long))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_B, 1), _plain())

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0
    assert err == [
        f"groundlink: contact {CONTACT_A}: its sync markers are mostly 2048 bytes apart, not the CADU length of "
        "1024 bytes (19 frames); check --cadu-length (processing.capture.cadu_length in the spec, "
        "GROUNDLINK_CAPTURE_FORMAT in the cloud)"
    ]  # and none for contact B, whose CADUs are 1024 bytes


def test_markers_as_often_on_the_cadu_length_as_off_it_are_not_mostly_off_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ten steps of 1,024 bytes and ten of 2,048: "mostly" is more than half, so a contact whose
    CADU length holds for half its frames is not told to change a --cadu-length that is right."""
    stream = b"".join(f.bytes(1024) for f in frames(range(10))) + b"".join(f.bytes(2048) for f in frames(range(10, 21)))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(stream))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert (code, err) == (0, [])


def test_cadus_shorter_than_the_cadu_length_are_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1024-byte CADUs read as 2048: every step between markers is 2048, every other frame lies
    inside its neighbour and would be counted lost without a word."""
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain())

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--cadu-length", "2048"])

    assert code == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"groundlink: contact {CONTACT_A}: its sync markers are mostly 1024 bytes apart, not the CADU length of "
        "2048 bytes ("
    )


@pytest.mark.parametrize("at", [300, 512])
def test_a_frame_field_holding_the_sync_markers_bytes_is_no_shorter_cadu(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    """The marker's bytes at one place of every frame's data (an unrandomised field, a relayed
    CADU), followed by anything but a header of the same spacecraft, read as "sync markers mostly
    300 bytes apart; check --cadu-length", and following that advice spoilt every frame."""
    stream = b""
    for frame in frames(range(100)):
        raw = bytearray(frame.bytes(1024))
        raw[at : at + 6] = bytes.fromhex("1ACFFC1D") + b"\x00\x00"  # no frame header after it
        stream += bytes(raw)
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(stream))

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert (code, err) == (0, [])


_CHECK_ID = (
    "check --spacecraft-id (processing.capture.spacecraft_ids in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
)
_OF_157_AND_12 = [*frames(range(30)), *frames(range(10), spacecraft=12)]
_HALF_157 = [*frames(range(20)), *frames(range(20), spacecraft=12)]


@pytest.mark.parametrize(
    ("given", "sent", "said", "ok"),
    [
        # a wrong --spacecraft-id made every frame corrupt, and the run said only "0 ok"
        ("5", frames(range(40)), f"40 of its 40 frames name spacecraft id 157, not one of [5]; {_CHECK_ID}", 0),
        (
            "5",
            _OF_157_AND_12,
            f"40 of its 40 frames name spacecraft ids 157 (30 frames), 12 (10 frames), not one of [5]; {_CHECK_ID}",
            0,
        ),
        # most, not all, of another spacecraft than the one given: the minority's id was given
        ("12", _OF_157_AND_12, f"30 of its 40 frames name spacecraft id 157, not one of [12]; {_CHECK_ID}", 10),
        # exactly half is "at least half"
        ("12", _HALF_157, f"20 of its 40 frames name spacecraft id 157, not one of [12]; {_CHECK_ID}", 20),
        # past three ids, the rest counted: "and 1 more" was dropped for four
        (
            "5",
            [*frames(range(10)), *(f for sc in (12, 13, 14) for f in frames(range(10), spacecraft=sc))],
            f"40 of its 40 frames name spacecraft ids 12 (10 frames), 13 (10 frames), 14 (10 frames) and 1 more, "
            f"not one of [5]; {_CHECK_ID}",
            0,
        ),
        # a stray frame of another spacecraft is the index's business (its reason), not a wrong flag
        ("157", _OF_157_AND_12, None, 30),
        ("157", [*frames(range(21)), *frames(range(19), spacecraft=12)], None, 21),  # just under half
    ],
)
def test_frames_mostly_of_other_spacecraft_than_the_ones_given_are_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, sent: list, said: str | None, ok: int
) -> None:
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(stream_of(sent)))

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--spacecraft-id", given])

    assert code == 0
    assert capsys.readouterr().err.splitlines() == ([f"groundlink: contact {CONTACT_A}: {said}"] if said else [])
    (summary,) = pq.read_table(next((tmp_path / "out").rglob("contact_summary/**/*.parquet"))).to_pylist()
    assert (summary["ok_frames"], summary["corrupt_frames"]) == (ok, 40 - ok)


# 8. records out of time order


@pytest.mark.parametrize("suffix", ["pcap", "pcapng"])
def test_start_and_end_are_the_earliest_and_latest_capture_times(tmp_path: Path, suffix: str) -> None:
    offsets = [5, 1, 9, 2, 7, 3, 4, 6, 8, 0]
    records = [(START + 1_000_000 * s, r) for s, (_, r) in zip(offsets, _plain(), strict=True)]
    path = raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1, suffix)
    if suffix == "pcap":
        write_records(path, records)
    else:
        write_pcapng(path, [(t, r, 0) for t, r in records])

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert (summary["start_time"], summary["end_time"]) == (START, START + 9_000_000)


# 9. IP fragments


@pytest.mark.parametrize("version", [4, 6])
def test_fragmented_datagrams_are_reassembled_in_any_order(tmp_path: Path, version: int) -> None:
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(_pieces()):
        parts = fragments(piece, ident=k, version=version)
        parts = [parts[-1], *parts[:-1], parts[0]]  # the last first, and the first one twice
        records += [(START + k * 1000 + j, part) for j, part in enumerate(parts)]
    records.insert(3, (START, datagram(_pieces(STREAM[:CADU])[0], port=9)))  # another datagram in between

    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)
    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM
    assert summary["truncated_packets"] == 0 and summary["packets"] == len(records)


def test_a_datagram_missing_a_fragment_is_a_truncated_packet(tmp_path: Path) -> None:
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(_pieces()):
        parts = fragments(piece, ident=k)
        if k == 4:
            del parts[1]
        records += [(START + k * 1000 + j, part) for j, part in enumerate(parts)]
    write_records(tmp_path / "c.pcap", records)

    data, stats = _read(tmp_path / "c.pcap")

    assert data == STREAM[: 16 * CADU] + STREAM[20 * CADU :] and stats.truncated_packets == 1


@pytest.mark.parametrize("missing", [False, True])
def test_a_datagram_whose_fragments_fall_in_two_files_is_put_back_together(tmp_path: Path, missing: bool) -> None:
    """A contact's files are one capture cut in pieces: fragments of one datagram in two files
    were each a datagram missing a fragment, so the datagram was lost and counted as two truncated
    packets. Still missing a fragment when the last file ends, it is one."""
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(_pieces()):
        parts = fragments(piece, ident=k)
        if missing and k == 4:
            del parts[-1]
        records += [(START + k * 1000 + j, part) for j, part in enumerate(parts)]
    cut = next(i for i, (_, part) in enumerate(records) if i > 10 and part == fragments(_pieces()[4], ident=4)[0])
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records[: cut + 1])  # datagram 4's first
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 2), records[cut + 1 :])  # and the rest

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    if missing:
        assert summary["truncated_packets"] == 1
        assert _stream(tmp_path / "out") == STREAM[: 16 * CADU] + STREAM[20 * CADU :]
    else:
        assert summary["truncated_packets"] == 0 and _stream(tmp_path / "out") == STREAM
        assert summary["ok_frames"] == len(STREAM) // CADU and summary["gaps"] == 0


def test_a_datagram_given_up_on_is_never_put_together_with_a_later_one_of_its_identification(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An IPv4 identification repeats (every 65,536 datagrams of a sender): a datagram missing a
    fragment kept its pieces, and a later datagram with its identification was completed with
    them, a payload spliced from two. After Fragments.WAITED newer datagrams it is given up and
    counted as a truncated packet, and the later one is put together from its own pieces."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    pieces = _pieces()
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(pieces):
        parts = fragments(piece, ident=4 if k == len(pieces) - 1 else k)  # the last reuses 4's identification
        if k == 4:
            del parts[-1]
        records += [(START + k * 1000 + j, part) for j, part in enumerate(parts)]
    write_records(tmp_path / "c.pcap", records)

    data, stats = _read(tmp_path / "c.pcap")

    assert data == STREAM[: 16 * CADU] + STREAM[20 * CADU :] and stats.truncated_packets == 1


def test_a_stale_fragment_is_given_up_while_datagrams_sent_whole_go_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sender's identification counts every datagram, most of them unfragmented: only the
    fragmented ones moved the horizon, so a datagram missing a fragment waited for ever, and the
    next fragmented datagram of its identification, 65,536 later, was spliced with its stale
    pieces (frames that arrived whole lost, a frame of two datagrams' bytes). Every record counts."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    pieces = _pieces()
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(pieces):
        if k in (4, len(pieces) - 1):  # fragmented: 4, missing its last piece, and the last, as 4
            parts = fragments(piece, ident=4)
            records += [(START + k * 1000 + j, part) for j, part in enumerate(parts[:-1] if k == 4 else parts)]
        else:
            records.append((START + k * 1000, datagram(piece)))  # whole: read on the array path
    write_records(tmp_path / "c.pcap", records)

    data, stats = _read(tmp_path / "c.pcap")

    assert data == STREAM[: 16 * CADU] + STREAM[20 * CADU :] and stats.truncated_packets == 1


def test_records_count_on_across_a_contact_s_files_so_a_stale_fragment_is_given_up_in_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A contact's second file counts its records on from the first's: counted from zero again, a
    datagram missing a fragment at the end of the first file looked newer than the second file's
    first records, was not given up, and the second file's datagram of its identification was
    spliced with its stale pieces."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    pieces = _pieces()
    assert len(pieces) >= 10  # four whole datagrams on each side of the stale one
    first: list[tuple[int, bytes]] = []
    second: list[tuple[int, bytes]] = []
    for k, piece in enumerate(pieces):
        into = first if k <= 4 else second
        if k in (4, len(pieces) - 1):  # 4 misses its last piece, the last reuses 4's identification
            parts = fragments(piece, ident=4)
            into += [(START + k * 1000 + j, part) for j, part in enumerate(parts[:-1] if k == 4 else parts)]
        else:
            into.append((START + k * 1000, datagram(piece)))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), first)
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 2), second)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM[: 16 * CADU] + STREAM[20 * CADU :]
    assert summary["truncated_packets"] == 1


@pytest.mark.parametrize("carried", [6, 58])  # TCP, ICMPv6
def test_ipv6_fragments_of_another_protocol_are_not_held_or_counted_as_a_datagram_s(
    tmp_path: Path, carried: int
) -> None:
    """The later fragments of an IPv6 packet of another protocol (its first lost, so nothing
    says its port): their Fragment header names the protocol, so they are no datagram of the
    downlink and no packet of it is missing a fragment."""
    whole = ip_udp(b"\x00" * 64, 6)
    records = [(START + k * 1000, datagram(piece)) for k, piece in enumerate(_pieces())]
    for k in (1, 2):  # the fragments after the first, of one packet, the last without `more`
        header = struct.pack(">BBHI", carried, 0, k << 3 | (k == 1), 77)  # offsets in 8-byte units
        ip6 = dpkt.ip6.IP6(src=whole.src, dst=whole.dst, nxt=44, hlim=64, plen=8 + 8)
        records.insert(3 + k, (START + 2500 + k, ethernet(ip6.pack_hdr() + header + b"\x01" * 8, 6)))
    write_records(tmp_path / "c.pcap", records)

    data, stats = _read(tmp_path / "c.pcap")

    assert data == STREAM and stats.truncated_packets == 0
    assert (stats.incomplete_datagrams, stats.lost_records, stats.missing_fragment_records) == (0, 0, 0)


def test_a_capture_of_first_fragments_only_is_said_to_miss_fragments_not_to_cut_packets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A filter on the UDP port keeps only each datagram's first fragment (the others carry no
    UDP header): every record whole, every datagram incomplete. The line blamed the snap length
    and told to capture with -s 0, which changes nothing."""
    records = [(START + k * 1000, fragments(piece, ident=k)[0]) for k, piece in enumerate(_pieces())]
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert summary["truncated_packets"] == summary["packets"] == len(records) == 10
    assert capsys.readouterr().err.splitlines() == [fragments_line(CONTACT_A, 10, 10, 10)]


def cut_line(contact: str, cut: int, packets: int, more: int = 0) -> str:
    """The processor's line for packets a capture's snap length cut short (and `more` whole
    fragments of the datagrams it cut)."""
    also = f", and {more} more were whole fragments of the datagrams it cut" if more else ""
    return (
        f"groundlink: contact {contact}: {cut} of its {packets} packets were cut short by the capture (each record "
        f"holds less than its packet: a snap length under the packets' size){also}, so their data is missing; "
        "capture whole packets (tcpdump -s 0)"
    )


ARP = b"\xff" * 6 + b"\x02" * 6 + b"\x08\x06" + bytes(28)  # an ARP request: no IP at all
PORT_SETTING = "--udp-port (processing.capture.udp_ports in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"


def fragments_line(contact: str, records: int, packets: int, datagrams: int) -> str:
    """The processor's line for datagrams missing IP fragments whose records were whole ("of 1
    datagrams" read oddly: one is "1 datagram")."""
    return (
        f"groundlink: contact {contact}: {records} of its {packets} packets were fragments of {datagrams} "
        f"{'datagram' if datagrams == 1 else 'datagrams'} missing others (the capture holds their records whole, but not every fragment: a filter on the UDP port, "
        "or a firewall, passes first fragments only), so their data is missing; capture every fragment of the "
        "downlink's datagrams"
    )


def _snapped(path: Path, records: list[tuple[int, bytes]], keep: int, link: int = 1) -> None:
    """A pcap whose records the capture cut to `keep` bytes (a snap length): each record header
    gives its packet's whole length and holds only the first `keep` bytes of it."""
    with path.open("wb") as stream:
        stream.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, keep, link))
        for time_us, frame in records:
            held = frame[:keep]
            stream.write(struct.pack("<IIII", time_us // 1_000_000, time_us % 1_000_000, len(held), len(frame)))
            stream.write(held)


def test_fragments_the_snap_length_cut_are_cut_records_not_missing_fragments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every fragment came, each cut to 64 bytes by the snap length: the datagrams were said to
    be missing fragments whose records were whole ("capture every fragment"), which cannot help."""
    records = [
        (START + k * 1000 + j, part)
        for k, piece in enumerate(_pieces(size=2048))
        for j, part in enumerate(fragments(piece, ident=k))
    ]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records, 64)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert (summary["packets"], summary["truncated_packets"]) == (40, 20)  # 40 records, 20 datagrams
    assert capsys.readouterr().err.splitlines() == [cut_line(CONTACT_A, 40, 40)]


@pytest.mark.parametrize("keep", [64, None])
def test_datagrams_of_many_fragments_cut_or_missing_one_are_said_by_their_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keep: int | None
) -> None:
    """Six fragments a datagram, each record cut to 64 bytes (or each datagram missing its last
    fragment): the lost datagrams were weighed against the records, one in six, never half, so
    neither line came and the command said none of the packets was the downlink's (check
    --udp-port). The records whose data was lost are weighed instead."""
    pieces = _pieces(size=8192)  # 8 CADUs a datagram: 6 fragments of 1,480 bytes
    records = []
    for k, piece in enumerate(pieces):
        parts = fragments(piece, ident=k)
        assert len(parts) == 6
        records += [(START + k * 1000 + j, part) for j, part in enumerate(parts if keep else parts[:-1])]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    if keep:
        _snapped(folder / _name(CONTACT_A, 1), records, keep)
    else:
        write_records(folder / _name(CONTACT_A, 1), records)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    lost = len(records)
    expected = cut_line(CONTACT_A, lost, lost) if keep else fragments_line(CONTACT_A, lost, lost, len(pieces))
    assert code == 0 and [line for line in err if CONTACT_A in line] == [expected]
    assert not [line for line in err if "check --udp-port" in line]


def test_ipv6_fragments_cut_inside_their_fragment_header_are_cut_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Behind an 802.1Q tag a 64-byte snap length ends inside the Fragment header: dpkt kept the
    IPv6 bytes unparsed, the fixed header looked whole, and each record was neither a packet of
    the downlink nor a cut one ("none of its packets is a datagram of the downlink")."""

    def tagged(frame: bytes) -> bytes:
        return frame[:12] + b"\x81\x00\x00\x64" + frame[12:]

    records = [
        (START + k * 1000 + j, tagged(part))
        for k, piece in enumerate(_pieces())
        for j, part in enumerate(fragments(piece, ident=k, version=6))
    ]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records, 64)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and [line for line in err if CONTACT_A in line] == [cut_line(CONTACT_A, 30, 30)]


@pytest.mark.parametrize("link", [1, 101, 229])  # Ethernet, raw IP, raw IPv6
@pytest.mark.parametrize("keep", [44, 52])  # inside the Fragment header, inside the UDP header
def test_ipv6_fragments_cut_past_their_fixed_header_are_cut_records_on_every_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], link: int, keep: int
) -> None:
    """A snap length that ends past the IPv6 fixed header, inside the Fragment header or the
    first fragment's UDP header: dpkt cannot parse the packet, and the header chain is walked
    by hand to tell a cut record of the downlink, on a raw IP capture as behind Ethernet."""
    link_header = 14 if link == 1 else 0
    records = [
        (START + k * 1000 + j, part[14 - link_header :])
        for k, piece in enumerate(_pieces())
        for j, part in enumerate(fragments(piece, ident=k, version=6))
    ]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records, link_header + keep, link)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and [line for line in err if CONTACT_A in line] == [cut_line(CONTACT_A, 30, 30)]


def test_a_copy_of_a_given_up_datagram_s_first_fragment_is_not_counted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated first fragment (a SPAN port sends each record twice) of a datagram given up
    began a second datagram, counted as a second truncated packet."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    first = fragments(_pieces()[0], ident=7)[0]
    records = [(START, first), *_plain(start=START + 1000), (START + 99_000, first)]
    write_records(tmp_path / "c.pcap", records)

    _, stats = _read(tmp_path / "c.pcap")

    assert stats.truncated_packets == 1


def test_another_port_s_capture_starting_inside_a_datagram_still_gets_the_port_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The capture began with a datagram's second fragment (its port unknown, so maybe the
    downlink's): that one truncated packet silenced the advice for the 9 datagrams of another
    port, and the contact, with no frame, got no word at all."""
    records = []
    for k in range(10):
        records += [(START + k * 1000 + j, p) for j, p in enumerate(fragments_to(_pieces()[0], k, 6000))]
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records[1:])

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--udp-port", "55888"])
    err = capsys.readouterr().err.splitlines()

    assert code == 0 and [line for line in err if CONTACT_A in line] == [
        fragments_line(CONTACT_A, 2, 29, 1),  # datagram 0 without its first fragment: 2 records ("1 datagram")
        f"groundlink: contact {CONTACT_A}: none of its other 27 packets is a datagram of the downlink (UDP port "
        f"55888); check {PORT_SETTING}",
    ]


def fragments_to(payload: bytes, ident: int, port: int) -> list[bytes]:
    """`fragments` of a datagram to another UDP port."""
    whole = bytes(ip_udp(payload, port=port).data)
    first = _first_fragment(ip_udp(payload, port=port), ident)
    rest = fragments(payload, ident)[1:]  # the same offsets; their bytes follow the UDP header
    assert len(whole) > 1480
    return [first, *rest]


def test_a_whole_but_malformed_ipv6_packet_is_no_truncated_packet(tmp_path: Path) -> None:
    """A hop-by-hop header giving 64 bytes in a 10-byte payload, the record whole: read as a
    packet cut short, and told to capture with -s 0."""
    hop_by_hop = bytes([17, 7]) + b"\x00" * 8
    ip6 = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=0, hlim=64, plen=10)
    bad = ethernet(ip6.pack_hdr() + hop_by_hop, 6)
    write_records(tmp_path / "c.pcap", [*_plain(), *((START + 90_000 + j, bad) for j in range(10))])

    data, stats = _read(tmp_path / "c.pcap")

    assert data == STREAM and stats.truncated_packets == 0 and stats.lost_records == 0


def test_fragment_records_captured_twice_are_counted_as_the_records_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SPAN port sends each record twice: the lost fragments were counted by offset, half the
    records, while cut datagrams sent whole were counted per record."""
    records = []
    for k, piece in enumerate(_pieces()):
        for j, part in enumerate(fragments(piece, ident=k)[:-1]):  # each missing its last
            records += [(START + k * 1000 + 2 * j, part), (START + k * 1000 + 2 * j + 1, part)]
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and [line for line in err if CONTACT_A in line] == [fragments_line(CONTACT_A, 40, 40, 10)]


def test_the_whole_fragments_of_a_datagram_the_capture_cut_are_not_called_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fragments of 1,514, 1,514 and 1,206 bytes at a snap length of 1,300: the last fragment of
    each datagram is whole, yet all 30 records were said to be cut short."""
    records = [
        (START + k * 1000 + j, part)
        for k, piece in enumerate(_pieces())
        for j, part in enumerate(fragments(piece, ident=k))
    ]
    assert sorted({len(part) for _, part in records}) == [1206, 1514]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records, 1300)

    code, err = _cli(tmp_path / "raw", tmp_path / "out", capsys)

    assert code == 0 and [line for line in err if CONTACT_A in line] == [cut_line(CONTACT_A, 20, 30, more=10)]


@pytest.mark.parametrize("downlink_elsewhere", [False, True])
def test_datagrams_on_the_port_without_data_are_said_so_and_the_port_still_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], downlink_elsewhere: bool
) -> None:
    """Datagrams on the given port holding VITA-49 context packets (type 4, no data payload) were
    told none was the downlink's; then, told they carried no data, a wrong port with one stray
    datagram on it lost its advice to check the port. Both are said, and the port is checked."""
    context = [(START + k * 1000, datagram(vita49(b"\x00" * 64, kind=4, count=k))) for k in range(20)]
    elsewhere = [(START + 50_000 + k * 1000, datagram(piece, port=6000)) for k, piece in enumerate(_pieces())]
    records = context[:1] + elsewhere if downlink_elsewhere else context
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--udp-port", "55888"])
    err = capsys.readouterr().err.splitlines()

    held = 1 if downlink_elsewhere else 20
    assert code == 0 and [line for line in err if CONTACT_A in line] == [
        f"groundlink: contact {CONTACT_A}: none of its {len(records)} packets carried data of the downlink (UDP port "
        f"55888): its {held} datagrams there held no VITA-49 data payload (context packets, or other traffic on "
        f"that port); check {PORT_SETTING}"
    ]


def test_a_cut_fragment_coming_after_its_datagram_was_given_up_makes_it_a_cut_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every fragment came, the second cut, after the datagram was given up: it stayed among the
    datagrams missing fragments ("capture every fragment"), its whole fragments counted there."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    parts = fragments(_pieces()[0], ident=7)  # 1,514, 1,514 and 1,206 bytes
    records = [(START, parts[0]), *((START + 1000 + j, ARP) for j in range(5)), (START + 9000, parts[1])]
    records += [(START + 9001, parts[2])]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    cut = [(t, frame[:600] if frame == parts[1] else frame) for t, frame in records]
    with (folder / _name(CONTACT_A, 1)).open("wb") as stream:  # only the second fragment's record is cut
        stream.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for (time_us, frame), (_, whole) in zip(cut, records, strict=True):
            stream.write(struct.pack("<IIII", time_us // 1_000_000, time_us % 1_000_000, len(frame), len(whole)))
            stream.write(frame)

    _process(tmp_path / "raw", tmp_path / "out")

    lines = [line for line in capsys.readouterr().err.splitlines() if CONTACT_A in line]
    assert lines[:1] == [cut_line(CONTACT_A, 1, len(records), more=2)]
    assert not [line for line in lines if "missing others" in line]


@pytest.mark.parametrize("late", [False, True])
def test_a_whole_fragment_of_a_cut_datagram_is_lost_with_it_whenever_it_comes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, late: bool
) -> None:
    """A datagram whose first fragment the capture cut and whose last came whole: counted with
    the datagrams it cut, not as a fragment that never came, whether the last came before the
    datagram was given up or after (a late piece counted as a missing fragment's record)."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    first, last = fragments(_pieces(size=2048)[0], ident=7)
    records = [(START, first), *((START + 1000 + j, arp) for j, arp in enumerate([ARP] * (5 if late else 0)))]
    records += [(START + 99_000, last)]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records, len(last))  # cuts the first (1,514 bytes) only

    _process(tmp_path / "raw", tmp_path / "out")

    packets = len(records)
    assert [line for line in capsys.readouterr().err.splitlines() if CONTACT_A in line][:1] == [
        cut_line(CONTACT_A, 1, packets, more=1)
    ]


def test_a_datagram_put_together_and_short_of_its_udp_length_counts_all_its_fragments(tmp_path: Path) -> None:
    """Its UDP length 100 bytes over what was sent: counted as one lost record, its other
    fragment was then among the packets said not to be the downlink's ("check --udp-port")."""
    udp = dpkt.udp.UDP(sport=50000, dport=55888, data=_pieces()[0])
    udp.ulen = 8 + len(udp.data) + 100
    ip = dpkt.ip.IP(src=bytes([10, 0, 0, 1]), dst=bytes([10, 0, 0, 2]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
    carried = bytes(ip.data)
    parts = []
    for at in range(0, len(carried), 1480):
        piece = dpkt.ip.IP(src=ip.src, dst=ip.dst, p=ip.p, id=7, data=carried[at : at + 1480])
        piece.offset, piece.mf, piece.len = at // 8, int(at + 1480 < len(carried)), 20 + len(carried[at : at + 1480])
        parts.append(ethernet(bytes(piece)))
    write_records(tmp_path / "c.pcap", [(START + j, part) for j, part in enumerate(parts)])

    _, stats = _read(tmp_path / "c.pcap")

    assert (stats.truncated_packets, stats.lost_records, stats.cut_records) == (1, len(parts), 1)


def test_an_undated_contact_of_first_fragments_only_is_not_told_to_check_the_port(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A filter on the UDP port kept first fragments only, and the path names no day: the
    contact could not be dated "none of its 10 packets is a datagram of the downlink (see
    --udp-port)", though all ten were the downlink's, on that port."""
    folder = tmp_path / "raw" / "somewhere"
    records = [(START + k * 1000, fragments(piece, ident=k)[0]) for k, piece in enumerate(_pieces())]
    path = write_records(folder / _name(CONTACT_A, 1), records)

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--satellite", "noaa20"])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}: contact {CONTACT_A} cannot be dated: none of its 10 packets is a whole datagram of the downlink "
        "(10 truncated: cut short by the capture, or missing IP fragments), and its path has no year=/month=/day="
    )


def test_an_undated_contact_of_one_truncated_datagram_is_not_told_to_check_the_port(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One downlink datagram, a first fragment, beside a DNS query: the one truncated datagram is
    the cause said, not "none of its 2 packets is a datagram of the downlink (see --udp-port)"."""
    folder = tmp_path / "raw" / "somewhere"
    records = [(START, fragments(_pieces()[0], ident=0)[0]), (START + 1000, datagram(b"dns?", port=53))]
    path = write_records(folder / _name(CONTACT_A, 1), records)

    args = ["--satellite", "noaa20", "--udp-port", str(PORT)]
    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), *args])

    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}: contact {CONTACT_A} cannot be dated: none of its 2 packets is a whole datagram of the downlink "
        "(1 truncated: cut short by the capture, or missing IP fragments), and its path has no year=/month=/day="
    )


@pytest.mark.parametrize("truncated", [True, False])
def test_an_undated_contact_of_one_packet_says_its_one_packet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], truncated: bool
) -> None:
    """A contact of a single packet was said to have "none of its 1 packets"."""
    folder = tmp_path / "raw" / "somewhere"
    packet = fragments(_pieces()[0], ident=0)[0] if truncated else datagram(b"dns?", port=53)
    path = write_records(folder / _name(CONTACT_A, 1), [(START, packet)])

    args = ["--satellite", "noaa20", "--udp-port", str(PORT)]
    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), *args])

    why = (
        "a whole datagram of the downlink (1 truncated: cut short by the capture, or missing IP fragments)"
        if truncated
        else "a datagram of the downlink (see --udp-port)"
    )
    assert code == 2
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}: contact {CONTACT_A} cannot be dated: its one packet is not {why}, and its path has no "
        "year=/month=/day="
    )


def test_cut_records_and_missing_fragments_together_are_each_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Half the datagrams cut by the snap length, half missing fragments with whole records: each
    line said only its half was under the half-way mark, and the contact, with no frame at all,
    was left without a word."""
    pieces = _pieces(size=2048)
    records = [(START + k * 1000, datagram(piece)) for k, piece in enumerate(pieces[:10])]  # cut below
    records += [(START + 20_000 + k * 1000, fragments(piece, ident=k)[0]) for k, piece in enumerate(pieces[10:])]
    folder = raw_dir(tmp_path / "raw")
    folder.mkdir(parents=True, exist_ok=True)
    _snapped(folder / _name(CONTACT_A, 1), records[:10], 64)
    write_records(folder / _name(CONTACT_A, 2), records[10:])

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert (summary["packets"], summary["truncated_packets"], summary["frames"]) == (20, 20, 0)
    assert capsys.readouterr().err.splitlines() == [
        cut_line(CONTACT_A, 10, 20),
        fragments_line(CONTACT_A, 10, 20, 10),
    ]


@pytest.mark.parametrize(("ports", "truncated"), [(frozenset({55888}), 0), (frozenset(), 1)])
def test_an_ipv6_first_fragment_names_its_port_past_the_extension_headers_after_the_fragment_header(
    tmp_path: Path, ports: frozenset[int], truncated: int
) -> None:
    """Destination Options between the Fragment header and UDP, as RFC 8200 places them: the
    port was not read, so another port's incomplete datagram counted as the downlink's; an
    ICMPv6 packet there was counted too, port or none."""
    nfs = _ip6_fragments_after(b"N" * 3000, ident=900, extension=DESTINATION_OPTIONS, kind=60, port=2049)[0]
    icmp_options = bytes([58, 0, 1, 4]) + b"\x00" * 4  # Destination Options, next header ICMPv6
    echo = icmp_options + struct.pack(">BBHHH", 128, 0, 0, 1, 1) + b"P" * 3000
    header = struct.pack(">BBHI", 60, 0, 1, 901)  # the Fragment header: offset 0, more fragments
    ip6 = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=44, hlim=64, plen=8 + 1480)
    icmp = ethernet(ip6.pack_hdr() + header + echo[:1480], 6)
    write_records(tmp_path / "c.pcap", [*_plain(), (START + 90_000, nfs), (START + 91_000, icmp)])
    stats = FileStats(tmp_path / "c.pcap", (tmp_path / "c.pcap").stat().st_size)

    data = b"".join(
        c.data.tobytes() for c in read_capture(tmp_path / "c.pcap", CaptureFormat(udp_ports=ports), stats, 0, 1 << 20)
    )

    assert data == STREAM and stats.truncated_packets == truncated


@pytest.mark.parametrize(("port", "truncated"), [(55888, 1), (2049, 0)])
def test_the_late_pieces_of_a_datagram_given_up_are_not_counted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int, truncated: int
) -> None:
    """A datagram's first fragment, WAITED records, then its other fragments: the first was given
    up and counted, and the others began a datagram whose first fragment never came, counted a
    second time (and counted though the first had named another port)."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture.Fragments, "WAITED", 3)
    parts = (
        fragments(_pieces()[0], ident=7)
        if port == 55888
        else [
            _first_fragment(ip_udp(b"N" * 4000, port=port), 7),
            *fragments(b"N" * 4000, ident=7)[1:],
        ]
    )
    records = [
        (START, parts[0]),
        *_plain(start=START + 1000),
        *((START + 99_000 + j, p) for j, p in enumerate(parts[1:])),
    ]
    write_records(tmp_path / "c.pcap", records)
    stats = FileStats(tmp_path / "c.pcap", (tmp_path / "c.pcap").stat().st_size)

    b"".join(
        c.data.tobytes()
        for c in read_capture(tmp_path / "c.pcap", CaptureFormat(udp_ports=frozenset({55888})), stats, 0, 1 << 20)
    )

    assert stats.truncated_packets == truncated


def _first_fragment(packet: Any, ident: int) -> bytes:
    """The first 1,480 bytes of an IP packet's payload, as the first of its fragments."""
    carried = bytes(packet.data)[:1480]
    if isinstance(packet, dpkt.ip6.IP6):
        header = struct.pack(">BBHI", packet.nxt, 0, 1, ident)  # offset 0, more fragments
        ip6 = dpkt.ip6.IP6(src=packet.src, dst=packet.dst, nxt=44, hlim=64, plen=8 + len(carried))
        return ethernet(ip6.pack_hdr() + header + carried, 6)
    ip = dpkt.ip.IP(src=packet.src, dst=packet.dst, p=packet.p, id=ident, data=carried)
    ip.mf, ip.len = 1, 20 + len(carried)
    return ethernet(bytes(ip))


@pytest.mark.parametrize(("ports", "truncated"), [(frozenset({55888}), 0), (frozenset(), 1)])
def test_another_protocol_s_or_port_s_incomplete_fragments_are_no_truncated_packet(
    tmp_path: Path, ports: frozenset[int], truncated: int
) -> None:
    """A first fragment naming another UDP port (NFS, 2049) and an ICMPv6 packet's first fragment,
    never completed, were counted as truncated packets of the downlink, with --udp-port too.
    ICMPv6 is never a datagram; the other port's is one only while no port is given."""
    nfs = ip_udp(b"N" * 3000, port=2049)
    echo = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=58, hlim=64)
    echo.data = struct.pack(">BBHHH", 128, 0, 0, 1, 1) + b"P" * 3000
    records = [*_plain(), (START + 90_000, _first_fragment(nfs, 900)), (START + 91_000, _first_fragment(echo, 901))]
    write_records(tmp_path / "c.pcap", records)
    stats = FileStats(tmp_path / "c.pcap", (tmp_path / "c.pcap").stat().st_size)

    data = b"".join(
        c.data.tobytes() for c in read_capture(tmp_path / "c.pcap", CaptureFormat(udp_ports=ports), stats, 0, 1 << 20)
    )

    assert data == STREAM and stats.truncated_packets == truncated


# A capture's snap length can cut a record inside its headers: what the header bytes still say
# decides whether it was a datagram of the downlink. Ethernet (14, and 4 per VLAN tag) + IPv4 (20)
# + UDP (8) bytes; raw IPv4 and IPv6 start at the IP header.
_HEADERS = {(1, 4): 42, (101, 4): 28, (101, 6): 48}
_VLAN_TAGS = (0x88A8, 0x8100)  # an 802.1ad service tag, then an 802.1Q customer tag


def _cut(link: int, version: int, piece: bytes, keep: int, port: int = 55888, tags: int = 0) -> bytes:
    packet = bytes(ip_udp(piece, version, port))
    if link != 1:
        return packet[:keep]
    framed = ethernet(packet, version)
    tagged = b"".join(struct.pack(">HH", tpid, 7) for tpid in _VLAN_TAGS[len(_VLAN_TAGS) - tags :])
    return (framed[:12] + tagged + framed[12:])[:keep]


@pytest.mark.parametrize(
    ("link", "version", "tags"), [(1, 4, 0), (1, 4, 1), (1, 4, 2), (1, 6, 1), (101, 4, 0), (101, 6, 0)]
)
def test_a_record_cut_inside_its_headers_is_a_truncated_packet_wherever_the_cut(
    tmp_path: Path, link: int, version: int, tags: int
) -> None:
    """Behind VLAN tags too: dpkt keeps the tag's type (0x8100) as the frame's, and a record cut
    inside its IPv4 header was passed over as no IP at all."""
    pieces = _pieces()
    for keep in range(_HEADERS.get((link, version), 62 if version == 6 else 42) + 4 * tags):
        records = [
            (
                START + k * 1000,
                _cut(link, version, p, keep if k == 4 else 1 << 16, tags=tags),
                len(_cut(link, version, p, 1 << 16, tags=tags)),  # the packet's own length: the capture cut it
            )
            for k, p in enumerate(pieces)
        ]
        path = write_records(tmp_path / f"cut-{keep}.pcap", records, link=link)

        data, stats = _read(path)

        assert (data, stats.truncated_packets) == (STREAM[: 16 * CADU] + STREAM[20 * CADU :], 1), f"cut at {keep}"


def test_a_cut_record_whose_headers_say_it_is_no_downlink_datagram_is_not_counted(tmp_path: Path) -> None:
    tcp = bytes(ip_udp(b"x" * 64))
    tcp = tcp[:9] + bytes([dpkt.ip.IP_PROTO_TCP]) + tcp[10:]  # the protocol byte is all that differs
    records = [(START + k * 1000, datagram(p)) for k, p in enumerate(_pieces())]
    records.insert(2, (START, ethernet(tcp)[:30]))  # the protocol byte kept, the rest of the header cut
    records.insert(3, (START, ethernet(bytes(ip_udp(b"x" * 64, port=9)))[:38]))  # another port
    path = write_records(tmp_path / "c.pcap", records)
    stats = FileStats(path, path.stat().st_size)

    data = b"".join(
        c.data.tobytes() for c in read_capture(path, CaptureFormat(udp_ports=frozenset({55888})), stats, 0, 1 << 20)
    )

    assert (data, stats.truncated_packets) == (STREAM, 0)


def test_the_frame_index_dates_reassembled_frames(tmp_path: Path) -> None:
    records = [(START + k * 1000 + j, part) for k, p in enumerate(_pieces()) for j, part in enumerate(fragments(p, k))]
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)
    _process(tmp_path / "raw", tmp_path / "out")
    rows = pq.read_table(tmp_path / "out" / "frame_index" / PART / f"{CONTACT_A}.parquet").to_pylist()
    assert [r["frame_count"] for r in rows] == list(range(40))
    assert {r["status"] for r in rows} == {"ok"}
    assert rows[0]["packet"] == 3  # the record completing the first datagram (three fragments)


def test_a_channels_bytes_are_its_stream_duplicates_left_out(tmp_path: Path) -> None:
    """Frames 0, 1, 1, 2: three ok frames in the stream, one duplicate; `bytes` is the stream's
    size, 3 x 1,024 (docs/processing.md: bytes = frames x CADU length)."""
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), _plain(stream_of(frames([0, 1, 1, 2]))))

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    (channel,) = summary["channels"]
    assert (channel["frames"], channel["duplicates"], channel["bytes"]) == (3, 1, 3072)
    assert len(_stream(tmp_path / "out")) == 3072


def _ip6_fragments_after(
    payload: bytes, ident: int, extension: bytes, kind: int, size: int = 1480, port: int = 55888
) -> list[bytes]:
    """The UDP datagram of `payload` in IPv6 fragments whose fragmentable part starts with the
    extension header `extension` (of protocol number `kind`), as RFC 8200 4.5 allows: a
    Destination Options or Authentication header that belongs to the fragmented datagram."""
    whole = ip_udp(payload, version=6, port=port)
    carried = extension + bytes(whole.data)
    out = []
    for at in range(0, len(carried), size):
        part = carried[at : at + size]
        more = at + size < len(carried)
        header = struct.pack(">BBHI", kind, 0, (at // 8) << 3 | more, ident)
        ip6 = dpkt.ip6.IP6(src=whole.src, dst=whole.dst, nxt=44, hlim=64, plen=8 + len(part))
        out.append(ethernet(ip6.pack_hdr() + header + part, 6))
    return out


# Destination Options (60): next header UDP, length 0 (8 octets), a PadN option of 4 bytes;
# Authentication (51): next header UDP, payload length 4 ((4 + 2) x 4 = 24 octets)
DESTINATION_OPTIONS = bytes([17, 0, 1, 4]) + b"\x00" * 4
AUTHENTICATION = bytes([17, 4, 0, 0]) + struct.pack(">II", 0x100, 1) + b"\x00" * 12


@pytest.mark.parametrize(("extension", "kind"), [(DESTINATION_OPTIONS, 60), (AUTHENTICATION, 51)])
def test_ipv6_fragments_whose_datagram_starts_with_an_extension_header_are_put_back_together(
    tmp_path: Path, extension: bytes, kind: int
) -> None:
    """dpkt's IPv6 parser failed on a Fragment header followed by another extension header
    (AttributeError: no frag_off), and the run ended in a traceback, exit 1."""
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(_pieces()):
        parts = _ip6_fragments_after(piece, ident=k, extension=extension, kind=kind)
        records += [(START + k * 1000 + j, part) for j, part in enumerate(reversed(parts))]  # any order
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM
    assert summary["truncated_packets"] == 0 and summary["packets"] == len(records)


def test_an_ipsec_packet_among_the_datagrams_is_passed_over_like_any_other(tmp_path: Path) -> None:
    """An IPv6 ESP packet (IPsec: its payload is encrypted, no UDP header to read) made dpkt
    leave the protocol unset, and the run ended in a traceback, exit 1."""
    esp = struct.pack(">II", 0x1000, 1) + b"\xaa" * 48
    ip6 = dpkt.ip6.IP6(src=b"\x20" + b"\x00" * 15, dst=b"\x20" + b"\x01" * 15, nxt=50, hlim=64, plen=len(esp))
    records = [(START + k * 1000, datagram(piece)) for k, piece in enumerate(_pieces())]
    records.insert(2, (START + 1500, ethernet(ip6.pack_hdr() + esp, 6)))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM
    assert summary["truncated_packets"] == 0 and summary["packets"] == len(records)


def test_ipv6_fragments_in_mpls_are_put_back_together(tmp_path: Path) -> None:
    """Ethernet, an MPLS label, then IPv6 fragments: dpkt reads the encapsulation, and the
    fragments went to the walker with the IPv6 header looked for past VLAN tags only, so the
    datagram was never put back together."""
    label = struct.pack(">I", (16 << 12) | (1 << 8) | 64)  # label 16, bottom of the stack, TTL 64
    records: list[tuple[int, bytes]] = []
    for k, piece in enumerate(_pieces()):
        for j, part in enumerate(fragments(piece, ident=k, version=6)):
            records.append((START + k * 1000 + j, part[:12] + b"\x88\x47" + label + part[14:]))
    write_records(raw_dir(tmp_path / "raw") / _name(CONTACT_A, 1), records)

    (summary,) = _process(tmp_path / "raw", tmp_path / "out")

    assert _stream(tmp_path / "out") == STREAM
    assert summary["truncated_packets"] == 0


def test_both_readers_count_the_same_datagrams_whole_and_cut(tmp_path: Path) -> None:
    """The vectorised reader (a pcap) and dpkt's (a pcapng) fill one FileStats: the datagrams of
    the downlink read, and of them those the capture cut, which decide the port and cut lines."""
    pieces = [datagram(p) for p in _pieces()]
    pieces[1] = pieces[1][:60]  # cut inside its VITA-49 payload
    pcap = write_records(tmp_path / "c.pcap", [(START + k * 1000, p) for k, p in enumerate(pieces)])
    pcapng = write_pcapng(tmp_path / "c.pcapng", [(START + k * 1000, p, 0) for k, p in enumerate(pieces)])
    counted = []
    for path in (pcap, pcapng):
        _, stats = _read(path)
        counted.append((stats.packets, stats.datagrams, stats.cut_datagrams, stats.truncated_packets))
    assert counted[0] == counted[1] == (len(pieces), len(pieces), 1, 1)


def test_a_contact_half_of_whose_records_lost_their_data_is_mostly_lost() -> None:
    """At exactly half, the loss explains what else is wrong: the cut or fragment lines are said,
    not a port or CADU length to check."""
    from groundlink.processing.processor import Lost

    lost = Lost(records=5, cut=5, missing=0, datagrams=0, intact=5)
    assert lost.mostly(10) and not lost.mostly(11) and not lost.mostly(0)


# Adversarial ends of files (probe of 2026-12-06)


def test_a_zero_filled_end_is_no_packet_and_dates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A copy that allocated its file and stopped leaves zeros after the last record: each 16 of
    them read as a record of no bytes captured at 1970-01-01, counted as a packet cut by the
    capture, so the contact was dated 1970 (outside every partition Athena projects) and 256
    packets were said cut by a snap length."""
    raw = raw_dir(tmp_path)
    path = write_records(raw / _name(CONTACT_A, 1), _plain())
    with path.open("ab") as stream:
        stream.write(bytes(4096))
    code, err = _cli(raw, tmp_path / "out", capsys)
    assert code == 0 and not [line for line in err if "cut short" in line or "1970" in line or "port" in line], err
    (written,) = (tmp_path / "out").rglob("contact_summary/**/*.parquet")
    (summary,) = pq.read_table(written).to_pylist()
    assert PART in str(written) and (summary["truncated_packets"], str(summary["start_time"])[:10]) == (0, "2025-12-01")
    assert _stream(tmp_path / "out") == STREAM


def test_a_record_holding_its_whole_packet_too_short_for_a_datagram_is_none(tmp_path: Path) -> None:
    """An Ethernet header and nothing after it, recorded whole: no datagram, not one cut short
    (a record the capture cut carries its packet's longer original length, and is one)."""
    records: list[Any] = [*_plain(), (START, ethernet(b"")[:14])]
    _, stats = _read(write_records(tmp_path / "whole.pcap", records))
    assert (stats.truncated_packets, stats.datagrams) == (0, len(_plain()))
    records[-1] = (START, ethernet(b"")[:14], 42)
    _, stats = _read(write_records(tmp_path / "cut.pcap", records))
    assert stats.truncated_packets == 1


def test_a_window_of_tiny_records_holds_a_bounded_number_of_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16 million records of nothing in one 256 MiB window took 930 MB of per-record arrays, and
    each was read one by one (4 µs): the walk takes at most WINDOW_RECORDS at a time, and records
    of no bytes of no packet are left out at once."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture, "WINDOW_RECORDS", 64)
    walked: list[int] = []
    walk = capture.walk_records

    def recording(mapped: Any, at: int, stop: int, most: int | None = None) -> Any:
        found = walk(mapped, at, stop, most)
        walked.append(len(found[0].heads))
        return found

    read_one_by_one: list[int] = []
    parsed = capture._parsed
    monkeypatch.setattr(capture, "walk_records", recording)
    monkeypatch.setattr(capture, "_parsed", lambda *args, **named: read_one_by_one.append(1) or parsed(*args, **named))
    path = write_records(tmp_path / "c.pcap", _plain())
    with path.open("ab") as stream:
        stream.write(bytes(16 * 1000))
    data, stats = _read(path)
    assert data == STREAM and (stats.packets, stats.empty_records) == (len(_plain()), 1000)
    assert max(walked) == 64 and sum(walked) == stats.packets + stats.empty_records and not read_one_by_one


@pytest.mark.parametrize(("nano", "fraction"), [(False, 3_999_999_999), (False, 1_000_000), (True, 1_000_000_000)])
def test_a_fraction_of_a_second_of_a_second_or_more_is_refused_naming_the_record(
    tmp_path: Path, nano, fraction
) -> None:
    """Added as it was, it moved a packet 66 minutes on without a word."""
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    records = _plain()
    out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 65535, 1)]
    for k, (time_us, record) in enumerate(records):
        seconds = time_us // 1_000_000
        out.append(struct.pack("<IIII", seconds, fraction if k == 3 else 0, len(record), len(record)) + record)
    path = tmp_path / "c.pcap"
    path.write_bytes(b"".join(out))
    with pytest.raises(CaptureError) as refused:
        _read(path)
    unit, most = ("ns", 999_999_999) if nano else ("µs", 999_999)
    assert str(refused.value).endswith(
        f"record 4: its capture time's fraction of a second is {fraction} {unit}, a second or more (at most {most})"
    ), str(refused.value)


def test_a_capture_of_nothing_but_zeros_after_its_header_is_said_to_hold_no_packet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its records of nothing were 256 packets "none of which is a datagram of the downlink",
    with advice to check --udp-port: a copy that allocated its file and stopped holds none."""
    raw = raw_dir(tmp_path)
    path = write_records(raw / _name(CONTACT_A, 1), [])
    with path.open("ab") as stream:
        stream.write(bytes(4096))
    code, err = _cli(raw, tmp_path / "out", capsys)
    assert code == 0 and err == [
        f"groundlink: contact {CONTACT_A}: its 1 capture file holds no packet record, only file headers and 256 "
        "records of no bytes (a file's zero-filled end: a copy that stopped), so it is written empty; check that "
        "the capture ran during the pass"
    ]


def test_a_capture_of_one_zero_filled_record_says_one_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One record header's worth of zeros is "1 record of no bytes", not "1 records"."""
    raw = raw_dir(tmp_path)
    path = write_records(raw / _name(CONTACT_A, 1), [])
    with path.open("ab") as stream:
        stream.write(bytes(16))
    code, err = _cli(raw, tmp_path / "out", capsys)
    assert code == 0 and err == [
        f"groundlink: contact {CONTACT_A}: its 1 capture file holds no packet record, only file headers and 1 "
        "record of no bytes (a file's zero-filled end: a copy that stopped), so it is written empty; check that "
        "the capture ran during the pass"
    ]


def _odd_and_late(path: Path, odd: int, late: int) -> Path:
    """The plain records, record `odd` (0-based) cut to 20 bytes (read one by one, not as a plain
    datagram) and record `late` with a fraction of a second of 2,000,000 µs."""
    records = _plain()
    records[odd] = (records[odd][0], records[odd][1][:20])
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for k, (time_us, record) in enumerate(records):
        out.append(struct.pack("<IIII", time_us // 1_000_000, 2_000_000 if k == late else 0, len(record), len(record)))
        out.append(record)
    path.write_bytes(b"".join(out))
    return path


def test_the_first_bad_record_is_named_whichever_reader_reads_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mapped reader read a window's odd records before it looked at the times, and named a
    later record (one dpkt cannot parse) than dpkt's reader, which reads record by record."""
    from groundlink.processing import capture

    path = _odd_and_late(tmp_path / "c.pcap", odd=7, late=2)

    def unreadable(frame, link, fmt, where, number, *rest):
        raise CaptureError(where, f"record {number} is cut short or malformed (no data)")

    monkeypatch.setattr(capture, "_parsed", unreadable)
    with pytest.raises(CaptureError) as refused:
        _read(path)
    assert "record 3: its capture time's fraction of a second is 2000000 µs" in str(refused.value)


def _modified_pcap(path: Path, fraction_at: int | None = None, zeros: int = 0) -> Path:
    """A modified pcap (magic 0xA1B2CD34, 24-byte record headers), which dpkt reads."""
    out = [struct.pack("<IHHiIII", 0xA1B2CD34, 2, 4, 0, 0, 65535, 1)]
    for k, (time_us, record) in enumerate(_plain()):
        seconds, micros = divmod(time_us, 1_000_000)
        micros = 3_999_999_999 if k == fraction_at else micros
        out.append(struct.pack("<IIIIIHBx", seconds, micros, len(record), len(record), 0, 0, 0) + record)
    path.write_bytes(b"".join(out) + bytes(zeros))
    return path


def test_a_modified_pcap_holds_its_records_to_the_same_rules(tmp_path: Path) -> None:
    """Read by dpkt with 24-byte record headers, its zero-filled end still read as cut packets
    dated 1970, and an impossible fraction of a second moved a packet 66 minutes on."""
    data, stats = _read(_modified_pcap(tmp_path / "zeros.pcap", zeros=240))
    assert data == STREAM and stats.truncated_packets == 0 and stats.first_time == START
    with pytest.raises(CaptureError) as refused:
        _read(_modified_pcap(tmp_path / "fraction.pcap", fraction_at=2))
    assert "record 3: its capture time's fraction of a second is 3999999999 µs" in str(refused.value)


def test_a_record_dpkt_cannot_read_before_a_bad_time_is_the_one_named(tmp_path: Path, monkeypatch) -> None:
    """Checked over the whole window first, a bad time of record 8 was named where dpkt's reader
    names record 3, which it cannot read."""
    from groundlink.processing import capture

    path = _odd_and_late(tmp_path / "c.pcap", odd=2, late=7)
    parsed = capture._parsed

    def unreadable_third(frame, link, fmt, where, number, *rest):
        if number == 3:
            raise CaptureError(where, "record 3 is cut short or malformed (no data)")
        return parsed(frame, link, fmt, where, number, *rest)

    monkeypatch.setattr(capture, "_parsed", unreadable_third)
    with pytest.raises(CaptureError) as refused:
        _read(path)
    assert str(refused.value).endswith("record 3 is cut short or malformed (no data)")


def test_a_modified_pcap_of_nothing_but_zeros_holds_no_packet(tmp_path: Path) -> None:
    path = tmp_path / "zeros.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2CD34, 2, 4, 0, 0, 65535, 1) + bytes(24 * 10))
    data, stats = _read(path)
    assert (data, stats.packets, stats.empty_records, stats.truncated_packets) == (b"", 0, 10, 0)
