"""AWS events: one EventBridge event per contact into an encrypted queue, with a dead-letter queue."""

from __future__ import annotations

import json

import pytest
from groundlink.components.aws.events import PROFILES_PER_RULE, contact_event_pattern, names_profiles

from groundlink.blueprint import build_blueprint
from groundlink.limits import EVENT_PATTERN_MAX, MISSION_PROFILE_ARN_MAX
from groundlink.spec import spec_from_data

from .aws_support import KEY, aws, aws_variant, bucket_by_role, doc, sid
from .conftest import spec_data

RULE = "aws:cloudwatch/eventRule:EventRule"
QUEUE = "aws:sqs/queue:Queue"


def queues(plan):
    return plan.one(QUEUE, f"{plan.outputs['mission']}-events-contacts"), plan.one(
        QUEUE, f"{plan.outputs['mission']}-events-dead-letter"
    )


def pattern(plan):
    return doc(plan.one(RULE), "eventPattern")


def test_managed_contacts_signal_once_each_through_ground_station_events():
    plan = aws()
    found = pattern(plan)
    assert found["source"] == ["aws.groundstation"]
    upload, ended = found["$or"]
    # only uploads into this mission's raw bucket: Ground Station sends every upload of the
    # account and region, and another mission's would end in this one's dead-letter queue
    raw = bucket_by_role(plan, "raw").outputs["arn"]
    assert upload == {"detail-type": ["Ground Station S3 Upload Complete"], "detail": {"bucketArn": [raw]}}
    assert ended["detail-type"] == ["Ground Station Contact State Change"]
    # a contact that delivered raises Upload Complete; COMPLETED would count it twice
    assert "COMPLETED" not in ended["detail"]["contactStatus"]
    assert {"FAILED", "AWS_FAILED", "AWS_CANCELLED", "FAILED_TO_SCHEDULE"} <= set(ended["detail"]["contactStatus"])
    # only this stack's contacts: another mission's (or another stack's) ending reaches its own queue
    assert ended["detail"]["missionProfileArn"] == profile_arns(plan)


def profile_arns(plan):
    return [p.outputs["arn"] for p in plan.of_type("aws-native:groundstation:MissionProfile")]


def test_a_constellation_s_profiles_are_spread_over_rules_each_within_eventbridge_s_pattern_size():
    """24 satellites, 24 mission profiles: more ARNs than one pattern holds (2048 characters), so
    rules of ten profiles each; the upload, matched by the bucket, is in the first alone, or each
    contact would be sent once per rule."""
    plan = aws("constellation.yaml")
    rules = sorted(plan.of_type(RULE), key=lambda r: r.name)
    contact_rules = [r for r in rules if r.name.startswith("eo-constellation-events-contact")]
    assert [r.name for r in contact_rules] == [
        "eo-constellation-events-contact",
        "eo-constellation-events-contact-2",
        "eo-constellation-events-contact-3",
    ]
    patterns = [json.loads(r.inputs["eventPattern"]) for r in contact_rules]
    assert "$or" in patterns[0] and all("$or" not in p for p in patterns[1:])
    named = [
        patterns[0]["$or"][1]["detail"]["missionProfileArn"],
        *[p["detail"]["missionProfileArn"] for p in patterns[1:]],
    ]
    assert [len(n) for n in named] == [10, 10, 4]
    assert [r.inputs["description"] for r in contact_rules[1:]] == [
        "eo-constellation: one event per contact (mission profiles 11-20)",
        "eo-constellation: one event per contact (mission profiles 21-24)",
    ]
    assert sorted(arn for arns in named for arn in arns) == sorted(profile_arns(plan))
    contacts = queues(plan)[0]
    policy = next(
        p for p in plan.of_type("aws:sqs/queuePolicy:QueuePolicy") if p.inputs["queueUrl"] == contacts.outputs["url"]
    )
    senders = sid(doc(policy), "ContactRuleSends")["Condition"]["ArnEquals"]["aws:SourceArn"]
    assert sorted(senders) == sorted(r.outputs["arn"] for r in contact_rules)


def test_the_longest_pattern_of_a_rule_fits_eventbridge_s_limit():
    """Ten profile ARNs of Ground Station's longest (138 characters) and the longest bucket ARN."""
    inputs = build_blueprint(spec_from_data(spec_data())).for_cloud("aws").events
    longest = json.dumps(
        contact_event_pattern(
            inputs, "b" * 63, "arn:aws-us-gov:s3:::" + "b" * 63, ["a" * MISSION_PROFILE_ARN_MAX] * PROFILES_PER_RULE
        )
    )
    assert len(longest) <= EVENT_PATTERN_MAX


def test_stream_only_contacts_signal_on_completion():
    plan = aws_variant("stream-only-wideband")
    found = pattern(plan)
    assert found["detail-type"] == ["Ground Station Contact State Change"]
    assert "COMPLETED" in found["detail"]["contactStatus"]
    # every contact of the account and region completes: only this stack's are its contacts
    assert found["detail"]["missionProfileArn"] == profile_arns(plan)


