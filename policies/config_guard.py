"""The pack refuses a configuration naming a rule or a setting it does not have.

Under `pulumi preview --policy-pack-config FILE` this process is the only place a typo in
FILE can be caught. The CLI checks each rule's settings against the schema the pack reports,
but that schema does not close its properties, and a rule name the pack does not have is
passed on with its level (Pulumi's pkg/resource/analyzer/config.go). The policy SDK then keeps
whatever it is sent (`_PolicyAnalyzerServicer.Configure`, pulumi-policy 1.21). So
`{"allowed-regions": {"allowedAwsRegion": ["eu-west-1"]}}` ran `allowed-regions` with its
default, any region, and passed every stack without a word.

`install()` makes `Configure` answer such a request with INVALID_ARGUMENT and one line naming
the rule, the setting and what is allowed: the preview fails before any resource is judged, as
`groundlink check` refuses the same file before it plans (groundlink/check/config.py).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import json_format
from pulumi_policy import policy as sdk

from .registry import RULES

# What the CLI resolves itself and may pass on: `all` sets every rule's level.
CLI_KEYS = frozenset({"all"})
LEVEL_KEY = "enforcementLevel"


def _text(name: str) -> str:
    """A name as the file wrote it, quoted where it holds what would break the line."""
    return name if name.isprintable() and name.strip() == name and name else json.dumps(name)


def _nearest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def config_problem(config: Mapping[str, Mapping[str, Any]], settings: Mapping[str, Iterable[str]]) -> str | None:
    """The first rule or setting in `config` (rule name -> its properties) that `settings`
    (rule name -> the names of its settings) does not have, as one line; None when all are
    known."""
    for name in sorted(config):
        if name in CLI_KEYS:
            # the CLI applies `all`'s level and passes the entry on with its properties, which
            # configure no rule: a setting written there is lost as surely as a misspelt one
            extra = sorted(key for key in config[name] if key != LEVEL_KEY)
            if extra:
                return (
                    f"policy pack config: {name}.{_text(extra[0])}: `{name}` sets only {LEVEL_KEY}; put "
                    "properties under the policy they configure"
                )
            continue
        if name not in settings:
            return f"policy pack config: {_text(name)}: unknown policy{_nearest(name, settings)}"
        known = [LEVEL_KEY, *settings[name]]
        for key in sorted(config[name]):
            if key not in known:
                allowed = ", ".join(known)
                return (
                    f"policy pack config: {name}.{_text(key)}: unknown property; allowed: {allowed}"
                    f"{_nearest(key, known)}"
                )
    return None


def _settings() -> dict[str, list[str]]:
    return {rule.name: list(rule.config) for rule in RULES}


def _guarded(configure: Any) -> Any:
    def guarded_configure(self: Any, request: Any, context: Any) -> Any:
        config = {name: json_format.MessageToDict(entry.properties) for name, entry in request.policyConfig.items()}
        problem = config_problem(config, _settings())
        if problem is not None:  # grpc as the SDK serves with it: the pack imports only the SDK and protobuf
            context.abort(sdk.grpc.StatusCode.INVALID_ARGUMENT, problem)
        return configure(self, request, context)

    guarded_configure.configures = configure  # type: ignore[attr-defined]  # install() again wraps the SDK's own
    return guarded_configure


def install() -> None:
    """Guard the SDK's `Configure` (once per process; a second call wraps the SDK's own)."""
    servicer = sdk._PolicyAnalyzerServicer
    own = getattr(servicer.Configure, "configures", servicer.Configure)
    servicer.Configure = _guarded(own)
