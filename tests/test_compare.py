"""`groundlink compare`: exit codes, bad input, atomic output, parallel plans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from groundlink.app import parallel_plans as plan_runs
from groundlink.app.compare import run_compare
from groundlink.check import check_plans
from groundlink.check.host import keep_packs_warm
from groundlink.cli import main
from groundlink.clouds import CLOUDS

from .conftest import DROP, ROOT, SPECS, cached_plan, spec_data, with_changes, write_spec

NOAA20 = str(SPECS / "noaa20.yaml")

# Compares here plan in this process (the fakes below) and start no other process than the pack;
# the plan workers' forks are tests/test_parallel_plans.py.
pytestmark = pytest.mark.usefixtures("warm_policy_packs")


def _fake_runs(aws_drop: str = "", spec: str | None = "noaa20.yaml"):
    """The session's plans of `spec` (None: of whichever spec the compare was given) in place
    of the plan workers."""

    def run_plans(
        spec_path,
        clouds,
        workers=None,
        on_start=lambda c: None,
        on_done=lambda c, s: None,
        on_plan=lambda c, r: None,
        meanwhile=lambda: None,
    ):
        meanwhile()
        runs = {}
        for cloud in clouds:
            plan = plan_runs.Plan.from_json(cached_plan(spec or spec_path, cloud).to_json())
            if cloud == "aws" and aws_drop:
                plan.resources = [r for r in plan.resources if aws_drop not in r.capability]
                plan.gaps.pop(aws_drop, None)
            on_start(cloud)
            runs[cloud] = plan_runs.PlanRun(plan, 0.1)
            on_plan(cloud, runs[cloud])
            on_done(cloud, 0.1)
        return runs

    return run_plans


def test_bad_spec_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    data = spec_data()
    data["ground_segment"]["contacts_per_day"] = -1
    out = tmp_path / "out"
    assert main(["compare", str(write_spec(tmp_path, data)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "ground_segment.contacts_per_day" in err and "Traceback" not in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["spec.yaml"]


def test_bad_prices_file_is_exit_2_and_nothing_written(tmp_path, capsys):
    prices = tmp_path / "prices.yaml"
    prices.write_text("azure:\n  partner_minutes: {price: 3, source: s, date: '2026'}\n")
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out), "--prices", str(prices)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"{prices}: azure.partner_minutes: unknown price id; did you mean 'partner_minute'? (line 2, column 3)"
    ]
    assert not out.exists()


def test_refuses_to_replace_a_directory_that_is_not_a_report(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    assert "not empty and not an earlier groundlink report" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "keep me"


def test_a_directory_merely_holding_a_compare_json_is_not_a_report(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "compare.json").write_text("{}")
    (out / "thesis.tex").write_text("keep me")
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    assert "not an earlier groundlink report" in capsys.readouterr().err
    assert (out / "thesis.tex").read_text() == "keep me"


def test_a_compare_started_in_a_deleted_directory_writes_its_report(tmp_path, monkeypatch, capsys):
    """A shell left in a directory a later compare replaced, or `make demo` removed: with
    absolute paths the compare runs (it ended in a FileNotFoundError traceback, exit 1, which
    means a parity failure)."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out)]) == 0, capsys.readouterr().err
    assert json.loads((out / "compare.json").read_text())["ok"] is True


def test_the_progress_line_of_a_plan_claims_no_process_of_its_own(tmp_path, monkeypatch, capsys):
    """`--serial`, or a machine of one core, plans in this process, yet the line said
    "1.91 s in its process": it gives the plan's seconds alone, true whichever way it ran."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    assert main(["compare", NOAA20, "--out", str(tmp_path / "out"), "--serial"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:5] for line in lines if line.startswith("✓ plan")] == [
        ["✓", "plan", "AWS", "0.10", "s"],
        ["✓", "plan", "Azure", "0.10", "s"],
    ]
    assert not any("in its process" in line for line in lines)


def test_parity_failure_writes_the_report_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(aws_drop="storage.raw"))
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out)]) == 1
    doc = json.loads((out / "compare.json").read_text())
    assert doc["ok"] is False
    assert any(f.startswith("storage.raw: not realized on aws") for f in doc["failures"])
    assert "Result: FAILED" in (out / "report.md").read_text()


def test_a_failure_while_writing_leaves_no_half_written_report(tmp_path, monkeypatch):
    from groundlink.report import markdown_html

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(markdown_html, "render_html", broken)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        run_compare(NOAA20, out)
    assert list(tmp_path.iterdir()) == []


def test_a_rerun_replaces_the_previous_report_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    run_compare(NOAA20, out)
    (out / "report.md").write_text("from an older run")
    result = run_compare(NOAA20, out)
    assert (out / "report.md").read_text().startswith("# groundlink compare")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert set(result.timings) == {"plan_aws", "plan_azure", "total"}


def test_a_previous_report_that_cannot_all_be_removed_is_said_as_this_run_s_not_a_killed_one_s(
    tmp_path, monkeypatch, capsys
):
    """A directory of the earlier report the user made read-only: the new report went in, the
    old one stayed set aside, and the run itself blamed "a compare that was stopped outright"."""
    import shutil

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    run_compare(NOAA20, out)
    capsys.readouterr()
    removing = shutil.rmtree

    def refused_in_charts(path, ignore_errors=False, **kwargs):
        """As a read-only `charts` directory refuses its entries' removal to a user."""
        charts = Path(path) / "out" / "charts"
        if ".out.old-" not in Path(path).name or not charts.exists():
            return removing(path, ignore_errors=ignore_errors, **kwargs)
        for entry in Path(path, "out").iterdir():
            if entry != charts:
                removing(entry) if entry.is_dir() else entry.unlink()
        if not ignore_errors:
            chart = next(charts.iterdir())
            raise PermissionError(13, "Permission denied", str(chart))

    monkeypatch.setattr(shutil, "rmtree", refused_in_charts)
    assert main(["compare", NOAA20, "--out", str(out)]) == 0
    [old] = tmp_path.glob(".out.old-*")
    chart = next((old / "out" / "charts").iterdir())
    assert [line for line in capsys.readouterr().err.splitlines() if "replaced" in line or "outright" in line] == [
        f"groundlink: the report this compare replaced could not all be removed ({chart}: Permission denied); it "
        f"is set aside in {old}: delete it"
    ]
    assert (out / "report.md").read_text().startswith("# groundlink compare")


