"""One contact's delivery, from its event to its products, behind a minimal object-store interface.

The two clouds signal a contact differently (docs/processing.md, "In the cloud"):

- AWS Ground Station sends one event per contact naming its contact id; the contact's files
  are under a day's raw prefix with the contact id in their names (the processor's
  `contact_id_pattern`). A contact that ended without a delivery (a failed or cancelled
  contact) sends its state change instead: there is nothing to process.
- A partner writes a manifest last under the contact's own prefix, on both clouds; on Azure
  the Service Bus message is the Event Grid `BlobCreated` event of any completed blob, and
  only the manifest's starts a contact. The prefix's last component names the contact.

All three runtimes (the Lambda handler, the Functions app, the container job) handle a message
through `handle_message`, so they skip, fail and replace products alike.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from groundlink.processing.config import CaptureFormat
from groundlink.processing.layout import FRAMES_PREFIX, hive_values
from groundlink.processing.tables import CONTACT_SUMMARY, FRAME_INDEX

MANIFEST_SUFFIX = "manifest.json"
CAPTURE_SUFFIXES = (".pcap", ".pcapng")
STATION_SOURCE = "aws.groundstation"
# The onboarding details of the mission's captures (spec `processing.capture`), as JSON: the
# fields of CaptureFormat the spec sets. Unset: CaptureFormat's defaults.
CAPTURE_FORMAT = "GROUNDLINK_CAPTURE_FORMAT"
PRODUCT_ROOTS = (FRAMES_PREFIX, FRAME_INDEX.prefix, CONTACT_SUMMARY.prefix)


class ObjectStore(Protocol):
    """The calls the processor's runtime makes on a bucket or a blob container."""

    def keys(self, prefix: str) -> Iterable[str]: ...

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


class NotAContact(ValueError):
    """The message completes no contact (a data blob before its manifest, a contact that ended
    without a delivery): acknowledged, never retried."""


class MissingCaptures(LookupError):
    """A contact's event arrived and none of its capture files are there: data is missing, so the
    message fails and ends in the dead-letter queue (alarmed)."""


class BadMessage(ValueError):
    """The message is not an event at all: it fails, so that it ends in the dead-letter queue
    where someone looks at it."""


def locate(event: Mapping[str, Any], raw_prefix: str = "contacts/") -> ContactLocation:
    """The contact an EventBridge event (AWS) or an Event Grid event (Azure) completes."""
    if event.get("source") == STATION_SOURCE:
        return _station_contact(event, raw_prefix)
    key = _object_key(event)
    if not key.endswith(MANIFEST_SUFFIX):
        raise NotAContact(f"{key} is not a contact manifest")
    prefix = posixpath.dirname(key)
    return ContactLocation((prefix + "/",), posixpath.basename(prefix), named_in_files=False)


def _station_contact(event: Mapping[str, Any], raw_prefix: str) -> ContactLocation:
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        raise BadMessage("a Ground Station event without a detail")
    contact_id = detail.get("contactId")
    if not contact_id:
        raise BadMessage("a Ground Station event without a contactId")
    status = detail.get("contactStatus")
    if status is not None and status != "COMPLETED":  # a contact state change: no delivery follows
        raise NotAContact(f"contact {contact_id} ended {status} without a delivery")
    try:
        when = datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise BadMessage(f"a Ground Station event without a valid time: {event.get('time')!r}") from None
    # The upload completes after the contact; a contact that began before midnight UTC has its
    # files under the day before (or under both), so both days' prefixes are the contact's.
    days = (when - timedelta(days=1), when)
    prefixes = tuple(f"{raw_prefix}year={d.year:04d}/month={d.month:02d}/day={d.day:02d}/" for d in days)
    return ContactLocation(prefixes, str(contact_id).lower())


def _object_key(event: Mapping[str, Any]) -> str:
    detail = event.get("detail")
    if isinstance(detail, Mapping) and isinstance(detail.get("object"), Mapping):  # EventBridge "Object Created"
        return str(detail["object"].get("key", ""))
    subject = str(event.get("subject", ""))  # Event Grid: /blobServices/default/containers/<c>/blobs/<path>
    marker = "/blobs/"
    if marker not in subject:
        raise NotAContact(f"not an object event: {subject or sorted(event)}")
    return subject.split(marker, 1)[1]


