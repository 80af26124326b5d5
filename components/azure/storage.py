"""Stores: one ADLS Gen2 account, one container per role (raw landing, products, query results).

One account with hierarchical namespace is what Synapse, Event Hubs Capture and
partner deliveries all want; the account carries every control (HTTPS and TLS
1.2 only, no public blobs, no shared keys, infrastructure encryption, the
mission key through a user-assigned identity, deny-by-default firewall), the
containers separate the roles, and one management policy applies the spec's
tiering and retention to each store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink import limits
from groundlink.blueprint import Lifecycle, MissionInputs, StorageInputs
from groundlink.blueprint.gaps import PUBLIC_PARTNER_WITHOUT_ADDRESSES, private_partner_landing
from groundlink.blueprint.tiering import ARCHIVE, deleted_kept_days
from groundlink.flexpackage import DEPLOYMENT_CONTAINER
from groundlink.limits import AZURE_PAIR_OUTSIDE_GEOGRAPHY, AZURE_PAIRED_LOCATION, AZURE_STORAGE_ACCOUNT_TAGS_MAX

from ..base import MissionComponent
from .iam import user_assigned
from .naming import storage_account_name
from .security import KEY_NAME, MissionKey, PrivateNetwork, private_endpoint

# Cloud-neutral tier -> management-policy action (Azure Cool / Cold / Archive).
AZURE_TIER_ACTION = {"cool": "tier_to_cool", "cold": "tier_to_cold", "archive": "tier_to_archive"}


# The containers the stack makes in the mission account beside the stores': AzureEvents' dead
# letters, AzureAnalytics' Synapse file system, and AzureProcessing's deployment package and its
# Functions host's leases and keys (docs/processing.md, "The host's storage"). A store given one
# of their names would be a second resource for one container, whose delete takes the other's data.
DEAD_LETTER_CONTAINER = "event-dead-letter"
SYNAPSE_CONTAINER = "synapse"
HOST_LEASES_CONTAINER = "azure-webjobs-hosts"
HOST_KEYS_CONTAINER = "azure-webjobs-secrets"
OWN_CONTAINERS = (
    DEAD_LETTER_CONTAINER,
    DEPLOYMENT_CONTAINER,
    HOST_LEASES_CONTAINER,
    HOST_KEYS_CONTAINER,
    SYNAPSE_CONTAINER,
)


def check_storage_inputs(mission: MissionInputs, inputs: StorageInputs) -> None:
    """What Azure refuses of hand-built storage inputs that the spec never produces, refused in
    one line before the layer registers anything (MissionStack asks before any layer does):
    refused later, the protected resources registered before were created by `pulumi up`, which
    then failed; let through, a ZRS account where the region has no zones, an Archive step on a
    zone-redundant account or a store in another layer's container reached the cloud."""
    geo = inputs.redundancy == "geo"
    locations = limits.AZURE_GZRS_LOCATIONS if geo else limits.AZURE_ZRS_LOCATIONS
    if mission.region not in locations:
        raise pulumi.RunError(
            f"MissionInputs.region: {mission.region!r} offers no {'GZRS' if geo else 'ZRS'} storage account, the only "
            f"kind rendered (Azure refuses it: RedundancyConfigurationNotAvailableInRegion); allowed: "
            f"{', '.join(sorted(locations))}"
        )
    for field in ("raw_lifecycle", "products_lifecycle", "logs_lifecycle"):
        if any(tier == ARCHIVE for _, tier in getattr(inputs, field).transitions):
            # the blueprint holds archive-aged data in Cold here; a lifecycle made by hand did not,
            # and the account's policy would refuse the rule (groundlink.blueprint.tiering)
            raise pulumi.RunError(
                f"StorageInputs.{field}: archive is no tier of a zone-redundant account (ZRS, GZRS, RA-GZRS, the only "
                "kinds rendered); give groundlink.blueprint.tiering.cloud_transitions('azure', ...) of the "
                "transitions, which holds that data in Cold"
            )
    for field in ("raw_container", "products_container", "query_results_container"):
        if getattr(inputs, field) in OWN_CONTAINERS:
            raise pulumi.RunError(
                f"StorageInputs.{field}: {getattr(inputs, field)!r} is a container the stack makes for itself; "
                f"name the store's container otherwise (taken: {', '.join(OWN_CONTAINERS)})"
            )


@dataclass(frozen=True)
class Stores:
    """The mission account and its containers as the other layers use them."""

    account_id: pulumi.Output[str]
    account_name: pulumi.Output[str]
    blob_service_id: pulumi.Output[str]
    dfs_endpoint: pulumi.Output[str]
    raw_container_id: pulumi.Output[str]
    products_container_id: pulumi.Output[str]
    products_container: str  # the products container's name, where telemetry is archived
    query_results_container_id: pulumi.Output[str] | None
    raw_uri: pulumi.Output[str]
    products_uri: pulumi.Output[str]
    query_results_uri: pulumi.Output[str] | None


