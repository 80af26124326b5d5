"""Where a contact's products land, and what a run replaces: a contact id or satellite never
escapes its partition, files are read in their numbered order, and a contact processed again
leaves no products of the earlier run in another partition."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from groundlink.cli import main
from tests.contactgen import (
    CONTACT_A,
    CONTACT_B,
    EPOCH,
    PORT,
    Capture,
    contact_file,
    frames,
    packetise,
    raw_dir,
    stream_of,
)

START = EPOCH * 1_000_000


def _deliver(root: Path, contact: str, counts: list[int], start: int = START, number: int = 1) -> Path:
    path = contact_file(root, contact, number)
    Capture(packetise(stream_of(frames(counts)), 1000, start)).write(path)
    return path


def _products(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--contact-id", "."),
        ("--contact-id", ".."),
        ("--contact-id", ""),
        ("--contact-id", "a/b"),
        ("--satellite", "../../../x"),
        ("--satellite", "a/b"),
        ("--satellite", ""),
        ("--satellite", "_x"),
    ],
)
def test_a_name_flag_a_path_cannot_hold_is_refused_before_anything_is_read_or_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    """`--contact-id .` named the satellite's whole folder as the contact's frames and replaced
    it, deleting every other contact's streams; `--satellite ../../x` wrote outside --out."""
    out = tmp_path / "out"
    _deliver(raw_dir(tmp_path / "raw"), CONTACT_A, [0, 1])
    _deliver(raw_dir(tmp_path / "raw"), CONTACT_B, [0, 1, 2])
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    before = _products(out)
    capsys.readouterr()

    assert main(["process", str(tmp_path / "raw"), "--out", str(out), flag, value]) == 2

    err = capsys.readouterr().err
    assert (
        err
        == f"groundlink: {flag}: {value!r} cannot be part of a products path (1-128 letters, digits, '.', '_' and '-', starting with a letter or digit)\n"
    )
    assert _products(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


def test_a_satellite_folder_a_path_cannot_hold_is_named_with_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the file named as given, in a line of at most 300 characters
    path = _deliver(raw_dir(Path("raw"), satellite="no sat"), CONTACT_A, [0, 1])

    assert main(["process", "raw", "--out", "out"]) == 2

    assert capsys.readouterr().err == (
        f"{path}: satellite 'no sat' cannot be part of a products path (1-128 letters, digits, '.', '_' and '-', "
        "starting with a letter or digit); pass --satellite\n"
    )


def test_a_contact_id_flag_a_path_can_hold_names_the_products(tmp_path: Path) -> None:
    _deliver(raw_dir(tmp_path / "raw"), CONTACT_A, [0, 1])
    out = tmp_path / "out"

    assert (
        main(
            ["process", str(tmp_path / "raw"), "--out", str(out), "--contact-id", "pass_0042.b", "--satellite", "sat-1"]
        )
        == 0
    )

    assert "frame_index/year=2025/month=12/day=01/satellite=sat-1/pass_0042.b.parquet" in _products(out)


def test_files_are_read_in_the_order_of_their_numbers_padded_or_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Name order read `_10` before `_2`: 96 frames of 110 came out duplicates and missing."""
    directory = raw_dir(tmp_path / "raw")
    directory.mkdir(parents=True)
    packets = packetise(stream_of(frames(range(110))), 1000, START)
    per_file = -(-len(packets) // 10)
    for n in range(10):
        Capture(packets[n * per_file : (n + 1) * per_file]).write(directory / f"x_{CONTACT_A}_{n + 1}.pcap")

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0

    assert (
        f"{CONTACT_A}: 110 frames (110 ok, 0 duplicate, 0 corrupt, 0 idle), 0 gaps (0 frames missing)"
        in capsys.readouterr().out
    )
    (stream,) = (tmp_path / "out" / "frames").rglob("sc157-vc0.cadu")
    assert stream.read_bytes() == stream_of(frames(range(110)))


def test_a_part_named_with_the_contact_id_in_capitals_is_read_in_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Contact ids are matched without regard to case, but the parts were ordered by name as it
    is: `..._ABCDEF.._2` before `..._abcdef.._1`, a frame cut in two and a gap that never was."""
    directory = raw_dir(tmp_path / "raw")
    directory.mkdir(parents=True)
    packets = packetise(stream_of(frames(range(20))), 1000, START)
    Capture(packets[:10]).write(directory / f"x_{CONTACT_A}_1.pcap")
    Capture(packets[10:]).write(directory / f"x_{CONTACT_A.upper()}_2.pcap")

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0

    assert f"{CONTACT_A}: 20 frames (20 ok, 0 duplicate, 0 corrupt, 0 idle), 0 gaps" in capsys.readouterr().out
    (stream,) = (tmp_path / "out" / "frames").rglob("sc157-vc0.cadu")
    assert stream.read_bytes() == stream_of(frames(range(20)))


def test_a_contact_processed_again_into_another_partition_leaves_none_of_its_earlier_products(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dated by its first packet, a contact crossing midnight, processed when only its second
    file had arrived and again with both, stood in two day partitions: a query counted 60 of
    its 40 frames. Another contact's products stay."""
    directory = raw_dir(tmp_path / "raw")
    before_midnight = (EPOCH + 86_400 - 1) * 1_000_000
    first = _deliver(directory, CONTACT_A, list(range(20)), before_midnight, 1)
    _deliver(directory, CONTACT_A, list(range(20, 40)), before_midnight + 2_000_000, 2)
    _deliver(raw_dir(tmp_path / "other"), CONTACT_B, [0, 1, 2])
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "other"), "--out", str(out)]) == 0
    moved = first.rename(tmp_path / first.name)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0  # the second file alone: day 02
    moved.rename(first)

    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    capsys.readouterr()

    assert (
        main(["query", str(out), "SELECT contact_id, day, frames FROM contact_summary ORDER BY contact_id", "--json"])
        == 0
    )
    rows = capsys.readouterr().out.splitlines()
    assert rows == [
        f'{{"contact_id": "{CONTACT_A}", "day": "01", "frames": 40}}',
        f'{{"contact_id": "{CONTACT_B}", "day": "01", "frames": 3}}',
    ]
    assert not [p for p in _products(out) if "day=02" in p]
    assert not list(out.rglob("day=02"))  # nor an empty day's directory
    assert len(list(out.rglob("day=01"))) == 3  # the frames, the index and the summary of day 01
    assert main(["query", str(out), "SELECT count(*) AS n FROM frame_index", "--json"]) == 0
    assert capsys.readouterr().out == '{"n": 43}\n'


