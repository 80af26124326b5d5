"""pytest plugin for `make mutation`: import components/ and policies/ under the names mutmut
gave their mutants.

mutmut copies components/ and policies/ beside groundlink/ under mutants/ and names their
mutants by path (`components.aws.storage.x_…`). A mutant is switched on only inside the
module of that name, and the per-test stats are recorded under the importing module's
name. The installed package imports them as `groundlink.components` and
`groundlink.policies` (setup.py maps them to the checkout), and the pack loads itself as
`groundlink_policies`: without this plugin those modules would be the checkout's
unmutated files, or mutated files under names that never match, and every mutant of the
components and the pack would count as untested or survived.

Here those three names become aliases: `groundlink.components.aws.storage` is the module
`components.aws.storage` from mutants/, one module object under both names.

Processes the tests start (the pack process of `groundlink check`, the command line) run
the code unmutated: mutmut names the active mutant in the environment as well as in the
process, and a child process would otherwise switch the mutant on under another module
name, or record stats where nobody reads them (and, with no mutmut config in its working
directory, crash). Mutants are judged by what the test process itself runs.

While mutmut records which tests reach which function, it sees only the calls a test
makes. The session's shared plans (tests/conftest.py `_plan_file`) and the
package's own caches would credit a plan's components to the first test that asked for
it only, and every later test that reads the same plan would never be run against their
mutants. So the functions a plan's build reached are credited to every test that gets
that plan, a module- or session-wide fixture's build is credited to every test that uses
it, and the caches of the mutated modules are emptied before each test. Each mutant's own run
starts with empty caches too (the worker is forked from a process that only collected).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ALIASES = {"groundlink.components": "components", "groundlink.policies": "policies", "groundlink_policies": "policies"}


def _real_name(fullname: str) -> str | None:
    for alias, real in ALIASES.items():
        if fullname == alias or fullname.startswith(alias + "."):
            return real + fullname[len(alias) :]
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands back the module under its real name instead of loading the file twice."""

    def __init__(self, real: str) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.real)
        self.own_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # the import system stamped the alias spec on the shared module: give it back its own
        module.__spec__ = self.own_spec


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        real = _real_name(fullname)
        if real is None:
            return None
        found = importlib.util.find_spec(real)
        if found is None:
            return None
        spec = importlib.machinery.ModuleSpec(fullname, _AliasLoader(real), origin=found.origin)
        spec.submodule_search_locations = found.submodule_search_locations
        return spec


_IN_MUTANTS = Path(__file__).resolve().parents[1].name == "mutants"
if _IN_MUTANTS:
    sys.meta_path.insert(0, _AliasFinder())


_MUTATED = ("groundlink.spec", "groundlink.parity", "groundlink.blueprint", "groundlink.cost", "groundlink.check")
_MUTATED_PACKAGES = ("components", "policies")


def _mutated(name: str) -> bool:
    return name.split(".")[0] in _MUTATED_PACKAGES or any(name == m or name.startswith(m + ".") for m in _MUTATED)


def _package_caches(with_tests: bool = False) -> list[Callable[[], None]]:
    """`cache_clear` of every functools cache in the mutated modules (`only_mutate`): the
    others (provider schemas, botocore shapes) are large, and no mutant lives in them. With
    `with_tests`, the test modules' caches too (`aws_variant`, a cost document per spec): a
    test that got a plan or a document from one of them would otherwise never be recorded as
    reaching the functions that built it. conftest's own plans are credited below instead."""
    clears = []
    for name, module in list(sys.modules.items()):
        in_tests = with_tests and name.startswith("tests.") and name != "tests.conftest"
        if module is None or not (_mutated(name) or in_tests):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", "") == name:
                clears.append(clear)
    return clears


def _credit_plan_builds() -> None:
    """Every test that gets a shared plan is credited with the functions its build reached."""
    from mutmut.state import state

    from tests import conftest

    reached: dict[tuple[Any, ...], set[str]] = {}

    def crediting(build: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any) -> Any:
            if args in reached:
                state()._stats |= reached[args]
                return build(*args)
            outer, state()._stats = state()._stats, set()
            try:
                return build(*args)
            finally:
                reached[args] = state()._stats
                state()._stats = outer | reached[args]

        return wrapper

    # every shared plan (cached_plan, plan_of, variant_plan, tests/plan_cache.py) is built here
    conftest._plan_file = crediting(conftest._plan_file)


_STATS = False


def pytest_configure() -> None:
    global _STATS
    if not _IN_MUTANTS:
        return
    from mutmut.mutation.trampoline import get_mutant_under_test

    _STATS = get_mutant_under_test() == "stats"
    # the trampolines fall back to mutmut's in-process copy of the name
    os.environ.pop("MUTANT_UNDER_TEST", None)


def pytest_sessionstart() -> None:
    if _IN_MUTANTS:
        for clear in _package_caches():
            clear()
        if _STATS:
            _credit_plan_builds()


_FIXTURE_REACHED: dict[Any, set[str]] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef: Any) -> Iterator[None]:
    """Remember what building a fixture reached: a module- or session-wide fixture is built
    for the first test that asks, and later tests get its value without a call."""
    if not _STATS:
        yield
        return
    from mutmut.state import state

    outer, state()._stats = state()._stats, set()
    try:
        yield
    finally:
        _FIXTURE_REACHED[fixturedef] = state()._stats
        state()._stats = outer | state()._stats


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if _STATS:
        for clear in _package_caches(with_tests=True):
            clear()
    yield
    if _STATS:
        from mutmut.state import state

        defs = getattr(item, "_fixtureinfo", None)
        for name in getattr(item, "fixturenames", ()):
            for fixturedef in defs.name2fixturedefs.get(name, ()) if defs else ():
                state()._stats |= _FIXTURE_REACHED.get(fixturedef, set())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A mutant's run stops at its first failing test (`-x`), so its cheapest test files run
    first (by the time the stats run recorded for them), each file whole so that its module
    fixtures are built once. Most mutants are killed, most of them by the first file."""
    if not _IN_MUTANTS or _STATS:
        return
    from mutmut.state import state

    recorded = state().duration_by_test
    if not recorded:
        return
    by_file: dict[Path, float] = {}
    for item in items:
        by_file[item.path] = by_file.get(item.path, 0.0) + recorded.get(item.nodeid, 0.0)
    items.sort(key=lambda item: by_file[item.path])
