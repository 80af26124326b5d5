"""The Azure Functions app: a Service Bus trigger, one contact event per message.

The trigger's connection is identity-based (`ServiceBusConnection__fullyQualifiedNamespace`)
and blobs are reached with the app's managed identity. A message whose function raises is
retried by Service Bus and dead-lettered after the queue's maxDeliveryCount. The Functions,
Storage and Identity SDKs are installed from the package's requirements on the app and loaded
only there.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .delivery import failure_line, handle_message, setting

ACCOUNT_URL = "GROUNDLINK_BLOB_ENDPOINT"
RAW_CONTAINER = "GROUNDLINK_RAW_CONTAINER"
PRODUCTS_CONTAINER = "GROUNDLINK_PRODUCTS_CONTAINER"
QUEUE = "GROUNDLINK_QUEUE"
CONNECTION = "ServiceBusConnection"
# The digest of the code the stack expects the app to run (groundlink.flexpackage.code_digest):
# the package is uploaded outside Pulumi, so this setting is what makes a code change show in a plan.
CODE_DIGEST = "GROUNDLINK_CODE_SHA256"


class MessageNotProcessed(Exception):
    """Raised to hand a failed message back to Service Bus (retried, then dead-lettered); its
    text holds no partner data, which the failure's JSON record, logged first, does escaped."""


class BlobStore:
    """A blob container through azure-storage-blob's ContainerClient."""

    def __init__(self, container: Any):
        self.container = container

    def keys(self, prefix: str) -> Iterable[str]:
        return list(self.versions(prefix))

    def versions(self, prefix: str) -> dict[str, str]:
        """Each blob's etag (a new upload under the same name changes it), directories left out.
        The mission's account has a hierarchical namespace, where a flat listing holds the
        directories too, as blobs whose metadata says `hdi_isfolder` ("When you use the List
        Blobs operation without specifying a delimiter, the results include both directories
        and blobs": Microsoft Learn, "Known issues with Azure Data Lake Storage"): a partner's
        folder per downlink was named a skipped object of every contact."""
        return {
            str(blob.name): str(blob.etag)
            for blob in self.container.list_blobs(name_starts_with=prefix, include=["metadata"])
            if (blob.metadata or {}).get("hdi_isfolder") != "true"
        }

    def download(self, key: str, path: Path) -> None:
        with path.open("wb") as handle:
            self.container.download_blob(key).readinto(handle)

    def upload(self, path: Path, key: str) -> None:
        with path.open("rb") as handle:
            self.container.upload_blob(key, handle, overwrite=True)

    def delete(self, key: str) -> None:
        """A blob already gone is deleted, as S3's DeleteObject takes a missing key: another run of
        the contact may have deleted the same stale product a moment before, and the run whose
        products are all uploaded failed on it (azure-storage-blob raises ResourceNotFoundError,
        HTTP 404)."""
        try:
            self.container.delete_blob(key)
        except Exception as error:
            if getattr(error, "status_code", None) != 404:
                raise


def build_app() -> Any:
    """The FunctionApp the packaged `function_app.py` exposes to the Functions host."""
    func = importlib.import_module("azure.functions")
    identity = importlib.import_module("azure.identity")
    blob = importlib.import_module("azure.storage.blob")
    service = blob.BlobServiceClient(setting(ACCOUNT_URL), credential=identity.DefaultAzureCredential())
    raw = BlobStore(service.get_container_client(setting(RAW_CONTAINER)))
    products = BlobStore(service.get_container_client(setting(PRODUCTS_CONTAINER)))
    queue = setting(QUEUE)
    app = func.FunctionApp()

    def contact(message: Any) -> None:
        """One message; raising returns it to Service Bus (retried, then dead-lettered), after one
        log line naming the failure."""
        message_id = str(getattr(message, "message_id", ""))
        try:
            record = handle_message(message.get_body().decode(), raw, products)
        except Exception as error:
            print(json.dumps({"failed": message_id, "error": failure_line(error)}))
            # the host logs what is raised as it is, in the table the frame-loss alert reads: the
            # error's text names a partner's keys, which may hold the alert's field
            # (`"worst_loss_percent": 100`), so what is raised says only where the record is
            raise MessageNotProcessed(
                f"message {message_id} failed: {type(error).__name__} (its JSON record is logged before this)"
            ) from None
        print(json.dumps(record))

    # The worker checks the trigger's parameter against its annotation when it indexes the app
    # and refuses any other type for a Service Bus trigger (`Any` included); the SDK is loaded at
    # run time, so the annotation is set here rather than written in the signature.
    contact.__annotations__["message"] = func.ServiceBusMessage

    # the decorator, applied by hand: the SDK is untyped and only installed on the app
    trigger = app.service_bus_queue_trigger(arg_name="message", queue_name=queue, connection=CONNECTION)
    trigger(contact)
    return app