def test_a_capture_name_that_is_not_utf8_is_indexed_by_its_escapes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file name holding the byte 0xff ended in a UnicodeEncodeError traceback from Arrow."""
    directory = raw_dir(tmp_path / "raw")
    directory.mkdir(parents=True)
    name = b"bad\xff_" + CONTACT_A.encode() + b".pcap"
    Capture(packetise(stream_of(frames([0, 1])), 1000, START)).write(directory / os.fsdecode(name))

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()

    assert main(["query", str(tmp_path / "out"), "SELECT DISTINCT capture_file FROM frame_index", "--json"]) == 0
    assert capsys.readouterr().out == '{"capture_file": "bad\\\\xff_' + CONTACT_A + '.pcap"}\n'


def test_a_bad_file_stops_its_own_contact_only_and_the_written_ones_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With two contacts delivered, the second one's bad file ended the run with exit 2 and
    its one line: the first contact's products were written, and nothing said so."""
    directory = raw_dir(tmp_path / "raw")
    _deliver(directory, CONTACT_A, [0, 1])
    bad = contact_file(directory, CONTACT_B, 1)
    bad.write_bytes(b"junk")
    out = tmp_path / "out"

    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2

    printed = capsys.readouterr()
    assert printed.out == (
        f"noaa20 contact {CONTACT_A}: 2 frames (2 ok, 0 duplicate, 0 corrupt, 0 idle), 0 gaps (0 frames missing), "
        f"{bad.with_name(contact_file(directory, CONTACT_A, 1).name).stat().st_size} bytes in 1 file\nwrote {out}\n"
    )
    assert printed.err == (f"{bad}: not a pcap or pcapng capture\ngroundlink: 1 of 2 contacts not written (above)\n")
    assert [p for p in _products(out) if CONTACT_B in p] == []
    assert f"contact_summary/year=2025/month=12/day=01/satellite=noaa20/{CONTACT_A}.parquet" in _products(out)


