"""The AWS container job's pipe: EventBridge Pipes reads the contact queue and submits one Batch
job per message, under a role that may do exactly that and nothing else."""

from __future__ import annotations

import json
import re

import pytest

from groundlink.runtime import job
from groundlink.runtime.delivery import locate

from .aws_support import ACCOUNT, ROLE_POLICY, doc, statements
from .conftest import variant_plan
from .test_processing_cloud import CONTAINER_JOB

ARN = f"arn:aws:batch:us-west-2:{ACCOUNT}"


def test_the_pipe_may_consume_the_contact_queue_and_submit_any_revision_of_its_own_job_definition() -> None:
    plan = variant_plan("aws", CONTAINER_JOB)
    queue = plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["arn"]
    key = plan.one("aws:kms/key:Key").outputs["arn"]
    definition = plan.one("aws:batch/jobDefinition:JobDefinition")
    # named by Pulumi with a random suffix, not by the mission: a second stack of the mission that
    # registered the same name would add a revision, and destroying either stack deregisters
    # every active revision of that name (terraform-provider-aws resourceJobDefinitionDelete)
    assert "name" not in definition.inputs
    assert definition.outputs["arn"] == f"{ARN}:job-definition/noaa20-processing-job-32a8e05:1"
    assert statements(doc(plan.one(ROLE_POLICY, "noaa20-processing-pipe-policy"))) == [
        {
            "Sid": "ConsumeContactQueue",
            "Effect": "Allow",
            "Action": ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            "Resource": queue,
        },
        {
            "Sid": "SubmitJobs",
            "Effect": "Allow",
            "Action": ["batch:SubmitJob"],
            "Resource": [f"{ARN}:job-queue/noaa20-contacts", f"{ARN}:job-definition/noaa20-processing-job-32a8e05:*"],
        },
        # the key only through SQS: one key encrypts every store
        {
            "Sid": "ReadEncryptedQueue",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": key,
            "Condition": {"StringEquals": {"kms:ViaService": "sqs.us-west-2.amazonaws.com"}},
        },
    ]


