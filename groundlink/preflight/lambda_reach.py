"""Whether a Lambda function in a VPC can reach S3, which its role lets it use.

The AWS twin of `servicebus_reach`. A function attached to a VPC (`vpcConfig`) has only the routes
of its subnets: a private subnet reaches S3 through an S3 gateway endpoint on its route table, or
through a NAT gateway. AWS accepts the function either way; without one, its S3 calls time out.
The contact queue needs no route: the event source mapping (the Lambda service) polls it and
invokes the function. docs/processing.md, "Reaching the contact queue", has the sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.plan import Plan, PlannedResource
from .cmk import role_statements
from .findings import Finding, items, mapping

SOURCE = "AWS Lambda, giving VPC-connected functions access to AWS services (docs/processing.md)"
FUNCTION = "aws:lambda/function:Function"
DEFAULT_ROUTE_TABLE = "aws:ec2/defaultRouteTable:DefaultRouteTable"


def _uses_s3(plan: Plan, function: PlannedResource) -> bool:
    """The function's role is allowed an S3 action by one of its policies."""
    role = next(
        (r for r in plan.of_type("aws:iam/role:Role") if r.outputs.get("arn") == function.inputs.get("role")), None
    )
    if role is None:
        return False
    statements = role_statements(plan).get(str(role.outputs.get("name") or role.name), [])
    return any(action.startswith("s3:") for statement in statements for action in statement.actions)


def _route_tables(plan: Plan, subnet_id: str) -> set[str]:
    return {
        str(a.inputs.get("routeTableId"))
        for a in plan.of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
        if a.inputs.get("subnetId") == subnet_id
    }


def _reaches_s3(plan: Plan, table: str) -> bool:
    # an endpoint's route tables: its own input, or a VpcEndpointRouteTableAssociation of each
    associated = {
        str(a.inputs.get("vpcEndpointId"))
        for a in plan.of_type("aws:ec2/vpcEndpointRouteTableAssociation:VpcEndpointRouteTableAssociation")
        if a.inputs.get("routeTableId") == table
    }
    gateway = any(
        # "Defaults to Gateway" (pulumi-aws, ec2.VpcEndpoint vpc_endpoint_type)
        (e.inputs.get("vpcEndpointType") or "Gateway") == "Gateway"
        and str(e.inputs.get("serviceName", "")).endswith(".s3")
        and (table in items(e.inputs.get("routeTableIds")) or str(e.outputs.get("id")) in associated)
        for e in plan.of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    )
    routes = [r.inputs for r in plan.of_type("aws:ec2/route:Route") if r.inputs.get("routeTableId") == table]
    # a table's inline routes; the VPC's default (main) table's, where the plan manages it as a
    # DefaultRouteTable, named by its defaultRouteTableId
    routes += [
        route
        for t in (*plan.of_type("aws:ec2/routeTable:RouteTable"), *plan.of_type(DEFAULT_ROUTE_TABLE))
        if table in (t.outputs.get("id"), t.inputs.get("defaultRouteTableId"))
        for route in items(t.inputs.get("routes"))
        if isinstance(route, dict)
    ]
    nat = any(route.get("natGatewayId") for route in routes)
    return gateway or nat


def aws_findings(plan: Plan) -> Iterator[Finding]:
    for function in plan.of_type(FUNCTION):
        subnets = items(mapping(function.inputs.get("vpcConfig")).get("subnetIds"))
        if not subnets or not _uses_s3(plan, function):
            continue
        for index, subnet in enumerate(subnets):
            tables = _route_tables(plan, str(subnet))
            whose = "whose route table"
            if not tables:
                vpc = _own_subnet_vpc(plan, str(subnet))
                if vpc is None:
                    continue  # a subnet of another stack: its routes are not known here
                # a subnet associated with no table takes its VPC's main route table (Amazon VPC
                # User Guide, "Route tables": "Main route table"), which holds only the local route
                # unless the plan gives it more
                main = _main_route_table(plan, vpc)
                tables = {main} if main is not None else set()
                whose = "which has no route table of its own, and whose VPC's main route table"
            if not any(_reaches_s3(plan, table) for table in tables):
                rule = (
                    f"runs in subnet {subnet}, {whose} reaches S3 through neither an S3 gateway "
                    "endpoint nor a NAT gateway, and its role uses S3"
                )
                yield Finding(function.name, function.type, f"vpcConfig.subnetIds[{index}]", subnet, rule, SOURCE)


def _own_subnet_vpc(plan: Plan, subnet_id: str) -> str | None:
    """The VPC id of a subnet the plan creates in a VPC it creates, or None."""
    for subnet in plan.of_type("aws:ec2/subnet:Subnet"):
        if subnet.outputs.get("id") == subnet_id:
            vpc_id = subnet.inputs.get("vpcId")
            vpcs = {v.outputs.get("id") for v in plan.of_type("aws:ec2/vpc:Vpc")}
            return str(vpc_id) if vpc_id in vpcs else None
    return None


def _main_route_table(plan: Plan, vpc_id: str) -> str | None:
    """The VPC's main route table as the plan sets it (a main route table association, or the
    VPC's default route table the plan manages), or None: AWS's own, with the local route only."""
    for association in plan.of_type("aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"):
        if association.inputs.get("vpcId") == vpc_id:
            return str(association.inputs.get("routeTableId"))
    for vpc in plan.of_type("aws:ec2/vpc:Vpc"):
        if vpc.outputs.get("id") == vpc_id and vpc.outputs.get("defaultRouteTableId"):
            return str(vpc.outputs["defaultRouteTableId"])
    return None
