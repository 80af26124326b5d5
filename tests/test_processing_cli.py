"""`groundlink process` and `groundlink query` as a user runs them."""

from __future__ import annotations

import errno
import json
import uuid
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from groundlink.cli import main
from groundlink.processing.query import ALLOWED
from tests.contactgen import (
    CONTACT_A,
    CONTACT_B,
    EPOCH,
    Capture,
    contact_file,
    frames,
    packetise,
    raw_dir,
    stream_of,
)


def test_process_then_query_prints_the_contact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    packets = packetise(stream_of(frames([0, 1, 2, 6])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert (
        f"noaa20 contact {CONTACT_A}: 4 frames (4 ok, 0 duplicate, 0 corrupt, 0 idle), 1 gap (3 frames missing)"
        in printed
    )

    sql = "SELECT contact_id, satellite, start_time, missing_frames FROM contact_summary"
    assert main(["query", str(tmp_path / "out"), sql, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row == {
        "contact_id": CONTACT_A,
        "satellite": "noaa20",
        "start_time": "2025-12-01T00:00:00Z",
        "missing_frames": 3,
    }


@pytest.mark.parametrize("above", ["satellite=archive/year=2024", "year=1999", "day=31/month=01"])
def test_the_partitions_are_the_products_own_whatever_directories_hold_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], above: str
) -> None:
    """A `key=value` directory above PRODUCTS_DIR is no partition: DuckDB's Hive partitioning
    took it (the first in the path won), and every row read `satellite = 'archive'`."""
    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    out = tmp_path / above / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    capsys.readouterr()
    for table in ("contact_summary", "frame_index"):
        sql = f"SELECT DISTINCT year, month, day, satellite FROM {table}"
        assert main(["query", str(out), sql, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {
            "year": "2025",
            "month": "12",
            "day": "01",
            "satellite": "noaa20",
        }, table


def test_a_product_file_named_with_a_backslash_keeps_its_partitions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On POSIX a backslash is a character of a name, not a separator: the partition pattern took
    it for one, and a file so named (renamed, copied in) read its four partitions as empty."""
    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    (summary,) = out.glob("contact_summary/*/*/*/*/*.parquet")
    summary.rename(summary.with_name("copied\\in.parquet"))
    capsys.readouterr()
    assert main(["query", str(out), "SELECT year, month, day, satellite FROM contact_summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"year": "2025", "month": "12", "day": "01", "satellite": "noaa20"}


def test_a_damaged_file_of_one_table_fails_the_queries_of_that_table_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    (index,) = out.glob("frame_index/*/*/*/*/*.parquet")
    index.write_bytes(index.read_bytes()[:100])  # a partial download
    capsys.readouterr()
    assert main(["query", str(out), "SELECT frames FROM contact_summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"frames": 3}
    assert main(["query", str(out), "SELECT COUNT(*) FROM frame_index"]) == 2
    assert capsys.readouterr().err == (
        f"groundlink: Invalid Input Error: No magic bytes found at end of file '{index}'\n"
    )


def test_a_piped_query_table_holds_every_value_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Piped or redirected, rich drew the table at 80 columns and cut each cell of a wide row
    to "…": the file held no value whole. Now the table takes the width its values need."""
    packets = packetise(stream_of(frames([0, 1])), 1000, EPOCH * 1_000_000)
    capture = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    Capture(packets).write(capture)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    assert main(["query", str(tmp_path / "out"), "SELECT * FROM frame_index ORDER BY frame"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "contact_id" in line)
    first = next(line for line in lines if CONTACT_A in line)
    assert "…" not in header + first and len(header) > 80
    assert capture.name in first and "captured_at" in header and "missing" in header


def test_bad_capture_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"\x00" * 10)

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"{bad}: not a pcap or pcapng capture\ngroundlink: 1 of 1 contacts not written (above)\n"
    )
    assert not (tmp_path / "out").exists()  # the run created it, and leaves nothing behind


def test_a_failed_run_leaves_an_existing_out_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"\x00" * 10)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("keep me")

    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def _products(tmp_path: Path, name: str = "out") -> Path:
    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    out = tmp_path / name
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize(
    "words",
    [
        ["{out}", "{sql}", "--json"],
        ["{out}", "--json", "{sql}"],
        ["--json", "{out}", "{sql}"],
        ["{out}", "--json", "--", "{sql}"],
        ["{out}", "--json", "--", "-- frames\n{sql}"],  # SQL opening with a comment
    ],
    ids=["options-last", "option-between", "options-first", "option-then-double-dash", "sql-opening-with-a-comment"],
)
def test_query_takes_its_options_anywhere_among_its_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], words: list[str]
) -> None:
    """`query PRODUCTS --json SQL`, as the usage line allows, was refused: the SQL after the
    option was "unrecognized arguments"."""
    out = _products(tmp_path)
    sql = "SELECT count(*) AS frames FROM frame_index"
    capsys.readouterr()
    assert main(["query", *(w.format(out=out, sql=sql) for w in words)]) == 0
    assert capsys.readouterr().out == '{"frames": 3}\n'


@pytest.mark.parametrize(
    ("words", "line"),
    [
        (["--examples", "SELECT 1"], "groundlink: give either SQL or --examples"),
        (["SELECT 1", "SELECT 2"], "groundlink: query: unrecognized arguments: SELECT 2; see groundlink query --help"),
        (  # a word of several lines is shown escaped: the error stays one line
            ["SELECT 1", "SELECT\n2"],
            "groundlink: query: unrecognized arguments: 'SELECT\\n2'; see groundlink query --help",
        ),
    ],
    ids=["sql-after-examples", "two-statements", "a-second-statement-of-two-lines"],
)
def test_query_given_sql_after_examples_or_twice_is_told_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], words: list[str], line: str
) -> None:
    """SQL after --examples was "unrecognized arguments", not the choice between the two."""
    out = _products(tmp_path)
    capsys.readouterr()
    try:
        code = main(["query", str(out), *words])
    except SystemExit as stop:  # argparse's own refusals end the parse
        code = stop.code
    assert (code, capsys.readouterr().err) == (2, line + "\n")


