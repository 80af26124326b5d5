"""Blueprint: the contract between the spec and the clouds.

`build_blueprint(spec)` resolves every decision once: which capabilities the
mission needs (parity, cost and the report read them) and, per cloud, the
typed inputs of each layer (`Blueprint.for_cloud`) that the components in
components/aws and components/azure build from. Components never see the spec.
Everything here is a pure function of the spec, so it is property-tested
without Pulumi.

Logical resource names come from identity fields only (mission, satellite and
downlink names): editing a tunable such as retention or bandwidth never
renames, and so never replaces, a store.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..clouds import CLOUDS
from ..limits import (
    SQS_MAX_VISIBILITY_SECONDS,
    SQS_VISIBILITY_PER_FUNCTION_TIMEOUT,
    event_hubs_units,
    flex_instance_memory,
    log_retention,
)
from ..presets import PRESETS
from ..spec import (
    ENDPOINT_MTU_TAG,
    GROUNDLINK_TAGS,
    OUTSIDE_VPC_TAG,
    RESOURCE_TAGS,
    Downlink,
    MissionSpec,
    OrbitalEndpoint,
    Satellite,
)
from .capabilities import CAPABILITIES, CAPABILITY_BY_ID, LAYERS, STATEFUL_CAPABILITIES, Capability
from .gaps import cloud_gaps
from .layer_outputs import LAYER_OUTPUT_MEANINGS, LAYER_OUTPUTS
from .layers import (
    CLOUD_FACTS,
    PARTNER_PREFIX,
    PRODUCTS_CONTAINER,
    QUERY_RESULTS_CONTAINER,
    RAW_CONTAINER,
    RAW_PREFIX,
    AnalyticsInputs,
    CloudBlueprint,
    ContactTiming,
    EventsInputs,
    GroundInputs,
    GroundLink,
    LayerInputError,
    Lifecycle,
    MissionInputs,
    ObservabilityInputs,
    Partner,
    ProcessingInputs,
    SecurityInputs,
    StorageInputs,
)
from .realization import Realization
from .tiering import archive_gap, cloud_transitions

__all__ = [
    "CAPABILITIES",
    "CAPABILITY_BY_ID",
    "CLOUDS",
    "ENDPOINT_MTU_TAG",
    "GROUNDLINK_TAGS",
    "LAYERS",
    "LAYER_OUTPUTS",
    "LAYER_OUTPUT_MEANINGS",
    "OUTPUT_KEYS",
    "OUTSIDE_VPC_TAG",
    "RESOURCE_TAGS",
    "STATEFUL_CAPABILITIES",
    "AnalyticsInputs",
    "Blueprint",
    "Capability",
    "CloudBlueprint",
    "Downlink",
    "EventsInputs",
    "GroundInputs",
    "GroundLink",
    "LayerInputError",
    "Lifecycle",
    "MissionInputs",
    "ObservabilityInputs",
    "OrbitalEndpoint",
    "ProcessingInputs",
    "Realization",
    "Satellite",
    "SecurityInputs",
    "StorageInputs",
    "build_blueprint",
]

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
class Blueprint:
    spec: MissionSpec  # for the consumers that model usage (cost, coverage, report); never for components
    mission: str
    tags: dict[str, str]
    protected: bool
    links: tuple[GroundLink, ...]
    raw_lifecycle: Lifecycle
    products_lifecycle: Lifecycle
    capabilities: tuple[Capability, ...]
    raw_prefix: str = RAW_PREFIX
    partner_prefix: str = PARTNER_PREFIX
    raw_container: str = RAW_CONTAINER
    products_container: str = PRODUCTS_CONTAINER
    query_results_container: str = QUERY_RESULTS_CONTAINER
    # each cloud's layer inputs, made once: the cost model asks for them several times per estimate
    _per_cloud: dict[str, CloudBlueprint] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def managed(self) -> bool:
        return self.spec.ground_segment.provider == "managed"

    def needs(self, capability_id: str) -> bool:
        return any(c.id == capability_id for c in self.capabilities)

    def for_cloud(self, cloud: str) -> CloudBlueprint:
        """The layer inputs of `cloud`'s MissionStack (frozen, so one object serves every caller)."""
        if cloud not in CLOUDS:  # a program of one's own passes it: said as the CLI says it, not a KeyError
            raise ValueError(f"cloud: {cloud!r} is not allowed; allowed: {', '.join(CLOUDS)}")
        if cloud not in self._per_cloud:
            self._per_cloud[cloud] = _cloud_blueprint(self, cloud)
        return self._per_cloud[cloud]


