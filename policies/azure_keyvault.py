"""Azure Key Vault: a vault that cannot lose keys (soft delete + purge
protection), grants through Azure RBAC, is firewalled, and rotates its keys."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .props import UNKNOWN, as_list, get
from .registry import resource_rule


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
    if value is not UNKNOWN and value is not True:
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
    if get(args.props, "properties", "enableSoftDelete") is False:
        report("enableSoftDelete is false")


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
    if value is not UNKNOWN and value is not True:
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
    action = get(args.props, "properties", "networkAcls", "defaultAction")
    public = get(args.props, "properties", "publicNetworkAccess")
    if UNKNOWN in (action, public) or action == "Deny" or str(public).lower() == "disabled":
        return
    report(f"network default action is {action or 'Allow (unset)'}")


@resource_rule(
    "azure-keyvault-key-rotation",
    area="azure-keyvault",
    severity="high",
    enforcement="mandatory",
    types=T.KEY_VAULT_KEY,
    controls=("CIS Azure 3.12 (key lifecycle)",),
    description="Key Vault keys carry a rotation policy with an automatic Rotate action.",
    remediation="Set properties.rotation_policy={'lifetime_actions': [{'action': {'type': 'rotate'}, "
    "'trigger': {'time_after_create': 'P90D'}}], 'attributes': {'expiry_time': 'P2Y'}}.",
)
def key_rotation(args: Any, report: Any) -> None:
    policy = get(args.props, "properties", "rotationPolicy")
    if policy is UNKNOWN:
        return
    actions = [str(get(a, "action", "type") or "").lower() for a in as_list(get(policy, "lifetimeActions"))]
    if "rotate" not in actions:
        report("no rotation policy with a 'rotate' lifetime action")
