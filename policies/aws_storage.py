"""S3: every bucket public-access blocked, TLS-only, KMS-encrypted, versioned,
logged and lifecycled. Bucket-level checks are stack rules because pulumi-aws
v7 configures a bucket through side resources that refer to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from . import s3_inline
from . import tokens as T
from .joins import of_type, refers_to, second_writers, sides
from .props import (
    UNKNOWN,
    admits_every_address,
    as_list,
    aws_managed_key,
    dependencies_of,
    get,
    iam_glob,
    is_true,
    pinning,
    policy_statements,
    principals,
    same_text,
)
from .registry import resource_rule, stack_rule

BUCKET_KEYS = ("bucket", "id", "arn")
PUBLIC_ACCESS_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
PUBLIC_CANNED_ACLS = {"public-read", "public-read-write", "authenticated-read"}
PUBLIC_GRANTEE_URIS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


def _label(bucket: Any) -> str:
    return f"bucket {bucket.name}"


def _buckets_with(args: Any, tokens: tuple[str, ...]):
    """Each S3 bucket of the plan with its side resources of `tokens` (policy, encryption...)."""
    for bucket in of_type(args.resources, T.S3_BUCKET):
        yield bucket, sides(args.resources, tokens, "bucket", bucket, BUCKET_KEYS)


def _is_log_target(resources: Any, bucket: Any) -> bool:
    """Server access logs land only in SSE-S3 buckets, and a log bucket does not log itself.

    A bucket is a log target when a BucketLogging, or another bucket's own `logging` block
    (`loggings` on BucketV2), names it: by an equal known name, id or ARN, or, while that value
    is unknown (a preview of new buckets), by the engine's property dependencies. Two unknown
    values are never taken for equal: on a first preview every bucket's name is unknown, and
    the log bucket's is as well."""
    names = {n for k in BUCKET_KEYS if isinstance(n := get(bucket.props, k), str) and n}
    for log in of_type(resources, T.S3_LOGGING):
        target = get(log.props, "targetBucket")
        if target in names or (target in (None, UNKNOWN) and refers_to(log, "targetBucket", bucket, BUCKET_KEYS)):
            return True
    for source in of_type(resources, T.S3_BUCKET):
        if source.urn == bucket.urn:
            continue
        target = s3_inline.inline(source, "logging", "targetBucket")
        if target in names:
            return True
        linked = dependencies_of(source, s3_inline.inline_key(source, "logging"))
        if target is UNKNOWN and any(dep.urn == bucket.urn for dep in linked):
            return True
    return False


