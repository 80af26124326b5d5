"""The contact processor reaches its Service Bus queue from the subnet it runs in.

Standard namespaces (the default) take neither private endpoints nor virtual network rules: the
processor reaches them over the public endpoint, with Entra ID only. A Premium namespace
(`security.premium_messaging`) is closed to everything but the processor's subnet, through its
Microsoft.ServiceBus service endpoint, and trusted services, so Event Grid still delivers.
Preflight finds each way the wiring can miss (docs/processing.md, "Reaching the contact queue").
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from groundlink.preflight import preflight_planned, servicebus_reach

from .conftest import cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

SUBNET = "azure-native:network:Subnet"
NAMESPACE = "azure-native:servicebus:Namespace"
RULE_SET = "azure-native:servicebus:NamespaceNetworkRuleSet"
PREMIUM = {"security.premium_messaging": True}


def _subnet(plan):
    (subnet,) = [s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    return subnet


def _rules(plan) -> list[str]:
    return [f.rule for f in servicebus_reach.azure_findings(plan)]


@pytest.fixture(scope="module")
def premium_public():
    return variant_plan("azure", PREMIUM)


@pytest.fixture(scope="module")
def premium_private():
    return variant_plan("azure", {**PREMIUM, "security.network": "private"})


def test_a_standard_namespace_stays_on_its_public_endpoint_and_the_subnet_has_no_servicebus_endpoint(
    azure_noaa20,
) -> None:
    namespace = azure_noaa20.one(NAMESPACE)
    assert namespace.inputs["sku"]["tier"] == "Standard" and namespace.inputs["publicNetworkAccess"] == "Enabled"
    assert namespace.inputs["disableLocalAuth"] is True  # Entra ID only
    assert azure_noaa20.of_type(RULE_SET) == []
    assert {e["service"] for e in _subnet(azure_noaa20).inputs["serviceEndpoints"]} == {"Microsoft.Storage"}


@pytest.mark.parametrize("network", ["public", "private"])
def test_a_premium_namespace_admits_only_the_processor_subnet_and_trusted_services(
    network, premium_public, premium_private
) -> None:
    plan = premium_public if network == "public" else premium_private
    subnet = _subnet(plan)
    rule_set = plan.one(RULE_SET)
    assert rule_set.inputs["namespaceName"] == plan.one(NAMESPACE).inputs["namespaceName"]
    assert rule_set.inputs["defaultAction"] == "Deny" and rule_set.inputs["trustedServiceAccessEnabled"] is True
    assert rule_set.inputs["virtualNetworkRules"] == [
        {"subnet": {"id": subnet.outputs["id"]}, "ignoreMissingVnetServiceEndpoint": False}
    ]
    assert rule_set.inputs["ipRules"] == []
    assert {"service": "Microsoft.ServiceBus"} in subnet.inputs["serviceEndpoints"]


def test_every_processing_network_passes_preflight(azure_noaa20, premium_public, premium_private) -> None:
    plans = [azure_noaa20, cached_plan("partner.yaml", "azure"), variant_plan("azure", CONTAINER_JOB)]
    plans += [premium_public, premium_private]
    assert [_rules(p) for p in plans] == [[]] * len(plans)
    assert preflight_planned(premium_public) == [] and preflight_planned(premium_private) == []


def test_a_servicebus_endpoint_on_the_subnet_of_a_standard_namespace_is_found(azure_noaa20) -> None:
    plan = copy.deepcopy(azure_noaa20)
    _subnet(plan).inputs["serviceEndpoints"].append({"service": "Microsoft.ServiceBus"})
    (finding,) = servicebus_reach.azure_findings(plan)
    assert (finding.resource, finding.path) == (
        "noaa20-processing-app",
        "siteConfig.appSettings[ServiceBusConnection__fullyQualifiedNamespace]",
    )
    assert finding.rule == (
        "runs in subnet noaa20-security-processing, whose Microsoft.ServiceBus service endpoint reaches Premium "
        f"namespaces only, and namespace {finding.value} is not Premium"
    )


def test_a_closed_namespace_without_the_subnet_endpoint_or_trusted_services_is_found(premium_public) -> None:
    plan = copy.deepcopy(premium_public)
    _subnet(plan).inputs["serviceEndpoints"] = [{"service": "Microsoft.Storage"}]
    plan.one(RULE_SET).inputs["trustedServiceAccessEnabled"] = False
    name = plan.one(NAMESPACE).inputs["namespaceName"]
    assert _rules(plan) == [
        f"namespace {name} does not admit subnet noaa20-security-processing: it needs a virtual network rule with "
        "the subnet's Microsoft.ServiceBus service endpoint, or a private endpoint in "
        "privatelink.servicebus.windows.net linked to the subnet's network",
        f"namespace {name} is closed without trusted service access: Event Grid cannot deliver contact events "
        "to its queue",
    ]


def test_a_container_job_is_held_to_the_same_namespace_rules() -> None:
    plan = copy.deepcopy(variant_plan("azure", CONTAINER_JOB))
    plan.one(NAMESPACE).inputs["publicNetworkAccess"] = "Disabled"
    findings = list(servicebus_reach.azure_findings(plan))
    assert [(f.type, f.path) for f in findings] == [
        ("azure-native:app:Job", "configuration.eventTriggerConfig.scale.rules[0].metadata.namespace")
    ] * 2  # not admitted, and Event Grid cut off


def _with_namespace_private_endpoint(plan, linked_network: str):
    """`plan` with the namespace's public access off and a private endpoint of it registered in
    the Service Bus zone, that zone linked to `linked_network`: copies of the vault's own."""
    changed = copy.deepcopy(plan)
    namespace = changed.one(NAMESPACE)
    namespace.inputs["publicNetworkAccess"] = "Disabled"
    endpoint = changed.of_type("azure-native:network:PrivateEndpoint")[0]
    group = next(
        g
        for g in changed.of_type("azure-native:network:PrivateDnsZoneGroup")
        if g.inputs["privateEndpointName"] == endpoint.inputs["privateEndpointName"]
    )
    zone = changed.of_type("azure-native:privatedns:PrivateZone")[0]
    link = changed.of_type("azure-native:privatedns:VirtualNetworkLink")[0]
    zone_id = zone.outputs["id"].rsplit("/", 1)[0] + "/" + servicebus_reach.ZONE
    changed.resources += [
        dataclasses.replace(
            endpoint,
            name="bus-endpoint",
            inputs={
                **endpoint.inputs,
                "privateEndpointName": "pe-bus",
                "privateLinkServiceConnections": [
                    {"privateLinkServiceId": namespace.outputs["id"], "groupIds": ["namespace"], "name": "bus"}
                ],
            },
        ),
        dataclasses.replace(
            group,
            name="bus-endpoint-dns",
            inputs={
                **group.inputs,
                "privateEndpointName": "pe-bus",
                "privateDnsZoneConfigs": [{"privateDnsZoneId": zone_id, "name": "namespace"}],
            },
        ),
        dataclasses.replace(
            zone,
            name="bus-zone",
            inputs={**zone.inputs, "privateZoneName": servicebus_reach.ZONE},
            outputs={"id": zone_id},
        ),
        dataclasses.replace(
            link,
            name="bus-zone-link",
            inputs={**link.inputs, "privateZoneName": servicebus_reach.ZONE, "virtualNetwork": {"id": linked_network}},
        ),
    ]
    return changed


