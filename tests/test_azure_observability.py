"""Logs, the dead-letter alarm and the budget on Azure."""

from __future__ import annotations

import datetime

import pytest
from groundlink.components.azure.observability import budget_start

from groundlink.spec import load_spec

from .azure_support import azure, every, one
from .conftest import SPECS, variant_plan
from .test_processing_cloud import CONTAINER_JOB


def test_diagnostics_of_storage_vault_namespaces_and_synapse_go_to_log_analytics(azure_noaa20):
    workspace = one(azure_noaa20, "operationalinsights:Workspace")
    settings = {s.inputs["resourceUri"]: s.inputs for s in every(azure_noaa20, "monitor:DiagnosticSetting")}
    account = one(azure_noaa20, "storage:StorageAccount").outputs["id"]
    expected = {
        account,
        one(azure_noaa20, "storage:BlobServiceProperties").outputs["id"],
        one(azure_noaa20, "keyvault:Vault").outputs["id"],
        one(azure_noaa20, "servicebus:Namespace").outputs["id"],
        one(azure_noaa20, "eventhub:Namespace").outputs["id"],
        one(azure_noaa20, "synapse:Workspace").outputs["id"],  # its SQL audit trail
        one(azure_noaa20, "web:WebApp").outputs["id"],  # the contact processor's own logs
        one(azure_noaa20, "eventgrid:SystemTopic").outputs["id"],  # why an event was not delivered
    }
    assert set(settings) == expected
    for uri, setting in settings.items():
        assert setting["workspaceId"] == workspace.outputs["id"]
        # storage refuses AllMetrics: its account and blob service name Transaction (test_azure_diagnostics)
        storage = "/Microsoft.Storage/storageAccounts/" in uri
        assert setting["metrics"] == [{"category": "Transaction" if storage else "AllMetrics", "enabled": True}]
        if uri != account:  # the account itself exposes metrics only; its logs are on the blob service
            assert {"categoryGroup": "allLogs", "enabled": True} in setting["logs"]


def test_dead_lettered_contact_events_raise_an_alert_to_the_budget_emails(azure_noaa20):
    alert = one(azure_noaa20, "monitor:MetricAlert", "noaa20-observability-dead-lettered").inputs
    assert alert["scopes"] == [one(azure_noaa20, "servicebus:Namespace").outputs["id"]]
    [criterion] = alert["criteria"]["allOf"]
    assert criterion["metricName"] == "DeadletteredMessages"
    assert (criterion["operator"], criterion["threshold"]) == ("GreaterThan", 0)
    assert criterion["dimensions"] == [{"name": "EntityName", "operator": "Include", "values": ["contact-data"]}]
    group = one(azure_noaa20, "monitor:ActionGroup")
    assert alert["actions"] == [{"actionGroupId": group.outputs["id"]}]
    emails = load_spec(SPECS / "noaa20.yaml").budget.alert_emails
    assert [r["emailAddress"] for r in group.inputs["emailReceivers"]] == emails
    assert len(group.inputs["groupShortName"]) <= 12


@pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
def test_a_contact_event_nobody_receives_raises_an_alert_within_a_day(spec):
    """A container job that exits before it receives (a bad setting) left the message on the queue,
    where Service Bus dead-letters it only on expiry: no alert for 14 days. AWS's unreceived alarm
    watches the oldest message's age; Service Bus has none, so the queue never emptying for a day."""
    plan = azure(spec)
    alert = one(plan, "monitor:MetricAlert", f"{plan.stack.removesuffix('-azure')}-observability-waiting")
    assert alert.inputs["scopes"] == [one(plan, "servicebus:Namespace").outputs["id"]]
    [criterion] = alert.inputs["criteria"]["allOf"]
    assert (criterion["metricNamespace"], criterion["metricName"], criterion["timeAggregation"]) == (
        "Microsoft.ServiceBus/namespaces",
        "ActiveMessages",
        "Minimum",
    )
    assert (criterion["operator"], criterion["threshold"]) == ("GreaterThan", 0)
    assert criterion["dimensions"] == [{"name": "EntityName", "operator": "Include", "values": ["contact-data"]}]
    assert (alert.inputs["windowSize"], alert.inputs["evaluationFrequency"]) == ("P1D", "PT1H")
    assert alert.inputs["actions"] == [{"actionGroupId": one(plan, "monitor:ActionGroup").outputs["id"]}]


@pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
@pytest.mark.parametrize(
    ("alert_key", "metric"), [("undelivered-events", "DeadLetteredCount"), ("dropped-events", "DroppedEventCount")]
)
def test_an_event_event_grid_cannot_deliver_or_drops_raises_an_alert_too(spec, alert_key, metric):
    """An event the system topic gives up on (its retries spent, or the queue refusing the topic's
    identity) went to the dead-letter container and alerted no one; on AWS the rule dead-letters
    it into the queue whose alarm fires. One it could deliver neither to the queue nor to the
    dead-letter container (unreachable for four hours) is dropped, and the dead-letter alert
    never fires for it; AWS alarms on EventBridge's InvocationsFailedToBeSentToDlq."""
    plan = azure(spec)
    alert = one(plan, "monitor:MetricAlert", f"{plan.stack.removesuffix('-azure')}-observability-{alert_key}")
    assert alert.inputs["scopes"] == [one(plan, "eventgrid:SystemTopic").outputs["id"]]
    [criterion] = alert.inputs["criteria"]["allOf"]
    assert (criterion["metricNamespace"], criterion["metricName"]) == ("Microsoft.EventGrid/systemTopics", metric)
    assert (criterion["operator"], criterion["threshold"], criterion["timeAggregation"]) == ("GreaterThan", 0, "Total")
    assert alert.inputs["actions"] == [{"actionGroupId": one(plan, "monitor:ActionGroup").outputs["id"]}]
    assert "observability.alarm" in alert.capability


def test_budget_mails_every_threshold_on_the_resource_group():
    result = azure("partner.yaml")
    spec = load_spec(SPECS / "partner.yaml").budget
    budget = one(result, "consumption:Budget").inputs
    assert budget["amount"] == spec.monthly_usd and budget["timeGrain"] == "Monthly"
    # the Consumption API's one category (pulumi-azure-native `consumption.CategoryType`: "Cost")
    assert budget["category"] == "Cost"
    assert budget["scope"] == one(result, "resources:ResourceGroup").outputs["id"]
    notes = budget["notifications"].values()
    assert sorted(n["threshold"] for n in notes) == sorted(spec.thresholds_percent)
    # partner.yaml lists ops@ before finance@: every list goes in order, so a reorder is no change
    assert all(n["contactEmails"] == ["finance@example.com", "ops@example.com"] and n["enabled"] for n in notes)


def test_budget_starts_on_the_first_of_the_current_month():
    assert budget_start(datetime.datetime(2026, 9, 17, 12, tzinfo=datetime.UTC)) == "2026-09-01T00:00:00Z"


@pytest.mark.parametrize(
    "local, zone_hours, month",
    [
        # Honolulu's 30 November, 14:00, is 1 December in UTC: November would be refused
        (datetime.datetime(2026, 11, 30, 14), -10, "2026-12-01"),
        # Auckland's 1 December, 08:00, is still 30 November in UTC: December would skip its spend
        (datetime.datetime(2026, 12, 1, 8), 13, "2026-11-01"),
    ],
)
def test_budget_month_is_the_utc_month_wherever_the_deployer_is(local, zone_hours, month):
    zone = datetime.timezone(datetime.timedelta(hours=zone_hours))
    assert budget_start(local.replace(tzinfo=zone)) == f"{month}T00:00:00Z"


