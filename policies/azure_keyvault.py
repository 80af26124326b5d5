"""Azure Key Vault: a vault that cannot lose keys (soft delete + purge
protection), grants through Azure RBAC, is firewalled, and rotates its keys."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .props import UNKNOWN, as_list, azure_firewall_problem, get, is_false, is_true, lets_trusted_services
from .registry import resource_rule
from .tokens import is_type


def _vault(name: str, **meta: Any):
    return resource_rule(name, area="azure-keyvault", types=T.KEY_VAULT, **meta)


@_vault(
    "azure-keyvault-purge-protection",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_110", "CKV_AZURE_42"),
    description="Key vaults have purge protection, so a deleted key cannot be destroyed before retention ends.",
    remediation="Set properties.enable_purge_protection=True (it cannot be turned off afterwards).",
)
def purge_protection(args: Any, report: Any) -> None:
    value = get(args.props, "properties", "enablePurgeProtection")
    if value is not UNKNOWN and not is_true(value):
        report("enablePurgeProtection is not true")


@_vault(
    "azure-keyvault-soft-delete",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_111",),
    description="Key vaults keep soft delete on (retention 7-90 days).",
    remediation="Leave properties.enable_soft_delete unset or True; set soft_delete_retention_in_days (90).",
)
def soft_delete(args: Any, report: Any) -> None:
    if is_false(get(args.props, "properties", "enableSoftDelete")):
        report("enableSoftDelete is false")
    days = get(args.props, "properties", "softDeleteRetentionInDays")
    # unset is Azure's 90; Key Vault takes 7-90 (Microsoft Learn, "Azure Key Vault soft-delete overview")
    if isinstance(days, (int, float)) and not isinstance(days, bool) and not 7 <= days <= 90:
        report(f"softDeleteRetentionInDays is {days:g}, outside 7-90")


@_vault(
    "azure-keyvault-rbac",
    severity="medium",
    enforcement="mandatory",
    controls=("Key Vault Azure RBAC authorization",),
    description="Key vaults authorize data-plane access with Azure RBAC, not access policies.",
    remediation="Set properties.enable_rbac_authorization=True and grant 'Key Vault Crypto Service Encryption "
    "User' (or narrower) to the identities that use the keys.",
)
def rbac(args: Any, report: Any) -> None:
    value = get(args.props, "properties", "enableRbacAuthorization")
    if value is None:
        # unset, a vault is created with access policies through every API version before
        # 2026-02-01 (pulumi-azure-native 3.29's is 2024-11-01) and keeps what it has on update
        # (docs/facts.md §1): only true says Azure RBAC whatever the version
        report(
            "enableRbacAuthorization is not set (access policies for a vault created or kept through an API "
            "version before 2026-02-01)"
        )
    elif value is not UNKNOWN and not is_true(value):
        report("enableRbacAuthorization is not true (vault access policies in use)")


@_vault(
    "azure-keyvault-network",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_109",),
    description="Key vault firewalls deny by default (or public network access is disabled).",
    remediation="Set properties.network_acls={'default_action': 'Deny', 'bypass': 'AzureServices'}, or "
    "properties.public_network_access='Disabled' with a private endpoint.",
)
def network(args: Any, report: Any) -> None:
    problem = azure_firewall_problem(
        get(args.props, "properties", "networkAcls"), get(args.props, "properties", "publicNetworkAccess"), "value"
    )
    if problem:
        report(problem)


@resource_rule(
    "azure-keyvault-key-rotation",
    area="azure-keyvault",
    severity="high",
    enforcement="mandatory",
    types=T.KEY_VAULT_KEY,
    controls=("CIS Azure 8.8 (v2.0.0: automatic key rotation)",),
    description="Key Vault keys carry a rotation policy with an automatic Rotate action.",
    remediation="Set properties.rotation_policy={'lifetime_actions': [{'action': {'type': 'rotate'}, "
    "'trigger': {'time_after_create': 'P90D'}}], 'attributes': {'expiry_time': 'P2Y'}}.",
)
def key_rotation(args: Any, report: Any) -> None:
    policy = get(args.props, "properties", "rotationPolicy")
    if policy is UNKNOWN:
        return
    actions = [get(a, "action", "type") for a in as_list(get(policy, "lifetimeActions"))]
    if UNKNOWN in actions:  # an action not known yet may be the rotation
        return
    if "rotate" not in [str(a or "").lower() for a in actions]:
        report("no rotation policy with a 'rotate' lifetime action")


@_vault(
    "azure-keyvault-public-access-disabled",
    severity="high",
    enforcement="mandatory",
    controls=("CKV_AZURE_189", "MCSB NS-2"),
    description="Key vaults refuse public network access in every network mode; the services that use the keys "
    "come in as trusted services.",
    remediation="Set properties.public_network_access='Disabled' and properties.network_acls="
    "{'default_action': 'Deny', 'bypass': 'AzureServices'} (keys are managed through Azure Resource Manager).",
)
def public_access_disabled(args: Any, report: Any) -> None:
    public = get(args.props, "properties", "publicNetworkAccess")
    bypass = get(args.props, "properties", "networkAcls", "bypass")
    if public is not UNKNOWN and str(public).lower() != "disabled":
        report(f"publicNetworkAccess is {public or 'Enabled (unset)'}")
    if bypass is not UNKNOWN and not lets_trusted_services(bypass):
        report(f"network bypass is {bypass or 'empty'}, not AzureServices (trusted services could not use the keys)")


HSM_KEY_TYPES = ("RSA-HSM", "EC-HSM")


@resource_rule(
    "azure-keyvault-hsm-keys",
    area="azure-keyvault",
    severity="medium",
    enforcement="mandatory",
    types=T.KEY_VAULT + T.KEY_VAULT_KEY,
    controls=("CKV_AZURE_112", "MCSB DP-6"),
    description="Key Vault keys are HSM-protected (RSA-HSM or EC-HSM, on a premium vault), as AWS KMS keys are.",
    remediation="Set properties.sku={'family': 'A', 'name': 'premium'} on the vault and properties.kty='RSA-HSM' "
    "on its keys (the key type is create-only): groundlink's spec security.hsm_keys: true, chosen before the "
    "first pulumi up; where software keys are the choice, set allowSoftwareKeys: true in the pack config.",
    config={
        "allowSoftwareKeys": {
            "type": "boolean",
            "default": False,
            "description": "Accept software-protected keys on a standard vault (the spec's security.hsm_keys: false).",
        }
    },
)
def hsm_keys(args: Any, report: Any) -> None:
    if args.get_config().get("allowSoftwareKeys", False):
        return
    if is_type(args.resource_type, T.KEY_VAULT):
        sku = get(args.props, "properties", "sku", "name")
        if sku is not UNKNOWN and str(sku).lower() != "premium":
            report(f"vault sku is {sku or 'unset'}, not premium (no HSM-protected keys)")
        return
    kty = get(args.props, "properties", "kty")
    if kty is not UNKNOWN and kty not in HSM_KEY_TYPES:
        report(f"key type is {kty or 'unset'}; allowed: {', '.join(HSM_KEY_TYPES)}")
