"""The report's charts as SVG documents (groundlink.report.svg), drawn from compare.json."""

from __future__ import annotations

import math
from typing import Any

from ..clouds import cloud_title
from ..rounding import rate
from .number_format import break_even_text, layer_cost
from .svg import Axis, Canvas, Plot, spread, stacked, text_width

CLOUD_COLORS = {"aws": "#ff9900", "azure": "#0078d4"}
TIER_COLORS = {"hot": "#d62728", "cool": "#1f77b4", "cold": "#17becf", "archive": "#7f7f7f"}
LOG_FLOOR = 0.01  # USD: the cost chart's log axis starts here; smaller amounts get no bar


def cost_by_layer(doc: dict[str, Any]) -> bytes:
    """Known monthly cost per layer per cloud (log scale: contact minutes dwarf the rest);
    every bar is labelled with its cost as the report states it, so a layer with an unknown
    price reads "+ unknown" (its bar is a lower bound) and an unpriced one "not priced"."""
    layers = doc["layers"]
    clouds = list(doc["cost"]["clouds"])
    band = 24 * len(clouds) + 14  # pixels per layer
    left = 20 + max(text_width(layer, 11) for layer in layers)
    canvas = Canvas(820, band * len(layers) + 100)
    known = [by["known"] for c in clouds for by in doc["cost"]["clouds"][c]["byLayer"].values()]
    top = max([LOG_FLOOR * 10, *known])
    plot = Plot(
        canvas,
        left,
        40,
        700,
        40 + band * len(layers),
        Axis(LOG_FLOOR, 10 ** math.ceil(math.log10(top)), True),
        Axis(len(layers), 0),
    )
    plot.frame(
        f"{doc['mission']}: monthly cost by layer",
        "USD per month (steady state, log scale; known prices only)",
        grid=False,
        yticks=[(j + 0.5, layer) for j, layer in enumerate(layers)],
    )
    height = 0.8 / len(clouds)
    for i, cloud in enumerate(clouds):
        data = doc["cost"]["clouds"][cloud]
        for j, layer in enumerate(layers):
            y = j + 0.1 + height * (i + 0.5)
            value = data["byLayer"][layer]["known"]
            plot.hbar(y, height, value, CLOUD_COLORS.get(cloud, "#555555"))
            canvas.text(plot.px(max(value, LOG_FLOOR)) + 4, plot.py(y) + 3.5, layer_cost(data, layer), size=9)
    plot.legend([(cloud_title(c), CLOUD_COLORS.get(c, "#555555"), "box") for c in clouds], "lower right")
    return canvas.svg(f"{doc['mission']}: monthly cost by layer")


def held_tiers(months: list[dict[str, Any]]) -> list[str]:
    """The storage tiers that hold data in any month of the projection (compare.json's
    storageGbByMonth), in tier order: the chart's bands and the report's table of its figures."""
    return [t for t in TIER_COLORS if any(m["average"].get(t, 0) for m in months)]


def storage_growth(doc: dict[str, Any]) -> bytes:
    """GB held per tier each month (both clouds hold the same data) and each cloud's storage bill."""
    months = doc["cost"]["usage"]["storageGbByMonth"]
    xs = [float(m["month"]) for m in months]
    tiers = held_tiers(months)
    layers = stacked([[m["average"].get(t, 0.0) for m in months] for t in tiers])
    canvas = Canvas(1000, 380)
    months_axis = Axis(min(xs), max(xs)) if len(xs) > 1 else Axis(xs[0] - 1, xs[0] + 1)
    month_ticks = [(x, f"{x:.0f}") for x in xs]
    held = Plot(canvas, 80, 40, 470, 310, months_axis, Axis.fitting([v for layer in layers for v in layer] or [1.0]))
    below = [0.0] * len(xs)
    for tier, upper in zip(tiers, layers, strict=True):
        held.band(xs, below, upper, TIER_COLORS[tier], 0.85)
        below = upper
    held.frame(
        "Storage by tier (raw + products)", "month of operation", "GB held (monthly average)", xticks=month_ticks
    )
    held.legend([(tier, TIER_COLORS[tier], "box") for tier in tiers])
    bills = {cloud: [p["storageKnown"] for p in data["projection"]] for cloud, data in doc["cost"]["clouds"].items()}
    cost = Plot(canvas, 590, 40, 980, 310, months_axis, Axis.fitting([v for b in bills.values() for v in b] or [1.0]))
    cost.frame("Storage cost over 12 months", "month of operation", "USD per month", xticks=month_ticks)
    for cloud, values in bills.items():
        cost.line(xs, values, CLOUD_COLORS.get(cloud, "#555555"), marker=True)
    cost.legend([(cloud_title(cloud), CLOUD_COLORS.get(cloud, "#555555"), "line") for cloud in bills])
    return canvas.svg(f"{doc['mission']}: storage by tier and its cost")


