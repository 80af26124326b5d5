"""Durability and key protection on the plans themselves: the default stacks of
both clouds meet the durability rules, each rule fails on a captured plan
broken in its one way (through the real pack process), and the spec switches
change exactly the resources they name."""

from __future__ import annotations

import copy

import pytest

from groundlink.check import check_plans
from groundlink.engine import Plan

from .conftest import cached_plan, plan_of, spec_data, with_changes

pytestmark = pytest.mark.usefixtures("warm_policy_packs")  # this module forks no process

DURABILITY_RULES = {
    "azure-storage-redundancy",
    "azure-analytics-audit-logs",
    "azure-keyvault-public-access-disabled",
    "azure-keyvault-hsm-keys",
    "azure-messaging-premium-cmk",
    "aws-vpc-flow-logs",
    "aws-messaging-mission-key",
}


def _doc(spec: str, cloud: str) -> dict:
    return copy.deepcopy(cached_plan(spec, cloud).to_json())


def _find(doc: dict, type_token: str, where=lambda r: True) -> dict:
    return next(r for r in doc["resources"] if r["type"] == type_token and where(r))


def _set(resource: dict, **props) -> None:
    """Edit inputs and outputs alike (Analyze reads inputs, AnalyzeStack outputs)."""
    for bag in (resource["inputs"], resource["outputs"]):
        bag.update(props)


def _drop(doc: dict, resource: dict) -> None:
    doc["resources"] = [r for r in doc["resources"] if r["urn"] != resource["urn"]]


def test_default_stacks_meet_every_durability_rule_on_both_clouds():
    plans = [cached_plan(spec, cloud) for spec in ("noaa20.yaml", "partner.yaml") for cloud in ("aws", "azure")]
    result = check_plans(plans)
    assert [v for v in result.violations if v.policy in DURABILITY_RULES] == []
    assert sum(c.resources for c in result.clouds) > 200


def test_each_rule_fails_on_an_azure_plan_broken_its_way():
    doc = _doc("noaa20.yaml", "azure")
    account = _find(doc, "azure-native:storage:StorageAccount")
    _set(account, sku={"name": "Standard_LRS"})
    workspace = _find(doc, "azure-native:synapse:Workspace")
    _drop(
        doc, _find(doc, "azure-native:monitor:DiagnosticSetting", lambda r: r["name"].endswith("synapse-diagnostics"))
    )
    vault = _find(doc, "azure-native:keyvault:Vault")
    properties = copy.deepcopy(vault["inputs"]["properties"])
    properties["publicNetworkAccess"] = "Enabled"
    _set(vault, properties=properties)
    key = _find(doc, "azure-native:keyvault:Key")
    key_properties = copy.deepcopy(key["inputs"]["properties"])
    key_properties["kty"] = "RSA"
    _set(key, properties=key_properties)

    result = check_plans([Plan.from_json(doc)])
    assert {(v.policy, v.resource_name, v.message) for v in result.violations} == {
        (
            "azure-storage-redundancy",
            account["name"],
            "sku is Standard_LRS, not zone-redundant; allowed: "
            "Standard_ZRS, Standard_GZRS, Standard_RAGZRS, Premium_ZRS",
        ),
        (
            "azure-analytics-audit-logs",
            workspace["name"],
            f"Synapse workspace {workspace['name']} has no diagnostic setting (queries leave no audit trail)",
        ),
        ("azure-keyvault-public-access-disabled", vault["name"], "publicNetworkAccess is Enabled"),
        ("azure-keyvault-hsm-keys", key["name"], "key type is RSA; allowed: RSA-HSM, EC-HSM"),
    }
    assert all(v.mandatory for v in result.violations) and not result.passed


def test_each_rule_fails_on_an_aws_plan_broken_its_way():
    doc = _doc("partner.yaml", "aws")  # network: private
    vpc = _find(doc, "aws:ec2/vpc:Vpc")
    _drop(doc, _find(doc, "aws:ec2/flowLog:FlowLog"))
    queue = _find(doc, "aws:sqs/queue:Queue", lambda r: r["name"].endswith("contacts"))
    for bag in (queue["inputs"], queue["outputs"]):
        bag.pop("kmsMasterKeyId")
        bag["sqsManagedSseEnabled"] = True

    result = check_plans([Plan.from_json(doc)])
    assert {(v.policy, v.resource_name, v.message) for v in result.violations} == {
        ("aws-vpc-flow-logs", vpc["name"], f"VPC {vpc['name']} has no flow log"),
        (
            "aws-messaging-mission-key",
            queue["name"],
            f"queue {queue['name']} has no kmsMasterKeyId (SSE-SQS keys are not the mission's)",
        ),
    }
    assert all(v.mandatory for v in result.violations) and not result.passed


