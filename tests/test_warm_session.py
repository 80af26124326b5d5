"""A warm session (what a benchmark or a long-lived caller opens) reuses the policy pack
processes and plan workers across runs, and stops every one of them when it ends."""

from __future__ import annotations

import subprocess

import pytest

from groundlink.app.parallel_plans import keep_workers_warm
from groundlink.check import check_plans
from groundlink.check.host import keep_packs_warm

from .conftest import cached_plan


@pytest.fixture
def started(monkeypatch):
    processes: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        processes.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    return processes


def test_checks_in_a_warm_session_reuse_the_pack_and_it_stops_at_the_end(started):
    plan = cached_plan("noaa20.yaml", "azure")
    with keep_packs_warm():
        first = check_plans([plan])
        second = check_plans([plan])
        assert len(started) == 1, "the second check should reuse the running pack process"
        assert started[0].poll() is None
    assert first.passed and second.passed
    assert [len(c.violations) for c in first.clouds] == [len(c.violations) for c in second.clouds]
    assert started[0].poll() is not None, "the pack process outlived the warm session"


def test_checks_outside_a_session_start_and_stop_their_own_pack(started):
    check_plans([cached_plan("noaa20.yaml", "azure")])
    assert len(started) == 1 and started[0].poll() is not None


def test_warm_workers_are_one_pool_per_size_and_stop_at_the_end():
    with keep_workers_warm() as warm:
        pool = warm.get(2)
        assert warm.get(2) is pool
        assert pool.submit(sum, [1, 2]).result() == 3
    with pytest.raises(RuntimeError):
        pool.submit(sum, [1])  # shut down with the session
