"""The spec may hold 50 tags (46 extra), which most resources take; an S3 object takes 10 and a
Key Vault key 15, so those get groundlink's four and as many extra tags as fit, in the spec's
order. A plan with 16 tags on either would have failed at `pulumi up`."""

from __future__ import annotations

import pytest

from groundlink import limits
from groundlink.spec import GROUNDLINK_TAGS

from .conftest import variant_plan

EXTRA = {f"team-{i:02d}": f"value-{i:02d}" for i in range(limits.TAGS_PER_RESOURCE_MAX - len(GROUNDLINK_TAGS))}


@pytest.mark.parametrize(
    ("cloud", "type_token", "most"),
    [
        ("aws", "aws:s3/bucketObjectv2:BucketObjectv2", limits.S3_OBJECT_TAGS_MAX),
        ("azure", "azure-native:keyvault:Key", limits.KEY_VAULT_KEY_TAGS_MAX),
    ],
)
def test_resources_that_take_fewer_tags_get_groundlinks_and_the_first_extra_ones(cloud, type_token, most):
    plan = variant_plan(cloud, {"mission.tags": EXTRA})
    [limited] = plan.of_type(type_token)
    tags = limited.inputs["tags"]
    assert len(tags) == most == {"aws": 10, "azure": 15}[cloud]
    assert set(tags) == {*GROUNDLINK_TAGS, *list(EXTRA)[: most - len(GROUNDLINK_TAGS)]}
    # every other taggable resource carries all 50
    full = [r for r in plan.resources if r.type != type_token and len(r.inputs.get("tags") or {}) == 50]
    assert len(full) > 10
