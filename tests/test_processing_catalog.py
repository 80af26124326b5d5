"""The cloud catalogs declare the product tables the processor writes and DuckDB reads."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from groundlink.processing.query import connect
from groundlink.processing.tables import TABLES
from tests.contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

from .aws_support import aws, bucket_by_role

TABLE = "aws:glue/catalogTable:CatalogTable"


@pytest.fixture(scope="module")
def products(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("catalog")
    packets = packetise(stream_of(frames([0, 1, 3])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(root / "raw"), CONTACT_A, 1))
    (contact,) = discover(root / "raw", CaptureFormat())
    process_contact(contact, root / "out")
    return root / "out"


@pytest.mark.parametrize("name", ["frame_index", "contact_summary"])
def test_glue_table_reads_the_files_the_processor_writes_with_duckdbs_columns(products: Path, name: str) -> None:
    plan = aws()
    table = next(t for t in plan.of_type(TABLE) if t.inputs["name"] == name)
    bucket = bucket_by_role(plan, "products").outputs["bucket"]
    template = table.inputs["parameters"]["storage.location.template"]
    glue_columns = [c["name"] for c in table.inputs["storageDescriptor"]["columns"]]
    keys = [k["name"] for k in table.inputs["partitionKeys"]]

    (written,) = (products / name).rglob("*.parquet")
    as_template = re.sub(r"(\w+)=[^/]+", lambda m: f"{m[1]}=${{{m[1]}}}", str(written.parent.relative_to(products)))
    assert template == f"s3://{bucket}/{as_template}/"
    assert glue_columns == pq.read_schema(written).names
    view = [row[0] for row in connect(products).execute(f"DESCRIBE {name}").fetchall()]
    assert view == glue_columns + keys == [*glue_columns, "year", "month", "day", "satellite"]
    # Hive partition values are path text: every key a string, each column of its one definition's Hive type
    assert {k["type"] for k in table.inputs["partitionKeys"]} == {"string"}
    (definition,) = [t for t in TABLES if t.name == name]
    assert [(c["name"], c["type"]) for c in table.inputs["storageDescriptor"]["columns"]] == [
        (c.name, c.hive) for c in definition.columns
    ]
    assert table.inputs["storageDescriptor"]["serDeInfo"]["serializationLibrary"].endswith("ParquetHiveSerDe")
    assert table.inputs["parameters"]["projection.satellite.type"] == "injected"


def test_partner_product_tables_project_satellite_names() -> None:
    tables = {t.inputs["name"]: t for t in aws("partner.yaml").of_type(TABLE)}
    params = tables["frame_index"].inputs["parameters"]
    assert params["projection.satellite.type"] == "enum" and params["projection.satellite.values"] == "snpp"


def test_docs_give_the_synapse_views_of_every_product_table() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "processing.md").read_text()
    for table in TABLES:
        ddl = table.synapse_ddl()
        assert f"```sql\n{ddl}\n```" in docs
        assert all(f"    {c.name} " in ddl for c in table.columns)


def test_every_synapse_text_column_reads_parquet_as_utf8() -> None:
    """Parquet strings are UTF-8; Synapse converts them wrongly under another collation (a
    non-ASCII capture file name) and reads whole files instead of skipping what a filter
    excludes (docs/processing.md): every text and nested column says the UTF-8 collation."""
    from groundlink.processing.tables import TABLES

    for table in TABLES:
        for column in table.columns:
            text = column.kind == "string" or bool(column.fields)
            assert column.synapse.endswith(" COLLATE Latin1_General_100_BIN2_UTF8") is text, (table.name, column.name)
