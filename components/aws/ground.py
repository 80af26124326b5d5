"""The ground segment: AWS Ground Station configs per satellite downlink and one mission
profile per satellite, or a partner network's landing zone.

A contact is reserved against one mission profile, so a satellite's downlinks share one:
each contact then receives all of them, as the cost model bills it (one contact per pass)
and as the legacy Azure Orbital contact profile does (one per spacecraft, a channel per
downlink).

Mirrors aws-samples/aws-groundstation-s3-data-delivery (`cfn/jpss1-gs-to-s3.yml`):
tracking, antenna (DigIF or demod/decode) and S3 recording configs joined by a
mission profile, the recording role trusted only for this account's recording
configs. Names of Ground Station objects are built from identity fields and checked
against the service's name pattern before they reach a resource.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

from groundlink.blueprint import GroundInputs, GroundLink, MissionInputs
from groundlink.limits import DATAFLOW_EDGES_MAX

from ..base import MissionComponent
from . import iam, security
from .analytics import contact_stream
from .naming import endpoint_name, gs_name, role_name
from .security import Network, usable_addresses, vpc_cidrs
from .storage import Store

GS = aws_native.groundstation
GROUND_STATION = "groundstation.amazonaws.com"
# First UDP port of the dataflow endpoints (the port the AWS reference receiver's endpoint
# listens on: docs/facts.md); downlink i of the mission streams to STREAM_BASE_PORT + i.
STREAM_BASE_PORT = 55888
STREAM_MTU = 1500
# Actions Ground Station needs to place its network interfaces in the mission subnet for
# a dataflow endpoint group; EC2 Describe* calls do not support resource-level scoping.
ENDPOINT_NETWORK_ACTIONS = [
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
]


def native_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in sorted(tags.items())]


def _gs_arn(region: str, account: str, kind: str) -> str:
    return f"arn:aws:groundstation:{region}:{account}:{kind}"


def spectrum(link: GroundLink) -> dict[str, Any]:
    d = link.downlink
    return {
        "center_frequency": {"value": d.center_frequency_mhz, "units": "MHz"},
        "bandwidth": {"value": d.bandwidth_mhz, "units": "MHz"},
        "polarization": d.polarization.upper(),
    }


# What a producer needs on the mission key, per service: S3 multipart uploads into an SSE-KMS
# bucket decrypt the data key for every part (Amazon S3 User Guide, "Multipart upload and
# permissions"); a Kinesis producer only makes data keys.
PRODUCER_KEY_ACTIONS = {"s3": ["kms:Decrypt", "kms:GenerateDataKey"], "kinesis": ["kms:GenerateDataKey"]}


def _encrypt_via(service: str, region: str, key: str | None, sid: str) -> list[dict[str, Any]]:
    """A producer may use the mission key only through `service` in this region."""
    return [iam.key_through(PRODUCER_KEY_ACTIONS[service], key, sid, region, [service])] if key else []


def write_only(region: str, objects: str):
    """Permissions of a delivery identity: locate the bucket, put objects matching `objects`,
    and use the mission key only through S3 in this region. Nothing to read, list or delete."""

    def permissions(bucket: str, key: str | None) -> list[dict[str, Any]]:
        return [
            iam.allow(["s3:GetBucketLocation"], bucket, "LocateBucket"),
            iam.allow(["s3:PutObject"], f"{bucket}/{objects}", "WriteContactData"),
            *_encrypt_via("s3", region, key, "EncryptContactData"),
        ]

    return permissions


def put_records(region: str):
    """Permissions of a stream producer: put records and find the shards to put them on, and use
    the mission key only through Kinesis in this region. Nothing to read or reconfigure."""

    def permissions(stream: str, key: str | None) -> list[dict[str, Any]]:
        return [
            iam.allow(
                ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"],
                stream,
                "PutContactRecords",
            ),
            *_encrypt_via("kinesis", region, key, "EncryptContactRecords"),
        ]

    return permissions


class AwsGroundLink(MissionComponent):
    """One satellite downlink: its antenna and delivery configs, and the dataflow edges
    between them that its satellite's mission profile carries (`edges`)."""

    TOKEN = "groundlink:index:AwsGroundLink"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        link: GroundLink,
        *,
        recording_role: aws.iam.Role | None,
        recording_ready: list[pulumi.Resource],
        raw: Store | None,
        endpoint_name: str | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.link, down = link, link.downlink
        label = (mission.name, link.satellite.name, link.downlink.name)
        tags = native_tags(self.tags_of("aws-native"))
        station = ("ground.managed_station",)
        if down.delivery == "demod_decode":
            data = {
                "antenna_downlink_demod_decode_config": {
                    "spectrum_config": spectrum(link),
                    "demodulation_config": {"unvalidated_json": down.demodulation()},
                    "decode_config": {"unvalidated_json": down.decode()},
                }
            }
        else:
            data = {"antenna_downlink_config": {"spectrum_config": spectrum(link)}}
        self.antenna = self.realize(
            GS.Config(
                self.child_name("antenna"),
                name=gs_name(*label, "downlink", down.delivery.replace("_", " ")),
                config_data=data,
                tags=tags,
                # a config's kind is in its ARN (config/<type>/<id>) and in UpdateConfig's path
                # beside its id (botocore groundstation), so no update turns DigIF into
                # demod/decode; nor does the provider replace on it (no create-only property in
                # the registry schema): the edit went out as an update, which cannot be made.
                # Replaced when its name changes, which holds the kind (a spectrum or decode
                # change stays an update in place): a config holds no data, and the mission
                # profile's edges follow the new ARN.
                opts=self.opts(replace_on_changes=["name"]),
            ),
            *station,
        )
        egress = down.egress_node()
        source = self.antenna.arn.apply(lambda arn: f"{arn}/{egress}") if egress else self.antenna.arn
        self.edges: list[dict[str, Any]] = []
        self.recording: aws_native.groundstation.Config | None = None
        if raw is not None and recording_role is not None:
            self.recording = self.realize(
                GS.Config(
                    self.child_name("recording"),
                    name=gs_name(*label, "recording"),
                    config_data={
                        "s3_recording_config": {
                            "bucket_arn": raw.arn,
                            "role_arn": recording_role.arn,
                            "prefix": inputs.raw_prefix,
                        }
                    },
                    tags=tags,
                    opts=self.opts(depends_on=recording_ready),
                ),
                *station,
            )
            self.edges.append({"source": source, "destination": self.recording.arn})
        self.endpoint: aws_native.groundstation.Config | None = None
        if endpoint_name is not None:
            self.endpoint = self.realize(
                GS.Config(
                    self.child_name("endpoint"),
                    name=gs_name(*label, "endpoint"),
                    config_data={
                        "dataflow_endpoint_config": {
                            "dataflow_endpoint_name": endpoint_name,
                            "dataflow_endpoint_region": mission.region,
                        }
                    },
                    tags=tags,
                    opts=self.opts(),
                ),
                "ground.stream_delivery",
            )
            self.edges.append({"source": source, "destination": self.endpoint.arn})
        self.register_outputs({})


