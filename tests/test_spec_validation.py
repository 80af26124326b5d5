"""Every validation rule of the mission spec: a value it accepts and one it rejects,
with the error naming the field path and what is allowed."""

from __future__ import annotations

import copy
import json

import pytest

from groundlink.spec import SpecError, load_spec, spec_from_data

from .conftest import SPECS, spec_data, with_changes

LINE_2_BODY = "  98.7000 100.0000 0001000  90.0000 270.0000 14.1950000010000"  # CelesTrak's columns


def tle_line(number: int, norad: int, body: str = "") -> str:
    """A syntactically valid TLE line (69 chars, correct mod-10 checksum)."""
    line_body = {1: "U 00000A   24001.00000000  .00000000  00000-0  00000-0 0  999", 2: LINE_2_BODY}[number]
    text = f"{number} {norad:05d}" + (body or line_body)
    text = text[:68].ljust(68)
    checksum = sum(int(c) if c.isdigit() else c == "-" for c in text) % 10
    return text + str(checksum)


def set_path(data: dict, path: str, value) -> None:
    keys = [int(k) if k.isdigit() else k for k in path.replace("[", ".").replace("]", "").split(".")]
    target = data
    for key in keys[:-1]:
        if isinstance(key, str) and key not in target:
            target[key] = {}
        target = target[key]
    if value is DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value


DELETE = object()
DL = "satellites[0].downlinks[0]"

# (field path, good value, bad value, fragment of the error) -- applied to specs/noaa20.yaml
RULES = [
    ("mission.name", "noaa-20", "NOAA 20", "does not match"),
    ("mission.owner", "ops team", "", "at least 1 character"),
    (
        "mission.data_classification",
        "restricted",
        "secret",
        "allowed: 'public', 'internal', 'confidential' or 'restricted'",
    ),
    ("mission.tags", {"team": "x"}, {"bad key!": "x"}, "does not match"),
    # the reference downlink is preset jpss1_hrd: good values are that signal's (band edges for
    # signals without a preset: tests/test_spec_signals.py)
    (f"{DL}.center_frequency_mhz", 7812, 3000, "3000 is outside 2200-2300 or 7750-8400 MHz"),
    (f"{DL}.center_frequency_mhz", 7812, 8450, "8450 is outside"),
    (f"{DL}.bandwidth_mhz", 22.5, 700, "700 is outside 0.125-650 (AWS Ground Station demod/decode)"),
    (f"{DL}.bandwidth_mhz", 650, 0.1, "0.1 is outside 0.125-650"),
    (f"{DL}.polarization", "left_hand", "circular", "allowed: 'right_hand', 'left_hand' or 'none'"),
    (f"{DL}.delivery", "demod_decode", "iq", "allowed: 'digif' or 'demod_decode'"),
    (f"{DL}.preset", "snpp_hrd", "goes_hrit", "allowed: 'jpss1_hrd', 'snpp_hrd' or 'aqua_db'"),
    (f"{DL}.data_rate_mbps", 0.5, 0, "allowed: more than 0"),
    ("satellites[0].norad_id", 99999, 100000, "allowed: 1-99999"),
    ("satellites[0].norad_id", 1, "43013", "must be a number, got the text '43013'; write the number without quotes"),
    ("satellites[0].name", "noaa20", "Noaa_20", "does not match"),
    ("mission.name", "xn-noaa20", "xn--noaa20", "starts with xn--, which S3 reserves for bucket names"),
    ("mission.name", "amzn-s3-dem", "amzn-s3-demo-x", "starts with amzn-s3-demo-, which S3 reserves"),
    ("ground_segment.min_contact_seconds", 1, 0, "0 is outside 1-21600 (AWS Ground Station mission profile)"),
    ("ground_segment.min_contact_seconds", 600, 21601, "21601 is outside 1-21600"),
    ("ground_segment.pre_pass_seconds", 0, -1, "-1 is outside 0-21600"),
    ("ground_segment.post_pass_seconds", 21600, 30000, "30000 is outside 0-21600"),
    ("ground_segment.min_elevation_deg", 90, 91, "allowed: 0-90"),
    ("ground_segment.autotrack", "removed", "auto", "allowed: 'preferred', 'required' or 'removed'"),
    ("ground_segment.contacts_per_day", 100, 0, "allowed: more than 0"),
    ("ground_segment.contact_minutes", 3, 2, "2 min is shorter than min_contact_seconds 180"),
    ("storage.raw_retention_days", 181, 0, "allowed: 1-36500"),
    ("storage.data_protection", "dev", "none", "allowed: 'strict' or 'dev'"),
    ("storage.products_retention_days", 36500, 36501, "allowed: 1-36500"),
    ("storage.noncurrent_version_days", 1, 0, "allowed: 1-3650"),
    ("ground_segment.provider", "managed", "aws", "allowed: 'managed' or 'partner'"),
    ("security.customer_managed_keys", False, "no", "must be true or false, got the text 'no'"),
    ("usage.query_tb_scanned_per_month", 0, -1, "allowed: 0-1,000,000"),
    ("usage.queries_per_month", 0, 1.5, "must be a whole number, got 1.5"),
    ("usage.egress_gb_per_month", 0, -0.1, "allowed: 0-1,000,000,000"),
    ("usage.products_ratio", 10, 10.5, "allowed: 0-10"),
    ("usage.telemetry_kb_per_second", 0, -1, "allowed: 0-20000"),
    ("storage.tiering[0].after_days", 30, 29, "29 is under 30 (S3 minimum before Standard-IA)"),
    (
        "storage.tiering[1].tier",
        "cold",
        "cool",
        "cool must come after the previous step's tier; order: cool < cold < archive",
    ),
    ("storage.tiering[1].after_days", 60, 30, "30 must be later than the previous step (30 days)"),
    (
        "storage.tiering[1].after_days",
        60,  # the default cool step is at 30 days
        59,
        "59 is under 60: S3 keeps objects 30 days in Standard-IA (cool, from day 30) before Glacier or Deep Archive",
    ),
    ("storage.tiering[2].after_days", 364, 400, "400 is not before raw_retention_days 365"),
    ("analytics.azure_engine", "adx", "databricks", "allowed: 'synapse' or 'adx'"),
    ("analytics.query_bytes_scanned_cutoff_gb", 0.01048576, 0.0104857, "0.0104857 is under 0.01048576 (10 MiB"),
    ("security.network", "private", "vpn", "allowed: 'public' or 'private'"),
    ("budget.monthly_usd", 0.01, 0.009, "0.009 is out of range; allowed: 0.01-1,000,000,000"),
    ("budget.monthly_usd", 12.34, 12.345, "12.345 is not a whole number of cents; a budget is in dollars and cents"),
    ("budget.alert_emails", ["a@b.io"], ["not-an-email"], "is not an email address, name@domain.tld"),
    ("budget.alert_emails", ["a@b.io"], [], "has 0 items; at least 1 item required"),
    ("budget.thresholds_percent", [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], "has 6 items; at most 5 allowed"),
    ("mission.tags.team", "x" * 256, "x" * 257, "has 257 characters; at most 256 allowed"),
    (
        "clouds.aws.region",
        "eu-central-1",  # a Ground Station API region without an antenna
        "ca-central-1",
        "ca-central-1 has no AWS Ground Station API endpoint; allowed: af-south-1",
    ),
    ("clouds.aws.region", "ap-southeast-2", "mars-1", "'mars-1' is not an AWS region name; allowed: us-east-1"),
    (
        "clouds.aws.region",
        "eu-west-1",
        "eu-wset-1",  # a typo: the region it may mean, and its geography's
        "'eu-wset-1' is not an AWS region name; did you mean eu-west-1? allowed: eu-central-1, eu-central-2",
    ),
    ("clouds.aws.region", "us-west-2", "US-WEST-2", "'US-WEST-2' is not an AWS region name; did you mean us-west-2?"),
    (  # a name without a hyphen is still an AWS region's field: it was answered with Azure locations
        "clouds.aws.region",
        "us-west-2",
        "frankfurt",
        "'frankfurt' is not an AWS region name; allowed: us-east-1, us-east-2, eu-west-1 ... (every AWS region:",
    ),
    (
        "clouds.aws.region",
        "us-west-2",
        "westus2",
        "'westus2' is not an AWS region name; allowed: eu-west-2, us-west-2 ... (every AWS region:",
    ),
    (  # the portal's display name: told the name it stands for, with the allowed ones
        "clouds.azure.location",
        "eastus",
        "East US",
        "'East US' is not an Azure location name (lowercase letters and digits: the `name` `az account "
        "list-locations` gives, not its display name); did you mean eastus? allowed: eastus, eastus2, westus2, westus3",
    ),
    ("clouds.azure.location", "westus2", "WestUS2", "'WestUS2' is not an Azure location name (lowercase"),
    ("clouds.azure.location", "westus2", "West US 2", "did you mean westus2? allowed:"),
    (  # a sovereign cloud's display name: refused as its name is, for the cloud
        "clouds.azure.location",
        "westus2",
        "China East 2",
        "as a name chinaeast2, a sovereign-cloud location (Azure operated by 21Vianet or Azure Government), and "
        "groundlink deploys to the Azure public cloud only; allowed: ",
    ),
    ("clouds.azure.location", "westus2", "USGov Virginia", "as a name usgovvirginia, a sovereign-cloud location"),
    (  # a display name whose location has no ZRS: named as such, not "did you mean" another
        "clouds.azure.location",
        "westus2",
        "West Central US",
        "as a name westcentralus, not a location with zone-redundant storage (the mission's account is ZRS); allowed: ",
    ),
    (
        "clouds.azure.location",
        "westus2",
        "wëstus2",
        "'wëstus2' is not an Azure location name (lowercase letters and "
        "digits: the `name` `az account list-locations` gives, not its display name); allowed: eastus, eastus2, westus2",
    ),
    (
        "clouds.azure.location",
        "westus3",
        "westus",  # West US has no zone-redundant storage
        "westus is not a location with zone-redundant storage (the mission's account is ZRS); allowed: eastus, eastus2, "
        "westus2, westus3 ...",
    ),
    (
        "clouds.azure.location",
        "westeurope",
        "westeurpoe",  # a typo, no location at all: it was said to "have no zone-redundant storage"
        "westeurpoe is not a location with zone-redundant storage (the mission's account is ZRS); allowed: westeurope",
    ),
    ("version", 1, 2, "allowed: 1"),
]


