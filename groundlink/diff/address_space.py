"""Address-space changes Azure refuses though its provider updates them in place.

azure-native updates a virtual network's `addressSpace` in place, and the engine updates the
network before its subnets (they depend on it). Azure refuses to take a range out of a virtual
network while a subnet is in it: "If a subnet exists in the address range, you can't remove the
address range. To remove an address range, you must first delete any subnets (and any resources
in the subnets) that exist in the address range"; a range may shrink "as long as it still
includes the ranges of any associated subnets" (Microsoft Learn, "Create, change, or delete a
virtual network", Add or remove an address range,
https://learn.microsoft.com/azure/virtual-network/manage-virtual-network, read 2026-12-06). So moving `clouds.azure.network_cidr`
on a deployed stack, whose subnets hold the processor and the private endpoints, fails at
`pulumi up` on the first resource it updates: the preview shows two updates, and nothing in it
says so. `groundlink diff` refuses such a change, whatever --allow-data-loss says.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from . import rules
from .state import Resource, State

VIRTUAL_NETWORK = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _is(resource: Resource, token: str) -> bool:
    return resource.type == token or resource.type in rules.aliases(token)


def _networks(values: Any) -> list[Network] | None:
    """The address ranges written in `values` (a prefix or a list of them), or None when one is
    not a known, well-formed range (an unknown value is not judged)."""
    found = []
    for value in values if isinstance(values, list) else [values]:
        try:
            found.append(ipaddress.ip_network(value, strict=False))
        except (TypeError, ValueError):
            return None
    return found


def _prefixes(subnet: Any) -> list[Network] | None:
    """A subnet's ranges: `addressPrefix`, or its `addressPrefixes` list."""
    if not isinstance(subnet, dict):
        return None
    given = subnet.get("addressPrefixes") if subnet.get("addressPrefix") is None else subnet.get("addressPrefix")
    return None if given is None else _networks(given)


def _subnets_of(old: State, network: Resource) -> Iterator[tuple[str, list[Network] | None]]:
    """The subnets OLD holds in `network`: its inline `subnets`, and the Subnet resources whose
    virtual network input comes from it, each with its name and ranges."""
    inline = network.inputs.get("subnets")
    for item in inline if isinstance(inline, list) else []:
        yield (str(item.get("name", "a subnet")) if isinstance(item, dict) else "a subnet"), _prefixes(item)
    for resource in old.resources.values():
        if _is(resource, SUBNET) and network.key in resource.dependencies.get("virtualNetworkName", ()):
            yield resource.name, _prefixes(resource.inputs)


def _inside(inner: Network, outer: Network) -> bool:
    """`inner` lies within `outer`; ranges of two IP versions never do."""
    if isinstance(inner, ipaddress.IPv4Network) and isinstance(outer, ipaddress.IPv4Network):
        return inner.subnet_of(outer)
    if isinstance(inner, ipaddress.IPv6Network) and isinstance(outer, ipaddress.IPv6Network):
        return inner.subnet_of(outer)
    return False


def _shown(networks: list[Network]) -> str:
    return ", ".join(str(n) for n in networks)


def unappliable(old: State, new: State, replaced: frozenset[str]) -> tuple[str, ...]:
    """One line for each virtual network updated in place (in both, not among the `replaced`
    keys) whose NEW address space leaves out a range of a subnet OLD holds in it: Azure refuses
    the update."""
    lines = []
    for key, before in old.resources.items():
        after = new.resources.get(key)
        if after is None or key in replaced or not (_is(before, VIRTUAL_NETWORK) and _is(after, VIRTUAL_NETWORK)):
            continue
        space = after.inputs.get("addressSpace")
        kept = _networks(space.get("addressPrefixes")) if isinstance(space, dict) else None
        if kept is None:
            continue
        for name, ranges in _subnets_of(old, before):
            outside = [r for r in ranges or [] if not any(_inside(r, k) for k in kept)]
            if outside:
                lines.append(
                    f"{new.cloud}: {after.type} {after.name} would take {_shown(outside)} out of its address space "
                    f"({_shown(kept)} in NEW) while its subnet {name} is in it, which Azure refuses: keep the "
                    "deployed range (clouds.azure.network_cidr), or delete the subnet and what runs in it first"
                )
    return tuple(lines)
