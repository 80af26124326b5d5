"""`groundlink`: one mission spec, planned, checked and compared on AWS and Azure.

Every user error (bad spec, bad flag value, unreadable file) ends as one line
per problem on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import codecs
import contextlib
import difflib
import errno
import gc
import importlib
import io
import os
import re
import signal
import sys
import typing
import warnings
from collections.abc import Callable
from typing import NamedTuple

from . import interrupt
from .errors import EXIT_OK, EXIT_OUTPUT_CLOSED, EXIT_OUTPUT_FAILED
from .path_args import DIR, FILE, INPUT, INPUT_DIR, INTO, OLD, SPEC, PathArg, keep_empty


class Command(NamedTuple):
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    imports_first: tuple[str, ...] = ()  # Rust extensions it imports (see IMPORTED_BY_EVERY_COMMAND)
    # the paths it reads and writes, checked (and a piped spec copied) before it runs: groundlink.path_args
    paths: tuple[PathArg, ...] = ()


def commands() -> tuple[Command, ...]:
    """Every subcommand, in the order `groundlink --help` lists them; adding one is one line here.
    Imported when the command line runs, so that Ctrl-C during start-up is handled like any other."""
    from .app import check_command, compare, diff_command, preflight_command, processing_commands, spec_commands

    spec, against = PathArg("spec", SPEC), PathArg("--against", OLD)
    return (
        Command(
            "validate",
            "check mission specs; one line per problem, exit 2 if any",
            spec_commands.configure_validate,
            spec_commands.validate,
            paths=(PathArg("spec", INPUT),),  # each read once, whatever it is
        ),
        Command("schema", "print the mission spec JSON Schema", spec_commands.configure_schema, spec_commands.schema),
        Command(
            "plan",
            "offline plan of a spec on a cloud (no CLI, no credentials)",
            spec_commands.configure_plan,
            spec_commands.plan,
            paths=(spec, against, PathArg("--json", FILE)),
        ),
        Command(
            "check",
            "run the policy pack offline over the Analyzer protocol",
            check_command.configure,
            check_command.run,
            imports_first=("jsonschema",),  # the pack's configuration
            paths=(spec, against, PathArg("--policy-pack-config", INPUT), PathArg("--json", FILE)),
        ),
        Command(
            "compare",
            "compare both clouds side by side: parity, cost, report",
            compare.configure,
            compare.run,
            imports_first=("jsonschema",),  # the pack's configuration
            paths=(
                spec,
                against,
                PathArg("--prices", INPUT),
                PathArg("--policy-pack-config", INPUT),
                PathArg("--out", DIR),
            ),
        ),
        Command(
            "process",
            "process a contact's capture files into frame streams, a frame index and a summary",
            processing_commands.configure_process,
            processing_commands.run_process,
            paths=(PathArg("contact_dir", INPUT_DIR), PathArg("--out", INTO)),
        ),
        Command(
            "query",
            "SQL (DuckDB) over a products directory, the local stand-in for Athena and Synapse",
            processing_commands.configure_query,
            processing_commands.run_query,
            paths=(PathArg("products_dir", INPUT_DIR),),
        ),
        Command(
            "preflight",
            "check a spec's plans against the provider schemas and the cloud APIs; exit 1 on any finding",
            preflight_command.configure,
            preflight_command.run,
            paths=(spec,),
        ),
        Command(
            "diff",
            "what applying a spec does to a deployed stack: create, update, replace, delete",
            diff_command.configure,
            diff_command.run,
            paths=(PathArg("old", OLD), PathArg("new", SPEC)),
        ),
    )


def _version() -> str:
    """The installed distribution's version (pyproject.toml), as `pip show groundlink` gives it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("groundlink")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


