"""A worked example of the cost model, every line type on both clouds, computed by hand.

The catalog here is made up (round prices, all known, `per` 1) so that each figure
below is a product of two numbers written in the test: no expectation is rebuilt
with the model's own formulas. The real catalogs are tested in test_cost.py.

The mission (two satellites, one downlink each):

- alpha: 30 MHz (narrowband), 8 Mbps; beta: 50 MHz (wideband), 8 Mbps.
- 1.2 contacts/day per satellite: 1.2 x 365/12 = 36.5 contacts/month each, 73 in all.
- 9.5-minute contacts: billed 10 minutes each; 570 seconds each.
- Data per contact per link: 8 Mbps x 570 s / 8 / 1000 = 0.57 GB of bits, captured in datagrams
  of 1,024 bytes of payload (the default processing.capture.datagram_payload_bytes), each with
  114 bytes of headers beside it: 0.57 x (1 + 114/1024) = 0.57 x 1.111328125 = 0.63345703125 GB
  = 633.457 MB landed (H = 1.111328125 below, HEADERS in the code).
- Raw files: the ground segment writes one file per link every 30 s of contact:
  ceil(570/30) = 19 per link, 2 links = 38 per pass x 36.5 = 1,387 raw files/month, each of
  30 MB x H = 33.33984375 MB.
- Product objects as the processor writes them (assumptions.object_size_mb unset): a frame stream
  of 0.5 x 633.457 = 316.729 MB (products_ratio 0.5), 1 per link per pass, plus the contact's frame index
  and contact summary: 3 per pass, 3 x 73 = 219/month. Objects written: 1,387 + 219 = 1,606.
- Azure's ADLS Gen2 account bills one write per 4 MiB (4,194,304 bytes) of each object, at least
  one: a raw file of 33,339,843.75 bytes is ceil(33,339,843.75 / 4,194,304) = ceil(7.95) = 8
  writes, a frame stream of 316,728,515.625 bytes ceil(316,728,515.625 / 4,194,304) =
  ceil(75.51) = 76, the index and the summary 1 each: 19 x 8 + 76 + 2 = 230 per pass, x 73 =
  16,790/month, + 73 manifests (1 each) = 16,863.
- S3 PUT requests: one per raw file (19 per pass), the processor's multipart upload of each
  316,728,515.625-byte frame stream in 8 MiB (8,388,608-byte) parts, ceil(316,728,515.625 /
  8,388,608) = ceil(37.76) = 38 parts plus its create and complete requests: 40, and one each for
  the index, the summary and AWS Ground Station's empty guiding .pcap: 62 per pass, x 73 =
  4,526/month (and 1,606 + 73 = 1,679 objects).
- Contact events: one per contact of each satellite = 36.5 x 2 = 73/month.
- Processing: 46.24236328125 GB / 73 contacts = 633.457 MB per contact; at the committed bench
  figure of 1,381.788306 MB/s on one core that is 0.45843 s, billed to the millisecond: 0.459 s.
  The 2,048 MB function has more than Lambda's one vCPU (1,769 MB): 2 GB x 0.459 s x 73 = 67.014
  GB-s. The 2,048 MB Flex instance has 1 core, and Flex bills at least 1 s a run: 2 GB x 1 s x
  73 = 146 GB-s. One invocation per queue message: 73 SQS messages (contact events) on AWS,
  73 Service Bus messages (contact manifests: the subscription passes no data blob) on Azure.
- Manifests: AWS Ground Station writes none; on Azure a partner network lands the contacts and
  writes one manifest per contact into the raw store: 73/month. Azure writes 1,606 + 73 = 1,679
  objects, 1,387 + 73 = 1,460 of them raw blobs, 73 of them manifests.
- Telemetry: 2 KB/s x 570 s x 73 contacts = 83,220 KB = 0.08322 GB/month.
- Raw landed: 2 x 0.63345703125 x 36.5 = 41.61 x H = 46.24236328125 GB/month = 46.24236328125 x
  12 / 365 = 1.368 x H = 1.520296875 GB/day; products half of it, 0.684 x H = 0.7601484375 GB/day.
- Tiers: hot until day 30, cool until 90, cold until 180, archive until expiry
  (raw 365 days, products 730). Steady state GB held = GB/day x days in tier, each the bits'
  figure x H:
  hot  30 x (1.368 + 0.684) = 61.56, x H = 68.413359375
  cool 60 x 2.052 = 123.12, x H = 136.82671875
  cold 90 x 2.052 = 184.68, x H = 205.240078125
  archive 185 x 1.368 + 550 x 0.684 = 253.08 + 376.2 = 629.28, x H = 699.3365625
- Deleted data kept: the lifecycle deletes at expiry, and the cloud keeps what it deleted for
  storage.noncurrent_version_days (30 by default) in the tier it was in: AWS as noncurrent versions,
  Azure as soft-deleted blobs, 30 x (1.368 + 0.684) x H = 68.413359375 GB, in Deep Archive on AWS
  and in Cold on Azure. No tier is left before its minimum storage duration (cool 60 days of 30, cold
  90 of 90, archive 215 of 180 on AWS; cool 60, cold 305 on Azure): no minimum-duration line.
- Both clouds bill capacity in binary GB (2^30 bytes): each GB above is 10^9 / 2^30 = 0.931323
  of a billed GB (GIB below), and so is each capacity line's cost.
- Lifecycle moves: every raw file (33.3 MB) and frame stream (316.7 MB) is 128 KB or more, so S3 moves
  each into Standard-IA, Glacier Flexible Retrieval and Deep Archive (all before expiry): 1,387 +
  73 = 1,460 transition requests a month into each. Azure moves every blob, the 146 frame indexes
  and contact summaries and the 73 manifests too, into Cool and into Cold (its archive step is
  held in Cold: no move): 1,606 + 73 = 1,679 a month into each, a write operation apiece.
- Objects held in the archive classes: 1,387 / T = 45.6 raw and 73 / T = 2.4 product objects land
  a day (T = 365/12 days). Glacier Flexible Retrieval holds 90 days of both: 90 x 48 = 4,320;
  Deep Archive raw for 185 days + 30 kept, 45.6 x 215 = 9,804, and products for 550 + 30, 2.4 x
  580 = 1,392: 11,196. S3 bills 32 KB (of 1,024 bytes, 2^20 in a billed GB) of each at the
  class's rate and 8 KB at Standard's: 4,320 x 32 / 2^20 = 0.1318359 GB, 11,196 x 32 / 2^20 =
  0.3416748 GB, (4,320 + 11,196) x 8 / 2^20 = 15,516 x 8 / 2^20 = 0.1183777 GB.
"""

