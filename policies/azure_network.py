"""Azure network reach: a query engine whose public endpoint is off is reached through
private endpoints of the stack, or its clients have no way in; no firewall or network security
group admits the whole internet."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .joins import given, name_key, of_type, private_endpoint_reaches
from .props import UNKNOWN, admits_every_address, as_list, get, same_text
from .registry import resource_rule, stack_rule

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


# A Synapse firewall rule from 0.0.0.0 to 0.0.0.0 is Azure's "AllowAllWindowsAzureIps": every
# Azure service of every tenant, not the trusted services the workspace's own bypass admits.
_EVERY_AZURE_SERVICE = ("0.0.0.0", "0.0.0.0")


def _cidrs(rule: Any) -> list[str] | None:
    """A firewall rule's range as CIDR blocks; None while either end is not known yet."""
    import ipaddress

    start, end = get(rule.props, "startIpAddress"), get(rule.props, "endIpAddress")
    if UNKNOWN in (start, end) or not start or not end:
        return None
    try:
        first, last = ipaddress.IPv4Address(str(start)), ipaddress.IPv4Address(str(end))
    except ValueError:
        return []  # not an IPv4 address: the API refuses it
    return [str(network) for network in ipaddress.summarize_address_range(first, last)] if first <= last else []


@stack_rule(
    "azure-synapse-firewall-not-open",
    area="azure-network",
    severity="critical",
    enforcement="mandatory",
    controls=("MCSB NS-2",),
    description="A Synapse workspace's IP firewall rules together do not admit every internet address (0.0.0.0-"
    "255.255.255.255, its halves, or every public range), and none is AllowAllWindowsAzureIps (0.0.0.0-0.0.0.0: "
    "every Azure service of every tenant).",
    remediation="List the SQL clients' own public ranges (the spec's analytics.sql_clients), or reach the workspace "
    "through private endpoints (security.network: private); trusted Azure services come through the workspace's "
    "trustedServiceBypassEnabled.",
)
def synapse_firewall_not_open(args: Any, report: Any) -> None:
    by_workspace: dict[str, list[Any]] = {}
    for rule in of_type(args.resources, T.SYNAPSE_FIREWALL_RULE):  # a workspace's name, in any case
        by_workspace.setdefault(name_key(rule, "workspaceName"), []).append(rule)
    for rules in (by_workspace[key] for key in sorted(by_workspace)):
        workspace = given(rules[0], "workspaceName")
        for rule in rules:
            if (get(rule.props, "startIpAddress"), get(rule.props, "endIpAddress")) == _EVERY_AZURE_SERVICE:
                report(
                    f"firewall rule {rule.name} of workspace {workspace} admits every Azure service of every tenant",
                    rule.urn,
                )
        ranges = [_cidrs(rule) for rule in rules]
        known = [cidr for cidrs in ranges if cidrs is not None for cidr in cidrs]
        if admits_every_address(known):
            names = ", ".join(rule.name for rule in rules)
            report(
                f"the firewall rules of workspace {workspace} ({names}) together admit every internet address",
                rules[0].urn,
            )


# NSG source prefixes that stand for every address ("*" and the service tag "Internet": Microsoft
# Learn, "Network security groups: security rules" and "Virtual network service tags"; ARM
# compares them without case).
_EVERY_SOURCE = {"*": "0.0.0.0/0", "internet": "0.0.0.0/0", "any": "0.0.0.0/0"}


def _inbound_allows(props: Any) -> list[tuple[str, list[Any]]]:
    """(rule name, source prefixes) of each inbound Allow rule a resource holds: an NSG's
    securityRules, or one SecurityRule (azure-native's SecurityRuleArgs: flat fields)."""
    rules = as_list(get(props, "securityRules")) if get(props, "securityRules") not in (None, UNKNOWN) else [props]
    found = []
    for rule in rules:
        if not same_text(get(rule, "direction"), "Inbound") or not same_text(get(rule, "access"), "Allow"):
            continue
        sources = [get(rule, "sourceAddressPrefix"), *as_list(get(rule, "sourceAddressPrefixes") or [])]
        found.append(
            (
                str(get(rule, "name") or get(props, "securityRuleName") or "(no name)"),
                [s for s in sources if s is not None],
            )
        )
    return found


