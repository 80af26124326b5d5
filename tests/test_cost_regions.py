"""Which region each price is for, against where its line is billed: the report's assumptions
list every price taken from another region (docs/compare.md, "Prices"), and say when S3
replication runs between regions the catalog's one transfer figure does not cover.

The catalog regions these tests rest on, as prices/aws.yaml and prices/azure.yaml give them:
S3, KMS and Kinesis are us-east-1 figures; Event Hubs eastus; contact minutes are priced by
antenna site (Ground Station) or by contract (a partner), never by region; the dataflow
endpoint's hour is "stack region" (the user's own EC2 price).
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.alternatives import alternatives
from groundlink.cost.catalog import Override, OverrideFile, apply_overrides
from groundlink.cost.model import other_regions
from groundlink.spec import spec_from_data

from .conftest import spec_data, variant_plan, with_changes

PARTNER_STREAM = {"delivery.stream": True, "analytics.telemetry_stream": False}
TRANSFER_NOTE = (
    "S3 replication from {} to {} is priced at s3_inter_region_transfer_gb's $0.02/GB, a figure for most region "
    "pairs; its source says pairs with South America, Africa, the Middle East or Hong Kong cost more: give this "
    "pair's price with --prices."
)


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


def _estimate(base: str, changes: dict, catalogs, plans=None):
    return estimate(build_blueprint(spec_from_data(with_changes(spec_data(base), changes))), catalogs, plans=plans)


def test_a_partner_stream_priced_at_another_region_s_figures_is_listed(catalogs):
    """partner.yaml runs in eu-north-1 and swedencentral: the partner's live stream is a Kinesis
    stream (us-east-1 figures) and an Event Hubs namespace (eastus figures). They are in the
    ground layer, which the list skipped whole, contact minutes and all."""
    plans = {"aws": variant_plan("aws", PARTNER_STREAM, "partner.yaml")}
    est = _estimate("partner.yaml", PARTNER_STREAM, catalogs, plans)
    aws, azure = other_regions(est.clouds["aws"]), other_regions(est.clouds["azure"])
    assert (est.clouds["aws"].region, est.clouds["azure"].region) == ("eu-north-1", "swedencentral")
    assert (aws["kinesis_on_demand_stream_hour"], aws["kinesis_on_demand_gb_in"]) == ("us-east-1", "us-east-1")
    assert azure["event_hubs_standard_tu_hour"] == "eastus"
    assert "partner_minute" not in aws and "partner_minute" not in azure  # a contract's price, no region's


def test_ground_station_minutes_are_priced_by_site_and_never_listed(catalogs):
    est = _estimate("noaa20.yaml", {"clouds.aws.region": "eu-north-1"}, catalogs)
    assert any(x.price_id == "ground_station_narrowband_minute" for x in est.clouds["aws"].lines)
    assert not [p for p in other_regions(est.clouds["aws"]) if p.startswith("ground_station_")]


def test_a_replica_billed_in_another_region_names_it_even_where_the_stack_matches_the_catalog(catalogs):
    """A us-east-1 stack replicating to sa-east-1: the replica's capacity, PUTs and key are
    billed in sa-east-1 at us-east-1 figures, and the list compared them with the stack's region
    only, so said nothing of them."""
    changes = {"clouds.aws.region": "us-east-1", "storage.redundancy": "geo", "clouds.aws.replica_region": "sa-east-1"}
    listed = other_regions(_estimate("noaa20.yaml", changes, catalogs).clouds["aws"])
    for price_id in ("s3_standard_gb_month", "s3_put_requests", "kms_key_month", "kms_requests"):
        assert listed[price_id] == "us-east-1, billed in sa-east-1", price_id
    assert "lambda_requests" not in listed  # billed in us-east-1, a us-east-1 figure
    (note,) = [n for n in _estimate("noaa20.yaml", changes, catalogs).notes if n.startswith("AWS runs in")]
    assert note.startswith(
        "AWS runs in us-east-1; these prices are for another region than the one their line is billed in, or none "
        "is stated: s3_put_requests (us-east-1, billed in sa-east-1), s3_inter_region_transfer_gb (us-east-1 to "
        "us-west-2; most region pairs), "
    )


def test_a_stack_region_price_overridden_with_another_region_s_figure_is_listed(catalogs):
    """The dataflow endpoint runs in the stack's region: a price sheet of eu-north-1 for a
    us-west-2 endpoint was taken without a word (a ground-layer line)."""
    given = OverrideFile(
        aws={"dataflow_endpoint_hour": Override(price=0.5, source="sheet", date="2026-11-01", region="eu-north-1")}
    )
    chosen = {cloud: apply_overrides(c, given, "ov.yaml") for cloud, c in catalogs.items()}
    listed = other_regions(_estimate("noaa20.yaml", {"delivery.stream": True}, chosen).clouds["aws"])
    assert listed["dataflow_endpoint_hour"] == "eu-north-1"


@pytest.mark.parametrize(
    ("region", "replica", "said"),
    [
        ("af-south-1", "eu-west-1", True),  # Africa
        ("us-east-1", "sa-east-1", True),  # South America
        ("me-south-1", "eu-central-1", True),  # the Middle East
        ("ap-southeast-1", "ap-east-1", True),  # Hong Kong
        ("us-west-2", "us-east-2", False),
        ("eu-north-1", "eu-west-1", False),
    ],
)
def test_replication_between_regions_the_transfer_figure_does_not_cover_is_said(catalogs, region, replica, said):
    changes = {"clouds.aws.region": region, "storage.redundancy": "geo", "clouds.aws.replica_region": replica}
    notes = _estimate("noaa20.yaml", changes, catalogs).notes
    assert [n for n in notes if n.startswith("S3 replication from")] == (
        [TRANSFER_NOTE.format(region, replica)] if said else []
    )


def test_a_transfer_price_the_user_gave_is_not_questioned(catalogs):
    given = OverrideFile(
        aws={"s3_inter_region_transfer_gb": Override(price=0.05, source="pricing page", date="2026-11-01")}
    )
    chosen = {cloud: apply_overrides(c, given, "ov.yaml") for cloud, c in catalogs.items()}
    changes = {"clouds.aws.region": "af-south-1", "storage.redundancy": "geo", "clouds.aws.replica_region": "eu-west-1"}
    assert not [n for n in _estimate("noaa20.yaml", changes, chosen).notes if n.startswith("S3 replication from")]


def test_the_geo_alternative_of_a_lone_region_stack_says_its_pair_costs_more(catalogs):
    """af-south-1 is the only replica region of its geography: the geo alternative is priced
    with a replica in the first replica region by name, ap-east-1 (Hong Kong), at $0.02/GB."""
    spec = spec_from_data(with_changes(spec_data(), {"clouds.aws.region": "af-south-1"}))
    geo = next(a for a in alternatives("aws", spec, catalogs)["storageRedundancy"] if a.value == "geo")
    assert geo.notes[:2] == (
        "AWS replica priced in ap-east-1: the spec names no clouds.aws.replica_region",
        TRANSFER_NOTE.format("af-south-1", "ap-east-1").removesuffix("."),  # the table adds the period
    )


def test_the_transfer_note_is_said_once_not_on_every_alternative_of_a_replicating_spec(catalogs):
    """A geo spec in us-west-2 replicating to sa-east-1 had the note on its HSM and Premium rows
    too, which change nothing of replication; the report's own notes say it once."""
    spec = spec_from_data(
        with_changes(spec_data(), {"storage.redundancy": "geo", "clouds.aws.replica_region": "sa-east-1"})
    )
    rows = [a for choices in alternatives("aws", spec, catalogs).values() for a in choices]
    assert rows and not [a for a in rows if any(n.startswith("S3 replication from") for n in a.notes)]


