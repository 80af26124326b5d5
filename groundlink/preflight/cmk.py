"""Writers into customer-managed-key stores hold every key permission the write needs.

The APIs check this only when data moves: a role that may `s3:PutObject` into
an SSE-KMS bucket but lacks `kms:Decrypt` succeeds on small objects and fails
on every multipart upload. Both sides are in the plan (the store's key, the
writer's policy), so the rule is checked before anything is deployed.

AWS: the writer's IAM policy must allow, on the store's key, every KMS action
the write action needs (WRITE_NEEDS, with sources). Azure: writers need no key
permission (the service encrypts with its own identity), so the rule is that
the identity a CMK store encrypts with holds a key role on the vault
(KEY_ROLES), or the store cannot read its key and refuses every write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..engine.plan import Plan, PlannedResource
from ..limits import DATA_EXPLORER_KEY_SIZE, DATA_EXPLORER_KEY_SOURCE
from .findings import Finding, mapping, values_at

# Write action -> the KMS actions it needs on the store's key, and where AWS says so.
WRITE_NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "s3:PutObject": (
        ("kms:GenerateDataKey", "kms:Decrypt"),
        "Amazon S3 User Guide, Multipart upload and permissions (SSE-KMS needs kms:Decrypt and kms:GenerateDataKey)",
    ),
    "kinesis:PutRecord": (
        ("kms:GenerateDataKey",),
        "Amazon Kinesis Data Streams Developer Guide, Permissions to use user-generated KMS keys (producers)",
    ),
    "kinesis:PutRecords": (
        ("kms:GenerateDataKey",),
        "Amazon Kinesis Data Streams Developer Guide, Permissions to use user-generated KMS keys (producers)",
    ),
    "sqs:SendMessage": (
        ("kms:GenerateDataKey", "kms:Decrypt"),
        "Amazon SQS Developer Guide, Key management (producer permissions for SSE-KMS queues)",
    ),
}


@dataclass(frozen=True)
class Store:
    resource: str
    key_arn: str
    write_arns: tuple[str, ...]  # the ARNs a write action names when it writes this store


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[str, ...]


# -- AWS ---------------------------------------------------------------------------------


def aws_findings(plan: Plan) -> Iterator[Finding]:
    stores = list(_aws_stores(plan))
    if not stores:
        return
    for role, policy_owner, statements in _role_policies(plan):
        for action, (needs, source) in WRITE_NEEDS.items():
            for store in stores:
                if not _allows(statements, action, store.write_arns, overlap=True):
                    continue
                missing = [need for need in needs if not _allows(statements, need, (store.key_arn,))]
                if missing:
                    rule = (
                        f"{role} may {action} into {store.resource}, encrypted with a customer-managed key, "
                        f"but lacks {', '.join(missing)} on that key"
                    )
                    yield Finding(policy_owner.name, policy_owner.type, "policy", store.key_arn, rule, source)


def _key_arns(plan: Plan) -> dict[str, str]:
    """Every way a plan names a key (ARN, key id, alias name, alias ARN) -> the key's ARN."""
    arns: dict[str, str] = {}
    for key in plan.of_type("aws:kms/key:Key"):
        arn = key.outputs.get("arn")
        if isinstance(arn, str):
            for name in (arn, key.outputs.get("keyId"), key.outputs.get("id")):
                if isinstance(name, str):
                    arns[name] = arn
    for alias in plan.of_type("aws:kms/alias:Alias"):
        target = arns.get(str(alias.inputs.get("targetKeyId")))
        for name in (alias.inputs.get("name"), alias.outputs.get("arn")):
            if target and isinstance(name, str):
                arns[name] = target
    return arns


def _aws_stores(plan: Plan) -> Iterator[Store]:
    keys = _key_arns(plan)
    for sse in plan.of_type("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"):
        bucket = sse.inputs.get("bucket")
        for _, rule in values_at(sse.inputs, "rules[].applyServerSideEncryptionByDefault"):
            key = keys.get(str(rule.get("kmsMasterKeyId")))
            if key and str(rule.get("sseAlgorithm", "")).startswith("aws:kms"):
                yield Store(f"bucket {bucket}", key, (f"arn:aws:s3:::{bucket}/*",))
    for stream in plan.of_type("aws:kinesis/stream:Stream"):
        key = keys.get(str(stream.inputs.get("kmsKeyId")))
        if key and stream.inputs.get("encryptionType") == "KMS":
            yield Store(f"stream {stream.outputs.get('name')}", key, (str(stream.outputs.get("arn")),))
    for queue in plan.of_type("aws:sqs/queue:Queue"):
        key = keys.get(str(queue.inputs.get("kmsMasterKeyId")))
        if key:
            yield Store(f"queue {queue.outputs.get('name')}", key, (str(queue.outputs.get("arn")),))


