"""Frames appended where they lie (groundlink/processing/rowwrite.py): the file holds exactly
the chosen rows in order, whatever the batch, a short write, a signal or a full disk does;
and the processor's products are the same bytes with it as with the copying path it replaces."""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.cli import main
from groundlink.processing import processor, rowwrite
from groundlink.processing.config import CaptureFormat
from tests.contactgen import CONTACT_A, EPOCH, Capture, Frame, contact_file, packetise, raw_dir, stream_of

pytestmark = pytest.mark.skipif(not rowwrite.available(), reason="no writev in this C library")


def _rows(count: int, width: int, pad: int = 0) -> np.ndarray:
    """`count` rows of `width` distinct-looking bytes, `pad` bytes apart (a view, as a chunk's are)."""
    whole = (np.arange(count * (width + pad), dtype=np.int64) * 7 % 251).astype(np.uint8)
    return whole.reshape(count, width + pad)[:, :width]


def _written(path: Path, rows: np.ndarray, chosen: list[int], batch: int, before: bytes = b"") -> bytes:
    path.write_bytes(before)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        rowwrite.append_rows(fd, rows, np.array(chosen, dtype=np.int64), batch)
    finally:
        os.close(fd)
    return path.read_bytes()


@settings(max_examples=60, deadline=None)
@given(
    data=st.data(),
    count=st.integers(1, 40),
    width=st.integers(1, 64),
    pad=st.integers(0, 9),
    batch=st.integers(1, 600),
)
def test_the_file_holds_the_chosen_rows_in_their_order(
    tmp_path_factory: Any, data: Any, count, width, pad, batch
) -> None:
    chosen = data.draw(st.lists(st.integers(0, count - 1), max_size=80))
    rows = _rows(count, width, pad)
    path = tmp_path_factory.mktemp("rows") / "stream"
    expected = b"kept" + b"".join(rows[i].tobytes() for i in chosen)
    assert _written(path, rows, chosen, batch, before=b"kept") == expected


def test_more_rows_than_one_call_takes_are_written_in_several(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = rowwrite._WRITEV
    counts: list[int] = []

    def counting(fd: int, vectors: int, count: int) -> int:
        counts.append(count)
        return real(fd, vectors, count)

    monkeypatch.setattr(rowwrite, "_WRITEV", counting)
    rows = _rows(3000, 8)
    chosen = list(range(0, 3000, 2))  # 1,500 rows: more than IOV_MAX (1,024 on Linux)
    got = _written(tmp_path / "s", rows, chosen, batch=1 << 20)
    assert got == rows[chosen].tobytes()
    assert counts == [min(rowwrite.IOV_MAX, 1500), 1500 - min(rowwrite.IOV_MAX, 1500)]
    counts.clear()
    assert _written(tmp_path / "s", rows, chosen[:10], batch=20) == rows[chosen[:10]].tobytes()
    assert counts == [2, 2, 2, 2, 2]  # two 8-byte rows fit in 20 bytes


def test_a_row_wider_than_a_batch_is_written_alone(tmp_path: Path) -> None:
    rows = _rows(5, 100)
    assert _written(tmp_path / "s", rows, [4, 0, 4], batch=10) == rows[[4, 0, 4]].tobytes()


def _first_vector(vectors: int) -> tuple[int, int]:
    words = ctypes.cast(vectors, ctypes.POINTER(ctypes.c_uint64))
    return int(words[0]), int(words[1])


def test_a_short_write_is_finished_and_a_signal_repeats_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal interrupts the first call before it writes anything; a nearly full disk takes
    three bytes of the next; the file still holds every chosen row once, in order."""
    real = rowwrite._WRITEV
    calls: list[str] = []

    def flaky(fd: int, vectors: int, count: int) -> int:
        if not calls:
            calls.append("EINTR")
            ctypes.set_errno(errno.EINTR)
            return -1
        if len(calls) == 1:
            calls.append("three bytes")
            base, _ = _first_vector(vectors)
            return os.write(fd, ctypes.string_at(base, 3))
        calls.append("whole")
        return real(fd, vectors, count)

    monkeypatch.setattr(rowwrite, "_WRITEV", flaky)
    rows = _rows(6, 10)
    chosen = [1, 3, 5, 0, 2, 4]
    assert _written(tmp_path / "s", rows, chosen, batch=20) == rows[chosen].tobytes()
    assert calls == ["EINTR", "three bytes", "whole", "whole"]  # batches of two rows: 1+3, 5+0, 2+4


def test_a_full_disk_is_an_os_error_naming_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a buffered write's: the command line names the contact it was writing."""

    def full(fd: int, vectors: int, count: int) -> int:
        ctypes.set_errno(errno.ENOSPC)
        return -1

    monkeypatch.setattr(rowwrite, "_WRITEV", full)
    with pytest.raises(OSError) as raised:
        _written(tmp_path / "s", _rows(4, 8), [0, 2], batch=64)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, None)
    assert raised.value.strerror == os.strerror(errno.ENOSPC)


