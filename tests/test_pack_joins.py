"""How the pack joins a resource to the side resources that configure it (policies/joins.py),
matches type tokens (policies/tokens.py) and registers its rules (policies/registry.py). A
wrong join lets a bucket pass on another bucket's public access block."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from groundlink.check import import_pack

PACK = import_pack()
_PACKAGE = PACK.__name__.rsplit(".", 1)[0]
joins = importlib.import_module(f"{_PACKAGE}.joins")
registry = importlib.import_module(f"{_PACKAGE}.registry")
tokens = importlib.import_module(f"{_PACKAGE}.tokens")
UNKNOWN = importlib.import_module(f"{_PACKAGE}.props").UNKNOWN

BUCKET = "aws:s3/bucket:Bucket"
BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"


def res(type_, name, props, deps=(), prop_deps=None):
    return SimpleNamespace(
        resource_type=type_,
        urn=f"urn:{type_}::{name}",
        props=props,
        dependencies=list(deps),
        property_dependencies=prop_deps,
    )


RAW = res(BUCKET, "raw", {"bucket": "raw-1", "id": "raw-id", "arn": "arn:raw"})
LOGS = res(BUCKET, "logs", {"bucket": "logs-1", "id": "logs-id", "arn": "arn:logs"})
KEYS = ("bucket", "id", "arn")


@pytest.mark.parametrize(
    "side, refers",
    [
        (res(BLOCK, "b", {"bucket": "raw-1"}), True),  # by name
        (res(BLOCK, "b", {"bucket": "arn:raw"}), True),  # by ARN
        (res(BLOCK, "b", {"bucket": "logs-1"}), False),
        (res(BLOCK, "b", {"bucket": ""}, deps=(RAW,)), False),  # empty and not unknown: no join
        (res(BLOCK, "b", {"bucket": 7}, deps=(RAW,)), False),
        # unknown in a preview: the property's own dependency decides, whatever the value says
        (res(BLOCK, "b", {"bucket": UNKNOWN}, prop_deps={"bucket": [RAW]}), True),
        # a known value names what the cloud configures, whatever the input was built from
        (res(BLOCK, "b", {"bucket": "raw-1"}, prop_deps={"bucket": [LOGS]}), True),
        (res(BLOCK, "b", {"bucket": "logs-1"}, prop_deps={"bucket": [RAW]}), False),
        (res(BLOCK, "b", {"bucket": UNKNOWN}, prop_deps={"other": [LOGS]}, deps=(RAW,)), True),
        # then the only dependency of the target's type
        (res(BLOCK, "b", {"bucket": UNKNOWN}, deps=(RAW,)), True),
        (res(BLOCK, "b", {}, deps=(RAW,)), True),
        (res(BLOCK, "b", {"bucket": UNKNOWN}, deps=(RAW, LOGS)), False),  # two buckets: ambiguous
        (res(BLOCK, "b", {"bucket": UNKNOWN}, deps=(LOGS,)), False),
        (res(BLOCK, "b", {"bucket": UNKNOWN}), False),
    ],
)
def test_a_side_resource_refers_to_its_bucket(side, refers):
    assert joins.refers_to(side, "bucket", RAW, KEYS) is refers


def test_sides_are_the_joined_resources_of_the_given_types():
    block = res(BLOCK, "b", {"bucket": "raw-1"})
    other = res(BLOCK, "c", {"bucket": "logs-1"})
    policy = res("aws:s3/bucketPolicy:BucketPolicy", "p", {"bucket": "raw-1"})
    everything = [RAW, LOGS, block, other, policy]
    assert joins.sides(everything, (BLOCK,), "bucket", RAW, KEYS) == [block]
    assert joins.of_type(everything, tokens.S3_BUCKET) == [RAW, LOGS]


def test_type_tokens_with_an_api_version_match_their_unversioned_token():
    versioned = "azure-native:storage/v20240101:StorageAccount"
    assert tokens.canonical(versioned) == "azure-native:storage:StorageAccount"
    assert tokens.canonical(BUCKET) == BUCKET
    assert tokens.is_type(versioned, ("azure-native:storage:StorageAccount",))
    assert not tokens.is_type(versioned, (BUCKET,))
    assert tokens.provider_of("aws-native:groundstation:Config") == "aws-native"
    assert tokens.provider_of(versioned) == "azure-native"


META = {
    "area": "test",
    "description": "d",
    "severity": "high",
    "enforcement": "mandatory",
    "controls": ["c1"],
    "remediation": "r",
}


@pytest.fixture
def rules(monkeypatch):
    registered: list = []
    monkeypatch.setattr(registry, "RULES", registered)
    return registered


def test_a_decorated_rule_is_registered_with_its_metadata(rules):
    def rule(args, report):
        return None

    config = {"limit": {"type": "integer", "default": 3}, "free": {"type": "string"}}
    assert registry.resource_rule("one", types=[BUCKET], config=config, **META)(rule) is rule
    registry.stack_rule("two", **META)(rule)
    one, two = rules
    assert (one.name, one.kind, one.types, one.controls, one.fn, one.area) == (
        "one",
        "resource",
        (BUCKET,),
        ("c1",),
        rule,
        "test",
    )
    assert (one.description, one.severity, one.enforcement, one.remediation) == ("d", "high", "mandatory", "r")
    assert one.config == config and one.defaults() == {"limit": 3}
    assert (two.kind, two.types, two.config, two.defaults()) == ("stack", (), {}, {})


@pytest.mark.parametrize(
    "change, message",
    [
        ({"severity": "extreme"}, "one: bad severity 'extreme' or enforcement 'mandatory'"),
        ({"enforcement": "strict"}, "one: bad severity 'high' or enforcement 'strict'"),
    ],
)
def test_a_rule_with_unknown_severity_or_enforcement_is_refused(rules, change, message):
    with pytest.raises(ValueError) as raised:
        registry.resource_rule("one", **{**META, **change})
    assert str(raised.value) == message and rules == []


def test_two_rules_of_one_name_are_refused(rules):
    registry.resource_rule("one", **META)(lambda args, report: None)
    with pytest.raises(ValueError) as raised:
        registry.stack_rule("one", **META)
    assert str(raised.value) == "duplicate rule name one"


CLUSTER = res("azure-native:kusto:Cluster", "cluster", {"id": "/clusters/adx"})
OTHER_CLUSTER = res("azure-native:kusto:Cluster", "other", {"id": "/clusters/other"})
ENDPOINT = "azure-native:network:PrivateEndpoint"


def _to(target_id, groups):
    return {"privateLinkServiceConnections": [{"privateLinkServiceId": target_id, "groupIds": groups}]}


@pytest.mark.parametrize(
    "endpoint, reaches",
    [
        (res(ENDPOINT, "pe", _to("/clusters/adx", ["cluster"])), True),
        (res(ENDPOINT, "pe", _to("/clusters/adx", ["blob"])), False),  # another sub-resource
        (res(ENDPOINT, "pe", _to("/clusters/other", ["cluster"])), False),  # another cluster
        # a preview: the id is unknown, the connections' own dependency names the target
        (res(ENDPOINT, "pe", _to(UNKNOWN, ["cluster"]), prop_deps={"privateLinkServiceConnections": [CLUSTER]}), True),
        (res(ENDPOINT, "pe", _to(UNKNOWN, ["cluster"]), deps=(CLUSTER,)), True),
        (res(ENDPOINT, "pe", _to(UNKNOWN, ["cluster"]), deps=(OTHER_CLUSTER,)), False),
        (res(ENDPOINT, "pe", _to(UNKNOWN, ["blob"]), deps=(CLUSTER,)), False),
        (res(ENDPOINT, "pe", {}), False),
    ],
)
def test_a_private_endpoint_reaches_the_sub_resource_of_its_target(endpoint, reaches):
    assert joins.private_endpoint_reaches(CLUSTER, [endpoint], "cluster") is reaches
