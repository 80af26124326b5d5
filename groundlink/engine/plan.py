"""The captured plan: what `pulumi preview` would register, as plain data.

The JSON form is a documented interface (README "Plan JSON"); the policy
runner, parity matrix, cost model and report all read it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PLAN_FORMAT_VERSION = 1


def _copied(value: Any) -> Any:
    """A copy of plain JSON-shaped data (dicts, lists, immutable scalars), what a plan holds.

    `dataclasses.asdict` and `copy.deepcopy` copy anything, and paid for it: the document of
    the noaa20 Azure plan took 8-12 ms, now 2-3 ms (2026-12-02, 20 documents, three times);
    the test session hands every shared plan between its workers as a document."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copied(item) for item in value]
    return value


@dataclass
class PlannedResource:
    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    protect: bool
    retainOnDelete: bool
    dependencies: list[str]
    capability: list[str]
    provider: str | None = None
    id: str | None = None
    propertyDependencies: dict[str, list[str]] = field(default_factory=dict)
    # inputs an update leaves as they are in the stack (ResourceOptions.ignore_changes): a
    # difference there is no change (groundlink.diff), as `pulumi preview` shows none
    ignoreChanges: list[str] = field(default_factory=list)
    # a replacement deletes the old resource before it creates the new one (ResourceOptions.
    # delete_before_replace): the two cannot stand side by side (False in an earlier plan)
    deleteBeforeReplace: bool = False
    # inputs whose change replaces the resource whatever its provider says (ResourceOptions.
    # replace_on_changes): groundlink.diff counts them beside the type's own rules, as `pulumi
    # preview` does (empty in an earlier plan)
    replaceOnChanges: list[str] = field(default_factory=list)


_RESOURCE_FIELDS = tuple(f.name for f in fields(PlannedResource))


@dataclass
class Plan:
    cloud: str
    spec: str
    project: str
    stack: str
    resources: list[PlannedResource]
    outputs: dict[str, Any]
    gaps: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # the AWS region or Azure location of the stack's default providers: a diff replaces what
    # a provider deploys when its region changes ("" in a plan written before it was recorded)
    region: str = ""

    # -- queries used by tests and consumers ---------------------------------
    def of_type(self, type_token: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> PlannedResource:
        found = [r for r in self.of_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} {name or ''}, found {len(found)}")
        return found[0]

    def by_urn(self, urn: str) -> PlannedResource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise LookupError(urn)

    def children(self, parent: PlannedResource) -> list[PlannedResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def realizing(self, capability_id: str) -> list[PlannedResource]:
        return [r for r in self.resources if capability_id in r.capability]

    def custom(self) -> Iterator[PlannedResource]:
        return (r for r in self.resources if r.custom)

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.resources:
            counts[r.type] = counts.get(r.type, 0) + 1
        return dict(sorted(counts.items()))

    # -- JSON -----------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """A document of its own: editing it (a test declaring a gap on a copy) never edits the
        plan, which callers share (the plan caches)."""
        return {
            "formatVersion": PLAN_FORMAT_VERSION,
            "cloud": self.cloud,
            "spec": self.spec,
            "project": self.project,
            "stack": self.stack,
            "resources": [{name: _copied(getattr(r, name)) for name in _RESOURCE_FIELDS} for r in self.resources],
            "outputs": _copied(self.outputs),
            "gaps": dict(self.gaps),
            "warnings": list(self.warnings),
            "region": self.region,
        }

    def write(self, path: str | Path) -> None:
        from ..outputs import write_text

        write_text(Path(path), self.json_text())

    def json_text(self) -> str:
        """The plan as its JSON file holds it."""
        from ..outputs import displayable

        # a spec path that is not UTF-8 as U+FFFD: a lone surrogate is JSON no strict reader takes
        return json.dumps(displayable(self.to_json()), indent=2, default=str, allow_nan=False)

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Plan:
        return cls(
            cloud=doc["cloud"],
            spec=doc["spec"],
            project=doc["project"],
            stack=doc["stack"],
            resources=[PlannedResource(**r) for r in doc["resources"]],
            outputs=doc["outputs"],
            gaps=doc.get("gaps", {}),
            warnings=doc.get("warnings", []),
            region=doc.get("region", ""),
        )

    @classmethod
    def read(cls, path: str | Path) -> Plan:
        return cls.from_json(json.loads(Path(path).read_text()))
