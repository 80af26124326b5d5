"""Starting a command the way a terminal's shell does, for the Ctrl-C tests.

A shell starts a foreground command with SIGINT at its default. A test run started in the
background of a script (as CI may start it) inherits SIGINT ignored, and groundlink keeps an
inherited ignore, as Python does; a Ctrl-C test must not depend on how its runner was started.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def sigint_as_a_terminal_leaves_it() -> Iterator[None]:
    """Commands started within this block start with SIGINT at its default, as it is set here for
    the moment they are started (dispositions are inherited; only an ignore outlives exec).

    Not a `preexec_fn`: that runs Python in the child between fork and exec, and in a test
    process with other threads (gRPC channels to warm pack processes, their readers) the child
    could hang there, holding a lock some other thread had at the fork, and never exec.
    """
    previous = signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