@pytest.mark.parametrize("path,good,bad,fragment", RULES, ids=[f"{r[0]}={r[2]!r}" for r in RULES])
def test_rule_accepts_good_and_rejects_bad_with_field_path(path, good, bad, fragment):
    data = spec_data()
    data["satellites"][0].pop("tle")  # TLE lines name the NORAD id; rules are tested one at a time
    set_path(data, path, good)
    spec_from_data(data, "s.yaml")  # accepted

    set_path(data, path, bad)
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "s.yaml")
    lines = info.value.lines
    assert any(
        line.startswith((f"s.yaml: {path}: ", f"s.yaml: {path}[", f"s.yaml: {path}.")) and fragment in line
        for line in lines
    ), lines


def _errors(mutate) -> list[str]:
    data = spec_data()
    mutate(data)
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "s.yaml")
    return info.value.lines


def _ok(mutate):
    data = spec_data()
    mutate(data)
    return spec_from_data(data, "s.yaml")


def _as_job(data: dict, vcpu: float, timeout_seconds: int = 3600, max_concurrency: int = 8) -> None:
    """Make `data`'s processing a container job of `vcpu` with its memory (2 GB a vCPU)."""
    data["processing"].update(
        mode="container_job",
        container_image="ghcr.io/example/groundlink:1",
        container_vcpu=vcpu,
        container_memory_gb=vcpu * 2,
        timeout_seconds=timeout_seconds,
        max_concurrency=max_concurrency,  # whole vCPUs at 0.25 and 0.5 (AWS Batch)
    )


def dl(data):
    return data["satellites"][0]["downlinks"][0]


class TestDownlinkForms:
    def test_digif_bandwidth_limit(self):
        _ok(
            lambda d: (
                dl(d).update(delivery="digif", preset=None, bandwidth_mhz=54),
                d["processing"].update(enabled=False),
            )
        )
        errors = _errors(lambda d: dl(d).update(delivery="digif", preset=None, bandwidth_mhz=60))
        assert f"s.yaml: {DL}.bandwidth_mhz: 60 is outside 0.01-54 (AWS Ground Station DigIF)" in errors

    def test_digif_rejects_a_preset(self):
        errors = _errors(lambda d: dl(d).update(delivery="digif"))
        assert f"s.yaml: {DL}.preset: only applies to delivery: demod_decode" in errors

    def test_demod_decode_needs_preset_or_both_json(self):
        errors = _errors(lambda d: dl(d).update(preset=None))
        assert any(
            e.startswith(f"s.yaml: {DL}.preset: demod_decode with provider: managed needs a preset (jpss1_hrd")
            for e in errors
        )
        errors = _errors(lambda d: dl(d).update(preset=None, decode_json="{}"))  # one of the two
        assert any(e.startswith(f"s.yaml: {DL}.preset: demod_decode needs a preset (jpss1_hrd") for e in errors)

    def test_a_partner_demodulates_by_its_own_configuration_so_needs_no_preset(self):
        """A partner mission had to carry AWS Ground Station's demod/decode JSON (or a preset)
        that neither of its plans uses."""
        from .conftest import spec_data as example

        data = example("partner.yaml")
        for satellite in data["satellites"]:
            for link in satellite["downlinks"]:
                link.pop("preset", None)
        spec = spec_from_data(data, "s.yaml")
        assert all(link.preset is None for _, link in spec.downlinks())

    def test_explicit_json_instead_of_preset(self):
        from groundlink.presets import PRESETS

        demod, decode = PRESETS["jpss1_hrd"].demodulation_json(7812), PRESETS["jpss1_hrd"].decode_json()
        spec = _ok(lambda d: dl(d).update(preset=None, demodulation_json=demod, decode_json=decode))
        assert spec.satellites[0].downlinks[0].egress_node() == "UncodedFramesEgress"
        errors = _errors(lambda d: dl(d).update(demodulation_json=demod, decode_json=decode))
        assert f"s.yaml: {DL}.preset: give a preset or demodulation_json+decode_json, not both" in errors

    def test_explicit_json_must_parse_fit_and_have_an_egress(self):
        decode = json.dumps({"edges": [], "nodeConfigs": {"a": {"type": "IQ_RECOMBINER"}}})
        errors = _errors(lambda d: dl(d).update(preset=None, demodulation_json="{not json", decode_json=decode))
        assert any(e.startswith(f"s.yaml: {DL}.demodulation_json: is not valid JSON") for e in errors)
        errors = _errors(
            lambda d: dl(d).update(preset=None, demodulation_json=json.dumps({"type": "QPSK"}), decode_json=decode)
        )
        assert f"s.yaml: {DL}.decode_json: has no *_EGRESS node (the dataflow edge needs one)" in errors
        big = json.dumps({"pad": "x" * 8200})
        errors = _errors(lambda d: dl(d).update(preset=None, demodulation_json=big, decode_json=big))
        assert any("is over 8192 (AWS Ground Station)" in e for e in errors)

    @pytest.mark.parametrize(("length", "refused"), [(256, False), (257, True), (0, True)])
    def test_the_egress_node_is_named_within_what_the_dataflow_edge_takes(self, length, refused):
        """Its name follows the antenna config's ARN in the mission profile's edge source, which
        Ground Station takes as `/.{1,256}`: a 300-character name passed validate and compare,
        and only preflight, naming the mission profile, refused it."""
        from groundlink.presets import PRESETS

        demod = PRESETS["jpss1_hrd"].demodulation_json(7812)
        decode = PRESETS["jpss1_hrd"].decode_json().replace("UncodedFramesEgress", "E" * length)

        def explicit(d):
            dl(d).update(preset=None, demodulation_json=demod, decode_json=decode)

        if not refused:
            assert _ok(explicit).satellites[0].downlinks[0].egress_node() == "E" * length
            return
        assert _errors(explicit) == [
            f"s.yaml: {DL}.decode_json: its *_EGRESS node's name has {length} characters, where 1-256 are allowed (the "
            "mission profile's dataflow edge names it after the antenna config's ARN; AWS Ground Station ConfigArn)"
        ]

    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            ('{"type": "QPSK", "rolloffFactor": NaN}', "is not valid JSON (NaN is not a finite number)"),
            ('{"type": "QPSK", "symbolRate": Infinity}', "is not valid JSON (Infinity is not a finite number)"),
            ('{"type": "OQPSK", "type": "QPSK"}', "gives type twice in one object; keep one"),
            # where in the document: the field path to the key given twice
            (
                '{"type": "QPSK", "carrierFrequencyRecovery": {"range": 1, "range": 2}}',
                "gives carrierFrequencyRecovery.range twice in one object; keep one",
            ),
            (
                '{"type": "QPSK", "symbolRate": 1' + "0" * 5000 + "}",
                "is not valid JSON (a number of 5001 digits is past what any input holds)",
            ),
        ],
        ids=["nan", "infinity", "key-twice", "nested-key-twice", "5001-digits"],
    )
    def test_explicit_json_is_json_as_aws_reads_it(self, text, problem):
        """Python's JSON reader takes NaN and keeps the last of a key given twice: the text went into
        the plan as given, for AWS to refuse or to read otherwise; 5,001 digits got Python's advice
        on sys.set_int_max_str_digits, which a spec cannot follow."""
        from groundlink.presets import PRESETS

        decode = PRESETS["jpss1_hrd"].decode_json()
        errors = _errors(lambda d: dl(d).update(preset=None, demodulation_json=text, decode_json=decode))
        (said,) = [e for e in errors if ".demodulation_json:" in e]
        assert said.startswith(f"s.yaml: {DL}.demodulation_json: {problem}"), said

    def test_duplicate_downlink_names(self):
        errors = _errors(lambda d: d["satellites"][0]["downlinks"].append(copy.deepcopy(dl(d))))
        assert (
            "s.yaml: satellites[0].downlinks[1].name: duplicate downlink name 'hrd': downlinks[0] has it too" in errors
        )


