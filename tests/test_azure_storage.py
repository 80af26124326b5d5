"""The ADLS Gen2 account: every control from the issue, containers per role, lifecycle from the spec."""

from __future__ import annotations

import re

import pytest

from groundlink.spec import load_spec

from .azure_support import azure, every, one, variant
from .conftest import SPECS, variant_plan

SPECS_ALL = ("noaa20.yaml", "partner.yaml", "constellation.yaml", "aqua-legacy.yaml")


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_account_is_hardened(spec):
    account = one(azure(spec), "storage:StorageAccount").inputs
    assert account["isHnsEnabled"] is True
    assert account["enableHttpsTrafficOnly"] is True
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["allowBlobPublicAccess"] is False
    assert account["allowSharedKeyAccess"] is False
    assert account["allowCrossTenantReplication"] is False
    assert account["encryption"]["requireInfrastructureEncryption"] is True
    rules = dict(account["networkRuleSet"])
    # the only network admitted is the contact processor's own subnet (tests/test_processing_network.py)
    admitted = [r["virtualNetworkResourceId"] for r in rules.pop("virtualNetworkRules", [])]
    # the only resource instance admitted is the stack's own Synapse workspace (serverless SQL)
    workspaces = [r.id for r in azure(spec).of_type("azure-native:synapse:Workspace")]
    assert [r["resourceId"] for r in rules.pop("resourceAccessRules", [])] == workspaces
    assert rules == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert all(a.endswith("/subnets/processing") for a in admitted)
    assert re.fullmatch(r"[a-z0-9]{3,24}", account["accountName"])


def test_account_uses_the_mission_key_through_the_user_assigned_identity(azure_noaa20):
    account = one(azure_noaa20, "storage:StorageAccount")
    identity = one(azure_noaa20, "managedidentity:UserAssignedIdentity")
    vault = one(azure_noaa20, "keyvault:Vault")
    encryption = account.inputs["encryption"]
    assert encryption["keySource"] == "Microsoft.Keyvault"
    assert encryption["keyVaultProperties"] == {
        "keyName": one(azure_noaa20, "keyvault:Key").inputs["keyName"],
        "keyVaultUri": vault.outputs["properties"]["vaultUri"],
    }
    assert encryption["encryptionIdentity"]["encryptionUserAssignedIdentity"] == identity.outputs["id"]
    assert account.inputs["identity"] == {
        "type": "UserAssigned",
        "userAssignedIdentities": [identity.outputs["id"]],  # a list of ids in pulumi-azure-native 3.x
    }
    # the identity holds the key before the account asks for it
    grant = one(azure_noaa20, "authorization:RoleAssignment", "noaa20-security-cmk-identity-key-user")
    assert grant.urn in account.dependencies


def test_without_cmk_the_account_uses_microsoft_keys_and_no_vault_exists(tmp_path):
    result = variant(tmp_path, {"security.customer_managed_keys": False})
    account = one(result, "storage:StorageAccount").inputs
    assert account["encryption"]["keySource"] == "Microsoft.Storage"
    assert "identity" not in account
    assert not every(result, "keyvault:Vault") and not every(result, "keyvault:Key")
    assert "key_ids" not in result.outputs


# (storage edits, soft-delete days). Soft delete keeps deleted data for noncurrent_version_days,
# capped at 365, the most Azure accepts. No versioning and no change feed: the account has a
# hierarchical namespace, which refuses both with HTTP 409 (docs/azure.md, "Blob service").
BLOB_SERVICE_CASES = [
    ({}, 30),
    ({"storage.noncurrent_version_days": 364}, 364),
    ({"storage.noncurrent_version_days": 365}, 365),
    ({"storage.noncurrent_version_days": 400}, 365),
]


@pytest.mark.parametrize("changes, soft_delete_days", BLOB_SERVICE_CASES)
def test_soft_delete_without_versioning_or_change_feed(tmp_path, changes, soft_delete_days):
    result = variant(tmp_path, changes)
    assert one(result, "storage:StorageAccount").inputs["isHnsEnabled"] is True
    service = one(result, "storage:BlobServiceProperties").inputs
    assert "isVersioningEnabled" not in service and "changeFeed" not in service
    assert service["deleteRetentionPolicy"] == {"enabled": True, "days": soft_delete_days}
    assert service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": soft_delete_days}
    assert result.gaps["storage.versioning"].startswith("the mission's storage account has a hierarchical namespace")


