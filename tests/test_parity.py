"""The parity matrix: a removed resource becomes a declared gap or a failure, never silence."""

from __future__ import annotations

from copy import deepcopy

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.engine import Plan
from groundlink.parity import GAP, MISSING, REALIZED, parity
from groundlink.spec import load_spec

from .conftest import SPECS


@pytest.fixture(scope="module")
def blueprint():
    return build_blueprint(load_spec(SPECS / "noaa20.yaml"))


def copy(plan: Plan) -> Plan:
    # deep: `to_json` hands out the plan's own gaps dict, and the plans are the session's shared ones
    return Plan.from_json(deepcopy(plan.to_json()))


def without(plan: Plan, capability: str, gap: str = "") -> Plan:
    result = copy(plan)
    result.resources = [r for r in result.resources if capability not in r.capability]
    result.gaps.pop(capability, None)
    if gap:
        result.gaps[capability] = gap
    return result


def test_rows_are_the_needed_capabilities_and_cells_name_the_realizing_resources(blueprint, aws_noaa20, azure_noaa20):
    matrix = parity(blueprint, {"aws": aws_noaa20, "azure": azure_noaa20})
    assert [row.capability.id for row in matrix.rows] == [c.id for c in blueprint.capabilities]
    for row in matrix.rows:
        for cloud, plan in (("aws", aws_noaa20), ("azure", azure_noaa20)):
            cell = row.cells[cloud]
            realizing = {(r.type, r.name) for r in plan.realizing(row.capability.id)}
            if realizing:
                assert cell.status == REALIZED and set(cell.resources) == realizing
            elif row.capability.id in plan.gaps:
                assert cell.status == GAP and cell.reason == plan.gaps[row.capability.id]
            else:
                assert cell.status == MISSING


def test_a_removed_resource_without_a_gap_fails_the_compare(blueprint, aws_noaa20, azure_noaa20):
    assert azure_noaa20.realizing("storage.raw") and aws_noaa20.realizing("storage.raw")
    matrix = parity(blueprint, {"aws": without(aws_noaa20, "storage.raw"), "azure": azure_noaa20})
    row = next(r for r in matrix.rows if r.capability.id == "storage.raw")
    assert row.cells["aws"].status == MISSING
    assert not matrix.ok
    assert any(f.startswith("storage.raw: not realized on aws and no gap declared") for f in matrix.failures)


def test_a_removed_resource_with_a_declared_gap_is_reported_not_failed(blueprint, aws_noaa20, azure_noaa20):
    baseline = parity(blueprint, {"aws": aws_noaa20, "azure": azure_noaa20})
    plans = {"aws": aws_noaa20, "azure": without(azure_noaa20, "storage.raw", "cannot land raw data here")}
    matrix = parity(blueprint, plans)
    row = next(r for r in matrix.rows if r.capability.id == "storage.raw")
    assert row.cells["azure"].status == GAP and row.cells["azure"].reason == "cannot land raw data here"
    assert not row.failure
    assert matrix.failures == baseline.failures


def test_a_capability_realized_on_no_cloud_fails_even_with_gaps(blueprint, aws_noaa20, azure_noaa20):
    plans = {
        "aws": without(aws_noaa20, "storage.products", "reason a"),
        "azure": without(azure_noaa20, "storage.products", "reason b"),
    }
    matrix = parity(blueprint, plans)
    # each cloud's reason says what would realize it (a partner's ids, for its delivery identity)
    assert "storage.products: realized on no cloud (Products store): aws: reason a; azure: reason b" in matrix.failures


def test_matrix_json_has_rows_cells_and_failures(blueprint, aws_noaa20, azure_noaa20):
    doc = parity(blueprint, {"aws": without(aws_noaa20, "storage.raw"), "azure": azure_noaa20}).to_json()
    assert doc["ok"] is False and doc["failures"]
    row = next(r for r in doc["rows"] if r["capability"] == "storage.raw")
    assert row["clouds"]["aws"] == {"status": "missing", "resources": [], "reason": ""}
    assert row["clouds"]["azure"]["status"] == "realized"
    assert all({"type", "name"} == set(x) for x in row["clouds"]["azure"]["resources"])


def test_a_capability_missing_on_both_clouds_names_both_in_one_failure(blueprint, aws_noaa20, azure_noaa20):
    """A capability neither cloud realizes nor declares a gap for is one failure naming every
    cloud it is missing on, not only the first."""
    matrix = parity(
        blueprint, {"aws": without(aws_noaa20, "storage.raw"), "azure": without(azure_noaa20, "storage.raw")}
    )
    assert [f for f in matrix.failures if f.startswith("storage.raw:")] == [
        "storage.raw: not realized on aws, azure and no gap declared (Raw contact-data store)"
    ]
