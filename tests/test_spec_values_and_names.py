"""Values and names a spec must not slip through, each refused by `groundlink validate` in one
line naming the field and what is allowed (exit 2), and the value just inside accepted:

- a boolean where a numeric choice belongs (`version: yes`), and a whole number written 180.0,
  which the JSON schema calls an integer, taken as the schema takes it;
- numbers echoed exactly as written (2300.0004 is not "2300 is outside 2200-2300");
- IPv4 addresses and ranges in CIDR prefix notation only (no netmask), repeats compared as networks;
- ASCII-only patterns (an Arabic-Indic digit is no account id digit), TLEs in ASCII;
- schema and model agreeing (tags, container memory, the Orbital network fields);
- mission names whose Azure or AWS resource names the clouds refuse (reserved words, `primary`);
- no sovereign-cloud Azure location;
- a message about a default saying so, at the field the spec wrote.
"""

from __future__ import annotations

import re
import typing
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from groundlink import limits
from groundlink.cli import main
from groundlink.spec import MissionSpec, SpecError, json_schema, spec_from_data

from .conftest import SPECS, schema_patterns, spec_data, with_changes, yaml_text

# The smallest spec: every section it does not write is a default.
BASE = """\
version: 1
mission:
  name: demo
  owner: ops
satellites:
  - name: sat1
    norad_id: 43013
    downlinks:
      - name: hrd
        center_frequency_mhz: 7812
        bandwidth_mhz: 30
        preset: jpss1_hrd
        data_rate_mbps: 15
budget:
  monthly_usd: 1000
  alert_emails: [a@example.com]
"""
DIGIF = {"name": "sb", "delivery": "digif", "center_frequency_mhz": 2250, "bandwidth_mhz": 5, "data_rate_mbps": 2}
PARTNER = {"provider": "partner", "partner": {"name": "ksat_lite"}}
CONTAINER_JOB = {"mode": "container_job", "container_image": "ghcr.io/example/groundlink:1"}
SCHEMA = jsonschema.Draft202012Validator(json_schema())
LOCATION = re.compile(r" \(line \d+, column \d+\)")


def base(**changes: Any) -> dict[str, Any]:
    import yaml

    return with_changes(yaml.safe_load(BASE), changes)


@pytest.fixture
def validate(tmp_path, capsys, monkeypatch):
    """`groundlink validate spec.yaml` over `text` (YAML) or `data` (dumped): exit code, stdout,
    and stderr with the line and column of the field taken out."""
    monkeypatch.chdir(tmp_path)

    def run(spec: str | dict[str, Any]) -> tuple[int, str, str]:
        text = spec if isinstance(spec, str) else yaml_text(spec)
        (tmp_path / "spec.yaml").write_text(text, encoding="utf-8")
        code = main(["validate", "spec.yaml"])
        out, err = capsys.readouterr()
        return code, out, LOCATION.sub("", err)

    return run


def refused(validate, spec: str | dict[str, Any], message: str) -> None:
    assert validate(spec) == (2, "", f"spec.yaml: {message}\n")


def accepted(spec: dict[str, Any]) -> MissionSpec:
    return spec_from_data(spec, "spec.yaml")


def errors(spec: dict[str, Any]) -> list[str]:
    with pytest.raises(SpecError) as caught:
        spec_from_data(spec, "spec.yaml")
    return caught.value.lines


# --- 1. booleans and whole numbers ------------------------------------------------------------

YES = "the boolean true (YAML reads an unquoted yes, no, on, off, true or false as one)"


@pytest.mark.parametrize("written", ["yes", "true", "on", "True"])
def test_version_yes_is_a_boolean_not_the_version(validate, written):
    refused(validate, BASE.replace("version: 1", f"version: {written}"), f"version: got {YES}; allowed: 1")


def test_version_1_is_the_version(validate):
    code, _out, err = validate(BASE)
    assert (code, err) == (0, "")


