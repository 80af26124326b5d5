"""What applying NEW over OLD does to each resource, as `pulumi preview --diff` shows it.

A resource only in NEW is created, only in OLD deleted. One in both is unchanged, updated
in place, or replaced when a changed input is one its provider cannot update (see
`rules`). Replacement cascades as it does in a real preview: a replaced resource's outputs
are unknown until it exists again, so every input that came from it is a change, and when
that input forces a replacement too, the dependent is replaced as well.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, get_args

from pydantic import TypeAdapter, ValidationError

from .. import limits
from ..inputs import escaped
from ..runtime.azure_functions import CODE_DIGEST
from . import lifecycle, rules
from .refused_updates import unappliable
from .state import SECRET, Opaque, Resource, State, align, strings_in

Action = Literal["create", "update", "replace", "delete"]
ACTIONS: tuple[Action, ...] = get_args(Action)
COMPUTED = "(computed)"  # an input whose value is only known once a replaced (or renewed) resource exists
# Types whose every update makes a new object under a new ARN, as a replacement does: a Batch
# job definition registers a new revision, whose ARN ends in its number (pulumi-aws
# batch.JobDefinition: "When updating a job definition a new revision is created"; the previous
# one deregistered by default), so what reads its ARN (the pipe's target parameters) changes too.
RENEWED_BY_UPDATE: frozenset[str] = frozenset({"aws:batch/jobDefinition:JobDefinition"})
# An S3 object whose content changes is uploaded again as a new version, and its `versionId` is
# unknown until then (terraform-provider-aws internal/service/s3/object.go
# resourceObjectCustomizeDiff: `SetNewComputed("version_id")` when hasObjectContentChanges), so
# what reads it changes too: the Lambda layer's `s3ObjectVersion`, which publishes a new layer
# version, and the function that names it. The keys of hasObjectContentChanges, as wire names.
S3_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
S3_OBJECT_CONTENT: frozenset[str] = frozenset(
    {
        "bucketKeyEnabled",
        "cacheControl",
        "checksumAlgorithm",
        "contentBase64",
        "contentDisposition",
        "contentEncoding",
        "contentLanguage",
        "contentType",
        "content",
        "etag",
        "kmsKeyId",
        "metadata",
        "serverSideEncryption",
        "source",
        "sourceHash",
        "storageClass",
        "websiteRedirect",
    }
)
PROVIDER_REGION = "(provider region)"  # the region the resource's provider deploys into
PROTECTION = "(protect)"  # protect or retainOnDelete, which `pulumi destroy` and a delete honour
# What a checkpoint says the next update does to a resource whatever its inputs (state.PENDING),
# shown as the checkpoint's field: a replacement forced by it, or an update.
PENDING_REPLACEMENT = "(pendingReplacement)"  # deleted by an interrupted update; created again
TAINT = "(taint)"  # `pulumi state taint`; `pulumi state untaint` keeps it
INIT_ERRORS = "(initErrors)"  # a create that did not finish initialising
_FORCING_FLAGS = {"pendingReplacement": PENDING_REPLACEMENT, "taint": TAINT}
PENDING_WHY = {
    "delete": 'the old half of an interrupted replacement ("delete": true in OLD), which the next update deletes',
    "pendingReplacement": (
        'deleted by an interrupted update ("pendingReplacement": true in OLD); the next creates it again, empty'
    ),
    "taint": '"taint": true in OLD (pulumi state taint); `pulumi state untaint` keeps it',
    "initErrors": 'its create did not finish initialising ("initErrors" in OLD); the next update retries it',
}

# The types the stacks protect under storage.data_protection: strict, because they hold data
# (tests/test_diff_stateful.py keeps the set equal to the examples' protected types). A store
# is a store whatever its options say: without the protection (data_protection: dev, or a
# checkpoint of a stack deployed so) deleting or replacing it still loses its data.
STATEFUL_TYPES: frozenset[str] = frozenset(
    {
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:glue/catalogDatabase:CatalogDatabase",
        "aws:kinesis/stream:Stream",
        "aws:kms/key:Key",
        "aws:s3/bucket:Bucket",
        "aws:sqs/queue:Queue",
        "azure-native:eventhub:EventHub",
        "azure-native:eventhub:Namespace",
        "azure-native:keyvault:Key",
        "azure-native:keyvault:Vault",
        "azure-native:kusto:Cluster",
        "azure-native:kusto:ReadWriteDatabase",
        "azure-native:operationalinsights:Workspace",
        "azure-native:resources:ResourceGroup",
        "azure-native:servicebus:Namespace",
        "azure-native:servicebus:Queue",
        "azure-native:storage:BlobContainer",
        "azure-native:storage:StorageAccount",
        "azure-native:synapse:Workspace",
    }
)


# Words of an input path under which a number is how long data is kept before it is deleted:
# S3 lifecycle expiration, Azure lifecycle delete actions, soft-delete and change-feed
# retention, log, stream and hub retention, ADX soft delete. A tier move (`transitions`,
# `tierToCool`) deletes nothing and is no such path.
_RETENTION_WORDS = ("expiration", "retention", "delete", "softdeleteperiod")
# Settings that keep data after it is deleted (blob and container soft delete, a Key Vault's
# `softDeleteRetentionInDays`): added, they delete nothing; lowered, deleted data is purged
# sooner, which counts. Not Data Explorer's `softDeletePeriod`, despite its name: it is the
# database's retention ("the time the data should be kept before it stops being accessible to
# queries", pulumi-azure-native kusto.ReadWriteDatabase), so added where data was kept without
# end, it deletes data.
_SOFT_DELETE_WORDS = ("deleteretentionpolicy", "softdeleteretention", "enablesoftdelete")
# Retentions whose value says the data is kept without end, by resource type and input path:
# pulumi-aws LogGroup `retentionInDays` 0: "If you select 0, the events in the log group are
# always retained and never expire" (limits.LOG_NEVER_EXPIRE). Compared as a number, 0 read as
# the shortest: a log group going from never expiring to 3288 days was no shortening, and the
# way back was one.
_WITHOUT_END: dict[tuple[str, str], object] = {
    ("aws:cloudwatch/logGroup:LogGroup", "retentionInDays"): limits.LOG_NEVER_EXPIRE,
}
_DURATION = TypeAdapter(timedelta)
WITHOUT_END = "without end"  # a retention that deletes nothing, as shown


def kept_without_end(resource_type: str, path: str, value: Any) -> bool:
    """Whether `value` at `path` of a `resource_type` keeps the data without end (`_WITHOUT_END`)."""
    if (resource_type, path) not in _WITHOUT_END or isinstance(value, bool):
        return False
    return bool(value == _WITHOUT_END[(resource_type, path)])


def _kept_for(value: Any, resource_type: str = "", path: str = "") -> float | None:
    """A retention as a number (days, hours, or an ISO 8601 duration's days), infinite where the
    value keeps data without end; None for anything else."""
    if kept_without_end(resource_type, path, value):
        return math.inf
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.startswith("P"):  # ISO 8601: `P30D`, `P1Y`, `PT12H`
        try:
            return _DURATION.validate_python(value) / timedelta(days=1)
        except ValidationError:
            return None
    return None


def shortens_retention(change: PropertyChange, resource_type: str = "") -> bool:
    """Whether the change deletes data sooner than before: a retention lowered, or one set where
    data was kept without end."""
    if change.kind == "+" and isinstance(change.new, dict) and not change.path.endswith("]"):
        # a setting added whole to one that exists (an `expiration` block in an S3 rule): each
        # number in it; an item added whole to a list (a new lifecycle rule) is for new data
        return any(
            shortens_retention(PropertyChange(path, "+", None, value), resource_type) for path, value in _leaves(change)
        )
    path = change.path.lower()
    if not any(word in path for word in _RETENTION_WORDS):
        return False
    if path.endswith(_KEPT_COUNT):  # a count of old versions kept: fewer kept is sooner, more is not
        return change.kind == "~" and _number_below(change.new, change.old)
    new = _kept_for(change.new, resource_type, change.path)
    if change.kind == "+":
        # a soft-delete retention added keeps deleted data for a while: safer, not sooner
        return new is not None and new != math.inf and not any(word in path for word in _SOFT_DELETE_WORDS)
    old = _kept_for(change.old, resource_type, change.path)
    return change.kind == "~" and old is not None and new is not None and new < old


# S3's `newerNoncurrentVersions`, "Number of noncurrent versions Amazon S3 will retain" (pulumi-aws):
# under an `expiration` path, but a number kept, not an age
_KEPT_COUNT = "newernoncurrentversions"


def _number_below(new: Any, old: Any) -> bool:
    numbers = [v for v in (new, old) if isinstance(v, int | float) and not isinstance(v, bool)]
    return len(numbers) == 2 and new < old


def _holds_retention(path: str, resource_type: str, new: Any) -> bool:
    """Whether an input at `path` (NEW's value `new`) is, or holds, how long data is kept, on any
    resource, as a retention lowered counts on any: a retention's path with a number, a duration
    or a block of them in NEW (a switch, `deadLetteringOnMessageExpiration`, is none), or any of
    a lifecycle's rules (an S3 lifecycle's `rules`, a management policy's `policy`)."""
    if isinstance(new, bool):
        return False
    lowered = path.lower()
    if any(word in lowered for word in _RETENTION_WORDS):
        return True
    return resource_type in lifecycle.LIFECYCLE_TYPES and lowered.startswith(("rules", "policy"))


def _leaves(change: PropertyChange) -> Iterator[tuple[str, Any]]:
    """The added value's leaves, as (path, value), the dict keys under the change's path."""
    stack: list[tuple[str, Any]] = [(change.path, change.new)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{key}", inner) for key, inner in value.items())
        else:
            yield path, value


def holds_data(resource: Resource) -> bool:
    """Protected, or of a type that holds data (`STATEFUL_TYPES`, or an earlier name of one:
    `aws:s3/bucketV2:BucketV2`, an azure-native API version) with or without protection."""
    return (
        resource.protected
        or resource.type in STATEFUL_TYPES
        or not STATEFUL_TYPES.isdisjoint(rules.current_types(resource.type))
    )


@dataclass(frozen=True)
class PropertyChange:
    path: str
    kind: Literal["+", "-", "~"]
    old: Any
    new: Any
    # at or around a secret OLD gave in plaintext (--show-secrets): read and compared as any value
    # (a code digest, a retention), printed as [secret] on both sides, as pulumi preview prints one
    secret: bool = False

    @property
    def old_shown(self) -> Any:
        return SECRET if self.secret and self.kind != "+" else self.old

    @property
    def new_shown(self) -> Any:
        return SECRET if self.secret and self.kind == "~" and self.new != COMPUTED else self.new


@dataclass(frozen=True)
class NotCompared:
    """An input of OLD the diff cannot compare (a secret, an archive known by its hash only):
    neither a change nor the same. It forces nothing by itself, but on a store an input that
    forces a replacement may hide one (`may_replace`), and a retention (or a lifecycle's rules)
    may hide a higher one than NEW's (`may_shorten`): the verdict refuses both as data loss."""

    type: str
    name: str
    path: str
    shown: str  # [secret], [archive]
    why: str
    may_replace: bool = False  # an input that forces a replacement, of a resource that holds data
    may_shorten: bool = False  # a retention, or a lifecycle's rules (where a retention lowered counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "name": self.name,
            "path": self.path,
            "value": self.shown,
            "why": self.why,
            "mayReplace": self.may_replace,
            "mayShortenRetention": self.may_shorten,
        }


def _json_value(value: Any) -> Any:
    """A value of a property change as JSON holds it: an Opaque one as it is shown."""
    if isinstance(value, Opaque):
        return value.shown
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


# Why a resource of a retired service is lost for good once deleted or replaced.
RETIRED = f"Azure Orbital Ground Station was retired on {limits.AZURE_ORBITAL_RETIRED_ON} and takes no new resources"


@dataclass(frozen=True)
class Change:
    action: Action
    key: str
    type: str
    name: str
    stateful: bool
    properties: tuple[PropertyChange, ...] = ()
    forced_by: tuple[str, ...] = ()  # inputs whose change forces the replacement
    rules_known: bool = True  # False: no replacement metadata; a store's change counts as a replacement
    pending: str = ""  # what OLD (a checkpoint) says the next update does to it (state.PENDING), or ""
    # a lifecycle's deletions sooner than OLD's that no input's number says (lifecycle.sooner):
    # a rule turned on, renamed or widened, or a lifecycle made for a store that holds data
    lifecycle_sooner: tuple[PropertyChange, ...] = ()

    @property
    def irreplaceable(self) -> bool:
        """Of a retired service, which takes no new resources: Azure Orbital Ground Station's
        spacecraft and contact profiles (legacy_orbital) cannot be created again once deleted."""
        return limits.is_retired_orbital(self.type)

    @property
    def loses_data(self) -> bool:
        """Deleted or replaced, and either holding data or impossible to create again: refused alike."""
        return (self.stateful or self.irreplaceable) and self.action in ("delete", "replace")

    @property
    def shortened(self) -> tuple[PropertyChange, ...]:
        """The retentions this update or replacement lowers: data past the new one is deleted
        once applied, whether the lifecycle holding it is updated or made anew; or, where no
        input's number says it, what a lifecycle now deletes sooner (`lifecycle_sooner`)."""
        if self.action not in ("update", "replace", "create"):
            return ()
        lowered = tuple(p for p in self.properties if shortens_retention(p, self.type))
        if not lowered:
            return self.lifecycle_sooner
        # beside a number lowered (which the lifecycle's own reading names again, as its rule),
        # what no number says: data kept without end now deleted, a rule turned on or widened;
        # one edit doing both was refused for the number alone, then again once that was mended
        return lowered + tuple(p for p in self.lifecycle_sooner if p.old == WITHOUT_END)

    @property
    def unprotects(self) -> bool:
        """Kept, but no longer protected: the next delete or `pulumi destroy` takes its data."""
        return self.action == "update" and any(p.path == PROTECTION for p in self.properties)

    @property
    def at_risk(self) -> bool:
        """Refused without --allow-data-loss: its data lost now (`loses_data`), sooner (a retention
        lowered) or at the next delete (its protection taken away)."""
        return self.loses_data or bool(self.shortened) or self.unprotects

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "type": self.type,
            "name": self.name,
            "stateful": self.stateful,
            "dataLoss": self.loses_data,
            "dataAtRisk": self.at_risk,
            "irreplaceable": self.irreplaceable,
            "unprotects": self.unprotects,
            "shortensRetention": [p.path for p in self.shortened],
            # each with its old and new value as the refusal's line gives them
            "retentionsShortened": [
                {
                    "path": p.path,
                    "old": _retention_shown(self.type, p.path, p.old_shown),
                    "new": _retention_shown(self.type, p.path, p.new_shown),
                }
                for p in self.shortened
            ],
            "forcedBy": list(self.forced_by),
            "replacementRules": rules.source(self.type) if self.rules_known else "unknown",
            "pending": self.pending or None,
            "properties": [
                {"path": p.path, "kind": p.kind, "old": _json_value(p.old_shown), "new": _json_value(p.new_shown)}
                for p in self.properties
            ],
        }


@dataclass(frozen=True)
class Diff:
    cloud: str
    old: str
    new: str
    changes: tuple[Change, ...]
    unchanged: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    not_compared: tuple[NotCompared, ...] = ()
    # changes the cloud refuses though the provider updates them in place (refused_updates): the
    # command refuses them whatever --allow-data-loss says, one line each
    unappliable: tuple[str, ...] = ()

    @property
    def data_loss(self) -> list[Change]:
        return [c for c in self.changes if c.loses_data]

    @property
    def unprotected(self) -> list[Change]:
        return [c for c in self.changes if c.unprotects]

    @property
    def shortened(self) -> list[Change]:
        return [c for c in self.changes if c.shortened]

    @property
    def may_replace(self) -> list[NotCompared]:
        """Stores OLD cannot be compared with NEW on an input that forces a replacement."""
        return [n for n in self.not_compared if n.may_replace]

    @property
    def may_shorten(self) -> list[NotCompared]:
        """Retentions OLD hides: NEW's may be lower, and the data past it deleted."""
        return [n for n in self.not_compared if n.may_shorten and not n.may_replace]

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action == action)

    def at_risk_lines(self) -> list[str]:
        """What the command refuses without --allow-data-loss, one line each: a stateful resource
        deleted or replaced, a resource whose data would be deleted sooner (a retention lowered),
        a store left unprotected, and a store that may be replaced on an input OLD hides."""
        lines = []
        for change in self.data_loss:
            if change.action == "delete":
                how = "deleted"
            elif change.rules_known:
                how = f"replaced (forced by {', '.join(change.forced_by)})"
            else:
                how = f"replaced (changed {', '.join(change.forced_by)}; no replacement rules recorded for the type)"
            loss = f"it cannot be created again ({RETIRED})" if change.irreplaceable else "data loss"
            if change.pending:
                loss += f"; {PENDING_WHY[change.pending]}"
            lines.append(f"{self.cloud}: {change.type} {change.name} would be {how}: {loss}")
        for change in self.shortened:
            shown = [
                f"{p.path}: {_retention_shown(change.type, p.path, p.old_shown)} => "
                f"{_retention_shown(change.type, p.path, p.new_shown)}"
                for p in change.shortened
            ]
            lowered = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
            lines.append(f"{self.cloud}: {change.type} {change.name} would delete data sooner ({lowered})")
        for change in self.unprotected:
            lines.append(
                f"{self.cloud}: {change.type} {change.name} would lose its protection (protect, retainOnDelete; "
                "storage.data_protection: dev): the next delete or pulumi destroy takes its data"
            )
        for item in self.may_replace:  # the engine compares the real value and replaces the store if it differs
            advice = "export with --show-secrets" if item.shown == "[secret]" else item.why
            lines.append(
                f"{self.cloud}: {item.type} {item.name} may be replaced: its {item.path}, which forces a "
                f"replacement, is {item.shown} in OLD and cannot be compared ({advice})"
            )
        for item in self.may_shorten:  # a lower retention deletes the data past it once applied
            advice = "export with --show-secrets" if item.shown == "[secret]" else item.why
            lines.append(
                f"{self.cloud}: {item.type} {item.name} may delete data sooner: its {item.path}, a retention, is "
                f"{item.shown} in OLD and cannot be compared ({advice})"
            )
        # one line each, whatever OLD names its resources (a newline in a name from a plan's JSON)
        return [escaped(line) for line in lines]

    def to_json(self) -> dict[str, Any]:
        at_risk = self.at_risk_lines()
        return {
            "cloud": self.cloud,
            "old": self.old,
            "new": self.new,
            "summary": {a: self.count(a) for a in ACTIONS}
            | {"unchanged": self.unchanged, "dataLoss": len(self.data_loss), "unprotected": len(self.unprotected)}
            | {"retentionShortened": len(self.shortened), "notCompared": len(self.not_compared)}
            | {"mayReplace": len(self.may_replace), "mayShortenRetention": len(self.may_shorten)}
            | {"dataAtRisk": len(at_risk), "unappliable": len(self.unappliable)},
            # everything the command refuses without --allow-data-loss: `dataLoss` counts only
            # the stores deleted or replaced
            "dataAtRisk": at_risk,
            "unappliable": list(self.unappliable),
            "changes": [c.to_json() for c in self.changes],
            "notCompared": [n.to_json() for n in self.not_compared],
            "notes": list(self.notes),
        }


