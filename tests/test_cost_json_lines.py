"""The cost lines and the Ground Station figures as compare.json gives them to a reader.

A reader of compare.json looks a line's price up by its `priceId` in `prices[]` and reads the
keys docs/compare.md documents. So every line of every example plan, on both clouds, must
carry each documented key, name a price the catalog has, repeat that catalog entry's
price, unit and source, and say how its quantity was reached (its basis). The expectations come from docs/compare.md and the price catalogs
(data the model reads), never from the model's own output.
"""

from __future__ import annotations

import re
from functools import cache, partial
from typing import Any

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Catalog, Override, OverrideFile, apply_overrides
from groundlink.cost.decision import decision
from groundlink.spec import spec_from_data

from .conftest import ROOT, plan_of, spec_data


def _streaming_partner() -> dict[str, Any]:
    """partner.yaml with the partner streaming contacts live and no telemetry stream (the
    variant test_cost.py prices, so its plans are shared)."""
    data = spec_data("partner.yaml")
    data["delivery"] = {"object_store": True, "stream": True}
    data["analytics"]["telemetry_stream"] = False
    return data


EXAMPLES = ("noaa20.yaml", "partner.yaml", "constellation.yaml", "aqua-legacy.yaml")
SPECS = {**{name: partial(spec_data, name) for name in EXAMPLES}, "partner streaming live": _streaming_partner}


def documented_line_keys() -> list[str]:
    """The keys of "a line" in docs/compare.md's compare.json table."""
    row = re.search(r"^\| a line \| (.+) \|$", (ROOT / "docs" / "compare.md").read_text(), re.M)
    assert row, "docs/compare.md documents the keys of a cost line"
    return re.findall(r"`(\w+)`", row.group(1))


@cache
def catalogs() -> dict[str, Catalog]:
    return load_catalogs()[0]


@cache
def lines_of(spec: str, cloud: str) -> list[dict[str, Any]]:
    data = SPECS[spec]()
    est = estimate(
        build_blueprint(spec_from_data(data)), catalogs(), plans={c: plan_of(data, c) for c in ("aws", "azure")}
    )
    return [line.to_json(cloud) for line in est.clouds[cloud].lines]


def test_the_documented_keys_of_a_line_are_the_ones_a_reader_needs():
    keys = documented_line_keys()
    assert {"unit", "per", "priceId", "price", "cost", "source", "date"} <= set(keys)


@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize("spec", SPECS)
def test_every_line_carries_the_documented_keys_and_its_catalog_entry(spec, cloud):
    lines = lines_of(spec, cloud)
    assert lines, f"{spec} has no {cloud} cost lines"
    keys = documented_line_keys()
    prices = catalogs()[cloud].prices
    for line in lines:
        assert set(keys) <= set(line), f"{line['item']}: missing {sorted(set(keys) - set(line))}"
        cloud_prefix, _, price_id = line["priceId"].partition(".")
        assert cloud_prefix == cloud
        assert price_id in prices, f"{line['item']}: priceId {line['priceId']} is not in the {cloud} catalog"
        entry = prices[price_id]
        assert (line["price"], line["unit"], line["per"]) == (entry.price, entry.unit, entry.per), line["item"]
        assert (line["source"], line["region"]) == (entry.source, entry.region), line["item"]
        assert isinstance(line["basis"], str) and line["basis"].strip(), f"{line['item']}: no basis for its quantity"


def test_a_partner_streaming_live_is_billed_for_its_stream_on_both_clouds():
    """The stream a partner writes into is a priced ground line on each cloud (its priceId and
    price checked against the catalog above)."""
    for cloud in ("aws", "azure"):
        ground = [line for line in lines_of("partner streaming live", cloud) if line["layer"] == "ground"]
        assert any("partner live delivery" in line["item"] for line in ground), cloud


def test_ground_station_monthly_gives_on_demand_and_reserved_once_the_reserved_price_is_supplied():
    """docs/compare.md: reserved minutes replace on-demand when the reserved price is supplied;
    until then the reserved figure is unknown (null), not zero."""
    blueprint = build_blueprint(spec_from_data(spec_data("noaa20.yaml")))
    unsupplied = decision(blueprint, estimate(blueprint, catalogs()))["groundStationMonthly"]
    assert set(unsupplied) == {"onDemand", "reserved"}
    assert unsupplied["onDemand"] > 0 and unsupplied["reserved"] is None
    contract = OverrideFile(
        aws={
            f"ground_station_reserved_{band}_minute": Override(price=2, source="contract", date="2026-12-01")
            for band in ("narrowband", "wideband")
        }
    )
    chosen = {cloud: apply_overrides(c, contract, "test") for cloud, c in catalogs().items()}
    est = estimate(blueprint, chosen)
    supplied = decision(blueprint, est)["groundStationMonthly"]
    minutes = est.usage.billed_minutes(False) + est.usage.billed_minutes(True)
    assert minutes > 0
    assert supplied["reserved"] == pytest.approx(2 * minutes, abs=0.01)
    assert supplied["onDemand"] == unsupplied["onDemand"]
