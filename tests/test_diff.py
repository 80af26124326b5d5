"""`groundlink diff` and `--against`: each resource created, updated, replaced (with the
property that forces it) or deleted, against a spec, a saved plan or a checkpoint; data
loss refused unless allowed; a bad OLD is one line."""

from __future__ import annotations

import copy
import inspect
import json
import re
from pathlib import Path

import pulumi_aws_native.groundstation as groundstation
import pytest

from groundlink import cli
from groundlink.clouds import CLOUDS
from groundlink.diff import State, diff_states, rules
from groundlink.diff.changes import COMPUTED, REPLICATION_CONFIG
from groundlink.diff.lifecycle import S3_LIFECYCLE
from groundlink.diff.run import diff_against
from groundlink.diff.state import Resource

from .conftest import ROOT, SPECS, cached_plan, spec_data
from .plan_cache import plan_of, spec_file

NOAA20 = str(SPECS / "noaa20.yaml")
CHECKPOINT = str(ROOT / "tests" / "fixtures" / "noaa20-aws.checkpoint.json")


def edited(change) -> str:
    data = spec_data()
    change(data)
    return spec_file(data)


def one_diff(old: str, new: str, cloud: str):
    (diff,) = diff_against(old, new, [cloud], planner=plan_of)
    return diff


def change_of(diff, type_token: str, name: str):
    found = [c for c in diff.changes if c.type == type_token and c.name == name]
    assert len(found) == 1, [(c.action, c.type, c.name) for c in diff.changes]
    return found[0]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_spec_against_itself_changes_nothing():
    diff = one_diff(NOAA20, NOAA20, "aws")
    assert diff.changes == () and diff.unchanged == len(list(cached_plan("noaa20.yaml", "aws").custom()))


def test_turning_off_the_telemetry_stream_deletes_the_kinesis_stream_as_data_loss():
    new = edited(lambda d: d["analytics"].update(telemetry_stream=False))
    diff = one_diff(NOAA20, new, "aws")
    stream = change_of(diff, "aws:kinesis/stream:Stream", "noaa20-telemetry-stream")
    assert stream.action == "delete" and stream.loses_data
    # the stream's archive goes with it, and its log group (Firehose's delivery errors) with it
    assert [c.name for c in diff.data_loss] == ["noaa20-telemetry-archive-logs", "noaa20-telemetry-stream"]


def test_moving_the_azure_location_replaces_the_storage_account_forced_by_location():
    new = edited(lambda d: d["clouds"].setdefault("azure", {}).update(location="eastus"))
    diff = one_diff(NOAA20, new, "azure")
    account = change_of(diff, "azure-native:storage:StorageAccount", "noaa20-storage-account")
    assert account.action == "replace" and "location" in account.forced_by and account.loses_data
    group = change_of(diff, "azure-native:resources:ResourceGroup", "noaa20-rg")
    assert group.forced_by == ("location",)
    # the containers go with the account: their accountName is unknown until it exists again
    raw = change_of(diff, "azure-native:storage:BlobContainer", "noaa20-storage-raw")
    assert raw.action == "replace" and "accountName" in raw.forced_by


def test_pass_padding_replaces_the_dataflow_endpoint_group_when_streaming():
    def stream(d):
        d["delivery"] = {"object_store": True, "stream": True}

    def stream_and_pad(d):
        stream(d)
        d["ground_segment"]["pre_pass_seconds"] = 200

    diff = one_diff(edited(stream), edited(stream_and_pad), "aws")
    group = [c for c in diff.changes if c.type == "aws-native:groundstation:DataflowEndpointGroup"]
    assert len(group) == 1 and group[0].action == "replace"
    assert group[0].forced_by == ("contactPrePassDurationSeconds",)
    assert not group[0].loses_data


def test_an_in_place_update_shows_the_property_diff():
    new = edited(lambda d: d["mission"].setdefault("tags", {}).update({"cost-center": "eo-ops"}))
    diff = one_diff(NOAA20, new, "aws")
    bucket = change_of(diff, "aws:s3/bucket:Bucket", "noaa20-storage-raw")
    assert bucket.action == "update" and bucket.forced_by == ()
    assert [(p.path, p.old, p.new) for p in bucket.properties] == [("tags.cost-center", "eo-ground", "eo-ops")]


def test_a_whole_number_is_shown_as_the_spec_wrote_it(capsys):
    new = edited(lambda d: d["storage"].update(raw_retention_days=400))
    code, out, _ = run_cli(capsys, "diff", NOAA20, new, "--cloud", "azure")
    assert code == 0
    assert "~ retentionInDays: 365 => 400" in out and "365.0" not in out


def test_the_cli_refuses_data_loss_with_exit_1_unless_allowed(capsys):
    new = edited(lambda d: d["analytics"].update(telemetry_stream=False))
    code, out, err = run_cli(capsys, "diff", NOAA20, new, "--cloud", "aws")
    assert code == 1
    assert "- aws:kinesis/stream:Stream noaa20-telemetry-stream delete  DATA LOSS" in out
    assert "aws: aws:kinesis/stream:Stream noaa20-telemetry-stream would be deleted: data loss" in err
    code, out, err = run_cli(capsys, "diff", NOAA20, new, "--cloud", "aws", "--allow-data-loss")
    assert code == 0 and "DATA LOSS" in out


def test_the_refusal_names_the_spec_fields_changed_and_not_for_a_plan_as_old(capsys, tmp_path):
    """The loss lines name resources and their properties; what there is to revert is a spec
    field (a renamed mission, a moved region): the last line names every field changed, with
    both values as YAML writes them, a list whole. A plan as OLD has no fields to compare."""
    new = edited(
        lambda d: (
            d["analytics"].update(telemetry_stream=False),
            d["clouds"]["aws"].update(region="us-east-2"),
            d["budget"].update(alert_emails=["ops@example.com", "sat@example.com"]),
        )
    )
    code, _, err = run_cli(capsys, "diff", NOAA20, new, "--cloud", "aws")
    assert code == 1
    assert err.splitlines()[-1] == (
        # the sections that shape the stores first (the region moves every store)
        "groundlink: refusing data loss; the spec changes clouds.aws.region (us-west-2 => us-east-2), "
        "analytics.telemetry_stream (true => false), budget.alert_emails: revert, or pass --allow-data-loss to accept it"
    )
    saved = tmp_path / "old-aws.json"
    cached_plan("noaa20.yaml", "aws").write(saved)
    code, _, err = run_cli(capsys, "diff", str(saved), new, "--cloud", "aws")
    assert code == 1
    assert err.splitlines()[-1] == "groundlink: refusing data loss; pass --allow-data-loss to accept it"


