"""The pack converts each resource's properties once per Analyzer request
(policies/request_memo.py), and reports exactly what the policy SDK reports without it."""

from __future__ import annotations

import copy
import importlib

import pytest
from google.protobuf import json_format
from pulumi_policy import EnforcementLevel, proxy
from pulumi_policy import policy as sdk

from groundlink.check import import_pack
from groundlink.check.wire import Wire
from groundlink.engine import Plan

from .conftest import cached_plan

PACK = import_pack()
request_memo = importlib.import_module(PACK.__name__.rsplit(".", 1)[0] + ".request_memo")
SERVICER = sdk._PolicyAnalyzerServicer


@pytest.fixture
def sdk_restored(monkeypatch):
    """Whatever a test installs into the SDK is undone when it ends."""
    for name in ("Analyze", "AnalyzeStack"):
        monkeypatch.setattr(SERVICER, name, getattr(SERVICER, name))
    for name in ("deserialize_properties", "unknown_checking_proxy"):
        monkeypatch.setattr(sdk, name, getattr(sdk, name))
    monkeypatch.setattr(json_format, "MessageToDict", json_format.MessageToDict)


def _servicer():
    return SERVICER(
        PACK.PACK_NAME, "0.0.1", PACK.policies(), EnforcementLevel.ADVISORY, None, "", None, None, "aws,azure", [], None
    )


def _broken(cloud: str) -> Plan:
    """The noaa20 stack with nothing protected and every bucket and account open: many rules fire."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", cloud).to_json())
    for resource in doc["resources"]:
        resource["protect"] = False
        for bag in (resource["inputs"], resource["outputs"]):
            if resource["type"] == "aws:s3/bucket:Bucket":
                bag["acl"] = "public-read"
            if resource["type"] == "azure-native:storage:StorageAccount":
                bag["minimumTlsVersion"] = "TLS1_0"
    return Plan.from_json(doc)


def _diagnostics(plans: list[Plan]) -> list[tuple[str, str, str, int]]:
    servicer = _servicer()
    found = []
    for plan in plans:
        wire = Wire(plan, {})
        responses = [servicer.Analyze(wire.analyze(r), None) for r in plan.resources]
        responses.append(servicer.AnalyzeStack(wire.analyze_stack(), None))
        for response in responses:
            found += [(d.policyName, d.urn, d.message, d.enforcementLevel) for d in response.diagnostics]
    return found


def _plans() -> list[Plan]:
    """Every resource type of the noaa20 stacks, with rules that pass and rules that fire."""
    return [_broken("aws"), _broken("azure")]


@pytest.mark.usefixtures("sdk_restored")
def test_the_pack_reports_the_same_violations_with_and_without_the_memo(monkeypatch):
    plans = _plans()
    without = _diagnostics(plans)
    request_memo.install()

    def no_writes(self, key, value):
        raise AssertionError(f"a rule wrote {key!r} into a resource's properties, which the memo shares")

    monkeypatch.setattr(proxy._DictProxy, "__setitem__", no_writes)
    with_memo = _diagnostics(plans)
    assert with_memo == without
    assert len(without) > 20  # the broken stacks do break rules


def _count_conversions(monkeypatch) -> list[object]:
    """Every Struct the SDK turns into a dict (once per policy per resource, without the memo)."""
    seen: list[object] = []
    convert = json_format.MessageToDict

    def counting(message, *args, **kwargs):
        seen.append(message)
        return convert(message, *args, **kwargs)

    monkeypatch.setattr(json_format, "MessageToDict", counting)
    return seen


@pytest.mark.usefixtures("sdk_restored")
def test_a_request_converts_each_resource_once_instead_of_once_per_policy(monkeypatch):
    plan = cached_plan("noaa20.yaml", "aws")
    bucket = next(r for r in plan.resources if r.type == "aws:s3/bucket:Bucket")
    wire = Wire(plan, {})
    policies = sum(isinstance(p, sdk.ResourceValidationPolicy) for p in PACK.policies())
    stack_policies = sum(isinstance(p, sdk.StackValidationPolicy) for p in PACK.policies())
    assert policies > 20 and stack_policies > 3

    seen = _count_conversions(monkeypatch)
    _servicer().Analyze(wire.analyze(bucket), None)
    assert len(seen) == 2 * policies  # its properties and its provider's, for every policy

    request_memo.install()
    seen = _count_conversions(monkeypatch)
    request_memo.install()  # a second install wraps the SDK's own functions, not the first install's
    servicer = _servicer()
    servicer.Analyze(wire.analyze(bucket), None)
    assert len(seen) == 2
    servicer.Analyze(wire.analyze(bucket), None)
    assert len(seen) == 4  # a new request converts again: nothing outlives its call
    servicer.AnalyzeStack(wire.analyze_stack(), None)
    assert len(seen) == 4 + 2 * len(plan.resources) - sum(not r.custom for r in plan.resources)


@pytest.mark.usefixtures("sdk_restored")
def test_outside_a_request_every_conversion_is_the_sdks_own():
    request_memo.install()
    struct = json_format.ParseDict({"a": {"b": [1, 2]}}, sdk.struct_pb2.Struct())
    first, second = json_format.MessageToDict(struct), json_format.MessageToDict(struct)
    assert first == second == {"a": {"b": [1.0, 2.0]}} and first is not second
    assert sdk.deserialize_properties(first) is not sdk.deserialize_properties(first)
    assert sdk.deserialize_properties(first, True) is not sdk.deserialize_properties(first, True)
