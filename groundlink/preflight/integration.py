"""Subnets that serverless compute joins, checked the way the platform checks them at deployment.

Azure accepts a Flex Consumption app's `virtualNetworkSubnetId` and a Container Apps
environment's `infrastructureSubnetId` at preview whatever the subnet is; the deployment then
fails unless the subnet is delegated to Microsoft.App/environments, holds nothing else (no
private endpoint) and is at least a /27 (a /26 for a Flex app allowed past 1,000 instances).
A Flex app's subnet name has no underscore, no Container Apps environment shares it, and the
app's maximum instance count is 1-1000.
docs/processing.md, "In the network" and "Sizing the subnet", has the sources.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any, TypeGuard

from ..engine.plan import Plan, PlannedResource
from ..limits import FLEX_MAXIMUM_INSTANCE_COUNT
from .findings import Finding, items, mapping

DELEGATION = "Microsoft.App/environments"
SOURCE = "Azure Functions Flex Consumption / Container Apps virtual network integration (docs/processing.md)"
SIZING_SOURCE = "Azure Functions networking options, Subnets (docs/processing.md)"
FLEX_SCALE_SOURCE = "Azure Functions Flex Consumption plan hosting, Considerations (docs/processing.md)"
FLEX_APP = "azure-native:web:WebApp"
INSTANCES = "functionAppConfig.scaleAndConcurrency.maximumInstanceCount"
# The smallest subnet (largest prefix length) for a joiner; a Flex app past 1,000 instances needs a /26.
MIN_SUBNET_PREFIX = 27
FLEX_INSTANCES_PER_MIN_SUBNET = 1000
# (resource type, input path of the subnet it joins)
JOINERS = (
    ("azure-native:web:WebApp", "virtualNetworkSubnetId"),
    ("azure-native:app:ManagedEnvironment", "vnetConfiguration.infrastructureSubnetId"),
)


def _at(inputs: dict[str, object], path: str) -> object:
    value: object = inputs
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def joined(plan: Plan) -> Iterator[tuple[PlannedResource, str, str]]:
    """(resource, input path, subnet id) of every app or environment that joins a subnet."""
    for type_token, path in JOINERS:
        for resource in plan.of_type(type_token):
            subnet_id = _at(resource.inputs, path)
            if isinstance(subnet_id, str) and subnet_id:
                yield resource, path, subnet_id


def azure_findings(plan: Plan) -> Iterator[Finding]:
    subnets = {str(s.outputs.get("id")): s for s in plan.of_type("azure-native:network:Subnet")}
    endpoint_subnets = {
        str(mapping(e.inputs.get("subnet")).get("id")) for e in plan.of_type("azure-native:network:PrivateEndpoint")
    }
    joiners = list(joined(plan))
    kinds: dict[str, set[str]] = {}
    for resource, _, subnet_id in joiners:
        kinds.setdefault(subnet_id, set()).add(resource.type)
    for resource, path, subnet_id in joiners:
        subnet = subnets.get(subnet_id)
        if subnet is None:
            continue  # a subnet of another stack: not known here
        if resource.type == FLEX_APP and len(kinds[subnet_id]) > 1:
            rule = f"joins subnet {subnet.name}, which a Container Apps environment also joins: they cannot share it"
            yield Finding(resource.name, resource.type, path, subnet_id, rule, SIZING_SOURCE)
        services = [d.get("serviceName") for d in items(subnet.inputs.get("delegations")) if isinstance(d, dict)]
        if DELEGATION not in services:
            rule = f"joins subnet {subnet.name}, which is not delegated to {DELEGATION}"
            yield Finding(resource.name, resource.type, path, subnet_id, rule, SOURCE)
        if subnet_id in endpoint_subnets:
            rule = f"joins subnet {subnet.name}, which also holds private endpoints: the subnet must be its alone"
            yield Finding(resource.name, resource.type, path, subnet_id, rule, SOURCE)
        yield from _sizing(resource, path, subnet)
    for app in plan.of_type(FLEX_APP):
        count = _at(app.inputs, INSTANCES)
        low, high = FLEX_MAXIMUM_INSTANCE_COUNT
        if _whole(count) and not low <= count <= high:
            rule = f"a Flex Consumption app's maximum instance count is {low}-{high}"
            yield Finding(app.name, app.type, INSTANCES, count, rule, FLEX_SCALE_SOURCE)


def _whole(value: Any) -> TypeGuard[float]:
    """A count as a plan holds it: an int, or the float every number of a plan's inputs is (40.0),
    which an int-only test read as no count at all, and no rule fired."""
    return isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()


def needed_prefix(resource: PlannedResource) -> int:
    """The largest prefix length the joiner's subnet may have, from the app's planned scale."""
    count = _at(resource.inputs, INSTANCES)
    if _whole(count) and count > FLEX_INSTANCES_PER_MIN_SUBNET:
        return MIN_SUBNET_PREFIX - 1
    return MIN_SUBNET_PREFIX


def _network(prefix: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """The subnet's range; None for one only a deployment knows (a first preview's unknown)."""
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        return None


def _sizing(resource: PlannedResource, path: str, subnet: PlannedResource) -> Iterator[Finding]:
    prefix = subnet.inputs.get("addressPrefix")
    if isinstance(prefix, str) and (network := _network(prefix)) is not None:
        length = network.prefixlen
        wanted = needed_prefix(resource)
        if length > wanted:
            rule = f"joins subnet {subnet.name} ({prefix}): smaller than the /{wanted} its scale needs"
            yield Finding(resource.name, resource.type, path, prefix, rule, SIZING_SOURCE)
    name = subnet.inputs.get("subnetName")
    if resource.type == FLEX_APP and isinstance(name, str) and "_" in name:
        rule = f"joins subnet {name!r}: Flex Consumption takes no subnet whose name has an underscore"
        yield Finding(resource.name, resource.type, path, name, rule, SIZING_SOURCE)
