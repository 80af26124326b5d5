"""The check every API rule shares: a table of (type, property path) -> string constraint.

A constraint comes from botocore's service models (AWS) or from a documented
naming rule (Azure, and the few AWS names botocore models as free strings);
either way it carries its source so a finding can cite it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

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
        checked = {path for path, _ in by_type.get(resource.type, ())}
        for path, constraint in by_type.get(resource.type, ()):
            # a name completed from a prefix the table checks is found wrong once, at the prefix
            outputs = {} if f"{path}Prefix" in resource.inputs and f"{path}Prefix" in checked else resource.outputs
            for where, value, named in _values(resource.inputs, outputs, path):
                broken = constraint.broken_by(value)
                if broken:
                    rule = f"{constraint.name}: {broken}"
                    yield Finding(resource.name, resource.type, where + named, value, rule, constraint.source)


def _values(inputs: dict[str, Any], outputs: dict[str, Any], path: str) -> Iterator[tuple[str, Any, str]]:
    """The values `path` names in the inputs; a top-level property the program leaves out (a
    name) is the provider's to choose, so its planned output is checked in its place. The
    offline plan holds what the provider would choose (the resource's name, '-' and seven hex
    characters, as Pulumi names a resource), and AWS refuses that name as it would a given one:
    a role of a long mission name failed at `pulumi up` though the plan looked complete."""
    found = list(values_at(inputs, path))
    if found or "." in path or path.endswith("[]") or path in inputs:
        yield from ((where, value, "") for where, value in found)
        return
    yield from ((where, value, " (named by the provider)") for where, value in values_at(outputs, path))
