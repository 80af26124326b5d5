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
  (provider/pkg/gen/replacement.go, transcribed in AZURE_FORCE_NEW_MAP with its commit).
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
    version = metadata.version("pulumi_azure_native")
    return {
        "properties": sorted(forced),
        "source": f"pulumi_azure_native {version} get_{_snake(name)} path parameters"
        + ("; location (ARM tracked resource)" if tracked else "")
        + f"; {AZURE_FORCE_NEW_SOURCE}",
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