class TestSatellites:
    def test_tle_valid_and_checked(self):
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        assert _ok(lambda d: d["satellites"][0].update(tle=good)).satellites[0].tle == good
        bad_sum = good[0][:-1] + str((int(good[0][-1]) + 1) % 10)
        errors = _errors(lambda d: d["satellites"][0].update(tle=[bad_sum, good[1]]))
        expected, given = good[0][-1], bad_sum[-1]
        assert any(
            e.startswith(
                f"s.yaml: satellites[0].tle: line 1 checksum does not match: its last character is '{given}', "
                f"the line's digits (each - counting 1) give {expected}"
            )
            for e in errors
        ), errors
        errors = _errors(lambda d: d["satellites"][0].update(tle=[good[0]]))
        assert any("needs exactly two lines (line 1 and line 2 of the element set), got 1" in e for e in errors)
        # the three-line form CelesTrak serves: its title line is named, not only counted
        errors = _errors(lambda d: d["satellites"][0].update(tle=["NOAA 20 (JPSS-1)", *good]))
        assert errors == [
            "s.yaml: satellites[0].tle: needs exactly two lines; the first of these three is a title line "
            "('NOAA 20 (JPSS-1)'): give only the lines starting '1 ' and '2 '"
        ]
        errors = _errors(lambda d: d["satellites"][0].update(tle=[good[0][:-1], good[1]]))
        assert errors == ["s.yaml: satellites[0].tle: line 1 must be 69 characters starting '1 '; it has 68"]
        other = [tle_line(1, 37849), tle_line(2, 37849)]
        errors = _errors(lambda d: d["satellites"][0].update(tle=other))
        assert "s.yaml: satellites[0].tle: line 1 is for NORAD 37849, not 43013" in errors

    @pytest.mark.parametrize(
        ("line", "at", "text", "message"),
        [
            (2, 9, "9X.70655", "line 2 columns 9-16 (inclination) read '9X.70655'; allowed: a number from 0 to 180"),
            (2, 9, "198.7000", "line 2 columns 9-16 (inclination) read '198.7000'; allowed: a number from 0 to 180"),
            (2, 27, "00-1000", "line 2 columns 27-33 (eccentricity) read '00-1000'; allowed: 7 digits with the decimal point assumed before them (0001234 is 0.0001234)"),
            (2, 27, ".000956", "line 2 columns 27-33 (eccentricity) read '.000956'; allowed: 7 digits with the decimal point assumed"),
            (2, 53, " 0.00000000", "line 2 columns 53-63 (mean motion) read '0.00000000'; allowed: a number from 0.00000001 to 20"),
            (1, 21, "00.000000000", "line 1 columns 21-32 (epoch day of the year) read '00.000000000'; allowed: a number from 1 to 366.99999999"),
            # a blank or garbled drag term or derivative: sgp4 gave NaN positions, "never in view"
            (1, 54, "        ", "line 1 columns 54-61 (drag term (BSTAR)) read ''; allowed: a sign, 5 digits and a signed exponent digit, the decimal point assumed (-11606-4 is -0.11606e-4)"),
            (1, 54, " ABCDE-4", "line 1 columns 54-61 (drag term (BSTAR)) read 'ABCDE-4'; allowed: a sign, 5 digits"),
            (1, 45, " 00X00-0", "line 1 columns 45-52 (second derivative of the mean motion) read '00X00-0'; allowed: a sign, 5 digits"),
            (1, 34, " .0000X000", "line 1 columns 34-43 (first derivative of the mean motion) read '.0000X000'; allowed: a number from -1 to 1"),
            (1, 34, "          ", "line 1 columns 34-43 (first derivative of the mean motion) read ''; allowed: a number from -1 to 1"),
            (1, 19, "2X", "line 1 columns 19-20 (epoch year) read '2X'; allowed: digits, from 0 to 99"),
        ],
    )  # fmt: skip
    def test_a_tle_field_the_checksum_passes_is_named_with_its_columns(self, line, at, text, message):
        """Digits rebalanced so that the checksum still matches: sgp4 read a zero mean motion, and
        the report said "not a low Earth orbit (0.00 rev/day)" instead of naming the field."""
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        edited = good[line - 1][: at - 1] + text + good[line - 1][at - 1 + len(text) : 68]
        good[line - 1] = tle_line(line, 43013, edited[7:])
        errors = _errors(lambda d: d["satellites"][0].update(tle=good))
        assert any(e.startswith(f"s.yaml: satellites[0].tle: {message}") for e in errors), errors

    @pytest.mark.parametrize(
        ("line", "column", "char"),
        [(1, 18, "0"), (1, 33, "X"), (1, 53, "X"), (2, 8, "X"), (2, 34, "-"), (2, 43, "X"), (2, 52, ".")],
    )
    def test_a_column_between_two_fields_holds_a_space(self, line, column, char):
        """sgp4 reads the fields with the text around them: a '0' before the epoch made its year 2
        and compare end in a traceback; a '-' before the argument of perigee negated it silently."""
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        edited = good[line - 1][: column - 1] + char + good[line - 1][column:68]
        good[line - 1] = tle_line(line, 43013, edited[7:])
        errors = _errors(lambda d: d["satellites"][0].update(tle=good))
        assert errors == [
            f"s.yaml: satellites[0].tle: line {line} column {column} read {char!r}; allowed: a space (it separates "
            "two fields, and sgp4 reads the fields around it otherwise)"
        ], errors

    @pytest.mark.parametrize("at", [45, 54])
    def test_an_exponent_field_past_its_range_says_the_range(self, at):
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        good[0] = tle_line(1, 43013, good[0][7 : at - 1] + " 99999+9" + good[0][at + 7 : 68])
        errors = _errors(lambda d: d["satellites"][0].update(tle=good))
        assert len(errors) == 1 and errors[0].endswith(
            "read '99999+9'; allowed: a sign, 5 digits and a signed exponent digit, the decimal point assumed "
            "(-11606-4 is -0.11606e-4), from -1 to 1"
        ), errors

    @pytest.mark.parametrize(
        ("year", "day", "refused"),
        [("23", "366.50000000", True), ("24", "366.50000000", False), ("00", "366.50000000", False), ("99", "366.00000000", True), ("23", "365.99999999", False)],
    )  # fmt: skip
    def test_day_366_is_an_epoch_in_a_leap_year_only(self, year, day, refused):
        """sgp4 read day 366 of 2023 as 2024-01-01, and the report's week began there."""
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        good[0] = tle_line(1, 43013, good[0][7:18] + year + day + good[0][32:68])
        errors = _errors(lambda d: d["satellites"][0].update(tle=good)) if refused else []
        if refused:
            assert any(
                e.startswith(
                    f"s.yaml: satellites[0].tle: line 1 columns 21-32 (epoch day of the year) read '{day}'; "
                    "allowed: a number from 1 to 365.99999999"
                )
                for e in errors
            ), errors
        else:
            assert _ok(lambda d: d["satellites"][0].update(tle=good)).satellites[0].tle == good

    @pytest.mark.parametrize("number", ["A3013", "     ", "4301X"])
    def test_a_satellite_number_that_is_not_digits_is_named_with_its_columns(self, number):
        """An Alpha-5 or blank catalogue number leaked Python's "invalid literal for int()"."""
        good = [tle_line(1, 43013), tle_line(2, 43013)]
        for index in (0, 1):
            text = f"{index + 1} {number}" + good[index][7:68]
            good[index] = text + str(sum(int(c) if c.isdigit() else c == "-" for c in text) % 10)
        errors = _errors(lambda d: d["satellites"][0].update(tle=good))
        assert any(
            e.startswith(
                f"s.yaml: satellites[0].tle: line 1 columns 3-7 (satellite number) read {number.strip()!r}; "
                "allowed: digits, from 1 to 99999"
            )
            for e in errors
        ), errors

    def test_duplicate_satellites(self):
        errors = _errors(lambda d: d["satellites"].append(copy.deepcopy(d["satellites"][0])))
        assert "s.yaml: satellites[1].name: duplicate satellite name 'noaa20': satellites[0] has it too" in errors

        def same_norad(d):
            twin = copy.deepcopy(d["satellites"][0])
            twin["name"] = "twin"
            d["satellites"].append(twin)

        assert (
            "s.yaml: satellites[1].norad_id: duplicate satellite norad_id 43013: satellites[0] has it too"
            in _errors(same_norad)
        )

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("cadu_length", 9, "9 is shorter than sync marker + primary header (10)"),
            ("cadu_length", 65541, "65541 is longer than sync marker + the longest CCSDS transfer frame (65540;"),
            # a list's item is named by its index
            ("spacecraft_ids", [7, 1024], "[1]: 1024 is not an AOS spacecraft id (0-1023, 10 bits)"),
            ("spacecraft_ids", [157, 157], ": [157, 157] names a value twice"),
            ("udp_ports", [0], "[0]: 0 is not a UDP port (1-65535)"),
            ("udp_ports", [65536], "[0]: 65536 is not a UDP port (1-65535)"),
        ],
    )
    def test_capture_details_outside_their_bounds_are_refused(self, field, value, message):
        errors = _errors(lambda d: d["processing"].update(capture={field: value}))
        sep = "" if message.startswith(("[", ":")) else ": "
        assert any(e.startswith(f"s.yaml: processing.capture.{field}{sep}{message}") for e in errors), errors

    def test_capture_details_at_their_bounds_are_accepted(self):
        for capture in (
            {"cadu_length": 10, "spacecraft_ids": [0, 1023], "udp_ports": [1, 65535]},
            {"cadu_length": 65540},
        ):
            # 10-byte CADUs: 112.5 million frames a contact, whose index no processor memory can
            # judge again (test_a_contact_whose_index_rewrite_outgrows_the_memory_is_refused):
            # the capture details alone, the cloud's processor off
            enabled = capture["cadu_length"] > 10
            spec = _ok(lambda d, c=capture, on=enabled: d["processing"].update(capture=c, enabled=on))
            assert spec.processing.capture.capture_format().cadu_length == capture["cadu_length"]

    def test_a_contact_whose_index_rewrite_outgrows_the_memory_is_refused(self):
        """A frame late across the processor's chunks has the contact's index judged again whole
        at its end, 168 bytes a frame measured: a 40-minute contact at 15 Mbit/s (4.39 million
        frames of 1,024 bytes) needs 205 MB + 4,394,531 x 180 B = 996 MB, so a function of 512
        MB was killed there every attempt; 1,024 MB holds it."""
        fits = _ok(lambda d: (d["ground_segment"].update(contact_minutes=40), d["processing"].update(memory_mb=1024)))
        assert fits.processing.memory_mb == 1024
        errors = _errors(
            lambda d: (d["ground_segment"].update(contact_minutes=40), d["processing"].update(memory_mb=512))
        )
        assert errors == [
            "s.yaml: processing.memory_mb: a contact of 40 minutes of satellite 'noaa20' holds 4,394,531 frames of 1024 "
            "bytes, and judging them again at its end (when a frame comes late across the processor's chunks) needs "
            "about 996 MB (205 MB of working set, 180 bytes a frame), more than its 512 MB; raise it (at most 4096), "
            "shorten ground_segment.contact_minutes or set processing.enabled: false"
        ]

    @pytest.mark.parametrize(
        ("mode", "minutes", "advice"),
        [
            # 25 minutes of 128-byte CADUs: 22 million frames, 4,160 MB: over a function's 4,096
            (
                "function",
                25,
                "use mode: container_job (container_vcpu 4 with container_memory_gb 8, a container_image, no memory_mb), ",
            ),
            # 29 minutes of 80-byte CADUs: 7,546 MB of memory, which a 4-vCPU job has, but 8,846 MB of
            # disk, which its 8 GiB replica has not: no job to name
            ("function-29", 29, ""),
            # 26 minutes of 64-byte CADUs: 45.7 million frames, 8,432 MB: over the largest job's 8 GB
            ("container_job", 26, ""),
        ],
    )
    def test_a_memory_refusal_offers_only_what_can_be_done(self, mode, minutes, advice):
        """At a function's largest memory the refusal said to raise it, which the spec refuses;
        past a job's largest pair it said to raise container_vcpu, past the largest there is."""

        def edit(d):
            d["ground_segment"].update(contact_minutes=minutes)
            d["processing"]["capture"] = {"cadu_length": {"function": 128, "function-29": 80}.get(mode, 64)}
            if mode == "function":
                d["processing"].update(memory_mb=4096)
            elif mode == "function-29":
                d["processing"].update(memory_mb=2048)
            else:
                _as_job(d, 4, timeout_seconds=7200)

        (error,) = [e for e in _errors(edit) if "judging them again" in e]
        assert error.endswith(f"; {advice}shorten ground_segment.contact_minutes or set processing.enabled: false")

    def test_the_memory_check_judges_the_satellite_with_the_most_frames_not_the_most_disk(self):
        """A DigIF satellite beside a decoded one needs the most disk (18,000 MB at 60 Mbit/s, more
        than noaa20's 9,712) and holds no frame: sized by it, the decoded satellite's 4.4 million
        frames passed at 512 MB."""

        def both(d):
            d["ground_segment"].update(contact_minutes=40)
            d["processing"].update(memory_mb=512)
            wide = copy.deepcopy(d["satellites"][0])
            wide.update(name="wide", norad_id=43014)
            wide.pop("tle", None)
            wide["downlinks"] = [
                {
                    "name": "iq",
                    "center_frequency_mhz": 2250,
                    "bandwidth_mhz": 5,
                    "delivery": "digif",
                    "data_rate_mbps": 2,
                    "digif_mbps": 30,
                }
            ]
            d["satellites"].append(wide)

        assert any(
            e.startswith("s.yaml: processing.memory_mb: a contact of 40 minutes of satellite 'noaa20' holds 4,394,531")
            for e in _errors(both)
        )

    def test_the_disk_and_memory_refusals_of_one_job_name_one_size_that_holds_both(self):
        """A 0.25-vCPU job, 10 minutes of 64-byte CADUs: the disk refusal said to raise it to 1
        vCPU, whose 2 GB the contact's frames outgrow (3,369 MB), and the memory refusal said 2:
        followed, the first advice was refused again."""

        def edit(d):
            d["ground_segment"].update(contact_minutes=10)
            d["processing"]["capture"] = {"cadu_length": 64}
            _as_job(d, 0.25, timeout_seconds=7200)

        errors = _errors(edit)
        assert len(errors) == 2
        assert all(
            "; raise it to 2 with container_memory_gb 4, shorten" in e
            or "; raise container_vcpu to 2 with container_memory_gb 4, shorten" in e
            for e in errors
        ), errors

        def followed(d):
            edit(d)
            d["processing"].update(container_vcpu=2, container_memory_gb=4)

        assert _ok(followed).processing.container_vcpu == 2

    def test_a_function_refuses_a_contact_its_tmp_cannot_hold(self):
        """15 Mbit/s decoded: 112.5 MB of bits a minute, captured with each 1,024-byte datagram's
        114 bytes of headers (125.02 MB), and as much as the bits again in frame streams with 24
        bytes of index a 1,024-byte frame, twice while the index is rewritten (117.77 MB): 242.80
        MB a minute. Lambda's /tmp is 10,240 MB as AWS writes it (not read as MiB, 10,737 MB: the
        smaller reading), so 42.1 minutes fit (10,221.8 MB) and 42.2 do not (10,246.1 MB).
        Without the headers and the index, 45.5 minutes passed and ran out of disk."""
        fits = _ok(lambda d: d["ground_segment"].update(contact_minutes=42.1))
        assert fits.processing.mode == "function"
        errors = _errors(lambda d: d["ground_segment"].update(contact_minutes=42.2))
        assert (
            "s.yaml: processing.mode: a function's /tmp holds 10,240 MB on Lambda, a container job's disk less on "
            "Azure; a contact of 42.2 minutes of satellite 'noaa20' needs 10,246 MB (5,276 raw, 4,970 frames and index), the most "
            "for satellites[0].downlinks[0].data_rate_mbps: 15; shorten ground_segment.contact_minutes or set "
            "processing.enabled: false"
        ) in errors

    def test_the_refusal_names_the_satellite_whose_contact_needs_the_most_disk_not_the_last(self):
        """noaa20 at 15 Mbit/s (10,260 MB for 45.6 minutes) and a second satellite at 1 Mbit/s:
        the refusal is noaa20's, the first, and its figures (found by the largest need, not by
        the satellites' order)."""

        def two(d):
            d["ground_segment"].update(contact_minutes=42.2)
            small = copy.deepcopy(d["satellites"][0])
            small.update(name="small", norad_id=43014)
            small.pop("tle", None)
            small["downlinks"][0]["data_rate_mbps"] = 1
            d["satellites"].append(small)

        errors = _errors(two)
        assert any(
            "a contact of 42.2 minutes of satellite 'noaa20' needs 10,246 MB (5,276 raw, 4,970 frames and index)" in e
            for e in errors
        ), errors

    @pytest.mark.parametrize(
        ("digif_mbps", "need", "named"),
        [
            # 10 minutes of 54 MHz at the default 43.1 GB / (10.5 min x 60 s x 30 MHz) = 0.0022804 GB
            # a MHz-second (18.24 Mbps a MHz, 985 Mbps): 54 x 600 x 0.0022804 = 73,886 MB, beside the
            # decoded downlink's 15 Mbps x 600 s / 8 = 1,125 MB raw and 1,125 MB of frames
            (
                None,
                "76,314 MB (75,136 raw, 1,178 frames and index)",
                "satellites[0].downlinks[1].bandwidth_mhz: 54 (DigIF, 985 Mbps by default; digif_mbps sets it)",
            ),
            # 200 Mbps x 600 s / 8 = 15,000 MB, plus the same 1,125 + 1,125 MB
            (200, "17,428 MB (16,250 raw, 1,178 frames and index)", "satellites[0].downlinks[1].digif_mbps: 200"),
        ],
    )
    def test_a_digif_contact_too_large_for_the_disk_names_the_rate_it_comes_from(self, digif_mbps, need, named):
        """A DigIF downlink, about 30 times its bitstream, is what usually fills the processor's
        disk: the refusal names its rate field, not only the contact's length."""

        def digif(d):
            d["ground_segment"].update(contact_minutes=10)
            extra = {"digif_mbps": digif_mbps} if digif_mbps else {}
            wide = {"name": "wide", "center_frequency_mhz": 2250, "bandwidth_mhz": 54, "delivery": "digif"}
            d["satellites"][0]["downlinks"].append({**wide, "data_rate_mbps": 2, **extra})

        assert _errors(digif) == [
            "s.yaml: processing.mode: a function's /tmp holds 10,240 MB on Lambda, a container job's disk less on "
            f"Azure; a contact of 10 minutes of satellite 'noaa20' needs {need}, the most for {named}; shorten "
            "ground_segment.contact_minutes or set processing.enabled: false"
        ]

    def test_a_contact_too_large_for_small_datagrams_names_the_datagram_size_not_the_rate(self):
        """Datagrams of 16 bytes carry 114 bytes of headers each (limits.CAPTURE_HEADER_BYTES):
        15 Mbps x 600 s / 8 = 1,125 MB of data is 1,125 x (1 + 114/16) = 9,141 MB of captures. The
        refusal named the data rate, which was not what to change; past 114 bytes the headers
        are less than the data, and the rate is named."""

        def small(payload: int, minutes: float = 10):
            def edit(d):
                d["ground_segment"].update(contact_minutes=minutes)
                d["processing"].setdefault("capture", {})["datagram_payload_bytes"] = payload

            return edit

        assert _errors(small(16)) == [
            "s.yaml: processing.mode: a function's /tmp holds 10,240 MB on Lambda, a container job's disk less on "
            "Azure; a contact of 10 minutes of satellite 'noaa20' needs 10,318 MB (9,141 raw, 1,178 frames and "
            "index), the most for processing.capture.datagram_payload_bytes: 16 (114 bytes of headers on each: "
            "raise it); shorten ground_segment.contact_minutes or set processing.enabled: false"
        ]

        # beside a DigIF downlink, whose samples are most of the captures, the headers are not the cause
        def with_digif(d):
            small(16)(d)
            wide = {"name": "wide", "center_frequency_mhz": 2250, "bandwidth_mhz": 54, "delivery": "digif"}
            d["satellites"][0]["downlinks"].append({**wide, "data_rate_mbps": 2})

        (line,) = _errors(with_digif)
        assert "the most for satellites[0].downlinks[1].bandwidth_mhz: 54 (DigIF" in line
        assert _ok(small(256))  # 1,626 MB of captures
        # 45 minutes of 256-byte datagrams: the headers are under a third of the captures
        (line,) = _errors(small(256, 45))
        assert "the most for satellites[0].downlinks[0].data_rate_mbps: 15; shorten" in line

    @pytest.mark.parametrize(
        ("vcpu", "gib", "fits", "too_long"),
        # 242.80 MB a minute: 1 GiB = 1,073.7 MB holds 4.42 minutes, 2 GiB 8.84, 4 GiB 17.69, 8 GiB 35.38
        [(0.25, 1, 4.4, 4.5), (0.5, 2, 8.8, 8.9), (1.0, 4, 17.6, 17.7), (2.0, 8, 35.3, 35.4), (4.0, 8, 35.3, 35.4)],
    )
    def test_a_container_job_refuses_a_contact_its_replica_cannot_hold(self, vcpu, gib, fits, too_long):
        """A Container Apps replica has 1, 2, 4 or 8 GiB of ephemeral storage by its vCPUs; the
        contact's raw files and frame streams are staged there as in a function's /tmp."""

        def job(minutes: float):
            def edit(d):
                d["ground_segment"].update(contact_minutes=minutes)
                _as_job(d, vcpu)

            return edit

        assert _ok(job(fits)).processing.container_vcpu == vcpu
        (error,) = [e for e in _errors(job(too_long)) if "processing.container_vcpu" in e]
        most = "" if gib == 8 else " (8 GiB above 1 vCPU)"
        assert error.startswith(
            f"s.yaml: processing.container_vcpu: a job of {vcpu:g} vCPU has {gib} GiB of disk on Azure Container "
            f"Apps{most}; a contact of {too_long:g} minutes of satellite 'noaa20' needs "
        )
        # a larger job has more disk: the step that holds the contact is named, where one does
        # with the memory that goes with it: following half of the pair was refused next
        bigger = {
            1: "raise it to 0.5 with container_memory_gb 1, ",
            2: "raise it to 1 with container_memory_gb 2, ",
            4: "raise it above 1 (2 with container_memory_gb 4, or a larger pair of 2 GB a vCPU), ",
            8: "",
        }[gib]
        assert error.endswith(f"; {bigger}shorten ground_segment.contact_minutes or set processing.enabled: false")
        assert _ok(lambda d: (job(too_long)(d), d["processing"].update(enabled=False))).processing.enabled is False

    def test_the_longest_disk_refusal_is_whole_on_its_one_line(self):
        """The disk refusal, the longest the spec says of itself, with a 32-character satellite
        name, the longest contact and a long DigIF bandwidth: nothing of it is cut."""

        def longest(d):
            d["satellites"][0].update(name="s" * 32)
            d["ground_segment"].update(contact_minutes=359.5)
            wide = {"name": "wide", "center_frequency_mhz": 2250, "bandwidth_mhz": 53.125, "delivery": "digif"}
            d["satellites"][0]["downlinks"].append({**wide, "data_rate_mbps": 2})
            _as_job(d, 0.25)

        (line,) = [e for e in _errors(longest) if "processing.container_vcpu" in e]
        assert "…" not in line, line
        assert line.endswith(
            "bandwidth_mhz: 53.125 (DigIF, 969 Mbps by default; digif_mbps sets it); shorten "
            "ground_segment.contact_minutes or set processing.enabled: false"
        )

    def test_two_satellites_whose_downlinks_join_to_one_name_are_refused(self):
        """`sat` + `x-hrd` and `sat-x` + `hrd` would name one downlink's resources twice."""

        def joined(d, second: str = "hrd"):
            d["satellites"][0].update(name="sat")
            d["satellites"][0]["downlinks"][0]["name"] = "x-hrd"
            twin = copy.deepcopy(d["satellites"][0])
            twin.update(name="sat-x", norad_id=43014)
            twin.pop("tle", None)
            twin["downlinks"][0]["name"] = second
            d["satellites"].append(twin)

        assert (
            "s.yaml: satellites[1].downlinks[0].name: satellite 'sat-x' with downlink 'hrd' names its resources "
            "'sat-x-hrd', as satellites[0] 'sat' with downlink 'x-hrd' does; rename one"
        ) in _errors(joined)
        assert _ok(lambda d: joined(d, "lrd")).satellites[1].downlinks[0].name == "lrd"

    def test_every_pair_of_downlinks_that_join_to_one_name_is_said_at_once(self):
        def two_pairs(d):
            d["satellites"][0].update(name="sat")
            link = d["satellites"][0]["downlinks"][0]
            d["satellites"][0]["downlinks"] = [{**link, "name": "x-hrd"}, {**link, "name": "x-lrd"}]
            twin = copy.deepcopy(d["satellites"][0])
            twin.update(name="sat-x", norad_id=43014)
            twin.pop("tle", None)
            twin["downlinks"] = [{**link, "name": "hrd"}, {**link, "name": "lrd"}]
            d["satellites"].append(twin)

        named = [e.split(":")[1].strip() for e in _errors(two_pairs) if "names its resources" in e]
        assert named == ["satellites[1].downlinks[0].name", "satellites[1].downlinks[1].name"]

        def and_one_norad_id(d):
            two_pairs(d)
            d["satellites"][1]["norad_id"] = d["satellites"][0]["norad_id"]

        errors = _errors(and_one_norad_id)  # a NORAD id given twice hid the collisions until fixed
        assert any("duplicate satellite norad_id" in e for e in errors)
        assert sum("names its resources" in e for e in errors) == 2

        def and_a_third_named_as_the_first(d):  # a name given twice hid the others' collisions too
            two_pairs(d)
            third = {**copy.deepcopy(d["satellites"][0]), "norad_id": 43015}
            third.pop("tle", None)
            d["satellites"].append(third)

        errors = _errors(and_a_third_named_as_the_first)
        assert any("duplicate satellite name" in e for e in errors)
        assert sum("names its resources" in e for e in errors) == 2  # not the twins': said as one name twice

    def test_aws_no_longer_supports_aqua_on_managed(self):
        errors = _errors(lambda d: (d["satellites"][0].update(norad_id=27424), d["satellites"][0].pop("tle")))
        assert (
            "s.yaml: satellites[0].norad_id: 27424 is not supported by AWS Ground Station since "
            "2024-11-30; use provider: partner"
        ) in errors


