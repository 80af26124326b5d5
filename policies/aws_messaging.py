"""AWS messaging: the queues and topics that carry contact events and alerts
are encrypted with the mission's own KMS key, like the stores they announce."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .aws_resource_policies import open_grants
from .joins import of_type, second_writers
from .props import UNKNOWN, aws_managed_key, dependencies_of, get, is_false, policy_document, stack_key
from .registry import resource_rule, stack_rule

# Without a key, SQS encrypts a new queue with its own SSE-SQS keys (the default since 2022 unless
# sqsManagedSseEnabled is false), while an SNS topic is not encrypted at rest.
NO_KEY_MEANS = {"queue": "SSE-SQS keys are not the mission's", "topic": "the topic is not encrypted at rest"}
# A topic that AWS services publish to (CloudWatch alarms, EventBridge) needs a customer managed
# key whose policy lets them use it: the AWS managed key's policy cannot be changed, so a topic
# encrypted with alias/aws/sns receives no alarm (Amazon SNS developer guide, "Enable
# compatibility between event sources from AWS services and encrypted topics",
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
# Without customer managed keys, the alerts topic is therefore left unencrypted at rest.
TOPIC_MANAGED_KEY = "uses the AWS managed key {key}, which AWS services (CloudWatch alarms) cannot publish with"


def _problem(resources: list[Any], kind: str, channel: Any, require_mission_key: bool) -> str | None:
    key = get(channel.props, "kmsMasterKeyId")
    if key is UNKNOWN:
        return None
    if not key:
        if kind == "queue" and not require_mission_key:
            # SSE-SQS is on unless turned off: only an explicit false leaves the queue unencrypted.
            return "has no kmsMasterKeyId" if is_false(get(channel.props, "sqsManagedSseEnabled")) else None
        if kind == "topic" and not require_mission_key:
            return None  # the only encryption an alarm can still reach is a customer managed key
        return f"has no kmsMasterKeyId ({NO_KEY_MEANS[kind]})"
    if kind == "topic" and aws_managed_key(key):
        return TOPIC_MANAGED_KEY.format(key=key)
    if not require_mission_key:
        return None
    if aws_managed_key(key):
        return f"uses the AWS managed key {key}, not the mission's key"
    linked = dependencies_of(channel, "kmsMasterKeyId")
    if stack_key(resources, key, linked) is None:
        return f"uses kmsMasterKeyId {key}, which is not a key this stack creates"
    return None


@stack_rule(
    "aws-messaging-mission-key",
    area="aws-messaging",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AWS_27", "CKV_AWS_26", "MCSB DP-5"),
    description="SQS queues and SNS topics are encrypted with the mission's customer-managed KMS key.",
    remediation="Set kms_master_key_id=key.arn on every aws.sqs.Queue and aws.sns.Topic; the key policy must let "
    "the producing services (events.amazonaws.com, cloudwatch.amazonaws.com) use the key.",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a KMS key the stack creates; false accepts SSE-SQS and AWS managed keys.",
        }
    },
)
def messaging_mission_key(args: Any, report: Any) -> None:
    require = bool(args.get_config().get("requireCustomerManagedKey", True))
    for kind, tokens in (("queue", T.SQS_QUEUE), ("topic", T.SNS_TOPIC)):
        for channel in of_type(args.resources, tokens):
            problem = _problem(args.resources, kind, channel, require)
            if problem:
                report(f"{kind} {channel.name} {problem}", channel.urn)


# The attributes a queue or topic keeps one of, each written whole (SQS SetQueueAttributes, SNS
# SetTopicAttributes) by its side resource and by the queue's or topic's own input alike.
ONE_PER_QUEUE = (
    ("queue policy", T.SQS_QUEUE_POLICY, ("policy",)),
    ("redrive policy", T.SQS_REDRIVE_POLICY, ("redrivePolicy",)),
    ("redrive allow policy", T.SQS_REDRIVE_ALLOW_POLICY, ("redriveAllowPolicy",)),
)
ONE_PER_TOPIC = (("topic policy", T.SNS_TOPIC_POLICY, ("policy",)),)


@stack_rule(
    "aws-messaging-one-resource-per-setting",
    area="aws-messaging",
    severity="high",
    enforcement="mandatory",
    controls=("SQS SetQueueAttributes and SNS SetTopicAttributes: one value of each attribute",),
    description="No SQS queue has two writers of its policy, redrive policy or redrive allow policy, and no SNS "
    "topic two of its policy (two side resources, or one beside the queue's or topic's own input): the queue keeps "
    "one value of each, and the rules judging it (a dead-letter queue for every consumed queue) cannot tell which.",
    remediation="Set each attribute once: on the queue or topic (redrive_policy=...) or in one aws.sqs.RedrivePolicy, "
    "aws.sqs.QueuePolicy, aws.sqs.RedriveAllowPolicy or aws.sns.TopicPolicy, not both.",
)
def one_resource_per_setting(args: Any, report: Any) -> None:
    for kind, targets, settings, key in (
        ("queue", T.SQS_QUEUE, ONE_PER_QUEUE, "queueUrl"),
        ("topic", T.SNS_TOPIC, ONE_PER_TOPIC, "arn"),
    ):
        for channel, found in second_writers(args.resources, targets, settings, key, ("id", "url", "arn")):
            report(
                f"{kind} {channel.name} has {found}: it keeps one, each write replaces the other's, and which stays "
                "depends on the order they are applied",
                channel.urn,
            )


@resource_rule(
    "aws-messaging-policy-no-public-allow",
    area="aws-messaging",
    severity="critical",
    enforcement="mandatory",
    types=T.SQS_QUEUE_POLICY + T.SQS_QUEUE + T.SNS_TOPIC_POLICY + T.SNS_TOPIC,
    controls=("Amazon SQS / SNS: no publicly accessible queues or topics",),
    description="No queue or topic policy allows an action to every principal unless a condition pins it to fixed "
    "values (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID...).",
    remediation="Name the principals (account, role or service) in Allow statements instead of '*' or NotPrincipal, "
    "or add a condition that pins them to fixed values (StringEquals aws:SourceAccount, aws:PrincipalOrgID...).",
)
def messaging_no_public_allow(args: Any, report: Any) -> None:
    for line in open_grants(policy_document(args.props)):
        report(line)
