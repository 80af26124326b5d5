"""Prices, the per-cloud event model and the break-even decision, against hand-computed figures.

The case: one satellite, 3 contacts/day of 9.5 min (billed 10 min), one 8 Mbps demod/decode
downlink of 30 MHz. A month is 365/12 days: 91.25 contacts, 912.5 billed minutes; a 570 s
contact is 19 raw files at one file per 30 s.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Override, OverrideFile, apply_overrides
from groundlink.cost.decision import Sides, _managed_sentence, _partner_sentence, decision, partner_side
from groundlink.spec import spec_from_data

from .conftest import plan_of, spec_data, with_changes

CONTACTS = 91.25
MINUTES = 912.5

# Every price the catalogs leave unknown, and why: contractual, or no public source gives it.
REMAINING_UNKNOWNS = {
    "aws": {
        "ground_station_reserved_narrowband_minute": "contractual (reserved minutes)",
        "ground_station_reserved_wideband_minute": "contractual (reserved minutes)",
        "partner_minute": "contractual (partner network)",
        "dataflow_endpoint_hour": "the EC2 instance the user picks for the dataflow endpoint",
    },
    "azure": {
        "partner_minute": "contractual (partner network)",
        "data_explorer_cluster_month": "no list price: engine VMs plus a per-vCore markup",
    },
}


def cents(amount: float) -> Decimal:
    """An amount as the report shows it beside a sentence, to the cent, half up: the sentence's
    "cheaper by" is the difference of two such figures, as a reader subtracts them."""
    return Decimal(repr(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def blueprint(**ground):
    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"][0].update(data_rate_mbps=8, bandwidth_mhz=30, delivery="demod_decode")
    data["ground_segment"].update(contacts_per_day=3, contact_minutes=9.5, **ground)
    return build_blueprint(spec_from_data(data))


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


def by_item(cost):
    return {x.item: x for x in cost.lines}


def test_remaining_unknown_prices_are_only_contractual_or_unsourced(catalogs):
    for cloud, expected in REMAINING_UNKNOWNS.items():
        unknown = {price_id for price_id, e in catalogs[cloud].prices.items() if not e.known}
        assert unknown == set(expected), cloud
        assert all(catalogs[cloud].entry(p).supply for p in unknown)


def test_public_list_prices_are_filled_with_source_and_date(catalogs):
    expected = {
        ("aws", "sqs_requests"): (0.40, 1_000_000, 1_000_000),
        ("aws", "eventbridge_events"): (0.0, 1_000_000, 0),
        ("aws", "eventbridge_custom_events"): (1.0, 1_000_000, 0),
        ("aws", "cloudwatch_alarm_month"): (0.10, 1, 0),
        ("azure", "service_bus_standard_base_hour"): (0.0135, 1, 0),
        ("azure", "service_bus_operations"): (0.80, 1_000_000, 13_000_000),
        ("azure", "egress_internet_gb"): (0.087, 1, 100),
        ("azure", "functions_executions"): (0.20, 1_000_000, 1_000_000),
        ("azure", "functions_gb_second"): (0.000016, 1, 400_000),
        ("azure", "event_grid_operations"): (0.60, 1_000_000, 100_000),
        ("azure", "monitor_alert_rule_month"): (0.10, 1, 0),
    }
    for (cloud, price_id), (price, per, free) in expected.items():
        e = catalogs[cloud].entry(price_id)
        assert (e.price, e.per, e.free_per_month) == (price, per, free), price_id
        assert "https://" in e.source and e.date, price_id


def test_free_allowances_bill_only_what_is_above_them(catalogs):
    assert catalogs["aws"].entry("sqs_requests").cost(1_500_000) == pytest.approx(0.5 * 0.40)
    assert catalogs["aws"].entry("sqs_requests").cost(999_999) == 0
    assert catalogs["azure"].entry("egress_internet_gb").cost(150) == pytest.approx(50 * 0.087)
    grid = catalogs["azure"].entry("event_grid_operations")
    assert grid.cost(100_000) == 0 and grid.cost(1_100_000) == pytest.approx(0.60)


def test_events_follow_each_clouds_trigger(catalogs):
    est = estimate(blueprint(), catalogs)
    aws, azure = by_item(est.clouds["aws"]), by_item(est.clouds["azure"])
    # AWS: one EventBridge event per contact (free: an AWS-service event), three SQS requests per event
    assert aws["EventBridge events (from AWS Ground Station)"].quantity == pytest.approx(CONTACTS)
    assert aws["EventBridge events (from AWS Ground Station)"].cost == 0
    assert aws["SQS requests"].quantity == pytest.approx(3 * CONTACTS)
    # Azure: an ingress per blob (19 raw + the partner's manifest + 1 frame stream + the frame index
    # and the contact summary per contact) and a delivery per manifest (the subscription passes no
    # data blob): 24 x 91.25 = 2,190
    assert azure["Event Grid operations"].quantity == pytest.approx(24 * CONTACTS)
    assert azure["Event Grid operations"].cost == 0  # 2,190 < 100,000 free
    # a Service Bus message per manifest, sent, received and completed
    assert azure["Service Bus operations"].quantity == pytest.approx(3 * CONTACTS)
    assert azure["Service Bus Standard base charge"].cost == pytest.approx(730 * 0.0135)


def test_prices_from_another_region_are_named(catalogs):
    notes = " ".join(estimate(blueprint(), catalogs).notes)
    assert "AWS runs in us-west-2" in notes and "firehose_gb (eu-west-2)" in notes
    assert "Azure runs in westus2" in notes and "synapse_serverless_tb (westeurope)" in notes


def test_break_even_makes_the_two_totals_equal(catalogs):
    bp = blueprint()
    est = estimate(bp, catalogs)
    price = decision(bp, est)["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"]
    assert price is not None and 0 < price < 10
    at_price = OverrideFile(azure={"partner_minute": Override(price=price, source="break-even", date="2026-12-01")})
    chosen = {cloud: apply_overrides(c, at_price, "test") for cloud, c in catalogs.items()}
    again = estimate(bp, chosen)
    assert again.clouds["azure"].monthly.known == pytest.approx(again.clouds["aws"].monthly.known, abs=0.01)


def test_aws_with_a_partner_breaks_even_at_the_ground_station_price_and_reserved_shifts_it(catalogs):
    bp = blueprint()
    on_demand = decision(bp, estimate(bp, catalogs))
    # same contacts, same minutes: a partner on AWS costs what Ground Station does at $10/min narrowband
    # plus, per billed minute, the telemetry Ground Station sends and a partner does not: 1 kB/s over
    # each contact's 9.5 minutes (10 billed), into the on-demand stream at $0.08/GB and archived by
    # Firehose at $0.035/GB
    telemetry = 9.5 * 60 * 1000 / 1e9 * (0.08 + 0.035) / 10
    # (kept to 6 decimals, as every amount of compare.json)
    assert on_demand["breakEvenPerMinute"]["awsPartnerVsAwsOnDemand"] == round(10.0 + telemetry, 6)
    assert on_demand["groundStationMonthly"]["onDemand"] == pytest.approx(MINUTES * 10)
    assert on_demand["breakEvenPerMinute"]["azurePartnerVsAwsReserved"] is None
    reserved = OverrideFile(
        aws={"ground_station_reserved_narrowband_minute": Override(price=3, source="contract", date="2026-12-01")}
    )
    chosen = {cloud: apply_overrides(c, reserved, "test") for cloud, c in catalogs.items()}
    with_reserved = decision(bp, estimate(bp, chosen))["breakEvenPerMinute"]
    assert with_reserved["awsPartnerVsAwsReserved"] == round(3.0 + telemetry, 6)
    # reserved is $7/min cheaper on every minute: the Azure break-even drops by exactly $7/min
    assert with_reserved["azurePartnerVsAwsReserved"] == pytest.approx(
        on_demand["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"] - 7
    )


def test_the_on_demand_figure_prices_the_dubbo_share_at_dubbo_and_the_rest_elsewhere(catalogs):
    # a quarter of the 912.5 minutes at Dubbo 1 ($15), three quarters elsewhere ($10); the stack's
    # region (where the data is delivered) moves nothing
    bp = blueprint(dubbo_minutes_share=0.25)
    assert decision(bp, estimate(bp, catalogs))["groundStationMonthly"]["onDemand"] == pytest.approx(
        684.375 * 10 + 228.125 * 15
    )
    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"][0].update(data_rate_mbps=8, bandwidth_mhz=30, delivery="demod_decode")
    data["ground_segment"].update(contacts_per_day=3, contact_minutes=9.5)
    data["clouds"]["aws"]["region"] = "ap-southeast-2"
    sydney = build_blueprint(spec_from_data(data))
    assert decision(sydney, estimate(sydney, catalogs))["groundStationMonthly"]["onDemand"] == pytest.approx(9125)


def test_the_sentence_states_the_decision_and_its_conditions(catalogs):
    bp = blueprint()
    d = decision(bp, estimate(bp, catalogs))
    # AWS with a partner costs less than Azure with it at any price, so Ground Station is weighed
    # against that option: $10/min plus Ground Station's telemetry per minute (a fraction of a cent)
    assert d["restMonthly"]["awsWithPartner"] < d["restMonthly"]["azure"]
    assert d["sentence"].startswith(
        "Choose AWS with a partner network if the partner charges less than $10.00/min, otherwise AWS with "
        "Ground Station on demand"
    )
    # already on demand: no second clause weighing Ground Station on demand against itself
    assert d["sentence"].count("Ground Station on demand") == 1
    assert "3 contacts/day of 9.5 min" in d["sentence"]
    # a price still unknown is named as a condition: Azure Data Explorer's cluster, with that engine
    data = spec_data("noaa20.yaml")
    data.setdefault("analytics", {})["azure_engine"] = "adx"
    adx = build_blueprint(spec_from_data(data))
    sentence = decision(adx, estimate(adx, catalogs))["sentence"]
    assert "not priced: " in sentence and "azure.data_explorer_cluster_month" in sentence
    partner = blueprint(provider="partner", partner={"name": "ksat_lite", "price_per_minute_usd": 4})
    quoted = decision(partner, estimate(partner, catalogs))
    assert quoted["partnerPricePerMinute"] == 4
    assert quoted["sentence"].startswith("With the partner network on both clouds")


def test_the_sentence_compares_against_reserved_minutes_when_they_are_supplied(catalogs):
    """--prices with the reserved narrowband price: AWS's total prices its minutes reserved, and so
    must the sentence (it quoted the on-demand total while the summary showed the reserved one)."""
    bp = blueprint()
    reserved = OverrideFile(
        aws={"ground_station_reserved_narrowband_minute": Override(price=3.5, source="contract", date="2026-06-01")},
        azure={"partner_minute": Override(price=12.0, source="quote", date="2026-10-02")},
    )
    chosen = {cloud: apply_overrides(c, reserved, "test") for cloud, c in catalogs.items()}
    est = estimate(bp, chosen)
    d = decision(bp, est)
    rest_aws, rest_partner = d["restMonthly"]["aws"], d["restMonthly"]["awsWithPartner"]
    assert rest_partner < d["restMonthly"]["azure"]  # the partner option weighed is AWS's
    # AWS: 912.5 minutes x $3.50 reserved = $3,193.75 on top of the rest; with the partner 912.5 x $12 = $10,950
    aws_total = rest_aws + 912.5 * 3.5
    partner_total = rest_partner + 912.5 * 12
    assert est.clouds["aws"].monthly.known == pytest.approx(aws_total, abs=0.005)  # the report's AWS total
    breakeven = (rest_aws + 3193.75 - rest_partner) / 912.5
    assert d["sentence"].startswith(
        f"AWS with Ground Station reserved is cheaper: AWS with the partner at $12.00/min costs "
        f"${partner_total:,.2f}/month against ${aws_total:,.2f} on AWS with Ground Station reserved; the break-even "
        f"partner price is ${breakeven:,.2f}/min; with Ground Station on demand (${rest_aws + 912.5 * 10:,.2f}/month) "
        f"the break-even would be ${(rest_aws + 9125 - rest_partner) / 912.5:,.2f}/min"
    )
    # without a partner price: the choice names the reserved rate and AWS's reserved total
    no_quote = OverrideFile(aws=reserved.aws)
    chosen = {cloud: apply_overrides(c, no_quote, "test") for cloud, c in catalogs.items()}
    sentence = decision(bp, estimate(bp, chosen))["sentence"]
    assert f"otherwise AWS with Ground Station reserved ($3.50/min supplied, ${aws_total:,.2f}/month)" in sentence


def test_with_a_partner_the_sentence_weighs_supplied_reserved_minutes_as_its_managed_copy_does(catalogs):
    """--prices with the reserved narrowband price and provider: partner: the sentence weighed
    Ground Station on demand ($10/min) and implied the partner at $12/min was the cheaper option,
    where reserved Ground Station ($3.50/min) costs far less, as the managed copy of the same spec
    says. Both now weigh Ground Station as AWS's lines with it price it: reserved."""
    reserved = OverrideFile(
        aws={"ground_station_reserved_narrowband_minute": Override(price=3.5, source="contract", date="2026-06-01")},
        azure={"partner_minute": Override(price=12.0, source="quote", date="2026-10-02")},
    )
    chosen = {cloud: apply_overrides(c, reserved, "test") for cloud, c in catalogs.items()}
    partner = blueprint(provider="partner", partner={"name": "ksat_lite"})
    d = decision(partner, estimate(partner, chosen))
    managed = decision(blueprint(), estimate(blueprint(), chosen))
    rest_station, rest_partner = d["restMonthly"]["awsWithGroundStation"], d["restMonthly"]["awsWithPartner"]
    assert (rest_station, rest_partner) == (
        managed["restMonthly"]["awsWithGroundStation"],
        managed["restMonthly"]["awsWithPartner"],
    )
    assert rest_partner < d["restMonthly"]["azure"]  # the partner option weighed is AWS's
    # AWS with Ground Station: 912.5 minutes x $3.50 reserved = $3,193.75 on top of its rest
    station_total = rest_station + 912.5 * 3.5
    reserved_even = (station_total - rest_partner) / 912.5
    on_demand_even = (rest_station + 912.5 * 10 - rest_partner) / 912.5
    assert (
        # and at the spec's $12/min it says which is cheaper, as the managed copy does
        f"; AWS with Ground Station reserved instead (${station_total:,.2f}/month) would be cheaper: it breaks even "
        f"with AWS and the partner at ${reserved_even:,.2f}/min; with Ground Station on demand "
        f"(${rest_station + 912.5 * 10:,.2f}/month) the break-even would be ${on_demand_even:,.2f}/min"
    ) in d["sentence"]
    assert d["headlineBreakEven"] == managed["headlineBreakEven"]
    assert d["headlineBreakEven"]["groundStation"] == "reserved"
    assert d["headlineBreakEven"]["perMinute"] == pytest.approx(reserved_even)


