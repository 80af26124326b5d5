"""Shared fixtures: plans come from the real offline engine, built once per test session.

A plan costs 0.3-1 s, and many tests look at the same spec variant (an example spec
plus a few edited fields). Every plan a test needs goes through `plan_of`,
`variant_plan` or `cached_plan`, which key the plan by (spec content, cloud):

- in one process the `Plan` object is memoized;
- across pytest-xdist workers the plan's JSON is shared through a directory that
  lives for the whole session, under a per-variant file lock, so the second worker
  that needs a variant reads it instead of planning it again.

Cached plans are shared: tests read them and never mutate them (copy first, as
`copy.deepcopy(plan.to_json())`). Tests of the engine itself (reproducibility, stack
config errors) still call `groundlink.engine.plan` directly.
"""

from __future__ import annotations

import atexit
import copy
import dataclasses
import fcntl
import functools
import gc
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import groundlink.check.runner  # noqa: F401  (binds engine.plan as it imports: before any test patches it)
from groundlink.cli import LEAK_REPORTING_EXTENSIONS, no_collection_at_exit
from groundlink.engine import Plan
from groundlink.engine import plan as _engine_plan  # bound now: tests may patch groundlink.engine.plan

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
_CACHE_ENV = "GROUNDLINK_TEST_PLAN_CACHE"
_MEMO: dict[tuple[str, str], Plan] = {}
_WARM_PACKS: list[Any] = []  # the open `warm_policy_packs`: their processes are no test's leftovers
DROP = object()
"""A `variant_plan` change value that removes the field (back to the model's default)."""


def _freeze_the_survivors(phase: str, info: dict[str, int]) -> None:
    """What survives a full collection is the session's heap (the provider SDKs' modules, the
    memoized plans): frozen out of the collector, later full collections walk only what came
    after it instead of those hundreds of thousands of objects again (a worker of `make test`
    spent 3.4-4.0 s of its CPU in the collector, 2.2 s of it in about ten full collections;
    1.8-2.0 s in all with this, 2026-12-03)."""
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "engine_runs: the test's commands plan with the engine itself, not the session's shared plans"
    )
    if _freeze_the_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_the_survivors)
    # The controller creates the directory before xdist starts its workers, which
    # inherit the environment; a worker finds the variable already set.
    if _CACHE_ENV not in os.environ:
        os.environ[_CACHE_ENV] = tempfile.mkdtemp(prefix="groundlink-test-plans-")
        config._groundlink_plan_cache = os.environ[_CACHE_ENV]  # type: ignore[attr-defined]  # our own attribute on pytest's Config


# Files holding the longest tests (a wheel built and installed, compare runs, pack processes,
# many plans), first: `make test` hands out whole files (--dist loadscope) in this order, the
# longest first, so that the run does not end with one worker busy alone on a long file.
SLOW_FIRST = (
    "test_compare.py",
    "test_check_e2e.py",
    "test_wheel_install.py",
    "test_report.py",
    "test_parity_properties.py",
    "test_diff.py",
    "test_edit_matrix.py",
    "test_azure_ground.py",
    "test_aws_mission.py",
    "test_engine.py",
    "test_azure_storage.py",
    "test_preflight_specs.py",
    "test_durability_parity.py",
    "test_exit_codes.py",
    "test_interrupt_imports.py",
    "test_policies_conditions.py",
    "test_fuzz.py",
    "test_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole


def pytest_unconfigure(config: pytest.Config) -> None:
    created = getattr(config, "_groundlink_plan_cache", None)
    if created:
        shutil.rmtree(created, ignore_errors=True)
        os.environ.pop(_CACHE_ENV, None)
    # As the command line does at its end: the session's heap (provider SDKs, every plan) is
    # frozen out of the collector, whose passes over it at interpreter shutdown kept each
    # xdist worker alive about 4.5 s after its last test (the controller waits for them). At
    # exit, after pytest has put the captured file descriptors back: a worker has sent its
    # results by then, so its stderr may go (DuckDB's leak report).
    worker = "PYTEST_XDIST_WORKER" in os.environ
    if not worker and LEAK_REPORTING_EXTENSIONS & sys.modules.keys():
        # A run in one process (`pytest tests/test_processing.py`) keeps its stderr to the end,
        # so DuckDB's objects go back to the collector: frozen, each was reported as a leak at exit.
        gc.callbacks.remove(_freeze_the_survivors)
        gc.unfreeze()
    atexit.register(no_collection_at_exit, silence_leak_reports=worker)


def python_sources(*tops: str) -> Iterator[Path]:
    """The checkout's Python files under `tops` (a file or a folder each), in order. A virtual
    environment is not the checkout's: `(cd policies && pulumi install)`, as the README has a
    user do, makes policies/venv, whose libraries' own pragmas and citations are not ours."""
    for top in tops:
        path = ROOT / top
        if path.is_file():
            yield path
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not is_virtualenv(Path(folder) / d) and d != "__pycache__")
            yield from (Path(folder) / name for name in sorted(files) if name.endswith(".py"))


