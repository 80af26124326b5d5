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
from typing import Any

from .delivery import handle_message

NAMESPACE = "GROUNDLINK_SERVICEBUS_NAMESPACE"
# The execution's replica timeout (spec processing.timeout_seconds), for as long as the message lock
# is renewed; the Container Apps maximum when unset.
TIMEOUT = "GROUNDLINK_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT = 86_400


def _process(body: str, raw: Any, products: Any) -> None:
    print(json.dumps(handle_message(body, raw, products)))


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
    servicebus = importlib.import_module("azure.servicebus")
    bus = servicebus.ServiceBusClient(os.environ[NAMESPACE], credential)
    # A peek-lock lasts at most 5 minutes and a contact may take the job's whole replica timeout:
    # unrenewed, the lock would lapse, the message reach another execution meanwhile, and this
    # one's completion fail. The renewer holds the lock for as long as the job may run.
    renewer = servicebus.AutoLockRenewer(max_lock_renewal_duration=float(os.environ.get(TIMEOUT, DEFAULT_TIMEOUT)))
    with (
        bus,
        renewer,
        bus.get_queue_receiver(os.environ[QUEUE], max_wait_time=30, auto_lock_renewer=renewer) as receiver,
    ):
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
