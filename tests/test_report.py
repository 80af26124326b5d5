"""The report a user opens: compare.json shape, report.md / report.html content, embedded charts."""

from __future__ import annotations

import base64
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from groundlink.cli import main
from groundlink.clouds import CLOUDS
from groundlink.engine import Plan
from groundlink.report.number_format import money

from .conftest import SPECS

TITLE = {"aws": "AWS", "azure": "Azure"}  # each cloud as the report writes it

SCHEMA = Path(__file__).resolve().parents[1] / "groundlink" / "report" / "compare.schema.json"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"'


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """The reference spec compared, its time pinned (SOURCE_DATE_EPOCH: 2026-12-04T14:00:00Z)."""
    out = tmp_path_factory.mktemp("compare") / "noaa20"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", PINNED)
        code = main(["compare", str(SPECS / "noaa20.yaml"), "--out", str(out)])
    doc = json.loads((out / "compare.json").read_text())
    return code, out, doc


PINNED = "1796392800"


def test_a_pinned_time_is_the_run_s_in_every_output_that_says_it(report):
    """Two runs gave two reports (generated at, and the TLE's age counted from, the wall clock):
    with SOURCE_DATE_EPOCH, as reproducible builds pin their time, they give one."""
    _, out, doc = report
    assert doc["generatedAt"] == "2026-12-04T14:00:00Z"
    text = (out / "report.md").read_text()
    assert "generated 2026-12-04T14:00:00Z" in text
    assert "(noaa20 from 2024-06-17, 900 days before this run)" in text
    assert "2026-12-04T14:00:00Z" in (out / "report.html").read_text()


@pytest.mark.parametrize(
    "value", ["soon", "1.5", "-1", " 1", "99999999999999999999", "\uff11\uff17"]
)  # the last: fullwidth digits
def test_a_pinned_time_that_is_no_time_is_one_line_before_planning(value, monkeypatch, capsys):
    from groundlink.app import parallel_plans

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    monkeypatch.setattr(parallel_plans, "run_plans", lambda *a, **k: pytest.fail("planned"))
    assert main(["compare", str(SPECS / "noaa20.yaml"), "--out", "/nonexistent/never-written"]) == 2
    assert capsys.readouterr().err == (
        f"groundlink: SOURCE_DATE_EPOCH: {value!r} is not a time; allowed: whole seconds since 1970-01-01 UTC, as "
        "`date +%s` prints them, or unset\n"
    )


@pytest.mark.engine_runs  # the engine's own refusal is the subject: no shared plan stands in for it
@pytest.mark.parametrize(
    "command", [["plan", "--cloud", "azure", "--json"], ["preflight", "--cloud", "azure"], ["check", "--json"]]
)
def test_every_command_that_plans_refuses_a_pinned_time_that_is_no_time(command, monkeypatch, capsys, tmp_path):
    """`plan` took the real month for a SOURCE_DATE_EPOCH that `compare` refused, so the same
    environment dated one command's plan and refused the other's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1.5")
    out = tmp_path / "plan.json"
    extra = [str(out)] if command[-1] == "--json" else []
    assert main([command[0], str(SPECS / "noaa20.yaml"), *command[1:], *extra]) == 2
    assert capsys.readouterr().err == (
        "groundlink: SOURCE_DATE_EPOCH: '1.5' is not a time; allowed: whole seconds since 1970-01-01 UTC, as "
        "`date +%s` prints them, or unset\n"
    )
    assert not out.exists()


def test_compare_json_matches_its_documented_schema(report):
    _, _, doc = report
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(doc, schema, format_checker=jsonschema.FormatChecker())
    assert doc["mission"] == "noaa20" and set(doc["clouds"]) == {"aws", "azure"}


def test_the_reference_mission_is_comparable_and_exits_0(report):
    code, _, doc = report
    assert code == 0
    assert doc["ok"] is True and doc["parity"]["failures"] == [] and doc["parity"]["ok"] is True


def test_both_plans_are_written_and_readable(report):
    _, out, doc = report
    for cloud in CLOUDS:
        plan = Plan.read(out / doc["clouds"][cloud]["planFile"])
        assert plan.cloud == cloud and len(plan.resources) == doc["clouds"][cloud]["resources"]


def test_cost_totals_add_up_from_the_lines(report):
    _, _, doc = report
    for _cloud, data in doc["cost"]["clouds"].items():
        known = [x["cost"] for x in data["lines"] if x["cost"] is not None]
        assert data["monthly"]["known"] == pytest.approx(sum(known))
        assert data["monthly"]["complete"] == all(x["cost"] is not None for x in data["lines"])
        assert sum(t["known"] for t in data["byLayer"].values()) == pytest.approx(data["monthly"]["known"])
        assert data["projectionTotal"]["known"] == pytest.approx(sum(p["known"] for p in data["projection"]))


def test_an_unknown_total_names_its_prices_as_the_lines_and_prices_to_supply_do(report):
    """The Azure partner minute has no price: every total that leaves it out names it as its line,
    the price list and the prices to supply do (`azure.partner_minute`), so the two can be joined."""
    _, _, doc = report
    azure = doc["cost"]["clouds"]["azure"]
    missing = {x["priceId"] for x in azure["lines"] if x["cost"] is None}
    assert "azure.partner_minute" in missing
    assert {x["priceId"] for x in azure["toSupply"]} == missing
    assert set(azure["monthly"]["unknown"]) == missing == set(azure["projectionTotal"]["unknown"])
    assert azure["byLayer"]["ground"]["unknown"] == ["azure.partner_minute"]
    assert missing <= {x["priceId"] for x in doc["prices"]}


def _visible(page: str) -> str:
    """report.html's text as a reader sees it: a figure kept whole by its span, entities read."""
    return html.unescape(re.sub(r'<span class="fig">([^<]*)</span>', r"\1", page))


