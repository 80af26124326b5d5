"""The file and directory arguments of a command, checked and prepared before it runs.

Each command declares which of its arguments it reads and which it writes (`cli.Command.paths`),
and `prepared` applies the same three rules to all of them, before anything is read or planned:

- An empty value is refused: `Path('')` is the current directory, so `--json ''` wrote
  nothing and said nothing, and `--out ''` was reported as the working directory.
- An output that is one of the inputs is refused (`refuse_overwriting`): a plan written over
  `--against` made the diff compare the plan with itself ("no changes", exit 0, whatever the
  edit destroys), and one written over the spec lost the spec.
- A spec or an OLD given as a pipe, a FIFO or a device is read once, into a private temporary
  file removed when the command ends: a command reads its spec several times (validation,
  the Pulumi program, the plan workers, the policy pack) and the program needs a file path;
  a pipe read twice is empty the second time. Messages name what the user gave (`shown`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, NoReturn

from .errors import UsageError
from .inputs import InputError
from .outputs import lies_under, lookup_problem

SPEC = "spec"  # read: a mission spec, read again and again (copied once when not a file)
OLD = "old"  # read: a spec, a plan or a checkpoint, read twice (copied once when not a file)
INPUT = "input"  # read once: a file whose problems are lines naming it (`FILE: ...`)
INPUT_DIR = "input_dir"  # read: a directory, whose problems are the command's usage errors (`groundlink: DIR: ...`)
FILE = "file"  # written: a file
DIR = "dir"  # written: a directory, replaced whole
INTO = "into"  # written: a directory written into, whose command keeps it apart from its inputs itself
READS = (SPEC, OLD, INPUT, INPUT_DIR)


class PathArg(NamedTuple):
    flag: str  # as the user writes it: "--json", or a positional argument's name ("spec")
    role: str  # SPEC, OLD, INPUT, INPUT_DIR, FILE, DIR or INTO

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def label(self) -> str:
        """The argument as a message names the input it holds: "the spec", "the --against file"."""
        return f"the {self.flag} file" if self.flag.startswith("-") else f"the {self.flag}"


def _values(args: argparse.Namespace, arg: PathArg) -> list[str]:
    value = getattr(args, arg.dest, None)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _same_file(output: str, given: str) -> bool:
    """`output` names the regular file `given` names (through links, `..` or a descriptor).
    Two names for one pipe or terminal lose nothing when written."""
    try:
        return os.path.samefile(output, given) and stat.S_ISREG(os.stat(given).st_mode)
    except (OSError, ValueError):  # either does not exist (yet): a new output replaces no input
        return False


def refuse_overwriting(output: Path, flag: str, inputs: Sequence[tuple[str, str]], directory: bool = False) -> None:
    """UsageError when writing `output` (a file, or a `directory` replaced whole) would replace
    one of `inputs` ((label, path as given) pairs) before, or while, the command reads it."""
    for label, given in inputs:
        if lies_under(given, output) if directory else _same_file(str(output), given):
            if directory:
                raise UsageError(
                    f"{flag} {output}: holds {label} ({given}), lost when it is replaced; choose another directory"
                )
            raise UsageError(
                f"{flag} {output}: is {label} ({given}); writing it would lose that input; choose another file"
            )


def inputs_of(args: argparse.Namespace) -> Sequence[tuple[str, str]]:
    """The (label, path as given) inputs `prepared` recorded, for a command that derives more
    output paths from one (plan --cloud both --json NAME: NAME-aws.json, NAME-azure.json)."""
    recorded: Sequence[tuple[str, str]] = getattr(args, "path_inputs", ())
    return recorded


def shown(args: argparse.Namespace, text: str) -> str:
    """`text` with each private copy's path replaced by what the user gave for it."""
    for copy, given in getattr(args, "given_names", {}).items():
        text = text.replace(copy, given)
    return text


def copied_from(args: argparse.Namespace, value: str | None) -> str | None:
    """What the user gave, when `value` is the path of the private copy `prepared` made of it;
    None for any other value (what the user gave is then `value` itself)."""
    names: dict[str, str] = getattr(args, "given_names", {})
    return names.get(value) if value is not None else None


def _needs_copy(given: str) -> bool:
    """A path that exists and is neither a file nor a directory: a pipe, a FIFO, a device."""
    try:
        mode = os.stat(given).st_mode
    except (OSError, ValueError):
        return False  # the reader reports it, in its own words
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _copy_name(given: str, role: str, head: bytes) -> str:
    """The private copy's file name. Readers tell a spec from a plan by the suffix: a SPEC is a
    spec; an OLD keeps the user's suffix, or without one is a plan or a checkpoint when its text
    starts as a JSON object does."""
    name = Path(given).name or "input"
    suffix = Path(given).suffix.lower()
    if role == SPEC:
        return name if suffix in (".yaml", ".yml") else f"{name}.yaml"
    if suffix in (".yaml", ".yml", ".json"):
        return name
    return f"{name}.json" if head.lstrip().startswith(b"{") else f"{name}.yaml"


def _stream(given: str) -> tuple[int, int] | None:
    """Which pipe, FIFO or device `given` is (`/dev/stdin` and `/dev/fd/0` are one)."""
    try:
        found = os.stat(given)
    except (OSError, ValueError):
        return None
    return found.st_dev, found.st_ino


