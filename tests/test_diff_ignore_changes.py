"""Inputs a resource's ignore_changes names keep their deployed values on update, so `diff`
shows no change there, as `pulumi preview` shows none (the Azure budget's start month, set
once at creation; Glue's read-back of the AWS managed key in a mission without keys)."""

from __future__ import annotations

import copy

from groundlink.diff.changes import diff_states
from groundlink.diff.state import from_plan
from groundlink.engine import Plan

from .conftest import cached_plan, variant_plan

BUDGET = "azure-native:consumption:Budget"
GLUE_KEYS = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"
KEYLESS = {"security": {"customer_managed_keys": False}}


def _saved(plan: Plan, type_token: str, edit) -> Plan:
    """`plan` as saved earlier (its JSON read back), with `edit` applied to one resource's inputs."""
    doc = copy.deepcopy(plan.to_json())
    (resource,) = [r for r in doc["resources"] if r["type"] == type_token]
    edit(resource["inputs"])
    return Plan.from_json(doc)


def _changes(old: Plan, new: Plan) -> list[tuple[str, str, list[str]]]:
    diff = diff_states(from_plan(old, "plan"), from_plan(new))
    return [(c.type, c.action, [p.path for p in c.properties]) for c in diff.changes]


def test_a_plan_saved_last_month_diffs_as_no_change_though_the_budget_start_moved():
    new = cached_plan("noaa20.yaml", "azure")
    assert new.one(BUDGET).ignoreChanges == ["timePeriod"]
    old = _saved(new, BUDGET, lambda inputs: inputs["timePeriod"].update(startDate="2026-11-01T00:00:00Z"))
    assert _changes(old, new) == []


def test_a_change_beside_an_ignored_input_is_still_an_update():
    new = cached_plan("noaa20.yaml", "azure")

    def edit(inputs):
        inputs["timePeriod"]["startDate"] = "2026-11-01T00:00:00Z"
        inputs["amount"] = inputs["amount"] + 1

    assert _changes(_saved(new, BUDGET, edit), new) == [(BUDGET, "update", ["amount"])]


def test_without_a_mission_key_the_glue_managed_key_read_back_is_no_change():
    new = variant_plan("aws", KEYLESS)
    path = "dataCatalogEncryptionSettings.connectionPasswordEncryption.awsKmsKeyId"
    assert new.one(GLUE_KEYS).ignoreChanges == [path]

    def read_back(inputs):  # what the stack holds after `pulumi up` (pulumi-aws issue #3618)
        inputs["dataCatalogEncryptionSettings"]["connectionPasswordEncryption"]["awsKmsKeyId"] = "alias/aws/glue"

    assert _changes(_saved(new, GLUE_KEYS, read_back), new) == []


def test_with_a_mission_key_the_glue_key_is_managed_and_a_change_shows():
    new = cached_plan("noaa20.yaml", "aws")
    assert new.one(GLUE_KEYS).ignoreChanges == []

    def other_key(inputs):
        inputs["dataCatalogEncryptionSettings"]["connectionPasswordEncryption"]["awsKmsKeyId"] = "arn:aws:kms:other"

    changes = _changes(_saved(new, GLUE_KEYS, other_key), new)
    assert [(t, paths) for t, _, paths in changes] == [
        (GLUE_KEYS, ["dataCatalogEncryptionSettings.connectionPasswordEncryption.awsKmsKeyId"])
    ]


def test_a_plan_written_before_ignore_changes_was_recorded_still_reads():
    doc = cached_plan("noaa20.yaml", "azure").to_json()
    for resource in doc["resources"]:
        del resource["ignoreChanges"]
    assert all(r.ignoreChanges == [] for r in Plan.from_json(doc).resources)