@pytest.mark.parametrize("name", ["report.md", "report.html"])
def test_reports_state_retirement_sources_totals_and_policy(report, name):
    _, out, doc = report
    text = _visible((out / name).read_text())
    text = _md_text(text) if name == "report.md" else text
    for fact in ("2024-12-18", "KSAT Lite", "Viasat RTE", "RBC Signals"):
        assert fact in text
    used = [p for p in doc["prices"] if p["used"]]
    assert len(used) > 10
    for price in used:
        assert price["source"] in text and price["date"] in text and price["priceId"] in text
    for cloud in CLOUDS:
        assert money(doc["cost"]["clouds"][cloud]["monthly"]) in text
        for item in doc["cost"]["clouds"][cloud]["toSupply"]:
            assert item["priceId"] in text and item["supply"] in text
    assert doc["cost"]["assumptions"] and doc["parity"]["rows"]
    for assumption in doc["cost"]["assumptions"]:
        assert assumption in text
    assert doc["policy"]["available"] is True
    for row in doc["parity"]["rows"]:
        assert row["capability"] in text


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_with_embedded_svg_charts(report):
    _, out, _ = report
    parser = _Collector()
    parser.feed((out / "report.html").read_text())
    images = [attrs["src"] for tag, attrs in parser.tags if tag == "img"]
    assert len(images) == 3  # cost by layer, storage growth, sensitivity
    for src in images:
        prefix = "data:image/svg+xml;base64,"
        assert src.startswith(prefix)
        assert base64.b64decode(src[len(prefix) :]).startswith(SVG)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "link", "iframe"}
        for key in ("src", "href"):
            assert not str(attrs.get(key, "")).startswith(("http:", "https:", "//")), (tag, attrs)


def test_markdown_links_the_chart_files_it_ships(report):
    _, out, _ = report
    text = (out / "report.md").read_text()
    for name in ("cost_by_layer", "storage_growth", "sensitivity"):
        assert f"(charts/{name}.svg)" in text
        assert (out / "charts" / f"{name}.svg").read_bytes().startswith(SVG)


def _with_finding(doc: dict) -> dict:
    import copy

    changed = copy.deepcopy(doc)
    changed["policy"] = {
        "available": True,
        "reason": "",
        "summary": "Policy pack groundlink 0.1.0: 1 mandatory violation(s).",
        "clouds": {
            "aws": {
                "violations": 1,
                "advisories": 0,
                "findings": [
                    {
                        "level": "mandatory",
                        "policy": "aws-s3-public-access-block",
                        "resource": "noaa20-raw",
                        "message": "bucket noaa20-raw has no BucketPublicAccessBlock",
                    }
                ],
            },
            "azure": {"violations": 0, "advisories": 0, "findings": []},
        },
    }
    return changed


