"""AWS rules at function level: each fires on a broken input and stays quiet on
a good one. Stack rules get a hardened bucket with one side resource removed
or weakened."""

from __future__ import annotations

import pytest

from .test_policies_support import TLS_ONLY, doc, hardened_bucket, res, run_resource, run_stack

S3_STACK_RULES = {
    "aws-s3-public-access-block": "pab",
    "aws-s3-tls-only": "policy",
    "aws-s3-kms-encryption": "sse",
    "aws-s3-versioning": "versioning",
    "aws-s3-access-logging": "logging",
    "aws-s3-lifecycle": "lifecycle",
    "aws-s3-ownership-enforced": "ownership",
}


@pytest.mark.parametrize("rule", sorted(S3_STACK_RULES))
def test_s3_stack_rule_passes_on_hardened_bucket_and_fires_without_its_side_resource(rule):
    assert run_stack(rule, hardened_bucket()) == []
    reported = run_stack(rule, hardened_bucket(drop=(S3_STACK_RULES[rule],)))
    expected = ["urn:aws:s3/bucket:Bucket::data"]
    if rule == "aws-s3-access-logging":  # without the logging resource, the log bucket is no longer exempt
        expected.append("urn:aws:s3/bucketV2:BucketV2::data-logs")
    assert [urn for _, urn in reported] == expected


