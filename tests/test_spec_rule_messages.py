"""Spec rules whose one-line message was not asserted anywhere: each case breaks one field of
an example spec and expects the exact line `validate` prints (field path, value, what is
allowed). The Azure Orbital endpoint rules are checked on the legacy example, the only one
that renders that endpoint."""

from __future__ import annotations

import json

import pytest

from groundlink.presets import PRESETS
from groundlink.spec import SpecError, error_line, spec_from_data

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


def _lines(base: str, changes: dict) -> list[str]:
    """The lines `validate` prints for `base` with `changes`, or [] when the spec is accepted."""
    try:
        spec_from_data(with_changes(spec_data(base), changes), "spec.yaml")
    except SpecError as raised:
        return raised.lines
    return []


def test_a_tag_value_starting_aws_in_capitals_is_refused_as_in_lower_case():
    """AWS reserves `aws:` at the start of a tag value in any case: `AWS:ops` was taken, and the
    container jobs' ECS tasks, which carry the mission's tags, were refused at deploy time."""
    assert _lines("noaa20.yaml", {"mission.tags": {"team": "AWS:ops"}}) == [
        "spec.yaml: mission.tags.team: 'AWS:ops' starts with 'aws:', which AWS reserves in tag values too (ECS, "
        "where container jobs' tasks carry the mission's tags); choose another value"
    ]


def test_a_preset_beside_one_explicit_json_is_refused_as_both():
    """A preset and one explicit JSON beside it were taken without a word, the JSON then ignored
    for the preset's; validate says to give one or the other."""
    assert _lines("noaa20.yaml", {"satellites.0.downlinks.0.demodulation_json": '{"type":"QPSK"}'}) == [
        "spec.yaml: satellites[0].downlinks[0].preset: give a preset or demodulation_json+decode_json, not both"
    ]


def test_a_contact_shorter_than_its_minimum_is_offered_a_length_that_passes():
    """200 seconds is 3.3333 minutes: the length offered is rounded up (3.334), as 3.333 minutes
    (199.98 seconds) would be refused again by the next run of validate."""
    changes = {"ground_segment.min_contact_seconds": 200, "ground_segment.contact_minutes": 3}
    assert _lines("noaa20.yaml", changes) == [
        "spec.yaml: ground_segment.contact_minutes: 3 min is shorter than min_contact_seconds 200; allowed: "
        "3.334 min or more"
    ]
    assert _lines("noaa20.yaml", {**changes, "ground_segment.contact_minutes": 3.334}) == []


def test_one_mailbox_spelt_in_two_cases_is_a_duplicate_alert_email():
    """`Ops@example.com` and `ops@example.com` are one mailbox, told twice, and the alert
    subscriptions named after the address in lower case collided; validate refuses the pair and
    says addresses compare without case."""
    emails = ["Ops@example.com", "ops@example.com"]
    assert _lines("noaa20.yaml", {"budget.alert_emails": emails}) == [
        "spec.yaml: budget.alert_emails: duplicate values ['Ops@example.com', 'ops@example.com'] (addresses "
        "compare without case)"
    ]


def test_a_region_outside_the_stack_s_is_offered_eight_of_its_geography():
    """The line offers the first eight regions of the name's geography, then `...` and where every
    one is listed."""
    assert _lines("noaa20.yaml", {"clouds.aws.region": "ap-southeast-9"}) == [
        "spec.yaml: clouds.aws.region: ap-southeast-9 is not an AWS region with the stack's services (botocore "
        "endpoint data); allowed: ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, "
        "ap-south-1, ap-south-2, ap-southeast-1 ... (every AWS region: the schema's enum lists them)"
    ]


def test_a_quoted_number_with_a_space_is_told_to_drop_the_quotes():
    """`version: "1 "` is the version written as text: told to write the number without quotes,
    not that '1 ' is no allowed value beside an allowed 1 that reads the same."""
    assert _lines("noaa20.yaml", {"version": "1 "}) == [
        "spec.yaml: version: got the text '1 '; write the number without quotes (allowed: 1)"
    ]


def test_a_misspelt_delivery_leaves_the_bandwidth_judged_as_demod_decode():
    """With `delivery: demod-decode` (a dash for the underscore) the delivery is refused, and a
    bandwidth of 100 MHz, a demod/decode one, is not also refused as DigIF's (0.01-54)."""
    changes = {"satellites.0.downlinks.0.delivery": "demod-decode", "satellites.0.downlinks.0.bandwidth_mhz": 100}
    assert _lines("noaa20.yaml", changes) == [
        "spec.yaml: satellites[0].downlinks[0].delivery: 'demod-decode' is not allowed; allowed: 'digif' or "
        "'demod_decode'"
    ]


def test_three_look_alike_letters_are_each_named_and_no_more_is_said():
    """A choice written with three Cyrillic letters names all three; "and N more" only follows
    a fourth."""
    written = "\u0456n\u0442\u0435rnal"  # Cyrillic i, te and ie among ASCII letters
    assert _lines("noaa20.yaml", {"mission.data_classification": written}) == [
        f"spec.yaml: mission.data_classification: '{written}' is not allowed; allowed: 'public', 'internal', "
        "'confidential' or 'restricted'; it holds U+0456 (CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), "
        "U+0442 (CYRILLIC SMALL LETTER TE), U+0435 (CYRILLIC SMALL LETTER IE), not an ASCII letter"
    ]


