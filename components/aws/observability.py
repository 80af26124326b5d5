"""Observability and budget: an alarm on dead-lettered contact events, mailed to the
spec's alert addresses, and a monthly AWS Budgets budget over the mission's tag.

Access logs are configured where the logged resources live (storage, telemetry).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import MissionInputs, ObservabilityInputs
from groundlink.runtime.delivery import LOSS_FIELD, loss_threshold

from ..base import MissionComponent
from . import iam
from .events import FAILED_JOBS_RULE, QUEUE_RETENTION_SECONDS
from .naming import job_queue_name

ALARM_PERIOD_SECONDS = 300
# The contact queue's oldest message is reported a day before SQS deletes it unreceived.
UNRECEIVED_ALARM_SECONDS = QUEUE_RETENTION_SECONDS - 24 * 3600
# The frame-loss metric: 1 for each processor log record whose worst contact lost more than the
# spec's share of its frames (groundlink.runtime.delivery.LOSS_FIELD), in a namespace of the
# mission's own (a metric filter's dimensions take values from the record's fields only).
LOSS_METRIC = "ContactsLosingFrames"


def loss_namespace(mission: str) -> str:
    return f"groundlink/{mission}"


def loss_filter_pattern(percent: float) -> str:
    """The CloudWatch Logs JSON pattern of a runtime record whose worst contact lost more than
    `percent` of its frames (CloudWatch Logs User Guide, "Filter pattern syntax": a numeric
    comparison of a JSON property)."""
    return f"{{ $.{LOSS_FIELD} > {loss_threshold(percent)} }}"


def _address_id(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:8]


def _topic_policy(topic: str, account: str, region: str) -> list[dict[str, Any]]:
    """Only this account's CloudWatch alarms publish; only over TLS."""
    return [
        {
            "Sid": "AlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{region}:{account}:alarm:*"},
            },
        },
        iam.deny_insecure_transport([topic], "sns:Publish"),
    ]


