"""Preflight reads inside inputs (a Lambda's environment, a vault's network rules, a job's scale
rules, a subnet's range) and a plan may hold any shape there: a value only a deployment knows
(a first preview's unknown), a hand-edited plan given to `check_plans`. A check that read such
a value as a map crashed `check` with a traceback (`'str' object has no attribute 'get'`), where
the provider schema check says what is wrong in one line. Every input of every resource is
given each odd shape at once, then every nested value: preflight answers, and names it."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from groundlink.engine import Plan
from groundlink.preflight import preflight

from .conftest import cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the Pulumi SDK's unknown value, as a plan's JSON holds it
ODD = [UNKNOWN, "x", 5, [], {"a": 1}]
PLANS = {
    "noaa20": lambda cloud: cached_plan("noaa20.yaml", cloud),
    "partner": lambda cloud: cached_plan("partner.yaml", cloud),
    "container job private": lambda cloud: variant_plan(cloud, {**CONTAINER_JOB, "security.network": "private"}),
}


def _every_input(plan: Plan, odd: Any, nested: bool) -> Plan:
    """`plan` with each custom resource's every input (or, `nested`, every value one level inside
    a map input) set to `odd`."""

    def shaped(inputs: dict[str, Any]) -> dict[str, Any]:
        if not nested:
            return dict.fromkeys(inputs, odd)
        return {key: dict.fromkeys(value, odd) if isinstance(value, dict) else value for key, value in inputs.items()}

    resources = [dataclasses.replace(r, inputs=shaped(dict(r.inputs))) if r.custom else r for r in plan.resources]
    assert len([r for r in resources if r.custom]) > 10
    return dataclasses.replace(plan, resources=type(plan.resources)(resources))


@pytest.mark.parametrize("nested", [False, True], ids=["inputs", "nested"])
@pytest.mark.parametrize("odd", ODD, ids=["unknown", "text", "number", "list", "map"])
@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize("variant", list(PLANS))
def test_any_shape_of_any_input_is_answered_not_a_crash(variant: str, cloud: str, odd: Any, nested: bool) -> None:
    plan = _every_input(PLANS[variant](cloud), odd, nested)
    findings = preflight(plan)
    if odd in ("x", 5) and not nested:  # a map input given as text or a number is the schema check's finding
        assert any("expected" in f.rule for f in findings), [f.line() for f in findings][:5]