def _retention_shown(resource_type: str, path: str, value: object) -> str:
    """A retention as the data-loss line shows it: one kept without end says so (`0, without end`)."""
    return f"{_shown(value)}, without end" if kept_without_end(resource_type, path, value) else _shown(value)


def _shown(value: object) -> str:
    return "none" if value is None else str(int(value) if isinstance(value, float) and value.is_integer() else value)


def leaf_changes(old: Any, new: Any, path: str = "") -> Iterator[PropertyChange]:
    """Leaf-level differences between two values (resource inputs, two specs), as dotted
    paths under `path`."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in old:
                yield PropertyChange(sub, "+", None, new[key])
            elif key not in new:
                yield PropertyChange(sub, "-", old[key], None)
            elif old[key] != new[key]:
                yield from leaf_changes(old[key], new[key], sub)
    elif isinstance(old, list) and isinstance(new, list) and (keys := _item_keys(old, new)) is not None:
        old_at = {key: i for i, key in enumerate(keys[0])}
        kept = set(keys[1])
        for i, key in enumerate(keys[1]):
            if key not in old_at:
                yield PropertyChange(f"{path}[{i}]", "+", None, new[i])
            elif old[old_at[key]] != new[i]:
                yield from leaf_changes(old[old_at[key]], new[i], f"{path}[{i}]")
        for key in keys[0]:
            if key not in kept:
                yield PropertyChange(f"{path}[{old_at[key]}]", "-", old[old_at[key]], None)
        # the items kept, in a new order: a provider compares a list place by place (pulumi
        # preview --diff shows every moved item), so a reorder is a change of the list itself,
        # which replaces a resource whose list cannot change in place (a spacecraft's links)
        before = [key for key in keys[0] if key in kept]
        after = [key for key in keys[1] if key in old_at]
        if before != after:
            yield PropertyChange(path, "~", before, after)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                yield from leaf_changes(a, b, f"{path}[{i}]")
    else:
        yield PropertyChange(path, "~", old, new)


# What names an item of a list of settings (lifecycle rules: Azure's `name`, S3's `id`).
_ITEM_KEYS = ("name", "id")


def _item_keys(old: list[Any], new: list[Any]) -> tuple[list[str], list[str]] | None:
    """Each item's name, when every item of both lists is named, once per list: the items are
    then matched by name, not by place. A lifecycle rule added or removed changed the list's
    length, and the whole list was one change, so a retention shortened in another rule of the
    same edit was not seen (a lowered products retention beside query results turned off). The
    order is compared too (`leaf_changes`): matched by name, a reorder alone was no change."""
    for key in _ITEM_KEYS:
        named: list[list[str]] = [
            [item[key] for item in items if isinstance(item, dict) and isinstance(item.get(key), str)]
            for items in (old, new)
        ]
        if all(len(names) == len(items) == len(set(names)) for names, items in zip(named, (old, new), strict=True)):
            return named[0], named[1]
    return None


def _touches(path: str, secrets: tuple[str, ...]) -> bool:
    """A change at `path` holds or is held by one of the input paths `secrets` names, any item of
    a list standing for every other: OLD's secret is named by its place in OLD's list, a change by
    its place in NEW's (named items are matched by name), and a setting added before a secret one
    printed the secret's plaintext. A value beside a secret in the same list is shown as one too."""
    anywhere = _ANY_ITEM.sub("[*]", path)
    wide = tuple(_ANY_ITEM.sub("[*]", secret) for secret in secrets)
    return any(_under(anywhere, (secret,)) or _under(secret, (anywhere,)) for secret in wide)


