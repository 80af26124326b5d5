"""The spec fields behind the legacy Azure Orbital resources are checked up front, not at deploy."""

from __future__ import annotations

import pytest

from groundlink.spec import SpecError, load_spec

from .azure_support import with_changes
from .conftest import SPECS, spec_data, write_spec


def _errors(tmp_path, changes, base="aqua-legacy.yaml"):
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, with_changes(spec_data(base), changes)))
    return "\n".join(caught.value.lines)


def test_aqua_legacy_spec_is_valid_and_its_elements_are_sourced():
    """The spec's element set was made up (round angles, epoch 2025-01-01.5), and the report
    gave its coverage as an estimate: it is now a Space-Track set of Aqua from before the
    estate it describes was retired, named with its source and epoch."""
    spec = load_spec(SPECS / "aqua-legacy.yaml")
    [aqua] = spec.satellites
    assert (aqua.norad_id, aqua.downlinks[0].center_frequency_mhz, aqua.downlinks[0].bandwidth_mhz) == (27424, 8160, 15)
    assert spec.ground_segment.provider == "partner"  # AWS stopped supporting Aqua on 2024-11-30
    assert aqua.tle is not None
    line1, line2 = aqua.tle
    assert line1[18:32] == "24298.85751029"  # 2024-10-24 20:34:48.889 UTC, as the comment says
    assert line2[8:16].strip() == "98.3457" and line2[52:63] == "14.60134861"
    text = (SPECS / "aqua-legacy.yaml").read_text()
    assert "epoch 2024-10-24" in text and "Space-Track" in text and "element set" in text


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"clouds.azure.orbital.port": 1024}, "clouds.azure.orbital.port", "49152-65535"),
        ({"clouds.azure.orbital.port": 65536}, "clouds.azure.orbital.port", "49152-65535"),
        ({"clouds.azure.orbital.mtu": 1500}, "clouds.azure.orbital.mtu", "3650"),
        (
            {"clouds.azure.orbital.gateway_subnet_cidr": "10.40.1.0/25"},
            "clouds.azure.orbital.gateway_subnet_cidr",
            "/24",
        ),
        (
            {"clouds.azure.orbital.gateway_subnet_cidr": "10.50.1.0/24"},
            "clouds.azure.orbital.gateway_subnet_cidr",
            "not inside",
        ),
        ({"clouds.azure.orbital.gateway_subnet_cidr": "banana"}, "clouds.azure.orbital.gateway_subnet_cidr", "IPv4"),
        ({"clouds.azure.orbital.ip_address": "10.40.1.7"}, "clouds.azure.orbital.ip_address", "outside the delegated"),
        ({"clouds.azure.orbital.ip_address": "192.168.0.4"}, "clouds.azure.orbital.ip_address", "inside"),
        # ranges no Azure virtual network may hold (Azure VNet FAQ): validate passed them
        *(
            (
                {
                    "clouds.azure.orbital.vnet_cidr": vnet,
                    "clouds.azure.orbital.gateway_subnet_cidr": subnet,
                    "clouds.azure.orbital.ip_address": address,
                },
                "clouds.azure.orbital.vnet_cidr",
                f"overlaps {block}, which no Azure virtual network may hold",
            )
            for vnet, subnet, address, block in (
                ("127.0.0.0/16", "127.0.1.0/24", "127.0.0.4", "127.0.0.0/8"),
                ("224.0.0.0/16", "224.0.1.0/24", "224.0.0.4", "224.0.0.0/4"),
                ("169.254.0.0/16", "169.254.1.0/24", "169.254.0.4", "169.254.0.0/16"),
                ("168.63.0.0/16", "168.63.1.0/24", "168.63.0.4", "168.63.129.16/32"),
            )
        ),
        (
            {"clouds.azure.orbital.resource_provider_object_id": "not-a-uuid"},
            "clouds.azure.orbital.resource_provider_object_id",
            "does not match",
        ),
    ],
)
def test_bad_orbital_endpoint_settings_name_the_field(tmp_path, changes, field, says):
    message = _errors(tmp_path, changes)
    assert f"{field}:" in message and says in message


def test_ports_must_leave_room_for_every_downlink(tmp_path):
    data = spec_data("aqua-legacy.yaml")
    link = dict(data["satellites"][0]["downlinks"][0])
    data["satellites"][0]["downlinks"].append({**link, "name": "second"})
    data["clouds"]["azure"]["orbital"]["port"] = 65535
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, data))
    assert "clouds.azure.orbital.port" in caught.value.lines[0] and "65536" in caught.value.lines[0]


def test_unpolarized_downlinks_have_no_azure_orbital_equivalent(tmp_path):
    data = spec_data("aqua-legacy.yaml")
    data["satellites"][0]["downlinks"][0]["polarization"] = "none"
    with pytest.raises(SpecError) as caught:
        load_spec(write_spec(tmp_path, data))
    assert "satellites[0].downlinks[0].polarization:" in caught.value.lines[0]
    assert "RHCP or LHCP" in caught.value.lines[0]


def test_orbital_settings_without_legacy_orbital_are_refused_each_by_its_field(tmp_path):
    """An endpoint setting without the opt-in would shape nothing: the author is told, not ignored."""
    changes = {"clouds.azure.orbital": {"port": 60000, "protocol": "udp", "vnet_cidr": "10.40.0.0/16"}}
    lines = _errors(tmp_path, changes, base="noaa20.yaml").splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "clouds.azure.orbital.port",
        "clouds.azure.orbital.protocol",
    ]  # vnet_cidr is given as its default: a spec written out whole is the same spec
    assert all("only applies to clouds.azure.legacy_orbital: true" in line for line in lines)


