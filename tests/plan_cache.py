"""Plans of edited specs for the diff tests and the edit matrix: the session's shared plans
(conftest), so an edit planned here and in another test file, or on the other worker, is
planned once."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import cached_plan
from .conftest import plan_of as _plan_of_data
from .conftest import spec_file as _spec_file


def spec_file(data: dict) -> str:
    """The spec as a file named by its content (the same data, the same path)."""
    return str(_spec_file(json.loads(json.dumps(data))))


def plan_of(spec: str, cloud: str):
    """A planner for groundlink.diff: spec paths (example or edited) planned once."""
    return cached_plan(Path(spec).resolve(), cloud)


def plan_data(data: dict, cloud: str):
    return _plan_of_data(json.loads(json.dumps(data)), cloud)
