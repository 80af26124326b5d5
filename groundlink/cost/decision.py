"""The decision: at which partner price per minute the clouds cost the same, and how that moves.

Azure has no first-party ground station, so its monthly total is the rest of its stack plus
partner minutes at a contractual price p. AWS's is the rest of its stack plus AWS Ground Station
minutes at the catalog's on-demand (or the supplied reserved) price, or plus partner minutes at
p with `provider: partner`. Each comparison is linear in p, so the break-even price is exact:

    p* = (AWS rest + AWS ground - Azure rest) / partner minutes

"Rest" is the known monthly cost of every non-ground line; prices that stay unknown are left
out of both sides and named as conditions, never counted as zero. AWS's rest depends on which
ground segment feeds it (a partner sends no telemetry and writes a manifest per contact; Ground
Station sends telemetry and writes a guiding file per downlink), so each AWS side carries its
own: AWS with Ground Station the rest it has with Ground Station, AWS with a partner the rest it
has with a partner, whichever of the two the spec chose. Ground-segment stream lines
(a dataflow endpoint, a partner's live-delivery stream) are not part of the comparison either
and are named when present. A mission with a satellite AWS Ground Station no longer supports
(which the spec refuses with `provider: managed`) is offered no Ground Station alternative: no
break-even, no Ground Station line in the sensitivity, and the sentence says why, once.
Pure Python: no pulumi.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..blueprint import Blueprint, build_blueprint
from ..clouds import cloud_title
from ..limits import AWS_UNSUPPORTED_SATELLITE_SOURCES
from ..rounding import (
    MONEY_DECIMALS,
    amount_text,
    dollars,
    dollars_apart,
    exact_figure,
    half_up,
    rate,
    same_to_the_cent,
)
from ..spec import MissionSpec, Partner, SpecError, spec_from_data
from .catalog import OVERRIDE_MARK, Assumptions, Catalog
from .model import CloudCost, CostEstimate, estimate

BANDS = ((False, "narrowband"), (True, "wideband"))
# How AWS Ground Station's minutes are priced where one band's reserved price is supplied and the
# other's is not (`_ground_station_used`): each band its own way.
MIXED_BANDS = "reserved and on demand"
CONTACTS_GRID = (1, 2, 3, 4, 6, 8, 10, 12, 16, 20)
# Partner prices drawn in the sensitivity chart, as fractions of AWS Ground Station's on-demand
# price per minute for the mission: a range to read a quote against, not a quote.
PRICE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
BREAK_EVEN_KEYS = (
    "azurePartnerVsAwsOnDemand",
    "azurePartnerVsAwsReserved",
    "awsPartnerVsAwsOnDemand",
    "awsPartnerVsAwsReserved",
)


@dataclass(frozen=True)
class Sides:
    """One mission's monthly figures that the comparison is linear in."""

    minutes: float  # partner minutes = AWS Ground Station minutes (the same contacts)
    aws_rest: float  # with the spec's own ground segment
    azure_rest: float  # with a partner network, Azure's only ground segment (azure_rest_planned otherwise)
    aws_rest_partner: float  # with a partner network delivering to AWS
    aws_rest_station: float  # with AWS Ground Station taking the contacts
    on_demand: float  # AWS Ground Station minutes at on-demand prices
    reserved: float | None  # at reserved prices, when every band's is supplied
    used: float  # AWS Ground Station minutes as AWS's lines with it price them (reserved where supplied)
    used_kind: str  # "on demand", "reserved" or "reserved and on demand" (one band each)
    unknown: dict[str, list[str]]  # unknown price ids outside the figures: the rest's and the left-out lines'
    left_out: list[str]  # ground-segment lines outside the comparison, each with its cost or "not priced"
    # how many per-minute prices `used` is made of: one (a list or a supplied price), or several
    # (narrowband and wideband minutes, each band its own), whose mean is no price anyone set
    used_prices: int = 1
    # whether a price of `used` was supplied (--prices) rather than the catalog's list price
    used_supplied: bool = False
    # Azure's rest as the spec's own stack plans it: with AWS Ground Station in the spec, its
    # telemetry hub is sized for the telemetry Ground Station sends, which no partner sends
    azure_rest_planned: float | None = None

    def breakeven(self, ground: float | None, rest: float) -> float | None:
        """Partner price per minute at which `rest + partner minutes` equals AWS with Ground
        Station, `aws_rest_station + ground`."""
        if ground is None or self.minutes <= 0:
            return None
        return (self.aws_rest_station + ground - rest) / self.minutes


