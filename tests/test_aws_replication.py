"""storage.redundancy: geo on AWS: the raw and products stores replicate, with delete markers and
SSE-KMS objects, to protected buckets in clouds.aws.replica_region encrypted with a key of that
region, through a provider of that region, by a role that can do only that."""

from __future__ import annotations

import json

import pytest

from groundlink import limits
from groundlink.cli import main
from groundlink.preflight.aws_api import service_regions

from .conftest import cached_plan, spec_data, variant_plan, with_changes, write_spec

GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"


@pytest.fixture(scope="module")
def plan():
    return variant_plan("aws", GEO)


def _in_replica_region(plan, resource) -> bool:
    [provider] = plan.of_type("pulumi:providers:aws")
    return resource.provider is not None and resource.provider.startswith(provider.urn + "::")


def test_the_replica_key_and_buckets_live_in_the_replica_region_and_are_protected(plan):
    [provider] = plan.of_type("pulumi:providers:aws")
    assert provider.inputs["region"] == "us-east-2" and provider.parent.endswith("noaa20-storage-replica")
    key = plan.one("aws:kms/key:Key", "noaa20-storage-replica-key")
    assert key.outputs["arn"].startswith("arn:aws:kms:us-east-2:")
    assert key.inputs["enableKeyRotation"] is True
    replicas = {r.name: r for r in plan.of_type(BUCKET) if "replica" in r.name}
    assert set(replicas) == {
        "noaa20-storage-replica-raw",
        "noaa20-storage-replica-products",
        "noaa20-storage-replica-logs",
    }
    for resource in (key, *replicas.values()):
        assert resource.protect and resource.retainOnDelete, resource.name
        assert _in_replica_region(plan, resource), resource.name
    # every side resource of a replica bucket is in that region too (a bucket is configured where it lives)
    sides = [r for r in plan.resources if r.name.startswith("noaa20-storage-replica-raw-") and r.type != REPLICATION]
    assert len(sides) >= 6 and all(_in_replica_region(plan, r) for r in sides)


def test_replicas_are_encrypted_with_their_own_key_versioned_blocked_and_logged(plan):
    key = plan.one("aws:kms/key:Key", "noaa20-storage-replica-key").outputs["arn"]
    mission_key = plan.one("aws:kms/key:Key", "noaa20-security-data").outputs["arn"]
    for store in ("raw", "products"):
        name = f"noaa20-storage-replica-{store}"
        [rule] = plan.one(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            f"{name}-encryption",
        ).inputs["rules"]
        assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}
        assert key != mission_key
        assert plan.one("aws:s3/bucketVersioning:BucketVersioning", f"{name}-versioning").inputs[
            "versioningConfiguration"
        ] == {"status": "Enabled"}
        block = plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", f"{name}-public-access-block")
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        assert all(block.inputs[f] is True for f in flags)
        logging = plan.one("aws:s3/bucketLogging:BucketLogging", f"{name}-access-logs")
        assert logging.inputs["targetBucket"] == plan.one(BUCKET, "noaa20-storage-replica-logs").outputs["id"]


def test_each_store_replicates_kms_objects_and_delete_markers_into_its_replica(plan):
    replica_key = plan.one("aws:kms/key:Key", "noaa20-storage-replica-key").outputs["arn"]
    role = plan.one("aws:iam/role:Role", "noaa20-storage-replica-role").outputs["arn"]
    configs = plan.of_type(REPLICATION)
    assert len(configs) == 2  # raw and products; query results are rerun, access logs stay put
    for store in ("raw", "products"):
        config = plan.one(REPLICATION, f"noaa20-storage-replica-{store}-replication")
        assert config.inputs["bucket"] == plan.one(BUCKET, f"noaa20-storage-{store}").outputs["bucket"]
        assert config.inputs["role"] == role
        assert config.inputs["rules"] == [
            {
                "id": f"{store}-to-us-east-2",
                "status": "Enabled",
                "filter": {},
                "deleteMarkerReplication": {"status": "Enabled"},
                "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
                "destination": {
                    "bucket": plan.one(BUCKET, f"noaa20-storage-replica-{store}").outputs["arn"],
                    "storageClass": "STANDARD",
                    "encryptionConfiguration": {"replicaKmsKeyId": replica_key},
                    "metrics": {"status": "Enabled"},  # a failed replication is counted, and alarmed on
                },
            }
        ]
        assert "storage.geo_redundancy" in config.capability
    assert "storage.geo_redundancy" not in plan.gaps


