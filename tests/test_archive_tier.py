"""The archive tier where a cloud has none: Azure's zone-redundant accounts (ZRS, GZRS, RA-GZRS)
cannot hold Archive blobs, so the Azure plan keeps that data in Cold, declares the gap
`storage.archive_tier` with its reason and warns; AWS tiers the same data to Deep Archive."""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.blueprint.tiering import cloud_transitions
from groundlink.spec import spec_from_data

from .conftest import cached_plan, spec_data, with_changes


@pytest.mark.parametrize(
    ("transitions", "azure"),
    [
        (((30, "cool"), (90, "cold"), (180, "archive")), ((30, "cool"), (90, "cold"))),
        (((30, "cool"), (180, "archive")), ((30, "cool"), (180, "cold"))),
        (((200, "archive"),), ((200, "cold"),)),
        (((30, "cool"), (90, "cold")), ((30, "cool"), (90, "cold"))),
        ((), ()),
    ],
)
def test_azure_holds_archive_aged_data_in_cold_and_aws_keeps_the_schedule(transitions, azure):
    assert cloud_transitions("azure", transitions) == azure
    assert cloud_transitions("aws", transitions) == transitions


def test_the_azure_plan_declares_the_gap_naming_the_tiering_step_and_warns():
    plan = cached_plan("noaa20.yaml", "azure")  # cool 30, cold 90, archive 180 on a ZRS account
    reason = plan.gaps["storage.archive_tier"]
    assert "storage.tiering[2]" in reason and "ZRS" in reason and "Cold" in reason
    assert reason in plan.warnings
    rules = plan.one("azure-native:storage:ManagementPolicy").inputs["policy"]["rules"]
    assert len(rules) == 3
    for rule in rules:
        assert "tierToArchive" not in rule["definition"]["actions"]["baseBlob"]


def test_aws_realizes_the_archive_tier_with_deep_archive_transitions():
    plan = cached_plan("noaa20.yaml", "aws")
    assert "storage.archive_tier" not in plan.gaps
    lifecycles = plan.realizing("storage.archive_tier")
    assert {r.type for r in lifecycles} == {"aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"}
    assert len(lifecycles) == 3  # raw, products, query results; the access-log bucket is never tiered
    for lifecycle in lifecycles:
        (rule,) = lifecycle.inputs["rules"]
        assert {"days": 180, "storageClass": "DEEP_ARCHIVE"} in rule["transitions"]


def test_a_schedule_without_archive_needs_no_archive_tier_and_leaves_no_gap():
    data = with_changes(spec_data(), {"storage.tiering": [{"after_days": 30, "tier": "cool"}]})
    blueprint = build_blueprint(spec_from_data(data))
    assert not blueprint.needs("storage.archive_tier")
    azure = blueprint.for_cloud("azure")
    assert "storage.archive_tier" not in dict(azure.gaps)
    assert azure.storage.archive_gap is None
    assert azure.storage.raw_lifecycle.transitions == ((30, "cool"),)


@pytest.mark.parametrize("redundancy", [{}, {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}])
def test_every_azure_redundancy_holds_archive_in_cold(redundancy):
    data = with_changes(spec_data("partner.yaml"), redundancy)  # cool 30, archive 90
    azure = build_blueprint(spec_from_data(data)).for_cloud("azure")
    assert azure.storage.products_lifecycle.transitions == ((30, "cool"), (90, "cold"))
    assert "storage.tiering[1]" in dict(azure.gaps)["storage.archive_tier"]
