"""Stores: S3 buckets hardened the same way, one per role (raw delivery, products,
query results, access logs).

The raw bucket is the AWS Ground Station delivery bucket, so its name must begin
with `aws-groundstation`. Physical names come from a bucket *prefix* (the provider
appends a unique suffix) built only from the mission name, so editing a tunable
never renames, and so never replaces, a store.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import OUTSIDE_VPC_TAG, Lifecycle, MissionInputs, StorageInputs
from groundlink.limits import DELIVERY_BUCKET_PREFIX

from ..base import MissionComponent
from . import iam
from .naming import UNIQUE_ID_SUFFIX_CHARS, bucket_prefix, role_name
from .security import Network, account_admin, rotated_key

# Cloud-neutral tier -> S3 storage class (docs/facts.md §6 prices use the same pairing).
S3_STORAGE_CLASS = {"cool": "STANDARD_IA", "cold": "GLACIER", "archive": "DEEP_ARCHIVE"}
# The stores that hold data no query can rebuild, replicated with storage.redundancy: geo (query
# results are rerun, access logs describe the primary region's buckets).
REPLICATED_STORES = ("raw", "products")
# Object actions a private mission allows only through its VPC endpoint.
OBJECT_ACTIONS = ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]


@dataclass(frozen=True)
class Store:
    """A store as its writers and readers use it."""

    id: pulumi.Output[str]
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    uri: pulumi.Output[str]  # s3://<bucket>/
    # What a writer waits for: no object lands before the bucket's policy guards it, its default
    # encryption is the mission key (S3 keeps an object's encryption when the default changes
    # later) and versioning is on (an object written before has no version id to pin).
    guards: tuple[pulumi.Resource, ...]


Grants = Callable[[str, str], list[dict[str, Any]]]  # (bucket ARN, account) -> statements


def _private_object_access(arn: str, vpce: str, mission_tag: str) -> dict[str, Any]:
    """Object reads and writes must come through the mission's VPC endpoint, except
    requests AWS services make on a caller's behalf (Athena), service principals
    (log delivery) and the mission's roles that write from AWS's network rather than the
    VPC (Ground Station, partner, Firehose, container jobs, S3 Replication). Those roles are told apart by
    their `outside-vpc-writer` tag (iam.outside_vpc_tags), valued with the mission's name
    and matched exactly: a role-name prefix would also let in the roles of a mission whose
    name starts with this one's (`noaa20-*` matches `noaa20-b-...`), and IAM paths cannot
    separate them (Ground Station refuses a role ARN with a path). The mission's other roles
    are not let in from elsewhere: the processing function runs in the VPC and comes through
    the endpoint, and its credentials used outside it are refused."""
    return {
        "Sid": "DenyObjectAccessOutsideVpcEndpoint",
        "Effect": "Deny",
        "Principal": "*",
        "Action": OBJECT_ACTIONS,
        "Resource": f"{arn}/*",
        "Condition": {
            "StringNotEquals": {"aws:SourceVpce": vpce, f"aws:PrincipalTag/{OUTSIDE_VPC_TAG}": mission_tag},
            "Bool": {"aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false"},
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
        keeps_current: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ):
        """`keeps_current`: the bucket holds objects the stack itself manages (the processor's
        dependency archive), whose current versions no lifecycle may expire: expired, the
        archive the layer was published from went, and the next refresh and update churned
        it (uploaded again, the layer replaced). Its replaced versions still expire."""
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
            opts=self.opts(store_setting=True),
        )
        aws.s3.BucketOwnershipControls(
            self.child_name("ownership"),
            bucket=bucket_id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=self.opts(store_setting=True),
        )
        self.lifecycle = lifecycle
        self.versioning = self.realize(
            aws.s3.BucketVersioning(
                self.child_name("versioning"),
                bucket=bucket_id,
                versioning_configuration={"status": "Enabled"},
                opts=self.opts(store_setting=True),
            ),
            "storage.versioning",
        )
        sse = {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn} if key else {"sse_algorithm": "AES256"}
        self.encryption = self.realize(
            aws.s3.BucketServerSideEncryptionConfiguration(
                self.child_name("encryption"),
                bucket=bucket_id,
                rules=[{"apply_server_side_encryption_by_default": sse, "bucket_key_enabled": key is not None}],
                opts=self.opts(store_setting=True, depends_on=[key] if key else None),
            ),
            *(("security.cmk",) if key else ()),
        )
        endpoint = network.s3_endpoint_id if network else None
        mission_tag = self.mission.name  # the outside-vpc-writer tag's value (iam.outside_vpc_tags)

        def statements(arn: str, account: str, vpce: str | None) -> list[dict[str, Any]]:
            out = [iam.deny_insecure_transport([arn, f"{arn}/*"], "s3:*")]
            if vpce:
                out.append(_private_object_access(arn, vpce, mission_tag))
            return out + (grants(arn, account) if grants else [])

        self.policy = aws.s3.BucketPolicy(
            self.child_name("policy"),
            bucket=bucket_id,
            policy=iam.document(statements, arn=self.bucket.arn, account=account, vpce=endpoint),
            # Attached after the public access block: never a policy without it.
            opts=self.opts(store_setting=True, depends_on=[public_access_block]),
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
                        **({} if keeps_current else {"expiration": {"days": lifecycle.expire_days}}),
                        "noncurrent_version_expiration": {"noncurrent_days": lifecycle.noncurrent_days},
                        "abort_incomplete_multipart_upload": {
                            "days_after_initiation": lifecycle.abort_incomplete_upload_days
                        },
                    }
                ],
                # S3's default, said so the plan shows it: objects under 128 KB (contact summaries,
                # manifests) stay in Standard, where a transition would cost more than it saves
                transition_default_minimum_object_size="all_storage_classes_128K",
                opts=self.opts(store_setting=True),
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
                    opts=self.opts(store_setting=True),
                ),
                "observability.logging",
            )
        self.uri = self.bucket.bucket.apply(lambda b: f"s3://{b}/")
        self.outputs = Store(
            id=self.bucket.id,
            name=self.bucket.bucket,
            arn=self.bucket.arn,
            uri=self.uri,
            guards=(self.policy, self.encryption, self.versioning),
        )
        self.register_outputs({"bucket": self.bucket.bucket, "arn": self.bucket.arn, "uri": self.uri})


def log_delivery(prefixes: list[str]) -> Grants:
    """S3 server access logging may write into a log bucket, for the buckets named by `prefixes`
    in this account only. A bucket name is its prefix and the provider's unique id, so the id is
    matched character for character (`?`), not with `*`: `noaa20-products-*` also admitted the
    buckets of a mission named `noaa20-products` (`noaa20-products-products-...`)."""

    def grants(arn: str, account: str) -> list[dict[str, Any]]:
        return [
            {
                "Sid": "S3ServerAccessLogDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"{arn}/*",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": account},
                    "ArnLike": {"aws:SourceArn": [f"arn:aws:s3:::{p}{'?' * UNIQUE_ID_SUFFIX_CHARS}" for p in prefixes]},
                },
            }
        ]

    return grants


def check_storage_inputs(mission: MissionInputs, inputs: StorageInputs) -> None:
    """What AWS cannot render of hand-built storage inputs that the spec never produces, refused
    in one line before the layer registers anything (MissionStack asks before any layer does):
    geo redundancy without a replica region built no replicas at all, without a word, where the
    same inputs give GZRS on Azure."""
    geo = inputs.redundancy == "geo"
    if geo != (inputs.replica_region is not None):
        raise pulumi.RunError(
            f"StorageInputs.redundancy: {inputs.redundancy!r} with replica_region {inputs.replica_region!r}: geo "
            "redundancy needs a replica region, and a replica region needs geo redundancy"
        )
    if inputs.replica_region == mission.region:
        raise pulumi.RunError(
            f"StorageInputs.replica_region: {inputs.replica_region!r} is the stack's region; the replicas must "
            "outlive it in a second region"
        )


class AwsStorage(MissionComponent):
    """The mission's stores. The raw store is the Ground Station delivery bucket (and the
    partner's landing zone); the access-log bucket receives every other bucket's logs."""

    TOKEN = "groundlink:index:AwsStorage"
    LAYER = "storage"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: StorageInputs,
        *,
        key: aws.kms.Key | None,
        account: pulumi.Input[str],
        network: Network | None,
        replica_provider: aws.Provider | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        check_storage_inputs(mission, inputs)
        super().__init__(name, mission, opts)
        prefixes = {
            "raw": bucket_prefix(mission.name, "raw", head=DELIVERY_BUCKET_PREFIX),
            "products": bucket_prefix(mission.name, "products"),
            "query-results": bucket_prefix(mission.name, "query-results"),
            "artifacts": bucket_prefix(mission.name, "artifacts"),
        }
        self.logs = SecureBucket(
            self.child_name("logs"),
            mission,
            prefix=bucket_prefix(mission.name, "logs"),
            lifecycle=inputs.logs_lifecycle,
            capabilities=("observability.logging",),
            key=None,
            account=account,
            grants=log_delivery(list(prefixes.values())),
            opts=self.opts(),
        )

        buckets: dict[str, SecureBucket] = {}

        def store(
            role: str,
            lifecycle: Lifecycle,
            *capabilities: str,
            network: Network | None = network,
            keeps_current: bool = False,
        ) -> SecureBucket:
            buckets[role] = SecureBucket(
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
                keeps_current=keeps_current,
                opts=self.opts(),
            )
            return buckets[role]

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
        self.artifacts: Store | None = None
        if inputs.artifacts:
            # what the deployer uploads (the processor's dependency layer), from outside the VPC:
            # the current archive is the stack's own, kept; replaced ones go as the access logs do
            self.artifacts = store(
                "artifacts", inputs.logs_lifecycle, "processing.function", network=None, keeps_current=True
            ).outputs
        self.replica: AwsReplica | None = None
        if inputs.replica_region is not None:  # storage.redundancy: geo
            held = {role: buckets[role] for role in REPLICATED_STORES if role in buckets}
            self.replica = AwsReplica(
                self.child_name("replica"),
                mission,
                inputs,
                sources=held,
                key=key,
                account=account,
                network=network,
                replica_provider=replica_provider,
                opts=self.opts(),
            )
        self.register_outputs(
            {
                "raw_store_uri": self.raw.uri if self.raw else None,
                "products_store_uri": self.products.uri,
                "query_results_uri": self.results.uri if self.results else None,
                "replica_region": inputs.replica_region,
            }
        )


# What S3 replication needs (S3 user guide "Setting up permissions for live replication" and
# "Replicating objects encrypted with SSE-KMS", docs/facts.md §9): read the source bucket's
# replication configuration and every object version with its ACL and tags, write replicas,
# delete markers and tags into the replica bucket, decrypt with the source key and encrypt
# with the replica key, each through S3 in its own region only. The replica bucket keeps an S3
# Bucket Key, whose integrity S3 verifies with kms:Decrypt on the replica key ("S3 Bucket Keys and
# replication": the replica key's policy "must include the kms:Decrypt permission for the calling
# principal"): without it every SSE-KMS replica fails, the replication status FAILED.
def _replication_permissions(
    sources: list[str],
    replicas: list[str],
    source_key: str | None,
    replica_key: str | None,
    region: str,
    replica_region: str,
) -> list[dict[str, Any]]:
    statements = [
        iam.allow(["s3:GetReplicationConfiguration", "s3:ListBucket"], sources, "ReadReplicationConfiguration"),
        iam.allow(
            ["s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication", "s3:GetObjectVersionTagging"],
            [f"{arn}/*" for arn in sources],
            "ReadSourceVersions",
        ),
        iam.allow(
            ["s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"],
            [f"{arn}/*" for arn in replicas],
            "WriteReplicas",
        ),
    ]
    if source_key and replica_key:
        statements += [
            iam.allow(["kms:Decrypt"], source_key, "DecryptSources", Condition=_through_s3(region, sources)),
            iam.allow(
                ["kms:Decrypt", "kms:Encrypt"],
                replica_key,
                "EncryptReplicas",
                Condition=_through_s3(replica_region, replicas),
            ),
        ]
    return statements


def _through_s3(region: str, buckets: list[str]) -> dict[str, Any]:
    """A key used only by S3 in `region`, for these buckets (the bucket ARN is the encryption
    context with bucket keys, the object ARN without)."""
    return {
        "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [*buckets, *[f"{arn}/*" for arn in buckets]]},
    }


# Credentials: passed on as secrets even where the stack config holds them in the clear.
_SECRET_SETTINGS = {"access_key", "secret_key", "token"}


def stack_provider_settings() -> dict[str, Any]:
    """The stack's `aws:*` settings (all but the region), as an explicit provider takes them.

    An explicit provider reads no stack config (Pulumi's providers guide; pulumi-aws issues
    #1307, #3259): without these, a replica provider would deploy with the ambient credentials,
    outside `aws:allowedAccountIds`, without `aws:assumeRoles` or `aws:defaultTags`, possibly
    into another account. Every argument `aws.Provider` takes is read, typed as it declares it.
    A setting the stack holds as a secret (`pulumi config set --secret aws:assumeRoles ...`: an
    external id, a web identity token) stays one: the provider's inputs are kept in the state,
    and a plain value there would be stored in the clear."""
    config = pulumi.Config("aws")
    settings: dict[str, Any] = {}
    for name, parameter in inspect.signature(aws.ProviderArgs.__init__).parameters.items():
        if name in ("__self__", "region"):
            continue
        key = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)
        kind = typing.get_args(parameter.annotation)[0] if typing.get_args(parameter.annotation) else str
        value: Any
        if kind is bool:
            value = config.get_bool(key)
        elif kind is int:
            value = config.get_int(key)
        elif kind is str:
            value = config.get(key)
        else:  # a list or an object: the stack config holds it as JSON
            value = config.get_object(key)
        if value is None:
            continue
        secret = name in _SECRET_SETTINGS or pulumi.runtime.is_config_secret(f"aws:{key}")
        settings[name] = pulumi.Output.secret(value) if secret else value
    return settings


def _replica_region_is(given: str | None, region: str) -> str | None:
    """`given`, a replica provider's region, where it is the replica region (None: the provider
    takes its environment's, which only a deployment knows)."""
    if given is not None and given != region:
        raise pulumi.RunError(
            f"replica_provider: its region {given!r} is not the replica region {region!r} "
            f"(storage.replica_region); pass replica_provider=aws.Provider(..., region='{region}')"
        )
    return given


def replicas_unreached(region: str) -> pulumi.RunError:
    """The refusal of a geo stack given an aws provider and no provider of its replica region."""
    return pulumi.RunError(
        f"storage.redundancy: geo: the aws provider given to the stack does not reach {region}, where the "
        f"replicas go; pass replica_provider=aws.Provider(..., region='{region}') with the same identity"
    )


class AwsReplica(MissionComponent):
    """storage.redundancy: geo on AWS: the raw and products stores replicate, with delete markers
    and SSE-KMS objects, into protected buckets in `replica_region`, encrypted with a key of that
    region (a KMS key never leaves its region), through a provider of that region. The replica
    buckets carry every control of the stores and log to an access-log bucket of their own region
    (S3 server access logs stay in the bucket's region)."""

    TOKEN = "groundlink:index:AwsReplica"
    LAYER = "storage"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: StorageInputs,
        *,
        sources: dict[str, SecureBucket],
        key: aws.kms.Key | None,
        account: pulumi.Input[str],
        network: Network | None = None,
        replica_provider: aws.Provider | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        region = inputs.replica_region
        if region is None:
            raise ValueError("a replica needs storage.replica_region")
        if replica_provider is not None:
            self.provider = replica_provider
            # a provider of another region put the "replicas" beside their sources, and S3 there was
            # refused the replica key (its policy names S3 of `region`): no encrypted object
            # replicated. Its region is only an output: judged as it resolves, a one-line failure
            replica_provider.region.apply(lambda given: _replica_region_is(given, region))
        elif self.get_provider("aws::") is not None:
            # a provider has one region: the program's would put the replicas beside the sources,
            # and one built from the stack config would drop its identity and guards
            raise replicas_unreached(region)
        else:
            self.provider = aws.Provider(
                self.child_name("provider"), **stack_provider_settings(), region=region, opts=self.opts()
            )
        in_replica_region = self.opts(provider=self.provider)
        self.key: aws.kms.Key | None = None
        if key is not None:
            self.key = self.realize(
                rotated_key(
                    self,
                    "key",
                    f"{mission.name}: replicas of the contact data and products in {region}",
                    iam.document(lambda account: [account_admin(account)], account=account),
                    provider=self.provider,
                ),
                "storage.geo_redundancy",
            )
            aws.kms.Alias(
                self.child_name("key-alias"),
                name=f"alias/{mission.name}-replica",
                target_key_id=self.key.key_id,
                opts=in_replica_region,
            )
        self.logs = SecureBucket(
            self.child_name("logs"),
            mission,
            prefix=bucket_prefix(mission.name, "replica-logs"),
            lifecycle=inputs.logs_lifecycle,
            capabilities=("storage.geo_redundancy",),
            key=None,
            account=account,
            grants=log_delivery([bucket_prefix(mission.name, f"{role}-replica") for role in sources]),
            opts=in_replica_region,
        )
        self.replicas: dict[str, SecureBucket] = {}
        for role, source in sources.items():
            self.replicas[role] = SecureBucket(
                self.child_name(role),
                mission,
                prefix=bucket_prefix(mission.name, f"{role}-replica"),
                lifecycle=source.lifecycle,
                capabilities=("storage.geo_redundancy",),
                key=self.key,
                account=account,
                log_bucket_id=self.logs.bucket.id,
                log_prefix=f"{role}/",
                # behind a private network the replicas are pinned as the stores are: their objects
                # only through the mission's VPC endpoint (of the stack's region: none reaches them
                # from the replica region) or by the roles that write from AWS's network, this
                # replication role among them; a full copy of the data readable from any network
                # made the private network one region's only
                network=network,
                opts=in_replica_region,
            )
        role = self.realize(
            aws.iam.Role(
                self.child_name("role"),
                **role_name(self.child_name("role")),
                description=f"S3 replicates the {mission.name} stores to {region}",
                assume_role_policy=iam.trusted_by("s3.amazonaws.com", account),
                tags=iam.outside_vpc_tags(self) if network else self.tags,
                opts=self.opts(),
            ),
            "storage.geo_redundancy",
        )
        policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name("policy"),
                role=role.id,
                policy=iam.document(
                    _replication_permissions,
                    sources=[s.bucket.arn for s in sources.values()],
                    replicas=[r.bucket.arn for r in self.replicas.values()],
                    source_key=key.arn if key else None,
                    replica_key=self.key.arn if self.key else None,
                    region=mission.region,
                    replica_region=region,
                ),
                opts=self.opts(),
            ),
            "storage.geo_redundancy",
        )
        # (source bucket, replica bucket, rule id) of each replication: the dimensions of its
        # OperationsFailedReplication metric, which the observability layer alarms on
        self.watched: list[tuple[pulumi.Output[str], pulumi.Output[str], str]] = []
        for name_, source in sources.items():
            replica = self.replicas[name_]
            # replication metrics (without S3 RTC): a failed replication is counted, published in
            # the source bucket's region (S3 User Guide, "Using S3 Replication metrics"); without
            # them an object that fails to replicate is said nowhere
            destination: dict[str, Any] = {
                "bucket": replica.bucket.arn,
                "storage_class": "STANDARD",
                "metrics": {"status": "Enabled"},
            }
            rule_id = f"{name_}-to-{region}"
            self.watched.append((source.bucket.bucket, replica.bucket.bucket, rule_id))
            rule: dict[str, Any] = {
                "id": rule_id,
                "status": "Enabled",
                "filter": {},
                "delete_marker_replication": {"status": "Enabled"},
                "destination": destination,
            }
            if self.key is not None:
                destination["encryption_configuration"] = {"replica_kms_key_id": self.key.arn}
                rule["source_selection_criteria"] = {"sse_kms_encrypted_objects": {"status": "Enabled"}}
            self.realize(
                aws.s3.BucketReplicationConfig(
                    self.child_name(name_, "replication"),
                    bucket=source.bucket.id,
                    role=role.arn,
                    rules=[rule],
                    # both buckets must be versioned first, and the role able to act
                    opts=self.opts(depends_on=[source.versioning, replica.versioning, policy]),
                ),
                "storage.geo_redundancy",
            )
        self.register_outputs({"replica_region": region})
