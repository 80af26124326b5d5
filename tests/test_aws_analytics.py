"""AWS analytics: Glue catalog with partition projection, enforced Athena workgroup, telemetry stream and archive."""

from __future__ import annotations

import re

import pytest

from .aws_support import ACCOUNT, KEY, ROLE, aws, aws_variant, bucket_by_role, doc, role_policy_of, statements

TABLE = "aws:glue/catalogTable:CatalogTable"
STREAM = "aws:kinesis/stream:Stream"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def table(plan, name):
    return next(t for t in plan.of_type(TABLE) if t.inputs["name"] == name)


def as_projection_template(ground_station_prefix: str) -> str:
    """Ground Station's `{year}` placeholders written as Athena's `${year}` ones."""
    return re.sub(
        r"\{(\w+)\}", lambda m: "${" + ("satellite" if m[1] == "satellite_id" else m[1]) + "}", ground_station_prefix
    )


class TestCatalog:
    def test_database_is_protected_and_encrypted_with_the_mission_key(self):
        plan = aws()
        database = plan.one("aws:glue/catalogDatabase:CatalogDatabase")
        assert database.inputs["name"] == "noaa20" and database.protect and database.retainOnDelete
        settings = plan.one("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings").inputs
        key = plan.one(KEY).outputs["arn"]
        rest = settings["dataCatalogEncryptionSettings"]["encryptionAtRest"]
        assert rest == {"catalogEncryptionMode": "SSE-KMS", "sseAwsKmsKeyId": key}

    def test_raw_table_projects_exactly_the_prefix_ground_station_writes(self):
        plan = aws()
        raw = table(plan, "raw_contacts")
        recording = plan.one("aws-native:groundstation:Config", "noaa20-ground-noaa20-hrd-recording")
        prefix = recording.inputs["configData"]["s3RecordingConfig"]["prefix"]
        bucket = bucket_by_role(plan, "raw").outputs["bucket"]
        params = raw.inputs["parameters"]
        assert params["projection.enabled"] == "true"
        # the partitions are the prefix's Hive segments; each downlink's {config-name} folder under
        # them is read with its partition (Athena reads every object under a location)
        partitions, dataflow = prefix.rsplit("/", 1)
        assert dataflow == "{config-name}"
        assert params["storage.location.template"] == f"s3://{bucket}/{as_projection_template(partitions)}/"
        assert [k["name"] for k in raw.inputs["partitionKeys"]] == ["year", "month", "day", "satellite"]
        assert params["projection.satellite.type"] == "injected"  # Ground Station satellite ids are UUIDs
        assert params["projection.month.range"] == "1,12" and params["projection.month.digits"] == "2"

    def test_partner_raw_table_reads_the_landing_prefix_by_satellite_name(self):
        plan = aws("partner.yaml")
        params = table(plan, "raw_contacts").inputs["parameters"]
        assert "/partner/year=${year}/" in params["storage.location.template"]
        assert params["projection.satellite.type"] == "enum" and params["projection.satellite.values"] == "snpp"

    def test_telemetry_table_reads_what_firehose_writes(self):
        plan = aws()
        params = table(plan, "telemetry").inputs["parameters"]
        prefix = plan.one(FIREHOSE).inputs["extendedS3Configuration"]["prefix"]
        as_template = re.sub(r"(\w+)=!\{timestamp:\w+\}", lambda m: f"{m[1]}=${{{m[1]}}}", prefix)
        bucket = bucket_by_role(plan, "products").outputs["bucket"]
        assert params["storage.location.template"] == f"s3://{bucket}/{as_template}"
        assert (
            table(plan, "telemetry").inputs["storageDescriptor"]["serDeInfo"]["serializationLibrary"]
            == "org.openx.data.jsonserde.JsonSerDe"
        )

    @pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
    def test_every_table_partitions_by_exactly_the_keys_of_its_template_under_its_location(self, spec):
        assert aws(spec).of_type(TABLE)
        for t in aws(spec).of_type(TABLE):
            template = t.inputs["parameters"]["storage.location.template"]
            root = t.inputs["storageDescriptor"]["location"]
            assert template.startswith(root), t.name
            assert re.findall(r"(\w+)=\$\{(\w+)\}", template[len(root) :]) == [
                (k["name"], k["name"]) for k in t.inputs["partitionKeys"]
            ], t.name


