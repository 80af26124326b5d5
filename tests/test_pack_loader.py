"""The pack's entry point (`python -m pulumi.policy` runs policies/__main__.py) loads the pack's
folder as a package under a name of its own, so the pack works whatever its folder is called
and its modules import one another, once per process."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from groundlink.check import PACK_DIR


def test_the_entry_point_loads_the_pack_folder_as_a_package_under_the_name_given():
    main = importlib.import_module("groundlink.policies.__main__")
    name = "groundlink_policies_loaded_by_a_test"
    try:
        pack = main._load_package(name)
        assert pack.__name__ == f"{name}.pack"
        assert [Path(p) for p in sys.modules[name].__path__] == [Path(main.__file__).resolve().parent]
        assert Path(main.__file__).resolve().parent.name == Path(PACK_DIR).name
        assert pack.PACK_NAME == "groundlink"
        assert len(pack.RULES) >= 30 and all(rule.fn.__module__.startswith(f"{name}.") for rule in pack.RULES)
        assert main._load_package(name) is pack  # once per process
    finally:
        for loaded in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[loaded]
