"""Diagnostic settings send what each resource has: the storage account itself has metrics only
(Azure refuses a log category there), its blob service and the other services have logs too; a
storage account and its services export the `Transaction` metric category and refuse `AllMetrics`."""

from __future__ import annotations

SETTING = "azure-native:monitor:DiagnosticSetting"


def test_the_storage_account_sends_metrics_only_and_its_blob_service_sends_logs_too(azure_noaa20) -> None:
    account = azure_noaa20.one(SETTING, "noaa20-observability-storage-diagnostics").inputs
    blob = azure_noaa20.one(SETTING, "noaa20-observability-blob-diagnostics").inputs
    assert "logs" not in account
    assert account["metrics"] == [{"category": "Transaction", "enabled": True}]
    assert blob["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert blob["metrics"] == [{"category": "Transaction", "enabled": True}]
