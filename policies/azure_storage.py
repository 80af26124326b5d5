"""Azure Storage: the ADLS account and its containers locked down the way
CIS and common scanners expect (HTTPS, TLS 1.2, no public or shared-key
access, infrastructure encryption and CMK, deny-by-default network, recoverable
blobs)."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .joins import of_type, second_writers, sides
from .props import (
    UNKNOWN,
    as_list,
    azure_firewall_problem,
    get,
    is_false,
    is_true,
    lets_trusted_services,
    missing,
    same_text,
    tls_at_least,
)
from .registry import resource_rule, stack_rule
from .tokens import is_type

ACCOUNT_KEYS = ("accountName", "name")


def _account(name: str, **meta: Any):
    return resource_rule(name, area="azure-storage", types=T.STORAGE_ACCOUNT, **meta)


@_account(
    "azure-storage-https-only",
    severity="high",
    enforcement="mandatory",
    controls=("CIS Azure 3.1", "CKV_AZURE_3"),
    description="Storage accounts accept HTTPS traffic only.",
    remediation="Set enable_https_traffic_only=True (the API default; never set it to False).",
)
def https_only(args: Any, report: Any) -> None:
    if is_false(get(args.props, "enableHttpsTrafficOnly")):
        report("enableHttpsTrafficOnly is false")


@_account(
    "azure-storage-no-cross-tenant-replication",
    severity="high",
    enforcement="mandatory",
    controls=("Azure Policy 92a89a79-6c52-4a7e-a03f-61306fc49312 (prevent cross tenant object replication)",),
    description="Storage accounts do not allow object replication to or from an account of another Entra tenant.",
    remediation="Set allow_cross_tenant_replication=False (the default of a new account).",
)
def no_cross_tenant_replication(args: Any, report: Any) -> None:
    # unset, a new account takes false ("The default interpretation is false for new accounts":
    # Storage REST API, StorageAccountPropertiesCreateParameters.allowCrossTenantReplication)
    if is_true(get(args.props, "allowCrossTenantReplication")):
        report("allowCrossTenantReplication is true: its blobs may be copied into another tenant's account")


@_account(
    "azure-storage-min-tls",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_44",),
    description="Storage accounts require TLS 1.2 or later.",
    remediation="Set minimum_tls_version='TLS1_2'.",
)
def min_tls(args: Any, report: Any) -> None:
    version = get(args.props, "minimumTlsVersion")
    if version is not UNKNOWN and not tls_at_least(version):
        report(f"minimum TLS version is {version or 'unset (TLS1_0 on older API versions)'}")


@_account(
    "azure-storage-no-public-blob",
    severity="critical",
    enforcement="mandatory",
    controls=("CKV_AZURE_190",),
    description="Storage accounts disallow anonymous blob access.",
    remediation="Set allow_blob_public_access=False.",
)
def no_public_blob(args: Any, report: Any) -> None:
    value = get(args.props, "allowBlobPublicAccess")
    if value is not UNKNOWN and not is_false(value):
        report("allowBlobPublicAccess is " + ("true" if is_true(value) else "not set to false"))


@_account(
    "azure-storage-shared-key-off",
    severity="high",
    enforcement="mandatory",
    controls=("Shared Key authorization disallowed (Entra ID only)",),
    description="Storage accounts disable Shared Key (account key and SAS) authorization.",
    remediation="Set allow_shared_key_access=False and grant data access with Entra ID role assignments.",
)
def shared_key_off(args: Any, report: Any) -> None:
    value = get(args.props, "allowSharedKeyAccess")
    if value is not UNKNOWN and not is_false(value):
        report("allowSharedKeyAccess is " + ("true" if is_true(value) else "not set to false"))


@_account(
    "azure-storage-infrastructure-encryption",
    severity="medium",
    enforcement="mandatory",
    controls=("CIS Azure 3.2",),
    description="Storage accounts add infrastructure (double) encryption.",
    remediation="Set encryption.require_infrastructure_encryption=True (create-only: set it when the "
    "account is created).",
)
def infrastructure_encryption(args: Any, report: Any) -> None:
    value = get(args.props, "encryption", "requireInfrastructureEncryption")
    if value is not UNKNOWN and not is_true(value):
        report("requireInfrastructureEncryption is not true")


@_account(
    "azure-storage-default-deny",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_35",),
    description="Storage account firewalls deny by default (or public network access is disabled).",
    remediation="Set network_rule_set.default_action='Deny' (and allow what needs access by VNet rule or "
    "private endpoint), or public_network_access='Disabled'.",
)
def default_deny(args: Any, report: Any) -> None:
    problem = azure_firewall_problem(
        get(args.props, "networkRuleSet"), get(args.props, "publicNetworkAccess"), "iPAddressOrRange"
    )
    if problem:
        report(problem)


@_account(
    "azure-storage-trusted-services",
    severity="medium",
    enforcement="mandatory",
    controls=("CKV_AZURE_36",),
    description="Storage account firewalls let trusted Azure services through (Event Grid, diagnostics, backup).",
    remediation="Set network_rule_set.bypass='AzureServices' (optionally with Logging, Metrics).",
)
def trusted_services(args: Any, report: Any) -> None:
    rules = get(args.props, "networkRuleSet")
    bypass = get(rules, "bypass")
    if rules and bypass is not UNKNOWN and not lets_trusted_services(bypass):
        report(f"network bypass is {bypass or 'empty'}, not AzureServices")


@resource_rule(
    "azure-storage-cmk",
    area="azure-storage",
    types=T.STORAGE_ACCOUNT + T.ENCRYPTION_SCOPE,
    severity="high",
    enforcement="mandatory",
    controls=("CIS Azure 3.12",),
    description="Storage accounts encrypt with a customer-managed key from Key Vault, and so does every encryption "
    "scope in them (a container held to a scope of Microsoft-managed keys keeps its blobs under those).",
    remediation="Set encryption.key_source='Microsoft.Keyvault' with key_vault_properties (key name, vault URI) "
    "and encryption.encryption_identity={'encryption_user_assigned_identity': <identity>.id}, an identity of "
    "the account that holds Key Vault Crypto Service Encryption User on the key.",
    config={
        "requireCustomerManagedKey": {
            "type": "boolean",
            "default": True,
            "description": "Require a Key Vault key; false accepts Microsoft-managed keys.",
        }
    },
)
def customer_managed_key(args: Any, report: Any) -> None:
    if not args.get_config().get("requireCustomerManagedKey", True):
        return
    if is_type(args.resource_type, T.ENCRYPTION_SCOPE):
        scope_source = get(args.props, "source")
        if scope_source is not UNKNOWN and str(scope_source or "").lower() != "microsoft.keyvault":
            report(
                f"encryption scope source is {scope_source or 'Microsoft.Storage (default)'}, not Microsoft.Keyvault"
            )
        return
    source = get(args.props, "encryption", "keySource")
    if source is UNKNOWN:
        return
    if str(source or "").lower() != "microsoft.keyvault":
        report(f"key source is {source or 'Microsoft.Storage (default)'}, not Microsoft.Keyvault")
    elif missing(get(args.props, "encryption", "keyVaultProperties", "keyName")):
        report("key source is Microsoft.Keyvault without keyVaultProperties.keyName")


@resource_rule(
    "azure-container-private",
    area="azure-storage",
    severity="critical",
    enforcement="mandatory",
    types=T.BLOB_CONTAINER,
    controls=("CKV_AZURE_34",),
    description="Blob containers allow no anonymous access.",
    remediation="Set public_access='None' (or leave it unset).",
)
def container_private(args: Any, report: Any) -> None:
    access = get(args.props, "publicAccess")
    if access is not None and access is not UNKNOWN and not same_text(access, "None"):  # ARM reads `none` too
        report(f"public access level is {access}")


@stack_rule(
    "azure-storage-soft-delete",
    area="azure-storage",
    severity="medium",
    enforcement="mandatory",
    controls=("CKV2_AZURE_38",),
    description="Every storage account keeps deleted blobs and containers recoverable (soft delete on both, "
    "without permanent delete), and one without a hierarchical namespace versions blobs (an account with one "
    "refuses versioning).",
    remediation="Give the account its one azure_native.storage.BlobServiceProperties(blob_services_name='default', "
    "account_name=..., resource_group_name=..., "
    "delete_retention_policy={'enabled': True, 'days': 30}, container_delete_retention_policy="
    "{'enabled': True, 'days': 30}), with is_versioning_enabled=True on an account without is_hns_enabled: "
    "change the one it has, or add it where it has none (a second is refused: "
    "azure-storage-one-resource-per-setting).",
)
def soft_delete(args: Any, report: Any) -> None:
    for account in of_type(args.resources, T.STORAGE_ACCOUNT):
        services = sides(args.resources, T.BLOB_SERVICE, "accountName", account, ACCOUNT_KEYS)
        label = f"storage account {account.name}"
        if not services:
            report(f"{label} has no BlobServiceProperties (soft delete off)", account.urn)
            continue
        off = []
        for key, what in (
            ("deleteRetentionPolicy", "blob soft delete"),
            ("containerDeleteRetentionPolicy", "container soft delete"),
        ):
            values = [get(s.props, key, "enabled") for s in services]
            if UNKNOWN not in values and not any(is_true(v) for v in values):
                off.append(what)
            # a soft-deleted blob, version or snapshot that may be deleted for good is no longer
            # recoverable (Microsoft.Storage DeleteRetentionPolicy.allowPermanentDelete)
            elif any(is_true(get(s.props, key, "allowPermanentDelete")) for s in services):
                off.append(f"{what} (allowPermanentDelete is true)")
        # an account with a hierarchical namespace (ADLS Gen2) refuses versioning (docs/azure.md)
        hns = get(account.props, "isHnsEnabled")
        versioning = [get(s.props, "isVersioningEnabled") for s in services]
        flat = hns is not UNKNOWN and not is_true(hns)
        if flat and UNKNOWN not in versioning and not any(is_true(v) for v in versioning):
            off.append("blob versioning")
        if off:
            report(f"{label}: {', '.join(off)} off", account.urn)


ZONE_REDUNDANT_SKUS = ["Standard_ZRS", "Standard_GZRS", "Standard_RAGZRS", "Premium_ZRS"]
# Every storage account SKU name, as Azure spells them: "SKU type names are case-sensitive" (Azure
# Storage REST reference, "SKU Types"); the azure-native provider's storage SkuName enum holds the
# same (tests/test_policies_pack.py). A config naming `standard_zrs` matched no account.
STORAGE_SKUS = [
    "PremiumV2_LRS",
    "PremiumV2_ZRS",
    "Premium_LRS",
    "Premium_ZRS",
    "StandardV2_GRS",
    "StandardV2_GZRS",
    "StandardV2_LRS",
    "StandardV2_ZRS",
    "Standard_GRS",
    "Standard_GZRS",
    "Standard_LRS",
    "Standard_RAGRS",
    "Standard_RAGZRS",
    "Standard_ZRS",
]
# Azure's Archive tier exists on LRS, GRS and RA-GRS accounts only (docs/facts.md §9).
ARCHIVE_SKUS = ("Standard_LRS", "Standard_GRS", "Standard_RAGRS")


@stack_rule(
    "azure-storage-archive-tier-supported",
    area="azure-storage",
    severity="medium",
    enforcement="mandatory",
    controls=("Microsoft Learn: Archive tier on LRS, GRS and RA-GRS only",),
    description="A lifecycle management policy tiers to Archive only on an account that has the Archive tier "
    "(LRS, GRS, RA-GRS); a zone-redundant account (ZRS, GZRS, RA-GZRS) does not.",
    remediation="Tier to Cold instead (tier_to_cold), as groundlink does on its zone-redundant account. An "
    "LRS/GRS account of its own for archived data also has the tier, but keeps its primary copies in one "
    "datacenter: azure-storage-redundancy refuses it unless its allowedSkus names that SKU.",
)
def archive_tier_supported(args: Any, report: Any) -> None:
    for account in of_type(args.resources, T.STORAGE_ACCOUNT):
        sku = get(account.props, "sku", "name")
        if sku is UNKNOWN or sku in ARCHIVE_SKUS:
            continue
        for policy in sides(args.resources, T.MANAGEMENT_POLICY, "accountName", account, ACCOUNT_KEYS):
            for rule in as_list(get(policy.props, "policy", "rules")):
                actions = get(rule, "definition", "actions")
                archived = [kind for kind in ("baseBlob", "snapshot", "version") if get(actions, kind, "tierToArchive")]
                if archived:
                    report(
                        f"management policy {policy.name} rule {get(rule, 'name')} tiers {', '.join(archived)} to "
                        f"Archive, which a {sku or 'default'} account does not have; allowed: {', '.join(ARCHIVE_SKUS)}",
                        policy.urn,
                    )


@_account(
    "azure-storage-redundancy",
    severity="high",
    enforcement="mandatory",
    controls=("zone-redundant storage (ZRS, GZRS, RA-GZRS)",),
    description="Storage accounts keep mission data in more than one datacenter: zone-redundant (ZRS) or "
    "geo-zone-redundant (GZRS, RA-GZRS), as S3 Standard keeps it across availability zones.",
    remediation="Set sku={'name': 'Standard_ZRS'} (or Standard_GZRS / Standard_RAGZRS for a copy in the paired "
    "region): groundlink's account is ZRS with storage.redundancy: zone, GZRS or RA-GZRS with geo; or name the "
    "SKU in allowedSkus.",
    config={
        "allowedSkus": {
            "type": "array",
            "items": {"type": "string", "enum": STORAGE_SKUS},
            "minItems": 1,  # an empty list would allow nothing: it was read as the default instead
            "default": ZONE_REDUNDANT_SKUS,
            "description": "Storage SKUs accepted for mission data; LRS and GRS keep the primary copies in one "
            "datacenter.",
        }
    },
)
def redundancy(args: Any, report: Any) -> None:
    sku = get(args.props, "sku", "name")
    if sku is UNKNOWN:
        return
    allowed = list(args.get_config().get("allowedSkus") or ZONE_REDUNDANT_SKUS)
    # "SKU type names are case-sensitive" (Azure Storage REST reference, "SKU Types"): compared as
    # written, and the config takes only names as Azure spells them (STORAGE_SKUS)
    if sku not in allowed:
        kind = "not zone-redundant" if allowed == ZONE_REDUNDANT_SKUS else "not one the pack's allowedSkus names"
        report(f"sku is {sku or 'unset'}, {kind}; allowed: {', '.join(allowed)}")


# The settings an account keeps one of, each a child resource named `default`: a second resource of
# a kind writes over the first's in the cloud.
ONE_PER_ACCOUNT = (
    ("blob service properties", T.BLOB_SERVICE, ()),
    ("lifecycle management policy", T.MANAGEMENT_POLICY, ()),
)


@stack_rule(
    "azure-storage-one-resource-per-setting",
    area="azure-storage",
    severity="high",
    enforcement="mandatory",
    controls=("Microsoft.Storage: one 'default' blob service and management policy per account",),
    description="No storage account has two BlobServiceProperties or two ManagementPolicy resources: each is the "
    "account's one 'default' child, so a second writes over the first, and the rules judging soft delete, "
    "versioning or lifecycle cannot tell which the account keeps.",
    remediation="Keep one BlobServiceProperties and one ManagementPolicy per account; merge their settings and rules.",
)
def one_resource_per_setting(args: Any, report: Any) -> None:
    for account, found in second_writers(
        args.resources, T.STORAGE_ACCOUNT, ONE_PER_ACCOUNT, "accountName", ACCOUNT_KEYS
    ):
        report(
            f"storage account {account.name} has {found}: the account keeps one ('default'), and each write "
            "replaces the other's",
            account.urn,
        )
