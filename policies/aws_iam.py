"""KMS keys and IAM: rotated keys with explicit policies, no wildcard grants,
and service trust guarded against the confused deputy."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import tokens as T
from .aws_storage import PUBLIC_SCOPE_KEYS, public_allows
from .joins import of_type, second_writers, sides
from .program_inputs import inputs_of
from .props import (
    UNKNOWN,
    as_list,
    condition_keys,
    get,
    iam_glob,
    is_number,
    is_true,
    pinning,
    policy_statements,
    principals,
    service_principals,
    wildcard_actions,
)
from .registry import resource_rule, stack_rule

# Condition keys that pin a service principal to this account or resource (AWS
# "cross-service confused deputy prevention"; docs/facts.md §2 for Ground Station).
CONFUSED_DEPUTY_KEYS = {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"}
# An AWS Organizations id (botocore organizations OrganizationId pattern).
ORGANIZATION_ID = r"o-[a-z0-9]{10,32}"
# Operators that pin a key to a value (Null, negated and ...IfExists operators do not).
# An Allow to "*" in a key policy is scoped by fixed values of these (the S3 list, plus the
# kms:CallerAccount that AWS-managed key policies pin).
KMS_SCOPE_KEYS = PUBLIC_SCOPE_KEYS | {"kms:calleraccount"}
POLICY_ATTACHMENTS = (
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
)
# AWS-managed policies that make their holder an administrator: AdministratorAccess ('*' on '*'),
# and IAMFullAccess ('iam:*' on '*'), whose holder can grant itself any other policy.
ADMIN_POLICY = re.compile(r"arn:aws[a-z-]*:iam::aws:policy/(AdministratorAccess|IAMFullAccess)")
# A key in a custom key store (CloudHSM, or an external one), which KMS does not rotate.
CUSTOM_KEY_STORE = ("customKeyStoreId", "xksKeyId")
IAM = "iam"  # the service whose every action on every resource makes an administrator (IAMFullAccess)
# The rule's "yearly": KMS's own period when rotation_period_in_days is unset (it takes 90-2560).
YEARLY_DAYS = 365


@resource_rule(
    "aws-kms-key-rotation",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=T.KMS_KEY,
    controls=("CIS AWS 3.6", "CKV_AWS_7"),
    description="Every symmetric customer-managed KMS key rotates its key material yearly (or faster); a key in "
    "a custom key store, which KMS cannot rotate, is not judged.",
    remediation="Set enable_key_rotation=True on aws.kms.Key (rotation_period_in_days, if set, 90-365: "
    "KMS takes up to 2560, less often than yearly).",
)
def kms_key_rotation(args: Any, report: Any) -> None:
    spec = get(args.props, "customerMasterKeySpec", default="SYMMETRIC_DEFAULT")  # pulumi-aws's name for KeySpec
    rotation = get(args.props, "enableKeyRotation")
    if spec != "SYMMETRIC_DEFAULT":  # an asymmetric or HMAC key, or one not known yet
        return
    # "You cannot enable automatic rotation of ... KMS keys in a custom key store" (KMS API
    # reference, EnableKeyRotation): a CloudHSM or an external key store's key (or one that may be)
    stores = [get(args.props, key) for key in CUSTOM_KEY_STORE]
    if UNKNOWN in stores or any(stores):
        return
    if not is_true(rotation) and rotation is not UNKNOWN:
        report("key rotation is off (enableKeyRotation is not true)")
    period = get(args.props, "rotationPeriodInDays")  # unset: KMS rotates every 365 days
    if is_number(period) and period > YEARLY_DAYS:
        report(f"key material rotates every {period:g} days, less often than yearly (rotationPeriodInDays over 365)")


KEY_REFERENCES = ("id", "keyId", "arn")  # what a KeyPolicy's keyId may hold of its key
ONE_KEY_POLICY = (("key policy", T.KMS_KEY_POLICY, ("policy",)),)  # the key's own input writes it too


def _absent(document: Any) -> bool:
    """No key policy given: unset, or empty text (the provider leaves the key its default policy)."""
    return document is None or (isinstance(document, str) and not document.strip())


def _own_policy(key: Any) -> Any:
    """The key's own policy as the program gave it: a key's `policy` output is KMS's default
    policy read back where the program gave none ("If a key policy is not specified, AWS gives
    the KMS key a default key policy", pulumi-aws kms.Key), so a key left without one was judged
    as having one at `pulumi up`. Its outputs only where no Analyze of the stack saw its inputs."""
    inputs = inputs_of(key)
    return get(inputs, "policy") if inputs is not None else get(key.props, "policy")


@stack_rule(
    "aws-kms-key-policy",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    controls=("CKV2_AWS_64", "CKV_AWS_33"),
    description="Every KMS key (replica and imported-material keys included) has one explicit key policy, on the "
    "key or in an aws.kms.KeyPolicy (not both, nor two KeyPolicy resources), and no statement allows a '*' "
    "principal unconditionally.",
    remediation="Pass policy= with statements naming the account root or specific roles; scope any service "
    "principal with aws:SourceAccount / kms:EncryptionContext conditions.",
)
def kms_key_policy(args: Any, report: Any) -> None:
    """A KeyPolicy replaces its key's policy (PutKeyPolicy), so a key is judged with the key
    policies that name it: the key's own policy may be left out for one, and an open statement
    in one opens the key whatever the key's own says. A KeyPolicy of a key outside the stack
    is judged on its own."""
    judged: set[str] = set()
    twice = {
        key.urn: found
        for key, found in second_writers(
            args.resources, T.KMS_KEYS_OF_THE_STACK, ONE_KEY_POLICY, "keyId", KEY_REFERENCES
        )
    }
    # a replica key and a key of imported material take a policy of their own, as a Key does
    for key in of_type(args.resources, T.KMS_KEYS_OF_THE_STACK):
        if key.urn in twice:
            report(
                f"the key has {twice[key.urn]}: KMS keeps one policy per key, each write replaces the other's, and "
                "which stays depends on the order they are applied",
                key.urn,
            )
        separate = sides(args.resources, T.KMS_KEY_POLICY, "keyId", key, KEY_REFERENCES)
        judged.update(p.urn for p in separate)
        documents = [(key, _own_policy(key)), *((p, get(p.props, "policy")) for p in separate)]
        present = [(resource, document) for resource, document in documents if not _absent(document)]
        if not present:
            report("no key policy: the default policy is applied implicitly", key.urn)
        for resource, document in present:
            _report_public(document, resource.urn, report)
    for policy in of_type(args.resources, T.KMS_KEY_POLICY):
        if policy.urn in judged:
            continue
        document = get(policy.props, "policy")
        if _absent(document):
            report("no key policy: the default policy is applied implicitly", policy.urn)
        else:
            _report_public(document, policy.urn, report)


def _report_public(document: Any, urn: str, report: Any) -> None:
    for statement, whom in public_allows(document, KMS_SCOPE_KEYS):
        suffix = "" if whom == "every principal" else " but its NotPrincipal"
        report(f"statement {statement.get('Sid') or '(no Sid)'} allows any principal{suffix}", urn)


def every_resource(resources: list[str]) -> bool:
    """'*', or an ARN whose every field after the partition is a wildcard ('arn:*',
    'arn:aws:*:*:*:*'): each matches every resource there is."""
    for resource in resources:
        fields = resource.split(":")
        if resource == "*" or (fields[0] == "arn" and all(f and set(f) <= {"*", "?"} for f in fields[2:])):
            return True
    return False


def every_iam_resource(resources: list[str]) -> list[str]:
    """The resources that match every IAM resource of an account ('arn:aws:iam::*:*'): an ARN of
    IAM (or of any service) with no region (IAM's ARNs have none: one naming a region, or `?`, one
    character, matches none of them) and a resource part all wildcards, whatever its account field:
    IAM actions reach the caller's own account, so one named account is that account's IAM whole."""
    return [
        resource
        for resource in resources
        if len(fields := resource.split(":")) >= 6
        and fields[0] == "arn"
        and iam_glob(fields[2], IAM)
        and set(fields[3]) <= {"*"}
        and all(fields[5:])
        and set(":".join(fields[5:])) <= {"*", "?"}
    ]


def _reaches_iam(action: str) -> bool:
    """Whether an action pattern names IAM's actions: '*', 'iam:...', 'i?m:*'."""
    return ":" not in action or iam_glob(action.split(":", 1)[0], IAM, ignore_case=True)


def _covers_iam(action: str) -> bool:
    """Whether an action pattern names every IAM action ('*', 'iam:*', 'i?m:*'): a NotAction that
    leaves out fewer (iam:GetRole) still allows the rest, PutRolePolicy and AttachRolePolicy among them."""
    part = action.rsplit(":", 1)[-1]
    return _reaches_iam(action) and "*" in part and set(part) <= {"*", "?"}


IAM_ADMIN = "every IAM resource: it can grant itself any policy"


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
    types=T.IAM_ROLE + T.IAM_POLICY_DOCS + POLICY_ATTACHMENTS,
    controls=("CIS AWS 1.16", "IAM least privilege"),
    description="No IAM policy allows every action ('*', '<service>:*', the same with '?', or NotAction) on every resource ('*' or "
    "NotResource; for IAM's actions, every IAM resource of an account too, 'arn:aws:iam::*:*'), and no role or attachment "
    "grants the AWS-managed AdministratorAccess or IAMFullAccess policy.",
    remediation="Grant the specific actions the workload calls (e.g. s3:PutObject) on the specific ARNs it "
    "touches (bucket/prefix/*, key ARN).",
)
def no_wildcard_admin(args: Any, report: Any) -> None:
    arns = [*as_list(get(args.props, "managedPolicyArns")), get(args.props, "policyArn")]
    for arn in [*arns, *as_list(get(args.props, "policyArns"))]:
        if isinstance(arn, str) and ADMIN_POLICY.fullmatch(arn):
            report(f"attaches {arn}")
    for document in _documents(args):
        for statement in policy_statements(document):
            if statement.get("Effect") != "Allow":
                continue
            sid = statement.get("Sid") or "(no Sid)"
            resources = [str(r) for r in as_list(statement.get("Resource"))]
            everywhere = every_resource(resources)
            shown = "'*'" if "*" in resources or not everywhere else f"{', '.join(resources)} (every resource)"
            # every IAM action on every IAM resource is IAMFullAccess written out: its holder can
            # grant itself any policy (another service's wildcard on all of that service is broad,
            # not admin)
            iam_wide = every_iam_resource(resources)
            if "NotAction" in statement:
                excluded = [str(a) for a in as_list(statement.get("NotAction"))]
                not_actions = ", ".join(excluded)
                if everywhere:
                    report(f"statement {sid} allows every action but {not_actions} on {shown}")
                elif iam_wide and not any(_covers_iam(a) for a in excluded):
                    report(
                        f"statement {sid} allows every action but {not_actions} on {', '.join(iam_wide)} ({IAM_ADMIN})"
                    )
                elif "NotResource" in statement:
                    not_resources = ", ".join(map(str, as_list(statement.get("NotResource"))))
                    report(
                        f"statement {sid} allows every action but {not_actions} on every resource but {not_resources}"
                    )
                elif (reach := _any_principal_s_policies(resources)) and (
                    granting := [
                        a for a in SELF_GRANTING_ACTIONS if not any(iam_glob(x, a, ignore_case=True) for x in excluded)
                    ]
                ):
                    report(
                        f"statement {sid} allows every action but {not_actions} on {', '.join(reach)}, "
                        f"{', '.join(granting[:2])} among them: its holder can grant itself any policy (privilege "
                        "escalation)"
                    )
                continue
            wild = wildcard_actions([str(a) for a in as_list(statement.get("Action"))])
            wild_iam = [action for action in wild if _reaches_iam(action)]
            if wild and everywhere:
                report(f"statement {sid} allows {', '.join(wild)} on {shown}")
            elif wild_iam and iam_wide:
                report(f"statement {sid} allows {', '.join(wild_iam)} on {', '.join(iam_wide)} ({IAM_ADMIN})")
            elif wild and "NotResource" in statement:
                not_resources = ", ".join(map(str, as_list(statement.get("NotResource"))))
                report(f"statement {sid} allows {', '.join(wild)} on every resource but {not_resources}")
            elif (granting := _self_granting(statement)) and (
                reach := _any_principal_s_policies(resources)
                or (
                    ["every resource but " + ", ".join(map(str, as_list(statement.get("NotResource"))))]
                    if "NotResource" in statement
                    else []
                )
            ):
                report(
                    f"statement {sid} allows {', '.join(granting)} on {', '.join(reach)}: its holder can grant "
                    "itself any policy (privilege escalation)"
                )


