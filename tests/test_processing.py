"""The contact processor on synthetic contacts whose every byte the test states."""

from __future__ import annotations

import struct
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.processing import frames as frames_module
from groundlink.processing import processor
from groundlink.processing.config import CaptureFormat
from groundlink.processing.errors import ProcessingError
from groundlink.processing.processor import discover, process_contact
from groundlink.processing.query import run_query
from tests.contactgen import (
    ASM,
    CADU,
    CONTACT_A,
    CONTACT_B,
    EPOCH,
    PORT,
    Capture,
    Frame,
    Packet,
    contact_file,
    frames,
    packetise,
    raw_dir,
    stream_of,
    vita49,
)
from tests.test_processing_edges import cut_line

START = EPOCH * 1_000_000
PART = "year=2025/month=12/day=01/satellite=noaa20"


def run(root: Path, **kwargs: object) -> list[dict[str, object]]:
    return [process_contact(c, root / "out") for c in discover(root / "raw", CaptureFormat(), **kwargs)]


def stream_file(root: Path, contact: str, spacecraft: int, vc: int) -> bytes:
    return (root / "out" / "frames" / PART / contact / f"sc{spacecraft}-vc{vc}.cadu").read_bytes()


def index_rows(root: Path, contact: str) -> list[dict[str, object]]:
    return pq.read_table(root / "out" / "frame_index" / PART / f"{contact}.parquet").to_pylist()


