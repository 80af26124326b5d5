"""Each layer's components register the same output keys on AWS and on Azure: the contract in
groundlink.blueprint.LAYER_OUTPUTS. A component's layer is its class's `LAYER`.

A plan does not hold a component's registered outputs (the SDK sends them without the keys whose
value is None, and the mock monitor drops them), so the keys are read where the components
register them, `MissionComponent.register_outputs`, during a plan; the cached plan of the same
spec says which components there are.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from groundlink.components.base import MissionComponent

from groundlink.blueprint import LAYER_OUTPUT_MEANINGS, LAYER_OUTPUTS
from groundlink.clouds import CLOUDS
from groundlink.engine import Plan, plan

from .conftest import SPECS, cached_plan, spec_data, spec_file, with_changes

# Values that differ from noaa20's: a private network, container jobs, geo-redundant stores.
SWITCHED = {
    "security.network": "private",
    "processing.mode": "container_job",
    "processing.timeout_seconds": 7200,
    "processing.container_image": "ghcr.io/example/groundlink:1.0",
    "storage.redundancy": "geo",
    "clouds.aws.replica_region": "us-east-2",
}
for _cloud in CLOUDS:  # a mission stack imports every component class of its cloud
    importlib.import_module(f"groundlink.components.{_cloud}.mission")


def _component_classes() -> list[type[MissionComponent]]:
    found: list[type[MissionComponent]] = []
    todo = list(MissionComponent.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


LAYER_OF: dict[str, str] = {cls.TOKEN: cls.LAYER for cls in _component_classes() if cls.LAYER is not None}


Registered = dict[tuple[str, str], set[str]]  # (type, name) -> the keys a component registered


def registered_outputs(spec: Path, cloud: str) -> Registered:
    """Plan `spec` on `cloud`, keeping the output keys each component registers (None values too)."""
    registered: Registered = {}
    register = MissionComponent.register_outputs

    def keeping(self: MissionComponent, outputs: Any) -> None:
        registered[(self.TOKEN, self.pulumi_resource_name)] = set(outputs)
        register(self, outputs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MissionComponent, "register_outputs", keeping)
        plan(spec, cloud)
    return registered


def layer_outputs(cached: Plan, registered: Registered) -> dict[str, set[str]]:
    """Layer -> the output keys its components in the plan registered."""
    layers: dict[str, set[str]] = {}
    for resource in cached.resources:
        if not resource.custom and resource.type in LAYER_OF:
            keys = registered[(resource.type, resource.name)]  # every component registers its outputs
            layers.setdefault(LAYER_OF[resource.type], set()).update(keys)
    return layers


CONTRACT = {layer: set(keys) for layer, keys in LAYER_OUTPUTS.items()}


def test_every_layer_has_a_component_on_each_cloud() -> None:
    for cloud in CLOUDS:
        layers = {
            cls.LAYER
            for cls in _component_classes()
            if cls.LAYER is not None and cls.__module__.split(".")[-2] == cloud
        }
        assert layers == set(LAYER_OUTPUTS), cloud


def test_every_key_has_a_meaning() -> None:
    for layer, keys in LAYER_OUTPUTS.items():
        assert keys and len(set(keys)) == len(keys), layer
        assert all(LAYER_OUTPUT_MEANINGS[layer][key].strip() for key in keys), layer


@pytest.mark.parametrize("cloud", CLOUDS)
def test_noaa20_layers_register_the_contract(cloud: str) -> None:
    registered = registered_outputs(SPECS / "noaa20.yaml", cloud)
    assert layer_outputs(cached_plan("noaa20.yaml", cloud), registered) == CONTRACT


@pytest.mark.parametrize("cloud", CLOUDS)
def test_switched_values_keep_the_contract(cloud: str) -> None:
    """A private network, container jobs and geo redundancy fill other keys and bring in the
    network and replica components: the keys stay the contract."""
    spec = spec_file(with_changes(spec_data(), SWITCHED))
    registered = registered_outputs(spec, cloud)
    assert layer_outputs(cached_plan(spec, cloud), registered) == CONTRACT
    network = "AwsNetwork" if cloud == "aws" else "AzurePrivateNetwork"
    assert any(kind == f"groundlink:index:{network}" for kind, _ in registered)


def test_a_layer_component_registers_only_its_layer_keys() -> None:
    """A layer component cannot register a key outside its layer's contract."""

    class Stray(MissionComponent):
        LAYER = "events"

    stray = Stray.__new__(Stray)
    with pytest.raises(ValueError, match=r"registers \['queue_id'\], not events outputs"):
        stray.register_outputs({"event_queue": None, "queue_id": None})


def test_the_container_jobs_own_vpc_is_not_offered_as_the_mission_network() -> None:
    """`network_id` is the network a consumer joins to reach the mission privately: with a public
    mission there is none on either cloud. The container jobs' own VPC registered itself as one on
    AWS, where Azure's processor VNet registers nothing."""
    changes = {key: value for key, value in SWITCHED.items() if key.startswith("processing.")}
    spec = spec_file(with_changes(spec_data(), changes))
    values: dict[str, dict[str, Any]] = {}
    register = MissionComponent.register_outputs

    def keeping(self: MissionComponent, outputs: Any) -> None:
        values[self.pulumi_resource_name] = dict(outputs)
        register(self, outputs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MissionComponent, "register_outputs", keeping)
        plan(spec, "aws")
    assert values["noaa20-processing-network"] == {}
    assert values["noaa20-security"]["network_id"] is None and values["noaa20-security"]["subnet_id"] is None


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_program_reads_every_layer_key_from_the_mission_stack(cloud: str) -> None:
    """The root kept its layers in local names: the network a consumer joins, the dead-letter
    queue, the function or job and the budget were reachable only through the SDK's private
    child list. Its `layer_outputs` holds every layer's keys, the same on both clouds."""
    import pulumi

    from groundlink.blueprint import build_blueprint
    from groundlink.engine.runner import run_program
    from groundlink.spec import spec_from_data

    spec = spec_from_data(with_changes(spec_data(), SWITCHED))
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack

    def program() -> None:
        root = stack(spec.mission.name, build_blueprint(spec).for_cloud(cloud))
        pulumi.export("layers", root.layer_outputs)

    _, outputs = run_program(
        program, stack=f"mine-{cloud}", region=spec.region(cloud), config=spec.provider_config(cloud)
    )
    layers = outputs["layers"]
    assert set(layers) == {key for keys in LAYER_OUTPUTS.values() for key in keys}
    unset = {"function"} | ({"log_workspace"} if cloud == "aws" else set())  # container jobs; AWS has no log store
    assert sorted(key for key, value in layers.items() if value is None) == sorted(unset)
    assert all(value for key, value in layers.items() if key not in unset)
