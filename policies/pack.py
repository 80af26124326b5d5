"""From rule functions to pulumi_policy objects.

The rule modules register plain functions; this module adds what the SDK
needs: type filtering, config defaults (the CLI applies schema defaults, but a
pack run without config still behaves), compliance frameworks and tags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)

from . import (  # noqa: F401  (importing a module registers its rules)
    aws_analytics,
    aws_groundstation,
    aws_iam,
    aws_messaging,
    aws_network,
    aws_replication,
    aws_resource_policies,
    aws_storage,
    azure_audit,
    azure_iam,
    azure_keyvault,
    azure_messaging,
    azure_network,
    azure_storage,
    data_protection,
    processing,
    retired,
    tagging,
    unread_kinds,
)
from .registry import RULES, Rule
from .tokens import is_type

PACK_NAME = "groundlink"
FRAMEWORKS = {
    "CIS AWS": "CIS Amazon Web Services Foundations Benchmark",
    "CIS Azure": "CIS Microsoft Azure Foundations Benchmark",
}


class _WithDefaults:
    """The SDK's args with the rule's config defaults under the configured values."""

    def __init__(self, args: Any, defaults: Mapping[str, Any]):
        self._args, self._defaults = args, defaults

    def __getattr__(self, name: str) -> Any:
        return getattr(self._args, name)

    def get_config(self) -> dict[str, Any]:
        return {**self._defaults, **dict(self._args.get_config() or {})}


def _validate(rule: Rule):
    defaults = rule.defaults()

    def validate(args: Any, report: Any) -> None:
        if rule.kind == "resource" and rule.types and not is_type(args.resource_type, rule.types):
            return
        rule.fn(_WithDefaults(args, defaults), report)

    validate.__name__ = rule.fn.__name__
    return validate


def _framework(rule: Rule) -> PolicyComplianceFramework | None:
    for control in rule.controls:
        for prefix, name in FRAMEWORKS.items():
            if control.startswith(prefix + " "):
                return PolicyComplianceFramework(name=name, reference=control[len(prefix) + 1 :])
    return None


def policy_of(rule: Rule):
    common = {
        "name": rule.name,
        "description": rule.description,
        "enforcement_level": EnforcementLevel(rule.enforcement),
        "severity": Severity(rule.severity),
        "config_schema": PolicyConfigSchema(properties=rule.config) if rule.config else None,
        "framework": _framework(rule),
        "tags": [rule.area, *rule.controls],
        "remediation_steps": rule.remediation,
    }
    if rule.kind == "stack":
        return StackValidationPolicy(validate=_validate(rule), **common)
    return ResourceValidationPolicy(validate=_validate(rule), **common)


def policies() -> list[Any]:
    return [policy_of(rule) for rule in RULES]
