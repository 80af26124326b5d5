"""Prices x usage: monthly cost per cloud per layer, and a 12-month projection.

A line whose price is unknown keeps its quantity and says what to supply; its
cost is None, never zero, and makes the cloud's total partial. Counts that a
rendering decides (keys, alarms, stream shards, throughput units) are read
from the captured plan when it has them, else from the spec's defaults.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..blueprint import LAYERS, Blueprint
from ..blueprint.tiering import held_tier
from ..clouds import cloud_title
from ..errors import UsageError
from ..limits import AZURE_ORBITAL_RETIRED_ON, KINESIS_STREAM_MODE, event_hubs_units
from ..rounding import MONEY_DECIMALS, count_figure, exact_figure, figure, percent, rate
from .catalog import OVERRIDE_MARK, STACK_REGION, Assumptions, Catalog, PriceEntry, PriceError
from .processing import capacity_note, measured_throughput, processing_quantities, timeout_note
from .usage import (
    BILLED_GB_PER_GB,
    HOURS_PER_MONTH,
    MonthlyUsage,
    StoreCharge,
    billed_sql_basis,
    monthly_usage,
    s3_put_basis,
)

if TYPE_CHECKING:
    from ..engine.plan import Plan, PlannedResource
    from ..spec import MissionSpec

PROJECTION_MONTHS = 12
# How a catalog entry says "whatever region the stack runs in" (no regional price difference).
NOT_REGIONAL = ""  # Line.region of contact minutes: priced by antenna site or by contract
STORAGE_PRICE_IDS = {
    "aws": {
        "hot": "s3_standard_gb_month",
        "cool": "s3_standard_ia_gb_month",
        "cold": "s3_glacier_flexible_gb_month",
        "archive": "s3_glacier_deep_archive_gb_month",
    },
    "azure": {
        "hot": "blob_hot_gb_month",
        "cool": "blob_cool_gb_month",
        "cold": "blob_cold_gb_month",
        "archive": "blob_archive_gb_month",
    },
}
TIER_NAMES = {
    "aws": {
        "hot": "S3 Standard",
        "cool": "S3 Standard-IA",
        "cold": "S3 Glacier Flexible Retrieval",
        "archive": "S3 Glacier Deep Archive",
    },
    "azure": {"hot": "Blob Hot", "cool": "Blob Cool", "cold": "Blob Cold", "archive": "Blob Archive"},
}
# Azure prices blob capacity per redundancy; the LRS figures carry the plain price ids.
AZURE_REDUNDANCY_PRICE_KEYS = {"LRS": "", "ZRS": "_zrs", "GZRS": "_gzrs", "RA-GZRS": "_ragzrs"}
# Every AWS line storage.redundancy: geo brings starts with this (the storage choice sums them).
REPLICATION = "S3 replication: "
# The metrics S3 publishes per replication rule with replication metrics on (S3 User Guide, "Using
# S3 Replication metrics"): Bytes Pending, Replication Latency, Operations Pending, Operations Failed.
REPLICATION_METRICS_PER_RULE = 4
# Azure's price id of the GB a GZRS / RA-GZRS account copies to its paired region.
GEO_TRANSFER = "blob_geo_replication_gb"


def azure_storage_redundancy(spec: Any) -> str:
    """The storage account's redundancy the spec asks for: ZRS, GZRS or RA-GZRS."""
    if spec.storage.redundancy == "geo":
        return "RA-GZRS" if spec.storage.geo_read_access else "GZRS"
    return "ZRS"


def write_operations_price_id(redundancy: str) -> str:
    """Catalog id of an Azure account's Hot write operations: its meter depends on the
    redundancy (an ADLS Gen2 ZRS write costs less than a GZRS one)."""
    return f"blob_hot{AZURE_REDUNDANCY_PRICE_KEYS[redundancy]}_write_operations"


def storage_price_id(cloud: str, tier: str, redundancy: str = "ZRS") -> str:
    """Catalog id of a tier's GB-month price (Azure's depends on the account's redundancy)."""
    if cloud == "azure":
        return f"blob_{tier}{AZURE_REDUNDANCY_PRICE_KEYS[redundancy]}_gb_month"
    return STORAGE_PRICE_IDS[cloud][tier]


@dataclass(frozen=True)
class Line:
    layer: str
    item: str
    quantity: float
    price_id: str
    entry: PriceEntry
    basis: str = ""
    tier: str | None = None  # storage lines are re-priced per projected month
    # where the line is billed: None for the stack's region, a region (the AWS replica's), or
    # NOT_REGIONAL for contact minutes, priced by antenna site or by contract
    region: str | None = None

    @functools.cached_property
    def cost(self) -> float | None:
        """Worked out once: the report's totals, projections and sensitivity read each line's cost
        many times (a line and its entry never change)."""
        return self.entry.cost(self.quantity)

    def with_quantity(self, quantity: float) -> Line:
        return replace(self, quantity=quantity)

    def to_json(self, cloud: str) -> dict[str, Any]:
        e = self.entry
        return {
            "layer": self.layer,
            "item": self.item,
            "quantity": self.quantity,
            "unit": e.unit,
            "per": e.per,
            "priceId": f"{cloud}.{self.price_id}",
            "price": e.price,
            "cost": None if self.cost is None else round(self.cost, MONEY_DECIMALS),
            "basis": self.basis,
            "source": e.source,
            "date": e.date,
            "region": e.region,
            "secondary": e.secondary,
            "supply": e.supply,
            "freePerMonth": e.free_per_month,
        }


@dataclass(frozen=True)
class Total:
    known: float
    unknown: tuple[str, ...]  # price ids whose cost is missing from `known`

    @property
    def complete(self) -> bool:
        return not self.unknown


def total(lines: list[Line]) -> Total:
    return Total(
        sum(line.cost for line in lines if line.cost is not None),
        tuple(dict.fromkeys(line.price_id for line in lines if line.cost is None)),
    )


@dataclass
class CloudCost:
    cloud: str
    region: str
    lines: list[Line]
    # month 1..12; empty in an estimate made for its steady month only (`estimate(months=False)`)
    projection: list[list[Line]] = field(default_factory=list)

    def layer_totals(self, lines: list[Line] | None = None) -> dict[str, Total]:
        lines = self.lines if lines is None else lines
        return {layer: total([x for x in lines if x.layer == layer]) for layer in LAYERS}

    @property
    def monthly(self) -> Total:
        return total(self.lines)

    def unknowns(self) -> list[Line]:
        seen: dict[str, Line] = {}
        for line in self.lines:
            if line.cost is None:
                seen.setdefault(line.price_id, line)
        return list(seen.values())


@dataclass
class CostEstimate:
    usage: MonthlyUsage
    clouds: dict[str, CloudCost]
    catalogs: dict[str, Catalog]
    notes: list[str]
    # what would fail in the cloud, though the estimate prices it (a processing run longer than
    # its timeout): printed on the terminal as well as in the report
    warnings: list[str] = field(default_factory=list)
    # what it was priced with (--prices' assumptions): the choices' alternatives take the same
    assumptions: Assumptions = field(default_factory=Assumptions)


# -- counts a rendering decides ------------------------------------------------


# azure-native 3.x moved metric alerts from `insights` to `monitor`; either spelling counts.
AZURE_METRIC_ALERTS = ("azure-native:monitor:MetricAlert", "azure-native:insights:MetricAlert")
AZURE_LOG_ALERTS = ("azure-native:monitor:ScheduledQueryRule", "azure-native:insights:ScheduledQueryRule")
AWS_LOG_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"


