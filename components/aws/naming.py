"""AWS physical names, each checked against what the service accepts before it reaches a resource.

Names derive from identity fields only (mission, satellite and downlink names),
never tunables, so editing a spec never renames a store. Buckets are named by
prefix (the provider appends a unique suffix): bucket names are global.
"""

from __future__ import annotations

import re

from groundlink.limits import CONFIG_NAME_PATTERN, S3_BUCKET_PREFIX_MAX_CHARS


def bucket_prefix(mission: str, role: str, head: str = "") -> str:
    """`[head-]<mission>-<role>-`, trimming the mission name so the prefix fits the
    provider's limit; the result depends on identity fields only."""
    fixed = len(role) + 2 + (len(head) + 1 if head else 0)
    trimmed = mission[: S3_BUCKET_PREFIX_MAX_CHARS - fixed].rstrip("-")
    prefix = "-".join(p for p in (head, trimmed, role) if p) + "-"
    if len(prefix) > S3_BUCKET_PREFIX_MAX_CHARS or not re.fullmatch(r"[a-z0-9][a-z0-9-]*-", prefix):
        raise ValueError(f"bucket prefix {prefix!r} is not a valid S3 bucket prefix")
    return prefix


def gs_name(*parts: str) -> str:
    """A Ground Station object name, refused before deployment if the service would refuse it."""
    name = " ".join(parts)
    if not re.fullmatch(CONFIG_NAME_PATTERN, name):
        raise ValueError(f"{name!r} does not match {CONFIG_NAME_PATTERN} (AWS Ground Station names)")
    return name


def glue_name(mission: str, *parts: str) -> str:
    """Glue and Athena identifiers: lowercase letters, digits and underscores only."""
    return "_".join((mission, *parts)).replace("-", "_")