class TestContradictions:
    def test_partner_needs_a_partner_and_managed_refuses_one(self):
        errors = _errors(lambda d: d["ground_segment"].update(provider="partner"))
        assert any(e.startswith("s.yaml: ground_segment.partner: provider: partner needs a partner") for e in errors)
        errors = _errors(lambda d: d["ground_segment"].update(partner={"name": "ksat_lite"}))
        assert "s.yaml: ground_segment.partner: only applies to provider: partner" in errors

    def test_a_dubbo_share_is_ground_station_s_not_a_partner_s(self):
        partner = {"provider": "partner", "partner": {"name": "ksat_lite"}}
        errors = _errors(lambda d: d["ground_segment"].update(dubbo_minutes_share=0.5, **partner))
        assert errors == [
            "s.yaml: ground_segment.dubbo_minutes_share: only applies to provider: managed (AWS Ground Station's "
            "Dubbo 1 site); allowed with a partner: 0"
        ]
        _ok(lambda d: d["ground_segment"].update(dubbo_minutes_share=0, **partner))
        _ok(lambda d: d["ground_segment"].update(dubbo_minutes_share=1))

    @pytest.mark.parametrize(
        ("key", "value", "legacy"),
        [
            ("pre_pass_seconds", 0, ""),
            ("post_pass_seconds", 600, ""),
            ("autotrack", "removed", " or clouds.azure.legacy_orbital: true"),
        ],
    )
    def test_a_partner_s_antenna_settings_are_the_partner_s(self, key, value, legacy):
        """With a partner these shaped nothing on either cloud: `autotrack: removed`, the value the
        mandatory aws-gs-autotrack rule exists to refuse, passed the pack clean."""
        partner = {"provider": "partner", "partner": {"name": "ksat_lite"}}
        errors = _errors(lambda d: d["ground_segment"].update({key: value, **partner}))
        assert errors == [
            f"s.yaml: ground_segment.{key}: only applies to provider: managed{legacy} (a partner sets its antennas by "
            "its own configuration); leave it out"
        ]
        default = {"pre_pass_seconds": 120, "post_pass_seconds": 120, "autotrack": "preferred"}[key]
        _ok(lambda d: d["ground_segment"].update({key: default, **partner}))  # written out whole: the same spec
        _ok(lambda d: d["ground_segment"].update({key: value}))  # managed: AWS Ground Station's mission profile

    @pytest.mark.parametrize("value", [30000, -5, 21600])
    def test_a_partner_s_padding_out_of_range_is_told_to_go_not_to_come_into_range(self, value):
        """Out of range, a partner's padding got the range's line; brought into range, it was then
        refused as the partner's: one line, to leave it out, whatever the value."""
        partner = {"provider": "partner", "partner": {"name": "ksat_lite"}}
        errors = _errors(lambda d: d["ground_segment"].update(pre_pass_seconds=value, **partner))
        assert errors == [
            "s.yaml: ground_segment.pre_pass_seconds: only applies to provider: managed (a partner sets its antennas "
            "by its own configuration); leave it out"
        ]

    def test_a_partner_stream_s_padding_is_not_held_to_a_dataflow_endpoint_group(self):
        """The 120-480 s range is AWS Ground Station's dataflow endpoint group's, which a partner's
        stream (a Kinesis stream, an Event Hub) does not have."""
        partner = {"provider": "partner", "partner": {"name": "ksat_lite"}}
        # with a partner the padding is refused once, as the partner's to set, not as a range it has not
        errors = _errors(
            lambda d: (d["ground_segment"].update(pre_pass_seconds=60, **partner), d["delivery"].update(stream=True))
        )
        assert errors == [
            "s.yaml: ground_segment.pre_pass_seconds: only applies to provider: managed (a partner sets its antennas "
            "by its own configuration); leave it out"
        ]
        errors = _errors(lambda d: (d["ground_segment"].update(pre_pass_seconds=60), d["delivery"].update(stream=True)))
        assert any("60 is outside 120-480 (AWS Ground Station dataflow endpoint group" in e for e in errors)

    def test_partner_region_need_not_host_an_antenna(self):
        spec = _ok(
            lambda d: (
                d["ground_segment"].update(provider="partner", partner={"name": "viasat_rte"}),
                d["clouds"]["aws"].update(region="us-east-1"),
            )
        )
        assert spec.clouds.aws.region == "us-east-1"

    def test_partner_ids_are_checked(self):
        def partner(**kw):
            return lambda d: d["ground_segment"].update(provider="partner", partner={"name": "ksat_lite", **kw})

        _ok(partner(aws_account_id="111122223333", price_per_minute_usd=12.5, aws_external_id="ksat:landing-42"))
        assert any(
            e.startswith("s.yaml: ground_segment.partner.aws_external_id: 'has space' does not match")
            for e in _errors(partner(aws_external_id="has space"))
        )
        assert any(
            e.startswith("s.yaml: ground_segment.partner.aws_account_id: '1234' does not match")
            for e in _errors(partner(aws_account_id="1234"))
        )
        assert any(
            e.startswith("s.yaml: ground_segment.partner.azure_principal_object_id:")
            for e in _errors(partner(azure_principal_object_id="nope"))
        )
        assert any(
            e.startswith("s.yaml: ground_segment.partner.name: 'acme' is not allowed")
            for e in _errors(partner(name="acme"))
        )

    def test_delivery_needs_a_path(self):
        errors = _errors(lambda d: d["delivery"].update(object_store=False, stream=False))
        assert "s.yaml: delivery.object_store: delivery needs object_store or stream (or both)" in errors

    def test_streaming_bounds_the_pass_padding(self):
        _ok(lambda d: d["delivery"].update(stream=True))
        # CloudFormation's 120-480, which Cloud Control checks (the API alone takes 30-480)
        errors = _errors(
            lambda d: (d["delivery"].update(stream=True), d["ground_segment"].update(pre_pass_seconds=119))
        )
        assert (
            "s.yaml: ground_segment.pre_pass_seconds: 119 is outside 120-480 (AWS Ground Station dataflow "
            "endpoint group, delivery.stream)"
        ) in errors
        _ok(lambda d: (d["delivery"].update(stream=True), d["ground_segment"].update(pre_pass_seconds=120)))

    def test_serverless_sql_needs_a_catalog(self):
        _ok(lambda d: d["analytics"].update(catalog=False, serverless_sql=False))
        errors = _errors(lambda d: d["analytics"].update(catalog=False))
        assert "s.yaml: analytics.serverless_sql: needs catalog: true (queries read the catalog's tables)" in errors

    def test_legacy_orbital_only_in_former_aogs_regions_and_with_tles(self):
        tle = [tle_line(1, 43013), tle_line(2, 43013)]
        _ok(lambda d: (d["clouds"]["azure"].update(legacy_orbital=True), d["satellites"][0].update(tle=tle)))
        errors = _errors(
            lambda d: (
                d["clouds"]["azure"].update(legacy_orbital=True, location="eastus"),
                d["satellites"][0].update(tle=tle),
            )
        )
        assert any(
            e.startswith(
                "s.yaml: clouds.azure.location: eastus never hosted Azure Orbital; allowed with "
                "legacy_orbital: brazilsouth"
            )
            for e in errors
        )
        errors = _errors(lambda d: (d["clouds"]["azure"].update(legacy_orbital=True), d["satellites"][0].pop("tle")))
        assert any(e.startswith("s.yaml: satellites[0].tle: legacy_orbital needs TLE lines") for e in errors)

    def test_legacy_orbital_names_every_satellite_without_its_tle_at_once(self):
        def two_without(d):
            d["clouds"]["azure"].update(legacy_orbital=True)
            d["satellites"][0].pop("tle")
            d["satellites"].append({**d["satellites"][0], "name": "second", "norad_id": 1})

        errors = _errors(two_without)
        named = [e.split(":")[1].strip() for e in errors if "legacy_orbital needs TLE lines" in e]
        assert named == ["satellites[0].tle", "satellites[1].tle"]


