"""Entry point the Pulumi CLI runs: `python -m pulumi.policy <engine> <this dir>`.

The directory is loaded as a package under a fixed name, so the pack works
whatever the directory is called and its modules can import one another.
"""

import importlib.util
import sys
from pathlib import Path


def _load_package(name: str = "groundlink_policies"):
    """The pack's `pack` module; loads the package once per process."""
    if name in sys.modules:
        return importlib.import_module(f"{name}.pack")
    here = Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location(name, here / "__init__.py", submodule_search_locations=[str(here)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{name}.pack")


if __name__ == "__main__":
    from pulumi_policy import EnforcementLevel, PolicyPack

    pack = _load_package()
    importlib.import_module("groundlink_policies.struct_dicts").install()  # properties to dicts, faster
    importlib.import_module("groundlink_policies.request_memo").install()  # and once per request
    importlib.import_module("groundlink_policies.config_guard").install()  # a typo in the config refused
    importlib.import_module("groundlink_policies.program_inputs").install()  # inputs kept for stack rules
    PolicyPack(
        name=pack.PACK_NAME,
        enforcement_level=EnforcementLevel.ADVISORY,
        policies=pack.policies(),
        description="groundlink guardrails for ground-station-fed data platforms on AWS and Azure.",
        provider="aws,azure",
        tags=["groundlink", "aws", "azure", "ground-station"],
    )
