"""`groundlink query`: DuckDB over a products directory, the embedded stand-in for Athena
and Synapse serverless SQL. Each product table is a view with the catalog's columns
(groundlink.processing.tables) and its partition keys as strings, as the catalog declares them.

A query only reads, as a query of Athena or of Synapse serverless SQL over the catalog does:
statements other than SELECT (and EXPLAIN or EXPLAIN ANALYZE of one: EXPLAIN ANALYZE runs
what it explains) are refused before anything runs, and the
connection reaches no file outside the products directory, installs and loads no extension,
and cannot be reconfigured by the query (DuckDB's own settings, locked)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from .. import interrupt
from ..inputs import not_utf8_name
from .tables import PARTITION_KEYS, PRODUCTS_FORMAT, PRODUCTS_FORMAT_METADATA, TABLES, Table


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# A product file's own partition directories: the last four of its path, read from there and not by
# DuckDB's Hive partitioning, which takes a `key=value` from anywhere in the path, the products
# directory's own (`/data/year=2024/products`) first.
# The separators of this system's paths (`/`; `\` and `/` on Windows): elsewhere a backslash is a
# character of a name, and a file named with one read its four partitions as empty.
_SEPS = "".join(sorted({re.escape(os.sep), *([re.escape(os.altsep)] if os.altsep else [])}))
_PARTITIONS = "".join(f"[{_SEPS}]{key}=([^{_SEPS}]*)" for key in PARTITION_KEYS) + f"[{_SEPS}][^{_SEPS}]*$"
_FILE_COLUMN = "groundlink_file"  # the file each row came from, a name no table's column has
_PARTITION_COLUMN = "groundlink_partition"


def _files(table: Table, root: Path) -> list[Path]:
    """The table's files, found here and named one by one: DuckDB would read `[`, `*` or `?` in
    the products directory's own path as a pattern."""
    return sorted(root.joinpath(table.prefix).glob("/".join(f"{k}=*" for k in PARTITION_KEYS) + "/*.parquet"))


def _unreadable(files: list[Path], root: Path) -> str | None:
    """Why the view cannot read `files`, or None: a name DuckDB cannot take (a byte that is not
    UTF-8), or a file reached through a symbolic link out of the products directory, which the
    connection may not read (DuckDB said only "file system operations are disabled")."""
    inside = root.resolve()
    resolved: dict[Path, bool] = {}  # each directory resolved once: a file's own link is one lstat
    for path in files:
        if why := not_utf8_name(path):
            return why
        parent = path.parent
        if parent not in resolved:
            resolved[parent] = parent.resolve().is_relative_to(inside)
        if not resolved[parent] or (path.is_symlink() and not path.resolve().is_relative_to(inside)):
            # the first of its directories (or the file itself) whose link leads out
            link = next(
                p
                for p in (*reversed(path.relative_to(root).parents[:-1]), path.relative_to(root))
                if not (root / p).resolve().is_relative_to(inside)
            )
            return (
                f"{root / link} is a link to {(root / link).resolve()}, outside the products directory, and a "
                "query reads only files inside it: copy what it links to into its place"
            )
    return None


def _read(files: list[Path]) -> str:
    """DuckDB's read of `files`, columns matched by name across them, as Athena reads Parquet
    (by name, its default: "add columns at the beginning or in the middle" is supported, Athena
    User Guide, "Handle schema updates"): a product written before a column was added
    (contact_summary's idle_frames) lacks it, and reads it as NULL. Read by position, one such
    file failed every query of the table, even one that never named the column."""
    names = ", ".join(_sql_string(str(path)) for path in files)
    return f"read_parquet([{names}], filename = '{_FILE_COLUMN}', hive_partitioning = false, union_by_name = true)"


