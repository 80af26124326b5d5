"""Whether the contact processor can reach its Service Bus namespace from the subnet it joins.

A Flex Consumption app routes all its traffic through the virtual network it integrates with, and
a Container Apps environment lives in its subnet, so the namespace must admit that subnet:

- a namespace closed to the internet (public network access disabled, or a firewall that denies by
  default and names at least one rule: without a rule Service Bus does not enforce `Deny`) admits
  the subnet by a virtual network rule, which needs the subnet's Microsoft.ServiceBus service
  endpoint, or by a private endpoint of the namespace registered in privatelink.servicebus.windows.net,
  a zone linked to the subnet's network;
- a subnet with a Microsoft.ServiceBus service endpoint reaches Premium namespaces only;
- a namespace reached over its public endpoint needs a way out of the subnet: a subnet created
  without default outbound access has none unless a NAT gateway is attached;
- a closed namespace that Event Grid delivers to lets trusted services through.

Azure accepts every one of these plans at preview; the processor then never receives a contact.
docs/processing.md, "Reaching the contact queue", has the sources.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..engine.plan import Plan, PlannedResource
from ..runtime.azure_functions import CONNECTION
from .findings import Finding, items, mapping
from .integration import joined

SOURCE = "Azure Service Bus network security and Azure Functions networking (docs/processing.md)"
ZONE = "privatelink.servicebus.windows.net"
HOST_SUFFIX = ".servicebus.windows.net"
ENDPOINT_SERVICE = "Microsoft.ServiceBus"
NAMESPACE = "azure-native:servicebus:Namespace"
RULE_SET = "azure-native:servicebus:NamespaceNetworkRuleSet"
APP_SETTING = f"{CONNECTION}__fullyQualifiedNamespace"


@dataclass(frozen=True)
class Consumer:
    """A resource that receives from a namespace, where it says so, and the subnet it runs in."""

    resource: PlannedResource
    path: str
    namespace: str
    subnet: PlannedResource


def _rows(value: Any) -> list[dict[str, Any]]:
    return [row for row in items(value) if isinstance(row, dict)]


def _consumers(plan: Plan) -> Iterator[Consumer]:
    subnets = {str(s.outputs.get("id")): s for s in plan.of_type("azure-native:network:Subnet")}
    environments: dict[str, PlannedResource] = {}
    for joiner, _, subnet_id in joined(plan):
        subnet = subnets.get(subnet_id)
        if subnet is None:
            continue  # a subnet of another stack: not known here
        if joiner.type == "azure-native:app:ManagedEnvironment":
            environments[str(joiner.outputs.get("id"))] = subnet
            continue
        settings = {
            s.get("name"): s.get("value") for s in _rows(mapping(joiner.inputs.get("siteConfig")).get("appSettings"))
        }
        host = settings.get(APP_SETTING)
        if isinstance(host, str) and host.endswith(HOST_SUFFIX):
            path = f"siteConfig.appSettings[{APP_SETTING}]"
            yield Consumer(joiner, path, host.removesuffix(HOST_SUFFIX), subnet)
    for job in plan.of_type("azure-native:app:Job"):
        subnet = environments.get(str(job.inputs.get("environmentId")))
        scale = mapping(mapping(mapping(job.inputs.get("configuration")).get("eventTriggerConfig")).get("scale"))
        for index, rule in enumerate(_rows(scale.get("rules"))):
            namespace = mapping(rule.get("metadata")).get("namespace")
            if subnet is not None and rule.get("type") == "azure-servicebus" and isinstance(namespace, str):
                path = f"configuration.eventTriggerConfig.scale.rules[{index}].metadata.namespace"
                yield Consumer(job, path, namespace, subnet)


def _endpoints(subnet: PlannedResource) -> set[str]:
    return {str(e.get("service")) for e in _rows(subnet.inputs.get("serviceEndpoints"))}


def _closed(namespace: PlannedResource, rules: PlannedResource | None) -> bool:
    """Closed to the internet: public access off, or a firewall denying by default with a rule."""
    if namespace.inputs.get("publicNetworkAccess") == "Disabled":
        return True
    if rules is None:
        return False
    if rules.inputs.get("publicNetworkAccess") == "Disabled":
        return True
    named = _rows(rules.inputs.get("ipRules")) + _rows(rules.inputs.get("virtualNetworkRules"))
    return rules.inputs.get("defaultAction") == "Deny" and bool(named)


def _private_link(plan: Plan, namespace: PlannedResource, subnet_id: str) -> bool:
    """A private endpoint of the namespace, registered in the Service Bus zone linked to the subnet's network."""
    zones = {
        str(z.outputs.get("id"))
        for z in plan.of_type("azure-native:privatedns:PrivateZone")
        if z.inputs.get("privateZoneName") == ZONE
    }
    network = subnet_id.rsplit("/subnets/", 1)[0]
    linked = any(
        link.inputs.get("privateZoneName") == ZONE and mapping(link.inputs.get("virtualNetwork")).get("id") == network
        for link in plan.of_type("azure-native:privatedns:VirtualNetworkLink")
    )
    registered = {
        group.inputs.get("privateEndpointName")
        for group in plan.of_type("azure-native:network:PrivateDnsZoneGroup")
        if any(c.get("privateDnsZoneId") in zones for c in _rows(group.inputs.get("privateDnsZoneConfigs")))
    }
    endpoint = any(
        e.inputs.get("privateEndpointName") in registered
        and any(
            c.get("privateLinkServiceId") == namespace.outputs.get("id") and "namespace" in items(c.get("groupIds"))
            for c in _rows(e.inputs.get("privateLinkServiceConnections"))
        )
        for e in plan.of_type("azure-native:network:PrivateEndpoint")
    )
    return linked and endpoint


