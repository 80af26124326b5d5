"""A contact's downlinks, each delivered in a folder of its own (Ground Station's `{config-name}`
in the raw prefix, a partner's folder per downlink), are read as separate streams: in one
sequence by file number, two downlinks' files interleaved, a frame cut at a file's end was joined
to the other downlink's bytes, counted corrupt, and a gap after it."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from tests.contactgen import CONTACT_A, CONTACT_B, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

CADU = 1024 + 4  # the default CADU with its sync marker, as contactgen writes frames


def _summary(raw: Path, out: Path) -> dict:
    (contact,) = discover(raw, CaptureFormat())
    return process_contact(contact, out)


def test_two_dataflows_in_their_own_folders_are_read_as_two_streams(tmp_path: Path) -> None:
    """X band: 200 frames cut after 1.5 frames' worth of bytes into files 1 and 3; S band DigIF:
    file 2, random samples (no sync marker by seed). Read as one sequence 1, 2, 3, the frame cut
    between files 1 and 3 was completed by file 2's bytes: corrupt, a frame missing. Read as two
    streams, every X-band frame is ok and the S band's bytes are skipped, none of them a frame."""
    xband = stream_of(frames(range(200)))
    cut = 100 * CADU + 512  # file 1 ends inside frame 100 (a whole number of 32-bit words)
    samples = random.Random(7).randbytes(50_000)
    assert b"\x1a\xcf\xfc\x1d" not in samples
    contact = raw_dir(tmp_path / "raw")
    Capture(packetise(xband[:cut], 1000, EPOCH * 1_000_000)).write(
        contact / "xband" / contact_file(contact, CONTACT_A, 1).name
    )
    Capture(packetise(samples, 1000, EPOCH * 1_000_000)).write(
        contact / "sband" / contact_file(contact, CONTACT_A, 2).name
    )
    Capture(packetise(xband[cut:], 1000, EPOCH * 1_000_000 + 5_000_000)).write(
        contact / "xband" / contact_file(contact, CONTACT_A, 3).name
    )
    summary = _summary(tmp_path / "raw", tmp_path / "out")
    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"]) == (200, 200, 0)
    assert (summary["missing_frames"], summary["gaps"]) == (0, 0)
    assert summary["skipped_bytes"] == len(samples)
    assert summary["files"] == 3
    (index,) = (tmp_path / "out").glob("frame_index/*/*/*/*/*.parquet")
    counts = pq.read_table(index, columns=["frame_count"]).column("frame_count").to_pylist()
    assert counts == list(range(200))


def test_a_frame_cut_at_the_end_of_one_dataflow_is_truncated_not_joined_to_the_next(tmp_path: Path) -> None:
    """Two demod/decode downlinks (virtual channels 1 and 2): the first's last frame is cut short.
    Its bytes end with its folder, the one frame truncated; the second's frames are all ok."""
    first = stream_of(frames(range(50), vc=1))[:-512]
    second = stream_of(frames(range(50), vc=2))
    contact = raw_dir(tmp_path / "raw")
    Capture(packetise(first, 1000, EPOCH * 1_000_000)).write(contact / "a" / contact_file(contact, CONTACT_A, 1).name)
    Capture(packetise(second, 1000, EPOCH * 1_000_000)).write(contact / "b" / contact_file(contact, CONTACT_A, 2).name)
    summary = _summary(tmp_path / "raw", tmp_path / "out")
    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"]) == (100, 99, 1)
    (index,) = (tmp_path / "out").glob("frame_index/*/*/*/*/*.parquet")
    rows = pq.read_table(index, columns=["virtual_channel", "status", "reason"]).to_pylist()
    assert [r for r in rows if r["status"] != "ok"] == [
        {"virtual_channel": 1, "status": "corrupt", "reason": "truncated: 512 of 1024 bytes"}
    ]
    by_channel = {(c["spacecraft_id"], c["virtual_channel"]): c["frames"] for c in summary["channels"]}
    assert by_channel == {(157, 1): 49, (157, 2): 50}  # the ok frames of each channel


def test_one_dataflow_across_midnight_is_one_stream(tmp_path: Path) -> None:
    """A contact that crosses midnight writes one dataflow's files under two day partitions: one
    stream still, so the frame cut between the days' files comes out whole."""
    xband = stream_of(frames(range(100)))
    cut = 50 * CADU + 512
    for day, (number, part) in ((1, (1, xband[:cut])), (2, (2, xband[cut:]))):
        contact = raw_dir(tmp_path / "raw", day=(2025, 12, day))
        Capture(packetise(part, 1000, EPOCH * 1_000_000 + number)).write(
            contact / "xband" / contact_file(contact, CONTACT_A, number).name
        )
    summary = _summary(tmp_path / "raw", tmp_path / "out")
    assert (summary["frames"], summary["ok_frames"], summary["corrupt_frames"]) == (100, 100, 0)


