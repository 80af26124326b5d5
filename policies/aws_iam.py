"""KMS keys and IAM: rotated keys with explicit policies, no wildcard grants,
and service trust guarded against the confused deputy."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .props import as_list, condition_keys, get, policy_statements, principals, service_principals
from .registry import resource_rule

# Condition keys that pin a service principal to this account or resource (AWS
# "cross-service confused deputy prevention"; docs/facts.md §2 for Ground Station).
CONFUSED_DEPUTY_KEYS = {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"}


@resource_rule(
    "aws-kms-key-rotation",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=T.KMS_KEY,
    controls=("CIS AWS 3.6", "CKV_AWS_7"),
    description="Every symmetric customer-managed KMS key rotates its key material yearly (or faster).",
    remediation="Set enable_key_rotation=True on aws.kms.Key (optionally rotation_period_in_days 90-2560).",
)
def kms_key_rotation(args: Any, report: Any) -> None:
    spec = get(args.props, "customerMasterKeySpec") or get(args.props, "keySpec") or "SYMMETRIC_DEFAULT"
    if spec == "SYMMETRIC_DEFAULT" and get(args.props, "enableKeyRotation") is not True:
        report("key rotation is off")


@resource_rule(
    "aws-kms-key-policy",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=T.KMS_KEY,
    controls=("CKV2_AWS_64", "CKV_AWS_33"),
    description="Every KMS key has an explicit key policy, and no statement allows a '*' principal unconditionally.",
    remediation="Pass policy= with statements naming the account root or specific roles; scope any service "
    "principal with aws:SourceAccount / kms:EncryptionContext conditions.",
)
def kms_key_policy(args: Any, report: Any) -> None:
    document = get(args.props, "policy")
    if document is None:
        report("no key policy: the default policy is applied implicitly")
        return
    for statement in policy_statements(document):
        if statement.get("Effect") == "Allow" and "*" in principals(statement) and not statement.get("Condition"):
            report(f"statement {statement.get('Sid') or '(no Sid)'} allows any principal")


def _documents(args: Any) -> list[Any]:
    """Identity policy documents a resource carries (inline role policies included)."""
    docs = [get(args.props, "policy")]
    docs += [get(p, "policy") for p in as_list(get(args.props, "inlinePolicies"))]
    return [d for d in docs if d is not None]


@resource_rule(
    "aws-iam-no-wildcard-admin",
    area="aws-iam",
    severity="critical",
    enforcement="mandatory",
    types=T.IAM_ROLE + T.IAM_POLICY_DOCS,
    controls=("IAM least privilege",),
    description="No IAM policy allows every action ('*' or '<service>:*') on every resource ('*').",
    remediation="Grant the specific actions the workload calls (e.g. s3:PutObject) on the specific ARNs it "
    "touches (bucket/prefix/*, key ARN).",
)
def no_wildcard_admin(args: Any, report: Any) -> None:
    for document in _documents(args):
        for statement in policy_statements(document):
            if statement.get("Effect") != "Allow" or "NotAction" in statement:
                continue
            actions = [str(a) for a in as_list(statement.get("Action"))]
            resources = [str(r) for r in as_list(statement.get("Resource"))]
            wild = [a for a in actions if a == "*" or a.endswith(":*")]
            if wild and "*" in resources:
                report(f"statement {statement.get('Sid') or '(no Sid)'} allows {', '.join(wild)} on '*'")


@resource_rule(
    "aws-iam-service-trust-conditions",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=T.IAM_ROLE,
    controls=("Confused-deputy prevention (aws:SourceAccount / aws:SourceArn)",),
    description="A role that a listed AWS service assumes pins it with aws:SourceAccount or aws:SourceArn.",
    remediation='Add to the trust statement Condition {"StringEquals": {"aws:SourceAccount": <account>}, '
    '"ArnLike": {"aws:SourceArn": "arn:aws:groundstation:<region>:<account>:config/s3-recording/*"}}.',
    config={
        "services": {
            "type": "array",
            "items": {"type": "string"},
            "default": ["groundstation.amazonaws.com"],
            "description": "Service principals whose trust must carry a confused-deputy condition.",
        }
    },
)
def service_trust_conditions(args: Any, report: Any) -> None:
    guarded = set(args.get_config().get("services", ["groundstation.amazonaws.com"]))
    for statement in policy_statements(get(args.props, "assumeRolePolicy")):
        if statement.get("Effect") != "Allow":
            continue
        services = sorted(set(service_principals(statement)) & guarded)
        if services and not condition_keys(statement) & CONFUSED_DEPUTY_KEYS:
            report(f"trust for {', '.join(services)} has no aws:SourceAccount/aws:SourceArn condition")
