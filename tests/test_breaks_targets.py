"""`make breaks` breaks each line its table names (scripts/breaks.py): a line a later change
rewrote is no break at all, and `make breaks` then failed on a fresh clone while `make test`
passed. Each line to break is in its file exactly once, and each break names tests that exist."""

from __future__ import annotations

import pytest

from .conftest import ROOT, script_module

BREAKS = script_module("scripts/breaks.py").BREAKS


@pytest.mark.parametrize("brk", BREAKS, ids=lambda b: b.name)
def test_every_break_names_a_line_that_is_there_once_and_tests_that_exist(brk):
    assert (ROOT / brk.path).read_text().count(brk.old) == 1, f"{brk.name}: the line to break moved"
    assert brk.old != brk.new
    assert brk.tests and all((ROOT / test).is_file() for test in brk.tests)
