"""Where Azure hosts the contact processor: nothing without processing (a private stack then has
no processor subnet); a function app that takes no client certificates; a Container Apps
environment that is internal and, as sized, not zone redundant."""

from __future__ import annotations

from .azure_support import one
from .conftest import variant_plan
from .test_processing_cloud import CONTAINER_JOB


def test_a_private_stack_without_processing_has_no_processor_subnet() -> None:
    plan = variant_plan("azure", {"security.network": "private", "processing.enabled": False})
    subnets = [s.inputs["subnetName"] for s in plan.of_type("azure-native:network:Subnet")]
    assert subnets, "the private network has its endpoint subnet"
    assert "processing" not in subnets
    (endpoints,) = plan.of_type("azure-native:network:Subnet")
    assert [u for u in endpoints.dependencies if ":network:Subnet::" in u] == []  # no subnet to wait for
    assert plan.of_type("azure-native:web:WebApp") == []


def test_the_function_app_takes_no_client_certificates(azure_noaa20) -> None:
    app = one(azure_noaa20, "web:WebApp").inputs
    assert app["clientCertEnabled"] is False and app["httpsOnly"] is True


def test_the_container_apps_environment_is_internal_and_not_zone_redundant() -> None:
    environment = one(variant_plan("azure", CONTAINER_JOB), "app:ManagedEnvironment").inputs
    assert environment["zoneRedundant"] is False and environment["publicNetworkAccess"] == "Disabled"
