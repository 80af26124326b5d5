"""Azure physical names: storage accounts and key vaults are global and short.

A storage account name is 3-24 lowercase alphanumerics; a key vault 3-24
alphanumerics and dashes. Both must be globally unique, so a stable suffix
hashed from the mission name is appended: identity only, never tunables.
"""

from __future__ import annotations

import hashlib
import re


def stable_suffix(*identity: str, length: int = 6) -> str:
    return hashlib.sha256("/".join(identity).encode()).hexdigest()[:length]


def storage_account_name(mission: str, role: str = "") -> str:
    """`<mission><role><suffix>`, alphanumerics only, at most 24 characters."""
    suffix = stable_suffix(mission, role)
    stem = re.sub(r"[^a-z0-9]", "", (mission + role).lower())[: 24 - len(suffix)]
    return stem + suffix


def key_vault_name(mission: str) -> str:
    """`kv-<mission>-<suffix>`, at most 24 characters, starting with a letter."""
    suffix = stable_suffix(mission, "kv", length=5)
    stem = re.sub(r"[^a-z0-9-]", "", mission.lower())[: 24 - len(suffix) - 4].rstrip("-")
    return f"kv-{stem}-{suffix}"