def _charts(out: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """The chart files a report links and the SVG bytes it embeds, from a written report."""
    files = {path.stem: f"charts/{path.name}" for path in sorted((out / "charts").glob("*.svg"))}
    return files, {name: (out / path).read_bytes() for name, path in files.items()}


def _md_text(markdown: str) -> str:
    """report.md's text with the backslash escapes the report writes taken out again."""
    import re

    return re.sub(r"\\([\\`<>&\[\]|*~_#])", r"\1", markdown)


def test_a_value_in_report_md_stays_text_whatever_it_holds(report):
    """A price source or a path holding HTML, a link, a backtick, a pipe or a carriage return
    was written into report.md as it was: raw HTML, a javascript: link, a code span closed
    early, a table row ended early."""
    from markdown_it import MarkdownIt

    from groundlink.report.markdown_html import render_markdown

    _, out, doc = report
    hostile = "<img src=x onerror=alert(1)> | pipe `tick` [l](javascript:alert(1))\rCR & co *em* _em_ ~~del~~ ksat_lite"
    doc = {**doc, "spec": "we|ird<i>x`y.yaml", "pricesFile": "pr|ces<b>`.yaml"}
    used = [i for i, p in enumerate(doc["prices"]) if p["used"]]
    prices = list(doc["prices"])
    prices[used[0]] = {**prices[used[0]], "source": hostile, "region": "<b>r|g</b>", "secondary": False}
    doc["prices"] = prices
    files, _ = _charts(out)
    markdown = render_markdown(doc, files)
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    assert "<img src=x" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    assert 'href="javascript' not in rendered and "<em>" not in rendered and "<s>" not in rendered
    assert (
        # the carriage return as its escape, as report.html and the terminal show it
        "&lt;img src=x onerror=alert(1)&gt; | pipe `tick` [l](javascript:alert(1))\\rCR &amp; co *em* _em_ ~~del~~ "
        "ksat_lite" in rendered
    )
    assert "ksat_lite" in markdown  # an underscore inside a word cannot emphasize: left as it is
    assert "<code>we|ird&lt;i&gt;x`y.yaml</code>" in rendered and "<code>pr|ces&lt;b&gt;`.yaml</code>" in rendered


def test_both_reports_show_a_newline_as_its_escape_and_a_tab_as_whitespace(report):
    """report.md turned a newline in a path into a space (naming a file that does not exist,
    where report.html said `\\n`), and both showed a tab, which a price's source may hold, as the
    two characters `\\t`."""
    from markdown_it import MarkdownIt

    from groundlink.report.markdown_html import render_html, render_markdown

    _, out, doc = report
    used = next(i for i, p in enumerate(doc["prices"]) if p["used"])
    prices = list(doc["prices"])
    prices[used] = {**prices[used], "source": "price\tsheet", "secondary": False}
    doc = {**doc, "spec": "two\nlines.yaml", "prices": prices}
    files, charts = _charts(out)
    markdown = MarkdownIt("commonmark").enable(["table"]).render(render_markdown(doc, files))
    html = render_html(doc, charts)
    for rendered in (markdown, html):
        assert "two\\nlines.yaml" in rendered and "two lines.yaml" not in rendered
        assert "price sheet" in rendered and "price\\tsheet" not in rendered and "price\tsheet" not in rendered


def test_a_value_that_would_head_a_line_stays_text():
    from markdown_it import MarkdownIt

    from groundlink.report.markdown_html import _md_escape

    assert MarkdownIt("commonmark").render(_md_escape("# not a heading")) == "<p># not a heading</p>\n"


@pytest.mark.parametrize(
    ("heading", "shown"),
    [("old #", "old #"), ("old ##  ", "old ##"), ("#", "#"), ("a#b #c", "a#b #c")],
)
def test_a_value_ending_in_hashes_keeps_them_in_a_heading(heading, shown):
    """`## Changes against old #` (an --against path ending in ` #`) was shown as "Changes against
    old": CommonMark takes a heading's trailing hashes for its closing sequence."""
    from markdown_it import MarkdownIt

    from groundlink.report.markdown_html import _md_escape

    assert MarkdownIt("commonmark").render("## " + _md_escape(heading)) == f"<h2>{shown}</h2>\n"


@pytest.mark.parametrize("value", [" p.yaml ", " p.yaml", "p.yaml ", "` x `", "  "])
def test_a_code_span_keeps_the_spaces_its_value_starts_and_ends_with(value):
    """A path that starts and ends with a space lost both in report.md: CommonMark strips one
    space from each end of a span that has both."""
    from markdown_it import MarkdownIt

    from groundlink.report.markdown_html import _md_code

    rendered = MarkdownIt("commonmark").render("Spec " + _md_code(value) + " read")
    assert rendered == f"<p>Spec <code>{html.escape(value, quote=False)}</code> read</p>\n"


def test_reports_carry_the_policy_summary_and_every_finding(report):
    from groundlink.report.markdown_html import render_html, render_markdown

    _, out, doc = report
    assert doc["policy"]["available"], doc["policy"]["reason"]
    for name in ("report.md", "report.html"):
        text = html.unescape((out / name).read_text())
        assert doc["policy"]["summary"] in text
        for cloud, result in doc["policy"]["clouds"].items():
            assert f"{TITLE[cloud]}: {result['violations']} mandatory violation(s)" in text
    broken = _with_finding(doc)
    files, svgs = _charts(out)
    for text in (_md_text(render_markdown(broken, files)), html.unescape(render_html(broken, svgs))):
        assert "AWS [mandatory] aws-s3-public-access-block on noaa20-raw: bucket noaa20-raw has no" in text
        assert "AWS: 1 mandatory violation(s)" in text


def test_reports_say_when_policy_results_are_not_available(report):
    from groundlink.report.markdown_html import render_html, render_markdown

    _, out, doc = report
    unavailable = {**doc, "policy": {"available": False, "reason": "the pack did not start", "clouds": {}}}
    files, svgs = _charts(out)
    for text in (render_markdown(unavailable, files), html.unescape(render_html(unavailable, svgs))):
        assert "Policy results not available" in text and "the pack did not start" in text


def test_terminal_summary_states_the_policy_verdict(report):
    from rich.console import Console

    from groundlink.report.compare_console import print_summary

    _, out, doc = report
    console = Console(record=True, width=200)
    print_summary(_with_finding(doc), str(out), console)
    text = console.export_text()
    assert "Policy pack groundlink 0.1.0: 1 mandatory violation(s)." in text
    assert "aws-s3-public-access-block" in text


def test_report_leads_with_the_decision_and_compare_json_carries_break_even_and_sensitivity(report):
    _, out, doc = report
    decision = doc["decision"]
    markdown = (out / "report.md").read_text()
    summary = markdown.index("## Summary")
    assert markdown.index("Decision: ", summary) < markdown.index("Result:", summary)
    assert decision["sentence"] in html.unescape(markdown)
    assert decision["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"] > 0
    assert len(decision["sensitivity"]["series"]) >= 10
    assert (out / "charts" / "sensitivity.svg").read_bytes().startswith(SVG)


def test_report_states_each_clouds_durability_choices_and_their_cost(report):
    _, out, doc = report
    choices = {cloud: doc["cost"]["clouds"][cloud]["choices"] for cloud in ("aws", "azure")}
    # the Azure storage choice is its ZRS capacity and write lines at the catalog's ZRS prices
    # ($0.0221 hot, $0.0131 cool, $0.005 cold per GB-month, $0.0878 per 10,000 writes), and its tier
    # change lines, a write at the Cool or Cold ZRS meter ($0.13, $0.26 per 10,000) for each blob moved,
    # all known; Cold's GB are two lines, the data held and the soft-deleted data kept
    assert choices["azure"]["storageRedundancy"]["value"] == "ZRS"
    stored: dict[str, float] = {}
    for line in doc["cost"]["clouds"]["azure"]["lines"]:
        if "ZRS" in line["item"]:
            stored[line["priceId"]] = stored.get(line["priceId"], 0.0) + line["quantity"]
    assert [line["item"] for line in doc["cost"]["clouds"]["azure"]["lines"] if "Cold" in line["item"]] == [
        "Blob Cold storage (ZRS)",
        "Blob Cold storage (ZRS): deleted data kept",
        "Blob tier changes to Cold (ZRS)",
    ]
    zrs = {
        "azure.blob_hot_zrs_gb_month": 0.0221,
        "azure.blob_cool_zrs_gb_month": 0.0131,
        "azure.blob_cold_zrs_gb_month": 0.005,
        "azure.blob_hot_zrs_write_operations": 0.0878 / 10_000,
        "azure.blob_cool_zrs_write_operations": 0.13 / 10_000,
        "azure.blob_cold_zrs_write_operations": 0.26 / 10_000,
    }
    assert set(stored) == set(zrs)
    by_hand = sum(stored[p] * zrs[p] for p in zrs)
    assert choices["azure"]["storageRedundancy"]["monthly"] == {
        "known": pytest.approx(by_hand),
        "complete": True,
        "unknown": [],
    }
    assert choices["azure"]["messagingEncryption"]["value"] == "service-managed"
    assert choices["aws"]["messagingEncryption"]["value"] == "mission key"
    md = (out / "report.md").read_text()
    assert "| Storage redundancy | S3 Standard (3 zones): " in md
    assert f" | ZRS: ${by_hand:,.2f}/month |" in md
    # Azure Standard: 730 h x $0.0135 + 730 TU-h x $0.03 + 730 Capture TU-h x $0.10 = $104.755, which
    # rounds half up to $104.76, as its lines ($9.86 + $21.90 + $73.00) add up (the float sum lies
    # just under 104.755: formatted as a float it showed $104.75)
    assert "| Messaging encryption | mission key: $0.00/month | service-managed: $104.76/month |" in md
    assert "Durability and security choices" in (out / "report.html").read_text()


def test_the_archive_tier_azure_lacks_is_a_gap_with_its_reason_and_priced_in_cold(report):
    _, out, doc = report
    (row,) = [r for r in doc["parity"]["rows"] if r["capability"] == "storage.archive_tier"]
    assert row["clouds"]["aws"]["status"] == "realized"
    assert row["clouds"]["azure"]["status"] == "gap"
    assert "storage.tiering[2]" in row["clouds"]["azure"]["reason"]
    azure = doc["cost"]["clouds"]["azure"]
    assert "archive-aged data is held and priced in Cold" in azure["choices"]["storageRedundancy"]["basis"]
    stored = {line["item"]: line for line in azure["lines"] if line["layer"] == "storage"}
    assert "Blob Archive storage (ZRS)" not in stored
    assert "includes the data tiered to archive" in stored["Blob Cold storage (ZRS)"]["basis"]
    assert "storage.archive_tier" in (out / "report.md").read_text()


def test_compare_json_documents_the_contacts_of_planned_length_and_the_longest_pass(report):
    _, _, doc = report
    schema = json.loads(SCHEMA.read_text())
    offer = schema["$defs"]["offer"]
    for field in ("contactsOfPlannedLengthPerDay", "longestPassMinutes"):
        assert offer["properties"][field]["description"]
        assert field in offer["then"]["required"]
        for cloud in CLOUDS:
            assert doc["coverage"]["satellites"][0]["clouds"][cloud][field] >= 0
    # an estimated offer without the new fields does not match the documented schema
    import copy

    stripped = copy.deepcopy(doc)
    del stripped["coverage"]["satellites"][0]["clouds"]["aws"]["contactsOfPlannedLengthPerDay"]
    with pytest.raises(jsonschema.ValidationError, match="contactsOfPlannedLengthPerDay"):
        jsonschema.validate(stripped, schema)


def test_reports_show_the_warning_that_no_pass_lasts_the_planned_contact(report):
    from groundlink.blueprint import build_blueprint
    from groundlink.coverage import coverage_report
    from groundlink.report.markdown_html import render_html, render_markdown
    from groundlink.spec import spec_from_data

    from .conftest import spec_data

    _, out, doc = report
    data = spec_data("noaa20.yaml")
    data["ground_segment"]["min_elevation_deg"] = 20
    coverage = coverage_report(build_blueprint(spec_from_data(data)))
    too_short = [w for w in coverage["warnings"] if "ground_segment.contact_minutes" in w]
    assert len(too_short) == 2  # one per cloud
    steep = {**doc, "coverage": coverage}
    jsonschema.validate(steep, json.loads(SCHEMA.read_text()))
    files, svgs = _charts(out)
    for text in (render_markdown(steep, files), _visible(render_html(steep, svgs))):
        coverage_section = text[text.index("Contact coverage") :]
        for warning in too_short:
            assert warning in coverage_section


def test_a_parity_cell_names_the_first_resources_and_counts_the_rest(report):
    """At 100 satellites one cell listed ~8,000 Ground Station resources: a 741,115-character line."""
    from groundlink.report.sections import NAMES_IN_A_CELL, sections

    _, _, doc = report
    row = next(r for r in doc["parity"]["rows"] if r["clouds"]["aws"]["status"] == "realized")
    many = [{**row["clouds"]["aws"]["resources"][0], "name": f"res-{i:04d}"} for i in range(1000)]
    rows = [
        {**r, "clouds": {**r["clouds"], "aws": {**r["clouds"]["aws"], "resources": many}}} if r is row else r
        for r in doc["parity"]["rows"]
    ]
    parity = next(s for s in sections({**doc, "parity": {**doc["parity"], "rows": rows}}) if s.title == "Parity matrix")
    [cell] = [line[2].text for line in parity.table.rows if line[0].text.startswith(f"{row['capability']}:")]
    names = ", ".join(f"res-{i:04d}" for i in range(NAMES_IN_A_CELL))
    assert cell == f"{names} and {1000 - NAMES_IN_A_CELL:,} more (compare.json)"


def test_a_break_even_at_or_below_zero_is_no_price(report):
    """With very few contacts Azure costs more even with free partner minutes: the break-even came
    out at $-35.55/min in the table and the chart's title while the sentence said AWS is cheaper."""
    from groundlink.report.charts import render_charts
    from groundlink.report.sections import sections

    _, _, doc = report
    decision = {**doc["decision"], "breakEvenPerMinute": {**doc["decision"]["breakEvenPerMinute"]}}
    decision["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"] = -35.55
    decision["headlineBreakEven"] = {"perMinute": -35.55, "groundStation": "on demand", "partnerCloud": "azure"}
    negative = {**doc, "decision": decision}
    [section] = [s for s in sections(negative) if s.title == "Break-even partner price"]
    rows = {r[0].text: r[1].text for r in section.table.rows}
    assert (
        rows["Azure + partner = AWS Ground Station on demand"]
        == "none: AWS Ground Station is cheaper at any partner price"
    )
    svg = render_charts(negative)["sensitivity"].decode()
    assert "-35.55" not in svg and "cheaper at any partner price" in svg


@pytest.mark.parametrize(
    ("window_from", "status", "said"),
    [
        ("2024-06-17T21:44Z", "estimated", True),  # the reference TLE: 900 days before the run
        ("2026-11-20T00:00Z", "estimated", False),  # two weeks old: the estimate is of the weeks to come
        ("2027-01-03T00:00Z", "estimated", False),  # 30 days ahead: the weeks to come
        ("2027-01-04T00:00Z", "estimated", "31 days after"),  # a month ahead: no week to come
        ("2056-06-17T21:44Z", "estimated", "10,788 days after"),  # a year typed 56 for 26
        ("2024-06-17T21:44Z", "not a low Earth orbit", False),  # nothing estimated to date
        # a partner the catalog does not hold (partner.name: other): the catalog's networks were
        # estimated, neither cloud's figures were, and a fresher TLE would estimate nothing either
        ("2024-06-17T21:44Z", "no sites with coordinates in the site catalog", False),
    ],
)
def test_an_estimate_of_a_week_long_past_is_said(window_from, status, said):
    """A TLE's week is what the coverage describes; an old one described 2024's passes with no
    word outside the method paragraph."""
    from groundlink.report.sections import coverage_dated

    doc = {
        "generatedAt": "2026-12-04T14:00:00Z",
        "coverage": {
            "satellites": [
                {
                    "satellite": "noaa20",
                    "window": {"from": window_from},
                    "networks": {"ksat": {"status": "estimated"}},
                    "clouds": {"aws": {"status": status}, "azure": {"status": status}},
                }
            ]
        },
    }
    when = said if isinstance(said, str) else "900 days before"
    expected = [
        f"estimated for the week after each TLE's epoch, not the weeks to come (noaa20 from {window_from[:10]}, {when} "
        "this run), over today's site catalog: refresh satellites[].tle for a current estimate"
    ]
    assert coverage_dated(doc) == (expected if said else [])


def test_a_control_character_in_a_value_reaches_neither_report_raw(report):
    """A name from OLD's JSON (or a price source) holding an ESC reached report.md and
    report.html as the raw byte, which a terminal showing the file obeys; a newline in an HTML
    cell too. Each is written as its escape, as the terminal's lines are."""
    from groundlink.report.markdown_html import render_html, render_markdown

    _, out, doc = report
    hostile = "line1\nline2|\x1b[31mred\x07"
    used = [i for i, p in enumerate(doc["prices"]) if p["used"]]
    prices = list(doc["prices"])
    prices[used[0]] = {**prices[used[0]], "source": hostile, "region": "r\x1bg"}
    doc = {**doc, "prices": prices, "spec": "s\x1b.yaml"}
    files, charts = _charts(out)
    for text in (render_markdown(doc, files), render_html(doc, charts)):
        assert "\x1b" not in text and "\x07" not in text
        assert "\\x1b" in text and "red\\x07" in text  # report.md escapes the `[` too
    assert "line1\nline2" not in render_html(doc, charts)


def test_a_warning_that_is_a_gap_is_said_once_among_the_plan_s_warnings_and_gaps(report):
    """The Standard messaging key and the ZRS archive tier were each listed twice in one list,
    as an Azure warning and as the same Azure gap."""
    from groundlink.report.sections import sections

    _, _, doc = report
    (section,) = [s for s in sections(doc) if s.title == "Plan warnings and gaps"]
    said = [b.text.split(": ", 1)[1] for b in section.bullets if ": " in b.text]
    assert len(said) == len(set(said)) and said
    gaps = [b.text for b in section.bullets if b.text.startswith("Azure gap security.messaging_cmk: ")]
    assert gaps and not [b for b in section.bullets if b.text == "Azure warning: " + gaps[0].split(": ", 1)[1]]


def test_the_html_tables_name_each_row_and_column_and_wrap_to_the_page(report):
    """A screen reader on a figure announces its column and its row: every body row starts with
    a row header, every column header is scoped and none is empty (the summary's corner cell is
    a plain cell); long words (a price's source URL) wrap, figures do not, and a print gets the
    whole page (two tables of about 2,000 px lost their right-hand columns on A4)."""
    from html.parser import HTMLParser

    _, out, _ = report

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[tuple[str, dict[str, str | None], str]]] = []
            self.cell: tuple[str, dict[str, str | None]] | None = None
            self.text = ""
            self.body = False

        def handle_starttag(self, tag, attrs):
            if tag == "tbody":
                self.body = True
            elif tag == "tr":
                self.rows.append([])
            elif tag in ("th", "td"):
                self.cell, self.text = (tag, dict(attrs)), ""

        def handle_endtag(self, tag):
            if tag == "tbody":
                self.body = False
            elif tag in ("th", "td") and self.cell is not None:
                self.rows[-1].append((*self.cell, self.text.strip()))
                self.cell = None

        def handle_data(self, data):
            self.text += data

    html = (out / "report.html").read_text()
    cells = Cells()
    cells.feed(html)
    assert len(cells.rows) > 50
    headers = [cell for row in cells.rows for cell in row if cell[0] == "th"]
    assert all(attrs.get("scope") in ("row", "col") and text for _, attrs, text in headers)
    first = [row[0] for row in cells.rows if row and row[0][1].get("scope") != "col" and row[0][2]]
    assert first and all(tag == "th" and attrs.get("scope") == "row" for tag, attrs, _ in first)
    assert (
        "overflow-wrap: anywhere" in html and "@media print" in html and "td.num, .fig { white-space: nowrap; }" in html
    )
    # a figure in a text cell (a price's source, a line's basis) is one unbreakable run
    assert '<span class="fig">$0.0000133334</span>' in html or '<span class="fig">0.0000133334</span>' in html