def test_json_output_lists_every_change_with_its_action(capsys):
    new = edited(lambda d: d["analytics"].update(telemetry_stream=False))
    code, out, _ = run_cli(capsys, "diff", NOAA20, new, "--cloud", "aws", "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    assert code == 0 and doc["cloud"] == "aws" and doc["summary"]["dataLoss"] == 2  # the stream and its archive's logs
    stream = [c for c in doc["changes"] if c["type"] == "aws:kinesis/stream:Stream"]
    assert stream == [
        {
            "action": "delete",
            "type": "aws:kinesis/stream:Stream",
            "name": "noaa20-telemetry-stream",
            "stateful": True,
            "dataLoss": True,
            "dataAtRisk": True,
            "irreplaceable": False,
            "unprotects": False,
            "shortensRetention": [],
            "retentionsShortened": [],
            "forcedBy": [],
            "replacementRules": stream[0]["replacementRules"],
            "pending": None,
            "properties": [],
        }
    ]
    assert doc["summary"]["dataAtRisk"] == 2 and len(doc["dataAtRisk"]) == 2


@pytest.mark.parametrize(("protection", "noted"), [("strict", True), ("dev", False)])
def test_a_protected_resource_deleted_is_noted_as_needing_unprotect(capsys, protection, noted):
    """`pulumi up` refuses to delete a protected resource after applying what comes before it:
    --allow-data-loss, the refusal's only advice, did not get such a change through."""
    old = edited(lambda d: d["storage"].update(data_protection=protection))
    new = edited(
        lambda d: (d["storage"].update(data_protection=protection), d["analytics"].update(telemetry_stream=False))
    )
    code, out, _ = run_cli(capsys, "diff", old, new, "--cloud", "aws", "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    assert code == 0 and any(
        c["action"] == "delete" and c["type"] == "aws:kinesis/stream:Stream" for c in doc["changes"]
    )
    protected = [n for n in doc["notes"] if "OLD protects" in n]
    if noted:
        (note,) = protected
        assert note.startswith("2 resource(s) OLD protects would be deleted or replaced (") and (
            "aws:kinesis/stream:Stream noaa20-telemetry-stream" in note
        )
        assert note.endswith(
            "pulumi up refuses each, after applying what comes before it, until `pulumi state unprotect '<its URN>'` "
            "(pulumi stack --show-urns lists them); --allow-data-loss alone does not get it through"
        )
    else:
        assert protected == []


@pytest.mark.parametrize(
    ("edit", "refused"),
    [
        # a retention cut: the lifecycles are updated, no store is deleted or replaced
        (
            lambda d: d["storage"].update(raw_retention_days=200),
            {"noaa20-storage-raw-lifecycle": "would delete data sooner"},
        ),
        # protection taken away: the stores are kept, the next delete takes their data
        (lambda d: d["storage"].update(data_protection="dev"), {"noaa20-storage-raw": "would lose its protection"}),
    ],
    ids=["retention-cut", "unprotected"],
)
def test_json_says_what_is_refused_where_no_store_is_deleted_or_replaced(capsys, edit, refused):
    """A script gating on `diff --json` reads one key: `dataLoss` (a store deleted or replaced)
    stayed false and 0 for a retention cut or a store left unprotected, which the command refuses
    (exit 1) all the same."""
    new = edited(edit)
    code, out, err = run_cli(capsys, "diff", NOAA20, new, "--cloud", "aws", "--json")
    (doc,) = json.loads(out)
    assert code == 1 and doc["summary"]["dataLoss"] == 0
    assert doc["dataAtRisk"] == [line for line in err.splitlines() if line.startswith("aws: ")]
    assert doc["summary"]["dataAtRisk"] == len(doc["dataAtRisk"]) > 0
    at_risk = {c["name"] for c in doc["changes"] if c["dataAtRisk"]}
    assert set(refused) <= at_risk and not any(c["dataLoss"] for c in doc["changes"])
    for name, words in refused.items():
        assert any(name in line and words in line for line in doc["dataAtRisk"])
    # a change refused for nothing stays false: the diff holds changes that lose nothing
    assert all(c["dataAtRisk"] == bool(c["shortensRetention"] or c["unprotects"]) for c in doc["changes"])


class TestCheckpoint:
    """A `pulumi stack export` of stack `prod` (deployment version 3): matched to the offline
    plan by type and name, whatever the stack is called; provider-filled inputs ignored."""

    def test_what_the_checkpoint_holds_is_updated_replaced_or_deleted(self):
        diff = one_diff(CHECKPOINT, NOAA20, "aws")
        queue = change_of(diff, "aws:sqs/queue:Queue", "noaa20-events-contacts")
        assert queue.action == "update"
        # the contact processor needs six times its timeout of visibility (900 s x 6)
        assert [(p.path, p.old, p.new) for p in queue.properties] == [
            ("messageRetentionSeconds", 86400, 345600),
            ("visibilityTimeoutSeconds", None, 5400),
        ]
        raw = change_of(diff, "aws:s3/bucket:Bucket", "noaa20-storage-raw")
        assert raw.action == "replace" and raw.forced_by == ("bucketPrefix",) and raw.loses_data
        archive = change_of(diff, "aws:s3/bucket:Bucket", "noaa20-storage-archive")
        assert archive.action == "delete" and archive.loses_data
        assert diff.unchanged == 1  # the stream: its auto-name is the provider's, not a change
        assert diff.count("create") == len(list(cached_plan("noaa20.yaml", "aws").custom())) - 3

    def test_a_checkpoint_answers_only_for_its_cloud(self, capsys):
        code, _, err = run_cli(capsys, "diff", CHECKPOINT, NOAA20, "--cloud", "azure")
        assert code == 2 and err.startswith(f"groundlink: {CHECKPOINT}: holds the aws stack")


class TestRegion:
    """No AWS resource moves region: its provider deploying into another one replaces it. The
    region is the provider's, not an input, and a region edit diffed as updates, exit 0."""

    def test_moving_the_aws_region_replaces_every_aws_resource_and_every_store_is_data_loss(self):
        new = edited(lambda d: d["clouds"]["aws"].update(region="us-east-2"))
        diff = one_diff(NOAA20, new, "aws")
        plan = cached_plan("noaa20.yaml", "aws")
        aws = [r for r in plan.custom() if not r.type.startswith("pulumi:")]
        assert diff.count("replace") == len(aws) and diff.count("update") == 0
        raw = change_of(diff, "aws:s3/bucket:Bucket", "noaa20-storage-raw")
        assert raw.forced_by[0] == "(provider region)" and raw.loses_data
        assert (raw.properties[0].old, raw.properties[0].new) == ("us-west-2", "us-east-2")
        assert {c.type for c in diff.data_loss} >= {"aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:sqs/queue:Queue"}

    def test_moving_the_replica_region_replaces_the_replicas_only(self):
        def replica(region: str):
            def change(d):
                d["storage"]["redundancy"] = "geo"
                d["clouds"]["aws"]["replica_region"] = region

            return change

        diff = one_diff(edited(replica("us-east-1")), edited(replica("us-east-2")), "aws")
        lost = {c.name for c in diff.data_loss}
        assert lost and all("replica" in name for name in lost)
        assert change_of(diff, "aws:s3/bucket:Bucket", "noaa20-storage-replica-raw").forced_by == ("(provider region)",)

    def test_a_checkpoint_of_another_region_is_data_loss_and_of_its_own_is_not(self, tmp_path):
        moved = json.loads((ROOT / "tests" / "fixtures" / "noaa20-aws.checkpoint.json").read_text())
        for resource in moved["deployment"]["resources"]:
            if resource["type"] == "pulumi:providers:aws":
                resource["inputs"]["region"] = "eu-west-1"
        old = tmp_path / "moved.checkpoint.json"
        old.write_text(json.dumps(moved))

        queue = change_of(one_diff(str(old), NOAA20, "aws"), "aws:sqs/queue:Queue", "noaa20-events-contacts")
        assert queue.action == "replace" and queue.forced_by[0] == "(provider region)" and queue.loses_data
        same = change_of(one_diff(CHECKPOINT, NOAA20, "aws"), "aws:sqs/queue:Queue", "noaa20-events-contacts")
        assert same.action == "update"

    def test_a_saved_plan_records_its_region(self, tmp_path):
        saved = tmp_path / "plan.json"
        cached_plan("noaa20.yaml", "aws").write(saved)
        assert json.loads(saved.read_text())["region"] == "us-west-2"
        new = edited(lambda d: d["clouds"]["aws"].update(region="us-east-2"))
        assert change_of(one_diff(str(saved), new, "aws"), "aws:kms/key:Key", "noaa20-security-data").loses_data


def test_a_saved_plan_is_an_old_side(tmp_path, capsys):
    saved = tmp_path / "plan.json"
    cached_plan("noaa20.yaml", "aws").write(saved)
    diff = one_diff(str(saved), NOAA20, "aws")
    assert diff.changes == ()


def test_plan_against_prints_the_diff_and_fails_on_data_loss(tmp_path, capsys):
    saved = tmp_path / "plan.json"
    cached_plan("noaa20.yaml", "aws").write(saved)
    code, out, _ = run_cli(capsys, "plan", NOAA20, "--cloud", "aws", "--against", str(saved))
    assert code == 0 and "aws: " in out and "no changes" in out

    keys_off = spec_data("noaa20.yaml")
    keys_off["security"]["customer_managed_keys"] = False
    edited = str(spec_file(keys_off))
    code, out, err = run_cli(capsys, "plan", edited, "--cloud", "aws", "--against", str(saved))
    assert code == 1  # a CI gate on plan --against stops a key's deletion
    assert "aws: aws:kms/key:Key noaa20-security-data would be deleted: data loss" in err
    assert "groundlink: refusing data loss; pass --allow-data-loss to accept it" in err
    code, out, err = run_cli(capsys, "plan", edited, "--cloud", "aws", "--against", str(saved), "--allow-data-loss")
    assert (code, err) == (0, "") and ", 2 to delete;" in out  # accepted: shown, not refused


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not json", "line 1, column 1: Expecting value"),
        ("[]", "neither a plan"),
        ('{"version": 2, "deployment": {}}', "only deployment versions 3 and 4 are read"),
        ('{"version": 3, "deployment": {"resources": {}}}', "deployment.resources: must be a list"),
        ('{"version": 3, "deployment": {"resources": [1]}}', "deployment.resources[0]: must be an object"),
        ('{"version": 3, "deployment": {"resources": [{"urn": 1}]}}', "needs string 'urn' and 'type'"),
        ('{"formatVersion": 1, "cloud": "aws", "resources": [{"urn": "u", "type": "t", "inputs": NaN}]}', "NaN"),
        ('{"formatVersion": 1, "cloud": "gcp", "resources": []}', "cloud: must be 'aws' or 'azure'"),
        ('{"formatVersion": true, "cloud": "aws", "resources": []}', "formatVersion: True is not 1"),
        (
            '{"version": 3, "deployment": {"resources": [{"urn": "urn:pulumi:s::groundlink::gcp:storage/bucket:Bucket::b", '
            '"type": "gcp:storage/bucket:Bucket"}]}}',
            # no cloud's resource (the program declares none: deleted), so no cloud's stack to diff both against
            "an empty stack, of no cloud yet; give --cloud aws or --cloud azure for the one it deploys",
        ),
        # a `check --json` result: read as a spec it was eight lines of missing and unknown fields
        (
            '{"spec": "specs/noaa20.yaml", "pack": {"name": "groundlink"}, "passed": true, "seconds": 1.0, "clouds": []}',
            "a check result (groundlink check --json), not a plan; give a plan (groundlink plan --json), a checkpoint "
            "(pulumi stack export) or a spec",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        # a RecursionError traceback at 500-990 levels: refused past 100, before any walk
        (
            '{"formatVersion": 1, "cloud": "aws", "resources": ' + "[" * 500 + "]" * 500 + "}",
            "nested deeper than 100 levels",
        ),
        # read as infinity, then written by --json as Infinity, which is no JSON
        (
            '{"formatVersion": 1, "cloud": "aws", "resources": [{"urn": "u", "type": "t", "inputs": {"x": 1e999}}]}',
            "1e999 is not a finite number",
        ),
        (
            '{"formatVersion": 1, "cloud": "aws", "resources": [{"urn": "u", "type": "t", "inputs": {"x": '
            + "9" * 5000
            + "}}]}",
            "a number of 5000 digits is past what any input holds",
        ),
        # hand-edited fields of the wrong type: "yes" was read as protected, 7 and 5 passed unseen
        (
            '{"formatVersion": 1, "cloud": "aws", "resources": [{"urn": "u", "type": "t", "protect": "yes"}]}',
            'resources[0].protect: must be true or false, got "yes"',
        ),
        (
            '{"formatVersion": 1, "cloud": "aws", "resources": [{"urn": "u", "type": "t", "name": 7}]}',
            "resources[0].name: must be text, got 7",
        ),
        ('{"formatVersion": 1, "cloud": "aws", "region": 5, "resources": []}', "region: must be text, got 5"),
        (
            '{"version": 3, "deployment": {"resources": [{"urn": "u", "type": "t", "retainOnDelete": 1}]}}',
            "deployment.resources[0].retainOnDelete: must be true or false, got 1",
        ),
        # JSON readers keep the last of a key given twice without a word
        (
            '{"formatVersion": 1, "cloud": "azure", "cloud": "aws", "resources": []}',
            "cloud: given twice in one object; keep one",
        ),
        # a plan whose formatVersion was edited away was read as a spec: twelve lines of spec fields
        (
            '{"cloud": "aws", "stack": "noaa20-aws", "region": "us-west-2", "resources": [], "outputs": {}}',
            "formatVersion: missing; a plan (groundlink plan --json) holds formatVersion: 1",
        ),
    ],
)
def test_a_bad_old_is_one_line_and_exit_2_before_planning(tmp_path, capsys, text, fragment):
    old = tmp_path / "old.json"
    old.write_text(text)
    code, out, err = run_cli(capsys, "diff", str(old), NOAA20)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"groundlink: {old}: ") and fragment in err, err
    code, out, err = run_cli(capsys, "plan", NOAA20, "--against", str(old))
    assert code == 2 and out == "" and fragment in err  # nothing planned