def test_orbital_defaults_written_out_without_legacy_orbital_are_the_same_spec(tmp_path):
    written = with_changes(spec_data("noaa20.yaml"), {"clouds.azure.orbital": {"port": 50000, "mtu": 3650}})
    assert load_spec(write_spec(tmp_path, written)) == load_spec(SPECS / "noaa20.yaml")


@pytest.mark.parametrize(
    ("cidr", "message"),
    [
        ("10.42.0.1/24", "10.42.0.1/24 has host bits set; allowed: 10.42.0.0/24 (the range it lies in)"),
        ("8.8.8.0/24", "8.8.8.0/24 is not a private range; allowed: inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16"),
        ("10.0.0.0/8", "10.0.0.0/8 is a /8; allowed: /16 to /24"),
        ("10.42.0.0/25", "10.42.0.0/25 is a /25; allowed: /16 to /24"),
        ("10.42.0.0", "'10.42.0.0' is not an IPv4 range in CIDR notation; allowed: a.b.c.d/n such as {default}"),
        # host bits and a size or place refused: the size or place first, never a fix that is refused
        ("10.64.1.0/8", "10.64.1.0/8 is a /8; allowed: /16 to /24"),
        ("10.64.0.0/0", "10.64.0.0/0 is a /0; allowed: /16 to /24"),
        ("8.8.8.1/24", "8.8.8.1/24 is not a private range"),
    ],
)
def test_a_network_cidr_no_mission_network_can_take_is_refused_naming_the_field(tmp_path, cidr, message):
    for cloud in ("aws", "azure"):
        data = spec_data("noaa20.yaml")
        data["security"]["network"] = "private"
        data["clouds"][cloud]["network_cidr"] = cidr
        with pytest.raises(SpecError) as caught:
            load_spec(write_spec(tmp_path, data))
        (line,) = caught.value.lines
        assert f"clouds.{cloud}.network_cidr: " in line
        default = {"aws": "10.64.0.0/16", "azure": "10.42.0.0/24"}[cloud]  # each cloud's own example
        assert message.format(default=default) in line


def test_a_network_cidr_where_the_cloud_has_no_network_is_refused(tmp_path):
    """noaa20 is public with a function: AWS has no VPC, and a renumbered one would shape nothing."""
    lines = _errors(tmp_path, {"clouds.aws.network_cidr": "10.80.0.0/16"}, base="noaa20.yaml").splitlines()
    assert len(lines) == 1 and "clouds.aws.network_cidr: only applies to a stack with a network" in lines[0]
    assert "the AWS stack has no VPC" in lines[0]


def test_a_network_cidr_with_its_container_jobs_switched_off_says_why_there_is_no_vpc(tmp_path):
    """The refusal said "no container_job" of a spec with mode: container_job: the jobs' VPC comes
    with processing.enabled and delivery.object_store too."""
    changes = {
        "processing.mode": "container_job",
        "processing.container_image": "ghcr.io/example/groundlink:1",
        "processing.enabled": False,
        "clouds.aws.network_cidr": "10.1.0.0/16",
    }
    (line,) = _errors(tmp_path, changes, base="noaa20.yaml").splitlines()
    assert (
        "no container jobs (processing.mode: container_job with processing.enabled and delivery.object_store)" in line
    )


def test_a_flow_log_retention_where_aws_has_no_vpc_is_refused_as_shaping_nothing(tmp_path):
    """noaa20's AWS stack has no VPC, so no flow logs: a retention given there was taken and dropped."""
    (line,) = _errors(tmp_path, {"security.flow_log_retention_days": 30}, base="noaa20.yaml").splitlines()
    assert ": security.flow_log_retention_days: only applies to a stack with a network" in line
    assert "the AWS stack has no VPC: security.network: public" in line
    # the default written out shapes nothing new and is let through; a VPC makes any value count
    for accepted in (
        {"security.flow_log_retention_days": 365},
        {"security.flow_log_retention_days": 30, "security.network": "private"},
    ):
        load_spec(write_spec(tmp_path, with_changes(spec_data("noaa20.yaml"), accepted)))


def test_a_minimum_contact_longer_than_the_contact_names_a_readable_length(tmp_path):
    (line,) = _errors(tmp_path, {"ground_segment.min_contact_seconds": 601}, base="noaa20.yaml").splitlines()
    assert "contact_minutes: 10 min is shorter than min_contact_seconds 601" in line
    assert "allowed: 10.017 min or more" in line  # not 10.016666666666667


@pytest.mark.parametrize(("count", "refused"), [(400, False), (401, True)])
def test_a_partner_may_list_as_many_addresses_as_the_storage_firewall_takes(tmp_path, count, refused):
    """An account takes 400 IP rules (Microsoft's storage-account limits, 2025-11-19; 200 in their
    earlier revisions): a partner listing 201-400 addresses was refused though Azure takes them."""
    from groundlink.spec import spec_from_data

    data = spec_data("partner.yaml")
    data["ground_segment"]["partner"]["source_addresses"] = [f"20.{i // 256}.{i % 256}.0/24" for i in range(count)]
    if not refused:
        assert len(spec_from_data(data).ground_segment.partner.source_addresses) == 400
        return
    with pytest.raises(SpecError) as error:
        spec_from_data(data)
    assert "ground_segment.partner.source_addresses" in str(error.value) and "400" in str(error.value)