class AwsSatelliteProfile(MissionComponent):
    """One satellite's tracking config and mission profile, carrying the dataflow edges of
    all its downlinks (`links`): the profile a contact with it is reserved against."""

    TOKEN = "groundlink:index:AwsSatelliteProfile"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        satellite: str,
        links: list[AwsGroundLink],
        *,
        telemetry_sink: aws_native.groundstation.Config | None,
        streams: tuple[aws.kms.Key, aws.iam.Role] | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        gs = inputs.timing
        tags = native_tags(self.tags_of("aws-native"))
        station = ("ground.managed_station",)
        self.tracking = self.realize(
            GS.Config(
                self.child_name("tracking"),
                name=gs_name(mission.name, satellite, "tracking"),
                config_data={"tracking_config": {"autotrack": gs.autotrack.upper()}},
                tags=tags,
                opts=self.opts(),
            ),
            *station,
        )
        edges = [edge for link in links for edge in link.edges]
        if not 1 <= len(edges) <= DATAFLOW_EDGES_MAX:
            raise ValueError(
                f"{satellite}: {len(edges)} dataflow edges; AWS Ground Station allows 1-{DATAFLOW_EDGES_MAX}"
            )
        extra: dict[str, Any] = {}
        if telemetry_sink is not None:
            extra["telemetry_sink_config_arn"] = telemetry_sink.arn
        if streams is not None:
            key, role = streams
            extra.update(streams_kms_key={"kms_key_arn": key.arn}, streams_kms_role=role.arn)
        self.profile = self.realize(
            GS.MissionProfile(
                self.child_name("profile"),
                name=gs_name(mission.name, satellite),
                minimum_viable_contact_duration_seconds=gs.min_contact_seconds,
                contact_pre_pass_duration_seconds=gs.pre_pass_seconds,
                contact_post_pass_duration_seconds=gs.post_pass_seconds,
                tracking_config_arn=self.tracking.arn,
                dataflow_edges=edges,
                tags=tags,
                opts=self.opts(),
                **extra,
            ),
            *station,
        )
        self.register_outputs({"mission_profile_arn": self.profile.arn})


