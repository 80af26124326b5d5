"""Ctrl-C, SIGTERM and SIGHUP: one line, the exit status a shell reports for the signal
(130, 143, 129), and nothing the command started or half-wrote left behind.

While a command runs, Ctrl-C raises KeyboardInterrupt, and a termination (SIGTERM from `kill`,
`timeout`, systemd or `docker stop`; SIGHUP when the terminal closes) raises `Terminated` (an
import under way first runs to its end: `_stop`), so that whatever the command started (worker
processes, the policy pack's engine) is stopped and what it was writing is removed on the way
out. Before that point there is nothing to stop,
but the imports take a while, and an interrupt there used to end in a bare KeyboardInterrupt
traceback. So the console script installs `leave_at_once` before anything else, the command
line hands the signals back to Python once its own handling is in place, and takes them again
when the command has returned. A signal whoever started groundlink told it to ignore (a
script's background job ignores SIGINT, `nohup` SIGHUP) stays ignored. Only the standard
library's `signal` is imported here, to keep the start that no handler covers short.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

MESSAGE = "groundlink: interrupted"
# What ends a command from outside: Ctrl-C, and the terminations where the platform has them.
TERMINATIONS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
STOPS = (signal.SIGINT, *TERMINATIONS)
STOP_CODES = frozenset(128 + number for number in STOPS)  # as a shell reports them
# The timer that delivers a stop signal which came during an import (`_deferred`), where the
# platform has one.
DEFERRAL = getattr(signal, "SIGALRM", None)
HELD = (*STOPS, *((DEFERRAL,) if DEFERRAL is not None else ()))  # what `held` holds back
DEFERRAL_POLL = 0.005  # seconds between looks at whether the import has ended
IMPORT_MACHINERY = "<frozen importlib._bootstrap>"  # the code every import runs in


class Terminated(BaseException):
    """SIGTERM or SIGHUP reached the running command: raised where the run is, like Ctrl-C's
    KeyboardInterrupt, so its clean-up runs (not an Exception: nothing on the way takes it for
    a failure)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def unwind_on_termination() -> None:
    """For the project's own scripts (the benchmarks, the breaks run), which hold temporary
    copies in `with` blocks: SIGTERM or SIGHUP (a `timeout`, a cancelled CI job, a closed
    terminal) raises SystemExit with the signal's status where the script is, so the blocks
    remove what they made; the default ended the process on the spot and left a copy of the
    tree in /tmp for each stopped run. A signal whoever started the script ignores stays ignored."""

    def unwind(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(exit_code(signum))

    for number in TERMINATIONS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, unwind)


def line(signum: int) -> str:
    """The one line a stop signal ends a command with."""
    return MESSAGE if signum == signal.SIGINT else f"groundlink: stopped by {signal.Signals(signum).name}"


def exit_code(signum: int) -> int:
    return 128 + signum


_written: int | None = None  # the stop signal whose line the running command has written


def written(signum: int) -> None:
    """The command has written the line of this stop signal (the command line's `_stopped`)."""
    global _written
    _written = signum


class held:
    """The stop signals held back inside a `with` block, delivered when it ends (POSIX signal
    masks; elsewhere nothing is held): while plan workers are forked, and while the command
    writes its one line. The timer of a deferred one (`_defer`) is held with them. Only
    `signal` is imported here: no contextlib."""

    def __enter__(self) -> held:
        self._previous = (
            signal.pthread_sigmask(signal.SIG_BLOCK, set(HELD)) if hasattr(signal, "pthread_sigmask") else None
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._previous)


def leave_at_once(signum: int, frame: FrameType | None) -> None:
    """Write the one line and end the process: nothing has been started that needs stopping.
    Once the command has written its line, a later stop signal ends the process with that
    line's exit status and writes nothing: a Ctrl-C that reached the whole process group can
    arrive late from a member (a plan worker that was slow to run), and it printed the line a
    second time."""
    if _written is None:
        os.write(2, f"{line(signum)}\n".encode())
        os._exit(exit_code(signum))
    os._exit(exit_code(_written))


