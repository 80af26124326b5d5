"""Each rule module files its rules under its area: the area is the first tag of every policy
the pack reports (the controls follow it), and `groundlink check` and the Pulumi CLI group a
pack's policies by it.

The rules register themselves when their module is imported, which happens once, before any
test runs; here each module is imported again (into an empty rule list, restored after) so
that what registration files is observed by a test."""

from __future__ import annotations

import importlib

from .policies_support import PACK

AREA_OF_MODULE = {
    "aws_analytics": "aws-analytics",
    "aws_groundstation": "aws-groundstation",
    "aws_iam": "aws-iam",
    "aws_messaging": "aws-messaging",
    "aws_network": "aws-network",
    "aws_replication": "aws-storage",
    "aws_resource_policies": "aws-iam",
    "aws_storage": "aws-storage",
    "azure_audit": "azure-audit",
    "azure_iam": "azure-iam",
    "azure_keyvault": "azure-keyvault",
    "azure_messaging": "azure-messaging",
    "azure_network": "azure-network",
    "azure_storage": "azure-storage",
    "data_protection": "data-protection",
    "processing": "processing",
    "retired": "retired",
    "tagging": "tagging",
    "unread_kinds": "coverage",
}


def test_each_rule_module_files_every_rule_it_registers_under_its_area():
    package = PACK.__name__.rsplit(".", 1)[0]
    registry = importlib.import_module(f"{package}.registry")
    kept = list(registry.RULES)
    filed: dict[str, set[str]] = {}
    try:
        for module, area in AREA_OF_MODULE.items():
            registry.RULES.clear()
            importlib.reload(importlib.import_module(f"{package}.{module}"))
            assert registry.RULES, f"{module} registered no rule"
            filed[module] = {rule.area for rule in registry.RULES}
            assert all(PACK.policy_of(rule).tags[0] == area for rule in registry.RULES), module
    finally:
        registry.RULES[:] = kept
    assert filed == {module: {area} for module, area in AREA_OF_MODULE.items()}
    assert {rule.fn.__module__.rsplit(".", 1)[1] for rule in kept} == set(AREA_OF_MODULE)