from __future__ import annotations

import copy

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Catalog, PriceEntry
from groundlink.engine import Plan
from groundlink.spec import spec_from_data

from .conftest import cached_plan, plan_of, spec_data, variant_plan, with_changes

GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in
# a demod/decode capture: each datagram's 1,024 bytes of payload with 114 bytes of headers
HEADERS = 1 + 114 / 1024  # 1.111328125


def _gib(gb: float, cost: float) -> tuple[float, float]:
    """A capacity line's (quantity, cost) computed in decimal GB, as billed in binary GB."""
    return gb * GIB, cost * GIB


PRICES = {
    "aws": {
        "ground_station_narrowband_minute": 10,
        "lambda_arm_gb_second": 0.00001,
        "lambda_requests": 0.2,
        "ground_station_wideband_minute": 20,
        "ground_station_dubbo_narrowband_minute": 15,
        "ground_station_dubbo_wideband_minute": 25,
        "dataflow_endpoint_hour": 2,
        "partner_minute": 7,
        "s3_standard_gb_month": 0.02,
        "s3_standard_ia_gb_month": 0.01,
        "s3_glacier_flexible_gb_month": 0.004,
        "s3_glacier_deep_archive_gb_month": 0.001,
        "s3_put_requests": 0.01,
        "s3_standard_ia_transition_requests": 0.01,
        "s3_glacier_flexible_transition_requests": 0.03,
        "s3_glacier_deep_archive_transition_requests": 0.05,
        "athena_tb_scanned": 5,
        "kinesis_shard_hour": 0.015,
        "kinesis_on_demand_stream_hour": 0.04,
        "kinesis_on_demand_gb_in": 0.08,
        "firehose_gb": 0.03,
        "kms_key_month": 1,
        "kms_requests": 0.001,
        "egress_internet_gb": 0.1,
        "eventbridge_events": 0.002,
        "sqs_requests": 0.003,
        "cloudwatch_alarm_month": 0.1,
        "cloudwatch_custom_metric_month": 0.3,
        "fargate_vcpu_hour": 0.04,
        "fargate_gb_hour": 0.005,
        "s3_inter_region_transfer_gb": 0.02,
    },
    "azure": {
        "functions_flex_gb_second": 0.00002,
        "functions_flex_executions": 0.4,
        "partner_minute": 7,
        "blob_hot_gb_month": 0.021,
        "blob_cool_gb_month": 0.015,
        "blob_cold_gb_month": 0.0036,
        "blob_archive_gb_month": 0.002,
        "blob_hot_zrs_gb_month": 0.026,
        "blob_cool_zrs_gb_month": 0.019,
        "blob_cold_zrs_gb_month": 0.0045,
        "blob_hot_zrs_write_operations": 0.05,
        "blob_cool_zrs_write_operations": 0.1,
        "blob_cold_zrs_write_operations": 0.2,
        "synapse_serverless_tb": 6,
        "event_hubs_standard_tu_hour": 0.03,
        "event_hubs_capture_tu_hour": 0.1,
        "key_vault_operations": 0.0003,
        "key_vault_hsm_key_month": 1.5,
        "key_vault_advanced_key_operations": 0.0015,
        "key_vault_hsm_advanced_key_month": 5.5,
        "data_explorer_cluster_month": 300,
        "event_grid_operations": 0.0006,
        "private_endpoint_hour": 0.01,
        "private_dns_zone_month": 0.5,
        "service_bus_operations": 0.0005,
        "service_bus_standard_base_hour": 0.0135,
        "monitor_alert_rule_month": 0.2,
        "monitor_log_alert_rule_month": 1.5,
        "egress_internet_gb": 0.087,
        "container_apps_vcpu_second": 0.00003,
        "container_apps_gib_second": 0.000004,
        "blob_geo_replication_gb": 0.02,
        "service_bus_premium_mu_hour": 1,
        "event_hubs_premium_pu_hour": 1.5,
    },
}


