"""Monthly usage derived from the mission spec, with every assumption spelled out.

The quantities here are cloud-neutral (contact minutes, GB landed, objects,
TB scanned, hours); `model.py` prices them per cloud. Each figure that is not
read straight from the spec is listed in `MonthlyUsage.assumptions`, so the
report can print exactly what the estimate rests on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..blueprint import Blueprint, Lifecycle
from ..blueprint.gaps import PARTNER_PRINCIPAL_FIELD
from ..blueprint.tiering import deleted_kept_days, held_tier
from ..clouds import CLOUDS, cloud_title
from ..limits import (
    CAPTURE_HEADER_BYTES,
    DIGIF_GB_PER_MHZ_SECOND,
    INDEX_BYTES_PER_FRAME,
    LAMBDA_EPHEMERAL_STORAGE_MB,
    MINIMUM_STORAGE_DAYS,
    NARROWBAND_MAX_MHZ,
    S3_TRANSITION_MIN_OBJECT_BYTES,
)
from ..rounding import exact_figure, percent
from .storage import (
    HOT,
    Span,
    average_stock,
    by_tier,
    held_spans,
    leaving,
    minimum_charge,
    spans,
    steady_state,
    stock,
)

if TYPE_CHECKING:
    from ..spec import MissionSpec

DAYS_PER_MONTH = 365 / 12
HOURS_PER_MONTH = 730.0  # 365 * 24 / 12, the convention cloud price lists bill by
# The clouds bill calendar months (a budget is judged per calendar month: AWS Budgets
# `TimeUnit` MONTHLY, Azure Consumption budgets `timeGrain` Monthly): a 31-day month holds
# 744 hours and 31 days of contacts, 31/30.42 of the average month. Storage, billed by the
# GB-month (an average over the month's hours: the S3 FAQ example above), is no higher then,
# so each line priced at its quantity times this factor (a free monthly allowance counted once)
# bounds any calendar month's cost from above.
LONGEST_MONTH_DAYS = 31
LONGEST_MONTH_FACTOR = LONGEST_MONTH_DAYS * 24 / HOURS_PER_MONTH
# Both clouds bill storage capacity in binary GB (2^30 bytes) while the volumes here are decimal
# (a data rate in Mbit/s lands 10^6 bits a second): Amazon S3 FAQ, versioning billing example,
# "x (1 GB / 1,073,741,824 bytes) x (1 month / 744 hours) = 6.581 GB-Month"
# (https://aws.amazon.com/s3/faqs/, read 2026-12-04); Microsoft Learn, "Plan and manage costs for
# Azure Blob Storage": "While the line items in your bill will contain GB as a unit of
# measurement, those units are calculated by Azure Blob Storage as binary GB (GiB)"
# (https://learn.microsoft.com/azure/storage/common/storage-plan-manage-costs, read 2026-12-04).
# Data transfer and streaming volumes are left decimal: no source found gives their unit.
BILLED_GB_PER_GB = 1e9 / 2**30
DIGIF_SOURCE = (
    "NOAA-20 DigIF to S3: one 10.5-minute 30 MHz contact = 22 objects, 43.1 GB (community measurement, 2026-08-31)"
)
# The ground segment writes the contact's data as it arrives, one file about every 30 s (AWS
# Ground Station user guide, "Plan your dataflow communication paths": "The pcap files are
# delivered to your Amazon S3 bucket every 30 seconds"; the 10.5-minute contact above wrote 22).
FILE_SECONDS = 30
# ... and starts each dataflow's delivery with an empty guiding .pcap, which AWS's S3 data delivery
# sample drops before it reads the rest ("Remove empty guiding .pcap", aws-samples/
# aws-groundstation-s3-data-delivery, its Lambda's index.py, read 2026-12-04; the processor leaves
# it out too): the 10.5-minute contact above wrote 21 files of 30 s and that one, 22 objects.
GUIDING_FILES_PER_DOWNLINK = 1
FILE_SOURCE = (
    'AWS Ground Station user guide, "Plan your dataflow communication paths" '
    "(https://docs.aws.amazon.com/ground-station/latest/ug/getting-started.step2.html), read 2026-12-01"
)
# Serverless SQL bills at least 10 MB per query on both clouds: Athena (docs/facts.md §6) and Synapse
# serverless SQL (Microsoft Learn, "Cost management for serverless SQL pool in Azure Synapse Analytics",
# https://learn.microsoft.com/azure/synapse-analytics/sql/data-processed, "Rounding": "a minimum of 10 MB
# of data processed per query", read 2026-12-02). One minimum, one function: `billed_sql_tb`.
SQL_MIN_TB_PER_QUERY = 10e6 / 1e12
SQL_MINIMUM_TEXT = "at least 10 MB per query"
# An account with a hierarchical namespace (the Azure stack's ADLS Gen2 account) bills the writes of
# a file per 4 MiB: "When uploading or appending data to existing files [...] the operation gets
# chunked into 4MB pieces. You will be billed for each 4MB chunk", and "For files < 4MB, a full
# transaction will be charged for each file" (Microsoft Q&A 1011055, "Cost of one blob download",
# Microsoft's answer, https://learn.microsoft.com/en-us/answers/questions/1011055/cost-of-one-blob-download,
# read 2026-12-04); 4 MiB is the Data Lake endpoint's block size, not configurable (Microsoft Learn,
# "Plan and manage costs for Azure Blob Storage", MicrosoftDocs/azure-docs commit bfe0152).
ADLS_WRITE_CHUNK_BYTES = 4 * 1024 * 1024
# The processor uploads each product with boto3's upload_file (groundlink/runtime/aws_lambda.py),
# which sends a file of 8 MiB or more as a multipart upload in 8 MiB parts (s3transfer 0.14.0,
# `TransferConfig`: multipart_threshold=8 * MB, multipart_chunksize=8 * MB, MB = 1024 ** 2):
# CreateMultipartUpload, one UploadPart a part and CompleteMultipartUpload, each billed among
# S3's "PUT, COPY, POST, LIST requests" (Amazon S3 pricing).
S3_MULTIPART_BYTES = 8 * 1024 * 1024
# What the processor writes for a contact besides its frame streams: the frame index and the
# contact summary, one Parquet object each (docs/processing.md, "Products and their layout").
PRODUCT_TABLE_OBJECTS = 2


def adls_writes(object_bytes: float) -> int:
    """Write operations an ADLS Gen2 account bills for one object: one per 4 MiB, at least one."""
    return max(math.ceil(object_bytes / ADLS_WRITE_CHUNK_BYTES), 1)


def s3_upload_requests(object_bytes: float) -> int:
    """Requests S3 bills for the processor's upload of one object: boto3's upload_file sends a file
    of S3_MULTIPART_BYTES or more as a multipart upload (create, one part per 8 MiB, complete)."""
    if object_bytes < S3_MULTIPART_BYTES:
        return 1
    return math.ceil(object_bytes / S3_MULTIPART_BYTES) + 2


def untiered_bytes(objects: int, object_bytes: float, last_bytes: float) -> float:
    """Of `objects` objects of `object_bytes`, the last of `last_bytes`, the bytes in those under
    S3's transition minimum (S3_TRANSITION_MIN_OBJECT_BYTES): what S3 keeps in Standard whatever the
    lifecycle says. The one test of an object's size against it (`StoreFlow.held_by` applies it)."""
    if objects <= 0:
        return 0.0
    sizes = [(objects - 1, object_bytes), (1, last_bytes)]
    return sum(count * size for count, size in sizes if size < S3_TRANSITION_MIN_OBJECT_BYTES)


