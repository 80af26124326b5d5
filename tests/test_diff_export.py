"""A diff against a `pulumi stack export` as the real engine writes it (tests/engine_export.py
says where each part of the form comes from): URNs qualified by every ancestor's type, secrets
encrypted, assets and archives in envelopes, types renamed by the providers since, and the
project the stack belongs to. Each read as a change, a real export of an unchanged stack showed
82 resources deleted and created again and refused a dozen stores as data loss."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from groundlink import cli
from groundlink.clouds import CLOUDS
from groundlink.diff import rules
from groundlink.diff.changes import STATEFUL_TYPES, UNREAD
from groundlink.diff.lifecycle import S3_LIFECYCLE
from groundlink.diff.run import diff_against
from groundlink.diff.state import from_document, urn_key

from . import engine_export
from .conftest import ROOT, SPECS, cached_plan

NOAA20 = str(SPECS / "noaa20.yaml")
REAL_FIXTURE = ROOT / "tests" / "fixtures" / "noaa20-aws.real.checkpoint.json"


def _diff(doc: dict, tmp_path: Path, cloud: str, name: str = "export.json"):
    old = tmp_path / name
    old.write_text(json.dumps(doc))
    (diff,) = diff_against(str(old), NOAA20, [cloud], {cloud: cached_plan("noaa20.yaml", cloud)})
    return diff


def _compared_apart(diff):
    """What the diff could not compare, but the dependency layer's archive: unread on both sides
    where the suite runs without `make function-deps` (a clean clone), listed there, and only
    there, as not compared (tests/test_diff.py covers it)."""
    return [n for n in diff.not_compared if n.why != UNREAD.why]


def _cloud_resources(cloud: str) -> int:
    return len([r for r in cached_plan("noaa20.yaml", cloud).custom() if not r.type.startswith("pulumi:")])


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("cloud", CLOUDS)
def test_an_unchanged_stack_diffs_as_no_change_in_either_urn_form(cloud: str, tmp_path: Path) -> None:
    """The engine's URNs (every ancestor's type, no root stack) and the mocks' (the immediate
    parent's type, `pulumi:pulumi:Stack$` under the stack: plans saved by earlier versions)
    name the same resources."""
    plan = cached_plan("noaa20.yaml", cloud).to_json()
    for form, doc in (
        ("engine", engine_export.export(plan)),
        ("mock", engine_export.export(plan, mock_urns=True)),
    ):
        diff = _diff(doc, tmp_path, cloud, f"{form}.json")
        assert [(c.action, c.name) for c in diff.changes] == [], form
        assert diff.unchanged == _cloud_resources(cloud), form


def test_keys_are_the_engines_urns_whatever_form_old_was_written_in(tmp_path: Path) -> None:
    plan = cached_plan("noaa20.yaml", "aws").to_json()
    engine = from_document(engine_export.export(plan), "engine.json")
    mock = from_document(engine_export.export(plan, mock_urns=True), "mock.json")
    key = "groundlink:index:AwsMissionStack$groundlink:index:AwsEvents$aws:sqs/queue:Queue::noaa20-events-contacts"
    assert key in engine.resources and set(engine.resources) == set(mock.resources)
    (diff,) = diff_against(str(REAL_FIXTURE), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
    assert key in {c.key for c in diff.changes}


def test_the_real_form_fixture_reads_as_the_mock_form_one() -> None:
    """The trimmed fixtures of one checkpoint, in the engine's form (every parent within the
    document) and in the mocks' (parents left out, named by mock-form URNs): the same diff."""
    from .test_diff import CHECKPOINT

    def summary(old: str):
        (diff,) = diff_against(old, NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
        return diff.unchanged, [(c.action, c.type, c.name, c.forced_by, c.properties) for c in diff.changes]

    real = summary(str(REAL_FIXTURE))
    assert real == summary(CHECKPOINT)
    unchanged, changes = real
    assert unchanged == 1
    assert ("update", "aws:sqs/queue:Queue", "noaa20-events-contacts") in [c[:3] for c in changes]
    assert ("delete", "aws:s3/bucket:Bucket", "noaa20-storage-archive") in [c[:3] for c in changes]


def test_the_real_form_fixture_is_what_its_script_writes() -> None:
    from .test_diff import CHECKPOINT

    mock_form = json.loads(Path(CHECKPOINT).read_text())
    written = engine_export.real_fixture(mock_form, cached_plan("noaa20.yaml", "aws").to_json())
    assert json.loads(REAL_FIXTURE.read_text()) == written


def test_urn_key_leaves_the_root_stack_out() -> None:
    assert urn_key("urn:pulumi:s::groundlink::pulumi:pulumi:Stack$groundlink:index:AwsMissionStack::noaa20") == (
        "groundlink:index:AwsMissionStack::noaa20"
    )


class TestSecrets:
    def test_a_secret_on_a_stores_forcing_input_may_replace_it_and_is_refused(self, tmp_path: Path, capsys) -> None:
        """The engine compares a secret's plaintext and replaces the account if it differs; the
        export holds its ciphertext only, so the diff cannot say it is the same: not a change, but
        a possible replacement of a store, refused as data loss unless --allow-data-loss."""
        from groundlink.diff.run import data_loss_lines

        plan = cached_plan("noaa20.yaml", "azure").to_json()
        account = "azure-native:storage:StorageAccount"
        assert "accountName" in rules.forcing(account)
        doc = engine_export.export(plan, secrets=[(account, "accountName")])
        diff = _diff(doc, tmp_path, "azure")
        assert diff.changes == () and diff.data_loss == []
        assert [(n.type, n.path, n.shown, n.may_replace) for n in diff.not_compared] == [
            (account, "accountName", "[secret]", True)
        ]
        assert data_loss_lines([diff]) == [
            f"azure: {account} noaa20-storage-account may be replaced: its accountName, which forces a replacement, "
            "is [secret] in OLD and cannot be compared (export with --show-secrets)"
        ]
        code, out, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "azure")
        assert code == 1 and "may be replaced: its accountName" in err
        assert "accountName: [secret] not compared (encrypted in the checkpoint)" in out
        assert "1 input(s) not compared" in out
        code, out, _ = _run(
            capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "azure", "--json", "--allow-data-loss"
        )
        assert code == 0
        (doc_out,) = json.loads(out)
        assert (doc_out["summary"]["notCompared"], doc_out["summary"]["mayReplace"]) == (1, 1)
        assert doc_out["notCompared"][0] | {"why": None} == {
            "type": account,
            "name": "noaa20-storage-account",
            "path": "accountName",
            "value": "[secret]",
            "why": None,
            "mayReplace": True,
            "mayShortenRetention": False,
        }

    def test_a_secret_retention_may_hide_a_higher_one_and_is_refused(self, tmp_path: Path, capsys) -> None:
        """A log group's retention or a lifecycle's rules held as secrets: NEW's may be lower, and
        the data past it would go at the next update. Refused as data loss, as a secret on a
        store's forcing input is."""
        from groundlink.diff.run import data_loss_lines

        plan = cached_plan("noaa20.yaml", "aws").to_json()
        logs, lifecycle = "aws:cloudwatch/logGroup:LogGroup", S3_LIFECYCLE
        doc = engine_export.export(plan, secrets=[(lifecycle, "rules"), (logs, "retentionInDays")])
        diff = _diff(doc, tmp_path, "aws")
        assert diff.changes == () and diff.data_loss == []
        hidden = {(n.name, n.path) for n in diff.not_compared if n.may_shorten}
        assert hidden == {
            *((f"noaa20-{name}-logs", "retentionInDays") for name in ("processing", "telemetry-archive")),
            *(
                (f"noaa20-storage-{b}-lifecycle", "rules")
                for b in ("artifacts", "logs", "products", "query-results", "raw")
            ),
        }
        assert (
            "aws: aws:cloudwatch/logGroup:LogGroup noaa20-processing-logs may delete data sooner: its retentionInDays, "
            "a retention, is [secret] in OLD and cannot be compared (export with --show-secrets)"
        ) in data_loss_lines([diff])
        code, out, _ = _run(
            capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "aws", "--json", "--allow-data-loss"
        )
        (doc_out,) = json.loads(out)
        assert code == 0 and doc_out["summary"]["mayShortenRetention"] == 7 and doc_out["summary"]["mayReplace"] == 0
        code, _, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "aws")
        assert code == 1 and err.count("may delete data sooner") == 7

    @pytest.mark.parametrize(
        ("type_token", "path", "refused"),
        [
            # a soft-delete retention of a setting, not a store: lowered in plaintext it is refused too
            ("azure-native:storage:BlobServiceProperties", "deleteRetentionPolicy", True),
            # a switch whose name holds "expiration" is no retention
            ("azure-native:servicebus:Queue", "deadLetteringOnMessageExpiration", False),
        ],
    )
    def test_a_secret_is_a_hidden_retention_where_a_retention_lowered_counts(
        self, tmp_path: Path, capsys, type_token: str, path: str, refused: bool
    ) -> None:
        plan = cached_plan("noaa20.yaml", "azure").to_json()
        doc = engine_export.export(plan, secrets=[(type_token, path)])
        diff = _diff(doc, tmp_path, "azure")
        assert [(n.type, n.path, n.may_shorten) for n in diff.not_compared] == [(type_token, path, refused)]
        code, _, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "azure")
        assert code == (1 if refused else 0) and ("may delete data sooner" in err) is refused

    def test_a_lifecycle_whose_rules_are_secret_and_another_input_changed_is_judged_by_what_is_known(
        self, tmp_path: Path, capsys
    ) -> None:
        """The lifecycle is updated (another of its inputs drifted), its rules unreadable: no
        crash reading them, and the refusal is the hidden retention's."""
        plan = cached_plan("noaa20.yaml", "aws").to_json()
        for resource in plan["resources"]:
            if resource["name"] == "noaa20-storage-raw-lifecycle":
                resource["inputs"]["transitionDefaultMinimumObjectSize"] = "varies_by_storage_class"
        doc = engine_export.export(plan, secrets=[(S3_LIFECYCLE, "rules")])
        diff = _diff(doc, tmp_path, "aws")
        (change,) = [c for c in diff.changes if c.name == "noaa20-storage-raw-lifecycle"]
        assert change.action == "update" and change.shortened == ()
        code, _, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "aws")
        assert code == 1 and "noaa20-storage-raw-lifecycle may delete data sooner: its rules" in err

    def test_a_retained_setting_recorded_under_its_earlier_type_name_keeps_no_protection_of_its_own(
        self, tmp_path: Path, capsys
    ) -> None:
        """A checkpoint of an older pulumi-aws records the raw lifecycle as
        BucketLifecycleConfigurationV2, the alias of today's type: it is the same resource, and a
        retained setting (retainOnDelete, no protect) whatever its type's name. It was read as a
        store unprotected by the update, and refused as `PROTECTION REMOVED`."""
        plan = cached_plan("noaa20.yaml", "aws").to_json()
        doc = engine_export.export(plan)
        old_type = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
        assert S3_LIFECYCLE in rules.current_types(old_type)
        (resource,) = [r for r in doc["deployment"]["resources"] if r["urn"].endswith("::noaa20-storage-raw-lifecycle")]
        assert resource["retainOnDelete"] and not resource.get("protect")
        resource["type"] = old_type
        resource["urn"] = resource["urn"].replace(S3_LIFECYCLE, old_type)
        (tmp_path / "export.json").write_text(json.dumps(doc))
        code, out, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "aws")
        assert (code, err) == (0, "") and "PROTECTION REMOVED" not in out

    def test_a_secret_on_a_forcing_input_of_a_resource_holding_no_data_is_only_not_compared(
        self, tmp_path: Path
    ) -> None:
        """Replacing an Athena workgroup loses no stored data: its secret name is listed, not refused."""
        from groundlink.diff.run import data_loss_lines

        plan = cached_plan("noaa20.yaml", "aws").to_json()
        workgroup = "aws:athena/workgroup:Workgroup"
        assert "name" in rules.forcing(workgroup) and workgroup not in STATEFUL_TYPES
        diff = _diff(engine_export.export(plan, secrets=[(workgroup, "name")]), tmp_path, "aws")
        assert [(n.type, n.path, n.may_replace) for n in _compared_apart(diff)] == [(workgroup, "name", False)]
        assert data_loss_lines([diff]) == [] and diff.to_json()["summary"]["mayReplace"] == 0

    def test_a_secret_on_an_input_that_forces_nothing_is_only_not_compared(self, tmp_path: Path) -> None:
        from groundlink.diff.run import data_loss_lines

        plan = cached_plan("noaa20.yaml", "aws").to_json()
        queue = "aws:sqs/queue:Queue"
        assert "redrivePolicy" not in (rules.forcing(queue) or ())
        doc = engine_export.export(plan, secrets=[(queue, "redrivePolicy")])
        diff = _diff(doc, tmp_path, "aws")
        assert [(n.path, n.may_replace) for n in _compared_apart(diff)] == [("redrivePolicy", False)]
        assert diff.changes == () and data_loss_lines([diff]) == []

    def test_a_secret_beside_a_real_change_is_shown_as_secret(self, tmp_path: Path) -> None:
        plan = cached_plan("noaa20.yaml", "azure").to_json()
        account = "azure-native:storage:StorageAccount"
        doc = engine_export.export(plan, secrets=[(account, "accountName")])
        stored = next(r for r in doc["deployment"]["resources"] if r["type"] == account)
        stored["inputs"]["location"] = "eastus"
        diff = _diff(doc, tmp_path, "azure")
        change = next(c for c in diff.changes if c.type == account)
        assert change.action == "replace" and change.forced_by == ("location",)  # the location, not the secret
        assert "accountName" not in [p.path for p in change.properties]

    def test_a_secret_exported_with_show_secrets_is_compared(self, tmp_path: Path) -> None:
        plan = cached_plan("noaa20.yaml", "azure").to_json()
        account = "azure-native:storage:StorageAccount"
        doc = engine_export.export(plan)
        stored = next(r for r in doc["deployment"]["resources"] if r["type"] == account)
        stored["inputs"]["accountName"] = {
            engine_export.SIG: engine_export.SECRET_SIG,
            "plaintext": json.dumps("othername"),
        }
        change = next(c for c in _diff(doc, tmp_path, "azure").changes if c.type == account)
        assert change.action == "replace" and change.forced_by == ("accountName",)
        (renamed,) = [p for p in change.properties if p.path == "accountName"]
        assert renamed.old == "othername"

    def _revealed(self, tmp_path: Path, plaintext: str) -> Path:
        """An export of the noaa20 Azure stack, made with --show-secrets, whose storage account
        name is a secret holding `plaintext`."""
        doc = engine_export.export(cached_plan("noaa20.yaml", "azure").to_json())
        stored = next(r for r in doc["deployment"]["resources"] if r["type"] == "azure-native:storage:StorageAccount")
        stored["inputs"]["accountName"] = {
            engine_export.SIG: engine_export.SECRET_SIG,
            "plaintext": json.dumps(plaintext),
        }
        (tmp_path / "export.json").write_text(json.dumps(doc))
        return tmp_path / "export.json"

    def test_a_changed_secret_exported_with_show_secrets_is_never_printed(self, tmp_path: Path, capsys) -> None:
        """Compared by its plaintext, a changed secret was printed in clear on the terminal, in
        --json and in compare.json: it is shown as [secret], both sides, as pulumi preview shows it."""
        old = str(self._revealed(tmp_path, "hunter2secretname"))
        code, out, err = _run(capsys, "diff", old, NOAA20, "--cloud", "azure", "--allow-data-loss")
        assert code == 0 and "~ accountName: [secret] => [secret]" in out
        assert "hunter2secretname" not in out + err
        code, out, _ = _run(capsys, "diff", old, NOAA20, "--cloud", "azure", "--allow-data-loss", "--json")
        (doc,) = json.loads(out)
        (account,) = [c for c in doc["changes"] if c["type"] == "azure-native:storage:StorageAccount"]
        assert {"path": "accountName", "kind": "~", "old": "[secret]", "new": "[secret]"} in account["properties"]
        report = tmp_path / "report"
        code, _, _ = _run(capsys, "compare", NOAA20, "--out", str(report), "--against", old, "--allow-data-loss")
        assert code == 0
        for written in (out, (report / "compare.json").read_text(), (report / "report.md").read_text()):
            assert "hunter2secretname" not in written

    def test_an_unchanged_secret_exported_with_show_secrets_is_no_change(self, tmp_path: Path) -> None:
        plan = cached_plan("noaa20.yaml", "azure")
        name = next(r for r in plan.resources if r.type == "azure-native:storage:StorageAccount").inputs["accountName"]
        (diff,) = diff_against(str(self._revealed(tmp_path, name)), NOAA20, ["azure"], {"azure": plan})
        assert diff.changes == () and _compared_apart(diff) == []

    def test_app_settings_held_as_one_secret_are_not_compared_and_read_by_no_note(self, tmp_path: Path, capsys) -> None:
        """A Functions app whose whole settings list the checkpoint holds encrypted (a stack that
        made it secret) stopped every diff with a traceback in the code-digest note."""
        plan = cached_plan("noaa20.yaml", "azure")
        doc = engine_export.export(plan.to_json())
        app = next(r for r in doc["deployment"]["resources"] if r["type"] == "azure-native:web:WebApp")
        app["inputs"]["siteConfig"]["appSettings"] = engine_export.secret(app["inputs"]["siteConfig"]["appSettings"])
        diff = _diff(doc, tmp_path, "azure")
        assert diff.changes == ()
        assert [(n.type, n.path, n.shown) for n in _compared_apart(diff)] == [
            ("azure-native:web:WebApp", "siteConfig.appSettings", "[secret]")
        ]
        code, out, err = _run(capsys, "diff", str(tmp_path / "export.json"), NOAA20, "--cloud", "azure")
        assert code == 0 and "Traceback" not in err and "siteConfig.appSettings: [secret] not compared" in out

    def test_a_secret_exported_with_show_secrets_is_read_as_any_value_and_shown_as_a_secret(
        self, tmp_path: Path
    ) -> None:
        """Wrapped for printing from the moment it was read, a secret settings list hid the app's
        code digest from the note that tells the operator to upload the new package: only the
        changed values are shown as secrets, and the diff reads the plaintext."""
        doc = engine_export.export(cached_plan("noaa20.yaml", "azure").to_json())
        app = next(r for r in doc["deployment"]["resources"] if r["type"] == "azure-native:web:WebApp")
        settings = app["inputs"]["siteConfig"]["appSettings"]
        digest = next(s for s in settings if s["name"] == "GROUNDLINK_CODE_SHA256")
        digest["value"] = "0" * 64  # the code deployed before this one
        app["inputs"]["siteConfig"]["appSettings"] = {
            engine_export.SIG: engine_export.SECRET_SIG,
            "plaintext": json.dumps(settings),
        }
        diff = _diff(doc, tmp_path, "azure")
        (change,) = [c for c in diff.changes if c.type == "azure-native:web:WebApp"]
        (setting,) = change.properties
        assert (
            setting.path.startswith("siteConfig.appSettings")
            and setting.secret
            and str(setting.old_shown) == str(setting.new_shown) == "[secret]"
        )
        assert any("the processor's code changes" in note for note in diff.notes)
        assert "0" * 64 not in json.dumps(diff.to_json())

    def test_a_secret_setting_after_one_added_or_removed_is_still_never_printed(self, tmp_path: Path) -> None:
        """OLD's secret was named by its place in OLD's list and a change by its place in NEW's
        (settings are matched by name): a setting removed before the secret one printed its
        plaintext."""
        doc = engine_export.export(cached_plan("noaa20.yaml", "azure").to_json())
        app = next(r for r in doc["deployment"]["resources"] if r["type"] == "azure-native:web:WebApp")
        settings = app["inputs"]["siteConfig"]["appSettings"]
        settings[-1]["value"] = {engine_export.SIG: engine_export.SECRET_SIG, "plaintext": json.dumps("hunter2-OLD")}
        del settings[0]  # one setting fewer before it in OLD
        diff = _diff(doc, tmp_path, "azure")
        assert "hunter2-OLD" not in json.dumps(diff.to_json())
        (change,) = [c for c in diff.changes if c.type == "azure-native:web:WebApp"]
        assert [str(p.old_shown) for p in change.properties if p.path.endswith(".value")] == ["[secret]"]

    def test_a_retention_held_as_a_secret_is_still_seen_shortened_and_never_printed(self, tmp_path: Path) -> None:
        """Wrapped for printing, a secret's values were no numbers to the retention check: a
        shortened retention exported with --show-secrets passed as an ordinary update."""
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        queue = next(r for r in doc["deployment"]["resources"] if r["type"] == "aws:sqs/queue:Queue")
        kept = queue["inputs"]["messageRetentionSeconds"]
        queue["inputs"]["messageRetentionSeconds"] = {
            engine_export.SIG: engine_export.SECRET_SIG,
            "plaintext": json.dumps(kept + 86400),  # a day longer deployed: the spec now shortens it
        }
        (change,) = [c for c in _diff(doc, tmp_path, "aws").changes if c.type == "aws:sqs/queue:Queue"]
        assert [(p.path, p.secret) for p in change.shortened] == [("messageRetentionSeconds", True)]
        assert str(kept + 86400) not in json.dumps(change.to_json())


