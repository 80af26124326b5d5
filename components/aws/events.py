"""Events: one processing message per contact, with a dead-letter queue behind it.

A DigIF contact writes thousands of objects and a bucket has a single notification
configuration, so contacts are signalled through EventBridge, not S3 notifications:
with a managed ground station, Ground Station's own "S3 Upload Complete" (one per
contact) plus the contact states that end a contact without data; with a partner
network, the object the partner writes last for a contact (its manifest).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import EventsInputs, MissionInputs
from groundlink.limits import EVENT_PATTERN_MAX, MISSION_PROFILE_ARN_MAX
from groundlink.runtime.delivery import CONTACT_STATE_CHANGE, MANIFEST_NAME, OBJECT_CREATED, UPLOAD_COMPLETE
from groundlink.runtime.delivery import STATION_SOURCE as GROUND_STATION_SOURCE
from groundlink.runtime.job import failed_job_input

from ..base import MissionComponent
from . import iam
from .naming import job_queue_name
from .storage import Store

# Terminal contact states that end a contact without an upload (AWS Ground Station user
# guide, "Understand contact lifecycle"). COMPLETED is the signal when nothing is uploaded.
FAILED_CONTACT_STATES = ["AWS_CANCELLED", "AWS_FAILED", "FAILED", "FAILED_TO_SCHEDULE"]
# The mission profiles one contact rule names (limits.EVENT_PATTERN_MAX, MISSION_PROFILE_ARN_MAX):
# the rest of the longest pattern (the upload's bucket ARN, the states) takes under 600.
PROFILES_PER_RULE = (EVENT_PATTERN_MAX - 600) // (MISSION_PROFILE_ARN_MAX + len('"", '))
MAX_RECEIVE_COUNT = 5
QUEUE_RETENTION_SECONDS = 4 * 24 * 3600
DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600  # the SQS maximum
# How long EventBridge keeps trying to deliver an event to a rule's target (its retry policy).
DELIVERY_RETRY_SECONDS = 24 * 3600
# AWS Batch sends each job's state changes to EventBridge; FAILED ends a job whose attempts
# are spent (AWS Batch User Guide, "Job state change events").
BATCH_SOURCE = "aws.batch"
# The AWS/Events metrics (per RuleName) of an event EventBridge dropped: one whose target has a
# dead-letter queue and which it could not send there either (permissions, a key it may not use,
# size), and one that failed permanently on a target without a dead-letter queue (EventBridge
# User Guide, "Monitoring Amazon EventBridge": InvocationsFailedToBeSentToDlq, FailedInvocations).
UNDELIVERED_TO_DEAD_LETTER = "InvocationsFailedToBeSentToDlq"
UNDELIVERED_WITHOUT_DEAD_LETTER = "FailedInvocations"
FAILED_JOBS_RULE = "failed-jobs"  # the rule that dead-letters a contact whose Batch job failed
BATCH_JOB_STATE_CHANGE = "Batch Job State Change"


def contact_event_pattern(
    inputs: EventsInputs,
    raw_bucket: str | None,
    raw_arn: str | None = None,
    profiles: Sequence[str] = (),
    *,
    uploads: bool = True,
) -> dict[str, Any]:
    """The EventBridge pattern that matches exactly one event per contact, of this mission only.
    Ground Station sends every upload and every contact state change of the account and region
    to the default bus. The upload event names its bucket (`detail.bucketArn`, as AWS's S3 data
    delivery sample reads it), so the rule takes this mission's raw bucket only; a state change
    names its mission profile (`detail.missionProfileArn`, user guide "Automate AWS Ground
    Station with Events"), so the rule takes this mission's `profiles` only: another mission's,
    or another stack's of the same mission, would otherwise reach this queue as its own.

    `uploads=False` is a further rule of a constellation whose profiles take several rules: it
    names only its profiles' state changes, since the upload, matched by the raw bucket, stays
    in the first rule alone, or each upload would be sent once per rule. A pattern that matches
    uploads alone (a container job's) has no further rule."""
    if not uploads and not names_profiles(inputs):
        raise ValueError("a pattern that names no mission profile has no further rule")
    if inputs.station:
        states = FAILED_CONTACT_STATES if inputs.object_store else ["COMPLETED", *FAILED_CONTACT_STATES]
        ending = {
            "detail-type": [CONTACT_STATE_CHANGE],
            "detail": {"contactStatus": states, **({"missionProfileArn": list(profiles)} if profiles else {})},
        }
        if not inputs.object_store:
            return {"source": [GROUND_STATION_SOURCE], **ending}
        if not uploads:
            return {"source": [GROUND_STATION_SOURCE], **ending}
        upload = {"detail-type": [UPLOAD_COMPLETE], "detail": {"bucketArn": [raw_arn]}}
        if inputs.container_jobs:
            # A failed contact is only acknowledged: no job is started for it, and the pipe's job
            # parameters are the upload's fields (groundlink.runtime.job.STATION_EVENT_FIELDS).
            return {"source": [GROUND_STATION_SOURCE], **upload}
        return {"source": [GROUND_STATION_SOURCE], "$or": [upload, ending]}
    return {
        "source": ["aws.s3"],
        "detail-type": [OBJECT_CREATED],
        "detail": {
            "bucket": {"name": [raw_bucket]},
            # the manifest a partner writes last under each contact's prefix, by its exact name
            "object": {"key": [{"wildcard": f"{inputs.partner_prefix}*/{MANIFEST_NAME}"}]},
        },
    }


def names_profiles(inputs: EventsInputs) -> bool:
    """Whether the contact pattern names mission profiles: wherever it takes state changes, so
    not a container job's, which takes uploads alone, nor a partner's manifests."""
    return bool(inputs.station) and not (inputs.object_store and inputs.container_jobs)


def profile_chunks(profiles: Sequence[pulumi.Input[str]]) -> list[list[pulumi.Input[str]]]:
    """The mission profiles one contact rule can name each: an event pattern is at most
    EVENT_PATTERN_MAX characters and a profile's ARN up to MISSION_PROFILE_ARN_MAX, so a large
    constellation's profiles are spread over several rules (the first keeps its name)."""
    size = PROFILES_PER_RULE
    return [list(profiles[i : i + size]) for i in range(0, len(profiles), size)] or [[]]


def _rule_key(index: int) -> str:
    """The contact rule's name within the component: `contact`, then `contact-2`, `contact-3`."""
    return "contact" if index == 0 else f"contact-{index + 1}"


def _last(index: int, chunk: Sequence[Any]) -> int:
    """The number of the last mission profile rule `index` names (the first is 1)."""
    return index * PROFILES_PER_RULE + len(chunk)


def failed_job_pattern(mission: str) -> dict[str, Any]:
    """The EventBridge pattern of a contact job that failed every attempt: its job queue's name
    is known before the queue exists (the processing layer creates it)."""
    return {
        "source": [BATCH_SOURCE],
        "detail-type": [BATCH_JOB_STATE_CHANGE],
        "detail": {
            "status": ["FAILED"],
            "jobQueue": [{"wildcard": f"arn:aws:batch:*:*:job-queue/{job_queue_name(mission)}"}],
        },
    }


def _queue_policy(queue: str, rules: list[str]) -> list[dict[str, Any]]:
    """Only the mission's own rules may send, and only over TLS."""
    return [
        {
            "Sid": "ContactRuleSends",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": queue,
            # one rule stays a string, as deployed policies hold it: no update for a mission without jobs
            "Condition": {"ArnEquals": {"aws:SourceArn": rules[0] if len(rules) == 1 else rules}},
        },
        iam.deny_insecure_transport([queue], "sqs:*"),
    ]


class AwsEvents(MissionComponent):
    """EventBridge rule -> encrypted SQS queue; failed processing and failed deliveries
    both land in the dead-letter queue."""

    TOKEN = "groundlink:index:AwsEvents"
    LAYER = "events"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: EventsInputs,
        *,
        key: aws.kms.Key | None,
        raw: Store | None,
        mission_profiles: Sequence[pulumi.Input[str]] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        encryption: dict[str, Any] = (
            {"kms_master_key_id": key.arn, "kms_data_key_reuse_period_seconds": 300}
            if key
            else {"sqs_managed_sse_enabled": True}
        )
        self.dead_letter = self.realize(
            aws.sqs.Queue(
                self.child_name("dead-letter"),
                message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
                tags=self.tags,
                opts=self.holder_opts("events.dead_letter"),
                **encryption,
            ),
            "events.dead_letter",
        )
        self.queue = self.realize(
            aws.sqs.Queue(
                self.child_name("contacts"),
                message_retention_seconds=QUEUE_RETENTION_SECONDS,
                visibility_timeout_seconds=inputs.visibility_timeout_seconds,
                redrive_policy=self.dead_letter.arn.apply(
                    lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
                ),
                tags=self.tags,
                opts=self.holder_opts("events.per_contact"),
                **encryption,
            ),
            "events.per_contact",
        )
        if key:
            for queue in (self.dead_letter, self.queue):
                self.realize(queue, "security.messaging_cmk")
        self.realize(
            aws.sqs.RedriveAllowPolicy(
                self.child_name("dead-letter-sources"),
                queue_url=self.dead_letter.url,
                redrive_allow_policy=self.queue.arn.apply(
                    lambda arn: json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn]})
                ),
                opts=self.opts(),
            ),
            "events.dead_letter",
        )
        if inputs.landing and raw is not None:
            # The partner's objects reach EventBridge only if the bucket sends them there.
            self.realize(
                aws.s3.BucketNotification(
                    self.child_name("raw-to-eventbridge"), bucket=raw.id, eventbridge=True, opts=self.opts()
                ),
                "events.per_contact",
                "ground.partner_landing",
            )
        bucket_name, bucket_arn = (raw.name, raw.arn) if raw is not None else (None, None)
        rules = []
        named = names_profiles(inputs)
        for index, chunk in enumerate(profile_chunks(mission_profiles if named else ())):
            first = index == 0
            names = (_rule_key(index), f"{_rule_key(index)}-to-queue")
            rules.append(
                self._route(
                    names,
                    f"{mission.name}: one event per contact"
                    + ("" if first else f" (mission profiles {index * PROFILES_PER_RULE + 1}-{_last(index, chunk)})"),
                    pulumi.Output.all(bucket_name, bucket_arn, *chunk).apply(
                        lambda values, first=first: json.dumps(
                            contact_event_pattern(inputs, values[0], values[1], values[2:], uploads=first),
                            sort_keys=True,
                        )
                    ),
                    self.queue,
                    "events.per_contact",
                )
            )
        self.rule = rules[0]
        # What each rule's undelivered events count as (AwsObservability alarms on each): a contact
        # rule's event it could deliver neither to the queue nor to the dead-letter queue, and the
        # failed-jobs rule's event it could not deliver to the dead-letter queue, its only target.
        self.undelivered: list[tuple[str, pulumi.Output[str], str]] = [
            (_rule_key(index), rule.name, UNDELIVERED_TO_DEAD_LETTER) for index, rule in enumerate(rules)
        ]
        contact_senders = [rule.arn for rule in rules]
        dead_letter_senders = list(contact_senders)
        if inputs.container_jobs:
            # A contact job that failed every attempt: the pipe that submitted it took its message
            # off the contact queue at submission, so the queue's redrive never sees the failure,
            # and the contact was lost without an alarm. The dead-letter message is the contact's
            # event, rebuilt from the failed job's parameters with the job's id beside it
            # (groundlink.runtime.job.failed_job_input), so a redrive resubmits the contact.
            paths, template = failed_job_input(inputs.station)
            failed_jobs = self._route(
                (FAILED_JOBS_RULE, f"{FAILED_JOBS_RULE}-to-dead-letter"),
                f"{mission.name}: a contact job that failed every attempt",
                json.dumps(failed_job_pattern(mission.name), sort_keys=True),
                self.dead_letter,
                "events.dead_letter",
                input_transformer={"input_paths": paths, "input_template": template},
            )
            dead_letter_senders.append(failed_jobs.arn)
            self.undelivered.append((FAILED_JOBS_RULE, failed_jobs.name, UNDELIVERED_WITHOUT_DEAD_LETTER))
        for queue, role, capability, senders in (
            (self.queue, "contacts", "events.per_contact", contact_senders),
            (self.dead_letter, "dead-letter", "events.dead_letter", dead_letter_senders),
        ):
            self.realize(
                aws.sqs.QueuePolicy(
                    self.child_name(role, "policy"),
                    queue_url=queue.url,
                    policy=iam.document(_queue_policy, queue=queue.arn, rules=senders),
                    opts=self.opts(),
                ),
                capability,
            )
        self.register_outputs({"event_queue": self.queue.url, "dead_letter_queue": self.dead_letter.url})

    def _route(
        self,
        names: tuple[str, str],
        description: str,
        pattern: pulumi.Input[str],
        queue: aws.sqs.Queue,
        capability: str,
        input_transformer: dict[str, Any] | None = None,
    ) -> aws.cloudwatch.EventRule:
        """An EventBridge rule and its delivery into `queue`, retried for a day; what cannot be
        delivered to the contact queue goes to the dead-letter queue (the dead-letter queue is
        the last stop itself)."""
        rule_name, target_name = names
        rule = self.realize(
            aws.cloudwatch.EventRule(
                self.child_name(rule_name),
                description=description,
                event_pattern=pattern,
                state="ENABLED",
                tags=self.tags,
                opts=self.opts(),
            ),
            capability,
        )
        self.realize(
            aws.cloudwatch.EventTarget(
                self.child_name(target_name),
                rule=rule.name,
                arn=queue.arn,
                **({} if queue is self.dead_letter else {"dead_letter_config": {"arn": self.dead_letter.arn}}),
                retry_policy={"maximum_event_age_in_seconds": DELIVERY_RETRY_SECONDS, "maximum_retry_attempts": 185},
                input_transformer=input_transformer,
                opts=self.opts(),
            ),
            capability,
        )
        return rule
