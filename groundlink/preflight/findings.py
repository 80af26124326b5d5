"""One preflight finding: which resource, where in its inputs, what value, which rule, whose rule."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

MAX_VALUE_CHARS = 60


@dataclass(frozen=True)
class Finding:
    resource: str
    type: str
    path: str
    value: Any
    rule: str
    source: str

    def line(self) -> str:
        """The one line a user reads: resource, property path, value (truncated), rule, source."""
        return f"{self.resource} ({self.type}) {self.path or '.'} = {shorten(self.value)}: {self.rule} [{self.source}]"


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` if it is a map, else an empty one: an input of another shape (a value only a
    deployment knows, in a first preview; a hand-edited plan) is the provider schema check's
    finding (`expected a map`), not a crash of the checks that read inside it."""
    return value if isinstance(value, Mapping) else {}


def items(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty one (see `mapping`)."""
    return value if isinstance(value, list) else []


def shorten(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, sort_keys=True)
    text = text.replace("\n", " ")
    quoted = json.dumps(text) if isinstance(value, str) else text
    return quoted if len(quoted) <= MAX_VALUE_CHARS else quoted[: MAX_VALUE_CHARS - 1] + "…"


def values_at(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """Every value a path names, with its concrete path: `a.b[].c` walks each item of list `b`."""
    yield from _walk(value, path.split("."), "")


def _walk(value: Any, parts: list[str], done: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        yield done, value
        return
    head, rest = parts[0], parts[1:]
    key, many = (head[:-2], True) if head.endswith("[]") else (head, False)
    if not isinstance(value, dict) or value.get(key) is None:
        return
    here = f"{done}.{key}" if done else key
    if not many:
        yield from _walk(value[key], rest, here)
    elif isinstance(value[key], list):
        for index, item in enumerate(value[key]):
            yield from _walk(item, rest, f"{here}[{index}]")
