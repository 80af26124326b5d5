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
    assert all(f"{price_id.split('.', 1)[1]} ({region})" in note for price_id, region in aws.items())


def test_a_cloud_whose_prices_are_all_its_region_s_is_not_said(partner):
    doc = copy.deepcopy(partner)
    doc["cost"]["clouds"]["azure"]["otherRegions"] = {}
    assert [line.split(";")[0] for line in _printed(doc)] == ["prices: AWS runs in eu-north-1"]
    doc["cost"]["clouds"]["aws"]["otherRegions"] = {}
    assert _printed(doc) == [] and _summary(doc) == []
