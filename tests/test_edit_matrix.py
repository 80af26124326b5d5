"""The edit matrix: every tunable of the spec applied to the example specs on both clouds.
Whatever an edit deletes or replaces among the stores, `diff` reports it as data loss
with the property responsible; no edit of a tunable replaces a store silently.

`make test` runs a subset that still edits every tunable at least once on each cloud
(single edits of one spec folded into few specs); `make fuzz` (GROUNDLINK_EDIT_MATRIX=full)
runs every single edit on every example spec.
"""

from __future__ import annotations

import os
from functools import cache

import pytest

from groundlink.clouds import CLOUDS
from groundlink.diff import diff_states, from_plan, rules
from groundlink.diff.run import data_loss_lines

from .conftest import cached_plan
from .edit_matrix import EditCase, combined_edits, example_specs, label, single_edits, tunables
from .plan_cache import plan_data

FULL = os.environ.get("GROUNDLINK_EDIT_MATRIX") == "full"


@cache
def _singles(spec: str) -> tuple[EditCase, ...]:
    return tuple(single_edits(spec))


def subset() -> list[EditCase]:
    """Each tunable on the first example spec that takes an edit of it, folded per spec."""
    seen: set[str] = set()
    chosen: list[EditCase] = []
    for spec in example_specs():
        fresh = [c for c in _singles(spec) if c.tunables[0] not in seen]
        seen |= {c.tunables[0] for c in fresh}
        chosen += combined_edits(fresh)
    return chosen


def cases() -> list[EditCase]:
    return [c for s in example_specs() for c in _singles(s)] if FULL else subset()


def test_the_subset_edits_every_tunable_of_the_schema():
    everything = {label(path) for path, _ in tunables()}
    assert len(everything) > 50
    assert {t for case in subset() for t in case.tunables} == everything


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("case", cases(), ids=lambda c: f"{c.spec}:{'+'.join(c.tunables)[:80]}")
def test_no_edit_replaces_or_deletes_a_store_silently(case, cloud):
    base = cached_plan(case.spec, cloud)  # shared with the other tests of this worker
    edited = plan_data(case.data, cloud)
    diff = diff_states(from_plan(base), from_plan(edited))
    reported = {c.key: c for c in diff.changes}
    stores = {k: r for k, r in from_plan(base).resources.items() if r.protected}
    assert stores, "the base plan protects its stores"
    after = from_plan(edited).resources
    for key, store in stores.items():
        forcing = rules.forcing(store.type)
        assert forcing is not None, f"no replacement rules for the store type {store.type}"
        if key not in after:
            assert reported[key].action == "delete" and reported[key].loses_data, key
            continue
        moved = sorted(p for p in forcing if store.inputs.get(p) != after[key].inputs.get(p))
        if moved:
            change = reported[key]
            assert change.action == "replace" and change.loses_data, key
            assert set(moved) <= set(change.forced_by), (key, moved, change.forced_by)
    for change in diff.changes:
        if change.action == "replace":
            assert change.forced_by, f"{change.key} replaced with no property named"
    lost = [c for c in diff.changes if c.loses_data]
    assert len(data_loss_lines([diff])) == len(lost)  # each loss is one line and exit 1
