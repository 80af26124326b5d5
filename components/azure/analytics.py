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

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import Blueprint, declare_gap, realizes

from ..base import MissionComponent
from .ground import AzureTelemetry
from .naming import kusto_cluster_name, lake_database_name, synapse_workspace_name
from .security import KEY_NAME, AzureSecurity, grant, system_principal, user_assigned
from .storage import AzureStorage

SYNAPSE_CONTAINER = "synapse"
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
ADX_NO_SERVERLESS = (
    "Azure Data Explorer runs on a provisioned cluster (engine VMs billed per hour): there is no "
    "pay-per-query SQL; the cluster answers KQL and T-SQL at query_endpoint. Use azure_engine: "
    "synapse for serverless SQL"
)


class AzureAnalytics(MissionComponent):
    TOKEN = "groundlink:index:AzureAnalytics"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        storage: AzureStorage,
        security: AzureSecurity,
        telemetry: AzureTelemetry | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        analytics = blueprint.spec.analytics
        self.resource_group = resource_group
        self.location = blueprint.spec.clouds.azure.location
        self.private = blueprint.spec.security.network == "private"
        self.catalog: pulumi.Input[str] | None = None
        self.query_endpoint: pulumi.Input[str] | None = None
        self.workspace: azure.synapse.Workspace | None = None
        self.cluster: azure.kusto.Cluster | None = None
        self.database: azure.kusto.ReadWriteDatabase | None = None
        if analytics.azure_engine == "synapse" and (analytics.catalog or analytics.serverless_sql):
            self._synapse(storage, security)
        elif analytics.azure_engine == "adx":
            self._adx(security, telemetry)
            if analytics.serverless_sql:
                declare_gap("analytics.serverless_sql", ADX_NO_SERVERLESS)
        self.register_outputs({"catalog": self.catalog, "query_endpoint": self.query_endpoint})

    def _capabilities(self) -> list[str]:
        analytics = self.blueprint.spec.analytics
        return [
            cid
            for cid, on in (
                ("analytics.catalog", analytics.catalog),
                ("analytics.serverless_sql", analytics.serverless_sql),
            )
            if on
        ]

    def _synapse(self, storage: AzureStorage, security: AzureSecurity) -> None:
        mission = self.blueprint.mission
        capabilities = self._capabilities()
        filesystem = storage.container("synapse", SYNAPSE_CONTAINER, *capabilities, owner=self)
        identity: dict = {"type": "SystemAssigned"}
        encryption = None
        depends_on: list[pulumi.Resource] = [filesystem]
        if security.key and security.identity and security.key_grant:
            identity = {
                "type": "SystemAssigned,UserAssigned",
                "user_assigned_identities": user_assigned(security.identity),
            }
            encryption = {
                "cmk": {
                    "kek_identity": {
                        "user_assigned_identity": security.identity.id,
                        "use_system_assigned_identity": False,
                    },
                    "key": {"name": KEY_NAME, "key_vault_url": security.key.key_uri},
                }
            }
            depends_on.append(security.key_grant)
        self.workspace = realizes(
            azure.synapse.Workspace(
                self.child_name("workspace"),
                workspace_name=synapse_workspace_name(mission),
                resource_group_name=self.resource_group.name,
                location=self.location,
                default_data_lake_storage={
                    "account_url": storage.dfs_endpoint,
                    "filesystem": SYNAPSE_CONTAINER,
                    "resource_id": storage.account.id,
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
                managed_resource_group_name=f"rg-{mission}-synapse-managed",
                tags=self.tags,
                opts=self.opts(stateful=True, depends_on=depends_on),
            ),
            *capabilities,
        )
        if security.key:
            realizes(self.workspace, "security.cmk")
        principal = system_principal(self.workspace)
        reads = [("raw", storage.raw, "Storage Blob Data Reader")]
        writes = [("products", storage.products), ("query-results", storage.query_results), ("synapse", filesystem)]
        grants = reads + [(role, container, "Storage Blob Data Contributor") for role, container in writes if container]
        for role, container, role_name in grants:
            realizes(
                grant(self, f"workspace-{role}", role=role_name, principal_id=principal, scope=container.id),
                *capabilities,
            )
        self.catalog = lake_database_name(mission) if self.blueprint.spec.analytics.catalog else None
        endpoints = self.workspace.connectivity_endpoints
        self.query_endpoint = (
            endpoints.apply(lambda e: (e or {}).get("sqlOnDemand"))
            if self.blueprint.spec.analytics.serverless_sql
            else None
        )

    def _adx(self, security: AzureSecurity, telemetry: AzureTelemetry | None) -> None:
        mission = self.blueprint.mission
        spec = self.blueprint.spec
        identity: dict = {"type": "SystemAssigned"}
        key_vault_properties = None
        depends_on: list[pulumi.Resource] = []
        if security.key and security.identity and security.key_grant:
            identity = {
                "type": "SystemAssigned, UserAssigned",
                "user_assigned_identities": user_assigned(security.identity),
            }
            key_vault_properties = {
                "key_name": KEY_NAME,
                "key_vault_uri": security.vault_uri,
                "user_identity": security.identity.id,
            }
            depends_on.append(security.key_grant)
        self.cluster = realizes(
            azure.kusto.Cluster(
                self.child_name("cluster"),
                cluster_name=kusto_cluster_name(mission),
                resource_group_name=self.resource_group.name,
                location=self.location,
                sku=ADX_SKU,
                enable_disk_encryption=True,
                enable_double_encryption=True,
                enable_purge=False,
                enable_streaming_ingest=False,
                engine_type="V3",
                identity=identity,
                key_vault_properties=key_vault_properties,
                public_network_access="Disabled" if self.private else "Enabled",
                tags=self.tags,
                opts=self.opts(stateful=True, depends_on=depends_on),
            ),
            *(["analytics.catalog"] if spec.analytics.catalog else []),
        )
        if security.key:
            realizes(self.cluster, "security.cmk")
        self.database = realizes(
            azure.kusto.ReadWriteDatabase(
                self.child_name("database"),
                database_name=lake_database_name(mission),
                kind="ReadWrite",
                cluster_name=self.cluster.name,
                resource_group_name=self.resource_group.name,
                location=self.location,
                soft_delete_period=f"P{spec.storage.products_retention_days}D",
                hot_cache_period=ADX_HOT_CACHE,
                opts=self.opts(stateful=True),
            ),
            *(["analytics.catalog"] if spec.analytics.catalog else []),
        )
        self.catalog = lake_database_name(mission) if spec.analytics.catalog else None
        self.query_endpoint = self.cluster.uri if spec.analytics.serverless_sql else None
        if telemetry is None:
            return
        schema = realizes(
            azure.kusto.Script(
                self.child_name("telemetry-schema"),
                script_name="telemetry-schema",
                cluster_name=self.cluster.name,
                database_name=self.database.name,
                resource_group_name=self.resource_group.name,
                script_content=TELEMETRY_SCRIPT,
                continue_on_errors=False,
                opts=self.opts(),
            ),
            "analytics.telemetry_stream",
        )
        consumer = realizes(
            azure.eventhub.ConsumerGroup(
                self.child_name("adx-consumer"),
                consumer_group_name=ADX_CONSUMER_GROUP,
                event_hub_name=telemetry.hub.name,
                namespace_name=telemetry.namespace.name,
                resource_group_name=self.resource_group.name,
                opts=self.opts(),
            ),
            "analytics.telemetry_stream",
        )
        principal = system_principal(self.cluster)
        receive = realizes(
            grant(
                self,
                "cluster-receives-telemetry",
                role="Azure Event Hubs Data Receiver",
                principal_id=principal,
                scope=telemetry.hub.id,
            ),
            "analytics.telemetry_stream",
        )
        realizes(
            azure.kusto.EventHubDataConnection(
                self.child_name("telemetry-ingest"),
                data_connection_name="contact-telemetry",
                kind="EventHub",
                cluster_name=self.cluster.name,
                database_name=self.database.name,
                resource_group_name=self.resource_group.name,
                location=self.location,
                event_hub_resource_id=telemetry.hub.id,
                consumer_group=ADX_CONSUMER_GROUP,
                table_name=TELEMETRY_TABLE,
                mapping_rule_name=TELEMETRY_MAPPING,
                data_format="MULTIJSON",
                managed_identity_resource_id=self.cluster.id,
                opts=self.opts(depends_on=[schema, consumer, receive]),
            ),
            "analytics.telemetry_stream",
        )
