"""Subnets that serverless compute joins, checked the way the platform checks them at deployment.

Azure accepts a Flex Consumption app's `virtualNetworkSubnetId` and a Container Apps
environment's `infrastructureSubnetId` at preview whatever the subnet is; the deployment then
fails unless the subnet is delegated to Microsoft.App/environments and holds nothing else (no
private endpoint). docs/processing.md, "In the network", has the sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.plan import Plan, PlannedResource
from .findings import Finding

DELEGATION = "Microsoft.App/environments"
SOURCE = "Azure Functions Flex Consumption / Container Apps virtual network integration (docs/processing.md)"
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


def _joined(plan: Plan) -> Iterator[tuple[PlannedResource, str, str]]:
    """(resource, input path, subnet id) of every app or environment that joins a subnet."""
    for type_token, path in JOINERS:
        for resource in plan.of_type(type_token):
            subnet_id = _at(resource.inputs, path)
            if isinstance(subnet_id, str) and subnet_id:
                yield resource, path, subnet_id


def azure_findings(plan: Plan) -> Iterator[Finding]:
    subnets = {str(s.outputs.get("id")): s for s in plan.of_type("azure-native:network:Subnet")}
    endpoint_subnets = {
        str((e.inputs.get("subnet") or {}).get("id")) for e in plan.of_type("azure-native:network:PrivateEndpoint")
    }
    for resource, path, subnet_id in _joined(plan):
        subnet = subnets.get(subnet_id)
        if subnet is None:
            continue  # a subnet of another stack: not known here
        services = [d.get("serviceName") for d in subnet.inputs.get("delegations") or [] if isinstance(d, dict)]
        if DELEGATION not in services:
            rule = f"joins subnet {subnet.name}, which is not delegated to {DELEGATION}"
            yield Finding(resource.name, resource.type, path, subnet_id, rule, SOURCE)
        if subnet_id in endpoint_subnets:
            rule = f"joins subnet {subnet.name}, which also holds private endpoints: the subnet must be its alone"
            yield Finding(resource.name, resource.type, path, subnet_id, rule, SOURCE)
