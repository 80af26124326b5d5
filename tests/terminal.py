"""Starting a command the way a terminal's shell does, for the Ctrl-C tests.

A shell starts a foreground command with SIGINT at its default. A test run started in the
background of a script (as CI may start it) inherits SIGINT ignored, and groundlink keeps an
inherited ignore, as Python does; a Ctrl-C test must not depend on how its runner was started.
"""

from __future__ import annotations

import signal


def sigint_as_a_terminal_leaves_it() -> None:
    """`preexec_fn` of the command under test: SIGINT back at its default before exec."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