def write(root: Path, items: list[Frame | bytes], contact: str = CONTACT_A, files: int = 1, piece: int = 1000) -> None:
    """The stream of `items` as VITA-49 pieces of `piece` bytes, spread over `files` captures."""
    packets = packetise(stream_of(items), piece, START)
    per_file = -(-len(packets) // files)
    for n in range(files):
        Capture(packets[n * per_file : (n + 1) * per_file]).write(contact_file(raw_dir(root / "raw"), contact, n + 1))


def test_clean_contact_over_two_files_gives_each_channel_its_exact_frames(tmp_path: Path) -> None:
    vc0, vc3 = frames(range(40)), frames(range(100, 120), vc=3)
    interleaved = [f for pair in zip(vc0[:20], vc3, strict=True) for f in pair] + vc0[20:]
    write(tmp_path, interleaved, files=2, piece=1000)  # pieces and files cut frames anywhere

    (summary,) = run(tmp_path)

    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(vc0)
    assert stream_file(tmp_path, CONTACT_A, 157, 3) == stream_of(vc3)
    assert (summary["frames"], summary["ok_frames"], summary["gaps"], summary["files"]) == (60, 60, 0, 2)
    assert summary["payload_bytes"] == 60 * CADU and summary["skipped_bytes"] == 0
    assert summary["start_time"] == START and summary["end_time"] == START + (62 - 1) * 1000  # 62 packets, 1 ms apart
    assert [(c["virtual_channel"], c["frames"], c["bytes"]) for c in summary["channels"]] == [
        (0, 40, 40 * CADU),
        (3, 20, 20 * CADU),
    ]
    rows = index_rows(tmp_path, CONTACT_A)
    assert [r["frame_count"] for r in rows[:4]] == [0, 100, 1, 101]
    assert [r["stream_offset"] for r in rows[:3]] == [0, CADU, 2 * CADU]
    assert rows[1]["packet"] == 2 and rows[1]["capture_file"].endswith("_0001.pcap")  # byte 1024 is in the 2nd piece
    assert rows[-1]["capture_file"].endswith("_0002.pcap")


def test_the_last_frame_holding_the_sync_marker_in_its_data_comes_out_whole(tmp_path: Path) -> None:
    """At the end of the stream no marker can follow the last frame, so none is predicted: the
    marker bytes in its data field (1ACFFC1D at byte 500) were taken for an early next marker,
    which cut the frame in two, a 500-byte corrupt frame and a 524-byte one that does not exist,
    and left it out of its stream."""
    stream = bytearray(stream_of(frames(range(10))))
    stream[9 * CADU + 500 : 9 * CADU + 504] = ASM
    write(tmp_path, [bytes(stream)], piece=4096)

    (summary,) = run(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"]) == (10, 10, 0)
    assert summary["skipped_bytes"] == 0 and summary["gaps"] == 0
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == bytes(stream)


def test_gap_is_counted_once_with_its_missing_frames(tmp_path: Path) -> None:
    write(tmp_path, frames([*range(10), *range(15, 20)]))

    (summary,) = run(tmp_path)

    assert (summary["gaps"], summary["missing_frames"], summary["ok_frames"]) == (1, 5, 15)
    rows = index_rows(tmp_path, CONTACT_A)
    assert [(r["frame_count"], r["missing_before"]) for r in rows if r["missing_before"]] == [(15, 5)]


def test_repeated_frame_is_a_duplicate_and_left_out_of_the_stream(tmp_path: Path) -> None:
    sent = frames([0, 1, 2, 3, 3, 4, 2, 5])
    write(tmp_path, sent)

    (summary,) = run(tmp_path)

    assert (summary["duplicate_frames"], summary["ok_frames"], summary["gaps"]) == (2, 6, 0)
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames(range(6)))
    statuses = [(r["frame_count"], r["status"]) for r in index_rows(tmp_path, CONTACT_A)]
    assert statuses[4] == (3, "duplicate") and statuses[6] == (2, "duplicate")


@pytest.mark.parametrize("idle_counts", [[0] * 6, [0, 7, 3, 100, 2, 2]], ids=["constant", "jumping"])
def test_idle_frames_are_neither_streamed_nor_counted_as_gaps_or_duplicates(tmp_path: Path, idle_counts) -> None:
    """Virtual channel 63 is AOS's idle channel (CCSDS 732.0-B: all ones reserved for idle
    data), the fill between data frames. Its frames were streamed as data and their counts
    judged: a constant count made each a duplicate, a jumping one gaps where nothing was lost."""
    data = frames(range(10))
    idle = frames(idle_counts, vc=63)
    write(tmp_path, [*data[:3], *idle[:3], *data[3:8], *idle[3:], *data[8:]])

    (summary,) = run(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["idle_frames"]) == (16, 10, 6)
    assert (summary["duplicate_frames"], summary["gaps"], summary["missing_frames"]) == (0, 0, 0)
    assert [(c["virtual_channel"], c["frames"]) for c in summary["channels"]] == [(0, 10)]
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(data)
    assert not (tmp_path / "out" / "frames" / PART / CONTACT_A / "sc157-vc63.cadu").exists()
    rows = index_rows(tmp_path, CONTACT_A)
    assert [(r["virtual_channel"], r["status"], r["reason"]) for r in rows if r["status"] != "ok"] == [
        (63, "idle", None)
    ] * 6
    assert all(r["missing_before"] == 0 for r in rows)


def test_counts_wrap_at_24_bits_without_a_gap(tmp_path: Path) -> None:
    top = (1 << 24) - 2
    write(tmp_path, frames([top, top + 1, 0, 1]))

    (summary,) = run(tmp_path)

    assert (summary["ok_frames"], summary["gaps"], summary["duplicate_frames"]) == (4, 0, 0)


@pytest.mark.parametrize(
    ("counts", "duplicates", "stream"),
    [
        # a frame from before the wrap, repeated after it: one duplicate, nothing missing
        ([(1 << 24) - 3, (1 << 24) - 2, (1 << 24) - 1, 0, (1 << 24) - 1, 1, 2], [4], [0, 1, 2, 3, 5, 6]),
        # the last frame before the wrap, arriving again two frames after it
        ([(1 << 24) - 1, 0, 1, (1 << 24) - 1, 2], [3], [0, 1, 2, 4]),
        # (a count older than the contact's first, never received, is a late frame and kept:
        # tests/test_processing_order.py)
    ],
)
def test_a_repeat_from_before_the_wrap_is_one_duplicate_not_a_jump_of_2_to_the_24(
    tmp_path: Path, counts: list[int], duplicates: list[int], stream: list[int]
) -> None:
    sent = frames(counts)
    write(tmp_path, sent)

    (summary,) = run(tmp_path)

    assert (summary["duplicate_frames"], summary["gaps"], summary["missing_frames"]) == (len(duplicates), 0, 0)
    rows = index_rows(tmp_path, CONTACT_A)
    assert [i for i, r in enumerate(rows) if r["status"] == "duplicate"] == duplicates
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of([sent[i] for i in stream])


def test_truncated_packet_makes_one_short_corrupt_frame_and_a_gap(tmp_path: Path) -> None:
    # One frame per packet; packet 3 (frame count 2) is captured short: 28 header bytes + 472 of its frame.
    packets = [Packet(vita49(f.bytes()), START + i * 1000) for i, f in enumerate(frames(range(6)))]
    packets[2].keep = 500
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    (summary,) = run(tmp_path)

    assert summary["truncated_packets"] == 1
    assert (summary["corrupt_frames"], summary["ok_frames"], summary["gaps"], summary["missing_frames"]) == (1, 5, 1, 1)
    corrupt = [r for r in index_rows(tmp_path, CONTACT_A) if r["status"] == "corrupt"]
    assert [(r["packet"], r["reason"]) for r in corrupt] == [(3, "truncated: 472 of 1024 bytes")]
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames([0, 1, 3, 4, 5]))