def test_a_compare_report_as_old_points_at_its_plans(tmp_path, capsys):
    """What `compare --out` wrote is the natural thing to try as OLD: the report directory and
    its compare.json each say which of its files to give instead."""
    report = tmp_path / "report"
    report.mkdir()
    cached_plan("noaa20.yaml", "aws").write(report / "plan-aws.json")
    (report / "compare.json").write_text(json.dumps({"formatVersion": 1, "parity": {}, "clouds": {}}))
    expected = {
        report: "a compare report; give its plan-aws.json or plan-azure.json",
        report
        / "compare.json": "a compare report's summary, not a plan; give plan-aws.json or plan-azure.json beside it",
        tmp_path: "a directory; give a plan (groundlink plan --json), a checkpoint (pulumi stack export) or a spec",
    }
    for old, message in expected.items():
        code, out, err = run_cli(capsys, "diff", str(old), NOAA20)
        assert (code, out, err) == (2, "", f"groundlink: {old}: {message}\n")


def test_new_must_be_a_spec(capsys, tmp_path):
    code, _, err = run_cli(capsys, "diff", NOAA20, CHECKPOINT)
    assert code == 2 and "NEW must be a mission spec" in err


def test_a_new_that_is_a_directory_or_missing_is_named_for_what_it_is(capsys, tmp_path):
    """A directory or a missing file as NEW was told it is a plan, checkpoint or report."""
    for new, reason in ((tmp_path, "cannot read (Is a directory)"), (tmp_path / "nope.txt", "no such file")):
        code, out, err = run_cli(capsys, "diff", NOAA20, str(new))
        assert (code, out, err) == (2, "", f"{new}: {reason}\n")


