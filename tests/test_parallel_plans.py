"""Plans in worker processes: forked when there are two cores, serial in-process otherwise.

Apart from tests/test_compare.py, whose compares reuse warm pack processes: a fork while the
packs' threads run could leave the forked worker hung (tests/conftest.py, `warm_policy_packs`).
"""

from __future__ import annotations

import pytest

from groundlink.app import parallel_plans as plan_runs
from groundlink.clouds import CLOUDS

from .conftest import SPECS, cached_plan

NOAA20 = str(SPECS / "noaa20.yaml")


@pytest.mark.parametrize("cores, pooled", [(1, False), (2, True)])
def test_plans_run_in_parallel_processes_when_there_are_two_cores(monkeypatch, cores, pooled):
    used = []

    class Recording(plan_runs.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            used.append(kwargs["max_workers"] if "max_workers" in kwargs else args[0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(plan_runs, "usable_cores", lambda: cores)
    monkeypatch.setattr(plan_runs, "ProcessPoolExecutor", Recording)
    runs = plan_runs.run_plans(NOAA20, CLOUDS)
    assert used == ([2] if pooled else [])
    for cloud in CLOUDS:
        expected = cached_plan("noaa20.yaml", cloud)
        assert [r.urn for r in runs[cloud].plan.resources] == [r.urn for r in expected.resources]
        assert runs[cloud].seconds > 0


def test_serial_plans_skip_the_json_round_trip(monkeypatch):
    """Only a plan crossing a process boundary travels as JSON."""

    def refuse(*args, **kwargs):
        raise AssertionError("serial plans must not be converted to JSON and back")

    monkeypatch.setattr(plan_runs.Plan, "to_json", refuse)
    monkeypatch.setattr(plan_runs.Plan, "from_json", refuse)
    runs = plan_runs.run_plans(NOAA20, ("aws",), workers=1)
    assert runs["aws"].plan.cloud == "aws"
    assert runs["aws"].seconds == runs["aws"].plan.seconds > 0


def test_warm_workers_are_one_pool_per_size_and_stop_at_the_end():
    with plan_runs.keep_workers_warm() as warm:
        pool = warm.get(2)
        assert warm.get(2) is pool
        assert pool.submit(sum, [1, 2]).result() == 3
    with pytest.raises(RuntimeError):
        pool.submit(sum, [1])  # shut down with the session


THREADS_AFTER_THE_SDK = r"""
import sys
from concurrent import futures
from groundlink import cli
from groundlink.app import compare

class Recorded(futures.ThreadPoolExecutor):
    def __init__(self, *args, **kwargs):
        # the first thread compare starts beside the one that plans: the SDK must be whole by now
        raise SystemExit(0 if "pulumi.runtime.proto" in sys.modules else 3)

compare.ThreadPoolExecutor = Recorded
sys.exit(cli.main(["compare", sys.argv[1], "--out", sys.argv[2]]))
"""


def test_compare_imports_the_pulumi_sdk_before_it_starts_a_thread(tmp_path):
    """The policy thread imported pulumi.runtime.proto while the main thread imported the SDK to
    plan (one usable core: the plans run in the caller), and one of them met the SDK's own import
    cycle half done: "cannot import name 'LanguageRuntimeServicer' from partially initialized
    module 'pulumi.runtime.proto'", about one run in four of test_doc_compare_console."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", THREADS_AFTER_THE_SDK, str(SPECS / "noaa20.yaml"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def _killed(spec_path: str, cloud: str) -> None:
    """A plan worker killed as the out-of-memory killer kills: no exception, no exit code."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def test_a_plan_worker_killed_is_one_plan_error_naming_the_cloud_and_the_way_out(monkeypatch):
    """The pool's BrokenProcessPool reached the command line as a traceback and exit 1."""
    from groundlink.errors import PlanError

    monkeypatch.setattr(plan_runs, "usable_cores", lambda: 2)
    monkeypatch.setattr(plan_runs, "_plan_in_process", _killed)
    with pytest.raises(PlanError) as raised:
        plan_runs.run_plans(NOAA20, ("aws",), workers=2)
    assert str(raised.value) == (
        "the process planning aws ended abruptly (killed, perhaps for memory): run the command again, "
        "or with --serial to plan in this process"
    )


def test_a_warm_pool_broken_by_a_killed_worker_is_replaced_for_the_next_run(monkeypatch):
    from groundlink.errors import PlanError

    monkeypatch.setattr(plan_runs, "usable_cores", lambda: 2)
    with plan_runs.keep_workers_warm() as warm:
        monkeypatch.setattr(plan_runs, "_plan_in_process", _killed)
        with pytest.raises(PlanError):
            plan_runs.run_plans(NOAA20, ("aws",), workers=2)
        monkeypatch.undo()
        monkeypatch.setattr(plan_runs, "usable_cores", lambda: 2)
        runs = plan_runs.run_plans(NOAA20, ("aws",), workers=2)
        assert runs["aws"].plan.cloud == "aws" and warm.get(2).submit(sum, [1, 2]).result() == 3


def test_a_warm_worker_killed_while_idle_is_forked_anew_for_the_next_run(monkeypatch):
    """Killed between two runs (its pool broken before anything is submitted), the submit raised
    BrokenProcessPool outside any handler: a traceback."""
    import os
    import signal
    import time

    monkeypatch.setattr(plan_runs, "usable_cores", lambda: 2)
    with plan_runs.keep_workers_warm() as warm:
        pool = warm.get(2)
        pool.submit(sum, [1]).result()
        for process in list((pool._processes or {}).values()):
            os.kill(process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not pool._broken and time.monotonic() < deadline:  # the executor notices in its own thread
            time.sleep(0.05)
        runs = plan_runs.run_plans(NOAA20, ("aws",), workers=2)
        assert runs["aws"].plan.cloud == "aws" and warm.get(2) is not pool
