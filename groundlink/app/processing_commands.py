"""`groundlink process CONTACT_DIR --out PRODUCTS_DIR` and `groundlink query PRODUCTS_DIR "SQL"`."""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:  # rich is imported by the commands that print, not by the command line's start
    from collections.abc import Iterator

    from rich.text import Text

    from ..processing.query import Rows

from ..errors import EXIT_USAGE
from ..inputs import escaped, not_utf8_name
from ..outputs import lies_under
from ..rounding import counted


def configure_process(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("contact_dir", type=Path, help="a contact's delivered capture files (searched recursively)")
    parser.add_argument("--out", type=Path, required=True, help="products directory (the products store's layout)")
    parser.add_argument("--satellite", help="satellite name; default: the satellite= part of the files' path")
    parser.add_argument("--contact-id", help="treat every file as this contact; default: the id in each file name")
    parser.add_argument("--cadu-length", type=int, default=1024, help="sync marker + frame bytes (default 1024)")
    parser.add_argument(
        "--spacecraft-id", type=int, action="append", default=[], help="expected spacecraft id (repeatable)"
    )
    parser.add_argument("--udp-port", type=int, action="append", default=[], help="downlink UDP port (repeatable)")
    parser.add_argument(
        "--pseudo-randomized",
        action="store_true",
        help="take the CCSDS pseudo-randomizer off each CADU after its sync marker (the mission's link says)",
    )


# CaptureFormat's fields and the `process` flags that set them.
_FLAGS = {"cadu_length": "--cadu-length", "spacecraft_ids": "--spacecraft-id", "udp_ports": "--udp-port"}

# Every line `process` and `query` print about their own run, as every command's UsageError is
# printed (groundlink.cli): a script or a reader sees one prefix whichever command it ran.
PREFIX = "groundlink: "


def _fail(lines: list[str]) -> int:
    """Each problem on one line: a path or SQL holding a newline is escaped, not split."""
    from ..inputs import one_line

    for line in lines:
        print(one_line(line), file=sys.stderr)
    return EXIT_USAGE


def _check_apart(contact_dir: Path, out: Path) -> None:
    """UsageError unless the products directory and the delivery are apart: products written
    into the delivery would be read as captures by the next run and mix with the raw files (a
    `*.pcap` among frames/ is taken for a capture), and a delivery inside --out would have the
    products' partitions laid over it."""
    from ..errors import UsageError

    if lies_under(out, contact_dir):
        where = "is" if os.path.realpath(out) == os.path.realpath(contact_dir) else "is inside"
        raise UsageError(
            f"--out {out}: {where} the delivery {contact_dir}; give a products directory outside CONTACT_DIR"
        )
    if lies_under(contact_dir, out):
        raise UsageError(
            f"--out {out}: holds the delivery {contact_dir}; give a products directory outside CONTACT_DIR"
        )


class _NothingWritten(Exception):
    """Every contact failed: raised through `writing_dir` so that what the run created goes
    again, then caught to print the problems and their count like any other failed run."""


def _size(path: Path) -> int:
    """A capture's size for the progress bar; 0 if it cannot be read: the contact holding it
    fails on its own and says why, instead of the whole run stopping before any contact."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _write_failed(out: Path, error: OSError, contact_id: str) -> str:
    """A write under --out that failed, in one line naming the path that failed (the
    OSError's own; without one, a write into an open file, the contact being written), and for
    "Not a directory" the file standing where a directory must go. A move names the one of its
    two paths outside the run's staging directory (a product moved into place, or an earlier
    one set aside): the staging directory is gone by the time the line is read, and the
    directory the user must mend is the product's. A file of the staging directory alone is
    the contact being written."""
    from ..outputs import reason, standing
    from ..processing.layout import STAGING_PREFIX

    paths = [Path(os.fsdecode(p)) for p in (error.filename, error.filename2) if p is not None]
    outside = [p for p in paths if not any(part.startswith(STAGING_PREFIX) for part in p.parts)]
    if not outside:
        return f"--out {out}: cannot write contact {contact_id} ({reason(error)})"
    failed = outside[0]
    if error.errno in (errno.ENOTDIR, errno.EEXIST):
        blocker = next((p for p in (failed, *failed.parents) if os.path.lexists(p) and not os.path.isdir(p)), None)
        if blocker is not None:  # as the check before the run names one (outputs._check_parent)
            return f"--out {out}: {standing(blocker)}"
    where = "" if failed == out else f" {failed}"
    return f"--out {out}: cannot write{where} ({reason(error)})"


def run_process(args: argparse.Namespace) -> int:
    """`process`. Ctrl-C, SIGTERM and SIGHUP raise where the run is (groundlink/interrupt.py),
    so the staging directory and the directories the run created are removed on the way out;
    the command line then writes the one line and exits 128 + the signal's number."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    from ..errors import UsageError
    from ..outputs import check_dir_target, reason, writing_dir
    from ..processing.config import CaptureFormat, name_problem
    from ..processing.errors import ProcessingError
    from ..processing.processor import discover, process_contact

    # Every argument is checked, each refused in one line naming it, before anything is read or written.
    try:
        fmt = CaptureFormat(
            cadu_length=args.cadu_length,
            spacecraft_ids=frozenset(args.spacecraft_id),
            udp_ports=frozenset(args.udp_port),
            pseudo_randomized=args.pseudo_randomized,
        )
    except ValueError as error:  # "cadu_length: ...": named by the flag that set it
        field, _, problem = str(error).partition(": ")
        raise UsageError(f"{_FLAGS.get(field, field)}: {problem}") from None
    for flag, value in (("--satellite", args.satellite), ("--contact-id", args.contact_id)):
        if value is not None and (why := name_problem(value)):
            raise UsageError(f"{flag}: {why}")
    if not args.contact_dir.is_dir():
        why = _not_a_directory(args.contact_dir, "holding the contact's capture files")
        raise UsageError(f"{args.contact_dir}: {why}")
    _check_apart(args.contact_dir, args.out)
    if why := not_utf8_name(args.out):  # the Parquet writer takes UTF-8 paths only: it failed mid-run
        raise UsageError(f"--out {why}")
    check_dir_target(args.out, "--out", into=True)  # before the contact is read; written into, not replaced
    try:
        contacts = discover(args.contact_dir, fmt, satellite=args.satellite, contact_id=args.contact_id)
    except ProcessingError as error:  # a line on CONTACT_DIR itself is about the argument
        here = f"{args.contact_dir}: "
        return _fail([PREFIX + line if line.startswith(here) else line for line in error.lines])
    total = sum(_size(p) for c in contacts for p in c.files)
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    summaries: list[dict[str, Any]] = []
    problems: list[str] = []
    write_failure = ""
    try:
        with (
            writing_dir(args.out, "--out"),
            # on stderr, whose terminal turns it on: drawn on stdout it went into the file a
            # script reads the contacts' lines from, and nowhere when stdout was redirected
            # nor on a terminal that moves no cursor (TERM=dumb): there rich can only end the bar
            # with an empty line above the contacts' lines
            Progress(
                *columns,
                console=(err := Console(stderr=True, emoji=False)),
                transient=True,
                disable=not sys.stderr.isatty() or err.is_dumb_terminal,
            ) as bar,
        ):
            task = bar.add_task("processing", total=total)
            for contact in contacts:  # each contact all or nothing, and one's bad file stops no other
                bar.update(task, description=f"contact {contact.contact_id}")
                try:
                    process_contact(contact, args.out, fmt, lambda n: bar.advance(task, n), summaries.append)
                except ProcessingError as error:
                    problems.extend(error.lines)
                except OSError as error:  # a capture that cannot be read; a failed write stops the run
                    if error.filename is None or lies_under(Path(os.fsdecode(error.filename)), args.out):
                        # one line naming the path that failed, after what the run did before it
                        write_failure = PREFIX + _write_failed(args.out, error, contact.contact_id)
                        break
                    problems.append(f"{os.fsdecode(error.filename)}: cannot read ({reason(error)})")
            if not summaries:  # nothing written: what the run created goes again
                raise _NothingWritten
    except _NothingWritten:
        pass
    except BaseException:  # a stop signal: the contacts written before it stay, and are said
        _say_written(summaries, args.out)
        raise
    _say_written(summaries, args.out)
    _say_leftovers(args.out, {(str(s["satellite"]), str(s["contact_id"])) for s in summaries})
    if write_failure:  # the run stopped there: the contacts committed before it stay, listed above
        failed = len(contacts) - len(summaries)
        # the count only where the one line does not say it all: other contacts failed or were left
        count = [f"{PREFIX}{failed} of {len(contacts)} contacts not written (above)"] if failed > 1 else []
        return _fail([*problems, write_failure, *count])
    if problems:  # after the summaries of the contacts that were written, however many that is
        failed = len(contacts) - len(summaries)
        return _fail([*problems, f"{PREFIX}{failed} of {len(contacts)} contacts not written (above)"])
    return 0


def _say_written(summaries: list[dict[str, Any]], out: Path) -> None:
    """A line per contact written, and where."""
    for s in summaries:
        print(
            f"{s['satellite']} contact {s['contact_id']}: {counted(s['frames'], 'frame')} ({s['ok_frames']} ok, "
            f"{s['duplicate_frames']} duplicate, {s['corrupt_frames']} corrupt, {s['idle_frames']} idle), "
            f"{counted(s['gaps'], 'gap')} "
            f"({counted(s['missing_frames'], 'frame')} missing), {counted(s['bytes'], 'byte')} in "
            f"{counted(s['files'], 'file')}"
        )
    if summaries:
        print(f"wrote {escaped(str(out))}")  # an ESC in --out printed raw, as say_written's did


def _not_a_directory(path: Path, wanted: str) -> str:
    """Why a directory argument is not one: missing (a typo) is not the same as a file, and a
    file (one capture of the contact, one product) is told which directory is wanted."""
    if path.is_symlink() and not path.exists():
        return f"a broken symbolic link (to {os.readlink(path)}), not a directory"
    if path.exists():
        return f"not a directory; give the directory {wanted}"
    return "no such directory"


def _say_leftovers(out: Path, written: set[tuple[str, str]]) -> None:
    """Name the hidden staging directories no run removed: no query reads them, but they take
    space, and one holding earlier products set aside is the only copy of those, unless this run
    wrote the same products again (`written`: the (satellite, contact id) pairs it wrote; a
    contact id alone may be another satellite's contact, whose products no run replaces)."""
    from ..processing.layout import SET_ASIDE_RECORD, leftover_staging, set_aside_from, staged_contact

    holding, partial = leftover_staging(out)
    for path in holding:
        contact, origins = staged_contact(path), set_aside_from(path)
        satellites = {
            part.removeprefix("satellite=")
            for o in origins.values()
            for part in o.split("/")
            if part.startswith("satellite=")
        }
        if satellites and all((satellite, contact) in written for satellite in satellites):
            # not "could not put back": a commit of this run that succeeded leaves them too, where
            # a directory of theirs refuses its removal (read-only)
            print(
                f"{PREFIX}{path} holds earlier products of contact {contact} that a commit set aside and that were "
                f"never removed: this run wrote contact {contact}'s products again, so they are superseded: delete "
                "the directory",
                file=sys.stderr,
            )
            continue
        places = ", ".join(f"{aside} for {origin}" for aside, origin in sorted(origins.items())[:3])
        more = f" and {len(origins) - 3} more" if len(origins) > 3 else ""
        restore = (
            f"; or, to restore them instead, replace what stands at each place with the one set aside ({places}"
            f"{more}: {SET_ASIDE_RECORD} in it lists them)"
            if origins
            else ""
        )
        print(
            f"{PREFIX}{path} holds earlier products of contact {contact} that a commit set aside and could not put "
            f'back (docs/processing.md, "Products are staged"): process contact {contact}\'s files again into this '
            f"--out, which replaces its products whole, then delete the directory{restore}",
            file=sys.stderr,
        )
    if partial:
        names = ", ".join(path.name for path in partial[:3]) + (
            f" and {len(partial) - 3} more" if len(partial) > 3 else ""
        )
        print(
            f"{PREFIX}--out {out} holds {len(partial)} staging "
            f"{'directory' if len(partial) == 1 else 'directories'} of another run, still going or killed ({names}): "
            "partial products no query reads; delete them unless a run into this directory is still going",
            file=sys.stderr,
        )


def configure_query(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("products_dir", type=Path, help="a products directory written by `groundlink process`")
    parser.add_argument("sql", nargs="?", help="SQL over the tables frame_index and contact_summary")
    parser.add_argument("--examples", action="store_true", help="run the documented example queries instead")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the rows as JSON lines; with --examples, one line per example: its name, columns and rows",
    )


def _plain(value: Any) -> Any:
    """A DuckDB result value as JSON holds it: timestamps in ISO 8601 UTC with a Z, dates and
    times in ISO 8601, intervals as ISO 8601 durations, decimals as numbers (as text past a
    double's 15 digits), blobs as hex, UUIDs as text, and NaN or an infinity as null (JSON has
    neither)."""
    if isinstance(value, datetime):
        utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return utc.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):  # every microsecond written out: %g would round to six digits
        fraction = f".{value.microseconds:06d}".rstrip("0").rstrip(".")
        return f"P{value.days}DT{value.seconds}{fraction}S"
    if isinstance(value, Decimal):
        return float(value) if len(value.as_tuple().digits) <= 15 and value.is_finite() else str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {_plain_key(k): _plain(v) for k, v in value.items()}
    return value