class _StoreOnce(argparse._StoreAction):
    """An option that takes one value, refused when given twice: argparse kept the last without
    a word, so a second `--against` (a copy of the spec) took the data-loss gate away, and a
    second `--json` left the first file unwritten. Repeatable options say so (`append`)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: typing.Any,
        option_string: str | None = None,
    ) -> None:
        given = getattr(parser, "_given_once", None)
        if given is not None:
            if self.dest in given:
                parser.error(f"{'/'.join(self.option_strings)} is given twice; give it once")
            given.add(self.dest)
        super().__call__(parser, namespace, values, option_string)


class _OneLineErrors(argparse.ArgumentParser):
    """A misused command line is one line, as every other bad input is (argparse printed its
    usage, several lines, above the error): what is wrong, and where the usage is. The
    subcommands' parsers are of this class too (add_subparsers takes the parser's own)."""

    _given: tuple[str, ...] = ()  # the command line parse_args was given (the top-level parser's)
    _taken_sql: str | None = None  # the SQL a `query` line gave, for the hint on words left over

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("action", None, _StoreOnce)
        self.register("action", "store", _StoreOnce)
        self._given_once: set[str] = set()  # the one-value options given in the parse under way

    def parse_known_args(  # type: ignore[override]  # one signature for argparse's overloads
        self, args: typing.Sequence[str] | None = None, namespace: typing.Any = None
    ) -> typing.Any:
        self._given_once = set()  # each parse of the words counts afresh (the intermixed one again)
        return super().parse_known_args(args, namespace)

    def _unplaced(self) -> list[str]:
        """The words of the command line this parser could not take as one of its options: not
        an option or an abbreviation of one argparse takes (`--ser` for `--serial`), not a
        negative number, not `--` nor a word after it (arguments, all of them)."""
        return self._unplaced_of(self._given[: self._given.index("--")] if "--" in self._given else self._given)

    def _unplaced_of(self, words: typing.Sequence[str]) -> list[str]:
        return [
            word
            for word in words
            if word.startswith("-")
            and len(word) > 1
            and not self._negative_number_matcher.match(word)  # argparse's own: a negative number
            and word.split("=")[0] not in self._option_string_actions
            and not self._get_option_tuples(word.split("=")[0])
        ]

    def _before(self, unknown: list[str]) -> list[str]:
        """The words of `unknown` that stand before the command line's first word that is no option."""
        first = next((i for i, word in enumerate(self._given) if not word.startswith("-")), len(self._given))
        return [word for word in self._given[:first] if word in unknown]

    def error(self, message: str) -> typing.NoReturn:
        where = self.prog.removeprefix("groundlink").strip()
        unknown = self._unplaced()
        if not where and message.startswith("the following arguments are required: command") and unknown:
            # `groundlink --versoin`: the flag is the mistake, not the command it stands before
            message = self._unrecognized(unknown)
        elif not where and message.startswith("argument command: invalid choice") and (before := self._before(unknown)):
            # `groundlink --cloud aws plan`: a command's option before the command, its value
            # taken for the command; the option is the mistake, and where it goes (a misspelt
            # command, its options after it, is the invalid choice argparse says)
            message = (
                f"{self._unrecognized(before)} (a command's options go after it: groundlink COMMAND {before[0]} ...)"
            )
        elif not where and (wrong := re.match(r"argument command: invalid choice: '(.*)' \(choose from ", message)):
            # `groundlink valdate`: a misspelt command is guessed as a misspelt option is
            commands = [c for a in self._actions if isinstance(a, argparse._SubParsersAction) for c in a.choices]
            close = difflib.get_close_matches(wrong.group(1).lower(), commands, n=1)
            message += f" (did you mean {close[0]}?)" if close else ""
        elif where and message.startswith("the following arguments are required:") and unknown:
            # `groundlink validate -dash.yaml`: argparse took the path for an option and missed the
            # spec; the word it could not place is the mistake to name
            message = self._unrecognized(unknown)
        elif where and message.startswith("argument ") and message.endswith("expected one argument"):
            # `--json -out.json`: a value starting with `-` reads as an option, and argparse said
            # no value was given
            flags = message.removeprefix("argument ").split(":")[0].split("/")
            # the option as typed (whole or abbreviated), before any `--`, after which no word is
            # an option: the bare `--` begins every flag, and the hint named the word after it
            # (`--against -old.yaml -- -new.yaml` said `--against=-new.yaml`)
            options = self._given[: self._given.index("--")] if "--" in self._given else self._given
            typed = [
                i
                for i, word in enumerate(options)
                if word[:2] == "--" and len(word) > 2 and any(f.startswith(word) for f in flags)
            ]
            following = self._given[typed[-1] + 1] if typed and typed[-1] + 1 < len(self._given) else ""
            # not when the next word is one of the command's options: its value was left out
            is_option = not self._unplaced_of([following])
            if following.startswith("-") and following != "--" and not is_option:
                message += f" (a value starting with -: give it as {flags[-1]}={following})"
        self.exit(2, f"groundlink: {where + ': ' if where else ''}{message}; see {self.prog} --help\n")

    def parse_args(  # type: ignore[override]  # one signature for argparse's overloads
        self, args: typing.Sequence[str] | None = None, namespace: typing.Any = None
    ) -> typing.Any:
        """Arguments a subcommand does not take are named against that subcommand's options and
        help (argparse reported them from the top level: `see groundlink --help`, which lists
        no subcommand's options)."""
        self._given = tuple(sys.argv[1:] if args is None else args)
        for action in self._actions:  # the subcommands judge what they could not place against it too
            if isinstance(action, argparse._SubParsersAction):
                for chosen in action.choices.values():
                    if isinstance(chosen, _OneLineErrors):
                        chosen._given = self._given
        parsed, extras = self.parse_known_args(list(self._given), namespace)
        # the top level takes no value-bearing option: its first word that is no option is the command
        command_at = next((i for i, word in enumerate(self._given) if not word.startswith("-")), len(self._given))
        chosen_command = self._subcommand(getattr(parsed, "command", None))
        if chosen_command is not None and extras:
            parsed, extras = chosen_command._intermixed(parsed, list(self._given[command_at + 1 :]), extras)
        before = [extra for extra in extras if extra in self._given[:command_at]]
        if before:  # `groundlink -x plan spec`: -x stands before the command, so it is the top level's
            self.error(self._unrecognized(before))
        if extras:
            chosen = self._subcommand(getattr(parsed, "command", None)) or self
            chosen._taken_sql = getattr(parsed, "sql", None)
            chosen.error(chosen._unrecognized(extras))
        if getattr(parsed, "allow_data_loss", False) and getattr(parsed, "against", "") is None:
            # plan, check, compare: the flag accepts what the diff against OLD finds, and there is none
            chosen = self._subcommand(getattr(parsed, "command", None)) or self
            chosen.error("--allow-data-loss needs --against OLD: it accepts the data loss the diff against OLD finds")
        return parsed

    def _intermixed(
        self, parsed: argparse.Namespace, words: list[str], extras: list[str]
    ) -> tuple[argparse.Namespace, list[str]]:
        """A command's words parsed again with its options anywhere among its arguments.

        argparse fills the arguments at their first run of words, so an optional one (query's SQL)
        given after an option (`query PRODUCTS --json SQL`) was left over as unrecognized. Read
        as argparse's intermixed parse reads it, options first, then every argument in order, the
        same line means what it says. Only for a command with an optional argument, and only when
        nothing is left over then: otherwise what was left over is reported as before (which
        words follow `--`, say)."""
        if not any(a.nargs in ("?", "*") for a in self._actions if not a.option_strings):
            return parsed, extras
        try:
            again, left = self.parse_known_intermixed_args(words, argparse.Namespace(**vars(parsed)))
        except TypeError:  # a parser the intermixed parse does not take: as it was
            return parsed, extras
        return (again, left) if not left else (parsed, extras)

    def _subcommand(self, name: str | None) -> _OneLineErrors | None:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction) and name in action.choices:
                found = action.choices[name]
                return found if isinstance(found, _OneLineErrors) else None
        return None

    def _unrecognized(self, extras: list[str]) -> str:
        """`unrecognized arguments: --clod aws (did you mean --cloud?)`."""
        options = [o for o in self._option_string_actions if o.startswith("--")]
        # after `--` every word is an argument, options too: an option the command takes, given
        # there, is to be moved before it (a guess would name the very option the user typed)
        after = self._given[self._given.index("--") + 1 :] if "--" in self._given else ()
        moved = [extra for extra in extras if extra in after and extra.split("=")[0] in self._option_string_actions]
        guesses = [
            close[0]
            for extra in extras
            if extra.startswith("--")
            and extra not in moved
            and (close := difflib.get_close_matches(extra.split("=")[0], options, n=1))
        ]
        paths = [f"./{extra}" for extra in extras if extra[:1] == "-" and extra[:2] != "--" and len(extra) > 2]
        hint = f" (did you mean {' or '.join(guesses)}?)" if guesses else ""
        hint += f" (a path starting with -: {' '.join(paths)})" if paths and not moved else ""
        hint += f" (after -- every word is an argument: give {' '.join(moved)} before --)" if moved else ""
        hint += "".join(
            f" ({flag} takes no value{_where_it_writes(flag, word)})" for flag, word in self._valued(extras)
        )
        taken = self._taken_sql  # the SQL argparse took, set by parse_args
        split = isinstance(taken, str) and not any(c.isspace() for c in taken)  # quoted SQL holds spaces
        if any(a.dest == "sql" for a in self._actions) and split and any(extra[:1] != "-" for extra in extras):
            # `query DIR SELECT 1`: the shell split the SQL, and only its first word was taken
            hint += ' (SQL of several words is one argument: quote it, "SELECT ...")'

        # a word holding a newline or another control character (SQL of several lines) is shown
        # escaped: echoed as it was, it broke the one line in two
        shown = [repr(extra) if any(not c.isprintable() for c in extra) else extra for extra in extras]
        return f"unrecognized arguments: {' '.join(shown)}{hint}"

    def _valued(self, extras: list[str]) -> list[tuple[str, str]]:
        """(flag, word) for each left-over word given right after a flag of this command that takes
        no value: `diff OLD NEW --json out.json`, as `plan --json FILE` takes one."""
        before = dict(zip(self._given[1:], self._given, strict=False))
        found = []
        for extra in extras:
            flag = before.get(extra, "")
            action = self._option_string_actions.get(flag)
            if extra[:1] != "-" and action is not None and action.nargs == 0:
                found.append((flag, extra))
        return found


