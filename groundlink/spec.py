"""The mission spec: one cloud-neutral YAML document, validated up front.

Every limit comes from `groundlink.limits` so that a spec accepted here does
not fail later inside `pulumi up`. Errors name the field path and the allowed
values; `load_spec` turns every failure (YAML syntax, duplicate keys, wrong
types, unknown fields, ranges, contradictions) into a `SpecError` holding one
line per problem. Pure Python: no pulumi import.
"""

from __future__ import annotations

import decimal
import difflib
import functools
import json
import math
import os
import re
import typing
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.json_schema import GenerateJsonSchema, NoDefault
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError, ValidationError

from . import apishapes, limits
from .clouds import PROVIDER_REGION_KEYS
from .fieldpath import FieldPath, field_path, model_at
from .inputs import (
    MAX_LINE,
    OUT_OF_RANGE_ALLOWED,
    WITHIN_BOUNDS,
    Document,
    InputError,
    InputTooLarge,
    did_you_mean,
    given,
    load_yaml,
    look_alike,
    not_utf8,
    one_line,
    read_input,
    show,
    type_message,
    yaml_typed,
)
from .inputs import SpecError as SpecError  # raised here, caught by the command line from inputs
from .presets import PRESETS, Preset, egress_node_of, json_shape_problem
from .processing.config import SPACECRAFT_ID_MAX, CaptureFormat

IDENTIFIER = r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$"
# clouds.azure.global_name_seed: hashed into Azure's global names, never shown in one
GLOBAL_NAME_SEED = r"^[A-Za-z0-9._-]{1,64}$"
GUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
# No space first or last: `'   '` put a blank owner on every resource, and `' ops'` an owner that
# reads as `ops` in a console and groups apart from it in cost reports. (A tag of the spec's own may
# hold what the clouds take, a value of spaces included.)
OWNER_PATTERN = r"^[A-Za-z0-9._@+-](?:[A-Za-z0-9 ._@+-]*[A-Za-z0-9._@+-])?$"
TAG_KEY_PATTERN = r"^[A-Za-z0-9._:-]{1,64}$"
# Every class is spelt out in ASCII: `\d`, `\w` and `\s` mean Unicode digits, letters and spaces
# to pydantic's regex engine and to Python's, ASCII ones to an editor's (ECMA-262) JSON schema,
# and neither is what STS or IAM take (an Arabic-Indic digit passed `\d{12}`).
ACCOUNT_ID_PATTERN = r"^[0-9]{12}$"
# botocore 1.44.5 sts `externalIdType` ([\w+=,.@:\/-]*, documented as "upper- and lower-case
# alphanumeric characters with no spaces", underscores and +=,.@:/-), in ASCII
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9_+=,.@:/-]+$"
# An image reference as the container runtimes parse it, the grammar of distribution/reference
# v0.5.0 (reference.go): [domain[:port]/]path[:tag][@digest], the path's components lowercase,
# the domain's and the tag's not (`ghcr.io/acme/proc:V1.2`, as AWS Batch's `image` takes "uppercase
# and lowercase letters", botocore batch ContainerProperties.image); at most 255 characters (the
# same member's documentation), a bound the field keeps with max_length.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
_IMAGE_NAME = (
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
)
_IMAGE_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
# A digest is parsed too (reference.go's Parse calls go-digest's Parse): the algorithms registered
# are sha256, sha384 and sha512, each with exactly its length of lowercase hex (opencontainers/
# go-digest v1.0.0, algorithm.go: `^[a-f0-9]{64}$`, 96, 128; any other is ErrDigestUnsupported),
# so `@sha256:ABCD...`, a short hex or `@md5:` failed every job at the image pull.
_IMAGE_DIGEST = r"(?:sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})"
IMAGE_PATTERN = rf"^{_IMAGE_NAME}(?::{_IMAGE_TAG})?(?:@{_IMAGE_DIGEST})?$"
IMAGE_MAX_LENGTH = 255
# An address as SMTP carries it (RFC 5321 4.1.2 Dot-string, RFC 5322 3.2.3 atext): ASCII, dots
# only between atoms, a domain of letters, digits and hyphens in labels of at most 63 with a
# letter to start the last; an internationalized domain in its xn-- form. A text that only holds
# an address (`mailto:a@b.io`, `<a@b.io>`, `a@b.io,` copied from a list, `a@b..io`) is refused:
# it went to the budgets and the alert topic as it was.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL_PATTERN = rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?$"
# ... and within SMTP's sizes (RFC 5321 4.5.3.1): a local part of at most 64 octets, and a path of
# at most 256 with its angle brackets, so an address of at most 254; a domain past that is longer
# than DNS's 253 (RFC 1035 2.3.4, 255 octets on the wire). Past them a budget alert is never delivered.
EMAIL_MAX_LENGTH = 254
EMAIL_LOCAL_PART_MAX = 64


def _smtp_sized(address: str) -> str:
    local = address.rpartition("@")[0]
    if len(local) > EMAIL_LOCAL_PART_MAX:
        raise ValueError(
            f"{address!r}: the part before @ is {len(local)} characters; SMTP carries at most {EMAIL_LOCAL_PART_MAX}"
        )
    return address


# An IPv4 address as Azure's network rules and address prefixes take it: four decimal octets,
# no leading zero; a range in CIDR prefix notation only (pulumi_azure_native 3.29.0 storage
# `IPRuleArgs.i_p_address_or_range`: "the IP or IP range in CIDR format"), never a netmask.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(\.{_OCTET}){{3}}"
_PREFIX = r"/(3[0-2]|[12]?[0-9])"
# A mission network's address space (network_cidr_problem): RFC 1918, /16 to /24; its host bits
# are validate's alone.
NETWORK_CIDR_PATTERN = (
    rf"^(10(\.{_OCTET}){{3}}|172\.(1[6-9]|2[0-9]|3[01])(\.{_OCTET}){{2}}|192\.168(\.{_OCTET}){{2}})"
    r"/(1[6-9]|2[0-4])$"
)
IPV4_PATTERN = rf"^{_IPV4}$"
CIDR_PATTERN = rf"^{_IPV4}{_PREFIX}$"
IPV4_OR_CIDR_PATTERN = rf"^{_IPV4}({_PREFIX})?$"
# Legacy Orbital's delegated subnet: /24 or wider (limits.AOGS_MIN_SUBNET_PREFIX; a test holds the two together)
ORBITAL_SUBNET_CIDR_PATTERN = rf"^{_IPV4}/(2[0-4]|1?[0-9])$"
# The same, ranges /30 or wider only: Azure storage IP rules take no /31 or /32 (an address bare)
IPV4_OR_WIDE_CIDR_PATTERN = rf"^{_IPV4}(/(30|[12]?[0-9]))?$"
# Tag values: 1-256 ASCII letters, digits, spaces and _ . : / = + - @ (Mission._tags), the
# narrowest of the tagged resources': AWS Ground Station's configs, mission profiles and endpoint
# groups (CloudFormation registry schemas, limits.AWS_TAG_VALUE_PUNCTUATION), where most AWS
# services take any script's letters and an empty value.
TAG_VALUE_SCHEMA_PATTERN = r"^[A-Za-z0-9 _.:/=+@-]{1,256}$"
Identifier = Annotated[
    str,
    Field(
        pattern=IDENTIFIER,
        description="Identity name: 2-32 lowercase letters, digits and '-', starting with a letter and not "
        "ending with '-'. "
        "Logical resource names derive from identity names only, so renaming one replaces resources.",
    ),
]
# The preset names, spelled out for the type checker; a test keeps them equal to PRESETS.
PresetName = Literal["jpss1_hrd", "snpp_hrd", "aqua_db"]


def _fail(field: str | tuple[str | int, ...], message: str) -> PydanticCustomError:
    """An error attached to `field` of the model being validated: a dotted path, or a tuple
    of path parts when a part (a tag key) may itself hold dots."""
    return PydanticCustomError("spec", "{message}", {"field": field, "message": message})


