"""The processor's subnet is large enough for the scale the spec plans, and the Flex app's scale
is one Azure accepts: preflight says so before a deployment fails on it.

Flex Consumption needs at least a /27 (a /26 past 1,000 instances), takes no subnet whose name
has an underscore, and accepts a maximum instance count of 1-1000 (docs/processing.md).
"""

from __future__ import annotations

import copy

from groundlink.limits import flex_maximum_instance_count
from groundlink.preflight import integration

from .conftest import variant_plan
from .test_processing_cloud import CONTAINER_JOB

SUBNET = "azure-native:network:Subnet"
APP = "azure-native:web:WebApp"


def _changed(plan, subnet=None, instances=None):
    """A copy of `plan` with the processor subnet's inputs updated and the app's instance count set."""
    changed = copy.deepcopy(plan)
    (processing,) = [s for s in changed.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    processing.inputs.update(subnet or {})
    if instances is not None:
        changed.one(APP).inputs["functionAppConfig"]["scaleAndConcurrency"]["maximumInstanceCount"] = instances
    return changed


def _rules(plan) -> list[str]:
    return [f.rule for f in integration.azure_findings(plan)]


def test_the_planned_subnet_and_scale_pass(azure_noaa20) -> None:
    assert azure_noaa20.one(APP).inputs["functionAppConfig"]["scaleAndConcurrency"]["maximumInstanceCount"] == 10
    assert _rules(azure_noaa20) == []


def test_a_subnet_under_a_27_is_found_and_a_27_is_not(azure_noaa20) -> None:
    assert _rules(_changed(azure_noaa20, {"addressPrefix": "10.42.0.128/28"})) == [
        "joins subnet noaa20-security-processing (10.42.0.128/28): smaller than the /27 its scale needs"
    ]
    assert _rules(_changed(azure_noaa20, {"addressPrefix": "10.42.0.128/27"})) == []


def test_a_flex_app_past_1000_instances_needs_a_26(azure_noaa20) -> None:
    small = _changed(azure_noaa20, {"addressPrefix": "10.42.0.128/27"}, instances=1001)
    assert _rules(small) == [
        "joins subnet noaa20-security-processing (10.42.0.128/27): smaller than the /26 its scale needs",
        "a Flex Consumption app's maximum instance count is 1-1000",
    ]
    assert _rules(_changed(azure_noaa20, {"addressPrefix": "10.42.0.128/26"}, instances=1000)) == []


def test_a_flex_maximum_under_1_is_found_and_1_is_not(azure_noaa20) -> None:
    """Azure takes 1-1000 (it took no maximum under 40 in its first GA revisions: a count of 10
    was refused by this check, and the plan set 40 where Lambda ran 10)."""
    (finding,) = integration.azure_findings(_changed(azure_noaa20, instances=0))
    assert (finding.resource, finding.path, finding.value) == (
        "noaa20-processing-app",
        "functionAppConfig.scaleAndConcurrency.maximumInstanceCount",
        0,
    )
    assert list(integration.azure_findings(_changed(azure_noaa20, instances=1))) == []


def test_the_spec_concurrency_is_the_count_azure_runs() -> None:
    assert [flex_maximum_instance_count(n) for n in (2, 10, 40, 41, 1000)] == [2, 10, 40, 41, 1000]


def test_a_subnet_name_with_an_underscore_is_found_for_flex(azure_noaa20) -> None:
    assert _rules(_changed(azure_noaa20, {"subnetName": "contact_processing"})) == [
        "joins subnet 'contact_processing': Flex Consumption takes no subnet whose name has an underscore"
    ]


def test_a_container_apps_environment_in_a_28_is_found() -> None:
    plan = variant_plan("azure", CONTAINER_JOB)
    assert _rules(plan) == []
    changed = copy.deepcopy(plan)
    (processing,) = [s for s in changed.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    processing.inputs["addressPrefix"] = "10.42.0.128/28"
    (finding,) = integration.azure_findings(changed)
    assert (finding.type, finding.path) == (
        "azure-native:app:ManagedEnvironment",
        "vnetConfiguration.infrastructureSubnetId",
    )


def test_a_flex_app_sharing_its_subnet_with_a_container_apps_environment_is_found(azure_noaa20) -> None:
    environment = variant_plan("azure", CONTAINER_JOB).one("azure-native:app:ManagedEnvironment")
    plan = copy.deepcopy(azure_noaa20)
    (processing,) = [s for s in plan.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    shared = copy.deepcopy(environment)
    shared.inputs["vnetConfiguration"]["infrastructureSubnetId"] = processing.outputs["id"]
    plan.resources.append(shared)
    assert _rules(plan) == [
        "joins subnet noaa20-security-processing, which a Container Apps environment also joins: they cannot share it"
    ]


def test_a_plan_s_counts_are_floats_and_are_judged_as_ints_are(azure_noaa20) -> None:
    """Every number of a plan's inputs is a float (the planned count is 10.0): the rules took only
    ints, and neither fired on a real plan."""
    count = azure_noaa20.one(APP).inputs["functionAppConfig"]["scaleAndConcurrency"]["maximumInstanceCount"]
    assert isinstance(count, float)
    small = _changed(azure_noaa20, {"addressPrefix": "10.42.0.128/27"}, instances=1500.0)
    assert _rules(small) == [
        "joins subnet noaa20-security-processing (10.42.0.128/27): smaller than the /26 its scale needs",
        "a Flex Consumption app's maximum instance count is 1-1000",
    ]
    assert _rules(_changed(azure_noaa20, instances=0.0)) == [
        "a Flex Consumption app's maximum instance count is 1-1000"
    ]


def test_a_flex_app_of_exactly_1000_instances_fits_a_27(azure_noaa20) -> None:
    """Only an app allowed past 1,000 instances needs a /26: the maximum Azure takes, 1,000, fits a
    /27, and preflight must not refuse the planned /27 for it (a /26 was demanded of it)."""
    assert _rules(_changed(azure_noaa20, {"addressPrefix": "10.42.0.128/27"}, instances=1000)) == []


def test_a_container_apps_environment_s_subnet_may_have_an_underscore() -> None:
    """The underscore rule is Flex Consumption's: a container job's environment in a subnet named
    `contact_processing` was found refused, and its plan read as one Azure would not deploy."""
    changed = copy.deepcopy(variant_plan("azure", CONTAINER_JOB))
    (processing,) = [s for s in changed.of_type(SUBNET) if s.inputs["subnetName"] == "processing"]
    processing.inputs["subnetName"] = "contact_processing"
    assert _rules(changed) == []
