"""The AWS mission stack: the root component for one mission on AWS."""

from __future__ import annotations

from typing import Any, Optional

import pulumi

from groundlink.blueprint import OUTPUT_KEYS, Blueprint

from ..base import MissionComponent
from .security import AwsSecurity
from .storage import AwsStorage


class MissionStack(MissionComponent):
    """Renders a blueprint on AWS and exposes the output keys shared with Azure."""

    TOKEN = "groundlink:index:AwsMissionStack"

    def __init__(self, name: str, blueprint: Blueprint, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        security = AwsSecurity(self.child_name("security"), blueprint, opts=self.opts())
        storage = AwsStorage(self.child_name("storage"), blueprint, key=security.key, opts=self.opts())
        exports: dict[str, Any] = dict.fromkeys(OUTPUT_KEYS)
        exports.update(
            mission=blueprint.mission,
            cloud="aws",
            raw_store_uri=storage.raw_uri,
            key_ids=[security.key.arn] if security.key else [],
            ground_segment_ids=[],
        )
        self.exports = exports
        self.register_outputs(exports)
