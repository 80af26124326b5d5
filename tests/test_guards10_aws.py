"""AWS settings a sampled run of one-line breaks of components/aws/ (2026-12-06) changed without
a test failing, each held to the value docs/aws.md, docs/processing.md, docs/facts.md, the
provider's schema or botocore gives: the stream ports the security groups open, the container
jobs' route out and every VPC's flow logs, who carries the outside-vpc-writer tag, the function's
logs and trigger, the Batch job, queue and compute environment, the queues and rules, the
telemetry table, archive and workgroup, the stores' tags, lifecycle and key aliases, the names of
the longest mission (within AWS's limits, the same on every run, apart for two missions) and the
alarms.

Expected values are written out by hand; the planned tests share the example's plans and the
variants other files build."""

from __future__ import annotations

import hashlib
import json

import pytest
from groundlink.components.aws.events import contact_event_pattern
from groundlink.components.aws.naming import bucket_prefix, glue_name, role_name

from groundlink.blueprint import build_blueprint
from groundlink.spec import spec_from_data

from .conftest import cached_plan, spec_data, variant_plan

PRIVATE = {"security.network": "private"}
GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
CONTAINER_JOB = {
    "processing.mode": "container_job",
    "processing.container_image": "public.ecr.aws/example/groundlink:1",
}
STREAM = {"delivery.stream": True}
NO_CMK = {"security.customer_managed_keys": False}
# a private mission whose flow logs are kept 100 days: CloudWatch Logs takes 90 or 120, not 100
PRIVATE_100_DAYS = {"security.network": "private", "security.flow_log_retention_days": 100}
# the spec's longest mission name (32 characters), dashed as mission names may be
LONG = "a-very-long-mission-name-of-32ch"

ACCOUNT = "123456789012"
MISSION_KEY = "arn:aws:kms:us-west-2:123456789012:key/c885a445-7875-91a1-4645-e0b61492a0a1"
TOPIC = "arn:aws:sns:us-west-2:123456789012:noaa20-observability-alerts-9101f53"
ROLE = "aws:iam/role:Role"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
GROUNDLINK_TAGS = {
    "managed-by": "groundlink",
    "mission": "noaa20",
    "owner": "platform-team",
    "data-classification": "internal",
    "cost-center": "eo-ground",  # the spec's own mission.tags
}


def _base():
    return cached_plan("noaa20.yaml", "aws")


def _job():
    return variant_plan("aws", CONTAINER_JOB)


def _policy(resource, key: str = "policy") -> list[dict]:
    document = json.loads(resource.inputs[key])
    assert document["Version"] == "2012-10-17"
    return document["Statement"]


# --- the ground segment's stream ports --------------------------------------------------------


def test_the_security_groups_open_exactly_the_constellation_s_stream_ports():
    """docs/aws.md: each downlink streams to UDP port 55888 + its index among the mission's
    downlinks, and the security groups open exactly that range from the endpoints to the
    receiver: 48 downlinks, ports 55888-55935 on both rules. A range one short leaves the last
    downlink's stream dropped at the receiver; every port its own, or two streams interleave."""
    plan = variant_plan("aws", STREAM, base="constellation.yaml")
    egress = plan.one("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").inputs
    ingress = plan.one("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").inputs
    for rule in (egress, ingress):
        assert (rule["ipProtocol"], rule["fromPort"], rule["toPort"]) == ("udp", 55888, 55935)
    ports = [
        e["endpoint"]["address"]["port"]
        for g in plan.of_type("aws-native:groundstation:DataflowEndpointGroup")
        for e in g.inputs["endpointDetails"]
    ]
    assert len(ports) == len(set(ports)) == 48
    assert min(ports) == 55888 and max(ports) == 55935


# --- networks: the jobs' route out, flow logs ---------------------------------------------------


