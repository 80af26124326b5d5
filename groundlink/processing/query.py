"""`groundlink query`: DuckDB over a products directory, the embedded stand-in for Athena
and Synapse serverless SQL. Each product table is a view with the catalog's columns
(groundlink.processing.tables) and its partition keys as strings, as the catalog declares them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from .tables import PARTITION_KEYS, TABLES, Table


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _view(table: Table, root: Path) -> str:
    columns = ", ".join(f'CAST("{c.name}" AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
    keys = ", ".join(f'"{k}"' for k in PARTITION_KEYS)
    glob = root / table.prefix / "/".join("*" for _ in PARTITION_KEYS) / "*.parquet"
    if not any(root.joinpath(table.prefix).glob("/".join("*" for _ in PARTITION_KEYS) + "/*.parquet")):
        nulls = ", ".join(f'CAST(NULL AS {c.duckdb}) AS "{c.name}"' for c in table.columns)
        parts = ", ".join(f'CAST(NULL AS VARCHAR) AS "{k}"' for k in PARTITION_KEYS)
        return f"CREATE VIEW {table.name} AS SELECT {nulls}, {parts} WHERE false"
    types = ", ".join(f"'{k}': VARCHAR" for k in PARTITION_KEYS)
    return (
        f"CREATE VIEW {table.name} AS SELECT {columns}, {keys} FROM read_parquet("
        f"{_sql_string(str(glob))}, hive_partitioning = true, hive_types = {{{types}}})"
    )


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per product table under `root`."""
    connection = duckdb.connect(":memory:")
    for table in TABLES:
        connection.execute(_view(table, root))
    return connection


def run_query(root: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of `sql` over the products under `root`."""
    connection = connect(root)
    try:
        cursor = connection.execute(sql)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()
    finally:
        connection.close()
