"""Layer inputs a program builds itself (components used without a spec) are checked where
they are made: what the blueprint makes from a valid spec always passes, and a value no
component can build is one line naming the class, the field and what is allowed, instead of
something else built in its place (a container job for `mode="lambda"`, a zone-redundant
account for `redundancy="georedundant"`) or a plan the cloud refuses (memory -1)."""

from __future__ import annotations

import dataclasses
import math

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
            "ProcessingInputs.max_concurrency: 0 is outside 2-1000 (Lambda event source mapping maximum concurrency; "
            "Flex Consumption's 1000 instances) (the rule of the spec's processing.max_concurrency)",
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
        # a text for a tuple of names was read a character at a time: the projection 'p,o,l,a,r,1',
        # an address '2' (of '203.0.113.7')
        (
            "analytics",
            {"satellite_names": "polar1"},
            "AnalyticsInputs.satellite_names: 'polar1' is not a tuple; give its items as a tuple",
        ),
        (
            "storage",
            {"partner_source_addresses": "203.0.113.7"},
            "StorageInputs.partner_source_addresses: '203.0.113.7' is not a tuple; give its items as a tuple",
        ),
        ("analytics", {"satellite_names": ("polar1", 7)}, "AnalyticsInputs.satellite_names: holds 7, not a str"),
        # a lifecycle of None failed deep in a component with an AttributeError naming no field
        ("storage", {"raw_lifecycle": None}, "StorageInputs.raw_lifecycle: None is not a Lifecycle"),
        (
            "ground",
            {"timing": {"min_elevation_deg": 10}},
            "GroundInputs.timing: {'min_elevation_deg': 10} is not a ContactTiming",
        ),
    ],
)
def test_an_input_no_component_can_build_is_one_line_naming_its_field(layer: str, changes: dict, message: str) -> None:
    inputs = getattr(_layers(), layer)
    with pytest.raises(LayerInputError) as error:
        dataclasses.replace(inputs, **changes)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "transitions",
    [((30, "glacier"),), ((-1, "cool"),), ((400, "cool"),), ((365, "cool"),)],
    ids=["unknown tier", "negative days", "after the expiry", "on the expiry day"],
)
def test_a_lifecycle_step_no_store_can_take_is_refused(transitions: tuple) -> None:
    with pytest.raises(LayerInputError) as error:
        Lifecycle(transitions, expire_days=365, noncurrent_days=30)
    assert str(error.value).startswith(f"Lifecycle.transitions: {transitions[0]} must be a tier of cool, cold, archive")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"expire_days": 0}, "Lifecycle.expire_days: 0 is out of range; allowed: 1 or more"),
        ({"noncurrent_days": 0}, "Lifecycle.noncurrent_days: 0 is out of range; allowed: 1 or more"),
        (
            {"abort_incomplete_upload_days": 0},
            "Lifecycle.abort_incomplete_upload_days: 0 is out of range; allowed: 1 or more",
        ),
    ],
)
def test_a_lifecycle_of_zero_days_is_refused_not_read_as_keep_forever(given: dict, message: str) -> None:
    """S3 refuses Days 0 at `pulumi up`, and Azure's policy would delete every blob on its next run:
    a hand-built Lifecycle of 0 days (a transition at day 400 passed with it) is one line."""
    with pytest.raises(LayerInputError) as error:
        Lifecycle(**{"transitions": ((400, "cool"),), "expire_days": 365, "noncurrent_days": 30, **given})
    assert str(error.value) == message
    assert Lifecycle(((30, "cool"),), expire_days=1 + 30, noncurrent_days=1, abort_incomplete_upload_days=1)


JOB = {"mode": "container_job", "container_image": "ghcr.io/example/proc:1"}
SPEC_RULE = " (the rule of the spec's {})"


