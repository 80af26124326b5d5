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