def test_azure_defaults_are_zone_redundant_premium_hsm_and_closed_in_every_network_mode():
    for spec in ("noaa20.yaml", "partner.yaml"):  # public and private
        plan = cached_plan(spec, "azure")
        [account] = plan.of_type("azure-native:storage:StorageAccount")
        [vault] = plan.of_type("azure-native:keyvault:Vault")
        keys = plan.of_type("azure-native:keyvault:Key")  # partner.yaml: Data Explorer's own key too
        assert account.inputs["sku"] == {"name": "Standard_ZRS"}
        props = vault.inputs["properties"]
        assert props["publicNetworkAccess"] == "Disabled" and props["networkAcls"]["bypass"] == "AzureServices"
        assert props["sku"]["name"] == "premium" and [k.inputs["properties"]["kty"] for k in keys] == ["RSA-HSM"] * len(
            keys
        )


def test_azure_geo_redundancy_and_software_keys_follow_the_spec():
    data = with_changes(
        spec_data(),
        {
            "storage.redundancy": "geo",
            "storage.geo_read_access": True,
            "clouds.aws.replica_region": "us-east-2",
            "security.hsm_keys": False,
        },
    )
    plan = plan_of(data, "azure")
    [account] = plan.of_type("azure-native:storage:StorageAccount")
    [vault] = plan.of_type("azure-native:keyvault:Vault")
    [key] = plan.of_type("azure-native:keyvault:Key")
    assert account.inputs["sku"] == {"name": "Standard_RAGZRS"}
    assert vault.inputs["properties"]["sku"]["name"] == "standard" and key.inputs["properties"]["kty"] == "RSA"
    # the logical names do not move: switching redundancy or key protection never renames a store
    default = cached_plan("noaa20.yaml", "azure")
    assert {r.name for r in plan.resources} == {r.name for r in default.resources}


def test_private_vpc_flow_logs_go_to_a_kms_log_group_kept_as_the_spec_says():
    plan = cached_plan("partner.yaml", "aws")
    [flow_log] = plan.of_type("aws:ec2/flowLog:FlowLog")
    [key] = plan.of_type("aws:kms/key:Key")
    group = next(g for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if g.name.endswith("flow-logs"))
    assert flow_log.inputs["trafficType"] == "ALL" and flow_log.inputs["logDestination"] == group.outputs["arn"]
    assert group.inputs["kmsKeyId"] == key.outputs["arn"] and group.inputs["retentionInDays"] == 365
    assert (
        "vpc-flow-logs.amazonaws.com"
        in next(r for r in plan.of_type("aws:iam/role:Role") if r.name.endswith("flow-logs-role")).inputs[
            "assumeRolePolicy"
        ]
    )


def test_standard_messaging_declares_the_key_gap_and_premium_closes_it():
    default = cached_plan("noaa20.yaml", "azure")
    assert "Premium" in default.gaps["security.messaging_cmk"]
    aws = cached_plan("noaa20.yaml", "aws")
    assert "security.messaging_cmk" not in aws.gaps
    keyed = {r.type for r in aws.resources if "security.messaging_cmk" in r.capability}
    assert keyed == {"aws:sqs/queue:Queue", "aws:sns/topic:Topic", "aws:kinesis/stream:Stream"}

    premium = plan_of(with_changes(spec_data(), {"security.premium_messaging": True}), "azure")
    assert "security.messaging_cmk" not in premium.gaps
    namespaces = [r for r in premium.resources if r.type.endswith(":Namespace")]
    assert {r.type for r in namespaces} == {"azure-native:servicebus:Namespace", "azure-native:eventhub:Namespace"}
    [key] = premium.of_type("azure-native:keyvault:Key")
    for namespace in namespaces:
        assert namespace.inputs["sku"]["tier"] == "Premium" and "security.messaging_cmk" in namespace.capability
        [vault_key] = namespace.inputs["encryption"]["keyVaultProperties"]
        assert namespace.inputs["encryption"]["keySource"] == "Microsoft.KeyVault"
        assert vault_key["keyName"] == key.inputs["keyName"]
    result = check_plans([premium])
    assert [v for v in result.violations if v.policy in DURABILITY_RULES] == []


def test_geo_redundancy_is_realized_on_both_clouds():
    from groundlink.blueprint import build_blueprint
    from groundlink.parity import parity
    from groundlink.spec import spec_from_data

    data = with_changes(spec_data(), {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"})
    azure, aws = plan_of(data, "azure"), plan_of(data, "aws")
    [account] = azure.of_type("azure-native:storage:StorageAccount")
    assert account.inputs["sku"] == {"name": "Standard_GZRS"} and "storage.geo_redundancy" in account.capability
    assert "storage.geo_redundancy" not in aws.gaps
    matrix = parity(build_blueprint(spec_from_data(data)), {"aws": aws, "azure": azure})
    [row] = [r for r in matrix.rows if r.capability.id == "storage.geo_redundancy"]
    assert {cloud: cell.status for cloud, cell in row.cells.items()} == {"aws": "realized", "azure": "realized"}
    assert "aws:s3/bucketReplicationConfig:BucketReplicationConfig" in {t for t, _ in row.cells["aws"].resources}
    assert matrix.ok
