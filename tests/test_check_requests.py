"""What a policy pack receives from `groundlink check`, and what the check makes of its answers.

The pack process reads the Analyzer requests this process builds, so tests that look only at the
violations coming back miss a request that lost a field no rule of this pack reads (a resource's
name, its provider's type): a pack of someone else's may read them, as under `pulumi preview`.
Here the pack's analyzer (the policy SDK's own servicer, over a real gRPC socket) runs in this
process with probe policies that record what they were given and report what the test asks for.
Each test takes a few hundred milliseconds: no pack process, no new plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any, ClassVar

import grpc
import pytest
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import (
    EnforcementLevel,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
)
from pulumi_policy.policy import _PolicyAnalyzerServicer

from groundlink.check import PACK_DIR, check_as_planned, check_plans, import_pack
from groundlink.check import runner as check_runner
from groundlink.engine import Plan

from .conftest import SPECS, cached_plan

NOAA20 = SPECS / "noaa20.yaml"


class _Recording(analyzer_pb2_grpc.AnalyzerServicer):
    """The SDK's servicer, counting the analysis requests in flight."""

    def __init__(self, inner: _PolicyAnalyzerServicer, pack: InProcessPack) -> None:
        self.inner, self.pack = inner, pack

    def GetAnalyzerInfo(self, request: Any, context: Any) -> Any:
        return self.inner.GetAnalyzerInfo(request, context)

    def Configure(self, request: Any, context: Any) -> Any:
        return self.inner.Configure(request, context)

    def ConfigureStack(self, request: Any, context: Any) -> Any:
        return self.inner.ConfigureStack(request, context)

    def _counted(self, call: Callable[[Any, Any], Any], request: Any, context: Any) -> Any:
        with self.pack.lock:
            self.pack.in_flight += 1
        try:
            return call(request, context)
        finally:
            with self.pack.lock:
                self.pack.in_flight -= 1

    def Analyze(self, request: Any, context: Any) -> Any:
        return self._counted(self.inner.Analyze, request, context)

    def AnalyzeStack(self, request: Any, context: Any) -> Any:
        return self._counted(self.inner.AnalyzeStack, request, context)


class InProcessPack:
    """Stands in for `PackProcess`: the same calls, the analyzer served from this process."""

    policies: ClassVar[list[Any]] = []
    started: ClassVar[list[InProcessPack]] = []

    def __init__(self, pack_dir: Path, project: str, stack: str, config: dict[str, str] | None = None) -> None:
        self.pack_dir, self.project, self.stack = pack_dir, project, stack
        self.stderr_lines: list[str] = []
        self.logs: list[Any] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.in_flight_at_stop: int | None = None
        servicer = _PolicyAnalyzerServicer("probe", "0.0.1", self.policies, EnforcementLevel.ADVISORY)
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        analyzer_pb2_grpc.add_AnalyzerServicer_to_server(_Recording(servicer, self), self._server)
        self._port = self._server.add_insecure_port("127.0.0.1:0")
        self._channel: Any = None
        self._stopped: threading.Event | None = None
        InProcessPack.started.append(self)

    def start(self) -> InProcessPack:
        self._server.start()
        return self

    def connect(self) -> analyzer_pb2_grpc.AnalyzerStub:
        if self._channel is None:
            self._channel = grpc.insecure_channel(f"127.0.0.1:{self._port}")
        return analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def stop(self) -> None:
        if self._stopped is None:
            with self.lock:
                self.in_flight_at_stop = self.in_flight
            self._stopped = self._server.stop(grace=5)  # lets a call under way finish, as a pack would

    def wait_stopped(self) -> None:
        assert self._stopped is not None and self._stopped.wait(10)
        if self._channel is not None:
            self._channel.close()

    def __enter__(self) -> InProcessPack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def probe_pack(monkeypatch: pytest.MonkeyPatch, own_pack_processes: None) -> Iterator[Callable[..., None]]:
    """`probe_pack(*policies)`: the check's pack processes become in-process packs of those policies."""

    def use(*policies: Any) -> None:
        monkeypatch.setattr(InProcessPack, "policies", list(policies))

    monkeypatch.setattr(InProcessPack, "started", [])
    monkeypatch.setattr(check_runner, "PackProcess", InProcessPack)
    yield use
    for pack in InProcessPack.started:
        pack.stop()
        pack.wait_stopped()


