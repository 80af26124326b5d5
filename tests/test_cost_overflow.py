"""Every cost stays a number. The spec bounds the figures a cost multiplies (usage.*, a
partner's price per minute) above as well as below, so the largest figures it allows still
price; a price from --prices that takes a cost past what a number holds is one line naming
the line item and the price id, not a report of inf or a traceback from the charts."""

from __future__ import annotations

import decimal
import json
import math
import re
from decimal import Decimal

import annotated_types as at
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cli import main
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.model import CostOverflow
from groundlink.spec import Partner, SpecError, Usage, spec_from_data

from .conftest import spec_data, with_changes, write_spec


def _upper(model, name: str) -> float:
    [bound] = [m.le for m in model.model_fields[name].metadata if isinstance(m, at.Le)]
    return bound


USAGE_MAXIMA = {f"usage.{name}": _upper(Usage, name) for name in Usage.model_fields}


@pytest.mark.parametrize("base", ["noaa20.yaml", "partner.yaml", "constellation.yaml"])
def test_the_largest_figures_the_spec_allows_still_price(base) -> None:
    changes = dict(USAGE_MAXIMA)
    if base == "partner.yaml":
        changes["ground_segment.partner.price_per_minute_usd"] = _upper(Partner, "price_per_minute_usd")
    spec = spec_from_data(with_changes(spec_data(base), changes))
    catalogs, assumptions = load_catalogs()
    cost = estimate(build_blueprint(spec), catalogs, assumptions)
    for cloud in cost.clouds.values():
        # an exabyte of egress alone bills tens of millions of dollars on either cloud
        assert math.isfinite(cloud.monthly.known) and cloud.monthly.known > 1e7


@pytest.mark.parametrize(
    "path, value",
    [
        ("usage.egress_gb_per_month", 1.0e308),
        ("usage.queries_per_month", 10**400),  # was an OverflowError from the cost model
        ("usage.telemetry_kb_per_second", 1.0e308),
        ("ground_segment.partner.price_per_minute_usd", 1.0e308),
    ],
)
def test_a_figure_past_its_bound_is_refused_by_the_spec_naming_the_field(path, value) -> None:
    with pytest.raises(SpecError) as error:
        spec_from_data(with_changes(spec_data("partner.yaml"), {path: value}))
    [line] = str(error.value).splitlines()
    # the field's whole range, its upper bound the one broken
    assert line.startswith(f"<spec>: {path}: ") and re.search(
        r"is out of range; allowed: (0-|more than 0, at most )[\d,.]+$", line
    )


def _huge_egress_price(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text("aws:\n  egress_internet_gb: {price: 1.0e+306, source: a typo, date: '2026-12-02'}\n")
    data = with_changes(spec_data("noaa20.yaml"), {"usage.egress_gb_per_month": 1.0e6})
    return data, prices


def test_a_price_past_what_a_cost_holds_names_the_line_and_the_price(tmp_path) -> None:
    data, prices = _huge_egress_price(tmp_path)
    catalogs, assumptions = load_catalogs(prices)
    with pytest.raises(CostOverflow) as error:
        estimate(build_blueprint(spec_from_data(data)), catalogs, assumptions)
    assert str(error.value).startswith("cost: aws storage 'Internet egress': 1,000,000 GB")
    assert str(error.value).endswith(
        "is past what a number holds; check the price aws.egress_internet_gb (--prices) and the spec's usage figures"
    )


def test_compare_refuses_it_in_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs())  # the example's plans: the cost is the subject
    data, prices = _huge_egress_price(tmp_path)
    spec = write_spec(tmp_path, data, "huge.yaml")
    out = tmp_path / "report"

    assert main(["compare", str(spec), "--out", str(out), "--prices", str(prices)]) == 2

    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("groundlink: cost: aws storage 'Internet egress'") and not out.exists()


@pytest.mark.parametrize("price", ["1.0e+25", "1.0e+300"])
def test_a_huge_price_that_stays_finite_is_reported_to_the_cent(tmp_path, capsys, monkeypatch, price) -> None:
    """Past 28 digits (Decimal's default precision) a cost could not be rounded to the cent:
    a large override ended in a traceback instead of a report."""
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs())
    prices = tmp_path / "prices.yaml"
    prices.write_text(f"aws:\n  s3_put_requests: {{price: {price}, source: a typo, date: '2026-12-02'}}\n")
    out = tmp_path / "report"

    code = main(
        ["compare", str(write_spec(tmp_path, spec_data("noaa20.yaml"))), "--out", str(out), "--prices", str(prices)]
    )

    assert code == 0, capsys.readouterr().err
    report = (out / "report.md").read_text()
    total = json.loads((out / "compare.json").read_text())["cost"]["clouds"]["aws"]["monthly"]["known"]
    # 19,466.67 PUT requests a month (160 a contact: 20 raw files and Ground Station's empty guiding
    # .pcap, the frame stream's multipart upload, the processor's 1,125,000,000 bytes of decoded
    # frames in ceil(1,125,000,000 / 8,388,608) = ceil(134.11) = 135 parts plus create and complete,
    # the frame index and the contact summary, one each; x 121.67 contacts) at the price per 1,000
    # lead the total, which is printed whole: every digit of the figure compare.json holds, to the
    # cent (28 digits and more)
    assert total == pytest.approx(160 * 4 * 365 / 12 / 1000 * float(price), rel=1e-9)
    with decimal.localcontext() as context:
        context.prec = 400
        whole = Decimal(repr(total)).quantize(Decimal("0.01"), rounding=decimal.ROUND_HALF_UP)
    assert len(f"{whole:f}") > 28 and f"| **${whole:,}** |" in report
