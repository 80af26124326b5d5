"""What the pack's messages show of a value the user gave: a number as written (the Analyzer
protocol turns 120 into 120.0), anything else (a string from config, a flag) as given, so the
message names the value the user has to fix."""

from __future__ import annotations

import pytest

from .policies_support import run_resource

PROFILE = {
    "minimumViableContactDurationSeconds": 180,
    "contactPrePassDurationSeconds": 120,
    "contactPostPassDurationSeconds": 60,
    "dataflowEdges": [{"source": "a", "destination": "b"}],
}


@pytest.mark.parametrize(
    "value, shown",
    [(120.0, None), (30000.0, "30000"), (-1, "-1"), ("120", "120"), ("two minutes", "two minutes")],
)
def test_a_timing_that_is_not_a_number_in_range_is_shown_as_given(value, shown):
    messages = run_resource("aws-gs-mission-profile", {**PROFILE, "contactPrePassDurationSeconds": value})
    assert messages == ([] if shown is None else [f"contactPrePassDurationSeconds {shown} is outside 0-21600 s"])


@pytest.mark.parametrize("value, shown", [(1.5, "1.5"), ("600", "600"), (False, "False")])
def test_an_endpoint_group_timing_is_shown_as_given(value, shown):
    messages = run_resource("aws-gs-endpoint-group-timing", {"contactPostPassDurationSeconds": value})
    assert messages == [f"contactPostPassDurationSeconds {shown} is outside 120-480 s"]