_ANY_ITEM = re.compile(r"\[\d+\]")


def _held_secret(resource: Resource, path: str) -> bool:
    """`resource`'s input at `path` is a secret in its file (encrypted, or exported with
    --show-secrets and never to be printed) or held around one: a note that quotes it says
    `[secret]`, as the change lines do."""
    return _touches(path, resource.secret_paths) or isinstance(_input_at(resource, path), Opaque)


def _input_at(resource: Resource, path: str) -> Any:
    value: Any = resource.inputs
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _under(path: str, ignored: tuple[str, ...]) -> bool:
    """`path` is one of the `ignored` input paths or beneath one (`a.b`, `a.b.c`, `a.b[0]`)."""
    return any(path == top or path.startswith((f"{top}.", f"{top}[")) for top in ignored)


def _comparable(change: PropertyChange) -> bool | None:
    """Whether a leaf change is one: None when OLD's value cannot be compared (an Opaque one
    changed to another value), False when it is the same after all (an archive's hash equal to
    the plan's digest of it)."""
    old = change.old
    if not (isinstance(old, Opaque) and change.kind == "~"):
        return True  # an Opaque input dropped, or one inside a value whose shape changed, is a change
    if old.digest is not None and isinstance(change.new, str) and change.new.startswith("sha256:"):
        return change.new != old.digest
    return None


