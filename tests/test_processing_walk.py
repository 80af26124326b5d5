"""A capture whose end is cut: the records before the cut are read from the mapped file, window
by window, and dpkt reads from the cut on, so the result is exactly dpkt's for the whole file."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from groundlink.processing import capture
from groundlink.processing.config import CaptureFormat
from groundlink.processing.errors import CaptureError

from .test_processing_reader import _read, _records, _write


def _cut(path: Path, keep: int) -> Path:
    """The capture without its last bytes from `keep` bytes before its end on."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - keep])
    return path


def _counting_dpkt(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Numbers of the records that dpkt reads (one entry per record)."""
    seen: list[int] = []
    real = capture._datagram

    def counted(frame: bytes, link: int, fmt: CaptureFormat, path: Path, number: int) -> Any:
        seen.append(number)
        return real(frame, link, fmt, path, number)

    monkeypatch.setattr(capture, "_datagram", counted)
    return seen


def test_a_last_record_cut_short_reads_as_dpkt_reads_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(capture, "WINDOW_BYTES", 3000)  # the cut comes after several windows
    path = _cut(_write(tmp_path / "c.pcap", _records()), keep=25)  # the last record's data, cut
    reference = _read(path, CaptureFormat(), 5000, with_dpkt=True)

    seen = _counting_dpkt(monkeypatch)
    mapped = _read(path, CaptureFormat(), 5000, with_dpkt=False)

    assert mapped == reference
    count = reference[4][0]
    assert count == len(_records()) and reference[2][-1] == count  # the cut record still counts
    assert count in seen and len(seen) < count // 2  # dpkt read the cut record, not the file


def test_a_record_header_cut_short_is_dpkts_error_with_the_files_record_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.pcap", _records())
    with path.open("ab") as out:
        out.write(struct.pack("<II", 1, 2))  # 8 bytes of a 16-byte record header

    messages = []
    for with_dpkt in (False, True):
        with pytest.raises(CaptureError) as error:
            _read(path, CaptureFormat(), 5000, with_dpkt=with_dpkt)
        messages.append(str(error.value))

    assert messages[0] == messages[1]
    assert f"record {len(_records()) + 1} is cut short" in messages[0]
