"""Each resource's properties are converted once per Analyzer request, not once per policy.

For every policy the policy SDK runs, it converts the resource's properties again: protobuf
Struct to dict (`json_format.MessageToDict`), secrets and assets decoded
(`deserialize_properties`), every list and dict wrapped for unknown values
(`unknown_checking_proxy`). In `AnalyzeStack` it does so for every resource once per stack
policy. With this pack's policies that is about fifty conversions of each resource per
request. They were 90% of the pack's analysis time, while the rules themselves took 5%
(2026-12-02, cProfile of the SDK's servicer over the noaa20 example stacks).

`install()` keeps each conversion's result for the length of one `Analyze` or `AnalyzeStack`
call, keyed by the object converted. A repeated conversion of the same message, dict or
decoded dict then returns the first result. The memo is per thread (the SDK serves requests
from a thread pool) and is dropped when the call returns. Conversions outside those two
calls, or with options (`Remediate` decodes with secrets kept), go straight to the SDK.

The policies therefore share one read-only view of a resource's properties. No rule of this
pack writes to `args.props` (tests/test_pack_request_memo.py checks that the pack reports
the same violations with and without the memo).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format
from pulumi_policy import policy as sdk

_request = threading.local()


def _memo() -> dict[tuple[int, int], tuple[Any, Any]] | None:
    return getattr(_request, "memo", None)


def _once_per_request(convert: Callable[..., Any]) -> Callable[..., Any]:
    """`convert`, answered from the running request's memo for an object it has seen."""

    @functools.wraps(convert)
    def once(value: Any, *args: Any, **kwargs: Any) -> Any:
        memo = _memo()
        if memo is None or args or kwargs:
            return convert(value, *args, **kwargs)
        key = (id(once), id(value))
        hit = memo.get(key)
        if hit is None:
            # the memo holds the object too, so no other object can take its id during the call
            hit = memo[key] = (value, convert(value))
        return hit[1]

    once.converts = convert  # type: ignore[attr-defined]  # install() again wraps the SDK's own function
    return once


def _with_a_memo(method: Callable[..., Any]) -> Callable[..., Any]:
    """An Analyzer method that runs with a fresh memo on its thread, dropped when it returns."""

    @functools.wraps(method)
    def call(self: Any, request: Any, context: Any) -> Any:
        _request.memo = {}
        try:
            return method(self, request, context)
        finally:
            _request.memo = None

    call.converts = method  # type: ignore[attr-defined]  # install() again wraps the SDK's own method
    return call


def _own(function: Any) -> Any:
    return getattr(function, "converts", function)


def install() -> None:
    """Memoize the SDK's three conversions within `Analyze` and `AnalyzeStack` (once per process)."""
    servicer = sdk._PolicyAnalyzerServicer
    for name in ("Analyze", "AnalyzeStack"):
        setattr(servicer, name, _with_a_memo(_own(getattr(servicer, name))))
    json_format.MessageToDict = _once_per_request(_own(json_format.MessageToDict))
    sdk.deserialize_properties = _once_per_request(_own(sdk.deserialize_properties))
    sdk.unknown_checking_proxy = _once_per_request(_own(sdk.unknown_checking_proxy))
