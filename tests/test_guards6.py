"""One-line edits a sampled mutation run left alive (2026-12-04, `make mutation` at 6e4b6da),
each guarded by what the real clouds take or what a user sees: the telemetry archive's key
grant, the dead-letter alarm, the Batch job's resource requirements, the processing role's
capability, the Azure action group's name, and the private network's DNS wiring.

The planned tests share the example's plans and two variants already built by other files
(container jobs, a private network)."""

from __future__ import annotations

import json

import pytest

from groundlink.engine import Plan

from .azure_support import every, one
from .conftest import cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB


@pytest.fixture(scope="module")
def aws() -> Plan:
    return cached_plan("noaa20.yaml", "aws")


@pytest.fixture(scope="module")
def azure_private() -> Plan:
    return variant_plan("azure", {"security.network": "private"})


def test_the_telemetry_archive_may_use_the_mission_key_to_write_products(aws):
    """Firehose decrypts the stream and encrypts what it writes with the mission's key: without
    kms:GenerateDataKey its writes into the SSE-KMS products bucket are refused."""
    policy = json.loads(aws.one("aws:iam/rolePolicy:RolePolicy", "noaa20-telemetry-archive-policy").inputs["policy"])
    (grant,) = [s for s in policy["Statement"] if s["Sid"] == "UseMissionKey"]
    assert grant["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert grant["Resource"] == aws.one("aws:kms/key:Key").outputs["arn"]
    # through the stream and the bucket only: the key encrypts every store, and the role could
    # otherwise decrypt any of them calling KMS itself
    assert grant["Condition"] == {
        "StringEquals": {"kms:ViaService": ["kinesis.us-west-2.amazonaws.com", "s3.us-west-2.amazonaws.com"]}
    }


def test_messages_in_the_dead_letter_queue_raise_the_alarm(aws):
    """An event that failed every delivery lands in the dead-letter queue: its alarm watches that
    queue by name (without it nothing says a contact's event was lost)."""
    dead = aws.one("aws:sqs/queue:Queue", "noaa20-events-dead-letter")
    alarm = aws.one("aws:cloudwatch/metricAlarm:MetricAlarm", "noaa20-observability-dead-letters")
    assert alarm.inputs["dimensions"] == {"QueueName": dead.outputs["name"]}
    assert (alarm.inputs["namespace"], alarm.inputs["metricName"]) == ("AWS/SQS", "ApproximateNumberOfMessagesVisible")


def test_the_batch_job_asks_for_its_vcpus_and_memory_by_type():
    """Batch reads ResourceRequirement.type (VCPU, MEMORY, GPU); a requirement without it is refused."""
    job = variant_plan("aws", CONTAINER_JOB).one("aws:batch/jobDefinition:JobDefinition", "noaa20-processing-job")
    requirements = json.loads(job.inputs["containerProperties"])["resourceRequirements"]
    assert [sorted(r) for r in requirements] == [["type", "value"], ["type", "value"]]
    assert [r["type"] for r in requirements] == ["VCPU", "MEMORY"]


def test_the_processing_role_realizes_least_privilege(aws):
    """The parity matrix's processing.least_privilege row is realized by the processor's own role
    (and its inline policy): without the tag the row reads as a gap on AWS."""
    role = aws.one("aws:iam/role:Role", "noaa20-processing-role")
    assert role.capability == ["processing.function", "processing.least_privilege"]


def test_the_action_group_has_the_missions_name():
    """The action group is named `ag-<mission>`: left to Pulumi, the name gets a random suffix,
    and any later naming change replaces the group the alerts point at."""
    group = one(cached_plan("noaa20.yaml", "azure"), "monitor:ActionGroup")
    assert group.inputs["actionGroupName"] == "ag-noaa20"


def test_each_private_dns_zone_is_linked_to_the_endpoints_vnet(azure_private):
    """A zone resolves the private endpoints' names only inside a VNet linked to it."""
    (vnet,) = every(azure_private, "network:VirtualNetwork")
    links = every(azure_private, "privatedns:VirtualNetworkLink")
    assert links and all(link.inputs["virtualNetwork"] == {"id": vnet.outputs["id"]} for link in links)


def test_each_private_endpoint_registers_its_name_in_its_zone(azure_private):
    """The DNS zone group writes the endpoint's record into the private zone: without its zone
    configs the service's name resolves to the public address, which the firewall refuses."""
    zones = {z.outputs["name"]: z.outputs["id"] for z in every(azure_private, "privatedns:PrivateZone")}
    groups = every(azure_private, "network:PrivateDnsZoneGroup")
    assert groups
    for group in groups:
        configs = group.inputs["privateDnsZoneConfigs"]
        assert configs and all(c["privateDnsZoneId"] in zones.values() for c in configs), group.name
