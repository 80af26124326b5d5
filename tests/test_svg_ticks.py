"""The labels of a chart axis's ticks, as `Plot.frame` draws them: every linear axis was labelled
to two decimals, so [0, 0.008] read 0, 0, 0, 0.01, 0.01; a log axis wrote its decades under 1
with `:g` (1e-05)."""

from __future__ import annotations

import re

from groundlink.report.svg import Axis, Canvas, Plot


def _labels(x: Axis, y: Axis) -> tuple[list[str], list[str]]:
    """The x and y tick labels of a framed plot (the 10px texts, below the box and left of it)."""
    canvas = Canvas(400, 300)
    Plot(canvas, 60, 40, 380, 260, x, y).frame("title", "x")
    texts = re.findall(r'<text x="[^"]+" y="([^"]+)" font-size="10"[^>]*>([^<]*)</text>', "\n".join(canvas.parts))
    return [t for ty, t in texts if float(ty) == 276], [t for ty, t in texts if float(ty) != 276]


def test_a_small_range_is_labelled_to_its_step():
    xs, ys = _labels(Axis.fitting([0, 0.008]), Axis.fitting([0, 0.09]))
    assert xs == ["0", "0.002", "0.004", "0.006", "0.008"]
    assert ys == ["0", "0.02", "0.04", "0.06", "0.08", "0.1"]


def test_a_quarter_step_keeps_its_second_decimal():
    xs, ys = _labels(Axis.fitting([0, 0.12]), Axis.fitting([0, 12]))
    assert xs == ["0", "0.025", "0.05", "0.075", "0.1", "0.125"]
    assert ys == ["0", "2.5", "5", "7.5", "10", "12.5"]


def test_a_large_range_keeps_thousands_separators():
    xs, ys = _labels(Axis.fitting([0, 4_200_000]), Axis.fitting([-0.03, 0.05]))
    assert xs == ["0", "1,000,000", "2,000,000", "3,000,000", "4,000,000", "5,000,000"]
    assert ys == ["-0.04", "-0.02", "0", "0.02", "0.04", "0.06"]


def test_a_log_axis_writes_small_decades_without_an_exponent():
    xs, _ = _labels(Axis.fitting([0.00002, 5000], log=True), Axis.fitting([0, 1]))
    assert xs == ["0.00001", "0.0001", "0.001", "0.01", "0.1", "1", "10", "100", "1,000", "10,000"]