# The IAM actions by which a principal grants itself more: a policy attached or written onto a role,
# user or group, a managed policy's new default version, a role's trust rewritten, a user added to a
# group that holds more (Rhino Security Labs, "AWS IAM Privilege Escalation - Methods and
# Mitigation"; the IAM actions of the Service Authorization Reference). With IAMFullAccess and AdministratorAccess refused, iam:AttachRolePolicy
# and iam:PutRolePolicy on '*', or iam:Put* on every role, passed: the same power one step away.
SELF_GRANTING_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:PutRolePolicy",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutGroupPolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:AddUserToGroup",
)
# The IAM resource types those actions act on (arn:aws:iam::<account>:<type>/<path and name>).
_GRANTED_TYPES = ("role/", "user/", "group/", "policy/")


def _self_granting(statement: Any) -> list[str]:
    """The statement's action patterns that match a self-granting IAM action ('iam:Put*', 'iam:*',
    'iam:AttachRolePolicy'), as IAM matches action names: ignoring case."""
    patterns = [str(a) for a in as_list(statement.get("Action"))]
    return [p for p in patterns if any(iam_glob(p, action, ignore_case=True) for action in SELF_GRANTING_ACTIONS)]


def _any_principal_s_policies(resources: list[str]) -> list[str]:
    """The resources that reach roles, users, groups or policies not named one by one: '*', or an
    IAM ARN whose name part holds a wildcard ('arn:aws:iam::123456789012:role/*'). One named role
    is that role's owner's to grant (it may well be another workload's)."""
    found = []
    for resource in resources:
        fields = resource.split(":", 5)
        if resource == "*":
            found.append(resource)
        elif len(fields) == 6 and fields[0] == "arn" and iam_glob(fields[2], IAM) and set(fields[3]) <= {"*"}:
            # (an IAM ARN has no region: one that names a region, or `?`, matches no IAM resource)
            name = fields[5]
            if set(name) & {"*", "?"} and (
                name.startswith(_GRANTED_TYPES) or any(iam_glob(name, t + "x") for t in _GRANTED_TYPES)
            ):
                found.append(resource)
    return found


