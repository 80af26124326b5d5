"""`groundlink check`: the CrossGuard pack in policies/, run offline over the
same gRPC Analyzer protocol `pulumi preview --policy-pack` uses."""

from pathlib import Path
from types import ModuleType

from .config import PackConfigError
from .host import PackError, PackProcess
from .runner import PACK_DIR, CheckResult, CloudCheck, Violation, check, check_as_planned, check_plans, timed_check

__all__ = [
    "PACK_DIR",
    "CheckResult",
    "CloudCheck",
    "PackConfigError",
    "PackError",
    "PackProcess",
    "Violation",
    "check",
    "check_as_planned",
    "check_plans",
    "import_pack",
    "timed_check",
]


def import_pack(pack_dir: Path | None = None) -> ModuleType:
    """The pack's `pack` module, loaded by the pack's own __main__ loader (for rule-level tests)."""
    import importlib.util

    path = (pack_dir or PACK_DIR) / "__main__.py"
    spec = importlib.util.spec_from_file_location("groundlink_policies_main", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the policy pack from {path}")
    main = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(main)  # the main guard keeps the pack server off
    package: ModuleType = main._load_package()
    return package
