"""What `pulumi up` writes into a bucket itself (the processor's dependency archive) is written
only once the bucket is ready for it. The object and the bucket's settings are separate
resources that Pulumi creates in parallel unless one waits for the other: an archive uploaded
first would be stored under S3's default SSE-S3 and kept so when the mission key becomes the
default (a bucket's default encryption applies to the objects written after it is set: S3 User
Guide, "Setting default server-side encryption behavior for Amazon S3 buckets"), and without
versioning on it has no version id for the layer to pin
(pulumi-aws `s3.BucketVersioning`, "Object Dependency On Versioning")."""

from __future__ import annotations

import pytest

from .conftest import cached_plan

OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
BUCKET = "aws:s3/bucket:Bucket"
READY = {
    "aws:s3/bucketPolicy:BucketPolicy": "its policy",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "its default encryption",
    "aws:s3/bucketVersioning:BucketVersioning": "its versioning",
}


def _upstream(plan, urn: str) -> set[str]:
    """Everything `urn` waits for, directly or through what it waits for."""
    seen: set[str] = set()
    todo = list(plan.by_urn(urn).dependencies)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(plan.by_urn(current).dependencies)
    return seen


@pytest.mark.parametrize("example", ["noaa20.yaml", "partner.yaml", "constellation.yaml"])
def test_every_object_the_stack_writes_waits_for_its_bucket_s_policy_encryption_and_versioning(example):
    plan = cached_plan(example, "aws")
    objects = plan.of_type(OBJECT)
    assert objects, "the example plans a processing function, whose layer archive is an object"
    for obj in objects:
        (bucket,) = [b for b in plan.of_type(BUCKET) if b.outputs["id"] == obj.inputs["bucket"]]
        waits = _upstream(plan, obj.urn)
        settings = [r for typ in READY for r in plan.of_type(typ) if r.inputs.get("bucket") == bucket.outputs["id"]]
        assert sorted({r.type for r in settings}) == sorted(READY), bucket.name
        missing = [READY[r.type] for r in settings if r.urn not in waits]
        assert missing == [], f"{obj.name} may land in {bucket.name} before {', '.join(missing)}"