def _literal_number_fields(model: type[BaseModel], path: str = "") -> typing.Iterator[str]:
    """Dotted paths of every field whose choices include a number (the class of `version`)."""
    for name, field in model.model_fields.items():
        annotation = field.annotation
        for inner in (annotation, *typing.get_args(annotation)):
            if typing.get_origin(inner) is typing.Literal and any(
                isinstance(c, int) and not isinstance(c, bool) for c in typing.get_args(inner)
            ):
                yield f"{path}{name}"
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                yield from _literal_number_fields(inner, f"{path}{name}.")


def test_no_numeric_choice_of_the_spec_takes_a_boolean():
    fields = list(_literal_number_fields(MissionSpec))
    assert "version" in fields
    for field in fields:
        for boolean in (True, False):
            (line,) = errors(base(**{field: boolean}))
            assert line.startswith(f"spec.yaml: {field}: got the boolean {str(boolean).lower()}"), line


def test_a_whole_number_written_with_a_point_is_the_number_as_the_schema_says(validate):
    data = base(**{"ground_segment.min_contact_seconds": 180.0, "satellites.0.norad_id": 43013.0})
    assert SCHEMA.is_valid(data)
    spec = accepted(data)
    assert spec.ground_segment.min_contact_seconds == 180
    assert type(spec.satellites[0].norad_id) is int
    assert validate(data)[0] == 0


def test_a_fraction_is_still_no_whole_number(validate):
    data = base(**{"ground_segment.min_contact_seconds": 180.5})
    assert not SCHEMA.is_valid(data)
    refused(validate, data, "ground_segment.min_contact_seconds: must be a whole number, got 180.5")


def test_a_boolean_is_still_no_number():
    (line,) = errors(base(**{"satellites.0.norad_id": True}))
    assert line == f"spec.yaml: satellites[0].norad_id: must be a number, got {YES}"


# --- 2. values echoed exactly -----------------------------------------------------------------

LINK = "satellites[0].downlinks[0]"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (
            {**DIGIF, "center_frequency_mhz": 2300.0004},
            f"{LINK}.center_frequency_mhz: 2300.0004 is outside 2200-2300 or 7750-8400 MHz (AWS Ground Station "
            "downlink)",
        ),
        (
            {**DIGIF, "bandwidth_mhz": 54.000001},
            f"{LINK}.bandwidth_mhz: 54.000001 is outside 0.01-54 (AWS Ground Station DigIF)",
        ),
    ],
)
def test_a_value_just_outside_a_band_is_shown_as_written(validate, link, message):
    refused(validate, base(**{"satellites.0.downlinks": [link]}), message)


def test_a_rate_just_above_the_preset_is_shown_as_written(validate):
    refused(
        validate,
        base(**{"satellites.0.downlinks.0.data_rate_mbps": 15.0000001}),
        f"{LINK}.data_rate_mbps: 15.0000001 is above the 15 Mbps jpss1_hrd carries (QPSK at 15 Msps, rate-1/2 "
        "Viterbi); allowed: up to 15",
    )


@pytest.mark.parametrize(
    "link",
    [
        {**DIGIF, "center_frequency_mhz": 2300.0},
        {**DIGIF, "bandwidth_mhz": 54.0},
        {
            "name": "hrd",
            "center_frequency_mhz": 7812,
            "bandwidth_mhz": 30,
            "preset": "jpss1_hrd",
            "data_rate_mbps": 15.0,
        },
    ],
)
def test_the_bound_itself_is_inside(link):
    # a 54 MHz DigIF contact outgrows a function's disk: processed elsewhere
    accepted(base(**{"satellites.0.downlinks": [link], "processing.enabled": False}))


# --- 3. IPv4 addresses and ranges -------------------------------------------------------------

FORMS = (
    "allowed: an address a.b.c.d or a range a.b.c.d/n in CIDR prefix notation (decimal, no leading zeros; "
    "no netmask such as /255.255.255.0: Azure's network rules take CIDR)"
)


def partner(addresses: list[str]) -> dict[str, Any]:
    return base(ground_segment={**PARTNER, "partner": {"name": "ksat_lite", "source_addresses": addresses}})