class TestStructure:
    def test_unknown_field_suggests_the_right_one(self):
        errors = _errors(lambda d: d["storage"].update(retention_days=10))
        assert any(
            e.startswith("s.yaml: storage.retention_days: unknown field; did you mean 'raw_retention_days'?")
            for e in errors
        )
        errors = _errors(lambda d: dl(d).update(bandwith_mhz=1))
        assert any(f"{DL}.bandwith_mhz: unknown field; did you mean 'bandwidth_mhz'?" in e for e in errors)

    def test_missing_required_sections(self):
        errors = _errors(lambda d: d.pop("budget"))
        assert "s.yaml: budget: is required" in errors

    def test_every_problem_is_reported_at_once(self):
        def many(d):
            dl(d).update(bandwidth_mhz=700, polarization="circular")
            d["mission"]["owner"] = ""

        assert len(_errors(many)) == 3

    def test_not_a_mapping(self):
        for data, got in ((["a"], "a list"), ("mission", "'mission'"), (None, "nothing (null)")):
            with pytest.raises(SpecError) as info:
                spec_from_data(data, "s.yaml")
            assert info.value.lines == [
                f"s.yaml: the spec must be a mapping with mission, satellites and budget, got {got}"
            ]

    def test_a_misspelt_required_field_is_one_line_not_two(self):
        data = spec_data()
        data["mission"]["onwer"] = data["mission"].pop("owner")
        with pytest.raises(SpecError) as info:
            spec_from_data(data, "s.yaml")
        [line] = info.value.lines
        assert line.startswith("s.yaml: mission.onwer: unknown field; did you mean 'owner'?")
        # a required field missing with no near spelling beside it is still reported
        del data["mission"]["onwer"]
        data["mission"]["colour"] = "blue"
        with pytest.raises(SpecError) as info:
            spec_from_data(data, "s.yaml")
        assert sorted(line.split(": ")[1] for line in info.value.lines) == ["mission.colour", "mission.owner"]

    def test_a_key_with_a_look_alike_letter_names_the_letter(self):
        """`owner` spelt with a Cyrillic o (U+043E): the line said "did you mean 'owner'?" of a key
        that reads the same on screen, and the user could not see what to change."""
        data = spec_data()
        data["mission"]["\u043ewner"] = data["mission"].pop("owner")
        with pytest.raises(SpecError) as info:
            spec_from_data(data, "s.yaml")
        assert info.value.lines == [
            "s.yaml: mission.\u043ewner: unknown field; did you mean 'owner'? It holds U+043E (CYRILLIC SMALL LETTER "
            "O), not an ASCII letter (allowed: data_classification, name, owner, tags)"
        ]


