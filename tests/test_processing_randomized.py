"""CADUs that carry the CCSDS pseudo-randomizer after their sync marker (CCSDS 131.0-B), as a
decode that stops at uncoded frames delivers them: read as sent, every header was noise and
every frame corrupt, with no word of why."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.cli import main
from groundlink.processing.config import CaptureFormat, pseudo_random_sequence
from groundlink.processing.processor import discover, process_contact
from groundlink.runtime.delivery import CAPTURE_FORMAT, capture_format
from groundlink.spec import spec_from_data
from tests.contactgen import (
    CONTACT_A,
    EPOCH,
    Capture,
    Frame,
    contact_file,
    frames,
    packetise,
    pseudo_random,
    randomized,
    raw_dir,
)

from .conftest import spec_data, with_changes

PART = "year=2025/month=12/day=01/satellite=noaa20"
SENT = frames(range(30)) + frames(range(500, 510), vc=5)


def _write(root: Path, scrambled: bool) -> None:
    stream = b"".join(randomized(f.bytes()) if scrambled else f.bytes() for f in SENT)
    Capture(packetise(stream, 1000, EPOCH * 1_000_000)).write(contact_file(raw_dir(root / "raw"), CONTACT_A, 1))


def _process(root: Path, fmt: CaptureFormat) -> dict:
    (contact,) = discover(root / "raw", fmt)
    return process_contact(contact, root / "out", fmt)


def test_the_sequence_is_the_one_ccsds_prints_with_its_period_of_255_bits():
    sequence = pseudo_random_sequence(600)
    assert sequence[:8].hex() == "ff480ec09a0d70bc"  # CCSDS 131.0-B, the pseudo-randomizer's first 40 bits and on
    assert sequence == pseudo_random(600)  # a register of the test's own
    assert sequence[255:510] == sequence[:255] and sequence[1:256] != sequence[:255]


def test_pseudo_randomized_frames_are_read_as_sent_and_their_streams_hold_them_taken_off(tmp_path: Path) -> None:
    _write(tmp_path / "plain", scrambled=False)
    _write(tmp_path / "scrambled", scrambled=True)
    plain = _process(tmp_path / "plain", CaptureFormat())
    scrambled = _process(tmp_path / "scrambled", CaptureFormat(pseudo_randomized=True))
    assert (scrambled["frames"], scrambled["ok_frames"], scrambled["corrupt_frames"], scrambled["gaps"]) == (
        40,
        40,
        0,
        0,
    )
    assert {k: v for k, v in scrambled.items() if k != "processed_at"} == {
        k: v for k, v in plain.items() if k != "processed_at"
    }
    for name in ("sc157-vc0.cadu", "sc157-vc5.cadu"):
        taken_off = (tmp_path / "scrambled/out/frames" / PART / CONTACT_A / name).read_bytes()
        assert taken_off == (tmp_path / "plain/out/frames" / PART / CONTACT_A / name).read_bytes()
    vc5 = (tmp_path / "scrambled/out/frames" / PART / CONTACT_A / "sc157-vc5.cadu").read_bytes()
    assert vc5 == b"".join(f.bytes() for f in SENT[30:])


def test_frames_left_pseudo_randomized_are_said_to_be_with_the_setting_to_take_it_off(tmp_path: Path, capsys) -> None:
    _write(tmp_path, scrambled=True)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert (
        f"groundlink: contact {CONTACT_A}: 40 of its 40 frames are transfer frame version 2, as frames still "
        "pseudo-randomized (CCSDS 131.0-B) are: taken off, they read as version 1 (AOS, CCSDS 732.0-B); pass "
        "--pseudo-randomized (processing.capture.pseudo_randomized in the spec, GROUNDLINK_CAPTURE_FORMAT in the cloud)"
    ) in lines
    out = tmp_path / "again"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out), "--pseudo-randomized"]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if "version" in line]


def test_each_version_read_is_counted_apart(tmp_path: Path, capsys) -> None:
    """A TM frame among AOS ones, all still pseudo-randomized: the AOS frames read as version 2,
    the TM frame as 3. The line gave all 40 as version 2."""
    sent = [*frames(range(39)), Frame(39, version=0)]
    stream = b"".join(randomized(f.bytes()) for f in sent)
    Capture(packetise(stream, 1000, EPOCH * 1_000_000)).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    [line] = [line for line in capsys.readouterr().err.splitlines() if "transfer frame version" in line]
    assert line.startswith(
        f"groundlink: contact {CONTACT_A}: 39 of its 40 frames are transfer frame version 2 (and 1 version 3), as "
        "frames still pseudo-randomized (CCSDS 131.0-B) are: taken off, they read as version 1 (AOS"
    ), line


def test_frames_never_pseudo_randomized_read_with_the_setting_are_told_to_drop_it(tmp_path: Path, capsys) -> None:
    _write(tmp_path, scrambled=False)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out"), "--pseudo-randomized"]) == 0
    assert (
        f"groundlink: contact {CONTACT_A}: 40 of its 40 frames are transfer frame version 2, as frames read with "
        "--pseudo-randomized (processing.capture.pseudo_randomized in the spec, GROUNDLINK_CAPTURE_FORMAT in the "
        "cloud) that were never pseudo-randomized are: without it they read as version 1 (AOS, CCSDS 732.0-B); drop it"
    ) in capsys.readouterr().err.splitlines()


def test_a_short_frame_loses_the_sequence_too(tmp_path: Path) -> None:
    """A frame cut short by the next marker: its bytes after the marker lose the sequence's start."""
    whole = [randomized(f.bytes()) for f in frames(range(4))]
    stream = whole[0] + whole[1][:300] + whole[2] + whole[3]
    Capture(packetise(stream, 1000, EPOCH * 1_000_000)).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    summary = _process(tmp_path, CaptureFormat(pseudo_randomized=True))
    assert (summary["ok_frames"], summary["corrupt_frames"]) == (3, 1)
    (_, cut, *_) = pq.read_table(tmp_path / "out/frame_index" / PART / f"{CONTACT_A}.parquet").to_pylist()
    assert (cut["frame_count"], cut["status"]) == (1, "corrupt")  # its header read as sent


@pytest.mark.parametrize("on", [True, False])
def test_the_spec_gives_the_cloud_runtime_the_setting_and_leaves_the_old_setting_as_it_was(on: bool, monkeypatch):
    spec = spec_from_data(with_changes(spec_data(), {"processing.capture.pseudo_randomized": on}))
    setting = spec.processing.capture.setting()
    assert ("pseudo_randomized" in json.loads(setting)) is on
    if not on:
        assert setting == '{"cadu_length":1024,"spacecraft_ids":[],"udp_ports":[]}'
    monkeypatch.setenv(CAPTURE_FORMAT, setting)
    assert capture_format().pseudo_randomized is on


def test_the_cloud_setting_takes_only_true_or_false():
    from groundlink.runtime.delivery import SettingError

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CAPTURE_FORMAT, '{"pseudo_randomized": "yes"}')
        with pytest.raises(SettingError, match='pseudo_randomized is "yes", not true or false'):
            capture_format()


def test_a_spec_value_not_a_boolean_is_refused_naming_the_field():
    from groundlink.spec import SpecError

    with pytest.raises(SpecError) as raised:
        spec_from_data(with_changes(spec_data(), {"processing.capture.pseudo_randomized": "yes"}), "s.yaml")
    assert raised.value.lines[0].startswith("s.yaml: processing.capture.pseudo_randomized: ")
