"""Pack configuration, reconciled the way the Pulumi CLI does it.

The CLI reads `--policy-pack-config FILE` (JSON: policy name -> enforcement
level string, or an object with `enforcementLevel` and properties; `all` sets
every level), starts from each policy's schema defaults, applies the pack's
initial config, then the file, and validates the result against the schemas.
Beyond the CLI, unknown policy and property names are rejected too: in a CI
gate a typo must not silently switch a guard back to its default.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..inputs import (
    BOM,
    DuplicateKey,
    InputTooLarge,
    JsonConstant,
    did_you_mean,
    json_problem,
    key_text,
    not_utf8,
    one_line,
    read_input,
    strict_json,
)

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
DEFAULT_SOURCE = "policy pack config"
EXPECTED = 'a JSON object of policy name -> level or settings, e.g. {"all": "mandatory"}'
MAX_LISTED = 12  # policy names listed in an "unknown policy" line; a whole pack's would not fit one line


class PackConfigError(UsageError):
    """An invalid pack config: one line naming the field and what is allowed."""

    def __init__(self, message: str):
        super().__init__(one_line(message))  # whatever a value held: one line, bounded


@dataclass
class PolicySettings:
    enforcement: str
    properties: dict[str, Any] = field(default_factory=dict)
    source: str = field(default=DEFAULT_SOURCE, compare=False)  # the file the settings came from, for errors


Given = dict[str, PolicySettings]  # enforcement "" = not given


def _shown(value: Any) -> str:
    """A JSON value as echoed in a message: as JSON, never the whole of a long one."""
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _level(where: str, value: Any) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        hint = did_you_mean(value, list(LEVELS)) if isinstance(value, str) else ""
        raise PackConfigError(
            f"{where}: {_shown(value)} is not an enforcement level; allowed: {', '.join(LEVELS)}{hint}"
        )
    return value


def parse_config(doc: Any, source: str = DEFAULT_SOURCE) -> Given:
    if not isinstance(doc, dict):
        raise PackConfigError(f"{source}: must be {EXPECTED}, got {_shown(doc)}")
    given: Given = {}
    for name, value in doc.items():
        where = f"{source}: {key_text(name)}"
        if isinstance(value, str):
            given[name] = PolicySettings(_level(where, value), source=source)
        elif isinstance(value, dict):
            props = dict(value)
            level = (
                _level(f"{where}.enforcementLevel", props.pop("enforcementLevel"))
                if "enforcementLevel" in props
                else ""
            )
            if name == "all" and props:  # would be dropped silently: properties belong to one policy
                raise PackConfigError(
                    f"{where}.{key_text(next(iter(props)))}: `all` sets only enforcementLevel; "
                    "put properties under the policy they configure"
                )
            given[name] = PolicySettings(level, props, source)
        else:
            raise PackConfigError(
                f"{where}: {_shown(value)} is not allowed; allowed: an enforcement level ({', '.join(LEVELS)}) "
                "or an object of enforcementLevel and the policy's properties"
            )
    return given


@dataclass(frozen=True)
class LoadedConfig:
    """A pack config already read and checked, handed on instead of its path: a pipe
    (`--policy-pack-config <(...)`, `/dev/stdin`) can be read once, and compare's second read
    found it empty, after both clouds were planned."""

    given: Given


def load_config_file(path: str | Path) -> Given:
    from ..spec import _os_reason

    path = Path(path)
    try:
        text = read_input(path, keep_mark=True)
    except UnicodeDecodeError as error:
        raise PackConfigError(not_utf8(str(path), error, "policy pack config")) from None
    except InputTooLarge as error:
        raise PackConfigError(f"{path}: {error}; not a policy pack config") from None
    except (OSError, ValueError) as error:  # missing, a directory, no permission, a NUL in the name
        raise PackConfigError(f"{path}: cannot read policy pack config ({_os_reason(error)})") from None
    if text.startswith(BOM):
        # the Pulumi CLI reads the file with Go's encoding/json, which takes no byte order mark
        # (golang/go#12254): passed here, the same file failed `pulumi preview --policy-pack-config`
        raise PackConfigError(
            f"{path}: starts with a byte order mark (U+FEFF), which `pulumi preview --policy-pack-config` refuses "
            "(its JSON reader takes none); save the file as UTF-8 without one"
        )
    if not text.strip():  # not JSON: a file left empty by mistake would switch no guard at all
        raise PackConfigError(f"{path}: policy pack config is empty; expected {EXPECTED}")
    try:
        doc = strict_json(text)
    except json.JSONDecodeError as error:
        raise PackConfigError(f"{path}: not valid JSON: {json_problem(error)}") from None
    except JsonConstant as error:
        raise PackConfigError(
            f"{path}: {error.name} is not valid JSON; allowed: a JSON number, string or true/false"
        ) from None
    except DuplicateKey as duplicate:
        raise PackConfigError(
            f"{path}: {duplicate.where}: given twice in one object; keep one (JSON readers keep the last silently)"
        ) from None
    except ValueError as error:  # a number past a float's range or 4,300 digits
        raise PackConfigError(f"{path}: not valid JSON: {error}") from None
    except RecursionError:  # some 1,000 brackets deep: Python's reader gives up, as state.py's does
        raise PackConfigError(f"{path}: nested too deeply; expected {EXPECTED}") from None
    return parse_config(doc, str(path))


@dataclass
class PolicySchema:
    name: str
    enforcement: str
    properties: dict[str, dict[str, Any]]
    required: list[str]


_KINDS = {
    "string": ("a string", "strings"),
    "integer": ("an integer", "integers"),
    "number": ("a number", "numbers"),
    "boolean": ("true or false", "booleans"),
    "object": ("an object", "objects"),
    "array": ("a list", "lists"),
    "null": ("null", "nulls"),
}


def _number(value: Any) -> Any:
    """A schema's number as written: the pack's schemas come through protobuf, where every
    number is a float (`minItems: 1` arrives as 1.0)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _bounds(schema: dict[str, Any], low: str = "minimum", high: str = "maximum") -> str:
    """The limits a schema sets (minimum and maximum, or the keys named) in words, or ''."""
    words = []
    if low in schema:
        words.append(f"at least {_number(schema[low])}")
    if f"exclusive{low.capitalize()}" in schema:
        words.append(f"more than {_number(schema['exclusive' + low.capitalize()])}")
    if high in schema:
        words.append(f"at most {_number(schema[high])}")
    if f"exclusive{high.capitalize()}" in schema:
        words.append(f"less than {_number(schema['exclusive' + high.capitalize()])}")
    return " and ".join(words)


