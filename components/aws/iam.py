"""Policy documents, built as data and serialized once, so tests and the policy
pack read exactly what AWS will evaluate.

Values that only exist after deployment (account id, ARNs) arrive as Outputs;
`document` resolves them and calls a plain builder, which keeps each policy a
readable function of its inputs and never creates a resource inside `.apply()`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pulumi

from groundlink.blueprint import OUTSIDE_VPC_TAG

if TYPE_CHECKING:
    from ..base import MissionComponent

VERSION = "2012-10-17"


def outside_vpc_tags(component: MissionComponent) -> dict[str, str]:
    """The tags of `component`'s role that writes the stores from AWS's network rather than the
    VPC (Ground Station and partner delivery, Firehose, container jobs): the mission's, within
    the 50 a role takes, and the outside-vpc-writer tag valued with the mission's name, which
    the stores' VPC-endpoint rule lets in from elsewhere (storage._private_object_access). A
    mission spec may not set that tag (RESOURCE_TAGS of the spec module): on every role, it would
    let them all in."""
    return component.tags_and(
        {OUTSIDE_VPC_TAG: component.mission.name},
        "a role writing the stores from outside the VPC, beside its outside-vpc-writer tag,",
    )


def document(build: Callable[..., list[dict[str, Any]]], **values: pulumi.Input[Any]) -> pulumi.Output[str]:
    """`build(**resolved values)` returns statements; the result is the policy JSON."""

    def render(resolved: dict[str, Any]) -> str:
        return json.dumps({"Version": VERSION, "Statement": build(**resolved)}, sort_keys=True)

    return pulumi.Output.all(**values).apply(render) if values else pulumi.Output.from_input(render({}))


def allow(actions: list[str], resources: list[str] | str, sid: str, **extra: Any) -> dict[str, Any]:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources, **extra}


def key_through(actions: list[str], key: str, sid: str, region: str, services: list[str]) -> dict[str, Any]:
    """Use of the mission key only through `services` in `region` (kms:ViaService, AWS KMS
    Developer Guide, "kms:ViaService"): one key encrypts every store, so a role allowed to call
    KMS itself could decrypt the ciphertext of any of them, not only what its services hand it."""
    via = [f"{service}.{region}.amazonaws.com" for service in services]
    return allow(actions, key, sid, Condition={"StringEquals": {"kms:ViaService": via[0] if len(via) == 1 else via}})


def service_trust(service: str, account: str, source_arns: list[str] | None = None) -> dict[str, Any]:
    """Trust a service principal only on behalf of this account (and, when given, only
    for these source ARNs): the confused-deputy guard AWS recommends for service roles."""
    condition: dict[str, Any] = {"StringEquals": {"aws:SourceAccount": account}}
    if source_arns:
        condition["ArnLike"] = {"aws:SourceArn": source_arns if len(source_arns) > 1 else source_arns[0]}
    return {
        "Sid": "TrustService",
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }


def trusted_by(service: str, account: pulumi.Input[str]) -> pulumi.Output[str]:
    """The assume-role policy of a role that only `service`, acting for this account, assumes."""
    return document(lambda account: [service_trust(service, account)], account=account)


def deny_insecure_transport(resources: list[str], action: str) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resources,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
