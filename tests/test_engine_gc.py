"""The engine pauses the cyclic garbage collector while a program runs and gives it back as
it found it: a caller (the command line, a long-lived session, the test workers) keeps its
own collector settings, also when the program fails."""

from __future__ import annotations

import gc

import pytest

from groundlink.engine.runner import run_program


def _run(program) -> list[dict]:
    records, _ = run_program(program, stack="gc-aws", region="us-west-2", config={})
    return records


@pytest.fixture
def collector_restored():
    was_enabled = gc.isenabled()
    yield
    (gc.enable if was_enabled else gc.disable)()


@pytest.mark.usefixtures("collector_restored")
@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_is_off_while_the_program_runs_and_as_before_after(enabled_before):
    (gc.enable if enabled_before else gc.disable)()
    seen = []
    _run(lambda: seen.append(gc.isenabled()))
    assert seen == [False]
    assert gc.isenabled() is enabled_before


@pytest.mark.usefixtures("collector_restored")
def test_a_failing_program_gives_the_collector_back():
    gc.enable()

    def failing() -> None:
        raise ValueError("the program broke")

    with pytest.raises(ValueError, match="the program broke"):
        _run(failing)
    assert gc.isenabled()