class _Problems:
    """What one validator finds wrong, said all at once: a validator that raised at its first
    problem hid the others (memory_mb and timeout_seconds both out of bounds named one), where
    validate promises one line per problem. Each is a `_fail` error, raised together by `raise_any`."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.found: list[PydanticCustomError] = []

    def add(self, field: str | tuple[str | int, ...], message: str) -> None:
        self.found.append(_fail(field, message))

    def gather(self, check: Callable[[], None]) -> None:
        """Run a check that raises its problem (a `_fail` error, or several at once), keeping it."""
        try:
            check()
        except PydanticCustomError as error:
            self.found.append(error)

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:  # pydantic puts each at its field's path, under the model's own
            details = [InitErrorDetails(type=error, loc=(), input=None) for error in self.found]
            raise ValidationError.from_exception_data(self.title, details)


def _schema_range(bounds: tuple[float, float]) -> dict[str, JsonValue]:
    """The bounds a model validator enforces, stated in the JSON schema too (`groundlink schema`
    is the reference of every bound; a validator's bound alone was invisible there)."""
    return {"minimum": bounds[0], "maximum": bounds[1]}


def _range(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _fmt(x: float) -> str:
    """A number as the spec holds it, exactly: the shortest text that reads back as the same
    float (2300.0004, not `:g`'s 2300, which made "2300 is outside 2200-2300"), without a
    trailing `.0` (2300, not 2300.0), and in decimals where Python would write an exponent
    (0.000001, not 1e-06, which YAML 1.1 reads as text: a value a message offers is one the
    file can hold as written)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    text = repr(x)
    if "e" not in text or not math.isfinite(x):
        return text
    mantissa, exponent = text.split("e")
    if -20 <= int(exponent) < 0:  # a whole number in decimals would read back as an int
        return format(decimal.Decimal(text), "f")
    return f"{mantissa if '.' in mantissa else mantissa + '.0'}e{exponent}"  # YAML 1.1's float: 1.0e+300


def _whole(value: Any) -> Any:
    """A float with no fraction (180.0) is the whole number it equals, as a JSON schema's
    `integer` says (JSON has one kind of number); any other value is left to the strict int."""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 2**63:  # 1.0e+308 was echoed back as the 309 digits of its integer
            raise ValueError(f"{_fmt(value)} is out of range; allowed: {OUT_OF_RANGE_ALLOWED}")
        return int(value)
    return value


# An integer field: a whole number, 180 or 180.0, never a boolean (strict) nor 180.5.
WholeNumber = Annotated[int, BeforeValidator(_whole)]


def _no_boolean(expected: str) -> BeforeValidator:
    """A numeric choice (`version: 1`) is the number, not a boolean: Python's True equals 1, so
    Literal[1] took `version: yes`. Raised as the literal's own error (describe_error words it)
    with `expected` as pydantic words the choices."""

    def check(value: Any) -> Any:
        if isinstance(value, bool):
            raise PydanticCustomError("literal_error", "a boolean", {"expected": expected})
        return value

    return BeforeValidator(check)


def _default_note(model: BaseModel, field: str) -> str:
    """' (the default)' when the spec did not write `field` of `model`: a message about its value
    must not read as if the author had written it."""
    return "" if field in model.model_fields_set else " (the default)"


class _Model(BaseModel):
    # allow_inf_nan=False: `.inf` and `.nan` are YAML floats, and no field of a spec means either
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


# Tags groundlink puts on every resource itself (blueprint); a spec may not override them.
GROUNDLINK_TAGS = ("mission", "owner", "data-classification", "managed-by")
# ... and on some resources only, each with a meaning: the tag of the AWS roles a private
# mission's stores let in from outside the VPC (components/aws/iam.py), and the MTU of an Azure
# Orbital contact profile's endpoint (components/azure/ground.py). On every resource, a spec's
# `outside-vpc-writer` would let every role of the mission past that rule, and an
# `Endpoint-MTU` would be a second key Azure reads as the same tag.
OUTSIDE_VPC_TAG = "outside-vpc-writer"
ENDPOINT_MTU_TAG = "endpoint-mtu"
RESOURCE_TAGS = (OUTSIDE_VPC_TAG, ENDPOINT_MTU_TAG)


def _any_case(text: str) -> str:
    """`text` as a regex matching it in any case ([Aa][Ww][Ss]:), for a schema: ECMA-262 has no
    inline flag for it."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c if c in "-:" else re.escape(c) for c in text)


# The tag keys Mission._tags refuses, as the schema's regex: a reserved prefix, or a tag groundlink sets.
RESERVED_TAG_KEY_PATTERN = (
    f"^({'|'.join(_any_case(p) for p in limits.RESERVED_TAG_PREFIXES)}"
    f"|({'|'.join(_any_case(t) for t in (*GROUNDLINK_TAGS, *RESOURCE_TAGS))})$)"
)

# The tag values Mission._tags refuses for their start alone, as the schema's regex.
RESERVED_TAG_VALUE_PATTERN = f"^{_any_case(limits.AWS_RESERVED_TAG_VALUE_PREFIX)}"


def _tags_schema(schema: dict[str, Any]) -> None:
    """The schema of `mission.tags` refuses what validation does: a key outside TAG_KEY_PATTERN
    or reserved (patternProperties alone let any other key through), a value not text, longer
    than 256 or with a character AWS tag values refuse."""
    schema.pop("patternProperties", None)
    schema["propertyNames"] = {
        "pattern": TAG_KEY_PATTERN,
        "maxLength": 64,
        "not": {"pattern": RESERVED_TAG_KEY_PATTERN},
    }
    schema["additionalProperties"] = {
        "type": "string",
        "minLength": 1,
        "maxLength": 256,
        "pattern": TAG_VALUE_SCHEMA_PATTERN,
        "not": {"pattern": RESERVED_TAG_VALUE_PATTERN},
    }


def _reserved_name_pattern() -> str:
    """What `Mission._name` refuses, as one regex over a name IDENTIFIER already admits, for the
    schema's `not`: a start S3 reserves for the bucket names (`<name>-...`), `sg` (security
    groups), `primary` (Athena's workgroup), and Azure's reserved words with the name's dashes
    left out (the storage account's compact name)."""

    def dashed(word: str) -> str:  # the word, with any dashes between its letters
        return "-*".join(word)

    # lowercase letters, digits and dashes only, which an editor's (ECMA-262) regex takes unescaped
    starts = [
        f"{start[:-1]}(-|$)" for start in (*limits.S3_RESERVED_BUCKET_STARTS, limits.EC2_SECURITY_GROUP_RESERVED_START)
    ]
    return (
        f"^({'|'.join(starts)}|{limits.ATHENA_PRIMARY_WORKGROUP}$"
        f"|{'|'.join(dashed(w) for w in limits.AZURE_RESERVED_STARTS)})"
        f"|{'|'.join(dashed(w) for w in limits.AZURE_RESERVED_SUBSTRINGS)}"
        f"|{limits.AZURE_SYNAPSE_MANAGED_GROUP_SUFFIX}$"
    )


def _mission_name_schema(schema: dict[str, Any]) -> None:
    schema["not"] = {"pattern": _reserved_name_pattern()}


def _json_string_schema(schema: dict[str, Any]) -> None:
    """A demodulation or decode JSON as AWS Ground Station's `JsonString` shape takes it: its
    alphabet and length (botocore), which validate checks before the JSON itself."""
    schema["pattern"] = _json_string_pattern()
    schema["maxLength"] = limits.DEMOD_DECODE_JSON_MAX_CHARS


def _json_string_pattern() -> str:
    return f"^{_json_string_alphabet()}{{2,{limits.DEMOD_DECODE_JSON_MAX_CHARS}}}$"


def _azure_reserved(name: str) -> str | None:
    """What of Azure's reserved words a mission name would put into an Azure resource name, in
    words, or None. The rule binds resources with an endpoint (a DNS name); theirs hold the
    mission name as written (`kv-<mission>-...`) or without its dashes, at the start (the storage
    account `<mission><hash>`: compact_name in components/azure/naming.py). None of them is the
    mission name alone, so the whole-name reserved words (AZURE, XBOX, ...) cannot arise."""
    compact = name.replace("-", "")
    for word in limits.AZURE_RESERVED_SUBSTRINGS:
        if word in compact:
            dashes = "" if word in name else f" without its dashes (storage account {compact}...)"
            return f"holds {word.upper()}{dashes}"
    for word in limits.AZURE_RESERVED_STARTS:
        if compact.startswith(word):
            dashes = "" if name.startswith(word) else f" without its dashes (storage account {compact}...)"
            return f"starts with {word.upper()}{dashes}"
    return None


class Mission(_Model):
    """Who owns the mission and how its data is classified; both become tags."""

    name: Identifier = Field(
        description="Mission name; prefixes every logical resource name. Not a name the clouds reserve in the "
        "names it makes: starting xn--, sthree, amzn-s3-demo or sg, the name primary (Athena's workgroup), "
        "or holding microsoft or windows, or starting login, dashes left out (Azure), or ending -synapse-managed "
        "(another mission's Synapse managed resource group).",
        json_schema_extra=_mission_name_schema,
    )
    owner: str = Field(
        min_length=1, max_length=64, pattern=OWNER_PATTERN, description="Owning team or person (tag `owner`)."
    )
    data_classification: Literal["public", "internal", "confidential", "restricted"] = Field(
        "internal", description="Data classification (tag `data-classification`)."
    )
    tags: dict[Annotated[str, Field(pattern=TAG_KEY_PATTERN)], Annotated[str, Field(max_length=256)]] = Field(
        default_factory=dict,
        max_length=limits.TAGS_PER_RESOURCE_MAX - len(GROUNDLINK_TAGS),
        description="Extra tags put on every taggable resource (AWS and Azure tag rules both apply): keys of "
        "1-64 letters, digits and . _ : -, not reserved; values of 1-256 ASCII letters, digits, spaces and "
        "_ . : / = + - @ (AWS Ground Station's tag values).",
        json_schema_extra=_tags_schema,
    )

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        # S3 refuses a bucket name with a reserved start, and every bucket of the mission is named
        # `<name>-<role>-<the provider's unique id>` (components/aws/naming.py bucket_prefix; the
        # raw bucket starts `aws-groundstation-`): the name followed by `-` starts each one. The
        # mission part is trimmed only to 19 characters or more, longer than any reserved start,
        # and a bucket name ends in the provider's unique id, so no reserved suffix is reachable.
        reserved = [start for start in limits.S3_RESERVED_BUCKET_STARTS if f"{name}-".startswith(start)]
        if reserved:
            start, starts = reserved[0], limits.S3_RESERVED_BUCKET_STARTS
            whole = [bare for bare in (s.removesuffix("-") for s in starts) if re.fullmatch(IDENTIFIER, bare)]
            not_allowed = f"not allowed: a name starting {', '.join(starts)}, or the name {' or '.join(whole)}"
            if name.startswith(start):
                raise ValueError(
                    f"{name!r} starts with {start}, which S3 reserves for bucket names, and the mission's "
                    f"buckets are named after it; {not_allowed}"
                )
            raise ValueError(
                f"{name!r} starts the mission's bucket names with {start} ({name}-products-...), which S3 "
                f"reserves for bucket names; {not_allowed}"
            )
        if f"{name}-".startswith(limits.EC2_SECURITY_GROUP_RESERVED_START):
            raise ValueError(
                f"{name!r} starts the mission's security group names with {limits.EC2_SECURITY_GROUP_RESERVED_START} "
                f"({name}-processing-sg-...), which EC2 refuses (botocore ec2 CreateSecurityGroup GroupName: "
                f'"Can\'t start with sg-"); not allowed: a name starting sg-, or the name sg'
            )
        if name == limits.ATHENA_PRIMARY_WORKGROUP:
            raise ValueError(
                f"{name!r} names the mission's Athena workgroup {name!r}, the workgroup every AWS account "
                'already has (botocore athena DeleteWorkGroup: "The primary workgroup cannot be deleted"); '
                "allowed: any other name"
            )
        suffix = limits.AZURE_SYNAPSE_MANAGED_GROUP_SUFFIX
        if name.endswith(suffix):
            raise ValueError(
                f"{name!r} names the mission's Azure resource group rg-{name}, which is also the group "
                f"Synapse makes for the workspace of a mission named {name.removesuffix(suffix)}, and a "
                f"subscription holds one group of a name; not allowed: a name ending {suffix}"
            )
        azure = _azure_reserved(name)
        if azure:
            raise ValueError(
                f"{name!r} {azure}; Azure refuses it in the mission's resource names (ReservedResourceName; "
                f"{limits.AZURE_RESERVED_NAME_DOC}); not allowed: "
                f"{' or '.join(limits.AZURE_RESERVED_SUBSTRINGS)} anywhere, {' or '.join(limits.AZURE_RESERVED_STARTS)} "
                "first"
            )
        return name

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: dict[str, str]) -> dict[str, str]:
        # Azure tag names are case-insensitive (docs/facts.md §4): `Mission` is groundlink's
        # `mission` there, and `Team` and `team` one tag, so keys are compared ignoring case.
        seen: dict[str, str] = {}
        problems = _Problems("tags")
        for key, value in tags.items():  # one problem a tag, every tag judged
            # `isalnum` alone takes any script's letters and digits, which Ground Station refuses
            outside = [
                c for c in value if not (c.isascii() and c.isalnum()) and c not in limits.AWS_TAG_VALUE_PUNCTUATION
            ]
            if key.lower() in GROUNDLINK_TAGS:
                problems.add(
                    (key,),
                    f"{key!r} is set by groundlink ({', '.join(GROUNDLINK_TAGS)}; Azure tag names ignore case)",
                )
            elif key.lower() in RESOURCE_TAGS:
                problems.add(
                    (key,),
                    f"{key!r} is set by groundlink on some resources, where a spec's tag would change its meaning "
                    f"({', '.join(RESOURCE_TAGS)}; "
                    "Azure tag names ignore case)",
                )
            elif key.lower() in seen:
                problems.add(
                    (key,),
                    f"{key!r} and {seen[key.lower()]!r} are one tag on Azure, whose tag names ignore case; "
                    "keep one of them",
                )
            elif key.lower().startswith(limits.RESERVED_TAG_PREFIXES):
                problems.add(
                    (key,), f"{key!r} starts with a reserved prefix ({', '.join(limits.RESERVED_TAG_PREFIXES)})"
                )
            elif outside or not value:
                found = f"{value!r} has {outside[0]!r}" if outside else "an empty value"
                problems.add(
                    (key,),
                    f"{found}, which AWS Ground Station's tag values refuse (allowed: 1-256 ASCII letters, "
                    "digits, spaces and _ . : / = + - @)",
                )
            elif value.lower().startswith(limits.AWS_RESERVED_TAG_VALUE_PREFIX):
                problems.add(
                    (key,),
                    f"{value!r} starts with {limits.AWS_RESERVED_TAG_VALUE_PREFIX!r}, which AWS reserves in tag "
                    "values too (ECS, where container jobs' tasks carry the mission's tags); choose another value",
                )
            seen.setdefault(key.lower(), key)
        problems.raise_any()
        return tags


def _json_string_alphabet() -> str:
    """The character class of AWS Ground Station's `JsonString` shape (botocore model), with its
    `\\s` spelt out as the ASCII white space it means to the API's (Java) regex: Python's and an
    editor's `\\s` also take Unicode spaces (U+00A0, U+2003) the API refuses."""
    shape = apishapes.shape("groundstation", "JsonString")
    assert shape.pattern is not None
    alphabet = shape.pattern[: shape.pattern.rindex("{")]  # the character class before `{2,8192}`
    return alphabet.replace("\\s", " \\t\\n\\x0B\\f\\r")


def _outside_json_string(text: str) -> str | None:
    """The first character AWS Ground Station's `JsonString` shape refuses (botocore model), or None."""
    shape = apishapes.shape("groundstation", "JsonString")
    alphabet = _json_string_alphabet()
    bad = next((c for c in text if not re.fullmatch(alphabet, c)), None)
    if bad is None:
        return None
    return f"has {bad!r}, outside the API's JsonString alphabet; allowed: {alphabet} ({shape.source}, {shape.name})"


class Downlink(_Model):
    """One downlink of a satellite, as AWS Ground Station and the partner networks receive it."""

    name: Identifier
    delivery: Literal["digif", "demod_decode"] = Field(
        "demod_decode",
        description="digif: raw digitised IF (VITA-49, ~30x the bitstream); demod_decode: demodulated, decoded frames.",
    )
    center_frequency_mhz: float = Field(
        description="Centre frequency, MHz: 2200-2300 (S-band) or 7750-8400 (X-band).",
        json_schema_extra={"anyOf": [_schema_range(band) for band in limits.DOWNLINK_BANDS_MHZ]},
    )
    bandwidth_mhz: float = Field(
        # the range depends on the delivery (Downlink._check says which): a bound here would say
        # "more than 0" where 0.125 is the least a demod/decode downlink takes
        description="Bandwidth, MHz: 0.125-650 demod/decode, 0.01-54 DigIF.",
        json_schema_extra=_schema_range((limits.DIGIF_BANDWIDTH_MHZ[0], limits.DEMOD_DECODE_BANDWIDTH_MHZ[1])),
    )
    polarization: Literal["right_hand", "left_hand", "none"] = Field(
        "right_hand",
        description="Antenna polarization: right_hand (RHCP), left_hand (LHCP) or none; legacy Azure Orbital takes only the first two.",
    )
    preset: PresetName | None = Field(None, description="Named demod/decode preset (demod_decode only).")
    demodulation_json: str | None = Field(
        None,
        description="Explicit demodulation JSON instead of a preset: AWS Ground Station's JsonString (2-8192 "
        "characters of its alphabet).",
        json_schema_extra=_json_string_schema,
    )
    decode_json: str | None = Field(
        None,
        description="Explicit decode JSON instead of a preset: AWS Ground Station's JsonString (2-8192 characters "
        "of its alphabet), with a *_EGRESS node.",
        json_schema_extra=_json_string_schema,
    )
    data_rate_mbps: float = Field(
        gt=0, le=10_000, description="Demodulated bitstream rate, Mbps (sizes storage and cost)."
    )
    digif_mbps: float | None = Field(
        None,
        gt=0,
        le=10_000,
        description="DigIF only: the rate of the delivered sample stream, Mbps, as onboarding gives it (sizes "
        "storage, the processor's disk, live hubs and cost). Default: bandwidth_mhz x "
        f"{limits.DIGIF_GB_PER_MHZ_SECOND * 8000:.2f}, from one unpublished NOAA-20 measurement.",
    )

    @field_validator("center_frequency_mhz")
    @classmethod
    def _band(cls, f: float) -> float:
        if not any(_range(f, band) for band in limits.DOWNLINK_BANDS_MHZ):
            bands = " or ".join(f"{_fmt(a)}-{_fmt(b)}" for a, b in limits.DOWNLINK_BANDS_MHZ)
            raise _fail("", f"{_fmt(f)} is outside {bands} MHz (AWS Ground Station downlink)")
        return f

    @field_validator("bandwidth_mhz")
    @classmethod
    def _bandwidth(cls, bw: float, info: ValidationInfo) -> float:
        delivery = info.data.get("delivery", "demod_decode")
        lo, hi = limits.DEMOD_DECODE_BANDWIDTH_MHZ if delivery == "demod_decode" else limits.DIGIF_BANDWIDTH_MHZ
        if not _range(bw, (lo, hi)):
            what = "demod/decode" if delivery == "demod_decode" else "DigIF"
            raise _fail("", f"{_fmt(bw)} is outside {_fmt(lo)}-{_fmt(hi)} (AWS Ground Station {what})")
        return bw

    @model_validator(mode="after")
    def _check(self) -> Downlink:
        problems = _Problems("downlink")
        if self.delivery == "demod_decode":
            explicit = (self.demodulation_json is not None, self.decode_json is not None)
            if self.preset and any(explicit):
                problems.add("preset", "give a preset or demodulation_json+decode_json, not both")
            elif not self.preset and any(explicit) and not all(explicit):
                problems.add(
                    "preset",
                    f"demod_decode needs a preset ({', '.join(PRESETS)}) or both demodulation_json and decode_json",
                )
            for key in ("demodulation_json", "decode_json"):
                text = getattr(self, key)
                if text is None:
                    continue
                # one problem a field: each check reads what the one before found sound
                kind = "demodulation" if key == "demodulation_json" else "decode"
                if len(text) > limits.DEMOD_DECODE_JSON_MAX_CHARS:
                    problems.add(
                        key, f"{len(text)} characters is over {limits.DEMOD_DECODE_JSON_MAX_CHARS} (AWS Ground Station)"
                    )
                elif outside := _outside_json_string(text):
                    problems.add(key, outside)
                elif problem := json_shape_problem(text, kind):
                    problems.add(key, problem)
                elif key == "decode_json" and (egress := egress_node_of(text)) is None:
                    problems.add("decode_json", "has no *_EGRESS node (the dataflow edge needs one)")
                elif key == "decode_json" and not 1 <= len(egress or "") <= limits.EGRESS_NODE_NAME_MAX:
                    problems.add(
                        "decode_json",
                        f"its *_EGRESS node's name has {len(egress or '')} characters, where 1-"
                        f"{limits.EGRESS_NODE_NAME_MAX} are allowed (the mission profile's dataflow edge names it after "
                        "the antenna config's ARN; AWS Ground Station ConfigArn)",
                    )
            if self.digif_mbps is not None:
                problems.add("digif_mbps", "only applies to delivery: digif")
            preset = self.preset
            if preset and not any(explicit):  # with both given, the conflict is the problem
                self._check_preset(PRESETS[preset], problems)
        else:
            for key in DEMOD_DECODE_ONLY:
                if getattr(self, key) is not None:
                    problems.add(key, "only applies to delivery: demod_decode")
        problems.raise_any()
        return self

    def gb_in(self, seconds: float) -> float:
        """GB this downlink lands in a contact of `seconds`: the data rate for demod/decode; for
        DigIF the sample stream's rate as given (`digif_mbps`), else the sampled bandwidth at the
        one measured rate (limits.DIGIF_GB_PER_MHZ_SECOND)."""
        if self.delivery == "digif":
            if self.digif_mbps is not None:
                return self.digif_mbps * seconds / 8 / 1000
            return self.bandwidth_mhz * seconds * limits.DIGIF_GB_PER_MHZ_SECOND
        return self.data_rate_mbps * seconds / 8 / 1000

    def capture_gb(self, seconds: float, datagram_payload_bytes: int) -> float:
        """GB of capture files this downlink delivers in a contact of `seconds`: a demod/decode
        downlink's bits with each datagram's headers (limits.CAPTURE_HEADER_BYTES), which the raw
        store holds and the processor reads; a DigIF rate is the captures' own (measured from
        delivered objects, or onboarding's `digif_mbps`)."""
        if self.delivery == "digif":
            return self.gb_in(seconds)
        return self.gb_in(seconds) * (1 + limits.CAPTURE_HEADER_BYTES / datagram_payload_bytes)

    def _check_preset(self, preset: Preset, problems: _Problems) -> None:
        """A preset is one satellite's signal: its frequency, the bandwidth its symbol rate and
        roll-off occupy, the information rate its modulation and code carry: each mismatch said at
        once (one a run hid the next until the first was fixed)."""
        if self.center_frequency_mhz != preset.center_frequency_mhz:
            problems.add(
                "center_frequency_mhz",
                f"{_fmt(self.center_frequency_mhz)} is not the {preset.name} downlink; allowed: "
                f"{_fmt(preset.center_frequency_mhz)} ({preset.description}; another signal needs "
                "demodulation_json and decode_json)",
            )
        occupied = preset.occupied_bandwidth_mhz
        if self.bandwidth_mhz < occupied:
            problems.add(
                "bandwidth_mhz",
                f"{_fmt(self.bandwidth_mhz)} is below the {_fmt(occupied)} MHz {preset.name} occupies "
                f"({_fmt(preset.symbol_rate_msps)} Msps x (1 + roll-off {preset.rolloff})); allowed: "
                f"{_fmt(occupied)}-{_fmt(limits.DEMOD_DECODE_BANDWIDTH_MHZ[1])}",
            )
        carried = preset.information_rate_mbps
        if self.data_rate_mbps > carried:
            problems.add(
                "data_rate_mbps",
                f"{_fmt(self.data_rate_mbps)} is above the {_fmt(carried)} Mbps {preset.name} carries "
                f"({preset.modulation} at {_fmt(preset.symbol_rate_msps)} Msps"
                f"{', rate-1/2 Viterbi' if preset.viterbi else ''}); allowed: up to {_fmt(carried)}",
            )

    @property
    def wideband(self) -> bool:
        return self.bandwidth_mhz > limits.NARROWBAND_MAX_MHZ

    def demodulation(self) -> str | None:
        if self.delivery != "demod_decode":
            return None
        if self.demodulation_json or self.preset is None:  # the validator allows no third case
            return self.demodulation_json
        return PRESETS[self.preset].demodulation_json(self.center_frequency_mhz)

    def decode(self) -> str | None:
        if self.delivery != "demod_decode":
            return None
        if self.decode_json or self.preset is None:  # the validator allows no third case
            return self.decode_json
        return PRESETS[self.preset].decode_json()

    def egress_node(self) -> str | None:
        text = self.decode()
        return egress_node_of(text) if text else None


# The numeric fields of a TLE, as (line, first column, last column, field, form, lowest,
# highest): columns as CelesTrak's "NORAD Two-Line Element Set Format"
# (https://celestrak.org/NORAD/documentation/tle-fmt.php) gives them. A field a checksum cannot
# catch ("9X.7065" with its digits rebalanced) gave sgp4 a zero mean motion, and the report said
# "not a low Earth orbit (0.00 rev/day)" instead of naming the field; a blank or garbled drag
# term gave it positions of NaN, and the report said the satellite was never in view. Forms:
# "whole" digits only; "decimal" a number; "point assumed" digits with the decimal point before
# them (eccentricity 0001234 is 0.0001234); "exponent" a sign, five digits with the point
# before them, and a signed exponent digit (-11606-4 is -0.11606e-4). The satellite number
# takes digits only: `norad_id` is 1-99999, so an Alpha-5 number (A0001) is no satellite here.
TLE_ELEMENT_FIELDS: tuple[tuple[int, int, int, str, str, float, float], ...] = (
    (1, 3, 7, "satellite number", "whole", 1, 99999),
    (1, 19, 20, "epoch year", "whole", 0, 99),
    (1, 21, 32, "epoch day of the year", "decimal", 1, 366.99999999),
    (1, 34, 43, "first derivative of the mean motion", "decimal", -1, 1),
    (1, 45, 52, "second derivative of the mean motion", "exponent, spaces as 0", -1, 1),
    (1, 54, 61, "drag term (BSTAR)", "exponent", -1, 1),
    (2, 3, 7, "satellite number", "whole", 1, 99999),
    (2, 9, 16, "inclination", "decimal", 0, 180),
    (2, 18, 25, "right ascension of the ascending node", "decimal", 0, 360),
    (2, 27, 33, "eccentricity", "point assumed", 0, 1),
    (2, 35, 42, "argument of perigee", "decimal", 0, 360),
    (2, 44, 51, "mean anomaly", "decimal", 0, 360),
    (2, 53, 63, "mean motion", "decimal", 1e-8, 20),
)
# The columns between a TLE's fields, blank in CelesTrak's format (its column 2 is checked with the
# line number). sgp4 reads the fields with the text around them: a '0' in line 1's column 18 made
# the epoch year 2 and its day 4169.9 (compare ended in a traceback), a '-' in line 2's column 34
# negated the argument of perigee without a word.
TLE_BLANK_COLUMNS: tuple[tuple[int, ...], tuple[int, ...]] = ((9, 18, 33, 44, 53, 62, 64), (8, 17, 26, 34, 43, 52))
_TLE_EXPONENT = re.compile(r"([ +-])(\d{5})([ +-])(\d)")
_EXPONENT_FORM = "a sign, 5 digits and a signed exponent digit, the decimal point assumed (-11606-4 is -0.11606e-4)"
_TLE_FORMS = {
    "whole": "digits",
    "point assumed": "7 digits with the decimal point assumed before them (0001234 is 0.0001234)",
    "exponent": _EXPONENT_FORM,
    "exponent, spaces as 0": _EXPONENT_FORM,
}


def tle_field(text: str, form: str) -> float:
    """A TLE field's value as its form reads it; NaN when the text is not of that form."""
    bare = text.strip()
    if form == "whole":
        return float(bare) if bare.isdigit() else math.nan
    if form == "point assumed":  # sgp4 reads a space in it as 0, as in the second derivative's digits
        digits = text.replace(" ", "0")
        return float(f"0.{digits}") if digits.isdigit() else math.nan
    if form == "exponent, spaces as 0":  # sgp4 reads spaces in the digits as 0 here, not in BSTAR
        text = text[:1] + text[1:6].replace(" ", "0") + text[6] + text[7:].replace(" ", "0")
        form = "exponent"
    if form == "exponent":
        parts = _TLE_EXPONENT.fullmatch(text)
        if parts is None:
            return math.nan
        sign, digits, exponent_sign, exponent = parts.groups()
        return float(f"{sign.strip()}0.{digits}e{exponent_sign.strip()}{exponent}")
    try:
        return float(bare) if bare and all(c in "0123456789.+-" for c in bare) else math.nan
    except ValueError:
        return math.nan


def _tle_epoch_day_max(year_text: str) -> float:
    """The last epoch day of the TLE's year: two-digit years 57-99 are 1957-1999, 00-56 are
    2000-2056 (CelesTrak's format page); day 366 exists in a leap year only (sgp4 read
    day 366 of 2023 as 2024-01-01 without a word)."""
    year = int(year_text) + (1900 if int(year_text) >= 57 else 2000)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 366.99999999 if leap else 365.99999999


def _tle_schema(schema: dict[str, Any]) -> None:
    """The JSON schema of `tle` says what validation checks of its shape: two lines of 69."""
    for branch in schema.get("anyOf", []):
        if branch.get("type") == "array":
            branch.update(minItems=2, maxItems=2, items={"type": "string", "minLength": 69, "maxLength": 69})


def _repeats(values: list[Any]) -> list[tuple[int, int, Any]]:
    """Each entry whose value an earlier entry has, as (its index, the first one's, the value):
    an error names the copy at its own line (a satellite block pasted and left unchanged), not the
    whole list at its key, many lines above it."""
    first: dict[Any, int] = {}
    found = []
    for i, value in enumerate(values):
        if value in first:
            found.append((i, first[value], value))
        else:
            first[value] = i
    return found


class Satellite(_Model):
    """One spacecraft and what it sends down."""

    name: Identifier
    norad_id: WholeNumber = Field(ge=1, le=99999, description="NORAD catalogue number.")
    tle: list[str] | None = Field(
        None,
        description="Optional two-line element set (line 1, line 2): 69 characters each, with their checksums.",
        json_schema_extra=_tle_schema,
    )
    downlinks: list[Downlink] = Field(min_length=1, max_length=16, description="The satellite's downlinks (1-16).")

    @field_validator("tle")
    @classmethod
    def _tle(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        if len(value) == 3 and not value[0].startswith("1 ") and value[1].startswith("1 "):
            # the three-line form CelesTrak serves, a title line first
            raise ValueError(
                f"needs exactly two lines; the first of these three is a title line ({value[0][:24]!r}): give "
                "only the lines starting '1 ' and '2 '"
            )
        if len(value) != 2:
            raise ValueError(f"needs exactly two lines (line 1 and line 2 of the element set), got {len(value)}")
        for number, line in enumerate(value, start=1):
            # a TLE is ASCII (CelesTrak's format): `isdigit`, `int` and `float` below take any
            # script's digits, so an Arabic-Indic digit passed the checksum and made a number
            outside = next((c for c in line if not (c.isascii() and c.isprintable())), None)
            if outside is not None:
                raise ValueError(f"line {number} has {outside!r}; allowed: ASCII letters, digits, spaces and . + -")
            if len(line) != 69 or not line.startswith(f"{number} "):
                found = f"it has {len(line)}" if len(line) != 69 else f"it starts {line[:2]!r}"
                raise ValueError(f"line {number} must be 69 characters starting '{number} '; {found}")
            digits = sum(int(c) if c.isdigit() else c == "-" for c in line[:68])
            if not line[68].isdigit() or digits % 10 != int(line[68]):
                raise ValueError(
                    f"line {number} checksum does not match: its last character is {line[68]!r}, the line's "
                    f"digits (each - counting 1) give {digits % 10}"
                )
        for number, columns in enumerate(TLE_BLANK_COLUMNS, start=1):
            for column in columns:
                if value[number - 1][column - 1] != " ":
                    raise ValueError(
                        f"line {number} column {column} read {value[number - 1][column - 1]!r}; allowed: a space "
                        "(it separates two fields, and sgp4 reads the fields around it otherwise)"
                    )
        for number, first, last, field, form, low, high in TLE_ELEMENT_FIELDS:
            text = value[number - 1][first - 1 : last]
            if field == "epoch day of the year":
                high = _tle_epoch_day_max(value[0][18:20])
            if not low <= tle_field(text, form) <= high:
                allowed = f"a number from {_fmt(low)} to {_fmt(high)}"
                if form in _TLE_FORMS:  # the assumed point's 7 digits always lie in 0-1
                    allowed = _TLE_FORMS[form] + (
                        f", from {_fmt(low)} to {_fmt(high)}" if form != "point assumed" else ""
                    )
                raise ValueError(
                    f"line {number} columns {first}-{last} ({field}) read {text.strip()!r}; allowed: {allowed}"
                )
        return value

    @model_validator(mode="after")
    def _check(self) -> Satellite:
        problems = _Problems("satellite")
        for j, k, name in _repeats([d.name for d in self.downlinks]):
            problems.add(f"downlinks[{j}].name", f"duplicate downlink name {name!r}: downlinks[{k}] has it too")
        if self.tle:
            for number, line in enumerate(self.tle, start=1):
                if int(line[2:7]) != self.norad_id:  # the first line that differs: one wrong id, one line
                    problems.add("tle", f"line {number} is for NORAD {int(line[2:7])}, not {self.norad_id}")
                    break
        problems.raise_any()
        return self


# The forms of an IPv4 address or range the spec takes, for messages.
ADDRESS_FORMS = (
    "allowed: an address a.b.c.d or a range a.b.c.d/n in CIDR prefix notation (decimal, no leading zeros; "
    "no netmask such as /255.255.255.0: Azure's network rules take CIDR)"
)


class Partner(_Model):
    """A ground-station-as-a-service network that delivers into the customer's cloud."""

    name: Literal["ksat_lite", "viasat_rte", "rbc_signals", "other"] = Field(
        description="Partner network (the ones Microsoft pointed AOGS users to, plus other)."
    )
    price_per_minute_usd: float | None = Field(
        None,
        gt=0,
        le=1e6,
        description="Contracted price per contact minute; not public, so unknown when absent (a sanity bound "
        "of a million USD a minute keeps every cost a number).",
    )
    aws_account_id: str | None = Field(
        None, pattern=ACCOUNT_ID_PATTERN, description="Partner's AWS account allowed to write the landing prefix."
    )
    aws_external_id: str | None = Field(
        None,
        pattern=EXTERNAL_ID_PATTERN,
        min_length=2,
        max_length=1224,
        description="The sts:ExternalId the partner presents when it assumes the landing role (agreed with the "
        "partner; guards against the confused deputy). Without it the plan warns.",
    )
    azure_principal_object_id: str | None = Field(
        None,
        pattern=GUID_PATTERN,
        description="Object id, in this mission's Entra tenant, of the partner's service principal (the "
        "enterprise application an admin of this tenant consents to from the partner's multi-tenant app): "
        "granted write on the landing container. Not the partner's home-tenant object id, the app registration's "
        "object id or the client id: granted to those, nothing can write.",
    )
    source_addresses: list[str] = Field(
        default_factory=list,
        max_length=limits.AZURE_STORAGE_MAX_IP_RULES,
        json_schema_extra={"items": {"type": "string", "pattern": IPV4_OR_WIDE_CIDR_PATTERN}, "uniqueItems": True},
        description="Public IPv4 addresses or CIDR ranges the partner writes from; the Azure storage firewall "
        "admits them (at most 400 IP rules; no RFC 1918 ranges, nor 0.0.0.0/8; ranges /30 or wider, a single "
        "address bare; no range twice, however written), except from the account's own Azure region, whose "
        "requests IP rules never admit (docs/azure.md). "
        "Azure only: on AWS the partner's role trust admits it (docs/aws.md).",
    )

    @model_validator(mode="after")
    def _check(self) -> Partner:
        # the id the partner presents when it assumes the landing role, which only a named account
        # gets: without one no role is made, and the id shaped nothing
        if self.aws_external_id is not None and self.aws_account_id is None:
            raise _fail(
                "aws_external_id",
                "only applies with aws_account_id (the partner presents it when it assumes the landing role, "
                "which only a named account is given)",
            )
        return self

    @field_validator("source_addresses")
    @classmethod
    def _public_ipv4(cls, values: list[str]) -> list[str]:
        return public_ipv4_ranges(values, "source_addresses", "Azure storage IP rules", narrowest=30)


def public_ipv4_ranges(values: list[str], field: str, rules: str, narrowest: int = 32) -> list[str]:
    """`values` when each is a public IPv4 address or CIDR range without host bits, none repeated,
    none narrower than /`narrowest` (a single address given bare); else a SpecError at the item."""
    import ipaddress

    seen: dict[ipaddress.IPv4Network, int] = {}
    accepted: list[ipaddress.IPv4Network] = []
    problems = _Problems(field)
    for i, value in enumerate(values):
        if not re.fullmatch(IPV4_OR_CIDR_PATTERN, value):
            problems.add((i,), f"{show(value)} is not an IPv4 address or CIDR range; {ADDRESS_FORMS}")
            continue
        try:
            network = ipaddress.IPv4Network(value, strict=True)
        except ValueError:
            network = ipaddress.IPv4Network(value, strict=False)
            # the range it lies in is offered only where it would be taken: 198.51.100.7/0 was
            # offered 0.0.0.0/0, which the next run refused as not public
            problem = _range_problem(network, str(network), rules, narrowest)
            problems.add(
                (i,),
                f"{value} has host bits set, and the range it lies in is refused too: {problem}"
                if problem
                else f"{value} has host bits set; allowed: {network} (the range it lies in)",
            )
            continue
        problem = _range_problem(network, value, rules, narrowest)
        if problem:
            problems.add((i,), problem)
        elif network in seen:
            problems.add((i,), f"{value} repeats {field}[{seen[network]}]")
        else:
            accepted.append(network)
        seen.setdefault(network, i)
    # judged of the ranges taken only: one already refused (0.0.0.0/0) is said once, at its item
    if accepted and _every_public_address(accepted):
        problems.add(
            (),
            f"its ranges together admit every internet address (all of IPv4 but the private and reserved ranges, "
            f"which no caller holds): list the clients' own ranges, which {rules} then admit",
        )
    problems.raise_any()
    return values


@functools.cache
def unreachable_ipv4_ranges() -> tuple[str, ...]:
    """The IPv4 ranges no internet caller holds, as the policy pack lists them with their source
    (policies/unreachable_ranges.json, read without importing the pack)."""
    from .resources import package_dir

    path = package_dir("groundlink.policies") / "unreachable_ranges.json"
    return tuple(json.loads(path.read_text(encoding="utf-8"))["ipv4"])


def _every_public_address(networks: list[Any]) -> bool:
    """Whether public IPv4 `networks` together hold every address a caller on the internet may
    have: with the ranges none holds (`unreachable_ipv4_ranges`) they make the whole space.
    The policy pack reads a firewall's rules alike (policies/props.py, admits_every_address)."""
    import ipaddress

    unreachable = [ipaddress.IPv4Network(n) for n in unreachable_ipv4_ranges()]
    return any(n.prefixlen == 0 for n in ipaddress.collapse_addresses([*networks, *unreachable]))


def _range_problem(network: Any, value: str, rules: str, narrowest: int) -> str | None:
    """Why the IPv4 range `network` (written `value`) is no public range the firewall `rules`
    take, or None."""
    import ipaddress

    if network.subnet_of(ipaddress.IPv4Network(limits.THIS_NETWORK_BLOCK)):
        # groundlink's own rule, not the firewall's: Synapse takes 0.0.0.0 as all of Azure
        return (
            f"{value} is in {limits.THIS_NETWORK_BLOCK}, 'this network', which no client sends from; "
            "allowed: public IPv4 addresses or ranges"
        )
    if network.is_loopback or network.is_link_local or network.is_multicast or network.is_reserved:
        return f"{value} is not a public range ({rules} take public addresses only)"
    spanned = [
        block
        for block in (*limits.RFC1918_BLOCKS, limits.THIS_NETWORK_BLOCK)
        if network.overlaps(ipaddress.IPv4Network(block))
    ]
    if spanned:
        if any(network.subnet_of(ipaddress.IPv4Network(block)) for block in spanned):
            return f"{value} is not a public range ({rules} take public addresses only)"
        # wider than a private block (0.0.0.0/0 admits every address): what it takes in is named
        return (
            f"{value} takes in {', '.join(spanned)}, which no public client sends from "
            f"({rules} take public addresses only); allowed: narrower public ranges"
        )
    if "/" in value and network.prefixlen > narrowest:
        return f"{value}: {rules} take /{narrowest} or wider ranges; give a single address bare"
    return None


# The ground segment's antenna settings a partner configures itself: the padding (GroundSegment)
# and autotrack (MissionSpec, which legacy Azure Orbital's contact profile also takes).
PARTNER_PADDING = ("pre_pass_seconds", "post_pass_seconds")
PARTNER_ANTENNAS = "a partner sets its antennas by its own configuration"


class GroundSegment(_Model):
    """How contacts are taken. `managed` is AWS Ground Station on AWS; Azure has no managed
    ground station since 2024-12-18, so Azure always lands partner deliveries unless the
    retired Azure Orbital resources are opted into."""

    provider: Literal["managed", "partner"] = Field(
        "managed",
        description="managed: AWS Ground Station on AWS; partner: a ground-station partner delivers to either cloud.",
    )
    partner: Partner | None = Field(None, description="The partner network (provider: partner only).")
    min_elevation_deg: float = Field(
        5.0,
        ge=0,
        le=90,
        description="Lowest elevation a contact counts from, degrees (0-90). Neither network publishes its "
        "sites' masks: the default 5 is the legacy Azure Orbital Aqua contact profile's (docs/facts.md), "
        "an assumption to replace with your provider's figure.",
    )
    min_contact_seconds: WholeNumber = Field(
        180,
        description="Minimum viable contact, seconds (1-21600), at most contact_minutes x 60: a contact is "
        "planned at least this long.",
        json_schema_extra=_schema_range(limits.MIN_CONTACT_SECONDS),
    )
    pre_pass_seconds: WholeNumber = Field(
        120,
        description="Pre-pass padding, seconds (0-21600; "
        f"{limits.ENDPOINT_PASS_PADDING_SECONDS[0]}-{limits.ENDPOINT_PASS_PADDING_SECONDS[1]} with delivery.stream, "
        "the dataflow endpoint group's range).",
        json_schema_extra=_schema_range(limits.PASS_PADDING_SECONDS),
    )
    post_pass_seconds: WholeNumber = Field(
        120,
        description="Post-pass padding, seconds (0-21600; "
        f"{limits.ENDPOINT_PASS_PADDING_SECONDS[0]}-{limits.ENDPOINT_PASS_PADDING_SECONDS[1]} with delivery.stream, "
        "the dataflow endpoint group's range).",
        json_schema_extra=_schema_range(limits.PASS_PADDING_SECONDS),
    )
    autotrack: Literal["preferred", "required", "removed"] = Field(
        "preferred",
        description="Antenna autotrack: preferred, required or removed (program track only; the policy pack's "
        "mandatory aws-gs-autotrack refuses removed unless its config sets allowAutotrackRemoved: true).",
    )
    contacts_per_day: float = Field(4.0, gt=0, le=100, description="Contacts taken per day per satellite.")
    dubbo_minutes_share: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of the AWS Ground Station contact minutes taken at the Dubbo 1 antenna site, 0-1 "
        "(provider: managed). Dubbo 1 is priced above the other sites (prices/aws.yaml); which sites take a "
        "mission's contacts is chosen as they are reserved, not by the stack's region, which only decides where "
        "the data is delivered.",
    )
    contact_minutes: float = Field(
        10.0,
        gt=0,
        le=360,
        description="Duration of each contact, minutes: every contact is planned this long. The cost model bills "
        "each contact rounded up to whole minutes, coverage counts the passes over one site at least this long, "
        "and with processing on an object store a contact's raw "
        f"data and frames must fit the processor's disk (a function's /tmp: {limits.LAMBDA_EPHEMERAL_STORAGE_MB:,} MB "
        "on Lambda; a container "
        "job's ephemeral storage by container_vcpu).",
    )

    @model_validator(mode="after")
    def _check(self) -> GroundSegment:
        problems = _Problems("ground_segment")
        for key, bounds in (
            ("min_contact_seconds", limits.MIN_CONTACT_SECONDS),
            ("pre_pass_seconds", limits.PASS_PADDING_SECONDS),
            ("post_pass_seconds", limits.PASS_PADDING_SECONDS),
        ):
            value = getattr(self, key)
            if (
                key in PARTNER_PADDING
                and self.provider == "partner"
                and key in self.model_fields_set
                and value != type(self).model_fields[key].default
            ):
                # whatever its value: brought into range as a range line said, it was refused next
                problems.add(key, f"only applies to provider: managed ({PARTNER_ANTENNAS}); leave it out")
            elif not _range(value, bounds):
                problems.add(key, f"{value} is outside {bounds[0]}-{bounds[1]} (AWS Ground Station mission profile)")
        if self.provider == "partner" and self.partner is None:
            problems.add(
                "partner", "provider: partner needs a partner (name: ksat_lite, viasat_rte, rbc_signals or other)"
            )
        if self.provider == "managed" and self.partner is not None:
            problems.add("partner", "only applies to provider: partner")
        if self.provider == "partner" and self.dubbo_minutes_share:
            problems.add(
                "dubbo_minutes_share",
                "only applies to provider: managed (AWS Ground Station's Dubbo 1 site); allowed with a partner: 0",
            )
        daily = self.contacts_per_day * self.contact_minutes
        if daily > limits.MINUTES_PER_DAY:  # one satellite, received by one antenna at a time
            problems.add(
                "contacts_per_day",
                f"{_fmt(self.contacts_per_day)} contacts of {_fmt(self.contact_minutes)} minutes (contact_minutes) "
                f"are {daily:,.0f} minutes a day, more than the {limits.MINUTES_PER_DAY:,} a day has; allowed: "
                f"contacts_per_day x contact_minutes up to {limits.MINUTES_PER_DAY:,}",
            )
        if _range(self.min_contact_seconds, limits.MIN_CONTACT_SECONDS) and (
            self.contact_minutes * 60 < self.min_contact_seconds
        ):
            problems.add(
                "contact_minutes",
                f"{_fmt(self.contact_minutes)} min{_default_note(self, 'contact_minutes')} is shorter than "
                f"min_contact_seconds {self.min_contact_seconds}{_default_note(self, 'min_contact_seconds')}; "
                f"allowed: {_fmt(math.ceil(self.min_contact_seconds / 60 * 1000) / 1000)} min or more",
            )
        problems.raise_any()
        return self


class Delivery(_Model):
    """How contact data arrives: as objects in the raw store, as a live stream, or both."""

    object_store: bool = Field(True, description="Contact data lands as objects in the raw store.")
    stream: bool = Field(False, description="Contact data is also streamed live to an endpoint.")

    @model_validator(mode="after")
    def _check(self) -> Delivery:
        if not (self.object_store or self.stream):
            raise _fail("object_store", "delivery needs object_store or stream (or both)")
        return self


# The longest a store keeps data (raw_retention_days, products_retention_days: 1-36500 days).
RETENTION_DAYS_MAX = 36500


class Tier(_Model):
    """One step of the tier schedule: after so many days, data moves to a cheaper tier."""

    after_days: WholeNumber = Field(
        ge=1,
        le=RETENTION_DAYS_MAX - 1,  # every step comes before the retention, at most RETENTION_DAYS_MAX
        description="Days after landing that data moves to `tier`, each step later than the one before and "
        f"in the order cool, cold, archive: cool at {limits.S3_MIN_DAYS_BEFORE_INFREQUENT} or more (S3's minimum "
        f"before Standard-IA), a cold or archive step at least {limits.S3_MIN_DAYS_IN_INFREQUENT_BEFORE_GLACIER} "
        f"days after a cool one, archive at least {limits.S3_MIN_DAYS_IN_GLACIER_BEFORE_DEEP_ARCHIVE} after a cold "
        "one (S3 lifecycle), every step before the store's retention.",
    )
    tier: Literal["cool", "cold", "archive"] = Field(
        description="cool: S3 Standard-IA / Azure Cool; cold: S3 Glacier Flexible / Azure Cold; "
        "archive: S3 Glacier Deep Archive / Azure Archive."
    )


TIER_ORDER = ("cool", "cold", "archive")


class Storage(_Model):
    """The raw and products stores: how long data is kept and where it is tiered."""

    raw_retention_days: WholeNumber = Field(
        365,
        ge=1,
        le=RETENTION_DAYS_MAX,
        description=f"Days a delivered raw contact file is kept (1-{RETENTION_DAYS_MAX}).",
    )
    products_retention_days: WholeNumber = Field(
        1825, ge=1, le=RETENTION_DAYS_MAX, description=f"Days a data product is kept (1-{RETENTION_DAYS_MAX})."
    )
    tiering: list[Tier] = Field(
        default_factory=lambda: [Tier(after_days=30, tier="cool"), Tier(after_days=180, tier="archive")],
        max_length=3,
        description="Tier schedule applied to raw and products data, ascending.",
    )
    noncurrent_version_days: WholeNumber = Field(
        30, ge=1, le=3650, description="Days a replaced object version is kept."
    )
    data_protection: Literal["strict", "dev"] = Field(
        "strict", description="strict: stores are protected and retained on delete; dev: neither."
    )
    redundancy: Literal["zone", "geo"] = Field(
        "zone",
        description="zone: copies in three availability zones of one region (S3 Standard; Azure ZRS). "
        "geo: zone copies plus a copy in a second region (S3 replication to clouds.aws.replica_region with "
        "its own key; Azure GZRS, read access to the secondary with RA-GZRS).",
    )
    geo_read_access: bool = Field(
        False,
        description="With redundancy: geo, the secondary copy is readable before a failover "
        "(Azure RA-GZRS; an S3 replica bucket is always readable).",
    )

    @model_validator(mode="after")
    def _check(self) -> Storage:
        problems = _Problems("storage")
        if self.geo_read_access and self.redundancy != "geo":
            problems.add("geo_read_access", "only applies to redundancy: geo")
        previous_days, previous_rank = 0, -1
        cool_days: int | None = None  # one lifecycle rule holds every step (components/aws/storage.py)
        cold_days: int | None = None
        retention_said = False
        for i, step in enumerate(self.tiering):
            # each step is judged against the steps before it as written: one problem a step, and
            # every step judged, so that a second bad step is not left for the next run of validate
            step_problem = self._step_problem(i, step, previous_days, previous_rank, cool_days, cold_days)
            if step_problem is not None:
                problems.add(*step_problem)
            if step.tier == "cool":
                cool_days = step.after_days
            if step.tier == "cold":
                cold_days = step.after_days
            # a retention too short for one step is too short for every later one: said once
            retention_problem = None if step_problem or retention_said else self._retention_problem(i, step)
            if retention_problem is not None:
                problems.add(*retention_problem)
                retention_said = True
            previous_days, previous_rank = step.after_days, TIER_ORDER.index(step.tier)
        problems.raise_any()
        return self

    def _step_problem(
        self, i: int, step: Tier, previous_days: int, previous_rank: int, cool_days: int | None, cold_days: int | None
    ) -> tuple[str, str] | None:
        """What is wrong with tiering step `i` against the steps before it (the first thing), if anything."""
        rank = TIER_ORDER.index(step.tier)
        if step.after_days <= previous_days:
            return (
                f"tiering[{i}].after_days",
                f"{step.after_days} must be later than the previous step ({previous_days} days)",
            )
        if rank <= previous_rank:
            return (
                f"tiering[{i}].tier",
                f"{step.tier} must come after the previous step's tier; order: {' < '.join(TIER_ORDER)}",
            )
        if step.tier == "cool" and step.after_days < limits.S3_MIN_DAYS_BEFORE_INFREQUENT:
            return (
                f"tiering[{i}].after_days",
                f"{step.after_days} is under {limits.S3_MIN_DAYS_BEFORE_INFREQUENT} (S3 minimum before Standard-IA)",
            )
        earliest = None if cool_days is None else cool_days + limits.S3_MIN_DAYS_IN_INFREQUENT_BEFORE_GLACIER
        if earliest is not None and step.after_days < earliest:
            return (
                f"tiering[{i}].after_days",
                f"{step.after_days} is under {earliest}: S3 keeps objects "
                f"{limits.S3_MIN_DAYS_IN_INFREQUENT_BEFORE_GLACIER} days in Standard-IA (cool, from day "
                f"{cool_days}) before Glacier or Deep Archive",
            )
        if step.tier == "archive" and cold_days is not None:
            least = cold_days + limits.S3_MIN_DAYS_IN_GLACIER_BEFORE_DEEP_ARCHIVE
            if step.after_days < least:
                return (
                    f"tiering[{i}].after_days",
                    f"{step.after_days} is under {least}: S3 keeps objects "
                    f"{limits.S3_MIN_DAYS_IN_GLACIER_BEFORE_DEEP_ARCHIVE} days in Glacier Flexible Retrieval "
                    f"(cold, from day {cold_days}) before Deep Archive; allowed: {least} or more",
                )
        return None

    def _retention_problem(self, i: int, step: Tier) -> tuple[str, str] | None:
        """Tiering step `i` at or after a store's retention, where it would never apply: the first such store."""
        for store in ("raw", "products"):
            retention = getattr(self, f"{store}_retention_days")
            if step.after_days >= retention and "tiering" not in self.model_fields_set:
                # the spec wrote the retention, not the tiering: say so, at the field it wrote
                steps = ", ".join(f"{t.after_days} days {t.tier}" for t in self.tiering)
                return (
                    f"{store}_retention_days",
                    f"{retention}{_default_note(self, f'{store}_retention_days')} ends before the default "
                    f"tiering's {step.tier} step at {step.after_days} days, which would never apply (the "
                    f"default tiering: {steps}); allowed: more than {step.after_days}, or set storage.tiering",
                )
            if step.after_days >= retention:
                # only a day this step can take is offered: after its floor, and before both
                # stores' retentions (one lifecycle step serves raw and products alike)
                floor = self._tier_floor(i)
                before = min(self.raw_retention_days, self.products_retention_days)
                earlier = f"{floor}-{before - 1} days, " if floor < before else ""
                return (
                    f"tiering[{i}].after_days",
                    f"{step.after_days} is not before {store}_retention_days "
                    f"{retention}{_default_note(self, f'{store}_retention_days')} (the tier would never apply); "
                    f"allowed: {earlier}a longer {store}_retention_days, or no {step.tier} step",
                )
        return None

    def _tier_floor(self, index: int) -> int:
        """The earliest day tiering step `index` may take, after the steps before it (the S3 minimum
        days the checks above apply, and a day after the previous step)."""
        floor, cool_days, cold_days = 1, None, None
        for step in self.tiering[: index + 1]:
            least = [floor]
            if step.tier == "cool":
                least.append(limits.S3_MIN_DAYS_BEFORE_INFREQUENT)
            if cool_days is not None:
                least.append(cool_days + limits.S3_MIN_DAYS_IN_INFREQUENT_BEFORE_GLACIER)
            if step.tier == "archive" and cold_days is not None:
                least.append(cold_days + limits.S3_MIN_DAYS_IN_GLACIER_BEFORE_DEEP_ARCHIVE)
            if step is self.tiering[index]:
                return max(least)
            floor = step.after_days + 1
            cool_days = step.after_days if step.tier == "cool" else cool_days
            cold_days = step.after_days if step.tier == "cold" else cold_days
        raise IndexError(index)

    @property
    def protected(self) -> bool:
        return self.data_protection == "strict"


class Analytics(_Model):
    """What is queried and streamed: each switch is one capability of the blueprint, realized on both clouds."""

    catalog: bool = Field(True, description="A data catalog over raw and products (Glue / Synapse lake database).")
    serverless_sql: bool = Field(True, description="Pay-per-query SQL over the stores (Athena / Synapse serverless).")
    telemetry_stream: bool = Field(True, description="A stream for contact telemetry (Kinesis / Event Hubs).")
    azure_engine: Literal["synapse", "adx"] = Field(
        "synapse",
        description="Azure analytics engine: synapse (serverless SQL and the lake database, with the mission key) or "
        "adx (a provisioned Data Explorer cluster: no serverless SQL, and Microsoft-managed keys, as Data Explorer "
        "cannot reach the mission vault).",
    )
    sql_clients: list[str] = Field(
        default_factory=list,
        max_length=limits.SYNAPSE_MAX_IP_FIREWALL_RULES,
        json_schema_extra={"items": {"type": "string", "pattern": IPV4_OR_CIDR_PATTERN}, "uniqueItems": True},
        description="Public IPv4 addresses or CIDR ranges analysts query from: the Synapse workspace's "
        "firewall admits them (one rule each, at most 128, Synapse's limit; public ranges only, not 0.0.0.0/8, "
        "which Synapse reads as all of Azure; no range twice, however written) "
        "with security.network: public, "
        "which otherwise admits no address. Azure only: Athena and Data Explorer are reached with credentials "
        "alone (docs/azure.md).",
    )
    query_bytes_scanned_cutoff_gb: float = Field(
        10.0,
        le=1_000_000,
        description="Per-query scan limit, GB (10^9 bytes; at least 0.01048576, the 10 MiB pulumi-aws takes).",
        # the least is checked with the model's other rules (Analytics._check), so one run names
        # every problem of the section; a field bound here would stop them
        json_schema_extra={"minimum": limits.ATHENA_MIN_CUTOFF_BYTES / 1e9},
    )

    @field_validator("sql_clients")
    @classmethod
    def _public_clients(cls, values: list[str]) -> list[str]:
        return public_ipv4_ranges(values, "sql_clients", "Synapse firewall rules")

    @model_validator(mode="after")
    def _check(self) -> Analytics:
        problems = _Problems("analytics")
        if self.serverless_sql and not self.catalog:
            problems.add("serverless_sql", "needs catalog: true (queries read the catalog's tables)")
        if self.query_bytes_scanned_cutoff_gb * 1e9 < limits.ATHENA_MIN_CUTOFF_BYTES:  # as the schema's minimum
            least = limits.ATHENA_MIN_CUTOFF_BYTES / 1e9
            problems.add(
                "query_bytes_scanned_cutoff_gb",
                f"{_fmt(self.query_bytes_scanned_cutoff_gb)} is under {least:.8f} (10 MiB, the least pulumi-aws "
                f"takes for Athena's per-query limit); allowed: {least:.8f}-1,000,000",
            )
        problems.raise_any()
        return self


class Security(_Model):
    """Keys, network reach and logging, secure by default on both clouds."""

    customer_managed_keys: bool = Field(True, description="Encrypt stores and streams with keys the mission owns.")
    network: Literal["public", "private"] = Field(
        "public", description="public: service endpoints with deny-by-default firewalls; private: private endpoints."
    )
    hsm_keys: bool = Field(
        True,
        description="Keys live in hardware security modules: Azure Key Vault premium with RSA-HSM keys "
        "(AWS KMS keys always are). false: Azure software-protected keys on a standard vault, reported as such.",
    )
    premium_messaging: bool = Field(
        False,
        description="Azure Service Bus and Event Hubs on the Premium tier, encrypted with the mission's key "
        "(Standard has no customer-managed key). false: Microsoft-managed keys, declared as a gap. "
        "AWS queues and topics always use the mission's key.",
    )
    flow_log_retention_days: WholeNumber = Field(
        365,
        ge=1,
        le=3653,
        description="Days VPC flow logs are kept (network: private on AWS), rounded up to a value CloudWatch Logs "
        "accepts.",
    )

    @model_validator(mode="after")
    def _check(self) -> Security:
        if self.premium_messaging and not self.customer_managed_keys:
            raise _fail("premium_messaging", "needs customer_managed_keys: true (Premium is for the mission's key)")
        return self


_FLOW_LOG_DAYS_DEFAULT = Security.model_fields["flow_log_retention_days"].default


class Capture(_Model):
    """The onboarding details of the mission's captures, which AWS Ground Station and a partner
    give out only during onboarding (docs/processing.md, "What onboarding decides"). The cloud
    processor reads them as `groundlink process` takes them from its flags."""

    # The bounds are checked by capture_format (its messages name what they are) and written into
    # the JSON schema here, so an editor flags what validate refuses.
    cadu_length: WholeNumber = Field(
        1024,
        json_schema_extra={"minimum": 10, "maximum": 65540},
        description="Octets per CADU, sync marker included: 10-65540 (marker + AOS header to marker + USLP's "
        "longest frame). 1024 = marker + one Reed-Solomon (255,223) codeblock at interleave 4. --cadu-length.",
    )
    spacecraft_ids: list[WholeNumber] = Field(
        default_factory=list,
        json_schema_extra={
            "items": {"type": "integer", "minimum": 0, "maximum": SPACECRAFT_ID_MAX},
            "uniqueItems": True,
        },
        description=f"AOS spacecraft ids (0-{SPACECRAFT_ID_MAX}, 10 bits since CCSDS 732.0-B-5) the downlinks carry; "
        "a frame naming another is corrupt. Empty: any. --spacecraft-id.",
    )
    udp_ports: list[WholeNumber] = Field(
        default_factory=list,
        json_schema_extra={"items": {"type": "integer", "minimum": 1, "maximum": 65535}, "uniqueItems": True},
        description="UDP destination ports (1-65535) that carry the downlink. Empty: every UDP packet. --udp-port.",
    )
    datagram_payload_bytes: WholeNumber = Field(
        limits.SIZED_DATAGRAM_PAYLOAD_BYTES,
        ge=limits.DATAGRAM_PAYLOAD_BYTES[0],
        le=limits.DATAGRAM_PAYLOAD_BYTES[1],
        description="Payload octets of each datagram a demod/decode downlink's capture carries "
        f"({limits.DATAGRAM_PAYLOAD_BYTES[0]}-{limits.DATAGRAM_PAYLOAD_BYTES[1]:,}): the capture files hold, "
        f"beside each one, up to {limits.CAPTURE_HEADER_BYTES} octets of pcap, Ethernet, IP, UDP and VITA-49 "
        "headers, so the raw store and a contact's local disk are sized from it. "
        f"{limits.SIZED_DATAGRAM_PAYLOAD_BYTES:,}: the smallest the processor's tests make (11.1% of headers), "
        "a size onboarding's own replaces; the processor reads any size.",
    )
    pseudo_randomized: bool = Field(
        False,
        description="Whether the downlink's CADUs carry the CCSDS pseudo-randomizer after their sync marker "
        "(CCSDS 131.0-B), which the processor then takes off; the mission's link decides. --pseudo-randomized.",
    )

    @model_validator(mode="after")
    def _check(self) -> Capture:
        # CaptureFormat says the first thing wrong; asked of each value alone, it says every one
        problems = _Problems("capture")
        alone: list[tuple[str, dict[str, Any]]] = [("cadu_length", {"cadu_length": self.cadu_length})]
        for field in ("spacecraft_ids", "udp_ports"):
            alone += [(f"{field}[{i}]", {field: frozenset({v})}) for i, v in enumerate(getattr(self, field))]
        for field, value in alone:
            try:
                CaptureFormat(**value)
            except ValueError as error:
                problems.add(field, str(error).partition(": ")[2])
        for field in ("spacecraft_ids", "udp_ports"):
            values = getattr(self, field)
            if len(set(values)) != len(values):
                problems.add(field, f"{values} names a value twice")
        problems.raise_any()
        return self

    def setting(self) -> str:
        """These details as the runtime reads them from GROUNDLINK_CAPTURE_FORMAT: compact JSON.
        `pseudo_randomized` only when set: the setting of every mission planned before it existed
        stays as it was, so an upgrade changes no function's settings."""
        # the datagram size sizes stores and disks; the processor reads datagrams of any size
        excluded = {"datagram_payload_bytes"} | (set() if self.pseudo_randomized else {"pseudo_randomized"})
        details = self.model_dump(exclude=excluded)
        return json.dumps(details, sort_keys=True, separators=(",", ":"))

    def capture_format(self) -> CaptureFormat:
        """The processor's CaptureFormat with these details (ValueError: which field, why)."""
        return CaptureFormat(
            cadu_length=self.cadu_length,
            spacecraft_ids=frozenset(self.spacecraft_ids),
            udp_ports=frozenset(self.udp_ports),
            pseudo_randomized=self.pseudo_randomized,
        )


class Processing(_Model):
    """The contact processor in the cloud: the same `groundlink.processing` module a laptop runs,
    triggered by the per-contact queue, writing to the products store. One spec deploys on both
    clouds, so every bound is what both services accept (docs/facts.md §10)."""

    enabled: bool = Field(True, description="Process every contact in the cloud as its event arrives.")
    mode: Literal["function", "container_job"] = Field(
        "function",
        description="function: AWS Lambda / Azure Functions Flex Consumption, up to timeout_seconds (900) per "
        "contact; container_job: AWS Batch on Fargate / Azure Container Apps jobs, for long contacts.",
    )
    memory_mb: WholeNumber = Field(
        2048,
        description="Function memory, MB: 512-4096 (the processor with its storage client takes about 205 MB; Lambda "
        "takes 128-10240, Azure rounds up to a Flex Consumption "
        "instance size, 512, 2048 or 4096). CPU grows with memory on both.",
        json_schema_extra=_schema_range((limits.PROCESSOR_MIN_MEMORY_MB, limits.FLEX_INSTANCE_MEMORY_MB[-1])),
    )
    timeout_seconds: WholeNumber = Field(
        900,
        description="Longest run for one contact, seconds: 1-900 in function mode (Lambda), 60-86400 as a job.",
        json_schema_extra=_schema_range((limits.LAMBDA_TIMEOUT_SECONDS[0], limits.CONTAINER_TIMEOUT_SECONDS[1])),
    )
    max_concurrency: WholeNumber = Field(
        10,
        description="Contacts processed at once, 2-1000 (Lambda event source mapping maximum concurrency; Flex "
        "Consumption maximum instance count; Batch vCPUs / Container Apps parallel executions).",
        json_schema_extra=_schema_range(limits.MAX_CONCURRENCY),
    )
    container_vcpu: float = Field(
        2.0,
        description="vCPUs of a container job: 0.25, 0.5, 1, 2 or 4 (Container Apps consumption; Fargate).",
        json_schema_extra={"enum": list(limits.CONTAINER_VCPU)},
    )
    container_memory_gb: float = Field(
        4.0,
        description="Memory of a container job, GB: 2 per vCPU, so 0.5, 1, 2, 4 or 8 (Container Apps consumption; "
        "a Fargate size).",
        json_schema_extra={"enum": [v * limits.CONTAINER_GB_PER_VCPU for v in limits.CONTAINER_VCPU]},
    )
    loss_alarm_percent: float | None = Field(
        1.0,
        ge=0,
        lt=100,
        description="Alarm (to budget.alert_emails) on a processed contact that lost more than this share of its "
        "frames, in percent, 0 to less than 100: missing in gaps or corrupt, of the frames it should hold. 0: any loss; null: "
        "no alarm. A tunable, not a sourced figure: a pass's first and last frames at low elevation are not counted "
        "as missing, frames lost in between are.",
    )
    capture: Capture = Field(
        default_factory=Capture, description="The onboarding details of the mission's captures (cloud processor)."
    )
    container_image: str | None = Field(
        None,
        pattern=IMAGE_PATTERN,
        max_length=IMAGE_MAX_LENGTH,
        description="The processor's container image (mode container_job), an OCI reference both clouds can "
        "pull; built from this package with `groundlink.runtime.job` as its command.",
    )

    def capture_setting_problem(self, *, digif: bool) -> str | None:
        """Why the capture setting does not fit a function's 4 KB of Lambda environment beside
        the other variables at their longest, and the DigIF flag (`digif`: a downlink delivers
        DigIF, which the runtime is told), or a container job's 24 KiB definition whole; None when
        it fits or no processor holds it. Measured as Lambda measures it: a value in the
        variables' JSON, its quotes escaped (a job definition's JSON escapes it alike)."""
        if not self.enabled:
            return None
        size = len(json.dumps(self.capture.setting()).encode()) - 2
        if self.mode == "container_job":  # a job's environment is in its definition, itself bounded
            most = limits.BATCH_JOB_DEFINITION_BYTES_MAX
            if size <= most:
                return None  # the whole definition is measured by preflight (groundlink.preflight.batch_job)
            return (
                f"its settings take {size:,} bytes of the container job's definition, over the {most:,} AWS Batch "
                "takes for a whole definition (RegisterJobDefinition): list fewer udp_ports or spacecraft_ids"
            )
        most = limits.CAPTURE_SETTING_BYTES_MAX - (limits.SAMPLES_SETTING_BYTES if digif else 0)
        if size <= most:
            return None
        beside = ", a downlink's digif among them" if digif else ""
        return (
            f"its settings take {size:,} bytes of the function's environment as Lambda measures it, over the "
            f"{most:,} its other variables leave{beside} (AWS Lambda takes {limits.LAMBDA_ENVIRONMENT_BYTES_MAX:,} "
            "in all): list fewer udp_ports or spacecraft_ids, or use mode: container_job"
        )

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> Processing:
        problems = _Problems("processing")
        # the function's memory on both clouds: the processor's least up to Flex Consumption's largest
        lo, flex = limits.PROCESSOR_MIN_MEMORY_MB, limits.FLEX_INSTANCE_MEMORY_MB
        # a job's memory is container_memory_gb, which memory_mb does not set: given there, whatever
        # its value, the way forward is to leave it out (raising one under the floor was refused next)
        memory_misplaced = (
            self.mode == "container_job"
            and "memory_mb" in self.model_fields_set
            and self.memory_mb != type(self).model_fields["memory_mb"].default
        )
        if memory_misplaced:
            problems.add(
                "memory_mb",
                "only applies to mode: function (a container job's memory is container_memory_gb); leave it out",
            )
        elif self.memory_mb < lo:
            problems.add(
                "memory_mb",
                f"{self.memory_mb} is under {lo}, the least the processor is given (Flex Consumption's smallest "
                f"instance; the processor with its storage client takes about 205 MB, docs/processing.md); "
                f"allowed: {lo}-{flex[-1]}",
            )
        elif self.memory_mb > flex[-1]:  # a function's (in a job, memory_mb is misplaced, above)
            problems.add(
                "memory_mb",
                f"{self.memory_mb} is over {flex[-1]}, the largest Azure Functions Flex Consumption instance "
                f"({', '.join(map(str, flex))} MB); allowed: {lo}-{flex[-1]}; use mode: container_job for more "
                "(its memory is container_memory_gb)",
            )
        bounds = limits.LAMBDA_TIMEOUT_SECONDS if self.mode == "function" else limits.CONTAINER_TIMEOUT_SECONDS
        if not _range(self.timeout_seconds, bounds):
            where = "AWS Lambda maximum; use mode: container_job for longer" if self.mode == "function" else "job"
            problems.add(
                "timeout_seconds",
                f"{self.timeout_seconds} is outside {bounds[0]}-{bounds[1]} in mode {self.mode} ({where})",
            )
        # what only a deployed processor needs is required only when it is (enabled); the values
        # given are checked either way, so that turning processing back on finds them sound
        if self.enabled and self.mode == "container_job" and self.container_image is None:
            problems.add(
                "container_image",
                "mode container_job needs the processor's image: an OCI reference (registry/name:tag) both clouds pull",
            )
        if self.mode == "function" and self.container_image is not None:
            problems.add("container_image", "only applies to mode: container_job")
        # whether a downlink delivers DigIF, read from the spec's data before it is validated
        # (spec_from_data), so that the budget is said beside this section's other problems even
        # where another section's fail
        digif = bool((info.context or {}).get(DIGIF_CONTEXT))
        if (too_large := self.capture_setting_problem(digif=digif)) is not None:
            problems.add("capture", too_large)
        lo, hi = limits.MAX_CONCURRENCY
        concurrency_ok = _range(self.max_concurrency, (lo, hi))
        if not concurrency_ok:
            problems.add(
                "max_concurrency",
                f"{self.max_concurrency} is outside {lo}-{hi} (Lambda event source mapping maximum concurrency; "
                "Flex Consumption's 1000 instances)",
            )
        vcpu_ok = self.container_vcpu in limits.CONTAINER_VCPU
        if not vcpu_ok:
            problems.add(
                "container_vcpu",
                f"{_fmt(self.container_vcpu)} is not allowed; allowed: "
                f"{', '.join(_fmt(v) for v in limits.CONTAINER_VCPU)} (Azure Container Apps consumption; Fargate)",
            )
        sizes = [v * limits.CONTAINER_GB_PER_VCPU for v in limits.CONTAINER_VCPU]
        memory_ok = self.container_memory_gb in sizes
        if not memory_ok:
            problems.add(
                "container_memory_gb",
                f"{_fmt(self.container_memory_gb)} is not allowed; allowed: {', '.join(_fmt(v) for v in sizes)} "
                "(2 GB per vCPU: Azure Container Apps consumption; Fargate)",
            )
        # a container's size, like its image, is a container job's: a function's is memory_mb. The
        # default is let through, as container_image's None is: a spec written out whole (every
        # field, as model_dump gives it) is still the same spec. An allowed size that does not
        # apply is said so, and nothing more is said of the pair.
        misplaced = [
            key
            for key, ok in (("container_vcpu", vcpu_ok), ("container_memory_gb", memory_ok))
            if ok
            and self.mode == "function"
            and key in self.model_fields_set
            and getattr(self, key) != type(self).model_fields[key].default
        ]
        for key in misplaced:
            problems.add(key, "only applies to mode: container_job (a function's size is memory_mb)")
        # the pairs below are judged only when each of their values is allowed on its own
        wanted = self.container_vcpu * limits.CONTAINER_GB_PER_VCPU
        if vcpu_ok and memory_ok and not misplaced and self.container_memory_gb != wanted:
            vcpu_note = _default_note(self, "container_vcpu")
            memory_note = _default_note(self, "container_memory_gb")
            fix = "; set processing.container_memory_gb" if memory_note else ""
            problems.add(
                "container_memory_gb",
                f"{_fmt(self.container_memory_gb)}{memory_note} is not allowed with container_vcpu "
                f"{_fmt(self.container_vcpu)}{vcpu_note}; allowed: {_fmt(wanted)} (2 GB per vCPU: Azure Container "
                f"Apps consumption){fix}",
            )
        vcpus = self.max_concurrency * self.container_vcpu
        if self.mode == "container_job" and vcpu_ok and concurrency_ok and not vcpus.is_integer():
            # AWS Batch caps a compute environment in whole vCPUs (maxvCpus, an integer), so N jobs
            # of 0.25 vCPU run N at once only when N x 0.25 is whole: 5 ran 4 (rounded down to 1
            # vCPU) and 6 ran 8 (2 vCPUs), where Azure's Container Apps job runs exactly N.
            step = round(1 / self.container_vcpu)
            problems.add(
                "max_concurrency",
                f"{self.max_concurrency} jobs of {_fmt(self.container_vcpu)} vCPU are {_fmt(vcpus)} vCPUs; AWS Batch "
                f"counts whole vCPUs (maxvCpus), so with container_vcpu {_fmt(self.container_vcpu)} use a multiple of "
                f"{step} for both clouds to run the same number at once",
            )
        problems.raise_any()
        return self


class Budget(_Model):
    """A monthly budget with alerts on both clouds (AWS Budgets, Azure Consumption budgets)."""

    monthly_usd: float = Field(
        ge=0.01,
        le=1e9,
        description=(
            "Monthly budget, USD, in whole cents (0.01 or more; at most a billion: a sanity bound, past it a slip of "
            "the keyboard)."
        ),
    )
    alert_emails: list[
        Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=EMAIL_MAX_LENGTH), AfterValidator(_smtp_sized)]
    ] = Field(
        min_length=1,
        max_length=10,
        json_schema_extra={"uniqueItems": True},
        description="Who is told when spend crosses a threshold (1-10 addresses, none twice, ignoring case; each "
        "at most 254 characters, at most 64 before the @).",
    )
    # the bounds before the validator: after it, pydantic writes them into the JSON Schema under
    # its own names (`ge`, `le`), which no JSON Schema validator reads
    thresholds_percent: list[Annotated[int, Field(ge=1, le=1000), BeforeValidator(_whole)]] = Field(
        default_factory=lambda: [80, 100],
        json_schema_extra={"uniqueItems": True},
        min_length=1,  # an empty list would silently remove every budget alert on both clouds
        max_length=limits.BUDGET_NOTIFICATIONS_MAX,
        description=(
            "Alert thresholds, each a percent of monthly_usd from 1 to 1000, none twice; 1-5 of them: at least"
            " one, or no alert is ever sent, and at most 5, as Azure budgets take five notifications."
        ),
    )

    @field_validator("monthly_usd")
    @classmethod
    def _whole_cents(cls, value: float) -> float:
        # AWS gets the amount as text with two decimals (components/aws/observability.py), Azure as
        # a number: 0.004 went to AWS as "0.00" and 12.345 as "12.35", budgets unlike the spec's.
        if round(value, 2) != value:  # exact for a number written with two decimals or fewer
            raise ValueError(f"{_fmt(value)} is not a whole number of cents; a budget is in dollars and cents")
        return value

    @field_validator("alert_emails", "thresholds_percent")
    @classmethod
    def _unique(cls, values: list[Any], info: ValidationInfo) -> list[Any]:
        # An address is compared without case: one mailbox spelt twice would be told twice,
        # and the alert subscriptions are named by the address in lower case (components/*/observability.py).
        def same(v: Any) -> Any:
            return v.casefold() if info.field_name == "alert_emails" and isinstance(v, str) else v

        keys = [same(v) for v in values]
        dupes = sorted({v for v, k in zip(values, keys, strict=True) if keys.count(k) > 1})
        if dupes:  # AWS Budgets refuses a notification or subscriber given twice
            case = " (addresses compare without case)" if info.field_name == "alert_emails" else ""
            raise ValueError(f"duplicate values {dupes}{case}")
        return values


