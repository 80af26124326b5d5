"""compare.json's decision, and the report's charts: standalone SVG whose shapes sit where its figures put them."""

from __future__ import annotations

import copy
import math
import xml.etree.ElementTree as ET

import pytest

from groundlink.clouds import CLOUDS
from groundlink.report import charts
from groundlink.report.number_format import layer_cost
from groundlink.spec import load_spec

from .conftest import SPECS, cached_plan, offline_document

NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def doc():
    return offline_document(SPECS / "noaa20.yaml", {cloud: cached_plan("noaa20.yaml", cloud) for cloud in CLOUDS})


def test_break_even_is_where_the_two_monthly_totals_meet(doc):
    """The reference mission: AWS with Ground Station on demand, Azure with a partner whose price is
    not known, so Azure's known total is everything but the partner minutes."""
    spec = load_spec(SPECS / "noaa20.yaml")
    minutes = spec.ground_segment.contacts_per_day * spec.ground_segment.contact_minutes * 365 / 12
    assert len(spec.satellites) == 1 and spec.ground_segment.contact_minutes == int(spec.ground_segment.contact_minutes)
    decision, totals = doc["decision"], {c: d["monthly"]["known"] for c, d in doc["cost"]["clouds"].items()}
    assert decision["partnerPricePerMinute"] is None and decision["partnerMinutesPerMonth"] == pytest.approx(minutes)
    recomputed = (totals["aws"] - totals["azure"]) / minutes
    assert decision["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"] == pytest.approx(recomputed, rel=1e-6)
    # at that partner price Azure's month costs what AWS's does
    assert totals["azure"] + recomputed * minutes == pytest.approx(totals["aws"])
    # the spec's contacts are a point of the sensitivity series, with the same totals
    (point,) = [
        p for p in decision["sensitivity"]["series"] if p["contactsPerDay"] == spec.ground_segment.contacts_per_day
    ]
    assert point["awsOnDemand"] == pytest.approx(totals["aws"], abs=0.01)


def shapes(svg: bytes, tag: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(NS + tag))


def texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in shapes(svg, "text")]


def points(element: ET.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in element.get("points", "").split())]


def test_every_chart_is_a_standalone_svg_titled_with_the_mission(doc):
    drawn = charts.render_charts(doc)
    assert set(drawn) == {"cost_by_layer", "storage_growth", "sensitivity"}
    for name, svg in drawn.items():
        root = ET.fromstring(svg)
        assert root.tag == NS + "svg", name
        assert root.find(NS + "title").text.startswith(doc["mission"]), name
        for element in root.iter():
            assert not any("href" in key for key in element.attrib), (name, element.tag)


def test_cost_bars_are_as_long_as_the_log_of_their_cost_and_say_it(doc):
    svg = charts.cost_by_layer(doc)
    expected = [
        (cloud, doc["cost"]["clouds"][cloud]["byLayer"][layer]["known"])
        for cloud in doc["cost"]["clouds"]
        for layer in doc["layers"]
        if doc["cost"]["clouds"][cloud]["byLayer"][layer]["known"] > charts.LOG_FLOOR
    ]
    bars = [
        r for r in shapes(svg, "rect") if r.get("fill") in charts.CLOUD_COLORS.values() and not r.get("fill-opacity")
    ]
    assert len(bars) == len(expected) >= 5
    for bar, (cloud, _) in zip(bars, expected, strict=True):
        assert bar.get("fill") == charts.CLOUD_COLORS[cloud]
    widths = [float(bar.get("width")) for bar in bars]
    decades = [math.log10(value / charts.LOG_FLOOR) for _, value in expected]
    per_decade = widths[0] / decades[0]
    for width, decade in zip(widths, decades, strict=True):
        assert width == pytest.approx(per_decade * decade, abs=0.05)
    labels = texts(svg)
    for cloud, data in doc["cost"]["clouds"].items():
        for layer in doc["layers"]:
            assert layer_cost(data, layer) in labels, (cloud, layer)
            assert layer in labels


