"""`groundlink query` reads and nothing else: what EXPLAIN ANALYZE would run is judged, a
refusal names the statement and what is allowed, DuckDB's advice to change a setting is not
passed on, and a table whose reader leaves ends 141."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from groundlink.cli import main
from tests.contactgen import CONTACT_A

# The message lists exactly these, as docs/processing.md does.
ALLOWED = "SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW, SUMMARIZE, and EXPLAIN [ANALYZE] of one of these"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "processing.md"


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("sql", "line"),
    [
        (
            "EXPLAIN ANALYZE COPY (SELECT * FROM frame_index) TO '{out}/frame_index/x.parquet' (FORMAT parquet)",
            "COPY statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
        (
            "EXPLAIN ANALYZE COPY (SELECT 1) TO '{out}/frame_index/year=2025/month=12/day=01/satellite=noaa20/"
            + CONTACT_A
            + ".parquet' (FORMAT parquet)",  # over a product
            "COPY statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
        (
            "/* a */ explain -- b\n analyze (FORMAT json) copy (select 1) to '{out}/x.csv'",
            "COPY statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
        ("EXPLAIN COPY (SELECT 1) TO '{out}/x.csv'", "COPY statements are not run (not even inside EXPLAIN)"),
        (
            "EXPLAIN ANALYZE CREATE TABLE t AS SELECT * FROM frame_index",
            "CREATE statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
        (
            "EXPLAIN ANALYZE PIVOT frame_index ON status",
            "PIVOT statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
        (
            "SELECT 1; EXPLAIN ANALYZE COPY (SELECT 1) TO '{out}/x.csv'",
            "COPY statements are not run (not even inside EXPLAIN ANALYZE)",
        ),
    ],
)
def test_what_explain_analyze_would_run_is_judged_and_nothing_is_written(
    products: Path, capsys: pytest.CaptureFixture[str], sql: str, line: str
) -> None:
    before = _listing(products.parent)
    assert main(["query", str(products), sql.format(out=products)]) == 2
    assert capsys.readouterr().err == (f"groundlink: {line}: queries only read the products; allowed: {ALLOWED}\n")
    assert _listing(products.parent) == before


@pytest.mark.parametrize(
    "sql",
    [
        "EXPLAIN ANALYZE SELECT count(*) FROM frame_index",
        "EXPLAIN (FORMAT json) SELECT count(*) FROM frame_index",
        "EXPLAIN ANALYZE WITH f AS (SELECT * FROM frame_index) SELECT count(*) FROM f",
        "EXPLAIN (SELECT 1)",
        "DESCRIBE frame_index",
        "SHOW TABLES",
        "SUMMARIZE contact_summary",
        "VALUES (1)",
        "FROM frame_index LIMIT 1",
    ],
)
def test_reads_and_explains_of_reads_still_run(products: Path, capsys: pytest.CaptureFixture[str], sql: str) -> None:
    assert main(["query", str(products), sql, "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out.strip()


@pytest.mark.parametrize(
    "sql",
    ["SELECT 1 AS a, 2 AS a", "SELECT s.frames, c.frames FROM contact_summary s, UNNEST(s.channels) AS t(c)"],
    ids=["aliases", "a-nested-field"],
)
def test_json_refuses_a_column_name_the_query_repeats(
    products: Path, capsys: pytest.CaptureFixture[str], sql: str
) -> None:
    """One JSON object per row holds a name once: the later column silently replaced the
    earlier (a contact's frames gone behind its channel's). The table shows both; --json says so."""
    assert main(["query", str(products), sql, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        captured.err.startswith("groundlink: --json: the query returns more than one column named ")
        and captured.err.count("\n") == 1
    )
    assert main(["query", str(products), sql]) == 0


@pytest.mark.parametrize(
    ("sql", "keyword"),
    [
        ("INSTALL httpfs", "INSTALL"),
        ("FORCE INSTALL httpfs", "FORCE INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("USE memory", "USE"),
        ("RESET threads", "RESET"),
        ("PRAGMA version", "PRAGMA"),
        ("CALL pragma_version()", "CALL"),
        ("ANALYZE", "ANALYZE"),
        ("UPDATE EXTENSIONS", "UPDATE"),  # a statement type the Python API has no name for: was a traceback
        ("FORCE CHECKPOINT", "FORCE CHECKPOINT"),
        ("WITH f AS (SELECT 1 AS a) INSERT INTO frame_index SELECT * FROM f", "INSERT"),  # not "WITH", allowed
    ],
)
def test_a_refusal_names_the_statement_by_its_own_keyword_and_lists_what_is_allowed(
    products: Path, capsys: pytest.CaptureFixture[str], sql: str, keyword: str
) -> None:
    assert main(["query", str(products), sql]) == 2
    assert capsys.readouterr().err == (
        f"groundlink: {keyword} statements are not run: queries only read the products; allowed: {ALLOWED}\n"
    )


def test_the_docs_allow_what_the_refusal_lists() -> None:
    text = " ".join(DOCS.read_text().split())
    start = text.index("`groundlink query` only reads")
    paragraph = text[start : text.index("never reach DuckDB", start)]
    allowed = "the statements allowed are `SELECT`, `WITH`, `VALUES`, `FROM`, `DESCRIBE`, `SHOW` and `SUMMARIZE`"
    assert allowed in paragraph
    assert "`EXPLAIN` or `EXPLAIN ANALYZE` of one of them" in paragraph


def test_duckdb_advice_to_change_a_setting_is_not_passed_on(products: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = "SELECT " + "(" * 1100 + "1" + ")" * 1100
    assert main(["query", str(products), deep]) == 2
    error = capsys.readouterr().err
    assert error == (
        "groundlink: Parser Error: Max expression depth limit of 1000 exceeded. "
        "(DuckDB's settings cannot be changed in a groundlink query)\n"
    )
    # a value that merely holds the word SET is no advice, and is printed as DuckDB gives it
    assert main(["query", str(products), 'SELECT "SET x" FROM frame_index']) == 2
    assert capsys.readouterr().err.startswith('groundlink: Binder Error: Referenced column "SET x" not found')


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["table", "json"])
def test_a_table_whose_reader_leaves_after_one_line_ends_141(
    products: Path, extra: list[str], unbuffered: bool
) -> None:
    """`groundlink query P "SELECT ..." | head -1`: with PYTHONUNBUFFERED set, the table was
    written in one go, the write came back short when head left, and the rest was dropped
    without an error: exit 0.

    The pipe holds one page, less than the output (the table shows 1,000 rows, about 12 kB):
    in a pipe of the default 64 kB the whole table could be written before the reader left,
    and exit 0 was then the right answer."""
    sql = "SELECT range AS r FROM range(200000)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read, write = os.pipe()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
    with os.fdopen(read, "rb") as reader:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "groundlink.cli", "query", str(products), sql, *extra],
                stdout=write,
                stderr=subprocess.PIPE,
                env=env,
            )
        finally:
            os.close(write)
        assert process.stderr is not None
        assert reader.readline()  # the first line, then the reader leaves
    error = process.stderr.read()
    assert (process.wait(timeout=120), error) == (141, b"")
