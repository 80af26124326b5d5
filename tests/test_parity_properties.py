"""For any combination of spec switches, both renderers account for every capability
the blueprint asks for: realized by resources, or a gap with a reason. Never silent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groundlink.blueprint import OUTPUT_KEYS, build_blueprint
from groundlink.spec import spec_from_data

from .conftest import plan_of, spec_data

switches = st.fixed_dictionaries(
    {
        "provider": st.sampled_from(["managed", "partner"]),
        "catalog": st.booleans(),
        "serverless_sql": st.booleans(),
        "telemetry_stream": st.booleans(),
        "azure_engine": st.sampled_from(["synapse", "adx"]),
        "cmk": st.booleans(),
        "network": st.sampled_from(["public", "private"]),
        "stream": st.booleans(),
    }
)


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
        catalog=choice["catalog"] or choice["serverless_sql"],
        serverless_sql=choice["serverless_sql"],
        telemetry_stream=choice["telemetry_stream"],
        azure_engine=choice["azure_engine"],
    )
    data["security"].update(customer_managed_keys=choice["cmk"], network=choice["network"])
    data["delivery"]["stream"] = choice["stream"]
    return data


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(switches)
def test_every_needed_capability_is_realized_or_a_declared_gap_on_both_clouds(choice):
    data = _spec(choice)
    needed = [c.id for c in build_blueprint(spec_from_data(data)).capabilities]
    plans = {cloud: plan_of(data, cloud) for cloud in ("aws", "azure")}
    for cloud, result in plans.items():
        assert set(result.outputs) == set(OUTPUT_KEYS)
        for capability in needed:
            realized = result.realizing(capability)
            reason = result.gaps.get(capability)
            assert realized or reason, f"{capability} silently missing on {cloud} for {choice}"
            assert not reason or len(reason) > 20, f"{cloud} gap {capability} gives no real reason"
    for capability in needed:
        assert any(result.realizing(capability) for result in plans.values()), (
            f"{capability} realized on neither cloud for {choice}"
        )
