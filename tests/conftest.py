"""Shared fixtures: plans come from the real offline engine, cached per session."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"


@cache
def cached_plan(spec: str, cloud: str):
    from groundlink.engine import plan

    return plan(SPECS / spec if not Path(spec).is_absolute() else spec, cloud)


@pytest.fixture(scope="session")
def aws_noaa20():
    return cached_plan("noaa20.yaml", "aws")


@pytest.fixture(scope="session")
def azure_noaa20():
    return cached_plan("noaa20.yaml", "azure")


def spec_data(name: str = "noaa20.yaml") -> dict:
    """A spec as a mutable dict, for tests that break one field."""
    import yaml

    return yaml.safe_load((SPECS / name).read_text())


def write_spec(tmp_path: Path, data: dict, name: str = "spec.yaml") -> Path:
    import yaml

    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path