def _where_it_writes(flag: str, word: str) -> str:
    """Where a valueless `--json` sends its JSON, for a user who gave it a file."""
    return f": the JSON goes to standard output; redirect it, > {word}" if flag == "--json" else ""


# The module docstring's first line, kept apart from it: `python -OO` (PYTHONOPTIMIZE=2, which some
# container images set) strips docstrings, and the parser read None, a traceback before any command.
SUMMARY = "`groundlink`: one mission spec, planned, checked and compared on AWS and Azure"


def build_parser() -> argparse.ArgumentParser:
    """The description names the subcommands from `commands()` itself, so it cannot miss one."""
    every = commands()
    summary = SUMMARY
    parser = _OneLineErrors(prog="groundlink", description=f"{summary}. Commands: {', '.join(c.name for c in every)}.")
    parser.add_argument("--version", action="version", version=f"groundlink {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in every:
        p = sub.add_parser(command.name, help=command.help)
        command.configure(p)
        keep_empty(p, command.paths)
        p.set_defaults(run=command.run, imports_first=command.imports_first, paths=command.paths)
    return parser


OWN_BYTES = "groundlink.own-bytes"


def _own_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """A file name's bytes that are not UTF-8 reach Python as lone surrogates (U+DC80-U+DCFF,
    `surrogateescape`): written back as those bytes, as `ls` shows the name. Any other character
    a UTF-8 stream cannot take (a lone surrogate outside that range) as its backslash escape,
    never an UnicodeEncodeError."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = bytearray()
    for char in error.object[error.start : error.end]:
        code = ord(char)
        out += bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}".encode()
    return bytes(out), error.end


codecs.register_error(OWN_BYTES, _own_bytes)


def _stream_settings() -> list[tuple[typing.Any, str | None, str | None]]:
    """(stream, encoding, errors) of stdout and stderr, for `_restore_streams`."""
    return [
        (stream, getattr(stream, "encoding", None), getattr(stream, "errors", None))
        for stream in (sys.stdout, sys.stderr)
    ]


def _restore_streams(settings: list[tuple[typing.Any, str | None, str | None]]) -> None:
    """The streams' encoding and errors as an in-process caller had them before `_utf8_output`:
    left as the command set them, a caller's later write of a lone surrogate went out as a raw
    byte where Python would have escaped it."""
    for stream, encoding, errors in settings:
        if hasattr(stream, "reconfigure") and (stream.encoding, stream.errors) != (encoding, errors):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe, a stream closed meanwhile
                stream.reconfigure(encoding=encoding, errors=errors)


def _utf8_output() -> None:
    """Spec values, resource names and reports are UTF-8 whatever the locale says (a C or
    latin-1 locale would otherwise end a plan in UnicodeEncodeError). A file name that is not
    UTF-8 reaches Python as lone surrogates, which a UTF-8 stream refuses unless told to write
    them back as the bytes they came from (as Python does under the C locale only): under
    en_US.UTF-8 a command naming such a spec ended in UnicodeEncodeError. On both streams: stderr,
    whose errors Python sets to `backslashreplace`, printed the same name as `\\udcff` in every
    error line while stdout printed its bytes."""
    for stream in (sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):
            continue
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8":
            stream.reconfigure(encoding="utf-8", errors=OWN_BYTES)
        elif getattr(stream, "errors", "strict") in ("strict", "backslashreplace", "surrogateescape"):
            stream.reconfigure(errors=OWN_BYTES)


# Extension modules written in Rust (PyO3) cannot be interrupted while they initialise: a
# KeyboardInterrupt there becomes a Rust panic, whose report the panic hook writes to stderr
# at once. Every command reads a spec or the schema through pydantic (pydantic-core), so it is
# imported, with what the chosen command adds (`Command.imports_first`), while Ctrl-C still
# ends the process at once: nothing has been started yet that would need stopping.
IMPORTED_BY_EVERY_COMMAND = ("pydantic", "yaml")


def main(argv: list[str] | None = None) -> int:
    # the warning settings the command makes end with it, on every way out: an in-process caller's
    # are as they were
    with warnings.catch_warnings():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: interrupt.swallowed_interrupt(unraisable, previous_hook)
    previous_show = warnings.showwarning
    warnings.showwarning = lambda *shown, **named: interrupt.warned(previous_show, *shown, **named)
    # The provider SDKs warn, as they build a resource, that a type groundlink plans has a newer
    # name (`BucketAccelerateConfigurationV2`): the user can do nothing about it, and under
    # PYTHONWARNINGS=error (a common CI setting) each such warning was a traceback
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi(_[a-z_]+)?(\.|$)")
    interrupt.forget()
    stdout, stderr = sys.stdout, sys.stderr
    settings = _stream_settings()
    try:
        _utf8_output()
        sys.stdout = _GuardedOutput(stdout if stdout is not None else typing.cast(typing.TextIO, _ClosedStream()))
        sys.stderr = typing.cast(typing.TextIO, _ErrorsOut(stderr))
        args = build_parser().parse_args(argv)
        for module in (*IMPORTED_BY_EVERY_COMMAND, *args.imports_first):
            importlib.import_module(module)
        interrupt.hand_to_python()  # what the command starts is stopped on the way out
        code = _run(args)
        if interrupt.received():  # a stop signal Python could not raise (swallowed_interrupt)
            return _stopped(interrupt.last())
        return code
    except KeyboardInterrupt:  # at any point, start-up imports included: one line, exit 130
        return _stopped(signal.SIGINT)
    except interrupt.Terminated as stop:  # SIGTERM, SIGHUP: one line, exit 128 + the signal
        return _stopped(stop.signum)
    except BrokenPipeError:  # a print() to a pipe whose reader left (`groundlink validate ... | head -1`)
        if interrupt.received():  # the terminal went away with its signal: the signal says why
            return _stopped(interrupt.last())
        _output_closed()
        return EXIT_OUTPUT_CLOSED
    except OutputFailed as failed:  # a print() to a full disk, a device that refuses writes
        if interrupt.received():
            return _stopped(interrupt.last())
        return _output_failed(failed.error)
    except SystemExit as stop:  # rich ends a Console's write to such a pipe with SystemExit(1)
        if isinstance(stop.__context__, BrokenPipeError):
            _output_closed()
            return EXIT_OUTPUT_CLOSED
        # argparse's --version and --help end in SystemExit(0), and argparse itself drops an
        # OSError of their write: what they printed is flushed here, where a failure is seen
        code = _flushed(EXIT_OK)
        if code != EXIT_OK:
            return code
        raise
    except BaseException:
        if not interrupt.received():
            raise
        return _stopped(interrupt.last())  # the stop signal, as an extension module reraised it
    finally:
        interrupt.take_back()
        sys.stdout, sys.stderr = stdout, stderr
        _restore_streams(settings)
        sys.unraisablehook = previous_hook
        warnings.showwarning = previous_show


def _stopped(signum: int) -> int:
    """The stop signal's line, written if the terminal is still there to take it (a closed
    terminal's SIGHUP leaves every write failing; while a progress display runs, stderr is its
    proxy, which writes through the guarded stdout), and its exit status."""
    with interrupt.held(), contextlib.suppress(OSError, OutputFailed):
        # held back: a late stop signal between the line and its record would write it again
        print(interrupt.line(signum), file=sys.stderr)
        interrupt.written(signum)
    interrupt.written(signum)  # the write failed (the terminal is gone): nothing more to write either
    return interrupt.exit_code(signum)


class OutputFailed(Exception):
    """A write to stdout failed otherwise than by its reader leaving: a full disk (`> /dev/full`),
    a file over its size limit, an I/O error. Not an OSError, so that no command's own
    `except OSError` (meant for the files it reads and writes) mistakes it for one of those."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _ClosedStream(io.TextIOBase):
    """Standard output when the command was started without one (`groundlink ... >&-`: Python
    then sets sys.stdout to None): a command that prints nothing runs as usual, and the first
    print fails as a write to a closed descriptor does (one line, exit 2), not as an
    AttributeError on None."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def isatty(self) -> bool:
        return False


class _GuardedOutput:
    """sys.stdout while a command runs: the same stream, whose failed writes raise OutputFailed
    (BrokenPipeError stays itself: the reader left, EXIT_OUTPUT_CLOSED)."""

    def __init__(self, stream: typing.TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error) from None

    def writelines(self, lines: typing.Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error) from None

    def __getattr__(self, name: str) -> typing.Any:
        return getattr(self._stream, name)


class _ErrorsOut:
    """sys.stderr while a command runs: the same stream, or none at all. Started without one
    (`2>&-`: Python sets sys.stderr to None) an error line was printed to stdout instead, as
    print(file=None) does; a write that fails (`2>/dev/full`) raised from the error's own report,
    and Python ended with "lost sys.stderr" and exit 1, which means a found problem. Such
    lines are dropped, what is buffered goes to /dev/null, and the exit code says the rest."""

    def __init__(self, stream: typing.TextIO | None) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        stream = self._stream  # once: another thread's failed write may drop it meanwhile
        if stream is not None:
            try:
                return stream.write(text)
            except BlockingIOError:  # a non-blocking pipe full for now: this text is dropped, not the stream
                return len(text)
            except UnicodeError:  # text the stream cannot encode: the caller's to handle, the stream stays
                raise
            except (OSError, ValueError):  # ValueError: closed meanwhile
                self._gone(stream)
        return len(text)

    def writelines(self, lines: typing.Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        stream = self._stream
        if stream is not None:
            try:
                stream.flush()
            except BlockingIOError:
                return
            except (OSError, ValueError):
                self._gone(stream)

    def isatty(self) -> bool:
        stream = self._stream
        return stream is not None and stream.isatty()

    def _gone(self, stream: typing.TextIO) -> None:
        """The stream dropped, its buffer's last flush sent to /dev/null so that it succeeds."""
        self._stream = None
        with contextlib.suppress(OSError, ValueError):
            _to_devnull(stream)
            stream.flush()

    def __getattr__(self, name: str) -> typing.Any:
        stream = self._stream
        if stream is None:
            raise AttributeError(name)
        return getattr(stream, name)


