"""Analytics: a Glue catalog over the Hive-style prefixes, an Athena workgroup, and the
contact telemetry stream archived to the products bucket for SQL.

Tables use partition projection, so partitions are computed from the table's
properties at query time: no crawler to run, pay for or wait on.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import AnalyticsInputs, MissionInputs
from groundlink.limits import KINESIS_STREAM_MODE, log_retention
from groundlink.processing.layout import CATALOG_YEARS
from groundlink.processing.tables import PARTITION_KEYS, Table
from groundlink.processing.tables import TABLES as PRODUCT_TABLES

from ..base import MissionComponent
from . import iam
from .naming import glue_name, role_name
from .storage import Store

# The input Glue fills in with the AWS managed key when the mission has none of its own.
GLUE_MANAGED_KEY_READBACK = "dataCatalogEncryptionSettings.connectionPasswordEncryption.awsKmsKeyId"
FIRST_YEAR, LAST_YEAR = CATALOG_YEARS  # the processor warns of a contact dated outside them
TELEMETRY_PREFIX = "telemetry/"
TELEMETRY_ERRORS_PREFIX = "telemetry-errors/"
TEXT_IO = {
    "input_format": "org.apache.hadoop.mapred.TextInputFormat",
    "output_format": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
}
PARQUET_IO = {
    "input_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "output_format": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
}
PARQUET_SERDE = {"serialization_library": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"}


def _date_projection(*keys: str) -> dict[str, str]:
    ranges = {
        "year": (f"{FIRST_YEAR},{LAST_YEAR}", "4"),
        "month": ("1,12", "2"),
        "day": ("1,31", "2"),
        "hour": ("0,23", "2"),
    }
    params: dict[str, str] = {}
    for key in keys:
        span, digits = ranges[key]
        params.update(
            {f"projection.{key}.type": "integer", f"projection.{key}.range": span, f"projection.{key}.digits": digits}
        )
    return params


def contact_stream(
    owner: MissionComponent, suffix: str, key: aws.kms.Key | None, capability: str
) -> aws.kinesis.Stream:
    """Every Kinesis stream of a mission: on-demand, so a contact's rate needs no shard sizing;
    a day of retention covers a consumer's outage between passes; encrypted with the mission
    key or else the Kinesis managed key. It holds undelivered contact data: protected as the
    blueprint counts `capability` stateful, like its Event Hubs twin on Azure."""
    return owner.realize(
        aws.kinesis.Stream(
            owner.child_name(suffix),
            stream_mode_details={"stream_mode": KINESIS_STREAM_MODE},
            retention_period=24,
            encryption_type="KMS",
            kms_key_id=key.arn if key else "alias/aws/kinesis",
            tags=owner.tags,
            opts=owner.holder_opts(capability),
        ),
        capability,
        *(["security.messaging_cmk"] if key else []),
    )


class AwsCatalog(MissionComponent):
    """The mission's Glue database, its tables and the catalog's encryption with the CMK."""

    TOKEN = "groundlink:index:AwsCatalog"
    LAYER = "analytics"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: AnalyticsInputs,
        *,
        key: aws.kms.Key | None,
        raw: Store | None,
        products: Store,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.inputs = inputs
        # The catalog's encryption is one setting per account and region: a second mission
        # in the same account takes it over (docs/aws.md). Deleting the resource puts an empty
        # setting (terraform-provider-aws resourceDataCatalogEncryptionSettingsDelete), which
        # turns encryption off for every mission of the account and region: a destroyed stack
        # leaves the setting as it was instead, whatever the spec's data protection.
        self.realize(
            aws.glue.DataCatalogEncryptionSettings(
                self.child_name("encryption"),
                data_catalog_encryption_settings={
                    "encryption_at_rest": {
                        "catalog_encryption_mode": "SSE-KMS",
                        **({"sse_aws_kms_key_id": key.arn} if key else {}),
                    },
                    "connection_password_encryption": {
                        "return_connection_password_encrypted": True,
                        **({"aws_kms_key_id": key.arn} if key else {}),
                    },
                },
                # without a mission key, Glue reads back alias/aws/glue, which no input may name
                # (an ARN is required): every preview would show a change (pulumi-aws issue #3618)
                opts=self.opts(retain_on_delete=True, ignore_changes=[] if key else [GLUE_MANAGED_KEY_READBACK]),
            ),
            "analytics.catalog",
            *(("security.cmk", "security.analytics_cmk") if key else ()),
        )
        self.database = self.realize(
            aws.glue.CatalogDatabase(
                self.child_name("database"),
                name=glue_name(mission.name),
                description=f"{mission.name}: contact data and products",
                tags=self.tags,
                opts=self.opts(stateful=True),
            ),
            "analytics.catalog",
        )
        if inputs.offline_after_days is not None:
            self.warn(
                f"storage.tiering: from day {inputs.offline_after_days} raw files and products of 128 KB or more are "
                "in S3 Glacier Flexible Retrieval or Deep Archive, which Athena leaves out of every query until they are restored "
                '(Athena User Guide, "Query restored Amazon S3 Glacier objects"): restore those days (S3 '
                "RestoreObject) before querying them; the catalog's tables then read them "
                "(read_restored_glacier_objects)"
            )
        self.tables: list[aws.glue.CatalogTable] = []
        if raw is not None:
            self.tables.append(self._raw_table(raw))
        if inputs.telemetry:
            self.tables.append(self._telemetry_table(products))
        self.tables.extend(self._product_table(t, products) for t in PRODUCT_TABLES)
        self.register_outputs({"catalog": self.database.name})

    def _satellite_projection(self) -> dict[str, str]:
        """Ground Station names satellites by id (injected at query time); a partner writes
        `satellite=<satellite name>` (projected from the spec). Products keep the raw partition."""
        if self.inputs.station:
            return {"projection.satellite.type": "injected"}
        return {
            "projection.satellite.type": "enum",
            "projection.satellite.values": ",".join(self.inputs.satellite_names),
        }

    def _product_table(self, table: Table, products: Store) -> aws.glue.CatalogTable:
        """A table the contact processor writes (Parquet), with the columns of its one
        definition in groundlink.processing.tables, the same ones `groundlink query` declares."""
        dates, last = PARTITION_KEYS[:-1], PARTITION_KEYS[-1]
        return self._projected_table(
            table.name.replace("_", "-"),
            table.name,
            products,
            table.prefix,
            dates,
            last,
            {"classification": "parquet", **self._satellite_projection()},
            [(c.name, c.hive) for c in table.columns],
            PARQUET_SERDE,
            "analytics.catalog",
            io=PARQUET_IO,
        )

    def _raw_table(self, raw: Store) -> aws.glue.CatalogTable:
        """Contact objects by partition: `$path` and `$file_size` select a contact's files.
        Ground Station names satellites by id (injected at query time); a partner writes
        `satellite=<satellite name>` (projected from the spec)."""
        inputs = self.inputs
        base = inputs.raw_prefix.split("/")[0] + "/" if inputs.station else inputs.partner_prefix
        satellite = self._satellite_projection()
        return self._projected_table(
            "raw-contacts",
            "raw_contacts",
            raw,
            base,
            ("year", "month", "day"),
            "satellite",
            {"classification": "pcap", **satellite},
            [("line", "string")],
            {"serialization_library": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"},
            "analytics.catalog",
        )

    def _telemetry_table(self, products: Store) -> aws.glue.CatalogTable:
        """Ground Station telemetry records (user guide "Understand telemetry data") as
        Firehose writes them: newline-delimited JSON, hourly Hive-style partitions."""
        columns = [
            ("telemetrytype", "string"),
            ("telemetryversion", "string"),
            ("scopeid", "string"),
            ("metadata", "struct<groundstation:string,satelliteid:string,contactid:string>"),
            ("data", "map<string,string>"),
        ]
        return self._projected_table(
            "telemetry",
            "telemetry",
            products,
            TELEMETRY_PREFIX,
            ("year", "month", "day", "hour"),
            None,
            {"classification": "json", "compressionType": "gzip"},
            columns,
            {"serialization_library": "org.openx.data.jsonserde.JsonSerDe", "parameters": {"case.insensitive": "true"}},
            "analytics.catalog",
            "analytics.telemetry_archive",
        )

    def _projected_table(
        self,
        suffix: str,
        name: str,
        bucket: Store,
        base: str,
        dates: tuple[str, ...],
        last: str | None,
        parameters: dict[str, str],
        columns: list[tuple[str, str]],
        serde: dict[str, Any],
        *capabilities: str,
        io: dict[str, str] = TEXT_IO,
    ) -> aws.glue.CatalogTable:
        """An external table under `base` whose Hive-style partitions (`dates`, then `last`) are
        projected: the template and the partition keys come from one list, so they cannot disagree."""
        keys = [*dates, *([last] if last else [])]
        path = "".join(f"{k}=${{{k}}}/" for k in keys)
        location = pulumi.Output.concat(bucket.uri, base)
        return self.realize(
            aws.glue.CatalogTable(
                self.child_name(suffix),
                database_name=self.database.name,
                name=name,
                table_type="EXTERNAL_TABLE",
                # only the template waits for the bucket: a new stack's first preview shows the rest
                parameters={
                    "projection.enabled": "true",
                    "storage.location.template": pulumi.Output.concat(location, path),
                    # restored Glacier and Deep Archive objects are read; Athena skips them otherwise
                    "read_restored_glacier_objects": "true",
                    **parameters,
                    **_date_projection(*dates),
                },
                partition_keys=[{"name": k, "type": "string"} for k in keys],
                storage_descriptor={
                    "location": location,
                    **io,
                    "columns": [{"name": n, "type": t} for n, t in columns],
                    "ser_de_info": serde,
                },
                opts=self.opts(),
            ),
            *capabilities,
        )


class AwsQuery(MissionComponent):
    """An Athena workgroup whose settings users cannot override: results encrypted in the
    query-results bucket, and a per-query scan cutoff from the spec."""

    TOKEN = "groundlink:index:AwsQuery"
    LAYER = "analytics"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: AnalyticsInputs,
        *,
        key: aws.kms.Key | None,
        results: Store,
        account: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        cutoff = inputs.query_bytes_scanned_cutoff
        encryption = (
            {"encryption_option": "SSE_KMS", "kms_key_arn": key.arn} if key else {"encryption_option": "SSE_S3"}
        )
        self.workgroup = self.realize(
            aws.athena.Workgroup(
                self.child_name("workgroup"),
                name=mission.name,
                state="ENABLED",
                # its contents are query history and saved queries, no mission data (results are in
                # the query-results bucket): without a recursive delete a queried workgroup refuses
                # it ("WorkGroup ... is not empty"), and `pulumi destroy` stopped there
                force_destroy=True,
                description=f"{mission.name}: serverless SQL over contact data and products",
                configuration={
                    "enforce_workgroup_configuration": True,
                    "publish_cloudwatch_metrics_enabled": True,
                    "bytes_scanned_cutoff_per_query": cutoff,
                    "result_configuration": {
                        "output_location": pulumi.Output.concat(results.uri, "athena/"),
                        "encryption_configuration": encryption,
                        "expected_bucket_owner": account,
                    },
                },
                tags=self.tags,
                opts=self.opts(),
            ),
            "analytics.serverless_sql",
            "analytics.query_scan_limit",
            *(["security.analytics_cmk"] if key else []),
        )
        self.register_outputs({"query_endpoint": self.workgroup.name})


class AwsTelemetry(MissionComponent):
    """A CMK-encrypted Kinesis stream for contact telemetry, archived by Firehose into the
    products bucket as gzip JSON lines, partitioned by hour for the `telemetry` table."""

    TOKEN = "groundlink:index:AwsTelemetry"
    LAYER = "analytics"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: AnalyticsInputs,
        *,
        key: aws.kms.Key | None,
        products: Store,
        account: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.stream = contact_stream(self, "stream", key, "analytics.telemetry_stream")
        self.log_group = self.realize(
            aws.cloudwatch.LogGroup(
                self.child_name("archive-logs"),
                retention_in_days=log_retention(inputs.telemetry_log_retention_days),
                kms_key_id=key.arn if key else None,
                tags=self.tags,
                opts=self.holder_opts("observability.logging"),  # logs kept for their retention, as Azure's workspace
            ),
            "observability.logging",
        )
        log_stream = self.realize(
            aws.cloudwatch.LogStream(
                self.child_name("archive-errors"), log_group_name=self.log_group.name, opts=self.opts()
            ),
            "observability.logging",
        )
        self.role = self.realize(
            aws.iam.Role(
                self.child_name("archive-role"),
                **role_name(self.child_name("archive-role")),
                description="Firehose reads the telemetry stream and writes the products bucket",
                assume_role_policy=iam.trusted_by("firehose.amazonaws.com", account),
                tags=iam.outside_vpc_tags(self),  # Firehose writes from AWS's network
                opts=self.opts(),
            ),
            "analytics.telemetry_archive",
        )
        policy = aws.iam.RolePolicy(
            self.child_name("archive-policy"),
            role=self.role.id,
            policy=iam.document(
                _archive_permissions,
                stream=self.stream.arn,
                bucket=products.arn,
                log_group=self.log_group.arn,
                key=key.arn if key else None,
                region=self.mission.region,
            ),
            opts=self.opts(),
        )
        self.realize(policy, "analytics.telemetry_archive")
        partitions = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
        self.firehose = self.realize(
            aws.kinesis.FirehoseDeliveryStream(
                self.child_name("archive"),
                destination="extended_s3",
                kinesis_source_configuration={"kinesis_stream_arn": self.stream.arn, "role_arn": self.role.arn},
                extended_s3_configuration={
                    "role_arn": self.role.arn,
                    "bucket_arn": products.arn,
                    "prefix": TELEMETRY_PREFIX + partitions,
                    "error_output_prefix": TELEMETRY_ERRORS_PREFIX + "!{firehose:error-output-type}/" + partitions,
                    "buffering_size": 64,
                    "buffering_interval": 300,
                    "compression_format": "GZIP",
                    **({"kms_key_arn": key.arn} if key else {}),
                    "processing_configuration": {"enabled": True, "processors": [{"type": "AppendDelimiterToRecord"}]},
                    "cloudwatch_logging_options": {
                        "enabled": True,
                        "log_group_name": self.log_group.name,
                        "log_stream_name": log_stream.name,
                    },
                },
                tags=self.tags,
                opts=self.opts(depends_on=[policy]),
            ),
            "analytics.telemetry_archive",
        )
        self.register_outputs({"telemetry_stream": self.stream.arn})


def _archive_permissions(
    stream: str, bucket: str, log_group: str, key: str | None, region: str
) -> list[dict[str, Any]]:
    statements = [
        iam.allow(
            [
                "kinesis:DescribeStream",
                "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords",
                "kinesis:GetShardIterator",
                "kinesis:ListShards",
            ],
            stream,
            "ReadTelemetryStream",
        ),
        # Objects only under the telemetry prefixes: the role could read and overwrite every
        # product (frames, the frame index, contact summaries) where it writes only telemetry.
        iam.allow(
            ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
            [f"{bucket}/{TELEMETRY_PREFIX}*", f"{bucket}/{TELEMETRY_ERRORS_PREFIX}*"],
            "WriteTelemetry",
        ),
        iam.allow(
            ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], bucket, "FindProductsBucket"
        ),
        iam.allow(["logs:PutLogEvents"], f"{log_group}:*", "WriteDeliveryErrors"),
    ]
    if key:  # decrypt the stream, encrypt the products: through Kinesis and S3 only
        statements.append(
            iam.key_through(["kms:Decrypt", "kms:GenerateDataKey"], key, "UseMissionKey", region, ["kinesis", "s3"])
        )
    return statements
