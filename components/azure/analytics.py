"""Catalog, query and telemetry analytics: Synapse serverless SQL or Azure Data Explorer.

`analytics.azure_engine: synapse` (default): a Synapse workspace on the ADLS
account with a managed VNet, data-exfiltration protection, Entra-only auth and
the mission key; its serverless SQL pool is pay-per-TB like Athena, and its
lake database is the catalog. `adx`: a Data Explorer cluster (disk and double
encryption) and database ingesting the telemetry hub; ADX is a provisioned
cluster, so pay-per-query SQL is a declared gap there. Either way the
workspace/cluster identity gets only the data-plane roles it needs, on the
containers or hub it reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink import limits
from groundlink.blueprint import AnalyticsInputs, MissionInputs
from groundlink.blueprint.gaps import ADX_KEYS, adx_catalog_scope
from groundlink.processing.tables import TABLES as PRODUCT_TABLES

from ..base import MissionComponent
from .iam import grant, system_principal, user_assigned
from .naming import kusto_cluster_name, lake_database_name, namespace_name, synapse_workspace_name
from .security import (
    KEY_NAME,
    MissionKey,
    PrivateNetwork,
    linked_zone,
    messaging_encryption,
    private_endpoint,
)
from .storage import SYNAPSE_CONTAINER, Stores, container

HUB_NAME = "contact-telemetry"
ANALYTICS_CONSUMER_GROUP = "analytics"
# A Standard hub's partition takes about 1 MB/s of ingress, as a throughput unit does, and the
# namespace's units should not outnumber a hub's partitions (Microsoft Learn, "Scaling with Event
# Hubs"); the count is fixed when a Standard hub is made and costs nothing by itself. 32, the most
# a Standard hub has, stays at or above the 20 units a Standard namespace can have, so a spec that
# raises the rate never needs another count.
HUB_PARTITIONS = 32
HUB_RETENTION_HOURS = 24
CAPTURE_INTERVAL_SECONDS = 300
CAPTURE_SIZE_BYTES = 314_572_800
# Capture requires every token; the prefix keeps telemetry apart from other products.
CAPTURE_NAME_FORMAT = "telemetry/{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}"
ADX_SKU = {"name": "Standard_E2ads_v5", "tier": "Standard", "capacity": 2}
ADX_HOT_CACHE = "P31D"
ADX_CONSUMER_GROUP = "adx"
TELEMETRY_TABLE = "ContactTelemetry"
TELEMETRY_MAPPING = "ContactTelemetryMapping"
TELEMETRY_SCRIPT = "\n".join(
    (
        f".create-merge table {TELEMETRY_TABLE} (Record: dynamic)",
        f".create-or-alter table {TELEMETRY_TABLE} ingestion json mapping '{TELEMETRY_MAPPING}' "
        f"'{json.dumps([{'column': 'Record', 'Properties': {'Path': '$'}}], separators=(',', ':'))}'",
    )
)
PRODUCT_TABLES_SCRIPT = "product-tables"


# Microsoft Learn, "Authenticate external tables with managed identities" and ".alter-merge policy
# managed_identity command": an external table may authenticate as the cluster's identity
# (`system`) only once the database's managed identity policy allows it the ExternalTable usage.
EXTERNAL_TABLE_IDENTITY = [{"ObjectId": "system", "AllowedUsages": "ExternalTable"}]
# Private endpoints of the query engines in private mode, each sub-resource with the privatelink
# DNS zones Microsoft names for it (Microsoft Learn, "Azure Private Endpoint private DNS zone
# values", learn.microsoft.com/azure/private-link/private-endpoint-dns, read 2026-12-03):
# Synapse's serverless and dedicated SQL share one zone, its development endpoint has another;
# a Data Explorer cluster resolves through its region's kusto zone and the blob, queue and table
# zones of the storage it ingests through.
# (sub-resource, endpoint name, zone keys); an endpoint's name is `pe-<mission>-analytics-<name>`,
# within Azure's 64 characters for the longest mission name
SYNAPSE_ENDPOINTS = (
    ("Sql", "syn-sql", ("synapse-sql",)),
    ("SqlOnDemand", "syn-ondemand", ("synapse-sql",)),
    ("Dev", "syn-dev", ("synapse-dev",)),
)
SYNAPSE_ZONES = {"synapse-sql": "privatelink.sql.azuresynapse.net", "synapse-dev": "privatelink.dev.azuresynapse.net"}
ADX_ENDPOINTS = (("cluster", "adx", ("kusto", "blob", "queue", "table")),)  # blob: the network's own zone
ADX_STORAGE_ZONES = {"queue": "privatelink.queue.core.windows.net", "table": "privatelink.table.core.windows.net"}


def kusto_zone(region: str) -> str:
    """The privatelink zone of Data Explorer clusters in `region` (its ARM name, `westeurope`)."""
    return f"privatelink.{region}.kusto.windows.net"


def synapse_workspace(analytics: AnalyticsInputs, mission: MissionInputs) -> str | None:
    """The Synapse workspace's name when the stack has one (a catalog or serverless SQL on
    Synapse), else None. The storage account names the workspace in a resource instance rule
    before the workspace exists, so both ask here."""
    if analytics.engine == "synapse" and (analytics.catalog or analytics.serverless_sql):
        return synapse_workspace_name(mission.name, seed=mission.name_seed)
    return None


# Synapse's IP firewall rules "grant or deny access to your Azure Synapse workspace based on the
# originating IP address of each request" and apply to its public endpoints (dedicated and
# serverless SQL, development); a workspace with a managed virtual network is offered no
# "allow all" rule at creation (Microsoft Learn, "Azure Synapse Analytics IP firewall rules",
# read 2026-12-04). With none, the public endpoints admit no client.
NO_SQL_CLIENTS = (
    "the Synapse workspace's firewall admits no address: its query endpoint, SQL and development endpoints "
    "refuse every client until analytics.sql_clients lists the public IPv4 ranges analysts query from "
    "(or security.network: private reaches them through private endpoints)"
)
SQL_CLIENTS_PRIVATE = (
    "analytics.sql_clients are not made firewall rules with security.network: private: the workspace's "
    "public endpoints are off, and clients reach it through its private endpoints"
)
SQL_CLIENTS_NO_WORKSPACE = (
    "analytics.sql_clients are not made firewall rules: the stack has no Synapse workspace (Data Explorer, "
    "or neither catalog nor serverless SQL), and nothing else it plans takes them"
)
SYNAPSE_STUDIO_PRIVATE = (
    "security.network: private turns the Synapse workspace's public endpoints off: query_endpoint and the "
    "workspace's SQL and development endpoints are reached through their private endpoints in the mission's "
    "endpoint network (peer your clients' network with it and link the privatelink zones to it, or forward its "
    "DNS to them), but Synapse Studio, the web UI, needs a private link hub with a Web private endpoint, which "
    "groundlink does not create"
)


def product_tables_script(database: str, products_uri: str) -> str:
    """The catalog on Data Explorer: one external table per product table over the products
    container (groundlink.processing.tables), read with the cluster's system-assigned identity.

    The database is named after the mission, which may be a KQL keyword or literal (`where`,
    `1day`): such a name must be quoted as `['name']` (Microsoft Learn, "Entity names",
    learn.microsoft.com/kusto/query/schema-entities/entity-names, read 2026-12-05), and a
    quoted plain name means the same database."""
    policy = json.dumps(EXTERNAL_TABLE_IDENTITY, separators=(",", ":"))
    return "\n".join(
        (
            f".alter-merge database ['{database}'] policy managed_identity '{policy}'",
            *(table.kusto_ddl(products_uri) for table in PRODUCT_TABLES),
        )
    )


@dataclass(frozen=True)
class TelemetryHub:
    """The contact telemetry hub as its senders and readers use it."""

    hub_id: pulumi.Output[str]
    hub_name: pulumi.Output[str]
    namespace_id: pulumi.Output[str]
    namespace_name: pulumi.Output[str]


def contact_hub(
    owner: MissionComponent,
    suffix: str,
    *,
    name: str,
    namespace_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    **extra: Any,
) -> azure.eventhub.EventHub:
    """Every Event Hub of the stack, sized and retained alike (the twin of the AWS contact_stream):
    a day of retention covers a consumer's outage between passes. The partition count is the
    hub's at creation only: Standard cannot change it, so a hub made with another count (2, before
    2026-12-05) keeps its own instead of failing every later update."""
    opts = pulumi.ResourceOptions.merge(
        extra.pop("opts", None), pulumi.ResourceOptions(ignore_changes=["partitionCount"])
    )
    return azure.eventhub.EventHub(
        owner.child_name(suffix),
        event_hub_name=name,
        namespace_name=namespace_name,
        resource_group_name=resource_group_name,
        partition_count=HUB_PARTITIONS,
        retention_description={"cleanup_policy": "Delete", "retention_time_in_hours": HUB_RETENTION_HOURS},
        opts=opts,
        **extra,
    )


def hardened_namespace(
    owner: MissionComponent,
    name: str,
    *,
    kind: str,
    holds: str,
    resource_group_name: pulumi.Input[str],
    system_identity: bool = False,
    key: MissionKey | None = None,
    units: int = 1,
) -> azure.eventhub.Namespace:
    """Every Event Hubs namespace of the stack: TLS 1.2, Entra-only (no SAS keys), tagged; Standard,
    or Premium with the mission key when `key` is given (security.premium_messaging).

    Public network access stays on because the senders (Capture, a partner network) reach it
    from outside the mission's network; Entra ID and per-hub grants are the gate."""
    return azure.eventhub.Namespace(
        owner.child_name(name),
        namespace_name=namespace_name(kind, owner.mission.name, seed=owner.mission.name_seed),
        resource_group_name=resource_group_name,
        location=owner.mission.region,
        minimum_tls_version="1.2",
        disable_local_auth=True,
        public_network_access="Enabled",
        tags=owner.tags,
        **messaging_encryption(owner, key, system_identity=system_identity, holds=holds, units=units),
    )


