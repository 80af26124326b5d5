"""`groundlink process` at the edges of paths and of its own life: paths the system cannot
look up, long error lines, writes that fail where the user must be told which path, SIGTERM
and SIGHUP, and the generator of the demo delivery as a command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from groundlink.cli import main
from groundlink.inputs import MAX_LINE
from tests.contactgen import CONTACT_A, CONTACT_B, demo_contact

REPO = Path(__file__).resolve().parents[1]


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    return err.rstrip("\n")


def _too_long(root: Path) -> Path:
    """A path longer than PATH_MAX (4096), each of its names within NAME_MAX."""
    path = root / "o"
    for _ in range(40):
        path /= "b" * 120
    return path


@pytest.mark.parametrize("where", ["--out", "CONTACT_DIR", "query"])
def test_a_path_longer_than_path_max_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    demo_contact(tmp_path / "raw")
    long = _too_long(tmp_path)
    argv = {
        "--out": ["process", str(tmp_path / "raw"), "--out", str(long)],
        "CONTACT_DIR": ["process", str(long), "--out", str(tmp_path / "out")],
        "query": ["query", str(long), "SELECT 1"],
    }[where]
    assert main(argv) == 2
    line = _one_line(capsys)
    named = f"--out {tmp_path}/o/bbb" if where == "--out" else f"{tmp_path}/o/bbb"
    assert line.startswith(f"groundlink: {named}")
    verb = "write" if where == "--out" else "read"
    assert line.endswith(f": cannot {verb} (File name too long)") and len(line) <= MAX_LINE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_a_long_path_in_an_error_line_keeps_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines were cut at their end to 300 characters: a long --out kept its start and lost
    why it was refused."""
    demo_contact(tmp_path / "raw")
    out = tmp_path / "o_long" / ("a" * 480)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    line = _one_line(capsys)
    assert len(line) == MAX_LINE and "…" in line
    assert line.startswith(f"groundlink: --out {tmp_path}/o_long/aaa")
    assert line.endswith("aaa: cannot write (File name too long)")


def test_a_file_where_a_product_directory_must_go_is_named_and_no_directory_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    demo_contact(Path("raw"))
    Path("weird").mkdir()
    Path("weird/frame_index").write_text("x")
    assert main(["process", "raw", "--out", "weird"]) == 2
    # the run stops at the first contact, so the delivery's second is not written either
    assert capsys.readouterr().err.splitlines() == [
        "groundlink: --out weird: weird/frame_index is a file, not a directory",
        "groundlink: 2 of 2 contacts not written (above)",
    ]
    assert sorted(str(p) for p in Path("weird").rglob("*")) == ["weird/frame_index"]  # no frames/year=.../ tree


def test_a_products_dir_under_partition_directories_reads_each_contact_s_own_partitions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out may sit under year=/month=/day=/satellite= directories of its own (an archive laid
    out as the products are): each row's partitions are its own file's, the last four of its
    path, where every contact read the products directory's `2020|01|01|old`."""
    demo_contact(tmp_path / "raw")
    out = tmp_path / "q" / "year=2020" / "month=01" / "day=01" / "satellite=old" / "products"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    capsys.readouterr()
    sql = "SELECT contact_id, year, month, day, satellite FROM contact_summary ORDER BY contact_id"
    assert main(["query", str(out), sql, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {"contact_id": contact, "year": "2025", "month": "12", "day": "01", "satellite": "noaa20"}
        for contact in sorted([CONTACT_A, CONTACT_B])
    ]


def _refused_by(
    directory: Path, command: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`command` run while `directory` refuses writes: read-only, and for root without the
    capabilities that pass every permission check."""
    directory.chmod(0o555)
    try:
        drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*drop, *command], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    finally:
        directory.chmod(0o755)


def test_a_directory_that_refuses_the_write_is_named_not_the_products_root(tmp_path: Path) -> None:
    """Root passes every permission check: the capabilities that let it are dropped for the run."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("root without setpriv cannot be refused a write")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    demo_contact(tmp_path / "raw")
    command = [sys.executable, "-m", "groundlink.cli", "process", "raw", "--out", "ro"]
    first = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    partition = tmp_path / "ro" / "frames" / "year=2025" / "month=12" / "day=01" / "satellite=noaa20"
    before = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "ro").rglob("*"))
    done = _refused_by(partition, command, tmp_path, env)
    failed = f"ro/frames/year=2025/month=12/day=01/satellite=noaa20/{CONTACT_A}"
    assert (done.returncode, done.stderr.splitlines()) == (
        2,
        [
            f"groundlink: --out ro: cannot write {failed} (Permission denied)",
            "groundlink: 2 of 2 contacts not written (above)",
        ],
    )
    assert sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "ro").rglob("*")) == before


