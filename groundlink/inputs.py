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

import codecs
import datetime as _dt
import difflib
import functools
import json
import math
import os
import re
import reprlib
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .processing.errors import escaped as escaped  # the one escape, packaged with the cloud runtime

MAX_DEPTH = 64  # a spec is at most ~6 levels deep; 64 leaves room and stays far from any recursion limit
MAX_NODES = 200_000  # nodes after alias expansion: 500 satellites x 16 downlinks fit ~10x over
MAX_FILE_BYTES = 8 * 2**20  # a spec, a price override file, a pack config: kilobytes in practice
MAX_LINE = 500  # characters in one error line: a field path and twelve allowed regions, or the longest refusal (the processor's disk) of a spec with 32-character names
MAX_SHOWN = 60  # characters of a user value echoed back

MAX_INT_DIGITS = 4000  # digits of an integer read as a number: far past any field, within Python's default limit


def max_int_digits() -> int:
    """The most digits an integer of the input is read with: MAX_INT_DIGITS, or fewer when the
    interpreter converts fewer to and from text (`sys.get_int_max_str_digits()`, 640 at its
    lowest, 0 for no limit)."""
    limit = sys.get_int_max_str_digits()
    return min(MAX_INT_DIGITS, limit) if limit else MAX_INT_DIGITS


def digit_count(value: int) -> int:
    """How many decimal digits `value` has, without writing it as text: past
    `sys.get_int_max_str_digits()` that raised ValueError, and it takes quadratic time."""
    magnitude = abs(value)
    if magnitude.bit_length() <= 2000:  # at most 603 digits: within the lowest limit (640)
        return len(str(magnitude))
    logarithm = math.log10(magnitude)  # exact to far less than 1 digit's worth, in linear time
    nearest = round(logarithm)
    if abs(logarithm - nearest) > 1e-6:
        return math.floor(logarithm) + 1
    return nearest + 1 if magnitude >= 10**nearest else nearest  # next to a power of ten: compare exactly


class LongNumber:
    """An integer of more digits than `max_int_digits()` allows, as the loader keeps it: counted,
    never converted (Python refuses past 4300 digits, and converting is quadratic). No field takes
    it (it is no int, float or text), so every field refuses it, and a message names it by its
    digit count (`show`) instead of a traceback."""

    __slots__ = ("digits", "negative")

    def __init__(self, digits: int, negative: bool = False):
        self.digits = digits
        self.negative = negative

    def __repr__(self) -> str:
        return f"a{' negative' if self.negative else ''} number of {self.digits} digits"

    __str__ = __repr__


def long_number(value: Any) -> LongNumber | None:
    """`value` as a LongNumber when it is one or an integer of more than MAX_SHOWN digits (a
    message names it by its digit count, never writes it out); None for any other value."""
    if isinstance(value, LongNumber):
        return value
    if not isinstance(value, int) or isinstance(value, bool) or value.bit_length() < 190:  # < 58 digits
        return None
    digits = digit_count(value)
    return LongNumber(digits, value < 0) if digits > MAX_SHOWN else None


def number_words(value: int | LongNumber) -> str:
    """An integer as a message shows it: its digits, or its digit count past MAX_SHOWN digits."""
    return str(long_number(value) or value)


class _Repr(reprlib.Repr):
    """reprlib, except that an integer of many digits is named by its digit count: repr() of
    one past `sys.get_int_max_str_digits()` raises ValueError, inside a list too."""

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, LongNumber) or (isinstance(x, int) and not isinstance(x, bool) and x.bit_length() >= 190):
            return number_words(x)
        return super().repr1(x, level)


_REPR = _Repr()
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


BOM = "\ufeff"
"""The byte order mark, as the first character of a text some editors save."""


