"""Run the policy pack over offline plans, exactly over the Analyzer protocol.

`check(spec, clouds)` plans each cloud and analyzes it; `check_plan(plan)`
analyzes a plan you already have (tests edit captured plans to break them).
The pack processes start before planning, so their start-up overlaps it.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ..clouds import CLOUDS
from ..engine import Plan
from ..engine import plan as build_plan
from ..engine.runner import PROJECT, stack_config
from ..outputs import displayable
from ..resources import package_dir
from ..spec import load_spec
from .config import (
    Given,
    LoadedConfig,
    PolicySchema,
    PolicySettings,
    check_against_the_rules,
    load_config_file,
    parse_config,
    reconcile,
)
from .host import PackError, PackProcess, warm_packs
from .wire import Wire

PACK_DIR = package_dir("groundlink.policies")  # the pack runs from its folder, as under the CLI
# Analyze calls in flight at once (`_Session.analyze`): every one of a large stack's at once had
# the pack's server cancel calls; a window keeps most of the overlap a small stack gets.
ANALYZE_WINDOW = 256


@functools.cache
def pack_message_cap() -> int:
    """The largest request a policy pack's server takes, in bytes: pulumi-policy raises its gRPC
    receive limit to this (400 MiB in 1.x), and a stack whose AnalyzeStack request is larger
    fails `pulumi preview --policy-pack` with "Received message larger than max"."""
    from pulumi_policy import policy

    return int(policy._MAX_RPC_MESSAGE_SIZE)


# One stack to check: (project, stack, stack config, plan factory).
Job = tuple[str, str, dict[str, str], Callable[[], Plan]]
SEVERITY_ORDER = ("critical", "high", "medium", "low", "unspecified")


@dataclass
class Violation:
    cloud: str
    policy: str
    enforcement: str
    severity: str
    message: str
    urn: str
    resource_type: str
    resource_name: str
    controls: list[str]
    remediation: str

    @property
    def mandatory(self) -> bool:
        return self.enforcement == "mandatory"


@dataclass
class CloudCheck:
    cloud: str
    stack: str
    resources: int
    violations: list[Violation]
    plan_seconds: float
    analyze_seconds: float
    logs: list[str] = field(default_factory=list)
    preflight: list[str] = field(default_factory=list)  # what the clouds would refuse (groundlink.preflight)
    # what the plan warned of (a spec tag left off a resource that takes fewer, ...): a violation
    # often follows from one, and `check` was the one command that did not say it
    warnings: list[str] = field(default_factory=list)

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.mandatory]


@dataclass
class CheckResult:
    spec: str
    pack: dict[str, Any]
    clouds: list[CloudCheck]
    seconds: float = 0.0

    @property
    def violations(self) -> list[Violation]:
        return [v for c in self.clouds for v in c.violations]

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.mandatory]

    @property
    def preflight(self) -> list[str]:
        return [line for c in self.clouds for line in c.preflight]

    @property
    def passed(self) -> bool:
        """No mandatory violation and nothing the clouds would refuse."""
        return not self.mandatory and not self.preflight

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "pack": self.pack,
            "passed": self.passed,
            "seconds": round(self.seconds, 3),
            "clouds": [
                {
                    **{k: v for k, v in asdict(c).items() if k != "violations"},
                    "mandatory": len(c.mandatory),
                    "violations": [asdict(v) for v in c.violations],
                }
                for c in self.clouds
            ],
        }


def _level_name(pb: ModuleType, value: int) -> str:
    return str(pb.EnforcementLevel.Name(value)).lower()


def _severity_name(pb: ModuleType, value: int) -> str:
    return str(pb.PolicySeverity.Name(value)).replace("POLICY_SEVERITY_", "").lower()


class _Session:
    """One configured pack process analyzing one stack."""

    def __init__(self, process: PackProcess, given: Given | None):
        self.process, self.given = process, given
        self.info: Any = None
        self.settings: dict[str, PolicySettings] = {}

    def configure(self, plan: Plan, config: dict[str, str]) -> None:
        from google.protobuf import empty_pb2, json_format
        from pulumi.runtime.proto import analyzer_pb2 as pb

        stub = self.process.connect()
        self.info = stub.GetAnalyzerInfo(empty_pb2.Empty())
        schemas = [
            PolicySchema(
                p.name,
                _level_name(pb, p.enforcementLevel),
                json_format.MessageToDict(p.configSchema.properties),
                list(p.configSchema.required),
            )
            for p in self.info.policies
        ]
        # the level has no presence on the wire (a proto3 enum): an entry of properties only
        # arrives as ADVISORY, and the CLI applies it so (convertPolicyConfig), as does this
        initial = {
            name: PolicySettings(_level_name(pb, c.enforcementLevel), json_format.MessageToDict(c.properties))
            for name, c in self.info.initialConfig.items()
        }
        self.settings = reconcile(schemas, self.given, initial)
        request = pb.ConfigureAnalyzerRequest()
        for name, settings in self.settings.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = pb.EnforcementLevel.Value(settings.enforcement.upper())
            entry.properties.update(settings.properties)
        stub.Configure(request)
        stub.ConfigureStack(
            pb.AnalyzerStackConfigureRequest(
                stack=plan.stack,
                project=plan.project,
                organization="organization",
                dry_run=True,
                config=displayable(config),  # protobuf strings are UTF-8: a spec path that is not, as U+FFFD
            )
        )

    def analyze(self, plan: Plan, config: dict[str, str]) -> list[Violation]:
        from pulumi.runtime.proto import analyzer_pb2 as pb

        stub = self.process.connect()
        wire = Wire(plan, displayable(config))
        diagnostics = []
        stack_call = None
        # in flight together, as the engine analyzes steps as they run in parallel, but at most
        # ANALYZE_WINDOW at once: with every one of a 500-satellite stack's 4,593 resources in
        # flight, the pack's server cancelled calls (CANCELLED) and the check had no verdict
        in_flight: collections.deque[tuple[Any, str]] = collections.deque()
        try:
            for planned in plan.resources:
                if len(in_flight) == ANALYZE_WINDOW:
                    call, urn = in_flight.popleft()
                    diagnostics += [(d, urn) for d in call.result().diagnostics]
                in_flight.append((stub.Analyze.future(wire.analyze(planned)), planned.urn))
            while in_flight:
                call, urn = in_flight.popleft()
                diagnostics += [(d, urn) for d in call.result().diagnostics]
            # after every resource's Analyze, as the engine calls it "at the end of the update
            # operation": a stack rule may read the inputs the pack saw there (policies/joins.py)
            stack_request = wire.analyze_stack()
            too_large(plan, stack_request.ByteSize())
            stack_call = stub.AnalyzeStack.future(stack_request)
            diagnostics += [(d, d.urn) for d in stack_call.result().diagnostics]
        finally:  # a call that failed leaves the others: cancelled, not left to a warm pack's workers
            for call, _ in in_flight:
                call.cancel()
            if stack_call is not None:
                stack_call.cancel()
        policies = {p.name: p for p in self.info.policies}
        by_urn = {r.urn: r for r in plan.resources}
        violations = []
        for d, urn in diagnostics:
            urn = d.urn or urn
            policy = policies.get(d.policyName)
            message = d.message
            if message.startswith(d.description):
                message = message[len(d.description) :].strip() or d.description
            resource = by_urn.get(urn)
            violations.append(
                Violation(
                    cloud=plan.cloud,
                    policy=d.policyName,
                    enforcement=_level_name(pb, d.enforcementLevel),
                    severity=_severity_name(pb, d.severity),
                    message=message,
                    urn=urn,
                    resource_type=resource.type if resource else "",
                    resource_name=resource.name if resource else "(stack)",
                    controls=list(policy.tags)[1:] if policy else [],
                    remediation=policy.remediation_steps if policy else "",
                )
            )
        violations.sort(key=in_report_order)
        return violations


def too_large(plan: Plan, size: int) -> None:
    """A stack the pack cannot be sent whole is said as such, in numbers, not as the gRPC error
    its server answers (500 satellites of 16 downlinks each, with the most tags validate takes,
    made a 470 MB request)."""
    cap = pack_message_cap()
    if size > cap:
        raise PackError(
            f"the {plan.cloud} stack {plan.stack} is too large for a policy pack: its {len(plan.resources):,} "
            f"resources make an AnalyzeStack request of {size / 2**20:,.1f} MiB, and a pack takes at most "
            f"{cap / 2**20:,.1f} MiB (pulumi-policy's gRPC limit), so `pulumi preview --policy-pack` fails on "
            "it too; split the mission into stacks of fewer satellites or downlinks, or give it fewer tags"
        )


def in_report_order(v: Violation) -> tuple[int, bool, str, str]:
    """Most severe first; within a severity the mandatory ones, which fail the check, before the
    advisory ones; then by rule and resource, so that two runs print the same list."""
    return (SEVERITY_ORDER.index(v.severity), not v.mandatory, v.policy, v.resource_name)


def _given(policy_pack_config: Any) -> Given | None:
    if policy_pack_config is None:
        return None
    if isinstance(policy_pack_config, LoadedConfig):
        return policy_pack_config.given
    if isinstance(policy_pack_config, dict):
        given = parse_config(policy_pack_config)
    else:
        given = load_config_file(policy_pack_config)
    check_against_the_rules(given)
    return given


def pack_version(pack_dir: Path) -> str | None:
    """The CLI takes the version from PulumiPolicy.yaml (the Python SDK always answers 0.0.1)."""
    import yaml

    path = pack_dir / "PulumiPolicy.yaml"
    return str(yaml.safe_load(path.read_text()).get("version")) if path.exists() else None


def _pack_info(session: _Session) -> dict[str, Any]:
    info = session.info
    return {
        "name": info.name,
        "version": pack_version(session.process.pack_dir) or info.version,
        "policies": len(info.policies),
        "config": {n: {"enforcementLevel": s.enforcement, **s.properties} for n, s in session.settings.items()},
    }


def _no_preflight_yet(plan: Plan) -> list[str] | None:
    return None


def _check_all(
    label: str,
    jobs: list[Job],
    given: Given | None,
    pack_dir: Path,
    preflight_of: Callable[[Plan], list[str] | None] = _no_preflight_yet,
    one_process: bool = False,
) -> CheckResult:
    """jobs: (project, stack, stack config, plan factory).

    Every pack process starts before the first plan is built, and a plan is
    analyzed (work done in its pack process) while the next one is planned
    here; all processes are stopped whatever happens. `one_process`: one pack
    process analyzes every stack in turn, configured for each over the Analyzer
    protocol (Configure, ConfigureStack) before its analysis.
    """
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    warm = warm_packs()

    def start_pack(
        stack: contextlib.ExitStack[bool | None], project: str, name: str, config: dict[str, str]
    ) -> PackProcess:
        if warm is not None:  # a warm session owns its processes and stops them when it ends
            return warm.acquire(pack_dir, project, name, config)
        return stack.enter_context(PackProcess(pack_dir, project, name, config).start())

    with contextlib.ExitStack() as stack:
        processes: list[PackProcess] = []
        for project, name, config, _ in jobs:
            shared = one_process and bool(processes)
            processes.append(processes[0] if shared else start_pack(stack, project, name, config))
        sessions = [
            (_Session(process, given), config, make_plan)
            for process, (_, _, config, make_plan) in zip(processes, jobs, strict=True)
        ]
        analyzer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="groundlink-check")
        stack.callback(analyzer.shutdown, wait=True, cancel_futures=True)
        pending = []
        for session, config, make_plan in sessions:
            p = make_plan()
            pending.append(analyzer.submit(_run, session, p, config, p.seconds, preflight_of(p)))
        clouds = [future.result() for future in pending]
        pack = _pack_info(sessions[0][0]) if sessions else {}
    return CheckResult(spec=label, pack=pack, clouds=clouds, seconds=time.perf_counter() - started)


def _run(
    session: _Session, plan: Plan, config: dict[str, str], plan_seconds: float, preflight: list[str] | None = None
) -> CloudCheck:
    """`preflight`: the plan's finding lines when whoever built the plan already checked it."""
    import grpc

    from ..preflight import preflight_planned

    started = time.perf_counter()
    # a warm pack process serves many checks: report only what this one logged
    logs_before, stderr_before = len(session.process.logs), len(session.process.stderr_lines)
    try:
        session.configure(plan, config)
        violations = session.analyze(plan, config)
    except grpc.RpcError as error:  # a rule that raised, or a pack process that died
        details = error.details() if hasattr(error, "details") else str(error)
        raise PackError(
            f"policy pack failed on the {plan.cloud} stack {plan.stack}: {' '.join(str(details).split())}"
        ) from None
    return CloudCheck(
        cloud=plan.cloud,
        stack=plan.stack,
        resources=len(plan.resources),
        violations=violations,
        plan_seconds=plan_seconds,
        analyze_seconds=time.perf_counter() - started,
        logs=[f"{log.severity}: {log.message}" for log in session.process.logs[logs_before:]]
        + [line for line in session.process.stderr_lines[stderr_before:] if line.strip()],
        preflight=preflight if preflight is not None else [finding.line() for finding in preflight_planned(plan)],
        warnings=list(plan.warnings),
    )