def _rest(cost: CloudCost) -> tuple[float, list[str]]:
    rest = [x for x in cost.lines if x.layer != "ground"]
    known = sum(x.cost for x in rest if x.cost is not None)
    return known, list(dict.fromkeys(x.price_id for x in rest if x.cost is None))


def _ground_station(blueprint: Blueprint, est: CostEstimate, catalog: Catalog) -> tuple[float, float | None]:
    """AWS Ground Station's monthly cost for the mission's minutes: on demand, and reserved if supplied
    and Ground Station is offered at all (no figure stands on a reserved price otherwise, and a
    price read is a price the report calls used). The on-demand figure sets the partner prices the
    sensitivity is drawn at, offered or not."""
    dubbo = blueprint.spec.ground_segment.dubbo_minutes_share
    offered = ground_station_not_offered(blueprint.spec) is None
    on_demand, reserved = 0.0, 0.0
    reserved_known = offered
    for wide, band in BANDS:
        minutes = est.usage.billed_minutes(wide)
        if not minutes:
            continue
        # each price read only where minutes stand on it: a price read is a price the report used
        for site, share in (("", 1 - dubbo), ("dubbo_", dubbo)):
            if share:
                on_demand += catalog.entry(f"ground_station_{site}{band}_minute").cost(minutes * share) or 0.0
        if offered:
            cost = catalog.entry(f"ground_station_reserved_{band}_minute").cost(minutes)
            reserved_known = reserved_known and cost is not None
            reserved += cost or 0.0
    return on_demand, (reserved if reserved_known else None)


def _ground_station_used(station: CloudCost | None) -> tuple[float, str, int, bool]:
    """AWS Ground Station's minutes as AWS's lines with Ground Station (`station`) price them: each
    band reserved when its reserved price is supplied, else on demand (model._ground_lines), how
    many prices that is, and whether any was supplied (--prices) rather than listed. 0 where
    Ground Station is no alternative (`station` None)."""
    lines = [x for x in (station.lines if station else []) if x.price_id.startswith("ground_station_")]
    kinds = sorted({"reserved" if "_reserved_" in x.price_id else "on demand" for x in lines}, reverse=True)
    prices = {x.price_id for x in lines if x.quantity}
    supplied = any(OVERRIDE_MARK in x.entry.source for x in lines if x.quantity)
    return sum(x.cost or 0.0 for x in lines), " and ".join(kinds) or "on demand", max(len(prices), 1), supplied


def _other_ground_segment(blueprint: Blueprint) -> Blueprint:
    """The mission with the other ground segment on AWS: a partner network where the spec has
    AWS Ground Station, Ground Station where it has a partner. The partner is named `other`
    and nothing more: no partner detail is priced outside the ground segment."""
    gs = blueprint.spec.ground_segment
    if gs.provider == "managed":
        update: dict[str, Any] = {"provider": "partner", "partner": Partner(name="other")}
    else:
        update = {"provider": "managed", "partner": None}
    return build_blueprint(blueprint.spec.model_copy(update={"ground_segment": gs.model_copy(update=update)}))


def _other_mode(
    blueprint: Blueprint, est: CostEstimate, assumptions: Assumptions | None, plans: dict[str, Any] | None
) -> CostEstimate | None:
    """The mission estimated with the ground segment the spec did not choose, on the same plans:
    outside the ground segment both modes plan the same resources, and what the switch moves is
    usage (a partner sends no telemetry and writes a manifest per contact, Ground Station a
    guiding file per downlink). AWS's in either mode, and with AWS Ground Station in the spec
    Azure's too: a partner is Azure's only ground segment, and what the spec plans there sizes
    the telemetry hub for Ground Station's telemetry. None where AWS Ground Station is no
    alternative to a partner spec."""
    gs = blueprint.spec.ground_segment
    if gs.provider == "partner" and ground_station_not_offered(blueprint.spec):
        return None
    clouds = ("aws", "azure") if gs.provider == "managed" else ("aws",)
    catalogs = {cloud: est.catalogs[cloud] for cloud in clouds}
    return estimate(_other_ground_segment(blueprint), catalogs, assumptions, plans, months=False)


