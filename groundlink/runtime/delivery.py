"""One contact's delivery, from its event to its products, behind a minimal object-store interface.

The two clouds signal a contact differently (docs/processing.md, "In the cloud"):

- AWS Ground Station sends one event per contact naming its contact id; the contact's files
  are under a day's raw prefix with the contact id in their names (the processor's
  `contact_id_pattern`). A contact that ended without a delivery (a failed or cancelled
  contact) sends its state change instead: there is nothing to process.
- A partner writes a manifest last under the contact's own prefix, on both clouds; on Azure
  the Service Bus message is the Event Grid `BlobCreated` event of that manifest (the
  subscription passes no other blob). The prefix's last component names the contact.

All three runtimes (the Lambda handler, the Functions app, the container job) handle a message
through `handle_message` (or `handle`, which opens the stores only for a message that names a
contact), so they skip, fail and replace products alike. A failure is one line naming what is
wrong in the cloud's terms (the setting, the message's field, the raw object's key), never a
path of the runtime's scratch directory or a flag of the `groundlink process` command: a store's
SDK or the disk naming a scratch copy is reworded with the object's key (`DeliveryFailed`). Every
message is staged in one fixed scratch directory, emptied before it is used (`scratch`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from groundlink.processing.config import CAPTURE_SUFFIXES, CaptureFormat, name_problem
from groundlink.processing.errors import CaptureError, ProcessingError, escaped, warn
from groundlink.processing.layout import (
    FRAMES_PREFIX,
    STAGING_PREFIX,
    Delivery,
    Partition,
    another_contact,
    another_contact_line,
    hive_values,
    processed_span,
    summary_delivery,
)
from groundlink.processing.tables import CONTACT_SUMMARY, FRAME_INDEX

# A partner writes this object last under a contact's prefix: its creation is the contact's event.
# The events each cloud queues are filtered to this exact name (components/*/events.py), and the
# runtime takes no other object for a manifest (`capture_manifest.json` is a data file).
MANIFEST_NAME = "manifest.json"
STATION_SOURCE = "aws.groundstation"
# The events that end a contact, as each cloud names them; the stack's rules and subscription
# pass only these (components/*/events.py), and the runtime acknowledges any other it is given.
UPLOAD_COMPLETE = "Ground Station S3 Upload Complete"
CONTACT_STATE_CHANGE = "Ground Station Contact State Change"
OBJECT_CREATED = "Object Created"  # an S3 object's EventBridge event
BLOB_CREATED = "Microsoft.Storage.BlobCreated"  # Event Grid's eventType (CloudEvents: type)
# The onboarding details of the mission's captures (spec `processing.capture`), as JSON: the
# fields of CaptureFormat the spec sets. Unset: CaptureFormat's defaults.
CAPTURE_FORMAT = "GROUNDLINK_CAPTURE_FORMAT"
# The satellite names the cloud's catalog projects, comma-separated (set only where the catalog
# reads no other name: AWS's enum projection of a partner's deliveries).
CATALOGED_SATELLITES = "GROUNDLINK_CATALOGED_SATELLITES"
# "true" where some downlink of the mission delivers DigIF samples (set only then): a contact whose
# payload holds no transfer frame is then one of those, not a loss. Elsewhere every contact should
# hold frames, and one that held none (a CADU length or port that is not the mission's) lost them all.
SAMPLES_DELIVERED = "GROUNDLINK_SAMPLES_DELIVERED"
# What the setting may hold: the keys spec `processing.capture` writes (groundlink/spec.py), each
# with the JSON type it takes.
CAPTURE_FORMAT_KEYS = {
    "cadu_length": "an integer",
    "spacecraft_ids": "a list of integers",
    "udp_ports": "a list of integers",
    "pseudo_randomized": "true or false",
}
# The products' roots in upload order: a contact's summary, which says the contact is done, goes
# last, after the frame streams and the frame index it describes.
PRODUCT_ROOTS = (FRAMES_PREFIX, FRAME_INDEX.prefix, CONTACT_SUMMARY.prefix)
# A processed contact's counts in the runtime's log record, as `groundlink process` prints them:
# a contact that lost most of its frames (a gap of 99,990, every frame corrupt) was logged as a
# plain success, the same line as a whole one; its counts are fields a log query can filter on.
LOGGED_COUNTS = (
    "files",
    "frames",
    "ok_frames",
    "duplicate_frames",
    "corrupt_frames",
    "idle_frames",
    "gaps",
    "missing_frames",
    "payload_bytes",
    "repeated_datagrams",
)
# The field of the runtime's log record that the frame-loss alarm reads (components/*/observability.py):
# the largest loss (`loss_percent`) of the message's contacts. A field of its own, not read out of
# `counts`, whose keys are contact ids: a CloudWatch metric filter and a log query both match a
# fixed field.
LOSS_FIELD = "worst_loss_percent"
# How many problems a failure's one line names before it counts the rest.
SHOWN_PROBLEMS = 3
# The runtime's one scratch directory, under the temporary directory (Lambda's /tmp): emptied before
# each message is staged in it. A Lambda invocation that times out or crashes never unwinds, and
# "the Lambda reset does not clear the /tmp directory content prior to the next init phase"
# (Lambda Developer Guide, "Lambda execution environment"): a directory of its own per message
# would leave that contact's files there for every later invocation of the environment.
SCRATCH_NAME = "groundlink-runtime"


class ObjectStore(Protocol):
    """The calls the processor's runtime makes on a bucket or a blob container."""

    def keys(self, prefix: str) -> Iterable[str]: ...

    def versions(self, prefix: str) -> Mapping[str, str]:
        """Each key under `prefix` with a tag that changes whenever its content is written again
        (S3's ETag, Blob Storage's etag)."""
        ...

    def download(self, key: str, path: Path) -> None: ...

    def upload(self, path: Path, key: str) -> None: ...

    def delete(self, key: str) -> None: ...