def build_blueprint(spec: MissionSpec) -> Blueprint:
    if not isinstance(spec, MissionSpec):  # a path or a dict read as a spec failed deep inside
        raise TypeError(
            f"build_blueprint takes a MissionSpec (groundlink.spec.load_spec(path)), not {type(spec).__name__}"
        )
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


def _partner(spec: MissionSpec) -> Partner | None:
    partner = spec.ground_segment.partner
    if partner is None:
        return None
    return Partner(
        name=partner.name,
        aws_account_id=partner.aws_account_id,
        aws_external_id=partner.aws_external_id,
        azure_principal_object_id=partner.azure_principal_object_id,
        source_addresses=tuple(partner.source_addresses),
    )


def _visibility_timeout(spec: MissionSpec) -> int | None:
    """Six times the processor's timeout, so a throttled retry never sees a contact twice; the
    queue's default when nothing in the cloud consumes it."""
    processing = spec.processing
    if not (processing.enabled and spec.delivery.object_store):
        return None
    wanted = SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * processing.timeout_seconds
    return min(wanted, SQS_MAX_VISIBILITY_SECONDS)


def _randomized_unset(spec: MissionSpec) -> tuple[str, ...]:
    """The station's demod/decode downlinks (`satellite-downlink`) whose preset's frames arrive
    pseudo-randomized while `processing.capture.pseudo_randomized` is off."""
    if spec.processing.capture.pseudo_randomized:
        return ()
    return tuple(
        f"{sat.name}-{link.name}"
        for sat, link in spec.downlinks()
        if link.delivery == "demod_decode" and link.preset and PRESETS[link.preset].pseudo_randomized
    )


def _longest_aws_logs(spec: MissionSpec) -> int:
    """Days the AWS stack keeps its longest-kept logs, which Azure's one workspace keeps too:
    every log group the raw retention, and the VPC flow logs theirs where AWS has a VPC (a
    private network, a managed station's live stream, the container jobs' own network), each
    as CloudWatch keeps it, rounded up to a retention it accepts: a raw retention of 200 days
    keeps AWS's logs 365, and the workspace kept 200. Past CloudWatch's longest, LOG_NEVER_EXPIRE."""
    vpc_days = spec.security.flow_log_retention_days if spec.aws_network else 0
    return log_retention(max(spec.storage.raw_retention_days, vpc_days))