def _aws_rests(
    blueprint: Blueprint, est: CostEstimate, other_mode: CostEstimate | None
) -> tuple[float, float, list[str], CloudCost | None]:
    """AWS's rest with a partner network and with Ground Station, the price ids the other mode
    leaves unknown, and AWS's cost with Ground Station (None where it is no alternative). The
    spec's own mode is the estimate's; the other mode is `other_mode`'s (`_other_mode`)."""
    own, own_unknown = _rest(est.clouds["aws"])
    if other_mode is None:
        return own, own, [], None  # no Ground Station alternative to estimate: no figure stands on it
    switched = other_mode.clouds["aws"]
    other, other_unknown = _rest(switched)
    unknown = [p for p in other_unknown if p not in own_unknown]
    if blueprint.spec.ground_segment.provider == "partner":
        return own, other, unknown, switched
    return other, own, unknown, est.clouds["aws"]


def sides(
    blueprint: Blueprint, est: CostEstimate, assumptions: Assumptions | None = None, plans: dict[str, Any] | None = None
) -> Sides:
    """The figures of `est`, the estimate of `blueprint` (with `assumptions` and `plans`)."""
    aws_rest, aws_unknown = _rest(est.clouds["aws"])
    azure_planned, azure_unknown = _rest(est.clouds["azure"])
    other_mode = _other_mode(blueprint, est, assumptions, plans)
    # Azure with a partner network, as the decision weighs it: a managed spec's own Azure stack
    # sizes its telemetry hub for Ground Station's telemetry, and the managed spec and its partner
    # copy chose different partner clouds at high telemetry rates
    azure_rest = azure_planned
    if other_mode is not None and "azure" in other_mode.clouds:
        azure_rest, azure_unknown = _rest(other_mode.clouds["azure"])
    on_demand, reserved = _ground_station(blueprint, est, est.catalogs["aws"])
    outside = {
        cloud: [
            x
            for x in cost.lines
            if x.layer == "ground" and x.price_id != "partner_minute" and not x.price_id.startswith("ground_station_")
        ]
        for cloud, cost in est.clouds.items()
    }
    left_out = [
        f"{cloud_title(cloud)}: {x.item} ({'not priced' if x.cost is None else f'{dollars(x.cost)}/month'})"
        for cloud, lines in outside.items()
        for x in lines
    ]
    # An unknown price of a left-out line is as much outside the figures as one of the rest.
    aws_unknown += [x.price_id for x in outside["aws"] if x.cost is None and x.price_id not in aws_unknown]
    aws_rest_partner, aws_rest_station, other_unknown, station = _aws_rests(blueprint, est, other_mode)
    # Ground Station as AWS's lines price it in either mode: a spec and its copy with the other
    # provider weigh the same figure (reserved where supplied)
    used, used_kind, used_prices, used_supplied = _ground_station_used(station)
    aws_unknown += [p for p in other_unknown if p not in aws_unknown]
    azure_unknown += [x.price_id for x in outside["azure"] if x.cost is None and x.price_id not in azure_unknown]
    return Sides(
        minutes=est.usage.billed_minutes(False) + est.usage.billed_minutes(True),
        aws_rest=aws_rest,
        azure_rest=azure_rest,
        aws_rest_partner=aws_rest_partner,
        aws_rest_station=aws_rest_station,
        on_demand=on_demand,
        reserved=reserved,
        used=used,
        used_kind=used_kind,
        used_prices=used_prices,
        used_supplied=used_supplied,
        unknown={"aws": aws_unknown, "azure": azure_unknown},
        left_out=left_out,
        azure_rest_planned=azure_planned,
    )


def ground_station_not_offered(spec: MissionSpec) -> str | None:
    """Why AWS Ground Station is no alternative for the mission, or None when it is: a satellite it
    no longer supports cannot have its contacts there, whatever a break-even would say. The same
    answer as the spec's refusal of `provider: managed` (MissionSpec.aws_ground_station_unsupported)."""
    unsupported = spec.aws_ground_station_unsupported()
    if not unsupported:
        return None
    named = ", ".join(
        f"{sat.name} (NORAD {sat.norad_id}) since {ended}"
        + (f" ({source})" if (source := AWS_UNSUPPORTED_SATELLITE_SOURCES.get(sat.norad_id)) else "")
        for _, sat, ended in unsupported
    )
    return f"AWS Ground Station is not offered as an alternative: it no longer supports {named}"