def pins_source(statement: Any) -> bool:
    """aws:SourceAccount/aws:SourceArn/... compared to a value (StringEquals, ArnLike...), not
    merely required present (Null) or excluded (StringNotEquals)."""
    condition = statement.get("Condition")
    if not hasattr(condition, "items"):
        return False
    return any(
        pinning(operator)
        and hasattr(block, "items")
        and any(
            str(key).lower() in CONFUSED_DEPUTY_KEYS
            and (value is UNKNOWN or all(v is UNKNOWN or pins(str(key).lower(), str(v)) for v in as_list(value)))
            for key, value in block.items()
        )
        for operator, block in condition.items()
    )


def pins(key: str, value: str) -> bool:
    """`value` of condition key `key` names one caller: an account with no wildcard in it, an ARN
    whose account field is there and has none ('arn:aws:groundstation:*:*:*' matches every
    account's resources, the confused deputy the condition is there to stop; an S3 bucket's ARN
    has no account field, and pins only beside aws:SourceAccount), a whole organization id, or
    an organization path that begins with one ('o-*' matches every organization, and anyone can
    make one)."""
    if "${" in value:  # a policy variable: compared with the caller's own value, it matches every caller
        return False
    if key == "aws:sourcearn":
        fields = value.split(":", 5)
        if len(fields) < 6:
            return False
        # an ARN with no account field (an S3 bucket's) names no account: bucket names are global,
        # and another account may make one the pattern matches ("If the aws:SourceArn value does
        # not contain the account ID, such as an Amazon S3 bucket ARN, you must use both global
        # condition context keys", AWS Batch User Guide, "Cross-service confused deputy prevention",
        # as each service's page of that name says it)
        return bool(fields[4]) and not set(fields[4]) & {"*", "?"}
    if key == "aws:sourceaccount":
        return bool(value) and not set(value) & {"*", "?"}
    if key in ("aws:sourceorgid", "aws:sourceorgpaths"):
        return re.fullmatch(ORGANIZATION_ID, value.split("/", 1)[0]) is not None
    return bool(value.strip("*?"))