def capture_keys(store: ObjectStore, location: ContactLocation) -> list[str]:
    """The contact's capture files under its prefixes, in name order as the processor reads them."""
    keys = {
        k
        for prefix in location.prefixes
        for k in store.keys(prefix)
        if k.lower().endswith(CAPTURE_SUFFIXES) and (not location.named_in_files or location.contact_id in k.lower())
    }
    return sorted(keys)


def capture_format() -> CaptureFormat:
    """The mission's capture format, from the setting the stack gives the runtime."""
    text = os.environ.get(CAPTURE_FORMAT)
    if not text:
        return CaptureFormat()
    fields = json.loads(text)
    for name in ("spacecraft_ids", "udp_ports"):
        if name in fields:
            fields[name] = frozenset(fields[name])
    return CaptureFormat(**fields)


def process_location(
    location: ContactLocation, raw: ObjectStore, products: ObjectStore, workdir: Path, fmt: CaptureFormat | None = None
) -> list[dict[str, Any]]:
    """Fetch the contact's files into `workdir`, process them, upload every product, then delete
    the contact's earlier products that the new ones do not replace; return the contacts'
    summaries. Products are uploaded only after the processor committed them all."""
    keys = capture_keys(raw, location)
    if not keys:
        raise MissingCaptures(f"no capture files of contact {location.contact_id} under {', '.join(location.prefixes)}")
    raw_root = workdir / "raw"
    for key in keys:
        target = raw_root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        raw.download(key, target)
    # numpy, pyarrow and dpkt load here, not when the module is imported: the Pulumi program
    # reads this package's settings (environment names) and must not pay for the processor
    from groundlink.processing.processor import discover, process_contact

    out = workdir / "products"
    fmt = fmt or capture_format()
    summaries = [process_contact(c, out, fmt) for c in discover(raw_root, fmt, contact_id=location.contact_id)]
    uploaded = set()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out)
        if not any(part.startswith(".") for part in relative.parts):  # staging never leaves the machine
            products.upload(path, relative.as_posix())
            uploaded.add(relative.as_posix())
    for stale in earlier_products(products, uploaded):
        products.delete(stale)
    return summaries


def earlier_products(products: ObjectStore, uploaded: set[str]) -> list[str]:
    """Products of the contacts just uploaded that the upload did not overwrite: a stream of a
    virtual channel no longer seen, or every product in another day's partition (the contact's
    first packet dated another day once more files arrived). Left, a query would count the
    contact twice, as `Staging.commit` prevents on a laptop. A contact's files span less than a
    day, so its earlier partition is the day before or after the new one."""
    stale: set[str] = set()
    for key in sorted(k for k in uploaded if k.startswith(CONTACT_SUMMARY.prefix)):
        values = hive_values(Path(key))
        contact_id = posixpath.basename(key).removesuffix(".parquet")
        day = datetime(int(values["year"]), int(values["month"]), int(values["day"]))
        for when in (day - timedelta(days=1), day, day + timedelta(days=1)):
            partition = (
                f"year={when.year:04d}/month={when.month:02d}/day={when.day:02d}/satellite={values['satellite']}"
            )
            for root in PRODUCT_ROOTS:
                mine = (f"{root}{partition}/{contact_id}/", f"{root}{partition}/{contact_id}.parquet")
                stale.update(
                    k
                    for k in products.keys(f"{root}{partition}/{contact_id}")
                    if (k.startswith(mine[0]) or k == mine[1]) and k not in uploaded
                )
    return sorted(stale)


def handle_message(body: str, raw: ObjectStore, products: ObjectStore) -> dict[str, Any]:
    """One queue message, on any runtime: the log record of what became of it. Raises when the
    message should be retried and dead-lettered (a bad message, a contact that failed)."""
    try:
        event = json.loads(body)
    except ValueError as error:
        raise BadMessage(f"not JSON: {error}") from None
    if not isinstance(event, Mapping):
        raise BadMessage(f"not an event object: a JSON {type(event).__name__}")
    try:
        location = locate(event)
    except NotAContact as skipped:  # nothing to process: acknowledged, not retried
        return {"skipped": str(skipped)}
    with tempfile.TemporaryDirectory() as work:
        summaries = process_location(location, raw, products, Path(work))
    return {"processed": location.contact_id, "contacts": [s["contact_id"] for s in summaries]}
