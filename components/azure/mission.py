"""The Azure mission stack: the root component for one mission on Azure."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import OUTPUT_KEYS, Blueprint

from ..base import MissionComponent
from .analytics import AzureAnalytics
from .events import AzureEvents
from .ground import AzureGround
from .observability import AzureObservability
from .security import AzureSecurity
from .storage import AzureStorage


class MissionStack(MissionComponent):
    """Renders a blueprint on Azure and exposes the output keys shared with AWS.

    A key whose capability the spec turns off is None, as on AWS.
    """

    TOKEN = "groundlink:index:AzureMissionStack"

    def __init__(self, name: str, blueprint: Blueprint, opts: pulumi.ResourceOptions | None = None):
        super().__init__(name, blueprint, opts)
        spec = blueprint.spec
        # Stateful: deleting a resource group deletes every resource in it, so a retained store
        # survives only if its resource group is retained too.
        self.resource_group = azure.resources.ResourceGroup(
            self.child_name("rg"),
            resource_group_name=f"rg-{blueprint.mission}",
            location=spec.clouds.azure.location,
            tags=self.tags,
            opts=self.opts(stateful=True),
        )
        rg = self.resource_group
        security = AzureSecurity(self.child_name("security"), blueprint, resource_group=rg, opts=self.opts())
        storage = AzureStorage(
            self.child_name("storage"), blueprint, resource_group=rg, security=security, opts=self.opts()
        )
        events = AzureEvents(self.child_name("events"), blueprint, resource_group=rg, storage=storage, opts=self.opts())
        ground = AzureGround(self.child_name("ground"), blueprint, resource_group=rg, storage=storage, opts=self.opts())
        analytics = AzureAnalytics(
            self.child_name("analytics"),
            blueprint,
            resource_group=rg,
            storage=storage,
            security=security,
            telemetry=ground.telemetry,
            opts=self.opts(),
        )
        AzureObservability(
            self.child_name("observability"),
            blueprint,
            resource_group=rg,
            storage=storage,
            security=security,
            events=events,
            eventhub_namespaces=ground.eventhub_namespaces,
            opts=self.opts(),
        )
        exports: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
        exports.update(
            mission=blueprint.mission,
            cloud="azure",
            raw_store_uri=storage.raw_uri if blueprint.needs("storage.raw") else None,
            products_store_uri=storage.products_uri,
            query_results_uri=storage.query_results_uri,
            catalog=analytics.catalog,
            query_endpoint=analytics.query_endpoint,
            telemetry_stream=ground.telemetry.hub.id if ground.telemetry else None,
            event_queue=events.queue_url,
            ground_segment_ids=ground.ids,
            key_ids=[security.key.id] if security.key else None,
        )
        self.exports = exports
        self.register_outputs(exports)