def test_a_partner_price_finer_than_a_cent_is_the_price_the_totals_use(catalogs):
    """$7.555/min: the sentence said $7.56 beside totals made with $7.555, and the sensitivity was
    drawn at $7.55, $6.89 a month off the totals at the spec's 912.5 minutes."""
    bp = blueprint(provider="partner", partner={"name": "ksat_lite", "price_per_minute_usd": 7.555})
    est = estimate(bp, catalogs)
    d = decision(bp, est)
    aws_total, azure_total = (d["restMonthly"][c] + 912.5 * 7.555 for c in ("aws", "azure"))
    assert est.clouds["aws"].monthly.known == pytest.approx(aws_total, abs=0.005)
    assert f"at $7.555/min AWS costs ${aws_total:,.2f}/month and Azure ${azure_total:,.2f}/month" in d["sentence"]
    prices = d["sensitivity"]["partnerPrices"]
    (at_spec,) = [p for p in d["sensitivity"]["series"] if p["contactsPerDay"] == 3]
    assert at_spec["awsPartnerAtPrice"][prices.index(7.555)] == pytest.approx(aws_total, abs=0.001)
    assert at_spec["azureAtPrice"][prices.index(7.555)] == pytest.approx(azure_total, abs=0.001)


def test_with_a_partner_on_both_clouds_the_sentence_compares_the_partner_totals(catalogs):
    """provider: partner: neither total has Ground Station minutes; the sentence compared Azure
    against AWS Ground Station on demand, which the report's AWS total does not contain."""
    bp = blueprint(provider="partner", partner={"name": "ksat_lite", "price_per_minute_usd": 4})
    est = estimate(bp, catalogs)
    d = decision(bp, est)
    rest_aws, rest_azure = d["restMonthly"]["aws"], d["restMonthly"]["azure"]
    # both clouds: 912.5 partner minutes x $4 = $3,650 on top of their other lines
    aws_total, azure_total = rest_aws + 3650, rest_azure + 3650
    assert est.clouds["aws"].monthly.known == pytest.approx(aws_total, abs=0.005)
    assert est.clouds["azure"].monthly.known == pytest.approx(azure_total, abs=0.005)
    cheaper = "Azure" if rest_azure < rest_aws else "AWS"
    assert d["sentence"].startswith(
        f"With the partner network on both clouds {cheaper} is cheaper by ${abs(cents(rest_aws) - cents(rest_azure)):,}/month "
        f"at any partner price: at $4.00/min AWS costs ${aws_total:,.2f}/month and Azure ${azure_total:,.2f}/month; "
        # Ground Station's own rest: its contact telemetry is sent, and priced, where a partner sends none
        f"AWS with Ground Station on demand instead (${d['restMonthly']['awsWithGroundStation'] + 912.5 * 10:,.2f}/month) "
        "would cost more: it breaks even with AWS and the partner at "
    )