class TestQuery:
    def test_workgroup_enforces_encrypted_results_and_the_scan_cutoff(self):
        plan = aws()
        config = plan.one("aws:athena/workgroup:Workgroup").inputs["configuration"]
        assert config["enforceWorkgroupConfiguration"] is True
        assert config["bytesScannedCutoffPerQuery"] == 10_000_000_000
        results = config["resultConfiguration"]
        assert results["outputLocation"] == plan.outputs["query_results_uri"] + "athena/"
        assert results["encryptionConfiguration"] == {
            "encryptionOption": "SSE_KMS",
            "kmsKeyArn": plan.one(KEY).outputs["arn"],
        }
        assert results["expectedBucketOwner"] == ACCOUNT

    def test_a_queried_workgroup_can_be_destroyed_and_its_results_stay_in_their_protected_bucket(self):
        """Athena refuses to delete a workgroup that holds query executions unless the delete is
        recursive (botocore athena DeleteWorkGroup RecursiveDeleteOption): without force_destroy,
        `pulumi destroy` of any stack that had been queried stopped at the workgroup."""
        plan = aws()
        workgroup = plan.one("aws:athena/workgroup:Workgroup")
        assert workgroup.inputs["forceDestroy"] is True and not workgroup.protect
        location = workgroup.inputs["configuration"]["resultConfiguration"]["outputLocation"]
        results = next(
            b for b in plan.of_type("aws:s3/bucket:Bucket") if location.startswith(f"s3://{b.outputs['bucket']}/")
        )
        assert results.protect and results.retainOnDelete

    def test_cutoff_follows_the_spec(self):
        config = aws_variant("cutoff").one("aws:athena/workgroup:Workgroup").inputs["configuration"]
        assert config["bytesScannedCutoffPerQuery"] == 500_000_000


class TestTelemetry:
    def test_stream_is_protected_and_encrypted_with_the_mission_key(self):
        plan = aws()
        stream = plan.one(STREAM)
        assert stream.inputs["encryptionType"] == "KMS" and stream.inputs["kmsKeyId"] == plan.one(KEY).outputs["arn"]
        assert stream.protect and stream.retainOnDelete
        assert aws_variant("no-cmk").one(STREAM).inputs["kmsKeyId"] == "alias/aws/kinesis"

    def test_firehose_archives_the_stream_into_products_encrypted_and_partitioned(self):
        plan = aws()
        firehose = plan.one(FIREHOSE).inputs
        role = plan.one(ROLE, "noaa20-telemetry-archive-role").outputs["arn"]
        assert firehose["kinesisSourceConfiguration"] == {
            "kinesisStreamArn": plan.one(STREAM).outputs["arn"],
            "roleArn": role,
        }
        s3 = firehose["extendedS3Configuration"]
        assert s3["bucketArn"] == bucket_by_role(plan, "products").outputs["arn"]
        assert s3["kmsKeyArn"] == plan.one(KEY).outputs["arn"] and s3["compressionFormat"] == "GZIP"
        assert "!{firehose:error-output-type}" in s3["errorOutputPrefix"]

    def test_archive_role_is_least_privilege(self):
        plan = aws()
        role = plan.one(ROLE, "noaa20-telemetry-archive-role")
        (trust,) = statements(doc(role, "assumeRolePolicy"))
        assert trust["Principal"] == {"Service": "firehose.amazonaws.com"}
        assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
        assert statements(doc(role_policy_of(plan, role)))
        for statement in statements(doc(role_policy_of(plan, role))):
            assert statement["Resource"] != "*" and "*" not in statement["Action"]
            assert all(not a.endswith(":*") for a in statement["Action"])

    def test_the_archive_role_reaches_only_the_telemetry_objects_of_the_products_bucket(self):
        """Firehose writes under telemetry/ and telemetry-errors/; it could read and overwrite
        every product (frames, the frame index, contact summaries)."""
        plan = aws()
        products = bucket_by_role(plan, "products").outputs["arn"]
        policy = doc(role_policy_of(plan, plan.one(ROLE, "noaa20-telemetry-archive-role")))
        on_products = {
            s["Sid"]: (sorted(s["Action"]), s["Resource"])
            for s in statements(policy)
            if any(
                str(r).startswith(products)
                for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
            )
        }
        assert on_products == {
            "WriteTelemetry": (
                ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
                [f"{products}/telemetry/*", f"{products}/telemetry-errors/*"],
            ),
            "FindProductsBucket": (
                ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                products,
            ),
        }
        s3 = plan.one(FIREHOSE).inputs["extendedS3Configuration"]
        assert s3["prefix"].startswith("telemetry/") and s3["errorOutputPrefix"].startswith("telemetry-errors/")

    def test_capabilities_off_render_nothing_and_export_no_key(self):
        plan = aws_variant("analytics-off")
        for token in (TABLE, STREAM, FIREHOSE, "aws:athena/workgroup:Workgroup"):
            assert not plan.of_type(token)
        # Pulumi exports no None: the keys of what is not built are absent from the stack outputs
        assert not {"catalog", "query_endpoint", "telemetry_stream", "query_results_uri"} & set(plan.outputs)
        assert "telemetrySinkConfigArn" not in plan.one("aws-native:groundstation:MissionProfile").inputs