class Usage(_Model):
    """Monthly usage assumptions the cost model cannot derive from the rest of the spec.

    The upper bounds of the query figures are sanity bounds, not service limits: an exabyte a
    month, a million queries an hour. The telemetry rate's is a service limit (the 20,000 KB/s
    of 20 Event Hubs throughput units). A figure past them is a slip of the keyboard, and
    below them every cost the report adds up stays a number (1e308 GB of egress was an
    infinite cost; 10**400 queries a crash)."""

    query_tb_scanned_per_month: float = Field(
        1.0, ge=0, le=1e6, description="TB scanned by serverless SQL per month (at most an exabyte)."
    )
    queries_per_month: WholeNumber = Field(
        3000, ge=0, le=730_000_000, description="Serverless SQL queries per month (at most a million an hour)."
    )
    egress_gb_per_month: float = Field(
        0.0, ge=0, le=1e9, description="GB sent out of the cloud per month (at most an exabyte)."
    )
    products_ratio: float | None = Field(
        None,
        ge=0,
        le=10,
        description="Products GB written per raw GB the processor reads (demod/decode downlinks, processing on). "
        "Unset: what groundlink's processor writes, its frame streams (as large as the decoded data) and their "
        "frame index; set it for a mission whose products are larger or smaller than its frames.",
    )
    telemetry_kb_per_second: float = Field(
        1.0,
        ge=0,
        le=limits.EVENT_HUBS_STANDARD_MAX_UNITS * limits.EVENT_HUBS_TU_INGRESS_KB_PER_SECOND,
        description="Contact telemetry rate while in contact, KB/s (at most the 20,000 KB/s of an Event Hubs "
        "Standard namespace's 20 throughput units).",
    )


