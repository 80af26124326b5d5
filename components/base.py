"""What every groundlink component shares: its token, its blueprint, child options."""

from __future__ import annotations

from typing import Any

import pulumi

from groundlink.blueprint import Blueprint


class MissionComponent(pulumi.ComponentResource):
    """A component that renders part of a blueprint.

    Children get `parent=self`; stateful children (stores, keys, catalogs) get
    `protect` and `retain_on_delete` from the spec's data protection, set on the
    child itself because the engine, not the SDK, would inherit retain-on-delete.
    """

    TOKEN = "groundlink:index:MissionComponent"

    def __init__(self, name: str, blueprint: Blueprint, opts: pulumi.ResourceOptions | None = None):
        super().__init__(self.TOKEN, name, None, opts)
        self.blueprint = blueprint
        self.prefix = name

    def opts(self, stateful: bool = False, **kwargs: Any) -> pulumi.ResourceOptions:
        if stateful:
            kwargs.setdefault("protect", self.blueprint.protected)
            kwargs.setdefault("retain_on_delete", self.blueprint.protected)
        return pulumi.ResourceOptions(parent=self, **kwargs)

    def child_name(self, *parts: str) -> str:
        return "-".join((self.prefix, *parts))

    @property
    def tags(self) -> dict[str, str]:
        return dict(self.blueprint.tags)
