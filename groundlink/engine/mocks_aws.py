"""Mock outputs for AWS (pulumi-aws, pulumi-aws-native) resources, keyed by type token.

Each entry adds to a resource's inputs what the provider would compute
(ids, ARNs, names, endpoints), deterministically.
"""

from __future__ import annotations

from typing import Any, Callable

from pulumi.runtime import MockResourceArgs

from .mockids import ACCOUNT_ID, _hex, _kebab, _uuid

Extras = Callable[[MockResourceArgs, dict[str, Any]], dict[str, Any]]


def _bucket(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("bucket") or (args.inputs.get("bucketPrefix") or f"{args.name}-") + _hex(args.name)
    return {"bucket": name, "id": name, "arn": f"arn:aws:s3:::{name}",
            "bucketDomainName": f"{name}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{name}.s3.{ctx['region']}.amazonaws.com", "region": ctx["region"]}


def _kms_key(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    key_id = _uuid(args.typ, args.name)
    return {"keyId": key_id, "id": key_id, "arn": f"arn:aws:kms:{ctx['region']}:{ACCOUNT_ID}:key/{key_id}"}


def _iam_role(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    return {"name": name, "id": name, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{name}", "uniqueId": "AROA" + _hex(name, n=17).upper()}


def _sqs_queue(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    url = f"https://sqs.{ctx['region']}.amazonaws.com/{ACCOUNT_ID}/{name}"
    return {"name": name, "id": url, "url": url, "arn": f"arn:aws:sqs:{ctx['region']}:{ACCOUNT_ID}:{name}"}


def _groundstation(kind: str) -> Extras:
    def extras(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
        uid = _uuid(args.typ, args.name)
        sub = kind
        if kind == "config":
            data = args.inputs.get("configData") or {}
            first = next(iter(data), "config")
            sub = "config/" + _kebab(first.removesuffix("Config")).replace("antenna-downlink-demod-decode", "antenna-downlink-demod-decode")
        return {"arn": f"arn:aws:groundstation:{ctx['region']}:{ACCOUNT_ID}:{sub}/{uid}", "awsId": uid, "id": uid}

    return extras


AWS_EXTRAS: dict[str, Extras] = {
    "aws:s3/bucket:Bucket": _bucket,
    "aws:s3/bucketV2:BucketV2": _bucket,
    "aws:kms/key:Key": _kms_key,
    "aws:iam/role:Role": _iam_role,
    "aws:sqs/queue:Queue": _sqs_queue,
    "aws-native:groundstation:Config": _groundstation("config"),
    "aws-native:groundstation:MissionProfile": _groundstation("mission-profile"),
    "aws-native:groundstation:DataflowEndpointGroup": _groundstation("dataflow-endpoint-group"),
    "aws-native:groundstation:DataflowEndpointGroupV2": _groundstation("dataflow-endpoint-group"),
}


def _aws_generic(args: MockResourceArgs, ctx: dict[str, Any]) -> dict[str, Any]:
    module = args.typ.split(":")[1].split("/")[0]
    kind = _kebab(args.typ.split(":")[-1])
    name = args.inputs.get("name") or f"{args.name}-{_hex(args.name, n=7)}"
    arn = f"arn:aws:{module}:{ctx['region']}:{ACCOUNT_ID}:{kind}/{name}"
    return {"id": name, "arn": arn, "name": name} if "name" not in args.inputs else {"id": name, "arn": arn}