def test_a_figure_in_a_text_cell_is_kept_whole_and_the_text_around_it_escaped():
    """Text cells wrap anywhere (a long ARN fits a narrow screen), which broke `$10,833.20` into
    `$10,83` and `3.20` at 480 px; each figure is now a span that does not wrap."""
    from groundlink.report.markdown_html import _figures_whole

    shown = str(_figures_whole("<b>$10,833.20</b> & 0.9313 a\x1b[2J 99%"))
    assert shown == (
        '&lt;b&gt;<span class="fig">$10,833.20</span>&lt;/b&gt; &amp; <span class="fig">0.9313</span> '
        'a\\x1b[2J <span class="fig">99%</span>'
    )


@pytest.mark.parametrize(
    "name",
    [
        "specs/a b.yaml",
        "s\x1b[2J\nnl.yaml",
        "it's \\ \x01.yaml",
        "plain.yaml",
        "\u2028.yaml",
        # not ASCII: each as the \xHH escapes of its UTF-8 bytes, which no locale changes
        "mission\xa0x.yaml",
        "soft\xadhyphen\x85.yaml",
        "tag\U000e0001.yaml",
        "latin1-\udce9t\udce9.yaml",  # a name not UTF-8 (two latin-1 bytes), as Python reads it
    ],
)
def test_the_rerun_command_names_the_spec_as_a_shell_reads_it_back(tmp_path, name):
    """The report's command for a run with the missing prices quoted a spec whose name held an
    ESC and a newline in single quotes, where the report shows them as escapes: run as shown,
    it named another file. bash reads the word back as the name, under a UTF-8 locale and under
    LC_ALL=C, where its \\u escapes (used before) came back as their six characters."""
    import os
    import subprocess

    from groundlink.report.sections import _shell_word

    word = _shell_word(name)
    assert word.isprintable()
    for locale in ("C.UTF-8", "C"):
        env = {**os.environ, "LC_ALL": locale}
        back = subprocess.run(["bash", "-c", f"printf %s {word}"], capture_output=True, check=True, env=env).stdout
        assert back == os.fsencode(name), locale