def _with_contacts(blueprint: Blueprint, contacts_per_day: float) -> Blueprint:
    spec = blueprint.spec
    gs = spec.ground_segment.model_copy(update={"contacts_per_day": contacts_per_day})
    return build_blueprint(spec.model_copy(update={"ground_segment": gs}))


def feasible_contacts(spec: MissionSpec) -> list[float]:
    """The contacts a day the sensitivity is drawn at: CONTACTS_GRID and the spec's own, but those
    the spec model refuses at the spec's other figures (20 contacts of 120 minutes are 2,400
    minutes a day; a constellation's telemetry past its Event Hubs namespace's 20 units): drawn,
    they priced missions validate would never let through."""
    import copy

    own = spec.ground_segment.contacts_per_day
    data = spec.model_dump(mode="python", exclude_unset=True, by_alias=True)
    feasible = []
    for contacts in CONTACTS_GRID:
        changed = copy.deepcopy(data)
        changed.setdefault("ground_segment", {})["contacts_per_day"] = contacts
        try:
            spec_from_data(changed)
        except SpecError:
            continue
        feasible.append(contacts)
    return sorted({*feasible, own})


def _money(x: float | None) -> float | None:
    return None if x is None else round(x, MONEY_DECIMALS)


def sensitivity(
    blueprint: Blueprint,
    catalogs: dict[str, Catalog],
    assumptions: Assumptions | None,
    plans: dict[str, Any] | None,
    prices: list[float],
    ground_station: bool = True,
) -> list[dict[str, Any]]:
    """Monthly cost of both clouds against contacts per day, Azure (and AWS with a partner) at each
    price; AWS with Ground Station only when `ground_station` (null otherwise: not an alternative)."""
    grid = feasible_contacts(blueprint.spec)
    series = []
    for contacts in grid:
        at = _with_contacts(blueprint, contacts)
        s = sides(at, estimate(at, catalogs, assumptions, plans, months=False), assumptions, plans)
        station = s.aws_rest_station
        series.append(
            {
                "contactsPerDay": contacts,
                "awsOnDemand": _money(station + s.on_demand) if ground_station else None,
                "awsReserved": _money(None if s.reserved is None or not ground_station else station + s.reserved),
                "azureAtPrice": [_money(s.azure_rest + p * s.minutes) for p in prices],
                "awsPartnerAtPrice": [_money(s.aws_rest_partner + p * s.minutes) for p in prices],
            }
        )
    return series


def _partner_price(est: CostEstimate) -> float | None:
    ground = [x for x in est.clouds["azure"].lines if x.price_id == "partner_minute"]
    return ground[0].entry.price if ground else None


def _conditions(blueprint: Blueprint, s: Sides) -> str:
    gs = blueprint.spec.ground_segment
    conditions = (
        f"{exact_figure(gs.contacts_per_day)} contacts/day of {exact_figure(gs.contact_minutes)} min per satellite"
    )
    unknown = sorted({f"{c}.{p}" for c, ids in s.unknown.items() for p in ids if p != "partner_minute"})
    if unknown:
        conditions += f"; not priced: {', '.join(unknown)}"
    if s.left_out:
        conditions += f"; not in the comparison: {', '.join(s.left_out)}"
    return conditions


def partner_side(s: Sides) -> tuple[str, float]:
    """The cloud a partner network is cheaper on, and its rest: the same minutes at the same price
    on either cloud, so the one whose other lines cost less is cheaper at any partner price. The
    partner option AWS Ground Station is weighed against is that one: weighed against the other,
    the sentence told the reader to choose Azure with a partner below a break-even price, where
    AWS with the same partner cost less at every price."""
    if s.azure_rest < s.aws_rest_partner:
        return "azure", s.azure_rest
    return "aws", s.aws_rest_partner


