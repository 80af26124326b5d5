"""Both clouds' offline plans, in parallel processes when the machine has the cores.

A plan is independent per cloud and CPU-bound (the Pulumi SDK under mocks), so
two processes halve the wall time on two cores. Plans cross the process
boundary as their documented JSON form (`Plan.to_json` / `Plan.from_json`).
Workers are forked where the platform allows it, before any thread of ours
starts: a fork inherits what the caller already imported, so a warm caller
(a benchmark, a test session) gets warm workers. Each worker also preflights
its plan: it already holds its cloud's provider SDK, so no process imports both.
`meanwhile` runs in a thread of the caller while the workers plan, for work that
needs no plan.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .. import interrupt
from ..engine.plan import Plan
from ..errors import PlanError


@dataclass
class PlanRun:
    plan: Plan
    seconds: float  # the plan's own wall time, inside the process that ran it
    # preflight finding lines, when the worker that planned also checked (it has the provider
    # SDK imported already; deriving the provider schemas anew elsewhere costs about a CPU second)
    preflight: list[str] | None = None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _plan_in_process(spec_path: str, cloud: str) -> tuple[dict[str, Any], float, list[str]]:
    """Worker entry point: the plan and its preflight findings, as plain data only, so nothing
    unpicklable crosses back."""
    from ..engine import PlanError, plan
    from ..preflight import preflight_planned
    from ..spec import SpecError

    try:
        result = plan(spec_path, cloud)
    except SpecError as error:  # its constructor does not survive pickling
        raise PlanError("; ".join(error.lines)) from None
    return result.to_json(), result.seconds, [finding.line() for finding in preflight_planned(result)]


def _run(doc: dict[str, Any], seconds: float, preflight: list[str]) -> PlanRun:
    result = Plan.from_json(doc)
    result.seconds = seconds  # not part of the JSON form
    return PlanRun(result, seconds, preflight)


def _plan_here(spec_path: str, cloud: str) -> PlanRun:
    """In this process the plan needs no JSON round trip."""
    from ..engine import plan

    result = plan(spec_path, cloud)
    return PlanRun(result, result.seconds)


def _import_before_fork() -> None:
    """The offline engine, imported once here, and with it the Pulumi SDK the caller imported
    before its threads started (compare does): forked workers inherit them instead of each
    importing them again (about 0.3 CPU seconds per worker). Each worker still imports only its
    own cloud's provider SDK."""
    from ..engine import runner  # noqa: F401  (imported for the workers to inherit)


def _quietly(work: Callable[[], None]) -> None:
    """`meanwhile` work is an optimization: if it fails, the caller does it again itself and
    meets the error there, in its own thread."""
    with contextlib.suppress(Exception):
        work()


def _worker_start(parent: int | None) -> None:
    """Workers leave Ctrl-C to the caller, which stops them: no traceback from each worker.
    They were forked with Ctrl-C held back (`interrupt.held`, in `run_plans`); ignoring it
    discards one that arrived meanwhile, and only then is it let through again.

    `parent` is the caller's pid when its main thread forked the worker: the worker then
    ends with that process however it ends (`_die_with`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in interrupt.TERMINATIONS:  # the caller's terminate() ends a worker outright, as by default
        if signal.getsignal(number) is not signal.SIG_IGN:  # an ignore the caller inherited (nohup) is kept
            signal.signal(number, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(interrupt.HELD))
    if parent is not None:
        _die_with(parent)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with(parent: int) -> None:
    """The kernel kills this worker when the process that forked it ends (Linux's parent-death
    signal). A worker waits for work on a queue it holds both ends of, so it never sees its
    caller leave: a caller killed outright, or interrupted again while it stopped its workers,
    left it waiting for ever, holding the terminal's (or a test's) output pipes open. Tied to
    the forking thread, so it is asked for only when that is the caller's main thread."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.prctl.restype = ctypes.c_int
    if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
        return  # not granted: the caller's own clean-up still stops the worker
    if os.getppid() != parent:  # the caller left before the request took effect
        os._exit(1)


