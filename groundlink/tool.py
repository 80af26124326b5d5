"""How the tools run with `python -m` end: `groundlink.flexpackage` and `groundlink.functiondeps`
(`make flex-package`, `make function-deps`), as every command of the command line ends."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable

from . import interrupt


def run_tool(run: Callable[[], int]) -> None:
    """Run `run` and exit with its code: Ctrl-C with the one line and 130, SIGTERM or SIGHUP with
    theirs and 128 + the signal, what the tool was writing removed on the way out; a reader
    leaving the pipe early quietly, 141. The tools had ended in a KeyboardInterrupt traceback,
    died of SIGTERM without a word beside their temporary file, or in a BrokenPipeError."""
    interrupt.install()
    interrupt.hand_to_python()
    try:
        code = run()
        sys.stdout.flush()
    except KeyboardInterrupt:
        code = _said(signal.SIGINT)
    except interrupt.Terminated as stop:
        code = _said(stop.signum)
    except BrokenPipeError:  # what is left to write goes nowhere, not into another traceback
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = interrupt.exit_code(signal.SIGPIPE)
    finally:
        interrupt.take_back()
    sys.exit(code)


def _said(signum: int) -> int:
    with contextlib.suppress(OSError):  # the terminal is gone
        print(interrupt.line(signum), file=sys.stderr)
    interrupt.written(signum)
    return interrupt.exit_code(signum)