@stack_rule(
    "aws-s3-public-access-block",
    area="aws-storage",
    severity="critical",
    enforcement="mandatory",
    controls=("CIS AWS 2.1.4", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"),
    description="Every S3 bucket has a public access block with all four settings on, its own or, for a setting "
    "the stack's account-level block (AccountPublicAccessBlock of the provider's account) turns on, the account's.",
    remediation="Give the bucket one aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id, block_public_acls=True, "
    "block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True): set the flags on the one "
    "it has, or add one where it has none (a second is refused: aws-s3-one-resource-per-setting).",
)
def public_access_block(args: Any, report: Any) -> None:
    # S3 applies the most restrictive of the account's and the bucket's settings (S3 User Guide,
    # "Blocking public access to your Amazon S3 storage"), and CIS 2.1.4 accepts the account's: a
    # flag the stack's account-level block sets holds for every bucket
    accounts = [a for a in of_type(args.resources, T.S3_ACCOUNT_PUBLIC_ACCESS_BLOCK) if not get(a.props, "accountId")]
    on_for_all = {f for f in PUBLIC_ACCESS_FLAGS if any(_flag_on(a, f) for a in accounts)}
    for bucket, blocks in _buckets_with(args, T.S3_PUBLIC_ACCESS_BLOCK):
        if not blocks and on_for_all != set(PUBLIC_ACCESS_FLAGS):
            report(f"{_label(bucket)} has no BucketPublicAccessBlock", bucket.urn)
            continue
        missing = [
            flag
            for flag in PUBLIC_ACCESS_FLAGS
            if flag not in on_for_all and not any(_flag_on(b, flag) for b in blocks)
        ]
        if missing:
            report(f"{_label(bucket)}: public access block leaves {', '.join(missing)} off", bucket.urn)


def _flag_on(block: Any, flag: str) -> bool:
    """A public access block's flag is on, or not known yet (judged at `pulumi up`)."""
    return is_true(get(block.props, flag)) or get(block.props, flag) is UNKNOWN


def _denies_insecure_transport(statement: Mapping[str, Any]) -> bool:
    """A Deny to every principal of every S3 action when aws:SecureTransport is false, and on no
    other condition. Condition operators and keys are case-insensitive and a value may be a list
    (IAM JSON policy elements: Condition); BoolIfExists denies the same requests, as every
    request carries the key. A statement applies only when all its conditions match, so another
    condition beside it (aws:SourceVpce, aws:SourceIp) narrows the deny to those requests: plain
    HTTP from anywhere else is let through."""
    if statement.get("Effect") != "Deny" or "*" not in principals(statement):
        return False
    actions = {str(a).lower() for a in as_list(statement.get("Action"))}
    if not actions & {"s3:*", "*"}:
        return False
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    insecure = False
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            return False
        for key, value in block.items():
            transport = str(operator).lower() in ("bool", "boolifexists") and str(key).lower() == "aws:securetransport"
            if not transport:
                return False  # a narrowing condition
            insecure = insecure or "false" in {str(v).lower() for v in as_list(value)}
    return insecure


_S3_ARN = re.compile(r"arn:aws[a-z-]*:s3:::(.*)")


def _bucket_name(bucket: Any) -> str | None:
    """The planned bucket's name (from its ARN or `bucket`), None while not known."""
    arn = get(bucket.props, "arn")
    match = _S3_ARN.fullmatch(arn) if isinstance(arn, str) else None
    if match:
        return match.group(1)
    name = get(bucket.props, "bucket")
    return name if isinstance(name, str) and name else None


def _uncovered(statements: list[Mapping[str, Any]], name: str) -> list[str]:
    """Of the bucket and its objects (CIS AWS 2.1.1), the ARNs no statement covers: matched as IAM
    matches a Resource (a wildcard partition, `arn:*:s3:::name*`, covers both), or left out of
    none of a NotResource's patterns (a statement on every resource but another bucket's)."""
    targets = [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]
    covered: set[str] = set()
    for statement in statements:
        listed = as_list(statement.get("NotResource" if "NotResource" in statement else "Resource"))
        if any(r is UNKNOWN or not isinstance(r, str) for r in listed):
            return []  # not known yet: not judged
        for target in targets:
            matched = any(iam_glob(pattern, target) for pattern in listed)
            if matched != ("NotResource" in statement):
                covered.add(target)
    return [target for target in targets if target not in covered]


@stack_rule(
    "aws-s3-tls-only",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("CIS AWS 2.1.1", "AwsSolutions-S10"),
    description="Every S3 bucket policy denies requests without TLS (aws:SecureTransport = false).",
    remediation="Put in the bucket's one BucketPolicy (its existing one, or a new one where it has none) a Deny "
    "statement for Principal '*', Action 's3:*' on the bucket and "
    'bucket/* with Condition {"Bool": {"aws:SecureTransport": "false"}}; a bucket with a policy input of its own '
    "moves that into the BucketPolicy and leaves the input unset (aws-s3-one-resource-per-setting).",
)
def tls_only(args: Any, report: Any) -> None:
    for bucket, policies in _buckets_with(args, T.S3_POLICY):
        documents = [get(p.props, "policy") for p in policies] + [get(bucket.props, "policy")]
        # The bucket's own `policy` is a computed output, unknown on a preview of a new bucket
        # whatever its BucketPolicy says: with a BucketPolicy known, that one is judged.
        if documents[-1] is UNKNOWN and policies:
            documents.pop()
        if any(d is UNKNOWN for d in documents):
            continue
        denies = [s for d in documents for s in policy_statements(d) if _denies_insecure_transport(s)]
        name = _bucket_name(bucket)
        if not denies:
            report(f"{_label(bucket)} has no policy denying aws:SecureTransport=false", bucket.urn)
        elif name is not None and (missing := _uncovered(denies, name)):
            report(
                f"{_label(bucket)}: the policy denying aws:SecureTransport=false does not cover {', '.join(missing)}",
                bucket.urn,
            )


KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
S3_MANAGED_KEY = "alias/aws/s3"


def sse_key(default: Any) -> Any:
    """The key of an SSE-KMS default: without a key id (absent or empty), S3 encrypts with the
    account's AWS-managed key, aws/s3."""
    key = get(default, "kmsMasterKeyId")
    return S3_MANAGED_KEY if key is None or key == "" else key


@stack_rule(
    "aws-s3-kms-encryption",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AWS_145",),
    description="Every S3 bucket encrypts by default with KMS and a customer-managed key (server access log "
    "buckets, which S3 can only write with SSE-S3, with AES256).",
    remediation="Give the bucket one aws.s3.BucketServerSideEncryptionConfiguration(bucket=<bucket>.id, rules=[{"
    "'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', 'kms_master_key_id': <key>.arn}, "
    "'bucket_key_enabled': True}]): change the one it has, or add one where it has none, and leave the bucket's "
    "own server_side_encryption_configuration input unset (a second writer is refused: "
    "aws-s3-one-resource-per-setting).",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require SSE-KMS with a customer-managed key (any key but an aws/ alias: one in another "
            "account is the owner's to vouch for); false accepts SSE-S3 (AES256).",
        }
    },
)
def kms_encryption(args: Any, report: Any) -> None:
    require_cmk = args.get_config().get("requireCustomerManagedKey", True)
    for bucket, sse in _buckets_with(args, T.S3_SSE):
        configs = [s.props for s in sse]
        inline = s3_inline.inline(bucket, "serverSideEncryptionConfiguration")
        # the bucket's own block is a computed output, unknown on a preview of a new bucket: with a
        # BucketServerSideEncryptionConfiguration known, that one is judged (as aws-s3-tls-only does)
        if inline is UNKNOWN:
            if not sse:
                continue
            inline = None
        defaults = [d for c in [*configs, inline] for d in s3_inline.sse_defaults(c)]
        if any(d is UNKNOWN for d in defaults):
            continue
        kms = [d for d in defaults if get(d, "sseAlgorithm") in KMS_ALGORITHMS]
        keys = [sse_key(d) for d in kms]
        good = [
            d for d, key in zip(kms, keys, strict=True) if isinstance(key, str) and key and not aws_managed_key(key)
        ]
        if not require_cmk:
            good += [d for d, key in zip(kms, keys, strict=True) if isinstance(key, str) and aws_managed_key(key)]
        if not require_cmk or _is_log_target(args.resources, bucket):
            good += [d for d in defaults if get(d, "sseAlgorithm") == "AES256"]
        if good or UNKNOWN in keys or any(get(d, "sseAlgorithm") is UNKNOWN for d in defaults):
            continue  # an unknown key or algorithm is not judged
        managed = sorted({k for k in keys if isinstance(k, str) and aws_managed_key(k)})
        if not defaults:
            report(f"{_label(bucket)} has no default encryption configuration", bucket.urn)
        elif managed:
            report(
                f"{_label(bucket)} encrypts with the AWS-managed key {', '.join(managed)}, not a customer-managed key",
                bucket.urn,
            )
        else:
            algorithms = sorted({str(get(d, "sseAlgorithm")) for d in defaults})
            report(
                f"{_label(bucket)} encrypts with {', '.join(algorithms)}, not SSE-KMS with a customer-managed key",
                bucket.urn,
            )


