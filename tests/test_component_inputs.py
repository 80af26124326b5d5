"""Hand-built layer inputs and providers from a program of one's own, refused in one line before
the stack registers anything: refused from inside a layer, the protected resources registered
before it (vault, key, account, containers) were created by `pulumi up`, which then failed; and
contradictions between layers planned without a word."""

from __future__ import annotations

import dataclasses
import importlib

import pulumi
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.blueprint.layers import LayerInputError
from groundlink.engine import PlanError
from groundlink.engine.runner import run_program
from groundlink.spec import spec_from_data

from .conftest import spec_data

AZURE = build_blueprint(spec_from_data(spec_data("noaa20.yaml"))).for_cloud("azure")
azure_mission = importlib.import_module("groundlink.components.azure.mission")


def _with(blueprint, layer: str, **changes):
    return dataclasses.replace(blueprint, **{layer: dataclasses.replace(getattr(blueprint, layer), **changes)})


def _refusal(blueprint) -> str:
    with pytest.raises(pulumi.RunError) as caught:
        azure_mission._check_inputs(blueprint)
    return str(caught.value)


def test_the_example_passes_the_checks():
    azure_mission._check_inputs(AZURE)  # no refusal


def test_a_location_without_zone_redundant_storage_is_refused():
    line = _refusal(_with(AZURE, "mission", region="westus"))
    assert line.startswith("MissionInputs.region: 'westus' offers no ZRS storage account, the only kind rendered")
    assert "RedundancyConfigurationNotAvailableInRegion" in line and "westus2" in line


def test_an_archive_step_is_refused_before_the_account_registers():
    lifecycle = dataclasses.replace(AZURE.storage.raw_lifecycle, transitions=((30, "cool"), (90, "archive")))
    assert _refusal(_with(AZURE, "storage", raw_lifecycle=lifecycle)) == (
        "StorageInputs.raw_lifecycle: archive is no tier of a zone-redundant account (ZRS, GZRS, RA-GZRS, the only "
        "kinds rendered); give groundlink.blueprint.tiering.cloud_transitions('azure', ...) of the transitions, "
        "which holds that data in Cold"
    )


@pytest.mark.parametrize("name", ["event-dead-letter", "processing-deployment", "azure-webjobs-hosts", "synapse"])
def test_a_store_container_named_as_one_the_stack_makes_is_refused(name):
    blueprint = dataclasses.replace(  # every layer that names the products container, together
        AZURE,
        **{
            layer: dataclasses.replace(getattr(AZURE, layer), products_container=name)
            for layer in ("storage", "processing", "analytics")
        },
    )
    assert _refusal(blueprint).startswith(
        f"StorageInputs.products_container: {name!r} is a container the stack makes for itself"
    )


def test_hub_units_past_a_standard_namespace_are_refused():
    assert AZURE.ground.telemetry or AZURE.ground.stream
    assert _refusal(_with(AZURE, "ground", hub_units=21)) == (
        "GroundInputs.hub_units: 21 is more than an Event Hubs Standard namespace takes; allowed: 1-20"
    )


def test_premium_messaging_without_the_mission_key_is_refused():
    """The namespaces stayed Standard without a word; the spec refuses the pair."""
    assert _refusal(_with(AZURE, "security", premium_messaging=True, customer_managed_keys=False)) == (
        "SecurityInputs.premium_messaging: needs customer_managed_keys, the key Premium namespaces encrypt with"
    )


def test_the_refusal_reaches_the_program_as_one_line_and_nothing_registers():
    seen: list[str] = []

    def program() -> None:
        try:
            azure_mission.MissionStack("noaa20", _with(AZURE, "ground", hub_units=21))
        except pulumi.RunError as error:
            seen.append(str(error))

    registrations, _ = run_program(
        program, stack="mine-azure", region="westus2", config={"azure-native:location": "westus2"}
    )
    assert seen == ["GroundInputs.hub_units: 21 is more than an Event Hubs Standard namespace takes; allowed: 1-20"]
    assert [r for r in registrations if r["custom"]] == []


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_layers_that_read_one_anothers_names_must_agree(cloud):
    """A raw container renamed in the storage layer alone: the events filtered, and the processor
    read, a container that did not exist."""
    blueprint = build_blueprint(spec_from_data(spec_data("noaa20.yaml"))).for_cloud(cloud)
    with pytest.raises(LayerInputError) as caught:
        _with(blueprint, "storage", raw_container="landing")
    assert str(caught.value) == (
        f"CloudBlueprint.events.raw_container: {blueprint.storage.raw_container!r} disagrees with "
        "storage.raw_container ('landing'); the layers read what one another make: change them together"
    )
    with pytest.raises(
        LayerInputError, match=r"^CloudBlueprint.observability.processing_mode: 'container_job' disagrees"
    ):
        _with(blueprint, "observability", processing_mode="container_job")
    with pytest.raises(
        LayerInputError, match=r"^CloudBlueprint.security.processing: None disagrees with processing.mode"
    ):
        _with(blueprint, "security", processing=None)
    # where the ground segment writes is where the events filter and the catalog reads: a
    # partner granted `landing/` wrote where the rule and the raw table never looked
    with pytest.raises(LayerInputError) as caught:
        _with(blueprint, "ground", partner_prefix="landing/")
    assert str(caught.value) == (
        "CloudBlueprint.events.partner_prefix: 'partner/' disagrees with ground.partner_prefix ('landing/'); the "
        "layers read what one another make: change them together"
    )
    with pytest.raises(LayerInputError, match=r"^CloudBlueprint.analytics.partner_prefix: 'landing/' disagrees"):
        _with(blueprint, "analytics", partner_prefix="landing/")
    with pytest.raises(LayerInputError, match=r"^CloudBlueprint.analytics.raw_prefix: 'contacts/year=.* disagrees"):
        _with(blueprint, "ground", raw_prefix="captures/{config-name}")


@pytest.mark.parametrize(("cloud", "package"), [("azure", "azure"), ("aws", "azure-native"), ("azure", "aws")])
def test_a_provider_of_a_package_the_stack_does_not_use_is_refused(cloud, package):
    """A classic pulumi_azure provider (package `azure`) given for another subscription left every
    resource on the default azure-native provider, the CLI's credentials and subscription."""
    spec = spec_from_data(spec_data("noaa20.yaml"))
    blueprint = build_blueprint(spec).for_cloud(cloud)
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack

    def program() -> None:
        theirs = pulumi.ProviderResource(package, "prod-sub", {})
        stack("noaa20", blueprint, pulumi.ResourceOptions(providers=[theirs]))

    with pytest.raises(PlanError) as caught:
        run_program(program, stack=f"mine-{cloud}", region=spec.region(cloud), config=spec.provider_config(cloud))
    allowed = {"aws": "'aws' or 'aws-native'", "azure": "'azure-native'"}[cloud]
    assert str(caught.value).endswith(
        f"the provider given is of package {package!r}, which no resource of the {cloud} stack uses; pass a provider "
        f"of {allowed}"
    )
