"""Boundaries a fourth probe of one-line breaks found unguarded (2026-12-03), each asserted as a
hand-written literal: the frame and header boundaries of the processor, the fast datagram path,
capture times, the spacing warning's threshold, and the one-line texts of the runtime, preflight,
the YAML reader and the output writer."""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from groundlink.inputs import InputError, load_yaml
from groundlink.outputs import lies_under, write_text
from groundlink.preflight.findings import Finding
from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from groundlink.runtime.delivery import ContactFailed, ContactLocation, process_location
from tests.contactgen import (
    CADU,
    CONTACT_A,
    EPOCH,
    Capture,
    Frame,
    Packet,
    contact_file,
    datagram,
    frames,
    packetise,
    raw_dir,
    stream_of,
    vita49,
    write_pcapng,
)

START = EPOCH * 1_000_000
PART = "year=2025/month=12/day=01/satellite=noaa20"


def _process(root: Path, fmt: CaptureFormat | None = None) -> dict[str, Any]:
    fmt = fmt or CaptureFormat()
    [summary] = [process_contact(c, root / "out", fmt) for c in discover(root / "raw", fmt)]
    return summary


def _rows(root: Path, *columns: str) -> list[tuple[Any, ...]]:
    rows = pq.read_table(root / "out" / "frame_index" / PART / f"{CONTACT_A}.parquet").to_pylist()
    return [tuple(r[c] for c in columns) for r in rows]


def _stream(root: Path, name: str = "sc157-vc0.cadu") -> bytes:
    return (root / "out" / "frames" / PART / CONTACT_A / name).read_bytes()


def _capture(root: Path, packets: list[Packet], number: int = 1) -> Path:
    return Capture(packets).write(contact_file(raw_dir(root / "raw"), CONTACT_A, number))


