"""Guards on planned values the docs state: each is asserted as the documented literal on the
example plans the session already builds (docs/azure.md, docs/aws.md)."""

from __future__ import annotations

from .conftest import cached_plan


def _one(plan, type_token: str):
    [found] = plan.of_type(type_token)
    return found


def test_the_contact_queue_retries_10_times_and_keeps_messages_14_days(azure_noaa20):
    """docs/azure.md, Events: queue `contact-data`: `maxDeliveryCount: 10`, lock `PT5M`, TTL `P14D`."""
    queue = _one(azure_noaa20, "azure-native:servicebus:Queue").inputs
    assert queue["maxDeliveryCount"] == 10
    assert queue["defaultMessageTimeToLive"] == "P14D"
    assert queue["lockDuration"] == "PT5M"


def test_event_grid_retries_30_times_within_24_hours(azure_noaa20):
    """docs/azure.md, Events: "30 attempts within 24 h" (1,440 minutes)."""
    subscription = _one(azure_noaa20, "azure-native:eventgrid:SystemTopicEventSubscription").inputs
    assert subscription["retryPolicy"] == {"maxDeliveryAttempts": 30, "eventTimeToLiveInMinutes": 1440}


def test_the_storage_account_defaults_to_entra_authentication(azure_noaa20):
    """docs/azure.md, Storage: `defaultToOAuthAuthentication` (the portal uses Entra ID, not keys)."""
    account = _one(azure_noaa20, "azure-native:storage:StorageAccount").inputs
    assert account["defaultToOAuthAuthentication"] is True
    assert account["allowSharedKeyAccess"] is False


def test_the_adx_database_soft_deletes_after_the_products_retention():
    """docs/azure.md, Analytics: ADX database soft delete = `products_retention_days`: 730 in
    specs/partner.yaml, 3,650 in specs/constellation.yaml."""
    partner = _one(cached_plan("partner.yaml", "azure"), "azure-native:kusto:ReadWriteDatabase").inputs
    assert partner["softDeletePeriod"] == "P730D"
    assert partner["hotCachePeriod"] == "P31D"


def test_the_key_vault_keeps_deleted_keys_90_days_with_purge_protection(azure_noaa20):
    """docs/azure.md, Security: soft delete 90 days, purge protection."""
    properties = _one(azure_noaa20, "azure-native:keyvault:Vault").inputs["properties"]
    assert properties["enableSoftDelete"] is True
    assert properties["softDeleteRetentionInDays"] == 90
    assert properties["enablePurgeProtection"] is True


def test_the_dead_letter_alarm_looks_at_5_minute_maximums(aws_noaa20):
    """docs/aws.md, Observability: an alarm on the dead-letter queue's visible messages
    (> 0, 5-minute maximum)."""
    [alarm] = [
        a
        for a in aws_noaa20.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["metricName"] == "ApproximateNumberOfMessagesVisible"
    ]
    assert (alarm.inputs["period"], alarm.inputs["statistic"], alarm.inputs["evaluationPeriods"]) == (300, "Maximum", 1)
    assert (alarm.inputs["threshold"], alarm.inputs["comparisonOperator"]) == (0, "GreaterThanThreshold")


def test_the_function_app_accepts_only_tls_1_2(azure_noaa20):
    app = _one(azure_noaa20, "azure-native:web:WebApp").inputs
    assert app["siteConfig"]["minTlsVersion"] == "1.2"
    assert "ftpsState" not in app["siteConfig"]  # deprecated on Flex Consumption, which has no FTP
