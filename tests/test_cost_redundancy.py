"""What storage redundancy, HSM keys and messaging encryption cost, against hand-computed figures.

The case is test_cost's reference mission (0.57 GB of bits a contact, captured with 114 bytes of
headers a 1,024-byte datagram: x (1 + 114/1024) = x 1.111328125, H below; 3 contacts a day: raw
lands 1.71 x H GB/day for 365 days, products 0.855 x H GB/day for 730 days) tiered hot -> cool
after 30 days:

    hot  = (30 x 1.71 + 30 x 0.855) x H   =    76.95 x H =    85.51669921875 GB
    cool = (335 x 1.71 + 700 x 0.855) x H = 1,171.35 x H = 1,301.75419921875 GB

Each capacity cost below is the bits' figure x H: 76.95 x 0.026 = 2.0007, x H = 2.2234341796875.

The ZRS, GZRS, RA-GZRS and Premium figures below are illustrative inputs supplied as overrides,
so the figures here stay fixed whatever the catalog holds; the geo-replication transfer is the
catalog's $0.02 per GB.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Override, OverrideFile, apply_overrides
from groundlink.report.document import cost_json

from .conftest import variant_plan
from .test_cost import arith_spec

HOT_GB, COOL_GB = 85.51669921875, 1301.75419921875
GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in
SUPPLIED = {
    "blob_hot_zrs_gb_month": 0.026,
    "blob_cool_zrs_gb_month": 0.019,
    "blob_hot_gzrs_gb_month": 0.0468,
    "blob_cool_gzrs_gb_month": 0.0342,
    "blob_hot_ragzrs_gb_month": 0.0598,
    "blob_cool_ragzrs_gb_month": 0.0437,
    "service_bus_premium_mu_hour": 0.9,
    "event_hubs_premium_pu_hour": 1.5,
}
ONLY_COOL = {"storage.tiering": [{"after_days": 30, "tier": "cool"}]}
GEO = {**ONLY_COOL, "storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}


@pytest.fixture(scope="module")
def catalogs():
    real = load_catalogs()[0]
    given = {p: Override(price=v, source="illustrative test input", date="2026-12-01") for p, v in SUPPLIED.items()}
    return {**real, "azure": apply_overrides(real["azure"], OverrideFile(azure=given))}


KEPT = ": deleted data kept"


def _storage(cost):
    """Each tier's capacity line in decimal GB (the lines bill binary GB: x GIB); the deleted data
    kept, which shares its price id, is `_kept`'s."""
    return {
        x.price_id: (x.quantity / GIB, x.cost / GIB)
        for x in cost.lines
        if x.price_id.endswith("_gb_month") and not x.item.endswith(KEPT)
    }


def _kept(cost):
    return {x.price_id: (x.quantity / GIB, x.cost / GIB) for x in cost.lines if x.item.endswith(KEPT)}