def settled() -> None:
    """Registered with atexit before the command runs, so it runs after every other exit
    function: from here on a Ctrl-C is ignored and the exit status is the command's. The
    interpreter's own shutdown then puts the handlers Python set back to the default, and a
    Ctrl-C in its last milliseconds killed the finished command by SIGINT, with no line; an
    ignore is kept through it. Until this point (the non-daemon threads joined, the other exit
    functions) `leave_at_once` still ends a shutdown that hangs. A termination then ends the
    process as it ends any other (the default action). An inherited ignore stays as it is."""
    if signal.getsignal(signal.SIGINT) is leave_at_once:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in TERMINATIONS:
        if signal.getsignal(number) is leave_at_once:
            signal.signal(number, signal.SIG_DFL)


def install() -> None:
    """Take the stop signals over, unless whoever started groundlink told it to ignore one (a
    background job of a script ignores SIGINT, `nohup` SIGHUP): that choice is inherited and
    kept, as the interpreter itself keeps it, so a signal meant for the foreground never stops
    a job that was started to outlive it."""
    for number in STOPS:
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, leave_at_once)


_count = 0  # stop signals received in this process
_count_at_start = 0  # the count when the running command started (`forget`)
_last = int(signal.SIGINT)  # the latest stop signal raised
_noted = 0  # stop signals counted, not raised, since the last one raised
FORCE_AFTER = 2  # the third stop signal ends the process at once, its clean-up cut short
_handed: dict[int, object] = {}  # what `hand_to_python` replaced, put back by `take_back`


def _cleaning_up() -> None:
    """The first stop signal's clean-up runs to its end: later ones, of any kind, are counted,
    not raised. A terminal's Ctrl-C reaches the whole process group, and a second one (another
    keypress, or a group member passing it on late) raised in the middle of stopping the plan
    workers left the rest running, and in the middle of putting a contact's earlier products
    back, would have let them be deleted. A handler runs in the main thread, the one that may
    set handlers."""
    global _noted
    _noted = 0
    for number in STOPS:
        if signal.getsignal(number) in (raise_interrupt, raise_termination):
            signal.signal(number, note_interrupt)


def raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """KeyboardInterrupt, remembered: an extension module interrupted inside its own
    initialisation can turn it into another exception (an ImportError, a SystemError), and
    the command line still reports the run as interrupted (`received`). Raised once no import
    is running (`_stop`)."""
    _stop(signum, frame)


def raise_termination(signum: int, frame: FrameType | None) -> None:
    """Terminated, remembered as `raise_interrupt` remembers a Ctrl-C."""
    _stop(signum, frame)


def _stop(signum: int, frame: FrameType | None) -> None:
    """Remember the stop signal and raise its exception where the main thread is, unless it is
    importing a module: then once the outermost import has ended (`_deferred`).

    An exception raised in the middle of an import can leave the interpreter's own state
    broken. The provider SDKs build thousands of typing constructs while their modules load
    (every resource's annotations), through typing's C caches, and a Ctrl-C raised there once
    crashed the process with a segmentation fault a moment later, before its one line
    (2026-12-04: once in 500 interrupts placed over every moment of `plan`, inside
    `pulumi_aws`'s lazy submodule imports; scripts/interrupt_sweep.py). An import lasts
    milliseconds, and the largest about half a second, so the wait is short; a second and
    third Ctrl-C meanwhile still end the process at once (`note_interrupt`)."""
    global _count, _last, _stop_after
    _count += 1
    _last = signum
    _cleaning_up()
    for stop in tuple(_asked):
        try:  # noqa: SIM105 - no contextlib here (the module docstring)
            stop()
        except Exception:  # the work then ends as it would have: at its own end
            pass
    if _finishing:  # raised as the `finishing` block ends
        _stop_after = True
        return
    if DEFERRAL is not None and _importing(frame):
        _defer()
        return
    raise stopping()


