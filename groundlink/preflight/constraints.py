"""String constraints (pattern, length) and the check every API rule shares.

A constraint comes from botocore's service models (AWS) or from a documented
naming rule (Azure, and the few AWS names botocore models as free strings);
either way it carries its source so a finding can cite it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from ..engine.plan import Plan
from .findings import Finding, values_at


@dataclass(frozen=True)
class Constraint:
    name: str  # e.g. "groundstation RoleArn" or "storage account name"
    source: str
    pattern: str | None = None  # matched against the whole value
    min: int | None = None
    max: int | None = None
    description: str = ""

    def broken_by(self, value: str) -> str | None:
        """Why `value` breaks this constraint, or None."""
        if (self.min is not None and len(value) < self.min) or (self.max is not None and len(value) > self.max):
            return f"length {len(value)} outside {self.min or 0}-{self.max if self.max is not None else '∞'}"
        if self.pattern is not None and not _compiled(self.pattern).fullmatch(value):
            return f"does not match {self.pattern}" + (f" ({self.description})" if self.description else "")
        return None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


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
