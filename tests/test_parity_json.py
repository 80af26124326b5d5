"""The parity matrix as compare.json gives it: the keys docs/compare.md documents, filled."""

from __future__ import annotations

import re

from groundlink.blueprint import build_blueprint
from groundlink.parity import parity
from groundlink.spec import load_spec

from .conftest import ROOT, SPECS


def documented_parity_keys() -> set[str]:
    row = re.search(r"^\| `parity` \| (.+) \|$", (ROOT / "docs" / "compare.md").read_text(), re.M)
    assert row, "docs/compare.md documents the parity section"
    # top-level keys only: `rows[]` names its own keys in parentheses
    top = re.sub(r"\([^)]*\)", "", row.group(1))
    return {key.removesuffix("[]") for key in re.findall(r"`([\w\[\]]+)`", top)}


def test_the_parity_json_has_exactly_the_documented_keys(aws_noaa20, azure_noaa20):
    keys = documented_parity_keys()
    assert {"ok", "failures", "rows", "notNeededButRealized"} <= keys
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml"))
    doc = parity(blueprint, {"aws": aws_noaa20, "azure": azure_noaa20}).to_json()
    assert set(doc) == keys
    assert doc["ok"] is True and doc["failures"] == [] and doc["rows"]


def test_not_needed_but_realized_names_only_the_clouds_that_realize_more(aws_noaa20, azure_noaa20):
    """compare.json's notNeededButRealized lists a cloud only when it realizes a capability the spec
    does not need: noaa20's Azure stack lands a partner's deliveries (it has no station of its own),
    and AWS realizes nothing extra, so AWS is left out rather than listed with an empty list."""
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml"))
    doc = parity(blueprint, {"aws": aws_noaa20, "azure": azure_noaa20}).to_json()
    assert doc["notNeededButRealized"] == {"azure": ["ground.partner_landing"]}
