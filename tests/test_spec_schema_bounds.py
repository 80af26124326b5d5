"""The bounds the JSON schema (`groundlink schema`) declares on lists, maps and list items,
tested just inside and just outside: the count bounds (minItems, maxItems, maxProperties) and
the numeric bounds of scalar list items, which tests/test_spec_bounds.py (pydantic metadata of
scalar fields) does not reach.

The cases are generated from the schema, so a bound added there is tested without a line
here (a list needs a way to make n valid, distinct items: ITEMS, and a bound with none fails
`test_every_schema_bound_has_a_case`). Each case edits one field of an example spec; a value
outside must be refused in one line naming the field's path, a value inside must not be.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from groundlink.spec import json_schema

from .conftest import spec_data
from .test_spec_bounds import _base, _errors, _text

COUNTS = {"minItems": 0, "maxItems": 1, "minProperties": 0, "maxProperties": 1}  # 0: lower, 1: upper
NUMBERS = {"minimum": (0, 0), "maximum": (1, 0), "exclusiveMinimum": (0, 1), "exclusiveMaximum": (1, 1)}


def _item_name(first: dict, i: int) -> dict:
    return {**first, "name": f"{first['name'][:26]}-{i}"}


# path of a list or map -> (its first item in the base spec, i) -> item i, all valid and distinct
ITEMS: dict[str, Callable[[Any, int], Any]] = {
    "satellites": lambda first, i: {**_item_name(first, i), "norad_id": 10000 + i, "tle": None},
    "satellites[0].downlinks": _item_name,
    "ground_segment.partner.source_addresses": lambda _first, i: f"10.{i // 256}.{i % 256}.0/24",
    "analytics.sql_clients": lambda _first, i: f"198.51.{100 + i // 256}.{i % 256}",
    "storage.tiering": lambda _first, i: {"after_days": 30 * (i + 1), "tier": ("cool", "cold", "archive")[i % 3]},
    "budget.alert_emails": lambda _first, i: f"ops{i}@example.org",
    "budget.thresholds_percent": lambda _first, i: 10 + i,
    "mission.tags": lambda _first, i: (f"team-{i}", "ground"),
    # two lines, noaa20's own; a third is its second again (refused by count, whatever its text)
    "satellites[0].tle": lambda _first, i: spec_data("noaa20.yaml")["satellites"][0]["tle"][min(i, 1)],
}
# Parents no example spec writes (their lists are empty by default): made here with one valid item.
MADE_PARENTS: dict[str, Callable[[dict], None]] = {
    "processing.capture": lambda data: data["processing"].update(capture={"spacecraft_ids": [0], "udp_ports": [1]}),
}


def _base_or_made(path: tuple[Any, ...]) -> tuple[str, dict] | None:
    found = _base(path)
    if found is not None:
        return found
    text = _text(path)
    for parent, make in MADE_PARENTS.items():
        if text.startswith(parent + "."):
            data = spec_data("noaa20.yaml")
            make(data)
            return "noaa20.yaml", data
    return None


def _resolve(node: dict, defs: dict) -> dict:
    while "$ref" in node:
        node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _bounds(node: dict, defs: dict, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, float]]:
    """(path, keyword, bound) of every count bound, and of every numeric bound of a scalar list item."""
    node = _resolve(node, defs)
    for keyword in COUNTS:
        if keyword in node and (node[keyword] > 0 or keyword.startswith("max")):
            yield path, keyword, node[keyword]
    items = node.get("items")
    if isinstance(items, dict):
        items = _resolve(items, defs)
        if items.get("type") in ("integer", "number"):
            for keyword in NUMBERS:
                if keyword in items:
                    yield (*path, 0), keyword, items[keyword]
        yield from _bounds(items, defs, (*path, 0))
    for name, sub in node.get("properties", {}).items():
        yield from _bounds(sub, defs, (*path, name))
    for sub in node.get("anyOf", []):
        yield from _bounds(sub, defs, path)


SCHEMA = json_schema()
BOUNDS = list(_bounds(SCHEMA, SCHEMA.get("$defs", {})))


def _cases() -> Iterator[Any]:
    for path, keyword, bound in BOUNDS:
        if keyword in COUNTS:
            upper = COUNTS[keyword]
            inside, outside = (bound, bound + 1) if upper else (bound, bound - 1)
            for count, accepted in ((inside, True), (outside, False)):
                yield pytest.param(path, ("count", int(count)), accepted, id=f"{_text(path)} {count} items")
        else:
            upper, exclusive = NUMBERS[keyword]
            step = 1 if upper else -1
            inside = bound - step if exclusive else bound
            outside = bound if exclusive else bound + step
            for value, accepted in ((inside, True), (outside, False)):
                yield pytest.param(path, ("value", value), accepted, id=f"{_text(path)} {value}")


CASES = list(_cases())


def test_every_schema_bound_has_a_case():
    paths = {_text(path) for path, keyword, _ in BOUNDS if keyword in COUNTS}
    assert {"satellites", "budget.thresholds_percent", "mission.tags"} <= paths
    assert paths <= set(ITEMS), f"no way to make items for {sorted(paths - set(ITEMS))}"
    assert any(keyword in NUMBERS for _, keyword, _ in BOUNDS)


@pytest.mark.parametrize("path, change, accepted", CASES)
def test_schema_bound(path, change, accepted):
    found = _base_or_made(path)
    assert found is not None, f"no example spec has the parent of {_text(path)}"
    _, data = found
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    kind, amount = change
    if kind == "value":
        node[path[-1]] = amount
    else:
        current = node.get(path[-1]) or []
        make = ITEMS[_text(path)]
        if isinstance(current, dict):
            first = next(iter(current.items()), None)
            node[path[-1]] = dict(make(first, i) for i in range(amount))
        else:
            first = copy.deepcopy(current[0]) if current else None
            node[path[-1]] = [make(first, i) for i in range(amount)]
    at_field = [e for e in _errors(data) if e.startswith(f"s.yaml: {_text(path)}: ")]
    if accepted:
        assert at_field == []
    else:
        assert len(at_field) == 1, at_field


# Fields whose bounds a model validator enforces (not pydantic metadata): the schema states them
# through json_schema_extra. Each path's bounds are read from the schema; a value just past one
# must be refused naming the field.
VALIDATOR_BOUNDED = (
    ("ground_segment", "min_contact_seconds"),
    ("ground_segment", "pre_pass_seconds"),
    ("ground_segment", "post_pass_seconds"),
    ("processing", "memory_mb"),
    ("processing", "timeout_seconds"),
    ("processing", "max_concurrency"),
    ("satellites", 0, "downlinks", 0, "bandwidth_mhz"),
)
CASES = [(path, side) for path in VALIDATOR_BOUNDED for side in ("minimum", "maximum")] + [
    (("analytics", "query_bytes_scanned_cutoff_gb"), "minimum"),  # its maximum is metadata (test_spec_bounds)
]


def _schema_of(path: tuple[Any, ...]) -> dict:
    schema = json_schema()
    node = schema
    for key in path:
        node = node["items"] if isinstance(key, int) else node["properties"][key]
        while "$ref" in node or ("anyOf" in node and "properties" not in node and key != path[-1]):
            ref = node.get("$ref") or next(o["$ref"] for o in node["anyOf"] if "$ref" in o)
            node = schema["$defs"][ref.rsplit("/", 1)[1]]
    return node


@pytest.mark.parametrize(("path", "side"), CASES, ids=[f"{_text(p)}-{s}" for p, s in CASES])
def test_a_validator_bound_is_in_the_schema_and_just_past_it_is_refused(path, side) -> None:
    bound = _schema_of(path)[side]
    step = 1 if isinstance(bound, int) else max(abs(bound) * 1e-3, 1e-4)
    outside = bound - step if side == "minimum" else bound + step
    found = _base(path)
    assert found is not None
    _name, data = found
    node: Any = data
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[path[-1]] = outside
    errors = _errors(data)
    assert errors and any(_text(path) in line for line in errors), errors
