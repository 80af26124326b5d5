"""Mock outputs for AWS (pulumi-aws, pulumi-aws-native) resources, keyed by type token.

Each entry adds to a resource's inputs what the provider would compute
(ids, ARNs, names, endpoints), deterministically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi.runtime import MockResourceArgs

from .mockids import ACCOUNT_ID, _hex, _kebab, _uuid

Extras = Callable[[MockResourceArgs, dict[str, Any]], dict[str, Any]]


def _bucket(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    # a `bucketPrefix` is completed as Terraform completes any prefix: 26 characters (_named)
    prefix = args.inputs.get("bucketPrefix")
    name = args.inputs.get("bucket") or (
        f"{prefix}{_hex('prefix', args.name, n=26)}" if prefix else f"{args.name}-{_hex(args.name)}"
    )
    return {
        "bucket": name,
        "id": name,
        "arn": f"arn:aws:s3:::{name}",
        "bucketDomainName": f"{name}.s3.amazonaws.com",
        "bucketRegionalDomainName": f"{name}.s3.{ctx['region']}.amazonaws.com",
        "region": ctx["region"],
    }


def _kms_key(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    key_id = _uuid(args.typ, args.name)
    return {"keyId": key_id, "id": key_id, "arn": f"arn:aws:kms:{ctx['region']}:{ACCOUNT_ID}:key/{key_id}"}


def _iam_role(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = _named(args)
    path = args.inputs.get("path") or "/"  # a role's ARN carries its path
    return {
        "name": name,
        "id": name,
        "path": path,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:role{path}{name}",
        "uniqueId": "AROA" + _hex(name, n=17).upper(),
    }


def _sqs_queue(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = _named(args)
    url = f"https://sqs.{ctx['region']}.amazonaws.com/{ACCOUNT_ID}/{name}"
    return {"name": name, "id": url, "url": url, "arn": f"arn:aws:sqs:{ctx['region']}:{ACCOUNT_ID}:{name}"}


def _groundstation(kind: str) -> Extras:
    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        uid = _uuid(args.typ, args.name)
        sub = kind
        if kind == "config":
            data = args.inputs.get("configData") or {}
            first = next(iter(data), "config")
            sub = "config/" + _kebab(first.removesuffix("Config"))  # botocore groundstation ConfigCapabilityType
        arn = f"arn:aws:groundstation:{ctx['region']}:{ACCOUNT_ID}:{sub}/{uid}"
        # the id is the type's primary identifier as Cloud Control reads it (registry schemas:
        # Config `Arn`, MissionProfile `Id` and `Arn` joined with `|`, DataflowEndpointGroup `Id`)
        ids = {"config": arn, "mission-profile": f"{uid}|{arn}"}
        return {"arn": arn, "awsId": uid, "id": ids.get(kind, uid)}

    return extras


def _named(args: MockResourceArgs, n: int = 7) -> str:
    """The name the provider gives: the one given; a `namePrefix` and Terraform's 26-character
    unique id; else Pulumi's auto-name (`<resource name>-` and `n` random characters)."""
    if args.inputs.get("name"):
        return str(args.inputs["name"])
    if args.inputs.get("namePrefix"):
        return f"{args.inputs['namePrefix']}{_hex('prefix', args.name, n=26)}"
    return f"{args.name}-{_hex(args.name, n=n)}"


