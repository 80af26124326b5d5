"""Stores: S3 buckets hardened the same way, one per role (raw delivery, products,
query results, access logs).

The raw bucket is the AWS Ground Station delivery bucket, so its name must begin
with `aws-groundstation`. Physical names come from a bucket *prefix* (the provider
appends a unique suffix) built only from the mission name, so editing a tunable
never renames, and so never replaces, a store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import Lifecycle, MissionInputs, StorageInputs
from groundlink.limits import DELIVERY_BUCKET_PREFIX

from ..base import MissionComponent
from . import iam
from .naming import bucket_prefix
from .security import Network

# Cloud-neutral tier -> S3 storage class (docs/facts.md §6 prices use the same pairing).
S3_STORAGE_CLASS = {"cool": "STANDARD_IA", "cold": "GLACIER", "archive": "DEEP_ARCHIVE"}
# Object actions a private mission allows only through its VPC endpoint.
OBJECT_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]


@dataclass(frozen=True)
class Store:
    """A store as its writers and readers use it."""

    id: pulumi.Output[str]
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    uri: pulumi.Output[str]  # s3://<bucket>/
    policy: aws.s3.BucketPolicy  # writers wait for it: no write before the policy guards the bucket


Grants = Callable[[str, str], list[dict[str, Any]]]  # (bucket ARN, account) -> statements


def _private_object_access(arn: str, account: str, vpce: str, mission: str) -> dict[str, Any]:
    """Object reads and writes must come through the mission's VPC endpoint, except
    requests AWS services make on a caller's behalf (Athena), service principals
    (log delivery) and the mission's own delivery roles (Ground Station, partner,
    Firehose), which write from AWS's network rather than the VPC."""
    return {
        "Sid": "DenyObjectAccessOutsideVpcEndpoint",
        "Effect": "Deny",
        "Principal": "*",
        "Action": OBJECT_ACTIONS,
        "Resource": f"{arn}/*",
        "Condition": {
            "StringNotEquals": {"aws:SourceVpce": vpce},
            "Bool": {"aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false"},
            "ArnNotLike": {"aws:PrincipalArn": iam.role_arn_pattern(account, mission)},
        },
    }


class SecureBucket(MissionComponent):
    """A bucket with the controls every groundlink store carries: all four public
    access blocks, bucket-owner-enforced ownership, versioning, SSE-KMS with a
    bucket key (SSE-S3 without CMKs, and for the access-log bucket, which S3 server
    access logging requires), a TLS-only bucket policy, a lifecycle and access logs."""

    TOKEN = "groundlink:index:AwsSecureBucket"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        *,
        prefix: str,
        lifecycle: Lifecycle,
        capabilities: tuple[str, ...],
        key: aws.kms.Key | None,
        account: pulumi.Input[str],
        log_bucket_id: pulumi.Input[str] | None = None,
        log_prefix: str = "",
        network: Network | None = None,
        grants: Grants | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.bucket = self.realize(
            aws.s3.Bucket(
                name, bucket_prefix=prefix, force_destroy=False, tags=self.tags, opts=self.opts(stateful=True)
            ),
            *capabilities,
        )
        bucket_id = self.bucket.id
        public_access_block = aws.s3.BucketPublicAccessBlock(
            self.child_name("public-access-block"),
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=self.opts(),
        )
        aws.s3.BucketOwnershipControls(
            self.child_name("ownership"),
            bucket=bucket_id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=self.opts(),
        )
        self.realize(
            aws.s3.BucketVersioning(
                self.child_name("versioning"),
                bucket=bucket_id,
                versioning_configuration={"status": "Enabled"},
                opts=self.opts(),
            ),
            "storage.versioning",
        )
        sse = {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn} if key else {"sse_algorithm": "AES256"}
        self.realize(
            aws.s3.BucketServerSideEncryptionConfiguration(
                self.child_name("encryption"),
                bucket=bucket_id,
                rules=[{"apply_server_side_encryption_by_default": sse, "bucket_key_enabled": key is not None}],
                opts=self.opts(depends_on=[key] if key else None),
            ),
            *(("security.cmk",) if key else ()),
        )
        endpoint = network.s3_endpoint_id if network else None
        mission_name = mission.name

        def statements(arn: str, account: str, vpce: str | None) -> list[dict[str, Any]]:
            out = [iam.deny_insecure_transport([arn, f"{arn}/*"], "s3:*")]
            if vpce:
                out.append(_private_object_access(arn, account, vpce, mission_name))
            return out + (grants(arn, account) if grants else [])

        self.policy = aws.s3.BucketPolicy(
            self.child_name("policy"),
            bucket=bucket_id,
            policy=iam.document(statements, arn=self.bucket.arn, account=account, vpce=endpoint),
            # Attached after the public access block: never a policy without it.
            opts=self.opts(depends_on=[public_access_block]),
        )
        if endpoint:
            self.realize(self.policy, "security.private_network")
        self.realize(
            aws.s3.BucketLifecycleConfiguration(
                self.child_name("lifecycle"),
                bucket=bucket_id,
                rules=[
                    {
                        "id": "retention",
                        "status": "Enabled",
                        "filter": {},
                        "transitions": [
                            {"days": days, "storage_class": S3_STORAGE_CLASS[tier]}
                            for days, tier in lifecycle.transitions
                        ],
                        "expiration": {"days": lifecycle.expire_days},
                        "noncurrent_version_expiration": {"noncurrent_days": lifecycle.noncurrent_days},
                        "abort_incomplete_multipart_upload": {
                            "days_after_initiation": lifecycle.abort_incomplete_upload_days
                        },
                    }
                ],
                opts=self.opts(),
            ),
            "storage.lifecycle",
            *(["storage.archive_tier"] if any(tier == "archive" for _, tier in lifecycle.transitions) else []),
        )
        if log_bucket_id is not None:
            self.realize(
                aws.s3.BucketLogging(
                    self.child_name("access-logs"),
                    bucket=bucket_id,
                    target_bucket=log_bucket_id,
                    target_prefix=log_prefix,
                    target_object_key_format={"partitioned_prefix": {"partition_date_source": "EventTime"}},
                    opts=self.opts(),
                ),
                "observability.logging",
            )
        self.uri = self.bucket.bucket.apply(lambda b: f"s3://{b}/")
        self.outputs = Store(
            id=self.bucket.id, name=self.bucket.bucket, arn=self.bucket.arn, uri=self.uri, policy=self.policy
        )
        self.register_outputs({"bucket": self.bucket.bucket, "arn": self.bucket.arn, "uri": self.uri})


