"""Regenerate groundlink/diff/replace_rules.json: which input properties force a replacement,
per resource type the stacks create, from each provider's own metadata.

    .venv/bin/python scripts/gen_replace_rules.py

- aws-native: the SDK carries the provider's create-only properties as the
  `replace_on_changes` resource option of each resource class (read from the installed
  pulumi_aws_native).
- azure-native: the provider replaces a resource when a URL path parameter changes (the
  arguments of the SDK's `get_<resource>` invoke, read from the installed
  pulumi_azure_native), when `location` of a tracked resource changes (ARM: x-ms-mutability
  read/create, RPC-Put-V1-14), and for the properties of its hand-kept `forceNewMap`
  (provider/pkg/gen/replacement.go, transcribed in AZURE_FORCE_NEW_MAP with its commit); and
  the create-only body properties of AZURE_CREATE_ONLY, each with its source (the REST spec's
  x-ms-mutability, which the provider honours but the SDK does not carry, or the service's
  documentation).
- pulumi-aws: the bridged SDK does not carry Terraform's ForceNew flags; AWS_FORCE_NEW holds
  the top-level ForceNew attributes of hashicorp/terraform-provider-aws, read per resource
  file at the commit named beside it. A type missing there is written as unknown, never as
  "nothing forces a replacement".

The types are those of the offline plans of every example spec on both clouds.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "groundlink" / "diff" / "replace_rules.json"

TF_AWS = "hashicorp/terraform-provider-aws"
# type -> (ForceNew attributes in Pulumi's camelCase, file, commit the attributes were read at)
AWS_FORCE_NEW: dict[str, tuple[list[str], str, str]] = {
    "aws:s3/bucket:Bucket": (
        ["bucket", "bucketPrefix"],
        "internal/service/s3/bucket.go",
        "0070bcd12c952f14c5434a6f351ef7b6fa791226",
    ),
    "aws:kinesis/stream:Stream": (
        ["name"],
        "internal/service/kinesis/stream.go",
        "03aadd4385481a5bb0e26d7eec2a2d75ea30c9a0",
    ),
    "aws:kms/key:Key": (
        ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
        "internal/service/kms/key.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    ),
    "aws:glue/catalogDatabase:CatalogDatabase": (
        ["catalogId", "name", "targetDatabase"],
        "internal/service/glue/catalog_database.go",
        "0075c7864e9415d7cb404160187eeb9257b34ca6",
    ),
    "aws:sqs/queue:Queue": (
        ["fifoQueue", "name", "namePrefix"],
        "internal/service/sqs/queue.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    ),
    "aws:athena/workgroup:Workgroup": (
        ["name"],
        "internal/service/athena/workgroup.go",
        "0148137dc6fb802b97b74036846777ab15c0f9ad",
    ),
    "aws:budgets/budget:Budget": (
        ["accountId", "name", "namePrefix"],
        "internal/service/budgets/budget.go",
        "01d5888a070712729f1d55bb0918d299a3d2a140",
    ),
    "aws:cloudwatch/eventRule:EventRule": (
        ["eventBusName", "name", "namePrefix"],
        "internal/service/events/rule.go",
        "0cdab4ae09a963535e03dde0bff4784afe8e3517",
    ),
    "aws:cloudwatch/eventTarget:EventTarget": (
        ["eventBusName", "rule", "targetId"],
        "internal/service/events/target.go",
        "0762c41e2027fcd3cb8340d3e6886c6975fc0a59",
    ),
    "aws:cloudwatch/logGroup:LogGroup": (
        ["logGroupClass", "name", "namePrefix"],
        "internal/service/logs/group.go",
        "0073593e7d6993ba482409f4dc35438daaa79bb3",
    ),
    "aws:cloudwatch/logStream:LogStream": (
        ["logGroupName", "name"],
        "internal/service/logs/stream.go",
        "1468653aa61d1cfef737d390082fa99b8ddfc24b",
    ),
    "aws:cloudwatch/metricAlarm:MetricAlarm": (
        ["alarmName"],
        "internal/service/cloudwatch/metric_alarm.go",
        "055611a654738da73e7b1e2b5d2b7672c6d4d531",
    ),
    "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings": (
        ["catalogId"],
        "internal/service/glue/data_catalog_encryption_settings.go",
        "0620f2a6a126dfcbc4aecbc9a117b0fbea1656ff",
    ),
    "aws:iam/role:Role": (
        ["name", "namePrefix", "path"],
        "internal/service/iam/role.go",
        "0040ea6911af00bea2cca6dbb14e86829826ad8e",
    ),
    "aws:iam/rolePolicy:RolePolicy": (
        ["name", "namePrefix", "role"],
        "internal/service/iam/role_policy.go",
        "02f97af85f89a04e8ed89f5e8b64a9a67f3cfe07",
    ),
    "aws:kms/alias:Alias": (
        ["name", "namePrefix"],
        "internal/service/kms/alias.go",
        "01c08000ddb14181b5bd19201d8fca311dc570e4",
    ),
    "aws:s3/bucketLogging:BucketLogging": (
        ["bucket", "expectedBucketOwner"],
        "internal/service/s3/bucket_logging.go",
        "01f431114674c27cf790fafb67ac274bf8f765e1",
    ),
    "aws:s3/bucketNotification:BucketNotification": (
        ["bucket"],
        "internal/service/s3/bucket_notification.go",
        "033c721bf1eda7db79395cd73acb54c7efa57ffc",
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": (
        ["bucket"],
        "internal/service/s3/bucket_ownership_controls.go",
        "01c08000ddb14181b5bd19201d8fca311dc570e4",
    ),
    "aws:s3/bucketPolicy:BucketPolicy": (
        ["bucket"],
        "internal/service/s3/bucket_policy.go",
        "0073593e7d6993ba482409f4dc35438daaa79bb3",
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": (
        ["bucket"],
        "internal/service/s3/bucket_public_access_block.go",
        "01606926a0c0ab9174aec440f976a48b0baee722",
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": (
        ["bucket", "expectedBucketOwner"],
        "internal/service/s3/bucket_server_side_encryption_configuration.go",
        "01606926a0c0ab9174aec440f976a48b0baee722",
    ),
    "aws:s3/bucketVersioning:BucketVersioning": (
        ["bucket", "expectedBucketOwner"],
        "internal/service/s3/bucket_versioning.go",
        "01c08000ddb14181b5bd19201d8fca311dc570e4",
    ),
    "aws:sns/topic:Topic": (
        ["fifoTopic", "name", "namePrefix"],
        "internal/service/sns/topic.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    ),
    "aws:sns/topicPolicy:TopicPolicy": (
        ["arn"],
        "internal/service/sns/topic_policy.go",
        "00a35305dc1b297a6fcdecdfbba33f1e63c3da39",
    ),
    "aws:sqs/queuePolicy:QueuePolicy": (
        ["queueUrl"],
        "internal/service/sqs/queue_policy.go",
        "0148137dc6fb802b97b74036846777ab15c0f9ad",
    ),
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": (
        ["queueUrl"],
        "internal/service/sqs/queue_redrive_allow_policy.go",
        "0389eecfc28a5e2ac619651541a16d7fc289abf6",
    ),
    "aws:sns/topicSubscription:TopicSubscription": (
        ["endpoint", "protocol", "topicArn"],
        "internal/service/sns/topic_subscription.go",
        "04a2e6e5bc625ec85ea8c678219b483fc674877e",
    ),
}

AZURE_FORCE_NEW_SOURCE = (
    "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go@1b7112af33c62b247daed1028686bf279f4d5e69"
)
# module -> resource -> properties (the modules the stacks use; others are not needed here)
AZURE_FORCE_NEW_MAP: dict[str, dict[str, list[str]]] = {
    "authorization": {"RoleAssignment": ["principalId", "scope"]},
    "resources": {"ResourceGroup": ["location"]},
    "servicebus": {"Queue": ["enablePartitioning", "requiresDuplicateDetection", "requiresSession"]},
    "storage": {"BlobContainer": [], "StorageAccount": ["isHnsEnabled", "location"]},
}
AZURE_NO_FORCE_NEW: dict[str, dict[str, list[str]]] = {"servicebus": {"Namespace": ["zoneRedundant"]}}

SPECS = "Azure/azure-rest-api-specs specification"
# Body properties Azure accepts only at creation, which the installed SDK cannot tell: the
# provider forces a replacement on a property its REST spec marks x-ms-mutability without
# `update` (pulumi/pulumi-azure-native#137), and the SDK does not carry that mark; and some
# properties are create-only by the service's own documentation, marked nowhere in the spec.
# Read for the stateful types the stacks create, at the API version the SDK uses, per the
# source beside each (read 2026-12-02).
AZURE_CREATE_ONLY: dict[str, list[tuple[str, str]]] = {
    "azure-native:synapse:Workspace": [
        (
            "defaultDataLakeStorage.accountUrl",
            f"{SPECS}/synapse/resource-manager/Microsoft.Synapse/stable/2021-06-01/workspace.json"
            "@00eda9b5ca57d38ddca2e0635a837a0c64036339 x-ms-mutability create, read",
        ),
        (
            "encryption",
            "https://learn.microsoft.com/azure/synapse-analytics/security/workspaces-encryption: double "
            "encryption with a customer-managed key is chosen when the workspace is created",
        ),
    ],
    "azure-native:keyvault:Key": [
        (
            "properties",
            f"{SPECS}/keyvault/resource-manager/Microsoft.KeyVault/stable/2024-11-01/keys.json"
            "@7ee08af0efef13b8dff475453cf2f5cf76a68d65 Keys_CreateIfNotExist: 'does not update existing keys'",
        ),
    ],
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _resource_class(package: str, token: str) -> type:
    _, module, name = token.split(":")
    return getattr(importlib.import_module(f"{package}.{module.split('/')[0]}"), name)  # type: ignore[no-any-return]


def aws_native(token: str) -> dict[str, object]:
    source = inspect.getsource(_resource_class("pulumi_aws_native", token)._internal_init)  # type: ignore[attr-defined]
    found = re.search(r'replace_on_changes=\[((?:"[^"]*",?\s*)*)\]', source)
    names = re.findall(r'"([^"]+)"', found.group(1)) if found else []
    top = sorted({re.split(r"[.\[]", n)[0] for n in names})
    return {
        "properties": top,
        "source": f"pulumi_aws_native {metadata.version('pulumi_aws_native')} replace_on_changes",
    }


def azure_native(token: str) -> dict[str, object]:
    _, module, name = token.split(":")
    package = importlib.import_module(f"pulumi_azure_native.{module}")
    getter = getattr(package, f"get_{_snake(name)}", None)
    if getter is None:  # a data-plane resource (storage.Blob) has no ARM id and no get_ invoke
        return {"properties": None, "source": f"unknown: pulumi_azure_native has no get_{_snake(name)} invoke"}
    cls = _resource_class("pulumi_azure_native", token)
    inputs = inspect.signature(cls._internal_init).parameters  # type: ignore[attr-defined]
    # the invoke's arguments that are also resource inputs are the id's path parameters
    # (the others, such as expand or tenantId, are query parameters)
    args = re.findall(r"__args__\['(\w+)'\] = (\w+)", inspect.getsource(getter))
    path_params = [wire for wire, python in args if python in inputs]
    tracked = "location" in inputs
    forced = set(path_params) | set(AZURE_FORCE_NEW_MAP.get(module, {}).get(name, []))
    if tracked:
        forced.add("location")
    forced -= set(AZURE_NO_FORCE_NEW.get(module, {}).get(name, []))
    create_only = AZURE_CREATE_ONLY.get(token, [])
    forced |= {path for path, _ in create_only}
    version = metadata.version("pulumi_azure_native")
    return {
        "properties": sorted(forced),
        "source": f"pulumi_azure_native {version} get_{_snake(name)} path parameters"
        + ("; location (ARM tracked resource)" if tracked else "")
        + f"; {AZURE_FORCE_NEW_SOURCE}"
        + "".join(f"; {path}: create-only ({where})" for path, where in create_only),
    }


def pulumi_aws(token: str) -> dict[str, object]:
    if token not in AWS_FORCE_NEW:
        return {"properties": None, "source": "unknown: not read from " + TF_AWS}
    props, path, commit = AWS_FORCE_NEW[token]
    return {"properties": sorted(props), "source": f"{TF_AWS} {path}@{commit} ForceNew"}


VARIANTS = {  # the options that add resource types the example specs leave out
    "stream": {"delivery": {"object_store": True, "stream": True}},
    "private": {"security": {"network": "private"}},
    "adx": {"analytics": {"azure_engine": "adx"}},
}


def _variant(data: dict, patch: dict) -> dict:
    out = dict(data)
    for section, fields in patch.items():
        out[section] = {**(data.get(section) or {}), **fields}
    return out


def plan_types() -> list[str]:
    """Every resource type of the offline plans of each example spec, as is and with each
    variant that the spec model accepts."""
    import tempfile

    import yaml

    sys.path.insert(0, str(ROOT))
    from groundlink.engine import plan
    from groundlink.spec import SpecError, spec_from_data

    types: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sorted((ROOT / "specs").glob("*.yaml")):
            data = yaml.safe_load(spec.read_text())
            for name, patch in {"": {}, **VARIANTS}.items():
                variant = _variant(data, patch)
                try:
                    spec_from_data(variant)
                except SpecError:
                    continue
                path = Path(tmp) / f"{spec.stem}-{name or 'as-is'}.yaml"
                path.write_text(yaml.safe_dump(variant, sort_keys=False))
                for cloud in ("aws", "azure"):
                    types |= {r.type for r in plan(path, cloud).resources if r.custom}
    return sorted(types)


def main() -> None:
    rules = {}
    for token in plan_types():
        provider = token.split(":")[0]
        reader = {"aws-native": aws_native, "azure-native": azure_native, "aws": pulumi_aws}[provider]
        rules[token] = reader(token)
    doc = {
        "generated_by": "scripts/gen_replace_rules.py",
        "providers": {
            name: metadata.version(dist)
            for name, dist in (
                ("aws", "pulumi_aws"),
                ("aws-native", "pulumi_aws_native"),
                ("azure-native", "pulumi_azure_native"),
            )
        },
        "types": rules,
    }
    OUT.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rules)} types")


if __name__ == "__main__":
    main()
