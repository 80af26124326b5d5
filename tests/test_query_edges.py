"""`groundlink query` where a user's terminal, time zone, bytes and files are not the test
machine's: every value shown, the same rows everywhere, one line for what cannot be read."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from groundlink.app.processing_commands import _table
from groundlink.cli import main
from groundlink.processing import query
from groundlink.processing.query import Rows
from tests.contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    said = capsys.readouterr()
    assert said.out == ""
    return said.err


def test_a_row_wider_than_the_terminal_is_drawn_as_records_with_every_value():
    """At 80 columns rich drew twenty columns, five of them 0 wide: their values vanished
    without a word. Columns that cannot each be 4 wide are drawn as records instead."""
    names = [f"column_{i:02d}" for i in range(20)]
    row = tuple(f"v{i:02d}" for i in range(20))
    drawn = _table(Console(width=80, emoji=False), "", "", names, iter([Rows([row], {})]))
    assert all(name in drawn and value in drawn for name, value in zip(names, row, strict=True))
    assert max(len(line) for line in drawn.splitlines()) <= 80
    narrow = _table(Console(width=80, emoji=False), "", "", names[:3], iter([Rows([row[:3]], {})]))
    assert "column_00" in narrow.splitlines()[1] and "column_02" in narrow.splitlines()[1]  # a table still
    # the threshold: 16 columns of 3 characters need 97 at 3 wide each, more than 80; 10 need 61
    short = [f"c{i:02d}" for i in range(16)]
    values = tuple(f"v{i:02d}" for i in range(16))
    sixteen = _table(Console(width=80, emoji=False), "", "", short, iter([Rows([values], {})]))
    assert all(value in sixteen for value in values)  # drawn 2 wide, each was cut in two
    ten = _table(Console(width=80, emoji=False), "", "", short[:10], iter([Rows([values[:10]], {})]))
    assert all(name in ten.splitlines()[1] for name in short[:10])  # one header row: a table


def test_timestamps_compare_in_utc_whatever_the_machine_s_zone(products, capsys, monkeypatch):
    """DuckDB took the machine's zone: `start_time < TIMESTAMPTZ ...` counted other rows in New
    York and in Tokyo than in UTC. Athena's sessions run in UTC, and so does a query here."""
    assert main(["query", str(products), "SELECT start_time FROM contact_summary", "--json"]) == 0
    start = datetime.fromisoformat(json.loads(capsys.readouterr().out)["start_time"])
    hour = timedelta(hours=1)
    sql = (
        "SELECT current_setting('TimeZone') AS tz, "
        f"count(*) FILTER (WHERE start_time > TIMESTAMPTZ '{start - hour}') AS after_an_hour_before, "
        f"count(*) FILTER (WHERE start_time > TIMESTAMPTZ '{start + hour}') AS after_an_hour_after "
        "FROM contact_summary"
    )
    counts = []
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        monkeypatch.setenv("TZ", zone)
        assert main(["query", str(products), sql, "--json"]) == 0
        counts.append(json.loads(capsys.readouterr().out))
    assert counts == [{"tz": "UTC", "after_an_hour_before": 1, "after_an_hour_after": 0}] * 3


def test_sql_holding_a_byte_that_is_not_utf8_is_one_line(products, capsys):
    """A Latin-1 query file given with "$(cat q.sql)" reached DuckDB and ended in a traceback."""
    assert main(["query", str(products), "SELECT 'caf\udce9' AS x"]) == 2
    assert _err(capsys) == (
        "groundlink: the SQL holds a byte that is not UTF-8 (0xE9, character 12); give the query as UTF-8 text\n"
    )


