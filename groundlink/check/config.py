"""Pack configuration, reconciled the way the Pulumi CLI does it.

The CLI reads `--policy-pack-config FILE` (JSON: policy name -> enforcement
level string, or an object with `enforcementLevel` and properties; `all` sets
every level), starts from each policy's schema defaults, applies the pack's
initial config, then the file, and validates the result against the schemas.
Beyond the CLI, unknown policy and property names are rejected too: in a CI
gate a typo must not silently switch a guard back to its default.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..inputs import DuplicateKey, InputTooLarge, once_each, read_input

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


class PackConfigError(UsageError):
    """An invalid pack config: one line naming the field and what is allowed."""


@dataclass
class PolicySettings:
    enforcement: str
    properties: dict[str, Any] = field(default_factory=dict)


Given = dict[str, PolicySettings]  # enforcement "" = not given


def _level(where: str, value: Any) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise PackConfigError(f"{where}: {json.dumps(value)} is not an enforcement level; allowed: {', '.join(LEVELS)}")
    return value


def parse_config(doc: Any, source: str = "policy pack config") -> Given:
    if not isinstance(doc, dict):
        raise PackConfigError(f"{source}: must be a JSON object of policy name -> level or settings")
    given: Given = {}
    for name, value in doc.items():
        if isinstance(value, str):
            given[name] = PolicySettings(_level(f"{source}: {name}", value))
        elif isinstance(value, dict):
            props = dict(value)
            level = (
                _level(f"{source}: {name}.enforcementLevel", props.pop("enforcementLevel"))
                if "enforcementLevel" in props
                else ""
            )
            if name == "all" and props:  # would be dropped silently: properties belong to one policy
                raise PackConfigError(
                    f"{source}: all.{next(iter(props))}: `all` sets only enforcementLevel; "
                    "put properties under the policy they configure"
                )
            given[name] = PolicySettings(level, props)
        else:
            raise PackConfigError(
                f"{source}: {name}: {json.dumps(value)} must be an enforcement level ({', '.join(LEVELS)}) or an object"
            )
    return given


def load_config_file(path: str | Path) -> Given:
    path = Path(path)
    try:
        text = read_input(path)
    except OSError as error:
        raise PackConfigError(f"{path}: cannot read policy pack config ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise PackConfigError(f"{path}: policy pack config is not UTF-8 text (byte {error.start})") from None
    except InputTooLarge as error:
        raise PackConfigError(f"{path}: {error}; not a policy pack config") from None
    if not text.strip():
        return {}
    try:
        doc = json.loads(text, object_pairs_hook=once_each)
    except json.JSONDecodeError as error:
        raise PackConfigError(f"{path}: line {error.lineno}: not valid JSON ({error.msg})") from None
    except DuplicateKey as duplicate:
        raise PackConfigError(
            f"{path}: {duplicate.key!r} is given twice in one object; keep one (JSON readers keep the last silently)"
        ) from None
    return parse_config(doc, str(path))


@dataclass
class PolicySchema:
    name: str
    enforcement: str
    properties: dict[str, dict[str, Any]]
    required: list[str]


def _allowed(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return ", ".join(json.dumps(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "boolean":
        return "true, false"
    if kind == "array":
        return f"a list of {schema.get('items', {}).get('type', 'value')}s"
    return f"a {kind}" if kind else "see the policy's schema"


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def reconcile(
    schemas: list[PolicySchema], given: Given | None, initial: Given | None = None
) -> dict[str, PolicySettings]:
    """Defaults, then the pack's initial config, then the file; validated."""
    import jsonschema

    result = {
        s.name: PolicySettings(s.enforcement, {k: v["default"] for k, v in s.properties.items() if "default" in v})
        for s in schemas
    }
    by_name = {s.name: s for s in schemas}
    for layer in (initial or {}, given or {}):
        if "all" in layer and layer["all"].enforcement:
            for settings in result.values():
                settings.enforcement = layer["all"].enforcement
        for name, settings in layer.items():
            if name == "all":
                continue
            if name not in by_name:
                raise PackConfigError(
                    f"policy pack config: unknown policy {name!r}{_did_you_mean(name, list(by_name))}"
                )
            if settings.enforcement:
                result[name].enforcement = settings.enforcement
            result[name].properties.update(settings.properties)
    for schema in schemas:
        props = result[schema.name].properties
        for key in props:
            if key not in schema.properties:
                known = ["enforcementLevel", *schema.properties]
                raise PackConfigError(
                    f"policy pack config: {schema.name}.{key}: unknown property; allowed: {', '.join(known)}"
                    f"{_did_you_mean(key, known)}"
                )
        document = {"type": "object", "properties": schema.properties, "required": schema.required}
        error = jsonschema.exceptions.best_match(jsonschema.Draft7Validator(document).iter_errors(props))
        if error is not None:
            path = ".".join(str(p) for p in error.absolute_path) or (
                error.message.split("'")[1] if error.validator == "required" else ""
            )
            top = str(error.absolute_path[0]) if error.absolute_path else path
            raise PackConfigError(
                f"policy pack config: {schema.name}.{path}: {json.dumps(error.instance)} is invalid "
                f"({error.message}); allowed: {_allowed(schema.properties.get(top, {}))}"
            )
    return result
