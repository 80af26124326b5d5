"""Azure messaging and analytics: Event Hubs and Service Bus on TLS 1.2 with
Entra-only auth, Synapse that cannot exfiltrate and takes Entra sign-in only,
ADX with double encryption that trusts its own tenant only."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .props import UNKNOWN, as_list, get, is_seq, is_true, missing, tls_at_least
from .registry import resource_rule

NAMESPACES = T.EVENTHUB_NAMESPACE + T.SERVICEBUS_NAMESPACE


def _names_no_key(properties: Any) -> bool:
    """No entry of keyVaultProperties names a key; an unknown list or key name is not judged."""
    if properties is UNKNOWN:
        return False
    if not is_seq(properties):
        return missing(get(properties, "keyName"))
    return all(missing(get(properties, i, "keyName")) for i in range(len(properties)))


def _min_tls(args: Any, report: Any) -> None:
    version = get(args.props, "minimumTlsVersion")
    if version is not UNKNOWN and not tls_at_least(version):
        report(f"minimum TLS version is {version or 'unset'}")


eventhub_min_tls = resource_rule(
    "azure-eventhub-min-tls",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=T.EVENTHUB_NAMESPACE,
    controls=("CKV_AZURE_223",),
    description="Event Hubs namespaces require TLS 1.2 or later.",
    remediation="Set minimum_tls_version='1.2' on the Event Hubs namespace.",
)(lambda args, report: _min_tls(args, report))

servicebus_min_tls = resource_rule(
    "azure-servicebus-min-tls",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=T.SERVICEBUS_NAMESPACE,
    controls=("Service Bus minimum TLS 1.2",),
    description="Service Bus namespaces require TLS 1.2 or later.",
    remediation="Set minimum_tls_version='1.2' on the Service Bus namespace.",
)(lambda args, report: _min_tls(args, report))


@resource_rule(
    "azure-messaging-local-auth-off",
    area="azure-messaging",
    severity="medium",
    enforcement="mandatory",
    types=NAMESPACES,
    controls=("Event Hubs / Service Bus local (SAS) auth disabled",),
    description="Event Hubs and Service Bus namespaces disable SAS keys; senders and readers use Entra ID.",
    remediation="Set disable_local_auth=True and grant 'Azure Event Hubs Data Sender/Receiver' or "
    "'Azure Service Bus Data Sender/Receiver' roles.",
)
def local_auth_off(args: Any, report: Any) -> None:
    value = get(args.props, "disableLocalAuth")
    if value is not UNKNOWN and not is_true(value):
        report("disableLocalAuth is not true (SAS keys accepted)")


@resource_rule(
    "azure-synapse-exfiltration-protection",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=T.SYNAPSE_WORKSPACE,
    controls=("CKV_AZURE_58", "CKV_AZURE_157"),
    description="Synapse workspaces run in a managed virtual network with data exfiltration protection.",
    remediation="Set managed_virtual_network='default' and managed_virtual_network_settings="
    "{'prevent_data_exfiltration': True} (both create-only).",
)
def synapse_exfiltration(args: Any, report: Any) -> None:
    vnet = get(args.props, "managedVirtualNetwork")
    prevent = get(args.props, "managedVirtualNetworkSettings", "preventDataExfiltration")
    if vnet is not UNKNOWN and vnet != "default":
        report("no managed virtual network")
    if prevent is not UNKNOWN and not is_true(prevent):
        report("data exfiltration protection is off")


@resource_rule(
    "azure-analytics-entra-only",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=T.SYNAPSE_WORKSPACE + T.KUSTO_CLUSTER,
    controls=(
        "Azure Policy 2158ddbe-fefa-408e-b43f-d4faef8ff3b8 (Synapse: Entra identities only)",
        "MCSB IM-1",
    ),
    description="Synapse workspaces take Entra ID sign-in only (no SQL logins), and Data Explorer clusters trust "
    "their own tenant only (trustedExternalTenants set, with no '*').",
    remediation="Set azure_ad_only_authentication=True on the Synapse workspace; set trusted_external_tenants=[] "
    "(or the tenants you name) on the Data Explorer cluster.",
)
def analytics_entra_only(args: Any, report: Any) -> None:
    if T.is_type(args.resource_type, T.SYNAPSE_WORKSPACE):
        only = get(args.props, "azureADOnlyAuthentication")
        if only is not UNKNOWN and not is_true(only):
            report("azureADOnlyAuthentication is not true: SQL logins with passwords reach the contact data")
        return
    # unset, a cluster trusts every tenant ("The default value of trustedExternalTenants is all
    # tenants": Microsoft Learn, "Allow cross-tenant queries and commands")
    tenants = get(args.props, "trustedExternalTenants")
    if tenants is None:
        report("trustedExternalTenants is unset: identities of every Entra tenant may sign in")
    elif tenants is not UNKNOWN and any(get(t, "value") == "*" for t in as_list(tenants)):
        report("trustedExternalTenants holds '*': identities of every Entra tenant may sign in")


@resource_rule(
    "azure-adx-encryption",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=T.KUSTO_CLUSTER,
    controls=("CKV_AZURE_74", "CKV_AZURE_75"),
    description="Azure Data Explorer clusters encrypt disks and double-encrypt data.",
    remediation="Set enable_disk_encryption=True and enable_double_encryption=True (double encryption is create-only).",
)
def adx_encryption(args: Any, report: Any) -> None:
    for key in ("enableDiskEncryption", "enableDoubleEncryption"):
        value = get(args.props, key)
        if value is not UNKNOWN and not is_true(value):
            report(f"{key} is not true")


@resource_rule(
    "azure-messaging-premium-cmk",
    area="azure-messaging",
    severity="high",
    enforcement="mandatory",
    types=NAMESPACES,
    controls=("MCSB DP-5",),
    description="Premium Event Hubs and Service Bus namespaces encrypt with the mission's Key Vault key "
    "(Standard has no customer-managed key: groundlink declares that gap instead).",
    remediation="Put the namespace in the Premium tier (sku={'name': 'Premium', 'tier': 'Premium'}) and set "
    "encryption={'key_source': 'Microsoft.KeyVault', 'key_vault_properties': [{'key_name': ..., "
    "'key_vault_uri': ..., 'identity': {'user_assigned_identity': ...}}]} and identity on it: groundlink's spec "
    "security.premium_messaging: true (with security.customer_managed_keys: true) renders both.",
    config={
        "requirePremium": {
            "type": "boolean",
            "default": False,
            "description": "Also refuse Standard namespaces (the spec's security.premium_messaging: true).",
        }
    },
)
def premium_cmk(args: Any, report: Any) -> None:
    tier = get(args.props, "sku", "tier", default=get(args.props, "sku", "name"))
    if tier is UNKNOWN:
        return
    if str(tier).lower() != "premium":
        if args.get_config().get("requirePremium", False):
            report(f"sku tier is {tier or 'unset'}, not Premium (no customer-managed key)")
        return
    source = get(args.props, "encryption", "keySource")
    if source is UNKNOWN:
        return
    if str(source or "").lower() != "microsoft.keyvault":
        report(f"Premium namespace encrypts with {source or 'Microsoft-managed keys (unset)'}, not Microsoft.KeyVault")
    elif _names_no_key(get(args.props, "encryption", "keyVaultProperties")):
        report("Premium namespace names no Key Vault key (encryption.keyVaultProperties[].keyName)")