def _forking_parent() -> int | None:
    """This process's pid when workers forked now would be tied to it for their lifetime."""
    return os.getpid() if threading.current_thread() is threading.main_thread() else None


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_worker_start, initargs=(_forking_parent(),)
    )


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_plans(
    spec_path: str,
    clouds: tuple[str, ...],
    workers: int | None = None,
    on_start: Callable[[str], None] = lambda cloud: None,
    on_done: Callable[[str, float], None] = lambda cloud, seconds: None,
    on_plan: Callable[[str, PlanRun], None] = lambda cloud, run: None,
    meanwhile: Callable[[], None] = lambda: None,
) -> dict[str, PlanRun]:
    """Plan every cloud; `workers` defaults to one process per cloud, capped by the usable cores."""
    workers = min(len(clouds), usable_cores()) if workers is None else workers
    runs: dict[str, PlanRun] = {}
    if workers < 2:
        _quietly(meanwhile)
        for cloud in clouds:
            on_start(cloud)
            runs[cloud] = _plan_here(spec_path, cloud)
            on_plan(cloud, runs[cloud])
            on_done(cloud, runs[cloud].seconds)
        return runs
    warm = _warm_pool is not None
    _import_before_fork()
    pool = _warm_pool.get(workers) if _warm_pool is not None else _new_pool(workers)
    try:
        # The first submit forks the workers, with Ctrl-C held back until they are forked. A
        # Ctrl-C (sent to the whole process group, as a terminal sends it) that came between a
        # fork and the executor's record of the new worker raised in the caller before it knew
        # that worker, so the worker was never stopped and waited for work for ever; and in the
        # worker, before its initializer ran, it raised inside multiprocessing's start-up and
        # printed a traceback. Held back, it reaches the caller once every worker is recorded
        # (and stopped on the way out), and a worker inherits it held until `_worker_start`
        # discards it.
        with interrupt.held():
            try:
                futures = {pool.submit(_plan_in_process, spec_path, cloud): cloud for cloud in clouds}
            except BrokenProcessPool:
                if _warm_pool is None:
                    raise
                # a warm worker killed while idle, between two runs: forked anew, once
                _warm_pool.discard(workers)
                pool = _warm_pool.get(workers)
                futures = {pool.submit(_plan_in_process, spec_path, cloud): cloud for cloud in clouds}
        for cloud in clouds:
            on_start(cloud)
        side = threading.Thread(target=_quietly, args=(meanwhile,), name="groundlink-meanwhile", daemon=True)
        side.start()
        for future in as_completed(futures):
            cloud = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:
                if _warm_pool is not None:  # a broken pool takes no more work: the next run forks anew
                    _warm_pool.discard(workers)
                # a worker killed (the kernel's out-of-memory killer, a `kill -9`): the pool's
                # own words were a traceback, and exit 1 reads as a found problem
                raise PlanError(
                    f"the process planning {cloud} ended abruptly (killed, perhaps for memory): "
                    "run the command again, or with --serial to plan in this process"
                ) from None
            runs[cloud] = _run(*result)
            on_plan(cloud, runs[cloud])
            on_done(cloud, runs[cloud].seconds)
        side.join()
    except BaseException:  # Ctrl-C or a failed plan: no worker of this run outlives the command
        if not warm:
            for process in list((pool._processes or {}).values()):  # the executor offers no public handle
                process.terminate()
        raise
    finally:
        if not warm:  # the workers' interpreter teardown overlaps with the caller's next steps
            pool.shutdown(wait=False, cancel_futures=True)
    return {cloud: runs[cloud] for cloud in clouds}


class WarmPool:
    """Plan worker processes kept between runs (forked once, already warm): a caller that plans
    again and again skips the fork and the workers' first-plan imports."""

    def __init__(self) -> None:
        self._pools: dict[int, ProcessPoolExecutor] = {}

    def get(self, workers: int) -> ProcessPoolExecutor:
        if workers not in self._pools:
            self._pools[workers] = _new_pool(workers)
        return self._pools[workers]

    def discard(self, workers: int) -> None:
        pool = self._pools.pop(workers, None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True, cancel_futures=True)
        self._pools.clear()


_warm_pool: WarmPool | None = None


@contextlib.contextmanager
def keep_workers_warm() -> Iterator[WarmPool]:
    """Within this block, plans reuse the same worker processes; they stop when it ends."""
    global _warm_pool
    previous, _warm_pool = _warm_pool, WarmPool()
    try:
        yield _warm_pool
    finally:
        _warm_pool.close()
        _warm_pool = previous