def is_virtualenv(folder: Path) -> bool:
    """A virtual environment (python -m venv, pulumi install, virtualenv) holds pyvenv.cfg."""
    return (folder / "pyvenv.cfg").is_file()


def script_module(path: str) -> ModuleType:
    """A script of the checkout (`bench/bench.py`, `scripts/mutation_run.py`) loaded as a module,
    to test its parts."""
    spec = importlib.util.spec_from_file_location(f"script_{Path(path).stem}", ROOT / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # a dataclass in the script looks its module up there
    spec.loader.exec_module(module)
    return module


def _cache_dir() -> Path:
    path = Path(os.environ.get(_CACHE_ENV) or tempfile.mkdtemp(prefix="groundlink-test-plans-"))
    os.environ[_CACHE_ENV] = str(path)
    return path


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _plan_file(spec_path: Path, cloud: str, key: str) -> Plan:
    """The plan of `spec_path` on `cloud`, built by whichever worker asks first."""
    memo = _MEMO.get((key, cloud))
    if memo is not None:
        return memo
    stored = _cache_dir() / f"{key}-{cloud}.json"
    with _locked(stored.with_suffix(".lock")):
        if stored.exists():
            doc = json.loads(stored.read_text())
            result = Plan.from_json(doc["plan"])
            result.seconds = doc["seconds"]
        else:
            result = _engine_plan(spec_path, cloud)
            tmp = stored.with_suffix(".tmp")
            tmp.write_text(json.dumps({"plan": result.to_json(), "seconds": result.seconds}))
            tmp.replace(stored)
    _MEMO[(key, cloud)] = result
    return result


def cached_plan(spec: str | os.PathLike[str], cloud: str) -> Plan:
    """The plan of an example spec (`noaa20.yaml`) or of a spec file that stays put."""
    path = Path(spec).resolve() if os.sep in str(spec) else SPECS / spec
    if path.parent == _cache_dir().resolve() and path.suffix == ".yaml":  # written by `spec_file`
        return _plan_file(path, cloud, path.stem)
    key = hashlib.sha256(f"{path}\n".encode() + path.read_bytes()).hexdigest()[:16]
    return _plan_file(path, cloud, key)


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, default=str)


@functools.cache
def _examples() -> dict[str, str]:
    """Each example spec's content (canonical JSON) -> its file name."""
    return {_canonical(spec_data(path.name)): path.name for path in SPECS.glob("*.yaml")}


def spec_file(data: dict[str, Any]) -> Path:
    """The spec as a file named by its content, in the session's directory: the same data,
    the same path, whichever worker writes it."""
    key = hashlib.sha256(_canonical(data).encode()).hexdigest()[:16]
    path = _cache_dir() / f"{key}.yaml"
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(yaml_text(data, sort_keys=False))
        tmp.replace(path)
    return path


def plan_of(data: dict[str, Any], cloud: str) -> Plan:
    """The plan of a spec given as a dict (a variant of an example spec), keyed by its content;
    an example spec's own content is that example's plan."""
    example = _examples().get(_canonical(data))
    if example is not None:
        return cached_plan(example, cloud)
    return cached_plan(spec_file(data), cloud)


