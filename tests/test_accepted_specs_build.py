"""Every spec `validate` accepts builds: its blueprint on both clouds, its cost estimate and the
decision's alternatives and sensitivity. The layer inputs hold values to the spec's rules, and
the cost model builds blueprints of specs it varies itself (more contacts a day, the other
ground segment), so a rule applied where a spec field has no context broke valid specs: a
minimum contact over the default contact's 10 minutes, hub units past a namespace at the
sensitivity's 20 contacts a day. Specs are drawn from the examples with numeric fields set
anywhere in their JSON Schema bounds, the ends most often."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.cost import load_catalogs
from groundlink.cost.decision import decision
from groundlink.cost.model import estimate
from groundlink.spec import MissionSpec, SpecError, json_schema, spec_from_data

from .conftest import SPECS, spec_data

EXAMPLES = int(os.environ.get("GROUNDLINK_FUZZ_EXAMPLES", "0")) or None


def _numeric_fields(schema: dict[str, Any]) -> list[tuple[tuple[str, ...], float, float, bool]]:
    """(path of object keys, minimum, maximum, whole) of every number field of the schema outside
    lists, its $refs followed."""
    defs = schema["$defs"]
    found: list[tuple[tuple[str, ...], float, float, bool]] = []

    def walk(node: dict[str, Any], path: tuple[str, ...]) -> None:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[1]]
        for option in node.get("anyOf", []):
            if option.get("type") != "null":
                walk(option, path)
        kind = node.get("type")
        low = node.get("minimum", node.get("exclusiveMinimum"))
        if kind in ("integer", "number") and low is not None and "maximum" in node:
            whole = kind == "integer"
            if "minimum" not in node:  # the least value above an exclusive minimum
                low = low + 1 if whole else low + 1e-6
            found.append((path, low, node["maximum"], whole))
        for key, child in node.get("properties", {}).items():
            walk(child, (*path, key))

    walk(schema, ())
    return found


FIELDS = _numeric_fields(json_schema())
BASES = sorted(p.name for p in SPECS.glob("*.yaml"))


@st.composite
def edited_specs(draw: st.DrawFn) -> dict[str, Any]:
    data = spec_data(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path, low, high, whole = draw(st.sampled_from(FIELDS))
        ends = st.sampled_from([low, high])
        inside = st.integers(int(low), int(high)) if whole else st.floats(low, high, allow_nan=False)
        value = draw(st.one_of(ends, inside))
        node = data
        for key in path[:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = int(value) if whole else value
    return data


@settings(
    max_examples=EXAMPLES or 30,
    deadline=None,
    derandomize=EXAMPLES is None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
@given(edited_specs())
def test_every_accepted_spec_builds_prices_and_decides_on_both_clouds(data: dict[str, Any]) -> None:
    try:
        spec = spec_from_data(data)
    except SpecError:
        return  # refused in its own words: the reader's tests judge those
    assert isinstance(spec, MissionSpec)
    blueprint = build_blueprint(spec)
    for cloud in CLOUDS:
        assert blueprint.for_cloud(cloud).mission.name == spec.mission.name
    catalogs, assumptions = load_catalogs()
    est = estimate(blueprint, catalogs, assumptions)
    assert set(est.clouds) == set(CLOUDS)
    assert decision(blueprint, est)