def test_corrupt_header_is_reported_and_not_streamed(tmp_path: Path) -> None:
    sent = [*frames(range(3)), Frame(3, version=0), *frames(range(4, 6))]
    write(tmp_path, sent)

    (summary,) = run(tmp_path)

    assert (summary["corrupt_frames"], summary["ok_frames"], summary["missing_frames"]) == (1, 5, 1)
    (bad,) = [r for r in index_rows(tmp_path, CONTACT_A) if r["status"] == "corrupt"]
    assert bad["reason"] == "transfer frame version 0, expected 1" and bad["frame"] == 3
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames([0, 1, 2, 4, 5]))


def test_junk_between_frames_is_skipped_and_counted_and_the_frame_before_it_not_trusted(tmp_path: Path) -> None:
    """Bytes off the frame grid after a whole frame are most often its own tail's replacement
    (datagrams out of order, below): the frame is corrupt, not streamed, and indexed with why."""
    junk = b"\x00" * 300
    write(tmp_path, [junk, *frames(range(3)), junk + junk, *frames(range(3, 5))])

    (summary,) = run(tmp_path)

    assert (summary["ok_frames"], summary["skipped_bytes"], summary["corrupt_frames"]) == (4, 900, 1)
    (bad,) = [r for r in index_rows(tmp_path, CONTACT_A) if r["status"] == "corrupt"]
    assert bad["frame"] == 2 and bad["reason"] == (
        "followed by 600 bytes off the frame grid (datagrams lost or out of order): its own bytes may be among them"
    )
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames([0, 1, 3, 4]))


def _products(root: Path) -> tuple[list[tuple[object, ...]], bytes]:
    rows = [(r["frame"], r["status"], r["reason"], r["stream_offset"]) for r in index_rows(root, CONTACT_A)]
    return rows, stream_file(root, CONTACT_A, 157, 0)


JUNK_AT_AN_END = (stream_of([*frames(range(2)), b"\x55" * 104]), stream_of(frames(range(2, 40))))


def _whole(root: Path) -> tuple[list[tuple[object, ...]], bytes]:
    Capture(packetise(b"".join(JUNK_AT_AN_END), 1024, START)).write(contact_file(raw_dir(root / "raw"), CONTACT_A, 1))
    (summary,) = run(root)
    assert (summary["ok_frames"], summary["corrupt_frames"], summary["skipped_bytes"]) == (39, 1, 104)
    return _products(root)


def test_junk_after_a_frame_is_judged_the_same_where_a_file_ends(tmp_path: Path) -> None:
    """A contact's files are one stream: a frame followed by junk at the end of a file came out
    ok, and was streamed, where in one file it is corrupt."""
    before, after = JUNK_AT_AN_END
    first = packetise(before, 1024, START)
    Capture(first).write(contact_file(raw_dir(tmp_path / "cut" / "raw"), CONTACT_A, 1))
    rest = packetise(after, 1024, START + 1000 * len(first))
    Capture(rest).write(contact_file(raw_dir(tmp_path / "cut" / "raw"), CONTACT_A, 2))
    run(tmp_path / "cut")

    assert _products(tmp_path / "cut") == _whole(tmp_path / "whole")