_STACK_REGION_ENUM: list[JsonValue] = [*sorted(limits.AWS_STACK_REGIONS)]


def network_cidr_problem(value: str, example: str) -> str | None:
    """Why `value` cannot be a mission network's address space (`clouds.<cloud>.network_cidr`),
    or None: a CIDR range, without host bits, private (RFC 1918), /16 to /24."""
    import ipaddress

    if not re.fullmatch(CIDR_PATTERN, value):
        return f"{show(value)} is not an IPv4 range in CIDR notation; allowed: a.b.c.d/n such as {example}"
    # the range's size and place first: the host-bits fix names the range it lies in, which must
    # itself be allowed (10.64.1.0/8 lies in 10.0.0.0/8, a /8)
    net = ipaddress.IPv4Network(value, strict=False)
    low, high = limits.MISSION_NETWORK_PREFIXES
    if not low <= net.prefixlen <= high:
        return f"{value} is a /{net.prefixlen}; allowed: /{low} to /{high} (the network's subnets take its first /24)"
    if not any(net.subnet_of(ipaddress.IPv4Network(block)) for block in limits.PRIVATE_IPV4_RANGES):
        return f"{value} is not a private range; allowed: inside {', '.join(limits.PRIVATE_IPV4_RANGES)} (RFC 1918)"
    if str(net) != value:
        return f"{value} has host bits set; allowed: {net} (the range it lies in)"
    return None


