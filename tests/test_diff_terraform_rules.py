"""pulumi-aws replacement rules read from Terraform (ForceNew, RequiresReplace) for the types of
the private network, container-job processing, geo redundancy and delivery: a change of an
attribute that forces a new resource is a replacement naming it, any other change an update.
Every pulumi-aws type the example plans create has recorded rules."""

from __future__ import annotations

import pytest

from groundlink.clouds import CLOUDS
from groundlink.diff import State, diff_states, rules
from groundlink.diff.state import Resource

from .conftest import SPECS, cached_plan


def _change(type_token: str, old: dict, new: dict):
    def state(inputs: dict) -> State:
        resource = Resource(f"{type_token}::r", type_token, "r", inputs, protected=False)
        return State("aws", "plan", "x", {resource.key: resource})

    (change,) = diff_states(state(old), state(new)).changes
    return change


# type, (a property that forces a new resource, old, new), (a property updated in place, old, new)
CASES = [
    (
        "aws:batch/computeEnvironment:ComputeEnvironment",
        ("type", "MANAGED", "UNMANAGED"),
        ("state", "ENABLED", "DISABLED"),
    ),
    ("aws:batch/jobDefinition:JobDefinition", ("name", "job-a", "job-b"), ("propagateTags", False, True)),
    ("aws:batch/jobQueue:JobQueue", ("name", "queue-a", "queue-b"), ("priority", 1, 2)),
    ("aws:pipes/pipe:Pipe", ("source", "arn:aws:sqs:us-west-2:1:a", "arn:aws:sqs:us-west-2:1:b"), ("target", "a", "b")),
    (
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        ("vpcId", "vpc-1", "vpc-2"),
        ("tags", {"a": "1"}, {"a": "2"}),
    ),
    ("aws:ec2/flowLog:FlowLog", ("trafficType", "ALL", "REJECT"), ("tags", {"a": "1"}, {"a": "2"})),
    ("aws:ec2/networkInterface:NetworkInterface", ("subnetId", "subnet-1", "subnet-2"), ("description", "a", "b")),
    ("aws:ec2/route:Route", ("destinationCidrBlock", "0.0.0.0/0", "10.0.0.0/8"), ("gatewayId", "igw-1", "igw-2")),
    ("aws:ec2/routeTable:RouteTable", ("vpcId", "vpc-1", "vpc-2"), ("tags", {"a": "1"}, {"a": "2"})),
    (
        "aws:ec2/routeTableAssociation:RouteTableAssociation",
        ("subnetId", "subnet-1", "subnet-2"),
        ("routeTableId", "rtb-1", "rtb-2"),
    ),
    ("aws:ec2/securityGroup:SecurityGroup", ("description", "a", "b"), ("revokeRulesOnDelete", False, True)),
    ("aws:ec2/subnet:Subnet", ("cidrBlock", "10.0.1.0/24", "10.0.2.0/24"), ("mapPublicIpOnLaunch", False, True)),
    ("aws:ec2/vpc:Vpc", ("cidrBlock", "10.0.0.0/16", "10.1.0.0/16"), ("enableDnsHostnames", False, True)),
    (
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        ("serviceName", "com.amazonaws.us-west-2.s3", "com.amazonaws.us-west-2.sqs"),
        ("policy", "a", "b"),
    ),
    (
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        ("securityGroupId", "sg-1", "sg-2"),
        ("fromPort", 443, 8443),
    ),
    (
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        ("securityGroupId", "sg-1", "sg-2"),
        ("toPort", 443, 8443),
    ),
    (
        "aws:glue/catalogTable:CatalogTable",
        ("databaseName", "db-a", "db-b"),
        ("tableType", "EXTERNAL_TABLE", "VIRTUAL_VIEW"),
    ),
    (
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        ("name", "fh-a", "fh-b"),
        ("tags", {"a": "1"}, {"a": "2"}),
    ),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", ("eventSourceArn", "arn:a", "arn:b"), ("batchSize", 1, 10)),
    ("aws:lambda/function:Function", ("name", "fn-a", "fn-b"), ("memorySize", 1024, 2048)),
    (
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        ("bucket", "raw-a", "raw-b"),
        ("rules", [], [{"id": "x"}]),
    ),
    (
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        ("bucket", "raw-a", "raw-b"),
        ("role", "arn:a", "arn:b"),
    ),
]


@pytest.mark.parametrize(("type_token", "forcing", "in_place"), CASES, ids=[c[0] for c in CASES])
def test_a_force_new_attribute_replaces_and_another_attribute_updates(type_token, forcing, in_place):
    prop, before, after = forcing
    replaced = _change(type_token, {prop: before}, {prop: after})
    assert (replaced.action, replaced.forced_by, replaced.rules_known) == ("replace", (prop,), True)
    prop, before, after = in_place
    updated = _change(type_token, {prop: before}, {prop: after})
    assert (updated.action, updated.forced_by, updated.rules_known) == ("update", (), True)


def test_a_nested_force_new_attribute_replaces_only_through_its_own_path():
    compute = {"type": "FARGATE", "maxVcpus": 10, "subnets": ["subnet-1"]}
    token = "aws:batch/computeEnvironment:ComputeEnvironment"
    moved = _change(token, {"computeResources": compute}, {"computeResources": {**compute, "placementGroup": "pg"}})
    assert (moved.action, moved.forced_by) == ("replace", ("computeResources.placementGroup",))
    scaled = _change(token, {"computeResources": compute}, {"computeResources": {**compute, "maxVcpus": 20}})
    assert scaled.action == "update"


def test_a_pipe_source_attribute_defined_in_its_own_file_replaces_and_the_sqs_batch_size_updates():
    token = "aws:pipes/pipe:Pipe"
    kinesis = {"kinesisStreamParameters": {"startingPosition": "LATEST"}}
    moved = _change(
        token,
        {"sourceParameters": kinesis},
        {"sourceParameters": {"kinesisStreamParameters": {"startingPosition": "TRIM_HORIZON"}}},
    )
    assert (moved.action, moved.forced_by) == (
        "replace",
        ("sourceParameters.kinesisStreamParameters.startingPosition",),
    )
    sqs = {"sqsQueueParameters": {"batchSize": 1}}
    resized = _change(token, {"sourceParameters": sqs}, {"sourceParameters": {"sqsQueueParameters": {"batchSize": 5}}})
    assert resized.action == "update"


def test_pulumi_renamed_attributes_are_matched_under_their_pulumi_names():
    """Terraform's alarm_name, topic_arn and function_name are Pulumi's name, topic and name."""
    alarm = _change("aws:cloudwatch/metricAlarm:MetricAlarm", {"name": "a"}, {"name": "b"})
    topic = _change("aws:sns/topicSubscription:TopicSubscription", {"topic": "arn:a"}, {"topic": "arn:b"})
    assert (alarm.forced_by, topic.forced_by) == (("name",), ("topic",))


def test_an_internet_gateway_has_no_attribute_that_forces_a_new_one():
    token = "aws:ec2/internetGateway:InternetGateway"
    assert rules.forcing(token) == frozenset()
    assert _change(token, {"vpcId": "vpc-1"}, {"vpcId": "vpc-2"}).action == "update"


def test_every_pulumi_aws_type_of_the_example_plans_has_recorded_rules():
    types = {r.type for s in SPECS.glob("*.yaml") for c in CLOUDS for r in cached_plan(s.name, c).custom()}
    aws = {t for t in types if t.startswith("aws:")}
    assert len(aws) > 30
    assert sorted(t for t in aws if rules.forcing(t) is None) == []
