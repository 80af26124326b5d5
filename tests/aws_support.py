"""Helpers the AWS tests share: plans of the example specs and of named variants,
and policy documents parsed from plan inputs (no tests here)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from groundlink.engine import Plan, PlannedResource

from .conftest import cached_plan, plan_of, spec_data

ACCOUNT = "123456789012"
COMPONENT = "groundlink:index:{}"
KEY = "aws:kms/key:Key"
BUCKET = "aws:s3/bucket:Bucket"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
GS_CONFIG = "aws-native:groundstation:Config"
GS_PROFILE = "aws-native:groundstation:MissionProfile"
GS_GROUP = "aws-native:groundstation:DataflowEndpointGroup"


def _link(data: dict, **fields: Any) -> None:
    data["satellites"][0]["downlinks"][0].update(fields)


# Named one-purpose variants of the NOAA-20 reference spec.
VARIANTS: dict[str, Callable[[dict], None]] = {
    "stream": lambda d: d["delivery"].update(stream=True),
    "stream-only-wideband": lambda d: (
        d["delivery"].update(stream=True, object_store=False),
        d["processing"].update(enabled=False),  # a stream leaves no objects to process
        _link(d, bandwidth_mhz=100),
    ),
    "no-cmk": lambda d: d["security"].update(customer_managed_keys=False),
    "private": lambda d: d["security"].update(network="private"),
    "analytics-off": lambda d: d["analytics"].update(catalog=False, serverless_sql=False, telemetry_stream=False),
    "dev": lambda d: d["storage"].update(data_protection="dev"),
    "digif": lambda d: _link(d, delivery="digif", bandwidth_mhz=20, preset=None),
    "cutoff": lambda d: d["analytics"].update(query_bytes_scanned_cutoff_gb=0.5),
    "long-name": lambda d: d["mission"].update(name="a-very-long-mission-name-of-32ch"),
}


def aws(spec: str = "noaa20.yaml") -> Plan:
    return cached_plan(spec, "aws")


@cache
def aws_variant(name: str, base: str = "noaa20.yaml") -> Plan:
    data = spec_data(base)
    VARIANTS[name](data)
    data["satellites"][0]["downlinks"][0] = {
        k: v for k, v in data["satellites"][0]["downlinks"][0].items() if v is not None
    }
    return plan_of(data, "aws")


def aws_data(_tmp_path: Path, data: dict, _name: str = "spec.yaml") -> Plan:
    """The plan of a spec dict, shared by the whole session (conftest); the path
    arguments are unused and stay for the callers that pass them."""
    return plan_of(data, "aws")


def doc(resource: PlannedResource, key: str = "policy") -> dict[str, Any]:
    """A policy (or any JSON string input) parsed, never string-matched."""
    return json.loads(resource.inputs[key])


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def sid(document: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [s for s in statements(document) if s.get("Sid") == name]
    assert len(matches) == 1, f"expected one statement {name}, found {len(matches)}"
    return matches[0]


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def component(result: Plan, cls: str, name: str | None = None) -> PlannedResource:
    return result.one(COMPONENT.format(cls), name)


def below(result: Plan, ancestor: PlannedResource) -> Iterator[PlannedResource]:
    """Every resource under `ancestor`, at any depth."""
    for child in result.children(ancestor):
        yield child
        yield from below(result, child)


def role_policy_of(result: Plan, role: PlannedResource) -> PlannedResource:
    """The inline policy attached to `role` (its `role` input is the role's id)."""
    found = [p for p in result.of_type(ROLE_POLICY) if p.inputs["role"] == role.outputs["id"]]
    assert len(found) == 1
    return found[0]


def bucket_by_role(result: Plan, role: str) -> PlannedResource:
    """The bucket of the SecureBucket named `<mission>-storage-<role>`."""
    found = [b for b in result.of_type(BUCKET) if b.name.endswith(f"-storage-{role}")]
    assert len(found) == 1, [b.name for b in result.of_type(BUCKET)]
    return found[0]


def side(result: Plan, bucket: PlannedResource, kind: str) -> PlannedResource:
    """The bucket's side resource of `kind` (e.g. bucketPolicy:BucketPolicy)."""
    found = [r for r in result.of_type(f"aws:s3/{kind}") if r.inputs.get("bucket") == bucket.outputs["bucket"]]
    assert len(found) == 1, (kind, bucket.name, len(found))
    return found[0]
