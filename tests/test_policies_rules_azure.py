"""Azure, retired-service, data-protection, tagging and region rules at function level:
token spellings, config switches and joins (every condition of every rule, on planned
baselines, is in tests/test_policies_conditions.py)."""

from __future__ import annotations

from typing import Any

import pytest

from .policies_support import functions_app, res, run_resource, run_stack

GOOD_ACCOUNT = {
    "enableHttpsTrafficOnly": True,
    "minimumTlsVersion": "TLS1_2",
    "allowBlobPublicAccess": False,
    "allowSharedKeyAccess": False,
    "encryption": {
        "requireInfrastructureEncryption": True,
        "keySource": "Microsoft.Keyvault",
        "keyVaultProperties": {"keyName": "data", "keyVaultUri": "https://kv.vault.azure.net/"},
    },
    "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
}


def _with(base: dict, path: str, value) -> dict:
    """A deep copy of `base` with the dotted `path` set to `value`."""
    import copy

    out = copy.deepcopy(base)
    node = out
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[key]
    node[leaf] = value
    return out


def test_public_network_disabled_counts_as_default_deny():
    account = _with(GOOD_ACCOUNT, "networkRuleSet.defaultAction", "Allow")
    account["publicNetworkAccess"] = "Disabled"
    assert run_resource("azure-storage-default-deny", account) == []


def test_versioned_azure_token_is_matched():
    assert run_resource(
        "azure-storage-min-tls", {"minimumTlsVersion": "TLS1_1"}, type="azure-native:storage/v20240101:StorageAccount"
    ) == ["minimum TLS version is TLS1_1"]


@pytest.mark.parametrize("kind", ["Spacecraft", "ContactProfile", "Contact"])
def test_retired_orbital_denied_unless_legacy_allowed(kind):
    token = f"azure-native:orbital:{kind}"
    [message] = run_resource("retired-azure-orbital", {"noradId": "27424"}, type=token)
    assert "retired 2024-12-18" in message
    assert run_resource("retired-azure-orbital", {}, type=token, config={"legacyOrbitalAllowed": True}) == []


def test_orbital_global_communications_types_are_not_retired():
    assert run_resource("retired-azure-orbital", {}, type="azure-native:orbital:GroundStation") == []


def test_data_protection_needs_protect_on_stateful_only():
    assert run_resource("data-protection-stateful-protected", {}, type="aws:kms/key:Key", protect=False)
    assert run_resource("data-protection-stateful-protected", {}, type="aws:kms/key:Key", protect=True) == []
    # a queue holds undelivered contacts: stateful (README "Data protection"); a Firehose stream only buffers
    assert run_resource("data-protection-stateful-protected", {}, type="aws:sqs/queue:Queue", protect=False)
    assert (
        run_resource(
            "data-protection-stateful-protected",
            {},
            type="aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            protect=False,
        )
        == []
    )


def test_tags_from_aws_provider_default_tags_count():
    provider = {"defaultTags": '{"tags": {"owner": "ops", "data-classification": "internal"}}'}
    assert (
        run_resource("tags-required", {"tags": {"mission": "noaa20"}}, type="aws:sqs/queue:Queue", provider=provider)
        == []
    )


def test_tags_as_aws_native_key_value_list():
    tags = [
        {"key": "mission", "value": "n"},
        {"key": "owner", "value": "o"},
        {"key": "data-classification", "value": "i"},
    ]
    assert run_resource("tags-required", {"tags": tags}, type="aws-native:groundstation:Config") == []
    assert run_resource("tags-required", {"tags": tags[:1]}, type="aws-native:groundstation:Config") == [
        "missing tags: owner, data-classification"
    ]


@pytest.mark.parametrize(
    ("resource_type", "most"),
    [("aws:s3/bucketObjectv2:BucketObjectv2", 10), ("azure-native:keyvault:Key", 15), ("aws:sqs/queue:Queue", 50)],
)
def test_a_required_tag_left_off_a_full_resource_says_why(resource_type, most):
    """A tag the spec held was missing on an S3 object (10 tags) and a Key Vault key (15), and
    the violation only said to add it to the spec, where it already was."""
    config = {"requiredTags": ["mission", "cost-center"]}
    full = {"mission": "n", **{f"k{i:02d}": "v" for i in range(most - 1)}}
    assert run_resource("tags-required", {"tags": full}, type=resource_type, config=config) == [
        f"missing tags: cost-center ({resource_type} takes at most {most} tags and holds {most}: the mission.tags "
        "that did not fit are left off, the last written first)"
    ]
    room = dict(list(full.items())[:-1])  # one short of full: the tag was never given
    assert run_resource("tags-required", {"tags": room}, type=resource_type, config=config) == [
        "missing tags: cost-center"
    ]