def test_junk_after_a_frame_is_judged_the_same_wherever_the_reader_s_window_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window ends with a whole packet: of 1,076 bytes, the second ends with the junk."""
    expected = _whole(tmp_path / "whole")
    for size in range(1076, 7 * 1076, 1076):  # a window ends with the packet that reaches its size: each packet
        monkeypatch.setattr(processor, "CHUNK_BYTES", size)
        root = tmp_path / str(size)
        Capture(packetise(b"".join(JUNK_AT_AN_END), 1076, START)).write(
            contact_file(raw_dir(root / "raw"), CONTACT_A, 1)
        )
        run(root)
        assert _products(root) == expected, size


def test_a_marker_beyond_the_reach_says_nothing_of_the_frame_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Out of order datagrams displace bytes by a few datagrams: a frame followed by junk longer
    than OFF_GRID_REACH (the signal lost, then found again) keeps its status."""
    monkeypatch.setattr(frames_module, "OFF_GRID_REACH", 3000)
    write(tmp_path, [*frames(range(3)), b"\x55" * 2999, *frames(range(3, 6)), b"\x55" * 3001, *frames(range(6, 9))])

    (summary,) = run(tmp_path)

    bad = {r["frame"]: r["reason"] for r in index_rows(tmp_path, CONTACT_A) if r["status"] == "corrupt"}
    assert bad == {
        2: "followed by 2999 bytes off the frame grid (datagrams lost or out of order): its own bytes may be among them"
    }
    assert (summary["ok_frames"], summary["skipped_bytes"]) == (8, 6000)


def test_datagrams_out_of_order_leave_no_frame_with_wrong_bytes_marked_ok(tmp_path: Path) -> None:
    """Two 1,000-byte datagrams swapped inside a stream of 1,024-byte CADUs: two frames came out
    ok with tails from the other datagram, and their wrong bytes went into the stream."""
    packets = packetise(stream_of(frames(range(50))), 1000, START)
    packets[10], packets[11] = packets[11], packets[10]
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    (summary,) = run(tmp_path)

    bad = {r["frame"]: r["reason"] for r in index_rows(tmp_path, CONTACT_A) if r["status"] == "corrupt"}
    off_grid = (
        "followed by 24 bytes off the frame grid (datagrams lost or out of order): its own bytes may be among them"
    )
    assert bad == {9: off_grid, 10: "truncated: 976 of 1024 bytes", 11: off_grid}
    assert (summary["ok_frames"], summary["skipped_bytes"]) == (47, 48)
    # every frame in the stream is exactly as sent
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames([n for n in range(50) if n not in bad]))


@pytest.mark.parametrize("lost", [10, 11], ids=["mid-stream", "the-last-marker"])
def test_a_datagram_lost_leaves_no_frame_with_another_s_bytes_marked_ok(tmp_path: Path, lost: int) -> None:
    """Frames 0-11 of 1,024 bytes in 1,000-byte datagrams. Datagram 10 (bytes 10,000-10,999)
    holds frame 9's tail and frame 10's marker: lost, frame 9 runs into frame 10's tail, 24 bytes
    short of frame 11's marker. Datagram 11 holds frame 10's tail and frame 11's marker: lost, no
    marker follows frame 10, which ran into frame 11's tail (24 bytes left after it) and came out
    ok, as the stream's last frame, where the same loss mid-stream makes it corrupt."""
    packets = packetise(stream_of(frames(range(12))), 1000, START)
    del packets[lost]
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    (summary,) = run(tmp_path)

    rows = index_rows(tmp_path, CONTACT_A)
    bad = {r["frame_count"]: r["reason"] for r in rows if r["status"] != "ok"}
    cut = lost - 1  # the frame whose tail was in the lost datagram
    assert bad == {
        cut: "followed by 24 bytes off the frame grid (datagrams lost or out of order): its own bytes may be among them"
    }, bad
    sent_ok = [r["frame_count"] for r in rows if r["status"] == "ok"]
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames(sent_ok))  # every frame as sent
    assert summary["ok_frames"] == len(sent_ok) == 10


