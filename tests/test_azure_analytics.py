"""Analytics per `analytics.azure_engine`: Synapse serverless SQL, or Data Explorer with telemetry ingestion."""

from __future__ import annotations

import re

import pytest
from groundlink.components.azure.analytics import SYNAPSE_STUDIO_PRIVATE

from groundlink.blueprint.gaps import ADX_KEYS

from .azure_support import azure, every, one, variant
from .conftest import cached_plan, variant_plan

SBDC = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
EH_RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde"


def test_synapse_workspace_is_locked_down_and_uses_the_mission_key(azure_noaa20):
    workspace = one(azure_noaa20, "synapse:Workspace")
    inputs = workspace.inputs
    assert inputs["managedVirtualNetwork"] == "default"
    assert inputs["managedVirtualNetworkSettings"]["preventDataExfiltration"] is True
    assert inputs["azureADOnlyAuthentication"] is True
    assert "sqlAdministratorLoginPassword" not in inputs
    cmk = inputs["encryption"]["cmk"]
    assert cmk["key"]["keyVaultUrl"] == one(azure_noaa20, "keyvault:Key").outputs["keyUri"]
    assert (
        cmk["kekIdentity"]["userAssignedIdentity"]
        == one(azure_noaa20, "managedidentity:UserAssignedIdentity").outputs["id"]
    )
    lake = inputs["defaultDataLakeStorage"]
    assert lake["resourceId"] == one(azure_noaa20, "storage:StorageAccount").outputs["id"]
    assert workspace.protect and workspace.retainOnDelete
    assert {"analytics.catalog", "analytics.serverless_sql"} <= set(workspace.capability)


def test_synapse_reads_raw_and_writes_only_its_own_containers(azure_noaa20):
    principal = one(azure_noaa20, "synapse:Workspace").outputs["identity"]["principalId"]
    grants = {
        g.inputs["scope"].rsplit("/", 1)[1]: g.inputs["roleDefinitionId"].rsplit("/", 1)[1]
        for g in every(azure_noaa20, "authorization:RoleAssignment")
        if g.inputs["principalId"] == principal
    }
    assert grants == {"raw-contact-data": READER, "products": SBDC, "query-results": SBDC, "synapse": SBDC}


def test_synapse_exports_its_serverless_endpoint_and_lake_database(azure_noaa20):
    workspace = one(azure_noaa20, "synapse:Workspace")
    assert azure_noaa20.outputs["query_endpoint"] == workspace.outputs["connectivityEndpoints"]["sqlOnDemand"]
    assert azure_noaa20.outputs["catalog"] == "noaa20"
    assert not every(azure_noaa20, "kusto:Cluster")


def test_event_hubs_capture_lands_telemetry_in_the_products_container(azure_noaa20):
    hub = one(azure_noaa20, "eventhub:EventHub")
    capture = hub.inputs["captureDescription"]
    assert capture["enabled"] is True
    destination = capture["destination"]
    assert destination["blobContainer"] == "products"
    assert destination["storageAccountResourceId"] == one(azure_noaa20, "storage:StorageAccount").outputs["id"]
    for token in (
        "{Namespace}",
        "{EventHub}",
        "{PartitionId}",
        "{Year}",
        "{Month}",
        "{Day}",
        "{Hour}",
        "{Minute}",
        "{Second}",
    ):
        assert token in destination["archiveNameFormat"]
    # shared keys are off on the account: capture writes with the namespace identity, granted first
    namespace = one(azure_noaa20, "eventhub:Namespace")
    grant = one(azure_noaa20, "authorization:RoleAssignment", "noaa20-ground-telemetry-capture-writes-products")
    assert grant.inputs["principalId"] == namespace.outputs["identity"]["principalId"]
    assert grant.urn in hub.dependencies
    assert "analytics.telemetry_archive" in hub.capability


@pytest.fixture(scope="module")
def adx():
    return azure("partner.yaml")  # azure_engine: adx


