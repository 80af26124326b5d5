"""Durability and key-protection rules at function level: storage redundancy,
analytics audit logs, Key Vault public access and HSM keys, VPC flow logs, and
queues and topics on the mission's key. Each bad case changes one thing of a
good input and asserts the exact message."""

from __future__ import annotations

import pytest

from .policies_support import res, run_resource, run_stack
from .test_policies_rules_azure import _with

GOOD_VAULT = {
    "properties": {
        "sku": {"family": "A", "name": "premium"},
        "publicNetworkAccess": "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
    }
}
GOOD_KEY = {"properties": {"kty": "RSA-HSM", "keySize": 3072}}
PREMIUM_BUS = {
    "sku": {"name": "Premium", "tier": "Premium"},
    "encryption": {
        "keySource": "Microsoft.KeyVault",
        "keyVaultProperties": [{"keyName": "data", "keyVaultUri": "https://kv.vault.azure.net/"}],
    },
}


# (rule, bad props, resource type or None, config, exact messages); the good twin is the base without the change.
RESOURCE_CASES = [
    (
        "azure-storage-redundancy",
        {"sku": {"name": "Standard_LRS"}},
        {"sku": {"name": "Standard_ZRS"}},
        None,
        ["sku is Standard_LRS, not zone-redundant; allowed: Standard_ZRS, Standard_GZRS, Standard_RAGZRS, Premium_ZRS"],
    ),
    (
        "azure-keyvault-public-access-disabled",
        _with(GOOD_VAULT, "properties.publicNetworkAccess", "Enabled"),
        GOOD_VAULT,
        None,
        ["publicNetworkAccess is Enabled"],
    ),
    (
        "azure-keyvault-public-access-disabled",
        _with(GOOD_VAULT, "properties.networkAcls.bypass", "None"),
        GOOD_VAULT,
        None,
        ["network bypass is None, not AzureServices (trusted services could not use the keys)"],
    ),
    (
        "azure-keyvault-hsm-keys",
        _with(GOOD_KEY, "properties.kty", "RSA"),
        GOOD_KEY,
        "azure-native:keyvault:Key",
        ["key type is RSA; allowed: RSA-HSM, EC-HSM"],
    ),
    (
        "azure-keyvault-hsm-keys",
        _with(GOOD_VAULT, "properties.sku.name", "standard"),
        GOOD_VAULT,
        "azure-native:keyvault:Vault",
        ["vault sku is standard, not premium (no HSM-protected keys)"],
    ),
    (
        "azure-messaging-premium-cmk",
        _with(PREMIUM_BUS, "encryption.keySource", "Microsoft.ServiceBus"),
        PREMIUM_BUS,
        "azure-native:servicebus:Namespace",
        ["Premium namespace encrypts with Microsoft.ServiceBus, not Microsoft.KeyVault"],
    ),
    (
        "azure-messaging-premium-cmk",
        _with(PREMIUM_BUS, "encryption.keyVaultProperties", []),
        PREMIUM_BUS,
        "azure-native:eventhub:Namespace",
        ["Premium namespace names no Key Vault key (encryption.keyVaultProperties[].keyName)"],
    ),
]


@pytest.mark.parametrize(
    "rule, bad, good, token, messages", RESOURCE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(RESOURCE_CASES)]
)
def test_resource_rule_fires_with_its_message_and_passes_the_good_twin(rule, bad, good, token, messages):
    assert run_resource(rule, bad, type=token) == messages
    assert run_resource(rule, good, type=token) == []


def test_software_keys_pass_when_the_spec_accepts_them():
    config = {"allowSoftwareKeys": True}
    assert run_resource("azure-keyvault-hsm-keys", {"properties": {"kty": "RSA"}}, config=config) == []


def test_standard_messaging_passes_unless_premium_is_required():
    standard = {"sku": {"name": "Standard", "tier": "Standard"}}
    assert run_resource("azure-messaging-premium-cmk", standard) == []
    assert run_resource("azure-messaging-premium-cmk", standard, config={"requirePremium": True}) == [
        "sku tier is Standard, not Premium (no customer-managed key)"
    ]


def test_geo_redundant_skus_pass_and_grs_does_not():
    for sku in ("Standard_GZRS", "Standard_RAGZRS"):
        assert run_resource("azure-storage-redundancy", {"sku": {"name": sku}}) == []
    assert run_resource("azure-storage-redundancy", {"sku": {"name": "Standard_GRS"}}) != []


# --- stack rules ------------------------------------------------------------------------------

WORKSPACE_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log"


def _engine_with_diagnostics(token: str, **setting) -> list:
    engine = res(token, "engine", {"id": "/engine"})
    props = {
        "resourceUri": "/engine",
        "workspaceId": WORKSPACE_ID,
        "logs": [{"categoryGroup": "allLogs", "enabled": True}],
    }
    props.update(setting)
    return [engine, res("azure-native:monitor:DiagnosticSetting", "engine-diagnostics", props, deps=(engine,))]


@pytest.mark.parametrize("token", ["azure-native:synapse:Workspace", "azure-native:kusto:Cluster"])
def test_audit_logs_pass_with_all_logs_to_a_workspace(token):
    assert run_stack("azure-analytics-audit-logs", _engine_with_diagnostics(token)) == []


@pytest.mark.parametrize(
    "token, kind",
    [("azure-native:synapse:Workspace", "Synapse workspace"), ("azure-native:kusto:Cluster", "Data Explorer cluster")],
)
def test_audit_logs_fire_on_an_engine_without_diagnostics(token, kind):
    resources = _engine_with_diagnostics(token)[:1]
    assert run_stack("azure-analytics-audit-logs", resources) == [
        (f"{kind} engine has no diagnostic setting (queries leave no audit trail)", f"urn:{token}::engine")
    ]


