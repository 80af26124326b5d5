"""The Lambda handler: SQS batch in, one contact per message, failures reported per message.

The event source mapping sets `ReportBatchItemFailures`, so a failed contact returns only its
own message to the queue; after the queue's maxReceiveCount it is redriven to the dead-letter
queue. boto3 comes with the Lambda Python runtime and is loaded only there.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .delivery import SettingError, failure_line, handle_message, setting

RAW_BUCKET = "GROUNDLINK_RAW_BUCKET"
PRODUCTS_BUCKET = "GROUNDLINK_PRODUCTS_BUCKET"


class S3Store:
    """An S3 bucket through boto3's client."""

    def __init__(self, client: Any, bucket: str):
        self.client, self.bucket = client, bucket

    def keys(self, prefix: str) -> Iterable[str]:
        return list(self.versions(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        """Each object's ETag, from the same listing: a new upload under the same key changes it."""
        found = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[str(item["Key"])] = str(item.get("ETag", ""))
        return found

    def download(self, key: str, path: Path) -> None:
        self.client.download_file(self.bucket, key, str(path))

    def upload(self, path: Path, key: str) -> None:
        self.client.upload_file(str(path), self.bucket, key)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)


def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    """Process each message's contact; return the ids of the messages that failed. A record
    that fails for any reason, a malformed one included, is reported alone: the others of the
    batch are acknowledged. A missing setting fails every record, each with one line naming it."""
    records = event.get("Records", [])
    try:
        raw_bucket, products_bucket = setting(RAW_BUCKET), setting(PRODUCTS_BUCKET)
    except SettingError as error:
        for record in records:
            print(json.dumps({"failed": str(record.get("messageId", "")), "error": failure_line(error)}))
        return {"batchItemFailures": [{"itemIdentifier": str(r.get("messageId", ""))} for r in records]}
    client = importlib.import_module("boto3").client("s3")
    raw, products = S3Store(client, raw_bucket), S3Store(client, products_bucket)
    failures = []
    for record in records:
        message_id = str(record.get("messageId", ""))
        try:
            print(json.dumps({"message": message_id, **handle_message(record["body"], raw, products)}))
        except Exception as error:  # the contact goes back to the queue, then to the dead-letter queue
            print(json.dumps({"failed": message_id, "error": failure_line(error)}))
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