def _policies_by_role(plan: Plan) -> dict[str, list[tuple[PlannedResource, list[Statement]]]]:
    """Role name -> (the resource carrying a policy, its Allow statements): role policies and
    the role's inline policies."""
    by_role: dict[str, list[tuple[PlannedResource, list[Statement]]]] = {}
    for policy in plan.of_type("aws:iam/rolePolicy:RolePolicy"):
        role = str(policy.inputs.get("role"))
        by_role.setdefault(role, []).append((policy, _statements(policy.inputs.get("policy"))))
    for role_resource in plan.of_type("aws:iam/role:Role"):
        name = str(role_resource.outputs.get("name") or role_resource.name)
        for _, inline in values_at(role_resource.inputs, "inlinePolicies[].policy"):
            by_role.setdefault(name, []).append((role_resource, _statements(inline)))
    return by_role


def role_statements(plan: Plan) -> dict[str, list[Statement]]:
    """Role name -> every Allow statement of the role's policies."""
    return {role: [s for _, found in policies for s in found] for role, policies in _policies_by_role(plan).items()}


def _role_policies(plan: Plan) -> Iterator[tuple[str, PlannedResource, list[Statement]]]:
    """(role name, the resource carrying the policy, its Allow statements) for every role."""
    for role_name, policies in _policies_by_role(plan).items():
        statements = [s for _, found in policies for s in found]
        for owner, _ in policies:
            yield role_name, owner, statements


def _statements(document: Any) -> list[Statement]:
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    if not isinstance(document, dict):
        return []
    raw = document.get("Statement", [])
    found = []
    for statement in raw if isinstance(raw, list) else [raw]:
        if isinstance(statement, dict) and statement.get("Effect") == "Allow":
            found.append(Statement(_strings(statement.get("Action")), _strings(statement.get("Resource"))))
    return found


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]) if v is not None)


def _allows(statements: list[Statement], action: str, arns: tuple[str, ...], overlap: bool = False) -> bool:
    """Some statement allows `action` on one of `arns` (IAM wildcards; actions are case-insensitive).

    With `overlap`, a statement on part of a store (`bucket/partner/*` of `bucket/*`) counts too.
    """
    for statement in statements:
        if not any(fnmatchcase(action.lower(), pattern.lower()) for pattern in statement.actions):
            continue
        for pattern in statement.resources:
            if any(fnmatchcase(arn, pattern) or (overlap and fnmatchcase(pattern, arn)) for arn in arns):
                return True
    return False


# -- Azure -------------------------------------------------------------------------------

# Role definition ids that carry the key permissions (get, wrapKey, unwrapKey) a CMK store uses.
KEY_ROLES = {"e147488a-f6f5-4113-8e2d-b22465e65bf6": "Key Vault Crypto Service Encryption User"}
AZURE_SOURCE = (
    "Microsoft Learn, Customer-managed keys for Azure Storage encryption (key permissions get, wrapKey, unwrapKey)"
)


def azure_findings(plan: Plan) -> Iterator[Finding]:
    principals = {
        str(r.outputs.get("id")): str(r.outputs.get("principalId"))
        for r in plan.of_type("azure-native:managedidentity:UserAssignedIdentity")
    }
    vault_ids = {
        str(v.inputs.get("vaultName")): str(v.outputs.get("id")) for v in plan.of_type("azure-native:keyvault:Vault")
    }
    grants = [
        (str(a.inputs.get("principalId")), str(a.inputs.get("scope")))
        for a in plan.of_type("azure-native:authorization:RoleAssignment")
        if str(a.inputs.get("roleDefinitionId", "")).rsplit("/", 1)[-1] in KEY_ROLES
    ]
    for store, path, identity, vault in _azure_cmk_stores(plan):
        principal = principals.get(identity)
        scope = vault_ids.get(vault)
        if principal is None or scope is None:
            continue
        if not any(p == principal and s.startswith(scope) for p, s in grants):
            rule = f"the identity {store.name} encrypts with holds no key role ({', '.join(KEY_ROLES.values())}) on vault {vault}"
            yield Finding(store.name, store.type, path, identity, rule, AZURE_SOURCE)


EXPLORER_SOURCE = DATA_EXPLORER_KEY_SOURCE


def explorer_key_findings(plan: Plan) -> Iterator[Finding]:
    """A Data Explorer cluster's customer-managed key is a 2048-bit RSA key of the plan's vault."""
    sizes = {
        str(k.inputs.get("keyName")): mapping(k.inputs.get("properties")).get("keySize")
        for k in plan.of_type("azure-native:keyvault:Key")
    }
    for cluster in plan.of_type("azure-native:kusto:Cluster"):
        name = mapping(cluster.inputs.get("keyVaultProperties")).get("keyName")
        if name is None or name not in sizes:  # no key, or a key of another vault: not the plan's to judge
            continue
        size = sizes[name]
        if size is not None and int(size) != DATA_EXPLORER_KEY_SIZE:
            yield Finding(
                cluster.name,
                cluster.type,
                "keyVaultProperties.keyName",
                name,
                f"key {name} is RSA {int(size)}-bit; Data Explorer takes only a "
                f"{DATA_EXPLORER_KEY_SIZE}-bit RSA key and refuses the cluster",
                EXPLORER_SOURCE,
            )


