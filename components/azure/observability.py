"""Logs, the dead-letter alarm and the budget.

Diagnostic settings send every log category group and all metrics of the
storage account (account metrics, blob-service logs), the Key Vault, every
messaging namespace, the query engine, the processor and the Event Grid system
topic to one Log Analytics workspace. Metric alerts fire on the first
dead-lettered contact event and on the first event Event Grid could not deliver,
and mail the budget's alert emails through an action group; a consumption budget
on the resource group mails them at each threshold.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import MissionInputs, ObservabilityInputs
from groundlink.clock import pinned_time
from groundlink.errors import UsageError
from groundlink.limits import LOG_NEVER_EXPIRE
from groundlink.processing.errors import WARNING_PREFIXES
from groundlink.runtime.delivery import LOSS_FIELD, loss_threshold

from ..base import MissionComponent
from .storage import Stores

# A workspace's default (analytics) retention: 30 to 730 days on the PerGB2018 plan (Microsoft
# Learn, "Manage data retention in a Log Analytics workspace": up to two years; the azurerm
# provider's log_analytics_workspace docs: "range between 30 and 730"; read 2026-12-02).
WORKSPACE_RETENTION_DAYS = (30, 730)
ALERT_SEVERITY = 2
ALERT_FREQUENCY = "PT5M"
ALERT_WINDOW = "PT5M"
# A contact event nobody receives: the queue's active messages never fell to 0 over the longest
# window a metric alert takes (a day), checked hourly. Service Bus has no age of the oldest
# message (ActiveMessages: Average, Minimum, Maximum by EntityName; Microsoft Learn, "Supported
# metrics - Microsoft.ServiceBus/Namespaces") and dead-letters a message only on expiry, 14 days
# on: a job that exits before it receives, or a stopped app, otherwise alerted no one until then.
WAITING_WINDOW = "P1D"
WAITING_FREQUENCY = "PT1H"
# ActionGroup.groupShortName maxLength (Azure REST API specs, monitor 2023-01-01; docs/facts.md §11)
ACTION_GROUP_SHORT_NAME_MAX = 12
# Where the workspace holds the processor's log records, by how it runs: the table and its text
# column (Azure Monitor Logs reference: FunctionAppLogs `Message`, "logs emitted by customer
# code"; ContainerAppConsoleLogs `Log`, "logs generated on the stdout or stderr streams").
PROCESSOR_LOG_TABLES = {"function": ("FunctionAppLogs", "Message"), "container_job": ("ContainerAppConsoleLogs", "Log")}


def loss_query(mode: str, percent: float) -> str:
    """The log query of the frame-loss alert: the processor's records whose worst contact lost
    more than `percent` of its frames. The field is read by its JSON text (`"name": value`, as
    the runtime's json.dumps writes it), so a prefix a log pipeline adds to the line changes
    nothing."""
    table, column = PROCESSOR_LOG_TABLES[mode]
    # a warning line names a partner's keys, which may hold `"worst_loss_percent": 100` (quotes
    # and all: a key without a control character is printed as it is); the runtime's own
    # records are JSON, where such a key's quotes are escaped, and never hold a warning's prefix
    # (their contact names are letters, digits, `.`, `_` and `-`)
    return (
        f"{table}\n"
        f'| where {column} has "{LOSS_FIELD}"\n'
        f"| where not({' or '.join(f'{column} contains {json.dumps(p, ensure_ascii=False)}' for p in WARNING_PREFIXES)})\n"
        f"| extend lost = todouble(extract(@'\"{LOSS_FIELD}\": *([0-9.]+)', 1, {column}))\n"
        f"| where lost > {loss_threshold(percent)}"
    )


def budget_start(now: datetime.datetime | None = None) -> str:
    """A monthly budget must start on the first of a month, no earlier than the current month:
    the month in UTC, as Azure counts it. The deploying machine's own date is the month before
    in its last hours west of UTC (a start Azure refuses), the month after in its first hours
    east of it (a budget that skips the month's spend)."""
    first = (now or plan_time()).astimezone(datetime.UTC).date().replace(day=1)
    return f"{first.isoformat()}T00:00:00Z"


def plan_time() -> datetime.datetime:
    """Now; in an offline plan (the program run against mocks, as groundlink's engine and unit
    tests run it), SOURCE_DATE_EPOCH where it is set (whole seconds, as `date +%s` prints them),
    so that two plans of a spec are the same file whatever the month (compare writes them beside
    a report that counts from it: docs/compare.md). A real `pulumi preview` or `up` starts the
    budget in the real month, the earliest Azure takes (a shell that pins SOURCE_DATE_EPOCH to
    1980, as Nix shells do, must not make a saved plan's create a start Azure refuses)."""
    pinned = None
    if _mocked():
        with contextlib.suppress(UsageError):  # groundlink's commands refuse it before planning
            pinned = pinned_time()
    return pinned or datetime.datetime.now(datetime.UTC)


def _mocked() -> bool:
    """Whether the program runs against Pulumi's mocks (`pulumi.runtime.set_mocks`), not an engine."""
    from pulumi.runtime import mocks, settings

    return isinstance(settings.get_monitor(), mocks.MockMonitor)


# The metric category a diagnostic setting names, where a resource has no `AllMetrics`: a storage
# account and its services export `Transaction` (and `Capacity`, at the account), and refuse
# `AllMetrics` ("Metric category 'AllMetrics' is not supported, supported categories are:
# 'Capacity;Transaction'", as quoted in Azure/terraform-azurerm-avm-res-storage-storageaccount
# PR #325, 2026-03-16; Azure/azure-powershell #6520 for blobServices). Every other target: AllMetrics.
METRIC_CATEGORY = {"storage": "Transaction", "blob": "Transaction"}


# The system topic's alerts (Event Grid "Monitor data reference (push delivery)", systemTopics
# metrics, Total): (alert key, rule name, description, metric).
TOPIC_ALERTS = (
    # an event Event Grid gives up on (its retries spent, or the queue refusing the topic's
    # identity) goes to the dead-letter container, and no contact reaches the queue: on AWS the
    # rule dead-letters it into the queue whose alarm fires
    (
        "undelivered-events",
        "undelivered-contact-events",
        "A contact event could not be delivered to the contact queue: it is in the event-dead-letter container, "
        "and no processing started for it.",
        "DeadLetteredCount",
    ),
    # an event Event Grid could deliver neither to the queue nor to the dead-letter container
    # ("If the dead-letter location is unavailable for four hours, the event is dropped": Event
    # Grid "Message delivery and retry") is gone, and the alert above never fires for it: AWS
    # alarms on EventBridge's InvocationsFailedToBeSentToDlq
    (
        "dropped-events",
        "dropped-contact-events",
        "Event Grid dropped a contact event: it reached neither the contact queue nor the event-dead-letter "
        "container, so no processing started for it and no copy of it is kept.",
        "DroppedEventCount",
    ),
)


def above_zero(
    name: str, namespace: str, metric: str, aggregation: str, dimensions: list[dict[str, Any]] | None = None
) -> azure.monitor.MetricCriteriaArgs:
    """An alert's condition: the metric over the window above 0, as AWS's alarms are (> 0)."""
    return azure.monitor.MetricCriteriaArgs(
        criterion_type="StaticThresholdCriterion",
        name=name,
        metric_namespace=namespace,
        metric_name=metric,
        operator="GreaterThan",
        threshold=0,
        time_aggregation=aggregation,
        dimensions=dimensions,
    )


def _queue_metric(name: str, queue: str, metric: str, aggregation: str) -> azure.monitor.MetricCriteriaArgs:
    """A Service Bus metric of the one queue `queue` above 0 (the namespace's metrics by EntityName)."""
    return above_zero(
        name,
        "Microsoft.ServiceBus/namespaces",
        metric,
        aggregation,
        dimensions=[{"name": "EntityName", "operator": "Include", "values": [queue]}],
    )


class AzureObservability(MissionComponent):
    """One Log Analytics workspace that every log and metric of the stack is sent to (AWS keeps
    each log beside what it describes), the dead-letter alarm and the budget. Pass the resource
    group's name and id (the budget's scope), and the ids of what it collects from: `storage`,
    `vault_id`, `bus_namespace_id`, `eventhub_namespace_ids`, `analytics_engine_ids`; and
    `queue_name`, the contact queue whose dead letters raise the alarm, and `event_topic_id`, the
    Event Grid system topic whose undeliverable events raise it too (AWS's rule dead-letters them
    into the queue its alarm watches).
    AWS's counterpart: AwsObservability in components/aws/observability.py."""

    TOKEN = "groundlink:index:AzureObservability"
    LAYER = "observability"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: ObservabilityInputs,
        *,
        resource_group_name: pulumi.Output[str],
        resource_group_id: pulumi.Output[str],
        storage: Stores,
        vault_id: pulumi.Output[str] | None,
        bus_namespace_id: pulumi.Output[str],
        queue_name: pulumi.Output[str],
        event_topic_id: pulumi.Output[str] | None = None,
        eventhub_namespace_ids: Mapping[str, pulumi.Output[str]],
        analytics_engine_ids: Mapping[str, pulumi.Output[str]],
        processing_ids: Mapping[str, pulumi.Output[str]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        least, most = WORKSPACE_RETENTION_DAYS
        aws_days = inputs.log_retention_days
        if aws_days == LOG_NEVER_EXPIRE or aws_days > most:
            kept = "without expiry" if aws_days == LOG_NEVER_EXPIRE else f"{aws_days} days"
            self.warn(
                f"the Log Analytics workspace keeps logs {most} days, the most its default retention holds; "
                f"the stack's logs are kept {kept} on AWS"
            )
        self.workspace = self.realize(
            azure.operationalinsights.Workspace(
                self.child_name("logs"),
                workspace_name=f"log-{mission.name}",
                resource_group_name=resource_group_name,
                location=mission.region,
                sku={"name": "PerGB2018"},
                # Entra ID only: every record arrives through diagnostic settings, none with the
                # workspace's shared keys, which would let their holder write forged records into
                # the audit trail (Azure Policy e15effd4-2278-4c65-a0da-4d6f6d1890e2, "Log
                # Analytics Workspaces should block non-Azure Active Directory based ingestion")
                features={"disable_local_auth": True},
                # as long as the longest of the stack's logs, as AWS keeps each of its log stores
                retention_in_days=most if aws_days == LOG_NEVER_EXPIRE else min(max(aws_days, least), most),
                tags=self.tags,
                opts=self.holder_opts("observability.logging"),
            ),
            "observability.logging",
        )
        targets: list[tuple[str, pulumi.Input[str], bool]] = [
            ("storage", storage.account_id, False),  # the account itself has metrics only
            ("blob", storage.blob_service_id, True),
            ("servicebus", bus_namespace_id, True),
        ]
        if vault_id is not None:
            targets.append(("vault", vault_id, True))
        targets += [(target, namespace_id, True) for target, namespace_id in eventhub_namespace_ids.items()]
        # every SQL, security and audit category of the query engines (allLogs): a query leaves a trace
        targets += [(target, engine_id, True) for target, engine_id in analytics_engine_ids.items()]
        # the contact processor's own logs (the function app's, or the container jobs'), kept as
        # long as AWS keeps its processor log group; without them a failed contact left no trace
        targets += [(target, source_id, True) for target, source_id in (processing_ids or {}).items()]
        # the frame-loss alert reads the processor's records in their resource-specific table
        # (PROCESSOR_LOG_TABLES); without `Dedicated` a setting writes them to AzureDiagnostics:
        # "the default destination type, i.e. AzureDiagnostics, or ... <normalized service
        # identity>_<normalized category name>. Possible values are: Dedicated and null (null is
        # default.)" (pulumi_azure_native `monitor.DiagnosticSetting`, from the REST API's spec).
        # The container jobs' environment only: App Service writes its own tables whatever the
        # setting says, and reads it back as null (Azure/azure-rest-api-specs#9281), so on the
        # function app it would change nothing and differ from the stack after every refresh
        # (hashicorp/terraform-provider-azurerm#22406)
        dedicated = {"processing-environment"} & set(processing_ids or {})
        if event_topic_id is not None:  # its DeliveryFailures log says why an event was not delivered
            targets.append(("events", event_topic_id, True))
        for target, resource_id, has_logs in targets:
            self.realize(
                azure.monitor.DiagnosticSetting(
                    self.child_name(target, "diagnostics"),
                    name=f"{mission.name}-to-log-analytics",
                    resource_uri=resource_id,
                    workspace_id=self.workspace.id,
                    logs=[{"category_group": "allLogs", "enabled": True}] if has_logs else None,
                    metrics=[{"category": METRIC_CATEGORY.get(target, "AllMetrics"), "enabled": True}],
                    log_analytics_destination_type="Dedicated" if target in dedicated else None,
                    opts=self.opts(),
                ),
                "observability.logging",
            )
        emails = list(inputs.alert_emails)
        self.action_group = self.realize(
            azure.monitor.ActionGroup(
                self.child_name("alerts"),
                action_group_name=f"ag-{mission.name}",
                resource_group_name=resource_group_name,
                location="global",
                group_short_name=mission.name[:ACTION_GROUP_SHORT_NAME_MAX],
                enabled=True,
                email_receivers=[
                    {"name": f"email-{i}", "email_address": email, "use_common_alert_schema": True}
                    for i, email in enumerate(emails)
                ],
                tags=self.tags,
                opts=self.opts(),
            ),
            "observability.alarm",
        )
        self._metric_alert(
            "dead-lettered",
            resource_group_name,
            rule="dead-lettered-contact-events",
            description="A contact event was dead-lettered: processing gave up on a delivered contact.",
            scope=bus_namespace_id,
            criterion=_queue_metric("dead-lettered", queue_name, "DeadletteredMessages", "Maximum"),
        )
        self._metric_alert(
            "waiting",
            resource_group_name,
            rule="contact-events-waiting",
            description="The contact queue has held a contact event for a day without ever emptying: nothing is "
            "receiving it (a processor that stops before it receives, a stopped app). Service Bus dead-letters "
            "it only when it expires, after 14 days.",
            scope=bus_namespace_id,
            criterion=_queue_metric("waiting", queue_name, "ActiveMessages", "Minimum"),
            window=WAITING_WINDOW,
            frequency=WAITING_FREQUENCY,
        )
        if event_topic_id is not None:
            for key, rule, description, metric in TOPIC_ALERTS:
                self._metric_alert(
                    key,
                    resource_group_name,
                    rule=rule,
                    description=description,
                    scope=event_topic_id,
                    criterion=above_zero(key, "Microsoft.EventGrid/systemTopics", metric, "Total"),
                )
        if inputs.loss_alarm_percent is not None and processing_ids:
            self._loss_alert(inputs.loss_alarm_percent, inputs.processing_mode, resource_group_name)
        self.budget = self.realize(
            azure.consumption.Budget(
                self.child_name("budget"),
                budget_name=f"{mission.name}-monthly",
                scope=resource_group_id,
                amount=inputs.budget_monthly_usd,
                category="Cost",
                time_grain="Monthly",
                time_period={"start_date": budget_start()},
                notifications={
                    f"actual-{threshold}": {
                        "enabled": True,
                        # as AWS Budgets compares (GREATER_THAN, which has no "or equal"): at
                        # exactly a threshold neither cloud alerts, so both alert alike
                        "operator": "GreaterThan",
                        "threshold": threshold,
                        "threshold_type": "Actual",
                        "contact_emails": emails,
                    }
                    for threshold in inputs.budget_thresholds_percent
                },
                opts=self.opts(ignore_changes=["timePeriod"]),  # the start month is set once, at creation
            ),
            "budget.alerts",
        )
        self.register_outputs(
            {"alerts": self.action_group.id, "budget": self.budget.name, "log_workspace": self.workspace.id}
        )

    def _loss_alert(self, percent: float, mode: str, resource_group_name: pulumi.Output[str]) -> None:
        """An alert when a processed contact lost more than `percent` of its frames, as AWS's
        frame-loss alarm: a log search over the processor's records in the workspace, every 5
        minutes, to the action group."""
        self.realize(
            azure.monitor.ScheduledQueryRule(
                self.child_name("frame-loss"),
                rule_name=f"{self.mission.name}-frame-loss",
                resource_group_name=resource_group_name,
                location=self.mission.region,
                kind="LogAlert",
                description=f"A processed contact lost more than {loss_threshold(percent)}% of its frames (missing "
                f"or corrupt; the processor's log record, field {LOSS_FIELD}, and its contact summary say which).",
                severity=ALERT_SEVERITY,
                enabled=True,
                auto_mitigate=True,
                evaluation_frequency=ALERT_FREQUENCY,
                window_size=ALERT_WINDOW,
                scopes=[self.workspace.id],
                # Created with the workspace, before any record reaches the processor's table:
                # validated at creation, the query would name a table the new workspace does not
                # have yet and the create fail (docs/azure.md, "The frame-loss alert").
                skip_query_validation=True,
                criteria=azure.monitor.ScheduledQueryRuleCriteriaArgs(
                    all_of=[
                        azure.monitor.ConditionArgs(
                            criterion_type="StaticThresholdCriterion",
                            query=loss_query(mode, percent),
                            time_aggregation="Count",
                            operator="GreaterThan",
                            threshold=0,
                            failing_periods=azure.monitor.ConditionFailingPeriodsArgs(
                                number_of_evaluation_periods=1, min_failing_periods_to_alert=1
                            ),
                        )
                    ]
                ),
                actions=azure.monitor.ActionsArgs(action_groups=[self.action_group.id]),
                tags=self.tags,
                opts=self.opts(),
            ),
            "observability.alarm",
        )

    def _metric_alert(
        self,
        key: str,
        resource_group_name: pulumi.Output[str],
        *,
        rule: str,
        description: str,
        scope: pulumi.Input[str],
        criterion: azure.monitor.MetricCriteriaArgs,
        window: str = ALERT_WINDOW,
        frequency: str = ALERT_FREQUENCY,
    ) -> None:
        """One metric alert on one resource, to the mission's action group, as AWS's alarms go to
        its alerts topic."""
        self.realize(
            azure.monitor.MetricAlert(
                self.child_name(key),
                rule_name=f"{self.mission.name}-{rule}",
                resource_group_name=resource_group_name,
                location="global",
                description=description,
                severity=ALERT_SEVERITY,
                enabled=True,
                auto_mitigate=True,
                evaluation_frequency=frequency,
                window_size=window,
                scopes=[scope],
                # a polymorphic input takes its Args class, so the SDK knows its wire names
                criteria=azure.monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
                    odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                    all_of=[criterion],
                ),
                actions=[{"action_group_id": self.action_group.id}],
                tags=self.tags,
                opts=self.opts(),
            ),
            "observability.alarm",
        )
