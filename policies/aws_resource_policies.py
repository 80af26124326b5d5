"""AWS resource policies (bucket, queue, topic and key policies): an AWS service they grant to
acts for this account only (a queue or topic policy open to every principal is aws_messaging's).

A service principal in a resource policy is every account's use of that service: EventBridge
sending to a queue may be any account's rule, S3 log delivery any account's bucket. AWS
recommends aws:SourceArn / aws:SourceAccount in resource policies that grant to a service (IAM
User Guide, "The confused deputy problem"; on a KMS key policy also the encryption context, as
CloudWatch Logs' `kms:EncryptionContext:aws:logs:arn`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import tokens as T
from .aws_iam import pins, pins_source
from .props import UNKNOWN, as_list, pinning, policy_document, policy_statements, service_principals
from .registry import resource_rule

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


def _names_this_account(value: str) -> bool:
    if value.startswith("arn:"):
        return pins("aws:sourcearn", value)
    return bool(value) and "${" not in value and not set(value) & {"*", "?"}


@resource_rule(
    "aws-resource-policy-service-scoped",
    area="aws-iam",
    severity="high",
    enforcement="mandatory",
    types=T.S3_POLICY
    + T.S3_BUCKET
    + T.SQS_QUEUE_POLICY
    + T.SQS_QUEUE
    + T.SNS_TOPIC_POLICY
    + T.SNS_TOPIC
    + T.KMS_KEYS_OF_THE_STACK
    + T.KMS_KEY_POLICY,
    controls=("Confused-deputy prevention (aws:SourceAccount / aws:SourceArn)",),
    description="A bucket, queue, topic or key policy that allows an AWS service confines it to this account with "
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