def test_what_a_file_holds_decides_spec_or_plan_not_its_name(capsys, tmp_path):
    """A spec without a suffix is a spec on either side; a plan saved under a .yaml name is a plan."""
    spec = tmp_path / "mission"
    spec.write_text(Path(NOAA20).read_text())
    code, out, err = run_cli(capsys, "diff", str(spec), str(spec), "--cloud", "aws")
    assert (code, err) == (0, "") and "no changes" in out
    saved = tmp_path / "v2-aws.yaml"
    cached_plan("noaa20.yaml", "aws").write(saved)
    code, out, err = run_cli(capsys, "diff", str(saved), str(spec), "--cloud", "aws")
    assert (code, err) == (0, "") and "no changes" in out
    code, _, err = run_cli(capsys, "diff", NOAA20, str(saved))
    assert code == 2 and f"{saved}: NEW must be a mission spec; this is a plan, checkpoint or report" in err


@pytest.mark.parametrize("name", ["v2-aws.json", "v2-aws.yaml", "v2-aws"])
def test_a_plan_saved_with_a_byte_order_mark_is_the_same_plan(capsys, tmp_path, name):
    """An editor that saves a byte order mark first (Notepad): the plan was refused as Python's
    "Unexpected UTF-8 BOM (decode using utf-8-sig)" under a .json name, and taken for a spec
    ("not a mission spec; this is a groundlink plan") under any other."""
    saved = tmp_path / name
    saved.write_bytes(b"\xef\xbb\xbf" + cached_plan("noaa20.yaml", "aws").json_text().encode())
    code, out, err = run_cli(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert (code, err) == (0, "") and "no changes" in out
    checkpoint = tmp_path / f"checkpoint-{name}"  # `pulumi stack export` saved again
    checkpoint.write_bytes(b"\xef\xbb\xbf" + Path(CHECKPOINT).read_bytes())
    marked = run_cli(capsys, "diff", str(checkpoint), NOAA20, "--cloud", "aws")
    plain = run_cli(capsys, "diff", CHECKPOINT, NOAA20, "--cloud", "aws")
    assert marked == tuple(
        part.replace(CHECKPOINT, str(checkpoint)) if isinstance(part, str) else part for part in plain
    )


@pytest.mark.parametrize("name", ["mission.json", "mission.yaml"])
def test_a_spec_written_as_json_is_a_spec_on_either_side(capsys, tmp_path, name):
    """JSON is YAML, and a spec generated against the schema opens with `{"version": 1`: it was
    taken for a checkpoint (`version`) and refused on both sides, though validate, plan and
    compare take it. A checkpoint, a plan and a report are still documents."""
    import yaml

    spec = tmp_path / name
    spec.write_text(json.dumps(yaml.safe_load(Path(NOAA20).read_text()), indent=2))
    for old, new in ((spec, NOAA20), (NOAA20, spec), (spec, spec)):
        code, out, err = run_cli(capsys, "diff", str(old), str(new), "--cloud", "aws")
        assert (code, err) == (0, "") and "no changes" in out, (old, new)
    code, _, err = run_cli(capsys, "diff", NOAA20, CHECKPOINT)
    assert code == 2 and f"{CHECKPOINT}: NEW must be a mission spec; this is a plan, checkpoint or report" in err


def test_a_document_larger_than_any_spec_is_told_apart_without_being_parsed(tmp_path, monkeypatch):
    """Telling a JSON spec from a plan parsed the whole file: a 60 MB checkpoint twice more, for
    nothing, since no spec is over MAX_FILE_BYTES."""
    from groundlink.diff import state
    from groundlink.inputs import MAX_FILE_BYTES

    big = tmp_path / "stack.json"
    big.write_text('{"version": 3, "deployment": {"pad": "' + "x" * MAX_FILE_BYTES + '"}}')
    monkeypatch.setattr(state, "read_input", lambda *_: pytest.fail("a document past any spec's size was parsed"))
    assert state.is_spec_path(str(big)) is False


class TestReplacementRules:
    """The table comes from the providers' metadata, covers every type the stacks create,
    and names its source for each type."""

    def test_every_type_of_every_example_plan_has_an_entry_with_its_source(self):
        types = {r.type for s in SPECS.glob("*.yaml") for c in CLOUDS for r in cached_plan(s.name, c).custom()}
        assert len(types) > 40
        assert not sorted(t for t in types if rules.source(t) == "not recorded")

    def test_aws_native_entries_are_the_sdk_create_only_properties(self):
        source = inspect.getsource(groundstation.DataflowEndpointGroup._internal_init)
        assert '"contactPrePassDurationSeconds"' in source
        assert {"contactPrePassDurationSeconds", "contactPostPassDurationSeconds", "endpointDetails"} == rules.forcing(
            "aws-native:groundstation:DataflowEndpointGroup"
        )

    def test_azure_entries_hold_the_id_path_parameters_and_location(self):
        assert {"resourceGroupName", "accountName", "location", "isHnsEnabled"} <= rules.forcing(
            "azure-native:storage:StorageAccount"
        )
        assert rules.forcing("azure-native:storage:BlobContainer") == {
            "resourceGroupName",
            "accountName",
            "containerName",
        }

    def test_azure_entries_hold_the_provider_s_own_force_new_properties(self):
        """pulumi-azure-native replaces a private endpoint on `subnet` and a web app on `kind`
        (provider/pkg/gen/replacement.go forceNewMap); the table had left both out, so such an
        edit was shown as an update."""
        assert rules.forcing("azure-native:network:PrivateEndpoint") == {
            "resourceGroupName",
            "privateEndpointName",
            "location",
            "subnet",
        }
        assert rules.forcing("azure-native:web:WebApp") == {"resourceGroupName", "name", "location", "kind"}

    def test_pulumi_aws_entries_name_the_terraform_source_and_stores_are_known(self):
        for token in ("aws:s3/bucket:Bucket", "aws:kinesis/stream:Stream", "aws:kms/key:Key", "aws:sqs/queue:Queue"):
            assert rules.forcing(token), token
            assert re.search(r"terraform-provider-aws .+@[0-9a-f]{40} ForceNew", rules.source(token)), token
        assert "bucketPrefix" in rules.forcing("aws:s3/bucket:Bucket")
        assert rules.forcing("aws:ec2/natGateway:NatGateway") is None  # not read: unknown, never "safe"

    def test_the_table_is_what_the_generator_writes_from_the_installed_sdks(self):
        import importlib.util

        spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_replace_rules.py")
        gen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gen)
        table = json.loads(rules.RULES_FILE.read_text())["types"]
        for token, entry in table.items():
            reader = {"aws-native": gen.aws_native, "azure-native": gen.azure_native, "aws": gen.pulumi_aws}
            assert reader[token.split(":")[0]](token) == entry, token


