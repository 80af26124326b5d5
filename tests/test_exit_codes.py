"""Exit codes and failure paths of the commands, as one table.

0: ran, nothing mandatory failed (advisory findings included, as docs/policies.md says);
1: ran and found a mandatory violation or a parity failure; 2: bad input, a pack that
cannot start or never answers (for check; compare says so and writes its report, whose exit
code policy results never change), an output that cannot be written; always one line on
stderr, no traceback, nothing half-written.
"""

from __future__ import annotations

import copy
import functools
import json
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from groundlink.check import host, runner
from groundlink.cli import main
from groundlink.engine import Plan

from .conftest import SPECS, cached_plan, live_children, spec_data, with_changes, write_spec

NOAA20 = str(SPECS / "noaa20.yaml")
REGIONS_EASTUS = {"allowed-regions": {"allowedAzureLocations": ["eastus"]}}


@dataclass(frozen=True)
class Case:
    """argv (with {tmp} for the test's directory), a setup that returns nothing, the
    exit code, words stderr must hold (one line), a path that must not exist after, and
    words stdout must hold."""

    argv: tuple[str, ...]
    code: int
    stderr: str = ""
    setup: Callable[[Path, pytest.MonkeyPatch], None] = lambda tmp, mp: None
    absent: str = ""
    stdout: str = ""
    present: str = ""  # a path that must exist after


def _pack_config(config: dict) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(tmp: Path, _mp: pytest.MonkeyPatch) -> None:
        (tmp / "pack.json").write_text(json.dumps(config))

    return setup


def _fake_pack(script: str, wait: str = "1") -> Callable[[Path, pytest.MonkeyPatch], None]:
    """Run the pack with an interpreter that is a shell script: it crashes, prints
    something that is not a port, or never answers. Startup waits `wait` seconds, not 60
    (GROUNDLINK_PACK_STARTUP_SECONDS, as a user on a slow machine would set it)."""

    def setup(tmp: Path, mp: pytest.MonkeyPatch) -> None:
        python = tmp / "python"
        python.write_text("#!/bin/sh\n" + script + "\n")
        python.chmod(python.stat().st_mode | stat.S_IXUSR)
        mp.setattr(runner, "PackProcess", functools.partial(host.PackProcess, python=str(python)))
        mp.setenv(host.STARTUP_TIMEOUT_ENV, wait)

    return setup


def _bad_spec(tmp: Path, _mp: pytest.MonkeyPatch) -> None:
    data = spec_data()
    data["ground_segment"]["contacts_per_day"] = -1
    write_spec(tmp, data, "bad.yaml")


def _edited(**changes: object) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def setup(tmp: Path, _mp: pytest.MonkeyPatch) -> None:
        write_spec(tmp, with_changes(spec_data(), dict(changes)), "new.yaml")

    return setup


def _stream_named_with_a_space(plan: Plan) -> Plan:
    """A plan the API would refuse (a Kinesis stream name with a space) though the pack accepts it."""
    broken = Plan.from_json(copy.deepcopy(plan.to_json()))
    broken.one("aws:kinesis/stream:Stream").inputs["name"] = "telemetry stream!"
    return broken


