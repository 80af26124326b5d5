"""The cloud runtime of the processor, offline: contact events located, a contact's files fetched
from a store, processed, and exactly its products uploaded (the stores are in-memory fakes)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.runtime import aws_lambda
from groundlink.runtime.delivery import (
    CAPTURE_FORMAT,
    BadMessage,
    ContactFailed,
    ContactLocation,
    DeliveryFailed,
    MissingCaptures,
    NotAContact,
    SettingError,
    capture_keys,
    handle_message,
    locate,
    process_location,
)
from groundlink.runtime.package import package_files, requirements
from tests.contactgen import CONTACT_A, CONTACT_B, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

CONTACT_C = "11111111-2222-4333-8444-555555555555"
EPOCH_LESS = "00000000-0000-4000-8000-000000000000"  # a contact id with no files anywhere


class DirStore:
    """An object store over a directory: keys are paths relative to it."""

    def __init__(self, root: Path):
        self.root = root
        self.uploaded: list[str] = []
        self.deleted: list[str] = []
        self.downloaded: list[str] = []

    def keys(self, prefix: str):
        every = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        return [k for k in every if k.startswith(prefix)]

    def versions(self, prefix: str) -> dict[str, str]:
        """As a store's ETag, changed by every write: the content's digest and the write's time."""
        found = {}
        for key in self.keys(prefix):
            stat = (self.root / key).stat()
            found[key] = f"{hashlib.sha256((self.root / key).read_bytes()).hexdigest()}-{stat.st_mtime_ns}"
        return found

    def download(self, key: str, path: Path) -> None:
        shutil.copyfile(self.root / key, path)
        self.downloaded.append(key)

    def upload(self, path: Path, key: str) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        self.uploaded.append(key)

    def delete(self, key: str) -> None:
        (self.root / key).unlink()
        self.deleted.append(key)


@pytest.fixture
def raw(tmp_path: Path) -> DirStore:
    """Two contacts of one day: A with frames 0, 1, 3 (one gap), B with 0-4."""
    directory = raw_dir(tmp_path / "raw")
    for contact, counts in ((CONTACT_A, [0, 1, 3]), (CONTACT_B, range(5))):
        packets = packetise(stream_of(frames(counts)), 1000, EPOCH * 1_000_000)
        Capture(packets).write(contact_file(directory, contact, 1))
    return DirStore(tmp_path / "raw")


class _Context:
    """A fake SDK client used as a context manager (`with bus, renewer, receiver:`)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _fake_azure(monkeypatch, module, **modules: object) -> None:
    """`module` (azure_functions or job) imports fake Azure SDKs: blob containers named by their
    names, no credential, plus `modules` (the Functions or Service Bus SDK); its settings are set."""
    import types

    from groundlink.runtime import azure_functions

    blob = types.SimpleNamespace(
        BlobServiceClient=lambda url, credential: types.SimpleNamespace(get_container_client=lambda name: name)
    )
    identity = types.SimpleNamespace(DefaultAzureCredential=lambda: None)
    found = {"azure.storage.blob": blob, "azure.identity": identity, **modules}
    monkeypatch.setattr(module.importlib, "import_module", found.__getitem__)
    for name in ("ACCOUNT_URL", "RAW_CONTAINER", "PRODUCTS_CONTAINER", "QUEUE"):
        monkeypatch.setenv(getattr(azure_functions, name), "x")


def test_a_station_event_locates_its_contact_under_its_day_and_the_day_before() -> None:
    """The upload completes after the contact: one that began before midnight UTC has its files
    under the day before, so both days are searched."""
    event = {"source": "aws.groundstation", "time": "2025-12-01T00:10:00Z", "detail": {"contactId": CONTACT_A.upper()}}
    assert locate(event) == ContactLocation(
        ("contacts/year=2025/month=11/day=30/", "contacts/year=2025/month=12/day=01/"), CONTACT_A
    )


def test_a_contact_that_crossed_midnight_is_processed_from_both_days(tmp_path: Path) -> None:
    """Frames 0-2 under 11-30 and 3-4 under 12-01, the upload event on 12-01: every frame is read."""
    for day, counts, number in (((2025, 11, 30), [0, 1, 2], 1), ((2025, 12, 1), [3, 4], 2)):
        start = EPOCH - 60 + 30 * (number - 1)
        Capture(packetise(stream_of(frames(counts)), 1000, start * 1_000_000)).write(
            contact_file(raw_dir(tmp_path / "raw", day=day), CONTACT_C, number)
        )
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    event = {"source": "aws.groundstation", "time": "2025-12-01T00:10:00Z", "detail": {"contactId": CONTACT_C}}
    (summary,) = process_location(locate(event), raw, products, tmp_path / "work")
    assert (summary["ok_frames"], summary["files"], summary["gaps"]) == (5, 2, 0)


@pytest.mark.parametrize("status", ["FAILED", "AWS_FAILED", "AWS_CANCELLED", "FAILED_TO_SCHEDULE"])
def test_a_contact_that_ended_without_a_delivery_is_acknowledged_not_retried(status: str, raw, tmp_path) -> None:
    event = {
        "source": "aws.groundstation",
        "time": "2025-12-01T10:20:00Z",
        "detail-type": "Ground Station Contact State Change",
        "detail": {"contactId": CONTACT_A, "contactStatus": status},
    }
    products = DirStore(tmp_path / "products")
    assert handle_message(json.dumps(event), raw, products) == {
        "skipped": f"contact {CONTACT_A} ended {status} without a delivery"
    }
    assert products.uploaded == []


def test_an_upload_event_whose_captures_are_missing_fails(raw: DirStore, tmp_path: Path) -> None:
    """Ground Station said the contact was delivered and nothing is there: data is missing, the
    message must reach the dead-letter queue."""
    event = {"source": "aws.groundstation", "time": "2025-12-01T10:20:00Z", "detail": {"contactId": EPOCH_LESS}}
    with pytest.raises(MissingCaptures, match=f"no capture files of contact {EPOCH_LESS} under contacts/"):
        handle_message(json.dumps(event), raw, DirStore(tmp_path / "products"))


def _outcome(record: dict) -> dict:
    """A processed message's log record without the contacts' counts and the worst loss."""
    return {key: value for key, value in record.items() if key not in ("counts", "worst_loss_percent")}


def test_a_partner_contact_is_named_by_its_prefix_whatever_its_file_names(tmp_path: Path) -> None:
    """The partner contract asks for a prefix per contact and a manifest written last, not for
    contact ids in file names."""
    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-0042"
    contact.mkdir(parents=True)
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "capture_1.pcap")
    (contact / "manifest.json").write_text("{}")
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    key = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/manifest.json"
    result = handle_message(json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{key}"}), raw, products)
    # the contact's counts in the log record, as `groundlink process` prints them: a contact that
    # lost most of its frames was logged as a plain success, the same line as a whole one
    counts = {"files": 1, "frames": 3, "ok_frames": 3, "duplicate_frames": 0, "corrupt_frames": 0, "idle_frames": 0}
    counts |= {"gaps": 0, "missing_frames": 0, "payload_bytes": 3 * 1024, "repeated_datagrams": 0}
    assert result == {
        "processed": "pass-0042",
        "contacts": ["pass-0042"],
        "counts": {"pass-0042": counts},
        "worst_loss_percent": 0.0,
    }
    assert sorted(products.uploaded) == [
        "contact_summary/year=2025/month=12/day=01/satellite=snpp/pass-0042.parquet",
        "frame_index/year=2025/month=12/day=01/satellite=snpp/pass-0042.parquet",
        "frames/year=2025/month=12/day=01/satellite=snpp/pass-0042/sc157-vc0.cadu",
    ]


@pytest.mark.parametrize("breaking", ["\u2028", "\n", "\x1c", "\x85"])
def test_a_failed_contact_s_line_names_a_partner_s_key_whole_whatever_it_holds(tmp_path: Path, breaking: str) -> None:
    """Every line break str.splitlines knows split the failure's one line inside a key that held
    one (`hrd\u2028_0001.pcap` logged as `hrd; _0001.pcap`): a key no store has. The key is named
    whole, its break as its escape, as the runtimes' warning lines name keys."""
    from groundlink.runtime.delivery import ContactFailed, failure_line

    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-9"
    contact.mkdir(parents=True)
    (contact / f"hrd{breaking}_0001.pcap").write_bytes(b"not a capture at all")
    (contact / "manifest.json").write_text("{}")
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    key = "partner/year=2025/month=12/day=01/satellite=snpp/pass-9/manifest.json"
    with pytest.raises(ContactFailed) as failed:
        handle_message(json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{key}"}), raw, products)
    written = repr(breaking)[1:-1]
    assert failure_line(failed.value) == (
        f"contact pass-9: partner/year=2025/month=12/day=01/satellite=snpp/pass-9/hrd{written}_0001.pcap: not a pcap "
        "or pcapng capture"
    )


@pytest.mark.parametrize(("length", "shown"), [(80, "x" * 80), (81, "x" * 77 + "...")])
def test_a_message_that_is_not_json_is_quoted_up_to_80_characters(length: int, shown: str) -> None:
    """The log line quotes a bad message whole up to 80 characters, and past that its first 77 and
    "...": a line as long as the message was written for a message of a megabyte."""
    from groundlink.runtime.delivery import read_message

    with pytest.raises(BadMessage) as bad:
        read_message("x" * length)
    assert str(bad.value).startswith("not JSON (") and str(bad.value).endswith(f"): {shown!r}")


def test_a_contact_whose_captures_lie_under_two_satellites_fails_naming_both(tmp_path: Path) -> None:
    """One contact id under two satellites' partitions names no one place for its products: it
    fails before anything is fetched, naming each satellite with a capture of it."""
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    keys = [
        f"contacts/year=2025/month=12/day=01/satellite={sat}/{sat}_{CONTACT_A}_0.pcap" for sat in ("noaa20", "snpp")
    ]
    for key in keys:
        (raw.root / key).parent.mkdir(parents=True, exist_ok=True)
        (raw.root / key).write_bytes(b"\0" * 64)
    with pytest.raises(ContactFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_A), raw, products, tmp_path / "work")
    assert str(failed.value) == (
        f"contact {CONTACT_A} has capture objects under several satellites: noaa20 ({keys[0]}), snpp ({keys[1]})"
    )
    assert raw.downloaded == [] and products.uploaded == []


def test_a_capture_named_in_capitals_is_read_as_a_capture(tmp_path: Path) -> None:
    """`HRD_0001.PCAP`: the suffix is matched whatever its case, by the runtime as by the
    processor; in capitals the contact failed with "no capture files", its file named nowhere."""
    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-0042"
    contact.mkdir(parents=True)
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "HRD_0001.PCAP")
    key = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/manifest.json"
    event = {"subject": f"/blobServices/default/containers/raw/blobs/{key}"}
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    (summary,) = process_location(locate(event), raw, products, tmp_path / "work")
    assert (summary["files"], summary["ok_frames"]) == (1, 3)


def test_a_failure_s_lines_are_joined_into_one() -> None:
    """An SDK's message of several lines is one log line, each of its lines kept."""
    from groundlink.runtime.delivery import failure_line

    assert failure_line(OSError("first\r\n  second \n\nthird")) == "OSError: first; second; third"