@stack_rule(
    "aws-s3-versioning",
    area="aws-storage",
    severity="medium",
    enforcement="mandatory",
    controls=("CKV_AWS_21",),
    description="Every S3 bucket has versioning enabled, so an overwrite or delete can be undone.",
    remediation="Give the bucket one aws.s3.BucketVersioning(bucket=<bucket>.id, versioning_configuration={'status': "
    "'Enabled'}): enable the one it has, or add one where it has none, and leave the bucket's own versioning "
    "input unset (a second writer is refused: aws-s3-one-resource-per-setting).",
)
def versioning(args: Any, report: Any) -> None:
    for bucket, versionings in _buckets_with(args, T.S3_VERSIONING):
        statuses = [get(v.props, "versioningConfiguration", "status") for v in versionings]
        inline = s3_inline.inline(bucket, "versioning", "enabled")
        if "Enabled" in statuses or is_true(inline) or UNKNOWN in statuses:
            continue
        # the bucket's own `versioning` is a computed output, unknown on a preview of a new
        # bucket: a BucketVersioning known to be off is judged all the same
        if inline is UNKNOWN and not versionings:
            continue
        report(f"{_label(bucket)} is not versioned" + (f" (status {statuses[0]})" if statuses else ""), bucket.urn)


@stack_rule(
    "aws-s3-access-logging",
    area="aws-storage",
    severity="medium",
    enforcement="mandatory",
    controls=("CKV_AWS_18",),
    description="Every S3 bucket except access-log targets writes server access logs to a log bucket.",
    remediation="Give the bucket one aws.s3.BucketLogging(bucket=<bucket>.id, target_bucket=<log bucket>.id, "
    "target_prefix=...): fix the one it has, or add one where it has none, and leave the bucket's own logging "
    "input unset (aws-s3-one-resource-per-setting).",
)
def access_logging(args: Any, report: Any) -> None:
    for bucket, logged in _buckets_with(args, T.S3_LOGGING):
        inline = s3_inline.inline(bucket, "logging", "targetBucket")
        # the bucket's own block not known yet (a preview) may name a target: it is not judged
        if logged or inline or inline is UNKNOWN or _is_log_target(args.resources, bucket):
            continue
        report(f"{_label(bucket)} has no access logging", bucket.urn)