def test_sensitivity_moves_with_contacts_and_partner_price(catalogs):
    bp = blueprint()
    d = decision(bp, estimate(bp, catalogs))
    prices = d["sensitivity"]["partnerPrices"]
    assert prices == [2.5, 5.0, 7.5, 10.0]  # quarters of the $10/min on-demand price
    series = {p["contactsPerDay"]: p for p in d["sensitivity"]["series"]}
    assert 3 in series and min(series) == 1 and max(series) == 20
    for contacts, point in series.items():
        minutes = contacts * 365 / 12 * 10
        # the band: each partner price step adds exactly (price step) x minutes, on both clouds
        assert point["azureAtPrice"][1] - point["azureAtPrice"][0] == pytest.approx(2.5 * minutes, abs=0.01)
        assert point["awsPartnerAtPrice"][3] - point["awsPartnerAtPrice"][0] == pytest.approx(7.5 * minutes, abs=0.01)
        # AWS with Ground Station on demand is AWS with a partner at $10/min plus the telemetry Ground
        # Station sends and a partner does not: 1 kB/s (noaa20's telemetry_kb_per_second) over each
        # contact's 9.5 minutes, into the on-demand stream at $0.08/GB and archived by Firehose at
        # $0.035/GB (each figure rounded to 4 places)
        telemetry_gb = contacts * 365 / 12 * 9.5 * 60 * 1000 / 1e9
        assert point["awsOnDemand"] - point["awsPartnerAtPrice"][3] == pytest.approx(
            telemetry_gb * (0.08 + 0.035), abs=2e-4
        )
    assert series[4]["awsOnDemand"] > series[3]["awsOnDemand"]