def test_partner_contacts_signal_on_the_manifest_in_the_landing_prefix():
    plan = aws("partner.yaml")
    found = pattern(plan)
    bucket = bucket_by_role(plan, "raw")
    assert found["source"] == ["aws.s3"] and found["detail-type"] == ["Object Created"]
    assert found["detail"]["bucket"]["name"] == [bucket.outputs["bucket"]]
    # the manifest by its exact name: `capture_manifest.json` is a data file, not a contact's end
    assert found["detail"]["object"]["key"] == [{"wildcard": "partner/*/manifest.json"}]
    notification = plan.one("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs == {"bucket": bucket.outputs["bucket"], "eventbridge": True}
    assert not aws().of_type("aws:s3/bucketNotification:BucketNotification")


def test_rule_targets_the_queue_and_dead_letters_failed_deliveries():
    plan = aws()
    queue, dead = queues(plan)
    target = plan.one("aws:cloudwatch/eventTarget:EventTarget")
    assert target.inputs["rule"] == plan.one(RULE).outputs["name"]
    assert target.inputs["arn"] == queue.outputs["arn"]
    assert target.inputs["deadLetterConfig"] == {"arn": dead.outputs["arn"]}


def test_queues_are_encrypted_with_the_mission_key_and_redrive_to_the_dead_letter_queue():
    plan = aws()
    queue, dead = queues(plan)
    key = plan.one(KEY).outputs["arn"]
    assert queue.inputs["kmsMasterKeyId"] == key and dead.inputs["kmsMasterKeyId"] == key
    assert json.loads(queue.inputs["redrivePolicy"]) == {
        "deadLetterTargetArn": dead.outputs["arn"],
        "maxReceiveCount": 5,
    }
    allow = json.loads(plan.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy").inputs["redriveAllowPolicy"])
    assert allow == {"redrivePermission": "byQueue", "sourceQueueArns": [queue.outputs["arn"]]}
    assert dead.inputs["messageRetentionSeconds"] == 14 * 24 * 3600


def test_queue_policies_admit_only_the_contact_rule_over_tls():
    plan = aws()
    rule = plan.one(RULE).outputs["arn"]
    assert len(queues(plan)) == 2  # the contact queue and its dead-letter queue
    for queue in queues(plan):
        policy = next(
            p for p in plan.of_type("aws:sqs/queuePolicy:QueuePolicy") if p.inputs["queueUrl"] == queue.outputs["url"]
        )
        send = sid(doc(policy), "ContactRuleSends")
        assert send["Principal"] == {"Service": "events.amazonaws.com"} and send["Action"] == "sqs:SendMessage"
        assert send["Resource"] == queue.outputs["arn"]
        assert send["Condition"] == {"ArnEquals": {"aws:SourceArn": rule}}
        assert sid(doc(policy), "DenyInsecureTransport")["Effect"] == "Deny"


def test_without_cmk_queues_use_sqs_managed_encryption():
    assert queues(aws_variant("no-cmk"))
    for queue in queues(aws_variant("no-cmk")):
        assert queue.inputs["sqsManagedSseEnabled"] is True and "kmsMasterKeyId" not in queue.inputs


def _events_inputs(**edits):
    data = spec_data()
    for path, value in edits.items():
        section, field = path.split(".")
        data.setdefault(section, {})[field] = value
    return build_blueprint(spec_from_data(data)).for_cloud("aws").events


def test_a_further_rule_names_its_profiles_endings_alone_and_a_pattern_of_uploads_has_none():
    """A further rule of a constellation takes its profiles' state changes, never the upload (the
    first rule's, or each upload would reach the queue once per rule); a container job's pattern
    names no profile, so asking for a further rule of it is a mistake said at once, not a copy of
    the upload pattern."""
    inputs = _events_inputs()
    further = contact_event_pattern(inputs, "raw", "arn:aws:s3:::raw", ["arn:p11"], uploads=False)
    assert further == {
        "source": ["aws.groundstation"],
        "detail-type": ["Ground Station Contact State Change"],
        "detail": {
            "contactStatus": ["AWS_CANCELLED", "AWS_FAILED", "FAILED", "FAILED_TO_SCHEDULE"],
            "missionProfileArn": ["arn:p11"],
        },
    }
    jobs = _events_inputs(
        **{"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:2"}
    )
    assert jobs.container_jobs and not names_profiles(jobs) and names_profiles(inputs)
    with pytest.raises(ValueError, match="no further rule"):
        contact_event_pattern(jobs, "raw", "arn:aws:s3:::raw", ["arn:p11"], uploads=False)
    assert contact_event_pattern(jobs, "raw", "arn:aws:s3:::raw")["detail-type"] == [
        "Ground Station S3 Upload Complete"
    ]
