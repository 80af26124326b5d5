"""Starting a command the way a terminal's shell does, for the Ctrl-C tests.

A shell starts a foreground command with SIGINT at its default. A test run started in the
background of a script (as CI may start it) inherits SIGINT ignored, and groundlink keeps an
inherited ignore, as Python does; a Ctrl-C test must not depend on how its runner was started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


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


@contextmanager
def default_terminations() -> Iterator[None]:
    """Commands started within this block start with SIGTERM and SIGHUP at their defaults, as a
    terminal's shell starts them (a runner started under nohup hands SIGHUP down ignored)."""
    previous = {number: signal.signal(number, signal.SIG_DFL) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@dataclass
class GroupRun:
    returncode: int | None
    out: str
    err: str
    survivors: str  # pgrep's lines for processes of the group still there at the end; '' when none


def run_in_its_own_group(argv: list[str], cwd: object, timeout: float, survivors_within: float = 10.0) -> GroupRun:
    """Run a command as a terminal's foreground job: its own process group, SIGINT at its
    default. Its output is read to the end, which comes only once every process holding its
    pipes (the command's forked workers too) has ended; then the group is killed, so that no
    survivor outlives the test whatever it asserts."""
    with sigint_as_a_terminal_leaves_it():
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
    try:
        out, err = process.communicate(timeout=timeout)
        survivors = group_members(process.pid, survivors_within)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    return GroupRun(process.returncode, out, err, survivors)


def group_members(group: int, within: float = 10.0) -> str:
    """Processes still running in the process group once those being stopped had time to exit
    (on a loaded machine a terminated worker can take more than half a second): one line per
    process, '' when none. A zombie has ended (only its exit status is left to collect), so it
    is not counted."""
    deadline = time.monotonic() + within
    while True:
        found = "".join(f"{pid} {state}\n" for pid, state in _in_group(group))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def _in_group(group: int) -> list[tuple[int, str]]:
    return [(p.pid, p.state) for p in running_processes() if p.group == group]


@dataclass(frozen=True)
class ProcessEntry:
    pid: int
    state: str  # R, S, D, T...; never Z (running_processes leaves zombies out)
    parent: int
    group: int

    def cmdline(self) -> str | None:
        """The command line, None once the process has gone."""
        try:
            return (Path("/proc") / str(self.pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return None


def running_processes() -> list[ProcessEntry]:
    """Every process of the machine that has not ended, from /proc: a zombie has ended (only its
    exit status is left to collect), so it is not listed."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if fields[0] != "Z":
            found.append(ProcessEntry(int(entry.name), fields[0], int(fields[1]), int(fields[2])))
    return found