def read_input(path: Path, limit: int = MAX_FILE_BYTES, keep_mark: bool = False) -> str:
    """The UTF-8 text of `path`, newlines as `Path.read_text` gives them, read up to `limit`
    bytes and one more: a pipe's or a device's size says nothing of what it holds
    (`/dev/zero` never ends, and read whole it ran out of memory with a traceback), so
    whatever the path names, more than `limit` is refused (InputTooLarge). OSError and
    UnicodeDecodeError (its `start`, the offset of the bad byte) as reading a file raises them.

    A byte order mark at the start is no part of the text (RFC 8259 lets a JSON reader ignore
    one, and YAML's reader does): an editor that saves one (Notepad) made a plan unreadable, and
    taken for a spec by its first character. `keep_mark`: kept, for a reader of the text that
    another program reads too and that program refuses one."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(limit)
    text = data.decode("utf-8")
    return (text if keep_mark else text.removeprefix(BOM)).replace("\r\n", "\n").replace("\r", "\n")


def json_problem(error: json.JSONDecodeError) -> str:
    """Where and why JSON text is broken, as a whole sentence: the decoder's own messages
    ("Unterminated string starting at") leave out the position they point to, and a document
    that stops before it is complete is said to end there (a file cut short, the usual cause)."""
    what = error.msg
    if what.endswith(" at"):
        what = what.removesuffix(" at") + " here"
    where = f"line {error.lineno}, column {error.colno}"
    ended = not error.doc[error.pos :].strip() or what.startswith("Unterminated string")
    return f"{where}: {what}" + ("; the document ends before it is complete (was the file cut short?)" if ended else "")


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` with control characters escaped and cut to `limit` characters in the middle: its
    start (what it is about) and its end (the reason, after a long path) both stay."""
    clean = escaped(text)
    return clean if len(clean) <= limit else clean[: (limit - 1) // 2] + "…" + clean[len(clean) - limit // 2 :]


class SpecError(Exception):
    """A spec that cannot be used; `lines` holds one message per problem. Raised by
    `groundlink.spec`; defined here so that the command line catches it without importing
    the spec model (commands that read no spec start without it)."""

    def __init__(self, source: str, lines: list[str]):
        self.source = source
        self.lines = [one_line(line) for line in lines]  # whatever a value held: one line, bounded
        super().__init__("\n".join(lines))


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
    if isinstance(value, bytes | bytearray):  # YAML's !!binary
        return f"binary data (!!binary, {len(value)} bytes)"
    if isinstance(value, set | frozenset):  # YAML's !!set
        return "a set (!!set)"
    if isinstance(value, _dt.date | bool):  # `tags: no`: Python's False and datetime.date(...) said nothing
        return str(yaml_typed(value))
    return "nothing (null)" if value is None else show(value)


def not_text(value: Any) -> str | None:
    """Why a scalar YAML typed by itself is no text, and the fix. YAML 1.1, which PyYAML reads,
    turns an unquoted `no`, `on` or `yes` into a boolean, `2025-01-01` into a date and `1.0`
    into a number: a mission named `no` arrives as false. None for any other value."""
    typed = None if isinstance(value, Numeral) else yaml_typed(value)  # a Numeral is text
    if isinstance(value, int | float) and not isinstance(value, bool):
        typed = f"the number {value}" if long_number(value) is None else str(long_number(value))
    if typed is None:
        return None
    return f"must be text, got {typed}; put the value in quotes"


def yaml_typed(value: Any) -> str | None:
    """What YAML 1.1 made of an unquoted scalar a person wrote as something else, in words: a
    boolean (`no`), a date (`2025-01-01`), a Numeral's reading (`07530`, `1e3`); else None."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (YAML reads an unquoted yes, no, on, off, true or false as one)"
    if isinstance(value, _dt.date):  # a datetime too
        return f"the date {value.isoformat()} (YAML reads an unquoted date as one)"
    if isinstance(value, Numeral):
        return f"{value if len(value) <= MAX_SHOWN else show(str(value))}, which {value.reading}"
    if isinstance(value, LongNumber):
        return str(value)
    return None


_NUMBER_KINDS = frozenset({"int_type", "int_parsing", "float_type", "float_parsing"})
# What a number too long for any field allows: the field's own bounds are its model's, which a
# type error does not carry (a float field refuses an integer past 1.8e308 as no number at all).
OUT_OF_RANGE_ALLOWED = "a number within the field's bounds (`groundlink schema` lists them)"


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
    if kind in _NUMBER_KINDS and long_number(value) is not None:  # past what an int or a float field takes
        return f"{show(value)} is out of range; allowed: {OUT_OF_RANGE_ALLOWED}"
    if kind == "int_from_float" or (kind == "int_type" and isinstance(value, float)):
        return f"must be a whole number, got {value}"
    if kind in _NUMBER_KINDS:
        return f"must be a number, got {_as_written(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        # a number's Numeral has a number's fix; the !!str tag's holds for a boolean too
        shown = show(str(value)) if isinstance(value, Numeral) and value.reading != STR_TAG else _as_written(value)
        return f"must be true or false, got {shown}"
    return None


def _as_written(value: Any) -> str:
    """A value where another kind belongs, with what YAML did to it: a quoted number is text,
    an unquoted yes or no a boolean."""
    if isinstance(value, bool | Numeral):
        return str(yaml_typed(value))
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return f"the text {show(value)}"
        # Python's float() takes more than a YAML number: `infinity`, `nan` and other scripts'
        # digits (full-width 8000) are text however they are written, so quotes are not the fix
        if not math.isfinite(number):
            return f"the text {show(value)}; {WITHIN_BOUNDS}"
        if not value.isascii():
            return f"the text {show(value)}; write the number in ASCII digits"
        return f"the text {show(value)}; write the number without quotes"
    return given(value)


# Why a Numeral of unquoted text YAML would read as another kind is text: an explicit tag.
STR_TAG = "the !!str tag makes text; leave the tag out"


class Numeral(str):
    """An unquoted scalar written as a number that YAML 1.1, which PyYAML reads, does not read
    as that number: `07530` is octal (3928), `08123` text (8 and 9 are no octal digits), `1e3`
    and `1.0e3` text (a 1.1 float needs a dot and a signed exponent), `1:30` base 60 (90).
    The loader keeps it as the text written: where text belongs it is that text, and where a
    number belongs `type_message` names what YAML made of it and the fix (`reading`), as it
    does for an unquoted `no`, instead of a number the spec never said or a hint to remove
    quotes that are not there."""

    reading: str

    def __new__(cls, text: str, reading: str = "") -> Numeral:
        made = super().__new__(cls, text)
        made.reading = reading
        return made


# A number as a person writes it, YAML 1.2 and JSON alike: sign, digits, a dot, an exponent.
_NUMBER = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")


def _decimal(text: str) -> str | None:
    """`text` as a plain decimal (`1e3` -> 1000, `-.5` -> -0.5), or None when that is too long to suggest."""
    import decimal

    try:
        number = decimal.Decimal(text.replace("_", ""))
    except decimal.InvalidOperation:
        return None
    written = format(number, "f")
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    written = "0" if written in {"", "-", "-0"} else written
    return written if len(written) <= 24 else None


def _text_numeral(text: str) -> Numeral | None:
    """A Numeral for plain text YAML 1.1 left as text although it is written as a number."""
    if not _NUMBER.fullmatch(text):
        return None
    out_of_range = _past_a_float(text)
    if out_of_range:  # rewritten as YAML 1.1 reads a number, it would be infinity or 0
        return Numeral(text, f"YAML 1.1 reads as text, and as a number it is {out_of_range}; {WITHIN_BOUNDS}")
    decimal_text = _decimal(text)
    plain = decimal_text or "the number as a plain decimal"
    sign, unsigned = ("-" if text[0] == "-" else ""), text.lstrip("+-")
    mantissa, e, exponent = unsigned.lower().partition("e")
    if not e and re.fullmatch(r"0[0-9]+", unsigned.replace("_", "")):
        return Numeral(
            text,
            "YAML 1.1 reads as text (a leading zero makes an octal number, and 8 and 9 are no octal digits); "
            f"write {plain} without the leading zero",
        )
    if e:  # YAML 1.1's float: digits, a dot, and an exponent with its sign (1.0e+3)
        whole, _, fraction = mantissa.partition(".")
        spelt = f"{sign}{whole or '0'}.{fraction or '0'}e{exponent if exponent[:1] in '+-' else '+' + exponent}"
        return Numeral(
            text,
            f"YAML 1.1 reads as text (its numbers take a dot and a signed exponent: {spelt}); "
            f"write {f'{decimal_text} or ' if decimal_text else ''}{spelt}",
        )
    why = " (a signed number needs a digit before its dot)" if unsigned.startswith(".") else ""
    return Numeral(text, f"YAML 1.1 reads as text{why}; write {plain}")


WITHIN_BOUNDS = "write a number within the field's bounds"
_INFINITE = f"YAML 1.1 reads as infinity (it is past 1.8e308, the largest number); {WITHIN_BOUNDS}"


def _past_a_float(text: str) -> str | None:
    """Why a number written as `text` has no float (`1e400` is infinity, `1e-400` 0), or None."""
    import math

    value = float(text.replace("_", ""))
    if math.isinf(value):
        return "past 1.8e308, the largest number"
    if value == 0 and re.search(r"[1-9]", text.lower().partition("e")[0]):
        return "nearer 0 than 4.9e-324, the smallest number, and reads as 0"
    return None


def _number_numeral(text: str, value: Any) -> Numeral | None:
    """A Numeral for a plain int or float YAML 1.1 read otherwise than its decimal digits say:
    base 60 (`1:30` is 90), octal (`07530` is 3928; `007` is 7 either way and stays a number) or
    0 (`1.0e-400`, nearer 0 than any float)."""
    if ":" in text:
        shown = f"{value:g}" if isinstance(value, float) else number_words(value)
        return Numeral(text, f"YAML 1.1 reads as the base-60 number {shown}; write the number in decimal")
    digits = text.replace("_", "").lstrip("+-")
    if isinstance(value, float) and value == 0 and (why := _past_a_float(text)):
        return Numeral(text, f"YAML 1.1 reads as 0 (it is {why.removesuffix(', and reads as 0')}); {WITHIN_BOUNDS}")
    if (
        isinstance(value, int)
        and re.fullmatch(r"0[0-7]+", digits)
        and len(digits) <= max_int_digits()  # int(digits, 10) past Python's limit raised ValueError
        and int(digits, 8) != int(digits, 10)
    ):
        plain = _decimal(text)
        return Numeral(
            text,
            f"YAML 1.1 reads as the octal number {value} (a leading zero makes one); "
            f"write {plain} without the leading zero",
        )
    return None


_LOG10_SIXTY = math.log10(60)


def base_sixty(text: str, *, floating: bool) -> int | float | LongNumber:
    """YAML 1.1's base-60 number (`1:30` is 90, `1:30.5` 90.5), read in time linear in its parts.

    PyYAML multiplies a growing power of 60 by every part, leading zeros too: a 3 MB value took
    minutes, and a float of 174 parts raised OverflowError (a traceback from any field). An
    integer of more digits than `max_int_digits()` is a LongNumber, counted from its leading
    parts, never converted; a float past 1.8e308 is infinity, which the caller names. A part
    that is no unsigned number (`!!int 1:-60`) raises ValueError, as PyYAML's reading of one
    that is no number did."""
    body = text.replace("_", "").lower()
    negative = body.startswith("-")
    parts = body.lstrip("+-").split(":")
    shape = _SIXTY_FLOAT_PART if floating else _SIXTY_INT_PART
    if not all(re.fullmatch(shape, part) for part in parts):
        raise ValueError(f"{text!r} is no base-60 number")
    # the leading zero parts add nothing: dropped at once (one slice, not one per part), and each
    # part's own leading zeros, which int() would count against Python's limit
    first = next((i for i, part in enumerate(parts) if part.strip("0.")), len(parts) - 1)
    parts = parts[first:] if floating else [part.lstrip("0") or "0" for part in parts[first:]]
    if not floating and (longest := max(len(part) for part in parts)) > max_int_digits():
        return LongNumber(longest, negative)  # int() refuses it past Python's limit
    convert = float if floating else int
    # the value's size from its two leading parts (math.log10 takes an int of any size)
    head = convert(parts[0]) * 60 + convert(parts[1]) if len(parts) > 1 else convert(parts[0])
    magnitude = (max(len(parts) - 2, 0) * _LOG10_SIXTY + math.log10(head)) if head else 0.0
    if magnitude >= (308.3 if floating else max_int_digits()):
        if floating:
            return -math.inf if negative else math.inf
        return LongNumber(int(magnitude) + 1, negative)
    value: int | float = convert(0)
    for part in parts:
        value = value * 60 + convert(part)
    return -value if negative else value


# A base-60 part: digits (the first part may be long), a float's with a fraction too
_SIXTY_INT_PART = r"[0-9]+"
_SIXTY_FLOAT_PART = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"


class DuplicateKey(ValueError):
    """A JSON object holding one key twice (see `once_each`); `path` is where that object is,
    the keys and list indices from the document's top (empty at the top)."""

    def __init__(self, key: str, path: tuple[str | int, ...] = ()):
        self.key = key
        self.path = path
        super().__init__(key)

    @property
    def where(self) -> str:
        """The key given twice with the path to it, as the field paths of errors are spelt
        (`aws-kinesis-cmk.requireCustomerManagedKey`): nine rules of a pack config take the
        same property, and the key alone named none of them."""
        parts = [*self.path, self.key]
        return "".join(path_part(part, index=isinstance(part, int), first=i == 0) for i, part in enumerate(parts))


def once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys differ (`json.loads(object_pairs_hook=once_each)`): JSON readers
    keep the last of a key given twice without a word, so a rule's level given twice (advisory,
    then mandatory) or a plan's cloud would pass as whichever came last, as a spec's duplicate
    key would not. Raises DuplicateKey with the key alone: `strict_json` names its path."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