# The sensitivity series priced at each partner price: Azure, and AWS, with the partner network.
AT_PRICE = ("azureAtPrice", "awsPartnerAtPrice")


def sensitivity(doc: dict[str, Any]) -> bytes:
    """Monthly cost of both clouds against contacts per day: AWS with Ground Station on demand (and
    reserved when supplied) as lines; Azure, and AWS, with a partner as bands over the range of
    partner prices (Azure's with a line per price)."""
    d = doc["decision"]
    series, prices = d["sensitivity"]["series"], d["sensitivity"]["partnerPrices"]
    xs = [float(p["contactsPerDay"]) for p in series]
    aws_lines = [
        (key, dash, width, label)
        for key, dash, width, label in (
            ("awsOnDemand", "", 2.4, "AWS + Ground Station on demand"),
            ("awsReserved", "6 3", 1.8, "AWS + Ground Station reserved"),
        )
        if all(p[key] is not None for p in series)
    ]
    values = [v for p in series for key in AT_PRICE for v in p[key]] + [p[key] for p in series for key, *_ in aws_lines]
    canvas = Canvas(920, 460)
    plot = Plot(canvas, 80, 40, 820, 390, Axis.fitting(xs, zero=False), Axis.fitting(values or [1.0]))
    headline = d["headlineBreakEven"]  # the figure the decision sentence and the report lead with
    drawn = [label.removeprefix("AWS + Ground Station ") for _, _, _, label in aws_lines]
    # one band reserved, the other on demand: the headline's mix has no line of its own here
    undrawn = (
        f"; its Ground Station line is not drawn, only {' and '.join(drawn)}"
        if drawn and headline["groundStation"] not in drawn
        else ""
    )
    subtitle = (
        ""
        if headline["perMinute"] is None
        else f" (break-even of {cloud_title(headline['partnerCloud'])} + partner with AWS Ground Station "
        f"{headline['groundStation']} at the spec's contacts: {break_even_text(headline['perMinute'])}{undrawn})"
    )
    title = f"{doc['mission']}: monthly cost vs contacts per day{subtitle}"
    plot.frame(title, "contacts per day per satellite", "USD per month (known prices)")
    azure = CLOUD_COLORS["azure"]
    legend: list[tuple[str, str, str]] = []
    if prices:
        span = f"{rate(prices[0])}-{rate(prices[-1])}/min"
        # AWS with the same partner network instead of Ground Station: a fainter band of its own
        aws_partner = [p["awsPartnerAtPrice"] for p in series]
        plot.band(xs, [v[0] for v in aws_partner], [v[-1] for v in aws_partner], CLOUD_COLORS["aws"], 0.10)
        legend.append((f"AWS + partner, {span}", CLOUD_COLORS["aws"], "box"))
        plot.band(xs, [p["azureAtPrice"][0] for p in series], [p["azureAtPrice"][-1] for p in series], azure, 0.18)
        legend.append((f"Azure + partner, {span}", azure, "box"))
        ends = []
        for i in range(len(prices)):
            ys = [p["azureAtPrice"][i] for p in series]
            plot.line(xs, ys, azure, width=0.8, opacity=0.6)
            ends.append(plot.py(ys[-1]) + 3)
        # a label per price at its line's end, 9 px apart at least (a price near a quarter one)
        for price, y in zip(prices, spread(ends, 9, plot.top + 8, plot.bottom), strict=True):
            canvas.text(plot.px(xs[-1]) + 4, y, f"{rate(price)}/min", size=8, fill=azure)
    for key, dash, width, label in aws_lines:
        plot.line(xs, [p[key] for p in series], CLOUD_COLORS["aws"], width=width, dash=dash)
        legend.append((label, CLOUD_COLORS["aws"], "dash" if dash else "line"))
    planned = d["plannedContactsPerDay"]
    plot.vline(planned, "#444444")
    canvas.text(plot.px(planned) + 3, plot.bottom - 4, "spec", size=9)
    plot.legend(legend)
    return canvas.svg(title)


CHARTS = {"cost_by_layer": cost_by_layer, "storage_growth": storage_growth, "sensitivity": sensitivity}


def render_charts(doc: dict[str, Any]) -> dict[str, bytes]:
    """Every chart of the report, by name, as SVG bytes."""
    return {name: draw(doc) for name, draw in CHARTS.items()}
