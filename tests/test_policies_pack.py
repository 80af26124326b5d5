"""The pack as a whole: enough rules in every area, metadata that reaches the SDK's
policies, and nothing imported that the CLI's pack virtualenv would lack (that every rule
has firing and passing cases is tests/test_policies_conditions.py's meta-test)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

import groundlink.limits as groundlink_limits
from groundlink.check import PACK_DIR
from groundlink.clouds import CLOUDS

from .policies_support import PACK, RULES

AREAS = {
    "aws-storage",
    "aws-iam",
    "aws-groundstation",
    "aws-analytics",
    "aws-network",
    "aws-messaging",
    "azure-storage",
    "azure-audit",
    "azure-iam",
    "azure-keyvault",
    "azure-messaging",
    "azure-network",
    "retired",
    "processing",
    "data-protection",
    "tagging",
    "coverage",
}


def test_at_least_thirty_rules_across_every_area():
    assert len(RULES) >= 30
    assert {rule.area for rule in RULES.values()} == AREAS


def test_every_rule_says_what_it_guards_how_to_fix_it_and_against_which_control():
    incomplete = [name for name, rule in RULES.items() if not (rule.description and rule.remediation and rule.controls)]
    assert incomplete == []
    assert {rule.enforcement for rule in RULES.values()} == {"advisory", "mandatory"}
    undocumented = [
        (name, key)
        for name, rule in RULES.items()
        for key, schema in rule.config.items()
        if not ("default" in schema and "type" in schema and schema.get("description"))
    ]
    assert undocumented == []


def test_the_sdk_policy_carries_the_rule_metadata():
    """What the CLI shows and enforces comes from the policy object, not from the rule."""
    for name, rule in RULES.items():
        policy = PACK.policy_of(rule)
        assert (policy.name, policy.description) == (name, rule.description)
        assert (policy.enforcement_level.value, policy.severity.value) == (rule.enforcement, rule.severity)
        assert policy.remediation_steps == rule.remediation
        assert policy.tags == [rule.area, *rule.controls]
        if rule.config:
            assert policy.config_schema.properties == rule.config
        else:
            assert policy.config_schema is None


@pytest.mark.parametrize(
    "rule, framework, reference",
    [
        ("aws-kms-key-rotation", "CIS Amazon Web Services Foundations Benchmark", "3.6"),
        ("aws-s3-tls-only", "CIS Amazon Web Services Foundations Benchmark", "2.1.1"),
        ("azure-storage-https-only", "CIS Microsoft Azure Foundations Benchmark", "3.1"),
        ("azure-analytics-audit-logs", "CIS Microsoft Azure Foundations Benchmark", "5.4"),
    ],
)
def test_cis_controls_become_the_compliance_framework(rule, framework, reference):
    found = PACK.policy_of(RULES[rule]).framework
    assert (found.name, found.reference) == (framework, reference)


def test_a_rule_without_a_cis_control_has_no_framework():
    assert RULES["aws-s3-versioning"].controls == ("CKV_AWS_21",)
    assert PACK.policy_of(RULES["aws-s3-versioning"]).framework is None


def test_bucket_side_resources_list_v2_and_unsuffixed_tokens():
    tokens = PACK.aws_storage.T
    for group in (tokens.S3_BUCKET, tokens.S3_SSE, tokens.S3_VERSIONING, tokens.S3_LOGGING, tokens.S3_LIFECYCLE):
        assert any("V2:" in t for t in group) and any("V2:" not in t for t in group)


def test_limits_copy_equals_groundlink_limits():
    copy = PACK.aws_groundstation.L
    names = [n for n in vars(copy) if n.isupper()]
    assert names
    for name in names:
        assert getattr(copy, name) == getattr(groundlink_limits, name), name


def test_pack_imports_only_the_stdlib_its_sdk_and_itself():
    # google: protobuf, pinned in the pack's requirements.txt, the SDK's own wire format
    allowed = set(sys.stdlib_module_names) | {"pulumi", "pulumi_policy", "google", "__future__"}
    for path in PACK_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"


def test_pack_files_the_cli_needs():
    import yaml

    meta = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    runtime = meta["runtime"]["name"] if isinstance(meta["runtime"], dict) else meta["runtime"]
    assert runtime == "python" and meta["version"]
    pins = dict(
        line.split("==")
        for line in (PACK_DIR / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    lock = dict(
        line.lower().replace("_", "-").split("==")
        for line in (Path(PACK_DIR).parent / "requirements.lock").read_text().splitlines()
        if "==" in line
    )
    for package, version in pins.items():
        assert lock[package.lower()] == version, package
    guards = [
        node
        for node in ast.parse((PACK_DIR / "__main__.py").read_text()).body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and getattr(node.test.left, "id", "") == "__name__"
    ]
    assert len(guards) == 1, "PolicyPack must be created under the main guard"


def _doc_table(heading: str) -> list[list[str]]:
    """Rows of the first Markdown table after `heading` in docs/policies.md."""
    text = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    lines = text[text.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split(" | ")])
    return rows


def test_docs_rule_table_lists_every_rule_with_its_severity_default_and_controls():
    documented = {row[0]: (row[2], row[3], row[4]) for row in _doc_table("## Rules")}
    assert documented == {
        name: (rule.severity, rule.enforcement, ", ".join(rule.controls)) for name, rule in RULES.items()
    }


def test_the_documented_check_json_counts_the_pack_s_rules():
    """The example of `check --json` said 65 policies after the 66th rule was added."""
    import re

    text = (Path(__file__).parent.parent / "docs" / "policies.md").read_text(encoding="utf-8")
    assert [int(n) for n in re.findall(r'"policies": (\d+)', text)] == [len(RULES)]


def test_docs_config_table_lists_every_config_property_with_type_and_default():
    import json

    documented = {(row[0], row[1]): (row[2], json.loads(row[3])) for row in _doc_table("### Pack config")}
    assert documented == {
        (name, key): (schema["type"], schema["default"])
        for name, rule in RULES.items()
        for key, schema in rule.config.items()
    }


def _example_and_job_plans() -> list[Any]:
    """The example plans and the variants that add types (container jobs; streamed delivery,
    whose network interfaces and security group rules the rule once passed over; a private
    network; geo replication; Data Explorer): every type groundlink creates appears in one."""
    from .conftest import cached_plan, variant_plan
    from .test_processing_cloud import CONTAINER_JOB

    examples = ("noaa20.yaml", "partner.yaml", "aqua-legacy.yaml")
    variants = (
        CONTAINER_JOB,
        {"delivery.stream": True},
        {"security.network": "private"},
        {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"},
        {"analytics.azure_engine": "adx"},
    )
    return [cached_plan(spec, cloud) for spec in examples for cloud in CLOUDS] + [
        variant_plan(cloud, changes) for changes in variants for cloud in CLOUDS
    ]


def test_every_type_groundlink_tags_is_one_the_tag_rule_checks():
    """tags-required passed over about twenty types groundlink tags (a Functions app, a Key Vault
    key, Batch, Pipes, subnets): a program dropping their tags passed the check."""
    from policies import tokens

    tagged = {r.type for plan in _example_and_job_plans() for r in plan.resources if r.custom and r.inputs.get("tags")}
    assert "azure-native:web:WebApp" in tagged and "aws:batch/jobQueue:JobQueue" in tagged
    assert sorted(tagged - set(tokens.TAGGABLE)) == []


def test_the_pack_guards_every_type_groundlink_protects():
    """The README's stateful list (queues, Service Bus, Event Hubs, log groups...) was wider than the
    pack's: a component that forgot protect on a queue passed the check."""
    from policies import tokens

    protected = {tokens.canonical(r.type) for plan in _example_and_job_plans() for r in plan.resources if r.protect}
    assert {"aws:sqs/queue:Queue", "azure-native:servicebus:Queue"} <= protected
    assert sorted(protected - set(tokens.STATEFUL)) == []