@pytest.mark.parametrize(
    ("table", "product"),
    [("frames", CONTACT_A), ("frame_index", f"{CONTACT_A}.parquet"), ("contact_summary", f"{CONTACT_A}.parquet")],
)
def test_a_new_contact_s_partition_that_refuses_the_write_is_named_not_the_staging_copy(
    tmp_path: Path, table: str, product: str
) -> None:
    """Moving a first product into a partition the user cannot write named the source of the
    move, a file of the hidden staging directory, gone when the line is read; the directory to
    mend is the target's."""
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.skip("root without setpriv cannot be refused a write")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    demo_contact(tmp_path / "raw")
    partition = tmp_path / "ro" / table / "year=2025" / "month=12" / "day=01" / "satellite=noaa20"
    partition.mkdir(parents=True)
    command = [sys.executable, "-m", "groundlink.cli", "process", "raw", "--out", "ro"]
    done = _refused_by(partition, command, tmp_path, env)
    failed = f"ro/{table}/year=2025/month=12/day=01/satellite=noaa20/{product}"
    assert (done.returncode, done.stderr.splitlines()[0]) == (
        2,
        f"groundlink: --out ro: cannot write {failed} (Permission denied)",
    )
    assert not [p for p in (tmp_path / "ro").rglob("*") if p.name.startswith(".staging-")]


# The run is sent the signal once it has read a chunk of the first contact's first capture:
# the staging directory is there, half written.
_SIGNALLED_RUN = """
import os, signal, sys
from groundlink.processing import processor
from groundlink.cli import entry
number = getattr(signal, sys.argv[1])
read_capture = processor.read_capture
def reading(*args, **kwargs):
    for chunk in read_capture(*args, **kwargs):
        yield chunk
        os.kill(os.getpid(), number)
processor.read_capture = reading
sys.argv = ["groundlink", *sys.argv[2:]]
entry()
"""


def _signalled(tmp_path: Path, name: str, out: Path, ignored: bool = False) -> subprocess.CompletedProcess[str]:
    def ignore() -> None:
        # set either way: a test runner started under nohup (or a CI runner) hands SIGHUP down ignored
        signal.signal(getattr(signal, name), signal.SIG_IGN if ignored else signal.SIG_DFL)

    return subprocess.run(
        [sys.executable, "-c", _SIGNALLED_RUN, name, "process", str(tmp_path / "raw"), "--out", str(out)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=ignore,
    )


@pytest.mark.parametrize(("name", "code"), [("SIGHUP", 129), ("SIGTERM", 143)])
def test_sighup_and_sigterm_remove_what_the_run_created(tmp_path: Path, name: str, code: int) -> None:
    demo_contact(tmp_path / "raw")
    done = _signalled(tmp_path, name, tmp_path / "new" / "products")
    assert (done.returncode, done.stdout, done.stderr) == (code, "", f"groundlink: stopped by {name}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]  # neither the staging nor the --out it made


def test_a_stopped_run_leaves_an_existing_out_as_it_was(tmp_path: Path) -> None:
    demo_contact(tmp_path / "raw")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("keep me")
    assert _signalled(tmp_path, "SIGHUP", tmp_path / "out").returncode == 129
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_a_sighup_that_was_ignored_stays_ignored(tmp_path: Path) -> None:
    """`nohup groundlink process ...` must outlive the terminal that started it."""
    demo_contact(tmp_path / "raw")
    done = _signalled(tmp_path, "SIGHUP", tmp_path / "out", ignored=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(f"wrote {tmp_path / 'out'}\n")


# The signal comes as the run opens its products in the staging directory it has just made.
_SIGNALLED_AT_START = """
import os, signal, sys
from groundlink.processing import processor
from groundlink.cli import entry
number = getattr(signal, sys.argv[1])
opening = processor._ContactRun.__init__
def signalled(self, *args):
    os.kill(os.getpid(), number)
    opening(self, *args)
processor._ContactRun.__init__ = signalled
sys.argv = ["groundlink", *sys.argv[2:]]
entry()
"""


@pytest.mark.parametrize(
    ("name", "code", "line"), [("SIGINT", 130, "interrupted"), ("SIGTERM", 143, "stopped by SIGTERM")]
)
def test_a_signal_as_the_staging_directory_is_made_leaves_none(tmp_path: Path, name: str, code: int, line: str) -> None:
    demo_contact(tmp_path / "raw")
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _SIGNALLED_AT_START,
            name,
            "process",
            str(tmp_path / "raw"),
            "--out",
            str(tmp_path / "out"),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGTERM)] and None,
    )
    assert (done.returncode, done.stderr) == (code, f"groundlink: {line}\n")
    assert list((tmp_path / "out").iterdir()) == []


