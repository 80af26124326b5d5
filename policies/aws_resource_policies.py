"""AWS resource policies (bucket, queue, topic and key policies, and those of streams, the catalog,
logs, event buses, secrets and repositories): an AWS service they grant to acts for this account
only, none is open to every principal (buckets', queues' and topics' are aws_storage's and
aws_messaging's), and a grant to another account is reported.

A service principal in a resource policy is every account's use of that service: EventBridge
sending to a queue may be any account's rule, S3 log delivery any account's bucket. AWS
recommends aws:SourceArn / aws:SourceAccount in resource policies that grant to a service (IAM
User Guide, "The confused deputy problem"; on a KMS key policy also the encryption context, as
CloudWatch Logs' `kms:EncryptionContext:aws:logs:arn`). A principal of another account is what
IAM Access Analyzer reports as access from outside the zone of trust (IAM User Guide, "Using AWS
Identity and Access Management Access Analyzer")."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from . import tokens as T
from .aws_iam import account_of, pins, pins_caller, pins_source
from .aws_storage import actions_text, public_allow_lines
from .joins import of_type
from .props import UNKNOWN, as_list, get, pinning, policy_document, policy_statements, service_principals
from .registry import resource_rule, stack_rule

# KMS condition keys that confine a service's use of a key to this account's callers or
# resources: an encryption context (its key names the resource, as `kms:EncryptionContext:
# aws:logs:arn`), the service the call comes through, the caller's account (AWS KMS Developer
# Guide, "AWS KMS condition keys").
_KMS_SCOPE = ("kms:viaservice", "kms:calleraccount")
_KMS_CONTEXT = "kms:encryptioncontext:"


def _kms_pins(statement: Mapping[str, Any]) -> bool:
    """The statement's Condition confines it with a KMS key of _KMS_SCOPE or an encryption context,
    compared to values that name this account's resources (an ARN without a wildcard account) or
    fixed literals."""
    condition = statement.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    for operator, block in condition.items():
        if not pinning(operator) or not isinstance(block, Mapping):
            continue
        for key, value in block.items():
            name = str(key).lower()
            if not (name.startswith(_KMS_CONTEXT) or name in _KMS_SCOPE):
                continue
            values = [UNKNOWN] if value is UNKNOWN else as_list(value)
            if values and all(v is UNKNOWN or _names_this_account(str(v)) for v in values):
                return True
    return False


# Every kind of resource policy the rules read: it names who may use its resource.
_POLICY_KINDS = (
    T.S3_POLICY
    + T.S3_BUCKET
    + T.SQS_QUEUE_POLICY
    + T.SQS_QUEUE
    + T.SNS_TOPIC_POLICY
    + T.SNS_TOPIC
    + T.KMS_KEYS_OF_THE_STACK
    + T.KMS_KEY_POLICY
    + T.OTHER_RESOURCE_POLICIES
)


def _names_this_account(value: str) -> bool:
    if value.startswith("arn:"):
        return pins("aws:sourcearn", value)
    return bool(value) and "${" not in value and not set(value) & {"*", "?"}


@resource_rule(
    "aws-resource-policy-service-scoped",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=_POLICY_KINDS,
    controls=("Confused-deputy prevention (aws:SourceAccount / aws:SourceArn)",),
    description="A bucket, queue, topic, key or other resource policy (a stream's, the catalog's, CloudWatch Logs', "
    "an event bus', a secret's, a repository's) that allows an AWS service confines it to this account with "
    "aws:SourceAccount, aws:SourceArn or aws:SourceOrgID (on a key policy also an encryption context, kms:ViaService "
    "or kms:CallerAccount).",
    remediation='Add to the statement Condition {"StringEquals": {"aws:SourceAccount": <account>}} and, where the '
    'service sends it, {"ArnLike": {"aws:SourceArn": <the rule, alarm or bucket ARN>}}.',
)
def service_scoped(args: Any, report: Any) -> None:
    is_key = T.is_type(args.resource_type, T.KMS_KEYS_OF_THE_STACK + T.KMS_KEY_POLICY)
    for statement in policy_statements(policy_document(args.props)):
        if statement.get("Effect") != "Allow":
            continue
        services = service_principals(statement)
        if services and not pins_source(statement) and not (is_key and _kms_pins(statement)):
            sid = statement.get("Sid") or "(no Sid)"
            report(
                f"statement {sid} allows {', '.join(services)} with no aws:SourceAccount/aws:SourceArn condition: "
                "any account's use of the service is let in"
            )


@resource_rule(
    "aws-resource-policy-no-public-allow",
    area="aws-iam",
    severity="critical",
    enforcement="mandatory",
    types=T.OTHER_RESOURCE_POLICIES + T.EVENT_PERMISSION,
    controls=("IAM Access Analyzer: resources shared outside the zone of trust",),
    description="No resource policy of a Kinesis stream, the Glue catalog, CloudWatch Logs, an EventBridge bus, a "
    "secret or an ECR repository allows an action to every principal unless a condition pins it to fixed values "
    "(buckets, queues and topics have rules of their own).",
    remediation="Name the principals (account, role or service) in Allow statements instead of '*' or NotPrincipal, "
    "or add a condition that pins them to fixed values (StringEquals aws:SourceAccount, aws:PrincipalOrgID...).",
)
def no_public_allow(args: Any, report: Any) -> None:
    if T.is_type(args.resource_type, T.EVENT_PERMISSION):
        if get(args.props, "principal") == "*" and get(args.props, "condition") is None:
            report("lets every AWS account put events on the bus (principal '*', no condition)")
        return
    for line in open_grants(policy_document(args.props)):
        report(line)


def open_grants(document: Any) -> list[str]:
    """The lines a rule reports for the Allow statements of `document` open to every principal: those
    that no condition confines to fixed values (S3's meaning of public), to one caller (an account,
    a role, an organization or its path, as a role's trust is confined) or to this account's use of
    a service."""
    return public_allow_lines(document, lambda statement: pins_caller(statement) or pins_source(statement))


# An EventTarget's `arn` is its target's, which may be another account's bus, not its own.
_ARN_NOT_OWN = ("aws:cloudwatch/eventTarget:EventTarget",)


def _stack_accounts(resources: list[Any]) -> set[str]:
    """The accounts the stack's resources live in, read from their own ARNs (none on a first
    preview)."""
    found = {account_of(get(r.props, "arn")) for r in resources if not T.is_type(r.resource_type, _ARN_NOT_OWN)}
    return {account for account in found if account is not None}


def _with_stack_accounts(args: Any, kinds: tuple[str, ...]) -> Iterator[tuple[Any, set[str]]]:
    """Each resource of `kinds` with the accounts the stack lives in; none on a first preview, when
    no resource's account is known yet and a grant or a destination cannot be told from the
    stack's own."""
    own = _stack_accounts(args.resources)
    if own:
        for resource in of_type(args.resources, kinds):
            yield resource, own


