"""What each durability and security choice would cost a month had the spec chosen otherwise.

A reader weighs a choice only against its alternatives. Each alternative is priced by re-running
the pure cost model (spec -> blueprint -> cost: no plan, no Pulumi) on the spec with that one
field changed, and compared with the spec as written priced the same way: the delta is the lines
the change adds minus the lines it removes. Both sides use the model's no-plan counts (the mission
key; one unit of each Premium
namespace; the private endpoints and zones the blueprint makes), so the delta compares like with
like even where a plan refines the counts. Each
alternative carries the number of keys and Premium units its lines price, for the report to state
rather than assume.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..blueprint import build_blueprint
from ..limits import AWS_REPLICA_REGIONS
from ..spec import MissionSpec, SpecError, spec_from_data
from .catalog import Assumptions, Catalog
from .choices import durability_choices, key_month_lines, premium_units
from .model import CloudCost, Line, Total, estimate, total, transfer_pair_note

# The spec field behind each choice, and its values in the order the report lists them.
CHOICE_FIELDS: dict[str, tuple[str, tuple[str | bool, ...]]] = {
    "storageRedundancy": ("storage.redundancy", ("zone", "geo")),
    "hsmKeys": ("security.hsm_keys", (True, False)),
    "messagingEncryption": ("security.premium_messaging", (False, True)),
}
# The gaps a choice's alternative can bring or keep, by the capability id's start: every storage
# gap holds whichever redundancy (said alike on both rows); no gap is the HSM choice's (by the
# `security.` prefix its rows were told of the messaging key's gap, which premium_messaging governs).
CHOICE_GAPS: dict[str, tuple[str, ...]] = {
    "storageRedundancy": ("storage.",),
    "hsmKeys": (),
    "messagingEncryption": ("security.messaging_cmk",),
}
NO_KEYS = "security.customer_managed_keys: false: there is no mission key to protect or to encrypt messaging with"
NO_EFFECT = {
    ("aws", "hsmKeys"): "AWS KMS keys are HSM-backed whatever security.hsm_keys says: nothing changes on AWS",
    ("aws", "messagingEncryption"): (
        "AWS queues and topics use the mission key whatever security.premium_messaging says: nothing changes on AWS"
    ),
}
# The NO_EFFECT notes that speak of the mission's keys: untrue or beside the point without them
# (security.customer_managed_keys: false leaves AWS queues on SQS-managed encryption and the stack
# with no KMS key of its own to be HSM-backed), where NO_KEYS says why instead.
NO_EFFECT_WITH_KEYS = frozenset({("aws", "messagingEncryption"), ("aws", "hsmKeys")})


@dataclass(frozen=True)
class Alternative:
    """One value of a choice's spec field on one cloud; monthly and delta are None when invalid."""

    value: str | bool  # the spec field's value
    option: str | bool | None  # what the cloud renders for it (the choice's value), None when invalid
    chosen: bool
    monthly: Total | None  # the choice's own lines under this value
    delta: Total | None  # the cloud's monthly total under this value minus under the spec's
    notes: tuple[str, ...]
    gaps: tuple[tuple[str, str], ...]  # (capability, reason) the cloud declares under this value
    keys: int | None = None  # the customer-managed keys its key-month lines price; None when invalid
    # the Premium units its lines price a month, by name (choices.PREMIUM_UNITS); None when invalid
    units: dict[str, int] | None = None


def stand_in_replica_region(region: str) -> str:
    """A replica region for pricing AWS geo when the spec names none: the first region of the
    stack's geography other than its own, or the first replica region by name where there is no
    other (the model prices the replica alike in every region; the transfer note says when the
    pair costs more than the catalog's figure)."""
    nearby = sorted(r for r in AWS_REPLICA_REGIONS if r.split("-")[0] == region.split("-")[0] and r != region)
    return (nearby or sorted(r for r in AWS_REPLICA_REGIONS if r != region))[0]


def _changed(data: dict[str, Any], key: str, value: str | bool) -> list[str]:
    """Set the choice's field in `data` (plus what the spec requires with it); notes on what was assumed."""
    aws = data["clouds"]["aws"]
    if key == "storageRedundancy":
        data["storage"]["redundancy"] = value
        if value == "zone":
            data["storage"]["geo_read_access"] = False
            aws["replica_region"] = None
        elif aws.get("replica_region") is None:
            aws["replica_region"] = stand_in_replica_region(aws["region"])
            return [f"AWS replica priced in {aws['replica_region']}: the spec names no clouds.aws.replica_region"]
    elif key == "hsmKeys":
        data["security"]["hsm_keys"] = value
    else:
        data["security"]["premium_messaging"] = value
    return []


