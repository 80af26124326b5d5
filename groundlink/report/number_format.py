"""Number formatting shared by every rendering of a comparison."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from ..rounding import amount_text, figure, half_up


def usd(value: float | Decimal | None) -> str:
    """An amount, "unknown" for None; a cost, however small, never reads as none ($0.000049 is
    not $0.0000)."""
    return "unknown" if value is None else amount_text(value)


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
    if abs(value) >= 1:
        # a whole number at the places shown is shown whole: 9125.000000000002, a sum of floats,
        # read "9,125.0" beside lines of exact counts shown "2,555"
        shown = half_up(value, 1 if abs(value) >= 100 else 2)
        return f"{int(shown):,}" if shown == shown.to_integral_value() and abs(shown) < 1e15 else f"{shown:,}"
    shown = half_up(value, 2 - math.floor(math.log10(abs(value))))  # 3 significant digits
    return f"{shown.normalize():f}"  # no trailing zeros, never in scientific notation


def layer_cost(cloud_cost: dict[str, Any], layer: str) -> str:
    """A layer's monthly cost as every rendering shows it: "not priced" for a layer the cost model
    does not price, else its total (a partial one says "+ unknown")."""
    if cloud_cost["byLayer"][layer].get("priced", True) is False:
        return "not priced"
    return money(cloud_cost["byLayer"][layer])


def fixed(value: float | None, decimals: int) -> str:
    """A figure of a table column, every row with the same number of decimals."""
    return "—" if value is None else figure(value, decimals)


def break_even_text(price: float | None) -> str:
    """A break-even partner price as the report shows it. At or below zero the partner side
    costs more even with free minutes: no price breaks even, and a negative one is no price."""
    if price is None:
        return "n/a (no reserved price supplied for every band the mission uses)"
    if price <= 0:
        return "none: AWS Ground Station is cheaper at any partner price"
    return f"{usd(price)}/min"
