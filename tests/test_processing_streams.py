"""Frame streams of a contact with more (spacecraft, virtual channel) pairs than the processor
keeps open at once: the output is byte for byte the one of a processor that keeps every stream
open, and no more stream files are open at any time than the cap (Lambda gives a process 1,024
file descriptors; a contact of several spacecraft ids can name more channels)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from groundlink.processing import processor
from groundlink.processing.config import CaptureFormat
from tests.contactgen import CONTACT_A, EPOCH, Capture, Frame, contact_file, packetise, raw_dir, stream_of

CAP = 4
# 3 spacecraft x 5 virtual channels = 15 streams, written in turns (each chunk writes every one)
CHANNELS = [(spacecraft, vc) for spacecraft in (100, 101, 157) for vc in range(5)]
PROC_FD = Path("/proc/self/fd")


def _contact(root: Path) -> Path:
    directory = raw_dir(root / "raw")
    count = 0
    for number in range(1, 4):
        turns = [Frame(count + n, vc=vc, spacecraft=sc) for n in range(6) for sc, vc in CHANNELS]
        # a run of one channel alone too (one write of the whole run), then the turns again
        alone = [Frame(count + 6 + n, vc=(number + 2) % 5, spacecraft=101) for n in range(8)]
        count += 14
        packets = packetise(stream_of(turns + alone + turns[:20]), 4096, (EPOCH + number * 60) * 1_000_000)
        Capture(packets).write(contact_file(directory, CONTACT_A, number))
    return root / "raw"


def _products(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _open_streams() -> int:
    """How many of this process's file descriptors are frame stream files."""
    found = 0
    for fd in os.listdir(PROC_FD):
        try:
            found += os.readlink(PROC_FD / fd).endswith(".cadu")
        except OSError:  # closed since it was listed
            continue
    return found


def _process(raw: Path, out: Path) -> dict[str, Any]:
    (contact,) = processor.discover(raw, CaptureFormat())
    return processor.process_contact(contact, out, CaptureFormat())


@pytest.mark.skipif(not PROC_FD.is_dir(), reason="counts open files through /proc")
def test_more_channels_than_open_streams_give_the_same_products_byte_for_byte(tmp_path: Path, monkeypatch) -> None:
    raw = _contact(tmp_path)
    uncapped = _process(raw, tmp_path / "uncapped")
    expected = _products(tmp_path / "uncapped")
    assert sum(key.endswith(".cadu") for key in expected) == len(CHANNELS) > CAP

    peak = [0]
    for name in ("write", "write_rows"):
        real = getattr(processor._Streams, name)

        def counted(self: Any, *args: Any, real: Any = real) -> None:
            real(self, *args)
            peak[0] = max(peak[0], _open_streams())

        monkeypatch.setattr(processor._Streams, name, counted)
    monkeypatch.setattr(processor, "MAX_OPEN_STREAMS", CAP)
    capped = _process(raw, tmp_path / "capped")
    assert _products(tmp_path / "capped") == expected
    assert capped == uncapped
    assert 0 < peak[0] <= CAP
    assert _open_streams() == 0
