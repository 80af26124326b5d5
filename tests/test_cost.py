"""Cost arithmetic against hand-computed cases.

The reference case: one satellite, 3 contacts/day of 9.5 min (billed 10 min),
8 Mbps demodulated -> 8 x 570 s / 8 / 1000 = 0.57 GB of bits per contact, captured in
datagrams of 1,024 bytes of payload, each with 114 bytes of headers beside it (the spec's
default `processing.capture.datagram_payload_bytes`): 0.57 x (1 + 114/1024) = 0.6335 GB
landed per contact; a month is 365/12 days, so 3 contacts/day = 91.25 contacts and 912.5
billed minutes per month.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Assumptions, Override, OverrideFile, PriceError, apply_overrides
from groundlink.cost.storage import Span, average_stock, spans, steady_state, stock
from groundlink.spec import spec_from_data

from .conftest import plan_of, spec_data, variant_plan, with_changes

DAYS = 365 / 12
# a demod/decode downlink's capture: each datagram's 1,024 bytes of payload with 114 bytes of
# pcap, Ethernet, IP, UDP and VITA-49 headers
HEADERS = 1 + 114 / 1024  # 1.111328125


def arith_spec(**changes):
    data = spec_data("noaa20.yaml")
    link = data["satellites"][0]["downlinks"][0]
    link.update(data_rate_mbps=8, bandwidth_mhz=30)
    data["ground_segment"].update(contacts_per_day=3, contact_minutes=9.5)
    data["storage"].update(
        raw_retention_days=365,
        products_retention_days=730,
        tiering=[{"after_days": 30, "tier": "cool"}, {"after_days": 180, "tier": "archive"}],
    )
    data["usage"] = {
        "query_tb_scanned_per_month": 2,
        "queries_per_month": 100,
        "egress_gb_per_month": 100,
        "products_ratio": 0.5,
        "telemetry_kb_per_second": 2,
    }
    for path, value in changes.items():
        target = data
        *parents, key = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(key) if key.isdigit() else key] = value
    return build_blueprint(spec_from_data(data))


GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in


def _gib(gb: float, cost: float) -> tuple[Any, Any]:
    """A capacity line's quantity and cost, computed in decimal GB, as billed in binary GB."""
    return pytest.approx(gb * GIB), pytest.approx(cost * GIB)


def lines(cloud_cost, layer=None):
    return {x.item: x for x in cloud_cost.lines if layer is None or x.layer == layer}


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


def test_contact_minutes_are_rounded_up_per_contact_and_priced_narrowband(catalogs):
    aws = estimate(arith_spec(), catalogs).clouds["aws"]
    (ground,) = [x for x in aws.lines if x.layer == "ground"]
    assert ground.quantity == pytest.approx(912.5)  # 3 x 365/12 contacts x ceil(9.5) min
    assert ground.cost == pytest.approx(9125.0)  # $10/min narrowband


def test_wideband_at_dubbo_uses_the_dubbo_wideband_price(catalogs):
    bp = arith_spec(**{"satellites.0.downlinks.0.bandwidth_mhz": 50, "ground_segment.dubbo_minutes_share": 1})
    (ground,) = [x for x in estimate(bp, catalogs).clouds["aws"].lines if x.layer == "ground"]
    assert ground.price_id == "ground_station_dubbo_wideband_minute"
    assert ground.cost == pytest.approx(912.5 * 25)


def test_the_stack_region_does_not_move_contacts_to_dubbo(catalogs):
    """A stack in ap-southeast-2 takes delivery there; its contacts come from the sites it books."""
    bp = arith_spec(**{"clouds.aws.region": "ap-southeast-2"})
    (ground,) = [x for x in estimate(bp, catalogs).clouds["aws"].lines if x.layer == "ground"]
    assert (ground.price_id, ground.item) == (
        "ground_station_narrowband_minute",
        "AWS Ground Station narrowband minutes (on-demand)",
    )
    assert ground.cost == pytest.approx(9125.0)  # 912.5 min x $10


def test_a_share_of_the_minutes_at_dubbo_is_priced_apart(catalogs):
    bp = arith_spec(**{"ground_segment.dubbo_minutes_share": 0.2})
    ground = lines(estimate(bp, catalogs).clouds["aws"], "ground")
    elsewhere = ground["AWS Ground Station narrowband minutes (on-demand)"]
    dubbo = ground["AWS Ground Station narrowband minutes (on-demand at Dubbo 1)"]
    assert (elsewhere.quantity, elsewhere.cost) == pytest.approx((730, 7300))  # 80% of 912.5 min x $10
    assert (dubbo.quantity, dubbo.cost) == pytest.approx((182.5, 2737.5))  # 20% x $15
    assert dubbo.basis == "91.3 contacts x 10 min, 20% of the minutes"


