"""Every rule of the pack and every preflight check over the example plans and the variants the
docs walk through, run in this process as `groundlink check` and `groundlink preflight` run them
(tests/pack_harness.py: the check's own wire, the policy SDK's analyzer): each plan passes every
rule, but for the one finding a stack of the retired Azure Orbital resources is documented to
carry, and has no preflight finding.

`test_check_e2e.py` and the preflight command tests assert the same verdicts through another
process or on fewer plans; this file asserts them where the plan is built, so a component that
loses a setting the pack holds it to (a log group's key, a namespace's local auth, TLS 1.2) or
writes what the provider or the cloud API refuses (a misspelt nested key, an enum in another
case, a policy's `Effect` in capitals) fails here in milliseconds, under `make mutation` too (a
process started by a test runs unmutated code)."""

from __future__ import annotations

from typing import Any

import pytest

from groundlink.check.wire import Wire
from groundlink.engine import Plan
from groundlink.preflight import preflight_planned

from .conftest import cached_plan, variant_plan
from .pack_harness import findings, plan_stack_config, whole_pack

CONTAINER_JOB = {
    "processing.mode": "container_job",
    "processing.container_image": "public.ecr.aws/example/groundlink:1",
}
GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
PRIVATE = {"security.network": "private"}
STREAM = {"delivery.stream": True}
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "noaa20": ("noaa20.yaml", {}),
    "partner": ("partner.yaml", {}),
    "constellation": ("constellation.yaml", {}),
    "aqua-legacy": ("aqua-legacy.yaml", {}),
    "noaa20 private": ("noaa20.yaml", PRIVATE),
    "noaa20 geo": ("noaa20.yaml", GEO),
    "noaa20 stream": ("noaa20.yaml", STREAM),
    "noaa20 container job": ("noaa20.yaml", CONTAINER_JOB),
    "noaa20 container job private": ("noaa20.yaml", {**CONTAINER_JOB, **PRIVATE}),
    "noaa20 geo private stream": ("noaa20.yaml", {**GEO, **PRIVATE, **STREAM}),
}
# docs/policies.md: the retired resources plan only on explicit opt-in, and the pack says so
# (advisory) unless the stack runs under the legacy config
EXPECTED: dict[tuple[str, str], set[tuple[str, str]]] = {
    ("aqua-legacy", "azure"): {
        ("retired-azure-orbital", "aqua-ground-orbital-aqua-spacecraft"),
        ("retired-azure-orbital", "aqua-ground-orbital-aqua-contact-profile"),
    },
}


def _plan(variant: str, cloud: str) -> Plan:
    spec, changes = VARIANTS[variant]
    return variant_plan(cloud, changes, spec) if changes else cached_plan(spec, cloud)


@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_plan_passes_every_rule_of_the_pack(variant: str, cloud: str) -> None:
    plan = _plan(variant, cloud)
    servicer = whole_pack()
    wire = Wire(plan, plan_stack_config(plan))
    found = {
        (rule, resource.name)
        for resource in plan.resources
        for rule, _, _ in findings(servicer.Analyze(wire.analyze(resource), None))
    }
    names = {r.urn: r.name for r in plan.resources}
    found |= {(rule, names[urn]) for rule, urn, _ in findings(servicer.AnalyzeStack(wire.analyze_stack(), None))}
    assert found == EXPECTED.get((variant, cloud), set())


@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_each_plan_preflights_clean(variant: str, cloud: str) -> None:
    """What the providers' schemas and the cloud APIs' models accept (groundlink preflight): a
    component that misspells a nested key, writes an enum in another case or breaks a policy
    document's grammar plans under the mocks but fails at `pulumi up`."""
    assert [finding.line() for finding in preflight_planned(_plan(variant, cloud))] == []