def test_compare_against_writes_the_diff_into_the_report(tmp_path, monkeypatch, capsys):
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    saved = tmp_path / "old-aws.json"
    cached_plan("noaa20.yaml", "aws").write(saved)
    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs(aws_drop="analytics.telemetry_stream"))
    out = tmp_path / "report"
    code, _, err = run_cli(capsys, "compare", NOAA20, "--out", str(out), "--against", str(saved))
    assert code == 1 and "noaa20-telemetry-stream would be deleted: data loss" in err
    doc = json.loads((out / "compare.json").read_text())
    (aws,) = doc["diff"]["clouds"]
    assert doc["diff"]["against"] == str(saved) and aws["summary"]["dataLoss"] == 1
    # why the command exited 1 is in the report too, not only on stderr
    assert (doc["diff"]["refused"], doc["diff"]["allowDataLoss"]) == (True, False)
    assert doc["diff"]["dataLoss"] == [
        "aws: aws:kinesis/stream:Stream noaa20-telemetry-stream would be deleted: data loss"
    ]
    report = (out / "report.md").read_text()
    assert f"## Changes against {saved}" in report
    assert (
        "| aws | **delete** | aws:kinesis/stream:Stream | noaa20-telemetry-stream |  | **data loss: stateful resource deleted** |"
        in report
    )
    assert "Refused: 1 change(s) losing data (listed below); the command exited 1." in report
    # OLD holds the aws stack only: the report says Azure was not compared, not that it is unchanged
    assert doc["diff"]["notCompared"] == ["azure"]
    assert f"azure: not compared: {saved} holds another cloud's stack only." in report

    # accepted: recorded as such (the exit stays 1 here for the fake plans' own parity failure)
    run_cli(capsys, "compare", NOAA20, "--out", str(out), "--against", str(saved), "--allow-data-loss")
    doc = json.loads((out / "compare.json").read_text())
    assert (doc["diff"]["refused"], doc["diff"]["allowDataLoss"]) == (False, True)
    assert "Accepted with --allow-data-loss: 1 change(s) losing data." in (out / "report.md").read_text()


def test_a_checkpoint_whose_provider_records_no_region_is_placed_by_its_arns(tmp_path):
    """A provider configured through AWS_REGION records no region input: the region is the one
    its resources' ARNs name, so a spec moved to another region still replaces the stores."""
    doc = json.loads((ROOT / "tests" / "fixtures" / "noaa20-aws.checkpoint.json").read_text())
    for resource in doc["deployment"]["resources"]:
        if resource["type"] == "pulumi:providers:aws":
            del resource["inputs"]["region"]
    old = tmp_path / "env-region.checkpoint.json"
    old.write_text(json.dumps(doc))

    moved = edited(lambda d: d["clouds"]["aws"].update(region="us-east-2"))
    queue = change_of(one_diff(str(old), moved, "aws"), "aws:sqs/queue:Queue", "noaa20-events-contacts")

    assert queue.action == "replace" and queue.forced_by[0] == "(provider region)"
    assert (queue.properties[0].old, queue.properties[0].new) == ("us-west-2", "us-east-2")


def test_an_update_deep_inside_a_long_value_shows_where_the_two_values_differ():
    """Cut in the middle, the raw delivery template of a managed and of a partner ground segment
    looked the same on both sides of `=>` (`contacts/` and `partner/` lay in the part cut out)."""
    from groundlink.diff.preview_text import VALUE_CHARS, change_lines

    new = edited(lambda d: d["ground_segment"].update(provider="partner", partner={"name": "ksat_lite"}))
    diff = one_diff(NOAA20, new, "aws")
    lines = [line for c in diff.changes for line in change_lines(c) if ".location.template: " in line]
    assert lines
    for line in lines:
        old, new_value = line.split(": ", 1)[1].split(" => ")
        assert old != new_value and len(old) <= VALUE_CHARS and len(new_value) <= VALUE_CHARS
        assert "/contacts/" in old and "/partner/" in new_value


@pytest.mark.parametrize(
    ("old_source", "new_source", "updated"),
    [
        ("sha256:" + "0" * 64, "FileAsset", False),  # NEW planned where the layer is not found
        ("FileAsset", "sha256:" + "0" * 64, False),  # OLD planned there
        ("FileAsset", "FileAsset", False),  # both: equal by name only, whatever the files held
        ("sha256:" + "0" * 64, "sha256:" + "1" * 64, True),  # both read: a real change of the layer
    ],
)
def test_an_archive_a_plan_could_not_read_is_not_compared_not_an_update(tmp_path, old_source, new_source, updated):
    """The layer's path is relative to the project directory: the same spec planned elsewhere
    showed the layer as updated (`source: "sha256:…" => "FileAsset"`)."""
    from groundlink.engine import Plan

    def with_source(source: str) -> dict:
        doc = copy.deepcopy(cached_plan("noaa20.yaml", "aws").to_json())
        (archive,) = [r for r in doc["resources"] if r["name"] == "noaa20-processing-dependencies-archive"]
        archive["inputs"]["source"] = archive["outputs"]["source"] = source
        return doc

    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(with_source(old_source)))
    (diff,) = diff_against(
        str(saved), NOAA20, ["aws"], planner=lambda spec, cloud: Plan.from_json(with_source(new_source))
    )
    if updated:  # the archive's new version is published as a new layer, which the function takes
        changed = {c.name: (c.action, {p.path for p in c.properties}) for c in diff.changes}
        assert changed.keys() == {
            "noaa20-processing-dependencies",
            "noaa20-processing-dependencies-archive",
            "noaa20-processing-function",
        }
        assert changed["noaa20-processing-dependencies-archive"] == ("update", {"source"})
        # the object's new version, not its key, which a content update keeps
        assert changed["noaa20-processing-dependencies"] == ("replace", {"s3ObjectVersion"})
        assert changed["noaa20-processing-function"] == ("update", {"layers"})
        assert diff.not_compared == ()
    else:
        assert diff.changes == ()
        (unread,) = diff.not_compared
        assert (unread.name, unread.path, unread.shown) == (
            "noaa20-processing-dependencies-archive",
            "source",
            "[archive]",
        )
        assert unread.why.startswith("its file was not found where a plan ran: run `make function-deps`")