def _foreign_grants(resource: Any, own: set[str]) -> list[str]:
    """What `resource` lets principals of an account outside `own` do, one line per grant."""
    if T.is_type(resource.resource_type, T.LAMBDA_PERMISSIONS + T.EVENT_PERMISSION):
        named = [get(resource.props, "principal"), get(resource.props, "sourceAccount")]
        others = sorted({a for a in map(account_of, named) if a is not None and a not in own})
        action = get(resource.props, "action") or "events:PutEvents"  # an EventPermission's default action
        return [f"lets account {', '.join(others)} {action}"] if others else []
    lines = []
    for statement in policy_statements(policy_document(resource.props)):
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow" or not isinstance(principal, Mapping):
            continue
        others = sorted({a for a in map(account_of, as_list(principal.get("AWS"))) if a is not None and a not in own})
        if others:
            sid = statement.get("Sid") or "(no Sid)"
            lines.append(f"statement {sid} lets account {', '.join(others)} {actions_text(statement)}")
    return lines


@stack_rule(
    "aws-resource-policy-no-other-account",
    area="aws-iam",
    severity="medium",
    enforcement="advisory",
    controls=("IAM Access Analyzer: resources shared outside the zone of trust",),
    description="No bucket, queue, topic, key or other resource policy, and no Lambda permission, lets a principal of "
    "an AWS account none of the stack's resources live in use the resource. Advisory: sharing can be meant; "
    "groundlink's partner delivers through a role in the stack's own account. Judged where the stack's ARNs are "
    "known (at pulumi up, not on a first preview).",
    remediation="Grant the other account's access through a role in this account that it assumes with an "
    "sts:ExternalId (as ground_segment.partner does), or remove the statement.",
)
def no_other_account(args: Any, report: Any) -> None:
    for resource, own in _with_stack_accounts(args, _POLICY_KINDS + T.LAMBDA_PERMISSIONS + T.EVENT_PERMISSION):
        for line in _foreign_grants(resource, own):
            report(f"{resource.name}: {line}", resource.urn)


# Resources that send a mission's data on: each names its destination by an ARN (or, for S3
# replication, an account), whose account field says whose it is.
_LOG_SUBSCRIPTION = ("aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",)
_EVENT_TARGET = _ARN_NOT_OWN
_TOPIC_SUBSCRIPTION = ("aws:sns/topicSubscription:TopicSubscription",)
# the protocols whose endpoint is an AWS resource's ARN (SNS Subscribe: Endpoint)
_ARN_PROTOCOLS = ("sqs", "lambda", "firehose", "application")


def _destinations(resource: Any) -> list[tuple[str, Any]]:
    """(what is sent, the account or ARN it goes to) for one resource that sends data on."""
    props, kind = resource.props, resource.resource_type
    if T.is_type(kind, _LOG_SUBSCRIPTION):
        return [(f"log group {get(props, 'logGroup')}'s events", get(props, "destinationArn"))]
    if T.is_type(kind, _EVENT_TARGET):
        return [(f"rule {get(props, 'rule')}'s events", get(props, "arn"))]
    if T.is_type(kind, _TOPIC_SUBSCRIPTION):
        protocol = get(props, "protocol")
        return [("the topic's messages", get(props, "endpoint"))] if protocol in _ARN_PROTOCOLS else []
    return [("its objects' replicas", get(rule, "destination", "account")) for rule in as_list(get(props, "rules"))]


@stack_rule(
    "aws-data-stays-in-account",
    area="aws-iam",
    severity="medium",
    enforcement="advisory",
    controls=("IAM Access Analyzer: resources shared outside the zone of trust",),
    description="No log subscription, event target, topic subscription (to a queue, function or stream) or S3 "
    "replication sends the mission's data to an AWS account none of the stack's resources live in. Advisory: a "
    "central logging or archive account can be meant. Judged where the stack's ARNs are known (at pulumi up).",
    remediation="Send to a destination in this account; a central logging or archive account meant to receive "
    "it can be accepted by setting this rule to 'disabled' in your pack config.",
)
def data_stays_in_account(args: Any, report: Any) -> None:
    kinds = _LOG_SUBSCRIPTION + _EVENT_TARGET + _TOPIC_SUBSCRIPTION + T.S3_REPLICATION
    for resource, own in _with_stack_accounts(args, kinds):
        for what, where in _destinations(resource):
            account = account_of(where)
            if account is not None and account not in own:
                report(f"{resource.name} sends {what} to account {account}", resource.urn)