def test_sql_opening_with_a_byte_that_is_not_utf8_is_one_line_too(products, capsys):
    assert main(["query", str(products), "\udce9SELECT 1"]) == 2
    assert _err(capsys) == (
        "groundlink: the SQL holds a byte that is not UTF-8 (0xE9, character 1); give the query as UTF-8 text\n"
    )


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT contact_id, start_time FROM contact_summary; -- the latest\n",
        "-- header\nSELECT contact_id, start_time FROM contact_summary;\n-- footer\n",
    ],
    ids=["comment-after-semicolon", "comments-around"],
)
def test_a_query_ending_in_a_semicolon_and_a_comment_reads_its_timestamps(products, capsys, sql):
    """A query with a timestamp column is cast to text inside parentheses: a `;` followed by a
    comment ended up inside them, and the query failed with a syntax error at lines it never had."""
    assert main(["query", str(products), sql, "--json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["start_time"].endswith("Z")


def test_a_products_directory_named_with_a_byte_that_is_not_utf8_is_one_line(products, capsys):
    odd = products.parent / os.fsdecode(b"pq\xff")
    products.rename(odd)
    assert main(["query", str(odd), "SELECT 1"]) == 2
    assert _err(capsys) == (
        f"groundlink: {products.parent}/pq\\xff: its name holds a byte that is not UTF-8; rename it\n"
    )


def test_an_out_named_with_a_byte_that_is_not_utf8_is_refused_before_anything_is_written(tmp_path, capsys):
    packets = packetise(stream_of(frames([0, 1])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    out = tmp_path / os.fsdecode(b"prod\xff")
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    assert (
        _err(capsys) == f"groundlink: --out {tmp_path}/prod\\xff: its name holds a byte that is not UTF-8; rename it\n"
    )
    assert not out.exists()


def test_every_example_runs_though_a_damaged_file_fails_those_of_its_table(products, capsys):
    """With a frame index cut short, --examples stopped at the first example that reads it:
    the contact-summary examples after it never ran."""
    (index,) = products.glob("frame_index/*/*/*/*/*.parquet")
    index.write_bytes(index.read_bytes()[:100])
    assert main(["query", str(products), "--examples", "--json"]) == 2
    said = capsys.readouterr()
    ran = [json.loads(line)["example"] for line in said.out.splitlines()]
    assert ran == ["Contacts of December 2025, oldest first", "Spacecraft and virtual channel breakdown"]
    failed = [line.split(": ", 2)[1] for line in said.err.splitlines()]
    assert failed == [
        "example 'Frames by status'",
        "example 'Where frames went missing'",
        "example 'Corrupt frames and why'",
    ]
    assert all(f"No magic bytes found at end of file '{index}'" in line for line in said.err.splitlines())
    # a filter on the damaged table's columns raises too: it was folded to no rows, exit 0
    assert main(["query", str(products), "SELECT * FROM frame_index WHERE status = 'corrupt'"]) == 2
    assert "No magic bytes found" in _err(capsys)


def test_a_table_linked_in_from_outside_the_products_says_so(products, tmp_path, capsys):
    """DuckDB said "file system operations are disabled by configuration" of a file the view
    found through a link out of the products directory, naming neither the link nor the way out."""
    store = tmp_path / "store"
    store.mkdir()
    (products / "frame_index").rename(store / "frame_index")
    (products / "frame_index").symlink_to(store / "frame_index")
    assert main(["query", str(products), "SELECT count(*) AS n FROM contact_summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"n": 1}  # the other table reads as before
    assert main(["query", str(products), "SELECT count(*) FROM frame_index"]) == 2
    assert _err(capsys) == (
        f"groundlink: Invalid Input Error: {products / 'frame_index'} is a link to {store / 'frame_index'}, outside "
        "the products directory, and a query reads only files inside it: copy what it links to into its place\n"
    )


def test_a_syntax_error_says_where_it_is(products, capsys):
    sql = "SELECT contact_id, frame\nFROM frame_index\nWHERE status = 'ok' AND frame > 3 AND AND frame < 10"
    assert main(["query", str(products), sql]) == 2
    assert _err(capsys) == 'groundlink: Parser Error: syntax error at or near "AND" (line 3)\n'


def test_an_empty_result_on_a_narrow_terminal_still_names_its_columns():
    """The record layout of no rows drew its own row/column/value header and nothing else."""
    names = [f"column_{i:02d}" for i in range(20)]
    drawn = _table(Console(width=80, emoji=False), "", "", names, iter([]))
    assert "column (no rows)" in drawn and all(name in drawn for name in names)  # drawn 1 wide, each was folded


def test_a_null_struct_holding_a_timestamp_stays_null(products, capsys):
    """The cast rebuilt a NULL struct as a struct of NULLs: a record that does not exist read as
    one with empty fields."""
    sql = (
        "SELECT CAST(NULL AS STRUCT(t TIMESTAMP, n INT)) AS none, [{'i': INTERVAL 1 YEAR}, NULL] AS listed, "
        "captured_at FROM frame_index LIMIT 1; -- a comment\n; -- and a second semicolon"
    )
    assert main(["query", str(products), sql, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert (row["none"], row["listed"]) == (None, [{"i": "P1Y0DT0S"}, None])


def test_a_map_s_timestamps_keys_and_values_are_written_as_a_column_s_are(products, capsys):
    """A MAP reaches JSON as Python reads it: its timestamp values were written `+00:00` and its
    timestamp keys (`histogram` of a time) as `2025-12-01 09:00:00`, where every other timestamp
    of `--json` is ISO 8601 with a Z."""
    sql = (
        "SELECT MAP {'first': min(captured_at)} AS m, histogram(date_trunc('hour', captured_at)) AS per_hour, "
        "MAP {1: 'one'} AS numbered, strftime(min(captured_at), '%Y-%m-%dT%H:00:00Z') AS hour, count(*) AS n "
        "FROM frame_index"
    )
    assert main(["query", str(products), sql, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["m"]["first"].endswith("Z") and "+" not in row["m"]["first"]
    assert row["per_hour"] == {row["hour"]: row["n"]}  # the products' frames lie within one hour
    assert row["numbered"] == {"1": "one"}


def test_a_map_s_intervals_are_iso_8601_durations_as_a_column_s_are(products, capsys):
    """A MAP's intervals reach JSON as Python's timedelta: a whole number of seconds is `P0DT5S`
    (no dangling point, `P0DT5.S` is no ISO 8601 duration) and a fraction keeps every digit."""
    sql = "SELECT MAP {'whole': INTERVAL 5 SECOND, 'fine': INTERVAL '00:00:01.25'} AS m"
    assert main(["query", str(products), sql, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"m": {"whole": "P0DT5S", "fine": "P0DT1.25S"}}


def test_a_fixed_size_array_is_a_list_of_values_written_out(products, capsys):
    """An ARRAY column (INT[2] as much as INTERVAL[2]) ended in a traceback: its item type is not
    where a list keeps it."""
    sql = "SELECT [1, 2]::INT[2] AS plain, [INTERVAL 1 YEAR, INTERVAL 36 HOUR]::INTERVAL[2] AS spans"
    assert main(["query", str(products), sql, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"plain": [1, 2], "spans": ["P1Y0DT0S", "P0DT129600S"]}


def test_a_table_writes_out_only_the_rows_it_shows(products, capsys, monkeypatch):
    """Every row of a result was converted, though a table shows 1,000: 4 times the time."""
    written = []
    real = query._from_text
    monkeypatch.setattr(query, "_from_text", lambda text, kind: written.append(1) or real(text, kind))
    sql = "SELECT TIMESTAMP '2024-01-01' + to_microseconds(i) AS t FROM range(3000) r(i)"
    assert main(["query", str(products), sql]) == 0
    assert "the first 1,000 of 3,000 rows" in capsys.readouterr().out
    assert len(written) == 1000


def _as_written_before_idle_frames(path):
    """The contact summary at `path` as the processor wrote it before idle_frames was a column."""
    import pyarrow.parquet as pq

    pq.write_table(pq.read_table(path).drop_columns(["idle_frames"]), path)


def _rows(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("old_first", [True, False])
def test_a_summary_written_before_a_column_was_added_reads_it_as_null(products, capsys, old_first):
    """Athena reads Parquet by name and gives an added column NULL in older files; the local
    stand-in read by position, and one old summary failed every query of the table (sorted first)
    or every query naming the new column (sorted after), --examples included."""
    (summary,) = products.glob("contact_summary/*/*/*/*/*.parquet")
    other = Path(str(summary).replace("day=01", "day=00" if old_first else "day=02"))
    other.parent.mkdir(parents=True)
    other.write_bytes(summary.read_bytes())
    _as_written_before_idle_frames(other)
    sql = "SELECT day, frames, idle_frames FROM contact_summary ORDER BY day"
    assert main(["query", str(products), sql, "--json"]) == 0
    rows = _rows(capsys)
    old, new = (rows[0], rows[1]) if old_first else (rows[1], rows[0])
    assert old["idle_frames"] is None and new["idle_frames"] == 0
    assert old["frames"] == new["frames"] == 3
    assert main(["query", str(products), "--examples", "--json"]) == 0


def test_a_column_no_file_holds_yet_reads_as_null(products, capsys):
    (summary,) = products.glob("contact_summary/*/*/*/*/*.parquet")
    _as_written_before_idle_frames(summary)
    assert main(["query", str(products), "SELECT frames, idle_frames FROM contact_summary", "--json"]) == 0
    assert _rows(capsys) == [{"frames": 3, "idle_frames": None}]


def test_a_value_is_never_cut_in_two_at_any_width_it_fits():
    """Folded to its column at 40 columns, a count of 505280 read 50528 over 0: a column is as
    wide as its longest word, and where those do not fit the row is drawn as records."""
    names = ["contact_id", "frames", "ok_frames", "missing_frames", "payload_bytes"]
    row = ("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1", 494, 491, 9, 505280)
    for width in range(40, 121):
        drawn = _table(Console(width=width, emoji=False), "", "", names, iter([Rows([row], {})]))
        words = drawn.split()
        assert all(str(value) in words for value in row[1:]), width  # the figures, at every width
        if width >= 64:  # the id too, where a record's row, column and value columns hold it
            assert row[0] in words, width
        assert max(len(line) for line in drawn.splitlines()) <= width