def test_wideband_elsewhere_is_22_per_minute(catalogs):
    bp = arith_spec(**{"satellites.0.downlinks.0.bandwidth_mhz": 50})
    (ground,) = [x for x in estimate(bp, catalogs).clouds["aws"].lines if x.layer == "ground"]
    assert ground.cost == pytest.approx(20075.0)


def test_ingest_and_steady_state_storage_per_tier(catalogs):
    est = estimate(arith_spec(), catalogs)
    # 0.57 GB x (1 + 114/1024) = 0.63345703125 GB x 91.25 contacts = 57.8030 GB
    assert est.usage.raw_gb == pytest.approx(52.0125 * HEADERS)
    assert est.usage.products_gb == pytest.approx(26.00625 * HEADERS)  # 0.5 x 57.8030 = 28.9015 GB
    # raw lands 1.71 x 1.111328125 = 1.9004 GB/day for 365 days, products 0.855 x 1.111328125 =
    # 0.9502 GB/day for 730 days
    steady = est.usage.storage_steady()
    assert steady["hot"] == pytest.approx((30 * 1.71 + 30 * 0.855) * HEADERS)  # 76.95 x 1.1113 = 85.5167
    assert steady["cool"] == pytest.approx((150 * 1.71 + 150 * 0.855) * HEADERS)  # 384.75 x 1.1113 = 427.5835
    assert steady["archive"] == pytest.approx((185 * 1.71 + 550 * 0.855) * HEADERS)  # 786.6 x 1.1113 = 874.1707
    # capacity is billed in binary GB: each decimal GB is 10^9 / 2^30 of one
    storage = {x.item: x.cost for x in est.clouds["aws"].lines if x.tier}
    assert storage == pytest.approx(
        {
            "S3 Standard storage": 85.51669921875 * GIB * 0.023,
            "S3 Standard-IA storage": 427.58349609375 * GIB * 0.0125,
            "S3 Glacier Deep Archive storage": 874.170703125 * GIB * 0.00099,
            # expired objects kept 30 days as noncurrent versions: (1.9004 + 0.9502) x 30 = 85.5167 GB
            "S3 Glacier Deep Archive storage: deleted data kept": 85.51669921875 * GIB * 0.00099,
            # every raw file (30 MB x 1.1113 = 33.3 MB) and frame stream (285 MB x 1.1113 = 316.7 MB)
            # is 128 KB or more, so S3 moves each:
            # (19 + 1) x 91.25 = 1,825 objects a month into Standard-IA ($0.01 per 1,000) and into
            # Deep Archive ($0.05 per 1,000)
            "S3 lifecycle transitions into S3 Standard-IA": 1825 * 0.01 / 1000,
            "S3 lifecycle transitions into S3 Glacier Deep Archive": 1825 * 0.05 / 1000,
            # Deep Archive holds 57 raw files a day for 185 days + 30 kept, 57 x 215 = 12,255, and 3
            # frame streams a day for 550 + 30, 3 x 580 = 1,740: 13,995 objects, each billed 32 KB
            # (2^20 KB a billed GB) at its rate and 8 KB at S3 Standard's
            "S3 Glacier Deep Archive storage: archived object overhead": 13995 * 32 / 2**20 * 0.00099,
            "S3 Standard storage: archived object overhead": 13995 * 8 / 2**20 * 0.023,
        }
    )
    # Azure holds the same GB on a ZRS (ADLS Gen2) account at the catalog's ZRS prices, never
    # LRS's: $0.0221 hot, $0.0131 cool, $0.005 cold per GB-month. ZRS has no archive tier, so the
    # archive-aged GB are held (and priced) in Cold.
    azure = {x.item: (x.price_id, x.quantity, x.cost) for x in est.clouds["azure"].lines if x.tier}
    assert azure == {
        # 85.51669921875 GB x 0.0221 = 1.889919
        "Blob Hot storage (ZRS)": ("blob_hot_zrs_gb_month", *_gib(85.51669921875, 1.889919052734375)),
        # 427.58349609375 GB x 0.0131 = 5.601344
        "Blob Cool storage (ZRS)": ("blob_cool_zrs_gb_month", *_gib(427.58349609375, 5.601343798828125)),
        # 874.170703125 GB x 0.005 = 4.370854
        "Blob Cold storage (ZRS)": ("blob_cold_zrs_gb_month", *_gib(874.170703125, 4.370853515625)),
        # soft-deleted blobs kept 30 days, in Cold: 85.51669921875 GB x 0.005 = 0.427583
        "Blob Cold storage (ZRS): deleted data kept": (
            "blob_cold_zrs_gb_month",
            *_gib(85.51669921875, 0.42758349609375),
        ),
        # Azure moves every blob: 1,733.75 raw files + 91.25 manifests + 91.25 frame streams + 182.5
        # frame indexes and summaries = 2,098.75 a month into Cool ($0.13 per 10,000 ZRS writes) and,
        # its archive step held in Cold, into Cold at day 180 ($0.26)
        "Blob tier changes to Cool (ZRS)": (
            "blob_cool_zrs_write_operations",
            pytest.approx(2098.75),
            pytest.approx(2098.75 * 0.13 / 10000),
        ),
        "Blob tier changes to Cold (ZRS)": (
            "blob_cold_zrs_write_operations",
            pytest.approx(2098.75),
            pytest.approx(2098.75 * 0.26 / 10000),
        ),
    }


