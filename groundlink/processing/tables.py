"""The product tables, declared once.

The processor writes these columns, `groundlink query` declares them to DuckDB,
and the clouds declare the same columns: Glue's tables and Data Explorer's external
tables in the plans, the Synapse serverless views in the DDL docs/processing.md gives
(`synapse_ddl`; a serverless database of the user's, not the lake database): one list,
so the local stand-in and the cloud cannot disagree on a column's name or type. Types are written in the catalog's (Hive) vocabulary and
translated for Arrow and DuckDB here. No column is named after a word Trino
(Athena), T-SQL (Synapse) or DuckDB reserve, so one query text needs no quoting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyarrow is imported where Arrow types are used: the Pulumi program reads only the names
    import pyarrow as pa

# Partition keys of every product table, in path order. They are the raw
# contact prefix's keys (`year=/month=/day=/satellite=`), so one projection
# serves raw data and products alike; the catalog declares them as strings.
PARTITION_KEYS = ("year", "month", "day", "satellite")
# What the products hold and mean, as a number each Parquet product records in its key-value
# metadata (PRODUCTS_FORMAT_METADATA), raised whenever a column is added or renamed or a count
# follows another rule: `groundlink query` names the products an earlier (or later) groundlink
# wrote, which read the columns added since as NULL and count by that version's rules. Products
# written before the number was recorded (2026-12-05) hold none. The history is in
# docs/processing.md, "Products of earlier versions".
PRODUCTS_FORMAT = 2
PRODUCTS_FORMAT_METADATA = "groundlink.products_format"


@dataclass(frozen=True)
class Column:
    """One column: `kind` is a Hive scalar type, or `fields` makes it an array of structs."""

    name: str
    kind: str
    fields: tuple[Column, ...] = ()

    @property
    def hive(self) -> str:
        if self.fields:
            inner = ",".join(f"{f.name}:{f.hive}" for f in self.fields)
            return f"array<struct<{inner}>>"
        return self.kind

    @property
    def arrow(self) -> pa.DataType:
        import pyarrow as pa

        if self.fields:
            return pa.list_(pa.struct([pa.field(f.name, f.arrow) for f in self.fields]))
        # timestamps are UTC without a zone: what Hive's `timestamp` means
        arrow = {"string": pa.string(), "int": pa.int32(), "bigint": pa.int64(), "timestamp": pa.timestamp("us")}
        return arrow[self.kind]

    @property
    def synapse(self) -> str:
        """Synapse serverless SQL reads Parquet strings as UTF-8 varchar and nested columns as JSON
        text. Text columns take a UTF-8 collation: "string values in PARQUET files are encoded using
        UTF-8 encoding", and another collation may convert them wrongly and reads whole files
        instead of skipping what a filter excludes (Microsoft Learn, "Query Parquet files using
        serverless SQL pool", docs/processing.md)."""
        if self.fields:
            return f"varchar(max) COLLATE {SYNAPSE_UTF8_COLLATION}"
        if self.kind == "string":
            return f"{_SYNAPSE['string']} COLLATE {SYNAPSE_UTF8_COLLATION}"
        return _SYNAPSE[self.kind]

    @property
    def duckdb(self) -> str:
        if self.fields:
            inner = ", ".join(f"{f.name} {f.duckdb}" for f in self.fields)
            return f"STRUCT({inner})[]"
        return _DUCKDB[self.kind]

    @property
    def kusto(self) -> str:
        """Data Explorer reads a Parquet list of structs as `dynamic` (an array of property bags)."""
        if self.fields:
            return "dynamic"
        return _KUSTO[self.kind]


_SYNAPSE = {"string": "varchar(1024)", "int": "int", "bigint": "bigint", "timestamp": "datetime2(6)"}
SYNAPSE_UTF8_COLLATION = "Latin1_General_100_BIN2_UTF8"
_DUCKDB = {"string": "VARCHAR", "int": "INTEGER", "bigint": "BIGINT", "timestamp": "TIMESTAMP"}
# Kusto scalar types (Microsoft Learn, "Scalar data types",
# learn.microsoft.com/azure/data-explorer/kusto/query/scalar-data-types): int is 32-bit, long 64-bit.
_KUSTO = {"string": "string", "int": "int", "bigint": "long", "timestamp": "datetime"}


@dataclass(frozen=True)
class Table:
    """A product table: Parquet files under `prefix`, Hive-partitioned by PARTITION_KEYS."""

    name: str
    prefix: str
    description: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        import pyarrow as pa

        return pa.schema([pa.field(c.name, c.arrow) for c in self.columns])

    def synapse_ddl(self, data_source: str = "products") -> str:
        """The Synapse serverless SQL view over the same files: OPENROWSET with the catalog's
        columns, and the partition keys read from the path with filepath(), as serverless SQL
        partitions only through views."""
        columns = ",\n".join(f"    {c.name} {c.synapse}" for c in self.columns)
        pattern = "/".join(f"{k}=*" for k in PARTITION_KEYS) + "/*.parquet"
        keys = ", ".join(f"rows.filepath({i}) AS {k}" for i, k in enumerate(PARTITION_KEYS, 1))
        return (
            f"CREATE VIEW {self.name} AS\nSELECT rows.*, {keys}\n"
            f"FROM OPENROWSET(BULK '{self.prefix}{pattern}', DATA_SOURCE = '{data_source}', FORMAT = 'PARQUET')\n"
            f"WITH (\n{columns}\n) AS rows;"
        )

    def kusto_ddl(self, products_uri: str) -> str:
        """The Data Explorer control command declaring the same files as an external table, on
        one line (one command per line of a database script). `products_uri` is the products
        container's ADLS Gen2 URI (`abfss://<container>@<account>.dfs.core.windows.net/`).

        Syntax per Microsoft Learn: "Create and alter Azure Storage external tables"
        (learn.microsoft.com/azure/data-explorer/kusto/management/external-tables-azure-storage):
        `kind=storage`, `partition by`, `pathformat`, `dataformat=parquet`, `h@'...'` (an
        obfuscated verbatim string), and virtual columns (string or datetime partition columns
        read from the path, as Spark writes Hive partitions); "Storage connection strings"
        (learn.microsoft.com/azure/data-explorer/kusto/api/connection-strings/storage): the
        `abfss://` template; "Authenticate external tables with managed identities"
        (learn.microsoft.com/azure/data-explorer/external-tables-managed-identities):
        `;managed_identity=system` is the cluster's system-assigned identity, which needs
        Storage Blob Data Reader to query and the ExternalTable usage in the managed identity
        policy."""
        columns = ", ".join(f"{c.name}:{c.kusto}" for c in self.columns)
        partitions = ", ".join(f"{k}:string" for k in PARTITION_KEYS)
        path = " ".join(f'"{"/" if i else ""}{k}=" {k}' for i, k in enumerate(PARTITION_KEYS))
        location = f"{products_uri.rstrip('/')}/{self.prefix.strip('/')}"
        return (
            f".create-or-alter external table {self.name} ({columns}) kind=storage "
            f"partition by ({partitions}) pathformat=({path}) dataformat=parquet "
            f"(h@'{location};managed_identity=system')"
        )


def _c(name: str, kind: str) -> Column:
    return Column(name, kind)


FRAME_INDEX = Table(
    "frame_index",
    "frame_index/",
    "one row per transfer frame found in a contact, in stream order",
    (
        _c("contact_id", "string"),
        _c("frame", "bigint"),  # position in the contact's stream of frames, from 0
        _c("captured_at", "timestamp"),  # capture time of the packet holding the frame's sync marker
        _c("capture_file", "string"),
        _c("packet", "bigint"),  # 1-based packet number within `capture_file`
        _c("stream_offset", "bigint"),  # byte offset of the sync marker in the contact's payload stream
        _c("spacecraft_id", "int"),
        _c("virtual_channel", "int"),
        _c("frame_count", "bigint"),  # the header's virtual channel frame count
        _c("status", "string"),  # ok | duplicate | corrupt | idle
        _c("reason", "string"),  # why a frame is not ok, or that it starts a new sequence (a reset)
        _c("missing_before", "bigint"),  # frames of this virtual channel missing just before this one
    ),
)

CHANNEL_FIELDS = (
    _c("spacecraft_id", "int"),
    _c("virtual_channel", "int"),
    _c("frames", "bigint"),
    _c("duplicates", "bigint"),
    _c("gaps", "bigint"),
    _c("missing_frames", "bigint"),
    _c("bytes", "bigint"),
)

CONTACT_SUMMARY = Table(
    "contact_summary",
    "contact_summary/",
    "one row per processed contact",
    (
        _c("contact_id", "string"),
        # the satellite is the `satellite` partition key: a catalog table cannot repeat it as a column
        _c("start_time", "timestamp"),
        _c("end_time", "timestamp"),
        _c("files", "int"),
        _c("packets", "bigint"),
        _c("truncated_packets", "bigint"),
        _c("repeated_datagrams", "bigint"),  # datagrams the capture recorded twice, left out (repeats.py)
        _c("bytes", "bigint"),  # size of the contact's capture files
        _c("payload_bytes", "bigint"),
        _c("frames", "bigint"),
        _c("ok_frames", "bigint"),
        _c("duplicate_frames", "bigint"),
        _c("corrupt_frames", "bigint"),
        _c("idle_frames", "bigint"),  # frames of the idle virtual channel, 63: fill, no data
        _c("gaps", "bigint"),
        _c("missing_frames", "bigint"),
        _c("skipped_bytes", "bigint"),  # payload bytes outside any frame
        Column("channels", "", CHANNEL_FIELDS),
    ),
)

TABLES = (FRAME_INDEX, CONTACT_SUMMARY)
