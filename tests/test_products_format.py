"""Products of earlier (or later) versions beside today's: each Parquet product records the
products format it was written in, `groundlink query` names the files of another one, and a
summary of the first processor (its columns `start` and `end`) is still read for its dates."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from groundlink.cli import main
from groundlink.processing.config import CaptureFormat
from groundlink.processing.layout import SOURCE_METADATA, summary_delivery
from groundlink.processing.processor import discover, process_contact
from groundlink.processing.tables import PRODUCTS_FORMAT, PRODUCTS_FORMAT_METADATA

from .conftest import processed
from .contactgen import CONTACT_A, CONTACT_B, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

KEY = PRODUCTS_FORMAT_METADATA.encode()


def _parquet(out: Path) -> dict[str, Path]:
    return {p.parts[len(out.parts)] + "/" + p.stem: p for p in out.rglob("*.parquet")}


def _with_format(path: Path, value: str | None) -> None:
    """Rewrite `path` as a groundlink of products format `value` (None: none recorded) wrote it."""
    table = pq.read_table(path)
    metadata = {k: v for k, v in (pq.read_metadata(path).metadata or {}).items() if k != KEY}
    if value is not None:
        metadata[KEY] = value.encode()
    with pq.ParquetWriter(path, table.schema.remove_metadata(), store_schema=False) as writer:
        writer.write_table(table.replace_schema_metadata(None))
        writer.add_key_value_metadata(metadata)


@pytest.mark.parametrize("late", [False, True])
def test_every_parquet_product_records_the_format_it_was_written_in(tmp_path, late):
    """The frame index and the summary alike, and the index rewritten whole when a frame came late."""
    counts = [0, 1, 2, 4, 3, 5] if late else [0, 1, 2, 3]
    Capture(packetise(stream_of(frames(counts)), 1000, EPOCH * 1_000_000)).write(
        contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    )
    (found,) = discover(tmp_path / "raw", CaptureFormat())
    process_contact(found, tmp_path / "out")
    files = _parquet(tmp_path / "out")
    assert sorted(files) == [f"contact_summary/{CONTACT_A}", f"frame_index/{CONTACT_A}"]
    for path in files.values():
        assert (pq.read_metadata(path).metadata or {}).get(KEY) == str(PRODUCTS_FORMAT).encode()


def test_a_summary_keeps_its_source_beside_the_format(tmp_path):
    flat = tmp_path / "delivery"
    flat.mkdir()
    Capture(packetise(stream_of(frames([0, 1])), 1000, EPOCH * 1_000_000)).write(flat / "capture.pcap")
    assert (
        main(["process", str(flat), "--out", str(tmp_path / "out"), "--contact-id", "pass-1", "--satellite", "s"]) == 0
    )
    (summary,) = (tmp_path / "out" / "contact_summary").rglob("*.parquet")
    metadata = pq.read_metadata(summary).metadata
    assert metadata[KEY] == str(PRODUCTS_FORMAT).encode()
    assert metadata[SOURCE_METADATA.encode()] == str(flat.resolve()).encode()


@pytest.fixture
def two_contacts(tmp_path, capsys) -> Path:
    return processed(tmp_path, capsys, [CONTACT_A, CONTACT_B])


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (
            None,
            "groundlink: 1 of 2 contact_summary files were written by an earlier groundlink (products format none "
            f"recorded; this one writes {PRODUCTS_FORMAT}): the columns added since read as NULL there, and their "
            "counts follow that version's rules; process those contacts again (docs/processing.md, \"Products of "
            'earlier versions")',
        ),
        (
            str(PRODUCTS_FORMAT + 1),
            f"groundlink: 1 of 2 contact_summary files were written by a later groundlink (products format "
            f"{PRODUCTS_FORMAT + 1}; this one reads {PRODUCTS_FORMAT}): query them with that version",
        ),
        (str(PRODUCTS_FORMAT), None),
    ],
    ids=["earlier", "later", "same"],
)
def test_query_names_the_files_another_groundlink_wrote_and_still_answers(two_contacts, capsys, value, said):
    """Products of the first processors beside today's read their renamed and added columns as
    NULL and counted idle frames as ok: every example ran, exit 0, and nothing was said."""
    _with_format(_parquet(two_contacts)[f"contact_summary/{CONTACT_B}"], value)
    assert main(["query", str(two_contacts), "SELECT count(*) AS n FROM contact_summary", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.out == '{"n": 2}\n'
    assert captured.err.splitlines() == ([said] if said else [])


def test_files_of_one_earlier_format_name_it_once(two_contacts, capsys):
    """Both summaries of an earlier format: the format is named once, not once a file (a
    thousand contacts of the first processors read "none recorded, none recorded, ...")."""
    for contact in (CONTACT_A, CONTACT_B):
        _with_format(_parquet(two_contacts)[f"contact_summary/{contact}"], None)
    assert main(["query", str(two_contacts), "SELECT count(*) AS n FROM contact_summary", "--json"]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "groundlink: 2 of 2 contact_summary files were written by an earlier groundlink (products format none "
        f"recorded; this one writes {PRODUCTS_FORMAT}): "
    )


def test_a_summary_of_the_first_processor_is_read_for_its_dates(tmp_path):
    """Its columns were `start` and `end`: read as undated, another pass's products of the same
    name were deleted as this one's earlier run."""
    start, end = (
        pa.scalar(1_764_547_200_000_000, pa.timestamp("us")),
        pa.scalar(1_764_547_800_000_000, pa.timestamp("us")),
    )
    path = tmp_path / "pass-1.parquet"
    pq.write_table(pa.table({"contact_id": ["pass-1"], "start": [start], "end": [end]}), path)
    assert summary_delivery(path).span == (start.as_py(), end.as_py())


def test_the_events_docs_aws_md_gives_for_processing_a_contact_again_are_read_as_that_contact():
    """docs/aws.md, "Recovering a contact": the bodies an operator sends the contact queue."""
    import json
    import re

    from groundlink.runtime.delivery import read_message

    text = (Path(__file__).parents[1] / "docs" / "aws.md").read_text()
    section = text[text.index("**Recovering a contact.**") :]
    station, partner = re.findall(r"```json\n(.*?)\n```", section, re.S)[:2]
    found = read_message(station)
    assert (found.contact_id, found.prefixes) == (
        "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1",
        ("contacts/year=2025/month=11/day=30/", "contacts/year=2025/month=12/day=01/"),
    )
    found = read_message(partner)
    assert (found.contact_id, found.prefixes) == (
        "pass-1",
        ("partner/year=2025/month=12/day=01/satellite=snpp/pass-1/",),
    )
    assert json.loads(station)["detail-type"] == "Ground Station S3 Upload Complete"
