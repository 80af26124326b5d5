"""The Athena example queries are ones Athena runs over the tables the plan declares.

Two ways the shared DuckDB text failed there: with AWS Ground Station the product tables'
`satellite` partition is injected, and Athena refuses a query without a static equality on
it; and Trino's UNNEST of an array of rows gives a column per field, so one alias for the
whole row is refused."""

from __future__ import annotations

import re

from groundlink.processing.examples import EXAMPLES, SATELLITE
from groundlink.processing.tables import CHANNEL_FIELDS, TABLES

from .conftest import cached_plan

GLUE_TABLE = "aws:glue/catalogTable:CatalogTable"


def _product_tables(spec: str) -> dict[str, dict[str, str]]:
    names = {table.name for table in TABLES}
    tables = {
        r.inputs["name"]: r.inputs["parameters"]
        for r in cached_plan(spec, "aws").of_type(GLUE_TABLE)
        if r.inputs["name"] in names
    }
    assert set(tables) == names
    return tables


def _tables_read(sql: str) -> set[str]:
    return set(re.findall(r"\bFROM (\w+)", sql))


def test_with_ground_station_every_athena_example_names_the_injected_satellite():
    tables = _product_tables("noaa20.yaml")
    injected = {name for name, params in tables.items() if params["projection.satellite.type"] == "injected"}
    assert injected == set(tables)
    for example in EXAMPLES:
        assert _tables_read(example.athena) & injected, example.title
        assert re.search(rf"\bWHERE (\w+\.)?satellite = '{re.escape(SATELLITE)}'", example.athena), example.title
        assert f"'{SATELLITE}'" not in example.duckdb  # DuckDB reads every satellite's partitions


def test_with_a_partner_the_same_filter_meets_a_projected_satellite():
    tables = _product_tables("partner.yaml")
    assert {params["projection.satellite.type"] for params in tables.values()} == {"enum"}


def test_the_athena_unnest_names_every_field_of_a_channel_in_order():
    (breakdown,) = [e for e in EXAMPLES if "UNNEST" in e.athena]
    aliases = re.search(r"UNNEST\(s\.channels\) AS c\(([^)]*)\)", breakdown.athena)
    assert aliases is not None
    assert [name.strip() for name in aliases.group(1).split(",")] == [field.name for field in CHANNEL_FIELDS]
    assert "AS t(c)" in breakdown.duckdb  # DuckDB: one struct column


def test_synapse_counts_rows_as_bigint_as_duckdb_and_athena_do():
    """T-SQL's COUNT returns int and fails past 2,147,483,647 rows (error 8115), which a
    mission's ok frames pass within its retention; COUNT_BIG returns bigint."""
    counted = [e for e in EXAMPLES if "COUNT(" in e.duckdb]
    assert counted  # "Frames by status"
    for example in EXAMPLES:
        assert not re.search(r"\bCOUNT\(", example.synapse), example.title
    for example in counted:
        assert example.synapse == example.duckdb.replace("COUNT(", "COUNT_BIG("), example.title


def test_every_engine_lists_a_contact_without_a_start_time_last_when_ordering_by_it():
    """A contact whose capture held no packet has a NULL start_time. DuckDB and Trino sort NULLs
    last in an ascending order, T-SQL first, so the shared text put Synapse's undated contacts at
    the top of "oldest first". DuckDB's `default_null_order` plays T-SQL's rule here."""
    import duckdb

    ordered = [example for example in EXAMPLES if "ORDER BY" in example.synapse and "start_time" in example.synapse]
    assert ordered
    for example in ordered:
        rows = {}
        for engine, sql, nulls in (
            ("duckdb", example.duckdb, "nulls_last"),
            ("synapse", example.synapse, "nulls_first"),
        ):
            with duckdb.connect() as db:
                db.execute(f"SET default_null_order = '{nulls}'")
                db.execute(
                    "CREATE TABLE contact_summary AS SELECT * FROM (VALUES "
                    "('noaa20', 'b', TIMESTAMP '2025-12-02 09:00:00', TIMESTAMP '2025-12-02 09:10:00', 9, 0, 0, '2025', '12'),"
                    "('noaa20', 'n', NULL, NULL, 0, 0, 0, '2025', '12'),"
                    "('noaa20', 'a', TIMESTAMP '2025-12-01 09:00:00', TIMESTAMP '2025-12-01 09:10:00', 9, 0, 0, '2025', '12')"
                    ") AS t(satellite, contact_id, start_time, end_time, frames, gaps, missing_frames, year, month)"
                )
                rows[engine] = [row[1] for row in db.execute(sql).fetchall()]
        assert rows["synapse"] == rows["duckdb"] == ["a", "b", "n"], (example.title, rows)
