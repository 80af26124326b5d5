"""Values with an AWS limit are refused (spec) or fitted (derived names) before any resource sees them."""

from __future__ import annotations

import re

import pytest
from groundlink.components.aws.naming import bucket_prefix, glue_name, gs_name
from hypothesis import given
from hypothesis import strategies as st

from groundlink.limits import (
    DATAFLOW_ENDPOINTS_MAX,
    DELIVERY_BUCKET_PREFIX,
    LOG_RETENTION_DAYS,
    S3_BUCKET_PREFIX_MAX_CHARS,
    log_retention,
)
from groundlink.spec import IDENTIFIER, SpecError, spec_from_data

from .aws_support import BUCKET, aws_variant
from .conftest import spec_data

missions = st.from_regex(IDENTIFIER, fullmatch=True)


def errors(data: dict) -> list[str]:
    with pytest.raises(SpecError) as caught:
        spec_from_data(data)
    return caught.value.lines


@given(missions, st.sampled_from(["raw", "products", "query-results", "logs"]))
def test_bucket_prefix_always_fits_and_keeps_the_delivery_head(mission, role):
    prefix = bucket_prefix(mission, role, head=DELIVERY_BUCKET_PREFIX if role == "raw" else "")
    assert len(prefix) <= S3_BUCKET_PREFIX_MAX_CHARS
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*-", prefix)
    assert prefix.endswith(f"-{role}-")
    assert prefix.startswith("aws-groundstation-" if role == "raw" else mission[:3].rstrip("-"))


def test_longest_mission_name_plans_with_valid_prefixes():
    plan = aws_variant("long-name")
    prefixes = [b.inputs["bucketPrefix"] for b in plan.of_type(BUCKET)]
    assert len(prefixes) == 5 and all(len(p) <= S3_BUCKET_PREFIX_MAX_CHARS for p in prefixes)


@given(missions)
def test_glue_names_are_athena_identifiers(mission):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", glue_name(mission, "telemetry"))


@pytest.mark.parametrize("days, kept", [(1, 1), (365, 365), (366, 400), (1825, 1827), (3653, 3653)])
def test_log_retention_is_an_accepted_value_that_keeps_logs_long_enough(days, kept):
    assert log_retention(days) == kept and kept in LOG_RETENTION_DAYS


@pytest.mark.parametrize("days", [3654, 36500])
def test_past_the_longest_accepted_retention_logs_never_expire(days):
    """Capped at 3653 days, the logs of a store kept 100 years went 90 years before it."""
    assert log_retention(days) == 0  # pulumi-aws LogGroup retention_in_days 0: never expire


def test_ground_station_names_outside_the_pattern_are_refused():
    assert gs_name("noaa20", "hrd", "tracking") == "noaa20 hrd tracking"
    with pytest.raises(ValueError, match="does not match"):
        gs_name("noaa20", "hrd/1")


@pytest.mark.parametrize(
    "field, values", [("thresholds_percent", [80, 100, 80]), ("alert_emails", ["a@example.com", "a@example.com"])]
)
def test_budget_refuses_repeated_notifications_and_subscribers(field, values):
    data = spec_data()
    data["budget"][field] = values
    (line,) = errors(data)
    assert f"budget.{field}" in line and "duplicate" in line


def test_a_satellites_streamed_downlinks_always_fit_its_endpoint_group():
    """Each satellite streams through its own dataflow endpoint group (components/aws/ground.py):
    its downlinks (at most 16) always fit a group's 500 endpoints, and a mission of more streamed
    downlinks than one group holds is accepted (510 here, in 51 groups)."""
    from groundlink.spec import Satellite

    (bound,) = [m.max_length for m in Satellite.model_fields["downlinks"].metadata if hasattr(m, "max_length")]
    assert bound == 16 <= DATAFLOW_ENDPOINTS_MAX
    data = spec_data()
    data["delivery"]["stream"] = True
    data["processing"]["enabled"] = False  # ten 15 Mbit/s downlinks a contact: no function holds that
    link = data["satellites"][0]["downlinks"][0]
    data["satellites"] = [
        {"name": f"s{i:03d}", "norad_id": 90000 + i, "downlinks": [dict(link, name=f"d{j:02d}") for j in range(10)]}
        for i in range(51)
    ]
    assert len(spec_from_data(data).downlinks()) == 510 > DATAFLOW_ENDPOINTS_MAX


