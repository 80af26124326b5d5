"""Datagrams a capture recorded twice (`tcpdump -i any` over a bridge or a veth pair, a mirror port
copying both directions): each copy is left out of the stream and counted, on both reading paths,
on every link type, across a contact's files; and nothing that is not a copy is taken for one.
Every capture here is built from frames the test states (tests/contactgen.py)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.cli import main
from groundlink.processing.capture import FileStats, read_capture
from groundlink.processing.config import CaptureFormat
from groundlink.processing.repeats import KEPT_FLOWS, Repeats
from tests.contactgen import (
    CONTACT_A,
    EPOCH,
    datagram,
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
STREAM = stream_of(frames(range(40)))  # 40 whole frames of 1,024 bytes
PIECES = [vita49(p, count=k) for k, p in enumerate(split(STREAM, 4096))]  # 10 datagrams, counts 0-9


def _cooked2(packet: bytes, interface: int) -> bytes:
    """`packet` (IPv4) behind a Linux cooked v2 header naming `interface`, as `tcpdump -i any`
    records it once per interface it crosses."""
    return struct.pack(">HHiHBB8s", 0x0800, 0, interface, 1, 0, 6, b"\x02" * 6 + b"\x00\x00") + packet


def _name(number: int, suffix: str = "pcap") -> str:
    return f"noaa20_{CONTACT_A}_{number}.{suffix}"


def _process(raw: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, int], bytes, list[str]]:
    assert main(["process", str(raw), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    query = "SELECT packets, repeated_datagrams, truncated_packets, frames, ok_frames, corrupt_frames, gaps FROM contact_summary"
    assert main(["query", str(out), query, "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return row, (out / "frames" / PART / CONTACT_A / "sc157-vc0.cadu").read_bytes(), err


def _repeats_line(repeated: int, packets: int) -> str:
    return (
        f"groundlink: contact {CONTACT_A}: {repeated} of its {packets} packets repeated the datagram before them "
        "on their flow byte for byte (one datagram recorded twice, as `tcpdump -i any` does where traffic crosses "
        "a bridge or a veth pair): each copy was left out; capture on the one interface the dataflow arrives on"
    )


WHOLE = {"truncated_packets": 0, "frames": 40, "ok_frames": 40, "corrupt_frames": 0, "gaps": 0}


@pytest.mark.parametrize("shape", ["ethernet", "cooked-v2", "pcapng"])
def test_a_capture_of_every_datagram_twice_gives_the_frames_of_one_capture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    """Before, each copy ran into the stream: the frames came out corrupt, some lost as gaps, and
    the hint blamed --cadu-length. The pcap shapes are read by the array path, pcapng by dpkt's."""
    records = []
    for k, piece in enumerate(PIECES):
        for copy in range(2):
            # cooked: the bridge's and the veth's copy, their link headers apart
            record = _cooked2(bytes(ip_udp(piece)), interface=3 + copy) if shape == "cooked-v2" else datagram(piece)
            records.append((START + k * 1000 + copy * 7, record))
    raw = raw_dir(tmp_path / "raw")
    if shape == "pcapng":
        write_pcapng(raw / _name(1, "pcapng"), [(t, r, 0) for t, r in records])
    else:
        write_records(raw / _name(1), records, link=276 if shape == "cooked-v2" else 1)

    row, stream, err = _process(tmp_path / "raw", tmp_path / "out", capsys)

    assert stream == STREAM
    assert row == {"packets": 20, "repeated_datagrams": 10, **WHOLE}
    assert err == [_repeats_line(10, 20)]