GLACIER_WARNING = (
    "storage.tiering: from day {} raw files and products of 128 KB or more are in S3 Glacier Flexible Retrieval "
    "or Deep Archive, "
    'which Athena leaves out of every query until they are restored (Athena User Guide, "Query restored Amazon S3 '
    "Glacier objects\"): restore those days (S3 RestoreObject) before querying them; the catalog's tables then "
    "read them (read_restored_glacier_objects)"
)


def test_every_catalog_table_reads_restored_glacier_objects():
    """Athena skips a table's Glacier Flexible Retrieval and Deep Archive objects unless the table
    says read_restored_glacier_objects (Athena User Guide), and the tiering moves them there."""
    from .conftest import cached_plan

    tables = cached_plan("noaa20.yaml", "aws").of_type("aws:glue/catalogTable:CatalogTable")
    assert {t.inputs["name"] for t in tables} == {"raw_contacts", "telemetry", "frame_index", "contact_summary"}
    assert {t.inputs["parameters"]["read_restored_glacier_objects"] for t in tables} == {"true"}


NOTHING_LANDS = {
    "delivery.object_store": False,
    "delivery.stream": True,
    "processing.enabled": False,
    "analytics.telemetry_stream": False,
}


@pytest.mark.parametrize(
    ("changes", "day"),
    [
        ({}, 90),  # noaa20: cool 30, cold 90, archive 180
        ({"storage.tiering": [{"after_days": 30, "tier": "cool"}, {"after_days": 200, "tier": "archive"}]}, 200),
        ({"storage.tiering": [{"after_days": 30, "tier": "cool"}]}, None),  # Standard-IA is online
        # a stream-only stack puts no object in raw or products: there is nothing to archive
        (NOTHING_LANDS, None),
        ({**NOTHING_LANDS, "analytics.telemetry_stream": True}, 90),  # the telemetry archive lands in products
        ({**NOTHING_LANDS, "delivery.object_store": True}, 90),
    ],
)
def test_the_plan_says_from_which_day_athena_skips_archived_data(changes, day):
    from .conftest import variant_plan

    aws_plan, azure_plan = variant_plan("aws", changes), variant_plan("azure", changes)
    glacier = [w for w in aws_plan.warnings if "S3 Glacier" in w]
    assert glacier == ([] if day is None else [GLACIER_WARNING.format(day)])
    # Azure keeps archive-aged data in Cold, which its SQL reads: nothing to restore
    assert not [w for w in azure_plan.warnings if "restored" in w]


def test_a_new_stacks_first_preview_shows_the_tables_fixed_parameters(monkeypatch):
    """On a stack's first preview a bucket's name is unknown. The whole parameters map was built
    in the bucket's `apply`, so the preview showed it as one unknown value: partition projection
    and restored-Glacier reads went unseen. Only the location template now waits for the bucket."""
    import groundlink.engine.mocks as mocks
    from groundlink.engine.runner import plan

    from .conftest import SPECS

    class FirstPreview(mocks.OfflineMocks):
        """What a preview of a new stack knows of each resource: its inputs, no computed output."""

        def new_resource(self, args):
            if args.typ.startswith("pulumi:providers:"):
                return super().new_resource(args)
            return "", dict(args.inputs)

    monkeypatch.setattr(mocks, "OfflineMocks", FirstPreview)
    tables = plan(SPECS / "noaa20.yaml", "aws").of_type(TABLE)
    assert tables
    for table in tables:
        parameters = table.inputs["parameters"]
        assert parameters["storage.location.template"] is None  # unknown: the bucket's name
        assert parameters["projection.enabled"] == parameters["read_restored_glacier_objects"] == "true"
