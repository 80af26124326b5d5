"""The replica region the cost of AWS geo redundancy is priced in when the spec names none.

It must be a region S3 can replicate to other than the stack's own (a replica in the same
region is no geo redundancy), and in the stack's own geography when it has another region.
"""

from __future__ import annotations

import pytest

from groundlink.cost.alternatives import stand_in_replica_region
from groundlink.limits import AWS_REPLICA_REGIONS


def _geography(region: str) -> str:
    return region.split("-")[0]


@pytest.mark.parametrize("region", sorted(AWS_REPLICA_REGIONS))
def test_the_stand_in_is_another_replica_region_of_the_same_geography_when_there_is_one(region):
    stand_in = stand_in_replica_region(region)
    assert stand_in != region
    assert stand_in in AWS_REPLICA_REGIONS
    neighbours = {r for r in AWS_REPLICA_REGIONS if _geography(r) == _geography(region)} - {region}
    if neighbours:
        assert stand_in in neighbours
    else:
        assert _geography(stand_in) != _geography(region)


def test_some_regions_have_no_neighbour_in_their_geography():
    """So the fallback branch above is exercised (il-central-1 and the like)."""
    alone = [r for r in AWS_REPLICA_REGIONS if [_geography(x) for x in AWS_REPLICA_REGIONS].count(_geography(r)) == 1]
    assert alone
