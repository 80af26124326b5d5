"""AWS physical names, each checked against what the service accepts before it reaches a resource.

Names derive from identity fields only (mission, satellite and downlink names),
never tunables, so editing a spec never renames a store. Buckets are named by
prefix (the provider appends a unique suffix): bucket names are global.
"""

from __future__ import annotations

import hashlib
import re

from groundlink.apishapes import shape
from groundlink.limits import CONFIG_NAME_PATTERN, S3_BUCKET_PREFIX_MAX_CHARS

# Pulumi names a resource that is given no name `<resource name>-<7 random characters>`.
AUTONAME_SUFFIX_CHARS = 8
# Terraform (which pulumi-aws bridges) appends a 26-character unique id to a `name_prefix`
# (terraform-provider-aws internal/create: id.UniqueIDSuffixLength).
UNIQUE_ID_SUFFIX_CHARS = 26


def bucket_prefix(mission: str, role: str, head: str = "") -> str:
    """`[head-]<mission>-<role>-`, trimming the mission name so the prefix fits the
    provider's limit; the result depends on identity fields only."""
    fixed = len(role) + 2 + (len(head) + 1 if head else 0)
    trimmed = mission[: S3_BUCKET_PREFIX_MAX_CHARS - fixed].rstrip("-")
    prefix = "-".join(p for p in (head, trimmed, role) if p) + "-"
    if len(prefix) > S3_BUCKET_PREFIX_MAX_CHARS or not re.fullmatch(r"[a-z0-9][a-z0-9-]*-", prefix):
        raise ValueError(f"bucket prefix {prefix!r} is not a valid S3 bucket prefix")
    return prefix


def job_queue_name(mission: str) -> str:
    """The Batch job queue of the contact jobs: the processing layer names it, and the events
    layer matches its failed jobs by it (it exists before the queue does)."""
    return f"{mission}-contacts"


def gs_name(*parts: str) -> str:
    """A Ground Station object name, refused before deployment if the service would refuse it."""
    name = " ".join(parts)
    if not re.fullmatch(CONFIG_NAME_PATTERN, name):
        raise ValueError(f"{name!r} does not match {CONFIG_NAME_PATTERN} (AWS Ground Station names)")
    return name


def endpoint_name(mission: str, satellite: str, downlink: str) -> str:
    """The dataflow endpoint a downlink streams to, unique to its mission in the account.

    A mission profile does not point at a dataflow endpoint group: Ground Station picks, when a
    contact runs, a group holding an endpoint of the name the profile's endpoint config gives,
    and endpoint names "do not need to be unique" (AWS Ground Station User Guide, "Dataflow
    Endpoint Groups"). Joined with `-`, mission `jpss` with satellite `noaa-twenty` and mission
    `jpss-noaa` with satellite `twenty` were both `jpss-noaa-twenty-hrd`, and one mission's
    contacts could stream to the other's receiver. `_`, which botocore's SafeName admits,
    appears in no spec identifier, so this join is unambiguous."""
    name = "_".join((mission, satellite, downlink))
    problem = shape("groundstation", "SafeName").broken_by(name)
    if problem is not None:
        raise ValueError(f"dataflow endpoint name {name!r}: {problem}")
    return name


def glue_name(mission: str, *parts: str) -> str:
    """Glue and Athena identifiers: lowercase letters, digits and underscores only."""
    return "_".join((mission, *parts)).replace("-", "_")


def role_name(resource_name: str) -> dict[str, str]:
    """The name arguments of an IAM role: none, so that Pulumi names it as any other resource,
    while `<resource name>-xxxxxxx` fits IAM's limit (botocore iam roleNameType); past it (a
    long mission name and a long component path), a `name_prefix` the provider completes with
    its unique id, within the same limit. A role of a 32-character mission was refused at
    `pulumi up` at 72 characters."""
    limit = shape("iam", "roleNameType").max or 64
    if len(resource_name) + AUTONAME_SUFFIX_CHARS <= limit:
        return {}
    # the head of the name and a digest of all of it, so two long roles stay apart to a reader
    digest = hashlib.sha256(resource_name.encode()).hexdigest()[:7]
    head = resource_name[: limit - UNIQUE_ID_SUFFIX_CHARS - len(digest) - 2].rstrip("-")
    return {"name_prefix": f"{head}-{digest}-"}
