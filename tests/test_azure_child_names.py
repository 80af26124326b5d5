"""A child resource is named by its parent's plain name, never by the parent's `name` output.

ARM returns some child resources' names with their parents' (`<cluster>/<database>` for a Data
Explorer database; Azure REST API specs, azure-kusto examples), and the mocks return them so: a
`databaseName` built from that output made a path no child could be created at, at `pulumi up`
only. The name inputs of every Azure plan hold single path segments."""

from __future__ import annotations

import pytest

from .conftest import SPECS, cached_plan, variant_plan


def _name_inputs(plan):
    for resource in plan.resources:
        if resource.type.startswith("azure-native:"):
            for key, value in resource.inputs.items():
                if key.endswith("Name") and isinstance(value, str):
                    yield resource, key, value


@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_every_name_input_is_one_path_segment(spec):
    plan = cached_plan(spec, "azure")
    names = list(_name_inputs(plan))
    assert names
    assert [(r.name, key, value) for r, key, value in names if "/" in value] == []


def test_data_explorer_children_take_the_database_by_its_plain_name():
    plan = variant_plan("azure", {"analytics.azure_engine": "adx", "analytics.telemetry_stream": True})
    database = plan.one("azure-native:kusto:ReadWriteDatabase")
    assert database.outputs["name"] == f"{database.inputs['clusterName']}/{database.inputs['databaseName']}"
    children = [r for r in plan.resources if r.type.startswith("azure-native:kusto:") and "databaseName" in r.inputs]
    assert {r.type for r in children} >= {
        "azure-native:kusto:Script",
        "azure-native:kusto:EventHubDataConnection",
        "azure-native:kusto:ReadWriteDatabase",
    }
    for child in children:
        assert child.inputs["databaseName"] == database.inputs["databaseName"], child.name
        assert child is database or database.urn in child.dependencies, child.name
