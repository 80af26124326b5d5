"""The parity matrix: every capability a spec needs, against each cloud's plan.

A cell is `realized` (resources carry the capability), `gap` (the renderer
declared it cannot realize it, with a reason) or `missing` (neither: a bug in
a renderer, never acceptable). A needed capability that no cloud realizes, or
that one cloud silently misses, is a failure: the comparison would otherwise
not compare like with like. Pure: reads a Blueprint and Plan objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .blueprint import CAPABILITY_BY_ID, Blueprint, Capability

if TYPE_CHECKING:
    from .engine.plan import Plan

REALIZED, GAP, MISSING = "realized", "gap", "missing"


@dataclass(frozen=True)
class Cell:
    status: str
    resources: tuple[tuple[str, str], ...] = ()  # (type, name)
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "resources": [{"type": t, "name": n} for t, n in self.resources],
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Row:
    capability: Capability
    cells: dict[str, Cell]

    @property
    def failure(self) -> str:
        """Why this row fails the comparison, or '' when it does not."""
        missing = [cloud for cloud, cell in self.cells.items() if cell.status == MISSING]
        if missing:
            return (
                f"{self.capability.id}: not realized on {', '.join(missing)} and no gap declared "
                f"({self.capability.title})"
            )
        if not any(cell.status == REALIZED for cell in self.cells.values()):
            # every cloud declares it a gap, so each one's reason says what would realize it
            reasons = "; ".join(f"{cloud}: {cell.reason}" for cloud, cell in self.cells.items() if cell.reason)
            return f"{self.capability.id}: realized on no cloud ({self.capability.title})" + (
                f": {reasons}" if reasons else ""
            )
        return ""


@dataclass
class ParityMatrix:
    clouds: tuple[str, ...]
    rows: list[Row]
    extras: dict[str, list[str]] = field(default_factory=dict)  # cloud -> realized but not needed

    @property
    def failures(self) -> list[str]:
        return [row.failure for row in self.rows if row.failure]

    @property
    def ok(self) -> bool:
        return not self.failures

    def counts(self, cloud: str) -> dict[str, int]:
        out = {REALIZED: 0, GAP: 0, MISSING: 0}
        for row in self.rows:
            out[row.cells[cloud].status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "failures": self.failures,
            "rows": [
                {
                    "capability": r.capability.id,
                    "layer": r.capability.layer,
                    "title": r.capability.title,
                    "clouds": {c: cell.to_json() for c, cell in r.cells.items()},
                }
                for r in self.rows
            ],
            "notNeededButRealized": self.extras,
        }


def _cell(plan: Plan, capability_id: str) -> Cell:
    resources = tuple((r.type, r.name) for r in plan.realizing(capability_id))
    if resources:
        return Cell(REALIZED, resources)
    if capability_id in plan.gaps:
        return Cell(GAP, reason=plan.gaps[capability_id])
    return Cell(MISSING)


def parity(blueprint: Blueprint, plans: dict[str, Any]) -> ParityMatrix:
    """The matrix of `blueprint`'s needed capabilities against each cloud's captured plan."""
    clouds = tuple(plans)
    rows = [Row(cap, {cloud: _cell(plans[cloud], cap.id) for cloud in clouds}) for cap in blueprint.capabilities]
    needed = {cap.id for cap in blueprint.capabilities}
    extras = {}
    for cloud, plan in plans.items():
        realized = {cid for r in plan.resources for cid in r.capability if cid in CAPABILITY_BY_ID}
        extra = sorted(realized - needed)
        if extra:
            extras[cloud] = extra
    return ParityMatrix(clouds, rows, extras)
