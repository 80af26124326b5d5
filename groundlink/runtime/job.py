"""The container job's entry point: `python -m groundlink.runtime.job [EVENT_JSON]`.

On AWS, EventBridge Pipes takes the message off the contact queue and submits a Batch job
with the message body as its one argument. On Azure, the Container Apps job's KEDA rule starts
an execution per waiting message and the execution receives that message itself, completing
it only when the contact's products are written (else it is retried, then dead-lettered).
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .delivery import NotAContact, locate, process_location

NAMESPACE = "GROUNDLINK_SERVICEBUS_NAMESPACE"


def _process(body: str, raw: Any, products: Any) -> None:
    try:
        location = locate(json.loads(body))
    except NotAContact as skipped:
        print(json.dumps({"skipped": str(skipped)}))
        return
    with tempfile.TemporaryDirectory() as work:
        process_location(location, raw, products, Path(work))


def run_aws(body: str) -> None:
    from .aws_lambda import PRODUCTS_BUCKET, RAW_BUCKET, S3Store

    client = importlib.import_module("boto3").client("s3")
    _process(body, S3Store(client, os.environ[RAW_BUCKET]), S3Store(client, os.environ[PRODUCTS_BUCKET]))


def run_azure() -> None:
    from .azure_functions import ACCOUNT_URL, PRODUCTS_CONTAINER, QUEUE, RAW_CONTAINER, BlobStore

    credential = importlib.import_module("azure.identity").DefaultAzureCredential()
    blobs = importlib.import_module("azure.storage.blob").BlobServiceClient(os.environ[ACCOUNT_URL], credential)
    raw = BlobStore(blobs.get_container_client(os.environ[RAW_CONTAINER]))
    products = BlobStore(blobs.get_container_client(os.environ[PRODUCTS_CONTAINER]))
    bus = importlib.import_module("azure.servicebus").ServiceBusClient(os.environ[NAMESPACE], credential)
    with bus, bus.get_queue_receiver(os.environ[QUEUE], max_wait_time=30) as receiver:
        for message in receiver.receive_messages(max_message_count=1):
            try:
                _process(str(message), raw, products)
            except Exception:
                receiver.abandon_message(message)  # retried, then dead-lettered at maxDeliveryCount
                raise
            receiver.complete_message(message)


def main(argv: list[str]) -> None:
    if argv:
        run_aws(argv[0])
    else:
        run_azure()


if __name__ == "__main__":
    main(sys.argv[1:])
