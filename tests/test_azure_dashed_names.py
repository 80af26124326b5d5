"""Azure names built as `<kind>-<mission>-<suffix>` (Key Vault, namespaces, Synapse, the processor's
apps): a mission name may hold a double dash, which Key Vault and Service Bus refuse, so the stem
keeps one dash where the mission has several."""

from __future__ import annotations

import re

from groundlink.components.azure.naming import key_vault_name, namespace_name, synapse_workspace_name


def test_a_double_dash_in_the_mission_name_becomes_one() -> None:
    for name in (key_vault_name("polar--sat"), namespace_name("sb", "polar---sat")):
        assert "--" not in name
        assert re.fullmatch(r"(kv|sb)-polar-sat-[a-z0-9]+", name), name


def test_missions_whose_shown_stems_agree_still_get_their_own_workspace() -> None:
    """Synapse shows `ondemand` as `od` (the service reserves it); workspace names are global, so
    `eo-ondemand` and `eo-od` must not both claim one."""
    for ondemand, od in (("eo-ondemand", "eo-od"), ("ondemand-sat", "od-sat")):
        first, second = synapse_workspace_name(ondemand), synapse_workspace_name(od)
        assert first != second
        assert "ondemand" not in first
        assert first.rsplit("-", 1)[0] == second.rsplit("-", 1)[0] == f"syn-{od}"