# What the frame-loss alarm bills beside the alarms counted with the others, per cloud: the
# resource it is counted by, the line's item, its price id, and what the basis says of it.
_FRAME_LOSS_BILLED: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "aws": (
        (AWS_LOG_METRIC_FILTER,),
        "CloudWatch frame-loss metric",
        "cloudwatch_custom_metric_month",
        "one custom metric per log metric filter, counting the processor's records of a contact that lost frames "
        "(its alarm is in the alarms line); the free 10 metrics of the account not counted",
    ),
    "azure": (
        AZURE_LOG_ALERTS,
        "Azure Monitor log search alert rules",
        "monitor_log_alert_rule_month",
        "the frame-loss alert over the processor's logs, evaluated every 5 minutes",
    ),
}


def _frame_loss_lines(cloud: str, blueprint: Blueprint, catalog: Catalog, plan: Plan | None) -> list[Line]:
    """What the frame-loss alarm (components/*/observability.py) adds to a bill: its metric on
    AWS, its log search rule on Azure; nothing where the cloud runs no processor or the spec's
    processing.loss_alarm_percent is null."""
    tokens, item, price_id, words = _FRAME_LOSS_BILLED[cloud]
    expected = int(blueprint.for_cloud(cloud).observability.loss_alarm_percent is not None)
    count, basis = _counted(plan, tokens, expected)
    return [Line("observability", item, count, price_id, catalog.entry(price_id), f"{basis}: {words}")] if count else []


def _counted(plan: Plan | None, tokens: tuple[str, ...], expected: int) -> tuple[int, str]:
    """How many resources of `tokens` the plan holds, or, without a plan, how many the blueprint makes."""
    if plan is None:
        return expected, f"{expected} in the blueprint"
    found = sum(1 for token in tokens for _ in plan.of_type(token))
    return found, f"{found} in the plan"


def _count(
    plan: Plan | None,
    type_tokens: str | tuple[str, ...],
    default: int,
    match: Callable[[PlannedResource], bool] = lambda r: True,
    left_out: str = "",
) -> tuple[int, str]:
    """How many of the plan's resources of `type_tokens` that `match` the line bills, and the
    basis saying so: where `match` leaves some of the plan's out, the plan's whole count and
    `left_out` (why) are said too, so that the figure reads against the plan (1 of its 2 keys)."""
    if plan is not None:
        tokens = (type_tokens,) if isinstance(type_tokens, str) else type_tokens
        every = [r for token in tokens for r in plan.of_type(token)]
        found = [r for r in every if match(r)]
        if found:
            if len(found) == len(every):
                return len(found), f"{len(found)} in the plan"
            return len(
                found
            ), f"{len(found)} of the plan's {len(every)}: {left_out or 'the others are not billed here'}"
    return default, f"{default} assumed (none in the plan)"


def _replication_alarm(resource: PlannedResource) -> bool:
    """An alarm on an S3 replication rule's failures (AwsObservability._replication_alarm)."""
    return (resource.inputs.get("metricName"), resource.inputs.get("namespace")) == (
        "OperationsFailedReplication",
        "AWS/S3",
    )


def _telemetry_basis(usage: MonthlyUsage, sent: str) -> str:
    if "aws" in usage.telemetry_sent:
        return sent
    return "none: nothing in the stack sends contact telemetry to the stream (provider: partner)"


def _first_input(plan: Plan | None, type_token: str, capability: str | None = None) -> dict[str, Any] | None:
    found = _realizing(plan, type_token, capability) if capability else (plan.of_type(type_token) if plan else [])
    return found[0].inputs if found else None


def _realizing(plan: Plan | None, type_token: str, capability: str) -> list[Any]:
    """The plan's resources of a type that realize a capability (a stream for telemetry is
    not the stream a partner delivers into, though both are Kinesis streams)."""
    return [r for r in plan.of_type(type_token) if capability in r.capability] if plan is not None else []


def _telemetry_namespace_units(blueprint: Blueprint) -> tuple[int, int]:
    """(the telemetry namespace's throughput units, how many of them the partner's live stream
    takes): with telemetry on, the contact hub a partner streams into is in that namespace, sized
    for both rates (GroundInputs.hub_units), so the units beyond telemetry's own are the stream's.
    The blueprint's units, which the plan of the same spec holds too: the sensitivity prices other
    contacts per day on the spec's own plan, whose capacity was sized for its own contacts."""
    total = blueprint.for_cloud("azure").ground.hub_units
    spec = blueprint.spec
    if not spec.hub_streams():  # every unit is telemetry's, however many contacts overlap
        return total, 0
    # telemetry's own: one contact's rate times the contacts that overlap (MissionSpec.contacts_at_once)
    own = event_hubs_units(spec.hub_telemetry_kb_per_second() * spec.contacts_at_once())
    return total, max(total - own, 0)


def _partner_stream_lines(
    cloud: str, blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog, plan: Plan | None
) -> list[Line]:
    """Live partner delivery: the stream the partner writes into, billed like any stream (outside
    the comparison, as a ground-segment line: decision.leftOut)."""
    e = catalog.entry
    lines: list[Line] = []
    if cloud == "aws":
        for stream in _realizing(plan, "aws:kinesis/stream:Stream", "ground.stream_delivery"):
            lines += [
                Line(
                    "ground",
                    "Kinesis on-demand stream (partner live delivery)",
                    HOURS_PER_MONTH,
                    "kinesis_on_demand_stream_hour",
                    e("kinesis_on_demand_stream_hour"),
                    f"{stream.name}, all month",
                ),
                Line(
                    "ground",
                    "Kinesis on-demand data in (partner live delivery)",
                    usage.delivered_gb,  # what the partner streams, whether or not it also lands in S3
                    "kinesis_on_demand_gb_in",
                    e("kinesis_on_demand_gb_in"),
                    "contact data GB, streamed",
                ),
            ]
    else:
        spec, eventhub, stream = blueprint.spec, "azure-native:eventhub:Namespace", "ground.stream_delivery"
        if spec.hub_streams() and not spec.analytics.telemetry_stream:  # the stream's hub has a namespace of its own
            if _premium(plan, eventhub, spec.security.premium_messaging, stream):
                units, basis = _units(plan, eventhub, stream)
                lines.append(
                    Line(
                        "ground",
                        "Event Hubs Premium processing units (partner live delivery)",
                        units * HOURS_PER_MONTH,
                        "event_hubs_premium_pu_hour",
                        e("event_hubs_premium_pu_hour"),
                        f"the stream's namespace: {basis} x {HOURS_PER_MONTH:g} h; ingress included",
                    )
                )
            else:
                tus = blueprint.for_cloud("azure").ground.hub_units  # as the plan sizes it (AzureGround)
                lines.append(
                    Line(
                        "ground",
                        "Event Hubs Standard throughput units (partner live delivery)",
                        tus * HOURS_PER_MONTH,
                        "event_hubs_standard_tu_hour",
                        e("event_hubs_standard_tu_hour"),
                        f"the stream's namespace: {tus} TU x {HOURS_PER_MONTH:g} h",
                    )
                )
        if spec.analytics.telemetry_stream and not spec.security.premium_messaging:
            total, live = _telemetry_namespace_units(blueprint)
            basis = (
                f"{live} of the telemetry namespace's {total} TU x {HOURS_PER_MONTH:g} h (the contact hub shares it)"
            )
            if live:
                lines += [
                    Line(
                        "ground",
                        "Event Hubs Standard throughput units (partner live delivery)",
                        live * HOURS_PER_MONTH,
                        "event_hubs_standard_tu_hour",
                        e("event_hubs_standard_tu_hour"),
                        basis,
                    ),
                    Line(
                        "ground",
                        "Event Hubs Capture (partner live delivery's units)",
                        live * HOURS_PER_MONTH,
                        "event_hubs_capture_tu_hour",
                        e("event_hubs_capture_tu_hour"),
                        basis + "; Capture is billed on every unit of its namespace",
                    ),
                ]
    return lines


# -- per-cloud lines -------------------------------------------------------------


