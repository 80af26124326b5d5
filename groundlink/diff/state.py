"""The resources of one side of a diff, whatever it was read from.

OLD may be a spec (planned offline), a saved plan (`groundlink plan --json`) or a
`pulumi stack export` checkpoint (deployment version 3), so that a diff can run against
what is really deployed. Every form becomes a `State`: resources keyed by the types of their
ancestors (read from the `parent` links of their own document, the root stack left out),
their type and their name, which is the URN the real engine gives them without stack and
project (`resource_key`); a checkpoint's stack may be named differently from the offline
plan's, and the offline plan's own URNs are the SDK mocks' (only the immediate parent's type,
`pulumi:pulumi:Stack` for a child of the stack). Inputs are compared as the plan records
them: a checkpoint's secrets and assets are unwrapped from their envelopes (`_unwrapped`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..clouds import CLOUDS
from ..errors import UsageError
from ..inputs import (
    BOM,
    MAX_FILE_BYTES,
    DuplicateKey,
    InputTooLarge,
    json_problem,
    not_utf8,
    one_line,
    read_input,
    strict_json,
)

CLOUD_OF_PROVIDER = {"aws": "aws", "aws-native": "aws", "azure-native": "azure"}
# Packages whose provider holds the region its resources live in (Azure resources carry their
# own `location`, an input the diff compares).
REGIONAL_PACKAGES = frozenset({"aws", "aws-native"})
# Deployment schema versions read: the engine writes 3, or 4 where a resource uses a feature
# 3 cannot hold, named in the deployment's `features` (pulumi/pulumi
# pkg/resource/stack/deployment.go, DeploymentSchemaVersionLatest, ApplyFeatures).
CHECKPOINT_VERSIONS = (3, 4)
# The version 4 features a diff reads as the engine would act on them: `taint` (`pulumi state
# taint`: replaced by the next update) and three that change nothing a preview compares
# (refreshBeforeUpdate, resource hooks, a parameterized provider's extension reference).
# The others (views, replaceWith, byteString, snippets) are refused by name.
READ_FEATURES = frozenset({"taint", "refreshBeforeUpdate", "hooks", "extensionParameterization"})
MAX_STATE_BYTES = 256 * 1024 * 1024
STACK_TYPE = "pulumi:pulumi:Stack"  # the root of every stack: no part of a real URN's type chain


# What the stacks retain on delete, unprotected and holding no data, so that no diff counts one
# as a store (dropped or replaced, it loses nothing): settings of a whole account that a delete
# would reset for every mission there (Glue's catalog encryption: components/aws/analytics.py),
# and the settings a retained store needs kept with it (components/base.py `store_setting`: a
# bucket's public access block, policy, default encryption, versioning, lifecycle, ownership and
# access logging; a storage account's blob service and lifecycle policy, the identity the stores
# reach the mission key through and its grant on the key).
RETAINED_SETTING_TYPES: frozenset[str] = frozenset(
    {
        "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketLogging:BucketLogging",
        "azure-native:storage:BlobServiceProperties",
        "azure-native:storage:ManagementPolicy",
        "azure-native:managedidentity:UserAssignedIdentity",
        "azure-native:authorization:RoleAssignment",
    }
)


def is_protected(type_token: str, protect: bool, retain_on_delete: bool) -> bool:
    """Whether a resource's options keep its data from a delete: `protect`, or `retainOnDelete`
    on a resource that is not a retained setting (by its type, or by an earlier name of that
    type, which a checkpoint of an older provider records: `BucketLifecycleConfigurationV2`)."""
    from . import rules

    if protect:
        return True
    setting = type_token in RETAINED_SETTING_TYPES or not RETAINED_SETTING_TYPES.isdisjoint(
        rules.current_types(type_token)
    )
    return retain_on_delete and not setting


@dataclass(frozen=True)
class Resource:
    key: str
    type: str
    name: str
    inputs: Mapping[str, Any]
    protected: bool  # protect or retainOnDelete: the stack treats it as holding data
    dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # input -> keys
    # the AWS region its provider deploys into (None: not an AWS resource, or not recorded): a
    # resource cannot move region, so a change replaces it
    region: str | None = None
    outputs: Mapping[str, Any] = field(default_factory=dict)  # what the cloud (or the mocks) gave it
    # what a checkpoint says the next update does to it whatever its inputs (PENDING): "" for
    # nothing, or the field of the checkpoint that says it
    pending: str = ""
    init_errors: tuple[str, ...] = ()  # a checkpoint's `initErrors`: why its create did not finish
    # `protect` itself (`protected` also counts retainOnDelete): the engine refuses to delete or
    # replace such a resource until `pulumi state unprotect`
    protect: bool = False
    ignored: tuple[str, ...] = ()  # input paths the program's ignore_changes keeps as deployed
    replace_on: tuple[str, ...] = ()  # input paths the program's replace_on_changes replaces it on
    parents: tuple[str, ...] = ()  # the types of its ancestors, the outermost first, the root stack left out
    # the parents were cut short: a parent missing from its document (a trimmed export) was
    # named by a URN, which holds only as much of the chain as whoever wrote it put there
    partial: bool = False
    # input paths that held a secret the checkpoint gave in plaintext (--show-secrets): compared
    # and read as any value, never printed (groundlink.diff.changes shows them as [secret])
    secret_paths: tuple[str, ...] = ()


# What a checkpoint's resource may say the next `pulumi up` does to it, whatever the program
# declares (pulumi/pulumi pkg/resource/deploy/step_generator.go): "delete", the old half of an
# interrupted create-before-delete replacement, deleted (GenerateDeletes,
# NewDeleteReplacementStep); "pendingReplacement", deleted by an interrupted
# delete-before-replace and created again (a replacement); "taint", replaced; "initErrors", a
# create that did not finish initialising, updated.
PENDING = ("delete", "pendingReplacement", "taint", "initErrors")


@dataclass(frozen=True)
class State:
    cloud: str  # "" for an empty checkpoint, whose stack holds no cloud's resources yet
    kind: str  # spec | plan | checkpoint
    source: str
    resources: Mapping[str, Resource]
    # the old halves of interrupted replacements (`"delete": true`): no live resource, but
    # deleted by the next update
    doomed: tuple[Resource, ...] = ()


def resource_key(parents: Sequence[str], type_token: str, name: str) -> str:
    """A resource's URN as the real engine writes it, without stack and project: the type
    qualified by every ancestor's type (the root stack left out), then the name
    (`groundlink:index:AwsMissionStack$groundlink:index:AwsEvents$aws:sqs/queue:Queue::noaa20-events-contacts`)."""
    return "$".join((*parents, type_token)) + "::" + name


def _urn_parts(urn: str) -> tuple[str, tuple[str, ...], str] | None:
    """`urn:pulumi:STACK::PROJECT::TYPES::NAME` as (project, types, name), a leading root
    stack type left out of the types (the SDK mocks write it for a child of the stack); None
    for what is no URN."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return None
    types = tuple(parts[2].split("$"))
    if len(types) > 1 and types[0] == STACK_TYPE:
        types = types[1:]
    return parts[1], types, "::".join(parts[3:])


