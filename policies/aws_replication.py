"""S3 replication (storage.redundancy: geo): the copy in the second region is as safe as the
original. A replication rule that does not select SSE-KMS objects silently skips every object
the mission's key encrypts, and a replica encrypted with the source's key depends on a key in
the region it is meant to survive. (The replica bucket is protected like every store:
data-protection-stateful-protected.)"""

from __future__ import annotations

from typing import Any

from . import s3_inline
from . import tokens as T
from .joins import of_type, refers_to, sides
from .props import UNKNOWN, as_list, aws_managed_key, get, is_true, kms_key_ref, missing, stack_key
from .registry import stack_rule

BUCKET_KEYS = ("bucket", "id", "arn")


def _rules_links(resource: Any) -> Any:
    """The property dependencies of a resource's `rules` input (where its key references live)."""
    return (getattr(resource, "property_dependencies", None) or {}).get("rules") or ()


def _identity(resources: list[Any], value: Any, linked: Any) -> Any:
    """Which key a key reference names, comparable whatever its spelling: the plan's key (by key id,
    key ARN or alias, see props.stack_key), else the normalized reference; UNKNOWN when not known."""
    key = stack_key(resources, value, linked)
    if key is UNKNOWN or key is not None:
        return key if key is UNKNOWN else ("stack key", key.urn)
    return ("reference", kms_key_ref(value)) if kms_key_ref(value) else None


def _default_key(resources: list[Any], bucket: Any) -> Any:
    """The KMS key a bucket encrypts with by default (an identity, see `_identity`), UNKNOWN, or None
    (no SSE-KMS)."""
    # a separate encryption configuration, or the bucket's own (inline) one, as aws-s3-kms-encryption reads both
    # (Bucket's block, or the first of BucketV2's list, in s3_inline's shapes)
    name = "serverSideEncryptionConfiguration"
    inline = s3_inline.inline(bucket, name)
    links = (getattr(bucket, "property_dependencies", None) or {}).get(s3_inline.inline_key(bucket, name)) or ()
    held = [
        (config.props, _rules_links(config)) for config in sides(resources, T.S3_SSE, "bucket", bucket, BUCKET_KEYS)
    ]
    for props, linked in [*held, *([(inline, links)] if inline is not None else [])]:
        for default in s3_inline.sse_defaults(props):
            algorithm = get(default, "sseAlgorithm")
            if default is UNKNOWN or algorithm is UNKNOWN:  # the algorithm may be SSE-KMS
                return UNKNOWN
            if algorithm in ("aws:kms", "aws:kms:dsse"):
                value = get(default, "kmsMasterKeyId")
                return None if value is None else _identity(resources, value, linked)
    return None


def _known(keys: list[Any]) -> list[Any]:
    return [k for k in keys if k is not None and k is not UNKNOWN]


def _replicas(resources: list[Any], replication: Any, rule: Any) -> list[Any]:
    """The buckets a replication rule writes to: by ARN, else by the rules' dependencies."""
    target = get(rule, "destination", "bucket")
    buckets = of_type(resources, T.S3_BUCKET)
    if isinstance(target, str) and target:
        return [b for b in buckets if get(b.props, "arn") == target]
    linked = (getattr(replication, "property_dependencies", None) or {}).get("rules") or []
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


def _as_separate_rule(rule: Any) -> dict[str, Any]:
    """An inline rule (`sourceSelectionCriteria.sseKmsEncryptedObjects.enabled`,
    `destination.replicaKmsKeyId`) as a BucketReplicationConfig rule says the same."""
    enabled = get(rule, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "enabled")
    status = UNKNOWN if enabled is UNKNOWN else "Enabled" if is_true(enabled) else None
    return {
        "sourceSelectionCriteria": {"sseKmsEncryptedObjects": {"status": status}},
        "destination": {
            "bucket": get(rule, "destination", "bucket"),
            "encryptionConfiguration": {"replicaKmsKeyId": get(rule, "destination", "replicaKmsKeyId")},
        },
    }


@stack_rule(
    "aws-s3-replica-own-key",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AWS_145", "MCSB DP-5", "MCSB BR-2"),
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
        source_keys = [_default_key(resources, s) for s in sources]
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
            elif _identity(resources, replica_key, _rules_links(replication)) in _known(source_keys):
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
