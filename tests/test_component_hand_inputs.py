"""Components rendered from layer inputs a program builds itself, not from the blueprint."""

from __future__ import annotations

import dataclasses
import importlib
import json

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.blueprint.layers import Lifecycle
from groundlink.clouds import CLOUDS
from groundlink.engine import PlanError
from groundlink.engine.runner import run_program
from groundlink.spec import spec_from_data

from .conftest import spec_data, with_changes


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_private_mission_with_tags_of_its_own_renders_and_admits_its_outside_writers(cloud):
    """The AWS components read the mission's name from a `mission` tag the blueprint adds, so tags
    without it stopped the program with a bare KeyError on AWS while Azure rendered them."""
    spec = spec_from_data(with_changes(spec_data(), {"security.network": "private"}))
    blueprint = build_blueprint(spec).for_cloud(cloud)
    own = dataclasses.replace(blueprint, mission=dataclasses.replace(blueprint.mission, tags={"owner": "platform"}))
    stack = importlib.import_module(f"groundlink.components.{cloud}").MissionStack

    registrations, _ = run_program(
        lambda: stack(own.mission.name, own, None),
        stack=f"own-{cloud}",
        region=spec.region(cloud),
        config=spec.provider_config(cloud),
    )
    assert len(registrations) > 20
    if cloud == "aws":
        # the stores' VPC-endpoint rule and the roles writing from outside the VPC meet on the name
        writers = {
            r["inputs"]["tags"]["outside-vpc-writer"]
            for r in registrations
            if r["type"] == "aws:iam/role:Role" and "outside-vpc-writer" in (r["inputs"].get("tags") or {})
        }
        admitted = {
            statement["Condition"]["StringNotEquals"]["aws:PrincipalTag/outside-vpc-writer"]
            for r in registrations
            if r["type"] == "aws:s3/bucketPolicy:BucketPolicy"
            for statement in json.loads(r["inputs"]["policy"])["Statement"]
            if "aws:PrincipalTag/outside-vpc-writer" in statement.get("Condition", {}).get("StringNotEquals", {})
        }
        assert writers == admitted == {spec.mission.name}


def test_an_archive_step_made_by_hand_is_refused_on_azure_not_rendered():
    """Every account rendered is zone-redundant, which has no Archive tier: the blueprint holds
    archive-aged data in Cold there. A Lifecycle made by hand rendered tierToArchive, which the
    account's management policy refuses."""
    spec = spec_from_data(spec_data())
    blueprint = build_blueprint(spec).for_cloud("azure")
    archive = Lifecycle(((30, "cool"), (180, "archive")), 365, 30)
    own = dataclasses.replace(blueprint, storage=dataclasses.replace(blueprint.storage, raw_lifecycle=archive))
    stack = importlib.import_module("groundlink.components.azure").MissionStack
    with pytest.raises(  # one line, before anything registers (the account's policy would refuse it)
        PlanError, match=r"StorageInputs\.raw_lifecycle: archive is no tier of a zone-redundant account"
    ):
        run_program(
            lambda: stack(own.mission.name, own, None),
            stack="own-azure",
            region=spec.region("azure"),
            config=spec.provider_config("azure"),
        )


def test_hub_units_past_a_namespace_are_refused_by_the_azure_ground_component():
    spec = spec_from_data(spec_data())
    blueprint = build_blueprint(spec).for_cloud("azure")
    own = dataclasses.replace(blueprint, ground=dataclasses.replace(blueprint.ground, hub_units=25))
    stack = importlib.import_module("groundlink.components.azure").MissionStack
    with pytest.raises(  # one line, before anything registers
        PlanError,
        match=r"GroundInputs\.hub_units: 25 is more than an Event Hubs Standard namespace takes; allowed: 1-20$",
    ):
        run_program(
            lambda: stack(own.mission.name, own, None),
            stack="own-azure",
            region=spec.region("azure"),
            config=spec.provider_config("azure"),
        )


# A layer component used alone, as a program composes its own stack: it refuses what its cloud
# cannot render as MissionStack does, before it registers anything (the refusals lived in
# MissionStack only, and the layer rendered a ZRS account where the region has no zones, an
# Archive step on a zone-redundant account, a store in the dead-letter container, hub units past
# a namespace, and AWS geo redundancy with no replicas at all).
def _azure_layers(change):
    """A program of the Azure storage and ground layers alone, from the reference blueprint's
    inputs with `change` made to them (each layer's inputs as a program passes them, with no
    CloudBlueprint to cross-check them)."""
    import pulumi_azure_native as azure
    from groundlink.components.azure.ground import AzureGround
    from groundlink.components.azure.storage import AzureStorage

    blueprint = build_blueprint(spec_from_data(spec_data())).for_cloud("azure")
    layers = change({"mission": blueprint.mission, "storage": blueprint.storage, "ground": blueprint.ground})
    mission = layers["mission"]

    def program():
        group = azure.resources.ResourceGroup("plat-rg", location=mission.region)
        storage = AzureStorage(
            "plat-storage", mission, layers["storage"], resource_group_name=group.name, key=None, network=None
        )
        AzureGround(
            "plat-ground",
            mission,
            layers["ground"],
            resource_group_name=group.name,
            storage=storage.outputs,
            messaging_key=None,
        )

    return program, mission.region