def _plain_key(key: Any) -> str:
    """A map's key as a JSON object's key: its value as `_plain` writes it (a timestamp key of
    `histogram(...)` in ISO 8601 with a Z, not Python's `2025-12-01 09:00:00`), and a key that
    is no text as JSON would write it as a key (`1`, `true`, `null`)."""
    plain = _plain(key)
    return plain if isinstance(plain, str) else json.dumps(plain, separators=(",", ":"))


def _cell(value: Any) -> Text:
    """A value as a table cell, never read as rich markup (`[red]` in a value is text) nor as a
    terminal's control sequence."""
    from rich.text import Text

    shown = _plain(value)
    if value is None:
        return Text("NULL")
    if isinstance(value, float) and not math.isfinite(value):
        return Text(str(value))  # nan, inf: JSON has no word for them, a table does
    # a control character in a value (a partner's file name in `capture_file`) is shown as its
    # escape: printed raw, an escape sequence cleared the screen or retitled the window
    return Text(json.dumps(shown) if isinstance(shown, list | dict) else escaped(str(shown)))


def _example_json(title: str, names: list[str], rows: list[tuple[Any, ...]]) -> str:
    """One example query's result as one JSON line naming the example (its heading in
    docs/processing.md): the examples' rows differ in shape, and printed one after another
    a script could not tell which query a row came from, nor see an example that found none."""
    objects = [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows]
    return json.dumps({"example": title, "columns": names, "rows": objects}, allow_nan=False)