@stack_rule(
    "aws-s3-lifecycle",
    area="aws-storage",
    severity="medium",
    enforcement="mandatory",
    controls=("CKV2_AWS_61",),
    description="Every S3 bucket has an enabled lifecycle rule (tiering, expiry, incomplete-upload cleanup).",
    remediation="Give the bucket's one aws.s3.BucketLifecycleConfiguration (its existing one, or a new one where it "
    "has none) at least one rule whose status is 'Enabled', and leave the bucket's own lifecycle_rules input unset "
    "(aws-s3-one-resource-per-setting).",
)
def lifecycle(args: Any, report: Any) -> None:
    for bucket, lifecycles in _buckets_with(args, T.S3_LIFECYCLE):
        rules = [r for c in lifecycles for r in as_list(get(c.props, "rules"))]
        inline = as_list(get(bucket.props, "lifecycleRules"))
        if any(get(r, "status") in ("Enabled", UNKNOWN) for r in rules) or any(
            is_true(enabled) or enabled is UNKNOWN for enabled in (get(r, "enabled") for r in inline)
        ):
            continue
        report(f"{_label(bucket)} has no enabled lifecycle rule", bucket.urn)


@stack_rule(
    "aws-s3-ownership-enforced",
    area="aws-storage",
    severity="low",
    enforcement="advisory",
    controls=("ACLs disabled (S3 Object Ownership)",),
    description="Every S3 bucket uses BucketOwnerEnforced ownership, which turns ACLs off.",
    remediation="Give the bucket one aws.s3.BucketOwnershipControls(bucket=<bucket>.id, rule={'object_ownership': "
    "'BucketOwnerEnforced'}): change the one it has, or add one where it has none.",
)
def ownership_enforced(args: Any, report: Any) -> None:
    for bucket, ownerships in _buckets_with(args, T.S3_OWNERSHIP):
        owners = [get(o.props, "rule", "objectOwnership") for o in ownerships]
        if "BucketOwnerEnforced" not in owners and UNKNOWN not in owners:
            report(f"{_label(bucket)} does not enforce bucket-owner ownership (ACLs stay on)", bucket.urn)


@resource_rule(
    "aws-s3-no-public-acl",
    area="aws-storage",
    severity="critical",
    enforcement="mandatory",
    types=T.S3_BUCKET + T.S3_ACL,
    controls=("CKV_AWS_20", "CKV_AWS_57"),
    description="No S3 bucket grants access to everyone through an ACL.",
    remediation="Remove the public canned ACL (public-read, public-read-write, authenticated-read) and the "
    "AllUsers/AuthenticatedUsers grants; share data through scoped IAM or presigned URLs.",
)
def no_public_acl(args: Any, report: Any) -> None:
    acl = get(args.props, "acl")
    if isinstance(acl, str) and acl in PUBLIC_CANNED_ACLS:  # a provider refuses any other shape; unread here
        report(f"canned ACL {acl} makes the bucket public")
    grants = as_list(get(args.props, "accessControlPolicy", "grants")) + as_list(get(args.props, "grants"))
    for grant in grants:
        uri = get(grant, "grantee", "uri") or get(grant, "uri")
        if isinstance(uri, str) and _public_group(uri):
            # a BucketAclV2 grant names one `permission`; an inline Bucket grant a `permissions` list
            named = get(grant, "permission") or ", ".join(
                p for p in as_list(get(grant, "permissions")) if isinstance(p, str)
            )
            report(f"ACL grants {named or 'access'} to {uri.rsplit('/', 1)[-1]}")


