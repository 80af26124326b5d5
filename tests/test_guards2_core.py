"""Command-level behaviour one-line edits used to slip past: `check --json`'s per-cloud
mandatory count, a long pack config value cut in a message, `compare --against` refusing a
data loss when parity passes, and the parity matrix's sorted `notNeededButRealized`."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest

from groundlink import cli
from groundlink.blueprint import build_blueprint
from groundlink.check import runner
from groundlink.check.config import PackConfigError, load_config_file, parse_config
from groundlink.check.runner import CheckResult, CloudCheck
from groundlink.parity import parity
from groundlink.spec import load_spec

from .conftest import SPECS, cached_plan, violation

NOAA20 = str(SPECS / "noaa20.yaml")


# -- check --json ------------------------------------------------------------------------------


def test_check_json_counts_only_mandatory_violations_per_cloud(tmp_path, monkeypatch, capsys):
    """An advisory-only cloud reports `mandatory: 0` beside its two violations (and the check
    passes); a cloud with one mandatory among three reports 1."""
    advisory_only = CloudCheck(
        "aws", "dev", 12, [violation("alpha", "advisory"), violation("beta", "advisory")], 0.1, 0.2
    )
    mixed = CloudCheck(
        "azure",
        "dev",
        30,
        [violation("gamma", "advisory"), violation("delta", "mandatory"), violation("eps", "advisory")],
        0.1,
        0.2,
    )
    results = {
        "advisory": CheckResult(NOAA20, {"name": "pack", "version": "1", "policies": 5}, [advisory_only]),
        "mixed": CheckResult(NOAA20, {"name": "pack", "version": "1", "policies": 5}, [advisory_only, mixed]),
    }

    def fake_check(spec, clouds, policy_pack_config=None):
        return results["mixed" if len(clouds) == 2 else "advisory"]

    monkeypatch.setattr(runner, "check", fake_check)

    out = tmp_path / "advisory.json"
    assert cli.main(["check", NOAA20, "--cloud", "aws", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["passed"] is True
    (aws,) = doc["clouds"]
    assert (aws["cloud"], aws["mandatory"], len(aws["violations"])) == ("aws", 0, 2)

    out = tmp_path / "mixed.json"
    assert cli.main(["check", NOAA20, "--cloud", "both", "--json", str(out)]) == 1
    doc = json.loads(out.read_text())
    assert doc["passed"] is False
    assert [(c["cloud"], c["mandatory"], len(c["violations"])) for c in doc["clouds"]] == [
        ("aws", 0, 2),
        ("azure", 1, 3),
    ]
    capsys.readouterr()


# -- pack config messages ----------------------------------------------------------------------


def _message(doc) -> str:
    with pytest.raises(PackConfigError) as raised:
        parse_config(doc)
    return str(raised.value)


def test_a_long_config_value_is_shown_cut_to_60_characters():
    """A value's JSON over 60 characters is echoed as its first 59 and an ellipsis."""
    message = _message({"p": "x" * 80})
    shown = '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'  # 59 characters, then …
    assert f"{shown} is not an enforcement level" in message
    assert "x" * 59 not in message


def test_a_config_value_of_60_characters_is_shown_whole():
    value = "y" * 58  # 60 characters as JSON, quotes included
    assert f'"{value}" is not an enforcement level' in _message({"p": value})


def test_a_long_value_in_a_pack_config_file_is_cut_in_its_message(tmp_path):
    path = tmp_path / "pack.json"
    path.write_text(json.dumps({"aws-s3-versioning": {"enforcementLevel": "z" * 100}}))
    with pytest.raises(PackConfigError) as raised:
        load_config_file(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert '"' + "z" * 58 + "… is not an enforcement level" in message
    assert "z" * 59 not in message


# -- compare --against -------------------------------------------------------------------------


def test_compare_against_refuses_a_data_loss_even_when_parity_passes(tmp_path, monkeypatch, capsys):
    """The fake plans are the session's own noaa20 plans (parity passes); the saved old plan
    also holds a Kinesis stream the new plan lacks, a stateful resource deleted: exit 1
    without --allow-data-loss, 0 with it."""
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    doc = cached_plan("noaa20.yaml", "aws").to_json()
    (stream,) = [r for r in doc["resources"] if r["type"] == "aws:kinesis/stream:Stream"]
    gone = json.loads(json.dumps(stream).replace("noaa20-telemetry-stream", "noaa20-old-stream"))
    doc["resources"].append(gone)
    saved = tmp_path / "old-aws.json"
    saved.write_text(json.dumps(doc))
    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs())
    out = tmp_path / "report"

    code = cli.main(["compare", NOAA20, "--out", str(out), "--against", str(saved)])
    err = capsys.readouterr().err
    report = json.loads((out / "compare.json").read_text())
    assert report["ok"] is True, report["failures"]  # parity passes: only the data loss fails it
    assert "noaa20-old-stream would be deleted: data loss" in err
    assert report["diff"]["refused"] is True
    assert code == 1
    # the diff object is what the shipped schema describes, and each cloud says what it refuses
    from .test_report import SCHEMA

    jsonschema.validate(report, json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker())
    (aws,) = report["diff"]["clouds"]
    assert aws["dataAtRisk"] == report["diff"]["dataLoss"] and aws["summary"]["dataAtRisk"] == 1
    broken = json.loads(json.dumps(report))
    del broken["diff"]["clouds"][0]["changes"][0]["dataAtRisk"]
    with pytest.raises(jsonschema.ValidationError, match="dataAtRisk"):
        jsonschema.validate(broken, json.loads(SCHEMA.read_text()))

    code = cli.main(["compare", NOAA20, "--out", str(out), "--against", str(saved), "--allow-data-loss"])
    capsys.readouterr()
    report = json.loads((out / "compare.json").read_text())
    assert (report["ok"], report["diff"]["refused"], report["diff"]["allowDataLoss"]) == (True, False, True)
    assert code == 0


# -- parity ------------------------------------------------------------------------------------

DROPPED = {
    "storage.versioning",
    "analytics.telemetry_stream",
    "observability.alarm",
    "budget.alerts",
    "analytics.catalog",
    "events.dead_letter",
    "analytics.serverless_sql",
}


def test_capabilities_realized_but_not_needed_are_listed_sorted(aws_noaa20):
    """A blueprint that no longer needs seven capabilities the AWS plan still realizes: the
    matrix lists them in alphabetical order, the same in every run (the report shows it)."""
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml"))
    fewer = dataclasses.replace(blueprint, capabilities=tuple(c for c in blueprint.capabilities if c.id not in DROPPED))
    matrix = parity(fewer, {"aws": aws_noaa20})
    expected = [
        "analytics.catalog",
        "analytics.serverless_sql",
        "analytics.telemetry_stream",
        "budget.alerts",
        "events.dead_letter",
        "observability.alarm",
        "storage.versioning",
    ]
    assert matrix.extras == {"aws": expected}
    assert matrix.to_json()["notNeededButRealized"] == {"aws": expected}
