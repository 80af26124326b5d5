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