@pytest.mark.parametrize("written", ["8.8.8.0/255.255.255.0", "8.8.8.0/0.0.0.255", "8.8.8.08", "8.8.8.0/024"])
def test_a_netmask_or_an_odd_spelling_is_no_source_address(validate, written):
    data = partner(["8.8.4.4", written])
    assert not SCHEMA.is_valid(data)
    refused(
        validate,
        data,
        f"ground_segment.partner.source_addresses[1]: '{written}' is not an IPv4 address or CIDR range; {FORMS}",
    )


def test_a_range_with_host_bits_names_its_network(validate):
    refused(
        validate,
        partner(["8.8.8.1/24"]),
        "ground_segment.partner.source_addresses[0]: 8.8.8.1/24 has host bits set; allowed: 8.8.8.0/24 "
        "(the range it lies in)",
    )


def test_addresses_and_cidr_ranges_are_source_addresses():
    data = partner(["8.8.8.0/24", "8.8.4.4", "1.1.1.0/30"])
    assert SCHEMA.is_valid(data)
    assert accepted(data).ground_segment.partner.source_addresses == ["8.8.8.0/24", "8.8.4.4", "1.1.1.0/30"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "vnet_cidr",
            "10.40.0.0/255.255.0.0",
            "clouds.azure.orbital.vnet_cidr: '10.40.0.0/255.255.0.0' is not an IPv4 range in CIDR notation; "
            "allowed: a.b.c.d/n (decimal, no leading zeros; no netmask such as /255.255.0.0: Azure address "
            "prefixes take CIDR)",
        ),
        (
            "ip_address",
            "10.40.0.04",
            "clouds.azure.orbital.ip_address: '10.40.0.04' is not an IPv4 address; allowed: a.b.c.d (decimal, "
            "no leading zeros)",
        ),
    ],
)
def test_the_orbital_network_is_cidr_too(validate, field, value, message):
    data = base(clouds={"azure": {"orbital": {field: value}}})
    assert not SCHEMA.is_valid(data)
    refused(validate, data, message)


def test_an_orbital_network_in_cidr_is_accepted():
    orbital = {"vnet_cidr": "10.40.0.0/16", "ip_address": "10.40.0.5"}  # the settings of the opt-in
    inside = with_changes(spec_data("noaa20.yaml"), {"clouds.azure": {"legacy_orbital": True, "orbital": orbital}})
    assert SCHEMA.is_valid(inside)
    accepted(inside)


# --- 4. ASCII patterns --------------------------------------------------------------------------

ARABIC_INDIC = "".join(chr(0x0660 + int(d)) for d in "123456789012")


def test_an_account_id_in_another_script_is_refused(validate):
    data = base(ground_segment={**PARTNER, "partner": {"name": "ksat_lite", "aws_account_id": ARABIC_INDIC}})
    assert not SCHEMA.is_valid(data)
    refused(
        validate,
        data,
        f"ground_segment.partner.aws_account_id: '{ARABIC_INDIC}' does not match ^[0-9]{{12}}$ (an AWS account "
        "id, 12 digits 0-9); it holds U+0661 (ARABIC-INDIC DIGIT ONE), U+0662 (ARABIC-INDIC DIGIT TWO), U+0663 "
        "(ARABIC-INDIC DIGIT THREE) and 7 more, not an ASCII character",
    )


def test_an_external_id_with_a_non_ascii_letter_is_refused(validate):
    data = base(ground_segment={**PARTNER, "partner": {"name": "ksat_lite", "aws_external_id": "prüfung"}})
    assert not SCHEMA.is_valid(data)
    refused(
        validate,
        data,
        "ground_segment.partner.aws_external_id: 'prüfung' does not match ^[A-Za-z0-9_+=,.@:/-]+$ (letters, "
        "digits and _ + = , . @ : / -); it holds U+00FC (LATIN SMALL LETTER U WITH DIAERESIS), not an ASCII letter",
    )


