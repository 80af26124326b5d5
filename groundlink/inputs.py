"""Reading untrusted YAML text: bounded in depth and size, every failure one short line.

A spec, a price override file or a pack config is written by a person and may
be wrong in any way: nested 10,000 levels deep, an alias bomb that expands a
2 KB file to a billion nodes, keys holding newlines. Every reader goes through
`load_yaml`, which checks the event stream (iterative, so no recursion limit is
reached) before any object is built, and every message goes through
`one_line`, so no user value can make a message span lines or grow without
bound. The text itself comes through `read_input`, bounded too: a path may name a pipe
or a device as well as a file. Pure Python: no pulumi import.
"""

from __future__ import annotations

import datetime as _dt
import math
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MAX_DEPTH = 64  # a spec is at most ~6 levels deep; 64 leaves room and stays far from any recursion limit
MAX_NODES = 200_000  # nodes after alias expansion: 500 satellites x 16 downlinks fit ~10x over
MAX_FILE_BYTES = 8 * 2**20  # a spec, a price override file, a pack config: kilobytes in practice
MAX_LINE = 300  # characters in one error line
MAX_SHOWN = 60  # characters of a user value echoed back

_REPR = reprlib.Repr()
_REPR.maxstring = MAX_SHOWN
_REPR.maxother = MAX_SHOWN
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_REPR.maxlevel = 2


class InputError(Exception):
    """Unusable input text: `line` is the one line to print."""

    def __init__(self, line: str):
        self.line = one_line(line)
        super().__init__(self.line)


class InputTooLarge(ValueError):
    """The input goes on past its limit: a wrong file, or a device that never ends."""

    def __init__(self, limit: int):
        size = f"{limit // 2**20} MiB" if limit % 2**20 == 0 else f"{limit:,} bytes"
        super().__init__(f"larger than {size}")


