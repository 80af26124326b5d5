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
- aliases: the earlier type tokens each type's SDK class declares (`pulumi.Alias(type_=...)`),
  under which a stack deployed with an earlier provider holds the same resource.
- pulumi-aws: the bridged SDK does not carry Terraform's ForceNew flags; terraform_force_new.json
  holds, per type, the attributes of hashicorp/terraform-provider-aws that force a replacement
  (schema `ForceNew`, or the Plugin Framework's `RequiresReplace` plan modifiers), nested ones
  as dotted paths, in Terraform's names, read in the resource's file at the commit named beside
  it. They are mapped to Pulumi's property names here, each checked against the installed
  pulumi_aws SDK. A type missing there is written as unknown, never as "nothing forces a
  replacement".

The types are those of the offline plans of every example spec on both clouds, as they are and
with each variant of VARIANTS.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from groundlink.preflight.schema import provider_class  # noqa: E402  (imported after the sys.path set-up above)

OUT = ROOT / "groundlink" / "diff" / "replace_rules.json"

TF_AWS = "hashicorp/terraform-provider-aws"
# type -> the Terraform attributes that force a replacement, the file and commit they were read at
TF_AWS_FORCE_NEW = Path(__file__).with_name("terraform_force_new.json")

AZURE_FORCE_NEW_SOURCE = (
    "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go@1b7112af33c62b247daed1028686bf279f4d5e69"
)
# module -> resource -> properties (the modules the stacks use; others are not needed here)
AZURE_FORCE_NEW_MAP: dict[str, dict[str, list[str]]] = {
    "authorization": {"RoleAssignment": ["principalId", "scope"]},
    "network": {"PrivateEndpoint": ["subnet"], "Subnet": [], "VirtualNetwork": ["location"]},
    "resources": {"ResourceGroup": ["location"]},
    "servicebus": {"Queue": ["enablePartitioning", "requiresDuplicateDetection", "requiresSession"]},
    "storage": {"BlobContainer": [], "StorageAccount": ["isHnsEnabled", "location"]},
    "web": {"AppServicePlan": [], "WebApp": ["kind", "location"]},
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
    "azure-native:servicebus:Namespace": [
        (
            "sku.name",
            "https://learn.microsoft.com/cli/azure/servicebus/migration: a Standard namespace goes Premium by "
            "migrating its entities into another, Premium namespace (--target-namespace), not in place",
        ),
    ],
    "azure-native:eventhub:Namespace": [
        (
            "sku.name",
            "https://learn.microsoft.com/azure/event-hubs/event-hubs-faq: 'Is it possible to change pricing "
            "tier after deployment? No' (Standard to Premium takes a new namespace)",
        ),
        (
            "encryption",
            "https://learn.microsoft.com/azure/event-hubs/configure-customer-managed-key: 'encryption can be "
            "enabled only for new or empty namespaces'",
        ),
    ],
    "azure-native:orbital:Spacecraft": [
        (
            "links",
            f"{SPECS}/orbital/resource-manager/Microsoft.Orbital/stable/2022-11-01/orbital.json"
            "@06fca79da00a8bee58c4588de19e0c62aec1608b SpacecraftsProperties.links x-ms-mutability read, create "
            "('Immutable list of Spacecraft links')",
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


def aws_native(token: str) -> dict[str, object]:
    source = inspect.getsource(provider_class(token)._internal_init)  # type: ignore[attr-defined]  # generated SDK classes define it, untyped
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
    cls = provider_class(token)
    inputs = inspect.signature(cls._internal_init).parameters  # type: ignore[attr-defined]  # generated SDK classes define it, untyped
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


def _camel(name: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def _args_class(module: object, annotation: object) -> type | None:
    """The SDK's Args class an input annotation refers to (an object, or a list of them)."""
    found = re.search(r"ForwardRef\('(\w+Args)'\)", str(annotation))
    return getattr(module, found.group(1), None) if found else None


def _pulumi_path(token: str, tf_path: str, renamed: dict[str, str]) -> str:
    """A Terraform attribute path in pulumi_aws's camelCase property names, each segment checked
    against the installed SDK: the bridge keeps Terraform's snake_case names but pluralizes a
    block that may hold several items (ec2_configuration -> ec2Configurations) and renames a
    few (given per type in `renamed`). A segment the SDK does not know fails the generator."""
    cls = provider_class(token)
    module = importlib.import_module(cls.__module__.rsplit(".", 1)[0])
    init = cls._internal_init  # type: ignore[attr-defined]  # generated SDK classes define it, untyped
    out = []
    for segment in tf_path.split("."):
        params = inspect.signature(init).parameters if init else {}
        candidates = [renamed.get(segment, segment), f"{segment}s", f"{segment}es"]
        name = next((c for c in candidates if c in params), None)
        if name is None:
            raise SystemExit(f"{token}: pulumi_aws has no input for Terraform's {tf_path!r} (at {segment!r})")
        out.append(_camel(name))
        nested = _args_class(module, params[name].annotation)
        init = nested.__init__ if nested else None  # type: ignore[misc]  # reading a class's __init__ as a value
    return ".".join(out)


def pulumi_aws(token: str) -> dict[str, object]:
    table = json.loads(TF_AWS_FORCE_NEW.read_text(encoding="utf-8"))["types"]
    if token not in table:
        return {"properties": None, "source": "unknown: not read from " + TF_AWS}
    entry = table[token]
    parts = [entry, *entry.get("more", [])]  # attributes a resource defines in another file
    renamed = entry.get("renamed", {})
    props = {_pulumi_path(token, attr, renamed) for part in parts for attr in part["force_new"]}
    where = ", ".join(f"{part['file']}@{part['commit']}" for part in parts)
    return {"properties": sorted(props), "source": f"{TF_AWS} {where} {entry.get('how', 'ForceNew')}"}


VARIANTS: dict[str, dict[str, Any]] = {  # the options that add resource types the example specs leave out
    "stream": {"delivery": {"object_store": True, "stream": True}},
    "private": {"security": {"network": "private"}},
    "adx": {"analytics": {"azure_engine": "adx"}},
    "container": {"processing": {"enabled": True, "mode": "container_job", "container_image": "ghcr.io/example/p:1"}},
    "geo": {"storage": {"redundancy": "geo"}, "clouds": {"aws": {"replica_region": "us-east-1"}}},
    "sql_clients": {"analytics": {"sql_clients": ["203.0.113.7"]}},  # Synapse firewall rules
    "premium": {"security": {"customer_managed_keys": True, "premium_messaging": True}},  # Service Bus network rules
}


def _variant(data: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """`data` with `patch` merged in, nested mappings key by key."""
    out = dict(data)
    for key, value in patch.items():
        inner = out.get(key)
        out[key] = _variant(inner, value) if isinstance(value, dict) and isinstance(inner, dict) else value
    return out


def plan_types() -> list[str]:
    """Every resource type of the offline plans of each example spec, as is and with each
    variant that the spec model accepts."""
    import tempfile

    import yaml

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
                    # a provider resource of its own (pulumi:providers:aws for the replica region)
                    # is the engine's, not a cloud resource: no replacement rules apply
                    types |= {
                        r.type for r in plan(path, cloud).resources if r.custom and r.type.split(":")[0] in READERS
                    }
    return sorted(types)


READERS = {"aws-native": aws_native, "azure-native": azure_native, "aws": pulumi_aws}

_TYPE_ALIAS = re.compile(r'Alias\(type_="([^"]+)"\)')


def type_aliases(token: str) -> list[str]:
    """The earlier types the SDK class of `token` declares as aliases of every resource of it
    (`pulumi.Alias(type_=...)`: pulumi-aws's renamed types, azure-native's API versions). The
    engine carries a resource's state over from a URN of any of them, so a stack deployed under
    one is the same resource (groundlink.diff.state.align)."""
    source = inspect.getsource(provider_class(token)._internal_init)  # type: ignore[attr-defined]  # generated SDK classes define it, untyped
    return sorted(set(_TYPE_ALIAS.findall(source)) - {token})


def alias_table(tokens: list[str]) -> dict[str, list[str]]:
    """Each type of `tokens` with the alias types its SDK declares (types declaring none left out)."""
    return {token: found for token in tokens if (found := type_aliases(token))}


def main(argv: list[str] | None = None) -> None:
    import argparse

    argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0]).parse_args(argv)  # --help; no options
    rules = {}
    for token in plan_types():
        provider = token.split(":")[0]
        rules[token] = READERS[provider](token)
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
        "aliases": alias_table(sorted(rules)),
    }
    OUT.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rules)} types")


if __name__ == "__main__":
    main()