@pytest.mark.parametrize(
    "rule, role, weak, words",
    [
        (
            "aws-s3-public-access-block",
            "pab",
            {
                "blockPublicAcls": True,
                "blockPublicPolicy": False,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
            "blockPublicPolicy",
        ),
        ("aws-s3-tls-only", "policy", {"policy": doc({**TLS_ONLY, "Effect": "Allow"})}, "SecureTransport"),
        (
            "aws-s3-kms-encryption",
            "sse",
            {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
            "AES256",
        ),
        ("aws-s3-versioning", "versioning", {"versioningConfiguration": {"status": "Suspended"}}, "Suspended"),
        ("aws-s3-lifecycle", "lifecycle", {"rules": [{"id": "r", "status": "Disabled"}]}, "lifecycle"),
        ("aws-s3-ownership-enforced", "ownership", {"rule": {"objectOwnership": "ObjectWriter"}}, "ownership"),
    ],
)
def test_s3_stack_rule_fires_on_weakened_side_resource(rule, role, weak, words):
    reported = run_stack(rule, hardened_bucket(**{role: weak}))
    assert len(reported) == 1 and words in reported[0][0]


def test_s3_kms_encryption_accepts_sse_s3_when_configured():
    weak = hardened_bucket(sse={"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]})
    assert run_stack("aws-s3-kms-encryption", weak, config={"requireCustomerManagedKey": False}) == []


def test_bucket_join_follows_property_dependencies_when_names_are_unknown():
    """Under a real preview the bucket name is unknown: the join uses the engine's property dependencies."""
    resources = hardened_bucket()
    bucket = resources[0]
    bucket.props = {}
    for side in resources[2:]:
        if side.props.get("bucket") == "data-1":
            side.props = {k: v for k, v in side.props.items() if k != "bucket"}
            side.property_dependencies = {"bucket": [bucket]}
    assert run_stack("aws-s3-public-access-block", resources) == []
    assert run_stack("aws-s3-public-access-block", [r for r in resources if r.name != "data-pab"]) != []


def test_access_logging_exempts_the_log_target_and_kms_rule_lets_it_use_sse_s3():
    reported = run_stack("aws-s3-access-logging", hardened_bucket())
    assert reported == []  # data-logs is a log target: not itself logged
    assert run_stack("aws-s3-kms-encryption", hardened_bucket()) == []


RESOURCE_CASES = [
    # rule, firing props, passing props, extra kwargs
    ("aws-s3-no-public-acl", {"acl": "public-read"}, {"acl": "private"}, {}),
    (
        "aws-s3-policy-no-public-allow",
        {
            "policy": doc(
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
            )
        },
        {"policy": doc(TLS_ONLY)},
        {},
    ),
    ("aws-kms-key-rotation", {"enableKeyRotation": False}, {"enableKeyRotation": True}, {}),
    (
        "aws-kms-key-policy",
        {"policy": doc({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"})},
        {
            "policy": doc(
                {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "kms:*", "Resource": "*"}
            )
        },
        {},
    ),
    (
        "aws-iam-no-wildcard-admin",
        {"policy": doc({"Effect": "Allow", "Action": "*", "Resource": "*"})},
        {"policy": doc({"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"})},
        {"type": "aws:iam/rolePolicy:RolePolicy"},
    ),
    (
        "aws-iam-service-trust-conditions",
        {
            "assumeRolePolicy": doc(
                {"Effect": "Allow", "Principal": {"Service": "groundstation.amazonaws.com"}, "Action": "sts:AssumeRole"}
            )
        },
        {
            "assumeRolePolicy": doc(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "groundstation.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": "1"},
                        "ArnLike": {"aws:SourceArn": "arn:aws:groundstation:us-west-2:1:config/s3-recording/*"},
                    },
                }
            )
        },
        {},
    ),
    (
        "aws-gs-frequency",
        {
            "configData": {
                "antennaDownlinkConfig": {"spectrumConfig": {"centerFrequency": {"value": 8500, "units": "MHz"}}}
            }
        },
        {
            "configData": {
                "antennaDownlinkConfig": {"spectrumConfig": {"centerFrequency": {"value": 7.812, "units": "GHz"}}}
            }
        },
        {},
    ),
    (
        "aws-gs-bandwidth",
        {"configData": {"antennaDownlinkConfig": {"spectrumConfig": {"bandwidth": {"value": 60, "units": "MHz"}}}}},
        {
            "configData": {
                "antennaDownlinkDemodDecodeConfig": {"spectrumConfig": {"bandwidth": {"value": 60, "units": "MHz"}}}
            }
        },
        {},
    ),
    (
        "aws-gs-config-name-and-size",
        {"name": "noaa20/hrd", "configData": {}},
        {"name": "noaa20-hrd:demod", "configData": {}},
        {},
    ),
    (
        "aws-gs-delivery-bucket",
        {"configData": {"s3RecordingConfig": {"bucketArn": "arn:aws:s3:::noaa20-raw", "prefix": "/raw"}}},
        {
            "configData": {
                "s3RecordingConfig": {
                    "bucketArn": "arn:aws:s3:::aws-groundstation-noaa20-raw-1",
                    "prefix": "year={year}/month={month}/day={day}/satellite={satellite_id}",
                }
            }
        },
        {},
    ),
    (
        "aws-gs-autotrack",
        {"configData": {"trackingConfig": {"autotrack": "REMOVED"}}},
        {"configData": {"trackingConfig": {"autotrack": "PREFERRED"}}},
        {},
    ),
    (
        "aws-gs-mission-profile",
        {
            "minimumViableContactDurationSeconds": 0,
            "contactPrePassDurationSeconds": 120,
            "dataflowEdges": [{"source": "a", "destination": "b"}],
            "streamsKmsKey": {"kmsKeyArn": "k"},
        },
        {
            "minimumViableContactDurationSeconds": 180,
            "contactPrePassDurationSeconds": 120,
            "contactPostPassDurationSeconds": 120,
            "dataflowEdges": [{"source": "a", "destination": "b"}],
        },
        {},
    ),
    ("aws-gs-endpoint-group-timing", {"contactPrePassDurationSeconds": 10}, {"contactPrePassDurationSeconds": 120}, {}),
    (
        "aws-athena-workgroup-encryption",
        {
            "configuration": {
                "enforceWorkgroupConfiguration": False,
                "resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_S3"}},
            }
        },
        {
            "configuration": {
                "enforceWorkgroupConfiguration": True,
                "resultConfiguration": {
                    "encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": "arn:k"}
                },
            }
        },
        {},
    ),
    (
        "aws-kinesis-cmk",
        {"encryptionType": "KMS", "kmsKeyId": "alias/aws/kinesis"},
        {"encryptionType": "KMS", "kmsKeyId": "arn:k"},
        {},
    ),
    (
        "aws-firehose-cmk",
        {"serverSideEncryption": {"enabled": True, "keyType": "AWS_OWNED_CMK"}},
        {"serverSideEncryption": {"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": "arn:k"}},
        {},
    ),
    ("aws-s3-no-force-destroy", {"forceDestroy": True}, {"forceDestroy": False}, {}),
]


@pytest.mark.parametrize("rule, bad, good, kwargs", RESOURCE_CASES, ids=[c[0] for c in RESOURCE_CASES])
def test_resource_rule_fires_and_passes(rule, bad, good, kwargs):
    assert run_resource(rule, bad, **kwargs), f"{rule} did not fire"
    assert run_resource(rule, good, **kwargs) == []


def test_gs_region_reads_the_provider_region():
    assert run_resource("aws-gs-region", {}, provider={"region": "ca-central-1"}) == [
        "region ca-central-1 has no AWS Ground Station API endpoint"
    ]
    assert run_resource("aws-gs-region", {}, provider={"region": "us-west-2"}) == []
    assert run_resource("aws-gs-region", {}, provider={"region": "us-east-1"}) == []  # an API region, no antenna


def test_autotrack_removed_allowed_by_config():
    removed = {"configData": {"trackingConfig": {"autotrack": "REMOVED"}}}
    assert run_resource("aws-gs-autotrack", removed, config={"allowAutotrackRemoved": True}) == []


def test_service_trust_rule_covers_configured_services_only():
    trust = {
        "assumeRolePolicy": doc(
            {"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}
        )
    }
    assert run_resource("aws-iam-service-trust-conditions", trust) == []
    assert (
        run_resource("aws-iam-service-trust-conditions", trust, config={"services": ["firehose.amazonaws.com"]}) != []
    )


def test_firehose_reading_a_kinesis_stream_needs_the_destination_key():
    source = {"kinesisSourceConfiguration": {"kinesisStreamArn": "arn:s"}}
    assert run_resource("aws-firehose-cmk", {**source, "extendedS3Configuration": {"bucketArn": "arn:b"}})
    assert (
        run_resource(
            "aws-firehose-cmk", {**source, "extendedS3Configuration": {"bucketArn": "arn:b", "kmsKeyArn": "arn:k"}}
        )
        == []
    )


def test_glue_catalog_encryption_joins_databases_and_settings():
    database = res("aws:glue/catalogDatabase:CatalogDatabase", "db", {"name": "noaa20"})
    good = res(
        "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
        "enc",
        {
            "dataCatalogEncryptionSettings": {
                "encryptionAtRest": {"catalogEncryptionMode": "SSE-KMS", "sseAwsKmsKeyId": "arn:k"},
                "connectionPasswordEncryption": {"returnConnectionPasswordEncrypted": True, "awsKmsKeyId": "arn:k"},
            }
        },
    )
    weak = res(
        good.resource_type,
        "enc",
        {
            "dataCatalogEncryptionSettings": {
                "encryptionAtRest": {"catalogEncryptionMode": "DISABLED"},
                "connectionPasswordEncryption": {"returnConnectionPasswordEncrypted": True},
            }
        },
    )
    assert run_stack("aws-glue-catalog-encryption", [database, good]) == []
    assert run_stack("aws-glue-catalog-encryption", [database]) != []
    assert run_stack("aws-glue-catalog-encryption", [database, weak]) == [
        ("catalog encryption mode is DISABLED", weak.urn)
    ]
    assert run_stack("aws-glue-catalog-encryption", [weak]) == []  # no catalog: nothing to protect


def test_wrong_type_is_ignored_by_the_pack_filter():
    assert run_resource("aws-kms-key-rotation", {"enableKeyRotation": False}, type="aws:s3/bucket:Bucket") == []


def test_public_acl_through_a_grant_fires_and_a_private_grant_passes():
    def acl(uri):
        return {
            "accessControlPolicy": {
                "grants": [{"grantee": {"type": "Group", "uri": uri}, "permission": "READ"}],
                "owner": {"id": "owner"},
            }
        }

    all_users = "http://acs.amazonaws.com/groups/global/AllUsers"
    log_delivery = "http://acs.amazonaws.com/groups/s3/LogDelivery"
    assert run_resource("aws-s3-no-public-acl", acl(all_users), type="aws:s3/bucketAclV2:BucketAclV2") == [
        "ACL grants READ to AllUsers"
    ]
    assert run_resource("aws-s3-no-public-acl", acl(log_delivery), type="aws:s3/bucketAclV2:BucketAclV2") == []


def test_wildcard_admin_in_a_role_inline_policy_fires():
    def role(statement):
        return {
            "assumeRolePolicy": doc(
                {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ),
            "inlinePolicies": [{"name": "inline", "policy": doc(statement)}],
        }

    admin = role({"Sid": "Everything", "Effect": "Allow", "Action": "s3:*", "Resource": "*"})
    scoped = role({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})
    assert run_resource("aws-iam-no-wildcard-admin", admin, type="aws:iam/role:Role") == [
        "statement Everything allows s3:* on '*'"
    ]
    assert run_resource("aws-iam-no-wildcard-admin", scoped, type="aws:iam/role:Role") == []