def test_a_private_namespace_is_reached_through_its_endpoint_only_when_the_zone_is_linked_to_the_app_network() -> None:
    plan = cached_plan("partner.yaml", "azure")
    network = _subnet(plan).outputs["id"].rsplit("/subnets/", 1)[0]
    closed = copy.deepcopy(plan)
    closed.one(NAMESPACE).inputs["publicNetworkAccess"] = "Disabled"
    assert len(_rules(closed)) == 2  # not admitted, and Event Grid cut off
    linked = _with_namespace_private_endpoint(plan, network)
    assert [r for r in _rules(linked) if "does not admit" in r] == []
    elsewhere = _with_namespace_private_endpoint(plan, network + "-other")
    assert [r for r in _rules(elsewhere) if "does not admit" in r] != []


def test_a_public_endpoint_behind_a_private_subnet_needs_a_nat_gateway(azure_noaa20) -> None:
    plan = copy.deepcopy(azure_noaa20)
    _subnet(plan).inputs["defaultOutboundAccess"] = False
    (rule,) = _rules(plan)
    assert rule.endswith(
        "over its public endpoint from subnet noaa20-security-processing, which has no default "
        "outbound access and no NAT gateway"
    )
    _subnet(plan).inputs["natGateway"] = {"id": "/subscriptions/x/natGateways/processing"}
    assert _rules(plan) == []


def test_a_premium_namespace_named_by_its_sku_name_alone_is_premium(premium_public) -> None:
    """The SDK's SBSkuArgs takes `name` and an optional `tier`: a namespace of `sku: {name:
    Premium}` was judged Standard, and its subnet's Service Bus endpoint refused."""
    plan = copy.deepcopy(premium_public)
    assert _rules(plan) == []
    namespace = plan.one(NAMESPACE)
    namespace.inputs["sku"] = {"name": "Premium", "capacity": 1.0}
    assert _rules(plan) == []
    namespace.inputs["sku"] = {"name": "Standard"}
    assert [r for r in _rules(plan) if "is not Premium" in r]


def test_a_rule_set_that_denies_with_no_rule_leaves_the_namespace_open(premium_public) -> None:
    """Service Bus does not enforce `Deny` without a rule: a rule set of `defaultAction: Deny` and
    no IP or virtual network rule leaves the namespace on its public endpoint, which the processor
    reaches; it was read as closed and the processor's subnet said not admitted."""
    plan = copy.deepcopy(premium_public)
    plan.one(RULE_SET).inputs["virtualNetworkRules"] = []
    assert _rules(plan) == []


def test_a_rule_set_that_turns_public_access_off_closes_the_namespace(premium_public) -> None:
    """Public network access off in the rule set closes the namespace whatever its default action:
    a subnet without the Microsoft.ServiceBus service endpoint is then not admitted."""
    plan = copy.deepcopy(premium_public)
    plan.one(RULE_SET).inputs.update(defaultAction="Allow", publicNetworkAccess="Disabled")
    _subnet(plan).inputs["serviceEndpoints"] = [{"service": "Microsoft.Storage"}]
    name = plan.one(NAMESPACE).inputs["namespaceName"]
    assert _rules(plan) == [
        f"namespace {name} does not admit subnet noaa20-security-processing: it needs a virtual network rule with "
        "the subnet's Microsoft.ServiceBus service endpoint, or a private endpoint in "
        "privatelink.servicebus.windows.net linked to the subnet's network"
    ]