def test_digif_lands_the_sampled_bandwidth_not_the_data_rate(catalogs):
    bp = arith_spec(
        **{
            "satellites.0.downlinks.0": {
                "name": "hrd",
                "center_frequency_mhz": 7812,
                "bandwidth_mhz": 30,
                "delivery": "digif",
                "data_rate_mbps": 8,
            },
            "processing.enabled": False,  # 39 GB a contact: no function holds it
        }
    )
    usage = estimate(bp, catalogs).usage
    # 43.1 GB per 630 s of a 30 MHz downlink; 570 s of 30 MHz = 43.1 x 570 / 630 GB
    assert usage.links[0].gb_per_contact == pytest.approx(43.1 * 570 / 630)
    # 19 raw files (one per 30 s of 570 s), and no products: processing is off (and DigIF samples
    # hold no frames to make them from)
    assert usage.objects_written == pytest.approx(19 * 91.25)
    assert usage.products_gb == 0


def test_requests_queries_stream_keys_and_egress(catalogs):
    aws = lines(estimate(arith_spec(), catalogs).clouds["aws"])
    # 19 raw files (one per 30 s of a 570 s contact) + the frame stream, 0.5 x 0.57 GB x
    # (1 + 114/1024) = 316,728,515.625 bytes, uploaded in 8 MiB parts (ceil(316,728,515.625 /
    # 8,388,608) = ceil(37.76) = 38, plus its create and complete requests: 40) + the frame index
    # and the contact summary per contact, + Ground Station's empty guiding .pcap:
    # 62 x 91.25 = 5,657.5
    assert aws["S3 PUT requests"].quantity == pytest.approx(62 * 91.25)
    assert aws["S3 PUT requests"].cost == pytest.approx(5657.5 / 1000 * 0.005)
    assert aws["Athena TB scanned"].cost == pytest.approx(10.0)  # 2 TB > 100 queries x 10 MB
    # without a plan, the stream as every plan renders it: on demand, 730 h x $0.04, and each GB in
    assert "Kinesis shards" not in aws
    assert aws["Kinesis on-demand stream"].cost == pytest.approx(730 * 0.04)
    assert aws["Kinesis on-demand data in"].quantity == aws["Firehose telemetry archive"].quantity
    assert aws["Firehose telemetry archive"].quantity == pytest.approx(2 * 570 * 91.25 / 1e6)
    assert aws["KMS keys"].cost == pytest.approx(1.0)
    # 100 GB out: all inside AWS's 100 GB a month of free data transfer out
    assert aws["Internet egress"].cost == 0


def test_internet_egress_is_free_up_to_100_gb_a_month_on_both_clouds(catalogs):
    est = estimate(arith_spec(**{"usage.egress_gb_per_month": 250}), catalogs)
    aws, azure = lines(est.clouds["aws"]), lines(est.clouds["azure"])
    # 250 GB out, the first 100 free on each cloud: (250 - 100) x $0.09 on AWS, x $0.087 on Azure
    assert aws["Internet egress"].cost == pytest.approx(150 * 0.09)  # $13.50
    assert azure["Internet egress"].cost == pytest.approx(150 * 0.087)  # $13.05
    assert "first 100 GB a month are free" in aws["Internet egress"].basis
    assert aws["Internet egress"].basis == azure["Internet egress"].basis


def test_athena_bills_ten_megabytes_per_query_at_least(catalogs):
    bp = arith_spec(**{"usage.query_tb_scanned_per_month": 0.0, "usage.queries_per_month": 200000})
    aws = lines(estimate(bp, catalogs).clouds["aws"])
    assert aws["Athena TB scanned"].quantity == pytest.approx(2.0)  # 200,000 x 10 MB