def with_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Set dotted paths (`analytics.azure_engine`, `satellites.0.downlinks.0.preset`) in a
    spec dict; the value `DROP` removes the field."""
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node.setdefault(key, {})
        if value is DROP:
            del node[int(leaf) if isinstance(node, list) else leaf]
        elif isinstance(node, list):
            node[int(leaf)] = value
        else:
            node[leaf] = value
    return data


def variant_plan(cloud: str, changes: dict[str, Any] | None = None, base: str = "noaa20.yaml") -> Plan:
    """The plan of example spec `base` with `changes` (see `with_changes`) on `cloud`."""
    if not changes:
        return cached_plan(base, cloud)
    return plan_of(with_changes(spec_data(base), changes), cloud)


@pytest.fixture(autouse=True, scope="session")
def runtime_scratch_of_this_process() -> Iterator[None]:
    """The runtime stages a message in one directory per machine, under a lock
    (groundlink/runtime/delivery.py `scratch`): the two workers would queue on it, and a
    directory another user left there would fail their tests. Each test process gets its own
    name for it, under whatever temporary directory a test sets, and removes its lock at the end."""
    from groundlink.runtime import delivery

    shared = delivery.SCRATCH_NAME
    delivery.SCRATCH_NAME = f"{shared}-test-{os.getpid()}"
    yield
    lock = Path(tempfile.gettempdir()) / f"{delivery.SCRATCH_NAME}.lock"
    lock.unlink(missing_ok=True)
    delivery.SCRATCH_NAME = shared


@pytest.fixture(scope="module")
def warm_policy_packs() -> Iterator[None]:
    """Within a module that takes it, checks reuse the pack processes of earlier checks of the
    same stack and config, as a long-lived caller's do (`keep_packs_warm`): a pack process
    costs about 0.3 s of CPU to start, and a module of check tests checks the same few stacks
    again and again. All stop when the module ends.

    Only for modules that fork no process: a fork while the packs' reader and gRPC threads run
    can leave the child hung on a lock one of them held (the product forks its plan workers
    before it starts any thread). Tests of how a command starts and stops its own pack
    processes take `own_pack_processes`."""
    from groundlink.check.host import keep_packs_warm

    with keep_packs_warm() as packs:
        _WARM_PACKS.append(packs)
        yield
    _WARM_PACKS.remove(packs)


@pytest.fixture
def own_pack_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No warm packs: each check starts, and stops, its own pack processes, as one command does."""
    from groundlink.check import host

    monkeypatch.setattr(host, "_warm", None)


def shared_engine_plan(spec: str | os.PathLike[str], cloud: str, *args: Any, **kwargs: Any) -> Plan:
    """The session's plan of a spec file that exists, named as the caller gave it (as the engine
    names it); the engine itself for anything else (a missing file, a pipe, extra stack config),
    so that its errors stay the engine's."""
    if args or kwargs or not isinstance(spec, str | os.PathLike) or not Path(spec).is_file():
        return _engine_plan(spec, cloud, *args, **kwargs)
    try:
        shared = cached_plan(Path(spec).resolve(), cloud)
    except Exception:  # a bad spec (named as resolved there), a name no file system encoding takes
        return _engine_plan(spec, cloud)
    named = spec if isinstance(spec, str) else str(spec)
    return shared if shared.spec == named else dataclasses.replace(shared, spec=named)


