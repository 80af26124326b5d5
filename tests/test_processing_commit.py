"""A contact processed again replaces its products all or nothing: a move that fails while the new
products go into place (a disk remounted read-only) leaves the earlier products whole, and if even
putting them back fails they stay on disk in the staging directory, never deleted."""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import pytest

from groundlink.processing import layout
from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact

from .contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

MOVES = 6  # summary, frames, index set aside; then frames, index, summary moved in


def _delivery(root: Path, count: int) -> Path:
    packets = packetise(stream_of(frames(range(count))), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(root), CONTACT_A, 1))
    return root


def _products(out: Path) -> dict[str, str]:
    """Every product file (staging directories aside) and its digest."""
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def _process(raw: Path, out: Path) -> dict[str, object]:
    (contact,) = discover(raw, CaptureFormat())
    return process_contact(contact, out)


@pytest.fixture
def processed(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """Products of a contact of 8 frames, and a second delivery of the same contact with 12."""
    out = tmp_path / "products"
    _process(_delivery(tmp_path / "first", 8), out)
    return out, _delivery(tmp_path / "again", 12), _products(out)


def _failing_replace(monkeypatch: pytest.MonkeyPatch, fail_from: int, until: int | None = None) -> list[int]:
    """os.replace in the layout fails from its `fail_from`-th call (1-based) up to `until`."""
    calls: list[int] = []
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(len(calls) + 1)
        if calls[-1] >= fail_from and (until is None or calls[-1] <= until):
            raise OSError(30, "Read-only file system")
        real(src, dst)

    monkeypatch.setattr(layout.os, "replace", replace)
    return calls


def test_processing_again_replaces_the_products(processed) -> None:
    out, again, before = processed
    assert _process(again, out)["frames"] == 12
    after = _products(out)
    assert set(after) == set(before) and after != before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


@pytest.mark.parametrize("fail_at", range(1, MOVES + 1))
def test_a_move_that_fails_leaves_the_earlier_products_whole(processed, monkeypatch, fail_at) -> None:
    out, again, before = processed
    calls = _failing_replace(monkeypatch, fail_at, until=fail_at)
    with pytest.raises(OSError, match="Read-only"):
        _process(again, out)
    assert len(calls) >= fail_at
    assert _products(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_when_putting_back_fails_too_the_earlier_products_stay_on_disk(processed, monkeypatch) -> None:
    out, again, before = processed
    _failing_replace(monkeypatch, 3)  # the summary and the frames set aside, then every move fails
    with pytest.raises(OSError):
        _process(again, out)
    (staging,) = [p for p in out.iterdir() if p.name.startswith(".staging")]
    kept = {hashlib.sha256(p.read_bytes()).hexdigest() for p in staging.rglob("*") if p.is_file()}
    on_disk = kept | set(_products(out).values())
    assert set(before.values()) <= on_disk  # every earlier product is somewhere: none was deleted


def test_a_staging_directory_kept_by_a_failed_commit_is_named_by_the_next_run(processed, monkeypatch, capsys) -> None:
    """The earlier products a failed commit could not put back are their only copy, in a hidden
    staging directory: the run that kept it is done with it, so the next run names it for the
    user to move them back. Left locked, it passed for a run still going, and was never named."""
    from groundlink.cli import main

    out, again, _ = processed
    _failing_replace(monkeypatch, 3)  # the summary and the frames set aside, then every move fails
    with pytest.raises(OSError):
        _process(again, out)
    monkeypatch.undo()
    (staging,) = [p for p in out.iterdir() if p.name.startswith(".staging")]
    assert layout.leftover_staging(out) == ([staging], [])
    capsys.readouterr()
    assert main(["process", str(again), "--out", str(out)]) == 0
    contact = layout.staged_contact(staging)
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: {staging} holds earlier products of contact {contact} that a commit set aside and that were "
        f"never removed: this run wrote contact {contact}'s products again, so they are superseded: delete the "
        "directory"
    ]


def _killed_commit(raw: Path, out: Path, monkeypatch: pytest.MonkeyPatch, after: int = 3) -> Path:
    """Process `raw` into `out` with the commit stopped after `after` moves (three: the summary,
    the frames and the index set aside) and nothing undone or removed, as SIGKILL leaves it:
    the staging directory left."""
    replace = os.replace
    moves: list[object] = []

    def killed_after_some_moves(src: str, dst: str) -> None:
        replace(src, dst)
        if Path(src).parent == Path(dst).parent:
            return  # a product finished inside the staging directory (an index rewritten): no commit move
        moves.append(dst)
        if len(moves) == after:
            raise KeyboardInterrupt  # where SIGKILL would stop it, before any undo

    with monkeypatch.context() as patched:
        patched.setattr(layout.os, "replace", killed_after_some_moves)
        patched.setattr(layout.Staging, "_undo", lambda self, done: None)  # a killed run undoes nothing
        patched.setattr(layout.Staging, "discard", lambda self: None)  # nor removes its directory
        with pytest.raises(KeyboardInterrupt):
            _process(raw, out)
    (staging,) = [p for p in out.iterdir() if p.name.startswith(".staging")]
    for fd in os.listdir("/proc/self/fd"):  # the run's lock goes with it, as with its process
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/self/fd/{fd}") == str(staging / layout.RUN_LOCK):
                os.close(int(fd))
    return staging


def test_the_next_run_calls_set_aside_products_superseded_only_when_it_wrote_the_same_ones(
    processed, tmp_path, monkeypatch, capsys
) -> None:
    """Another satellite's contact of the same id replaces none of this one's products, and the
    run that wrote it was told the earlier products it found set aside were superseded: deleted
    as told, they were lost. Only a run that wrote the same satellite's contact says so; any other
    says how to restore them, by the places the commit recorded."""
    from groundlink.cli import main

    out, again, _ = processed
    staging = _killed_commit(again, out, monkeypatch)
    origins = layout.set_aside_from(staging)
    other = tmp_path / "other"
    packets = packetise(stream_of(frames(range(5))), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(other, satellite="noaa21"), CONTACT_A, 1))
    capsys.readouterr()
    assert main(["process", str(other), "--out", str(out)]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    places = ", ".join(f"{aside} for {origin}" for aside, origin in sorted(origins.items()))
    assert line == (
        f"groundlink: {staging} holds earlier products of contact {CONTACT_A} that a commit set aside and could not "
        f'put back (docs/processing.md, "Products are staged"): process contact {CONTACT_A}\'s files again into '
        "this --out, which replaces its products whole, then delete the directory; or, to restore them instead, "
        f"replace what stands at each place with the one set aside ({places}: set-aside.json in it lists them)"
    )
    assert main(["process", str(again), "--out", str(out)]) == 0
    assert (
        capsys.readouterr()
        .err.splitlines()[0]
        .endswith(f"this run wrote contact {CONTACT_A}'s products again, so they are superseded: delete the directory")
    )


def test_a_killed_commit_s_set_aside_products_are_named_with_where_they_came_from(processed, monkeypatch) -> None:
    """A commit killed outright after it set an earlier product aside left it under a name of
    its own (`previous-1`) and nothing said where it belonged: the next run's advice, "move them
    back", could not be followed. The commit records each one's place before it moves any."""
    out, again, before = processed
    staging = _killed_commit(again, out, monkeypatch)
    (index,) = [key for key in before if key.startswith("frame_index/")]
    (summary,) = [key for key in before if key.startswith("contact_summary/")]
    frames = str(Path(next(key for key in before if key.startswith("frames/"))).parent)
    assert layout.set_aside_from(staging) == {"previous-0": frames, "previous-1": index, "previous-2": summary}
    assert hashlib.sha256((staging / "previous-1").read_bytes()).hexdigest() == before[index]
    assert hashlib.sha256((staging / "previous-2").read_bytes()).hexdigest() == before[summary]


@pytest.mark.parametrize("after", range(1, MOVES))
def test_a_commit_killed_between_moves_leaves_no_summary_of_the_contact(processed, monkeypatch, after) -> None:
    """The summary counts a contact. A commit moved frames, index and summary one product at a
    time, each set aside just before its successor came in: killed between two moves (SIGKILL, a
    power cut), it left the earlier summary (8 frames) beside the new index (12 rows), or beside
    no index at all, and queries counted the contact with figures none of its runs made. Every
    earlier product is set aside first, the summary first of all, and the new summary comes in
    last: killed anywhere before that last move, no summary counts the contact, and the earlier
    one waits in the staging directory the next run names."""
    out, again, before = processed
    staging = _killed_commit(again, out, monkeypatch, after=after)
    assert not [key for key in _products(out) if key.startswith("contact_summary/")]
    (summary,) = [key for key in before if key.startswith("contact_summary/")]
    assert layout.set_aside_from(staging)["previous-2"] == summary
    assert hashlib.sha256((staging / "previous-2").read_bytes()).hexdigest() == before[summary]


def test_a_run_ending_beside_another_is_never_named_as_a_leftover(tmp_path, monkeypatch) -> None:
    """Two runs into one --out: one looked for leftovers while the other's run was ending, and
    named its staging directory (unlocked, or gone by then) as a stopped run's partial products.
    A run empties its directory before it lets go of the lock; one found gone or empty after
    its lock is judged is a run ending."""
    seen: list[tuple[list[Path], list[Path]]] = []
    unlink = Path.unlink

    def looking_as_the_lock_goes(self: Path, missing_ok: bool = False) -> None:
        if self.name == layout.RUN_LOCK:
            seen.append(layout.leftover_staging(tmp_path / "out"))
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", looking_as_the_lock_goes)
    staging = layout.Staging(tmp_path / "out", CONTACT_A)
    staging.create()
    (staging.frames_dir() / "sc1-vc0.cadu").write_bytes(b"partial")
    staging.index_file().write_bytes(b"partial")
    assert layout.leftover_staging(tmp_path / "out") == ([], [])  # locked: running
    staging.discard()
    assert seen == [([], [])] and not staging.dir.exists()


def test_a_staging_directory_gone_between_the_listing_and_the_look_is_not_named(tmp_path, monkeypatch) -> None:
    left = tmp_path / "out" / f"{layout.STAGING_PREFIX}{CONTACT_A}-0000000000"
    left.mkdir(parents=True)
    (left / "frame_index.parquet").write_bytes(b"partial")
    assert layout.leftover_staging(tmp_path / "out") == ([], [left])  # a stopped run's, unlocked

    def finished_meanwhile(path: Path) -> bool:
        for entry in path.iterdir():
            entry.unlink()
        path.rmdir()
        return False

    monkeypatch.setattr(layout, "_running", finished_meanwhile)
    assert layout.leftover_staging(tmp_path / "out") == ([], [])


def test_a_commit_waits_for_another_runs_commit_into_the_same_products(processed) -> None:
    """Two runs of one contact into one `--out` interleaved their renames: one run's summary
    beside the other's index, or the contact's summary on two days, both runs exiting 0. A
    commit holds the products root, so another run's commit waits for it whole."""
    import fcntl
    import threading
    import time

    out, again, before = processed
    result: dict[str, object] = {}
    holder = os.open(out, os.O_RDONLY)  # another run's commit, under way
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        worker = threading.Thread(target=lambda: result.update(_process(again, out)))
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and _products(out) == before  # staged, and waiting to move in
    finally:
        os.close(holder)
    worker.join(30)
    assert not worker.is_alive() and result["frames"] == 12
    assert _products(out) != before and set(_products(out)) == set(before)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no lock file left in the products


def test_a_products_directory_that_takes_no_lock_is_still_written(processed, monkeypatch) -> None:
    """NFS emulates flock with byte-range locks, which need a descriptor open for writing: a
    directory's exclusive lock fails there (EBADF), and every run into such an `--out` failed."""
    import errno

    out, again, before = processed
    real = layout._flock
    assert real is not None

    def nfs_flock(handle: int, operation: int) -> None:
        if operation & layout.LOCK_EX and os.path.isdir(f"/proc/self/fd/{handle}"):
            raise OSError(errno.EBADF, "Bad file descriptor")
        real(handle, operation)

    monkeypatch.setattr(layout, "_flock", nfs_flock)
    assert _process(again, out)["frames"] == 12
    assert _products(out) != before and set(_products(out)) == set(before)


def test_a_contact_moving_to_an_earlier_day_sets_that_days_summary_aside_first(tmp_path, monkeypatch) -> None:
    """A file whose packets date the contact a day earlier moves its products to that day's
    partition, and the later day's products are set aside: its summary before anything else, so
    a commit killed after its first move counts the contact on neither day."""
    out = tmp_path / "products"
    later = packetise(stream_of(frames(range(8))), 1000, (EPOCH + 86_400) * 1_000_000)
    Capture(later).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 2))
    _process(tmp_path / "raw", out)
    (summary,) = [key for key in _products(out) if key.startswith("contact_summary/")]
    earlier = packetise(stream_of(frames(range(8, 12))), 1000, EPOCH * 1_000_000)
    Capture(earlier).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    staging = _killed_commit(tmp_path / "raw", out, monkeypatch, after=1)
    assert not [key for key in _products(out) if key.startswith("contact_summary/")]
    assert summary in layout.set_aside_from(staging).values()