@pytest.mark.parametrize(("aws_rest", "azure_rest", "cheaper"), [(500.0, 420.25, "Azure"), (420.25, 500.0, "AWS")])
def test_the_managed_sentence_names_the_cloud_whose_rest_is_cheaper_with_a_partner_on_both(
    aws_rest, azure_rest, cheaper
):
    """With a partner on both clouds the minutes cost the same on each: the cheaper cloud is the
    one whose rest of the stack costs less, by the difference of the rests, whichever it is (the
    example specs' AWS rest is always the lower, so only that side was ever said)."""
    sides = Sides(
        minutes=900.0,
        aws_rest=aws_rest + 0.5,
        azure_rest=azure_rest,
        # with a partner AWS's rest is its own, not the rest it has with Ground Station (telemetry, guiding files)
        aws_rest_partner=aws_rest,
        aws_rest_station=aws_rest + 0.5,
        on_demand=9000.0,
        reserved=None,
        used=9000.0,
        used_kind="on demand",
        unknown={},
        left_out=[],
    )
    assert _managed_sentence(sides, None, 10.0).endswith(
        f"; with a partner on both clouds {cheaper} is cheaper by $79.75/month at any partner price"
    )


def _sides(used_kind: str, used: float) -> Sides:
    return Sides(
        minutes=900.0,
        aws_rest=500.0 if used_kind == "reserved" else 499.5,  # the spec's mode: managed when reserved
        azure_rest=420.25,
        aws_rest_partner=499.5,
        aws_rest_station=500.0,
        on_demand=9000.0,
        reserved=3150.0 if used_kind == "reserved" else None,
        used=used,
        used_kind=used_kind,
        unknown={},
        left_out=[],
    )


@pytest.mark.parametrize("on_demand", [-2.5, 0.0])
def test_an_on_demand_break_even_at_or_below_zero_is_said_as_no_partner_price(on_demand):
    """A break-even partner price at or below zero is no price (the break-even table says
    "none"); the sentences printed it as a dollar figure, `$-2,605.52/min`."""
    reserved = _managed_sentence(_sides("reserved", 3150.0), None, on_demand)
    assert (
        "; with Ground Station on demand ($9,500.00/month) AWS would cost less than Azure and the partner at any partner price;"
        in reserved
    )
    partner = _partner_sentence(_sides("on demand", 9000.0), 4.0, on_demand)
    assert partner.endswith(
        "; AWS with Ground Station on demand instead ($9,500.00/month) would cost less than Azure and the partner "
        "at any partner price"
    )
    assert "$-" not in reserved + partner and "$0.00/min" not in reserved + partner


def test_a_positive_on_demand_break_even_is_said_as_a_price():
    assert "the break-even would be $2.50/min;" in _managed_sentence(_sides("reserved", 3150.0), None, 2.5)
    assert _partner_sentence(_sides("on demand", 9000.0), None, 2.5).endswith(
        "would break even with Azure and the partner at $2.50/min"
    )


