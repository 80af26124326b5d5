"""Diagnostic settings name only the categories their resource exports.

`pulumi preview` accepts any category name; Azure Monitor refuses a category the target
resource does not have, at deployment. A storage account and its services export the metric
categories `Capacity` and `Transaction` and refuse `AllMetrics` ("Metric category 'AllMetrics'
is not supported, supported categories are: 'Capacity;Transaction'"), and the account itself
exports no logs (its services do).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.plan import Plan
from .findings import Finding, values_at

SETTING = "azure-native:monitor:DiagnosticSetting"
SOURCE = (
    "Azure Monitor's answer for a storage account, as quoted in "
    "Azure/terraform-azurerm-avm-res-storage-storageaccount PR #325 (2026-03-16); Azure/azure-powershell "
    "#6520 (blobServices)"
)
STORAGE_ACCOUNT = "/providers/Microsoft.Storage/storageAccounts/"
STORAGE_METRIC_CATEGORIES = ("Capacity", "Transaction")


def azure_findings(plan: Plan) -> Iterator[Finding]:
    for setting in plan.of_type(SETTING):
        uri = setting.inputs.get("resourceUri")
        if not isinstance(uri, str) or STORAGE_ACCOUNT not in uri:
            continue
        for where, category in values_at(setting.inputs, "metrics[].category"):
            if category not in STORAGE_METRIC_CATEGORIES:
                yield Finding(
                    setting.name,
                    setting.type,
                    where,
                    category,
                    f"a storage account and its services export the metric categories "
                    f"{' and '.join(STORAGE_METRIC_CATEGORIES)} only; Azure refuses any other",
                    SOURCE,
                )
        account_itself = "/" not in uri.split(STORAGE_ACCOUNT, 1)[1].strip("/")
        if account_itself and setting.inputs.get("logs"):
            yield Finding(
                setting.name,
                setting.type,
                "logs",
                setting.inputs["logs"],
                "a storage account exports no logs (its blob, queue, table and file services do); Azure "
                "refuses a log category on the account",
                SOURCE,
            )