def _at(micros: int) -> datetime:
    return datetime.fromtimestamp(micros // 1_000_000, UTC).replace(tzinfo=None, microsecond=micros % 1_000_000)


# 1, 3b. The last frame of a contact: whole, or one byte short (its datagram captured short) ------


@pytest.mark.parametrize(
    ("short", "counts", "rows"),
    [
        (False, (3, 3, 0, 0), [("ok", None)] * 3),
        (True, (3, 2, 1, 1), [("ok", None), ("ok", None), ("corrupt", "truncated: 1023 of 1024 bytes")]),
    ],
)
def test_a_contact_ending_on_a_whole_frame_keeps_it_and_one_byte_short_is_truncated(
    tmp_path: Path, short: bool, counts: tuple[int, ...], rows: list[tuple[Any, ...]]
) -> None:
    """One frame per datagram; with `short` the last datagram was captured one byte short of the
    length its UDP header gives: counted a truncated packet, its frame 1023 bytes."""
    sent = frames(range(3))
    packets = packetise(stream_of(sent), CADU, START)
    if short:
        packets[-1].keep = len(packets[-1].payload) - 1
    _capture(tmp_path, packets)

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"], summary["truncated_packets"]) == counts
    assert summary["payload_bytes"] == 3 * CADU - short
    assert summary["skipped_bytes"] == 0
    assert _rows(tmp_path, "status", "reason") == rows
    assert _stream(tmp_path) == stream_of(sent[: 3 - short])


def test_a_chunk_ending_exactly_after_a_whole_frame_loses_no_frame(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of exactly two CADUs: every chunk ends on a frame's last byte, the next marker
    in the chunk after it."""
    from groundlink.processing import processor

    monkeypatch.setattr(processor, "CHUNK_BYTES", 2 * CADU)
    sent = frames(range(6))
    _capture(tmp_path, packetise(stream_of(sent), CADU, START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["skipped_bytes"]) == (6, 6, 0)
    assert _rows(tmp_path, "frame_count", "status") == [(n, "ok") for n in range(6)]
    assert _stream(tmp_path) == stream_of(sent)


@pytest.mark.parametrize(
    ("stream", "rows", "skipped"),
    [
        (
            Frame(0).bytes() + Frame(1).bytes(100) + Frame(2).bytes()[:500],
            [
                (0, "ok", None),
                (1, "corrupt", "truncated: 100 of 1024 bytes"),
                (2, "corrupt", "truncated: 500 of 1024 bytes"),
            ],
            0,
        ),
        (
            Frame(0).bytes() + Frame(1).bytes() + Frame(2).bytes()[:4],
            [(0, "ok", None), (1, "ok", None), (None, "corrupt", "truncated: 4 of 1024 bytes")],
            0,
        ),
        (bytes.fromhex("1ACF001D1A00FC1D") * 128, [], 1024),  # a marker wrong in its 2nd or 3rd byte
    ],
    ids=["short-then-cut", "bare-marker-last", "no-marker"],
)
def test_the_end_of_a_contact_inside_a_frame_on_a_bare_marker_or_in_junk(
    tmp_path: Path, stream: bytes, rows: list[tuple[Any, ...]], skipped: int
) -> None:
    """The stream ends 500 bytes into a frame after a 100-byte one; or with a sync marker and
    nothing after it; or a contact without any marker (only near misses) is all skipped bytes."""
    _capture(tmp_path, packetise(stream, len(stream), START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["payload_bytes"], summary["skipped_bytes"]) == (len(rows), len(stream), skipped)
    if rows:
        assert _rows(tmp_path, "frame_count", "status", "reason") == rows


def test_a_frame_a_chunk_ends_four_bytes_short_of_is_carried_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Datagrams of 1,020 bytes, one per chunk: each chunk ends a few bytes before a frame's
    end (four, the first time), and every frame is still whole and ok."""
    from groundlink.processing import processor

    monkeypatch.setattr(processor, "CHUNK_BYTES", CADU - 4)
    sent = frames(range(4))
    _capture(tmp_path, packetise(stream_of(sent), CADU - 4, START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["skipped_bytes"]) == (4, 4, 0)
    assert _stream(tmp_path) == stream_of(sent)


def test_a_sync_marker_split_across_two_chunks_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of one 1,024-byte datagram each: the first ends with three bytes of junk-led
    data's first marker, the second holds its fourth byte."""
    from groundlink.processing import processor

    monkeypatch.setattr(processor, "CHUNK_BYTES", CADU)
    sent = frames(range(2))
    stream = b"\x55" * (CADU - 3) + stream_of(sent) + b"\x55" * 3
    _capture(tmp_path, packetise(stream, CADU, START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["skipped_bytes"]) == (2, 2, CADU)
    assert _stream(tmp_path) == stream_of(sent)


# 2. A frame just long enough for its primary header (marker + 6 bytes), and one byte less ------


def test_a_frame_of_marker_and_six_bytes_has_its_header_read_and_one_byte_less_has_none(tmp_path: Path) -> None:
    """A 10-byte frame (4-byte marker + 6-byte header) names its spacecraft, channel and count;
    a 9-byte one names none. Both are truncated. A byte of junk after the last frame makes the
    stream whole 32-bit words."""
    stream = (
        Frame(0).bytes() + Frame(1).bytes(10) + Frame(2).bytes() + Frame(3).bytes(10)[:9] + Frame(4).bytes() + b"\0"
    )
    _capture(tmp_path, packetise(stream, len(stream), START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"], summary["skipped_bytes"]) == (
        5,
        3,
        2,
        1,
    )
    assert _rows(tmp_path, "spacecraft_id", "virtual_channel", "frame_count", "status", "reason") == [
        (157, 0, 0, "ok", None),
        (157, 0, 1, "corrupt", "truncated: 10 of 1024 bytes"),
        (157, 0, 2, "ok", None),
        (None, None, None, "corrupt", "truncated: 9 of 1024 bytes"),
        (157, 0, 4, "ok", None),
    ]


# 3a. A single-packet VITA-49 datagram with a trailer: the trailer is not payload ---------------


def test_the_trailer_of_a_vita49_packet_never_reaches_the_frames(tmp_path: Path) -> None:
    """Half a CADU per datagram, each VITA-49 packet with a trailer word: the frames are the
    CADUs sent, byte for byte, with nothing between them."""
    sent = frames(range(3))
    stream = stream_of(sent)
    half = CADU // 2
    packets = [
        Packet(vita49(stream[at : at + half], count=i, trailer=True), START + i * 1000)
        for i, at in enumerate(range(0, len(stream), half))
    ]
    _capture(tmp_path, packets)

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"], summary["payload_bytes"], summary["skipped_bytes"]) == (
        3,
        3,
        3 * CADU,
        0,
    )
    assert _stream(tmp_path) == stream


# 4. A big-endian pcap of nanosecond resolution (magic A1 B2 3C 4D) --------------------------------


def test_a_big_endian_nanosecond_pcap_is_dated_to_the_microsecond(tmp_path: Path) -> None:
    """Capture times in nanoseconds, rounded to microseconds half to even: .123456789 s is
    .123457, 2.0000025 s is 2.000002 and 3.0000035 s is 3.000004."""
    stamps = [(EPOCH, 123_456_789), (EPOCH + 2, 2_500), (EPOCH + 3, 3_500)]
    path = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    path.parent.mkdir(parents=True)
    body = struct.pack(">IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1)
    for frame, (sec, nanos) in zip(frames(range(3)), stamps, strict=True):
        record = datagram(vita49(frame.bytes()))
        body += struct.pack(">IIII", sec, nanos, len(record), len(record)) + record
    path.write_bytes(body)

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"]) == (3, 3)
    assert (summary["start_time"], summary["end_time"]) == (START + 123_457, START + 3_000_004)
    assert _rows(tmp_path, "captured_at") == [
        (_at(START + 123_457),),
        (_at(START + 2_000_002),),
        (_at(START + 3_000_004),),
    ]


# 5. pcapng times of nanosecond resolution with half a microsecond over: half to even ------------


def test_pcapng_nanosecond_times_round_half_a_microsecond_to_the_even_one(tmp_path: Path) -> None:
    """4.501 µs is 5 µs, 2.5 µs is 2 µs and 3.5 µs is 4 µs (half to even), 5.499 µs is 5 µs;
    captured in that order, the contact runs from the earliest to the latest of them."""
    sent = frames(range(4))
    over = [4_501, 2_500, 5_499, 3_500]
    records = [(EPOCH * 1_000_000_000 + ns, datagram(vita49(f.bytes())), 0) for f, ns in zip(sent, over, strict=True)]
    write_pcapng(raw_dir(tmp_path / "raw") / f"noaa20_{CONTACT_A}_0001.pcapng", records, resolution=9)

    summary = _process(tmp_path)

    assert _rows(tmp_path, "captured_at") == [
        (_at(START + 5),),
        (_at(START + 2),),
        (_at(START + 5),),
        (_at(START + 4),),
    ]
    assert (summary["start_time"], summary["end_time"]) == (START + 2, START + 5)


# 6. A contact whose files' name order is not the order of their times ---------------------------


@pytest.mark.parametrize("window", [256 << 20, 1500], ids=["one-window", "a-window-per-record"])
def test_a_contacts_end_is_its_latest_capture_time_not_its_last_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """File _0001 was captured after file _0002 (a delivery numbered out of time order), and
    holds its own records out of time order: the contact runs from the earliest to the latest,
    whether a file is read in one window or in one per record."""
    from groundlink.processing import capture

    monkeypatch.setattr(capture, "WINDOW_BYTES", window)
    later = packetise(stream_of(frames(range(3))), CADU, START + 60_000_000)
    later[1].time_us = START + 90_000_000  # the latest, in the middle of its file
    _capture(tmp_path, later, number=1)
    _capture(tmp_path, packetise(stream_of(frames(range(3, 6))), CADU, START + 5_000_000), number=2)

    summary = _process(tmp_path)

    assert (summary["start_time"], summary["end_time"]) == (START + 5_000_000, START + 90_000_000)


# 7. The CADU-length warning needs SPACINGS_NEEDED (8) observations ------------------------------

_WARNING = (
    "groundlink: contact {contact}: its sync markers are mostly {spacing} bytes apart, not the CADU length of "
    "{length} bytes ({times} frames); check --cadu-length (processing.capture.cadu_length in the spec, "
    "GROUNDLINK_CAPTURE_FORMAT in the cloud)\n"
)


@pytest.mark.parametrize(
    ("sent", "cut", "ok", "warned"),
    [(9, 2048, 9, True), (8, 2048, 8, False), (9, CADU + 4, 8, True)],
    ids=["nine", "eight", "nine-last-cut"],
)
def test_cadus_of_2048_read_as_1024_are_named_from_eight_spacings_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sent: int, cut: int, ok: int, warned: bool
) -> None:
    """Frames of 2048 bytes read as 1024: `sent` frames stand 2048 bytes apart `sent` - 1 times,
    also when the last one is cut to one CADU and four bytes (the contact's data ends there; the
    four bytes after its first CADU are off the frame grid, so that one is corrupt)."""
    stream = b"".join(Frame(n).bytes(2048) for n in range(sent))[: (sent - 1) * 2048 + cut]
    _capture(tmp_path, packetise(stream, len(stream), START))

    summary = _process(tmp_path)

    assert (summary["frames"], summary["ok_frames"]) == (sent, ok)
    expected = _WARNING.format(contact=CONTACT_A, spacing=2048, length=1024, times=8) if warned else ""
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize(("cadus", "found", "warned"), [(16, 8, True), (14, 7, False)])
def test_cadus_of_1024_read_as_2048_are_named_from_eight_markers_inside_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cadus: int, found: int, warned: bool
) -> None:
    """Frames of 1024 bytes read as 2048: each whole 2048-byte "frame" holds a marker 1024 bytes
    in, the last one too (the stream's last frame, whole, is taken as it is): 16 CADUs give 8
    frames with a marker inside, 14 give 7."""
    _capture(tmp_path, packetise(stream_of(frames(range(cadus))), CADU, START))

    summary = _process(tmp_path, CaptureFormat(cadu_length=2048))

    assert summary["frames"] == found
    expected = _WARNING.format(contact=CONTACT_A, spacing=1024, length=2048, times=8) if warned else ""
    assert capsys.readouterr().err == expected


# 8. A failed contact's one line names at most three problems -----------------------------------


class _Store:
    def __init__(self, keys: list[str]):
        self._keys = keys

    def keys(self, prefix: str) -> list[str]:
        return [k for k in self._keys if k.startswith(prefix)]

    def download(self, key: str, path: Path) -> None:
        raise AssertionError(f"{key} fetched")

    def upload(self, path: Path, key: str) -> None:
        raise AssertionError(f"{key} uploaded")

    def delete(self, key: str) -> None:
        raise AssertionError(f"{key} deleted")


def _unpartitioned(files: int) -> str:
    """The failure of a contact of `files` captures none of which is under a satellite= partition."""
    keys = [f"contacts/noaa20_{CONTACT_A}_{n:04d}.pcap" for n in range(1, files + 1)]
    with pytest.raises(ContactFailed) as raised:
        process_location(ContactLocation(("contacts/",), CONTACT_A), _Store(keys), _Store([]), Path("/nonexistent"))
    return str(raised.value)


def _problem(n: int) -> str:
    return f"raw object contacts/noaa20_{CONTACT_A}_{n:04d}.pcap: no satellite=<name> partition in its key"


def test_a_contact_with_three_problems_names_all_three() -> None:
    assert _unpartitioned(3) == f"{_problem(1)}; {_problem(2)}; {_problem(3)}"


def test_a_contact_with_four_problems_names_three_and_counts_the_fourth() -> None:
    assert _unpartitioned(4) == f"{_problem(1)}; {_problem(2)}; {_problem(3)}; and 1 more"


# 9. A preflight finding shows a value of up to 60 characters whole ------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a" * 58, '"' + "a" * 58 + '"'),  # 60 characters quoted: whole
        ("a" * 59, '"' + "a" * 58 + "…"),  # 61 quoted: 59 of them and an ellipsis
    ],
    ids=["60-whole", "61-cut"],
)
def test_a_finding_shows_sixty_characters_of_its_value_whole_and_cuts_sixty_one(value: Any, shown: str) -> None:
    finding = Finding("bucket", "aws:s3/bucket:Bucket", "tags.team", value, "at most 1", "AWS")
    assert finding.line() == f"bucket (aws:s3/bucket:Bucket) tags.team = {shown}: at most 1 [AWS]"


# 10. YAML nesting: 64 levels read, 65 refused in one line --------------------------------------


def test_yaml_nested_64_levels_deep_is_read() -> None:
    document = load_yaml("[" * 64 + "]" * 64, "spec.yaml")
    depth, node = 0, document.data
    while isinstance(node, list):
        depth, node = depth + 1, node[0] if node else None
    assert depth == 64


def test_yaml_nested_65_levels_deep_is_refused_at_the_65th() -> None:
    with pytest.raises(InputError) as raised:
        load_yaml("[" * 65 + "]" * 65, "spec.yaml")
    assert raised.value.line == "spec.yaml: line 1, column 65: nested deeper than 64 levels"


# 11a. A write that fails leaves neither the file nor its temporary behind ----------------------


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Text that cannot be encoded as UTF-8 (a lone surrogate) fails inside the write."""
    (tmp_path / "report.json").write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_text(tmp_path / "report.json", "new \ud800\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert (tmp_path / "report.json").read_text() == "old\n"


# 11b. lies_under by the directory's identity: one directory spelt two ways ---------------------


def test_a_directory_spelt_two_ways_that_resolve_apart_is_still_the_same_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bind mount (or a case-folding file system) spells one directory two ways that no
    resolving makes equal; with links left unresolved, a link stands in for the second spelling.
    The directory itself and what lies under it are found by the directory's identity; a
    sibling is not, and a root not there yet holds only what is named under it."""
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (tmp_path / "mount").symlink_to(out)
    monkeypatch.setattr(os.path, "realpath", lambda path, strict=False: os.path.abspath(path))

    assert lies_under(tmp_path / "mount", out)
    assert lies_under(tmp_path / "mount" / "a" / "x.yaml", out)
    assert lies_under(out / "a", tmp_path / "mount")
    assert not lies_under(tmp_path / "mount" / ".." / "other", out)
    assert not lies_under(tmp_path / "mount" / "a", tmp_path / "new")
