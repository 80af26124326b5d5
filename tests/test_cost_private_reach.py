"""An estimate without a plan (each alternative of a choice) counts the Azure private endpoints
and privatelink DNS zones the stack makes, as the plan holds them: it counted none, so the RA-GZRS
row's alternative left out the two secondary endpoints ($14.60 a month at $0.01 an hour)."""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import load_catalogs
from groundlink.cost.alternatives import alternatives
from groundlink.cost.model import azure_private_reach, estimate
from groundlink.spec import spec_from_data

from .conftest import spec_data, variant_plan, with_changes

PRIVATE = {"security.network": "private"}
RA_GZRS = {"storage.redundancy": "geo", "storage.geo_read_access": True, "clouds.aws.replica_region": "us-east-1"}
VARIANTS = [
    ("noaa20.yaml", {}),
    ("noaa20.yaml", PRIVATE),
    ("noaa20.yaml", {**PRIVATE, **RA_GZRS}),
    ("noaa20.yaml", {**PRIVATE, "storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-1"}),
    ("noaa20.yaml", {**PRIVATE, "analytics.azure_engine": "adx"}),
    ("noaa20.yaml", {**PRIVATE, "security.customer_managed_keys": False}),
    ("noaa20.yaml", {**PRIVATE, "analytics.serverless_sql": False, "analytics.catalog": False}),
    ("partner.yaml", {}),
    ("partner.yaml", RA_GZRS),
    ("constellation.yaml", PRIVATE),
]
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE = "azure-native:privatedns:PrivateZone"


@pytest.mark.parametrize(("base", "changes"), VARIANTS, ids=lambda v: str(v) if isinstance(v, str) else ",".join(v))
def test_the_blueprint_counts_the_private_endpoints_and_zones_the_plan_holds(base, changes):
    plan = variant_plan("azure", changes, base=base)
    blueprint = build_blueprint(spec_from_data(with_changes(spec_data(base), dict(changes))))
    assert azure_private_reach(blueprint) == (len(plan.of_type(ENDPOINT)), len(plan.of_type(ZONE)))


def test_going_back_to_zone_from_ra_gzrs_on_a_private_network_saves_the_secondary_endpoints():
    """partner.yaml is private: RA-GZRS adds blob and dfs secondary endpoints, 2 x 730 h x $0.01."""
    catalogs, assumptions = load_catalogs()
    spec = spec_from_data(with_changes(spec_data("partner.yaml"), dict(RA_GZRS)))
    [zone] = [a for a in alternatives("azure", spec, catalogs, assumptions)["storageRedundancy"] if a.value == "zone"]
    public = spec_from_data(with_changes(spec_data("partner.yaml"), {**RA_GZRS, "security.network": "public"}))
    [public_zone] = [
        a for a in alternatives("azure", public, catalogs, assumptions)["storageRedundancy"] if a.value == "zone"
    ]
    # the private stack saves what the public one does, and the two endpoints' hours besides
    hourly = catalogs["azure"].entry("private_endpoint_hour").price
    assert hourly == 0.01  # prices/azure.yaml, sourced
    assert round(public_zone.delta.known - zone.delta.known, 6) == round(2 * 730 * hourly, 6)


def test_the_private_network_lines_say_what_they_count_and_what_they_leave_out():
    """partner.yaml is private: its endpoints are billed by the hour, and the line says the data
    processed through them (billed per GB too) is not in the figure; priced without a plan, the
    counts are the blueprint's."""
    blueprint = build_blueprint(spec_from_data(spec_data("partner.yaml")))
    lines = estimate(blueprint, load_catalogs()[0]).clouds["azure"].lines
    private = [(x.item, x.quantity, x.basis) for x in lines if x.item.startswith("Private")]
    assert private == [
        (
            "Private endpoints (Private Link)",
            4 * 730,
            "4 in the blueprint x 730 h; the data processed through them is not modelled",
        ),
        ("Private DNS zones", 6, "6 in the blueprint"),
    ]