def test_a_port_that_matches_no_datagram_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong --udp-port gave "0 frames" and exit 0 without a word."""
    _deliver(raw_dir(tmp_path / "raw"), CONTACT_A, [0, 1])
    wrong = str(PORT + 1)

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--udp-port", wrong]) == 0

    printed = capsys.readouterr()
    assert f"{CONTACT_A}: 0 frames" in printed.out
    assert printed.err == (
        f"groundlink: contact {CONTACT_A}: none of its 3 packets is a datagram of the downlink "
        f"(UDP port {wrong}); check --udp-port (processing.capture.udp_ports in the spec, GROUNDLINK_CAPTURE_FORMAT "
        "in the cloud)\n"
    )


@pytest.mark.parametrize(("kept", "cut"), [(4, 20), (600, 20), (None, 0)])
def test_packets_cut_short_by_the_capture_are_named_not_the_port(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kept: int | None, cut: int
) -> None:
    """Every record cut inside its VITA-49 header (`tcpdump -s 64`) was told to check
    --udp-port, which cannot help; cut after some data, the missing frames had no word."""
    packets = packetise(stream_of(frames(range(20))), 1024, START)
    for packet in packets:
        packet.keep = kept
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0

    err = capsys.readouterr().err
    if not cut:
        assert err == ""
        return
    assert err == (
        f"groundlink: contact {CONTACT_A}: {cut} of its {len(packets)} packets were cut short by the capture (each "
        "record holds less than its packet: a snap length under the packets' size), so their data is missing; "
        "capture whole packets (tcpdump -s 0)\n"
    )


def test_a_contact_without_a_downlink_datagram_or_a_dated_path_says_why_it_cannot_be_dated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It said "has no packets" of a file holding three."""
    monkeypatch.chdir(tmp_path)
    path = _deliver(Path("raw") / "satellite=noaa20", CONTACT_A, [0, 1])

    assert main(["process", "raw", "--out", "out", "--udp-port", str(PORT + 1)]) == 2

    assert capsys.readouterr().err == (
        f"{path}: contact {CONTACT_A} cannot be dated: none of its 3 packets is a datagram of the downlink "
        "(see --udp-port), and its path has no year=/month=/day=\n"
        "groundlink: 1 of 1 contacts not written (above)\n"
    )


def test_a_capture_named_in_capitals_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _deliver(raw_dir(tmp_path / "raw"), CONTACT_A, [0, 1])
    path.rename(path.with_suffix(".PCAP"))

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0

    assert f"{CONTACT_A}: 2 frames (2 ok" in capsys.readouterr().out