class _Duplicated(dict[str, Any]):
    """An object read with a key twice, kept by `strict_json`'s second reading to find where it
    is: the reader builds inner objects before the keys that hold them."""

    duplicate: str


def _marking_once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    try:
        return once_each(pairs)
    except DuplicateKey as duplicate:
        marked = _Duplicated(pairs)
        marked.duplicate = duplicate.key
        return marked


def _first_duplicate(doc: Any) -> DuplicateKey | None:
    """The first object of `doc` (in reading order) `_marking_once_each` marked, as a
    DuplicateKey with its key and path.
    Objects and lists alone are walked, each remembering its parent, and a path is made for the
    marked one only: a path for every value of a 90 MB plan took seconds and a gigabyte."""
    stack: list[tuple[Any, int, str | int]] = [(doc, -1, "")]
    steps: list[tuple[int, str | int]] = []  # each container walked: (its parent's index, its key)
    while stack:
        node, parent, key = stack.pop()
        steps.append((parent, key))
        if isinstance(node, _Duplicated):
            path: list[str | int] = []
            at = len(steps) - 1
            while steps[at][0] >= 0:
                path.append(steps[at][1])
                at = steps[at][0]
            return DuplicateKey(node.duplicate, tuple(reversed(path)))
        here = len(steps) - 1
        children = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(reversed([(child, here, k) for k, child in children if isinstance(child, dict | list)]))
    return None


def key_text(key: Any) -> str:
    """A mapping key as a field-path part: bare when it is a plain word (tag keys such as
    `aws:team` included), quoted and truncated when it holds spaces, quotes or control characters."""
    text = str(key)
    if text and len(text) <= MAX_SHOWN and all(c.isalnum() or c in "_-.:/@+=" for c in text):
        return text
    return show(key if isinstance(key, str) else text)


def path_part(value: Any, *, index: bool, first: bool) -> str:
    """One part of a field path as messages spell it: `[0]` for a list item, `.key` for a mapping
    key (bare at the start), quoted when it is no plain word (`key_text`), a key that is not text
    shown as its value (a key `3:` stays a key, never an index)."""
    if index:
        return f"[{value}]"
    shown = key_text(value) if isinstance(value, str) else key_text(_yaml_words(value))
    return shown if first else "." + shown


