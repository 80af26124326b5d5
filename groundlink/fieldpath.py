"""Field paths of validation errors, spelled as the user wrote the fields.

pydantic's error locations mix the user's keys with tags of its own (`function-after[...]`,
`literal[...]`, a union member's class name, `[key]` for a mapping key's own error), and a
tag cannot be told from a key by its spelling: a user may well write a tag key
`function-x` or a key `[key]`. So a location is walked through the data the user gave: a
part the data holds at that point is the user's, any other part is pydantic's, except the
name of a missing field at the end. A mapping key that is not text (YAML reads `3:` as an
integer) stays a key, never shown as a list index. Pure Python: no pulumi import.
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .inputs import digit_count, long_number, max_int_digits, path_part

KEY_TAG = "[key]"  # pydantic's last location part when a mapping key itself is invalid


@dataclass(frozen=True)
class Step:
    """One part of a field path: a mapping key (text or not) or a list index."""

    value: Any
    index: bool = False

    def text(self, first: bool) -> str:
        return path_part(self.value, index=self.index, first=first)


@dataclass(frozen=True)
class FieldPath:
    """Where an error is, as steps through the user's data; `key_error` when the error is
    about the last step's key itself rather than the value under it."""

    steps: tuple[Step, ...]
    key_error: bool = False

    def text(self) -> str:
        return "".join(step.text(i == 0) for i, step in enumerate(self.steps))

    def parts(self) -> tuple[Any, ...]:
        """The raw keys and indexes (what `inputs.Document.where` walks)."""
        return tuple(step.value for step in self.steps)

    def plus(self, extra: Sequence[str | int]) -> FieldPath:
        """This path continued by `extra` (fields a model validator names below it)."""
        more = tuple(Step(p, index=isinstance(p, int)) for p in extra)
        return FieldPath(self.steps + more, self.key_error)

    @property
    def last_key(self) -> Any:
        return self.steps[-1].value if self.steps else None


def field_path(loc: Sequence[str | int], data: Any, error_type: str) -> FieldPath:
    """The user's path of a pydantic error at `loc` over the validated `data`."""
    parts = list(loc)
    key_error = bool(parts) and parts[-1] == KEY_TAG and not _holds(data, parts)
    if key_error:
        parts.pop()
    steps: list[Step] = []
    node: Any = data
    for i, part in enumerate(parts):
        key = _key_in(node, part)
        if key is not _ABSENT:
            steps.append(Step(key))
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            steps.append(Step(part, index=True))
            node = node[part]
        elif i == len(parts) - 1 and error_type == "missing":
            steps.append(Step(part, index=isinstance(part, int)))  # the missing field's name
            node = None
        # anything else is a tag pydantic added: not part of what the user wrote
    if error_type == "invalid_key":  # a key that is not text: the error is about the key
        key_error = True
    return FieldPath(tuple(steps), key_error)


_ABSENT = object()


def _key_in(node: Any, part: Any) -> Any:
    """The key of mapping `node` that location part `part` stands for, or _ABSENT. pydantic
    writes a key that is neither text nor an integer (null, 2.5) as its str()."""
    if not isinstance(node, dict):
        return _ABSENT
    if isinstance(part, str) and part in node:  # no other key equals text: found without a scan
        return part
    if isinstance(part, int) and part in node:
        # the key itself: pydantic's location part 1 may stand for a key True (Python's True == 1)
        equal = [key for key in node if type(key) in {type(part), bool} and key == part]
        return next((key for key in equal if type(key) is type(part)), equal[0] if equal else part)
    if isinstance(part, str):
        for key in node:
            if isinstance(key, str):
                continue
            if isinstance(key, int) and long_number(key) is not None and digit_count(key) > max_int_digits():
                if part == _UNPRINTABLE_INT:  # no str(): past Python's limit it raises, and pydantic says so
                    return key
            elif part in {str(key), repr(key)}:  # a date key: its repr
                return key
    return _ABSENT


_UNPRINTABLE_INT = "<unprintable int object>"  # pydantic's location part for an integer key str() refuses


def _holds(data: Any, parts: Sequence[Any]) -> bool:
    """Whether `parts` (ending in a literal `[key]`) is a real path of the user's data."""
    node = data
    for part in parts:
        key = _key_in(node, part)
        if key is not _ABSENT:
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    return True


def model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class expected at `loc` below `root` (list items and mapping values taken as
    their item's model), for the fields a message lists; None below a field that is no model."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return model if isinstance(model, type) and issubclass(model, BaseModel) else None
        annotation = model.model_fields[part].annotation
        while typing.get_origin(annotation) is not None:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[-1] if args else None
        model = annotation
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None