def test_a_report_named_with_the_longest_name_the_system_takes_is_written_and_rewritten(tmp_path, monkeypatch):
    """A name of NAME_MAX bytes (255) is a name like any other; its hidden siblings (the report
    being written, the one it replaces) were longer than that, and the run failed on them."""
    import os

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / ("r" * os.pathconf(tmp_path, "PC_NAME_MAX"))
    run_compare(NOAA20, out)
    (out / "report.md").write_text("from an older run")
    run_compare(NOAA20, out)
    assert (out / "report.md").read_text().startswith("# groundlink compare")
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_a_rerun_never_deletes_a_file_it_did_not_write(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    run_compare(NOAA20, out)
    (out / "my-notes.txt").write_text("keep me")
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    assert "holds 1 file(s) groundlink did not write (my-notes.txt)" in capsys.readouterr().err
    assert (out / "my-notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("where", ["under-a-file", "is-a-file"])
def test_an_impossible_out_is_one_line_before_planning(tmp_path, monkeypatch, capsys, where):
    def refuse(*args, **kwargs):
        raise AssertionError("planned despite a bad --out")

    monkeypatch.setattr(plan_runs, "run_plans", refuse)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = blocker / "report" if where == "under-a-file" else blocker
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"groundlink: --out {out}: ") and len(err.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_price_overrides_reach_the_report(tmp_path, monkeypatch):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    prices = tmp_path / "prices.yaml"
    prices.write_text("azure:\n  partner_minute: {price: 12, source: KSAT quote 9, date: 2026-10-02}\n")
    result = run_compare(NOAA20, tmp_path / "out", prices=prices)
    ground = next(x for x in result.document["cost"]["clouds"]["azure"]["lines"] if x["layer"] == "ground")
    assert ground["price"] == 12 and ground["cost"] == pytest.approx(12 * ground["quantity"])
    assert "KSAT quote 9" in (tmp_path / "out" / "report.md").read_text()
    assert result.document["pricesFile"] == str(prices)


def test_an_aws_partner_price_alone_prices_the_one_partner_network_of_a_ground_station_mission(tmp_path, monkeypatch):
    """With AWS Ground Station, Azure's ground segment is a partner's and AWS's alternative the
    decision weighs is the same network: `aws.partner_minute` alone was read by that alternative
    only, listed as used, and changed no figure (the decision still gave a break-even price)."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    prices = tmp_path / "prices.yaml"
    prices.write_text("aws:\n  partner_minute: {price: 8, source: KSAT quote, date: 2026-10-01}\n")
    document = run_compare(NOAA20, tmp_path / "out", prices=prices).document
    [azure] = [x for x in document["cost"]["clouds"]["azure"]["lines"] if x["priceId"] == "azure.partner_minute"]
    assert (azure["price"], azure["cost"]) == (8, pytest.approx(8 * azure["quantity"]))
    assert document["decision"]["partnerPricePerMinute"] == 8
    # 4 contacts a day of 10 min, 365/12 days a month: 1,216.67 min at $8
    assert azure["quantity"] == pytest.approx(4 * 10 * 365 / 12)


def test_two_partner_prices_for_a_ground_station_mission_are_one_line_exit_2_before_any_planning(
    tmp_path, monkeypatch, capsys
):
    """They were refused only after both clouds were planned, by the alternative's estimate."""
    monkeypatch.setattr(plan_runs, "run_plans", lambda *a, **k: pytest.fail("planned although refused"))
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "aws:\n  partner_minute: {price: 8, source: KSAT quote, date: 2026-10-01}\n"
        "azure:\n  partner_minute: {price: 12, source: KSAT quote 9, date: 2026-10-02}\n"
    )
    assert main(["compare", NOAA20, "--out", str(tmp_path / "out"), "--prices", str(prices)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"the partner network is priced twice ({prices}: aws.partner_minute = 8, {prices}: azure.partner_minute = "
        "12): both clouds use one network, so give one price"
    ]
    assert not (tmp_path / "out").exists()


def test_an_override_no_line_uses_is_said_on_the_terminal_and_in_the_report(tmp_path, monkeypatch, capsys):
    """blob_hot_gb_month is a known id (the LRS reference price) that no line of a ZRS mission
    uses: the override changed nothing and nothing said so but compare.json's `used: false`."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "aws:\n  s3_get_requests: {price: 0.0005, source: a quote, date: 2026-12-01}\n"
        "azure:\n  blob_hot_gb_month: {price: 0.001, source: a quote, date: 2026-12-01}\n"
        "  partner_minute: {price: 12, source: KSAT quote 9, date: 2026-10-02}\n"
    )
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out), "--prices", str(prices)]) == 0
    # S3 GET requests (the processor's reads) are priced by no cost line of any spec: the line
    # says that can be why, not only another configuration
    line = (
        "Price overrides no cost line of this spec uses: aws.s3_get_requests, azure.blob_hot_gb_month (each is "
        'the price of another configuration, or of what groundlink does not price: docs/compare.md, "Not modelled";'
    )
    assert line in " ".join(capsys.readouterr().out.split())
    sources = (out / "report.md").read_text().split("## Price sources and dates")[1]
    assert line in sources and "azure.partner_minute" not in sources.split(line)[1].split("\n")[0]
    prices_doc = json.loads((out / "compare.json").read_text())["prices"]
    assert [p["priceId"] for p in prices_doc if "(override: " in p["source"] and not p["used"]] == [
        "aws.s3_get_requests",
        "azure.blob_hot_gb_month",
    ]


def test_a_reserved_price_is_unused_where_ground_station_is_no_alternative(tmp_path, monkeypatch, capsys):
    """Aqua is no longer supported by AWS Ground Station: no figure stands on its reserved price,
    yet reading it for the decision called an override of it used, and said nothing."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec="aqua-legacy.yaml"))
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "aws:\n  ground_station_reserved_narrowband_minute: {price: 5, source: a contract, date: 2026-11-01}\n"
    )
    out = tmp_path / "out"
    assert main(["compare", str(SPECS / "aqua-legacy.yaml"), "--out", str(out), "--prices", str(prices)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Price overrides no cost line of this spec uses: aws.ground_station_reserved_narrowband_minute" in said
    doc = json.loads((out / "compare.json").read_text())
    assert (
        next(p for p in doc["prices"] if p["priceId"] == "aws.ground_station_reserved_narrowband_minute")["used"]
        is False
    )
    assert doc["decision"]["groundStationMonthly"] == {"onDemand": None, "reserved": None}


def test_a_dubbo_price_is_unused_while_no_minute_is_taken_at_dubbo(tmp_path, monkeypatch, capsys):
    """ground_segment.dubbo_minutes_share is 0 by default: the break-even's on-demand figure read
    the Dubbo price all the same, so an override of it was called used, and listed as a source."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "aws:\n  ground_station_dubbo_narrowband_minute: {price: 12, source: a contract, date: 2026-11-01}\n"
    )
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out), "--prices", str(prices)]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Price overrides no cost line of this spec uses: aws.ground_station_dubbo_narrowband_minute" in said
    doc = json.loads((out / "compare.json").read_text())
    used = {p["priceId"]: p["used"] for p in doc["prices"]}
    assert (used["aws.ground_station_dubbo_narrowband_minute"], used["aws.ground_station_narrowband_minute"]) == (
        False,
        True,
    )


@pytest.mark.parametrize(
    ("price_id", "where"),
    [
        # a partner mission's decision prices AWS Ground Station reserved against the partner
        ("ground_station_reserved_narrowband_minute", "decision"),
        # a zone mission's storage choice prices its geo alternative at S3's replication rate
        ("s3_inter_region_transfer_gb", "choices"),
    ],
)
def test_an_override_only_the_decision_or_the_choices_price_is_used_and_sourced(
    tmp_path, monkeypatch, capsys, price_id, where
):
    """An override no cost line of the spec prices, but the report's decision or choices do, moved
    their figures while the report called it unused and left its source and date out."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec="partner.yaml"))
    prices = tmp_path / "prices.yaml"
    prices.write_text(f"aws:\n  {price_id}: {{price: 3.5, source: contract GS-2026-17, date: 2026-06-01}}\n")
    out = tmp_path / "out"
    assert main(["compare", str(SPECS / "partner.yaml"), "--out", str(out), "--prices", str(prices)]) == 0
    assert "Price overrides no cost line" not in capsys.readouterr().out
    sources = (out / "report.md").read_text().split("## Price sources and dates")[1].split("\n## ")[0]
    assert f"`aws.{price_id}` | $3.50" in sources and "contract GS-2026-17" in sources
    assert "no cost line of this spec uses" not in sources
    doc = json.loads((out / "compare.json").read_text())
    assert next(p for p in doc["prices"] if p["priceId"] == f"aws.{price_id}")["used"] is True
    assert price_id not in {x["priceId"] for x in doc["cost"]["clouds"]["aws"]["lines"]}  # no line of its own
    if where == "decision":
        assert doc["decision"]["groundStationMonthly"]["reserved"] is not None


@pytest.mark.parametrize(("spec", "said"), [("noaa20.yaml", True), ("partner.yaml", False)])
def test_the_synapse_lake_database_made_by_hand_is_said_under_the_parity_matrix(tmp_path, monkeypatch, spec, said):
    """The catalog realized on Azure by a Synapse workspace has no lake database until one is
    made by hand after the first deploy (docs/azure.md); Data Explorer's database is planned."""
    from groundlink.report.sections import SYNAPSE_LAKE_DATABASE_STEP

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=spec))
    run_compare(str(SPECS / spec), tmp_path / "out")
    parity = (tmp_path / "out" / "report.md").read_text().split("## Parity matrix")[1].split("\n## ")[0]
    assert (" ".join(SYNAPSE_LAKE_DATABASE_STEP.split()[:8]) in parity) is said


@pytest.mark.parametrize(
    ("spec", "changes", "unsent"),
    [
        ("noaa20.yaml", {}, ["azure"]),
        ("partner.yaml", {}, ["aws", "azure"]),
        ("aqua-legacy.yaml", {}, ["aws"]),
        # legacy opt-in without the resource provider's object id: no contact profile sends
        ("aqua-legacy.yaml", {"clouds.azure.orbital.resource_provider_object_id": DROP}, ["aws", "azure"]),
    ],
)
def test_a_telemetry_stream_nothing_sends_to_is_said_under_the_parity_matrix(
    tmp_path, monkeypatch, spec, changes, unsent
):
    """The row counted the stream as realized on both clouds, but only AWS Ground Station's
    telemetry sink (a contact it runs) and the retired Azure Orbital's contact profiles, given
    its resource provider's object id, send to it: a partner's contacts, or Azure without them,
    leave a stream billed for nothing."""
    from groundlink.report.sections import unsent_telemetry_line

    path = write_spec(tmp_path, with_changes(spec_data(spec), changes)) if changes else SPECS / spec
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=None))
    run_compare(str(path), tmp_path / "out")
    parity = " ".join(
        (tmp_path / "out" / "report.md").read_text().split("## Parity matrix")[1].split("\n## ")[0].split()
    )
    for cloud in ("aws", "azure"):
        said = " ".join(unsent_telemetry_line(cloud).split()[:6])
        assert (said in parity) is (cloud in unsent), cloud