def test_the_job_network_routes_everything_else_to_its_internet_gateway():
    """docs/aws.md: the Batch jobs run in a VPC of their own with public addresses (Fargate pulls
    the image, no NAT gateway): its subnet's route table sends 0.0.0.0/0 to the VPC's internet
    gateway (`gateway_id`; a NAT gateway's id there is refused, `nat_gateway_id` is its field)."""
    plan = _job()
    gateway = plan.one("aws:ec2/internetGateway:InternetGateway", "noaa20-processing-network-igw")
    table = plan.one("aws:ec2/routeTable:RouteTable", "noaa20-processing-network-private-rt")
    vpc = plan.one("aws:ec2/vpc:Vpc", "noaa20-processing-network-vpc")
    assert gateway.inputs["vpcId"] == vpc.outputs["id"]
    route = plan.one("aws:ec2/route:Route").inputs
    assert route == {"destinationCidrBlock": "0.0.0.0/0", "gatewayId": gateway.outputs["id"], "routeTableId": table.id}
    subnet = plan.one("aws:ec2/subnet:Subnet", "noaa20-processing-network-private")
    association = plan.one("aws:ec2/routeTableAssociation:RouteTableAssociation").inputs
    assert association == {"subnetId": subnet.id, "routeTableId": table.id}
    assert plan.one("aws:batch/computeEnvironment:ComputeEnvironment").inputs["computeResources"]["subnets"] == [
        subnet.id
    ]


