"""Key rules that must not judge a value a preview does not know yet, and that must recognise a
KMS key whatever its spelling (key id, key ARN, alias name, alias ARN; AWS managed alias/aws/*).

Each case changes one thing of a passing baseline (tests/pack_cases.py) and asserts the exact
violations, as tests/test_policies_conditions.py does. On a stack's first `pulumi preview` every
key ARN/id/name is an output of a resource not created yet: UNKNOWN.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE, UNKNOWN_OBJECT_VALUE

from groundlink.check import import_pack

from .conftest import DROP
from .pack_cases import BASELINES, MISSION_KEY, Case
from .pack_harness import Baseline, Derived, State, apply, custom_named, resolve, run, split_change

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the SDK's unknown sentinel (UNKNOWN_STRING_VALUE)
props = importlib.import_module(import_pack().__name__.rsplit(".", 1)[0] + ".props")

MISSION_KEY_ID = MISSION_KEY.rsplit("/", 1)[1]
MISSION_ALIAS = "alias/noaa20-data"  # the plan's aws:kms Alias of MISSION_KEY
MISSION_ALIAS_ARN = "arn:aws:kms:us-west-2:123456789012:alias/noaa20-data"
REPLICA_ALIAS = "alias/noaa20-replica"  # the plan's aws:kms Alias of the replica key
ATHENA_ENC = "configuration.resultConfiguration.encryptionConfiguration"
QUEUE, TOPIC = "noaa20-events-contacts", "noaa20-observability-alerts"
RAW_REPLICATION = "noaa20-storage-replica-raw-replication"
RAW_REPLICA = "noaa20-storage-replica-raw"
REPLICA_KEY = f"{RAW_REPLICATION}/rules.0.destination.encryptionConfiguration.replicaKmsKeyId"
REPLICA_SSE = f"{RAW_REPLICA}-encryption/rules.0.applyServerSideEncryptionByDefault"
SOURCE_KEY_MESSAGE = (
    "replication encrypts replicas with the source bucket's key (destination.encryptionConfiguration.replicaKmsKeyId)",
    RAW_REPLICATION,
)
REPLICA_BUCKET_MESSAGE = (f"replica bucket {RAW_REPLICA} is encrypted with the source bucket's key", RAW_REPLICA)

OWN: dict[str, Baseline] = {
    **BASELINES,
    "noaa20-aws-queue-without-key-cmk-off": Derived(
        "noaa20-aws-cmk-off",
        {f"{QUEUE}/kmsMasterKeyId": DROP},
        "a mission without customer-managed keys whose queue relies on SQS's default SSE-SQS",
    ),
}

CASES: list[Case] = []


def fires(rule: str, base: str, change: dict[str, Any], *expect: Any) -> None:
    CASES.append(Case(rule, base, change, expect))


def passes(rule: str, base: str, change: dict[str, Any]) -> None:
    CASES.append(Case(rule, base, change))


# --- A: an unknown key id/ARN/name is not a missing one -----------------------------------------

rule = "aws-athena-workgroup-encryption"
passes(rule, "athena-workgroup", {f"{ATHENA_ENC}.kmsKeyArn": UNKNOWN})
fires(rule, "athena-workgroup", {f"{ATHENA_ENC}.kmsKeyArn": DROP}, "SSE_KMS without kmsKeyArn")

rule = "aws-firehose-cmk"
passes(rule, "firehose", {"extendedS3Configuration.kmsKeyArn": UNKNOWN})
fires(rule, "firehose", {"extendedS3Configuration.kmsKeyArn": DROP}, "S3 destination has no kmsKeyArn")
passes(rule, "firehose", {"kinesisSourceConfiguration": UNKNOWN_OBJECT_VALUE})
fires(rule, "firehose", {"kinesisSourceConfiguration": DROP}, "server-side encryption is off")
passes(rule, "firehose-direct-put", {"serverSideEncryption.keyArn": UNKNOWN})
fires(
    rule,
    "firehose-direct-put",
    {"serverSideEncryption.keyArn": DROP},
    "server-side encryption uses CUSTOMER_MANAGED_CMK, not a customer-managed key",
)
passes(rule, "firehose-direct-put", {"serverSideEncryption.enabled": UNKNOWN})
fires(rule, "firehose-direct-put", {"serverSideEncryption.enabled": False}, "server-side encryption is off")

rule = "aws-s3-replica-own-key"
passes(rule, "noaa20-aws-geo", {REPLICA_KEY: UNKNOWN})
passes(rule, "noaa20-aws-geo", {f"{REPLICA_SSE}.sseAlgorithm": UNKNOWN})  # it may be SSE-KMS
# S3 writes the replicas with the replication's key, whatever the replica bucket's default
fires(
    rule,
    "noaa20-aws-geo",
    {REPLICA_KEY: "arn:aws:kms:us-east-2:123456789012:alias/aws/s3"},
    (
        "replication encrypts replicas with the AWS managed key arn:aws:kms:us-east-2:123456789012:alias/aws/s3, "
        "not a customer-managed key",
        RAW_REPLICATION,
    ),
)
fires(
    rule,
    "noaa20-aws-geo",
    {f"{REPLICA_SSE}.sseAlgorithm": "AES256"},
    (f"replica bucket {RAW_REPLICA} is not encrypted by default with a KMS key", RAW_REPLICA),
)
fires(
    rule,
    "noaa20-aws-geo",
    {REPLICA_KEY: DROP},
    ("replication names no destination.encryptionConfiguration.replicaKmsKeyId", RAW_REPLICATION),
)

rule = "aws-gs-mission-profile"
passes(rule, "gs-profile-streams-key", {"streamsKmsRole": UNKNOWN})
fires(rule, "gs-profile-streams-key", {"streamsKmsRole": DROP}, "streamsKmsKey is set without streamsKmsRole")

rule = "azure-storage-cmk"
passes(rule, "storage-account", {"encryption.keyVaultProperties.keyName": UNKNOWN})
fires(
    rule,
    "storage-account",
    {"encryption.keyVaultProperties.keyName": DROP},
    "key source is Microsoft.Keyvault without keyVaultProperties.keyName",
)

rule = "azure-messaging-premium-cmk"
NO_KEY = "Premium namespace names no Key Vault key (encryption.keyVaultProperties[].keyName)"
for base in ("eventhub-premium", "servicebus-premium"):
    passes(rule, base, {"encryption.keyVaultProperties.0.keyName": UNKNOWN})
    fires(rule, base, {"encryption.keyVaultProperties.0.keyName": DROP}, NO_KEY)
    passes(rule, base, {"encryption.keyVaultProperties": UNKNOWN_ARRAY_VALUE})
    fires(rule, base, {"encryption.keyVaultProperties": []}, NO_KEY)

# --- B2: the stack's own key through its alias -------------------------------------------------

rule = "aws-messaging-mission-key"
passes(rule, "noaa20-aws", {f"{QUEUE}/kmsMasterKeyId": MISSION_ALIAS})
passes(rule, "noaa20-aws", {f"{QUEUE}/kmsMasterKeyId": MISSION_ALIAS_ARN})
passes(rule, "noaa20-aws", {f"{TOPIC}/kmsMasterKeyId": MISSION_KEY_ID})
fires(
    rule,
    "noaa20-aws",
    {f"{QUEUE}/kmsMasterKeyId": "alias/someone-elses"},
    (f"queue {QUEUE} uses kmsMasterKeyId alias/someone-elses, which is not a key this stack creates", QUEUE),
)

# --- B3: SSE-SQS is the default unless turned off ------------------------------------------------

passes(rule, "noaa20-aws-cmk-off", {f"{QUEUE}/kmsMasterKeyId": DROP})
fires(
    rule,
    "noaa20-aws-queue-without-key-cmk-off",
    {f"{QUEUE}/sqsManagedSseEnabled": False},
    (f"queue {QUEUE} has no kmsMasterKeyId", QUEUE),
)
fires(
    rule,
    "noaa20-aws-queue-without-key-cmk-off",
    {f"{QUEUE}/sqsManagedSseEnabled": "false"},
    (f"queue {QUEUE} has no kmsMasterKeyId", QUEUE),
)
passes(rule, "noaa20-aws-queue-without-key-cmk-off", {f"{QUEUE}/sqsManagedSseEnabled": UNKNOWN})
passes(rule, "noaa20-aws-queue-without-key-cmk-off", {f"{QUEUE}/sqsManagedSseEnabled": True})

# --- B4: Azure enum values compare case-insensitively ------------------------------------------

rule = "azure-storage-default-deny"
passes(rule, "storage-account", {"networkRuleSet.defaultAction": "deny"})
fires(rule, "storage-account", {"networkRuleSet.defaultAction": "allow"}, "network default action is allow")
passes(rule, "storage-account-private", {"publicNetworkAccess": "disabled"})
fires(rule, "storage-account-private", {"publicNetworkAccess": "enabled"}, "network default action is Allow")

# --- C2: AWS managed keys in any spelling ------------------------------------------------------

AWS_KINESIS_ARN = "arn:aws:kms:us-west-2:123456789012:alias/aws/kinesis"
rule = "aws-kinesis-cmk"
fires(
    rule,
    "kinesis-stream",
    {"kmsKeyId": AWS_KINESIS_ARN},
    f"encrypted with {AWS_KINESIS_ARN}, not a customer-managed key",
)
passes(rule, "kinesis-stream", {"kmsKeyId": "arn:aws:kms:us-west-2:123456789012:alias/aws-kinesis-mission"})
passes(rule, "kinesis-stream-no-cmk", {"kmsKeyId": AWS_KINESIS_ARN})

AWS_SQS_ARN = "arn:aws:kms:us-west-2:123456789012:alias/aws/sqs"
rule = "aws-messaging-mission-key"
fires(
    rule,
    "noaa20-aws",
    {f"{QUEUE}/kmsMasterKeyId": AWS_SQS_ARN},
    (f"queue {QUEUE} uses the AWS managed key {AWS_SQS_ARN}, not the mission's key", QUEUE),
)
passes(rule, "noaa20-aws-cmk-off", {f"{QUEUE}/kmsMasterKeyId": AWS_SQS_ARN})

AWS_S3_ARN = "arn:aws:kms:us-west-2:123456789012:alias/aws/s3"
rule = "aws-athena-workgroup-encryption"
fires(
    rule,
    "athena-workgroup",
    {f"{ATHENA_ENC}.kmsKeyArn": AWS_S3_ARN},
    f"SSE_KMS with the AWS managed key {AWS_S3_ARN}, not a customer-managed key",
)
passes(rule, "athena-workgroup", {f"{ATHENA_ENC}.kmsKeyArn": MISSION_ALIAS_ARN})

rule = "aws-firehose-cmk"
fires(
    rule,
    "firehose",
    {"extendedS3Configuration.kmsKeyArn": AWS_S3_ARN},
    f"S3 destination uses the AWS managed key {AWS_S3_ARN}, not a customer-managed key",
)
passes(rule, "firehose-no-cmk", {"extendedS3Configuration.kmsKeyArn": AWS_S3_ARN})

# --- D: a list or a map holding one item a preview does not know yet ---------------------------
# Copied whole, it raised, and the SDK dropped the whole rule ("can't run policy during preview"),
# known values beside the unknown one included.

rule = "tags-required"
passes(rule, "delivery-role", {"tags.owner": UNKNOWN})  # there, its value known at `pulumi up`
fires(rule, "delivery-role", {"tags.owner": ""}, "missing tags: owner")

rule = "aws-iam-no-wildcard-admin"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
fires(rule, "delivery-role", {"managedPolicyArns": [UNKNOWN, ADMIN]}, f"attaches {ADMIN}")
passes(rule, "delivery-role", {"managedPolicyArns": [UNKNOWN]})


# --- E: a whole list or block a preview does not know yet ---------------------------------------
# A program that builds a block in `.apply()`, or a provider that answers one as unknown, sends it
# as one unknown value. Read as an empty list or a block of defaults, it failed the preview with
# "no default encryption configuration", "no rotation policy", "not delegated"; each case beside
# it keeps the same change known and wrong, which the rule still reports.

GS_SPECTRUM = "configData.antennaDownlinkDemodDecodeConfig.spectrumConfig"
rule = "aws-gs-frequency"
passes(rule, "gs-demod-decode", {f"{GS_SPECTRUM}.centerFrequency.value": UNKNOWN})
passes(rule, "gs-demod-decode", {f"{GS_SPECTRUM}.centerFrequency.units": UNKNOWN})
passes(rule, "gs-demod-decode", {f"{GS_SPECTRUM}.centerFrequency": UNKNOWN_OBJECT_VALUE})
fires(
    rule,
    "gs-demod-decode",
    {f"{GS_SPECTRUM}.centerFrequency.value": 9000},
    "antennaDownlinkDemodDecodeConfig centre frequency 9000 MHz is outside 2200-2300 MHz or 7750-8400 MHz",
)
rule = "aws-gs-bandwidth"
passes(rule, "gs-demod-decode", {f"{GS_SPECTRUM}.bandwidth.units": UNKNOWN})
fires(
    rule,
    "gs-demod-decode",
    {f"{GS_SPECTRUM}.bandwidth.units": "GHz"},
    "antennaDownlinkDemodDecodeConfig bandwidth 30000 MHz is outside 0.125-650 MHz",
)

rule = "tags-required"
passes(rule, "gs-tracking", {"tags.3.key": UNKNOWN})  # the mission tag's key, not known yet
passes(rule, "gs-tracking", {"tags.3": UNKNOWN_OBJECT_VALUE})
fires(rule, "gs-tracking", {"tags.3.key": "mission-name"}, "missing tags: mission")

rule = "azure-keyvault-key-rotation"
ROTATION = "no rotation policy with a 'rotate' lifetime action"
passes(rule, "vault-key", {"properties.rotationPolicy.lifetimeActions": UNKNOWN_ARRAY_VALUE})
passes(rule, "vault-key", {"properties.rotationPolicy.lifetimeActions.0": UNKNOWN_OBJECT_VALUE})
fires(rule, "vault-key", {"properties.rotationPolicy.lifetimeActions": []}, ROTATION)

RAW_SSE, RAW_LIFECYCLE, RAW = "noaa20-storage-raw-encryption", "noaa20-storage-raw-lifecycle", "noaa20-storage-raw"
rule = "aws-s3-kms-encryption"
passes(rule, "noaa20-aws", {f"{RAW_SSE}/rules": UNKNOWN_ARRAY_VALUE})
passes(rule, "noaa20-aws", {f"{RAW_SSE}/rules.0": UNKNOWN_OBJECT_VALUE})
fires(rule, "noaa20-aws", {f"{RAW_SSE}/rules": []}, (f"bucket {RAW} has no default encryption configuration", RAW))

rule = "aws-s3-lifecycle"
passes(rule, "noaa20-aws", {f"{RAW_LIFECYCLE}/rules": UNKNOWN_ARRAY_VALUE})
passes(rule, "noaa20-aws", {f"{RAW_LIFECYCLE}/rules.0": UNKNOWN_OBJECT_VALUE})
fires(rule, "noaa20-aws", {f"{RAW_LIFECYCLE}/rules": []}, (f"bucket {RAW} has no enabled lifecycle rule", RAW))

rule = "aws-glue-catalog-encryption"
passes(rule, "noaa20-aws", {"noaa20-catalog-encryption/dataCatalogEncryptionSettings": UNKNOWN_OBJECT_VALUE})

rule = "processing-queue-consumer-loses-nothing"
MAPPING = "noaa20-processing-contacts"
passes(rule, "noaa20-aws", {f"{MAPPING}/functionResponseTypes": UNKNOWN_ARRAY_VALUE})
fires(
    rule,
    "noaa20-aws",
    {f"{MAPPING}/functionResponseTypes": []},
    (
        f"event source mapping {MAPPING} does not report batch item failures (a failed contact retries its whole "
        "batch)",
        MAPPING,
    ),
)

rule = "azure-analytics-audit-logs"
passes(rule, "noaa20-azure", {"noaa20-observability-synapse-diagnostics/logs.0": UNKNOWN_OBJECT_VALUE})
passes(rule, "noaa20-azure", {"noaa20-observability-synapse-diagnostics/logs.0.categoryGroup": UNKNOWN})

rule = "processing-functions-app-reaches-its-storage"
passes(rule, "noaa20-azure", {"noaa20-security-processing/delegations": UNKNOWN_ARRAY_VALUE})
passes(rule, "noaa20-azure", {"noaa20-storage-account/networkRuleSet.virtualNetworkRules": UNKNOWN_ARRAY_VALUE})
fires(
    rule,
    "noaa20-azure",
    {"noaa20-security-processing/delegations": []},
    (
        "functions app noaa20-processing-app integrates subnet noaa20-security-processing, which is not delegated "
        "to Microsoft.App/environments",
        "noaa20-processing-app",
    ),
)
passes(rule, "partner-azure", {"polar-partner-storage-account/id": UNKNOWN})  # the endpoint depends on it


# --- C7: the replica's key is compared with the source's, whatever the spelling -----------------

rule = "aws-s3-replica-own-key"
fires(rule, "noaa20-aws-geo", {REPLICA_KEY: MISSION_KEY}, SOURCE_KEY_MESSAGE)
fires(rule, "noaa20-aws-geo", {REPLICA_KEY: MISSION_KEY_ID}, SOURCE_KEY_MESSAGE)
fires(rule, "noaa20-aws-geo", {REPLICA_KEY: MISSION_ALIAS}, SOURCE_KEY_MESSAGE)
fires(rule, "noaa20-aws-geo", {REPLICA_KEY: MISSION_ALIAS_ARN}, SOURCE_KEY_MESSAGE)
passes(rule, "noaa20-aws-geo", {REPLICA_KEY: REPLICA_ALIAS})
fires(rule, "noaa20-aws-geo", {f"{REPLICA_SSE}.kmsMasterKeyId": MISSION_KEY_ID}, REPLICA_BUCKET_MESSAGE)
fires(rule, "noaa20-aws-geo", {f"{REPLICA_SSE}.kmsMasterKeyId": MISSION_ALIAS}, REPLICA_BUCKET_MESSAGE)
passes(rule, "noaa20-aws-geo", {f"{REPLICA_SSE}.kmsMasterKeyId": REPLICA_ALIAS})


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_one_change(case: Case):
    path, value = split_change(case.change)
    assert run(case.rule, apply(resolve(OWN, case.base), path, value)) == list(case.expect)


def _linked(state: State, name: str, prop: str, value: Any, target: str) -> State:
    """`state` with `name`'s input `prop` set to `value` and depending on resource `target` only:
    what a preview sends for `prop=target.arn` before `target` exists."""
    plan = apply(state, f"{name}/{prop}", value).plan
    resource, linked = custom_named(plan, name), custom_named(plan, target)
    key = prop.split(".")[0]
    edited = dataclasses.replace(
        resource,
        propertyDependencies={**resource.propertyDependencies, key: [linked.urn]},
        dependencies=[*resource.dependencies, linked.urn],
    )
    resources = [edited if r is resource else r for r in plan.resources]
    return dataclasses.replace(state, plan=dataclasses.replace(plan, resources=resources))


@pytest.mark.parametrize(
    "target, expect",
    [("noaa20-security-data", [SOURCE_KEY_MESSAGE]), ("noaa20-storage-replica-key", [])],
    ids=["source-key", "replica-key"],
)
def test_an_unknown_replica_key_is_judged_by_the_key_it_depends_on(target, expect):
    """On a first preview replicaKmsKeyId is `<key>.arn`, unknown; its dependency names the key."""
    prop = "rules.0.destination.encryptionConfiguration.replicaKmsKeyId"
    state = _linked(resolve(OWN, "noaa20-aws-geo"), RAW_REPLICATION, prop, UNKNOWN, target)
    assert run("aws-s3-replica-own-key", state) == expect


@pytest.mark.parametrize(
    "target, expect",
    [("noaa20-security-data", [REPLICA_BUCKET_MESSAGE]), ("noaa20-storage-replica-key", [])],
    ids=["source-key", "replica-key"],
)
def test_a_replica_bucket_whose_key_a_preview_does_not_know_is_judged_by_the_key_it_depends_on(target, expect):
    """On a first preview the replica's default kmsMasterKeyId is `<key>.arn`, unknown; its
    encryption configuration's dependency names the key, so a replica under the source's key is
    still refused before anything is created."""
    prop = "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"
    state = _linked(resolve(OWN, "noaa20-aws-geo"), f"{RAW_REPLICA}-encryption", prop, UNKNOWN, target)
    assert run("aws-s3-replica-own-key", state) == expect


def test_a_consumer_whose_function_a_preview_does_not_know_is_judged_by_the_function_it_depends_on():
    """On a first preview the mapping's functionName is `<function>.arn`, unknown; its dependency
    names the function, whose timeout the queue's visibility must still cover."""
    mapping, queue = "noaa20-processing-contacts", "noaa20-events-contacts"
    short = apply(resolve(OWN, "noaa20-aws"), f"{queue}/visibilityTimeoutSeconds", 900.0)
    # a second function the mapping also depends on (here through its description, as depends_on would
    # add it): its dependencies alone name no one function
    short = apply(short, "@add:aws:lambda/function:Function::other-function", {"name": "other", "timeout": 3})
    state = _linked(short, mapping, "functionName", UNKNOWN, "noaa20-processing-function")
    state = _linked(state, mapping, "description", "waits for other-function", "other-function")
    assert run("processing-queue-consumer-loses-nothing", state) == [
        (
            f"event source mapping {mapping} reads queue {queue} whose visibility timeout 900 s is under 6 x the "
            "function timeout (5400 s)",
            mapping,
        )
    ]