# What a plan records for an asset or archive whose file it could not read where it ran (the
# engine's `_asset`): the dependency layer not built, or a plan made outside the project
# directory, which the artifact paths are relative to. Its content is unknown, so it is no
# change: the same spec planned in two directories showed the layer as updated, and two plans
# made outside hid a real change of it.
UNREAD_ASSETS = ("FileAsset", "FileArchive")
UNREAD = Opaque(
    "[archive]",
    "its file was not found where a plan ran: run `make function-deps` and plan in the project directory",
)


def _unread(change: PropertyChange) -> bool:
    return change.kind == "~" and (change.old in UNREAD_ASSETS or change.new in UNREAD_ASSETS)


def _input_changes(
    old: Resource, new: Resource, computed: set[str], not_compared: list[PropertyChange] | None = None
) -> list[PropertyChange]:
    """What an update changes: NEW's ignore_changes paths keep the stack's values, so they change
    nothing. OLD's values that cannot be compared go to `not_compared`, not among the changes."""
    found: list[PropertyChange] = []
    for key in sorted(set(old.inputs) | set(new.inputs)):
        if key in computed:
            found.append(PropertyChange(key, "~", old.inputs.get(key), COMPUTED))
        elif key not in old.inputs:
            found.append(PropertyChange(key, "+", None, new.inputs[key]))
        elif key not in new.inputs:
            found.append(PropertyChange(key, "-", old.inputs[key], None))
        elif old.inputs[key] != new.inputs[key]:
            found.extend(leaf_changes(old.inputs[key], new.inputs[key], key))
        elif not_compared is not None:
            # unread on both sides, the two are equal by name only: what either file held is unknown
            not_compared.extend(
                PropertyChange(path, "~", UNREAD, value)
                for path, value in _leaves(PropertyChange(key, "+", None, new.inputs[key]))
                if value in UNREAD_ASSETS and not _under(path, new.ignored)
            )
    changes = []
    for change in found:
        if _under(change.path, new.ignored) or _same_azure_location(new.type, change) or _same_json(change):
            continue
        if _kept_in_state(old, change):
            continue
        if _unread(change) and change.new != COMPUTED:
            change = PropertyChange(change.path, "~", UNREAD, change.new)
        if change.kind != "+" and _touches(change.path, old.secret_paths):
            change = PropertyChange(change.path, change.kind, change.old, change.new, secret=True)
        # a value taken from a replaced resource is unknown, whatever OLD held: a change
        comparable = True if change.new == COMPUTED else _comparable(change)
        if comparable is None and not_compared is not None:
            not_compared.append(change)
        elif comparable:
            changes.append(change)
    return changes


def _kept_in_state(old: Resource, change: PropertyChange) -> bool:
    """A change the provider does not see: pulumi-aws (bridged from Terraform) reads the
    program's inputs against the resource's state, so an input the program leaves out that the
    provider computes (`preflight.schema.always_in_state`) keeps the state's value, and an input
    the program gives that equals the state's value changes nothing. A checkpoint written by
    `pulumi import` holds as inputs every attribute the provider read, computed ones included
    (pulumi-terraform-bridge `extractSchemaInputsObject`), and no `__defaults`: a re-adopted
    bucket read as replaced (`- bucket`, `+ bucketPrefix`), a Glue database by `catalogId`, a
    queue by `name`, and the data-loss gate refused the README's own re-import."""
    if not old.type.startswith("aws:") or not re.fullmatch(r"\w+", change.path):
        return False
    if change.kind == "-":
        from ..preflight.schema import always_in_state  # the provider SDK, loaded only for such a change

        return change.path in always_in_state(old.type)
    return change.kind == "+" and change.path in old.outputs and old.outputs[change.path] == change.new