def test_each_redundancy_prices_blob_capacity_at_its_own_tier_prices(catalogs):
    zone = estimate(arith_spec(**ONLY_COOL), catalogs)
    geo = estimate(arith_spec(**GEO), catalogs)
    readable = estimate(arith_spec(**GEO, **{"storage.geo_read_access": True}), catalogs)

    assert _storage(zone.clouds["azure"]) == {
        "blob_hot_zrs_gb_month": pytest.approx((HOT_GB, 2.2234341796875)),  # 76.95 x 0.026 x H
        "blob_cool_zrs_gb_month": pytest.approx((COOL_GB, 24.73332978515625)),  # 1,171.35 x 0.019 x H
    }
    assert _storage(geo.clouds["azure"]) == {
        "blob_hot_gzrs_gb_month": pytest.approx((HOT_GB, 4.0021815234375)),  # 76.95 x 0.0468 x H
        "blob_cool_gzrs_gb_month": pytest.approx((COOL_GB, 44.51999361328125)),  # 1,171.35 x 0.0342 x H
    }
    assert _storage(readable.clouds["azure"]) == {
        "blob_hot_ragzrs_gb_month": pytest.approx((HOT_GB, 5.11389861328125)),  # 76.95 x 0.0598 x H
        "blob_cool_ragzrs_gb_month": pytest.approx((COOL_GB, 56.886658505859375)),  # 1,171.35 x 0.0437 x H
    }
    # the same GB at the catalog's LRS prices, which the default account no longer is:
    # (76.95 x 0.0208 + 1,171.35 x 0.0152) x H = (1.60056 + 17.80452) x H = 19.40508 x H = 21.565411171875
    # soft-deleted blobs kept 30 days in Cool: (1.71 + 0.855) x H GB/day x 30 = 85.51669921875 GB at
    # each account's Cool price: x 0.019, 0.0342, 0.0437
    assert _kept(zone.clouds["azure"]) == {"blob_cool_zrs_gb_month": pytest.approx((85.51669921875, 1.62481728515625))}
    assert _kept(geo.clouds["azure"]) == {"blob_cool_gzrs_gb_month": pytest.approx((85.51669921875, 2.92467111328125))}
    assert _kept(readable.clouds["azure"]) == {
        "blob_cool_ragzrs_gb_month": pytest.approx((85.51669921875, 3.737079755859375))
    }
    zrs_total = sum(cost for _, cost in _storage(zone.clouds["azure"]).values())
    # 24.25635 x H = 2.2234341796875 + 24.73332978515625
    assert zrs_total == pytest.approx(26.95676396484375) and zrs_total != pytest.approx(21.565411171875)
    assert {x.item for x in zone.clouds["azure"].lines if x.tier} == {
        "Blob Hot storage (ZRS)",
        "Blob Cool storage (ZRS)",
        "Blob Cool storage (ZRS): deleted data kept",
        # every blob moved to Cool at day 30: 19 raw files, a manifest, a frame stream, the frame
        # index and the contact summary, 23 x 91.25 = 2,098.75 a month
        "Blob tier changes to Cool (ZRS)",
    }


def test_aws_geo_prices_the_replica_and_the_replication_itself(catalogs):
    zone = estimate(arith_spec(**ONLY_COOL), catalogs)
    geo = estimate(arith_spec(**GEO), catalogs)
    added = {x.item: (x.quantity, x.cost) for x in geo.clouds["aws"].lines if x.item.startswith("S3 replication")}
    assert added == {
        # the replica buckets hold the same GB per tier: 85.51669921875 x 0.023 = 1.76985 x H and
        # 1,301.75419921875 x 0.0125 = 14.641875 x H, in binary GB
        "S3 replication: replica S3 Standard storage (us-east-2)": pytest.approx(
            (HOT_GB * GIB, 1.96688408203125 * GIB)
        ),
        "S3 replication: replica S3 Standard-IA storage (us-east-2)": pytest.approx(
            (COOL_GB * GIB, 16.271927490234375 * GIB)
        ),
        # and keep their noncurrent versions 30 days too: 85.51669921875 GB x 0.0125 = 0.961875 x H
        "S3 replication: replica S3 Standard-IA storage (us-east-2): deleted data kept": pytest.approx(
            (85.51669921875 * GIB, 1.068958740234375 * GIB)
        ),
        # 23 objects a contact (19 raw files and the empty guiding .pcap, a frame stream, the frame
        # index, the contact summary) x 91.25 contacts = 2,098.75 written again there, at $0.005
        # per 1,000
        "S3 replication: PUT requests (us-east-2)": pytest.approx((2098.75, 0.01049375)),
        # (52.0125 GB raw + 26.00625 GB products) x H = 86.70443115234375 GB landed a month cross
        # once, at $0.02 per GB
        "S3 replication: inter-region transfer (to us-east-2)": pytest.approx((86.70443115234375, 1.734088623046875)),
        "S3 replication: KMS replica key": pytest.approx((1, 1.0)),
        # a Decrypt and an Encrypt per object: 4,197.5, inside the 20,000 free KMS requests a month
        # less the 2,098.75 of the KMS requests line (17,901.25 left), so $0
        "S3 replication: KMS requests": pytest.approx((4197.5, 0.0)),
        # replication metrics on each rule (raw, products): 4 metrics each, 8 x $0.30, and an alarm
        # on each rule's failures, 2 x $0.10
        "S3 replication: replication metrics": pytest.approx((8, 2.4)),
        "S3 replication: failure alarms": pytest.approx((2, 0.2)),
        # the replicas age alike: 20 objects a contact of 128 KB or more (the raw files and the frame
        # stream) x 91.25 = 1,825 moved to Standard-IA a month, at $0.01 per 1,000
        "S3 replication: replica S3 lifecycle transitions into S3 Standard-IA (us-east-2)": pytest.approx(
            (1825, 0.01825)
        ),
    }
    # everything else is the zone mission's
    assert [x.item for x in geo.clouds["aws"].lines if x.item not in added] == [
        x.item for x in zone.clouds["aws"].lines
    ]
    choice = cost_json(geo, 1000, arith_spec(**GEO).spec)["clouds"]["aws"]["choices"]["storageRedundancy"]
    assert choice["value"] == "S3 Standard (3 zones), replicated to us-east-2"
    # 2 x (1.96688408203125 + 16.271927490234375 + 1.068958740234375 kept) = 34.7472 x H =
    # 38.615540625 of capacity (in binary GB: 35.9634), + 0.01049375 + 1.734088623046875 + 1.0 + 0
    # + 2.4 (the replication metrics) + 0.2 (their alarms), + 2 x 0.01825 for the transitions to
    # Standard-IA in each bucket set
    known = 38.615540625 * GIB + 0.01049375 + 1.734088623046875 + 1.0 + 2.4 + 0.2 + 2 * 0.01825
    assert choice["monthly"] == {"known": pytest.approx(known), "complete": True, "unknown": []}
    # the replica key is the storage choice's: the HSM keys choice still counts the mission key alone
    hsm = cost_json(geo, 1000, arith_spec(**GEO).spec)["clouds"]["aws"]["choices"]["hsmKeys"]
    assert hsm["monthly"]["known"] == pytest.approx(1.0)