@dataclass(frozen=True)
class ContactLocation:
    """Where one contact's files are: the captures under `prefixes`, of contact `contact_id`.
    With `named_in_files`, only the files whose names hold the id are the contact's (Ground
    Station writes many contacts into one day's prefix); else every capture under the prefixes
    is (a partner's contact prefix holds one contact)."""

    prefixes: tuple[str, ...]
    contact_id: str
    named_in_files: bool = True
    # its store lists a file being written, at 0 bytes until its last flush (Azure Data Lake,
    # whose `CreateFile` comes before any byte); S3 lists an object only once it is whole
    lists_unwritten: bool = False


class NotAContact(ValueError):
    """The message completes no contact (a data blob before its manifest, a contact that ended
    without a delivery): acknowledged, never retried."""


class MissingCaptures(LookupError):
    """A contact's event arrived and none of its capture files are there: data is missing, so the
    message fails and ends in the dead-letter queue (alarmed)."""


class BadMessage(ValueError):
    """The message is not an event at all, or names a contact no product can be written for: it
    fails, so that it ends in the dead-letter queue where someone looks at it."""


class ContactFailed(RuntimeError):
    """The contact's raw objects cannot be processed (a capture that is not one, objects outside
    a `satellite=` partition): the message fails, is retried, then dead-lettered."""


class DeliveryFailed(RuntimeError):
    """A store's SDK or the local disk failed while a contact was fetched, processed or uploaded
    (a throttled upload, a full disk, too many open files): the error's type and message, with the
    runtime's scratch paths given in the stores' terms. The message is retried, then dead-lettered."""


class SettingError(RuntimeError):
    """A setting the stack gives the runtime is absent or unusable: every message would fail
    alike, so it is named before any message is read or any object fetched."""


def setting(name: str) -> str:
    """The value of the runtime's setting `name` (an environment variable the stack sets)."""
    value = os.environ.get(name, "")
    if not value:
        raise SettingError(f"environment variable {name} is not set; the stack's processor definition sets it")
    return value


def failure_line(error: BaseException) -> str:
    """`error` as the one line a runtime logs for a failed message: the runtime's own failures by
    their message, anything else (a store's SDK error) with its type."""
    known = (BadMessage, MissingCaptures, ContactFailed, DeliveryFailed, SettingError)
    text = str(error) if isinstance(error, known) else f"{type(error).__name__}: {error}"
    # split only where a message's lines are (str.splitlines also breaks at \u2028, \x1c or \x85, which
    # an object key may hold: the line named a key no store has), each line kept whole, escaped
    lines = (escaped(line.strip(" \t\r")) for line in text.split("\n"))
    return "; ".join(line for line in lines if line) or type(error).__name__