def test_a_contact_plan_the_orbit_cannot_give_is_in_the_summary_and_on_the_terminal(tmp_path, monkeypatch, capsys):
    """Coverage found it, but only its own section said so: exit 0, "comparable", nothing on
    the terminal, and the cost billed 40 contacts a day that no site can give."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())  # the plans do not depend on the contact count
    data = spec_data("noaa20.yaml")
    data["ground_segment"].update(contacts_per_day=40, contact_minutes=14)
    out = tmp_path / "out"
    assert main(["compare", str(write_spec(tmp_path, data)), "--out", str(out)]) == 0
    warnings = json.loads((out / "compare.json").read_text())["coverage"]["warnings"]
    assert len(warnings) == 3 and warnings[0].startswith("noaa20 on AWS: the spec plans, and the cost estimate bills")
    summary = (out / "report.md").read_text().split("## ")[1]
    assert summary.startswith("Summary") and all(f"- Coverage: {w}" in summary for w in warnings)
    terminal = " ".join(capsys.readouterr().out.split())
    assert terminal.count("coverage warning:") == 3 and " ".join(warnings[0].split()) in terminal


def test_a_processing_run_longer_than_its_timeout_is_said_on_the_terminal(tmp_path, monkeypatch, capsys):
    """The estimate priced 11 s runs of a 3 s function: only the report's assumptions said every
    run would be stopped, and the terminal showed a clean comparison."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())  # the cost follows the spec, not the plan
    data = spec_data("noaa20.yaml")
    data["processing"].update(memory_mb=512, timeout_seconds=1)
    out = tmp_path / "out"
    assert main(["compare", str(write_spec(tmp_path, data)), "--out", str(out)]) == 0
    warnings = json.loads((out / "compare.json").read_text())["cost"]["warnings"]
    assert [w.split(":", 1)[0] for w in warnings] == ["aws", "azure"]
    assert all("processing.timeout_seconds (1 s) is shorter than the estimated" in w for w in warnings)
    assert all(f"- **{w}**" in (out / "report.md").read_text() for w in warnings)  # marked, first
    terminal = " ".join(capsys.readouterr().out.split())
    assert terminal.count("cost warning:") == 2 and " ".join(warnings[0].split()) in terminal


