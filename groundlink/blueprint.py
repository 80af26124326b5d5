"""Blueprint: the cloud-neutral capabilities a spec asks for.

The renderers (components/aws, components/azure) realize a blueprint; the
parity matrix, cost model and report read it. Everything here is a pure
function of the spec, so it can be property-tested without Pulumi.

Logical resource names come from `Blueprint.name(...)`, built only from
identity fields (mission, satellite and downlink names): editing a tunable
such as retention or bandwidth never renames, and so never replaces, a store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .spec import Downlink, MissionSpec, Satellite

# Stack outputs both clouds export, so a consumer does not care which cloud it is on.
OUTPUT_KEYS: tuple[str, ...] = (
    "mission",
    "cloud",
    "raw_store_uri",
    "products_store_uri",
    "query_results_uri",
    "catalog",
    "query_endpoint",
    "telemetry_stream",
    "event_queue",
    "ground_segment_ids",
    "key_ids",
)


@dataclass(frozen=True)
class Capability:
    id: str
    layer: str
    title: str
    needed: Callable[[MissionSpec], bool] = lambda spec: True


def _managed(spec: MissionSpec) -> bool:
    return spec.ground_segment.provider == "managed"


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "ground.managed_station",
        "ground",
        "First-party ground station: antenna, tracking and demod/decode configs per downlink",
        _managed,
    ),
    Capability(
        "ground.partner_landing",
        "ground",
        "Partner ground network writes into the mission's landing zone",
        lambda s: s.ground_segment.provider == "partner",
    ),
    Capability("ground.delivery_identity", "ground", "Write-only identity that delivers contact data"),
    Capability(
        "ground.stream_delivery", "ground", "Live streaming of contact data to an endpoint", lambda s: s.delivery.stream
    ),
    Capability("storage.raw", "storage", "Raw contact-data store", lambda s: s.delivery.object_store),
    Capability("storage.products", "storage", "Products store"),
    Capability("storage.query_results", "storage", "Query results store", lambda s: s.analytics.serverless_sql),
    Capability("storage.lifecycle", "storage", "Tiering and expiry from the retention schedule"),
    Capability("storage.versioning", "storage", "Object versions and soft delete against overwrite and deletion"),
    Capability(
        "security.cmk",
        "security",
        "Customer-managed encryption keys with rotation",
        lambda s: s.security.customer_managed_keys,
    ),
    Capability(
        "security.private_network",
        "security",
        "Private endpoints for the stores",
        lambda s: s.security.network == "private",
    ),
    Capability("events.per_contact", "events", "One processing event per contact delivered"),
    Capability("events.dead_letter", "events", "Dead-letter queue for events that fail processing"),
    Capability("analytics.catalog", "analytics", "Data catalog over raw and products", lambda s: s.analytics.catalog),
    Capability(
        "analytics.serverless_sql", "analytics", "Serverless SQL over the stores", lambda s: s.analytics.serverless_sql
    ),
    Capability(
        "analytics.telemetry_stream", "analytics", "Contact telemetry stream", lambda s: s.analytics.telemetry_stream
    ),
    Capability(
        "analytics.telemetry_archive",
        "analytics",
        "Telemetry archived to the products store for SQL",
        lambda s: s.analytics.telemetry_stream,
    ),
    Capability("observability.logging", "observability", "Access and diagnostic logs"),
    Capability("observability.alarm", "observability", "Alarm on dead-lettered contact events"),
    Capability("budget.alerts", "budget", "Monthly budget with alert emails"),
)
CAPABILITY_BY_ID = {c.id: c for c in CAPABILITIES}
LAYERS: tuple[str, ...] = tuple(dict.fromkeys(c.layer for c in CAPABILITIES))


@dataclass(frozen=True)
class GroundLink:
    """One satellite downlink as the ground segment receives it."""

    satellite: Satellite
    downlink: Downlink

    @property
    def key(self) -> str:
        return f"{self.satellite.name}-{self.downlink.name}"


@dataclass(frozen=True)
class Lifecycle:
    """A store's retention schedule, in cloud-neutral tiers."""

    transitions: tuple[tuple[int, str], ...]  # (after_days, cool|cold|archive)
    expire_days: int
    noncurrent_days: int
    abort_incomplete_upload_days: int = 7


@dataclass(frozen=True)
class Blueprint:
    spec: MissionSpec
    mission: str
    tags: dict[str, str]
    protected: bool
    links: tuple[GroundLink, ...]
    raw_lifecycle: Lifecycle
    products_lifecycle: Lifecycle
    capabilities: tuple[Capability, ...]
    raw_prefix: str = "contacts/year={year}/month={month}/day={day}/satellite={satellite_id}"
    partner_prefix: str = "partner/"
    raw_container: str = "raw-contact-data"
    products_container: str = "products"
    query_results_container: str = "query-results"

    def name(self, *parts: str) -> str:
        """Logical name from identity parts: `<mission>-<part>-...`."""
        return "-".join((self.mission, *parts))

    @property
    def managed(self) -> bool:
        return self.spec.ground_segment.provider == "managed"

    def needs(self, capability_id: str) -> bool:
        return any(c.id == capability_id for c in self.capabilities)


def build_blueprint(spec: MissionSpec) -> Blueprint:
    storage = spec.storage
    transitions = tuple((t.after_days, t.tier) for t in storage.tiering)
    tags = {
        "mission": spec.mission.name,
        "owner": spec.mission.owner,
        "data-classification": spec.mission.data_classification,
        "managed-by": "groundlink",
        **spec.mission.tags,
    }
    return Blueprint(
        spec=spec,
        mission=spec.mission.name,
        tags=tags,
        protected=storage.protected,
        links=tuple(GroundLink(sat, link) for sat, link in spec.downlinks()),
        raw_lifecycle=Lifecycle(transitions, storage.raw_retention_days, storage.noncurrent_version_days),
        products_lifecycle=Lifecycle(transitions, storage.products_retention_days, storage.noncurrent_version_days),
        capabilities=tuple(c for c in CAPABILITIES if c.needed(spec)),
    )


# ---------------------------------------------------------------------------
# What a rendering realized. Renderers record, per resource, the capabilities it
# realizes, and name the capabilities they cannot realize (gaps) with a reason.
# The offline engine reads this after a run; under the real CLI it is inert.


@dataclass
class Realization:
    by_resource: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    gaps: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.by_resource.clear()
        self.gaps.clear()
        self.warnings.clear()


REALIZED = Realization()


def realizes(resource, *capability_ids: str):
    """Mark `resource` (any Pulumi resource) as realizing the given capabilities."""
    for cid in capability_ids:
        if cid not in CAPABILITY_BY_ID:
            raise KeyError(f"unknown capability {cid!r}")
    key = (resource.pulumi_resource_type, resource.pulumi_resource_name)
    REALIZED.by_resource.setdefault(key, []).extend(capability_ids)
    return resource


def declare_gap(capability_id: str, reason: str) -> None:
    if capability_id not in CAPABILITY_BY_ID:
        raise KeyError(f"unknown capability {capability_id!r}")
    REALIZED.gaps[capability_id] = reason


def warn(message: str) -> None:
    if message not in REALIZED.warnings:
        REALIZED.warnings.append(message)
