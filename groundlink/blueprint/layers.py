"""The typed inputs of each layer: what a component on either cloud is told to build.

Every decision a component acts on (which pieces are needed, names, regions,
lifecycles, sizing, who is granted what) is resolved here, once, from the
spec. A component receives its own layer's inputs plus its siblings' outputs
and never the spec, so the two clouds cannot decide the same question twice.
The cloud only enters through `CLOUD_FACTS` (what a cloud offers at all) and
the region.
"""

from __future__ import annotations

import functools
import json
import math
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ValidationError

from .. import limits
from ..spec import (
    GLOBAL_NAME_SEED,
    GROUNDLINK_TAGS,
    IDENTIFIER,
    PATTERN_WORDS,
    Analytics,
    Budget,
    Downlink,
    GroundSegment,
    Mission,
    OrbitalEndpoint,
    Processing,
    Satellite,
    Storage,
    Tier,
    describe_error,
    network_cidr_problem,
)
from ..spec import Partner as SpecPartner

# the tiers a lifecycle moves data into: the spec's own (spec.Tier.tier)
TIERS: tuple[str, ...] = typing.get_args(typing.get_type_hints(Tier)["tier"])


RETENTIONS = ("raw_retention_days", "products_retention_days")
# the longest contact the spec takes (GroundSegment.contact_minutes, `le`)
CONTACT_MINUTES_MAX = next(m.le for m in GroundSegment.model_fields["contact_minutes"].metadata if hasattr(m, "le"))
CONTAINER_NAMES = "allowed: 3-63 of a-z, 0-9 and -, starting and ending with a letter or digit, no -- (Azure)"


class LayerInputError(ValueError):
    """A layer input a component cannot build: the blueprint never makes one from a valid spec,
    a program that builds components itself can."""


@dataclass(frozen=True)
class Within:
    """A number field's bounds, what the clouds accept (from groundlink.limits), written on the
    field as `Annotated[int, Within(low, high)]`; `Checked` refuses a value outside them."""

    low: float
    high: float = math.inf


@dataclass(frozen=True)
class _FieldCheck:
    """What `Checked` asks of one field, read from its type once per class."""

    name: str
    where: str
    allowed: tuple[Any, ...] | None  # a Literal's values
    number: bool  # an int or a float, finite and not negative
    whole: bool  # an int: a float given for it must be a whole number (Pulumi sends every number as a double)
    kind: type | None  # a flag (bool) or a text (str), or None where it is optional and unset
    optional: bool
    text_map: bool  # a Mapping of text to text
    within: Within | None = None
    sequence: bool = False  # a tuple (a text given for one was read a character at a time)
    item_kind: type | None = None  # the type of each item of a tuple of one kind (tuple[str, ...])
    instance_of: type | None = None  # a class of its own (Lifecycle, Partner, ContactTiming, ...)


_CHECKS: dict[type, tuple[_FieldCheck, ...]] = {}


