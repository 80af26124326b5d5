"""The report's charts as PNG bytes (matplotlib, headless), drawn from compare.json."""

from __future__ import annotations

import io
from typing import Any

from .render_format import layer_cost

CLOUD_COLORS = {"aws": "#ff9900", "azure": "#0078d4"}
TIER_COLORS = {"hot": "#d62728", "cool": "#1f77b4", "cold": "#17becf", "archive": "#7f7f7f"}


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)  # constrained layout already fits the text: one render pass
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buffer.getvalue()


def cost_by_layer(doc: dict[str, Any]) -> bytes:
    """Known monthly cost per layer per cloud (log scale: contact minutes dwarf the rest);
    layers with an unknown price are marked, since their bar is a lower bound."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    layers = doc["layers"]
    clouds = list(doc["cost"]["clouds"])
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(layers) * len(clouds) + 1.2), layout="constrained")
    height = 0.8 / len(clouds)
    for i, cloud in enumerate(clouds):
        by_layer = doc["cost"]["clouds"][cloud]["byLayer"]
        ys = [j + i * height for j in range(len(layers))]
        values = [max(by_layer[layer]["known"], 0.0) for layer in layers]
        ax.barh(
            ys, [v if v > 0 else 0 for v in values], height=height, color=CLOUD_COLORS.get(cloud), label=cloud.upper()
        )
        for y, layer, value in zip(ys, layers, values, strict=False):
            ax.text(
                max(value, 0.01) * 1.05, y, layer_cost(doc["cost"]["clouds"][cloud], layer), va="center", fontsize=8
            )
    ax.set_xscale("log")
    ax.set_yticks([j + height * (len(clouds) - 1) / 2 for j in range(len(layers))], layers)
    ax.invert_yaxis()
    ax.set_xlabel("USD per month (steady state, log scale; known prices only)")
    ax.set_title(f"{doc['mission']}: monthly cost by layer")
    ax.legend(loc="lower right")
    ax.set_xlim(left=0.01)
    return _png(fig)


def storage_growth(doc: dict[str, Any]) -> bytes:
    """GB held per tier each month (both clouds hold the same data) and each cloud's storage bill."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    months = doc["cost"]["usage"]["storageGbByMonth"]
    xs = [m["month"] for m in months]
    tiers = [t for t in TIER_COLORS if any(m["average"].get(t, 0) for m in months)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    left.stackplot(
        xs,
        *[[m["average"].get(t, 0) for m in months] for t in tiers],
        labels=tiers,
        colors=[TIER_COLORS[t] for t in tiers],
        alpha=0.85,
    )
    left.set_xlabel("month of operation")
    left.set_ylabel("GB held (monthly average)")
    left.set_title("Storage by tier (raw + products)")
    left.legend(loc="upper left", fontsize=8)
    for cloud, data in doc["cost"]["clouds"].items():
        right.plot(
            xs,
            [p["storageKnown"] for p in data["projection"]],
            marker="o",
            label=cloud.upper(),
            color=CLOUD_COLORS.get(cloud),
        )
    right.set_xlabel("month of operation")
    right.set_ylabel("USD per month")
    right.set_title("Storage cost over 12 months")
    right.legend(loc="upper left", fontsize=8)
    for axis in (left, right):
        axis.set_xticks(xs)
        axis.grid(alpha=0.3)
    return _png(fig)


def sensitivity(doc: dict[str, Any]) -> bytes:
    """Monthly cost of both clouds against contacts per day: AWS with Ground Station on demand (and
    reserved when supplied) as lines, Azure with a partner as a band over the range of partner prices."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = doc["decision"]
    series, prices = d["sensitivity"]["series"], d["sensitivity"]["partnerPrices"]
    xs = [p["contactsPerDay"] for p in series]
    fig, ax = plt.subplots(figsize=(9, 4.6), layout="constrained")
    if prices:
        low = [p["azureAtPrice"][0] for p in series]
        high = [p["azureAtPrice"][-1] for p in series]
        ax.fill_between(
            xs,
            low,
            high,
            color=CLOUD_COLORS["azure"],
            alpha=0.18,
            label=f"Azure + partner, \\${prices[0]:,.2f}-\\${prices[-1]:,.2f}/min",
        )
        for i, price in enumerate(prices):
            ax.plot(xs, [p["azureAtPrice"][i] for p in series], color=CLOUD_COLORS["azure"], lw=0.8, alpha=0.6)
            ax.annotate(
                f"\\${price:,.2f}/min",
                (xs[-1], series[-1]["azureAtPrice"][i]),
                fontsize=7,
                color=CLOUD_COLORS["azure"],
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
            )
    for key, style, width, label in (
        ("awsOnDemand", "-", 2.2, "AWS + Ground Station on demand"),
        ("awsReserved", "--", 1.6, "AWS + Ground Station reserved"),
    ):
        if all(p[key] is not None for p in series):
            ax.plot(xs, [p[key] for p in series], color=CLOUD_COLORS["aws"], lw=width, ls=style, label=label)
    planned = doc["decision"]["plannedContactsPerDay"]
    ax.axvline(planned, color="#444444", ls=":", lw=1)
    ax.annotate(" spec", (planned, ax.get_ylim()[0]), fontsize=8, ha="left", va="bottom")
    ax.set_xlabel("contacts per day per satellite")
    ax.set_ylabel("USD per month (known prices)")
    breakeven = d["breakEvenPerMinute"]["azurePartnerVsAwsOnDemand"]
    subtitle = "" if breakeven is None else f" (break-even at the spec's contacts: \\${breakeven:,.2f}/min)"
    ax.set_title(f"{doc['mission']}: monthly cost vs contacts per day{subtitle}")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return _png(fig)


def storage_inputs(doc: dict[str, Any]) -> Any:
    """Everything `storage_growth` draws from: a chart drawn early is reused only if this matches."""
    return (
        doc["cost"]["usage"]["storageGbByMonth"],
        {cloud: [p["storageKnown"] for p in data["projection"]] for cloud, data in doc["cost"]["clouds"].items()},
    )


def render_charts(doc: dict[str, Any], early: dict[str, Any] | None = None) -> dict[str, bytes]:
    """Both charts; `early` may hold a storage chart drawn while the plans ran (it does not need them)."""
    early = early or {}
    storage = early["storage_growth"] if early.get("storage_inputs") == storage_inputs(doc) else storage_growth(doc)
    return {"cost_by_layer": cost_by_layer(doc), "storage_growth": storage, "sensitivity": sensitivity(doc)}


def draw_early(cost: dict[str, Any]) -> dict[str, Any]:
    """The storage chart from a cost section computed without plans (storage does not depend on them)."""
    doc = {"cost": cost}
    return {"storage_inputs": storage_inputs(doc), "storage_growth": storage_growth(doc)}