def test_unknown_prices_make_a_partial_total_never_zero(catalogs):
    azure = estimate(arith_spec(), catalogs).clouds["azure"]
    ground = next(x for x in azure.lines if x.layer == "ground")
    assert ground.cost is None and ground.price_id == "partner_minute"
    monthly = azure.monthly
    assert not monthly.complete and "partner_minute" in monthly.unknown
    assert monthly.known == pytest.approx(sum(x.cost for x in azure.lines if x.cost is not None))
    assert {x.price_id for x in azure.unknowns()} >= {"partner_minute"}
    assert all(x.entry.supply for x in azure.unknowns())
    assert not azure.layer_totals()["ground"].complete and azure.layer_totals()["ground"].known == 0


def test_partner_price_from_the_spec_prices_both_clouds(catalogs):
    data_changes = {
        "ground_segment.provider": "partner",
        "ground_segment.partner": {"name": "ksat_lite", "price_per_minute_usd": 7.5},
    }
    est = estimate(arith_spec(**data_changes), catalogs)
    for cloud in CLOUDS:
        (ground,) = [x for x in est.clouds[cloud].lines if x.layer == "ground"]
        assert ground.cost == pytest.approx(912.5 * 7.5)
        assert "mission spec" in ground.entry.source


PARTNER = {"ground_segment.provider": "partner", "ground_segment.partner": {"name": "ksat_lite"}}


def _azure_partner_price(catalogs, price: float, source: str = "KSAT quote"):
    overrides = OverrideFile(azure={"partner_minute": Override(price=price, source=source, date="2026-10-02")})
    return {cloud: apply_overrides(c, overrides, "prices.yaml") for cloud, c in catalogs.items()}


def test_a_partner_price_given_for_one_cloud_prices_the_network_on_both(catalogs):
    """One network, one contract: an Azure-only override priced AWS's minutes as unknown while
    the decision sentence priced AWS at the Azure figure."""
    est = estimate(arith_spec(**PARTNER), _azure_partner_price(catalogs, 12))
    for cloud in CLOUDS:
        (ground,) = [x for x in est.clouds[cloud].lines if x.layer == "ground"]
        assert (ground.cost, ground.entry.source) == (pytest.approx(912.5 * 12), "KSAT quote (override: prices.yaml)")


def test_a_partner_priced_twice_at_different_rates_is_refused(catalogs):
    with_price = {**PARTNER, "ground_segment.partner": {"name": "ksat_lite", "price_per_minute_usd": 3.5}}
    with pytest.raises(PriceError) as refused:
        estimate(arith_spec(**with_price), _azure_partner_price(catalogs, 12))
    assert refused.value.lines == [
        "the partner network is priced twice (ground_segment.partner.price_per_minute_usd = 3.5, "
        "--prices: azure.partner_minute = 12): both clouds use one network, so give one price"
    ]
    same = estimate(arith_spec(**with_price), _azure_partner_price(catalogs, 3.5))  # the same price twice: fine
    assert [x.cost for c in CLOUDS for x in same.clouds[c].lines if x.layer == "ground"] == pytest.approx(
        [912.5 * 3.5] * 2
    )


def test_two_prices_that_differ_in_the_seventh_decimal_are_shown_as_they_differ(catalogs):
    overrides = OverrideFile(
        aws={"partner_minute": Override(price=12.0000001, source="KSAT A", date="2026-10-02")},
        azure={"partner_minute": Override(price=12.0000002, source="KSAT B", date="2026-10-03")},
    )
    chosen = {cloud: apply_overrides(c, overrides, "prices.yaml") for cloud, c in catalogs.items()}
    with pytest.raises(PriceError) as refused:
        estimate(arith_spec(**PARTNER), chosen)
    assert "(--prices: aws.partner_minute = 12.0000001, --prices: azure.partner_minute = 12.0000002)" in str(
        refused.value
    )


def test_one_price_given_for_each_cloud_keeps_each_clouds_own_citation(catalogs):
    overrides = OverrideFile(
        aws={"partner_minute": Override(price=12, source="KSAT A", date="2026-10-02")},
        azure={"partner_minute": Override(price=12.0, source="KSAT B", date="2026-10-03")},
    )
    chosen = {cloud: apply_overrides(c, overrides, "prices.yaml") for cloud, c in catalogs.items()}
    est = estimate(arith_spec(**PARTNER), chosen)
    sources = {c: next(x for x in est.clouds[c].lines if x.layer == "ground").entry.source for c in CLOUDS}
    assert sources == {"aws": "KSAT A (override: prices.yaml)", "azure": "KSAT B (override: prices.yaml)"}