def tiered_objects(objects: int, object_bytes: float, last_bytes: float) -> int:
    """Of the same objects, how many S3 moves on the lifecycle's days: those of 128 KB or more."""
    if objects <= 0:
        return 0
    sizes = [(objects - 1, object_bytes), (1, last_bytes)]
    return sum(count for count, size in sizes if size >= S3_TRANSITION_MIN_OBJECT_BYTES)


def split_objects(total_bytes: float, object_bytes: float) -> tuple[int, float]:
    """`total_bytes` written as objects of `object_bytes`, the last one smaller: how many objects,
    and the last one's size."""
    if total_bytes <= 0:
        return 0, 0.0
    objects = math.ceil(total_bytes / object_bytes)
    return objects, total_bytes - (objects - 1) * object_bytes


def billed_requests(objects: int, object_bytes: float, last_bytes: float, per_object: Callable[[float], int]) -> int:
    """What `per_object` bills for `objects` objects of `object_bytes`, the last of `last_bytes`."""
    if objects <= 0:
        return 0
    return (objects - 1) * per_object(object_bytes) + per_object(last_bytes)


def aws_contact_event(provider: str) -> str:
    """What the AWS stack's EventBridge rule matches once per contact (components/aws/events.py
    contact_event_pattern): Ground Station's own events with a managed ground station, the partner's
    manifest object landing in the raw bucket (S3 Object Created) with a partner network."""
    if provider == "managed":
        return "Ground Station's contact events"
    return "the partner's manifest object, S3 Object Created"


def billed_sql_tb(tb_scanned: float, queries: int) -> float:
    """TB a month's serverless SQL is billed for, on either cloud: what it scans, but at least
    10 MB for each query. (Both clouds also round each query up to a whole MB; the spec gives
    the month's TB, not each query's, so that rounding is not modelled.)"""
    return max(tb_scanned, queries * SQL_MIN_TB_PER_QUERY)


def billed_sql_basis(usage: MonthlyUsage) -> str:
    """How the billed serverless SQL TB were derived, the same words on both clouds."""
    return f"max({exact_figure(usage.query_tb)} TB, {exact_figure(usage.queries)} queries x 10 MB): at least 10 MB billed per query"


@dataclass(frozen=True)
class LinkVolume:
    satellite: str
    downlink: str
    delivery: str
    bandwidth_mhz: float
    data_rate_mbps: float
    gb_per_contact: float
    # the decoded data a demod/decode downlink's captures hold, without their datagrams' headers:
    # the frame streams the processor writes (none from DigIF samples)
    frames_gb_per_contact: float


@dataclass(frozen=True)
class SatelliteContacts:
    satellite: str
    contacts_per_month: float
    billed_minutes_per_contact: int
    wideband: bool

    @property
    def billed_minutes(self) -> float:
        return self.contacts_per_month * self.billed_minutes_per_contact


@dataclass(frozen=True)
class StoreCharge:
    """GB a month is billed for in one tier of one store beyond what the lifecycle holds there:
    deleted data still kept (`days` kept), or data that left before the tier's minimum (`days`
    stayed of `minimum`)."""

    store: str
    tier: str
    gb: float
    gb_per_day: float
    days: float
    minimum: int = 0


