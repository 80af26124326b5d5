"""AWS settings one-line edits used to slip past: queue key reuse, the EventBridge target's
retries, access-log key format, the processor's policy and the key policy's logs condition,
the telemetry archive's log retention. Expected values are written out by hand (docs/aws.md,
docs/processing.md where they state them)."""

from __future__ import annotations

import json

import pytest

from .conftest import plan_of, tunables_data, variant_plan

QUEUE = "aws:sqs/queue:Queue"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


def _statement(policy: str, sid: str) -> dict:
    (found,) = [s for s in json.loads(policy)["Statement"] if s.get("Sid") == sid]
    return found


@pytest.mark.parametrize("queue", ["noaa20-events-contacts", "noaa20-events-dead-letter"])
def test_queues_reuse_a_data_key_for_five_minutes(aws_noaa20, queue):
    """SQS asks KMS for a data key at most every 300 s, not once a day (a day's reuse weakens
    what a key rotation or revocation takes away)."""
    inputs = aws_noaa20.one(QUEUE, queue).inputs
    assert inputs["kmsDataKeyReusePeriodSeconds"] == 300


def test_the_event_target_retries_for_a_day_with_the_maximum_attempts(aws_noaa20):
    """EventBridge keeps retrying a failed delivery to the queue for 24 h and up to 185 times
    (its maximum) before dead-lettering it: a contact event is not dropped after a minute."""
    target = aws_noaa20.one("aws:cloudwatch/eventTarget:EventTarget")
    assert target.inputs["retryPolicy"] == {"maximumEventAgeInSeconds": 86400, "maximumRetryAttempts": 185}


def test_access_logs_are_written_under_date_partitioned_keys(aws_noaa20):
    """docs/aws.md: server access logs to the log bucket, `<role>/` prefix, date-partitioned keys."""
    loggings = aws_noaa20.of_type("aws:s3/bucketLogging:BucketLogging")
    assert {r.inputs["targetPrefix"] for r in loggings} == {"raw/", "products/", "query-results/", "artifacts/"}
    for logging in loggings:
        assert logging.inputs["targetObjectKeyFormat"] == {"partitionedPrefix": {"partitionDateSource": "EventTime"}}


def test_the_processor_role_consumes_the_queue_and_writes_its_own_log_group(aws_noaa20):
    """docs/processing.md: a role with sqs:ReceiveMessage/DeleteMessage/GetQueueAttributes/
    ChangeMessageVisibility on the queue ... its own log group."""
    policy = aws_noaa20.one("aws:iam/rolePolicy:RolePolicy", "noaa20-processing-policy").inputs["policy"]
    consume = _statement(policy, "ConsumeContactQueue")
    assert consume["Action"] == [
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
    ]
    assert consume["Resource"] == aws_noaa20.one(QUEUE, "noaa20-events-contacts").outputs["arn"]
    logs = _statement(policy, "WriteLogs")
    assert logs["Effect"] == "Allow"
    assert logs["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert logs["Resource"].startswith("arn:aws:logs:us-west-2:123456789012:log-group:noaa20-processing-logs-")
    assert logs["Resource"] == aws_noaa20.one(LOG_GROUP, "noaa20-processing-logs").outputs["arn"] + ":*"


def test_the_key_lets_cloudwatch_logs_encrypt_only_log_groups_of_the_stacks_region(aws_noaa20):
    policy = aws_noaa20.one("aws:kms/key:Key", "noaa20-security-data").inputs["policy"]
    logs = _statement(policy, "CloudWatchLogsEncrypt")
    assert logs["Principal"] == {"Service": "logs.us-west-2.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-west-2:123456789012:log-group:*"}
    }


def _telemetry_log_retention(plan) -> int:
    return plan.one(LOG_GROUP, "noaa20-telemetry-archive-logs").inputs["retentionInDays"]


def test_telemetry_delivery_errors_are_kept_for_the_raw_retention(aws_noaa20):
    """docs/aws.md: delivery errors logged to a log group kept at least the raw retention
    (noaa20: raw 365 days, products 1825), rounded up to a retention CloudWatch accepts."""
    assert _telemetry_log_retention(aws_noaa20) == 365


def test_telemetry_log_retention_rounds_the_raw_retention_up_to_one_cloudwatch_accepts():
    """Raw 700 days -> 731 (the next CloudWatch retention); products 2000 would give 2192.
    The spec is test_aws_mission's tunables variant, so the session shares its plan."""
    data = tunables_data()
    assert _telemetry_log_retention(plan_of(data, "aws")) == 731


def test_past_cloudwatchs_longest_retention_every_log_group_keeps_its_logs_without_expiry():
    """A raw retention of 5,000 days kept the log groups 3,653 days, with no word: the logs of a
    store's last years went before the store. Past 3,653 they never expire (retention 0)."""
    plan = variant_plan("aws", {"storage.raw_retention_days": 5000, "storage.products_retention_days": 5000})
    groups = {r.name: r.inputs.get("retentionInDays") for r in plan.of_type(LOG_GROUP)}
    assert groups and set(groups.values()) == {0}, groups
