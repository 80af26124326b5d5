"""Guards for what the reports and the terminal say: a budget just over or under, a parity cell
of 8 or 9 resources, the retentions a diff lowers, the order of a check's fixes and a cloud
failed by its preflight findings alone."""

from __future__ import annotations

import dataclasses
import io

import pytest
from rich.console import Console

from groundlink.app.parallel_plans import PlanRun
from groundlink.app.policy_results import unavailable
from groundlink.blueprint import build_blueprint
from groundlink.check.runner import CheckResult, CloudCheck
from groundlink.clouds import CLOUDS
from groundlink.cost import estimate, load_catalogs
from groundlink.coverage import coverage_report
from groundlink.diff.changes import Change, Diff, PropertyChange
from groundlink.diff.run import data_loss_lines
from groundlink.parity import parity
from groundlink.report import check_console
from groundlink.report.document import build_document, cost_json
from groundlink.report.sections import sections
from groundlink.spec import load_spec

from .conftest import SPECS, cached_plan, violation


@pytest.fixture(scope="module")
def built():
    path = SPECS / "noaa20.yaml"
    spec = load_spec(path)
    blueprint = build_blueprint(spec)
    catalogs, assumptions = load_catalogs()
    plans = {cloud: cached_plan("noaa20.yaml", cloud) for cloud in CLOUDS}
    cost = estimate(blueprint, catalogs, assumptions, plans)
    doc = build_document(
        spec_path=str(path),
        blueprint=blueprint,
        runs={cloud: PlanRun(plan, 0.5) for cloud, plan in plans.items()},
        matrix=parity(blueprint, plans),
        estimate=cost,
        policy=unavailable("not run in this test"),
        coverage=coverage_report(blueprint),
        prices_file=None,
        generated_at="2026-12-02T00:00:00Z",
    )
    return spec, cost, doc


# -- budget ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_month_a_cent_over_the_budget_is_over_it_and_a_cent_under_is_not(built, cloud):
    spec, cost, _ = built
    known = cost.clouds[cloud].monthly.known
    assert known > 1  # a month that costs something: a cent either side is a real budget
    over = cost_json(cost, known - 0.01, spec)["clouds"][cloud]
    under = cost_json(cost, known + 0.01, spec)["clouds"][cloud]
    exactly = cost_json(cost, known, spec)["clouds"][cloud]
    assert (over["overBudget"], under["overBudget"], exactly["overBudget"]) == (True, False, False)


def test_the_summary_says_over_budget_for_the_cloud_past_it(built):
    spec, cost, doc = built
    known = {c: cost.clouds[c].monthly.known for c in CLOUDS}
    cheap, dear = sorted(CLOUDS, key=known.get)
    budget = (known[cheap] + known[dear]) / 2  # between the two clouds' months
    edited = {**doc, "cost": cost_json(cost, budget, spec)}
    [summary] = [s for s in sections(edited) if s.title == "Summary"]
    [row] = [r for r in summary.table.rows if r[0].text.startswith("Budget ")]
    texts = dict(zip(list(doc["clouds"]), [cell.text for cell in row[1:]], strict=True))
    assert texts[dear] == "over budget"
    assert texts[cheap] in ("within budget", "known part within budget")


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_budget_a_31_day_month_may_cross_is_said_with_that_month_s_bound(built, cloud):
    """The stacks' budgets judge calendar months: a month of 31 days has 744 hours and 31 days of
    contacts against the average month's 730 and 30.42, so a budget between the average month's
    cost and 744/730 of it is crossed in seven months of twelve. Just under that bound it still
    may be; at it, it may not."""
    spec, cost, doc = built
    known = cost.clouds[cloud].monthly.known
    # each line at 744/730 of its quantity (31 x 24 hours against the 730 of an average month),
    # its free monthly allowance taken off once, as the bill takes it
    bound = 0.0
    for line in cost_json(cost, 0, spec)["clouds"][cloud]["lines"]:
        if line["price"] is not None:
            bound += max(line["quantity"] * 744 / 730 - line["freePerMonth"], 0) / line["per"] * line["price"]
    assert bound >= known * 744 / 730 - 1e-6
    between = cost_json(cost, (known + bound) / 2, spec)["clouds"][cloud]
    assert between["longestMonth"] == {"days": 31, "knownAtMost": pytest.approx(bound), "mayExceedBudget": True}
    assert between["overBudget"] is False
    assert cost_json(cost, bound + 0.01, spec)["clouds"][cloud]["longestMonth"]["mayExceedBudget"] is False
    assert cost_json(cost, known - 0.01, spec)["clouds"][cloud]["longestMonth"]["mayExceedBudget"] is False
    edited = {**doc, "cost": cost_json(cost, (known + bound) / 2, spec)}
    [summary] = [s for s in sections(edited) if s.title == "Summary"]
    [row] = [r for r in summary.table.rows if r[0].text.startswith("Budget ")]
    text = dict(zip(list(doc["clouds"]), [cell.text for cell in row[1:]], strict=True))[cloud]
    verdict = "within budget" if cost.clouds[cloud].monthly.complete else "known part within budget"
    assert text == f"{verdict} on average, up to ${bound:,.2f} in a 31-day month"


