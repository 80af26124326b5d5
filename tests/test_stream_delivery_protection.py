"""Contact data a partner streams live waits in a stream until it is read: AWS's Kinesis
stream and Azure's Event Hub (with its own namespace when no telemetry namespace exists)
are protected alike, because the blueprint counts live stream delivery as stateful."""

from __future__ import annotations

import pytest

from groundlink.blueprint import STATEFUL_CAPABILITIES
from groundlink.clouds import CLOUDS

from .conftest import spec_data
from .plan_cache import plan_data

HOLDERS = {
    "aws": {"aws:kinesis/stream:Stream"},
    "azure": {"azure-native:eventhub:EventHub", "azure-native:eventhub:Namespace"},
}


def partner_streaming_without_telemetry() -> dict:
    data = spec_data("partner.yaml")
    data.setdefault("delivery", {})["stream"] = True
    data.setdefault("analytics", {})["telemetry_stream"] = False
    return data


def test_live_stream_delivery_is_a_stateful_capability():
    assert "ground.stream_delivery" in STATEFUL_CAPABILITIES


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_streams_holding_a_partners_live_contact_data_are_protected_on_both_clouds(cloud):
    plan = plan_data(partner_streaming_without_telemetry(), cloud)
    holders = [r for r in plan.custom() if "ground.stream_delivery" in r.capability and r.type in HOLDERS[cloud]]
    assert {r.type for r in holders} == HOLDERS[cloud]
    for resource in holders:
        assert resource.protect and resource.retainOnDelete, (resource.type, resource.name)