def urn_key(urn: str) -> str:
    """The key of a resource known only by its URN (one outside the document that names it): its
    types as the URN qualifies them, the root stack left out, and its name."""
    parts = _urn_parts(urn)
    return resource_key(parts[1][:-1], parts[1][-1], parts[2]) if parts else urn


def _lineage(items: Sequence[Any]) -> dict[str, tuple[tuple[str, ...], bool]]:
    """URN -> (the types of its ancestors, the outermost first, the root stack left out; whether
    they were cut short), from the `parent` links within `items`. A parent missing from them, or
    a resource that names none, is read from its URN, which the real engine qualifies with every
    ancestor's type and the SDK mocks with the immediate parent's only, so the chain may be short."""
    by_urn = {raw["urn"]: raw for raw in items if isinstance(raw, dict) and isinstance(raw.get("urn"), str)}
    found: dict[str, tuple[tuple[str, ...], bool]] = {}
    for urn in by_urn:
        types: list[str] = []
        partial = False
        seen = {urn}
        at, parent = urn, by_urn[urn].get("parent")
        while True:
            if not (isinstance(parent, str) and parent):
                # names no parent: its own URN tells what it can of its ancestors
                parts = _urn_parts(at)
                if parts and len(parts[1]) > 1:
                    types.extend(reversed(parts[1][:-1]))
                    partial = True
                break
            raw = by_urn.get(parent)
            if raw is None:  # outside the document: its URN names it, qualified as its writer did
                parts = _urn_parts(parent)
                if parts and parts[1] != (STACK_TYPE,):
                    types.extend(reversed(parts[1]))
                    partial = True
                break
            if raw.get("type") == STACK_TYPE or parent in seen or not isinstance(raw.get("type"), str):
                break
            types.append(raw["type"])
            seen.add(parent)
            at, parent = parent, raw.get("parent")
        found[urn] = (tuple(reversed(types)), partial)
    return found


class StateError(UsageError):
    """An OLD or NEW file that cannot be read as a spec, plan or checkpoint: one line."""

    def __init__(self, line: str):
        super().__init__(one_line(line))


def _provider_regions(items: list[Any]) -> dict[str, str]:
    """The region of each explicit or default provider resource in `items`, by URN. A provider
    that records none (its region came from AWS_REGION) deploys where the ARNs of what it
    created say: the region they name most often."""
    regions: dict[str, str] = {}
    for raw in items:
        if isinstance(raw, dict) and str(raw.get("type", "")).startswith("pulumi:providers:aws"):
            region = (raw.get("inputs") or {}).get("region") if isinstance(raw.get("inputs"), dict) else None
            if isinstance(raw.get("urn"), str):
                regions[raw["urn"]] = region if isinstance(region, str) and region else _arn_region(items, raw["urn"])
    return {urn: region for urn, region in regions.items() if region}


_ARN_REGION = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d):")


