"""Properties of the storage model that must hold for any lifecycle a spec can express."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.cost.storage import HOT, average_stock, spans, steady_state, stock

TIER_NAMES = ("cool", "cold", "archive")


@st.composite
def lifecycles(draw):
    """A schedule the spec accepts: ascending days and tiers, every step before expiry."""
    expire = draw(st.integers(2, 4000))
    count = draw(st.integers(0, min(3, expire - 1)))
    tiers = sorted(
        draw(st.lists(st.sampled_from(TIER_NAMES), unique=True, min_size=count, max_size=count)), key=TIER_NAMES.index
    )
    days = sorted(draw(st.lists(st.integers(1, expire - 1), min_size=count, max_size=count, unique=True)))
    return tuple(zip(days, tiers, strict=False)), expire


@settings(max_examples=200, deadline=None)
@given(lifecycles(), st.floats(0.001, 1e5))
def test_steady_state_holds_exactly_retention_days_of_data(lifecycle, gb_per_day):
    transitions, expire = lifecycle
    parts = spans(transitions, expire)
    assert parts[0].tier == HOT and parts[0].start_day == 0
    assert all(a.end_day == b.start_day for a, b in itertools.pairwise(parts))  # no gap, no overlap
    total = sum(steady_state(gb_per_day, s) for s in parts)
    assert abs(total - gb_per_day * expire) <= 1e-9 * max(1.0, total)


@settings(max_examples=200, deadline=None)
@given(lifecycles(), st.floats(0.001, 1e4), st.floats(0, 5000))
def test_stock_grows_until_retention_then_stays(lifecycle, gb_per_day, day):
    transitions, expire = lifecycle
    held = sum(stock(gb_per_day, s, day) for s in spans(transitions, expire))
    expected = gb_per_day * min(day, expire)
    assert abs(held - expected) <= 1e-9 * max(1.0, expected)


@settings(max_examples=100, deadline=None)
@given(lifecycles(), st.floats(0.001, 1e4), st.integers(0, 200))
def test_a_months_average_lies_between_its_first_and_last_day(lifecycle, gb_per_day, month):
    transitions, expire = lifecycle
    start, end = month * 30.0, (month + 1) * 30.0
    for span in spans(transitions, expire):
        average = average_stock(gb_per_day, span, start, end)
        low, high = sorted((stock(gb_per_day, span, start), stock(gb_per_day, span, end)))
        assert low - 1e-9 * max(1.0, high) <= average <= high + 1e-9 * max(1.0, high)
