"""The Azure mission stack: the root component for one mission on Azure."""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import OUTPUT_KEYS, Blueprint

from ..base import MissionComponent
from .storage import AzureStorage


class MissionStack(MissionComponent):
    """Renders a blueprint on Azure and exposes the output keys shared with AWS."""

    TOKEN = "groundlink:index:AzureMissionStack"

    def __init__(self, name: str, blueprint: Blueprint, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        location = blueprint.spec.clouds.azure.location
        self.resource_group = azure.resources.ResourceGroup(
            self.child_name("rg"), resource_group_name=f"rg-{blueprint.mission}", location=location,
            tags=self.tags, opts=self.opts())
        storage = AzureStorage(self.child_name("storage"), blueprint, resource_group=self.resource_group,
                               opts=self.opts())
        exports: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
        exports.update(
            mission=blueprint.mission,
            cloud="azure",
            raw_store_uri=storage.raw_uri,
            key_ids=[],
            ground_segment_ids=[],
        )
        self.exports = exports
        self.register_outputs(exports)
