"""Stores: S3 buckets hardened the same way, one per role (raw delivery, ...).

The raw bucket is the AWS Ground Station delivery bucket, so its name must
begin with `aws-groundstation`; a bucket *prefix* keeps the physical name
globally unique while depending only on the mission name.
"""

from __future__ import annotations

import json
from typing import Optional

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import Blueprint, Lifecycle, realizes
from groundlink.limits import DELIVERY_BUCKET_PREFIX

from ..base import MissionComponent

# Cloud-neutral tier -> S3 storage class (REFERENCE.md §6 prices use the same pairing).
S3_STORAGE_CLASS = {"cool": "STANDARD_IA", "cold": "GLACIER", "archive": "DEEP_ARCHIVE"}


class SecureBucket(MissionComponent):
    """A bucket with the controls every groundlink store carries: all four public
    access blocks, bucket-owner-enforced ownership, versioning, SSE-KMS with a
    bucket key (or SSE-S3 without CMKs), a TLS-only bucket policy and a lifecycle."""

    TOKEN = "groundlink:index:AwsSecureBucket"

    def __init__(self, name: str, blueprint: Blueprint, *, bucket_prefix: str, lifecycle: Lifecycle,
                 capability: str, key: Optional[aws.kms.Key], opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        self.bucket = realizes(aws.s3.Bucket(
            name, bucket_prefix=bucket_prefix, force_destroy=False, tags=self.tags,
            opts=self.opts(stateful=True)), capability)
        bucket_id = self.bucket.id
        aws.s3.BucketPublicAccessBlock(
            self.child_name("public-access-block"), bucket=bucket_id, block_public_acls=True,
            block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True, opts=self.opts())
        aws.s3.BucketOwnershipControls(
            self.child_name("ownership"), bucket=bucket_id,
            rule={"object_ownership": "BucketOwnerEnforced"}, opts=self.opts())
        realizes(aws.s3.BucketVersioning(
            self.child_name("versioning"), bucket=bucket_id,
            versioning_configuration={"status": "Enabled"}, opts=self.opts()), "storage.versioning")
        sse = ({"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn} if key
               else {"sse_algorithm": "AES256"})
        aws.s3.BucketServerSideEncryptionConfiguration(
            self.child_name("encryption"), bucket=bucket_id,
            rules=[{"apply_server_side_encryption_by_default": sse, "bucket_key_enabled": key is not None}],
            opts=self.opts())
        self.policy = aws.s3.BucketPolicy(
            self.child_name("tls-only"), bucket=bucket_id,
            policy=self.bucket.arn.apply(lambda arn: json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [arn, f"{arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }],
            })), opts=self.opts())
        realizes(aws.s3.BucketLifecycleConfiguration(
            self.child_name("lifecycle"), bucket=bucket_id, rules=[{
                "id": "retention",
                "status": "Enabled",
                "filter": {},
                "transitions": [{"days": days, "storage_class": S3_STORAGE_CLASS[tier]}
                                for days, tier in lifecycle.transitions],
                "expiration": {"days": lifecycle.expire_days},
                "noncurrent_version_expiration": {"noncurrent_days": lifecycle.noncurrent_days},
                "abort_incomplete_multipart_upload": {"days_after_initiation": lifecycle.abort_incomplete_upload_days},
            }], opts=self.opts()), "storage.lifecycle")
        self.register_outputs({"bucket": self.bucket.bucket, "arn": self.bucket.arn})


class AwsStorage(MissionComponent):
    """The mission's stores. The raw store is the Ground Station delivery bucket."""

    TOKEN = "groundlink:index:AwsStorage"

    def __init__(self, name: str, blueprint: Blueprint, *, key: Optional[aws.kms.Key],
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        mission = blueprint.mission
        self.raw = SecureBucket(
            self.child_name("raw"), blueprint, bucket_prefix=f"{DELIVERY_BUCKET_PREFIX}-{mission}-raw-",
            lifecycle=blueprint.raw_lifecycle, capability="storage.raw", key=key, opts=self.opts())
        self.raw_uri = self.raw.bucket.bucket.apply(lambda b: f"s3://{b}/")
        self.register_outputs({"raw_store_uri": self.raw_uri})
