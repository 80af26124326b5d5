"""Stopping what a command started, whatever else arrives meanwhile: a second Ctrl-C while the
first is handled, or the command killed outright, leaves no plan worker running.

A terminal's Ctrl-C reaches the whole process group, and the workers pass on nothing, but the
signal can reach the command twice (two keypresses, or a group member's late delivery); a
worker left running waits for work for ever and holds the terminal's output pipes open.
"""

from __future__ import annotations

import multiprocessing.process
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from groundlink import interrupt
from groundlink.app import parallel_plans as plan_runs
from groundlink.clouds import CLOUDS

from .conftest import ROOT, SPECS
from .terminal import run_in_its_own_group, sigint_as_a_terminal_leaves_it

CLI = [sys.executable, "-m", "groundlink.cli"]

NOAA20 = str(SPECS / "noaa20.yaml")


@pytest.fixture
def ctrl_c_as_the_command_line_takes_it(monkeypatch):
    """SIGINT handled as `main` hands it to Python; the handler and the count put back after."""
    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(interrupt, "_count", interrupt.count())
    monkeypatch.setattr(interrupt, "_count_at_start", interrupt._count_at_start)
    signal.signal(signal.SIGINT, interrupt.raise_interrupt)
    yield
    signal.signal(signal.SIGINT, before)


def test_only_the_first_ctrl_c_raises_and_every_one_is_counted(ctrl_c_as_the_command_line_takes_it):
    interrupt.forget()
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    finished = []
    signal.raise_signal(signal.SIGINT)  # during the first one's clean-up
    finished.append("the clean-up")
    assert finished == ["the clean-up"]
    assert interrupt.count() - interrupt._count_at_start == 2
    assert interrupt.received()
    assert signal.getsignal(signal.SIGINT) is interrupt.note_interrupt


def test_what_a_block_asks_is_called_at_the_first_stop_signal_and_not_after_the_block(
    ctrl_c_as_the_command_line_takes_it,
):
    """`asking` is how a query DuckDB runs in threads of its own is ended at a Ctrl-C
    (`DuckDBPyConnection.interrupt`): called before the signal's exception is raised, once, and
    only while the block runs."""
    interrupt.forget()
    asked = []
    with pytest.raises(KeyboardInterrupt), interrupt.asking(lambda: asked.append("stop")):
        signal.raise_signal(signal.SIGINT)
    assert asked == ["stop"]
    assert interrupt._asked == []
    signal.signal(signal.SIGINT, interrupt.raise_interrupt)
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)
    assert asked == ["stop"]