class TestFiles:
    def test_duplicate_yaml_keys_are_errors(self, tmp_path):
        path = tmp_path / "dup.yaml"
        path.write_text("mission:\n  name: a\n  name: b\n")
        with pytest.raises(SpecError) as info:
            load_spec(path)
        assert info.value.lines == [f"{path}: mission.name: duplicate key (line 3, column 3)"]

    def test_yaml_syntax_error_names_line_and_column(self, tmp_path):
        path = tmp_path / "broken.yaml"
        path.write_text("mission:\n  name: [a\n")
        with pytest.raises(SpecError) as info:
            load_spec(path)
        assert info.value.lines[0].startswith(f"{path}: line 3, column 1: ")

    def test_missing_file(self, tmp_path):
        with pytest.raises(SpecError) as info:
            load_spec(tmp_path / "none.yaml")
        assert info.value.lines == [f"{tmp_path / 'none.yaml'}: no such file"]

    @pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
    def test_bundled_specs_are_valid(self, name):
        assert load_spec(SPECS / name).mission.name


def test_reference_spec_carries_reference_values():
    spec = load_spec(SPECS / "noaa20.yaml")
    link = spec.satellites[0].downlinks[0]
    assert (spec.satellites[0].norad_id, link.center_frequency_mhz, link.bandwidth_mhz, link.polarization) == (
        43013,
        7812,
        30,
        "right_hand",
    )
    gs = spec.ground_segment
    assert (gs.min_contact_seconds, gs.pre_pass_seconds, gs.post_pass_seconds, gs.autotrack) == (
        180,
        120,
        120,
        "preferred",
    )
    demod = json.loads(link.demodulation())
    assert demod["type"] == "QPSK"
    assert demod["qpsk"]["symbolTimingRecovery"]["symbolRate"] == {"value": 15.0, "units": "Msps"}
    assert demod["qpsk"]["carrierFrequencyRecovery"]["centerFrequency"] == {"value": 7812.0, "units": "MHz"}
    decode = json.loads(link.decode())
    assert decode["edges"][-1] == {"from": "NrzmDecoder", "to": "UncodedFramesEgress"}
    assert {"from": "IQ-Recombiner", "to": "CcsdsViterbiDecoder"} in decode["edges"]


