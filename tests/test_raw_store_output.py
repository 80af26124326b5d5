"""`raw_store_uri` follows one rule on both clouds: the raw store's URI whenever the stack has
one (delivered objects, or a partner's landing), None otherwise. Azure keyed it on delivered
objects alone, so a partner streaming its contacts left Azure's output None beside a raw
container that heads its ground_segment_ids, where AWS gave its bucket."""

from __future__ import annotations

import pytest

from .conftest import variant_plan

STREAM_ONLY = {"delivery.object_store": False, "delivery.stream": True, "processing.enabled": False}


def _raw_stores(plan, cloud: str) -> list[str]:
    if cloud == "aws":
        return [
            r.name
            for r in plan.of_type("aws:s3/bucketV2:BucketV2") + plan.of_type("aws:s3/bucket:Bucket")
            if r.name.endswith("-storage-raw")
        ]
    return [
        r.name
        for r in plan.of_type("azure-native:storage:BlobContainer")
        if r.inputs["containerName"] == "raw-contact-data"
    ]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize(
    ("base", "changes", "has_raw"),
    [
        ("noaa20.yaml", {}, {"aws": True, "azure": True}),
        # a managed station streams on AWS (no landing); Azure's partner still lands in its raw store
        ("noaa20.yaml", STREAM_ONLY, {"aws": False, "azure": True}),
        ("partner.yaml", STREAM_ONLY, {"aws": True, "azure": True}),  # the partner lands on both
    ],
    ids=["objects", "managed-stream", "partner-stream"],
)
def test_the_raw_store_uri_is_set_exactly_when_a_raw_store_exists(base, changes, has_raw, cloud):
    plan = variant_plan(cloud, changes, base)
    assert bool(_raw_stores(plan, cloud)) is has_raw[cloud]
    assert ("raw_store_uri" in plan.outputs) is has_raw[cloud]
