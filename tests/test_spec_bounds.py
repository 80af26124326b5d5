"""Every bound the spec model declares, tested just inside and just outside.

The cases are generated from the pydantic field metadata (ge/gt/le/lt on numbers,
min/max length on strings), so a bound added to the model is tested without a new
line here, and a bound dropped or moved fails. Each case edits one field of an
example spec that has it; the error must name that field's path.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Iterator
from typing import Any

import annotated_types as at
import pytest
from pydantic import BaseModel

from groundlink.spec import MissionSpec, SpecError, spec_from_data

from .conftest import spec_data

BASES = ("noaa20.yaml", "partner.yaml", "aqua-legacy.yaml")


def _models(annotation: Any) -> list[type[BaseModel]]:
    """Sub-models an annotation holds (`Storage`, `list[Tier]`, `Partner | None`)."""
    found: list[type[BaseModel]] = []
    for arg in (annotation, *typing.get_args(annotation)):
        for candidate in (arg, *typing.get_args(arg)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel) and candidate not in found:
                found.append(candidate)
    return found


def _scalar(annotation: Any) -> type | None:
    """int, float or str for a plain or optional scalar; None for anything else (lists, dicts)."""
    if annotation in (int, float, str):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        scalars = [a for a in typing.get_args(annotation) if a in (int, float, str)]
        return scalars[0] if scalars else None
    return None


def _fields(model: type[BaseModel], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], type, list]]:
    for name, info in model.model_fields.items():
        key = info.alias or name
        kind = _scalar(info.annotation)
        if kind is not None and info.metadata:
            yield (*path, key), kind, info.metadata
        for sub in _models(info.annotation):
            is_list = typing.get_origin(info.annotation) is list
            yield from _fields(sub, (*path, key, 0) if is_list else (*path, key))


def _values(kind: type, metadata: list) -> Iterator[tuple[str, Any, bool]]:
    """(label, value, accepted) just inside and just outside each bound."""
    for bound in metadata:
        if kind is str:
            if isinstance(bound, at.MinLen) and bound.min_length > 0:
                yield f"len {bound.min_length}", "a" * bound.min_length, True
                yield f"len {bound.min_length - 1}", "a" * (bound.min_length - 1), False
            if isinstance(bound, at.MaxLen):
                yield f"len {bound.max_length}", "a" * bound.max_length, True
                yield f"len {bound.max_length + 1}", "a" * (bound.max_length + 1), False
            continue
        step = (lambda v, d: v + d) if kind is int else (lambda v, d: math.nextafter(v, math.inf * d))
        if isinstance(bound, at.Ge):
            yield f">= {bound.ge}", bound.ge, True
            yield f"< {bound.ge}", step(bound.ge, -1), False
        if isinstance(bound, at.Gt):
            yield f"> {bound.gt}", step(bound.gt, 1), True
            yield f"= {bound.gt}", bound.gt, False
        if isinstance(bound, at.Le):
            yield f"<= {bound.le}", bound.le, True
            yield f"> {bound.le}", step(bound.le, 1), False
        if isinstance(bound, at.Lt):
            yield f"< {bound.lt}", step(bound.lt, -1), True
            yield f">= {bound.lt}", bound.lt, False


def _text(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _base(path: tuple[Any, ...]) -> tuple[str, dict] | None:
    """The first example spec that has the field's parent, as a dict."""
    for name in BASES:
        data = spec_data(name)
        node: Any = data
        try:
            for key in path[:-1]:
                node = node[key]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(node, dict | list):
            return name, data
    return None


CASES = [
    pytest.param(path, value, accepted, id=f"{_text(path)} {label}")
    for path, kind, metadata in _fields(MissionSpec)
    for label, value, accepted in _values(kind, metadata)
]
# Just inside the model's bound, but refused by a rule that is stricter for the example
# spec (each tested with its own bound in test_spec_validation.py): the refusal must be
# that rule's, not the model's.
STRICTER = {
    "satellites[0].downlinks[0].bandwidth_mhz": "is outside 0.125-650 (AWS Ground Station demod/decode)",
    "ground_segment.contact_minutes": "min is shorter than min_contact_seconds 180",
    "storage.tiering[0].after_days": "1 is under 30 (S3 minimum before Standard-IA)",
    "analytics.query_bytes_scanned_cutoff_gb": "is under 0.01048576 (10 MiB, the least pulumi-aws takes for Athena's per-query limit)",
    "satellites[0].downlinks[0].data_rate_mbps": "is above the 15 Mbps jpss1_hrd carries",
}


def _on_the_stricter_side(path: str, value: float) -> bool:
    """The data rate's stricter rule is an upper one (what the preset carries); the others are lower."""
    return value > 15 if path.endswith("data_rate_mbps") else value <= 1


def _errors(data: dict) -> list[str]:
    try:
        spec_from_data(data, "s.yaml")
    except SpecError as error:
        return list(error.lines)
    return []


def test_the_bounds_are_found():
    paths = {case.values[0] for case in CASES}
    assert len(paths) >= 20
    assert ("storage", "noncurrent_version_days") in paths and ("budget", "monthly_usd") in paths


@pytest.mark.parametrize("path, value, accepted", CASES)
def test_bound(path, value, accepted):
    found = _base(path)
    assert found is not None, f"no example spec has {_text(path)[:-1]}"
    _, data = found
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if path[-1] == "digif_mbps":  # a DigIF downlink's field: the example's downlink becomes one
        for key in ("preset", "demodulation_json", "decode_json"):
            node.pop(key, None)
        node.update(delivery="digif", bandwidth_mhz=1)
    if path[-1] == "container_image":  # a container job's field: the example's processing becomes one
        node.update(mode="container_job", container_vcpu=1, container_memory_gb=2)
    if path[-1] == "flow_log_retention_days":  # the flow logs of a VPC: the example's network becomes one
        node.update(network="private")
    if path[-1] == "after_days":  # a step before the longest retention: the example's stores keep data that long
        data["storage"].update(raw_retention_days=36500, products_retention_days=36500)
    node[path[-1]] = value
    at_field = [e for e in _errors(data) if e.startswith(f"s.yaml: {_text(path)}: ")]
    if accepted and _text(path) in STRICTER and _on_the_stricter_side(_text(path), value):
        assert len(at_field) == 1 and STRICTER[_text(path)] in at_field[0], at_field
    elif accepted:
        assert at_field == []
    else:
        assert len(at_field) == 1, at_field


def test_a_tier_step_must_come_before_products_retention():
    """The raw store keeps data longer here, so only the products rule can refuse."""
    data = spec_data("noaa20.yaml")
    data["storage"].update(raw_retention_days=3650, products_retention_days=180)
    assert _errors(data) == [
        "s.yaml: storage.tiering[2].after_days: 180 is not before products_retention_days 180 "
        "(the tier would never apply); allowed: a longer products_retention_days, or no archive step"
    ]  # archive at 179 would be under the 90 days S3 keeps objects in cold (from day 90) before it
    data["storage"]["products_retention_days"] = 181
    assert _errors(data) == []
