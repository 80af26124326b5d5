"""Mock provider outputs shaped like the real providers'.

Outputs are the inputs plus what the cloud would compute: ids, ARNs, Azure
resource ids, names, endpoints. Values are deterministic (hashed from type
and name) so plans are reproducible. Per-type extras live in small tables,
`AWS_EXTRAS` and `AZURE_EXTRAS`, keyed by type token.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Callable, Optional

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

ACCOUNT_ID = "123456789012"
SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
CLIENT_OBJECT_ID = "22222222-2222-2222-2222-222222222222"


def _hex(*parts: str, n: int = 8) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


def _uuid(*parts: str) -> str:
    h = _hex(*parts, n=32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# -- AWS ----------------------------------------------------------------------

Extras = Callable[[MockResourceArgs, dict[str, Any]], dict[str, Any]]


def _bucket(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("bucket") or (args.inputs.get("bucketPrefix") or f"{args.name}-") + _hex(args.name)
    return {"bucket": name, "id": name, "arn": f"arn:aws:s3:::{name}",
            "bucketDomainName": f"{name}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{name}.s3.{ctx['region']}.amazonaws.com", "region": ctx["region"]}


def _kms_key(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    key_id = _uuid(args.typ, args.name)
    return {"keyId": key_id, "id": key_id, "arn": f"arn:aws:kms:{ctx['region']}:{ACCOUNT_ID}:key/{key_id}"}


def _iam_role(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    return {"name": name, "id": name, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}", "uniqueId": "AROA" + _hex(name, n=17).upper()}


def _sqs_queue(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    url = f"https://sqs.{ctx['region']}.amazonaws.com/{ACCOUNT_ID}/{name}"
    return {"name": name, "id": url, "url": url, "arn": f"arn:aws:sqs:{ctx['region']}:{ACCOUNT_ID}:{name}"}


def _groundstation(kind: str) -> Extras:
    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        uid = _uuid(args.typ, args.name)
        sub = kind
        if kind == "config":
            data = args.inputs.get("configData") or {}
            first = next(iter(data), "config")
            sub = "config/" + _kebab(first.removesuffix("Config")).replace("antenna-downlink-demod-decode", "antenna-downlink-demod-decode")
        return {"arn": f"arn:aws:groundstation:{ctx['region']}:{ACCOUNT_ID}:{sub}/{uid}", "awsId": uid, "id": uid}

    return extras


AWS_EXTRAS: dict[str, Extras] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:kms/key:Key": _kms_key,
    "aws:iam/role:Role": _iam_role,
    "aws:sqs/queue:Queue": _sqs_queue,
    "aws-native:groundstation:Config": _groundstation("config"),
    "aws-native:groundstation:MissionProfile": _groundstation("mission-profile"),
    "aws-native:groundstation:DataflowEndpointGroup": _groundstation("dataflow-endpoint-group"),
    "aws-native:groundstation:DataflowEndpointGroupV2": _groundstation("dataflow-endpoint-group"),
}


def _aws_generic(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    module = args.typ.split(":")[1].split("/")[0]
    kind = _kebab(args.typ.split(":")[-1])
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    arn = f"arn:aws:{module}:{ctx['region']}:{ACCOUNT_ID}:{kind}/{name}"
    return {"id": name, "arn": arn, "name": name} if "name" not in args.inputs else {"id": name, "arn": arn}


# -- Azure --------------------------------------------------------------------

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


class OfflineMocks(Mocks):
    """Answers the SDK's resource and invoke calls the way the providers would."""

    def __init__(self, region: str = "us-west-2"):
        self.ctx = {"region": region}

    def new_resource(self, args: MockResourceArgs) -> tuple[Optional[str], dict]:
        package = args.typ.split(":")[0]
        if package in ("aws", "aws-native"):
            extras = AWS_EXTRAS.get(args.typ, _aws_generic)(args, self.ctx)
        elif package == "azure-native":
            name = _azure_name(args)
            extras = {"name": name, "id": _azure_id(args, name), **AZURE_EXTRAS.get(args.typ, lambda a, n: {})(args, name)}
        elif package == "pulumi" and args.typ.startswith("pulumi:providers:"):
            extras = {}
        else:
            extras = {}
        state = {**args.inputs, **extras}
        return str(state.get("id") or f"{args.name}-id"), state

    def call(self, args: MockCallArgs) -> dict:
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/plan", "userId": "AIDPLAN", "id": ACCOUNT_ID}
        if token in ("aws:index/getRegion:getRegion",):
            return {"name": self.ctx["region"], "region": self.ctx["region"], "id": self.ctx["region"]}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
        if token.startswith("azure-native:authorization:getClientConfig"):
            return {"clientId": _uuid("client"), "objectId": CLIENT_OBJECT_ID,
                    "subscriptionId": SUBSCRIPTION_ID, "tenantId": TENANT_ID}
        return {}