def _planned_decision(changes: dict[str, object]) -> dict[str, object]:
    """compare's decision for noaa20 with `changes`, on both clouds' plans, as compare makes it."""
    data = with_changes(spec_data("noaa20.yaml"), changes)
    bp = build_blueprint(spec_from_data(data))
    catalogs, assumptions = load_catalogs()
    plans = {cloud: plan_of(data, cloud) for cloud in ("aws", "azure")}
    return decision(bp, estimate(bp, catalogs, assumptions, plans), plans)


def test_a_spec_and_its_copy_with_the_other_ground_segment_state_the_same_decision():
    """Each AWS side carries AWS's other lines in its own mode: with Ground Station, the telemetry
    it sends (noaa20: 1 kB/s over 4 contacts/day of 10 min, 1,216.67 min a month x 60 x 1,000 B =
    0.073 GB, into on-demand Kinesis at $0.08/GB and Firehose at $0.035/GB: $0.008395 a month);
    with a partner, none. Both AWS sides had carried the spec's own mode's figure, so the
    managed spec and its partner copy stated two different decisions."""
    managed = _planned_decision({})
    partner = _planned_decision({"ground_segment.provider": "partner", "ground_segment.partner": {"name": "other"}})
    rest_managed, rest_partner = managed["restMonthly"], partner["restMonthly"]
    assert rest_managed["aws"] == rest_managed["awsWithGroundStation"]
    assert rest_partner["aws"] == rest_partner["awsWithPartner"]
    assert rest_managed["awsWithGroundStation"] - rest_managed["awsWithPartner"] == pytest.approx(0.008395, abs=1e-4)
    # the other mode, estimated on the spec's plan, is what the other spec's own plan gives
    for key in ("awsWithGroundStation", "awsWithPartner", "azure"):
        assert rest_managed[key] == pytest.approx(rest_partner[key], abs=1e-4), key
    assert managed["breakEvenPerMinute"] == pytest.approx(partner["breakEvenPerMinute"], abs=1e-6)
    # AWS + partner against AWS Ground Station: the list $10/min plus what the telemetry adds per
    # partner minute (1,216.67 of them), no longer the list price by construction
    aws_vs_aws = managed["breakEvenPerMinute"]["awsPartnerVsAwsOnDemand"]
    assert aws_vs_aws == pytest.approx(10 + 0.008395 / (4 * 365 / 12 * 10), abs=1e-6) and aws_vs_aws != 10
    assert managed["sensitivity"]["series"] == partner["sensitivity"]["series"]
    both = "with a partner on both clouds AWS is cheaper by ${:,}/month".format(
        cents(rest_managed["azure"]) - cents(rest_managed["awsWithPartner"])
    )
    assert (
        both in managed["sentence"]
        and both.replace("with a partner", "With the partner network") in partner["sentence"]
    )
    # and both weigh Ground Station against the same option, AWS with the partner, at the same price
    # (the managed one had told the reader to choose Azure with a partner below $9.93/min)
    assert managed["sentence"].startswith(
        f"Choose AWS with a partner network if the partner charges less than ${aws_vs_aws:,.2f}/min"
    )
    assert f"would break even with AWS and the partner at ${aws_vs_aws:,.2f}/min" in partner["sentence"]
    assert managed["headlineBreakEven"]["partnerCloud"] == partner["headlineBreakEven"]["partnerCloud"] == "aws"


def test_azure_is_weighed_with_a_partner_whichever_ground_segment_the_spec_has():
    """A managed spec's Azure stack sizes its telemetry hub for AWS Ground Station's telemetry
    (8,000 kB/s over one contact: 8 throughput units, 7 more than a partner's 1, each $0.03/h and
    its Capture $0.10/h: 7 x 730 x $0.13 = $664.30 a month), which no partner sends; the decision
    weighed that Azure against AWS with a partner, and told the user to choose AWS with a partner
    where, with a partner on both clouds, Azure is cheaper, as the partner copy said."""
    usage = {"usage.telemetry_kb_per_second": 8000, "usage.egress_gb_per_month": 100000}
    managed = _planned_decision(usage)
    partner = _planned_decision(
        {**usage, "ground_segment.provider": "partner", "ground_segment.partner": {"name": "other"}}
    )
    rest_managed, rest_partner = managed["restMonthly"], partner["restMonthly"]
    assert rest_managed["azureAsPlanned"] - rest_managed["azure"] == pytest.approx(7 * 730 * (0.03 + 0.10), abs=0.01)
    assert rest_partner["azureAsPlanned"] == rest_partner["azure"]
    for key in ("azure", "awsWithPartner"):
        assert rest_managed[key] == pytest.approx(rest_partner[key], abs=1e-4), key
    assert rest_managed["azure"] < rest_managed["awsWithPartner"]
    assert managed["headlineBreakEven"]["partnerCloud"] == partner["headlineBreakEven"]["partnerCloud"] == "azure"
    assert managed["sensitivity"]["series"] == partner["sensitivity"]["series"]
    cheaper = "with a partner on both clouds Azure is cheaper by ${:,}/month".format(
        cents(rest_managed["awsWithPartner"]) - cents(rest_managed["azure"])
    )
    assert cheaper in managed["sentence"]


