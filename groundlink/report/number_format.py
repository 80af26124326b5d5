"""Number formatting shared by every rendering of a comparison."""

from __future__ import annotations

from typing import Any


def usd(value: float | None) -> str:
    if value is None:
        return "unknown"
    if 0 < abs(value) < 0.01:
        return f"${value:.4f}"
    return f"${value:,.2f}"


def rate(value: float) -> str:
    """A unit price, with all its digits: $0.0125 must not print as $0.01."""
    return f"${value:,.2f}" if value >= 1 or round(value, 2) == value else f"${value:.6g}"


def money(t: dict[str, Any]) -> str:
    """A partial total says so, and a total made only of unknowns is never shown as $0."""
    if t["complete"]:
        return usd(t["known"])
    if not t["known"]:
        return "unknown"
    return f"{usd(t['known'])} + unknown"


def num(value: float | None) -> str:
    if value is None:
        return "—"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}"


def layer_cost(cloud_cost: dict[str, Any], layer: str) -> str:
    """A layer's monthly cost as every rendering shows it: "not priced" when no cost line falls in it."""
    priced = any(x["layer"] == layer for x in cloud_cost["lines"])
    return money(cloud_cost["byLayer"][layer]) if priced else "not priced"


def break_even_text(price: float | None) -> str:
    """A break-even partner price as the report shows it. At or below zero the partner side
    costs more even with free minutes: no price breaks even, and a negative one is no price."""
    if price is None:
        return "n/a (reserved price not supplied)"
    if price <= 0:
        return "none: AWS Ground Station is cheaper at any partner price"
    return f"{usd(price)}/min"
