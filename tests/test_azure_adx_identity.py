"""The Data Explorer cluster always has an identity of its own: it reads the telemetry hub with it
(its role on the hub is granted to that identity), with or without the mission key."""

from __future__ import annotations

from .azure_support import one
from .conftest import variant_plan


def test_without_the_mission_key_the_cluster_still_has_its_system_identity() -> None:
    plan = variant_plan("azure", {"security.customer_managed_keys": False}, base="partner.yaml")
    cluster = one(plan, "kusto:Cluster")
    assert "keyVaultProperties" not in cluster.inputs
    assert cluster.inputs["identity"] == {"type": "SystemAssigned"}
    principal = cluster.outputs["identity"]["principalId"]
    assert principal in {g.inputs["principalId"] for g in plan.of_type("azure-native:authorization:RoleAssignment")}


def test_the_cluster_lets_in_its_own_tenant_s_identities_only() -> None:
    """Unset, trustedExternalTenants is every Entra tenant ("The default value of
    trustedExternalTenants is all tenants"), so a principal of any tenant could sign in to a
    public cluster; empty, only the cluster's own tenant's."""
    from .conftest import variant_plan

    for network in ("public", "private"):
        plan = variant_plan("azure", {"analytics.azure_engine": "adx", "security.network": network})
        assert plan.one("azure-native:kusto:Cluster").inputs["trustedExternalTenants"] == []
