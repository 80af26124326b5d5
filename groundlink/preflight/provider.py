"""Inputs against the pinned provider's own schema: names, required inputs, types, enums.

This is what the provider's `Check` would refuse at `pulumi preview`/`up`; the
mocks accept anything, so without it a misspelt or mistyped input is found only
with the real CLI.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from ..engine.plan import PlannedResource
from .findings import Finding
from .schema import PACKAGES, Closed, ListOf, MapOf, Obj, OneOf, Scalar, Schema, resource_schema

Problem = tuple[str, Any, str]  # (property path, value, rule)


def check_resource(resource: PlannedResource) -> Iterator[Finding]:
    schema = resource_schema(resource.type)
    if schema is None:
        return
    source = _source(resource.type, schema)
    for path, value, rule in problems(resource.inputs, schema, ""):
        yield Finding(resource.name, resource.type, path, value, rule, source)


def _source(type_token: str, schema: Obj) -> str:
    return f"{_package_version(PACKAGES[type_token.split(':')[0]])} {schema.name}"


@cache
def _package_version(package: str) -> str:
    """`pulumi-aws 7.51.1`: the plugin manifest every provider SDK ships (cheaper than metadata)."""
    manifest = Path(importlib.import_module(package).__file__ or "").with_name("pulumi-plugin.json")
    return f"{package.replace('_', '-')} {json.loads(manifest.read_text())['version']}"


def problems(value: Any, schema: Schema, path: str) -> Iterator[Problem]:
    """What the schema refuses in `value`; None is an output not known at preview, never a problem."""
    if value is None:
        return
    if isinstance(schema, Scalar):
        if not _scalar_ok(value, schema.kind):
            yield path, value, f"expected {schema.kind}, got {_kind(value)}"
    elif isinstance(schema, Closed):
        if value not in schema.values:
            yield path, value, f"not one of {schema.name}: {', '.join(schema.values)}"
    elif isinstance(schema, ListOf):
        if not isinstance(value, list):
            yield path, value, f"expected a list, got {_kind(value)}"
            return
        for index, item in enumerate(value):
            yield from problems(item, schema.item, f"{path}[{index}]")
    elif isinstance(schema, MapOf):
        if not isinstance(value, dict):
            yield path, value, f"expected a map, got {_kind(value)}"
            return
        for key, item in value.items():
            yield from problems(item, schema.value, f"{path}.{key}" if path else key)
    elif isinstance(schema, Obj):
        yield from _object_problems(value, schema, path)
    else:
        yield from _union_problems(value, schema, path)


def _object_problems(value: Any, schema: Obj, path: str) -> Iterator[Problem]:
    if not isinstance(value, dict):
        yield path, value, f"expected an object ({schema.name}), got {_kind(value)}"
        return
    props = schema.props
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        prop = props.get(key)
        if prop is None:
            yield where, item, f"unknown property of {schema.name} (allowed: {', '.join(sorted(props))})"
        else:
            yield from problems(item, prop.schema, where)
    for prop in props.values():
        if prop.required and prop.wire not in value:
            yield (f"{path}.{prop.wire}" if path else prop.wire), None, f"required by {schema.name}, missing"


def _union_problems(value: Any, schema: OneOf, path: str) -> Iterator[Problem]:
    attempts = [list(problems(value, option, path)) for option in schema.options]
    if any(not found for found in attempts):
        return
    objects = [i for i, option in enumerate(schema.options) if isinstance(option, Obj)]
    if isinstance(value, dict) and len(objects) == 1:
        yield from attempts[objects[0]]  # the one shape a map can take: say what is wrong inside
        return
    yield path, value, f"expected one of {', '.join(_describe(o) for o in schema.options)}, got {_kind(value)}"


def _describe(schema: Schema) -> str:
    if isinstance(schema, Scalar):
        return schema.kind
    if isinstance(schema, (Closed, Obj)):
        return schema.name
    return type(schema).__name__


def _scalar_ok(value: Any, kind: str) -> bool:
    if kind == "any":
        return True
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return isinstance(value, (int, float))


def _kind(value: Any) -> str:
    return {dict: "a map", list: "a list", str: "a string", bool: "a bool"}.get(type(value), type(value).__name__)
