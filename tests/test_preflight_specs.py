"""Specs for satellites the examples do not use preflight clean on both clouds.

Suomi NPP, Terra, NOAA-21, an S-band DigIF cubesat, a partner mission and a mixed
three-satellite mission (tests/fixtures/specs, values sourced in each file's header).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from groundlink.preflight import preflight_planned

from .conftest import cached_plan

FIXTURES = Path(__file__).parent / "fixtures" / "specs"
SPECS = ("suomi-npp.yaml", "terra.yaml", "noaa21.yaml", "sband-cubesat.yaml", "noaa21-partner.yaml", "mixed-three.yaml")


def test_every_fixture_is_listed():
    assert sorted(p.name for p in FIXTURES.glob("*.yaml")) == sorted(SPECS)


@pytest.mark.parametrize("spec", SPECS)
def test_spec_preflights_clean_on_both_clouds(spec):
    for cloud in ("aws", "azure"):
        plan = cached_plan(str(FIXTURES / spec), cloud)
        assert len(plan.resources) > 20
        assert [f.line() for f in preflight_planned(plan)] == []