class TestAssets:
    def _function(self, doc: dict) -> dict:
        return next(r for r in doc["deployment"]["resources"] if r["type"] == "aws:lambda/function:Function")

    def test_assets_and_archives_compare_by_hash(self, tmp_path: Path) -> None:
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        code = self._function(doc)["inputs"]["code"]
        assert code[engine_export.SIG] == engine_export.ARCHIVE_SIG
        assert _diff(doc, tmp_path, "aws").changes == ()

    def test_a_changed_member_is_an_update_of_that_member(self, tmp_path: Path) -> None:
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        members = self._function(doc)["inputs"]["code"]["assets"]
        members["requirements.txt"]["hash"] = "f" * 64
        (change,) = _diff(doc, tmp_path, "aws").changes
        assert change.action == "update" and [p.path for p in change.properties] == ["code.requirements.txt"]

    def test_an_archive_known_by_its_own_hash_only_is_not_compared(self, tmp_path: Path) -> None:
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        function = self._function(doc)
        function["inputs"]["code"] = {engine_export.SIG: engine_export.ARCHIVE_SIG, "hash": "a" * 64, "path": "."}
        diff = _diff(doc, tmp_path, "aws")
        assert diff.changes == ()
        assert [(n.name, n.path, n.shown) for n in _compared_apart(diff)] == [
            (function["urn"].rsplit("::")[-1], "code", "[archive]")
        ]

    def test_a_file_archive_compares_by_its_hash(self, tmp_path: Path) -> None:
        """The engine hashes a file archive's bytes, as the plan digests it. The plan is given
        the digest of a layer archive here: a clean clone has none (`make function-deps`
        builds it), and a missing file plans as its class name, which no hash can match."""
        from groundlink.engine import Plan

        plan = copy.deepcopy(cached_plan("noaa20.yaml", "aws").to_json())
        obj = next(r for r in plan["resources"] if r["type"] == "aws:s3/bucketObjectv2:BucketObjectv2")
        obj["inputs"]["source"] = "sha256:" + "a" * 64
        new = Plan.from_json(plan)
        doc = engine_export.export(plan)
        stored = next(r for r in doc["deployment"]["resources"] if r["urn"].endswith("::" + obj["name"]))
        old = tmp_path / "export.json"
        for whole, changed in (("a" * 64, False), ("b" * 64, True)):
            stored["inputs"]["source"] = {engine_export.SIG: engine_export.ARCHIVE_SIG, "hash": whole, "path": "x.zip"}
            old.write_text(json.dumps(doc))
            (diff,) = diff_against(str(old), NOAA20, ["aws"], {"aws": new})
            # a new archive is a new version of its object, which the layer and its function take
            renewed = [obj["name"], "noaa20-processing-dependencies", "noaa20-processing-function"]
            assert sorted(c.name for c in diff.changes) == (sorted(renewed) if changed else [])
            assert not diff.not_compared