def test_a_free_allowance_is_taken_off_a_31_day_month_once():
    """SQS: the first 1,000,000 requests a month are free, then $0.40 a million. 3,000,000 in the
    average month cost (3 - 1) x 0.40 = $0.80; a 31-day month has 3,000,000 x 744/730 =
    3,057,534.25 of them, which cost 2.05753425 x 0.40 = $0.8230137, more than the average month's
    $0.80 x 744/730 = $0.8153425 that scaling the total would give."""
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import Line
    from groundlink.report.document import _longest_month

    entry = load_catalogs()[0]["aws"].prices["sqs_requests"]
    assert (entry.free_per_month, entry.per, entry.price) == (1_000_000, 1_000_000, 0.4)
    line = Line("events", "SQS requests", 3_000_000, "sqs_requests", entry)
    month = _longest_month([line], 0.80, 0.82)
    assert month["knownAtMost"] == pytest.approx(0.8230137, abs=1e-6)  # kept to the micro-dollar
    assert month["mayExceedBudget"] is True  # $0.82 is within the average month, not the 31-day one


def test_an_allowance_split_between_two_lines_is_taken_off_a_31_day_month_once():
    """KMS: 20,000 requests a month free, then $0.03 per 10,000. The model gives a geo stack's
    replication requests (29,200) what the mission's own (14,600) leave of the allowance in the
    average month (5,400). A 31-day month has 43,800 x 744/730 = 44,640 requests in all, of which
    24,640 are billed: 2.464 x $0.03 = $0.07392. Scaling each line with its own allowance gave
    $0.07308, under that bill."""
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import Line, _after_line
    from groundlink.report.document import _longest_month

    entry = load_catalogs()[0]["aws"].prices["kms_requests"]
    assert (entry.free_per_month, entry.per, entry.price) == (20_000, 10_000, 0.03)
    lines = [
        Line("security", "KMS requests", 14_600, "kms_requests", entry),
        Line("storage", "S3 replication: KMS requests", 29_200, "kms_requests", _after_line(entry, 14_600)),
    ]
    assert _longest_month(lines, 0.0714, 1.0)["knownAtMost"] == pytest.approx(0.07392, abs=1e-6)
    # the lines in the other order (an estimate listed by another key): the same bill, the whole
    # allowance taken from whichever line holds it
    assert _longest_month(lines[::-1], 0.0714, 1.0)["knownAtMost"] == pytest.approx(0.07392, abs=1e-6)


# -- parity cells ---------------------------------------------------------------------------


def _parity_cell(doc: dict, count: int) -> str:
    row = next(r for r in doc["parity"]["rows"] if r["clouds"]["aws"]["status"] == "realized")
    listed = [{**row["clouds"]["aws"]["resources"][0], "name": f"res-{i}"} for i in range(1, count + 1)]
    rows = [
        {**r, "clouds": {**r["clouds"], "aws": {**r["clouds"]["aws"], "resources": listed}}} if r is row else r
        for r in doc["parity"]["rows"]
    ]
    [section] = [s for s in sections({**doc, "parity": {**doc["parity"], "rows": rows}}) if s.title == "Parity matrix"]
    [cell] = [line[2].text for line in section.table.rows if line[0].text.startswith(f"{row['capability']}:")]
    return cell


def test_a_parity_cell_names_8_resources_in_full(built):
    _, _, doc = built
    assert _parity_cell(doc, 8) == "res-1, res-2, res-3, res-4, res-5, res-6, res-7, res-8"


def test_a_parity_cell_of_9_resources_names_8_and_counts_1_more(built):
    _, _, doc = built
    assert _parity_cell(doc, 9) == "res-1, res-2, res-3, res-4, res-5, res-6, res-7, res-8 and 1 more (compare.json)"
    assert _parity_cell(doc, 20).endswith("res-8 and 12 more (compare.json)")


# -- retentions lowered ---------------------------------------------------------------------