_asked: list[Callable[[], object]] = []  # what `asking` has each stop signal call


class asking:
    """`stop` is called at the first stop signal while the block runs, before the signal's
    exception is raised: work a library runs in threads of its own sees that exception only
    when it returns. DuckDB runs a query to its end (minutes, or hours) before it looks at
    Python's signals, and a Ctrl-C meant nothing until then; `DuckDBPyConnection.interrupt`
    ends it at once."""

    def __init__(self, stop: Callable[[], object]):
        self._stop = stop

    def __enter__(self) -> asking:
        _asked.append(self._stop)
        return self

    def __exit__(self, *exc: object) -> None:
        _asked.remove(self._stop)


_finishing = 0  # how deep the main thread is in `finishing` blocks
_stop_after = False  # a stop signal came inside one: raised as the outermost ends


class finishing:
    """A few steps done whole, and recorded as done, before a stop signal that comes meanwhile
    is raised: it is raised as the block ends, in the main thread, by the handler's own flag.
    `held`'s signal mask cannot do this where other threads run: the kernel hands a signal the
    main thread holds back to any thread that does not (pyarrow's and numpy's threads), and
    the interpreter raises it in the main thread at once. Where no handler of this module is
    installed (a cloud function), a signal does what it would have done."""

    def __enter__(self) -> finishing:
        global _finishing
        _finishing += 1
        return self

    def __exit__(self, failed: type[BaseException] | None, *rest: object) -> None:
        global _finishing, _stop_after
        _finishing -= 1
        if not _finishing and _stop_after:
            _stop_after = False
            if failed is None:  # an exception of the block itself goes on as it is
                raise stopping()