def _ground_lines(cloud: str, blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog) -> list[Line]:
    spec = blueprint.spec
    gs = spec.ground_segment
    lines: list[Line] = []
    minutes_each = usage.contacts[0].billed_minutes_per_contact

    def per_contact(wide: bool | None = None) -> str:
        """The basis of a minutes line: the contacts it counts (of the satellites in its band)."""
        contacts = sum(c.contacts_per_month for c in usage.contacts if wide is None or c.wideband == wide)
        return f"{count_figure(contacts)} contacts x {minutes_each} min"

    bands = [(False, "narrowband"), (True, "wideband")]
    if cloud == "aws" and gs.provider == "managed":
        for wide, band in bands:
            minutes = usage.billed_minutes(wide)
            if not minutes:
                continue
            reserved = f"ground_station_reserved_{band}_minute"
            if catalog.entry(reserved).known:
                shares = [(reserved, "reserved", 1.0)]
            else:  # Dubbo 1 is priced apart; its share of the minutes is the spec's (the sites are booked, not the region)
                dubbo = gs.dubbo_minutes_share
                shares = [
                    (f"ground_station_{band}_minute", "on-demand", 1.0 - dubbo),
                    (f"ground_station_dubbo_{band}_minute", "on-demand at Dubbo 1", dubbo),
                ]
            for price_id, kind, share in shares:
                if share:
                    lines.append(
                        Line(
                            "ground",
                            f"AWS Ground Station {band} minutes ({kind})",
                            minutes * share,
                            price_id,
                            catalog.entry(price_id),
                            per_contact(wide) + (f", {percent(share)} of the minutes" if share < 1 else ""),
                            region=NOT_REGIONAL,
                        )
                    )
        if spec.delivery.stream:
            lines.append(
                Line(
                    "ground",
                    "Dataflow endpoint instance (stream delivery)",
                    HOURS_PER_MONTH,
                    "dataflow_endpoint_hour",
                    catalog.entry("dataflow_endpoint_hour"),
                    "one endpoint instance running all month",
                )
            )
        return lines
    entry = catalog.entry("partner_minute")  # one price on both clouds: partner_catalogs
    network = gs.partner.name if gs.partner else f"no first-party ground station since {AZURE_ORBITAL_RETIRED_ON}"
    minutes = usage.billed_minutes(False) + usage.billed_minutes(True)
    lines.append(
        Line(
            "ground",
            f"Partner network contact minutes ({network})",
            minutes,
            "partner_minute",
            entry,
            per_contact(),
            region=NOT_REGIONAL,
        )
    )
    return lines


def held_tiers(cloud: str, tiers: dict[str, float]) -> dict[str, float]:
    """GB per tier as `cloud` holds them: Azure keeps archive-aged data in Cold on its
    zone-redundant accounts, so that GB is priced at Cold's rate (groundlink.blueprint.tiering)."""
    out: dict[str, float] = {}
    for tier, gb in tiers.items():
        held = held_tier(cloud, tier)
        out[held] = out.get(held, 0.0) + gb
    return out


# Said of every capacity line: its quantity is the GB held in binary GB, the unit both clouds bill.
BINARY_GB = f"; x {BILLED_GB_PER_GB:.4f}: billed in binary GB (2^30 bytes)"


def _storage_lines(cloud: str, tiers: dict[str, float], catalog: Catalog, redundancy: str = "ZRS") -> list[Line]:
    absorbed = {held_tier(cloud, t) for t, gb in tiers.items() if gb > 0 and held_tier(cloud, t) != t}
    return [
        Line(
            "storage",
            _storage_title(cloud, tier, redundancy),
            gb * BILLED_GB_PER_GB,
            storage_price_id(cloud, tier, redundancy),
            catalog.entry(storage_price_id(cloud, tier, redundancy)),
            "average GB held (raw + products)"
            + (f"; includes the data tiered to archive (no archive tier on {redundancy})" if tier in absorbed else "")
            + BINARY_GB,
            tier,
        )
        for tier, gb in held_tiers(cloud, tiers).items()
        if gb > 0
    ]


# What keeps deleted data, per cloud (groundlink.blueprint.tiering.deleted_kept_days).
DELETED_KEPT_AS = {
    "aws": "noncurrent versions of expired objects (the buckets are versioned)",
    "azure": "soft-deleted blobs (blob soft delete)",
}


def _by_tier(charges: list[StoreCharge]) -> dict[str, list[StoreCharge]]:
    out: dict[str, list[StoreCharge]] = {}
    for charge in charges:
        out.setdefault(charge.tier, []).append(charge)
    return out


def _kept_basis(cloud: str, charges: list[StoreCharge]) -> str:
    parts = " + ".join(f"{x.store} {figure(x.gb_per_day, 3)} GB/day x {exact_figure(x.days)} days" for x in charges)
    return f"{DELETED_KEPT_AS[cloud]}, kept storage.noncurrent_version_days after expiry at this tier's rate: {parts}"


def _minimum_basis(charges: list[StoreCharge]) -> str:
    parts = "; ".join(
        f"{x.store} leaves after {exact_figure(x.days)} of the {x.minimum} days: {figure(x.gb_per_day, 3)} GB/day x "
        f"{exact_figure(x.minimum - x.days)} days"
        for x in charges
    )
    return f"data deleted or moved on before the tier's minimum storage duration is billed the rest: {parts}"


def _storage_title(cloud: str, tier: str, redundancy: str = "ZRS", replica_region: str | None = None) -> str:
    """A storage line's title: the tier's name, with an Azure account's redundancy, or as the AWS
    replica buckets' in their region (every line of one tier's storage is titled alike)."""
    name = TIER_NAMES[cloud][tier]
    if replica_region:
        return f"{REPLICATION}replica {name} storage ({replica_region})"
    return f"{name} storage ({redundancy})" if cloud == "azure" else f"{name} storage"


def _retention_lines(
    cloud: str,
    usage: MonthlyUsage,
    month: int | None,
    catalog: Catalog,
    redundancy: str = "ZRS",
    replica_region: str | None = None,
) -> list[Line]:
    """What a tier bills beyond the GB the lifecycle holds there: deleted data the cloud still keeps,
    and data leaving before the tier's minimum storage duration (once steady, or over month
    `month`). `replica_region`: the same lines again for the AWS replica buckets, which hold the
    same lifecycle."""
    kinds: list[tuple[str, list[StoreCharge], Callable[[list[StoreCharge]], str]]] = [
        ("deleted data kept", usage.deleted_kept(cloud, month), lambda found: _kept_basis(cloud, found)),
        ("minimum storage duration", usage.early_deletion(cloud, month), _minimum_basis),
    ]
    lines = []
    for kind, charges, basis in kinds:
        for tier, found in _by_tier(charges).items():
            price_id = storage_price_id(cloud, tier, redundancy)
            gb = sum(x.gb for x in found) * BILLED_GB_PER_GB
            if gb > 0:
                entry = catalog.entry(price_id)
                lines.append(
                    Line(
                        "storage",
                        f"{_storage_title(cloud, tier, redundancy, replica_region)}: {kind}",
                        gb,
                        price_id,
                        entry,
                        basis(found) + BINARY_GB,
                        tier,
                        region=replica_region,
                    )
                )
    return lines


# Per cloud, the tiers each object is billed extra storage in, and how much: "For each object that is
# stored in the S3 Glacier Flexible Retrieval and S3 Glacier Deep Archive storage classes, AWS charges
# for 40 KB of additional metadata for each archived object, with 8 KB charged at S3 Standard rates
# and 32 KB charged at S3 Glacier Flexible Retrieval or S3 Deep Archive rates" (Amazon S3 pricing,
# https://aws.amazon.com/s3/pricing/, storage pricing, read 2026-12-06). A KB is taken as 1,024
# bytes, as the AWS Pricing Calculator counts it (1,048,576 KB in a GB) and as S3 bills binary GB.
ARCHIVAL_TIERS = {"aws": ("cold", "archive"), "azure": ()}
ARCHIVED_OBJECT_KB = 32  # at the archive class's rate
ARCHIVED_OBJECT_STANDARD_KB = 8  # at S3 Standard's rate
KB_PER_BILLED_GB = 2**20
# Per cloud, the catalog id of the price of moving one object into a tier: S3's lifecycle transition
# requests into each storage class (Amazon S3 pricing, "Lifecycle transition requests into"); Azure
# bills a move to a cooler tier "as a write operation to the destination tier" (Microsoft Learn,
# "Access tiers for blob data"), its price by the account's redundancy.
TRANSITION_PRICE_IDS = {
    "aws": {
        "cool": "s3_standard_ia_transition_requests",
        "cold": "s3_glacier_flexible_transition_requests",
        "archive": "s3_glacier_deep_archive_transition_requests",
    },
}


