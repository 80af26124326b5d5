"""How Athena reads each table: the SerDe and its parameters decide whether a query sees the data."""

from __future__ import annotations

import pytest

TABLE = "aws:glue/catalogTable:CatalogTable"


@pytest.mark.parametrize(
    ("table", "serde"),
    [
        # Firehose archives telemetry as JSON whose keys Athena matches case-insensitively
        (
            "noaa20-catalog-telemetry",
            {"serializationLibrary": "org.openx.data.jsonserde.JsonSerDe", "parameters": {"case.insensitive": "true"}},
        ),
        ("noaa20-catalog-raw-contacts", {"serializationLibrary": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}),
        (
            "noaa20-catalog-frame-index",
            {"serializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
        ),
    ],
)
def test_each_table_reads_its_files_with_its_serde(aws_noaa20, table, serde) -> None:
    assert aws_noaa20.one(TABLE, table).inputs["storageDescriptor"]["serDeInfo"] == serde


def test_the_telemetry_table_reads_gzipped_json_and_the_raw_table_pcap(aws_noaa20) -> None:
    telemetry = aws_noaa20.one(TABLE, "noaa20-catalog-telemetry").inputs["parameters"]
    assert (telemetry["classification"], telemetry["compressionType"]) == ("json", "gzip")
    assert aws_noaa20.one(TABLE, "noaa20-catalog-raw-contacts").inputs["parameters"]["classification"] == "pcap"


def test_firehose_ends_every_telemetry_record_with_a_newline_so_the_json_serde_reads_one_per_line(aws_noaa20) -> None:
    firehose = aws_noaa20.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs
    assert firehose["extendedS3Configuration"]["processingConfiguration"] == {
        "enabled": True,
        "processors": [{"type": "AppendDelimiterToRecord"}],
    }
