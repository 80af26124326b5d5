"""Mock outputs built the way the clouds build them, so preflight sees real shapes."""

from __future__ import annotations

import re

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