def _catalogs() -> dict[str, Catalog]:
    """Every price id of the real catalogs; the ones the example prices are known, the
    others (reserved minutes, read requests) unknown, as the real catalog has them."""
    made = {}
    for cloud, real in load_catalogs()[0].items():
        prices = {
            price_id: PriceEntry(
                price=PRICES[cloud].get(price_id),
                unit="unit",
                region="example",
                source="worked example",
                date="2026-12-01",
                supply=None if price_id in PRICES[cloud] else "not in the worked example",
            )
            for price_id in real.prices
        }
        made[cloud] = Catalog(cloud=cloud, prices=prices)
    return made


def _example(**changes):
    data = spec_data("noaa20.yaml")
    beta = {
        "name": "beta",
        "norad_id": 37849,
        "downlinks": [
            {
                "name": "wide",
                "center_frequency_mhz": 7812,  # preset jpss1_hrd is the JPSS-1 signal, at its frequency
                "bandwidth_mhz": 50,
                "delivery": "demod_decode",
                "preset": "jpss1_hrd",
                "data_rate_mbps": 8,
            }
        ],
    }
    data["satellites"][0].update(name="alpha")
    data["satellites"][0].pop("tle")
    data["satellites"][0]["downlinks"][0].update(data_rate_mbps=8, bandwidth_mhz=30)
    data["satellites"].append(beta)
    data["ground_segment"].update(contacts_per_day=1.2, contact_minutes=9.5)
    data["storage"].update(raw_retention_days=365, products_retention_days=730)
    data["usage"] = {
        "query_tb_scanned_per_month": 2,
        "queries_per_month": 100,
        "egress_gb_per_month": 100,
        "products_ratio": 0.5,
        "telemetry_kb_per_second": 2,
    }
    return with_changes(data, changes)


def _lines(data, cloud, plan=None) -> dict[str, tuple[float, float]]:
    """{item: (quantity, cost)} of one cloud's steady-state month."""
    plans = {cloud: plan} if plan is not None else None
    result = estimate(build_blueprint(spec_from_data(data)), _catalogs(), plans=plans)
    return {x.item: (x.quantity, x.cost) for x in result.clouds[cloud].lines}


def _approx(expected: dict[str, tuple[float, float]]):
    return {item: pytest.approx(pair) for item, pair in expected.items()}


def test_every_aws_line_of_the_managed_example():
    assert _lines(_example(), "aws") == _approx(
        {
            "AWS Ground Station narrowband minutes (on-demand)": (365, 3650),  # 36.5 x 10 min x $10
            "AWS Ground Station wideband minutes (on-demand)": (365, 7300),  # 36.5 x 10 min x $20
            "S3 PUT requests": (4526, 45.26),  # 62 per pass x 73, x $0.01
            "Internet egress": (100, 10),
            "KMS keys": (1, 1),  # no plan: one key assumed
            "KMS requests": (1679, 1.679),  # one per object written, the guiding .pcap too
            "EventBridge events (from AWS Ground Station)": (73, 0.146),  # one per contact, both satellites
            "SQS requests": (219, 0.657),  # send, receive, delete: 3 x 73
            "Athena TB scanned": (2, 10),  # max(2 TB, 100 x 10 MB)
            "Kinesis on-demand stream": (730, 29.2),  # no plan: on demand, as every plan renders it
            "Kinesis on-demand data in": (0.08322, 0.0066576),  # the telemetry GB below x $0.08
            "Firehose telemetry archive": (0.08322, 0.0024966),
            "CloudWatch alarms": (1, 0.1),
            "CloudWatch frame-loss metric": (1, 0.3),  # the processor runs: one metric filter's metric x $0.3
            "Lambda duration (contact processor)": (67.014, 0.00067014),  # 2 GB x 0.459 s x 73, x $0.00001
            "Lambda requests (contact processor)": (73, 14.6),  # one per SQS message: 73 contact events
            "S3 Standard storage": _gib(68.413359375, 1.3682671875),  # 61.56 x H GB x $0.02
            "S3 Standard-IA storage": _gib(136.82671875, 1.3682671875),  # 123.12 x H GB x $0.01
            "S3 Glacier Flexible Retrieval storage": _gib(205.240078125, 0.8209603125),  # 184.68 x H x $0.004
            "S3 Glacier Deep Archive storage": _gib(699.3365625, 0.6993365625),  # 629.28 x H x $0.001
            "S3 Glacier Deep Archive storage: deleted data kept": _gib(68.413359375, 0.068413359375),  # x $0.001
            "S3 lifecycle transitions into S3 Standard-IA": (1460, 14.6),  # x $0.01
            "S3 lifecycle transitions into S3 Glacier Flexible Retrieval": (1460, 43.8),  # x $0.03
            "S3 lifecycle transitions into S3 Glacier Deep Archive": (1460, 73),  # x $0.05
            "S3 Glacier Flexible Retrieval storage: archived object overhead": (0.1318359, 0.000527344),  # x $0.004
            "S3 Glacier Deep Archive storage: archived object overhead": (0.3416748, 0.000341675),  # x $0.001
            "S3 Standard storage: archived object overhead": (0.1183777, 0.002367554),  # x $0.02
        }
    )