def _refused_query(tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str) -> str:
    """What `query` prints on stderr for `sql` over a fresh products directory, refused (exit 2)."""
    out = _products(tmp_path)
    capsys.readouterr()
    assert main(["query", str(out), sql]) == 2
    return capsys.readouterr().err


def test_bad_sql_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    error = _refused_query(tmp_path, capsys, "SELECT nope FROM frame_index")
    assert error.startswith("groundlink: Binder Error") and error.count("\n") == 1
    # DuckDB's hint on its second line (the names it knows) stays on the one line
    assert 'Candidate bindings: "' in error and '"spacecraft_id"' in error


def test_a_table_the_products_do_not_hold_is_named_with_the_tables_they_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _refused_query(tmp_path, capsys, "SELECT * FROM frames") == (
        "groundlink: Catalog Error: Table with name frames does not exist; "
        "the products' tables: frame_index, contact_summary\n"
    )


def _listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("COPY (SELECT * FROM frame_index) TO '{out}/frame_index/copy.csv'", "COPY"),  # into the products
        ("COPY (SELECT 1) TO '{elsewhere}/leak.csv'", "COPY"),
        ("SELECT 1; CREATE TABLE kept AS SELECT * FROM frame_index", "CREATE"),  # after a read
        ("EXPORT DATABASE '{elsewhere}/export'", "EXPORT"),
        ("ATTACH '{elsewhere}/other.duckdb' AS other", "ATTACH"),
        ("INSTALL httpfs", "INSTALL"),
        ("SET enable_external_access = true", "SET"),
    ],
)
def test_a_query_that_would_write_or_reconfigure_is_refused_before_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str, kind: str
) -> None:
    out = _products(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _listing(tmp_path)
    capsys.readouterr()
    assert main(["query", str(out), sql.format(out=out, elsewhere=elsewhere)]) == 2
    error = capsys.readouterr().err
    assert error == f"groundlink: {kind} statements are not run: queries only read the products; allowed: {ALLOWED}\n"
    assert _listing(tmp_path) == before


@pytest.mark.parametrize("sql", ["", "  ;  ", "-- a comment only"])
def test_a_query_without_a_statement_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str) -> None:
    assert main(["query", str(_products(tmp_path)), sql]) == 2
    assert capsys.readouterr().err == f"groundlink: no SQL statement given; allowed: {ALLOWED}\n"