def _layer_version(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    """A layer's first version: the layer ARN, and the version ARN ending in its number."""
    name = str(args.inputs.get("layerName") or args.name)
    layer = f"arn:aws:lambda:{ctx['region']}:{ACCOUNT_ID}:layer:{name}"
    return {"id": f"{layer}:1", "arn": f"{layer}:1", "layerArn": layer, "version": "1"}


def _arn(service: str, resource: Callable[[str], str], *, id_is_arn: bool = False) -> Extras:
    """A named resource whose ARN is `arn:aws:<service>:<region>:<account>:<resource(name)>`;
    its `id` the name, or the ARN where the provider makes it so (`id_is_arn`: the Terraform
    resources' documented `id` of an SNS topic, a Kinesis or Firehose stream, a Batch job queue
    or job definition is its ARN), so that code taking one for the other shows in the plan."""

    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        name = _named(args)
        arn = f"arn:aws:{service}:{ctx['region']}:{ACCOUNT_ID}:{resource(name)}"
        return {"name": name, "id": arn if id_is_arn else name, "arn": arn}

    return extras


def _ec2(prefix: str, kind: str) -> Extras:
    """EC2 ids (`vpc-0123...`) and ARNs; a VPC and subnet echo their CIDR, an interface gets an address."""

    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        ident = f"{prefix}-0{_hex(args.typ, args.name, n=16)}"
        out: dict[str, Any] = {
            "id": ident,
            "arn": f"arn:aws:ec2:{ctx['region']}:{ACCOUNT_ID}:{kind}/{ident}",
            "ownerId": ACCOUNT_ID,
        }
        if prefix == "eni":
            out.update(privateIp="10.64.0.10", privateIps=["10.64.0.10"], macAddress="0a:00:00:00:00:01")
        if prefix == "vpce":
            out.update(prefixListId="pl-68a54001", state="available")
        if prefix == "vpc":
            out.update(
                defaultRouteTableId=f"rtb-0{_hex('main', args.name, n=16)}",
                mainRouteTableId=f"rtb-0{_hex('main', args.name, n=16)}",
            )
        return out

    return extras


def _security_group(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    """A security group's id and the name the provider gives it (Pulumi auto-names one left
    unnamed, and EC2 judges that name as it would a given one)."""
    return {**_ec2("sg", "security-group")(args, ctx), "name": _named(args)}


def _same_as(key: str) -> Extras:
    """Bucket sub-resources, policies and the like: the provider's id is one of the inputs."""

    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        value = args.inputs.get(key)
        return {"id": value if isinstance(value, str) and value else f"{args.name}-id"}

    return extras


def _role_policy(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = _named(args)
    return {"name": name, "id": f"{args.inputs.get('role', 'role')}:{name}"}


def _budget(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = _named(args)
    return {
        "name": name,
        "id": f"{ACCOUNT_ID}:{name}",
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:budgets::{ACCOUNT_ID}:budget/{name}",
    }


def _glue_table(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name, db = args.inputs.get("name"), args.inputs.get("databaseName")
    return {
        "id": f"{ACCOUNT_ID}:{db}:{name}",
        "catalogId": ACCOUNT_ID,
        "arn": f"arn:aws:glue:{ctx['region']}:{ACCOUNT_ID}:table/{db}/{name}",
    }


def _glue_database(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("name")
    return {
        "id": f"{ACCOUNT_ID}:{name}",
        "catalogId": ACCOUNT_ID,
        "arn": f"arn:aws:glue:{ctx['region']}:{ACCOUNT_ID}:database/{name}",
    }


def _sns_subscription(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    topic = args.inputs.get("topic", "topic")
    arn = f"{topic}:{_uuid(args.typ, args.name)}"
    return {"id": arn, "arn": arn, "pendingConfirmation": args.inputs.get("protocol") == "email"}


AWS_EXTRAS: dict[str, Extras] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:kms/key:Key": _kms_key,
    "aws:iam/role:Role": _iam_role,
    "aws:sqs/queue:Queue": _sqs_queue,
    "aws:kinesis/stream:Stream": _arn("kinesis", lambda n: f"stream/{n}", id_is_arn=True),
    "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": _arn(
        "firehose", lambda n: f"deliverystream/{n}", id_is_arn=True
    ),
    "aws:glue/catalogDatabase:CatalogDatabase": _glue_database,
    "aws:glue/catalogTable:CatalogTable": _glue_table,
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": lambda a, c: {"id": ACCOUNT_ID},
    "aws:athena/workgroup:Workgroup": _arn("athena", lambda n: f"workgroup/{n}"),
    "aws:cloudwatch/eventRule:EventRule": _arn("events", lambda n: f"rule/{n}"),
    "aws:cloudwatch/eventTarget:EventTarget": lambda a, c: {
        "id": f"{a.inputs.get('rule')}-{a.name}",
        "targetId": _hex(a.name, n=26),
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": _arn("cloudwatch", lambda n: f"alarm:{n}"),
    "aws:cloudwatch/logGroup:LogGroup": _arn("logs", lambda n: f"log-group:{n}"),
    "aws:cloudwatch/logStream:LogStream": _arn("logs", lambda n: f"log-group:stream:log-stream:{n}"),
    "aws:sns/topic:Topic": _arn("sns", lambda n: n, id_is_arn=True),
    "aws:sns/topicPolicy:TopicPolicy": _same_as("arn"),
    "aws:sns/topicSubscription:TopicSubscription": _sns_subscription,
    "aws:sqs/queuePolicy:QueuePolicy": _same_as("queueUrl"),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": _same_as("queueUrl"),
    "aws:iam/rolePolicy:RolePolicy": _role_policy,
    "aws:budgets/budget:Budget": _budget,
    "aws:kms/alias:Alias": lambda a, c: {
        "id": a.inputs.get("name"),
        "arn": f"arn:aws:kms:{c['region']}:{ACCOUNT_ID}:{a.inputs.get('name')}",
    },
    # an object of a versioned bucket (the artifacts bucket) has the version S3 gave it, which the
    # processing layer takes as its `s3ObjectVersion`: without one here the plan held null there,
    # and a diff against a real deployment read the layer as replaced (S3 version ids: up to 1,024
    # bytes, URL-ready; botocore s3 ObjectVersionId)
    "aws:s3/bucketObjectv2:BucketObjectv2": lambda a, c: {
        "id": a.inputs.get("key"),
        "versionId": _hex("object-version", a.name, n=32),
    },
    "aws:s3/bucketPolicy:BucketPolicy": _same_as("bucket"),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": _same_as("bucket"),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": _same_as("bucket"),
    "aws:s3/bucketVersioning:BucketVersioning": _same_as("bucket"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": _same_as("bucket"),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": _same_as("bucket"),
    "aws:s3/bucketLogging:BucketLogging": _same_as("bucket"),
    "aws:s3/bucketNotification:BucketNotification": _same_as("bucket"),
    "aws:ec2/vpc:Vpc": _ec2("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": _ec2("subnet", "subnet"),
    "aws:ec2/routeTable:RouteTable": _ec2("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": _ec2("rtbassoc", "route-table-association"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": _ec2("sg", "security-group"),
    "aws:ec2/securityGroup:SecurityGroup": _security_group,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": _ec2("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": _ec2("sgr", "security-group-rule"),
    "aws:ec2/networkInterface:NetworkInterface": _ec2("eni", "network-interface"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": _ec2("vpce", "vpc-endpoint"),
    # a job definition's ARN ends in its revision, 1 for the first (botocore's batch examples:
    # "arn:aws:batch:us-east-1:012345678910:job-definition/sleep60:1"): policies that grant every
    # revision cut it off, which a revision-less ARN would turn into the whole account
    "aws:batch/jobDefinition:JobDefinition": _arn("batch", lambda n: f"job-definition/{n}:1", id_is_arn=True),
    "aws:batch/jobQueue:JobQueue": _arn("batch", lambda n: f"job-queue/{n}", id_is_arn=True),
    # Lambda's ARNs separate with colons (botocore lambda: FunctionArn `...:function:<name>`,
    # LayerVersionArn `...:layer:<name>:<version>`), not the generic `<kind>/<name>`
    "aws:lambda/function:Function": _arn("lambda", lambda n: f"function:{n}"),
    "aws:lambda/layerVersion:LayerVersion": _layer_version,
    "aws-native:groundstation:Config": _groundstation("config"),
    "aws-native:groundstation:MissionProfile": _groundstation("mission-profile"),
    "aws-native:groundstation:DataflowEndpointGroup": _groundstation("dataflow-endpoint-group"),
}


def _aws_generic(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    module = args.typ.split(":")[1].split("/")[0]
    kind = _kebab(args.typ.split(":")[-1])
    name = _named(args)
    arn = f"arn:aws:{module}:{ctx['region']}:{ACCOUNT_ID}:{kind}/{name}"
    return {"id": name, "arn": arn, "name": name} if "name" not in args.inputs else {"id": name, "arn": arn}
