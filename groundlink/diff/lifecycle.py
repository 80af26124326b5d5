"""What a store's lifecycle deletes, object by object, and whether a new one deletes sooner.

An input-by-input reading of a lifecycle misses the changes that delete data by what they
switch or widen, not by a number they lower: a rule turned on (`status: Enabled`, Azure's
`enabled: true`), a filter's prefix dropped, a rule renamed (matched by name, it is one rule
removed and another added), a lifecycle made for a store that already holds data, a count of
old versions kept (`newerNoncurrentVersions`) taken away. S3 applies a rule to "both existing
objects and objects that you add later" (Amazon S3 User Guide, "Managing the lifecycle of
objects"), as Azure's management policy does to every blob it matches.

Each enabled rule deletes the objects under its prefixes (S3 `filter.prefix`, `filter.and.prefix`
or the old top-level `prefix`; Azure `filters.prefixMatch`, absent: all) once they are older
than its days, by clock: current versions (S3 `expiration.days`; Azure `baseBlob.delete` by
modification, creation or last access), old versions (S3 `noncurrentVersionExpiration`, past the
`newerNoncurrentVersions` newest; Azure `version.delete`) and Azure snapshots. A NEW rule deletes
sooner unless an OLD rule of the same clock covers every object under its prefix (its prefix
starts the NEW one's) and deletes no later and keeps no more versions. Filters on tags, sizes and
blob types are read as their prefix alone, on both sides.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
AZURE_LIFECYCLE = "azure-native:storage:ManagementPolicy"
LIFECYCLE_TYPES = frozenset({S3_LIFECYCLE, AZURE_LIFECYCLE})


@dataclass(frozen=True)
class Expiry:
    """One rule's deletion of the objects under one prefix, by one clock."""

    rule: str  # the rule's name (S3 `id`, Azure `name`), or its place
    prefix: str  # "" for every object
    clock: str  # what is deleted and by which age: "current versions", "old versions", ...
    days: float
    kept_versions: float = 0.0  # old versions kept whatever their age (S3 newerNoncurrentVersions)
    # an S3 expiration on a date, not by age (`days` 0): every object goes that day, which is
    # compared with the same date alone (in OLD it covers no rule by age, in NEW none covers it)
    date: str = ""

    def covers(self, other: Expiry) -> bool:
        """Whether this deletes everything `other` deletes, no later (so `other` deletes nothing sooner)."""
        if self.date or other.date:  # the same date, or nothing said
            return self.date == other.date and self.clock == other.clock and other.prefix.startswith(self.prefix)
        return (
            self.clock == other.clock
            and other.prefix.startswith(self.prefix)
            and self.days <= other.days
            and self.kept_versions <= other.kept_versions
        )


