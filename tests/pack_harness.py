"""Run one pack rule over a planned resource or a whole plan, in this process, the way
`groundlink check` runs it: the request is built by the check's own `Wire` (camelCase
inputs, options, provider, property dependencies) and answered by the policy SDK's
analyzer servicer (protobuf Struct round trip, unknown-value proxy, pack config), so a
rule sees exactly what it sees under `groundlink check` or the Pulumi CLI, minus the gRPC
socket and the process start. Each call takes milliseconds.

A change is one dotted path and a value (`DROP` removes the field):

- resource baselines: `configData.s3RecordingConfig.prefix`, `policy.Statement.0.Effect`
  (a JSON policy document held as a string is edited inside and written back);
  `@protect`, `@provider.region` and `@config.<property>` change the resource option,
  the provider input and the rule's pack config;
- stack baselines: `<resource name>/<path>` edits one resource of the plan (a literal value
  carries no property dependency, as in a real program), `<resource name>` with `DROP`
  removes it, `@add:<type>::<name>` with a mapping of inputs adds a custom resource a program
  could write beside the plan's (no dependency: it names what it configures by value),
  `@config.<property>` as above. A value wrapped in `FromOutputs(value, *names)` is set as a
  program sets an input from those resources' outputs: with their property dependency.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from groundlink.check.wire import Wire
from groundlink.engine import Plan, PlannedResource
from groundlink.engine.runner import stack_config
from groundlink.spec import load_spec

from .conftest import DROP, cached_plan, variant_plan
from .policies_support import PACK, RULES

CONFIG = "@config."
PROVIDER = "@provider."
PROTECT = "@protect"
ADD = "@add:"


def _set(node: Any, path: list[str], value: Any) -> Any:
    """`node` with `path` set to `value` (or removed for DROP); JSON text is edited as JSON."""
    if isinstance(node, str):
        return json.dumps(_set(json.loads(node), path, value))
    head, rest = path[0], path[1:]
    key: Any = int(head) if isinstance(node, list) else head
    if not rest:
        if value is DROP:
            del node[key]
        elif isinstance(node, list) and key == len(node):
            node.append(value)
        else:
            node[key] = value
        return node
    node[key] = _set(node[key], rest, value)
    return node


def changed(props: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of `props` with the dotted `path` set to `value`."""
    return _set(copy.deepcopy(props), path.split("."), value)


@functools.cache
def _stack_config_of(spec: str, cloud: str) -> dict[str, str]:
    return stack_config(spec, cloud, load_spec(spec))


def plan_stack_config(plan: Plan) -> dict[str, str]:
    return _stack_config_of(plan.spec, plan.cloud)


def _analyzer(rules: list[Any], config: Mapping[str, Any]) -> _PolicyAnalyzerServicer:
    """The SDK's analyzer for `rules`, each configured as the check configures it (its schema
    defaults under the given properties) at its default enforcement."""
    policies = [PACK.policy_of(rule) for rule in rules]
    servicer = _PolicyAnalyzerServicer(PACK.PACK_NAME, "0.0.0", policies, EnforcementLevel.ADVISORY)
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for rule in rules:
        entry = request.policyConfig[rule.name]
        entry.enforcementLevel = analyzer_pb2.EnforcementLevel.Value(rule.enforcement.upper())
        entry.properties.update({**rule.defaults(), **config})
    servicer.Configure(request, None)
    return servicer


def _servicer(rule_name: str, config: Mapping[str, Any]) -> _PolicyAnalyzerServicer:
    return _analyzer([RULES[rule_name]], config)


def whole_pack() -> _PolicyAnalyzerServicer:
    """Every rule, each at its default enforcement and config, as `groundlink check` runs them."""
    return _analyzer(list(RULES.values()), {})


def findings(response: Any) -> set[tuple[str, str, str]]:
    """(rule, URN, message) of each diagnostic an analyzer answered with."""
    return {(d.policyName, d.urn, d.message) for d in response.diagnostics}


def _violations(response: Any, rule: str) -> list[tuple[str, str]]:
    description = RULES[rule].description
    found = []
    for d in response.diagnostics:
        assert d.policyName == rule
        assert d.message.startswith(description + "\n"), d.message
        found.append((d.message[len(description) + 1 :], d.urn))
    return found


def split_change(change: Mapping[str, Any]) -> tuple[str, Any]:
    assert len(change) == 1, f"a case changes exactly one thing, not {sorted(change)}"
    return next(iter(change.items()))


# --- baselines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A resource of an example spec's plan (a spec variant with `spec_changes`), by name."""

    spec: str
    cloud: str
    name: str
    spec_changes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """A resource no example spec plans, written by hand and analyzed in the `host` plan's
    stack; `why` says why no plan has it."""

    type: str
    name: str
    inputs: Mapping[str, Any]
    why: str
    host: tuple[str, str] = ("noaa20.yaml", "aws")


@dataclass(frozen=True)
class Stack:
    """A whole example plan (a spec variant with `spec_changes`), for stack rules."""

    spec: str
    cloud: str
    spec_changes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Derived:
    """Another baseline with several changes (a passing variant no example plans); `why` says
    what it stands for. Cases then change one thing of it."""

    base: str
    changes: Mapping[str, Any]
    why: str


Baseline = Planned | Written | Stack | Derived


@dataclass(frozen=True)
class State:
    """What a rule is run on: a resource of a plan (or the whole plan when `resource` is None),
    the provider input edits and the rule's pack config."""

    plan: Plan
    resource: PlannedResource | None = None
    provider: tuple[tuple[str, Any], ...] = ()
    config: Mapping[str, Any] = field(default_factory=dict)