def _copy(given: str, role: str, directory: Path, read: dict[tuple[int, int], bytes]) -> Path | None:
    """`given`'s bytes in a file under `directory`; None when it cannot be opened (its reader
    then says why). More than its reader takes (a device that never ends, a pipe of the wrong
    file) is refused here, in the reader's words: what is left in a pipe is no input to judge.
    A stream is read once: given again (`diff /dev/stdin /dev/stdin`), its bytes are those `read`
    holds from the first time, where a second read found the pipe empty."""
    from .diff.state import MAX_STATE_BYTES, StateError
    from .inputs import MAX_FILE_BYTES, InputTooLarge
    from .spec import SpecError

    limit = MAX_FILE_BYTES if role == SPEC else MAX_STATE_BYTES
    stream = _stream(given)
    if stream is not None and stream in read:
        data = read[stream]
    else:
        try:
            with open(given, "rb") as source:
                data = source.read(limit + 1)
        except OSError:
            return None
        if stream is not None:
            read[stream] = data
    if len(data) > limit:
        if role == SPEC:
            raise SpecError(given, [f"{given}: {InputTooLarge(limit)}; not a mission spec"])
        raise StateError(f"{given}: {InputTooLarge(limit)}")
    copy = directory / _copy_name(given, role, data[:64])
    copy.write_bytes(data)
    return copy


def keep_empty(parser: argparse.ArgumentParser, declared: Sequence[PathArg]) -> None:
    """Let an empty value of a `declared` argument reach `prepared` as given: a `type=Path`
    would turn it into `.`, the current directory, and the command would use that."""
    dests = {arg.dest for arg in declared}
    for action in parser._actions:
        convert = action.type
        if action.dest in dests and callable(convert):
            action.type = functools.partial(_unless_empty, convert)


def _unless_empty(convert: Callable[[str], object], value: str) -> object:
    return value if value == "" else convert(value)


def _leave_a_deleted_directory(values: Sequence[tuple[PathArg, str]]) -> None:
    """A command started in a directory deleted since (a shell left in a report directory that a
    later compare replaced, or in `out/demo` after `make demo`) runs from `/` when every path it
    was given is absolute: the plan workers, the policy pack and DuckDB each need a working
    directory, and the report's check against it raised FileNotFoundError. A relative path
    has nothing left to be relative to, and is refused by name."""
    try:
        os.getcwd()
        return
    except FileNotFoundError:
        pass
    for arg, value in values:
        if not os.path.isabs(value):
            raise UsageError(
                f"{arg.flag} {value}: a relative path, and the current directory no longer exists; "
                "cd to an existing directory or give an absolute path"
            )
    os.chdir("/")


def _refuse_unusable(arg: PathArg, value: str) -> None:
    """One line (`_refuse`) for a path the system cannot even look up: longer than PATH_MAX or with a name
    longer than NAME_MAX (ENAMETOOLONG), behind a directory this process may not search (EACCES),
    a loop of symbolic links (ELOOP). pathlib's `exists` and `is_dir` raise some of those instead
    of answering, which ended commands in a traceback, and a loop given as --json was replaced
    by a file. A path that is not there is for the command to judge, but a name too long to be
    created is refused now, before anything is read."""
    named = f"{arg.flag} {value}" if arg.flag.startswith("-") else value
    problem = lookup_problem(Path(value))
    if problem is not None:
        _refuse(arg, named, problem)


def _refuse(arg: PathArg, named: str, why: str) -> NoReturn:
    """As the command's own errors about that argument are worded: a file read is a line naming
    it (as a spec's, a plan's or a price file's problems are), anything else a usage error."""
    if arg.role in (SPEC, OLD, INPUT):
        raise InputError(f"{named}: cannot read ({why})")
    raise UsageError(f"{named}: cannot {'read' if arg.role in READS else 'write'} ({why})")


@contextlib.contextmanager
def prepared(args: argparse.Namespace, declared: Sequence[PathArg]) -> Iterator[None]:
    """Check the `declared` path arguments of `args` and, for the block, swap a private copy
    in for each SPEC or OLD that is no file (see the module's docstring)."""
    values = [(arg, value) for arg in declared for value in _values(args, arg)]
    for arg, value in values:
        if not value:
            kind = {FILE: "a file path", DIR: "a directory path", INTO: "a directory path"}.get(arg.role, "a path")
            raise UsageError(f"{arg.flag}: an empty path; give {kind}")
        if value == "-" and arg.role in READS and not os.path.lexists(value):
            # as `--json -` is refused: `-` is no name of standard input here, /dev/stdin is
            if arg.role == INPUT_DIR:  # a directory: standard input is none, under any name
                raise UsageError(f"{arg.flag} -: standard input is not a directory; give a directory path")
            raise UsageError(f"{arg.flag} -: standard input is not a file here; give a file path (or /dev/stdin)")
    _leave_a_deleted_directory(values)
    for arg, value in values:
        _refuse_unusable(arg, value)
    inputs = [(arg.label, value) for arg, value in values if arg.role in READS]
    args.path_inputs = inputs
    for arg, value in values:
        if arg.role in (FILE, DIR):
            refuse_overwriting(Path(value), arg.flag, inputs, directory=arg.role == DIR)
    args.given_names = {}
    copies: list[Path] = []  # a private directory per copy, removed with it
    read: dict[tuple[int, int], bytes] = {}  # each stream's bytes, read once
    try:
        for arg, value in values:
            if arg.role in (SPEC, OLD) and _needs_copy(value):
                copies.append(Path(tempfile.mkdtemp(prefix="groundlink-piped-")))
                copy = _copy(value, arg.role, copies[-1], read)
                if copy is not None:
                    setattr(args, arg.dest, str(copy))
                    args.given_names[os.path.realpath(copy)] = value  # first: it may hold the other
                    args.given_names[str(copy)] = value
        yield
    finally:
        for directory in copies:
            shutil.rmtree(directory, ignore_errors=True)
