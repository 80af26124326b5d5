"""`make mutation` runs each component file's mutants against that file's own tests
(COMPONENT_TESTS in scripts/mutation_run.py): a component file without an entry, or an entry
naming a test file that is gone, would leave its mutants judged by no test or by the wrong ones."""

from __future__ import annotations

from pathlib import Path

from .conftest import ROOT, script_module


def _mutation_run():
    return script_module("scripts/mutation_run.py")


def test_every_component_file_has_its_tests_and_every_test_file_exists() -> None:
    table = _mutation_run().COMPONENT_TESTS
    components = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "components").rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    }
    assert components == set(table)
    missing = sorted({test for tests in table.values() for test in tests if not (ROOT / test).is_file()})
    assert missing == []
    assert all(Path(test).name.startswith("test_") for tests in table.values() for test in tests)