def test_every_azure_line_of_the_managed_example():
    assert _lines(_example(), "azure") == _approx(
        {
            # managed on AWS is a partner network on Azure: all 730 minutes at the partner price
            "Partner network contact minutes (no first-party ground station since 2024-12-18)": (730, 5110),
            # one per 4 MiB: 16,790 for the objects + 73 manifests, x $0.05
            "Blob write operations (ZRS)": (16863, 843.15),
            "Internet egress": (100, 8.7),
            # no plan: one HSM key assumed, of the 3,072 bits the Azure stack gives its key: $5.5
            "Key Vault HSM keys (RSA 3072-bit)": (1, 5.5),
            "Key Vault operations (RSA 3072-bit key)": (1679, 2.5185),  # one per object: 1,679 x $0.0015
            # an ingress per blob created (1,679) and a delivery per contact manifest (73)
            "Event Grid operations": (1752, 1.0512),  # x $0.0006
            "Service Bus Standard base charge": (730, 9.855),  # one namespace x 730 h
            "Service Bus operations": (219, 0.1095),  # send, receive, complete: 3 x 73 manifests, x $0.0005
            "Synapse serverless SQL TB processed": (2, 12),
            "Event Hubs Standard throughput units": (730, 21.9),  # 1 TU x 730 h
            "Event Hubs Capture (telemetry archive)": (730, 73),
            "Azure Monitor alert rules": (1, 0.2),
            "Azure Monitor log search alert rules": (1, 1.5),  # the frame-loss alert, x $1.5
            "Functions Flex Consumption execution time (contact processor)": (146, 0.00292),  # x $0.00002
            # one execution per Service Bus message: 73 contact manifests x $0.4
            "Functions Flex Consumption executions (contact processor)": (73, 29.2),
            # the default account is ZRS, which has no archive tier: the 699.3365625 GB past 180 days
            # stay in Cold with the 205.240078125 GB of days 90-180
            "Blob Hot storage (ZRS)": _gib(68.413359375, 1.77874734375),  # 68.413359375 GB x $0.026
            "Blob Cool storage (ZRS)": _gib(136.82671875, 2.59970765625),  # 136.82671875 GB x $0.019
            # (205.240078125 + 699.3365625) = 904.576640625 GB x $0.0045
            "Blob Cold storage (ZRS)": _gib(904.576640625, 4.0705948828125),
            "Blob Cold storage (ZRS): deleted data kept": _gib(68.413359375, 0.3078601171875),  # x $0.0045
            "Blob tier changes to Cool (ZRS)": (1679, 167.9),  # x $0.1
            "Blob tier changes to Cold (ZRS)": (1679, 335.8),  # x $0.2
        }
    )


def test_dubbo_stream_delivery_and_data_explorer_lines():
    data = _example(
        **{"ground_segment.dubbo_minutes_share": 1, "delivery.stream": True, "analytics.azure_engine": "adx"}
    )
    aws = _lines(data, "aws")
    assert aws["AWS Ground Station narrowband minutes (on-demand at Dubbo 1)"] == pytest.approx((365, 5475))  # x $15
    assert aws["AWS Ground Station wideband minutes (on-demand at Dubbo 1)"] == pytest.approx((365, 9125))  # x $25
    assert aws["Dataflow endpoint instance (stream delivery)"] == pytest.approx((730, 1460))  # 730 h x $2
    azure = _lines(data, "azure")
    assert azure["Azure Data Explorer cluster"] == pytest.approx((1, 300))
    assert "Synapse serverless SQL TB processed" not in azure


def test_partner_minutes_on_aws_and_no_ground_station_lines():
    data = _example(
        **{
            "ground_segment.provider": "partner",
            "ground_segment.partner": {"name": "ksat_lite", "aws_account_id": "111122223333"},
        }
    )
    aws = _lines(data, "aws")
    assert aws["Partner network contact minutes (ksat_lite)"] == pytest.approx((730, 5110))  # 2 x 36.5 x 10 x $7
    assert not [item for item in aws if item.startswith("AWS Ground Station")]
    # no guiding .pcap (61 requests per pass x 73 = 4,453), but the partner writes a manifest per
    # contact into S3: 4,453 requests + 73 manifests = 4,526
    assert aws["S3 PUT requests"] == pytest.approx((4526, 45.26))
    assert aws["KMS requests"] == pytest.approx((1679, 1.679))
    # and its S3 event is the contact event: still one per contact, so 3 x 73 SQS requests
    assert aws["SQS requests"] == pytest.approx((219, 0.657))