def test_a_downlinks_own_folder_is_processed_with_the_satellite_above_it(tmp_path: Path) -> None:
    """Ground Station records each downlink in its config's folder under satellite=<id>/: pointed
    at that folder, `groundlink process` said "no satellite= in the path" of a path holding one."""
    from groundlink.cli import main

    contact = raw_dir(tmp_path / "raw")
    folder = contact / "noaa20-ground-noaa20-hrd-recording"
    Capture(packetise(stream_of(frames(range(10))), 1000, EPOCH * 1_000_000)).write(
        folder / contact_file(contact, CONTACT_A, 1).name
    )
    (found,) = discover(folder, CaptureFormat())
    assert (found.contact_id, found.satellite) == (CONTACT_A, "noaa20")
    assert main(["process", str(folder), "--out", str(tmp_path / "out")]) == 0
    assert list((tmp_path / "out").glob("contact_summary/*/*/*/satellite=noaa20/*.parquet"))


def test_the_satellite_above_is_where_the_folder_really_is(tmp_path: Path, monkeypatch) -> None:
    """Found from the path as spelled, `.` missed the satellite of the folder it names, and a link
    or `..` borrowed the satellite of a folder the captures are not in (a link in snpp's folder to
    noaa20's captures filed them under snpp beside their noaa20 products)."""
    from groundlink.processing.errors import ProcessingError

    contact = raw_dir(tmp_path / "raw")
    folder = contact / "noaa20-hrd-recording"
    Capture(packetise(stream_of(frames(range(10))), 1000, EPOCH * 1_000_000)).write(
        folder / contact_file(contact, CONTACT_A, 1).name
    )
    monkeypatch.chdir(folder)
    for given in (Path("."), Path("..") / folder.name, Path(".."), folder / ".." / folder.name):
        (found,) = discover(given, CaptureFormat())
        assert found.satellite == "noaa20", given
    (tmp_path / "today").symlink_to(contact)  # a link to the satellite's folder
    assert [c.satellite for c in discover(tmp_path / "today", CaptureFormat())] == ["noaa20"]
    # links in snpp's folder to noaa20's captures: noaa20's, however the path is spelled
    snpp = raw_dir(tmp_path / "raw", satellite="snpp")
    snpp.mkdir(parents=True)
    (snpp / "latest").symlink_to(folder)
    for given in (snpp / "latest", snpp / "latest" / ".." / folder.name):
        assert [c.satellite for c in discover(given, CaptureFormat())] == ["noaa20"], given
    # captures whose real folder is under no satellite's: refused, whatever path names them
    elsewhere = tmp_path / "scratch" / "hrd"
    elsewhere.mkdir(parents=True)
    (capture,) = folder.iterdir()
    (elsewhere / capture.name).write_bytes(capture.read_bytes())
    (snpp / "link").symlink_to(elsewhere)
    for given in (snpp / "link", snpp / ".." / ".." / ".." / ".." / ".." / ".." / "scratch" / "hrd"):
        with pytest.raises(ProcessingError, match="no satellite= in the path"):
            discover(given, CaptureFormat())


def test_a_file_linked_under_another_contacts_name_is_that_contacts_and_read_once_for_each(tmp_path: Path) -> None:
    """`cp -al` and `rsync --link-dest` leave one file under two names: read once for the
    whole directory, the second contact was dropped without a word. A link within one
    contact is still read once, or its frames would count twice."""
    contact = raw_dir(tmp_path / "raw")
    first = contact_file(contact, CONTACT_A, 1)
    Capture(packetise(stream_of(frames(range(10))), 1000, EPOCH * 1_000_000)).write(first)
    contact_file(contact, CONTACT_B, 1).hardlink_to(first)
    contact_file(contact, CONTACT_A, 2).symlink_to(first.name)  # the same contact: not read again
    contact_file(contact, CONTACT_A.upper(), 3).hardlink_to(first)  # its id in capitals: the same contact
    found = {c.contact_id: [p.name for p in c.files] for c in discover(tmp_path / "raw", CaptureFormat())}
    assert found[CONTACT_B] == [contact_file(contact, CONTACT_B, 1).name]
    # once, under the name the walk meets first (names in order: capitals first)
    assert found[CONTACT_A] == [contact_file(contact, CONTACT_A.upper(), 3).name] and len(found) == 2


