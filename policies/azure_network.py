"""Azure network reach: a query engine whose public endpoint is off is reached through
private endpoints of the stack, or its clients have no way in."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .joins import of_type, private_endpoint_reaches
from .props import get
from .registry import stack_rule

# The sub-resource each engine's queries arrive at (Microsoft Learn, "Azure Private Endpoint
# private DNS zone values"): Synapse serverless SQL (the stack's query endpoint) and a Data
# Explorer cluster's engine.
QUERY_SUB_RESOURCES = {
    "Synapse workspace": (T.SYNAPSE_WORKSPACE, "SqlOnDemand"),
    "Data Explorer cluster": (T.KUSTO_CLUSTER, "cluster"),
}


@stack_rule(
    "azure-query-engine-private-reach",
    area="azure-network",
    severity="high",
    enforcement="advisory",
    controls=("MCSB NS-2", "Microsoft Learn: Azure Private Endpoint private DNS zone values"),
    description="A Synapse workspace or Data Explorer cluster with public network access disabled has a private "
    "endpoint in the stack to the sub-resource its queries arrive at (SqlOnDemand, cluster); without one its "
    "query endpoint is reachable from no network. Advisory: an endpoint another stack or a hub network manages "
    "is not in this plan.",
    remediation="Add azure_native.network.PrivateEndpoint(resource_group_name=..., subnet={'id': <subnet id>}, "
    "private_link_service_connections=[{'name': 'query', 'private_link_service_id': <workspace or cluster id>, "
    "'group_ids': ['SqlOnDemand'] or ['cluster']}]) with a DNS zone group in the engine's privatelink zones, or "
    "leave public_network_access 'Enabled' behind the engine's own firewall.",
)
def query_engine_private_reach(args: Any, report: Any) -> None:
    endpoints = of_type(args.resources, T.PRIVATE_ENDPOINT)
    for kind, (tokens, group) in QUERY_SUB_RESOURCES.items():
        for engine in of_type(args.resources, tokens):
            if str(get(engine.props, "publicNetworkAccess") or "").casefold() != "disabled":
                continue
            injected = get(engine.props, "virtualNetworkConfiguration")
            state = get(injected, "state")
            # a cluster injected into a VNet is reached there, unless the injection is disabled ("when
            # disabled it will be removed from the subnet": kusto VirtualNetworkConfiguration.state)
            if injected and not (isinstance(state, str) and state.casefold() == "disabled"):
                continue
            if not private_endpoint_reaches(engine, endpoints, group):
                report(
                    f"{kind} {engine.name} has public network access disabled and no private endpoint to its "
                    f"{group} sub-resource: its query endpoint is reachable from no network",
                    engine.urn,
                )