# Condition keys whose fixed values pin who assumes a role open to every principal: the caller's
# account, organization or ARN, or the service's source (IAM User Guide, "AWS global condition
# context keys"). sts:ExternalId is not one: anyone who learns it may pass it.
TRUST_SCOPE_KEYS = frozenset(
    {
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:userid",
    }
)


@resource_rule(
    "aws-iam-trust-not-public",
    area="aws-iam",
    severity="critical",
    enforcement="mandatory",
    types=T.IAM_ROLE,
    controls=("IAM least privilege", "IAM Access Analyzer: roles shared publicly"),
    description="No role's trust policy lets every principal ('*', {'AWS': '*'}, or everyone but a NotPrincipal) "
    "assume it, unless a condition pins the caller to fixed values (aws:PrincipalAccount, aws:PrincipalOrgID, "
    "aws:PrincipalArn...), nor every identity of a web identity or OIDC provider (Google, Cognito, GitHub...) "
    "without a condition pinning its token's audience or subject (a GitHub workflow's subject: its audience is "
    "every repository's).",
    remediation="Name the accounts, roles or services that assume the role in Principal, or pin '*' with "
    'Condition {"StringEquals": {"aws:PrincipalOrgID": "o-..."}}.',
)
def trust_not_public(args: Any, report: Any) -> None:
    for statement in policy_statements(get(args.props, "assumeRolePolicy")):
        if statement.get("Effect") != "Allow" or pins_caller(statement):
            continue
        sid = statement.get("Sid") or "(no Sid)"
        if "NotPrincipal" in statement:
            whom = "every principal but its NotPrincipal"
        elif "*" in principals(statement):
            whom = "every principal"
        else:
            for provider, keys in _unpinned_federation(statement):
                report(
                    f"trust statement {sid} lets every identity of {provider} assume the role: no condition pins "
                    f"{' or '.join(keys)} to the mission's own"
                )
            continue
        report(f"trust statement {sid} lets {whom} assume the role")