GEO_TLE = [
    "1 43013U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9998",
    "2 43013   0.0500  80.0000 0001000   0.0000 162.7452  1.00273791341000",
]


@pytest.mark.parametrize(
    ("tle", "line"),
    [
        (None, "coverage: not estimated for 1 satellite without TLE lines (noaa20; satellites[].tle): "
         "ground_segment.contacts_per_day is not checked against the ground stations"),
        (GEO_TLE, "coverage: noaa20 on AWS and Azure: not estimated: not a low Earth orbit (1.00 rev/day, "
         "eccentricity 0.0001)"),
    ],
)  # fmt: skip
def test_coverage_that_could_not_be_estimated_is_said_on_the_terminal_and_in_the_summary(
    tmp_path, monkeypatch, capsys, tle, line
):
    """Only the coverage table said it: a spec without TLE lines, or a GEO one, compared with
    nothing on the terminal to say that its contacts/day had gone unchecked."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())  # the plans do not depend on the TLE
    data = spec_data("noaa20.yaml")
    if tle is None:
        del data["satellites"][0]["tle"]
    else:
        data["satellites"][0]["tle"] = [tle[0][:68] + _tle_sum(tle[0]), tle[1][:68] + _tle_sum(tle[1])]
    out = tmp_path / "out"
    assert main(["compare", str(write_spec(tmp_path, data)), "--out", str(out)]) == 0
    terminal = [" ".join(x.split()) for x in capsys.readouterr().out.splitlines() if x.startswith("coverage")]
    assert len(terminal) == 1 and terminal[0].startswith(line)
    summary = " ".join((out / "report.md").read_text().split("## ")[1].split()).replace("\\[", "[").replace("\\]", "]")
    assert f"- Coverage: {line.removeprefix('coverage: ')}" in summary  # Markdown escapes the brackets


def test_satellites_not_estimated_for_one_reason_share_one_line():
    """Every status but "needs TLE" had a line per satellite: a spec of 500 GEO satellites
    printed 500 lines on the terminal."""
    from groundlink.report.sections import coverage_not_estimated

    def geo(i: int) -> dict:
        status = (
            f"not estimated: not a low Earth orbit (1.0{i} rev/day, eccentricity 0.0001) (satellites[{i}].tle, geo{i})"
        )
        return {"satellite": f"geo{i}", "clouds": {"aws": {"status": status}, "azure": {"status": status}}}

    lines = coverage_not_estimated({"coverage": {"satellites": [geo(i) for i in range(5)]}})
    assert lines == [
        "5 satellites (geo0, geo1, geo2 and 2 more) on AWS and Azure: not estimated: not a low Earth orbit (the "
        "coverage table gives each one's reason); ground_segment.contacts_per_day is not checked"
    ]
    (one,) = coverage_not_estimated({"coverage": {"satellites": [geo(7)]}})
    assert one == (
        "geo7 on AWS and Azure: not estimated: not a low Earth orbit (1.07 rev/day, eccentricity 0.0001) "
        "(satellites[7].tle, geo7); ground_segment.contacts_per_day is not checked"
    )


def _tle_sum(line: str) -> str:
    return str(sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10)


def test_a_partner_priced_twice_is_one_line_exit_2_before_any_planning(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(plan_runs, "run_plans", lambda *a, **k: pytest.fail("planned although refused"))
    data = spec_data("noaa20.yaml")
    data["ground_segment"] = {"provider": "partner", "partner": {"name": "ksat_lite", "price_per_minute_usd": 3.5}}
    spec = write_spec(tmp_path, data, "partner.yaml")
    prices = tmp_path / "prices.yaml"
    prices.write_text("azure:\n  partner_minute: {price: 12, source: KSAT quote 9, date: 2026-10-02}\n")
    assert main(["compare", str(spec), "--out", str(tmp_path / "out"), "--prices", str(prices)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"the partner network is priced twice (ground_segment.partner.price_per_minute_usd = 3.5, {prices}: "
        "azure.partner_minute = 12): both clouds use one network, so give one price"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["partner.yaml", "prices.yaml"]


@pytest.fixture
def pack_processes(monkeypatch, own_pack_processes):
    """Every process the compare starts (the policy pack's), recorded to check none outlives it."""
    import subprocess

    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(subprocess, "Popen", recording_popen)
    return started


def test_a_failed_plan_stops_the_policy_pack_and_writes_nothing(tmp_path, monkeypatch, capsys, pack_processes):
    """The pack processes start while the plans run; a plan that fails must not leave
    them running or the compare waiting for a plan that never comes."""
    import multiprocessing

    from groundlink.engine import PlanError

    started = pack_processes

    def failing_run_plans(spec_path, clouds, workers=None, on_start=lambda c: None, **_):
        on_start(clouds[0])  # the policy pack starts here
        raise PlanError("the aws plan failed")

    monkeypatch.setattr(plan_runs, "run_plans", failing_run_plans)
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    assert "the aws plan failed" in capsys.readouterr().err
    assert not out.exists()
    assert started, "the policy pack should have started while the plans ran"
    assert all(process.poll() is not None for process in started), "a pack process outlived the compare"
    assert not multiprocessing.active_children()


def test_a_failure_after_the_plans_still_stops_the_policy_pack(tmp_path, monkeypatch, pack_processes):
    """The policy pack analyzes in the background; an error in the analysis that follows
    the plans must not return while its pack processes still run."""
    import groundlink.parity

    started = pack_processes

    def broken_parity(*args, **kwargs):
        raise RuntimeError("parity broke")

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    monkeypatch.setattr(groundlink.parity, "parity", broken_parity)
    with pytest.raises(RuntimeError, match="parity broke"):
        run_compare(NOAA20, tmp_path / "out")
    assert started, "the policy pack should have started while the plans ran"
    assert all(process.poll() is not None for process in started), "a pack process outlived the compare"
    assert not (tmp_path / "out").exists()


# A warm session (a benchmark, a long-lived caller) reuses the policy pack processes and plan
# workers across runs, and stops every one of them when it ends.


def test_checks_in_a_warm_session_reuse_the_pack_and_it_stops_at_the_end(pack_processes):
    plan = cached_plan("noaa20.yaml", "azure")
    with keep_packs_warm() as packs:
        first = check_plans([plan])
        second = check_plans([plan])
        assert len(pack_processes) == 1, "the second check should reuse the running pack process"
        assert pack_processes[0].poll() is None
        assert packs.pids() == {pack_processes[0].pid}
    assert packs.pids() == set()
    assert first.passed and second.passed
    assert [len(c.violations) for c in first.clouds] == [len(c.violations) for c in second.clouds]
    assert pack_processes[0].poll() is not None, "the pack process outlived the warm session"


def test_a_warm_pack_that_died_is_started_again_not_dialled(pack_processes):
    """A warm session's pack killed between two checks (the OOM killer, a stray kill) was
    handed out again, and the next check failed on a dead channel."""
    plan = cached_plan("noaa20.yaml", "azure")
    with keep_packs_warm() as packs:
        first = check_plans([plan])
        pack_processes[0].kill()
        pack_processes[0].wait()
        second = check_plans([plan])
        assert len(pack_processes) == 2 and packs.pids() == {pack_processes[1].pid}
    assert first.passed and second.passed


def test_a_warm_pack_serves_variants_of_one_stack_each_configured_with_its_own_stack_config(
    pack_processes, monkeypatch, tmp_path
):
    """Warm packs are kept per stack, not per stack config: a check of another spec of the same
    mission reuses the running process, and the pack is told that check's config (its spec path)
    over ConfigureStack, as compare's one process for both stacks is; the findings are the
    variant's own (customer-managed keys off: the key rules fire)."""
    from groundlink.check import host

    sent: list[dict[str, str]] = []
    connect = host.PackProcess.connect

    def recording(self, timeout=None):
        stub = connect(self, timeout)
        if not getattr(stub, "_recorded", False):
            configure = stub.ConfigureStack

            def configure_stack(request, *args, **kwargs):
                sent.append(dict(request.config))
                return configure(request, *args, **kwargs)

            stub.ConfigureStack, stub._recorded = configure_stack, True
        return stub

    monkeypatch.setattr(host.PackProcess, "connect", recording)
    data = spec_data("noaa20.yaml")
    data["security"]["customer_managed_keys"] = False
    variant = write_spec(tmp_path, data, "keys-off.yaml")
    base, keys_off = cached_plan("noaa20.yaml", "azure"), cached_plan(variant, "azure")
    assert base.stack == keys_off.stack
    with keep_packs_warm():
        first, second = check_plans([base]), check_plans([keys_off])
        assert len(pack_processes) == 1, "the variant's check should reuse the stack's pack process"
    assert [c["groundlink:spec"] for c in sent] == [str((SPECS / "noaa20.yaml").resolve()), str(variant.resolve())]
    assert first.passed and not second.passed
    assert {v.policy for v in second.clouds[0].mandatory} - {v.policy for v in first.clouds[0].violations}


def test_checks_outside_a_session_start_and_stop_their_own_pack(pack_processes):
    check_plans([cached_plan("noaa20.yaml", "azure")])
    assert len(pack_processes) == 1 and pack_processes[0].poll() is not None


def _broken_runs():
    """Plans with a finding on each cloud: an AWS bucket without its public access block, an Azure
    storage account that allows public blob access."""
    plans = {cloud: plan_runs.Plan.from_json(cached_plan("noaa20.yaml", cloud).to_json()) for cloud in CLOUDS}
    plans["aws"].resources = [
        r for r in plans["aws"].resources if r.type != "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
    ]
    (account, *_) = plans["azure"].of_type("azure-native:storage:StorageAccount")
    account.inputs["allowBlobPublicAccess"] = True

    def run_plans(spec_path, clouds, workers=None, on_start=lambda c: None, on_plan=lambda c, r: None, **_):
        runs = {}
        for cloud in clouds:
            on_start(cloud)
            runs[cloud] = plan_runs.PlanRun(plans[cloud], 0.1)
            on_plan(cloud, runs[cloud])
        return runs

    return plans, run_plans


def test_compare_analyzes_both_stacks_in_one_pack_process_with_the_findings_of_check(
    tmp_path, monkeypatch, pack_processes
):
    plans, run_plans = _broken_runs()
    monkeypatch.setattr(plan_runs, "run_plans", run_plans)
    doc = run_compare(NOAA20, tmp_path / "out").document
    assert len(pack_processes) == 1 and pack_processes[0].poll() is not None
    checked = {c.cloud: c for c in check_plans([plans[cloud] for cloud in CLOUDS]).clouds}
    assert len(pack_processes) == 1 + len(CLOUDS)  # check: one process per stack, as the CLI runs it
    for cloud in CLOUDS:
        found = [(f["policy"], f["resource"], f["message"]) for f in doc["policy"]["clouds"][cloud]["findings"]]
        expected = [(v.policy, v.resource_name or v.urn, v.message) for v in checked[cloud].violations]
        assert found == expected and found, cloud


def test_the_pack_reads_no_stack_from_the_pulumi_runtime():
    """What lets one pack process analyze both stacks: its rules see a stack only through the
    Analyzer calls, never through the process's Pulumi runtime settings."""
    import ast
    from pathlib import Path

    modules = sorted((Path(__file__).resolve().parents[1] / "policies").glob("*.py"))
    assert len(modules) > 5
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not [n for n in names if n == "pulumi" or n.startswith("pulumi.")], module.name


def test_a_link_to_an_earlier_report_is_followed_and_stays_a_link(tmp_path, monkeypatch):
    """`--out latest` where latest links to an earlier report: the report it names is replaced,
    and the link still names it (renamed over, the link itself became the new report)."""
    from groundlink.app.compare import REPORT_MARKER

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    earlier = tmp_path / "reports" / "2026-12-01"
    earlier.mkdir(parents=True)
    (earlier / "report.md").write_text("the earlier report")
    (earlier / REPORT_MARKER).write_text(json.dumps({"files": ["report.md"]}))
    latest = tmp_path / "latest"
    latest.symlink_to(earlier)
    run_compare(NOAA20, latest)
    assert latest.is_symlink() and latest.resolve() == earlier.resolve()
    assert (earlier / "report.md").read_text().startswith("# groundlink compare")
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["2026-12-01"]


@pytest.mark.parametrize("out", [".", ".."])
def test_out_holding_the_current_directory_is_refused_before_planning(tmp_path, monkeypatch, capsys, out):
    """The report replaces DIR whole: renaming "." failed after the plans (EBUSY), and replacing
    the directory the shell stands in would leave it in a deleted one."""

    def refuse(*args, **kwargs):
        raise AssertionError("planned although --out was refused")

    monkeypatch.setattr(plan_runs, "run_plans", refuse)
    here = tmp_path / "reports" / "today"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    assert main(["compare", NOAA20, "--out", out]) == 2
    assert capsys.readouterr().err == (
        f"groundlink: --out {out}: holds the current directory, and the report replaces DIR whole; "
        "choose another directory\n"
    )
    assert list(here.iterdir()) == []


def test_the_report_judges_a_keys_off_mission_with_the_pack_config_check_takes(tmp_path, monkeypatch, capsys):
    """docs/policies.md gives keys-off missions a pack config; `check` passed with it, while
    compare, which had no way to take it, reported a dozen mandatory violations."""
    from .conftest import with_changes

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=None))
    spec = write_spec(tmp_path, with_changes(spec_data(), {"security.customer_managed_keys": False}))
    config = SPECS.parent / "policies" / "customer-managed-keys-off.config.json"
    for cloud in CLOUDS:  # planned before the compare's policy thread starts importing the SDK
        cached_plan(spec, cloud)

    assert main(["compare", str(spec), "--out", str(tmp_path / "plain")]) == 0
    plain = json.loads((tmp_path / "plain" / "compare.json").read_text())["policy"]
    assert plain["available"] and "mandatory violation(s)" in plain["summary"]

    assert main(["compare", str(spec), "--out", str(tmp_path / "out"), "--policy-pack-config", str(config)]) == 0
    policy = json.loads((tmp_path / "out" / "compare.json").read_text())["policy"]
    assert policy["summary"].endswith(f", configured by {config}): passed.")
    assert all(c["violations"] == 0 for c in policy["clouds"].values())
    assert policy["summary"] in (tmp_path / "out" / "report.md").read_text()


