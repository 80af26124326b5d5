"""How the pack reads policy documents and encryption keys: condition operators and keys are
case-insensitive and take lists, wildcards match actions, NotAction/NotPrincipal/NotResource
grant broadly, a condition must pin fixed values, AWS-managed keys are not customer-managed,
and an unknown value is not judged.

Each case changes one thing of a passing baseline of tests/pack_cases.py and asserts what the
rule reports (tests/pack_harness.py runs it the way `groundlink check` does).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN

from .conftest import DROP
from .pack_cases import BASELINES, KEY
from .pack_harness import Written, apply, resolve, run

RAW = "noaa20-storage-raw"
RAW_ARN = "arn:aws:s3:::aws-groundstation-noaa20-raw-f508bf20e1a02134b0850cfeea"
SSE = f"{RAW}-encryption/rules.0.applyServerSideEncryptionByDefault"
TLS = f"{RAW}-policy/policy.Statement.0"
ROLE_POLICY = "noaa20-processing-policy"
FUNCTION = "noaa20-processing-function"
PRODUCTS_ARN = "arn:aws:s3:::noaa20-products-e57a8e42327e9da16734d898dd"


def check(rule: str, base: str, path: str, value: Any) -> list[Any]:
    return run(rule, apply(resolve(BASELINES, base), path, value))


# --- aws-s3-kms-encryption: unknown key (A1), AWS-managed keys (C1) ---------------------------

KMS = "aws-s3-kms-encryption"


def test_kms_encryption_does_not_judge_an_unknown_key():
    assert check(KMS, "noaa20-aws", f"{SSE}.kmsMasterKeyId", UNKNOWN) == []


def test_kms_encryption_fires_without_a_key():
    assert check(KMS, "noaa20-aws", f"{SSE}.kmsMasterKeyId", DROP) == [
        (f"bucket {RAW} encrypts with the AWS-managed key alias/aws/s3, not a customer-managed key", RAW)
    ]


@pytest.mark.parametrize(
    "key",
    [
        "alias/aws/s3",
        "arn:aws:kms:us-west-2:123456789012:alias/aws/s3",
        "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/s3",
    ],
)
def test_kms_encryption_refuses_an_aws_managed_key(key):
    assert check(KMS, "noaa20-aws", f"{SSE}.kmsMasterKeyId", key) == [
        (f"bucket {RAW} encrypts with the AWS-managed key {key}, not a customer-managed key", RAW)
    ]


@pytest.mark.parametrize(
    "key", ["alias/mission", "arn:aws:kms:us-west-2:123456789012:alias/aws-data", "arn:aws:kms:us-west-2:1:key/k"]
)
def test_kms_encryption_accepts_a_customer_managed_key(key):
    assert check(KMS, "noaa20-aws", f"{SSE}.kmsMasterKeyId", key) == []


def test_kms_encryption_accepts_an_aws_managed_key_when_customer_keys_are_not_required():
    state = apply(resolve(BASELINES, "noaa20-aws-cmk-off"), f"{SSE}.kmsMasterKeyId", "alias/aws/s3")
    assert run(KMS, state) == []


# --- aws-s3-tls-only: condition spelling (B1), Resource coverage (C3) -------------------------

TLS_RULE = "aws-s3-tls-only"
NO_TLS = (f"bucket {RAW} has no policy denying aws:SecureTransport=false", RAW)


@pytest.mark.parametrize(
    "condition",
    [
        {"Bool": {"aws:securetransport": "false"}},
        {"Bool": {"aws:SecureTransport": ["false"]}},
        {"BoolIfExists": {"aws:SecureTransport": "false"}},
        {"bool": {"AWS:SecureTransport": "FALSE"}},
    ],
)
def test_tls_only_reads_conditions_case_insensitively_and_as_lists(condition):
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Condition", condition) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"Bool": {"aws:securetransport": "true"}},
        {"Bool": {"aws:SecureTransport": ["true"]}},
        {"Null": {"aws:SecureTransport": "false"}},
    ],
)
def test_tls_only_fires_on_a_condition_that_does_not_deny_plain_http(condition):
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Condition", condition) == [NO_TLS]


def test_tls_only_fires_when_the_deny_leaves_the_objects_out():
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Resource", [RAW_ARN]) == [
        (f"bucket {RAW}: the policy denying aws:SecureTransport=false does not cover {RAW_ARN}/*", RAW)
    ]


def test_tls_only_fires_when_the_deny_leaves_the_bucket_out():
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Resource", [f"{RAW_ARN}/*"]) == [
        (f"bucket {RAW}: the policy denying aws:SecureTransport=false does not cover {RAW_ARN}", RAW)
    ]


def test_tls_only_fires_when_the_deny_is_on_another_bucket():
    other = "arn:aws:s3:::some-other-bucket"
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Resource", [other, f"{other}/*"]) == [
        (f"bucket {RAW}: the policy denying aws:SecureTransport=false does not cover {RAW_ARN}, {RAW_ARN}/*", RAW)
    ]


@pytest.mark.parametrize("resource", ["*", "arn:aws:s3:::*", f"{RAW_ARN}*", [RAW_ARN, f"{RAW_ARN}/*"]])
def test_tls_only_accepts_a_deny_covering_bucket_and_objects(resource):
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Resource", resource) == []


def test_tls_only_does_not_judge_resources_of_a_bucket_whose_name_is_unknown():
    assert check(TLS_RULE, "noaa20-aws", f"{RAW}/arn", UNKNOWN) == []


# --- aws-s3-policy-no-public-allow: NotPrincipal, pinning conditions, inline policy (C4) ------

PUBLIC = "aws-s3-policy-no-public-allow"
PUBLIC_READ = {
    "Sid": "PublicRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": f"{RAW_ARN}/*",
    "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
}


def test_no_public_allow_passes_an_allow_pinned_to_an_account():
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", PUBLIC_READ) == []


def test_no_public_allow_fires_on_allow_with_not_principal():
    statement = {k: v for k, v in PUBLIC_READ.items() if k not in ("Principal", "Condition")}
    statement["NotPrincipal"] = {"AWS": "arn:aws:iam::123456789012:root"}
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", statement) == [
        "statement PublicRead allows s3:GetObject to every principal but its NotPrincipal"
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"Bool": {"aws:SecureTransport": "true"}},
        {"StringLike": {"aws:SourceAccount": "*"}},
        {"StringNotEquals": {"aws:SourceAccount": "123456789012"}},
        {"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalTag/org}"}},
        {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
    ],
)
def test_no_public_allow_fires_on_a_condition_that_pins_no_fixed_value(condition):
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", {**PUBLIC_READ, "Condition": condition}) == [
        "statement PublicRead allows s3:GetObject to every principal"
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        {"stringequals": {"AWS:SOURCEVPCE": ["vpce-1a2b3c"]}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::aws-groundstation-noaa20-raw"}},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
    ],
)
def test_no_public_allow_passes_a_condition_that_pins_fixed_values(condition):
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", {**PUBLIC_READ, "Condition": condition}) == []


def test_no_public_allow_checks_the_inline_bucket_policy():
    document = '{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", '
    document += f'"Action": "s3:GetObject", "Resource": "{RAW_ARN}/*"}}]}}'
    assert check(PUBLIC, "raw-bucket", "policy", document) == [
        "statement PublicRead allows s3:GetObject to every principal"
    ]


def test_no_public_allow_passes_an_inline_bucket_policy_that_only_denies():
    document = '{"Version": "2012-10-17", "Statement": [{"Sid": "Deny", "Effect": "Deny", "Principal": "*", '
    document += f'"Action": "s3:*", "Resource": "{RAW_ARN}/*"}}]}}'
    assert check(PUBLIC, "raw-bucket", "policy", document) == []


# --- aws-kms-key-policy: the same pinning rule ------------------------------------------------

KEY_POLICY = "aws-kms-key-policy"


def test_kms_key_policy_fires_on_star_with_a_condition_that_pins_nothing():
    statement = f"{KEY}/policy.Statement.1"
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{statement}.Principal", "*")
    assert run(KEY_POLICY, state) == []  # its aws:SourceAccount condition pins it
    state = apply(state, f"{statement}.Condition", {"Bool": {"aws:SecureTransport": "true"}})
    assert run(KEY_POLICY, state) == [("statement EventBridgeDeliversToQueues allows any principal", KEY)]


def test_kms_key_policy_accepts_a_star_pinned_by_caller_account():
    condition = {"StringEquals": {"kms:CallerAccount": "123456789012"}}
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{KEY}/policy.Statement.1.Condition", condition)
    assert run(KEY_POLICY, apply(state, f"{KEY}/policy.Statement.1.Principal", "*")) == []
    # the same star unpinned fires: the pass above is the condition's, not a rule that never runs
    assert run(KEY_POLICY, apply(resolve(BASELINES, "noaa20-aws"), f"{KEY}/policy.Statement.0.Principal", "*"))


# --- aws-kms-key-rotation: the message names the input ----------------------------------------


def test_kms_key_rotation_message_names_enable_key_rotation():
    assert check("aws-kms-key-rotation", "kms-key", "enableKeyRotation", False) == [
        "key rotation is off (enableKeyRotation is not true)"
    ]


def test_kms_key_rotation_passes_when_on():
    assert check("aws-kms-key-rotation", "kms-key", "enableKeyRotation", True) == []


# --- aws-iam-no-wildcard-admin: NotAction, NotResource, AdministratorAccess (C5) --------------

ADMIN = "aws-iam-no-wildcard-admin"
ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess"


def test_wildcard_admin_fires_on_not_action_on_every_resource():
    assert check(ADMIN, "role-policy-not-action", "policy.Statement.0.Resource", "*") == [
        "statement AllButIam allows every action but iam:* on '*'"
    ]


def test_wildcard_admin_passes_not_action_on_a_named_resource():
    resource = "arn:aws:s3:::aws-groundstation-noaa20-raw/*"
    assert check(ADMIN, "role-policy-not-action", "policy.Statement.0.Resource", resource) == []


def test_wildcard_admin_fires_on_star_with_not_resource():
    statement = {"Sid": "AllBut", "Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit/*"}
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == [
        "statement AllBut allows * on every resource but arn:aws:s3:::audit/*"
    ]


def test_wildcard_admin_passes_named_actions_with_not_resource():
    statement = {"Sid": "AllBut", "Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::a/*"}
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == []


def test_wildcard_admin_fires_on_a_role_with_administrator_access():
    assert check(ADMIN, "delivery-role", "managedPolicyArns", [ADMIN_ARN]) == [f"attaches {ADMIN_ARN}"]


def test_wildcard_admin_fires_on_iam_full_access_whose_holder_can_grant_itself_anything():
    arn = "arn:aws:iam::aws:policy/IAMFullAccess"
    assert check(ADMIN, "delivery-role", "managedPolicyArns", [arn]) == [f"attaches {arn}"]


def test_wildcard_admin_passes_a_role_with_a_scoped_managed_policy():
    arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    assert check(ADMIN, "delivery-role", "managedPolicyArns", [arn]) == []


ATTACHMENTS = {
    "attachment": Written(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "admin",
        {"role": "delivery", "policyArn": ADMIN_ARN},
        "groundlink attaches no managed policy",
    )
}


def _attachment(policy_arn: str) -> list[str]:
    return run(ADMIN, apply(resolve(ATTACHMENTS, "attachment"), "policyArn", policy_arn))


def test_wildcard_admin_fires_on_an_administrator_access_attachment():
    assert _attachment(ADMIN_ARN) == [f"attaches {ADMIN_ARN}"]


def test_wildcard_admin_passes_an_attachment_of_another_policy():
    assert _attachment("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess") == []


@pytest.mark.parametrize(
    "resource", ["arn:*", "arn:aws:*:*:*:*", "arn:*:*:*:*:*", ["arn:aws:s3:::a/*", "arn:aws:*:*:*:*"]]
)
def test_wildcard_admin_fires_on_an_arn_that_names_every_resource(resource):
    """'*' was the only spelling of every resource; an ARN of wildcards matches as much."""
    statement = {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": resource}
    shown = ", ".join(resource) if isinstance(resource, list) else resource
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == [
        f"statement All allows * on {shown} (every resource)"
    ]


@pytest.mark.parametrize("resource", ["arn:aws:s3:::*", "arn:aws:iam::*:role/*", "arn:aws:s3:::a*"])
def test_wildcard_admin_passes_an_arn_that_names_a_service_or_a_kind(resource):
    statement = {"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": resource}
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == []


def test_wildcard_admin_fires_on_not_action_with_not_resource():
    statement = {"Sid": "AllBut", "Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::audit/*"}
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == [
        "statement AllBut allows every action but iam:* on every resource but arn:aws:s3:::audit/*"
    ]


EXCLUSIVE = {
    "exclusive": Written(
        "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        "admin-exclusive",
        {"roleName": "delivery", "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
        "groundlink attaches no managed policy",
    )
}


def test_wildcard_admin_reads_the_exclusive_attachments_list():
    state = resolve(EXCLUSIVE, "exclusive")
    assert run(ADMIN, state) == []
    assert run(ADMIN, apply(state, "policyArns.1", ADMIN_ARN)) == [f"attaches {ADMIN_ARN}"]


# --- processing-function-writes-product-prefixes: action case and wildcards (C6) --------------

WRITES = "processing-function-writes-product-prefixes"
PUT = f"{ROLE_POLICY}/policy.Statement.3"


def _whole_bucket(actions: list[str]) -> tuple[str, str]:
    return (
        f"function {FUNCTION}: role policy {ROLE_POLICY} allows {actions} on all of {PRODUCTS_ARN}/*",
        ROLE_POLICY,
    )


@pytest.mark.parametrize("action", ["s3:Put*", "s3:putobject", "S3:PutObj?ct", "s3:Delete*"])
def test_writes_fire_on_whole_bucket_writes_however_spelled(action):
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{PUT}.Resource", f"{PRODUCTS_ARN}/*")
    assert run(WRITES, apply(state, f"{PUT}.Action", [action])) == [_whole_bucket([action])]


@pytest.mark.parametrize("action", ["s3:Put*", "s3:putobject"])
def test_writes_pass_the_same_actions_on_a_prefix(action):
    assert check(WRITES, "noaa20-aws", f"{PUT}.Action", [action]) == []


def test_writes_pass_a_read_action_on_the_whole_bucket():
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{PUT}.Resource", f"{PRODUCTS_ARN}/*")
    assert run(WRITES, apply(state, f"{PUT}.Action", ["s3:Get*"])) == []


def test_writes_fire_on_not_action():
    statement = {"Sid": "AllButIam", "Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}
    assert check(WRITES, "noaa20-aws", PUT, statement) == [
        (f"function {FUNCTION}: role policy {ROLE_POLICY} allows every action but ['iam:*'] on *", ROLE_POLICY)
    ]


@pytest.mark.parametrize(
    "resource",
    [
        f"{PRODUCTS_ARN}/**",
        "arn:aws-us-gov:s3:::noaa20-products-e57a8e42327e9da16734d898dd/*",
        "arn:*:s3:::noaa20-products-e57a8e42327e9da16734d898dd/*",
    ],
)
def test_writes_fire_on_a_whole_bucket_however_its_arn_is_spelt(resource):
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{PUT}.Resource", resource)
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role policy {ROLE_POLICY} allows ['s3:PutObject'] on all of {resource}", ROLE_POLICY)
    ]


def test_writes_fire_on_a_write_with_not_resource():
    statement = {"Sid": "Put", "Effect": "Allow", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::audit/*"}
    assert check(WRITES, "noaa20-aws", PUT, statement) == [
        (
            f"function {FUNCTION}: role policy {ROLE_POLICY} allows ['s3:PutObject'] on every resource but "
            "arn:aws:s3:::audit/*",
            ROLE_POLICY,
        )
    ]


WHOLE_BUCKET_PUT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": f"{PRODUCTS_ARN}/*"}],
}
ROLE = "noaa20-processing-role"


def _with(state: Any, *resources: tuple[str, str, dict[str, Any], dict[str, str | tuple[str, ...]]]) -> Any:
    """`state` with resources (type, name, inputs, {input: the name, or names, of the resources it
    takes outputs of}) added to its plan, as a program of one's own adds them."""
    import dataclasses

    from groundlink.engine import PlannedResource

    plan = state.plan
    urns = {r.name: r.urn for r in plan.resources}
    urns.update({name: f"urn:pulumi:{plan.stack}::{plan.project}::{kind}::{name}" for kind, name, _, _ in resources})
    extra = [
        PlannedResource(
            urns[name],
            kind,
            name,
            None,
            True,
            inputs,
            {**inputs, "arn": f"arn:aws:iam::123456789012:policy/{name}"},  # outputs echo inputs, as planned
            False,
            False,
            [urns[source] for sources in links.values() for source in _names(sources)],
            [],
            propertyDependencies={key: [urns[source] for source in _names(sources)] for key, sources in links.items()},
        )
        for kind, name, inputs, links in resources
    ]
    return dataclasses.replace(state, plan=dataclasses.replace(plan, resources=[*plan.resources, *extra]))