def _calls(text: str) -> list[tuple[str, str, list[str]]]:
    """(module path, class, keyword arguments at the call's top level) of each
    `aws.<module>.<Class>(...)` or `azure_native.<module>.<Class>(...)` a remediation shows."""
    import re

    found = []
    for match in re.finditer(r"\b(aws|azure_native)\.([a-z0-9_]+)\.([A-Z][A-Za-z0-9]*)\(", text):
        depth, i, args, keywords = 1, match.end(), "", []
        while i < len(text) and depth:
            c = text[i]
            depth += c in "([{"
            depth -= c in ")]}"
            if depth == 1 and c == ",":
                keywords.append(args)
                args = ""
            elif depth >= 1:
                args += c if depth == 1 else ""
            i += 1
        keywords.append(args)
        names = [k.split("=")[0].strip() for k in keywords if "=" in k and re.match(r"\s*[a-z_]+\s*=", k)]
        found.append((f"{match[1]}.{match[2]}", match[3], names))
    return found


def test_remediation_code_names_classes_and_arguments_the_installed_sdks_have():
    """A remediation users copy must run: pulumi-aws 7 passes `sse_algorithm` inside a rule, not
    to BucketServerSideEncryptionConfiguration itself (a TypeError), and azure-native's storage
    encryption names its identity `encryption_identity`."""
    import importlib
    import inspect
    import re

    modules = {"aws": "pulumi_aws", "azure_native": "pulumi_azure_native"}
    shown = 0
    for name, rule in RULES.items():
        for module, cls, keywords in _calls(rule.remediation):
            package, sub = module.split(".")
            klass = getattr(importlib.import_module(f"{modules[package]}.{sub}"), cls, None)
            assert klass is not None, (name, module, cls)
            init = klass._internal_init
            accepted = set(inspect.signature(init).parameters) - {"__self__", "resource_name", "opts"}
            # the SDK checks its required inputs when the resource is made: "Missing required property 'x'"
            required = set(re.findall(r"Missing required property '(\w+)'", inspect.getsource(init)))
            assert set(keywords) <= accepted, (name, cls, sorted(set(keywords) - accepted))
            assert required <= set(keywords), (name, cls, "missing", sorted(required - set(keywords)))
            shown += 1
    assert shown >= 5  # the rules that show a call (S3 encryption, Glue catalog, blob service, ...)