# Each entry keeps its baselines alive: an id is unique only while its object lives, and a table
# built for one call and freed could hand its id to the next call's, which then got the first's
# state.
_RESOLVED: dict[tuple[int, str], tuple[Mapping[str, Baseline], State]] = {}


def resolve(baselines: Mapping[str, Baseline], key: str) -> State:
    """The state baseline `key` stands for, built once (states are never edited in place:
    `apply` returns a new one over deep-copied inputs)."""
    memo = (id(baselines), key)
    if memo not in _RESOLVED:
        _RESOLVED[memo] = (baselines, _build(baselines, key))
    return _RESOLVED[memo][1]


def _build(baselines: Mapping[str, Baseline], key: str) -> State:
    base = baselines[key]
    if isinstance(base, Stack):
        if base.spec_changes:
            return State(variant_plan(base.cloud, dict(base.spec_changes), base.spec))
        return State(cached_plan(base.spec, base.cloud))
    if isinstance(base, Planned):
        plan = variant_plan(base.cloud, dict(base.spec_changes), base.spec)
        return State(plan, custom_named(plan, base.name))
    if isinstance(base, Written):
        plan = cached_plan(*base.host)
        urn = f"urn:pulumi:{plan.stack}::{plan.project}::{base.type}::{base.name}"
        resource = PlannedResource(
            urn, base.type, base.name, None, True, copy.deepcopy(dict(base.inputs)), {}, False, False, [], []
        )
        return State(plan, resource)
    state = resolve(baselines, base.base)
    for path, value in base.changes.items():
        state = apply(state, path, value)
    return state


def apply(state: State, path: str, value: Any) -> State:
    """`state` with one thing changed (see the module docstring for the paths)."""
    if path.startswith(CONFIG):
        return dataclasses.replace(state, config={**state.config, path[len(CONFIG) :]: value})
    if state.resource is None:
        return dataclasses.replace(state, plan=changed_plan(state.plan, path, value))
    if path.startswith(PROVIDER):
        return dataclasses.replace(state, provider=(*state.provider, (path[len(PROVIDER) :], value)))
    if path == PROTECT:
        return dataclasses.replace(state, resource=dataclasses.replace(state.resource, protect=value))
    return dataclasses.replace(
        state, resource=dataclasses.replace(state.resource, inputs=changed(state.resource.inputs, path, value))
    )


def run(rule: str, state: State) -> list[Any]:
    """What `rule` reports: messages for a resource, (message, resource name) pairs for a stack."""
    servicer = _servicer(rule, state.config)
    wire = Wire(state.plan, plan_stack_config(state.plan))
    if state.resource is None:
        names = {r.urn: r.name for r in state.plan.resources}
        return [
            (message, names[urn])
            for message, urn in _violations(servicer.AnalyzeStack(wire.analyze_stack(), None), rule)
        ]
    request = wire.analyze(state.resource)
    if state.provider:
        props = json_format.MessageToDict(request.provider.properties)
        for path, value in state.provider:
            props = changed(props, path, value)
        request.provider.properties.Clear()
        request.provider.properties.update(props)
    found = _violations(servicer.Analyze(request, None), rule)
    assert all(urn == "" for _, urn in found), "a resource rule reports on the resource it is given"
    return [message for message, _ in found]


def custom_named(plan: Plan, name: str) -> PlannedResource:
    """The one custom resource called `name` (a component may share its child's name)."""
    found = [r for r in plan.resources if r.custom and r.name == name]
    assert len(found) == 1, f"{len(found)} custom resources named {name} in {plan.stack}"
    return found[0]


@dataclass(frozen=True)
class FromOutputs:
    """An input value a program builds from the outputs of the resources `names` (an ARN in a
    policy, `Output.json_dumps` of them): the engine records their property dependency on it."""

    value: Any
    names: tuple[str, ...]

    def __init__(self, value: Any, *names: str):
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "names", names)


def changed_plan(plan: Plan, path: str, value: Any) -> Plan:
    """A copy of `plan` with one resource edited, removed or added. A value set by hand carries
    no dependency: the edited input loses its property dependencies, and the resource the
    dependencies that only that input gave it."""
    if path.startswith(ADD):
        kind, _, name = path[len(ADD) :].rpartition("::")
        urn = f"urn:pulumi:{plan.stack}::{plan.project}::{kind}::{name}"
        added = PlannedResource(urn, kind, name, None, True, copy.deepcopy(dict(value)), {}, False, False, [], [])
        return dataclasses.replace(plan, resources=[*plan.resources, added])
    name, _, prop = path.partition("/")
    target = custom_named(plan, name)
    resources = list(plan.resources)
    index = resources.index(target)
    if not prop:
        assert value is DROP, "a whole resource can only be removed"
        del resources[index]
        return dataclasses.replace(plan, resources=resources)
    key = prop.split(".")[0]
    kept = {k: v for k, v in target.propertyDependencies.items() if k != key}
    still = {urn for urns in kept.values() for urn in urns}
    lost = set(target.propertyDependencies.get(key, [])) - still
    dependencies = [d for d in target.dependencies if d not in lost]
    if isinstance(value, FromOutputs):
        sources = [custom_named(plan, name).urn for name in value.names]
        kept = {**kept, key: sources}
        dependencies += [urn for urn in sources if urn not in dependencies]
        value = value.value
    resources[index] = dataclasses.replace(
        target,
        inputs=changed(target.inputs, prop, value),
        outputs=changed(target.outputs or target.inputs, prop, value),
        propertyDependencies=kept,
        dependencies=dependencies,
    )
    return dataclasses.replace(plan, resources=resources)