def _output_closed() -> None:
    """The reader of stdout is gone: what is left to write, down to the interpreter's last
    flush, goes to /dev/null instead of ending in another BrokenPipeError and a traceback
    (https://docs.python.org/3/library/signal.html#note-on-sigpipe). The command has
    stopped what it started on the way out, as after any error."""
    _stdout_to_devnull()


def _stdout_to_devnull() -> None:
    _to_devnull(sys.stdout)


def _to_devnull(stream: typing.IO[str]) -> None:
    """`stream`'s descriptor pointed at /dev/null: what is still buffered for it, down to the
    interpreter's last flush, is written there instead of failing again."""
    try:
        descriptor = stream.fileno()
    except (OSError, ValueError, AttributeError):  # a stream with no descriptor (a caller capturing the output)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


OUTPUT_FAILED = "groundlink: cannot write to standard output"


def _output_failed(error: OSError) -> int:
    """stdout refused a write for a reason other than its reader leaving (`> /dev/full`: No
    space left on device): one line on stderr and EXIT_OUTPUT_FAILED, the exit code of any
    output that cannot be written (a `--json` file on a full disk too), never 1, which means
    that the command found a problem (data loss, a parity failure, a violation). What is left
    to write, down to the interpreter's last flush, goes to /dev/null, as in `_output_closed`."""
    _stdout_to_devnull()
    with contextlib.suppress(OSError):  # stderr gone too: the exit code is all that is left to say it
        print(f"{OUTPUT_FAILED} ({error.strerror or type(error).__name__})", file=sys.stderr, flush=True)
    return EXIT_OUTPUT_FAILED


