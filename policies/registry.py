"""Rule metadata kept next to each rule function, so one decorator line says
what a rule guards, how hard, against which control, and how to fix it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("low", "medium", "high", "critical")
ENFORCEMENT_LEVELS = ("advisory", "mandatory", "remediate", "disabled")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # "resource" (one resource at a time) or "stack" (the whole plan)
    description: str
    severity: str
    enforcement: str
    controls: tuple[str, ...]
    remediation: str
    fn: Callable[..., Any]
    area: str
    types: tuple[str, ...] = ()
    config: dict[str, dict[str, Any]] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        return {key: schema["default"] for key, schema in self.config.items() if "default" in schema}


RULES: list[Rule] = []
# What a rule that asks for the mission's own key says beside its own fix: the violation comes from
# the spec where it turned the keys off, and the pack config that accepts that choice.
KEYS_OFF = (
    " groundlink renders the mission's key with security.customer_managed_keys: true; where the keys are off by "
    "choice, run the pack with policies/customer-managed-keys-off.config.json (requireCustomerManagedKey: false)."
)


def _register(
    kind: str,
    name: str,
    *,
    area: str,
    description: str,
    severity: str,
    enforcement: str,
    controls: tuple[str, ...],
    remediation: str,
    types: tuple[str, ...] = (),
    config: dict[str, dict[str, Any]] | None = None,
):
    if severity not in SEVERITIES or enforcement not in ENFORCEMENT_LEVELS:
        raise ValueError(f"{name}: bad severity {severity!r} or enforcement {enforcement!r}")
    if any(rule.name == name for rule in RULES):
        raise ValueError(f"duplicate rule name {name}")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        rule = Rule(
            name=name,
            kind=kind,
            description=description,
            severity=severity,
            enforcement=enforcement,
            controls=tuple(controls),
            remediation=remediation + (KEYS_OFF if "requireCustomerManagedKey" in (config or {}) else ""),
            fn=fn,
            area=area,
            types=tuple(types),
            config=dict(config or {}),
        )
        RULES.append(rule)
        return fn

    return decorate


def resource_rule(name: str, **meta: Any):
    """A rule called once per resource of `types` with (args, report_violation)."""
    return _register("resource", name, **meta)


def stack_rule(name: str, **meta: Any):
    """A rule called once with every resource of the plan (joins across resources)."""
    return _register("stack", name, **meta)
