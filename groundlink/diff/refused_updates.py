"""Updates Azure refuses though its provider makes them in place: `pulumi up` fails on them,
while the preview shows plain updates. `groundlink diff` refuses each, whatever
--allow-data-loss says.

- A virtual network's range taken off a subnet. azure-native updates `addressSpace` in place,
  and the engine updates the network before its subnets (they depend on it); Azure refuses to
  take a range out of a network while a subnet is in it: "If a subnet exists in the address
  range, you can't remove the address range"; a range may shrink "as long as it still includes
  the ranges of any associated subnets" (Microsoft Learn, "Create, change, or delete a virtual
  network", Add or remove an address range,
  https://learn.microsoft.com/azure/virtual-network/manage-virtual-network, read 2026-12-06).
- A subnet's range moved while something runs in it: "If no resources are deployed within the
  subnet, you can change the address range. If any resources exist in the subnet, you must
  first either move the resources to another subnet or delete them from the subnet" (Microsoft
  Learn, "Add, change, or delete a virtual network subnet",
  https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-subnet, read
  2026-12-06). What runs in one: a Functions app's VNet integration, a Container Apps
  environment, a private endpoint, a network interface, a retired Orbital contact profile.
- A Container Apps environment moved to another subnet: `vnetConfiguration.infrastructureSubnetId`
  is set at creation only (`x-ms-mutability: [create, read]` in Microsoft.App's REST spec,
  ManagedEnvironments.json, 2025-02-02-preview, the API version pulumi-azure-native 3.29.0
  uses), and the provider neither replaces the environment for it nor applies it
  (pulumi/pulumi-azure-native #2577, #2782): the environment stays in its old subnet, which the
  same update may delete.
- A Flex app created in the processing subnet a Container Apps environment holds, or the other
  way round (`processing.mode` switched): the two cannot share a subnet (docs/processing.md),
  and the engine deletes what NEW drops only after it has created what NEW adds.

- A storage account's zone redundancy added or removed by its SKU (`Standard_LRS` to
  `Standard_ZRS`, GRS to GZRS): "Use the Azure portal, Azure PowerShell, or the Azure CLI to add
  or remove geo-replication or read access to the secondary region. Perform a conversion to add
  or remove zone-redundancy" (Microsoft Learn, "Change how a storage account is replicated",
  https://learn.microsoft.com/azure/storage/common/redundancy-migration): the SKU update does
  not make that conversion. A stack deployed before groundlink's stores were zone-redundant
  (LRS) met it on its first upgrade.

So moving `clouds.azure.network_cidr` on a deployed stack, or switching `security.network`
with container jobs, is refused before it fails halfway.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from . import rules
from .state import Resource, State

VIRTUAL_NETWORK = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
ENVIRONMENT = "azure-native:app:ManagedEnvironment"
ENVIRONMENT_SUBNET = ("vnetConfiguration", "infrastructureSubnetId")
# What sits in a subnet (its resources, in Azure's words), by the input naming the subnet.
IN_SUBNET = (
    "azure-native:web:WebApp",  # virtualNetworkSubnetId: regional VNet integration
    ENVIRONMENT,  # vnetConfiguration.infrastructureSubnetId
    "azure-native:network:PrivateEndpoint",  # subnet.id
    "azure-native:network:NetworkInterface",  # ipConfigurations[].subnet.id
    "azure-native:orbital:ContactProfile",  # networkConfiguration.subnetId (legacy_orbital)
)
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


def _updated(old: State, new: State, replaced: frozenset[str], token: str) -> Iterator[tuple[Resource, Resource]]:
    """Each resource of type `token` in both OLD and NEW and not replaced: updated in place, before and after."""
    for key, before in old.resources.items():
        after = new.resources.get(key)
        if after is not None and key not in replaced and _is(before, token) and _is(after, token):
            yield before, after


def _refused(new: State, after: Resource, what: str, advice: str) -> str:
    return f"{new.cloud}: {after.type} {after.name} {what}, which Azure refuses: {advice}"


def _ranges_taken_off(old: State, new: State, replaced: frozenset[str]) -> Iterator[str]:
    for before, after in _updated(old, new, replaced, VIRTUAL_NETWORK):
        space = after.inputs.get("addressSpace")
        kept = _networks(space.get("addressPrefixes")) if isinstance(space, dict) else None
        if kept is None:
            continue
        for name, ranges in _subnets_of(old, before):
            outside = [r for r in ranges or [] if not any(_inside(r, k) for k in kept)]
            if outside:
                yield _refused(
                    new,
                    after,
                    f"would take {_shown(outside)} out of its address space ({_shown(kept)} in NEW) while its subnet "
                    f"{name} is in it",
                    "keep the deployed range, or delete the subnet and what runs in it first",
                )


def _subnets_moved(old: State, new: State, replaced: frozenset[str]) -> Iterator[str]:
    for before, after in _updated(old, new, replaced, SUBNET):
        was, now = _prefixes(before.inputs), _prefixes(after.inputs)
        if was is None or now is None or set(was) == set(now):
            continue
        users = sorted(
            f"{r.type} {r.name}"
            for r in old.resources.values()
            if any(_is(r, t) for t in IN_SUBNET) and any(before.key in deps for deps in r.dependencies.values())
        )
        if users:
            more = f" and {len(users) - 1} more" if len(users) > 1 else ""
            yield _refused(
                new,
                after,
                f"would move from {_shown(was)} to {_shown(now)} while {users[0]}{more} is in it",
                "keep the deployed range, or move or delete what runs in the subnet first",
            )


def _environments_moved(old: State, new: State, replaced: frozenset[str]) -> Iterator[str]:
    for before, after in _updated(old, new, replaced, ENVIRONMENT):
        was, now = _at(before.inputs, ENVIRONMENT_SUBNET), _at(after.inputs, ENVIRONMENT_SUBNET)
        if isinstance(was, str) and isinstance(now, str) and was.casefold() != now.casefold():
            yield (
                f"{new.cloud}: {after.type} {after.name} would move to another subnet "
                f"(vnetConfiguration.infrastructureSubnetId), which Azure sets at creation only: the environment "
                "stays where it is; turn processing off (processing.enabled: false) and apply, then make the change "
                "and turn it on again"
            )


# The pair Azure keeps out of one subnet: "the Flex app and a Container Apps environment cannot
# share a subnet" (Azure Functions networking options, Considerations for the Flex Consumption
# plan, docs/processing.md); each joins the processing subnet by the input named here.
FLEX_APP = "azure-native:web:WebApp"
_EXCLUSIVE = {FLEX_APP: "virtualNetworkSubnetId", ENVIRONMENT: "vnetConfiguration"}


def _subnets_joined(state: State, resource: Resource) -> set[str]:
    """The subnets (their keys) a Flex app or an environment of `state` joins."""
    token = next((t for t in _EXCLUSIVE if _is(resource, t)), None)
    if token is None:
        return set()
    return {
        key
        for key in resource.dependencies.get(_EXCLUSIVE[token], ())
        if key in state.resources and _is(state.resources[key], SUBNET)
    }


def _subnets_handed_over(old: State, new: State) -> Iterator[str]:
    """A Flex app created in a subnet a Container Apps environment holds until the update's end,
    or the other way round (processing.mode switched): the engine deletes what NEW drops only
    after it has created what NEW adds, so the two would share the subnet, which Azure refuses."""
    leaving = [r for key, r in old.resources.items() if key not in new.resources]
    for key, after in new.resources.items():
        if key in old.resources:
            continue
        for subnet in _subnets_joined(new, after):
            holder = next((r for r in leaving if subnet in _subnets_joined(old, r) and r.type != after.type), None)
            if holder is not None:
                yield _refused(
                    new,
                    after,
                    f"would join subnet {new.resources[subnet].name} while {holder.type} {holder.name}, deleted "
                    "only once the update has created what it adds, still holds it (a Flex app and a Container Apps "
                    "environment cannot share a subnet)",
                    "turn processing off (processing.enabled: false) and apply, then switch processing.mode and "
                    "turn it on again",
                )


STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"


def _zone_redundant(sku: Any) -> bool | None:
    """Whether a storage SKU name is zone-redundant (ZRS, GZRS, RA-GZRS; Premium_ZRS), or None
    for a name that is none of Azure's redundancies (an unknown value is not judged)."""
    if not isinstance(sku, str) or "_" not in sku:
        return None
    redundancy = sku.split("_", 1)[1].upper()
    zoned = {"ZRS": True, "GZRS": True, "RAGZRS": True, "LRS": False, "GRS": False, "RAGRS": False}
    return zoned.get(redundancy)


