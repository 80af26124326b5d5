"""What the cost report says it assumed, and the storage it expects month by month, for the
worked example of test_cost_worked_example.py (two satellites, 1.2 contacts/day of 9.5
minutes, 8 Mbps each, products half the raw data, raw kept 365 days, products 730).

The report prints `usage.assumptions` word for word, with the spec's figures in them; the
figures below are the worked example's, written out by hand.

The captures are the bits x (1 + 114/1024) = x 1.111328125 (each 1,024-byte datagram's 114 bytes
of headers): a link's contact lands 0.57 x 1.111328125 = 0.63345703125 GB.

Storage month by month: 1.368 x 1.111328125 = 1.520296875 GB/day raw + 0.684 x 1.111328125 =
0.7601484375 GB/day products = 2.2804453125 GB/day lands; a month is T = 365/12 = 30.41667 days;
data is hot for its first 30 days, then cool.
- End of month 1 (day T): hot holds 30 days of data = 2.2804453125 x 30 = 68.413359375 GB; cool
  holds what is older than 30 days, T - 30 = 0.41667 days = 0.950186 GB.
- Average over month 1: hot grows as 2.2804453125 t until day 30, then stays at 68.413359375:
  (2.2804453125 x 30^2 / 2 + 68.413359375 x 0.41667) / T = (1,026.2004 + 28.5056) / 30.41667 =
  34.6753 GB; cool grows as 2.2804453125 (t - 30) after day 30: 2.2804453125 x 0.41667^2 / 2 / T =
  0.006508 GB.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate
from groundlink.spec import spec_from_data

from .conftest import DROP
from .test_cost_worked_example import _catalogs, _example


def _usage(**changes):
    return estimate(build_blueprint(spec_from_data(_example(**changes))), _catalogs()).usage


def test_the_assumptions_the_report_prints_name_the_figures_they_rest_on():
    assert list(_usage().assumptions) == [
        "A month is 365/12 = 30.42 days and 730 hours.",
        "1.2 contacts/day per satellite x 2 satellite(s), 9.5 min each (ground_segment.contacts_per_day, "
        "contact_minutes).",
        "Contact minutes are billed per contact rounded up to whole minutes: 10 min per contact; one contact "
        "per satellite pass receives all its downlinks.",
        "A satellite's contacts are billed wideband when any of its downlinks is wider than 40 MHz, "
        "narrowband otherwise. AWS Ground Station prices Dubbo 1 above its other sites: 0% of the minutes are "
        "taken there (ground_segment.dubbo_minutes_share); the sites are the ones the contacts are reserved at, "
        "not the stack's region.",
        "Data per contact: demod/decode lands its captures, data_rate_mbps x contact seconds / 8 x (1 + 114 / "
        "1024) (the downlink's bits and each datagram's headers, up to 114 bytes beside its payload: "
        "processing.capture.datagram_payload_bytes, which onboarding decides; a live stream carries the bits "
        "alone); DigIF lands digif_mbps x "
        "contact seconds / 8 where the downlink gives it, else the sampled "
        "bandwidth, 2.2804 MB per second per MHz of bandwidth_mhz (NOAA-20 DigIF to S3: one 10.5-minute 30 MHz "
        "contact = 22 objects, 43.1 GB (community measurement, 2026-08-31)).",
        "Products written = 0.5 x data landed by the demod/decode downlinks, the only data with frames (the "
        "processor reads every downlink's files, and its compute counts them all; DigIF samples hold no frames) "
        "(usage.products_ratio), kept on the same tier schedule with products_retention_days.",
        "Storage is billed on the average GB held during each month, plus the deleted data each cloud still "
        "keeps at its tier's rate (AWS noncurrent versions, Azure soft-deleted blobs, for "
        "storage.noncurrent_version_days; Azure at most 365), plus, for data that leaves a tier before the "
        "tier's minimum storage duration (cool 30, cold 90, archive 180 days on both clouds), the rest of "
        "that minimum. Each object the lifecycle moves bills its move: on AWS a transition request into each "
        "storage class for each object of 128 KB or more, on Azure a write operation at the destination tier "
        "for every blob; and on AWS each object held in Glacier Flexible Retrieval or Deep Archive bills 40 KB "
        "more, 32 KB at that class's rate and 8 KB at S3 Standard's. Retrievals are not modelled.",
        "Volumes here are decimal (1 GB = 10^9 bytes); both clouds bill storage capacity in binary GB "
        "(2^30 bytes), so each capacity line is the GB held x 0.9313. Data transfer and stream volumes stay "
        "decimal: no source found gives their unit.",
        "Each price is its catalog entry's, for the whole quantity: where a service prices in volume tiers "
        "(S3 Standard's first 50 TB) the catalog's tier is applied throughout, and cheaper tiers above it "
        "are not modelled. Not priced either: the processor's reads (S3 GET requests, blob read operations) "
        "and a Lambda function's ephemeral storage above the 512 MB included (the processor is given "
        "10,240 MB; no sourced price for it is in the catalog). Processing compute covers the processing "
        "alone: the time a run spends downloading the contact and uploading its products is not in it (no "
        "source gives those rates), so its figures are lower bounds, on both clouds. Nor are the files the "
        "telemetry archive writes (Firehose, Event Hubs Capture), Athena's query-result objects, the query engines' "
        "reads of the stores they scan (Athena's S3 GET requests and Synapse serverless SQL's blob read operations), "
        "Firehose's reads of an on-demand "
        "Kinesis stream and Lambda's polling of an empty queue.",
        "The ground segment writes one raw file per downlink about every 30 s of contact (AWS Ground Station "
        'user guide, "Plan your dataflow communication paths" '
        "(https://docs.aws.amazon.com/ground-station/latest/ug/getting-started.step2.html), read 2026-12-01): "
        "19 raw files per contact; the same cadence is assumed for a partner's delivery. AWS Ground Station also "
        "starts each downlink's delivery with an empty guiding .pcap, one more object (AWS's S3 data delivery "
        "sample drops it). A contact's frame streams are written as groundlink's processor writes them, one "
        "object per virtual channel whatever its size, counted as one per downlink (a lower bound: the spec does "
        "not say how many virtual channels a downlink carries; assumptions.object_size_mb splits them instead), "
        "and each processed contact also writes its frame index and contact summary, one object each. S3 PUT "
        "requests on AWS: one per "
        # AWS Ground Station delivers here: no manifest is written on AWS (it had been named all the same)
        "raw file, guiding file, frame index and contact summary (raw files: a lower bound, their upload method not "
        "known), and for each frame-stream object the processor's upload: one request under 8 MiB, else one per "
        "8 MiB part plus two; Azure's ADLS Gen2 account bills a file's writes per 4 MiB, so one write operation "
        "per 4 MiB of each object, at least one (the frame index and contact summary counted as one each).",
        "A partner network also writes one manifest per contact, last, into the raw store (the AWS stack with "
        "provider: partner; the Azure stack always, as it has no ground station of its own). The Azure delivery "
        # the worked example names no partner principal: Azure's landing grants nobody (a declared gap)
        "figures assume a partner that delivers, which it cannot until "
        "ground_segment.partner.azure_principal_object_id is set (the plan declares the gap).",
        "One key request per object written (an upper bound: S3 Bucket Keys and Azure's key caching cut it).",
        "Serverless SQL scans 2 TB/month in 100 queries (usage.*); Athena and Synapse serverless SQL bill at "
        "least 10 MB per query.",
        "Processing events follow each cloud's trigger: on AWS, EventBridge fires once per contact (Ground "
        "Station's contact events); on Azure, Event Grid fires once per contact manifest created (BlobCreated, "
        "its subscription filtered to the manifest's name). Event Grid counts an ingress operation for every "
        "blob the account creates (raw and products) and a delivery per manifest. Three queue requests (send, receive, delete/complete) per processing event, and one "
        "processor invocation per message delivered.",
        "Telemetry flows at 2 KB/s while in contact (usage.telemetry_kb_per_second). Kinesis on demand and "
        "Firehose bill each record rounded up, to 1 KB and to 5 KB (Amazon Kinesis Data Streams pricing, "
        '"multiplied by the size of each record rounded up to the nearest 1 KB (1,024 bytes)", '
        'https://aws.amazon.com/kinesis/data-streams/pricing/; Amazon Data Firehose pricing, "billed per GB '
        'ingested in 5KB increments (a 3KB record is billed as 5KB ...)", https://aws.amazon.com/firehose/pricing/; '
        "read 2026-12-07); the telemetry's record size is not known, so those two lines bill its bytes alone "
        "and are lower bounds.",
        "Egress 100 GB/month (usage.egress_gb_per_month).",
        "Budgets, logs, catalogs' own storage, the key versions automatic key rotation adds, Key Vault's "
        "charge for each automatic rotation and Event Hubs Standard ingress events are not priced (not in the "
        "price catalog).",
        "A price's free monthly allowance (a line's freePerMonth in compare.json) belongs to the whole account "
        "or subscription: it is applied as if this stack were its only user.",
    ]


def test_the_usage_figures_of_the_worked_example():
    usage = _usage()
    assert usage.days_per_month == pytest.approx(30.41667, rel=1e-6)
    assert usage.contacts_per_month == pytest.approx(73)  # 36.5 per satellite
    assert usage.billed_minutes(wideband=False) == pytest.approx(365)  # alpha, 30 MHz
    assert usage.billed_minutes(wideband=True) == pytest.approx(365)  # beta, 50 MHz
    assert usage.contact_seconds == pytest.approx(41610)  # 570 s x 73
    assert usage.raw_gb == pytest.approx(46.24236328125)  # 41.61 GB of bits x 1.111328125
    assert usage.products_gb == pytest.approx(23.121181640625)  # 20.805 x 1.111328125
    # 19 raw files a link + a frame stream, the frame index and the contact summary, per pass: 22 x 73
    assert usage.objects_written == pytest.approx(1606)
    # one per 4 MiB: 19 raw files of 33,339,843.75 bytes x ceil(7.95) = 8 + ceil(75.51) = 76 for the
    # 316,728,515.625-byte frame stream + 2, per pass: 230 x 73
    assert usage.adls_object_writes == pytest.approx(16790)
    # the managed example: AWS Ground Station writes no manifest; on Azure a partner writes one per contact
    assert usage.manifests == {"azure": pytest.approx(73)}
    # AWS Ground Station's empty guiding .pcap per downlink of each contact; the partner's manifest
    assert usage.guides == {"aws": pytest.approx(73)}
    assert (usage.written("aws"), usage.written("azure")) == (pytest.approx(1679), pytest.approx(1679))
    assert usage.adls_write_operations() == pytest.approx(16863)  # and one per manifest
    # one queue message per contact event on AWS, per contact manifest on Azure (not per raw blob)
    assert usage.queue_messages("aws") == (pytest.approx(73), "one per contact event")
    assert usage.queue_messages("azure") == (pytest.approx(73), "one per contact manifest created, BlobCreated")
    assert usage.telemetry_gb == pytest.approx(0.08322)
    assert (usage.query_tb, usage.queries, usage.billed_query_tb) == (2, 100, pytest.approx(2))
    assert usage.egress_gb == 100
    assert usage.contact_events == pytest.approx(73)
    assert [(s.store, s.gb_per_day) for s in usage.stores] == [
        ("raw", pytest.approx(1.520296875)),
        ("products", pytest.approx(0.7601484375)),
    ]
    assert [(link.satellite, link.downlink, link.gb_per_contact) for link in usage.links] == [
        ("alpha", usage.links[0].downlink, pytest.approx(0.63345703125)),
        ("beta", "wide", pytest.approx(0.63345703125)),
    ]


def test_many_small_queries_are_billed_at_the_athena_minimum():
    # 1,000,000 queries x 10 MB = 10 TB billed, though only 2 TB are scanned
    usage = _usage(**{"usage.queries_per_month": 1_000_000})
    assert usage.billed_query_tb == pytest.approx(10)
    assert usage.query_tb == 2


def _usage_texts(**changes: object) -> tuple[str, str, list[str]]:
    """The SQL and egress assumptions, and the bases of the serverless SQL lines, for usage `changes`."""
    data = _example(**changes)
    est = estimate(build_blueprint(spec_from_data(data)), _catalogs())
    said = [text for text in est.usage.assumptions if text.startswith(("Serverless SQL", "Egress"))]
    bases = [line.basis for cc in est.clouds.values() for line in cc.lines if "queries x 10 MB" in line.basis]
    return said[0], said[1], bases


def test_usage_figures_are_written_out_whole_never_with_an_exponent():
    """`:g` printed the spec's 1,234,567 GB as 1.23457e+06 (a figure lost), 1,000,000 TB as 1e+06
    and 730,000,000 queries without separators; docs/compare.md: never in scientific notation."""
    sql, egress, bases = _usage_texts(
        **{
            "usage.query_tb_scanned_per_month": 1000000,
            "usage.queries_per_month": 730000000,
            "usage.egress_gb_per_month": 1234567,
        }
    )
    assert sql == (
        "Serverless SQL scans 1,000,000 TB/month in 730,000,000 queries (usage.*); Athena and Synapse "
        "serverless SQL bill at least 10 MB per query."
    )
    assert egress == "Egress 1,234,567 GB/month (usage.egress_gb_per_month)."
    assert bases == ["max(1,000,000 TB, 730,000,000 queries x 10 MB): at least 10 MB billed per query"] * 2


def test_a_small_usage_figure_keeps_its_decimals():
    sql, _, bases = _usage_texts(**{"usage.query_tb_scanned_per_month": 0.00001, "usage.queries_per_month": 12345})
    assert sql.startswith("Serverless SQL scans 0.00001 TB/month in 12,345 queries (usage.*);")
    assert bases == ["max(0.00001 TB, 12,345 queries x 10 MB): at least 10 MB billed per query"] * 2


def test_storage_at_the_end_of_the_first_month():
    assert _usage().storage_end_of_month(1) == {
        "hot": pytest.approx(68.413359375),
        "cool": pytest.approx(0.855 * 1.111328125),  # 0.950186
        "cold": 0,
        "archive": 0,
    }


def test_storage_held_on_average_during_the_first_month():
    assert _usage().storage_month(1) == {
        "hot": pytest.approx(34.6753, rel=1e-4),
        "cool": pytest.approx(0.006508, rel=1e-3),
        "cold": 0,
        "archive": 0,
    }


def _products_gb(**changes: object) -> float:
    from groundlink.cost.usage import monthly_usage

    from .conftest import spec_data, with_changes

    data = with_changes(spec_data("noaa20.yaml"), dict(changes))
    return monthly_usage(build_blueprint(spec_from_data(data, "s.yaml")), 8.0).products_gb


def test_products_come_from_what_writes_them():
    """noaa20: one 15 Mbit/s demod/decode downlink, 4 contacts of 10 min a day: 15 x 600 / 8 = 1,125 MB
    of bits a contact; 4 x 365/12 = 121.667 contacts a month: 136.875 GB of decoded data a month.
    With usage.products_ratio unset, what the processor writes: frame streams as large as the
    decoded data and a frame index of 24 bytes a 1,024-byte CADU, 136.875 x (1 + 24/1024) =
    140.083 GB. With a ratio, that ratio of the captures landed, which hold 114 bytes of headers a
    1,024-byte datagram beside the bits: 136.875 x (1 + 114/1024) = 152.113 GB, 30.4226 GB at 0.2.
    Processing off, nothing writes products."""
    assert _products_gb() == pytest.approx(136.875 * 1.0234375)  # 140.0830078125
    assert _products_gb(**{"usage.products_ratio": 0.2}) == pytest.approx(27.375 * 1.111328125)  # 30.422607421875
    assert _products_gb(**{"usage.products_ratio": 0}) == 0
    assert _products_gb(**{"processing.enabled": False}) == 0
    assert _products_gb(**{"processing.enabled": False, "usage.products_ratio": 0.2}) == 0


def test_digif_samples_feed_no_products():
    # a 1 MHz DigIF downlink (its preset is demod/decode's): samples, no frames, so no products
    digif = {
        "satellites.0.downlinks.0.delivery": "digif",
        "satellites.0.downlinks.0.bandwidth_mhz": 1.0,
        "satellites.0.downlinks.0.preset": DROP,
    }
    assert _products_gb(**digif) == 0


def test_a_container_job_mission_s_assumptions_speak_of_jobs_and_the_pipe_not_of_lambda():
    jobs = _usage(
        **{"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:1.0"}
    ).assumptions
    functions = _usage().assumptions
    said, function_said = " ".join(jobs), " ".join(functions)
    assert "one container job per message delivered" in said
    assert "EventBridge Pipes requests that submit each AWS container job" in said
    # its tasks run in a public subnet, each with a public IPv4 address: unpriced, and said so
    assert "the public IPv4 address each of its Fargate tasks holds while it runs" in said
    assert "public IPv4" not in function_said
    assert "the EventBridge pipe's polling of an empty queue" in said
    assert "Lambda" not in said
    # and a function mission's keep the function's words
    assert "one processor invocation per message delivered" in function_said
    assert "Lambda function's ephemeral storage above the 512 MB included" in function_said
    assert "Lambda's polling of an empty queue" in function_said


def test_the_serverless_sql_sentence_names_the_engines_the_spec_has():
    """Athena and Synapse by default; with analytics.azure_engine: adx only Athena bills per query
    (Azure's queries run on a cluster priced by the month); without serverless SQL, none."""
    said = {
        engine: [a for a in _usage(**changes).assumptions if a.startswith(("Serverless SQL", "No serverless SQL"))]
        for engine, changes in (
            ("synapse", {}),
            ("adx", {"analytics.azure_engine": "adx"}),
            ("none", {"analytics.serverless_sql": False}),
        )
    }
    assert said == {
        "synapse": [
            "Serverless SQL scans 2 TB/month in 100 queries (usage.*); Athena and Synapse serverless SQL bill at "
            "least 10 MB per query."
        ],
        "adx": [
            "Serverless SQL scans 2 TB/month in 100 queries (usage.*); Athena bills at least 10 MB per query; "
            "Azure's queries run on Data Explorer, whose cluster is priced by the month."
        ],
        "none": ["No serverless SQL (analytics.serverless_sql: false): no query is priced."],
    }


def test_a_partner_mission_prices_no_telemetry_data_and_names_only_its_own_objects():
    """With provider: partner nothing in the AWS stack sends contact telemetry to its stream
    (AWS Ground Station's sink streams only its own contacts), yet its data in and archive were
    priced at usage.telemetry_kb_per_second; and the PUT line named guiding files, which only
    AWS Ground Station writes, while the partner's manifests are what it writes instead."""
    from groundlink.cost import load_catalogs

    from .conftest import plan_of, spec_data

    spec = spec_from_data(spec_data("partner.yaml"))
    plans = {"aws": plan_of(spec_data("partner.yaml"), "aws")}  # its stream is ON_DEMAND: a data-in line
    cost = estimate(build_blueprint(spec), load_catalogs()[0], plans=plans)
    aws = {line.item: line for line in cost.clouds["aws"].lines}
    none = "none: nothing in the stack sends contact telemetry to the stream (provider: partner)"
    for item in ("Kinesis on-demand data in", "Firehose telemetry archive"):
        assert (aws[item].quantity, aws[item].basis) == (0, none)
    assert cost.usage.telemetry_gb == 0  # 1 KB/s x 9 min x 182.5 contacts, which no one sends
    assert cost.usage.telemetry_gb_on("aws") == 0
    assert aws["S3 PUT requests"].basis.startswith("one per raw file, manifest, frame index and contact summary (")
    said = " ".join(cost.usage.assumptions)
    assert "guiding" not in said and "Telemetry flows" not in said
    assert "figures assume a partner that delivers" not in said  # both its identities are named
    assert (
        "No telemetry data is priced: with provider: partner nothing in the AWS stack sends contact telemetry to "
        "its stream (AWS Ground Station's sink streams only its own contacts), so the 1 KB/s of "
        "usage.telemetry_kb_per_second is not used; the stream itself is priced."
    ) in cost.usage.assumptions


def test_a_partner_without_its_aws_account_is_said_to_deliver_nothing_yet():
    """specs/aqua-legacy.yaml names no partner AWS account: the AWS plan declares that no partner
    may write the landing prefix, yet the AWS delivery lines were priced with no word of it."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    usage = estimate(build_blueprint(spec_from_data(spec_data("aqua-legacy.yaml"))), load_catalogs()[0]).usage
    (said,) = [a for a in usage.assumptions if a.startswith("A partner network also writes")]
    assert said.endswith(
        " The AWS delivery figures assume a partner that delivers, which it cannot until "
        "ground_segment.partner.aws_account_id is set (the plan declares the gap)."
    )


def test_a_partner_without_an_identity_on_either_cloud_is_said_to_deliver_nothing_yet_on_both():
    """Both clouds' gaps in one sentence: both fields named, and "are" set."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("partner.yaml")
    for field in ("aws_account_id", "azure_principal_object_id", "aws_external_id"):
        data["ground_segment"]["partner"].pop(field, None)
    usage = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage
    (said,) = [a for a in usage.assumptions if a.startswith("A partner network also writes")]
    assert said.endswith(
        " The AWS and Azure delivery figures assume a partner that delivers, which it cannot until "
        "ground_segment.partner.aws_account_id and ground_segment.partner.azure_principal_object_id are set "
        "(the plan declares the gap)."
    )


@pytest.mark.parametrize("enabled", [True, False])
def test_the_put_line_and_assumptions_speak_of_the_processor_only_where_it_runs(enabled):
    """With processing off nothing uploads a product, and the text said the processor did."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    data["processing"] = {"enabled": enabled}
    cost = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0])
    [put] = [line for line in cost.clouds["aws"].lines if line.item == "S3 PUT requests"]
    said = " ".join(cost.usage.assumptions)
    for text in (put.basis, said):
        assert ("the processor's upload" in text) is enabled, text
        assert ("frame index" in text) is enabled, text
    assert ("No products are written" in said) is not enabled


def test_a_stack_that_stores_nothing_says_so_and_nothing_of_a_processor():
    """A partner streaming only, processing off: the text said '0 raw files per contact', 'one PUT
    request per nothing', 'Products written = 0.2 x nothing' and priced Lambda's polling."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("partner.yaml")
    data["delivery"] = {"object_store": False, "stream": True}
    data["processing"] = {"enabled": False}
    cost = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0])
    said = " ".join(cost.usage.assumptions)
    for gone in ("raw files per contact", "per nothing", "x nothing", "Lambda", "ephemeral storage", "polling"):
        assert gone not in said, gone
    assert "S3 PUT requests on AWS: none: no contact is delivered or processed as objects" in said
    assert "No products are written: nothing processes the contacts" in said
    assert "no processor run: none is deployed" in said
    [put] = [line for line in cost.clouds["aws"].lines if line.item == "S3 PUT requests"]
    assert put.basis == "none: no contact is delivered or processed as objects (delivery.object_store: false)"