def test_a_query_reads_no_file_outside_the_products(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _products(tmp_path)
    secret = tmp_path / "secret.csv"
    secret.write_text("token\nhunter2\n")
    capsys.readouterr()
    assert main(["query", str(out), f"SELECT * FROM read_csv('{secret}')"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("groundlink: Permission Error") and "hunter2" not in error
    # reads of the products themselves, by the views or directly, still run
    sql = f"SELECT count(*) AS n FROM read_parquet('{out}/frame_index/**/*.parquet')"
    assert main(["query", str(out), sql, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"n": 3}
    assert main(["query", str(out), "EXPLAIN SELECT count(*) FROM frame_index"]) == 0


def test_a_query_reads_nothing_in_the_working_directorys_tmp(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB allows its spill directory beside allowed_directories, by default `.tmp` under the
    working directory: a file a user kept there was read and listed by a query."""
    out = _products(tmp_path)
    work = tmp_path / "work"
    (work / ".tmp").mkdir(parents=True)
    (work / ".tmp" / "secret.csv").write_text("token\nhunter2\n")
    monkeypatch.chdir(work)
    capsys.readouterr()
    for sql in (f"SELECT * FROM read_csv('{work}/.tmp/secret.csv')", f"SELECT * FROM glob('{work}/.tmp/*')"):
        code = main(["query", str(out), sql, "--json"])
        shown = capsys.readouterr()
        assert "secret" not in shown.out and "hunter2" not in shown.out, sql
        assert code == 2 or shown.out == "", sql
    assert main(["query", str(out), "SELECT current_setting('allowed_directories') AS d", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"d": [str(out.resolve()) + "/"]}


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--cadu-length", "4"], "--cadu-length: 4 is shorter than sync marker + primary header (10)"),
        (
            ["--cadu-length", "65541"],
            "--cadu-length: 65541 is longer than sync marker + the longest CCSDS transfer frame "
            "(65540; USLP, CCSDS 732.1-B-3: a 16-bit frame length, 65536 octets)",
        ),
        (  # was an OverflowError traceback
            ["--cadu-length", "9223372036854775808"],
            "--cadu-length: 9223372036854775808 is longer than sync marker + the longest CCSDS transfer frame "
            "(65540; USLP, CCSDS 732.1-B-3: a 16-bit frame length, 65536 octets)",
        ),
        (["--udp-port", "70000"], "--udp-port: 70000 is not a UDP port (1-65535)"),
        (["--udp-port", "55888", "--udp-port", "0"], "--udp-port: 0 is not a UDP port (1-65535)"),
        (["--spacecraft-id", "1024"], "--spacecraft-id: 1024 is not an AOS spacecraft id (0-1023, 10 bits)"),
        (["--spacecraft-id", "-1"], "--spacecraft-id: -1 is not an AOS spacecraft id (0-1023, 10 bits)"),
    ],
)
def test_a_bad_format_option_is_named_by_its_flag_and_read_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    """A port past 65535 or a spacecraft id past 255 could never match: every packet skipped or
    every frame judged corrupt, without a word. The message names the flag as typed."""
    assert main(["process", str(tmp_path), "--out", str(tmp_path / "o"), *flags]) == 2
    assert capsys.readouterr().err == f"groundlink: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_the_format_options_bounds_are_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    flags = ["--udp-port", "1", "--udp-port", "65535", "--spacecraft-id", "0", "--spacecraft-id", "255"]
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), *flags]) == 0
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "o"), "--cadu-length", "65540"]) == 0
    assert capsys.readouterr().out.endswith(f"wrote {tmp_path / 'o'}\n")


def test_docs_give_every_example_query_in_every_dialect() -> None:
    from groundlink.processing.examples import EXAMPLES

    docs = (Path(__file__).resolve().parents[1] / "docs" / "processing.md").read_text()
    assert len(EXAMPLES) >= 5
    for example in EXAMPLES:
        for sql in {example.duckdb, example.athena, example.synapse}:
            assert f"```sql\n{sql}\n```" in docs, example.title


def test_docs_list_every_table_column() -> None:
    from groundlink.processing.tables import TABLES

    docs = (Path(__file__).resolve().parents[1] / "docs" / "processing.md").read_text()
    for table in TABLES:
        for column in table.columns:
            assert f"| `{column.name}` | `{column.hive}` |" in docs, (table.name, column.name)


def test_every_example_query_runs_on_the_demo_delivery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()

    assert main(["query", str(tmp_path / "out"), "--examples", "--json"]) == 0
    rows = [row for line in capsys.readouterr().out.splitlines() for row in json.loads(line)["rows"]]
    assert {"status": "corrupt", "frames": 2} in rows and {"status": "duplicate", "frames": 1} in rows
    assert [r["reason"] for r in rows if "reason" in r] == [
        "transfer frame version 0, expected 1",
        "truncated: 448 of 1024 bytes",
    ]


def _delivery(root: Path) -> Path:
    packets = packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)
    return Capture(packets).write(contact_file(raw_dir(root), CONTACT_A, 1))


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    return err.strip()


@pytest.mark.parametrize("where", ["read-only", "under-a-file", "is-a-file"])
def test_an_out_that_cannot_be_written_is_one_line_before_any_capture_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    from groundlink.processing import processor

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read the delivery although --out cannot be written")

    monkeypatch.setattr(processor, "discover", refuse)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = {
        "read-only": Path("/proc") / f"groundlink-{uuid.uuid4().hex}" / "products",
        "under-a-file": blocker / "products",
        "is-a-file": blocker,
    }[where]
    (tmp_path / "raw").mkdir()  # apart from --out: an --out inside the delivery is refused for that
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"groundlink: --out {out}: ")
    assert line.endswith(
        {"read-only": ")", "under-a-file": "is a file, not a directory", "is-a-file": "exists and is not a directory"}[
            where
        ]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "raw"]


@pytest.mark.parametrize("failing", ["frames/x.cadu", ""])
def test_a_write_failing_mid_run_is_one_line_and_removes_what_the_run_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """The line names the path that failed; --out itself, named already, is not named again
    ("--out P: cannot write P (...)")."""
    from groundlink.processing import layout

    _delivery(tmp_path / "raw")
    out = tmp_path / "new" / "products"
    failed = out / failing if failing else out

    def disk_full(self: object, partition: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(failed))

    monkeypatch.setattr(layout.Staging, "commit", disk_full)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    named = f" {failed}" if failing else ""
    assert _one_line(capsys) == f"groundlink: --out {out}: cannot write{named} (No space left on device)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


@pytest.mark.parametrize("existing", [False, True])
def test_a_disk_filling_as_the_frame_index_is_written_is_one_line_and_leaves_no_staging(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    """The index's last row group failed on a full disk, and the clean-up closed it again: the
    same write failed again (or pyarrow, its file closed, raised ArrowInvalid: a traceback), so
    the staging directory was never removed; earlier products of the contact stay as they were."""
    import pyarrow as pa

    from groundlink.processing import processor

    _delivery(tmp_path / "raw")
    out = tmp_path / "products"
    if existing:
        assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
        capsys.readouterr()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    real = processor._index_writer

    class FullDisk:
        def __init__(self, path: Path) -> None:
            self.writer, self.failed = real(path), False

        def write_batch(self, batch: object) -> None:
            self.writer.write_batch(batch)

        def write_table(self, table: object) -> None:
            self.failed = True
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            if self.failed:
                raise pa.ArrowInvalid("Operation on closed file")
            self.writer.close()

    monkeypatch.setattr(processor, "_index_writer", FullDisk)
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    assert _one_line(capsys) == f"groundlink: --out {out}: cannot write contact {CONTACT_A} (No space left on device)"
    # rglob sees the hidden staging directory's files too: none is left
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert out.exists() == existing  # a directory the run created is removed with it


@pytest.mark.parametrize("table", ["contact_summary", "frame_index", "frames"])
def test_a_path_of_another_kind_where_a_product_goes_is_refused_and_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str
) -> None:
    """A directory where the contact's Parquet file goes (a dataset of part files) was set aside
    as an earlier product and deleted with the staging directory, exit 0 and no word; a file
    where its frame streams' directory goes, the same."""
    _delivery(tmp_path / "raw")
    out = tmp_path / "products"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    capsys.readouterr()
    (product,) = (out / table).rglob(CONTACT_A + ("" if table == "frames" else ".parquet"))
    if table == "frames":
        for stream in product.iterdir():
            stream.unlink()
        product.rmdir()
        product.write_bytes(b"someone's notes")
    else:
        product.unlink()
        product.mkdir()
        (product / "part-0000.parquet").write_bytes(b"someone's dataset")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    assert _one_line(capsys) == (
        f"groundlink: --out {out}: {product} is a file, not a directory"
        if table == "frames"
        else f"groundlink: --out {out}: cannot write {product} (a directory stands where the contact's Parquet file "
        "goes, not one of its products; move it away)"
    )
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_write_failing_later_in_the_run_keeps_what_the_run_did_before_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills while the second contact is written: the first, committed, is listed
    and stays; a bad file found before is still named; the failure names the contact being
    written when the error names no file (a write into an open file)."""
    from groundlink.processing import layout

    directory = raw_dir(tmp_path / "raw")
    Capture(packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)).write(
        contact_file(directory, CONTACT_A, 1)
    )
    contact_file(directory, CONTACT_A, 2).write_bytes(b"not a capture")  # this contact fails on its own
    third = "33333333-4444-4555-8666-777777777777"
    for contact in (CONTACT_B, third):
        packets = packetise(stream_of(frames(range(4))), 1000, EPOCH * 1_000_000)
        Capture(packets).write(contact_file(directory, contact, 1))
    commit = layout.Staging.commit
    committed: list[str] = []

    def fills_up(self: layout.Staging, partition: object) -> None:
        if committed:  # the first commit fits, the next finds the disk full
            raise OSError(errno.ENOSPC, "No space left on device")
        commit(self, partition)
        committed.append(self.contact_id)

    monkeypatch.setattr(layout.Staging, "commit", fills_up)
    out = tmp_path / "products"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    first, failed = sorted((CONTACT_B, third))
    assert committed == [first]
    assert captured.out.splitlines()[0].startswith(f"noaa20 contact {first}: 4 frames")
    assert captured.out.splitlines()[-1] == f"wrote {out}"
    assert captured.err.splitlines() == [
        f"{contact_file(directory, CONTACT_A, 2)}: not a pcap or pcapng capture",
        f"groundlink: --out {out}: cannot write contact {failed} (No space left on device)",
        "groundlink: 2 of 3 contacts not written (above)",
    ]
    assert [p.stem for p in (out / "contact_summary").rglob("*.parquet")] == [first]


def test_an_empty_capture_is_left_out_and_a_contact_of_empty_ones_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ground Station's delivery starts each contact with an empty guiding .pcap: the cloud
    runtime leaves it out, and so does the command line; a contact with nothing else has no
    packet to give."""
    directory = raw_dir(tmp_path / "raw")
    _delivery(tmp_path / "raw")
    contact_file(directory, CONTACT_A, 0).write_bytes(b"")
    contact_file(directory, CONTACT_B, 0).write_bytes(b"")
    contact_file(directory, CONTACT_B, 1).write_bytes(b"")
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].startswith(f"noaa20 contact {CONTACT_A}: 8 frames")
    assert captured.out.splitlines()[0].endswith(" in 1 file")  # the empty one is no file of the contact
    assert captured.err.splitlines() == [
        f"{contact_file(directory, CONTACT_B, 0)}: contact {CONTACT_B} has no packet: its 2 capture files are "
        "empty (0 bytes)",
        "groundlink: 1 of 2 contacts not written (above)",
    ]


@pytest.mark.parametrize("day", [("2025", "13", "01"), ("2025", "02", "30"), ("0000", "01", "01")])
def test_an_empty_contact_whose_path_names_no_day_cannot_be_dated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], day: tuple[str, str, str]
) -> None:
    """A contact with no datagram takes its raw path's day: one the calendar has."""
    year, month, dd = day
    directory = tmp_path / "raw" / f"year={year}" / f"month={month}" / f"day={dd}" / "satellite=noaa20"
    directory.mkdir(parents=True)
    capture = Capture([]).write(directory / f"noaa20_{CONTACT_A}_0001.pcap")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{capture}: contact {CONTACT_A} cannot be dated: it has no packet, a datagram of the downlink "
        f"(see --udp-port), and its path's year={year}/month={month}/day={dd} is no date",
        "groundlink: 1 of 1 contacts not written (above)",
    ]
    assert not (tmp_path / "out").exists()


def test_a_capture_that_cannot_be_read_is_named_and_its_contact_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from groundlink.processing import processor

    capture = _delivery(tmp_path / "raw")

    def unreadable(path: Path, *args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(processor, "read_capture", unreadable)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == (
        f"{capture}: cannot read (Permission denied)\ngroundlink: 1 of 1 contacts not written (above)\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_value_or_column_that_looks_like_markup_is_printed_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`[/]` in a value ended in a MarkupError traceback, and `[red]a[/red]` printed as `a`."""
    out = _products(tmp_path)
    capsys.readouterr()

    assert main(["query", str(out), """SELECT '[/]' AS x, '[red]a[/red]' AS y, NULL AS "[bold]" """]) == 0

    printed = capsys.readouterr().out
    assert "[/]" in printed and "[red]a[/red]" in printed and "[bold]" in printed and "NULL" in printed


def test_json_rows_hold_every_duckdb_type_as_json_can(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Dates, decimals, times, intervals, blobs, UUIDs and zoned timestamps were a TypeError
    traceback (or, for now(), a missing module); NaN printed as NaN, which is no JSON. Python's
    conversion then made a year 360 days and two months 60 days (`age()` of 1 January to 1 March,
    59 days), an infinite timestamp a date, and one past year 9999 DuckDB's text without T and Z."""
    out = _products(tmp_path)
    capsys.readouterr()
    sql = (
        "SELECT CAST(captured_at AS DATE) AS d, 1.5 AS dec, 12345678901234567890.5 AS big, TIME '10:00:01' AS t, "
        "123456789012.345 AS fifteen, 1234567890123.456 AS sixteen, "
        "INTERVAL 36 HOUR AS i, INTERVAL '23:59:59.999999' AS fine, '\\x1A\\xCF'::BLOB AS b, '5b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4'::UUID AS u, "
        "'nan'::DOUBLE AS n, 'inf'::DOUBLE AS inf, TIMESTAMPTZ '2025-12-01 01:00:00+01' AS tz, "
        "age(TIMESTAMP '2025-03-01', TIMESTAMP '2025-01-01') AS two_months, INTERVAL 1 YEAR AS a_year, "
        "INTERVAL '14 months 3 days 00:00:01.5' AS mixed, INTERVAL '-1 day -02:03:04.5' AS negative, "
        "'-infinity'::TIMESTAMP AS never, 'infinity'::TIMESTAMPTZ AS forever, TIMESTAMP '294246-01-01' AS far, "
        "CAST(NULL AS INTERVAL) AS no_interval, 'infinity'::DATE AS last_day, make_timestamp(-50, 1, 1, 0, 0, 0) AS bc, "
        "DATE '0001-01-01 (BC)' AS year_zero, "
        "[INTERVAL 1 YEAR, NULL] AS years, {'a': INTERVAL 2 MONTH, 'at': ['infinity'::TIMESTAMP]} AS nested, "
        "captured_at AS ts FROM frame_index ORDER BY frame LIMIT 1"
    )

    assert main(["query", str(out), sql, "--json"]) == 0

    assert json.loads(capsys.readouterr().out) == {
        "d": "2025-12-01",
        "dec": 1.5,
        "big": "12345678901234567890.5",
        # a double holds 15 digits: one more and the number is written as text, never rounded
        "fifteen": 123456789012.345,
        "sixteen": "1234567890123.456",
        "t": "10:00:01",
        "i": "P0DT129600S",  # 36 hours, no day part: DuckDB keeps days and time apart (a day may be 23 h)
        "two_months": "P2M0DT0S",
        "a_year": "P1Y0DT0S",
        "mixed": "P1Y2M3DT1.5S",
        "negative": "P-1DT-7384.5S",
        "never": "-infinity",
        "forever": "infinity",
        "far": "294246-01-01T00:00:00Z",
        "no_interval": None,
        "last_day": "infinity",  # was 9999-12-31, which a real last day reads as too
        "bc": "-0050-01-01T00:00:00Z",  # 51 BC, numbered as ISO 8601 numbers years (1 BC is 0000)
        "year_zero": "0000-01-01",
        "years": ["P1Y0DT0S", None],  # in a list or a struct as in a column
        "nested": {"a": "P2M0DT0S", "at": ["infinity"]},
        "fine": "P0DT86399.999999S",  # %g wrote P0DT86400S
        "b": "1acf",
        "u": "5b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4",
        "n": None,
        "inf": None,
        "tz": "2025-12-01T00:00:00Z",
        "ts": "2025-12-01T00:00:00Z",
    }


def test_a_products_directory_whose_path_holds_glob_characters_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _products(tmp_path, "prod [v2] *")
    capsys.readouterr()

    assert main(["query", str(out), "SELECT count(*) AS n FROM frame_index", "--json"]) == 0

    assert capsys.readouterr().out == '{"n": 3}\n'


@pytest.mark.parametrize("where", ["raw", "out/frame_index", "elsewhere"])
def test_a_directory_that_holds_no_products_is_one_line_not_empty_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    """The delivery, a table's own directory or any other folder answered with empty tables
    and exit 0, as if no contact had been processed."""
    _products(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    capsys.readouterr()

    assert main(["query", str(tmp_path / where), "SELECT count(*) FROM frame_index"]) == 2

    assert capsys.readouterr().err == (
        f"groundlink: {tmp_path / where}: holds no products (no frame_index/ or contact_summary/); "
        "give the --out directory of groundlink process\n"
    )


def test_several_statements_are_refused_not_all_but_the_last_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _refused_query(tmp_path, capsys, "SELECT 1; SELECT 2") == (
        "groundlink: one statement per query, as in Athena; got 2\n"
    )


def test_a_table_shows_a_thousand_rows_and_says_how_many_json_prints_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Drawing 100,000 rows took 85 s; a table is for reading, --json for scripts."""
    packets = packetise(stream_of(frames([0, 1])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    sql = "SELECT range AS r FROM range(1500)"

    assert main(["query", str(tmp_path / "out"), sql]) == 0
    table = capsys.readouterr().out
    assert "│ 999 │" in table and "│ 1000 │" not in table
    # on a line of its own, whole: a caption wrapped to the width of a one-column table was 7 lines
    assert table.splitlines()[-1] == "the first 1,000 of 1,500 rows; --json prints every row"
    assert main(["query", str(tmp_path / "out"), sql, "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1500
    assert main(["query", str(tmp_path / "out"), "SELECT range AS r FROM range(1000)"]) == 0
    assert "rows; --json" not in capsys.readouterr().out


class _RecordedFetches:
    """A DuckDB connection whose cursors record how many rows each fetch asked for."""

    def __init__(self, connection, asked: list[int]) -> None:
        self._connection, self._asked = connection, asked

    def execute(self, sql: str):
        cursor = self._connection.execute(sql)
        if "parquet_kv_metadata" in sql:  # the products-format check's own read, one row a file
            return cursor
        asked = self._asked

        class Cursor:
            description = cursor.description

            def fetchmany(self, size: int):
                asked.append(size)
                return cursor.fetchmany(size)

            def fetchall(self):
                raise AssertionError("a result fetched whole")

        return Cursor()

    def sql(self, sql: str):
        return self._connection.sql(sql)  # binding a query to learn its types fetches nothing

    def interrupt(self) -> None:  # what a Ctrl-C calls while the query runs
        self._connection.interrupt()

    def close(self) -> None:
        self._connection.close()


@pytest.mark.parametrize("json_lines", [False, True])
def test_a_large_result_is_read_in_batches_never_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, json_lines: bool
) -> None:
    """A result of 100,000,000 rows fetched whole took 8.7 GB to print a table of 1,000: the rows
    are fetched a batch at a time, the table keeps its 1,000 and counts the rest, and --json
    writes each batch as it comes."""
    from groundlink.processing import query

    out = _products(tmp_path)
    capsys.readouterr()
    asked: list[int] = []
    connect = query.connect
    monkeypatch.setattr(query, "connect", lambda root: _RecordedFetches(connect(root), asked))
    monkeypatch.setattr(query, "BATCH_ROWS", 700)

    argv = ["query", str(out), "SELECT range AS r FROM range(2500)"]
    assert main(argv + (["--json"] if json_lines else [])) == 0
    printed = capsys.readouterr().out
    assert asked and set(asked) == {700}  # 4 batches and the empty fetch that ends them
    assert len(asked) == 5
    if json_lines:
        assert [json.loads(line)["r"] for line in printed.splitlines()] == list(range(2500))
    else:
        assert "│ 999 │" in printed and "│ 1000 │" not in printed
        assert printed.splitlines()[-1] == "the first 1,000 of 2,500 rows; --json prints every row"


@pytest.mark.parametrize(("batch", "fails_at", "said"), [(700, 2, "1,400 rows were"), (1, 1, "1 row was")])
def test_an_error_while_json_rows_stream_says_how_many_were_printed(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
    fails_at: int,
    said: str,
) -> None:
    """DuckDB runs a query as its rows are read, so a row that fails (a failed cast) may come
    after --json has printed others: the one line says how many ("1 row was", not "1 rows
    were"). Here the third batch of 700 fails, or the second of one row."""
    import duckdb

    from groundlink.processing import query

    out = _products(tmp_path)
    capsys.readouterr()
    asked: list[int] = []
    connect = query.connect

    class FailingThird(_RecordedFetches):
        def execute(self, sql: str):
            cursor = super().execute(sql)
            if "parquet_kv_metadata" in sql:  # the products-format check's own read
                return cursor
            fetch = cursor.fetchmany

            def fetchmany(size: int):
                if len(asked) == fails_at:
                    raise duckdb.ConversionException("Conversion Error: could not convert string 'x' to INT32")
                return fetch(size)

            cursor.fetchmany = fetchmany
            return cursor

    monkeypatch.setattr(query, "connect", lambda root: FailingThird(connect(root), asked))
    monkeypatch.setattr(query, "BATCH_ROWS", batch)

    assert main(["query", str(out), "SELECT range AS r FROM range(2500)", "--json"]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line)["r"] for line in captured.out.splitlines()] == list(range(batch * fails_at))
    assert captured.err == (
        f"groundlink: Conversion Error: could not convert string 'x' to INT32 (after {said} printed)\n"
    )


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("missing", "no such directory"),
        ("file", "not a directory; give the directory {}"),
        ("link", "a broken symbolic link (to gone), not a directory"),
        # a link to a file is a file, not a broken link
        ("linked file", "not a directory; give the directory {}"),
    ],
)
@pytest.mark.parametrize("command", ["process", "query"])
def test_a_directory_argument_that_is_not_one_says_what_it_is(tmp_path, capsys, kind, said, command):
    """A path that does not exist (a typo) was called "not a directory", as a file is; a file
    given for the directory (one capture of the contact) is told which directory is wanted."""
    wanted = {"process": "holding the contact's capture files", "query": "process wrote (its --out)"}[command]
    said = said.format(wanted)
    from groundlink.cli import main

    path = tmp_path / "contact"
    if kind == "file":
        path.write_text("")
    elif kind == "link":
        path.symlink_to("gone")
    elif kind == "linked file":
        (tmp_path / "capture.pcap").write_text("")
        path.symlink_to(tmp_path / "capture.pcap")
    argv = [command, str(path), *(["--out", str(tmp_path / "out")] if command == "process" else ["SELECT 1"])]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"groundlink: {path}: {said}\n"


def test_a_capture_not_named_pcap_is_said_and_skipped_as_the_clouds_skip_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A `.cap` or a name without a suffix is a capture the processor and the clouds' runtimes
    (groundlink.runtime.delivery: *.pcap, *.pcapng) do not take: it was skipped without a word.
    A file that holds no capture (a manifest) is no capture, and is not named."""
    directory = raw_dir(tmp_path / "raw")
    Capture(packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)).write(
        contact_file(directory, CONTACT_A, 1)
    )
    second = contact_file(directory, CONTACT_A, 2)
    Capture(packetise(stream_of(frames(range(8, 12))), 1000, EPOCH * 1_000_000)).write(second)
    second.rename(second.with_suffix(".cap"))
    (directory / "manifest.json").write_text('{"contact": "x"}')
    out = tmp_path / "products"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    relative = second.with_suffix(".cap").relative_to(tmp_path / "raw")
    assert captured.err.splitlines() == [
        f"groundlink: {tmp_path / 'raw'}: 1 file holding a capture but not named *.pcap or *.pcapng, skipped, as the "
        f"clouds' runtimes skip such files: {relative}; rename it to process it"
    ]
    assert captured.out.splitlines()[0].startswith(f"noaa20 contact {CONTACT_A}: 8 frames")  # the .pcap alone

    only = tmp_path / "only: here"  # a name with ": " in it is named whole
    (only / "x").mkdir(parents=True)
    second.with_suffix(".cap").rename(only / "x" / "contact")  # no suffix at all
    assert main(["process", str(only), "--out", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: {only}: no capture files (*.pcap, *.pcapng); 1 file holding a capture but not named *.pcap or "
        "*.pcapng, skipped, as the clouds' runtimes skip such files: x/contact; rename it to process it"
    ]


@pytest.mark.parametrize(
    ("suffix", "opener", "command"), [(".gz", "gzip", "gunzip"), (".xz", "lzma", "unxz"), (".bz2", "bz2", "bunzip2")]
)
def test_a_capture_kept_compressed_is_said_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, opener: str, command: str
) -> None:
    """Half a contact archived as `*.pcap.gz` was skipped without a word, exit 0: the summary
    counted one file. It is named with the command that decompresses it; a compressed file
    that holds no capture (a log) is not."""
    import importlib

    compress = importlib.import_module(opener).compress
    directory = raw_dir(tmp_path / "raw")
    Capture(packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)).write(
        contact_file(directory, CONTACT_A, 1)
    )
    second = contact_file(directory, CONTACT_A, 2)
    Capture(packetise(stream_of(frames(range(8, 12))), 1000, EPOCH * 1_000_000)).write(second)
    packed = second.with_name(second.name + suffix)
    packed.write_bytes(compress(second.read_bytes()))
    second.unlink()
    (directory / f"receiver.log{suffix}").write_bytes(compress(b"no capture here"))
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "products")]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"groundlink: {tmp_path / 'raw'}: 1 capture file kept compressed, skipped: "
        f"{packed.relative_to(tmp_path / 'raw')}; decompress it ({command}) to process it"
    ]
    assert captured.out.splitlines()[0].startswith(f"noaa20 contact {CONTACT_A}: 8 frames")  # the .pcap alone


@pytest.mark.parametrize(
    ("suffix", "magic", "command"), [(".zst", b"\x28\xb5\x2f\xfd", "unzstd"), (".lz4", b"\x04\x22\x4d\x18", "unlz4")]
)
def test_a_capture_compressed_without_a_standard_library_reader_is_said_by_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, magic: bytes, command: str
) -> None:
    """`tcpdump -z zstd` leaves `*.pcap.zst`: skipped without a word, exit 0, as gzip files had
    been. Python reads neither Zstandard nor LZ4, so a file of their frame magic named `*.pcap*`
    is said to be a capture kept compressed; a compressed log is not."""
    directory = raw_dir(tmp_path / "raw")
    Capture(packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)).write(
        contact_file(directory, CONTACT_A, 1)
    )
    packed = contact_file(directory, CONTACT_A, 2).with_suffix(f".pcap{suffix}")
    packed.write_bytes(magic + b"\x00" * 64)
    (directory / f"receiver.log{suffix}").write_bytes(magic + b"\x00" * 64)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "products")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: {tmp_path / 'raw'}: 1 capture file kept compressed, skipped: "
        f"{packed.relative_to(tmp_path / 'raw')}; decompress it ({command}) to process it"
    ]


def _process_signalled_in_commit(tmp_path: Path, out: Path, then: str) -> CompletedProcess[str]:
    """`groundlink process` of one contact in a process of its own, whose commit is sent SIGTERM
    as it starts and then runs the statement `then` (`commit(self, partition)`: the real one)."""
    import subprocess
    import sys

    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    script = (
        "import errno, os, signal, sys\n"
        "from groundlink.processing import layout\n"
        "commit = layout.Staging.commit\n"
        "def signalled(self, partition):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)  # as the commit starts\n"
        f"    {then}\n"
        "layout.Staging.commit = signalled\n"
        "from groundlink.console import entry\n"
        "sys.argv = ['groundlink', 'process', sys.argv[1], '--out', sys.argv[2]]\n"
        "entry()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "raw"), str(out)], capture_output=True, text=True, timeout=60
    )


def test_a_stop_signal_that_comes_as_a_contact_is_committed_stops_after_it_and_says_it_was_written(
    tmp_path: Path,
) -> None:
    """A SIGTERM during the commit is held back until the contact is in place and recorded: the
    run then stops (143) saying the contact written, where it said only `stopped by SIGTERM` with
    the earlier products already replaced."""
    out = tmp_path / "out"
    done = _process_signalled_in_commit(tmp_path, out, "commit(self, partition)")
    assert (done.returncode, done.stderr) == (143, "groundlink: stopped by SIGTERM\n")
    assert done.stdout.splitlines()[0].startswith(f"noaa20 contact {CONTACT_A}: 3 frames (3 ok,")
    assert done.stdout.splitlines()[1] == f"wrote {out}"
    assert len(list(out.glob("contact_summary/*/*/*/*/*.parquet"))) == 1  # in place, as said


def test_a_stop_signal_during_a_commit_that_fails_still_says_why_the_contact_was_not_written(
    tmp_path: Path,
) -> None:
    """A SIGTERM held back during a commit that then fails (the disk full) stops the run all the
    same, but after the failure's own line: the user is told the contact was not written, and
    why, not only that the run was stopped."""
    out = tmp_path / "out"
    # and then the disk is full
    done = _process_signalled_in_commit(tmp_path, out, "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))")
    assert (done.returncode, done.stdout, done.stderr.splitlines()) == (
        143,
        "",
        [
            f"groundlink: --out {out}: cannot write contact {CONTACT_A} (No space left on device)",
            "groundlink: stopped by SIGTERM",
        ],
    )
    assert not out.exists()  # nothing written: the --out the run made is gone


@pytest.mark.parametrize(
    "arrow_says",
    [
        "Error writing bytes to file. Detail: [errno 28] No space left on device",
        "Failed to open local file '{staging}/frame_index.parquet'. Detail: [errno 28] No space left on device",
    ],
)
def test_a_full_disk_under_the_parquet_writer_is_said_in_the_system_s_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, arrow_says: str
) -> None:
    """pyarrow raises OSError(28, its own sentence): the line carried that sentence, and with it a
    staging path gone by the time it was read, where the documented line says the system's."""
    from groundlink.processing import processor

    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(
        contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    )

    def full(table: object, where: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, arrow_says.format(staging=Path(where).parent))

    monkeypatch.setattr(processor.pq, "write_table", full)
    out = tmp_path / "out"
    assert main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"groundlink: --out {out}: cannot write contact {CONTACT_A} (No space left on device)\n"
    )


def test_a_capture_cut_short_while_it_is_read_fails_its_contact_in_one_line(tmp_path: Path) -> None:
    """Another program cuts a capture short (a delivery copied again over it) while the processor
    reads it: the mapped pages past its new end took the process down with SIGBUS, no line said
    and the staging directory left. A read lease holds the writer back and fails the contact."""
    import subprocess
    import sys

    packets = packetise(stream_of(frames(range(20_000))), 1000, EPOCH * 1_000_000)  # about 20 MB
    capture = contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    Capture(packets).write(capture)
    script = (
        "import subprocess, sys, time\n"
        "from groundlink.processing import processor\n"
        "feed = processor._ContactRun.feed\n"
        "writers, target = [], sys.argv[3]\n"
        "def feeding(self, chunk):\n"
        "    if chunk is not None and not writers:  # the walk is past its first window: cut the file\n"
        "        cut = 'import sys; open(sys.argv[1], \"r+b\").truncate(1000)'\n"
        "        writers.append(subprocess.Popen([sys.executable, '-c', cut, target]))\n"
        "        deadline = time.monotonic() + 20\n"
        "        while time.monotonic() < deadline:\n"
        "            time.sleep(0.01)\n"
        "    feed(self, chunk)\n"
        "processor._ContactRun.feed = feeding\n"
        "from groundlink.console import entry\n"
        "sys.argv = ['groundlink', 'process', sys.argv[1], '--out', sys.argv[2]]\n"
        "entry()\n"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "raw"), str(out), str(capture)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr.splitlines()) == (
        2,
        [
            f"{capture}: changed while it was read (written to or cut short by another program); process it "
            "again once its delivery is whole",
            "groundlink: 1 of 1 contacts not written (above)",
        ],
    )
    assert not out.exists() or not list(out.glob(".staging-*"))  # nothing half-written left


def test_the_examples_run_on_one_database_with_the_products_format_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`query --examples` builds the product views once: a database per query took longer than
    the example queries themselves (0.15 s of CPU for the examples against 0.06 s on one)."""
    from groundlink.processing import query
    from groundlink.processing.examples import EXAMPLES

    out = _products(tmp_path)
    capsys.readouterr()
    opened: list[Path] = []
    connect = query.connect

    def counted(root: Path):
        opened.append(root)
        return connect(root)

    monkeypatch.setattr(query, "connect", counted)
    assert main(["query", str(out), "--examples", "--json"]) == 0
    answered = [json.loads(line)["example"] for line in capsys.readouterr().out.splitlines()]
    assert answered == [e.title for e in EXAMPLES]
    assert opened == [out]


def test_a_control_character_in_a_capture_s_name_reaches_no_terminal_raw(tmp_path, capsys):
    """A partner names the capture file (the raw key): an escape sequence in it cleared the
    screen and retitled the window from `query`'s table of `capture_file`, and from `process`'s
    warning of a capture kept compressed. Both show it as its escape."""
    import gzip

    directory = raw_dir(tmp_path / "raw")
    name = f"noaa20_{CONTACT_A}_x\x1b]0;PWNED\x07\x1b[2J_0001.pcap"
    Capture(packetise(stream_of(frames(range(4))), 1000, EPOCH * 1_000_000)).write(directory / name)
    (directory / "z\x1b[2Jz.pcap.gz").write_bytes(gzip.compress((directory / name).read_bytes()))
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err and "z\\x1b[2Jz.pcap.gz" in captured.err
    assert main(["query", str(tmp_path / "out"), "SELECT DISTINCT capture_file FROM frame_index"]) == 0
    shown = capsys.readouterr().out
    assert "\x1b" not in shown and "\\x1b]0;PWNED" in shown


@pytest.mark.parametrize(("term", "drawn"), [("dumb", False), ("xterm-256color", True)])
def test_the_progress_bar_is_drawn_on_a_terminal_that_moves_its_cursor_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, term: str, drawn: bool
) -> None:
    """Under TERM=dumb rich cannot redraw a bar in place, and ended it with an empty line above
    the contacts' lines; a terminal that can has its bar, gone once the run ends (transient)."""
    import sys

    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("noaa20 contact ")
    assert ("\x1b[" in err) is drawn and (err == "") is not drawn
