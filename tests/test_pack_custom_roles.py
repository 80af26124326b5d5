"""azure-custom-role-not-admin: a custom role definition is Azure's policy document. No example
plans one (groundlink grants built-in data roles only), so the definition is written here, as a
program beside groundlink's would declare it."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_ARRAY_VALUE

from .pack_cases import BASELINES
from .pack_harness import Written, resolve, run

RULE = "azure-custom-role-not-admin"
_NAMES = itertools.count()  # resolve() memoises by the baselines' id and key: a key per call
SCOPE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-noaa20"
READS = {
    "actions": ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
    "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
}


def _role(permission: dict[str, Any]) -> list[str]:
    inputs = {"roleName": "Product reader", "scope": SCOPE, "permissions": [permission], "assignableScopes": [SCOPE]}
    written = Written("azure-native:authorization:RoleDefinition", "product-reader", inputs, "a user's")
    key = f"custom-role-{next(_NAMES)}"
    return run(RULE, resolve({**BASELINES, key: written}, key))


def test_a_role_of_named_operations_passes() -> None:
    assert _role(READS) == []


def test_every_action_is_an_administrator_under_another_name() -> None:
    assert _role({**READS, "actions": ["*"]}) == [
        "allows every action ('*'): an administrator's role under another name"
    ]


@pytest.mark.parametrize(
    "action", ["Microsoft.Authorization/*", "microsoft.authorization/roleassignments/write", "*/write"]
)
def test_a_role_that_assigns_roles_can_grant_itself_any(action: str) -> None:
    assert _role({**READS, "actions": [action]}) == [
        f"allows {action}, which assigns roles: it can grant itself, or anyone, any role"
    ]


@pytest.mark.parametrize("taken", ["Microsoft.Authorization/*", "microsoft.authorization/*"])
def test_not_actions_take_the_assignment_away(taken: str) -> None:
    assert _role({"actions": ["*/write"], "notActions": [taken]}) == []


def test_actions_not_known_yet_are_not_judged() -> None:
    assert _role({"actions": UNKNOWN_ARRAY_VALUE}) == []