def test_containers_per_role_all_private_and_protected(azure_noaa20):
    containers = {c.inputs["containerName"]: c for c in every(azure_noaa20, "storage:BlobContainer")}
    assert {"raw-contact-data", "products", "query-results"} <= set(containers)
    for container in containers.values():
        assert container.inputs["publicAccess"] == "None"
        assert container.protect and container.retainOnDelete
    # each container realizes its store's capability, as the report's parity table lists it
    assert containers["raw-contact-data"].capability == [
        "storage.raw",
        "ground.partner_landing",
    ]  # Azure lands a partner
    assert containers["products"].capability == ["storage.products"]
    assert containers["query-results"].capability == ["storage.query_results"]


def test_uris_are_abfss_on_the_account(azure_noaa20):
    name = one(azure_noaa20, "storage:StorageAccount").inputs["accountName"]
    for key, container in (
        ("raw_store_uri", "raw-contact-data"),
        ("products_store_uri", "products"),
        ("query_results_uri", "query-results"),
    ):
        assert azure_noaa20.outputs[key] == f"abfss://{container}@{name}.dfs.core.windows.net/"


def test_no_serverless_sql_means_no_query_results_container(tmp_path):
    result = variant(tmp_path, {"analytics.serverless_sql": False})
    assert "query-results" not in {c.inputs["containerName"] for c in every(result, "storage:BlobContainer")}
    assert "query_results_uri" not in result.outputs and "query_endpoint" not in result.outputs


# Each example spec's tiering as the ZRS account renders it: ZRS has no archive tier, so the
# archive step becomes Cold at its age, or disappears when a Cold step already precedes it.
AZURE_TIERING = {
    "noaa20.yaml": {"tierToCool": 30, "tierToCold": 90},  # cool 30, cold 90, archive 180
    "partner.yaml": {"tierToCool": 30, "tierToCold": 90},  # cool 30, archive 90
    "constellation.yaml": {"tierToCool": 30, "tierToCold": 365},  # cool 30, archive 365
    "aqua-legacy.yaml": {"tierToCool": 30, "tierToCold": 180},  # cool 30, archive 180
}


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_lifecycle_policy_follows_the_spec_schedule(spec):
    parsed = load_spec(SPECS / spec).storage
    rules = {
        r["definition"]["filters"]["prefixMatch"][0]: r
        for r in one(azure(spec), "storage:ManagementPolicy").inputs["policy"]["rules"]
    }
    assert set(rules) == {"raw-contact-data/", "products/", "query-results/"}  # every container ages
    for prefix, retention in (
        ("raw-contact-data/", parsed.raw_retention_days),
        ("products/", parsed.products_retention_days),
        ("query-results/", parsed.products_retention_days),
    ):
        rule = rules[prefix]
        assert rule["enabled"] is True
        base = rule["definition"]["actions"]["baseBlob"]
        tiering = {action: days["daysAfterModificationGreaterThan"] for action, days in base.items()}
        assert tiering == {**AZURE_TIERING[spec], "delete": retention}
        assert base["delete"] == {"daysAfterModificationGreaterThan": retention}
        # snapshots are deleted after noncurrent_version_days; the account keeps no versions
        assert rule["definition"]["actions"]["snapshot"] == {
            "delete": {"daysAfterCreationGreaterThan": parsed.noncurrent_version_days}
        }
        assert "version" not in rule["definition"]["actions"]


def test_private_network_puts_the_stores_behind_private_endpoints():
    result = azure("partner.yaml")
    account = one(result, "storage:StorageAccount")
    vault = one(result, "keyvault:Vault")
    # the account's public endpoint stays on for trusted services only (see the test below)
    assert account.inputs["publicNetworkAccess"] == "Enabled"
    assert account.inputs["networkRuleSet"]["defaultAction"] == "Deny"
    assert vault.inputs["properties"]["publicNetworkAccess"] == "Disabled"
    cluster = one(result, "kusto:Cluster")  # partner.yaml queries on Data Explorer (test_azure_analytics.py)
    targets = {
        (c["privateLinkServiceId"], tuple(c["groupIds"]))
        for pe in every(result, "network:PrivateEndpoint")
        for c in pe.inputs["privateLinkServiceConnections"]
    }
    assert targets == {
        (account.outputs["id"], ("blob",)),
        (account.outputs["id"], ("dfs",)),
        (vault.outputs["id"], ("vault",)),
        (cluster.outputs["id"], ("cluster",)),
    }
    zones = {z.inputs["privateZoneName"] for z in every(result, "privatedns:PrivateZone")}
    stores = {
        "privatelink.blob.core.windows.net",
        "privatelink.dfs.core.windows.net",
        "privatelink.vaultcore.azure.net",
    }
    assert stores <= zones
    assert len(every(result, "network:PrivateDnsZoneGroup")) == 4
    assert all("security.private_network" in pe.capability for pe in every(result, "network:PrivateEndpoint"))