def _importing(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code.co_filename == IMPORT_MACHINERY:
            return True
        frame = frame.f_back
    return False


def _defer() -> None:
    """Look again every `DEFERRAL_POLL` seconds, in the main thread, until no import runs."""
    assert DEFERRAL is not None
    signal.signal(DEFERRAL, _deferred)
    signal.setitimer(signal.ITIMER_REAL, DEFERRAL_POLL, DEFERRAL_POLL)


def _deferred(signum: int, frame: FrameType | None) -> None:
    if _importing(frame):
        return
    _stop_deferring()
    raise stopping()


def raise_deferred() -> None:
    """Raise now a stop signal's exception that waits for an import to end (`_defer`), for code
    outside any import that is about to take `count()` as the baseline it watches for a stop
    signal against: the signal is counted already, and its exception, raised later inside what
    that code runs, could be taken by whatever catches it there (the Pulumi SDK's program runner
    does) with no change of the count left to notice."""
    if DEFERRAL is not None and signal.getsignal(DEFERRAL) is _deferred:
        _stop_deferring()
        raise stopping()


def _stop_deferring() -> None:
    """The timer is stopped and its signal ignored from here on, not set back to its default
    action: a tick already on its way (held back by `held`) would otherwise end the process."""
    if DEFERRAL is not None and signal.getsignal(DEFERRAL) is _deferred:
        signal.signal(DEFERRAL, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)


def note_interrupt(signum: int, frame: FrameType | None) -> None:
    """A stop signal after the first: counted, not raised, while the first one's clean-up runs.
    A clean-up that does not end (a process that will not stop, a huge directory to remove)
    still yields to insistence: the third signal ends the process at once, with the first
    one's line and exit status. What the clean-up did not reach stays (the plan workers and
    pack processes end with the process all the same; a contact's staging directory, earlier
    products in it, is reported by the next `process`)."""
    global _count, _noted
    _count += 1
    _noted += 1
    if _noted >= FORCE_AFTER:
        leave_at_once(_last, frame)


def count() -> int:
    """How many stop signals this process has received: work that must notice one arriving
    while it runs compares this with its value at the start (`received` may be left over from
    an earlier command run in the same process)."""
    return _count


def last() -> int:
    """The latest stop signal raised (SIGINT when none was)."""
    return _last


def stopping() -> BaseException:
    """The exception of the latest stop signal, for code that has to raise it again (a plan
    whose loop was stopped for it)."""
    return KeyboardInterrupt() if _last == signal.SIGINT else Terminated(_last)


def received() -> bool:
    """Whether a stop signal has reached the running command."""
    return _count != _count_at_start


def forget() -> None:
    """A new command starts: no stop signal has reached it yet (the command line run
    in-process, several times, by one caller)."""
    global _count_at_start, _last, _noted, _written
    _count_at_start = _count
    _last, _noted, _written = int(signal.SIGINT), 0, None


def swallowed_interrupt(unraisable: object, previous: object) -> None:
    """`sys.unraisablehook` while a command runs. Python cannot raise out of a weakref callback
    or `__del__`: a Ctrl-C arriving while one runs (a module lock's callback during an import)
    was printed as "Exception ignored in ..." and lost, and the command ran on to exit 0.
    `raise_interrupt` has remembered it (`received`), so it is not printed here, and the
    command line ends the run as interrupted when the command returns.

    Once a stop signal has reached the command, no other such report is printed either: it is
    the interruption's doing, not a fault of its own. An object whose constructor the
    interrupt broke off is still destroyed, and its destructor meets the attributes it never
    set (an asyncio event loop interrupted while it was being made printed an AttributeError
    from its `__del__` under the one line)."""
    if isinstance(getattr(unraisable, "exc_value", None), (KeyboardInterrupt, Terminated)):
        # nothing is being cleaned up for it, so the next one must raise again (only the main
        # thread may set a handler; this module imports no threading, to keep the start short)
        try:  # noqa: SIM105  (contextlib is not imported yet at start-up)
            _raising_again()
        except ValueError:  # another thread's weakref callback or __del__: the main thread's next one raises
            pass
        return
    if received():
        return
    previous(unraisable)  # type: ignore[operator]  # the hook that was in place, sys's own by default


def warned(previous: object, *shown: object, **named: object) -> None:
    """`warnings.showwarning` while a command runs: once a stop signal has reached it, a warning
    is the interruption's doing, as an unraisable report is (`swallowed_interrupt`). A Ctrl-C
    between the making of a coroutine and the task that would run it (inside the Pulumi SDK's
    registrations) left it to be destroyed unawaited, and Python printed "RuntimeWarning:
    coroutine ... was never awaited" over the one line."""
    if received():
        return
    previous(*shown, **named)  # type: ignore[operator]  # the function that was in place, warnings' own by default


def _raising_again() -> None:
    for number in STOPS:
        if signal.getsignal(number) is note_interrupt:
            signal.signal(number, raise_interrupt if number == signal.SIGINT else raise_termination)


def hand_to_python() -> None:
    """From here on Ctrl-C raises KeyboardInterrupt and a termination raises Terminated, where
    `install` had taken them over (the console script, `python -m groundlink.cli`). A caller
    running the command line in its own process keeps its own handling: a test's, or a host's
    SIGTERM that must still end the host. An ignore stays. `take_back` puts back what was
    replaced."""
    for number in STOPS:
        if signal.getsignal(number) in (leave_at_once, note_interrupt):
            try:
                signal.signal(number, raise_interrupt if number == signal.SIGINT else raise_termination)
            except ValueError:  # the command line run from another thread: the signal stays as it was
                continue
            _handed[number] = leave_at_once


def take_back() -> None:
    """Put back the handlers `hand_to_python` replaced (the command has returned), and drop a
    stop signal still waiting for an import to end (the command ended first, as interrupted:
    `received`)."""
    _stop_deferring()
    for number, previous in list(_handed.items()):
        if signal.getsignal(number) in (raise_interrupt, raise_termination, note_interrupt):
            signal.signal(number, previous)  # type: ignore[arg-type]  # a handler getsignal returned
        del _handed[number]