def transition_price_id(cloud: str, tier: str, redundancy: str = "ZRS") -> str:
    """Catalog id of the price of one object moved into `tier` by the lifecycle."""
    if cloud == "azure":
        return f"blob_{tier}{AZURE_REDUNDANCY_PRICE_KEYS[redundancy]}_write_operations"
    return TRANSITION_PRICE_IDS[cloud][tier]


def _lifecycle_lines(
    cloud: str,
    usage: MonthlyUsage,
    month: int | None,
    catalog: Catalog,
    redundancy: str = "ZRS",
    replica_region: str | None = None,
) -> list[Line]:
    """What a cloud bills per object its lifecycle moves (once steady, or over month `month`): the
    requests or operations that move it into each tier, and on AWS the 40 KB S3 adds to each object
    held in Glacier Flexible Retrieval or Deep Archive. `replica_region`: the AWS replica buckets'
    own, as they hold the same lifecycle."""
    suffix = f" ({redundancy})" if cloud == "azure" else ""
    where = f"{REPLICATION}replica " if replica_region else ""
    at = f" ({replica_region})" if replica_region else ""
    lines = []
    for tier, moved in usage.transitions(cloud, month).items():
        if moved <= 0:
            continue
        price_id = transition_price_id(cloud, tier, redundancy)
        item = (
            f"Blob tier changes to {TIER_NAMES[cloud][tier].removeprefix('Blob ')}{suffix}"
            if cloud == "azure"
            else f"{where}S3 lifecycle transitions into {TIER_NAMES[cloud][tier]}{at}"
        )
        basis = (
            "one write operation at the destination tier per blob moved (every blob, whatever its size)"
            if cloud == "azure"
            else "one transition request per object of 128 KB or more moved (S3 moves no smaller one)"
        )
        lines.append(Line("storage", item, moved, price_id, catalog.entry(price_id), basis, tier, replica_region))
    held = usage.objects_held(cloud, month)
    archived = {tier: held.get(tier, 0.0) for tier in ARCHIVAL_TIERS[cloud] if held.get(tier, 0.0) > 0}
    for tier, objects in archived.items():
        price_id = storage_price_id(cloud, tier)
        lines.append(
            Line(
                "storage",
                f"{_storage_title(cloud, tier, redundancy, replica_region)}: archived object overhead",
                objects * ARCHIVED_OBJECT_KB / KB_PER_BILLED_GB,
                price_id,
                catalog.entry(price_id),
                f"{ARCHIVED_OBJECT_KB} KB per object held in this class at its rate: {count_figure(objects)} objects "
                "(deleted ones kept as noncurrent versions included), binary GB",
                tier,
                replica_region,
            )
        )
    if archived:
        objects = sum(archived.values())
        price_id = storage_price_id(cloud, "hot")
        lines.append(
            Line(
                "storage",
                f"{_storage_title(cloud, 'hot', redundancy, replica_region)}: archived object overhead",
                objects * ARCHIVED_OBJECT_STANDARD_KB / KB_PER_BILLED_GB,
                price_id,
                catalog.entry(price_id),
                f"{ARCHIVED_OBJECT_STANDARD_KB} KB at S3 Standard's rate per object held in Glacier Flexible Retrieval "
                f"or Deep Archive: {count_figure(objects)} objects, binary GB",
                "hot",
                replica_region,
            )
        )
    return lines


def _replica_storage_lines(tiers: dict[str, float], catalog: Catalog, region: str) -> list[Line]:
    """S3 replication of the raw and products stores: the replica GB per tier (query results
    are not replicated, and the tiers hold raw and products only)."""
    return [
        Line(
            "storage",
            _storage_title("aws", tier, replica_region=region),
            gb * BILLED_GB_PER_GB,
            storage_price_id("aws", tier),
            catalog.entry(storage_price_id("aws", tier)),
            "average GB held in the replica buckets (raw + products)" + BINARY_GB,
            tier,
            region=region,
        )
        for tier, gb in tiers.items()
        if gb > 0
    ]


def _after_line(entry: PriceEntry, used: float) -> PriceEntry:
    """`entry` for a second line of the same price id: its free allowance is what the first line,
    of `used` units, leaves (an account's allowance is counted once, not once per line)."""
    return entry.model_copy(update={"free_per_month": max(entry.free_per_month - used, 0.0)})


def replication_rules(blueprint: Blueprint) -> int:
    """The S3 replication rules of a geo stack: products, and raw where the AWS stack has a raw
    store (contacts landing as objects, or a partner's landing zone)."""
    return 1 + (1 if blueprint.for_cloud("aws").storage.raw_store else 0)


def _replication_lines(blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog) -> list[Line]:
    """What S3 replication adds beyond the replica's capacity: every object landed is written
    again in the replica region (a PUT there), crosses regions once, and with the mission's
    keys is decrypted and re-encrypted under the replica region's key."""
    spec, e = blueprint.spec, catalog.entry
    region = spec.clouds.aws.replica_region
    landed = usage.raw_gb + usage.products_gb
    lines = [
        Line(
            "storage",
            f"{REPLICATION}PUT requests ({region})",
            usage.written("aws"),
            "s3_put_requests",
            e("s3_put_requests"),
            "one replica write per object written",
            region=region,
        ),
        Line(
            "storage",
            f"{REPLICATION}inter-region transfer (to {region})",
            landed,
            "s3_inter_region_transfer_gb",
            e("s3_inter_region_transfer_gb"),
            "GB landed a month (raw + products), copied once",
        ),
    ]
    rules = replication_rules(blueprint)
    many = "s" if rules > 1 else ""
    lines += [
        Line(
            "observability",
            f"{REPLICATION}replication metrics",
            REPLICATION_METRICS_PER_RULE * rules,
            "cloudwatch_custom_metric_month",
            e("cloudwatch_custom_metric_month"),
            f"{REPLICATION_METRICS_PER_RULE} metrics per replication rule (bytes and operations pending, latency, "
            f"operations failed) x {rules} rule{many}, the failures alarmed on; the free 10 metrics of the "
            "account not counted",
        ),
        Line(
            "observability",
            f"{REPLICATION}failure alarms",
            rules,
            "cloudwatch_alarm_month",
            e("cloudwatch_alarm_month"),
            f"one alarm per replication rule ({rules} rule{many}) on its OperationsFailedReplication",
        ),
    ]
    if spec.security.customer_managed_keys:
        lines += [
            Line(
                "security",
                f"{REPLICATION}KMS replica key",
                1,
                "kms_key_month",
                e("kms_key_month"),
                "one key",
                region=region,
            ),
            Line(
                "security",
                f"{REPLICATION}KMS requests",
                2 * usage.written("aws"),
                "kms_requests",
                _after_line(e("kms_requests"), usage.written("aws")),
                "at most a Decrypt and an Encrypt per object replicated (S3 Bucket Keys need fewer); "
                "free only what the KMS requests line leaves of the monthly free requests",
                region=region,
            ),
        ]
    return lines


# What AWS's EventBridge rule fires on, per ground segment (components/aws/events.py contact_event_pattern).
EVENTBRIDGE_ITEMS = {
    "managed": "EventBridge events (from AWS Ground Station)",
    "partner": "EventBridge events (S3 Object Created: the partner's manifest)",
}


