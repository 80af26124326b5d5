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