def _with_key_type(kty: str) -> Plan:
    """The reference Azure plan with every Key Vault key of type `kty`."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "azure").to_json())
    keys = [r for r in doc["resources"] if r["type"] == "azure-native:keyvault:Key"]
    assert len(keys) == 1
    for key in keys:
        key["inputs"]["properties"]["kty"] = kty
    return Plan.from_json(doc)


def test_counts_and_stream_modes_come_from_the_plans():
    """The reference plans: AWS has one KMS key, four alarms and an ON_DEMAND telemetry
    stream; Azure four alerts and a 1-TU namespace."""
    data = spec_data("noaa20.yaml")
    aws_plan = cached_plan("noaa20.yaml", "aws")
    assert len(aws_plan.of_type("aws:kms/key:Key")) == 1
    aws = _lines(data, "aws", aws_plan)
    assert "Kinesis shards" not in aws
    # on demand: 730 h x $0.04 for the stream; telemetry 1 KB/s x 600 s x 4 x 365/12 contacts
    # = 73,000 KB = 0.073 GB at $0.08
    assert aws["Kinesis on-demand stream"] == pytest.approx((730, 29.2))
    assert aws["Kinesis on-demand data in"] == pytest.approx((0.073, 0.00584))
    assert aws["KMS keys"] == pytest.approx((1, 1))
    # four alarms: contact events dead-lettered, a contact event left unreceived for 3 days, an
    # event the contact rule dropped, and a processed contact that lost frames (x $0.1); the last
    # one's metric x $0.3
    assert aws["CloudWatch alarms"] == pytest.approx((4, 0.4))
    assert aws["CloudWatch frame-loss metric"] == pytest.approx((1, 0.3))
    azure = _lines(data, "azure", cached_plan("noaa20.yaml", "azure"))
    assert azure["Event Hubs Standard throughput units"] == pytest.approx((730, 21.9))
    # four alert rules: dead-lettered contact events, events Event Grid could not deliver, events
    # it dropped, and contact events waiting a day unreceived (x $0.2)
    assert azure["Azure Monitor alert rules"] == pytest.approx((4, 0.8))
    assert azure["Azure Monitor log search alert rules"] == pytest.approx((1, 1.5))  # the frame-loss alert
    # counted in the plan where there is one, in the blueprint without
    for cloud, plan, item in (
        ("aws", aws_plan, "CloudWatch frame-loss metric"),
        ("azure", cached_plan("noaa20.yaml", "azure"), "Azure Monitor log search alert rules"),
    ):
        for given, said in ((plan, "1 in the plan: "), (None, "1 in the blueprint: ")):
            result = estimate(
                build_blueprint(spec_from_data(data)), _catalogs(), plans={cloud: given} if given else None
            )
            (line,) = [x for x in result.clouds[cloud].lines if x.item == item]
            assert line.basis.startswith(said), (cloud, line.basis)
    # the spec turning the alarm off: neither cloud plans it, nor prices it
    data["processing"]["loss_alarm_percent"] = None
    assert "CloudWatch frame-loss metric" not in _lines(data, "aws")
    assert "Azure Monitor log search alert rules" not in _lines(data, "azure")


def test_software_keys_bill_operations_only_and_hsm_keys_per_key():
    data = spec_data("noaa20.yaml")
    software = _lines(data, "azure", _with_key_type("RSA"))
    assert not [item for item in software if item.startswith("Key Vault HSM keys")]
    # per contact: 600 s / 30 s = 20 raw files + the partner's manifest + 1 frame stream (one object
    # whatever its size) + the frame index and the contact summary; 4 x 365/12 = 121.67 contacts: 24 x 121.67 = 2,920 operations on the plan's
    # 3,072-bit key at $0.0015
    assert software["Key Vault operations (RSA 3072-bit key)"] == pytest.approx((24 * 4 * 365 / 12, 4.38))
    hsm = _lines(data, "azure", _with_key_type("RSA-HSM"))
    assert hsm["Key Vault HSM keys (RSA 3072-bit)"] == pytest.approx((1, 5.5))
    assert hsm["Key Vault operations (RSA 3072-bit key)"] == software["Key Vault operations (RSA 3072-bit key)"]


def test_partner_live_delivery_streams_are_priced_per_stream():
    data = with_changes(spec_data("partner.yaml"), {"delivery.stream": True, "analytics.telemetry_stream": False})
    aws_plan = variant_plan("aws", {"delivery.stream": True, "analytics.telemetry_stream": False}, "partner.yaml")
    azure_plan = variant_plan("azure", {"delivery.stream": True, "analytics.telemetry_stream": False}, "partner.yaml")
    aws = _lines(data, "aws", aws_plan)
    assert aws["Kinesis on-demand stream (partner live delivery)"] == pytest.approx((730, 29.2))
    azure = _lines(data, "azure", azure_plan)
    # the partner's 15 Mbit/s downlink is 1,875 KB/s: 2 throughput units of 1,000 KB/s, all month,
    # 2 x 730 = 1,460 TU-hours at $0.03
    assert azure["Event Hubs Standard throughput units (partner live delivery)"] == pytest.approx((1460, 43.8))
    assert "Event Hubs Standard throughput units" not in azure  # no telemetry stream


def test_no_object_store_lands_no_raw_objects():
    data = _example(**{"delivery.object_store": False, "delivery.stream": True, "processing.enabled": False})
    aws = _lines(data, "aws")
    # no raw files, and no products: processing is off, so nothing writes them
    assert aws["S3 PUT requests"] == pytest.approx((0, 0))
    # nor a partner's manifest on Azure: nothing lands in a raw store
    assert _lines(data, "azure")["Blob write operations (ZRS)"] == pytest.approx((0, 0))


def test_a_private_network_bills_azure_its_endpoints_and_zones_and_aws_nothing():
    """The private Azure plan reaches the storage account's blob and file-system (dfs) endpoints,
    the Key Vault and the Synapse workspace's SQL, serverless SQL and development endpoints
    through 6 private endpoints: 6 x 730 = 4,380 endpoint-hours at $0.01 = $43.80. Their names
    resolve through 5 private DNS zones (blob, dfs, vault, Synapse SQL, Synapse dev) at $0.50 =
    $2.50. AWS's private network is an S3 gateway endpoint: no line."""
    data = with_changes(spec_data("noaa20.yaml"), {"security.network": "private"})
    azure = _lines(data, "azure", variant_plan("azure", {"security.network": "private"}))
    assert azure["Private endpoints (Private Link)"] == pytest.approx((4380, 43.8))
    assert azure["Private DNS zones"] == pytest.approx((5, 2.5))
    aws = _lines(data, "aws", variant_plan("aws", {"security.network": "private"}))
    assert not [item for item in aws if "rivate" in item]
    adx = {"security.network": "private", "analytics.azure_engine": "adx"}
    on_adx = _lines(with_changes(spec_data("noaa20.yaml"), adx), "azure", variant_plan("azure", adx))
    # blob, dfs, vault and the cluster's one endpoint; zones blob, dfs, vault, the region's kusto, queue, table
    assert on_adx["Private endpoints (Private Link)"] == pytest.approx((4 * 730, 29.2))
    assert on_adx["Private DNS zones"] == pytest.approx((6, 3.0))
    public = _lines(spec_data("noaa20.yaml"), "azure", cached_plan("noaa20.yaml", "azure"))
    assert "Private endpoints (Private Link)" not in public and "Private DNS zones" not in public


