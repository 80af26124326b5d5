"""One contact's delivery, from its event to its products, behind a minimal object-store interface.

The two clouds signal a contact differently (docs/processing.md, "In the cloud"):

- AWS Ground Station sends one event per contact naming its contact id; the contact's files
  are under the day's raw prefix with the contact id in their names (the processor's
  `contact_id_pattern`).
- A partner writes a manifest last under the contact's own prefix, on both clouds; on Azure
  the Service Bus message is the Event Grid `BlobCreated` event of any completed blob, and
  only the manifest's starts a contact.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from groundlink.processing.config import CaptureFormat

MANIFEST_SUFFIX = "manifest.json"
CAPTURE_SUFFIXES = (".pcap", ".pcapng")
STATION_SOURCE = "aws.groundstation"


class ObjectStore(Protocol):
    """The three calls the processor's runtime makes on a bucket or a blob container."""

    def keys(self, prefix: str) -> Iterable[str]: ...

    def download(self, key: str, path: Path) -> None: ...

    def upload(self, path: Path, key: str) -> None: ...


@dataclass(frozen=True)
class ContactLocation:
    """Where one contact's files are: every capture under `prefix` (whose names hold
    `contact_id` when it is given)."""

    prefix: str
    contact_id: str | None = None


class NotAContact(ValueError):
    """The event is not the one that completes a contact (e.g. a data blob before its manifest)."""


def locate(event: Mapping[str, Any], raw_prefix: str = "contacts/") -> ContactLocation:
    """The contact an EventBridge event (AWS) or an Event Grid event (Azure) completes."""
    if event.get("source") == STATION_SOURCE:
        detail = event.get("detail") or {}
        contact_id = detail.get("contactId")
        if not contact_id:
            raise NotAContact("a Ground Station event without a contactId")
        when = datetime.fromisoformat(str(event["time"]).replace("Z", "+00:00"))
        return ContactLocation(
            f"{raw_prefix}year={when.year:04d}/month={when.month:02d}/day={when.day:02d}/", str(contact_id).lower()
        )
    key = _object_key(event)
    if not key.endswith(MANIFEST_SUFFIX):
        raise NotAContact(f"{key} is not a contact manifest")
    return ContactLocation(posixpath.dirname(key) + "/")


def _object_key(event: Mapping[str, Any]) -> str:
    detail = event.get("detail")
    if isinstance(detail, Mapping) and "object" in detail:  # EventBridge "Object Created"
        return str(detail["object"]["key"])
    subject = str(event.get("subject", ""))  # Event Grid: /blobServices/default/containers/<c>/blobs/<path>
    marker = "/blobs/"
    if marker not in subject:
        raise NotAContact(f"not an object event: {subject or sorted(event)}")
    return subject.split(marker, 1)[1]


def capture_keys(store: ObjectStore, location: ContactLocation) -> list[str]:
    """The contact's capture files under its prefix, in name order as the processor reads them."""
    keys = [
        k
        for k in store.keys(location.prefix)
        if k.endswith(CAPTURE_SUFFIXES) and (location.contact_id is None or location.contact_id in k.lower())
    ]
    return sorted(keys)


def process_location(
    location: ContactLocation, raw: ObjectStore, products: ObjectStore, workdir: Path, fmt: CaptureFormat | None = None
) -> list[dict[str, Any]]:
    """Fetch the contact's files into `workdir`, process them, upload every product; return the
    contacts' summaries. Products are uploaded only after the processor committed them all."""
    keys = capture_keys(raw, location)
    if not keys:
        raise NotAContact(f"no capture files under {location.prefix}")
    raw_root = workdir / "raw"
    for key in keys:
        target = raw_root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        raw.download(key, target)
    # numpy, pyarrow and dpkt load here, not when the module is imported: the Pulumi program
    # reads this package's settings (environment names) and must not pay for the processor
    from groundlink.processing.processor import discover, process_contact

    out = workdir / "products"
    fmt = fmt or CaptureFormat()
    summaries = [process_contact(c, out, fmt) for c in discover(raw_root, fmt, contact_id=location.contact_id)]
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        relative = path.relative_to(out)
        if not any(part.startswith(".") for part in relative.parts):  # staging never leaves the machine
            products.upload(path, relative.as_posix())
    return summaries