def test_every_rule_asking_for_the_mission_key_says_the_spec_field_and_the_config_that_accepts_its_absence():
    """With security.customer_managed_keys: false, eleven violations of eight rules (nine since
    log groups are judged, ten since the Glue catalog's key is) gave only Pulumi code to add a key:
    none named the spec field, or the shipped config that accepts the choice. The config sets
    requireCustomerManagedKey: false on exactly those rules."""
    import json

    config = json.loads((PACK_DIR / "customer-managed-keys-off.config.json").read_text())
    asking = sorted(rule.name for rule in RULES.values() if "requireCustomerManagedKey" in rule.config)
    assert sorted(config) == asking and len(asking) == 10
    assert all(settings == {"requireCustomerManagedKey": False} for settings in config.values())
    for name in asking:
        remediation = RULES[name].remediation
        assert "security.customer_managed_keys: true" in remediation, name
        assert "policies/customer-managed-keys-off.config.json" in remediation, name


def test_the_storage_sku_names_the_pack_config_takes_are_the_provider_s():
    """SKU names are case-sensitive: a config naming `standard_zrs` matched no account and said
    nothing; the config takes only the names of the azure-native provider's SkuName enum."""
    import pulumi_azure_native.storage as storage

    allowed = RULES["azure-storage-redundancy"].config["allowedSkus"]["items"]["enum"]
    assert sorted(allowed) == sorted(sku.value for sku in storage.SkuName)
