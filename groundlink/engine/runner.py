"""Run the groundlink program (`groundlink.program.main`) under mocks and capture every registration."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import gc
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import interrupt
from ..blueprint import Realization
from ..clock import pinned_time
from ..clouds import CLOUDS
from ..errors import PlanError
from ..spec import MissionSpec, load_spec, spec_file_path
from .plan import Plan, PlannedResource

if TYPE_CHECKING:
    from pulumi.runtime.mocks import Mocks

PROJECT = "groundlink"


# The key the SDK marks secret/asset envelopes with (pulumi.runtime.rpc._special_sig_key),
# spelled out so that this hot recursive path does no import per value.
_SIG_KEY = "4dabf18193072939515e22adb298388d"


def _plain(value: Any) -> Any:
    """Inputs as JSON-ready data: resource references become URNs, unknowns None."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        if _SIG_KEY in value:  # a secret or an asset envelope
            return _plain(value.get("value"))
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if type(value).__name__ == "Unknown":
        return None
    urn = getattr(value, "urn", None)
    if urn is not None:
        future = getattr(urn, "future", None)
        return f"<resource {getattr(value, 'pulumi_resource_name', '?')}>" if future else str(urn)
    if type(value).__module__ == "pulumi.asset":
        return _asset(value)
    return str(value)


