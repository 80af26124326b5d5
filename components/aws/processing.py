"""Contact processing on AWS: the same `groundlink.processing` module a laptop runs, consuming
the per-contact SQS queue and writing the products bucket.

`function` mode: a Lambda function (Python 3.12) packaged as a Pulumi asset archive from the
installed modules, an event source mapping with partial batch failures (a failed contact goes
back alone, then to the dead-letter queue by the queue's redrive policy), a role that may only
read that queue, read raw objects, write the product prefixes and use the mission key.
`container_job` mode: the same code as a container on AWS Batch (Fargate), each message
submitted as one job by an EventBridge pipe from the queue.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import MissionInputs, ProcessingInputs
from groundlink.blueprint.layers import CONTACT_MINUTES_MAX
from groundlink.functiondeps import BUNDLES
from groundlink.limits import (
    FARGATE_ZONE_IDS,
    LAMBDA_ENVIRONMENT_BYTES_MAX,
    LAMBDA_EPHEMERAL_STORAGE_MB,
    PASS_PADDING_SECONDS,
    S3_BUCKET_NAME_MAX,
    S3_OBJECT_TAGS_MAX,
    lambda_environment_bytes,
    log_retention,
)
from groundlink.processing.layout import FRAMES_PREFIX
from groundlink.processing.tables import CONTACT_SUMMARY, TABLES
from groundlink.runtime.aws_lambda import PRODUCTS_BUCKET, RAW_BUCKET
from groundlink.runtime.azure_functions import CODE_DIGEST
from groundlink.runtime.delivery import CATALOGED_SATELLITES, mission_settings
from groundlink.runtime.job import job_command, job_parameter_defaults, pipe_parameters
from groundlink.runtime.package import AWS_HANDLER, image_digest, package_files, requirements

from ..base import MissionComponent
from . import iam
from .events import DEAD_LETTER_RETENTION_SECONDS, DELIVERY_RETRY_SECONDS
from .naming import job_queue_name, role_name
from .security import SUBNET_RESERVED_ADDRESSES, AwsNetwork, Network, usable_addresses, vpc_cidrs
from .storage import Store

# Batch runs a contact's job this many times before it fails (its retry strategy).
JOB_ATTEMPTS = 3
# The longest a contact's first capture file is older than its event: the longest contact and
# padding a spec takes (ground_segment.contact_minutes, pre_pass_seconds, post_pass_seconds).
CAPTURE_BEFORE_EVENT_SECONDS = CONTACT_MINUTES_MAX * 60 + 2 * PASS_PADDING_SECONDS[1]
LAYER = BUNDLES["aws"]  # the processor's wheels, built for this runtime by `make function-deps`
RUNTIME = f"python{LAYER.python_version}"
ARCHITECTURE = "arm64"  # Graviton: the lower GB-second price (prices/aws.yaml)
# One contact per invocation: a contact takes minutes, and one failure never holds back another.
BATCH_SIZE = 1
PRODUCT_PREFIXES = (FRAMES_PREFIX, *(t.prefix for t in TABLES))


def code_archive() -> pulumi.AssetArchive:
    """The processor and its runtime, file by file from the installed package, plus the pins."""
    assets: dict[str, pulumi.Asset | pulumi.Archive] = {
        path: pulumi.FileAsset(str(source)) for path, source in package_files().items()
    }
    assets["requirements.txt"] = pulumi.StringAsset(requirements("aws"))
    return pulumi.AssetArchive(assets)


# What Lambda does with the function's role to attach it to the mission VPC (the actions of the
# AWSLambdaVPCAccessExecutionRole managed policy; EC2 authorizes the Describe actions only on "*").
VPC_ACCESS_ACTIONS = [
    "ec2:AssignPrivateIpAddresses",
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:UnassignPrivateIpAddresses",
]

# What a Lambda function with active tracing does with its role to send its traces (the upload
# actions of the AWSXRayDaemonWriteAccess managed policy, docs/facts.md §10). X-Ray authorizes them
# only on "*", and Lambda refuses to create or update an actively traced function whose role
# cannot call PutTraceSegments.
TRACE_WRITE_ACTIONS = ["xray:PutTelemetryRecords", "xray:PutTraceSegments"]


def processor_permissions(
    queue: str | None,
    raw: str,
    products: str,
    key: str | None,
    log_group: str | None,
    region: str,
    vpc: bool = False,
    traces: bool = False,
) -> list[dict[str, Any]]:
    """Least privilege: the contact queue (when the function polls it), raw objects read, the
    product prefixes written, the mission key, its own log group, (`vpc`) the network
    interfaces Lambda creates to run it in the mission VPC, and (`traces`) the X-Ray uploads of
    an actively traced function."""
    statements = [
        iam.allow(["s3:ListBucket"], raw, "ListRawContacts"),
        iam.allow(["s3:GetObject"], f"{raw}/*", "ReadRawContacts"),
        # s3transfer uploads a stream above 8 MiB in parts and aborts the upload when a part
        # fails: without the abort, the parts stay (billed) until the lifecycle's abort rule
        iam.allow(
            ["s3:AbortMultipartUpload", "s3:PutObject"], [f"{products}/{p}*" for p in PRODUCT_PREFIXES], "WriteProducts"
        ),
        # a contact processed again replaces its earlier products (groundlink.runtime.delivery):
        # it lists the contact's partitions and deletes what the new products did not overwrite
        iam.allow(
            ["s3:ListBucket"],
            products,
            "ListProducts",
            Condition={"StringLike": {"s3:prefix": [f"{p}*" for p in PRODUCT_PREFIXES]}},
        ),
        iam.allow(["s3:DeleteObject"], [f"{products}/{p}*" for p in PRODUCT_PREFIXES], "ReplaceProducts"),
        # and reads the contact summary found under the same name in a neighbouring day, to tell
        # another contact's (a partner's `pass-1` of the day before, kept) from its own earlier
        # products (`delivery.earlier_products`): without it the read was refused (403) and every
        # such contact failed, retried and dead-lettered with its new products already uploaded
        iam.allow(["s3:GetObject"], f"{products}/{CONTACT_SUMMARY.prefix}*", "ReadEarlierSummaries"),
    ]
    if queue is not None:
        statements.insert(
            0,
            iam.allow(
                ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
                queue,
                "ConsumeContactQueue",
            ),
        )
    if key is not None:
        # through S3 (the stores), and for a function SQS (the queue its event source mapping
        # reads) and Lambda (its environment, encrypted with the key)
        services = ["s3"] + (["lambda", "sqs"] if queue is not None else [])
        statements.append(
            iam.key_through(["kms:Decrypt", "kms:GenerateDataKey"], key, "UseMissionKey", region, services)
        )
    if log_group is not None:
        statements.append(iam.allow(["logs:CreateLogStream", "logs:PutLogEvents"], f"{log_group}:*", "WriteLogs"))
    if vpc:
        statements.append(iam.allow(VPC_ACCESS_ACTIONS, "*", "AttachToMissionVpc"))
    if traces:
        statements.append(iam.allow(TRACE_WRITE_ACTIONS, "*", "WriteTraces"))
    return statements


def jobs_subnet_problem(jobs: int, subnet: str, vcpu: float = 1.0) -> str | None:
    """Why the container jobs' subnet may hold too few addresses for the jobs Batch may run at once,
    or None: a Fargate task "receives its own elastic network interface" (Amazon ECS Developer
    Guide, "Fargate task networking"), in the compute environment's one subnet, the first /24 of
    the jobs' VPC whatever `clouds.aws.network_cidr` is; Batch runs up to max_vcpus /
    container_vcpu = `processing.max_concurrency` of them. A warning, not a refusal: how many run
    at once depends on how many contacts arrive together."""
    usable = usable_addresses(subnet)
    if jobs <= usable:
        return None
    # the most the spec takes: jobs of part of a vCPU fill whole vCPUs (a multiple of 4 at 0.25)
    step = round(1 / vcpu) if vcpu < 1 else 1
    most = usable - usable % step
    return (
        f"processing.max_concurrency: {jobs} AWS container jobs may run at once, each a Fargate task with a network "
        f"interface of its own in the jobs' subnet {subnet}, which has {usable} addresses (EC2 reserves "
        f"{SUBNET_RESERVED_ADDRESSES} of each subnet's): past {usable} jobs at once a task finds no address to start "
        f"with; set processing.max_concurrency to {most} or fewer"
    )


class AwsProcessing(MissionComponent):
    """The mission's contact processor on AWS: the code a laptop runs, one contact per Lambda
    invocation or Batch job, so a failed contact holds back no other. Pass `account` and `key`
    (policy scope; the mission key or None), `queue` (the per-contact queue it consumes), `raw`
    and `products` (the stores it reads and writes), `network` on a private mission (its buckets
    admit only the VPC endpoint) and `artifacts` in function mode (where the dependency layer goes).
    Azure's counterpart: AzureProcessing in components/azure/processing.py."""

    TOKEN = "groundlink:index:AwsProcessing"
    LAYER = "processing"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: ProcessingInputs,
        *,
        account: pulumi.Input[str],
        key: aws.kms.Key | None,
        queue: aws.sqs.Queue,
        raw: Store,
        products: Store,
        network: Network | None = None,
        artifacts: Store | None = None,
        station: bool = True,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.inputs = inputs
        self.station = station  # contacts end with a Ground Station upload, else a partner's manifest
        self.warn_if_no_frames(inputs.frames_delivered)
        self.warn_if_randomized_frames_unread(inputs.randomized_unset)
        self._warn_if_retries_outlive_online_raw(inputs.raw_offline_after_days)
        # A private mission's bucket policies admit object access only through the VPC's S3
        # endpoint: the function runs in that VPC (components/aws/storage.py).
        self.network = network
        self.artifacts = artifacts
        self.key, self.raw, self.products, self.queue, self.account = key, raw, products, queue, account
        self.log_group = self.realize(
            aws.cloudwatch.LogGroup(
                self.child_name("logs"),
                retention_in_days=log_retention(inputs.log_retention_days),
                kms_key_id=key.arn if key else None,
                tags=self.tags,
                opts=self.holder_opts("observability.logging"),  # logs kept for their retention, as Azure's workspace
            ),
            "observability.logging",
            *(["security.log_cmk"] if key else []),
        )
        self.function: aws.lambda_.Function | None = None
        self.job_queue: aws.batch.JobQueue | None = None
        if inputs.mode == "function":
            self._function()
        else:
            self._container_job()
        self.register_outputs(
            {
                "function": self.function.arn if self.function else None,
                "job": self.job_queue.arn if self.job_queue else None,
            }
        )

    def _warn_if_retries_outlive_online_raw(self, offline_day: int | None) -> None:
        """A failed contact's message waits in the dead-letter queue for a redrive for up to its
        retention; raw files tiered to S3 Glacier Flexible Retrieval or Deep Archive before that
        cannot be read (GetObject: InvalidObjectState) until restored, so the redrive fails on AWS
        (Azure keeps archive-aged data in Cold, which is online). The contact's event itself may
        reach the queue a day late (EventBridge's delivery retries). A function's message keeps that
        enqueue time in the dead-letter queue (a standard queue's); a job's is a new message, sent
        once Batch's attempts are spent and EventBridge has delivered it, and a job's time queued
        before each attempt starts is bounded by nothing the stack sets, so it is said, not counted."""
        # S3 ages each file from its own creation: a contact's first file is older than its event by
        # the contact and its padding, up to the longest a spec takes
        window = CAPTURE_BEFORE_EVENT_SECONDS + DELIVERY_RETRY_SECONDS + DEAD_LETTER_RETENTION_SECONDS
        job = self.inputs.mode == "container_job"
        if job:
            window += JOB_ATTEMPTS * self.inputs.timeout_seconds + DELIVERY_RETRY_SECONDS
        window_days = math.ceil(window / 86400)
        if offline_day is not None and offline_day < window_days:
            queued = " (and the time its jobs wait to start)" if job else ""
            self.warn(
                f"storage.tiering: from day {offline_day} raw files are in S3 Glacier Flexible Retrieval or Deep "
                f"Archive, within the {window_days} days{queued} after its first file a failed contact's message may "
                f"wait for a retry or a redrive: a contact processed after day {offline_day} cannot read its capture "
                "(S3 GetObject: "
                "InvalidObjectState) until it is restored (S3 RestoreObject); a first cold or archive step at day "
                f"{window_days} or later{' and a margin for that wait' if job else ''} keeps every retry's capture "
                "online"
            )

    @property
    def capability(self) -> str:
        return "processing.function" if self.inputs.mode == "function" else "processing.container_job"

    def _role(
        self, service: str, queue: bool, vpc: bool = False, traces: bool = False, logs: bool = False
    ) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
        """The processor's role. `logs`: it writes the log group itself, as Lambda does with the
        function's role; a job's output goes through the awslogs driver, which writes with the
        task's execution role ("Amazon ECS task execution IAM role"), so the job role gets none."""
        role = self.realize(
            aws.iam.Role(
                self.child_name("role"),
                **role_name(self.child_name("role")),
                description="The contact processor: its queue, raw objects read, products written",
                assume_role_policy=iam.trusted_by(service, self.account),
                # the function runs in a private mission's VPC; the container jobs reach S3 from outside it
                tags=self.tags if self.inputs.mode == "function" else iam.outside_vpc_tags(self),
                opts=self.opts(),
            ),
            self.capability,
            "processing.least_privilege",
        )
        policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name("policy"),
                role=role.id,
                policy=iam.document(
                    processor_permissions,
                    queue=self.queue.arn if queue else None,
                    raw=self.raw.arn,
                    products=self.products.arn,
                    key=self.key.arn if self.key else None,
                    log_group=self.log_group.arn if logs else None,
                    region=self.mission.region,
                    vpc=vpc,
                    traces=traces,
                ),
                opts=self.opts(),
            ),
            self.capability,
            "processing.least_privilege",
        )
        return role, policy

    def _environment(self) -> dict[str, pulumi.Input[str]]:
        return {
            RAW_BUCKET: self.raw.name,
            PRODUCTS_BUCKET: self.products.name,
            **self._mission_settings(),
            **self._catalog_setting(lambda_environment=True),
        }

    def _mission_settings(self) -> dict[str, str]:
        return mission_settings(self.inputs.capture_format, samples_delivered=self.inputs.samples_delivered)

    def _catalog_setting(self, *, lambda_environment: bool = False) -> dict[str, str]:
        """The satellite names the catalog projects, where it reads no other (a partner's): the
        runtime says when a contact's products fall outside them (`uncataloged_warnings`). In a
        Lambda function's environment only where they fit its 4 KB of variables beside the others
        at their longest (the bucket names are not known before deployment): a large
        constellation's names, or a long capture setting, would have made Lambda refuse the
        function; the plan says what is left out. A Batch job's environment has no limit of its own, but
        the whole job definition takes at most 24 KiB (`groundlink preflight` measures it)."""
        names = ",".join(self.inputs.cataloged_satellites)
        if not names:
            return {}
        longest = {
            RAW_BUCKET: "b" * S3_BUCKET_NAME_MAX,
            PRODUCTS_BUCKET: "b" * S3_BUCKET_NAME_MAX,
            **self._mission_settings(),
            CATALOGED_SATELLITES: names,
        }
        if lambda_environment and lambda_environment_bytes(longest) > LAMBDA_ENVIRONMENT_BYTES_MAX:
            self.warn(
                f"the {len(self.inputs.cataloged_satellites)} satellite names the catalog projects do not fit the "
                f"function's {LAMBDA_ENVIRONMENT_BYTES_MAX:,} bytes of Lambda environment beside its other "
                f"settings: it is not given them ({CATALOGED_SATELLITES}), and says nothing of a contact a partner "
                "delivers under another name, which Athena does not list"
            )
            return {}
        return {CATALOGED_SATELLITES: names}

    def _function(self) -> None:
        inputs = self.inputs
        role, policy = self._role(
            "lambda.amazonaws.com", queue=True, vpc=self.network is not None, traces=True, logs=True
        )
        vpc_config = None
        if self.network is not None:
            group = self._egress_group(self.network.vpc_id, "The contact processor: outbound HTTPS to S3 only")
            vpc_config = {"subnet_ids": [self.network.subnet_id], "security_group_ids": [group.id]}
        layer = self._dependencies()
        self.function = self.realize(
            aws.lambda_.Function(
                self.child_name("function"),
                description=f"{self.mission.name}: one contact's captures into products",
                runtime=RUNTIME,
                architectures=[ARCHITECTURE],
                handler=AWS_HANDLER,
                code=code_archive(),
                layers=[layer.arn],
                role=role.arn,
                memory_size=inputs.memory_mb,
                timeout=inputs.timeout_seconds,
                # the processor stages a contact on local disk: the most /tmp Lambda gives
                ephemeral_storage={"size": LAMBDA_EPHEMERAL_STORAGE_MB},
                environment={"variables": self._environment()},
                kms_key_arn=self.key.arn if self.key else None,
                logging_config={"log_format": "JSON", "log_group": self.log_group.name},
                tracing_config={"mode": "Active"},
                vpc_config=vpc_config,
                tags=self.tags,
                opts=self.opts(depends_on=[policy]),
            ),
            "processing.function",
        )
        self.realize(
            aws.lambda_.EventSourceMapping(
                self.child_name("contacts"),
                event_source_arn=self.queue.arn,
                function_name=self.function.arn,
                batch_size=BATCH_SIZE,
                function_response_types=["ReportBatchItemFailures"],
                scaling_config={"maximum_concurrency": inputs.max_concurrency},
                enabled=True,
                tags=self.tags,
                opts=self.opts(depends_on=[policy]),
            ),
            "processing.function",
        )

    def _dependencies(self) -> aws.lambda_.LayerVersion:
        """numpy, pyarrow and dpkt as the runtime imports them: a layer of the archive `make
        function-deps` builds for this runtime and architecture. Zipped it is over Lambda's 50 MB
        direct upload, so it goes through the artifacts bucket (docs/processing.md, "Dependencies")."""
        if self.artifacts is None:
            raise ValueError("a processing function needs the artifacts store (StorageInputs.artifacts)")
        archive = self.realize(
            aws.s3.BucketObjectv2(
                self.child_name("dependencies-archive"),
                bucket=self.artifacts.id,
                key=f"processing/{LAYER.filename}",
                source=pulumi.FileAsset(str(LAYER.path)),
                content_type="application/zip",
                tags=self.tags_up_to(S3_OBJECT_TAGS_MAX, "the processing dependencies archive (an S3 object)"),
                opts=self.opts(depends_on=list(self.artifacts.guards)),
            ),
            "processing.function",
        )
        return self.realize(
            aws.lambda_.LayerVersion(
                self.child_name("dependencies"),
                layer_name=f"{self.mission.name}-processor-dependencies",
                description="dpkt, numpy and pyarrow at the pinned versions, for the contact processor",
                s3_bucket=self.artifacts.name,
                s3_key=archive.key,
                s3_object_version=archive.version_id,
                compatible_runtimes=[RUNTIME],
                compatible_architectures=[ARCHITECTURE],
                opts=self.opts(),
            ),
            "processing.function",
        )

    def _network(self) -> tuple[pulumi.Output[str], aws.ec2.SecurityGroup]:
        """The jobs' own VPC (flow logs included): Fargate pulls the image and reaches S3 with a
        public address, behind a security group that lets nothing in and only HTTPS out."""
        caps = ("processing.container_job",)
        if self.network is not None:  # security.network: private
            self.warn(
                "security.network: private: the AWS container jobs still run in a VPC of their own with "
                "public addresses (Fargate pulls the image from its registry, and the stack has no NAT "
                "gateway): they reach S3 over the internet with TLS, allowed through the stores' VPC-endpoint "
                "rule by their role's outside-vpc-writer tag; function mode keeps processing inside the private "
                "network"
            )
        network = AwsNetwork(
            self.child_name("network"),
            self.mission,
            private=False,
            stream=False,
            account=self.account,
            key=self.key,
            flow_log_retention_days=self.inputs.flow_log_retention_days,
            internet_egress=True,
            zone_ids=FARGATE_ZONE_IDS.get(self.mission.region, ()),
            capabilities=caps,
            opts=self.opts(),
        )
        if problem := jobs_subnet_problem(
            self.inputs.max_concurrency, vpc_cidrs(self.mission)[1], self.inputs.container_vcpu
        ):
            self.warn(problem)
        return network.subnet.id, self._egress_group(network.vpc.id, "Contact processing jobs: outbound HTTPS only")

    def _egress_group(self, vpc_id: pulumi.Input[str], description: str) -> aws.ec2.SecurityGroup:
        """Nothing in, HTTPS out: the subnet's routes decide where out leads (S3's gateway
        endpoint in the mission VPC, the internet in a container job's own)."""
        return self.realize(
            aws.ec2.SecurityGroup(
                self.child_name("sg"),
                vpc_id=vpc_id,
                description=description,
                egress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}],
                tags=self.tags,
                opts=self.opts(),
            ),
            self.capability,
        )

    def _container_job(self) -> None:
        inputs = self.inputs
        caps = ("processing.container_job",)
        self.warn_if_private_image(inputs.container_image)
        role, policy = self._role("ecs-tasks.amazonaws.com", queue=False)
        subnet, group = self._network()
        environment = self.realize(
            aws.batch.ComputeEnvironment(
                self.child_name("compute"),
                type="MANAGED",
                state="ENABLED",
                compute_resources={
                    "type": "FARGATE",
                    # whole: the spec refuses a max_concurrency whose jobs take part of a vCPU
                    "max_vcpus": int(inputs.max_concurrency * inputs.container_vcpu),
                    "subnets": [subnet],
                    "security_group_ids": [group.id],
                },
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        self.job_queue = self.realize(
            aws.batch.JobQueue(
                self.child_name("jobs"),
                name=job_queue_name(self.mission.name),
                state="ENABLED",
                priority=1,
                compute_environment_orders=[{"order": 1, "compute_environment": environment.arn}],
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        execution = self.realize(
            aws.iam.Role(
                self.child_name("execution-role"),
                **role_name(self.child_name("execution-role")),
                description="Fargate pulls the processor image and writes its logs",
                assume_role_policy=iam.trusted_by("ecs-tasks.amazonaws.com", self.account),
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        self.realize(
            aws.iam.RolePolicy(
                self.child_name("execution-policy"),
                role=execution.id,
                policy=iam.document(
                    lambda log_group: [
                        iam.allow(["logs:CreateLogStream", "logs:PutLogEvents"], f"{log_group}:*", "WriteLogs")
                    ],
                    log_group=self.log_group.arn,
                ),
                opts=self.opts(),
            ),
            *caps,
        )
        memory_mib = round(inputs.container_memory_gb * 1024)
        definition = self.realize(
            aws.batch.JobDefinition(
                self.child_name("job"),
                type="container",
                platform_capabilities=["FARGATE"],
                timeout={"attempt_duration_seconds": inputs.timeout_seconds},
                retry_strategy={"attempts": JOB_ATTEMPTS},
                parameters=job_parameter_defaults(),
                propagate_tags=True,
                container_properties=pulumi.Output.all(
                    role=role.arn,
                    execution=execution.arn,
                    log_group=self.log_group.name,
                    raw=self.raw.name,
                    products=self.products.name,
                ).apply(
                    lambda v: json.dumps(
                        {
                            "image": inputs.container_image,
                            "command": job_command(),
                            "jobRoleArn": v["role"],
                            "executionRoleArn": v["execution"],
                            "resourceRequirements": [
                                {"type": "VCPU", "value": f"{inputs.container_vcpu:g}"},
                                {"type": "MEMORY", "value": str(memory_mib)},
                            ],
                            "environment": [
                                *({"name": k, "value": x} for k, x in self._mission_settings().items()),
                                {"name": RAW_BUCKET, "value": v["raw"]},
                                {"name": PRODUCTS_BUCKET, "value": v["products"]},
                                *({"name": k, "value": x} for k, x in self._catalog_setting().items()),
                                # the image is built outside Pulumi: its processor's digest makes an
                                # upgrade that changes it an update, which the diff notes
                                {"name": CODE_DIGEST, "value": image_digest()},
                            ],
                            "networkConfiguration": {"assignPublicIp": "ENABLED"},
                            "fargatePlatformConfiguration": {"platformVersion": "LATEST"},
                            "logConfiguration": {
                                "logDriver": "awslogs",
                                "options": {"awslogs-group": v["log_group"], "awslogs-stream-prefix": "contact"},
                            },
                        },
                        sort_keys=True,
                    )
                ),
                tags=self.tags,
                opts=self.opts(depends_on=[policy]),
            ),
            *caps,
        )
        self._pipe(definition, self.job_queue)

    def _pipe(self, definition: aws.batch.JobDefinition, job_queue: aws.batch.JobQueue) -> None:
        """EventBridge Pipes reads the contact queue and submits one Batch job per message,
        with the fields of its event that name the contact as the job's parameters."""
        caps = ("processing.container_job", "processing.least_privilege")
        pipe_role = self.realize(
            aws.iam.Role(
                self.child_name("pipe-role"),
                **role_name(self.child_name("pipe-role")),
                description="The pipe reads the contact queue and submits processing jobs",
                assume_role_policy=iam.trusted_by("pipes.amazonaws.com", self.account),
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        pipe_policy = self.realize(
            aws.iam.RolePolicy(
                self.child_name("pipe-policy"),
                role=pipe_role.id,
                policy=iam.document(
                    _pipe_permissions,
                    queue=self.queue.arn,
                    job_queue=job_queue.arn,
                    definition=definition.arn,
                    key=self.key.arn if self.key else None,
                    region=self.mission.region,
                ),
                opts=self.opts(),
            ),
            *caps,
        )
        self.realize(
            aws.pipes.Pipe(
                self.child_name("pipe"),
                description=f"{self.mission.name}: one processing job per contact event",
                role_arn=pipe_role.arn,
                source=self.queue.arn,
                source_parameters={"sqs_queue_parameters": {"batch_size": BATCH_SIZE}},
                target=job_queue.arn,
                target_parameters={
                    "batch_job_parameters": {
                        "job_definition": definition.arn,
                        "job_name": "contact",
                        "parameters": pipe_parameters(self.station),
                    }
                },
                tags=self.tags,
                opts=self.opts(depends_on=[pipe_policy]),
            ),
            "processing.container_job",
        )


def _pipe_permissions(
    queue: str, job_queue: str, definition: str, key: str | None, region: str
) -> list[dict[str, Any]]:
    statements = [
        iam.allow(["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], queue, "ConsumeContactQueue"),
        iam.allow(["batch:SubmitJob"], [job_queue, definition.rsplit(":", 1)[0] + ":*"], "SubmitJobs"),
    ]
    if key is not None:
        statements.append(iam.key_through(["kms:Decrypt"], key, "ReadEncryptedQueue", region, ["sqs"]))
    return statements
