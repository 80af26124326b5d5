"""What a rendering realized: per resource the capabilities it realizes, the
capabilities the cloud cannot realize (gaps, with the reason) and warnings.

One record belongs to one mission's component tree (the root creates it, every
child component writes to its parent's); the offline engine reads it from the
root the program returns. There is no module-level registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .capabilities import CAPABILITY_BY_ID


def _known(capability_id: str) -> str:
    if capability_id not in CAPABILITY_BY_ID:
        raise KeyError(f"unknown capability {capability_id!r}")
    return capability_id


@dataclass
class Realization:
    by_resource: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def record(self, resource_type: str, resource_name: str, capability_ids: tuple[str, ...]) -> None:
        """`resource_type`/`resource_name` (a registration's key) realizes `capability_ids`."""
        checked = [_known(cid) for cid in capability_ids]
        self.by_resource.setdefault((resource_type, resource_name), []).extend(checked)

    def gap(self, capability_id: str, reason: str) -> None:
        self.gaps[_known(capability_id)] = reason

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def capabilities_of(self, resource_type: str, resource_name: str) -> list[str]:
        return list(self.by_resource.get((resource_type, resource_name), []))