def test_writes_read_a_customer_policy_attached_to_the_role():
    role = "noaa20-processing-role-bafc0b0"
    state = _with(
        resolve(BASELINES, "noaa20-aws"),
        ("aws:iam/policy:Policy", "wide", {"policy": json.dumps(WHOLE_BUCKET_PUT)}, {}),  # as pulumi-aws takes it
        (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "wide-to-processing",
            {"role": role, "policyArn": "arn:aws:iam::123456789012:policy/wide"},
            {"role": ROLE, "policyArn": "wide"},
        ),
    )
    assert run(WRITES, state) == [
        (
            f"function {FUNCTION}: attached policy wide allows ['s3:PutObject'] on all of {PRODUCTS_ARN}/*",
            "wide-to-processing",
        )
    ]


def test_writes_read_the_one_policy_an_attachment_depends_on_when_its_arn_has_no_property_link():
    """A preview whose attachment's `policyArn` is not known yet and carries no property
    dependency for it (the program passed the ARN through an apply of its own): the attachment's
    only policy dependency is the policy it attaches."""
    import dataclasses

    state = _with(
        resolve(BASELINES, "noaa20-aws"),
        ("aws:iam/policy:Policy", "wide", {"policy": json.dumps(WHOLE_BUCKET_PUT)}, {}),
        (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "wide-to-processing",
            {"role": "noaa20-processing-role-bafc0b0", "policyArn": UNKNOWN},
            {"role": ROLE, "policyArn": "wide"},
        ),
    )
    resources = [
        dataclasses.replace(r, propertyDependencies={"role": r.propertyDependencies["role"]})
        if r.name == "wide-to-processing"
        else r
        for r in state.plan.resources
    ]
    state = dataclasses.replace(state, plan=dataclasses.replace(state.plan, resources=resources))
    assert run(WRITES, state) == [
        (
            f"function {FUNCTION}: attached policy wide allows ['s3:PutObject'] on all of {PRODUCTS_ARN}/*",
            "wide-to-processing",
        )
    ]


