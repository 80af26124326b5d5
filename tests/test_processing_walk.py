"""A capture whose end is cut: the record the file ends inside is one error, named by its number,
the same whether the mapped walk or dpkt's reader meets it."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from groundlink.processing import capture

from .test_processing_reader import _records, _write, error_on_both_paths


def _cut(path: Path, keep: int) -> Path:
    """The capture without its last bytes from `keep` bytes before its end on."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - keep])
    return path


@pytest.mark.parametrize("keep", [25, 1000])
def test_a_last_record_cut_short_is_one_error_naming_it_on_both_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: int
) -> None:
    """dpkt returns a record the file ends inside as if whole, and both paths took it: a copy
    cut short was processed with exit 0. It is one line now, naming the record and its sizes."""
    monkeypatch.setattr(capture, "WINDOW_BYTES", 3000)  # the cut comes after several windows
    path = _cut(_write(tmp_path / "c.pcap", _records()), keep=keep)  # the last record's data, cut
    size = len(_records()[-1])

    assert error_on_both_paths(path) == (
        f"{path}: record {len(_records())} is cut short (its header gives {size} bytes, the file holds {size - keep})"
    )


def test_a_record_header_cut_short_is_one_error_with_the_files_record_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.pcap", _records())
    with path.open("ab") as out:
        out.write(struct.pack("<II", 1, 2))  # 8 bytes of a 16-byte record header

    assert error_on_both_paths(path) == (
        f"{path}: record {len(_records()) + 1} is cut short (the file ends 8 bytes into its 16-byte header)"
    )
