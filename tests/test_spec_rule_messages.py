"""Spec rules whose one-line message was not asserted anywhere: each case breaks one field of
an example spec and expects the exact line `validate` prints (field path, value, what is
allowed). The Azure Orbital endpoint rules are checked on the legacy example, the only one
that renders that endpoint."""

from __future__ import annotations

import pytest

from groundlink.spec import SpecError, spec_from_data

from .conftest import DROP, spec_data, with_changes

ORBITAL = "clouds.azure.orbital"


@pytest.mark.parametrize(
    "base, changes, line",
    [
        (
            "noaa20.yaml",
            {"satellites.0.downlinks.0.preset": DROP},
            "satellites[0].downlinks[0].preset: demod_decode with provider: managed needs a preset (jpss1_hrd, "
            "snpp_hrd, aqua_db) or both demodulation_json and decode_json (AWS Ground Station's configs)",
        ),
        (
            "noaa20.yaml",
            {"ground_segment.provider": "partner"},
            "ground_segment.partner: provider: partner needs a partner (name: ksat_lite, viasat_rte, rbc_signals "
            "or other)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.gateway_subnet_cidr": "10.40.1.0/25"},
            f"{ORBITAL}.gateway_subnet_cidr: /25 is smaller than /24 (Azure Orbital delegated subnet)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.gateway_subnet_cidr": "10.41.1.0/24"},
            f"{ORBITAL}.gateway_subnet_cidr: 10.41.1.0/24 is not inside vnet_cidr 10.40.0.0/16",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.vnet_cidr": "10.40.0.0/33"},
            f"{ORBITAL}.vnet_cidr: '10.40.0.0/33' is not an IPv4 range in CIDR notation; allowed: a.b.c.d/n "
            "(decimal, no leading zeros; no netmask such as /255.255.0.0: Azure address prefixes take CIDR)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.ip_address": "10.40.0.300"},
            f"{ORBITAL}.ip_address: '10.40.0.300' is not an IPv4 address; allowed: a.b.c.d (decimal, no leading zeros)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.ip_address": "10.40.1.4"},
            f"{ORBITAL}.ip_address: 10.40.1.4 must be inside 10.40.0.0/16 and outside the delegated subnet "
            "10.40.1.0/24",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.ip_address": "10.50.0.4"},
            f"{ORBITAL}.ip_address: 10.50.0.4 must be inside 10.40.0.0/16 and outside the delegated subnet "
            "10.40.1.0/24",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.port": 49151},
            f"{ORBITAL}.port: 49151 is outside 49152-65535 (Azure Orbital endpoint ports)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.port": 65536},
            f"{ORBITAL}.port: 65536 is outside 49152-65535 (Azure Orbital endpoint ports)",
        ),
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.mtu": 3649},
            f"{ORBITAL}.mtu: 3649 is under 3650 (Azure Orbital endpoint MTU); allowed: 3650-65535",
        ),
        # no upper bound: 10**300 went into the contact profile's endpoint-mtu tag, 301 characters
        # where Azure takes 256
        (
            "aqua-legacy.yaml",
            {f"{ORBITAL}.mtu": 65536},
            f"{ORBITAL}.mtu: 65536 is over 65535, an IPv4 packet's largest size (RFC 791); allowed: 3650-65535",
        ),
        # addresses Azure reserves in any subnet that holds them: contacts never reached the endpoint
        *(
            (
                "aqua-legacy.yaml",
                {f"{ORBITAL}.ip_address": address},
                f"{ORBITAL}.ip_address: {address} is reserved by Azure in whichever subnet of 10.40.0.0/16 holds it "
                "(the first four and the last address of a subnet); allowed: an address of 10.40.0.0/16 from "
                "10.40.0.4 to 10.40.255.254, outside the delegated subnet 10.40.1.0/24",
            )
            for address in ("10.40.0.0", "10.40.0.3", "10.40.255.255")
        ),
        # the grant is on the telemetry hub: without the stream it was dropped without a word
        (
            "aqua-legacy.yaml",
            {"analytics.telemetry_stream": False},
            f"{ORBITAL}.resource_provider_object_id: is granted on the telemetry hub, which "
            "analytics.telemetry_stream: false leaves out; allowed: no resource_provider_object_id, or "
            "analytics.telemetry_stream: true",
        ),
    ],
)
def test_one_broken_field_is_one_exact_line(base, changes, line):
    with pytest.raises(SpecError) as raised:
        spec_from_data(with_changes(spec_data(base), changes), "spec.yaml")
    assert raised.value.lines == [f"spec.yaml: {line}"]