def test_a_query_waits_for_a_commit_and_counts_its_products_whole(processed, capsys) -> None:
    """`groundlink query` listed the products' files and read them later: a `process` committing
    into the same directory in between left it counting one run's frame index beside another's
    summaries (exit 0), or failing on a file set aside. A query holds the products shared, so a
    commit under way finishes first, and the query counts the new products alone."""
    import fcntl
    import threading
    import time

    from groundlink.app.processing_commands import run_query
    from groundlink.cli import build_parser

    out, _, _ = processed
    sql = "select (select count(*) from frame_index) as indexed, (select sum(frames) from contact_summary) as summed"
    args = build_parser().parse_args(["query", str(out), sql, "--json"])
    result: list[int] = []
    holder = os.open(out, os.O_RDONLY)  # a run's commit, under way
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        worker = threading.Thread(target=lambda: result.append(run_query(args)))
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and capsys.readouterr().out == ""  # nothing read yet
    finally:
        os.close(holder)
    worker.join(30)
    assert result == [0]
    assert capsys.readouterr().out == '{"indexed": 8, "summed": 8}\n'


def test_a_commit_waits_for_a_query_reading_the_products(processed) -> None:
    """The other side: a commit into products a query holds waits for the query to end."""
    import threading
    import time

    out, again, before = processed
    result: dict[str, object] = {}
    with layout.products_locked(out, exclusive=False):  # a query, reading
        worker = threading.Thread(target=lambda: result.update(_process(again, out)))
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and _products(out) == before
    worker.join(30)
    assert not worker.is_alive() and result["frames"] == 12


