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


def test_mutants_a_stopped_run_left_half_written_are_written_again(tmp_path: Path) -> None:
    """Ctrl-C while mutmut wrote a source's mutants left an empty file newer than the source and
    no `.meta`: the next run took it as done, chose none of that source's mutants and stopped
    without results. A mutant file older than its finished `.meta` is kept."""
    import os

    sources = [Path("pkg/done.py"), Path("pkg/stopped.py"), Path("pkg/stale_meta.py"), Path("pkg/new.py")]
    mutants = tmp_path / "mutants" / "pkg"
    mutants.mkdir(parents=True)
    for name, body in (("done.py", "x = 1\n"), ("stopped.py", ""), ("stale_meta.py", "x =")):
        (mutants / name).write_text(body)
    (mutants / "done.py.meta").write_text("{}")
    (mutants / "stale_meta.py.meta").write_text("{}")
    os.utime(mutants / "stale_meta.py.meta", ns=(1, 1))  # a `.meta` of an earlier run, older than the mutant
    removed = _mutation_run().forget_unfinished(tmp_path, sources)
    assert removed == [Path("pkg/stopped.py"), Path("pkg/stale_meta.py")]
    assert sorted(p.name for p in mutants.iterdir()) == ["done.py", "done.py.meta", "stale_meta.py.meta"]


def test_every_top_level_path_a_test_reads_is_copied_into_mutants() -> None:
    """Mutation runs test in mutants/, which holds the sources mutmut copies and `also_copy`:
    a test reading the checkout's `.vscode/settings.json`, not copied, failed the spec module's
    stats run, and `make mutation` scored groundlink.spec on nothing ("stopped without results")."""
    import re
    import tomllib

    mutmut = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    copied = {path.rstrip("/").split("/")[0] for path in mutmut["source_paths"] + mutmut["also_copy"]}
    copied |= {"tests", "pyproject.toml"}  # mutmut copies the tests and its own configuration itself
    read = {
        match.split("/")[0]
        for path in (ROOT / "tests").glob("*.py")
        for match in re.findall(r'ROOT / "([\w./-]+)"', path.read_text())
    }
    assert read, "the tests name the checkout's files as ROOT / <path>"
    assert sorted(read - copied) == []