def test_required_tags_come_from_config():
    assert run_resource("tags-required", {"tags": {"mission": "n"}}, config={"requiredTags": ["mission"]}) == []


def test_allowed_regions_for_each_cloud():
    config = {"allowedAwsRegions": ["eu-north-1"], "allowedAzureLocations": ["swedencentral"]}
    aws = "aws:s3/bucket:Bucket"
    assert run_resource("allowed-regions", {}, type=aws, provider={"region": "us-west-2"}, config=config)
    assert run_resource("allowed-regions", {}, type=aws, provider={"region": "eu-north-1"}, config=config) == []
    azure = "azure-native:storage:StorageAccount"
    assert run_resource("allowed-regions", {"location": "westus2"}, type=azure, config=config)
    assert run_resource("allowed-regions", {"location": "swedencentral"}, type=azure, config=config) == []
    assert run_resource("allowed-regions", {"location": "westus2"}, type=azure) == []  # default: any
    # action groups and metric alerts live in "global": not a region, nothing to keep resident
    assert (
        run_resource("allowed-regions", {"location": "global"}, type="azure-native:monitor:ActionGroup", config=config)
        == []
    )


def _account_with_service(**service):
    account = res("azure-native:storage:StorageAccount", "acct", {"accountName": "noaa20abc", **GOOD_ACCOUNT})
    blob = {
        "accountName": "noaa20abc",
        "deleteRetentionPolicy": {"enabled": True, "days": 30},
        "containerDeleteRetentionPolicy": {"enabled": True, "days": 30},
        "isVersioningEnabled": True,
        **service,
    }
    return [account, res("azure-native:storage:BlobServiceProperties", "blob", blob, deps=(account,))]


def test_versioning_is_asked_only_of_an_account_without_a_hierarchical_namespace():
    """An ADLS Gen2 account (isHnsEnabled) refuses blob versioning with HTTP 409 (docs/azure.md),
    so the rule asks it of a flat account alone; soft delete it asks of both."""
    [(message, _)] = run_stack("azure-storage-soft-delete", _account_with_service(isVersioningEnabled=False))
    assert message == "storage account acct: blob versioning off"
    hns = _account_with_service(isVersioningEnabled=False)
    hns[0].props["isHnsEnabled"] = True
    assert run_stack("azure-storage-soft-delete", hns) == []
    hns[1].props["deleteRetentionPolicy"] = {"enabled": False}
    assert run_stack("azure-storage-soft-delete", hns) == [("storage account acct: blob soft delete off", hns[0].urn)]


def test_soft_delete_joins_blob_service_to_account():
    assert run_stack("azure-storage-soft-delete", _account_with_service()) == []
    [(message, urn)] = run_stack(
        "azure-storage-soft-delete", _account_with_service(containerDeleteRetentionPolicy={"enabled": False})
    )
    assert "container soft delete" in message and urn.endswith("::acct")
    assert run_stack("azure-storage-soft-delete", _account_with_service()[:1]) != []


def _private_functions_app(endpoint_group: str | None) -> list[Any]:
    """A Functions app in a delegated subnet of the stack, deploying from an account whose public
    endpoint stays on (default action Deny, trusted services through) beside its private endpoints,
    as groundlink's private mode builds it (docs/azure.md, "Storage behind security.network: private")."""
    account_id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/data1"
    subnet_id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/processing"
    account = res(
        "azure-native:storage:StorageAccount",
        "data",
        {
            "id": account_id,
            "accountName": "data1",
            "publicNetworkAccess": "Enabled",
            "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"},
        },
    )
    subnet = res(
        "azure-native:network:Subnet",
        "processing",
        {"id": subnet_id, "delegations": [{"name": "processing", "serviceName": "Microsoft.App/environments"}]},
    )
    app = functions_app(subnet_id)
    endpoints = (
        [
            res(
                "azure-native:network:PrivateEndpoint",
                f"data-{endpoint_group}",
                {"privateLinkServiceConnections": [{"privateLinkServiceId": account_id, "groupIds": [endpoint_group]}]},
            )
        ]
        if endpoint_group
        else []
    )
    return [account, subnet, app, *endpoints]


def test_a_functions_app_reaches_an_account_with_trusted_services_on_through_its_blob_private_endpoint():
    """The public endpoint stays Enabled for trusted services (Event Hubs Capture, Event Grid, Data
    Explorer, Synapse serverless SQL); the app's subnet needs no firewall rule, it resolves the blob
    private endpoint. Without one, the firewall must admit the subnet."""
    rule = "processing-functions-app-reaches-its-storage"
    assert run_stack(rule, _private_functions_app("blob")) == []
    for group in (None, "dfs"):
        resources = _private_functions_app(group)
        assert run_stack(rule, resources) == [
            (
                "functions app processor integrates subnet processing, which storage account data's firewall "
                "does not admit",
                resources[2].urn,
            )
        ]