# What pins a federated principal to one application or workload: its token's audience or
# subject compared with fixed values (IAM User Guide, "Available keys for AWS web identity
# federation" and "Creating a role for web identity or OpenID Connect federation"; GitHub's
# "Configuring OpenID Connect in Amazon Web Services": every workflow's token has the audience
# sts.amazonaws.com, so only its subject tells repositories apart). Without it, every user of
# Google, of any Cognito identity pool or of every GitHub repository may assume the role.
FEDERATION_KEYS = {
    "cognito-identity.amazonaws.com": ("cognito-identity.amazonaws.com:aud",),
    "accounts.google.com": ("accounts.google.com:aud", "accounts.google.com:sub"),
    "graph.facebook.com": ("graph.facebook.com:app_id",),
    "www.amazon.com": ("www.amazon.com:app_id",),
    "token.actions.githubusercontent.com": ("token.actions.githubusercontent.com:sub",),
}


def _unpinned_federation(statement: Any) -> list[tuple[str, tuple[str, ...]]]:
    """(provider, the keys that would pin it) of each web identity or OIDC provider the statement
    trusts without a pinning condition on one of them. A SAML provider is the account's own
    (saml-provider/...): its users are the account's, and it is left out."""
    principal = statement.get("Principal")
    federated = as_list(principal.get("Federated")) if isinstance(principal, Mapping) else []
    found = []
    for value in federated:
        if value is UNKNOWN or "saml-provider/" in str(value):
            continue
        host = str(value).split("oidc-provider/", 1)[-1]
        keys = FEDERATION_KEYS.get(host, (f"{host}:aud", f"{host}:sub"))
        if not _pins_any(statement, keys):
            found.append((host, keys))
    return found


