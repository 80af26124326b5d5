"""The read-ahead thread: ahead of the walk by a bounded distance, never past the file, never
outliving the walk, falling back where the kernel takes no MADV_POPULATE_READ; and the
processor's products are the same bytes with it and without it."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import itertools
import mmap
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from groundlink.processing import readahead
from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from groundlink.processing.readahead import MADV_POPULATE_READ, MADV_WILLNEED, ReadAhead

from .contactgen import demo_contact

STEP = 4 * mmap.PAGESIZE
LEAD = 3 * STEP


class FakeMadvise:
    """Records each call as (offset from the mapping, length, advice); answers with `errors`
    (errno values, one per call, 0 for success) and then with success."""

    def __init__(self, base: int, errors: tuple[int, ...] = ()) -> None:
        self.base, self.errors = base, list(errors)
        self.calls: list[tuple[int, int, int]] = []
        self.threads: set[str] = set()
        self.called = threading.Event()

    def __call__(self, address: int, length: int, advice: int) -> int:
        self.calls.append((address - self.base, length, advice))
        self.threads.add(threading.current_thread().name)
        self.called.set()
        error = self.errors.pop(0) if self.errors else 0
        ctypes.set_errno(error)
        return -1 if error else 0


def _settle(fake: FakeMadvise, count: int) -> None:
    """Wait until the thread has made `count` calls and then made no more for a while."""
    deadline = time.monotonic() + 10
    while len(fake.calls) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)


@pytest.fixture
def data() -> np.ndarray:
    return np.zeros(10 * STEP + 100, np.uint8)  # not a whole number of steps


def _fake(monkeypatch: pytest.MonkeyPatch, data: np.ndarray, errors: tuple[int, ...] = ()) -> FakeMadvise:
    fake = FakeMadvise(data.ctypes.data, errors)
    monkeypatch.setattr(readahead, "_MADVISE", fake)
    return fake


def test_the_thread_goes_no_further_than_the_lead_past_the_walk(monkeypatch, data):
    fake = _fake(monkeypatch, data)
    with ReadAhead(data, lead=LEAD, step=STEP) as ahead:
        _settle(fake, 3)
        assert fake.calls == [
            (0, STEP, MADV_POPULATE_READ),
            (STEP, STEP, MADV_POPULATE_READ),
            (2 * STEP, STEP, MADV_POPULATE_READ),
        ]
        ahead.reached(2 * STEP)
        _settle(fake, 5)
        assert [offset for offset, _, _ in fake.calls] == [0, STEP, 2 * STEP, 3 * STEP, 4 * STEP]
    assert fake.threads == {"groundlink-readahead"}  # the walk itself never waits for the disk here


def test_the_thread_covers_the_file_exactly_once_and_ends_at_its_end(monkeypatch, data):
    fake = _fake(monkeypatch, data)
    with ReadAhead(data, lead=LEAD, step=STEP) as ahead:
        ahead.reached(len(data))
        _settle(fake, 11)
        thread = ahead._thread
    assert not thread.is_alive()
    covered = [(offset, offset + length) for offset, length, _ in fake.calls]
    assert covered[0][0] == 0 and covered[-1][1] == len(data)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(covered))
    assert fake.calls[-1][1] == 100


def test_leaving_stops_a_waiting_thread_and_waits_for_it(monkeypatch, data):
    fake = _fake(monkeypatch, data)
    with ReadAhead(data, lead=LEAD, step=STEP) as ahead:
        _settle(fake, 3)  # now waiting for the walk
        thread = ahead._thread
        assert thread.is_alive()
    assert not thread.is_alive()
    assert len(fake.calls) == 3


def test_a_kernel_without_populate_read_gets_willneed_for_the_same_bytes(monkeypatch, data):
    fake = _fake(monkeypatch, data, errors=(errno.EINVAL,))
    with ReadAhead(data, lead=LEAD, step=STEP):
        _settle(fake, 4)
    assert fake.calls[:3] == [(0, STEP, MADV_POPULATE_READ), (0, STEP, MADV_WILLNEED), (STEP, STEP, MADV_WILLNEED)]


def test_an_interrupted_call_is_made_again(monkeypatch, data):
    fake = _fake(monkeypatch, data, errors=(errno.EINTR,))
    with ReadAhead(data, lead=LEAD, step=STEP):
        _settle(fake, 4)
    assert fake.calls[:2] == [(0, STEP, MADV_POPULATE_READ), (0, STEP, MADV_POPULATE_READ)]
    assert fake.calls[2] == (STEP, STEP, MADV_POPULATE_READ)


@pytest.mark.parametrize("errors", [(errno.ENOMEM,), (errno.EINVAL, errno.EINVAL)], ids=["other error", "no advice"])
def test_advice_the_kernel_refuses_ends_the_thread_and_the_walk_faults_its_pages_itself(monkeypatch, data, errors):
    fake = _fake(monkeypatch, data, errors=errors)
    with ReadAhead(data, lead=LEAD, step=STEP) as ahead:
        _settle(fake, len(errors))
        ahead._thread.join(timeout=5)
        assert not ahead._thread.is_alive()
    assert len(fake.calls) == len(errors)


def test_without_madvise_no_thread_is_started(monkeypatch, data):
    monkeypatch.setattr(readahead, "_MADVISE", None)
    with ReadAhead(data, lead=LEAD, step=STEP) as ahead:
        ahead.reached(STEP)
        assert not ahead._thread.is_alive()


def test_the_real_call_populates_a_mapped_file_on_this_kernel(tmp_path):
    """Against the real libc: a mapped file's pages are advised and the thread ends."""
    path = tmp_path / "file"
    path.write_bytes(bytes(range(256)) * 4096)
    with path.open("rb") as stream:
        mapping = mmap.mmap(stream.fileno(), 0, prot=mmap.PROT_READ)
    data = np.frombuffer(mapping, np.uint8)
    with ReadAhead(data, lead=1 << 30, step=STEP) as ahead:
        ahead._thread.join(timeout=10)
        assert not ahead._thread.is_alive()
        assert ahead._advice in (MADV_POPULATE_READ, MADV_WILLNEED)
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


def _digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix != ".parquet"
    }


def test_products_are_the_same_bytes_with_and_without_the_thread(monkeypatch, tmp_path):
    demo_contact(tmp_path / "raw")
    contacts = discover(tmp_path / "raw", CaptureFormat())
    assert len(contacts) == 2
    with_thread = [process_contact(contact, tmp_path / "with") for contact in contacts]
    monkeypatch.setattr(readahead, "_MADVISE", None)
    without = [process_contact(contact, tmp_path / "without") for contact in contacts]
    assert with_thread == without and with_thread[0]["gaps"] > 0
    assert _digests(tmp_path / "with") == _digests(tmp_path / "without")
