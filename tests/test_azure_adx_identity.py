"""The Data Explorer cluster always has an identity of its own: it reads the telemetry hub with it
(its role on the hub is granted to that identity), with or without the mission key."""

from __future__ import annotations

from .conftest import variant_plan
from .test_azure_support import one


def test_without_the_mission_key_the_cluster_still_has_its_system_identity() -> None:
    plan = variant_plan("azure", {"security.customer_managed_keys": False}, base="partner.yaml")
    cluster = one(plan, "kusto:Cluster")
    assert "keyVaultProperties" not in cluster.inputs
    assert cluster.inputs["identity"] == {"type": "SystemAssigned"}
    principal = cluster.outputs["identity"]["principalId"]
    assert principal in {g.inputs["principalId"] for g in plan.of_type("azure-native:authorization:RoleAssignment")}
