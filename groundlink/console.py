"""The `groundlink` console script's entry: Ctrl-C is taken over before any other import,
so an interrupt during start-up ends like any other (one line, exit 130), not in a
KeyboardInterrupt traceback from the middle of an import."""

from __future__ import annotations

from .interrupt import install

install()


def entry() -> None:
    from .cli import entry as run_command_line

    run_command_line()
