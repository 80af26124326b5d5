"""Every resource belongs to the mission tree and is named after its place in it.

A resource's logical name is its identity in the stack: renaming one (a child created under
another name, or outside its component) makes Pulumi delete it and create a new one, which
for a bucket or a key is data loss. So on both clouds, for every example spec and for the
container-job processor, each resource hangs under a groundlink component (the mission stack
itself under the Pulumi stack), and its name is its parent's name, or that name and more
lowercase words joined by dashes.
"""

from __future__ import annotations

import re

import pytest

from .conftest import SPECS, cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STACK = "pulumi:pulumi:Stack"
EXAMPLES = sorted(path.name for path in SPECS.glob("*.yaml"))


def plans():
    cases = [
        pytest.param(spec, cloud, id=f"{spec.removesuffix('.yaml')}-{cloud}")
        for spec in EXAMPLES
        for cloud in ("aws", "azure")
    ]
    cases += [pytest.param("container_job", cloud, id=f"container-job-{cloud}") for cloud in ("aws", "azure")]
    return pytest.mark.parametrize(("spec", "cloud"), cases)


def plan_for(spec: str, cloud: str):
    return variant_plan(cloud, CONTAINER_JOB) if spec == "container_job" else cached_plan(spec, cloud)


@plans()
def test_every_resource_hangs_under_a_groundlink_component_and_extends_its_name(spec, cloud) -> None:
    plan = plan_for(spec, cloud)
    by_urn = {r.urn: r for r in plan.resources}
    (root,) = plan.of_type(f"groundlink:index:{cloud.capitalize()}MissionStack")
    assert root.parent is not None and f"::{STACK}::" in root.parent
    outside, misnamed = [], []
    for resource in plan.resources:
        assert NAME.fullmatch(resource.name), f"{resource.type} {resource.name!r} is not lowercase kebab-case"
        if resource is root:
            continue
        parent = by_urn.get(resource.parent or "")
        if parent is None or not parent.type.startswith("groundlink:index:"):
            outside.append((resource.type, resource.name))
        elif resource.name != parent.name and not resource.name.startswith(parent.name + "-"):
            misnamed.append((resource.type, resource.name, parent.name))
    assert len(plan.resources) > 20
    assert outside == [], "resources created outside the mission tree"
    assert misnamed == [], "resources not named after their component"