def test_with_aws_ground_station_an_aws_partner_price_prices_azures_partner_minutes(catalogs):
    """One network: Azure's ground segment and AWS's partner alternative. Given for AWS alone, it
    was read by that alternative only, and Azure's minutes stayed unknown beside it."""
    overrides = OverrideFile(aws={"partner_minute": Override(price=9, source="KSAT A", date="2026-10-02")})
    chosen = {cloud: apply_overrides(c, overrides, "prices.yaml") for cloud, c in catalogs.items()}
    (azure_ground,) = [x for x in estimate(arith_spec(), chosen).clouds["azure"].lines if x.layer == "ground"]
    assert azure_ground.cost == pytest.approx(912.5 * 9)  # the spec's 912.5 minutes a month, at $9
    assert azure_ground.entry.source == "KSAT A (override: prices.yaml)"


def test_overrides_fill_unknowns_and_switch_to_reserved_minutes(catalogs):
    overrides = OverrideFile(
        aws={"ground_station_reserved_narrowband_minute": Override(price=3, source="contract 42", date="2026-10-01")},
        azure={"partner_minute": Override(price=12, source="KSAT quote", date="2026-10-02")},
    )
    chosen = {cloud: apply_overrides(c, overrides, "prices.yaml") for cloud, c in catalogs.items()}
    est = estimate(arith_spec(), chosen)
    (aws_ground,) = [x for x in est.clouds["aws"].lines if x.layer == "ground"]
    (azure_ground,) = [x for x in est.clouds["azure"].lines if x.layer == "ground"]
    assert aws_ground.cost == pytest.approx(912.5 * 3) and "reserved" in aws_ground.item
    assert azure_ground.cost == pytest.approx(912.5 * 12)
    assert azure_ground.entry.source == "KSAT quote (override: prices.yaml)" and azure_ground.entry.date == "2026-10-02"


def test_object_size_assumption_changes_request_counts(catalogs):
    usage = estimate(arith_spec(), catalogs, Assumptions(object_size_mb=100)).usage
    # raw files follow the 30 s cadence, not the object size: 19 raw + ceil(285 x (1 + 114/1024) /
    # 100) = ceil(3.17) = 4 frame stream objects + the frame index and the contact summary
    assert usage.objects_written == pytest.approx((19 + 4 + 2) * 91.25)


def test_counts_come_from_the_plan_when_it_has_them(catalogs, aws_noaa20):
    bp = build_blueprint(spec_from_data(spec_data("noaa20.yaml")))
    assert len(aws_noaa20.of_type("aws:kms/key:Key")) == 1  # one mission key (README)
    with_plan = lines(estimate(bp, catalogs, plans={"aws": aws_noaa20}).clouds["aws"])
    assert with_plan["KMS keys"].quantity == 1
    assert with_plan["KMS keys"].basis == "1 in the plan"
    without = lines(estimate(bp, catalogs).clouds["aws"])
    assert without["KMS keys"].basis == "1 assumed (none in the plan)"


def test_projection_accumulates_storage_until_retention(catalogs):
    aws = estimate(arith_spec(), catalogs).clouds["aws"]
    storage = [sum(x.cost for x in month if x.tier) for month in aws.projection]
    assert len(storage) == 12
    assert all(a < b for a, b in itertools.pairwise(storage))  # raw expires after 365 days, not within the year
    # month 1: hot holds r*t for t<30 then 30r; cool starts filling at day 30 (hand integral over [0, 365/12]),
    # r the GB landed a day with the captures' headers: (1.71 + 0.855) x (1 + 114/1024) = 2.8506
    r = (1.71 + 0.855) * HEADERS
    hot = r * (30**2 / 2 + 30 * (DAYS - 30)) / DAYS
    cool = r * ((DAYS - 30) ** 2 / 2) / DAYS
    # and the objects reaching day 30 in it move to Standard-IA: 1,825 a month land, 60 a day, of
    # which those of days 0 to 365/12 - 30 are 30 days old within month 1, at $0.01 per 1,000
    moved = 60 * (DAYS - 30) * 0.01 / 1000
    assert storage[0] == pytest.approx((hot * 0.023 + cool * 0.0125) * GIB + moved)
    non_storage = [sum(x.cost for x in month if not x.tier and x.cost is not None) for month in aws.projection]
    assert len({round(v, 9) for v in non_storage}) == 1