def _delivered_by_event_grid(plan: Plan, namespace: PlannedResource) -> bool:
    name = namespace.inputs.get("namespaceName")
    queues = {
        str(q.outputs.get("id"))
        for q in plan.of_type("azure-native:servicebus:Queue")
        if q.inputs.get("namespaceName") == name
    }
    return any(
        mapping(mapping(s.inputs.get("deliveryWithResourceIdentity")).get("destination")).get("resourceId") in queues
        for s in plan.of_type("azure-native:eventgrid:SystemTopicEventSubscription")
    )


def _nat(subnet: PlannedResource) -> bool:
    return bool(mapping(subnet.inputs.get("natGateway")).get("id"))


def azure_findings(plan: Plan) -> Iterator[Finding]:
    namespaces = {str(n.inputs.get("namespaceName")): n for n in plan.of_type(NAMESPACE)}
    rule_sets = {str(r.inputs.get("namespaceName")): r for r in plan.of_type(RULE_SET)}
    for consumer in _consumers(plan):
        namespace = namespaces.get(consumer.namespace)
        if namespace is None:
            continue  # a namespace of another stack: not known here
        for rule in _broken(plan, consumer, namespace, rule_sets.get(consumer.namespace)):
            resource = consumer.resource
            yield Finding(resource.name, resource.type, consumer.path, consumer.namespace, rule, SOURCE)


def _premium(namespace: PlannedResource) -> bool:
    """A Premium namespace: its SKU's tier, or, where the optional tier is left out, its name (the
    SDK's SBSkuArgs: `name` required, `tier` optional)."""
    sku = mapping(namespace.inputs.get("sku"))
    return (sku.get("tier") or sku.get("name")) == "Premium"


def _broken(plan: Plan, consumer: Consumer, namespace: PlannedResource, rules: PlannedResource | None) -> Iterator[str]:
    """What keeps `consumer` from its namespace, one sentence each."""
    subnet, name = consumer.subnet, consumer.namespace
    subnet_id = str(subnet.outputs.get("id"))
    if ENDPOINT_SERVICE in _endpoints(subnet) and not _premium(namespace):
        yield (
            f"runs in subnet {subnet.name}, whose {ENDPOINT_SERVICE} service endpoint reaches Premium "
            f"namespaces only, and namespace {name} is not Premium"
        )
    if _closed(namespace, rules):
        by_rule = rules is not None and subnet_id in {
            str(mapping(r.get("subnet")).get("id")) for r in _rows(rules.inputs.get("virtualNetworkRules"))
        }
        if not (by_rule and ENDPOINT_SERVICE in _endpoints(subnet)) and not _private_link(plan, namespace, subnet_id):
            yield (
                f"namespace {name} does not admit subnet {subnet.name}: it needs a virtual network rule with the "
                f"subnet's {ENDPOINT_SERVICE} service endpoint, or a private endpoint in {ZONE} linked to the "
                "subnet's network"
            )
        if _delivered_by_event_grid(plan, namespace) and not (
            rules and rules.inputs.get("trustedServiceAccessEnabled")
        ):
            yield f"namespace {name} is closed without trusted service access: Event Grid cannot deliver contact events to its queue"
    elif subnet.inputs.get("defaultOutboundAccess") is False and not _nat(subnet):
        yield (
            f"reaches namespace {name} over its public endpoint from subnet {subnet.name}, "
            "which has no default outbound access and no NAT gateway"
        )