def test_the_replication_role_can_only_replicate(plan):
    """And everything replication needs: with an S3 Bucket Key on the replica bucket, S3 verifies
    the bucket key with kms:Decrypt on the replica key ("S3 Bucket Keys and replication"); with
    kms:Encrypt alone every SSE-KMS replica failed."""
    replica = plan.one(BUCKET, "noaa20-storage-replica-raw")
    encryption = plan.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "noaa20-storage-replica-raw-encryption",
    )
    assert encryption.inputs["bucket"] == replica.outputs["bucket"]
    assert [rule["bucketKeyEnabled"] for rule in encryption.inputs["rules"]] == [True]
    role = plan.one("aws:iam/role:Role", "noaa20-storage-replica-role")
    [trust] = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "s3.amazonaws.com"}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    arn = {
        name: plan.one(BUCKET, name).outputs["arn"]
        for name in (
            "noaa20-storage-raw",
            "noaa20-storage-products",
            "noaa20-storage-replica-raw",
            "noaa20-storage-replica-products",
        )
    }
    sources = [arn["noaa20-storage-raw"], arn["noaa20-storage-products"]]
    replicas = [arn["noaa20-storage-replica-raw"], arn["noaa20-storage-replica-products"]]
    statements = json.loads(
        plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-storage-replica-policy").inputs["policy"]
    )["Statement"]
    granted = {(s["Sid"], tuple(s["Action"])): s["Resource"] for s in statements}
    mission_key = plan.one("aws:kms/key:Key", "noaa20-security-data").outputs["arn"]
    replica_key = plan.one("aws:kms/key:Key", "noaa20-storage-replica-key").outputs["arn"]
    assert granted == {
        ("ReadReplicationConfiguration", ("s3:GetReplicationConfiguration", "s3:ListBucket")): sources,
        (
            "ReadSourceVersions",
            ("s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"),
        ): [f"{a}/*" for a in sources],
        ("WriteReplicas", ("s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags")): [
            f"{a}/*" for a in replicas
        ],
        ("DecryptSources", ("kms:Decrypt",)): mission_key,
        ("EncryptReplicas", ("kms:Decrypt", "kms:Encrypt")): replica_key,
    }
    via = {s["Sid"]: s["Condition"]["StringEquals"]["kms:ViaService"] for s in statements if "Condition" in s}
    assert via == {"DecryptSources": "s3.us-west-2.amazonaws.com", "EncryptReplicas": "s3.us-east-2.amazonaws.com"}


def test_key_ids_names_every_key_the_stack_creates_the_replica_key_too(plan):
    keys = [k.outputs["arn"] for k in plan.of_type("aws:kms/key:Key")]
    assert len(keys) == 2 and plan.outputs["key_ids"] == keys  # the mission key, then the replica's


def test_a_zone_mission_has_no_replica():
    plan = cached_plan("noaa20.yaml", "aws")
    assert plan.of_type(REPLICATION) == [] and plan.of_type("pulumi:providers:aws") == []
    assert not [r for r in plan.resources if "replica" in r.name]


def test_replica_regions_are_botocores_s3_and_kms_regions():
    s3 = set(service_regions("s3")) - {"aws-global", "s3-external-1"}
    both = s3 & set(service_regions("kms"))
    assert both == limits.AWS_REPLICA_REGIONS


@pytest.mark.parametrize(
    "region, message",
    [
        ("us-west-2", "clouds.aws.replica_region: us-west-2 is the stack's region; name a second region"),
        (
            "us-east-7",
            "clouds.aws.replica_region: us-east-7 has no S3 and KMS endpoints (botocore endpoint data); allowed: "
            "us-east-1, us-east-2, us-west-1, us-west-2 ... (every AWS region: the schema's enum lists them)",
        ),
    ],
)
def test_a_replica_region_that_cannot_hold_the_replica_is_refused_in_one_line(tmp_path, capsys, region, message):
    path = write_spec(tmp_path, with_changes(spec_data(), {**GEO, "clouds.aws.replica_region": region}))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]


def test_the_replica_provider_takes_the_stacks_aws_settings(tmp_path):
    """An explicit provider reads no stack config: the replicas must be deployed with the stack's
    profile, role, account guard and default tags, not with whatever credentials are ambient."""
    from groundlink.engine import plan as engine_plan

    stack = {
        "aws:profile": "mission-prod",
        "aws:allowedAccountIds": '["111111111111"]',
        "aws:assumeRoles": '[{"roleArn": "arn:aws:iam::111111111111:role/deploy"}]',
        "aws:defaultTags": '{"tags": {"team": "ground"}}',
        "aws:maxRetries": "7",
    }
    geo = engine_plan(write_spec(tmp_path, with_changes(spec_data(), GEO)), "aws", extra_config=stack)
    [provider] = geo.of_type("pulumi:providers:aws")
    assert provider.inputs["region"] == "us-east-2"  # the spec's replica region, not the stack's
    assert provider.inputs["profile"] == "mission-prod"
    assert json.loads(provider.inputs["allowedAccountIds"]) == ["111111111111"]
    assert json.loads(provider.inputs["assumeRoles"]) == [{"roleArn": "arn:aws:iam::111111111111:role/deploy"}]
    assert json.loads(provider.inputs["defaultTags"]) == {"tags": {"team": "ground"}}
    assert provider.inputs["maxRetries"] == "7"


