"""Which storage tiers a cloud holds data in, and where data goes when the cloud lacks a tier.

The spec's tiering is cloud-neutral (cool, cold, archive). AWS has all three on S3. Azure's
Archive tier exists only on LRS, GRS and RA-GRS accounts, never on ZRS, GZRS or RA-GZRS
(docs/facts.md §9), and every account groundlink renders is zone-redundant (storage.redundancy
zone is ZRS, geo is GZRS or RA-GZRS) so that contact data survives the loss of a datacenter, as it
does in S3 Standard. Giving up that redundancy for a cheaper tier would trade durability for price
behind the user's back, and a lifecycle rule that tiers to Archive would fail on the account. So
on Azure the data the spec sends to archive stays in Cold (online, priced at Cold's rate), and the
plan declares the gap `storage.archive_tier` with this reason and warns about it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..limits import AZURE_SOFT_DELETE_MAX_DAYS

ARCHIVE = "archive"
# Per cloud, a tier it cannot hold on the accounts groundlink renders -> the tier that holds it.
HELD_IN: dict[str, dict[str, str]] = {"aws": {}, "azure": {ARCHIVE: "cold"}}


def held_tier(cloud: str, tier: str) -> str:
    """The tier `cloud` keeps data in that the spec sends to `tier`."""
    return HELD_IN[cloud].get(tier, tier)


def cloud_transitions(cloud: str, transitions: Sequence[tuple[int, str]]) -> tuple[tuple[int, str], ...]:
    """The lifecycle transitions `cloud` renders: a missing tier becomes its holder, and a step
    into the tier the data is already in is dropped (cold at 90 days, archive at 180 days is
    cold at 90 days on Azure)."""
    out: list[tuple[int, str]] = []
    for days, tier in transitions:
        held = held_tier(cloud, tier)
        if out and out[-1][1] == held:
            continue
        out.append((days, held))
    return tuple(out)


def deleted_kept_days(cloud: str, noncurrent_days: int) -> int:
    """Days an object is still held, and billed at its tier's rate, after the lifecycle deletes it:
    AWS's versioned buckets keep it as a noncurrent version for storage.noncurrent_version_days
    (the expiration adds a delete marker; NoncurrentVersionExpiration deletes the version), and
    Azure's blob soft delete keeps it as long, up to soft delete's maximum (soft-deleted data "is
    billed at the same rate as active data", Microsoft Learn, "Soft delete for blobs")."""
    return noncurrent_days if cloud == "aws" else min(noncurrent_days, AZURE_SOFT_DELETE_MAX_DAYS)


def archive_gap(cloud: str, tiering: Sequence[tuple[int, str]]) -> str | None:
    """Why `cloud` leaves out the archive step of the spec's tiering, or None when it renders it."""
    steps = [(i, days) for i, (days, tier) in enumerate(tiering) if tier == ARCHIVE]
    if not steps or held_tier(cloud, ARCHIVE) == ARCHIVE:
        return None
    index, days = steps[0]
    return (
        f"Azure has no archive tier on zone-redundant accounts (ZRS, GZRS, RA-GZRS: storage.redundancy zone "
        f"and geo): data past storage.tiering[{index}] (archive after {days} days) stays in Cold, online and "
        f"priced at Cold's rate; AWS moves it to S3 Glacier Deep Archive"
    )