def _eventbridge_line(provider: str, usage: MonthlyUsage, catalog: Catalog) -> Line:
    """One EventBridge event per contact, from what the plan's rule matches: Ground Station's contact
    events with a managed ground station; with a partner, the S3 Object Created event of the manifest
    the partner writes last for a contact (the raw bucket's other objects reach the bus too; every one is
    an AWS-service event on the default bus, free)."""
    if provider == "managed":
        basis = "one per contact (Ground Station contact events, not per object)"
    elif usage.contact_events:
        basis = (
            "one per contact (the rule matches the partner's manifest object in the raw bucket; the other "
            "objects' S3 events are free AWS-service events too)"
        )
    else:
        basis = "none: the partner delivers no objects (delivery.object_store: false), so no manifest lands"
    return Line(
        "events",
        EVENTBRIDGE_ITEMS[provider],
        usage.contact_events,
        "eventbridge_events",
        catalog.entry("eventbridge_events"),
        basis,
    )


def _egress_basis(entry: PriceEntry) -> str:
    """The egress line's basis, the same on both clouds: the spec's figure and the free allowance."""
    free = f"; the first {exact_figure(entry.free_per_month)} GB a month are free" if entry.free_per_month else ""
    return f"usage.egress_gb_per_month{free}"


def _aws_lines(blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog, plan: Plan | None) -> list[Line]:
    spec, e = blueprint.spec, catalog.entry
    lines = [
        Line(
            "storage",
            "S3 PUT requests",
            usage.s3_put_requests(),
            "s3_put_requests",
            e("s3_put_requests"),
            s3_put_basis(blueprint)
            + (f": {figure(usage.written('aws'), 0)} objects a month" if blueprint.spec.delivery.object_store else ""),
        )
    ]
    if usage.egress_gb:
        lines.append(
            Line(
                "storage",
                "Internet egress",
                usage.egress_gb,
                "egress_internet_gb",
                e("egress_internet_gb"),
                _egress_basis(e("egress_internet_gb")),
            )
        )
    if spec.security.customer_managed_keys:
        keys, basis = _count(
            plan,
            "aws:kms/key:Key",
            1,
            lambda r: "storage.geo_redundancy" not in r.capability,
            "the replica region's key is an S3 replication line",
        )
        lines += [
            Line("security", "KMS keys", keys, "kms_key_month", e("kms_key_month"), basis),
            Line(
                "security",
                "KMS requests",
                usage.written("aws"),
                "kms_requests",
                e("kms_requests"),
                "one per object written",
            ),
        ]
    messages, why = usage.queue_messages("aws")
    lines += [
        _eventbridge_line(spec.ground_segment.provider, usage, catalog),
        Line(
            "events",
            "SQS requests",
            3 * messages,
            "sqs_requests",
            e("sqs_requests"),
            f"send, receive, delete per message ({why}); first 1M a month free",
        ),
    ]
    if spec.analytics.serverless_sql:
        lines.append(
            Line(
                "analytics",
                "Athena TB scanned",
                usage.billed_query_tb,
                "athena_tb_scanned",
                e("athena_tb_scanned"),
                billed_sql_basis(usage),
            )
        )
    if spec.analytics.telemetry_stream:
        stream = _first_input(plan, "aws:kinesis/stream:Stream", "analytics.telemetry_stream")
        # without a plan, the mode every rendered stream has
        mode = (stream.get("streamModeDetails") or {}).get("streamMode") if stream else KINESIS_STREAM_MODE
        if mode == "ON_DEMAND":
            lines += [
                Line(
                    "analytics",
                    "Kinesis on-demand stream",
                    HOURS_PER_MONTH,
                    "kinesis_on_demand_stream_hour",
                    e("kinesis_on_demand_stream_hour"),
                    "one stream, all month (" + ("plan" if stream else "no plan: as rendered") + ": ON_DEMAND)",
                ),
                Line(
                    "analytics",
                    "Kinesis on-demand data in",
                    usage.telemetry_gb_on("aws"),
                    "kinesis_on_demand_gb_in",
                    e("kinesis_on_demand_gb_in"),
                    _telemetry_basis(usage, "telemetry GB"),
                ),
            ]
        else:  # a provisioned stream in the plan (without a plan the mode is on demand, above)
            assert stream is not None
            shards = int(stream.get("shardCount") or 1)
            basis = f"{shards} shard(s) x {HOURS_PER_MONTH:g} h"
            lines.append(
                Line(
                    "analytics",
                    "Kinesis shards",
                    shards * HOURS_PER_MONTH,
                    "kinesis_shard_hour",
                    e("kinesis_shard_hour"),
                    basis,
                )
            )
        lines.append(
            Line(
                "analytics",
                "Firehose telemetry archive",
                usage.telemetry_gb_on("aws"),
                "firehose_gb",
                e("firehose_gb"),
                _telemetry_basis(usage, "telemetry GB delivered to the products store"),
            )
        )
    # the replication failure alarms are the storage choice's own line (_replication_lines)
    alarms, basis = _count(
        plan,
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        1,
        lambda r: not _replication_alarm(r),
        "the replication failure alarms are S3 replication lines",
    )
    lines.append(
        Line("observability", "CloudWatch alarms", alarms, "cloudwatch_alarm_month", e("cloudwatch_alarm_month"), basis)
    )
    lines += _frame_loss_lines("aws", blueprint, catalog, plan)
    if spec.storage.redundancy == "geo":
        lines += _replication_lines(blueprint, usage, catalog)
    return lines


# Key Vault prices an RSA key by its size: a 2048-bit key at one rate, a 3072- or 4096-bit key (an
# "advanced" key) at another, for the HSM key-month and for each operation with the key (prices/azure.yaml).
KEY_VAULT_PRICE_IDS = {
    2048: ("key_vault_hsm_key_month", "key_vault_operations"),
    3072: ("key_vault_hsm_advanced_key_month", "key_vault_advanced_key_operations"),
    4096: ("key_vault_hsm_advanced_key_month", "key_vault_advanced_key_operations"),
}
# A size Key Vault has no price for here: the line keeps its quantity and an unknown price.
UNKNOWN_KEY_MONTH, UNKNOWN_KEY_OPERATIONS = KEY_VAULT_PRICE_IDS[3072]
# The mission key's size when there is no plan to read it from: the size components/azure/security.py
# creates (KEY_SIZE; tests/test_cost_key_vault.py fails when the two part).
ASSUMED_KEY_SIZE = 3072


def key_vault_key_size(plan: Plan | None) -> tuple[int, str]:
    """The RSA size of the plan's Key Vault key (the largest, should there be several), and why."""
    keys = plan.of_type("azure-native:keyvault:Key") if plan is not None else []
    sizes = [int((r.inputs.get("properties") or {}).get("keySize") or 0) for r in keys]
    if not sizes:
        return ASSUMED_KEY_SIZE, f"{ASSUMED_KEY_SIZE}-bit assumed (no key in the plan)"
    if not all(sizes):
        return 0, "a key in the plan gives no keySize"
    return max(sizes), f"keySize {max(sizes)} in the plan"


def _key_vault_entry(catalog: Catalog, price_id: str, size: int) -> PriceEntry:
    """The catalog entry of a key size's price; unknown (never another size's price) for a size
    KEY_VAULT_PRICE_IDS does not list."""
    entry = catalog.entry(price_id)
    if size in KEY_VAULT_PRICE_IDS:
        return entry
    return entry.model_copy(
        update={
            "price": None,
            "supply": f"no Key Vault price for an RSA key of {size or 'unknown'} bits: give the key a keySize of "
            "2048, 3072 or 4096",
            "free_per_month": 0,
        }
    )


