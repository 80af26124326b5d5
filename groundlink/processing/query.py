"""`groundlink query`: DuckDB over a products directory, the embedded stand-in for Athena
and Synapse serverless SQL. Each product table is a view with the catalog's columns
(groundlink.processing.tables) and its partition keys as strings, as the catalog declares them.

A query only reads, as a query of Athena or of Synapse serverless SQL over the catalog does:
statements other than SELECT (and EXPLAIN of one) are refused before anything runs, and the
connection reaches no file outside the products directory, installs and loads no extension,
and cannot be reconfigured by the query (DuckDB's own settings, locked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .tables import PARTITION_KEYS, TABLES, Table


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _view(table: Table, root: Path) -> str:
    """The table's view over its files, found here and named one by one: DuckDB would read
    `[`, `*` or `?` in the products directory's own path as a pattern."""
    columns = ", ".join(f'CAST("{c.name}" AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
    keys = ", ".join(f'"{k}"' for k in PARTITION_KEYS)
    files = sorted(root.joinpath(table.prefix).glob("/".join(f"{k}=*" for k in PARTITION_KEYS) + "/*.parquet"))
    if not files:
        nulls = ", ".join(f'CAST(NULL AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
        parts = ", ".join(f'CAST(NULL AS VARCHAR) AS "{k}"' for k in PARTITION_KEYS)
        return f"CREATE VIEW {table.name} AS SELECT {nulls}, {parts} WHERE false"
    types = ", ".join(f"'{k}': VARCHAR" for k in PARTITION_KEYS)
    names = ", ".join(_sql_string(str(path)) for path in files)
    return (
        f"CREATE VIEW {table.name} AS SELECT {columns}, {keys} FROM read_parquet("
        f"[{names}], hive_partitioning = true, hive_types = {{{types}}})"
    )


class NotProducts(ValueError):
    """A directory that holds none of the product tables: not what `groundlink process` wrote."""


def check_products(root: Path) -> None:
    """NotProducts unless `root` holds a product table's directory (a products root, not a
    delivery, a table's own directory or any other folder, where every table reads empty)."""
    if not any(root.joinpath(table.prefix).is_dir() for table in TABLES):
        expected = " or ".join(table.prefix for table in TABLES)
        raise NotProducts(f"{root}: holds no products (no {expected}); give the --out directory of groundlink process")


# SELECT covers DESCRIBE, SHOW, SUMMARIZE, VALUES, FROM-first and WITH queries as well.
READ_ONLY_STATEMENTS = ("SELECT", "EXPLAIN")


class QueryRefused(ValueError):
    """A query that is not one read of the products (a write, a setting, several statements, or none)."""


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per product table under `root`, reaching no other file."""
    connection = duckdb.connect(":memory:")
    for table in TABLES:
        connection.execute(_view(table, root))
    directory = str(root.resolve()).rstrip("/") + "/"
    for setting in (
        f"SET allowed_directories = [{_sql_string(directory)}]",
        "SET enable_external_access = false",  # only allowed_directories, no URL
        "SET autoinstall_known_extensions = false",
        "SET autoload_known_extensions = false",
        "SET lock_configuration = true",  # a query cannot SET any of the above back
    ):
        connection.execute(setting)
    return connection


def refuse_all_but_reads(sql: str) -> None:
    """QueryRefused naming the first statement of `sql` that is not a read, or for no statement."""
    statements = duckdb.extract_statements(sql)
    if not statements:
        raise QueryRefused("no SQL statement given; allowed: " + ", ".join(READ_ONLY_STATEMENTS))
    for statement in statements:
        kind = statement.type.name
        if kind not in READ_ONLY_STATEMENTS:
            raise QueryRefused(
                f"{kind} statements are not run: queries only read the products; allowed: "
                + ", ".join(READ_ONLY_STATEMENTS)
            )
    if len(statements) > 1:  # DuckDB would run them all and hand back the last one's rows only
        raise QueryRefused(f"one statement per query, as in Athena; got {len(statements)}")


def run_query(root: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of `sql` over the products under `root` (reads only: QueryRefused
    for any other statement, before one runs)."""
    refuse_all_but_reads(sql)
    connection = connect(root)
    try:
        cursor = connection.execute(sql)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()
    finally:
        connection.close()
