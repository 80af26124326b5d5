"""Cost lines describe what each cloud's plan does, count one thing once, and apply a billing rule
alike on both clouds where both clouds have it.

The case (tests/test_cost_decision.py's): one satellite, 3 contacts/day of 9.5 min, one 8 Mbps
downlink. A month is 365/12 days: 3 x 365/12 = 91.25 contacts; a 570 s contact is
ceil(570 / 30) = 19 raw files, and on Azure the partner's manifest.
"""

from __future__ import annotations

import pytest

from groundlink.cost import estimate, load_catalogs
from groundlink.cost.model import cloud_cost

from .test_cost import arith_spec
from .test_cost_decision import blueprint

CONTACTS = 3 * 365 / 12  # 91.25
PARTNER = {"provider": "partner", "partner": {"name": "ksat_lite", "price_per_minute_usd": 4}}


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


def by_item(cost):
    return {x.item: x for x in cost.lines}


def test_with_a_partner_the_aws_events_line_names_the_manifest_not_ground_station(catalogs):
    est = estimate(blueprint(**PARTNER), catalogs)
    aws = by_item(est.clouds["aws"])
    events = aws["EventBridge events (S3 Object Created: the partner's manifest)"]
    assert events.quantity == pytest.approx(CONTACTS)  # one manifest per contact: 91.25
    assert events.cost == 0  # S3 events on the default bus are AWS-service events: free
    assert "manifest" in events.basis
    # nothing of AWS's partner estimate speaks of Ground Station: the plan has none
    assert not [x.item for x in est.clouds["aws"].lines if "Ground Station" in x.item + x.basis]
    [trigger] = [a for a in est.usage.assumptions if a.startswith("Processing events")]
    assert "EventBridge fires once per contact (the partner's manifest object, S3 Object Created)" in trigger
    assert "Ground Station" not in trigger


def test_with_a_managed_ground_station_the_aws_events_line_names_ground_station(catalogs):
    est = estimate(blueprint(), catalogs)
    events = by_item(est.clouds["aws"])["EventBridge events (from AWS Ground Station)"]
    assert events.quantity == pytest.approx(CONTACTS)
    [trigger] = [a for a in est.usage.assumptions if a.startswith("Processing events")]
    assert "EventBridge fires once per contact (Ground Station's contact events)" in trigger


def test_every_queue_message_is_one_function_invocation_on_both_clouds(catalogs):
    est = estimate(blueprint(), catalogs)
    aws, azure = by_item(est.clouds["aws"]), by_item(est.clouds["azure"])
    # Azure: a Service Bus message per contact manifest (the subscription passes none of the 19
    # data blobs of a contact): 91.25, sent, received and completed: 3 x 91.25
    assert azure["Service Bus operations"].quantity == pytest.approx(3 * 91.25)
    # each message invokes the function once: 91.25 executions
    executions = azure["Functions Flex Consumption executions (contact processor)"]
    assert executions.quantity == pytest.approx(91.25)
    assert executions.cost == pytest.approx(91.25 / 1e6 * 0.40)  # $0.40 per million, no free grant
    # AWS: an SQS message per contact event (91.25), 3 requests each; one Lambda invocation each
    assert aws["SQS requests"].quantity == pytest.approx(3 * 91.25)
    assert aws["Lambda requests (contact processor)"].quantity == pytest.approx(91.25)


def test_the_message_count_is_read_once_by_the_queue_and_the_processor(catalogs):
    """Change the one figure the queue and the processor share and both lines follow it."""
    bp = blueprint()
    est = estimate(bp, catalogs)

    class Doubled(type(est.usage)):  # type: ignore[misc]  # a subclass only to double the shared count
        def queue_messages(self, cloud):
            messages, why = super().queue_messages(cloud)
            return 2 * messages, why

    doubled = Doubled(**{f: getattr(est.usage, f) for f in est.usage.__dataclass_fields__})
    azure = by_item(cloud_cost("azure", bp, doubled, catalogs["azure"]))
    aws = by_item(cloud_cost("aws", bp, doubled, catalogs["aws"]))
    assert azure["Service Bus operations"].quantity == pytest.approx(3 * 2 * 91.25)
    assert azure["Functions Flex Consumption executions (contact processor)"].quantity == pytest.approx(2 * 91.25)
    assert aws["SQS requests"].quantity == pytest.approx(3 * 2 * 91.25)
    assert aws["Lambda requests (contact processor)"].quantity == pytest.approx(2 * 91.25)


def test_synapse_bills_the_10_mb_minimum_per_query_as_athena_does(catalogs):
    bp = arith_spec(**{"usage.query_tb_scanned_per_month": 0.0, "usage.queries_per_month": 200000})
    est = estimate(bp, catalogs)
    athena = by_item(est.clouds["aws"])["Athena TB scanned"]
    synapse = by_item(est.clouds["azure"])["Synapse serverless SQL TB processed"]
    # 200,000 queries x 10 MB = 2,000,000 MB = 2 TB billed on each cloud, though none is scanned
    assert athena.quantity == synapse.quantity == pytest.approx(2.0)
    assert athena.cost == pytest.approx(2 * 5) and synapse.cost == pytest.approx(2 * 5)  # $5 per TB each
    assert athena.basis == synapse.basis == "max(0 TB, 200,000 queries x 10 MB): at least 10 MB billed per query"
    # above the minimum, what is scanned: 2 TB in 100 queries
    big = estimate(arith_spec(), catalogs)
    assert by_item(big.clouds["azure"])["Synapse serverless SQL TB processed"].quantity == pytest.approx(2.0)


def test_aws_kms_requests_are_free_up_to_20000_a_month_and_counted_once(catalogs):
    kms = catalogs["aws"].entry("kms_requests")
    # 50,000 requests: (50,000 - 20,000) / 10,000 x $0.03 = $0.09
    assert kms.cost(50_000) == pytest.approx(0.09) and kms.cost(20_000) == 0
    assert "https://aws.amazon.com/kms/pricing/" in kms.source
    # geo: the mission's KMS requests line (23 objects x 91.25 = 2,098.75: 19 raw files and the
    # empty guiding .pcap, a frame stream, the frame index and the contact summary) takes its
    # share of the 20,000 first; the replication line (2 x 2,098.75 = 4,197.5) gets the
    # 17,901.25 left, not another 20,000
    est = estimate(arith_spec(**{"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}), catalogs)
    [main, replica] = [x for x in est.clouds["aws"].lines if x.price_id == "kms_requests"]
    assert (main.quantity, replica.quantity) == (pytest.approx(2098.75), pytest.approx(4197.5))
    assert replica.entry.free_per_month == pytest.approx(17_901.25)