def _partner_sentence(s: Sides, price: float | None, on_demand: float | None, not_offered: str | None = None) -> str:
    """With `provider: partner` both clouds' totals carry the same partner minutes: they differ by
    their other lines at any partner price. AWS Ground Station is the alternative to the cheaper
    of the two (`on_demand` is its break-even against it), unless it is `not_offered` (a satellite
    it no longer supports): then the sentence says why."""
    side, _ = partner_side(s)
    both = cloud_title(side)
    lead = f"With the partner network on both clouds {_partner_clouds_apart(s)}"
    if price is not None:
        lead += (
            f": at {rate(price)}/min AWS costs {dollars(s.aws_rest_partner + price * s.minutes)}/month and Azure "
            f"{dollars(s.azure_rest + price * s.minutes)}/month"
        )
    if not_offered is not None:
        lead += f"; {not_offered}"
    elif on_demand is not None:
        # on demand, `used` is the on-demand month and its break-even `on_demand`
        breakeven = on_demand if s.used_kind == "on demand" else s.breakeven(s.used, partner_side(s)[1])
        assert breakeven is not None  # minutes > 0, as for on_demand
        station = s.aws_rest_station + s.used
        lead += f"; AWS with Ground Station {s.used_kind} instead ({dollars(station)}/month) would "
        if breakeven <= 0:
            lead += no_break_even(both)
        elif price is None:
            lead += f"break even with {both} and the partner at {per_minute(breakeven)}"
        else:
            # at the spec's own price, which one is cheaper: the spec's copy with provider: managed
            # says it, so this one must too (it said only where the two would break even)
            partner = partner_side(s)[1] + price * s.minutes
            verdict = {"same": "cost the same", "station": "be cheaper", "partner": "cost more"}.get(
                weighed(s, station, partner) or "", "cost more or less, which is not known while a price is left out"
            )
            lead += f"{verdict}: it breaks even with {both} and the partner at {per_minute(breakeven)}"
        lead += _on_demand_clause(s, on_demand, both)
    return lead


def per_minute(price: float) -> str:
    """A break-even partner price in a sentence, as the break-even table and the chart's title show
    it (`amount_text`): one under a cent read "$0.00/min" here and "<$0.0001/min" there."""
    return f"{amount_text(round(price, MONEY_DECIMALS))}/min"


def unpriced(s: Sides, cloud: str) -> list[str]:
    """The price ids of `cloud`'s lines outside the ground segment that are not priced (its
    partner minutes aside: the same on both clouds)."""
    return [f"{cloud}.{p}" for p in s.unknown.get(cloud, []) if p != "partner_minute"]


def _partner_clouds_apart(s: Sides) -> str:
    """How the two clouds with a partner network compare, the same partner minutes on both: the one
    whose other lines cost less is cheaper at any partner price, unless those lines leave a price
    out (an unpriced Data Explorer cluster made Azure "cheaper by $368.02" against Athena's $500 of
    scans), or the two cost the same."""
    side, _ = partner_side(s)
    apart = dollars_apart(s.aws_rest_partner, s.azure_rest)
    tie = same_to_the_cent(s.aws_rest_partner, s.azure_rest)
    # a tie with a price left out on either side, or a lower side that leaves one out, decides nothing
    missing = unpriced(s, "aws") + unpriced(s, "azure") if tie else unpriced(s, side)
    if missing:
        lower = (
            "AWS's and Azure's priced costs are the same"
            if tie
            else f"{cloud_title(side)}'s priced costs are lower by {apart}/month"
        )
        return f"{lower}, but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not priced: which cloud is cheaper is not known until {'it is' if len(missing) == 1 else 'they are'}"
    if tie:
        return f"AWS and Azure cost the same ({dollars(s.azure_rest)}/month besides the partner minutes)"
    return f"{cloud_title(side)} is cheaper by {apart}/month at any partner price"


def weighed(s: Sides, station: float, partner: float) -> str | None:
    """Which of AWS with Ground Station (`station`) and the partner option (`partner`, on the cloud
    `partner_side` names) is cheaper, as a verdict the known figures support: "station", "partner"
    or "same"; None where the lower side, or either side of a tie, leaves a price out (the known
    part of a partial total is a lower bound). The partner option on AWS shares AWS's other lines
    with Ground Station's, and their unknowns with them: only Azure's weigh against AWS's."""
    side, _ = partner_side(s)
    station_missing = unpriced(s, "aws") if side == "azure" else []
    partner_missing = unpriced(s, "azure") if side == "azure" else []
    if same_to_the_cent(station, partner):
        return None if station_missing or partner_missing else "same"
    if station < partner:
        return None if station_missing else "station"
    return None if partner_missing else "partner"