def test_copies_count_for_no_packet_when_most_records_lost_their_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ten datagrams recorded twice and ten cut by a snap length of 64: half of the contact's 20
    packets lost their data, so the snap length is said. Counted against 30 records, copies
    included, the cut went unsaid and the user was told only of the copies."""
    pieces = [vita49(p, count=k % 16) for k, p in enumerate(split(stream_of(frames(range(80))), 4096))]
    records = [(START + k * 1000 + copy, datagram(piece)) for k, piece in enumerate(pieces[:10]) for copy in range(2)]
    records += [
        (START + k * 1000, datagram(piece)[:64], len(datagram(piece))) for k, piece in enumerate(pieces[10:], 10)
    ]
    write_records(raw_dir(tmp_path / "raw") / _name(1), records)

    row, _, err = _process(tmp_path / "raw", tmp_path / "out", capsys)

    assert (row["packets"], row["repeated_datagrams"], row["truncated_packets"]) == (30, 10, 10)
    assert err == [
        _repeats_line(10, 30),
        f"groundlink: contact {CONTACT_A}: 10 of its 30 packets were cut short by the capture (each record holds "
        "less than its packet: a snap length under the packets' size), so their data is missing; capture whole "
        "packets (tcpdump -s 0)",
    ]


def test_copies_of_datagrams_that_cut_frames_anywhere_corrupt_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1,000-byte payloads cut the 1,024-byte frames anywhere: each copy ran its bytes into the
    stream mid-frame (39 ok, 41 corrupt, and the hint blamed --cadu-length)."""
    pieces = [vita49(p, count=k) for k, p in enumerate(split(STREAM, 1000))]  # 41 datagrams
    records = [(START + k * 1000 + copy, datagram(piece)) for k, piece in enumerate(pieces) for copy in range(2)]
    write_records(raw_dir(tmp_path / "raw") / _name(1), records)

    row, stream, err = _process(tmp_path / "raw", tmp_path / "out", capsys)

    assert stream == STREAM and row == {"packets": 82, "repeated_datagrams": 41, **WHOLE}
    assert err == [_repeats_line(41, 82)]


