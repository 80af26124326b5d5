"""What a real checkpoint says the next `pulumi up` does to a resource whatever the program
declares, read as the engine acts on it (pulumi/pulumi pkg/resource/deploy/step_generator.go):
the old half of an interrupted replacement (`"delete": true`) is deleted; a resource an
interrupted update deleted (`"pendingReplacement": true`) or one tainted (`"taint": true`,
written in deployment version 4) is replaced; one whose create did not finish (`initErrors`)
is updated. Each was read as no change, so a stream pending delete passed the data-loss gate.
Also the stacks a real export may hold beside groundlink's: resources of other packages, and
none at all."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from groundlink import cli
from groundlink.diff.preview_text import render_text
from groundlink.diff.run import diff_against
from groundlink.diff.state import StateError

from . import engine_export
from .conftest import SPECS, cached_plan

NOAA20 = str(SPECS / "noaa20.yaml")
STREAM = "aws:kinesis/stream:Stream"  # a store: protected under the example's data_protection: strict
ROLE = "aws:iam/role:Role"  # no store


def _export() -> dict:
    return engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())


def _entry(doc: dict, type_token: str) -> dict:
    return next(r for r in doc["deployment"]["resources"] if r["type"] == type_token)


def _diff(doc: dict, tmp_path: Path, cloud: str = "aws"):
    old = tmp_path / "state.json"
    old.write_text(json.dumps(doc))
    (diff,) = diff_against(str(old), NOAA20, [cloud], {cloud: cached_plan("noaa20.yaml", cloud)})
    return diff


def _actions(diff) -> list[tuple[str, str, str]]:
    return [(c.action, c.type, c.pending) for c in diff.changes]


def _pending(diff) -> list[tuple[str, str, str]]:
    """The changes OLD's flags make; a replacement's dependents follow it as for any other
    (their inputs from its outputs unknown until it exists), and carry no flag."""
    return [(c.action, c.type, c.pending) for c in diff.changes if c.pending]


def _with_old_half(doc: dict, type_token: str) -> dict:
    doc = copy.deepcopy(doc)
    live = _entry(doc, type_token)
    old_half = {**copy.deepcopy(live), "delete": True, "id": str(live.get("id", "")) + "-old"}
    doc["deployment"]["resources"].append(old_half)
    return doc


def test_an_unchanged_export_is_no_change(tmp_path):
    """The control: every case below changes one field of this export."""
    assert _diff(_export(), tmp_path).changes == ()


def test_the_old_half_of_an_interrupted_replacement_of_a_store_is_a_deletion_refused(tmp_path, capsys):
    doc = _with_old_half(_export(), STREAM)
    diff = _diff(doc, tmp_path)
    assert _actions(diff) == [("delete", STREAM, "delete")]
    assert [c.loses_data for c in diff.changes] == [True]
    (line,) = diff.at_risk_lines()
    assert line.startswith(f"aws: {STREAM} ") and " would be deleted: data loss; the old half of an interrupted" in line
    assert any(
        text.lstrip().startswith(f"- {STREAM}") and '("delete": true in OLD)' in text for text in render_text(diff)
    )
    path = tmp_path / "state.json"
    assert cli.main(["diff", str(path), NOAA20, "--cloud", "aws"]) == 1
    assert "the old half of an interrupted replacement" in capsys.readouterr().err


def test_the_old_half_of_a_resource_holding_no_data_is_a_deletion_passed(tmp_path):
    diff = _diff(_with_old_half(_export(), ROLE), tmp_path)
    assert _actions(diff) == [("delete", ROLE, "delete")]
    assert diff.data_loss == [] and diff.at_risk_lines() == []


@pytest.mark.parametrize(
    ("field", "version", "forced_by"),
    [("pendingReplacement", 3, "(pendingReplacement)"), ("taint", 4, "(taint)")],
)
def test_a_store_pending_replacement_or_tainted_is_a_replacement_refused(tmp_path, field, version, forced_by):
    doc = copy.deepcopy(_export())
    _entry(doc, STREAM)[field] = True
    doc["version"] = version
    if version == 4:
        doc["features"] = [field]
    diff = _diff(doc, tmp_path)
    assert _pending(diff) == [("replace", STREAM, field)]
    (change,) = (c for c in diff.changes if c.pending)
    assert change.forced_by == (forced_by,) and change.loses_data
    lines = [line for line in diff.at_risk_lines() if f" {STREAM} " in line]
    assert len(lines) == 1 and f"would be replaced (forced by {forced_by}): data loss; " in lines[0]


def test_a_tainted_resource_holding_no_data_is_a_replacement_passed(tmp_path):
    doc = copy.deepcopy(_export())
    _entry(doc, ROLE)["taint"] = True
    doc |= {"version": 4, "features": ["taint"]}
    diff = _diff(doc, tmp_path)
    assert _pending(diff) == [("replace", ROLE, "taint")]
    assert diff.data_loss == []


def test_a_create_that_did_not_finish_initialising_is_an_update(tmp_path):
    doc = copy.deepcopy(_export())
    _entry(doc, ROLE)["initErrors"] = ["timeout while waiting for state to become 'ACTIVE'"]
    diff = _diff(doc, tmp_path)
    assert _actions(diff) == [("update", ROLE, "initErrors")]
    assert diff.data_loss == []
    (change,) = diff.changes
    assert [(p.path, p.kind, p.old) for p in change.properties] == [
        ("(initErrors)", "-", ["timeout while waiting for state to become 'ACTIVE'"])
    ]


def test_version_4_is_read_with_the_features_that_change_nothing_compared(tmp_path):
    doc = copy.deepcopy(_export())
    doc |= {"version": 4, "features": ["refreshBeforeUpdate", "hooks", "extensionParameterization"]}
    assert _diff(doc, tmp_path).changes == ()


@pytest.mark.parametrize("feature", ["views", "replaceWith", "byteString", "snippets-prototype"])
def test_a_version_4_feature_the_diff_does_not_read_is_refused_by_name(tmp_path, feature):
    doc = copy.deepcopy(_export())
    doc |= {"version": 4, "features": ["taint", feature]}
    with pytest.raises(StateError) as refused:
        _diff(doc, tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'state.json'}: features: {feature}: not read by this diff, which would not say what the "
        "engine does with them; read: extensionParameterization, hooks, refreshBeforeUpdate, taint"
    )


@pytest.mark.parametrize("version", [2, 5, "4", True])
def test_other_versions_are_refused(tmp_path, version):
    doc = copy.deepcopy(_export())
    doc["version"] = version
    with pytest.raises(StateError, match=r"version: .*; only deployment versions 3 and 4 are read$"):
        _diff(doc, tmp_path)


def _foreign(protect: bool) -> dict:
    urn = "urn:pulumi:prod::groundlink::random:index/randomPet:RandomPet::suffix"
    return {
        "urn": urn,
        "custom": True,
        "type": "random:index/randomPet:RandomPet",
        "id": "calm-owl",
        "protect": protect,
    }


@pytest.mark.parametrize("protect", [False, True])
def test_a_resource_of_another_package_is_deleted_as_the_program_declares_none(tmp_path, protect):
    doc = copy.deepcopy(_export())
    doc["deployment"]["resources"].append(_foreign(protect))
    diff = _diff(doc, tmp_path)
    assert _actions(diff) == [("delete", "random:index/randomPet:RandomPet", "")]
    assert bool(diff.data_loss) is protect  # protected, it is taken to hold data, as any other


def test_an_empty_stack_is_every_resource_created_on_the_cloud_asked_for(tmp_path, capsys):
    doc = {"version": 3, "deployment": {"manifest": {"time": "2026-12-06T00:00:00Z", "magic": "", "version": ""}}}
    diff = _diff(doc, tmp_path)
    assert {c.action for c in diff.changes} == {"create"}
    assert len(diff.changes) == len([r for r in cached_plan("noaa20.yaml", "aws").custom() if "pulumi:" not in r.type])
    assert cli.main(["diff", str(tmp_path / "state.json"), NOAA20]) == 2
    assert (
        capsys.readouterr()
        .err.strip()
        .endswith(
            "state.json: an empty stack, of no cloud yet; give --cloud aws or --cloud azure for the one it deploys"
        )
    )


def test_an_empty_stack_against_compares_every_cloud_as_created(tmp_path):
    """`compare --against` takes no --cloud: an empty stack is each cloud's, every resource a create."""
    old = tmp_path / "state.json"
    old.write_text(json.dumps({"version": 3, "deployment": {}}))
    clouds = ["aws", "azure"]
    plans = {cloud: cached_plan("noaa20.yaml", cloud) for cloud in clouds}
    diffs = diff_against(str(old), NOAA20, clouds, plans, partial=True)
    assert [d.cloud for d in diffs] == clouds
    for diff in diffs:
        assert diff.changes and {c.action for c in diff.changes} == {"create"} and diff.unchanged == 0


def test_the_old_half_of_a_protected_store_is_not_named_as_protected(tmp_path):
    """The engine deletes the old half of an interrupted replacement as a replacement's delete,
    which `protect` does not stop (its live half keeps the flag): the deletion is refused as data
    loss, but no note sends the user to `pulumi state unprotect` for it."""
    doc = _with_old_half(_export(), STREAM)
    assert _entry(doc, STREAM).get("protect") is True  # the control: the live stream is protected
    diff = _diff(doc, tmp_path)
    assert _pending(diff) == [("delete", STREAM, "delete")]
    assert not [note for note in diff.notes if "OLD protects" in note]