def test_a_staging_directory_is_emptied_with_its_set_aside_record_last(tmp_path, monkeypatch) -> None:
    """A run killed while it removed its staging directory after a commit left the products the
    commit had set aside without `set-aside.json`, when the record happened to be removed first:
    the next run could then only say they "could not be put back", where the record lets it call
    them superseded and say to delete them. The record goes after what it names."""
    staging = layout.Staging(tmp_path / "out", CONTACT_A)
    staging.create()
    for n in range(3):
        (staging.dir / f"previous-{n}").mkdir()
        (staging.dir / f"previous-{n}" / "frame_index.parquet").write_bytes(b"earlier")
    (staging.dir / layout.SET_ASIDE_RECORD).write_text("{}")
    staging.committed = True
    removed: list[str] = []
    listed, rmtree, unlink = Path.iterdir, layout.shutil.rmtree, Path.unlink

    def record_first(self: Path):  # a directory's order is the file system's: the worst one here
        return iter(sorted(listed(self), key=lambda e: e.name != layout.SET_ASIDE_RECORD))

    def removing(path, *args, **kwargs):
        removed.append(Path(path).name)
        return rmtree(path, *args, **kwargs)

    def unlinking(self: Path, missing_ok: bool = False) -> None:
        removed.append(self.name)
        unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "iterdir", record_first)
    monkeypatch.setattr(layout.shutil, "rmtree", removing)
    monkeypatch.setattr(Path, "unlink", unlinking)
    staging.discard()
    assert sorted(removed[:3]) == ["previous-0", "previous-1", "previous-2"]
    assert removed[3] == layout.SET_ASIDE_RECORD
    assert not staging.dir.exists()
