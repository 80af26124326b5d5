"""Synapse's managed network keeps data in: exfiltration protection on, and no other Entra
tenant allowed to link to the workspace."""

from __future__ import annotations


def test_the_managed_network_links_to_no_other_tenant(azure_noaa20) -> None:
    settings = azure_noaa20.one("azure-native:synapse:Workspace").inputs["managedVirtualNetworkSettings"]
    assert settings == {"preventDataExfiltration": True, "allowedAadTenantIdsForLinking": []}
