"""The measured throughput the cost model reads: recorded by the benchmark, dated, read back whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from groundlink.processing.throughput import measured_throughput

from .conftest import script_module


def test_the_recorded_throughput_is_dated_and_says_where_it_was_measured() -> None:
    figures = measured_throughput()

    assert figures.bytes_per_second > 0 and figures.cpu_bytes_per_second >= figures.bytes_per_second
    assert dt.date.fromisoformat(figures.measured) <= dt.date.today()
    assert "cores" in figures.machine and figures.source.startswith("data/processing_throughput.yaml (make bench")


def test_the_benchmark_records_what_it_measured(tmp_path: Path) -> None:
    path = tmp_path / "throughput.yaml"

    def runs(cat: float, cp: float, process: float) -> dict[str, dict[str, float]]:
        return {
            "cat": {"wall": cat, "cpu": cat / 2},
            "cp": {"wall": cp, "cpu": cp / 2},
            "process": {"wall": process, "cpu": process / 2},
        }

    measured = {"bytes": 1_000_000_000, "load": 3.0, "warm": runs(0.5, 1.0, 4.0), "cold": runs(1.0, 1.5, 5.0)}

    script_module("bench/processing.py").record(measured, path)
    figures = measured_throughput(path)

    # the cost model reads the warm state; the cold one is recorded next to it
    assert (figures.bytes_per_second, figures.cpu_bytes_per_second, figures.ratio_to_cat) == (250e6, 500e6, 0.125)
    assert (figures.cold_bytes_per_second, figures.cold_ratio_to_cat) == (200e6, 0.2)
    assert figures.seconds(2_000_000_000) == pytest.approx(8.0)
    assert figures.measured == dt.date.today().isoformat()