def read_input(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of `path`, newlines as `Path.read_text` gives them, read up to `limit`
    bytes and one more: a pipe's or a device's size says nothing of what it holds
    (`/dev/zero` never ends, and read whole it ran out of memory with a traceback), so
    whatever the path names, more than `limit` is refused (InputTooLarge). OSError and
    UnicodeDecodeError (its `start`, the offset of the bad byte) as reading a file raises them."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(limit)
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` with control characters escaped and cut to `limit` characters in the middle: its
    start (what it is about) and its end (the reason, after a long path) both stay."""
    clean = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return clean if len(clean) <= limit else clean[: (limit - 1) // 2] + "…" + clean[len(clean) - limit // 2 :]


def show(value: Any) -> str:
    """A user value as echoed in a message: repr, truncated, never the whole of a large value."""
    if isinstance(value, str) and len(value) <= MAX_SHOWN and value.isprintable():
        return repr(value)
    return one_line(_REPR.repr(value), MAX_SHOWN + 10)


def given(value: Any) -> str:
    """What the user gave, for a message that expected another shape: a mapping or a list is
    named by its kind (its contents may be long), a scalar shown as it is."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return "nothing (null)" if value is None else show(value)


def not_text(value: Any) -> str | None:
    """Why a scalar YAML typed by itself is no text, and the fix. YAML 1.1, which PyYAML reads,
    turns an unquoted `no`, `on` or `yes` into a boolean, `2025-01-01` into a date and `1.0`
    into a number: a mission named `no` arrives as false. None for any other value."""
    if isinstance(value, bool):
        read = f"the boolean {str(value).lower()} (YAML reads an unquoted yes, no, on, off, true or false as one)"
    elif isinstance(value, _dt.date):  # a datetime too
        read = f"the date {value.isoformat()} (YAML reads an unquoted date as one)"
    elif isinstance(value, int | float):
        read = f"the number {value}"
    else:
        return None
    return f"must be text, got {read}; put the value in quotes"


def type_message(kind: str, value: Any, fields: Iterable[str] = ()) -> str | None:
    """A pydantic type error (`kind`) over a YAML value in the file's own words, with the fix,
    instead of pydantic's (which names its model classes); None for other kinds. `fields` are
    those of the mapping expected here."""
    if kind == "string_type":
        return not_text(value)
    if kind in {"model_type", "dict_type"}:
        names = ", ".join(fields)
        return f"must be a mapping{f' (fields: {names})' if names else ''}, got {given(value)}"
    if kind == "list_type":
        return f"must be a list, got {given(value)}"
    if kind == "int_from_float" or (kind == "int_type" and isinstance(value, float)):
        return f"must be a whole number, got {value}"
    if kind in {"int_type", "int_parsing", "float_type", "float_parsing"}:
        return f"must be a number, got {_as_written(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false, got {_as_written(value)}"
    return None


def _as_written(value: Any) -> str:
    """A value where another kind belongs, with what YAML did to it: a quoted number is text,
    an unquoted yes or no a boolean."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (YAML reads an unquoted yes, no, on, off, true or false as one)"
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return f"the text {show(value)}"
        return f"the text {show(value)}; write the number without quotes"
    return given(value)


class DuplicateKey(ValueError):
    """A JSON object holding one key twice (see `once_each`)."""

    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys differ (`json.loads(object_pairs_hook=once_each)`): JSON readers
    keep the last of a key given twice without a word, so a rule's level given twice (advisory,
    then mandatory) or a plan's cloud would pass as whichever came last, as a spec's duplicate
    key would not."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def key_text(key: Any) -> str:
    """A mapping key as a field-path part: bare when it is a plain word (tag keys such as
    `aws:team` included), quoted and truncated when it holds spaces, quotes or control characters."""
    text = str(key)
    if text and len(text) <= MAX_SHOWN and all(c.isalnum() or c in "_-.:/@+=" for c in text):
        return text
    return show(key if isinstance(key, str) else text)


def is_finite(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


@dataclass(frozen=True)
class Document:
    """Parsed YAML data and the node tree it came from, to point errors at lines."""

    data: Any
    root: yaml.Node | None

    def where(self, path: tuple[str | int, ...]) -> str:
        """`line L, column C` of the deepest node `path` reaches, or '' when unknown."""
        node = self.root
        mark = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
                if not match:
                    break
                # the last: after a merge key (`<<: *defaults`) the mapping's own value comes last and wins
                mark, node = match[-1][0].start_mark, match[-1][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        if mark is None:
            return ""
        return f"line {mark.line + 1}, column {mark.column + 1}"


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def check_bounds(text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and alias expansion past MAX_NODES, from the
    event stream alone (libyaml's parser is iterative), before any node is built."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [expanded size so far, anchor] per open collection
    try:
        for event in yaml.parse(text, Loader=_base_loader()):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise InputError(f"{source}: {_at(event.start_mark)}nested deeper than {MAX_DEPTH} levels")
                stack.append([1, event.anchor])
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                size, anchor = stack.pop()
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = sizes.get(str(event.anchor), 1), None
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                stack[-1][0] += size
                if stack[-1][0] > MAX_NODES:
                    raise InputError(
                        f"{source}: {_at(event.start_mark)}expands to more than {MAX_NODES} values "
                        "(aliases repeat whole subtrees)"
                    )
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_message(exc, source)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: {exc}") from None


def _yaml_message(exc: yaml.MarkedYAMLError, source: str) -> str:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if "duplicate key" in str(problem):
        mark = None
    return f"{source}: {_at(mark)}{problem}"


@lru_cache(maxsize=1)
def _base_loader() -> type[yaml.SafeLoader]:
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return base


_MERGE_TAG = "tag:yaml.org,2002:merge"


@lru_cache(maxsize=1)
def _unique_key_loader() -> type[yaml.SafeLoader]:
    """The safe loader (libyaml when present) refusing duplicate and non-scalar keys."""

    class Loader(_base_loader()):  # type: ignore[misc]  # a base class chosen at run time (libyaml when present)
        pass

    def refuse_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> None:
        """Duplicate keys in `node` and in every mapping it merges (which the safe loader's
        flattening takes in without constructing them): each is one problem, as anywhere."""
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE_TAG:
                if "<<" in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, "a mapping merges (<<) once", key_node.start_mark
                    )
                seen.add("<<")
                merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in merged:
                    if isinstance(source, yaml.MappingNode):
                        refuse_duplicates(loader, source)
                continue  # `<<: *defaults`: its keys come first, and the mapping's own override them
            mark = key_node.start_mark
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value", mark)
            key = loader.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {show(key)} (line {mark.line + 1}, column {mark.column + 1})",
                    None,
                )
            seen.add(key)

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        refuse_duplicates(loader, node)
        loader.flatten_mapping(node)  # YAML's merge keys, as the safe loader itself reads them
        return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        """A date as YAML 1.1 reads it, and one that is no date (2026-13-01) as the text it is:
        PyYAML raised ValueError building it, a traceback from any field. Text, it meets the
        field's own check, which names the field and what is allowed."""
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


def load_yaml(text: str, source: str) -> Document:
    """Parse one YAML document within the bounds above; InputError (one line) on any failure."""
    check_bounds(text, source)
    loader = _unique_key_loader()(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        raise InputError(_yaml_message(exc, source)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: {exc}") from None
    except RecursionError:  # a backstop: check_bounds keeps documents far shallower
        raise InputError(f"{source}: nested too deeply") from None
    finally:
        loader.dispose()
    return Document(data, root)