def _azure_cmk_stores(plan: Plan) -> Iterator[tuple[PlannedResource, str, str, str]]:
    """(store, identity path, user-assigned identity id, vault name) of each CMK-encrypted store."""
    for account in plan.of_type("azure-native:storage:StorageAccount"):
        encryption = mapping(account.inputs.get("encryption"))
        if str(encryption.get("keySource", "")).lower() != "microsoft.keyvault":
            continue
        identity = mapping(encryption.get("encryptionIdentity")).get("encryptionUserAssignedIdentity")
        uri = mapping(encryption.get("keyVaultProperties")).get("keyVaultUri", "")
        if isinstance(identity, str) and isinstance(uri, str):
            vault = uri.removeprefix("https://").split(".", 1)[0]
            yield account, "encryption.encryptionIdentity.encryptionUserAssignedIdentity", identity, vault
    for workspace in plan.of_type("azure-native:synapse:Workspace"):
        cmk = mapping(mapping(workspace.inputs.get("encryption")).get("cmk"))
        identity = mapping(cmk.get("kekIdentity")).get("userAssignedIdentity")
        url = mapping(cmk.get("key")).get("keyVaultUrl", "")
        if isinstance(identity, str) and isinstance(url, str):
            vault = url.removeprefix("https://").split(".", 1)[0]
            yield workspace, "encryption.cmk.kekIdentity.userAssignedIdentity", identity, vault


# The services Key Vault lets through a vault that takes no public network access or whose
# firewall denies by default, of those that encrypt a store with a key of it: "Services that
# aren't in that table need a firewall IP rule, a virtual network rule, or a private endpoint to
# reach the vault" (Microsoft Learn, "Virtual network service endpoints for Azure Key Vault",
# Trusted services, read 2026-12-06: Azure Storage, Azure Synapse Analytics, Azure Event Hubs,
# Azure Service Bus; Azure Data Explorer is not listed).
TRUSTED_KEY_USERS = frozenset(
    {
        "azure-native:storage:StorageAccount",
        "azure-native:synapse:Workspace",
        "azure-native:eventhub:Namespace",
        "azure-native:servicebus:Namespace",
    }
)
TRUSTED_SOURCE = (
    'Microsoft Learn, "Virtual network service endpoints for Azure Key Vault", Trusted services (read 2026-12-06)'
)


def _closed(vault: PlannedResource) -> bool:
    """A vault whose network admits only trusted services and its private endpoints."""
    properties = mapping(vault.inputs.get("properties"))
    acls = mapping(properties.get("networkAcls"))
    return str(properties.get("publicNetworkAccess", "")).lower() == "disabled" or (
        str(acls.get("defaultAction", "")).lower() == "deny"
        and not acls.get("ipRules")
        and not acls.get("virtualNetworkRules")
    )


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _texts(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _texts(inner, f"{path}[{index}]")


# The inputs in which a service is given the vault of its customer-managed key: storage and
# Data Explorer `keyVaultUri`, Synapse `keyVaultUrl`, namespaces `keyVaultProperties[].keyVaultUri`.
KEY_VAULT_FIELDS = frozenset({"keyvaulturi", "keyvaulturl"})


def unreachable_key_findings(plan: Plan) -> Iterator[Finding]:
    """A service given a customer-managed key by its vault's URI (`https://<vault>.vault.azure.net/`
    in a `keyVaultUri`/`keyVaultUrl` input) reads it from its own platform over the vault's
    network: where the plan's vault admits only trusted services, a service of another kind
    cannot reach its key, and its create fails (a Data Explorer cluster, say). A vault URI
    elsewhere (an app setting a program reads through the vault's private endpoint) is not
    judged: that reach is the program's network's."""
    closed = {
        str(v.inputs.get("vaultName")).lower()
        for v in plan.of_type("azure-native:keyvault:Vault")
        if v.inputs.get("vaultName") and _closed(v)
    }
    if not closed:
        return
    for resource in plan.custom():
        if resource.type in TRUSTED_KEY_USERS or resource.type.startswith("azure-native:keyvault:"):
            continue
        for path, text in _texts(resource.inputs):
            if path.rsplit(".", 1)[-1].split("[", 1)[0].lower() not in KEY_VAULT_FIELDS:
                continue
            host = text.lower().removeprefix("https://").split("/", 1)[0]
            if host.endswith(".vault.azure.net") and host.removesuffix(".vault.azure.net") in closed:
                yield Finding(
                    resource.name,
                    resource.type,
                    path,
                    text,
                    f"reads a key of vault {host.split('.')[0]}, which admits only trusted services (public network "
                    "access disabled or a firewall denying by default), and this service is none: admit it through "
                    "the vault's firewall (an IP or network rule), or give it no customer-managed key",
                    TRUSTED_SOURCE,
                )