def test_the_unpriced_items_are_those_of_services_the_stack_has():
    """Without serverless SQL, a catalog, a telemetry stream or keys, the text still named Athena's
    result objects, catalogs' storage, the telemetry archive, Firehose and key rotation."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    data["analytics"] = {"telemetry_stream": False, "serverless_sql": False, "catalog": False}
    data["security"] = {**data.get("security", {}), "customer_managed_keys": False}
    said = " ".join(estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage.assumptions)
    for absent in ("Athena's query-result", "catalogs' own storage", "telemetry archive writes", "Firehose's reads",
                   "key rotation", "Event Hubs Standard ingress"):  # fmt: skip
        assert absent not in said, absent
    assert "Budgets and logs are not priced (not in the price catalog)." in said
    assert "Nor are Lambda's polling of an empty queue." in said


@pytest.mark.parametrize(
    ("changes", "absent", "present"),
    [
        ({"security": {"premium_messaging": True}}, "Event Hubs Standard ingress events", "Key Vault's charge"),
        ({"security": {"customer_managed_keys": False}}, "One key request per object written", "Budgets"),
    ],
)
def test_a_sentence_of_what_goes_unpriced_names_only_what_the_stack_has(changes, absent, present):
    """Premium's unit includes its ingress; without the mission's keys there are no key requests."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    for section, values in changes.items():
        data[section] = {**data.get(section, {}), **values}
    said = " ".join(estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage.assumptions)
    assert absent not in said and present in said and "  " not in said


