"""Every value of a plan made unknown in turn, as `pulumi preview` sends a value not known yet (an
output of a resource not created, or a whole block a program builds in `.apply()`): no rule
reports a violation the known plan does not have, and no rule is dropped for the preview.

Rules that read an unknown list as empty, or stepped over an unknown block to its defaults,
failed a preview with "no default encryption configuration", "no rotation policy", "not
delegated". The cases in test_pack_unknowns_and_keys.py pin those; this sweep finds the next
one. `make test` makes a fixed sample of the values unknown; `make fuzz`
(GROUNDLINK_PREVIEW_SWEEP=full) every value of every example plan and of the variants below.
"""

from __future__ import annotations

import copy
import dataclasses
import os
import random
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

from groundlink.check.wire import Wire
from groundlink.clouds import CLOUDS
from groundlink.engine import Plan

from .conftest import cached_plan, variant_plan
from .pack_harness import findings, plan_stack_config, whole_pack

FULL = os.environ.get("GROUNDLINK_PREVIEW_SWEEP") == "full"
SAMPLE = 12  # values per plan in `make test`: the sweep proper is `make fuzz`
PLANS = {
    "noaa20": ("noaa20.yaml", {}),
    **(
        {
            "partner": ("partner.yaml", {}),
            "aqua-legacy": ("aqua-legacy.yaml", {}),
            "geo-private-stream": (
                "noaa20.yaml",
                {
                    "storage.redundancy": "geo",
                    "clouds.aws.replica_region": "us-east-2",
                    "security.network": "private",
                    "delivery.stream": True,
                },
            ),
        }
        if FULL
        else {}
    ),
}


def _unknown(value: Any) -> str:
    """The engine's marker for a value of `value`'s kind not known yet."""
    if isinstance(value, dict):
        return UNKNOWN_OBJECT_VALUE
    if isinstance(value, list):
        return UNKNOWN_ARRAY_VALUE
    if isinstance(value, bool):
        return UNKNOWN_BOOLEAN_VALUE
    if isinstance(value, (int, float)):
        return UNKNOWN_NUMBER_VALUE
    return UNKNOWN_STRING_VALUE


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value under `value`, blocks and lists as well as their leaves (JSON text is a leaf:
    a policy document built from outputs is unknown whole)."""
    if path:
        yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _nodes(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nodes(item, (*path, index))


def _with(props: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    edited = copy.deepcopy(props)
    node: Any = edited
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return edited


def _plan(name: str, cloud: str) -> Plan:
    spec, changes = PLANS[name]
    return variant_plan(cloud, changes, spec) if changes else cached_plan(spec, cloud)


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_value_a_preview_does_not_know_yet_is_reported_or_drops_a_rule(name: str, cloud: str) -> None:
    plan = _plan(name, cloud)
    servicer, config = whole_pack(), plan_stack_config(plan)
    resources = [r for r in plan.resources if r.custom and not r.type.startswith("pulumi:")]
    known_stack = findings(servicer.AnalyzeStack(Wire(plan, config).analyze_stack(), None))
    # inputs are what a resource rule reads, outputs what a stack rule reads
    values = [
        (resource, which, path, value)
        for resource in resources
        for which in ("inputs", "outputs")
        for path, value in _nodes(getattr(resource, which) or {})
    ]
    assert len(values) > 500, len(values)
    chosen = values if FULL else random.Random(f"{name}-{cloud}").sample(values, SAMPLE)
    wrong = []
    for resource, which, path, value in chosen:
        edited = dataclasses.replace(resource, **{which: _with(getattr(resource, which), path, _unknown(value))})
        unknown_plan = dataclasses.replace(plan, resources=[edited if r is resource else r for r in plan.resources])
        wire = Wire(unknown_plan, config)
        if which == "inputs":
            before = findings(servicer.Analyze(Wire(plan, config).analyze(resource), None))
            after = findings(servicer.Analyze(wire.analyze(edited), None))
        else:
            before, after = known_stack, findings(servicer.AnalyzeStack(wire.analyze_stack(), None))
        wrong += [(resource.name, which, ".".join(map(str, path)), finding[0]) for finding in after - before]
    assert wrong == []