def test_a_partner_stream_in_the_telemetry_namespace_is_a_ground_line_on_azure_with_or_without_a_plan():
    """A partner streams 12 Mbps = 1,500 KB/s live into the contact hub, which shares the telemetry
    namespace: a partner sends no telemetry, so the 2 KB/s of usage.telemetry_kb_per_second are
    not sized (they were, and made 8 Mbps a second unit), and 1,500 KB/s takes ceil(1,500 / 1,000)
    = 2 TU, of which the telemetry hub keeps its least, 1. The stream's unit (730 h x $0.03 =
    $21.9) and the Capture charge on it (730 h x $0.1 = $73) are partner live delivery, outside
    the comparison as AWS's Kinesis stream is; the analytics lines keep telemetry's 1 TU."""
    data = _example(
        **{
            "ground_segment.provider": "partner",
            "ground_segment.partner": {
                "name": "ksat_lite",
                "aws_account_id": "111122223333",
                "azure_principal_object_id": "3f2b8c1e-6a4d-4e2f-9b7a-0c5d1e2f3a4b",
            },
            "delivery.stream": True,
        }
    )
    data["satellites"][0]["downlinks"][0]["data_rate_mbps"] = 12
    expected = {
        "Event Hubs Standard throughput units": (730, 21.9),
        "Event Hubs Capture (telemetry archive)": (730, 73),
        "Event Hubs Standard throughput units (partner live delivery)": (730, 21.9),
        "Event Hubs Capture (partner live delivery's units)": (730, 73),
    }
    plan = plan_of(data, "azure")
    (namespace,) = plan.of_type("azure-native:eventhub:Namespace")  # one namespace holds both hubs
    assert namespace.inputs["sku"]["capacity"] == 2
    for with_plan in (None, plan):
        azure = _lines(data, "azure", with_plan)
        assert {item: azure[item] for item in expected} == _approx(expected)
    result = estimate(build_blueprint(spec_from_data(data)), _catalogs(), plans={"azure": plan})
    from groundlink.cost.decision import sides

    left_out = sides(build_blueprint(spec_from_data(data)), result).left_out
    assert "Azure: Event Hubs Standard throughput units (partner live delivery) ($21.90/month)" in left_out
    assert "Azure: Event Hubs Capture (partner live delivery's units) ($73.00/month)" in left_out


def test_a_tier_left_before_its_minimum_storage_duration_bills_the_rest():
    """Raw kept 200 days instead of 365: raw reaches Deep Archive at day 180 and is deleted at 200,
    then kept 30 days as a noncurrent version: 50 of Deep Archive's 180 days. Each GB leaving is
    billed the 130 days left: 1.520296875 GB/day (1.368 x (1 + 114/1024)) x 130 = 197.63859375 GB
    at $0.001 = $0.19763859375. Deleted data kept: raw 1.520296875 x 30 = 45.60890625 GB + products
    0.7601484375 x 30 = 22.804453125 GB = 68.413359375 GB, in Deep Archive. On Azure archive-aged
    data stays in Cold from day 90, so raw stays there 90 to 230: 140 days of Cold's 90, no
    charge."""
    data = _example(**{"storage.raw_retention_days": 200})
    aws, azure = _lines(data, "aws"), _lines(data, "azure")
    assert aws["S3 Glacier Deep Archive storage: minimum storage duration"] == pytest.approx(
        _gib(197.63859375, 0.19763859375)
    )
    assert aws["S3 Glacier Deep Archive storage: deleted data kept"] == pytest.approx(
        _gib(68.413359375, 0.068413359375)
    )
    assert not [item for item in azure if item.endswith("minimum storage duration")]
    # 68.413359375 GB x $0.0045
    assert azure["Blob Cold storage (ZRS): deleted data kept"] == pytest.approx(_gib(68.413359375, 0.3078601171875))