def test_budget_takes_at_most_five_thresholds():
    """Azure budgets take up to five notifications (AWS ten): one spec must deploy on both."""
    data = spec_data()
    data["budget"]["thresholds_percent"] = [50, 80, 90, 100, 120, 150]
    (line,) = errors(data)
    assert "budget.thresholds_percent" in line and "5" in line
    data["budget"]["thresholds_percent"] = data["budget"]["thresholds_percent"][:5]
    assert spec_from_data(data).budget.thresholds_percent == [50, 80, 90, 100, 120]


@pytest.mark.parametrize(
    "tags, path, says",
    [
        ({"team/ops": "x"}, "mission.tags.team/ops", "does not match"),  # Azure tag names refuse < > % & \ ? /
        ({"aws:team": "x"}, "mission.tags.aws:team", "reserved"),  # AWS reserves the aws: prefix
        ({"AzureTeam": "x"}, "mission.tags.AzureTeam", "reserved"),  # Azure reserves microsoft, azure, windows
        ({"mission": "other"}, "mission.tags.mission", "set by groundlink"),  # would retarget the budget's tag filter
        # AWS Ground Station's tag values: 1-256 ASCII letters, digits, spaces and _ . : / = + - @
        ({"team.lead": "a,b"}, "mission.tags.team.lead", "has ',', which AWS Ground Station's tag values refuse"),
        ({"region": "Île-de-France"}, "mission.tags.region", "'Î', which AWS Ground Station"),  # a letter, not ASCII
        ({"rack": "\u0663"}, "mission.tags.rack", "'\u0663', which AWS Ground Station"),  # an Arabic-Indic digit
        ({"empty": ""}, "mission.tags.empty", "an empty value, which AWS Ground Station"),
        # ECS reserves aws: in values too, and a container job's tasks carry the mission's tags
        ({"cost-center": "aws:eo-ground"}, "mission.tags.cost-center", "starts with 'aws:'"),
        ({"cost-center": "AwS:eo"}, "mission.tags.cost-center", "starts with 'aws:'"),
        ({f"t{i}": "x" for i in range(47)}, "mission.tags", "at most 46"),  # 50 tags per resource, 4 set by groundlink
    ],
)
def test_mission_tags_that_a_cloud_would_refuse_are_refused(tags, path, says):
    data = spec_data()
    data["mission"]["tags"] = tags
    (line,) = errors(data)
    assert line.split(": ", 2)[1] == path and says in line, line


def test_mission_tags_every_cloud_accepts_are_kept():
    data = spec_data()
    data["mission"]["tags"] = {
        "cost-center": "eo-ground",
        "team.email": "ops+gs@example.com",
        "path": "/eo/ground = main",
        "region": "Ile-de-France",
        "blank": " ",
        "source": "eo:aws:ground",  # aws: is reserved only at the start
        "cloud": "aws",
    }
    assert spec_from_data(data).mission.tags == data["mission"]["tags"]


def test_alert_emails_that_differ_only_in_case_are_one_address():
    """One mailbox spelt twice would be told twice, and the subscriptions are named by the
    lower-case address: the plan crashed on a duplicate resource name after validate said ok."""
    data = spec_data()
    data["budget"]["alert_emails"] = ["Ops@example.com", "ops@example.com"]
    (line,) = errors(data)
    assert line == (
        "<spec>: budget.alert_emails: duplicate values ['Ops@example.com', 'ops@example.com'] (addresses compare "
        "without case)"
    )
    data["budget"]["alert_emails"] = ["ops@example.com", "ops@example.org"]
    assert spec_from_data(data).budget.alert_emails == ["ops@example.com", "ops@example.org"]