# Rows a table shows: a table is for reading, and drawing one takes about a millisecond a row
# (100,000 rows took 85 s); the rest are counted under it and `--json` prints them all.
TABLE_ROWS = 1000


def run_query(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..processing.layout import products_locked
    from ..processing.query import NotProducts, check_products, connect

    if not args.products_dir.is_dir():
        raise UsageError(f"{args.products_dir}: {_not_a_directory(args.products_dir, 'process wrote (its --out)')}")
    if why := not_utf8_name(args.products_dir.resolve()):  # DuckDB failed on it: std::bad_cast
        raise UsageError(why)
    if (args.sql is None) == (not args.examples):
        raise UsageError("give either SQL or --examples")
    given = args.sql or ""
    bad = next((i for i, c in enumerate(given) if "\udc80" <= c <= "\udcff"), None)
    if bad is not None:  # the first character too (index 0)
        byte = ord(given[bad]) - 0xDC00
        raise UsageError(
            f"the SQL holds a byte that is not UTF-8 (0x{byte:02X}, character {bad + 1}); give the query as UTF-8 text"
        )
    # held shared while the files are listed and read: a `process` committing into the same
    # directory waits until the queries end, and the queries see its products before or after
    with products_locked(args.products_dir, exclusive=False):
        try:
            check_products(args.products_dir)
        except NotProducts as error:
            raise UsageError(str(error)) from None
        connection = connect(args.products_dir)  # one database for the format check and every query
        try:
            return _run_queries(args, connection)
        finally:
            connection.close()


def _run_queries(args: argparse.Namespace, connection: Any) -> int:
    import duckdb

    from ..errors import UsageError
    from ..processing.examples import EXAMPLES
    from ..processing.query import QueryRefused, error_line, other_formats, streamed_query
    from ..report.terminal import report_console

    for line in other_formats(args.products_dir, connection):
        print(line, file=sys.stderr)
    queries = [(e.title, e.duckdb) for e in EXAMPLES] if args.examples else [("", args.sql)]
    console = report_console()  # piped, as wide as the rows
    failed = []
    for title, sql in queries:
        printed = 0  # rows of --json written before an error DuckDB raises while it runs the query
        try:
            with streamed_query(args.products_dir, sql, connection) as (names, batches):
                if args.json and (repeated := sorted({n for n in names if names.count(n) > 1})):
                    # one JSON object per row holds a name once: the later column would silently win
                    raise UsageError(
                        f"--json: the query returns more than one column named {', '.join(map(repr, repeated))}; "
                        "name each column once (SELECT s.frames AS contact_frames, c.frames AS channel_frames ...)"
                    )
                if args.json and args.examples:
                    _write_lines(
                        _example_json(title, names, [row for batch in batches for row in batch.shown()]) + "\n"
                    )
                elif args.json:  # every row, as DuckDB hands them over: no result is held whole
                    for batch in batches:
                        _write_lines(
                            "".join(
                                json.dumps({n: _plain(v) for n, v in zip(names, row, strict=True)}, allow_nan=False)
                                + "\n"
                                for row in batch.shown()
                            )
                        )
                        printed += len(batch)
                else:
                    _write_lines(_table(console, title, sql, names, batches))
        except (duckdb.Error, QueryRefused) as error:
            after = f" (after {printed:,} {'row was' if printed == 1 else 'rows were'} printed)" if printed else ""
            if not args.examples:
                raise UsageError(error_line(error) + after) from None
            # a damaged file fails the examples of its own table only: the others still run
            failed.append(f"{PREFIX}example {title!r}: {error_line(error)}")
    return _fail(failed) if failed else 0


def _table(console: Any, title: str, sql: str, names: list[str], batches: Iterator[Rows]) -> str:
    """The first TABLE_ROWS rows drawn as a table, and, on a line of its own, how many rows the
    query returned when it returned more: the rest are counted as they come, never held."""
    from rich.table import Table
    from rich.text import Text

    shown: list[tuple[Any, ...]] = []
    total = 0
    for batch in batches:
        total += len(batch)
        shown.extend(batch.shown(TABLE_ROWS - len(shown)))
    from ..report.terminal import table_widths

    table = Table(title=Text(title) if title else None)
    cells = [[name, *(_cell(row[i]).plain for row in shown)] for i, name in enumerate(names)]
    # each column as wide as its longest word at least: a value wraps between words, never inside
    # one (folded to its column, a count of 505280 read 50528 over 0)
    widths = table_widths(console, cells)
    if not shown and widths is None:  # no rows, and too many columns to draw
        table.add_column("column (no rows)", overflow="fold")
        for name in names:
            table.add_row(Text(name))
    elif widths is not None:
        for name, width in zip(names, widths, strict=True):
            table.add_column(Text(name), overflow="fold", width=width)
        for row in shown:
            table.add_row(*(_cell(v) for v in row))
    else:  # a record a block of rows, column by column: squeezed, columns were drawn 0 wide, values gone
        for heading in ("row", "column", "value"):
            table.add_column(heading, overflow="fold")
        for number, row in enumerate(shown, start=1):
            for i, (name, value) in enumerate(zip(names, row, strict=True)):
                last = i == len(names) - 1
                table.add_row(str(number) if i == 0 else "", Text(name), _cell(value), end_section=last)
    with console.capture() as drawn:  # rendered whole, as rich would write it in one go
        if title:
            console.print(Text(sql, style="dim"))
        console.print(table)
        if total > len(shown):  # not the table's caption, which wraps to the table's width
            console.print(Text(f"the first {TABLE_ROWS:,} of {total:,} rows; --json prints every row"), soft_wrap=True)
    return str(drawn.get())


def _write_lines(text: str) -> None:
    """`text` on stdout in pieces of a line, or of 4096 characters of a longer one. With
    PYTHONUNBUFFERED set, stdout hands each write to the system once: a table written in one go
    came back short when its reader left (`... | head -1`), the rest was dropped without an
    error, and the command ended 0, not 141. A write after the reader has left raises
    BrokenPipeError, which the command line ends with 141."""
    for line in text.splitlines(keepends=True):
        for start in range(0, len(line), 4096):
            sys.stdout.write(line[start : start + 4096])
