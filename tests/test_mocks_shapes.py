"""Mock outputs built the way the clouds build them, so preflight sees real shapes."""

from __future__ import annotations

import re

import pytest
from pulumi.runtime import MockResourceArgs

from groundlink.engine.mockids import ACCOUNT_ID, SUBSCRIPTION_ID
from groundlink.engine.mocks import OfflineMocks


def outputs(typ: str, name: str, inputs: dict) -> dict:
    return OfflineMocks(region="us-west-2").new_resource(MockResourceArgs(typ, name, inputs))[1]


def test_a_role_arn_carries_its_path():
    """IAM: arn:aws:iam::<account>:role<path><name>; the path is part of the ARN."""
    state = outputs("aws:iam/role:Role", "r", {"name": "delivery", "path": "/team/ground/"})
    assert state["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/team/ground/delivery"
    assert outputs("aws:iam/role:Role", "r", {"name": "delivery"})["arn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/delivery"


def test_a_queue_s_id_is_its_url_as_the_provider_s():
    """pulumi-aws `sqs.Queue`: "url: Same as `id`: The URL for the created Amazon SQS queue". A
    queue policy or an event target given the name where the URL belongs must not match."""
    queue_id, state = OfflineMocks(region="eu-west-1").new_resource(
        MockResourceArgs("aws:sqs/queue:Queue", "q", {"name": "noaa20-events"})
    )
    assert queue_id == state["url"] == f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT_ID}/noaa20-events"
    assert state["arn"] == f"arn:aws:sqs:eu-west-1:{ACCOUNT_ID}:noaa20-events"


def test_a_ground_station_config_s_arn_names_its_capability_as_the_api_does():
    """The ARN's kind is the API's ConfigCapabilityType for the one config data member given
    (botocore groundstation: `s3-recording`, not `s3-recording-config`): the delivery role trusts
    `config/s3-recording/*`, and a mock of another shape would plan a trust nothing matches."""
    import botocore.session

    model = botocore.session.get_session().get_service_model("groundstation")
    kinds = {}
    for member in model.shape_for("ConfigTypeData").members:
        arn = outputs("aws-native:groundstation:Config", "c", {"configData": {member: {}}})["arn"]
        head, kind, uid = arn.rsplit("/", 2)
        assert head == f"arn:aws:groundstation:us-west-2:{ACCOUNT_ID}:config" and re.fullmatch(r"[0-9a-f-]{36}", uid)
        kinds[member] = kind
    assert sorted(kinds.values()) == sorted(model.shape_for("ConfigCapabilityType").enum)
    assert kinds["s3RecordingConfig"] == "s3-recording"


def test_a_storage_account_id_has_its_arm_form():
    state = outputs(
        "azure-native:storage:StorageAccount", "a", {"accountName": "noaa20store", "resourceGroupName": "rg-noaa20"}
    )
    assert state["id"] == (
        f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-noaa20/providers/Microsoft.Storage/storageAccounts/noaa20store"
    )
    assert state["primaryEndpoints"]["dfs"] == "https://noaa20store.dfs.core.windows.net/"


def test_a_function_app_and_its_plan_have_arm_s_type_names():
    """The SDK's classes are WebApp and AppServicePlan; ARM's types are sites and serverfarms, which
    a diagnostic setting's resourceUri and the app's serverFarmId show in Azure."""
    base = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.Web"
    app = outputs("azure-native:web:WebApp", "app", {"name": "func-noaa20", "resourceGroupName": "rg"})
    plan = outputs("azure-native:web:AppServicePlan", "plan", {"name": "asp-noaa20", "resourceGroupName": "rg"})
    assert (app["id"], plan["id"]) == (f"{base}/sites/func-noaa20", f"{base}/serverfarms/asp-noaa20")


def test_user_assigned_identities_sent_as_a_list_come_back_as_arms_map():
    """pulumi-azure-native 3.x sends a list of ids; ARM answers with a map id -> principal and client."""
    ident = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-cmk"
    state = outputs(
        "azure-native:synapse:Workspace",
        "w",
        {
            "workspaceName": "ws",
            "resourceGroupName": "rg",
            "identity": {"type": "SystemAssigned,UserAssigned", "userAssignedIdentities": [ident]},
        },
    )
    identity = state["identity"]
    assert set(identity["userAssignedIdentities"]) == {ident}
    assigned = identity["userAssignedIdentities"][ident]
    uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    assert re.fullmatch(uuid, assigned["principalId"]) and re.fullmatch(uuid, assigned["clientId"])
    assert re.fullmatch(uuid, identity["principalId"])  # the system-assigned identity's principal
    # the same identity resource reports the same principal
    created = outputs(
        "azure-native:managedidentity:UserAssignedIdentity", "i", {"resourceName": "id-cmk", "resourceGroupName": "rg"}
    )
    assert created["principalId"] == assigned["principalId"]


@pytest.mark.parametrize(
    ("typ", "inputs"),
    [
        ("aws:sns/topic:Topic", {"name": "noaa20-alerts"}),
        ("aws:kinesis/stream:Stream", {"name": "noaa20-telemetry"}),
        ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", {"name": "noaa20-archive"}),
        ("aws:batch/jobQueue:JobQueue", {"name": "noaa20-contacts"}),
        ("aws:batch/jobDefinition:JobDefinition", {"name": "noaa20-processing"}),
    ],
)
def test_an_id_the_provider_makes_the_arn_is_the_arn(typ, inputs):
    """The Terraform resources pulumi-aws bridges give these an `id` that is their ARN: a mock
    `id` of the name let code that took one for the other plan right and fail at `pulumi up`."""
    resource_id, state = OfflineMocks(region="us-west-2").new_resource(MockResourceArgs(typ, "r", inputs))
    assert resource_id == state["id"] == state["arn"] and state["arn"].startswith("arn:aws:")
    assert state["name"] == inputs["name"]


@pytest.mark.parametrize(
    ("typ", "data", "expected"),
    [
        ("aws-native:groundstation:Config", {"trackingConfig": {}}, "{arn}"),
        ("aws-native:groundstation:MissionProfile", None, "{uid}|{arn}"),
        ("aws-native:groundstation:DataflowEndpointGroup", None, "{uid}"),
    ],
)
def test_an_aws_native_id_is_its_types_primary_identifier(typ, data, expected):
    """pulumi-aws-native's `id` is the type's primary identifier (registry schema
    `primaryIdentifier`, several joined with `|`): Config `Arn`, MissionProfile `Id|Arn`,
    DataflowEndpointGroup `Id`."""
    import json

    from groundlink.preflight.registry import SCHEMAS_FILE

    cfn = {
        "aws-native:groundstation:Config": "AWS::GroundStation::Config",
        "aws-native:groundstation:MissionProfile": "AWS::GroundStation::MissionProfile",
        "aws-native:groundstation:DataflowEndpointGroup": "AWS::GroundStation::DataflowEndpointGroup",
    }[typ]
    identifier = json.loads(SCHEMAS_FILE.read_text())["schemas"][cfn]["primaryIdentifier"]
    parts = {"/properties/Arn": "{arn}", "/properties/Id": "{uid}"}
    assert "|".join(parts[p] for p in identifier) == expected
    inputs = {"configData": data} if data else {}
    resource_id, state = OfflineMocks(region="us-west-2").new_resource(MockResourceArgs(typ, "r", inputs))
    assert resource_id == expected.format(arn=state["arn"], uid=state["awsId"])


def test_a_layer_s_first_version_is_1_and_its_arn_ends_in_it():
    """Lambda numbers a layer's versions from 1 (botocore lambda PublishLayerVersion: Version, and
    LayerVersionArn `...:layer:<name>:<version>`): the plan's version and the ARN agree on it."""
    state = outputs("aws:lambda/layerVersion:LayerVersion", "l", {"layerName": "noaa20-deps"})
    layer = f"arn:aws:lambda:us-west-2:{ACCOUNT_ID}:layer:noaa20-deps"
    assert (state["layerArn"], state["arn"], state["version"]) == (layer, f"{layer}:1", "1")


def test_an_email_subscription_waits_for_its_confirmation_and_a_queue_s_does_not():
    """SNS confirms an email endpoint only once its owner clicks the link (pulumi-aws
    TopicSubscription `pendingConfirmation`); a queue is confirmed at once."""
    topic = f"arn:aws:sns:us-west-2:{ACCOUNT_ID}:alerts"
    email = outputs("aws:sns/topicSubscription:TopicSubscription", "e", {"topic": topic, "protocol": "email"})
    queue = outputs("aws:sns/topicSubscription:TopicSubscription", "q", {"topic": topic, "protocol": "sqs"})
    assert (email["pendingConfirmation"], queue["pendingConfirmation"]) == (True, False)
    assert email["arn"].startswith(f"{topic}:")


def test_an_inline_role_policy_s_id_is_its_role_and_name():
    """pulumi-aws RolePolicy's id is `<role name>:<policy name>`, as `pulumi import` takes it."""
    policy_id, state = OfflineMocks(region="us-west-2").new_resource(
        MockResourceArgs("aws:iam/rolePolicy:RolePolicy", "p", {"role": "noaa20-delivery", "name": "write-raw"})
    )
    assert (policy_id, state["name"]) == ("noaa20-delivery:write-raw", "write-raw")


def test_a_key_vault_key_s_versioned_uri_ends_in_a_version():
    """Key Vault names each version of a key `keys/<name>/<32 hex version>`: the versioned URI is
    the versionless one and a version, which a reader of either form takes apart as Azure's."""
    state = outputs("azure-native:keyvault:Key", "k", {"vaultName": "kv-noaa20", "keyName": "storage"})
    assert state["keyUri"] == "https://kv-noaa20.vault.azure.net/keys/storage"
    assert re.fullmatch(re.escape(state["keyUri"]) + "/[0-9a-f]{32}", state["keyUriWithVersion"])


def test_a_synapse_workspace_s_serverless_endpoint_is_its_ondemand_host():
    """Synapse's serverless SQL pool answers at `<workspace>-ondemand.sql.azuresynapse.net`, its
    dedicated pools at `<workspace>.sql.azuresynapse.net`: the two endpoints differ."""
    state = outputs("azure-native:synapse:Workspace", "w", {"workspaceName": "syn-noaa20"})
    endpoints = state["connectivityEndpoints"]
    assert (endpoints["sqlOnDemand"], endpoints["sql"]) == (
        "syn-noaa20-ondemand.sql.azuresynapse.net",
        "syn-noaa20.sql.azuresynapse.net",
    )