def test_the_prices_file_advice_comes_only_with_prices_to_supply():
    from groundlink.report.sections import _supply

    doc = {"spec": "specs/noaa20.yaml", "cost": {"clouds": {"aws": {"toSupply": []}}}}
    section = _supply(doc, ["aws"])
    assert [b.text for b in section.bullets] == ["Nothing: every price used is known."] and not section.after
    doc["cost"]["clouds"]["aws"]["toSupply"] = [{"priceId": "aws.x", "item": "X", "supply": "a price"}]
    assert "Put them in a prices file" in _supply(doc, ["aws"]).after[0].text


def test_each_chart_s_figures_are_in_both_reports_as_text(report):
    """A reader who cannot see a chart (a screen reader, a black-and-white print) reads its
    figures: the sensitivity chart's cost at each contacts/day for every option drawn, and the
    storage chart's GB per tier each month, as compare.json holds them."""
    from groundlink.report.number_format import num, usd

    _, out, doc = report
    html, markdown = (out / "report.html").read_text(), (out / "report.md").read_text()
    assert html.count("<summary>The chart's figures</summary>") == 2 == markdown.count("The chart's figures:")
    for point in doc["decision"]["sensitivity"]["series"]:
        row = f"| {num(point['contactsPerDay'])} | {usd(point['awsOnDemand'])} | " + " | ".join(
            usd(v) for v in point["azureAtPrice"]
        )
        assert row in markdown, row
    for month in doc["cost"]["usage"]["storageGbByMonth"]:
        assert f"| {month['month']} | {num(month['average']['hot'])} | " in markdown
    assert "the chart's figures are in the table below it" in html
