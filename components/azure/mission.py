"""The Azure mission stack: the root component for one mission on Azure."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import OUTPUT_KEYS, CloudBlueprint

from ..base import (
    MissionComponent,
    check_blueprint,
    check_provider_packages,
    check_providers_cover,
    check_stack_region,
    merged_layer_outputs,
)
from .analytics import AzureAnalytics, synapse_workspace
from .events import AzureEvents
from .ground import AzureGround, check_ground_inputs
from .observability import AzureObservability
from .processing import AzureProcessing
from .security import AzureSecurity, check_security_inputs
from .storage import AzureStorage, check_storage_inputs


def _check_inputs(blueprint: CloudBlueprint) -> None:
    """What Azure refuses of hand-built layer inputs that the spec never produces, each layer's
    own refusal asked of every layer before anything registers: refused from inside a layer, the
    protected resources registered before it (vault, key, account, containers) were created by
    `pulumi up`, which then failed."""
    check_storage_inputs(blueprint.mission, blueprint.storage)
    check_ground_inputs(blueprint.ground)
    check_security_inputs(blueprint.security)


def provider_packages(blueprint: CloudBlueprint) -> tuple[str, ...]:
    """The provider packages the stack's resources are of: azure-native's, whatever the spec
    (as on AWS, where a managed station adds aws-native)."""
    return ("azure-native",)


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
        check_providers_cover("azure", opts, provider_packages(blueprint))
        check_stack_region("azure", mission.region, opts, provider_packages(blueprint))
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
        store = AzureStorage(
            self.child_name("storage"),
            mission,
            blueprint.storage,
            resource_group_name=rg_name,
            key=security.outputs,
            network=security.network,
            processing_subnet_id=security.processing_subnet_id,
            synapse_workspace=synapse_workspace(blueprint.analytics, mission),
            opts=self.opts(),
        )
        storage = store.outputs
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
        observability = AzureObservability(
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
        self.layer_outputs = merged_layer_outputs(security, store, ground, events, processing, analytics, observability)
        self.register_outputs(exports)