def test_ascii_ids_are_accepted():
    data = base(
        ground_segment={
            **PARTNER,
            "partner": {"name": "ksat_lite", "aws_account_id": "123456789012", "aws_external_id": "ab_+=,.@:/-9"},
        }
    )
    assert SCHEMA.is_valid(data)
    accepted(data)


def test_no_pattern_of_the_spec_leans_on_unicode_classes():
    found = list(schema_patterns(json_schema()))
    assert len(found) >= 12
    assert [p for p in found if re.search(r"\\[dwsDWS]", p)] == []


def test_a_tle_digit_in_another_script_is_refused():
    data = spec_data("noaa20.yaml")
    line1 = data["satellites"][0]["tle"][0]
    assert line1[65] == "9"  # the element set number, which no element field reads
    data["satellites"][0]["tle"][0] = line1[:65] + "\u0669" + line1[66:]  # checksums alike: int("٩") is 9
    assert errors(data) == [
        "spec.yaml: satellites[0].tle: line 1 has '\u0669'; allowed: ASCII letters, digits, spaces and . + -"
    ]
    accepted(spec_data("noaa20.yaml"))


# --- 5. schema and model agree ------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags",
    [{"bad key": "x"}, {"Azure-cost": "x"}, {"MISSION": "x"}, {"team": 'a"b'}, {"team": "tab\there"}],
)
def test_the_schema_refuses_the_tags_validate_refuses(tags):
    data = base(**{"mission.tags": tags})
    assert errors(data)
    assert not SCHEMA.is_valid(data)


def test_the_schema_and_validate_take_good_tags():
    data = base(**{"mission.tags": {"cost-center": "eo ground", "team:x": "ops@example.com", "k": "x" * 256}})
    assert SCHEMA.is_valid(data)
    accepted(data)


@pytest.mark.parametrize("memory", [3.0, 16.0, 0.25])
def test_the_schema_refuses_a_container_memory_no_container_has(memory):
    data = base(processing={**CONTAINER_JOB, "container_memory_gb": memory})
    assert not SCHEMA.is_valid(data)
    (line,) = errors(data)
    assert line == (
        f"spec.yaml: processing.container_memory_gb: {memory:g} is not allowed; allowed: 0.5, 1, 2, 4, 8 "
        "(2 GB per vCPU: Azure Container Apps consumption; Fargate)"
    )


# --- 6. mission names the clouds refuse ---------------------------------------------------------

AZURE_NOT_ALLOWED = (
    "; Azure refuses it in the mission's resource names (ReservedResourceName; Microsoft Learn, \"Resolve errors "
    'for reserved resource names"); not allowed: microsoft or windows anywhere, login first'
)


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("microsoft-eo", "holds MICROSOFT"),
        ("eo-windows", "holds WINDOWS"),
        ("micro-soft", "holds MICROSOFT without its dashes (storage account microsoft...)"),
        ("login-sat", "starts with LOGIN"),
        ("log-in", "starts with LOGIN without its dashes (storage account login...)"),
    ],
)
def test_a_mission_name_azure_refuses_in_its_resource_names(validate, name, what):
    refused(validate, base(**{"mission.name": name}), f"mission.name: '{name}' {what}{AZURE_NOT_ALLOWED}")


def test_a_mission_named_primary_would_make_the_workgroup_every_account_has(validate):
    refused(
        validate,
        base(**{"mission.name": "primary"}),
        "mission.name: 'primary' names the mission's Athena workgroup 'primary', the workgroup every AWS account "
        'already has (botocore athena DeleteWorkGroup: "The primary workgroup cannot be deleted"); allowed: any '
        "other name",
    )


def test_a_mission_name_ending_as_a_synapse_managed_group_is_refused(validate):
    """Mission `noaa20`'s workspace makes `rg-noaa20-synapse-managed`, the resource group of a
    mission named `noaa20-synapse-managed`: in one subscription the second `pulumi up` fails."""
    refused(
        validate,
        base(**{"mission.name": "noaa20-synapse-managed"}),
        "mission.name: 'noaa20-synapse-managed' names the mission's Azure resource group "
        "rg-noaa20-synapse-managed, which is also the group Synapse makes for the workspace of a mission "
        "named noaa20, and a subscription holds one group of a name; not allowed: a name ending -synapse-managed",
    )