def test_a_copy_that_starts_the_next_file_of_the_capture_is_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tcpdump -C` cuts a capture into files wherever the size falls: a datagram's copy may open
    the next one."""
    raw = raw_dir(tmp_path / "raw")
    first = [(START + k * 1000, datagram(p)) for k, p in enumerate(PIECES[:5])]
    second = [(START + 4007, datagram(PIECES[4]))] + [
        (START + k * 1000, datagram(p)) for k, p in enumerate(PIECES[5:], 5)
    ]
    write_records(raw / _name(1), first)
    write_records(raw / _name(2), second)

    row, stream, err = _process(tmp_path / "raw", tmp_path / "out", capsys)

    assert stream == STREAM and row == {"packets": 11, "repeated_datagrams": 1, **WHOLE}
    assert err == [_repeats_line(1, 11)]


def test_copies_of_two_flows_recorded_in_turn_are_each_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two downlinks on two ports, each datagram's copy recorded after the other flow's datagram:
    a copy is the one before it in its own flow, not in the file."""
    other = [vita49(b"\xaa" * 1024, count=k) for k in range(10)]
    records = []
    for k, (piece, extra) in enumerate(zip(PIECES, other, strict=True)):
        a, b = datagram(piece), datagram(extra, port=4000)
        records += [(START + k * 1000 + j, r) for j, r in enumerate((a, b, a, b))]
    write_records(raw_dir(tmp_path / "raw") / _name(1), records)

    code = main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--udp-port", "55888"])
    err = capsys.readouterr().err.splitlines()

    assert code == 0 and (tmp_path / "out" / "frames" / PART / CONTACT_A / "sc157-vc0.cadu").read_bytes() == STREAM
    assert err == [_repeats_line(10, 40)]  # only the downlink's port is read: its 10 copies


def test_the_sender_s_next_packet_with_the_same_payload_is_no_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same payload bytes in a new packet carry the next packet count: two packets, both read."""
    piece = STREAM[:1024]
    records = [(START + k * 1000, datagram(vita49(piece, count=k))) for k in range(3)]
    write_records(raw_dir(tmp_path / "raw") / _name(1), records)

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert (
        main(
            [
                "query",
                str(tmp_path / "out"),
                "SELECT repeated_datagrams, ok_frames, duplicate_frames FROM contact_summary",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out) == {"repeated_datagrams": 0, "ok_frames": 1, "duplicate_frames": 2}


def test_a_copy_of_a_truncated_packet_is_one_truncated_packet(tmp_path: Path) -> None:
    """A snap length cuts both copies alike: one datagram, one truncated packet."""
    cut = datagram(PIECES[3])[:600]
    records = [(START + k * 1000, datagram(p)) for k, p in enumerate(PIECES)]
    records[3:4] = [(START + 3000, cut, len(datagram(PIECES[3]))), (START + 3001, cut, len(datagram(PIECES[3])))]
    path = write_records(tmp_path / "c.pcap", records)
    stats = FileStats(path, path.stat().st_size)

    data = b"".join(c.data.tobytes() for c in read_capture(path, CaptureFormat(), stats, 0, 1 << 20))

    assert (stats.packets, stats.truncated_packets, stats.repeated_datagrams, stats.datagrams) == (11, 1, 1, 10)
    assert len(data) == len(STREAM) - 4096 + (600 - 14 - 20 - 8 - 28)  # the cut datagram's payload, once


def test_another_dataflow_s_identical_first_datagram_is_no_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each dataflow's files are a stream of their own (docs/processing.md): the last datagram of
    one is never compared with the first of the next."""
    day = raw_dir(tmp_path / "raw")
    other = [vita49(p, count=k) for k, p in enumerate(split(stream_of(frames(range(40), spacecraft=158)), 4096))]
    write_records(day / "downlink-a" / _name(1), [(START + k * 1000, datagram(p)) for k, p in enumerate(PIECES)])
    # the other dataflow opens with the same bytes as the first one's last datagram
    b = [PIECES[-1], *other]
    write_records(day / "downlink-b" / _name(1), [(START + k * 1000, datagram(p)) for k, p in enumerate(b)])

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    sql = "SELECT repeated_datagrams, ok_frames, duplicate_frames FROM contact_summary"
    assert main(["query", str(tmp_path / "out"), sql, "--json"]) == 0
    # its frames are read (duplicates of frames 36-39 of spacecraft 157), not left out as a copy
    assert json.loads(capsys.readouterr().out) == {"repeated_datagrams": 0, "ok_frames": 80, "duplicate_frames": 4}


# The array path's judgement of a window against the record-by-record one, on any sequence.
_DATAGRAMS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 2)),  # flow, VITA count, payload
    max_size=40,
)


def _datagram(flow: int, count: int, payload: int) -> bytes:
    udp = struct.pack(">HHHH", 50000, 4000 + flow, 8 + 16, 0)
    return udp + struct.pack(">I", (1 << 28) | (count << 16) | 4) + bytes([payload]) * 12


@settings(max_examples=150, deadline=None, derandomize=True)
@given(_DATAGRAMS, st.integers(1, 40))
def test_a_window_s_copies_are_the_ones_record_by_record_finds_wherever_windows_end(sequence, window) -> None:
    datagrams = [_datagram(*d) for d in sequence]
    one_by_one = Repeats()
    expected = [one_by_one.repeated(d) for d in datagrams]

    windowed, found = Repeats(), []
    for start in range(0, len(datagrams), window):
        part = datagrams[start : start + window]
        flows = np.array([int.from_bytes(d[:4], "big") for d in part], np.int64)
        marks = np.zeros(len(part), np.int64)  # marks all alike: every pair in a flow compared whole
        sizes = np.array([len(d) for d in part], np.int64)
        whole = np.ones(len(part), bool)
        found += windowed.repeated_in(flows, marks, sizes, whole, part.__getitem__).tolist()

    assert found == expected
    # the rule itself: a datagram is a copy exactly when the one before it in its flow is the same
    reference = []
    for i, d in enumerate(datagrams):
        prior = [x for x in datagrams[:i] if x[:4] == d[:4]]
        reference.append(bool(prior) and prior[-1] == d)
    assert expected == reference


def test_flows_long_unseen_are_given_up_first() -> None:
    """With `udp_ports` open every UDP flow is read: what is kept of them stays bounded."""
    repeats = Repeats()
    first = _datagram(0, 0, 0)
    repeats.repeated(first)
    for flow in range(1, KEPT_FLOWS + 1):  # as many flows again, each with a port of its own
        repeats.repeated(struct.pack(">HH", 1, flow) + first[4:])
    assert len(repeats._last) == KEPT_FLOWS
    assert repeats.repeated(struct.pack(">HH", 1, KEPT_FLOWS) + first[4:])  # the latest flow: kept
    assert not repeats.repeated(first)  # its flow was the least recently seen: given up