@pytest.mark.parametrize(
    ("layer", "changes", "message"),
    [
        # data kept other than asked: one container under two lifecycles, 0 days of logs
        (
            "storage",
            {"raw_container": "products"},
            "StorageInputs: raw_container, products_container and query_results_container must differ; "
            "given products, products, query-results",
        ),
        (
            "processing",
            {"log_retention_days": 0},
            "ProcessingInputs.log_retention_days: 0 is out of range; allowed: 1 or more",
        ),
        (
            "analytics",
            {"telemetry_log_retention_days": 0},
            "AnalyticsInputs.telemetry_log_retention_days: 0 is out of range; allowed: 1 or more",
        ),
        (
            "security",
            {"network_log_retention_days": 0},
            "SecurityInputs.network_log_retention_days: 0 is out of range; allowed: 1 or more",
        ),
        (
            "observability",
            {"budget_thresholds_percent": ()},
            "ObservabilityInputs.budget_thresholds_percent: has 0 items; at least 1 item required"
            + SPEC_RULE.format("budget.thresholds_percent"),
        ),
        (
            "analytics",
            {"sql_clients": ("0.0.0.0",)},
            "AnalyticsInputs.sql_clients: 0.0.0.0 is in 0.0.0.0/8, 'this network', which no client sends from; "
            "allowed: public IPv4 addresses or ranges" + SPEC_RULE.format("analytics.sql_clients[0]"),
        ),
        (
            "ground",
            {"partner_prefix": ""},
            "GroundInputs.partner_prefix: '' is not a store prefix (one or more names, each followed by /): a partner "
            "may write under it only",
        ),
        # what a cloud refuses at `pulumi up`
        (
            "processing",
            {**JOB, "container_vcpu": 0.25, "container_memory_gb": 0.5, "max_concurrency": 2},
            "ProcessingInputs.max_concurrency: 2 jobs of 0.25 vCPU are 0.5 vCPUs; AWS Batch counts whole vCPUs "
            "(maxvCpus), so with container_vcpu 0.25 use a multiple of 4 for both clouds to run the same number at "
            "once" + SPEC_RULE.format("processing.max_concurrency"),
        ),
        (
            "processing",
            {**JOB, "container_vcpu": 3.0, "container_memory_gb": 6.0},
            "ProcessingInputs.container_vcpu: 3 is not allowed; allowed: 0.25, 0.5, 1, 2, 4 (Azure Container Apps "
            "consumption; Fargate)" + SPEC_RULE.format("processing.container_vcpu"),
        ),
        (
            "processing",
            {"timeout_seconds": 3600},
            "ProcessingInputs.timeout_seconds: 3600 is outside 1-900 in mode function (AWS Lambda maximum; use mode: "
            "container_job for longer)" + SPEC_RULE.format("processing.timeout_seconds"),
        ),
        (
            "processing",
            {"flex_instance_memory_mb": 1000},
            "ProcessingInputs.flex_instance_memory_mb: 1000 is not the Flex Consumption instance size of memory_mb "
            "2048; allowed: 2048",
        ),
        (
            "events",
            {"visibility_timeout_seconds": 50000},
            "EventsInputs.visibility_timeout_seconds: 50000 is out of range; allowed: 0-43200",
        ),
        ("ground", {"hub_units": 0}, "GroundInputs.hub_units: 0 is out of range; allowed: 1 or more"),
        (
            "analytics",
            {"query_bytes_scanned_cutoff": 1000},
            "AnalyticsInputs.query_bytes_scanned_cutoff: 1000 is out of range; allowed: 10485760 or more",
        ),
        (
            "observability",
            {"alert_emails": ("a@example.com", "A@example.com")},
            "ObservabilityInputs.alert_emails: duplicate values ['A@example.com', 'a@example.com'] (addresses "
            "compare without case)" + SPEC_RULE.format("budget.alert_emails"),
        ),
        (
            "observability",
            {"budget_monthly_usd": math.nan},
            "ObservabilityInputs.budget_monthly_usd: nan is not a finite number",
        ),
        (
            "mission",
            {"tags": {"aws:team": "ops"}},
            "MissionInputs.tags: 'aws:team' starts with a reserved prefix (aws:, microsoft, azure, windows)"
            + SPEC_RULE.format("mission.tags.aws:team"),
        ),
        (
            "mission",
            {"tags": {"owner": "platform-team", "Owner": "someone-else"}},
            "MissionInputs.tags: 'Owner' is set by groundlink (mission, owner, data-classification, managed-by; Azure "
            "tag names ignore case)" + SPEC_RULE.format("mission.tags.Owner"),
        ),
        (
            "mission",
            {"tags": {"data-classification": "top secret!"}},
            "MissionInputs.tags: 'top secret!' is not allowed; allowed: 'public', 'internal', 'confidential' or "
            "'restricted'" + SPEC_RULE.format("mission.data_classification"),
        ),
        ("ground", {"hub_units": 2.5}, "GroundInputs.hub_units: 2.5 is not a whole number"),
        (
            "storage",
            {"products_container": "Products_1"},
            "StorageInputs.products_container: 'Products_1' is not a container name; allowed: 3-63 of a-z, 0-9 and "
            "-, starting and ending with a letter or digit, no -- (Azure)",
        ),
        (
            "storage",
            {"partner_source_addresses": ("203.0.113.7/32",)},
            "StorageInputs.partner_source_addresses: 203.0.113.7/32: Azure storage IP rules take /30 or wider ranges; "
            "give a single address bare" + SPEC_RULE.format("ground_segment.partner.source_addresses[0]"),
        ),
        (
            "security",
            {"processing": "processing.lambda"},
            "SecurityInputs.processing: 'processing.lambda' is not allowed; allowed: processing.function, "
            "processing.container_job",
        ),
    ],
)
def test_an_input_the_spec_would_refuse_is_refused_where_it_is_made(layer: str, changes: dict, message: str) -> None:
    """A program that builds layer inputs itself met none of the spec's rules: 0 days of logs meant
    1 on AWS and forever on Azure, a 0.25-vCPU job with 2 at once gave Batch 0 vCPUs, an empty
    threshold list removed every budget alert, 0.0.0.0 opened Synapse to all of Azure. The
    layer inputs now hold each value to the rule of the spec field it comes from, or to the
    cloud's own limit."""
    with pytest.raises(LayerInputError) as error:
        dataclasses.replace(getattr(_layers(), layer), **changes)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"min_contact_seconds": 0},
            "ContactTiming.min_contact_seconds: 0 is outside 1-21600 (AWS Ground Station mission profile)",
        ),
        ({"min_elevation_deg": 95.0}, "ContactTiming.min_elevation_deg: 95.0 is out of range; allowed: 0-90"),
        ({"min_elevation_deg": math.nan}, "ContactTiming.min_elevation_deg: nan is not a finite number"),
    ],
)
def test_contact_timing_is_held_to_the_ground_segment_s_rules(changes: dict, message: str) -> None:
    with pytest.raises(LayerInputError) as error:
        dataclasses.replace(_layers().ground.timing, **changes)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("seconds", [601, 21600])