class TestTypeAliases:
    def test_a_bucket_deployed_as_bucketv2_is_the_same_bucket(self, tmp_path: Path) -> None:
        """pulumi-aws 7 renamed `BucketV2` to `Bucket` and declares the old type an alias:
        the engine carries the state over, nothing is deleted."""
        assert "aws:s3/bucketV2:BucketV2" in rules.aliases("aws:s3/bucket:Bucket")
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        for resource in doc["deployment"]["resources"]:
            if resource["type"] == "aws:s3/bucket:Bucket":
                resource["type"] = "aws:s3/bucketV2:BucketV2"
                resource["urn"] = resource["urn"].replace("aws:s3/bucket:Bucket::", "aws:s3/bucketV2:BucketV2::")
        diff = _diff(doc, tmp_path, "aws")
        assert [(c.action, c.name) for c in diff.changes] == []

    def test_an_azure_native_api_version_is_the_same_resource(self, tmp_path: Path) -> None:
        account = "azure-native:storage:StorageAccount"
        versioned = "azure-native:storage/v20230101:StorageAccount"
        assert versioned in rules.aliases(account)
        doc = engine_export.export(cached_plan("noaa20.yaml", "azure").to_json())
        stored = next(r for r in doc["deployment"]["resources"] if r["type"] == account)
        stored["type"], stored["urn"] = versioned, stored["urn"].replace(f"${account}::", f"${versioned}::")
        assert _diff(doc, tmp_path, "azure").changes == ()

    def test_a_store_of_an_earlier_type_deleted_is_data_loss(self, tmp_path: Path) -> None:
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        bucket = next(r for r in doc["deployment"]["resources"] if r["type"] == "aws:s3/bucket:Bucket")
        gone = json.loads(json.dumps(bucket))
        gone.pop("protect", None)
        gone.pop("retainOnDelete", None)
        gone["type"] = "aws:s3/bucketV2:BucketV2"
        gone["urn"] = bucket["urn"].replace("aws:s3/bucket:Bucket::", "aws:s3/bucketV2:BucketV2::") + "-old"
        doc["deployment"]["resources"].append(gone)
        (change,) = _diff(doc, tmp_path, "aws").changes
        assert (change.action, change.type, change.loses_data) == ("delete", "aws:s3/bucketV2:BucketV2", True)

    def test_every_stateful_type_has_its_aliases_read(self) -> None:
        table = json.loads(rules.RULES_FILE.read_text())
        assert set(table["types"]) >= STATEFUL_TYPES
        assert all(rules.aliases(t) for t in STATEFUL_TYPES if t.startswith("azure-native:"))

    def test_the_alias_table_is_what_the_generator_reads_from_the_installed_sdks(self) -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_replace_rules.py")
        gen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(gen)
        table = json.loads(rules.RULES_FILE.read_text())
        assert table["aliases"] == gen.alias_table(sorted(table["types"]))