@pytest.mark.parametrize(
    "value, target, expect",
    [
        (MISSION_ALIAS, "noaa20-security-data-alias", []),
        (
            "alias/not-planned",
            TOPIC,
            [(f"queue {QUEUE} uses kmsMasterKeyId alias/not-planned, which is not a key this stack creates", QUEUE)],
        ),
    ],
    ids=["the-stacks-alias", "another-alias"],
)
def test_a_queue_keyed_through_an_alias_it_depends_on(value, target, expect):
    """kms_master_key_id=alias.name: the value and its dependency name the plan's aws:kms Alias."""
    state = _linked(resolve(OWN, "noaa20-aws"), QUEUE, "kmsMasterKeyId", value, target)
    assert run("aws-messaging-mission-key", state) == expect


ADX_CLUSTER, ADX_ENDPOINT = "polar-partner-analytics-cluster", "polar-partner-analytics-adx-endpoint"
BLOB_ENDPOINT, PARTNER_ACCOUNT = "polar-partner-storage-blob-endpoint", "polar-partner-storage-account"


@pytest.mark.parametrize(
    "rule, endpoint, prop, value, target",
    [
        (
            "azure-query-engine-private-reach",
            ADX_ENDPOINT,
            "privateLinkServiceConnections",
            UNKNOWN_ARRAY_VALUE,
            ADX_CLUSTER,
        ),
        (
            "azure-query-engine-private-reach",
            ADX_ENDPOINT,
            "privateLinkServiceConnections.0",
            UNKNOWN_OBJECT_VALUE,
            ADX_CLUSTER,
        ),
        (
            "azure-query-engine-private-reach",
            ADX_ENDPOINT,
            "privateLinkServiceConnections.0.groupIds",
            UNKNOWN_ARRAY_VALUE,
            ADX_CLUSTER,
        ),
        (
            "processing-functions-app-reaches-its-storage",
            BLOB_ENDPOINT,
            "privateLinkServiceConnections",
            UNKNOWN_ARRAY_VALUE,
            PARTNER_ACCOUNT,
        ),
    ],
    ids=["connections", "connection", "sub-resources", "blob-connections"],
)
def test_an_endpoint_whose_connections_a_preview_does_not_know_still_serves_what_it_depends_on(
    rule, endpoint, prop, value, target
):
    """Built in `.apply()`, an endpoint's connections are unknown on a preview; the engine still
    sends the endpoint's dependency on what it connects to. Held as no endpoint, the Data Explorer
    cluster was "reachable from no network" and the Functions app's storage "does not admit" it."""
    state = _linked(resolve(OWN, "partner-azure"), endpoint, prop, value, target)
    assert run(rule, state) == []
    # the same dependency with a known connection to another sub-resource is no endpoint to it
    wrong = _linked(
        resolve(OWN, "partner-azure"), endpoint, "privateLinkServiceConnections.0.groupIds", ["dfs"], target
    )
    assert run(rule, wrong) != []


