"""The typed inputs of each layer: what a component on either cloud is told to build.

Every decision a component acts on (which pieces are needed, names, regions,
lifecycles, sizing, who is granted what) is resolved here, once, from the
spec. A component receives its own layer's inputs plus its siblings' outputs
and never the spec, so the two clouds cannot decide the same question twice.
The cloud only enters through `CLOUD_FACTS` (what a cloud offers at all) and
the region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..spec import Downlink, OrbitalEndpoint, Satellite

# Identity-derived prefixes and container names shared by both clouds.
RAW_PREFIX = "contacts/year={year}/month={month}/day={day}/satellite={satellite_id}"
PARTNER_PREFIX = "partner/"
RAW_CONTAINER = "raw-contact-data"
PRODUCTS_CONTAINER = "products"
QUERY_RESULTS_CONTAINER = "query-results"


@dataclass(frozen=True)
class CloudFacts:
    """What a cloud offers regardless of the spec."""

    first_party_station: bool  # a managed ground station the mission can book


CLOUD_FACTS: Mapping[str, CloudFacts] = {
    "aws": CloudFacts(first_party_station=True),
    # Azure Orbital Ground Station was retired on 2024-12-18 (docs/azure.md).
    "azure": CloudFacts(first_party_station=False),
}


@dataclass(frozen=True)
class MissionInputs:
    """What every component of a mission shares: identity, tags, protection, region."""

    name: str
    tags: Mapping[str, str]
    protected: bool  # stateful children carry protect and retain_on_delete
    region: str  # the AWS region or Azure location of this cloud's stack


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
class Partner:
    """The partner network's identities, as the landing zone grants them."""

    name: str
    aws_account_id: str | None
    aws_external_id: str | None
    azure_principal_object_id: str | None
    source_addresses: tuple[str, ...]


@dataclass(frozen=True)
class ContactTiming:
    min_elevation_deg: float
    min_contact_seconds: int
    pre_pass_seconds: int
    post_pass_seconds: int
    autotrack: str  # preferred | required | removed


@dataclass(frozen=True)
class GroundInputs:
    managed: bool  # the spec asks for a first-party ground station
    station: bool  # ... and this cloud has one: the station is rendered
    landing: bool  # a partner network lands contacts in the raw store
    stream: bool  # contact data is also streamed live
    links: tuple[GroundLink, ...]
    satellites: tuple[Satellite, ...]
    partner: Partner | None
    partner_principal: str | None  # the partner identity this cloud grants: AWS account, Entra object id
    timing: ContactTiming
    raw_prefix: str
    partner_prefix: str
    telemetry: bool  # contact telemetry goes to the telemetry stream
    legacy_orbital: OrbitalEndpoint | None  # the retired Azure Orbital resources, opt-in


@dataclass(frozen=True)
class StorageInputs:
    raw_store: bool  # a raw store exists: objects are delivered, or a partner lands there
    raw_needed: bool  # the spec needs the raw store itself (delivery.object_store)
    landing: bool  # the raw store is the partner's landing zone
    query_results: bool
    raw_lifecycle: Lifecycle
    products_lifecycle: Lifecycle
    logs_lifecycle: Lifecycle
    raw_container: str
    products_container: str
    query_results_container: str
    private: bool  # store endpoints are private
    partner_source_addresses: tuple[str, ...]  # addresses a partner writes from, outside the cloud
    redundancy: str  # zone: three availability zones; geo: also a copy in a second region
    geo_read_access: bool  # the second region's copy is readable before a failover
    replica_region: str | None  # where AWS replicates the stores with geo redundancy
    archive_gap: str | None  # why this cloud holds archive-aged data in another tier (warned), else None
    # a store for what deploys the contact processor (AWS: its dependency layer, over Lambda's
    # direct-upload size); Azure keeps it in the processing component's deployment container
    artifacts: bool = False


@dataclass(frozen=True)
class EventsInputs:
    station: bool  # contact events come from the ground station, else from landed objects
    object_store: bool  # contacts are delivered as objects
    landing: bool  # a partner lands objects in the raw store
    partner_prefix: str
    raw_container: str
    # How long a received contact event stays hidden from other consumers: six times the
    # processor's timeout when a function consumes the queue (SQS guidance, docs/facts.md §10).
    visibility_timeout_seconds: int | None = None


@dataclass(frozen=True)
class AnalyticsInputs:
    station: bool  # raw objects come from the ground station (else from a partner, by satellite name)
    raw_prefix: str
    partner_prefix: str
    catalog: bool
    serverless_sql: bool
    telemetry: bool
    engine: str  # the Azure engine: synapse | adx
    query_bytes_scanned_cutoff: int
    satellite_names: tuple[str, ...]
    telemetry_log_retention_days: int  # wanted days, before a cloud rounds to what it accepts
    catalog_retention_days: int
    products_container: str
    private: bool


@dataclass(frozen=True)
class ProcessingInputs:
    """The contact processor in the cloud: how it runs and how big it is, already bounded by
    what both clouds accept (the spec validates it); each cloud maps it onto its own service."""

    enabled: bool
    mode: str  # function | container_job
    memory_mb: int  # function memory; Azure takes the next Flex Consumption instance size
    flex_instance_memory_mb: int  # that Flex Consumption instance size
    timeout_seconds: int
    max_concurrency: int
    container_vcpu: float
    container_memory_gb: float
    container_image: str | None
    raw_container: str
    products_container: str
    log_retention_days: int  # wanted days of the processor's logs, before a cloud rounds
    flow_log_retention_days: int  # a container job's own network keeps flow logs this long


@dataclass(frozen=True)
class SecurityInputs:
    customer_managed_keys: bool
    private: bool  # private endpoints for the stores
    station_stream: bool  # a managed station streams into the mission network
    hsm_keys: bool  # keys live in hardware security modules
    premium_messaging: bool  # Azure messaging on Premium, encrypted with the mission key
    network_log_retention_days: int  # wanted days of VPC flow logs, before a cloud rounds
    # the processing capability when the stack processes contacts: its compute joins the network
    processing: str | None = None


@dataclass(frozen=True)
class ObservabilityInputs:
    alert_emails: tuple[str, ...]
    budget_monthly_usd: float
    budget_thresholds_percent: tuple[int, ...]


@dataclass(frozen=True)
class CloudBlueprint:
    """Everything one cloud's MissionStack needs, layer by layer."""

    cloud: str
    mission: MissionInputs
    ground: GroundInputs
    storage: StorageInputs
    events: EventsInputs
    analytics: AnalyticsInputs
    security: SecurityInputs
    observability: ObservabilityInputs
    processing: ProcessingInputs
    gaps: tuple[tuple[str, str], ...]  # (capability, why this cloud leaves it out), in layer order
