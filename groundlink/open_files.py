"""How many files a command may hold open at once: raised, at its start, to what the system allows.

A command holds several descriptors per thing it runs: the Pulumi SDK's event loop and gRPC
channels, the policy pack's server and its pipes, the plan workers' pipes, DuckDB's files. Under a
low soft limit (`ulimit -n 20`) `compare` ended in pages of tracebacks from the SDK's tasks ("Too
many open files"), with no line saying what to do. The soft limit is any process's own to raise,
up to the hard one, so a command raises it (as Go's runtime does for every program); the processes
it starts inherit it. A hard limit too low for any command is refused in one line, before anything
is read or started.
"""

from __future__ import annotations

import resource

from .errors import UsageError

# Enough for every command with room to spare: the largest measured need (`compare` of
# specs/constellation.yaml, its two plan workers and the policy pack at once) is 24. The raise
# stops here: a process holding more than FD_SETSIZE (1024) descriptors breaks any library
# that still waits with select(), and no command needs that many.
WANTED = 1024
# The least a command is let start with: measured on 2026-12-08, `compare` of
# specs/constellation.yaml, and `process` and `query` of `make demo`'s contacts, each ran at 24
# and `compare` failed at 20; the rest is margin for larger specs and contacts, whose files are
# read one at a time.
NEEDED = 64


def _below(limit: int, floor: int) -> bool:
    return limit != resource.RLIM_INFINITY and limit < floor


def raise_open_file_limit() -> None:
    """Raise this process's soft limit of open files towards WANTED, as far as the hard limit
    lets it; UsageError when even the hard limit is below NEEDED."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if _below(soft, WANTED):
        target = WANTED if not _below(hard, WANTED) else hard
        if target > soft:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
                soft = target
            except (ValueError, OSError):  # a sandbox that refuses the raise: judged as it is
                pass
    if _below(soft, NEEDED):
        raise UsageError(
            f"this shell lets a process open {soft} files at once (ulimit -n), at most {hard}; "
            f"groundlink needs {NEEDED}: run `ulimit -n {NEEDED}` (or higher) first"
        )


def out_of_descriptors(error: OSError) -> str | None:
    """The one line for an `error` that is the process's or the system's file table being full
    (EMFILE, ENFILE); None for any other."""
    import errno

    if error.errno == errno.EMFILE:
        limit, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        return f"too many open files: this process may open {limit} (ulimit -n); raise the limit and run again"
    if error.errno == errno.ENFILE:
        return "too many open files on this system (its file table is full); close other programs and run again"
    return None
