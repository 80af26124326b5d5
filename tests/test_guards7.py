"""One-line edits the sampled mutation run of 2026-12-06 (`make mutation` at 7a1f992) left alive,
each held to what a user sees or what the runtime and the clouds read: the Glue database's
description, the Ground Station antenna config's capability, the replication alarms' text, the
processor role's statement ids, the Data Explorer catalog's gap, the replication metrics' cost
basis, the capture setting the processor parses, and the container size a memory refusal
advises. (The pack's inline replication role is a case of tests/pack_cases.py.)

The planned tests share the example's plans and variants other files build."""

from __future__ import annotations

import copy
import json

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate
from groundlink.cost.catalog import load_catalogs
from groundlink.spec import SpecError, spec_from_data

from .conftest import cached_plan, spec_data, variant_plan, with_changes

GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}


def test_the_glue_database_says_what_it_holds():
    """The description the Glue and Athena consoles show beside the database's name."""
    (database,) = cached_plan("noaa20.yaml", "aws").of_type("aws:glue/catalogDatabase:CatalogDatabase")
    assert database.inputs["description"] == "noaa20: contact data and products"


def test_every_ground_station_config_belongs_to_the_managed_station():
    """The report counts a capability's resources: the antenna config left out of
    ground.managed_station would vanish from it."""
    configs = cached_plan("noaa20.yaml", "aws").of_type("aws-native:groundstation:Config")
    assert {c.name for c in configs} >= {"noaa20-ground-noaa20-hrd-antenna", "noaa20-ground-noaa20-tracking"}
    assert all("ground.managed_station" in c.capability for c in configs), [(c.name, c.capability) for c in configs]


def test_a_replication_failure_alarm_says_how_to_recover_the_objects():
    plan = variant_plan("aws", GEO)
    alarms = {
        r.name: r.inputs["alarmDescription"]
        for r in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if "replication-failed" in r.name
    }
    assert alarms == {
        f"noaa20-observability-replication-failed-{store}": f"noaa20: objects failed to replicate ({store}-to-us-east-2); "
        "S3 retries none of them: find them by their FAILED replication status and copy them with S3 Batch "
        "Replication once the cause is fixed"
        for store in ("raw", "products")
    }


def test_every_processor_statement_has_its_own_id():
    """A statement id names the grant in IAM's policy simulator and in an access-denied audit;
    the read of earlier contact summaries is one of its own (docs/aws.md)."""
    plan = cached_plan("noaa20.yaml", "aws")
    policy = json.loads(plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-processing-policy").inputs["policy"])
    sids = [s.get("Sid") for s in policy["Statement"]]
    assert sids == [
        "ConsumeContactQueue",
        "ListRawContacts",
        "ReadRawContacts",
        "WriteProducts",
        "ListProducts",
        "ReplaceProducts",
        "ReadEarlierSummaries",
        "UseMissionKey",
        "WriteLogs",
        "WriteTraces",
    ]
    (summaries,) = [s for s in policy["Statement"] if s["Sid"] == "ReadEarlierSummaries"]
    assert summaries["Action"] == ["s3:GetObject"]


def test_the_data_explorer_catalog_says_where_the_raw_captures_are():
    plan = variant_plan("azure", {"analytics.azure_engine": "adx"})
    said = [w for w in plan.warnings if w.startswith("analytics.catalog: the Data Explorer database")]
    assert said == [
        "analytics.catalog: the Data Explorer database holds the product tables (frame_index, contact_summary) "
        "and the telemetry as ContactTelemetry (one dynamic column); the raw captures have no table there "
        "(Athena's raw_contacts lists them where the AWS stack holds contacts as objects): find a contact's "
        "capture files in the raw container"
    ]


def test_the_replication_metrics_line_says_what_it_counts():
    """Two replicated stores (raw, products): 4 metrics each, written out."""
    blueprint = build_blueprint(spec_from_data(with_changes(spec_data(), dict(GEO)), "geo.yaml"))
    lines = estimate(blueprint, load_catalogs()[0]).clouds["aws"].lines
    (metrics,) = [x for x in lines if x.item == "S3 replication: replication metrics"]
    assert metrics.quantity == 8
    assert metrics.basis == (
        "4 metrics per replication rule (bytes and operations pending, latency, operations failed) x 2 rules, "
        "the failures alarmed on; the free 10 metrics of the account not counted"
    )


def test_the_processor_gets_the_capture_details_as_compact_json_on_both_clouds():
    """GROUNDLINK_CAPTURE_FORMAT is parsed by the runtime (json.loads): written otherwise, every
    contact fails; its size counts against Lambda's 4 KB of variables."""
    expected = '{"cadu_length":1024,"pseudo_randomized":true,"spacecraft_ids":[],"udp_ports":[]}'
    (function,) = cached_plan("noaa20.yaml", "aws").of_type("aws:lambda/function:Function")
    assert function.inputs["environment"]["variables"]["GROUNDLINK_CAPTURE_FORMAT"] == expected
    (app,) = cached_plan("noaa20.yaml", "azure").of_type("azure-native:web:WebApp")
    settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
    assert settings["GROUNDLINK_CAPTURE_FORMAT"] == expected
    assert json.loads(expected) == {
        "cadu_length": 1024,
        "pseudo_randomized": True,
        "spacecraft_ids": [],
        "udp_ports": [],
    }


def test_a_memory_refusal_advises_no_size_whose_disk_the_contact_outgrows():
    """A container job too small for a contact's frames is told the least size that holds them
    and its raw captures and products on disk; when no job's disk holds the contact (a DigIF
    downlink's samples beside the decoded data), it is told no size at all: a job of 2 vCPU
    would have been refused again for its 8 GiB disk."""
    data = with_changes(
        spec_data(),
        {
            "processing.mode": "container_job",
            "processing.container_image": "ghcr.io/example/groundlink:1.0",
            "processing.container_vcpu": 0.25,
            "processing.container_memory_gb": 0.5,
            "processing.max_concurrency": 4,
            "processing.timeout_seconds": 86400,
            "ground_segment.contact_minutes": 20,
        },
    )
    data["satellites"][0]["downlinks"].append(
        {
            "name": "dig",
            "center_frequency_mhz": 8100,
            "bandwidth_mhz": 30,
            "polarization": "right_hand",
            "delivery": "digif",
            "digif_mbps": 40,
            "data_rate_mbps": 1,
        }
    )
    with pytest.raises(SpecError) as info:
        spec_from_data(copy.deepcopy(data), "s.yaml")
    (memory,) = [line for line in info.value.lines if "processing.container_memory_gb" in line]
    assert memory == (
        "s.yaml: processing.container_memory_gb: a contact of 20 minutes of satellite 'noaa20' holds 2,197,266 "
        "frames of 1024 bytes, and judging them again at its end (when a frame comes late across the processor's "
        "chunks) needs about 601 MB (205 MB of working set, 180 bytes a frame), more than its 500 MB; shorten "
        "ground_segment.contact_minutes or set processing.enabled: false"
    )