class AwsObservability(MissionComponent):
    """What tells the operators that the mission needs them: a contact that failed processing
    (the first dead-lettered event) and spend crossing the spec's budget thresholds. Pass
    `account` (only its alarms may publish), `key` (encrypts the alert topic; None: the
    AWS-managed key), `dead_letter_queue_name` (the events layer's queue the alarm watches),
    `queue_name` (the contact queue, whose messages SQS deletes unreceived after its retention) and
    `undelivered` (the events layer's rules, each with the metric that counts the events it drops).
    Azure's counterpart: AzureObservability in components/azure/observability.py."""

    TOKEN = "groundlink:index:AwsObservability"
    LAYER = "observability"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: ObservabilityInputs,
        *,
        account: pulumi.Input[str],
        key: aws.kms.Key | None,
        dead_letter_queue_name: pulumi.Input[str],
        queue_name: pulumi.Input[str] | None = None,
        replications: Sequence[tuple[pulumi.Input[str], pulumi.Input[str], str]] = (),
        undelivered: Sequence[tuple[str, pulumi.Input[str], str]] = (),
        processing_log_group: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.topic = self.realize(
            aws.sns.Topic(
                self.child_name("alerts"),
                # Without the mission key the topic is not encrypted at rest: CloudWatch cannot
                # publish to one under the AWS managed key (policies/aws_messaging.py).
                kms_master_key_id=key.arn if key else None,
                tags=self.tags,
                opts=self.opts(),
            ),
            "observability.alarm",
        )
        if key:
            self.realize(self.topic, "security.messaging_cmk")
        self.realize(
            aws.sns.TopicPolicy(
                self.child_name("alerts-policy"),
                arn=self.topic.arn,
                policy=iam.document(_topic_policy, topic=self.topic.arn, account=account, region=mission.region),
                opts=self.opts(),
            ),
            "observability.alarm",
        )
        for email in inputs.alert_emails:
            # Named after the address, not its position: removing one address leaves the others
            # subscribed (a replaced subscription unsubscribes and mails a new confirmation).
            self.realize(
                aws.sns.TopicSubscription(
                    self.child_name("alerts", _address_id(email)),
                    topic=self.topic.arn,
                    protocol="email",
                    endpoint=email,
                    opts=self.opts(),
                ),
                "observability.alarm",
            )
        self.alarm = self._queue_alarm(
            "dead-letters",
            f"{mission.name}: contact events failed processing and wait in the dead-letter queue",
            dead_letter_queue_name,
            "ApproximateNumberOfMessagesVisible",
            0,
        )
        if queue_name is not None:
            # SQS redrives a message to the dead-letter queue only when it is received: one nobody
            # receives (a stopped pipe, processing turned off) is deleted at the queue's retention
            # without a word, where Service Bus dead-letters it on expiry and Azure's alert fires.
            # A day before SQS deletes it, the oldest waiting contact raises the alarm.
            self._queue_alarm(
                "unreceived",
                f"{mission.name}: a contact event has waited unreceived for {UNRECEIVED_ALARM_SECONDS // 86400} days; "
                f"SQS deletes it after {QUEUE_RETENTION_SECONDS // 86400}",
                queue_name,
                "ApproximateAgeOfOldestMessage",
                UNRECEIVED_ALARM_SECONDS,
            )
        for key, rule_name, metric in undelivered:
            self._undelivered_alarm(key, rule_name, metric)
        for source, replica, rule_id in replications:
            self._replication_alarm(source, replica, rule_id)
        if inputs.loss_alarm_percent is not None and processing_log_group is not None:
            self._loss_alarm(inputs.loss_alarm_percent, processing_log_group)
        self.budget = self.realize(
            aws.budgets.Budget(
                self.child_name("budget"),
                name=f"{mission.name}-monthly",
                budget_type="COST",
                limit_amount=f"{inputs.budget_monthly_usd:.2f}",
                limit_unit="USD",
                time_unit="MONTHLY",
                # Costs of this mission only: the `mission` tag must be activated as a cost allocation tag.
                cost_filters=[{"name": "TagKeyValue", "values": [f"user:mission${mission.name}"]}],
                notifications=[
                    {
                        "comparison_operator": "GREATER_THAN",
                        "threshold": percent,
                        "threshold_type": "PERCENTAGE",
                        "notification_type": "ACTUAL",
                        "subscriber_email_addresses": list(inputs.alert_emails),
                    }
                    for percent in inputs.budget_thresholds_percent
                ],
                tags=self.tags,
                opts=self.opts(),
            ),
            "budget.alerts",
        )
        # AWS keeps each log beside what it describes (log groups, the access-log bucket): no one workspace
        self.register_outputs({"alerts": self.topic.arn, "budget": self.budget.name, "log_workspace": None})

    def _undelivered_alarm(self, key: str, rule_name: pulumi.Input[str], metric: str) -> None:
        """An alarm when an EventBridge rule dropped an event: one neither its target nor the
        dead-letter queue took (the dead-letter alarm cannot fire for it). A contact rule's lost
        event is a contact never processed; the failed-jobs rule's is the record of a contact
        whose job already failed, which no redrive brings back, so its text says what to do.
        Azure's counterpart is the alert on Event Grid's DroppedEventCount."""
        if key == FAILED_JOBS_RULE:
            what = (
                "the dead-letter queue did not take the record of a contact whose Batch job failed all its "
                "attempts, so no redrive brings it back: find the job (aws batch list-jobs --job-queue "
                f"{job_queue_name(self.mission.name)} --job-status FAILED) and send the contact queue its "
                "contact's event again (docs/aws.md, Recovering a contact)"
            )
        else:
            what = "the event reached neither its queue nor the dead-letter queue, so no processing started for it"
        self._alarm(
            f"undelivered-{key}",
            f"{self.mission.name}: EventBridge dropped an event of its {key} rule ({metric}): {what} (most often a "
            "queue or key policy that refuses EventBridge)",
            ("AWS/Events", metric, "Sum"),
            {"RuleName": rule_name},
            0,
        )

    def _replication_alarm(self, source: pulumi.Input[str], replica: pulumi.Input[str], rule_id: str) -> None:
        """An alarm when any object of a replicated store fails to replicate (a key the role may
        not use, a replica bucket refusing it): S3 marks the object FAILED and retries none, and
        the replica region silently lacks it (OperationsFailedReplication, per rule, published in
        the source bucket's region: S3 User Guide, "Using S3 Replication metrics")."""
        self._alarm(
            f"replication-failed-{rule_id.split('-to-')[0]}",
            f"{self.mission.name}: objects failed to replicate ({rule_id}); S3 retries none of them: find them by "
            "their FAILED replication status and copy them with S3 Batch Replication once the cause is fixed",
            ("AWS/S3", "OperationsFailedReplication", "Sum"),
            {"SourceBucket": source, "DestinationBucket": replica, "RuleId": rule_id},
            0,
        )

    def _loss_alarm(self, percent: float, log_group: pulumi.Input[str]) -> None:
        """An alarm when a processed contact lost more than `percent` of its frames: the run
        succeeded, so neither the dead-letter nor any failure alarm says that most of a pass's
        data never arrived. A metric filter on the processor's log group counts its records."""
        namespace = loss_namespace(self.mission.name)
        self.realize(
            aws.cloudwatch.LogMetricFilter(
                self.child_name("frame-loss"),
                log_group_name=log_group,
                pattern=loss_filter_pattern(percent),
                metric_transformation={"name": LOSS_METRIC, "namespace": namespace, "value": "1", "unit": "Count"},
                opts=self.opts(),
            ),
            "observability.alarm",
        )
        self._alarm(
            "frame-loss",
            f"{self.mission.name}: a processed contact lost more than {loss_threshold(percent)}% of its frames "
            f"(missing or corrupt; the processor's log record, field {LOSS_FIELD}, and its contact summary say which)",
            (namespace, LOSS_METRIC, "Sum"),
            {},
            0,
        )

    def _queue_alarm(
        self, key: str, description: str, queue_name: pulumi.Input[str], metric: str, threshold: int
    ) -> aws.cloudwatch.MetricAlarm:
        """An alarm on one of the mission's queues, above `threshold` over 5 minutes."""
        return self._alarm(key, description, ("AWS/SQS", metric, "Maximum"), {"QueueName": queue_name}, threshold)

    def _alarm(
        self,
        key: str,
        description: str,
        metric: tuple[str, str, str],
        dimensions: dict[str, pulumi.Input[str]],
        threshold: int,
    ) -> aws.cloudwatch.MetricAlarm:
        """An alarm on `metric` (namespace, name, statistic) above `threshold` over 5 minutes, to
        the alert topic (and back to OK); no data is no alarm."""
        namespace, name, statistic = metric
        return self.realize(
            aws.cloudwatch.MetricAlarm(
                self.child_name(key),
                alarm_description=description,
                namespace=namespace,
                metric_name=name,
                dimensions=dimensions,
                statistic=statistic,
                period=ALARM_PERIOD_SECONDS,
                evaluation_periods=1,
                threshold=threshold,
                comparison_operator="GreaterThanThreshold",
                treat_missing_data="notBreaching",
                alarm_actions=[self.topic.arn],
                ok_actions=[self.topic.arn],
                tags=self.tags,
                opts=self.opts(),
            ),
            "observability.alarm",
        )