def test_sensitivity_draws_the_partner_bands_each_price_the_aws_line_and_the_spec(doc):
    decision = doc["decision"]
    series, prices = decision["sensitivity"]["series"], decision["sensitivity"]["partnerPrices"]
    svg = charts.sensitivity(doc)
    bands = {shape.get("fill"): shape for shape in shapes(svg, "polygon")}
    assert set(bands) == {charts.CLOUD_COLORS["azure"], charts.CLOUD_COLORS["aws"]}  # Azure + partner, AWS + partner
    assert all(len(points(band)) == 2 * len(series) for band in bands.values())
    # each band is as tall as its cloud's spread of partner prices, on the same y scale
    spread = {
        cloud: [p[key][-1] - p[key][0] for p in series]
        for cloud, key in (("aws", "awsPartnerAtPrice"), ("azure", "azureAtPrice"))
    }
    height = {
        cloud: [lo[1] - hi[1] for hi, lo in zip(xy[: len(series)], xy[len(series) :][::-1], strict=True)]
        for cloud in ("aws", "azure")
        for xy in [points(bands[charts.CLOUD_COLORS[cloud]])]
    }
    scale = height["azure"][-1] / spread["azure"][-1]
    for cloud in ("aws", "azure"):
        assert height[cloud] == pytest.approx([v * scale for v in spread[cloud]], abs=0.3), cloud
    assert f"AWS + partner, ${prices[0]:,.2f}-${prices[-1]:,.2f}/min" in texts(svg)
    lines = shapes(svg, "polyline")
    assert len(lines) == len(prices) + 1  # one per partner price, AWS with Ground Station on demand
    aws = [line for line in lines if line.get("stroke") == charts.CLOUD_COLORS["aws"]]
    (on_demand,) = aws
    xy = points(on_demand)
    contacts = [p["contactsPerDay"] for p in series]
    costs = [p["awsOnDemand"] for p in series]
    # pixels are linear in the data on both axes (y grows downwards)
    for (x, y), c, cost in zip(xy, contacts, costs, strict=True):
        assert x - xy[0][0] == pytest.approx(
            (c - contacts[0]) * (xy[-1][0] - xy[0][0]) / (contacts[-1] - contacts[0]), abs=0.2
        )
        assert y - xy[0][1] == pytest.approx(
            (cost - costs[0]) * (xy[-1][1] - xy[0][1]) / (costs[-1] - costs[0]), abs=0.2
        )
    assert xy[-1][1] < xy[0][1]
    labels = texts(svg)
    assert all(f"${price:,.2f}/min" in labels for price in prices)
    assert "spec" in labels
    title = ET.fromstring(svg).find(NS + "title").text
    # noaa20's partner option is AWS's (its other lines cost less than Azure's): that break-even
    assert decision["headlineBreakEven"]["partnerCloud"] == "aws"
    assert (
        f"AWS + partner with AWS Ground Station on demand at the spec's contacts: ${decision['breakEvenPerMinute']['awsPartnerVsAwsOnDemand']:,.2f}/min"
        in title
    )


def test_a_supplied_reserved_price_adds_a_dashed_aws_line(doc):
    reserved = copy.deepcopy(doc)
    for point in reserved["decision"]["sensitivity"]["series"]:
        point["awsReserved"] = point["awsOnDemand"] * 0.4
    svg = charts.sensitivity(reserved)
    aws = [line for line in shapes(svg, "polyline") if line.get("stroke") == charts.CLOUD_COLORS["aws"]]
    assert [bool(line.get("stroke-dasharray")) for line in aws] == [False, True]
    assert "AWS + Ground Station reserved" in texts(svg)


def test_storage_chart_stacks_each_tier_held_and_plots_each_clouds_bill(doc):
    months = doc["cost"]["usage"]["storageGbByMonth"]
    tiers = [t for t in charts.TIER_COLORS if any(m["average"].get(t, 0) for m in months)]
    svg = charts.storage_growth(doc)
    areas = shapes(svg, "polygon")
    assert [a.get("fill") for a in areas] == [charts.TIER_COLORS[t] for t in tiers] and len(tiers) >= 2
    # the top edge of the last tier is the total held: it rises with the months as data accumulates
    top = points(areas[-1])[: len(months)]
    assert top[-1][1] < top[0][1]
    bills = shapes(svg, "polyline")
    assert [b.get("stroke") for b in bills] == [charts.CLOUD_COLORS[c] for c in doc["cost"]["clouds"]]
    assert len(shapes(svg, "circle")) == len(months) * len(bills)
    assert all(tier in texts(svg) for tier in tiers)


def test_each_projected_month_is_its_storage_column_plus_the_other_layers_of_the_monthly_table(doc):
    """Only storage grows month by month (data accumulates until retention deletes it): the rest
    of a projected month is the other layers of the monthly table. The storage column counts the
    storage layer as that table does, its writes and requests with its capacity."""
    for cloud in CLOUDS:
        cost = doc["cost"]["clouds"][cloud]
        others = sum(t["known"] for layer, t in cost["byLayer"].items() if layer != "storage")
        for month in cost["projection"]:
            # each figure is rounded to a millionth of a dollar
            assert month["known"] - month["storageKnown"] == pytest.approx(others, abs=1e-5), (cloud, month["month"])
