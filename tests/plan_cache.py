"""Plans of edited specs, cached by content for the whole session: the diff tests and the
edit matrix plan the same edits, and a plan costs most of a second."""

from __future__ import annotations

import hashlib
import json
import tempfile
from functools import cache
from pathlib import Path

import yaml

_DIR = Path(tempfile.mkdtemp(prefix="groundlink-edited-specs-"))


def spec_file(data: dict) -> str:
    """The spec as a file named by its content (the same data, the same path)."""
    text = yaml.safe_dump(data, sort_keys=False)
    path = _DIR / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}.yaml"
    if not path.exists():
        path.write_text(text)
    return str(path)


@cache
def _plan(path: str, cloud: str):
    from groundlink.engine import plan

    return plan(path, cloud)


def plan_of(spec: str, cloud: str):
    """A planner for groundlink.diff: spec paths (example or edited) planned once."""
    return _plan(str(Path(spec).resolve()), cloud)


def plan_data(data: dict, cloud: str):
    return plan_of(spec_file(json.loads(json.dumps(data))), cloud)
