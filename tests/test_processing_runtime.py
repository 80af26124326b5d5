"""The cloud runtime of the processor, offline: contact events located, a contact's files fetched
from a store, processed, and exactly its products uploaded (the stores are in-memory fakes)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from groundlink.runtime import aws_lambda
from groundlink.runtime.delivery import ContactLocation, NotAContact, capture_keys, locate, process_location
from groundlink.runtime.package import package_files, requirements
from tests.contactgen import CONTACT_A, CONTACT_B, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of


class DirStore:
    """An object store over a directory: keys are paths relative to it."""

    def __init__(self, root: Path):
        self.root = root
        self.uploaded: list[str] = []

    def keys(self, prefix: str):
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())

    def download(self, key: str, path: Path) -> None:
        shutil.copyfile(self.root / key, path)

    def upload(self, path: Path, key: str) -> None:
        target = self.root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        self.uploaded.append(key)


@pytest.fixture
def raw(tmp_path: Path) -> DirStore:
    """Two contacts of one day: A with frames 0, 1, 3 (one gap), B with 0-4."""
    directory = raw_dir(tmp_path / "raw")
    for contact, counts in ((CONTACT_A, [0, 1, 3]), (CONTACT_B, range(5))):
        packets = packetise(stream_of(frames(counts)), 1000, EPOCH * 1_000_000)
        Capture(packets).write(contact_file(directory, contact, 1))
    return DirStore(tmp_path / "raw")


def test_a_station_event_locates_its_day_and_contact() -> None:
    event = {"source": "aws.groundstation", "time": "2025-12-01T10:20:00Z", "detail": {"contactId": CONTACT_A.upper()}}
    assert locate(event) == ContactLocation("contacts/year=2025/month=12/day=01/", CONTACT_A)


def test_a_partner_manifest_locates_its_prefix_on_both_clouds() -> None:
    key = "partner/year=2025/month=12/day=01/satellite=snpp/c1/manifest.json"
    aws = {"source": "aws.s3", "detail": {"bucket": {"name": "raw"}, "object": {"key": key}}}
    azure = {"subject": f"/blobServices/default/containers/raw-contact-data/blobs/{key}"}
    expected = ContactLocation("partner/year=2025/month=12/day=01/satellite=snpp/c1/")
    assert locate(aws) == locate(azure) == expected


def test_a_data_blob_is_not_a_contact() -> None:
    with pytest.raises(NotAContact, match="not a contact manifest"):
        locate({"subject": "/blobServices/default/containers/raw-contact-data/blobs/partner/c1/x_0001.pcap"})


def test_only_the_contacts_own_captures_are_fetched(raw: DirStore) -> None:
    keys = capture_keys(raw, ContactLocation("contacts/", CONTACT_B))
    assert keys == [f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0001.pcap"]


def test_one_contact_is_processed_and_exactly_its_products_uploaded(raw: DirStore, tmp_path: Path) -> None:
    products = DirStore(tmp_path / "products")
    (summary,) = process_location(ContactLocation("contacts/", CONTACT_A), raw, products, tmp_path / "work")
    partition = "year=2025/month=12/day=01/satellite=noaa20"
    assert sorted(products.uploaded) == [
        f"contact_summary/{partition}/{CONTACT_A}.parquet",
        f"frame_index/{partition}/{CONTACT_A}.parquet",
        f"frames/{partition}/{CONTACT_A}/sc157-vc0.cadu",
    ]
    assert (summary["contact_id"], summary["ok_frames"], summary["gaps"], summary["missing_frames"]) == (
        CONTACT_A,
        3,
        1,
        1,
    )
    row = pq.read_table(products.root / products.uploaded[0]).to_pylist()[0]
    assert row["ok_frames"] == 3


def test_the_lambda_reports_only_the_failed_message(raw: DirStore, tmp_path: Path, monkeypatch) -> None:
    """A broken contact returns its own message to the queue; the good one is acknowledged."""
    products = DirStore(tmp_path / "products")
    (raw.root / f"contacts/year=2025/month=12/day=01/satellite=noaa20/noaa20_{CONTACT_B}_0002.pcap").write_bytes(
        b"not a capture"
    )
    stores = {"raw": raw, "products": products}
    monkeypatch.setenv(aws_lambda.RAW_BUCKET, "raw")
    monkeypatch.setenv(aws_lambda.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(aws_lambda, "S3Store", lambda client, bucket: stores[bucket])
    monkeypatch.setattr(aws_lambda.importlib, "import_module", lambda name: type("boto3", (), {"client": print}))

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
