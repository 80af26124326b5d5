"""Protection parity: what is stateful comes from the blueprint (STATEFUL_CAPABILITIES),
and each cloud protects a holder of every stateful capability the spec needs, so the two
clouds' protected sets are the same. Azure's telemetry Event Hub and its namespace were
left unprotected while AWS's Kinesis stream was protected; queues of undelivered events
were unprotected on both."""

from __future__ import annotations

import pytest

from groundlink.blueprint import CAPABILITIES, STATEFUL_CAPABILITIES
from groundlink.spec import load_spec

from .conftest import SPECS, cached_plan, spec_data
from .plan_cache import plan_data
from .test_protection_sets import SHARED_SETTINGS

EXAMPLES = sorted(p.name for p in SPECS.glob("*.yaml"))


def protected_capabilities(plan) -> set[str]:
    return {c for r in plan.custom() if r.protect and r.retainOnDelete for c in r.capability} & STATEFUL_CAPABILITIES


@pytest.mark.parametrize("spec", EXAMPLES)
def test_both_clouds_protect_a_holder_of_every_stateful_capability_the_spec_needs(spec):
    needed = {c.id for c in CAPABILITIES if c.needed(load_spec(SPECS / spec))} & STATEFUL_CAPABILITIES
    assert {"storage.products", "security.cmk", "events.per_contact"} <= needed
    aws, azure = (protected_capabilities(cached_plan(spec, cloud)) for cloud in ("aws", "azure"))
    assert aws == azure == needed


@pytest.mark.parametrize(
    ("cloud", "type_token", "name"),
    [
        ("azure", "azure-native:eventhub:EventHub", "noaa20-ground-telemetry-hub"),
        ("azure", "azure-native:eventhub:Namespace", "noaa20-ground-telemetry-namespace"),
        ("azure", "azure-native:servicebus:Queue", "noaa20-events-queue"),
        ("azure", "azure-native:servicebus:Namespace", "noaa20-events-bus"),
        ("aws", "aws:sqs/queue:Queue", "noaa20-events-contacts"),
        ("aws", "aws:sqs/queue:Queue", "noaa20-events-dead-letter"),
        ("aws", "aws:kinesis/stream:Stream", "noaa20-telemetry-stream"),
    ],
)
def test_streams_and_queues_of_undelivered_data_are_protected(cloud, type_token, name):
    resource = cached_plan("noaa20.yaml", cloud).one(type_token, name)
    assert resource.protect and resource.retainOnDelete


def test_dev_protection_protects_nothing_on_either_cloud():
    data = spec_data()
    data.setdefault("storage", {})["data_protection"] = "dev"
    for cloud in ("aws", "azure"):
        resources = plan_data(data, cloud).custom()
        assert not [r.name for r in resources if r.protect]
        # retained, unprotected: the account-wide setting a destroyed dev stack must not reset
        assert not [r.name for r in resources if r.retainOnDelete and r.type not in SHARED_SETTINGS[cloud]]