# S3 Standard already keeps every object in three availability zones (storage.redundancy: zone).
GEO_NOT_RENDERED = (
    "S3 replication to {region} (a replica bucket with its own KMS key) is not rendered by groundlink "
    "yet: the stores stay in one region's three availability zones"
)


class AwsStorage(MissionComponent):
    """The mission's stores. The raw store is the Ground Station delivery bucket (and the
    partner's landing zone); the access-log bucket receives every other bucket's logs."""

    TOKEN = "groundlink:index:AwsStorage"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: StorageInputs,
        *,
        key: aws.kms.Key | None,
        account: pulumi.Input[str],
        network: Network | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        if inputs.redundancy == "geo":
            self.gap("storage.geo_redundancy", GEO_NOT_RENDERED.format(region=inputs.replica_region))
        prefixes = {
            "raw": bucket_prefix(mission.name, "raw", head=DELIVERY_BUCKET_PREFIX),
            "products": bucket_prefix(mission.name, "products"),
            "query-results": bucket_prefix(mission.name, "query-results"),
        }
        log_sources = [f"arn:aws:s3:::{p}*" for p in prefixes.values()]

        def log_delivery(arn: str, account: str) -> list[dict[str, Any]]:
            return [
                {
                    "Sid": "S3ServerAccessLogDelivery",
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"{arn}/*",
                    "Condition": {
                        "StringEquals": {"aws:SourceAccount": account},
                        "ArnLike": {"aws:SourceArn": log_sources},
                    },
                }
            ]

        self.logs = SecureBucket(
            self.child_name("logs"),
            mission,
            prefix=bucket_prefix(mission.name, "logs"),
            lifecycle=inputs.logs_lifecycle,
            capabilities=("observability.logging",),
            key=None,
            account=account,
            grants=log_delivery,
            opts=self.opts(),
        )

        def store(role: str, lifecycle: Lifecycle, *capabilities: str) -> SecureBucket:
            return SecureBucket(
                self.child_name(role),
                mission,
                prefix=prefixes[role],
                lifecycle=lifecycle,
                capabilities=capabilities,
                key=key,
                account=account,
                log_bucket_id=self.logs.bucket.id,
                log_prefix=f"{role}/",
                network=network,
                opts=self.opts(),
            )

        self.raw: Store | None = None
        if inputs.raw_store:
            raw = ("storage.raw",) if inputs.raw_needed else ()
            landing = ("ground.partner_landing",) if inputs.landing else ()
            self.raw = store("raw", inputs.raw_lifecycle, *raw, *landing).outputs
        self.products = store("products", inputs.products_lifecycle, "storage.products").outputs
        self.results: Store | None = None
        if inputs.query_results:
            # query results age like products
            self.results = store("query-results", inputs.products_lifecycle, "storage.query_results").outputs
        self.register_outputs(
            {
                "raw_store_uri": self.raw.uri if self.raw else None,
                "products_store_uri": self.products.uri,
                "query_results_uri": self.results.uri if self.results else None,
            }
        )
