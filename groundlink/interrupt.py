"""Ctrl-C before a command has started: one line, exit 130, at once; after it has ended and
written its output, the command's own exit status.

While a command runs, Ctrl-C raises KeyboardInterrupt so that whatever it started (worker
processes, the policy pack's engine) is stopped on the way out. Before that point there is
nothing to stop, but the imports take a while, and an interrupt there used to end in a
bare KeyboardInterrupt traceback. So the console script installs `leave_at_once` before
anything else, the command line hands SIGINT back to Python once its own handling is in
place, and takes it again when the command has returned. Only the standard library is
imported here, to keep the start that no handler covers short.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

from .errors import EXIT_INTERRUPTED

MESSAGE = "groundlink: interrupted"


def leave_at_once(signum: int, frame: FrameType | None) -> None:
    """Write the one line and end the process: nothing has been started that needs stopping."""
    os.write(2, f"{MESSAGE}\n".encode())
    os._exit(EXIT_INTERRUPTED)


def settled() -> None:
    """The command has ended and its output is written: a Ctrl-C from here on is ignored, so the
    exit status is the command's. The interpreter's own shutdown puts the handlers Python set
    back to the default, and a Ctrl-C in its last milliseconds killed the finished command by
    SIGINT, with no line; an ignore is kept through it. An inherited ignore stays as it is."""
    if signal.getsignal(signal.SIGINT) is leave_at_once:
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def install() -> None:
    """Take Ctrl-C over, unless whoever started groundlink told it to ignore SIGINT (a
    background job of a script, `nohup`-style launchers): that choice is inherited and kept,
    as the interpreter itself keeps it, so the signal meant for the foreground never stops
    a job that was started to outlive it."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        return
    signal.signal(signal.SIGINT, leave_at_once)


_count = 0  # Ctrl-Cs raised in this process
_count_at_start = 0  # the count when the running command started (`forget`)


def raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """KeyboardInterrupt, remembered: an extension module interrupted inside its own
    initialisation can turn it into another exception (an ImportError, a SystemError), and
    the command line still reports the run as interrupted (`received`).

    Only the first one raises; later ones are only counted (`note_interrupt`), so the clean-up
    the first one started runs to its end. A terminal's Ctrl-C reaches the whole process
    group, and a second one (another keypress, or a group member passing it on late) raised
    in the middle of stopping the plan workers left the rest running, and in the middle of
    putting a contact's earlier products back, would have let them be deleted."""
    global _count
    _count += 1
    signal.signal(signal.SIGINT, note_interrupt)  # a handler runs in the main thread, the one that may set it
    raise KeyboardInterrupt


def note_interrupt(signum: int, frame: FrameType | None) -> None:
    """A Ctrl-C after the first: counted, not raised, while the first one's clean-up runs."""
    global _count
    _count += 1


def interrupted_and_cleaning_up() -> bool:
    """Whether a Ctrl-C has been raised and what it stops is being cleaned up: another way to
    stop the command (SIGTERM) must not cut that short either."""
    return signal.getsignal(signal.SIGINT) is note_interrupt


def count() -> int:
    """How many Ctrl-Cs have been raised in this process: work that must notice one arriving
    while it runs compares this with its value at the start (`received` may be left over from
    an earlier command run in the same process)."""
    return _count


def received() -> bool:
    """Whether Ctrl-C has reached the running command."""
    return _count != _count_at_start


def forget() -> None:
    """A new command starts: no Ctrl-C has reached it yet (the command line run in-process,
    several times, by one caller)."""
    global _count_at_start
    _count_at_start = _count


def swallowed_interrupt(unraisable: object, previous: object) -> None:
    """`sys.unraisablehook` while a command runs. Python cannot raise out of a weakref callback
    or `__del__`: a Ctrl-C arriving while one runs (a module lock's callback during an import)
    was printed as "Exception ignored in ..." and lost, and the command ran on to exit 0.
    `raise_interrupt` has remembered it (`received`), so it is not printed here, and the
    command line ends the run as interrupted when the command returns."""
    if isinstance(getattr(unraisable, "exc_value", None), KeyboardInterrupt):
        # nothing is being cleaned up for it, so the next Ctrl-C must raise again (only the main
        # thread may set a handler; this module imports no threading, to keep the start short)
        if interrupted_and_cleaning_up():
            try:  # noqa: SIM105  (contextlib is not imported yet at start-up)
                signal.signal(signal.SIGINT, raise_interrupt)
            except ValueError:  # another thread's weakref callback or __del__: the main thread's next one raises
                pass
        return
    previous(unraisable)  # type: ignore[operator]  # the hook that was in place, sys's own by default


def hand_to_python() -> None:
    """From here on Ctrl-C raises KeyboardInterrupt, where `install` had taken it over (a
    caller's own handler, as in a test calling the command line in-process, stays)."""
    if signal.getsignal(signal.SIGINT) in (leave_at_once, note_interrupt):
        signal.signal(signal.SIGINT, raise_interrupt)