def _given_plan(plan: Plan) -> Plan:
    return plan


def check_plans(plans: Iterable[Plan], policy_pack_config: Any = None, pack_dir: Path = PACK_DIR) -> CheckResult:
    """Analyze plans already built (one pack process per stack, as the CLI runs it)."""
    plans = list(plans)
    if not plans:  # nothing analyzed is no pass
        raise PackError("plans: none given, so nothing would be checked")
    specs = {path: load_spec(path) for path in {p.spec for p in plans}}
    jobs: list[Job] = [
        (p.project, p.stack, stack_config(p.spec, p.cloud, specs[p.spec]), functools.partial(_given_plan, p))
        for p in plans
    ]
    return _check_all(plans[0].spec if plans else "", jobs, _given(policy_pack_config), pack_dir)


def check_as_planned(
    spec_path: str | Path,
    clouds: Iterable[str],
    get_plan: Callable[[str], Plan],
    policy_pack_config: Any = None,
    pack_dir: Path = PACK_DIR,
    preflight_of: Callable[[Plan], list[str] | None] = _no_preflight_yet,
    one_process: bool = False,
) -> CheckResult:
    """Analyze plans someone else is building: the pack processes start now, and
    `get_plan(cloud)` blocks until that cloud's plan exists (compare plans in worker
    processes, so the packs' start-up overlaps the planning). `preflight_of(plan)` gives the
    preflight finding lines the builder already has, or None to preflight here.
    `one_process`: one pack process for every stack, each configured in turn (the pack reads
    its stack and configuration from the Analyzer calls only, so its findings are the same)."""
    spec = load_spec(spec_path)
    jobs: list[Job] = [
        (
            PROJECT,
            f"{spec.mission.name}-{cloud}",
            stack_config(spec_path, cloud, spec),
            functools.partial(get_plan, cloud),
        )
        for cloud in clouds
    ]
    return _check_all(str(spec_path), jobs, _given(policy_pack_config), pack_dir, preflight_of, one_process)


