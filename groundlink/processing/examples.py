"""The documented example queries, in the dialect of each engine that serves the product tables.

docs/processing.md prints them, `groundlink query DIR --examples` and `make demo` run the
DuckDB text, and a test keeps the two identical. DuckDB and Athena (Trino) share one text
where their SQL agrees; Synapse serverless SQL reads a nested Parquet column as JSON,
so its breakdown query goes through OPENJSON.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    title: str
    duckdb: str
    athena: str
    synapse: str


def _same(title: str, sql: str, synapse: str | None = None) -> Example:
    return Example(title, sql, sql, synapse or sql)


EXAMPLES = (
    _same(
        "Contacts of December 2025, oldest first",
        "SELECT satellite, contact_id, start_time, end_time, frames, gaps, missing_frames\n"
        "FROM contact_summary\n"
        "WHERE year = '2025' AND month = '12'\n"
        "ORDER BY start_time",
    ),
    _same(
        "Frames by status",
        "SELECT status, COUNT(*) AS frames\nFROM frame_index\nGROUP BY status\nORDER BY status",
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
    ),
)
