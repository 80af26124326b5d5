"""Azure names built as `<kind>-<mission>-<suffix>` (Key Vault, namespaces, Synapse, the processor's
apps): a mission name may hold a double dash, which Key Vault and Service Bus refuse, so the stem
keeps one dash where the mission has several."""

from __future__ import annotations

import re

from groundlink.components.azure.naming import key_vault_name, namespace_name


def test_a_double_dash_in_the_mission_name_becomes_one() -> None:
    for name in (key_vault_name("polar--sat"), namespace_name("sb", "polar---sat")):
        assert "--" not in name
        assert re.fullmatch(r"(kv|sb)-polar-sat-[a-z0-9]+", name), name