@pytest.fixture(autouse=True)
def commands_use_shared_plans(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands run in the test process (`plan`, `diff`, `preflight`, `compare`'s in-process
    plans) take their plans from the session's shared plans: the same spec file is planned once
    per session, not once per test (about a quarter of the plans `make test` built were such
    repeats, 2026-12-07). Tests whose subject is the engine itself (a plan's reproducibility, its
    interrupts, a program patched to fail) are marked `engine_runs` and plan for real."""
    if request.node.get_closest_marker("engine_runs") is None:
        monkeypatch.setattr("groundlink.engine.plan", shared_engine_plan)


@pytest.fixture
def shared_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """`groundlink check` takes its plans from the session's shared plans: for tests of the
    check and its command line, whose subject is not the engine."""
    from groundlink.check import runner

    monkeypatch.setattr(runner, "build_plan", cached_plan)


@pytest.fixture(scope="session")
def aws_noaa20() -> Plan:
    return cached_plan("noaa20.yaml", "aws")


@pytest.fixture(scope="session")
def azure_noaa20() -> Plan:
    return cached_plan("noaa20.yaml", "azure")


@functools.cache
def _parsed(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load((SPECS / name).read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return loaded


def yaml_text(data: Any, **options: Any) -> str:
    """`yaml.safe_dump` through libyaml's emitter when PyYAML has it: the same text, about five
    times faster (4 ms against 22 ms for the constellation spec), which the fuzz tests pay per
    drawn spec."""
    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, **options)


def spec_data(name: str = "noaa20.yaml") -> dict[str, Any]:
    """A spec as a mutable dict (a copy: parsed once per session), for tests that break one field."""
    return copy.deepcopy(_parsed(name))


def schema_patterns(node: Any) -> Iterator[str]:
    """Every `pattern` a JSON Schema (or any part of it) holds, for tests that hold all of them to a rule."""
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from schema_patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_patterns(value)


def write_spec(tmp_path: Path, data: dict[str, Any], name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml_text(data, sort_keys=False))
    return path


def groundlink_with_stdout(argv: list[str], stdout: Any, unbuffered: bool) -> subprocess.CompletedProcess[str]:
    """`python -m groundlink ARGV` from the checkout with its stdout on `stdout` (a descriptor or
    a file), PYTHONUNBUFFERED set or not: whether a failed write shows at once or only at the
    interpreter's last flush."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "groundlink", *argv],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def live_children(cmdline_contains: str = "") -> list[int]:
    """Processes this test process started that still run (not zombies), optionally only
    those whose command line holds `cmdline_contains`: what a command must not leave behind.
    The warm pack processes of `warm_policy_packs` are not a command's."""
    from .terminal import running_processes

    warm = {pid for packs in _WARM_PACKS for pid in packs.pids()}
    found = []
    for process in running_processes():
        if process.parent != os.getpid() or process.pid in warm:
            continue
        cmdline = process.cmdline()  # None: it ended meanwhile
        if cmdline is not None and cmdline_contains in cmdline:
            found.append(process.pid)
    return found


def offline_document(spec_path: Path, plans: dict[str, Plan], prices: str | None = None) -> dict[str, Any]:
    """The compare document of the spec at `spec_path` and its `plans`, built in process as
    `groundlink compare` builds it, without the policy pack (not run) or a clock."""
    from groundlink.app.parallel_plans import PlanRun
    from groundlink.app.policy_results import unavailable
    from groundlink.blueprint import build_blueprint
    from groundlink.cost import estimate, load_catalogs
    from groundlink.coverage import coverage_report
    from groundlink.parity import parity
    from groundlink.report.document import build_document
    from groundlink.spec import load_spec

    blueprint = build_blueprint(load_spec(spec_path))
    catalogs, assumptions = load_catalogs(prices)
    return build_document(
        spec_path=str(spec_path),
        blueprint=blueprint,
        runs={cloud: PlanRun(plan, 0.5) for cloud, plan in plans.items()},
        matrix=parity(blueprint, plans),
        estimate=estimate(blueprint, catalogs, assumptions, plans),
        policy=unavailable("not run in this test"),
        coverage=coverage_report(blueprint),
        prices_file=prices,
        generated_at="2026-12-02T00:00:00Z",
    )


def tunables_data() -> dict[str, Any]:
    """The reference spec with its tunables moved (retentions, link rates, timing, cutoff,
    budget): one spec, so every file that plans it shares the plan."""
    data = spec_data()
    data["storage"].update(raw_retention_days=700, products_retention_days=2000, noncurrent_version_days=9)
    data["satellites"][0]["downlinks"][0].update(bandwidth_mhz=40, data_rate_mbps=12)
    data["ground_segment"].update(min_contact_seconds=300, pre_pass_seconds=60)
    data["analytics"]["query_bytes_scanned_cutoff_gb"] = 1
    data["budget"]["monthly_usd"] = 1
    return data


def violation(policy: str, enforcement: str = "advisory", cloud: str = "aws") -> Any:
    """A pack violation of `policy` on an S3 bucket, with the message, control and fix named after it."""
    from groundlink.check.runner import Violation

    return Violation(
        cloud,
        policy,
        enforcement,
        "low",
        f"{policy} says no",
        f"urn:{policy}",
        "aws:s3/bucket:Bucket",
        "bucket",
        [f"{policy}-control"],
        f"fix {policy}",
    )


@pytest.fixture
def products(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """One contact of three frames, processed: the products directory `groundlink query` reads."""
    from tests.contactgen import CONTACT_A

    return processed(tmp_path, capsys, [CONTACT_A])


def processed(tmp_path: Path, capsys: pytest.CaptureFixture[str], contacts: list[str]) -> Path:
    """`contacts` of three frames each, processed by the command into `tmp_path`/out."""
    from groundlink.cli import main
    from tests.contactgen import EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

    for contact in contacts:
        packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
        Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), contact, 1))
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    capsys.readouterr()
    return out
