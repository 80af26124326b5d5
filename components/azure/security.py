"""Keys, identities, role grants and private networking for the Azure stack.

One customer-managed key per mission (as on AWS), in a Key Vault that uses RBAC
(no access policies to drift), keeps deleted keys recoverable (soft delete and
purge protection) and denies network access except to trusted Azure services.
Every service that encrypts with the key does so through one user-assigned
identity holding only "Key Vault Crypto Service Encryption User" on that key.
Every grant in the stack goes through `grant`, scoped to a single resource.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import Blueprint, realizes, warn

from ..base import MissionComponent
from .naming import key_vault_name, role_assignment_name

# Built-in role definition GUIDs (Microsoft Learn "Azure built-in roles").
ROLES = {
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Azure Event Hubs Data Sender": "2b629674-e913-4c01-ae53-ef4638d8f975",
    "Azure Event Hubs Data Receiver": "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",
    "Azure Service Bus Data Sender": "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
}

KEY_NAME = "data"
KEY_SIZE = 3072  # accepted by Storage, Synapse and Data Explorer CMK alike
KEY_ROTATE_AFTER = "P90D"
KEY_EXPIRES_AFTER = "P1Y"
KEY_NOTIFY_BEFORE_EXPIRY = "P30D"
SOFT_DELETE_DAYS = 90  # Key Vault maximum
MESSAGING_KEYS = (
    "customer-managed keys cover the storage account, Synapse and Data Explorer; the Event Hubs and "
    "Service Bus Standard namespaces encrypt with Microsoft-managed keys (their CMK needs Premium)"
)

# Private endpoints live in their own small VNet; peer it with the networks that read the stores.
PRIVATE_VNET_CIDR = "10.42.0.0/24"
PRIVATE_ENDPOINT_SUBNET_CIDR = "10.42.0.0/25"
PRIVATE_DNS_ZONES = {
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
}


def grant(
    owner: MissionComponent,
    name: str,
    *,
    role: str,
    principal_id: pulumi.Input[str],
    scope: pulumi.Input[str],
    principal_type: str | None = "ServicePrincipal",
    depends_on: Sequence[pulumi.Resource] = (),
) -> azure.authorization.RoleAssignment:
    """Grant one built-in role to one principal on one resource (never a group or subscription)."""
    client = azure.authorization.get_client_config_output()
    return azure.authorization.RoleAssignment(
        owner.child_name(name),
        role_assignment_name=role_assignment_name(owner.blueprint.mission, owner.child_name(name)),
        role_definition_id=pulumi.Output.concat(
            "/subscriptions/",
            client.subscription_id,
            "/providers/Microsoft.Authorization/roleDefinitions/",
            ROLES[role],
        ),
        principal_id=principal_id,
        principal_type=principal_type,
        scope=scope,
        description=f"{owner.blueprint.mission}: {role}",
        opts=owner.opts(depends_on=list(depends_on)),
    )


def system_principal(resource: pulumi.CustomResource) -> pulumi.Output[str | None]:
    """The principal of a resource's system-assigned identity, the one its grants go to."""
    return resource.identity.apply(lambda identity: identity.principal_id if identity else None)


def user_assigned(identity: azure.managedidentity.UserAssignedIdentity) -> pulumi.Output[dict]:
    """The `userAssignedIdentities` map Azure wants: the identity's id as key."""
    return identity.id.apply(lambda identity_id: {identity_id: {}})


class AzurePrivateNetwork(MissionComponent):
    """A VNet, an endpoint subnet and the privatelink DNS zones the stores resolve through."""

    TOKEN = "groundlink:index:AzurePrivateNetwork"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        self.resource_group = resource_group
        location = blueprint.spec.clouds.azure.location
        self.vnet = realizes(
            azure.network.VirtualNetwork(
                self.child_name("vnet"),
                virtual_network_name=f"vnet-{blueprint.mission}-endpoints",
                resource_group_name=resource_group.name,
                location=location,
                address_space={"address_prefixes": [PRIVATE_VNET_CIDR]},
                tags=self.tags,
                opts=self.opts(),
            ),
            "security.private_network",
        )
        self.subnet = realizes(
            azure.network.Subnet(
                self.child_name("endpoints"),
                subnet_name="private-endpoints",
                virtual_network_name=self.vnet.name,
                resource_group_name=resource_group.name,
                address_prefix=PRIVATE_ENDPOINT_SUBNET_CIDR,
                private_endpoint_network_policies="Enabled",
                default_outbound_access=False,
                opts=self.opts(),
            ),
            "security.private_network",
        )
        self.zones: dict[str, azure.privatedns.PrivateZone] = {}
        for group, zone in PRIVATE_DNS_ZONES.items():
            self.zones[group] = realizes(
                azure.privatedns.PrivateZone(
                    self.child_name(f"{group}-zone"),
                    private_zone_name=zone,
                    resource_group_name=resource_group.name,
                    location="global",
                    tags=self.tags,
                    opts=self.opts(),
                ),
                "security.private_network",
            )
            realizes(
                azure.privatedns.VirtualNetworkLink(
                    self.child_name(f"{group}-zone-link"),
                    virtual_network_link_name=f"{blueprint.mission}-endpoints",
                    private_zone_name=self.zones[group].name,
                    resource_group_name=resource_group.name,
                    location="global",
                    registration_enabled=False,
                    virtual_network={"id": self.vnet.id},
                    tags=self.tags,
                    opts=self.opts(),
                ),
                "security.private_network",
            )
        self.register_outputs({"vnet_id": self.vnet.id, "subnet_id": self.subnet.id})

    def endpoint(
        self, owner: MissionComponent, name: str, *, target_id: pulumi.Input[str], group: str
    ) -> azure.network.PrivateEndpoint:
        """A private endpoint for `target_id`'s `group` sub-resource, registered in its DNS zone."""
        endpoint = realizes(
            azure.network.PrivateEndpoint(
                owner.child_name(f"{name}-endpoint"),
                private_endpoint_name=f"pe-{owner.child_name(name)}",
                resource_group_name=self.resource_group.name,
                location=self.blueprint.spec.clouds.azure.location,
                subnet={"id": self.subnet.id},
                private_link_service_connections=[
                    {"name": name, "private_link_service_id": target_id, "group_ids": [group]}
                ],
                tags=owner.tags,
                opts=owner.opts(),
            ),
            "security.private_network",
        )
        realizes(
            azure.network.PrivateDnsZoneGroup(
                owner.child_name(f"{name}-endpoint-dns"),
                private_dns_zone_group_name="default",
                private_endpoint_name=endpoint.name,
                resource_group_name=self.resource_group.name,
                private_dns_zone_configs=[{"name": group, "private_dns_zone_id": self.zones[group].id}],
                opts=owner.opts(),
            ),
            "security.private_network",
        )
        return endpoint