def test_settings_the_stack_holds_as_secrets_reach_the_replica_provider_as_secrets():
    """The provider's inputs are kept in the state: an external id in a secret aws:assumeRoles was
    handed over in the clear, as only access keys and tokens were passed on as secrets."""
    import asyncio

    import pulumi
    from groundlink.components.aws.storage import stack_provider_settings
    from pulumi.runtime import set_all_config

    config = {
        "aws:assumeRoles": '[{"roleArn": "arn:aws:iam::111111111111:role/deploy", "externalId": "s3cr3t"}]',
        "aws:profile": "mission-prod",
        "aws:maxRetries": "7",
        "aws:token": "plain-token",
    }

    async def secrecy() -> dict[str, bool]:
        settings = stack_provider_settings()
        return {
            name: await value.is_secret() if isinstance(value, pulumi.Output) else False
            for name, value in settings.items()
        }

    set_all_config(config, ["aws:assumeRoles", "aws:maxRetries"])
    loop = asyncio.new_event_loop()
    try:
        found = loop.run_until_complete(secrecy())
    finally:
        loop.close()
        set_all_config({})
    # as the stack holds them: the secret ones secret (whatever their type), the plain one plain,
    # and credentials secret even where the stack config holds them in the clear
    assert found == {"assume_roles": True, "max_retries": True, "profile": False, "token": True}


def test_behind_a_private_network_the_replicas_are_pinned_as_the_stores_are():
    """With security.network: private only the stores denied object access outside the mission's
    VPC endpoint: the replicas, full copies of the raw data and products, were readable from any
    network by any principal of the account. They carry the stores' statement now, and the
    replication role the tag that lets a role writing from AWS's network through."""
    from .conftest import variant_plan

    private = variant_plan("aws", {**GEO, "security.network": "private"})
    for store in ("raw", "products"):
        primary, replica = (
            json.loads(private.one(POLICY, f"noaa20-storage-{name}-policy").inputs["policy"])["Statement"]
            for name in (store, f"replica-{store}")
        )
        (pin,) = [s for s in replica if s["Sid"] == "DenyObjectAccessOutsideVpcEndpoint"]
        (stores_pin,) = [s for s in primary if s["Sid"] == "DenyObjectAccessOutsideVpcEndpoint"]
        assert pin["Condition"] == stores_pin["Condition"]
        assert pin["Resource"].startswith("arn:aws:s3:::") and "replica" in pin["Resource"]
    role = private.one("aws:iam/role:Role", "noaa20-storage-replica-role")
    assert role.inputs["tags"]["outside-vpc-writer"] == "noaa20"
    public = variant_plan("aws", GEO)
    statements = json.loads(public.one(POLICY, "noaa20-storage-replica-raw-policy").inputs["policy"])["Statement"]
    assert [s["Sid"] for s in statements] == ["DenyInsecureTransport"]
    assert "outside-vpc-writer" not in public.one("aws:iam/role:Role", "noaa20-storage-replica-role").inputs["tags"]


def test_an_object_that_fails_to_replicate_raises_an_alarm(plan):
    """S3 marks an object FAILED and retries none: the replica region silently lacked it (a key
    the role could not use failed every one). Each rule's OperationsFailedReplication, published in
    the source bucket's region, alarms the mission's alert topic."""
    topic = plan.one("aws:sns/topic:Topic", "noaa20-observability-alerts").outputs["arn"]
    for store in ("raw", "products"):
        alarm = plan.one("aws:cloudwatch/metricAlarm:MetricAlarm", f"noaa20-observability-replication-failed-{store}")
        inputs = alarm.inputs
        assert (inputs["namespace"], inputs["metricName"], inputs["statistic"]) == (
            "AWS/S3",
            "OperationsFailedReplication",
            "Sum",
        )
        assert inputs["dimensions"] == {
            "SourceBucket": plan.one(BUCKET, f"noaa20-storage-{store}").outputs["bucket"],
            "DestinationBucket": plan.one(BUCKET, f"noaa20-storage-replica-{store}").outputs["bucket"],
            "RuleId": f"{store}-to-us-east-2",
        }
        assert (inputs["threshold"], inputs["comparisonOperator"]) == (0, "GreaterThanThreshold")
        assert inputs["alarmActions"] == [topic] and inputs["okActions"] == [topic]