def test_constellation_has_24_satellites_with_several_downlinks():
    spec = load_spec(SPECS / "constellation.yaml")
    assert len(spec.satellites) == 24
    assert all(len(s.downlinks) >= 2 for s in spec.satellites)


def test_an_external_id_without_the_partner_s_account_is_refused_as_shaping_nothing():
    """No account, no landing role for the partner to assume, and nothing presents the id."""

    def partner(**fields):
        return lambda d: d["ground_segment"].update(provider="partner", partner={"name": "ksat_lite", **fields})

    assert _errors(partner(aws_external_id="groundlink-partner-7")) == [
        "s.yaml: ground_segment.partner.aws_external_id: only applies with aws_account_id (the partner presents it "
        "when it assumes the landing role, which only a named account is given)"
    ]
    spec = _ok(partner(aws_account_id="111122223333", aws_external_id="groundlink-partner-7"))
    assert spec.ground_segment.partner.aws_external_id == "groundlink-partner-7"


class TestPartnerSourceAddresses:
    @staticmethod
    def _with(addresses):
        def mutate(d):
            d["ground_segment"].update(provider="partner", partner={"name": "ksat_lite", "source_addresses": addresses})

        return mutate

    def test_public_addresses_and_ranges_are_accepted(self):
        spec = _ok(self._with(["203.0.113.7", "198.51.100.0/24"]))
        assert spec.ground_segment.partner.source_addresses == ["203.0.113.7", "198.51.100.0/24"]

    @pytest.mark.parametrize(
        "address, fragment",
        [
            ("10.1.2.0/24", "10.1.2.0/24 is not a public range (Azure storage IP rules take public addresses only)"),
            ("192.168.1.1", "192.168.1.1 is not a public range"),
            # "this network" (0.0.0.0/8), which no host sends from: 0.0.0.0/0 was refused, these not
            ("0.0.0.0", "0.0.0.0 is in 0.0.0.0/8, 'this network', which no client sends from; allowed: public"),
            ("0.0.0.0/8", "0.0.0.0/8 is in 0.0.0.0/8, 'this network'"),
            ("0.0.0.1", "0.0.0.1 is in 0.0.0.0/8"),
            # wider than 0.0.0.0/8, and holding it: what it takes in is named
            ("0.0.0.0/7", "0.0.0.0/7 takes in 0.0.0.0/8, which no public client sends from"),
            ("198.51.100.0/31", "198.51.100.0/31: Azure storage IP rules take /30 or wider ranges"),
            ("198.51.100.1/24", "198.51.100.1/24 has host bits set; allowed: 198.51.100.0/24"),
            ("partner.example.com", "'partner.example.com' is not an IPv4 address or CIDR range"),
        ],
    )
    def test_private_tiny_or_malformed_ranges_are_refused(self, address, fragment):
        errors = _errors(self._with(["203.0.113.7", address]))
        assert any(
            e.startswith("s.yaml: ground_segment.partner.source_addresses[1]: ") and fragment in e for e in errors
        ), errors

    def test_repeats_are_refused_naming_both_places(self):
        errors = _errors(self._with(["203.0.113.7", "198.51.100.0/24", "203.0.113.7"]))
        assert errors == [
            "s.yaml: ground_segment.partner.source_addresses[2]: 203.0.113.7 repeats source_addresses[0]"
        ], errors


class TestSqlClients:
    """analytics.sql_clients: the ranges Synapse's firewall admits, checked as source_addresses are
    (one logic), except that a rule may be as narrow as one address in CIDR form."""

    @staticmethod
    def _with(clients):
        return lambda d: d["analytics"].update(sql_clients=clients)

    def test_public_addresses_and_ranges_of_any_width_are_accepted(self):
        spec = _ok(self._with(["203.0.113.7", "198.51.100.0/24", "198.51.100.250/31"]))
        assert spec.analytics.sql_clients == ["203.0.113.7", "198.51.100.0/24", "198.51.100.250/31"]

    @pytest.mark.parametrize(
        "address, fragment",
        [
            ("10.1.2.0/24", "10.1.2.0/24 is not a public range (Synapse firewall rules take public addresses only)"),
            # a 0.0.0.0-0.0.0.0 rule is Azure SQL's "all Azure-internal addresses", not one client
            ("0.0.0.0", "0.0.0.0 is in 0.0.0.0/8, 'this network', which no client sends from; allowed: public IPv4"),
            ("198.51.100.1/24", "198.51.100.1/24 has host bits set; allowed: 198.51.100.0/24"),
            # the range a value with host bits lies in is offered only where it would be taken
            (
                "198.51.100.7/0",
                "198.51.100.7/0 has host bits set, and the range it lies in is refused too: 0.0.0.0/0 takes in "
                "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 0.0.0.0/8, which no public client sends from "
                "(Synapse firewall rules take public addresses only); allowed: narrower public ranges",
            ),
            (
                "10.1.2.3/24",
                "10.1.2.3/24 has host bits set, and the range it lies in is refused too: 10.1.2.0/24 is not",
            ),
            ("0.0.0.0/0", "0.0.0.0/0 takes in 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 0.0.0.0/8, which no public"),
            ("203.0.113.7", "203.0.113.7 repeats sql_clients[0]"),
            ("analyst.example.com", "'analyst.example.com' is not an IPv4 address or CIDR range"),
        ],
    )
    def test_private_malformed_or_repeated_ranges_are_refused(self, address, fragment):
        errors = _errors(self._with(["203.0.113.7", address]))
        assert any(e.startswith("s.yaml: analytics.sql_clients[1]: ") and fragment in e for e in errors), errors

    def test_as_many_ranges_as_a_workspace_takes_firewall_rules_and_no_more(self):
        """A Synapse workspace takes at most 128 IP firewall rules (Microsoft Learn), one per
        client range: 129 planned rules the workspace would refuse at `pulumi up`."""
        clients = [f"198.51.100.{i}" for i in range(128)]
        assert len(_ok(self._with(clients)).analytics.sql_clients) == 128
        assert _errors(self._with([*clients, "203.0.113.7"])) == [
            "s.yaml: analytics.sql_clients: has 129 items; at most 128 allowed"
        ]


def test_geo_redundancy_needs_a_location_with_geo_zone_redundant_storage():
    """Italy North has ZRS but no GZRS: storage.redundancy: geo there planned an account
    (Standard_GZRS) that Azure refuses to create."""
    data = spec_data()
    data["storage"]["redundancy"] = "geo"
    data["clouds"]["aws"]["replica_region"] = "us-east-1"
    data["clouds"]["azure"]["location"] = "westus2"
    spec_from_data(data, "s.yaml")  # accepted

    data["clouds"]["azure"]["location"] = "italynorth"
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "s.yaml")
    assert info.value.lines == [
        "s.yaml: clouds.azure.location: italynorth has no geo-zone-redundant storage (storage.redundancy: geo is "
        "GZRS); allowed: switzerlandnorth, uaenorth ... (every location: docs/facts.md §9 lists them)"
    ]
    data["storage"]["redundancy"] = "zone"
    data["clouds"]["aws"].pop("replica_region")
    spec_from_data(data, "s.yaml")  # ZRS is enough without geo


def test_every_downlink_lacking_a_preset_is_named_in_one_run() -> None:
    """The check stopped at the first downlink: a constellation's author was told of
    satellites[0] only, then of satellites[1] after fixing it, and so on."""
    data = spec_data("constellation.yaml")
    data["satellites"] = data["satellites"][:3]
    for sat in data["satellites"]:
        for link in sat["downlinks"]:
            link.update(delivery="demod_decode", preset=None, demodulation_json=None, decode_json=None)
    lacking = [
        f"satellites[{i}].downlinks[{j}]" for i, s in enumerate(data["satellites"]) for j in range(len(s["downlinks"]))
    ]
    assert len(lacking) > 2
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "c.yaml")
    (line,) = [line for line in caught.value.lines if "needs a preset" in line]
    assert line.startswith(f"c.yaml: {lacking[0]}.preset: ") and f"(also {', '.join(lacking[1:])})" in line