# -- the storage schedule on its own -------------------------------------------


def test_spans_follow_the_tier_schedule_and_stop_at_expiry():
    assert spans(((30, "cool"), (180, "archive")), 365) == [
        Span("hot", 0, 30),
        Span("cool", 30, 180),
        Span("archive", 180, 365),
    ]
    assert spans(((30, "cool"), (180, "archive")), 100) == [Span("hot", 0, 30), Span("cool", 30, 100)]


def test_stock_and_monthly_average_by_hand():
    hot = Span("hot", 0, 30)
    assert stock(2, hot, 10) == 20 and stock(2, hot, 40) == 60
    assert average_stock(2, hot, 0, 30) == pytest.approx(30)  # grows 0 -> 60 linearly
    assert average_stock(2, hot, 20, 40) == pytest.approx(55)  # 40 -> 60 for 10 days, then 60 for 10
    assert steady_state(2, hot) == 60
    cool = Span("cool", 30, 180)
    assert average_stock(2, cool, 0, 30) == 0
    assert average_stock(2, cool, 200, 230) == pytest.approx(300)  # full: 150 days x 2 GB


def test_azure_alert_rules_are_counted_from_the_plan(catalogs, azure_noaa20):
    """azure-native 3.x emits metric alerts as monitor:MetricAlert; the count must come from the plan."""
    bp = build_blueprint(spec_from_data(spec_data("noaa20.yaml")))
    alerts = azure_noaa20.of_type("azure-native:monitor:MetricAlert")
    assert alerts, "the Azure stack should plan at least one metric alert"
    line = lines(estimate(bp, catalogs, plans={"azure": azure_noaa20}).clouds["azure"])["Azure Monitor alert rules"]
    assert line.quantity == len(alerts) and line.basis == f"{len(alerts)} in the plan"


def test_band_boundary_is_40_mhz_and_each_satellite_is_priced_on_its_own_band(catalogs):
    at_limit = arith_spec(**{"satellites.0.downlinks.0.bandwidth_mhz": 40})
    (ground,) = [x for x in estimate(at_limit, catalogs).clouds["aws"].lines if x.layer == "ground"]
    assert ground.price_id == "ground_station_narrowband_minute"  # narrowband is <= 40 MHz
    data = spec_data("noaa20.yaml")
    narrow = data["satellites"][0]
    wide = {
        **{k: v for k, v in narrow.items() if k != "tle"},
        "name": "wide",
        "norad_id": 37849,
        "downlinks": [{**narrow["downlinks"][0], "bandwidth_mhz": 40.5}],
    }
    data["satellites"] = [narrow, wide]
    aws = estimate(build_blueprint(spec_from_data(data)), catalogs).clouds["aws"]
    ground = {x.price_id: x for x in aws.lines if x.layer == "ground"}
    per_satellite = 4 * DAYS * 10  # 4 contacts/day x 10 min, each satellite
    assert ground["ground_station_narrowband_minute"].cost == pytest.approx(per_satellite * 10)
    assert ground["ground_station_wideband_minute"].cost == pytest.approx(per_satellite * 22)


def test_partner_live_delivery_streams_are_priced_from_the_plans(catalogs, tmp_path):
    """The stream a partner writes into is billed on the ground layer, apart from the
    telemetry stream (both are Kinesis streams / Event Hubs namespaces in the plans)."""
    data = spec_data("partner.yaml")
    data["delivery"] = {"object_store": True, "stream": True}
    data["analytics"]["telemetry_stream"] = False  # Azure then needs a namespace of its own
    blueprint = build_blueprint(spec_from_data(data))
    plans = {cloud: plan_of(data, cloud) for cloud in CLOUDS}
    result = estimate(blueprint, catalogs, plans=plans)
    aws, azure = lines(result.clouds["aws"], "ground"), lines(result.clouds["azure"], "ground")
    assert aws["Kinesis on-demand stream (partner live delivery)"].cost == pytest.approx(730 * 0.04)
    # the stream carries the bits: 15 Mbit/s x 540 s / 8 / 1000 x 6 contacts/day x 365/12 days = 184.78125 GB
    # (the raw store's captures, with their per-datagram headers, are 1 + 114/1024 times that)
    assert aws["Kinesis on-demand data in (partner live delivery)"].quantity == pytest.approx(184.78125)
    assert result.usage.raw_gb == pytest.approx(184.78125 * HEADERS)
    assert aws["Kinesis on-demand data in (partner live delivery)"].cost == pytest.approx(184.78125 * 0.08)
    # the 15 Mbit/s downlink streams 1,875 KB/s: 2 throughput units all month
    assert azure["Event Hubs Standard throughput units (partner live delivery)"].cost == pytest.approx(2 * 730 * 0.03)
    # no telemetry stream in the spec: no telemetry lines priced from the partner's stream
    assert not [
        x
        for x in result.clouds["aws"].lines
        if x.item.startswith("Kinesis on-demand stream") and x.layer == "analytics"
    ]
    without = estimate(blueprint, catalogs, plans={})
    assert "Kinesis on-demand stream (partner live delivery)" not in lines(without.clouds["aws"], "ground")


