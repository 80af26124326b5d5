"""User-facing errors and the exit codes every command shares.

Libraries raise these (or their own errors: SpecError in groundlink.inputs, PlanError
below, PriceError) and never print or exit; the command line turns them into one line on stderr
and an exit code. Keeping them here lets any layer raise a user error without
importing the command line.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and found a problem: a mandatory policy violation, a parity failure
EXIT_USAGE = 2  # bad input: spec, flag, file; nothing was written
# an output that cannot be written: a --json or --out path, or stdout itself (`> /dev/full`);
# the code of bad input, as the command could not do what it was asked, never 1 ("found a problem")
EXIT_OUTPUT_FAILED = EXIT_USAGE
# a stop signal: 128 + its number, as a shell reports it (Ctrl-C 130, SIGTERM 143, SIGHUP 129):
# groundlink/interrupt.py, `exit_code`
EXIT_OUTPUT_CLOSED = 141  # the reader of stdout went away (`| head`), as a shell reports SIGPIPE


class UsageError(Exception):
    """A user-facing error: printed as is after `groundlink: `, exit 2."""


class PlanError(Exception):
    """The program failed under the offline engine (not a spec problem). Raised by
    `groundlink.engine`; defined here so that the command line catches it without importing
    the engine (commands that plan nothing start without the provider SDKs)."""
