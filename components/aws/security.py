"""Keys and network: the mission's customer-managed key and, when needed, its VPC.

One key encrypts the mission's stores, catalog, query results, queues, stream, alarm
topic and logs. Its policy delegates to IAM (the account root, no `*` principal) and
admits only the services that publish into encrypted queues, topics and log groups
themselves, each limited to this account.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import MissionInputs, SecurityInputs
from groundlink.limits import AWS_NETWORK_CIDR, log_retention

from ..base import MissionComponent
from . import iam
from .naming import role_name


def vpc_cidrs(mission: MissionInputs) -> tuple[str, str]:
    """The mission VPC's address space (clouds.aws.network_cidr) and its one subnet, the first
    /24 of it: all the S3 gateway endpoint and the Ground Station dataflow endpoints need."""
    vpc = ipaddress.IPv4Network(mission.network_cidr or AWS_NETWORK_CIDR)
    return str(vpc), str(next(vpc.subnets(new_prefix=24)) if vpc.prefixlen < 24 else vpc)


def own_buckets_only(account: str) -> list[dict[str, Any]]:
    """The S3 gateway endpoint's policy: the subnet reaches only this account's buckets through it.
    An endpoint without a policy allows all of S3 ("Control access to VPC endpoints using endpoint
    policies", AWS PrivateLink Guide), and the private subnet's only way out is this endpoint: a
    processor made to misbehave by a crafted capture could copy mission data into a bucket of
    any account. `aws:ResourceAccount` is the data perimeter's resource control (AWS whitepaper
    "Building a data perimeter on AWS"); a receiver in the subnet that reads an AWS-owned
    bucket (an OS package repository) is refused too."""
    return [
        {
            "Sid": "OnlyThisAccountsBuckets",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": account}},
        }
    ]


# EC2 reserves the first four and the last address of every subnet (Amazon VPC User Guide,
# "Subnet CIDR blocks"; the EC2 API reference's CreateSubnet).
SUBNET_RESERVED_ADDRESSES = 5


def usable_addresses(subnet: str) -> int:
    """The addresses of `subnet` left for network interfaces: 251 of a /24."""
    return ipaddress.IPv4Network(subnet).num_addresses - SUBNET_RESERVED_ADDRESSES


@dataclass(frozen=True)
class Network:
    """The mission network as the stores and the ground segment use it."""

    vpc_id: pulumi.Output[str]
    subnet_id: pulumi.Output[str]
    s3_endpoint_id: pulumi.Output[str] | None  # the endpoint private object access is pinned to


def _flow_log_permissions(log_group: str) -> list[dict[str, Any]]:
    """What VPC Flow Logs needs to write into its one log group (AWS VPC user guide, "IAM role for
    publishing flow logs to CloudWatch Logs"), scoped to that group: the stack creates it, so the
    guide's account-wide logs:CreateLogGroup and logs:DescribeLogGroups are not needed."""
    return [
        iam.allow(
            ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            [log_group, f"{log_group}:*"],
            "WriteFlowLogs",
        )
    ]


def account_admin(account: str) -> dict[str, Any]:
    """The key policy names the account root (no `*` principal): access is then granted
    by IAM policies that name the key, never by the key policy alone."""
    return {
        "Sid": "AccountAdministers",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def _key_policy(account: str, region: str) -> list[dict[str, Any]]:
    """Services that write into CMK-encrypted queues, topics and log groups need the key
    themselves; each grant is limited to this account (or this account's log groups)."""
    on_behalf = {"StringEquals": {"aws:SourceAccount": account}}
    publishers = [
        {
            "Sid": "EventBridgeDeliversToQueues",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": on_behalf,
        },
        {
            "Sid": "CloudWatchAlarmsPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": "*",
            "Condition": on_behalf,
        },
        {
            "Sid": "CloudWatchLogsEncrypt",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{region}.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:Describe*", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
            "Resource": "*",
            "Condition": {
                "ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account}:log-group:*"}
            },
        },
    ]
    return [account_admin(account), *publishers]


def rotated_key(
    owner: MissionComponent, role: str, description: str, policy: pulumi.Input[str], **opts: Any
) -> aws.kms.Key:
    """A symmetric key of `owner`, rotated yearly, with an explicit policy and the longest
    deletion window, protected like the data it decrypts."""
    return aws.kms.Key(
        owner.child_name(role),
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=policy,
        tags=owner.tags,
        opts=owner.opts(stateful=True, **opts),
    )


class AwsNetwork(MissionComponent):
    """A VPC with one subnet and flow logs. With `security.network: private` it carries the S3
    gateway endpoint the bucket policies pin object access to; with `delivery.stream` from
    a managed ground station it hosts the Ground Station dataflow endpoints; with
    `internet_egress` (container jobs) its subnet routes out through an internet gateway."""

    TOKEN = "groundlink:index:AwsNetwork"
    LAYER = "security"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        *,
        private: bool,
        stream: bool,
        account: pulumi.Input[str],
        key: aws.kms.Key | None,
        flow_log_retention_days: int,
        internet_egress: bool = False,
        zone_ids: tuple[str, ...] = (),
        capabilities: tuple[str, ...] = (),
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        region = mission.region
        vpc_cidr, subnet_cidr = vpc_cidrs(mission)
        caps = (
            (("security.private_network",) if private else ())
            + (("ground.stream_delivery",) if stream else ())
            + capabilities
        )
        self.vpc = self.realize(
            aws.ec2.Vpc(
                self.child_name("vpc"),
                cidr_block=vpc_cidr,
                enable_dns_support=True,
                enable_dns_hostnames=True,
                tags=self.tags_and(self.console_name(self.child_name("vpc")), "a VPC, beside its Name tag,"),
                opts=self.opts(),
            ),
            *caps,
        )
        # Taking over the default security group strips its allow-all rules.
        self.realize(
            aws.ec2.DefaultSecurityGroup(
                self.child_name("default-sg"), vpc_id=self.vpc.id, tags=self.tags, opts=self.opts()
            ),
            *caps,
        )
        self.subnet = self.realize(
            aws.ec2.Subnet(
                self.child_name("private"),
                vpc_id=self.vpc.id,
                cidr_block=subnet_cidr,
                map_public_ip_on_launch=False,
                # where what runs in it is offered in some zones only (`zone_ids`: Fargate's); a
                # subnet made before the zone was pinned keeps its own, as replacing it with the
                # same range would fail on the overlap
                availability_zone_id=zone_ids[0] if zone_ids else None,
                tags=self.tags_and(self.console_name(self.child_name("private")), "a subnet, beside its Name tag,"),
                opts=self.opts(ignore_changes=["availabilityZoneId"]) if zone_ids else self.opts(),
            ),
            *caps,
        )
        self.route_table = self.realize(
            aws.ec2.RouteTable(self.child_name("private-rt"), vpc_id=self.vpc.id, tags=self.tags, opts=self.opts()),
            *caps,
        )
        self.realize(
            aws.ec2.RouteTableAssociation(
                self.child_name("private-rta"),
                subnet_id=self.subnet.id,
                route_table_id=self.route_table.id,
                opts=self.opts(),
            ),
            *caps,
        )
        if internet_egress:  # a public address reaches the internet; nothing routes in without one
            gateway = self.realize(
                aws.ec2.InternetGateway(self.child_name("igw"), vpc_id=self.vpc.id, tags=self.tags, opts=self.opts()),
                *caps,
            )
            self.realize(
                aws.ec2.Route(
                    self.child_name("internet"),
                    route_table_id=self.route_table.id,
                    destination_cidr_block="0.0.0.0/0",
                    gateway_id=gateway.id,
                    opts=self.opts(),
                ),
                *caps,
            )
        self.s3_endpoint: aws.ec2.VpcEndpoint | None = None
        if private:
            self.s3_endpoint = self.realize(
                aws.ec2.VpcEndpoint(
                    self.child_name("s3"),
                    vpc_id=self.vpc.id,
                    service_name=f"com.amazonaws.{region}.s3",
                    vpc_endpoint_type="Gateway",
                    route_table_ids=[self.route_table.id],
                    policy=iam.document(own_buckets_only, account=account),
                    tags=self.tags,
                    opts=self.opts(),
                ),
                "security.private_network",
            )
        self._flow_logs(caps, account, key, flow_log_retention_days)
        self.outputs = Network(
            vpc_id=self.vpc.id,
            subnet_id=self.subnet.id,
            s3_endpoint_id=self.s3_endpoint.id if self.s3_endpoint else None,
        )
        # the container jobs' own VPC (internet_egress) is no network to join: it registers none
        # of the security layer's outputs (their meaning: the network that reaches the mission
        # privately), as Azure's processor VNet
        self.register_outputs({} if internet_egress else {"network_id": self.vpc.id, "subnet_id": self.subnet.id})

    def _flow_logs(
        self, caps: tuple[str, ...], account: pulumi.Input[str], key: aws.kms.Key | None, retention_days: int
    ) -> None:
        """Every packet accepted or rejected in the VPC, kept in a log group encrypted with the
        mission key for the spec's retention (CIS AWS 3.7)."""
        self.flow_log_group = self.realize(
            aws.cloudwatch.LogGroup(
                self.child_name("flow-logs"),
                retention_in_days=log_retention(retention_days),
                kms_key_id=key.arn if key else None,
                tags=self.tags,
                opts=self.holder_opts("observability.logging"),  # logs kept for their retention, as Azure's workspace
            ),
            *caps,
        )
        role = self.realize(
            aws.iam.Role(
                self.child_name("flow-logs-role"),
                **role_name(self.child_name("flow-logs-role")),
                description="VPC Flow Logs writes the mission VPC's traffic records",
                assume_role_policy=iam.document(
                    lambda account, region: [
                        iam.service_trust(
                            "vpc-flow-logs.amazonaws.com", account, [f"arn:aws:ec2:{region}:{account}:vpc-flow-log/*"]
                        )
                    ],
                    account=account,
                    region=self.mission.region,
                ),
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name("flow-logs-policy"),
                role=role.id,
                policy=iam.document(_flow_log_permissions, log_group=self.flow_log_group.arn),
                opts=self.opts(),
            ),
            *caps,
        )
        self.realize(
            aws.ec2.FlowLog(
                self.child_name("flow-log"),
                vpc_id=self.vpc.id,
                traffic_type="ALL",
                log_destination_type="cloud-watch-logs",
                log_destination=self.flow_log_group.arn,
                iam_role_arn=role.arn,
                max_aggregation_interval=600,
                tags=self.tags,
                opts=self.opts(depends_on=[policy]),
            ),
            *caps,
        )


class AwsSecurity(MissionComponent):
    """The mission's key (rotated yearly, explicit key policy) and its network."""

    TOKEN = "groundlink:index:AwsSecurity"
    LAYER = "security"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: SecurityInputs,
        *,
        account: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.key: aws.kms.Key | None = None
        if inputs.customer_managed_keys:
            self.key = self.realize(
                rotated_key(
                    self,
                    "data",
                    f"{mission.name}: contact data, products, catalog, queues, stream and logs",
                    iam.document(_key_policy, account=account, region=mission.region),
                ),
                "security.cmk",
            )
            self.realize(
                aws.kms.Alias(
                    self.child_name("data-alias"),
                    name=f"alias/{mission.name}-data",
                    target_key_id=self.key.key_id,
                    opts=self.opts(),
                ),
                "security.cmk",
            )
        self.network: Network | None = None
        if inputs.private or inputs.station_stream:
            self.network = AwsNetwork(
                self.child_name("network"),
                mission,
                private=inputs.private,
                stream=inputs.station_stream,
                account=account,
                key=self.key,
                flow_log_retention_days=inputs.network_log_retention_days,
                opts=self.opts(),
            ).outputs
        self.key_ids: list[pulumi.Output[str]] | None = [self.key.arn] if self.key else None
        self.register_outputs(
            {
                "key_ids": self.key_ids,
                "network_id": self.network.vpc_id if self.network else None,
                "subnet_id": self.network.subnet_id if self.network else None,
            }
        )
