"""The JSON Schema editors use is generated from the model and kept current."""

import functools
import json

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.spec import Budget, Storage, json_schema

from .conftest import ROOT, SPECS


def test_committed_schema_is_current():
    committed = json.loads((ROOT / "schema" / "mission.schema.json").read_text())
    assert committed == json_schema(), "run `make schema` and commit schema/mission.schema.json"


@pytest.mark.parametrize("name", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_bundled_specs_validate_against_the_schema(name):
    jsonschema.Draft202012Validator(json_schema()).validate(yaml.safe_load((SPECS / name).read_text()))


def test_schema_rejects_unknown_fields_and_bad_enums():
    validator = jsonschema.Draft202012Validator(json_schema())
    spec = yaml.safe_load((SPECS / "noaa20.yaml").read_text())
    spec["storage"]["retention"] = 1
    spec["ground_segment"]["provider"] = "orbital"
    messages = sorted(e.message for e in validator.iter_errors(spec))
    assert any("'retention' was unexpected" in m for m in messages)
    assert any("'orbital' is not one of ['managed', 'partner']" in m for m in messages)


def test_schema_documents_fields():
    props = json_schema()["$defs"]["Downlink"]["properties"]
    assert "7750-8400" in props["center_frequency_mhz"]["description"]
    assert props["preset"]["anyOf"][0]["enum"] == ["jpss1_hrd", "snpp_hrd", "aqua_db"]


def test_every_field_and_section_of_the_schema_is_documented():
    """Editors show a field's description as its documentation: none may be blank."""
    doc = json_schema()
    sections = {"MissionSpec": doc, **doc["$defs"]}
    undocumented = [name for name, section in doc["$defs"].items() if not section.get("description")]
    undocumented += [
        f"{name}.{field}"
        for name, section in sections.items()
        for field, prop in section.get("properties", {}).items()
        if not prop.get("description") and "$ref" not in prop  # a section: its own description
    ]
    assert undocumented == []


def test_defaults_built_in_code_are_in_the_schema():
    doc = json_schema()["$defs"]
    assert doc["Storage"]["properties"]["tiering"]["default"] == [
        {"after_days": 30, "tier": "cool"},
        {"after_days": 180, "tier": "archive"},
    ]
    assert doc["Budget"]["properties"]["thresholds_percent"]["default"] == [80, 100]
    # and they are the defaults the model applies
    assert Storage().model_dump(mode="json")["tiering"] == doc["Storage"]["properties"]["tiering"]["default"]
    assert Budget.model_fields["thresholds_percent"].get_default(call_default_factory=True) == [80, 100]


def test_the_checkouts_editor_settings_read_specs_as_validate_does():
    """VS Code's YAML extension reads YAML 1.2 by default (yaml-language-server
    settingsHandlers.ts: `yamlVersion ?? '1.2'`), where groundlink reads 1.1: `owner: yes` is
    text to the editor and a boolean to validate."""
    import fnmatch

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings["yaml.yamlVersion"] == "1.1"
    assert yaml.safe_load("owner: yes") == {"owner": True}  # what 1.1 makes of it, as validate reads
    ((schema, globs),) = settings["yaml.schemas"].items()
    assert (ROOT / schema).resolve() == (ROOT / "schema" / "mission.schema.json").resolve()
    specs = {f"/specs/{p.name}" for p in SPECS.glob("*.yaml")}
    assert specs and all(any(fnmatch.fnmatch(s, g) for g in globs) for s in specs)


def _models(model=None, seen=None):
    """Every model of the spec tree, by the name its `$defs` entry has."""
    from typing import get_args

    from pydantic import BaseModel

    from groundlink.spec import MissionSpec

    model, seen = model or MissionSpec, {} if seen is None else seen
    seen[model.__name__] = model
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            kind = stack.pop()
            if isinstance(kind, type) and issubclass(kind, BaseModel) and kind.__name__ not in seen:
                _models(kind, seen)
            stack.extend(get_args(kind))
    return seen


def test_every_default_the_model_applies_is_the_schemas_default():
    """A default made by a factory (an empty list of tags or SQL clients, the tier schedule)
    was missing from the schema, so an editor showed none; a whole section's is left to its
    fields, each of which carries its own."""
    from pydantic import BaseModel
    from pydantic_core import to_jsonable_python

    schema = json_schema()
    defs = {**schema["$defs"], "MissionSpec": schema}  # the root model is the document itself
    models = _models()
    assert {"Mission", "Storage", "Capture", "Budget", "Tier"} <= set(models)
    checked = 0
    for name, model in models.items():
        for field, info in model.model_fields.items():
            if info.is_required():
                continue
            value = info.get_default(call_default_factory=True)
            written = defs[name]["properties"][field]
            if isinstance(value, BaseModel):
                assert "default" not in written, f"{name}.{field}"
                continue
            assert written.get("default", "missing") == to_jsonable_python(value), f"{name}.{field}"
            checked += 1
    assert checked > 70  # every optional field of every section (77 on 2026-12-06)


# The JSON Schema 2020-12 keywords (core, applicator, validation, meta-data, format, content,
# unevaluated vocabularies): an editor or a validator ignores any other key, so a bound written
# under another name (pydantic's `ge`) is no bound at all.
JSON_SCHEMA_KEYWORDS = {
    *("$schema", "$id", "$ref", "$defs", "$anchor", "$dynamicRef", "$dynamicAnchor", "$comment", "$vocabulary"),
    *("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "prefixItems", "items"),
    *("contains", "properties", "patternProperties", "additionalProperties", "propertyNames"),
    *("type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"),
    *("maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains"),
    *("maxProperties", "minProperties", "required", "dependentRequired"),
    *("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format"),
    *("contentEncoding", "contentMediaType", "contentSchema", "unevaluatedItems", "unevaluatedProperties"),
}


SUBSCHEMA_KEYWORDS = {
    *("items", "additionalProperties", "propertyNames", "not", "contains", "if", "then", "else"),
    *("anyOf", "allOf", "oneOf", "prefixItems"),
}


def _schema_keys(node, at="#"):
    """Every key of every schema object under `node`, with where it is (values such as defaults
    and enums are data, not schemas, and are not walked)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _schema_keys(item, f"{at}/{i}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        yield key, f"{at}/{key}"
        if key in ("properties", "$defs", "patternProperties", "dependentSchemas"):
            for name, schema in value.items():
                yield from _schema_keys(schema, f"{at}/{key}/{name}")
        elif key in SUBSCHEMA_KEYWORDS:  # a schema, or a list of them
            yield from _schema_keys(value, f"{at}/{key}")


def test_the_schema_says_every_bound_in_json_schema_keywords():
    unknown = [where for key, where in _schema_keys(json_schema()) if key not in JSON_SCHEMA_KEYWORDS]
    assert unknown == []


def test_an_editor_refuses_budget_thresholds_the_validator_refuses():
    """Each threshold 1-1000 and none twice, in the schema as in validate."""
    validator = jsonschema.Draft202012Validator(json_schema())
    for thresholds in ([0, 80], [80, 1001], [80, 80]):
        data = yaml.safe_load((SPECS / "noaa20.yaml").read_text())
        data["budget"]["thresholds_percent"] = thresholds
        assert not validator.is_valid(data), thresholds
        with pytest.raises(ValueError):
            Budget.model_validate(data["budget"])


# Only the keys the README lists as required, for NOAA-20's HRD downlink.
MINIMAL = {
    "mission": {"name": "mini", "owner": "ops"},
    "satellites": [
        {
            "name": "noaa20",
            "norad_id": 43013,
            "downlinks": [{"name": "hrd", "center_frequency_mhz": 7812, "bandwidth_mhz": 30, "data_rate_mbps": 15}],
        }
    ],
    "budget": {"monthly_usd": 100, "alert_emails": ["ops@example.com"]},
}


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, False),  # provider: managed and delivery: demod_decode by default: AWS Ground Station's configs needed
        ({"preset": "jpss1_hrd"}, True),
        ({"delivery": "digif", "bandwidth_mhz": 5}, True),
        ({"demodulation_json": "{}"}, False),  # both JSON configs, or a preset
    ],
)
def test_an_editor_and_validate_agree_on_the_minimal_spec(change, valid):
    """A spec of only the per-field required keys was valid to an editor and refused by
    validate (a demod_decode downlink on provider: managed needs a preset or both JSON configs)."""
    data = json.loads(json.dumps(MINIMAL))
    data["satellites"][0]["downlinks"][0].update(change)
    assert _verdicts(data) == (valid, valid)


def _verdicts(data) -> tuple[bool, bool]:
    """(the schema accepts `data`, validate accepts it)."""
    from groundlink.spec import SpecError, spec_from_data

    editor = jsonschema.Draft202012Validator(json_schema()).is_valid(data)
    try:
        spec_from_data(data, "s.yaml")
    except SpecError:
        return editor, False
    return editor, True


def _set(data, dotted: str, value) -> None:
    *parents, key = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[key] = value


JOB = {"container_image": "ghcr.io/example/groundlink:1", "container_vcpu": 1, "container_memory_gb": 2}
GEO = {"storage.redundancy": "geo", "storage.geo_read_access": False}
ORBITAL_GRANT = {
    "clouds.azure.legacy_orbital": True,
    "clouds.azure.location": "westus2",
    "clouds.azure.orbital.resource_provider_object_id": "00000000-0000-4000-8000-000000000001",
}


@pytest.mark.parametrize(
    ("edits", "valid"),
    [
        ({"ground_segment.provider": "partner"}, False),  # no partner named
        ({"ground_segment.provider": "partner", "ground_segment.partner": {"name": "ksat_lite"}}, True),
        # the external id is presented when the partner's account assumes the landing role
        (
            {
                "ground_segment.provider": "partner",
                "ground_segment.partner": {"name": "ksat_lite", "aws_external_id": "ab"},
            },
            False,
        ),
        (
            {
                "ground_segment.provider": "partner",
                "ground_segment.partner": {
                    "name": "ksat_lite",
                    "aws_account_id": "111122223333",
                    "aws_external_id": "ab",
                },
            },
            True,
        ),
        ({"delivery.object_store": False, "processing.enabled": False}, False),  # neither objects nor a stream
        ({"delivery.object_store": False, "delivery.stream": True, "processing.enabled": False}, True),
        ({"delivery.object_store": False, "delivery.stream": True}, False),  # the processor reads objects
        ({"processing.mode": "container_job", "processing.timeout_seconds": 3600}, False),  # no image
        (
            {
                "processing.mode": "container_job",
                "processing.timeout_seconds": 3600,
                **{f"processing.{k}": v for k, v in JOB.items()},
            },
            True,
        ),
        # a disabled processor needs no image: what only a deployed one needs is required only then
        ({"processing.mode": "container_job", "processing.timeout_seconds": 3600, "processing.enabled": False}, True),
        ({"analytics.catalog": False}, False),  # serverless_sql by default
        ({"analytics.catalog": False, "analytics.serverless_sql": False}, True),
        ({"security.premium_messaging": True, "security.customer_managed_keys": False}, False),
        ({"security.premium_messaging": True}, True),
        (GEO, False),  # no replica region
        ({**GEO, "clouds.aws.replica_region": "us-east-1"}, True),
        ({"clouds.aws.replica_region": "us-east-1"}, False),  # only with geo
        # flow logs keep a VPC's traffic: noaa20's public AWS stack has none, its jobs' network would
        ({"security.flow_log_retention_days": 30}, False),
        ({"security.flow_log_retention_days": 365}, True),  # the default written out
        ({"security.flow_log_retention_days": 30, "security.network": "private"}, True),
        (
            {
                "security.flow_log_retention_days": 30,
                **{f"processing.{k}": v for k, v in JOB.items()},
                "processing.mode": "container_job",
                "processing.timeout_seconds": 3600,
            },
            True,
        ),
        ({"clouds.azure.legacy_orbital": True, "clouds.azure.location": "westus2"}, None),  # noaa20 has its TLE
        # fields that only apply somewhere, and a region the managed ground segment needs: the
        # schema let them through while validate refused them
        ({"ground_segment.partner": {"name": "ksat_lite"}}, False),  # with provider: managed
        # Dubbo 1 is an AWS Ground Station site: its share of the minutes is 0 with a partner
        *[
            (
                {
                    "ground_segment.provider": "partner",
                    "ground_segment.partner": {"name": "ksat_lite"},
                    "ground_segment.dubbo_minutes_share": share,
                },
                valid,
            )
            for share, valid in ((0.5, False), (0, True), (0.0, True))
        ],
        ({"ground_segment.dubbo_minutes_share": 1}, True),
        ({"clouds.aws.region": "ca-central-1"}, False),  # no AWS Ground Station endpoint
        (
            {
                "clouds.aws.region": "ca-central-1",
                "ground_segment.provider": "partner",
                "ground_segment.partner": {"name": "ksat_lite"},
            },
            True,
        ),
        ({"storage.geo_read_access": True}, False),  # only with geo
        ({**GEO, "storage.geo_read_access": True, "clouds.aws.replica_region": "us-east-1"}, True),
        ({"processing.container_image": JOB["container_image"]}, False),  # a function takes no image
        # a network's address space only where the cloud has that network (noaa20: public, processing on)
        ({"clouds.aws.network_cidr": "10.80.0.0/16"}, False),  # no VPC on AWS
        ({"clouds.aws.network_cidr": "10.64.0.0/16"}, True),  # its default, written out
        ({"clouds.aws.network_cidr": "10.80.0.0/16", "security.network": "private"}, True),
        ({"clouds.azure.network_cidr": "10.90.0.0/24"}, True),  # the processor's own network
        ({"clouds.azure.network_cidr": "10.90.0.0/24", "processing.enabled": False}, False),
        # its own bounds, which an editor flags too: /16 to /24, a private range
        ({"clouds.azure.network_cidr": "10.90.0.0/25"}, False),
        ({"clouds.azure.network_cidr": "8.8.8.0/24"}, False),
        ({"clouds.azure.network_cidr": "172.31.0.0/16"}, True),
        (
            {
                "clouds.aws.network_cidr": "10.80.0.0/16",
                **{f"processing.{k}": v for k, v in JOB.items()},
                "processing.mode": "container_job",
                "processing.timeout_seconds": 3600,
            },
            True,
        ),  # the jobs' VPC
        ({"clouds.azure.orbital": {"port": 60000}}, False),  # an endpoint without the opt-in
        ({"clouds.azure.orbital": {"port": 50000, "protocol": "tcp"}}, True),  # its defaults, written out
        ({"clouds.azure.orbital": {"resource_provider_object_id": None}}, True),
        # a container job needs a region with EventBridge Pipes; a disabled one needs nothing
        *[
            (
                {
                    "processing.mode": "container_job",
                    "processing.timeout_seconds": 3600,
                    **{f"processing.{k}": v for k, v in JOB.items()},
                    "clouds.aws.region": region,
                    "ground_segment.provider": "partner",
                    "ground_segment.partner": {"name": "ksat_lite"},
                    **extra,
                },
                valid,
            )
            for region, extra, valid in (
                ("ca-west-1", {}, False),
                ("ca-central-1", {}, True),
                ("ca-west-1", {"processing.enabled": False}, True),
            )
        ],
        # a container's size only applies to a container job (its default, written out, is no change)
        ({"processing.container_vcpu": 1, "processing.container_memory_gb": 2}, False),
        ({"processing.container_vcpu": 2.0}, True),
        # geo redundancy needs a GZRS location; legacy Orbital a location that hosted it
        ({**GEO, "clouds.aws.replica_region": "us-east-1", "clouds.azure.location": "israelcentral"}, False),
        ({**GEO, "clouds.aws.replica_region": "us-east-1", "clouds.azure.location": "eastus"}, True),
        ({"clouds.azure.legacy_orbital": True, "clouds.azure.location": "eastus"}, False),
        # the Orbital resource provider's grant is on the telemetry hub
        ({**ORBITAL_GRANT, "analytics.telemetry_stream": False}, False),
        (ORBITAL_GRANT, True),
        # AWS Ground Station no longer supports Aqua: refused with a managed ground segment only
        (
            {
                "satellites": [
                    {
                        "name": "aqua",
                        "norad_id": 27424,
                        "downlinks": [
                            {
                                "name": "x",
                                "center_frequency_mhz": 8160,
                                "bandwidth_mhz": 15,
                                "data_rate_mbps": 15,
                                "preset": "aqua_db",
                            }
                        ],
                    }
                ]
            },
            False,
        ),
    ],
)
def test_an_editor_and_validate_agree_on_each_requirement_across_fields(edits, valid):
    """Each requirement that spans fields is one the schema states too: an editor flags what
    validate refuses, and accepts what it accepts (the edits break or meet one requirement)."""
    data = yaml.safe_load((SPECS / "noaa20.yaml").read_text())
    for dotted, value in edits.items():
        _set(data, dotted, value)
    editor, validated = _verdicts(data)
    assert editor == validated, (edits, editor, validated)
    if valid is not None:
        assert validated is valid


def test_an_editor_flags_legacy_orbital_without_every_tle():
    data = yaml.safe_load((SPECS / "aqua-legacy.yaml").read_text())
    assert _verdicts(data) == (True, True)
    data["satellites"][0]["tle"] = None  # the key present, no lines: the schema's `required` alone took it
    assert _verdicts(data) == (False, False)
    data["satellites"][0].pop("tle")
    assert _verdicts(data) == (False, False)


@pytest.mark.parametrize(
    ("subnet", "valid"), [("10.40.1.0/28", False), ("10.40.1.0/25", False), ("10.40.1.0/24", True)]
)
def test_an_editor_and_validate_agree_on_legacy_orbitals_subnet_size(subnet, valid):
    """The pattern took any prefix; validate refuses one narrower than the delegated subnet's /24."""
    from groundlink import limits

    assert limits.AOGS_MIN_SUBNET_PREFIX == 24  # the pattern's widest prefix, written out
    data = yaml.safe_load((SPECS / "aqua-legacy.yaml").read_text())
    data["clouds"]["azure"].setdefault("orbital", {})["gateway_subnet_cidr"] = subnet
    assert _verdicts(data) == (valid, valid)


@pytest.mark.parametrize(("polarization", "valid"), [("none", False), ("left_hand", True), (None, True)])
def test_an_editor_and_validate_agree_on_a_polarization_legacy_orbital_takes(polarization, valid):
    data = yaml.safe_load((SPECS / "aqua-legacy.yaml").read_text())
    link = data["satellites"][0]["downlinks"][0]
    link.pop("polarization", None)
    if polarization is not None:
        link["polarization"] = polarization
    assert _verdicts(data) == (valid, valid)
    data["clouds"]["azure"]["legacy_orbital"] = False  # without the opt-in, none is taken
    data["clouds"]["azure"].pop("orbital", None)
    assert _verdicts(data) == (True, True)


@pytest.mark.parametrize(
    ("configs", "valid"),
    [
        ({"demodulation_json": None, "decode_json": None}, False),  # present as null: no configs
        ({"demodulation_json": '{"a": 1}', "decode_json": None}, False),
        # both given: the rule is met (what the configs hold is validate's alone to judge)
        ({"demodulation_json": '{"a": 1}', "decode_json": '{"b_EGRESS": 1}'}, None),
    ],
)
def test_an_editor_and_validate_agree_on_explicit_configs_given_as_null(configs, valid):
    data = yaml.safe_load((SPECS / "noaa20.yaml").read_text())
    link = data["satellites"][0]["downlinks"][0]
    link.pop("preset")
    link.update(configs)
    editor, validated = _verdicts(data)
    if valid is None:
        assert editor is True
    else:
        assert (editor, validated) == (valid, valid)


@pytest.mark.parametrize(
    ("changes", "valid"),
    [
        ({"delivery": "digif", "bandwidth_mhz": 5}, False),  # noaa20's downlink keeps its preset
        ({"delivery": "digif", "bandwidth_mhz": 5, "preset": None}, True),
        ({"delivery": "digif", "bandwidth_mhz": 5, "preset": None, "digif_mbps": 100}, True),
        ({"digif_mbps": 100}, False),  # a demod_decode downlink
        # given as null, a field that only applies elsewhere is left out, to validate and editor alike
        ({"digif_mbps": "null"}, True),
        ({"delivery": "digif", "bandwidth_mhz": 5, "preset": "null", "decode_json": "null"}, True),
    ],
)
def test_an_editor_and_validate_agree_on_what_only_a_downlinks_delivery_takes(changes, valid):
    data = yaml.safe_load((SPECS / "noaa20.yaml").read_text())
    link = data["satellites"][0]["downlinks"][0]
    for key, value in changes.items():
        if value is None:
            link.pop(key)
        else:
            link[key] = None if value == "null" else value
    assert _verdicts(data) == (valid, valid), changes


def test_a_cross_field_rule_is_an_any_of_with_its_description():
    """Each requirement across fields is one `anyOf` of its alternatives under its description;
    called here, not only when the model's module is imported, so that a change to the rule's
    shape is tested where it is made (a misspelt `anyOf` is a keyword no validator reads)."""
    from groundlink.spec import CROSS_FIELD_RULES, _rule

    either = ({"required": ["a"]}, {"required": ["b"]})
    assert _rule("a or b", *either) == {"description": "a or b", "anyOf": list(either)}
    assert all(set(rule) == {"description", "anyOf"} for rule in CROSS_FIELD_RULES)
    assert json_schema()["allOf"] == CROSS_FIELD_RULES


@functools.cache
def _mission_section_validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    return jsonschema.Draft202012Validator({"$defs": schema["$defs"], **schema["$defs"]["Mission"]})


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\A[a-z][a-z0-9-]{0,30}[a-z0-9]\Z"),
        # names near what is reserved: a reserved word with letters and dashes around it
        st.tuples(
            st.sampled_from(["", "a", "ab-", "x-", "my"]),
            st.sampled_from(["xn--", "xn-", "sthree", "sthree-", "amzn-s3-demo", "sg", "sg-", "primary", "login",
                             "lo-gin", "microsoft", "micro-soft", "windows", "win-dows", "s3", "sgx", "primaryx"]),
            st.sampled_from(["", "a", "-b", "1", "-primary", "-synapse-managed", "-synapse-managedx", "synapse-managed"]),
        ).map("".join),
    )
)  # fmt: skip
def test_an_editor_and_validate_agree_on_every_mission_name(name):
    """The schema took `primary`, `sthree`, `sg-...` and names holding `microsoft` or `windows`,
    which validate refuses for the names the clouds reserve."""
    from groundlink.spec import Mission

    editor = _mission_section_validator().is_valid({"name": name, "owner": "ops"})
    try:
        Mission(name=name, owner="ops")
        accepted = True
    except ValueError:
        accepted = False
    assert editor == accepted, name


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("é" + "{}", False),  # outside the JsonString alphabet
        ("{\u00a0}", False),  # a no-break space: \\s to Python and an editor, not to the API's (Java) regex
        ("{" + " " * 8190 + "}", True),  # 8192 characters
        ("{" + " " * 8191 + "}", False),  # 8193
    ],
)
def test_an_editor_and_validate_agree_on_an_explicit_json_configs_alphabet_and_length(text, valid):
    data = json.loads(json.dumps(MINIMAL))
    data["satellites"][0]["downlinks"][0].update(demodulation_json=text, decode_json=text)
    editor, validator = _verdicts(data)
    assert editor is valid
    if not valid:
        assert validator is False