def _arn_region(items: list[Any], provider_urn: str | None) -> str:
    """The region the ARNs of the resources `provider_urn` created name most often ('' for none);
    with None, those of the resources that name no provider (the stack's default one)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for raw in items:
        if not isinstance(raw, dict):
            continue
        provider = str(raw.get("provider") or "").rsplit("::", 1)[0]
        if (provider == provider_urn) if provider_urn is not None else not provider:
            counts.update(_ARN_REGION.findall(json.dumps(raw.get("outputs") or {})))
    return counts.most_common(1)[0][0] if counts else ""


def _region_of(type_token: str, provider: Any, regions: Mapping[str, str], default: str | None) -> str | None:
    """The region a resource of `type_token` deploys into through `provider` (a provider
    reference, `URN::ID`, or None for the stack's default provider, of region `default`)."""
    if type_token.split(":", 1)[0] not in REGIONAL_PACKAGES:
        return None
    if isinstance(provider, str) and provider:
        return regions.get(provider.rsplit("::", 1)[0])
    return default or None


# What a plan's or a checkpoint's resource holds besides its urn and type, where present: a
# hand-edited `"protect": "yes"` was read as protected and `"name": 7` passed unseen.
_RESOURCE_FIELD_TYPES: dict[str, type] = {
    "custom": bool,
    "delete": bool,
    "pendingReplacement": bool,
    "taint": bool,
    "initErrors": list,
    "protect": bool,
    "retainOnDelete": bool,
    "provider": str,
    "parent": str,
    "name": str,
    "outputs": dict,
}
_KIND_WORDS = {bool: "true or false", str: "text", dict: "an object", list: "a list"}


def _shown(value: Any, limit: int = 40) -> str:
    """A value of a damaged document as JSON, cut to `limit` characters."""
    shown = json.dumps(value, default=str)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _check_types(raw: Mapping[str, Any], types: Mapping[str, type], where: str, source: str) -> None:
    """StateError naming the first field of `raw` present with a value not of its type (null is absence)."""
    for name, kind in types.items():
        value = raw.get(name)
        if value is not None and not isinstance(value, kind):
            field_path = f"{where}.{name}" if where else name
            raise StateError(f"{source}: {field_path}: must be {_KIND_WORDS[kind]}, got {_shown(value)}")


def _resource(
    raw: Any,
    where: str,
    source: str,
    regions: Mapping[str, str] | None = None,
    default_region: str | None = None,
    lineage: Mapping[str, tuple[tuple[str, ...], bool]] | None = None,
    keys: Mapping[str, str] | None = None,
    inputs_required: bool = False,
) -> Resource | None:
    if not isinstance(raw, dict):
        raise StateError(f"{source}: {where}: must be an object")
    urn, type_token = raw.get("urn"), raw.get("type")
    if not isinstance(urn, str) or not isinstance(type_token, str):
        raise StateError(f"{source}: {where}: needs string 'urn' and 'type'")
    _check_types(raw, _RESOURCE_FIELD_TYPES, where, source)
    _check_text_lists(raw, where, source)
    parts = _urn_parts(urn)
    if parts is None or parts[1][-1] != type_token:
        raise StateError(
            f"{source}: {where}.urn: must be the resource's URN, urn:pulumi:STACK::PROJECT::TYPES::NAME ending in its "
            f"type {type_token}, got {_shown(urn, 60)}"
        )
    if raw.get("custom") is False or type_token.startswith("pulumi:"):
        return None  # components, the stack and provider resources hold no cloud state
    if raw.get("external") is True:  # read with `.get()`: Pulumi drops it from the state, never deletes it
        return None
    # a checkpoint leaves out a resource's empty inputs (omitempty); a plan writes every resource's
    inputs = raw.get("inputs", None if inputs_required else {})
    if not isinstance(inputs, dict):
        raise StateError(f"{source}: {where}.inputs: must be an object")
    deps = raw.get("propertyDependencies") or {}
    if not isinstance(deps, dict) or not all(
        isinstance(v, list) and all(isinstance(u, str) for u in v) for v in deps.values()
    ):
        raise StateError(f"{source}: {where}.propertyDependencies: must map inputs to lists of URNs")
    keys = keys or {}
    parents, partial = (lineage or {}).get(urn, ((), False))
    name = parts[2]
    outputs = raw.get("outputs")
    pending = next((flag for flag in PENDING if raw.get(flag) is True or (flag == "initErrors" and raw.get(flag))), "")
    secrets: list[str] = []
    return Resource(
        key=resource_key(parents, type_token, name),
        type=type_token,
        name=name,
        inputs=_unwrapped(_without_defaults(inputs), secrets),
        secret_paths=tuple(secrets),
        protected=is_protected(type_token, bool(raw.get("protect")), bool(raw.get("retainOnDelete"))),
        dependencies={k: tuple(keys.get(u) or urn_key(u) for u in v) for k, v in deps.items()},
        region=_region_of(type_token, raw.get("provider"), regions or {}, default_region),
        outputs=_unwrapped(outputs) if isinstance(outputs, dict) else {},
        parents=parents,
        partial=partial,
        pending=pending,
        init_errors=tuple(raw.get("initErrors") or ()),
        protect=bool(raw.get("protect")),
    )


# A plan's lists of text (engine.plan.PlannedResource): a value of another kind there is a
# damaged or hand-edited file, whose other fields are then no more to be trusted.
_TEXT_LISTS = ("ignoreChanges", "replaceOnChanges", "dependencies", "capability", "initErrors")


def _check_text_lists(raw: Mapping[str, Any], where: str, source: str) -> None:
    for name in _TEXT_LISTS:
        value = raw.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise StateError(f"{source}: {where}.{name}: must be a list of text, got {_shown(value)}")


def _keys(lineage: Mapping[str, tuple[tuple[str, ...], bool]]) -> dict[str, str]:
    """URN -> key of every resource of a document (`lineage`)."""
    found = {}
    for urn, (parents, _) in lineage.items():
        parts = _urn_parts(urn)
        if parts:
            found[urn] = resource_key(parents, parts[1][-1], parts[2])
    return found


# The SDK marks its envelopes (secrets, assets, archives) with this key (pulumi.runtime.rpc
# _special_sig_key), and tells them apart by its value; the engine writes them into a checkpoint.
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"


@dataclass(frozen=True)
class Opaque:
    """A value of a checkpoint the plan's cannot be compared with: a secret (its ciphertext),
    or an archive the export records by its own hash only. The diff reports it as not compared,
    never as a change (groundlink.diff.changes)."""

    shown: str  # how it is printed: [secret], [archive]
    why: str  # why it is not compared
    # an archive's own hash as the plan writes a digest (`sha256:<hex>`): the engine hashes a
    # file archive's bytes, as the plan does, so it compares with a plan's file archive
    digest: str | None = None

    def __str__(self) -> str:
        return self.shown


SECRET = Opaque("[secret]", "encrypted in the checkpoint")


def _unwrapped(value: Any, secrets: list[str] | None = None, path: str = "") -> Any:
    """A checkpoint's value as the plan records it (groundlink.engine.runner `_plain`): a secret
    is SECRET (or, exported with --show-secrets, its plaintext, its path under the inputs added to
    `secrets`, so that it is never printed); an asset is its hash,
    `sha256:<hex>` (the engine hashes an asset's bytes, a text asset's text, as the plan does);
    an archive of assets is its members by name, each so; an archive of a path or URL is Opaque,
    comparable with a plan's digest of a file archive only."""
    if isinstance(value, list):
        return [_unwrapped(v, secrets, f"{path}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    sig = value.get(SIG_KEY)
    if sig is None:
        return {k: _unwrapped(v, secrets, f"{path}.{k}" if path else str(k)) for k, v in value.items()}
    if sig == SECRET_SIG:
        plaintext = value.get("plaintext")
        if isinstance(plaintext, str):
            try:
                # read as the document itself is (no NaN, no number past a double, no deeper
                # nesting than MAX_DEPTH): a deep plaintext ended the diff in a RecursionError
                parsed = strict_json(plaintext)
                _refuse_deep(parsed, "")
                inner = _unwrapped(parsed)
            except (ValueError, StateError, RecursionError):
                return SECRET
            if secrets is not None:
                secrets.append(path)
            return inner
        return SECRET
    if sig == ASSET_SIG:
        if isinstance(value.get("hash"), str) and value["hash"]:
            return "sha256:" + value["hash"]
        if isinstance(value.get("text"), str):
            return "sha256:" + hashlib.sha256(value["text"].encode()).hexdigest()
        return Opaque("[asset]", "the checkpoint records no hash of it")
    if sig == ARCHIVE_SIG:
        if isinstance(value.get("assets"), dict):
            return {
                name: _unwrapped(member, secrets, f"{path}.{name}" if path else name)
                for name, member in sorted(value["assets"].items())
            }
        digest = "sha256:" + value["hash"] if isinstance(value.get("hash"), str) and value["hash"] else None
        return Opaque("[archive]", "the checkpoint records the archive's hash, not its members'", digest)
    return {k: _unwrapped(v, secrets, f"{path}.{k}" if path else str(k)) for k, v in value.items()}


def _without_defaults(value: Any) -> Any:
    """Inputs as the program gave them: a bridged provider records the inputs it filled in
    itself (auto-names, schema defaults) under `__defaults` and fills them again on the next
    preview, so they are not the program's to change."""
    if isinstance(value, dict):
        listed = value.get("__defaults")
        # names only: a list or an object inside it (a hand-edited checkpoint) fills nothing
        filled = {name for name in listed if isinstance(name, str)} if isinstance(listed, list) else set()
        return {k: _without_defaults(v) for k, v in value.items() if not k.startswith("__") and k not in filled}
    if isinstance(value, list):
        return [_without_defaults(v) for v in value]
    return value


def _resources(
    items: Any,
    where: str,
    source: str,
    default_region: str | None = None,
    inputs_required: bool = False,
    doomed: list[Resource] | None = None,
) -> dict[str, Resource]:
    """The live resources of `items` by key; the old halves of interrupted replacements
    (`"delete": true`, which share the live one's URN) go to `doomed`."""
    if not isinstance(items, list):
        raise StateError(f"{source}: {where}: must be a list of resources")
    regions = _provider_regions(items)
    lineage = _lineage(items)
    keys = _keys(lineage)
    found: dict[str, Resource] = {}
    at: dict[str, int] = {}
    for i, raw in enumerate(items):
        resource = _resource(raw, f"{where}[{i}]", source, regions, default_region, lineage, keys, inputs_required)
        if resource is None:
            continue
        if resource.pending == "delete":
            if doomed is not None:
                doomed.append(resource)
            continue
        # one live resource a URN (a checkpoint's other copy, the old half of a replacement, is
        # marked `delete` and left out above): a second would silently stand for the first
        if raw["urn"] in at:
            raise StateError(f"{source}: {where}[{i}].urn: repeats {where}[{at[raw['urn']]}]; keep one of them")
        at[raw["urn"]] = i
        found[resource.key] = resource
    return found


def _cloud_of(resources: Sequence[Resource], source: str) -> str:
    """The one cloud whose resources a checkpoint holds; "" for a stack with none yet (never
    deployed, or destroyed). Resources of other packages (random, tls, command) are no
    cloud's: the program declares none, so the next update deletes them, as the diff says."""
    clouds = sorted({CLOUD_OF_PROVIDER[p] for r in resources if (p := r.type.split(":")[0]) in CLOUD_OF_PROVIDER})
    if len(clouds) > 1:
        raise StateError(f"{source}: holds resources of both {' and '.join(clouds)}; one stack holds one cloud's")
    return clouds[0] if clouds else ""


def _projects(items: list[Any]) -> list[str]:
    """The projects the URNs of `items` name."""
    return [
        parts[0]
        for raw in items
        if isinstance(raw, dict) and isinstance(raw.get("urn"), str) and (parts := _urn_parts(raw["urn"]))
    ]


def _same_project(projects: Sequence[str], source: str) -> None:
    """A stack of another Pulumi project is another program's: diffed as this one's, its
    resources read as deleted (or as no change where names coincide)."""
    from ..engine.runner import PROJECT

    other = next((p for p in projects if p != PROJECT), None)
    if other is not None:
        raise StateError(f"{source}: holds a stack of project {other!r}; this program's project is {PROJECT!r}")


# Deeper than any plan or checkpoint nests its values; the readers walk them recursively.
MAX_DEPTH = 100


def _refuse_deep(doc: Any, source: str) -> None:
    """StateError for a document nested deeper than MAX_DEPTH (walked without recursion)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise StateError(f"{source}: nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def read_json(path: Path) -> Any:
    """A JSON document, or one line naming the file and where it is broken."""
    source = str(path)
    if path.is_dir():
        raise StateError(f"{source}: {_REPORT_HINT if (path / 'plan-aws.json').is_file() else _DIRECTORY_HINT}")
    try:
        text = read_input(path, MAX_STATE_BYTES)
        doc = strict_json(text)
        _refuse_deep(doc, source)
        return doc
    except DuplicateKey as exc:
        raise StateError(f"{source}: {exc.where}: given twice in one object; keep one") from None
    except FileNotFoundError:
        raise StateError(f"{source}: no such file") from None
    except UnicodeDecodeError as exc:
        raise StateError(not_utf8(source, exc)) from None
    except InputTooLarge as exc:
        raise StateError(f"{source}: {exc}") from None
    except OSError as exc:
        raise StateError(f"{source}: cannot read ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise StateError(f"{source}: {json_problem(exc)}") from None
    except ValueError as exc:
        raise StateError(f"{source}: {exc}") from None
    except RecursionError:
        raise StateError(f"{source}: nested too deeply") from None


_REPORT_HINT = "a compare report; give its plan-aws.json or plan-azure.json"
_DIRECTORY_HINT = "a directory; give a plan (groundlink plan --json), a checkpoint (pulumi stack export) or a spec"


def from_document(doc: Any, source: str) -> State:
    """A plan JSON document or a checkpoint (`pulumi stack export`) as a State."""
    if isinstance(doc, dict) and "parity" in doc and "resources" not in doc:  # compare.json
        raise StateError(
            f"{source}: a compare report's summary, not a plan; give plan-aws.json or plan-azure.json beside it"
        )
    if isinstance(doc, dict) and doc.keys() >= _CHECK_RESULT_KEYS and "resources" not in doc:  # check --json
        raise StateError(
            f"{source}: a check result (groundlink check --json), not a plan; give a plan (groundlink plan --json), "
            "a checkpoint (pulumi stack export) or a spec"
        )
    if isinstance(doc, dict) and "formatVersion" in doc:
        if doc["formatVersion"] != 1 or isinstance(doc["formatVersion"], bool):  # JSON true == 1 in Python
            raise StateError(f"{source}: formatVersion: {doc['formatVersion']!r} is not 1")
        _check_types(doc, {"region": str, "project": str, "spec": str, "stack": str}, "", source)
        region = doc.get("region")
        if not region and isinstance(doc.get("resources"), list):
            # a plan saved before plans recorded their region: its ARNs name it, as a checkpoint's do
            region = _arn_region(doc["resources"], None) or None
        resources = _resources(doc.get("resources"), "resources", source, region, inputs_required=True)
        cloud = doc.get("cloud")
        if cloud not in CLOUDS:
            raise StateError(f"{source}: cloud: must be {' or '.join(repr(c) for c in CLOUDS)}")
        recorded = [doc["project"]] if isinstance(doc.get("project"), str) else []
        _same_project([*recorded, *_projects(doc["resources"])], source)
        return State(str(cloud), "plan", source, resources)
    if isinstance(doc, dict) and "deployment" in doc:
        version = doc.get("version")
        if version not in CHECKPOINT_VERSIONS or isinstance(version, bool):
            raise StateError(f"{source}: version: {version!r}; only deployment versions 3 and 4 are read")
        _check_features(doc, source)
        deployment = doc["deployment"]
        if not isinstance(deployment, dict):
            raise StateError(f"{source}: deployment: must be an object")
        doomed: list[Resource] = []
        resources = _resources(deployment.get("resources", []), "deployment.resources", source, doomed=doomed)
        cloud = _cloud_of([*resources.values(), *doomed], source)
        _same_project(_projects(deployment.get("resources", [])), source)
        return State(cloud, "checkpoint", source, resources, tuple(doomed))
    if isinstance(doc, dict) and doc.keys() >= _PLAN_KEYS:
        raise StateError(f"{source}: formatVersion: missing; a plan (groundlink plan --json) holds formatVersion: 1")
    raise StateError(
        f"{source}: neither a plan (groundlink plan --json) nor a checkpoint (pulumi stack export, version 3 or 4)"
    )


def _check_features(doc: Mapping[str, Any], source: str) -> None:
    """A version 4 deployment's `features` are ones this diff reads (READ_FEATURES); any other
    changes what the engine does in a way the diff would not say, so the file is refused."""
    features = doc.get("features", [])
    if features is None:
        return
    if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
        raise StateError(f"{source}: features: must be a list of feature names")
    unread = sorted(set(features) - READ_FEATURES)
    if unread:
        raise StateError(
            f"{source}: features: {', '.join(unread)}: not read by this diff, which would not say what the "
            f"engine does with them; read: {', '.join(sorted(READ_FEATURES))}"
        )


def from_plan(plan: Any, kind: str = "spec") -> State:
    """An offline plan (groundlink.engine.Plan) as a State."""
    resources = {}
    regions = _provider_regions([{"type": r.type, "urn": r.urn, "inputs": r.inputs} for r in plan.resources])
    lineage = _lineage([{"urn": r.urn, "type": r.type, "parent": r.parent} for r in plan.resources])
    keys = _keys(lineage)
    for r in plan.resources:
        if not r.custom or r.type.startswith("pulumi:"):
            continue
        parents, partial = lineage.get(r.urn, ((), False))
        key = resource_key(parents, r.type, r.name)
        resources[key] = Resource(
            key=key,
            type=r.type,
            name=r.name,
            inputs=r.inputs,
            protected=is_protected(r.type, bool(r.protect), bool(r.retainOnDelete)),
            protect=bool(r.protect),
            dependencies={k: tuple(keys.get(u) or urn_key(u) for u in v) for k, v in r.propertyDependencies.items()},
            region=_region_of(r.type, r.provider, regions, getattr(plan, "region", "") or None),
            outputs=r.outputs,
            ignored=tuple(getattr(r, "ignoreChanges", ())),
            replace_on=tuple(getattr(r, "replaceOnChanges", ())),
            parents=parents,
            partial=partial,
        )
    return State(plan.cloud, kind, plan.spec, resources)


Planner = Callable[[str, str], Any]


# A key one of the JSON documents a diff reads opens with (plan, compare.json, checkpoint).
_DOCUMENT_KEY = re.compile(r'"(formatVersion|version|deployment|checkpoint)"\s*:')
# Top-level keys only a plan or report (formatVersion) or a checkpoint has. A spec has a
# `version` of its own (spec.py), so `version` alone says nothing; a spec's sections do.
_DOCUMENT_KEYS = frozenset({"formatVersion", "deployment", "checkpoint"})
_SPEC_KEYS = frozenset({"mission", "satellites", "ground_segment"})
# What every plan holds beside its formatVersion: one that lost it (edited by hand) is still a
# plan, not a spec to refuse in a dozen lines of missing and unknown spec fields.
_PLAN_KEYS = frozenset({"cloud", "stack", "resources"})
# The top-level keys of a `check --json` result, which holds findings and no resources: read as a
# spec, it was refused in eight lines of missing and unknown spec fields.
_CHECK_RESULT_KEYS = frozenset({"pack", "passed", "clouds"})


def is_spec_path(path: str) -> bool:
    """Whether `path` holds a mission spec rather than a plan, checkpoint or compare report,
    judged by what it holds and not by its name: a spec without a suffix, or written as JSON (a
    spec generated against schema/mission.schema.json), is a spec, and a plan saved under a .yaml
    name (`plan --json v2.yaml`) is a plan. A JSON object is a document when its top-level keys
    are a document's; any other file is a spec, unless its .json name says it is a document."""
    file = Path(path)
    named_spec = file.suffix.lower() in (".yaml", ".yml")
    if not file.is_file():
        # a directory, a pipe (`pulumi stack export | groundlink diff /dev/stdin ...`) or a missing
        # file: read only once, so the name decides, and the reader names what is wrong
        return named_spec
    try:
        with file.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace").removeprefix(BOM).lstrip()
    except OSError:
        return named_spec
    named_document = file.suffix.lower() == ".json"
    if not head.startswith("{"):
        return not named_document  # a .json name that holds no object: the JSON reader says so
    keys = _top_level_keys(file)
    if keys is None:  # broken JSON: a .json name or a document's key near the top has the JSON reader name it
        return not (named_document or _DOCUMENT_KEY.search(head[:200]))
    looks_like_one = "version" in keys or keys >= _CHECK_RESULT_KEYS or keys >= _PLAN_KEYS
    return not (keys & _DOCUMENT_KEYS or (looks_like_one and not keys & _SPEC_KEYS))


def _top_level_keys(file: Path) -> frozenset[str] | None:
    """The top-level keys of a JSON object file no larger than a spec may be, or None when it is
    not one (or unreadable). A larger file is no spec (MAX_FILE_BYTES): a checkpoint of 60 MB
    was parsed whole, twice, only to be told apart from one."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            return frozenset(_DOCUMENT_KEYS)
        doc = json.loads(read_input(file, MAX_FILE_BYTES))
    except (OSError, ValueError, InputTooLarge, RecursionError):
        return None
    return frozenset(str(key) for key in doc) if isinstance(doc, dict) else None


def load_states(path: str, clouds: list[str], planner: Planner, partial: bool = False) -> dict[str, State]:
    """OLD as one State per cloud it covers among `clouds`: a spec is planned on each;
    a plan or checkpoint covers the one cloud it holds (`covers`)."""
    if is_spec_path(path):
        return {cloud: from_plan(planner(path, cloud)) for cloud in clouds}
    state = from_document(read_json(Path(path)), path)
    covers(path, state.cloud, clouds, partial)
    if not state.cloud:  # an empty stack: every resource of each cloud asked for is created
        return {cloud: replace(state, cloud=cloud) for cloud in clouds}
    return {state.cloud: state}


def covers(path: str, cloud: str, clouds: Sequence[str], partial: bool) -> None:
    """A plan or checkpoint OLD holds one cloud's stack: the clouds asked for must be that one.
    `--cloud both` (the default) against it used to diff that cloud alone and pass, saying
    nothing of the other, whose stores a gate was asked to watch. `partial`: a caller that
    says which clouds went uncompared itself (compare's report). An empty stack (cloud "")
    is the one cloud asked for, or for such a caller each cloud it asks for."""
    if not cloud:
        if len(clouds) != 1 and not partial:
            raise StateError(
                f"{path}: an empty stack, of no cloud yet; give --cloud aws or --cloud azure for the one it deploys"
            )
        return
    if cloud not in clouds:
        raise StateError(f"{path}: holds the {cloud} stack; --cloud {'/'.join(clouds)} asks for another")
    others = [c for c in clouds if c != cloud]
    if others and not partial:
        raise StateError(
            f"{path}: holds the {cloud} stack only, so {' and '.join(others)} would go unchecked; "
            f"give --cloud {cloud}, or a spec as OLD to diff every cloud"
        )


def align(old: State, new: State) -> State:
    """OLD with each resource NEW holds under another key keyed as NEW's, where the engine would
    take it for the same resource: its type is one NEW's type's SDK declares as an alias (a
    renamed pulumi-aws type, an azure-native API version), or its ancestors were cut short (a
    trimmed export naming a parent it leaves out by a mock-form URN) and are the last of NEW's.
    Both need the same name, and exactly one candidate in NEW not matched otherwise."""
    from . import rules

    waiting = {key: r for key, r in new.resources.items() if key not in old.resources}
    moved: dict[str, str] = {}
    for key, before in old.resources.items():
        if key in new.resources or not waiting:
            continue
        found = [
            k
            for k, after in waiting.items()
            if after.name == before.name
            and (after.type == before.type or before.type in rules.aliases(after.type))
            and _same_place(before, after)
        ]
        if len(found) == 1:
            moved[key] = found[0]
            del waiting[found[0]]
    if not moved:
        return old
    resources = {
        moved.get(key, key): replace(
            r,
            key=moved.get(key, key),
            dependencies={k: tuple(moved.get(d, d) for d in v) for k, v in r.dependencies.items()},
        )
        for key, r in old.resources.items()
    }
    return replace(old, resources=resources)


def _same_place(old: Resource, new: Resource) -> bool:
    """The same ancestors, or, where either side's were cut short, the shorter the end of the other."""
    if old.parents == new.parents:
        return True
    if not (old.partial or new.partial):
        return False
    short, long = sorted((old.parents, new.parents), key=len)
    return bool(short) and long[len(long) - len(short) :] == short


def as_deployed(new: State, old: State) -> State:
    """NEW with the values only a deployment knows taken from the checkpoint OLD, as a real
    preview has them: the offline plan holds placeholders (the mocks' account, subscription and
    tenant, and each resource's made-up id, ARN and name), and compared with a real export every
    input built from them read as a change; a Synapse key URL forced a replacement that was not.

    An input that came from other resources (its property dependencies) takes their outputs as
    OLD records them; the mocks' identities are replaced everywhere. Nothing else is touched,
    so a value the program computes itself (a description naming a region) is compared as it is.

    A saved plan's outputs are placeholders too, made by the mocks of the groundlink that saved
    it: when they change form (a bucket named with 8 characters after its prefix, where Terraform
    gives 26), every input built from them read as a change, and 36 resources as replaced."""
    if old.kind == "spec":  # planned now, by these mocks: the same placeholders
        return new
    placeholders: dict[str, dict[str, str]] = {}
    unrecorded: dict[str, set[str]] = {}
    for key, resource in new.resources.items():
        placeholders[key], unrecorded[key] = _deployed_values(resource, old.resources.get(key))
    identities = _identities(old)

    def swapped(value: Any, real: Mapping[str, str], pattern: re.Pattern[str] | None) -> Any:
        if pattern is None:
            return value
        if isinstance(value, str):
            return pattern.sub(lambda m: real[m.group(0)], value)
        if isinstance(value, dict):
            return {k: swapped(v, real, pattern) for k, v in value.items()}
        if isinstance(value, list):
            return [swapped(v, real, pattern) for v in value]
        return value

    resources = {}
    for key, resource in new.resources.items():
        before = old.resources.get(key)
        inputs: dict[str, Any] = {}
        for name, value in resource.inputs.items():
            real = dict(identities)
            absent: set[str] = set()
            for dependency in resource.dependencies.get(name, ()):
                real.update(placeholders.get(dependency, {}))
                absent |= unrecorded.get(dependency, set())
            if isinstance(value, str) and value in absent:
                # the dependency's output as OLD records it: none, as a real preview would read it
                # from the state (the SDK sends no input of no value, so a key OLD lacks stays out)
                if before is not None and name in before.inputs:
                    inputs[name] = None
                continue
            inputs[name] = swapped(value, real, _alternation(real))
        resources[key] = replace(resource, inputs=inputs)
    return replace(new, resources=resources)


# Outputs that echo where a resource lives, not a value the cloud chose for it.
_NOT_PLACEHOLDERS = frozenset({"region", "location"})


def _output_leaves(mine: Any, theirs: Any) -> Iterator[tuple[Any, Any]]:
    """(a mock output's value, OLD's value at the same place) for every leaf of an output, into
    objects and lists: a system-assigned identity's `identity.principalId`, which a role
    assignment's `principalId` is built from, sits one level down (OLD's value is None where it
    records none there)."""
    if isinstance(mine, dict):
        for key, value in mine.items():
            yield from _output_leaves(value, theirs.get(key) if isinstance(theirs, dict) else None)
    elif isinstance(mine, list):
        for i, value in enumerate(mine):
            yield from _output_leaves(value, theirs[i] if isinstance(theirs, list) and i < len(theirs) else None)
    else:
        yield mine, theirs


def _mock_values(resource: Resource, deployed: Resource) -> Iterator[tuple[str, Any]]:
    """(a mock output value worth mapping, OLD's value at its place): the values the cloud chose
    (an output that is none of the program's inputs), at least _LEAST_PLACEHOLDER long."""
    given = strings_in(resource.inputs)  # the program's own values: a change of one is a change
    for name, value in resource.outputs.items():
        if name in _NOT_PLACEHOLDERS:
            continue
        for mine, theirs in _output_leaves(value, deployed.outputs.get(name)):
            if isinstance(mine, str) and len(mine) >= _LEAST_PLACEHOLDER and not any(mine in text for text in given):
                yield mine, theirs


def _deployed_values(resource: Resource, deployed: Resource | None) -> tuple[dict[str, str], set[str]]:
    """From one pass over the mock outputs of `resource`: those OLD records another value for
    (mock value -> OLD's), and those OLD has no value for (a value the mocks of the groundlink
    that saved OLD did not make, as an S3 object's version id, or an output a checkpoint holds
    as null: an input that is one of them is what OLD's state gives a real preview, none)."""
    found: dict[str, str] = {}
    missing: set[str] = set()
    if deployed is None:
        return found, missing
    # a value OLD records under some output is no placeholder of another: a saved plan whose
    # mocks gave a topic's `id` its name, where the new ones give its ARN, mapped the unchanged
    # ARN to the old name, and everything built from the ARN read as changed
    recorded = strings_in(deployed.outputs)
    for mine, theirs in _mock_values(resource, deployed):
        if theirs is None:
            missing.add(mine)
        elif isinstance(theirs, str) and mine != theirs and mine not in recorded:
            found.setdefault(mine, theirs)
    return found, missing


def _alternation(real: Mapping[str, str]) -> re.Pattern[str] | None:
    """One pattern matching every placeholder of `real`, the longest first."""
    if not real:
        return None
    return re.compile("|".join(re.escape(v) for v in sorted(real, key=len, reverse=True)))


def strings_in(value: Any) -> set[str]:
    """Every string inside an input value."""
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


# Shorter output values (a count, "true") are no placeholder worth replacing.
_LEAST_PLACEHOLDER = 8
_ACCOUNT = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):")
_SUBSCRIPTION = re.compile(r"/subscriptions/([0-9a-fA-F-]{36})(?:/|$)")


def _identities(old: State) -> dict[str, str]:
    """The mocks' account, subscription and tenant -> the ones OLD's values name most often."""
    from collections import Counter

    from ..engine.mockids import ACCOUNT_ID, SUBSCRIPTION_ID, TENANT_ID

    accounts: Counter[str] = Counter()
    subscriptions: Counter[str] = Counter()
    tenants: Counter[str] = Counter()

    def scan(value: Any, key: str = "") -> None:
        if isinstance(value, str):
            accounts.update(_ACCOUNT.findall(value))
            subscriptions.update(_SUBSCRIPTION.findall(value))
            if key == "tenantId":
                tenants[value] += 1
        elif isinstance(value, dict):
            for k, v in value.items():
                scan(v, str(k))
        elif isinstance(value, list):
            for v in value:
                scan(v, key)

    for resource in old.resources.values():
        scan(resource.inputs)
        scan(resource.outputs)
    found = {}
    for placeholder, counts in ((ACCOUNT_ID, accounts), (SUBSCRIPTION_ID, subscriptions), (TENANT_ID, tenants)):
        if counts:
            found[placeholder] = counts.most_common(1)[0][0]
    return found