def test_public_network_has_no_private_endpoints(azure_noaa20):
    assert not every(azure_noaa20, "network:PrivateEndpoint")
    assert one(azure_noaa20, "storage:StorageAccount").inputs["publicNetworkAccess"] == "Enabled"


def test_tunables_never_rename_a_store(tmp_path, azure_noaa20):
    tuned = variant(
        tmp_path,
        {
            "storage.raw_retention_days": 400,
            "storage.noncurrent_version_days": 7,
            "budget.monthly_usd": 9999,
            "analytics.query_bytes_scanned_cutoff_gb": 50,
        },
    )

    def stateful(result):
        return {
            (r.type, r.name): {k: v for k, v in r.inputs.items() if k.endswith("Name")}
            for r in result.resources
            if r.custom and r.protect
        }

    assert stateful(tuned) == stateful(azure_noaa20)


def test_dev_data_protection_neither_protects_nor_retains(tmp_path):
    result = variant(tmp_path, {"storage.data_protection": "dev"})
    assert not [r for r in result.resources if r.protect or r.retainOnDelete]


def test_partner_source_addresses_open_the_firewall_for_them_only(tmp_path):
    addresses = ["203.0.113.7", "198.51.100.0/24"]
    # a public-mode stack: behind security.network: private the public endpoint admits no address
    # (test_a_private_account_admits_trusted_services_on_a_deny_by_default_public_endpoint)
    result = variant(
        tmp_path,
        {"ground_segment.partner.source_addresses": addresses, "security.network": "public"},
        base="partner.yaml",
    )
    rules = one(result, "storage:StorageAccount").inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert rules["ipRules"] == [
        {"iPAddressOrRange": "203.0.113.7", "action": "Allow"},
        {"iPAddressOrRange": "198.51.100.0/24", "action": "Allow"},
    ]
    assert one(azure("partner.yaml"), "storage:StorageAccount").inputs["networkRuleSet"].get("ipRules", []) == []


def test_every_mocked_output_shape_is_one_the_stack_creates():
    """A mock entry for a type no component creates would shape outputs nothing reads (the AWS twin is in
    test_aws_mission)."""
    from groundlink.engine.mocks_azure import AZURE_EXTRAS

    created = {r.type for spec in ("noaa20.yaml", "partner.yaml") for r in azure(spec).resources}
    assert set(AZURE_EXTRAS) <= created, sorted(set(AZURE_EXTRAS) - created)


@pytest.mark.parametrize(
    ("base", "changes", "warned"),
    [
        ("partner.yaml", {"security.network": "public", "ground_segment.partner.source_addresses": []}, True),
        ("partner.yaml", {"security.network": "public", "ground_segment.partner.source_addresses": ["203.0.113.0/28"]}, False),
        ("noaa20.yaml", {}, False),  # no partner named: nothing to admit yet
    ],
)  # fmt: skip
def test_a_partner_with_no_source_addresses_on_a_public_account_is_warned_of(base, changes, warned):
    """In public mode the account's firewall denies every network it does not list, so a partner
    given no source_addresses cannot deliver: private mode said so, public mode did not."""
    from groundlink.components.azure.storage import PUBLIC_PARTNER_WITHOUT_ADDRESSES

    plan = variant_plan("azure", changes, base=base)
    assert (PUBLIC_PARTNER_WITHOUT_ADDRESSES in plan.warnings) is warned
    if warned:
        assert one(plan, "storage:StorageAccount").inputs["networkRuleSet"].get("ipRules", []) == []


@pytest.mark.parametrize(
    ("changes", "addresses"),
    [({}, 0), ({"ground_segment.partner.source_addresses": ["203.0.113.0/28"]}, 1)],
)
def test_a_partner_landing_behind_a_private_network_is_warned_of(changes, addresses):
    """A private network disables the account's public endpoint, and nothing said that a partner
    delivering from outside could then not write, nor that its source addresses did nothing."""
    from groundlink.components.azure.storage import private_partner_landing

    private = variant_plan("azure", {"security.network": "private", **changes}, base="partner.yaml")
    account = private.one("azure-native:storage:StorageAccount")
    assert account.inputs["networkRuleSet"]["defaultAction"] == "Deny"
    assert not account.inputs["networkRuleSet"].get("ipRules")
    assert private_partner_landing(addresses) in private.warnings
    public = variant_plan("azure", {"security.network": "public", **changes}, base="partner.yaml")
    assert not any("closes the storage account's public endpoint" in w for w in public.warnings)