def _resource_probe(seen: dict[str, Any]) -> ResourceValidationPolicy:
    def validate(args: Any, report: Any) -> None:
        provider = args.provider
        seen[args.urn] = {
            "type": args.resource_type,
            "name": args.name,
            "protect": args.opts.protect,
            "parent": args.opts.parent,
            "provider": None
            if provider is None
            else (provider.resource_type, provider.name, provider.urn, dict(provider.props)),
        }

    return ResourceValidationPolicy(
        name="probe-resource", description="Records each resource.", validate=validate, severity=Severity.LOW
    )


def _stack_probe(seen: dict[str, Any], report_on: Callable[[Any], list[tuple[str, str | None]]]) -> Any:
    def validate(args: Any, report: Any) -> None:
        for r in args.resources:
            seen[r.urn] = {
                "type": r.resource_type,
                "name": r.name,
                "parent": r.parent.urn if r.parent else None,
                "dependencies": sorted(d.urn for d in r.dependencies),
                "propertyDependencies": {k: sorted(d.urn for d in v) for k, v in r.property_dependencies.items()},
                "provider": None if r.provider is None else r.provider.resource_type,
            }
        for message, urn in report_on(args):
            report(message, urn)

    return StackValidationPolicy(
        name="probe-stack",
        description="Reports what the test asks for.",
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
        severity=Severity.HIGH,
    )


def test_every_resource_reaches_a_rule_with_its_name_type_options_and_default_provider(probe_pack):
    plan = cached_plan("noaa20.yaml", "aws")
    seen: dict[str, Any] = {}
    probe_pack(_resource_probe(seen))
    result = check_plans([plan])
    assert result.violations == []
    custom = [r for r in plan.resources if r.custom]
    assert len(custom) > 50
    assert set(seen) == {r.urn for r in plan.resources}  # components too, as the engine sends them
    for r in custom:
        package = r.type.split(":", 1)[0]
        assert package in ("aws", "aws-native", "random", "tls", "archive"), r.type
        provider_type = f"pulumi:providers:{package}"
        region = {"region": "us-west-2"} if package in ("aws", "aws-native") else {}
        assert seen[r.urn] == {
            "type": r.type,
            "name": r.name,
            "protect": r.protect,
            "parent": r.parent,
            "provider": (
                provider_type,
                "default",
                f"urn:pulumi:noaa20-aws::groundlink::{provider_type}::default",
                region,
            ),
        }, r.urn
    # what a rule sees of the reference stack, spelled out for one protected bucket
    raw = next(r for r in custom if r.name == "noaa20-storage-raw" and r.type == "aws:s3/bucket:Bucket")
    assert seen[raw.urn]["name"] == "noaa20-storage-raw" and seen[raw.urn]["protect"] is True
    assert seen[raw.urn]["provider"][:2] == ("pulumi:providers:aws", "default")


def test_the_stack_rule_sees_each_resource_with_its_parent_dependencies_and_provider(probe_pack):
    plan = cached_plan("noaa20.yaml", "aws")
    seen: dict[str, Any] = {}
    probe_pack(_stack_probe(seen, lambda args: []))
    check_plans([plan])
    assert set(seen) == {r.urn for r in plan.resources}
    logging = plan.one("aws:s3/bucketLogging:BucketLogging", "noaa20-storage-raw-access-logs")
    raw = plan.one("aws:s3/bucket:Bucket", "noaa20-storage-raw")
    logs = plan.one("aws:s3/bucket:Bucket", "noaa20-storage-logs")
    got = seen[logging.urn]
    assert got["name"] == "noaa20-storage-raw-access-logs"
    assert got["type"] == "aws:s3/bucketLogging:BucketLogging"
    assert got["parent"] == logging.parent and logging.parent
    assert got["propertyDependencies"]["bucket"] == [raw.urn]
    assert got["propertyDependencies"]["targetBucket"] == [logs.urn]
    assert {raw.urn, logs.urn} <= set(got["dependencies"])
    assert got["provider"] == "pulumi:providers:aws"


