"""The Makefile's targets with paths a user gives them: one argument each, whatever the path
holds, and `make demo` never removes what it did not make. `DEMO="my docs"` unquoted was
`rm -rf my docs`: the checkout's docs/ went."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make here")


def _make(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The checkout's Makefile run from `where`, never from the checkout: a recipe that splits a
    path in two reaches `where`'s files, not the checkout's. -o: no virtual environment is built."""
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), "-o", ".venv/.installed", *args],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", ["a b", "it's", "x; touch pwned", "a`id`b", "-rf"])
def test_compare_gives_the_spec_and_the_report_directory_as_one_argument_each(tmp_path: Path, name: str) -> None:
    spec, out = tmp_path / f"{name}.yaml", tmp_path / name
    run = _make(tmp_path, "-n", "compare", f"SPEC={spec}", f"OUT={out}")
    assert run.returncode == 0, run.stderr
    (command,) = [line for line in run.stdout.splitlines() if "groundlink compare" in line]
    assert shlex.split(command)[1:] == ["compare", str(spec), "--out", str(out)]


def test_demo_refuses_a_directory_it_did_not_make_and_removes_nothing(tmp_path: Path) -> None:
    """`rm -rf my docs` from `tmp_path` removed its my/ and docs/ (from the checkout, its docs/)."""
    for directory in ("my", "docs", "my docs"):
        (tmp_path / directory).mkdir()
        (tmp_path / directory / "keep.txt").write_text("mine")
    (tmp_path / "my docs" / "raw").mkdir()  # a real delivery, say: not the demo's
    run = _make(tmp_path, "demo", "DEMO=my docs")
    assert run.returncode == 2
    assert run.stderr.splitlines()[0] == (
        "make demo: DEMO=my docs exists and holds no .groundlink-demo (what make demo makes, since 2026-12-04): "
        "nothing removed; name a new directory or remove it yourself"
    )
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "docs",
        "docs/keep.txt",
        "my",
        "my docs",
        "my docs/keep.txt",
        "my docs/raw",
        "my/keep.txt",
    ]


def test_demo_replaces_only_the_raw_and_products_of_a_directory_it_made(tmp_path: Path) -> None:
    """What a run left is replaced by the next (its DEMO holds .groundlink-demo); a file of the
    user's beside them stays. The commands that write them are given the directory as one word."""
    demo = tmp_path / "it's demo"
    demo.mkdir()
    (demo / ".groundlink-demo").touch()
    (demo / "notes.txt").write_text("mine")
    for stale in ("raw", "products"):
        (demo / stale).mkdir()
        (demo / stale / "old").write_text("from the last run")
    dry = _make(tmp_path, "-n", "demo", f"DEMO={demo}")
    commands = [shlex.split(line) for line in dry.stdout.splitlines() if "groundlink " in line or "contactgen" in line]
    assert [c[1:] for c in commands] == [
        ["-m", "tests.contactgen", f"{demo}/raw"],
        ["process", f"{demo}/raw", "--out", f"{demo}/products"],
        ["query", f"{demo}/products", "--examples"],
    ]
    # the first recipe line alone (the one that clears the last run), as make runs it
    clear = dry.stdout.split("\n.venv/bin/python -m tests.contactgen")[0]
    subprocess.run(["sh", "-c", clear], check=True, cwd=tmp_path)
    assert sorted(p.name for p in demo.iterdir()) == [".groundlink-demo", "notes.txt"]


def test_demo_gives_a_directory_starting_with_a_dash_as_a_path(tmp_path: Path) -> None:
    """`DEMO=-dash`: the directory was made, then `python -m tests.contactgen -dash/raw` read its
    argument as an option ("the following arguments are required: RAW_DIR")."""
    dry = _make(tmp_path, "-n", "demo", "DEMO=-dash")
    commands = [shlex.split(line) for line in dry.stdout.splitlines() if "groundlink " in line or "contactgen" in line]
    assert [c[1:] for c in commands] == [
        ["-m", "tests.contactgen", "./-dash/raw"],
        ["process", "./-dash/raw", "--out", "./-dash/products"],
        ["query", "./-dash/products", "--examples"],
    ]


def test_the_demo_contact_writer_says_a_full_disk_in_one_line(tmp_path: Path) -> None:
    """`make demo > /dev/full` (or a pipe whose reader left) ended in a traceback at its first print."""
    import sys

    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "tests.contactgen", str(tmp_path / "raw")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert (run.returncode, run.stderr) == (
        2,
        "python -m tests.contactgen: cannot write to standard output (No space left on device)\n",
    )


def test_demo_refuses_an_empty_path_and_removes_nothing(tmp_path: Path) -> None:
    """`make demo DEMO=$UNSET` ran `rm -rf -- "/raw" "/products"`: the guard tested the empty
    path for existence, which it lacks, and the recipe then named the root's."""
    dry = _make(tmp_path, "-n", "demo", "DEMO=")
    clear = dry.stdout.split("\n.venv/bin/python -m tests.contactgen")[0]  # the recipe line that clears
    run = subprocess.run(["sh", "-c", clear.replace("rm -rf --", "echo REMOVE")], capture_output=True, text=True)
    assert run.returncode == 2 and "REMOVE" not in run.stdout
    assert run.stderr.splitlines() == [
        "make demo: DEMO is an empty path (it would name /raw and /products): nothing removed; give a path, such as "
        "out/demo"
    ]


def test_clean_leaves_the_users_reports_and_the_mutation_results(tmp_path: Path) -> None:
    """It removed out/ (where the README writes a user's plans) and mutants/ (hours of results)."""
    for made in ("out/plan-aws.json", "mutants/x.meta", "build/processing/a.zip", ".pytest_cache/v", ".venv/bin/x"):
        (tmp_path / made).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / made).write_text("x")
    run = _make(tmp_path, "clean")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mutants", "out"]


def test_the_demo_delivery_on_a_full_disk_is_one_line_and_no_capture_cut_short(tmp_path, monkeypatch, capsys):
    """`make demo` on a full disk printed two chained tracebacks and left a capture cut at
    45,056 bytes, which `groundlink process` would read as a delivery."""
    import dpkt

    from tests import contactgen

    real, written = dpkt.pcap.Writer.writepkt, []

    def fills_up(self, *args, **kwargs):
        if len(written) == 50:
            raise OSError(28, "No space left on device")
        written.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(dpkt.pcap.Writer, "writepkt", fills_up)
    (tmp_path / "demo").mkdir()  # as the recipe makes DEMO before the delivery is written
    raw = tmp_path / "demo" / "raw"
    assert contactgen.main([str(raw)]) == 2
    assert capsys.readouterr().err == f"python -m tests.contactgen: cannot write {raw} (No space left on device)\n"
    assert list(tmp_path.rglob("*")) == [tmp_path / "demo"]  # nothing of the delivery left