@pytest.mark.parametrize("name", ["synapse-managed", "eo-synapse-managed2", "eo-synapse"])
def test_names_that_only_resemble_a_synapse_managed_group_are_accepted(name):
    assert accepted(base(**{"mission.name": name})).mission.name == name


@pytest.mark.parametrize("name", ["sg", "sg-eo"])
def test_a_mission_name_that_starts_its_security_group_names_with_sg_is_refused(validate, name):
    """The mission's security groups are unnamed, so Pulumi names them after their resources
    (`<mission>-processing-sg-...`), and EC2 refuses a group name starting sg-."""
    refused(
        validate,
        base(**{"mission.name": name}),
        f"mission.name: '{name}' starts the mission's security group names with sg- ({name}-processing-sg-...), "
        'which EC2 refuses (botocore ec2 CreateSecurityGroup GroupName: "Can\'t start with sg-"); not allowed: a '
        "name starting sg-, or the name sg",
    )


@pytest.mark.parametrize("name", ["sgx", "sgs-eo", "eo-sg", "s-g"])
def test_names_that_only_resemble_the_security_group_start_are_accepted(name):
    assert accepted(base(**{"mission.name": name})).mission.name == name


# Azure's whole-name reserved words: no Azure name with an endpoint is the mission name alone
@pytest.mark.parametrize("name", ["sat-login", "xbox-one", "primary-eo", "azure-eo", "windy", "micro", "azure", "xbox"])
def test_names_that_only_resemble_reserved_words_are_accepted(name):
    assert accepted(base(**{"mission.name": name})).mission.name == name


# --- 7. Azure public cloud only -----------------------------------------------------------------


@pytest.mark.parametrize("location", ["chinanorth3", "usgovvirginia", "usdodeast", "chinaeast2"])
def test_a_sovereign_cloud_location_is_refused_as_such(validate, location):
    data = base(clouds={"azure": {"location": location}})
    assert not SCHEMA.is_valid(data)
    code, out, err = validate(data)
    assert (code, out) == (2, "")
    assert err.startswith(
        f"spec.yaml: clouds.azure.location: {location} is a sovereign-cloud location (Azure operated by 21Vianet or "
        "Azure Government), and groundlink deploys to the Azure public cloud only; allowed: "
    )
    assert err.endswith(" ... (every location: the schema's enum lists them)\n") and err.count("\n") == 1


def test_no_sovereign_location_is_allowed_anywhere():
    enum = json_schema()["$defs"]["AzureCloud"]["properties"]["location"]["enum"]
    for locations in (limits.AZURE_ZRS_LOCATIONS, limits.AZURE_GZRS_LOCATIONS, set(enum)):
        assert not [loc for loc in locations if loc.startswith(limits.AZURE_SOVEREIGN_LOCATION_STARTS)]
    accepted(base(clouds={"azure": {"location": "eastus2"}}))


# --- 8. defaults named as defaults ------------------------------------------------------------


def test_a_short_retention_names_the_default_tiering_it_cuts_off(validate):
    refused(
        validate,
        base(storage={"raw_retention_days": 90}),
        "storage.raw_retention_days: 90 ends before the default tiering's archive step at 180 days, which would "
        "never apply (the default tiering: 30 days cool, 180 days archive); allowed: more than 180, or set "
        "storage.tiering",
    )
    accepted(base(storage={"raw_retention_days": 181}))


