"""A program of one's own that renders a MissionStack with resource options of its own: what
Pulumi users expect of a component's options holds for its children."""

from __future__ import annotations

import importlib

import pulumi
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.engine.runner import run_program
from groundlink.spec import spec_from_data

from .conftest import SPECS, cached_plan, spec_data
from .test_protection_sets import SETTING_TYPES


def _registrations(cloud: str, data_protection: str, opts: pulumi.ResourceOptions) -> list[dict]:
    data = spec_data("noaa20.yaml")
    data["storage"]["data_protection"] = data_protection
    spec = spec_from_data(data)
    blueprint = build_blueprint(spec).for_cloud(cloud)
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack

    def program() -> None:
        stack(blueprint.mission.name, blueprint, opts)

    registrations, _ = run_program(
        program, stack=f"mine-{cloud}", region=spec.region(cloud), config=spec.provider_config(cloud)
    )
    return [r for r in registrations if r["custom"] and not r["type"].startswith("pulumi:providers:")]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_protect_given_to_the_mission_reaches_every_store_when_the_spec_does_not_protect(cloud):
    """Under `data_protection: dev` a store's protect was set False, over the True a program gave
    the mission: every role kept it, and the buckets, keys and queues alone lost it."""
    resources = _registrations(cloud, "dev", pulumi.ResourceOptions(protect=True))
    assert len(resources) > 30
    assert [r["name"] for r in resources if not r["protect"]] == []


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_strict_spec_protects_and_retains_its_stores_whatever_the_program_gives(cloud):
    resources = _registrations(cloud, "strict", pulumi.ResourceOptions(protect=False))
    stores = [r for r in resources if r["retainOnDelete"] and r["type"] not in SETTING_TYPES[cloud]]
    assert len(stores) > 5 and all(r["protect"] for r in stores)


def _geo_spec():
    data = spec_data("noaa20.yaml")
    data["storage"]["redundancy"] = "geo"
    data["clouds"]["aws"]["replica_region"] = "us-east-1"
    return spec_from_data(data)


def _geo_registrations(replica: bool) -> list[dict]:
    import pulumi_aws as aws
    import pulumi_aws_native as aws_native
    from groundlink.components.aws import MissionStack

    spec = _geo_spec()
    blueprint = build_blueprint(spec).for_cloud("aws")

    def program() -> None:
        mine = aws.Provider("prod-account", region="us-west-2", allowed_account_ids=["999999999999"])
        native = aws_native.Provider("prod-account-native", region="us-west-2")
        theirs = aws.Provider("prod-account-east", region="us-east-1", allowed_account_ids=["999999999999"])
        MissionStack(
            "noaa20",
            blueprint,
            pulumi.ResourceOptions(providers=[mine, native]),
            replica_provider=theirs if replica else None,
        )

    registrations, _ = run_program(program, stack="mine-aws", region="us-west-2", config=spec.provider_config("aws"))
    return registrations


def test_a_provider_given_to_a_geo_stack_without_the_replica_regions_is_refused_in_one_line():
    """The replica's provider was built from the stack config: with a provider of the program's
    own (another account, assumed roles, allowed accounts), 25 replica resources went to the
    ambient account without its guards."""
    from groundlink.engine import PlanError

    with pytest.raises(PlanError) as caught:
        _geo_registrations(replica=False)
    assert "storage.redundancy: geo: the aws provider given to the stack does not reach us-east-1" in str(caught.value)
    assert "replica_provider=aws.Provider(..., region='us-east-1')" in str(caught.value)


def test_the_replica_provider_given_deploys_every_replica_resource():
    registrations = _geo_registrations(replica=True)
    providers = {r["provider"].split("::")[-2] for r in registrations if r["custom"] and r["provider"]}
    assert providers == {"prod-account", "prod-account-native", "prod-account-east"}
    native = [r for r in registrations if r["custom"] and r["type"].startswith("aws-native:")]
    assert native and all("::prod-account-native::" in r["provider"] for r in native)
    east = [r["name"] for r in registrations if r["custom"] and "::prod-account-east::" in (r["provider"] or "")]
    assert len(east) > 10 and all("replica" in name for name in east)
    assert not [r for r in registrations if r["type"] == "pulumi:providers:aws" and "replica" in r["name"]]


