"""Where the files groundlink reads at run time are: in the installed package.

The policy pack (groundlink.policies), the price catalogs (groundlink.prices)
and the site data (groundlink.data) ship inside the package, so an installed
copy finds them without a checkout; in a development install they are the
checkout's top-level folders (setup.py maps them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_dir(package: str) -> Path:
    """The folder of `package`, found without importing it (the policy pack's own
    __init__ is for the pack process, not for groundlink)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{package} is not installed with groundlink")
    return Path(next(iter(spec.submodule_search_locations)))