def test_the_refusal_names_a_renamed_satellite_once_with_its_values_after_the_store_fields(tmp_path):
    """A satellite renamed in place was named `satellites[0], satellites[0]` (removed and added
    under another name), without values, and took the line's first places from the storage fields
    behind the refusal; now it is one field edit, after the sections that shape the stores."""
    from groundlink.diff.run import spec_changes

    from .conftest import spec_data, write_spec

    old = spec_data("noaa20.yaml")
    new = spec_data("noaa20.yaml")
    new["satellites"][0]["name"] = "noaa20b"
    new["storage"]["raw_retention_days"] = 200
    changed = spec_changes(str(write_spec(tmp_path, old, "old.yaml")), str(write_spec(tmp_path, new, "new.yaml")))
    assert changed == "storage.raw_retention_days (365 => 200), satellites[0].name (noaa20 => noaa20b)"


def test_the_refusal_names_the_cause_before_the_labels_edited_beside_it(tmp_path):
    """An owner and eight tags edited beside analytics.telemetry_stream: false filled the line's
    eight places and hid the cause under "and 3 more"; tags, owner and budget come last."""
    from groundlink.diff.run import spec_changes

    from .conftest import spec_data, write_spec

    old = spec_data("noaa20.yaml")
    new = spec_data("noaa20.yaml")
    new["mission"]["owner"] = "new-team"
    new["mission"]["tags"] = {f"tag{i}": "x" for i in range(8)}
    new["budget"]["monthly_usd"] = 9999
    new["analytics"]["telemetry_stream"] = False
    changed = spec_changes(str(write_spec(tmp_path, old, "old.yaml")), str(write_spec(tmp_path, new, "new.yaml")))
    assert changed.startswith("analytics.telemetry_stream (true => false), ")
    # the cause, the budget, the owner, eight tags added and the example's own removed: 12, 8 named
    assert "budget.monthly_usd (8000 => 9999)" in changed and changed.endswith(" and 4 more")


def test_a_plan_saved_by_an_earlier_groundlink_compares_by_its_own_placeholders(tmp_path):
    """A plan saved before the mocks named a bucket with Terraform's 26-character id (8 before)
    diffed against the unchanged spec showed every bucket's side resources replaced, forced by
    `bucket`. A saved plan's placeholders are taken as a checkpoint's values are; a real edit
    still shows (and a retention cut is still refused)."""
    saved = json.loads(json.dumps(cached_plan("noaa20.yaml", "aws").to_json()))
    text = json.dumps(saved)
    for bucket in cached_plan("noaa20.yaml", "aws").of_type("aws:s3/bucket:Bucket"):
        name = bucket.outputs["bucket"]
        text = text.replace(name, name[: len(bucket.inputs["bucketPrefix"])] + name[-8:])  # as 8 characters
    old = tmp_path / "saved.json"
    old.write_text(text)
    assert one_diff(str(old), NOAA20, "aws").changes == ()
    shorter = edited(lambda d: d["storage"].update(raw_retention_days=200))
    lifecycle = change_of(
        one_diff(str(old), shorter, "aws"),
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "noaa20-storage-raw-lifecycle",
    )
    assert lifecycle.action == "update" and lifecycle.shortened


def test_a_retention_cut_by_a_replaced_lifecycle_is_refused_as_an_updated_one_is(tmp_path):
    """A lifecycle made anew with a shorter expiration deletes as soon as one updated in place:
    only updates were judged, so a replaced one passed (exit 0, retentionShortened 0)."""
    saved = cached_plan("noaa20.yaml", "aws").to_json()
    for resource in saved["resources"]:
        if resource["name"] == "noaa20-storage-raw-lifecycle":
            resource["inputs"]["bucket"] = "a-bucket-of-an-earlier-layout"  # forces a replacement
    old = tmp_path / "saved.json"
    old.write_text(json.dumps(saved))
    shorter = edited(lambda d: d["storage"].update(raw_retention_days=200))
    diff = one_diff(str(old), shorter, "aws")
    lifecycle = change_of(
        diff, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "noaa20-storage-raw-lifecycle"
    )
    assert lifecycle.action == "replace"
    assert [p.path for p in lifecycle.shortened] == ["rules[0].expiration.days"]
    assert lifecycle in diff.shortened


def test_a_name_with_a_newline_in_old_stays_on_one_line(tmp_path, capsys):
    """A plan's JSON may name a resource with a newline: the change and its data-loss line each
    broke in two, where each is one line a reader (or grep) takes whole."""
    saved = cached_plan("noaa20.yaml", "aws").to_json()
    for resource in saved["resources"]:
        if resource["type"] == "aws:kinesis/stream:Stream":
            resource["name"] = "line1\nline2"
            resource["urn"] = resource["urn"].replace("noaa20-telemetry-stream", "line1\nline2")
    old = tmp_path / "saved.json"
    old.write_text(json.dumps(saved))
    code, out, err = run_cli(capsys, "diff", str(old), NOAA20, "--cloud", "aws")
    assert code == 1
    deleted = [line for line in out.splitlines() if "line1" in line and "note:" not in line]
    assert deleted == [r"     - aws:kinesis/stream:Stream line1\nline2 delete  DATA LOSS: stateful resource"]
    (note,) = [line for line in out.splitlines() if "line1" in line and "note:" in line]
    assert r"(aws:kinesis/stream:Stream line1\nline2)" in note  # the note too, on one line
    assert r"aws: aws:kinesis/stream:Stream line1\nline2 would be deleted: data loss" in err.splitlines()


def test_an_input_key_with_a_newline_in_old_stays_on_one_line(tmp_path, capsys):
    """A key OLD's JSON holds (a tag named with a newline) broke the property line in two."""
    saved = cached_plan("noaa20.yaml", "aws").to_json()
    for resource in saved["resources"]:
        if resource["type"] == "aws:kinesis/stream:Stream":
            resource["inputs"]["tags"]["evil\nkey"] = "v"
    old = tmp_path / "saved.json"
    old.write_text(json.dumps(saved))
    code, out, _ = run_cli(capsys, "diff", str(old), NOAA20, "--cloud", "aws")
    assert code == 0
    assert '        - tags.evil\\nkey: "v"' in out.splitlines()


def test_an_old_spec_this_version_refuses_says_what_to_give_instead(tmp_path, capsys):
    """A spec an earlier version deployed (memory_mb 256, valid before the 512 floor) was refused
    as OLD with the line a bad NEW gets: edited to pass, it no longer describes the stack."""
    from .conftest import with_changes, write_spec

    old = write_spec(tmp_path, with_changes(spec_data(), {"processing.memory_mb": 256}), "old.yaml")
    new = write_spec(tmp_path, with_changes(spec_data(), {"processing.memory_mb": 512}), "new.yaml")
    code, out, err = run_cli(capsys, "diff", str(old), str(new), "--cloud", "aws")
    lines = err.splitlines()
    assert (code, out, len(lines)) == (2, "", 2)
    assert lines[0].startswith(f"{old}: processing.memory_mb: 256 is under 512")
    assert lines[1] == (
        f"{old}: OLD is read by this version's rules, and a spec an earlier version deployed may be refused by "
        "them; give the stack as deployed instead: its plan (`groundlink plan OLD --json FILE` with the version "
        "that deployed it) or `pulumi stack export`"
    )
    # a missing OLD is only missing; a file no version could have deployed is only what it is
    (tmp_path / "utf16.yaml").write_bytes(b"\xff\xfe\x00bin")
    (tmp_path / "empty.yaml").write_text("")
    (tmp_path / "project.yaml").write_text("name: groundlink\nruntime: python\n")
    for other in ("gone.yaml", "utf16.yaml", "empty.yaml", "project.yaml"):
        code, _, err = run_cli(capsys, "diff", str(tmp_path / other), str(new), "--cloud", "aws")
        assert code == 2 and err and "OLD is read by" not in err, other