def _number(value: Any) -> float | None:
    """A number, or one written as text (`"5"`, as a state of an older provider may hold it)."""
    if isinstance(value, str) and value.strip().isdigit():
        return float(value)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _get(value: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _rules(inputs: Mapping[str, Any], resource_type: str) -> list[Any] | None:
    """The lifecycle's rules; None where they are not a list (a secret, a value only known once deployed)."""
    rules = inputs.get("rules") if resource_type == S3_LIFECYCLE else _get(inputs, "policy", "rules")
    if rules is None:
        return []
    return rules if isinstance(rules, list) else None


def _s3(rules: list[Any]) -> Iterator[Expiry]:
    for place, rule in enumerate(rules):
        if not isinstance(rule, Mapping) or rule.get("status") != "Enabled":
            continue
        name = str(rule.get("id") or f"rules[{place}]")
        # S3's filter holds one of them; a refreshed state writes the others as "" (or null)
        found = (_get(rule, "filter", "prefix"), _get(rule, "filter", "and", "prefix"), rule.get("prefix"))
        prefix = next((p for p in found if isinstance(p, str) and p), "")
        # S3's days are "a non-zero positive integer" (botocore, LifecycleExpiration.Days and
        # NoncurrentVersionExpiration.NoncurrentDays): a 0, or an empty date, is what a refreshed
        # state may hold for one the rule does not set, not an expiry at once
        if (days := _number(_get(rule, "expiration", "days"))) is not None and days > 0:
            yield Expiry(name, prefix, "current versions", days)
        elif date := _get(rule, "expiration", "date"):  # every object, on that date
            yield Expiry(name, prefix, "current versions", 0.0, date=str(date))
        if (days := _number(_get(rule, "noncurrentVersionExpiration", "noncurrentDays"))) is not None and days > 0:
            kept = _number(_get(rule, "noncurrentVersionExpiration", "newerNoncurrentVersions")) or 0.0
            yield Expiry(name, prefix, "old versions", days, kept)


_AZURE_CLOCKS = (
    (("baseBlob", "delete"), "current versions"),
    (("version", "delete"), "old versions"),
    (("snapshot", "delete"), "snapshots"),
)
_AZURE_AGES = {
    "daysAfterModificationGreaterThan": "by last modification",
    "daysAfterCreationGreaterThan": "by creation",
    "daysAfterLastAccessTimeGreaterThan": "by last access",
}


def _azure(rules: list[Any]) -> Iterator[Expiry]:
    for place, rule in enumerate(rules):
        if not isinstance(rule, Mapping) or rule.get("enabled") is False:  # "Rule is enabled if set to true"
            continue
        name = str(rule.get("name") or f"policy.rules[{place}]")
        prefixes = _get(rule, "definition", "filters", "prefixMatch")
        prefixes = prefixes if isinstance(prefixes, list) and prefixes else [""]
        actions = _get(rule, "definition", "actions") or {}
        for path, what in _AZURE_CLOCKS:
            action = _get(actions, *path) or {}
            for age, by in _AZURE_AGES.items():
                if (days := _number(_get(action, age))) is not None:
                    for prefix in prefixes:
                        yield Expiry(name, str(prefix), f"{what} {by}", days)


def expiries(resource_type: str, inputs: Mapping[str, Any] | None) -> list[Expiry] | None:
    """What a lifecycle's enabled rules delete; none for no lifecycle (absent: nothing deleted);
    None where its rules cannot be read (held as a secret: `diff` names it apart)."""
    if not inputs:
        return []
    rules = _rules(inputs, resource_type)
    if rules is None:
        return None
    return list(_s3(rules) if resource_type == S3_LIFECYCLE else _azure(rules))


def sooner(
    resource_type: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    new_prefixes: frozenset[str] = frozenset(),
) -> list[tuple[str, float | str, float | str]]:
    """What NEW's lifecycle deletes sooner than OLD's (None: the store had none): for each NEW rule
    that no OLD rule covers, (`<clock> under "<prefix>" (rule <name>)`, how long OLD keeps those
    objects, inf where it kept them without end, and how long NEW does; `30 days past the 5
    newest` where versions are kept by count). `new_prefixes`: where the objects are new with
    NEW (an Azure container made by the same update), so nothing there is lost."""
    before, after = expiries(resource_type, old), expiries(resource_type, new)
    if before is None or after is None:  # not compared, and refused as such (changes.NotCompared.may_shorten)
        return []
    found: list[tuple[str, float | str, float | str]] = []
    for expiry in after:
        if any(expiry.prefix.startswith(p) for p in new_prefixes if p):
            continue
        if any(o.covers(expiry) for o in before):
            continue
        matching = [o for o in before if o.clock == expiry.clock and expiry.prefix.startswith(o.prefix)]
        nearest = min(matching, key=lambda o: (o.days, o.kept_versions), default=None)
        where = f'{expiry.clock} under "{expiry.prefix}" (rule {expiry.rule})'
        found.append((where, _kept(nearest), _kept(expiry)))
    return found


def _kept(expiry: Expiry | None) -> float | str:
    if expiry is None:
        return math.inf
    if expiry.date:
        return f"on {expiry.date}"
    if expiry.kept_versions or expiry.clock == "old versions":
        return f"{expiry.days:g} days past the {expiry.kept_versions:g} newest"
    return expiry.days
