"""The edit matrix: every tunable of the spec applied to every example spec on both clouds.
Whatever an edit deletes or replaces among the stores, `diff` reports it as data loss
with the property responsible; no edit of a tunable replaces a store silently.

`make test` runs a subset that still edits every tunable at least once on each cloud
(single edits of one spec folded into few specs); `make fuzz` (GROUNDLINK_EDIT_MATRIX=full)
runs every single edit on every example spec. There, an edit that leaves the cloud's
blueprint and provider config as they were is not planned: a stack is built from those
alone (test_a_stack_is_built_from_its_cloud_blueprint_alone), so it changes no resource.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import pytest

from groundlink.clouds import CLOUDS
from groundlink.diff import diff_states, from_plan, rules
from groundlink.diff.run import data_loss_lines
from groundlink.spec import OrbitalEndpoint

from .conftest import cached_plan, spec_data
from .edit_matrix import (
    EditCase,
    combined_edits,
    example_specs,
    label,
    reaches_stack,
    single_edits,
    stack_inputs,
    tunables,
)
from .plan_cache import plan_data

FULL = os.environ.get("GROUNDLINK_EDIT_MATRIX") == "full"

# (spec, tunable) pairs no single valid edit reaches, and why.
NOT_APPLICABLE = {
    ("aqua-legacy.yaml", "satellites[0].downlinks[0].preset"): "Aqua's signal fits one preset only (aqua_db)",
    ("constellation.yaml", "clouds.azure.legacy_orbital"): "the retired Orbital resources need TLEs for all 24",
    ("constellation.yaml", "satellites[0].tle"): "no TLE to edit, and real elements cannot be made up",
    ("aqua-legacy.yaml", "clouds.azure.legacy_orbital"): "its endpoint settings (clouds.azure.orbital) need the opt-in",
    **{
        (
            spec,
            "ground_segment.dubbo_minutes_share",
        ): "a partner network's contacts: the share only applies to AWS Ground Station"
        for spec in ("partner.yaml", "aqua-legacy.yaml")
    },
    **{
        (spec, f"ground_segment.{field}"): "a partner sets its antennas by its own configuration"
        for spec in ("partner.yaml", "aqua-legacy.yaml")
        for field in ("pre_pass_seconds", "post_pass_seconds")
    },
    # with legacy Azure Orbital the contact profile tracks the satellite: aqua-legacy takes it
    ("partner.yaml", "ground_segment.autotrack"): "a partner sets its antennas by its own configuration",
    **{
        (spec, f"clouds.azure.orbital.{field}"): "the endpoint settings only apply with legacy_orbital: true"
        for spec in ("noaa20.yaml", "partner.yaml", "constellation.yaml")
        for field in OrbitalEndpoint.model_fields
    },
}


@cache
def _singles(spec: str) -> tuple[EditCase, ...]:
    return tuple(single_edits(spec))


def subset() -> list[EditCase]:
    """Each tunable on the first example spec that takes an edit of it, folded per spec."""
    seen: set[str] = set()
    chosen: list[EditCase] = []
    for spec in example_specs():
        # only the tunables not yet covered are tried: every worker builds this list while
        # collecting, and trying each tunable on every spec cost about a second there
        fresh = list(single_edits(spec, frozenset(seen)))
        seen |= {c.tunables[0] for c in fresh}
        chosen += combined_edits(fresh)
    return chosen


def cases() -> list[tuple[EditCase, str]]:
    if not FULL:
        return [(case, cloud) for case in subset() for cloud in CLOUDS]
    return [(c, cloud) for s in example_specs() for c in _singles(s) for cloud in CLOUDS if reaches_stack(c, cloud)]


def test_every_tunable_is_applied_to_every_example_spec_but_the_explained_exceptions():
    everything = {label(path) for path, _ in tunables()}
    assert len(everything) > 50
    missing = {(spec, t) for spec in example_specs() for t in everything - {c.tunables[0] for c in _singles(spec)}}
    assert missing == set(NOT_APPLICABLE)


def test_the_subset_edits_every_tunable_of_the_schema():
    everything = {label(path) for path, _ in tunables()}
    assert {t for case in subset() for t in case.tunables} == everything


CLOUD_PROVIDERS = ("aws", "aws-native", "azure-native")


def _at(inputs: dict[str, Any], path: str) -> Any:
    """The value at a dotted property path (None where it is absent)."""
    value: Any = inputs
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


@pytest.mark.parametrize(("case", "cloud"), cases(), ids=lambda c: c if isinstance(c, str) else _case_id(c))
def test_no_edit_replaces_or_deletes_a_store_silently(case, cloud):
    base = cached_plan(case.spec, cloud)  # shared with the other tests of this worker
    edited = plan_data(case.data, cloud)
    diff = diff_states(from_plan(base), from_plan(edited))
    reported = {c.key: c for c in diff.changes}
    stores = {k: r for k, r in from_plan(base).resources.items() if r.protected}
    assert stores, "the base plan protects its stores"
    after = from_plan(edited).resources
    # every cloud resource, on either provider: a type without rules shows its replacement as an
    # update (the Synapse firewall rules and the Service Bus network rule set had none)
    unknown = sorted(
        {r.type for r in after.values() if r.type.split(":")[0] in CLOUD_PROVIDERS and rules.forcing(r.type) is None}
    )
    assert not unknown, f"no replacement rules for {unknown} (scripts/gen_replace_rules.py VARIANTS)"
    for key, store in stores.items():
        forcing = rules.forcing(store.type)
        assert forcing is not None, f"no replacement rules for the store type {store.type}"
        if key not in after:
            assert reported[key].action == "delete" and reported[key].loses_data, key
            continue
        moved = sorted(p for p in forcing if _at(store.inputs, p) != _at(after[key].inputs, p))
        if moved:
            change = reported[key]
            assert change.action == "replace" and change.loses_data, key
            assert set(moved) <= set(change.forced_by), (key, moved, change.forced_by)
    for change in diff.changes:
        if change.action == "replace":
            assert change.forced_by, f"{change.key} replaced with no property named"
    lost = [c for c in diff.changes if c.loses_data]
    # each loss, and each store left unprotected (data_protection: dev), is one line and exit 1
    assert len(data_loss_lines([diff])) == len(lost) + len(diff.unprotected) + len(diff.shortened)
    assert all(c.stateful for c in diff.unprotected)


def _case_id(case: EditCase) -> str:
    return f"{case.spec}:{'+'.join(case.tunables)[:80]}"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_stack_is_built_from_its_cloud_blueprint_alone(cloud):
    """What lets the full matrix leave unplanned an edit that does not reach the stack: a
    cost-model assumption changes the spec, not one input of one resource."""
    data = spec_data("noaa20.yaml")
    data.setdefault("usage", {})["egress_gb_per_month"] = 12345
    assert stack_inputs(data, cloud) == stack_inputs(spec_data("noaa20.yaml"), cloud)
    edited = {r.urn: r.inputs for r in plan_data(data, cloud).custom()}
    base = {r.urn: r.inputs for r in cached_plan("noaa20.yaml", cloud).custom()}
    assert edited and edited == base
