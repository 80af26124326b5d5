"""Figures the documents state that the code computes, computed again: a document that said the
storage layer of small products was $50.71, where `compare` printed $195.43 since the products
were priced as the processor writes them, misled every reader who sized a budget from it."""

from __future__ import annotations

import re

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.catalog import Assumptions
from groundlink.limits import AWS_STACK_SERVICES
from groundlink.spec import load_spec

from .conftest import ROOT

PER_OBJECT = ("lifecycle transitions", "archived object overhead")  # the lifecycle's per-object lines


def _flat(document: str) -> str:
    """The document's text with its line breaks and indentation as single spaces."""
    return re.sub(r"\s+", " ", (ROOT / document).read_text(encoding="utf-8"))


def _aws_storage(object_size_mb: float | None) -> tuple[float, float, float]:
    """(the storage layer, its per-object lines, S3 Standard's GB-months) of the reference spec on
    AWS at the shipped prices, as `compare --prices` with `assumptions.object_size_mb` prints them."""
    catalogs, _ = load_catalogs(None)
    blueprint = build_blueprint(load_spec(ROOT / "specs" / "noaa20.yaml"))
    lines = [
        x
        for x in estimate(blueprint, catalogs, Assumptions(object_size_mb=object_size_mb)).clouds["aws"].lines
        if x.layer == "storage"
    ]
    standard = next(x.quantity for x in lines if x.item == "S3 Standard storage")
    per_object = sum(x.cost for x in lines if any(kind in x.item for kind in PER_OBJECT))
    return sum(x.cost for x in lines), per_object, standard


def test_docs_aws_states_the_storage_layer_of_small_products_as_compare_prices_it():
    layer, per_object, standard = _aws_storage(0.1)
    default_layer, _, default_standard = _aws_storage(None)
    assert per_object > 0 and default_layer < layer  # the example shows what small objects cost
    stated = (
        f"the storage layer is ${layer:,.2f} (computed 2026-12-08): ${layer - per_object:,.2f} of capacity and PUT "
        f"requests, S3 Standard holding {standard:,.0f} GB-month ({default_standard:,.0f} GB-month at the default "
        f"object size, where every object is tiered and the layer is ${default_layer:,.2f}), and ${per_object:,.2f} "
        "of the lifecycle's per-object lines"
    )
    assert stated in _flat("docs/aws.md")


def test_docs_facts_counts_the_services_every_stack_region_has():
    assert f"where all {len(AWS_STACK_SERVICES)} `AWS_STACK_SERVICES` have one" in _flat("docs/facts.md")


def _ports_that_fit(pseudo_randomized: bool) -> int:
    """The most five-digit UDP ports (10000 upward) a function's capture setting takes."""
    from groundlink.spec import SpecError, spec_from_data

    from .conftest import spec_data

    def fits(count: int) -> bool:
        data = spec_data("noaa20.yaml")
        data["processing"]["capture"] = {"udp_ports": list(range(10_000, 10_000 + count))}
        if pseudo_randomized:
            data["processing"]["capture"]["pseudo_randomized"] = True
        try:
            spec_from_data(data, "s.yaml")
        except SpecError:
            return False
        return True

    low, high = 1, 1000  # fits(low), not fits(high)
    assert fits(low) and not fits(high)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def test_the_readme_states_how_many_ports_a_function_s_capture_setting_takes():
    stated = (
        f"({_ports_that_fit(False)} five-digit ports with the other `capture` details at their defaults, "
        f"{_ports_that_fit(True)} with `pseudo_randomized: true`)"
    )
    assert stated in _flat("README.md")
