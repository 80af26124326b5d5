"""A bucket's own (deprecated, still applied) settings in each shape pulumi-aws takes them:
Bucket holds one block under the singular name, BucketV2 (the earlier name of the same bucket)
a list of them under the plural name. Every rule reading a bucket's own setting reads it here,
so a BucketV2 is judged as a Bucket is."""

from __future__ import annotations

from typing import Any

from .props import as_list, get

BUCKET_V2 = "aws:s3/bucketV2:BucketV2"


def inline_key(bucket: Any, name: str) -> str:
    """The input holding the bucket's own setting `name` (serverSideEncryptionConfiguration(s),
    versioning(s), logging(s), replicationConfiguration(s))."""
    return f"{name}s" if bucket.resource_type == BUCKET_V2 else name


def inline(bucket: Any, name: str, *path: str) -> Any:
    """A bucket's own setting `name` (the first of BucketV2's list), at `path` inside it."""
    if bucket.resource_type == BUCKET_V2:
        return get(bucket.props, inline_key(bucket, name), 0, *path)
    return get(bucket.props, name, *path)


def sse_defaults(config: Any) -> list[Any]:
    """The default encryptions of a configuration: one per rule in BucketServerSideEncryptionConfiguration
    (`rules`) and Bucket's own block (`rule`), a list per rule in BucketV2's own block (`...Defaults`)."""
    rules = as_list(get(config, "rules")) + as_list(get(config, "rule"))
    return [
        d
        for r in rules
        for d in [get(r, "applyServerSideEncryptionByDefault"), *as_list(get(r, "applyServerSideEncryptionByDefaults"))]
        if d is not None
    ]
