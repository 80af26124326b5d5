"""S3 replication (storage.redundancy: geo): the copy in the second region is as safe as the
original. A replication rule that does not select SSE-KMS objects silently skips every object
the mission's key encrypts, and a replica encrypted with the source's key depends on a key in
the region it is meant to survive. (The replica bucket is protected like every store:
data-protection-stateful-protected.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import s3_inline
from . import tokens as T
from .aws_storage import sse_key
from .joins import of_type, refers_to, sides
from .processing import role_documents, unread_policies
from .props import (
    UNKNOWN,
    as_list,
    aws_managed_key,
    dependencies_of,
    get,
    iam_glob,
    is_seq,
    is_true,
    kms_key_ref,
    missing,
    policy_statements,
    principals,
    stack_key,
)
from .registry import stack_rule

BUCKET_KEYS = ("bucket", "id", "arn")


def _identity(resources: list[Any], value: Any, linked: Any) -> Any:
    """Which key a key reference names, comparable whatever its spelling: the plan's key (by key id,
    key ARN or alias, see props.stack_key), else the normalized reference; UNKNOWN when not known."""
    key = stack_key(resources, value, linked)
    if key is UNKNOWN or key is not None:
        return key if key is UNKNOWN else ("stack key", key.urn)
    return ("reference", kms_key_ref(value)) if kms_key_ref(value) else None


def _default_key(resources: list[Any], bucket: Any, managed: bool = False) -> Any:
    """The KMS key a bucket encrypts with by default (an identity, see `_identity`), UNKNOWN, or None
    (no SSE-KMS). SSE-KMS without a key id is None too, unless `managed`: then it is the AWS managed
    key, aws/s3, which a source's replication must still select objects for. (A replica's aws/s3 is
    its own region's key, never the source's, and is judged as no KMS key of its own.)"""
    # a separate encryption configuration, or the bucket's own (inline) one, as aws-s3-kms-encryption reads both
    # (Bucket's block, or the first of BucketV2's list, in s3_inline's shapes)
    name = "serverSideEncryptionConfiguration"
    inline = s3_inline.inline(bucket, name)
    links = dependencies_of(bucket, s3_inline.inline_key(bucket, name))
    held = [
        (config.props, dependencies_of(config, "rules"))
        for config in sides(resources, T.S3_SSE, "bucket", bucket, BUCKET_KEYS)
    ]
    for props, linked in [*held, *([(inline, links)] if inline is not None else [])]:
        for default in s3_inline.sse_defaults(props):
            algorithm = get(default, "sseAlgorithm")
            if default is UNKNOWN or algorithm is UNKNOWN:  # the algorithm may be SSE-KMS
                return UNKNOWN
            if algorithm in ("aws:kms", "aws:kms:dsse"):
                # no key id (absent or empty) is SSE-KMS with the AWS managed key, as spelled out:
                # read as no SSE-KMS, a replication rule that skips every such object passed
                if not managed and get(default, "kmsMasterKeyId") in (None, ""):
                    return None
                return _identity(resources, sse_key(default), linked)
    return None


def _known(keys: list[Any]) -> list[Any]:
    return [k for k in keys if k is not None and k is not UNKNOWN]


def _replicas(resources: list[Any], replication: Any, rule: Any) -> list[Any]:
    """The buckets a replication rule writes to: by ARN, else by the rules' dependencies."""
    target = get(rule, "destination", "bucket")
    buckets = of_type(resources, T.S3_BUCKET)
    if isinstance(target, str) and target:
        return [b for b in buckets if get(b.props, "arn") == target]
    linked = dependencies_of(replication, "rules")
    urns = {d.urn for d in linked}
    return [b for b in buckets if b.urn in urns]


def _replications(resources: list[Any]):
    """Each replication configuration with its source bucket and its rules: the separate
    resources', and those a bucket holds inline (Bucket's `replicationConfiguration`, BucketV2's
    `replicationConfigurations`), in the separate resource's shape."""
    for replication in of_type(resources, T.S3_REPLICATION):
        sources = [b for b in of_type(resources, T.S3_BUCKET) if refers_to(replication, "bucket", b, BUCKET_KEYS)]
        for rule in as_list(get(replication.props, "rules")):
            yield replication, sources, rule
    for bucket in of_type(resources, T.S3_BUCKET):
        inline = as_list(get(bucket.props, "replicationConfiguration")) + as_list(
            get(bucket.props, "replicationConfigurations")
        )
        for config in inline:
            for rule in as_list(get(config, "rules")):
                yield bucket, [bucket], _as_separate_rule(rule)


