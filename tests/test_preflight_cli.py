"""`groundlink preflight`: one line per finding, exit 1 on any, 0 when clean, 2 on a bad spec."""

from __future__ import annotations

import copy

import pytest

from groundlink import cli, engine

from .conftest import SPECS, cached_plan, spec_data, write_spec

SPEC = "aqua-legacy.yaml"  # the example whose AWS plan is clean


@pytest.fixture
def planned():
    """The command plans through the engine; tests hand it the session's plan instead."""
    return cached_plan(SPEC, "aws")


def test_clean_plan_exits_0(planned, monkeypatch, capsys):
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: copy.deepcopy(planned))
    assert cli.main(["preflight", str(SPECS / SPEC), "--cloud", "aws"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].endswith("resources, clean")


def test_the_retired_orbital_resources_are_named_though_no_check_refuses_them(monkeypatch, capsys):
    """The legacy_orbital opt-in plans Azure Orbital resources that pass every provider check,
    and preflight called that plan 'clean', though pulumi up cannot create them any more."""
    azure = cached_plan(SPEC, "azure")
    orbital = [r for r in azure.resources if r.type.startswith("azure-native:orbital:")]
    assert len(orbital) == 2
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: copy.deepcopy(azure))
    assert cli.main(["preflight", str(SPECS / SPEC), "--cloud", "azure"]) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .splitlines()[-1]
        .endswith(
            "resources, clean; 2 Azure Orbital resources (legacy_orbital), which Azure no longer creates "
            "(retired 2024-12-18): preview only, pulumi up fails on them"
        )
    )


def test_a_finding_exits_1_with_one_line(planned, monkeypatch, capsys):
    def broken_plan(spec, cloud):
        plan = copy.deepcopy(planned)
        plan.of_type("aws:kinesis/stream:Stream")[0].inputs["name"] = "telemetry stream!"
        return plan

    monkeypatch.setattr(engine, "plan", broken_plan)
    assert cli.main(["preflight", str(SPECS / SPEC), "--cloud", "aws"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0].startswith('aws: aqua-telemetry-stream (aws:kinesis/stream:Stream) name = "telemetry stream!"')
    assert "kinesis StreamName" in out[0] and out[-1].endswith("1 finding")


def _broken_aws(plan):
    plan.of_type("aws:kinesis/stream:Stream")[0].inputs["name"] = "telemetry stream!"


def _broken_azure(plan):
    plan.of_type("azure-native:storage:StorageAccount")[0].inputs["accountName"] = "Bad_Name!"


@pytest.mark.parametrize("broken_cloud, breaks", [("aws", _broken_aws), ("azure", _broken_azure)])
def test_both_clouds_by_default_exit_1_when_either_has_a_finding(monkeypatch, capsys, broken_cloud, breaks):
    """The default `--cloud both` is a CI gate over both plans: a finding on one cloud alone,
    the first or the last planned, fails it, though the other cloud's verdict is clean."""

    def planned(spec, cloud):
        plan = copy.deepcopy(cached_plan(SPEC, cloud))
        if cloud == broken_cloud:
            breaks(plan)
        return plan

    monkeypatch.setattr(engine, "plan", planned)
    assert cli.main(["preflight", str(SPECS / SPEC)]) == 1
    verdicts = [line for line in capsys.readouterr().out.splitlines() if line.startswith("preflight ")]
    assert [line.split()[1] for line in verdicts] == ["aws", "azure"]
    assert [("1 finding" in line, "clean" in line) for line in verdicts] == [
        (cloud == broken_cloud, cloud != broken_cloud) for cloud in ("aws", "azure")
    ]


def test_bad_spec_exits_2_without_planning(tmp_path, capsys):
    data = spec_data()
    data["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = 700
    assert cli.main(["preflight", str(write_spec(tmp_path, data)), "--cloud", "aws"]) == 2
    assert "bandwidth_mhz" in capsys.readouterr().err


def test_check_fails_on_a_preflight_finding():
    from groundlink.check import check_plans

    plan = copy.deepcopy(cached_plan("noaa20.yaml", "aws"))
    plan.one("aws:kinesis/stream:Stream").inputs["name"] = "telemetry stream!"
    result = check_plans([plan])
    assert not result.mandatory  # the policy pack has nothing against it: only the API refuses the name
    assert not result.passed
    assert [line.split(" = ")[0] for line in result.preflight] == [
        "noaa20-telemetry-stream (aws:kinesis/stream:Stream) name"
    ]
    assert result.to_json()["clouds"][0]["preflight"] == result.preflight
