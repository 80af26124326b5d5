"""A Ctrl-C that arrives while Python runs a weakref callback (an import's module-lock callback)
cannot be raised there: Python printed "Exception ignored in ... KeyboardInterrupt" and the
command ran on to exit 0. The run now ends as interrupted, in one line, exit 130."""

from __future__ import annotations

import gc
import signal
import sys
import weakref

import pytest

from groundlink import cli, interrupt

from .conftest import SPECS


class _Thing:
    pass


@pytest.fixture
def sigint_restored(monkeypatch):
    before = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(interrupt, "_count", interrupt.count())
    monkeypatch.setattr(interrupt, "_count_at_start", interrupt._count_at_start)  # main() forgets
    yield
    signal.signal(signal.SIGINT, before)


def test_a_ctrl_c_python_swallowed_still_ends_the_run_as_interrupted(capsys, monkeypatch, sigint_restored):
    def run(args):
        thing = _Thing()
        ref = weakref.ref(thing, lambda _: interrupt.raise_interrupt(signal.SIGINT, None))
        del thing
        gc.collect()
        assert ref() is None  # the callback ran, and Python swallowed its KeyboardInterrupt
        return 0

    monkeypatch.setattr(cli, "_run", run)
    assert cli.main(["validate", str(SPECS / "noaa20.yaml")]) == 130
    assert capsys.readouterr().err == "groundlink: interrupted\n"  # no "Exception ignored in"


def test_after_a_swallowed_ctrl_c_the_next_one_still_raises(sigint_restored):
    """Nothing is being cleaned up for a Ctrl-C Python swallowed: the command runs on, and the
    user's next Ctrl-C must stop it, not only be counted."""
    signal.signal(signal.SIGINT, interrupt.raise_interrupt)
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: interrupt.swallowed_interrupt(unraisable, previous)
    try:
        thing = _Thing()
        ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
        del thing
        gc.collect()
        assert ref() is None
    finally:
        sys.unraisablehook = previous
    with pytest.raises(KeyboardInterrupt):
        signal.raise_signal(signal.SIGINT)


def test_the_next_run_in_the_same_process_starts_uninterrupted(capsys, monkeypatch):
    monkeypatch.setattr(interrupt, "_count_at_start", interrupt._count_at_start)  # main() forgets
    monkeypatch.setattr(interrupt, "_count", interrupt.count() + 1)  # an earlier run was interrupted
    assert cli.main(["validate", str(SPECS / "noaa20.yaml")]) == 0
    assert capsys.readouterr().err == ""
