"""The Azure mission stack: the root component for one mission on Azure."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink import limits
from groundlink.blueprint import OUTPUT_KEYS, CloudBlueprint
from groundlink.blueprint.tiering import ARCHIVE
from groundlink.flexpackage import DEPLOYMENT_CONTAINER

from ..base import MissionComponent, check_blueprint, check_provider_packages, check_stack_region
from .analytics import SYNAPSE_CONTAINER, AzureAnalytics, synapse_workspace
from .events import DEAD_LETTER_CONTAINER, AzureEvents
from .ground import AzureGround
from .observability import AzureObservability
from .processing import HOST_KEYS_CONTAINER, HOST_LEASES_CONTAINER, AzureProcessing
from .security import AzureSecurity
from .storage import AzureStorage

# The containers the stack makes in the mission account beside the stores': a store given one
# of their names would be a second resource for one container.
OWN_CONTAINERS = (
    DEAD_LETTER_CONTAINER,
    DEPLOYMENT_CONTAINER,
    HOST_LEASES_CONTAINER,
    HOST_KEYS_CONTAINER,
    SYNAPSE_CONTAINER,
)


def _check_inputs(blueprint: CloudBlueprint) -> None:
    """What Azure refuses of hand-built layer inputs that the spec never produces, refused in one
    line before anything registers: refused from inside a layer, the protected resources
    registered before it (vault, key, account, containers) were created by `pulumi up`, which
    then failed."""
    mission, storage, ground, security = blueprint.mission, blueprint.storage, blueprint.ground, blueprint.security
    geo = storage.redundancy == "geo"
    locations = limits.AZURE_GZRS_LOCATIONS if geo else limits.AZURE_ZRS_LOCATIONS
    if mission.region not in locations:
        raise pulumi.RunError(
            f"MissionInputs.region: {mission.region!r} offers no {'GZRS' if geo else 'ZRS'} storage account, the only "
            f"kind rendered (Azure refuses it: RedundancyConfigurationNotAvailableInRegion); allowed: "
            f"{', '.join(sorted(locations))}"
        )
    for field in ("raw_lifecycle", "products_lifecycle", "logs_lifecycle"):
        if any(tier == ARCHIVE for _, tier in getattr(storage, field).transitions):
            # the blueprint holds archive-aged data in Cold here; a lifecycle made by hand did not,
            # and the account's policy would refuse the rule (groundlink.blueprint.tiering)
            raise pulumi.RunError(
                f"StorageInputs.{field}: archive is no tier of a zone-redundant account (ZRS, GZRS, RA-GZRS, the only "
                "kinds rendered); give groundlink.blueprint.tiering.cloud_transitions('azure', ...) of the "
                "transitions, which holds that data in Cold"
            )
    for field in ("raw_container", "products_container", "query_results_container"):
        if getattr(storage, field) in OWN_CONTAINERS:
            raise pulumi.RunError(
                f"StorageInputs.{field}: {getattr(storage, field)!r} is a container the stack makes for itself; "
                f"name the store's container otherwise (taken: {', '.join(OWN_CONTAINERS)})"
            )
    if (ground.telemetry or ground.stream) and ground.hub_units > limits.EVENT_HUBS_STANDARD_MAX_UNITS:
        # the spec refuses a rate past it (MissionSpec._check_contact_hub_rate)
        raise pulumi.RunError(
            f"GroundInputs.hub_units: {ground.hub_units} is more than an Event Hubs Standard namespace takes; "
            f"allowed: 1-{limits.EVENT_HUBS_STANDARD_MAX_UNITS}"
        )
    if security.premium_messaging and not security.customer_managed_keys:
        # Premium is chosen for the mission key alone: without it the namespaces stayed Standard
        raise pulumi.RunError(
            "SecurityInputs.premium_messaging: needs customer_managed_keys, the key Premium namespaces encrypt with"
        )


class MissionStack(MissionComponent):
    """Renders a blueprint on Azure and exposes the output keys shared with AWS.

    Layers are built in data-flow order, as on AWS: keys and network, stores, events,
    ground segment (with the telemetry hub), analytics, observability. Each layer gets
    its own inputs from the blueprint and its siblings' outputs.
    A key whose capability the spec turns off is None, as on AWS.
    """

    TOKEN = "groundlink:index:AzureMissionStack"

    def __init__(self, name: str, blueprint: CloudBlueprint, opts: pulumi.ResourceOptions | None = None):
        mission = check_blueprint("azure", name, blueprint).mission
        check_provider_packages("azure", opts)
        check_stack_region("azure", mission.region, opts)
        _check_inputs(blueprint)
        super().__init__(name, mission, opts)
        for capability, reason in blueprint.gaps:  # what this cloud leaves out, decided by the blueprint
            self.gap(capability, reason)
        # Stateful: deleting a resource group deletes every resource in it, so a retained store
        # survives only if its resource group is retained too.
        self.resource_group = azure.resources.ResourceGroup(
            self.child_name("rg"),
            resource_group_name=f"rg-{mission.name}",
            location=mission.region,
            tags=self.tags,
            opts=self.opts(stateful=True),
        )
        rg_name = self.resource_group.name
        security = AzureSecurity(
            self.child_name("security"), mission, blueprint.security, resource_group_name=rg_name, opts=self.opts()
        )
        storage = AzureStorage(
            self.child_name("storage"),
            mission,
            blueprint.storage,
            resource_group_name=rg_name,
            key=security.outputs,
            network=security.network,
            processing_subnet_id=security.processing_subnet_id,
            synapse_workspace=synapse_workspace(blueprint.analytics, mission.name),
            opts=self.opts(),
        ).outputs
        events = AzureEvents(
            self.child_name("events"),
            mission,
            blueprint.events,
            resource_group_name=rg_name,
            storage=storage,
            messaging_key=security.messaging_key,
            processing_subnet_id=security.processing_subnet_id,
            opts=self.opts(),
        )
        ground = AzureGround(
            self.child_name("ground"),
            mission,
            blueprint.ground,
            resource_group_name=rg_name,
            storage=storage,
            messaging_key=security.messaging_key,
            opts=self.opts(),
        )
        processing = None
        if blueprint.processing.enabled:
            processing = AzureProcessing(
                self.child_name("processing"),
                mission,
                blueprint.processing,
                resource_group_name=rg_name,
                storage=storage,
                namespace=events.namespace,
                queue=events.queue,
                subnet_id=security.processing_subnet_id,
                opts=self.opts(),
            )
        analytics = AzureAnalytics(
            self.child_name("analytics"),
            mission,
            blueprint.analytics,
            resource_group_name=rg_name,
            storage=storage,
            key=security.outputs,
            telemetry=ground.telemetry,
            network=security.network,
            opts=self.opts(),
        )
        AzureObservability(
            self.child_name("observability"),
            mission,
            blueprint.observability,
            resource_group_name=rg_name,
            resource_group_id=self.resource_group.id,
            storage=storage,
            vault_id=security.outputs.vault_id if security.outputs else None,
            bus_namespace_id=events.namespace.id,
            queue_name=events.queue.name,
            event_topic_id=events.topic.id,
            eventhub_namespace_ids=ground.eventhub_namespace_ids,
            analytics_engine_ids=analytics.engine_ids,
            processing_ids=processing.log_sources if processing else {},
            opts=self.opts(),
        )
        exports: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
        exports.update(
            mission=mission.name,
            cloud="azure",
            # the raw store whenever there is one (a partner lands there too), as on AWS
            raw_store_uri=storage.raw_uri if blueprint.storage.raw_store else None,
            products_store_uri=storage.products_uri,
            query_results_uri=storage.query_results_uri,
            catalog=analytics.catalog,
            query_endpoint=analytics.query_endpoint,
            telemetry_stream=ground.telemetry.hub_id if ground.telemetry else None,
            event_queue=events.queue_url,
            ground_segment_ids=ground.ids,
            key_ids=security.key_ids,
        )
        self.exports = exports
        self.register_outputs(exports)
