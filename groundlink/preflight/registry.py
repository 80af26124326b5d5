"""aws-native resources against their CloudFormation registry schemas.

pulumi-aws-native creates and updates a resource through AWS Cloud Control, which checks the
desired state against the resource type's registry schema before any API call ("Model
validation failed (#/Tags/0/Value: failed validation constraint for keyword [pattern])"). The
schemas carry patterns, lengths, ranges and enums that neither the provider SDK nor botocore's
shapes hold: Ground Station's tag values are 1-256 ASCII characters in the registry, where
its `TagsMap` shape bounds nothing.

The schemas of the types groundlink plans are copied into the package (registry_schemas.json)
from the bundle cfn-lint ships, by scripts/gen_registry_schemas.py; a test keeps a schema for
every aws-native type an example plan creates. The provider's input names are the registry's
property names with another case (`configData` is `ConfigData`, `unvalidatedJson` is
`UnvalidatedJSON`), matched here without case, guided by the schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

from ..engine.plan import Plan
from .findings import Finding

SCHEMAS_FILE = Path(__file__).with_name("registry_schemas.json")
# The provider's type token -> the registry's type name.
REGISTRY_TYPES = {
    "aws-native:groundstation:Config": "AWS::GroundStation::Config",
    "aws-native:groundstation:MissionProfile": "AWS::GroundStation::MissionProfile",
    "aws-native:groundstation:DataflowEndpointGroup": "AWS::GroundStation::DataflowEndpointGroup",
}
_COMBINATIONS = ("oneOf", "anyOf", "allOf")


@cache
def registry() -> dict[str, Any]:
    """The packaged schemas and where they were read: {"source": ..., "schemas": {type: schema}}."""
    loaded: dict[str, Any] = json.loads(SCHEMAS_FILE.read_text())
    return loaded


@cache
def _validator(registry_type: str) -> Draft7Validator:
    return Draft7Validator(registry()["schemas"][registry_type])


def source(registry_type: str) -> str:
    read = registry()["source"]
    return (
        f"CloudFormation registry schema {registry_type} ({read['package']} {read['version']}, "
        f"{read['region']}), which Cloud Control validates"
    )


def _resolve(schema: Any, root: Mapping[str, Any]) -> Any:
    while isinstance(schema, Mapping) and "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _properties(schema: Any, root: Mapping[str, Any]) -> dict[str, Any]:
    """The properties an object of `schema` may hold, through `$ref` and oneOf/anyOf/allOf."""
    schema = _resolve(schema, root)
    if not isinstance(schema, Mapping):
        return {}
    found = dict(schema.get("properties", {}))
    for key in _COMBINATIONS:
        for branch in schema.get(key, []):
            found.update(_properties(branch, root))
    return found


def _items(schema: Any, root: Mapping[str, Any]) -> Any:
    schema = _resolve(schema, root)
    if not isinstance(schema, Mapping):
        return None
    if "items" in schema:
        return schema["items"]
    for key in _COMBINATIONS:
        for branch in schema.get(key, []):
            if (found := _items(branch, root)) is not None:
                return found
    return None


def registry_form(value: Any, schema: Any, root: Mapping[str, Any]) -> Any:
    """`value` with each key spelt as the schema spells it (a key it does not know is kept, and
    then refused by the schema where it takes no other)."""
    if isinstance(value, Mapping):
        known = _properties(schema, root)
        spelling = {name.lower(): name for name in known}
        renamed: dict[str, Any] = {}
        for key, item in value.items():
            name = spelling.get(str(key).lower(), str(key))
            renamed[name] = registry_form(item, known.get(name), root)
        return renamed
    if isinstance(value, list):
        return [registry_form(item, _items(schema, root), root) for item in value]
    return value


def _in_provider_terms(inputs: Any, path: list[Any]) -> tuple[str, Any]:
    """A registry path (`Tags.1.Value`) in the provider's names (`tags[1].value`), with the
    value the plan holds there, as the plan spells it."""
    shown, node = "", inputs
    for part in path:
        if isinstance(part, int):
            shown += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            continue
        key = (
            next((k for k in node if str(k).lower() == str(part).lower()), part) if isinstance(node, Mapping) else part
        )
        shown += f".{key}" if shown else str(key)
        node = node.get(key) if isinstance(node, Mapping) else None
    return shown, node


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _rule(error: Any) -> str:
    """What the schema asks, in words where its JSON would not read as any: a choice of one
    property among several (`oneOf` of `required`) is named by the properties."""
    bound = error.validator_value
    if error.validator in ("oneOf", "anyOf") and all(set(b) == {"required"} for b in bound):
        names = "; ".join(" and ".join(_camel(n) for n in b["required"]) for b in bound)
        return f"the registry schema takes {'exactly' if error.validator == 'oneOf' else 'at least'} one of: {names}"
    if error.validator in ("required", "additionalProperties"):
        return f"the registry schema: {error.message}"
    return f"the registry schema's {error.validator} is {bound if isinstance(bound, str) else json.dumps(bound)}"


def aws_findings(plan: Plan) -> Iterator[Finding]:
    schemas = registry()["schemas"]
    for resource in plan.custom():
        registry_type = REGISTRY_TYPES.get(resource.type)
        if registry_type is None:
            continue
        root = schemas[registry_type]
        state = registry_form(resource.inputs, root, root)
        errors = _validator(registry_type).iter_errors(state)
        for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
            path, value = _in_provider_terms(resource.inputs, list(error.absolute_path))
            yield Finding(resource.name, resource.type, path, value, _rule(error), source(registry_type))
