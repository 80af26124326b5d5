"""What a lifecycle bills per object it moves, for the worked example of
test_cost_worked_example.py (made-up prices: S3 transitions $0.01 into Standard-IA, $0.03 into
Glacier Flexible Retrieval, $0.05 into Deep Archive; S3 Standard $0.02, Glacier Flexible
Retrieval $0.004, Deep Archive $0.001 a GB-month; Azure ZRS writes $0.1 in Cool, $0.2 in Cold),
with products written in objects of 0.25 MB: 250,000 bytes, over S3's 131,072-byte minimum, so
S3 moves them.

Per month: a frame stream is 285 MB of bits x (1 + 114/1024) for the captures' headers =
316,728,515.625 bytes, / 250,000 = 1,266.91: 1,267 frame-stream objects per link and contact (the
last of 228,515.625 bytes, over the minimum too), x 2 links x 36.5 contacts = 92,491, and 1,387
raw files: 93,878 objects moved into each of Standard-IA, Glacier Flexible Retrieval and Deep
Archive. Azure moves those, the 146 frame indexes and contact summaries and the 73 manifests:
94,097 into Cool and into Cold.

A day (x 12 / 365): 1,387 -> 45.6 raw files, 92,491 -> 3,040.8 product objects. Glacier Flexible
Retrieval holds 90 days of both: 90 x 3,086.4 = 277,776 objects; Deep Archive the raw files for
185 days + 30 kept, 45.6 x 215 = 9,804, and the products for 550 + 30, 3,040.8 x 580 = 1,763,664:
1,773,468. Each is billed 32 KB (2^20 in a billed GB) at its class's rate and 8 KB at Standard's.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate
from groundlink.cost.catalog import Assumptions
from groundlink.spec import spec_from_data

from .test_cost_worked_example import _approx, _catalogs, _example


def _lifecycle(cloud: str) -> dict[str, tuple[float, float]]:
    result = estimate(build_blueprint(spec_from_data(_example())), _catalogs(), Assumptions(object_size_mb=0.25))
    return {
        x.item: (x.quantity, x.cost)
        for x in result.clouds[cloud].lines
        if "transitions" in x.item or "tier changes" in x.item or "overhead" in x.item
    }


def test_s3_bills_each_transition_and_40_kb_of_each_archived_object():
    assert _lifecycle("aws") == _approx(
        {
            "S3 lifecycle transitions into S3 Standard-IA": (93878, 938.78),  # x $0.01
            "S3 lifecycle transitions into S3 Glacier Flexible Retrieval": (93878, 2816.34),  # x $0.03
            "S3 lifecycle transitions into S3 Glacier Deep Archive": (93878, 4693.9),  # x $0.05
            # 277,776 x 32 / 2^20 = 8.4771 GB x $0.004
            "S3 Glacier Flexible Retrieval storage: archived object overhead": (
                277776 * 32 / 2**20,
                277776 * 32 / 2**20 * 0.004,
            ),
            # 1,773,468 x 32 / 2^20 = 54.1219 GB x $0.001
            "S3 Glacier Deep Archive storage: archived object overhead": (
                1773468 * 32 / 2**20,
                1773468 * 32 / 2**20 * 0.001,
            ),
            # (277,776 + 1,773,468) x 8 / 2^20 = 15.6497 GB x $0.02
            "S3 Standard storage: archived object overhead": (2051244 * 8 / 2**20, 2051244 * 8 / 2**20 * 0.02),
        }
    )


def test_azure_bills_a_write_at_the_destination_tier_for_every_blob_moved():
    assert _lifecycle("azure") == _approx(
        {
            "Blob tier changes to Cool (ZRS)": (94097, 9409.7),  # x $0.1
            "Blob tier changes to Cold (ZRS)": (94097, 18819.4),  # x $0.2
        }
    )


def test_objects_s3_keeps_in_standard_are_neither_moved_nor_archived():
    """At 0.1 MB the products (the last of a frame stream 316,728,515.625 - 3,167 x 100,000 =
    28,515.625 bytes) stay in Standard (tests/test_cost_small_objects.py): only the 1,387
    raw files a month move, and only they are held in the archive classes: 90 x 45.6 = 4,104 in
    Glacier Flexible Retrieval, 215 x 45.6 = 9,804 in Deep Archive."""
    result = estimate(build_blueprint(spec_from_data(_example())), _catalogs(), Assumptions(object_size_mb=0.1))
    lines = {x.item: x.quantity for x in result.clouds["aws"].lines}
    assert lines["S3 lifecycle transitions into S3 Glacier Deep Archive"] == pytest.approx(1387)
    assert lines["S3 Glacier Flexible Retrieval storage: archived object overhead"] == pytest.approx(4104 * 32 / 2**20)
    assert lines["S3 Glacier Deep Archive storage: archived object overhead"] == pytest.approx(9804 * 32 / 2**20)


def test_the_replica_buckets_bill_their_own_moves_and_overhead_titled_as_their_storage():
    """The replica buckets hold the same lifecycle: the same transitions and archived objects again,
    each line titled as the replica's storage lines are (`S3 replication: replica ... (region)`)."""
    data = _example()
    data["storage"]["redundancy"] = "geo"
    data.setdefault("clouds", {}).setdefault("aws", {})["replica_region"] = "us-east-2"
    result = estimate(build_blueprint(spec_from_data(data)), _catalogs(), Assumptions(object_size_mb=0.25))
    lines = {x.item: x.quantity for x in result.clouds["aws"].lines}
    replica = "S3 replication: replica "
    for own in (
        "S3 lifecycle transitions into S3 Glacier Deep Archive",
        "S3 Glacier Deep Archive storage: archived object overhead",
        "S3 Standard storage: archived object overhead",
    ):
        assert lines[own] > 0
    assert lines[f"{replica}S3 lifecycle transitions into S3 Glacier Deep Archive (us-east-2)"] == pytest.approx(
        lines["S3 lifecycle transitions into S3 Glacier Deep Archive"]
    )
    for tier in ("S3 Glacier Deep Archive", "S3 Standard"):
        assert lines[f"{replica}{tier} storage (us-east-2): archived object overhead"] == pytest.approx(
            lines[f"{tier} storage: archived object overhead"]
        )
    # the same title as the replica's capacity and retention lines of that tier
    assert f"{replica}S3 Glacier Deep Archive storage (us-east-2)" in lines


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_first_month_lists_only_the_moves_it_makes(cloud):
    """Month 1 of the projection: only the first tier (day 30) is reached; a tier no object
    reaches before day 90 has no line, rather than a line of 0 moves."""
    result = estimate(build_blueprint(spec_from_data(_example())), _catalogs(), Assumptions(object_size_mb=0.25))
    first = [x for x in result.clouds[cloud].projection[0] if "transitions" in x.item or "tier changes" in x.item]
    expected = "S3 lifecycle transitions into S3 Standard-IA" if cloud == "aws" else "Blob tier changes to Cool (ZRS)"
    assert [x.item for x in first] == [expected]
    assert first[0].quantity > 0
