"""The inputs the program gave each resource, for the stack rules, which see outputs only.

AnalyzeStack gives a stack rule each resource's outputs (pulumi/pulumi
stepGenerator.AnalyzeResources: "AnalyzeStack is called on the final outputs of each resource"),
and after `pulumi up` those hold what the provider read back whatever the program set: an S3
bucket's default encryption, versioning and policy, a topic's or key's default policy; and
azure-native leaves a resource's path parameters out of them (a diagnostic setting's
`resourceUri`). The engine calls Analyze with each resource's inputs before it calls
AnalyzeStack, in the same pack process, so the servicer keeps each Analyze request's properties
by URN (whatever rules are enabled: the SDK runs resource rules only in Analyze) and forgets them
all when a stack is configured (a warm pack analyzes stack after stack). A resource no Analyze of
this stack saw has none: its rules read its outputs.
"""

from __future__ import annotations

import threading
from typing import Any

_INPUTS: dict[str, Any] = {}
_LOCK = threading.Lock()  # Analyze requests are served from a thread pool


def inputs_of(resource: Any) -> Any:
    """The properties Analyze gave `resource` (as the SDK gives a rule its `props`), or None."""
    urn = getattr(resource, "urn", None) or ""
    with _LOCK:
        held = _INPUTS.get(urn)
        if held is None or not _is_struct(held):
            return held
    from google.protobuf import json_format
    from pulumi_policy import policy as sdk

    props = sdk.unknown_checking_proxy(sdk.deserialize_properties(json_format.MessageToDict(held)))
    with _LOCK:
        _INPUTS[urn] = props  # converted once, when a rule first asks
    return props


def _is_struct(value: Any) -> bool:
    return hasattr(value, "ListFields")  # a protobuf message: kept as the request carried it


def install() -> None:
    """Have the SDK's servicer keep each Analyze request's properties and forget them when a
    stack is configured."""
    from pulumi_policy import policy as sdk

    servicer = sdk._PolicyAnalyzerServicer
    for name, wrap in (("Analyze", _keeping), ("ConfigureStack", _forgetting)):
        setattr(servicer, name, wrap(getattr(servicer, name)))


def _keeping(analyze: Any) -> Any:
    def kept_analyze(self: Any, request: Any, context: Any) -> Any:
        if request.urn:
            with _LOCK:
                _INPUTS[request.urn] = request.properties  # converted only if a stack rule asks
        return analyze(self, request, context)

    return kept_analyze


def _forgetting(configure_stack: Any) -> Any:
    def forgetting_configure_stack(self: Any, request: Any, context: Any) -> Any:
        with _LOCK:
            _INPUTS.clear()
        return configure_stack(self, request, context)

    return forgetting_configure_stack