def _names(sources: str | tuple[str, ...]) -> tuple[str, ...]:
    return (sources,) if isinstance(sources, str) else sources


def test_writes_read_customer_policies_a_preview_does_not_know_by_the_attachments_dependencies():
    """On a first preview each policy's ARN is unknown: one exclusive attachment of two such
    policies names them only through its `policyArns` dependencies, and the wide one is found."""
    narrow = {**WHOLE_BUCKET_PUT, "Statement": [{**WHOLE_BUCKET_PUT["Statement"][0], "Effect": "Deny"}]}
    state = _with(
        resolve(BASELINES, "noaa20-aws"),
        ("aws:iam/policy:Policy", "wide", {"policy": json.dumps(WHOLE_BUCKET_PUT)}, {}),
        ("aws:iam/policy:Policy", "narrow", {"policy": json.dumps(narrow)}, {}),
        (
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "both-to-processing",
            {"roleName": "noaa20-processing-role-bafc0b0", "policyArns": [UNKNOWN, UNKNOWN]},
            {"roleName": ROLE, "policyArns": ("wide", "narrow")},
        ),
    )
    assert run(WRITES, state) == [
        (
            f"function {FUNCTION}: attached policy wide allows ['s3:PutObject'] on all of {PRODUCTS_ARN}/*",
            "both-to-processing",
        )
    ]