def _cloud_blueprint(blueprint: Blueprint, cloud: str) -> CloudBlueprint:
    """One function decides every layer for both clouds; the cloud enters only through
    CLOUD_FACTS (does it have a first-party station?) and the region."""
    spec = blueprint.spec
    facts = CLOUD_FACTS[cloud]
    gs, delivery, analytics = spec.ground_segment, spec.delivery, spec.analytics
    private = spec.security.network == "private"
    processed = spec.processing.enabled and delivery.object_store  # the cloud runs the processor
    station = blueprint.managed and facts.first_party_station
    landing = not station  # without a station of its own the mission lands a partner's deliveries
    telemetry = analytics.telemetry_stream
    partner = _partner(spec)
    legacy = spec.clouds.azure.orbital if cloud == "azure" and spec.clouds.azure.legacy_orbital else None
    principal = None
    if partner is not None:
        principal = (partner.aws_account_id if cloud == "aws" else partner.azure_principal_object_id) or None
    adx = cloud == "azure" and analytics.azure_engine == "adx"
    archive = archive_gap(cloud, blueprint.raw_lifecycle.transitions)
    offline_after = min((t.after_days for t in spec.storage.tiering if t.tier in facts.offline_tiers), default=None)
    return CloudBlueprint(
        cloud=cloud,
        mission=MissionInputs(
            name=blueprint.mission,
            tags=dict(blueprint.tags),
            protected=blueprint.protected,
            region=spec.region(cloud),
            network_cidr=getattr(spec.clouds, cloud).network_cidr,
            name_seed=spec.clouds.azure.global_name_seed if cloud == "azure" else None,
        ),
        ground=GroundInputs(
            station=station,
            landing=landing,
            stream=delivery.stream,
            links=blueprint.links,
            satellites=tuple(spec.satellites),
            partner=partner,
            partner_principal=principal,
            timing=ContactTiming(
                min_elevation_deg=gs.min_elevation_deg,
                min_contact_seconds=gs.min_contact_seconds,
                pre_pass_seconds=gs.pre_pass_seconds,
                post_pass_seconds=gs.post_pass_seconds,
                autotrack=gs.autotrack,
            ),
            raw_prefix=blueprint.raw_prefix,
            partner_prefix=blueprint.partner_prefix,
            telemetry=telemetry,
            legacy_orbital=legacy,
            hub_units=event_hubs_units(spec.contact_hub_kb_per_second()),
        ),
        storage=StorageInputs(
            raw_store=delivery.object_store or landing,
            raw_needed=delivery.object_store,
            landing=landing,
            query_results=analytics.serverless_sql,
            raw_lifecycle=_on_cloud(cloud, blueprint.raw_lifecycle),
            products_lifecycle=_on_cloud(cloud, blueprint.products_lifecycle),
            # access logs are kept as long as the raw data they describe, never tiered
            logs_lifecycle=Lifecycle((), spec.storage.raw_retention_days, spec.storage.noncurrent_version_days),
            artifacts=spec.processing.enabled and delivery.object_store and spec.processing.mode == "function",
            raw_container=blueprint.raw_container,
            products_container=blueprint.products_container,
            query_results_container=blueprint.query_results_container,
            private=private,
            partner_source_addresses=partner.source_addresses if partner else (),
            partner_named=partner is not None,
            redundancy=spec.storage.redundancy,
            geo_read_access=spec.storage.geo_read_access,
            replica_region=spec.clouds.aws.replica_region if cloud == "aws" else None,
            archive_gap=archive,
        ),
        events=EventsInputs(
            station=station,
            object_store=delivery.object_store,
            landing=landing,
            partner_prefix=blueprint.partner_prefix,
            raw_container=blueprint.raw_container,
            visibility_timeout_seconds=_visibility_timeout(spec),
            container_jobs=spec.processing.enabled
            and spec.processing.mode == "container_job"
            and delivery.object_store,
        ),
        analytics=AnalyticsInputs(
            station=station,
            raw_prefix=blueprint.raw_prefix,
            partner_prefix=blueprint.partner_prefix,
            catalog=analytics.catalog,
            serverless_sql=analytics.serverless_sql,
            telemetry=telemetry,
            engine=analytics.azure_engine,
            query_bytes_scanned_cutoff=round(analytics.query_bytes_scanned_cutoff_gb * 1e9),
            satellite_names=tuple(s.name for s in spec.satellites),
            telemetry_log_retention_days=spec.storage.raw_retention_days,
            catalog_retention_days=spec.storage.products_retention_days,
            products_container=blueprint.products_container,
            private=private,
            sql_clients=tuple(analytics.sql_clients),
            # said only where something lands in raw or products: delivered files, a partner's, telemetry
            offline_after_days=offline_after if delivery.object_store or landing or telemetry else None,
        ),
        security=SecurityInputs(
            customer_managed_keys=spec.security.customer_managed_keys,
            private=private,
            # only a managed station streams into the mission network; a partner streams over its own link
            station_stream=delivery.stream and station,
            hsm_keys=spec.security.hsm_keys,
            premium_messaging=spec.security.premium_messaging,
            network_log_retention_days=spec.security.flow_log_retention_days,
            processing=("processing.function" if spec.processing.mode == "function" else "processing.container_job")
            if spec.processing.enabled and delivery.object_store
            else None,
        ),
        observability=ObservabilityInputs(
            # in order, so that reordering the spec's lists changes no resource (AWS Budgets keeps
            # its subscribers as a set: a reorder showed an update `pulumi up` would not make)
            alert_emails=tuple(sorted(spec.budget.alert_emails)),
            budget_monthly_usd=spec.budget.monthly_usd,
            budget_thresholds_percent=tuple(sorted(spec.budget.thresholds_percent)),
            log_retention_days=_longest_aws_logs(spec),
            loss_alarm_percent=spec.processing.loss_alarm_percent if processed else None,
            processing_mode=spec.processing.mode,
        ),
        processing=ProcessingInputs(
            enabled=processed,
            mode=spec.processing.mode,
            memory_mb=spec.processing.memory_mb,
            flex_instance_memory_mb=flex_instance_memory(spec.processing.memory_mb),
            timeout_seconds=spec.processing.timeout_seconds,
            max_concurrency=spec.processing.max_concurrency,
            container_vcpu=spec.processing.container_vcpu,
            container_memory_gb=spec.processing.container_memory_gb,
            container_image=spec.processing.container_image,
            capture_format=spec.processing.capture.setting(),
            raw_container=blueprint.raw_container,
            products_container=blueprint.products_container,
            # the processor's logs describe the products: kept as long as the raw data they came from
            log_retention_days=spec.storage.raw_retention_days,
            flow_log_retention_days=spec.security.flow_log_retention_days,
            frames_delivered=any(d.delivery == "demod_decode" for _, d in spec.downlinks()),
            samples_delivered=any(d.delivery == "digif" for _, d in spec.downlinks()),
            raw_offline_after_days=offline_after,
            # AWS's catalog projects a partner's satellite partitions from the spec's names (its
            # analytics layer, `_satellite_projection`); Ground Station's it injects, Azure's reads all
            cataloged_satellites=(
                tuple(s.name for s in spec.satellites) if cloud == "aws" and not station and analytics.catalog else ()
            ),
            # AWS Ground Station's decode graph (the presets') leaves the randomizer on
            randomized_unset=_randomized_unset(spec) if cloud == "aws" and station and processed else (),
        ),
        gaps=cloud_gaps(
            cloud,
            managed=blueprint.managed,
            station=station,
            landing=landing,
            legacy_orbital=legacy is not None,
            stream=delivery.stream,
            partner_principal=principal,
            partner_name=partner.name if partner else "",
            adx=adx,
            serverless_sql=analytics.serverless_sql,
            archive_gap=archive,
            query_scan_limit=CLOUD_FACTS[cloud].query_scan_limit,
            object_versions=CLOUD_FACTS[cloud].object_versions,
            messaging_keys_unavailable=(
                spec.security.customer_managed_keys
                and not spec.security.premium_messaging
                and CLOUD_FACTS[cloud].messaging_key_needs_premium
            ),
            unkeyed_analytics=(
                spec.security.customer_managed_keys and adx and (analytics.catalog or analytics.serverless_sql)
            ),
            unkeyed_processor_logs=(
                spec.security.customer_managed_keys and spec.processing.enabled and not CLOUD_FACTS[cloud].keyed_logs
            ),
        ),
    )


def _on_cloud(cloud: str, lifecycle: Lifecycle) -> Lifecycle:
    """`lifecycle` in the tiers `cloud` holds data in (Azure keeps archive-aged data in Cold)."""
    return replace(lifecycle, transitions=cloud_transitions(cloud, lifecycle.transitions))
