"""Objects too small for S3 to move: the AWS stack's lifecycle rules state S3's default,
transition_default_minimum_object_size all_storage_classes_128K, under which no object under
128 KB (131,072 bytes) leaves S3 Standard. The AWS storage lines hold such objects in Standard
for their whole retention; Azure's lifecycle tiers every blob.

The worked example of test_cost_worked_example.py (its made-up catalog: S3 Standard $0.02,
Standard-IA $0.01, Glacier Flexible Retrieval $0.004, Deep Archive $0.001 a GB-month): 1.368 GB/day
raw, kept 365 days, 0.684 GB/day products, kept 730; hot until day 30, cool until 90, cold until
180, archive until expiry; deleted data kept 30 days. Each link's contact writes 285 MB of
products (0.57 GB x products_ratio 0.5) and raw files of 30 MB.
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
    """Objects of 0.1 MB: 285 MB = 2,850 objects of 100,000 bytes each, all under 131,072, so S3
    moves none of the products. Steady state on AWS:
    Standard: raw 30 x 1.368 = 41.04 + products 730 x 0.684 = 499.32: 540.36 GB x $0.02 = $10.8072;
    Standard-IA: raw 60 x 1.368 = 82.08 GB x $0.01 = $0.8208;
    Glacier Flexible Retrieval: raw 90 x 1.368 = 123.12 GB x $0.004 = $0.49248;
    Deep Archive: raw 185 x 1.368 = 253.08 GB x $0.001 = $0.25308;
    kept 30 days after expiry where each was deleted from: raw 30 x 1.368 = 41.04 GB in Deep
    Archive ($0.04104), products 30 x 0.684 = 20.52 GB in Standard ($0.4104)."""
    assert _storage("aws", 0.1) == _approx(
        {
            "S3 Standard storage": _gib(540.36, 10.8072),
            "S3 Standard-IA storage": _gib(82.08, 0.8208),
            "S3 Glacier Flexible Retrieval storage": _gib(123.12, 0.49248),
            "S3 Glacier Deep Archive storage": _gib(253.08, 0.25308),
            "S3 Glacier Deep Archive storage: deleted data kept": _gib(41.04, 0.04104),
            "S3 Standard storage: deleted data kept": _gib(20.52, 0.4104),
        }
    )


def test_azure_tiers_small_blobs_on_the_lifecycle_s_days():
    """Azure's lifecycle management has no size condition: the same 100 KB products are tiered as
    the 1,959 MB ones (test_every_azure_line_of_the_managed_example's figures)."""
    assert _storage("azure", 0.1) == _storage("azure", 1959)


def test_only_the_small_last_object_of_a_contact_stays_in_standard():
    """Objects of 28.49 MB: 285 MB = 10 of 28.49 MB and a last one of 285 - 284.9 = 0.1 MB =
    100,000 bytes, under 131,072: per link and contact 100,000 bytes stay in Standard, 2 links x
    36.5 contacts = 7,300,000 bytes = 0.0073 GB a month = 0.0073 x 12 / 365 = 0.00024 GB/day; the
    rest of the products, 0.684 - 0.00024 = 0.68376 GB/day, is tiered. Steady state:
    Standard: 30 x 2.052 = 61.56 + 0.00024 x 700 (days 30-730) = 0.168: 61.728 GB x $0.02 = $1.23456;
    Standard-IA: 60 x (1.368 + 0.68376) = 123.1056 GB x $0.01 = $1.231056;
    Glacier Flexible Retrieval: 90 x 2.05176 = 184.6584 GB x $0.004 = $0.7386336;
    Deep Archive: 185 x 1.368 + 550 x 0.68376 = 253.08 + 376.068 = 629.148 GB x $0.001 = $0.629148;
    kept 30 days: 30 x 2.05176 = 61.5528 GB in Deep Archive ($0.0615528), 30 x 0.00024 = 0.0072 GB in
    Standard ($0.000144)."""
    assert _storage("aws", 28.49) == _approx(
        {
            "S3 Standard storage": _gib(61.728, 1.23456),
            "S3 Standard-IA storage": _gib(123.1056, 1.231056),
            "S3 Glacier Flexible Retrieval storage": _gib(184.6584, 0.7386336),
            "S3 Glacier Deep Archive storage": _gib(629.148, 0.629148),
            "S3 Glacier Deep Archive storage: deleted data kept": _gib(61.5528, 0.0615528),
            "S3 Standard storage: deleted data kept": _gib(0.0072, 0.000144),
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
    """The cool tier holds 60 days of what S3 moves: raw alone, 60 x 1.368 = 82.08 GB, where the
    products stay in Standard; 60 x 2.052 = 123.12 GB where they move. 285 MB / 131,100 bytes =
    2,173.9: 2,173 objects of 131,100 bytes move, and the last, 285,000,000 - 284,880,300 = 119,700
    bytes, stays (2 x 36.5 x 119,700 bytes = 0.0087 GB a month: within the 0.1% below)."""
    aws = _storage("aws", object_size_mb)
    ia_gb = aws["S3 Standard-IA storage"][0] / _gib(1, 0)[0]
    assert ia_gb == pytest.approx(123.12 if moved else 82.08, rel=1e-3)
