"""The components under a user's own Pulumi mocks, built as README "Testing your own changes"
says: mocks that echo a resource's inputs, answer the two lookups, and return what the provider
computes that the components read (an S3 bucket's name, an SQS queue's URL and every ARN, aws-native's
too, on AWS; each resource's `name`, a managed identity's map of user-assigned identities and the
Synapse workspace's endpoints or the Data Explorer cluster's URI on Azure). Azure crashed deep in the SDK under the two lookups alone,
and the README did not say what more it needed; this holds the README's recipe to the code."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import pulumi
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.spec import load_spec, spec_from_data

from .conftest import SPECS, spec_data, with_changes

CONFIG = {
    "aws": {"aws:region": "us-west-2", "aws-native:region": "us-west-2"},
    "azure": {"azure-native:location": "westus2"},
}


class _EchoingMocks(pulumi.runtime.Mocks):
    """A user's mocks, written from the README alone."""

    def __init__(self) -> None:
        self.types: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.types.append(args.typ)
        state = dict(args.inputs)
        if args.typ.startswith(("aws:", "aws-native:")):  # what AWS names: a bucket, a queue's URL, every ARN
            if "bucketPrefix" in state:
                state.setdefault("bucket", f"{state['bucketPrefix']}0001")
            if args.typ == "aws:sqs/queue:Queue":
                state.setdefault("url", f"https://sqs.us-west-2.amazonaws.com/111122223333/{args.name}")
            state.setdefault(
                "arn", f"arn:aws:{args.typ.split(':')[1].split('/')[0]}:us-west-2:111122223333:{args.name}"
            )
        if args.typ.startswith("azure-native:"):  # the provider's name: the resource's own *Name input
            own = [v for k, v in args.inputs.items() if k.endswith("Name") and k != "resourceGroupName"]
            state.setdefault("name", own[0] if own else args.name)
            if args.typ == "azure-native:synapse:Workspace":  # its endpoints, the serverless SQL one among them
                state.setdefault("connectivityEndpoints", {"sqlOnDemand": f"{args.name}-ondemand.sql.azuresynapse.net"})
            if args.typ == "azure-native:kusto:Cluster":
                state.setdefault("uri", f"https://{args.name}.westus2.kusto.windows.net")
            identity = state.get("identity")
            if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
                state["identity"] = {
                    **identity,
                    "userAssignedIdentities": {key: {} for key in identity["userAssignedIdentities"]},
                }
        return f"{args.name}-id", state

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": "111122223333"}
        if args.token == "azure-native:authorization:getClientConfig":
            return {"subscriptionId": "sub", "tenantId": "tenant", "objectId": "object"}
        return {}


def _build(cloud: str, engine: str = "synapse") -> tuple[_EchoingMocks, dict[str, Any]]:
    from groundlink.components import aws, azure

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    mocks, exports = _EchoingMocks(), {}
    try:
        pulumi.runtime.set_mocks(mocks, project="mine", stack="dev", preview=False)
        pulumi.runtime.set_all_config(CONFIG[cloud])
        spec = spec_from_data(with_changes(spec_data("noaa20.yaml"), {"analytics.azure_engine": engine}))
        blueprint = build_blueprint(spec).for_cloud(cloud)
        stack = {"aws": aws, "azure": azure}[cloud].MissionStack("noaa20", blueprint)

        @pulumi.runtime.test
        def resolved() -> pulumi.Output[None]:
            return pulumi.Output.from_input(stack.exports).apply(exports.update)

        resolved()
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return mocks, exports


@pytest.mark.parametrize(("cloud", "engine"), [("aws", "synapse"), ("azure", "synapse"), ("azure", "adx")])
def test_the_readmes_own_mocks_build_the_mission_with_every_output(cloud: str, engine: str) -> None:
    mocks, exports = contextvars.copy_context().run(_build, cloud, engine)
    assert len(mocks.types) > 50
    assert exports["mission"] == "noaa20" and exports["cloud"] == cloud
    # every output the mission has: an echoing mock missing one of what the provider computes
    # left it None, as if the spec had turned the capability off (pulumi.export drops it)
    assert [key for key, value in exports.items() if value is None or value == [None]] == []
    assert len(exports) == 11
    raw = exports["raw_store_uri"]
    assert raw and "None" not in raw
    if cloud == "aws":
        assert raw == "s3://aws-groundstation-noaa20-raw-0001/"
    if cloud == "azure":  # joined from the storage account's name output
        assert raw.startswith("abfss://") and raw.endswith(".dfs.core.windows.net/")


def _refusal(cloud: str, name: str, given: Any) -> str:
    from groundlink.components import aws, azure

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    mocks = _EchoingMocks()
    try:
        pulumi.runtime.set_mocks(mocks, project="mine", stack="dev", preview=False)
        pulumi.runtime.set_all_config(CONFIG[cloud])
        with pytest.raises(pulumi.RunError) as refused:
            pulumi.runtime.test(lambda: {"aws": aws, "azure": azure}[cloud].MissionStack(name, given))()
        assert mocks.types == []  # refused before anything registered
        return str(refused.value)
    finally:
        asyncio.set_event_loop(None)
        loop.close()


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_root_refuses_another_clouds_blueprint_another_type_or_another_mission_name(cloud: str) -> None:
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml"))
    other = "azure" if cloud == "aws" else "aws"
    refusals = [
        contextvars.copy_context().run(_refusal, cloud, name, given)
        for name, given in (
            ("noaa20", blueprint.for_cloud(other)),
            ("noaa20", blueprint),
            ("noaa20-second", blueprint.for_cloud(cloud)),
        )
    ]
    assert refusals == [
        f"the {cloud} MissionStack was given the {other} blueprint; pass build_blueprint(spec).for_cloud({cloud!r})",
        f"MissionStack takes a CloudBlueprint (build_blueprint(spec).for_cloud({cloud!r})), not Blueprint",
        "MissionStack 'noaa20-second' renders mission 'noaa20': the physical names come from the mission, "
        "so name the component 'noaa20' (one root per mission and cloud)",
    ]
