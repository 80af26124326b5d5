"""Without contact processing there is nothing to host: a private Azure stack then has no
processor subnet, and the function app of a processing stack takes no client certificates."""

from __future__ import annotations

from .conftest import variant_plan
from .test_azure_support import one


def test_a_private_stack_without_processing_has_no_processor_subnet() -> None:
    plan = variant_plan("azure", {"security.network": "private", "processing.enabled": False})
    subnets = [s.inputs["subnetName"] for s in plan.of_type("azure-native:network:Subnet")]
    assert subnets, "the private network has its endpoint subnet"
    assert "processing" not in subnets
    assert plan.of_type("azure-native:web:WebApp") == []


def test_the_function_app_takes_no_client_certificates(azure_noaa20) -> None:
    app = one(azure_noaa20, "web:WebApp").inputs
    assert app["clientCertEnabled"] is False and app["httpsOnly"] is True
