"""AWS policy documents checked against the IAM JSON policy grammar.

Every role, inline policy, bucket, queue, topic and key policy the AWS stack plans is a JSON
document that IAM (or the service holding it) parses when it is written: a malformed one fails
`pulumi up` with MalformedPolicyDocument, while the mocks and the provider schema take any
string. The grammar (IAM User Guide, "IAM JSON policy element reference",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html, read
2026-12-06):

- a document holds `Version`, `Id` and `Statement` only; `Version` is "2012-10-17" or
  "2008-10-17" ("Version");
- a statement holds `Sid`, `Effect`, `Principal` or `NotPrincipal`, `Action` or `NotAction`,
  `Resource` or `NotResource`, and `Condition` only, with exactly one of `Action` and
  `NotAction`;
- "The Effect element is required ... Valid values for Effect are Allow and Deny. The Effect
  value is case sensitive." ("Effect");
- a principal is "*" or a map of `AWS`, `Service`, `Federated` and `CanonicalUser` ("Principal");
- an action is "*" or `service:action`, the prefix and the name case-insensitive ("Action").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..engine.plan import Plan
from .findings import Finding

SOURCE = "IAM User Guide, IAM JSON policy element reference"
DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})
VERSIONS = frozenset({"2012-10-17", "2008-10-17"})
STATEMENT_KEYS = frozenset(
    {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)
EFFECTS = frozenset({"Allow", "Deny"})
PRINCIPAL_KEYS = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})
ACTION = re.compile(r"^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$")


def _documents(value: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every policy document in an input: a JSON string or an object holding `Statement`."""
    if isinstance(value, str) and "Statement" in value:
        try:
            parsed = json.loads(value)
        except ValueError:
            return
        if isinstance(parsed, dict):
            yield path, parsed
    elif isinstance(value, dict):
        if "Statement" in value:
            yield path, value
            return
        for key, item in value.items():
            yield from _documents(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _documents(item, f"{path}[{i}]")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def problems(document: dict[str, Any]) -> Iterator[tuple[str, Any, str]]:
    """(path inside the document, value, what is wrong) for each break of the grammar."""
    for key in sorted(set(document) - DOCUMENT_KEYS):
        yield key, document[key], f"{key!r} is no policy element; allowed: {', '.join(sorted(DOCUMENT_KEYS))}"
    if "Version" in document and document["Version"] not in VERSIONS:
        yield "Version", document["Version"], f"allowed: {', '.join(sorted(VERSIONS))}"
    statements = document.get("Statement")
    for i, statement in enumerate(_as_list(statements)):
        at = f"Statement[{i}]" if isinstance(statements, list) else "Statement"
        if not isinstance(statement, dict):
            yield at, statement, "a statement is an object"
            continue
        yield from _statement_problems(statement, at)


def _statement_problems(statement: dict[str, Any], at: str) -> Iterator[tuple[str, Any, str]]:
    for key in sorted(set(statement) - STATEMENT_KEYS):
        yield (
            f"{at}.{key}",
            statement[key],
            f"{key!r} is no statement element; allowed: {', '.join(sorted(STATEMENT_KEYS))}",
        )
    if statement.get("Effect") not in EFFECTS:
        yield f"{at}.Effect", statement.get("Effect"), "Effect is required: Allow or Deny, as written (case sensitive)"
    if ("Action" in statement) == ("NotAction" in statement):
        yield at, sorted(statement), "exactly one of Action and NotAction"
    for key in ("Action", "NotAction"):
        for action in _as_list(statement.get(key, [])):
            if not (isinstance(action, str) and ACTION.match(action)):
                yield f"{at}.{key}", action, "an action is * or service:action"
    for key in ("Principal", "NotPrincipal"):
        if key in statement:
            principal = statement[key]
            if isinstance(principal, dict):
                for name in sorted(set(principal) - PRINCIPAL_KEYS):
                    yield f"{at}.{key}.{name}", principal[name], f"allowed: {', '.join(sorted(PRINCIPAL_KEYS))}"
            elif principal != "*":
                yield f"{at}.{key}", principal, 'a principal is "*" or a map of AWS, Service, Federated, CanonicalUser'


def aws_findings(plan: Plan) -> Iterator[Finding]:
    for resource in plan.custom():
        if not resource.type.startswith(("aws:", "aws-native:")):
            continue
        for key, value in resource.inputs.items():
            for path, document in _documents(value, key):
                for inside, found, why in problems(document):
                    yield Finding(resource.name, resource.type, f"{path} {inside}", found, why, SOURCE)
