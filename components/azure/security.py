"""Keys, identities, role grants and private networking for the Azure stack.

One customer-managed key per mission (as on AWS), in a Key Vault that uses RBAC
(no access policies to drift), keeps deleted keys recoverable (soft delete and
purge protection) and denies network access except to trusted Azure services.
Every service that encrypts with the key does so through one user-assigned
identity holding only "Key Vault Crypto Service Encryption User" on that key.
Every grant in the stack goes through `grant`, scoped to a single resource.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import MissionInputs, SecurityInputs
from groundlink.blueprint.gaps import MESSAGING_KEYS
from groundlink.limits import (
    AZURE_NETWORK_CIDR,
    AZURE_PRIVATE_DNS_TAG_KEYS,
    AZURE_PRIVATE_DNS_TAGS_MAX,
    KEY_VAULT_KEY_TAGS_MAX,
)

from ..base import MissionComponent
from .iam import grant
from .naming import key_vault_name

KEY_NAME = "data"
KEY_SIZE = 3072  # the mission key: storage accounts (2048-4096) and Synapse (2048, 3072) take it
KEY_ROTATE_AFTER = "P90D"
KEY_EXPIRES_AFTER = "P1Y"
KEY_NOTIFY_BEFORE_EXPIRY = "P30D"
SOFT_DELETE_DAYS = 90  # Key Vault maximum

# Private endpoints live in their own small VNet; peer it with the networks that read the stores.
# The processor's own subnet (Functions Flex Consumption VNet integration, or the Container Apps
# environment of a container job): dedicated, delegated to Microsoft.App/environments, nothing else
# in it (docs/azure.md, "Contact processing in the network").
PROCESSING_DELEGATION = "Microsoft.App/environments"


@dataclass(frozen=True)
class NetworkCidrs:
    """The mission VNet's address space (clouds.azure.network_cidr) and its two subnets, the
    halves of its first /24: the private endpoints' and the processor's."""

    vnet: str
    endpoints: str
    processing: str

    @classmethod
    def of(cls, mission: MissionInputs) -> NetworkCidrs:
        vnet = ipaddress.IPv4Network(mission.network_cidr or AZURE_NETWORK_CIDR)
        first = next(vnet.subnets(new_prefix=24)) if vnet.prefixlen < 24 else vnet
        endpoints, processing = first.subnets(new_prefix=25)
        return cls(str(vnet), str(endpoints), str(processing))


PRIVATE_DNS_ZONES = {
    "blob": "privatelink.blob.core.windows.net",
    "dfs": "privatelink.dfs.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
}


@dataclass(frozen=True)
class MissionKey:
    """The mission key as the services that encrypt with it use it."""

    key_id: pulumi.Output[str]
    key_uri: pulumi.Output[str]  # the key's URI without a version (rotation-safe)
    vault_id: pulumi.Output[str]
    vault_uri: pulumi.Output[str]
    identity_id: pulumi.Output[str]  # the user-assigned identity every encrypting service uses
    grant: azure.authorization.RoleAssignment  # wait for it: the identity must hold the key first


@dataclass(frozen=True)
class PrivateNetwork:
    """Where private endpoints go and the DNS zones they register in."""

    resource_group_name: pulumi.Output[str]
    vnet_id: pulumi.Output[str]  # where a layer links the DNS zones of its own endpoints
    subnet_id: pulumi.Output[str]
    zone_ids: Mapping[str, pulumi.Output[str]]  # by sub-resource group: blob, dfs, vault
    processing_subnet_id: pulumi.Output[str] | None = None  # the processor's delegated subnet


def processing_subnet(
    owner: MissionComponent,
    *,
    virtual_network_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
    storage_service_endpoint: bool,
    servicebus_service_endpoint: bool,
    capabilities: tuple[str, ...],
) -> azure.network.Subnet:
    """The subnet the contact processor runs in, a child of `owner`: delegated to
    Microsoft.App/environments as Flex Consumption and Container Apps require. Behind a private
    network it reaches the stores through their private endpoints; otherwise a Microsoft.Storage
    service endpoint lets the account's firewall admit it (`storage_service_endpoint`). A Premium
    Service Bus namespace admits it by a Microsoft.ServiceBus service endpoint and a virtual
    network rule (`servicebus_service_endpoint`); a Standard one takes no virtual network rule,
    and a subnet with that endpoint reaches Premium namespaces only (docs/processing.md)."""
    services = [
        *(["Microsoft.Storage"] if storage_service_endpoint else []),
        *(["Microsoft.ServiceBus"] if servicebus_service_endpoint else []),
    ]
    return owner.realize(
        azure.network.Subnet(
            owner.child_name("processing"),
            subnet_name="processing",
            virtual_network_name=virtual_network_name,
            resource_group_name=resource_group_name,
            address_prefix=NetworkCidrs.of(owner.mission).processing,
            delegations=[{"name": "processing", "service_name": PROCESSING_DELEGATION}],
            service_endpoints=[{"service": service} for service in services] or None,
            opts=owner.opts(),
        ),
        *capabilities,
    )


class AzurePrivateNetwork(MissionComponent):
    """A VNet, an endpoint subnet and the privatelink DNS zones the stores resolve through."""

    TOKEN = "groundlink:index:AzurePrivateNetwork"
    LAYER = "security"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        *,
        resource_group_name: pulumi.Output[str],
        processing: tuple[str, ...] = (),
        servicebus_service_endpoint: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        location = mission.region
        self.vnet = self.realize(
            azure.network.VirtualNetwork(
                self.child_name("vnet"),
                virtual_network_name=f"vnet-{mission.name}-endpoints",
                resource_group_name=resource_group_name,
                location=location,
                address_space={"address_prefixes": [NetworkCidrs.of(mission).vnet]},
                tags=self.tags,
                opts=self.opts(),
            ),
            "security.private_network",
        )
        # the processor's subnet, when the stack processes contacts (its capability in `processing`)
        self.processing_subnet = (
            processing_subnet(
                self,
                virtual_network_name=self.vnet.name,
                resource_group_name=resource_group_name,
                storage_service_endpoint=False,
                servicebus_service_endpoint=servicebus_service_endpoint,
                capabilities=("security.private_network", *processing),
            )
            if processing
            else None
        )
        # One subnet of a VNet at a time: Azure refuses a subnet operation while another runs on
        # the same VNet (409 AnotherOperationInProgress, or 429 RetryableError, which the provider
        # does not retry: pulumi/pulumi-azure-native issues 699 and 1024), and the private
        # endpoints, which wait for the endpoint subnet, then start once both are done.
        self.subnet = self.realize(
            azure.network.Subnet(
                self.child_name("endpoints"),
                subnet_name="private-endpoints",
                virtual_network_name=self.vnet.name,
                resource_group_name=resource_group_name,
                address_prefix=NetworkCidrs.of(mission).endpoints,
                private_endpoint_network_policies="Enabled",
                default_outbound_access=False,
                opts=self.opts(depends_on=[self.processing_subnet] if self.processing_subnet else None),
            ),
            "security.private_network",
        )
        self.zones = {
            group: linked_zone(self, group, zone, resource_group_name=resource_group_name, vnet_id=self.vnet.id)
            for group, zone in PRIVATE_DNS_ZONES.items()
        }
        self.outputs = PrivateNetwork(
            resource_group_name=resource_group_name,
            vnet_id=self.vnet.id,
            subnet_id=self.subnet.id,
            zone_ids={group: zone.id for group, zone in self.zones.items()},
            processing_subnet_id=self.processing_subnet.id if self.processing_subnet else None,
        )
        self.register_outputs({"network_id": self.vnet.id, "subnet_id": self.subnet.id})


def messaging_encryption(
    owner: MissionComponent,
    key: MissionKey | None,
    *,
    system_identity: bool,
    holds: str | None = None,
    units: int = 1,
) -> dict[str, Any]:
    """Sku, identity and encryption of an Event Hubs or Service Bus namespace: Standard with
    Microsoft-managed keys (`units` throughput units), or Premium (1 processing unit, about 5-10
    MB/s of ingress by Microsoft's figure: the ground layer warns of more) encrypting with the mission key through its
    user-assigned identity, double-encrypted, once that identity holds the key. A namespace
    holding a stateful capability's data (`holds`) is protected like the stores."""

    def opts(**kwargs: Any) -> pulumi.ResourceOptions:
        return owner.holder_opts(holds, **kwargs) if holds else owner.opts(**kwargs)

    if key is None:
        return {
            "sku": {"name": "Standard", "tier": "Standard", "capacity": units},
            "identity": {"type": "SystemAssigned"} if system_identity else None,
            "opts": opts(),
        }
    return {
        "sku": {"name": "Premium", "tier": "Premium", "capacity": 1},
        "identity": {
            "type": "SystemAssigned, UserAssigned" if system_identity else "UserAssigned",
            "user_assigned_identities": [key.identity_id],
        },
        "encryption": {
            "key_source": "Microsoft.KeyVault",
            "key_vault_properties": [
                {
                    "key_name": KEY_NAME,
                    "key_vault_uri": key.vault_uri,
                    "identity": {"user_assigned_identity": key.identity_id},
                }
            ],
            "require_infrastructure_encryption": True,
        },
        "opts": opts(depends_on=[key.grant]),
    }


def linked_zone(
    owner: MissionComponent,
    key: str,
    zone: str,
    *,
    resource_group_name: pulumi.Input[str],
    vnet_id: pulumi.Input[str],
) -> azure.privatedns.PrivateZone:
    """A privatelink DNS zone (a child of `owner`, named after `key`), linked to the endpoint
    VNet: what resolves a service's name to its private endpoint there (a peered network
    resolves through it only once the zone is linked to that network too: docs/azure.md). Zones
    and links take 15 tags, and no key with a colon or starting with a digit (groundlink/limits.py)."""
    tags = owner.tags_up_to(AZURE_PRIVATE_DNS_TAGS_MAX, "a private DNS zone or link", AZURE_PRIVATE_DNS_TAG_KEYS)
    private_zone = owner.realize(
        azure.privatedns.PrivateZone(
            owner.child_name(f"{key}-zone"),
            private_zone_name=zone,
            resource_group_name=resource_group_name,
            location="global",
            tags=tags,
            opts=owner.opts(),
        ),
        "security.private_network",
    )
    owner.realize(
        azure.privatedns.VirtualNetworkLink(
            owner.child_name(f"{key}-zone-link"),
            virtual_network_link_name=f"{owner.mission.name}-endpoints",
            private_zone_name=private_zone.name,
            resource_group_name=resource_group_name,
            location="global",
            registration_enabled=False,
            virtual_network={"id": vnet_id},
            tags=tags,
            opts=owner.opts(),
        ),
        "security.private_network",
    )
    return private_zone


def private_endpoint(
    owner: MissionComponent,
    network: PrivateNetwork,
    name: str,
    *,
    target_id: pulumi.Input[str],
    group: str,
    zone_ids: Mapping[str, pulumi.Input[str]] | None = None,
) -> azure.network.PrivateEndpoint:
    """A private endpoint (a child of `owner`) for `target_id`'s `group` sub-resource in the
    mission's endpoint subnet, registered in its privatelink DNS zones: `zone_ids` by name,
    or else the network's zone of that group (a store's blob, dfs or vault)."""
    zones = zone_ids if zone_ids is not None else {group: network.zone_ids[group]}
    endpoint = owner.realize(
        azure.network.PrivateEndpoint(
            owner.child_name(f"{name}-endpoint"),
            private_endpoint_name=f"pe-{owner.child_name(name)}",
            resource_group_name=network.resource_group_name,
            location=owner.mission.region,
            subnet={"id": network.subnet_id},
            private_link_service_connections=[
                {"name": name, "private_link_service_id": target_id, "group_ids": [group]}
            ],
            tags=owner.tags,
            opts=owner.opts(),
        ),
        "security.private_network",
    )
    owner.realize(
        azure.network.PrivateDnsZoneGroup(
            owner.child_name(f"{name}-endpoint-dns"),
            private_dns_zone_group_name="default",
            private_endpoint_name=endpoint.name,
            resource_group_name=network.resource_group_name,
            private_dns_zone_configs=[{"name": key, "private_dns_zone_id": zone} for key, zone in zones.items()],
            opts=owner.opts(),
        ),
        "security.private_network",
    )
    return endpoint


def check_security_inputs(inputs: SecurityInputs) -> None:
    """Premium messaging is chosen for the mission key alone: without it the namespaces stayed
    Standard. Refused before the layer registers anything (MissionStack asks before any layer)."""
    if inputs.premium_messaging and not inputs.customer_managed_keys:
        raise pulumi.RunError(
            "SecurityInputs.premium_messaging: needs customer_managed_keys, the key Premium namespaces encrypt with"
        )


class AzureSecurity(MissionComponent):
    """The mission key, its vault and the identity that uses it; the private network when asked."""

    TOKEN = "groundlink:index:AzureSecurity"
    LAYER = "security"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: SecurityInputs,
        *,
        resource_group_name: pulumi.Output[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        check_security_inputs(inputs)
        super().__init__(name, mission, opts)
        self.resource_group_name = resource_group_name
        location = mission.region
        private = inputs.private
        processing = (inputs.processing,) if inputs.processing else ()
        self.private_network: AzurePrivateNetwork | None = (
            AzurePrivateNetwork(
                self.child_name("network"),
                mission,
                resource_group_name=resource_group_name,
                processing=processing,
                servicebus_service_endpoint=inputs.premium_messaging,
                opts=self.opts(),
            )
            if private
            else None
        )
        self.network: PrivateNetwork | None = self.private_network.outputs if self.private_network else None
        # Where the contact processor runs: the private network's subnet, or its own network
        # whose subnet the account's firewall admits (docs/azure.md, "Contact processing in the network").
        self.processing_subnet_id: pulumi.Output[str] | None = (
            self.network.processing_subnet_id
            if self.network
            else self._processing_network(processing, servicebus_service_endpoint=inputs.premium_messaging)
        )
        self.identity: azure.managedidentity.UserAssignedIdentity | None = None
        self.vault: azure.keyvault.Vault | None = None
        self.key: azure.keyvault.Key | None = None
        self.key_grant: azure.authorization.RoleAssignment | None = None
        self.hsm_keys = inputs.hsm_keys
        if inputs.customer_managed_keys and not inputs.premium_messaging:
            self.warn(MESSAGING_KEYS)  # the gap itself is the blueprint's (gaps.cloud_gaps)
        if inputs.customer_managed_keys:
            client = azure.authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
            self.identity = self.realize(
                azure.managedidentity.UserAssignedIdentity(
                    self.child_name("cmk-identity"),
                    resource_name_=f"id-{mission.name}-cmk",
                    resource_group_name=resource_group_name,
                    location=location,
                    tags=self.tags,
                    # the stores reach the mission key through it: kept with them
                    opts=self.opts(store_setting=True),
                ),
                "security.cmk",
            )
            self.vault = self.realize(
                azure.keyvault.Vault(
                    self.child_name("vault"),
                    vault_name=key_vault_name(mission.name, seed=mission.name_seed),
                    resource_group_name=resource_group_name,
                    location=location,
                    properties={
                        "tenant_id": client.tenant_id,
                        "sku": {"family": "A", "name": "premium" if inputs.hsm_keys else "standard"},
                        "enable_rbac_authorization": True,
                        "enable_soft_delete": True,
                        "soft_delete_retention_in_days": SOFT_DELETE_DAYS,
                        "enable_purge_protection": True,
                        "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
                        # keys are managed through ARM and used by trusted services (storage, Synapse,
                        # Event Hubs, Service Bus): no network mode needs more. Data Explorer is none,
                        # so its cluster keeps Microsoft-managed keys (gaps.ADX_KEYS)
                        "public_network_access": "Disabled",
                    },
                    tags=self.tags,
                    opts=self.opts(stateful=True),
                ),
                "security.cmk",
            )
            self.key = self._key("data", KEY_NAME, KEY_SIZE, resource_group_name)
            self.key_grant = self._key_user("cmk-identity-key-user", self.key)
            if self.network:
                private_endpoint(self, self.network, "vault", target_id=self.vault.id, group="vault")
        # every key the stack encrypts with: the mission key
        self.key_ids: list[pulumi.Output[str]] | None = [self.key.id] if self.key else None
        # the processor's own network in public mode is no network a consumer joins: not network_id
        self.register_outputs(
            {
                "key_ids": self.key_ids,
                "network_id": self.private_network.vnet.id if self.private_network else None,
                "subnet_id": self.private_network.subnet.id if self.private_network else None,
            }
        )

        self.outputs: MissionKey | None = None
        if self.key and self.vault and self.identity and self.key_grant:
            self.outputs = MissionKey(
                key_id=self.key.id,
                key_uri=self.key.key_uri,
                vault_id=self.vault.id,
                vault_uri=self.vault.properties.vault_uri,
                identity_id=self.identity.id,
                grant=self.key_grant,
            )
        # Premium namespaces encrypt with the mission key; Standard ones cannot (the gap above).
        self.messaging_key: MissionKey | None = self.outputs if inputs.premium_messaging else None

    def _key(self, name: str, key_name: str, size: int, resource_group_name: pulumi.Input[str]) -> azure.keyvault.Key:
        """A rotating RSA key in the mission vault (HSM-backed with security.hsm_keys)."""
        assert self.vault is not None
        return self.realize(
            azure.keyvault.Key(
                self.child_name(name),
                key_name=key_name,
                vault_name=self.vault.name,
                resource_group_name=resource_group_name,
                properties={
                    "kty": "RSA-HSM" if self.hsm_keys else "RSA",
                    "key_size": size,
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
                tags=self.tags_up_to(KEY_VAULT_KEY_TAGS_MAX, "a Key Vault key"),
                opts=self.opts(stateful=True),
            ),
            "security.cmk",
        )

    def _key_user(self, name: str, key: azure.keyvault.Key) -> azure.authorization.RoleAssignment:
        """The encrypting services' identity may wrap and unwrap with `key`, and nothing else."""
        assert self.identity is not None
        return self.realize(
            grant(
                self,
                name,
                role="Key Vault Crypto Service Encryption User",
                principal_id=self.identity.principal_id,
                scope=key.id,
                store_setting=True,
            ),
            "security.cmk",
        )

    def _processing_network(
        self, capabilities: tuple[str, ...], *, servicebus_service_endpoint: bool
    ) -> pulumi.Output[str] | None:
        """A public-mode stack's network for the processor alone: one VNet, one delegated subnet."""
        if not capabilities:
            return None
        vnet = self.realize(
            azure.network.VirtualNetwork(
                self.child_name("processing-vnet"),
                virtual_network_name=f"vnet-{self.mission.name}-processing",
                resource_group_name=self.resource_group_name,
                location=self.mission.region,
                address_space={"address_prefixes": [NetworkCidrs.of(self.mission).vnet]},
                tags=self.tags,
                opts=self.opts(),
            ),
            *capabilities,
        )
        return processing_subnet(
            self,
            virtual_network_name=vnet.name,
            resource_group_name=self.resource_group_name,
            storage_service_endpoint=True,
            servicebus_service_endpoint=servicebus_service_endpoint,
            capabilities=capabilities,
        ).id
