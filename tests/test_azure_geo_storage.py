"""The Azure account's durability: with storage.redundancy: geo it is geo-zone-redundant and
realizes the geo-redundancy capability (parity and the cost model read it); each container
ages under a lifecycle rule named for it."""

from __future__ import annotations

from .azure_support import one
from .conftest import variant_plan
from .test_aws_replication import GEO


def test_a_geo_mission_has_a_gzrs_account_that_realizes_geo_redundancy() -> None:
    plan = variant_plan("azure", GEO)
    account = one(plan, "storage:StorageAccount", "noaa20-storage-account")
    assert account.inputs["sku"]["name"].endswith("GZRS")
    assert "storage.geo_redundancy" in account.capability


def test_each_container_ages_under_a_lifecycle_rule_named_for_it(azure_noaa20) -> None:
    rules = one(azure_noaa20, "storage:ManagementPolicy").inputs["policy"]["rules"]
    assert [rule["name"] for rule in rules] == ["raw-retention", "products-retention", "query-results-retention"]


def _storage_endpoints(plan) -> dict[str, tuple[str, str]]:
    """The storage account's private endpoints: group id -> (its DNS zone group's zone key, zone id)."""
    account = one(plan, "storage:StorageAccount", "noaa20-storage-account").outputs["id"]
    found = {}
    for endpoint in plan.of_type("azure-native:network:PrivateEndpoint"):
        (connection,) = endpoint.inputs["privateLinkServiceConnections"]
        if connection["privateLinkServiceId"] != account:
            continue
        (group,) = connection["groupIds"]
        (dns,) = [
            g for g in plan.of_type("azure-native:network:PrivateDnsZoneGroup") if g.name == f"{endpoint.name}-dns"
        ]
        (zone,) = dns.inputs["privateDnsZoneConfigs"]
        found[group] = (zone["name"], zone["privateDnsZoneId"])
    return found


def test_read_access_geo_storage_on_a_private_network_has_the_secondary_endpoints_it_reads_through() -> None:
    """RA-GZRS is priced for reads of the second region's copy, at <account>-secondary, a
    sub-resource of its own: with the public endpoint admitting no network, only private endpoints
    for blob_secondary and dfs_secondary reach it (Microsoft Learn, "Use private endpoints for
    Azure Storage"), each registered in its primary's privatelink zone."""
    private = {"security.network": "private"}
    read = variant_plan("azure", {**GEO, "storage.geo_read_access": True, **private})
    endpoints = _storage_endpoints(read)
    assert sorted(endpoints) == ["blob", "blob_secondary", "dfs", "dfs_secondary"]
    for group in ("blob", "dfs"):
        assert endpoints[f"{group}_secondary"] == endpoints[group]  # the same zone, by the same key
    assert sorted(_storage_endpoints(variant_plan("azure", {**GEO, **private}))) == ["blob", "dfs"]  # GZRS: no reads
