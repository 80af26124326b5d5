"""`make breaks` breaks each line its table names (scripts/breaks.py): a line a later change
rewrote is no break at all, and `make breaks` then failed on a fresh clone while `make test`
passed. Each line to break is in its file exactly once, and each break names tests that exist."""

from __future__ import annotations

import pytest

from .conftest import ROOT, script_module

BREAKS = script_module("scripts/breaks.py").BREAKS


@pytest.mark.parametrize("brk", BREAKS, ids=lambda b: b.name)
def test_every_break_names_a_line_that_is_there_once_and_tests_that_exist(brk):
    assert (ROOT / brk.path).read_text().count(brk.old) == 1, f"{brk.name}: the line to break moved"
    assert brk.old != brk.new
    assert brk.tests and all((ROOT / test).is_file() for test in brk.tests)


def test_without_git_the_copy_takes_what_git_would_list(tmp_path, monkeypatch):
    """In a download without git's metadata (or without git), `make breaks` stopped with git's
    traceback; its copy now takes every file but what the .gitignore files name: the same
    files git lists here, and none of a nested cache that ignores itself (`*`)."""
    import subprocess

    breaks = script_module("scripts/breaks.py")
    try:
        listed = breaks.checkout_files()
        subprocess.run(["git", "rev-parse"], cwd=ROOT, check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("this checkout is not a git repository: nothing to compare the fallback with")

    def no_git(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(breaks.subprocess, "run", no_git)
    assert breaks.checkout_files() == sorted(listed)
    assert "groundlink/spec.py" in listed and not [n for n in listed if n.startswith((".venv/", "build/", ".git/"))]


def test_a_stopped_script_removes_its_temporary_copy():
    """`timeout 200 make breaks` (or a cancelled CI job) sent SIGTERM, which ended the script on
    the spot and left a copy of the tree in /tmp for every stopped run: the scripts that hold
    temporary copies (scripts/breaks.py, bench/bench.py, bench/processing.py) unwind on it."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import sys, tempfile, time\n"
        "from groundlink.interrupt import unwind_on_termination\n"
        "unwind_on_termination()\n"
        "with tempfile.TemporaryDirectory(prefix='groundlink-unwind-') as tmp:\n"
        "    print(tmp, flush=True)\n"
        "    time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    made = Path(proc.stdout.readline().strip())
    assert made.is_dir()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 128 + signal.SIGTERM
    assert not made.exists()
    root = Path(__file__).resolve().parents[1]
    for path in ("scripts/breaks.py", "bench/bench.py", "bench/processing.py"):
        main_block = (root / path).read_text().split('if __name__ == "__main__":')[-1]
        assert "unwind_on_termination()" in main_block, path