def _field_checks(cls: type) -> tuple[_FieldCheck, ...]:
    """A layer class's checks, worked out from its field types once per class. The cost
    model builds a blueprint for each alternative and each sensitivity it prices, so inputs
    are made by the thousand; resolving every field's type again for each one made an input
    five times dearer (20,000 `MissionInputs`: 0.20 s against 0.04 s, 2026-12-03)."""
    if cls not in _CHECKS:
        hints = typing.get_type_hints(cls)
        extras = typing.get_type_hints(cls, include_extras=True)
        checks = []
        for field in fields(cls):
            hint = hints[field.name]
            optional = _optional(hint)
            plain = [t for t in typing.get_args(hint) if t is not type(None)] if optional else [hint]
            literal = next((t for t in plain if typing.get_origin(t) is Literal), None) if len(plain) == 1 else None
            marks = (
                typing.get_args(extras[field.name])[1:] if typing.get_origin(extras[field.name]) is Annotated else ()
            )
            single = plain[0] if len(plain) == 1 else None
            items = typing.get_args(single) if typing.get_origin(single) is tuple else ()
            checks.append(
                _FieldCheck(
                    name=field.name,
                    where=f"{cls.__name__}.{field.name}",
                    allowed=typing.get_args(literal) if literal is not None else None,
                    number=plain[0] in (int, float) and len(plain) == 1,
                    whole=plain[0] is int and len(plain) == 1,
                    kind=next((kind for kind in (bool, str) if plain == [kind]), None),
                    optional=optional,
                    text_map=typing.get_origin(hint) is Mapping,
                    within=next((m for m in marks if isinstance(m, Within)), None),
                    sequence=typing.get_origin(single) is tuple,
                    # tuple[str, ...]; not tuple[tuple[int, str], ...], whose items a generic cannot judge
                    item_kind=items[0]
                    if len(items) == 2
                    and items[1] is Ellipsis
                    and typing.get_origin(items[0]) is None
                    and isinstance(items[0], type)
                    else None,
                    instance_of=single
                    if isinstance(single, type)
                    and single not in (int, float, bool, str)
                    and typing.get_origin(single) is None
                    else None,
                )
            )
        _CHECKS[cls] = tuple(checks)
    return _CHECKS[cls]


class Checked:
    """Layer inputs checked where they are made: an enumerated field (a `Literal`) holds one of
    its values and a count or size is not negative, so a component built from a program of
    one's own refuses `mode="lambda"` or a memory of -1 in one line instead of building
    something else (a container job, a zone-redundant account) or a plan the cloud refuses."""

    def __post_init__(self) -> None:
        for check in _field_checks(type(self)):
            value, where = getattr(self, check.name), check.where
            if value is None and check.optional:
                continue
            if check.allowed is not None and value not in check.allowed:
                raise LayerInputError(
                    f"{where}: {value!r} is not allowed; allowed: {', '.join(map(str, check.allowed))}"
                )
            if check.number and not (isinstance(value, int | float) and not isinstance(value, bool)):
                raise LayerInputError(f"{where}: {value!r} is not a number")
            if check.number and not math.isfinite(value):  # NaN passed `< 0`, and reached the clouds
                raise LayerInputError(f"{where}: {value!r} is not a finite number")
            if check.number and value < 0:
                raise LayerInputError(f"{where}: {value!r} is negative")
            if check.whole and value != int(value):  # 2.5 throughput units reached the provider as such
                raise LayerInputError(f"{where}: {value!r} is not a whole number")
            bounds = check.within
            if bounds is not None and not bounds.low <= value <= bounds.high:
                high = "" if bounds.high == math.inf else f"-{bounds.high:.15g}"
                more = " or more" if bounds.high == math.inf else ""
                raise LayerInputError(f"{where}: {value!r} is out of range; allowed: {bounds.low:.15g}{high}{more}")
            # a flag or a name of another type reached the SDK as it was ("no" as protect= crashed
            # Pulumi's registration; 42 as a region was written into names)
            if (
                check.kind is not None
                and (value is not None or not check.optional)
                and not isinstance(value, check.kind)
            ):
                raise LayerInputError(f"{where}: {value!r} is not a {check.kind.__name__}")
            if check.text_map and not (
                isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
            ):
                raise LayerInputError(f"{where}: must map text to text")
            # a text given for a tuple of names was read a character at a time ('polar1' became
            # the projection p,o,l,a,r,1), and a lifecycle of None failed deep in a component
            if check.sequence and not isinstance(value, tuple):
                raise LayerInputError(f"{where}: {value!r} is not a tuple; give its items as a tuple")
            if check.item_kind is not None and not all(isinstance(item, check.item_kind) for item in value):
                bad = next(item for item in value if not isinstance(item, check.item_kind))
                raise LayerInputError(f"{where}: holds {bad!r}, not a {check.item_kind.__name__}")
            if check.instance_of is not None and not isinstance(value, check.instance_of):
                raise LayerInputError(f"{where}: {value!r} is not a {check.instance_of.__name__}")