@pytest.mark.parametrize(
    ("analytics", "scanned", "said_reads"),
    [
        ({"azure_engine": "adx"}, 2, "(Athena's S3 GET requests and Data Explorer's blob read operations)"),
        ({"azure_engine": "adx", "serverless_sql": False}, 2, "(Data Explorer's blob read operations)"),
        ({"serverless_sql": False, "catalog": False, "azure_engine": "adx"}, 2, None),  # no table over a store
        ({}, 0, None),  # nothing scanned, nothing read
    ],
)
def test_the_query_engines_reads_are_said_unpriced_for_the_engines_that_scan(analytics, scanned, said_reads):
    """Athena, Synapse serverless SQL and Data Explorer's external tables read the stores they scan
    with the stores' own read requests, which no line bills; the report named only the processor's."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    data["analytics"] = {**data.get("analytics", {}), **analytics}
    data["usage"] = {**data.get("usage", {}), "query_tb_scanned_per_month": scanned}
    said = " ".join(estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage.assumptions)
    if said_reads is None:
        assert "the query engines' reads" not in said
    else:
        assert f"the query engines' reads of the stores they scan {said_reads}" in said


def test_the_telemetry_lines_are_said_to_be_lower_bounds_where_aws_sends_telemetry():
    """Kinesis and Firehose round each record up (1 KB, 5 KB); a rate in KB/s gives no record size."""
    managed = " ".join(_usage().assumptions)
    assert "so those two lines bill its bytes alone and are lower bounds" in managed
    partner = {"ground_segment.provider": "partner", "ground_segment.partner": {"name": "ksat_lite"}}
    assert "rounded up, to 1 KB and to 5 KB" not in " ".join(_usage(**partner).assumptions)


def test_the_dubbo_share_is_said_for_ground_station_and_not_for_a_partner():
    said = " ".join(_usage(**{"ground_segment.dubbo_minutes_share": 0.125}).assumptions)
    assert "AWS Ground Station prices Dubbo 1 above its other sites: 12.5% of the minutes are taken there" in said
    partner = {"ground_segment.provider": "partner", "ground_segment.partner": {"name": "ksat_lite"}}
    assert "Dubbo" not in " ".join(_usage(**partner).assumptions)


def _said(base: str, **changes) -> str:
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data(base)
    for path, value in changes.items():
        section, key = path.split(".")
        data[section] = {**data.get(section, {}), key: value}
    return " ".join(estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).usage.assumptions)


STREAM_ONLY = {
    "delivery.stream": True,
    "delivery.object_store": False,
    "processing.enabled": False,
    "analytics.telemetry_stream": False,
    "security.premium_messaging": False,
}


@pytest.mark.parametrize(
    ("base", "has_hubs"),
    [("noaa20.yaml", False), ("partner.yaml", True)],
    ids=["managed-streams-on-aws-only", "partner-streams-into-azure"],
)
def test_event_hubs_ingress_is_said_unpriced_only_where_the_azure_stack_has_a_hub(base, has_hubs):
    """A managed station streams to Kinesis on AWS; the Azure stack has no hub then, and the
    assumptions named its unpriced ingress all the same. A partner streams into an Azure hub."""
    said = _said(base, **STREAM_ONLY)
    assert ("Event Hubs Standard ingress events" in said) is has_hubs


def test_a_managed_station_fires_its_contact_events_on_aws_without_delivered_objects():
    """Ground Station's own contact events fire whether or not it lands objects; only a partner's
    trigger is the manifest it lands."""
    said = _said("noaa20.yaml", **STREAM_ONLY)
    assert "on AWS, EventBridge fires once per contact (Ground Station's contact events)" in said
    assert "on Azure, none fires (no manifest lands)" in said
