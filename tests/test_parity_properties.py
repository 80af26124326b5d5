"""For any combination of spec switches, both renderers account for every capability
the blueprint asks for: realized by resources, or a gap with a reason. Never silent.

The combinations are a pairwise covering set of the switches: every value of every switch
meets every value of every other switch in at least one planned spec: eight specs, where
ten random draws planned more and covered fewer pairs."""

from __future__ import annotations

import itertools

import pytest

from groundlink.blueprint import OUTPUT_KEYS, build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.spec import spec_from_data

from .conftest import plan_of, spec_data

SWITCHES = {
    "provider": ("managed", "partner"),
    "analytics": ("off", "catalog", "catalog+sql"),
    "telemetry_stream": (False, True),
    "azure_engine": ("synapse", "adx"),
    "cmk": (False, True),
    "network": ("public", "private"),
    "stream": (False, True),
}


# A pairwise covering set of SWITCHES (checked below), one row per planned spec.
ROWS = [
    ("managed", "catalog", False, "synapse", False, "public", False),
    ("partner", "catalog", True, "adx", True, "private", True),
    ("partner", "off", True, "adx", False, "public", False),
    ("managed", "catalog+sql", False, "synapse", True, "private", True),
    ("partner", "catalog+sql", False, "adx", True, "public", False),
    ("managed", "off", True, "synapse", False, "private", True),
    ("partner", "catalog+sql", True, "synapse", False, "public", True),
    ("managed", "off", False, "adx", True, "private", False),
]
COMBINATIONS = [dict(zip(SWITCHES, row, strict=True)) for row in ROWS]


def _spec(choice: dict) -> dict:
    data = spec_data("noaa20.yaml")
    if choice["provider"] == "partner":
        data["ground_segment"].update(
            provider="partner",
            partner={
                "name": "ksat_lite",
                "aws_account_id": "111122223333",
                "azure_principal_object_id": "3f2b8c1e-6a4d-4e2f-9b7a-0c5d1e2f3a4b",
            },
        )
    data["analytics"].update(
        catalog=choice["analytics"] != "off",
        serverless_sql=choice["analytics"] == "catalog+sql",
        telemetry_stream=choice["telemetry_stream"],
        azure_engine=choice["azure_engine"],
    )
    data["security"].update(customer_managed_keys=choice["cmk"], network=choice["network"])
    data["delivery"]["stream"] = choice["stream"]
    return data


def test_the_combinations_meet_every_pair_of_switch_values():
    values = [(name, value) for name, options in SWITCHES.items() for value in options]
    for (a, x), (b, y) in itertools.combinations(values, 2):
        if a != b:
            assert any(c[a] == x and c[b] == y for c in COMBINATIONS), (a, x, b, y)


@pytest.mark.parametrize("choice", COMBINATIONS, ids=lambda c: "-".join(str(v) for v in c.values()))
def test_every_needed_capability_is_realized_or_a_declared_gap_on_both_clouds(choice):
    data = _spec(choice)
    needed = [c.id for c in build_blueprint(spec_from_data(data)).capabilities]
    assert needed
    plans = {cloud: plan_of(data, cloud) for cloud in CLOUDS}
    # the same stack output keys from each cloud (a key of what is not built is absent on both)
    assert set(plans["aws"].outputs) == set(plans["azure"].outputs) <= set(OUTPUT_KEYS)
    for cloud, result in plans.items():
        for capability in needed:
            realized = result.realizing(capability)
            reason = result.gaps.get(capability)
            assert realized or reason, f"{capability} silently missing on {cloud} for {choice}"
            assert not reason or len(reason) > 20, f"{cloud} gap {capability} gives no real reason"
    for capability in needed:
        assert any(result.realizing(capability) for result in plans.values()), (
            f"{capability} realized on neither cloud for {choice}"
        )