def _summarised(problems: list[str]) -> str:
    more = len(problems) - SHOWN_PROBLEMS
    return "; ".join(problems[:SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")


def _brief(body: str) -> str:
    return repr(body if len(body) <= 80 else body[:77] + "...")


# A partner's contact prefix, whose manifest completes it (the raw store's layout, docs/aws.md and
# docs/azure.md; `partner/` is the blueprint's PARTNER_PREFIX, which this package does not import)
PARTNER_CONTACT = re.compile(r"partner/year=[0-9]{4}/month=[0-9]{2}/day=[0-9]{2}/satellite=[^/]+/[^/]+")


def locate(event: Mapping[str, Any], raw_prefix: str = "contacts/") -> ContactLocation:
    """The contact an EventBridge event (AWS) or an Event Grid event (Azure) completes. Raises
    NotAContact for an event that completes none (acknowledged) and BadMessage for one that is
    no contact event at all or names a contact no product can be written for (failed)."""
    kind = event.get("detail-type", event.get("eventType", event.get("type")))
    if event.get("source") == STATION_SOURCE:
        if kind is not None and kind not in (UPLOAD_COMPLETE, CONTACT_STATE_CHANGE):
            raise NotAContact(f"a Ground Station {kind!r} event ends no contact")
        return _station_contact(event, raw_prefix)
    if kind is not None and kind not in (OBJECT_CREATED, BLOB_CREATED):
        raise NotAContact(f"event {kind!r} creates no manifest")
    key = _object_key(event)
    if posixpath.basename(key) != MANIFEST_NAME:
        raise NotAContact(f"{key} is not a contact manifest ({MANIFEST_NAME})")
    prefix = posixpath.dirname(key)
    layout = "partner/year=YYYY/month=MM/day=DD/satellite=<name>/<contact>/manifest.json"
    if not prefix:
        raise BadMessage(f"manifest {key!r} is not under a contact's prefix ({layout})")
    contact_id = posixpath.basename(prefix)
    if problem := name_problem(contact_id):
        raise BadMessage(f"manifest {key!r}: its contact prefix {problem}")
    satellite = hive_values(Path(prefix)).get("satellite")
    if satellite is None:
        raise BadMessage(f"manifest {key!r}: no satellite=<name> in its prefix ({layout})")
    if problem := name_problem(satellite):
        raise BadMessage(f"manifest {key!r}: its satellite {problem}")
    if not PARTNER_CONTACT.fullmatch(prefix):
        # AWS's rule matches `partner/*/manifest.json` only; Azure's subscription every
        # `manifest.json` of the container, and one elsewhere was processed (docs/azure.md)
        raise BadMessage(f"manifest {key!r} is not under a contact's prefix ({layout})")
    in_data_lake = not isinstance(event.get("detail"), Mapping)  # an Event Grid event, not EventBridge's
    return ContactLocation((prefix + "/",), contact_id, named_in_files=False, lists_unwritten=in_data_lake)


def _station_contact(event: Mapping[str, Any], raw_prefix: str) -> ContactLocation:
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise BadMessage("a Ground Station event without a detail object")
    contact_id = detail.get("contactId")
    if not contact_id or not isinstance(contact_id, str):
        raise BadMessage(f"a Ground Station event without a contactId: detail.contactId is {contact_id!r}")
    status = detail.get("contactStatus")
    if status is not None and status != "COMPLETED":  # a contact state change: no delivery follows
        raise NotAContact(f"contact {contact_id} ended {status} without a delivery")
    if problem := name_problem(contact_id.lower()):
        raise BadMessage(f"a Ground Station event whose detail.contactId {problem}")
    try:
        when = datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00"))
        # the raw prefixes are UTC days: a time written with another offset (a hand-sent or
        # redriven event; EventBridge writes Z) named its local day, and missed the contact's files
        when = when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)
        # The upload completes after the contact; a contact that began before midnight UTC has its
        # files under the day before (or under both), so both days' prefixes are the contact's.
        days = (when - timedelta(days=1), when)
    except (KeyError, ValueError, OverflowError):  # OverflowError: a day before 0001-01-01
        raise BadMessage(f"a Ground Station event without a valid time: {event.get('time')!r}") from None
    prefixes = tuple(f"{raw_prefix}year={d.year:04d}/month={d.month:02d}/day={d.day:02d}/" for d in days)
    return ContactLocation(prefixes, contact_id.lower())


def _as_stored(key: str) -> str:
    """An S3 event's key as the object is named. S3's direct notifications URL-encode it ("The
    object key name value is URL encoded": "red flower.jpg" as "red+flower.jpg", `=` as %3D; S3 User
    Guide, "Event message structure"); its EventBridge page does not say whether those events do.
    A key whose contract's `satellite=` came encoded is read decoded; any other key as it comes (a
    key may hold a literal `+` or `%`)."""
    if "satellite=" not in key and "satellite%3d" in key.lower():
        from urllib.parse import unquote_plus

        return unquote_plus(key)
    return key


def _object_key(event: Mapping[str, Any]) -> str:
    detail = event.get("detail")
    if isinstance(detail, Mapping) and isinstance(detail.get("object"), Mapping):  # EventBridge "Object Created"
        key = detail["object"].get("key")
        if not key or not isinstance(key, str):
            raise BadMessage(f"an object event without an object key: detail.object.key is {key!r}")
        return _as_stored(key)
    subject = event.get("subject")  # Event Grid: /blobServices/default/containers/<c>/blobs/<path>
    marker = "/blobs/"
    if isinstance(subject, str) and marker in subject and subject.split(marker, 1)[1]:
        return subject.split(marker, 1)[1]
    if subject is not None:
        raise BadMessage(f"an Event Grid event whose subject names no blob: {subject!r}")
    raise BadMessage(
        "not a contact event: neither a Ground Station event (source aws.groundstation), an S3 Object Created "
        f"event (detail.object.key) nor an Event Grid blob event (subject); its keys: {sorted(event)}"
    )


def capture_keys(store: ObjectStore, location: ContactLocation) -> list[str]:
    """The contact's capture files under its prefixes, in name order as the processor reads them."""
    return contact_objects(store, location)[0]


def _of_contact(location: ContactLocation, key: str) -> bool:
    return not location.named_in_files or location.contact_id in key.lower()


def _is_capture(key: str) -> bool:
    return key.lower().endswith(CAPTURE_SUFFIXES)


def contact_objects(store: ObjectStore, location: ContactLocation) -> tuple[list[str], list[str]]:
    """The contact's capture files, and the other objects of the contact that are no manifest:
    what the processor skips, as `groundlink process` does (in name order, each list)."""
    captures: set[str] = set()
    others: set[str] = set()
    for prefix in location.prefixes:
        for key in store.keys(prefix):
            if not _of_contact(location, key):
                continue
            if _is_capture(key):
                captures.add(key)
            elif posixpath.basename(key) != MANIFEST_NAME:
                others.add(key)
    return sorted(captures), sorted(others)


def capture_versions(store: ObjectStore, location: ContactLocation) -> dict[str, str]:
    """The contact's capture files with their versions (ObjectStore.versions)."""
    return {
        key: version
        for prefix in location.prefixes
        for key, version in store.versions(prefix).items()
        if _of_contact(location, key) and _is_capture(key)
    }


def skipped_objects(others: list[str]) -> str | None:
    """The objects of a contact not named as captures, in words for one line: a partner that
    names its captures `.dat` saw every contact fail with "no capture files" and the files,
    there all along, named nowhere; beside captures, they were dropped without a word."""
    if not others:
        return None
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return (
        f"{len(others):,} object{'s' if len(others) > 1 else ''} not named *.pcap or *.pcapng, skipped (captures are read under "
        f"those names only): {shown}"
    )


def uncataloged_warnings(summaries: list[dict[str, Any]]) -> list[str]:
    """A line for each contact whose satellite partition the catalog does not project
    (CATALOGED_SATELLITES): its products are written, and Athena never lists them. A partner that
    delivers under another spelling (`satellite=SNPP` for `snpp`) lost every contact from the
    catalog in silence, while Azure's views, which read every name, counted them."""
    names = [n for n in os.environ.get(CATALOGED_SATELLITES, "").split(",") if n]
    if not names:
        return []
    return [
        f"groundlink: contact {summary['contact_id']}: satellite={summary['satellite']} is not a satellite the "
        f"AWS catalog projects ({', '.join(names)}): Athena will not see its products; the partner delivers "
        "under the spec's satellites[].name"
        for summary in summaries
        if summary["satellite"] not in names
    ]


def capture_format() -> CaptureFormat:
    """The mission's capture format, from the setting the stack gives the runtime. SettingError,
    naming the setting and what it may hold, when it is not that."""
    text = os.environ.get(CAPTURE_FORMAT)
    if not text:
        return CaptureFormat()
    allowed = ", ".join(f"{key} ({kind})" for key, kind in CAPTURE_FORMAT_KEYS.items())
    try:
        fields = json.loads(text)
    except ValueError as error:
        raise SettingError(f"{CAPTURE_FORMAT} is not JSON ({error}); it holds an object of {allowed}") from None
    if not isinstance(fields, dict):
        raise SettingError(f"{CAPTURE_FORMAT} is a JSON {type(fields).__name__}; it holds an object of {allowed}")
    unknown = sorted(set(fields) - set(CAPTURE_FORMAT_KEYS))
    if unknown:
        raise SettingError(f"{CAPTURE_FORMAT} has unknown keys {', '.join(unknown)}; allowed: {allowed}")

    def integer(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool)

    for name, value in fields.items():
        if name == "pseudo_randomized":
            fits = isinstance(value, bool)
        elif name == "cadu_length":
            fits = integer(value)
        else:
            fits = isinstance(value, list) and all(map(integer, value))
        if not fits:
            # shown as the setting holds it, in JSON (`null`, `"2048"`), not as Python reads it
            raise SettingError(f"{CAPTURE_FORMAT}: {name} is {json.dumps(value)}, not {CAPTURE_FORMAT_KEYS[name]}")
    for name in ("spacecraft_ids", "udp_ports"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    try:
        return CaptureFormat(**fields)
    except ValueError as error:  # "field: why", as the spec's own check words it
        raise SettingError(f"{CAPTURE_FORMAT}: {error}") from None


def _unsafe_segment(key: str) -> str | None:
    """What in an object key would put its copy elsewhere than under the scratch directory's raw
    root, or on another key's copy: a `..` or `.` segment, or an empty one (a leading `/`, `//`);
    or that no file name can hold: a NUL (the copy failed with "embedded null byte", no key named)."""
    if "\x00" in key:
        return "a NUL character"
    for segment in key.split("/"):
        if segment in ("..", "."):
            return f"a {segment!r} path segment"
        if not segment:
            return "an empty path segment (a leading / or //)"
    return None


def _layout_problems(location: ContactLocation, keys: list[str]) -> list[str]:
    """Why the contact's capture objects cannot name its products, in the raw store's terms: the
    processor takes the satellite from the `satellite=` partition of each object's key."""
    problems = []
    if problem := name_problem(location.contact_id):
        problems.append(f"contact id {problem}")
    satellites: dict[str, str] = {}
    for key in keys:
        satellite = hive_values(Path(key)).get("satellite")
        if unsafe := _unsafe_segment(key):
            # a raw object's key is its path in the scratch directory: `..` wrote it outside, where
            # no clean-up reached it and the processor never read it (a partner writes these keys)
            problems.append(f"raw object {key}: its key has {unsafe}, which names no file of the contact")
        elif satellite is None:
            problems.append(f"raw object {key}: no satellite=<name> partition in its key")
        elif problem := name_problem(satellite):
            problems.append(f"raw object {key}: satellite {problem}")
        elif folder := _partition_below(location, key):
            # a downlink's folder named `satellite=noaa20` moved the contact's products to noaa20,
            # though its manifest's satellite had been checked
            problems.append(
                f"raw object {key}: a folder {folder} below its contact's prefix {location.prefixes[0]} (a "
                "downlink's folder takes any name but a partition's: year=, month=, day=, satellite=)"
            )
        else:
            satellites.setdefault(satellite, key)
    if len(satellites) > 1:
        found = ", ".join(f"{sat} ({key})" for sat, key in sorted(satellites.items()))
        problems.append(f"contact {location.contact_id} has capture objects under several satellites: {found}")
    return problems


def _partition_below(location: ContactLocation, key: str) -> str | None:
    """The first partition folder of a partner's capture key below its contact's prefix, or None
    (a Ground Station contact's prefix is the day's, and its keys are the service's): there it
    would name another contact's partition, as the processor reads a capture's path
    (`hive_values`)."""
    if location.named_in_files:
        return None
    below = key[len(location.prefixes[0]) :].split("/")[:-1]
    return next((folder for folder in below if hive_values(Path(folder))), None)


def _in_keys(text: str, workdir: Path) -> str:
    """`text` (a processor's, an SDK's or the disk's error) with the paths of the runtime's scratch
    directory `workdir` in the stores' terms: a fetched copy as its raw object's key, a product as
    its key in the products store, a staged product by its name in the staging directory."""
    # a path may come resolved (/tmp a link); the longer form first, as one may end with the other
    # (/private/tmp/x ends with /tmp/x)
    for root in sorted(dict.fromkeys((workdir, workdir.resolve())), key=lambda r: -len(str(r))):
        raw, out = re.escape(str(root / "raw")), re.escape(str(root / "products"))
        sep, staging = re.escape(os.sep), re.escape(STAGING_PREFIX)
        for pattern, words in (
            (rf"{out}{sep}{staging}[^{sep}'\"\s]*{sep}", "the staged "),
            (rf"{out}{sep}{staging}[^{sep}'\"\s]*", "the contact's staged products"),
            (rf"{raw}{sep}", ""),
            (rf"{out}{sep}", ""),
            (raw, "the contact's scratch copy"),
            (out, "the contact's products"),
            (rf"{re.escape(str(root))}(?:{sep})?", "the runtime's scratch directory"),
        ):
            text = re.sub(pattern, words, text)  # plain words: no group references, no backslashes
    return text


def _upload_order(key: str) -> tuple[int, str]:
    rank = next((n for n, root in enumerate(PRODUCT_ROOTS) if key.startswith(root)), -1)
    return rank, key


def process_location(
    location: ContactLocation, raw: ObjectStore, products: ObjectStore, workdir: Path, fmt: CaptureFormat | None = None
) -> list[dict[str, Any]]:
    """Fetch the contact's files into `workdir`, process them, upload every product, then delete
    the contact's earlier products that the new ones do not replace; return the contacts'
    summaries.

    A capture object of no bytes holds no packet and is left out: AWS's own S3 data delivery
    sample drops "the empty guiding .pcap" of each contact before it reads the rest
    (aws-samples/aws-groundstation-s3-data-delivery, its Lambda's `index.py`). Only when every one
    is empty is the contact's data missing (MissingCaptures).

    Nothing is fetched before the capture format and the objects' keys are checked. Products are
    uploaded only after the processor committed them all, the frame streams first, then the
    frame index, then the contact summary, and earlier products are deleted only after every
    upload succeeded: an attempt that fails part-way never leaves a new summary beside earlier
    data, and leaves every earlier product in place for the retry to replace."""
    fmt = fmt or capture_format()
    keys, others = contact_objects(raw, location)
    skipped = skipped_objects(others)
    if not keys:
        named = f"; {skipped}" if skipped else ""
        raise MissingCaptures(
            f"no capture files of contact {location.contact_id} under {', '.join(location.prefixes)}{named}"
        )
    if skipped:
        warn(f"groundlink: contact {location.contact_id}: {skipped}")
    problems = _layout_problems(location, keys)
    if problems:
        raise ContactFailed(_summarised(problems))
    try:
        return _deliver(location, keys, raw, products, workdir, fmt)
    except (ContactFailed, MissingCaptures, DeliveryFailed):
        raise
    except Exception as error:  # an SDK's or the disk's error names the scratch copies: in keys instead
        raise DeliveryFailed(f"{type(error).__name__}: {_in_keys(str(error), workdir)}") from error


def _deliver(
    location: ContactLocation,
    keys: list[str],
    raw: ObjectStore,
    products: ObjectStore,
    workdir: Path,
    fmt: CaptureFormat,
) -> list[dict[str, Any]]:
    raw_root = workdir / "raw"
    # what this run reads, as listed before it reads it: a capture added or written again under
    # the same name after this (a partner's redelivery) is another run's to process
    seen = {key: version for key, version in capture_versions(raw, location).items() if key in keys}
    empty = []
    for key in keys:
        target = raw_root / key
        if not target.resolve().is_relative_to(raw_root.resolve()):  # `_layout_problems` refused `..` keys
            raise ContactFailed(f"raw object {key}: its key names no file under the contact's scratch copy")
        target.parent.mkdir(parents=True, exist_ok=True)
        with _naming("raw object", key, workdir):
            raw.download(key, target)
        if target.stat().st_size == 0:  # no bytes, no packets: nothing of the contact is in it
            target.unlink()
            empty.append(key)
    if len(empty) == len(keys):
        raise MissingCaptures(
            f"the capture files of contact {location.contact_id} are all empty (0 bytes): {_summarised(empty)}"
        )
    if empty and location.lists_unwritten:
        # On Azure Data Lake a file being written is listed at 0 bytes until its last flush (a
        # `CreateFile` before any byte), so the contact's manifest came early. Left out, its data
        # was missing from the products and nothing said so; the retry reads the file once it is
        # written. On S3 an empty object is whole, and is left out as Ground Station's is.
        raise DeliveryFailed(
            f"contact {location.contact_id} has empty capture files (0 bytes), still being written when its "
            f"manifest came: {_summarised(empty)}; nothing was uploaded, and the retry reads them"
        )
    # numpy, pyarrow and dpkt load here, not when the module is imported: the Pulumi program
    # reads this package's settings (environment names) and must not pay for the processor
    from groundlink.processing.processor import discover, process_contact

    out = workdir / "products"
    try:
        # where a partner's contact was delivered (its prefix) tells it from another of its name;
        # a Ground Station contact's id is its own
        source = None if location.named_in_files else location.prefixes[0]
        contacts = [
            dataclasses.replace(contact, source=source)
            for contact in discover(raw_root, fmt, contact_id=location.contact_id)
        ]
        summaries = [process_contact(c, out, fmt) for c in contacts]
    except ProcessingError as error:
        # each problem escaped: a newline in a partner's file name is part of the key it names
        lines = [escaped(_in_keys(line, workdir)) for line in error.lines]
        raise ContactFailed(f"contact {location.contact_id}: {_summarised(lines)}") from None
    except CaptureError as error:
        raise ContactFailed(f"contact {location.contact_id}: {escaped(_in_keys(str(error), workdir))}") from None
    for line in uncataloged_warnings(summaries):
        warn(line)
    produced = [path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()]
    # staging never leaves the machine
    uploads = sorted((k for k in produced if not any(p.startswith(".") for p in k.split("/"))), key=_upload_order)
    # the contact's products as they are before this run writes any: what another run writes
    # from here on is not this run's to delete
    before = contact_products(products, uploads, keys)
    _still_the_contacts_captures(raw, location, seen, "nothing was uploaded")
    for key in uploads:
        with _naming("product", key, workdir):
            products.upload(out / key, key)
    # again, for files that came while the products went up: the other run may have finished in
    # that time, and what it alone wrote (a stream only the later files hold) is no stale product
    _still_the_contacts_captures(raw, location, seen, "no earlier product was deleted")
    deliveries = {
        c.contact_id: Delivery(c.source, processed_span(s), source_is_delivery=True)
        for c, s in zip(contacts, summaries, strict=True)
    }
    stale = earlier_products(products, set(uploads), keys, deliveries, workdir)
    now = contact_products(products, uploads, keys)
    # a stale product gone since (another run of the contact deleted it a moment before) is no
    # product that run wrote: the run failed on it, naming as written what was no longer there
    stale = [key for key in stale if key in now]
    rewritten = [key for key in stale if now[key] != before.get(key)]
    if rewritten:  # a run of the same contact wrote them after this one began: its products, not stale
        raise DeliveryFailed(
            f"contact {location.contact_id}: another run of it wrote {_summarised(rewritten)} while this one ran; "
            "no earlier product was deleted, and the retry processes every file"
        )
    for key in stale:
        with _naming("earlier product", key, workdir):
            products.delete(key)
    return summaries


@contextlib.contextmanager
def _naming(what: str, key: str, workdir: Path) -> Iterator[None]:
    """A store call's failure as DeliveryFailed naming the object it was about: the SDKs' own
    messages name none (S3's `InvalidObjectState` of an archived capture, a 404 on HeadObject,
    Blob Storage's `BlobNotFound`), and a contact of many files left the operator guessing which
    to restore. A message that names the key already (boto3's upload error) is kept as it is."""
    try:
        yield
    except Exception as error:
        text = f"{type(error).__name__}: {_in_keys(str(error), workdir)}"
        raise DeliveryFailed(text if key in text else f"{what} {key}: {text}") from error


def _still_the_contacts_captures(
    raw: ObjectStore, location: ContactLocation, processed: Mapping[str, str], so_far: str
) -> None:
    """Fail (retried) a run whose contact gained capture files, or had one written again under its
    name, while it was processed (`processed`: the versions it read): a second event of the same
    contact (another dataflow's upload, a manifest written early, a partner's redelivery) may run
    at the same time, and the run that read less must not upload after the one that read it all,
    replacing its products and deleting the streams only the later files hold. Its retry reads
    every file and writes what the other run wrote. `so_far` says what this run left undone."""
    changed = sorted(key for key, version in capture_versions(raw, location).items() if processed.get(key) != version)
    if changed:
        raise DeliveryFailed(
            f"contact {location.contact_id} gained or rewrote capture files while it was processed "
            f"({_summarised(changed)}); {so_far}, and the retry processes them all"
        )


def earlier_products(
    products: ObjectStore,
    uploaded: set[str],
    raw_keys: Iterable[str] = (),
    deliveries: Mapping[str, Delivery] | None = None,
    scratch: Path | None = None,
) -> list[str]:
    """Products of the contacts just uploaded that the upload did not overwrite: a stream of a
    virtual channel no longer seen, or every product in another day's partition. Left, a query
    would count the contact twice, as `Staging.commit` prevents on a laptop. An earlier run dated
    the contact either by its first packet (a contact's files span less than a day, so that is the
    day before, of or after the new one) or, when none of its packets was dated (an empty capture
    that a redelivery then filled), by its raw folders' year=/month=/day=, as `_partition` does:
    those days are searched too, whatever the new date. Another day's products that are
    another contact's under the same name (`another_contact`: delivered under another partner
    prefix, a partner's `pass-1` of the day before; `deliveries`: each contact's just
    processed; the summary fetched into `scratch`) are kept, and said."""
    stale: set[str] = set()
    for contact_id, day, when, partition in _searched_partitions(uploaded, raw_keys):
        new = deliveries.get(contact_id) if deliveries is not None else None
        if when != day and new is not None and new.source is not None and scratch is not None:
            summary = f"{CONTACT_SUMMARY.prefix}{partition}/{contact_id}.parquet"
            earlier = _earlier_delivery(products, summary, scratch)
            why = another_contact(earlier, new) if earlier is not None else None
            if why is not None:
                warn(another_contact_line(contact_id, partition, why))
                continue
        for root in PRODUCT_ROOTS:
            stale.update(
                k for k in products.keys(f"{root}{partition}/{contact_id}") if _mine(k, root, partition, contact_id)
            )
    return sorted(stale - set(uploaded))


def contact_products(products: ObjectStore, uploaded: Iterable[str], raw_keys: Iterable[str]) -> dict[str, str]:
    """Every product, with its version, in the partitions `earlier_products` searches for the
    contacts of `uploaded`: what a run compares before and after its uploads."""
    found: dict[str, str] = {}
    for contact_id, _, _, partition in _searched_partitions(uploaded, raw_keys):
        for root in PRODUCT_ROOTS:
            listed = products.versions(f"{root}{partition}/{contact_id}")
            found.update((k, v) for k, v in listed.items() if _mine(k, root, partition, contact_id))
    return found


def _mine(key: str, root: str, partition: str, contact_id: str) -> bool:
    return key.startswith(f"{root}{partition}/{contact_id}/") or key == f"{root}{partition}/{contact_id}.parquet"


def _searched_partitions(
    uploaded: Iterable[str], raw_keys: Iterable[str]
) -> Iterator[tuple[str, datetime, datetime, str]]:
    """(contact id, its day, a day searched, that day's partition) for each contact summary in
    `uploaded`: the days before, of and after the contact's, and the days its raw folders name."""
    path_days = {day for day in map(_raw_folder_day, raw_keys) if day is not None}
    for key in sorted(k for k in uploaded if k.startswith(CONTACT_SUMMARY.prefix)):
        values = hive_values(Path(key))
        contact_id = posixpath.basename(key).removesuffix(".parquet")
        day = datetime(int(values["year"]), int(values["month"]), int(values["day"]))
        for when in sorted({day - timedelta(days=1), day, day + timedelta(days=1), *path_days}):
            partition = (
                f"year={when.year:04d}/month={when.month:02d}/day={when.day:02d}/satellite={values['satellite']}"
            )
            yield contact_id, day, when, partition


def _earlier_delivery(products: ObjectStore, key: str, scratch: Path) -> Delivery | None:
    """The Delivery an earlier summary in the store records, or None (no summary there)."""
    if key not in set(products.keys(key)):
        return None
    copy = scratch / "earlier" / key
    copy.parent.mkdir(parents=True, exist_ok=True)
    products.download(key, copy)
    return summary_delivery(copy)


def _raw_folder_day(key: str) -> datetime | None:
    """The day a raw key's year=/month=/day= folders name, as the processor dates a contact by
    them (`Partition.of_path`), or None (no such folders, no date)."""
    try:
        partition = Partition.of_path(hive_values(Path(key)), "")
    except (KeyError, ValueError):
        return None
    return datetime(int(partition.year), int(partition.month), int(partition.day))


def read_message(body: str) -> ContactLocation:
    """The contact a queue message's body completes. NotAContact: none (acknowledged);
    BadMessage: the body is no contact event (failed, then dead-lettered)."""
    try:
        event = json.loads(body)
    except ValueError as error:
        raise BadMessage(f"not JSON ({error}): {_brief(body)}") from None
    if isinstance(event, list) and len(event) == 1 and isinstance(event[0], Mapping):
        # Event Grid's dead-letter blob holds the event it could not deliver in a JSON array, its
        # reasons added (Microsoft Learn, "Event Grid message delivery and retry"): the blob sent
        # to the queue as it is replays the contact (docs/azure.md, "Recovering a contact")
        event = event[0]
    elif isinstance(event, list) and event and all(isinstance(e, Mapping) for e in event):
        raise BadMessage(f"{len(event)} events in one message: send each as a message of its own: {_brief(body)}")
    if not isinstance(event, Mapping):
        raise BadMessage(f"not an event object: a JSON {type(event).__name__}: {_brief(body)}")
    return locate(event)


def handle(body: str, open_stores: Callable[[], tuple[ObjectStore, ObjectStore]]) -> dict[str, Any]:
    """One queue message, on any runtime: the log record of what became of it. The capture
    format and the message are checked before `open_stores` gives the raw and products stores,
    so a bad setting or message fails before any client is made. Raises when the message should
    be retried and dead-lettered (a bad setting or message, a contact that failed)."""
    fmt = capture_format()
    try:
        location = read_message(body)
    except NotAContact as skipped:  # nothing to process: acknowledged, not retried
        return {"skipped": str(skipped)}
    raw, products = open_stores()
    with scratch() as work:
        summaries = process_location(location, raw, products, work, fmt)
    samples = samples_delivered()
    return {
        "processed": location.contact_id,
        "contacts": [s["contact_id"] for s in summaries],
        "counts": {s["contact_id"]: {key: s[key] for key in LOGGED_COUNTS} for s in summaries},
        LOSS_FIELD: max((loss_percent(s, samples=samples) for s in summaries), default=0.0),
    }


def mission_settings(capture_format: str, *, samples_delivered: bool) -> dict[str, str]:
    """The mission's settings as each cloud gives them to every runtime of its processor: the
    capture format, and SAMPLES_DELIVERED only where set, so the settings of a mission without
    DigIF are what they were before it existed (an upgrade changes no function's settings)."""
    return {CAPTURE_FORMAT: capture_format, **({SAMPLES_DELIVERED: "true"} if samples_delivered else {})}


def samples_delivered() -> bool:
    """Whether the stack told the runtime that some downlink delivers DigIF samples."""
    return os.environ.get(SAMPLES_DELIVERED, "").strip().lower() == "true"


def loss_threshold(percent: float) -> str:
    """A frame-loss alarm's threshold as the alarm's filter or query writes it, to the thousandth
    `loss_percent` keeps (no exponent: 0.00001 is 0, any loss). Rounded down, not to the nearest:
    a recorded loss is a whole number of thousandths, so "more than 12.3456" is "more than 12.345"
    exactly for every record,
    where rounding wrote 12.346 (a loss of 12.346 not alarmed) and turned 99.9996, which the spec
    takes, into 100, an alarm no loss can raise."""
    from decimal import ROUND_FLOOR, Decimal

    floor = Decimal(repr(float(percent))).quantize(Decimal("0.001"), rounding=ROUND_FLOOR)
    return f"{floor:f}".rstrip("0").rstrip(".")


def loss_percent(summary: Mapping[str, Any], *, samples: bool = False) -> float:
    """Of the data frames a contact should have held, the share lost, in percent to the
    thousandth: the frames missing from their channel's count sequence (where a frame whose
    header could not be read sits too, so a corrupt frame between good ones is counted once, as
    missing) and the corrupt frames before its first readable data frame or after its last (which
    no sequence spans: low elevation at either end of a pass), against the good data frames and
    the lost ones (a duplicate and an idle frame hold no data). A contact of packets none of which
    carried the downlink's payload (every datagram cut by the capture, or on another port) lost
    everything: 100; so did one whose payload held no frame at all (a CADU length, sync marker or
    port that is not the mission's), unless some downlink delivers DigIF (`samples`), whose
    contacts hold samples and never a frame: 0, beside the processor's warning line."""
    lost = int(summary["missing_frames"]) + int(summary["edge_corrupt_frames"])
    expected = int(summary["ok_frames"]) + lost
    if expected:
        return round(100 * lost / expected, 3)
    if not summary.get("packets", 0):
        return 0.0
    if not summary.get("payload_bytes", 0):
        return 100.0
    return 100.0 if not summary.get("frames", 0) and not samples else 0.0


def scratch_dir() -> Path:
    """Where the runtime stages a contact: SCRATCH_NAME under the temporary directory."""
    return Path(tempfile.gettempdir()) / SCRATCH_NAME


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """The runtime's scratch directory, emptied first of whatever an earlier message left (a Lambda
    invocation killed at its timeout unwinds nothing) and again once the message is done. A lock
    beside it, which the kernel drops with the process that held it, keeps a second process of the
    same machine (two jobs run by hand, tests in parallel) from emptying it under a live one."""
    import fcntl  # Linux, as every runtime is; not imported where the Pulumi program reads the settings

    work = scratch_dir()
    try:
        work.parent.mkdir(parents=True, exist_ok=True)
        lock = open(work.with_name(SCRATCH_NAME + ".lock"), "a")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {_in_keys(str(error), work)}") from error
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _empty(work)
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)  # what is left, the next message empties first


def _empty(work: Path) -> None:
    """`work`, made an empty directory; a failure (a file the runtime cannot remove) names no
    scratch path."""
    try:
        if work.is_dir() and not work.is_symlink():
            shutil.rmtree(work)
        elif work.is_symlink() or work.exists():
            work.unlink()
        work.mkdir()
    except OSError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {_in_keys(str(error), work)}") from error


def handle_message(body: str, raw: ObjectStore, products: ObjectStore) -> dict[str, Any]:
    """`handle` with stores already open (the function runtimes make theirs once per instance)."""
    return handle(body, lambda: (raw, products))
