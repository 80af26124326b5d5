"""The documented example queries, in the dialect of each engine that serves the product tables.

docs/processing.md prints them, `groundlink query DIR --examples` and `make demo` run the
DuckDB text, and a test keeps the two identical.

Athena's differ from DuckDB's in two ways:
- With AWS Ground Station the `satellite` partition is injected (its ids are UUIDs given at
  onboarding, not in the spec), and Athena refuses a query on an injected column without a
  static equality on it ("CONSTRAINT_VIOLATION: For the injected projected partition column
  satellite, the WHERE clause must contain only static equality conditions"; Amazon Athena
  User Guide, "Use dynamic ID partitioning"). Every Athena text names the satellite; with a
  partner (projected from the spec's names) the same filter works.
- Trino's UNNEST of an array of rows gives one column per field, so the alias lists them
  all (Trino documentation, SELECT, "UNNEST"); DuckDB gives one struct column.
Synapse serverless SQL reads a nested Parquet column as JSON, so its breakdown query goes
through OPENJSON.
"""

from __future__ import annotations

from dataclasses import dataclass

from .tables import CHANNEL_FIELDS

SATELLITE = "<satellite id>"
"""The placeholder of the Athena texts: the satellite's partition value (its Ground Station
id, or its spec name with a partner)."""


@dataclass(frozen=True)
class Example:
    title: str
    duckdb: str
    athena: str
    synapse: str


def _on_one_satellite(sql: str) -> str:
    """`sql` restricted to one satellite, as Athena needs on an injected partition column."""
    condition = f"satellite = '{SATELLITE}'"
    if "\nWHERE " in sql:
        return sql.replace("\nWHERE ", f"\nWHERE {condition} AND ", 1)
    head, clause, tail = sql.partition("\nGROUP BY ") if "\nGROUP BY " in sql else sql.partition("\nORDER BY ")
    return f"{head}\nWHERE {condition}{clause}{tail}"


def _same(title: str, sql: str, synapse: str | None = None, athena: str | None = None) -> Example:
    return Example(title, sql, athena or _on_one_satellite(sql), synapse or sql)


_CHANNEL_COLUMNS = ", ".join(field.name for field in CHANNEL_FIELDS)

EXAMPLES = (
    _same(
        "Contacts of December 2025, oldest first",
        "SELECT satellite, contact_id, start_time, end_time, frames, gaps, missing_frames\n"
        "FROM contact_summary\n"
        "WHERE year = '2025' AND month = '12'\n"
        "ORDER BY start_time",
        # a contact without a packet has no start_time (NULL): DuckDB and Trino put NULLs last in
        # an ascending order, T-SQL first ("Null values are treated as the lowest possible
        # values", ORDER BY Clause (Transact-SQL), Microsoft Learn), and takes no NULLS LAST
        synapse="SELECT satellite, contact_id, start_time, end_time, frames, gaps, missing_frames\n"
        "FROM contact_summary\n"
        "WHERE year = '2025' AND month = '12'\n"
        "ORDER BY CASE WHEN start_time IS NULL THEN 1 ELSE 0 END, start_time",
    ),
    _same(
        "Frames by status",
        "SELECT status, COUNT(*) AS frames\nFROM frame_index\nGROUP BY status\nORDER BY status",
        # T-SQL's COUNT returns int, which overflows (error 8115) past 2,147,483,647 rows: a
        # mission's ok frames pass it within its products' retention (about 16 months of
        # noaa20). COUNT_BIG returns bigint, as DuckDB's and Trino's COUNT do ("COUNT
        # (Transact-SQL)", Microsoft Learn, which applies to Azure Synapse Analytics).
        synapse="SELECT status, COUNT_BIG(*) AS frames\nFROM frame_index\nGROUP BY status\nORDER BY status",
    ),
    _same(
        "Where frames went missing",
        "SELECT contact_id, spacecraft_id, virtual_channel, frame_count, missing_before, captured_at\n"
        "FROM frame_index\n"
        "WHERE missing_before > 0\n"
        "ORDER BY contact_id, frame",
    ),
    _same(
        "Corrupt frames and why",
        "SELECT contact_id, frame, capture_file, packet, reason\n"
        "FROM frame_index\n"
        "WHERE status = 'corrupt'\n"
        "ORDER BY contact_id, frame",
    ),
    _same(
        "Spacecraft and virtual channel breakdown",
        "SELECT s.contact_id, c.spacecraft_id, c.virtual_channel, c.frames, c.gaps, c.missing_frames\n"
        "FROM contact_summary AS s\n"
        "CROSS JOIN UNNEST(s.channels) AS t(c)\n"
        "ORDER BY s.contact_id, c.spacecraft_id, c.virtual_channel",
        "SELECT s.contact_id, c.spacecraft_id, c.virtual_channel, c.frames, c.gaps, c.missing_frames\n"
        "FROM contact_summary AS s\n"
        "CROSS APPLY OPENJSON(s.channels) WITH (\n"
        "    spacecraft_id int, virtual_channel int, frames bigint, gaps bigint, missing_frames bigint\n"
        ") AS c\n"
        "ORDER BY s.contact_id, c.spacecraft_id, c.virtual_channel",
        "SELECT s.contact_id, c.spacecraft_id, c.virtual_channel, c.frames, c.gaps, c.missing_frames\n"
        "FROM contact_summary AS s\n"
        f"CROSS JOIN UNNEST(s.channels) AS c({_CHANNEL_COLUMNS})\n"
        f"WHERE s.satellite = '{SATELLITE}'\n"
        "ORDER BY s.contact_id, c.spacecraft_id, c.virtual_channel",
    ),
)
