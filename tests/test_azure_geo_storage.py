"""The Azure account's durability: with storage.redundancy: geo it is geo-zone-redundant and
realizes the geo-redundancy capability (parity and the cost model read it); each container
ages under a lifecycle rule named for it."""

from __future__ import annotations

from .conftest import variant_plan
from .test_aws_replication import GEO
from .test_azure_support import one


def test_a_geo_mission_has_a_gzrs_account_that_realizes_geo_redundancy() -> None:
    plan = variant_plan("azure", GEO)
    account = one(plan, "storage:StorageAccount", "noaa20-storage-account")
    assert account.inputs["sku"]["name"].endswith("GZRS")
    assert "storage.geo_redundancy" in account.capability


def test_each_container_ages_under_a_lifecycle_rule_named_for_it(azure_noaa20) -> None:
    rules = one(azure_noaa20, "storage:ManagementPolicy").inputs["policy"]["rules"]
    assert [rule["name"] for rule in rules] == ["raw-retention", "products-retention", "query-results-retention"]