def test_a_tag_key_as_long_as_a_shown_value_is_named_bare():
    """A plain tag key of 60 characters (the longest value a message echoes) is named as written;
    only a longer one is quoted and cut."""
    key = "k" * 60
    assert _lines("noaa20.yaml", {"mission.tags": {key: "AWS:x"}}) == [
        f"spec.yaml: mission.tags.{key}: 'AWS:x' starts with 'aws:', which AWS reserves in tag values too (ECS, "
        "where container jobs' tasks carry the mission's tags); choose another value"
    ]


def _explicit(demodulation: str, decode: str) -> dict:
    """Changes giving the NOAA-20 downlink explicit JSON in place of its preset."""
    link = "satellites.0.downlinks.0"
    return {f"{link}.preset": DROP, f"{link}.demodulation_json": demodulation, f"{link}.decode_json": decode}


def _nested(levels: int) -> str:
    """A demodulation JSON object `levels` deep."""
    doc: dict = {"type": "QPSK"}
    node = doc
    for _ in range(levels - 1):
        node["a"] = {}
        node = node["a"]
    return json.dumps(doc, separators=(",", ":"))


def test_an_explicit_json_32_levels_deep_is_taken_and_33_refused():
    """The bound is 32 levels, as the message says: a document of exactly 32 was refused as
    "nested deeper than 32 levels"."""
    decode = PRESETS["jpss1_hrd"].decode_json()
    assert _lines("noaa20.yaml", _explicit(_nested(32), decode)) == []
    assert _lines("noaa20.yaml", _explicit(_nested(33), decode)) == [
        "spec.yaml: satellites[0].downlinks[0].demodulation_json: is nested deeper than 32 levels"
    ]


def test_a_decode_node_without_a_type_is_named_by_its_first_40_characters():
    """A decode node with no type is named in the line, a long name by its first 40 characters."""
    graph = json.loads(PRESETS["jpss1_hrd"].decode_json())
    graph["nodeConfigs"]["N" * 50] = {}
    assert _lines("noaa20.yaml", _explicit(_nested(1), json.dumps(graph))) == [
        f"spec.yaml: satellites[0].downlinks[0].decode_json: nodeConfigs.{'N' * 40}: needs an object with a "
        '"type" string'
    ]


def test_a_link_local_range_is_no_partner_source_address():
    """169.254.0.0/16 is link-local, which no internet client sends from: it was let into the
    Azure storage firewall as if it were a public range."""
    assert _lines("partner.yaml", {"ground_segment.partner.source_addresses": ["169.254.10.0/24"]}) == [
        "spec.yaml: ground_segment.partner.source_addresses[0]: 169.254.10.0/24 is not a public range (Azure "
        "storage IP rules take public addresses only)"
    ]


def test_a_long_path_beside_a_long_message_keeps_40_characters_of_the_path():
    """A line too long for both is cut in the path first, but not below 40 characters: its first
    directory and the file's name stay readable, and the message takes the rest of the 500."""
    source = "missions/" + "a" * 80 + "/spec.yaml"
    line = error_line(source, "budget.monthly_usd", "m" * 470, " (line 3, column 5)")
    assert line.startswith("missions/aaaaaaaaaa…aaaaaaaaaa/spec.yaml: budget.monthly_usd: mmm")
    assert line.endswith("mmm (line 3, column 5)")
    assert len(line) == 500


def test_a_tiny_cutoff_is_echoed_in_decimals_as_it_was_written():
    """`query_bytes_scanned_cutoff_gb: 0.000000000001` was echoed as 1.0e-12: a number of up to
    20 decimal places is said in decimals, as a spec writes it."""
    assert _lines("noaa20.yaml", {"analytics.query_bytes_scanned_cutoff_gb": 1e-12}) == [
        "spec.yaml: analytics.query_bytes_scanned_cutoff_gb: 0.000000000001 is under 0.01048576 (10 MiB, the "
        "least pulumi-aws takes for Athena's per-query limit); allowed: 0.01048576-1,000,000"
    ]


def test_a_field_name_cut_short_is_offered_the_field_it_begins():
    """`data_class:` for `data_classification:` is near enough to be offered the field (difflib's
    usual 0.6 likeness): a stricter cutoff left the author a bare "unknown field"."""
    assert _lines("noaa20.yaml", {"mission.data_class": "public"}) == [
        "spec.yaml: mission.data_class: unknown field; did you mean 'data_classification'? (allowed: "
        "data_classification, name, owner, tags)"
    ]


def test_a_sql_client_written_as_a_32_is_one_address_the_firewall_takes():
    """Synapse firewall rules take a single address as a range of one: `8.8.8.8/32` among
    analytics.sql_clients is taken, where a partner's source address must be bare (Azure storage
    IP rules take /30 or wider)."""
    assert _lines("noaa20.yaml", {"analytics.sql_clients": ["8.8.8.8/32"]}) == []
    assert _lines("partner.yaml", {"ground_segment.partner.source_addresses": ["8.8.8.8/32"]}) == [
        "spec.yaml: ground_segment.partner.source_addresses[0]: 8.8.8.8/32: Azure storage IP rules take /30 or "
        "wider ranges; give a single address bare"
    ]
