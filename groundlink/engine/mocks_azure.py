"""Mock outputs for Azure (pulumi-azure-native) resources, keyed by type token.

Each entry adds to a resource's inputs what the provider would compute
(ids, ARNs, names, endpoints), deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi.runtime import MockResourceArgs

from .mockids import SUBSCRIPTION_ID, TENANT_ID, _hex, _uuid

# azure-native module -> resource provider namespace (the ones our stacks use; others are derived).
AZURE_NAMESPACES = {
    "resources": "Microsoft.Resources",
    "storage": "Microsoft.Storage",
    "keyvault": "Microsoft.KeyVault",
    "eventhub": "Microsoft.EventHub",
    "servicebus": "Microsoft.ServiceBus",
    "eventgrid": "Microsoft.EventGrid",
    "synapse": "Microsoft.Synapse",
    "kusto": "Microsoft.Kusto",
    "network": "Microsoft.Network",
    "managedidentity": "Microsoft.ManagedIdentity",
    "authorization": "Microsoft.Authorization",
    "operationalinsights": "Microsoft.OperationalInsights",
    "insights": "Microsoft.Insights",
    "monitor": "Microsoft.Insights",
    "consumption": "Microsoft.Consumption",
    "orbital": "Microsoft.Orbital",
}
# Most specific first: a child's inputs also name its parents (a consumer group names its hub).
_NAME_INPUTS = (
    "containerName",
    "keyName",
    "consumerGroupName",
    "eventHubName",
    "queueName",
    "subnetName",
    "eventSubscriptionName",
    "dataConnectionName",
    "scriptName",
    "databaseName",
    "privateDnsZoneGroupName",
    "virtualNetworkLinkName",
    "managementPolicyName",
    "blobServicesName",
    "roleAssignmentName",
    "accountName",
    "vaultName",
    "namespaceName",
    "workspaceName",
    "clusterName",
    "resourceName",
    "spacecraftName",
    "contactProfileName",
    "virtualNetworkName",
    "systemTopicName",
    "privateEndpointName",
    "privateZoneName",
    "actionGroupName",
    "ruleName",
    "budgetName",
    "name",
    "resourceGroupName",
)


def _azure_name(args: MockResourceArgs) -> str:
    for key in _NAME_INPUTS:
        value = args.inputs.get(key)
        if isinstance(value, str) and value and (key != "resourceGroupName" or args.typ.endswith(":ResourceGroup")):
            return value
    return f"{args.name}{_hex(args.name, n=6)}"


# Resource id paths of child and irregularly named types, below the resource group's providers segment.
_ID_PATHS = {
    "storage:BlobContainer": "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{name}",
    "storage:BlobServiceProperties": "Microsoft.Storage/storageAccounts/{accountName}/blobServices/default",
    "storage:ManagementPolicy": "Microsoft.Storage/storageAccounts/{accountName}/managementPolicies/default",
    "keyvault:Key": "Microsoft.KeyVault/vaults/{vaultName}/keys/{name}",
    "eventhub:EventHub": "Microsoft.EventHub/namespaces/{namespaceName}/eventhubs/{name}",
    "eventhub:ConsumerGroup": "Microsoft.EventHub/namespaces/{namespaceName}/eventhubs/{eventHubName}/consumergroups/{name}",
    "servicebus:Queue": "Microsoft.ServiceBus/namespaces/{namespaceName}/queues/{name}",
    "eventgrid:SystemTopicEventSubscription": "Microsoft.EventGrid/systemTopics/{systemTopicName}/eventSubscriptions/{name}",
    "network:Subnet": "Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{name}",
    "network:PrivateDnsZoneGroup": "Microsoft.Network/privateEndpoints/{privateEndpointName}/privateDnsZoneGroups/{name}",
    "privatedns:PrivateZone": "Microsoft.Network/privateDnsZones/{name}",
    "privatedns:VirtualNetworkLink": "Microsoft.Network/privateDnsZones/{privateZoneName}/virtualNetworkLinks/{name}",
    "managedidentity:UserAssignedIdentity": "Microsoft.ManagedIdentity/userAssignedIdentities/{name}",
    "kusto:ReadWriteDatabase": "Microsoft.Kusto/clusters/{clusterName}/databases/{name}",
    "kusto:Script": "Microsoft.Kusto/clusters/{clusterName}/databases/{databaseName}/scripts/{name}",
    "kusto:EventHubDataConnection": "Microsoft.Kusto/clusters/{clusterName}/databases/{databaseName}/dataConnections/{name}",
}


def _azure_id(args: MockResourceArgs, name: str) -> str:
    module, cls = args.typ.split(":")[1], args.typ.split(":")[2]
    if args.typ.endswith("resources:ResourceGroup"):
        return f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{name}"
    namespace = AZURE_NAMESPACES.get(module, "Microsoft." + module.capitalize())
    rg = args.inputs.get("resourceGroupName", "rg")
    kind = cls[0].lower() + cls[1:] + "s"
    scope = args.inputs.get("scope") or args.inputs.get("resourceUri")
    if isinstance(scope, str) and scope.startswith("/subscriptions/"):
        return f"{scope}/providers/{namespace}/{kind}/{name}"
    path = _ID_PATHS.get(f"{module}:{cls}")
    if path:
        fields = {k: v for k, v in args.inputs.items() if isinstance(v, str)}
        path = path.format_map({**fields, "name": name})
    else:
        path = f"{namespace}/{kind}/{name}"
    return f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{rg}/providers/{path}"


def _storage_account(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {
        "primaryEndpoints": {
            "blob": f"https://{name}.blob.core.windows.net/",
            "dfs": f"https://{name}.dfs.core.windows.net/",
        }
    }


def _key_vault(args: MockResourceArgs, name: str) -> dict[str, Any]:
    props = dict(args.inputs.get("properties") or {})
    props["vaultUri"] = f"https://{name}.vault.azure.net/"
    return {"properties": props}


def _key(args: MockResourceArgs, name: str) -> dict[str, Any]:
    vault = args.inputs.get("vaultName", "vault")
    return {
        "keyUri": f"https://{vault}.vault.azure.net/keys/{name}",
        "keyUriWithVersion": f"https://{vault}.vault.azure.net/keys/{name}/{_hex(name, n=32)}",
    }


def _user_identity(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {"principalId": _uuid("principal", name), "clientId": _uuid("client", name), "tenantId": TENANT_ID}


def _system_identity(args: MockResourceArgs, name: str) -> dict[str, Any]:
    """A system-assigned identity gets a principal id, as Entra would create one."""
    identity = args.inputs.get("identity")
    if not isinstance(identity, dict) or "SystemAssigned" not in str(identity.get("type", "")):
        return {}
    return {"identity": {**identity, "principalId": _uuid("principal", args.typ, name), "tenantId": TENANT_ID}}


def _messaging_namespace(args: MockResourceArgs, name: str) -> dict[str, Any]:
    """Event Hubs and Service Bus take user-assigned identities as a list of ids and answer with a
    map of id -> identity, as ARM does (a Premium namespace encrypting with the mission key)."""
    outputs: dict[str, Any] = {
        "serviceBusEndpoint": f"https://{name}.servicebus.windows.net:443/",
        **_system_identity(args, name),
    }
    identity = args.inputs.get("identity")
    assigned = identity.get("userAssignedIdentities") if isinstance(identity, dict) else None
    if isinstance(assigned, list):
        outputs["identity"] = {
            **outputs.get("identity", identity),
            "userAssignedIdentities": {
                ident: {"principalId": _uuid("principal", ident), "clientId": _uuid("client", ident)}
                for ident in assigned
            },
        }
    return outputs


def _synapse_workspace(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {
        "connectivityEndpoints": {
            "dev": f"https://{name}.dev.azuresynapse.net",
            "sql": f"{name}.sql.azuresynapse.net",
            "sqlOnDemand": f"{name}-ondemand.sql.azuresynapse.net",
            "web": f"https://web.azuresynapse.net?workspace={name}",
        },
        **_system_identity(args, name),
    }


def _kusto_cluster(args: MockResourceArgs, name: str) -> dict[str, Any]:
    location = args.inputs.get("location") or "westus2"
    return {
        "uri": f"https://{name}.{location}.kusto.windows.net",
        "dataIngestionUri": f"https://ingest-{name}.{location}.kusto.windows.net",
        **_system_identity(args, name),
    }


def _log_analytics(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {"customerId": _uuid("workspace", name)}


AzureExtras = Callable[[MockResourceArgs, str], dict[str, Any]]
AZURE_EXTRAS: dict[str, AzureExtras] = {
    "azure-native:storage:StorageAccount": _storage_account,
    "azure-native:keyvault:Vault": _key_vault,
    "azure-native:keyvault:Key": _key,
    "azure-native:managedidentity:UserAssignedIdentity": _user_identity,
    "azure-native:eventhub:Namespace": _messaging_namespace,
    "azure-native:servicebus:Namespace": _messaging_namespace,
    "azure-native:eventgrid:SystemTopic": _system_identity,
    "azure-native:synapse:Workspace": _synapse_workspace,
    "azure-native:kusto:Cluster": _kusto_cluster,
    "azure-native:operationalinsights:Workspace": _log_analytics,
}
