"""The S3 rules on every form a bucket's settings take in pulumi-aws, and on a stack's first preview.

A user's own buckets sit beside the components' in a stack the pack gates: a Bucket or a BucketV2
with its settings inline (`logging`, BucketV2's `loggings` and `...Defaults` lists) or in side
resources. On a first `pulumi preview` every new bucket's name is unknown, and so is every side
resource's reference to one: the joins then follow the engine's property dependencies, and two
unknown values are never taken for the same bucket.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from groundlink.check import import_pack
from groundlink.engine import Plan

from .conftest import cached_plan
from .pack_harness import State, run
from .policies_support import hardened_bucket, run_stack

UNKNOWN = importlib.import_module(import_pack().__name__.rsplit(".", 1)[0] + ".props").UNKNOWN
KEY = "arn:aws:kms:us-west-2:1:key/k"
BUCKET_KEYS = ("bucket", "id", "arn")


def _first_preview(plan: Plan, edit: Any = None) -> Plan:
    """`plan` as a stack's first preview sends it: the buckets' names, ids and ARNs unknown, and so
    every side resource's `bucket` and `targetBucket` the engine knows to depend on a bucket.
    `edit(resource)` changes or (returning None) removes a resource."""
    resources = []
    for resource in plan.resources:
        inputs, outputs = dict(resource.inputs), dict(resource.outputs or resource.inputs)
        if resource.type == "aws:s3/bucket:Bucket":
            for key in BUCKET_KEYS:
                inputs[key] = outputs[key] = UNKNOWN_STRING_VALUE
        elif resource.type.startswith("aws:s3/"):
            for key in ("bucket", "targetBucket"):
                if key in inputs and resource.propertyDependencies.get(key):
                    inputs[key] = outputs[key] = UNKNOWN_STRING_VALUE
        changed = dataclasses.replace(resource, inputs=inputs, outputs=outputs)
        changed = edit(changed) if edit else changed
        if changed is not None:
            resources.append(changed)
    return dataclasses.replace(plan, resources=resources)


def _raw_without_logging(resource: Any) -> Any:
    return None if resource.name == "noaa20-storage-raw-access-logs" else resource


def _raw_with_sse_s3(resource: Any) -> Any:
    if resource.name != "noaa20-storage-raw-encryption":
        return resource
    inputs = {**resource.inputs, "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    return dataclasses.replace(resource, inputs=inputs, outputs=inputs)


def _on_raw(rule: str, edit: Any = None) -> list[Any]:
    return [
        found
        for found in run(rule, State(_first_preview(cached_plan("noaa20.yaml", "aws"), edit)))
        if found[1] == "noaa20-storage-raw"
    ]


@pytest.mark.parametrize(
    "rule, edit, expected",
    [
        ("aws-s3-access-logging", None, []),
        ("aws-s3-kms-encryption", None, []),
        ("aws-s3-access-logging", _raw_without_logging, ["bucket noaa20-storage-raw has no access logging"]),
        (
            "aws-s3-kms-encryption",
            _raw_with_sse_s3,
            ["bucket noaa20-storage-raw encrypts with AES256, not SSE-KMS with a customer-managed key"],
        ),
    ],
)
def test_on_a_first_preview_an_unknown_bucket_is_not_taken_for_the_unknown_log_target(rule, edit, expected):
    """Every bucket's name and every BucketLogging's target are unknown: only the log bucket, the one
    the engine says the target depends on, is exempt from logging and may use SSE-S3."""
    assert [message for message, _ in _on_raw(rule, edit)] == expected


def _user_bucket(kind: str, inline: dict[str, Any], drop: tuple[str, ...]) -> list[Any]:
    """hardened_bucket's `data`, as a `kind` bucket with `inline` settings instead of the side
    resources `drop`."""
    resources = hardened_bucket(drop=drop)
    bucket = resources[0]
    bucket.resource_type = kind
    bucket.urn = f"urn:{kind}::data"
    bucket.props = {**bucket.props, **inline}
    return resources


SSE_V2 = {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}]}


@pytest.mark.parametrize(
    "kind, inline, expected",
    [
        ("aws:s3/bucketV2:BucketV2", {"serverSideEncryptionConfigurations": [{"rules": [SSE_V2]}]}, []),
        (
            "aws:s3/bucketV2:BucketV2",
            {
                "serverSideEncryptionConfigurations": [
                    {"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "AES256"}]}]}
                ]
            },
            ["bucket data encrypts with AES256, not SSE-KMS with a customer-managed key"],
        ),
        (
            "aws:s3/bucket:Bucket",
            {
                "serverSideEncryptionConfiguration": {
                    "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}
                }
            },
            [],
        ),
        (
            "aws:s3/bucketV2:BucketV2",
            {"serverSideEncryptionConfigurations": [{"rules": [{"bucketKeyEnabled": True}]}]},
            ["bucket data has no default encryption configuration"],
        ),
    ],
)
def test_inline_default_encryption_is_read_in_each_bucket_type_s_shape(kind, inline, expected):
    """BucketV2 holds a list of defaults per rule (`applyServerSideEncryptionByDefaults`), Bucket one."""
    reported = run_stack("aws-s3-kms-encryption", _user_bucket(kind, inline, drop=("sse",)))
    assert [message for message, _ in reported] == expected


REPLICATE = {
    "role": "arn:aws:iam::1:role/replication",
    "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::elsewhere"}}],
}
REPLICATE_V2 = {  # as pulumi-aws's BucketV2ReplicationConfigurationRuleArgs takes it: every block a list
    "role": "arn:aws:iam::1:role/replication",
    "rules": [
        {
            "status": "Enabled",
            "sourceSelectionCriterias": [{"sseKmsEncryptedObjects": [{"enabled": True}]}],
            "destinations": [{"bucket": "arn:aws:s3:::elsewhere", "replicaKmsKeyId": "arn:aws:kms:us-east-2:1:key/r"}],
        }
    ],
}
SKIPS_KMS = "replication skips SSE-KMS objects: sourceSelectionCriteria.sseKmsEncryptedObjects is not Enabled"
NO_REPLICA_KEY = "replication names no destination.encryptionConfiguration.replicaKmsKeyId"


@pytest.mark.parametrize(
    "kind, inline, expected",
    [
        (
            "aws:s3/bucketV2:BucketV2",
            {"serverSideEncryptionConfigurations": [{"rules": [SSE_V2]}], "replicationConfigurations": [REPLICATE]},
            [SKIPS_KMS, NO_REPLICA_KEY],
        ),
        (
            "aws:s3/bucket:Bucket",
            {
                "serverSideEncryptionConfiguration": {
                    "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}}
                },
                "replicationConfiguration": REPLICATE,
            },
            [SKIPS_KMS, NO_REPLICA_KEY],
        ),
        (  # SSE-S3 objects replicate without being selected, and their replicas need no key
            "aws:s3/bucketV2:BucketV2",
            {
                "serverSideEncryptionConfigurations": [
                    {"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "AES256"}]}]}
                ],
                "replicationConfigurations": [REPLICATE],
            },
            [],
        ),
        (  # BucketV2's own shape: its blocks are lists of one (destinations, sourceSelectionCriterias)
            "aws:s3/bucketV2:BucketV2",
            {
                "serverSideEncryptionConfigurations": [{"rules": [SSE_V2]}],
                "replicationConfigurations": [REPLICATE_V2],
            },
            [],
        ),
        (
            "aws:s3/bucketV2:BucketV2",
            {
                "serverSideEncryptionConfigurations": [{"rules": [SSE_V2]}],
                "replicationConfigurations": [
                    {
                        **REPLICATE_V2,
                        "rules": [{"status": "Enabled", "destinations": [{"bucket": "arn:aws:s3:::elsewhere"}]}],
                    }
                ],
            },
            [SKIPS_KMS, NO_REPLICA_KEY],
        ),
    ],
    ids=["bucket-v2-kms", "bucket-kms", "bucket-v2-sse-s3", "bucket-v2-own-shape", "bucket-v2-own-shape-unselected"],
)
def test_inline_replication_of_an_inline_kms_bucket_must_select_its_objects_in_each_bucket_type(kind, inline, expected):
    """A BucketV2 encrypted with the mission key by its own `serverSideEncryptionConfigurations`
    read as unencrypted: its replication, skipping every SSE-KMS object, passed."""
    reported = run_stack("aws-s3-replica-own-key", _user_bucket(kind, inline, drop=("sse",)))
    assert reported == [(message, f"urn:{kind}::data") for message in expected]


@pytest.mark.parametrize(
    "kind, inline",
    [
        ("aws:s3/bucket:Bucket", {"logging": {"targetBucket": "data-logs-1", "targetPrefix": "s3/"}}),
        ("aws:s3/bucketV2:BucketV2", {"loggings": [{"targetBucket": "data-logs-1", "targetPrefix": "s3/"}]}),
    ],
)
def test_a_bucket_named_by_another_s_inline_logging_is_a_log_target(kind, inline):
    """S3 cannot deliver access logs to an SSE-KMS bucket: the target may not be told to use one."""
    resources = _user_bucket(kind, inline, drop=("logging",))
    assert run_stack("aws-s3-access-logging", resources) == []
    assert run_stack("aws-s3-kms-encryption", resources) == []
    resources = _user_bucket(kind, {}, drop=("logging",))  # nothing logs into data-logs any more
    assert sorted(message for message, _ in run_stack("aws-s3-access-logging", resources)) == [
        "bucket data has no access logging",
        "bucket data-logs has no access logging",
    ]
    assert [message for message, _ in run_stack("aws-s3-kms-encryption", resources)] == [
        "bucket data-logs encrypts with AES256, not SSE-KMS with a customer-managed key"
    ]


def test_an_unknown_inline_target_names_the_log_bucket_it_depends_on():
    resources = _user_bucket("aws:s3/bucket:Bucket", {"logging": {"targetBucket": UNKNOWN}}, drop=("logging",))
    resources[0].property_dependencies = {"logging": [resources[1]]}
    assert run_stack("aws-s3-kms-encryption", resources) == []
    resources[0].property_dependencies = {}  # a target not known, and no dependency: it may be any bucket
    assert [message for message, _ in run_stack("aws-s3-kms-encryption", resources)] == [
        "bucket data-logs encrypts with AES256, not SSE-KMS with a customer-managed key"
    ]


@pytest.mark.parametrize(
    "rule, drop, inline, expected",
    [
        ("aws-s3-access-logging", "logging", {"logging": {"targetBucket": UNKNOWN}}, []),
        ("aws-s3-access-logging", "logging", {"logging": UNKNOWN}, []),
        (
            "aws-s3-access-logging",
            "logging",
            {"logging": {"targetPrefix": "s3/"}},
            ["bucket data has no access logging"],
        ),
        ("aws-s3-lifecycle", "lifecycle", {"lifecycleRules": [UNKNOWN]}, []),
        ("aws-s3-lifecycle", "lifecycle", {"lifecycleRules": [{"enabled": UNKNOWN}]}, []),
        (
            "aws-s3-lifecycle",
            "lifecycle",
            {"lifecycleRules": [{"enabled": False}]},
            ["bucket data has no enabled lifecycle rule"],
        ),
    ],
)
def test_an_inline_setting_a_preview_does_not_know_is_not_judged(rule, drop, inline, expected):
    reported = run_stack(rule, _user_bucket("aws:s3/bucket:Bucket", inline, drop=(drop,)))
    assert [message for message, _ in reported if message.startswith("bucket data ")] == expected


@pytest.mark.parametrize(
    "default, require_cmk, expected",
    [
        ({"sseAlgorithm": "aws:kms"}, False, []),
        ({"sseAlgorithm": "aws:kms", "kmsMasterKeyId": ""}, False, []),
        ({"sseAlgorithm": "aws:kms:dsse"}, False, []),
        (
            {"sseAlgorithm": "aws:kms"},
            True,
            ["bucket data encrypts with the AWS-managed key alias/aws/s3, not a customer-managed key"],
        ),
        ({"sseAlgorithm": "aws:kms", "kmsMasterKeyId": UNKNOWN}, True, []),
        ({"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY}, True, []),
    ],
)
def test_sse_kms_without_a_key_id_is_the_aws_managed_key(default, require_cmk, expected):
    """S3 encrypts with aws/s3 then: what `alias/aws/s3` written out means, and stronger than AES256."""
    sse = {"rules": [{"applyServerSideEncryptionByDefault": default}]}
    reported = run_stack(
        "aws-s3-kms-encryption", hardened_bucket(sse=sse), config={"requireCustomerManagedKey": require_cmk}
    )
    assert [message for message, _ in reported] == expected


def test_the_user_bucket_fixture_is_a_bucket_the_rules_join():
    """The inline cases above hold only if the fixture's bucket is judged at all."""
    resources = _user_bucket("aws:s3/bucketV2:BucketV2", {}, drop=("sse",))
    assert run_stack("aws-s3-kms-encryption", resources) == [
        ("bucket data has no default encryption configuration", "urn:aws:s3/bucketV2:BucketV2::data")
    ]
