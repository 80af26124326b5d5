"""From a registered rule to the pulumi_policy object the Pulumi CLI reads (policies/pack.py):
its metadata, its compliance framework, config defaults under the configured values, and
the type filter of a resource rule. Built from rules made here, so each field is known."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy, Severity, StackValidationPolicy

from groundlink.check import import_pack

PACK = import_pack()
Rule = importlib.import_module(PACK.__name__.rsplit(".", 1)[0] + ".registry").Rule
BUCKET = "aws:s3/bucket:Bucket"


def _rule(fn, **changes):
    fields = {
        "name": "bucket-rule",
        "kind": "resource",
        "description": "buckets are private",
        "severity": "high",
        "enforcement": "mandatory",
        "controls": ("CIS AWS 2.1.4", "NIST SC-28"),
        "remediation": "block public access",
        "fn": fn,
        "area": "storage",
        "types": (BUCKET,),
        "config": {"limit": {"type": "integer", "default": 3}, "label": {"type": "string"}},
    }
    return Rule(**{**fields, **changes})


def _args(type_=BUCKET, config=None):
    return SimpleNamespace(resource_type=type_, props={"x": 1}, get_config=lambda: config)


def test_a_resource_rule_becomes_a_resource_policy_with_its_metadata():
    def private_buckets(args, report):
        report(f"{args.props['x']}")

    policy = PACK.policy_of(_rule(private_buckets))
    assert isinstance(policy, ResourceValidationPolicy)
    assert (policy.name, policy.description, policy.remediation_steps) == (
        "bucket-rule",
        "buckets are private",
        "block public access",
    )
    assert (policy.enforcement_level, policy.severity) == (EnforcementLevel.MANDATORY, Severity.HIGH)
    assert policy.tags == ["storage", "CIS AWS 2.1.4", "NIST SC-28"]
    assert policy.config_schema.properties == {
        "limit": {"type": "integer", "default": 3},
        "label": {"type": "string"},
    }
    framework = policy.framework
    assert (framework.name, framework.reference) == ("CIS Amazon Web Services Foundations Benchmark", "2.1.4")


def test_the_first_control_of_a_known_framework_names_it():
    def fn(args, report):
        return None

    azure = PACK.policy_of(_rule(fn, controls=("NIST AC-3", "CIS Azure 3.1", "CIS AWS 1.1")))
    assert (azure.framework.name, azure.framework.reference) == ("CIS Microsoft Azure Foundations Benchmark", "3.1")
    assert PACK.policy_of(_rule(fn, controls=("NIST AC-3", "CIS AWSX 1"))).framework is None
    assert PACK.policy_of(_rule(fn, config={})).config_schema is None


def test_a_resource_rule_sees_only_its_types_and_its_config_over_the_defaults():
    seen = []

    def fn(args, report):
        seen.append((args.resource_type, args.props, args.get_config()))
        report("found")

    policy = PACK.policy_of(_rule(fn))
    reported: list[str] = []
    policy.validate(_args("aws:kms/key:Key"), reported.append)
    assert seen == [] and reported == []
    policy.validate(_args(config=None), reported.append)
    policy.validate(_args(config={"limit": 9, "label": "a"}), reported.append)
    assert seen == [
        (BUCKET, {"x": 1}, {"limit": 3}),
        (BUCKET, {"x": 1}, {"limit": 9, "label": "a"}),
    ]
    assert reported == ["found", "found"]


def test_a_stack_rule_and_a_rule_without_types_see_every_call():
    calls = []

    def whole_stack(args, report):
        calls.append(args.resource_type)

    stack = PACK.policy_of(_rule(whole_stack, kind="stack", types=(BUCKET,)))
    assert isinstance(stack, StackValidationPolicy) and stack.name == "bucket-rule"
    stack.validate(_args("aws:kms/key:Key"), lambda message, urn=None: None)
    untyped = PACK.policy_of(_rule(whole_stack, types=()))
    untyped.validate(_args("aws:kms/key:Key"), lambda message: None)
    assert calls == ["aws:kms/key:Key", "aws:kms/key:Key"]


def test_the_pack_has_one_policy_per_registered_rule():
    assert [p.name for p in PACK.policies()] == [rule.name for rule in PACK.RULES]
    assert len(PACK.RULES) > 30 and PACK.PACK_NAME == "groundlink"