class AzureTelemetry(MissionComponent):
    """Contact telemetry: an Event Hubs namespace and hub, captured to the products container."""

    TOKEN = "groundlink:index:AzureTelemetry"
    LAYER = "analytics"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        *,
        resource_group_name: pulumi.Output[str],
        storage: Stores,
        messaging_key: MissionKey | None,
        units: int = 1,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        # Capture writes the archive with the namespace's own identity; `units` throughput units
        # take the contact hubs' rate (GroundInputs.hub_units).
        self.namespace = self.realize(
            hardened_namespace(
                self,
                "namespace",
                kind="evhns",
                holds="analytics.telemetry_stream",
                resource_group_name=resource_group_name,
                system_identity=True,
                key=messaging_key,
                units=units,
            ),
            "analytics.telemetry_stream",
            *(["security.messaging_cmk"] if messaging_key else []),
        )
        principal = system_principal(self.namespace)
        capture_write = self.realize(
            grant(
                self,
                "capture-writes-products",
                role="Storage Blob Data Contributor",
                principal_id=principal,
                scope=storage.products_container_id,
            ),
            "analytics.telemetry_archive",
        )
        self.hub = self.realize(
            contact_hub(
                self,
                "hub",
                name=HUB_NAME,
                namespace_name=self.namespace.name,
                resource_group_name=resource_group_name,
                capture_description={
                    "enabled": True,
                    "encoding": "Avro",
                    "interval_in_seconds": CAPTURE_INTERVAL_SECONDS,
                    "size_limit_in_bytes": CAPTURE_SIZE_BYTES,
                    "skip_empty_archives": True,
                    "destination": {
                        "name": "EventHubArchive.AzureBlockBlob",
                        "storage_account_resource_id": storage.account_id,
                        "blob_container": storage.products_container,
                        "archive_name_format": CAPTURE_NAME_FORMAT,
                        "identity": {"type": "SystemAssigned"},
                    },
                },
                opts=self.holder_opts("analytics.telemetry_stream", depends_on=[capture_write]),
            ),
            "analytics.telemetry_stream",
            "analytics.telemetry_archive",
        )
        self.consumer_group = self.realize(
            azure.eventhub.ConsumerGroup(
                self.child_name("analytics"),
                consumer_group_name=ANALYTICS_CONSUMER_GROUP,
                event_hub_name=self.hub.name,
                namespace_name=self.namespace.name,
                resource_group_name=resource_group_name,
                opts=self.opts(),
            ),
            "analytics.telemetry_stream",
        )
        self.outputs = TelemetryHub(
            hub_id=self.hub.id,
            hub_name=self.hub.name,
            namespace_id=self.namespace.id,
            namespace_name=self.namespace.name,
        )
        self.register_outputs({"telemetry_stream": self.hub.id})


