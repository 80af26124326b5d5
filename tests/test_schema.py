"""The JSON Schema editors use is generated from the model and kept current."""

import json

import jsonschema
import pytest
import yaml

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