@dataclass(frozen=True)
class StoreFlow:
    """One store's landing rate and its lifecycle."""

    store: str
    gb_per_day: float
    spans: tuple[Span, ...]
    noncurrent_days: int = 0  # storage.noncurrent_version_days: how long a deleted object is kept
    # of gb_per_day, the GB a day landing in objects under S3's transition minimum (`untiered_bytes`)
    untiered_gb_per_day: float = 0.0
    # per cloud, the objects landing a day that its lifecycle moves, each once per transition: on
    # AWS those of 128 KB or more (`tiered_objects`), on Azure every blob
    objects_per_day: dict[str, float] = field(default_factory=dict)

    def held_by(self, cloud: str) -> tuple[StoreFlow, ...]:
        """This store as `cloud` holds it. S3 moves no object under 128 KB to another storage class
        (the AWS stack's lifecycle rules state S3's default, transition_default_minimum_object_size
        all_storage_classes_128K), so on AWS the GB in such objects stay in Standard until they
        expire, and are kept there as noncurrent versions: a flow of their own, hot throughout.
        Azure's lifecycle management tiers every blob whatever its size."""
        objects = {cloud: self.objects_per_day.get(cloud, 0.0)}
        if cloud != "aws" or not self.untiered_gb_per_day or all(span.tier == HOT for span in self.spans):
            return (replace(self, objects_per_day=objects),)
        return (
            replace(
                self,
                gb_per_day=self.gb_per_day - self.untiered_gb_per_day,
                untiered_gb_per_day=0.0,
                objects_per_day=objects,
            ),
            StoreFlow(
                f"{self.store} (objects under 128 KB)",
                self.untiered_gb_per_day,
                (Span(HOT, 0.0, self.spans[-1].end_day),),
                self.noncurrent_days,
            ),
        )

    def transitions(self, cloud: str, period: tuple[float, float] | None) -> dict[str, float]:
        """Per tier, the objects a day `cloud`'s lifecycle moves into it (averaged over `period`, days
        of operation, or once steady): an object reaching a held tier's first day moves, once; a step
        into the tier the data is already held in is none (Azure's archive step, held in Cold)."""
        rate = self.objects_per_day.get(cloud, 0.0)
        held = self._held(cloud, kept=False)
        out: dict[str, float] = {}
        for before, span in itertools.pairwise(held):
            out[span.tier] = out.get(span.tier, 0.0) + leaving(rate, before, *(period or (None, None)))
        return out

    def objects_held(self, cloud: str, period: tuple[float, float] | None) -> dict[str, float]:
        """Per tier, the objects `cloud` holds there that its lifecycle moved (average over `period`,
        or once steady), deleted ones still kept (noncurrent versions) included."""
        rate = self.objects_per_day.get(cloud, 0.0)
        return by_tier(
            [
                (s.tier, steady_state(rate, s) if period is None else average_stock(rate, s, *period))
                for s in self._held(cloud, kept=True)
            ]
        )

    def _held(self, cloud: str, kept: bool) -> list[Span]:
        days = deleted_kept_days(cloud, self.noncurrent_days) if kept else 0
        return held_spans(self.spans, lambda tier: held_tier(cloud, tier), days)

    def deleted_kept(self, cloud: str, period: tuple[float, float] | None) -> StoreCharge | None:
        """The data `cloud` still holds after the lifecycle deleted it, in the tier it was deleted
        from (averaged over `period`, days of operation, or once steady)."""
        days = deleted_kept_days(cloud, self.noncurrent_days)
        held = self._held(cloud, kept=False)
        if not held or not days:
            return None
        last = held[-1]
        tail = Span(last.tier, last.end_day, last.end_day + days)
        gb = steady_state(self.gb_per_day, tail) if period is None else average_stock(self.gb_per_day, tail, *period)
        return StoreCharge(self.store, tail.tier, gb, self.gb_per_day, days)

    def early_deletion(self, cloud: str, period: tuple[float, float] | None) -> list[StoreCharge]:
        """Per tier whose data leaves (moved on, or deleted and no longer kept) before the tier's
        minimum storage duration: the GB billed for the rest of the minimum."""
        out = []
        for span in self._held(cloud, kept=True):
            minimum = MINIMUM_STORAGE_DAYS[cloud].get(span.tier, 0)
            if span.days < minimum:
                gb = minimum_charge(self.gb_per_day, span, minimum, *(period or (None, None)))
                out.append(StoreCharge(self.store, span.tier, gb, self.gb_per_day, span.days, minimum))
        return out

    def average(self, start_day: float, end_day: float) -> dict[str, float]:
        return by_tier([(s.tier, average_stock(self.gb_per_day, s, start_day, end_day)) for s in self.spans])

    def at(self, day: float) -> dict[str, float]:
        return by_tier([(s.tier, stock(self.gb_per_day, s, day)) for s in self.spans])

    def steady(self) -> dict[str, float]:
        return by_tier([(s.tier, steady_state(self.gb_per_day, s)) for s in self.spans])


@dataclass(frozen=True)
class MonthlyUsage:
    days_per_month: float
    contacts: tuple[SatelliteContacts, ...]
    links: tuple[LinkVolume, ...]
    contact_seconds: float
    raw_gb: float  # contact data landed in the raw store a month (0 without delivery.object_store)
    # contact data the ground segment delivers a month, as a live stream carries it: the downlinks'
    # data, without the capture files' per-datagram headers (landed in the raw store or not)
    delivered_gb: float
    products_gb: float
    stores: tuple[StoreFlow, ...]
    objects_written: float  # raw files plus product objects, a month (manifests: `written`)
    # the same objects' write operations as an ADLS Gen2 account bills them: one per 4 MiB of each
    adls_object_writes: float
    # and their PUT requests on S3: one a raw file or table, a product's multipart upload's parts
    s3_object_puts: float
    telemetry_gb: float  # contact telemetry a month, where something sends it (`telemetry_gb_on`)
    query_tb: float
    queries: int
    billed_query_tb: float
    egress_gb: float
    # the events AWS's contact rule matches a month, one per contact: Ground Station's own; with a
    # partner, its manifest landing in S3, so none where it delivers no objects (a stream only)
    contact_events: float
    object_size_mb: float | None
    assumptions: tuple[str, ...] = field(default=())

    # per cloud: the manifests a partner network writes a month into that cloud's raw store, one
    # per contact, last (groundlink/runtime/delivery.py); none where a first-party station delivers
    manifests: dict[str, float] = field(default_factory=dict)
    # per cloud: the empty guiding files a first-party station (AWS Ground Station) writes a month,
    # one per downlink of each contact
    guides: dict[str, float] = field(default_factory=dict)
    # the clouds whose stack sends contact telemetry into its stream (`MissionSpec.telemetry_senders`)
    telemetry_sent: frozenset[str] = frozenset()

    @property
    def contacts_per_month(self) -> float:
        return sum(c.contacts_per_month for c in self.contacts)

    def processing_runs(self) -> list[tuple[float, float]]:
        """Each satellite's contacts a month with the raw MB of one of them, its downlinks
        together: what one run of the processor reads (none without an object store)."""
        if not self.raw_gb:
            return []
        mb: dict[str, float] = {}
        for link in self.links:
            mb[link.satellite] = mb.get(link.satellite, 0.0) + link.gb_per_contact * 1000
        return [(c.contacts_per_month, mb.get(c.satellite, 0.0)) for c in self.contacts]

    def written(self, cloud: str) -> float:
        """Objects written a month on `cloud`: raw files, a partner's manifests or a station's
        guiding files, product objects."""
        return self.objects_written + self.manifests.get(cloud, 0.0) + self.guides.get(cloud, 0.0)

    def telemetry_gb_on(self, cloud: str) -> float:
        """Telemetry GB a month into `cloud`'s stream: none where nothing in the stack sends it."""
        return self.telemetry_gb if cloud in self.telemetry_sent else 0.0

    def s3_put_requests(self) -> float:
        """PUT-class requests S3 bills a month for the objects written: one per raw file (the
        ground segment's upload method is not known: a lower bound), the processor's multipart
        uploads of products part by part, one per frame index, contact summary, manifest and guiding
        file."""
        return self.s3_object_puts + self.manifests.get("aws", 0.0) + self.guides.get("aws", 0.0)

    def adls_write_operations(self) -> float:
        """Write operations the Azure account bills a month: one per 4 MiB of each raw file and
        product object, one per manifest (a few hundred bytes)."""
        return self.adls_object_writes + self.manifests.get("azure", 0.0)

    def queue_messages(self, cloud: str) -> tuple[float, str]:
        """Messages the contact queue carries a month, and why: one per event of the cloud's trigger
        (AWS: one per contact event into SQS; Azure: one per contact manifest created into Service
        Bus, the subscription filtered to its name). The queue's requests and the processor's
        invocations are both counted from this one figure."""
        if cloud == "aws":
            return self.contact_events, "one per contact event"
        return self.manifests.get(cloud, 0.0), "one per contact manifest created, BlobCreated"

    def billed_minutes(self, wideband: bool) -> float:
        return sum(c.billed_minutes for c in self.contacts if c.wideband == wideband)

    def flows(self, cloud: str | None = None) -> tuple[StoreFlow, ...]:
        """The stores as `cloud` holds them (`StoreFlow.held_by`), or as the spec's lifecycle
        schedules them (None)."""
        if cloud is None:
            return self.stores
        return tuple(f for s in self.stores for f in s.held_by(cloud))

    def storage_month(self, month: int, cloud: str | None = None) -> dict[str, float]:
        """Average GB per tier over month `month` (1-based) of operation, all stores, as `cloud`
        holds them (None: as the lifecycle schedules them)."""
        start, end = (month - 1) * self.days_per_month, month * self.days_per_month
        return _sum_tiers(s.average(start, end) for s in self.flows(cloud))

    def storage_end_of_month(self, month: int, cloud: str | None = None) -> dict[str, float]:
        return _sum_tiers(s.at(month * self.days_per_month) for s in self.flows(cloud))

    def storage_steady(self, cloud: str | None = None) -> dict[str, float]:
        return _sum_tiers(s.steady() for s in self.flows(cloud))

    def _period(self, month: int | None) -> tuple[float, float] | None:
        return None if month is None else ((month - 1) * self.days_per_month, month * self.days_per_month)

    def transitions(self, cloud: str, month: int | None = None) -> dict[str, float]:
        """Per tier, the objects `cloud`'s lifecycle moves into it in month `month` of operation, or
        in a steady month (None)."""
        moved = _sum_tiers(s.transitions(cloud, self._period(month)) for s in self.flows(cloud))
        return {tier: n * self.days_per_month for tier, n in moved.items()}

    def objects_held(self, cloud: str, month: int | None = None) -> dict[str, float]:
        """Per tier, the moved objects `cloud` holds there, averaged over month `month` of operation
        or once steady (None)."""
        return _sum_tiers(s.objects_held(cloud, self._period(month)) for s in self.flows(cloud))

    def deleted_kept(self, cloud: str, month: int | None = None) -> list[StoreCharge]:
        """Per store, the deleted data `cloud` still holds and bills (noncurrent versions on AWS,
        soft-deleted blobs on Azure), over month `month` of operation or once steady (None)."""
        found = (s.deleted_kept(cloud, self._period(month)) for s in self.flows(cloud))
        return [x for x in found if x is not None]

    def early_deletion(self, cloud: str, month: int | None = None) -> list[StoreCharge]:
        """Per store and tier, the GB `cloud` bills for data leaving before the tier's minimum
        storage duration, over month `month` of operation or once steady (None)."""
        return [x for s in self.flows(cloud) for x in s.early_deletion(cloud, self._period(month))]