def _network_cidr(example: str) -> AfterValidator:
    """The check of a cloud's `network_cidr` (`network_cidr_problem`), its example the cloud's default."""

    def check(value: str) -> str:
        if problem := network_cidr_problem(value, example):
            raise _fail("", problem)
        return value

    return AfterValidator(check)


NETWORK_CIDR_DESCRIPTION = (
    "a private IPv4 range (RFC 1918) in CIDR notation, /16 to /24; its first /24 holds the subnets. Choose one "
    "that no network you peer or connect it with uses (every mission takes the default otherwise)."
)


class AwsCloud(_Model):
    """Where the AWS stack lives: a region where every service the stack uses has an endpoint."""

    region: str = Field(
        "us-west-2",
        pattern=limits.AWS_REGION_PATTERN,
        json_schema_extra={"enum": _STACK_REGION_ENUM},
        description="AWS region of the stack.",
    )
    replica_region: (
        Annotated[
            str,
            Field(pattern=limits.AWS_REGION_PATTERN, json_schema_extra={"enum": sorted(limits.AWS_REPLICA_REGIONS)}),
        ]
        | None
    ) = Field(
        None,
        description="Region S3 replicates the stores to with storage.redundancy: geo (not the stack's region).",
    )
    network_cidr: Annotated[str, _network_cidr(limits.AWS_NETWORK_CIDR)] = Field(
        limits.AWS_NETWORK_CIDR,
        description="Address space of the mission VPC (security.network: private, a managed station's live "
        "stream, container jobs' own VPC), its subnet the first /24: " + NETWORK_CIDR_DESCRIPTION,
        json_schema_extra={"pattern": NETWORK_CIDR_PATTERN},
    )

    @field_validator("region", "replica_region", mode="before")
    @classmethod
    def _commercial(cls, value: Any, info: ValidationInfo) -> Any:
        """A GovCloud, China or isolated region, named as such: the name pattern (commercial
        regions only) called us-gov-west-1 "not an AWS region name". Any other name that is no
        region's (`eu-wset-1`) is told the regions it may have meant, as a location is."""
        partition = limits.aws_partition_of(value) if isinstance(value, str) else None
        if partition not in (None, "aws"):
            raise ValueError(
                f"{value} is a region of the {partition} partition, and groundlink deploys to the AWS "
                f"commercial partition (aws) only; {_nearby_regions('us-', limits.AWS_STACK_REGIONS)}"
            )
        if isinstance(value, str) and not re.fullmatch(limits.AWS_REGION_PATTERN, value):
            allowed = limits.AWS_STACK_REGIONS if info.field_name == "region" else limits.AWS_REPLICA_REGIONS
            close = difflib.get_close_matches(value.lower(), allowed, n=1, cutoff=0.8)
            meant = f"did you mean {close[0]}? " if close else ""
            raise ValueError(f"{value!r} is not an AWS region name; {meant}{_nearby_regions(value.lower(), allowed)}")
        return value

    @model_validator(mode="after")
    def _check(self) -> AwsCloud:
        problems = _Problems("clouds.aws")
        if self.region not in limits.AWS_STACK_REGIONS:
            problems.add(
                "region",
                f"{self.region} is not an AWS region with the stack's services (botocore endpoint data); "
                f"{_nearby_regions(self.region, limits.AWS_STACK_REGIONS)}",
            )
        replica = self.replica_region
        if replica is not None and replica == self.region:
            problems.add("replica_region", f"{replica} is the stack's region; name a second region")
        elif replica is not None and replica not in limits.AWS_REPLICA_REGIONS:
            problems.add(
                "replica_region",
                f"{replica} has no S3 and KMS endpoints (botocore endpoint data); "
                f"{_nearby_regions(replica, limits.AWS_REPLICA_REGIONS)}",
            )
        problems.raise_any()
        return self


def _nearby_regions(region: str, allowed: frozenset[str], listed: str = "the schema's enum lists them") -> str:
    """'allowed: ...' for a region or location outside `allowed`, short enough for one line:
    an AWS region's geography (`eu-`), or an Azure location's closest names (`westus` ->
    westus2, westus3); the schema's enum lists every one."""
    if any("-" in name for name in allowed):  # AWS regions, whatever the name given looks like
        geography = region.split("-")[0] if "-" in region else None
        nearby = sorted(r for r in allowed if r.split("-")[0] == geography) or sorted(
            difflib.get_close_matches(region, allowed, n=4, cutoff=0.6)
        )
        every, fallback = "AWS region", ["us-east-1", "us-east-2", "eu-west-1"]
    else:
        nearby = sorted(difflib.get_close_matches(region, allowed, n=4, cutoff=0.6))
        every, fallback = "location", ["eastus", "westeurope", "westus2"]
    return f"allowed: {', '.join(nearby[:8] or fallback)} ... (every {every}: {listed})"


def _reserved_everywhere(network: Any) -> list[Any]:
    """The addresses Azure reserves in whichever subnet of `network` holds them: its first four
    and its last (subnets are aligned blocks; limits.AZURE_SUBNET_RESERVED_FIRST)."""
    return [*(network[i] for i in range(limits.AZURE_SUBNET_RESERVED_FIRST)), network.broadcast_address]


class OrbitalEndpoint(_Model):
    """Where the retired Azure Orbital Ground Station streamed a contact: VNet injection into a
    delegated subnet, to an endpoint the mission runs (legacy_orbital only). Rules from Microsoft
    Learn "Prepare the network for Azure Orbital Ground Station integration" (docs/facts.md §4)."""

    vnet_cidr: str = Field(
        "10.40.0.0/16",
        description="Address space of the ground-segment VNet (CIDR a.b.c.d/n).",
        json_schema_extra={"pattern": CIDR_PATTERN},
    )
    gateway_subnet_cidr: str = Field(
        "10.40.1.0/24",
        description="Empty subnet delegated to Microsoft.Orbital/orbitalGateways: /24 or larger, inside vnet_cidr.",
        json_schema_extra={"pattern": ORBITAL_SUBNET_CIDR_PATTERN},
    )
    ip_address: str = Field(
        "10.40.0.4",
        json_schema_extra={"pattern": IPV4_PATTERN},
        description="IPv4 address of the endpoint (TCP/UDP server mode): inside "
        "vnet_cidr, outside the delegated subnet.",
    )
    port: WholeNumber = Field(
        50000,
        description="First endpoint port; a satellite's downlinks use port, port+1, ... "
        "(49152-65535, unique per contact profile).",
        json_schema_extra=_schema_range(limits.AOGS_ENDPOINT_PORTS),
    )
    protocol: Literal["tcp", "udp"] = Field("tcp", description="Endpoint protocol.")
    mtu: WholeNumber = Field(
        3650,
        description="MTU the endpoint's network interface must use (3650-65535: at least what Azure Orbital "
        "sends, at most an IPv4 packet).",
        json_schema_extra=_schema_range((limits.AOGS_MIN_MTU, limits.AOGS_MAX_MTU)),
    )
    resource_provider_object_id: str | None = Field(
        None,
        pattern=GUID_PATTERN,
        description="Entra object id of the 'Azure Orbital Resource Provider' service principal in your tenant, "
        "granted 'Azure Event Hubs Data Sender' on the telemetry hub; without it contact profiles get no telemetry hub.",
    )

    @model_validator(mode="after")
    def _check(self) -> OrbitalEndpoint:
        import ipaddress

        problems = _Problems("orbital")
        nets = {}
        for key in ("vnet_cidr", "gateway_subnet_cidr"):
            value = getattr(self, key)
            if not re.fullmatch(CIDR_PATTERN, value):
                problems.add(
                    key,
                    f"{show(value)} is not an IPv4 range in CIDR notation; allowed: a.b.c.d/n (decimal, no "
                    "leading zeros; no netmask such as /255.255.0.0: Azure address prefixes take CIDR)",
                )
                continue
            try:
                nets[key] = ipaddress.IPv4Network(value)
            except ValueError:
                wide = ipaddress.IPv4Network(value, strict=False)
                problems.add(key, f"{value} has host bits set; allowed: {wide} (the range it lies in)")
        # the ranges against each other, and the address against them, when both ranges are sound
        vnet, gateway = nets.get("vnet_cidr"), nets.get("gateway_subnet_cidr")
        forbidden = [
            block
            for block in limits.AZURE_VNET_FORBIDDEN_RANGES
            if vnet is not None and vnet.overlaps(ipaddress.IPv4Network(block))
        ]
        if forbidden:
            problems.add(
                "vnet_cidr",
                f"{vnet} overlaps {forbidden[0]}, which no Azure virtual network may hold; allowed: a range outside "
                f"{', '.join(limits.AZURE_VNET_FORBIDDEN_RANGES)} (RFC 1918 ranges such as 10.40.0.0/16)",
            )
            vnet = None  # the subnet and the address are not judged against it
        if gateway is not None and gateway.prefixlen > limits.AOGS_MIN_SUBNET_PREFIX:
            problems.add(
                "gateway_subnet_cidr",
                f"/{gateway.prefixlen} is smaller than /{limits.AOGS_MIN_SUBNET_PREFIX} "
                "(Azure Orbital delegated subnet)",
            )
            gateway = None  # the address is not judged against it (a /31 network held a /32 one)
        elif vnet is not None and gateway is not None and not gateway.subnet_of(vnet):
            problems.add("gateway_subnet_cidr", f"{gateway} is not inside vnet_cidr {vnet}")
        if not re.fullmatch(IPV4_PATTERN, self.ip_address):
            problems.add(
                "ip_address",
                f"{show(self.ip_address)} is not an IPv4 address; allowed: a.b.c.d (decimal, no leading zeros)",
            )
        elif vnet is not None and gateway is not None:
            ip = ipaddress.IPv4Address(self.ip_address)
            if ip not in vnet or ip in gateway:
                problems.add("ip_address", f"{ip} must be inside {vnet} and outside the delegated subnet {gateway}")
            elif gateway.subnet_of(vnet) and ip in _reserved_everywhere(vnet):  # a network of a /24 or more
                problems.add(
                    "ip_address",
                    f"{ip} is reserved by Azure in whichever subnet of {vnet} holds it (the first four and the "
                    f"last address of a subnet); allowed: an address of {vnet} from {vnet[limits.AZURE_SUBNET_RESERVED_FIRST]} to {vnet[-2]}, "
                    f"outside the delegated subnet {gateway}",
                )
        lo, hi = limits.AOGS_ENDPOINT_PORTS
        if not _range(self.port, (lo, hi)):
            problems.add("port", f"{self.port} is outside {lo}-{hi} (Azure Orbital endpoint ports)")
        if self.mtu < limits.AOGS_MIN_MTU:
            problems.add(
                "mtu",
                f"{show(self.mtu)} is under {limits.AOGS_MIN_MTU} (Azure Orbital endpoint MTU); allowed: "
                f"{limits.AOGS_MIN_MTU}-{limits.AOGS_MAX_MTU}",
            )
        elif self.mtu > limits.AOGS_MAX_MTU:
            problems.add(
                "mtu",
                f"{show(self.mtu)} is over {limits.AOGS_MAX_MTU}, an IPv4 packet's largest size (RFC 791); allowed: "
                f"{limits.AOGS_MIN_MTU}-{limits.AOGS_MAX_MTU}",
            )
        problems.raise_any()
        return self


class AzureCloud(_Model):
    """Where the Azure landing zone lives; zone redundancy limits it to the locations with ZRS storage."""

    location: str = Field(
        "westus2",
        pattern=limits.AZURE_LOCATION_PATTERN,
        json_schema_extra={"enum": [*sorted(limits.AZURE_ZRS_LOCATIONS)]},
        description="Azure location of the stack: one whose storage accounts offer zone-redundant storage.",
    )

    @field_validator("location", mode="before")
    @classmethod
    def _location_name(cls, value: Any) -> Any:
        """A display name (`East US`, `West US 2`, as the portal shows it) or a name in capitals is
        told the name it stands for, with the locations it may have meant, as an AWS region is:
        the pattern alone said only which characters a name holds."""
        if isinstance(value, str) and not re.fullmatch(limits.AZURE_LOCATION_PATTERN, value):
            name = re.sub(r"[\s_-]", "", value.lower())
            allowed = limits.AZURE_ZRS_LOCATIONS
            if name in allowed:
                meant = f"did you mean {name}? "
            elif name.startswith(limits.AZURE_SOVEREIGN_LOCATION_STARTS):
                meant = (
                    f"as a name {name}, a sovereign-cloud location (Azure operated by 21Vianet or Azure Government), "
                    "and groundlink deploys to the Azure public cloud only; "
                )
            elif re.fullmatch(limits.AZURE_LOCATION_PATTERN, name):
                meant = f"as a name {name}, not a location with zone-redundant storage (the mission's account is ZRS); "
            else:
                meant = ""
            raise ValueError(
                f"{value!r} is not an Azure location name (lowercase letters and digits: the `name` "
                f"`az account list-locations` gives, not its display name); {meant}"
                f"{_nearby_regions(name or value, allowed)}"
            )
        return value

    legacy_orbital: bool = Field(
        False,
        description="Emit the retired Azure Orbital Ground Station resources (retired 2024-12-18; "
        "they preview but can no longer be created).",
    )
    orbital: OrbitalEndpoint = Field(
        default_factory=OrbitalEndpoint,
        description="Endpoint network of the retired Azure Orbital resources (legacy_orbital only).",
    )
    network_cidr: Annotated[str, _network_cidr(limits.AZURE_NETWORK_CIDR)] = Field(
        limits.AZURE_NETWORK_CIDR,
        description="Address space of the mission's virtual network (security.network: private, or the "
        "processor's own network in a public stack), the private endpoints' subnet the first /25 of its first "
        "/24 and the processor's the second: " + NETWORK_CIDR_DESCRIPTION,
        json_schema_extra={"pattern": NETWORK_CIDR_PATTERN},
    )
    global_name_seed: str | None = Field(
        None,
        pattern=GLOBAL_NAME_SEED,
        description="A value of yours (1-64 letters, digits, '.', '_' or '-'; your subscription id, say) hashed "
        "with the mission name into the names Azure holds globally unique (storage account, key vault, Service "
        "Bus and Event Hubs namespaces, Synapse workspace, Data Explorer cluster, function app): without it the "
        "hash is of the mission name alone, the same in every subscription, and the first stack anywhere of a "
        "mission of that name holds them. Chosen before the first `pulumi up`: changing it renames, so "
        "replaces, every store it names.",
    )