def _flushed(code: int) -> int:
    """`code`, once what is still buffered for stdout is written; EXIT_OUTPUT_CLOSED if its
    reader has left meanwhile (the interpreter's own last flush would print "Exception
    ignored ... BrokenPipeError" and exit 120), EXIT_OUTPUT_FAILED if the write failed
    otherwise (a full disk)."""
    if sys.stdout is None:  # started without a standard output: nothing was buffered for it
        return code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _output_closed()
        return EXIT_OUTPUT_CLOSED
    except OutputFailed as failed:
        return _output_failed(failed.error)
    except OSError as error:
        return _output_failed(error)
    return code


def _run(args: argparse.Namespace) -> int:
    from .errors import EXIT_USAGE, PlanError, UsageError
    from .inputs import InputError, SpecError, one_line
    from .open_files import out_of_descriptors, raise_open_file_limit
    from .path_args import prepared, shown

    try:
        raise_open_file_limit()
        with prepared(args, args.paths):
            code: int = args.run(args)
        return code
    except SpecError as error:
        for line in error.lines:
            print(shown(args, line), file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, PlanError) as error:
        print(one_line(shown(args, f"groundlink: {error}")), file=sys.stderr)
        return EXIT_USAGE
    except InputError as error:
        print(shown(args, error.line), file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # the file table full, wherever it was met: one line, not the SDK's pages
        full = out_of_descriptors(error)
        if full is None:
            raise
        print(f"groundlink: {full}", file=sys.stderr)
        return EXIT_USAGE


# Set in the environment of a command started again in UTF-8 mode, so that it is started once only.
UTF8_RESTART = "GROUNDLINK_UTF8_RESTARTED"


def in_utf8_mode() -> None:
    """Start the command again in Python's UTF-8 mode when the locale's encoding is another
    (latin-1, say): file names then come in and go out as their bytes, as under a UTF-8 locale.
    Decoded as latin-1, a name's bytes became other characters: `spéc.yaml` (UTF-8) was printed
    `spÃ©c.yaml` and recorded so in plans and reports, and the same spec planned otherwise under
    each locale. Nothing has been read or started yet, so the new process takes over as it is."""
    if sys.flags.utf8_mode or codecs.lookup(sys.getfilesystemencoding()).name == "utf-8":
        return
    if sys.argv[:1] in (["-c"], ["-"], [""]):  # started from code given inline or on stdin: not replayable
        return
    given = getattr(sys, "orig_argv", None)
    if not given or not sys.executable or os.environ.get(UTF8_RESTART):
        return
    os.environ[UTF8_RESTART] = "1"
    with contextlib.suppress(OSError):  # no interpreter to start: go on as the locale says
        os.execv(sys.executable, [sys.executable, "-X", "utf8", *given[1:]])


def entry() -> None:
    """The command line of the console script (groundlink.console) and of `python -m groundlink.cli`.

    After Ctrl-C every process and server groundlink started has been stopped on the way
    out, but gRPC's own threads (the policy pack's engine server and channels) can still
    hang or abort the interpreter's shutdown; so an interrupted run leaves at once, with
    its one line already written. gRPC's C core is kept to errors, so its connection
    chatter on a cancelled call never reaches the user's terminal.

    A command is a short-lived process, so the cyclic collector stays off for all of it
    (`no_collection_during_the_command`) and the heap is frozen at its end.
    """
    in_utf8_mode()
    no_collection_during_the_command()
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
    interrupt.install()  # before the command (python -m) and after it: one line, exit 130
    atexit.register(interrupt.settled)  # registered first, so it runs after every other exit function
    code = main()
    interrupt.install()
    if code in interrupt.STOP_CODES:  # its line is written; what it could not write is lost with the terminal
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        os._exit(code)
    code = _flushed(code)
    no_collection_at_exit()
    sys.exit(code)


def no_collection_during_the_command() -> None:
    """Turn the cyclic collector off for the rest of a short-lived process.

    A plan leaves about 85,000 objects in reference cycles (the SDK's futures, tasks and
    outputs), about 5 MB; collecting them cost 0.15 s per plan, 0.45 s when the collection
    reached the older generations, and the forked plan workers inherit the setting. A command
    plans a few stacks and ends, and its garbage goes with the process. Measured 2026-12-02,
    four alternated runs each: `groundlink compare specs/noaa20.yaml` 3.1-3.7 s wall with the
    collector, 2.7-3.1 s without; `plan specs/constellation.yaml --cloud both` 3.7-4.5 s
    against 3.0-3.6 s; `process` of a 1 GB contact peaked at the same memory either way.
    Long-lived callers (the benchmark, a test session, a service planning again and again)
    keep the collector: the engine pauses it only while a program runs.
    """
    gc.disable()


# Extensions built with nanobind count their objects still alive at interpreter shutdown and
# print one line for each: with the heap frozen, DuckDB's 27 type objects would be reported.
LEAK_REPORTING_EXTENSIONS = frozenset({"_duckdb"})


def no_collection_at_exit(*, silence_leak_reports: bool = False) -> bool:
    """Keep the interpreter's shutdown from walking the heap with the cyclic collector;
    returns whether it did.

    A command that planned holds the provider SDKs' modules (hundreds of thousands of
    objects) and its plans; at exit the interpreter runs full collections over all of them,
    which kept `groundlink plan SPEC --cloud both` alive 1.7 s after its last line (2026-12-02,
    measured from its last atexit handler to the process's end: 1.69 s, 0.07 s with this).
    Everything is freed with the process anyway, so the heap is frozen out of the collector
    instead. Atexit handlers still run, and files are still flushed and closed.

    Not where a leak-reporting extension is loaded (`groundlink query` loads DuckDB and plans
    nothing), unless `silence_leak_reports`, which sends the process's remaining stderr to
    /dev/null: only for a process whose stderr has nothing more to say (a test worker whose
    results are sent).
    """
    if LEAK_REPORTING_EXTENSIONS & sys.modules.keys():
        if not silence_leak_reports:
            return False
        sys.stderr.flush()
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    gc.disable()
    gc.freeze()
    return True


if __name__ == "__main__":
    entry()