def test_the_refusal_names_processing_s_switch_before_the_tunables_edited_beside_it(tmp_path):
    """processing.mode: container_job deletes the artifacts bucket and the processor's containers;
    edited beside six ground-segment tunables and a data rate, it was sorted after them into "and 2
    more", and the line, cut to fit, named `ground_segment.post_pa…s`, no field of the spec."""
    from groundlink.diff.run import spec_changes

    from .conftest import spec_data, write_spec

    old = spec_data("noaa20.yaml")
    new = spec_data("noaa20.yaml")
    new["processing"].update(
        mode="container_job", container_image="ghcr.io/example/groundlink:1.0", timeout_seconds=3600
    )
    new["ground_segment"].update(
        min_elevation_deg=10, min_contact_seconds=240, pre_pass_seconds=60, post_pass_seconds=60, contacts_per_day=6
    )
    new["ground_segment"]["contact_minutes"] = 14
    new["satellites"][0]["downlinks"][0]["data_rate_mbps"] = 12
    changed = spec_changes(str(write_spec(tmp_path, old, "old.yaml")), str(write_spec(tmp_path, new, "new.yaml")))
    assert changed.startswith("processing.container_image (null => ghcr.io/example/groundlink:1.0), processing.mode ")
    assert "…" not in changed and len(changed) <= 320
    named, _, more = changed.rpartition(" and ")
    assert more.endswith(" more") and int(more.split()[0]) + named.count(" => ") == 10