def _yaml_words(value: Any) -> str:
    """A scalar as YAML writes it (`null`, `true`, `2024-01-01`), not as Python does (None, True)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int | LongNumber):
        return number_words(value)
    return show(value)


def path_text(parts: Iterable[Any]) -> str:
    """A field path from keys (text as YAML wrote it) and list indexes (int)."""
    return "".join(path_part(part, index=isinstance(part, int), first=i == 0) for i, part in enumerate(parts))


def is_finite(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


@dataclass(frozen=True)
class Document:
    """Parsed YAML data and the node tree it came from, to point errors at lines."""

    data: Any
    root: yaml.Node | None
    text: str = ""
    # each mapping node's keys, indexed at its first lookup: a spec of 10,000 unknown keys asked
    # where each one is, scanning the whole mapping each time (44 s)
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, compare=False, repr=False)

    def _key_nodes(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        found = self._keys.get(id(node))
        if found is None:
            # the last of a key: after a merge key (`<<: *defaults`) the mapping's own value comes last and wins
            found = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
            self._keys[id(node)] = found
        return found

    def _value_node(self, path: tuple[str | int, ...]) -> yaml.Node | None:
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode) and (match := self._key_nodes(node).get(str(part))) is not None:
                node = match[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node

    def commented_out(self, path: tuple[str | int, ...]) -> bool:
        """Whether the null at `path` is a value written after ` #`, which YAML reads as a comment:
        `owner: #ground-ops`, a Slack channel, arrived as no value at all."""
        node = self._value_node(path) if path else None
        if not isinstance(node, yaml.ScalarNode) or node.value != "" or node.style:  # plain: None, or "" (libyaml)
            return False
        lines = self.text.split("\n")
        mark = node.start_mark
        if not 0 <= mark.line < len(lines):
            return False
        return lines[mark.line][mark.column :].lstrip(" \t").startswith("#")

    def where(self, path: tuple[str | int, ...]) -> str:
        """`line L, column C` of the deepest node `path` reaches, or '' when unknown."""
        node = self.root
        mark = None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                match = self._key_nodes(node).get(str(part))
                if match is None:
                    break
                mark, node = match[0].start_mark, match[1]
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
    aliased = False  # whether an alias has repeated a subtree yet
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
                aliased = True
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                stack[-1][0] += size
                if stack[-1][0] > MAX_NODES:
                    if not aliased:  # a file of that many values written out: no alias to blame
                        raise InputError(f"{source}: {_at(event.start_mark)}holds more than {MAX_NODES} values")
                    raise InputError(
                        f"{source}: {_at(event.start_mark)}expands to more than {MAX_NODES} values "
                        "(aliases repeat whole subtrees)"
                    )
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's scanner, reading ahead
            at = _at(getattr(exc, "problem_mark", None))
            raise InputError(f"{source}: {at}nested deeper than {MAX_DEPTH} levels") from None
        raise InputError(_yaml_message(exc, source, text)) from None


# What YAML allows in a stream (YAML 1.1 "c-printable", as PyYAML's and libyaml's readers check
# it): anything else is refused before any token is read.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The line breaks of YAML 1.1 beyond CR and LF (NEL, LS, PS), which PyYAML's reader takes: a
# YAML 1.2 editor reads them as text, `grep -n` as no line, so a value holding one was cut into
# two lines, or became a space, where the author saw one line. Refused, as a character is.
_YAML_11_LINE_BREAK = re.compile("[\x85\u2028\u2029]")
TAB_HINT = "YAML indentation must use spaces, not tabs"
# PyYAML's problem for a tag no constructor takes (`!custom`, `!!python/object:...`).
_UNKNOWN_TAG = re.compile(r"could not determine a constructor for the tag '([^']*)'")
# An alias as YAML writes it: `*` and the anchor's name, up to a space or a flow indicator.
_ALIAS = re.compile(r"\*([^\s,\[\]{}]+)")
# An anchor as YAML writes it: `&` and its name.
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")


def _yaml_message(exc: yaml.YAMLError, source: str, text: str) -> str:
    """A PyYAML error as one line: `source: line L, column C: problem`, never PyYAML's own
    several lines with their `in "<unicode string>"` and character offsets."""
    if isinstance(exc, _MappingProblem):
        return _located(source, exc.parts, exc.problem or "invalid YAML", exc.problem_mark)
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_message(exc, source, text)
    if isinstance(exc, yaml.constructor.ConstructorError):
        problem, at = str(exc.problem or "invalid YAML"), exc.problem_mark
        if at is not None and problem != "found unconstructable recursive node" and not _UNKNOWN_TAG.match(problem):
            # a node its tag cannot be built from (`!!int 2048.5`, `!!int [1]`, `!!map x`): PyYAML
            # names neither the field nor the tag
            return _located(source, _path_at(text, at.line, at.column, node=True), problem, at)
    recursive = (
        isinstance(exc, yaml.constructor.ConstructorError) and exc.problem == "found unconstructable recursive node"
    )
    if recursive and (at := getattr(exc, "problem_mark", None)) is not None:  # `a: &a {b: *a}`
        message = "holds itself (an alias inside it names its anchor); a mapping cannot hold itself"
        return _located(source, _path_at(text, at.line, at.column), message, at)
    unknown_tag = _UNKNOWN_TAG.match(str(getattr(exc, "problem", "")))
    if isinstance(exc, yaml.constructor.ConstructorError) and unknown_tag and exc.problem_mark is not None:
        # `owner: !custom x`: PyYAML names the tag, neither the field nor what is allowed
        at, tag = exc.problem_mark, unknown_tag.group(1).replace("tag:yaml.org,2002:", "!!")
        message = (
            f"the tag {tag} is not allowed; allowed: untagged text, numbers, booleans, lists and mappings "
            "(YAML's core tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)"
        )
        # node=True: a tagged list or mapping (`owner: !Foo [a, b]`) is the field, not its first item
        return _located(source, _path_at(text, at.line, at.column, node=True), message, at)
    if not isinstance(exc, yaml.MarkedYAMLError):
        return f"{source}: {(str(exc).splitlines() or ['invalid YAML'])[0]}"
    mark = exc.problem_mark or exc.context_mark
    undefined = "found undefined alias" in f"{exc.problem} {exc.context}"
    if undefined and mark is not None and (alias := _ALIAS.match(text.split("\n")[mark.line], mark.column)):
        # libyaml names neither the alias nor the field it stands in
        name = alias.group(1)
        message = f"*{name} names no anchor: no &{name} is defined before it"
        return _located(source, _path_at(text, mark.line, mark.column), message, mark)
    first = exc.context_mark
    anchor = (
        _ANCHOR.match(text.split("\n")[mark.line], mark.column)
        if "found duplicate anchor" in str(exc.context) and mark is not None and first is not None
        else None
    )
    if anchor and mark is not None and first is not None:
        # PyYAML says "found duplicate anchor; first occurrence, second occurrence", naming none
        name = anchor.group(1)
        message = (
            f"the anchor &{name} is defined twice (first at line {first.line + 1}, column {first.column + 1}); "
            "give this one another name"
        )
        return _located(source, _path_at(text, mark.line, mark.column), message, mark)
    problem = exc.problem or exc.context or "invalid YAML"
    tab = mark is not None and _character_at(text, mark.line, mark.column) == "\t"
    space = _unicode_space(text, mark.line) if mark is not None and not tab else None
    quoted = _needs_quotes(exc, text, mark) if not tab and space is None else None
    if quoted is not None:  # a value quotes make text, not a space or a tab that is no space
        parts, message = quoted
        return _located(source, parts, message, mark)
    context, started = exc.context, exc.context_mark
    if exc.problem and context and not context.startswith("while "):  # "expected a single document ..."
        problem = f"{context}, {problem}"
    elif exc.problem and context and started is not None and mark is not None and started.line != mark.line:
        # an unclosed quote or bracket is found where the text ends: say where it was opened
        problem = f"{problem} ({context} that starts at line {started.line + 1}, column {started.column + 1})"
    elif mark is not None and not _text_after(text, mark).strip() and (opened := _unclosed_flow(text)) is not None:
        # the text ended inside a bracket, and the parser's own context points at the end too
        # (`mission: [` on the last line): say where the bracket was opened
        kind, at = opened
        problem = f"{problem} (while parsing a flow {kind} that starts at line {at.line + 1}, column {at.column + 1})"
    if tab:
        problem = f"{problem}; {TAB_HINT}"
    elif space is not None:
        problem = f"{problem}; {space}"
    return f"{source}: {_at(mark)}{problem}"


# Characters YAML reserves at the start of a plain value (`owner: @platform-team`, a GitHub team):
# the scanner says only that it "cannot start any token".
_RESERVED_FIRST = ("@", "`", "%")
# The longest plain (simple) key YAML's scanner takes (the YAML 1.1 spec's 1024 characters).
_PLAIN_KEY_MAX = 1024


def _needs_quotes(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> tuple[tuple[Any, ...], str] | None:
    """The field and the fix of a plain value YAML cannot read and quotes make text: one starting
    with a character YAML reserves, one holding `: ` (`owner: team: a`). None for other errors."""
    if mark is None:
        return None
    problem = str(exc.problem or "")
    if problem == "found character that cannot start any token":
        first = _character_at(text, mark.line, mark.column)
        if first not in _RESERVED_FIRST:
            return None
        message = f"a value cannot start with {first} unquoted (YAML reserves it); put the value in quotes"
        return _path_at(text, mark.line, mark.column), message
    if problem.startswith("mapping values are not allowed"):
        before = text.split("\n")[mark.line][: mark.column]
        if ": " in before or ":\t" in before:
            # the path of the value before the second `: `, not of the mapping around it
            message = "a value holding ': ' must be in quotes (YAML reads ': ' as the end of a key)"
            return _path_at(text, mark.line, max(mark.column - 1, 0)), message
        key = before.strip(" \t-")
        if len(key) > _PLAIN_KEY_MAX:  # the scanner takes no longer plain key, and said only the above
            message = f"a key of {len(key)} characters; YAML reads a plain key of at most {_PLAIN_KEY_MAX}"
            return _path_at(text, mark.line, len(before) - len(before.lstrip(" \t-"))), message  # the key's mapping
    return None


# Spaces that are no space to YAML (it separates and indents with U+0020 and tabs only): a
# no-break space pasted from a web page is text there, and the parser fails a line later, or at
# a colon, without naming it.
_UNICODE_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Characters that show as nothing, which YAML reads as text too: a soft hyphen, zero-width
# spaces, non-joiners and joiners, a word joiner, and a byte order mark anywhere but the file's
# start (two files joined); the parser failed on a later line where nothing looked wrong.
_INVISIBLE_CHARS = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_INVISIBLE = re.compile(f"[{''.join(_INVISIBLE_CHARS)}]")


def _in_structure(line: str, at: int) -> bool:
    """Whether an invisible character at `at` stands where YAML reads structure: in a line's
    indentation, or between a key's colon and its value. Inside text (a comment, a quoted value) a
    zero-width joiner or a soft hyphen is part of the words (an emoji, Persian text, a hyphenated
    name), and was blamed for an error elsewhere."""
    before = line[:at].rstrip(" \t")
    return not before.strip("".join(_INVISIBLE_CHARS)) or before.endswith(":")


def _unicode_space(text: str, last_line: int) -> str | None:
    """A sentence naming the first space or invisible character YAML reads as text, on the lines
    up to `last_line` (0-based, where the parser failed), or None."""
    import unicodedata

    for number, line in enumerate(text.split("\n")[: last_line + 1]):
        if number == 0:
            line = line.removeprefix("\ufeff")  # the file's own byte order mark is no character of it
        invisible = (m for m in _INVISIBLE.finditer(line) if _in_structure(line, m.start()))
        found = min(
            (m for m in (_UNICODE_SPACE.search(line), next(invisible, None)) if m is not None),
            key=lambda m: m.start(),
            default=None,
        )
        if found is not None:
            char = found.group()
            column = found.start() + 1 + (number == 0 and text.startswith("\ufeff"))
            what = (
                "which YAML reads as text, not as a space; type an ordinary space there"
                if _UNICODE_SPACE.match(char)
                else "an invisible character YAML reads as text; delete it"
            )
            return (
                f"line {number + 1}, column {column} holds U+{ord(char):04X} ({unicodedata.name(char).lower()}), {what}"
            )
    return None


def _text_after(text: str, mark: Any) -> str:
    """What follows a mark's line and column in the text."""
    lines = text.split("\n")
    if mark.line >= len(lines):
        return ""
    return "\n".join([lines[mark.line][mark.column :], *lines[mark.line + 1 :]])