def test_a_ctrl_c_ends_a_query_duckdb_is_running_not_only_the_wait_for_it(products):
    """DuckDB runs a query to its end before it looks at Python's signals: a Ctrl-C 3 s into a
    48 s join ended `groundlink query` at 48 s, and one into an hours-long query never. The
    query here runs for hours; the Ctrl-C comes once it runs (the command has used a second of
    CPU more than a whole `SELECT 1` takes)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([*CLI, "query", str(products), "SELECT 1"], cwd=ROOT, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    whole_command = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    forever = "SELECT sum(i) FROM range(10000000000000) t(i)"
    with sigint_as_a_terminal_leaves_it():
        process = subprocess.Popen(
            [*CLI, "query", str(products), forever],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    try:
        _until_cpu_used(process.pid, whole_command + 1.0)
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert (process.returncode, err) == (130, "groundlink: interrupted\n")


def _until_cpu_used(pid: int, seconds: float, within: float = 120.0) -> None:
    started = time.monotonic()
    while time.monotonic() - started < within:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") > seconds:
            return
        time.sleep(0.05)
    raise AssertionError(f"the query used no {seconds:.1f} s of CPU within {within:.0f} s")


_INSISTED = textwrap.dedent(
    """
    import signal, time
    from groundlink import interrupt
    interrupt.install()
    interrupt.hand_to_python()
    try:
        signal.raise_signal(signal.SIGTERM)  # the first: raised, its clean-up starts
    except interrupt.Terminated:
        signal.raise_signal(signal.SIGINT)  # the second: counted
        print("cleaning up", flush=True)
        signal.raise_signal(signal.SIGINT)  # the third: the process ends at once
        time.sleep(30)
        print("the clean-up ran to its end", flush=True)
    """
)


def test_a_third_stop_signal_ends_a_clean_up_that_does_not_end():
    run = run_in_its_own_group([sys.executable, "-c", _INSISTED], cwd=ROOT, timeout=20)
    assert (run.returncode, run.out, run.err) == (143, "cleaning up\n", "groundlink: stopped by SIGTERM\n")


def test_a_second_ctrl_c_while_the_workers_are_stopped_still_stops_every_one(
    monkeypatch, ctrl_c_as_the_command_line_takes_it
):
    stopped: list[int] = []
    terminate = multiprocessing.process.BaseProcess.terminate

    def terminate_then_ctrl_c_again(process):
        terminate(process)
        stopped.append(process.pid)
        if len(stopped) == 1:
            signal.raise_signal(signal.SIGINT)  # the group's late Ctrl-C, in the middle of the clean-up

    def ctrl_c(cloud):
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "terminate", terminate_then_ctrl_c_again)
    with pytest.raises(KeyboardInterrupt):
        plan_runs.run_plans(NOAA20, CLOUDS, workers=2, on_start=ctrl_c)
    assert len(set(stopped)) == 2


# The command is killed outright (SIGKILL, an OOM kill) the moment its workers exist: nothing of
# its own clean-up runs, and the workers must still end with it.
_KILLED_ONCE_WORKERS_EXIST = textwrap.dedent(
    """
    import multiprocessing, os, signal, sys
    from groundlink.app import parallel_plans

    def started(cloud):
        print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    parallel_plans.run_plans(sys.argv[1], ("aws", "azure"), workers=2, on_start=started)
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_plan_workers_end_with_a_command_that_is_killed_outright(tmp_path):
    # the workers hold the same output pipes: the output ends once every worker has ended
    run = run_in_its_own_group([sys.executable, "-c", _KILLED_ONCE_WORKERS_EXIST, NOAA20], cwd=ROOT, timeout=60)
    assert run.returncode == -signal.SIGKILL, run.err
    assert len(run.out.split()) == 2  # both workers were forked
    assert run.survivors == ""  # read before the test's own clean-up kills the group


_KILLED_WHILE_ITS_PACK_SERVES = textwrap.dedent(
    """
    import os, signal
    from pathlib import Path
    from groundlink.check.host import PackProcess

    pack = PackProcess(Path("policies").resolve(), "groundlink", "noaa20-aws")
    pack.connect()  # started and answering
    print(pack.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_a_policy_pack_ends_with_a_command_that_is_killed_outright():
    """A pack serves its Analyzer until it is stopped: one whose caller was killed served for ever."""
    run = run_in_its_own_group([sys.executable, "-c", _KILLED_WHILE_ITS_PACK_SERVES], cwd=ROOT, timeout=120)
    assert run.returncode == -signal.SIGKILL, run.err
    assert len(run.out.split()) == 1  # the pack was up and answering
    assert run.survivors == ""  # read before the test's own clean-up kills the group


def test_a_ctrl_c_while_the_replaced_report_is_removed_leaves_none_of_it(
    ctrl_c_as_the_command_line_takes_it, tmp_path, monkeypatch
):
    """The new report was in place and the old one half deleted, set aside beside it, when a
    Ctrl-C came during its removal; the next run called it a killed compare's."""
    import shutil

    from groundlink.app import compare

    interrupt.forget()
    out, new = tmp_path / "out", tmp_path / ".out.tmp-1"
    for report, text in ((out, "old"), (new, "new")):
        (report / "charts").mkdir(parents=True)
        for name in ("report.md", "charts/a.svg", "charts/b.svg"):
            (report / name).write_text(text)
    removing = shutil.rmtree

    def stopped_midway(path, *args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # the user's Ctrl-C, as the first entry goes
        return removing(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", stopped_midway)
    with pytest.raises(KeyboardInterrupt):
        compare._replace_dir(new, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (out / "report.md").read_text() == "new"