def _lowered(count: int) -> list[str]:
    days = [PropertyChange(f"rules[{i}].expiration.days", "~", 365, 30 + i) for i in range(count)]
    change = Change(
        "update", "k", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "raw", True, tuple(days)
    )
    return data_loss_lines([Diff("aws", "old", "new", (change,), 0)])


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (2, "rules[0].expiration.days: 365 => 30, rules[1].expiration.days: 365 => 31"),
        (
            3,
            "rules[0].expiration.days: 365 => 30, rules[1].expiration.days: 365 => 31, "
            "rules[2].expiration.days: 365 => 32",
        ),
        (
            4,
            "rules[0].expiration.days: 365 => 30, rules[1].expiration.days: 365 => 31, "
            "rules[2].expiration.days: 365 => 32 and 1 more",
        ),
    ],
)
def test_the_data_loss_line_names_up_to_3_lowered_retentions(count, shown):
    assert _lowered(count) == [
        f"aws: aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration raw would delete data sooner ({shown})"
    ]


# -- check console --------------------------------------------------------------------------


def _console(result: CheckResult) -> list[str]:
    console = Console(file=io.StringIO(), record=True, width=400, color_system=None)
    check_console.render(result, console)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_the_check_lists_each_policys_fix_once_in_name_order():
    violations = [violation("zeta-rule"), violation("alpha-rule"), violation("mid-rule"), violation("zeta-rule")]
    cloud = CloudCheck("aws", "dev", 12, violations, 0.1, 0.2)
    lines = _console(CheckResult("spec.yaml", {"name": "pack", "version": "1", "policies": 3}, [cloud]))
    fixes = [line for line in lines if line.startswith(("alpha-rule", "mid-rule", "zeta-rule"))]
    assert fixes == [
        "alpha-rule (alpha-rule-control): fix alpha-rule",
        "mid-rule (mid-rule-control): fix mid-rule",
        "zeta-rule (zeta-rule-control): fix zeta-rule",
    ]


def test_a_cloud_with_preflight_findings_alone_fails_and_says_how_many():
    refused = CloudCheck("azure", "dev", 40, [], 0.1, 0.2, preflight=["one refusal", "another [bold]refusal[/]"])
    clean = CloudCheck("aws", "dev", 30, [violation("alpha-rule")], 0.1, 0.2)
    lines = _console(CheckResult("spec.yaml", {"name": "pack", "version": "1", "policies": 3}, [refused, clean]))
    [azure] = [line for line in lines if line.startswith("azure (dev)")]
    [aws] = [line for line in lines if line.startswith("aws (dev)")]
    assert azure.startswith("azure (dev): 40 resources, 0 violations: FAIL (2 preflight)")
    assert aws.startswith("aws (dev): 30 resources, 1 violation: pass")
    # each finding on its own line, as written (brackets in it are no markup), after its prefix
    assert [line for line in lines if line.startswith("preflight azure: ")] == [
        "preflight azure: one refusal",
        "preflight azure: another [bold]refusal[/]",
    ]


def test_the_plans_warnings_are_printed_each_after_its_cloud_as_written():
    """`check` was the one command that did not say what the plan warned of, such as a spec tag
    left off a resource that takes fewer: the tags-required violation that follows read as if
    the tag were not in the spec."""
    aws = CloudCheck("aws", "dev", 3, [], 0.1, 0.2, warnings=["mission.tags: an S3 object takes at most [10] tags"])
    azure = CloudCheck("azure", "dev", 4, [], 0.1, 0.2, warnings=["one", "two"])
    lines = _console(CheckResult("spec.yaml", {"name": "pack", "version": "1", "policies": 3}, [aws, azure]))
    assert [line for line in lines if line.startswith("warning ")] == [
        "warning aws: mission.tags: an S3 object takes at most [10] tags",
        "warning azure: one",
        "warning azure: two",
    ]
    assert lines[-2].startswith("aws (dev): 3 resources, 0 violations: pass")  # a warning fails nothing


def test_brackets_in_a_violation_its_fix_and_the_spec_path_are_printed_as_written():
    """A message quoting a value (`[0.0.0.0/0]`), a fix naming a list, a spec in a `[draft]`
    folder: rich took each for markup and dropped it."""
    bracketed = dataclasses.replace(violation("open-rule"), message="allows [0.0.0.0/0]", remediation="set [cidrs]")
    cloud = CloudCheck("aws", "dev", 1, [bracketed], 0.1, 0.2)
    text = "\n".join(_console(CheckResult("[draft]/spec.yaml", {"name": "p", "version": "1", "policies": 1}, [cloud])))
    assert "allows [0.0.0.0/0]" in text and "open-rule (open-rule-control): set [cidrs]" in text
    assert "on [draft]/spec.yaml" in text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (9.855 + 21.9 + 73, "$104.76"),  # stored just under 104.755
        (9.855, "$9.86"),
        (12213.805, "$12,213.81"),
        (0.00125, "$0.0013"),  # under a cent: four places, half up too
        (1e-7, "<$0.0001"),  # a cost under what four places show is no $0.0000
        (0.000049, "<$0.0001"),
        (0.00005, "$0.0001"),
        (0.0, "$0.00"),
        (None, "unknown"),
    ],
)
def test_money_is_rounded_half_up_from_its_decimal_figure(value, shown):
    from groundlink.report.number_format import usd

    assert usd(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1324.35, "1,324.4"),  # stored just under 1324.35: it showed 1,324.3
        (2.675, "2.68"),  # stored just under 2.675
        (12.5, "12.50"),
        (0.0001235, "0.000124"),  # three significant digits under 1, half up too
        (1e-9, "0.000000001"),  # never in scientific notation
        (7.0, "7"),
        (None, "—"),
        # whole at the places shown: a sum of floats read "9,125.0" beside exact counts read "2,555"
        (9125.000000000002, "9,125"),
        (9125.06, "9,125.1"),
        (5.001, "5"),
    ],
)
def test_quantities_are_rounded_half_up_as_money_is(value, shown):
    from groundlink.report.number_format import num

    assert num(value) == shown