class Clouds(_Model):
    """Per-cloud placement: the rest of the spec is the same on both."""

    aws: AwsCloud = Field(default_factory=AwsCloud)
    azure: AzureCloud = Field(default_factory=AzureCloud)


# What a contact too large for the processor's local disk leaves the author (Spec._check_processing_disk).
SHORTER_OR_LOCAL = "shorten ground_segment.contact_minutes or set processing.enabled: false"


def _nested(path: str, leaf: dict[str, JsonValue], present: bool) -> dict[str, JsonValue]:
    """A schema applying `leaf` to the field at dotted `path` (`name[]`: each item of a list),
    required to be given along the way when `present`, else holding too where it is left out."""
    node = leaf
    for part in reversed(path.split(".")):
        name = part.removesuffix("[]")
        child: JsonValue = {"items": node} if part.endswith("[]") else node
        node = {"properties": {name: child}, **({"required": [name]} if present and not part.endswith("[]") else {})}
    return node


def _is(path: str, value: JsonValue) -> dict[str, JsonValue]:
    """Where the field at `path` is given as `value`."""
    return _nested(path, {"const": value}, present=True)


def _is_or_default(path: str, value: JsonValue) -> dict[str, JsonValue]:
    """Where the field at `path` is `value`, given or by its default (left out)."""
    return _nested(path, {"const": value}, present=False)


def _all_default(section: str, model: type[BaseModel], keys: tuple[str, ...]) -> dict[str, JsonValue]:
    """Where each of `keys` of `section` is left out or given as `model`'s default."""
    return {"allOf": [_is_or_default(f"{section}.{key}", model.model_fields[key].default) for key in keys]}


def _rule(description: str, *either: dict[str, JsonValue]) -> dict[str, JsonValue]:
    return {"description": description, "anyOf": list(either)}


# The stack regions a managed ground segment may use, as a JSON Schema enum.
_GROUND_STATION_REGION_ENUM: list[JsonValue] = [*sorted(limits.AWS_GROUND_STATION_API_REGIONS)]

# A downlink's fields that only apply to delivery: demod_decode (Downlink._check).
DEMOD_DECODE_ONLY = ("preset", "demodulation_json", "decode_json")


# Where the AWS stack has a VPC (MissionSpec.aws_network), as the schema says it: a private
# network, a managed station's live stream, or the container jobs' own network.
AWS_HAS_A_VPC: list[dict[str, JsonValue]] = [
    _is("security.network", "private"),
    {"allOf": [_is("delivery.stream", True), _is_or_default("ground_segment.provider", "managed")]},
    {
        "allOf": [
            _is("processing.mode", "container_job"),
            _is_or_default("processing.enabled", True),
            _is_or_default("delivery.object_store", True),
        ]
    },
]


# The requirements that span fields, as the schema says them to an editor: a spec of the
# per-field required keys alone (a demod_decode downlink without a preset) was valid to the
# editor and refused by validate. Each is a check of the model's; the bounds that depend on
# other fields (bands, disk, padding, checksums) stay validate's alone. Defaults matter: a
# field left out is its default (provider managed, object_store true, premium_messaging false).
CROSS_FIELD_RULES: list[JsonValue] = [
    _rule(
        "With ground_segment.provider: managed (the default), each demod_decode downlink needs AWS Ground "
        "Station's configs: a preset, or both demodulation_json and decode_json.",
        _is("ground_segment.provider", "partner"),
        _nested(
            "satellites[].downlinks[]",
            {
                "anyOf": [
                    _is("delivery", "digif"),
                    _nested("preset", {"type": "string"}, present=True),
                    # given as text: `demodulation_json: null` is the key present and no config
                    {
                        "allOf": [
                            _nested("demodulation_json", {"type": "string"}, present=True),
                            _nested("decode_json", {"type": "string"}, present=True),
                        ]
                    },
                ]
            },
            present=False,
        ),
    ),
    _rule(
        "ground_segment.provider: partner needs ground_segment.partner.",
        _is_or_default("ground_segment.provider", "managed"),
        _nested("ground_segment.partner", {"type": "object"}, present=True),
    ),
    _rule(
        "delivery needs object_store or stream (or both).",
        _is_or_default("delivery.object_store", True),
        _is("delivery.stream", True),
    ),
    _rule(
        "processing.enabled (the default) needs delivery.object_store: the processor reads the contact's objects.",
        _is("processing.enabled", False),
        _is_or_default("delivery.object_store", True),
    ),
    _rule(
        "processing.mode: container_job needs processing.container_image while processing is enabled.",
        _is_or_default("processing.mode", "function"),
        _is("processing.enabled", False),
        _nested("processing.container_image", {"type": "string"}, present=True),
    ),
    _rule(
        "analytics.serverless_sql (the default) needs analytics.catalog.",
        _is("analytics.serverless_sql", False),
        _is_or_default("analytics.catalog", True),
    ),
    _rule(
        "security.premium_messaging needs security.customer_managed_keys.",
        _is_or_default("security.premium_messaging", False),
        _is_or_default("security.customer_managed_keys", True),
    ),
    _rule(
        "storage.redundancy: geo needs clouds.aws.replica_region.",
        _is_or_default("storage.redundancy", "zone"),
        _nested("clouds.aws.replica_region", {"type": "string"}, present=True),
    ),
    _rule(
        "clouds.aws.replica_region only applies to storage.redundancy: geo.",
        _is("storage.redundancy", "geo"),
        _is_or_default("clouds.aws.replica_region", None),
    ),
    _rule(
        "ground_segment.partner only applies to provider: partner.",
        _is("ground_segment.provider", "partner"),
        _is_or_default("ground_segment.partner", None),
    ),
    _rule(
        "ground_segment.partner.aws_external_id only applies with ground_segment.partner.aws_account_id.",
        _nested("ground_segment.partner.aws_account_id", {"type": "string"}, present=True),
        _is_or_default("ground_segment.partner.aws_external_id", None),
    ),
    _rule(
        "ground_segment.pre_pass_seconds and post_pass_seconds only apply to provider: managed (the default): "
        "a partner sets its antennas by its own configuration.",
        _is_or_default("ground_segment.provider", "managed"),
        _all_default("ground_segment", GroundSegment, PARTNER_PADDING),
    ),
    _rule(
        "ground_segment.autotrack only applies to provider: managed (the default) or clouds.azure.legacy_orbital: "
        "true: a partner sets its antennas by its own configuration.",
        _is_or_default("ground_segment.provider", "managed"),
        _is("clouds.azure.legacy_orbital", True),
        _is_or_default("ground_segment.autotrack", GroundSegment.model_fields["autotrack"].default),
    ),
    _rule(
        "ground_segment.dubbo_minutes_share only applies to provider: managed (the default); 0 with a partner.",
        _is_or_default("ground_segment.provider", "managed"),
        _is_or_default("ground_segment.dubbo_minutes_share", 0),
    ),
    _rule(
        "With ground_segment.provider: managed (the default), clouds.aws.region needs an AWS Ground Station "
        "API endpoint.",
        _is("ground_segment.provider", "partner"),
        _nested("clouds.aws.region", {"enum": _GROUND_STATION_REGION_ENUM}, present=False),
    ),
    _rule(
        "A downlink's digif_mbps only applies to delivery: digif; its preset, demodulation_json and decode_json "
        "only to delivery: demod_decode (the default).",
        _nested(
            "satellites[].downlinks[]",
            {
                "anyOf": [
                    {"allOf": [_is("delivery", "digif"), *(_is_or_default(key, None) for key in DEMOD_DECODE_ONLY)]},
                    {"allOf": [_is_or_default("delivery", "demod_decode"), _is_or_default("digif_mbps", None)]},
                ]
            },
            present=False,
        ),
    ),
    _rule(
        "storage.geo_read_access only applies to storage.redundancy: geo.",
        _is("storage.redundancy", "geo"),
        _is_or_default("storage.geo_read_access", False),
    ),
    _rule(
        "processing.container_image only applies to processing.mode: container_job.",
        _is("processing.mode", "container_job"),
        _is_or_default("processing.container_image", None),
    ),
    _rule(
        "clouds.aws.network_cidr only applies where the AWS stack has a VPC: security.network: private, a live "
        "stream from provider: managed, or processing.mode: container_job.",
        _is_or_default("clouds.aws.network_cidr", AwsCloud.model_fields["network_cidr"].default),
        *AWS_HAS_A_VPC,
    ),
    _rule(
        "security.flow_log_retention_days only applies where the AWS stack has a VPC (whose traffic the flow logs "
        "keep): security.network: private, a live stream from provider: managed, or processing.mode: container_job.",
        _is_or_default("security.flow_log_retention_days", Security.model_fields["flow_log_retention_days"].default),
        *AWS_HAS_A_VPC,
    ),
    _rule(
        "clouds.azure.network_cidr only applies where the Azure stack has a virtual network: security.network: "
        "private, or contact processing (processing.enabled, the default, with delivery.object_store).",
        _is_or_default("clouds.azure.network_cidr", AzureCloud.model_fields["network_cidr"].default),
        _is("security.network", "private"),
        {"allOf": [_is_or_default("processing.enabled", True), _is_or_default("delivery.object_store", True)]},
    ),
    _rule(
        "clouds.azure.orbital only applies to clouds.azure.legacy_orbital: true.",
        _is("clouds.azure.legacy_orbital", True),
        {
            "allOf": [
                _is_or_default(f"clouds.azure.orbital.{key}", field.default)
                for key, field in OrbitalEndpoint.model_fields.items()
            ]
        },
    ),
    _rule(
        "processing.mode: container_job needs a clouds.aws.region with EventBridge Pipes, which starts its jobs "
        "(while processing is enabled).",
        _is_or_default("processing.mode", "function"),
        _is("processing.enabled", False),
        _nested("clouds.aws.region", {"enum": [*sorted(limits.AWS_PIPES_REGIONS)]}, present=False),
    ),
    _rule(
        "processing.container_vcpu and processing.container_memory_gb only apply to processing.mode: "
        "container_job (a function's size is memory_mb).",
        _is("processing.mode", "container_job"),
        _all_default("processing", Processing, ("container_vcpu", "container_memory_gb")),
    ),
    _rule(
        "processing.memory_mb only applies to processing.mode: function (a container job's memory is "
        "container_memory_gb).",
        _is_or_default("processing.mode", "function"),
        _is_or_default("processing.memory_mb", Processing.model_fields["memory_mb"].default),
    ),
    _rule(
        "storage.redundancy: geo needs a clouds.azure.location with geo-zone-redundant storage (GZRS).",
        _is_or_default("storage.redundancy", "zone"),
        _nested("clouds.azure.location", {"enum": [*sorted(limits.AZURE_GZRS_LOCATIONS)]}, present=False),
    ),
    _rule(
        "clouds.azure.legacy_orbital needs a clouds.azure.location that hosted Azure Orbital.",
        _is_or_default("clouds.azure.legacy_orbital", False),
        _nested("clouds.azure.location", {"enum": [*sorted(limits.AOGS_ELIGIBLE_LOCATIONS)]}, present=False),
    ),
    _rule(
        "With ground_segment.provider: managed (the default), no satellite may be one AWS Ground Station no "
        f"longer supports (NORAD ids {', '.join(map(str, sorted(limits.AWS_UNSUPPORTED_SATELLITES)))}).",
        _is("ground_segment.provider", "partner"),
        _nested(
            "satellites[]",
            {"properties": {"norad_id": {"not": {"enum": [*sorted(limits.AWS_UNSUPPORTED_SATELLITES)]}}}},
            present=False,
        ),
    ),
    _rule(
        "clouds.azure.orbital.resource_provider_object_id needs analytics.telemetry_stream (its grant is on the "
        "telemetry hub).",
        _is_or_default("clouds.azure.legacy_orbital", False),
        _is_or_default("clouds.azure.orbital.resource_provider_object_id", None),
        _is_or_default("analytics.telemetry_stream", True),
    ),
    _rule(
        "clouds.azure.legacy_orbital needs the TLE lines of every satellite.",
        _is_or_default("clouds.azure.legacy_orbital", False),
        _nested("satellites[]", _nested("tle", {"type": "array"}, present=True), present=False),
    ),
    _rule(
        "clouds.azure.legacy_orbital takes a downlink's polarization right_hand or left_hand (Azure Orbital has "
        "no polarization none).",
        _is_or_default("clouds.azure.legacy_orbital", False),
        _nested(
            "satellites[].downlinks[]", {"properties": {"polarization": {"not": {"const": "none"}}}}, present=False
        ),
    ),
]