@pytest.mark.parametrize(
    ("aws_partner_rest", "option", "breakeven"),
    # AWS Ground Station: $500 + $9,000 = $9,500 a month for 900 minutes
    [(499.5, "Azure", "$10.09/min"), (400.0, "AWS", "$10.11/min")],  # (9,500 - 420.25) / 900; (9,500 - 400) / 900
)
def test_ground_station_is_weighed_against_the_cheaper_partner_option(aws_partner_rest, option, breakeven):
    """The managed sentence said "Choose Azure with a partner network if the partner charges less
    than ..." where AWS with the same partner cost less at every price; the partner sentence broke
    Ground Station even with Azure and the partner likewise."""
    sides = dataclasses.replace(_sides("on demand", 9000.0), aws_rest_partner=aws_partner_rest)
    assert partner_side(sides)[0] == option.lower()
    assert _managed_sentence(sides, None, None).startswith(
        f"Choose {option} with a partner network if the partner charges less than {breakeven}, otherwise AWS with "
        "Ground Station on demand ($10.00/min list, $9,500.00/month)"
    )
    cheaper_by = abs(aws_partner_rest - 420.25)
    assert _partner_sentence(sides, None, 2.5).startswith(
        f"With the partner network on both clouds {option} is cheaper by ${cheaper_by:,.2f}/month at any partner price"
    )
    assert _partner_sentence(sides, None, 2.5).endswith(f"would break even with {option} and the partner at $2.50/min")
    # with a quote: the partner option at $12/min ($10,800 of minutes) against Ground Station's $9,500
    quoted = _managed_sentence(sides, 12.0, None)
    partner_total = aws_partner_rest + 10800 if option == "AWS" else 420.25 + 10800
    assert quoted.startswith(
        f"AWS with Ground Station on demand is cheaper: {option} with the partner at $12.00/min costs "
        f"${partner_total:,.2f}/month against $9,500.00 on AWS with Ground Station on demand"
    )


def test_a_satellite_ground_station_no_longer_supports_gets_no_ground_station_figures():
    """specs/aqua-legacy.yaml: Aqua (NORAD 27424), which AWS Ground Station stopped supporting on
    2024-11-30, has no Ground Station alternative: no break-even, no headline, no monthly figure."""
    bp = build_blueprint(spec_from_data(spec_data("aqua-legacy.yaml")))
    catalogs, assumptions = load_catalogs()
    d = decision(bp, estimate(bp, catalogs, assumptions))
    assert d["groundStationNotOffered"] == (
        "AWS Ground Station is not offered as an alternative: it no longer supports aqua (NORAD 27424) since 2024-11-30 "
        "(AWS's notice in the awslabs/aws-groundstation-eos-pipeline README, 2024-10-24)"
    )
    assert d["headlineBreakEven"] == {"perMinute": None, "groundStation": None, "partnerCloud": None}
    assert set(d["breakEvenPerMinute"].values()) == {None}
    assert d["groundStationMonthly"] == {"onDemand": None, "reserved": None}


def test_ground_station_minutes_of_two_bands_are_an_average_rate_not_a_list_price(catalogs):
    """A narrowband and a wideband satellite: $10 and $22 a minute made '$16.00/min list', a price no
    list has."""
    data = spec_data("noaa20.yaml")
    wide = dict(spec_data("partner.yaml")["satellites"][0], name="wide")
    wide["downlinks"] = [
        {
            "name": "xb",
            "center_frequency_mhz": 8100,
            "bandwidth_mhz": 50,
            "delivery": "digif",
            "data_rate_mbps": 15,
            "digif_mbps": 100,
        }
    ]
    data["satellites"].append(wide)
    bp = build_blueprint(spec_from_data(data))
    sentence = decision(bp, estimate(bp, catalogs))["sentence"]
    assert "/min on average, " in sentence and "/min list" not in sentence
    one_band = decision(blueprint(), estimate(blueprint(), catalogs))["sentence"]
    assert "($10.00/min list, " in one_band


def test_an_on_demand_price_from_prices_is_said_supplied_not_list(catalogs):
    """A negotiated on-demand price given with --prices read '$8.00/min list'."""
    own = OverrideFile(aws={"ground_station_narrowband_minute": Override(price=8, source="deal", date="2026-06-01")})
    chosen = {cloud: apply_overrides(c, own, "test") for cloud, c in catalogs.items()}
    bp = blueprint()
    assert "($8.00/min supplied, " in decision(bp, estimate(bp, chosen))["sentence"]


def test_the_reference_partner_prices_are_rounded_half_up_to_the_cent(catalogs):
    """A Dubbo share of 0.3 averages Ground Station at $11.50/min, whose quarters are $2.875 and
    $8.625: drawn and tabulated at $2.88 and $8.62, round() rounding the binary 8.625 half to
    even, where every other figure of the report rounds half up ($8.63)."""
    bp = blueprint(dubbo_minutes_share=0.3)
    d = decision(bp, estimate(bp, catalogs))
    assert d["groundStationOnDemandPerMinute"] == 11.5
    assert d["sensitivity"]["partnerPrices"] == [2.88, 5.75, 8.63, 11.5]


def test_an_amount_reads_the_same_cent_in_the_sentence_and_in_the_tables():
    """The sentence rounded the unrounded total (11,544.8749997: $11,544.87), the summary the
    total compare.json keeps to 6 decimals (11,544.875: $11,544.88), and the sensitivity table
    a figure kept to 4 (11,659.825 against 11,659.824999): one amount a cent apart in two places.
    Every amount is now rounded to the cent from the 6 decimals compare.json keeps."""
    from groundlink.cost import load_catalogs
    from groundlink.report.number_format import usd
    from groundlink.rounding import dollars

    assert dollars(11544.8749997) == "$11,544.88" == usd(round(11544.8749997, 6))
    data = spec_data("partner.yaml")
    data["ground_segment"]["partner"]["price_per_minute_usd"] = 6.999997423992257
    bp = build_blueprint(spec_from_data(data))
    est = estimate(bp, load_catalogs()[0])
    d = decision(bp, est)
    kept = {cloud: round(est.clouds[cloud].monthly.known, 6) for cloud in ("aws", "azure")}
    assert f"AWS costs {usd(kept['aws'])}/month and Azure {usd(kept['azure'])}/month" in d["sentence"]