def _view(table: Table, files: list[Path], present: set[str]) -> str:
    """The table's view over `files` (`_files`), whose columns are `present` (`_present`): a
    column of the table no file has yet is NULL, as an added column reads in Athena."""
    sources = {c.name: f'"{c.name}"' if c.name in present else "NULL" for c in table.columns}
    columns = ", ".join(f'CAST({sources[c.name]} AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
    if not files:
        return f"CREATE VIEW {table.name} AS {_no_rows(table)} WHERE false"
    keys = ", ".join(f"{_PARTITION_COLUMN}['{k}'] AS \"{k}\"" for k in PARTITION_KEYS)
    groups = ", ".join(f"'{k}'" for k in PARTITION_KEYS)
    return (
        f"CREATE VIEW {table.name} AS SELECT {columns}, {keys} FROM (SELECT *, regexp_extract({_FILE_COLUMN}, "
        f"{_sql_string(_PARTITIONS)}, [{groups}]) AS {_PARTITION_COLUMN} FROM {_read(files)})"
    )


def _present(connection: duckdb.DuckDBPyConnection, files: list[Path]) -> set[str]:
    """The columns `files` hold between them (their footers, read by DuckDB)."""
    if not files:
        return set()
    return {row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {_read(files)}").fetchall()}


def _no_rows(table: Table) -> str:
    """A SELECT of the table's columns, each NULL: what a view says of a table it cannot read."""
    nulls = ", ".join(f'CAST(NULL AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
    parts = ", ".join(f'CAST(NULL AS VARCHAR) AS "{k}"' for k in PARTITION_KEYS)
    return f"SELECT {nulls}, {parts}"


def _failing_view(table: Table, error: str) -> str:
    """The table's columns, and the error that made its view fail, raised by a query that reads it:
    a damaged file of one table failed every query, even one of the other table only. Each column
    is the error too: with NULL columns, a filter on one (`WHERE status = 'corrupt'`) was folded
    to false and the query answered no rows, exit 0, never reading the error."""
    message = _sql_string(error.removeprefix("Invalid Input Error: "))  # error() says it again
    failing = [f'CAST(error({message}) AS {c.duckdb}) AS "{c.name}"' for c in table.columns]
    failing += [f'CAST(error({message}) AS VARCHAR) AS "{k}"' for k in PARTITION_KEYS]
    return (
        f"CREATE VIEW {table.name} AS SELECT {', '.join(failing)} "
        f"FROM (SELECT error({message}) AS failed) WHERE failed IS NULL"
    )


def other_formats(root: Path, connection: duckdb.DuckDBPyConnection | None = None) -> list[str]:
    """One line for each table some of whose files another groundlink wrote (their products
    format, tables.py, is not this one's, or none was recorded): they read the columns added
    since as NULL and count by that version's rules, and a query mixing them with today's
    products said nothing (idle frames counted as ok in one contact, apart in the next).
    Read through `connection` when given (the query's own, `connect(root)`)."""
    lines = []
    own = connection is None
    connection = duckdb.connect(":memory:") if connection is None else connection
    try:
        for table in TABLES:
            files = _files(table, root)
            if not files or _unreadable(files, root) is not None:
                continue
            names = ", ".join(_sql_string(str(path)) for path in files)
            try:
                found = dict(
                    connection.execute(
                        f"SELECT file_name, decode(value) FROM parquet_kv_metadata([{names}]) "
                        f"WHERE decode(key) = {_sql_string(PRODUCTS_FORMAT_METADATA)}"
                    ).fetchall()
                )
            except duckdb.Error:  # a damaged file: its table's view says so
                continue
            formats = [found.get(str(path)) for path in files]
            earlier = [f for f in formats if f is None or (f.isdigit() and int(f) < PRODUCTS_FORMAT)]
            later = [f for f in formats if f is not None and (not f.isdigit() or int(f) > PRODUCTS_FORMAT)]
            if earlier:
                lines.append(
                    f"groundlink: {len(earlier):,} of {len(files):,} {table.name} files were written by an earlier "
                    f"groundlink (products format {_formats(earlier)}; this one writes {PRODUCTS_FORMAT}): the "
                    "columns added since read as NULL there, and their counts follow that version's rules; process "
                    'those contacts again (docs/processing.md, "Products of earlier versions")'
                )
            if later:
                lines.append(
                    f"groundlink: {len(later):,} of {len(files):,} {table.name} files were written by a later "
                    f"groundlink (products format {_formats(later)}; this one reads {PRODUCTS_FORMAT}): query them "
                    "with that version"
                )
    finally:
        if own:
            connection.close()
    return lines


def _formats(found: list[str | None]) -> str:
    return ", ".join(sorted({"none recorded" if f is None else f for f in found}))


class NotProducts(ValueError):
    """A directory that holds none of the product tables: not what `groundlink process` wrote."""


def check_products(root: Path) -> None:
    """NotProducts unless `root` holds a product table's directory (a products root, not a
    delivery, a table's own directory or any other folder, where every table reads empty)."""
    if not any(root.joinpath(table.prefix).is_dir() for table in TABLES):
        expected = " or ".join(table.prefix for table in TABLES)
        raise NotProducts(f"{root}: holds no products (no {expected}); give the --out directory of groundlink process")


# The statements a query may be: DuckDB parses every one but EXPLAIN as a SELECT (so does a
# parenthesised SELECT, and so does TABLE t and DESC t); EXPLAIN and EXPLAIN ANALYZE only of
# one of them, since EXPLAIN ANALYZE runs the statement it explains.
READ_ONLY_STATEMENTS = ("SELECT", "WITH", "VALUES", "FROM", "DESCRIBE", "SHOW", "SUMMARIZE")
ALLOWED = ", ".join(READ_ONLY_STATEMENTS) + ", and EXPLAIN [ANALYZE] of one of these"


class QueryRefused(ValueError):
    """A query that is not one read of the products (a write, a setting, several statements, or none)."""


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per product table under `root`, reaching no other file."""
    connection = duckdb.connect(":memory:")
    for table in TABLES:
        files = _files(table, root)
        if (why := _unreadable(files, root)) is not None:
            connection.execute(_failing_view(table, why))
            continue
        try:
            connection.execute(_view(table, files, _present(connection, files)))
        except duckdb.Error as error:  # a file DuckDB cannot open as it makes the view (a partial download)
            connection.execute(_failing_view(table, str(error)))
    directory = str(root.resolve()).rstrip("/") + "/"
    for setting in (
        # timestamps are UTC (the products', and Athena's sessions): with the machine's zone, a
        # comparison with TIMESTAMPTZ or now() gave other rows on another laptop
        "SET TimeZone = 'UTC'",
        # no spill directory: DuckDB allows its temp_directory beside allowed_directories, by
        # default `.tmp` under the working directory, whose files a query could then read
        "SET temp_directory = ''",
        f"SET allowed_directories = [{_sql_string(directory)}]",
        "SET enable_external_access = false",  # only allowed_directories, no URL
        "SET autoinstall_known_extensions = false",
        "SET autoload_known_extensions = false",
        "SET lock_configuration = true",  # a query cannot SET any of the above back
    ):
        connection.execute(setting)
    return connection


def _words(sql: str) -> list[tuple[int, str]]:
    """The tokens of `sql` other than comments: (offset, text)."""
    tokens = duckdb.tokenize(sql)
    ends = [position for position, _ in tokens[1:]] + [len(sql)]
    return [
        (position, sql[position:end].strip())
        for (position, kind), end in zip(tokens, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]


def _keyword(sql: str) -> str:
    """A statement's own name: its first keyword (two for FORCE INSTALL, FORCE CHECKPOINT)."""
    words = [text.upper() for _, text in _words(sql)[:2]]
    return " ".join(words) if words[:1] == ["FORCE"] else (words or ["?"])[0]


def _refused(sql: str, kind: str, inside: str = "") -> QueryRefused:
    """The refusal of a statement, named by its first keyword; by its type where that keyword
    starts reads as well (`WITH t AS (...) INSERT ...` is an INSERT)."""
    name = _keyword(sql)
    if (name in READ_ONLY_STATEMENTS or not name.replace(" ", "").isalpha()) and kind:
        name = kind
    where = f" (not even inside {inside})" if inside else ""
    return QueryRefused(f"{name} statements are not run{where}: queries only read the products; allowed: {ALLOWED}")


def _explained(sql: str) -> tuple[str, str]:
    """The statement an EXPLAIN statement explains, and how it is explained (EXPLAIN or
    EXPLAIN ANALYZE): after EXPLAIN come ANALYZE (or ANALYSE), VERBOSE and a parenthesised
    option list, each optional, then the statement."""
    words = _words(sql)[1:]  # past EXPLAIN
    how = "EXPLAIN"
    while words and words[0][1].upper() in ("ANALYZE", "ANALYSE", "VERBOSE"):
        if words[0][1].upper() != "VERBOSE":
            how = "EXPLAIN ANALYZE"
        words = words[1:]
    if words and words[0][1] == "(" and not _parses(sql[words[0][0] :]):  # options, not a (SELECT ...)
        depth = 0
        for number, (_, text) in enumerate(words):
            depth += (text == "(") - (text == ")")
            if depth == 0:
                words = words[number + 1 :]
                break
    if not words:
        raise QueryRefused(f"{how} of nothing: give the statement to explain; allowed: {ALLOWED}")
    return sql[words[0][0] :], how


def _parses(sql: str) -> bool:
    try:
        return len(duckdb.extract_statements(sql)) == 1
    except (duckdb.Error, ValueError):
        return False


def _judge(statement: duckdb.Statement, inside: str = "") -> None:
    """QueryRefused unless `statement` only reads: a SELECT, or an EXPLAIN of one (EXPLAIN
    ANALYZE runs the statement it explains, so what it explains is judged by its own type)."""
    try:
        kind = statement.type.name
    except ValueError:  # a statement type the Python API does not name (UPDATE EXTENSIONS)
        kind = ""
    if kind == "SELECT":
        return
    if inside or (kind != "EXPLAIN" and _keyword(statement.query) != "EXPLAIN"):  # EXPLAIN PIVOT is a MULTI
        raise _refused(statement.query, kind, inside)
    text, how = _explained(statement.query)
    try:
        explained = duckdb.extract_statements(text)
    except (duckdb.Error, ValueError):  # never run unjudged: a statement this cannot read is refused
        explained = []
    if len(explained) != 1:
        raise QueryRefused(f"{how}: cannot tell which statement it explains; allowed: {ALLOWED}")
    _judge(explained[0], how)


def refuse_all_but_reads(sql: str) -> None:
    """QueryRefused naming the first statement of `sql` that is not a read, or for no statement."""
    statements = duckdb.extract_statements(sql)
    if not statements:
        raise QueryRefused(f"no SQL statement given; allowed: {ALLOWED}")
    for statement in statements:
        _judge(statement)
    if len(statements) > 1:  # DuckDB would run them all and hand back the last one's rows only
        raise QueryRefused(f"one statement per query, as in Athena; got {len(statements)}")


# DuckDB's advice to change a setting ('Use "SET max_expression_depth TO x" to increase the
# maximum expression depth.', 'PRAGMA temp_directory=...'): a query can change none (SET and
# PRAGMA are refused, the configuration locked), so such a sentence is replaced by saying so.
_SETTING_ADVICE = re.compile(r"\b(?:SET|PRAGMA)\s+[a-z_]+\s*(?:=|TO\b|;)")
NO_SETTINGS = "DuckDB's settings cannot be changed in a groundlink query"


# DuckDB's second line, when it helps to fix the query: the names it knows that are nearest
# to the one given ('Did you mean "frame_index"?', 'Candidate bindings: "packet", ...').
_HINTS = ("Did you mean", "Candidate bindings")


_LINE = re.compile(r"LINE (\d+): ")


def _position(lines: list[str]) -> str:
    """The line of the query DuckDB points at (its `LINE 3: ...`), as ` (line 3)`. Not its column:
    DuckDB's caret counts a tab as nothing and a wide character as two."""
    for text in lines[1:]:
        if found := _LINE.match(text):
            return f" (line {found.group(1)})"
    return ""


def error_line(error: Exception) -> str:
    """A DuckDB error or a refusal as the one line to print: its first line, with DuckDB's hint
    of the names it knows and, for a table that does not exist, the tables the products hold;
    any advice to change a DuckDB setting replaced by saying that no query can change one here."""
    lines = str(error).splitlines() or [type(error).__name__]
    # where a syntax error is in the query (other errors' positions may be in a view's own SQL)
    line = lines[0] + (_position(lines) if isinstance(error, duckdb.ParserException) else "")
    if isinstance(error, duckdb.CatalogException) and line.startswith("Catalog Error: Table with name"):
        line = f"{line.rstrip('!')}; the products' tables: {', '.join(table.name for table in TABLES)}"
    elif len(lines) > 1 and lines[1].startswith(_HINTS):
        line = f"{line} {lines[1]}"
    sentences = re.split(r"(?<=[.!])\s+", line)
    kept = [sentence for sentence in sentences if not _SETTING_ADVICE.search(sentence)]
    if len(kept) == len(sentences):
        return line
    return " ".join([*kept, f"({NO_SETTINGS})"])


# Rows fetched at a time: a result is read in batches, so what a query holds in memory does not
# grow with its rows (fetching a result of 100,000,000 rows whole took 8.7 GB, 2026-12-03).
BATCH_ROWS = 10_000


class Rows(list[tuple[Any, ...]]):
    """A batch of rows as DuckDB hands them over, each written out (`_from_text`) only when read
    through `shown`: a table keeps its first 1,000 rows, and converting every row of a result it
    only counts took 4 times as long."""

    def __init__(self, rows: list[tuple[Any, ...]], converters: dict[int, Any]):
        super().__init__(rows)
        self._converters = converters

    def shown(self, count: int | None = None) -> list[tuple[Any, ...]]:
        rows = self if count is None else self[:count]
        convert = self._converters
        if not convert:
            return list(rows)
        return [tuple(convert[i](v) if i in convert else v for i, v in enumerate(row)) for row in rows]


@contextmanager
def streamed_query(
    root: Path, sql: str, connection: duckdb.DuckDBPyConnection | None = None
) -> Iterator[tuple[list[str], Iterator[Rows]]]:
    """Column names and the rows of `sql` over the products under `root`, in batches of at most
    BATCH_ROWS (reads only: QueryRefused for any other statement, before one runs). DuckDB runs
    the query as the batches are read, so an error of the query (a failed cast) may come from
    the batches too. Run on `connection` when given (`connect(root)`, kept open for the next
    query: a new database took longer than most example queries), else on one of its own."""
    refuse_all_but_reads(sql)
    own = connection is None
    connection = connect(root) if connection is None else connection
    try:
        with interrupt.asking(connection.interrupt):  # a Ctrl-C ends the query, not only its wait
            shown, names, converters = _as_text(connection, sql)
            cursor = connection.execute(shown)
            names = names or [d[0] for d in cursor.description or []]

            def batches() -> Iterator[Rows]:
                while rows := cursor.fetchmany(BATCH_ROWS):
                    yield Rows(rows, converters)

            yield names, batches()
    finally:
        if own:
            connection.close()


# Types Python's conversion misreads: an interval's months and years became 30-day blocks (a
# year was P360D), an infinite timestamp or date a real one (9999-12-31), a timestamp past year
# 9999 DuckDB's text. Such values, in a column or in a list or struct, are read as DuckDB's own
# text of them and written out here.
_AS_TEXT = ("interval", "timestamp", "timestamp with time zone", "timestamp_ns", "timestamp_ms", "timestamp_s", "date")


def _as_text(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[str, list[str], dict[int, Any]]:
    """`sql`, or, for a SELECT holding interval, timestamp or date values, the same query with
    those values cast to text (bound, not run, to learn its types); its column names; and, by
    position, what turns each cast column's value back into what the output shows."""
    if duckdb.extract_statements(sql)[0].type != duckdb.StatementType.SELECT:
        return sql, [], {}
    relation = connection.sql(_without_final_semicolons(sql))
    try:
        textual = [_textual(f"#{i + 1}", kind) for i, kind in enumerate(relation.types)]
    except (AttributeError, KeyError, ValueError):  # a type described otherwise than known: read as Python does
        return sql, [], {}
    if not any(textual):
        return sql, [], {}
    cast = ", ".join(found[0] if found else f"#{i + 1}" for i, found in enumerate(textual))
    converters = {i: found[1] for i, found in enumerate(textual) if found}
    shown = relation.project(cast).sql_query()
    try:
        duckdb.extract_statements(shown)
    except duckdb.ParserException:  # a shape the wrapping cannot take: the query as given, read as Python does
        return sql, [], {}
    return shown, list(relation.columns), converters


def _without_final_semicolons(sql: str) -> str:
    """`sql` up to its closing `;` (or `;;`, `; -- a` and `;` again), if it has any: the query is
    wrapped in parentheses to be cast, where a semicolon followed by a comment was a syntax error."""
    tokens = [(at, kind) for at, kind in duckdb.tokenize(sql) if kind != duckdb.token_type.comment]
    while tokens and tokens[-1][1] == duckdb.token_type.operator and sql[tokens[-1][0]] == ";":
        sql = sql[: tokens.pop()[0]]
    return sql


def _textual(expr: str, kind: Any, depth: int = 0) -> tuple[str, Any] | None:
    """The SQL that casts the interval, timestamp and date values of `expr` (of DuckDB type
    `kind`, within lists and structs too) to text, and the function that writes them out from
    that text; None when `expr` holds none (maps and unions are left as Python reads them)."""
    if kind.id in _AS_TEXT:
        return f"CAST({expr} AS VARCHAR)", lambda value, leaf=kind.id: _from_text(value, leaf)
    if kind.id in ("list", "array"):
        item = f"x{depth}"
        # a list's item type is its `child`; a fixed-size array's is among its children, with its size
        inner = _textual(item, dict(kind.children)["child"], depth + 1)
        if inner is None:
            return None
        sql, convert = inner
        return (
            f"list_transform({expr}, lambda {item}: {sql})",
            lambda value: None if value is None else [convert(v) for v in value],
        )
    if kind.id == "struct":
        fields = [(name, f'({expr})."{name.replace(chr(34), chr(34) * 2)}"', child) for name, child in kind.children]
        parts = [(name, field, _textual(field, child, depth)) for name, field, child in fields]
        if not any(found for _, _, found in parts):
            return None
        sql = ", ".join(
            f'"{name.replace(chr(34), chr(34) * 2)}" := {found[0] if found else field}' for name, field, found in parts
        )
        convert = {name: found[1] for name, _, found in parts if found}
        return (
            f"CASE WHEN ({expr}) IS NULL THEN NULL ELSE struct_pack({sql}) END",
            lambda value: (
                None if value is None else {k: convert[k](v) if k in convert else v for k, v in value.items()}
            ),
        )
    return None


_BC = re.compile(r"(\d+)(-\d\d-\d\d) \(BC\)(.*)$")
_INTERVAL_PART = re.compile(r"(-?\d+) (year|mon|day)s?")
_CLOCK = re.compile(r"(-?)(\d+):(\d+):(\d+)(\.\d+)?$")


def _from_text(text: Any, kind: str) -> Any:
    """DuckDB's text of an interval as an ISO 8601 duration (`P1Y2M3DT1S`, each part with its
    sign), of a timestamp in ISO 8601 UTC with a `Z`, of a date as it is (`infinity` and
    `-infinity` as they are)."""
    if not isinstance(text, str):
        return text  # NULL
    if kind == "interval":
        parts = {unit: int(n) for n, unit in _INTERVAL_PART.findall(text)}
        seconds = ""
        if clock := _CLOCK.search(text):
            sign, hours, minutes, whole, fraction = clock.groups()
            total = int(hours) * 3600 + int(minutes) * 60 + int(whole)
            seconds = f"{sign}{total}{(fraction or '').rstrip('0').rstrip('.')}"
        years = f"{parts['year']}Y" if parts.get("year") else ""
        months = f"{parts['mon']}M" if parts.get("mon") else ""
        return f"P{years}{months}{parts.get('day', 0)}DT{seconds or 0}S"
    if text in ("infinity", "-infinity"):
        return text
    if bc := _BC.match(text):  # `0051-01-01 (BC)`: ISO 8601 numbers years astronomically, 51 BC is -0050
        year = int(bc.group(1)) - 1
        text = f"{'-' if year else ''}{year:04d}{bc.group(2)}{bc.group(3)}"
    if kind == "date":
        return text
    return text.removesuffix("+00").replace(" ", "T", 1) + "Z"


def run_query(root: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and every row of `sql` (the example queries, whose results are a few rows)."""
    with streamed_query(root, sql) as (names, batches):
        return names, [row for batch in batches for row in batch.shown()]