@pytest.mark.parametrize(
    ("raw_days", "flow_days", "network", "kept", "warned"),  # warned: how long AWS keeps them, or None
    [
        (365, 365, "public", 365, None),  # noaa20: what AWS keeps its access and processor logs
        (20, 60, "private", 60, None),  # flow logs kept longer than the data: the longest log wins
        (40, 365, "public", 60, None),  # no VPC on AWS, so no flow logs to match; CloudWatch keeps 40 as 60
        (200, 365, "public", 365, None),  # CloudWatch keeps 200 days as 365: so does the workspace
        (10, 14, "private", 30, None),  # below the workspace's least, 30 days
        (3650, 365, "public", 730, "3653 days"),  # past its most (730): kept 730 days, and said so
        (5000, 365, "public", 730, "without expiry"),  # past CloudWatch's longest: AWS's logs never expire
    ],
)
def test_the_workspace_keeps_logs_as_long_as_aws_keeps_its_longest(raw_days, flow_days, network, kept, warned):
    """The workspace kept every log 90 days whatever the spec said, while AWS kept the same
    logs for the raw retention (a year for noaa20) and flow logs for their own."""
    plan = variant_plan(
        "azure",
        {
            "storage.raw_retention_days": raw_days,
            "storage.tiering": [],
            "security.flow_log_retention_days": flow_days,
            "security.network": network,
        },
    )
    assert one(plan, "operationalinsights:Workspace").inputs["retentionInDays"] == kept
    assert any("Log Analytics workspace keeps logs 730 days" in w for w in plan.warnings) is (warned is not None)
    if warned:  # the days AWS keeps, rounded as CloudWatch keeps them: 3,650 as 3,653
        assert any(w.endswith(f"the stack's logs are kept {warned} on AWS") for w in plan.warnings)


def test_the_container_jobs_logs_go_to_the_workspace_as_the_functions_do():
    """Neither the Flex app nor the Container Apps jobs sent their logs anywhere: a failed
    contact left no trace on Azure, where AWS keeps the processor's log group."""
    plan = variant_plan("azure", CONTAINER_JOB)
    environment = one(plan, "app:ManagedEnvironment")
    assert environment.inputs["appLogsConfiguration"] == {"destination": "azure-monitor"}
    (setting,) = [
        s for s in every(plan, "monitor:DiagnosticSetting") if s.inputs["resourceUri"] == environment.outputs["id"]
    ]
    assert setting.inputs["workspaceId"] == one(plan, "operationalinsights:Workspace").outputs["id"]
    assert setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert "observability.logging" in setting.capability


@pytest.mark.parametrize(
    ("dry_run", "pinned", "pinned_month"),
    [(True, "1750000000", True), (False, "1750000000", False), (True, "soon", False), (True, "", False)],
    ids=["offline-plan", "real-preview-or-up", "not-seconds", "empty"],
)
def test_an_offline_plan_starts_the_budget_in_the_pinned_month_and_a_real_run_in_the_real_one(
    monkeypatch, dry_run, pinned, pinned_month
):
    """compare writes plan-azure.json beside a report dated SOURCE_DATE_EPOCH; the plan's budget
    start was the real month, so two runs a month apart wrote different plans. A real preview or
    `pulumi up` must start it in the real month all the same: Azure refuses a start before it."""
    from groundlink.components.azure import observability

    monkeypatch.setenv("SOURCE_DATE_EPOCH", pinned)
    monkeypatch.setattr(observability, "_mocked", lambda: dry_run)
    now = datetime.datetime.now(datetime.UTC).date().replace(day=1).isoformat()
    assert budget_start() == ("2025-06-01T00:00:00Z" if pinned_month else f"{now}T00:00:00Z")


@pytest.mark.engine_runs  # the plan is the subject: built anew, not the session's
def test_groundlink_s_offline_plan_takes_the_pinned_month(monkeypatch):
    """The engine runs the program against Pulumi's mocks: the plan compare writes is dated as its report."""
    from groundlink import engine

    from .conftest import SPECS

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    plan = engine.plan(str(SPECS / "noaa20.yaml"), "azure")
    (budget,) = plan.of_type("azure-native:consumption:Budget")
    assert budget.inputs["timePeriod"]["startDate"] == "2025-06-01T00:00:00Z"