def test_azure_geo_adds_the_paired_region_copy_at_the_geo_replication_rate(catalogs):
    zone = estimate(arith_spec(**ONLY_COOL), catalogs).clouds["azure"]
    geo = estimate(arith_spec(**GEO), catalogs).clouds["azure"]
    [copied] = [x for x in geo.lines if x.price_id == "blob_geo_replication_gb"]
    # (52.0125 GB raw + 26.00625 GB products) x H = 86.70443115234375 GB landed a month, each
    # copied once, at $0.02 per GB
    assert (copied.item, copied.quantity, copied.cost) == (
        "Geo-replication data transfer (GZRS)",
        pytest.approx(86.70443115234375),
        pytest.approx(1.734088623046875),
    )
    assert not [x for x in zone.lines if x.price_id == "blob_geo_replication_gb"]
    choice = cost_json(estimate(arith_spec(**GEO), catalogs), 1000, arith_spec(**GEO).spec)["clouds"]["azure"]
    monthly = choice["choices"]["storageRedundancy"]["monthly"]
    # GZRS capacity (3.60126 + 40.06017 + 2.63169 soft-deleted) x H = 46.29312 x H = 51.44684625,
    # plus the transfer 1.734088623046875, plus the GZRS writes, one per 4 MiB of each object:
    # (20,987.5 + 91.25 manifests) x $0.1528 per 10,000 = 0.3220833 (test_cost_filled_prices.py
    # counts them), plus the 2,098.75 blobs a month moved to Cool, a Cool GZRS write each: x $0.26
    # per 10,000 = 0.0545675
    known = 51.44684625 * GIB + 1.734088623046875 + 0.3220833 + 0.0545675
    assert monthly == {"known": pytest.approx(known), "complete": True, "unknown": []}


def test_premium_messaging_replaces_standard_lines_with_unit_hours(catalogs):
    spec = arith_spec(**{"security.premium_messaging": True})
    plan = variant_plan("azure", {"security.premium_messaging": True})
    for plans in (None, {"azure": plan}):
        lines = {x.item: (x.quantity, x.cost) for x in estimate(spec, catalogs, plans=plans).clouds["azure"].lines}
        assert lines["Service Bus Premium messaging units (mission key)"] == pytest.approx((730, 657))  # 730 h x 0.9
        assert lines["Event Hubs Premium processing units (mission key)"] == pytest.approx((730, 1095))  # x 1.5
        standard = [item for item in lines if "Standard" in item or "Capture" in item or "operations" in item]
        assert standard == [
            "Blob write operations (ZRS)",
            "Key Vault operations (RSA 3072-bit key)",
            "Event Grid operations",
        ]