def test_rows_that_are_not_contiguous_are_refused(tmp_path: Path) -> None:
    every_other_byte = _rows(4, 16)[:, ::2]
    with pytest.raises(ValueError, match="contiguous"):
        _written(tmp_path / "s", every_other_byte, [0], batch=64)


CHANNELS = (0, 1, 5)


def _turns(counts: range) -> list[Frame]:
    return [Frame(n, vc=vc) for n in counts for vc in CHANNELS]


def _alone() -> list[Frame]:
    return [Frame(n, vc=1) for n in range(40, 52)]


def _interleaved_contact(root: Path) -> Path:
    """Three virtual channels taking turns frame by frame, in datagrams that cut frames in two,
    a run of one channel alone between: both of the streams' writes, rows chosen and whole runs."""
    directory = raw_dir(root / "raw")
    packets = packetise(stream_of(_turns(range(40)) + _alone() + _turns(range(52, 62))), 3000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(directory, CONTACT_A, 1))
    return root / "raw"


def _products(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_the_products_are_the_bytes_the_copying_path_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _interleaved_contact(tmp_path)
    (contact,) = processor.discover(raw, CaptureFormat())
    appended: list[int] = []
    real = rowwrite.append_rows

    def spied(fd: int, rows: Any, chosen: Any, batch: int) -> None:
        appended.append(len(chosen))
        real(fd, rows, chosen, batch)

    monkeypatch.setattr(rowwrite, "append_rows", spied)
    summary = processor.process_contact(contact, tmp_path / "appended", CaptureFormat())
    assert sum(appended) > 0  # the rows were written where they lay
    monkeypatch.setattr(rowwrite, "_WRITEV", None)
    assert not rowwrite.available()
    assert processor.process_contact(contact, tmp_path / "copied", CaptureFormat()) == summary
    appended_products, copied_products = _products(tmp_path / "appended"), _products(tmp_path / "copied")
    assert appended_products == copied_products
    streams = {Path(name).name: data for name, data in appended_products.items() if name.endswith(".cadu")}
    every = _turns(range(40)) + _alone() + _turns(range(52, 62))
    assert streams == {f"sc157-vc{vc}.cadu": stream_of([f for f in every if f.vc == vc]) for vc in CHANNELS}


def test_a_disk_filling_while_frames_are_appended_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _interleaved_contact(tmp_path)

    def full(fd: int, vectors: int, count: int) -> int:
        ctypes.set_errno(errno.ENOSPC)
        return -1

    monkeypatch.setattr(rowwrite, "_WRITEV", full)
    out = tmp_path / "products"
    assert main(["process", str(raw), "--out", str(out)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: --out {out}: cannot write contact {CONTACT_A} (No space left on device)"
    ]
    assert not out.exists()