class AzureAnalytics(MissionComponent):
    """The mission's catalog and SQL over the stores on Azure, on the engine the spec picks:
    Synapse serverless (pay per query, as Athena) or Data Explorer (a provisioned cluster that
    ingests the telemetry hub). Pass `resource_group_name`, `storage` (the containers it reads
    and writes), `key` (the mission key, or None) and `telemetry` (the hub ADX ingests, or None).
    AWS's counterparts: AwsCatalog and AwsQuery in components/aws/analytics.py."""

    TOKEN = "groundlink:index:AzureAnalytics"
    LAYER = "analytics"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: AnalyticsInputs,
        *,
        resource_group_name: pulumi.Output[str],
        storage: Stores,
        key: MissionKey | None,
        telemetry: TelemetryHub | None,
        network: PrivateNetwork | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        analytics = self.inputs = inputs
        self.network = network  # private mode: the engine's endpoints go there
        self.resource_group_name = resource_group_name
        self.location = mission.region
        self.private = inputs.private
        self.catalog: pulumi.Input[str] | None = None
        self.query_endpoint: pulumi.Input[str] | None = None
        self.workspace: azure.synapse.Workspace | None = None
        self.cluster: azure.kusto.Cluster | None = None
        self.database: azure.kusto.ReadWriteDatabase | None = None
        if synapse_workspace(analytics, mission) is not None:
            self._synapse(storage, key)
        elif analytics.explorer_cluster:
            self._adx(storage, telemetry)  # serverless SQL and the mission key are then gaps the blueprint declares
            if key and not (analytics.catalog or analytics.serverless_sql):
                # the gap is the catalog's and the queries' (security.analytics_cmk); a cluster
                # kept for the telemetry table alone holds mission data too: said, not left silent
                self.warn(f"security.customer_managed_keys: {ADX_KEYS} (the cluster holds the telemetry table)")
        if self.private and self.workspace:
            self.warn(SYNAPSE_STUDIO_PRIVATE)
            if analytics.sql_clients:
                self.warn(SQL_CLIENTS_PRIVATE)
        elif self.workspace:
            self._sql_clients(self.workspace, analytics.sql_clients)
        elif analytics.sql_clients:
            self.warn(SQL_CLIENTS_NO_WORKSPACE)
        self.register_outputs(
            {
                "catalog": self.catalog,
                "query_endpoint": self.query_endpoint,
                # the hub lives under the ground segment (AzureTelemetry), the layer's key here too
                "telemetry_stream": telemetry.hub_id if telemetry else None,
            }
        )

    @property
    def engine_ids(self) -> dict[str, pulumi.Output[str]]:
        """The SQL engines this layer created, by the name their audit diagnostics go under."""
        engines = {"synapse": self.workspace, "adx": self.cluster}
        return {name: engine.id for name, engine in engines.items() if engine is not None}

    def _capabilities(self) -> list[str]:
        analytics = self.inputs
        return [
            cid
            for cid, on in (
                ("analytics.catalog", analytics.catalog),
                ("analytics.serverless_sql", analytics.serverless_sql),
            )
            if on
        ]

    def _sql_clients(self, workspace: azure.synapse.Workspace, clients: tuple[str, ...]) -> None:
        """One firewall rule per client range on the public endpoints (none: a warning, as they
        then admit nobody)."""
        import ipaddress

        if not clients:
            self.warn(NO_SQL_CLIENTS)
            return
        for i, client in enumerate(clients):
            network = ipaddress.IPv4Network(client)
            self.realize(
                azure.synapse.IpFirewallRule(
                    self.child_name(f"sql-client-{i}"),
                    rule_name=f"sql-client-{i}",
                    workspace_name=workspace.name,
                    resource_group_name=self.resource_group_name,
                    start_ip_address=str(network[0]),
                    end_ip_address=str(network[-1]),
                    opts=self.opts(),
                ),
                "analytics.serverless_sql",
            )

    def _synapse(self, storage: Stores, key: MissionKey | None) -> None:
        mission = self.mission.name
        capabilities = self._capabilities()
        filesystem = container(
            self,
            "synapse",
            SYNAPSE_CONTAINER,
            *capabilities,
            account_name=storage.account_name,
            resource_group_name=self.resource_group_name,
        )
        identity: dict[str, Any] = {"type": "SystemAssigned"}
        encryption = None
        depends_on: list[pulumi.Resource] = [filesystem]
        if key:
            identity = {
                "type": "SystemAssigned,UserAssigned",
                "user_assigned_identities": user_assigned(key.identity_id),
            }
            encryption = {
                "cmk": {
                    "kek_identity": {
                        "user_assigned_identity": key.identity_id,
                        "use_system_assigned_identity": False,
                    },
                    "key": {"name": KEY_NAME, "key_vault_url": key.key_uri},
                }
            }
            depends_on.append(key.grant)
        self.workspace = self.realize(
            azure.synapse.Workspace(
                self.child_name("workspace"),
                workspace_name=synapse_workspace_name(mission, seed=self.mission.name_seed),
                resource_group_name=self.resource_group_name,
                location=self.location,
                default_data_lake_storage={
                    "account_url": storage.dfs_endpoint,
                    "filesystem": SYNAPSE_CONTAINER,
                    "resource_id": storage.account_id,
                    "create_managed_private_endpoint": True,
                },
                managed_virtual_network="default",
                managed_virtual_network_settings={
                    "prevent_data_exfiltration": True,
                    "allowed_aad_tenant_ids_for_linking": [],
                },
                azure_ad_only_authentication=True,
                identity=identity,
                encryption=encryption,
                public_network_access="Disabled" if self.private else "Enabled",
                trusted_service_bypass_enabled=True,
                managed_resource_group_name=f"rg-{mission}{limits.AZURE_SYNAPSE_MANAGED_GROUP_SUFFIX}",
                tags=self.tags,
                opts=self.opts(stateful=True, depends_on=depends_on),
            ),
            *capabilities,
        )
        if key:
            self.realize(self.workspace, "security.cmk", "security.analytics_cmk")
        principal = system_principal(self.workspace)
        reads = [("raw", storage.raw_container_id, "Storage Blob Data Reader")]
        writes = [
            ("products", storage.products_container_id),
            ("query-results", storage.query_results_container_id),
            ("synapse", filesystem.id),
        ]
        grants = reads + [(role, scope, "Storage Blob Data Contributor") for role, scope in writes if scope is not None]
        for role, scope, role_name in grants:
            self.realize(
                grant(self, f"workspace-{role}", role=role_name, principal_id=principal, scope=scope),
                *capabilities,
            )
        if self.private and self.network:
            self._private_endpoints(self.workspace.id, self.network, SYNAPSE_ENDPOINTS, SYNAPSE_ZONES)
        self.catalog = lake_database_name(mission) if self.inputs.catalog else None
        endpoints = self.workspace.connectivity_endpoints
        self.query_endpoint = (
            endpoints.apply(lambda e: (e or {}).get("sqlOnDemand")) if self.inputs.serverless_sql else None
        )

    def _private_endpoints(
        self,
        target_id: pulumi.Output[str],
        network: PrivateNetwork,
        endpoints: tuple[tuple[str, str, tuple[str, ...]], ...],
        zones: dict[str, str],
    ) -> None:
        """Private mode turns the engine's public endpoints off: its clients reach it through
        these, one per sub-resource in `endpoints`, each registered in the zones its names resolve
        through (`zones`, made and linked here, or the network's own for a store)."""
        zone_ids = {**network.zone_ids}
        for key, zone in zones.items():
            zone_ids[key] = linked_zone(
                self, key, zone, resource_group_name=self.resource_group_name, vnet_id=network.vnet_id
            ).id
        for group, name, keys in endpoints:
            private_endpoint(
                self,
                network,
                name,
                target_id=target_id,
                group=group,
                zone_ids={key: zone_ids[key] for key in keys},
            )

    def _product_tables(
        self, storage: Stores, cluster: azure.kusto.Cluster, database: azure.kusto.ReadWriteDatabase
    ) -> azure.kusto.Script:
        """External tables over the processor's products, so the catalog on ADX is queryable as
        Glue's tables and Synapse's views are: the cluster's own identity reads the products
        container (Storage Blob Data Reader, that container only), and the URI is the real
        account's, from its output."""
        read = self.realize(
            grant(
                self,
                "cluster-reads-products",
                role="Storage Blob Data Reader",
                principal_id=system_principal(cluster),
                scope=storage.products_container_id,
            ),
            "analytics.catalog",
        )
        name = lake_database_name(self.mission.name)
        return self.realize(
            azure.kusto.Script(
                self.child_name(PRODUCT_TABLES_SCRIPT),
                script_name=PRODUCT_TABLES_SCRIPT,
                cluster_name=cluster.name,
                database_name=name,
                resource_group_name=self.resource_group_name,
                script_content=storage.products_uri.apply(lambda uri: product_tables_script(name, uri)),
                continue_on_errors=False,
                opts=self.opts(depends_on=[database, read]),
            ),
            "analytics.catalog",
        )

    def _adx(self, storage: Stores, telemetry: TelemetryHub | None) -> None:
        """The Data Explorer cluster, encrypted with Microsoft-managed keys even where the mission
        has its own: a cluster reaches its key in the vault over the vault's network, Data Explorer
        is no trusted service of Key Vault, and the mission vault takes no public network access,
        so a cluster given the key is refused (the gap `security.analytics_cmk`, gaps.ADX_KEYS;
        preflight's `unreachable_key_findings` refuses any such pairing)."""
        mission = self.mission.name
        inputs = self.inputs
        self.cluster = self.realize(
            azure.kusto.Cluster(
                self.child_name("cluster"),
                cluster_name=kusto_cluster_name(mission, seed=self.mission.name_seed),
                resource_group_name=self.resource_group_name,
                location=self.location,
                sku=ADX_SKU,
                enable_disk_encryption=True,
                enable_double_encryption=True,
                enable_purge=False,
                enable_streaming_ingest=False,
                engine_type="V3",
                identity={"type": "SystemAssigned"},
                public_network_access="Disabled" if self.private else "Enabled",
                # Sign-in from the cluster's own tenant only: unset, a cluster trusts every Entra
                # tenant ("The default value of trustedExternalTenants is all tenants... An empty
                # array means only identities of the cluster's tenant are allowed to
                # authenticate": Microsoft Learn, "Allow cross-tenant queries and commands")
                trusted_external_tenants=[],
                tags=self.tags,
                opts=self.opts(stateful=True),
            ),
            *(["analytics.catalog"] if inputs.catalog else []),
        )
        if self.private and self.network:
            zones = {"kusto": kusto_zone(self.location), **ADX_STORAGE_ZONES}
            self._private_endpoints(self.cluster.id, self.network, ADX_ENDPOINTS, zones)
        # The database's children take its plain name, not its `name` output: Data Explorer
        # returns a database's name as `<cluster>/<database>` (and a script's or data connection's
        # as `<cluster>/<database>/<name>`; Azure REST API specs, azure-kusto examples
        # KustoDatabasesGet.json, KustoScriptsGet.json, KustoDataConnectionsGet.json), which as a
        # `databaseName` made a path no child could be created at.
        self.database = self.realize(
            azure.kusto.ReadWriteDatabase(
                self.child_name("database"),
                database_name=lake_database_name(mission),
                kind="ReadWrite",
                cluster_name=self.cluster.name,
                resource_group_name=self.resource_group_name,
                location=self.location,
                soft_delete_period=f"P{inputs.catalog_retention_days}D",
                hot_cache_period=ADX_HOT_CACHE,
                opts=self.opts(stateful=True),
            ),
            *(["analytics.catalog"] if inputs.catalog else []),
        )
        self.catalog = lake_database_name(mission) if inputs.catalog else None
        self.query_endpoint = self.cluster.uri if inputs.serverless_sql else None
        # A cluster runs one database script at a time: a second one created beside it is refused
        # ("ServiceIsInMaintenance ... Cluster is in process of maintenance", quoted in
        # Azure/azure-rest-api-specs#18845 and hashicorp/terraform-provider-azurerm#16471, which
        # now locks the cluster around each script), so the scripts are created one after another.
        scripts = [self._product_tables(storage, self.cluster, self.database)] if inputs.catalog else []
        if inputs.catalog:
            self.warn(adx_catalog_scope(telemetry is not None, TELEMETRY_TABLE))
        if telemetry is None:
            return
        schema = self.realize(
            azure.kusto.Script(
                self.child_name("telemetry-schema"),
                script_name="telemetry-schema",
                cluster_name=self.cluster.name,
                database_name=lake_database_name(mission),
                resource_group_name=self.resource_group_name,
                script_content=TELEMETRY_SCRIPT,
                continue_on_errors=False,
                opts=self.opts(depends_on=[self.database, *scripts]),
            ),
            "analytics.telemetry_stream",
        )
        consumer = self.realize(
            azure.eventhub.ConsumerGroup(
                self.child_name("adx-consumer"),
                consumer_group_name=ADX_CONSUMER_GROUP,
                event_hub_name=telemetry.hub_name,
                namespace_name=telemetry.namespace_name,
                resource_group_name=self.resource_group_name,
                opts=self.opts(),
            ),
            "analytics.telemetry_stream",
        )
        principal = system_principal(self.cluster)
        receive = self.realize(
            grant(
                self,
                "cluster-receives-telemetry",
                role="Azure Event Hubs Data Receiver",
                principal_id=principal,
                scope=telemetry.hub_id,
            ),
            "analytics.telemetry_stream",
        )
        self.realize(
            azure.kusto.EventHubDataConnection(
                self.child_name("telemetry-ingest"),
                data_connection_name="contact-telemetry",
                kind="EventHub",
                cluster_name=self.cluster.name,
                database_name=lake_database_name(mission),
                resource_group_name=self.resource_group_name,
                location=self.location,
                event_hub_resource_id=telemetry.hub_id,
                consumer_group=ADX_CONSUMER_GROUP,
                table_name=TELEMETRY_TABLE,
                mapping_rule_name=TELEMETRY_MAPPING,
                data_format="MULTIJSON",
                managed_identity_resource_id=self.cluster.id,
                opts=self.opts(depends_on=[self.database, schema, consumer, receive]),
            ),
            "analytics.telemetry_stream",
        )