class MissionSpec(_Model):
    """A satellite mission's ground-to-cloud data platform."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        allow_inf_nan=False,
        json_schema_extra={"$id": "https://groundlink.dev/schema/mission.schema.json", "allOf": CROSS_FIELD_RULES},
    )

    version: Annotated[Literal[1], _no_boolean("1")] = Field(1, description="Spec format version; 1 is the only one.")
    mission: Mission
    satellites: list[Satellite] = Field(min_length=1, max_length=500, description="The mission's satellites (1-500).")
    ground_segment: GroundSegment = Field(default_factory=GroundSegment)
    delivery: Delivery = Field(default_factory=Delivery)
    storage: Storage = Field(default_factory=Storage)
    analytics: Analytics = Field(default_factory=Analytics)
    security: Security = Field(default_factory=Security)
    processing: Processing = Field(default_factory=Processing)
    budget: Budget
    usage: Usage = Field(default_factory=Usage)
    clouds: Clouds = Field(default_factory=Clouds)

    def _contact_disk(self) -> tuple[int, float, float] | None:
        """The index of the satellite whose contact needs the most local disk, with its raw GB and
        products GB: the processor stages a contact's raw files and, beside them, its products
        (frame streams as large as the decoded data, and the frame index; DigIF samples hold no
        frames, and the frame index, twice while it is rewritten). A decoded downlink's captures hold its bits and each datagram's headers
        (limits.CAPTURE_HEADER_BYTES): sized without them, a contact the check let through ran
        out of disk. A DigIF rate is the captures' own (measured from delivered objects)."""
        seconds = self.ground_segment.contact_minutes * 60
        datagram = self.processing.capture.datagram_payload_bytes
        # the frame index twice: the end-of-contact rewrite (a frame late across chunks) writes a
        # new copy beside the old before it replaces it
        index = 1 + 2 * limits.INDEX_BYTES_PER_FRAME / self.processing.capture.cadu_length
        needs = [
            (
                i,
                sum(d.capture_gb(seconds, datagram) for d in sat.downlinks),
                sum(d.gb_in(seconds) for d in sat.downlinks if d.delivery == "demod_decode") * index,
            )
            for i, sat in enumerate(self.satellites)
        ]
        return max(needs, key=lambda need: need[1] + need[2], default=None)

    def _header_share(self, i: int) -> str:
        """Where the datagrams' headers make most of satellite `i`'s raw captures (a small
        processing.capture.datagram_payload_bytes), that field as the refusal names it, else "":
        the refusal blamed the data rate, which was not what to change."""
        datagram = self.processing.capture.datagram_payload_bytes
        seconds = self.ground_segment.contact_minutes * 60
        downlinks = self.satellites[i].downlinks
        headers = sum(d.capture_gb(seconds, datagram) - d.gb_in(seconds) for d in downlinks if d.delivery != "digif")
        if 2 * headers < sum(d.capture_gb(seconds, datagram) for d in downlinks):  # less than half the captures
            return ""
        return (
            f"processing.capture.datagram_payload_bytes: {datagram} ({limits.CAPTURE_HEADER_BYTES} bytes of headers "
            "on each: raise it)"
        )

    def _largest_rate(self, i: int) -> str:
        """The field that sizes most of satellite `i`'s contact on disk, as `path: value`: a
        refusal over a contact's size names the rate it comes from, not only its length, since a
        DigIF downlink (about 30 times its bitstream) is the usual cause."""
        seconds = self.ground_segment.contact_minutes * 60
        downlinks = self.satellites[i].downlinks
        j, downlink = max(
            enumerate(downlinks), key=lambda pair: pair[1].gb_in(seconds) * (2 if pair[1].delivery != "digif" else 1)
        )
        where = f"satellites[{i}].downlinks[{j}]"
        if downlink.delivery == "demod_decode":
            return f"{where}.data_rate_mbps: {_fmt(downlink.data_rate_mbps)}"
        if downlink.digif_mbps is not None:
            return f"{where}.digif_mbps: {_fmt(downlink.digif_mbps)}"
        rate = downlink.gb_in(1) * 8000
        return (
            f"{where}.bandwidth_mhz: {_fmt(downlink.bandwidth_mhz)} (DigIF, {rate:,.0f} Mbps by default; "
            "digif_mbps sets it)"
        )

    def aws_ground_station_unsupported(self) -> list[tuple[int, Satellite, str]]:
        """The satellites AWS Ground Station no longer supports, each with its index and the date
        support ended: one answer for the spec, which refuses `provider: managed` for them, and
        for the cost decision, which then offers no Ground Station alternative."""
        return [
            (i, sat, ended)
            for i, sat in enumerate(self.satellites)
            if (ended := limits.AWS_UNSUPPORTED_SATELLITES.get(sat.norad_id))
        ]

    def contacts_at_once(self) -> int:
        """Contacts under way at the same time at least: the constellation's contact minutes a day
        over the day's 1,440, rounded up (at least 1). One satellite takes one contact at a time
        (the spec bounds its minutes to a day's), but 50 satellites of 6 contacts of 8 minutes are
        2,400 minutes a day: two at once for much of it, whatever the schedule."""
        gs = self.ground_segment
        minutes = gs.contacts_per_day * gs.contact_minutes * len(self.satellites)
        return max(1, math.ceil(minutes / limits.MINUTES_PER_DAY - 1e-9))

    def hub_streams(self) -> bool:
        """Whether a partner streams its downlinks' data live into the mission's hub (its Entra
        principal given, not the retired Orbital resources)."""
        partner = self.ground_segment.partner
        hub = self.delivery.stream and partner is not None and bool(partner.azure_principal_object_id)
        return hub and not self.clouds.azure.legacy_orbital

    def telemetry_senders(self) -> frozenset[str]:
        """The clouds whose stack sends contact telemetry into its stream: AWS Ground Station's
        telemetry sink (`provider: managed`), the retired Azure Orbital's grant (given its resource
        provider's object id). A partner network sends none."""
        if not self.analytics.telemetry_stream:
            return frozenset()
        azure = self.clouds.azure
        return frozenset({"aws"} if self.ground_segment.provider == "managed" else set()) | frozenset(
            {"azure"} if azure.legacy_orbital and azure.orbital.resource_provider_object_id else set()
        )

    def hub_telemetry_kb_per_second(self) -> float:
        """KB a second of one contact's telemetry that Azure's telemetry hub is sized for: the
        spec's rate where some cloud's stack sends telemetry (`telemetry_senders`; Azure's hub is
        the equivalent of AWS's stream, sized alike), else none: with a partner nothing sends it,
        and the hub was sized, priced and refused by a rate the report said was not used."""
        return self.usage.telemetry_kb_per_second if self.telemetry_senders() else 0.0

    def contact_hub_kb_per_second(self) -> float:
        """KB a second Azure's contact hubs, in one Event Hubs namespace, take while contacts are
        under way: `contacts_at_once` contacts, of the fastest satellites, each with its telemetry
        (where something sends it) and, when the partner streams into the hub, its downlinks' data."""
        at_once = self.contacts_at_once()
        telemetry = self.hub_telemetry_kb_per_second()
        if not self.hub_streams():
            return telemetry * at_once
        rates = sorted((sum(d.gb_in(1) for d in sat.downlinks) * 1e6 for sat in self.satellites), reverse=True)
        return telemetry * at_once + sum(rates[:at_once])

    def _check_contact_hub_rate(self) -> None:
        """Event Hubs Standard throttles a namespace above its throughput units, at most 20; the
        stack sizes its hubs' namespace by them whatever its tier (GroundInputs.hub_units)."""
        kb = self.contact_hub_kb_per_second()
        units = limits.event_hubs_units(kb)
        if units <= limits.EVENT_HUBS_STANDARD_MAX_UNITS:
            return
        most = limits.EVENT_HUBS_STANDARD_MAX_UNITS * limits.EVENT_HUBS_TU_INGRESS_KB_PER_SECOND
        at_once = self.contacts_at_once()
        whose = "its" if at_once == 1 else "their"
        # a partner streaming into the hub sends no telemetry (`hub_telemetry_kb_per_second`)
        what = f"a live stream of {whose} downlinks" if self.hub_streams() else "telemetry"
        who = (
            "a contact sends"
            if at_once == 1
            else (
                f"{at_once} contacts at once (satellites x contacts_per_day x contact_minutes over a day's "
                f"{limits.MINUTES_PER_DAY:,} minutes) send"
            )
        )
        raise _fail(
            "delivery.stream" if self.hub_streams() else "usage.telemetry_kb_per_second",
            f"{who} {kb:,.0f} KB/s to Event Hubs ({what}), {units} throughput units; a Standard namespace has at "
            f"most {limits.EVENT_HUBS_STANDARD_MAX_UNITS} ({most:,} KB/s)",
        )

    @property
    def aws_network(self) -> bool:
        """Whether the AWS stack has a VPC (clouds.aws.network_cidr): a private network, a managed
        station's live stream (its dataflow endpoints), or the container jobs' own network."""
        processing = self.processing
        return (
            self.security.network == "private"
            or (self.delivery.stream and self.ground_segment.provider == "managed")
            or (processing.enabled and self.delivery.object_store and processing.mode == "container_job")
        )

    @property
    def azure_network(self) -> bool:
        """Whether the Azure stack has a virtual network (clouds.azure.network_cidr): the private
        endpoints' (security.network: private), or the processor's own in a public stack."""
        return self.security.network == "private" or (self.processing.enabled and self.delivery.object_store)

    def _check_processing_disk(self) -> None:
        """A contact is fetched onto the processor's local disk and processed there: a function's
        /tmp, a container job replica's ephemeral storage. What does not fit fails every attempt
        and ends in the dead-letter queue, on the cloud that is short of room."""
        need = self._contact_disk()
        if not (self.processing.enabled and self.delivery.object_store and need):
            return
        i, raw, frames = need
        need_mb = (raw + frames) * 1000
        held = (
            f"a contact of {_fmt(self.ground_segment.contact_minutes)} minutes of satellite "
            f"{self.satellites[i].name!r} needs {need_mb:,.0f} MB ({raw * 1000:,.0f} raw, {frames * 1000:,.0f} "
            f"frames and index), the most for {self._header_share(i) or self._largest_rate(i)}"
        )
        if self.processing.mode == "function":
            room_mb = limits.LAMBDA_EPHEMERAL_STORAGE_MB  # MB as AWS writes it (limits.py)
            if need_mb > room_mb:
                raise _fail(
                    "processing.mode",
                    f"a function's /tmp holds {room_mb:,.0f} MB on Lambda, a container job's disk less on Azure; "
                    f"{held}; {SHORTER_OR_LOCAL}",
                )
            return
        vcpu = self.processing.container_vcpu
        gib = limits.container_apps_ephemeral_gib(vcpu)
        if need_mb > gib * 1024**3 / 1e6:
            most = limits.CONTAINER_APPS_EPHEMERAL_GIB[-1][1]
            # more vCPU brings more disk: the smallest size whose disk holds the contact, if any
            steps = limits.CONTAINER_APPS_EPHEMERAL_GIB
            fits = next((i for i, (_, g) in enumerate(steps) if g * 1024**3 / 1e6 >= need_mb), None)
            job = self._least_job()
            if fits is None or job is None:  # no job's disk, or none's memory beside it (_check_processing_memory)
                larger = ""
            elif job > min(
                v for v in limits.CONTAINER_VCPU if limits.container_apps_ephemeral_gib(v) == steps[fits][1]
            ):
                # the disk alone would take a smaller job, whose memory the contact's frames outgrow
                larger = (
                    f"raise it to {_fmt(job)} with container_memory_gb {_fmt(job * limits.CONTAINER_GB_PER_VCPU)}, "
                )
            elif fits < len(steps) - 1:
                # the memory goes with the vCPU (2 GB each): the pair to write, not half of it
                least = steps[fits][0]
                larger = (
                    f"raise it to {_fmt(least)} with container_memory_gb {_fmt(least * limits.CONTAINER_GB_PER_VCPU)}, "
                )
            else:  # the last step is every size above the one before it
                least = next(v for v in limits.CONTAINER_VCPU if v > steps[fits - 1][0])
                larger = (
                    f"raise it above {_fmt(steps[fits - 1][0])} ({_fmt(least)} with container_memory_gb "
                    f"{_fmt(least * limits.CONTAINER_GB_PER_VCPU)}, or a larger pair of {limits.CONTAINER_GB_PER_VCPU:g} "
                    "GB a vCPU), "
                )
            raise _fail(
                "processing.container_vcpu",
                f"a job of {_fmt(vcpu)} vCPU has {gib} GiB of disk on Azure Container Apps"
                f"{'' if gib == most else f' ({most} GiB above 1 vCPU)'}; {held}; {larger}{SHORTER_OR_LOCAL}",
            )

    def _least_job(self) -> float | None:
        """The least container_vcpu whose replica disk holds the largest contact and whose memory
        (2 GB a vCPU) holds the most frames' rewrite, or None: one size for the disk and the
        memory refusals to name, so that following either is not refused by the other."""
        disk = self._contact_disk()
        disk_mb = (disk[1] + disk[2]) * 1000 if disk else 0.0
        memory_mb = self._memory_need()[2]
        return next(
            (
                v
                for v in limits.CONTAINER_VCPU
                if v * limits.CONTAINER_GB_PER_VCPU * 1000 >= memory_mb
                and limits.container_apps_ephemeral_gib(v) * 1024**3 / 1e6 >= disk_mb
            ),
            None,
        )

    def _memory_need(self) -> tuple[int, float, float]:
        """The satellite whose contact holds the most frames (its decoded downlinks' bytes: a
        DigIF satellite, the largest on disk, holds none), its frames, and the MB judging them
        again at the contact's end needs beside the processor's working set."""
        seconds = self.ground_segment.contact_minutes * 60
        i, decoded = max(
            (
                (i, sum(d.gb_in(seconds) for d in sat.downlinks if d.delivery == "demod_decode") * 1e9)
                for i, sat in enumerate(self.satellites)
            ),
            key=lambda pair: pair[1],
            default=(0, 0.0),
        )
        frames = decoded / self.processing.capture.cadu_length
        return i, frames, limits.PROCESSOR_WORKING_SET_MB + frames * limits.INDEX_REWRITE_BYTES_PER_FRAME / 1e6

    def _check_processing_memory(self) -> None:
        """A contact whose frames come late across the processor's chunks (datagrams reordered on
        the way) has its frame index judged again whole at its end, which holds every frame's
        arrays at once: a function or job with less memory is killed there every attempt, and the
        contact ends in the dead-letter queue. The processor's working set beside them."""
        if not (self.processing.enabled and self.delivery.object_store and self.satellites):
            return
        i, frames, need_mb = self._memory_need()
        cadu = self.processing.capture.cadu_length
        pair = self._least_job()
        sizes = (
            f"container_vcpu {_fmt(pair)} with container_memory_gb {_fmt(pair * limits.CONTAINER_GB_PER_VCPU)}"
            if pair is not None
            else None
        )
        if self.processing.mode == "function":
            field, has_mb = "processing.memory_mb", float(self.processing.memory_mb)
            most = limits.FLEX_INSTANCE_MEMORY_MB[-1]
            if need_mb <= most:
                more = f"raise it (at most {most}), "
            else:
                more = f"use mode: container_job ({sizes}, a container_image, no memory_mb), " if sizes else ""
        else:
            field, has_mb = "processing.container_memory_gb", self.processing.container_memory_gb * 1000
            more = f"raise container_vcpu to {sizes.removeprefix('container_vcpu ')}, " if sizes else ""
        if need_mb > has_mb:
            raise _fail(
                field,
                f"a contact of {_fmt(self.ground_segment.contact_minutes)} minutes of satellite "
                f"{self.satellites[i].name!r} holds {frames:,.0f} frames of {cadu} bytes, and judging them again at "
                f"its end (when a frame comes late across the processor's chunks) needs about {need_mb:,.0f} MB "
                f"({limits.PROCESSOR_WORKING_SET_MB} MB of working set, {limits.INDEX_REWRITE_BYTES_PER_FRAME} bytes a "
                f"frame), more than its {has_mb:,.0f} MB; {more}{SHORTER_OR_LOCAL}",
            )

    def _check_link_names(self, problems: _Problems) -> None:
        """A downlink's resources are named `<satellite>-<downlink>` (GroundLink.key): `sat` +
        `x-hrd` and `sat-x` + `hrd` would register the same resources twice, which Pulumi
        refuses at preview ("Duplicate resource URN"). Every collision is said at once."""
        seen: dict[str, tuple[int, int]] = {}
        for i, sat in enumerate(self.satellites):
            for j, downlink in enumerate(sat.downlinks):
                joined = f"{sat.name}-{downlink.name}"
                if joined in seen:
                    k, m = seen[joined]
                    other = self.satellites[k]
                    if other.name == sat.name:  # two satellites of one name: said as a duplicate name
                        continue
                    problems.add(
                        f"satellites[{i}].downlinks[{j}].name",
                        f"satellite {sat.name!r} with downlink {downlink.name!r} names its resources {joined!r}, as "
                        f"satellites[{k}] {other.name!r} with downlink {other.downlinks[m].name!r} does; rename one",
                    )
                    continue
                seen[joined] = (i, j)

    @model_validator(mode="after")
    def _check(self) -> MissionSpec:
        problems = _Problems("spec")
        for key in ("name", "norad_id"):
            for i, k, value in _repeats([getattr(s, key) for s in self.satellites]):
                problems.add(
                    f"satellites[{i}].{key}", f"duplicate satellite {key} {value!r}: satellites[{k}] has it too"
                )
        self._check_link_names(problems)
        if self.processing.enabled and not self.delivery.object_store:
            # the processor reads a contact's delivered objects; a stream leaves none to read
            problems.add(
                "processing.enabled",
                f"true{_default_note(self.processing, 'enabled')} needs delivery.object_store: true (the processor reads the objects a contact "
                "delivers; a stream leaves none); allowed: processing.enabled: false, or delivery.object_store: true",
            )
        problems.gather(self._check_processing_disk)
        problems.gather(self._check_processing_memory)
        problems.gather(self._check_contact_hub_rate)
        problems.gather(self._check_redundancy)
        if self.processing.enabled and self.processing.mode == "container_job":
            region = self.clouds.aws.region
            if region not in limits.AWS_PIPES_REGIONS:
                problems.add(
                    "processing.mode",
                    f"container_job starts its jobs through EventBridge Pipes, which {region} (clouds.aws.region) "
                    f"does not have (botocore endpoint data); use mode: function, or "
                    f"{_nearby_regions(region, limits.AWS_PIPES_REGIONS, 'the schema rule on container_job lists them')}",
                )
        gs = self.ground_segment
        if gs.provider == "managed":
            # AWS Ground Station demodulates and decodes by a preset's or the spec's JSON; a
            # partner's network does it by its own configuration, so a partner needs neither
            lacking = [
                f"satellites[{i}].downlinks[{j}]"
                for i, sat in enumerate(self.satellites)
                for j, link in enumerate(sat.downlinks)
                if link.delivery == "demod_decode" and not link.preset and link.demodulation_json is None
            ]
            if lacking:  # every downlink named at once, not one satellite per run of validate
                others = lacking[1:]
                more = f" and {len(others) - 5} more" if len(others) > 5 else ""
                also = f" (also {', '.join(others[:5])}{more})" if others else ""
                problems.add(
                    f"{lacking[0]}.preset",
                    f"demod_decode with provider: managed needs a preset ({', '.join(PRESETS)}) or both "
                    f"demodulation_json and decode_json (AWS Ground Station's configs){also}",
                )
            region = self.clouds.aws.region
            if region not in limits.AWS_GROUND_STATION_API_REGIONS:
                problems.add(
                    "clouds.aws.region",
                    f"{region} has no AWS Ground Station API endpoint; allowed: "
                    f"{', '.join(sorted(limits.AWS_GROUND_STATION_API_REGIONS))} (antenna sites deliver "
                    "to any of them across regions)",
                )
            unsupported = self.aws_ground_station_unsupported()
            if unsupported:
                i, sat, ended = unsupported[0]
                problems.add(
                    f"satellites[{i}].norad_id",
                    f"{sat.norad_id} is not supported by AWS Ground Station since {ended}; use provider: partner",
                )
        # a partner's antennas are set with the partner: AWS Ground Station's mission profile pads
        # and tracks each contact, the retired Azure Orbital contact profile tracks it (no padding);
        # with a partner the fields were taken and shaped nothing. A default is let through, as
        # container_vcpu's is, so a spec written out whole is still the same spec.
        # (the padding is GroundSegment's own check; autotrack also shapes legacy Azure Orbital)
        if (
            gs.provider == "partner"
            and not self.clouds.azure.legacy_orbital
            and "autotrack" in gs.model_fields_set
            and gs.autotrack != GroundSegment.model_fields["autotrack"].default
        ):
            problems.add(
                "ground_segment.autotrack",
                f"only applies to provider: managed or clouds.azure.legacy_orbital: true ({PARTNER_ANTENNAS}); "
                "leave it out",
            )
        if self.delivery.stream and gs.provider == "managed":  # the dataflow endpoint group is a station's
            lo, hi = limits.ENDPOINT_PASS_PADDING_SECONDS
            for key in ("pre_pass_seconds", "post_pass_seconds"):
                value = getattr(gs, key)
                if not _range(value, (lo, hi)):
                    problems.add(
                        f"ground_segment.{key}",
                        f"{value} is outside {lo}-{hi} (AWS Ground Station dataflow endpoint group, delivery.stream)",
                    )
        az = self.clouds.azure
        if az.location.startswith(limits.AZURE_SOVEREIGN_LOCATION_STARTS):
            problems.add(
                "clouds.azure.location",
                f"{az.location} is a sovereign-cloud location (Azure operated by 21Vianet or Azure Government), "
                "and groundlink deploys to the Azure public cloud only; "
                f"{_nearby_regions(az.location, limits.AZURE_ZRS_LOCATIONS)}",
            )
        elif az.location not in limits.AZURE_ZRS_LOCATIONS:
            problems.add(
                "clouds.azure.location",
                f"{az.location} is not a location with zone-redundant storage (the mission's account is ZRS); "
                f"{_nearby_regions(az.location, limits.AZURE_ZRS_LOCATIONS)}",
            )
        elif self.storage.redundancy == "geo" and az.location not in limits.AZURE_GZRS_LOCATIONS:
            problems.add(
                "clouds.azure.location",
                f"{az.location} has no geo-zone-redundant storage (storage.redundancy: geo is GZRS); "
                f"{_nearby_regions(az.location, limits.AZURE_GZRS_LOCATIONS, 'docs/facts.md §9 lists them')}",
            )
        if az.legacy_orbital:
            if az.location not in limits.AOGS_ELIGIBLE_LOCATIONS:
                problems.add(
                    "clouds.azure.location",
                    f"{az.location} never hosted Azure Orbital; allowed with "
                    f"legacy_orbital: {', '.join(sorted(limits.AOGS_ELIGIBLE_LOCATIONS))}",
                )
            for i in [i for i, s in enumerate(self.satellites) if not s.tle]:  # every one named at once
                problems.add(
                    f"satellites[{i}].tle",
                    "legacy_orbital needs TLE lines for every satellite (orbital.Spacecraft requires them)",
                )
            if az.orbital.resource_provider_object_id and not self.analytics.telemetry_stream:
                # the grant is on the telemetry hub, and without the stream there is none: it was dropped
                problems.add(
                    "clouds.azure.orbital.resource_provider_object_id",
                    "is granted on the telemetry hub, which analytics.telemetry_stream: false leaves out; allowed: "
                    "no resource_provider_object_id, or analytics.telemetry_stream: true",
                )
            last_port = az.orbital.port + max(len(s.downlinks) for s in self.satellites) - 1
            if last_port > limits.AOGS_ENDPOINT_PORTS[1]:
                problems.add(
                    "clouds.azure.orbital.port",
                    f"{az.orbital.port} leaves no room for every downlink: port "
                    f"{last_port} is over {limits.AOGS_ENDPOINT_PORTS[1]} (one port per downlink)",
                )
            for i, sat in enumerate(self.satellites):
                for j, link in enumerate(sat.downlinks):
                    if link.polarization == "none":
                        problems.add(
                            f"satellites[{i}].downlinks[{j}].polarization",
                            "none has no Azure Orbital "
                            "equivalent (RHCP or LHCP); use right_hand or left_hand with legacy_orbital",
                        )
        else:
            # an endpoint setting without the opt-in was taken and dropped: the author meant it to
            # shape something. A default is let through, as container_vcpu's is, so a spec written
            # out whole (model_dump) is still the same spec.
            for key in sorted(az.orbital.model_fields_set):
                if getattr(az.orbital, key) != OrbitalEndpoint.model_fields[key].default:
                    problems.add(
                        f"clouds.azure.orbital.{key}",
                        "only applies to clouds.azure.legacy_orbital: true (the retired Azure Orbital resources)",
                    )
        # a network's address space where the cloud has no such network shapes nothing: said, as the
        # orbital endpoint's settings are (a default written out is no change)
        for cloud, has_network, where in (
            (
                self.clouds.aws,
                self.aws_network,
                "the AWS stack has no VPC: security.network: public, no live stream from provider: managed, no "
                "container jobs (processing.mode: container_job with processing.enabled and delivery.object_store)",
            ),
            (
                az,
                self.azure_network,
                "the Azure stack has no virtual network: security.network: public, and no contact processing",
            ),
        ):
            given = cloud.network_cidr != type(cloud).model_fields["network_cidr"].default
            if given and not has_network:
                name = "aws" if cloud is self.clouds.aws else "azure"
                problems.add(f"clouds.{name}.network_cidr", f"only applies to a stack with a network ({where})")
            # the flow logs' retention alike: they log the AWS VPC's traffic, and the Azure
            # workspace keeps its logs as long only while that VPC exists
            flow_days = self.security.flow_log_retention_days
            if cloud is self.clouds.aws and not has_network and flow_days != _FLOW_LOG_DAYS_DEFAULT:
                problems.add("security.flow_log_retention_days", f"only applies to a stack with a network ({where})")
        problems.raise_any()
        return self

    def _check_redundancy(self) -> None:
        aws = self.clouds.aws
        if self.storage.redundancy == "geo" and aws.replica_region is None:
            raise _fail(
                "clouds.aws.replica_region",
                "storage.redundancy: geo needs the region S3 replicates to; allowed: an AWS region other "
                f"than {aws.region}",
            )
        if self.storage.redundancy != "geo" and aws.replica_region is not None:
            raise _fail("clouds.aws.replica_region", "only applies to storage.redundancy: geo")

    def downlinks(self) -> list[tuple[Satellite, Downlink]]:
        return [(sat, link) for sat in self.satellites for link in sat.downlinks]

    def region(self, cloud: str) -> str:
        """The AWS region or Azure location that cloud's stack runs in."""
        return self.clouds.aws.region if cloud == "aws" else self.clouds.azure.location

    def provider_config(self, cloud: str) -> dict[str, str]:
        """The stack config keys the providers read their region from; each must equal the spec's."""
        return dict.fromkeys(PROVIDER_REGION_KEYS[cloud], self.region(cloud))


# ---------------------------------------------------------------------------
# Loading: YAML -> model, every failure turned into one precise line.


def read_yaml(text: str, source: str) -> Document:
    """The YAML document in `text`, bounded (depth, alias expansion); SpecError on any failure."""
    try:
        return load_yaml(text, source)
    except InputError as exc:
        raise SpecError(source, [exc.line]) from None


def parse_yaml(text: str, source: str) -> Any:
    return read_yaml(text, source).data