def test_a_price_billed_in_the_stack_s_region_and_the_replica_s_names_both(catalogs):
    """An af-south-1 stack replicating to me-central-1, both away from the catalog's us-east-1:
    the list kept the first line's region only, so the replica's never appeared."""
    changes = {
        "clouds.aws.region": "af-south-1",
        "storage.redundancy": "geo",
        "clouds.aws.replica_region": "me-central-1",
    }
    listed = other_regions(_estimate("noaa20.yaml", changes, catalogs).clouds["aws"])
    for price_id in ("s3_standard_gb_month", "s3_put_requests", "kms_key_month"):
        assert listed[price_id] == "us-east-1, billed in af-south-1 and me-central-1", price_id
    assert listed["lambda_requests"] == "us-east-1"  # the stack's lines only


def test_an_override_without_a_region_is_not_said_to_be_the_catalog_s_region_s(catalogs):
    """A user's af-south-1 figure given without `region:` was labelled us-east-1, the catalog
    entry's region, in the price table and the list of other regions."""
    given = OverrideFile(
        aws={
            "s3_standard_gb_month": Override(price=0.0274, source="my sheet", date="2026-11-01"),
            "kms_key_month": Override(price=1.0, source="my sheet", date="2026-11-01", region="af-south-1"),
        }
    )
    chosen = {cloud: apply_overrides(c, given, "ov.yaml") for cloud, c in catalogs.items()}
    assert chosen["aws"].prices["s3_standard_gb_month"].region == "not stated by the override"
    listed = other_regions(_estimate("noaa20.yaml", {"clouds.aws.region": "af-south-1"}, chosen).clouds["aws"])
    assert listed["s3_standard_gb_month"] == "not stated by the override"
    assert "kms_key_month" not in listed  # given for the stack's region
    # nor is a pair of regions said of a transfer price given for the stack's own pair
    transfer = OverrideFile(
        aws={"s3_inter_region_transfer_gb": Override(price=0.147, source="bill", date="2026-11-01")}
    )
    assert apply_overrides(catalogs["aws"], transfer, "ov.yaml").prices["s3_inter_region_transfer_gb"].region == (
        "not stated by the override"
    )
    # a label that is no place holds for the user's figure as for the catalog's
    stack_price = OverrideFile(aws={"dataflow_endpoint_hour": Override(price=0.5, source="sheet", date="2026-11-01")})
    assert apply_overrides(catalogs["aws"], stack_price, "ov.yaml").prices["dataflow_endpoint_hour"].region == (
        "stack region"
    )


def test_a_price_for_the_stack_s_own_region_is_never_listed(catalogs):
    """The dataflow endpoint's hour is the user's own figure for the stack's region ("stack
    region"): reading regions without case or spaces listed it as another region's."""
    listed = other_regions(_estimate("noaa20.yaml", {"delivery.stream": True}, catalogs).clouds["aws"])
    assert any(
        x.price_id == "dataflow_endpoint_hour"
        for x in _estimate("noaa20.yaml", {"delivery.stream": True}, catalogs).clouds["aws"].lines
    )
    assert "dataflow_endpoint_hour" not in listed
