"""Mistakes a person makes writing a spec by hand, each refused in one line naming the field
and what is allowed: tag keys that differ only in case, mission names whose buckets S3
reserves, YAML 1.1's readings of numbers, nulls, impossible contact loads, processing with
nothing to read."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from groundlink.components.aws.naming import bucket_prefix

from groundlink.limits import DELIVERY_BUCKET_PREFIX
from groundlink.preflight.aws_api import RESERVED
from groundlink.spec import SpecError, json_schema, load_spec, spec_from_data

from .conftest import SPECS, spec_data, with_changes

BASE = (SPECS / "noaa20.yaml").read_text(encoding="utf-8")


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    """specs/noaa20.yaml with one piece of its text replaced, as a person would type it."""
    assert BASE.count(old) == 1, old
    path = tmp_path / "spec.yaml"
    path.write_text(BASE.replace(old, new), encoding="utf-8")
    return path


def _lines(path: Path) -> list[str]:
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    return [line.removeprefix(f"{path}: ") for line in raised.value.lines]


def _data_lines(changes: dict) -> list[str]:
    with pytest.raises(SpecError) as raised:
        spec_from_data(with_changes(spec_data(), changes), "s.yaml")
    return [line.removeprefix("s.yaml: ") for line in raised.value.lines]


# --- 1. tag keys compared as Azure compares them: ignoring case


@pytest.mark.parametrize("key", ["Mission", "MISSION", "Owner", "Data-Classification", "Managed-By"])
def test_a_tag_key_that_is_groundlinks_own_in_another_case_is_refused(key):
    (line,) = _data_lines({"mission.tags": {key: "other"}})
    assert line.startswith(f"mission.tags.{key}: '{key}' is set by groundlink (mission, owner, data-classification")
    assert "ignore case" in line


@pytest.mark.parametrize("key", ["outside-vpc-writer", "Outside-VPC-Writer", "endpoint-mtu", "Endpoint-MTU"])
def test_a_tag_groundlink_gives_some_resources_a_meaning_with_is_refused_in_any_case(key):
    """On every role, a spec's outside-vpc-writer would let them all past a private mission's
    VPC-endpoint rule; an Endpoint-MTU beside the contact profile's endpoint-mtu is one tag on Azure."""
    (line,) = _data_lines({"mission.tags": {key: "noaa20"}})
    assert line == (
        f"mission.tags.{key}: '{key}' is set by groundlink on some resources, where a spec's tag would change "
        "its meaning (outside-vpc-writer, endpoint-mtu; Azure tag names ignore case)"
    )
    schema = json_schema()["$defs"]["Mission"]["properties"]["tags"]["propertyNames"]
    assert not jsonschema.Draft202012Validator({"type": "string", **schema}).is_valid(key)
    assert jsonschema.Draft202012Validator({"type": "string", **schema}).is_valid("outside-vpc")


def test_two_tag_keys_equal_ignoring_case_are_refused_naming_the_second():
    (line,) = _data_lines({"mission.tags": {"Team": "a", "team": "b"}})
    assert (
        line
        == "mission.tags.team: 'team' and 'Team' are one tag on Azure, whose tag names ignore case; keep one of them"
    )


def test_tag_keys_that_differ_beyond_case_are_kept():
    spec = spec_from_data(with_changes(spec_data(), {"mission.tags": {"Team": "a", "cost-center": "b"}}))
    assert spec.mission.tags == {"Team": "a", "cost-center": "b"}


# --- 2. a mission name that gives its buckets a start S3 reserves


@pytest.mark.parametrize("name", ["sthree", "amzn-s3-demo", "sthree-x", "xn--x", "amzn-s3-demo-x"])
def test_a_mission_name_starting_a_reserved_bucket_name_is_refused(name):
    (line,) = _data_lines({"mission.name": name})
    assert line.startswith(f"mission.name: '{name}' ")
    assert "which S3 reserves for bucket names" in line
    assert line.endswith(
        "not allowed: a name starting xn--, sthree-, amzn-s3-demo-, or the name sthree or amzn-s3-demo"
    )


@pytest.mark.parametrize("name", ["sthre", "sthreex", "xn", "xn-a", "amzn-s3-dem", "amzn-s3-demox", "s3"])
def test_a_mission_name_whose_buckets_start_otherwise_is_kept(name):
    assert spec_from_data(with_changes(spec_data(), {"mission.name": name})).mission.name == name