@pytest.mark.parametrize(
    ("changes", "network", "days"),
    [(PRIVATE_100_DAYS, "noaa20-security-network", 120), (CONTAINER_JOB, "noaa20-processing-network", 365)],
    ids=["private", "job"],
)
def test_flow_logs_go_to_a_keyed_log_group_kept_for_the_spec_s_days(changes, network, days):
    """docs/aws.md: flow logs (`ALL` traffic, 10-minute aggregation) to a CloudWatch log group
    encrypted with the mission key and kept `security.flow_log_retention_days` rounded up to a
    value CloudWatch Logs accepts (100 -> 120; the container jobs' VPC: the processor's flow-log
    days, 365 for noaa20), through a role vpc-flow-logs.amazonaws.com assumes only for this
    account's flow logs and that may only write that log group."""
    plan = variant_plan("aws", changes)
    group = plan.one(LOG_GROUP, f"{network}-flow-logs")
    assert group.inputs["kmsKeyId"] == MISSION_KEY
    assert group.inputs["retentionInDays"] == days
    role = plan.one(ROLE, f"{network}-flow-logs-role")
    assert _policy(role, "assumeRolePolicy") == [
        {
            "Sid": "TrustService",
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-west-2:123456789012:vpc-flow-log/*"},
            },
        }
    ]
    assert role.inputs["tags"] == GROUNDLINK_TAGS
    (write,) = _policy(plan.one("aws:iam/rolePolicy:RolePolicy", f"{network}-flow-logs-policy"))
    arn = group.outputs["arn"]
    assert write == {
        "Sid": "WriteFlowLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        "Resource": [arn, f"{arn}:*"],
    }
    flow = plan.one("aws:ec2/flowLog:FlowLog").inputs
    assert flow["iamRoleArn"] == role.outputs["arn"]
    assert (flow["logDestinationType"], flow["logDestination"]) == ("cloud-watch-logs", arn)
    assert (flow["trafficType"], flow["maxAggregationInterval"]) == ("ALL", 600)


# --- the outside-vpc-writer tag ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "tagged"),
    [
        ({}, {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role"}),
        (CONTAINER_JOB, {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role", "noaa20-processing-role"}),
        (
            {**GEO, **PRIVATE},
            {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role", "noaa20-storage-replica-role"},
        ),
        (GEO, {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role"}),
    ],
    ids=["function", "job", "geo-private", "geo"],
)
def test_only_the_roles_writing_from_outside_the_vpc_carry_the_tag(changes, tagged):
    """docs/aws.md: Ground Station's delivery role, Firehose's, the container jobs' and (behind a
    private network) the replication role carry `outside-vpc-writer=<mission>`, "and only those":
    the function runs in the VPC, so its role has none; every role carries the mission's tags."""
    roles = variant_plan("aws", changes).of_type(ROLE)
    assert {r.name for r in roles if "outside-vpc-writer" in r.inputs["tags"]} == tagged
    for role in roles:
        expected = {**GROUNDLINK_TAGS, **({"outside-vpc-writer": "noaa20"} if role.name in tagged else {})}
        assert role.inputs["tags"] == expected, role.name


# --- the processing function ------------------------------------------------------------------


def test_the_function_logs_json_into_its_own_log_group():
    """The runtime prints each record as one JSON line, which the frame-loss metric filter reads
    (`{ $.worst_loss_percent > 1 }`, docs/aws.md): log format JSON, into the processor's log
    group (kept for the spec's days with the mission key), not Lambda's default /aws/lambda/."""
    plan = _base()
    group = plan.one(LOG_GROUP, "noaa20-processing-logs")
    function = plan.one("aws:lambda/function:Function").inputs
    assert function["loggingConfig"] == {"logFormat": "JSON", "logGroup": group.outputs["name"]}
    assert (group.inputs["kmsKeyId"], group.inputs["retentionInDays"]) == (MISSION_KEY, 365)
    assert function["tracingConfig"] == {"mode": "Active"}
    assert function["ephemeralStorage"] == {"size": 10240}  # Lambda's most /tmp (botocore EphemeralStorageSize)
    assert (function["timeout"], function["memorySize"], function["architectures"]) == (900, 2048, ["arm64"])
    assert function["kmsKeyArn"] == MISSION_KEY


def test_the_function_takes_one_contact_at_a_time_and_returns_its_failures_alone():
    """docs/processing.md: event source mapping on the contact queue, batch size 1,
    `ReportBatchItemFailures`, maximum concurrency `max_concurrency` (10 for noaa20)."""
    plan = _base()
    mapping = plan.one("aws:lambda/eventSourceMapping:EventSourceMapping").inputs
    assert mapping["eventSourceArn"] == plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["arn"]
    assert mapping["functionName"] == plan.one("aws:lambda/function:Function").outputs["arn"]
    assert mapping["batchSize"] == 1
    assert mapping["functionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["scalingConfig"] == {"maximumConcurrency": 10}
    assert mapping["enabled"] is True
    assert "maximumBatchingWindowInSeconds" not in mapping


# --- the container jobs -----------------------------------------------------------------------


def test_the_job_definition_runs_on_fargate_with_the_job_s_roles_and_awslogs():
    """A Fargate job definition (platformCapabilities FARGATE; EC2 would find no compute
    environment), 2 vCPU and 4096 MiB as noaa20's container settings give them, the job role and
    the execution role each in its own field (Fargate pulls and logs with the execution role),
    its output through the awslogs driver into the processor's log group under `contact/`."""
    plan = _job()
    definition = plan.one("aws:batch/jobDefinition:JobDefinition").inputs
    assert definition["type"] == "container"
    assert definition["platformCapabilities"] == ["FARGATE"]
    assert definition["retryStrategy"] == {"attempts": 3}
    assert definition["timeout"] == {"attemptDurationSeconds": 900}
    assert definition["propagateTags"] is True
    container = json.loads(definition["containerProperties"])
    roles = {r.name: r.outputs["arn"] for r in plan.of_type(ROLE)}
    assert container["jobRoleArn"] == roles["noaa20-processing-role"]
    assert container["executionRoleArn"] == roles["noaa20-processing-execution-role"]
    assert container["image"] == "public.ecr.aws/example/groundlink:1"
    assert container["resourceRequirements"] == [{"type": "VCPU", "value": "2"}, {"type": "MEMORY", "value": "4096"}]
    assert container["fargatePlatformConfiguration"] == {"platformVersion": "LATEST"}
    assert container["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": plan.one(LOG_GROUP, "noaa20-processing-logs").outputs["name"],
            "awslogs-stream-prefix": "contact",
        },
    }
    (write,) = _policy(plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-processing-execution-policy"))
    assert write["Action"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert write["Resource"] == plan.one(LOG_GROUP, "noaa20-processing-logs").outputs["arn"] + ":*"
    (trust,) = _policy(plan.one(ROLE, "noaa20-processing-execution-role"), "assumeRolePolicy")
    assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}


def test_the_job_queue_and_compute_environment_are_enabled_and_sized_for_the_concurrency():
    """A managed Fargate compute environment of max_concurrency x container_vcpu vCPUs (10 x 2),
    feeding the `<mission>-contacts` queue the failed-jobs rule matches, both ENABLED: a
    DISABLED queue accepts no job, and the pipe's submissions fail."""
    plan = _job()
    environment = plan.one("aws:batch/computeEnvironment:ComputeEnvironment")
    assert (environment.inputs["type"], environment.inputs["state"]) == ("MANAGED", "ENABLED")
    resources = environment.inputs["computeResources"]
    assert (resources["type"], resources["maxVcpus"]) == ("FARGATE", 20)
    assert resources["securityGroupIds"] == [plan.one("aws:ec2/securityGroup:SecurityGroup").outputs["id"]]
    queue = plan.one("aws:batch/jobQueue:JobQueue").inputs
    assert (queue["name"], queue["state"], queue["priority"]) == ("noaa20-contacts", "ENABLED", 1)
    assert queue["computeEnvironmentOrders"] == [{"order": 1, "computeEnvironment": environment.outputs["arn"]}]


def test_the_pipe_submits_one_job_per_message():
    plan = _job()
    pipe = plan.one("aws:pipes/pipe:Pipe").inputs
    assert pipe["source"] == plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["arn"]
    assert pipe["sourceParameters"] == {"sqsQueueParameters": {"batchSize": 1}}
    assert pipe["target"] == plan.one("aws:batch/jobQueue:JobQueue").outputs["arn"]
    job = pipe["targetParameters"]["batchJobParameters"]
    assert job["jobDefinition"] == plan.one("aws:batch/jobDefinition:JobDefinition").outputs["arn"]
    assert job["jobName"] == "contact"
    assert pipe.get("desiredState", "RUNNING") == "RUNNING"


# --- events -----------------------------------------------------------------------------------


def test_the_contact_queue_outlasts_the_function_and_redrives_after_five_receives():
    """docs/aws.md and docs/facts.md §10: the contact queue keeps a message 4 days (the unreceived
    alarm fires at 3), its visibility timeout is 6 x the function's timeout (5400 s for 900 s),
    it redrives to the dead-letter queue after 5 receives; the dead-letter queue keeps 14 days
    (the SQS maximum) and redrives nowhere itself. Both reuse a data key 300 s."""
    plan = _base()
    contacts = plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").inputs
    dead = plan.one("aws:sqs/queue:Queue", "noaa20-events-dead-letter")
    assert contacts["messageRetentionSeconds"] == 345600
    assert contacts["visibilityTimeoutSeconds"] == 5400
    assert json.loads(contacts["redrivePolicy"]) == {"deadLetterTargetArn": dead.outputs["arn"], "maxReceiveCount": 5}
    assert {k: v for k, v in dead.inputs.items() if k != "tags"} == {
        "kmsMasterKeyId": MISSION_KEY,
        "kmsDataKeyReusePeriodSeconds": 300,
        "messageRetentionSeconds": 1209600,
    }
    assert (contacts["kmsMasterKeyId"], contacts["kmsDataKeyReusePeriodSeconds"]) == (MISSION_KEY, 300)


@pytest.mark.parametrize(("base", "changes"), [("noaa20.yaml", CONTAINER_JOB), ("constellation.yaml", {})])
def test_every_rule_is_enabled(base, changes):
    """A DISABLED rule delivers nothing: no contact is processed and no failed job dead-lettered."""
    rules = variant_plan("aws", changes, base).of_type("aws:cloudwatch/eventRule:EventRule")
    assert len(rules) >= 2
    assert {r.inputs["state"] for r in rules} == {"ENABLED"}


def test_a_pattern_given_no_mission_profile_names_none():
    """`contact_event_pattern` with no profiles takes the state changes of any profile (the
    field left out): an empty `missionProfileArn` list is a pattern EventBridge refuses, and
    would match no contact's end."""
    inputs = build_blueprint(spec_from_data(spec_data())).for_cloud("aws").events
    assert contact_event_pattern(inputs, "raw", "arn:aws:s3:::raw") == {
        "source": ["aws.groundstation"],
        "$or": [
            {"detail-type": ["Ground Station S3 Upload Complete"], "detail": {"bucketArn": ["arn:aws:s3:::raw"]}},
            {
                "detail-type": ["Ground Station Contact State Change"],
                "detail": {"contactStatus": ["AWS_CANCELLED", "AWS_FAILED", "FAILED", "FAILED_TO_SCHEDULE"]},
            },
        ],
    }


# --- analytics --------------------------------------------------------------------------------


def test_the_telemetry_table_reads_ground_station_s_records():
    """Ground Station telemetry records (user guide, "Understand telemetry data") as Firehose
    writes them, in hourly partitions: the columns and their Hive types."""
    table = _base().one("aws:glue/catalogTable:CatalogTable", "noaa20-catalog-telemetry").inputs
    assert (table["name"], table["databaseName"], table["tableType"]) == ("telemetry", "noaa20", "EXTERNAL_TABLE")
    assert table["storageDescriptor"]["columns"] == [
        {"name": "telemetrytype", "type": "string"},
        {"name": "telemetryversion", "type": "string"},
        {"name": "scopeid", "type": "string"},
        {"name": "metadata", "type": "struct<groundstation:string,satelliteid:string,contactid:string>"},
        {"name": "data", "type": "map<string,string>"},
    ]
    assert table["partitionKeys"] == [{"name": k, "type": "string"} for k in ("year", "month", "day", "hour")]
    assert table["storageDescriptor"]["location"] == "s3://noaa20-products-e57a8e42327e9da16734d898dd/telemetry/"
    assert table["storageDescriptor"]["inputFormat"] == "org.apache.hadoop.mapred.TextInputFormat"
    assert (table["parameters"]["classification"], table["parameters"]["compressionType"]) == ("json", "gzip")


def test_the_telemetry_stream_is_on_demand_for_a_day_under_the_mission_key():
    """docs/aws.md: Kinesis data stream, on-demand, 24 h, mission key."""
    stream = _base().one("aws:kinesis/stream:Stream").inputs
    assert stream == {
        "streamModeDetails": {"streamMode": "ON_DEMAND"},
        "retentionPeriod": 24,
        "encryptionType": "KMS",
        "kmsKeyId": MISSION_KEY,
        "tags": GROUNDLINK_TAGS,
    }


def test_the_telemetry_archive_buffers_gzips_and_partitions_by_hour():
    """docs/aws.md: Firehose into s3://<products>/telemetry/year=.../hour=.../ (gzip, newline
    delimited, mission key), errors under telemetry-errors/, delivery errors logged to a log
    group under the mission key. Firehose buffers 64 MiB or 300 s, whichever comes first
    (botocore firehose BufferingHints: SizeInMBs 1-128, IntervalInSeconds 0-900), and its log
    group keeps the raw retention (365 days)."""
    plan = _base()
    s3 = plan.one("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream").inputs["extendedS3Configuration"]
    hour = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
    assert s3["prefix"] == "telemetry/" + hour
    assert s3["errorOutputPrefix"] == "telemetry-errors/!{firehose:error-output-type}/" + hour
    assert (s3["bufferingSize"], s3["bufferingInterval"]) == (64, 300)
    assert (s3["compressionFormat"], s3["kmsKeyArn"]) == ("GZIP", MISSION_KEY)
    assert s3["processingConfiguration"] == {"enabled": True, "processors": [{"type": "AppendDelimiterToRecord"}]}
    group = plan.one(LOG_GROUP, "noaa20-telemetry-archive-logs")
    assert s3["cloudwatchLoggingOptions"]["enabled"] is True
    assert s3["cloudwatchLoggingOptions"]["logGroupName"] == group.outputs["name"]
    assert (group.inputs["kmsKeyId"], group.inputs["retentionInDays"]) == (MISSION_KEY, 365)


def test_the_workgroup_enforces_its_encrypted_results_and_the_scan_cutoff():
    """docs/aws.md: workgroup `<mission>`, enforced configuration, CloudWatch metrics, results in
    s3://<query-results>/athena/ encrypted with the mission key, ExpectedBucketOwner = the
    account, the spec's per-query cut-off (noaa20: 10 GB = 10^10 bytes)."""
    workgroup = _base().one("aws:athena/workgroup:Workgroup").inputs
    assert (workgroup["name"], workgroup["state"], workgroup["forceDestroy"]) == ("noaa20", "ENABLED", True)
    assert workgroup["configuration"] == {
        "enforceWorkgroupConfiguration": True,
        "publishCloudwatchMetricsEnabled": True,
        "bytesScannedCutoffPerQuery": 10_000_000_000,
        "resultConfiguration": {
            "outputLocation": "s3://noaa20-query-results-11e02d61f8119410e62c3806ef/athena/",
            "expectedBucketOwner": ACCOUNT,
            "encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": MISSION_KEY},
        },
    }


# --- storage ----------------------------------------------------------------------------------


def test_every_store_carries_the_mission_s_tags_and_one_enabled_retention_rule():
    """docs/aws.md: every store by its prefix, tagged (the `mission` tag is what the budget
    filters on), one lifecycle rule `retention` over every object (`filter: {}`), Enabled; a
    Disabled rule keeps every object for ever."""
    plan = _base()
    buckets = {b.name: b for b in plan.of_type("aws:s3/bucket:Bucket")}
    assert {name: b.inputs["bucketPrefix"] for name, b in buckets.items()} == {
        "noaa20-storage-logs": "noaa20-logs-",
        "noaa20-storage-raw": "aws-groundstation-noaa20-raw-",
        "noaa20-storage-products": "noaa20-products-",
        "noaa20-storage-query-results": "noaa20-query-results-",
        "noaa20-storage-artifacts": "noaa20-artifacts-",
    }
    for bucket in buckets.values():
        assert bucket.inputs["tags"] == GROUNDLINK_TAGS, bucket.name
        assert bucket.inputs["forceDestroy"] is False
    lifecycles = plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert len(lifecycles) == 5
    for lifecycle in lifecycles:
        (rule,) = lifecycle.inputs["rules"]
        assert (rule["id"], rule["status"], rule["filter"]) == ("retention", "Enabled", {}), lifecycle.name
        assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}
        assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    raw = plan.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "noaa20-storage-raw-lifecycle")
    assert raw.inputs["rules"][0]["transitions"] == [
        {"days": 30, "storageClass": "STANDARD_IA"},
        {"days": 90, "storageClass": "GLACIER"},
        {"days": 180, "storageClass": "DEEP_ARCHIVE"},
    ]
    assert raw.inputs["rules"][0]["expiration"] == {"days": 365}


def test_the_keys_aliases_name_the_mission_and_the_replica():
    """docs/aws.md: `alias/<mission>-data`; the replica region's key `alias/<mission>-replica`."""
    plan = variant_plan("aws", GEO)
    aliases = {a.name: a.inputs for a in plan.of_type("aws:kms/alias:Alias")}
    keys = {k.name: k.outputs["keyId"] for k in plan.of_type("aws:kms/key:Key")}
    assert aliases == {
        "noaa20-security-data-alias": {"name": "alias/noaa20-data", "targetKeyId": keys["noaa20-security-data"]},
        "noaa20-storage-replica-key-alias": {
            "name": "alias/noaa20-replica",
            "targetKeyId": keys["noaa20-storage-replica-key"],
        },
    }
    prefixes = {b.name: b.inputs["bucketPrefix"] for b in plan.of_type("aws:s3/bucket:Bucket") if "replica" in b.name}
    assert prefixes == {
        "noaa20-storage-replica-raw": "noaa20-raw-replica-",
        "noaa20-storage-replica-products": "noaa20-products-replica-",
        "noaa20-storage-replica-logs": "noaa20-replica-logs-",
    }


# --- names ------------------------------------------------------------------------------------


def test_a_long_role_s_name_is_a_prefix_within_iam_s_limit_the_same_on_every_run():
    """IAM role names take at most 64 characters (botocore iam roleNameType): a name past it is a
    `name_prefix` the provider completes with 26 characters, the head of the name and a digest
    of all of it, so two long missions' roles stay apart; a short one is Pulumi's autoname."""
    assert role_name("noaa20-processing-execution-role") == {}
    assert role_name("m" * 56) == {}  # 56 + 8: exactly 64
    assert role_name("m" * 57) == {"name_prefix": "m" * 29 + "-" + "e46253b" + "-"}
    assert role_name(f"{LONG}-processing-execution-role") == {"name_prefix": "a-very-long-mission-name-of-3-46a1ce6-"}
    assert role_name(f"{LONG[:-1]}x-processing-execution-role") == {
        "name_prefix": "a-very-long-mission-name-of-3-7936e89-"
    }
    assert len("a-very-long-mission-name-of-3-46a1ce6-") + 26 == 64


def test_the_longest_mission_s_names_keep_to_aws_limits():
    """A 32-character mission: every role's physical name within IAM's 64, every bucket within
    S3's 63 (a 37-character prefix and the provider's 26), the Glue database `-` -> `_`."""
    plan = variant_plan("aws", {"mission.name": LONG, **CONTAINER_JOB, **GEO, **STREAM})
    roles = {r.name.removeprefix(LONG): r for r in plan.of_type(ROLE)}
    assert len(roles) >= 9
    for role in roles.values():
        assert len(role.outputs["name"]) <= 64, role.outputs["name"]
    assert roles["-processing-execution-role"].inputs["namePrefix"] == "a-very-long-mission-name-of-3-46a1ce6-"
    buckets = plan.of_type("aws:s3/bucket:Bucket")
    assert len(buckets) >= 6  # raw, products, query results, access logs, artifacts and the replicas
    for bucket in buckets:
        assert len(bucket.inputs["bucketPrefix"]) <= 37 and len(bucket.outputs["bucket"]) <= 63, bucket.name
    prefixes = {b.name.removeprefix(LONG): b.inputs["bucketPrefix"] for b in buckets}
    assert prefixes["-storage-raw"] == "aws-groundstation-a-very-long-mi-raw-"
    assert prefixes["-storage-query-results"] == "a-very-long-mission-na-query-results-"
    assert plan.one("aws:glue/catalogDatabase:CatalogDatabase").inputs["name"] == "a_very_long_mission_name_of_32ch"
    assert plan.one("aws:athena/workgroup:Workgroup").inputs["name"] == LONG
    assert glue_name(LONG, "telemetry") == "a_very_long_mission_name_of_32ch_telemetry"


def test_bucket_prefixes_are_cut_from_the_mission_name_alone():
    assert bucket_prefix(LONG, "raw", head="aws-groundstation") == "aws-groundstation-a-very-long-mi-raw-"
    assert bucket_prefix(LONG, "products") == "a-very-long-mission-name-of-products-"
    assert bucket_prefix(LONG, "logs") == "a-very-long-mission-name-of-32c-logs-"
    assert bucket_prefix("noaa20", "products") == "noaa20-products-"


# --- observability ----------------------------------------------------------------------------

ALARMS = {
    # name: (namespace, metric, statistic, threshold)
    "dead-letters": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0),
    "unreceived": ("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", 3 * 86400),
    "undelivered-contact": ("AWS/Events", "InvocationsFailedToBeSentToDlq", "Sum", 0),
    "frame-loss": ("groundlink/noaa20", "ContactsLosingFrames", "Sum", 0),
    "undelivered-failed-jobs": ("AWS/Events", "FailedInvocations", "Sum", 0),
    "replication-failed-raw": ("AWS/S3", "OperationsFailedReplication", "Sum", 0),
    "replication-failed-products": ("AWS/S3", "OperationsFailedReplication", "Sum", 0),
}


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({}, ["dead-letters", "unreceived", "undelivered-contact", "frame-loss"]),
        (CONTAINER_JOB, ["dead-letters", "unreceived", "undelivered-contact", "frame-loss", "undelivered-failed-jobs"]),
        (GEO, ["replication-failed-raw", "replication-failed-products"]),
    ],
    ids=["function", "job", "geo"],
)
def test_every_alarm_fires_on_one_five_minute_period_above_its_threshold(changes, names):
    """docs/aws.md: each alarm over 5 minutes (one period of 300 s), above its threshold (> 0;
    the age alarm > 3 days), missing data no alarm (`notBreaching`), to the alert topic and back."""
    plan = variant_plan("aws", changes)
    alarms = {a.name.removeprefix("noaa20-observability-"): a.inputs for a in plan.of_type(ALARM)}
    for name in names:
        alarm = alarms[name]
        namespace, metric, statistic, threshold = ALARMS[name]
        assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == (namespace, metric, statistic), name
        assert (alarm["threshold"], alarm["comparisonOperator"]) == (threshold, "GreaterThanThreshold"), name
        assert (alarm["period"], alarm["evaluationPeriods"], alarm["treatMissingData"]) == (300, 1, "notBreaching")
        assert (alarm["alarmActions"], alarm["okActions"]) == ([TOPIC], [TOPIC]), name


@pytest.mark.parametrize(("changes", "key"), [({}, MISSION_KEY), (NO_CMK, None)], ids=["cmk", "no-cmk"])
def test_the_alert_topic_is_encrypted_with_the_mission_key_only(changes, key):
    """docs/aws.md: the alert topic under the mission key; without customer-managed keys none
    (CloudWatch alarms cannot publish to a topic under alias/aws/sns)."""
    topic = variant_plan("aws", changes).one("aws:sns/topic:Topic").inputs
    assert topic.get("kmsMasterKeyId") == key


# --- the rest of the 2026-12-06 run's AWS survivors that change what is deployed -------------


def test_the_processor_layer_is_the_artifacts_store_s_archive_for_the_function_s_runtime():
    """docs/processing.md: the dependencies layer is published from the archive in the artifacts
    store, for the function's runtime and architecture; a layer no runtime lists cannot be
    attached, and one without its bucket cannot be published."""
    plan = cached_plan("noaa20.yaml", "aws")
    layer = plan.one("aws:lambda/layerVersion:LayerVersion", "noaa20-processing-dependencies").inputs
    artifacts = plan.one("aws:s3/bucket:Bucket", "noaa20-storage-artifacts").outputs["bucket"]
    assert (layer["s3Bucket"], layer["s3Key"]) == (artifacts, "processing/aws-lambda-layer.zip")
    assert (layer["compatibleRuntimes"], layer["compatibleArchitectures"]) == (["python3.12"], ["arm64"])
    function = plan.one("aws:lambda/function:Function", "noaa20-processing-function").inputs
    assert (function["runtime"], function["architectures"]) == ("python3.12", ["arm64"])


@pytest.mark.parametrize("changes", [{}, CONTAINER_JOB], ids=["function", "job"])
def test_the_processor_s_roles_trust_their_service_acting_for_this_account_only(changes):
    """A service trust without `aws:SourceAccount` lets the service assume the role for any
    account's resources (the confused deputy: IAM User Guide, "The confused deputy problem")."""
    plan = variant_plan("aws", changes)
    roles = [r for r in plan.of_type(ROLE) if r.name.startswith("noaa20-processing") and "flow-logs" not in r.name]
    assert len(roles) == (1 if not changes else 3)
    for role in roles:
        (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}, role.name


def test_a_geo_stack_lists_the_replica_region_s_key_and_lets_the_account_administer_it():
    """docs/aws.md: `key_ids` is the mission key, then the replica region's key with
    `storage.redundancy: geo`; the replica key's policy gives this account's root its
    administration (without it the key cannot be managed or deleted)."""
    plan = variant_plan("aws", GEO)
    replica = plan.one("aws:kms/key:Key", "noaa20-storage-replica-key")
    mission = plan.one("aws:kms/key:Key", "noaa20-security-data")
    assert plan.outputs["key_ids"] == [mission.outputs["arn"], replica.outputs["arn"]]
    assert replica.outputs["arn"].startswith(f"arn:aws:kms:us-east-2:{ACCOUNT}:key/")
    (statement,) = json.loads(replica.inputs["policy"])["Statement"]
    assert (statement["Principal"], statement["Action"]) == ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "kms:*")


def test_a_name_cut_just_after_a_dash_keeps_one_dash():
    """A mission name cut where it has a `-` loses the `-` too: `abcdefghijklm-` cut for a raw
    store is `abcdefghijklm`, so the bucket is not `...-abcdefghijklm--raw-...`, and a long
    role's head not `...m--<digest>-`."""
    assert bucket_prefix("abcdefghijklm-nopq", "raw", "aws-groundstation") == "aws-groundstation-abcdefghijklm-raw-"
    name = "m" * 28 + "-" + "x" * 40
    assert role_name(name) == {"name_prefix": "m" * 28 + "-69d9608-"}
    assert hashlib.sha256(name.encode()).hexdigest()[:7] == "69d9608"