def test_frames_cut_by_chunk_boundaries_come_out_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(processor, "CHUNK_BYTES", 3000)  # chunks end inside frames and inside sync markers
    sent = frames(range(50))
    write(tmp_path, sent, piece=700)

    (summary,) = run(tmp_path)

    assert (summary["ok_frames"], summary["corrupt_frames"], summary["skipped_bytes"]) == (50, 0, 0)
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(sent)


def test_empty_contact_has_a_summary_and_no_frames_and_says_its_captures_hold_no_packet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A capture that saw nothing was written as a quiet success, not a word on stderr."""
    Capture([]).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    Capture([]).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 2))

    (summary,) = run(tmp_path)

    assert capsys.readouterr().err == (
        f"groundlink: contact {CONTACT_A}: its 2 capture files hold no packet record, only 48 bytes of file "
        "headers, so it is written empty; check that the capture ran during the pass\n"
    )
    assert (summary["frames"], summary["packets"], summary["start_time"], summary["channels"]) == (0, 0, None, [])
    assert index_rows(tmp_path, CONTACT_A) == []
    _, rows = run_query(tmp_path / "out", "SELECT contact_id, frames, satellite, day FROM contact_summary")
    assert rows == [(CONTACT_A, 0, "noaa20", "01")]


def test_two_contacts_mixed_in_one_directory_are_processed_apart(tmp_path: Path) -> None:
    write(tmp_path, frames(range(10)), contact=CONTACT_A)
    write(tmp_path, frames(range(500, 507), vc=1), contact=CONTACT_B)

    summaries = {s["contact_id"]: s for s in run(tmp_path)}

    assert {k: s["ok_frames"] for k, s in summaries.items()} == {CONTACT_A: 10, CONTACT_B: 7}
    assert stream_file(tmp_path, CONTACT_B, 157, 1) == stream_of(frames(range(500, 507), vc=1))
    assert {r["contact_id"] for r in index_rows(tmp_path, CONTACT_B)} == {CONTACT_B}


def test_bad_files_get_one_error_each_and_nothing_is_written(tmp_path: Path) -> None:
    write(tmp_path, frames(range(10)), files=1)
    directory = raw_dir(tmp_path / "raw")
    (directory / f"noaa20_{CONTACT_A}_0002.pcap").write_bytes(b"this is not a capture")
    good = contact_file(directory, CONTACT_A, 1).read_bytes()
    (directory / f"noaa20_{CONTACT_A}_0003.pcap").write_bytes(good + bytes(8))  # ends inside a record header

    with pytest.raises(ProcessingError) as error:
        run(tmp_path)

    assert len(error.value.lines) == 2
    assert error.value.lines[0].endswith("_0002.pcap: not a pcap or pcapng capture")
    assert "_0003.pcap: record " in error.value.lines[1] and "cut short" in error.value.lines[1]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("kept", "said"),
    [
        # a pcap cut inside its 24-byte global header, a pcapng inside its section header block or
        # inside the interface description after it: a transfer cut short, not another format
        ("pcap:10", "cut short in its pcap file header (the file holds 10 of its 24 bytes)"),
        ("pcap:4", "cut short in its pcap file header (the file holds 4 of its 24 bytes)"),
        ("pcapng:20", "block at byte 0 is cut short (its header gives 28 bytes, the file holds 20)"),
        ("pcapng:38", "block at byte 28 is cut short (its header gives 20 bytes, the file holds 10)"),
    ],
)
def test_a_capture_cut_inside_its_file_header_is_said_to_be_cut_short(tmp_path: Path, kept: str, said: str) -> None:
    """Such a file was called "not a pcap or pcapng capture", which sends the user looking for a
    format problem where a copy was interrupted."""
    kind, size = kept.split(":")
    shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
    idb = struct.pack("<IIHHI", 1, 20, 1, 0, 65535) + struct.pack("<I", 20)
    whole = bytes.fromhex("d4c3b2a1") + struct.pack("<HHiIII", 2, 4, 0, 0, 65535, 1) if kind == "pcap" else shb + idb
    directory = raw_dir(tmp_path / "raw")
    directory.mkdir(parents=True)
    bad = directory / f"noaa20_{CONTACT_A}_0001.{kind}"
    bad.write_bytes(whole[: int(size)])

    with pytest.raises(ProcessingError) as error:
        run(tmp_path)

    assert error.value.lines == [f"{bad}: {said}"]
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_processing_again_replaces_the_contact_products(tmp_path: Path) -> None:
    write(tmp_path, frames(range(10)))
    run(tmp_path)
    write(tmp_path, frames(range(4)))

    (summary,) = run(tmp_path)

    assert summary["ok_frames"] == 4 and len(index_rows(tmp_path, CONTACT_A)) == 4
    assert stream_file(tmp_path, CONTACT_A, 157, 0) == stream_of(frames(range(4)))
    assert [p.name for p in (tmp_path / "out").iterdir()] != [] and not list((tmp_path / "out").glob(".staging-*"))


def test_file_without_contact_id_or_satellite_is_refused(tmp_path: Path) -> None:
    Capture([]).write(tmp_path / "raw" / "capture.pcap")

    with pytest.raises(ProcessingError) as error:
        discover(tmp_path / "raw", CaptureFormat())

    assert error.value.lines == [
        f"{tmp_path / 'raw' / 'capture.pcap'}: no contact id in the file name "
        f"(pattern {CaptureFormat().contact_id_pattern}); pass --contact-id"
    ]


def test_a_file_without_a_contact_id_among_named_ones_is_not_told_to_merge_them(tmp_path: Path) -> None:
    """--contact-id makes every file one contact: beside files that name theirs, a file that does
    not is to be renamed or moved out, not all of them merged into one contact."""
    write(tmp_path, frames(range(4)))
    Capture([]).write(raw_dir(tmp_path / "raw") / "capture.pcap")

    with pytest.raises(ProcessingError) as error:
        discover(tmp_path / "raw", CaptureFormat())

    [line] = error.value.lines
    assert line.endswith(
        "capture.pcap: no contact id in the file name "
        f"(pattern {CaptureFormat().contact_id_pattern}); rename it with its contact's id, or move it out "
        "(--contact-id would make every file one contact)"
    )


def test_a_file_outside_any_satellite_folder_among_placed_ones_is_not_told_to_set_every_satellite(
    tmp_path: Path,
) -> None:
    """--satellite sets every file's satellite: beside files under satellite=noaa20/, one outside any
    such folder is to be moved there, not all of them given one satellite."""
    write(tmp_path, frames(range(4)))
    Capture([]).write(contact_file(tmp_path / "raw", CONTACT_B, 1))

    with pytest.raises(ProcessingError) as error:
        discover(tmp_path / "raw", CaptureFormat())

    [line] = error.value.lines
    assert line.endswith(
        "no satellite= in the path; move it under its satellite's satellite=<name>/ folder (--satellite would set "
        "every file's)"
    )


def test_a_delivery_laid_out_without_satellite_folders_is_one_line_not_one_a_file(tmp_path: Path) -> None:
    """The AWS S3 delivery sample stores a contact under data/<satellite>/<year>/<month>/<day>/, no
    satellite= folder: each of its capture files (about twenty a contact, and the empty guiding
    one) was a line of its own, all saying the same."""
    day = tmp_path / "data" / "JPSS1" / "2025" / "12" / "01"
    for number in range(1, 4):
        Capture([]).write(day / f"{CONTACT_A}_2025-12-01-09-00-00_{number}.pcap")

    with pytest.raises(ProcessingError) as error:
        discover(tmp_path / "data", CaptureFormat())

    assert error.value.lines == [
        f"{day / f'{CONTACT_A}_2025-12-01-09-00-00_1.pcap'} (and 2 other files): no satellite= in the path; "
        "pass --satellite"
    ]


def test_files_to_move_one_by_one_are_each_named(tmp_path: Path) -> None:
    """Beside files under satellite=noaa20/, each file outside any such folder is to be moved: each
    is named on a line of its own, as the fix is each file's, not one flag's."""
    write(tmp_path, frames(range(4)))
    strays = [tmp_path / "raw" / folder / f"{CONTACT_B}_{number}.pcap" for number, folder in enumerate("xy", 1)]
    for stray in strays:
        Capture([]).write(stray)

    with pytest.raises(ProcessingError) as error:
        discover(tmp_path / "raw", CaptureFormat())

    assert [line.split(": ")[0] for line in error.value.lines] == [str(stray) for stray in strays]


def test_duckdb_rows_match_the_processor_counts(tmp_path: Path) -> None:
    sent = [*frames([0, 1, 2, 2, 5, 6]), Frame(7, version=3), *frames(range(40, 45), vc=2), *frames([9, 9], vc=63)]
    write(tmp_path, sent)
    (summary,) = run(tmp_path)
    root = tmp_path / "out"

    _, by_status = run_query(root, "SELECT status, count(*) FROM frame_index GROUP BY status ORDER BY status")
    _, by_channel = run_query(
        root,
        "SELECT virtual_channel, count(*), sum(missing_before) FROM frame_index "
        "WHERE status = 'ok' GROUP BY virtual_channel ORDER BY 1",
    )
    _, channels = run_query(
        root, "SELECT c.virtual_channel, c.frames, c.missing_frames FROM contact_summary, unnest(channels) AS t(c)"
    )

    assert by_status == [
        ("corrupt", summary["corrupt_frames"]),
        ("duplicate", summary["duplicate_frames"]),
        ("idle", summary["idle_frames"]),
        ("ok", summary["ok_frames"]),
    ]
    assert by_status == [("corrupt", 1), ("duplicate", 1), ("idle", 2), ("ok", 10)]
    assert by_channel == [(0, 5, 2), (2, 5, 0)]
    assert sorted(channels) == by_channel


def test_the_processor_itself_says_a_capture_cut_its_packets_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cloud's runtimes call process_contact, not the command line: the line naming the
    capture's cut must come from the processor, or their logs say nothing at all."""
    packets = packetise(stream_of(frames(range(20))), 1024, START)
    for packet in packets:
        packet.keep = 600  # cut after some data: the markers stand 572 bytes apart
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    (summary,) = run(tmp_path)

    assert summary["truncated_packets"] == summary["packets"] == 20
    assert capsys.readouterr().err.splitlines() == [cut_line(CONTACT_A, 20, 20)]