def test_every_satellite_ground_station_no_longer_supports_is_named_apart(monkeypatch):
    """Two such satellites (the table holds one today, Aqua): each named with its NORAD id and
    date, separated by a comma."""
    from groundlink import limits
    from groundlink.cost.decision import ground_station_not_offered

    data = spec_data("aqua-legacy.yaml")
    noaa20 = spec_data("noaa20.yaml")["satellites"][0]
    data["satellites"].append(noaa20)
    monkeypatch.setitem(limits.AWS_UNSUPPORTED_SATELLITES, noaa20["norad_id"], "2030-01-01")
    spec = spec_from_data(data)
    assert ground_station_not_offered(spec) == (
        "AWS Ground Station is not offered as an alternative: it no longer supports aqua (NORAD 27424) since "
        "2024-11-30 (AWS's notice in the awslabs/aws-groundstation-eos-pipeline README, 2024-10-24), "
        f"{noaa20['name']} (NORAD {noaa20['norad_id']}) since 2030-01-01"
    )


def test_every_satellite_ground_station_no_longer_supports_has_the_notice_that_said_so():
    """The end of support is a fact the decision leads with: each date in the table comes with
    its source (AWS's notice), in the same keys, or the sentence would state it unsourced."""
    from groundlink import limits

    assert set(limits.AWS_UNSUPPORTED_SATELLITE_SOURCES) == set(limits.AWS_UNSUPPORTED_SATELLITES)
    assert all(source.strip() for source in limits.AWS_UNSUPPORTED_SATELLITE_SOURCES.values())


def test_a_cheaper_side_that_leaves_a_price_out_is_not_called_cheaper():
    """Azure's rest $80 under AWS's, but its Data Explorer cluster unpriced where AWS's Athena scans
    cost $500: "Azure is cheaper by ... at any partner price" rested on the one side's unknown. A
    dearer side's unknown only makes it dearer: that claim stands."""
    azure_unpriced = dataclasses.replace(_sides("on demand", 9000.0), unknown={"azure": ["adx_cluster_hour"]})
    said = _partner_sentence(azure_unpriced, None, 2.5)
    unknown = (
        "Azure's priced costs are lower by $79.25/month, but azure.adx_cluster_hour is not priced: which cloud is "
        "cheaper is not known until it is"
    )
    assert said.startswith(f"With the partner network on both clouds {unknown};")
    assert "is cheaper by" not in said
    assert _managed_sentence(azure_unpriced, None, 2.5).endswith(f"; with a partner on both clouds {unknown}")
    aws_unpriced = dataclasses.replace(azure_unpriced, unknown={"aws": ["athena_tb"], "azure": ["partner_minute"]})
    assert _partner_sentence(aws_unpriced, None, 2.5).startswith(
        "With the partner network on both clouds Azure is cheaper by $79.25/month at any partner price;"
    )


def test_no_verdict_at_a_partner_price_rests_on_a_side_that_leaves_a_price_out():
    """At $9/min, Azure with the partner ($8,520.25 known) under AWS with Ground Station ($9,500):
    "Azure is cheaper" though Azure's cluster is unpriced; with provider: partner at $10.05, Ground
    Station "would cost more" than that lower bound. Neither is known; the lower side complete, it is."""
    azure_unpriced = dataclasses.replace(_sides("on demand", 9000.0), unknown={"azure": ["adx_cluster_hour"]})
    managed = _managed_sentence(azure_unpriced, 9.0, 2.5)
    assert managed.startswith(
        "Which of Azure and AWS with Ground Station on demand is cheaper is not known: Azure with the partner at "
        "$9.00/min costs $8,520.25/month against $9,500.00 on AWS with Ground Station on demand"
    )
    partner = _partner_sentence(azure_unpriced, 10.05, 2.5)
    assert "would cost more or less, which is not known while a price is left out: it breaks even" in partner
    # Ground Station the lower side, and complete: it is cheaper whatever Azure's unknown comes to
    assert _managed_sentence(azure_unpriced, 12.0, 2.5).startswith("AWS with Ground Station on demand is cheaper:")
    assert "would be cheaper: it breaks even" in _partner_sentence(azure_unpriced, 12.0, 2.5)
    # and a tie of the known figures with a price left out decides nothing either
    even = dataclasses.replace(azure_unpriced, aws_rest_partner=420.25)
    assert _partner_sentence(even, None, 2.5).startswith(
        "With the partner network on both clouds AWS's and Azure's priced costs are the same, but "
        "azure.adx_cluster_hour is not priced: which cloud is cheaper is not known until it is;"
    )


def test_a_tie_at_the_partner_price_with_a_price_left_out_on_the_partner_s_side_is_not_said_the_same():
    """At $10/min Azure with the partner and AWS with Ground Station both come to $9,500.00 known,
    but Azure's Data Explorer cluster is unpriced: they were said to "cost the same", where Azure
    costs more by whatever the cluster comes to."""
    tie = dataclasses.replace(
        _sides("on demand", 9000.0), aws_rest_partner=600.0, azure_rest=500.0, unknown={"azure": ["adx_cluster_hour"]}
    )
    assert _managed_sentence(tie, 10.0, None).startswith(
        "Which of Azure and AWS with Ground Station on demand is cheaper is not known: Azure with the partner at "
        "$10.00/min costs $9,500.00/month against $9,500.00 on AWS with Ground Station on demand;"
    )
    # every price known, the tie is one
    assert _managed_sentence(dataclasses.replace(tie, unknown={}), 10.0, None).startswith(
        "Azure and AWS with Ground Station on demand cost the same: Azure with the partner at $10.00/min costs "
        "$9,500.00/month against $9,500.00 on AWS with Ground Station on demand;"
    )


