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
        self.provider_regions: dict[str, str] = {}  # explicit AWS provider id -> its region

    def _ctx(self, args: MockResourceArgs) -> dict[str, str]:
        """The stack's context, in the region of the explicit provider the resource names (a
        replica region's resources get that region's ARNs, as the real provider gives them)."""
        provider_id = (args.provider or "").rsplit("::", 1)[-1]
        region = self.provider_regions.get(provider_id)
        return {**self.ctx, "region": region} if region else self.ctx

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        package = args.typ.split(":")[0]
        if package in ("aws", "aws-native"):
            extras = AWS_EXTRAS.get(args.typ, _aws_generic)(args, self._ctx(args))
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
            if args.typ == "pulumi:providers:aws" and args.inputs.get("region"):
                self.provider_regions[f"{args.name}-id"] = args.inputs["region"]
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