def test_audit_logs_fire_on_a_setting_without_the_sql_audit_categories():
    resources = _engine_with_diagnostics(
        "azure-native:synapse:Workspace", logs=[{"category": "IntegrationPipelineRuns", "enabled": True}]
    )
    [(message, _)] = run_stack("azure-analytics-audit-logs", resources)
    assert message == (
        "Synapse workspace engine: diagnostic setting engine-diagnostics misses BuiltinSqlReqsEnded, "
        "GatewayApiRequests, SQLSecurityAuditEvents, SynapseRbacOperations"
    )


def test_audit_logs_fire_on_a_setting_to_no_workspace():
    resources = _engine_with_diagnostics("azure-native:kusto:Cluster", workspaceId=None)
    [(message, _)] = run_stack("azure-analytics-audit-logs", resources)
    assert (
        message
        == "Data Explorer cluster engine: diagnostic setting engine-diagnostics sends to no Log Analytics workspace"
    )


KEY_ARN = "arn:aws:kms:us-west-2:111122223333:key/k"


def _private_vpc(drop_flow_log: bool = False, group_key: str | None = KEY_ARN) -> list:
    vpc = res("aws:ec2/vpc:Vpc", "vpc", {"id": "vpc-1"})
    group = res(
        "aws:cloudwatch/logGroup:LogGroup", "flow-logs", {"arn": "arn:aws:logs:::log-group:fl", "kmsKeyId": group_key}
    )
    flow_log = res(
        "aws:ec2/flowLog:FlowLog",
        "vpc-flow-log",
        {"vpcId": "vpc-1", "logDestination": "arn:aws:logs:::log-group:fl", "trafficType": "ALL"},
        deps=(vpc, group),
    )
    return [vpc, group] + ([] if drop_flow_log else [flow_log])


def test_flow_logs_pass_on_an_encrypted_log_group():
    assert run_stack("aws-vpc-flow-logs", _private_vpc()) == []


def test_flow_logs_fire_on_a_vpc_without_one():
    assert run_stack("aws-vpc-flow-logs", _private_vpc(drop_flow_log=True)) == [
        ("VPC vpc has no flow log", "urn:aws:ec2/vpc:Vpc::vpc")
    ]


def test_flow_logs_fire_on_an_unencrypted_log_group():
    assert run_stack("aws-vpc-flow-logs", _private_vpc(group_key=None)) == [
        (
            "VPC vpc: flow log vpc-flow-log delivers to log group flow-logs, which has no kmsKeyId",
            "urn:aws:ec2/vpc:Vpc::vpc",
        )
    ]


def test_flow_logs_accept_the_services_own_encryption_when_keys_are_off():
    """security.customer_managed_keys: false gives the flow-log group no key; the shipped
    keys-off config accepts that, and still wants the flow log itself."""
    off = {"requireCustomerManagedKey": False}
    assert run_stack("aws-vpc-flow-logs", _private_vpc(group_key=None), off) == []
    assert run_stack("aws-vpc-flow-logs", _private_vpc(drop_flow_log=True), off) == [
        ("VPC vpc has no flow log", "urn:aws:ec2/vpc:Vpc::vpc")
    ]


def _channels(queue_key=KEY_ARN, topic_key=KEY_ARN, **queue_extra) -> list:
    key = res("aws:kms/key:Key", "mission-key", {"arn": KEY_ARN})
    queue = res("aws:sqs/queue:Queue", "contacts", {"kmsMasterKeyId": queue_key, **queue_extra})
    topic = res("aws:sns/topic:Topic", "alerts", {"kmsMasterKeyId": topic_key})
    return [key, queue, topic]


def test_queues_and_topics_on_the_mission_key_pass():
    assert run_stack("aws-messaging-mission-key", _channels()) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"queue_key": None}, "queue contacts has no kmsMasterKeyId (SSE-SQS keys are not the mission's)"),
        (
            {"topic_key": "alias/aws/sns"},
            "topic alerts uses the AWS managed key alias/aws/sns, which AWS services (CloudWatch alarms) cannot "
            "publish with",
        ),
        ({"topic_key": None}, "topic alerts has no kmsMasterKeyId (the topic is not encrypted at rest)"),
        (
            {"queue_key": "arn:aws:kms:us-west-2:111122223333:key/other"},
            "queue contacts uses kmsMasterKeyId arn:aws:kms:us-west-2:111122223333:key/other, which is not a key "
            "this stack creates",
        ),
    ],
)
def test_queue_or_topic_off_the_mission_key_fires(change, message):
    assert [m for m, _ in run_stack("aws-messaging-mission-key", _channels(**change))] == [message]


def test_sse_sqs_and_an_unencrypted_alerts_topic_pass_when_customer_managed_keys_are_off():
    resources = _channels(queue_key=None, topic_key=None, sqsManagedSseEnabled=True)
    assert run_stack("aws-messaging-mission-key", resources, config={"requireCustomerManagedKey": False}) == []


def test_a_topic_under_the_aws_managed_key_fires_even_with_customer_managed_keys_off():
    """CloudWatch cannot use alias/aws/sns, whose key policy cannot be changed: no alarm would
    reach the topic, whatever the key configuration."""
    resources = _channels(queue_key=None, topic_key="alias/aws/sns", sqsManagedSseEnabled=True)
    assert [m for m, _ in run_stack("aws-messaging-mission-key", resources, {"requireCustomerManagedKey": False})] == [
        "topic alerts uses the AWS managed key alias/aws/sns, which AWS services (CloudWatch alarms) cannot publish with"
    ]


STACK_RULES = {"azure-analytics-audit-logs", "aws-vpc-flow-logs", "aws-messaging-mission-key"}