def _kind(kind: str, schema: dict[str, Any]) -> str:
    text = _KINDS.get(kind, (f"a {kind}", ""))[0]
    if kind == "array":
        items = schema.get("items")
        if isinstance(items, dict) and "enum" in items:
            text = f"a list of values from {_allowed(items)}"
        elif isinstance(items, dict) and items.get("type") == "string" and _number(items.get("minLength")) == 1:
            text = "a list of non-empty strings"  # a tag key, a region, a service: "" names none
        elif isinstance(items, dict) and isinstance(items.get("type"), str) and items["type"] in _KINDS:
            text = f"a list of {_KINDS[items['type']][1]}"
        else:
            text = "a list of values"
        if schema.get("uniqueItems"):
            text += ", each once"
        if limits := _bounds(schema, "minItems", "maxItems"):
            text += f" ({limits} of them)"
    elif kind in {"integer", "number"} and (limits := _bounds(schema)):
        text += f", {limits}"
    elif kind == "string":
        if _number(schema.get("minLength")) == 1 and "maxLength" not in schema:
            text = "a non-empty string"
        elif limits := _bounds(schema, "minLength", "maxLength"):
            text += f" of {limits} characters"
        if "pattern" in schema:
            text += f" matching {schema['pattern']}"
    return text


def _allowed(schema: dict[str, Any]) -> str:
    """What a property schema accepts, in words."""
    if "enum" in schema:
        return ", ".join(json.dumps(v) for v in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"])
    kinds = schema.get("type")
    if kinds == "boolean":
        return "true, false"
    if isinstance(kinds, str):
        return _kind(kinds, schema)
    if isinstance(kinds, list) and kinds:
        return " or ".join(_kind(str(k), schema) for k in kinds)
    return "see the policy's schema"


def _path_text(parts: Any) -> str:
    """A property path as the spec's messages spell one: `tags[1]`, `limits.max`."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{key_text(part)}"
    return text


# The schema keywords `_allowed` puts in words; a failure of any other is shown with the keyword itself.
_DESCRIBED = frozenset(
    [
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "pattern",
        "uniqueItems",
    ]
)


def _problem(error: Any) -> str:
    """One jsonschema error as what was given and what is allowed, in the spec's words
    (jsonschema's own wording, `'yes' is not of type 'boolean'`, names Python reprs)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "uniqueItems":
        seen: list[Any] = []
        for item in error.instance:
            if item in seen:
                return f"{_shown(item)} is given twice; allowed: {_allowed(schema)}"
            seen.append(item)
    if error.validator in _DESCRIBED:
        return f"{_shown(error.instance)} is not allowed; allowed: {_allowed(schema)}"
    rule = _shown({error.validator: error.validator_value})
    return f"{_shown(error.instance)} is not allowed; allowed: see the policy's schema ({rule})"


def _allowed_names(name: str, rules: Mapping[str, Any]) -> str:
    """The policy names to offer for an unknown `name`: all of them when they fit one line, else
    those sharing its leading words (its area: `azure-storage-...`), else where the list is."""
    names = ["all", *rules]
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    words = name.split("-")
    for length in range(len(words) - 1, 0, -1):
        prefix = "-".join(words[:length]) + "-"
        near = [rule for rule in rules if rule.startswith(prefix)]
        if 0 < len(near) <= MAX_LISTED:  # each named by what follows the prefix, to fit the line
            endings = ", ".join(rule[len(prefix) :] for rule in near)
            return f"all, or a rule name in docs/policies.md; those starting {prefix} end in: {endings}"
    return f"all, or one of the {len(rules)} rule names in docs/policies.md (its table of rules)"


def reconcile(
    schemas: list[PolicySchema], given: Given | None, initial: Given | None = None
) -> dict[str, PolicySettings]:
    """Defaults, then the pack's initial config, then the file; validated. An error names the
    file the offending setting came from (PolicySettings.source)."""
    import jsonschema

    result = {
        s.name: PolicySettings(s.enforcement, {k: v["default"] for k, v in s.properties.items() if "default" in v})
        for s in schemas
    }
    by_name = {s.name: s for s in schemas}
    origin: dict[tuple[str, str], str] = {}  # (policy, property) -> the source that set it last
    for layer in (initial or {}, given or {}):
        if "all" in layer and layer["all"].enforcement:
            for settings in result.values():
                settings.enforcement = layer["all"].enforcement
        for name, settings in layer.items():
            if name == "all":
                continue
            if name not in by_name:
                raise PackConfigError(
                    f"{settings.source}: {key_text(name)}: unknown policy; allowed: {_allowed_names(name, by_name)}"
                    f"{did_you_mean(name, list(by_name))}"
                )
            if settings.enforcement:
                result[name].enforcement = settings.enforcement
            result[name].properties.update(settings.properties)
            origin.update(((name, key), settings.source) for key in settings.properties)
    named = {name: s.source for name, s in (given or {}).items()}
    fallback = next(iter(named.values()), DEFAULT_SOURCE)  # the file, when one was given
    for schema in schemas:
        props = result[schema.name].properties
        for key in props:
            if key not in schema.properties:
                known = ["enforcementLevel", *schema.properties]
                raise PackConfigError(
                    f"{origin.get((schema.name, key), DEFAULT_SOURCE)}: {schema.name}.{key_text(key)}: "
                    f"unknown property; allowed: {', '.join(known)}{did_you_mean(key, known)}"
                )
        document = {"type": "object", "properties": schema.properties, "required": schema.required}
        error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(document).iter_errors(props))
        if error is None:
            continue
        if error.validator == "required":  # the name of the missing property is only in the message
            missing = next((r for r in schema.required if r not in props), "")
            source = named.get(schema.name, fallback)
            raise PackConfigError(
                f"{source}: {schema.name}.{key_text(missing)}: is required; "
                f"allowed: {_allowed(schema.properties.get(missing, {}))}"
            )
        top = str(error.absolute_path[0]) if error.absolute_path else ""
        raise PackConfigError(
            f"{origin.get((schema.name, top), fallback)}: {schema.name}{_path_text(error.absolute_path)}: "
            f"{_problem(error)}"
        )
    return result


def check_against_the_rules(given: Given | None) -> None:
    """The file's policy names, levels and properties judged against the pack's own rules
    (groundlink.policies, the same rules the pack process reports), before anything is planned:
    a misspelt policy was refused only once both clouds were planned, as the pack answered. The
    pack process judges the names again when it is configured (policies/config_guard.py), for a
    file the Pulumi CLI hands it."""
    if not given:
        return
    import importlib

    # by name: the pack is installed as groundlink.policies from policies/, outside the type check's files
    rules = importlib.import_module("groundlink.policies.pack").RULES
    reconcile([PolicySchema(rule.name, rule.enforcement, dict(rule.config), []) for rule in rules], given)
