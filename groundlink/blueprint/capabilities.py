"""The cloud-neutral capabilities a mission can need, and when a spec needs each.

Parity is judged against this table: every needed capability is realized by
resources on each cloud, or declared a gap with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..spec import MissionSpec


def _always(spec: MissionSpec) -> bool:
    return True


@dataclass(frozen=True)
class Capability:
    id: str
    layer: str
    title: str
    needed: Callable[[MissionSpec], bool] = _always


def _managed(spec: MissionSpec) -> bool:
    return spec.ground_segment.provider == "managed"


def _partner(spec: MissionSpec) -> bool:
    return spec.ground_segment.provider == "partner"


def _processes(spec: MissionSpec) -> bool:
    """Contacts are processed in the cloud: asked for, and delivered as objects to read."""
    return spec.processing.enabled and spec.delivery.object_store


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "ground.managed_station",
        "ground",
        "First-party ground station: antenna, tracking and demod/decode configs per downlink",
        _managed,
    ),
    Capability(
        "ground.partner_landing", "ground", "Partner ground network writes into the mission's landing zone", _partner
    ),
    Capability("ground.delivery_identity", "ground", "Write-only identity that delivers contact data"),
    Capability(
        "ground.stream_delivery", "ground", "Live streaming of contact data to an endpoint", lambda s: s.delivery.stream
    ),
    Capability("storage.raw", "storage", "Raw contact-data store", lambda s: s.delivery.object_store),
    Capability("storage.products", "storage", "Products store"),
    Capability("storage.query_results", "storage", "Query results store", lambda s: s.analytics.serverless_sql),
    Capability(
        "storage.geo_redundancy",
        "storage",
        "A copy of the stores in a second region",
        lambda s: s.storage.redundancy == "geo",
    ),
    Capability("storage.lifecycle", "storage", "Tiering and expiry from the retention schedule"),
    Capability(
        "storage.archive_tier",
        "storage",
        "Data past its archive age held in an offline archive tier",
        lambda s: any(step.tier == "archive" for step in s.storage.tiering),
    ),
    Capability("storage.versioning", "storage", "Object versions and soft delete against overwrite and deletion"),
    Capability(
        "security.cmk",
        "security",
        "Customer-managed encryption keys with rotation",
        lambda s: s.security.customer_managed_keys,
    ),
    Capability(
        "security.analytics_cmk",
        "security",
        "The catalog and query engine encrypted with the mission's key",
        lambda s: s.security.customer_managed_keys and (s.analytics.catalog or s.analytics.serverless_sql),
    ),
    Capability(
        "security.messaging_cmk",
        "security",
        "Queues, topics and event streams encrypted with the mission's key",
        lambda s: s.security.customer_managed_keys,
    ),
    Capability(
        "security.log_cmk",
        "security",
        "The contact processor's logs encrypted with the mission's key",
        lambda s: s.security.customer_managed_keys and s.processing.enabled,
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
        "analytics.query_scan_limit",
        "analytics",
        "A query stops at the per-query scan limit (analytics.query_bytes_scanned_cutoff_gb)",
        lambda s: s.analytics.serverless_sql,
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
    Capability(
        "processing.function",
        "processing",
        "Each contact processed into products by a function triggered from the contact queue",
        lambda s: _processes(s) and s.processing.mode == "function",
    ),
    Capability(
        "processing.container_job",
        "processing",
        "Each contact processed into products by a container job scaled from the contact queue",
        lambda s: _processes(s) and s.processing.mode == "container_job",
    ),
    Capability(
        "processing.least_privilege",
        "processing",
        "Processor identity limited to its queue, reading raw and writing products",
        _processes,
    ),
    Capability("observability.logging", "observability", "Access and diagnostic logs"),
    Capability("observability.alarm", "observability", "Alarm on dead-lettered contact events"),
    Capability("budget.alerts", "budget", "Monthly budget with alert emails"),
)
CAPABILITY_BY_ID = {c.id: c for c in CAPABILITIES}

# What sends contact telemetry into analytics.telemetry_stream, as a plan records it: AWS Ground
# Station's telemetry sink (a Config of the telemetry row), or the retired Azure Orbital's right to
# send to the hub (a role assignment of this name, made only with its resource provider's object id).
TELEMETRY_SINK_TYPE = "aws-native:groundstation:Config"
ORBITAL_TELEMETRY_GRANT = "orbital-sends-telemetry"
LAYERS: tuple[str, ...] = tuple(dict.fromkeys(c.layer for c in CAPABILITIES))

# Capabilities whose resources hold data that deleting or replacing them loses: the stores,
# the keys that decrypt them, the catalog, the logs, and every queue or stream that holds
# undelivered data (per-contact events and their dead letters, telemetry, and contact data a
# partner streams live: Kinesis on AWS, an Event Hub and its namespace on Azure). The resource
# holding one is protected (`protect`, `retain_on_delete`) under data_protection: strict, on
# both clouds alike; AWS Ground Station's own live stream goes to the mission's receiver and
# holds nothing in the stack.
STATEFUL_CAPABILITIES: frozenset[str] = frozenset(
    {
        "ground.stream_delivery",
        "storage.raw",
        "storage.products",
        "storage.query_results",
        "security.cmk",
        "analytics.catalog",
        "analytics.telemetry_stream",
        "events.per_contact",
        "events.dead_letter",
        "observability.logging",
    }
)