@pytest.mark.parametrize(("value", "shown"), [(4380.0, "4,380"), (91.25, "91.3"), (91.0, "91"), (0.04, "0")])
def test_a_count_of_contacts_is_shown_whole_when_it_is_whole(value, shown):
    from groundlink.rounding import count_figure

    assert count_figure(value) == shown


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0, "0%"),
        (0.25, "25%"),
        (0.125, "12.5%"),
        (0.0004, "0.04%"),
        (0.9996, "99.96%"),
        (1e-12, "0.0000000001%"),
        (0.999999999999, "99.9999999999%"),
        (1, "100%"),
    ],
)
def test_a_share_above_nothing_or_short_of_all_is_never_shown_as_either(share, shown):
    """A Dubbo 1 share of 0.0004 priced a line whose basis said "0% of the minutes"."""
    from groundlink.rounding import percent

    assert percent(share) == shown


def test_a_table_column_rounds_half_up_at_its_precision():
    from groundlink.report.number_format import fixed

    assert [fixed(v, 2) for v in (1.005, 2.675, 0.125)] == ["1.01", "2.68", "0.13"]
    assert fixed(1324.35, 1) == "1,324.4" and fixed(None, 1) == "—"


def test_sentences_round_amounts_and_figures_half_up_as_the_tables_do():
    """The decision sentence, the cost bases and the coverage warnings write their figures
    through groundlink.rounding: $2.675 a minute is $2.68 there as in the tables."""
    from groundlink.rounding import dollars, figure

    assert [dollars(v) for v in (2.675, 1.005, 12213.805, 0.125)] == ["$2.68", "$1.01", "$12,213.81", "$0.13"]
    assert [figure(v, 1) for v in (91.25, 1324.35, 0.25)] == ["91.3", "1,324.4", "0.3"]
    assert figure(1012.5, 0) == "1,013"


def test_a_break_even_against_reserved_minutes_says_why_it_has_none():
    """Reserved minutes are a total only when every band the mission uses has its reserved
    price; one supplied for narrowband alone read as none supplied."""
    from groundlink.report.number_format import break_even_text

    assert break_even_text(None) == "n/a (no reserved price supplied for every band the mission uses)"


def test_a_break_even_of_zero_is_no_partner_price():
    """A partner price of $0.00 a minute breaks even with nothing: the partner side costs as much
    even with free minutes, so the report says no price does, as it does below zero."""
    from groundlink.report.number_format import break_even_text

    said = "none: AWS Ground Station is cheaper at any partner price"
    assert [break_even_text(p) for p in (0, 0.0, -2.5)] == [said, said, said]


def test_a_total_made_only_of_unknown_prices_is_never_shown_as_zero():
    """A partial total whose known part is $0 is "unknown", not "$0.00 + unknown"; a complete
    total of $0 is $0.00, and a partial one with a known part says both."""
    from groundlink.report.number_format import money

    assert money({"complete": False, "known": 0}) == "unknown"
    assert money({"complete": False, "known": 12.5}) == "$12.50 + unknown"
    assert money({"complete": True, "known": 0}) == "$0.00"


def test_piped_the_check_keeps_every_name_and_message_whole_on_one_line(capsys):
    """`groundlink check ... > ci.log`: rich assumed 80 columns and broke names mid-word
    (`retired-azure-orb` / `ital`)."""
    long = violation("retired-azure-orbital-ground-station-resource")
    cloud = CloudCheck("azure", "aqua-azure", 68, [long], 0.1, 0.2)
    check_console.render(CheckResult("spec.yaml", {"name": "pack", "version": "1", "policies": 3}, [cloud]))
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if "retired-azure-orbital-ground-station-resource" in line)
    assert long.message in row and long.resource_name in row
    assert max(map(len, printed.splitlines())) < 400  # as wide as the cells, not the unbounded width
    assert "azure (aqua-azure): 68 resources, 1 violation: pass  plan 0.10s, analyze 0.20s" in printed.splitlines()