def _zone_redundancy_changed(old: State, new: State, replaced: frozenset[str]) -> Iterator[str]:
    for before, after in _updated(old, new, replaced, STORAGE_ACCOUNT):
        was, now = _at(before.inputs, ("sku", "name")), _at(after.inputs, ("sku", "name"))
        zoned_before, zoned_after = _zone_redundant(was), _zone_redundant(now)
        if zoned_before is None or zoned_after is None or zoned_before == zoned_after:
            continue
        yield _refused(
            new,
            after,
            f"would {'add' if zoned_after else 'remove'} zone redundancy by its SKU ({was} to {now})",
            "a change of zone redundancy is a conversion, not a SKU update: convert the account first (Azure "
            f"portal, Redundancy, or Start-AzStorageAccountMigration -TargetSku {now}), then apply",
        )


def _at(value: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def unappliable(old: State, new: State, replaced: frozenset[str]) -> tuple[str, ...]:
    """One line for each update in place (a resource in both, not among the `replaced` keys)
    that Azure refuses: a virtual network's range taken off a subnet, a subnet moved while
    something runs in it, a Container Apps environment moved to another subnet, a storage
    account's zone redundancy changed by its SKU."""
    return (
        *_ranges_taken_off(old, new, replaced),
        *_subnets_moved(old, new, replaced),
        *_environments_moved(old, new, replaced),
        *_subnets_handed_over(old, new),
        *_zone_redundancy_changed(old, new, replaced),
    )
