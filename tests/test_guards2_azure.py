"""Azure settings one-line edits used to slip past: the Functions app's HTTP/2, the Container
Apps job's trigger, the dead-letter alert and the budget's notifications, the action group's
short name. Expected values are written out by hand (docs/azure.md where it states them)."""

from __future__ import annotations

import pytest

from .azure_support import every, one
from .conftest import variant_plan
from .test_processing_cloud import CONTAINER_JOB

# the spec's longest mission name (32 characters), as tests/test_preflight.py plans it on AWS
LONGEST_MISSION = "m" + "x" * 30 + "1"


def test_the_functions_app_serves_http2(azure_noaa20):
    site = one(azure_noaa20, "web:WebApp").inputs["siteConfig"]
    assert site["http20Enabled"] is True
    assert site["minTlsVersion"] == "1.2"
    assert "ftpsState" not in site  # Flex Consumption has no FTP and deprecates the setting


@pytest.fixture(scope="module")
def job_configuration():
    return one(variant_plan("azure", CONTAINER_JOB), "app:Job").inputs["configuration"]


def test_a_failed_job_execution_is_not_retried_by_container_apps(job_configuration):
    """Service Bus redelivers the message and dead-letters it after maxDeliveryCount: a replica
    retry on top would process one contact several times per delivery."""
    assert job_configuration["replicaRetryLimit"] == 0


def test_the_job_polls_the_queue_every_30_seconds(job_configuration):
    assert job_configuration["eventTriggerConfig"]["scale"]["pollingInterval"] == 30


def test_one_waiting_message_starts_one_execution(job_configuration):
    """docs/processing.md: a KEDA azure-servicebus rule starts one execution per waiting message."""
    (rule,) = job_configuration["eventTriggerConfig"]["scale"]["rules"]
    assert rule["type"] == "azure-servicebus"
    assert rule["metadata"]["queueName"] == "contact-data"
    assert rule["metadata"]["messageCount"] == "1"


def test_the_dead_letter_alert_is_severity_2_every_5_minutes_and_resolves_itself(azure_noaa20):
    """docs/azure.md: Metric alerts (severity 2, every 5 min): the dead-lettered contact events,
    the events Event Grid could not deliver and those it dropped; the waiting alert hourly."""
    alerts = {a.name: a.inputs for a in every(azure_noaa20, "monitor:MetricAlert")}
    assert sorted(name.removeprefix("noaa20-observability-") for name in alerts) == [
        "dead-lettered",
        "dropped-events",
        "undelivered-events",
        "waiting",
    ]
    for name, alert in alerts.items():
        assert alert["severity"] == 2
        # the waiting alert's window is a day, checked hourly (test_azure_observability)
        waiting = name.endswith("-waiting")
        assert alert["evaluationFrequency"] == ("PT1H" if waiting else "PT5M")
        assert alert["windowSize"] == ("P1D" if waiting else "PT5M")
        assert alert["autoMitigate"] is True


def test_budget_notifications_fire_when_actual_cost_reaches_the_threshold(azure_noaa20):
    """At 100 % of the budget exactly, not only past it."""
    notes = one(azure_noaa20, "consumption:Budget").inputs["notifications"]
    assert set(notes) == {"actual-80", "actual-100"}
    for note in notes.values():
        assert (note["operator"], note["thresholdType"]) == ("GreaterThan", "Actual")


def test_a_long_mission_names_an_action_group_within_azures_12_character_short_name():
    """Azure Monitor takes an action group short name of at most 12 characters."""
    group = one(variant_plan("azure", {"mission.name": LONGEST_MISSION}), "monitor:ActionGroup").inputs
    assert group["groupShortName"] == "mxxxxxxxxxxx"
    assert len(group["groupShortName"]) <= 12
    assert group["actionGroupName"] == "ag-" + LONGEST_MISSION