# --- the shared helpers ----------------------------------------------------------------------


def test_missing_is_absent_or_empty_but_never_unknown():
    assert [props.missing(v) for v in (None, "", [], {}, props.UNKNOWN, "k", ["k"])] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    "value, ref",
    [
        (MISSION_KEY, ("key", MISSION_KEY_ID)),
        (MISSION_KEY_ID, ("key", MISSION_KEY_ID)),
        (MISSION_ALIAS, ("alias", MISSION_ALIAS)),
        (MISSION_ALIAS_ARN, ("alias", MISSION_ALIAS)),
        ("arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/s3", ("alias", "alias/aws/s3")),
        (props.UNKNOWN, None),
        (None, None),
    ],
)
def test_a_key_reference_reads_the_same_in_every_spelling(value, ref):
    assert props.kms_key_ref(value) == ref


@pytest.mark.parametrize(
    "value, managed",
    [
        ("alias/aws/kinesis", True),
        (AWS_KINESIS_ARN, True),
        ("arn:aws-cn:kms:cn-north-1:123456789012:alias/aws/sqs", True),
        ("alias/aws-mission", False),
        (MISSION_ALIAS_ARN, False),
        (MISSION_KEY, False),
        (props.UNKNOWN, False),
    ],
)
def test_aws_managed_keys_are_the_alias_aws_prefix_in_any_spelling(value, managed):
    assert props.aws_managed_key(value) is managed