def test_a_pack_config_given_as_a_pipe_is_read_once(tmp_path, monkeypatch, capsys):
    """`--policy-pack-config <(...)`: compare read the file to check it, then the policy thread
    read it again, found the pipe empty, and refused a good config after planning both clouds."""
    import os

    from .conftest import with_changes

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=None))
    spec = write_spec(tmp_path, with_changes(spec_data(), {"security.customer_managed_keys": False}))
    for cloud in CLOUDS:  # planned before the compare's policy thread starts importing the SDK
        cached_plan(spec, cloud)
    config = (SPECS.parent / "policies" / "customer-managed-keys-off.config.json").read_bytes()
    reading, writing = os.pipe()
    os.write(writing, config)
    os.close(writing)
    try:
        piped = f"/dev/fd/{reading}"
        assert main(["compare", str(spec), "--out", str(tmp_path / "out"), "--policy-pack-config", piped]) == 0
    finally:
        os.close(reading)
    policy = json.loads((tmp_path / "out" / "compare.json").read_text())["policy"]
    assert policy["summary"].endswith(f", configured by {piped}): passed.")


def test_a_pack_config_the_pack_refuses_is_exit_2_and_nothing_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=None))
    config = tmp_path / "pack.json"
    config.write_text(json.dumps({"allowed-regions": {"allowedAzureLocations": "eastus"}}))
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out), "--policy-pack-config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "allowed-regions.allowedAzureLocations" in err and "Traceback" not in err
    assert not out.exists()
    config.write_text("")
    assert main(["compare", NOAA20, "--out", str(out), "--policy-pack-config", str(config)]) == 2
    assert "policy pack config is empty" in capsys.readouterr().err
    assert not out.exists()


