"""The AWS container job's pipe: EventBridge Pipes reads the contact queue and submits one Batch
job per message, under a role that may do exactly that and nothing else."""

from __future__ import annotations

from .conftest import variant_plan
from .test_aws_support import ACCOUNT, ROLE_POLICY, doc, statements
from .test_processing_cloud import CONTAINER_JOB

ARN = f"arn:aws:batch:us-west-2:{ACCOUNT}"


def test_the_pipe_may_consume_the_contact_queue_and_submit_any_revision_of_its_own_job_definition() -> None:
    plan = variant_plan("aws", CONTAINER_JOB)
    queue = plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["arn"]
    key = plan.one("aws:kms/key:Key").outputs["arn"]
    assert (
        plan.one("aws:batch/jobDefinition:JobDefinition").outputs["arn"]
        == f"{ARN}:job-definition/noaa20-process-contact:1"
    )
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
            "Resource": [f"{ARN}:job-queue/noaa20-contacts", f"{ARN}:job-definition/noaa20-process-contact:*"],
        },
        {"Sid": "ReadEncryptedQueue", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": key},
    ]


def test_the_pipe_role_is_assumed_by_eventbridge_pipes_and_the_pipe_waits_for_its_policy() -> None:
    plan = variant_plan("aws", CONTAINER_JOB)
    role = plan.one("aws:iam/role:Role", "noaa20-processing-pipe-role")
    (trust,) = statements(doc(role, "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "pipes.amazonaws.com"}
    pipe = plan.one("aws:pipes/pipe:Pipe")
    assert pipe.inputs["roleArn"] == role.outputs["arn"]
    assert plan.one(ROLE_POLICY, "noaa20-processing-pipe-policy").urn in pipe.dependencies
    assert pipe.inputs["targetParameters"]["batchJobParameters"]["parameters"] == {"event": "$.body"}