def held_to_spec(
    owner: str,
    model: type[BaseModel],
    section: str,
    data: Mapping[str, tuple[str, Any]],
    context: Mapping[str, Any] | None = None,
    named: Mapping[str, str] | None = None,
) -> None:
    """Hold layer inputs to the rules of the spec fields they come from, in the spec's own model,
    so that one logic judges a value however it is given: `data` maps each spec field of `model`
    (under `section`) to (the layer field, its value). `context` gives spec fields the layer does
    not hold the widest value their rules take, so that a rule joining them to a given field
    (contact_minutes against min_contact_seconds) does not judge it against a default. The first
    problem is one line naming the layer field, and the spec field whose rule it is (`named`: how
    to name a spec field that stands for several, as a lifecycle's expiry for either retention)."""
    given = {key: value for key, (_, value) in data.items()} | dict(context or {})
    problem = _spec_problem(model, json.dumps(given, sort_keys=True))
    if problem is not None:
        first, path, message = problem
        field = f".{data[first][0]}" if first in data else ""
        path = (named or {}).get(first, path)
        raise LayerInputError(f"{owner}{field}: {message} (the rule of the spec's {section}.{path})")


@functools.lru_cache(maxsize=1024)
def _spec_problem(model: type[BaseModel], data_json: str) -> tuple[str, str, str] | None:
    """(first key, field path, message) of the first problem `model` finds in the data, if any.
    Cached: the cost model makes layer inputs by the thousand, of a few distinct values."""
    data = json.loads(data_json)
    try:
        model.model_validate(data)
    except ValidationError as error:
        path, message = describe_error(error.errors()[0], data, model)
        parts = path.parts()
        return (str(parts[0]) if parts else "", path.text(), message)
    return None