def _signature(line: Line) -> tuple[str, str, str, float]:
    return (line.layer, line.item, line.price_id, line.quantity)


def line_delta(chosen: list[Line], other: list[Line]) -> Total:
    """Lines `other` adds minus lines it removes against `chosen`; an unknown price on either side
    makes the delta partial and is named."""
    mine, theirs = Counter(map(_signature, chosen)), Counter(map(_signature, other))
    added = [x for x in other if (theirs - mine)[_signature(x)]]
    removed = [x for x in chosen if (mine - theirs)[_signature(x)]]
    plus, minus = total(added), total(removed)
    return Total(plus.known - minus.known, tuple(dict.fromkeys(plus.unknown + minus.unknown)))


Priced = tuple[CloudCost, tuple[tuple[str, str], ...]]  # a spec's cost on one cloud, and the gaps it declares


def _priced(cloud: str, spec: MissionSpec, catalogs: dict[str, Catalog], assumptions: Assumptions | None) -> Priced:
    blueprint = build_blueprint(spec)
    cost = estimate(blueprint, {cloud: catalogs[cloud]}, assumptions, months=False).clouds[cloud]
    return cost, blueprint.for_cloud(cloud).gaps


def _notes_and_gaps(
    cloud: str, key: str, spec: MissionSpec, gaps: tuple[tuple[str, str], ...]
) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """Why a value changes nothing on `cloud`, and the gaps `cloud` declares for the choice under it."""
    keyed = spec.security.customer_managed_keys
    said = (cloud, key) in NO_EFFECT and (keyed or (cloud, key) not in NO_EFFECT_WITH_KEYS)
    notes = [NO_EFFECT[cloud, key]] if said else []
    if key != "storageRedundancy" and not keyed:
        notes.append(NO_KEYS)
    kept = tuple((cap, why) for cap, why in gaps if cap.startswith(CHOICE_GAPS[key]))
    return notes, kept


def _alternative(
    cloud: str,
    key: str,
    spec: MissionSpec,
    value: str | bool,
    own: Priced,
    catalogs: dict[str, Catalog],
    assumptions: Assumptions | None,
) -> Alternative:
    path = CHOICE_FIELDS[key][0].split(".")
    chosen = getattr(getattr(spec, path[0]), path[1]) == value
    if chosen:  # the spec's own value: priced once for every choice (`alternatives`)
        other, (cost, gaps) = spec, own
        assumed: list[str] = []
    else:
        data = spec.model_dump()
        assumed = _changed(data, key, value)
        try:
            other = spec_from_data(data, source="spec")
        except SpecError as exc:
            reason = exc.lines[0].removeprefix("spec: ")
            return Alternative(value, None, False, None, None, (f"not a valid spec: {reason}",), ())
        cost, gaps = _priced(cloud, other, catalogs, assumptions)
    choice = durability_choices(cloud, other, cost)[key]
    notes, kept = _notes_and_gaps(cloud, key, other, gaps)
    # the costlier transfer pair, said of the alternative that adds replication (the spec's own
    # replication is said once among the report's notes); its period is the list's to add
    adds = cloud == "aws" and key == "storageRedundancy" and value == "geo" and not chosen
    transfer = transfer_pair_note(other, cost).removesuffix(".") if adds else ""
    said = (assumed if cloud == "aws" else []) + ([transfer] if transfer else []) + notes
    return Alternative(
        value,
        choice.value,
        chosen,
        choice.monthly,
        line_delta(own[0].lines, cost.lines),
        tuple(said),
        kept,
        round(sum(x.quantity for x in key_month_lines(cost))),
        premium_units(cost),
    )


def alternatives(
    cloud: str, spec: MissionSpec, catalogs: dict[str, Catalog], assumptions: Assumptions | None = None
) -> dict[str, list[Alternative]]:
    """Every value of each choice's field on `cloud`, priced against the spec's own value with the
    estimate's `assumptions` (an object size from --prices changes every write count)."""
    own = _priced(cloud, spec, catalogs, assumptions)
    return {
        key: [_alternative(cloud, key, spec, value, own, catalogs, assumptions) for value in values]
        for key, (_, values) in CHOICE_FIELDS.items()
    }
