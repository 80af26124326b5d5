"""A program of one's own that renders a MissionStack is held to the spec's region as
`groundlink.program` is: the check lives in the root components, not only in the program.
A partner mission in eu-north-1 rendered under a us-west-2 stack planned 202 resources
whose endpoints named eu-north-1."""

from __future__ import annotations

import importlib

import pulumi
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS, PROVIDER_REGION_KEYS
from groundlink.engine import PlanError
from groundlink.engine.runner import run_program
from groundlink.spec import load_spec

from .conftest import SPECS

SPEC = load_spec(SPECS / "partner.yaml")
OTHER = {"aws": "us-west-2", "azure": "westus2"}


def _render(cloud: str, config: dict[str, str], explicit_provider: bool = False) -> int:
    blueprint = build_blueprint(SPEC).for_cloud(cloud)
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack

    def program() -> None:
        opts = None
        if explicit_provider:
            provider = (
                pulumi.ProviderResource("aws", "mine", {"region": SPEC.region(cloud)})
                if cloud == "aws"
                else pulumi.ProviderResource("azure-native", "mine", {"location": SPEC.region(cloud)})
            )
            opts = pulumi.ResourceOptions(provider=provider)
        stack(blueprint.mission.name, blueprint, opts)

    registrations, _ = run_program(program, stack=f"mine-{cloud}", region=SPEC.region(cloud), config=config)
    return len(registrations)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_stack_region_other_than_the_specs_is_refused_naming_the_field(cloud):
    assert SPEC.region(cloud) != OTHER[cloud]
    wrong = dict.fromkeys(PROVIDER_REGION_KEYS[cloud], OTHER[cloud])
    field = "clouds.aws.region" if cloud == "aws" else "clouds.azure.location"
    first_key = PROVIDER_REGION_KEYS[cloud][0]
    with pytest.raises(PlanError, match=rf"{first_key}: '{OTHER[cloud]}' differs from the spec's {field}"):
        _render(cloud, wrong)
    with pytest.raises(PlanError, match=rf"{first_key}: not set in the stack config"):
        _render(cloud, {})


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_specs_region_renders(cloud):
    assert _render(cloud, SPEC.provider_config(cloud)) > 20


def test_an_explicit_provider_is_the_callers_to_match():
    # aws:region is the explicit provider's business; the partner-fed stack has no aws-native resource
    assert _render("aws", {}, explicit_provider=True) > 20


def test_an_explicit_provider_exempts_its_own_package_only():
    """A provider of the caller's own exempts its package's region key; a package no resource of
    the stack is of has none to hold (the partner-fed stack's aws-native); a provider of another
    package exempts nothing, and is refused as reaching no resource of the stack."""
    blueprint = build_blueprint(SPEC).for_cloud("aws")
    stack = importlib.import_module("groundlink.components.aws").MissionStack
    wrong_native = {"aws:region": SPEC.region("aws"), "aws-native:region": OTHER["aws"]}
    forms = {
        "list": lambda aws: [aws],
        "dict": lambda aws: {"aws": aws},
        "another package": lambda aws: [pulumi.ProviderResource("random", "other", {})],
    }
    for name, form in forms.items():

        def program(form=form) -> None:
            aws = pulumi.ProviderResource("aws", "mine", {"region": SPEC.region("aws")})
            stack(blueprint.mission.name, blueprint, pulumi.ResourceOptions(providers=form(aws)))

        if name != "another package":
            assert len(run_program(program, stack="mine-aws", region=SPEC.region("aws"), config=wrong_native)[0]) > 20
            continue
        with pytest.raises(PlanError, match=r"the provider given is of package 'random', which no resource of the aws"):
            run_program(program, stack="mine-aws", region=SPEC.region("aws"), config=wrong_native)


def test_a_managed_station_stack_holds_the_stack_config_to_the_spec_s_region_for_aws_native_too():
    """Its AWS Ground Station resources are aws-native's: without providers of the caller's own,
    they deploy in the stack config's `aws-native:region`, which must be the spec's."""
    station = load_spec(SPECS / "noaa20.yaml")
    blueprint = build_blueprint(station).for_cloud("aws")
    stack = importlib.import_module("groundlink.components.aws").MissionStack
    other = "eu-north-1"
    assert station.region("aws") != other

    def program() -> None:
        stack(blueprint.mission.name, blueprint)

    config = {"aws:region": station.region("aws"), "aws-native:region": other}
    with pytest.raises(PlanError, match=rf"aws-native:region: '{other}' differs from the spec's clouds\.aws\.region"):
        run_program(program, stack="mine-aws", region=station.region("aws"), config=config)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_providers_a_parent_component_passes_down_are_the_callers_to_match(cloud):
    """A platform component holding the providers, the mission under it: every resource takes
    the parent's providers, yet the stack config's region was demanded, a setting that reaches
    none of them."""
    blueprint = build_blueprint(SPEC).for_cloud(cloud)
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack
    packages = ("aws", "aws-native") if cloud == "aws" else ("azure-native",)

    def program() -> None:
        key = "region" if cloud == "aws" else "location"
        providers = [pulumi.ProviderResource(p, f"mine-{p}", {key: SPEC.region(cloud)}) for p in packages]
        platform = pulumi.ComponentResource(
            "acme:index:Platform", "platform", None, pulumi.ResourceOptions(providers=providers)
        )
        stack(blueprint.mission.name, blueprint, pulumi.ResourceOptions(parent=platform))

    registrations, _ = run_program(program, stack=f"mine-{cloud}", region=SPEC.region(cloud), config={})
    custom = [r for r in registrations if r["custom"] and not r["type"].startswith("pulumi:providers:")]
    assert len(custom) > 20
    assert all("::mine-" in (r["provider"] or "") for r in custom)