# A contact processed again is stopped mid-commit, once its earlier index is set aside and
# before the new one is in; a second signal comes as the earlier products are put back. Run as
# the console script runs (entry), with its own Ctrl-C handling.
_STOPPED_TWICE_IN_COMMIT = """
import os, signal, sys
from groundlink.processing import layout
from groundlink.cli import entry
first, second = getattr(signal, sys.argv[1]), getattr(signal, sys.argv[2])
replace, moves = os.replace, []
def replacing(src, dst):
    replace(src, dst)
    moves.append(dst)
    if len(moves) == 3:  # frames set aside and replaced, the earlier index set aside
        os.kill(os.getpid(), first)
layout.os.replace = replacing
undo = layout.Staging._undo
def undoing(self, *args):
    os.kill(os.getpid(), second)
    return undo(self, *args)
layout.Staging._undo = undoing
sys.argv = ["groundlink", *sys.argv[3:]]
entry()
"""


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    ("first", "second", "code", "line"),
    [
        ("SIGINT", "SIGINT", 130, "groundlink: interrupted"),
        ("SIGINT", "SIGTERM", 130, "groundlink: interrupted"),
        ("SIGTERM", "SIGINT", 143, "groundlink: stopped by SIGTERM"),
        ("SIGTERM", "SIGHUP", 143, "groundlink: stopped by SIGTERM"),
    ],
)
def test_a_second_signal_while_a_stopped_commit_is_undone_loses_no_earlier_product(
    tmp_path: Path, first: str, second: str, code: int, line: str
) -> None:
    demo_contact(tmp_path / "raw")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    earlier = _tree(tmp_path / "out")

    def as_a_terminal_leaves_them() -> None:  # a runner started under nohup hands SIGHUP down ignored
        for name in ("SIGINT", "SIGTERM", "SIGHUP"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)

    command = ["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, "-c", _STOPPED_TWICE_IN_COMMIT, first, second, *command],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=as_a_terminal_leaves_them,
    )
    assert (done.returncode, done.stderr.splitlines()) == (code, [line])
    assert _tree(tmp_path / "out") == earlier  # the earlier products, whole, and no staging left


@pytest.mark.parametrize(
    ("argv", "code", "stream", "start"),
    [
        (["--help"], 0, "stdout", "usage: python -m tests.contactgen [-h] RAW_DIR"),
        ([], 2, "stderr", "usage: python -m tests.contactgen [-h] RAW_DIR"),
    ],
)
def test_contactgen_has_a_usage_and_makes_no_directory_of_a_flag(
    tmp_path: Path, argv: list[str], code: int, stream: str, start: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.contactgen", *argv],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code
    assert getattr(done, stream).startswith(start) and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_staging_directories_a_killed_run_left_are_named_and_kept(tmp_path: Path, capsys) -> None:
    """A run killed outright (SIGKILL, a power cut) cannot remove its staging directory; the
    next run says so, and never deletes one: it may belong to a run still going, or hold the
    earlier products a failed commit set aside (their only copy)."""
    demo_contact(tmp_path / "raw")
    out = tmp_path / "out"
    (out / ".staging-a-1" / "frames").mkdir(parents=True)
    (out / ".staging-b-2" / "previous-0").mkdir(parents=True)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"groundlink: {out / '.staging-b-2'} holds earlier products of contact b that a commit set aside and could "
        'not put back (docs/processing.md, "Products are staged"): process contact b\'s files again into this '
        "--out, which replaces its products whole, then delete the directory",
        f"groundlink: --out {out} holds 1 staging directory of another run, still going or killed (.staging-a-1): partial "
        "products no query reads; delete them unless a run into this directory is still going",
    ]
    assert sorted(p.name for p in out.glob(".staging-*")) == [".staging-a-1", ".staging-b-2"]


