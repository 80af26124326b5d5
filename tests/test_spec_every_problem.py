"""validate says every problem a spec has, one line each, not the first a validator met: two
bounds of `processing` out at once named one, `processing.capture` hid its udp_ports behind its
spacecraft_ids, and a list of addresses stopped at its first bad item. One case per validator
that judges several fields, each breaking independent rules; the paths expected are written out."""

from __future__ import annotations

from typing import Any

import pytest

from groundlink.inputs import SpecError
from groundlink.spec import spec_from_data

from .conftest import DROP, spec_data, with_changes
from .test_input_hardening import GOOD_DECODE, GOOD_DEMOD

ORBITAL = "clouds.azure.orbital"
CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "orbital endpoint",
        {
            f"{ORBITAL}.vnet_cidr": "10.40.0.1/16",  # host bits
            f"{ORBITAL}.ip_address": "10.40.0.400",
            f"{ORBITAL}.mtu": 100,
        },
        [f"{ORBITAL}.vnet_cidr", f"{ORBITAL}.ip_address", f"{ORBITAL}.mtu"],
    ),
    (
        "tags",
        {"mission.tags": {"Mission": "x", "aws:team": "ops", "team": "é", "Team": "ops"}},
        ["mission.tags.Mission", "mission.tags.aws:team", "mission.tags.team", "mission.tags.Team"],
    ),
    (
        "processing",
        {"processing.memory_mb": 1, "processing.timeout_seconds": 0, "processing.max_concurrency": 1},
        ["processing.memory_mb", "processing.timeout_seconds", "processing.max_concurrency"],
    ),
    (
        "a container job",
        {
            "processing.mode": "container_job",
            "processing.container_vcpu": 3,
            "processing.container_memory_gb": 5,
            "processing.timeout_seconds": 30,
        },
        [
            "processing.timeout_seconds",
            "processing.container_image",
            "processing.container_vcpu",
            "processing.container_memory_gb",
        ],
    ),
    (
        "capture",
        {"processing.capture": {"udp_ports": [0, 70000], "spacecraft_ids": [1300, 1400], "cadu_length": 5}},
        [
            "processing.capture.cadu_length",
            "processing.capture.spacecraft_ids[0]",
            "processing.capture.spacecraft_ids[1]",
            "processing.capture.udp_ports[0]",
            "processing.capture.udp_ports[1]",
        ],
    ),
    (
        "addresses",
        {"analytics.sql_clients": ["300.1.1.1", "10.0.0.1", "8.8.8.8", "8.8.8.8"]},
        ["analytics.sql_clients[0]", "analytics.sql_clients[1]", "analytics.sql_clients[3]"],
    ),
    (
        "ground segment",
        {
            "ground_segment.pre_pass_seconds": 99999,
            "ground_segment.provider": "partner",
            "ground_segment.contacts_per_day": 100,  # x 20 min: 2,000 minutes a day
            "ground_segment.contact_minutes": 20,
        },
        ["ground_segment.pre_pass_seconds", "ground_segment.partner", "ground_segment.contacts_per_day"],
    ),
    (
        "aws",
        {"clouds.aws.region": "mars-north-1", "clouds.aws.replica_region": "venus-1"},
        ["clouds.aws.region", "clouds.aws.replica_region"],
    ),
    (
        "analytics",
        {"analytics.catalog": False, "analytics.query_bytes_scanned_cutoff_gb": 0.001},
        ["analytics.serverless_sql", "analytics.query_bytes_scanned_cutoff_gb"],
    ),
    (
        "storage",
        {
            "storage.geo_read_access": True,
            "storage.tiering": [{"after_days": 10, "tier": "cool"}, {"after_days": 5, "tier": "cold"}],
        },
        ["storage.geo_read_access", "storage.tiering[0].after_days", "storage.tiering[1].after_days"],
    ),
    (
        "mission",
        {
            "delivery.object_store": False,
            "delivery.stream": True,
            "ground_segment.pre_pass_seconds": 0,
            "clouds.azure.location": "chinaeast2",
        },
        ["processing.enabled", "ground_segment.pre_pass_seconds", "clouds.azure.location"],
    ),
    (
        "downlink",
        {
            "satellites.0.downlinks.0.preset": DROP,
            "satellites.0.downlinks.0.demodulation_json": "[" * 40 + "]" * 40,
            "satellites.0.downlinks.0.digif_mbps": 100,
        },
        [
            "satellites[0].downlinks[0].preset",
            "satellites[0].downlinks[0].demodulation_json",
            "satellites[0].downlinks[0].digif_mbps",
        ],
    ),
]


@pytest.mark.parametrize(("changes", "paths"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_independent_problem_is_its_own_line(changes: dict[str, Any], paths: list[str]) -> None:
    base = "aqua-legacy.yaml" if any(key.startswith(ORBITAL) for key in changes) else "noaa20.yaml"
    with pytest.raises(SpecError) as caught:
        spec_from_data(with_changes(spec_data(base), changes), "spec.yaml")
    said = [line.split(": ", 2)[1] for line in caught.value.lines]  # "spec.yaml: PATH: what is wrong"
    assert said == paths, caught.value.lines


# No line follows from another: where one problem makes a second check meaningless, the second
# is not said (each pair was said twice after validators began to collect their problems).
DERIVED: list[tuple[str, str, dict[str, Any], list[str]]] = [
    (
        "two satellites of one name name their resources alike: the names are the problem",
        "noaa20.yaml",
        {"satellites": "twice"},
        ["satellites[1].name", "satellites[1].norad_id"],  # the copy's name and NORAD id, each given twice
    ),
    (
        "a preset with both JSON configs: the conflict is the problem, not the preset's frequencies",
        "noaa20.yaml",
        {
            "satellites.0.downlinks.0.demodulation_json": GOOD_DEMOD,
            "satellites.0.downlinks.0.decode_json": GOOD_DECODE,
            "satellites.0.downlinks.0.center_frequency_mhz": 8100,
        },
        ["satellites[0].downlinks[0].preset"],
    ),
    (
        "TLE lines of another satellite: one wrong id, one line",
        "aqua-legacy.yaml",
        {"satellites.0.norad_id": 99999},
        ["satellites[0].tle"],
    ),
]


@pytest.mark.parametrize(("base", "changes", "paths"), [d[1:] for d in DERIVED], ids=[d[0] for d in DERIVED])
def test_a_problem_that_follows_from_another_is_not_said(base: str, changes: dict[str, Any], paths: list[str]) -> None:
    data = spec_data(base)
    if changes.pop("satellites", None) == "twice":
        data["satellites"] = [data["satellites"][0], dict(data["satellites"][0])]
    with pytest.raises(SpecError) as caught:
        spec_from_data(with_changes(data, changes), "spec.yaml")
    said = [line.split(": ", 2)[1] for line in caught.value.lines]
    assert said == paths, caught.value.lines