def network_rules(
    partner_source_addresses: tuple[str, ...],
    processing_subnet_id: pulumi.Input[str] | None = None,
    resource_instances: Sequence[dict[str, pulumi.Input[str]]] = (),
) -> dict[str, Any]:
    """Deny by default, trusted Azure services through, the partner's writers when it lands from
    outside Azure (ground_segment.partner.source_addresses), the contact processor's subnet
    when it reaches the account through a service endpoint (a public-mode stack), and the
    resource instances named ({tenant_id, resource_id}: the Synapse workspace)."""
    rules: dict[str, Any] = {
        "default_action": azure.storage.DefaultAction.DENY,
        "bypass": azure.storage.Bypass.AZURE_SERVICES,
    }
    if resource_instances:
        rules["resource_access_rules"] = list(resource_instances)
    if processing_subnet_id is not None:
        rules["virtual_network_rules"] = [
            {"virtual_network_resource_id": processing_subnet_id, "action": azure.storage.Action.ALLOW}
        ]
    if partner_source_addresses:
        rules["ip_rules"] = [
            azure.storage.IPRuleArgs(i_p_address_or_range=address, action=azure.storage.Action.ALLOW)
            for address in partner_source_addresses
        ]
    return rules


def abfss_uri(container: str, account: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.concat("abfss://", container, "@", account, ".dfs.core.windows.net/")


def container(
    owner: MissionComponent,
    role: str,
    container_name: str,
    *capabilities: str,
    account_name: pulumi.Input[str],
    resource_group_name: pulumi.Input[str],
) -> azure.storage.BlobContainer:
    """A private, protected container in the mission account, a child of `owner`."""
    return owner.realize(
        azure.storage.BlobContainer(
            owner.child_name(role),
            container_name=container_name,
            account_name=account_name,
            resource_group_name=resource_group_name,
            public_access=azure.storage.PublicAccess.NONE,
            opts=owner.opts(stateful=True),
        ),
        *capabilities,
    )


def lifecycle_rule(name: str, container: str, lifecycle: Lifecycle) -> dict[str, Any]:
    """A management-policy rule: tier by age, delete at retention, expire old snapshots (the
    account keeps no versions: a hierarchical namespace refuses them)."""
    base_blob: dict[str, Any] = {
        AZURE_TIER_ACTION[tier]: {"days_after_modification_greater_than": days} for days, tier in lifecycle.transitions
    }
    base_blob["delete"] = {"days_after_modification_greater_than": lifecycle.expire_days}
    noncurrent = {"delete": {"days_after_creation_greater_than": lifecycle.noncurrent_days}}
    return {
        "name": name,
        "enabled": True,
        "type": "Lifecycle",
        "definition": {
            "filters": {"blob_types": ["blockBlob"], "prefix_match": [f"{container}/"]},
            "actions": {"base_blob": base_blob, "snapshot": noncurrent},
        },
    }


def storage_sku(redundancy: str, geo_read_access: bool) -> str:
    """ZRS keeps three copies in three availability zones, as S3 Standard does; GZRS adds a copy in
    the paired region, RA-GZRS makes that copy readable before a failover (docs/azure.md)."""
    if redundancy == "geo":
        return azure.storage.SkuName.STANDARD_RAGZRS if geo_read_access else azure.storage.SkuName.STANDARD_GZRS
    return azure.storage.SkuName.STANDARD_ZRS


def pair_outside_geography(location: str) -> str:
    """The warning for a location whose paired region, where GZRS keeps its second copy, lies in
    another geography: AWS replicates to the region the spec names, Azure to a pair it does not."""
    return (
        f"storage.redundancy: geo: GZRS keeps the second copy of every store in {location}'s paired region, "
        f"{AZURE_PAIRED_LOCATION[location]}, outside {AZURE_PAIR_OUTSIDE_GEOGRAPHY[location]} (Microsoft Learn, "
        '"Azure region pairs and nonpaired regions"): where the data must stay in '
        f"{AZURE_PAIR_OUTSIDE_GEOGRAPHY[location]}, use storage.redundancy: zone"
    )


class AzureStorage(MissionComponent):
    """The mission's stores on Azure: one hardened ADLS Gen2 account, because Synapse, Capture and
    partner deliveries all want one hierarchical namespace; the raw container is always the
    partner's landing zone (Azure has no station). Pass `resource_group_name`, `key` (the mission
    key and its identity, or None), `network` (private endpoints, or None) and, without them,
    `processing_subnet_id` (the processor's subnet, admitted by the firewall).
    AWS's counterpart: AwsStorage in components/aws/storage.py."""

    TOKEN = "groundlink:index:AzureStorage"
    LAYER = "storage"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: StorageInputs,
        *,
        resource_group_name: pulumi.Output[str],
        key: MissionKey | None,
        network: PrivateNetwork | None,
        processing_subnet_id: pulumi.Output[str] | None = None,
        synapse_workspace: str | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        check_storage_inputs(mission, inputs)
        super().__init__(name, mission, opts)
        private = inputs.private
        # Synapse serverless SQL runs outside the workspace's managed network, and Microsoft asks for
        # a resource instance rule naming the workspace for it to reach a firewalled account
        # (docs/azure.md, "Storage behind security.network: private"); the workspace's id is known
        # before it exists, from the subscription, the group and its name.
        instances: list[dict[str, pulumi.Input[str]]] = []
        if synapse_workspace is not None:
            client = azure.authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
            instances.append(
                {
                    "tenant_id": client.tenant_id,
                    "resource_id": pulumi.Output.concat(
                        "/subscriptions/",
                        client.subscription_id,
                        "/resourceGroups/",
                        resource_group_name,
                        "/providers/Microsoft.Synapse/workspaces/",
                        synapse_workspace,
                    ),
                }
            )
        self.resource_group_name = resource_group_name
        self.account_name = storage_account_name(mission.name, seed=mission.name_seed)
        encryption: dict[str, Any] = {
            "require_infrastructure_encryption": True,
            "services": {
                "blob": {"enabled": True, "key_type": "Account"},
                "file": {"enabled": True, "key_type": "Account"},
            },
        }
        identity = None
        depends_on: list[pulumi.Resource] = []
        if key:
            identity = {"type": "UserAssigned", "user_assigned_identities": user_assigned(key.identity_id)}
            encryption.update(
                key_source="Microsoft.Keyvault",
                key_vault_properties={"key_name": KEY_NAME, "key_vault_uri": key.vault_uri},
                encryption_identity={"encryption_user_assigned_identity": key.identity_id},
            )
            depends_on.append(key.grant)  # the identity must hold the key before the account uses it
        else:
            encryption["key_source"] = "Microsoft.Storage"
        self.account = self.realize(
            azure.storage.StorageAccount(
                self.child_name("account"),
                account_name=self.account_name,
                resource_group_name=resource_group_name,
                location=mission.region,
                kind=azure.storage.Kind.STORAGE_V2,
                sku={"name": storage_sku(inputs.redundancy, inputs.geo_read_access)},
                access_tier="Hot",
                is_hns_enabled=True,
                enable_https_traffic_only=True,
                minimum_tls_version=azure.storage.MinimumTlsVersion.TLS1_2,
                allow_blob_public_access=False,
                allow_shared_key_access=False,
                allow_cross_tenant_replication=False,
                default_to_o_auth_authentication=True,
                identity=identity,
                encryption=encryption,
                # Enabled in both modes: Microsoft documents Disabled as "Traffic will be allowed only
                # through a private endpoint", and Capture, the Event Grid dead-letter, Data Explorer and
                # Synapse serverless SQL reach the account over its public endpoint as trusted services
                # (docs/azure.md, "Storage behind security.network: private"). Private mode admits no
                # network on it: deny by default, trusted Azure services only, the private endpoints.
                public_network_access="Enabled",
                # behind private endpoints the processor needs no firewall rule (nor has a service endpoint)
                network_rule_set=network_rules(
                    () if private else inputs.partner_source_addresses,
                    None if network else processing_subnet_id,
                    instances,
                ),
                tags=self.tags_up_to(AZURE_STORAGE_ACCOUNT_TAGS_MAX, "the storage account"),
                opts=self.opts(stateful=True, depends_on=depends_on),
            ),
            *(["storage.raw"] if inputs.raw_needed else []),
            "storage.products",
        )
        if key:
            self.realize(self.account, "security.cmk")
        if inputs.redundancy == "geo":  # GZRS / RA-GZRS: three more copies in the paired region
            self.realize(self.account, "storage.geo_redundancy")
            if mission.region in AZURE_PAIR_OUTSIDE_GEOGRAPHY:
                self.warn(pair_outside_geography(mission.region))
        if inputs.archive_gap:  # the lifecycle keeps archive-aged data in Cold (groundlink.blueprint.tiering)
            self.warn(inputs.archive_gap)
        if private and inputs.landing:
            self.warn(private_partner_landing(len(inputs.partner_source_addresses)))
        elif inputs.landing and inputs.partner_named and not inputs.partner_source_addresses:
            self.warn(PUBLIC_PARTNER_WITHOUT_ADDRESSES)
        # an archive step (no tier of a zone-redundant account) is refused before anything
        # registers (check_storage_inputs)
        raw_lifecycle, products_lifecycle = inputs.raw_lifecycle, inputs.products_lifecycle
        soft_delete_days = deleted_kept_days("azure", raw_lifecycle.noncurrent_days)
        # Soft delete only: the account has a hierarchical namespace, which refuses blob versioning
        # and the change feed (HTTP 409; docs/azure.md, "Blob service"): the blueprint declares the
        # gap storage.versioning, so this realizes no capability.
        self.blob_service = azure.storage.BlobServiceProperties(
            self.child_name("blob-service"),
            account_name=self.account.name,
            resource_group_name=resource_group_name,
            blob_services_name="default",
            delete_retention_policy={"enabled": True, "days": soft_delete_days},
            container_delete_retention_policy={"enabled": True, "days": soft_delete_days},
            opts=self.opts(store_setting=True),
        )
        # Azure has no first-party station: the raw container is always the partner's landing zone.
        self.raw = self.container(
            "raw",
            inputs.raw_container,
            *(["storage.raw"] if inputs.raw_needed else []),
            *(["ground.partner_landing"] if inputs.landing else []),
        )
        self.products = self.container("products", inputs.products_container, "storage.products")
        self.query_results = (
            self.container("query-results", inputs.query_results_container, "storage.query_results")
            if inputs.query_results
            else None
        )
        self.realize(
            azure.storage.ManagementPolicy(
                self.child_name("lifecycle"),
                account_name=self.account.name,
                resource_group_name=resource_group_name,
                management_policy_name="default",
                policy={
                    "rules": [
                        lifecycle_rule("raw-retention", inputs.raw_container, raw_lifecycle),
                        lifecycle_rule("products-retention", inputs.products_container, products_lifecycle),
                        # query results age like products, as the AWS query-results bucket does
                        *(
                            [
                                lifecycle_rule(
                                    "query-results-retention",
                                    inputs.query_results_container,
                                    products_lifecycle,
                                )
                            ]
                            if self.query_results
                            else []
                        ),
                    ]
                },
                opts=self.opts(store_setting=True, depends_on=[self.blob_service]),
            ),
            "storage.lifecycle",
        )
        if network:
            for group in ("blob", "dfs"):
                private_endpoint(self, network, group, target_id=self.account.id, group=group)
                if inputs.geo_read_access:
                    # the secondary region's read endpoint (<account>-secondary) is a sub-resource of
                    # its own: "For read access to the secondary region with a storage account
                    # configured for geo-redundant storage, you need separate private endpoints for
                    # both the primary and secondary instances of the service" (Microsoft Learn, "Use
                    # private endpoints for Azure Storage"). Registered in the same privatelink zone.
                    private_endpoint(
                        self,
                        network,
                        f"{group}-secondary",
                        target_id=self.account.id,
                        group=f"{group}_secondary",
                        zone_ids={group: network.zone_ids[group]},
                    )
        self.dfs_endpoint = pulumi.Output.concat("https://", self.account.name, ".dfs.core.windows.net")
        self.raw_uri = abfss_uri(inputs.raw_container, self.account.name)
        self.products_uri = abfss_uri(inputs.products_container, self.account.name)
        self.query_results_uri = (
            abfss_uri(inputs.query_results_container, self.account.name) if self.query_results else None
        )
        self.outputs = Stores(
            account_id=self.account.id,
            account_name=self.account.name,
            blob_service_id=self.blob_service.id,
            dfs_endpoint=self.dfs_endpoint,
            raw_container_id=self.raw.id,
            products_container_id=self.products.id,
            products_container=inputs.products_container,
            query_results_container_id=self.query_results.id if self.query_results else None,
            raw_uri=self.raw_uri,
            products_uri=self.products_uri,
            query_results_uri=self.query_results_uri,
        )
        self.register_outputs(
            {
                "raw_store_uri": self.raw_uri,
                "products_store_uri": self.products_uri,
                "query_results_uri": self.query_results_uri,
                # GZRS / RA-GZRS keep the second copy in the paired region, as AWS replicates to replica_region
                "replica_region": self.account.secondary_location if inputs.redundancy == "geo" else None,
            }
        )

    def container(self, role: str, container_name: str, *capabilities: str) -> azure.storage.BlobContainer:
        return container(
            self,
            role,
            container_name,
            *capabilities,
            account_name=self.account.name,
            resource_group_name=self.resource_group_name,
        )