def _public_group(uri: str) -> bool:
    """One of the public groups, whatever the scheme or case it is written in (the documented
    http:// form is the only one compared before)."""
    bare = uri.strip().lower().removeprefix("https://").removeprefix("http://")
    return bare in {u.lower().removeprefix("http://") for u in PUBLIC_GRANTEE_URIS}


# Condition keys whose fixed values make an Allow to "*" non-public: S3 user guide, "Blocking public
# access to your Amazon S3 storage", section "The meaning of 'public'" (aws:SourceIp: a CIDR set).
PUBLIC_SCOPE_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:sourcearn",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceowner",
        "aws:sourceaccount",
        "aws:userid",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "s3:dataaccesspointarn",
        "s3:dataaccesspointaccount",
    }
)


def _fixed(values: list[Any]) -> bool:
    """Known literal values: no wildcard and no policy variable."""
    return bool(values) and all(
        v is UNKNOWN or (isinstance(v, str) and v and not any(c in v for c in "*?") and "${" not in v) for v in values
    )


def scoped_to_fixed_values(statement: Mapping[str, Any], keys: frozenset[str] = PUBLIC_SCOPE_KEYS) -> bool:
    """The statement's Condition pins one of `keys` to fixed values (or aws:SourceIp to CIDRs
    narrower than the whole address space). Operators and keys are case-insensitive; a negated,
    ...IfExists or Null operator pins nothing."""
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    for operator, block in condition.items():
        if not isinstance(block, Mapping):
            continue
        op = str(operator).lower()
        for key, value in block.items():
            values = as_list(value) if value is not UNKNOWN else [UNKNOWN]
            if pinning(operator) and str(key).lower() in keys and _fixed(values):
                return True
            cidrs = op == "ipaddress" and str(key).lower() == "aws:sourceip" and _fixed(values)
            if cidrs and not admits_every_address(values):
                return True
    return False


def public_allows(document: Any, keys: frozenset[str] = PUBLIC_SCOPE_KEYS) -> list[tuple[Mapping[str, Any], str]]:
    """Allow statements to every principal ("*", or everyone but a NotPrincipal) that no condition
    scopes to fixed values of `keys`, with whom each allows."""
    found = []
    for statement in policy_statements(document):
        if statement.get("Effect") != "Allow" or scoped_to_fixed_values(statement, keys):
            continue
        if "NotPrincipal" in statement:
            found.append((statement, "every principal but its NotPrincipal"))
        elif "*" in principals(statement):
            found.append((statement, "every principal"))
    return found


def public_allow_lines(document: Any, confined: Callable[[Mapping[str, Any]], bool] | None = None) -> list[str]:
    """`public_allows` of a resource policy, each as the line a rule reports; a statement
    `confined` says is confined otherwise (to one caller, say) is left out."""
    return [
        f"statement {statement.get('Sid') or '(no Sid)'} allows {actions_text(statement)} to {whom}"
        for statement, whom in public_allows(document)
        if confined is None or not confined(statement)
    ]


def actions_text(statement: Mapping[str, Any]) -> str:
    if "NotAction" in statement and "Action" not in statement:
        return "every action but " + ", ".join(map(str, as_list(statement.get("NotAction"))))
    return ", ".join(map(str, as_list(statement.get("Action"))))


@resource_rule(
    "aws-s3-policy-no-public-allow",
    area="aws-storage",
    severity="critical",
    enforcement="mandatory",
    types=T.S3_POLICY + T.S3_BUCKET,
    controls=("CKV_AWS_70",),
    description="No S3 bucket policy (a BucketPolicy, or a bucket's inline policy) allows an action to any "
    "principal unless a condition pins it to fixed values (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID...).",
    remediation="Name the principals (account, role or service) in Allow statements instead of '*' or NotPrincipal, "
    "or add a condition that pins them to fixed values (StringEquals aws:SourceAccount, aws:PrincipalOrgID, "
    "aws:SourceVpce...).",
)
def policy_no_public_allow(args: Any, report: Any) -> None:
    for line in public_allow_lines(get(args.props, "policy")):
        report(line)


