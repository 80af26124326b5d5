"""The pack's short path from resource properties (a protobuf Struct) to dicts gives exactly what
protobuf's generic `json_format.MessageToDict` gives, which is what the policy SDK's rules saw
before it: the same values, the same key order, the same error for a number JSON cannot hold."""

from __future__ import annotations

import importlib
import math

import pytest
from google.protobuf import json_format, struct_pb2
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.check import import_pack

from .conftest import cached_plan

PACK = import_pack()
struct_dicts = importlib.import_module(PACK.__name__.rsplit(".", 1)[0] + ".struct_dicts")
GENERIC = getattr(json_format.MessageToDict, "generic", json_format.MessageToDict)

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-(2**53), 2**53)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


def _struct(data: dict) -> struct_pb2.Struct:
    return json_format.ParseDict(data, struct_pb2.Struct())


def _same(struct: struct_pb2.Struct) -> None:
    ours, theirs = struct_dicts.struct_to_dict(struct), GENERIC(struct)
    assert ours == theirs
    assert repr(ours) == repr(theirs)  # key order and number types too (1.0, not 1)


@pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_every_planned_resource_converts_as_protobuf_converts_it(spec, cloud):
    resources = cached_plan(spec, cloud).resources
    assert len(resources) > 20
    for resource in resources:
        for bag in (resource.inputs, resource.outputs):
            _same(_struct(bag))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.dictionaries(st.text(max_size=8), JSON, max_size=6))
def test_generated_structs_convert_as_protobuf_converts_them(data):
    _same(_struct(data))


@pytest.mark.parametrize("number", [math.inf, -math.inf, math.nan])
def test_a_number_json_cannot_hold_is_the_same_error(number):
    struct = struct_pb2.Struct()
    struct.fields["x"].number_value = number
    with pytest.raises(ValueError) as generic:
        GENERIC(struct)
    with pytest.raises(ValueError) as ours:
        struct_dicts.struct_to_dict(struct)
    assert str(ours.value) == str(generic.value)


def test_a_value_with_no_kind_is_null_as_in_protobuf():
    struct = struct_pb2.Struct()
    struct.fields["unset"].Clear()
    struct.fields["x"].list_value.values.add()
    assert struct_dicts.struct_to_dict(struct) == GENERIC(struct) == {"unset": None, "x": [None]}


def test_install_takes_default_struct_calls_only_and_stays_one_layer_deep(monkeypatch):
    monkeypatch.setattr(json_format, "MessageToDict", GENERIC)
    seen = []
    monkeypatch.setattr(struct_dicts, "struct_to_dict", lambda s: seen.append(s) or {"short": True})
    assert struct_dicts.install() is GENERIC
    assert struct_dicts.install() is GENERIC
    struct = _struct({"a_b": 1})
    assert json_format.MessageToDict(struct) == {"short": True} and seen == [struct]
    # other options, other messages: protobuf's own function, unchanged
    assert json_format.MessageToDict(struct, preserving_proto_field_name=True) == {"a_b": 1.0}
    value = struct_pb2.Value(string_value="s")
    assert json_format.MessageToDict(value) == "s"
    assert seen == [struct]
