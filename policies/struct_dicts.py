"""Resource properties as dicts, converted the way the policy SDK converts them, in a third of the time.

pulumi_policy turns every resource's properties (a `google.protobuf.Struct`) into a dict with
`json_format.MessageToDict`, once per resource in `Analyze` and again for every resource in
`AnalyzeStack`. That function is protobuf's generic, pure-Python JSON printer: it looks up
descriptors and field types for every value, and it was about half of this pack's analysis time
(2026-12-02, `py-spy` over repeated checks of the noaa20 example stacks). A Struct holds only
JSON values, so a converter for that one message type needs none of it.

`install()` puts the converter in front of `MessageToDict` in the pack's own process: Structs
converted with the default options take the short path, every other call goes to protobuf as
before. The result is the same dict, value for value and key order for key order
(tests/test_pack_struct_dicts.py compares both on every resource of the example plans and on
generated Structs), and the same ValueError for a number JSON cannot hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from google.protobuf import json_format

STRUCT = "google.protobuf.Struct"


def _value(value: Any) -> Any:
    """One `google.protobuf.Value` as JSON data, as json_format's printer gives it."""
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if math.isinf(number):
            raise ValueError("Fail to serialize Infinity for Value.number_value, which would parse as string_value")
        if math.isnan(number):
            raise ValueError("Fail to serialize NaN for Value.number_value, which would parse as string_value")
        return number
    if kind == "list_value":
        return [_value(item) for item in value.list_value.values]
    return None  # null_value, or a Value with no kind set


def struct_to_dict(struct: Any) -> dict[str, Any]:
    """A `google.protobuf.Struct` as a dict, in the map's own key order."""
    fields = struct.fields
    return {key: _value(fields[key]) for key in fields}


def install() -> Callable[..., Any]:
    """Route default-option Struct conversions to `struct_to_dict`; returns protobuf's own function."""
    generic: Callable[..., Any] = getattr(json_format.MessageToDict, "generic", json_format.MessageToDict)

    def message_to_dict(message: Any, *args: Any, **kwargs: Any) -> Any:
        if not args and not kwargs and message.DESCRIPTOR.full_name == STRUCT:
            return struct_to_dict(message)
        return generic(message, *args, **kwargs)

    message_to_dict.generic = generic  # type: ignore[attr-defined]  # install() again stays one layer deep
    json_format.MessageToDict = message_to_dict
    return generic