def test_every_bucket_prefix_of_an_accepted_name_passes_the_preflight_rule():
    """The bucket prefixes the AWS stack builds from a name validate accepts meet the reserved-
    start rule preflight applies to them (one rule, from limits.S3_RESERVED_BUCKET_STARTS)."""
    rule = RESERVED[("aws:s3/bucket:Bucket", "bucketPrefix")]
    assert rule.pattern
    for name in ("sthree", "amzn-s3-demo", "xn", "sthre", "amzn-s3-demox"):
        roles = [("raw", DELIVERY_BUCKET_PREFIX), ("products", ""), ("query-results", ""), ("raw-replica", "")]
        fits = all(re.fullmatch(rule.pattern, bucket_prefix(name, role, head)) for role, head in roles)
        try:
            spec_from_data(with_changes(spec_data(), {"mission.name": name}))
            accepted = True
        except SpecError:
            accepted = False
        assert accepted == fits, name


# --- 3. numbers YAML 1.1 reads otherwise than they are written


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "norad_id: 43013",
            "norad_id: 07530",
            "satellites[0].norad_id: must be a number, got 07530, which YAML 1.1 reads as the octal number 3928 "
            "(a leading zero makes one); write 7530 without the leading zero",
        ),
        (
            "norad_id: 43013",
            "norad_id: 08123",
            "satellites[0].norad_id: must be a number, got 08123, which YAML 1.1 reads as text (a leading zero "
            "makes an octal number, and 8 and 9 are no octal digits); write 8123 without the leading zero",
        ),
        (
            "monthly_usd: 8000",
            "monthly_usd: 1e3",
            "budget.monthly_usd: must be a number, got 1e3, which YAML 1.1 reads as text (its numbers take a dot "
            "and a signed exponent: 1.0e+3); write 1000 or 1.0e+3",
        ),
        (
            "monthly_usd: 8000",
            "monthly_usd: 1.0e3",
            "budget.monthly_usd: must be a number, got 1.0e3, which YAML 1.1 reads as text (its numbers take a "
            "dot and a signed exponent: 1.0e+3); write 1000 or 1.0e+3",
        ),
        (
            "contact_minutes: 10",
            "contact_minutes: 1:30",
            "ground_segment.contact_minutes: must be a number, got 1:30, which YAML 1.1 reads as the base-60 "
            "number 90; write the number in decimal",
        ),
        (
            "min_elevation_deg: 5",
            "min_elevation_deg: -.5",
            "ground_segment.min_elevation_deg: must be a number, got -.5, which YAML 1.1 reads as text (a signed "
            "number needs a digit before its dot); write -0.5",
        ),
        # quoted, under an explicit tag: a number all the same, read the same way (it passed as 1536)
        (
            "queries_per_month: 3000",
            'queries_per_month: !!int "03000"',
            "usage.queries_per_month: must be a number, got 03000, which YAML 1.1 reads as the octal number 1536 "
            "(a leading zero makes one); write 3000 without the leading zero",
        ),
        (
            "queries_per_month: 3000",
            "queries_per_month: !!int '50:00'",
            "usage.queries_per_month: must be a number, got 50:00, which YAML 1.1 reads as the base-60 number "
            "3000; write the number in decimal",
        ),
        (
            "version: 1",
            "version: 1e0",
            "version: got 1e0, which YAML 1.1 reads as text (its numbers take a dot and a signed exponent: "
            "1.0e+0); write 1 or 1.0e+0; allowed: 1",
        ),
    ],
)
def test_a_number_yaml_11_reads_otherwise_names_the_reading_and_the_fix(tmp_path, old, new, expected):
    (line,) = _lines(_edited(tmp_path, old, new))
    assert line.startswith(expected)
    assert "without quotes" not in line  # there are none to remove


@pytest.mark.parametrize(("written", "value"), [("1.0e+3", 1000.0), ("8_000", 8000), ("0x1F40", 8000)])
def test_numbers_yaml_11_reads_as_written_are_kept(tmp_path, written, value):
    assert load_spec(_edited(tmp_path, "monthly_usd: 8000", f"monthly_usd: {written}")).budget.monthly_usd == value


@pytest.mark.parametrize("written", ["0755", "08123", "1e3", "12:30"])
def test_a_number_like_word_where_text_belongs_is_the_text_written(tmp_path, written):
    """A tag value written `0755` was the number 493 (refused as no text) or, `08123`, text:
    where text belongs every such word is the text it was written as."""
    path = _edited(tmp_path, "cost-center: eo-ground", f"cost-center: {written}")
    assert load_spec(path).mission.tags["cost-center"] == written


