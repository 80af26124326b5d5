"""A captured plan as the Analyzer requests `pulumi preview` would send.

Analyze gets each resource's inputs (camelCase wire names), options and
provider; AnalyzeStack gets every resource with its outputs (which under the
offline engine include the inputs), parent, dependencies and the
dependencies of each property (which side resource points at which bucket).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..engine import Plan, PlannedResource

if TYPE_CHECKING:
    from pulumi.runtime.proto import analyzer_pb2


def _struct(value: dict[str, Any]) -> Any:  # a protobuf Struct (protobuf ships no types)
    from google.protobuf import json_format, struct_pb2

    return json_format.ParseDict(value or {}, struct_pb2.Struct())


def provider_config(config: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Default provider inputs per package, from `<package>:<key>` stack config."""
    packages: dict[str, dict[str, Any]] = {}
    for key, value in config.items():
        package, _, name = key.partition(":")
        packages.setdefault(package, {})[name] = value
    return packages


class Wire:
    """Builds requests for one plan; resolves providers once."""

    def __init__(self, plan: Plan, config: dict[str, str]) -> None:
        from pulumi.runtime.proto import analyzer_pb2

        self.pb = analyzer_pb2
        self.plan = plan
        self.defaults = provider_config(config)
        self.providers = {r.urn: r for r in plan.resources if r.type.startswith("pulumi:providers:")}

    def _options(self, resource: PlannedResource) -> analyzer_pb2.AnalyzerResourceOptions:
        return self.pb.AnalyzerResourceOptions(protect=resource.protect, parent=resource.parent or "")

    def _provider(self, resource: PlannedResource) -> analyzer_pb2.AnalyzerProviderResource | None:
        if not resource.custom or resource.type.startswith("pulumi:providers:"):
            return None
        if resource.provider:
            urn = resource.provider.rsplit("::", 1)[0]
            explicit = self.providers.get(urn)
            if explicit is not None:
                return self.pb.AnalyzerProviderResource(
                    type=explicit.type, properties=_struct(explicit.inputs), urn=explicit.urn, name=explicit.name
                )
        package = resource.type.split(":", 1)[0]
        kind = f"pulumi:providers:{package}"
        urn = f"urn:pulumi:{self.plan.stack}::{self.plan.project}::{kind}::default"
        return self.pb.AnalyzerProviderResource(
            type=kind, properties=_struct(self.defaults.get(package, {})), urn=urn, name="default"
        )

    def analyze(self, resource: PlannedResource) -> analyzer_pb2.AnalyzeRequest:
        request = self.pb.AnalyzeRequest(
            type=resource.type,
            properties=_struct(resource.inputs),
            urn=resource.urn,
            name=resource.name,
            options=self._options(resource),
        )
        provider = self._provider(resource)
        if provider is not None:
            request.provider.CopyFrom(provider)
        return request

    def analyze_stack(self) -> analyzer_pb2.AnalyzeStackRequest:
        resources = []
        for r in self.plan.resources:
            item = self.pb.AnalyzerResource(
                type=r.type,
                properties=_struct(r.outputs or r.inputs),
                urn=r.urn,
                name=r.name,
                options=self._options(r),
                parent=r.parent or "",
                dependencies=r.dependencies,
            )
            for key, urns in r.propertyDependencies.items():
                if urns:  # as the engine sends them: "Skip properties that have no dependencies"
                    item.propertyDependencies[key].urns.extend(urns)
            provider = self._provider(r)
            if provider is not None:
                item.provider.CopyFrom(provider)
            resources.append(item)
        return self.pb.AnalyzeStackRequest(resources=resources)
