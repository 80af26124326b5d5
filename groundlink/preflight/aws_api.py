"""AWS service API constraints the providers do not check at preview, from botocore's models.

Each planned property is mapped to the API shape its value ends up in (one
table, no per-rule code); the shape's `pattern`, `min` and `max` come from the
botocore service model pinned in requirements.lock. Patterns are applied to
the whole value, as the services validate them (the Ground Station model's
patterns carry no anchors but describe whole values: an ARN with an IAM path
is refused by `RoleArn`).
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from ..apishapes import SHAPES_FILE, Constraint, shape
from ..limits import EC2_SECURITY_GROUP_NAME_MAX_CHARS, EC2_SECURITY_GROUP_RESERVED_START, S3_RESERVED_BUCKET_STARTS

GS_CONFIG = "aws-native:groundstation:Config"
GS_PROFILE = "aws-native:groundstation:MissionProfile"
GS_ENDPOINTS = "aws-native:groundstation:DataflowEndpointGroup"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
LOG_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
_S3_RECORDING = "configData.s3RecordingConfig"
_KINESIS_SINK = "configData.telemetrySinkConfig.telemetrySinkData.kinesisDataStreamData"
_DEMOD_DECODE = "configData.antennaDownlinkDemodDecodeConfig"

# (resource type, input path) -> (botocore service, shape). `a[]` walks every item of list `a`.
API_SHAPES: dict[tuple[str, str], tuple[str, str]] = {
    (GS_CONFIG, "name"): ("groundstation", "SafeName"),
    (GS_CONFIG, f"{_S3_RECORDING}.roleArn"): ("groundstation", "RoleArn"),
    (GS_CONFIG, f"{_S3_RECORDING}.prefix"): ("groundstation", "S3KeyPrefix"),
    (GS_CONFIG, f"{_KINESIS_SINK}.kinesisRoleArn"): ("groundstation", "RoleArn"),
    (GS_CONFIG, f"{_KINESIS_SINK}.kinesisDataStreamArn"): ("groundstation", "KinesisDataStreamArn"),
    (GS_CONFIG, f"{_DEMOD_DECODE}.demodulationConfig.unvalidatedJson"): ("groundstation", "JsonString"),
    (GS_CONFIG, f"{_DEMOD_DECODE}.decodeConfig.unvalidatedJson"): ("groundstation", "JsonString"),
    (GS_PROFILE, "name"): ("groundstation", "SafeName"),
    (GS_PROFILE, "trackingConfigArn"): ("groundstation", "ConfigArn"),
    (GS_PROFILE, "telemetrySinkConfigArn"): ("groundstation", "ConfigArn"),
    (GS_PROFILE, "dataflowEdges[].source"): ("groundstation", "ConfigArn"),
    (GS_PROFILE, "dataflowEdges[].destination"): ("groundstation", "ConfigArn"),
    (GS_PROFILE, "streamsKmsRole"): ("groundstation", "RoleArn"),
    (GS_PROFILE, "streamsKmsKey.kmsAliasArn"): ("groundstation", "KeyAliasArn"),
    (GS_ENDPOINTS, "endpointDetails[].securityDetails.roleArn"): ("groundstation", "RoleArn"),
    (GS_ENDPOINTS, "endpointDetails[].endpoint.name"): ("groundstation", "SafeName"),
    ("aws:s3/bucket:Bucket", "bucket"): ("groundstation", "S3BucketName"),
    ("aws:iam/role:Role", "name"): ("iam", "roleNameType"),
    ("aws:iam/role:Role", "path"): ("iam", "pathType"),
    ("aws:iam/role:Role", "description"): ("iam", "roleDescriptionType"),
    ("aws:iam/role:Role", "assumeRolePolicy"): ("iam", "policyDocumentType"),
    ("aws:iam/rolePolicy:RolePolicy", "name"): ("iam", "policyNameType"),
    ("aws:iam/rolePolicy:RolePolicy", "policy"): ("iam", "policyDocumentType"),
    ("aws:kinesis/stream:Stream", "name"): ("kinesis", "StreamName"),
    (FIREHOSE, "name"): ("firehose", "DeliveryStreamName"),
    (FIREHOSE, "extendedS3Configuration.roleArn"): ("firehose", "RoleARN"),
    (FIREHOSE, "extendedS3Configuration.bucketArn"): ("firehose", "BucketARN"),
    (FIREHOSE, "extendedS3Configuration.prefix"): ("firehose", "Prefix"),
    (FIREHOSE, "extendedS3Configuration.errorOutputPrefix"): ("firehose", "ErrorOutputPrefix"),
    (FIREHOSE, "kinesisSourceConfiguration.roleArn"): ("firehose", "RoleARN"),
    ("aws:kms/key:Key", "description"): ("kms", "DescriptionType"),
    ("aws:kms/key:Key", "policy"): ("kms", "PolicyType"),
    ("aws:kms/alias:Alias", "name"): ("kms", "AliasNameType"),
    ("aws:lambda/function:Function", "layers[]"): ("lambda", "LayerVersionArn"),
    (LOG_METRIC_FILTER, "pattern"): ("logs", "FilterPattern"),
    (LOG_METRIC_FILTER, "metricTransformation.namespace"): ("logs", "MetricNamespace"),
    (LOG_METRIC_FILTER, "metricTransformation.name"): ("logs", "MetricName"),
    (LOG_METRIC_FILTER, "metricTransformation.value"): ("logs", "MetricValue"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "namespace"): ("cloudwatch", "Namespace"),
    ("aws:cloudwatch/metricAlarm:MetricAlarm", "metricName"): ("cloudwatch", "MetricName"),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "functionName"): ("lambda", "NamespacedFunctionName"),
    # numbers: the shape's min and max bound the value (botocore models the API's own ranges)
    (GS_PROFILE, "minimumViableContactDurationSeconds"): ("groundstation", "PositiveDurationInSeconds"),
    (GS_PROFILE, "contactPrePassDurationSeconds"): ("groundstation", "DurationInSeconds"),
    (GS_PROFILE, "contactPostPassDurationSeconds"): ("groundstation", "DurationInSeconds"),
    (GS_ENDPOINTS, "contactPrePassDurationSeconds"): ("groundstation", "DataflowEndpointGroupDurationInSeconds"),
    (GS_ENDPOINTS, "contactPostPassDurationSeconds"): ("groundstation", "DataflowEndpointGroupDurationInSeconds"),
    ("aws:lambda/function:Function", "memorySize"): ("lambda", "MemorySize"),
    ("aws:lambda/function:Function", "timeout"): ("lambda", "Timeout"),
    ("aws:lambda/function:Function", "ephemeralStorage.size"): ("lambda", "EphemeralStorageSize"),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "batchSize"): ("lambda", "BatchSize"),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "maximumBatchingWindowInSeconds"): (
        "lambda",
        "MaximumBatchingWindowInSeconds",
    ),
    ("aws:lambda/eventSourceMapping:EventSourceMapping", "scalingConfig.maximumConcurrency"): (
        "lambda",
        "MaximumConcurrency",
    ),
}
NUMERIC_TYPES = ("integer", "long", "float", "double")

# Names botocore models as free strings; the rule is in the operation's documentation.
DOCUMENTED: dict[tuple[str, str], Constraint] = {
    # a prefix is not a name: the provider adds 26 characters to it, so S3's 3-63 of a name are
    # 0-37 of a prefix (judged as a whole name, a 43-character prefix passed, "a-" was refused)
    ("aws:s3/bucket:Bucket", "bucketPrefix"): Constraint(
        "S3 bucket name prefix",
        'pulumi-aws s3.Bucket bucket_prefix documentation ("Must be lowercase and less than or equal to 37 '
        'characters in length"); S3 bucket naming rules',
        # S3: a name "must begin and end with a letter or number" and "must not contain two adjacent
        # periods": the provider's suffix ends it, so a prefix holds the rest
        pattern=r"(?:(?!.*\.\.)[a-z0-9][a-z0-9.-]*)?",
        max=37,
        description="lowercase letters, digits, '.' and '-', starting with a letter or digit, no '..', at most 37: "
        "the provider adds 26 characters",
    ),
    ("aws:sqs/queue:Queue", "name"): Constraint(
        "SQS queue name",
        "botocore sqs service-2, CreateQueue QueueName documentation",
        pattern=r"[A-Za-z0-9_-]{1,80}(\.fifo)?",
        min=1,
        max=80,
        description="up to 80 alphanumerics, hyphens, underscores; FIFO ends in .fifo",
    ),
}


# What S3 refuses in a bucket name beyond botocore's shape (which carries no rule of it):
# names starting with a prefix S3 reserves. A prefix is checked as the start of the name the
# provider completes, so only the starting rules apply to it (the suffix is the provider's).
_S3_RESERVED_START = "(?!" + "|".join(re.escape(start) for start in S3_RESERVED_BUCKET_STARTS) + ")"
_S3_RESERVED_END = r"(?<!-s3alias)(?<!--ol-s3)(?<!\.mrap)(?<!--x-s3)(?<!--table-s3)"
_S3_RULES = "Amazon S3 User Guide, General purpose bucket naming rules (read 2026-12-02)"
_EC2_GROUP_NAME = "botocore 1.44.5 ec2 model, CreateSecurityGroupRequest.GroupName documentation"
RESERVED: dict[tuple[str, str], Constraint] = {
    # botocore models GroupName as a free string and states its rule in words (limits.py)
    ("aws:ec2/securityGroup:SecurityGroup", "name"): Constraint(
        "EC2 security group name",
        _EC2_GROUP_NAME,
        pattern="(?!(?i:" + re.escape(EC2_SECURITY_GROUP_RESERVED_START) + ")).*",
        max=EC2_SECURITY_GROUP_NAME_MAX_CHARS,
        description=f"no name starts with {EC2_SECURITY_GROUP_RESERVED_START}, in any case",
    ),
    ("aws:s3/bucket:Bucket", "bucketPrefix"): Constraint(
        "S3 reserved bucket name prefix",
        _S3_RULES,
        pattern=_S3_RESERVED_START + r".*",
        description="no name starts with xn--, sthree- or amzn-s3-demo-",
    ),
    ("aws:s3/bucket:Bucket", "bucket"): Constraint(
        "S3 reserved bucket name prefix or suffix",
        _S3_RULES,
        pattern=_S3_RESERVED_START + r".*" + _S3_RESERVED_END,
        description="no name starts with xn--, sthree- or amzn-s3-demo-, or ends with -s3alias, --ol-s3, "
        ".mrap, --x-s3 or --table-s3",
    ),
}


def derive_shapes() -> dict[str, Any]:
    """The shapes the table names, read from botocore (what `make preflight-shapes` writes)."""
    import botocore
    from botocore.loaders import Loader

    loader = Loader()
    services = {service for service, _ in API_SHAPES.values()}
    models = {service: loader.load_service_model(service, "service-2")["shapes"] for service in sorted(services)}
    shapes = {
        f"{service} {shape}": {
            **{k: models[service][shape][k] for k in ("pattern", "min", "max") if k in models[service][shape]},
            **({"numeric": True} if models[service][shape]["type"] in NUMERIC_TYPES else {}),
        }
        for service, shape in sorted(set(API_SHAPES.values()))
    }
    return {"source": f"botocore {botocore.__version__}", "shapes": shapes}


def service_regions(service: str) -> list[str]:
    """The regions botocore's endpoint data lists for `service` in the aws partition, FIPS
    endpoints left out (what limits.AWS_GROUND_STATION_API_REGIONS copies; a test compares)."""
    from botocore.loaders import Loader

    aws = next(p for p in Loader().load_data("endpoints")["partitions"] if p["partition"] == "aws")
    return sorted(r for r in aws["services"][service]["endpoints"] if not r.startswith("fips-"))


@cache
def constraints() -> dict[tuple[str, str], Constraint]:
    """The whole AWS table with its shapes resolved (from the copy of botocore's models)."""
    return {**{key: shape(*where) for key, where in API_SHAPES.items()}, **DOCUMENTED}


def write_shapes() -> None:
    """`make preflight-shapes`: the botocore shapes the AWS table reads, copied into the package."""
    SHAPES_FILE.write_text(json.dumps(derive_shapes(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SHAPES_FILE}")


if __name__ == "__main__":
    write_shapes()