@pytest.mark.parametrize(
    "changes",
    [
        {f"{ORBITAL}.port": 49152},
        {f"{ORBITAL}.port": 65535},
        {f"{ORBITAL}.mtu": 3650},
        {f"{ORBITAL}.mtu": 65535},
        {f"{ORBITAL}.ip_address": "10.40.0.4"},
        {f"{ORBITAL}.ip_address": "10.40.255.254"},
        {"analytics.telemetry_stream": False, f"{ORBITAL}.resource_provider_object_id": None},
        {f"{ORBITAL}.gateway_subnet_cidr": "10.40.1.0/24", f"{ORBITAL}.ip_address": "10.40.2.4"},
    ],
)
def test_the_orbital_endpoint_bounds_themselves_are_allowed(changes):
    spec_from_data(with_changes(spec_data("aqua-legacy.yaml"), changes), "spec.yaml")


def test_each_downlink_of_a_legacy_satellite_needs_its_own_port_below_the_top():
    data = spec_data("aqua-legacy.yaml")
    downlinks = data["satellites"][0]["downlinks"]
    downlinks.append({**downlinks[0], "name": "second"})
    spec_from_data(with_changes(data, {f"{ORBITAL}.port": 65534}), "spec.yaml")
    with pytest.raises(SpecError) as raised:
        spec_from_data(with_changes(data, {f"{ORBITAL}.port": 65535}), "spec.yaml")
    assert raised.value.lines == [
        f"spec.yaml: {ORBITAL}.port: 65535 leaves no room for every downlink: port 65536 is over 65535 "
        "(one port per downlink)"
    ]


@pytest.mark.parametrize(
    ("vnet", "gateway", "address", "line"),
    [
        *(
            (vnet, "10.40.1.0/24", "10.40.0.1", f"gateway_subnet_cidr: 10.40.1.0/24 is not inside vnet_cidr {vnet}")
            for vnet in ("10.40.0.0/32", "10.40.0.0/31", "10.40.0.0/30")
        ),
        # a delegated subnet refused as too small was still judged the address against
        ("10.40.0.0/31", "10.40.0.0/32", "10.40.0.1", "gateway_subnet_cidr: /32 is smaller than /24 (Azure Orbital delegated subnet)"),
        ("10.40.0.0/30", "10.40.0.0/31", "10.40.0.2", "gateway_subnet_cidr: /31 is smaller than /24 (Azure Orbital delegated subnet)"),
    ],
)  # fmt: skip
def test_a_network_too_small_for_its_subnet_is_refused_without_a_traceback(vnet, gateway, address, line):
    """The reserved-address check indexed the network's first four addresses, and its message the
    fifth: a /30, /31 or /32 raised IndexError, and validate printed a traceback."""
    changes = {
        f"{ORBITAL}.vnet_cidr": vnet,
        f"{ORBITAL}.gateway_subnet_cidr": gateway,
        f"{ORBITAL}.ip_address": address,
    }
    with pytest.raises(SpecError) as raised:
        spec_from_data(with_changes(spec_data("aqua-legacy.yaml"), changes), "spec.yaml")
    assert raised.value.lines[0] == f"spec.yaml: {ORBITAL}.{line}"
