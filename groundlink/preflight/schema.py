"""The pinned providers' input schema, derived from their installed Python SDKs.

The provider packages carry no bundled schema file, but every resource's
`<Name>Args` class is generated from it: the `__init__` signature says which
inputs are required, its type hints give each input's type (input types are
`*Args` classes whose `pulumi.getter` names are the wire names, closed enums
are `Enum` subclasses from `_enums.py`). Walking those hints yields the
schema the provider's `Check` applies, for exactly the package versions
installed, with no hand-written list of properties. Derivation is cached per
class, so a process pays for each type once.
"""

from __future__ import annotations

import collections.abc
import enum
import importlib
import inspect
import keyword
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any

PACKAGES = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native", "azure-native": "pulumi_azure_native"}


@dataclass(frozen=True)
class Scalar:
    """A JSON scalar: `str`, `int`, `float`, `bool`, or `any` (the schema says nothing)."""

    kind: str


@dataclass(frozen=True)
class Closed:
    """A closed enum: the provider accepts exactly these values."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class ListOf:
    item: Schema


@dataclass(frozen=True)
class MapOf:
    value: Schema


@dataclass(frozen=True)
class OneOf:
    """A union the SDK declares, e.g. `Union[str, PolicyDocumentArgs]` or an open enum."""

    options: tuple[Schema, ...]


@dataclass(frozen=True)
class Prop:
    """One input: its wire name, whether the SDK requires it, and its type (derived on first use)."""

    wire: str
    required: bool
    hint: Any = field(compare=False, repr=False)
    module: str = field(compare=False, repr=False)

    @property
    def schema(self) -> Schema:
        return _schema(self.hint, self.module)


@dataclass(frozen=True, eq=False)
class Obj:
    """An input object (a resource's args or a nested `*Args` type), keyed by wire name.

    Its properties are resolved on first use, so recursive input types terminate.
    """

    cls: type
    _props: dict[str, Prop] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.cls.__name__

    @property
    def props(self) -> dict[str, Prop]:
        if not self._props:
            self._props.update(_object_props(self.cls))
        return self._props


Schema = Scalar | Closed | ListOf | MapOf | OneOf | Obj

ANY = Scalar("any")
_SCALARS: dict[object, Scalar] = {str: Scalar("str"), int: Scalar("int"), float: Scalar("float"), bool: Scalar("bool")}


def provider_class(type_token: str) -> type:
    """The SDK class of a resource type token (`aws:s3/bucket:Bucket` -> `pulumi_aws.s3.Bucket`).

    Pulumi's Python code generator names a module that is a Python keyword with a trailing
    underscore (`aws:lambda/function:Function` -> `pulumi_aws.lambda_.Function`), as the
    package's own registration (`"fqn": "pulumi_aws.lambda_"`) says."""
    package, module, name = type_token.split(":")
    root = PACKAGES[package]
    module = module.split("/")[0]
    if keyword.iskeyword(module):
        module += "_"
    mod = importlib.import_module(root if module == "index" else f"{root}.{module}")
    cls = getattr(mod, name)
    assert isinstance(cls, type)
    return cls


@cache
def resource_schema(type_token: str) -> Obj | None:
    """The input schema of a resource type, or None for types no pinned provider declares."""
    if type_token.split(":")[0] not in PACKAGES:
        return None
    try:
        resource = provider_class(type_token)
    except (ImportError, AttributeError, ValueError):
        return None
    module = vars(inspect.getmodule(resource))
    # `<Name>InitArgs` where an input type already holds the name `<Name>Args`.
    args = module.get(f"{resource.__name__}InitArgs") or module.get(f"{resource.__name__}Args")
    return _obj(args) if isinstance(args, type) else None


@cache
def always_in_state(type_token: str) -> frozenset[str]:
    """The wire names of a pulumi-aws resource's properties that always hold a value in its
    state: Terraform's Required or Computed attributes, which the bridged SDK types `Output[T]`
    where an optional one is `Output[Optional[T]]` (`Bucket.bucket`, `Queue.name`,
    `CatalogDatabase.catalog_id`; not `Bucket.force_destroy`). An input of one of them that a
    program leaves out keeps its state's value: the provider computes it (the bridge's diff
    reads the program's inputs against the state). Empty for a type no installed SDK declares."""
    try:
        resource = provider_class(type_token)
    except (ImportError, AttributeError, ValueError, KeyError):
        return frozenset()
    found = set()
    for wire, attr in ((w, a) for a, w in _wire_names(resource).items()):
        annotation = inspect.signature(getattr(resource, attr).fget).return_annotation
        (inner,) = typing.get_args(annotation) or (None,)
        if inner is not None and type(None) not in typing.get_args(inner):
            found.add(wire)
    return frozenset(found)


@cache
def _obj(cls: type) -> Obj:
    return Obj(cls)


def _wire_names(cls: type) -> dict[str, str]:
    """Python attribute name -> wire name, from the `pulumi.getter(name=...)` on each property."""
    names: dict[str, str] = {}
    for attr, value in vars(cls).items():
        if isinstance(value, property) and value.fget is not None:
            names[attr] = getattr(value.fget, "_pulumi_name", attr)
    return names


def _object_props(cls: type) -> dict[str, Prop]:
    init = vars(cls)["__init__"]  # every generated args class defines its own
    names = _wire_names(cls)
    module = init.__globals__["__name__"]
    props: dict[str, Prop] = {}
    for param in inspect.signature(init).parameters.values():
        if param.kind is not param.KEYWORD_ONLY:
            continue
        wire = names.get(param.name, param.name)
        optional = type(None) in _flatten(param.annotation, module)
        props[wire] = Prop(wire, param.default is inspect.Parameter.empty and not optional, param.annotation, module)
    return props


@cache
def _forward(expression: str, module: str) -> Any:
    """A forward reference of the generated SDKs: an input type or enum of the same module,
    or `Output[T]` inside `pulumi.Input[T]`."""
    import sys

    import pulumi

    if expression.startswith("Output["):
        return pulumi.Output
    return eval(expression, vars(sys.modules[module]), {"Output": pulumi.Output, "T": type(None)})


def _is_wrapper(hint: Any) -> bool:
    """`pulumi.Input[T]` is `Union[T, Awaitable[T], Output[T]]`: only T describes the value."""
    origin = typing.get_origin(hint) or hint
    return origin is collections.abc.Awaitable or getattr(origin, "__name__", "") == "Output"


def _flatten(hint: Any, module: str) -> list[Any]:
    """The members of a (nested) union, forward references resolved."""
    if isinstance(hint, typing.ForwardRef):
        hint = _forward(hint.__forward_arg__, module)
    if typing.get_origin(hint) is typing.Union:
        return [leaf for arg in typing.get_args(hint) for leaf in _flatten(arg, module)]
    return [hint]


@cache
def _schema(hint: Any, module: str) -> Schema:
    options = [h for h in _flatten(hint, module) if h is not type(None) and not _is_wrapper(h)]
    schemas: list[Schema] = []
    for option in options:
        schema = _single(option, module)
        if schema not in schemas:
            schemas.append(schema)
    if any(s == ANY for s in schemas) or not schemas:
        return ANY
    if len(schemas) == 1:
        return schemas[0]
    # An enum beside a plain string is an open enum: the provider accepts any string.
    if Scalar("str") in schemas:
        schemas = [s for s in schemas if not isinstance(s, Closed)]
    return schemas[0] if len(schemas) == 1 else OneOf(tuple(schemas))


def _single(hint: Any, module: str) -> Schema:
    if hint in _SCALARS:
        return _SCALARS[hint]
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (collections.abc.Sequence, list) and args:
        return ListOf(_schema(args[0], module))
    if origin in (collections.abc.Mapping, dict) and len(args) == 2:
        return MapOf(_schema(args[1], module))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return Closed(hint.__name__, tuple(str(member.value) for member in hint))
    if _is_input_type(hint):
        return _obj(hint)
    return ANY


def _is_input_type(hint: Any) -> bool:
    from pulumi import _types

    return isinstance(hint, type) and _types.is_input_type(hint)