@pytest.mark.parametrize("object_store", [True, False])
def test_the_partner_stream_bills_the_data_streamed_whether_or_not_it_also_lands(catalogs, object_store):
    """With `delivery.object_store: false` the raw store gets nothing, and the stream's data-in
    line billed 0 GB though the partner streams every contact (Azure's namespace was still sized
    for it)."""
    data = spec_data("partner.yaml")
    data["delivery"] = {"object_store": object_store, "stream": True}
    data["analytics"]["telemetry_stream"] = False
    data["processing"]["enabled"] = object_store  # the processor reads the raw store
    blueprint = build_blueprint(spec_from_data(data))
    result = estimate(blueprint, catalogs, plans={cloud: plan_of(data, cloud) for cloud in CLOUDS})
    # 15 Mbit/s x 9 min (540 s) / 8 / 1000 = 1.0125 GB a contact, x 6 contacts/day x 365/12 days
    # = 184.78 GB: a stream carries the data, not the capture files' per-datagram headers (the raw
    # store's captures are 1 + 114/1024 times that)
    streamed = 15 * 540 / 8 / 1000 * 6 * 365 / 12
    data_in = lines(result.clouds["aws"], "ground")["Kinesis on-demand data in (partner live delivery)"]
    assert data_in.quantity == pytest.approx(streamed) and data_in.cost == pytest.approx(streamed * 0.08)


def _two_satellites(second_downlinks: int, second_bandwidth_mhz: float):
    """noaa20 (one 30 MHz downlink: narrowband) and a second satellite of `second_downlinks`
    downlinks of `second_bandwidth_mhz`, 3 contacts a day of 9.5 minutes each."""
    data = spec_data("noaa20.yaml")
    first = data["satellites"][0]
    first["downlinks"][0].update(data_rate_mbps=8, bandwidth_mhz=30)
    second = {**first, "name": "second", "norad_id": 54234, "tle": None}
    second["downlinks"] = [
        {**first["downlinks"][0], "name": f"link{i}", "bandwidth_mhz": second_bandwidth_mhz}
        for i in range(second_downlinks)
    ]
    data["satellites"].append({k: v for k, v in second.items() if v is not None})
    data["ground_segment"].update(contacts_per_day=3, contact_minutes=9.5)
    return build_blueprint(spec_from_data(data))


def test_each_bands_minutes_line_counts_the_contacts_of_its_own_satellites(catalogs):
    """Each satellite has 3 x 365/12 = 91.25 contacts a month: the narrowband line counts the
    first satellite's, the wideband line the second's (each said 182.5, both satellites)."""
    aws = estimate(_two_satellites(1, 50), catalogs).clouds["aws"]
    ground = {x.price_id: x for x in aws.lines if x.layer == "ground"}
    narrow, wide = ground["ground_station_narrowband_minute"], ground["ground_station_wideband_minute"]
    # 91.25 rounds half up, as the report's tables round it (Python's "{:.1f}" gave 91.2)
    assert (narrow.quantity, narrow.basis) == (pytest.approx(912.5), "91.3 contacts x 10 min")
    assert (wide.quantity, wide.basis) == (pytest.approx(912.5), "91.3 contacts x 10 min")


def test_raw_files_per_contact_are_counted_per_satellite(catalogs):
    """One file per downlink every 30 s: a 9.5-minute contact is 19 per downlink, so 19 for the
    one-downlink satellite and 38 for the two-downlink one (it said 57, every downlink of both)."""
    usage_text = " ".join(estimate(_two_satellites(2, 30), catalogs).usage.assumptions)
    assert "19-38 (by satellite) raw files per contact;" in usage_text
    single = " ".join(estimate(arith_spec(), catalogs).usage.assumptions)
    assert "19 raw files per contact;" in single