def _pins_any(statement: Any, keys: tuple[str, ...]) -> bool:
    """A condition compares one of `keys` (in any case) with values none of which is all wildcards."""
    condition = statement.get("Condition")
    if not hasattr(condition, "items"):
        return False
    wanted = {key.lower() for key in keys}
    return any(
        pinning(operator)
        and hasattr(block, "items")
        and any(
            str(key).lower() in wanted
            and all(v is UNKNOWN or _pins_identity(str(key).lower(), str(v)) for v in as_list(value))
            for key, value in block.items()
        )
        for operator, block in condition.items()
    )


# A GitHub Actions subject names its repository first (repo:OWNER/REPO:ref:..., :environment:...,
# :pull_request): with the owner fixed, a wildcard after it stays within that owner's repositories.
_GITHUB_SUBJECT = re.compile(r"repo:[^*?/:]+/.*", re.IGNORECASE)


def _pins_identity(key: str, value: str) -> bool:
    """A federated token's value that names the mission's own: a GitHub subject whose owner holds no
    wildcard ('repo:*' and '*:*' are every repository's), any other audience or subject with no
    wildcard at all (an identity pool id 'us-east-1:*' is every pool of the region)."""
    if key == "token.actions.githubusercontent.com:sub":
        return _GITHUB_SUBJECT.fullmatch(value) is not None
    return bool(value) and not set(value) & {"*", "?"}


def account_of(arn: Any) -> str | None:
    """The account field of an IAM ARN, or of a bare account id; None when not known or not one."""
    if not isinstance(arn, str) or arn is UNKNOWN:
        return None
    if re.fullmatch(r"\d{12}", arn):
        return arn
    fields = arn.split(":")
    return fields[4] if len(fields) >= 6 and fields[0] == "arn" and re.fullmatch(r"\d{12}", fields[4]) else None