def test_a_tiering_the_spec_wrote_is_blamed_as_before(validate):
    tiering = [{"after_days": 30, "tier": "cool"}, {"after_days": 180, "tier": "archive"}]
    refused(
        validate,
        base(storage={"raw_retention_days": 90, "tiering": tiering}),
        "storage.tiering[1].after_days: 180 is not before raw_retention_days 90 (the tier would never apply); "
        "allowed: 60-89 days, a longer raw_retention_days, or no archive step",  # 60: 30 days after cool
    )
    accepted(base(storage={"raw_retention_days": 90, "tiering": tiering[:1]}))
    # the days offered come before the other store's retention too: 60-69, not 60-89
    refused(
        validate,
        base(storage={"raw_retention_days": 90, "products_retention_days": 70, "tiering": tiering}),
        "storage.tiering[1].after_days: 180 is not before raw_retention_days 90 (the tier would never apply); "
        "allowed: 60-69 days, a longer raw_retention_days, or no archive step",
    )
    # a retention before the first step's earliest day (cool: 30) leaves no day to offer
    refused(
        validate,
        base(storage={"raw_retention_days": 1, "tiering": tiering}),
        "storage.tiering[0].after_days: 30 is not before raw_retention_days 1 (the tier would never apply); "
        "allowed: a longer raw_retention_days, or no cool step",
    )


def test_a_container_size_only_applies_to_a_container_job(validate):
    refused(
        validate,
        base(processing={"container_vcpu": 1}),
        "processing.container_vcpu: only applies to mode: container_job (a function's size is memory_mb)",
    )
    accepted(base(processing={"memory_mb": 1024}))
    # the defaults written out, as a spec dumped whole has them, are the same spec
    accepted(base(processing={"container_vcpu": 2, "container_memory_gb": 4}))


@pytest.mark.parametrize("name", ["noaa20.yaml", "partner.yaml", "constellation.yaml", "aqua-legacy.yaml"])
def test_a_spec_written_out_whole_reads_back_as_itself(name):
    """Every field, defaults included (model_dump): the cost alternatives and the edit matrix
    rebuild specs so; a rule that refuses a field the author wrote must not refuse its default."""
    from groundlink.spec import load_spec

    spec = load_spec(SPECS / name)
    assert spec_from_data(spec.model_dump(mode="json"), name) == spec


def test_a_container_memory_left_at_its_default_is_called_the_default(validate):
    refused(
        validate,
        base(processing={**CONTAINER_JOB, "container_vcpu": 1}),
        "processing.container_memory_gb: 4 (the default) is not allowed with container_vcpu 1; allowed: 2 "
        "(2 GB per vCPU: Azure Container Apps consumption); set processing.container_memory_gb",
    )
    assert accepted(base(processing={**CONTAINER_JOB, "container_vcpu": 1, "container_memory_gb": 2})).processing


def test_a_default_contact_length_is_called_the_default(validate):
    refused(
        validate,
        base(ground_segment={"min_contact_seconds": 900}),
        "ground_segment.contact_minutes: 10 min (the default) is shorter than min_contact_seconds 900; "
        "allowed: 15 min or more",
    )
    accepted(base(ground_segment={"min_contact_seconds": 600}))


# --- S3 lifecycle: Deep Archive 90 days after Glacier ---------------------------------------------


@pytest.mark.parametrize(
    ("tiering", "index", "least"),
    [
        (
            [
                {"after_days": 30, "tier": "cool"},
                {"after_days": 60, "tier": "cold"},
                {"after_days": 149, "tier": "archive"},
            ],
            2,
            150,
        ),
        ([{"after_days": 10, "tier": "cold"}, {"after_days": 20, "tier": "archive"}], 1, 100),
    ],
)
def test_deep_archive_comes_90_days_after_glacier(validate, tiering, index, least):
    """S3 refuses a lifecycle rule whose DEEP_ARCHIVE transition is not 90 days after its GLACIER
    one (docs/facts.md §9); every tier step is one such rule on AWS."""
    cold = tiering[index - 1]["after_days"]
    refused(
        validate,
        base(storage={"tiering": tiering}),
        f"storage.tiering[{index}].after_days: {least - 1 if index == 2 else 20} is under {least}: S3 keeps objects "
        f"90 days in Glacier Flexible Retrieval (cold, from day {cold}) before Deep Archive; allowed: {least} or more",
    )
    just_in = [dict(t) for t in tiering]
    just_in[index]["after_days"] = least
    assert accepted(base(storage={"tiering": just_in})).storage.tiering[index].after_days == least