@pytest.mark.parametrize("package", ["aws-native", "azure-native"])
def test_a_replica_provider_of_another_package_is_refused_in_one_line(package):
    """The SDK gives a resource no provider of another package, without a word: an aws-native
    provider passed as the replica's put every "geo" replica in the primary region."""
    from groundlink.components.aws import MissionStack

    from groundlink.engine import PlanError

    spec = _geo_spec()
    blueprint = build_blueprint(spec).for_cloud("aws")

    def program() -> None:
        theirs = pulumi.ProviderResource(package, "east", {"region": "us-east-1"})
        MissionStack("noaa20", blueprint, replica_provider=theirs)  # type: ignore[arg-type]  # the wrong package is the case under test

    with pytest.raises(PlanError) as caught:
        run_program(program, stack="mine-aws", region="us-west-2", config=spec.provider_config("aws"))
    assert str(caught.value).endswith(
        f"replica_provider: '{package}' is not an aws provider; pass "
        "replica_provider=aws.Provider(..., region=<the spec's replica region>)"
    )


def _refusal(blueprint, opts=None, replica_provider=None) -> str:
    """The one line the AWS MissionStack refuses `blueprint` and its providers with, before
    anything registers (the check runs ahead of the component's own registration)."""
    from groundlink.components.aws import mission

    with pytest.raises(pulumi.RunError) as caught:
        mission._check_providers(blueprint, opts, replica_provider)
    return str(caught.value)


def test_hand_built_storage_inputs_are_geo_with_a_replica_region_or_neither():
    """A program that builds layer inputs itself: `redundancy="geo"` without a replica region
    built no replicas, and a replica region under `zone` built them, while Azure read the same
    inputs the other way (GZRS or not)."""
    import dataclasses

    zone = build_blueprint(spec_from_data(spec_data("noaa20.yaml"))).for_cloud("aws")
    geo = build_blueprint(_geo_spec()).for_cloud("aws")
    line = "geo redundancy needs a replica region, and a replica region needs geo redundancy"
    no_region = dataclasses.replace(geo, storage=dataclasses.replace(geo.storage, replica_region=None))
    assert _refusal(no_region) == f"StorageInputs.redundancy: 'geo' with replica_region None: {line}"
    zone_with_region = dataclasses.replace(zone, storage=dataclasses.replace(zone.storage, replica_region="us-east-1"))
    assert _refusal(zone_with_region) == f"StorageInputs.redundancy: 'zone' with replica_region 'us-east-1': {line}"
    same = dataclasses.replace(geo, storage=dataclasses.replace(geo.storage, replica_region="us-west-2"))
    assert _refusal(same) == (
        "StorageInputs.replica_region: 'us-west-2' is the stack's region; the replicas must outlive it in a second region"
    )


def test_a_replica_provider_given_to_a_stack_without_replicas_is_refused():
    """It was ignored without a word: the caller meant a geo stack and got none."""
    import pulumi_aws as aws

    zone = build_blueprint(spec_from_data(spec_data("noaa20.yaml"))).for_cloud("aws")

    def program() -> None:
        assert _refusal(zone, replica_provider=aws.Provider("east", region="us-east-1")) == (
            "replica_provider: given for a stack of redundancy 'zone', which has no replicas; leave it out, or use "
            "storage.redundancy: geo"
        )

    run_program(
        program,
        stack="mine-aws",
        region="us-west-2",
        config=spec_from_data(spec_data("noaa20.yaml")).provider_config("aws"),
    )


NO_NATIVE = (
    "the stack was given no aws-native provider: the AWS Ground Station resources (aws-native's) would deploy with "
    "the default provider's credentials and region, the rest with the provider given; pass "
    "providers=[aws.Provider(...), aws_native.Provider(...)] with the same identity and region"
)
NO_AWS = (
    "the stack was given no aws provider: aws resources would deploy with the default provider's credentials and "
    "region, the rest with the provider given; pass providers=[{wanted}] with the same identity and region"
)


def _aws_stack_with(spec_name: str, given: list[str], config: dict[str, str]) -> tuple[str | None, set[str]]:
    """The AWS MissionStack of `spec_name` given providers of the packages `given` (in the spec's
    region) under stack `config`: its refusal, or the providers its resources took."""
    import pulumi_aws as aws
    import pulumi_aws_native as aws_native
    from groundlink.components.aws import MissionStack

    from groundlink.engine import PlanError

    spec = spec_from_data(spec_data(spec_name))
    region = spec.region("aws")
    blueprint = build_blueprint(spec).for_cloud("aws")

    def program() -> None:
        made = {
            "aws": lambda: aws.Provider("mine", region=region),
            "aws-native": lambda: aws_native.Provider("mine-native", region=region),
        }
        MissionStack(spec.mission.name, blueprint, pulumi.ResourceOptions(providers=[made[p]() for p in given]))

    try:
        registrations, _ = run_program(program, stack="mine-aws", region=region, config=config)
    except PlanError as error:
        return str(error), set()
    return None, {r["provider"].split("::")[-2] for r in registrations if r["custom"] and r["provider"]}


