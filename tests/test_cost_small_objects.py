"""Objects too small for S3 to move: the AWS stack's lifecycle rules state S3's default,
transition_default_minimum_object_size all_storage_classes_128K, under which no object under
128 KB (131,072 bytes) leaves S3 Standard. The AWS storage lines hold such objects in Standard
for their whole retention; Azure's lifecycle tiers every blob.

The worked example of test_cost_worked_example.py (its made-up catalog: S3 Standard $0.02,
Standard-IA $0.01, Glacier Flexible Retrieval $0.004, Deep Archive $0.001 a GB-month). Its
captures are its bits x (1 + 114/1024) = x 1.111328125 (each 1,024-byte datagram's 114 bytes of
headers): 1.368 x 1.111328125 = 1.520296875 GB/day raw, kept 365 days, 0.684 x 1.111328125 =
0.7601484375 GB/day products, kept 730; hot until day 30, cool until 90, cold until 180, archive
until expiry; deleted data kept 30 days. Each link's contact writes 0.57 GB x 1.111328125 x
products_ratio 0.5 = 316,728,515.625 bytes of products and raw files of 30 MB x 1.111328125 =
33.34 MB.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate
from groundlink.cost.catalog import Assumptions
from groundlink.spec import spec_from_data

from .test_cost_worked_example import _approx, _catalogs, _example, _gib


def _storage(cloud: str, object_size_mb: float) -> dict[str, tuple[float, float]]:
    result = estimate(
        build_blueprint(spec_from_data(_example())), _catalogs(), Assumptions(object_size_mb=object_size_mb)
    )
    return {
        x.item: (x.quantity, x.cost)
        for x in result.clouds[cloud].lines
        if x.price_id.endswith("_gb_month") and "overhead" not in x.item  # the GB the tiers hold
    }


def test_products_of_100_kb_stay_in_s3_standard_for_their_whole_retention():
    """Objects of 0.1 MB: 316,728,515.625 bytes = 3,167 objects of 100,000 bytes and a last one of
    28,515.625, all under 131,072, so S3 moves none of the products. Steady state on AWS:
    Standard: raw 30 x 1.520296875 = 45.60890625 + products 730 x 0.7601484375 = 554.908359375:
    600.517265625 GB x $0.02 = $12.0103453125;
    Standard-IA: raw 60 x 1.520296875 = 91.2178125 GB x $0.01 = $0.912178125;
    Glacier Flexible Retrieval: raw 90 x 1.520296875 = 136.82671875 GB x $0.004 = $0.547306875;
    Deep Archive: raw 185 x 1.520296875 = 281.254921875 GB x $0.001 = $0.281254921875;
    kept 30 days after expiry where each was deleted from: raw 30 x 1.520296875 = 45.60890625 GB
    in Deep Archive ($0.04560890625), products 30 x 0.7601484375 = 22.804453125 GB in Standard
    ($0.4560890625)."""
    assert _storage("aws", 0.1) == _approx(
        {
            "S3 Standard storage": _gib(600.517265625, 12.0103453125),
            "S3 Standard-IA storage": _gib(91.2178125, 0.912178125),
            "S3 Glacier Flexible Retrieval storage": _gib(136.82671875, 0.547306875),
            "S3 Glacier Deep Archive storage": _gib(281.254921875, 0.281254921875),
            "S3 Glacier Deep Archive storage: deleted data kept": _gib(45.60890625, 0.04560890625),
            "S3 Standard storage: deleted data kept": _gib(22.804453125, 0.4560890625),
        }
    )


def test_azure_tiers_small_blobs_on_the_lifecycle_s_days():
    """Azure's lifecycle management has no size condition: the same 100 KB products are tiered as
    the 1,959 MB ones (test_every_azure_line_of_the_managed_example's figures)."""
    assert _storage("azure", 0.1) == _storage("azure", 1959)


def test_only_the_small_last_object_of_a_contact_stays_in_standard():
    """Objects of 31.66 MB: 316,728,515.625 bytes = 10 of 31,660,000 bytes and a last one of
    316,728,515.625 - 316,600,000 = 128,515.625 bytes, under 131,072: per link and contact
    128,515.625 bytes stay in Standard, 2 links x 36.5 contacts = 9,381,640.625 bytes = 0.009381640625
    GB a month = 0.009381640625 x 12 / 365 = 0.0003084375 GB/day; the rest of the products,
    0.7601484375 - 0.0003084375 = 0.75984 GB/day, is tiered. Steady state:
    Standard: 30 x (1.520296875 + 0.7601484375) = 68.413359375 + 0.0003084375 x 700 (days 30-730) =
    0.21590625: 68.629265625 GB x $0.02 = $1.3725853125;
    Standard-IA: 60 x (1.520296875 + 0.75984) = 60 x 2.280136875 = 136.8082125 GB x $0.01 = $1.368082125;
    Glacier Flexible Retrieval: 90 x 2.280136875 = 205.21231875 GB x $0.004 = $0.820849275;
    Deep Archive: 185 x 1.520296875 + 550 x 0.75984 = 281.254921875 + 417.912 = 699.166921875 GB x
    $0.001 = $0.699166921875;
    kept 30 days: 30 x 2.280136875 = 68.40410625 GB in Deep Archive ($0.06840410625), 30 x
    0.0003084375 = 0.009253125 GB in Standard ($0.0001850625)."""
    assert _storage("aws", 31.66) == _approx(
        {
            "S3 Standard storage": _gib(68.629265625, 1.3725853125),
            "S3 Standard-IA storage": _gib(136.8082125, 1.368082125),
            "S3 Glacier Flexible Retrieval storage": _gib(205.21231875, 0.820849275),
            "S3 Glacier Deep Archive storage": _gib(699.166921875, 0.699166921875),
            "S3 Glacier Deep Archive storage: deleted data kept": _gib(68.40410625, 0.06840410625),
            "S3 Standard storage: deleted data kept": _gib(0.009253125, 0.0001850625),
        }
    )


@pytest.mark.parametrize(
    ("object_size_mb", "moved"),
    [
        (0.131, False),  # 131,000 bytes: under 131,072 (128 x 1,024), S3 keeps it in Standard
        (0.1311, True),  # 131,100 bytes: S3 moves it
    ],
)
def test_the_threshold_is_128_binary_kb(object_size_mb, moved):
    """The cool tier holds 60 days of what S3 moves: raw alone, 60 x 1.520296875 = 91.2178125 GB,
    where the products stay in Standard; 60 x (1.520296875 + 0.7601484375) = 136.82671875 GB where
    they move. 316,728,515.625 bytes / 131,100 bytes = 2,415.9: 2,415 objects of 131,100 bytes
    move, and the last, 316,728,515.625 - 316,606,500 = 122,015.625 bytes, stays (2 x 36.5 x
    122,015.625 bytes = 0.0089 GB a month: within the 0.1% below)."""
    aws = _storage("aws", object_size_mb)
    ia_gb = aws["S3 Standard-IA storage"][0] / _gib(1, 0)[0]
    assert ia_gb == pytest.approx(136.82671875 if moved else 91.2178125, rel=1e-3)