def test_deleted_data_is_kept_as_long_as_noncurrent_versions_are_and_azure_at_most_365_days():
    """storage.noncurrent_version_days: 400. AWS keeps noncurrent versions 400 days: 2.052 x (1 +
    114/1024) = 2.2804453125 GB/day x 400 = 912.178125 GB in Deep Archive; Azure's soft delete
    keeps at most 365 days: 2.2804453125 x 365 = 832.3625390625 GB in Cold."""
    data = _example(**{"storage.noncurrent_version_days": 400})
    assert _lines(data, "aws")["S3 Glacier Deep Archive storage: deleted data kept"] == pytest.approx(
        _gib(912.178125, 0.912178125)
    )
    # 832.3625390625 GB x $0.0045 = 3.74563142578125
    assert _lines(data, "azure")["Blob Cold storage (ZRS): deleted data kept"] == pytest.approx(
        _gib(832.3625390625, 3.74563142578125)
    )


def test_the_minimum_duration_charge_starts_the_month_data_first_leaves_the_tier():
    """Raw kept 200 days: its first data leaves Deep Archive, noncurrent versions and all, on day
    230 of operation. A month is 365/12 = 30.41667 days: month 8 spans days 212.917-243.333, so
    13.333 days of it see data leave, each day 1.368 x (1 + 114/1024) = 1.520296875 GB billed 130
    days more: 1.520296875 x 13.333 x 130 / 30.41667 = 86.64 GB on average; from month 9 on the
    full 1.520296875 x 130 = 197.63859375 GB (each billed in binary GB)."""
    data = _example(**{"storage.raw_retention_days": 200})
    result = estimate(build_blueprint(spec_from_data(data)), _catalogs())
    item = "S3 Glacier Deep Archive storage: minimum storage duration"
    by_month = [{x.item: x.quantity for x in lines}.get(item, 0.0) for lines in result.clouds["aws"].projection]
    assert by_month[:7] == [0.0] * 7
    assert by_month[7] == pytest.approx(1.520296875 * (8 * 365 / 12 - 230) * 130 / (365 / 12) * GIB)
    assert by_month[7] == pytest.approx(86.64 * GIB, abs=0.01)
    assert by_month[8:] == pytest.approx([197.63859375 * GIB] * 4)


@pytest.mark.parametrize(
    ("mbps", "said"),
    [
        # a file's bits, mbps x 1e6 x 30 s / 8, captured with 114 bytes of headers a 1,024-byte
        # datagram: x (1 + 114/1024) = x 1.111328125
        (0.0096, True),  # 9.6 kbit/s x 30 s / 8 = 36,000 bytes, x 1.111328125 = 40,007.8 a file
        (0.0314, True),  # 117,750 bytes x 1.111328125 = 130,858.9: under 131,072 (128 x 1,024)
        (0.0315, False),  # 118,125 bytes x 1.111328125 = 131,275.6: S3 moves it
        (0.035, False),  # 131,250 bytes x 1.111328125 = 145,861.8
    ],
)
def test_raw_files_too_small_for_s3_to_move_are_said_to_stay_in_standard(mbps, said):
    """S3 transitions no object under 128 KB (the stack's lifecycle states that default): the
    AWS storage lines price such objects in Standard (tests/test_cost_small_objects.py), and the
    assumptions say which, where a downlink's 30-second raw files are smaller. A raw file holds
    the capture: the bits with each datagram's headers."""
    from groundlink.cost.usage import monthly_usage

    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"][0]["data_rate_mbps"] = mbps
    usage = monthly_usage(build_blueprint(spec_from_data(data)), 64)
    found = [a for a in usage.assumptions if "under 128 KB" in a]
    assert bool(found) is said
    if said:
        assert (
            f"on AWS the raw files of noaa20/hrd (about {mbps * 1e6 * 30 / 8 / 1000 * HEADERS:,.0f} KB) stay in Standard"
            in found[0]
        )


def test_larger_datagrams_land_fewer_header_bytes():
    """processing.capture.datagram_payload_bytes: 8192. Each datagram's 114 bytes of headers are
    then 114/8192 of its payload: a contact's 0.57 GB of bits per link is captured as 0.57 x (1 +
    114/8192) = 0.57 x 1.013916015625 = 0.57793212890625 GB; raw landed 2 x 0.57793212890625 x
    36.5 = 41.61 x 1.013916015625 = 42.18904541015625 GB a month (46.24 at the default 1,024).
    S3 Standard holds the hot 30 days: 61.56 x 1.013916015625 = 62.416669921875 GB x $0.02 =
    $1.2483333984375, billed in binary GB."""
    data = _example(**{"processing.capture.datagram_payload_bytes": 8192})
    result = estimate(build_blueprint(spec_from_data(data)), _catalogs())
    assert [link.gb_per_contact for link in result.usage.links] == pytest.approx([0.57793212890625] * 2)
    assert result.usage.raw_gb == pytest.approx(42.18904541015625)
    aws = {x.item: (x.quantity, x.cost) for x in result.clouds["aws"].lines}
    assert aws["S3 Standard storage"] == pytest.approx(_gib(62.416669921875, 1.2483333984375))


