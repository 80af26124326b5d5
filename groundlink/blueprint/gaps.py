"""What a cloud cannot realize for a spec, and why: decided here, once, for both clouds.

A gap is a needed capability a cloud leaves out on purpose, with the reason a
reader of the comparison needs. The components build nothing for a gap; the
root component records these so the plan carries them.
"""

from __future__ import annotations

from ..limits import AZURE_ORBITAL_RETIRED_ON

# The spec field that names the partner identity each cloud grants.
PARTNER_PRINCIPAL_FIELD = {
    "aws": "ground_segment.partner.aws_account_id",
    "azure": "ground_segment.partner.azure_principal_object_id",
}

MANAGED_STATION_RETIRED = (
    f"Azure Orbital Ground Station retired {AZURE_ORBITAL_RETIRED_ON}; Azure has no "
    "first-party ground station: use provider: partner (partner network)"
)
ADX_NO_SERVERLESS = (
    "Azure Data Explorer runs on a provisioned cluster (engine VMs billed per hour): there is no "
    "pay-per-query SQL; the cluster answers KQL and T-SQL at query_endpoint. Use azure_engine: "
    "synapse for serverless SQL"
)

# With serverless SQL, on a cloud whose serverless SQL has no per-query limit (docs/azure.md).
NO_QUERY_SCAN_LIMIT = (
    "Synapse serverless SQL has no per-query scan limit: analytics.query_bytes_scanned_cutoff_gb binds "
    "Athena only. Synapse budgets the data processed per day, week or month (TB), set in Synapse Studio "
    "or with sp_set_data_processed_limit in T-SQL, not through Azure Resource Manager, and a query "
    "running past the budget is not stopped"
)

# With customer-managed keys, on a cloud whose messaging takes them on a premium tier only.
MESSAGING_KEYS = (
    "Event Hubs and Service Bus Standard namespaces encrypt with Microsoft-managed keys only; a "
    "customer-managed key needs Premium (security.premium_messaging: true)"
)


# With customer-managed keys and Data Explorer as Azure's engine: the cluster reaches its key
# over the vault's network, and the vault admits only trusted services (docs/azure.md, "Security").
ADX_KEYS = (
    "the Data Explorer cluster encrypts with Microsoft-managed keys (with disk and double encryption): "
    "a cluster reaches its customer-managed key over the Key Vault's network, Data Explorer is not among "
    "the trusted services the mission vault admits (it takes no public network access), and a managed "
    "private endpoint to the vault exists only once the cluster does. Use analytics.azure_engine: synapse "
    "for the mission key"
)


# On a cloud whose log store takes a customer-managed key only through a cluster of its own.
UNKEYED_LOGS = (
    "the Log Analytics workspace that holds the processor's logs (and the services' diagnostics) encrypts "
    "with Microsoft-managed keys: a customer-managed key needs a dedicated Log Analytics cluster linked to it "
    "(Microsoft.OperationalInsights/clusters keyVaultProperties), which groundlink does not create"
)


# On a cloud whose mission store keeps no object versions (docs/azure.md, "Blob service").
NO_OBJECT_VERSIONS = (
    "the mission's storage account has a hierarchical namespace (ADLS Gen2, which the lake database "
    "and the Data Lake paths need), and such an account refuses blob versioning and the change feed "
    "(HTTP 409): soft delete keeps a deleted blob or container for storage.noncurrent_version_days "
    "(at most 365), but an overwritten blob's earlier content is not kept"
)


# With provider: managed no partner can be named (the spec refuses ground_segment.partner there), so
# a gap that the partner's identity would close says what does: a partner ground segment.
MANAGED_NAMES_NO_PARTNER = (
    "provider: managed names no partner (ground_segment.partner applies to provider: partner only)"
)


# security.network: public with a partner and no addresses: the firewall admits nobody the partner is
PUBLIC_PARTNER_WITHOUT_ADDRESSES = (
    "ground_segment.partner.source_addresses: none given, so the storage account's firewall (deny by default, "
    "trusted Azure services only) admits no network the partner writes from and it cannot deliver: list the "
    "public addresses or ranges it writes from"
)


PRIVATE_PARTNER_LANDING = "security.network: private closes the storage account's public endpoint"


def private_partner_landing(addresses: int) -> str:
    """The warning of a partner landing zone behind security.network: private: the account's
    public endpoint admits only trusted Azure services, and groundlink creates no private endpoint
    in the partner's network."""
    ignored = (
        f"; the {addresses} ground_segment.partner.source_addresses are not made firewall rules in private mode"
        if addresses
        else ""
    )
    return (
        f"{PRIVATE_PARTNER_LANDING} to every network but trusted "
        "Azure services, so a partner writing from outside the mission's network cannot deliver: have the "
        f"partner request a private endpoint to the account and approve it before the first contact{ignored}"
    )