@pytest.mark.parametrize(
    ("document", "what"),
    [
        ("plan", "a groundlink plan (plan --json), which diff and --against compare a spec with"),
        ("report", "a compare report (compare.json)"),
        ("checkpoint", "a Pulumi checkpoint (pulumi stack export), which diff and --against compare a spec with"),
    ],
)
def test_a_document_given_as_a_spec_is_one_line_saying_what_it_is(tmp_path, capsys, document, what):
    """A plan given to validate was refused in 13 lines of unknown fields ("region: unknown
    field; did you mean 'version'?"), where diff already said what it was."""
    from groundlink import cli

    from .conftest import cached_plan

    data = {
        "plan": cached_plan("noaa20.yaml", "aws").to_json(),
        "report": {"formatVersion": 4, "mission": "noaa20-demo", "ok": True, "failures": []},
        "checkpoint": {"version": 3, "deployment": {"manifest": {}, "resources": []}},
    }[document]
    path = tmp_path / f"{document}.json"
    path.write_text(json.dumps(data))
    assert cli.main(["validate", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [f"{path}: not a mission spec; this is {what}"]


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        ("ops@example.com", True),
        ("first.last+alerts@ops.example.co.uk", True),
        ("o'neil@example.org", True),
        ("ops@xn--e1afmkfd.xn--p1ai", True),  # an internationalized domain in its xn-- form
        ("mailto:ops@example.com", False),  # copied from a link
        ("<ops@example.com>", False),  # copied from a header
        ("ops@example.com,", False),  # copied from a list
        ("ops@example..com", False),
        ("ops..alerts@example.com", False),
        ("ops@-example.com", False),
        ("ops@example", False),
        ("a" * 64 + "@example.com", True),  # SMTP's longest local part
        ("ops@" + "b" * 63 + "." + "b" * 63 + "." + "b" * 63 + "." + "b" * 55 + ".io", True),  # 254 characters
    ],
)
def test_an_alert_email_is_an_address_smtp_carries(address, accepted):
    """Texts that only hold an address passed as addresses and went to both budgets and the
    alert topic as written, where no alert would arrive."""

    def mutate(data):
        data["budget"]["alert_emails"] = [address]

    if accepted:
        assert _ok(mutate).budget.alert_emails == [address.casefold()]
    else:
        [line] = _errors(mutate)
        assert line.startswith(f"s.yaml: budget.alert_emails[0]: {address!r} is not an email address, name@domain.tld")


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("a" * 65 + "@example.com", "the part before @ is 65 characters; SMTP carries at most 64"),
        (
            "ops@" + "b" * 63 + "." + "b" * 63 + "." + "b" * 63 + "." + "b" * 56 + ".io",
            "has 255 characters; at most 254",
        ),
    ],
)
def test_an_alert_email_past_smtps_sizes_is_refused(address, error):
    """A 65-character local part and a 263-character domain were accepted, and went to both
    budgets and the alert topic, where no alert would ever be delivered."""

    def mutate(data):
        data["budget"]["alert_emails"] = ["ops@example.com", address]

    [line] = _errors(mutate)
    assert line.startswith("s.yaml: budget.alert_emails[1]: ") and error in line


@pytest.mark.parametrize(
    ("image", "accepted"),
    [
        ("ghcr.io/acme/processor:V1.2", True),  # a tag may hold capitals
        ("123456789012.dkr.ecr.us-west-2.amazonaws.com/proc:1.0.0-RC1", True),
        ("Registry.Example.com:5000/team/proc", True),  # so may the registry's host name
        ("proc@sha256:" + "0" * 64, True),
        ("ghcr.io/acme/proc:1.0@sha512:" + "f" * 128, True),
        ("proc@sha384:" + "a" * 96, True),
        ("proc@sha256:" + "A" * 64, False),  # go-digest takes lowercase hex only
        ("proc@sha256:" + "a" * 63, False),  # exactly the algorithm's length
        ("proc@sha256:" + "a" * 65, False),
        ("proc@sha512:" + "a" * 64, False),
        ("proc@md5:" + "a" * 32, False),  # an algorithm go-digest does not register
        ("ghcr.io/Acme/processor:1.0", False),  # the repository path may not
        ("ghcr.io/acme/processor:", False),
        ("ghcr.io/acme//processor", False),
        ("ghcr.io/acme/processor:" + "1" * 129, False),  # a tag is at most 128 characters
        ("a" * 256, False),  # AWS Batch takes at most 255
    ],
)
def test_a_container_image_is_a_reference_the_runtimes_parse(image, accepted):
    """`ghcr.io/acme/proc:V1.2` was refused: the pattern took lowercase only, where the reference
    grammar and AWS Batch take capitals in the tag and the host name."""

    def mutate(data):
        data["processing"].update(mode="container_job", container_vcpu=1, container_memory_gb=2, container_image=image)

    if accepted:
        assert _ok(mutate).processing.container_image == image
    else:
        [line] = _errors(mutate)
        assert line.startswith("s.yaml: processing.container_image: ")


def test_a_range_error_names_the_field_s_whole_range_whichever_bound_is_broken():
    """A share of 0-1 given -1 was told `0 or more`, and given 5 next, `at most 1`: pydantic's
    error holds only the bound broken; the field's other one is read from the spec model."""
    from groundlink.spec import range_words

    for value in (-1, 2):
        data = with_changes(spec_data(), {"ground_segment.dubbo_minutes_share": value})
        with pytest.raises(SpecError, match=rf"dubbo_minutes_share: {value} is out of range; allowed: 0-1$"):
            spec_from_data(data)
    for value in (0, 5000):  # a list item's range is its item type's, both bounds alike
        data = with_changes(spec_data(), {"budget.thresholds_percent": [value]})
        with pytest.raises(SpecError, match=rf"thresholds_percent\[0\]: {value} is out of range; allowed: 1-1000$"):
            spec_from_data(data)
    assert range_words("less_than", {"ge": 0, "lt": 100}) == "0 to less than 100"
    assert range_words("greater_than", {"gt": 0, "le": 1_000_000}) == "more than 0, at most 1,000,000"
    assert range_words("less_than_equal", {"ge": -90, "le": 90}) == "-90 to 90"
    assert range_words("greater_than_equal", {"ge": 1}) == "1 or more"  # a list item: its error's bound
    assert range_words("greater_than", {"gt": 0}) == "more than 0"
    assert range_words("less_than", {"gt": 0, "lt": 1}) == "more than 0, less than 1"
    assert range_words("less_than_equal", {"le": 100_000}) == "at most 100,000"  # a count from 100,000 on
    assert range_words("less_than_equal", {"le": 99_999}) == "at most 99999"  # an id
    # a field two levels down, bounded on both sides: its model is found by the path's parents
    data = with_changes(spec_data("partner.yaml"), {"ground_segment.partner.price_per_minute_usd": 0})
    with pytest.raises(
        SpecError, match=r"price_per_minute_usd: 0 is out of range; allowed: more than 0, at most 1,000,000$"
    ):
        spec_from_data(data)


def test_a_pasted_satellite_block_left_unchanged_is_named_at_its_own_lines(tmp_path):
    """A satellite block copied and only partly edited: the error names the copy's field at the
    copy's line, not the `satellites:` key of a 400-line list (the first block keeps its value)."""
    text = (SPECS / "noaa20.yaml").read_text()
    start = text.index("  - name: noaa20\n")
    end = text.index("ground_segment:")
    block = text[start:end]
    copy_block = block.replace("  - name: noaa20\n", "  - name: noaa21\n")
    path = tmp_path / "s.yaml"
    path.write_text(text[:end] + copy_block + text[end:])
    line = text[:end].count("\n") + 1 + copy_block[: copy_block.index("norad_id")].count("\n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert info.value.lines == [
        f"{path}: satellites[1].norad_id: duplicate satellite norad_id 43013: satellites[0] has it too "
        f"(line {line}, column 5)"
    ]


def _every_public_range() -> list[str]:
    """IPv4 without the ranges no internet caller holds: 103 public CIDR blocks."""
    import ipaddress

    from groundlink.spec import unreachable_ipv4_ranges

    left = [ipaddress.IPv4Network("0.0.0.0/0")]
    for network in map(ipaddress.IPv4Network, unreachable_ipv4_ranges()):
        left = [p for b in left for p in (b.address_exclude(network) if network.subnet_of(b) else [b])]
    return sorted(str(n) for n in left)


def test_client_ranges_that_together_admit_the_whole_internet_are_refused():
    """0.0.0.0/0 was refused for the private ranges it holds, and the same exposure spelled as the
    103 public blocks was taken: the Synapse firewall then admitted every internet address."""
    cover = _every_public_range()
    assert len(cover) == 103
    data = spec_data()
    data["analytics"]["sql_clients"] = cover
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "s.yaml")
    assert info.value.lines == [
        "s.yaml: analytics.sql_clients: its ranges together admit every internet address (all of IPv4 but the "
        "private and reserved ranges, which no caller holds): list the clients' own ranges, which Synapse firewall "
        "rules then admit"
    ]
    data["analytics"]["sql_clients"] = cover[1:]  # one public block left out: a list of clients, however wide
    spec_from_data(data, "s.yaml")
    # ranges refused one by one are said once, at their items, not again together
    for refused in (["0.0.0.0/0"], ["0.0.0.0/1", "128.0.0.0/1"]):
        data["analytics"]["sql_clients"] = refused
        with pytest.raises(SpecError) as info:
            spec_from_data(data, "s.yaml")
        assert len(info.value.lines) == len(refused)
        assert all(line.startswith("s.yaml: analytics.sql_clients[") for line in info.value.lines)


def test_the_pack_and_the_spec_read_the_same_ranges_as_no_caller_s():
    """One list, in the pack's folder, which the pack process reads beside its modules."""
    import importlib

    from groundlink.spec import unreachable_ipv4_ranges

    assert unreachable_ipv4_ranges() == importlib.import_module("groundlink.policies.props").NOT_GLOBAL_V4