def _on_demand_clause(s: Sides, on_demand: float | None, both: str) -> str:
    """Where Ground Station is weighed reserved (a band's reserved price supplied), its on-demand
    break-even (`on_demand`) against the same partner option too."""
    if s.used_kind == "on demand" or on_demand is None:
        return ""
    return f"; with Ground Station on demand ({dollars(s.aws_rest_station + s.on_demand)}/month) " + (
        f"the break-even would be {per_minute(on_demand)}" if on_demand > 0 else f"AWS would {no_break_even(both)}"
    )


def no_break_even(partner_cloud: str) -> str:
    """A break-even partner price at or below zero is no price: AWS with the Ground Station minutes
    costs less than the partner option even with free partner minutes (the break-even table says "none")."""
    return f"cost less than {partner_cloud} and the partner at any partner price"


def _managed_sentence(s: Sides, price: float | None, on_demand: float | None) -> str:
    """AWS Ground Station as AWS's total prices it (reserved when supplied) against the cheaper
    partner option (`partner_side`); `on_demand` is the on-demand break-even against that option."""
    side, rest = partner_side(s)
    both = cloud_title(side)
    aws = s.aws_rest_station + s.used
    station = f"Ground Station {s.used_kind}"
    breakeven = s.breakeven(s.used, rest)
    assert breakeven is not None  # minutes > 0: the caller returned otherwise
    if same_to_the_cent(aws, rest):  # a break-even of zero: free partner minutes cost the same
        lead = (
            f"AWS with {station} ({dollars(aws)}/month) costs as much as {both}'s stack with a partner network and "
            "no contact minutes: it is cheaper at any partner price above zero"
        )
    elif breakeven <= 0:
        lead = (
            f"AWS with {station} is cheaper at any partner price: its stack ({dollars(aws)}/month) costs less than "
            f"{both}'s with a partner network and no contact minutes"
        )
    elif price is not None:
        partner = rest + price * s.minutes
        option = f"{both} with the partner" if side == "aws" else both
        cheaper = {
            "same": f"{option} and AWS with {station} cost the same",
            "partner": f"{option} is cheaper",
            "station": f"AWS with {station} is cheaper",
        }.get(weighed(s, aws, partner) or "", f"Which of {option} and AWS with {station} is cheaper is not known")
        lead = (
            f"{cheaper}: {both} with the partner at {rate(price)}/min costs {dollars(partner)}/month "
            f"against {dollars(aws)} on AWS with {station}; the break-even partner price is {per_minute(breakeven)}"
        )
    else:
        single = {"on demand": "supplied" if s.used_supplied else "list", "reserved": "supplied"}.get(s.used_kind)
        basis = single if single and s.used_prices == 1 else "on average"
        lead = (
            f"Choose {both} with a partner network if the partner charges less than {per_minute(breakeven)}, "
            f"otherwise AWS with {station} ({dollars(s.used / s.minutes)}/min {basis}, {dollars(aws)}/month)"
        )
    lead += _on_demand_clause(s, on_demand, both)
    return lead + f"; with a partner on both clouds {_partner_clouds_apart(s)}"


def _sentence(
    blueprint: Blueprint, s: Sides, breakeven: dict[str, float | None], price: float | None, not_offered: str | None
) -> str:
    """The decision against the totals the report shows: AWS's Ground Station minutes as its lines
    price them (reserved where supplied), or, with a partner on both clouds, the partner's."""
    conditions = _conditions(blueprint, s)
    on_demand = breakeven[_ON_DEMAND_AGAINST[partner_side(s)[0]]]
    if s.minutes <= 0:
        return f"No contact minutes: the clouds differ only by their other costs ({conditions})."
    if blueprint.spec.ground_segment.provider == "partner":
        return f"{_partner_sentence(s, price, on_demand, not_offered)} (for {conditions})."
    return f"{_managed_sentence(s, price, on_demand)} (for {conditions})."


# The on-demand break-even of AWS Ground Station against each cloud with a partner (BREAK_EVEN_KEYS).
_ON_DEMAND_AGAINST = {"azure": "azurePartnerVsAwsOnDemand", "aws": "awsPartnerVsAwsOnDemand"}