def _preflight_finding(tmp: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setattr("groundlink.engine.plan", lambda spec, cloud: _stream_named_with_a_space(cached_plan(spec, cloud)))
    mp.setattr(runner, "build_plan", lambda spec, cloud: _stream_named_with_a_space(cached_plan(spec, cloud)))


def _bad_prices(tmp: Path, _mp: pytest.MonkeyPatch) -> None:
    (tmp / "prices.yaml").write_text("aws: [\n")


def _a_file(tmp: Path, _mp: pytest.MonkeyPatch) -> None:
    (tmp / "file").write_text("x")


CHECK = ("check", NOAA20, "--cloud", "azure")
CASES = {
    "check passes": Case(CHECK, 0),
    "check advisory only": Case(
        (*CHECK, "--policy-pack-config", "{tmp}/pack.json"),
        0,
        setup=_pack_config({"allowed-regions": {**REGIONS_EASTUS["allowed-regions"], "enforcementLevel": "advisory"}}),
    ),
    "check mandatory": Case((*CHECK, "--policy-pack-config", "{tmp}/pack.json"), 1, setup=_pack_config(REGIONS_EASTUS)),
    "check bad spec": Case(("check", "{tmp}/bad.yaml"), 2, "ground_segment.contacts_per_day", _bad_spec),
    "check bad pack config": Case(
        (*CHECK, "--policy-pack-config", "{tmp}/pack.json"),
        2,
        "allowed-regions.allowedAzureLocations",
        _pack_config({"allowed-regions": {"allowedAzureLocations": "eastus"}}),
    ),
    "check pack crashes at start": Case(
        CHECK,
        2,
        "policy pack failed to start (exit 3): ImportError: pack exploded",
        _fake_pack("echo 'ImportError: pack exploded' >&2; exit 3"),
    ),
    "check pack prints no port": Case(
        CHECK, 2, "policy pack failed to start (exit 4): boom", _fake_pack("echo hello; echo boom >&2; exit 4")
    ),
    "check pack first line not a port": Case(
        CHECK,
        2,
        "policy pack failed to start: its first line is not a port: 'listening on 5000'",
        _fake_pack("echo 'listening on 5000'; exec sleep 30", wait="0.5"),
    ),
    "check startup wait not a number": Case(
        CHECK,
        2,
        "GROUNDLINK_PACK_STARTUP_SECONDS: 'soon' is not allowed",
        lambda tmp, mp: mp.setenv(host.STARTUP_TIMEOUT_ENV, "soon"),
    ),
    "check pack never answers": Case(
        CHECK, 2, "policy pack did not report a port within 0.3s", _fake_pack("exec sleep 30", wait="0.3")
    ),
    # killed after its port line (an out-of-memory kill): said at once, not after the 60 s wait
    "check pack dies after its port": Case(
        CHECK,
        2,
        "policy pack ended (killed by SIGKILL) before it answered on port 1: no output on stderr",
        _fake_pack("echo 1; kill -9 $$", wait="60"),
    ),
    "check pack port never answers": Case(
        CHECK, 2, "policy pack did not answer on port 1 within 0.3s", _fake_pack("echo 1; exec sleep 30", wait="0.3")
    ),
    "check unwritable json": Case(
        (*CHECK, "--json", "{tmp}/file/check.json"), 2, "--json {tmp}/file/check.json", _a_file, "file/check.json"
    ),
    "check unknown cloud": Case(("check", NOAA20, "--cloud", "gcp"), 2, "invalid choice: 'gcp'"),
    "check preflight finding": Case(("check", NOAA20, "--cloud", "aws"), 1, setup=_preflight_finding),
    "plan passes": Case(("plan", NOAA20, "--cloud", "aws", "--json", "{tmp}/aws.json"), 0),
    "plan bad spec": Case(
        ("plan", "{tmp}/bad.yaml", "--json", "{tmp}/out.json"),
        2,
        "ground_segment.contacts_per_day",
        _bad_spec,
        "out.json",
    ),
    "plan unknown cloud": Case(("plan", NOAA20, "--cloud", "gcp"), 2, "invalid choice: 'gcp'"),
    "plan unwritable json": Case(
        ("plan", NOAA20, "--cloud", "aws", "--json", "{tmp}/file/aws.json"), 2, "{tmp}/file/aws.json", _a_file
    ),
    "compare bad spec": Case(
        ("compare", "{tmp}/bad.yaml", "--out", "{tmp}/out"), 2, "ground_segment.contacts_per_day", _bad_spec, "out"
    ),
    "compare unwritable out": Case(
        ("compare", NOAA20, "--out", "{tmp}/file/out"), 2, "{tmp}/file/out", _a_file, "file/out"
    ),
    # policy results are part of the report, not of compare's exit code (docs/compare.md): a pack
    # that cannot run is said, and the report is written all the same
    "compare pack crashes at start": Case(
        ("compare", NOAA20, "--out", "{tmp}/out", "--serial"),
        0,
        setup=_fake_pack("echo 'ImportError: pack exploded' >&2; exit 3"),
        stdout="policy results not available: the policy pack did not run (PackError: policy pack failed to start "
        "(exit 3): ImportError: pack exploded).",
        present="out/compare.json",
    ),
    "compare pack never answers": Case(
        ("compare", NOAA20, "--out", "{tmp}/out", "--serial"),
        0,
        setup=_fake_pack("exec sleep 30", wait="0.3"),
        stdout="policy results not available: the policy pack did not run (PackError: policy pack did not report a "
        "port within 0.3s",
        present="out/compare.json",
    ),
    "compare bad prices": Case(
        ("compare", NOAA20, "--prices", "{tmp}/prices.yaml", "--out", "{tmp}/out"),
        2,
        "{tmp}/prices.yaml: line 2",
        _bad_prices,
        "out",
    ),
    "compare missing prices file": Case(
        ("compare", NOAA20, "--prices", "{tmp}/none.yaml", "--out", "{tmp}/out"), 2, "{tmp}/none.yaml", absent="out"
    ),
    "validate bad spec": Case(("validate", "{tmp}/bad.yaml"), 2, "ground_segment.contacts_per_day", _bad_spec),
    "diff tunable edit": Case(
        ("diff", NOAA20, "{tmp}/new.yaml", "--cloud", "aws"), 0, setup=_edited(**{"storage.raw_retention_days": 400})
    ),
    "diff data loss": Case(
        ("diff", NOAA20, "{tmp}/new.yaml", "--cloud", "aws"),
        1,
        "groundlink: refusing data loss; the spec changes mission.name (noaa20 => noaa21): revert, or pass "
        "--allow-data-loss to accept it",
        _edited(**{"mission.name": "noaa21"}),
    ),
    "diff data loss allowed": Case(
        ("diff", NOAA20, "{tmp}/new.yaml", "--cloud", "aws", "--allow-data-loss"),
        0,
        setup=_edited(**{"mission.name": "noaa21"}),
    ),
    "diff bad spec": Case(("diff", NOAA20, "{tmp}/bad.yaml"), 2, "ground_segment.contacts_per_day", _bad_spec),
    "diff missing deployed": Case(("diff", "{tmp}/none.json", NOAA20), 2, "{tmp}/none.json: no such file"),
    "diff unknown cloud": Case(("diff", NOAA20, NOAA20, "--cloud", "gcp"), 2, "invalid choice: 'gcp'"),
    "preflight passes": Case(("preflight", NOAA20, "--cloud", "aws"), 0),
    "preflight missing spec": Case(("preflight", "{tmp}/none.yaml"), 2, "{tmp}/none.yaml: no such file"),
    "preflight finding": Case(
        ("preflight", NOAA20, "--cloud", "aws"), 1, setup=_preflight_finding, stdout="kinesis StreamName"
    ),
    "preflight bad spec": Case(("preflight", "{tmp}/bad.yaml"), 2, "ground_segment.contacts_per_day", _bad_spec),
    "preflight unknown cloud": Case(("preflight", NOAA20, "--cloud", "gcp"), 2, "invalid choice: 'gcp'"),
}
XFAIL: dict[str, str] = {}  # cases with a known defect, until it is fixed (strict: a fix must drop the entry)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=XFAIL[n])) if n in XFAIL else n for n in CASES],
)
def test_exit_code(name, tmp_path, monkeypatch, capsys, shared_plans, own_pack_processes):
    case = CASES[name]
    case.setup(tmp_path, monkeypatch)
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in case.argv]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse refuses a choice before any command runs
        code = exit_.code
    out, err = capsys.readouterr()
    assert code == case.code, err
    assert "Traceback" not in err
    if case.stderr:
        assert case.stderr.replace("{tmp}", str(tmp_path)) in err.strip().splitlines()[-1]
    else:
        assert err.strip() == ""
    assert case.stdout in out
    if case.absent:
        assert not (tmp_path / case.absent).exists()
    if case.present:
        assert (tmp_path / case.present).is_file()
        if case.present.startswith("out/"):  # compare's report records why its policy results are missing
            doc = json.loads((tmp_path / "out" / "compare.json").read_text())
            assert doc["policy"]["available"] is False and "did not run" in doc["policy"]["reason"]
    assert live_children() == [], "a pack process outlived the command"