def test_a_finding_on_the_stack_itself_is_named_stack_and_one_on_a_resource_names_it(probe_pack):
    plan = cached_plan("noaa20.yaml", "aws")
    raw = plan.one("aws:s3/bucket:Bucket", "noaa20-storage-raw")
    probe_pack(_stack_probe({}, lambda args: [("no budget alarm in this stack", None), ("raw is too open", raw.urn)]))
    result = check_plans([plan])
    found = {(v.resource_name, v.resource_type, v.urn, v.message, v.enforcement, v.severity) for v in result.violations}
    assert found == {
        ("(stack)", "", "", "no budget alarm in this stack", "mandatory", "high"),
        ("noaa20-storage-raw", "aws:s3/bucket:Bucket", raw.urn, "raw is too open", "mandatory", "high"),
    }
    assert not result.passed


def test_when_planning_a_later_stack_fails_the_analysis_under_way_ends_before_its_pack_stops(probe_pack):
    """The failure propagates only after the stack already being analyzed is done: nothing of
    the check keeps running, or talks to a stopped pack, once `check` has raised."""
    answered = threading.Event()

    def slow(args: Any, report: Any) -> None:
        time.sleep(0.3)  # the aws stack is still being analyzed when the azure plan fails
        answered.set()

    probe_pack(StackValidationPolicy(name="probe-slow", description="Takes its time.", validate=slow))
    aws = cached_plan("noaa20.yaml", "aws")

    def get_plan(cloud: str) -> Plan:
        if cloud == "azure":
            raise RuntimeError("the azure plan failed")
        return aws

    with pytest.raises(RuntimeError, match="the azure plan failed"):
        check_as_planned(NOAA20, ["aws", "azure"], get_plan, preflight_of=lambda plan: [])
    assert answered.is_set()
    assert [t.name for t in threading.enumerate() if t.name.startswith("groundlink-check")] == []
    assert [p.in_flight_at_stop for p in InProcessPack.started] == [0, 0]


def test_import_pack_loads_the_pack_the_check_runs():
    pack = import_pack(PACK_DIR)
    assert pack.PACK_NAME == "groundlink"
    names = {policy.name for policy in pack.policies()}
    assert {"aws-s3-no-public-acl", "aws-s3-access-logging", "allowed-regions"} <= names
    assert import_pack() is pack  # loaded once per process, whichever way it is asked for


def test_a_stack_too_large_for_the_packs_server_is_refused_in_numbers_before_it_is_sent(probe_pack, monkeypatch):
    """pulumi-policy's server takes requests of at most 400 MiB; a larger stack is said as such
    (its size, the cap, what to do), never sent for the server to answer "larger than max"."""
    from groundlink.check.host import PackError

    plan = cached_plan("noaa20.yaml", "aws")
    seen: dict[str, Any] = {}
    probe_pack(_stack_probe(seen, lambda args: []))
    sizes: list[int] = []
    measure = check_runner.too_large
    monkeypatch.setattr(check_runner, "too_large", lambda plan, size: sizes.append(size) or measure(plan, size))
    check_plans([plan])
    assert len(sizes) == 1 and 50_000 < sizes[0] < 5_000_000  # the request as sent, for 103 resources
    size, seen = sizes[0], {}
    probe_pack(_stack_probe(seen, lambda args: []))
    monkeypatch.setattr(check_runner, "pack_message_cap", lambda: size - 1)
    with pytest.raises(PackError) as refused:
        check_plans([plan])
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("the aws stack noaa20-aws is too large for a policy pack: its ")
    assert f"{len(plan.resources):,} resources make an AnalyzeStack request of" in message
    assert (
        f"request of {size / 2**20:,.1f} MiB, and a pack takes at most {(size - 1) / 2**20:,.1f} MiB (pulumi-policy's gRPC limit)"
        in message
    )
    assert "split the mission into stacks of fewer satellites or downlinks, or give it fewer tags" in message
    assert seen == {}  # the stack rule was never run
    monkeypatch.setattr(check_runner, "pack_message_cap", lambda: size)  # at the cap: sent
    assert check_plans([plan]).violations == []
    assert set(seen) == {r.urn for r in plan.resources}


def test_the_cap_is_the_installed_policy_sdks_400_mib():
    assert check_runner.pack_message_cap() == 400 * 1024 * 1024


def test_a_violation_reported_without_a_message_reads_as_the_rule_s_description(probe_pack):
    """A rule that reports no message of its own (report("")): the pack sends its description
    alone, and the check listed the violation with an empty message, saying nothing of what failed."""
    probe_pack(_stack_probe({}, lambda args: [("", None)]))
    result = check_plans([cached_plan("noaa20.yaml", "aws")])
    assert [(v.policy, v.message) for v in result.violations] == [("probe-stack", "Reports what the test asks for.")]
