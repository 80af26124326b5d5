"""The cloud runtime's scratch directory, offline: one fixed directory under the temporary
directory, emptied before each message (a Lambda killed at its timeout leaves /tmp as it was), and
failure lines that name the stores' keys, never a path in it, whatever raised (a store's SDK, the
disk)."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from groundlink.processing import processor
from groundlink.runtime import aws_lambda, delivery, job
from tests.contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of
from tests.test_processing_runtime import DirStore

PARTITION = "contacts/year=2025/month=12/day=01/satellite=noaa20"
CAPTURE_KEY = f"{PARTITION}/noaa20_{CONTACT_A}_0001.pcap"
STREAM_KEY = f"frames/year=2025/month=12/day=01/satellite=noaa20/{CONTACT_A}/sc157-vc0.cadu"
BODY = json.dumps({"source": "aws.groundstation", "time": "2025-12-01T10:00:00Z", "detail": {"contactId": CONTACT_A}})


class RecordingStore(DirStore):
    """A DirStore that notes where each capture is fetched to, and what the scratch held then."""

    def __init__(self, root: Path):
        super().__init__(root)
        self.fetched_to: list[Path] = []
        self.scratch_then: list[list[str]] = []

    def download(self, key: str, path: Path) -> None:
        scratch = delivery.scratch_dir()
        self.scratch_then.append(sorted(p.relative_to(scratch).as_posix() for p in scratch.rglob("*") if p.is_file()))
        self.fetched_to.append(path)
        super().download(key, path)


@pytest.fixture
def tmp(tmp_path: Path, monkeypatch) -> Path:
    """The temporary directory the runtime sees (Lambda's /tmp)."""
    directory = tmp_path / "tmp"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _contact(root: Path) -> None:
    packets = packetise(stream_of(frames([0, 1, 3])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(root), CONTACT_A, 1))


def _over(module: Any, raw: Any, products: Any, monkeypatch) -> None:
    """`module` (aws_lambda or job) with its buckets as these stores and no boto3 client."""
    stores = {"raw": raw, "products": products}
    monkeypatch.setenv(aws_lambda.RAW_BUCKET, "raw")
    monkeypatch.setenv(aws_lambda.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(module, "S3Store", lambda client, bucket: stores[bucket])
    monkeypatch.setattr(module.importlib, "import_module", lambda name: type("boto3", (), {"client": print}))


RUNS = {  # each runtime over the stores; true when the message was processed
    "lambda": (
        aws_lambda,
        lambda: aws_lambda.handler({"Records": [{"messageId": "m1", "body": BODY}]}, None) == {"batchItemFailures": []},
    ),
    "container-job": (job, lambda: job.main([BODY]) == 0),
}


@pytest.mark.parametrize("runtime", sorted(RUNS))
def test_what_a_killed_invocation_left_in_scratch_is_emptied_before_the_next_stages(
    runtime: str, tmp: Path, tmp_path: Path, monkeypatch
) -> None:
    """An earlier invocation of the environment timed out mid-contact: its fetched copy of the
    same contact (here not even a capture) and a staged stream are still in /tmp. The next one
    stages into the same emptied directory: it neither reads them nor keeps them."""
    scratch = tmp / delivery.SCRATCH_NAME
    left = [
        scratch / "raw" / PARTITION / f"noaa20_{CONTACT_A}_0009.pcap",
        scratch / "products/.staging-x/frames/a.cadu",
    ]
    for path in left:
        path.parent.mkdir(parents=True)
        path.write_bytes(b"left by an invocation Lambda killed at its timeout")
    _contact(tmp_path / "raw")
    raw, products = RecordingStore(tmp_path / "raw"), DirStore(tmp_path / "products")
    module, run = RUNS[runtime]
    _over(module, raw, products, monkeypatch)
    assert run()
    assert raw.scratch_then == [[]], "staging began in an emptied scratch directory"
    assert raw.fetched_to == [scratch / "raw" / CAPTURE_KEY]
    assert STREAM_KEY in products.uploaded
    assert not [p for p in tmp.rglob("*") if p.is_file() and p.suffix != ".lock"], "nothing is left in /tmp"


def test_a_second_process_cannot_empty_the_scratch_under_a_live_one(tmp: Path) -> None:
    with delivery.scratch() as work, open(tmp / f"{delivery.SCRATCH_NAME}.lock", "a") as lock:
        assert work == tmp / delivery.SCRATCH_NAME and list(work.iterdir()) == []
        with pytest.raises(BlockingIOError):
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(tmp / f"{delivery.SCRATCH_NAME}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released with the message


# --- failure lines: no scratch path, whatever raised ---------------------------------------------


class S3UploadFailedError(Exception):
    """boto3.exceptions.S3UploadFailedError, as boto3's upload_file words it when a part fails."""


class FakeS3Client:
    """What aws_lambda.S3Store calls on boto3's S3 client, over a DirStore per bucket; its
    upload_file fails as boto3's does when S3 refuses a part of a multipart upload."""

    def __init__(self, buckets: dict[str, DirStore]):
        self.buckets = buckets

    def get_paginator(self, operation: str) -> Any:
        assert operation == "list_objects_v2"
        buckets = self.buckets

        class Paginator:
            def paginate(self, Bucket: str, Prefix: str) -> list[dict[str, Any]]:
                listed = buckets[Bucket].versions(Prefix)
                return [{"Contents": [{"Key": k, "ETag": v} for k, v in listed.items()]}]

        return Paginator()

    def download_file(self, bucket: str, key: str, filename: str) -> None:
        self.buckets[bucket].download(key, Path(filename))

    def upload_file(self, filename: str, bucket: str, key: str) -> None:
        cause = "An error occurred (InternalError) when calling the UploadPart operation: x"
        raise S3UploadFailedError(f"Failed to upload {filename} to {bucket}/{key}: {cause}")

    def delete_object(self, Bucket: str, Key: str) -> None:
        self.buckets[Bucket].delete(Key)


def _failure_line(tmp_path: Path, monkeypatch, capsys, raw: DirStore | None = None) -> str:
    """The Lambda handler's failure line for the contact, over the real S3Store and a fake client."""
    _contact(tmp_path / "raw")
    client = FakeS3Client({"raw": raw or DirStore(tmp_path / "raw"), "products": DirStore(tmp_path / "products")})
    monkeypatch.setenv(aws_lambda.RAW_BUCKET, "raw")
    monkeypatch.setenv(aws_lambda.PRODUCTS_BUCKET, "products")
    monkeypatch.setattr(
        aws_lambda.importlib, "import_module", lambda name: type("boto3", (), {"client": lambda s: client})
    )
    result = aws_lambda.handler({"Records": [{"messageId": "m1", "body": BODY}]}, None)
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    (line,) = [json.loads(out) for out in capsys.readouterr().out.splitlines() if "failed" in out]
    assert line["failed"] == "m1"
    error = str(line["error"])
    assert str(tmp_path) not in error and str(delivery.scratch_dir()) not in error and "/tmp" not in error
    return error


def test_an_upload_the_sdk_failed_is_named_by_its_product_key(tmp: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    assert _failure_line(tmp_path, monkeypatch, capsys) == (
        f"S3UploadFailedError: Failed to upload {STREAM_KEY} to products/{STREAM_KEY}: "
        "An error occurred (InternalError) when calling the UploadPart operation: x"
    )


class FullDisk(DirStore):
    def download(self, key: str, path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def test_a_fetch_the_disk_refused_is_named_by_the_raw_objects_key(tmp: Path, tmp_path: Path, monkeypatch, capsys):
    error = _failure_line(tmp_path, monkeypatch, capsys, raw=FullDisk(tmp_path / "raw"))
    assert error == f"OSError: [Errno 28] No space left on device: '{CAPTURE_KEY}'"


def test_a_stream_the_disk_refused_is_named_by_its_staged_name(tmp: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    def out_of_descriptors(self: Any, channel: tuple[int, int]) -> Any:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE), str(self.directory / "sc157-vc0.cadu"))

    monkeypatch.setattr(processor._Streams, "_stream", out_of_descriptors)
    error = _failure_line(tmp_path, monkeypatch, capsys)
    assert error == "OSError: [Errno 24] Too many open files: 'the staged frames/sc157-vc0.cadu'"


def test_a_scratch_directory_the_runtime_cannot_empty_is_named_without_its_path(tmp: Path, monkeypatch) -> None:
    def refused(path: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(Path(path) / "raw" / CAPTURE_KEY))

    (tmp / delivery.SCRATCH_NAME / "raw").mkdir(parents=True)
    monkeypatch.setattr(shutil, "rmtree", refused)
    with pytest.raises(delivery.DeliveryFailed) as failed, delivery.scratch():
        pass
    assert delivery.failure_line(failed.value) == f"PermissionError: [Errno 13] Permission denied: '{CAPTURE_KEY}'"