def _sum_tiers(parts: Iterable[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for part in parts:
        for tier, gb in part.items():
            total[tier] = total.get(tier, 0.0) + gb
    return total


def _flow(
    store: str,
    gb_per_month: float,
    lifecycle: Lifecycle,
    untiered_gb_per_month: float = 0.0,
    objects_per_month: dict[str, float] | None = None,
) -> StoreFlow:
    return StoreFlow(
        store,
        gb_per_month / DAYS_PER_MONTH,
        tuple(spans(lifecycle.transitions, lifecycle.expire_days)),
        lifecycle.noncurrent_days,
        untiered_gb_per_month / DAYS_PER_MONTH,
        {cloud: n / DAYS_PER_MONTH for cloud, n in (objects_per_month or {}).items()},
    )


def products_source(spec: MissionSpec, links: list[LinkVolume]) -> list[LinkVolume]:
    """The downlinks whose data the processor turns into products: the demod/decode ones (DigIF
    samples hold no frames), and none when processing is off. The products store was priced for
    products_ratio x every downlink's data whether or not anything wrote them."""
    if not _processor_runs(spec):
        return []
    return [link for link in links if link.delivery == "demod_decode"]


def products_gb_per_contact(link: LinkVolume, spec: MissionSpec) -> float:
    """GB of products a contact of `link` writes: `usage.products_ratio` x the GB it lands where the
    spec sets the ratio, else what groundlink's processor writes, the frame streams (the decoded
    data) and their frame index (limits.INDEX_BYTES_PER_FRAME a frame, its sizing bound: 13.7-20.2
    measured). A ratio of 0.2 stood here unsourced; the processor writes about 0.92-0.99 of a
    capture (docs/facts.md)."""
    ratio = spec.usage.products_ratio
    if ratio is not None:
        return link.gb_per_contact * ratio
    return link.frames_gb_per_contact * (1 + INDEX_BYTES_PER_FRAME / spec.processing.capture.cadu_length)


def frame_stream_gb(link: LinkVolume, spec: MissionSpec) -> float:
    """GB of a contact's frame streams alone, the objects the processor uploads beside the frame
    index: the decoded data where the products are the processor's, else the spec's ratio of the
    landed GB (which then stands for every product). The index's bytes were counted inside the
    stream's object too, and its object apart: 138 upload parts where 135 are sent."""
    if spec.usage.products_ratio is not None:
        return products_gb_per_contact(link, spec)
    return link.frames_gb_per_contact


GUIDING_TEXT = (
    " AWS Ground Station also starts each downlink's delivery with an empty guiding .pcap, one more "
    "object (AWS's S3 data delivery sample drops it)."
)


def _unadmitted(blueprint: Blueprint) -> str:
    """Where a partner delivers but the spec names no identity for it to write with (the plan's
    gap ground.delivery_identity): that cloud's delivery figures are what it costs once named."""
    clouds = [
        cloud
        for cloud in CLOUDS
        if any(cap == "ground.delivery_identity" for cap, _ in blueprint.for_cloud(cloud).gaps)
    ]
    if not clouds or not blueprint.spec.delivery.object_store:
        return ""
    fields = " and ".join(PARTNER_PRINCIPAL_FIELD[cloud] for cloud in clouds)
    return (
        f" The {' and '.join(cloud_title(cloud) for cloud in clouds)} delivery figures assume a partner that "
        f"delivers, which it cannot until {fields} {'is' if len(clouds) == 1 else 'are'} set (the plan "
        "declares the gap)."
    )


# Both AWS telemetry services bill a record's size rounded up, which the spec's rate (bytes, not
# records) cannot give: the lines bill the bytes alone, and the report says they are lower bounds.
TELEMETRY_RECORDS_TEXT = (
    "Kinesis on demand and Firehose bill each record rounded up, to 1 KB and to 5 KB (Amazon Kinesis Data "
    'Streams pricing, "multiplied by the size of each record rounded up to the nearest 1 KB (1,024 bytes)", '
    'https://aws.amazon.com/kinesis/data-streams/pricing/; Amazon Data Firehose pricing, "billed per GB '
    'ingested in 5KB increments (a 3KB record is billed as 5KB ...)", https://aws.amazon.com/firehose/pricing/; '
    "read 2026-12-07); the telemetry's record size is not known, so those two lines bill its bytes alone and "
    "are lower bounds."
)


def _telemetry_text(spec: MissionSpec) -> str:
    """The telemetry assumption, for the clouds whose stack has a sender (`MissionSpec.telemetry_senders`)."""
    rate = f"{exact_figure(spec.usage.telemetry_kb_per_second)} KB/s"
    if not spec.analytics.telemetry_stream:
        return "No telemetry stream (analytics.telemetry_stream: false)."
    if "aws" in spec.telemetry_senders():
        return f"Telemetry flows at {rate} while in contact (usage.telemetry_kb_per_second). {TELEMETRY_RECORDS_TEXT}"
    return (
        "No telemetry data is priced: with provider: partner nothing in the AWS stack sends contact telemetry "
        f"to its stream (AWS Ground Station's sink streams only its own contacts), so the {rate} of "
        "usage.telemetry_kb_per_second is not used; the stream itself is priced."
    )


def _manifested(blueprint: Blueprint, cloud: str) -> bool:
    """A partner's delivery lands in `cloud`'s raw store, each contact ending in its manifest."""
    return blueprint.spec.delivery.object_store and blueprint.for_cloud(cloud).ground.landing


def _guided(spec: MissionSpec) -> bool:
    """AWS Ground Station delivers into S3, each downlink's delivery starting with a guiding .pcap."""
    return spec.delivery.object_store and spec.ground_segment.provider == "managed"


def s3_put_objects(blueprint: Blueprint) -> str:
    """The objects of this spec that S3 bills one PUT each, in words: a partner's manifests and
    AWS Ground Station's guiding files only where each delivers, the tables where the processor runs."""
    spec = blueprint.spec
    kinds = ["raw file"] if spec.delivery.object_store else []
    kinds += ["manifest"] if _manifested(blueprint, "aws") else []
    kinds += ["guiding file"] if _guided(spec) else []
    kinds += ["frame index", "contact summary"] if _processor_runs(spec) else []
    return ", ".join(kinds[:-1]) + f" and {kinds[-1]}" if len(kinds) > 1 else "".join(kinds) or "nothing"


def _processor_runs(spec: MissionSpec) -> bool:
    """The cloud processor runs: processing is on and contacts land as objects it reads."""
    return spec.processing.enabled and spec.delivery.object_store


def s3_put_basis(blueprint: Blueprint) -> str:
    """How S3's PUT requests are counted, in words: one per object written, and the processor's
    multipart uploads only where it runs; none where nothing is written as an object."""
    if not blueprint.spec.delivery.object_store:
        return "none: no contact is delivered or processed as objects (delivery.object_store: false)"
    text = f"one per {s3_put_objects(blueprint)} (raw files: a lower bound, their upload method not known)"
    if _processor_runs(blueprint.spec):
        text += ", and for each frame-stream object the processor's upload: one request under 8 MiB, else one per 8 MiB part plus two"
    return text


def _products_basis(spec: MissionSpec) -> str:
    """What products_ratio multiplies, in words, as `products_source` decides it."""
    if not _processor_runs(spec):
        return "nothing: processing is off, so nothing writes products"
    return (
        "data landed by the demod/decode downlinks, the only data with frames (the processor reads every "
        "downlink's files, and its compute counts them all; DigIF samples hold no frames)"
    )


def _products_text(spec: MissionSpec) -> str:
    """How the products' GB are reckoned: the spec's ratio, or what the processor writes."""
    if not _processor_runs(spec):
        return "No products are written: nothing processes the contacts (processing.enabled, delivery.object_store)."
    ratio = spec.usage.products_ratio
    kept = "kept on the same tier schedule with products_retention_days."
    if ratio is not None:
        return f"Products written = {exact_figure(ratio)} x {_products_basis(spec)} (usage.products_ratio), {kept}"
    cadu = spec.processing.capture.cadu_length
    return (
        "Products written = what groundlink's processor writes (usage.products_ratio unset): frame streams as large "
        f"as the data the demod/decode downlinks decode (data_rate_mbps x contact seconds / 8, without the "
        f"datagrams' headers) and a frame index of at most {INDEX_BYTES_PER_FRAME} bytes a frame of {cadu:,} bytes "
        f"(processing.capture.cadu_length): x {exact_figure(1 + INDEX_BYTES_PER_FRAME / cadu)}; none from DigIF "
        f"samples, which hold no frames; {kept}"
    )


def _sql_text(spec: MissionSpec) -> str:
    """What the serverless SQL lines rest on, for the engines this spec has: Athena on AWS, and on
    Azure Synapse serverless SQL, or Data Explorer, whose cluster is priced by the month instead."""
    use = spec.usage
    if not spec.analytics.serverless_sql:
        return "No serverless SQL (analytics.serverless_sql: false): no query is priced."
    engines = "Athena" if spec.analytics.azure_engine == "adx" else "Athena and Synapse serverless SQL"
    adx = "; Azure's queries run on Data Explorer, whose cluster is priced by the month" if engines == "Athena" else ""
    return (
        f"Serverless SQL scans {exact_figure(use.query_tb_scanned_per_month)} TB/month in "
        f"{exact_figure(use.queries_per_month)} queries "
        f"(usage.*); {engines} {'bills' if adx else 'bill'} {SQL_MINIMUM_TEXT}{adx}."
    )


def _jobs(spec: MissionSpec) -> bool:
    return spec.processing.mode == "container_job"


def _unpriced_runtime(spec: MissionSpec) -> str:
    """What the processor's runtime costs beyond its compute and goes unpriced, in its mode's words:
    a container job has no Lambda ephemeral storage, and its pipe's requests have no catalog price."""
    if _jobs(spec):
        return (
            ", the EventBridge Pipes requests that submit each AWS container job, and the public IPv4 address "
            "each of its Fargate tasks holds while it runs (its subnet is public, for outbound HTTPS; no sourced "
            "price for either is in the catalog)"
        )
    return (
        " and a Lambda function's ephemeral storage above the 512 MB included (the processor is given "
        f"{LAMBDA_EPHEMERAL_STORAGE_MB:,} MB; no sourced price for it is in the catalog)"
    )


def _event_hubs(spec: MissionSpec) -> bool:
    """Whether the Azure stack has Event Hubs: the telemetry hub, or a partner's live delivery into
    a hub (a managed station streams on AWS only)."""
    return spec.analytics.telemetry_stream or spec.hub_streams()


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + f" and {items[-1]}" if len(items) > 1 else "".join(items)


def _engine_reads(spec: MissionSpec) -> list[str]:
    """The query engines' reads of the stores they scan (usage.query_tb_scanned_per_month): priced
    per TB or per cluster, each engine also makes the store's read requests, which no line bills."""
    analytics = spec.analytics
    if not spec.usage.query_tb_scanned_per_month:
        return []
    reads = ["Athena's S3 GET requests"] if analytics.serverless_sql else []
    if analytics.azure_engine == "adx" and analytics.catalog:  # external tables over the products container
        reads.append("Data Explorer's blob read operations")
    elif analytics.azure_engine == "synapse" and analytics.serverless_sql:
        reads.append("Synapse serverless SQL's blob read operations")
    return [f"the query engines' reads of the stores they scan ({_listed(reads)})"] if reads else []


def _unpriced_objects(spec: MissionSpec) -> str:
    """The requests and objects of the stack's own services that go unpriced, for the services it has."""
    items = []
    if spec.analytics.telemetry_stream:
        items.append("the files the telemetry archive writes (Firehose, Event Hubs Capture)")
    if spec.analytics.serverless_sql:
        items.append("Athena's query-result objects")
    items += _engine_reads(spec)
    if spec.analytics.telemetry_stream:
        items.append("Firehose's reads of an on-demand Kinesis stream")
    if _processor_runs(spec):
        items.append(f"{_poller(spec)}'s polling of an empty queue")
    return f" Nor are {_listed(items)}." if items else ""


def _unpriced_services(spec: MissionSpec) -> str:
    """What the stacks have that no catalog price covers, for the services the spec's stacks have."""
    items = ["Budgets", "logs"]
    if spec.analytics.catalog:
        items.append("catalogs' own storage")
    if spec.security.customer_managed_keys:
        items += ["the key versions automatic key rotation adds", "Key Vault's charge for each automatic rotation"]
    if _event_hubs(spec) and not spec.security.premium_messaging:  # Premium's unit includes its ingress
        items.append("Event Hubs Standard ingress events")
    return f"{_listed(items)} are not priced (not in the price catalog)."


def _contact_events_text(spec: MissionSpec) -> str:
    """When each cloud's contact trigger fires, in words: AWS Ground Station's own contact events,
    or a manifest landing in the raw store, which nothing writes without object delivery."""
    provider, objects = spec.ground_segment.provider, spec.delivery.object_store
    aws = (
        f"on AWS, EventBridge fires once per contact ({aws_contact_event(provider)})"
        if provider == "managed" or objects
        else "on AWS, no contact event fires (the partner delivers no objects, so no manifest lands)"
    )
    azure = (
        "on Azure, Event Grid fires once per contact manifest created (BlobCreated, its subscription filtered to "
        "the manifest's name)"
        if objects
        else "on Azure, none fires (no manifest lands)"
    )
    return f"{aws}; {azure}"


def _poller(spec: MissionSpec) -> str:
    """What polls the AWS contact queue: the Lambda event source mapping, or the job mode's pipe."""
    return "the EventBridge pipe" if _jobs(spec) else "Lambda"


def _run_per_message(spec: MissionSpec) -> str:
    if not _processor_runs(spec):
        return "no processor run: none is deployed (processing.enabled, delivery.object_store)"
    return (
        "one container job per message delivered" if _jobs(spec) else "one processor invocation per message delivered"
    )


def _untiered_text(blueprint: Blueprint, untiered: list[tuple[str, float]]) -> list[str]:
    """What the AWS storage lines price in S3 Standard whatever the lifecycle says: the objects under
    128 KB (`untiered`: each kind, e.g. "the raw files of noaa20/hrd", with its size in bytes)."""
    lifecycles = [blueprint.products_lifecycle] + (
        [blueprint.raw_lifecycle] if blueprint.spec.delivery.object_store else []
    )
    if not untiered or not any(lifecycle.transitions for lifecycle in lifecycles):
        return []
    named = ", ".join(f"{kind} (about {size / 1000:,.0f} KB)" for kind, size in untiered)
    return [
        "S3 moves no object under 128 KB out of S3 Standard (the AWS stack's lifecycle rules state S3's default, "
        f"transition_default_minimum_object_size all_storage_classes_128K): on AWS {named} stay in Standard "
        "until they expire, and the storage lines price them there. Azure's lifecycle management tiers every "
        "blob whatever its size."
    ]


def product_objects(total_bytes: float, object_size_mb: float | None) -> tuple[int, float, float]:
    """A downlink's products of a contact as objects: (how many, their size, the last one's size).
    Without `assumptions.object_size_mb`, as groundlink's processor writes them: one frame stream
    per virtual channel, whatever its size, counted as one (the spec does not say how many virtual
    channels a downlink carries: a lower bound); with it, objects of that size, the last smaller."""
    if total_bytes <= 0:
        return 0, 0.0, 0.0
    if object_size_mb is None:
        return 1, total_bytes, total_bytes
    objects, last = split_objects(total_bytes, object_size_mb * 1e6)
    return objects, object_size_mb * 1e6, last


def _product_objects_text(object_size_mb: float | None) -> str:
    tables = "and each processed contact also writes its frame index and contact summary, one object each. "
    if object_size_mb is None:
        return (
            "A contact's frame streams are written as groundlink's processor writes them, one object per virtual "
            "channel whatever its size, counted as one per downlink (a lower bound: the spec does not say how many "
            f"virtual channels a downlink carries; assumptions.object_size_mb splits them instead), {tables}"
        )
    return (
        f"A contact's frame streams are written in objects of at most {exact_figure(object_size_mb)} MB "
        f"(assumptions.object_size_mb), {tables}"
    )


def monthly_usage(blueprint: Blueprint, object_size_mb: float | None) -> MonthlyUsage:
    spec = blueprint.spec
    gs, use = spec.ground_segment, spec.usage
    contacts_per_month = gs.contacts_per_day * DAYS_PER_MONTH
    billed = math.ceil(gs.contact_minutes)
    seconds_per_contact = gs.contact_minutes * 60

    links, contacts = [], []
    for sat in spec.satellites:
        contacts.append(
            SatelliteContacts(
                sat.name, contacts_per_month, billed, any(d.bandwidth_mhz > NARROWBAND_MAX_MHZ for d in sat.downlinks)
            )
        )
        for d in sat.downlinks:
            links.append(
                LinkVolume(
                    sat.name,
                    d.name,
                    d.delivery,
                    d.bandwidth_mhz,
                    d.data_rate_mbps,
                    d.capture_gb(seconds_per_contact, spec.processing.capture.datagram_payload_bytes),
                    d.gb_in(seconds_per_contact) if d.delivery == "demod_decode" else 0.0,
                )
            )

    landed_gb = sum(link.gb_per_contact for link in links) * contacts_per_month
    # a live stream carries the downlinks' data, not capture files with their record headers
    streamed_gb = (
        sum(d.gb_in(seconds_per_contact) for sat in spec.satellites for d in sat.downlinks) * contacts_per_month
    )
    raw_gb = landed_gb if spec.delivery.object_store else 0.0
    feeding = products_source(spec, links)
    products_gb = sum(products_gb_per_contact(link, spec) for link in feeding) * contacts_per_month
    files_per_downlink = math.ceil(seconds_per_contact / FILE_SECONDS) if spec.delivery.object_store else 0
    # one contact of each satellite: `contacts_per_month` counts each satellite's contacts
    raw_files_per_contact = len(links) * files_per_downlink
    by_satellite = sorted({len(sat.downlinks) * files_per_downlink for sat in spec.satellites})
    files_text = (
        f"{by_satellite[0]}" if len(by_satellite) == 1 else f"{by_satellite[0]}-{by_satellite[-1]} (by satellite)"
    )
    # per contact of each satellite, as `raw_files_per_contact`: each downlink's files of 30 s of
    # its data, the last one shorter when the contact is not a whole number of them
    raw_files = [
        (
            link,
            link.gb_per_contact * 1e9 * FILE_SECONDS / seconds_per_contact,
            link.gb_per_contact * 1e9 * (1 - (files_per_downlink - 1) * FILE_SECONDS / seconds_per_contact),
        )
        for link in links
        if files_per_downlink
    ]
    raw_writes = sum(billed_requests(files_per_downlink, size, last, adls_writes) for _, size, last in raw_files)
    # per contact of each feeding downlink: (objects, their size, the last one's size) of its frame
    # streams; the frame index is an object of its own (`tables`), its bytes in products_gb only
    products = [product_objects(frame_stream_gb(link, spec) * 1e9, object_size_mb) for link in feeding]
    # per contact of each satellite, the bytes in objects S3 keeps in Standard (under 128 KB); the
    # frame index and contact summary are judged with the frame streams (the index's bytes, in the
    # products' GB where the processor's products are priced, move with them; the summary's size
    # is not modelled)
    raw_untiered = sum(untiered_bytes(files_per_downlink, size, last) for _, size, last in raw_files)
    products_untiered = sum(untiered_bytes(n, size, last) for n, size, last in products)
    untiered = [
        (f"the raw files of {link.satellite}/{link.downlink}", size if files_per_downlink > 1 else last)
        for link, size, last in raw_files
        if (size if files_per_downlink > 1 else last) < S3_TRANSITION_MIN_OBJECT_BYTES
    ]
    if object_size_mb is not None:
        if products_untiered and object_size_mb * 1e6 < S3_TRANSITION_MIN_OBJECT_BYTES:
            untiered.append(("the product objects", object_size_mb * 1e6))
    else:
        untiered += [
            (f"the frame stream of {link.satellite}/{link.downlink}", last)
            for link, (n, _, last) in zip(feeding, products, strict=True)
            if n and last < S3_TRANSITION_MIN_OBJECT_BYTES
        ]
    # and one frame index and one contact summary per processed contact, of every satellite: a
    # contact without frames (DigIF only) still gets them, empty (docs/processing.md)
    tables = PRODUCT_TABLE_OBJECTS * len(spec.satellites) if _processor_runs(spec) else 0
    products_per_contact = sum(objects for objects, _, _ in products) + tables
    product_writes = sum(billed_requests(n, size, last, adls_writes) for n, size, last in products)
    product_puts = sum(billed_requests(n, size, last, s3_upload_requests) for n, size, last in products)
    contact_seconds = seconds_per_contact * contacts_per_month * len(spec.satellites)
    # contact telemetry where something sends it: a partner network sends none
    telemetry_gb = use.telemetry_kb_per_second * contact_seconds / 1e6 if spec.telemetry_senders() else 0.0
    billed_query_tb = billed_sql_tb(use.query_tb_scanned_per_month, use.queries_per_month)

    # the objects each cloud's lifecycle moves a month: on AWS the raw files and product objects of
    # 128 KB or more (the frame index, contact summary, manifests and guiding files are counted as
    # smaller, their size not modelled); on Azure every blob, the frame index, contact summary and a
    # partner's manifests too
    raw_moved = {
        "aws": sum(tiered_objects(files_per_downlink, size, last) for _, size, last in raw_files) * contacts_per_month,
        "azure": raw_files_per_contact * contacts_per_month
        + (contacts_per_month * len(spec.satellites) if _manifested(blueprint, "azure") else 0.0),
    }
    products_moved = {
        "aws": sum(tiered_objects(n, size, last) for n, size, last in products) * contacts_per_month,
        "azure": products_per_contact * contacts_per_month,
    }
    stores = [
        _flow(
            "products",
            products_gb,
            blueprint.products_lifecycle,
            products_untiered * contacts_per_month / 1e9,
            products_moved,
        )
    ]
    if raw_gb:
        stores.insert(
            0, _flow("raw", raw_gb, blueprint.raw_lifecycle, raw_untiered * contacts_per_month / 1e9, raw_moved)
        )

    assumptions = [
        f"A month is 365/12 = {DAYS_PER_MONTH:.2f} days and {HOURS_PER_MONTH:g} hours.",
        f"{exact_figure(gs.contacts_per_day)} contacts/day per satellite x {len(spec.satellites)} satellite(s), "
        f"{exact_figure(gs.contact_minutes)} min each (ground_segment.contacts_per_day, contact_minutes).",
        f"Contact minutes are billed per contact rounded up to whole minutes: {billed} min per contact; "
        "one contact per satellite pass receives all its downlinks.",
        f"A satellite's contacts are billed wideband when any of its downlinks is wider than "
        f"{NARROWBAND_MAX_MHZ:g} MHz, narrowband otherwise."
        + (
            f" AWS Ground Station prices Dubbo 1 above its other sites: {percent(gs.dubbo_minutes_share)} of the "
            "minutes are taken there (ground_segment.dubbo_minutes_share); the sites are the ones the contacts are "
            "reserved at, not the stack's region."
            if gs.provider == "managed"
            else ""
        ),
        "Data per contact: demod/decode lands its captures, data_rate_mbps x contact seconds / 8 x (1 + "
        f"{CAPTURE_HEADER_BYTES} / {spec.processing.capture.datagram_payload_bytes}) (the downlink's bits and each "
        f"datagram's headers, up to {CAPTURE_HEADER_BYTES} bytes beside its payload: "
        "processing.capture.datagram_payload_bytes, which onboarding decides; a live stream carries the bits "
        "alone); DigIF lands digif_mbps x "
        "contact seconds / 8 where the downlink gives it, else the sampled bandwidth, "
        f"{DIGIF_GB_PER_MHZ_SECOND * 1000:.4f} MB per second per MHz of bandwidth_mhz ({DIGIF_SOURCE}).",
        _products_text(spec),
        "Storage is billed on the average GB held during each month, plus the deleted data each cloud still "
        "keeps at its tier's rate (AWS noncurrent versions, Azure soft-deleted blobs, for "
        "storage.noncurrent_version_days; Azure at most 365), plus, for data that leaves a tier before the "
        "tier's minimum storage duration (cool 30, cold 90, archive 180 days on both clouds), the rest of "
        "that minimum. Each object the lifecycle moves bills its move: on AWS a transition request into each "
        "storage class for each object of 128 KB or more, on Azure a write operation at the destination tier "
        "for every blob; and on AWS each object held in Glacier Flexible Retrieval or Deep Archive bills 40 KB "
        "more, 32 KB at that class's rate and 8 KB at S3 Standard's. Retrievals are not modelled.",
        "Volumes here are decimal (1 GB = 10^9 bytes); both clouds bill storage capacity in binary GB "
        "(2^30 bytes), so each capacity line is the GB held x 0.9313. Data transfer and stream volumes stay "
        "decimal: no source found gives their unit.",
        "Each price is its catalog entry's, for the whole quantity: where a service prices in volume tiers "
        "(S3 Standard's first 50 TB) the catalog's tier is applied throughout, and cheaper tiers above it "
        "are not modelled."
        + (
            " Not priced either: the processor's reads (S3 GET requests, blob read operations)"
            f"{_unpriced_runtime(spec)}. Processing compute "
            "covers the processing alone: the time a run spends downloading the contact and uploading its "
            "products is not in it (no source gives those rates), so its figures are lower bounds, on both "
            "clouds."
            if _processor_runs(spec)
            else ""
        )
        + _unpriced_objects(spec),
        (
            f"The ground segment writes one raw file per downlink about every {FILE_SECONDS} s of contact "
            f"({FILE_SOURCE}): {files_text} raw files per contact; the same cadence is assumed for a "
            f"partner's delivery.{GUIDING_TEXT if _guided(spec) else ''} "
            if spec.delivery.object_store
            else ""
        )
        + (_product_objects_text(object_size_mb) if _processor_runs(spec) else "")
        + f"S3 PUT requests on AWS: {s3_put_basis(blueprint)}; Azure's ADLS Gen2 "
        "account bills a file's writes per 4 MiB, so one write operation per 4 MiB of each object, at least "
        "one" + (" (the frame index and contact summary counted as one each)." if _processor_runs(spec) else "."),
        (
            "A partner network also writes one manifest per contact, last, into the raw store (the AWS stack "
            f"with provider: partner; the Azure stack always, as it has no ground station of its own).{_unadmitted(blueprint)}"
            if spec.delivery.object_store
            else "Nothing is delivered as objects (delivery.object_store: false): no raw file, and no manifest a "
            "partner network would write last."
        ),
        *(
            ["One key request per object written (an upper bound: S3 Bucket Keys and Azure's key caching cut it)."]
            if spec.security.customer_managed_keys
            else []
        ),
        *_untiered_text(blueprint, untiered),
        _sql_text(spec),
        f"Processing events follow each cloud's trigger: {_contact_events_text(spec)}. Event Grid counts an "
        "ingress operation for every "
        "blob the account creates (raw and products) and a delivery per manifest. Three queue requests (send, "
        f"receive, delete/complete) per processing event, and {_run_per_message(spec)}.",
        _telemetry_text(spec),
        f"Egress {exact_figure(use.egress_gb_per_month)} GB/month (usage.egress_gb_per_month).",
        _unpriced_services(spec),
        "A price's free monthly allowance (a line's freePerMonth in compare.json) belongs to the whole account "
        "or subscription: it is applied as if this stack were its only user.",
    ]
    return MonthlyUsage(
        days_per_month=DAYS_PER_MONTH,
        contacts=tuple(contacts),
        links=tuple(links),
        contact_seconds=contact_seconds,
        raw_gb=raw_gb,
        delivered_gb=streamed_gb,
        products_gb=products_gb,
        stores=tuple(stores),
        objects_written=(raw_files_per_contact + products_per_contact) * contacts_per_month,
        adls_object_writes=(raw_writes + product_writes + tables) * contacts_per_month,
        s3_object_puts=(raw_files_per_contact + product_puts + tables) * contacts_per_month,
        telemetry_gb=telemetry_gb,
        query_tb=use.query_tb_scanned_per_month,
        queries=use.queries_per_month,
        billed_query_tb=billed_query_tb,
        egress_gb=use.egress_gb_per_month,
        contact_events=(
            contacts_per_month * len(spec.satellites)
            if spec.ground_segment.provider == "managed" or _manifested(blueprint, "aws")
            else 0.0
        ),
        manifests={
            cloud: contacts_per_month * len(spec.satellites) for cloud in CLOUDS if _manifested(blueprint, cloud)
        },
        guides=({"aws": contacts_per_month * len(links) * GUIDING_FILES_PER_DOWNLINK} if _guided(spec) else {}),
        object_size_mb=object_size_mb,
        assumptions=tuple(assumptions),
        telemetry_sent=spec.telemetry_senders(),
    )
