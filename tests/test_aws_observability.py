"""AWS observability: the dead-letter alarm mailed to the spec's addresses, and the monthly budget."""

from __future__ import annotations

import pytest

from .aws_support import ACCOUNT, KEY, aws, aws_data, doc, sid, spec_data
from .conftest import variant_plan
from .test_processing_cloud import CONTAINER_JOB

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
TOPIC = "aws:sns/topic:Topic"
BUDGET = "aws:budgets/budget:Budget"


def test_alarm_fires_on_any_dead_lettered_contact_event():
    plan = aws()
    alarm = plan.one(ALARM, "noaa20-observability-dead-letters").inputs
    dead = plan.one("aws:sqs/queue:Queue", "noaa20-events-dead-letter")
    assert (alarm["namespace"], alarm["metricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")
    assert alarm["dimensions"] == {"QueueName": dead.outputs["name"]}
    assert alarm["comparisonOperator"] == "GreaterThanThreshold" and alarm["threshold"] == 0
    assert alarm["alarmActions"] == [plan.one(TOPIC).outputs["arn"]]
    assert alarm["treatMissingData"] == "notBreaching"


def test_a_contact_event_nobody_receives_alarms_a_day_before_sqs_deletes_it():
    """SQS redrives a message to the dead-letter queue only when it is received: one nobody
    receives (a stopped pipe, processing off) was deleted after the queue's 4 days without a
    word, where Service Bus dead-letters it on expiry and Azure's alert fires."""
    plan = aws()
    alarm = plan.one(ALARM, "noaa20-observability-unreceived").inputs
    queue = plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts")
    assert (alarm["namespace"], alarm["metricName"]) == ("AWS/SQS", "ApproximateAgeOfOldestMessage")
    assert alarm["dimensions"] == {"QueueName": queue.outputs["name"]}
    retention = queue.inputs["messageRetentionSeconds"]
    assert (alarm["comparisonOperator"], alarm["threshold"]) == ("GreaterThanThreshold", retention - 86400)
    assert alarm["alarmActions"] == alarm["okActions"] == [plan.one(TOPIC).outputs["arn"]]


RULE = "aws:cloudwatch/eventRule:EventRule"


def _undelivered(plan) -> dict[str, tuple[str, str, object]]:
    """Each alarm on an event a rule dropped: its rule's name, metric and dimensions."""
    found = {}
    for alarm in plan.of_type(ALARM):
        if alarm.inputs["namespace"] == "AWS/Events":
            inputs = alarm.inputs
            assert (inputs["statistic"], inputs["comparisonOperator"], inputs["threshold"]) == (
                "Sum",
                "GreaterThanThreshold",
                0,
            )
            assert inputs["alarmActions"] == inputs["okActions"] == [plan.one(TOPIC).outputs["arn"]]
            found[alarm.name] = (inputs["metricName"], inputs["dimensions"])
    return found


@pytest.mark.parametrize(
    ("spec", "rules"),
    [("noaa20.yaml", ["contact"]), ("constellation.yaml", ["contact", "contact-2", "contact-3"])],
)
def test_an_event_a_contact_rule_could_not_dead_letter_alarms(spec, rules):
    """An event EventBridge could deliver neither to the contact queue nor to the dead-letter
    queue (a queue or key policy refusing it) was dropped: the dead-letter alarm cannot fire for
    it, and the contact is never processed. Each contact rule has its alarm, as Azure alerts on
    Event Grid's dropped events."""
    plan = aws(spec)
    mission = plan.stack.removesuffix("-aws")
    assert _undelivered(plan) == {
        f"{mission}-observability-undelivered-{rule}": (
            "InvocationsFailedToBeSentToDlq",
            {"RuleName": plan.one(RULE, f"{mission}-events-{rule}").outputs["name"]},
        )
        for rule in rules
    }


def test_a_failed_job_event_the_dead_letter_queue_refused_alarms():
    """The failed-jobs rule's only target is the dead-letter queue: an event it cannot deliver
    there fails permanently (FailedInvocations), and the contact's failure is lost."""
    plan = variant_plan("aws", CONTAINER_JOB)
    found = _undelivered(plan)
    rule = plan.one(RULE, "noaa20-events-failed-jobs").outputs["name"]
    assert found["noaa20-observability-undelivered-failed-jobs"] == ("FailedInvocations", {"RuleName": rule})
    assert sorted(found) == ["noaa20-observability-undelivered-contact", "noaa20-observability-undelivered-failed-jobs"]
    texts = {a.name: a.inputs["alarmDescription"] for a in plan.of_type(ALARM) if "undelivered" in a.name}
    # the job already failed: its record is what was lost, and no redrive brings it back
    failed = texts["noaa20-observability-undelivered-failed-jobs"]
    assert "no processing started" not in failed
    assert "whose Batch job failed all its attempts, so no redrive brings it back" in failed
    assert "aws batch list-jobs --job-queue noaa20-contacts --job-status FAILED" in failed
    assert "no processing started for it" in texts["noaa20-observability-undelivered-contact"]


def test_alert_topic_is_encrypted_and_only_this_accounts_alarms_publish():
    plan = aws()
    topic = plan.one(TOPIC)
    assert topic.inputs["kmsMasterKeyId"] == plan.one(KEY).outputs["arn"]
    policy = doc(plan.one("aws:sns/topicPolicy:TopicPolicy"))
    publish = sid(policy, "AlarmsPublish")
    assert publish["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert publish["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    assert publish["Resource"] == topic.outputs["arn"]


def test_every_alert_email_is_subscribed():
    plan = aws("partner.yaml")
    subscriptions = plan.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert sorted(s.inputs["endpoint"] for s in subscriptions) == ["finance@example.com", "ops@example.com"]
    assert {s.inputs["protocol"] for s in subscriptions} == {"email"}


def test_budget_is_monthly_over_the_mission_tag_with_one_alert_per_threshold():
    budget = aws().one(BUDGET).inputs
    assert (budget["budgetType"], budget["timeUnit"], budget["limitUnit"]) == ("COST", "MONTHLY", "USD")
    assert budget["limitAmount"] == "8000.00"
    assert budget["costFilters"] == [{"name": "TagKeyValue", "values": ["user:mission$noaa20"]}]
    assert [(n["threshold"], n["thresholdType"], n["notificationType"]) for n in budget["notifications"]] == [
        (80, "PERCENTAGE", "ACTUAL"),
        (100, "PERCENTAGE", "ACTUAL"),
    ]
    assert all(n["subscriberEmailAddresses"] == ["ground-ops@example.com"] for n in budget["notifications"])


def test_observability_capabilities_are_realized():
    plan = aws()
    assert {r.type for r in plan.realizing("observability.alarm")} >= {ALARM, TOPIC}
    assert [r.type for r in plan.realizing("budget.alerts")] == [BUDGET]
    assert {r.type for r in plan.realizing("observability.logging")} >= {
        "aws:s3/bucketLogging:BucketLogging",
        "aws:cloudwatch/logGroup:LogGroup",
    }


def test_removing_an_alert_email_leaves_the_other_subscriptions_alone(tmp_path):
    """A replaced subscription unsubscribes the address and mails a new confirmation: a subscription's
    name follows its address, not its position in the list."""

    def subscriptions(plan):
        return {s.name: s.inputs["endpoint"] for s in plan.of_type("aws:sns/topicSubscription:TopicSubscription")}

    data = spec_data("partner.yaml")
    before = subscriptions(aws("partner.yaml"))
    data["budget"]["alert_emails"] = data["budget"]["alert_emails"][1:]
    after = subscriptions(aws_data(tmp_path, data))
    assert len(after) == len(before) - 1 and after.items() <= before.items()
