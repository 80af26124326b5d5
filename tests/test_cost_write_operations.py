"""How many write operations an ADLS Gen2 account bills for the objects a contact writes: one per
4 MiB of each object, at least one (groundlink/cost/usage.py ADLS_WRITE_CHUNK_BYTES, its source)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundlink.cost.usage import adls_writes, split_objects

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "writes"),
    [
        (1, 1),  # a manifest of a few bytes is one write
        (4 * MIB - 1, 1),
        (4 * MIB, 1),
        (4 * MIB + 1, 2),
        (30_000_000, 8),  # a 30 MB raw file: 7.15 x 4 MiB
        (56_250_000, 14),  # a 56.25 MB raw file (15 Mbps, 30 s): 13.4 x 4 MiB
        (1_959_000_000, 468),  # a 1,959 MB object: 467.06 x 4 MiB
    ],
)
def test_one_write_per_4_mib_begun(size, writes):
    assert adls_writes(size) == writes


def test_a_contact_s_products_split_into_objects_of_the_assumed_size():
    # 5,000 MB in objects of 1,959 MB: two whole (468 writes each) and one of 1,082 MB
    # (ceil(1,082,000,000 / 4,194,304) = 258)
    assert split_objects(5_000e6, 1_959e6) == (3, 468 + 468 + 258)
    assert split_objects(225e6, 1_959e6) == (1, 54)  # the reference spec's 225 MB frame stream
    assert split_objects(0, 1_959e6) == (0, 0)  # nothing processed, nothing written


@given(
    total=st.floats(min_value=1, max_value=1e13, allow_nan=False),
    size=st.floats(min_value=1, max_value=1e10, allow_nan=False),
)
def test_writes_cover_every_object_and_every_4_mib(total, size):
    objects, writes = split_objects(total, size)
    assert objects == math.ceil(total / size)
    # at least one write per object, one per 4 MiB written, and at most as many per object as the
    # largest object has 4 MiB pieces begun
    assert writes >= objects
    assert writes * 4 * MIB >= total * (1 - 1e-12)
    assert writes <= objects * max(math.ceil(size / (4 * MIB)), 1)