def _hsm_keys_by_size(plan: Plan | None, keys: int, size: int) -> dict[int, int]:
    """How many HSM keys of each RSA size the stack holds: the plan's, by their keySize (a size
    the plan does not give counts as 0); without a plan, the mission key (a Data Explorer cluster
    keeps Microsoft-managed keys: gaps.ADX_KEYS)."""
    found = [r for r in plan.of_type("azure-native:keyvault:Key") if _hsm(r)] if plan is not None else []
    if found:
        sizes = [int((r.inputs.get("properties") or {}).get("keySize") or 0) for r in found]
        return {s: sizes.count(s) for s in sorted(set(sizes), reverse=True)} if all(sizes) else {0: len(found)}
    return {size: keys}


def _key_month_lines(catalog: Catalog, by_size: dict[int, int], basis: str, size_basis: str) -> list[Line]:
    """One HSM key-month line per RSA size, each at its size's price."""
    lines = []
    for size, count in by_size.items():
        key_month = KEY_VAULT_PRICE_IDS.get(size, (UNKNOWN_KEY_MONTH, UNKNOWN_KEY_OPERATIONS))[0]
        why = f"{basis}; {size_basis}" if len(by_size) == 1 else f"{count} of keySize {size}; {basis}"
        lines.append(
            Line(
                "security",
                f"Key Vault HSM keys ({f'RSA {size}-bit' if size else 'RSA, size not in the plan'})",
                count,
                key_month,
                _key_vault_entry(catalog, key_month, size),
                why,
            )
        )
    return lines


def _hsm(resource: PlannedResource) -> bool:
    kty = (resource.inputs.get("properties") or {}).get("kty") or ""
    return kty.upper().endswith("-HSM")


# The privatelink DNS zones of the Azure mission network (components/azure/security.py
# PRIVATE_DNS_ZONES: blob, dfs, vault), and those an engine adds (components/azure/analytics.py:
# Synapse its SQL and development zones, Data Explorer its cluster's, queue and table zones).
AZURE_NETWORK_ZONES = 3
AZURE_ENGINE_REACH = {"synapse": (3, 2), "adx": (1, 3)}  # engine -> (private endpoints, zones)


def azure_private_reach(blueprint: Blueprint) -> tuple[int, int]:
    """The private endpoints and privatelink DNS zones the Azure stack makes, for an estimate
    without a plan (a choice's alternative): the storage account's blob and dfs endpoints, and
    their secondaries with geo read access; the vault's with the mission key; the engine's. Without
    it both sides of an alternative priced none, and going back from RA-GZRS to ZRS on a private
    network was said to save $14.60 a month less than it does. tests/test_cost_private_reach.py
    holds it to the plans."""
    azure = blueprint.for_cloud("azure")
    if not azure.security.private:
        return 0, 0
    endpoints = 2 * (2 if azure.storage.geo_read_access else 1)
    zones = AZURE_NETWORK_ZONES
    if azure.security.customer_managed_keys:
        endpoints += 1
    analytics = azure.analytics
    engine = (
        "adx" if analytics.engine == "adx" else "synapse" if analytics.catalog or analytics.serverless_sql else None
    )
    if engine is not None:
        endpoints, zones = endpoints + AZURE_ENGINE_REACH[engine][0], zones + AZURE_ENGINE_REACH[engine][1]
    return endpoints, zones


def _azure_private_network_lines(blueprint: Blueprint, plan: Plan | None, e: Callable[[str], PriceEntry]) -> list[Line]:
    """security.network: private puts the stores behind private endpoints, each named by a
    private DNS zone: both billed by the hour or month whatever the traffic. (AWS's private
    network is a gateway endpoint, which costs nothing.)"""
    lines = []
    expected_endpoints, expected_zones = azure_private_reach(blueprint)
    endpoints, basis = _counted(plan, ("azure-native:network:PrivateEndpoint",), expected_endpoints)
    if endpoints:
        lines.append(
            Line(
                "security",
                "Private endpoints (Private Link)",
                endpoints * HOURS_PER_MONTH,
                "private_endpoint_hour",
                e("private_endpoint_hour"),
                f"{basis} x {HOURS_PER_MONTH:g} h; the data processed through them is not modelled",
            )
        )
    zones, basis = _counted(plan, ("azure-native:privatedns:PrivateZone",), expected_zones)
    if zones:
        lines.append(
            Line("security", "Private DNS zones", zones, "private_dns_zone_month", e("private_dns_zone_month"), basis)
        )
    return lines


def _azure_lines(blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog, plan: Plan | None) -> list[Line]:
    spec, e = blueprint.spec, catalog.entry
    writes = write_operations_price_id(azure_storage_redundancy(spec))
    lines = [
        Line(
            "storage",
            f"Blob write operations ({azure_storage_redundancy(spec)})",
            usage.adls_write_operations(),
            writes,
            e(writes),
            "one per 4 MiB of each object written, at least one (ADLS Gen2 bills a file's writes per 4 MiB): "
            f"{figure(usage.written('azure'), 0)} objects a month",
        )
    ]
    if usage.egress_gb:
        lines.append(
            Line(
                "storage",
                "Internet egress",
                usage.egress_gb,
                "egress_internet_gb",
                e("egress_internet_gb"),
                _egress_basis(e("egress_internet_gb")),
            )
        )
    if spec.storage.redundancy == "geo":  # GZRS / RA-GZRS copy every write to the paired region
        lines.append(
            Line(
                "storage",
                f"Geo-replication data transfer ({azure_storage_redundancy(spec)})",
                usage.raw_gb + usage.products_gb,
                GEO_TRANSFER,
                e(GEO_TRANSFER),
                "GB landed a month (raw + products), copied once to the paired region",
            )
        )
    if spec.security.customer_managed_keys:
        keys, basis = _count(plan, "azure-native:keyvault:Key", 1, _hsm, "software-protected keys bill operations only")
        if (
            plan is not None
            and plan.of_type("azure-native:keyvault:Key")
            and not any(_hsm(r) for r in plan.of_type("azure-native:keyvault:Key"))
        ):
            keys = 0  # software-protected keys in the plan: operations only
        if plan is None and not spec.security.hsm_keys:
            keys = 0  # security.hsm_keys: false: software-protected keys, operations only
        size, size_basis = key_vault_key_size(plan)
        bits = f"RSA {size}-bit" if size else "RSA, size not in the plan"
        key_text = f"{bits} key" if size else bits
        operations = KEY_VAULT_PRICE_IDS.get(size, (UNKNOWN_KEY_MONTH, UNKNOWN_KEY_OPERATIONS))[1]
        if keys:
            lines += _key_month_lines(catalog, _hsm_keys_by_size(plan, keys, size), basis, size_basis)
        lines.append(
            Line(
                "security",
                f"Key Vault operations ({key_text})",
                usage.written("azure"),
                operations,
                _key_vault_entry(catalog, operations, size),
                f"one per object written; {size_basis}",
            )
        )
    lines += _azure_private_network_lines(blueprint, plan, e)
    lines += [
        Line(
            "events",
            "Event Grid operations",
            usage.written("azure") + usage.manifests.get("azure", 0.0),
            "event_grid_operations",
            e("event_grid_operations"),
            "an ingress per blob created in the account, a delivery per contact manifest (BlobCreated, "
            "filtered to its name); first 100,000 a month free",
        ),
    ]
    if _premium(plan, "azure-native:servicebus:Namespace", spec.security.premium_messaging):
        units, basis = _units(plan, "azure-native:servicebus:Namespace")
        lines.append(
            Line(
                "events",
                "Service Bus Premium messaging units (mission key)",
                units * HOURS_PER_MONTH,
                "service_bus_premium_mu_hour",
                e("service_bus_premium_mu_hour"),
                f"{basis} x {HOURS_PER_MONTH:g} h; operations included",
            )
        )
        return _azure_analytics_lines(blueprint, usage, catalog, plan, lines)
    namespaces, basis = _count(plan, "azure-native:servicebus:Namespace", 1)
    messages, why = usage.queue_messages("azure")
    lines += [
        Line(
            "events",
            "Service Bus Standard base charge",
            namespaces * HOURS_PER_MONTH,
            "service_bus_standard_base_hour",
            e("service_bus_standard_base_hour"),
            f"{basis} x {HOURS_PER_MONTH:g} h; includes 13M operations a month",
        ),
        Line(
            "events",
            "Service Bus operations",
            3 * messages,
            "service_bus_operations",
            e("service_bus_operations"),
            f"send, receive, complete per message ({why}); the first 13M a month are in the base charge",
        ),
    ]
    return _azure_analytics_lines(blueprint, usage, catalog, plan, lines)


