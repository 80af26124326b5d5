"""Rules that join resources by a value written out in full (a bucket name, a subnet id) and not
by a dependency the engine recorded: a resource of another stack, or one the program names by a
literal string. The join must hold by value alone, and a reference to something outside the
stack is not judged."""

from __future__ import annotations

from typing import Any

import pytest

from .policies_support import functions_app, res, run_stack

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
SOURCE_KEY = "arn:aws:kms:us-west-2:111122223333:key/source"
REPLICA_KEY = "arn:aws:kms:us-east-2:111122223333:key/replica"


def _bucket_with_key(name: str, key: str) -> list[Any]:
    bucket = res(BUCKET, name, {"bucket": f"{name}-1", "arn": f"arn:aws:s3:::{name}-1"})
    default = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key}
    sse = res(SSE, f"{name}-sse", {"bucket": f"{name}-1", "rules": [{"applyServerSideEncryptionByDefault": default}]})
    return [bucket, sse]  # no dependency: the configuration names its bucket by value


def _replicated(replica_key: str) -> list[Any]:
    rule = {
        "status": "Enabled",
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": "Enabled"}},
        "destination": {
            "bucket": "arn:aws:s3:::replica-1",
            "encryptionConfiguration": {"replicaKmsKeyId": REPLICA_KEY},
        },
    }
    replication = res(REPLICATION, "raw-replication", {"bucket": "raw-1", "rules": [rule]})
    return [*_bucket_with_key("raw", SOURCE_KEY), *_bucket_with_key("replica", replica_key), replication]


def test_a_replica_named_by_arn_with_its_own_key_passes():
    assert run_stack("aws-s3-replica-own-key", _replicated(REPLICA_KEY)) == []


def test_a_replica_named_by_arn_encrypted_with_the_source_key_is_found():
    resources = _replicated(SOURCE_KEY)
    replica = next(r for r in resources if r.name == "replica")
    assert run_stack("aws-s3-replica-own-key", resources) == [
        ("replica bucket replica is encrypted with the source bucket's key", replica.urn)
    ]


PROCESSING_SUBNET = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/processing"
# an account whose firewall denies by default and admits the processing subnet
DENYING = {"defaultAction": "Deny", "virtualNetworkRules": [{"virtualNetworkResourceId": PROCESSING_SUBNET}]}


def _functions_app(subnet_id: str) -> list[Any]:
    account = res("azure-native:storage:StorageAccount", "data", {"accountName": "data1", "networkRuleSet": DENYING})
    subnet = res("azure-native:network:Subnet", "processing", {"id": PROCESSING_SUBNET})
    app = functions_app(subnet_id)
    return [account, subnet, app]


def test_a_functions_app_in_a_subnet_of_another_stack_is_not_judged():
    other = "/subscriptions/s/resourceGroups/shared/providers/Microsoft.Network/virtualNetworks/hub/subnets/apps"
    assert run_stack("processing-functions-app-reaches-its-storage", _functions_app(other)) == []


def test_a_functions_app_in_an_undelegated_subnet_of_this_stack_is_found():
    resources = _functions_app(
        "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/processing"
    )
    app = resources[-1]
    assert run_stack("processing-functions-app-reaches-its-storage", resources) == [
        (
            "functions app processor integrates subnet processing, which is not delegated to Microsoft.App/environments",
            app.urn,
        )
    ]


def test_the_apps_account_is_found_by_the_name_a_real_preview_passes():
    """A stack rule reads outputs, and azure-native's outputs carry an account's name as `name`,
    not `accountName` (an input of its path): among two accounts, none matched the app's URL and
    the rule judged nothing."""
    subnet_id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/processing"
    resources = _functions_app(subnet_id)
    resources[0] = res("azure-native:storage:StorageAccount", "data", {"name": "data1", "networkRuleSet": DENYING})
    other = res("azure-native:storage:StorageAccount", "other", {"name": "other1", "publicNetworkAccess": "Enabled"})
    app = resources[-1]
    assert run_stack("processing-functions-app-reaches-its-storage", [other, *resources]) == [
        (
            "functions app processor integrates subnet processing, which is not delegated to Microsoft.App/environments",
            app.urn,
        )
    ]


BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
KMS_DEFAULT = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": SOURCE_KEY}


@pytest.mark.parametrize(
    ("rule", "inline", "message"),
    [
        (
            "aws-s3-kms-encryption",
            {"serverSideEncryptionConfigurations": [{"rules": [{"applyServerSideEncryptionByDefault": KMS_DEFAULT}]}]},
            "bucket raw has no default encryption configuration",
        ),
        ("aws-s3-versioning", {"versionings": [{"enabled": True}]}, "bucket raw is not versioned"),
        (
            "aws-s3-access-logging",
            {"loggings": [{"targetBucket": "logs-1", "targetPrefix": "raw/"}]},
            "bucket raw has no access logging",
        ),
    ],
)
def test_a_bucketv2_configured_inline_is_read_under_its_plural_names(rule, inline, message):
    """BucketV2 takes each inline setting as a list under its plural name: the rules read the
    singular one, so a BucketV2 encrypted, versioned and logged inline was reported as none."""
    plain = {"bucket": "raw-1", "arn": "arn:aws:s3:::raw-1"}
    assert run_stack(rule, [res(BUCKET_V2, "raw", {**plain, **inline})]) == []
    bucket = res(BUCKET_V2, "raw", plain)
    assert run_stack(rule, [bucket]) == [(message, bucket.urn)]