class AzureSecurity(MissionComponent):
    """The mission key, its vault and the identity that uses it; the private network when asked."""

    TOKEN = "groundlink:index:AzureSecurity"

    def __init__(
        self,
        name: str,
        blueprint: Blueprint,
        *,
        resource_group: azure.resources.ResourceGroup,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, blueprint, opts)
        spec = blueprint.spec
        location = spec.clouds.azure.location
        private = spec.security.network == "private"
        self.network: AzurePrivateNetwork | None = (
            AzurePrivateNetwork(self.child_name("network"), blueprint, resource_group=resource_group, opts=self.opts())
            if private
            else None
        )
        self.identity: azure.managedidentity.UserAssignedIdentity | None = None
        self.vault: azure.keyvault.Vault | None = None
        self.key: azure.keyvault.Key | None = None
        self.key_grant: azure.authorization.RoleAssignment | None = None
        if spec.security.customer_managed_keys:
            warn(MESSAGING_KEYS)
            client = azure.authorization.get_client_config_output()
            self.identity = realizes(
                azure.managedidentity.UserAssignedIdentity(
                    self.child_name("cmk-identity"),
                    resource_name_=f"id-{blueprint.mission}-cmk",
                    resource_group_name=resource_group.name,
                    location=location,
                    tags=self.tags,
                    opts=self.opts(),
                ),
                "security.cmk",
            )
            self.vault = realizes(
                azure.keyvault.Vault(
                    self.child_name("vault"),
                    vault_name=key_vault_name(blueprint.mission),
                    resource_group_name=resource_group.name,
                    location=location,
                    properties={
                        "tenant_id": client.tenant_id,
                        "sku": {"family": "A", "name": "standard"},
                        "enable_rbac_authorization": True,
                        "enable_soft_delete": True,
                        "soft_delete_retention_in_days": SOFT_DELETE_DAYS,
                        "enable_purge_protection": True,
                        "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
                        "public_network_access": "Disabled" if private else "Enabled",
                    },
                    tags=self.tags,
                    opts=self.opts(stateful=True),
                ),
                "security.cmk",
            )
            self.key = realizes(
                azure.keyvault.Key(
                    self.child_name("data"),
                    key_name=KEY_NAME,
                    vault_name=self.vault.name,
                    resource_group_name=resource_group.name,
                    properties={
                        "kty": "RSA",
                        "key_size": KEY_SIZE,
                        "key_ops": ["wrapKey", "unwrapKey"],
                        "rotation_policy": {
                            "attributes": {"expiry_time": KEY_EXPIRES_AFTER},
                            "lifetime_actions": [
                                {"trigger": {"time_after_create": KEY_ROTATE_AFTER}, "action": {"type": "rotate"}},
                                {
                                    "trigger": {"time_before_expiry": KEY_NOTIFY_BEFORE_EXPIRY},
                                    "action": {"type": "notify"},
                                },
                            ],
                        },
                    },
                    tags=self.tags,
                    opts=self.opts(stateful=True),
                ),
                "security.cmk",
            )
            self.key_grant = realizes(
                grant(
                    self,
                    "cmk-identity-key-user",
                    role="Key Vault Crypto Service Encryption User",
                    principal_id=self.identity.principal_id,
                    scope=self.key.id,
                ),
                "security.cmk",
            )
            if self.network:
                self.network.endpoint(self, "vault", target_id=self.vault.id, group="vault")
        self.register_outputs(
            {"key_id": self.key.id if self.key else None, "identity_id": self.identity.id if self.identity else None}
        )

    @property
    def vault_uri(self) -> pulumi.Output[str] | None:
        return self.vault.properties.vault_uri if self.vault else None