class TestProject:
    def test_an_export_of_another_project_is_refused(self, tmp_path: Path, capsys) -> None:
        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json(), project="weather-api")
        old = tmp_path / "weather.json"
        old.write_text(json.dumps(doc))
        expected = f"groundlink: {old}: holds a stack of project 'weather-api'; this program's project is 'groundlink'"
        for argv in (["diff", str(old), NOAA20, "--cloud", "aws"], ["plan", NOAA20, "--against", str(old)]):
            code, out, err = _run(capsys, *argv)
            assert (code, out, err.splitlines()) == (2, "", [expected]), argv

    def test_a_plan_of_another_project_is_refused(self, tmp_path: Path, capsys) -> None:
        saved = cached_plan("noaa20.yaml", "aws").to_json() | {"project": "weather-api"}
        old = tmp_path / "plan.json"
        old.write_text(json.dumps(saved))
        code, out, err = _run(capsys, "diff", str(old), NOAA20, "--cloud", "aws")
        assert code == 2 and out == "" and "holds a stack of project 'weather-api'" in err


@pytest.mark.parametrize(
    "plaintext",
    ["[" * 500 + "]" * 500, "[" * 100_000 + "]" * 100_000, "NaN", "1" * 5000, '{"a": 1, "a": 2}'],
    ids=["500-levels", "100000-levels", "nan", "5000-digits", "a-key-twice"],
)
def test_a_revealed_secret_the_document_itself_could_not_hold_is_not_compared(plaintext, tmp_path: Path) -> None:
    """A --show-secrets plaintext is JSON inside the checkpoint's JSON, and was read without the
    document's own limits: nested deep, it ended the diff in a RecursionError (exit 1, as a data
    loss refusal would); NaN and a 5,000-digit number were taken as values."""
    doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
    (queue,) = [r for r in doc["deployment"]["resources"] if r["urn"].endswith("::noaa20-events-contacts")]
    queue["inputs"]["redrivePolicy"] = {engine_export.SIG: engine_export.SECRET_SIG, "plaintext": plaintext}
    diff = _diff(doc, tmp_path, "aws")
    assert [(n.name, n.path, n.shown) for n in _compared_apart(diff)] == [
        ("noaa20-events-contacts", "redrivePolicy", "[secret]")
    ]