@pytest.mark.parametrize("addresses", [[], ["203.0.113.0/28"]])
def test_a_private_account_admits_trusted_services_on_a_deny_by_default_public_endpoint(addresses):
    """Microsoft Learn, "Set the default public network access rule of an Azure Storage account":
    with publicNetworkAccess Disabled "Traffic will be allowed only through a private endpoint";
    Event Hubs Capture, the Event Grid dead-letter, Data Explorer and Synapse serverless SQL are
    trusted services that reach the public endpoint ("Trusted Azure services"). So a private
    account keeps the public endpoint Enabled, denies by default, lets only trusted Azure services
    through (no IP or subnet rule, even with partner source addresses) and is reached by the
    private endpoints (docs/azure.md, "Storage behind security.network: private")."""
    private = variant_plan(
        "azure",
        {"security.network": "private", "ground_segment.partner.source_addresses": addresses},
        base="partner.yaml",
    )
    account = private.one("azure-native:storage:StorageAccount")
    assert account.inputs["publicNetworkAccess"] == "Enabled"
    rules = account.inputs["networkRuleSet"]
    assert rules["defaultAction"] == "Deny"
    assert rules["bypass"] == "AzureServices"
    assert not rules.get("ipRules")
    assert not rules.get("virtualNetworkRules")


@pytest.mark.parametrize(
    ("changes", "workspace"),
    [
        ({}, True),
        ({"security.network": "private"}, True),
        ({"analytics.azure_engine": "adx"}, False),
    ],
)
def test_the_account_admits_the_synapse_workspace_as_a_resource_instance(changes, workspace):
    """Microsoft asks for a resource instance rule naming the workspace so that serverless SQL,
    which runs outside the workspace's managed network, reaches a firewalled account; the rule
    is the workspace's own ARM id and the stack's tenant. Data Explorer has no workspace."""
    from groundlink.engine.mockids import TENANT_ID

    plan = variant_plan("azure", changes)
    account = one(plan, "storage:StorageAccount").inputs
    rules = account["networkRuleSet"].get("resourceAccessRules", [])
    found = plan.of_type("azure-native:synapse:Workspace")
    assert len(found) == int(workspace)
    assert rules == [{"resourceId": w.id, "tenantId": TENANT_ID} for w in found]
    assert all(w.id.endswith(f"/providers/Microsoft.Synapse/workspaces/{w.inputs['workspaceName']}") for w in found)


GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}


@pytest.mark.parametrize(
    ("changes", "secondary"),
    [
        ({}, None),  # ZRS keeps no second copy in another region
        (GEO, "westcentralus"),  # westus2's pair
        ({**GEO, "storage.geo_read_access": True, "clouds.azure.location": "westeurope"}, "northeurope"),
    ],
)
def test_a_geo_redundant_account_reports_the_paired_region_as_its_secondary(changes, secondary):
    """ARM reports a geo-redundant account's `secondaryLocation`, the location's pair, and the
    storage component's `replica_region` is that output: offline it was never set, so a geo
    stack's Azure storage had no replica region where AWS's had one."""
    account = one(variant_plan("azure", changes), "storage:StorageAccount")
    assert account.outputs.get("secondaryLocation") == secondary


def test_every_geo_location_has_a_paired_region_of_its_own():
    from groundlink import limits

    assert set(limits.AZURE_PAIRED_LOCATION) == limits.AZURE_GZRS_LOCATIONS
    assert all(pair != location for location, pair in limits.AZURE_PAIRED_LOCATION.items())
    assert set(limits.AZURE_PAIR_OUTSIDE_GEOGRAPHY) <= limits.AZURE_GZRS_LOCATIONS


@pytest.mark.parametrize(
    ("changes", "warned"),
    [
        ({**GEO, "clouds.azure.location": "brazilsouth"}, True),
        ({"clouds.azure.location": "brazilsouth"}, False),  # ZRS: every copy stays in Brazil South
        (GEO, False),  # westus2's pair, westcentralus, is in the United States too
    ],
)
def test_a_second_copy_outside_the_locations_geography_is_warned_of(changes, warned):
    """GZRS copies to the location's pair, which the spec does not name: Brazil South's is South
    Central US, so a mission that must keep its data in Brazil is told before it deploys."""
    warnings = variant_plan("azure", changes).warnings
    expected = (
        "storage.redundancy: geo: GZRS keeps the second copy of every store in brazilsouth's paired region, "
        'southcentralus, outside Brazil (Microsoft Learn, "Azure region pairs and nonpaired regions"): where the '
        "data must stay in Brazil, use storage.redundancy: zone"
    )
    assert (expected in warnings) is warned
    assert warned or not any("paired region" in w for w in warnings)
