"""The spec admits what the signal and the Ground Station API admit, and refuses the rest."""

from __future__ import annotations

import pytest

from groundlink import limits
from groundlink.presets import PRESETS
from groundlink.spec import SpecError, spec_from_data

from .conftest import spec_data


def errors(downlink: dict | None = None, region: str | None = None) -> list[str]:
    data = spec_data()
    data["satellites"][0]["downlinks"][0].update(downlink or {})
    if region:
        data["clouds"]["aws"]["region"] = region
    try:
        spec_from_data(data, "s.yaml")
    except SpecError as error:
        return error.lines
    return []


FIELD = "s.yaml: satellites[0].downlinks[0]"


def test_preset_signal_figures_follow_symbol_rate_rolloff_and_code():
    # 15 Msps x (1 + 0.5) and 2 bits/symbol x 15 Msps / 2 (rate-1/2 Viterbi); Aqua 7.5 Msps OQPSK, uncoded
    assert (PRESETS["jpss1_hrd"].occupied_bandwidth_mhz, PRESETS["jpss1_hrd"].information_rate_mbps) == (22.5, 15)
    assert (PRESETS["aqua_db"].occupied_bandwidth_mhz, PRESETS["aqua_db"].information_rate_mbps) == (11.25, 15)


def test_a_preset_at_another_frequency_is_refused():
    assert errors({"center_frequency_mhz": 2250}) == [
        f"{FIELD}.center_frequency_mhz: 2250 is not the jpss1_hrd downlink; allowed: 7812 "
        "(NOAA-20 (JPSS-1) HRD: QPSK 15 Msps, CCSDS 171/133 Viterbi r1/2, NRZ-M; another signal needs "
        "demodulation_json and decode_json)"
    ]


@pytest.mark.parametrize(("bandwidth", "refused"), [(2, True), (22.4, True), (22.5, False), (30, False)])
def test_bandwidth_below_what_the_preset_occupies_is_refused(bandwidth, refused):
    found = errors({"bandwidth_mhz": bandwidth})
    if refused:
        assert found == [
            f"{FIELD}.bandwidth_mhz: {bandwidth} is below the 22.5 MHz jpss1_hrd occupies "
            "(15 Msps x (1 + roll-off 0.5)); allowed: 22.5-650"
        ]
    else:
        assert found == []


def test_a_data_rate_above_what_the_preset_carries_is_refused():
    assert errors({"data_rate_mbps": 15}) == []
    assert errors({"data_rate_mbps": 20}) == [
        f"{FIELD}.data_rate_mbps: 20 is above the 15 Mbps jpss1_hrd carries (QPSK at 15 Msps, rate-1/2 Viterbi); "
        "allowed: up to 15"
    ]


def test_every_way_a_downlink_differs_from_its_preset_is_said_at_once():
    """One mismatch a run: the frequency, then the bandwidth, then the data rate, three runs of validate."""
    found = errors({"center_frequency_mhz": 2250, "bandwidth_mhz": 5, "data_rate_mbps": 20})
    assert [line.split(":")[1].strip() for line in found] == [
        "satellites[0].downlinks[0].center_frequency_mhz",
        "satellites[0].downlinks[0].bandwidth_mhz",
        "satellites[0].downlinks[0].data_rate_mbps",
    ]


def test_json_outside_the_api_json_string_alphabet_is_refused():
    preset = PRESETS["jpss1_hrd"]
    explicit = {
        "preset": None,
        "demodulation_json": preset.demodulation_json(7812),
        "decode_json": preset.decode_json(),
    }
    assert errors(explicit) == []
    explicit["decode_json"] = explicit["decode_json"].replace("UncodedFramesEgress", "Uncoded#Egress")
    [line] = errors(explicit)
    assert line.startswith(f"{FIELD}.decode_json: has '#', outside the API's JsonString alphabet; allowed: [{{}}")
    assert line.endswith("(botocore 1.44.5 groundstation service-2, groundstation JsonString)")


@pytest.mark.parametrize("frequency", [2200, 2300, 7750, 8400])
def test_band_edges_are_accepted_for_a_signal_without_a_preset(frequency):
    digif = {"delivery": "digif", "preset": None, "bandwidth_mhz": 0.01, "center_frequency_mhz": frequency}
    assert errors(digif) == []


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-1", "us-west-2"])
def test_ground_station_api_regions_are_accepted_for_a_managed_ground_segment(region):
    assert errors(region=region) == []


def test_a_region_without_the_api_is_refused_with_the_allowed_ones():
    [line] = errors(region="ca-central-1")
    assert line.startswith("s.yaml: clouds.aws.region: ca-central-1 has no AWS Ground Station API endpoint; allowed: ")
    assert "eu-central-1" in line and "us-east-1" in line and "cross" not in line.split("allowed:")[0]


def test_api_regions_are_botocores_and_antenna_regions_among_them():
    import yaml

    from groundlink.coverage import SITES_FILE
    from groundlink.preflight.aws_api import service_regions

    assert sorted(limits.AWS_GROUND_STATION_API_REGIONS) == service_regions("groundstation")
    sites = yaml.safe_load(SITES_FILE.read_text())["networks"]["aws_ground_station"]["sites"]
    antenna_regions = {site["region"] for site in sites}
    assert len(antenna_regions) == 9 and antenna_regions < limits.AWS_GROUND_STATION_API_REGIONS
    assert "Seoul 1" not in {site["name"] for site in sites}  # gone since 2026-06-16 (docs/facts.md §5)


def test_aws_partitions_are_botocores():
    from botocore.loaders import Loader

    partitions = Loader().load_data("endpoints")["partitions"]
    assert dict(limits.AWS_PARTITION_REGIONS) == {p["partition"]: p["regionRegex"] for p in partitions}


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-gov-west-1", "aws-us-gov"),
        ("cn-north-1", "aws-cn"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eusc-de-east-1", "aws-eusc"),
    ],
)
@pytest.mark.parametrize("field", ["region", "replica_region"])
def test_a_region_of_another_aws_partition_is_named_by_its_partition(region, partition, field):
    """GovCloud and China regions were called "not an AWS region name such as us-west-2"."""
    data = spec_data()
    data["clouds"]["aws"][field] = region
    if field == "replica_region":
        data["storage"]["redundancy"] = "geo"
    with pytest.raises(SpecError) as raised:
        spec_from_data(data)
    assert raised.value.lines == [
        f"<spec>: clouds.aws.{field}: {region} is a region of the {partition} partition, and groundlink deploys "
        "to the AWS commercial partition (aws) only; allowed: us-east-1, us-east-2, us-west-1, us-west-2 ... "
        "(every AWS region: the schema's enum lists them)"
    ]
