"""Mock provider outputs shaped like the real providers'.

Outputs are the inputs plus what the cloud would compute: ids, ARNs, Azure
resource ids, names, endpoints. Values are deterministic (hashed from type
and name) so plans are reproducible. Per-type extras live in `mocks_aws` and
`mocks_azure`, keyed by type token.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

from .mockids import ACCOUNT_ID, CLIENT_OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID, _uuid
from .mocks_aws import AWS_EXTRAS, _aws_generic
from .mocks_azure import AZURE_EXTRAS, _azure_id, _azure_name, identity


def _no_extras(args: MockResourceArgs, name: str) -> dict[str, Any]:
    return {}


class OfflineMocks(Mocks):
    """Answers the SDK's resource and invoke calls the way the providers would."""

    def __init__(self, region: str = "us-west-2") -> None:
        self.ctx = {"region": region}

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        package = args.typ.split(":")[0]
        if package in ("aws", "aws-native"):
            extras = AWS_EXTRAS.get(args.typ, _aws_generic)(args, self.ctx)
        elif package == "azure-native":
            name = _azure_name(args)
            extras = {
                "name": name,
                "id": _azure_id(args, name),
                **identity(args, name),
                **AZURE_EXTRAS.get(args.typ, _no_extras)(args, name),
            }
        elif package == "pulumi" and args.typ.startswith("pulumi:providers:"):
            extras = {}
        else:
            extras = {}
        state = {**args.inputs, **extras}
        return str(state.get("id") or f"{args.name}-id"), state

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return _invoke_result(args.token, self.ctx), []  # no check failures (the SDK iterates them)


def _invoke_result(token: str, ctx: dict[str, str]) -> dict[str, Any]:
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {
            "accountId": ACCOUNT_ID,
            "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/plan",
            "userId": "AIDPLAN",
            "id": ACCOUNT_ID,
        }
    if token in ("aws:index/getRegion:getRegion",):
        return {"name": ctx["region"], "region": ctx["region"], "id": ctx["region"]}
    if token == "aws:index/getPartition:getPartition":
        return {"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
    if token.startswith("azure-native:authorization:getClientConfig"):
        return {
            "clientId": _uuid("client"),
            "objectId": CLIENT_OBJECT_ID,
            "subscriptionId": SUBSCRIPTION_ID,
            "tenantId": TENANT_ID,
        }
    return {}
