"""Each cloud's mission network takes its address space from the spec (clouds.<cloud>.network_cidr):
every mission on the fixed 10.64.0.0/16 and 10.42.0.0/24 could not be peered with one hub, nor a
client network using those ranges."""

from __future__ import annotations

import dataclasses

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.blueprint.layers import LayerInputError
from groundlink.spec import load_spec

from .conftest import SPECS, cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

PRIVATE = {"security.network": "private"}


def _cidrs(plan, type_token: str, key: str) -> list[str]:
    return sorted(str(r.inputs[key]) for r in plan.of_type(type_token))


def test_the_aws_vpc_and_its_subnet_take_the_specs_range() -> None:
    default = variant_plan("aws", PRIVATE)
    assert _cidrs(default, "aws:ec2/vpc:Vpc", "cidrBlock") == ["10.64.0.0/16"]
    assert _cidrs(default, "aws:ec2/subnet:Subnet", "cidrBlock") == ["10.64.0.0/24"]
    wide = variant_plan("aws", {**PRIVATE, "clouds.aws.network_cidr": "172.20.0.0/16"})
    assert _cidrs(wide, "aws:ec2/vpc:Vpc", "cidrBlock") == ["172.20.0.0/16"]
    assert _cidrs(wide, "aws:ec2/subnet:Subnet", "cidrBlock") == ["172.20.0.0/24"]  # its first /24
    small = variant_plan("aws", {**PRIVATE, "clouds.aws.network_cidr": "192.168.7.0/24"})
    assert _cidrs(small, "aws:ec2/vpc:Vpc", "cidrBlock") == ["192.168.7.0/24"]
    assert _cidrs(small, "aws:ec2/subnet:Subnet", "cidrBlock") == ["192.168.7.0/24"]  # the whole of it


def test_the_container_jobs_own_vpc_takes_it_too() -> None:
    plan = variant_plan("aws", {**CONTAINER_JOB, "clouds.aws.network_cidr": "10.81.0.0/20"})
    assert _cidrs(plan, "aws:ec2/vpc:Vpc", "cidrBlock") == ["10.81.0.0/20"]
    assert _cidrs(plan, "aws:ec2/subnet:Subnet", "cidrBlock") == ["10.81.0.0/24"]


@pytest.mark.parametrize("private", [True, False])
def test_the_azure_vnet_and_its_subnets_take_the_specs_range(private: bool) -> None:
    """Private: the endpoints' subnet is the first half of the range's first /24, the processor's
    the second. Public: the processor's own network, one subnet."""
    changes = {"clouds.azure.network_cidr": "10.90.0.0/22", **(PRIVATE if private else {})}
    plan = variant_plan("azure", changes)
    assert _cidrs(plan, "azure-native:network:VirtualNetwork", "addressSpace") == [
        str({"addressPrefixes": ["10.90.0.0/22"]})
    ]
    subnets = {r.inputs["subnetName"]: r.inputs["addressPrefix"] for r in plan.of_type("azure-native:network:Subnet")}
    expected = {"processing": "10.90.0.128/25", **({"private-endpoints": "10.90.0.0/25"} if private else {})}
    assert subnets == expected
    default = cached_plan("noaa20.yaml", "azure")
    assert {r.inputs["addressPrefix"] for r in default.of_type("azure-native:network:Subnet")} == {"10.42.0.128/25"}


def test_a_hand_built_mission_input_is_held_to_the_same_rule() -> None:
    mission = build_blueprint(load_spec(SPECS / "noaa20.yaml")).for_cloud("azure").mission
    with pytest.raises(LayerInputError) as caught:
        dataclasses.replace(mission, network_cidr="8.8.8.0/24")
    assert str(caught.value).startswith("MissionInputs.network_cidr: 8.8.8.0/24 is not a private range")
    assert dataclasses.replace(mission, network_cidr=None).network_cidr is None  # the cloud's default
