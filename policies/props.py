"""Reading resource properties the way a preview presents them.

During `pulumi preview` many values are still unknown (an ARN built from a
bucket that does not exist yet); the policy SDK raises on touching them. A rule
cannot judge what is not known yet, so `get` returns UNKNOWN and rules let it
pass; the same rules run again with known values during `pulumi up`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .tokens import KMS_KEYS_OF_THE_STACK, is_type

try:  # the SDK's marker for a value not known until deployment
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE as UNKNOWN_TEXT
    from pulumi_policy.proxy import UnknownValueError
except ImportError:  # pragma: no cover - the pack always has pulumi_policy
    UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's own, as the SDK spells it

    class UnknownValueError(Exception):  # type: ignore[no-redef]  # stands in for the SDK's class of the same name
        pass


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()


def is_seq(value: Any) -> bool:
    """A list, including the SDK's read-only list proxy (not a str)."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def is_number(value: Any) -> bool:
    """A number as the engine sends one (an int or a float). A boolean is not one, though
    Python counts bool as an int: `True` where seconds belong is a wrong type, never 1 s."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def get(props: Any, *path: Any, default: Any = None) -> Any:
    """props[path[0]][path[1]]..., `default` when absent, UNKNOWN when not yet known."""
    value = props
    try:
        for key in path:
            if value is UNKNOWN:  # a block not known yet: nothing under it is known either
                return UNKNOWN
            if isinstance(key, int):
                if not is_seq(value) or key >= len(value):
                    return default
                value = value[key]
            else:
                if not isinstance(value, Mapping) or key not in value:
                    return default
                value = value[key]
        return default if value is None else value
    except UnknownValueError:
        return UNKNOWN


def dependencies_of(resource: Any, key: str) -> list[Any]:
    """The resources the engine records as the dependencies of `resource`'s input `key` (a
    preview's unknown `bucket.arn` still names its bucket there); empty where it records none."""
    return list((getattr(resource, "property_dependencies", None) or {}).get(key) or ())


def known(value: Any) -> bool:
    return value is not UNKNOWN


def missing(value: Any) -> bool:
    """Absent or empty, and known. What a rule may report as missing: an UNKNOWN value (an
    output of a resource not created yet, e.g. `key.arn` on a stack's first preview) is not
    missing, and the same rule judges it again with the value during `pulumi up`."""
    return value is not UNKNOWN and not value


def as_list(value: Any) -> list[Any]:
    """`value` as a list, each item not yet known as UNKNOWN: copied whole (`list()`), a list
    holding one unknown item (a layer's ARN on a stack's first preview) raised, and the SDK
    dropped the whole rule with "can't run policy during preview", a known AdministratorAccess
    beside it included. A list not known yet at all (a block a program builds in `.apply()`) is
    one UNKNOWN item, not an empty list: the rules judge an unknown item as not known, where
    an empty list reads as "no encryption rule", "no lifecycle rule", "no delegation"."""
    if value is None:
        return []
    if value is UNKNOWN:
        return [UNKNOWN]
    if not is_seq(value):
        return [value]
    return [get(value, index, default=UNKNOWN) for index in range(len(value))]


