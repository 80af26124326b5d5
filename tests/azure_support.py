"""Helpers the Azure tests share: plans of example specs and of one-field variants (no tests here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from groundlink.engine import Plan

from .conftest import cached_plan, variant_plan, with_changes  # noqa: F401  (with_changes: re-exported for the Azure tests)

TYPE = "azure-native:{}"


def azure(spec: str) -> Plan:
    return cached_plan(spec, "azure")


def variant(_tmp_path: Path, changes: dict[str, Any], base: str = "noaa20.yaml", cloud: str = "azure") -> Plan:
    """The plan of `base` with `changes` applied, shared by the whole session (conftest);
    the first argument is unused and stays for the callers that pass a tmp_path."""
    return variant_plan(cloud, changes, base)


def tle_for(norad_id: int) -> list[str]:
    """A well-formed (illustrative) TLE for `norad_id`, checksums included."""

    def checksum(line: str) -> str:
        return str(sum(int(c) if c.isdigit() else c == "-" for c in line) % 10)

    lines = [
        f"1 {norad_id:05d}U 17073A   25001.50000000  .00000100  00000-0  70000-4 0  999",
        f"2 {norad_id:05d}  98.7000  20.0000 0001000  80.0000 280.1000 14.19500000 1234",
    ]
    return [line + checksum(line) for line in lines]


def one(result: Plan, kind: str, name: str | None = None):
    return result.one(TYPE.format(kind), name)


def every(result: Plan, kind: str):
    return result.of_type(TYPE.format(kind))
