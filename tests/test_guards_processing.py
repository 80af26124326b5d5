"""Guards for the contact processor: the frame index numbers frames across chunks, and a frame
of a spacecraft the downlink does not carry is corrupt, with its reason."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.processing import processor
from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from tests.contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

START = EPOCH * 1_000_000
PART = "year=2025/month=12/day=01/satellite=noaa20"


def _write(root: Path, items: list, piece: int = 700) -> None:
    Capture(packetise(stream_of(items), piece, START)).write(contact_file(raw_dir(root / "raw"), CONTACT_A, 1))


def _index(root: Path) -> list[dict[str, object]]:
    return pq.read_table(root / "out" / "frame_index" / PART / f"{CONTACT_A}.parquet").to_pylist()


def test_the_frame_column_counts_every_frame_of_the_contact_across_chunks(tmp_path: Path, monkeypatch) -> None:
    """With 3,000-byte chunks a 30-frame contact is read in about ten chunks: the frame column
    is each frame's position in the whole contact, 0..29, never restarting at a chunk."""
    monkeypatch.setattr(processor, "CHUNK_BYTES", 3000)
    _write(tmp_path, frames(range(30)))

    [summary] = [process_contact(c, tmp_path / "out") for c in discover(tmp_path / "raw", CaptureFormat())]

    rows = _index(tmp_path)
    assert summary["frames"] == 30
    assert [r["frame"] for r in rows] == list(range(30))
    assert [r["frame_count"] for r in rows] == list(range(30))


def test_a_frame_from_a_spacecraft_the_downlink_does_not_carry_is_corrupt(tmp_path: Path) -> None:
    sent = [*frames(range(3)), *frames([3, 4], spacecraft=42), *frames(range(5, 8))]
    _write(tmp_path, sent, piece=1000)
    fmt = CaptureFormat(spacecraft_ids=frozenset({157}))

    [summary] = [process_contact(c, tmp_path / "out", fmt) for c in discover(tmp_path / "raw", fmt)]

    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"]) == (8, 6, 2)
    rows = _index(tmp_path)
    assert [(r["spacecraft_id"], r["status"], r["reason"]) for r in rows] == [
        (157, "ok", None),
        (157, "ok", None),
        (157, "ok", None),
        (42, "corrupt", "spacecraft id 42 is not one of [157]"),
        (42, "corrupt", "spacecraft id 42 is not one of [157]"),
        (157, "ok", None),
        (157, "ok", None),
        (157, "ok", None),
    ]
    assert not (tmp_path / "out" / "frames" / PART / CONTACT_A / "sc42-vc0.cadu").exists()


@pytest.mark.parametrize("ids", [frozenset(), frozenset({42, 157})])
def test_a_spacecraft_the_downlink_carries_or_any_when_none_named_is_ok(tmp_path: Path, ids) -> None:
    _write(tmp_path, [*frames(range(2)), *frames([0, 1], spacecraft=42)], piece=1000)

    fmt = CaptureFormat(spacecraft_ids=ids)
    [summary] = [process_contact(c, tmp_path / "out", fmt) for c in discover(tmp_path / "raw", fmt)]

    assert (summary["ok_frames"], summary["corrupt_frames"]) == (4, 0)


def test_eight_ids_given_are_each_named_in_a_refusal(tmp_path: Path) -> None:
    """Up to eight ids the reason lists every one: eight read "the 8 given (200, 201, 202, ...,
    207)", four of them unnamed, where the whole list fits."""
    _write(tmp_path, [*frames(range(2)), *frames([2], spacecraft=42)], piece=1000)
    fmt = CaptureFormat(spacecraft_ids=frozenset(range(200, 208)))
    [summary] = [process_contact(c, tmp_path / "out", fmt) for c in discover(tmp_path / "raw", fmt)]

    assert (summary["ok_frames"], summary["corrupt_frames"]) == (0, 3)
    given = "[200, 201, 202, 203, 204, 205, 206, 207]"
    assert {r["reason"] for r in _index(tmp_path)} == {f"spacecraft id {sc} is not one of {given}" for sc in (157, 42)}


def test_a_refusal_among_the_most_ids_a_spec_takes_fits_the_reason_column_the_catalogs_declare(tmp_path: Path) -> None:
    """The whole list of ids went into each reason: 1,024 ids (the most a spec takes) made 5,900
    bytes, which Synapse serverless SQL's varchar(1024) view refuses to read. Past eight ids the
    reason names their count and the first and last."""
    from groundlink.processing.tables import FRAME_INDEX

    _write(tmp_path, [*frames(range(2)), *frames([2], spacecraft=42)], piece=1000)
    fmt = CaptureFormat(spacecraft_ids=frozenset(range(200, 1024)))
    [summary] = [process_contact(c, tmp_path / "out", fmt) for c in discover(tmp_path / "raw", fmt)]

    assert (summary["ok_frames"], summary["corrupt_frames"]) == (0, 3)
    reasons = {r["reason"] for r in _index(tmp_path)}
    assert reasons == {f"spacecraft id {sc} is not one of the 824 given (200, 201, 202, ..., 1023)" for sc in (157, 42)}
    (reason_column,) = [c for c in FRAME_INDEX.columns if c.name == "reason"]
    width = int(reason_column.synapse.split("(")[1].split(")")[0])
    assert all(len(reason.encode()) <= width for reason in reasons)