def test_one_contact_id_for_two_satellites_is_refused_before_anything_is_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--contact-id pass-1` over two satellites' deliveries made two contacts of one id: the
    second one's commit took the first one's products for its own earlier run and deleted them."""
    _deliver(raw_dir(tmp_path / "raw", satellite="sat-a"), CONTACT_A, [0, 1])
    _deliver(raw_dir(tmp_path / "raw", satellite="sat-b"), CONTACT_B, [0, 1, 2])

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--contact-id", "pass-1"]) == 2

    assert capsys.readouterr().err == (
        f"groundlink: {tmp_path / 'raw'}: contact id pass-1 is delivered for satellites sat-a, sat-b; "
        "process each satellite's files with its own --contact-id\n"
    )
    assert not (tmp_path / "out").exists()


def test_another_satellites_products_of_the_same_id_are_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _deliver(raw_dir(tmp_path / "a", satellite="sat-a"), CONTACT_A, [0, 1])
    _deliver(raw_dir(tmp_path / "b", satellite="sat-b"), CONTACT_A, [0, 1, 2])
    assert main(["process", str(tmp_path / "a"), "--out", str(out)]) == 0
    assert main(["process", str(tmp_path / "b"), "--out", str(out)]) == 0

    kept = [p for p in _products(out) if "satellite=sat-a" in p]
    assert len(kept) == 3  # its frame stream, frame index and summary


def test_a_contact_id_given_again_a_day_later_keeps_the_earlier_contacts_products(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--contact-id pass-1` for each day's pass, each day's files in a directory of their own:
    the second run replaced the first day's products as its own. Delivered elsewhere, they are
    another contact's: kept, and said."""
    out = tmp_path / "out"
    for day in (0, 1):
        _deliver(raw_dir(tmp_path / f"raw{day}"), CONTACT_A, [0, 1, 2], (EPOCH + day * 86_400) * 1_000_000, 1)
        assert main(["process", str(tmp_path / f"raw{day}"), "--out", str(out), "--contact-id", "pass-1"]) == 0
    err = capsys.readouterr().err
    assert (
        "groundlink: contact pass-1: the products under year=2025/month=12/day=01/satellite=noaa20 are another "
        f"contact's of the same name (delivered under {(tmp_path / 'raw0').resolve()}), so they are kept"
    ) in err
    assert main(["query", str(out), "SELECT day, frames FROM contact_summary ORDER BY day", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == ['{"day": "01", "frames": 3}', '{"day": "02", "frames": 3}']


def test_a_directory_filled_again_with_another_pass_keeps_the_earlier_contacts_products(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One `incoming/` emptied and filled each day, `--contact-id pass-1` each time: where it was
    delivered cannot tell the passes apart, their frames a day apart do. Kept, and said (a capture
    clock put right between two runs of one pass reads the same, and is kept too: counted twice,
    which a query shows, rather than another pass deleted). The same pass again replaces its own."""
    out, directory = tmp_path / "out", raw_dir(tmp_path / "incoming")
    for day in (0, 1):
        _deliver(directory, CONTACT_A, [0, 1, 2], (EPOCH + day * 86_400) * 1_000_000, 1)
        for _ in range(2):  # the second run of each pass replaces the first
            assert main(["process", str(tmp_path / "incoming"), "--out", str(out), "--contact-id", "pass-1"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "another contact's" in line]
    assert (
        lines
        == [
            "groundlink: contact pass-1: the products under year=2025/month=12/day=01/satellite=noaa20 are another "
            "contact's of the same name (its frames from 2025-12-01 00:00, apart from these), so they are kept; a "
            "contact's name is its id in every product and query, so give each contact a name of its own"
        ]
        * 2
    )
    assert main(["query", str(out), "SELECT day, frames FROM contact_summary ORDER BY day", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == ['{"day": "01", "frames": 3}', '{"day": "02", "frames": 3}']


def test_products_written_before_their_delivery_was_recorded_are_judged_by_their_frames(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A summary without `groundlink.source` (written before it existed): deleted as this pass's
    own, another day's `pass-1` was lost on the first run after an upgrade. Frames a day apart
    are another contact's."""
    import pyarrow.parquet as pq

    out = tmp_path / "out"
    _deliver(raw_dir(tmp_path / "raw0"), CONTACT_A, [0, 1, 2], EPOCH * 1_000_000, 1)
    assert main(["process", str(tmp_path / "raw0"), "--out", str(out), "--contact-id", "pass-1"]) == 0
    (summary,) = out.glob("contact_summary/**/pass-1.parquet")
    pq.write_table(pq.read_table(summary).replace_schema_metadata(None), summary)  # as an earlier groundlink wrote it
    _deliver(raw_dir(tmp_path / "raw1"), CONTACT_A, [0, 1, 2], (EPOCH + 86_400) * 1_000_000, 1)
    assert main(["process", str(tmp_path / "raw1"), "--out", str(out), "--contact-id", "pass-1"]) == 0
    assert "(its frames from 2025-12-01 00:00, apart from these), so they are kept" in capsys.readouterr().err
    assert main(["query", str(out), "SELECT day FROM contact_summary ORDER BY day", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == ['{"day": "01"}', '{"day": "02"}']


def test_an_undated_run_of_a_directory_filled_again_keeps_every_other_days_products(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run whose capture held no datagram of the downlink (another port) is dated by its path
    and told nothing by its frames: taken for the same contact, it deleted every other day's
    pass-1 of the satellite, whose raw files were long gone, without a word."""
    out, incoming = tmp_path / "out", tmp_path / "incoming"
    for day, port in ((1, 55888), (2, 55888), (3, 55889)):
        shutil.rmtree(incoming, ignore_errors=True)
        folder = raw_dir(incoming, day=(2025, 12, day))
        packets = packetise(stream_of(frames([0, 1, 2])), 1000, (EPOCH + (day - 1) * 86_400) * 1_000_000)
        Capture([dataclasses.replace(p, port=port) for p in packets]).write(contact_file(folder, CONTACT_A, 1))
        argv = ["process", str(incoming), "--out", str(out), "--contact-id", "pass-1", "--udp-port", "55888"]
        assert main(argv) == 0
    err = capsys.readouterr().err
    assert err.count("(this run dated none of its frames, so it cannot be told from them), so they are kept") == 2
    assert main(["query", str(out), "SELECT day FROM contact_summary ORDER BY day", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == ['{"day": "01"}', '{"day": "02"}', '{"day": "03"}']


def test_an_undated_earlier_run_or_a_broken_summary_is_replaced_by_the_pass_run_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run first with a wrong --udp-port (no frame dated: its products in its path's day, 02),
    then right (frames of day 01): the undated run holds no frame and is the same pass, replaced,
    not kept beside it as another contact's; so is a summary file cut short in another day."""
    out, incoming = tmp_path / "out", tmp_path / "incoming"
    folder = raw_dir(incoming, day=(2025, 12, 2))
    start = (EPOCH + 86_400 - 600) * 1_000_000  # 2025-12-01 23:50
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, start)).write(contact_file(folder, CONTACT_A, 1))
    broken = out / "contact_summary/year=2025/month=11/day=30/satellite=noaa20/pass-1.parquet"
    for port in ("55999", "55888"):
        argv = ["process", str(incoming), "--out", str(out), "--contact-id", "pass-1", "--udp-port", port]
        assert main(argv) == 0
        if port == "55999":
            broken.parent.mkdir(parents=True)
            broken.write_bytes(b"PAR1 cut")
    assert "another contact's" not in capsys.readouterr().err
    assert main(["query", str(out), "SELECT day, frames FROM contact_summary", "--json"]) == 0
    assert capsys.readouterr().out.splitlines() == ['{"day": "01", "frames": 3}']


def test_a_directory_whose_name_is_not_utf8_is_recorded_as_its_bytes(tmp_path: Path) -> None:
    """`--contact-id` on a directory named in latin-1: writing where it was delivered ended in a
    UnicodeEncodeError traceback, nothing written."""
    import pyarrow.parquet as pq

    named = Path(os.fsdecode(bytes(tmp_path) + b"/p\xe4sse"))
    _deliver(raw_dir(named), CONTACT_A, [0, 1, 2], EPOCH * 1_000_000, 1)
    assert main(["process", str(named), "--out", str(tmp_path / "out"), "--contact-id", "pass-1"]) == 0
    (summary,) = (tmp_path / "out").glob("contact_summary/**/pass-1.parquet")
    assert pq.read_schema(summary).metadata[b"groundlink.source"] == bytes(tmp_path) + b"/p\xe4sse"
