"""Azure naming rules ARM enforces at deploy time, which azure-native does not check at preview.

Facts and sources: docs/preflight.md ("Azure naming rules"). Names of the
globally unique kinds become DNS names, so two resources of one kind in a plan
with the same name cannot both be created.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..apishapes import Constraint
from ..engine.plan import Plan
from .findings import Finding

_RULES_PAGE = "Microsoft Learn, Naming rules and restrictions for Azure resources"
_CONTAINERS_PAGE = "Microsoft Learn, Naming and referencing containers, blobs, and metadata"
_NAMESPACE = r"(?!.*-(sb|mgmt)$)[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9]"
_NAMESPACE_TEXT = "6-50 letters, digits, hyphens; starts with a letter, ends alphanumeric, not -sb/-mgmt"
_NETWORK_NAME = r"[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?"
_NETWORK_NAME_TEXT = "letters, digits, '_', '.', '-'; starts alphanumeric, ends alphanumeric or '_'"


def _rule(kind: str, source: str, pattern: str, length: tuple[int, int], text: str) -> Constraint:
    return Constraint(f"{kind} name", source, pattern=pattern, min=length[0], max=length[1], description=text)


NAME_RULES: dict[tuple[str, str], Constraint] = {
    ("azure-native:storage:StorageAccount", "accountName"): _rule(
        "storage account",
        f"{_RULES_PAGE} (Microsoft.Storage/storageAccounts)",
        r"[a-z0-9]{3,24}",
        (3, 24),
        "3-24 lowercase letters and digits",
    ),
    ("azure-native:keyvault:Vault", "vaultName"): _rule(
        "key vault",
        f"{_RULES_PAGE} (Microsoft.KeyVault/vaults)",
        r"(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]",
        (3, 24),
        "3-24 letters, digits, hyphens; starts with a letter, ends alphanumeric, no '--'",
    ),
    ("azure-native:storage:BlobContainer", "containerName"): _rule(
        "blob container",
        _CONTAINERS_PAGE,
        r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]",
        (3, 63),
        "3-63 lowercase letters, digits, single hyphens; starts and ends alphanumeric",
    ),
    ("azure-native:eventhub:Namespace", "namespaceName"): _rule(
        "Event Hubs namespace", f"{_RULES_PAGE} (Microsoft.EventHub/namespaces)", _NAMESPACE, (6, 50), _NAMESPACE_TEXT
    ),
    ("azure-native:servicebus:Namespace", "namespaceName"): _rule(
        "Service Bus namespace",
        f"{_RULES_PAGE} (Microsoft.ServiceBus/namespaces)",
        _NAMESPACE,
        (6, 50),
        _NAMESPACE_TEXT,
    ),
    ("azure-native:network:PrivateEndpoint", "privateEndpointName"): _rule(
        "private endpoint",
        f"{_RULES_PAGE} (Microsoft.Network/privateEndpoints)",
        _NETWORK_NAME,
        (2, 64),
        _NETWORK_NAME_TEXT,
    ),
    ("azure-native:privatedns:VirtualNetworkLink", "virtualNetworkLinkName"): _rule(
        "private DNS zone virtual network link",
        f"{_RULES_PAGE} (Microsoft.Network/privateDnsZones/virtualNetworkLinks)",
        _NETWORK_NAME,
        (1, 80),
        _NETWORK_NAME_TEXT,
    ),
}

# Kinds whose name is global (a DNS name): (type, name input).
GLOBAL_NAMES = (
    ("azure-native:storage:StorageAccount", "accountName"),
    ("azure-native:keyvault:Vault", "vaultName"),
    ("azure-native:eventhub:Namespace", "namespaceName"),
    ("azure-native:servicebus:Namespace", "namespaceName"),
    ("azure-native:synapse:Workspace", "workspaceName"),
    ("azure-native:kusto:Cluster", "clusterName"),
    ("azure-native:web:WebApp", "name"),  # <name>.azurewebsites.net
)


def duplicate_global_names(plan: Plan) -> Iterator[Finding]:
    """Two resources of a globally named kind with one name: the second create fails."""
    seen: dict[tuple[str, str], str] = {}
    for resource in plan.resources:
        for type_token, key in GLOBAL_NAMES:
            name = resource.inputs.get(key) if resource.type == type_token else None
            if not isinstance(name, str):
                continue
            first = seen.setdefault((type_token, name), resource.name)
            if first != resource.name:
                rule = f"globally unique name already used by {first}"
                yield Finding(resource.name, resource.type, key, name, rule, f"{_RULES_PAGE} (global scope)")