@pytest.mark.parametrize("listed", [[["name"]], [{"name": True}], [1, None]], ids=["a-list", "an-object", "no-names"])
def test_defaults_that_name_no_input_fill_nothing(listed, tmp_path: Path) -> None:
    """`__defaults` lists the names of the inputs a provider filled; a list or an object inside it
    (a hand-edited checkpoint) ended the diff in a TypeError."""
    doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
    for resource in doc["deployment"]["resources"]:
        resource.get("inputs", {})["__defaults"] = listed
    assert _diff(doc, tmp_path, "aws").changes == ()


class TestSecretsInNotes:
    """The diff's notes quote values from OLD (a storage SKU, stream ports, the satellites a
    table lists, where a lifecycle moves objects): they read them as if none could be a secret, so
    a note printed a value the change line above it showed as [secret], and an encrypted lifecycle
    ended the diff in a traceback."""

    @staticmethod
    def _revealed(resource: dict, path: str) -> None:
        """`path` of `resource` as an export made with --show-secrets holds a secret."""
        resource["inputs"][path] = {
            engine_export.SIG: engine_export.SECRET_SIG,
            "plaintext": json.dumps(resource["inputs"][path]),
        }

    def test_an_encrypted_lifecycle_of_a_store_now_replicated_is_noted_without_its_rules(self, tmp_path, capsys):
        from .conftest import spec_data, write_spec

        doc = engine_export.export(cached_plan("noaa20.yaml", "aws").to_json())
        (life,) = [r for r in doc["deployment"]["resources"] if r["urn"].endswith("::noaa20-storage-raw-lifecycle")]
        life["inputs"]["rules"] = engine_export.secret(life["inputs"]["rules"])
        (tmp_path / "old.json").write_text(json.dumps(doc))
        geo = spec_data("noaa20.yaml")
        geo["storage"]["redundancy"] = "geo"
        geo["clouds"]["aws"]["replica_region"] = "us-east-2"
        new = write_spec(tmp_path, geo, "geo.yaml")
        code, out, err = _run(capsys, "diff", str(tmp_path / "old.json"), str(new), "--cloud", "aws")
        assert "Traceback" not in err and code == 1  # the secret lifecycle may delete sooner: refused
        notes = [line for line in out.splitlines() if "S3 replicates only objects written after" in line]
        # the raw bucket's, whose lifecycle is the secret; the products bucket's reads its own
        (raw,) = [n for n in notes if "note: noaa20-storage-replica-raw-replication:" in n]
        assert (
            "S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive, if its rules (a secret in OLD) move any there"
        ) in raw

    def test_a_storage_sku_held_as_a_secret_is_shown_as_one_in_the_note(self, tmp_path, capsys):
        from .conftest import spec_data, write_spec

        geo = spec_data("noaa20.yaml")
        geo["storage"]["redundancy"] = "geo"
        geo["clouds"]["aws"]["replica_region"] = "us-east-2"
        doc = engine_export.export(cached_plan(write_spec(tmp_path, geo, "geo.yaml"), "azure").to_json())
        (account,) = [r for r in doc["deployment"]["resources"] if r["type"] == "azure-native:storage:StorageAccount"]
        self._revealed(account, "sku")
        (tmp_path / "old.json").write_text(json.dumps(doc))
        code, out, err = _run(capsys, "diff", str(tmp_path / "old.json"), NOAA20, "--cloud", "azure", "--json")
        assert code == 0 and "GZRS" not in out + err
        (cloud,) = json.loads(out)
        assert [n for n in cloud["notes"] if "sku.name" in n] == [
            "noaa20-storage-account: sku.name [secret] => Standard_ZRS drops the account's copy in the paired region: "
            "its objects stay, in the stack's location only, and a regional outage leaves no copy to fail over to "
            "(the AWS stack's replica buckets, the same copy, are refused as data loss)"
        ]

    def test_stream_ports_held_as_a_secret_are_shown_as_one(self, tmp_path, capsys):
        from .conftest import spec_data, write_spec

        stream = spec_data("noaa20.yaml")
        stream["delivery"]["stream"] = True
        doc = engine_export.export(cached_plan(write_spec(tmp_path, stream, "stream.yaml"), "aws").to_json())
        (group,) = [r for r in doc["deployment"]["resources"] if r["type"].endswith("DataflowEndpointGroup")]
        for detail in group["inputs"]["endpointDetails"]:
            detail["endpoint"]["address"]["port"] = 55999
        self._revealed(group, "endpointDetails")
        (tmp_path / "old.json").write_text(json.dumps(doc))
        _, out, err = _run(
            capsys, "diff", str(tmp_path / "old.json"), str(tmp_path / "stream.yaml"), "--cloud", "aws", "--json"
        )
        (cloud,) = json.loads(out)
        (note,) = [n for n in cloud["notes"] if "move to other ports" in n]
        assert "55999" not in out + err and "[secret] => " in note

    def test_the_satellites_a_secret_projection_lists_are_never_named(self, tmp_path, capsys):
        from .conftest import spec_data, write_spec

        doc = engine_export.export(cached_plan("partner.yaml", "aws").to_json())
        tables = [r for r in doc["deployment"]["resources"] if r["type"] == "aws:glue/catalogTable:CatalogTable"]
        enumerated = [t for t in tables if t["inputs"]["parameters"].get("projection.satellite.type") == "enum"]
        assert enumerated
        for table in enumerated:
            table["inputs"]["parameters"]["projection.satellite.values"] += ",hunter2sat"
            self._revealed(table, "parameters")
        (tmp_path / "old.json").write_text(json.dumps(doc))
        new = write_spec(tmp_path, spec_data("partner.yaml"), "partner.yaml")
        _, out, err = _run(capsys, "diff", str(tmp_path / "old.json"), str(new), "--cloud", "aws")
        assert "hunter2sat" not in out + err
