"""Mock outputs for Azure (pulumi-azure-native) resources, keyed by type token.

Each entry adds to a resource's inputs what the provider would compute
(ids, ARNs, names, endpoints), deterministically.
"""

from __future__ import annotations

from typing import Any, Callable

from pulumi.runtime import MockResourceArgs

from .mockids import SUBSCRIPTION_ID, TENANT_ID, _hex, _uuid

# azure-native module -> resource provider namespace (the ones our stacks use; others are derived).
AZURE_NAMESPACES = {
    "resources": "Microsoft.Resources", "storage": "Microsoft.Storage", "keyvault": "Microsoft.KeyVault",
    "eventhub": "Microsoft.EventHub", "servicebus": "Microsoft.ServiceBus", "eventgrid": "Microsoft.EventGrid",
    "synapse": "Microsoft.Synapse", "kusto": "Microsoft.Kusto", "network": "Microsoft.Network",
    "managedidentity": "Microsoft.ManagedIdentity", "authorization": "Microsoft.Authorization",
    "operationalinsights": "Microsoft.OperationalInsights", "insights": "Microsoft.Insights",
    "monitor": "Microsoft.Insights", "consumption": "Microsoft.Consumption", "orbital": "Microsoft.Orbital",
}
_NAME_INPUTS = ("accountName", "vaultName", "keyName", "containerName", "namespaceName", "eventHubName",
                "queueName", "workspaceName", "clusterName", "databaseName", "resourceName", "spacecraftName",
                "contactProfileName", "virtualNetworkName", "subnetName", "systemTopicName",
                "eventSubscriptionName", "ruleName", "budgetName", "name", "resourceGroupName")


def _azure_name(args: MockResourceArgs) -> str:
    for key in _NAME_INPUTS:
        value = args.inputs.get(key)
        if isinstance(value, str) and value and (key != "resourceGroupName" or args.typ.endswith(":ResourceGroup")):
            return value
    return f"{args.name}{_hex(args.name, n=6)}"


def _azure_id(args: MockResourceArgs, name: str) -> str:
    module, cls = args.typ.split(":")[1], args.typ.split(":")[2]
    if args.typ.endswith("resources:ResourceGroup"):
        return f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{name}"
    namespace = AZURE_NAMESPACES.get(module, "Microsoft." + module.capitalize())
    rg = args.inputs.get("resourceGroupName", "rg")
    kind = cls[0].lower() + cls[1:] + "s"
    scope = args.inputs.get("scope")
    if isinstance(scope, str) and scope.startswith("/subscriptions/"):
        return f"{scope}/providers/{namespace}/{kind}/{name}"
    return f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}/providers/{namespace}/{kind}/{name}"


def _storage_account(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {"primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/",
                                 "dfs": f"https://{name}.dfs.core.windows.net/"}}


def _key_vault(args: MockResourceArgs, name: str) -> dict[str, Any]:
    props = dict(args.inputs.get("properties") or {})
    props["vaultUri"] = f"https://{name}.vault.azure.net/"
    return {"properties": props}


def _key(args: MockResourceArgs, name: str) -> dict[str, Any]:
    vault = args.inputs.get("vaultName", "vault")
    return {"keyUri": f"https://{vault}.vault.azure.net/keys/{name}",
            "keyUriWithVersion": f"https://{vault}.vault.azure.net/keys/{name}/{_hex(name, n=32)}"}


def _user_identity(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {"principalId": _uuid("principal", name), "clientId": _uuid("client", name), "tenantId": TENANT_ID}


AzureExtras = Callable[[MockResourceArgs, str], dict[str, Any]]
AZURE_EXTRAS: dict[str, AzureExtras] = {
    "azure-native:storage:StorageAccount": _storage_account,
    "azure-native:keyvault:Vault": _key_vault,
    "azure-native:keyvault:Key": _key,
    "azure-native:managedidentity:UserAssignedIdentity": _user_identity,
}


