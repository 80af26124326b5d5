"""Helpers for rule-level tests: the pack's own modules, and small stand-ins for
the args objects pulumi_policy passes (same attribute names)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from groundlink.check import import_pack

PACK = import_pack()
RULES = {rule.name: rule for rule in PACK.RULES}


def _config(rule, config: dict[str, Any] | None) -> dict[str, Any]:
    return {**rule.defaults(), **(config or {})}


def run_resource(
    name: str,
    props: dict[str, Any],
    *,
    type: str | None = None,
    protect: bool = True,
    provider: dict[str, Any] | None = None,
    config: dict[str, Any] | None = None,
) -> list[str]:
    """Messages the resource rule `name` reports for one resource (via the pack's type filter)."""
    rule = RULES[name]
    args = SimpleNamespace(
        resource_type=type or rule.types[0],
        props=props,
        urn=f"urn:test::{name}",
        name="res",
        opts=SimpleNamespace(protect=protect, parent=None),
        provider=SimpleNamespace(props=provider) if provider is not None else None,
        get_config=lambda: _config(rule, config),
    )
    messages: list[str] = []
    PACK.policy_of(rule).validate(args, lambda message, urn=None: messages.append(message))
    return messages


def res(type: str, name: str, props: dict[str, Any], deps: tuple = (), prop_deps: dict | None = None):
    return SimpleNamespace(
        resource_type=type,
        name=name,
        urn=f"urn:{type}::{name}",
        props=props,
        dependencies=list(deps),
        property_dependencies=prop_deps or {},
        opts=SimpleNamespace(protect=True),
        parent=None,
    )


def run_stack(name: str, resources: list[Any], config: dict[str, Any] | None = None) -> list[tuple[str, str]]:
    """(message, urn) pairs the stack rule `name` reports."""
    rule = RULES[name]
    args = SimpleNamespace(resources=resources, get_config=lambda: _config(rule, config))
    reported: list[tuple[str, str]] = []
    PACK.policy_of(rule).validate(args, lambda message, urn=None: reported.append((message, urn)))
    return reported


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


TLS_ONLY = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": "*",  # every bucket of the harness and its objects
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def hardened_bucket(name: str = "data", drop: tuple[str, ...] = (), **overrides: dict[str, Any]) -> list[Any]:
    """A bucket with every side resource the S3 stack rules expect, plus its log bucket.

    `drop` removes side resources by role; `overrides` replaces a role's props."""
    bucket = res(
        "aws:s3/bucket:Bucket", name, {"bucket": f"{name}-1", "id": f"{name}-1", "arn": f"arn:aws:s3:::{name}-1"}
    )
    logs = res("aws:s3/bucketV2:BucketV2", f"{name}-logs", {"bucket": f"{name}-logs-1"})
    side = {
        "pab": (
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            {
                "blockPublicAcls": True,
                "blockPublicPolicy": True,
                "ignorePublicAcls": True,
                "restrictPublicBuckets": True,
            },
        ),
        "policy": ("aws:s3/bucketPolicy:BucketPolicy", {"policy": doc(TLS_ONLY)}),
        "sse": (
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            {
                "rules": [
                    {
                        "applyServerSideEncryptionByDefault": {
                            "sseAlgorithm": "aws:kms",
                            "kmsMasterKeyId": "arn:aws:kms:us-west-2:1:key/k",
                        }
                    }
                ]
            },
        ),
        "versioning": (
            "aws:s3/bucketVersioningV2:BucketVersioningV2",
            {"versioningConfiguration": {"status": "Enabled"}},
        ),
        "logging": ("aws:s3/bucketLogging:BucketLogging", {"targetBucket": f"{name}-logs-1", "targetPrefix": "s3/"}),
        "lifecycle": (
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            {"rules": [{"id": "retention", "status": "Enabled", "expiration": {"days": 365}}]},
        ),
        "ownership": (
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            {"rule": {"objectOwnership": "BucketOwnerEnforced"}},
        ),
    }
    resources = [bucket, logs]
    for role, (kind, props) in side.items():
        if role not in drop:
            resources.append(
                res(kind, f"{name}-{role}", {"bucket": f"{name}-1", **overrides.get(role, props)}, deps=(bucket,))
            )
    # the log bucket itself: blocked, encrypted with SSE-S3 (all S3 server access logging accepts), versioned...
    for role in ("pab", "policy", "versioning", "lifecycle", "ownership"):
        kind, props = side[role]
        resources.append(res(kind, f"{name}-logs-{role}", {"bucket": f"{name}-logs-1", **props}, deps=(logs,)))
    resources.append(
        res(
            side["sse"][0],
            f"{name}-logs-sse",
            {"bucket": f"{name}-logs-1", "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
            deps=(logs,),
        )
    )
    return resources


def functions_app(subnet_id: str) -> Any:
    """A Flex Consumption Functions app deploying from account data1's `deploy` container and
    integrating `subnet_id`, as the pack's network-reach rules see one."""
    return res(
        "azure-native:web:WebApp",
        "processor",
        {
            "kind": "functionapp,linux",
            "functionAppConfig": {"deployment": {"storage": {"value": "https://data1.blob.core.windows.net/deploy"}}},
            "virtualNetworkSubnetId": subnet_id,
        },
    )
