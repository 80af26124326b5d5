"""The check every API rule shares: a table of (type, property path) -> string constraint.

A constraint comes from botocore's service models (AWS) or from a documented
naming rule (Azure, and the few AWS names botocore models as free strings);
either way it carries its source so a finding can cite it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..apishapes import Constraint
from ..engine.plan import Plan
from .findings import Finding, values_at

Table = Mapping[tuple[str, str], Constraint]


def check_table(plan: Plan, table: Table) -> Iterator[Finding]:
    """Every (resource type, property path) the table names, checked in every resource of that type."""
    by_type: dict[str, list[tuple[str, Constraint]]] = {}
    for (type_token, path), constraint in table.items():
        by_type.setdefault(type_token, []).append((path, constraint))
    for resource in plan.resources:
        for path, constraint in by_type.get(resource.type, ()):
            for where, value in values_at(resource.inputs, path):
                if not isinstance(value, str):
                    continue
                broken = constraint.broken_by(value)
                if broken:
                    rule = f"{constraint.name}: {broken}"
                    yield Finding(resource.name, resource.type, where, value, rule, constraint.source)
