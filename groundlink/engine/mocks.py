"""Mock provider outputs shaped like the real providers'.

Outputs are the inputs plus what the cloud would compute: ids, ARNs, Azure
resource ids, names, endpoints. Values are deterministic (hashed from type
and name) so plans are reproducible. Per-type extras live in `mocks_aws` and
`mocks_azure`, keyed by type token.
"""

from __future__ import annotations

from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

from .mockids import ACCOUNT_ID, CLIENT_OBJECT_ID, SUBSCRIPTION_ID, TENANT_ID, _uuid
from .mocks_aws import AWS_EXTRAS, _aws_generic
from .mocks_azure import AZURE_EXTRAS, _azure_id, _azure_name, identity


class OfflineMocks(Mocks):
    """Answers the SDK's resource and invoke calls the way the providers would."""

    def __init__(self, region: str = "us-west-2"):
        self.ctx = {"region": region}

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        package = args.typ.split(":")[0]
        if package in ("aws", "aws-native"):
            extras = AWS_EXTRAS.get(args.typ, _aws_generic)(args, self.ctx)
        elif package == "azure-native":
            name = _azure_name(args)
            extras = {
                "name": name,
                "id": _azure_id(args, name),
                **identity(args, name),
                **AZURE_EXTRAS.get(args.typ, lambda a, n: {})(args, name),
            }
        elif package == "pulumi" and args.typ.startswith("pulumi:providers:"):
            extras = {}
        else:
            extras = {}
        state = {**args.inputs, **extras}
        return str(state.get("id") or f"{args.name}-id"), state

    def call(self, args: MockCallArgs) -> dict:
        token = args.token
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/plan",
                "userId": "AIDPLAN",
                "id": ACCOUNT_ID,
            }
        if token in ("aws:index/getRegion:getRegion",):
            return {"name": self.ctx["region"], "region": self.ctx["region"], "id": self.ctx["region"]}
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
