"""Azure keeps every log in one Log Analytics workspace, as long as the AWS stack keeps its
longest-kept logs: the raw retention of its log groups, and its VPC flow logs' only where AWS
has a VPC. A public stack with no VPC kept Azure's logs as long as flow logs nobody writes."""

from __future__ import annotations

import pytest

from .conftest import variant_plan

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
WORKSPACE = "azure-native:operationalinsights:Workspace"
# values CloudWatch Logs takes as they are, so AWS's days are the wanted days
RETENTIONS = {
    "storage.raw_retention_days": 60,
    "storage.tiering": [{"after_days": 30, "tier": "cool"}],
    "security.flow_log_retention_days": 400,
}
JOBS = {"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:1"}


@pytest.mark.parametrize(
    ("variant", "longest"),
    [
        # public: no VPC on AWS, so no flow logs (and a retention for them is refused: the default)
        ({"security.flow_log_retention_days": 365}, 60),
        ({"security.network": "private"}, 400),
        ({"delivery.stream": True, "processing.enabled": False}, 400),  # the station's stream endpoints
        (JOBS, 400),  # the container jobs' own network
    ],
    ids=["public", "private", "managed-stream", "container-jobs"],
)
def test_the_workspace_keeps_logs_as_long_as_aws_keeps_its_longest(variant, longest):
    changes = {**RETENTIONS, **variant}
    aws_days = [r.inputs["retentionInDays"] for r in variant_plan("aws", changes).of_type(LOG_GROUP)]
    assert max(aws_days) == longest
    assert variant_plan("azure", changes).one(WORKSPACE).inputs["retentionInDays"] == longest