@pytest.mark.parametrize("datagram", [1024, 8192])
def test_a_digif_downlink_s_volume_does_not_follow_the_datagram_size(datagram):
    """A DigIF downlink's rate is its captures' own (measured from delivered objects): alpha's 30 MHz
    DigIF lands 43.1 GB x 570 / 630 = 38.995238 GB a contact, x 36.5 = 1,423.326190 GB a month,
    whatever the datagram size; beta's demod/decode 0.57 GB of bits lands 0.57 x (1 + 114 /
    datagram): 0.63345703125 GB at 1,024, 0.57793212890625 at 8,192."""
    digif = {"name": "hrd", "center_frequency_mhz": 7812, "bandwidth_mhz": 30, "delivery": "digif", "data_rate_mbps": 8}
    data = _example(
        **{
            "satellites.0.downlinks.0": digif,
            "processing.enabled": False,  # 39 GB a contact: no function holds it
            "processing.capture.datagram_payload_bytes": datagram,
        }
    )
    usage = estimate(build_blueprint(spec_from_data(data)), _catalogs()).usage
    alpha, beta = usage.links
    assert (alpha.delivery, beta.delivery) == ("digif", "demod_decode")
    assert alpha.gb_per_contact == pytest.approx(43.1 * 570 / 630)
    captured = {1024: 0.63345703125, 8192: 0.57793212890625}[datagram]
    assert beta.gb_per_contact == pytest.approx(captured)
    assert usage.raw_gb == pytest.approx((43.1 * 570 / 630 + captured) * 36.5)


CONTAINER_JOBS = {
    "processing.mode": "container_job",
    "processing.container_image": "ghcr.io/example/groundlink:1.0",
    "processing.timeout_seconds": 3600,
    "processing.max_concurrency": 4,
}


def test_container_jobs_bill_vcpu_and_memory_for_each_contact_s_run():
    """The example's 73 contacts as container jobs of 2 vCPU and 4 GB (the defaults), each run
    0.459 s, as the function's above. Fargate bills each task at least 60 s: 73 x 60 s =
    4,380 s = 1.216667 h, x 2 vCPU = 2.433333 vCPU-h at $0.04 = $0.097333, x 4 GB = 4.866667
    GB-h at $0.005 = $0.024333. Container Apps bills the seconds run: 73 x 0.459 s = 33.507 s,
    x 2 vCPU = 67.014 vCPU-s at $0.00003 = $0.00201042, x 4 GiB = 134.028 GiB-s at $0.000004 =
    $0.000536112. Neither bills a function."""
    aws = _lines(_example(**CONTAINER_JOBS), "aws")
    assert aws["Fargate vCPU (contact jobs)"] == pytest.approx((2.433333333, 0.097333333))
    assert aws["Fargate memory (contact jobs)"] == pytest.approx((4.866666667, 0.024333333))
    azure = _lines(_example(**CONTAINER_JOBS), "azure")
    assert azure["Container Apps vCPU (contact jobs)"] == pytest.approx((67.014, 0.00201042))
    assert azure["Container Apps memory (contact jobs)"] == pytest.approx((134.028, 0.000536112))
    assert not [item for item in (*aws, *azure) if item.startswith(("Lambda", "Functions"))]


def test_geo_redundancy_bills_the_copy_of_every_gb_landed_once():
    """46.24236328125 GB raw + 23.121181640625 GB products landed a month (41.61 and 20.805 GB of
    bits, x (1 + 114/1024)) = 69.363544921875 GB, copied once to the other region: x $0.02 =
    $1.3872708984375 on each cloud (S3 replication to the replica region; GZRS to the paired
    region)."""
    data = _example(**{"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"})
    assert _lines(data, "aws")["S3 replication: inter-region transfer (to us-east-2)"] == pytest.approx(
        (69.363544921875, 1.3872708984375)
    )
    assert _lines(data, "azure")["Geo-replication data transfer (GZRS)"] == pytest.approx(
        (69.363544921875, 1.3872708984375)
    )


def test_premium_messaging_bills_one_unit_of_each_namespace_all_month():
    """security.premium_messaging: the Service Bus and Event Hubs namespaces in Premium (the
    mission key needs it), one messaging unit and one processing unit each: 730 h x $1 = $730
    and 730 h x $1.50 = $1,095."""
    azure = _lines(_example(**{"security.premium_messaging": True}), "azure")
    assert azure["Service Bus Premium messaging units (mission key)"] == pytest.approx((730, 730))
    assert azure["Event Hubs Premium processing units (mission key)"] == pytest.approx((730, 1095))


def test_a_provisioned_telemetry_stream_bills_its_shards_all_month():
    """The stacks render the stream on demand; a plan whose stream is provisioned (switched by
    hand, or exported from a deployment that has it so) bills its shards: 2 shards x 730 h =
    1,460 shard-hours x $0.015 = $21.90, and no on-demand line."""
    plan = Plan.from_json(copy.deepcopy(cached_plan("noaa20.yaml", "aws").to_json()))
    stream = plan.one("aws:kinesis/stream:Stream")
    stream.inputs["streamModeDetails"] = {"streamMode": "PROVISIONED"}
    stream.inputs["shardCount"] = 2
    aws = _lines(spec_data("noaa20.yaml"), "aws", plan)
    assert aws["Kinesis shards"] == pytest.approx((1460, 21.9))
    assert not [item for item in aws if item.startswith("Kinesis on-demand")]