def _same_json(change: PropertyChange) -> bool:
    """Two texts of the same JSON document: a policy, a redrive policy, an event pattern or a
    job's container properties as groundlink writes it (`", "` between items) and as a checkpoint
    holds it after `pulumi refresh` (the provider's normalised text, compact, its keys sorted:
    terraform-provider-aws gives such inputs a StateFunc that normalises them and suppresses
    equivalent diffs, so `pulumi preview` shows none). In a policy document a one-item list and
    its item are one value, as IAM reads them (the provider's policy normaliser writes either)."""
    if change.kind != "~" or not (isinstance(change.old, str) and isinstance(change.new, str)):
        return False
    old, new = _json_document(change.old), _json_document(change.new)
    if old is None or new is None:
        return False
    if isinstance(old, dict) and isinstance(new, dict) and "Statement" in old and "Statement" in new:
        return bool(_policy_value(old) == _policy_value(new))
    return bool(old == new)


def _json_document(text: str) -> Any:
    """`text` parsed when it is a JSON object or array, else None."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _policy_value(value: Any) -> Any:
    """A policy document with each one-item list taken as its item."""
    if isinstance(value, list):
        items = [_policy_value(v) for v in value]
        return items[0] if len(items) == 1 else items
    if isinstance(value, dict):
        return {k: _policy_value(v) for k, v in value.items()}
    return value


def _same_azure_location(type_token: str, change: PropertyChange) -> bool:
    """An Azure `location` spelt another way: azure-native compares every `location` property
    without case or spaces (pulumi-azure-native #2281), so "West US 2", as ARM reports a
    location and an imported resource's inputs may hold it, is westus2. Taken for a change,
    it replaced the storage account, with data loss, where `pulumi preview` shows none."""

    def key(value: str) -> str:
        return value.replace(" ", "").casefold()

    leaf = change.path.rsplit(".", 1)[-1].split("[", 1)[0]
    return (
        type_token.startswith("azure-native:")
        and leaf == "location"
        and change.kind == "~"
        and isinstance(change.old, str)
        and isinstance(change.new, str)
        and key(change.old) == key(change.new)
    )


def _forced(
    change: PropertyChange, before: Resource, after: Resource, forcing: frozenset[str] | None, stateful: bool
) -> tuple[str, ...]:
    """`_forces` for one change. A value taken from a replaced resource is unknown as a whole
    input here (`computeResources`), where a real preview knows it unknown only at the fields
    that came from that resource: a forcing path inside it counts only where the program sets
    it. Counted everywhere, a Fargate compute environment whose subnets moved was replaced
    by fields it never sets (`computeResources.launchTemplate`, ...), which Terraform forces
    only for EC2."""
    found = _forces(change.path, forcing, stateful)
    if change.new != COMPUTED:
        return found
    depth = len(rules.parts(change.path))
    return tuple(
        f
        for f in found
        if len(rules.parts(f)) <= depth or _sets(before.inputs, rules.parts(f)) or _sets(after.inputs, rules.parts(f))
    )


def _sets(value: Any, parts: list[str]) -> bool:
    """Whether `value` holds a value at the dotted path `parts` (in any item of a list on the way)."""
    if not parts:
        return value is not None
    if isinstance(value, list):
        return any(_sets(item, parts) for item in value)
    return isinstance(value, dict) and _sets(value.get(parts[0]), parts[1:])


def _top(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _forces(path: str, forcing: frozenset[str] | None, stateful: bool) -> tuple[str, ...]:
    """The inputs a change of `path` forces a replacement by: the type's replacement rules, or,
    for a store of a type without rules, any input (a change may replace it)."""
    if forcing is None and stateful:
        return (_top(path),)
    return tuple(rules.forced_by(path, forcing or frozenset()))


def _renews(change: Change) -> bool:
    """An update that makes a new object under a new ARN (RENEWED_BY_UPDATE): of a job
    definition, any change but its tags, which the provider applies to the revision it has
    (terraform-provider-aws resourceJobDefinitionUpdate: a new revision only
    `if d.HasChangesExcept(names.AttrTags, names.AttrTagsAll)`); of an S3 object, a change of
    its content (S3_OBJECT_CONTENT), which uploads a new version of it."""
    changed = {p.path.split(".")[0] for p in change.properties}
    if change.type == S3_OBJECT:
        return bool(changed & S3_OBJECT_CONTENT)
    return change.type in RENEWED_BY_UPDATE and bool(changed - {"tags", "tagsAll"})


def _version_ids(old: Resource, new: Resource) -> frozenset[str]:
    """An S3 object's version ids, as OLD and NEW record them: what a content update changes."""
    return frozenset(
        v for v in (old.outputs.get("versionId"), new.outputs.get("versionId")) if isinstance(v, str) and v
    )


def _reads_what_changes(before: Resource, after: Resource, prop: str, changing: frozenset[str] | None) -> bool:
    """Input `prop` reads an output of a replaced or renewed resource that changes: any, where
    every output does (`changing` None), else one holding a value in `changing` on either side
    (the layer's `s3ObjectVersion`, not its `s3Key`, which the same object gives)."""
    if changing is None:
        return True
    return bool(changing & (strings_in(before.inputs.get(prop)) | strings_in(after.inputs.get(prop))))


def diff_states(old: State, new: State) -> Diff:
    """Every create, update, replace and delete that turns OLD into NEW."""
    old = align(old, new)
    common = [k for k in new.resources if k in old.resources]
    new_containers = frozenset(
        f"{r.inputs.get('containerName')}/"
        for k, r in new.resources.items()
        if r.type == BLOB_CONTAINER and k not in old.resources and isinstance(r.inputs.get("containerName"), str)
    )
    replaced: set[str] = set()
    # of a resource renewed by an update, the outputs that change (an S3 object's new version
    # id), where the rest stay (its key, bucket, ARN); absent: every output, as of a replacement
    renewed_only: dict[str, frozenset[str]] = {}
    computed: dict[str, set[str]] = {}
    decided: dict[str, Change] = {}
    uncompared: dict[str, list[NotCompared]] = {}
    while True:  # until no replacement makes another input unknown (a fixpoint: the set only grows)
        for key in common:
            before, after = old.resources[key], new.resources[key]
            unknown = {
                prop
                for prop, deps in after.dependencies.items()
                if any(
                    _reads_what_changes(before, after, prop, renewed_only.get(dep))
                    for dep in replaced.intersection(deps)
                )
            }
            computed[key] = unknown
            opaque: list[PropertyChange] = []
            props = _input_changes(before, after, unknown, opaque)
            forcing = rules.forcing(after.type)
            known = forcing is not None
            stateful = holds_data(before) or holds_data(after)
            if after.replace_on and (known or not stateful):
                # the program's replace_on_changes, beside the provider's (a store of a type
                # without rules keeps None: any change of it may replace it)
                forcing = (forcing or frozenset()) | frozenset(after.replace_on)
            forced = tuple(sorted({f for p in props for f in _forced(p, before, after, forcing, stateful)}))
            uncompared[key] = [
                NotCompared(
                    after.type,
                    after.name,
                    p.path,
                    p.old.shown,
                    p.old.why,
                    # a store replaced anyway says so as a change; an input that forces nothing hides nothing
                    stateful and not forced and bool(_forces(p.path, forcing, stateful)),
                    not forced and _holds_retention(p.path, after.type, p.new),
                )
                for p in opaque
                if isinstance(p.old, Opaque)
            ]
            if before.region and after.region and before.region != after.region:
                # its provider deploys into another region, and no resource moves region
                props.insert(0, PropertyChange(PROVIDER_REGION, "~", before.region, after.region))
                forced = (PROVIDER_REGION, *forced)
            if before.protected and not after.protected:
                props.insert(0, PropertyChange(PROTECTION, "~", True, False))
            if before.pending in _FORCING_FLAGS:
                flag = _FORCING_FLAGS[before.pending]
                props.insert(0, PropertyChange(flag, "~", True, False))
                forced = (flag, *forced)
            elif before.pending == "initErrors":
                props.insert(0, PropertyChange(INIT_ERRORS, "-", list(before.init_errors), None))
            action: Action = "replace" if forced else "update"
            if props:
                sooner = _lifecycle_sooner(after.type, before.inputs, after.inputs, new_containers)
                decided[key] = Change(
                    action,
                    key,
                    after.type,
                    after.name,
                    stateful,
                    tuple(props),
                    forced,
                    known or before.pending in _FORCING_FLAGS,
                    before.pending,
                    sooner,
                )
        now = {k for k, c in decided.items() if c.action == "replace" or _renews(c)}
        renewed_only = {
            k: versions
            for k in now
            if decided[k].action != "replace"
            and decided[k].type == S3_OBJECT
            and (versions := _version_ids(old.resources[k], new.resources[k]))
        }
        if now == replaced:
            break
        replaced = now
    changes: list[Change] = list(decided.values())
    for key, r in new.resources.items():
        if key not in old.resources:
            # a lifecycle made for a store that holds data applies to that data too
            stored = any(k in old.resources for k in r.dependencies.get(_LIFECYCLE_STORE.get(r.type, ""), ()))
            sooner = _lifecycle_sooner(r.type, None, r.inputs, new_containers) if stored else ()
            changes.append(Change("create", key, r.type, r.name, holds_data(r), lifecycle_sooner=sooner))
    for key, r in old.resources.items():
        if key not in new.resources:
            changes.append(Change("delete", key, r.type, r.name, holds_data(r)))
    # the old halves of interrupted replacements: the next update deletes them, whatever NEW says
    changes += [Change("delete", r.key, r.type, r.name, holds_data(r), pending=r.pending) for r in old.doomed]
    order = {"delete": 0, "replace": 1, "update": 2, "create": 3}
    changes.sort(key=lambda c: (order[c.action], c.type, c.name))
    unchanged = len(common) - len(decided)
    not_compared = tuple(sorted((n for found in uncompared.values() for n in found), key=lambda n: (n.type, n.name)))
    notes = (
        _replication_notes(old, new, changes)
        + _projection_notes(old, new)
        + _port_notes(old, new)
        + _code_notes(old, new)
        + _consumer_notes(old, new)
        + _geo_copy_notes(old, new, changes)
        + _protected_notes(old, changes)
    )
    replacing = frozenset(c.key for c in changes if c.action == "replace")
    refused = tuple(escaped(line) for line in (*unappliable(old, new, replacing), *_retired_updates(new, changes)))
    return Diff(new.cloud, old.source, new.source, tuple(changes), unchanged, notes, not_compared, refused)


def _retired_updates(new: State, changes: list[Change]) -> Iterator[str]:
    """One line for each update of a retired Azure Orbital resource: the service takes no
    calls, so its settings stay as deployed (a setting the spec now refuses, an MTU or an address
    Azure reserves, was shown as an update `pulumi up` cannot make). Protection alone is the
    stack's own state, no call."""
    for change in changes:
        if change.action == "update" and change.irreplaceable and any(p.path != PROTECTION for p in change.properties):
            yield (
                f"{new.cloud}: {change.type} {change.name} would be updated, which Azure refuses: Azure Orbital "
                f"Ground Station was retired on {limits.AZURE_ORBITAL_RETIRED_ON} and its resources take no "
                "change; `pulumi up` stops there (a spec value the validator now refuses can only be planned anew)"
            )


BLOB_CONTAINER = "azure-native:storage:BlobContainer"
# The input naming the store a lifecycle deletes from
_LIFECYCLE_STORE = {lifecycle.S3_LIFECYCLE: "bucket", lifecycle.AZURE_LIFECYCLE: "accountName"}


def _lifecycle_sooner(
    resource_type: str, old: Any, new: Any, new_containers: frozenset[str]
) -> tuple[PropertyChange, ...]:
    """lifecycle.sooner as changes the data-loss line shows (`<what> under "<prefix>" (rule r): without end => 365`)."""
    if resource_type not in lifecycle.LIFECYCLE_TYPES:
        return ()
    return tuple(
        PropertyChange(where, "~", WITHOUT_END if before == math.inf else before, after)
        for where, before, after in lifecycle.sooner(resource_type, old, new, new_containers)
    )


GLUE_TABLE = "aws:glue/catalogTable:CatalogTable"
SATELLITE_VALUES = "projection.satellite.values"


def _projected_satellites(resource: Resource) -> list[str] | None:
    """The satellites an enum projection lists; None where the projection is no enum (Ground
    Station's `injected`: Athena takes the value from the query, so no stored name is left out)."""
    parameters = resource.inputs.get("parameters")
    if not isinstance(parameters, dict) or parameters.get("projection.satellite.type") != "enum":
        return None
    values = parameters.get(SATELLITE_VALUES)
    return [v for v in values.split(",") if v] if isinstance(values, str) else []


def _projection_notes(old: State, new: State) -> tuple[str, ...]:
    """A line for the satellites a catalog table's partition projection stops listing (a
    partner satellite renamed or removed on AWS): Athena reads only the partitions an enum
    projection lists, so the contacts stored under `satellite=<old name>/` stay in the buckets and
    drop out of every query, while Azure's views read every name. One line per set of names,
    naming the tables."""
    dropped: dict[tuple[str, ...], list[str]] = {}
    enumerated: dict[tuple[str, ...], list[str]] = {}  # injected before (Ground Station), enum now
    for key, table in new.resources.items():
        before = old.resources.get(key)
        if table.type != GLUE_TABLE or before is None or before.type != GLUE_TABLE:
            continue
        if _held_secret(before, "parameters") or _held_secret(table, "parameters"):
            continue  # the names listed are not to be printed, and a guess at them says nothing
        listed, kept = _projected_satellites(before), _projected_satellites(table)
        name = str(table.inputs.get("name") or table.name)
        if listed is None and kept is not None:
            enumerated.setdefault(tuple(kept), []).append(name)
        if listed is None or kept is None:  # now injected: the query gives the value, no name is left out
            continue
        gone = tuple(v for v in listed if v not in kept)
        if gone:
            dropped.setdefault(gone, []).append(name)
    return tuple(
        f"{', '.join(sorted(tables))}: Athena's partition projection no longer lists satellite "
        f"{', '.join(names)}: the contacts stored under {', '.join(f'satellite={n}/' for n in names)} stay in the "
        "buckets but no query reads them; keep the old name in the spec to query them (Athena User Guide, "
        '"Supported types for partition projection": enum)'
        for names, tables in dropped.items()
    ) + tuple(
        f"{', '.join(sorted(tables))}: Athena's partition projection now lists only satellite {', '.join(names)} "
        "(it took any value a query gave): the contacts stored under any other satellite= value (AWS Ground "
        "Station's) stay in the buckets but no query reads them (Athena User Guide, \"Supported types for "
        'partition projection": enum)'
        for names, tables in enumerated.items()
    )


FLEX_APP = "azure-native:web:WebApp"


def _app_setting(app: Resource, name: str) -> Any:
    site = app.inputs.get("siteConfig")
    settings = site.get("appSettings") if isinstance(site, dict) else None
    if not isinstance(settings, list):  # none, or a secret the checkpoint holds encrypted: unread
        return None
    found = [s.get("value") for s in settings if isinstance(s, dict) and s.get("name") == name]
    return found[0] if found else None


def _protected_notes(old: State, changes: list[Change]) -> tuple[str, ...]:
    """A line for each resource OLD protects that the change deletes or replaces: `pulumi up`
    refuses to delete a protected resource ("... is protected"), after applying what comes
    before it, so `--allow-data-loss` alone does not get the change through."""
    held = [
        f"{change.type} {change.name}"
        for change in changes
        if change.action in ("delete", "replace")
        and not change.pending
        and (before := old.resources.get(change.key)) is not None
        and before.protect
    ]
    if not held:
        return ()
    named = ", ".join(held[:PROTECTED_NAMED]) + (
        f" and {len(held) - PROTECTED_NAMED} more" if len(held) > PROTECTED_NAMED else ""
    )
    return (
        f"{len(held)} resource(s) OLD protects would be deleted or replaced ({named}): pulumi up refuses each, after "
        "applying what comes before it, until `pulumi state unprotect '<its URN>'` (pulumi stack --show-urns lists "
        "them); --allow-data-loss alone does not get it through",
    )


PROTECTED_NAMED = 3  # the protected resources a note names before it counts the rest


# The per-contact queues, and what takes their messages: a Lambda's event source mapping or the
# EventBridge pipe that submits container jobs (eventSourceArn, source), the Flex app whose
# Service Bus trigger reads the queue its settings name, a Container Apps job scaled from it.
CONTACT_QUEUES = frozenset({"aws:sqs/queue:Queue", "azure-native:servicebus:Queue"})
QUEUE_CONSUMERS = frozenset(
    {
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:pipes/pipe:Pipe",
        "azure-native:web:WebApp",
        "azure-native:app:Job",
    }
)


def _consumer_notes(old: State, new: State) -> tuple[str, ...]:
    """A line when a queue OLD holds gains a consumer NEW creates: groundlink's processor then
    takes and deletes its messages. A stack deployed before contact processing was on by default
    (its spec has no `processing` section) had its contact queue read by its users' own consumer,
    which the upgrade's processor starved of contacts without a word."""
    consumed = {  # the queues OLD's own processor already reads (a mode switch changes only how)
        dep
        for r in old.resources.values()
        if r.type in QUEUE_CONSUMERS
        for deps in r.dependencies.values()
        for dep in deps
    }
    notes = []
    for key, consumer in sorted(new.resources.items()):
        if key in old.resources or consumer.type not in QUEUE_CONSUMERS:
            continue
        read = {dep for deps in consumer.dependencies.values() for dep in deps}
        for queue_key in sorted(read - consumed):
            queue = old.resources.get(queue_key)
            if queue is not None and queue.type in CONTACT_QUEUES and queue_key in new.resources:
                notes.append(
                    f"{queue.name}: the queue, deployed before, gains a consumer ({consumer.type} {consumer.name}): "
                    "groundlink's processor takes and deletes its messages from this update on, so a consumer of "
                    "your own reading it would miss contacts (processing.enabled: false keeps the queue as it was)"
                )
    return tuple(dict.fromkeys(notes))


def _code_notes(old: State, new: State) -> tuple[str, ...]:
    """A line when the processor's code changes where the stack holds only its digest
    (`GROUNDLINK_CODE_SHA256`): a Flex app's package is uploaded by hand, a container job's image
    built and pushed, both outside Pulumi, so `pulumi up` changes only the setting and the app or
    the jobs keep running the code they have under a digest that says otherwise. Said too where
    the digest is recorded for the first time (a stack of an earlier version held none)."""
    notes = []
    for key, runner in new.resources.items():
        before = old.resources.get(key)
        held = _CODE_HELD.get(runner.type)
        if held is None or before is None or before.type != runner.type:
            continue
        read, where, todo = held
        was, now = read(before, CODE_DIGEST), read(runner, CODE_DIGEST)
        if now is not None and was != now:
            how = "changes" if was is not None else "is recorded for the first time"
            notes.append(f"{runner.name}: the processor's code {how} ({where.format(CODE_DIGEST)}): {todo}")
    return tuple(notes)


def _job_setting(job: Resource, name: str) -> Any:
    """A container job's environment setting: a Batch job definition's in its containerProperties
    (a JSON document), a Container Apps job's in its template's containers."""
    if job.type.startswith("aws:"):
        try:
            properties = json.loads(job.inputs.get("containerProperties") or "{}")
        except (TypeError, ValueError):  # a secret, or text that is no JSON: unread
            return None
        variables = properties.get("environment") if isinstance(properties, dict) else None
    else:
        template = job.inputs.get("template")
        containers = template.get("containers") if isinstance(template, dict) else None
        variables = []
        for container in containers if isinstance(containers, list) else []:
            env = container.get("env") if isinstance(container, dict) else None
            variables += env if isinstance(env, list) else []
    if not isinstance(variables, list):
        return None
    found = [v.get("value") for v in variables if isinstance(v, dict) and v.get("name") == name]
    return found[0] if found else None


# Where each runner of the processor holds its code's digest, and what the operator does when it
# changes: (reader, the setting's place, `{}` its name, the task)
_REBUILD_IMAGE = (
    "build the container image again from this groundlink version, push it under a new tag and set "
    'processing.container_image to it (docs/processing.md, "The container image"), or the jobs keep running the '
    "code the image holds"
)
_CODE_HELD: dict[str, tuple[Callable[[Resource, str], Any], str, str]] = {
    FLEX_APP: (
        _app_setting,
        "the app setting {}, shown above by its place in siteConfig.appSettings",
        "build its package with make flex-package, upload it after this update and restart the app (README, "
        '"Running it for real"), or the app keeps running the code it has',
    ),
    "aws:batch/jobDefinition:JobDefinition": (_job_setting, "the job's setting {}", _REBUILD_IMAGE),
    "azure-native:app:Job": (_job_setting, "the job's setting {}", _REBUILD_IMAGE),
}


STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"


def _geo_copy_notes(old: State, new: State, changes: list[Change]) -> tuple[str, ...]:
    """A line when an Azure account stays but its copy in the paired region goes (GZRS or
    RA-GZRS to ZRS: `storage.redundancy: geo` to `zone`). The update is in place and keeps every
    object, so it is no data loss; but the disaster-recovery copy AWS keeps in its replica
    buckets, whose deletion the diff refuses, is dropped here without one."""
    notes = []
    replaced = {c.key for c in changes if c.action == "replace"}  # a new account: nothing of it stays
    for key, account in new.resources.items():
        before = old.resources.get(key)
        if account.type != STORAGE_ACCOUNT or before is None or before.type != STORAGE_ACCOUNT or key in replaced:
            continue
        was, now = (_sku_name(r) for r in (before, account))
        geo = [limits.geo_redundant(sku) for sku in (was, now)]
        if geo == [True, False]:
            was, now = ("[secret]" if _held_secret(r, "sku") else sku for r, sku in ((before, was), (account, now)))
            notes.append(
                f"{account.name}: sku.name {was} => {now} drops the account's copy in the paired region: its "
                "objects stay, in the stack's location only, and a regional outage leaves no copy to fail over "
                "to (the AWS stack's replica buckets, the same copy, are refused as data loss)"
            )
    return tuple(notes)


def _sku_name(account: Resource) -> str:
    sku = account.inputs.get("sku")
    return str(sku.get("name", "")) if isinstance(sku, Mapping) else ""


ENDPOINT_GROUP = "aws-native:groundstation:DataflowEndpointGroup"


def _stream_ports(state: State) -> dict[str, tuple[Any, bool]]:
    """Each dataflow endpoint's UDP port on the receiver, by the endpoint's name, and whether the
    file holds the group's endpoints as a secret (then shown `[secret]`)."""
    ports: dict[str, tuple[Any, bool]] = {}
    for group in state.resources.values():
        if group.type != ENDPOINT_GROUP:
            continue
        details, hidden = group.inputs.get("endpointDetails"), _held_secret(group, "endpointDetails")
        for detail in details if isinstance(details, list) else []:
            endpoint = detail.get("endpoint") if isinstance(detail, dict) else None
            if not isinstance(endpoint, dict):
                continue
            address, name = endpoint.get("address"), endpoint.get("name")
            if isinstance(address, dict) and isinstance(name, str):
                port = address.get("port")  # a float, as a plan's JSON numbers all are
                ports[name] = (int(port) if isinstance(port, float) and port.is_integer() else port, hidden)
    return ports


def _port_notes(old: State, new: State) -> tuple[str, ...]:
    """A line when a downlink's stream moves to another port of the receiver (a satellite added,
    removed or moved before it in the spec: ports follow the downlinks' order): a receiver set
    up by port would file one downlink's stream as another's. Said, since the groups' replacement
    alone reads as routine."""
    before, after = _stream_ports(old), _stream_ports(new)

    def shown(port: tuple[Any, bool]) -> Any:
        return "[secret]" if port[1] else port[0]

    moved = [
        f"{name} {shown(before[name])} => {shown(port)}"
        for name, port in after.items()
        if name in before and before[name][0] != port[0]
    ]
    if not moved:
        return ()
    return (
        f"the contact streams move to other ports of the receiver ({', '.join(moved)}): set the receiver up for them "
        "before the next contact, or it files one downlink's stream as another's (ports follow the downlinks' order "
        "in the spec, docs/aws.md)",
    )


REPLICATION_CONFIG = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
BUCKET_TYPES = frozenset({"aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"})


def _replication_notes(old: State, new: State, changes: list[Change]) -> tuple[str, ...]:
    """A line for each replication that will write into a bucket new with this change (created,
    or replaced: a replica region moved) from a source bucket the deployed stack keeps: S3
    replicates only the objects written after the rule exists, so a stack moved from
    `storage.redundancy: zone` to `geo`, or to another replica region, keeps everything it held
    in one region (while Azure's account, upgraded in place to GZRS, copies all it holds). A
    source replaced or deleted holds nothing to copy."""
    fresh = {c.key for c in changes if c.action in ("create", "replace")}
    gone = {c.key for c in changes if c.action in ("replace", "delete")}
    notes = []
    for config in new.resources.values():
        if config.type != REPLICATION_CONFIG:
            continue
        into = [k for k in config.dependencies.get("rules", ()) if k in fresh and new.resources[k].type in BUCKET_TYPES]
        if not into:
            continue
        for source in config.dependencies.get("bucket", ()):
            if source in old.resources and source not in gone:
                archived = _archived_by(old, source)
                notes.append(
                    f"{config.name}: S3 replicates only objects written after this rule exists; those already in "
                    f"{old.resources[source].name} stay out of {', '.join(new.resources[k].name for k in into)} "
                    'until an S3 Batch Replication job copies them (S3 User Guide, "Replicating existing objects '
                    'with Batch Replication")'
                    + (
                        f", but for those its lifecycle has moved to {archived}, which S3 does not replicate: "
                        "restore them and copy each over itself into another storage class first (a new version, which the rule replicates; "
                        'S3 User Guide, "What does Amazon S3 replicate?")'
                        if archived
                        else ""
                    )
                )
    return tuple(notes)


# The storage classes S3 does not replicate, by Batch Replication either: "Objects that are stored
# in S3 Glacier Flexible Retrieval or S3 Glacier Deep Archive storage class" (S3 User Guide, "What
# does Amazon S3 replicate?", "What isn't replicated?", awsdocs/amazon-s3-userguide).
UNREPLICATED_CLASSES = {"GLACIER": "S3 Glacier Flexible Retrieval", "DEEP_ARCHIVE": "S3 Glacier Deep Archive"}


def _archived_by(state: State, bucket: str) -> str:
    """Where the deployed lifecycle of `bucket` moves objects that S3 then never replicates
    ("S3 Glacier Flexible Retrieval after 90 days"), or "": a stack deployed that long keeps most
    of its raw data there."""
    moves: dict[str, float] = {}
    for resource in state.resources.values():
        if resource.type != lifecycle.S3_LIFECYCLE or bucket not in resource.dependencies.get("bucket", ()):
            continue
        rules = resource.inputs.get("rules")
        if _held_secret(resource, "rules") or not isinstance(rules, list | tuple | type(None)):
            # rules OLD holds as a secret (encrypted, or not to be printed): where they move
            # objects is unknown here, and S3 replicates neither Glacier class
            return f"{' or '.join(UNREPLICATED_CLASSES.values())}, if its rules (a secret in OLD) move any there"
        for rule in rules or ():
            if not isinstance(rule, Mapping) or rule.get("status") != "Enabled":
                continue
            transitions = rule.get("transitions")
            for move in transitions if isinstance(transitions, list) else ():
                cls, days = (move.get("storageClass"), move.get("days")) if isinstance(move, Mapping) else (None, None)
                if cls in UNREPLICATED_CLASSES and isinstance(days, int | float):
                    moves[cls] = min(days, moves.get(cls, days))
    return " and ".join(
        f"{UNREPLICATED_CLASSES[cls]} after {days:g} days" for cls, days in sorted(moves.items(), key=lambda m: m[1])
    )