def test_a_contact_of_tm_frames_is_said_to_be_tm_not_left_at_all_corrupt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """TM frames (version 0) were all corrupt, "transfer frame version 0, expected 1", with no
    word on stderr that the downlink speaks another protocol."""
    write(tmp_path, [Frame(n, version=0) for n in range(30)] + frames(range(5)))

    (summary,) = run(tmp_path)

    assert (summary["corrupt_frames"], summary["ok_frames"]) == (30, 5)
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: contact {CONTACT_A}: 30 of its 35 frames are transfer frame version 0 (TM, CCSDS 132.0-B), "
        "which groundlink does not decode: it reads AOS frames (version 1, CCSDS 732.0-B) only"
    ]


def test_a_few_frames_of_another_version_are_left_to_their_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, [Frame(0, version=0), *frames(range(1, 10))])
    (summary,) = run(tmp_path)
    assert summary["corrupt_frames"] == 1 and capsys.readouterr().err == ""


@pytest.mark.parametrize(("tm", "said"), [(20, True), (19, False)])
def test_the_protocol_line_comes_at_half_the_frames_of_another_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tm: int, said: bool
) -> None:
    """The line naming the protocol is for a contact at least half of whose frames are of
    another version: 20 of 40 TM frames are said, 19 of 39 are left to the index's reasons."""
    total = 40 if said else 39
    write(tmp_path, [Frame(n, version=0) for n in range(tm)] + frames(range(tm, total)))
    (summary,) = run(tmp_path)
    assert summary["corrupt_frames"] == tm
    err = capsys.readouterr().err.splitlines()
    assert err == (
        [
            f"groundlink: contact {CONTACT_A}: {tm} of its {total} frames are transfer frame version 0 (TM, "
            "CCSDS 132.0-B), which groundlink does not decode: it reads AOS frames (version 1, CCSDS 732.0-B) only"
        ]
        if said
        else []
    )