def _asset(value: Any) -> Any:
    """An asset or archive by content, not by object or local path: the same code plans the same
    on every machine, and a code change shows as an update of the resource that carries it."""
    import pulumi

    if isinstance(value, pulumi.AssetArchive):
        return {name: _asset(member) for name, member in sorted(value.assets.items())}
    if isinstance(value, pulumi.StringAsset):
        return "sha256:" + hashlib.sha256(value.text.encode()).hexdigest()
    if isinstance(value, (pulumi.FileAsset, pulumi.FileArchive)) and Path(value.path).is_file():
        where = Path(value.path).resolve()
        found = where.stat()
        return _file_digest(str(where), (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
    return type(value).__name__  # content unknown here (not built, or relative to another directory): UNREAD_ASSETS


@functools.lru_cache(maxsize=64)
def _file_digest(path: str, version: tuple[int, int, int, int]) -> str:
    """A file asset's digest, once per version of the file in a process: the Lambda layer is
    some 65 MB, which every plan of a processing stack hashed again (0.04-0.08 s a plan, and the
    whole file in memory at once). `version` is the file's size, modification and change times
    and inode: a rewritten file changes its change time even when its size and modification time
    are put back (`cp -p`), and a replaced one its inode. Read in blocks, not whole."""
    with open(path, "rb") as handle:
        return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()


def _recording_monitor(mocks: Mocks) -> Any:
    """A monitor recording every registration in `records` (requests and responses are protobuf
    messages the SDK generates at run time, hence Any)."""
    from pulumi.runtime import rpc
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.sync_await import _ensure_event_loop

    # The SDK leaves these two unannotated; typed views keep strict checking on the rest.
    ensure_event_loop: Callable[[], object] = _ensure_event_loop

    class RecordingMonitor(MockMonitor):
        """A MockMonitor that keeps what `MockResourceArgs` leaves out (parent, options, deps)."""

        def __init__(self, mocks: Mocks) -> None:
            super().__init__(mocks)
            self.records: list[dict[str, Any]] = []
            self.seen: set[str] = set()
            self.duplicates: list[str] = []  # the real engine refuses these ("Duplicate resource URN")

        def RegisterResource(self, request: Any) -> Any:
            register: Callable[[Any], Any] = super().RegisterResource
            response = register(request)
            if request.type == "pulumi:pulumi:Stack":
                return response
            if response.urn in self.seen:
                self.duplicates.append(response.urn)
            self.seen.add(response.urn)
            ensure_event_loop()
            inputs = rpc.deserialize_properties(request.object)
            outputs = self.resources[response.urn].state if response.urn in self.resources else {}
            self.records.append(
                {
                    "urn": response.urn,
                    "type": request.type,
                    "name": request.name,
                    "parent": request.parent or None,
                    "custom": bool(request.custom),
                    "inputs": _plain(inputs),
                    "outputs": _plain(outputs),
                    "protect": bool(request.protect),
                    "retainOnDelete": bool(request.retainOnDelete),
                    "deleteBeforeReplace": bool(request.deleteBeforeReplace),
                    "ignoreChanges": sorted(request.ignoreChanges),
                    "replaceOnChanges": sorted(request.replaceOnChanges),
                    "dependencies": sorted(set(request.dependencies)),
                    "propertyDependencies": {
                        key: sorted(set(deps.urns))
                        for key, deps in sorted(request.propertyDependencies.items())
                        if deps.urns
                    },
                    "provider": request.provider or None,
                    "id": response.id or None,
                }
            )
            return response

    make: Callable[[Mocks], Any] = RecordingMonitor
    return make(mocks)


def _reset_runtime() -> None:
    """The SDK keeps global state; each plan starts from a clean slate. New objects, not the
    caller's cleared: the plan runs in a copy of the caller's context (`run_program`), whose
    variables still name the caller's RPC manager and output set."""
    from pulumi.runtime import settings
    from pulumi.runtime.rpc_manager import RPCManager

    settings.SETTINGS.rpc_manager = RPCManager()
    settings.SETTINGS.outputs = set()
    settings.set_root_resource(None)  # type: ignore[arg-type]  # the SDK types it as a resource but resets with None


def stack_config(spec_path: str | os.PathLike[str], cloud: str, spec: MissionSpec) -> dict[str, str]:
    """The stack config the program reads (stacks/Pulumi.<mission>-<cloud>.yaml shape); the
    policy pack is configured with the same map, so it sees the stack the plan ran."""
    return {"groundlink:spec": str(Path(spec_path).resolve()), "groundlink:cloud": cloud, **spec.provider_config(cloud)}


async def _resolve(value: Any) -> Any:
    import pulumi

    if isinstance(value, pulumi.Output):
        return _plain(await value.future(with_unknowns=True))
    if isinstance(value, dict):
        return {k: await _resolve(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [await _resolve(v) for v in value]
    return _plain(value)


def _tree_order(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Registration order is async and varies; depth-first by name is stable, parents first."""
    by_urn = {r["urn"]: r for r in records}

    def path(record: dict[str, Any]) -> tuple[str, ...]:
        parent = by_urn.get(record["parent"] or "")
        return (*(path(parent) if parent else ()), record["name"], record["type"])

    return sorted(records, key=path)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a program runs, back as it was after.

    A program run allocates tens of thousands of short-lived futures, tasks and outputs that
    point at each other; with the collector on, they outlive the young generations and set
    off full collections over the whole heap (the provider SDKs hold hundreds of thousands of
    objects), which made up about 40% of a plan's CPU time (2026-12-02, 16 plans of the
    example specs: 14.3 s with the collector on, 8.2 s paused). The run's garbage is freed
    at the first collection after it, in one pass over the young generation.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _no_source_positions() -> Iterator[None]:
    """Registrations carry no stack trace while a program runs offline, as it was before.

    The SDK walks the Python stack at every registration (`traceback.extract_stack`, a source
    URI per frame) so that the Pulumi CLI can point its diagnostics at the line that created
    the resource. No CLI reads them here: the recording monitor keeps what a plan holds and a
    plan holds no source position. The walk was about a seventh of a plan's CPU time
    (2026-12-02, the noaa20 and partner example plans on both clouds, alternated in one
    process: 2.30 s with it, 1.95 s without).
    """
    from pulumi.runtime import resource
    from pulumi.runtime.proto import source_pb2

    walk: Callable[[], Any] = resource._get_stack_trace
    resource._get_stack_trace = source_pb2.StackTrace  # an empty trace, as the SDK sends without user frames
    try:
        yield
    finally:
        resource._get_stack_trace = walk


# The packages whose SDKs declare a type's earlier names as aliases of every resource of it.
_PROVIDER_PACKAGES = frozenset({"aws", "aws-native", "azure-native"})


def _provider_type_alias(alias: Any, alias_class: type) -> bool:
    """An alias naming only an earlier type of a provider package (every other field left as
    `...`, "the same as the resource's"): what a provider SDK adds by itself."""
    type_ = getattr(alias, "type_", None) if isinstance(alias, alias_class) else None
    return (
        isinstance(type_, str)
        and type_.split(":", 1)[0] in _PROVIDER_PACKAGES
        and all(getattr(alias, field) is ... for field in ("name", "parent", "stack", "project"))
    )


@contextmanager
def _no_provider_type_aliases() -> Iterator[None]:
    """The provider SDKs' own type aliases are left out while a program runs offline.

    pulumi-azure-native merges into the options of every resource an alias per earlier API
    version of its type (about 30 for a storage account), pulumi-aws a few for renamed types.
    The real engine reads them to carry state over from those types; offline, the SDK turned
    each into a chain of outputs (a URN per alias, at construction and again at registration)
    that nothing read: the mock monitor ignores aliases and no plan holds them. They were about
    two thirds of an Azure plan's CPU time (2026-12-02, noaa20 on Azure, 4 plans alternated
    twice: 0.79-1.05 s each with them, 0.25-0.56 s without; AWS unchanged). Aliases a program
    declares itself (a renamed component, any field besides the type) are kept.
    """
    import pulumi

    merge: Callable[..., Any] = pulumi.ResourceOptions.merge

    def merge_without_type_aliases(opts1: Any, opts2: Any) -> Any:
        merged = merge(opts1, opts2)
        if merged.aliases:
            merged.aliases = [a for a in merged.aliases if not _provider_type_alias(a, pulumi.Alias)] or None
        return merged

    pulumi.ResourceOptions.merge = merge_without_type_aliases  # type: ignore[method-assign]  # the original comes back in the finally below
    try:
        yield
    finally:
        pulumi.ResourceOptions.merge = merge  # type: ignore[method-assign]  # the SDK's own, as before


class _InPlaceMonitorCalls(concurrent.futures.ThreadPoolExecutor):
    """The plan loop's default executor: what the SDK hands it runs at once, in this thread.

    The SDK sends every monitor call (each registration, invoke and output registration) to
    the loop's thread pool, so that a gRPC round trip to the engine does not block the loop.
    Offline the monitor is the mock, a plain function with nothing to wait for, and the
    hand-off (a thread switch each way, the worker thread's own event loop, the GIL passed
    back and forth) was about a quarter of a plan's CPU time (2026-12-03, the noaa20 and
    constellation example plans on both clouds, alternated three times in one process:
    0.11-0.39 s a plan in place against 0.15-0.50 s through the pool; the plans alike).

    The call runs as it did on a pool thread: on an event loop of its own that is not
    running (the mock monitor finishes its own awaits with `run_until_complete`), with the
    plan's loop set back after it. On the plan's loop itself it would pump that loop from
    inside one of its callbacks, and each registration would nest the next (a RecursionError
    in a plan of a hundred resources).
    """

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self._own_loop: asyncio.AbstractEventLoop | None = None

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()
        if self._own_loop is None:
            self._own_loop = asyncio.new_event_loop()
        plan_loop = asyncio._get_running_loop()
        set_loop = _current_event_loop()
        asyncio._set_running_loop(None)
        asyncio.set_event_loop(self._own_loop)
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:  # the SDK reads a failed call from the future, as from a pool thread
            done.set_exception(exc)
        finally:
            asyncio.set_event_loop(set_loop)
            asyncio._set_running_loop(plan_loop)
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._own_loop is not None:
            self._own_loop.close()
            self._own_loop = None
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


INTERRUPT_CHECK_SECONDS = 0.05


def _stop_when_interrupted(loop: asyncio.AbstractEventLoop, before: int) -> Callable[[], None]:
    """Stop `loop` once a Ctrl-C reaches the process (the interrupt count moves from `before`). The SDK's `run_pulumi_func` catches every
    exception of the program, KeyboardInterrupt included, and waits for the registrations under
    way before it raises it again; a Ctrl-C that broke one of them off left that wait without
    end (a plan hung on Ctrl-C in about one run in thirty, 2026-12-03). Checked every 50 ms on
    the loop itself, so no callback is ever broken off by it; `run_program` turns the stopped
    loop into KeyboardInterrupt. Returns what stops the checks."""

    def check() -> None:
        if interrupt.count() != before:
            loop.stop()
        else:
            watching[0] = loop.call_later(INTERRUPT_CHECK_SECONDS, check)

    watching = [loop.call_soon(check)]
    return lambda: watching[0].cancel()


def _silent_once_interrupted(before: int) -> Callable[[asyncio.AbstractEventLoop, dict[str, Any]], None]:
    """The plan loop's exception handler: what asyncio reports of a plan a stop signal broke off
    is the interruption's doing, not printed under its one line. A Ctrl-C that landed in the
    unwinding itself (`_cancel_pending`) left the SDK's registrations pending, and each was
    reported as "Task was destroyed but it is pending!" (found by interrupting `plan` at every
    moment, 2026-12-04). Anything else goes to asyncio's own report, as before."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if interrupt.count() != before:
            return
        loop.default_exception_handler(context)

    return handle


def _cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a plan that did not finish (Ctrl-C, an error) left running on `loop` and let
    it unwind, as `asyncio.run` does: left pending, each task was reported at exit ("Task was
    destroyed but it is pending!", several lines after the one line of an interrupt)."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        with contextlib.suppress(BaseException):  # a Ctrl-C here: the run is reported as interrupted
            waiting = asyncio.wait(pending, timeout=1.0)
            try:
                loop.run_until_complete(waiting)
            finally:  # interrupted before the loop took it, the wait was reported at exit as never awaited
                waiting.close()


def _current_event_loop() -> asyncio.AbstractEventLoop | None:
    """The loop set for this thread, if any, without making one (`asyncio.get_event_loop`
    would create and set a loop in the main thread when none is set)."""
    local = getattr(asyncio.get_event_loop_policy(), "_local", None)  # the default policy's
    return getattr(local, "_loop", None)


def run_program(
    program: Callable[[], None], *, stack: str, region: str, config: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run `program` as a Pulumi program under the recording mocks.

    Returns the registrations (in tree order) and the resolved stack outputs.
    Shared by `plan` and the benchmark's straight-line floor.

    The caller's Pulumi runtime is left as it was: a test that set its own mocks, config and
    stack with `pulumi.runtime.set_mocks` and then planned a spec found them replaced by the
    plan's (its components got this engine's mock values, its stack was the plan's) and its
    queued RPCs dropped. The SDK keeps that state in context variables, so the plan runs in a
    copy of the caller's context, on its own event loop; the caller's loop is set back after.
    """
    import contextvars

    caller_loop = _current_event_loop()
    local = getattr(asyncio.get_event_loop_policy(), "_local", None)  # the default policy's
    caller_set_called = getattr(local, "_set_called", False)
    try:
        return contextvars.copy_context().run(
            _run_program_in_this_context, program, stack=stack, region=region, config=config
        )
    finally:
        asyncio.set_event_loop(caller_loop)
        if caller_loop is None and local is not None:
            # set_event_loop(None) marks the thread as having had a loop set, after which
            # asyncio.get_event_loop (as pulumi.runtime.set_mocks calls it) raises instead of
            # making one: a caller that had none is left able to get one, as before the plan
            local._set_called = caller_set_called


_UNPRINTED_LOG = logging.getLogger("groundlink.engine.diagnostics")
_UNPRINTED_LOG.addHandler(logging.NullHandler())
_UNPRINTED_LOG.propagate = False


def _run_program_in_this_context(
    program: Callable[[], None], *, stack: str, region: str, config: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    import pulumi
    from pulumi.runtime import set_all_config, set_mocks
    from pulumi.runtime.settings import get_root_resource
    from pulumi.runtime.stack import run_pulumi_func
    from pulumi.runtime.sync_await import _sync_await

    from .mocks import OfflineMocks

    _reset_runtime()
    mocks = OfflineMocks(region=region)
    monitor = _recording_monitor(mocks)
    set_all_config(config)
    # A Ctrl-C during the imports above is counted at once and raised once they end (a deferred
    # stop signal): taken into the baseline, the program would run on with nothing to stop it
    # when that exception broke off a registration the SDK then waits for (a plan hung on Ctrl-C
    # 0.2 s in, about once in twenty, 2026-12-04). Raised here instead, outside any import.
    interrupt.raise_deferred()
    interrupts = interrupt.count()
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_silent_once_interrupted(interrupts))  # before set_mocks starts the first tasks
    loop.set_default_executor(_InPlaceMonitorCalls())
    asyncio.set_event_loop(loop)
    # the components' warnings and gaps, which pulumi preview shows as diagnostics, are the plan's
    # own (Plan.warnings, Plan.gaps): the mock engine's log would print them a second time
    set_mocks(mocks, project=PROJECT, stack=stack, preview=True, monitor=monitor, logger=_UNPRINTED_LOG)
    root = get_root_resource()
    stop_watching = _stop_when_interrupted(loop, interrupts)
    try:
        try:
            with _cyclic_gc_paused(), _no_source_positions(), _no_provider_type_aliases():
                _sync_await(run_pulumi_func(program))
                resolved = _sync_await(_resolve(dict(root.outputs)))  # type: ignore[union-attr]  # set_mocks created the root stack
                # what the engine is sent: the SDK drops a property that serializes to None
                # (rpc.serialize_properties), so `pulumi stack output` has no key for it
                outputs = {key: value for key, value in resolved.items() if value is not None}
        except pulumi.RunError as exc:
            raise PlanError(str(exc)) from exc
        except RuntimeError:
            if interrupt.count() != interrupts:  # the loop stopped by `_stop_when_interrupted`
                raise interrupt.stopping() from None
            raise
    except BaseException:
        stop_watching()
        _cancel_pending(loop)
        raise
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    if monitor.duplicates:
        raise PlanError(
            f"duplicate resource URN {monitor.duplicates[0]}: the program registers two resources of one type "
            "and name, which the Pulumi engine refuses"
        )
    return _tree_order(monitor.records), outputs


def plan(
    spec_path: str | os.PathLike[str],
    cloud: str,
    stack: str | None = None,
    extra_config: dict[str, str | None] | None = None,
) -> Plan:
    """Evaluate the program for `spec_path` on `cloud` and return what it registers.

    Raises SpecError (bad spec, before any Pulumi code runs) or PlanError.
    """
    if cloud not in CLOUDS:
        raise PlanError(f"cloud: {cloud!r} is not allowed; allowed: {', '.join(CLOUDS)}")
    started = time.perf_counter()
    given = spec_file_path(spec_path, "plan")
    # named as given (`./x.yaml`), as every other command names it, in messages and in the plan
    named = given if isinstance(given, str) else str(given)
    spec_path = Path(given)
    spec = load_spec(named)  # precise spec errors first, outside any Pulumi machinery
    pinned_time()  # a SOURCE_DATE_EPOCH that is no time is refused here as compare refuses it
    stack = stack or f"{spec.mission.name}-{cloud}"
    from ..program import main

    realized: list[Realization] = []

    def program() -> None:
        realized.append(main(offline=True).realization)

    region = spec.region(cloud)
    # an extra_config value of None removes the key (a stack file that lacks it)
    config = {
        k: v for k, v in {**stack_config(spec_path, cloud, spec), **(extra_config or {})}.items() if v is not None
    }
    records, outputs = run_program(program, stack=stack, region=region, config=config)
    realization = realized[0]
    resources = []
    for record in records:
        record["capability"] = realization.capabilities_of(record["type"], record["name"])
        resources.append(PlannedResource(**record))
    result = Plan(
        cloud=cloud,
        spec=named,
        project=PROJECT,
        stack=stack,
        resources=resources,
        outputs=outputs,
        gaps=dict(realization.gaps),
        warnings=list(realization.warnings),
        region=region,
    )
    result.seconds = time.perf_counter() - started  # the plan's runtime went with its context (`run_program`)
    return result