class AwsStreamEndpoints(MissionComponent):
    """Live delivery: one dataflow endpoint per downlink on a receiver network interface in
    the mission subnet, in one dataflow endpoint group per satellite, so that satellites'
    contacts stream at the same time (endpoints are create-only, so adding a downlink to a
    satellite replaces its group)."""

    TOKEN = "groundlink:index:AwsStreamEndpoints"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        *,
        account: pulumi.Input[str],
        network: Network,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        region, gs = mission.region, inputs.timing
        cap = "ground.stream_delivery"
        self.names = {
            link.key: endpoint_name(mission.name, link.satellite.name, link.downlink.name) for link in inputs.links
        }
        last_port = STREAM_BASE_PORT + len(inputs.links) - 1
        self.role = self.realize(
            aws.iam.Role(
                self.child_name("role"),
                **role_name(self.child_name("role")),
                description="Ground Station places dataflow endpoint interfaces in the mission subnet",
                assume_role_policy=iam.document(
                    lambda account: [
                        iam.service_trust(
                            GROUND_STATION, account, [_gs_arn(region, account, "dataflow-endpoint-group/*")]
                        )
                    ],
                    account=account,
                ),
                tags=self.tags,
                opts=self.opts(),
            ),
            cap,
            "ground.delivery_identity",
        )
        policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name("role-policy"),
                role=self.role.id,
                policy=iam.document(lambda: [iam.allow(ENDPOINT_NETWORK_ACTIONS, "*", "ManageEndpointInterfaces")]),
                opts=self.opts(),
            ),
            cap,
        )
        endpoint_sg = self.realize(
            aws.ec2.SecurityGroup(
                self.child_name("endpoint-sg"),
                vpc_id=network.vpc_id,
                description="AWS Ground Station dataflow endpoints",
                tags=self.tags,
                opts=self.opts(),
            ),
            cap,
        )
        receiver_sg = self.realize(
            aws.ec2.SecurityGroup(
                self.child_name("receiver-sg"),
                vpc_id=network.vpc_id,
                description="Mission receiver for AWS Ground Station streams",
                tags=self.tags,
                opts=self.opts(),
            ),
            cap,
        )
        ports = {"ip_protocol": "udp", "from_port": STREAM_BASE_PORT, "to_port": last_port}
        self.realize(
            aws.vpc.SecurityGroupEgressRule(
                self.child_name("endpoint-to-receiver"),
                security_group_id=endpoint_sg.id,
                referenced_security_group_id=receiver_sg.id,
                description="Contact data streams",
                tags=self.tags,
                opts=self.opts(),
                **ports,
            ),
            cap,
        )
        self.realize(
            aws.vpc.SecurityGroupIngressRule(
                self.child_name("receiver-from-endpoint"),
                security_group_id=receiver_sg.id,
                referenced_security_group_id=endpoint_sg.id,
                description="Contact data streams",
                tags=self.tags,
                opts=self.opts(),
                **ports,
            ),
            cap,
        )
        self.receiver = self.realize(
            aws.ec2.NetworkInterface(
                self.child_name("receiver"),
                subnet_id=network.subnet_id,
                security_groups=[receiver_sg.id],
                description=f"{mission.name}: fixed address the contact streams are sent to",
                tags=self.tags,
                opts=self.opts(),
            ),
            cap,
        )
        security = {
            "role_arn": self.role.arn,
            "security_group_ids": [endpoint_sg.id],
            "subnet_ids": [network.subnet_id],
        }
        # One group per satellite: a contact reserves its whole group for its duration, and
        # contacts run at once only on different groups (AWS Ground Station User Guide, "Use AWS
        # Ground Station Dataflow endpoint groups"; docs/facts.md §2), so one group for the
        # mission would let a single satellite's contact stream at a time.
        ports = {link.key: STREAM_BASE_PORT + i for i, link in enumerate(inputs.links)}
        self.groups = {
            satellite.name: self.realize(
                GS.DataflowEndpointGroup(
                    self.child_name(f"group-{satellite.name}"),
                    endpoint_details=[
                        {
                            "endpoint": {
                                "name": self.names[link.key],
                                "mtu": STREAM_MTU,
                                "address": {"name": self.receiver.private_ip, "port": ports[link.key]},
                            },
                            "security_details": security,
                        }
                        for link in inputs.links
                        if link.satellite.name == satellite.name
                    ],
                    contact_pre_pass_duration_seconds=gs.pre_pass_seconds,
                    contact_post_pass_duration_seconds=gs.post_pass_seconds,
                    tags=native_tags(self.tags_of("aws-native")),
                    opts=self.opts(depends_on=[policy]),
                ),
                cap,
            )
            for satellite in inputs.satellites
            if any(link.satellite.name == satellite.name for link in inputs.links)
        }
        if problem := stream_subnet_problem(len(self.groups), vpc_cidrs(mission)[1]):
            self.warn(problem)
        self.register_outputs({"dataflow_endpoint_group_arns": {sat: g.arn for sat, g in self.groups.items()}})


