"""How many write requests each cloud bills for the objects a contact writes: on Azure's ADLS Gen2
account one per 4 MiB of each object, at least one (groundlink/cost/usage.py
ADLS_WRITE_CHUNK_BYTES, its source); on S3, for the processor's uploads, one for an object under
8 MiB and a multipart upload's create, parts and complete for a larger one (S3_MULTIPART_BYTES)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.usage import adls_writes, billed_requests, s3_upload_requests, split_objects
from groundlink.spec import spec_from_data

from .conftest import spec_data

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


@pytest.mark.parametrize(
    ("size", "requests"),
    [
        (1, 1),
        (8 * MIB - 1, 1),  # under the multipart threshold: one PutObject
        (8 * MIB, 3),  # one part, with its create and complete
        (8 * MIB + 1, 4),
        (225_000_000, 29),  # the reference spec's frame stream: 27 parts + 2
    ],
)
def test_s3_bills_a_large_upload_part_by_part(size, requests):
    assert s3_upload_requests(size) == requests


def test_a_contact_s_products_split_into_objects_of_the_assumed_size():
    # 5,000 MB in objects of 1,959 MB: two whole and one of 1,082 MB
    assert split_objects(5_000e6, 1_959e6) == (3, pytest.approx(1_082e6))
    # ADLS: 468 writes for each whole one, ceil(1,082,000,000 / 4,194,304) = 258 for the last
    assert billed_requests(3, 1_959e6, 1_082e6, adls_writes) == 468 + 468 + 258
    # S3: ceil(1,959,000,000 / 8,388,608) = 234 parts + 2 for each whole one, 129 + 2 for the last
    assert billed_requests(3, 1_959e6, 1_082e6, s3_upload_requests) == 236 + 236 + 131
    assert split_objects(225e6, 1_959e6) == (1, pytest.approx(225e6))  # the reference frame stream
    assert split_objects(0, 1_959e6) == (0, 0)  # nothing processed, nothing written
    assert billed_requests(0, 1_959e6, 0, adls_writes) == 0


def test_a_large_contact_s_frame_stream_is_one_object_as_the_processor_writes_it():
    """A 60 Mbit/s downlink's 10-minute contact: 60 x 600 / 8 = 4,500 MB of decoded data, x (1 +
    24/1024) for the frame index = 4,605.47 MB of products. The processor writes one frame stream
    per virtual channel whatever its size; it was counted as ceil(4,605.47 / 1,959) = 3 objects of
    a size taken from DigIF raw files. Unset, one object (and the frame index and contact summary)
    beside 20 raw files; with assumptions.object_size_mb 1,959, 3 + 2."""
    from groundlink.cost.catalog import Assumptions

    data = spec_data("noaa20.yaml")
    link = data["satellites"][0]["downlinks"][0]
    for key in ("preset", "demodulation_json", "decode_json"):
        link.pop(key, None)  # a partner's own modem: no preset bounds the rate
    link["data_rate_mbps"] = 60
    data["ground_segment"].update(provider="partner", partner={"name": "rbc_signals"}, contact_minutes=10)
    blueprint = build_blueprint(spec_from_data(data))
    catalogs = load_catalogs()[0]
    unset = estimate(blueprint, catalogs).usage
    assert unset.products_gb / unset.contacts_per_month == pytest.approx(4.5 * (1 + 24 / 1024))
    assert unset.objects_written / unset.contacts_per_month == pytest.approx(20 + 1 + 2)
    split = estimate(blueprint, catalogs, Assumptions(object_size_mb=1959)).usage
    assert split.objects_written / split.contacts_per_month == pytest.approx(20 + 3 + 2)


@given(
    total=st.floats(min_value=1, max_value=1e13, allow_nan=False),
    size=st.floats(min_value=1, max_value=1e10, allow_nan=False),
)
def test_writes_cover_every_object_and_every_4_mib(total, size):
    objects, last = split_objects(total, size)
    writes = billed_requests(objects, size, last, adls_writes)
    assert objects == math.ceil(total / size)
    assert 0 < last <= size * (1 + 1e-9)
    # at least one write per object, one per 4 MiB written, and at most as many per object as the
    # largest object has 4 MiB pieces begun
    assert writes >= objects
    assert writes * 4 * MIB >= total * (1 - 1e-12)
    assert writes <= objects * max(math.ceil(size * (1 + 1e-9) / (4 * MIB)), 1)


def test_raw_files_follow_the_30_second_cadence_the_last_one_shorter():
    """A 555 s contact of the reference spec's 15 Mbit/s downlink, its captures the bits x (1 +
    114/1024) = x 1.111328125 (each 1,024-byte datagram's 114 bytes of headers): 18 files of 30 s
    (56.25 MB x 1.111328125 = 62,512,207.03 bytes, ceil(14.90) = 15 writes each) and one of 15 s
    (28.125 MB x 1.111328125 = 31,256,103.52 bytes, ceil(7.45) = 8 writes): 278 writes, not 19
    equal files of 54.77 MB x 1.111328125 = 60,867,148.95 bytes (ceil(14.51) = 15 each: 285). Its
    frame stream (usage.products_ratio 0.2 of 1,040.625 MB = 208.125 MB, x 1.111328125 =
    231,295,166.02 bytes) is ceil(55.15) = 56 writes, the frame index and the contact summary 1
    each: 336 a contact."""
    data = spec_data("noaa20.yaml")
    data["ground_segment"]["contact_minutes"] = 9.25
    data["usage"]["products_ratio"] = 0.2
    usage = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage
    assert usage.adls_object_writes / usage.contacts_per_month == pytest.approx(336)
    assert usage.objects_written / usage.contacts_per_month == pytest.approx(19 + 1 + 2)


def test_a_contact_without_frames_still_writes_its_index_and_summary():
    """A DigIF-only satellite with processing on: the processor runs on every contact and writes an
    empty frame index and contact summary (docs/processing.md), two objects a contact beside its
    20 raw files; no frame stream."""
    data = spec_data("noaa20.yaml")
    link = data["satellites"][0]["downlinks"][0]
    for key in ("preset", "demodulation_json", "decode_json"):
        link.pop(key, None)
    link.update(delivery="digif", bandwidth_mhz=1)
    usage = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage
    assert usage.products_gb == 0
    assert usage.objects_written / usage.contacts_per_month == pytest.approx(20 + 2)