def _headline(blueprint: Blueprint, s: Sides, breakeven: dict[str, float | None], offered: bool) -> dict[str, Any]:
    """The break-even the sentence leads with: the cloud whose partner option it weighs
    (`partner_side`), and against which AWS Ground Station pricing: as AWS's lines with Ground
    Station price it (reserved where supplied), whichever `provider` the spec has; none where
    Ground Station is no alternative (a satellite it no longer supports)."""
    if not offered:
        return {"perMinute": None, "groundStation": None, "partnerCloud": None}
    side, rest = partner_side(s)
    on_demand = breakeven[_ON_DEMAND_AGAINST[side]]
    if on_demand is None:
        return {"perMinute": None, "groundStation": "on demand", "partnerCloud": side}
    return {"perMinute": _money(s.breakeven(s.used, rest)), "groundStation": s.used_kind, "partnerCloud": side}


def _breakevens(s: Sides) -> dict[str, float | None]:
    """The partner price at which each pair of totals is equal (BREAK_EVEN_KEYS)."""
    return dict(
        zip(
            BREAK_EVEN_KEYS,
            (
                s.breakeven(s.on_demand, s.azure_rest),
                s.breakeven(s.reserved, s.azure_rest),
                s.breakeven(s.on_demand, s.aws_rest_partner),
                s.breakeven(s.reserved, s.aws_rest_partner),
            ),
            strict=True,
        )
    )


def _ground_station_monthly(s: Sides, offered: bool) -> dict[str, float | None]:
    """AWS Ground Station's month for the mission's minutes; nulls when it is no alternative."""
    if not offered:
        return {"onDemand": None, "reserved": None}
    return {"onDemand": _money(s.on_demand), "reserved": _money(s.reserved)}


def decision(blueprint: Blueprint, est: CostEstimate, plans: dict[str, Any] | None = None) -> dict[str, Any]:
    """Break-even partner prices, the sensitivity series and the sentence the report leads with,
    every estimate of them priced with `est`'s own assumptions."""
    assumptions = est.assumptions
    s = sides(blueprint, est, assumptions, plans)
    not_offered = ground_station_not_offered(blueprint.spec)
    # kept to MONEY_DECIMALS as every amount of compare.json, the sentence's as the table's
    breakeven = (
        {key: _money(value) for key, value in _breakevens(s).items()}
        if not_offered is None
        else dict.fromkeys(BREAK_EVEN_KEYS)
    )
    per_minute = s.on_demand / s.minutes if s.minutes else 0.0
    price = _partner_price(est)
    # reference prices to the cent, rounded half up as every figure is ($8.625 is $8.63: round()
    # gave $8.62), and the partner's own as the totals use it ($7.555, not $7.55)
    prices = sorted(
        {float(half_up(f * per_minute, 2)) for f in PRICE_FRACTIONS}
        | ({price} if price is not None else set())  # a supplied $0 too: the sentence prices it
    )
    return {
        "sentence": _sentence(blueprint, s, breakeven, price, not_offered),
        "plannedContactsPerDay": blueprint.spec.ground_segment.contacts_per_day,
        "partnerPricePerMinute": price,
        "partnerMinutesPerMonth": s.minutes,
        "groundStationNotOffered": not_offered,
        "groundStationMonthly": _ground_station_monthly(s, not_offered is None),
        "groundStationOnDemandPerMinute": _money(per_minute),
        "restMonthly": {
            "aws": _money(s.aws_rest),
            "azure": _money(s.azure_rest),
            "azureAsPlanned": _money(s.azure_rest_planned if s.azure_rest_planned is not None else s.azure_rest),
            "awsWithPartner": _money(s.aws_rest_partner),
            "awsWithGroundStation": _money(s.aws_rest_station) if not_offered is None else None,
        },
        "notPriced": {cloud: [f"{cloud}.{p}" for p in ids] for cloud, ids in s.unknown.items()},  # as every price id
        "leftOut": s.left_out,
        "breakEvenPerMinute": breakeven,
        "headlineBreakEven": _headline(blueprint, s, breakeven, not_offered is None),
        "sensitivity": {
            "partnerPrices": prices,
            "series": sensitivity(blueprint, est.catalogs, assumptions, plans, prices, not_offered is None),
        },
    }