# --- references written the ways other programs write them ------------------------------------


def _key(kind: str, arn: str, urn: str) -> Any:
    from types import SimpleNamespace

    key_id = arn.rsplit("/", 1)[1]
    return SimpleNamespace(resource_type=kind, props={"arn": arn, "keyId": key_id, "id": key_id}, urn=urn)


MRK = "mrk-1234abcd5678ef90"
PRIMARY = _key("aws:kms/key:Key", f"arn:aws:kms:us-west-2:111122223333:key/{MRK}", "primary")
REPLICA = _key("aws:kms/replicaKey:ReplicaKey", f"arn:aws:kms:us-east-2:111122223333:key/{MRK}", "replica")
EXTERNAL = _key("aws:kms/externalKey:ExternalKey", "arn:aws:kms:us-west-2:111122223333:key/ext-1", "external")


@pytest.mark.parametrize(
    "value, found",
    [
        (f"arn:aws:kms:us-east-2:111122223333:key/{MRK}", REPLICA),  # the replica, not its primary
        (f"arn:aws:kms:us-west-2:111122223333:key/{MRK}", PRIMARY),
        (f"arn:aws:kms:eu-west-1:111122223333:key/{MRK}", None),  # a replica no key of the stack is
        ("arn:aws:kms:us-west-2:111122223333:key/ext-1", EXTERNAL),  # imported key material: the stack's key
    ],
    ids=["replica-arn", "primary-arn", "another-region", "external-key"],
)
def test_a_multi_region_key_is_told_from_its_replicas_by_its_arn(value, found):
    """A multi-Region key's id is the same in every region: matched by id, the replica bucket's own
    replica key was taken for the source bucket's primary key ("encrypted with the source bucket's
    key"), and a ReplicaKey or ExternalKey was "not a key this stack creates"."""
    assert props.stack_key([PRIMARY, REPLICA, EXTERNAL], value) is found