# The settings S3 keeps one of per bucket, each written whole by its own API call (PutBucketPolicy,
# PutPublicAccessBlock, PutBucketEncryption, ...): a second resource of a kind replaces the
# first's in the cloud, and which one stays depends on the order they are applied. The bucket's own
# inputs of a setting (pulumi-aws v7 keeps them, deprecated, on Bucket and BucketV2) make the same
# call, so one of them beside a side resource of its kind is a second writer too.
ONE_PER_BUCKET = (
    ("public access block", T.S3_PUBLIC_ACCESS_BLOCK, ()),
    ("policy", T.S3_POLICY, ("policy",)),
    (
        "default encryption",
        T.S3_SSE,
        ("serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"),
    ),
    ("versioning", T.S3_VERSIONING, ("versioning", "versionings")),
    ("logging", T.S3_LOGGING, ("logging", "loggings")),
    ("lifecycle configuration", T.S3_LIFECYCLE, ("lifecycleRules",)),
    ("ACL", T.S3_ACL, ("acl", "grants")),
    ("ownership controls", T.S3_OWNERSHIP, ()),
    ("replication configuration", T.S3_REPLICATION, ("replicationConfiguration", "replicationConfigurations")),
)


@stack_rule(
    "aws-s3-one-resource-per-setting",
    area="aws-storage",
    severity="high",
    enforcement="mandatory",
    controls=("S3 bucket configuration APIs: one configuration of each kind per bucket",),
    description="No S3 bucket has two resources of one setting (public access block, policy, default encryption, "
    "versioning, logging, lifecycle, ACL, ownership controls, replication), nor one beside the bucket's own input "
    "of that setting: S3 keeps one of each per bucket, and the rules judging one setting cannot tell which the "
    "cloud keeps.",
    remediation="Keep one resource of each setting per bucket, and leave the bucket's own input of it unset: merge "
    "the statements into one BucketPolicy, the rules into one lifecycle configuration, the flags into one public "
    "access block.",
)
def one_resource_per_setting(args: Any, report: Any) -> None:
    for bucket, found in second_writers(args.resources, T.S3_BUCKET, ONE_PER_BUCKET, "bucket", BUCKET_KEYS):
        report(
            f"{_label(bucket)} has {found}: S3 keeps one, each write replaces the other's, and which stays depends "
            "on the order they are applied",
            bucket.urn,
        )


@resource_rule(
    "aws-log-group-encrypted-retained",
    area="aws-storage",
    severity="medium",
    enforcement="mandatory",
    types=T.LOG_GROUP,
    controls=("CKV_AWS_158", "CKV_AWS_66", "MCSB DP-5"),
    description="CloudWatch log groups (the processor's and the telemetry archive's, which name contacts and "
    "objects) are encrypted with the mission's KMS key and state how long they keep their events "
    "(retentionInDays set; 0 keeps them without expiry on purpose).",
    remediation="Set kms_key_id=key.arn (the key policy must let logs.<region>.amazonaws.com use it) and "
    "retention_in_days on every aws.cloudwatch.LogGroup (groundlink: the raw retention, rounded up to one "
    "CloudWatch takes, or 0, never expire, past 3653 days).",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a kmsKeyId; false accepts CloudWatch Logs' own encryption "
            "(security.customer_managed_keys: false). Retention is still required.",
        }
    },
)
def log_group_encrypted_retained(args: Any, report: Any) -> None:
    key = get(args.props, "kmsKeyId")
    if args.get_config().get("requireCustomerManagedKey", True) and key is not UNKNOWN and not key:
        report("has no kmsKeyId (CloudWatch Logs' own encryption, not the mission's key)")
    kind = get(args.props, "logGroupClass")
    # Unset keeps events forever by default. 0 says so on purpose: groundlink keeps its log groups
    # as long as the raw contacts, and past CloudWatch's longest retention (3653 days) that is
    # without expiry (groundlink/limits.py log_retention). The Delivery class keeps events one day
    # whatever the retention (CloudWatch Logs CreateLogGroup, logGroupClass).
    if get(args.props, "retentionInDays") is None and not same_text(kind, "DELIVERY") and kind is not UNKNOWN:
        report("keeps its events forever by default (retentionInDays unset)")
