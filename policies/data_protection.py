"""Data protection: stores and keys survive a mistaken `pulumi destroy` or a
replacement. The Analyzer protocol shows `protect` but not `retainOnDelete`,
so protect is what is enforced here."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .props import get, is_true
from .registry import resource_rule


@resource_rule(
    "data-protection-stateful-protected",
    area="data-protection",
    severity="high",
    enforcement="mandatory",
    types=T.STATEFUL,
    controls=("Stateful resources protected (groundlink design)",),
    description="Stateful resources (buckets, storage accounts and containers, keys and vaults, catalog "
    "databases, streams) are protected against deletion.",
    remediation="Set storage.data_protection: strict in the mission spec (ResourceOptions protect=True and "
    "retain_on_delete=True). For throw-away dev stacks set this policy to advisory in the pack config.",
)
def stateful_protected(args: Any, report: Any) -> None:
    if not getattr(args.opts, "protect", False):
        report("stateful resource is not protected: `pulumi destroy` or a replacement would delete its data")


@resource_rule(
    "aws-s3-no-force-destroy",
    area="data-protection",
    severity="high",
    enforcement="mandatory",
    types=T.S3_BUCKET + T.S3_OTHER_BUCKETS,
    controls=("Stateful resources protected (groundlink design)",),
    description="S3 buckets (directory, table and vector buckets included) never set force_destroy, which "
    "empties a bucket on delete.",
    remediation="Set force_destroy=False (the default).",
)
def no_force_destroy(args: Any, report: Any) -> None:
    if is_true(get(args.props, "forceDestroy")):
        report("forceDestroy is true: deleting the bucket deletes every object in it")