def stream_subnet_problem(groups: int, subnet: str) -> str | None:
    """Why the mission subnet may hold too few addresses for stream delivery, or None: AWS Ground
    Station "will assume this role and create an ENI in your VPC on the specified subnet upon
    creation of a dataflow endpoint group" (CloudFormation, AWS::GroundStation::DataflowEndpointGroup
    SecurityDetails), one group per streamed satellite, beside the receiver's ENI; the subnet is
    the VPC's first /24 whatever `clouds.aws.network_cidr` is. At least one ENI per group is
    counted (how many Ground Station makes per endpoint is not published): a warning, not a
    refusal; a constellation of some 250 streamed satellites reaches it."""
    usable = usable_addresses(subnet)
    needed = groups + 1  # and the receiver's
    if needed <= usable:
        return None
    return (
        f"ground: {groups} streamed satellites get {groups} dataflow endpoint groups, for each of which AWS Ground "
        f"Station creates a network interface in the mission subnet {subnet} beside the receiver's: {needed} "
        f"addresses at least, where the subnet has {usable} (EC2 reserves {security.SUBNET_RESERVED_ADDRESSES} of each "
        "subnet's), so `pulumi up` would run out of addresses; split the constellation into missions, or deliver "
        "its contacts to S3 (delivery.stream: false)"
    )


