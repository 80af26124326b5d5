"""AWS rules at function level: S3 stack rules on a hand-built hardened bucket (pulumi-aws
v7 side-resource tokens, joins through property dependencies), token spellings and config
switches (every condition of every rule, on planned baselines, is in
tests/test_policies_conditions.py)."""

from __future__ import annotations

import pytest

from .policies_support import TLS_ONLY, doc, hardened_bucket, res, run_resource, run_stack

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
                "connectionPasswordEncryption": {"returnConnectionPasswordEncrypted": True, "awsKmsKeyId": "arn:k"},
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