def test_a_partner_object_not_named_as_a_capture_is_named_where_it_is_skipped(tmp_path: Path, capsys) -> None:
    """The processor reads `*.pcap`/`*.pcapng` only: a partner's `.dat` captures were skipped
    without a word beside a capture, and alone failed the contact with "no capture files" while
    the files were there. The manifest, the contact's event, is no skipped object."""
    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-0042"
    contact.mkdir(parents=True)
    (contact / "hrd_0001.dat").write_bytes(b"\0" * 64)
    (contact / "manifest.json").write_text("{}")
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    key = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/manifest.json"
    prefix = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/"
    event = {"subject": f"/blobServices/default/containers/raw/blobs/{key}"}
    with pytest.raises(MissingCaptures) as missing:
        process_location(locate(event), raw, products, tmp_path / "work")
    assert str(missing.value) == (
        f"no capture files of contact pass-0042 under {prefix}; 1 object not named *.pcap or *.pcapng, "
        f"skipped (captures are read under those names only): {prefix}hrd_0001.dat"
    )
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "capture_1.pcap")
    (summary,) = process_location(locate(event), raw, products, tmp_path / "work2")
    assert summary["files"] == 1
    err = capsys.readouterr().err
    assert "groundlink: contact pass-0042: 1 object not named *.pcap or *.pcapng, skipped" in err
    assert "manifest.json" not in err


@pytest.mark.parametrize(
    ("count", "named"),
    [
        (2, "hrd_0001.dat, {prefix}hrd_0002.dat"),
        (4, "hrd_0001.dat, {prefix}hrd_0002.dat, {prefix}hrd_0003.dat and 1 more"),
    ],
)
def test_several_objects_not_named_as_captures_are_counted_and_the_first_three_named(
    tmp_path: Path, count: int, named: str
) -> None:
    """Two objects are "2 objects", each named; past three, the first three are named and the rest
    counted: a partner's 400 `.dat` files are one line that says how many there are."""
    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-0042"
    contact.mkdir(parents=True)
    for number in range(1, count + 1):
        (contact / f"hrd_{number:04d}.dat").write_bytes(b"\0" * 64)
    prefix = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/"
    event = {"subject": f"/blobServices/default/containers/raw/blobs/{prefix}manifest.json"}
    with pytest.raises(MissingCaptures) as missing:
        process_location(locate(event), DirStore(tmp_path / "raw"), DirStore(tmp_path / "products"), tmp_path / "w")
    assert str(missing.value) == (
        f"no capture files of contact pass-0042 under {prefix}; {count} objects not named *.pcap or *.pcapng, "
        f"skipped (captures are read under those names only): {prefix}{named.format(prefix=prefix)}"
    )


@pytest.mark.parametrize(("delivered", "cataloged", "said"), [("SNPP", "snpp", True), ("snpp", "snpp", False)])
def test_a_partner_contact_under_a_name_the_catalog_does_not_project_is_said(
    tmp_path: Path, monkeypatch, capsys, delivered, cataloged, said
) -> None:
    """AWS's catalog projects a partner's satellite partitions from the spec's names: a delivery
    under `satellite=SNPP` was processed and uploaded, and Athena never listed it, with no word."""
    monkeypatch.setenv("GROUNDLINK_CATALOGED_SATELLITES", f"{cataloged},noaa20")
    prefix = f"partner/year=2025/month=12/day=01/satellite={delivered}/pass-0042"
    contact = tmp_path / "raw" / prefix
    contact.mkdir(parents=True)
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "capture_1.pcap")
    (contact / "manifest.json").write_text("{}")
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    event = json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{prefix}/manifest.json"})
    assert _outcome(handle_message(event, raw, products)) == {"processed": "pass-0042", "contacts": ["pass-0042"]}
    lines = [line for line in capsys.readouterr().err.splitlines() if "catalog projects" in line]
    assert lines == (
        [
            f"groundlink: contact pass-0042: satellite={delivered} is not a satellite the AWS catalog projects "
            f"({cataloged}, noaa20): Athena will not see its products; the partner delivers under the spec's "
            "satellites[].name"
        ]
        if said
        else []
    )
    assert len(products.uploaded) == 3  # written either way: Azure's views read every name


PASS_7 = "partner/year=2025/month=12/day=01/satellite=snpp/pass-7"


def _s3_manifest_event(prefix: str) -> str:
    """The EventBridge event of a partner's manifest landing in the S3 raw store under `prefix`."""
    return json.dumps(
        {"source": "aws.s3", "detail-type": "Object Created", "detail": {"object": {"key": f"{prefix}/manifest.json"}}}
    )


def _pass_7_with_an_empty_capture(tmp_path: Path) -> Path:
    """Partner contact pass-7: a capture of three frames beside an empty one, and its manifest."""
    contact = tmp_path / "raw" / PASS_7
    contact.mkdir(parents=True)
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "hrd_0001.pcap")
    (contact / "hrd_0002.pcap").write_bytes(b"")
    (contact / "manifest.json").write_text("{}")
    return contact


def test_an_empty_object_of_a_partner_on_s3_is_whole_and_left_out(tmp_path: Path) -> None:
    """S3 lists an object only once it is whole: a partner's empty capture there is one, and is
    left out as Ground Station's is (failed for a retry, the contact was never processed)."""
    _pass_7_with_an_empty_capture(tmp_path)
    record = handle_message(_s3_manifest_event(PASS_7), DirStore(tmp_path / "raw"), DirStore(tmp_path / "products"))
    assert record["counts"]["pass-7"]["ok_frames"] == 3


def test_a_partner_capture_still_being_written_fails_the_run_for_a_retry(tmp_path: Path) -> None:
    """Azure Data Lake lists a file being written at 0 bytes until its last flush: taken for an
    empty guiding capture, it was left out, the contact processed without its data and the run
    a success. A partner's empty capture fails the run, nothing uploaded; the retry reads it."""
    from groundlink.runtime.delivery import DeliveryFailed

    contact, prefix = _pass_7_with_an_empty_capture(tmp_path), PASS_7
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    event = json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{prefix}/manifest.json"})
    with pytest.raises(DeliveryFailed) as failed:
        handle_message(event, raw, products)
    assert str(failed.value) == (
        "contact pass-7 has empty capture files (0 bytes), still being written when its manifest came: "
        f"{prefix}/hrd_0002.pcap; nothing was uploaded, and the retry reads them"
    )
    assert products.uploaded == []
    Capture(packetise(stream_of(frames([3, 4, 5])), 1000, EPOCH * 1_000_000 + 5000)).write(contact / "hrd_0002.pcap")
    assert _outcome(handle_message(event, raw, products)) == {"processed": "pass-7", "contacts": ["pass-7"]}


def test_a_partner_manifest_locates_its_prefix_on_both_clouds() -> None:
    key = "partner/year=2025/month=12/day=01/satellite=snpp/c1/manifest.json"
    aws = {"source": "aws.s3", "detail": {"bucket": {"name": "raw"}, "object": {"key": key}}}
    azure = {"subject": f"/blobServices/default/containers/raw-contact-data/blobs/{key}"}
    expected = ContactLocation(("partner/year=2025/month=12/day=01/satellite=snpp/c1/",), "c1", named_in_files=False)
    assert locate(aws) == expected
    # Azure Data Lake lists a file being written, at 0 bytes: its empty captures fail the run
    assert locate(azure) == dataclasses.replace(expected, lists_unwritten=True)


def test_an_event_grid_dead_letter_blob_sent_to_the_queue_as_it_is_replays_its_contact() -> None:
    """Event Grid keeps an event it could not deliver in a dead-letter blob, as a JSON array with
    its reasons added: sent to the queue unchanged, every runtime failed it as no event object, and
    after 10 deliveries it was dead-lettered again with the contact still unprocessed."""
    from groundlink.runtime.delivery import read_message

    key = "partner/year=2025/month=12/day=01/satellite=snpp/c1/manifest.json"
    event = {
        "subject": f"/blobServices/default/containers/raw-contact-data/blobs/{key}",
        "eventType": "Microsoft.Storage.BlobCreated",
    }
    dead = [{**event, "deadLetterReason": "MaxDeliveryAttemptsExceeded", "deliveryAttempts": 30}]
    assert read_message(json.dumps(dead)) == read_message(json.dumps(event))
    with pytest.raises(BadMessage, match=r"^2 events in one message: send each as a message of its own"):
        read_message(json.dumps(dead * 2))


def test_a_data_blob_is_not_a_contact() -> None:
    with pytest.raises(NotAContact, match="not a contact manifest"):
        locate({"subject": "/blobServices/default/containers/raw-contact-data/blobs/partner/c1/x_0001.pcap"})