def _block(node: Any, singular: str, plural: str) -> Any:
    """A nested block a Bucket holds as one object (`destination`) and a BucketV2 as a list of one
    (`destinations`): pulumi-aws's BucketReplicationConfigurationRuleArgs and
    BucketV2ReplicationConfigurationRuleArgs."""
    value = get(node, singular)
    if value is None and plural != singular:
        value = get(node, plural)
    if value is UNKNOWN or not is_seq(value):
        return value
    items = as_list(value)
    return items[0] if items else None


def _as_separate_rule(rule: Any) -> dict[str, Any]:
    """An inline rule as a BucketReplicationConfig rule says the same: a Bucket's
    (`sourceSelectionCriteria.sseKmsEncryptedObjects.enabled`, `destination.replicaKmsKeyId`) or a
    BucketV2's (`sourceSelectionCriterias[0].sseKmsEncryptedObjects[0].enabled`,
    `destinations[0].replicaKmsKeyId`)."""
    criteria = _block(rule, "sourceSelectionCriteria", "sourceSelectionCriterias")
    enabled = get(_block(criteria, "sseKmsEncryptedObjects", "sseKmsEncryptedObjects"), "enabled")
    status = UNKNOWN if enabled is UNKNOWN else "Enabled" if is_true(enabled) else None
    destination = _block(rule, "destination", "destinations")
    return {
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": status}},
        "destination": {
            "bucket": get(destination, "bucket"),
            "encryptionConfiguration": {"replicaKmsKeyId": get(destination, "replicaKmsKeyId")},
        },
    }