@pytest.mark.parametrize(
    ("spec_name", "given", "refused"),
    [
        ("noaa20.yaml", ["aws"], NO_NATIVE),
        ("noaa20.yaml", ["aws-native"], NO_AWS.format(wanted="aws.Provider(...), aws_native.Provider(...)")),
        ("noaa20.yaml", ["aws", "aws-native"], None),
        ("partner.yaml", ["aws-native"], NO_AWS.format(wanted="aws.Provider(...)")),
        ("partner.yaml", ["aws"], None),
        ("partner.yaml", ["aws", "aws-native"], None),  # a platform program passing both to every mission
    ],
)
def test_providers_given_for_some_of_the_stack_s_packages_are_refused_until_they_cover_all(spec_name, given, refused):
    """Resources of a package the providers given leave out deploy with the default provider's
    credentials: an aws-native provider alone sent a managed station's configs to one account and
    every other resource to the default one, and reached nothing at all of a partner-fed stack."""
    spec = spec_from_data(spec_data(spec_name))
    seen, providers = _aws_stack_with(spec_name, given, spec.provider_config("aws"))
    assert seen == refused
    if refused is None:  # every resource takes a provider given, none the default
        assert providers <= {"mine", "mine-native"} and "mine" in providers


@pytest.mark.parametrize("config", [{}, {"aws:region": "us-west-2", "aws-native:region": "us-west-2"}])
def test_a_stack_given_its_provider_is_not_held_to_the_config_of_a_package_it_does_not_use(config):
    """A partner-fed stack (no aws-native resource) given its own aws provider for its region was
    refused for the stack config's `aws-native:region`, missing or another mission's: two
    missions of two regions in one program could not both pass."""
    spec = spec_from_data(spec_data("partner.yaml"))
    assert spec.region("aws") != "us-west-2" or config == {}
    assert _aws_stack_with("partner.yaml", ["aws"], config)[0] is None


def test_a_managed_station_stack_given_only_its_aws_provider_is_told_of_the_provider_not_the_config():
    """It was told to set `aws-native:region` in the stack config, which only led to the
    provider's refusal on the next run."""
    assert _aws_stack_with("noaa20.yaml", ["aws"], {})[0] == NO_NATIVE


def test_a_replica_provider_of_another_region_fails_the_plan_in_one_line():
    """A provider of the primary region put the replica key and buckets beside their sources, and
    the replica key's policy (S3 of the replica region) refused S3 there: nothing encrypted replicated."""
    import pulumi_aws as aws
    from groundlink.components.aws import MissionStack

    from groundlink.engine import PlanError

    spec = _geo_spec()
    blueprint = build_blueprint(spec).for_cloud("aws")

    def program() -> None:
        MissionStack("noaa20", blueprint, replica_provider=aws.Provider("east", region="us-west-2"))

    with pytest.raises(PlanError) as caught:
        run_program(program, stack="mine-aws", region="us-west-2", config=spec.provider_config("aws"))
    assert str(caught.value).endswith(
        "replica_provider: its region 'us-west-2' is not the replica region 'us-east-1' (storage.replica_region); "
        "pass replica_provider=aws.Provider(..., region='us-east-1')"
    )


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("spec_name", sorted(path.name for path in SPECS.glob("*.yaml")))
def test_the_packages_a_stack_checks_providers_for_are_those_of_its_resources(spec_name, cloud):
    """`provider_packages` decides which providers a program must give and which region keys the
    stack config must hold: it must name every package the plan's resources are of, and no other."""
    mission = importlib.import_module(f"groundlink.components.{cloud}.mission")
    blueprint = build_blueprint(spec_from_data(spec_data(spec_name))).for_cloud(cloud)
    packages = {r.type.split(":")[0] for r in cached_plan(spec_name, cloud).resources if r.custom}
    assert packages == set(mission.provider_packages(blueprint))