def _unclosed_flow(text: str) -> tuple[str, Any] | None:
    """The innermost `[` or `{` still open where the text stops parsing: its kind and mark."""
    opened: list[tuple[str, Any]] = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
                kind = "sequence" if isinstance(token, yaml.FlowSequenceStartToken) else "mapping"
                opened.append((kind, token.start_mark))
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)) and opened:
                opened.pop()
    except yaml.YAMLError:  # the scanner stops where the parser did, or earlier: what was open then
        pass
    return opened[-1] if opened else None


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def _reader_message(exc: yaml.reader.ReaderError, source: str, text: str) -> str:
    """A character YAML does not allow (a NUL, a BEL, a lone surrogate): where it is (line,
    column, and the field holding it when the document around it says), what it is, the fix."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:  # the reader and this check disagree: the reader's reason, without its offsets
        return f"{source}: {exc.reason}"
    if looks_wide(text[:64]):  # ASCII as UTF-16 or UTF-32 without a mark: valid UTF-8, NULs between letters
        return f"{source}: not UTF-8 text: the file {_LOOKS_WIDE}; save it as UTF-8"
    return _character_message(found, source, text, "is not allowed in YAML")


def refuse_yaml_11_line_breaks(text: str, source: str) -> None:
    """InputError (one line) for a NEL, LS or PS anywhere in `text` (see _YAML_11_LINE_BREAK)."""
    found = _YAML_11_LINE_BREAK.search(text)
    if found is not None:
        raise InputError(
            _character_message(found, source, text, "is a line break to this reader and text to YAML 1.2 editors")
        )


def _character_message(found: re.Match[str], source: str, text: str, why: str) -> str:
    """The one line naming the character `found` holds: what it is, `why` it is refused, where
    (line and column as editors count them, by LF) and the field holding it, and the fix."""
    char = found.group()
    line = text.count("\n", 0, found.start())
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1)
    if line == 0 and text.startswith("\ufeff"):  # a byte-order mark is no column, as YAML counts them
        column -= 1
    kind = "control character" if unicodedata.category(char) == "Cc" else "character"
    message = f"{kind} U+{ord(char):04X} {why}; remove it"
    # the text around it without it, nor any other refused character, to find the field holding it
    rest = _YAML_11_LINE_BREAK.sub("_", _NOT_PRINTABLE.sub("_", text[found.end() :]))
    placeholder = _YAML_11_LINE_BREAK.sub("_", text[: found.start()]) + "_" + rest
    return _located(source, _path_at(placeholder, line, column), message, _Mark(line, column))


@dataclass(frozen=True)
class _Mark:
    line: int
    column: int


def _located(source: str, parts: tuple[Any, ...], message: str, mark: Any) -> str:
    """The one line of a problem at `mark` below the field path `parts`, as spec errors read:
    `source: path: message (line L, column C)`, or `source: line L, column C: message` at the top."""
    path = path_text(parts)  # keys as YAML text (str), list items as int
    if not path:
        return f"{source}: {_at(mark)}{message}"
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{source}: {path}: {message}{where}"


def not_utf8_name(path: str | os.PathLike[str]) -> str:
    """Why DuckDB and the Parquet writer cannot take `path` (a byte of its name that is not UTF-8,
    which they failed on with a traceback), or empty."""
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")  # each such byte as its escape (`\\xff`)
    return "" if shown == os.fspath(path) else f"{shown}: its name holds a byte that is not UTF-8; rename it"


_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


_LOOKS_WIDE = "looks UTF-16 or UTF-32 (NUL bytes between its letters)"


def looks_wide(head: bytes | str) -> bool:
    """Whether the start of a file is ASCII written as UTF-16 or UTF-32 without a byte-order
    mark: a NUL beside every letter (UTF-8 text of a spec holds none)."""
    nul = b"\x00" if isinstance(head, bytes) else "\x00"
    return bool(head) and head.count(nul) * 3 >= len(head)  # type: ignore[arg-type]  # bytes with bytes, str with str


def not_utf8(source: str, error: UnicodeDecodeError, what: str = "text", yaml_text: bool = False) -> str:
    """One line for a file that is not UTF-8: the byte, its line and column, and the fix (a
    Latin-1 `é` or a UTF-16 file said only "byte 326"). In YAML (`yaml_text`), the field the byte
    is in too, read from the text with the byte replaced."""
    data, start = bytes(error.object), error.start
    line = data.count(b"\n", 0, start)
    column = len(data[data.rfind(b"\n", 0, start) + 1 : start].decode("utf-8", errors="replace"))
    mark = yaml.Mark(source, start, line, column, None, 0)
    # UTF-32's marks first: little-endian UTF-32's begins with UTF-16's
    encoding = next((f"is {name}" for mark, name in _BYTE_ORDER_MARKS if data.startswith(mark)), "")
    if not encoding and looks_wide(data[:64]):
        encoding = _LOOKS_WIDE
    utf16 = bool(encoding)
    message = (
        f"not UTF-8 {what}: byte 0x{data[start]:02X} is no UTF-8 character"
        + (f"; the file {encoding}" if encoding else "")
        + "; save it as UTF-8"
    )
    parts = _path_at(data.decode("utf-8", errors="replace"), line, column) if yaml_text and not utf16 else ()
    # a wide file's lines and columns, counted as UTF-8, are not where an editor shows the byte
    return _located(source, parts, message, None if encoding == _LOOKS_WIDE else mark)


def _path_at(text: str, line: int, column: int, node: bool = False) -> tuple[Any, ...]:
    """The field path of what YAML `text` holds at (line, column), from its event stream (read
    up to there, or up to a syntax error before it): the key or item whose value spans it, else
    the innermost collection open there. Keys as written (YAML's own text of them). With `node`,
    a collection that starts there is named itself, not its first item (a node its tag cannot be
    built from: `!!int [1]`)."""
    position = (line, column)
    # per open collection: [path, is_mapping, key or index, waiting for a key, is a complex key]
    stack: list[list[Any]] = []

    def inner() -> tuple[Any, ...]:
        if not stack:
            return ()
        path, is_mapping, step, waiting, _ = stack[-1]
        return path if (is_mapping and (waiting or step is None)) else (*path, step)

    def advance() -> None:
        if stack:
            if stack[-1][1]:
                stack[-1][3] = True
            else:
                stack[-1][2] += 1

    try:
        for event in yaml.parse(text, Loader=_base_loader()):
            if isinstance(event, yaml.CollectionEndEvent):
                if stack and not stack.pop()[4]:  # after a complex key, its mapping's value comes
                    advance()
                continue
            started, ended = event.start_mark, event.end_mark
            if started is None or ended is None:
                continue
            if not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
                continue
            start, end = (started.line, started.column), (ended.line, ended.column)
            if start > position:
                break
            top = stack[-1] if stack else None
            if top is not None and top[1] and top[3]:  # a mapping's key
                top[2], top[3] = (event.value if isinstance(event, yaml.ScalarEvent) else None), False
                if isinstance(event, yaml.ScalarEvent) and position < end:
                    return tuple(top[0])  # in the key itself: the mapping holds it
                if isinstance(event, yaml.CollectionStartEvent):  # a complex key: within its mapping
                    is_mapping = isinstance(event, yaml.MappingStartEvent)
                    stack.append([tuple(top[0]), is_mapping, None if is_mapping else 0, is_mapping, True])
                continue
            path = inner()
            if isinstance(event, yaml.CollectionStartEvent):
                if node and start == position:
                    return path
                is_mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append([path, is_mapping, None if is_mapping else 0, is_mapping, False])
                continue
            if position < end:
                return path
            advance()
    except yaml.YAMLError:
        pass
    return inner()


@lru_cache(maxsize=1)
def _base_loader() -> type[yaml.SafeLoader]:
    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return base


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _MappingProblem(yaml.constructor.ConstructorError):
    """A key of `mapping` refused while the document is built (given twice, not a plain value):
    named by its field path (`parts`, found from the document's root when the error reaches
    `load_yaml`) and the line and column of the key."""

    def __init__(self, mapping: yaml.MappingNode, below: tuple[Any, ...], problem: str, mark: Any):
        super().__init__(None, None, problem, mark)
        self.mapping = mapping
        self.below = below
        self.parts: tuple[Any, ...] = below


def _walk(root: yaml.Node) -> Iterator[tuple[yaml.Node, tuple[Any, ...]]]:
    """Each node under `root` once, with its field path, depth first in document order (aliases
    followed, merged mappings too; a key that is no scalar is walked as `?`). Iterative: a
    document may nest deeper than Python's recursion limit."""
    stack: list[tuple[yaml.Node, tuple[Any, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node, path
        if isinstance(node, yaml.MappingNode):
            children: list[tuple[yaml.Node, tuple[Any, ...]]] = []
            for key, value in node.value:
                named = key.value if isinstance(key, yaml.ScalarNode) else "?"
                children += [(key, (*path, "?")), (value, (*path, named))]
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, (*path, i)) for i, item in enumerate(node.value)]
        else:
            continue
        stack.extend(reversed(children))


def _path_of(root: yaml.Node, target: yaml.Node) -> tuple[Any, ...]:
    """The field path from `root` to the node `target` (its first place in the document: where an
    anchored mapping is written, not where an alias repeats it)."""
    return next((path for node, path in _walk(root) if node is target), ())


def _reaches(start: yaml.Node, target: yaml.Node) -> bool:
    """Whether `target` is `start` or within it."""
    return any(node is target for node, _ in _walk(start))


def _key_not_text(key_node: yaml.ScalarNode, key: Any) -> str:
    """Why a key YAML read as no text is refused, in the words of `yaml_typed`, and the fix."""
    if key is None:
        typed = "null"
    elif isinstance(key, bool | _dt.date | LongNumber):
        typed = str(yaml_typed(key)).split(" (YAML reads", 1)[0]
    elif isinstance(key, int | float):
        typed = f"the number {number_words(key) if isinstance(key, int) else key}"
    else:  # !!binary: bytes, only by its tag
        return f"a key must be text; a tag makes {show(str(key_node.value))} {type(key).__name__}; remove the tag"
    written = str(key_node.value)
    written = written if len(written) <= MAX_SHOWN and written.isprintable() else show(written)
    if key_node.style:  # quoted, and tagged as no text (`!!int "3"`)
        return f"a key must be text; a tag makes {written} {typed}; remove the tag"
    return f"a key must be text; YAML reads an unquoted {written} as {typed}; put it in quotes"


@lru_cache(maxsize=1)
def _unique_key_loader() -> type[yaml.SafeLoader]:
    """The safe loader (libyaml when present) refusing duplicate and non-scalar keys."""

    class Loader(_base_loader()):  # type: ignore[misc]  # a base class chosen at run time (libyaml when present)
        pass

    def key_of(loader: yaml.SafeLoader, node: yaml.MappingNode, key_node: yaml.Node) -> str:
        """The key `key_node` of `node` as text; refused when it is no plain value or YAML reads it
        as no text (`yes`, `~`, `3`, `2024-01-01`): a key is a field's name, always text."""
        mark = key_node.start_mark
        if not isinstance(key_node, yaml.ScalarNode):
            raise _MappingProblem(node, (), "a key must be a plain value", mark)
        if key_node.tag == "tag:yaml.org,2002:value":  # `=`: text, as the safe loader's flattening makes it
            key_node.tag = "tag:yaml.org,2002:str"
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise _MappingProblem(node, (key_node.value,), _key_not_text(key_node, key), mark)
        return key

    def flatten(loader: yaml.SafeLoader, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """The pairs of `node` after its merge key (`<<: *defaults`), each key once: what it merges
        first, then its own pairs, which override merged ones (the purpose of `<<`). Refused: a key
        given twice, in `node` or in a mapping it merges; a key two merged mappings give and `node`
        does not (the safe loader kept either, by the identity of Python strings); a merge of a
        mapping that holds `node` (it would hold itself: a RecursionError, or a refusal naming no
        field). `node.value` becomes these pairs, as the safe loader's own flattening leaves it."""
        own: dict[str, yaml.Node] = {}
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        merge: tuple[yaml.Node, yaml.Node] | None = None
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE_TAG:
                if merge is not None:
                    raise _MappingProblem(
                        node, ("<<",), "duplicate key; a mapping merges (<<) once", key_node.start_mark
                    )
                merge = (key_node, value_node)
                continue
            key = key_of(loader, node, key_node)
            if key in own:
                raise _MappingProblem(node, (key_node.value,), "duplicate key", key_node.start_mark)
            own[key] = key_node
            pairs.append((key_node, value_node))
        if merge is None:
            node.value = pairs
            return pairs
        merge_key, merge_value = merge
        listed = isinstance(merge_value, yaml.SequenceNode)
        sources = merge_value.value if isinstance(merge_value, yaml.SequenceNode) else [merge_value]
        merged: dict[str, tuple[tuple[yaml.Node, yaml.Node], int]] = {}
        for i, source in enumerate(sources):
            where = ("<<", i) if listed else ("<<",)
            if not isinstance(source, yaml.MappingNode):
                got = "a list" if isinstance(source, yaml.SequenceNode) else f"the value {show(str(source.value))}"
                raise _MappingProblem(node, where, f"merges mappings only (<<: *name), got {got}", source.start_mark)
            if _reaches(source, node):
                raise _MappingProblem(node, ("<<",), "merges the mapping it is in", merge_key.start_mark)
            for pair in flatten(loader, source):
                key = loader.construct_object(pair[0], deep=True)
                if key in own:
                    continue  # the mapping's own key overrides every merged one
                # the same pair reached twice (`<<: [*b, *a]` where b merges a) is no conflict
                if key in merged and merged[key][1] != i and merged[key][0][0] is not pair[0]:
                    first = merged[key][0][0].start_mark
                    raise _MappingProblem(
                        node,
                        (key,),
                        "given by two mappings merged here (<<), also at "
                        f"line {first.line + 1}, column {first.column + 1}; keep one, or set it in this mapping",
                        pair[0].start_mark,
                    )
                merged[key] = (pair, i)
        flat = [pair for pair, _ in merged.values()] + pairs
        node.value = flat
        return flat

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # `!!map x`: the tag on a scalar or a list
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping node, but found {node.id}", node.start_mark
            )
        flatten(loader, node)  # YAML's merge keys, each key once: nothing left for the safe loader's flattening
        return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)

    def construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        """A date as YAML 1.1 reads it, and one that is no date (2026-13-01) as the text it is:
        PyYAML raised ValueError building it, a traceback from any field. Text, it meets the
        field's own check, which names the field and what is allowed."""
        try:
            return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
        except ValueError:
            return loader.construct_scalar(node)
        except AttributeError:  # `!!timestamp x`, no date at all: only an explicit tag makes one of it
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"!!timestamp {str(node.value)!r} is not a date; give one, or leave the tag out",
                node.start_mark,
            ) from None

    def tagged(construct: Any, kind: str) -> Any:
        """`construct`, refusing in one line (the field and the tag named) content its explicit tag
        cannot hold: `!!int 2048.5`, `!!bool maybe`. PyYAML's own constructors raised ValueError,
        IndexError or KeyError, a traceback from any field."""

        def checked(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
            try:
                return construct(loader, node)
            except (ValueError, IndexError, KeyError):
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"{tag} {str(node.value)!r} is not {kind}; give one, or leave the tag out",
                    node.start_mark,
                ) from None

        return checked

    def construct_number(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        """An int or a float as YAML 1.1 reads it, unless that reading is not the number its
        digits say (octal, base 60): then the Numeral naming both. An integer of more digits
        than `max_int_digits()` a LongNumber: Python refused converting it (ValueError past 4300
        digits, a traceback from any field), and no field takes it."""
        text = str(node.value)
        sexagesimal = isinstance(node, yaml.ScalarNode) and ":" in text  # `!!int [1]`: PyYAML names the node
        if node.tag == "tag:yaml.org,2002:int":
            digits = text.replace("_", "").lstrip("+-")
            if digits.isdigit() and not digits.startswith("0") and len(digits) > max_int_digits():
                return LongNumber(len(digits), text.startswith("-"))  # decimal: counted, never converted
            if sexagesimal:  # base 60: PyYAML's own reading is quadratic in the parts
                sixty = base_sixty(text, floating=False)
                if isinstance(sixty, LongNumber):
                    return sixty
                whole: int = int(sixty)
            else:  # 0x..., 0b..., octal: converted in linear time (no limit), then counted
                whole = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
            if whole.bit_length() > 3.32 * max_int_digits() and (digits_of := digit_count(whole)) > max_int_digits():
                return LongNumber(digits_of, whole < 0)
            value: int | float = whole
        else:
            if sexagesimal:  # base 60: PyYAML's own reading raised OverflowError past 1.8e308
                sixty_float = base_sixty(text, floating=True)
                assert not isinstance(sixty_float, LongNumber)  # a float past its range is infinity
                value = float(sixty_float)
            else:
                value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
            if not math.isfinite(value) and text.lstrip("+-").lower() not in {".inf", ".nan"}:  # past 1.8e308
                return Numeral(text, _INFINITE)
            if value == 0:  # -0.0 is 0, and reports, plans and compare.json printed it as -0
                value = 0.0
        # plain, or quoted under an explicit tag (`!!int "03000"` is octal too): a number either way
        return _number_numeral(text, value) or value

    def construct_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        """Text, and unquoted text written as a number (`08123`, `1e3`) a Numeral saying why YAML
        1.1 read no number in it: otherwise a number field would say to remove quotes there are not."""
        text = yaml.constructor.SafeConstructor.construct_yaml_str(loader, node)
        if not node.style and isinstance(text, str):
            if loader.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str":  # type: ignore[no-untyped-call]  # PyYAML's resolver is untyped
                # unquoted text YAML reads as a number, boolean, null or date reaches here only
                # under an explicit !!str: the tag, not YAML 1.1, made it text
                return Numeral(text, STR_TAG)
            return _text_numeral(text) or text
        return text

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    Loader.add_constructor("tag:yaml.org,2002:int", tagged(construct_number, "an integer"))
    Loader.add_constructor("tag:yaml.org,2002:float", tagged(construct_number, "a number"))
    Loader.add_constructor(
        "tag:yaml.org,2002:bool",
        tagged(yaml.constructor.SafeConstructor.construct_yaml_bool, "a boolean (true or false)"),
    )
    Loader.add_constructor("tag:yaml.org,2002:str", construct_text)
    return Loader


def _refuse_other_yaml_versions(text: str, source: str) -> None:
    """A `%YAML 1.2` directive, refused: PyYAML reads every document by YAML 1.1's rules, where
    `on` is a boolean, `0b101` a number and `1_000` a thousand, and it took the directive
    without a word, so a file written for 1.2 meant something else here."""
    for number, line in enumerate(text.split("\n")):
        stripped = line.strip()
        if stripped.startswith("%YAML"):
            version = stripped.split()[1] if len(stripped.split()) > 1 else ""
            if version and version != "1.1":  # none: the parser says what is wrong
                raise InputError(
                    f"{source}: line {number + 1}, column 1: %YAML {version} is not read here: groundlink reads "
                    "YAML 1.1 (yes, no, on and off are booleans); remove the directive or write %YAML 1.1"
                )
        elif stripped and not stripped.startswith(("#", "%")):  # directives come before the document
            return


def load_yaml(text: str, source: str) -> Document:
    """Parse one YAML document within the bounds above; InputError (one line) on any failure."""
    refuse_yaml_11_line_breaks(text, source)
    _refuse_other_yaml_versions(text, source)
    check_bounds(text, source)
    loader = _unique_key_loader()(text)
    root = None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        if isinstance(exc, _MappingProblem) and root is not None:
            exc.parts = _path_of(root, exc.mapping) + exc.below
        raise InputError(_yaml_message(exc, source, text)) from None
    except RecursionError:  # a backstop: check_bounds keeps documents far shallower
        raise InputError(f"{source}: nested too deeply") from None
    finally:
        loader.dispose()
    return Document(data, root, text)


class JsonConstant(ValueError):
    """NaN, Infinity or -Infinity: Python's JSON reader takes them, JSON (RFC 8259, the Pulumi
    CLI, AWS's APIs) does not."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"{name} is not a finite number")


def _refuse_constant(name: str) -> Any:
    raise JsonConstant(name)


def _finite(text: str) -> float:
    """A JSON number as a float, refused when it is past what a float holds (`1e999` reads as
    infinity, which no JSON, --json output included, may hold)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is not a finite number")
    return value


def _integer(text: str) -> int:
    """A JSON integer; past Python's 4,300 digits, one line instead of its advice on limits."""
    if len(text.lstrip("-")) > 4300:
        raise ValueError(f"a number of {len(text.lstrip('-'))} digits is past what any input holds")
    return int(text)


def strict_json(text: str) -> Any:
    """JSON text as JSON has it, where Python's reader is lenient: NaN and Infinity are refused
    (JsonConstant), a number past a float's range or 4,300 digits is refused in one line
    (ValueError), and a key given twice in one object is refused (DuplicateKey) where JSON
    readers keep the last without a word. Malformed text raises json.JSONDecodeError."""
    read = functools.partial(json.loads, text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_integer)
    try:  # a duplicate stops the reading where it is
        return read(object_pairs_hook=once_each)
    except DuplicateKey as duplicate:  # read again, marking it, to name where it is
        raise _first_duplicate(read(object_pairs_hook=_marking_once_each)) or duplicate from None


def look_alike(word: str) -> str:
    """For a word holding letters outside ASCII, a sentence naming them: a key with a Cyrillic o (U+043E)
    reads the same on screen as the ASCII one suggested for it, and the user cannot see what to
    change. Empty for an ASCII word."""
    foreign = dict.fromkeys(c for c in word if not c.isascii())
    if not foreign:
        return ""
    # the first three: twelve Arabic-Indic digits named one by one pushed the line past its length
    named = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c, '?')})" for c in list(foreign)[:3])
    if len(foreign) > 3:
        named += f" and {len(foreign) - 3} more"
    kind = "letter" if all(c.isalpha() for c in foreign) else "character"  # an en dash is no letter
    return f" It holds {named}, not an ASCII {kind}"


def did_you_mean(word: str, options: Iterable[str], prefix: str = "") -> str:
    """`; did you mean 'owner'?` for the option nearest `word` (shown after `prefix`), with the
    look-alike letters it holds; empty when none is near."""
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{prefix}{close[0]}'?{look_alike(word)}" if close else ""