@pytest.mark.parametrize(
    "edit",
    [
        {"container_image": "ghcr.io/example/groundlink:1.1"},  # an upgrade's rebuilt image
        {"timeout_seconds": 7200},
    ],
)
def test_a_job_definition_updated_is_a_new_revision_whose_arn_the_pipe_takes_anew(edit):
    """Updating a Batch job definition registers a new revision under a new ARN (pulumi-aws
    batch.JobDefinition: "When updating a job definition a new revision is created"), which the
    pipe's target parameters and its role's policy read: the diff showed the job definition alone
    updated, the pipe unchanged, where a preview shows the pipe taking the new revision."""

    def to_jobs(data) -> None:
        data["processing"].update(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")

    def edited_jobs(data) -> None:
        to_jobs(data)
        data["processing"].update(edit)

    diff = one_diff(edited(to_jobs), edited(edited_jobs), "aws")
    assert change_of(diff, "aws:batch/jobDefinition:JobDefinition", "noaa20-processing-job").action == "update"
    pipe = change_of(diff, "aws:pipes/pipe:Pipe", "noaa20-processing-pipe")
    assert pipe.action == "update"
    assert [(p.path, p.new) for p in pipe.properties] == [("targetParameters", COMPUTED)]
    assert not diff.data_loss


def test_a_job_definition_retagged_keeps_its_revision_and_the_pipe_its_target():
    """A tags-only change retags the revision the job definition has (terraform-provider-aws
    registers a new one only for a change beside its tags): the pipe and its policy are
    unchanged, where any other update renews the ARN they read."""

    def to_jobs(data) -> None:
        data["processing"].update(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")

    def retagged(data) -> None:
        to_jobs(data)
        data["mission"]["tags"]["cost-center"] = "eo-ground-9"

    diff = one_diff(edited(to_jobs), edited(retagged), "aws")
    job = change_of(diff, "aws:batch/jobDefinition:JobDefinition", "noaa20-processing-job")
    assert job.action == "update" and {p.path.split(".")[0] for p in job.properties} <= {"tags", "tagsAll"}
    # every resource is retagged, and nothing reads a new ARN of it
    assert not [p for c in diff.changes for p in c.properties if p.new == COMPUTED]
    pipe = change_of(diff, "aws:pipes/pipe:Pipe", "noaa20-processing-pipe")
    assert {p.path.split(".")[0] for p in pipe.properties} <= {"tags", "tagsAll"}


@pytest.mark.parametrize(("path", "renewed"), [("sourceHash", True), ("contentType", True), ("tags", False)])
def test_a_layer_archive_uploaded_again_publishes_a_new_layer_the_function_takes(tmp_path, path, renewed):
    """A content change of the layer's S3 object uploads a new version of it, whose id the layer's
    `s3ObjectVersion` reads (terraform-provider-aws: `version_id` new-computed on a content change):
    the diff said the object alone was updated, where a preview publishes a new layer version and
    updates the function. A retag keeps the version."""
    plan = cached_plan("noaa20.yaml", "aws").to_json()
    (archive,) = [r for r in plan["resources"] if r["type"] == "aws:s3/bucketObjectv2:BucketObjectv2"]
    archive["inputs"][path] = {"other": "x"} if path == "tags" else "sha256:" + "0" * 64
    old = tmp_path / "old.json"
    old.write_text(json.dumps(plan))
    (diff,) = diff_against(str(old), str(SPECS / "noaa20.yaml"), ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
    assert change_of(diff, "aws:s3/bucketObjectv2:BucketObjectv2", archive["name"]).action == "update"
    names = {(c.type, c.name): c for c in diff.changes}
    layer = names.get(("aws:lambda/layerVersion:LayerVersion", "noaa20-processing-dependencies"))
    function = names.get(("aws:lambda/function:Function", "noaa20-processing-function"))
    if not renewed:
        assert layer is None and function is None
        return
    assert layer is not None and layer.action == "replace" and layer.forced_by == ("s3ObjectVersion",)
    assert function is not None and function.action == "update"
    assert [(p.path, p.new) for p in function.properties] == [("layers", COMPUTED)]
    assert not diff.data_loss


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("mode", ["function", "container_job"])
def test_a_deployed_queue_that_gains_groundlink_s_processor_is_noted(cloud, mode):
    """A stack deployed before processing was on by default had its contact queue read by its
    users' own consumer; the upgrade created groundlink's processor on it, which takes and
    deletes the messages, and the diff listed the creations without a word. Turning processing
    on is said the same way; a stack whose processor stays as it was gets no such note."""

    def without_processing(data) -> None:
        data["processing"] = {"enabled": False}

    def with_processing(data) -> None:
        data["processing"].update(mode=mode)
        if mode == "container_job":
            data["processing"]["container_image"] = "ghcr.io/example/groundlink:1.0"

    diff = one_diff(edited(without_processing), edited(with_processing), cloud)
    (note,) = [n for n in diff.notes if "gains a consumer" in n]
    queue = "noaa20-events-contacts" if cloud == "aws" else "noaa20-events-queue"
    consumer = {
        ("aws", "function"): "aws:lambda/eventSourceMapping:EventSourceMapping noaa20-processing-contacts",
        ("aws", "container_job"): "aws:pipes/pipe:Pipe noaa20-processing-pipe",
        ("azure", "function"): "azure-native:web:WebApp noaa20-processing-app",
        ("azure", "container_job"): "azure-native:app:Job noaa20-processing-job",
    }[(cloud, mode)]
    assert note == (
        f"{queue}: the queue, deployed before, gains a consumer ({consumer}): groundlink's processor takes and "
        "deletes its messages from this update on, so a consumer of your own reading it would miss contacts "
        "(processing.enabled: false keeps the queue as it was)"
    )
    unchanged = one_diff(edited(with_processing), edited(with_processing), cloud)
    assert not [n for n in unchanged.notes if "gains a consumer" in n]

    def the_other_mode(data) -> None:  # the processor already read the queue: only how changes
        if mode == "function":
            data["processing"].update(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")

    switched = one_diff(edited(the_other_mode), edited(with_processing), cloud)
    assert not [n for n in switched.notes if "gains a consumer" in n]


def _state(*resources: Resource) -> State:
    return State("aws", "plan", "x", {r.key: r for r in resources})


def test_changes_of_one_action_are_listed_by_type_then_name():
    """Deletions of a queue `a-contacts` and a stream `z-telemetry` are listed as the preview
    lists them, by type first (kinesis before sqs), then by name; listed by name alone, the
    report's order changed with the names the mission chose."""
    queue = Resource("q", "aws:sqs/queue:Queue", "a-contacts", {}, False)
    stream = Resource("s", "aws:kinesis/stream:Stream", "z-telemetry", {}, False)
    role = Resource("r", "aws:iam/role:Role", "b-role", {}, False)
    diff = diff_states(_state(queue, stream, role), _state())
    assert [c.name for c in diff.changes] == ["b-role", "z-telemetry", "a-contacts"]


def test_the_protected_note_names_three_resources_and_counts_the_rest():
    """Four protected resources deleted: the note names three (by type, then name) and counts the
    fourth, so a stack of many stores gives one readable line that still adds up."""
    held = [Resource(f"k{i}", "aws:sqs/queue:Queue", f"queue-{i}", {}, True, protect=True) for i in range(4)]
    (note,) = diff_states(_state(*held), _state()).notes
    assert note.startswith(
        "4 resource(s) OLD protects would be deleted or replaced (aws:sqs/queue:Queue queue-0, "
        "aws:sqs/queue:Queue queue-1, aws:sqs/queue:Queue queue-2 and 1 more): pulumi up refuses each"
    )


def test_a_job_definition_whose_default_tags_alone_change_keeps_the_pipe_s_target():
    """Only `tagsAll` differs (the provider's default tags, as a refreshed checkpoint records
    them): the revision is retagged, not renewed, so the pipe reading its ARN is unchanged; read
    as a new revision, the pipe was shown updated with its target parameters unknown."""
    job_type, pipe_type = "aws:batch/jobDefinition:JobDefinition", "aws:pipes/pipe:Pipe"
    arn = "arn:aws:batch:us-east-1:123456789012:job-definition/noaa20-job:1"
    pipe = Resource(
        "p", pipe_type, "noaa20-pipe", {"targetParameters": {"jobDefinition": arn}}, False, {"targetParameters": ("j",)}
    )
    jobs = [Resource("j", job_type, "noaa20-job", {"type": "container", "tagsAll": {"team": t}}, False) for t in "ab"]
    diff = diff_states(_state(jobs[0], pipe), _state(jobs[1], pipe))
    assert [(c.action, c.name, [p.path for p in c.properties]) for c in diff.changes] == [
        ("update", "noaa20-job", ["tagsAll.team"])
    ]


def test_the_projection_note_names_its_tables_in_order():
    """Two catalog tables stop listing the same satellite: one note names both, sorted, whatever
    order the stack registers them in."""
    table = "aws:glue/catalogTable:CatalogTable"

    def tables(values: str) -> State:
        parameters = {"projection.satellite.type": "enum", "projection.satellite.values": values}
        return _state(
            *(Resource(n, table, n, {"name": n, "parameters": parameters}, False) for n in ("z_raw", "a_products"))
        )

    (note,) = diff_states(tables("noaa20,noaa21"), tables("noaa20")).notes
    assert note.startswith("a_products, z_raw: Athena's partition projection no longer lists satellite noaa21:")


def test_the_replication_note_says_when_the_lifecycle_first_archives_what_s3_does_not_replicate():
    """Two rules of the source's lifecycle move objects to Glacier, at 90 and at 30 days: the note
    gives the first, 30 days, after which S3 replicates nothing of what the bucket held."""
    bucket = "aws:s3/bucket:Bucket"
    rules = [
        {"id": rule, "status": "Enabled", "transitions": [{"days": days, "storageClass": "GLACIER"}]}
        for rule, days in (("late", 90), ("early", 30))
    ]
    source = Resource("src", bucket, "noaa20-raw", {}, False)
    lifecycle = Resource("lc", S3_LIFECYCLE, "noaa20-raw-lifecycle", {"rules": rules}, False, {"bucket": ("src",)})
    replica = Resource("dst", bucket, "noaa20-raw-replica", {}, False)
    config = Resource(
        "rc", REPLICATION_CONFIG, "noaa20-raw-replication", {}, False, {"bucket": ("src",), "rules": ("dst",)}
    )
    (note,) = diff_states(_state(source, lifecycle), _state(source, lifecycle, replica, config)).notes
    assert "but for those its lifecycle has moved to S3 Glacier Flexible Retrieval after 30 days, which" in note


def test_the_refusal_names_a_retention_among_the_causes_not_after_the_tunables(tmp_path):
    """A `..._days` field outside storage (VPC flow logs kept 30 days instead of 365) cuts stored
    data: it is named with the switches and names, in its section's place, before a satellite
    renamed, not pushed behind them as a number that merely tunes."""
    from groundlink.diff.run import spec_changes

    from .conftest import spec_data, write_spec

    old = spec_data("noaa20.yaml")
    old["security"]["network"] = "private"  # flow logs are kept for a stack with a network
    new = copy.deepcopy(old)
    new["security"]["flow_log_retention_days"] = 30
    new["satellites"][0]["name"] = "noaa20b"
    changed = spec_changes(str(write_spec(tmp_path, old, "old.yaml")), str(write_spec(tmp_path, new, "new.yaml")))
    assert changed == "security.flow_log_retention_days (365 => 30), satellites[0].name (noaa20 => noaa20b)"


def test_the_refusal_names_processing_before_the_ground_segment(tmp_path):
    """processing decides the artifacts bucket and the processor's containers, so a switch of it
    is named before a ground-segment setting edited beside it."""
    from groundlink.diff.run import spec_changes

    from .conftest import spec_data, write_spec

    old = spec_data("noaa20.yaml")
    new = spec_data("noaa20.yaml")
    new["ground_segment"]["autotrack"] = "required"
    new["processing"]["enabled"] = False
    changed = spec_changes(str(write_spec(tmp_path, old, "old.yaml")), str(write_spec(tmp_path, new, "new.yaml")))
    assert changed == "processing.enabled (true => false), ground_segment.autotrack (preferred => required)"
