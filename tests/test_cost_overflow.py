"""A cost past what a number holds is one line naming the line item, not a report of inf or
a traceback from the charts: the spec bounds usage figures below only, and a price may be
any finite number."""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cli import main
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.model import CostOverflow
from groundlink.spec import spec_from_data

from .conftest import spec_data, write_spec


def _huge_egress() -> dict:
    data = spec_data("noaa20.yaml")
    data["usage"]["egress_gb_per_month"] = 1.0e308
    return data


def test_a_usage_figure_past_what_a_cost_holds_names_the_line() -> None:
    catalogs, assumptions = load_catalogs()
    with pytest.raises(CostOverflow) as error:
        estimate(build_blueprint(spec_from_data(_huge_egress())), catalogs, assumptions)
    assert str(error.value).startswith("cost: aws storage 'Internet egress': 1e+308 GB")
    assert str(error.value).endswith("is past what a number holds; check the spec's usage figures and --prices")


def test_the_largest_finite_figures_of_the_example_still_price() -> None:
    data = spec_data("noaa20.yaml")
    data["usage"]["egress_gb_per_month"] = 1.0e12  # a petabyte a month, a thousand times over
    catalogs, assumptions = load_catalogs()
    cost = estimate(build_blueprint(spec_from_data(data)), catalogs, assumptions)
    assert cost.clouds["aws"].monthly.known > 1e10


def test_compare_refuses_it_in_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs())  # the example's plans: the cost is the subject
    spec = write_spec(tmp_path, _huge_egress(), "huge.yaml")
    out = tmp_path / "report"

    assert main(["compare", str(spec), "--out", str(out)]) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("groundlink: cost: aws storage 'Internet egress'") and not out.exists()
