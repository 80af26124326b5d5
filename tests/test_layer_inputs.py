"""Layer inputs a program builds itself (components used without a spec) are checked where
they are made: what the blueprint makes from a valid spec always passes, and a value no
component can build is one line naming the class, the field and what is allowed, instead of
something else built in its place (a container job for `mode="lambda"`, a zone-redundant
account for `redundancy="georedundant"`) or a plan the cloud refuses (memory -1)."""

from __future__ import annotations

import dataclasses

import pytest

from groundlink.blueprint import CloudBlueprint, build_blueprint
from groundlink.blueprint.layers import LayerInputError, Lifecycle
from groundlink.clouds import CLOUDS
from groundlink.spec import load_spec

from .conftest import SPECS

EXAMPLES = sorted(p.name for p in SPECS.glob("*.yaml"))


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("spec", EXAMPLES)
def test_the_blueprint_of_every_example_spec_makes_valid_inputs(spec: str, cloud: str) -> None:
    blueprint = build_blueprint(load_spec(SPECS / spec)).for_cloud(cloud)
    assert blueprint.processing.mode in ("function", "container_job")  # built, so every check passed


def _layers(cloud: str = "aws") -> CloudBlueprint:
    return build_blueprint(load_spec(SPECS / "noaa20.yaml")).for_cloud(cloud)


@pytest.mark.parametrize(
    ("layer", "changes", "message"),
    [
        (
            "processing",
            {"mode": "lambda"},
            "ProcessingInputs.mode: 'lambda' is not allowed; allowed: function, container_job",
        ),
        (
            "storage",
            {"redundancy": "georedundant"},
            "StorageInputs.redundancy: 'georedundant' is not allowed; allowed: zone, geo",
        ),
        (
            "analytics",
            {"engine": "bigquery"},
            "AnalyticsInputs.engine: 'bigquery' is not allowed; allowed: synapse, adx",
        ),
        ("processing", {"memory_mb": -1}, "ProcessingInputs.memory_mb: -1 is negative"),
        (
            "processing",
            {"max_concurrency": 0},
            "ProcessingInputs: memory_mb 2048, timeout_seconds 900 and max_concurrency 0 must each be at least 1",
        ),
        (
            "processing",
            {"mode": "container_job", "container_image": None},
            "ProcessingInputs.container_image: mode container_job needs the processor's image",
        ),
        ("observability", {"budget_monthly_usd": -100.0}, "ObservabilityInputs.budget_monthly_usd: -100.0 is negative"),
        (
            "analytics",
            {"query_bytes_scanned_cutoff": "10GB"},
            "AnalyticsInputs.query_bytes_scanned_cutoff: '10GB' is not a number",
        ),
        (
            "mission",
            {"name": ""},
            "MissionInputs.name: '' is not a mission name (2-32 of a-z, 0-9 and -, starting with a letter, "
            "not ending with -)",
        ),
        (
            "mission",
            {"name": "Bad Name!"},
            "MissionInputs.name: 'Bad Name!' is not a mission name (2-32 of a-z, 0-9 and -, starting with a "
            "letter, not ending with -)",
        ),
        (
            "mission",
            {"protected": "no"},
            "MissionInputs.protected: 'no' is not a bool",
        ),  # crashed Pulumi's registration
        ("mission", {"region": 42}, "MissionInputs.region: 42 is not a str"),
        ("mission", {"tags": {"k": 1}}, "MissionInputs.tags: must map text to text"),
        ("mission", {"tags": None}, "MissionInputs.tags: must map text to text"),  # a TypeError escaped
        ("mission", {"tags": ["ab", "cd"]}, "MissionInputs.tags: must map text to text"),  # dict() made it pairs
        ("storage", {"private": "yes"}, "StorageInputs.private: 'yes' is not a bool"),
    ],
)
def test_an_input_no_component_can_build_is_one_line_naming_its_field(layer: str, changes: dict, message: str) -> None:
    inputs = getattr(_layers(), layer)
    with pytest.raises(LayerInputError) as error:
        dataclasses.replace(inputs, **changes)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "transitions",
    [((30, "glacier"),), ((-1, "cool"),), ((400, "cool"),)],
    ids=["unknown tier", "negative days", "after the expiry"],
)
def test_a_lifecycle_step_no_store_can_take_is_refused(transitions: tuple) -> None:
    with pytest.raises(LayerInputError) as error:
        Lifecycle(transitions, expire_days=365, noncurrent_days=30)
    assert str(error.value).startswith(f"Lifecycle.transitions: {transitions[0]} must be a tier of cool, cold, archive")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"expire_days": 0}, "Lifecycle.expire_days: 0 must be 1 or more days"),
        ({"noncurrent_days": 0}, "Lifecycle.noncurrent_days: 0 must be 1 or more days"),
        ({"abort_incomplete_upload_days": 0}, "Lifecycle.abort_incomplete_upload_days: 0 must be 1 or more days"),
    ],
)
def test_a_lifecycle_of_zero_days_is_refused_not_read_as_keep_forever(given: dict, message: str) -> None:
    """S3 refuses Days 0 at `pulumi up`, and Azure's policy would delete every blob on its next run:
    a hand-built Lifecycle of 0 days (a transition at day 400 passed with it) is one line."""
    with pytest.raises(LayerInputError) as error:
        Lifecycle(**{"transitions": ((400, "cool"),), "expire_days": 365, "noncurrent_days": 30, **given})
    assert str(error.value) == message
    assert Lifecycle(((30, "cool"),), expire_days=1 + 30, noncurrent_days=1, abort_incomplete_upload_days=1)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_order_of_the_budget_lists_in_the_spec_changes_no_layer_input(cloud: str) -> None:
    """AWS Budgets keeps its subscribers as a set: reordering `budget.alert_emails` showed an
    update that `pulumi up` would not make, and on Azure moved each address to another receiver."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data

    data = spec_data("partner.yaml")
    data["budget"].update(alert_emails=["ops@example.com", "finance@example.com"], thresholds_percent=[100, 50, 80])
    one = build_blueprint(spec_from_data(data, "a.yaml")).for_cloud(cloud)
    data["budget"].update(alert_emails=["finance@example.com", "ops@example.com"], thresholds_percent=[80, 100, 50])
    other = build_blueprint(spec_from_data(data, "b.yaml")).for_cloud(cloud)
    assert one.observability == other.observability
    assert one.observability.alert_emails == ("finance@example.com", "ops@example.com")
    assert one.observability.budget_thresholds_percent == (50, 80, 100)
