"""The container job's entry point: `python -m groundlink.runtime.job [EVENT_JSON]`.

On AWS, EventBridge Pipes takes the message off the contact queue and submits a Batch job
with the message body as its one argument. On Azure, the Container Apps job's KEDA rule starts
an execution per waiting message and the execution receives that message itself, completing
it only when the contact's products are written (else it is retried, then dead-lettered).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from typing import Any

from .aws_lambda import PRODUCTS_BUCKET, RAW_BUCKET, S3Store
from .azure_functions import ACCOUNT_URL, PRODUCTS_CONTAINER, QUEUE, RAW_CONTAINER, BlobStore
from .delivery import handle_message

NAMESPACE = "GROUNDLINK_SERVICEBUS_NAMESPACE"
# The execution's replica timeout (spec processing.timeout_seconds), for as long as the message lock
# is renewed; the Container Apps maximum when unset.
TIMEOUT = "GROUNDLINK_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT = 86_400


class MissingSetting(RuntimeError):
    """An environment variable the job's definition sets (components/*/processing.py) is absent."""


def _setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingSetting(f"environment variable {name} is not set; the job definition the stack deploys sets it")
    return value


def _process(body: str, raw: Any, products: Any) -> None:
    print(json.dumps(handle_message(body, raw, products)))


def run_aws(body: str) -> None:
    raw_bucket, products_bucket = _setting(RAW_BUCKET), _setting(PRODUCTS_BUCKET)
    client = importlib.import_module("boto3").client("s3")
    _process(body, S3Store(client, raw_bucket), S3Store(client, products_bucket))


def run_azure() -> None:
    account, raw_container, products_container = (
        _setting(ACCOUNT_URL),
        _setting(RAW_CONTAINER),
        _setting(PRODUCTS_CONTAINER),
    )
    namespace, queue = _setting(NAMESPACE), _setting(QUEUE)
    credential = importlib.import_module("azure.identity").DefaultAzureCredential()
    blobs = importlib.import_module("azure.storage.blob").BlobServiceClient(account, credential)
    raw = BlobStore(blobs.get_container_client(raw_container))
    products = BlobStore(blobs.get_container_client(products_container))
    servicebus = importlib.import_module("azure.servicebus")
    bus = servicebus.ServiceBusClient(namespace, credential)
    # A peek-lock lasts at most 5 minutes and a contact may take the job's whole replica timeout:
    # unrenewed, the lock would lapse, the message reach another execution meanwhile, and this
    # one's completion fail. The renewer holds the lock for as long as the job may run.
    renewer = servicebus.AutoLockRenewer(max_lock_renewal_duration=float(os.environ.get(TIMEOUT, DEFAULT_TIMEOUT)))
    with (
        bus,
        renewer,
        bus.get_queue_receiver(queue, max_wait_time=30, auto_lock_renewer=renewer) as receiver,
    ):
        for message in receiver.receive_messages(max_message_count=1):
            try:
                _process(str(message), raw, products)
            except Exception:
                receiver.abandon_message(message)  # retried, then dead-lettered at maxDeliveryCount
                raise
            receiver.complete_message(message)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m groundlink.runtime.job",
        description="Process one contact into its products, as the stack's container job does.",
        epilog=(
            f"AWS (Batch, submitted by the EventBridge pipe): EVENT_JSON is the queue message's body; "
            f"reads {RAW_BUCKET} and {PRODUCTS_BUCKET}. Azure (Container Apps job): no argument; receives "
            f"one message from {QUEUE} on {NAMESPACE} and reads {ACCOUNT_URL}, {RAW_CONTAINER}, "
            f"{PRODUCTS_CONTAINER}. Exit 2 when a setting is missing."
        ),
    )
    parser.add_argument("event", nargs="?", metavar="EVENT_JSON", help="the contact message (AWS only)")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.event is not None:
            run_aws(args.event)
        else:
            run_azure()
    except MissingSetting as err:
        print(f"groundlink job: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