def test_adx_cluster_double_encrypts_with_microsoft_managed_keys_and_says_so(adx):
    """A cluster given the mission key could not reach it: Data Explorer is no trusted service of
    Key Vault and the mission vault takes no public network access (Microsoft Learn, "Virtual
    network service endpoints for Azure Key Vault", Trusted services), so `pulumi up` failed on
    partner.yaml. The cluster keeps Microsoft-managed keys, disk and double encryption on, and the
    plan declares the gap; the vault holds the mission key alone."""
    cluster = one(adx, "kusto:Cluster")
    assert cluster.inputs["enableDiskEncryption"] is True and cluster.inputs["enableDoubleEncryption"] is True
    assert "keyVaultProperties" not in cluster.inputs
    assert cluster.inputs["identity"] == {"type": "SystemAssigned"}
    assert [k.inputs["keyName"] for k in every(adx, "keyvault:Key")] == ["data"]
    assert cluster.inputs["publicNetworkAccess"] == "Disabled"  # partner.yaml is private
    assert "Data Explorer is not among the trusted services" in adx.gaps["security.analytics_cmk"]


def test_the_adx_cluster_is_named_for_the_mission_within_data_explorer_rules(adx):
    """Left to Pulumi, the cluster's name would be its resource name with a random suffix: dashes,
    which a Data Explorer cluster name refuses (4-22 lowercase letters and digits, a letter
    first), and another name for every re-creation of a globally unique endpoint."""
    name = one(adx, "kusto:Cluster").inputs["clusterName"]
    assert re.fullmatch(r"[a-z][a-z0-9]{3,21}", name)
    assert name.startswith("adxpolarpartner")  # partner.yaml's mission, polar-partner, compacted


def test_adx_database_is_the_catalog_and_the_cluster_the_query_endpoint(adx):
    database = one(adx, "kusto:ReadWriteDatabase")
    assert database.protect and database.retainOnDelete
    assert adx.outputs["catalog"] == database.inputs["databaseName"]
    assert adx.outputs["query_endpoint"] == one(adx, "kusto:Cluster").outputs["uri"]
    assert not every(adx, "synapse:Workspace")
    assert "provisioned cluster" in adx.gaps["analytics.serverless_sql"]


@pytest.mark.parametrize(("telemetry", "held"), [(True, " and the telemetry as ContactTelemetry"), (False, "")])
def test_an_adx_catalog_says_it_holds_no_raw_table_where_glue_has_one(telemetry, held):
    """analytics.catalog is realized on both clouds, but Data Explorer's database has no table over
    the raw captures (Glue's raw_contacts lists them) and keeps telemetry as one dynamic column:
    nothing said so. Said when there is a catalog only, and naming the telemetry table only when
    there is one."""
    plan = variant_plan("azure", {"analytics.telemetry_stream": telemetry}, base="partner.yaml")
    said = [w for w in plan.warnings if w.startswith("analytics.catalog: the Data Explorer database")]
    assert said == [
        "analytics.catalog: the Data Explorer database holds the product tables (frame_index, contact_summary)"
        f"{held}{' (one dynamic column)' if telemetry else ''}; the raw captures have no table there (Athena's "
        "raw_contacts lists them where the AWS stack holds contacts as objects): find a contact's capture files in "
        "the raw container"
    ]
    off = variant_plan("azure", {"analytics.catalog": False, "analytics.serverless_sql": False}, base="partner.yaml")
    assert not any("Data Explorer database holds" in w for w in off.warnings)


def test_adx_ingests_the_telemetry_hub_with_its_own_consumer_group_and_identity(adx):
    connection = one(adx, "kusto:EventHubDataConnection").inputs
    hub = one(adx, "eventhub:EventHub")
    cluster = one(adx, "kusto:Cluster")
    assert connection["eventHubResourceId"] == hub.outputs["id"]
    assert connection["consumerGroup"] in {g.inputs["consumerGroupName"] for g in every(adx, "eventhub:ConsumerGroup")}
    assert connection["consumerGroup"] != "analytics"
    assert connection["managedIdentityResourceId"] == cluster.outputs["id"]
    [schema] = [s for s in every(adx, "kusto:Script") if s.inputs["scriptName"] == "telemetry-schema"]
    script = schema.inputs["scriptContent"]
    assert connection["tableName"] in script and connection["mappingRuleName"] in script
    receive = [
        g
        for g in every(adx, "authorization:RoleAssignment")
        if g.inputs["principalId"] == cluster.outputs["identity"]["principalId"]
    ]
    # the hub for ingestion; the products container for the catalog's external tables
    [products] = [c for c in every(adx, "storage:BlobContainer") if c.name.endswith("-storage-products")]
    assert sorted((g.inputs["roleDefinitionId"].rsplit("/", 1)[1], g.inputs["scope"]) for g in receive) == sorted(
        [(EH_RECEIVER, hub.outputs["id"]), (READER, products.outputs["id"])]
    )


