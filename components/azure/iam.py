"""Role grants and identities, the Azure twin of AWS's iam.py.

Every grant in the stack goes through `grant`: one built-in role, one principal,
one resource as scope (never a group or subscription), and a name derived from
identity fields so a re-run never duplicates an assignment.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native as azure

from ..base import MissionComponent
from .naming import role_assignment_name

# Built-in role definition GUIDs (Microsoft Learn "Azure built-in roles").
ROLES = {
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Azure Event Hubs Data Sender": "2b629674-e913-4c01-ae53-ef4638d8f975",
    "Azure Event Hubs Data Receiver": "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
    "Azure Service Bus Data Sender": "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
    "Azure Service Bus Data Receiver": "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
    "Azure Service Bus Data Owner": "090c5cfd-751d-490a-894a-3ce6f1109419",
}


def grant(
    owner: MissionComponent,
    name: str,
    *,
    role: str,
    principal_id: pulumi.Input[str],
    scope: pulumi.Input[str],
    depends_on: Sequence[pulumi.Resource] = (),
    store_setting: bool = False,
) -> azure.authorization.RoleAssignment:
    """Grant one built-in role to one service principal (a managed identity, or the partner's
    delivery identity) on one resource (never a group or subscription). principalType is always
    sent: pulumi-azure-native defaults it to "User", which ARM refuses for a service principal.

    The assignment's name stays with its logical name while its principal, role or scope may
    change (a partner's new principal, a processor's new identity), each of which replaces it:
    created first, the new assignment would be a PUT to the id the old one holds, which ARM
    refuses (RoleAssignmentUpdateNotPermitted), so the old one is deleted first.

    `store_setting`: a grant a retained store cannot read its data without (MissionComponent.opts)."""
    # asked through the owner, so a caller's provider (another subscription) answers it
    client = azure.authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=owner))
    return azure.authorization.RoleAssignment(
        owner.child_name(name),
        role_assignment_name=role_assignment_name(
            owner.mission.name, owner.child_name(name), seed=owner.mission.name_seed
        ),
        role_definition_id=pulumi.Output.concat(
            "/subscriptions/",
            client.subscription_id,
            "/providers/Microsoft.Authorization/roleDefinitions/",
            ROLES[role],
        ),
        principal_id=principal_id,
        principal_type="ServicePrincipal",
        scope=scope,
        description=f"{owner.mission.name}: {role}",
        opts=owner.opts(store_setting=store_setting, depends_on=list(depends_on), delete_before_replace=True),
    )


def system_principal(resource: pulumi.CustomResource) -> pulumi.Output[str | None]:
    """The principal of a resource's system-assigned identity, the one its grants go to."""
    return resource.identity.apply(lambda identity: identity.principal_id if identity else None)


def user_assigned(identity_id: pulumi.Output[str]) -> list[pulumi.Output[str]]:
    """`userAssignedIdentities` as pulumi-azure-native 3.x declares it: a list of identity ids
    (the provider builds ARM's map from it, and its `Check` refuses the map)."""
    return [identity_id]
