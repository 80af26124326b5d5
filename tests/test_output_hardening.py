"""Output and environment faults a user met: a non-UTF-8 locale, Ctrl-C during compare."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SPECS
from .terminal import default_terminations, group_members, run_in_its_own_group, sigint_as_a_terminal_leaves_it

CLI = [sys.executable, "-m", "groundlink.cli"]


def test_output_is_utf8_whatever_the_locale(tmp_path):
    spec = tmp_path / "été.yaml"
    shutil.copy(SPECS / "noaa20.yaml", spec)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run([*CLI, "validate", str(spec)], capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{spec}: ok (noaa20".encode() in result.stdout  # UTF-8 bytes, not an encoding error


def _wait_for_helpers(process: subprocess.Popen[str], within: float = 60.0) -> None:
    """Until the command has started at least two processes of its own in its group (a fixed
    sleep either missed the work on a fast run or waited for nothing)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert process.poll() is None, "compare ended before it started any process"
        members = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout.split()
        if len([pid for pid in members if int(pid) != process.pid]) >= 2:
            return
        time.sleep(0.02)
    raise AssertionError(f"compare started no plan worker or pack within {within:.0f} s")


def _compare_in_its_own_group(out: Path) -> subprocess.Popen[str]:
    """compare of the reference spec, in its own process group, as a terminal's signals reach it."""
    return subprocess.Popen(
        [*CLI, "compare", str(SPECS / "noaa20.yaml"), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.mark.parametrize(
    ("name", "to_group", "code", "line"),
    [
        ("SIGINT", True, 130, "groundlink: interrupted"),  # Ctrl-C: the terminal signals the whole group
        ("SIGTERM", False, 143, "groundlink: stopped by SIGTERM"),  # kill, timeout, systemd: the process
        ("SIGHUP", True, 129, "groundlink: stopped by SIGHUP"),  # the terminal closed
    ],
)
def test_a_signal_during_compare_exits_with_one_line_and_leaves_no_process(tmp_path, name, to_group, code, line):
    with sigint_as_a_terminal_leaves_it(), default_terminations():
        process = _compare_in_its_own_group(tmp_path / "out")
    _wait_for_helpers(process)  # mid-compare: its plan workers (or policy pack) are running
    (os.killpg if to_group else os.kill)(process.pid, getattr(signal, name))
    _, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err.strip().splitlines() == [line]
    survivors = group_members(process.pid)
    assert survivors == ""
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no half-written report left beside it


# Ctrl-C at the one moment a race could hide: each plan worker, the instant it is forked, sends
# Ctrl-C to the whole group, as a terminal would; before that point is held back, the caller
# stopped before it had recorded the worker (which then waited for work for ever, holding the
# caller's pipes), and the worker printed a traceback from multiprocessing's start-up.
_CTRL_C_AT_EVERY_FORK = """
import os, signal, sys
os.register_at_fork(after_in_child=lambda: os.killpg(0, signal.SIGINT))
from groundlink.cli import entry
sys.argv[0] = "groundlink"
entry()
"""


def test_ctrl_c_the_instant_a_plan_worker_is_forked_exits_130_with_one_line_and_leaves_no_process(tmp_path):
    out = str(tmp_path / "out")
    run = run_in_its_own_group(
        [sys.executable, "-c", _CTRL_C_AT_EVERY_FORK, "compare", str(SPECS / "noaa20.yaml"), "--out", out],
        cwd=ROOT,
        timeout=90,
    )
    assert run.returncode == 130
    assert run.err.strip().splitlines() == ["groundlink: interrupted"]
    assert run.survivors == ""
    assert not (tmp_path / "out").exists()


# A Ctrl-C sent to the whole group can reach groundlink late, from a member that was slow to
# run (the fork above, on a busy machine), after the command has written its line and while it
# flushes its output on the way out: the line was written a second time.
_LATE_CTRL_C_AFTER_THE_LINE = """
import os, signal
from groundlink import cli, interrupt
installed = []
install = interrupt.install
def install_then_ctrl_c():
    install()
    installed.append(True)
    if len(installed) == 2:  # the command has returned
        os.kill(os.getpid(), signal.SIGINT)
interrupt.install = install_then_ctrl_c
cli.main = lambda argv=None: cli._stopped(signal.SIGINT)
cli.entry()
"""


def test_a_ctrl_c_after_the_interrupted_line_is_written_writes_nothing_more():
    run = subprocess.run(
        [sys.executable, "-c", _LATE_CTRL_C_AFTER_THE_LINE], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 130
    assert run.stderr.splitlines() == ["groundlink: interrupted"]


def test_plan_json_into_a_directory_or_under_a_file_is_one_line_before_planning(tmp_path, capsys, monkeypatch):
    from groundlink import cli, engine

    def refuse(*args, **kwargs):
        raise AssertionError("planned despite a bad --json")

    monkeypatch.setattr(engine, "plan", refuse)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for target in (tmp_path, blocker / "plan.json"):
        assert cli.main(["plan", str(SPECS / "noaa20.yaml"), "--cloud", "aws", "--json", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"groundlink: --json {target}: ") and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_plan_is_written_atomically_with_nothing_left_beside_it(tmp_path):
    from .conftest import cached_plan

    target = tmp_path / "plan.json"
    cached_plan("noaa20.yaml", "aws").write(target)
    cached_plan("noaa20.yaml", "aws").write(target)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_compare_started_under_nohup_outlives_the_terminal_that_started_it(tmp_path):
    """Started with SIGHUP ignored (`nohup groundlink compare ...`), compare and the plan workers
    it forks keep ignoring it: the terminal closing ends none of them."""
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # inherited by the command, as nohup does
    try:
        with sigint_as_a_terminal_leaves_it():
            process = _compare_in_its_own_group(tmp_path / "out")
    finally:
        signal.signal(signal.SIGHUP, previous)
    _wait_for_helpers(process)
    os.killpg(process.pid, signal.SIGHUP)
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, "")
    assert (tmp_path / "out" / "compare.json").exists()


def test_a_compare_whose_terminal_closed_ends_with_the_hangup_s_status_and_leaves_nothing(tmp_path):
    """The terminal closes: every write to it fails from then on, and SIGHUP reaches the group.
    The exit status is the hangup's (129), not a failed write's, and nothing is left behind."""
    controller, terminal = os.openpty()
    try:
        with sigint_as_a_terminal_leaves_it(), default_terminations():
            process = subprocess.Popen(
                [*CLI, "compare", str(SPECS / "noaa20.yaml"), "--out", str(tmp_path / "out")],
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=terminal,
                stderr=terminal,
                start_new_session=True,
            )
    finally:
        os.close(terminal)
    _wait_for_helpers(process)
    os.close(controller)  # the terminal goes away
    os.killpg(process.pid, signal.SIGHUP)
    assert process.wait(timeout=60) == 129
    assert group_members(process.pid) == ""
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_pair_of_plans_is_swapped_in_while_no_other_run_swaps(tmp_path):
    """`plan --cloud both` renamed its pair one file at a time: a second run's pair landing between
    the two left one plan of each spec, both runs exiting 0. The pair goes in while the directory
    is locked, and a run holding it keeps the other's pair out until it is done."""
    import threading

    from groundlink.outputs import swapping_in, write_texts_together

    aws, azure = tmp_path / "plan-aws.json", tmp_path / "plan-azure.json"
    write_texts_together([(aws, "first aws"), (azure, "first azure")], "--json")
    done = threading.Event()
    with swapping_in(tmp_path):
        writer = threading.Thread(
            target=lambda: (write_texts_together([(aws, "second aws"), (azure, "second azure")], "--json"), done.set())
        )
        writer.start()
        assert not done.wait(0.5)  # waiting for the swap under way to end
        assert (aws.read_text(), azure.read_text()) == ("first aws", "first azure")
    writer.join(10)
    assert done.is_set() and (aws.read_text(), azure.read_text()) == ("second aws", "second azure")


@pytest.mark.parametrize(
    ("raised", "code", "said"),
    [
        (KeyboardInterrupt(), 130, "groundlink: interrupted\n"),
        ("term", 143, "groundlink: stopped by SIGTERM\n"),
        (BrokenPipeError(), 141, ""),
    ],
)
def test_the_tools_run_with_python_m_end_as_every_command_ends(raised, code, said, capsys, monkeypatch):
    """`python -m groundlink.flexpackage` (make flex-package) ended Ctrl-C in a traceback, SIGTERM
    without a word, a closed pipe in a BrokenPipeError."""
    from groundlink import interrupt, tool

    monkeypatch.setattr(tool.os, "dup2", lambda *args: None)  # the test's own stdout stays open

    def run() -> int:
        raise interrupt.Terminated(signal.SIGTERM) if raised == "term" else raised

    with pytest.raises(SystemExit) as ended:
        tool.run_tool(run)
    assert ended.value.code == code and capsys.readouterr().err == said
    assert "run_tool(main)" in (ROOT / "groundlink" / "flexpackage.py").read_text()
    assert "run_tool(main)" in (ROOT / "groundlink" / "functiondeps.py").read_text()