def test_no_catalog_and_no_sql_means_no_engine(tmp_path):
    result = variant(tmp_path, {"analytics.catalog": False, "analytics.serverless_sql": False})
    assert not every(result, "synapse:Workspace") and not every(result, "kusto:Cluster")
    assert "catalog" not in result.outputs and "query_endpoint" not in result.outputs


def _endpoints_to(result, target):
    """(sub-resource, {zone config name: private DNS zone name}) of every private endpoint to `target`."""
    zones = {z.outputs["id"]: z.inputs["privateZoneName"] for z in every(result, "privatedns:PrivateZone")}
    groups = {g.inputs["privateEndpointName"]: g for g in every(result, "network:PrivateDnsZoneGroup")}
    found = []
    for endpoint in every(result, "network:PrivateEndpoint"):
        [connection] = endpoint.inputs["privateLinkServiceConnections"]
        if connection["privateLinkServiceId"] != target.outputs["id"]:
            continue
        configs = groups[endpoint.outputs["name"]].inputs["privateDnsZoneConfigs"]
        found.append(
            (
                tuple(connection["groupIds"]),
                {c["name"]: zones[c["privateDnsZoneId"]] for c in configs},
            )
        )
    return sorted(found)


def _linked_to_the_endpoint_network(result, zone_name):
    [vnet] = every(result, "network:VirtualNetwork")
    [zone] = [z for z in every(result, "privatedns:PrivateZone") if z.inputs["privateZoneName"] == zone_name]
    links = [
        link
        for link in every(result, "privatedns:VirtualNetworkLink")
        if link.inputs["privateZoneName"] == zone.outputs["name"]
    ]
    return [link.inputs["virtualNetwork"]["id"] for link in links] == [vnet.outputs["id"]]


def test_a_private_synapse_workspace_is_reached_through_its_sql_serverless_and_dev_endpoints():
    """Private mode turns the workspace's public endpoints off; query_endpoint (serverless SQL),
    dedicated SQL and the development endpoint each get a private endpoint in the mission's
    endpoint network, registered in the zones Microsoft names for them."""
    private = variant_plan("azure", {"security.network": "private", "analytics.azure_engine": "synapse"})
    workspace = one(private, "synapse:Workspace")
    assert workspace.inputs["publicNetworkAccess"] == "Disabled"
    assert _endpoints_to(private, workspace) == [
        (("Dev",), {"synapse-dev": "privatelink.dev.azuresynapse.net"}),
        (("Sql",), {"synapse-sql": "privatelink.sql.azuresynapse.net"}),
        (("SqlOnDemand",), {"synapse-sql": "privatelink.sql.azuresynapse.net"}),
    ]
    assert _linked_to_the_endpoint_network(private, "privatelink.sql.azuresynapse.net")
    assert _linked_to_the_endpoint_network(private, "privatelink.dev.azuresynapse.net")
    # what is left to the user, said in the plan: the Studio web UI's private link hub
    assert SYNAPSE_STUDIO_PRIVATE in private.warnings
    public = variant_plan("azure", {"security.network": "public", "analytics.azure_engine": "synapse"})
    assert _endpoints_to(public, one(public, "synapse:Workspace")) == []
    assert SYNAPSE_STUDIO_PRIVATE not in public.warnings


def test_a_private_data_explorer_cluster_is_reached_through_its_cluster_endpoint():
    """The cluster's endpoint resolves through its region's kusto zone and the blob, queue and
    table zones of the storage it ingests through; the blob zone is the network's own."""
    private = variant_plan("azure", {"security.network": "private", "analytics.azure_engine": "adx"})
    cluster = one(private, "kusto:Cluster")
    assert cluster.inputs["publicNetworkAccess"] == "Disabled"
    region = cluster.inputs["location"]
    assert _endpoints_to(private, cluster) == [
        (
            ("cluster",),
            {
                "kusto": f"privatelink.{region}.kusto.windows.net",
                "blob": "privatelink.blob.core.windows.net",
                "queue": "privatelink.queue.core.windows.net",
                "table": "privatelink.table.core.windows.net",
            },
        )
    ]
    zones = [z.inputs["privateZoneName"] for z in every(private, "privatedns:PrivateZone")]
    assert zones.count("privatelink.blob.core.windows.net") == 1  # shared with the account's endpoint
    for zone in (f"privatelink.{region}.kusto.windows.net", "privatelink.queue.core.windows.net"):
        assert _linked_to_the_endpoint_network(private, zone)
    assert not [w for w in private.warnings if "private endpoint" in w and "query_endpoint" in w]
    public = variant_plan("azure", {"security.network": "public", "analytics.azure_engine": "adx"})
    assert _endpoints_to(public, one(public, "kusto:Cluster")) == []


