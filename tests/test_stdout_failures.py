"""A write to stdout that fails otherwise than by its reader leaving (`> /dev/full`: the disk
is full) ends every command in one line on stderr and exit 2, the code of an output that
cannot be written: never a traceback, never 1 (which `diff` and `compare` use for data loss
and parity failures), never 0 with the output lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from groundlink import cli, engine

from .conftest import SPECS, cached_plan, groundlink_with_stdout

NOAA20 = str(SPECS / "noaa20.yaml")
LINE = "groundlink: cannot write to standard output (No space left on device)\n"

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


def to_full_disk(*argv: str, buffered: bool = False) -> subprocess.CompletedProcess[str]:
    """The command with stdout on /dev/full. Unbuffered (PYTHONUNBUFFERED), the first print
    fails; buffered, the failure is seen only when stdout is flushed as the command ends."""
    with open("/dev/full", "w") as full:
        return groundlink_with_stdout(list(argv), full, unbuffered=not buffered)


@pytest.mark.parametrize(
    ("argv", "buffered"),
    [
        (("validate", NOAA20), False),
        (("validate", NOAA20), True),
        (("schema",), True),
        (("--version",), False),  # argparse itself drops the error of this write
        (("--version",), True),
        (("--help",), True),
        (("validate", "--help"), False),
    ],
    ids=["validate", "validate-last-flush", "schema-last-flush", "version", "version-last-flush", "help-last-flush",
         "command-help"],
)  # fmt: skip
def test_a_full_disk_on_stdout_is_one_line_and_exit_2(argv: tuple[str, ...], buffered: bool) -> None:
    """Unbuffered, the first print fails; buffered, only the flush as the command ends."""
    result = to_full_disk(*argv, buffered=buffered)
    assert (result.returncode, result.stderr) == (2, LINE)


@pytest.mark.parametrize("argv", [("validate", NOAA20), ("--version",)], ids=["validate", "version"])
def test_a_command_started_without_stdout_is_one_line_and_exit_2(argv: tuple[str, ...]) -> None:
    """`groundlink ... >&-`: Python starts with sys.stdout None; the first print is a failed
    write (one line, exit 2), not an AttributeError's traceback and exit 1."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "groundlink", *argv],
        stderr=subprocess.PIPE,
        text=True,
        cwd=SPECS.parent,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "groundlink: cannot write to standard output (standard output is closed)\n",
    )


def test_diff_does_not_report_data_loss_when_its_output_is_lost(monkeypatch, capsys) -> None:
    """In-process (the session's plans), stdout a file on /dev/full: the write fails at once."""
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: cached_plan("noaa20.yaml", cloud))
    with open("/dev/full", "w", buffering=1) as full:
        monkeypatch.setattr(sys, "stdout", full)
        code = cli.main(["diff", NOAA20, NOAA20, "--json", "--cloud", "aws"])
    assert (code, capsys.readouterr().err) == (2, LINE)


def test_validate_with_a_bad_spec_still_says_why_on_stderr(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((SPECS / "noaa20.yaml").read_text().replace("contacts_per_day: ", "contacts_per_day: -"))
    result = to_full_disk("validate", str(bad), NOAA20)
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert lines[-1] == LINE.rstrip("\n")
    assert "contacts_per_day" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stderr", ["2>&-", "2>/dev/full"], ids=["closed", "full"])
@pytest.mark.parametrize(
    "argv",
    [("validate", "BAD"), ("plan", "BAD", "--cloud", "aws"), ("compare", NOAA20, "--out", "/dev/null/out")],
    ids=["validate", "plan", "compare"],
)
def test_a_user_error_with_stderr_closed_or_full_still_exits_2(tmp_path, stderr: str, argv: tuple[str, ...]) -> None:
    """Started without stderr the error lines went to stdout (print(file=None) writes there);
    on a full one Python ended with "lost sys.stderr" and exit 1, the code of a found problem."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("mission:\n  name: x\n")
    command = [sys.executable, "-m", "groundlink", *(str(bad) if part == "BAD" else part for part in argv)]
    result = subprocess.run(
        ["sh", "-c", f'exec "$@" {stderr}', "sh", *command],
        stdout=subprocess.PIPE,
        text=True,
        cwd=SPECS.parent,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (2, "")


def test_a_check_under_pythonwarnings_error_runs_as_without_it(tmp_path) -> None:
    """PYTHONWARNINGS=error, as CI jobs set it: the provider SDK's deprecation warning for a
    resource type the plan builds was a traceback (plan, check, diff, compare), and the pack's
    pipes, left to the garbage collector, four "Exception ignored ... unclosed file" blocks."""
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    result = subprocess.run(
        [sys.executable, "-m", "groundlink", "check", NOAA20, "--cloud", "aws", "--json", str(tmp_path / "c.json")],
        capture_output=True,
        text=True,
        cwd=SPECS.parent,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize("argv", [("validate", NOAA20), ("validate", "/nonexistent.yaml"), ("--help",)])
def test_a_command_s_warning_settings_end_with_it(argv: tuple[str, ...], capsys) -> None:
    """main() ignores the provider SDKs' deprecation warnings while it runs; an in-process
    caller's filters and showwarning are as they were after it, however it ends."""
    import contextlib
    import warnings

    filters, show = list(warnings.filters), warnings.showwarning
    with contextlib.suppress(SystemExit):  # --help
        cli.main(list(argv))
    capsys.readouterr()
    assert warnings.filters == filters and warnings.showwarning is show