def test_premium_event_hubs_bill_processing_units_a_month_with_ingress_and_capture_included(catalogs):
    """A mission key on the telemetry stream takes Event Hubs Premium: its processing units are
    billed every hour of the month, and the line says that ingress and Capture come with them
    (Standard bills them apart), and where the unit count comes from."""
    blueprint = arith_spec(**{"security.premium_messaging": True})
    premium = lines(estimate(blueprint, catalogs).clouds["azure"], "analytics")
    line = premium["Event Hubs Premium processing units (mission key)"]
    assert line.quantity == 730 and line.price_id == "event_hubs_premium_pu_hour"
    assert line.basis == "1 unit assumed (none in the plan) x 730 h; ingress and Capture included"
    assert "Event Hubs Standard throughput units" not in premium


def test_a_digif_downlink_s_own_stream_rate_replaces_the_measured_one(catalogs):
    """digif_mbps, as onboarding gives it: 600 Mbit/s x 570 s / 8 = 42.75 GB a contact, not the
    bandwidth at the one measured rate (43.1 x 570 / 630 = 38.99 GB)."""
    link = {
        "name": "hrd",
        "center_frequency_mhz": 7812,
        "bandwidth_mhz": 30,
        "delivery": "digif",
        "data_rate_mbps": 8,
        "digif_mbps": 600,
    }
    usage = estimate(arith_spec(**{"satellites.0.downlinks.0": link, "processing.enabled": False}), catalogs).usage
    assert usage.links[0].gb_per_contact == pytest.approx(42.75)
    assert usage.raw_gb == pytest.approx(42.75 * 91.25)


def test_digif_mbps_belongs_to_digif_downlinks_only():
    from groundlink.spec import SpecError

    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"][0]["digif_mbps"] = 600
    with pytest.raises(SpecError) as refused:
        spec_from_data(data)
    assert refused.value.lines == ["<spec>: satellites[0].downlinks[0].digif_mbps: only applies to delivery: digif"]


@pytest.mark.parametrize("object_store, events", [(True, 3 * DAYS), (False, 0.0)])
def test_a_partner_that_only_streams_sends_no_contact_event_on_either_cloud(catalogs, object_store, events):
    """AWS's rule and Azure's subscription both fire on the manifest a partner writes last into
    the raw store, one per contact: a partner that delivers no objects writes none."""
    data = spec_data("partner.yaml")
    data["delivery"] = {"object_store": object_store, "stream": True}
    data["ground_segment"]["contacts_per_day"] = 3
    data["processing"] = {"enabled": False}
    clouds = estimate(build_blueprint(spec_from_data(data)), catalogs).clouds
    aws, azure = lines(clouds["aws"]), lines(clouds["azure"])
    assert aws["EventBridge events (S3 Object Created: the partner's manifest)"].quantity == pytest.approx(events)
    assert aws["SQS requests"].quantity == pytest.approx(3 * events)
    # Event Grid delivers every blob's event to the system topic: none where no blob is written
    assert (azure["Event Grid operations"].quantity > 0) is object_store
    # and the words say what the figures say
    basis = aws["EventBridge events (S3 Object Created: the partner's manifest)"].basis
    said = " ".join(estimate(build_blueprint(spec_from_data(data)), catalogs).usage.assumptions)
    if object_store:
        assert basis.startswith("one per contact") and "writes one manifest per contact" in said
    else:
        assert basis == "none: the partner delivers no objects (delivery.object_store: false), so no manifest lands"
        assert "writes one manifest per contact" not in said and "EventBridge fires once per contact" not in said
        assert "on AWS, no contact event fires (the partner delivers no objects, so no manifest lands)" in said
    assert azure["Service Bus operations"].quantity == pytest.approx(3 * events)


def test_a_count_that_leaves_some_of_the_plan_out_says_the_plan_s_whole_count_and_why(catalogs):
    """With storage.redundancy: geo the replica key and the replication failure alarms are S3
    replication lines: the keys and alarms lines said "1 in the plan" and "4 in the plan" beside
    a plan of 2 keys and 6 alarms."""
    geo = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-1"}
    plan = variant_plan("aws", geo)
    keys, alarms = plan.of_type("aws:kms/key:Key"), plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert (len(keys), len(alarms)) == (2, 6)
    bp = build_blueprint(spec_from_data(with_changes(spec_data("noaa20.yaml"), geo)))
    found = lines(estimate(bp, catalogs, plans={"aws": plan}).clouds["aws"])
    assert (found["KMS keys"].quantity, found["KMS keys"].basis) == (
        1,
        "1 of the plan's 2: the replica region's key is an S3 replication line",
    )
    assert (found["CloudWatch alarms"].quantity, found["CloudWatch alarms"].basis) == (
        4,
        "4 of the plan's 6: the replication failure alarms are S3 replication lines",
    )