def _many_files(raw: Path, count: int) -> list[str]:
    contact = raw_dir(raw)
    names = []
    for i in range(count):
        stream = stream_of(frames(range(20 * i, 20 * i + 20)))
        names.append(
            Capture(packetise(stream, 1000, (EPOCH + i) * 1_000_000))
            .write(contact_file(contact, CONTACT_A, i + 1))
            .name
        )
    return names


def _index(out: Path) -> Path:
    (index,) = out.glob("frame_index/**/*.parquet")
    return index


def test_an_index_of_many_small_files_grows_with_their_frames_not_with_their_square(
    tmp_path: Path, monkeypatch
) -> None:
    """Each file's frames were a row group of their own, each holding every name of the contact
    in its dictionary: 12,080 files of 16 KB made an index of 387 MB for 200 MB of capture. A
    row group now gathers small batches (INDEX_GROUP_ROWS frames), and holds only its own names."""
    from groundlink.processing import processor

    sizes = {}
    for count in (50, 200):
        _many_files(tmp_path / f"raw{count}", count)
        _summary(tmp_path / f"raw{count}", tmp_path / f"out{count}")
        index = pq.ParquetFile(_index(tmp_path / f"out{count}"))
        assert index.metadata.num_row_groups == 1  # 1,000 and 4,000 frames: fewer than a group holds
        sizes[count] = _index(tmp_path / f"out{count}").stat().st_size
    assert sizes[200] < 4.5 * sizes[50]  # four times the frames, not sixteen times the bytes
    monkeypatch.setattr(processor, "INDEX_GROUP_ROWS", 1000)
    names = _many_files(tmp_path / "raw", 90)  # 1,800 frames: a group of 1,000 or more, then the rest
    _summary(tmp_path / "raw", tmp_path / "out")
    index = pq.ParquetFile(_index(tmp_path / "out"))
    groups = [
        index.read_row_group(g, columns=["capture_file"])["capture_file"].to_pylist()
        for g in range(index.metadata.num_row_groups)
    ]
    # batches of about a file each (a frame cut at a file's end comes with the next file's)
    assert len(groups) == 2 and 1000 <= len(groups[0]) < 1040 and len(groups[1]) < 1000
    assert [name for group in groups for name in group] == [name for name in names for _ in range(20)]
    for g, held in enumerate(groups):  # each group's statistics are its own names'
        stats = index.metadata.row_group(g).column(index.schema_arrow.get_field_index("capture_file")).statistics
        assert (stats.min, stats.max) == (min(held), max(held))


def test_files_of_one_name_in_two_downlinks_folders_are_told_apart_in_the_frame_index(tmp_path: Path) -> None:
    """A partner's folder per downlink, each holding its `..._0001.pcap`: the frame index named
    both by that name alone, so the row of a corrupt frame led to either file. Where names
    repeat, each file is named by its path below the folder the contact's files share; where
    they do not (Ground Station's names), by its name, as before."""
    contact = raw_dir(tmp_path / "raw")
    name = contact_file(contact, CONTACT_A, 1).name
    Capture(packetise(stream_of(frames(range(3), vc=1)), 1000, EPOCH * 1_000_000)).write(contact / "dl-a" / name)
    Capture(packetise(stream_of(frames(range(3), vc=2)), 1000, EPOCH * 1_000_000)).write(contact / "dl-b" / name)
    Capture(packetise(stream_of(frames(range(3, 5), vc=2)), 1000, EPOCH * 1_000_000 + 10_000)).write(
        contact / "dl-b" / contact_file(contact, CONTACT_A, 2).name
    )

    _summary(tmp_path / "raw", tmp_path / "out")

    (index,) = (tmp_path / "out").glob("frame_index/*/*/*/*/*.parquet")
    rows = pq.read_table(index, columns=["virtual_channel", "capture_file"]).to_pylist()
    named = {(r["virtual_channel"], r["capture_file"]) for r in rows}
    second = contact_file(contact, CONTACT_A, 2).name
    assert named == {(1, f"dl-a/{name}"), (2, f"dl-b/{name}"), (2, f"dl-b/{second}")}


def test_files_of_distinct_names_are_named_by_their_names_alone(tmp_path: Path) -> None:
    contact = raw_dir(tmp_path / "raw")
    for number, folder in ((1, "dl-a"), (2, "dl-b")):
        stream = stream_of(frames(range(2), vc=number))
        Capture(packetise(stream, 1000, EPOCH * 1_000_000)).write(
            contact / folder / contact_file(contact, CONTACT_A, number).name
        )

    _summary(tmp_path / "raw", tmp_path / "out")

    (index,) = (tmp_path / "out").glob("frame_index/*/*/*/*/*.parquet")
    named = set(pq.read_table(index, columns=["capture_file"]).column("capture_file").to_pylist())
    assert named == {contact_file(contact, CONTACT_A, n).name for n in (1, 2)}