@pytest.mark.parametrize(("count", "said"), [(2, "2 staging directories"), (4, "4 staging directories")])
def test_several_staging_directories_a_killed_run_left_are_counted_and_the_first_three_named(
    tmp_path: Path, capsys, count: int, said: str
) -> None:
    """Two or more are "directories", and past three the first three are named and the rest
    counted: "1 staging directory" was said of two, and four were named as if three."""
    demo_contact(tmp_path / "raw")
    out = tmp_path / "out"
    for number in range(1, count + 1):
        (out / f".staging-a-{number}" / "frames").mkdir(parents=True)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    names = ", ".join(f".staging-a-{number}" for number in range(1, min(count, 3) + 1))
    more = f" and {count - 3} more" if count > 3 else ""
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: --out {out} holds {said} of another run, still going or killed ({names}{more}): partial "
        "products no query reads; delete them unless a run into this directory is still going",
    ]


def test_earlier_products_set_aside_past_three_are_counted_where_their_restore_is_told(tmp_path: Path, capsys) -> None:
    """The first three set-aside products are named with their places, and the rest counted: a
    fourth left unsaid read as if three were all there were to put back."""
    demo_contact(tmp_path / "raw")
    out = tmp_path / "out"
    kept = out / ".staging-b-2"
    origins = {f"previous-{n}": f"frames/x{n}" for n in range(4)}
    for aside in origins:
        (kept / aside).mkdir(parents=True)
    (kept / "set-aside.json").write_text(json.dumps(origins))
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: {kept} holds earlier products of contact b that a commit set aside and could not put back "
        '(docs/processing.md, "Products are staged"): process contact b\'s files again into this --out, which '
        "replaces its products whole, then delete the directory; or, to restore them instead, replace what stands "
        "at each place with the one set aside (previous-0 for frames/x0, previous-1 for frames/x1, previous-2 for "
        "frames/x2 and 1 more: set-aside.json in it lists them)",
    ]


def test_the_staging_directory_of_a_run_still_going_is_no_leftover(tmp_path: Path, capsys) -> None:
    """Another run, mid-commit, holds earlier products set aside in its staging directory for a
    moment: a run that ended meanwhile told the user to move them back or delete them, and
    deleting them would have lost them. A run holds its directory's lock while it goes on."""
    import fcntl

    from groundlink.processing.layout import RUN_LOCK

    demo_contact(tmp_path / "raw")
    out = tmp_path / "out"
    going = out / ".staging-b-2"
    (going / "previous-0").mkdir(parents=True)
    with (going / RUN_LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as the other run holds it
        assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
        assert "staging" not in capsys.readouterr().err
    # the lock gone with its run (killed outright): now it is a leftover, and named
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    assert f"groundlink: {going} holds earlier products of contact b that a commit set aside" in capsys.readouterr().err


def test_a_run_without_leftovers_says_nothing_of_staging(tmp_path: Path, capsys) -> None:
    demo_contact(tmp_path / "raw")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    assert "staging" not in capsys.readouterr().err
    assert list((tmp_path / "out").glob(".staging-*")) == []


def test_an_undo_stopped_part_way_keeps_the_earlier_products_it_had_not_put_back(tmp_path: Path, monkeypatch) -> None:
    """A commit that fails (a file system that refuses a move) undoes its moves; stopped part-way
    by the first signal, before it had put an earlier product back, the staging directory that
    holds that product's only copy is kept, not deleted with the rest, whatever handles the
    signal (here Python's own KeyboardInterrupt, as for a caller running the command line)."""
    from groundlink.processing import layout

    demo_contact(tmp_path / "raw")
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    earlier = _tree(out)
    replace, moves = os.replace, []

    def refusing(src, dst):
        moves.append(dst)
        if len(moves) == 4:  # the earlier summary, frames and index set aside: the new frames refused
            raise OSError(28, "No space left on device")
        return replace(src, dst)

    def stopped(self, done):
        raise KeyboardInterrupt  # the first signal, as the undo starts

    monkeypatch.setattr(layout.os, "replace", refusing)
    monkeypatch.setattr(layout.Staging, "_undo", stopped)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 130  # interrupted, in one line
    monkeypatch.undo()
    [kept] = out.glob(".staging-*")
    set_aside = {p.name: p for p in kept.iterdir() if p.name.startswith("previous-")}
    assert sorted(set_aside) == ["previous-0", "previous-1", "previous-2"]  # the earlier frames, index, summary
    indexes = [content for name, content in earlier.items() if name.startswith("frame_index/")]
    assert set_aside["previous-1"].read_bytes() in indexes
    summaries = [content for name, content in earlier.items() if name.startswith("contact_summary/")]
    assert set_aside["previous-2"].read_bytes() in summaries
