"""Which input properties force a provider to replace a resource, per resource type, and
the earlier type tokens each type's SDK declares as its aliases.

The table is generated (scripts/gen_replace_rules.py) from each provider's own metadata:
aws-native's create-only properties and azure-native's path parameters, as the installed
SDKs carry them, azure-native's forceNewMap and Terraform's ForceNew attributes for
pulumi-aws, each entry naming its source and version. A type the table does not know is
reported as unknown rather than assumed safe.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_FILE = Path(__file__).with_name("replace_rules.json")


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    return doc


def forcing(type_token: str) -> frozenset[str] | None:
    """The input properties whose change replaces a `type_token` resource, as top-level
    names or dotted paths into an object (`defaultDataLakeStorage.accountUrl`), or None
    when no provider metadata for the type is recorded."""
    entry = _table()["types"].get(type_token)
    if entry is None or entry["properties"] is None:
        return None
    return frozenset(entry["properties"])


def parts(path: str) -> list[str]:
    """The property names along `path`, list indexes left out (`a[0].b` -> a, b)."""
    return [p for p in path.replace("[", ".[").split(".") if p and not p.startswith("[")]


def forced_by(changed: str, forcing_paths: frozenset[str]) -> list[str]:
    """The forcing paths a change at property path `changed` touches: the change is at or
    under one (`encryption.cmk.key.name` under `encryption`), or holds one (the whole
    `defaultDataLakeStorage` object replaced holds its `accountUrl`). List indexes do not
    matter: a forcing path names the property of every item."""
    at = parts(changed)
    found = []
    for path in forcing_paths:
        rule = parts(path)
        if at[: len(rule)] == rule or rule[: len(at)] == at:
            found.append(path)
    return sorted(found)


def source(type_token: str) -> str:
    entry = _table()["types"].get(type_token)
    return str(entry["source"]) if entry else "not recorded"


def provider_versions() -> dict[str, str]:
    return dict(_table()["providers"])


def aliases(type_token: str) -> frozenset[str]:
    """The earlier types the SDK of `type_token` declares as its aliases (pulumi-aws's renamed
    types, `aws:s3/bucketV2:BucketV2` of `aws:s3/bucket:Bucket`; azure-native's API versions,
    `azure-native:storage/v20230101:StorageAccount`): a resource deployed under one of them is
    carried over, not replaced. Empty for a type the table does not record."""
    return frozenset(_table().get("aliases", {}).get(type_token, ()))


@lru_cache(maxsize=1)
def _aliased_by() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for token, earlier in _table().get("aliases", {}).items():
        for alias in earlier:
            found.setdefault(alias, set()).add(token)
    return {alias: frozenset(tokens) for alias, tokens in found.items()}


def current_types(type_token: str) -> frozenset[str]:
    """The types that declare `type_token` as an alias (what it is called now), if any."""
    return _aliased_by().get(type_token, frozenset())