def partner_cannot_deliver(warning: str) -> bool:
    """Whether a plan warning says the partner cannot deliver into the landing zone the plan
    builds until something outside the plan is done (an address listed, a private endpoint)."""
    return warning == PUBLIC_PARTNER_WITHOUT_ADDRESSES or warning.startswith(PRIVATE_PARTNER_LANDING)


# What the Data Explorer catalog leaves out of what Glue's covers, said on the plan: the parity
# matrix counts analytics.catalog as realized on both clouds.
ADX_CATALOG_SCOPE = (
    "analytics.catalog: the Data Explorer database holds the product tables (frame_index, contact_summary)"
)


def adx_catalog_scope(telemetry: bool, telemetry_table: str) -> str:
    held = f" and the telemetry as {telemetry_table} (one dynamic column)" if telemetry else ""
    return (
        f"{ADX_CATALOG_SCOPE}{held}; "
        "the raw captures have no table there (Athena's raw_contacts lists them where the AWS stack holds "
        "contacts as objects): find a contact's capture files in the raw container"
    )


def _no_identity(cloud: str, managed: bool) -> str:
    if managed:
        return f"{MANAGED_NAMES_NO_PARTNER}: the landing container grants nobody write access"
    if cloud == "aws":
        return (
            # the partner stream is a gap of its own (`_no_stream`): without the account none is built
            f"{PARTNER_PRINCIPAL_FIELD[cloud]} is not set: no partner account may write the landing prefix until it is"
        )
    return (
        f"no {PARTNER_PRINCIPAL_FIELD[cloud]}: the landing container grants nobody write access until a "
        "partner principal is named"
    )


def _no_stream(cloud: str, partner_name: str, managed: bool) -> str:
    if managed:
        return f"{MANAGED_NAMES_NO_PARTNER}: nobody could put records on a contact-data stream, so none is created"
    if cloud == "aws":
        return (
            f"{PARTNER_PRINCIPAL_FIELD[cloud]} is not set: no partner stream is provisioned, since no "
            f"{partner_name} account could put records on it"
        )
    return (
        f"no {PARTNER_PRINCIPAL_FIELD[cloud]}: there is nobody to grant 'Azure Event Hubs Data Sender' "
        "on a contact-data hub, so none is created"
    )


def cloud_gaps(
    cloud: str,
    *,
    managed: bool,
    station: bool,
    landing: bool,
    legacy_orbital: bool,
    stream: bool,
    partner_principal: str | None,
    partner_name: str,
    adx: bool,
    serverless_sql: bool,
    archive_gap: str | None = None,
    messaging_keys_unavailable: bool = False,
    unkeyed_analytics: bool = False,
    unkeyed_processor_logs: bool = False,
    query_scan_limit: bool = True,
    object_versions: bool = True,
) -> tuple[tuple[str, str], ...]:
    """The gaps of one cloud, layer by layer (ground, storage, analytics). The same rules hold on
    both clouds; the cloud changes only the facts (a station of its own, its tiers) and the wording."""
    gaps: list[tuple[str, str]] = []
    if landing and partner_principal is None:
        gaps.append(("ground.delivery_identity", _no_identity(cloud, managed)))
    if managed and not station and not legacy_orbital:
        gaps.append(("ground.managed_station", MANAGED_STATION_RETIRED))
    if stream and landing and partner_principal is None and not legacy_orbital:
        gaps.append(("ground.stream_delivery", _no_stream(cloud, partner_name, managed)))
    if not object_versions:
        gaps.append(("storage.versioning", NO_OBJECT_VERSIONS))
    if archive_gap:
        gaps.append(("storage.archive_tier", archive_gap))
    if adx and serverless_sql:
        gaps.append(("analytics.serverless_sql", ADX_NO_SERVERLESS))
        gaps.append(("analytics.query_scan_limit", ADX_NO_SERVERLESS))
    elif serverless_sql and not query_scan_limit:
        gaps.append(("analytics.query_scan_limit", NO_QUERY_SCAN_LIMIT))
    if messaging_keys_unavailable:
        gaps.append(("security.messaging_cmk", MESSAGING_KEYS))
    if unkeyed_analytics:
        gaps.append(("security.analytics_cmk", ADX_KEYS))
    if unkeyed_processor_logs:
        gaps.append(("security.log_cmk", UNKEYED_LOGS))
    return tuple(gaps)
