"""A private AWS mission's contact function reaches S3 from the VPC it runs in: preflight finds a
VPC function whose subnet's route table has neither an S3 gateway endpoint nor a NAT gateway.
The queue needs no route: the event source mapping polls it (docs/processing.md)."""

from __future__ import annotations

import copy
import json

from groundlink.preflight import lambda_reach

from .conftest import cached_plan

ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"


def _rules(plan) -> list[str]:
    return [f.rule for f in lambda_reach.aws_findings(plan)]


def test_the_private_function_reaches_s3_through_the_gateway_endpoint_on_its_route_table() -> None:
    plan = cached_plan("partner.yaml", "aws")
    function = plan.one("aws:lambda/function:Function")
    (subnet,) = function.inputs["vpcConfig"]["subnetIds"]
    (association,) = [
        a for a in plan.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation") if a.inputs["subnetId"] == subnet
    ]
    (endpoint,) = plan.of_type(ENDPOINT)
    assert endpoint.inputs["serviceName"].endswith(".s3") and endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert association.inputs["routeTableId"] in endpoint.inputs["routeTableIds"]
    assert _rules(plan) == []


def test_a_public_function_outside_any_vpc_is_not_held_to_it(aws_noaa20) -> None:
    assert "vpcConfig" not in aws_noaa20.one("aws:lambda/function:Function").inputs
    assert _rules(aws_noaa20) == []


def test_a_route_table_without_the_endpoint_is_found_and_a_nat_route_answers_it() -> None:
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    plan.one(ENDPOINT).inputs["routeTableIds"] = []
    (finding,) = lambda_reach.aws_findings(plan)
    subnet = plan.one("aws:lambda/function:Function").inputs["vpcConfig"]["subnetIds"][0]
    assert (finding.resource, finding.path, finding.value) == (
        "polar-partner-processing-function",
        "vpcConfig.subnetIds[0]",
        subnet,
    )
    assert finding.rule == (
        f"runs in subnet {subnet}, whose route table reaches S3 through neither an S3 gateway endpoint nor a "
        "NAT gateway, and its role uses S3"
    )
    (table,) = plan.of_type("aws:ec2/routeTable:RouteTable")
    table.inputs["routes"] = [{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0123456789abcdef0"}]
    assert _rules(plan) == []


def test_a_function_whose_role_is_allowed_no_s3_action_needs_no_route_to_s3() -> None:
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    plan.one(ENDPOINT).inputs["routeTableIds"] = []
    role = plan.one("aws:lambda/function:Function").inputs["role"].rsplit("/", 1)[1]
    policies = [p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role]
    assert policies and len(_rules(plan)) == 1
    for policy in policies:  # the S3 statements turned to Deny: no longer an action the role may take
        document = json.loads(policy.inputs["policy"])
        for statement in document["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if any(action.startswith("s3:") for action in actions):
                statement["Effect"] = "Deny"
        policy.inputs["policy"] = json.dumps(document)
    assert _rules(plan) == []


def test_a_gateway_endpoint_is_the_default_type_of_an_endpoint() -> None:
    """pulumi-aws's VpcEndpoint type "Defaults to Gateway": an S3 endpoint without it was refused."""
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    del plan.one(ENDPOINT).inputs["vpcEndpointType"]
    assert _rules(plan) == []
    plan.one(ENDPOINT).inputs["vpcEndpointType"] = "Interface"
    assert len(_rules(plan)) == 1


def test_a_subnet_of_the_plan_without_a_route_table_takes_its_vpc_s_main_one() -> None:
    """A subnet the plan creates with no route table association uses its VPC's main route table,
    which holds only the local route: the function's S3 calls time out, and the subnet was skipped
    as one of another stack."""
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    function = plan.one("aws:lambda/function:Function")
    (subnet,) = function.inputs["vpcConfig"]["subnetIds"]
    plan.resources = [
        r
        for r in plan.resources
        if not (r.type == "aws:ec2/routeTableAssociation:RouteTableAssociation" and r.inputs.get("subnetId") == subnet)
    ]
    assert _rules(plan) == [
        f"runs in subnet {subnet}, which has no route table of its own, and whose VPC's main route table reaches S3 "
        "through neither an S3 gateway endpoint nor a NAT gateway, and its role uses S3"
    ]


def _without_the_subnet_s_association():
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    (subnet,) = plan.one("aws:lambda/function:Function").inputs["vpcConfig"]["subnetIds"]
    plan.resources = [
        r
        for r in plan.resources
        if not (r.type == "aws:ec2/routeTableAssociation:RouteTableAssociation" and r.inputs.get("subnetId") == subnet)
    ]
    return plan, subnet


def test_routes_the_plan_sets_on_the_vpc_s_default_route_table_count_for_its_main_one():
    """A NAT route given to the main table through a DefaultRouteTable was not read, and a plan
    that reaches S3 failed preflight."""
    plan, subnet = _without_the_subnet_s_association()
    vpc_id = next(s.inputs["vpcId"] for s in plan.of_type("aws:ec2/subnet:Subnet") if s.outputs.get("id") == subnet)
    (vpc,) = [v for v in plan.of_type("aws:ec2/vpc:Vpc") if v.outputs.get("id") == vpc_id]
    vpc.outputs["defaultRouteTableId"] = "rtb-main"
    assert len(_rules(plan)) == 1  # the main table, with the local route only
    plan.resources.append(
        _resource(
            "aws:ec2/defaultRouteTable:DefaultRouteTable",
            "main",
            {"defaultRouteTableId": "rtb-main", "routes": [{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"}]},
        )
    )
    assert _rules(plan) == []


def test_an_endpoint_put_on_a_route_table_by_an_association_resource_counts():
    """pulumi-aws's VpcEndpointRouteTableAssociation puts a gateway endpoint on a table as the
    endpoint's own routeTableIds input does: it was not read."""
    plan = copy.deepcopy(cached_plan("partner.yaml", "aws"))
    endpoint = plan.one(ENDPOINT)
    tables = endpoint.inputs.pop("routeTableIds")
    assert len(_rules(plan)) == 1
    plan.resources += [
        _resource(
            "aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation",
            f"s3-{i}",
            {"routeTableId": table, "vpcEndpointId": endpoint.outputs["id"]},
        )
        for i, table in enumerate(tables)
    ]
    assert _rules(plan) == []


def _resource(type_token: str, name: str, inputs: dict):
    """A resource a program of one's own adds to the plan (a plain custom resource, no options)."""
    from groundlink.engine import PlannedResource

    return PlannedResource(
        urn=f"urn:pulumi:test::groundlink::{type_token}::{name}",
        type=type_token,
        name=name,
        parent=None,
        custom=True,
        inputs=inputs,
        outputs={"id": f"{name}-id"},
        protect=False,
        retainOnDelete=False,
        dependencies=[],
        capability=[],
    )