def test_writes_read_the_roles_inline_policies_and_its_managed_ones():
    state = apply(
        resolve(BASELINES, "noaa20-aws"), f"{ROLE}/inlinePolicies", [{"name": "wide", "policy": WHOLE_BUCKET_PUT}]
    )
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role {ROLE} inline policy allows ['s3:PutObject'] on all of {PRODUCTS_ARN}/*", ROLE)
    ]
    full = "arn:aws:iam::aws:policy/AmazonS3FullAccess"
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{ROLE}/managedPolicyArns", [full])
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role {ROLE} attaches {full}, which writes every bucket", ROLE)
    ]
    readonly = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    assert run(WRITES, apply(resolve(BASELINES, "noaa20-aws"), f"{ROLE}/managedPolicyArns", [readonly])) == []


def test_writes_read_aws_lambda_execute_as_writing_every_bucket():
    """AWSLambdaExecute, the classic execution policy, grants s3:PutObject on arn:aws:s3:::* (AWS
    Managed Policy Reference), and passed."""
    policy = "arn:aws:iam::aws:policy/AWSLambdaExecute"
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{ROLE}/managedPolicyArns", [policy])
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role {ROLE} attaches {policy}, which writes every bucket", ROLE)
    ]


@pytest.mark.parametrize("resource", [f"{PRODUCTS_ARN}/*/*", f"{PRODUCTS_ARN}/?*/x*", f"{PRODUCTS_ARN}*"])
def test_writes_fire_on_every_prefix_of_a_bucket(resource):
    """Every key with a '/' in it: every prefix, the raw contacts' included. A `*` in the bucket
    (`b*`, no `/`) matches across `/` as IAM reads it: every key of the bucket."""
    state = apply(resolve(BASELINES, "noaa20-aws"), f"{PUT}.Resource", resource)
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role policy {ROLE_POLICY} allows ['s3:PutObject'] on all of {resource}", ROLE_POLICY)
    ]


FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonS3FullAccess"


@pytest.mark.parametrize(
    ("kind", "inputs", "links"),
    [
        (
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            {"role": "noaa20-processing-role-bafc0b0", "policyArn": FULL_ACCESS},
            {"role": ROLE},
        ),
        (
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            {"roleName": "noaa20-processing-role-bafc0b0", "policyArns": [FULL_ACCESS]},
            {"roleName": ROLE},
        ),
        (
            "aws:iam/policyAttachment:PolicyAttachment",
            {"roles": ["noaa20-processing-role-bafc0b0"], "policyArn": FULL_ACCESS},
            {"roles": ROLE},
        ),
    ],
    ids=["attachment", "exclusive-attachments", "policy-attachment"],
)
def test_writes_read_an_aws_managed_policy_however_it_is_attached(kind, inputs, links):
    state = _with(resolve(BASELINES, "noaa20-aws"), (kind, "full", inputs, links))
    assert run(WRITES, state) == [
        (f"function {FUNCTION}: role {ROLE} attaches {FULL_ACCESS}, which writes every bucket", "full")
    ]


def test_an_arn_with_empty_fields_names_no_resource_at_all():
    statement = {"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "arn:aws:::"}
    assert check(ADMIN, "role-policy", "policy.Statement.0", statement) == []


# --- aws-iam-service-trust-conditions: a condition must pin a value (C8) ----------------------

TRUST_RULE = "aws-iam-service-trust-conditions"
TRUST = "assumeRolePolicy.Statement.0.Condition"
GS_TRUST = "trust for groundstation.amazonaws.com has no aws:SourceAccount/aws:SourceArn condition"


@pytest.mark.parametrize(
    "condition",
    [
        {"Null": {"aws:SourceAccount": "false"}},
        {"StringNotEquals": {"aws:SourceAccount": "111122223333"}},
        {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
        # every account's Ground Station resources: the confused deputy the condition is there to stop
        {"ArnLike": {"aws:SourceArn": "arn:aws:groundstation:*:*:*"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:groundstation:us-west-2:1234*:*"}},
        {"StringLike": {"aws:SourceAccount": "1234*"}},
        # an ARN without an account field (a bucket's) names no account: every bucket, and even
        # one bucket by name, which another account may hold once it is deleted ("you must use
        # both global condition context keys", AWS's "Cross-service confused deputy prevention")
        {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::aws-groundstation-noaa20-raw"}},
        {
            "ArnLike": {
                "aws:SourceArn": ["arn:aws:groundstation:us-west-2:123456789012:*", "arn:aws:groundstation:*:*:*"]
            }
        },
    ],
)
def test_trust_fires_on_a_condition_that_pins_no_value(condition):
    assert check(TRUST_RULE, "delivery-role", TRUST, condition) == [GS_TRUST]


@pytest.mark.parametrize(
    "condition",
    [
        {"stringequals": {"AWS:SourceAccount": "123456789012"}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:groundstation:us-west-2:123456789012:config/s3-recording/x"}},
        {"StringLike": {"aws:SourceArn": "arn:aws:groundstation:us-west-2:123456789012:*"}},
        # a bucket's ARN beside the account it must belong to
        {
            "ArnEquals": {"aws:SourceArn": "arn:aws:s3:::aws-groundstation-noaa20-raw"},
            "StringEquals": {"aws:SourceAccount": "123456789012"},
        },
    ],
)
def test_trust_passes_a_condition_that_pins_a_value(condition):
    assert check(TRUST_RULE, "delivery-role", TRUST, condition) == []


def test_no_public_allow_passes_not_principal_pinned_to_an_organization():
    statement = {k: v for k, v in PUBLIC_READ.items() if k != "Principal"}
    statement["NotPrincipal"] = {"AWS": "arn:aws:iam::123456789012:root"}
    statement["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", statement) == []
