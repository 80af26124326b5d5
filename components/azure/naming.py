"""Azure physical names: several are global, short and differently restricted.

Storage accounts (3-24 lowercase alphanumerics), key vaults (3-24), Event Hubs
and Service Bus namespaces (6-50), Synapse workspaces (1-50 lowercase), Data
Explorer clusters (4-22 lowercase alphanumerics) and function apps (their
`azurewebsites.net` host) must all be globally unique, so a stable suffix hashed
from identity fields (the mission name and the role) is appended: never other
tunables, so editing a spec never renames a store, but for the seed below.

A hash of the mission name alone is the same in every subscription: the first
stack anywhere of a mission named `noaa20` holds the names every later one asks
for (`StorageAccountAlreadyTaken`). `seed` (spec `clouds.azure.global_name_seed`,
chosen before the first `pulumi up`) is hashed with them, so a team's names are
its own; without it the names are as they always were.
"""

from __future__ import annotations

import hashlib
import re
import uuid

# Namespace of the role-assignment GUIDs: an assignment's name is derived, never random.
_ASSIGNMENTS = uuid.UUID("6f1f3c52-8a0e-4d5b-9f57-2f0c1d8b7a10")


def _hashed(identity: tuple[str, ...], seed: str | None) -> bytes:
    """What a name's hash is taken of: the identity, and the seed where one is given (without
    one, exactly what it was before seeds existed, so no deployed name changes)."""
    return "/".join((*identity, seed) if seed else identity).encode()


def stable_suffix(*identity: str, length: int = 6, seed: str | None = None) -> str:
    """The first `length` hex digits of the identity's hash, and of `seed`'s where one is given."""
    return hashlib.sha256(_hashed(identity, seed)).hexdigest()[:length]


def compact_name(
    mission: str, role: str = "", *, max_length: int = 24, suffix_length: int = 6, seed: str | None = None
) -> str:
    """`<mission><role><suffix>`: lowercase alphanumerics, starting with a letter."""
    suffix = stable_suffix(mission, role, length=suffix_length, seed=seed)
    stem = re.sub(r"[^a-z0-9]", "", (mission + role).lower()).lstrip("0123456789") or "m"
    return stem[: max_length - len(suffix)] + suffix


def dashed_name(
    kind: str,
    mission: str,
    *,
    max_length: int,
    suffix_length: int = 5,
    stem: str | None = None,
    seed: str | None = None,
) -> str:
    """`<kind>-<mission>-<suffix>`: lowercase alphanumerics and dashes, no double or trailing dash.
    `stem` is what the name shows of the mission where the service refuses part of it; the
    suffix is still hashed from the mission itself, so two missions never share a name."""
    suffix = stable_suffix(mission, kind, length=suffix_length, seed=seed)
    room = max_length - len(kind) - len(suffix) - 2
    shown = mission if stem is None else stem
    head = re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "", shown.lower()))[:room].strip("-")
    return f"{kind}-{head}-{suffix}" if head else f"{kind}-{suffix}"


def storage_account_name(mission: str, role: str = "", *, seed: str | None = None) -> str:
    """At most 24 lowercase alphanumerics, globally unique."""
    return compact_name(mission, role, max_length=24, seed=seed)


def key_vault_name(mission: str, *, seed: str | None = None) -> str:
    """`kv-<mission>-<suffix>`, at most 24 characters, starting with a letter."""
    return dashed_name("kv", mission, max_length=24, seed=seed)


def namespace_name(kind: str, mission: str, *, seed: str | None = None) -> str:
    """Event Hubs / Service Bus namespace: 6-50 characters, globally unique (`<kind>-<mission>-<suffix>`)."""
    return dashed_name(kind, mission, max_length=50, seed=seed)


def synapse_workspace_name(mission: str, *, seed: str | None = None) -> str:
    """At most 50 lowercase alphanumerics and dashes; may not contain '-ondemand' (reserved for serverless SQL)."""
    return dashed_name("syn", mission, max_length=50, stem=mission.replace("ondemand", "od"), seed=seed)


def kusto_cluster_name(mission: str, *, seed: str | None = None) -> str:
    """Data Explorer cluster: 4-22 lowercase alphanumerics starting with a letter."""
    return compact_name("adx" + mission, max_length=22, seed=seed)


def function_app_name(mission: str, *, seed: str | None = None) -> str:
    """`func-<mission>-<suffix>`: the app's `<name>.azurewebsites.net` host is global (2-60 characters)."""
    return dashed_name("func", mission, max_length=60, seed=seed)


def lake_database_name(mission: str) -> str:
    """A Synapse lake / Data Explorer database name: letters, digits and underscores."""
    return re.sub(r"[^A-Za-z0-9_]", "_", mission)


def role_assignment_name(*identity: str, seed: str | None = None) -> str:
    """A role assignment's name must be a GUID; derive it so a re-run never duplicates a grant,
    and from `seed` too where one is given, so another subscription's stack of the mission has its own."""
    return str(uuid.uuid5(_ASSIGNMENTS, _hashed(identity, seed).decode()))