def test_a_quoted_number_is_still_told_to_lose_its_quotes(tmp_path):
    (line,) = _lines(_edited(tmp_path, "norad_id: 43013", 'norad_id: "08123"'))
    assert line.startswith(
        "satellites[0].norad_id: must be a number, got the text '08123'; write the number without quotes"
    )


# --- 4. nulls and other values named as the file wrote them, in every field


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  name: noaa20\n  owner", "  name:\n  owner", "mission.name: must be text, got nothing (null)"),
        ("owner: platform-team", "owner: ~", "mission.owner: must be text, got nothing (null)"),
        ("cost-center: eo-ground", "cost-center: null", "mission.tags.cost-center: must be text, got nothing (null)"),
        (
            "  mode: function ",
            "  mode: null ",
            "processing.mode: got nothing (null); allowed: 'function' or 'container_job'",
        ),
        (
            "autotrack: preferred",
            "autotrack: off",
            "ground_segment.autotrack: got the boolean false (YAML reads an unquoted yes, no, on, off, true or "
            "false as one); allowed: 'preferred', 'required' or 'removed'",
        ),
        (
            "version: 1",
            'version: "1"',
            "version: got the text '1'; write the number without quotes (allowed: 1)",
        ),
        ("version: 1", "version:", "version: got nothing (null); allowed: 1"),
        ("  mode: function ", "  mode: [a] ", "processing.mode: got a list; allowed: 'function' or 'container_job'"),
        ("norad_id: 43013", "norad_id:", "satellites[0].norad_id: must be a number, got nothing (null)"),
        ("  enabled: true", "  enabled:", "processing.enabled: must be true or false, got nothing (null)"),
    ],
)
def test_a_value_is_named_as_the_file_wrote_it_never_in_python_words(tmp_path, old, new, expected):
    (line,) = _lines(_edited(tmp_path, old, new))
    assert line.startswith(expected)
    assert "None" not in line and "False" not in line and "input should" not in line


# --- 5. contacts that do not fit in a day


def test_more_contact_minutes_than_a_day_has_is_refused_naming_both_fields():
    (line,) = _data_lines({"ground_segment.contacts_per_day": 100, "ground_segment.contact_minutes": 30})
    assert line == (
        "ground_segment.contacts_per_day: 100 contacts of 30 minutes (contact_minutes) are 3,000 minutes a day, "
        "more than the 1,440 a day has; allowed: contacts_per_day x contact_minutes up to 1,440"
    )


@pytest.mark.parametrize(("per_day", "minutes"), [(4, 360), (100, 14.4), (48, 30)])
def test_contacts_filling_a_day_at_most_are_kept(per_day, minutes):
    changes = {"ground_segment.contacts_per_day": per_day, "ground_segment.contact_minutes": minutes}
    changes["processing.enabled"] = False  # a long contact is not a function's to hold
    assert spec_from_data(with_changes(spec_data(), changes)).ground_segment.contacts_per_day == per_day


def test_one_minute_over_a_day_is_refused():
    lines = _data_lines({"ground_segment.contacts_per_day": 48, "ground_segment.contact_minutes": 30.5})
    assert lines[0].startswith("ground_segment.contacts_per_day: 48 contacts of 30.5 minutes (contact_minutes) are")


# --- 6. processing with no delivered objects to read


def test_processing_without_an_object_store_is_refused():
    (line,) = _data_lines({"delivery.object_store": False, "delivery.stream": True})
    assert line == (
        "processing.enabled: true needs delivery.object_store: true (the processor reads the objects a contact "
        "delivers; a stream leaves none); allowed: processing.enabled: false, or delivery.object_store: true"
    )


def test_a_stream_only_mission_without_processing_is_kept():
    changes = {"delivery.object_store": False, "delivery.stream": True, "processing.enabled": False}
    spec = spec_from_data(with_changes(spec_data(), changes))
    assert not spec.processing.enabled and not spec.delivery.object_store


# --- the command line: one line, exit 2, no traceback


def test_validate_prints_one_line_and_exits_2(tmp_path):
    path = _edited(tmp_path, "norad_id: 43013", "norad_id: 07530")
    done = subprocess.run(
        [sys.executable, "-m", "groundlink", "validate", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    output = (done.stdout + done.stderr).strip().splitlines()
    assert output == [
        f"{path}: satellites[0].norad_id: must be a number, got 07530, which YAML 1.1 reads as the octal number "
        "3928 (a leading zero makes one); write 7530 without the leading zero (line 14, column 5)"
    ]