@stack_rule(
    "aws-s3-replica-own-key",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("MCSB DP-5", "MCSB BR-2"),
    description="S3 replication copies SSE-KMS objects and encrypts each replica with a KMS key of its own, "
    "not the source bucket's key.",
    remediation="In each of aws.s3.BucketReplicationConfig's rules set "
    "source_selection_criteria={'sse_kms_encrypted_objects': {'status': 'Enabled'}} and, in its destination, "
    "encryption_configuration={'replica_kms_key_id': <a key of the replica region>.arn}, and encrypt the replica "
    "bucket by default with that key.",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require the replica bucket to encrypt with a KMS key; false accepts SSE-S3 (AES256) "
            "replicas of SSE-S3 sources (security.customer_managed_keys: false).",
        }
    },
)
def replica_own_key(args: Any, report: Any) -> None:
    require_cmk = args.get_config().get("requireCustomerManagedKey", True)
    resources = args.resources
    for replication, sources, rule in _replications(resources):
        selected = get(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status")
        replica_key = get(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
        source_keys = [_default_key(resources, s, managed=True) for s in sources]
        if any(k not in (None, UNKNOWN) for k in source_keys):
            if selected not in ("Enabled", UNKNOWN):
                report(
                    "replication skips SSE-KMS objects: sourceSelectionCriteria.sseKmsEncryptedObjects is not Enabled",
                    replication.urn,
                )
            if missing(replica_key):
                report("replication names no destination.encryptionConfiguration.replicaKmsKeyId", replication.urn)
            elif aws_managed_key(replica_key):  # S3 writes the replicas with this key, not the bucket's default
                report(
                    f"replication encrypts replicas with the AWS managed key {replica_key}, not a customer-managed key",
                    replication.urn,
                )
            elif _identity(resources, replica_key, dependencies_of(replication, "rules")) in _known(source_keys):
                report(
                    "replication encrypts replicas with the source bucket's key "
                    "(destination.encryptionConfiguration.replicaKmsKeyId)",
                    replication.urn,
                )
        for replica in _replicas(resources, replication, rule):
            key = _default_key(resources, replica)
            if key is UNKNOWN:
                continue
            # SSE-S3 replicas pass only with the config's leave and only of SSE-S3 sources: a replica
            # of a KMS-encrypted source would hold its objects under a weaker key than the source
            if key is None and (require_cmk or _known(source_keys)):
                report(f"replica bucket {replica.name} is not encrypted by default with a KMS key", replica.urn)
            elif key is not None and key in _known(source_keys):  # SSE-S3 on both sides shares no key
                report(f"replica bucket {replica.name} is encrypted with the source bucket's key", replica.urn)


def _role_of(resources: list[Any], replication: Any) -> Any:
    """The plan's IAM role a replication configuration (or a bucket's inline one) names, or None:
    by the engine's dependency of its `role` input, else by an equal known ARN."""
    roles = of_type(resources, T.IAM_ROLE)
    if replication in of_type(resources, T.S3_REPLICATION):
        found = [r for r in roles if refers_to(replication, "role", r, ("arn",))]
        return found[0] if found else None
    inline = as_list(get(replication.props, "replicationConfiguration")) + as_list(
        get(replication.props, "replicationConfigurations")
    )
    arns = {get(config, "role") for config in inline} - {None, UNKNOWN}
    return next((r for r in roles if get(r.props, "arn") in arns), None)


def _grants(statement: Mapping[str, Any], action: str, resource: str) -> bool:
    """An Allow statement naming `action` and `resource` (IAM's `*` and `?`)."""
    return (
        statement.get("Effect") == "Allow"
        and any(iam_glob(a, action, ignore_case=True) for a in as_list(statement.get("Action")))
        and any(iam_glob(r, resource) for r in as_list(statement.get("Resource")))
    )


def _allows(documents: list[Any], key_policies: list[Any], role_arn: Any, action: str, resource: str) -> Any:
    """Whether the role may do `action` with the key `resource`: an Allow of its identity
    policies (`documents`), or of the key's own policy naming the role (conditions aside: they
    narrow a grant, never make one). UNKNOWN where it cannot be read: a document not known yet, or
    an Allow by NotAction or NotResource, which this reading does not judge."""
    if any(document is UNKNOWN for document in documents):
        return UNKNOWN
    statements = [st for document in documents for st in policy_statements(document)]
    if any(_grants(st, action, resource) for st in statements):
        return True
    for policy in key_policies:
        for st in policy_statements(policy):
            if (
                isinstance(role_arn, str)
                and role_arn in principals(st)
                and _grants({**st, "Resource": "*"}, action, resource)
            ):
                return True
    if any(st.get("Effect") == "Allow" and ("NotAction" in st or "NotResource" in st) for st in statements):
        return UNKNOWN
    return False


def _key_policies(resources: list[Any], key: Any) -> list[Any]:
    """A plan key's policies: its own `policy`, and a KeyPolicy resource's that replaces it."""
    held = [get(key.props, "policy")]
    held += [
        get(p.props, "policy")
        for p in of_type(resources, T.KMS_KEY_POLICY)
        if refers_to(p, "keyId", key, ("id", "arn", "keyId"))
    ]
    return [p for p in held if p is not None]


def _plan_key(resources: list[Any], identity: Any) -> Any:
    """The plan's key a key identity (`_identity`) names, or None: a `Key`, a multi-Region
    `ReplicaKey` or an `ExternalKey` alike (props.stack_key finds each)."""
    if not isinstance(identity, tuple) or identity[0] != "stack key":
        return None
    return next((k for k in of_type(resources, T.KMS_KEYS_OF_THE_STACK) if k.urn == identity[1]), None)


@stack_rule(
    "aws-s3-replication-role-keys",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("MCSB BR-2", "MCSB DP-5"),
    description="An S3 replication role may decrypt with the source bucket's KMS key and encrypt and decrypt with "
    "the replica key: S3 verifies the replica bucket's S3 Bucket Key with kms:Decrypt on the replica key, and a "
    "role without a grant fails every SSE-KMS replica while the configuration deploys cleanly.",
    remediation="Allow the replication role kms:Decrypt on the source bucket's key and kms:Encrypt and kms:Decrypt "
    "on destination.encryptionConfiguration.replicaKmsKeyId (S3 User Guide, 'Replicating encrypted objects', "
    "'S3 Bucket Keys and replication').",
)
def replication_role_keys(args: Any, report: Any) -> None:
    resources = args.resources
    for replication, sources, rule in _replications(resources):
        role = _role_of(resources, replication)
        replica_ref = get(rule, "destination", "encryptionConfiguration", "replicaKmsKeyId")
        if role is None or not isinstance(replica_ref, str) or not replica_ref or unread_policies(resources, role):
            continue  # a role of another stack or with policies not read here, or no re-encryption to judge
        documents = [document for _, _, document in role_documents(resources, role)]
        replica = _plan_key(resources, _identity(resources, replica_ref, dependencies_of(replication, "rules")))
        wanted: list[tuple[str, Any, str]] = []
        if replica is not None:  # by key id, ARN or the stack's alias: judged against the key's ARN
            wanted += [(action, replica, "the replica key") for action in ("kms:Encrypt", "kms:Decrypt")]
        for source in sources:
            key = _plan_key(resources, _default_key(resources, source))
            if key is not None:
                wanted.append(("kms:Decrypt", key, f"the source bucket {source.name}'s key"))
        for action, key, which in wanted:
            arn = get(key.props, "arn")
            if not isinstance(arn, str):
                continue  # not known yet
            found = _allows(documents, _key_policies(resources, key), get(role.props, "arn"), action, arn)
            if found is False:
                report(
                    f"replication role {role.name} may not {action} with {which} "
                    f"(destination.encryptionConfiguration.replicaKmsKeyId, S3 Bucket Keys)"
                    if which == "the replica key"
                    else f"replication role {role.name} may not {action} with {which}",
                    replication.urn,
                )
