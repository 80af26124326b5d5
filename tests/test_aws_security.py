"""AWS security: the CMK, least-privilege IAM, confused-deputy guards, tags, network defaults."""

from __future__ import annotations

import importlib
import inspect
import json
import keyword
import re
from functools import cache

import pytest

from .aws_support import (
    ACCOUNT,
    COMPONENT,
    KEY,
    ROLE,
    ROLE_POLICY,
    as_list,
    aws,
    aws_data,
    aws_variant,
    doc,
    sid,
    spec_data,
    statements,
)

PLANS = {
    "noaa20": lambda: aws(),
    "partner": lambda: aws("partner.yaml"),
    "constellation": lambda: aws("constellation.yaml"),
    "stream": lambda: aws_variant("stream"),
    "wideband": lambda: aws_variant("stream-only-wideband"),
    "private": lambda: aws_variant("private"),
    "no-cmk": lambda: aws_variant("no-cmk"),
}
REQUIRED_TAGS = {"mission", "owner", "data-classification"}
# Resource inputs that hold policy documents, by where they sit.
POLICY_INPUTS = {
    "aws:kms/key:Key": "policy",
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
}


def all_plans():
    return pytest.mark.parametrize("name", sorted(PLANS))


@cache
def taggable(type_token: str) -> bool:
    """Whether the provider SDK accepts `tags` for this resource type."""
    package, module, cls = type_token.split(":")
    sdk = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native"}[package]
    name = module.split("/")[0]
    name += "_" if keyword.iskeyword(name) else ""  # the SDK's module for `lambda` is `lambda_`
    args = getattr(importlib.import_module(f"{sdk}.{name}"), f"{cls}Args")
    return "tags" in inspect.signature(args.__init__).parameters


def tag_map(tags) -> dict[str, str]:
    return {t["key"]: t["value"] for t in tags} if isinstance(tags, list) else tags