class AwsGroundSegment(MissionComponent):
    """Managed: AWS Ground Station per downlink. Partner: the landing prefix in the raw
    bucket and a write-only role the partner's AWS account may assume."""

    TOKEN = "groundlink:index:AwsGroundSegment"
    LAYER = "ground"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: GroundInputs,
        *,
        account: pulumi.Input[str],
        raw: Store | None,
        key: aws.kms.Key | None,
        telemetry_stream_arn: pulumi.Output[str] | None,
        network: Network | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.inputs = inputs
        self.account = account
        self.region = mission.region
        self.links: list[AwsGroundLink] = []
        self.profiles: list[AwsSatelliteProfile] = []
        self.ids: pulumi.Input[list[str]] | None = None
        # what the operator hands on: the profiles contacts are reserved against and the interface
        # a receiver runs on, or what the partner writes to and the role it writes with (as Azure's
        # ids name the landing container and the partner's grant)
        self.receiver: aws.ec2.NetworkInterface | None = None
        if inputs.station:
            self._managed(raw, key, telemetry_stream_arn, network)
            self.ids = pulumi.Output.all(
                *[satellite.profile.arn for satellite in self.profiles], *([self.receiver.id] if self.receiver else [])
            )
        else:
            role, stream = self._partner(raw, key)
            # the role last: the stream's ARN stayed the second entry a release documented
            ids = (
                ([pulumi.Output.concat(raw.uri, inputs.partner_prefix)] if raw else [])
                + ([stream.arn] if stream else [])
                + ([role.arn] if role else [])
            )
            self.ids = pulumi.Output.all(*ids) if ids else None
        self.register_outputs({"ground_segment_ids": self.ids})

    # -- managed ------------------------------------------------------------------
    def _managed(
        self,
        raw: Store | None,
        key: aws.kms.Key | None,
        telemetry_stream_arn: pulumi.Output[str] | None,
        network: Network | None,
    ) -> None:
        inputs = self.inputs
        role, ready = self._recording_role(raw, key) if raw is not None else (None, [])
        sink = self._telemetry_sink(telemetry_stream_arn, key) if telemetry_stream_arn is not None else None
        endpoints = streams = None
        if inputs.stream and network is not None:
            endpoints = AwsStreamEndpoints(
                self.child_name("stream"), self.mission, inputs, account=self.account, network=network, opts=self.opts()
            )
            self.receiver = endpoints.receiver
            if any(link.downlink.wideband for link in inputs.links):
                if key is not None:
                    streams = (key, self._streams_role(key))
                else:
                    self.warn(
                        "the mission profiles of wideband streamed downlinks get no streamsKmsKey (the key AWS Ground "
                        "Station encrypts Agent dataflows with in transit): security.customer_managed_keys is false"
                    )
        by_satellite: dict[str, list[AwsGroundLink]] = {}
        for link in inputs.links:
            made = AwsGroundLink(
                self.child_name(link.key),
                self.mission,
                inputs,
                link,
                recording_role=role,
                recording_ready=ready,
                raw=raw,
                endpoint_name=endpoints.names[link.key] if endpoints else None,
                opts=self.opts(),
            )
            self.links.append(made)
            by_satellite.setdefault(link.satellite.name, []).append(made)
        for satellite, links in by_satellite.items():
            wideband = any(made.link.downlink.wideband for made in links)
            self.profiles.append(
                AwsSatelliteProfile(
                    self.child_name(satellite),
                    self.mission,
                    inputs,
                    satellite,
                    links,
                    telemetry_sink=sink,
                    streams=streams if streams and wideband else None,
                    opts=self.opts(),
                )
            )

    def _role(
        self,
        suffix: str,
        description: str,
        trust,
        permissions,
        capabilities: tuple[str, ...],
        *,
        writes_stores: bool = False,
        **values: Any,
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        """`writes_stores`: the role writes the raw bucket from AWS's network, which a private
        mission's stores let in by its tag (iam.outside_vpc_tags)."""
        role = self.realize(
            aws.iam.Role(
                self.child_name(suffix),
                **role_name(self.child_name(suffix)),
                description=description,
                assume_role_policy=iam.document(trust, account=self.account, region=self.region),
                tags=iam.outside_vpc_tags(self) if writes_stores else self.tags,
                opts=self.opts(),
            ),
            *capabilities,
        )
        policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name(suffix, "policy"),
                role=role.id,
                policy=iam.document(permissions, **values),
                opts=self.opts(),
            ),
            *capabilities,
        )
        return role, policy

    def _recording_role(self, raw: Store, key: aws.kms.Key | None):
        """Ground Station writes contacts with this role: S3 needs only GetBucketLocation and
        PutObject, under the recording config's prefix (its fixed start, before the first
        placeholder: `contacts/year=`), not anywhere in the raw bucket (a partner's landing
        prefix included); the mission key is usable only through S3 in this region."""
        objects = self.inputs.raw_prefix.split("{", 1)[0] + "*"

        def trust(account: str, region: str) -> list[dict[str, Any]]:
            return [iam.service_trust(GROUND_STATION, account, [_gs_arn(region, account, "config/s3-recording/*")])]

        role, policy = self._role(
            "delivery-role",
            "AWS Ground Station writes contact data to the raw bucket",
            trust,
            write_only(self.region, objects),
            ("ground.delivery_identity",),
            writes_stores=True,
            bucket=raw.arn,
            key=key.arn if key else None,
        )
        return role, [policy, *raw.guards]

    def _telemetry_sink(
        self, stream_arn: pulumi.Output[str], key: aws.kms.Key | None
    ) -> aws_native.groundstation.Config:
        def trust(account: str, region: str) -> list[dict[str, Any]]:
            return [
                iam.service_trust(
                    GROUND_STATION,
                    account,
                    [
                        _gs_arn(region, account, "config/telemetry-sink/*"),
                        _gs_arn(region, account, "mission-profile/*"),
                    ],
                )
            ]

        def permissions(stream: str, key: str | None) -> list[dict[str, Any]]:
            # the actions the telemetry sink documents for its role (KinesisDataStreamData.KinesisRoleArn)
            return [
                iam.allow(
                    ["kinesis:DescribeStream", "kinesis:PutRecord", "kinesis:PutRecords"], stream, "PutContactTelemetry"
                ),
                *_encrypt_via("kinesis", self.region, key, "EncryptContactTelemetry"),
            ]

        role, policy = self._role(
            "telemetry-role",
            "AWS Ground Station puts contact telemetry on the stream",
            trust,
            permissions,
            ("analytics.telemetry_stream",),
            stream=stream_arn,
            key=key.arn if key else None,
        )
        return self.realize(
            GS.Config(
                self.child_name("telemetry-sink"),
                name=gs_name(self.mission.name, "telemetry"),
                config_data={
                    "telemetry_sink_config": {
                        "telemetry_sink_type": "KINESIS_DATA_STREAM",
                        "telemetry_sink_data": {
                            "kinesis_data_stream_data": {
                                "kinesis_data_stream_arn": stream_arn,
                                "kinesis_role_arn": role.arn,
                            }
                        },
                    }
                },
                tags=native_tags(self.tags_of("aws-native")),
                opts=self.opts(depends_on=[policy]),
            ),
            "analytics.telemetry_stream",
            "ground.managed_station",
        )

    def _streams_role(self, key: aws.kms.Key) -> aws.iam.Role:
        """Wideband streams are encrypted with the mission key; Ground Station may use it only
        with an encryption context naming this account's mission profiles."""

        def trust(account: str, region: str) -> list[dict[str, Any]]:
            return [iam.service_trust(GROUND_STATION, account, [_gs_arn(region, account, "mission-profile/*")])]

        def permissions(key: str, account: str, region: str) -> list[dict[str, Any]]:
            return [
                iam.allow(
                    ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
                    key,
                    "EncryptStreams",
                    Condition={
                        "StringEquals": {"kms:EncryptionContext:sourceAccount": account},
                        "ArnLike": {"kms:EncryptionContext:sourceArn": _gs_arn(region, account, "mission-profile/*")},
                    },
                )
            ]

        role, _ = self._role(
            "streams-kms-role",
            "AWS Ground Station encrypts wideband streams with the mission key",
            trust,
            permissions,
            ("ground.stream_delivery",),
            key=key.arn,
            account=self.account,
            region=self.region,
        )
        return role

    # -- partner ------------------------------------------------------------------
    def _partner(
        self, raw: Store | None, key: aws.kms.Key | None
    ) -> tuple[aws.iam.Role | None, aws.kinesis.Stream | None]:
        """The partner delivers with one write-only role in our account: objects under the landing
        prefix and, when streaming, records on a mission-owned stream. Without the partner's
        account nothing may assume that role, so neither delivery path is provisioned (the
        blueprint declares those gaps)."""
        inputs = self.inputs
        partner = inputs.partner
        if partner is None:
            raise ValueError("a partner ground segment needs ground_segment.partner")
        streaming = inputs.stream
        partner_account = inputs.partner_principal
        if partner_account is None:
            return None, None
        stream = contact_stream(self, "partner-stream", key, "ground.stream_delivery") if streaming else None

        external_id = partner.aws_external_id
        if external_id is None:
            self.warn(
                f"the landing role of partner {partner.name!r} trusts account {partner_account} without an sts:ExternalId; "
                "set ground_segment.partner.aws_external_id to the value agreed with the partner"
            )

        def trust(account: str, region: str) -> list[dict[str, Any]]:
            statement: dict[str, Any] = {
                "Sid": "TrustPartnerAccount",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{partner_account}:root"},
                "Action": "sts:AssumeRole",
            }
            if external_id is not None:  # a third party assuming our role: the confused-deputy guard
                statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
            return [statement]

        landing, records = write_only(self.region, f"{inputs.partner_prefix}*"), put_records(self.region)

        def permissions(bucket: str | None, stream: str | None, key: str | None) -> list[dict[str, Any]]:
            return (landing(bucket, key) if bucket else []) + (records(stream, key) if stream else [])

        targets = ([f"under {inputs.partner_prefix}"] if raw else []) + (["to its stream"] if stream else [])
        capabilities = (
            ("ground.delivery_identity",)
            + (("ground.partner_landing",) if raw else ())
            + (("ground.stream_delivery",) if stream else ())
        )
        role, _ = self._role(
            "partner-role",
            f"{partner.name} writes contact data {' and '.join(targets)} (write-only)",
            trust,
            permissions,
            capabilities,
            writes_stores=raw is not None,
            bucket=raw.arn if raw else None,
            stream=stream.arn if stream else None,
            key=key.arn if key else None,
        )
        return role, stream