def test_a_reference_not_known_yet_names_the_key_through_the_alias_it_depends_on():
    """A preview's `kmsKeyId` of `alias.arn` is unknown and depends on the alias alone: the key is
    the one the alias targets (by the alias's own `targetKeyId` dependency), and UNKNOWN without
    such a link."""
    from types import SimpleNamespace

    alias = SimpleNamespace(
        resource_type="aws:kms/alias:Alias",
        props={"name": "alias/mission-data", "targetKeyId": props.UNKNOWN},
        urn="alias",
        property_dependencies={"targetKeyId": [PRIMARY]},
    )
    resources = [PRIMARY, REPLICA, alias]
    assert props.stack_key(resources, props.UNKNOWN, [alias]) is PRIMARY
    assert props.stack_key(resources, props.UNKNOWN, []) is props.UNKNOWN


def test_a_diagnostic_setting_naming_its_engine_in_other_case_is_its_setting():
    """ARM ids compare without case ("Always perform a case-insensitive comparison", Microsoft
    Learn, naming rules): a setting naming `.../resourcegroups/...`, or with a trailing slash, was
    "no diagnostic setting" of the Synapse workspace."""
    state = resolve(OWN, "noaa20-azure")
    workspace = custom_named(state.plan, "noaa20-analytics-workspace").outputs["id"]
    setting = "noaa20-observability-synapse-diagnostics"
    for written in (workspace.replace("resourceGroups", "resourcegroups"), workspace.lower() + "/"):
        assert run("azure-analytics-audit-logs", apply(state, f"{setting}/resourceUri", written)) == []
    assert run("azure-analytics-audit-logs", apply(state, f"{setting}/resourceUri", workspace + "x")) != []


def test_an_endpoint_whose_connection_is_approved_by_hand_still_reaches_its_target():
    """manualPrivateLinkServiceConnections (the network's admin cannot approve the connection) is
    an endpoint all the same; held as none, the Functions app's storage "admits" nothing."""
    rule = "processing-functions-app-reaches-its-storage"
    state = resolve(OWN, "partner-azure")
    connections = custom_named(state.plan, BLOB_ENDPOINT).inputs["privateLinkServiceConnections"]
    without = apply(state, f"{BLOB_ENDPOINT}/privateLinkServiceConnections", DROP)
    assert run(rule, without) != []  # no endpoint to the blob service: the rule fires
    manual = apply(without, f"{BLOB_ENDPOINT}/manualPrivateLinkServiceConnections", connections)
    assert run(rule, manual) == []