def test_a_payload_without_any_sync_marker_is_said_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A delivery whose payload never holds the marker (bare CADUs read through a VITA-49 header,
    a DigIF delivery, the wrong port) was written as "0 frames" with nothing on stderr."""
    write(tmp_path, [bytes(range(256)) * 8])

    (summary,) = run(tmp_path)

    assert (summary["frames"], summary["payload_bytes"]) == (0, 2048)
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: contact {CONTACT_A}: no sync marker 1ACFFC1D in its 2048 payload bytes, so no frame was "
        "found; check --udp-port, and that the delivery carries demodulated frames (a DigIF delivery holds "
        "samples; docs/processing.md, capture formats)"
    ]


def test_a_frame_version_the_processor_cannot_decode_is_refused():
    """frame_version was documented as configurable, yet the headers are always read as AOS: a
    TM format (0) decoded TM frames with AOS's fields (spacecraft 39, VC 18, 39 million missing)."""
    with pytest.raises(ValueError, match=r"^frame_version: 0 is not decoded; allowed: 1 \(AOS, CCSDS 732.0-B"):
        CaptureFormat(frame_version=0)
    assert CaptureFormat().frame_version == 1


@pytest.mark.parametrize("ports", [frozenset(), frozenset({PORT})], ids=["any-port", "the-downlink-s-port"])
def test_a_datagram_to_another_port_is_said_when_every_port_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], ports: frozenset[int]
) -> None:
    """One datagram of other traffic among the downlink's, with --udp-port left open, put its
    bytes between two frames: the frame before it came out corrupt ("datagrams out of order")
    and nothing said that two ports were read as one stream."""
    packets = packetise(stream_of(frames(range(20))), 1000, START)  # 21 datagrams
    packets.insert(5, Packet(vita49(b"\x00" * 8), START + 4500, port=53))
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    fmt = CaptureFormat(udp_ports=ports)

    (summary,) = [process_contact(c, tmp_path / "out", fmt) for c in discover(tmp_path / "raw", fmt)]

    err = capsys.readouterr().err.splitlines()
    if ports:  # the stray datagram is not read: every frame whole
        assert (summary["ok_frames"], summary["corrupt_frames"], err) == (20, 0, [])
        return
    assert summary["corrupt_frames"] == 1
    assert err == [
        f"groundlink: contact {CONTACT_A}: datagrams to 2 destination ports carried payload (datagrams a port: "
        f"{PORT} (21), 53 (1)), read as one stream; give the downlink's with --udp-port (processing.capture.udp_ports "
        "in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
    ]


