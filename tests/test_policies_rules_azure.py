"""Azure, retired-service, data-protection, tagging and region rules at
function level: each fires on a broken input and stays quiet on a good one."""

from __future__ import annotations

import pytest

from .test_policies_support import res, run_resource, run_stack

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
GOOD_VAULT = {
    "properties": {
        "enablePurgeProtection": True,
        "enableSoftDelete": True,
        "enableRbacAuthorization": True,
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
    }
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


RESOURCE_CASES = [
    ("azure-storage-https-only", _with(GOOD_ACCOUNT, "enableHttpsTrafficOnly", False), GOOD_ACCOUNT),
    ("azure-storage-min-tls", _with(GOOD_ACCOUNT, "minimumTlsVersion", "TLS1_0"), GOOD_ACCOUNT),
    ("azure-storage-no-public-blob", _with(GOOD_ACCOUNT, "allowBlobPublicAccess", True), GOOD_ACCOUNT),
    ("azure-storage-shared-key-off", _with(GOOD_ACCOUNT, "allowSharedKeyAccess", True), GOOD_ACCOUNT),
    (
        "azure-storage-infrastructure-encryption",
        _with(GOOD_ACCOUNT, "encryption.requireInfrastructureEncryption", False),
        GOOD_ACCOUNT,
    ),
    ("azure-storage-default-deny", _with(GOOD_ACCOUNT, "networkRuleSet.defaultAction", "Allow"), GOOD_ACCOUNT),
    ("azure-storage-trusted-services", _with(GOOD_ACCOUNT, "networkRuleSet.bypass", "None"), GOOD_ACCOUNT),
    ("azure-storage-cmk", _with(GOOD_ACCOUNT, "encryption.keySource", "Microsoft.Storage"), GOOD_ACCOUNT),
    ("azure-container-private", {"publicAccess": "Blob"}, {"publicAccess": "None"}),
    ("azure-keyvault-purge-protection", _with(GOOD_VAULT, "properties.enablePurgeProtection", False), GOOD_VAULT),
    ("azure-keyvault-soft-delete", _with(GOOD_VAULT, "properties.enableSoftDelete", False), GOOD_VAULT),
    ("azure-keyvault-rbac", _with(GOOD_VAULT, "properties.enableRbacAuthorization", False), GOOD_VAULT),
    ("azure-keyvault-network", _with(GOOD_VAULT, "properties.networkAcls.defaultAction", "Allow"), GOOD_VAULT),
    (
        "azure-keyvault-key-rotation",
        {"properties": {"kty": "RSA"}},
        {
            "properties": {
                "rotationPolicy": {
                    "lifetimeActions": [{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P90D"}}]
                }
            }
        },
    ),
    ("azure-eventhub-min-tls", {"minimumTlsVersion": "1.0"}, {"minimumTlsVersion": "1.2"}),
    ("azure-servicebus-min-tls", {"minimumTlsVersion": "1.1"}, {"minimumTlsVersion": "1.2"}),
    ("azure-messaging-local-auth-off", {"disableLocalAuth": False}, {"disableLocalAuth": True}),
    (
        "azure-synapse-exfiltration-protection",
        {"managedVirtualNetwork": "default", "managedVirtualNetworkSettings": {"preventDataExfiltration": False}},
        {"managedVirtualNetwork": "default", "managedVirtualNetworkSettings": {"preventDataExfiltration": True}},
    ),
    (
        "azure-adx-encryption",
        {"enableDiskEncryption": True, "enableDoubleEncryption": False},
        {"enableDiskEncryption": True, "enableDoubleEncryption": True},
    ),
    ("retired-lambda-runtime", {"runtime": "python3.9"}, {"runtime": "python3.12"}),
    (
        "tags-required",
        {"tags": {"mission": "noaa20", "owner": "ops"}},
        {"tags": {"mission": "noaa20", "owner": "ops", "data-classification": "internal"}},
    ),
]


@pytest.mark.parametrize("rule, bad, good", RESOURCE_CASES, ids=[c[0] for c in RESOURCE_CASES])
def test_resource_rule_fires_and_passes(rule, bad, good):
    assert run_resource(rule, bad), f"{rule} did not fire"
    assert run_resource(rule, good) == []


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
    assert run_resource("data-protection-stateful-protected", {}, type="aws:sqs/queue:Queue", protect=False) == []


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


def test_soft_delete_joins_blob_service_to_account():
    assert run_stack("azure-storage-soft-delete", _account_with_service()) == []
    [(message, urn)] = run_stack(
        "azure-storage-soft-delete", _account_with_service(containerDeleteRetentionPolicy={"enabled": False})
    )
    assert "container soft delete" in message and urn.endswith("::acct")
    assert run_stack("azure-storage-soft-delete", _account_with_service()[:1]) != []
