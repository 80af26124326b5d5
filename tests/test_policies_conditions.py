"""One case per condition of every pack rule, each changing one thing of a passing baseline.

The baselines are resources (or whole plans, for stack rules) of the example specs' plans;
tests/pack_cases.py lists the cases and tests/pack_harness.py runs a rule the way `groundlink
check` does. A case asserts the exact violations (message, and for a stack rule the
resource it is reported on), so losing one condition of a rule, or its wording, fails the
case for that condition.
"""

from __future__ import annotations

import pytest

from .pack_cases import BASELINES, CASES, Case
from .pack_harness import Derived, Planned, Stack, Written, apply, resolve, run, split_change
from .policies_support import RULES

BASELINE_PAIRS = sorted({(case.rule, case.base) for case in CASES})


@pytest.mark.parametrize("rule, base", BASELINE_PAIRS, ids=[f"{rule}@{base}" for rule, base in BASELINE_PAIRS])
def test_the_baseline_passes(rule, base):
    assert run(rule, resolve(BASELINES, base)) == []


@pytest.mark.parametrize("case", [c for c in CASES if c.change], ids=lambda c: c.id)
def test_one_change(case: Case):
    path, value = split_change(case.change)
    assert run(case.rule, apply(resolve(BASELINES, case.base), path, value)) == list(case.expect)


def test_every_rule_of_the_pack_has_a_firing_and_a_passing_case():
    """A rule added to the pack without cases here fails this test."""
    firing = {case.rule for case in CASES if case.expect}
    passing = {rule for rule, _ in BASELINE_PAIRS} | {case.rule for case in CASES if case.change and not case.expect}
    how = "add them to tests/pack_cases.py (docs/policies.md, 'Testing a rule')"
    assert sorted(set(RULES) - firing) == [], f"rules without a firing case: {how}"
    assert sorted(set(RULES) - passing) == [], f"rules without a passing case: {how}"
    assert sorted({case.rule for case in CASES} - set(RULES)) == [], "cases for rules the pack does not have"


def test_every_resource_rule_type_that_an_example_plans_has_a_planned_baseline():
    """Hand-written baselines are for resource types no example spec plans, and say why."""
    written = [base for base in BASELINES.values() if isinstance(base, Written)]
    assert written and all(base.why for base in written)
    assert all(base.why for base in BASELINES.values() if isinstance(base, Derived))
    planned = [base for base in BASELINES.values() if isinstance(base, (Planned, Stack))]
    assert len(planned) > len(written)


def test_baselines_are_all_used():
    used = {case.base for case in CASES}
    used |= {base.base for base in BASELINES.values() if isinstance(base, Derived)}
    assert sorted(set(BASELINES) - used) == []