def _premium(plan: Any, type_token: str, spec_premium: bool, capability: str | None = None) -> bool:
    """Whether the namespaces are Premium: as planned when the plan has them, else as the spec asks."""
    found = (_realizing(plan, type_token, capability) if capability else plan.of_type(type_token)) if plan else []
    if found:
        return any((r.inputs.get("sku") or {}).get("name") == "Premium" for r in found)
    return spec_premium


def _units(plan: Any, type_token: str, capability: str | None = None) -> tuple[int, str]:
    """Premium units (messaging or processing) summed over the plan's namespaces; 1 when none."""
    found = (_realizing(plan, type_token, capability) if capability else plan.of_type(type_token)) if plan else []
    units = sum(int((r.inputs.get("sku") or {}).get("capacity") or 1) for r in found)
    if found:
        return units, f"{units} unit(s) in the plan"
    return 1, "1 unit assumed (none in the plan)"


def _azure_analytics_lines(
    blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog, plan: Any, lines: list[Line]
) -> list[Line]:
    spec, e = blueprint.spec, catalog.entry
    analytics = spec.analytics
    if blueprint.for_cloud("azure").analytics.explorer_cluster:
        lines.append(
            Line(
                "analytics",
                "Azure Data Explorer cluster",
                1,
                "data_explorer_cluster_month",
                e("data_explorer_cluster_month"),
                "analytics.azure_engine: adx",
            )
        )
    elif analytics.serverless_sql:
        lines.append(
            Line(
                "analytics",
                "Synapse serverless SQL TB processed",
                usage.billed_query_tb,
                "synapse_serverless_tb",
                e("synapse_serverless_tb"),
                billed_sql_basis(usage),
            )
        )
    telemetry = "analytics.telemetry_stream"
    eventhub = "azure-native:eventhub:Namespace"
    if analytics.telemetry_stream and _premium(plan, eventhub, spec.security.premium_messaging, telemetry):
        units, basis = _units(plan, eventhub, telemetry)
        lines.append(
            Line(
                "analytics",
                "Event Hubs Premium processing units (mission key)",
                units * HOURS_PER_MONTH,
                "event_hubs_premium_pu_hour",
                e("event_hubs_premium_pu_hour"),
                f"{basis} x {HOURS_PER_MONTH:g} h; ingress and Capture included",
            )
        )
    elif analytics.telemetry_stream:
        total, live = _telemetry_namespace_units(blueprint)
        tus = total - live  # the units a partner's live stream adds are a ground line
        basis = f"{tus} TU x {HOURS_PER_MONTH:g} h" + (
            f" (of the namespace's {total}: {live} take the partner's live stream, a ground line)" if live else ""
        )
        lines += [
            Line(
                "analytics",
                "Event Hubs Standard throughput units",
                tus * HOURS_PER_MONTH,
                "event_hubs_standard_tu_hour",
                e("event_hubs_standard_tu_hour"),
                basis,
            ),
            Line(
                "analytics",
                "Event Hubs Capture (telemetry archive)",
                tus * HOURS_PER_MONTH,
                "event_hubs_capture_tu_hour",
                e("event_hubs_capture_tu_hour"),
                basis,
            ),
        ]
    alerts, basis = _count(plan, AZURE_METRIC_ALERTS, 1)
    lines.append(
        Line(
            "observability",
            "Azure Monitor alert rules",
            alerts,
            "monitor_alert_rule_month",
            e("monitor_alert_rule_month"),
            basis,
        )
    )
    lines += _frame_loss_lines("azure", blueprint, catalog, plan)
    return lines


_CLOUD_LINES = {"aws": _aws_lines, "azure": _azure_lines}


def _processing_lines(
    cloud: str, blueprint: Blueprint, usage: MonthlyUsage, catalog: Catalog, plan: Plan | None
) -> list[Line]:
    """Contact processing compute, priced from the processor's measured throughput (make bench)."""
    contacts = usage.contacts_per_month
    if not contacts:
        return []
    messages, why = usage.queue_messages(cloud)
    quantities = processing_quantities(
        cloud,
        blueprint.for_cloud(cloud).processing,
        usage.processing_runs(),
        measured_throughput(),
        messages=messages,
        messages_basis=why,
    )
    lines = []
    for q in quantities:
        entry = catalog.entry(q.price_id)
        lines.append(Line("processing", q.item, q.quantity, q.price_id, entry, q.basis + _free_grant(entry)))
    return lines


def _free_grant(entry: PriceEntry) -> str:
    """The free grant a compute line's quantity is billed above, said where it is (a line of a few
    hundred vCPU-seconds costs $0.00 within it, which the basis should explain)."""
    return f"; the first {figure(entry.free_per_month, 0)} a month are free" if entry.free_per_month else ""


def cloud_cost(
    cloud: str,
    blueprint: Blueprint,
    usage: MonthlyUsage,
    catalog: Catalog,
    plan: Plan | None = None,
    months: bool = True,
) -> CloudCost:
    fixed = (
        _ground_lines(cloud, blueprint, usage, catalog)
        + _partner_stream_lines(cloud, blueprint, usage, catalog, plan)
        + _CLOUD_LINES[cloud](blueprint, usage, catalog, plan)
        + _processing_lines(cloud, blueprint, usage, catalog, plan)
    )
    region = blueprint.spec.region(cloud)
    redundancy = azure_storage_redundancy(blueprint.spec)

    replica_region = blueprint.spec.clouds.aws.replica_region if cloud == "aws" else None  # set with geo only

    def with_storage(month: int | None) -> list[Line]:
        tiers = usage.storage_steady(cloud) if month is None else usage.storage_month(month, cloud)
        storage = _storage_lines(cloud, tiers, catalog, redundancy)
        storage += _retention_lines(cloud, usage, month, catalog, redundancy)
        storage += _lifecycle_lines(cloud, usage, month, catalog, redundancy)
        if replica_region:  # the replica buckets age like their sources: the same GB per tier, again
            storage += _replica_storage_lines(tiers, catalog, replica_region)
            storage += _retention_lines(cloud, usage, month, catalog, redundancy, replica_region)
            storage += _lifecycle_lines(cloud, usage, month, catalog, redundancy, replica_region)
        return sorted(fixed + storage, key=lambda x: LAYERS.index(x.layer))

    result = CloudCost(cloud, region, with_storage(None))
    if months:
        result.projection = [with_storage(m) for m in range(1, PROJECTION_MONTHS + 1)]
    return result


SPEC_PARTNER_PRICE = "ground_segment.partner.price_per_minute_usd"