class TestKey:
    def test_rotated_with_an_explicit_policy_without_a_wildcard_principal(self):
        key = aws().one(KEY)
        assert key.inputs["enableKeyRotation"] is True and key.inputs["deletionWindowInDays"] == 30
        policy = doc(key)
        assert sid(policy, "AccountAdministers")["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
        assert statements(policy)
        for statement in statements(policy):
            assert statement["Principal"] != "*" and "*" not in as_list(statement["Principal"].get("AWS", []))

    def test_services_may_use_the_key_only_for_this_account(self):
        policy = doc(aws().one(KEY))
        services = [s for s in statements(policy) if "Service" in s["Principal"]]
        assert {s["Principal"]["Service"] for s in services} == {
            "events.amazonaws.com",
            "cloudwatch.amazonaws.com",
            "logs.us-west-2.amazonaws.com",
        }
        for statement in services:
            condition = json.dumps(statement["Condition"])
            assert ACCOUNT in condition

    def test_key_is_protected_and_exported(self):
        plan = aws()
        key = plan.one(KEY)
        assert key.protect and key.retainOnDelete
        assert plan.outputs["key_ids"] == [key.outputs["arn"]]

    def test_without_cmk_there_is_no_key_and_no_key_ids(self):
        plan = aws_variant("no-cmk")
        assert not plan.of_type(KEY) and "key_ids" not in plan.outputs
        assert plan.realizing("security.cmk") == []


# X-Ray authorizes its trace uploads only on "*" (docs/facts.md §10).
TRACE_UPLOADS = {"xray:PutTelemetryRecords", "xray:PutTraceSegments"}


@all_plans()
def test_no_iam_statement_allows_everything(name):
    plan = PLANS[name]()
    found = [(policy, statement) for policy in plan.of_type(ROLE_POLICY) for statement in statements(doc(policy))]
    assert found
    for policy, statement in found:
        actions, resources = as_list(statement["Action"]), as_list(statement["Resource"])
        assert "*" not in actions and not any(a.endswith(":*") for a in actions), (policy.name, statement)
        # only actions AWS cannot scope to a resource: network interfaces, X-Ray uploads
        unscoped = all(a.startswith("ec2:") or a in TRACE_UPLOADS for a in actions)
        assert "*" not in resources or unscoped, (policy.name, statement)


@all_plans()
def test_service_roles_are_guarded_against_confused_deputies(name):
    plan = PLANS[name]()
    trusts = [
        (role, trust)
        for role in plan.of_type(ROLE)
        for trust in statements(doc(role, "assumeRolePolicy"))
        if "Service" in trust["Principal"]
    ]
    assert trusts
    for role, trust in trusts:
        assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT, role.name


@all_plans()
def test_service_grants_in_resource_policies_are_conditioned(name):
    plan = PLANS[name]()
    grants = [
        (resource, statement)
        for token, key in POLICY_INPUTS.items()
        for resource in plan.of_type(token)
        for statement in statements(doc(resource, key))
        if statement["Effect"] == "Allow"
    ]
    assert grants
    for resource, statement in grants:
        assert statement["Principal"] != "*", (resource.name, statement)
        assert "Service" not in statement["Principal"] or statement.get("Condition"), (resource.name, statement)


@all_plans()
def test_every_taggable_resource_carries_the_mission_tags(name):
    plan = PLANS[name]()
    checked = 0
    for resource in plan.custom():
        if taggable(resource.type):
            tags = tag_map(resource.inputs.get("tags") or {})
            assert set(tags) >= REQUIRED_TAGS, (resource.type, resource.name)
            assert tags["mission"] == plan.outputs["mission"]
            checked += 1
    assert checked > 20


@all_plans()
def test_the_only_lambda_is_the_contact_processor_on_a_runtime_aws_still_creates(name):
    """The one function is the contact processor; its runtime is one botocore's Lambda model
    lists and not one AWS stopped creating (python3.8/3.9 since 2026-06-01, docs/facts.md)."""
    import botocore.session

    plan = PLANS[name]()
    functions = plan.of_type("aws:lambda/function:Function")
    if name == "wideband":  # stream only: no contact lands as objects, so none is processed
        assert functions == []
        return
    (function,) = functions
    assert function.name.endswith("-processing-function")
    runtimes = botocore.session.get_session().get_service_model("lambda").shape_for("Runtime").enum
    assert function.inputs["runtime"] in runtimes and function.inputs["runtime"] in ("python3.11", "python3.12")


class TestNetwork:
    def test_default_security_group_is_emptied_and_the_subnet_is_private(self):
        plan = aws_variant("stream")
        default = plan.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
        assert not default.inputs.get("ingress") and not default.inputs.get("egress")
        assert plan.one("aws:ec2/subnet:Subnet").inputs["mapPublicIpOnLaunch"] is False

    def test_stream_ports_are_open_only_between_endpoint_and_receiver(self):
        plan = aws_variant("stream")
        groups = {g.outputs["id"]: g.name for g in plan.of_type("aws:ec2/securityGroup:SecurityGroup")}
        egress = plan.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs
        ingress = plan.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs
        assert groups[egress["securityGroupId"]].endswith("endpoint-sg")
        assert groups[egress["referencedSecurityGroupId"]].endswith("receiver-sg")
        assert groups[ingress["securityGroupId"]].endswith("receiver-sg")
        assert (ingress["ipProtocol"], ingress["fromPort"], ingress["toPort"]) == ("udp", 55888, 55888)
        assert "cidrIpv4" not in ingress and "cidrIpv4" not in egress

    @pytest.mark.parametrize(
        "variant, capabilities", [("stream", {"ground.stream_delivery"}), ("private", {"security.private_network"})]
    )
    def test_every_network_resource_realizes_what_the_network_is_for(self, variant, capabilities):
        plan = aws_variant(variant)
        network = plan.one(COMPONENT.format("AwsNetwork"))
        children = [r for r in plan.resources if r.parent == network.urn]
        assert len(children) >= 5
        for resource in children:
            assert capabilities <= set(resource.capability or ()), resource.name

    def test_partner_streams_get_no_vpc(self, tmp_path):
        """A partner streams to a Kinesis stream over the AWS API: a VPC would serve nothing."""
        data = spec_data("partner.yaml")
        data.update(delivery={"object_store": True, "stream": True}, security={"network": "public"})
        plan = aws_data(tmp_path, data)
        assert "ground.stream_delivery" not in plan.gaps and plan.realizing("ground.stream_delivery")
        assert not [r for r in plan.resources if r.type.startswith("aws:ec2/")]


def _snake_keys(value, path=""):
    """Nested keys the SDK did not translate to wire names: a misspelt property the provider would ignore.
    User maps (tags, Glue table parameters, key-value dimensions) and a function archive's file names are excluded."""
    if isinstance(value, dict):
        for key, item in value.items():
            if re.search(r"[a-z]_[a-z]", key) and not path.endswith(("tags", "parameters", "dimensions", ".code")):
                yield f"{path}.{key}"
            yield from _snake_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _snake_keys(item, path + "[]")


@all_plans()
def test_every_input_reaches_the_provider_under_its_wire_name(name):
    plan = PLANS[name]()
    assert [k for r in plan.custom() for k in _snake_keys(r.inputs, r.name)] == []