def _length_message(kind: str, ctx: dict[str, Any], value: Any) -> str:
    """Length errors count what was given against the limit, without echoing a long value."""
    noun = "character" if kind.startswith("string_") else "item"

    def count(n: Any) -> str:
        return f"{n} {noun}{'' if n == 1 else 's'}"

    actual = ctx.get("actual_length")
    if actual is None:
        actual = len(value) if hasattr(value, "__len__") else "?"
    if kind.endswith("too_long"):
        return f"has {count(actual)}; at most {ctx['max_length']} allowed"
    return f"has {count(actual)}; at least {count(ctx['min_length'])} required"


# Each pattern of the spec in words, after the pattern itself in a message (or alone, for a pattern
# longer than PATTERN_SHOWN_MAX): a regular expression is exact but not what a person reads first. The fields use the constants above,
# and a test keeps every pattern of the spec's JSON Schema in this table.
PATTERN_WORDS = {
    IDENTIFIER: "2-32 lowercase letters, digits and '-', starting with a letter and not ending with '-'",
    GLOBAL_NAME_SEED: "1-64 ASCII letters, digits and . _ -",
    OWNER_PATTERN: "letters, digits, spaces and . _ @ + -, no space first or last",
    TAG_KEY_PATTERN: "1-64 letters, digits and . _ : -",
    ACCOUNT_ID_PATTERN: "an AWS account id, 12 digits 0-9",
    EXTERNAL_ID_PATTERN: "letters, digits and _ + = , . @ : / -",
    GUID_PATTERN: "an object id, lowercase hex digits as 8-4-4-4-12",
    IMAGE_PATTERN: "an image reference [registry[:port]/]repository[:tag][@digest], the repository path in "
    "lowercase, a digest sha256:, sha384: or sha512: and its 64, 96 or 128 lowercase hex digits "
    "(ghcr.io/acme/processor:1.4.0)",
    EMAIL_PATTERN: "an email address, name@domain.tld, in ASCII",
    IPV4_PATTERN: "an IPv4 address a.b.c.d (decimal, no leading zeros)",
    CIDR_PATTERN: "an IPv4 range in CIDR notation a.b.c.d/n (no netmask)",
    ORBITAL_SUBNET_CIDR_PATTERN: "an IPv4 range a.b.c.d/n of /24 or wider (no netmask)",
    NETWORK_CIDR_PATTERN: "a private IPv4 range (RFC 1918: 10/8, 172.16/12, 192.168/16) of /16 to /24, a.b.c.d/n",
    IPV4_OR_CIDR_PATTERN: "an IPv4 address a.b.c.d or a range a.b.c.d/n in CIDR notation (no netmask)",
    IPV4_OR_WIDE_CIDR_PATTERN: "an IPv4 address a.b.c.d or a range a.b.c.d/n of /30 or wider (no netmask)",
    TAG_VALUE_SCHEMA_PATTERN: "1-256 ASCII letters, digits, spaces and _ . : / = + - @",
    RESERVED_TAG_KEY_PATTERN: "a reserved tag key: aws:, microsoft, azure or windows first, or a tag groundlink sets "
    f"({', '.join((*GROUNDLINK_TAGS, *RESOURCE_TAGS))}), in any case",
    RESERVED_TAG_VALUE_PATTERN: "a tag value starting with aws:, in any case, which AWS reserves in values too",
    _reserved_name_pattern(): "a name the clouds reserve in the names made of it: starting xn--, sthree, "
    "amzn-s3-demo or sg, the name primary, or holding microsoft or windows or starting login, dashes left out",
    _json_string_pattern(): "2-8192 characters of AWS Ground Station's JsonString alphabet: ASCII letters, "
    'digits, white space and { } [ ] : . , " - _',
    limits.AWS_REGION_PATTERN: "an AWS region name such as us-west-2",
    limits.AZURE_LOCATION_PATTERN: "an Azure location name such as westus2, lowercase letters and digits",
}


def _bound_text(bound: Any) -> str:
    if isinstance(bound, float) and bound.is_integer() and abs(bound) < 1e15:
        bound = int(bound)  # 1,000,000,000, not 1e+09
    if isinstance(bound, int):
        return f"{bound:,}" if abs(bound) >= 100_000 else str(bound)  # an id stays 99999
    return _fmt(bound)


def range_words(kind: str, ctx: dict[str, Any]) -> str:
    """What a range error allows, in words: `0 or more`, `more than 0`, `at most 10`, and with
    both bounds known `0-1`, `0 to less than 100`, `more than 0, at most 1`."""
    low = next(((key, ctx[key]) for key in ("ge", "gt") if key in ctx), None)
    high = next(((key, ctx[key]) for key in ("le", "lt") if key in ctx), None)
    if low is not None and high is not None:
        (low_kind, lo), (high_kind, hi) = low, high
        lo_text, hi_text = _bound_text(lo), _bound_text(hi)
        if low_kind == "ge" and high_kind == "le":  # -90 to 90, not -90-90
            return f"{lo_text}-{hi_text}" if lo >= 0 else f"{lo_text} to {hi_text}"
        if low_kind == "ge":
            return f"{lo_text} to less than {hi_text}"
        return f"more than {lo_text}, " + (f"at most {hi_text}" if high_kind == "le" else f"less than {hi_text}")
    words = {"ge": "{} or more", "gt": "more than {}", "le": "at most {}", "lt": "less than {}"}
    for key, text in words.items():
        if key in ctx:
            return text.format(_bound_text(ctx[key]))
    return kind.replace("_", " ")


def _field_bounds(root: type[BaseModel], path: FieldPath, ctx: dict[str, Any]) -> dict[str, Any]:
    """The range of the field a range error names, both of its bounds: pydantic's error holds only
    the one broken, so a share of 0-1 given -1 was told `0 or more`, and given 5 next, `at most 1`.
    A list item's are its item type's (`thresholds_percent[0]`); the error's own bound where
    neither is found."""
    parts = path.parts()
    item = bool(parts) and isinstance(parts[-1], int)
    named = parts[:-1] if item else parts
    model = model_at(root, named[:-1]) if named else None
    field = model.model_fields.get(str(named[-1])) if model is not None and named else None
    if field is None:
        return ctx
    metadata = field.metadata
    if item:  # list[Annotated[int, Field(ge=1, le=1000), ...]]: the bounds are the item's
        args = typing.get_args(field.annotation)
        metadata = [m for a in typing.get_args(args[0])[1:] for m in getattr(a, "metadata", [a])] if args else []
    bounds = {key: getattr(m, key) for m in metadata for key in ("ge", "gt", "le", "lt") if hasattr(m, key)}
    return {**bounds, **ctx}


def _within_bounds(message: str, root: type[BaseModel], path: FieldPath) -> str:
    """`message` about a number no field takes (1.0e+300 in a whole-number field, checked before
    the field's range; 1.0e+400, which YAML reads as infinity) ending with the field's own bounds
    where it has any: an integer as large was told `allowed: 1-36500`, and the float `allowed: a
    number within the field's bounds`, which left the user to look them up."""
    bounds = _field_bounds(root, path, {}) or _schema_bounds(root, path)
    if not bounds:
        return message
    if message.endswith(OUT_OF_RANGE_ALLOWED):
        return message.removesuffix(OUT_OF_RANGE_ALLOWED) + range_words("", bounds)
    if message.endswith(WITHIN_BOUNDS):  # a number YAML reads as another (infinity, text, 0)
        return f"{message} ({range_words('', bounds)})"
    return message


def _schema_bounds(root: type[BaseModel], path: FieldPath) -> dict[str, Any]:
    """The widest range a model validator lets the field at `path` take, as `_schema_range`
    states it in the schema (`processing.timeout_seconds`: 1-86400, whichever its mode); {} for
    a field without one."""
    parts = path.parts()
    model = model_at(root, parts[:-1]) if parts and not isinstance(parts[-1], int) else None
    field = model.model_fields.get(str(parts[-1])) if model is not None else None
    extra = field.json_schema_extra if field is not None else None
    if not isinstance(extra, dict) or "minimum" not in extra or "maximum" not in extra:
        return {}
    return {"ge": extra["minimum"], "le": extra["maximum"]}


# A pattern longer than this is said in its words alone: the email address's 257 characters of
# character classes made up most of a 381-character line and pushed its value out of view.
PATTERN_SHOWN_MAX = 64


def _mismatch(pattern: Any) -> str:
    """What a value that fails `pattern` is not: the pattern and its words, or its words alone."""
    words = PATTERN_WORDS.get(str(pattern))
    if words and len(str(pattern)) > PATTERN_SHOWN_MAX:
        return f"is not {words}"
    return f"does not match {pattern} ({words})" if words else f"does not match {pattern}"


def _key_message(kind: str, ctx: dict[str, Any]) -> str:
    if kind == "string_pattern_mismatch":
        return f"key {_mismatch(ctx.get('pattern'))}"
    if kind in {"invalid_key", "string_type"}:
        return "a key must be text; put it in quotes"
    if kind in {"string_too_long", "string_too_short"}:
        return f"key {_length_message(kind, ctx, '')}"
    return "key is not allowed here"


def describe_error(error: ErrorDetails, data: Any, root: type[BaseModel] | None = None) -> tuple[FieldPath, str]:
    """The user's field path of one pydantic error over `data` (a file of model `root`: the
    spec by default, a price file too), and what is wrong there, never in pydantic's words."""

    root = root or MissionSpec
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    path = field_path(tuple(error["loc"]), data, kind)
    if kind == "spec":
        field = ctx["field"]
        parts = (
            field
            if isinstance(field, tuple)
            else tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field))
        )
        return path.plus(parts), ctx["message"]
    if path.key_error:
        return path, _key_message(kind, ctx)
    if kind == "extra_forbidden":
        model = model_at(root, path.parts()[:-1])
        allowed = sorted(model.model_fields) if model else []
        hint = did_you_mean(str(path.last_key), allowed)
        return path, f"unknown field{hint} (allowed: {', '.join(allowed)})"
    if kind == "missing":
        return path, "is required"
    if kind == "literal_error":
        return path, _literal_message(value, str(ctx.get("expected")))
    if kind == "string_pattern_mismatch":
        return path, f"{show(value)} {_mismatch(ctx.get('pattern'))}"
    if kind in {"too_long", "too_short", "string_too_long", "string_too_short"}:
        return path, _length_message(kind, ctx, value)
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return path, f"{show(value)} is out of range; allowed: {range_words(kind, _field_bounds(root, path, ctx))}"
    if kind == "finite_number":
        return path, f"{show(value)} is not allowed; allowed: a finite number (not .inf or .nan)"
    if kind == "value_error":
        return path, _within_bounds(str(error["msg"]).removeprefix("Value error, "), root, path)
    if kind == "string_type" and isinstance(value, dict | list) and str(path.last_key).endswith("_json"):
        # YAML reads JSON written bare as its own mapping: the field takes the JSON as text
        return path, (
            f"must be text, got {given(value)}; YAML read the JSON as one: put it in quotes, or after | on "
            "lines of its own"
        )
    model = model_at(root, path.parts()) if kind == "model_type" else None
    if typed := type_message(kind, value, model.model_fields if model else ()):
        return path, _within_bounds(typed, root, path)
    expected = _TYPE_WORDS.get(kind) or str(error["msg"]).removeprefix("Input should be ").rstrip(".")
    return path, f"must be {expected}, got {given(value)}"


# What a type error's kind expects, in the words the messages above use (type_message words
# numbers, booleans, mappings and lists; a null reaches the others as "got nothing (null)").
_TYPE_WORDS = {"string_type": "text", "none_required": "nothing (null)"}


def _literal_message(value: Any, expected: str) -> str:
    """A value outside a field's choices, named as the file wrote it: a null, what YAML 1.1 made
    of an unquoted word (a boolean, a date, a number it reads otherwise), a number written as
    text (`version: "1"`); never in Python's words (None, False)."""
    allowed = f"allowed: {expected}"
    if value is None or isinstance(value, dict | list):
        return f"got {given(value)}; {allowed}"
    if typed := yaml_typed(value):
        return f"got {typed}; {allowed}"
    choices = re.split(r", | or ", expected)
    if isinstance(value, str) and value.strip() in choices:  # an unquoted choice: a number, given as text
        return f"got the text {show(value)}; write the number without quotes ({allowed})"
    return f"{show(value)} is not allowed; {allowed}"


def _misspelt_elsewhere(error: ErrorDetails, errors: list[ErrorDetails], data: Any) -> bool:
    """A required field reported missing because it was misspelt: the unknown key beside it
    already says 'did you mean' it, so `owner: is required` would only repeat that line."""
    import difflib

    if error["type"] != "missing" or not error["loc"]:
        return False
    *parent, name = error["loc"]
    for other in errors:
        if other["type"] == "extra_forbidden" and list(other["loc"][:-1]) == parent:
            model = model_at(MissionSpec, field_path(tuple(other["loc"]), data, "extra_forbidden").parts()[:-1])
            allowed = sorted(model.model_fields) if model else []
            if difflib.get_close_matches(str(other["loc"][-1]), allowed, n=1) == [name]:
                return True
    return False


def _other_document(data: dict[str, Any]) -> str | None:
    """What a document groundlink or Pulumi writes is, given where a spec belongs: a plan or a
    compare.json was refused in a dozen lines of unknown fields (`region: unknown field; did
    you mean 'version'?`). A spec's own keys (a `mission` mapping) keep the usual errors."""
    if isinstance(data.get("mission"), dict):
        return None
    if "formatVersion" in data and "cloud" in data:
        return "a groundlink plan (plan --json), which diff and --against compare a spec with"
    if "formatVersion" in data and "failures" in data:
        return "a compare report (compare.json)"
    if isinstance(data.get("deployment"), dict) or isinstance(data.get("checkpoint"), dict):
        return "a Pulumi checkpoint (pulumi stack export), which diff and --against compare a spec with"
    return None


# The validation context's key: whether some downlink of the spec's data delivers DigIF.
DIGIF_CONTEXT = "delivers_digif"


def _delivers_digif(data: Mapping[str, Any]) -> bool:
    """Whether the spec's data (not yet validated) holds a downlink delivering DigIF."""
    satellites = data.get("satellites")
    return any(
        isinstance(link, dict) and link.get("delivery") == "digif"
        for sat in (satellites if isinstance(satellites, list) else [])
        if isinstance(sat, dict) and isinstance(sat.get("downlinks"), list)
        for link in sat["downlinks"]
    )


# The errors over a text value whose look-alike letters are named: a choice, a pattern, a name a
# validator refused (a region, a location).
_LOOK_ALIKE_KINDS = frozenset({"literal_error", "string_pattern_mismatch", "value_error"})


def _naming_look_alikes(kind: str, value: Any, message: str) -> str:
    """`message` and the characters outside ASCII the refused text holds: `internal` written with a
    Cyrillic a was told it is not 'internal', which reads the same on screen."""
    held = look_alike(value).strip() if isinstance(value, str) and kind in _LOOK_ALIKE_KINDS else ""
    if not held or "U+" in message:
        return message
    return f"{message}; {held[0].lower()}{held[1:]}"


def spec_from_data(data: Any, source: str = "<spec>", document: Document | None = None) -> MissionSpec:
    """Validate parsed data; SpecError with one line per problem, each naming the field path
    (and its line and column when `document` holds the YAML it came from)."""
    from pydantic import ValidationError

    if not isinstance(data, dict):
        raise SpecError(
            source, [f"{source}: the spec must be a mapping with mission, satellites and budget, got {given(data)}"]
        )
    other = _other_document(data)
    if other:
        raise SpecError(source, [f"{source}: not a mission spec; this is {other}"])
    try:
        return MissionSpec.model_validate(data, context={DIGIF_CONTEXT: _delivers_digif(data)})
    except ValidationError as exc:
        lines = []
        errors = exc.errors(include_url=False)
        for error in errors:
            if _misspelt_elsewhere(error, errors, data):
                continue
            path, message = describe_error(error, data)
            value = error.get("input", 0)
            message = _naming_look_alikes(error["type"], value, message)
            if document is not None and value is None and document.commented_out(path.parts()):
                message = f"{message}; ' #' starts a comment in YAML: a value starting with # goes in quotes"
            where = document.where(path.parts()) if document else ""
            suffix = f" ({where})" if where else ""
            lines.append(error_line(source, path.text(), message, suffix))
        raise SpecError(source, list(dict.fromkeys(lines))) from None
    except RecursionError:  # read_yaml bounds depth; data built in Python may not be
        raise SpecError(source, [f"{source}: nested too deeply"]) from None


def error_line(source: str, shown: str, message: str, suffix: str) -> str:
    """One line of MAX_LINE characters at most: the source, the field path, what is wrong and
    where (`suffix`). A long source is cut in its middle first, so that the message keeps its
    allowed values; a message too long by itself is cut in its middle, marked (it was cut at
    its end, unmarked, mid-phrase)."""
    body = f"{shown}: {message}" if shown else message
    room = MAX_LINE - len(suffix) - 2  # the ": " after the source
    if len(source) + len(body) > room:
        source = one_line(source, max(40, room - len(body)))
    return one_line(f"{source}: {body}", MAX_LINE - len(suffix)) + suffix


def spec_file_path(value: Any, taker: str) -> str | os.PathLike[str]:
    """`value` when it is a path (a str or a PathLike); else a TypeError in one line saying what
    `taker` takes and where the value belongs. A dict or a MissionSpec given for a path failed in
    pathlib, six frames down: "expected str, bytes or os.PathLike object, not dict"."""
    if isinstance(value, str | os.PathLike):
        return value
    kind = type(value).__name__
    raise TypeError(
        f"{taker} takes the path of a spec file, not {kind} (a spec's data as a dict: spec_from_data(data); "
        "a MissionSpec: build_blueprint(spec))"
    )


def load_spec(path: str | Path) -> MissionSpec:
    """Read and validate a spec file; raises SpecError with one line per problem.

    The model is frozen, so a file read twice (by a tool, then by the Pulumi
    program it runs) is parsed once: the cache key includes size and mtime.
    """
    spec_file_path(path, "load_spec")
    source = path if isinstance(path, str) else str(path)  # named as given: `./x.yaml`, not `x.yaml`
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise SpecError(source, [f"{source}: no such file"]) from None
    except (OSError, ValueError) as exc:  # a symlink loop, a name too long, a NUL in the name
        raise SpecError(source, [one_line(f"{source}: cannot read ({_os_reason(exc)})")]) from None
    return _load_cached(source, stat.st_mtime_ns, stat.st_size)


def _os_reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


@lru_cache(maxsize=32)
def _load_cached(source: str, mtime_ns: int, size: int) -> MissionSpec:
    try:
        text = read_input(Path(source))
    except FileNotFoundError:
        raise SpecError(source, [f"{source}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise SpecError(source, [not_utf8(source, exc, yaml_text=True)]) from None
    except InputTooLarge as exc:
        raise SpecError(source, [f"{source}: {exc}; not a mission spec"]) from None
    except OSError as exc:
        raise SpecError(source, [one_line(f"{source}: cannot read ({_os_reason(exc)})")]) from None
    document = read_yaml(text, source)
    return spec_from_data(document.data, source, document)


class _FactoryDefaults(GenerateJsonSchema):
    """pydantic writes no `default` for a field whose default comes from a factory, so an
    editor showed none for `mission.tags` or `analytics.sql_clients` (empty) nor for
    `storage.tiering`. A factory's value is written as any other default, except a whole
    section's (`storage`, `clouds.aws`): each of its fields carries its own, and a section
    written out whole by an editor's completion would be a wall of defaults to keep in step."""

    def get_default_value(self, schema: Any) -> Any:
        factory = schema.get("default_factory")
        if factory is None or schema.get("default_factory_takes_data"):
            return super().get_default_value(schema)
        value = factory()
        return NoDefault if isinstance(value, BaseModel) else value


def _docstrings_from_source() -> None:
    """Under `python -OO` (PYTHONOPTIMIZE=2) classes have no docstrings, and the schema lost every
    description they give: each model's and enum's is read from its source instead."""
    import sys

    if sys.flags.optimize < 2:
        return
    import ast
    import contextlib
    import inspect
    import textwrap

    for cls in list(globals().values()):
        if isinstance(cls, type) and cls.__module__ == __name__ and cls.__doc__ is None:
            with contextlib.suppress(OSError):  # no source at hand (a class made at run time, no .py files)
                node = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]
                if isinstance(node, ast.ClassDef):
                    cls.__doc__ = ast.get_docstring(node)


def json_schema() -> dict[str, Any]:
    _docstrings_from_source()
    schema = MissionSpec.model_json_schema(schema_generator=_FactoryDefaults)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "groundlink mission spec"
    return schema