@stack_rule(
    "aws-iam-cross-account-trust-external-id",
    area="aws-iam",
    severity="medium",
    enforcement="advisory",
    controls=("IAM User Guide: access to AWS accounts owned by third parties (sts:ExternalId)",),
    description="A role another AWS account may assume requires the sts:ExternalId agreed with that account, the "
    "guard against a confused deputy on the third party's side. Advisory: the spec takes a partner without one "
    "(and the plan warns). Judged where the role's own ARN is known (its account is the stack's).",
    remediation="Set ground_segment.partner.aws_external_id to the value agreed with the partner (or add "
    'Condition {"StringEquals": {"sts:ExternalId": "<agreed value>"}} to the statement).',
)
def cross_account_trust_external_id(args: Any, report: Any) -> None:
    for role in of_type(args.resources, T.IAM_ROLE):
        own = account_of(get(role.props, "arn"))
        if own is None:  # the role's own account not known yet (a first preview): judged at up
            continue
        for statement in policy_statements(get(role.props, "assumeRolePolicy")):
            if statement.get("Effect") != "Allow" or "sts:externalid" in condition_keys(statement):
                continue
            principal = statement.get("Principal")
            named = as_list(principal.get("AWS")) if isinstance(principal, Mapping) else []
            others = sorted({a for a in map(account_of, named) if a is not None and a != own})
            if others:
                sid = statement.get("Sid") or "(no Sid)"
                report(
                    f"trust statement {sid} of role {role.name} lets account {', '.join(others)} assume it without an "
                    "sts:ExternalId",
                    role.urn,
                )


# Each caller key read as the confused-deputy key of the same kind (`_pins`): an account, an ARN,
# an organization id or path.
_CALLER_AS_SOURCE = {
    "aws:principalaccount": "aws:sourceaccount",
    "aws:principalarn": "aws:sourcearn",
    "aws:principalorgid": "aws:sourceorgid",
    "aws:principalorgpaths": "aws:sourceorgpaths",
}


def _names_one_caller(kind: str, value: str) -> bool:
    """`_pins` for the caller keys; an aws:userid names one caller by its unique id, the part
    before any ':' (a role's `AROA...:<session>`): with a wildcard there (`*:alice`, `AROA*`) it
    matches a session of every role, in every account."""
    if kind == "aws:userid":
        head = value.split(":", 1)[0]
        return bool(head) and "${" not in value and not set(head) & {"*", "?"}
    return pins(kind, value)


def pins_caller(statement: Any) -> bool:
    """A condition that pins who assumes the role: a key of TRUST_SCOPE_KEYS compared (StringEquals,
    StringLike, ArnLike..., or their ForAnyValue: form, which the multivalued org paths take) with
    values that each name one caller: an account with no wildcard, an ARN whose account field has
    none, an organization path that begins with a whole organization id (`o-.../r-.../ou-.../*`)."""
    condition = statement.get("Condition")
    if not hasattr(condition, "items"):
        return False
    for operator, block in condition.items():
        if not pinning(operator) or not hasattr(block, "items"):
            continue
        for key, value in block.items():
            name = str(key).lower()
            if name not in TRUST_SCOPE_KEYS:
                continue
            kind = _CALLER_AS_SOURCE.get(name, name)
            if value is UNKNOWN or all(v is UNKNOWN or _names_one_caller(kind, str(v)) for v in as_list(value)):
                return True
    return False


# The service principals whose role trust the rule requires a confused-deputy condition of by
# default: AWS Ground Station's user guide gives the delivery role's trust with aws:SourceAccount
# and aws:SourceArn. Every other role the stacks create is passed to its service by its creator
# (iam:PassRole, which cannot pass a role to another account's resource), so a missing condition
# there lets no other account in, and the rule would report the roles of a user's own stack
# beside groundlink's for nothing; a pack config may name more. The service principals granted
# in resource policies are judged by aws-resource-policy-service-scoped, whatever the service.
GUARDED_SERVICES = ("groundstation.amazonaws.com",)


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
            "items": {"type": "string", "minLength": 1},
            "default": list(GUARDED_SERVICES),
            "description": "Service principals whose trust must carry a confused-deputy condition.",
        }
    },
)
def service_trust_conditions(args: Any, report: Any) -> None:
    guarded = set(args.get_config().get("services", GUARDED_SERVICES))
    for statement in policy_statements(get(args.props, "assumeRolePolicy")):
        if statement.get("Effect") != "Allow":
            continue
        services = sorted(set(service_principals(statement)) & guarded)
        if services and not pins_source(statement):
            report(f"trust for {', '.join(services)} has no aws:SourceAccount/aws:SourceArn condition")
