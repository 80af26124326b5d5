"""A Ctrl-C that arrives while Python runs a weakref callback (an import's module-lock callback)
cannot be raised there: Python printed "Exception ignored in ... KeyboardInterrupt" and the
command ran on to exit 0. The run now ends as interrupted, in one line, exit 130."""

from __future__ import annotations

import contextlib
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


class _HalfBuilt:
    """An object whose constructor a Ctrl-C broke off: its destructor meets what was never set
    (as an asyncio event loop's does)."""

    def __init__(self) -> None:
        interrupt.raise_interrupt(signal.SIGINT, None)
        self.resource = object()

    def __del__(self) -> None:
        self.resource  # noqa: B018  # AttributeError: the constructor never got here


class _Broken:
    def __del__(self) -> None:
        raise RuntimeError("a destructor's own fault")


@pytest.mark.parametrize(
    ("made", "code", "reported"),
    [(_HalfBuilt, 130, []), (_Broken, 0, ["RuntimeError"])],
    ids=["interrupted-constructor", "nobody-stopped-the-run"],
)
def test_a_destructors_failure_is_reported_only_in_a_run_nobody_stopped(
    made, code, reported, capsys, monkeypatch, sigint_restored
):
    """Once a Ctrl-C has reached the command, a destructor that meets the attributes its broken-off
    constructor never set (an asyncio event loop's did) is the interruption's doing: only the one
    line is printed. In a run nobody stopped, such a failure is reported as Python reports it."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda unraisable: seen.append(type(unraisable.exc_value).__name__))

    def run(args):
        with contextlib.suppress(KeyboardInterrupt):
            made()
        return 0

    monkeypatch.setattr(cli, "_run", run)
    assert cli.main(["validate", str(SPECS / "noaa20.yaml")]) == code
    assert seen == reported
    assert capsys.readouterr().err == ("groundlink: interrupted\n" if code == 130 else "")


@pytest.mark.parametrize("stopped", [True, False], ids=["stopped", "nobody-stopped-the-run"])
def test_a_coroutine_left_unawaited_is_reported_only_in_a_run_nobody_stopped(
    stopped, capsys, monkeypatch, sigint_restored
):
    """A Ctrl-C between the making of a coroutine and the task that would run it (as inside the
    SDK's registrations) leaves it to be destroyed unawaited: after a stop signal, that warning
    is not printed over the one line; in a run nobody stopped it is shown as Python shows it."""
    import warnings

    shown: list[str] = []
    monkeypatch.setattr(warnings, "showwarning", lambda message, *rest, **named: shown.append(str(message)))

    async def registration() -> None:
        pass

    def run(args):
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            coroutine = registration()
            if stopped:
                with contextlib.suppress(KeyboardInterrupt):
                    interrupt.raise_interrupt(signal.SIGINT, None)
            del coroutine
            gc.collect()
        return 0

    monkeypatch.setattr(cli, "_run", run)
    assert cli.main(["validate", str(SPECS / "noaa20.yaml")]) == (130 if stopped else 0)
    assert shown == (
        []
        if stopped
        else [
            "coroutine 'test_a_coroutine_left_unawaited_is_reported_only_in_a_run_nobody_stopped.<locals>.registration' was never awaited"
        ]
    )