def test_what_a_compare_killed_outright_left_beside_the_report_is_named_and_kept(tmp_path, monkeypatch, capsys):
    """A compare killed outright cannot remove its hidden directories: the next one names them
    (one may hold the report that compare was replacing), and deletes neither: it may be a
    compare still running."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    (tmp_path / ".out.old-1a2b3c4d5e" / "out").mkdir(parents=True)
    (tmp_path / ".out.tmp-5e4d3c2b1a").mkdir()
    assert main(["compare", NOAA20, "--out", str(out)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "stopped outright" in line]
    assert notes == [
        f"groundlink: {tmp_path / '.out.old-1a2b3c4d5e'} was left by a compare that was stopped outright: the "
        f"report it was replacing; delete it unless a compare into {out} is still running",
        f"groundlink: {tmp_path / '.out.tmp-5e4d3c2b1a'} was left by a compare that was stopped outright: a "
        f"half-written report; delete it unless a compare into {out} is still running",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.old-1a2b3c4d5e", ".out.tmp-5e4d3c2b1a", "out"]


def test_paths_holding_control_characters_reach_the_terminal_as_their_escapes(tmp_path, monkeypatch, capsys):
    """An ESC and a newline in --out, in --policy-pack-config and in a leftover beside --out were
    printed raw by the verdict, the policy line and the leftover note: a colour switched on, one
    line printed as two. Every other message of the command shows them escaped."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    weird = "o\x1b[35m\nY"
    out = tmp_path / weird
    (tmp_path / f".{weird}.tmp-5e4d3c2b1a").mkdir()
    config = tmp_path / f"cfg{weird}.json"
    config.write_text((ROOT / "policies" / "legacy-orbital.config.json").read_text())
    assert main(["compare", NOAA20, "--out", str(out), "--policy-pack-config", str(config)]) == 0
    said = capsys.readouterr()
    assert "\x1b" not in said.out + said.err
    flat = said.out.replace("\n", "")  # the console folds long lines
    assert f"report written to {tmp_path}/o\\x1b[35m\\nY (report.html" in flat
    assert f"configured by {tmp_path}/cfgo\\x1b[35m\\nY.json" in flat
    (note,) = [line for line in said.err.splitlines() if "stopped outright" in line]
    assert note.startswith(f"groundlink: {tmp_path}/.o\\x1b[35m\\nY.tmp-5e4d3c2b1a was left by a compare")


def test_a_compare_leaves_nothing_of_its_own_beside_the_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    for _ in range(2):  # a report, then its replacement
        assert main(["compare", NOAA20, "--out", str(out)]) == 0
    assert "stopped outright" not in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_spec_prices_and_old_named_in_bytes_not_utf8_are_shown_as_u_fffd(tmp_path, monkeypatch, capsysbinary):
    """A file name that is not UTF-8 reaches Python as lone surrogates: compare planned, then ended
    in a traceback writing report.md (exit 1), and the pack could not be configured; a plan's JSON
    held a lone surrogate no strict reader takes. Each undecodable byte is shown as U+FFFD."""
    import os

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec="partner.yaml"))
    monkeypatch.chdir(tmp_path)
    spec, prices = os.fsdecode(b"bad\xffname.yaml"), os.fsdecode(b"pr\xff.yaml")
    (tmp_path / spec).write_bytes((SPECS / "partner.yaml").read_bytes())
    (tmp_path / prices).write_text("azure:\n  partner_minute: {price: 12, source: KSAT quote 9, date: 2026-10-02}\n")
    assert main(["compare", spec, "--out", "out", "--prices", prices, "--against", spec]) == 0
    out = capsysbinary.readouterr().out  # a terminal gets the name's own bytes back, as `ls` prints them
    assert b"bad\xffname.yaml" in out and b"policy results not available" not in out
    doc = json.loads((tmp_path / "out" / "compare.json").read_text(encoding="utf-8"))
    assert (doc["spec"], doc["pricesFile"], doc["diff"]["against"]) == (
        "bad\ufffdname.yaml",
        "pr\ufffd.yaml",
        "bad\ufffdname.yaml",
    )
    assert "bad\ufffdname.yaml" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert doc["policy"]["available"] is True
    assert main(["plan", spec, "--cloud", "aws", "--json", "plan.json"]) == 0
    assert json.loads((tmp_path / "plan.json").read_bytes().decode("utf-8", "strict"))["spec"] == "bad\ufffdname.yaml"
    # and every other JSON a command writes: check's --json, diff's --json on stdout
    assert main(["check", spec, "--cloud", "aws", "--json", "check.json", "--against", spec]) == 0
    checked = json.loads((tmp_path / "check.json").read_text(encoding="utf-8"))
    assert checked["spec"] == checked["diff"]["against"] == "bad\ufffdname.yaml"
    capsysbinary.readouterr()
    assert main(["diff", spec, spec, "--cloud", "aws", "--json"]) == 0
    (diffed,) = json.loads(capsysbinary.readouterr().out.decode("utf-8", "strict"))
    assert diffed["old"] == diffed["new"] == "bad\ufffdname.yaml"