def test_only_the_contacts_own_captures_are_fetched(raw: DirStore) -> None:
    keys = capture_keys(raw, ContactLocation(("contacts/",), CONTACT_B))
    assert keys == [f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0001.pcap"]


def test_a_capture_named_with_the_contact_id_in_upper_case_is_the_contacts(tmp_path: Path) -> None:
    """A contact id is a UUID, which a file name may spell in either case."""
    raw = DirStore(tmp_path / "raw")
    key = f"contacts/satellite=noaa20/noaa20_{CONTACT_B.upper()}_0001.pcap"
    (tmp_path / "raw" / key).parent.mkdir(parents=True)
    (tmp_path / "raw" / key).write_bytes(b"")
    assert capture_keys(raw, ContactLocation(("contacts/",), CONTACT_B)) == [key]


def test_one_contact_is_processed_and_exactly_its_products_uploaded(raw: DirStore, tmp_path: Path) -> None:
    products = DirStore(tmp_path / "products")
    (summary,) = process_location(ContactLocation(("contacts/",), CONTACT_A), raw, products, tmp_path / "work")
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    # in this order: the summary, which says the contact is done, after the data it describes
    assert products.uploaded == [
        f"frames/{partition}/{CONTACT_A}/sc157-vc0.cadu",
        f"frame_index/{partition}/{CONTACT_A}.parquet",
        f"contact_summary/{partition}/{CONTACT_A}.parquet",
    ]
    assert (summary["contact_id"], summary["ok_frames"], summary["gaps"], summary["missing_frames"]) == (
        CONTACT_A,
        3,
        1,
        1,
    )
    row = pq.read_table(products.root / products.uploaded[-1]).to_pylist()[0]
    assert row["ok_frames"] == 3


def _lambda_over(raw: DirStore, products: DirStore, monkeypatch) -> None:
    """The Lambda handler with its buckets as these stores and no boto3 client."""
    stores = {"raw": raw, "products": products}
    monkeypatch.setenv(aws_lambda.RAW_BUCKET, "raw")
    monkeypatch.setenv(aws_lambda.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(aws_lambda, "S3Store", lambda client, bucket: stores[bucket])
    monkeypatch.setattr(aws_lambda.importlib, "import_module", lambda name: type("boto3", (), {"client": print}))


def test_the_lambda_reports_only_the_failed_message(raw: DirStore, tmp_path: Path, monkeypatch) -> None:
    """A broken contact returns its own message to the queue; the good one is acknowledged."""
    products = DirStore(tmp_path / "products")
    (raw.root / f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0002.pcap").write_bytes(
        b"not a capture"
    )
    _lambda_over(raw, products, monkeypatch)

    def message(mid: str, contact: str) -> dict:
        body = {"source": "aws.groundstation", "time": "2025-12-01T10:00:00Z", "detail": {"contactId": contact}}
        return {"messageId": mid, "body": json.dumps(body)}

    result = aws_lambda.handler({"Records": [message("m-a", CONTACT_A), message("m-b", CONTACT_B)]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-b"}]}
    assert {k.split("/")[0] for k in products.uploaded} == {"contact_summary", "frame_index", "frames"}
    assert all(CONTACT_A in k for k in products.uploaded)


def test_the_package_is_the_installed_processor_with_its_pinned_requirements() -> None:
    files = package_files()
    assert files["groundlink/processing/processor.py"].read_bytes().startswith(b'"""')
    assert "groundlink/runtime/aws_lambda.py" in files and not [p for p in files if "test" in p]
    assert requirements("aws").splitlines() == ["dpkt==1.9.8", "numpy==2.4.6", "pyarrow==26.0.1"]
    # the Azure runtime's libraries, pinned: no remote build resolves them on the app
    assert {"azure-functions==1.26.0", "azure-identity==1.27.0"} <= set(requirements("azure").splitlines())


def test_a_contact_processed_again_replaces_its_earlier_products_in_the_store(raw: DirStore, tmp_path: Path) -> None:
    """An earlier run dated the contact a day later and saw another virtual channel: both are
    gone after the new run, so no query counts the contact twice; another contact's stay."""
    products = DirStore(tmp_path / "products")
    earlier_day = "year=2025/month=12/day=02/satellite=noaa20"
    same_day = "year=2025/month=12/day=01/satellite=noaa20"
    planted = [
        f"contact_summary/{earlier_day}/{CONTACT_A}.parquet",
        f"frame_index/{earlier_day}/{CONTACT_A}.parquet",
        f"frames/{earlier_day}/{CONTACT_A}/sc157-vc0.cadu",
        f"frames/{same_day}/{CONTACT_A}/sc157-vc5.cadu",  # a channel the new run no longer sees
        f"frames/{same_day}/{CONTACT_B}/sc157-vc0.cadu",  # another contact
        f"frame_index/{earlier_day}/{CONTACT_A}-other.parquet",  # another id sharing the prefix
    ]
    for key in planted:
        (products.root / key).parent.mkdir(parents=True, exist_ok=True)
        (products.root / key).write_bytes(b"earlier")
    process_location(ContactLocation(("contacts/",), CONTACT_A), raw, products, tmp_path / "work")
    assert sorted(products.deleted) == sorted(planted[:4])
    assert sorted(products.keys("")) == sorted(
        [
            f"contact_summary/{same_day}/{CONTACT_A}.parquet",
            f"frame_index/{same_day}/{CONTACT_A}.parquet",
            f"frames/{same_day}/{CONTACT_A}/sc157-vc0.cadu",
            *planted[4:],
        ]
    )


def test_a_redelivery_dated_by_its_packets_replaces_the_products_dated_by_the_folder(tmp_path: Path) -> None:
    """A partner's contact first held only a capture without packets, so its products were dated
    by its folder (day 05); the redelivered data is dated by its packets, four days before. The
    earlier summary must go: left, every query counts the contact twice."""
    folder = tmp_path / "raw" / "partner" / "year=2025" / "month=12" / "day=05" / "satellite=noaa20" / "c42"
    Capture([]).write(folder / "part_0001.pcap")
    (folder / "manifest.json").write_text("{}")
    event = {
        "source": "aws.s3",
        "detail-type": "Object Created",
        "time": "2025-12-05T00:00:00Z",
        "detail": {"object": {"key": "partner/year=2025/month=12/day=05/satellite=noaa20/c42/manifest.json"}},
    }
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    handle_message(json.dumps(event), raw, products)
    assert products.keys("contact_summary/") == [
        "contact_summary/year=2025/month=12/day=05/satellite=noaa20/c42.parquet"
    ]
    Capture(packetise(stream_of(frames(range(100))), 1000, (EPOCH + 3600) * 1_000_000)).write(folder / "part_0002.pcap")
    handle_message(json.dumps(event), raw, products)
    summaries = products.keys("contact_summary/")
    assert summaries == ["contact_summary/year=2025/month=12/day=01/satellite=noaa20/c42.parquet"]
    assert pq.read_table(products.root / summaries[0]).column("frames").to_pylist() == [100]
    assert not [k for k in products.keys("") if "/day=05/" in k]


def test_the_lambda_reports_a_malformed_record_alone(raw: DirStore, tmp_path: Path, monkeypatch) -> None:
    """Not JSON, not an object, a station event without a time: each fails alone, and the good
    contact in the same batch is acknowledged (not processed a second time)."""
    products = DirStore(tmp_path / "products")
    _lambda_over(raw, products, monkeypatch)
    good = {"source": "aws.groundstation", "time": "2025-12-01T10:00:00Z", "detail": {"contactId": CONTACT_A}}
    timeless = {"source": "aws.groundstation", "detail": {"contactId": CONTACT_B}}
    records = [
        {"messageId": "not-json", "body": "{"},
        {"messageId": "a-list", "body": "[1, 2]"},
        {"messageId": "timeless", "body": json.dumps(timeless)},
        {"messageId": "good", "body": json.dumps(good)},
    ]
    result = aws_lambda.handler({"Records": records}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": m} for m in ("not-json", "a-list", "timeless")]}
    assert len(products.uploaded) == 3 and all(CONTACT_A in k for k in products.uploaded)


def test_the_functions_worker_accepts_the_apps_trigger(monkeypatch) -> None:
    """Indexed as the Python worker indexes it: the Service Bus trigger's parameter must be
    annotated with a type the binding accepts, or the host loads no function at all."""
    import types
    import typing

    func = pytest.importorskip("azure.functions")
    from azure.functions.servicebus import ServiceBusMessageInConverter

    from groundlink.runtime import azure_functions

    blob = types.SimpleNamespace(
        BlobServiceClient=lambda url, credential: types.SimpleNamespace(get_container_client=lambda name: name)
    )
    identity = types.SimpleNamespace(DefaultAzureCredential=lambda: None)
    modules = {"azure.functions": func, "azure.storage.blob": blob, "azure.identity": identity}
    monkeypatch.setattr(azure_functions.importlib, "import_module", modules.__getitem__)
    for name, value in (("ACCOUNT_URL", "https://a.blob.core.windows.net"), ("RAW_CONTAINER", "raw")):
        monkeypatch.setenv(getattr(azure_functions, name), value)
    monkeypatch.setenv(azure_functions.PRODUCTS_CONTAINER, "products")
    monkeypatch.setenv(azure_functions.QUEUE, "contact-data")
    (function,) = azure_functions.build_app().get_functions()
    (binding,) = json.loads(function.get_function_json())["bindings"]
    assert (binding["type"], binding["queueName"], binding["connection"]) == (
        "serviceBusTrigger",
        "contact-data",
        "ServiceBusConnection",
    )
    annotation = typing.get_type_hints(function.get_user_function())["message"]
    assert ServiceBusMessageInConverter.check_input_type_annotation(annotation)


def test_the_container_job_renews_its_message_lock_for_its_whole_timeout(monkeypatch) -> None:
    """A peek-lock lasts 5 minutes; a job may run for hours: the receiver renews the lock."""
    import types

    from groundlink.runtime import job

    made: dict[str, object] = {}

    class Renewer(_Context):
        def __init__(self, max_lock_renewal_duration: float):
            made["renewal"] = max_lock_renewal_duration

    class Receiver(_Context):
        def receive_messages(self, max_message_count: int):
            return []

    class Client(Receiver):
        def __init__(self, namespace: str, credential: object):
            pass

        def get_queue_receiver(self, queue: str, **options: object):
            made["options"] = options
            return Receiver()

    servicebus = types.SimpleNamespace(ServiceBusClient=Client, AutoLockRenewer=Renewer)
    _fake_azure(monkeypatch, job, **{"azure.servicebus": servicebus})
    monkeypatch.setenv(job.NAMESPACE, "ns.servicebus.windows.net")
    monkeypatch.setenv(job.TIMEOUT, "7200")
    job.run_azure()
    assert made["renewal"] == 7200.0
    # without the setting, for as long as Container Apps lets an execution run: a day
    monkeypatch.delenv(job.TIMEOUT)
    job.run_azure()
    assert made["renewal"] == 86_400.0
    assert isinstance(made["options"], dict) and isinstance(made["options"]["auto_lock_renewer"], Renewer)


@pytest.mark.parametrize("timeout", ["0", "-5", "soon"])
def test_a_container_job_timeout_of_no_seconds_is_a_setting_problem(timeout, monkeypatch, capsys) -> None:
    """A timeout of 0 renewed the message's lock for no time at all: the lock lapsed after 5
    minutes and another execution processed the contact again. It is refused, exit 2, before
    any client is made or message received."""
    from groundlink.runtime import job

    _fake_azure(monkeypatch, job)
    monkeypatch.setenv(job.NAMESPACE, "ns.servicebus.windows.net")
    monkeypatch.setenv(job.TIMEOUT, timeout)
    assert job.main([]) == job.SETTING_PROBLEM == 2
    assert capsys.readouterr().err == (
        f"groundlink job: {job.TIMEOUT} is {timeout!r}, not a number of seconds above 0\n"
    )


@pytest.mark.parametrize("option", ["--object-key", "--contact-id"])
def test_a_container_job_option_without_its_value_is_refused(option, capsys) -> None:
    """Batch passes each parameter as an argument of its own: a last option left without its value
    (an empty parameter) is a usage error naming it, not a run as if it had never been given."""
    from groundlink.runtime import job

    with pytest.raises(SystemExit) as exit_:
        job.main(["--source", "aws.s3", option])
    assert exit_.value.code == 2
    assert f"{option}: expected one argument" in capsys.readouterr().err


def test_the_cloud_runtime_reads_the_missions_capture_format_from_its_setting(tmp_path: Path, monkeypatch) -> None:
    """A 2048-octet CADU mission: with the setting the stack gives it, the cloud processor keeps
    whole frames, as `groundlink process --cadu-length 2048` does; without it every frame would be
    cut to the default 1024."""
    directory = raw_dir(tmp_path / "raw")
    stream = b"".join(f.bytes(2048) for f in frames(range(4)))
    Capture(packetise(stream, 1000, EPOCH * 1_000_000)).write(contact_file(directory, CONTACT_A, 1))
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    monkeypatch.setenv(CAPTURE_FORMAT, '{"cadu_length":2048,"spacecraft_ids":[157],"udp_ports":[55888]}')
    (summary,) = process_location(ContactLocation(("contacts/",), CONTACT_A), raw, products, tmp_path / "work")
    assert (summary["ok_frames"], summary["skipped_bytes"]) == (4, 0)
    (stream_file,) = [k for k in products.uploaded if k.endswith(".cadu")]
    assert (products.root / stream_file).read_bytes() == stream


def test_the_container_job_explains_itself_and_its_settings(capsys) -> None:
    from groundlink.runtime import job

    with pytest.raises(SystemExit) as exit_:
        job.main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for setting in (job.RAW_BUCKET, job.PRODUCTS_BUCKET, job.QUEUE, job.NAMESPACE, job.ACCOUNT_URL):
        assert setting in text


@pytest.mark.parametrize("argv", [["{}"], []], ids=["aws", "azure"])
def test_the_container_job_without_its_settings_is_one_line_and_exit_2(argv, monkeypatch, capsys) -> None:
    from groundlink.runtime import job

    for name in (job.RAW_BUCKET, job.PRODUCTS_BUCKET, job.ACCOUNT_URL, job.RAW_CONTAINER, job.PRODUCTS_CONTAINER):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(job.importlib, "import_module", lambda name: pytest.fail(f"{name} imported before the check"))
    assert job.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (job.RAW_BUCKET if argv else job.ACCOUNT_URL) in err


def test_the_container_job_on_aws_processes_its_argument_between_the_two_buckets(monkeypatch, capsys) -> None:
    import types

    from groundlink.runtime import job

    seen: dict[str, object] = {}

    def handle(body: str, open_stores) -> dict[str, str]:
        raw, products = open_stores()
        seen.update(body=body, raw=raw.bucket, products=products.bucket)
        return {"contact": "c1"}

    boto3 = types.SimpleNamespace(client=lambda service: service)
    monkeypatch.setattr(job.importlib, "import_module", {"boto3": boto3}.__getitem__)
    monkeypatch.setattr(job, "handle", handle)
    monkeypatch.setenv(job.RAW_BUCKET, "raw-b")
    monkeypatch.setenv(job.PRODUCTS_BUCKET, "products-b")
    assert job.main(['{"detail": 1}']) == 0
    assert seen == {"body": '{"detail": 1}', "raw": "raw-b", "products": "products-b"}
    assert json.loads(capsys.readouterr().out) == {"contact": "c1"}


# --- failures: one line, in the cloud's terms ---------------------------------------------------

STATION_TIME = "2025-12-01T10:00:00Z"


def _station(contact: str, **extra: object) -> str:
    return json.dumps({"source": "aws.groundstation", "time": STATION_TIME, "detail": {"contactId": contact}, **extra})


def _blob(key: str) -> str:
    return json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{key}"})


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("not json", "not JSON"),
        ("[]", "not an event object: a JSON list"),
        ("{}", "not a contact event"),
        ('{"hello": 1}', "its keys: ['hello']"),
        ('{"detail": 1}', "not a contact event"),
        ('{"subject": "/blobServices/default/containers/raw"}', "subject names no blob"),
        (json.dumps({"source": "aws.s3", "detail": {"object": {}}}), "detail.object.key is None"),
        (_station(CONTACT_A, time="yesterday"), "without a valid time: 'yesterday'"),
        # a day before 0001-01-01: an OverflowError that named no field
        (_station(CONTACT_A, time="0001-01-01T00:00:00Z"), "without a valid time: '0001-01-01T00:00:00Z'"),
        (json.dumps({"source": "aws.groundstation", "detail": {"contactId": 7}}), "detail.contactId is 7"),
        (_station("bad id"), "detail.contactId 'bad id' cannot be part of a products path"),
        (_blob("manifest.json"), "manifest 'manifest.json' is not under a contact's prefix"),
        (_blob("partner/bad id/manifest.json"), "manifest 'partner/bad id/manifest.json': its contact prefix"),
        (_blob("partner/pc-2/manifest.json"), "manifest 'partner/pc-2/manifest.json': no satellite=<name>"),
        # Azure's subscription sends every manifest.json of the container (AWS's rule only
        # partner/*): one outside the layout was processed and its products uploaded
        *(
            (_blob(f"{prefix}/manifest.json"), f"manifest '{prefix}/manifest.json' is not under a contact's prefix")
            for prefix in (
                "elsewhere/satellite=snpp/c1",
                "partner/satellite=snpp/c1",
                "partner/year=2025/month=12/satellite=snpp/c1",
                "partner/year=2025/month=12/day=01/extra/satellite=snpp/c1",
                "elsewhere/partner/year=2025/month=12/day=01/satellite=snpp/c1",
            )
        ),
    ],
)
def test_a_message_that_is_not_a_contact_event_fails_naming_what_is_wrong(body: str, names: str, tmp_path) -> None:
    """Each goes back to the queue and on to the dead-letter queue (alarmed), told in the
    message's own terms: no scratch path, no flag of `groundlink process`."""
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    with pytest.raises(BadMessage) as failed:
        handle_message(body, raw, products)
    assert names in str(failed.value)
    assert "--" not in str(failed.value) and str(tmp_path) not in str(failed.value)
    assert products.uploaded == [] and raw.downloaded == []


@pytest.mark.parametrize("written", ["2025-12-01T21:00:00Z", "2025-12-02T02:00:00+05:00", "2025-12-01T21:00:00"])
def test_a_station_event_s_time_dates_the_raw_prefixes_by_its_utc_day_however_it_is_written(written: str) -> None:
    """The raw prefixes are UTC days; an event time with another offset (hand-sent, redriven)
    named its local day and the day before, and missed the files of the contact's UTC day."""
    from groundlink.runtime.delivery import read_message

    assert read_message(_station(CONTACT_A, time=written)).prefixes == (
        "contacts/year=2025/month=11/day=30/",
        "contacts/year=2025/month=12/day=01/",
    )


def test_a_data_blob_and_a_failed_contact_are_still_acknowledged(raw: DirStore, tmp_path: Path) -> None:
    products = DirStore(tmp_path / "products")
    data_blob = _blob("partner/year=2025/month=12/day=01/satellite=snpp/pc-2/capture_1.pcap")
    failed = json.dumps({"source": "aws.groundstation", "detail": {"contactId": CONTACT_A, "contactStatus": "FAILED"}})
    assert handle_message(data_blob, raw, products) == {
        "skipped": "partner/year=2025/month=12/day=01/satellite=snpp/pc-2/capture_1.pcap is not a contact manifest "
        "(manifest.json)"
    }
    # a name that only ends like the manifest's is a data file: the contact is not complete yet
    for name in ("capture_manifest.json", "old.manifest.json", "MANIFEST.JSON"):
        key = f"partner/year=2025/month=12/day=01/satellite=snpp/pc-2/{name}"
        assert handle_message(_blob(key), raw, products) == {
            "skipped": f"{key} is not a contact manifest (manifest.json)"
        }
    assert handle_message(failed, raw, products) == {"skipped": f"contact {CONTACT_A} ended FAILED without a delivery"}
    assert raw.downloaded == [] and products.uploaded == []


def test_the_lambda_fails_a_record_that_is_an_object_but_no_event(raw: DirStore, tmp_path: Path, monkeypatch, capsys):
    products = DirStore(tmp_path / "products")
    _lambda_over(raw, products, monkeypatch)
    result = aws_lambda.handler({"Records": [{"messageId": "m-empty", "body": "{}"}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-empty"}]}
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    assert line["failed"] == "m-empty" and "not a contact event" in line["error"]


def test_the_lambda_without_its_buckets_fails_each_record_naming_the_setting(monkeypatch, capsys) -> None:
    monkeypatch.delenv(aws_lambda.RAW_BUCKET, raising=False)
    monkeypatch.setenv(aws_lambda.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(aws_lambda.importlib, "import_module", lambda name: pytest.fail(f"{name} imported"))
    result = aws_lambda.handler({"Records": [{"messageId": "m1", "body": "{}"}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert aws_lambda.RAW_BUCKET in json.loads(capsys.readouterr().out)["error"]


@pytest.mark.parametrize(
    ("setting", "names"),
    [
        ("{bad", "GROUNDLINK_CAPTURE_FORMAT is not JSON"),
        ("[2048]", "GROUNDLINK_CAPTURE_FORMAT is a JSON list"),
        ('{"cadu_lenght": 2048}', "GROUNDLINK_CAPTURE_FORMAT has unknown keys cadu_lenght; allowed: cadu_length"),
        ('{"cadu_length": "2048"}', 'GROUNDLINK_CAPTURE_FORMAT: cadu_length is "2048", not an integer'),
        ('{"udp_ports": 55888}', "GROUNDLINK_CAPTURE_FORMAT: udp_ports is 55888, not a list of integers"),
        ('{"pseudo_randomized": null}', "GROUNDLINK_CAPTURE_FORMAT: pseudo_randomized is null, not true or false"),
        ('{"cadu_length": 4}', "GROUNDLINK_CAPTURE_FORMAT: cadu_length: 4 is shorter than"),
    ],
)
def test_a_bad_capture_format_setting_is_named_before_anything_is_fetched(
    setting: str, names: str, raw: DirStore, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv(CAPTURE_FORMAT, setting)
    with pytest.raises(SettingError) as failed:
        handle_message(_station(CONTACT_A), raw, DirStore(tmp_path / "products"))
    assert names in str(failed.value) and "\n" not in str(failed.value)
    assert raw.downloaded == []


def test_captures_outside_a_satellite_partition_fail_naming_the_object_before_any_fetch(tmp_path: Path) -> None:
    """Ground Station's raw prefix without `satellite=`: the processor could not name the
    products' partition; told by object key, nothing downloaded."""
    (tmp_path / "raw/contacts/day").mkdir(parents=True)
    Capture(packetise(stream_of(frames([0])), 1000, EPOCH * 1_000_000)).write(
        tmp_path / f"raw/contacts/day/x_{CONTACT_A}_0001.pcap"
    )
    raw = DirStore(tmp_path / "raw")
    with pytest.raises(ContactFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_A), raw, DirStore(tmp_path / "p"), tmp_path / "work")
    assert str(failed.value) == (
        f"raw object contacts/day/x_{CONTACT_A}_0001.pcap: no satellite=<name> partition in its key"
    )
    assert raw.downloaded == []


class KeysAsGiven(DirStore):
    """A store whose listing also holds keys no directory can: S3 and Blob Storage take `..`,
    `.` and empty segments in a key, and a partner writes the keys under its prefix."""

    def __init__(self, root: Path, extra: dict[str, Path]):
        super().__init__(root)
        self.extra = extra

    def keys(self, prefix: str):
        return sorted([*super().keys(prefix), *(k for k in self.extra if k.startswith(prefix))])

    def download(self, key: str, path: Path) -> None:
        if key in self.extra:
            shutil.copyfile(self.extra[key], path)
            self.downloaded.append(key)
        else:
            super().download(key, path)


@pytest.mark.parametrize(
    ("tail", "said"),
    [
        (f"../../../../../../../escaped_{CONTACT_A}_0009.pcap", "a '..' path segment"),
        (f"./noaa20_{CONTACT_A}_0009.pcap", "a '.' path segment"),
        (f"/noaa20_{CONTACT_A}_0009.pcap", "an empty path segment (a leading / or //)"),
    ],
)
def test_a_capture_key_that_would_land_outside_the_scratch_copy_fails_the_contact_before_any_fetch(
    raw: DirStore, tmp_path: Path, tail: str, said: str
) -> None:
    """A partner's key with `../` was written outside the scratch directory (Lambda's /tmp kept
    it for every later invocation), never read, and the contact acknowledged as processed."""
    prefix = "contacts/year=2025/month=12/day=01/satellite=noaa20/"
    key = f"{prefix}{tail}"
    store = KeysAsGiven(raw.root, {key: next(raw.root.rglob("*.pcap"))})
    work = tmp_path / "deep" / "work"
    with pytest.raises(ContactFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_A), store, DirStore(tmp_path / "p"), work)
    assert f"raw object {key}: its key has {said}, which names no file of the contact" in str(failed.value)
    assert store.downloaded == []
    assert not list(tmp_path.rglob("escaped_*"))


def test_a_capture_that_cannot_be_read_is_named_by_its_object_key(raw: DirStore, tmp_path: Path) -> None:
    key = f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0002.pcap"
    (raw.root / key).write_bytes(b"not a capture")
    products = DirStore(tmp_path / "products")
    with pytest.raises(ContactFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    assert str(failed.value).startswith(f"contact {CONTACT_B}: {key}: ")
    assert str(tmp_path) not in str(failed.value) and products.uploaded == []


class FailingStore(DirStore):
    """A products store whose `fail_at`-th upload fails, as a throttled or cut-off S3 would."""

    def __init__(self, root: Path, fail_at: int):
        super().__init__(root)
        self.fail_at, self.attempts = fail_at, 0

    def upload(self, path: Path, key: str) -> None:
        self.attempts += 1
        if self.attempts == self.fail_at:
            raise OSError(f"upload of {key} failed")
        super().upload(path, key)


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_failed_upload_never_leaves_a_new_summary_over_earlier_data_and_a_retry_completes(
    fail_at: int, raw: DirStore, tmp_path: Path
) -> None:
    """The contact processed again; its earlier summary, index and a channel no longer seen are
    in the store. An upload fails part-way: the summary is still the earlier one, nothing earlier
    is deleted; the retry then replaces every product."""
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    earlier = {
        f"contact_summary/{partition}/{CONTACT_A}.parquet": b"earlier summary",
        f"frame_index/{partition}/{CONTACT_A}.parquet": b"earlier index",
        f"frames/{partition}/{CONTACT_A}/sc157-vc5.cadu": b"earlier channel",
    }
    for key, data in earlier.items():
        (tmp_path / "products" / key).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "products" / key).write_bytes(data)
    failing = FailingStore(tmp_path / "products", fail_at)
    with pytest.raises(DeliveryFailed, match=r"^OSError: upload of .* failed"):
        process_location(ContactLocation(("contacts/",), CONTACT_A), raw, failing, tmp_path / "work-1")
    summary = f"contact_summary/{partition}/{CONTACT_A}.parquet"
    assert (failing.root / summary).read_bytes() == b"earlier summary"
    assert failing.deleted == [] and summary not in failing.uploaded
    assert (failing.root / f"frames/{partition}/{CONTACT_A}/sc157-vc5.cadu").exists()

    retry = DirStore(tmp_path / "products")
    process_location(ContactLocation(("contacts/",), CONTACT_A), raw, retry, tmp_path / "work-2")
    assert retry.deleted == [f"frames/{partition}/{CONTACT_A}/sc157-vc5.cadu"]
    assert pq.read_table(retry.root / summary).to_pylist()[0]["ok_frames"] == 3
    assert sorted(retry.keys("")) == sorted(
        [summary, f"frame_index/{partition}/{CONTACT_A}.parquet", f"frames/{partition}/{CONTACT_A}/sc157-vc0.cadu"]
    )


# --- the container job's failures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ("not json", "not JSON"),
        ("[]", "a JSON list"),
        ("{}", "not a contact event"),
        (_station(CONTACT_A, time="yesterday"), "'yesterday'"),
        (_blob("manifest.json"), "manifest 'manifest.json'"),
        (_blob("partner/year=2025/month=12/day=01/satellite=snpp/bad id/manifest.json"), "'bad id' cannot be"),
    ],
)
def test_the_container_job_fails_a_bad_message_in_one_line_before_making_a_client(
    body: str, names: str, monkeypatch, capsys
) -> None:
    """Exit 1, so that Batch retries the job and the message is dead-lettered; no client is made
    for a message that names no contact (boto3 need not even be installed)."""
    from groundlink.runtime import job

    monkeypatch.setenv(job.RAW_BUCKET, "raw")
    monkeypatch.setenv(job.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(job.importlib, "import_module", lambda name: pytest.fail(f"{name} imported for a bad event"))
    assert job.main([body]) == job.MESSAGE_FAILED == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("groundlink job: the message failed: ") and names in err


def test_the_container_job_fails_a_contact_without_captures_in_one_line(raw: DirStore, tmp_path, monkeypatch, capsys):
    import types

    from groundlink.runtime import job

    stores = {"raw": raw, "products": DirStore(tmp_path / "products")}
    monkeypatch.setenv(job.RAW_BUCKET, "raw")
    monkeypatch.setenv(job.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(job.importlib, "import_module", {"boto3": types.SimpleNamespace(client=str)}.__getitem__)
    monkeypatch.setattr(job, "S3Store", lambda client, bucket: stores[bucket])
    assert job.main([_station(EPOCH_LESS)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"no capture files of contact {EPOCH_LESS} under contacts/year=2025/month=11/day=30/" in err


def test_the_container_job_with_a_bad_capture_format_exits_2_naming_it(monkeypatch, capsys) -> None:
    from groundlink.runtime import job

    monkeypatch.setenv(job.RAW_BUCKET, "raw")
    monkeypatch.setenv(job.PRODUCTS_BUCKET, "products")
    monkeypatch.setenv(CAPTURE_FORMAT, '{"cadu_lenght": 2048}')
    monkeypatch.setattr(job.importlib, "import_module", lambda name: pytest.fail(f"{name} imported"))
    assert job.main([_station(CONTACT_A)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "GROUNDLINK_CAPTURE_FORMAT has unknown keys cadu_lenght; allowed: cadu_length" in err


def test_the_container_job_on_azure_abandons_a_failed_message_and_exits_1(monkeypatch, capsys) -> None:
    from groundlink.runtime import job

    settled = _azure_job(monkeypatch)
    assert job.main([]) == 1
    assert settled == [("abandoned", "sb-1")]
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("groundlink job: message sb-1 failed: not an event object: a JSON list")


class _LockLost(Exception):
    pass


class _Unauthorized(Exception):
    pass


def _azure_job(monkeypatch, *, receive=None, abandon=None, client=None):
    """The container job's Azure side with a fake Service Bus whose one message is not an event
    (it fails); `receive`, `abandon` or `client` raise what a real SDK would. Returns what was
    settled."""
    import types

    from groundlink.runtime import job

    settled: list[tuple[str, str]] = []

    class Message:
        message_id = "sb-1"

        def __str__(self) -> str:
            return "[]"

    class Receiver(_Context):
        def receive_messages(self, max_message_count: int):
            if receive is not None:
                raise receive
            return [Message()]

        def abandon_message(self, message: Message) -> None:
            if abandon is not None:
                raise abandon
            settled.append(("abandoned", message.message_id))

        def complete_message(self, message: Message) -> None:
            settled.append(("completed", message.message_id))

    class Client(Receiver):
        def __init__(self, namespace: str, credential: object):
            if client is not None:
                raise client

        def get_queue_receiver(self, queue: str, **options: object):
            return Receiver()

    servicebus = types.SimpleNamespace(ServiceBusClient=Client, AutoLockRenewer=lambda **_: Receiver())
    _fake_azure(monkeypatch, job, **{"azure.servicebus": servicebus})
    monkeypatch.setenv(job.NAMESPACE, "ns.servicebus.windows.net")
    return settled


def test_a_failed_message_whose_abandoning_fails_too_is_logged_for_what_failed_it(monkeypatch, capsys) -> None:
    """The abandon sat in the failure's handler: a lock already lapsed made it raise, and that
    error replaced the contact's, so the one line logged named the lock, never why the contact
    failed."""
    from groundlink.runtime import job

    _azure_job(monkeypatch, abandon=_LockLost("The lock on the message has expired."))
    assert job.main([]) == job.MESSAGE_FAILED
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "groundlink job: message sb-1 failed: not an event object: a JSON list: '[]'; abandoning it failed too "
        "(_LockLost: The lock on the message has expired.): Service Bus delivers it again when its lock lapses"
    )


@pytest.mark.parametrize("where", ["client", "receive"])
def test_a_job_that_receives_no_message_exits_3_not_as_a_failed_message(monkeypatch, capsys, where) -> None:
    """A receive or a client that failed (the roles not yet in effect after a first deploy) took
    no message: none was abandoned, none will be dead-lettered, it stays on the queue. Exit 1 said
    the message failed and would be dead-lettered; 3 says nothing was received."""
    from groundlink.runtime import job

    refused = _Unauthorized("Unauthorized access. 'Listen' claim(s) are required to perform this operation.")
    settled = _azure_job(monkeypatch, **{where: refused})
    assert job.main([]) == job.NOTHING_RECEIVED == 3
    assert settled == []
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        "groundlink job: no message received (_Unauthorized: Unauthorized access. 'Listen' claim(s) are required "
        "to perform this operation.): it stays on the queue, and the contact-events-waiting alert fires if it is "
        "still there in a day"
    )


def test_the_container_jobs_help_gives_its_exit_codes(capsys) -> None:
    from groundlink.runtime import job

    with pytest.raises(SystemExit):
        job.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit 0 when" in text and "1 when the message failed" in text and "2 when a setting is missing" in text
    assert "3 (Azure) when no message could be received" in text


def test_the_functions_app_logs_a_failed_message_in_one_line_and_returns_it(monkeypatch, capsys) -> None:
    """Raising hands the message back to Service Bus (retried, then dead-lettered); the log names
    the message and what is wrong."""
    import types

    func = pytest.importorskip("azure.functions")
    from groundlink.runtime import azure_functions

    _fake_azure(monkeypatch, azure_functions, **{"azure.functions": func})
    (function,) = azure_functions.build_app().get_functions()
    message = types.SimpleNamespace(message_id="sb-7", get_body=lambda: b'{"hello": 1}')
    with pytest.raises(azure_functions.MessageNotProcessed) as raised:
        function.get_user_function()(message)
    (line,) = capsys.readouterr().out.splitlines()
    record = json.loads(line)
    assert record["failed"] == "sb-7" and "not a contact event" in record["error"]
    # what the host logs raw holds no data of the message: a partner's key may hold the loss
    # alert's field, which the JSON record above escapes
    assert str(raised.value) == "message sb-7 failed: BadMessage (its JSON record is logged before this)"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_an_empty_guiding_capture_beside_the_contacts_data_is_left_out(raw: DirStore, tmp_path: Path) -> None:
    """Ground Station's delivery starts each contact with an empty guiding .pcap (AWS's S3 data
    delivery sample drops it): a file of no bytes holds no packet, so the contact is processed
    from the rest, exactly as without it, instead of failing as 'not a pcap'."""
    key = f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0000.pcap"
    (raw.root / key).write_bytes(b"")
    products = DirStore(tmp_path / "products")
    (summary,) = process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    assert (summary["ok_frames"], summary["gaps"], summary["files"]) == (5, 0, 1)
    assert key in raw.downloaded and len(products.uploaded) == 3


@pytest.mark.parametrize(("files", "shown"), [(2, 2), (4, 3)])
def test_a_contact_whose_captures_are_all_empty_is_missing_its_data(tmp_path: Path, files: int, shown: int) -> None:
    """Past three, the first three empty files are named and the rest counted ("; and 1 more"):
    without the count, a contact of four empty files read as one of three."""
    raw = DirStore(tmp_path / "raw")
    keys = [f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_000{n}.pcap" for n in range(files)]
    for key in keys:
        (raw.root / key).parent.mkdir(parents=True, exist_ok=True)
        (raw.root / key).write_bytes(b"")
    products = DirStore(tmp_path / "products")
    with pytest.raises(MissingCaptures) as missing:
        process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    more = f"; and {files - shown} more" if files > shown else ""
    assert str(missing.value) == (
        f"the capture files of contact {CONTACT_B} are all empty (0 bytes): {'; '.join(keys[:shown])}{more}"
    )
    assert products.uploaded == []


class GrowingStore(DirStore):
    """A raw store where another capture of the contact lands while the first run processes it."""

    def __init__(self, root: Path, late: tuple[str, bytes], at_listing: int = 2):
        super().__init__(root)
        self.late, self.listings, self.at_listing = late, 0, at_listing

    def keys(self, prefix: str):
        self.listings += 1
        if self.listings == self.at_listing:  # 2: after the run listed its files, as it notes their versions
            key, data = self.late
            (self.root / key).write_bytes(data)
        return super().keys(prefix)


def _late_capture(tmp_path: Path) -> tuple[str, bytes]:
    """A second capture of contact B, frames 5-7 on virtual channel 5, and its key in the raw store."""
    late_key = f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0002.pcap"
    Capture(packetise(stream_of(frames(range(5, 8), vc=5)), 1000, EPOCH * 1_000_000)).write(tmp_path / "late.pcap")
    return late_key, (tmp_path / "late.pcap").read_bytes()


def _refused_before_uploading(raw: DirStore, changed: str, tmp_path: Path) -> DirStore:
    """Contact B processed from `raw`, where `changed` arrives or is written again as it runs: the
    run fails naming it, with nothing uploaded or deleted; the products store, for the retry."""
    products = DirStore(tmp_path / "products")
    with pytest.raises(DeliveryFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    assert str(failed.value) == (
        f"contact {CONTACT_B} gained or rewrote capture files while it was processed ({changed}); nothing was uploaded, "
        "and the retry processes them all"
    )
    assert products.uploaded == [] and products.deleted == []
    return products


def test_a_run_whose_contact_gained_files_uploads_nothing_and_its_retry_processes_them_all(
    raw: DirStore, tmp_path: Path
) -> None:
    """Two events of one contact may run at once; the run that read fewer files must not replace,
    after the fact, what the run that read them all uploaded (nor delete the streams only the later
    files hold). It fails instead, so its message is retried."""
    late_key, late = _late_capture(tmp_path)
    growing = GrowingStore(raw.root, (late_key, late))
    products = _refused_before_uploading(growing, late_key, tmp_path)
    location = ContactLocation(("contacts/",), CONTACT_B)
    (summary,) = process_location(location, growing, products, tmp_path / "work")  # the retry
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    assert f"frames/{partition}/{CONTACT_B}/sc157-vc5.cadu" in products.uploaded
    assert (summary["files"], summary["ok_frames"]) == (2, 8)


def test_a_run_whose_contact_gained_files_while_it_uploaded_deletes_nothing_and_is_retried(
    raw: DirStore, tmp_path: Path
) -> None:
    """The second run may start and finish while the first one's products go up: the first then
    took the stream only the later file holds, which the second had just written, for a stale
    product of its own and deleted it, and both messages succeeded. It now looks again before it
    deletes, fails, and its retry writes what the second run wrote."""
    late_key, late = _late_capture(tmp_path)
    growing = GrowingStore(raw.root, (late_key, late), at_listing=4)  # listed, versioned, checked, uploading
    products = DirStore(tmp_path / "products")
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    theirs = products.root / f"frames/{partition}/{CONTACT_B}/sc157-vc5.cadu"  # the second run's stream
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"the second run's vc5 frames")
    location = ContactLocation(("contacts/",), CONTACT_B)
    with pytest.raises(DeliveryFailed) as failed:
        process_location(location, growing, products, tmp_path / "work")
    assert str(failed.value) == (
        f"contact {CONTACT_B} gained or rewrote capture files while it was processed ({late_key}); no earlier product was "
        "deleted, and the retry processes them all"
    )
    assert products.uploaded and products.deleted == [] and theirs.exists()
    (summary,) = process_location(location, growing, products, tmp_path / "work")  # the retry
    assert f"frames/{partition}/{CONTACT_B}/sc157-vc5.cadu" in products.uploaded
    assert (summary["files"], summary["ok_frames"]) == (2, 8)


class RewritingStore(DirStore):
    """A raw store where a capture of the contact is written again under its own name (a
    partner's redelivery) once the run has listed it, noted its version and fetched it."""

    def __init__(self, root: Path, key: str, data: bytes):
        super().__init__(root)
        self.key, self.data, self.listings = key, data, 0

    def keys(self, prefix: str):
        self.listings += 1
        if self.listings == 3:
            (self.root / self.key).write_bytes(self.data)
        return super().keys(prefix)


def test_a_capture_written_again_under_its_name_while_processed_fails_the_run(raw: DirStore, tmp_path: Path) -> None:
    """Only the names were compared: a partner's redelivery of a fuller file under the same key,
    while a run read the first one, let the run that read less upload over the fuller products and
    succeed."""
    key = capture_keys(raw, ContactLocation(("contacts/",), CONTACT_B))[0]
    Capture(packetise(stream_of(frames(range(8))), 1000, EPOCH * 1_000_000)).write(tmp_path / "fuller.pcap")
    rewriting = RewritingStore(raw.root, key, (tmp_path / "fuller.pcap").read_bytes())
    products = _refused_before_uploading(rewriting, key, tmp_path)
    location = ContactLocation(("contacts/",), CONTACT_B)
    (summary,) = process_location(location, rewriting, products, tmp_path / "work")  # the retry
    assert summary["ok_frames"] == 8


def test_a_product_another_run_wrote_after_this_one_began_is_not_deleted(
    raw: DirStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run of the contact that starts and finishes between this run's last listing of the
    captures and its deletes wrote a stream only it holds: this run took it for its own stale
    product and deleted it, and both succeeded. Whatever another run writes after this one began
    is kept, and this run fails so that its retry writes what both hold."""
    from groundlink.runtime import delivery

    products = DirStore(tmp_path / "products")
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    theirs = products.root / f"frames/{partition}/{CONTACT_B}/sc157-vc5.cadu"
    real = delivery.earlier_products

    def the_other_run_finishes_first(*args, **kwargs):
        theirs.parent.mkdir(parents=True, exist_ok=True)
        theirs.write_bytes(b"the second run's vc5 frames")
        return real(*args, **kwargs)

    monkeypatch.setattr(delivery, "earlier_products", the_other_run_finishes_first)
    with pytest.raises(DeliveryFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    assert str(failed.value) == (
        f"contact {CONTACT_B}: another run of it wrote frames/{partition}/{CONTACT_B}/sc157-vc5.cadu while this one "
        "ran; no earlier product was deleted, and the retry processes every file"
    )
    assert products.deleted == [] and theirs.exists()


def test_a_stale_product_another_run_deleted_first_fails_nothing_and_is_not_called_written(
    raw: DirStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs of a contact that both find the same stale product: the one that deletes it
    second found it gone between its listings, counted it as written by the other run, and failed
    (retried in full) naming as written a product that no longer existed."""
    from groundlink.runtime import delivery

    products = DirStore(tmp_path / "products")
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    stale = products.root / f"frames/{partition}/{CONTACT_B}/sc157-vc9.cadu"  # a channel no longer seen
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an earlier run's vc9 frames")
    real = delivery.earlier_products
    found: list[list[str]] = []

    def the_other_run_deletes_it_first(*args, **kwargs):
        found.append(real(*args, **kwargs))
        stale.unlink()
        return found[-1]

    monkeypatch.setattr(delivery, "earlier_products", the_other_run_deletes_it_first)
    (summary,) = process_location(ContactLocation(("contacts/",), CONTACT_B), raw, products, tmp_path / "work")
    assert found == [[f"frames/{partition}/{CONTACT_B}/sc157-vc9.cadu"]]
    assert summary["contact_id"] == CONTACT_B and not stale.exists() and products.deleted == []


class InvalidObjectState(Exception):
    """botocore's ClientError as S3 words a GetObject of an archived object: no key in it."""


class ArchivedCapture(DirStore):
    def download(self, key: str, path: Path) -> None:
        if key.endswith("_0001.pcap"):
            raise InvalidObjectState(
                "An error occurred (InvalidObjectState) when calling the GetObject operation: The operation is not "
                "valid for the object's storage class"
            )
        super().download(key, path)


def test_a_capture_the_store_will_not_give_is_named_in_the_failure(raw: DirStore, tmp_path: Path) -> None:
    """The SDKs' errors name no object (S3's InvalidObjectState of a capture the tiering archived,
    a 404 on HeadObject, Blob Storage's BlobNotFound): with many files to a contact, the line
    left the operator guessing which one to restore."""
    store = ArchivedCapture(raw.root)
    (key,) = capture_keys(store, ContactLocation(("contacts/",), CONTACT_B))
    with pytest.raises(DeliveryFailed) as failed:
        process_location(ContactLocation(("contacts/",), CONTACT_B), store, DirStore(tmp_path / "p"), tmp_path / "w")
    assert str(failed.value) == (
        f"raw object {key}: InvalidObjectState: An error occurred (InvalidObjectState) when calling the GetObject "
        "operation: The operation is not valid for the object's storage class"
    )


def test_a_stale_product_another_run_deleted_first_is_deleted_on_azure_too() -> None:
    """S3's DeleteObject takes a missing key; Blob Storage answers 404, and a run whose products
    were all uploaded failed on a stale product the other run of its contact had just deleted."""
    from types import SimpleNamespace

    from groundlink.runtime.azure_functions import BlobStore

    class NotFound(Exception):
        status_code = 404

    class Refused(Exception):
        status_code = 403

    gone = BlobStore(SimpleNamespace(delete_blob=lambda key: (_ for _ in ()).throw(NotFound("BlobNotFound"))))
    gone.delete("frames/x.cadu")  # already deleted: nothing to say
    refused = BlobStore(SimpleNamespace(delete_blob=lambda key: (_ for _ in ()).throw(Refused("AuthorizationFailure"))))
    with pytest.raises(Refused):
        refused.delete("frames/x.cadu")


def test_each_cloud_s_listing_gives_versions_and_leaves_data_lake_directories_out() -> None:
    """S3's ETag and Blob Storage's etag change with each write. On a hierarchical namespace a
    flat listing holds the directories as blobs marked `hdi_isfolder`: a partner's folder per
    downlink was named a skipped object of every contact."""
    from types import SimpleNamespace

    from groundlink.runtime.azure_functions import BlobStore

    class Container:
        def list_blobs(self, name_starts_with: str, include: list[str]):
            assert include == ["metadata"]
            return [
                SimpleNamespace(name="p/pass-1/downlink-a", etag="0x1", metadata={"hdi_isfolder": "true"}),
                SimpleNamespace(name="p/pass-1/downlink-a/hrd_0001.pcap", etag="0x2", metadata={}),
                SimpleNamespace(name="p/pass-1/manifest.json", etag="0x3", metadata=None),
            ]

    blobs = BlobStore(Container())
    assert blobs.versions("p/") == {"p/pass-1/downlink-a/hrd_0001.pcap": "0x2", "p/pass-1/manifest.json": "0x3"}
    assert list(blobs.keys("p/")) == ["p/pass-1/downlink-a/hrd_0001.pcap", "p/pass-1/manifest.json"]

    class Client:
        def get_paginator(self, operation: str):
            assert operation == "list_objects_v2"
            pages = [
                {"Contents": [{"Key": "a.pcap", "ETag": '"e1"'}]},
                {"Contents": [{"Key": "b.pcap", "ETag": '"e2"'}]},
            ]
            return SimpleNamespace(paginate=lambda Bucket, Prefix: pages)

    objects = aws_lambda.S3Store(Client(), "raw")
    assert objects.versions("") == {"a.pcap": '"e1"', "b.pcap": '"e2"'}
    assert list(objects.keys("")) == ["a.pcap", "b.pcap"]


@pytest.mark.parametrize(
    ("event", "skipped"),
    [
        # a state change of a dataflow endpoint group names a contact id too: no contact ends
        (
            {
                "source": "aws.groundstation",
                "detail-type": "Ground Station Dataflow Endpoint Group State Change",
                "time": "2025-12-01T10:20:00Z",
                "detail": {"contactId": CONTACT_A},
            },
            "a Ground Station 'Ground Station Dataflow Endpoint Group State Change' event ends no contact",
        ),
        # a manifest deleted is no contact delivered
        (
            {
                "source": "aws.s3",
                "detail-type": "Object Deleted",
                "detail": {"object": {"key": "partner/year=2025/month=12/day=01/satellite=snpp/pc-2/manifest.json"}},
            },
            "event 'Object Deleted' creates no manifest",
        ),
        (
            {
                "eventType": "Microsoft.Storage.BlobDeleted",
                "subject": "/blobServices/default/containers/raw-contact-data/blobs/x/satellite=snpp/pc-2/manifest.json",
            },
            "event 'Microsoft.Storage.BlobDeleted' creates no manifest",
        ),
    ],
)
def test_an_event_of_another_kind_is_acknowledged_without_work(event, skipped, raw: DirStore, tmp_path: Path) -> None:
    """The stack's rules pass only the events that end a contact; the runtime does not take another
    kind that names a contact id or a manifest key for one (defence in depth: a rule edited by hand)."""
    products = DirStore(tmp_path / "products")
    assert handle_message(json.dumps(event), raw, products) == {"skipped": skipped}
    assert raw.downloaded == [] and products.uploaded == []


def test_the_kinds_of_event_that_end_a_contact_are_processed(raw: DirStore, tmp_path: Path) -> None:
    products = DirStore(tmp_path / "products")
    event = {
        "source": "aws.groundstation",
        "detail-type": "Ground Station S3 Upload Complete",
        "time": "2025-12-01T10:20:00Z",
        "detail": {"contactId": CONTACT_A},
    }
    assert _outcome(handle_message(json.dumps(event), raw, products)) == {
        "processed": CONTACT_A,
        "contacts": [CONTACT_A],
    }


def test_the_package_imports_on_its_own(tmp_path: Path) -> None:
    """The files the cloud gets are all the processor and its handlers import of groundlink: a
    module left out (the processor came to import groundlink.interrupt) fails every invocation
    at import, which no test of the checkout sees."""
    for name, source in package_files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp_path / name)
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import groundlink.runtime.aws_lambda, groundlink.runtime.azure_functions, groundlink.runtime.job\n"
        "import groundlink.processing.processor\n"
        "own = sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('groundlink') and m.__file__)\n"
        "assert all(f.startswith(sys.argv[1]) for f in own), own\n"
        "print(len(own))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 10


def test_the_package_holds_no_module_the_runtime_does_not_import() -> None:
    """Every module of groundlink.processing went into the cloud: `query` (DuckDB, for the CLI)
    and `throughput` (the benchmark's), which cannot import there, and an edit of either changed
    the Lambda code and the Flex and image digests with no code the cloud runs changed."""
    files = package_files()
    assert {"groundlink/processing/processor.py", "groundlink/interrupt.py"} <= set(files)
    assert not {"groundlink/processing/query.py", "groundlink/processing/throughput.py"} & set(files)
    assert "groundlink/processing/__init__.py" in files and "groundlink/inputs.py" not in files


def test_a_partner_name_used_again_the_next_day_keeps_the_earlier_contacts_products(tmp_path: Path, capsys) -> None:
    """A partner naming its passes `pass-1` each day: the second day's run deleted the first
    day's products as its own earlier ones, and said nothing. Frames a day apart are another
    contact's: kept, and said; the same contact processed again still replaces its own."""
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")

    def deliver(day: int, counts: list[int]) -> dict:
        prefix = f"partner/year=2025/month=12/day={day:02d}/satellite=snpp/pass-1"
        (tmp_path / "raw" / prefix).mkdir(parents=True, exist_ok=True)
        start = (EPOCH + (day - 1) * 86_400 + 3600) * 1_000_000
        Capture(packetise(stream_of(frames(counts)), 1000, start)).write(tmp_path / "raw" / prefix / "hrd_0001.pcap")
        (tmp_path / "raw" / prefix / "manifest.json").write_text("{}")
        event = {"subject": f"/blobServices/default/containers/raw/blobs/{prefix}/manifest.json"}
        return handle_message(json.dumps(event), raw, products)

    deliver(1, [0, 1, 2])
    capsys.readouterr()
    deliver(2, [0, 1, 2, 3])
    first_day = "year=2025/month=12/day=01/satellite=snpp"
    assert products.deleted == []
    assert f"contact_summary/{first_day}/pass-1.parquet" in set(products.keys("contact_summary/"))
    assert [line for line in capsys.readouterr().err.splitlines() if "another contact's" in line] == [
        f"groundlink: contact pass-1: the products under {first_day} are another contact's of the same name "
        f"(delivered under partner/{first_day}/pass-1/), so they are kept; a "
        "contact's name is its id in every product and query, so give each contact a name of its own"
    ]


def test_a_partner_contact_redelivered_with_its_clock_put_right_replaces_its_earlier_products(
    tmp_path: Path, capsys
) -> None:
    """The same delivery (one prefix) processed again after its capture clock was put right (3 h
    ahead, dated the next day): its earlier products are its own, deleted, whatever their date."""
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    prefix = "partner/year=2025/month=12/day=01/satellite=snpp/pass-1"
    event = json.dumps({"subject": f"/blobServices/default/containers/raw/blobs/{prefix}/manifest.json"})
    (tmp_path / "raw" / prefix).mkdir(parents=True)
    (tmp_path / "raw" / prefix / "manifest.json").write_text("{}")
    for hour in (23 + 3, 23):  # 02:00 of the next day, then 23:00 as it was
        start = (EPOCH + hour * 3600) * 1_000_000
        Capture(packetise(stream_of(frames([0, 1, 2])), 1000, start)).write(tmp_path / "raw" / prefix / "hrd_0001.pcap")
        handle_message(event, raw, products)
    assert sorted(products.keys("contact_summary/")) == [
        "contact_summary/year=2025/month=12/day=01/satellite=snpp/pass-1.parquet"
    ]
    assert "another contact's" not in capsys.readouterr().err


def test_a_partners_products_written_before_their_prefix_was_recorded_are_judged_by_their_frames(
    tmp_path: Path, capsys
) -> None:
    """The first delivery after an upgrade: the day before's `pass-1`, its summary without the
    prefix it came from, was deleted as this pass's own. Its frames, a day apart, keep it."""
    import pyarrow.parquet as pq

    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    for day in (1, 2):
        prefix = f"partner/year=2025/month=12/day={day:02d}/satellite=snpp/pass-1"
        (tmp_path / "raw" / prefix).mkdir(parents=True)
        start = (EPOCH + (day - 1) * 86_400) * 1_000_000
        Capture(packetise(stream_of(frames([0, 1, 2])), 1000, start)).write(tmp_path / "raw" / prefix / "hrd.pcap")
        (tmp_path / "raw" / prefix / "manifest.json").write_text("{}")
        handle_message(json.dumps({"subject": f"/blobs/{prefix}/manifest.json"}), raw, products)
        if day == 1:  # as an earlier groundlink wrote it
            summary = products.root / "contact_summary/year=2025/month=12/day=01/satellite=snpp/pass-1.parquet"
            pq.write_table(pq.read_table(summary).replace_schema_metadata(None), summary)
    assert products.deleted == []
    assert "(its frames from 2025-12-01 00:00, apart from these), so they are kept" in capsys.readouterr().err


def test_a_redelivery_into_one_prefix_replaces_an_undated_run_written_before_the_key(tmp_path: Path) -> None:
    """A partner contact first delivered without packets (dated by its folder, day 05) by an
    earlier groundlink, then filled (dated day 01): the undated run is the same contact's,
    replaced, though its summary says nothing of where it came from."""
    import pyarrow.parquet as pq

    prefix = "partner/year=2025/month=12/day=05/satellite=noaa20/c42"
    folder = tmp_path / "raw" / prefix
    Capture([]).write(folder / "part_0001.pcap")
    (folder / "manifest.json").write_text("{}")
    event = json.dumps({"subject": f"/blobs/{prefix}/manifest.json"})
    raw, products = DirStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    handle_message(event, raw, products)
    summary = products.root / "contact_summary/year=2025/month=12/day=05/satellite=noaa20/c42.parquet"
    pq.write_table(pq.read_table(summary).replace_schema_metadata(None), summary)  # as written before the key
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(folder / "part_0001.pcap")
    handle_message(event, raw, products)
    assert sorted(products.keys("contact_summary/")) == [
        "contact_summary/year=2025/month=12/day=01/satellite=noaa20/c42.parquet"
    ]


def test_the_log_record_holds_the_worst_loss_of_its_contacts_in_one_fixed_field(tmp_path: Path) -> None:
    """Frames 0-2 and 5-7 of a contact: 2 missing of the 8 it should hold, 25%, in the field the
    frame-loss alarm reads (a metric filter cannot read `counts`, keyed by contact id)."""
    from groundlink.runtime.delivery import LOSS_FIELD

    contact = tmp_path / "raw" / PASS_7
    contact.mkdir(parents=True)
    Capture(packetise(stream_of(frames([0, 1, 2, 5, 6, 7])), 1000, EPOCH * 1_000_000)).write(contact / "hrd.pcap")
    (contact / "manifest.json").write_text("{}")
    record = handle_message(_s3_manifest_event(PASS_7), DirStore(tmp_path / "raw"), DirStore(tmp_path / "products"))
    assert record["counts"]["pass-7"]["missing_frames"] == 2
    assert LOSS_FIELD == "worst_loss_percent" and record[LOSS_FIELD] == 25.0


NO_DATA = {"ok_frames": 0, "missing_frames": 0, "edge_corrupt_frames": 0}


@pytest.mark.parametrize(
    ("counts", "percent"),
    [
        # 96 good data frames, 4 missing (3 of them where a corrupt frame sat): 4 of 100 lost
        ({"ok_frames": 96, "missing_frames": 4, "edge_corrupt_frames": 0}, 4.0),
        # and 5 garbled after the last good one, in no gap: 9 of 105
        ({"ok_frames": 96, "missing_frames": 4, "edge_corrupt_frames": 5}, 8.571),
        ({"ok_frames": 3, "missing_frames": 0, "edge_corrupt_frames": 0}, 0.0),
        # 1 of 3 expected: kept to a thousandth of a percent
        ({"ok_frames": 2, "missing_frames": 1, "edge_corrupt_frames": 0}, 33.333),
        # no frame: packets but none of the downlink's payload is all lost, and so is a payload
        # without a frame; nothing at all, or idle fill alone, says nothing of a loss
        ({**NO_DATA, "packets": 9, "payload_bytes": 0, "frames": 0}, 100.0),
        ({**NO_DATA, "packets": 9, "payload_bytes": 900, "frames": 0}, 100.0),
        ({**NO_DATA, "packets": 9, "payload_bytes": 900, "frames": 4}, 0.0),
        ({**NO_DATA, "packets": 0, "payload_bytes": 0, "frames": 0}, 0.0),
    ],
)
def test_a_contact_s_loss_is_its_lost_data_frames_of_those_it_should_hold(counts, percent) -> None:
    from groundlink.runtime.delivery import loss_percent

    assert loss_percent(counts) == percent


@pytest.mark.parametrize(("setting", "percent"), [(None, 100.0), ("true", 0.0), ("TRUE", 0.0), ("false", 100.0)])
def test_a_frameless_contact_reads_as_lost_unless_the_stack_says_digif_is_delivered(
    tmp_path: Path, monkeypatch, setting, percent
) -> None:
    """Through the runtime's message handling: the setting, not the contact, says whether a
    payload without a frame is samples or a loss."""
    from groundlink.runtime.delivery import LOSS_FIELD, SAMPLES_DELIVERED

    if setting is None:
        monkeypatch.delenv(SAMPLES_DELIVERED, raising=False)
    else:
        monkeypatch.setenv(SAMPLES_DELIVERED, setting)
    contact = tmp_path / "raw" / PASS_7
    contact.mkdir(parents=True)
    Capture(packetise(bytes(range(256)) * 64, 1000, EPOCH * 1_000_000)).write(contact / "hrd.pcap")
    (contact / "manifest.json").write_text("{}")
    record = handle_message(_s3_manifest_event(PASS_7), DirStore(tmp_path / "raw"), DirStore(tmp_path / "products"))
    assert record["counts"]["pass-7"]["frames"] == 0
    assert record[LOSS_FIELD] == percent


class _GrantedStore(DirStore):
    """A DirStore that records each call as the IAM action and resource S3 authorizes it by:
    boto3's `download_file` is HeadObject and GetObject (s3:GetObject), `upload_file`
    PutObject or a multipart upload (s3:PutObject), a listing ListObjectsV2 (s3:ListBucket on
    the bucket, its prefix the `s3:prefix` condition key)."""

    def __init__(self, root: Path, arn: str):
        super().__init__(root)
        self.arn, self.calls = arn, []

    def keys(self, prefix: str):
        self.calls.append(("s3:ListBucket", self.arn, prefix))
        return super().keys(prefix)

    def download(self, key: str, path: Path) -> None:
        self.calls.append(("s3:GetObject", f"{self.arn}/{key}", None))
        super().download(key, path)

    def upload(self, path: Path, key: str) -> None:
        self.calls.append(("s3:PutObject", f"{self.arn}/{key}", None))
        super().upload(path, key)

    def delete(self, key: str) -> None:
        self.calls.append(("s3:DeleteObject", f"{self.arn}/{key}", None))
        super().delete(key)


def _granted(statements: list[dict], action: str, resource: str, prefix: str | None) -> bool:
    import fnmatch

    for statement in statements:
        actions, resources = statement["Action"], statement["Resource"]
        actions = actions if isinstance(actions, list) else [actions]
        resources = resources if isinstance(resources, list) else [resources]
        if statement["Effect"] != "Allow" or action not in actions:
            continue
        if not any(fnmatch.fnmatchcase(resource, pattern) for pattern in resources):
            continue
        allowed = statement.get("Condition", {}).get("StringLike", {}).get("s3:prefix")
        if allowed is None or any(fnmatch.fnmatchcase(prefix or "", p) for p in allowed):
            return True
    return False


def test_every_store_call_of_the_aws_runtime_is_one_its_role_grants(tmp_path: Path, capsys) -> None:
    """A partner's `pass-1` of the next day reads the earlier day's contact summary to tell
    another contact's products from its own: the role granted no read of products, so S3
    refused it (403) and every such contact failed, was retried and dead-lettered, its new
    products already uploaded. Every call the runtime makes, in the paths that reach the most
    (a first delivery, a name used again the next day, a contact processed again), is held to
    the plan's role policy."""
    from tests.aws_support import bucket_by_role, doc, statements
    from tests.conftest import cached_plan

    plan = cached_plan("partner.yaml", "aws")
    policy = statements(doc(plan.one("aws:iam/rolePolicy:RolePolicy", "polar-partner-processing-policy")))
    raw = _GrantedStore(tmp_path / "raw", bucket_by_role(plan, "raw").outputs["arn"])
    products = _GrantedStore(tmp_path / "products", bucket_by_role(plan, "products").outputs["arn"])

    def deliver(day: int, counts: list[int], clock_hours: int = 1) -> None:
        prefix = f"partner/year=2025/month=12/day={day:02d}/satellite=snpp/pass-1"
        (tmp_path / "raw" / prefix).mkdir(parents=True, exist_ok=True)
        start = (EPOCH + (day - 1) * 86_400 + clock_hours * 3600) * 1_000_000
        Capture(packetise(stream_of(frames(counts)), 1000, start)).write(tmp_path / "raw" / prefix / "hrd_0001.pcap")
        (tmp_path / "raw" / prefix / "manifest.json").write_text("{}")
        event = {"subject": f"/blobServices/default/containers/raw/blobs/{prefix}/manifest.json"}
        handle_message(json.dumps(event), raw, products)

    deliver(1, [0, 1, 2])
    deliver(2, [0, 1, 2, 3])  # the same name the next day: the earlier day's summary is read
    # processed again, its clock put right a day ahead: its earlier products listed and deleted
    deliver(2, [0, 1, 2, 3], clock_hours=25)
    capsys.readouterr()
    calls = raw.calls + products.calls
    assert {action for action, _, _ in products.calls} == {
        "s3:ListBucket",
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
    }
    refused = [call for call in calls if not _granted(policy, *call)]
    assert refused == []


def test_a_partner_manifest_key_url_encoded_as_s3_notifications_encode_it_locates_its_contact() -> None:
    """S3's direct notifications URL-encode a key (`=` as %3D); whether its EventBridge events do,
    its page does not say. An encoded key of the partner's contract was refused ("no satellite=<name>
    in its prefix"), retried and dead-lettered: it is read decoded; a plain key as it comes."""
    plain = "partner/year=2025/month=12/day=01/satellite=snpp/c1/manifest.json"
    encoded = "partner/year%3D2025/month%3D12/day%3D01/satellite%3Dsnpp/c1/manifest.json"
    expected = ContactLocation(("partner/year=2025/month=12/day=01/satellite=snpp/c1/",), "c1", named_in_files=False)
    assert locate({"source": "aws.s3", "detail": {"object": {"key": encoded}}}) == expected
    assert locate({"source": "aws.s3", "detail": {"object": {"key": plain}}}) == expected


def test_a_newline_in_a_partner_s_object_key_forges_no_log_record(tmp_path: Path, capsys) -> None:
    """The skipped objects' line printed a partner's key raw: a key holding a newline and a JSON
    object made a log line of its own, `{"processed": ..., "worst_loss_percent": 100.0}`, the
    record the frame-loss alarm's metric filter reads. Every warning line is escaped."""
    import json

    contact = tmp_path / "raw/partner/year=2025/month=12/day=01/satellite=snpp/pass-0042"
    contact.mkdir(parents=True)
    forged = json.dumps({"processed": "pass-9", "worst_loss_percent": 100.0})
    (contact / f"x\n{forged}\n.txt").write_bytes(b"\0" * 8)
    Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "capture_1.pcap")
    key = "partner/year=2025/month=12/day=01/satellite=snpp/pass-0042/manifest.json"
    event = {"subject": f"/blobServices/default/containers/raw/blobs/{key}"}
    process_location(locate(event), DirStore(tmp_path / "raw"), DirStore(tmp_path / "products"), tmp_path / "work")
    err = capsys.readouterr().err.splitlines()
    (line,) = [line for line in err if "not named *.pcap" in line]
    assert line.endswith("pass-0042/x\\n" + forged + "\\n.txt")
    assert not [line for line in err if line.startswith("{")]  # no line a JSON filter would read


def test_a_partition_folder_below_a_partner_s_contact_fails_it_naming_the_key(tmp_path: Path) -> None:
    """A downlink's folder named `satellite=noaa20` under a contact of snpp moved its products to
    noaa20, silently, though the manifest's satellite had been checked; `year=` folders likewise
    fed the days searched. Refused, naming the key; a folder of any other name is a downlink's."""
    prefix = "partner/year=2025/month=12/day=01/satellite=snpp/pass-1/"
    event = {"subject": f"/blobServices/default/containers/raw/blobs/{prefix}manifest.json"}
    for folder, refused in (("satellite=noaa20", True), ("day=02", True), ("hrd", False)):
        contact = tmp_path / folder / "raw" / prefix / folder
        contact.mkdir(parents=True)
        Capture(packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)).write(contact / "a.pcap")
        raw, products = DirStore(tmp_path / folder / "raw"), DirStore(tmp_path / folder / "products")
        if not refused:
            (summary,) = process_location(locate(event), raw, products, tmp_path / folder / "work")
            assert summary["satellite"] == "snpp"
            continue
        with pytest.raises(ContactFailed) as failed:
            process_location(locate(event), raw, products, tmp_path / folder / "work")
        assert str(failed.value) == (
            f"raw object {prefix}{folder}/a.pcap: a folder {folder} below its contact's prefix {prefix} (a "
            "downlink's folder takes any name but a partition's: year=, month=, day=, satellite=)"
        )
        assert products.uploaded == []


def test_the_runtime_s_partner_layout_is_the_blueprint_s_partner_prefix() -> None:
    """The runtime package does not import the blueprint: its layout is written out again, and
    held to the prefix the stacks grant the partner and the AWS rule matches."""
    from groundlink.blueprint import PARTNER_PREFIX
    from groundlink.runtime.delivery import PARTNER_CONTACT

    assert PARTNER_CONTACT.pattern.startswith(PARTNER_PREFIX + "year=")


def test_the_container_job_prints_a_failure_naming_a_partner_s_key_escaped(monkeypatch, capsys) -> None:
    """A failure's text names the partner's keys as they are: an escape sequence in one reached
    the job's log raw (the cloud runtimes' other lines go through `warn` alike)."""
    from groundlink.runtime import job

    def fails(event: str) -> None:
        raise job.MessageFailed("the message failed: raw object partner/x\x1b[2Jy.pcap: cut short")

    monkeypatch.setattr(job, "run_aws", fails)
    assert job.main(["{}"]) == job.MESSAGE_FAILED
    err = capsys.readouterr().err
    assert (
        "\x1b" not in err
        and err == "groundlink job: the message failed: raw object partner/x\\x1b[2Jy.pcap: cut short\n"
    )


def test_the_package_follows_imports_through_packages_and_functions_but_not_type_checking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package's `__init__.py` was added unread: a module only it imports (`from . import
    extra`) was left out, and the cloud would fail at import with no test of the checkout failing."""
    from groundlink.runtime import package

    tree = {
        "__init__.py": "",
        "runtime/__init__.py": "",
        "runtime/entry.py": "from ..processing.core import thing\n\ndef later():\n    import groundlink.later\n",
        "processing/__init__.py": "from . import extra\n",
        "processing/core.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .. import typed_only\nthing = 1\n",
        "processing/extra.py": "",
        "processing/unused.py": "",
        "later.py": "",
        "typed_only.py": "",
    }
    for name, text in tree.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(package, "ROOT", tmp_path)
    assert sorted(package.package_files()) == [
        "groundlink/__init__.py",
        "groundlink/later.py",
        "groundlink/processing/__init__.py",
        "groundlink/processing/core.py",
        "groundlink/processing/extra.py",
        "groundlink/runtime/__init__.py",
        "groundlink/runtime/entry.py",
    ]
