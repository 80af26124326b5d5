"""A diff as text, in the shape of `pulumi preview --diff`: one line per resource with its
operation symbol, the inputs that changed beneath it, and what forces each replacement."""

from __future__ import annotations

import json
from typing import Any

from ..inputs import escaped, one_line
from . import rules
from .changes import ACTIONS, PENDING_WHY, RETIRED, Change, Diff
from .state import Opaque

SYMBOL = {"create": "+", "update": "~", "replace": "+-", "delete": "-"}
VALUE_CHARS = 80


def _whole(value: Any) -> Any:
    """Whole floats as integers: a plan's numbers pass through protobuf Structs, which hold only
    floats, so a spec's 365 came back as 365.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def _text(value: Any) -> str:
    """A value as one line, whole: a note (`(unknown until deployed)`) as it is, the rest as JSON."""
    if isinstance(value, str) and value.startswith("("):
        return one_line(value, len(value) * 10)
    text = json.dumps(_whole(value), default=str)
    return one_line(text, len(text) * 10)  # an escaped character takes at most ten (\U0001f600)


def _value(value: Any) -> str:
    if isinstance(value, Opaque):
        return value.shown
    return one_line(_text(value), VALUE_CHARS)


def _changed(old: Any, new: Any) -> tuple[str, str]:
    """The two sides of an update, each within VALUE_CHARS. Cut in the middle, two long values
    that differ only there looked the same (`"s3://...-raw-6f26…satellite=${satellite}/"` on
    both sides): then each shows its start, and the stretch where they first differ."""
    if isinstance(old, Opaque) or isinstance(new, Opaque):
        return _value(old), _value(new)
    texts = _text(old), _text(new)
    shown = tuple(one_line(text, VALUE_CHARS) for text in texts)
    if shown[0] != shown[1] or texts[0] == texts[1]:
        return shown[0], shown[1]
    at = next((i for i, (a, b) in enumerate(zip(*texts, strict=False)) if a != b), min(map(len, texts)))
    head, before = 12, 16  # the value's start, and what stands before the first difference
    window = VALUE_CHARS - head - 2

    def around(text: str) -> str:
        end = at - before + window
        return text[:head] + "…" + text[at - before : end] + ("…" if end < len(text) else "")

    return around(texts[0]), around(texts[1])


def _property_line(change: Change, path: str, kind: str, old: Any, new: Any) -> str:
    forcing = rules.forced_by(path, frozenset(change.forced_by)) if change.action == "replace" else []
    forced = " (forces replacement)" if forcing else ""
    if kind == "+":
        return f"        + {path}: {_value(new)}{forced}"
    if kind == "-":
        return f"        - {path}: {_value(old)}{forced}"
    shown_old, shown_new = _changed(old, new)
    return f"        ~ {path}: {shown_old} => {shown_new}{forced}"


def change_lines(change: Change) -> list[str]:
    head = f"    {SYMBOL[change.action]:>2} {change.type} {change.name} {change.action}"
    if change.action == "replace" and not change.rules_known:
        head += f" [may be forced by {', '.join(change.forced_by)}: replacement rules for this type not recorded]"
    elif change.action == "replace":
        head += f" [forced by {', '.join(change.forced_by)}]"
    if change.pending:
        head += f" [{PENDING_WHY[change.pending]}]"
    if change.loses_data and change.irreplaceable:
        head += f"  CANNOT BE CREATED AGAIN: {RETIRED}"
    elif change.action == "create" and change.irreplaceable:  # `pulumi up` fails on it
        head += f"  CANNOT BE CREATED: {RETIRED}"
    elif change.loses_data:
        head += "  DATA LOSS: stateful resource"
    elif change.unprotects:
        head += "  PROTECTION REMOVED: stateful resource"
    elif change.shortened:
        head += "  RETENTION SHORTENED: data deleted sooner"
    elif change.action == "update" and not change.rules_known:
        head += "  (replacement rules for this type not recorded)"
    lines = [head, *(_property_line(change, p.path, p.kind, p.old_shown, p.new_shown) for p in change.properties)]
    return [escaped(line) for line in lines]  # a name or key with a newline (OLD's JSON) stays one line


def render_text(diff: Diff) -> list[str]:
    lines = [f"{diff.cloud}: {diff.old} -> {diff.new}"]
    for change in diff.changes:
        lines += change_lines(change)
    for item in diff.not_compared:
        lines.append(escaped(f"     ? {item.type} {item.name} {item.path}: {item.shown} not compared ({item.why})"))
    lines.append(f"    {counts_text({a: diff.count(a) for a in ACTIONS}, diff.unchanged, len(diff.not_compared))}")
    lines += [escaped(f"    note: {note}") for note in diff.notes]
    lines += [f"    cannot apply: {line}" for line in diff.unappliable]
    return [escaped(lines[0]), *lines[1:]]


def counts_text(counts: dict[str, int], unchanged: int, uncompared: int) -> str:
    """A cloud's diff in counts, as the terminal and the report say it: `1 to update; 81
    unchanged; 1 input(s) not compared`."""
    done = ", ".join(f"{counts[a]} to {a}" for a in ACTIONS if counts.get(a))
    tail = f"; {uncompared} input(s) not compared" if uncompared else ""
    return f"{done or 'no changes'}; {unchanged} unchanged{tail}"