def test_the_pipe_role_is_assumed_by_eventbridge_pipes_and_the_pipe_waits_for_its_policy() -> None:
    plan = variant_plan("aws", CONTAINER_JOB)
    role = plan.one("aws:iam/role:Role", "noaa20-processing-pipe-role")
    (trust,) = statements(doc(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "pipes.amazonaws.com"}
    pipe = plan.one("aws:pipes/pipe:Pipe")
    assert pipe.inputs["roleArn"] == role.outputs["arn"]
    assert plan.one(ROLE_POLICY, "noaa20-processing-pipe-policy").urn in pipe.dependencies


# Real-shaped events, as the queue holds them: Ground Station's upload (the fields AWS's S3 data
# delivery sample reads: detail.bucketArn, contactId, keyFormat) and an S3 "Object Created"
# (Amazon S3 User Guide, "EventBridge event message structure").
UPLOAD = {
    "version": "0",
    "id": "2b4fd3ab-0bb2-4d0b-a2c0-3c4b7b1f0f11",
    "detail-type": "Ground Station S3 Upload Complete",
    "source": "aws.groundstation",
    "account": ACCOUNT,
    "time": "2026-12-01T10:21:07Z",
    "region": "us-west-2",
    "resources": [],
    "detail": {
        "contactId": "3a3b7b4e-54f5-4c3c-9f4e-9d8b6a0e9c21",
        "bucketArn": "arn:aws:s3:::noaa20-raw",
        "keyFormat": "contacts/year=2026/month=12/day=01/3a3b7b4e-54f5-4c3c-9f4e-9d8b6a0e9c21_{datetime}.pcap",
    },
}
MANIFEST = {
    "version": "0",
    "id": "17793124-05d4-b198-2fde-7ededc63b103",
    "detail-type": "Object Created",
    "source": "aws.s3",
    "account": ACCOUNT,
    "time": "2026-12-01T10:21:07Z",
    "region": "us-west-2",
    "resources": ["arn:aws:s3:::partner-raw"],
    "detail": {
        "version": "0",
        "bucket": {"name": "partner-raw"},
        "object": {"key": "partner/year=2026/month=12/day=01/satellite=snpp/pass-0042/manifest.json", "size": 212},
        "reason": "PutObject",
    },
}


def _command_batch_runs(plan, body: str) -> list[str]:
    """The command Batch runs for a message: Pipes fills each job parameter from its JSON path
    into the parsed body ("$.body.someKey": "EventBridge extracts the value"), and Batch puts
    each parameter, else the job definition's default, where the command says `Ref::`."""
    parameters = plan.one("aws:pipes/pipe:Pipe").inputs["targetParameters"]["batchJobParameters"]["parameters"]
    definition = plan.one("aws:batch/jobDefinition:JobDefinition")
    given = {}
    for name, path in parameters.items():
        value = json.loads(body)
        for key in path.removeprefix("$.body.").split("."):
            value = value[key]
        # a text field: nothing Pipes would have to flatten into the parameter's string
        assert isinstance(value, str), (name, path, value)
        given[name] = value
    values = {**definition.inputs["parameters"], **given}
    command = json.loads(definition.inputs["containerProperties"])["command"]
    return [re.sub(r"Ref::(\w+)", lambda m: values[m.group(1)], arg) for arg in command]


@pytest.mark.parametrize(
    ("base", "event"), [("noaa20.yaml", UPLOAD), ("partner.yaml", MANIFEST)], ids=["station", "partner"]
)
def test_the_job_batch_runs_for_a_message_locates_the_contact_of_its_event(base, event, monkeypatch) -> None:
    """The pipe passes no JSON object into a job parameter: a path to one loses its quotes there
    (EventBridge Pipes input transformation). The fields it passes give the job the contact the
    whole event names."""
    command = _command_batch_runs(variant_plan("aws", CONTAINER_JOB, base), json.dumps(event))
    assert command[:3] == ["python", "-m", "groundlink.runtime.job"]
    assert "Ref::" not in " ".join(command)
    seen: list[str] = []
    monkeypatch.setattr(job, "run_aws", seen.append)
    assert job.main(command[3:]) == 0
    (body,) = seen
    assert locate(json.loads(body)) == locate(event)


def test_a_station_job_mission_starts_no_job_for_a_failed_contact() -> None:
    """A failed contact is only acknowledged, and the pipe's parameters are the upload's fields:
    in job mode the rule passes uploads into the mission's raw bucket alone."""
    plan = variant_plan("aws", CONTAINER_JOB)
    pattern = json.loads(plan.one("aws:cloudwatch/eventRule:EventRule", "noaa20-events-contact").inputs["eventPattern"])
    raw = plan.one("aws:s3/bucket:Bucket", "noaa20-storage-raw").outputs["arn"]
    assert pattern == {
        "source": ["aws.groundstation"],
        "detail-type": ["Ground Station S3 Upload Complete"],
        "detail": {"bucketArn": [raw]},
    }


def test_a_field_that_starts_with_a_dash_reaches_the_job_as_its_value(monkeypatch) -> None:
    """Batch gives each parameter an argument of its own: `--object-key -x/manifest.json` is
    the key, not an option the job does not know (which would exit 2, a setting problem)."""
    seen: list[str] = []
    monkeypatch.setattr(job, "run_aws", seen.append)
    key = "-partner/year=2026/month=12/day=01/satellite=snpp/pass-0042/manifest.json"
    args = ["--source", "aws.s3", "--detail-type", "Object Created", "--time", "-", "--contact-id", "-"]
    assert job.main([*args, "--object-key", key]) == 0
    assert json.loads(seen[0]) == {
        "source": "aws.s3",
        "detail-type": "Object Created",
        "detail": {"object": {"key": key}},
    }


def _batch_failed_event(command: list[str], job_id: str) -> dict:
    """Batch's FAILED job state event for the job that ran `command`: its detail holds the job's
    parameters, the ones the pipe gave (AWS Batch User Guide, "Job state change events")."""
    options = dict(zip(command[3::2], command[4::2], strict=True))
    parameters = {
        name: options[job._option(name)] for name in job.JOB_EVENT_FIELDS if options[job._option(name)] != "-"
    }
    return {
        "source": "aws.batch",
        "detail-type": "Batch Job State Change",
        "time": "2026-12-01T11:02:44Z",
        "detail": {
            "jobId": job_id,
            "status": "FAILED",
            "statusReason": 'Essential container in task exited: "capture" unreadable',
            "parameters": parameters,
        },
    }


def _transformed(target_inputs: dict, event: dict) -> str:
    """What EventBridge sends for `event` through the target's input transformer: each path's
    value put in for its placeholder, as JSON where the placeholder stands outside quotes."""
    text = target_inputs["inputTransformer"]["inputTemplate"]
    for name, path in target_inputs["inputTransformer"]["inputPaths"].items():
        value = event
        for key in path.removeprefix("$.").split("."):
            value = value[key]
        text = text.replace(f"<{name}>", json.dumps(value))
    return text


@pytest.mark.parametrize(
    ("base", "event"), [("noaa20.yaml", UPLOAD), ("partner.yaml", MANIFEST)], ids=["station", "partner"]
)
def test_a_failed_job_s_dead_letter_message_redriven_resubmits_its_contact(base, event, monkeypatch) -> None:
    """A job that failed every attempt is dead-lettered by a rule on Batch's FAILED event. That
    event, redriven into the contact queue, reached a job as no contact, which acknowledged it:
    the contact was lost. The dead-letter message is now the contact's event again, with the job's id."""
    plan = variant_plan("aws", CONTAINER_JOB, base)
    name = "noaa20" if base == "noaa20.yaml" else "polar-partner"
    target = plan.one("aws:cloudwatch/eventTarget:EventTarget", f"{name}-events-failed-jobs-to-dead-letter").inputs
    first = _command_batch_runs(plan, json.dumps(event))
    message = _transformed(target, _batch_failed_event(first, "4f6c1b9e-job"))
    assert json.loads(message)[job.FAILED_JOB_KEY] == "4f6c1b9e-job"
    # redriven: the pipe submits the same job for it as for the contact's own event
    assert _command_batch_runs(plan, message) == first
    seen: list[str] = []
    monkeypatch.setattr(job, "run_aws", seen.append)
    assert job.main(first[3:]) == 0
    assert locate(json.loads(seen[0])) == locate(event)


SUBNET = "aws:ec2/subnet:Subnet"


@pytest.mark.parametrize(
    ("region", "zone"),
    [("us-west-1", "usw1-az1"), ("ap-northeast-1", "apne1-az1"), ("us-west-2", None)],
)
def test_the_jobs_subnet_is_in_a_zone_where_fargate_runs(region: str, zone: str | None) -> None:
    """Fargate runs Linux tasks in some zones of us-west-1 and ap-northeast-1 only (Amazon ECS
    Developer Guide, "Supported Regions for Amazon ECS on AWS Fargate"): the jobs' subnet, left to
    EC2's pick, could land where no job would ever start. It is made in a zone Fargate runs in,
    and a subnet made before keeps its own (no replacement over the same range); elsewhere EC2
    picks."""
    plan = variant_plan("aws", {**CONTAINER_JOB, "clouds.aws.region": region}, base="partner.yaml")
    (jobs,) = [s for s in plan.of_type(SUBNET) if s.name.startswith("polar-partner-processing-network")]
    assert jobs.inputs.get("availabilityZoneId") == zone
    assert (jobs.ignoreChanges == ["availabilityZoneId"]) == (zone is not None)
