"""Ctrl-C at any moment of the console script, its first milliseconds included, ends with
exit 130 and one line: the handler is installed before any import of the command line.

What comes before the console script's first line is the interpreter's own start-up
(encodings, `site` and the environment's .pth files): a signal there either kills the
process before Python has a handler (exit -SIGINT, nothing printed, which a shell shows as
130) or fails the interpreter's start-up with the interpreter's own message (a traceback of
start-up frames, or a bare `KeyboardInterrupt` when no frame was running, seen on a first run
whose modules were still being compiled). Neither runs a
line of groundlink; every other outcome must be the one line. So does a signal taken before
`install` has set the handler: the console script's first imports, and `install` itself up to
its first `signal.signal` (the project's CI met it there once, inside `signal.getsignal`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import groundlink
from groundlink import interrupt

from .conftest import ROOT, SPECS
from .terminal import sigint_as_a_terminal_leaves_it

CONSOLE_SCRIPT = Path(sys.executable).with_name("groundlink")
PACKAGE = str(Path(groundlink.__file__).parent)
# the modules that run before the handler is in place, and only at their top level
BEFORE_THE_HANDLER = ("__init__.py", "console.py", "interrupt.py", "errors.py", CONSOLE_SCRIPT.name)
DELAYS = (0.0, 0.02, 0.05, 0.1, 0.2, 0.5)


# A plan takes seconds; one still running this long after its Ctrl-C hangs.
HANG_SECONDS = 60


def _interrupted_at(delay: float) -> tuple[int, str]:
    with sigint_as_a_terminal_leaves_it():
        process = subprocess.Popen(
            [str(CONSOLE_SCRIPT), "plan", str(SPECS / "noaa20.yaml"), "--cloud", "aws"],  # seconds long
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # a hang is reported with where every thread of the command stood (faulthandler's
            # dump on SIGABRT, below), not as a bare timeout
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
    _wait_until_executed(process.pid)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, err = process.communicate(timeout=30)
        pytest.fail(f"Ctrl-C {delay} s into plan: still running {HANG_SECONDS} s later; its threads:\n{err[-6000:]}")
    return process.returncode, err


def _wait_until_executed(pid: int) -> None:
    """A signal sent between fork and exec reaches the test's own Python, which swallows it,
    and the plan then runs to exit 0: no user can press Ctrl-C before the program exists."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    deadline = time.monotonic() + 10
    while str(CONSOLE_SCRIPT) not in cmdline.read_bytes().decode(errors="replace").split("\0"):
        assert time.monotonic() < deadline, "the console script never started"
        time.sleep(0.001)


def _before_groundlink_ran(code: int, err: str) -> bool:
    """The signal came during the interpreter's start-up, before the handler could exist."""
    if code == -signal.SIGINT and err == "":
        return True
    if code == 1 and err == "KeyboardInterrupt\n":  # raised with no Python frame on the stack: the
        return True  # interpreter's own start-up (a frame of groundlink's would print a traceback)
    if "Traceback" not in err:
        return False
    frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', err)
    ours = [(Path(path), where) for path, where in frames if path.startswith(PACKAGE) or path == str(CONSOLE_SCRIPT)]
    if ours and ours[-1] == (Path(interrupt.__file__), "install"):  # the innermost: the handler not set yet
        ours = ours[:-1]
    return all(where == "<module>" and path.name in BEFORE_THE_HANDLER for path, where in ours)


def test_ctrl_c_at_any_moment_of_start_up_exits_130_with_one_line():
    outcomes = [(delay, *_interrupted_at(delay)) for delay in DELAYS]
    handled = [(delay, code, err) for delay, code, err in outcomes if not _before_groundlink_ran(code, err)]
    assert handled, outcomes  # the later signals reach groundlink's code
    for delay, code, err in handled:
        assert (code, err) == (130, "groundlink: interrupted\n"), (delay, code, err[-2000:])


