"""Mock outputs for Azure (pulumi-azure-native) resources, keyed by type token.

Each entry adds to a resource's inputs what the provider would compute
(ids, ARNs, names, endpoints), deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi.runtime import MockResourceArgs

from ..limits import AZURE_PAIRED_LOCATION, geo_redundant
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
    "environmentName",
    "jobName",
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
    # the SDK's class names are not ARM's type names here
    "web:WebApp": "Microsoft.Web/sites/{name}",
    "web:AppServicePlan": "Microsoft.Web/serverfarms/{name}",
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
    computed: dict[str, Any] = {
        "primaryEndpoints": {
            "blob": f"https://{name}.blob.core.windows.net/",
            "dfs": f"https://{name}.dfs.core.windows.net/",
        },
        "primaryLocation": args.inputs.get("location"),
    }
    # a geo-redundant account (GRS, GZRS and their read-access forms) reports where its second
    # copy is: the location's pair; a locally or zone-redundant one has no secondary
    sku = str((args.inputs.get("sku") or {}).get("name", ""))
    secondary = AZURE_PAIRED_LOCATION.get(str(args.inputs.get("location", "")))
    if geo_redundant(sku) and secondary:
        computed["secondaryLocation"] = secondary
    return computed


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


def identity(args: MockResourceArgs, name: str) -> dict[str, Any]:
    """A resource's `identity` as ARM returns it: a system-assigned identity gets a principal id,
    as Entra would create one; the user-assigned identities sent as a list of ids (pulumi-azure-native
    3.x input) come back as ARM's map of id -> that identity's principal and client ids."""
    sent = args.inputs.get("identity")
    if not isinstance(sent, dict):
        return {}
    shaped = dict(sent)
    if "SystemAssigned" in str(sent.get("type", "")):
        shaped.update(principalId=_uuid("principal", args.typ, name), tenantId=TENANT_ID)
    assigned = sent.get("userAssignedIdentities")
    if isinstance(assigned, list):
        shaped["userAssignedIdentities"] = {
            ident: _user_identity(args, ident.rsplit("/", 1)[-1]) for ident in assigned if isinstance(ident, str)
        }
    return {"identity": shaped}


def _messaging_namespace(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {"serviceBusEndpoint": f"https://{name}.servicebus.windows.net:443/"}


def _synapse_workspace(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {
        "connectivityEndpoints": {
            "dev": f"https://{name}.dev.azuresynapse.net",
            "sql": f"{name}.sql.azuresynapse.net",
            "sqlOnDemand": f"{name}-ondemand.sql.azuresynapse.net",
            "web": f"https://web.azuresynapse.net?workspace={name}",
        },
    }


def _kusto_cluster(args: MockResourceArgs, name: str) -> dict[str, Any]:
    location = args.inputs.get("location") or "westus2"
    return {
        "uri": f"https://{name}.{location}.kusto.windows.net",
        "dataIngestionUri": f"https://ingest-{name}.{location}.kusto.windows.net",
    }


def _kusto_child(args: MockResourceArgs, name: str) -> dict[str, Any]:
    """Data Explorer names a database `<cluster>/<database>`, and a script or data connection
    `<cluster>/<database>/<name>`, in what it returns (Azure REST API specs, azure-kusto examples
    2024-04-13: KustoDatabasesGet.json, KustoScriptsGet.json, KustoDataConnectionsGet.json)."""
    keys = ("clusterName",) if args.typ.endswith(":ReadWriteDatabase") else ("clusterName", "databaseName")
    parents = [value for key in keys if isinstance(value := args.inputs.get(key), str)]
    return {"name": "/".join([*parents, name])}


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
    "azure-native:synapse:Workspace": _synapse_workspace,
    "azure-native:kusto:Cluster": _kusto_cluster,
    "azure-native:kusto:ReadWriteDatabase": _kusto_child,
    "azure-native:kusto:Script": _kusto_child,
    "azure-native:kusto:EventHubDataConnection": _kusto_child,
    "azure-native:operationalinsights:Workspace": _log_analytics,
}