def is_true(value: Any) -> bool:
    """A boolean input that is true: the boolean, or the text "true" in any case, which the
    providers take for it. Every rule reads booleans through this and `is_false`: a rule that
    compared with `is True` let the text "false" through where the boolean false fired."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def same_text(value: Any, expected: str) -> bool:
    """`value` is the text `expected` in any case: Azure Resource Manager reads enum values (Deny,
    Disabled, Microsoft.App/environments) and resource ids without regard to case, so a rule that
    compared them as written passed `deny` where `Deny` fired, or fired on an id ARM takes for the
    same one."""
    return isinstance(value, str) and value.casefold() == expected.casefold()


def lets_trusted_services(bypass: Any) -> bool:
    """A network rule set's `bypass` lets trusted Azure services through: AzureServices among its
    flags (`Logging, Metrics, AzureServices`) in any case, or no bypass given, which Key Vault and
    Storage both take as AzureServices (pulumi_azure_native: "If not specified the default is
    'AzureServices'"; the storage SDK's own args class fills it in). A missing bypass was
    reported as None, trusted services shut out."""
    if bypass is None:
        return True
    return "azureservices" in [flag.strip().casefold() for flag in str(bypass).split(",")]


def is_false(value: Any) -> bool:
    """A boolean input that is false: the boolean, or the text "false" in any case."""
    return value is False or (isinstance(value, str) and value.lower() == "false")


def policy_document(props: Any) -> Any:
    """A resource's policy document: pulumi-aws's `policy`, aws-native's `policyDocument` (an ECR
    repository's `repositoryPolicyText`)."""
    for key in ("policy", "policyDocument", "repositoryPolicyText"):
        document = get(props, key)
        if document is not None:
            return document
    return None


def policy_statements(document: Any) -> list[dict[str, Any]]:
    """Statements of an IAM-style policy document given as JSON text or a mapping."""
    if document is None or document is UNKNOWN:
        return []
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return []
    statements = get(document, "Statement", default=[])
    return [plain(s) for s in as_list(statements) if isinstance(s, Mapping)]


def plain(value: Any) -> Any:
    """`value` (the SDK's read-only proxies) as plain dicts and lists, each value not yet known
    as UNKNOWN. A document given as a mapping (pulumi-aws takes `PolicyDocumentArgs`) holds the
    outputs it names (`bucket.arn`, `role.arn`), unknown in a first preview: a rule that read one
    raised, and the SDK turned the rule's verdict into an advisory "can't run policy during
    preview", the known statements beside it (a public Allow, an admin wildcard) unjudged and,
    for a stack rule, every other resource of the stack too."""
    if isinstance(value, Mapping):
        return {key: plain(get(value, key)) for key in value}
    if is_seq(value):
        return [plain(item) for item in as_list(value)]
    return value


def principals(statement: Mapping[str, Any]) -> list[str]:
    """Every principal a statement names, flattened ("*" stays "*")."""
    principal = statement.get("Principal")
    if isinstance(principal, str):
        return [principal]
    if isinstance(principal, Mapping):
        return [str(p) for values in principal.values() for p in as_list(values)]
    return []


def service_principals(statement: Mapping[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    return [str(p) for p in as_list(principal.get("Service"))] if isinstance(principal, Mapping) else []


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Lower-cased condition keys, whatever the operator (StringEquals, ArnLike...)."""
    keys: set[str] = set()
    for block in (statement.get("Condition") or {}).values():
        if isinstance(block, Mapping):
            keys.update(str(k).lower() for k in block)
    return keys


def tags_of(props: Mapping[str, Any]) -> dict[str, Any] | None:
    """Tags as a dict whether the provider models them as a map or a Key/Value list; None when
    which tags there are is not known yet (the tags, or a key of the list, an output)."""
    tags = get(props, "tags")
    if tags is UNKNOWN:
        return None
    if isinstance(tags, Mapping):  # a value not known yet is UNKNOWN (`dict()` of them raised)
        return {str(key): get(tags, key, default="") for key in tags}
    if is_seq(tags):
        pairs = [
            (get(t, "key", default=get(t, "Key")), get(t, "value", default=get(t, "Value"))) for t in as_list(tags)
        ]
        if any(key is UNKNOWN for key, _ in pairs):  # a tag not known yet may be any of them
            return None
        return {str(key): value for key, value in pairs if key is not None}
    return {}


# The units Ground Station takes, as it spells them (API reference: FrequencyUnits and
# BandwidthUnits, enum GHz, MHz, kHz): "Hz", or "mhz", is refused at deploy time.
_UNIT_MHZ = {"GHz": 1000.0, "MHz": 1.0, "kHz": 0.001}
FREQUENCY_UNITS = tuple(_UNIT_MHZ)


def to_mhz(quantity: Any) -> Any:
    """A {value, units} Ground Station frequency as MHz; None when absent or not a frequency,
    UNKNOWN when its value or its units are not known yet (neither is judged)."""
    value, units = get(quantity, "value"), get(quantity, "units", default="MHz")
    if value is UNKNOWN or units is UNKNOWN:
        return UNKNOWN
    if not is_number(value) or units not in _UNIT_MHZ:
        return None
    return float(value) * _UNIT_MHZ[units]


def tls_at_least(value: Any, minimum: tuple[int, int] = (1, 2)) -> bool:
    """'TLS1_2', '1.2', 'TLS1_3' ... compared as versions."""
    match = re.search(r"(\d)[._](\d)", str(value or ""))
    return bool(match) and (int(match.group(1)), int(match.group(2))) >= minimum


# --- KMS key references --------------------------------------------------------------------

KMS_ALIAS = ("aws:kms/alias:Alias",)
KEY_IDS = ("arn", "keyId", "id")
_KMS_ARN = re.compile(r"^arn:[\w-]+:kms:[^:]*:[^:]*:(key|alias)/(.+)$")


def kms_key_ref(value: Any) -> tuple[str, str] | None:
    """A KMS key reference in any spelling AWS accepts, as ("key", key id) for a key id or key ARN
    and ("alias", "alias/<name>") for an alias name or alias ARN; None when not a known string."""
    if not isinstance(value, str) or not value:
        return None
    match = _KMS_ARN.match(value)
    if match:
        kind, rest = match.groups()
        return ("alias", f"alias/{rest}") if kind == "alias" else ("key", rest)
    return ("alias", value) if value.startswith("alias/") else ("key", value)


def aws_managed_key(value: Any) -> bool:
    """An AWS managed key (alias/aws/s3, alias/aws/sqs, alias/aws/kinesis...), by alias name or
    alias ARN: AWS reserves the alias/aws/ prefix for its managed keys."""
    ref = kms_key_ref(value)
    return ref is not None and ref[0] == "alias" and ref[1].startswith("alias/aws/")


def _key_by_value(keys: list[Any], value: Any) -> Any:
    """The key `value` names by key id or key ARN. An ARN is matched against each key's known ARN:
    a multi-Region key's id (mrk-...) is the same in every region, and the replica in another
    region was taken for its primary (a replica bucket's own key said to be the source's)."""
    ref = kms_key_ref(value)
    if ref is None or ref[0] != "key":
        return None
    by_arn = _KMS_ARN.match(value) is not None
    for key in keys:
        arn = get(key.props, "arn")
        if by_arn and isinstance(arn, str) and arn:
            if arn == value:
                return key
            continue
        names = {get(key.props, k) for k in KEY_IDS}
        if value in names or ref[1] in names:
            return key
    return None


def _alias_target(resources: list[Any], keys: list[Any], alias: Any) -> Any:
    """The plan's key an alias points at (by its targetKeyId dependency, else by value), or None."""
    urns = {d.urn for d in dependencies_of(alias, "targetKeyId")}
    linked = [k for k in keys if k.urn in urns]
    if len(linked) == 1:
        return linked[0]
    return _key_by_value(keys, get(alias.props, "targetKeyId"))


def stack_key(resources: list[Any], value: Any, linked: Any = ()) -> Any:
    """The KMS key resource of the plan that a key reference names, whatever its spelling: key id,
    key ARN, or an alias of that key (alias name or alias ARN, through the plan's aws:kms Alias).
    `linked` are the property dependencies of the input that holds the reference: when its value
    is not known yet they name the key (directly or through an alias) if they name exactly one.
    Answers UNKNOWN when the reference is not known yet, None when it names no key of the plan."""
    keys = [r for r in resources if is_type(r.resource_type, KMS_KEYS_OF_THE_STACK)]
    aliases = [r for r in resources if is_type(r.resource_type, KMS_ALIAS)]
    ref = kms_key_ref(value)
    if ref is not None:
        if ref[0] == "key":
            return _key_by_value(keys, value)
        for alias in aliases:
            if value in (get(alias.props, "name"), get(alias.props, "arn")) or ref[1] == get(alias.props, "name"):
                return _alias_target(resources, keys, alias)
        return None
    urns = {d.urn for d in linked or ()}
    found = {k.urn: k for k in keys if k.urn in urns}
    for alias in aliases:
        if alias.urn in urns:
            target = _alias_target(resources, keys, alias)
            if target is not None:
                found[target.urn] = target
    if len(found) == 1:
        return next(iter(found.values()))
    return UNKNOWN if value is UNKNOWN else None


# IAM condition operators that compare a key with given values (IAM JSON policy elements:
# Condition operators); Null, the Not... and ...IfExists forms pin nothing.
PINNING_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})


def pinning(operator: Any) -> bool:
    """A condition operator that compares a key with fixed values (PINNING_OPERATORS), in any
    case, also as `ForAnyValue:`, the form a multivalued key takes (aws:SourceOrgPaths,
    aws:PrincipalOrgPaths: IAM User Guide, global condition keys), which is false where the
    key is absent. `ForAllValues:` is true where it is absent, so it pins nothing."""
    return str(operator).lower().removeprefix("foranyvalue:") in PINNING_OPERATORS


# The addresses no caller on the internet holds, with their source: one list, which the spec's
# check of firewall ranges reads too (groundlink/spec.py). Ranges that with these cover the whole
# space admit every internet caller.
_UNREACHABLE = json.loads(Path(__file__).with_name("unreachable_ranges.json").read_text(encoding="utf-8"))
NOT_GLOBAL_V4: tuple[str, ...] = tuple(_UNREACHABLE["ipv4"])
NOT_GLOBAL_V6: tuple[str, ...] = tuple(_UNREACHABLE["ipv6"])


def admits_every_address(values: Any) -> bool:
    """Whether IP addresses and CIDR ranges (text) admit every caller on the internet: all of IPv4
    or of IPv6, given whole ('0.0.0.0/0'), in halves ('0.0.0.0/1', '128.0.0.0/1'), or as every
    public range with the private and reserved ones left out, which no caller holds."""
    import ipaddress

    given: dict[int, list[Any]] = {4: [], 6: []}
    for value in values:
        try:
            network = ipaddress.ip_network(str(value).strip(), strict=False)
        except ValueError:
            continue  # not an address: the cloud refuses it
        given[network.version].append(network)
    for version, unreachable in ((4, NOT_GLOBAL_V4), (6, NOT_GLOBAL_V6)):
        if not given[version]:
            continue
        ranges = [*given[version], *(ipaddress.ip_network(n) for n in unreachable)]
        if any(n.prefixlen == 0 for n in ipaddress.collapse_addresses(ranges)):  # type: ignore[arg-type]  # one version per list, which typeshed cannot see
            return True
    return False


def azure_firewall_problem(rules: Any, public: Any, range_key: str) -> str | None:
    """What lets the internet through an Azure firewall (a vault's `networkAcls`, an account's
    `networkRuleSet`), or None: a default action other than Deny (ARM reads it in any case), or
    Deny with ip rules that admit every address. Not judged while the action or the public access
    is unknown; a rule not known yet only widens what the known ones admit."""
    action = get(rules, "defaultAction")
    if UNKNOWN in (action, public) or str(public).lower() == "disabled":
        return None
    if str(action).lower() != "deny":
        return f"network default action is {action or 'Allow (unset)'}"
    ranges = [get(rule, range_key) for rule in as_list(get(rules, "ipRules"))]
    if admits_every_address([r for r in ranges if r is not UNKNOWN]):
        return "network rules admit every internet address (ipRules), whatever the default action"
    return None


def wildcard_actions(actions: Any) -> list[str]:
    """The actions that match every action, or every action of a service: the action part all
    wildcards with a `*` in it ('*', 'iam:*', and as IAM matches them 'iam:?*' and '?*', `?` being
    its one-character wildcard; IAM JSON policy elements: Action)."""
    return [str(a) for a in actions if "*" in (part := str(a).rsplit(":", 1)[-1]) and set(part) <= {"*", "?"}]


def iam_glob(pattern: Any, text: str, *, ignore_case: bool = False) -> bool:
    """IAM wildcard matching: `*` any run of characters, `?` one character (action names are
    matched ignoring case, resource ARNs as written)."""
    import re

    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in str(pattern))
    return re.fullmatch(regex, text, re.IGNORECASE if ignore_case else 0) is not None