@pytest.fixture
def sigint_restored():
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def test_an_inherited_ignore_of_ctrl_c_is_kept(sigint_restored):
    """Started with SIGINT ignored (a script's background job), groundlink keeps ignoring it,
    as the interpreter does: the terminal's Ctrl-C is not meant for it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    interrupt.install()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    interrupt.hand_to_python()
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_ctrl_c_is_taken_over_when_the_terminal_delivers_it(sigint_restored, monkeypatch):
    monkeypatch.setattr(interrupt, "_count", interrupt.count())  # restored after the test
    signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupt.install()
    assert signal.getsignal(signal.SIGINT) is interrupt.leave_at_once
    interrupt.hand_to_python()
    assert signal.getsignal(signal.SIGINT) is interrupt.raise_interrupt
    with pytest.raises(KeyboardInterrupt):
        interrupt.raise_interrupt(signal.SIGINT, None)
    assert interrupt.received()


def test_the_console_script_takes_the_stop_signals_over_after_importing_only_signal():
    """Until `install` runs, a Ctrl-C ends in a traceback from the middle of an import: the
    console script gets there importing nothing the interpreter has not loaded already but
    `signal` (an import of threading there once left a window a probe hit 6 times in 200)."""
    code = (
        "import sys; before = set(sys.modules); import groundlink.console; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    # `signal` may be loaded already (a coverage start-up hook imports it)
    assert set(found.stdout.split()) - {"signal"} == {"groundlink", "groundlink.console", "groundlink.interrupt"}


def test_terminations_are_taken_over_at_start_and_raise_while_a_command_runs(sigint_restored, monkeypatch):
    """SIGTERM and SIGHUP end a command as Ctrl-C does: at start-up in one line (`leave_at_once`),
    while it runs by raising where it is (`Terminated`), and the handlers a command line run
    in-process replaced are put back when it returns. An inherited ignore (nohup) stays."""
    before = {number: signal.getsignal(number) for number in interrupt.TERMINATIONS}
    try:
        monkeypatch.setattr(interrupt, "_count", interrupt.count())
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        interrupt.install()
        assert signal.getsignal(signal.SIGTERM) is interrupt.leave_at_once
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        interrupt.hand_to_python()
        assert signal.getsignal(signal.SIGTERM) is interrupt.raise_termination
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
        with pytest.raises(interrupt.Terminated) as raised:
            signal.raise_signal(signal.SIGTERM)
        assert raised.value.signum == signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is interrupt.note_interrupt  # its clean-up runs to the end
        signal.raise_signal(signal.SIGTERM)  # a second one: counted, not raised
        interrupt.take_back()
        assert signal.getsignal(signal.SIGTERM) is interrupt.leave_at_once
        assert (interrupt.line(signal.SIGTERM), interrupt.exit_code(signal.SIGTERM)) == (
            "groundlink: stopped by SIGTERM",
            143,
        )
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


def _traceback(*frames: tuple[str, str]) -> str:
    lines = [f'  File "{path}", line 1, in {where}\n    ...\n' for path, where in frames]
    return "Traceback (most recent call last):\n" + "".join(lines) + "KeyboardInterrupt\n"


def test_only_a_signal_before_the_handler_is_set_may_end_in_a_traceback():
    """The start-up test's judge: a traceback through the console script's first imports, down to
    `install` before its handler is set, is the interpreter's own answer; one through any code
    that runs after the handover (the command line's `main`) is a failure of groundlink's."""
    script, console, interrupt_py = str(CONSOLE_SCRIPT), f"{PACKAGE}/console.py", interrupt.__file__
    outside = "/usr/lib/python3.11/signal.py"
    assert _before_groundlink_ran(
        -2, _traceback((script, "<module>"), (console, "<module>"), (interrupt_py, "install"), (outside, "getsignal"))
    )
    assert _before_groundlink_ran(
        -2, _traceback((script, "<module>"), (interrupt_py, "<module>"), (outside, "<module>"))
    )
    assert not _before_groundlink_ran(-2, _traceback((script, "<module>"), (f"{PACKAGE}/cli.py", "main")))
    assert not _before_groundlink_ran(
        -2, _traceback((script, "<module>"), (interrupt_py, "install"), (console, "entry"))
    )
    assert not _before_groundlink_ran(130, "groundlink: interrupted\n")
