"""Every lint or type-check suppression says why on its own line, so a reader
can judge whether it still holds without digging through history."""

from __future__ import annotations

import re

from .conftest import ROOT, python_sources

SOURCES = ("__main__.py", "groundlink", "components", "policies", "bench", "scripts", "tests")
PRAGMA = re.compile(
    r"#\s*(noqa\b(?::\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?|type:\s*ignore(?:\[[^\]]*\])?|pragma:\s*no cover)(.*)$"
)


def _python_files():
    yield from python_sources(*SOURCES)


def _reason(rest: str) -> str:
    return rest.strip().lstrip("#(-: ").rstrip(")").strip()


def test_every_suppression_carries_its_reason():
    found, silent = 0, []
    for path in _python_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = PRAGMA.search(line)
            if match is None or "PRAGMA = re.compile" in line:
                continue
            found += 1
            if len(_reason(match.group(2)).split()) < 3:
                silent.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found >= 1  # the scan sees the pragmas the repository has
    assert not silent, "suppressions without a reason:\n" + "\n".join(silent)


def test_a_virtual_environment_in_the_checkout_is_not_scanned(tmp_path):
    """`(cd policies && pulumi install)`, as the README has a user do, makes policies/venv: its
    libraries' bare pragmas (more_itertools' star import) failed this suite."""
    venv = tmp_path / "policies" / "venv"
    (venv / "lib").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (venv / "lib" / "more.py").write_text("from .more import *  # no" + "qa\n")  # a bare pragma, as libraries have
    (tmp_path / "policies" / "pack.py").write_text("")

    assert list(python_sources(str(tmp_path / "policies"))) == [tmp_path / "policies" / "pack.py"]
