"""A total priced at another region's figures says so where the total is read. The catalogs hold
mostly us-east-1, eastus and westeurope prices; the report's assumptions named each one taken for
another region's stack, but the Summary and the terminal gave an eu-north-1 or af-south-1 total
with no word of it."""

from __future__ import annotations

import copy

import pytest
from rich.console import Console

from groundlink.report.compare_console import print_summary
from groundlink.report.sections import sections

from .conftest import SPECS, cached_plan, offline_document


@pytest.fixture(scope="module")
def partner() -> dict:
    plans = {cloud: cached_plan("partner.yaml", cloud) for cloud in ("aws", "azure")}
    return offline_document(SPECS / "partner.yaml", plans)


def _printed(doc: dict) -> list[str]:
    console = Console(record=True, width=4000)
    print_summary(doc, "out", console)
    return [line for line in console.export_text().splitlines() if line.startswith("prices:")]


def _summary(doc: dict) -> list[str]:
    (summary,) = [s for s in sections(doc) if s.title == "Summary"]
    return [b.text for b in summary.bullets if b.text.startswith("Prices:")]


def test_each_cloud_priced_elsewhere_is_said_on_the_terminal_and_in_the_summary(partner):
    aws, azure = (partner["cost"]["clouds"][c]["otherRegions"] for c in ("aws", "azure"))
    assert aws["aws.firehose_gb"] == "eu-west-2" and aws["aws.s3_standard_gb_month"] == "us-east-1"
    assert azure["azure.event_hubs_standard_tu_hour"] == "eastus"
    expected = [
        f"{title} runs in {region}; {len(named)} prices its total rests on are another region's figures or state "
        "no region (the report names each, under Assumptions): give your region's with --prices"
        for title, region, named in (("AWS", "eu-north-1", aws), ("Azure", "swedencentral", azure))
    ]
    assert _printed(partner) == [f"prices: {said}" for said in expected]
    assert _summary(partner) == [f"Prices: {said}" for said in expected]
    # the same prices the assumptions name
    (note,) = [n for n in partner["cost"]["notes"] if n.startswith("AWS runs in")]
    shown = {price_id: region.replace(" (", ", ").replace(")", "") for price_id, region in aws.items()}
    assert all(f"{price_id.split('.', 1)[1]} ({region})" in note for price_id, region in shown.items())
    assert "((" not in note and "))" not in note  # a region of parentheses of its own is said with a comma


def test_a_cloud_whose_prices_are_all_its_region_s_is_not_said(partner):
    doc = copy.deepcopy(partner)
    doc["cost"]["clouds"]["azure"]["otherRegions"] = {}
    assert [line.split(";")[0] for line in _printed(doc)] == ["prices: AWS runs in eu-north-1"]
    doc["cost"]["clouds"]["aws"]["otherRegions"] = {}
    assert _printed(doc) == [] and _summary(doc) == []


def test_an_override_s_region_in_another_spelling_is_the_stack_s_own(partner):
    """A price sheet writes Azure's display name ("Sweden Central"), or a region in capitals: the
    user's own figure for the stack's region was listed as another region's."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost import estimate, load_catalogs
    from groundlink.cost.catalog import Override, OverrideFile, apply_overrides
    from groundlink.cost.model import other_regions
    from groundlink.spec import load_spec

    catalogs, assumptions = load_catalogs()
    given = OverrideFile(
        aws={"kms_key_month": Override(price=1.0, source="sheet", date="2026-11-01", region="EU-NORTH-1")},
        azure={
            "event_hubs_standard_tu_hour": Override(
                price=0.03, source="sheet", date="2026-11-01", region="Sweden Central"
            )
        },
    )
    chosen = {cloud: apply_overrides(c, given, "ov.yaml") for cloud, c in catalogs.items()}
    cost = estimate(build_blueprint(load_spec(SPECS / "partner.yaml")), chosen, assumptions)
    assert "kms_key_month" not in other_regions(cost.clouds["aws"])
    assert "event_hubs_standard_tu_hour" not in other_regions(cost.clouds["azure"])