def _changed(layer, **fields):
    return lambda layers: {**layers, layer: dataclasses.replace(layers[layer], **fields)}


AZURE_LAYER_REFUSALS = {
    "zrs-where-no-zones": (
        _changed("mission", region="westus"),
        "MissionInputs.region: 'westus' offers no ZRS storage account",
    ),
    "archive-step": (
        _changed("storage", raw_lifecycle=Lifecycle(((30, "cool"), (180, "archive")), 365, 30)),
        "StorageInputs.raw_lifecycle: archive is no tier of a zone-redundant account",
    ),
    "another-layer-s-container": (
        _changed("storage", products_container="event-dead-letter"),
        "StorageInputs.products_container: 'event-dead-letter' is a container the stack makes for itself",
    ),
    "hub-units-past-a-namespace": (
        _changed("ground", hub_units=40, telemetry=True),  # a Standard namespace takes 20 (docs/facts.md)
        "GroundInputs.hub_units: 40 is more than an Event Hubs Standard namespace takes; allowed: 1-20",
    ),
}


@pytest.mark.parametrize("case", sorted(AZURE_LAYER_REFUSALS))
def test_an_azure_layer_used_alone_refuses_what_azure_cannot_render(case):
    change, line = AZURE_LAYER_REFUSALS[case]
    program, region = _azure_layers(change)
    with pytest.raises(PlanError) as raised:
        run_program(program, stack="plat", region=region, config={"azure-native:location": region})
    assert line in str(raised.value)


def test_the_azure_layers_used_alone_render_the_blueprint_s_own_inputs():
    program, region = _azure_layers(lambda b: b)
    registrations, _ = run_program(program, stack="plat", region=region, config={"azure-native:location": region})
    types = {r["type"] for r in registrations}
    assert {"azure-native:storage:StorageAccount", "azure-native:storage:BlobContainer"} <= types


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        (
            {"redundancy": "geo"},
            "StorageInputs.redundancy: 'geo' with replica_region None: geo redundancy needs a replica region",
        ),
        ({"replica_region": "us-east-1"}, "StorageInputs.redundancy: 'zone' with replica_region 'us-east-1'"),
    ],
)
def test_aws_storage_used_alone_refuses_geo_without_a_replica_region(fields, line):
    from groundlink.components.aws.storage import AwsStorage

    blueprint = build_blueprint(spec_from_data(spec_data())).for_cloud("aws")
    storage = dataclasses.replace(blueprint.storage, **fields)
    with pytest.raises(PlanError) as raised:
        run_program(
            lambda: AwsStorage(
                "plat-storage", blueprint.mission, storage, key=None, account="111122223333", network=None
            ),
            stack="plat",
            region="us-west-2",
            config={"aws:region": "us-west-2", "aws-native:region": "us-west-2"},
        )
    assert line in str(raised.value)


def test_a_program_reads_the_storage_layer_s_keys_alike_on_both_clouds():
    """The output keys both clouds' storage components register were not readable from a
    program (registered outputs do not come back); each cloud's attributes were its own
    (`storage.raw.uri` on AWS, `storage.raw_uri` on Azure). `layer_outputs` holds the keys."""
    import pulumi
    import pulumi_azure_native as azure
    from groundlink.components.aws.storage import AwsStorage
    from groundlink.components.azure.storage import AzureStorage

    from groundlink.blueprint import LAYER_OUTPUTS

    spec = spec_from_data(spec_data())
    read: dict[str, dict] = {}

    def aws_program():
        b = build_blueprint(spec).for_cloud("aws")
        storage = AwsStorage("plat-storage", b.mission, b.storage, key=None, account="111122223333", network=None)
        read["aws"] = storage.layer_outputs

    def azure_program():
        b = build_blueprint(spec).for_cloud("azure")
        group = azure.resources.ResourceGroup("plat-rg", location=b.mission.region)
        storage = AzureStorage(
            "plat-storage", b.mission, b.storage, resource_group_name=group.name, key=None, network=None
        )
        read["azure"] = storage.layer_outputs

    run_program(aws_program, stack="plat", region="us-west-2", config=spec.provider_config("aws"))
    run_program(azure_program, stack="plat", region=spec.region("azure"), config=spec.provider_config("azure"))
    for cloud in CLOUDS:
        assert set(read[cloud]) == set(LAYER_OUTPUTS["storage"]), cloud
        assert isinstance(read[cloud]["raw_store_uri"], pulumi.Output), cloud
    assert read["aws"]["replica_region"] is None  # zone redundancy: no replica, said as None
