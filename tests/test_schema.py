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