def test_ports_past_the_third_are_counted_as_ports_with_their_datagrams(tmp_path: Path, capsys) -> None:
    """ "and 1 more datagrams" counted the ports left unnamed, as if they were datagrams."""
    packets = packetise(stream_of(frames(range(20))), 1000, START)  # 21 datagrams
    for k, port in enumerate((4444, 4444, 4445, 4446, 4446, 4447)):  # each its own packet count: no copies
        packets.insert(3 + 3 * k, Packet(vita49(b"\x00" * 8, count=k), START + 2500 + 3000 * k, port=port))
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    run(tmp_path)
    [line] = [e for e in capsys.readouterr().err.splitlines() if "destination ports" in e]
    assert f"(datagrams a port: {PORT} (21), 4444 (2), 4446 (2), and 2 more ports (2))," in line


def test_spacecraft_256_ids_apart_are_two_spacecraft(tmp_path: Path) -> None:
    """Issue 5 of AOS (CCSDS 732.0-B-5) puts the spacecraft id's 2 high bits in the signalling
    field: read as 8 bits, spacecraft 413 was 157, and its frames were dropped as duplicates."""
    near, far = frames(range(50), spacecraft=157), frames(range(50), spacecraft=413)
    write(tmp_path, [frame for pair in zip(near, far, strict=True) for frame in pair])
    (summary,) = run(tmp_path)
    assert (summary["ok_frames"], summary["duplicate_frames"]) == (100, 0)
    assert {(c["spacecraft_id"], c["virtual_channel"], c["frames"]) for c in summary["channels"]} == {
        (157, 0, 50),
        (413, 0, 50),
    }
    assert stream_file(tmp_path, CONTACT_A, 413, 0) == stream_of(far)
    assert {row["spacecraft_id"] for row in index_rows(tmp_path, CONTACT_A)} == {157, 413}
    only = process_contact(
        discover(tmp_path / "raw", CaptureFormat())[0],
        tmp_path / "only",
        CaptureFormat(spacecraft_ids=frozenset({413})),
    )
    assert (only["ok_frames"], only["corrupt_frames"]) == (50, 50)