def _optional(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


# Identity-derived prefixes and container names shared by both clouds.
# Each downlink records under its own config's name (`{config-name}`, the S3 recording config's),
# so that the processor reads each dataflow's captures as a stream of its own (a satellite's two
# downlinks in one folder were read as one sequence, their files interleaved).
RAW_PREFIX = "contacts/year={year}/month={month}/day={day}/satellite={satellite_id}/{config-name}"
PARTNER_PREFIX = "partner/"
RAW_CONTAINER = "raw-contact-data"
PRODUCTS_CONTAINER = "products"
QUERY_RESULTS_CONTAINER = "query-results"


@dataclass(frozen=True)
class CloudFacts:
    """What a cloud offers regardless of the spec."""

    first_party_station: bool  # a managed ground station the mission can book
    # its messaging (queues, streams) takes the mission's key only on a premium tier
    messaging_key_needs_premium: bool = False
    # its serverless SQL stops a query that scans past a set limit
    query_scan_limit: bool = True
    # its mission store keeps an overwritten object's earlier content (versions)
    object_versions: bool = True
    # its log store takes the mission's key without a dedicated cluster of its own
    keyed_logs: bool = True
    # the spec's tiers this cloud keeps offline, which its serverless SQL skips until restored
    offline_tiers: tuple[str, ...] = ()


CLOUD_FACTS: Mapping[str, CloudFacts] = {
    # S3 Glacier Flexible Retrieval (cold) and Deep Archive (archive) are offline: Athena skips
    # their objects until they are restored (docs/aws.md, "Analytics": archived data and Athena). Azure's account has no
    # archive tier and keeps archive-aged data in Cold, which is online (docs/azure.md).
    "aws": CloudFacts(first_party_station=True, offline_tiers=("cold", "archive")),
    # Azure Orbital Ground Station was retired on 2024-12-18 (docs/azure.md).
    # Event Hubs and Service Bus Standard encrypt with Microsoft-managed keys only (docs/azure.md).
    # Synapse serverless SQL budgets data processed per day, week or month, never per query (docs/azure.md).
    # The mission account is ADLS Gen2 (hierarchical namespace), which refuses blob versioning (docs/azure.md).
    # A Log Analytics workspace takes a customer-managed key only through a dedicated cluster (docs/azure.md).
    "azure": CloudFacts(
        first_party_station=False,
        messaging_key_needs_premium=True,
        query_scan_limit=False,
        object_versions=False,
        keyed_logs=False,
    ),
}


@dataclass(frozen=True)
class MissionInputs(Checked):
    """What every component of a mission shares: identity, tags, protection, region."""

    name: str
    tags: Mapping[str, str]
    protected: bool  # stateful children carry protect and retain_on_delete
    region: str  # the AWS region or Azure location of this cloud's stack
    # the address space of this cloud's mission network (spec clouds.<cloud>.network_cidr), where
    # the stack has one; None: the cloud's default (the spec's)
    network_cidr: str | None = None
    # hashed with `name` into Azure's globally unique names (spec clouds.azure.global_name_seed,
    # components/azure/naming.py); None: the mission name alone, as before it existed
    name_seed: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.name_seed is not None and not re.fullmatch(GLOBAL_NAME_SEED, self.name_seed):
            raise LayerInputError(
                f"MissionInputs.name_seed: {self.name_seed!r} is not a name seed ({PATTERN_WORDS[GLOBAL_NAME_SEED]})"
            )
        if self.network_cidr is not None and (
            problem := network_cidr_problem(self.network_cidr, limits.AWS_NETWORK_CIDR)
        ):
            raise LayerInputError(f"MissionInputs.network_cidr: {problem}")
        if not re.fullmatch(IDENTIFIER, self.name):  # every physical name derives from it
            raise LayerInputError(
                f"MissionInputs.name: {self.name!r} is not a mission name (2-32 of a-z, 0-9 and -, "
                "starting with a letter, not ending with -)"
            )
        # tags every resource carries, held to the spec's tag rules (both clouds', reserved prefixes);
        # groundlink's own tags by their exact keys (`Owner` beside `owner` is one tag on Azure: the
        # spec's rule refuses it), their values held to the spec fields they come from
        own = {key: value for key, value in self.tags.items() if key not in GROUNDLINK_TAGS}
        held_to_spec(
            "MissionInputs",
            Mission,
            "mission",
            {
                "name": ("name", self.name),
                "owner": ("tags", self.tags.get("owner", "groundlink")),
                "data_classification": ("tags", self.tags.get("data-classification", "internal")),
                "tags": ("tags", own),
            },
        )


@dataclass(frozen=True)
class GroundLink:
    """One satellite downlink as the ground segment receives it."""

    satellite: Satellite
    downlink: Downlink

    @property
    def key(self) -> str:
        return f"{self.satellite.name}-{self.downlink.name}"


@dataclass(frozen=True)
class Lifecycle(Checked):
    """A store's retention schedule, in cloud-neutral tiers."""

    transitions: tuple[tuple[int, str], ...]  # (after_days, a tier of TIERS)
    # 0 is no "keep forever": S3 refuses a zero Days ("a non-zero positive integer") and Azure
    # would delete every blob on the policy's next daily run
    expire_days: Annotated[int, Within(1)]
    noncurrent_days: Annotated[int, Within(1)]
    abort_incomplete_upload_days: Annotated[int, Within(1)] = 7

    def __post_init__(self) -> None:
        super().__post_init__()
        for days, tier in self.transitions:
            if tier not in TIERS or days < 0 or days >= self.expire_days:
                raise LayerInputError(
                    f"Lifecycle.transitions: ({days}, {tier!r}) must be a tier of {', '.join(TIERS)} "
                    f"after 0 or more days, before the expiry ({self.expire_days} days)"
                )
        # the spec's tiering rules: steps in order of day and tier, S3's least days in each tier
        held_to_spec(
            "Lifecycle",
            Storage,
            "storage",
            {
                "tiering": ("transitions", [{"after_days": days, "tier": tier} for days, tier in self.transitions]),
                "raw_retention_days": ("expire_days", self.expire_days),
                "products_retention_days": ("expire_days", self.expire_days),
                "noncurrent_version_days": ("noncurrent_days", self.noncurrent_days),
            },
            # one expiry stands for whichever store's retention the lifecycle is
            named=dict.fromkeys(RETENTIONS, "raw_retention_days or products_retention_days"),
        )


@dataclass(frozen=True)
class Partner:
    """The partner network's identities, as the landing zone grants them."""

    name: str
    aws_account_id: str | None
    aws_external_id: str | None
    azure_principal_object_id: str | None
    source_addresses: tuple[str, ...]


@dataclass(frozen=True)
class ContactTiming(Checked):
    """When a pass counts as a contact and how long the antenna listens around it: part of the
    ground layer's inputs, its own type so AWS's mission profiles and Azure's legacy contact
    profiles read the same numbers, decided once from the spec in groundlink/blueprint/__init__.py."""

    min_elevation_deg: float
    min_contact_seconds: int
    pre_pass_seconds: int
    post_pass_seconds: int
    autotrack: Literal["preferred", "required", "removed"]

    def __post_init__(self) -> None:
        super().__post_init__()
        held_to_spec(
            "ContactTiming",
            GroundSegment,
            "ground_segment",
            {name: (name, getattr(self, name)) for name in (f.name for f in fields(self))},
            # a contact as long as the spec allows, once a day: min_contact_seconds is judged alone
            context={"contact_minutes": CONTACT_MINUTES_MAX, "contacts_per_day": 1},
        )


@dataclass(frozen=True)
class GroundInputs(Checked):
    """The ground layer (AwsGroundSegment, AzureGround): station or partner landing, links, timing.
    Its own type so both clouds' ground components read one answer to who receives the contacts,
    decided once from the spec and CLOUD_FACTS in groundlink/blueprint/__init__.py."""

    station: bool  # the spec asks for a first-party ground station and this cloud has one
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
    # Event Hubs Standard throughput units of the namespace holding the contact hubs, for the
    # telemetry and live-stream rate (MissionSpec.contact_hub_kb_per_second); AWS's are on-demand
    # (at least 1; the most a namespace takes is the Azure component's check: the cost model prices
    # more contacts a day than a spec has, whose hubs would need more, and renders nothing)
    hub_units: Annotated[int, Within(1)] = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        # a prefix of the raw store that a partner may write, and nothing beyond it
        if not re.fullmatch(r"[^/]+(/[^/]+)*/", self.partner_prefix):
            raise LayerInputError(
                f"GroundInputs.partner_prefix: {self.partner_prefix!r} is not a store prefix (one or more "
                "names, each followed by /): a partner may write under it only"
            )
        if self.station and self.stream:  # AWS Ground Station's dataflow endpoint group pads the pass too
            lo, hi = limits.ENDPOINT_PASS_PADDING_SECONDS
            for name in ("pre_pass_seconds", "post_pass_seconds"):
                value = getattr(self.timing, name)
                if not lo <= value <= hi:
                    raise LayerInputError(
                        f"GroundInputs.timing: {name} {value} is outside {lo}-{hi} (AWS Ground Station dataflow "
                        "endpoint group, streamed delivery)"
                    )


@dataclass(frozen=True)
class StorageInputs(Checked):
    """The storage layer (AwsStorage, AzureStorage): which stores exist, their names, lifecycles
    and redundancy. Its own type so both clouds keep the same data as long, decided once from
    the spec in groundlink/blueprint/__init__.py."""

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
    partner_named: bool  # the spec names its partner network (ground_segment.partner)
    redundancy: Literal["zone", "geo"]  # zone: three availability zones; geo: also a copy in a second region
    geo_read_access: bool  # the second region's copy is readable before a failover
    replica_region: str | None  # where AWS replicates the stores with geo redundancy
    archive_gap: str | None  # why this cloud holds archive-aged data in another tier (warned), else None
    # a store for what deploys the contact processor (AWS: its dependency layer, over Lambda's
    # direct-upload size); Azure keeps it in the processing component's deployment container
    artifacts: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        names = {
            "raw_container": self.raw_container,
            "products_container": self.products_container,
            "query_results_container": self.query_results_container,
        }
        for field, name in names.items():
            if not re.fullmatch(limits.AZURE_CONTAINER_NAME_PATTERN, name):
                raise LayerInputError(f"StorageInputs.{field}: {name!r} is not a container name; {CONTAINER_NAMES}")
        # one store each: two of one name were one Azure container under both lifecycles, the
        # shorter deleting what the longer keeps
        if len(set(names.values())) < len(names):
            raise LayerInputError(
                "StorageInputs: raw_container, products_container and query_results_container must differ; "
                f"given {', '.join(names.values())}"
            )
        if self.partner_source_addresses:
            held_to_spec(
                "StorageInputs",
                SpecPartner,
                "ground_segment.partner",
                {
                    "name": ("partner_source_addresses", "other"),
                    "source_addresses": ("partner_source_addresses", list(self.partner_source_addresses)),
                },
            )


@dataclass(frozen=True)
class EventsInputs(Checked):
    """The events layer (AwsEvents, AzureEvents): where a contact's event comes from and how long
    a consumer holds it. Its own type so both clouds raise one event per contact from the same
    source, decided once from the spec in groundlink/blueprint/__init__.py."""

    station: bool  # contact events come from the ground station, else from landed objects
    object_store: bool  # contacts are delivered as objects
    landing: bool  # a partner lands objects in the raw store
    partner_prefix: str
    raw_container: str
    # How long a received contact event stays hidden from other consumers: six times the
    # processor's timeout when a function consumes the queue (SQS guidance, docs/facts.md §10).
    visibility_timeout_seconds: Annotated[int | None, Within(0, limits.SQS_MAX_VISIBILITY_SECONDS)] = None
    # Container jobs process the contacts (processing.mode container_job). On AWS the pipe that
    # submits them takes the message off the queue at submission, so a job that fails is
    # dead-lettered from its own failure event; Service Bus dead-letters an abandoned message.
    container_jobs: bool = False


@dataclass(frozen=True)
class AnalyticsInputs(Checked):
    """The analytics layer (AwsCatalog, AwsQuery, AwsTelemetry; AzureAnalytics): catalog, SQL,
    telemetry and where they find the data. Its own type so both clouds query the same prefixes
    under the same limits, decided once from the spec in groundlink/blueprint/__init__.py."""

    station: bool  # raw objects come from the ground station (else from a partner, by satellite name)
    raw_prefix: str
    partner_prefix: str
    catalog: bool
    serverless_sql: bool
    telemetry: bool
    engine: Literal["synapse", "adx"]  # the Azure engine
    query_bytes_scanned_cutoff: Annotated[int, Within(limits.ATHENA_MIN_CUTOFF_BYTES)]
    satellite_names: tuple[str, ...]
    # wanted days, before a cloud rounds to what it accepts
    telemetry_log_retention_days: Annotated[int, Within(1)]
    catalog_retention_days: Annotated[int, Within(1)]
    products_container: str
    private: bool
    # public addresses or CIDR ranges Azure's query endpoint (Synapse) admits in public mode
    sql_clients: tuple[str, ...] = ()
    # the day the stores' data moves to a tier this cloud keeps offline (None: never), from
    # which its catalog tables leave that data out of every query until it is restored; None also
    # when nothing lands in raw or products (a stream-only stack)
    offline_after_days: int | None = None

    @property
    def explorer_cluster(self) -> bool:
        """Azure builds a Data Explorer cluster: the engine is ADX and something needs it (the
        catalog, the queries or the telemetry table). The component and the cost model both ask
        here: the cost priced the cluster only with queries or telemetry, and a catalog-only
        cluster went unpriced while the Azure total said complete."""
        return self.engine == "adx" and (self.catalog or self.serverless_sql or self.telemetry)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.sql_clients:  # Synapse's firewall: public addresses only, 0.0.0.0 being all of Azure
            held_to_spec(
                "AnalyticsInputs", Analytics, "analytics", {"sql_clients": ("sql_clients", list(self.sql_clients))}
            )


@dataclass(frozen=True)
class ProcessingInputs(Checked):
    """The contact processor in the cloud: how it runs and how big it is, already bounded by
    what both clouds accept (the spec validates it); each cloud maps it onto its own service."""

    enabled: bool
    mode: Literal["function", "container_job"]
    memory_mb: int  # function memory; Azure takes the next Flex Consumption instance size
    flex_instance_memory_mb: int  # that Flex Consumption instance size
    timeout_seconds: int
    max_concurrency: int
    container_vcpu: float
    container_memory_gb: float
    container_image: str | None
    # the onboarding details of the captures (spec processing.capture), as the runtime reads them
    # from its GROUNDLINK_CAPTURE_FORMAT setting: a JSON object of CaptureFormat fields
    capture_format: str
    raw_container: str
    products_container: str
    log_retention_days: Annotated[int, Within(1)]  # wanted days of the processor's logs, before a cloud rounds
    flow_log_retention_days: Annotated[int, Within(1)]  # a container job's own network keeps flow logs this long
    # some downlink delivers demod/decode data, which holds the transfer frames the processor reads
    # (DigIF delivers samples of the signal: no frames)
    frames_delivered: bool = True
    # some downlink delivers DigIF samples: the runtime is told (GROUNDLINK_SAMPLES_DELIVERED), so a
    # contact without a frame is not read as one that lost them all
    samples_delivered: bool = False
    # the day raw files move to a tier this cloud keeps offline (None: never): a contact processed
    # after it, on a retry or a redrive, cannot read its capture until it is restored
    raw_offline_after_days: int | None = None
    # the satellite names this cloud's catalog projects (AWS's enum projection, for a partner's
    # deliveries); empty where it reads every name (injected, Azure's wildcards) or has no catalog:
    # the runtime says when a contact's products fall outside them
    cataloged_satellites: tuple[str, ...] = ()
    # the station's downlinks whose preset's frames arrive pseudo-randomized while the spec's
    # processing.capture.pseudo_randomized is off: each reads every frame as corrupt
    randomized_unset: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.enabled and self.mode == "container_job" and not self.container_image:
            raise LayerInputError("ProcessingInputs.container_image: mode container_job needs the processor's image")
        if not self.enabled:
            return
        # the spec's processing rules, for the mode's own sizes: memory, timeout and concurrency
        # both clouds accept, a container's vCPU and memory pair, whole vCPUs for AWS Batch
        sizes = (
            ("memory_mb",) if self.mode == "function" else ("container_vcpu", "container_memory_gb", "container_image")
        )
        names = ("enabled", "mode", "timeout_seconds", "max_concurrency", *sizes)
        held_to_spec(
            "ProcessingInputs", Processing, "processing", {name: (name, getattr(self, name)) for name in names}
        )
        if self.mode == "function" and self.flex_instance_memory_mb != limits.flex_instance_memory(self.memory_mb):
            raise LayerInputError(
                f"ProcessingInputs.flex_instance_memory_mb: {self.flex_instance_memory_mb} is not the Flex Consumption "
                f"instance size of memory_mb {self.memory_mb}; allowed: {limits.flex_instance_memory(self.memory_mb)}"
            )


@dataclass(frozen=True)
class SecurityInputs(Checked):
    """The security layer (AwsSecurity, AzureSecurity): keys, private networking, flow-log
    retention. Its own type so both clouds protect the mission alike, decided once from the
    spec in groundlink/blueprint/__init__.py."""

    customer_managed_keys: bool
    private: bool  # private endpoints for the stores
    station_stream: bool  # a managed station streams into the mission network
    hsm_keys: bool  # keys live in hardware security modules
    premium_messaging: bool  # Azure messaging on Premium, encrypted with the mission key
    network_log_retention_days: Annotated[int, Within(1)]  # wanted days of VPC flow logs, before a cloud rounds
    # the processing capability when the stack processes contacts: its compute joins the network
    processing: Literal["processing.function", "processing.container_job"] | None = None


@dataclass(frozen=True)
class ObservabilityInputs(Checked):
    """The observability layer (AwsObservability, AzureObservability): who is alerted, the budget
    and how long logs are kept. Its own type so both clouds alarm and bill against the same
    numbers, decided once from the spec in groundlink/blueprint/__init__.py."""

    alert_emails: tuple[str, ...]
    budget_monthly_usd: float
    budget_thresholds_percent: tuple[int, ...]
    # the longest any of the stack's logs is kept (access, processor, archive logs: the raw
    # retention; flow logs: their own), for a cloud that keeps all logs in one store
    log_retention_days: int = 90
    # the frame-loss alarm: mailed when a processed contact lost more than this share of its
    # frames, in percent (spec processing.loss_alarm_percent); None: no alarm, or no processor
    loss_alarm_percent: Annotated[float | None, Within(0, 100)] = None
    # how the processor runs, which decides where its log records are read (Azure: the Flex
    # app's function logs, or the Container Apps environment's console logs)
    processing_mode: Literal["function", "container_job"] = "function"

    def __post_init__(self) -> None:
        super().__post_init__()
        # the spec's budget rules: a whole-cents amount, 1-10 addresses and 1-5 thresholds, none twice
        held_to_spec(
            "ObservabilityInputs",
            Budget,
            "budget",
            {
                "monthly_usd": ("budget_monthly_usd", self.budget_monthly_usd),
                "alert_emails": ("alert_emails", list(self.alert_emails)),
                "thresholds_percent": ("budget_thresholds_percent", list(self.budget_thresholds_percent)),
            },
        )


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

    def __post_init__(self) -> None:
        """The layers agree where one reads what another makes: a program that builds layer
        inputs itself renamed the raw container in the storage layer alone, and the events
        filtered and the processor read a container that did not exist, planned without a word
        (so with the ground segment's prefixes, which the events and the catalog read);
        turned processing on without the security layer's subnet for it; or told the alarms
        another processing mode than the processor's."""
        shared: dict[str, tuple[str | None, str, str | None]] = {
            "events.raw_container": (self.events.raw_container, "storage.raw_container", self.storage.raw_container),
            "processing.raw_container": (
                self.processing.raw_container,
                "storage.raw_container",
                self.storage.raw_container,
            ),
            "processing.products_container": (
                self.processing.products_container,
                "storage.products_container",
                self.storage.products_container,
            ),
            "analytics.products_container": (
                self.analytics.products_container,
                "storage.products_container",
                self.storage.products_container,
            ),
            # where the ground segment writes is where the events filter and the catalog reads:
            # a partner granted `landing/` wrote where the rule and the raw table never looked
            "events.partner_prefix": (self.events.partner_prefix, "ground.partner_prefix", self.ground.partner_prefix),
            "analytics.partner_prefix": (
                self.analytics.partner_prefix,
                "ground.partner_prefix",
                self.ground.partner_prefix,
            ),
            "analytics.raw_prefix": (self.analytics.raw_prefix, "ground.raw_prefix", self.ground.raw_prefix),
        }
        if self.processing.enabled:
            shared["observability.processing_mode"] = (
                self.observability.processing_mode,
                "processing.mode",
                self.processing.mode,
            )
            shared["security.processing"] = (
                self.security.processing,
                "processing.mode",
                f"processing.{self.processing.mode}",
            )
        elif self.security.processing is not None:
            shared["security.processing"] = (self.security.processing, "processing.enabled", None)
        for field, (value, source, expected) in shared.items():
            if value != expected:
                raise LayerInputError(
                    f"CloudBlueprint.{field}: {value!r} disagrees with {source} ({expected!r}); the layers read "
                    "what one another make: change them together"
                )