def test_a_price_aws_leaves_out_weighs_on_neither_side_when_the_partner_option_is_on_aws():
    """AWS with the partner at $11/min ($10,399.50 known) against AWS with Ground Station ($9,500.00
    known), Athena's scans unpriced: both options carry the same AWS lines, so the unknown adds the
    same to each and Ground Station is cheaper. Counted against Ground Station alone, the verdict
    was "not known"."""
    aws_unpriced = dataclasses.replace(_sides("on demand", 9000.0), azure_rest=700.0, unknown={"aws": ["athena_tb"]})
    assert _managed_sentence(aws_unpriced, 11.0, None).startswith(
        "AWS with Ground Station on demand is cheaper: AWS with the partner at $11.00/min costs $10,399.50/month "
        "against $9,500.00 on AWS with Ground Station on demand; the break-even partner price is $10.00/min;"
    )


def test_equal_totals_are_said_to_cost_the_same_never_one_cheaper():
    """Every other price 0 and the partner at $10/min, Ground Station's own $10/min: the sentence
    called AWS with Ground Station "cheaper" at $12,166.67 against $12,166.67; two equal rests
    "cheaper by $0.00"."""
    even = dataclasses.replace(
        _sides("on demand", 9000.0), aws_rest=420.25, aws_rest_partner=420.25, aws_rest_station=420.25
    )
    assert _partner_sentence(even, None, 10.0).startswith(
        "With the partner network on both clouds AWS and Azure cost the same ($420.25/month besides the partner "
        "minutes);"
    )
    managed = _managed_sentence(even, 10.0, 10.0)
    assert managed.startswith(
        # two equal partner options: the one weighed is AWS's (`partner_side`)
        "AWS with the partner and AWS with Ground Station on demand cost the same: AWS with the partner at $10.00/min costs "
        "$9,420.25/month against $9,420.25 on AWS with Ground Station on demand; the break-even partner price is "
        "$10.00/min"
    )
    # Ground Station's minutes free: its stack and the partner's with free minutes cost the same
    free = dataclasses.replace(even, on_demand=0.0, used=0.0)
    assert _managed_sentence(free, None, 0.0).startswith(
        "AWS with Ground Station on demand ($420.25/month) costs as much as AWS's stack with a partner network and "
        "no contact minutes: it is cheaper at any partner price above zero"
    )


def test_a_break_even_under_a_cent_reads_as_the_table_reads_it():
    """(60.130436 - 60.122041) / 1,216.67 = $0.000007/min: the sentence said "$0.00/min", the
    break-even table and the chart's title "<$0.0001/min"."""
    from groundlink.cost.decision import per_minute
    from groundlink.report.number_format import break_even_text

    assert per_minute(0.000007) == "<$0.0001/min" == break_even_text(0.000007)
    assert per_minute(0.0042) == "$0.0042/min" == break_even_text(0.0042)
    assert per_minute(10.224) == "$10.22/min" == break_even_text(10.224)


def test_the_sensitivity_is_drawn_only_at_contact_loads_the_spec_allows():
    """2 contacts of 120 minutes a day: the grid went on to 16 and 20 contacts, 1,920 and 2,400
    minutes a day, which validate refuses (a day has 1,440); 12 x 120 = 1,440 is the last."""
    from groundlink.cost.decision import feasible_contacts

    data = with_changes(
        spec_data("noaa20.yaml"),
        {"ground_segment.contact_minutes": 120, "ground_segment.contacts_per_day": 2, "processing.enabled": False},
    )
    assert feasible_contacts(spec_from_data(data)) == [1, 2, 3, 4, 6, 8, 10, 12]
    assert feasible_contacts(spec_from_data(spec_data("noaa20.yaml"))) == [1, 2, 3, 4, 6, 8, 10, 12, 16, 20]


def test_the_sensitivity_holds_the_spec_s_own_contacts_where_the_grid_has_none(catalogs):
    """5 contacts a day, between the grid's 4 and 6: the chart was drawn without the spec's own
    load, and the monthly figure the sentence gives for AWS with Ground Station was on no point of it."""
    bp = build_blueprint(spec_from_data(with_changes(spec_data("noaa20.yaml"), {"ground_segment.contacts_per_day": 5})))
    d = decision(bp, estimate(bp, catalogs))
    series = {p["contactsPerDay"]: p for p in d["sensitivity"]["series"]}
    assert list(series) == [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20]
    own = series[5]["awsOnDemand"]
    assert own == pytest.approx(d["restMonthly"]["awsWithGroundStation"] + d["groundStationMonthly"]["onDemand"])
    assert f"Ground Station on demand ($10.00/min list, ${own:,.2f}/month)" in d["sentence"]


def test_a_supplied_partner_price_of_zero_is_drawn_as_the_sentence_prices_it(catalogs):
    """--prices with the partner's minutes at $0: the sentence weighed $0.00/min while the chart's
    partner band ran from $2.50 (a quarter of Ground Station's $10), the spec's price left out."""
    free = OverrideFile(azure={"partner_minute": Override(price=0.0, source="quote", date="2026-10-02")})
    chosen = {cloud: apply_overrides(c, free, "test") for cloud, c in catalogs.items()}
    bp = blueprint(provider="partner", partner={"name": "ksat_lite"})
    d = decision(bp, estimate(bp, chosen))
    assert "at $0.00/min AWS costs" in d["sentence"]
    assert d["sensitivity"]["partnerPrices"] == [0.0, 2.5, 5.0, 7.5, 10.0]