def test_a_minimum_contact_longer_than_the_default_contact_builds(seconds: int) -> None:
    """ContactTiming was judged with the spec's default contact_minutes (10): a spec with
    contact_minutes 360 and min_contact_seconds over 600, valid, could no longer be planned."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    changes = {"ground_segment.contact_minutes": 360, "ground_segment.min_contact_seconds": seconds}
    data = with_changes(spec_data(), {**changes, "processing.enabled": False})  # no function holds 6 hours
    timing = build_blueprint(spec_from_data(data)).for_cloud("aws").ground.timing
    assert timing.min_contact_seconds == seconds


def test_a_hub_sized_past_a_namespace_is_priced_and_refused_only_where_it_is_rendered() -> None:
    """The cost model's sensitivity prices more contacts a day than the spec has, whose hubs need
    more units than a namespace takes: `compare` stopped with a traceback on a valid spec. The
    layer input takes the units; the Azure ground component refuses what it cannot render."""
    from groundlink.cost.decision import _with_contacts  # the sensitivity's blueprint at a grid value
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    spec = spec_from_data(with_changes(spec_data("constellation.yaml"), {"usage.telemetry_kb_per_second": 10000}))
    blueprint = build_blueprint(spec)
    assert blueprint.for_cloud("azure").ground.hub_units <= 20  # the spec's own rate fits
    assert _with_contacts(blueprint, 20).for_cloud("azure").ground.hub_units > 20


def test_a_streamed_station_s_padding_is_held_to_the_dataflow_endpoint_group_s_bounds() -> None:
    ground = _layers().ground
    with pytest.raises(LayerInputError) as error:
        dataclasses.replace(ground, stream=True, timing=dataclasses.replace(ground.timing, pre_pass_seconds=0))
    assert str(error.value) == (
        "GroundInputs.timing: pre_pass_seconds 0 is outside 120-480 (AWS Ground Station dataflow endpoint group, "
        "streamed delivery)"
    )
    assert dataclasses.replace(ground, stream=True, timing=dataclasses.replace(ground.timing, pre_pass_seconds=120))


@pytest.mark.parametrize(
    ("transitions", "message"),
    [
        (
            ((30, "cool"), (60, "cool")),  # Azure's rule kept one action per tier: the day-30 step vanished
            "Lifecycle.transitions: cool must come after the previous step's tier; order: cool < cold < archive"
            + SPEC_RULE.format("storage.tiering[1].tier"),
        ),
        (
            ((30, "cool"), (40, "cold")),
            "Lifecycle.transitions: 40 is under 60: S3 keeps objects 30 days in Standard-IA (cool, from day 30) "
            "before Glacier or Deep Archive" + SPEC_RULE.format("storage.tiering[1].after_days"),
        ),
    ],
)
def test_a_lifecycle_is_held_to_the_spec_s_tiering_rules(transitions: tuple, message: str) -> None:
    with pytest.raises(LayerInputError) as error:
        Lifecycle(transitions, expire_days=365, noncurrent_days=30)
    assert str(error.value) == message


def test_a_lifecycle_s_expiry_names_either_retention_it_may_stand_for() -> None:
    """The same Lifecycle is a raw, products or logs store's: its refusal named the raw retention."""
    with pytest.raises(LayerInputError) as error:
        Lifecycle((), expire_days=40000, noncurrent_days=30)
    assert str(error.value) == (
        "Lifecycle.expire_days: 40000 is out of range; allowed: 1-36500 (the rule of the spec's "
        "storage.raw_retention_days or products_retention_days)"
    )


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
