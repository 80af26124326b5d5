"""On Data Explorer the catalog is queryable: one external table per product table over the
products container, declared from groundlink.processing.tables and read with the cluster's own
identity, which holds Storage Blob Data Reader on that container only."""

from __future__ import annotations

import re

from components.azure.analytics import PRODUCT_TABLES_SCRIPT
from groundlink.processing.tables import CONTACT_SUMMARY, PARTITION_KEYS, TABLES

from .azure_support import every, one
from .conftest import variant_plan

READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
ADX = {"analytics.azure_engine": "adx"}
COMMAND = re.compile(
    r"^\.create-or-alter external table (\w+) \((.*)\) kind=storage partition by \((.*)\) "
    r"pathformat=\((.*)\) dataformat=parquet \(h@'(.*);managed_identity=system'\)$"
)
PATHFORMAT = '"year=" year "/month=" month "/day=" day "/satellite=" satellite'


def _product_scripts(plan):
    return [s for s in every(plan, "kusto:Script") if s.inputs["scriptName"] == PRODUCT_TABLES_SCRIPT]


def _reads_products(plan):
    return [g for g in every(plan, "authorization:RoleAssignment") if g.name.endswith("-cluster-reads-products")]


def test_the_generated_command_for_one_table():
    assert CONTACT_SUMMARY.kusto_ddl("abfss://products@acct.dfs.core.windows.net/") == (
        ".create-or-alter external table contact_summary (contact_id:string, start_time:datetime, "
        "end_time:datetime, files:int, packets:long, truncated_packets:long, repeated_datagrams:long, bytes:long, payload_bytes:long, "
        "frames:long, ok_frames:long, duplicate_frames:long, corrupt_frames:long, idle_frames:long, gaps:long, missing_frames:long, "
        "skipped_bytes:long, channels:dynamic) kind=storage "
        "partition by (year:string, month:string, day:string, satellite:string) "
        'pathformat=("year=" year "/month=" month "/day=" day "/satellite=" satellite) dataformat=parquet '
        "(h@'abfss://products@acct.dfs.core.windows.net/contact_summary;managed_identity=system')"
    )


def test_adx_catalog_declares_one_external_table_per_product_table():
    plan = variant_plan("azure", ADX)
    [script] = _product_scripts(plan)
    assert script.capability == ["analytics.catalog"]
    assert script.inputs["continueOnErrors"] is False
    database, cluster = one(plan, "kusto:ReadWriteDatabase"), one(plan, "kusto:Cluster").outputs["name"]
    # the database's plain name: Data Explorer returns its `name` as `<cluster>/<database>`
    assert script.inputs["databaseName"] == database.inputs["databaseName"] == "noaa20"
    assert database.outputs["name"] == f"{cluster}/noaa20"
    assert database.urn in script.dependencies
    assert script.inputs["clusterName"] == cluster
    account = one(plan, "storage:StorageAccount").outputs["name"]
    container = one(plan, "storage:BlobContainer", "noaa20-storage-products").inputs["containerName"]
    policy, *commands = script.inputs["scriptContent"].split("\n")
    # the database lets external tables authenticate as the cluster's system identity
    assert policy == (
        f".alter-merge database ['{database.inputs['databaseName']}'] policy managed_identity "
        """'[{"ObjectId":"system","AllowedUsages":"ExternalTable"}]'"""
    )
    tables = {}
    for command in commands:
        match = COMMAND.match(command)
        assert match, command
        name, columns, partitions, pathformat, uri = match.groups()
        assert name not in tables
        tables[name] = (columns, partitions, pathformat, uri)
    assert set(tables) == {t.name for t in TABLES}
    for table in TABLES:
        columns, partitions, pathformat, uri = tables[table.name]
        declared = dict(c.split(":") for c in columns.split(", "))
        assert list(declared) == [c.name for c in table.columns]
        assert declared == {c.name: c.kusto for c in table.columns}
        assert partitions.split(", ") == [f"{k}:string" for k in PARTITION_KEYS]
        assert pathformat == PATHFORMAT
        assert uri == f"abfss://{container}@{account}.dfs.core.windows.net/{table.prefix.rstrip('/')}"
    frame_index = dict(c.split(":") for c in tables["frame_index"][0].split(", "))
    assert (frame_index["frame"], frame_index["captured_at"], frame_index["spacecraft_id"]) == (
        "long",
        "datetime",
        "int",
    )
    assert dict(c.split(":") for c in tables["contact_summary"][0].split(", "))["channels"] == "dynamic"


def test_the_cluster_identity_reads_only_the_products_container_before_the_tables_exist():
    plan = variant_plan("azure", ADX)
    [grant] = _reads_products(plan)
    cluster = one(plan, "kusto:Cluster")
    products = one(plan, "storage:BlobContainer", "noaa20-storage-products")
    assert grant.inputs["roleDefinitionId"].rsplit("/", 1)[1] == READER
    assert grant.inputs["scope"] == products.outputs["id"]
    assert grant.inputs["scope"].endswith("/blobServices/default/containers/products")
    assert grant.inputs["principalId"] == cluster.outputs["identity"]["principalId"]
    assert grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.capability == ["analytics.catalog"]
    [script] = _product_scripts(plan)
    assert grant.urn in script.dependencies


def test_without_the_catalog_there_are_no_external_tables():
    plan = variant_plan("azure", {**ADX, "analytics.catalog": False, "analytics.serverless_sql": False})
    assert every(plan, "kusto:Cluster")
    assert not _product_scripts(plan)
    assert not _reads_products(plan)
    assert [s.inputs["scriptName"] for s in every(plan, "kusto:Script")] == ["telemetry-schema"]


def test_the_synapse_plan_has_no_external_tables(azure_noaa20):
    assert every(azure_noaa20, "synapse:Workspace")
    assert not every(azure_noaa20, "kusto:Script")
    assert not _reads_products(azure_noaa20)


def test_the_clusters_scripts_are_created_one_after_the_other():
    """A Data Explorer cluster refuses a database script created while another runs
    ('ServiceIsInMaintenance'): the telemetry schema waits for the product tables, and the
    telemetry data connection for the schema."""
    plan = variant_plan("azure", ADX)
    [products] = _product_scripts(plan)
    [schema] = [s for s in every(plan, "kusto:Script") if s.inputs["scriptName"] == "telemetry-schema"]
    [ingest] = every(plan, "kusto:EventHubDataConnection")
    assert products.urn in schema.dependencies and schema.urn in ingest.dependencies
    assert schema.urn not in products.dependencies


def test_a_mission_named_like_a_kql_keyword_names_its_database_quoted():
    """`.alter-merge database where policy ...` would not parse: a keyword names an entity only quoted."""
    plan = variant_plan("azure", {**ADX, "mission.name": "where"})
    [script] = _product_scripts(plan)
    assert one(plan, "kusto:ReadWriteDatabase").inputs["databaseName"] == "where"
    assert script.inputs["scriptContent"].startswith(".alter-merge database ['where'] policy managed_identity '")