@pytest.mark.parametrize(
    ("address", "valid"), [("8.8.8.0/30", True), ("8.8.8.8", True), ("8.8.8.0/31", False), ("8.8.8.8/32", False)]
)
def test_an_editor_and_validate_agree_on_a_partner_source_address(address, valid):
    """Azure storage IP rules take ranges /30 or wider, an address bare: the schema's pattern took /31 and /32."""
    data = yaml.safe_load((SPECS / "partner.yaml").read_text())
    data["ground_segment"]["partner"]["source_addresses"] = [address]
    assert _verdicts(data) == (valid, valid)


def test_under_oo_a_class_s_docstring_comes_from_its_source_and_one_without_source_is_left(monkeypatch) -> None:
    """`python -OO` strips docstrings, and the schema's descriptions come from them: each is read
    from the class's source again. A class with no source at hand (made at run time, a build
    without .py files) keeps none, and the schema is still given."""
    import sys
    import types

    from groundlink import spec

    monkeypatch.setattr(sys, "flags", types.SimpleNamespace(optimize=2))
    written = spec.Tier.__doc__
    monkeypatch.setattr(spec.Tier, "__doc__", None)
    sourceless = type("Sourceless", (), {"__module__": spec.__name__})
    monkeypatch.setattr(spec, "Sourceless", sourceless, raising=False)
    spec._docstrings_from_source()
    assert spec.Tier.__doc__ == written and written
    assert sourceless.__doc__ is None