def partner_catalogs(spec: Any, catalogs: dict[str, Catalog], origin: str = "--prices") -> dict[str, Catalog]:
    """The catalogs with the partner network priced once for every cloud that uses it.

    With `provider: partner` both clouds take their contacts from the same network under the
    same contract, and the decision compares them at one price per minute: the spec's price
    or a `partner_minute` override of either cloud's catalog, given once, fills both; two
    different prices are refused (PriceError), as a report pricing one network at two rates
    contradicts itself. With AWS Ground Station it is one network all the same: Azure's ground
    segment (a partner's, since Azure Orbital's retirement) and AWS's alternative to Ground
    Station that the decision weighs; an `aws.partner_minute` given alone was read by that
    alternative only, listed as used, and changed no figure of the report."""
    gs = spec.ground_segment
    given: list[tuple[str, PriceEntry]] = []
    if gs.partner is not None and gs.partner.price_per_minute_usd is not None:
        entry = catalogs[next(iter(catalogs))].entry("partner_minute")
        spec_entry = entry.model_copy(
            update={
                "price": gs.partner.price_per_minute_usd,
                "source": f"mission spec: {SPEC_PARTNER_PRICE}",
                "date": "as given in the spec",
                "supply": None,
            }
        )
        given.append((SPEC_PARTNER_PRICE, spec_entry))
    given += [
        (f"{origin}: {cloud}.partner_minute", c.entry("partner_minute"))
        for cloud, c in catalogs.items()
        if c.entry("partner_minute").known
    ]
    if len({entry.price for _, entry in given}) > 1:
        # as written (12.0000001, and 0.00001 not 1e-05); every price given is known (`or` is for mypy)
        named = ", ".join(f"{where} = {exact_figure(entry.price or 0.0)}" for where, entry in given)
        raise PriceError(
            [f"the partner network is priced twice ({named}): both clouds use one network, so give one price"]
        )
    if not given:
        return catalogs
    chosen = given[-1][1]  # an override's source and date over the spec's, at the same price
    # a cloud whose catalog has its own price keeps its own citation; the others take the one given
    return {
        cloud: c
        if c.entry("partner_minute").known
        else c.model_copy(update={"prices": {**c.prices, "partner_minute": chosen}})
        for cloud, c in catalogs.items()
    }


def estimate(
    blueprint: Blueprint,
    catalogs: dict[str, Catalog],
    assumptions: Assumptions | None = None,
    plans: dict[str, Any] | None = None,
    months: bool = True,
) -> CostEstimate:
    """Monthly cost of `blueprint` on every cloud in `catalogs` (plans refine counts when given),
    with the first year month by month unless `months` is False: the decision's grid and the
    choices weigh the steady month alone, and the year was most of their pricing time."""
    assumptions = assumptions or Assumptions()
    plans = plans or {}
    catalogs = partner_catalogs(blueprint.spec, catalogs)
    usage = monthly_usage(blueprint, assumptions.object_size_mb)
    clouds = {
        cloud: cloud_cost(cloud, blueprint, usage, catalog, plans.get(cloud), months)
        for cloud, catalog in catalogs.items()
    }
    notes = [_region_note(cc) for cc in clouds.values()] + [transfer_pair_note(blueprint.spec, clouds.get("aws"))]
    if usage.contacts_per_month and usage.raw_gb:
        # the largest contact a run gets, one satellite's downlinks together: an average over the
        # satellites hid a high-rate one whose every run overruns
        runs, speed = usage.processing_runs(), measured_throughput()
        raw_mb = max(mb for _, mb in runs)
        warnings = []
        for cloud in clouds:
            inputs = blueprint.for_cloud(cloud).processing
            warnings += [timeout_note(cloud, inputs, raw_mb, speed), capacity_note(cloud, inputs, runs, speed)]
    else:
        warnings = []
    for cc in clouds.values():
        _refuse_overflow(cc)
    return CostEstimate(usage, clouds, catalogs, [n for n in notes if n], [w for w in warnings if w], assumptions)


# The report adds a line's cost over the first year's months and scales it (the sensitivity
# chart's multiples of a price): a cost stays finite through that when it does times this.
_REPORT_SCALE = 100


class CostOverflow(UsageError):
    """A usage figure or price so large that a cost is past what a number holds: the report
    would print inf and its charts could not be drawn."""


def _refuse_overflow(cc: CloudCost) -> None:
    """CostOverflow naming the first line whose quantity, cost or first year is not finite, and
    its price id. The spec's sanity bounds keep every quantity finite at the catalogs' prices
    (tests/test_cost_overflow.py prices the largest figures it allows); what is left is a price
    from --prices."""
    months = [cc.lines, *cc.projection]
    for line in (line for lines in months for line in lines):
        cost = line.cost or 0.0
        if not (math.isfinite(line.quantity) and math.isfinite(cost * _REPORT_SCALE)):
            raise CostOverflow(
                f"cost: {cc.cloud} {line.layer} '{line.item}': {exact_figure(line.quantity)} {line.entry.unit} at "
                f"{line.entry.price} USD per {exact_figure(line.entry.per)} is past what a number holds; check the price "
                f"{cc.cloud}.{line.price_id} (--prices) and the spec's usage figures"
            )
    if not math.isfinite(sum(total(lines).known for lines in months) * _REPORT_SCALE):
        raise CostOverflow(
            f"cost: {cc.cloud}: the first year's total is past what a number holds; check usage and prices"
        )


def other_regions(cost: CloudCost) -> dict[str, str]:
    """Price ids the estimate uses whose catalog region is not the one their line is billed in
    (the stack's, or the AWS replica's), with the region used: every regional line, the ground
    segment's streams and endpoint included; contact minutes (by site, by contract) are not.
    A price whose lines are billed in more than one region (a stack's and its replica's, both
    away from the catalog's) names each."""
    where: dict[str, tuple[str, list[str]]] = {}
    for line in cost.lines:
        billed = cost.region if line.region is None else line.region
        region = line.entry.region
        same = _region_key(region) in {_region_key(billed), *map(_region_key, STACK_REGION)}
        if billed != NOT_REGIONAL and not same:
            regions = where.setdefault(line.price_id, (region, []))[1]
            if billed not in regions:
                regions.append(billed)
    return {
        price_id: region if billed == [cost.region] else f"{region}, billed in {' and '.join(billed)}"
        for price_id, (region, billed) in where.items()
    }


# Regions whose S3 transfer to another region costs more than the catalog's one figure, in the
# words of its source (prices/aws.yaml s3_inter_region_transfer_gb: "pairs with South America,
# Africa, the Middle East or Hong Kong cost more"): sa-*, af-*, me-* and il-central-1 (Tel Aviv),
# and ap-east-1 (Hong Kong).
_COSTLIER_TRANSFER = ("sa-", "af-", "me-", "il-", "ap-east-1")


def transfer_pair_note(spec: MissionSpec, aws: CloudCost | None) -> str:
    """S3 replication between two regions the catalog's transfer price does not cover, unless
    the user gave that price: the line is priced all the same, and the report (or the
    alternative priced with replication) says so."""
    replica = spec.clouds.aws.replica_region
    if aws is None or replica is None:
        return ""
    lines = [x for x in aws.lines if x.price_id == "s3_inter_region_transfer_gb"]
    pair = (aws.region, replica)
    if not lines or lines[0].entry.price is None or OVERRIDE_MARK in lines[0].entry.source:
        return ""
    if not any(r.startswith(_COSTLIER_TRANSFER) for r in pair):
        return ""
    return (
        f"S3 replication from {pair[0]} to {pair[1]} is priced at s3_inter_region_transfer_gb's "
        f"{rate(lines[0].entry.price)}/GB, a figure for most region pairs; its source says pairs with South America, "
        "Africa, the Middle East or Hong Kong cost more: give this pair's price with --prices."
    )


def _region_key(region: str) -> str:
    """A region as its name reads whatever the spelling a price sheet gives: `North Europe`,
    `EU-WEST-1` are northeurope and eu-west-1 (an override's region is the user's text)."""
    return "".join(region.split()).lower()


def _region_note(cost: CloudCost) -> str:
    other = other_regions(cost)
    if not other:
        return ""
    # each region in parentheses: one may hold a semicolon ("us-east-1 to us-west-2; most region
    # pairs"), or parentheses of its own, said with a comma instead of nested
    used = ", ".join(
        f"{price_id} ({region.replace(' (', ', ').replace(')', '')})" for price_id, region in other.items()
    )
    return (
        f"{cloud_title(cost.cloud)} runs in {cost.region}; these prices are for another region than the one "
        f"their line is billed in, or none is stated: {used}."
    )