def test_synapse_sql_clients_become_firewall_rules_in_public_mode():
    """A public workspace with a managed network admits no address unless a firewall rule does:
    each of analytics.sql_clients is one rule over its range; none is a warning, not silence."""
    plan = variant_plan("azure", {"analytics.sql_clients": ["203.0.113.0/24", "198.51.100.7"]})
    rules = sorted(
        (r.inputs["ruleName"], r.inputs["startIpAddress"], r.inputs["endIpAddress"])
        for r in every(plan, "synapse:IpFirewallRule")
    )
    assert rules == [("sql-client-0", "203.0.113.0", "203.0.113.255"), ("sql-client-1", "198.51.100.7", "198.51.100.7")]
    workspace = one(plan, "synapse:Workspace")
    assert {r.inputs["workspaceName"] for r in every(plan, "synapse:IpFirewallRule")} == {workspace.outputs["name"]}
    assert not [w for w in plan.warnings if "firewall admits no address" in w]
    bare = cached_plan("noaa20.yaml", "azure")
    assert not every(bare, "synapse:IpFirewallRule")
    assert [w for w in bare.warnings if "firewall admits no address" in w]


def test_sql_clients_are_not_firewall_rules_in_private_mode():
    plan = variant_plan(
        "azure", {"analytics.sql_clients": ["203.0.113.0/24"], "security.network": "private"}, base="noaa20.yaml"
    )
    assert not every(plan, "synapse:IpFirewallRule")
    assert [w for w in plan.warnings if "sql_clients are not made firewall rules" in w]


def test_sql_clients_without_a_synapse_workspace_are_said_to_make_no_rules():
    """On Data Explorer nothing takes the ranges: a warning, not silence."""
    plan = variant_plan("azure", {"analytics.sql_clients": ["203.0.113.0/24"], "analytics.azure_engine": "adx"})
    assert not every(plan, "synapse:IpFirewallRule")
    assert [w for w in plan.warnings if "the stack has no Synapse workspace" in w]


ADX_ALONE = {"analytics.azure_engine": "adx", "analytics.serverless_sql": False, "analytics.telemetry_stream": False}


@pytest.mark.parametrize(
    ("changes", "cluster"),
    [
        (ADX_ALONE, True),  # the catalog alone needs the cluster
        ({**ADX_ALONE, "analytics.catalog": False}, False),  # nothing needs one: none is built
        ({"analytics.azure_engine": "adx", "analytics.serverless_sql": False, "analytics.catalog": False}, True),
    ],
)
def test_the_cluster_built_is_the_cluster_priced(changes, cluster):
    """A catalog-only cluster was built and left out of the cost, while the Azure total said
    complete and a supplied cluster price was called another configuration's."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost import estimate, load_catalogs
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    plan = variant_plan("azure", changes)
    assert bool(plan.of_type("azure-native:kusto:Cluster")) is cluster
    est = estimate(build_blueprint(spec_from_data(with_changes(spec_data("noaa20.yaml"), changes))), load_catalogs()[0])
    priced = [line for line in est.clouds["azure"].lines if line.item == "Azure Data Explorer cluster"]
    assert len(priced) == int(cluster)
    if cluster:
        assert priced[0].cost is None  # no list price at hand: unknown, never zero


def test_a_cluster_kept_for_the_telemetry_table_alone_says_it_has_no_mission_key():
    plan = variant_plan(
        "azure", {"analytics.azure_engine": "adx", "analytics.serverless_sql": False, "analytics.catalog": False}
    )
    assert "security.analytics_cmk" not in plan.gaps  # no catalog or queries: the capability is not needed
    assert [w for w in plan.warnings if "holds the telemetry table" in w] == [
        f"security.customer_managed_keys: {ADX_KEYS} (the cluster holds the telemetry table)"
    ]