def test_compare_json_states_each_choice_and_its_monthly_cost(catalogs):
    spec = arith_spec(**ONLY_COOL, **{"security.premium_messaging": True})
    doc = cost_json(estimate(spec, catalogs), 1000, spec.spec)
    azure, aws = doc["clouds"]["azure"]["choices"], doc["clouds"]["aws"]["choices"]
    assert azure["storageRedundancy"]["value"] == "ZRS"
    # ZRS capacity 26.95676396484375 (24.25635 x H) + 21,078.75 write operations (one per 4 MiB of
    # each object, one per manifest: test_cost_filled_prices.py) x $0.0878 per 10,000, and the
    # 85.51669921875 GB soft-deleted, x 0.019 = 1.62481728515625
    zrs = (26.95676396484375 + 1.62481728515625) * GIB + 21078.75 * 0.0878 / 10_000
    zrs += 2098.75 * 0.13 / 10_000  # the 2,098.75 blobs a month moved to Cool, a Cool ZRS write each
    assert azure["storageRedundancy"]["monthly"] == {"known": pytest.approx(zrs), "complete": True, "unknown": []}
    assert azure["hsmKeys"]["value"] is True
    # one HSM key (no plan: the 3,072-bit mission key assumed) x $5 a month
    assert azure["hsmKeys"]["monthly"]["known"] == pytest.approx(5.0)
    assert azure["messagingEncryption"]["value"] == "mission key"
    assert azure["messagingEncryption"]["monthly"]["known"] == pytest.approx(1752)  # 657 + 1,095
    assert aws["storageRedundancy"]["value"] == "S3 Standard (3 zones)"
    # (1.76985 + 14.641875 + the noncurrent versions kept, 76.95 GB x 0.0125 = 0.961875) x H =
    # 17.3736 x H = 19.3077703125, in binary GB, and the 1,825 transitions to Standard-IA a month at
    # $0.01 per 1,000
    assert aws["storageRedundancy"]["monthly"]["known"] == pytest.approx(19.3077703125 * GIB + 0.01825)
    assert aws["hsmKeys"]["value"] is True and aws["hsmKeys"]["monthly"]["known"] == pytest.approx(1.0)  # $1 KMS key
    assert aws["messagingEncryption"]["value"] == "mission key"


def test_software_keys_cost_nothing_and_standard_messaging_its_tier_lines(catalogs):
    spec = arith_spec(**{"security.hsm_keys": False})
    azure = cost_json(estimate(spec, catalogs), 1000, spec.spec)["clouds"]["azure"]["choices"]
    assert azure["hsmKeys"]["value"] is False and azure["hsmKeys"]["monthly"]["known"] == 0
    assert azure["messagingEncryption"]["value"] == "service-managed"
    # the Standard tier's lines: 730 h x $0.0135 base + 730 TU-h x $0.03 + 730 Capture TU-h x $0.10
    assert azure["messagingEncryption"]["monthly"] == {
        "known": pytest.approx(9.855 + 21.9 + 73.0),
        "complete": True,
        "unknown": [],
    }


def test_a_partner_stream_only_mission_replicates_its_landing_zone_and_is_billed_for_both_rules(catalogs):
    """With a partner the AWS stack keeps a raw store (the landing zone) whatever delivery.object_store
    says, and replicates it beside the products: two rules, 8 metrics and 2 alarms, where the model
    counted one rule for want of object_store."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    data = with_changes(
        spec_data("partner.yaml"),
        {
            "storage.redundancy": "geo",
            "clouds.aws.replica_region": "eu-west-1",
            "delivery.object_store": False,
            "delivery.stream": True,
            "processing.enabled": False,
        },
    )
    lines = {x.item: x.quantity for x in estimate(build_blueprint(spec_from_data(data)), catalogs).clouds["aws"].lines}
    assert lines["S3 replication: replication metrics"] == 8
    assert lines["S3 replication: failure alarms"] == 2