@resource_rule(
    "azure-nsg-no-open-inbound",
    area="azure-network",
    severity="high",
    enforcement="mandatory",
    types=T.NSG,
    controls=("MCSB NS-1", "CIS Azure 6.1 - 6.4"),
    description="No network security group rule allows inbound traffic from every internet address ('*', "
    "'Internet', 0.0.0.0/0, its halves or every public range), as aws-security-group-no-open-ingress holds AWS's "
    "security groups. The stacks' subnets take no inbound traffic from the internet.",
    remediation="Name the source: the clients' own CIDR ranges, a service tag narrower than Internet, or an "
    "application security group (source_application_security_groups).",
)
def nsg_no_open_inbound(args: Any, report: Any) -> None:
    reported = False
    for name, sources in _inbound_allows(args.props):
        if UNKNOWN in sources:
            continue
        ranges = [_EVERY_SOURCE.get(str(s).strip().casefold(), s) for s in sources]
        if admits_every_address(ranges):
            report(f"rule {name} allows inbound traffic from every internet address ({', '.join(map(str, sources))})")
            reported = True
    if reported:
        return
    # inbound Allow rules of one port add up: 0.0.0.0/1 and 128.0.0.0/1 in two rules admit every
    # address as one '*' does (a Deny of a lower priority number before them aside)
    for port, (names, sources) in _inbound_allows_by_port(args.props).items():
        ranges = [_EVERY_SOURCE.get(str(s).strip().casefold(), s) for s in sources]
        if UNKNOWN not in sources and admits_every_address(ranges):
            report(
                f"rules {', '.join(names)} together allow inbound traffic to port {port} from every internet address "
                f"({', '.join(map(str, sources))})"
            )


def _port_range(text: Any) -> tuple[int, int] | None:
    """An NSG rule's destination port range ('22', '1000-2000', '*') as numbers; None if not one."""
    text = str(text).strip()
    if text == "*":
        return 0, 65535
    low, _, high = text.partition("-")
    if not low.isdigit() or (high and not high.isdigit()):
        return None
    return int(low), int(high or low)


def _inbound_allows_by_port(props: Any) -> dict[str, tuple[list[str], list[Any]]]:
    """For each protocol and each port where an inbound Allow rule's destination range starts and
    two or more such rules of an NSG's securityRules reach it (protocol '*' reaches every
    protocol's), their names and source prefixes together."""
    rules = get(props, "securityRules")
    if rules in (None, UNKNOWN):
        return {}
    ranges = []
    for rule in as_list(rules):
        if not same_text(get(rule, "direction"), "Inbound") or not same_text(get(rule, "access"), "Allow"):
            continue
        protocol = str(get(rule, "protocol") or "*")
        sources = [
            s
            for s in (get(rule, "sourceAddressPrefix"), *as_list(get(rule, "sourceAddressPrefixes") or []))
            if s is not None
        ]
        name = str(get(rule, "name") or "(no name)")
        for text in (get(rule, "destinationPortRange"), *as_list(get(rule, "destinationPortRanges") or [])):
            span = _port_range(text) if text is not None else None
            if span is not None:
                ranges.append((protocol, span, name, sources))
    # Rules of two named protocols never add up (a Tcp half and a Udp half of the internet admit
    # neither protocol from everywhere); a '*' rule adds to each. Every protocol is judged first,
    # by its own rules, then each protocol named, as it was first written.
    written: dict[str, str] = {}
    for protocol, _, _, _ in ranges:
        if protocol != "*":
            written.setdefault(protocol.casefold(), protocol)
    found: dict[str, tuple[list[str], list[Any]]] = {}
    for key in ["*", *written]:
        counted = [r for r in ranges if r[0].casefold() in ("*", key)]
        for port in dict.fromkeys(low for _, (low, _), _, _ in counted):
            reaching = [(name, sources) for _, (low, high), name, sources in counted if low <= port <= high]
            if len(reaching) > 1:
                names = list(dict.fromkeys(name for name, _ in reaching))
                label = f"{port} ({written.get(key, '*')})"
                found.setdefault(label, (names, [s for _, sources in reaching for s in sources]))
    return found
