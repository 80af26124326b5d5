"""What the real clouds refuse at `pulumi up` and the mocks accept: regressions over captured plans.

Each test names the API fact it holds the plan to (botocore's models, the pinned provider SDK,
the service documentation), never the mocks.
"""

from __future__ import annotations

import json

import pytest

from groundlink.preflight import aws_api

from .conftest import cached_plan

GS_CONFIG, GS_PROFILE = "aws-native:groundstation:Config", "aws-native:groundstation:MissionProfile"
ROLE_ARN_FIELDS = (
    (GS_CONFIG, "configData.s3RecordingConfig.roleArn"),
    (GS_CONFIG, "configData.telemetrySinkConfig.telemetrySinkData.kinesisDataStreamData.kinesisRoleArn"),
    (GS_PROFILE, "streamsKmsRole"),
)


def _at(inputs: dict, path: str):
    for key in path.split("."):
        inputs = inputs.get(key) if isinstance(inputs, dict) else None
    return inputs


@pytest.mark.parametrize("spec", ["noaa20.yaml", "constellation.yaml"])
def test_ground_station_accepts_every_role_arn_it_is_given(spec):
    """botocore's groundstation `RoleArn` pattern admits no IAM path: roles have none."""
    plan = cached_plan(spec, "aws")
    role_arn = aws_api.constraints()[(GS_CONFIG, "configData.s3RecordingConfig.roleArn")]
    given = [
        arn
        for type_token, path in ROLE_ARN_FIELDS
        for resource in plan.of_type(type_token)
        if (arn := _at(resource.inputs, path))
    ]
    assert len(given) >= 2  # a recording role and the telemetry role, at least
    assert [arn for arn in given if role_arn.broken_by(arn)] == []
    assert all("path" not in role.inputs for role in plan.of_type("aws:iam/role:Role"))


@pytest.mark.parametrize(
    ("spec", "role"), [("noaa20.yaml", "ground-delivery-role"), ("partner.yaml", "ground-partner-role")]
)
def test_s3_writers_hold_what_a_multipart_upload_into_sse_kms_needs(spec, role):
    """S3 multipart uploads into an SSE-KMS bucket need kms:Decrypt as well as kms:GenerateDataKey."""
    plan = cached_plan(spec, "aws")
    mission = plan.stack.rsplit("-", 1)[0]
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", f"{mission}-{role}-policy")
    key = plan.one("aws:kms/key:Key").outputs["arn"]
    statements = json.loads(policy.inputs["policy"])["Statement"]
    assert any("s3:PutObject" in s["Action"] for s in statements)
    on_key = {a for s in statements if s["Resource"] == key for a in s["Action"]}
    assert on_key == {"kms:Decrypt", "kms:GenerateDataKey"}


def test_partner_principal_is_assigned_as_a_service_principal():
    """azure-native sends principalType "User" when none is given; ARM refuses it for the partner's
    service principal (UnmatchedPrincipalType)."""
    plan = cached_plan("partner.yaml", "azure")
    partner = "3f2b8c1e-6a4d-4e2f-9b7a-0c5d1e2f3a4b"  # specs/partner.yaml
    grants = [
        a for a in plan.of_type("azure-native:authorization:RoleAssignment") if a.inputs["principalId"] == partner
    ]
    assert grants
    assert {a.inputs["principalType"] for a in plan.of_type("azure-native:authorization:RoleAssignment")} == {
        "ServicePrincipal"
    }


@pytest.mark.parametrize(
    ("spec", "type_token"),
    [
        ("noaa20.yaml", "azure-native:storage:StorageAccount"),
        ("noaa20.yaml", "azure-native:synapse:Workspace"),
        ("partner.yaml", "azure-native:storage:StorageAccount"),  # a Data Explorer stack's (its cluster has none)
    ],
)
def test_user_assigned_identities_are_a_list_of_ids(spec, type_token):
    """pulumi-azure-native 3.x declares identity.userAssignedIdentities as a list of resource ids."""
    plan = cached_plan(spec, "azure")
    identity = plan.one("azure-native:managedidentity:UserAssignedIdentity").outputs["id"]
    assert plan.one(type_token).inputs["identity"]["userAssignedIdentities"] == [identity]