def test_an_emoji_code_in_a_path_is_printed_as_written(tmp_path, monkeypatch, capsys):
    """rich turned `:fire:` in --out into an emoji on the verdict line, which then named no
    directory that was written; markup was already escaped, emoji codes were not."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "o :fire: :+1:"
    assert main(["compare", NOAA20, "--out", str(out)]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    assert f"report written to {out} (report.html, report.md, compare.json)" in printed
    assert "🔥" not in printed and "👍" not in printed


def test_a_report_another_compare_is_still_writing_is_not_called_a_leftover(tmp_path, monkeypatch, capsys):
    """A compare beside another into the same --out called the other's report, while it was being
    written, "left by a compare that was stopped outright": the writer holds its directory locked."""
    from groundlink.outputs import held

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "out"
    writing = tmp_path / ".out.tmp-5e4d3c2b1a"
    writing.mkdir()
    with held(writing):
        assert main(["compare", NOAA20, "--out", str(out)]) == 0
        assert "stopped outright" not in capsys.readouterr().err
    assert main(["compare", NOAA20, "--out", str(out)]) == 0  # its writer gone (a kill): named
    assert "half-written report" in capsys.readouterr().err


def test_the_report_counts_a_cloud_s_mandatory_violations_and_its_advisories_apart(monkeypatch):
    """The comparison's policy results per cloud: `violations` (mandatory, which fail `groundlink
    check`) and `advisories` (only printed) are counted apart; the advisories counted every
    finding, the mandatory one too, and a clean-looking stack read as having one more advisory."""
    from groundlink import check
    from groundlink.app.policy_results import policy_results_as_planned

    from .conftest import violation

    found = [violation("rule-a"), violation("rule-b", "mandatory"), violation("rule-c")]
    pack = {"name": "groundlink", "version": "1.2.3", "policies": 3}
    result = check.CheckResult("noaa20.yaml", pack, [check.CloudCheck("aws", "noaa20-aws", 3, found, 1.0, 2.0)])
    monkeypatch.setattr(check, "check_as_planned", lambda *args, **kwargs: result)
    doc = policy_results_as_planned("noaa20.yaml", ("aws",), lambda cloud: None)
    aws = doc["clouds"]["aws"]
    assert (aws["violations"], aws["advisories"]) == (1, 2)
    assert [(f["level"], f["policy"], f["resource"]) for f in aws["findings"]] == [
        ("advisory", "rule-a", "bucket"),
        ("mandatory", "rule-b", "bucket"),
        ("advisory", "rule-c", "bucket"),
    ]
    assert doc["summary"] == (
        "Policy pack groundlink 1.2.3 (3 policies, run offline over the Analyzer protocol): 1 mandatory violation(s)."
    )


def test_an_empty_directory_is_taken_as_out(tmp_path, monkeypatch):
    """`mkdir report && groundlink compare SPEC --out report`: an empty directory holds nothing to
    lose, and was refused as "not empty and not an earlier groundlink report"."""
    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    out = tmp_path / "report"
    out.mkdir()
    assert main(["compare", NOAA20, "--out", str(out)]) == 0
    assert json.loads((out / "compare.json").read_text())["ok"] is True


def test_a_refused_data_loss_against_old_exits_1_with_the_report_written(tmp_path, monkeypatch, capsys):
    """compare --against OLD with a data loss not allowed: the report is written and the command
    exits 1 though parity passes (exit 0 let a pipeline apply the spec)."""
    from .conftest import spec_file

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs(spec=None))
    spec = str(spec_file(with_changes(spec_data(), {"storage.raw_retention_days": 200})))
    out = tmp_path / "out"
    assert main(["compare", spec, "--out", str(out), "--against", NOAA20]) == 1
    doc = json.loads((out / "compare.json").read_text())
    assert doc["ok"] is True and doc["diff"]["refused"] is True
    assert "groundlink: refusing data loss" in capsys.readouterr().err
    assert main(["compare", spec, "--out", str(out), "--against", NOAA20, "--allow-data-loss"]) == 0


def test_a_change_the_cloud_rejects_is_refused_in_the_report_whatever_allow_data_loss_says(
    tmp_path, monkeypatch, capsys
):
    """A change Azure refuses at pulumi up (a network range moved under a subnet in use) loses no
    data, and --allow-data-loss does not accept it: compare.json said `refused: false` while the
    command exited 1."""
    from .conftest import variant_plan

    monkeypatch.setattr(plan_runs, "run_plans", _fake_runs())
    old = tmp_path / "deployed-azure.json"
    variant_plan("azure", {"clouds.azure.network_cidr": "10.99.0.0/24"}).write(old)
    out = tmp_path / "out"
    assert main(["compare", NOAA20, "--out", str(out), "--against", str(old), "--allow-data-loss"]) == 1
    diff = json.loads((out / "compare.json").read_text())["diff"]
    assert (diff["refused"], diff["dataLoss"], diff["notCompared"]) == (True, [], ["aws"])
    assert len(diff["unappliable"]) == 2
    assert "groundlink: refusing a change the cloud rejects at pulumi up" in capsys.readouterr().err
