"""Azure role assignments and custom roles: what an identity is granted, and where, as the AWS
rules hold a role's policies to no administrator access. The stacks grant each identity one data role on one
container, queue, hub or key; a program beside them, or an edit, granting Owner on the
subscription passed the gate."""

from __future__ import annotations

import re
from typing import Any

from . import tokens as T
from .props import UNKNOWN, as_list, get, iam_glob
from .registry import resource_rule

# The privileged administrator roles (Microsoft Learn, "Azure built-in roles": "Privileged
# administrator roles"), by their built-in role definition ids.
PRIVILEGED_ROLES = {
    "8e3af657-a8ff-443c-a7c2-59ac2c8e8f6a": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
}
# A scope above any one resource: a management group, a subscription, a resource group.
_BROAD_SCOPE = re.compile(
    r"^/((providers/microsoft\.management/managementgroups/[^/]+|subscriptions/[^/]+(/resourcegroups/[^/]+)?)/?)?$",
    re.IGNORECASE,
)  # "/" alone: the tenant root, above every management group


def _role_name(role_definition_id: str) -> str | None:
    return PRIVILEGED_ROLES.get(role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower())


@resource_rule(
    "azure-role-assignment-least-privilege",
    area="azure-iam",
    severity="critical",
    enforcement="mandatory",
    types=T.ROLE_ASSIGNMENT,
    controls=("MCSB PA-7", "Microsoft Learn: Best practices for Azure RBAC"),
    description="No role assignment grants a privileged administrator role (Owner, Contributor, User Access "
    "Administrator, Role Based Access Control Administrator), nor any role on a whole management group, "
    "subscription or resource group.",
    remediation="Grant the narrowest data role (Storage Blob Data Contributor, Azure Service Bus Data Receiver...) on "
    "the one container, queue, hub or key the identity uses.",
)
def least_privilege(args: Any, report: Any) -> None:
    role, scope = get(args.props, "roleDefinitionId"), get(args.props, "scope")
    privileged = _role_name(str(role)) if role is not UNKNOWN and role is not None else None
    if privileged is not None:
        report(f"grants {privileged}, a privileged administrator role")
    if scope is not UNKNOWN and scope is not None and _BROAD_SCOPE.match(str(scope)):
        report(f"grants its role on {scope}, the whole of it rather than one resource")


# The operation that assigns roles: a role allowed it can grant itself, or anyone, any role
# (Microsoft Learn, "Azure permissions for Identity": Microsoft.Authorization/roleAssignments/write).
ASSIGNS_ROLES = "Microsoft.Authorization/roleAssignments/write"
# The operation that writes role definitions: a role allowed it can add '*' to its own definition
# (Microsoft Learn, "Azure permissions for Identity": Microsoft.Authorization/roleDefinitions/write).
DEFINES_ROLES = "Microsoft.Authorization/roleDefinitions/write"


def _allowed(pattern: str, permission: Any, operation: str) -> bool:
    """`operation` is allowed by the action `pattern` and not taken away by the permission's notActions
    (Azure RBAC wildcards: `*` any run of characters; operations compare without case)."""
    if not iam_glob(pattern, operation, ignore_case=True):
        return False
    return not any(iam_glob(n, operation, ignore_case=True) for n in as_list(get(permission, "notActions")))


@resource_rule(
    "azure-custom-role-not-admin",
    area="azure-iam",
    severity="critical",
    enforcement="mandatory",
    types=T.ROLE_DEFINITION,
    controls=("CIS Azure 1.23 (no custom subscription administrator roles)", "MCSB PA-7"),
    description="No custom role definition allows every action ('*'), an administrator's role under another name, "
    "the assignment of roles (Microsoft.Authorization/roleAssignments/write), with which it grants itself any, or "
    "the writing of role definitions (Microsoft.Authorization/roleDefinitions/write), with which it widens its own.",
    remediation="List the operations the identity needs (Microsoft.Storage/storageAccounts/blobServices/containers/"
    "read...), or use a built-in data role; keep Microsoft.Authorization/* in not_actions.",
)
def custom_role_not_admin(args: Any, report: Any) -> None:
    for permission in as_list(get(args.props, "permissions")):
        actions = get(permission, "actions")
        if actions is UNKNOWN or get(permission, "notActions") is UNKNOWN:
            continue
        for action in as_list(actions):
            if not isinstance(action, str):
                continue
            if action.strip() == "*" and _allowed(action, permission, "Microsoft.Anything/anything/write"):
                report("allows every action ('*'): an administrator's role under another name")
            elif _allowed(action, permission, ASSIGNS_ROLES):
                report(f"allows {action}, which assigns roles: it can grant itself, or anyone, any role")
            elif _allowed(action, permission, DEFINES_ROLES):
                report(f"allows {action}, which writes role definitions: it can add any action to its own role")