def _clouds(clouds: Iterable[str] | str) -> list[str]:
    """The clouds to check: one given as a string is that cloud (as `plan` takes it: iterated, "aws"
    was refused as the cloud 'a'), none is refused (an empty list from a CI variable checked
    nothing and passed)."""
    chosen = [clouds] if isinstance(clouds, str) else list(clouds)
    if not chosen:
        raise PackError(f"clouds: none given, so nothing would be checked; allowed: {', '.join(CLOUDS)}")
    for cloud in chosen:
        if cloud not in CLOUDS:
            raise PackError(f"cloud: {cloud!r} is not allowed; allowed: {', '.join(CLOUDS)}")
    return chosen


def check(
    spec_path: str | Path,
    clouds: Iterable[str] | str = CLOUDS,
    policy_pack_config: Any = None,
    pack_dir: Path = PACK_DIR,
) -> CheckResult:
    """Plan `spec_path` on each cloud offline and run the pack over each plan.

    Raises SpecError (bad spec), PlanError, PackConfigError (bad pack config,
    a UsageError) or PackError.
    """
    spec = load_spec(spec_path)
    clouds = _clouds(clouds)
    jobs: list[Job] = [
        (
            PROJECT,
            f"{spec.mission.name}-{cloud}",
            stack_config(spec_path, cloud, spec),
            functools.partial(build_plan, spec_path, cloud),
        )
        for cloud in clouds
    ]
    return _check_all(str(spec_path), jobs, _given(policy_pack_config), pack_dir)


def timed_check(spec_path: str | Path, clouds: Iterable[str] = CLOUDS) -> dict[str, Any]:
    """Seconds for the offline plan alone and for a full check, for the benchmark."""
    clouds = list(clouds)
    for cloud in clouds:  # warm imports, so neither figure pays for them
        build_plan(spec_path, cloud)
    started = time.perf_counter()
    for cloud in clouds:
        build_plan(spec_path, cloud)
    plan_seconds = time.perf_counter() - started
    result = check(spec_path, clouds)
    return {
        "plan_seconds": plan_seconds,
        "check_seconds": result.seconds,
        "ratio": result.seconds / plan_seconds if plan_seconds else float("inf"),
        "mandatory_violations": len(result.mandatory),
    }
