"""A shell's limit of open files: raised where a process may raise it, refused in one line where not.

Under `ulimit -n 20`, `compare` ended in pages of the Pulumi SDK's tracebacks ("Task exception
was never retrieved ... Too many open files") and exit 1, saying nothing the user could act on.
"""

from __future__ import annotations

import errno
import subprocess
import sys

import pytest

from groundlink import open_files
from groundlink.cli import main

from .conftest import ROOT


def _limited(limits: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """`argv` run under the shell's `ulimit` `limits` (not a preexec_fn: see tests/terminal.py)."""
    return subprocess.run(
        ["sh", "-c", f'ulimit {limits} && exec "$@"', "sh", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


SOFT_BEFORE_AND_AFTER = (
    "import resource; from groundlink.open_files import raise_open_file_limit as r; "
    "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0]); r(); "
    "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])"
)


@pytest.mark.parametrize(
    ("limits", "before", "after"),
    [
        ("-Sn 20 && ulimit -Hn 1100", "20", "1024"),  # raised to 1,024, no further
        ("-Sn 20 && ulimit -Hn 300", "20", "300"),  # as far as the hard limit lets it
        ("-Sn 1050 && ulimit -Hn 1100", "1050", "1050"),  # already high: left as it is
    ],
)
def test_a_low_soft_limit_is_raised_as_far_as_the_hard_limit_lets_it(limits, before, after):
    """A soft limit under 1,024 (the hard one above it) is raised by the command itself, and what
    it starts inherits the raise; one already at 1,024 or more is the user's, left alone. The
    hard limits are set here, so the machine's own do not matter."""
    shown = _limited(limits, sys.executable, "-c", SOFT_BEFORE_AND_AFTER)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [before, after]


def test_a_hard_limit_too_low_is_refused_in_one_line_before_anything_is_written(tmp_path):
    out = tmp_path / "report"
    done = _limited("-n 30", sys.executable, "-m", "groundlink", "compare", "specs/noaa20.yaml", "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "groundlink: this shell lets a process open 30 files at once (ulimit -n), at most 30; "
        "groundlink needs 64: run `ulimit -n 64` (or higher) first"
    ]
    assert not out.exists()


def test_a_hard_limit_of_exactly_the_need_runs_the_command():
    done = _limited("-n 64", sys.executable, "-m", "groundlink", "validate", "specs/noaa20.yaml")
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (
            errno.EMFILE,
            "groundlink: too many open files: this process may open {limit} (ulimit -n); raise the limit and run again",
        ),
        (
            errno.ENFILE,
            "groundlink: too many open files on this system (its file table is full); close other programs and run again",
        ),
    ],
)
def test_a_full_file_table_met_while_a_command_runs_is_one_line_and_exit_2(monkeypatch, capsys, code, line):
    import resource

    def full() -> None:
        raise OSError(code, "Too many open files")

    monkeypatch.setattr(open_files, "raise_open_file_limit", full)
    assert main(["validate", "specs/noaa20.yaml"]) == 2
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert capsys.readouterr().err.splitlines() == [line.format(limit=limit)]


def test_any_other_os_error_is_not_mistaken_for_a_full_file_table():
    assert open_files.out_of_descriptors(OSError(errno.EACCES, "Permission denied")) is None
    assert open_files.out_of_descriptors(OSError(errno.ENOSPC, "No space left on device")) is None
