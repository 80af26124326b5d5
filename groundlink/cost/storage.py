"""How much data sits in each storage tier, given a landing rate and a lifecycle.

Data lands at a constant rate; an object of age `d` days sits in the hot tier
until the first transition, then in each tier until the next, and is deleted
at expiry. After `t` days of operation the GB in a tier spanning ages [a, b)
is `rate * clamp(t - a, 0, b - a)`; a month is billed on its average, the
integral of that over the month divided by its length (exact, not sampled).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

HOT = "hot"
TIERS = (HOT, "cool", "cold", "archive")


@dataclass(frozen=True)
class Span:
    tier: str
    start_day: float
    end_day: float

    @property
    def days(self) -> float:
        return self.end_day - self.start_day


def spans(transitions: tuple[tuple[int, str], ...], expire_days: int) -> list[Span]:
    """Age spans per tier: hot until the first transition, each tier until the next, gone at expiry."""
    edges = [(0, HOT), *transitions]
    out = []
    for i, (start, tier) in enumerate(edges):
        end = edges[i + 1][0] if i + 1 < len(edges) else expire_days
        end = min(end, expire_days)
        if end > start:
            out.append(Span(tier, float(start), float(end)))
    return out


def _accumulated(t: float, span: Span) -> float:
    """Integral over [0, t] of the GB (per GB/day landed) held in `span`."""
    if t <= span.start_day:
        return 0.0
    if t <= span.end_day:
        return (t - span.start_day) ** 2 / 2
    return span.days**2 / 2 + span.days * (t - span.end_day)


def stock(gb_per_day: float, span: Span, day: float) -> float:
    """GB held in `span` after `day` days of operation."""
    return gb_per_day * min(max(day - span.start_day, 0.0), span.days)


def average_stock(gb_per_day: float, span: Span, start_day: float, end_day: float) -> float:
    """Average GB held in `span` between two days of operation (what a GB-month bill charges)."""
    return gb_per_day * (_accumulated(end_day, span) - _accumulated(start_day, span)) / (end_day - start_day)


def steady_state(gb_per_day: float, span: Span) -> float:
    """GB held in `span` once the oldest data has reached expiry."""
    return gb_per_day * span.days


def by_tier(values: list[tuple[str, float]]) -> dict[str, float]:
    out = dict.fromkeys(TIERS, 0.0)
    for tier, gb in values:
        out[tier] += gb
    return out


def held_spans(spans: tuple[Span, ...] | list[Span], hold: Callable[[str], str], kept_days: float) -> list[Span]:
    """`spans` as a cloud holds the data: each tier as the cloud keeps it, consecutive spans of one
    held tier merged (Azure keeps archive-aged data in Cold: one stay in Cold, not two), and the
    last span longer by the days a deleted object is still kept (noncurrent versions, soft delete)."""
    out: list[Span] = []
    for span in spans:
        tier = hold(span.tier)
        if out and out[-1].tier == tier:
            out[-1] = Span(tier, out[-1].start_day, span.end_day)
        else:
            out.append(Span(tier, span.start_day, span.end_day))
    if out and kept_days:
        out[-1] = Span(out[-1].tier, out[-1].start_day, out[-1].end_day + kept_days)
    return out


def leaving(gb_per_day: float, span: Span, start_day: float | None, end_day: float | None) -> float:
    """GB a day leaving `span` (deleted or moved on), on average between two days of operation, or
    once the oldest data has left it (`start_day` None): data lands at a constant rate, so from the
    day the first data reaches the span's end as much leaves a day as lands."""
    if start_day is None or end_day is None:
        return gb_per_day
    return gb_per_day * max(end_day - max(start_day, span.end_day), 0.0) / (end_day - start_day)


def minimum_charge(
    gb_per_day: float, span: Span, minimum_days: float, start_day: float | None = None, end_day: float | None = None
) -> float:
    """The GB a month is billed for beyond what `span` holds because its data leaves before the
    tier's minimum storage duration: each GB leaving is billed for the days of the minimum it did
    not stay (the same GB-month measure as `average_stock`)."""
    short = max(minimum_days - span.days, 0.0)
    return leaving(gb_per_day, span, start_day, end_day) * short
