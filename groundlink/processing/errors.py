"""Errors a user can act on: one line each, naming the file and what is wrong with it."""

from __future__ import annotations

import stat
import sys
from pathlib import Path


def escaped(text: str) -> str:
    """`text` on one line, nothing cut: control characters (a newline in a name OLD's JSON holds,
    an escape sequence in a name a partner gave a capture) as their escapes. A byte of a file name
    that is not UTF-8 (a surrogate os.fsdecode made) is left for the terminal to get back as that
    byte, as `ls` prints it. Here, beside the processor's errors, so that the cloud runtimes,
    which package this module, print a partner's names through it too."""
    if text.isprintable():  # the usual case, without a pass per character
        return text
    return "".join(c if c.isprintable() or "\udc80" <= c <= "\udcff" else repr(c)[1:-1] for c in text)


# How every warning line of the processor and the runtimes begins (`warn`'s callers): Azure's
# frame-loss query leaves such lines out, as they may quote a partner's names
WARNING_PREFIXES = ("groundlink: ", "groundlink job: ")


def warn(line: str) -> None:
    """One line on stderr, escaped: a warning names a partner's object keys and file names, and
    a newline in one forged a log record of its own (a JSON line the frame-loss alarm's filter
    reads), an escape sequence cleared a terminal."""
    print(escaped(line), file=sys.stderr)


def file_kind(mode: int) -> str:
    """What a path whose `st_mode` is `mode` is, when it is not a regular file or a directory
    (`groundlink process` names a capture that is none; outputs name a target that is none)."""
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


class ProcessingError(Exception):
    """One or more problems that stop a contact from being processed; nothing was written."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


class CaptureError(Exception):
    """One capture file that cannot be read."""

    def __init__(self, path: Path, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.reason = path, message
