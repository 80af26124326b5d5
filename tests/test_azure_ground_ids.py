"""`ground_segment_ids` names every resource the ground segment delivers through: the landing
container and the partner's grant always, and the retired Orbital resources on top when a
legacy spec opts in (they add to the landing zone, they do not replace it)."""

from __future__ import annotations

from .azure_support import azure, one


def test_a_legacy_plan_lists_the_landing_zone_and_then_the_orbital_resources() -> None:
    plan = azure("aqua-legacy.yaml")
    raw = one(plan, "storage:BlobContainer", "aqua-storage-raw").outputs["id"]
    grant = one(plan, "authorization:RoleAssignment", "aqua-ground-partner-writes-landing").outputs["id"]
    spacecraft = one(plan, "orbital:Spacecraft").outputs["id"]
    profile = one(plan, "orbital:ContactProfile").outputs["id"]
    assert plan.outputs["ground_segment_ids"] == [raw, grant, spacecraft, profile]
