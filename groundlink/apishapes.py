"""AWS API shape constraints copied from the locked botocore.

`make preflight-shapes` copies them into `preflight/aws_shapes.json` (reading botocore's
models takes longer than a plan; a test fails when the copy and botocore differ). The spec
model and preflight both read them from here, so neither holds its own copy of an API rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SHAPES_FILE = Path(__file__).parent / "preflight" / "aws_shapes.json"


@dataclass(frozen=True)
class Constraint:
    name: str  # e.g. "groundstation RoleArn" or "storage account name"
    source: str
    pattern: str | None = None  # matched against the whole value
    min: int | None = None  # a string's length; a number's value (`numeric`)
    max: int | None = None
    description: str = ""
    numeric: bool = False  # an integer shape: min and max bound the value itself

    def broken_by(self, value: Any) -> str | None:
        """Why `value` breaks this constraint, or None (also for a value of another kind than the
        shape's: a string's shape judges strings, a number's numbers)."""
        if self.numeric:
            if not isinstance(value, int | float) or isinstance(value, bool):
                return None
            if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
                low = _number(self.min) if self.min is not None else "-∞"
                high = _number(self.max) if self.max is not None else "∞"
                return f"value {_number(value)} outside {low}-{high}"
            return None
        if not isinstance(value, str):
            return None
        if (self.min is not None and len(value) < self.min) or (self.max is not None and len(value) > self.max):
            high = _number(self.max) if self.max is not None else "∞"
            return f"length {_number(len(value))} outside {_number(self.min or 0)}-{high}"
        if self.pattern is not None and not _compiled(self.pattern).fullmatch(value):
            return f"does not match {self.pattern}" + (f" ({self.description})" if self.description else "")
        return None


def _number(value: float) -> str:
    """A number as a limit is read: 1,000,000, not 1e+06; a whole float as the integer it is."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """botocore's patterns are Java's, whose `\\w`, `\\d` and `\\s` are ASCII (java.util.regex.Pattern,
    without UNICODE_CHARACTER_CLASS): Python's take any script's letters, digits and spaces, and a
    role named `noaa20-données` passed a pattern the API refuses."""
    return re.compile(pattern, re.ASCII)


@cache
def _facts() -> dict[str, Any]:
    facts: dict[str, Any] = json.loads(SHAPES_FILE.read_text())
    return facts


def shape(service: str, name: str) -> Constraint:
    """One botocore shape's pattern and length limits, with its source."""
    facts = _facts()
    return Constraint(
        f"{service} {name}", f"{facts['source']} {service} service-2", **facts["shapes"][f"{service} {name}"]
    )
