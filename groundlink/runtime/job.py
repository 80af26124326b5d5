"""The container job's entry point: `python -m groundlink.runtime.job [EVENT_JSON | --source ...]`.

On AWS, EventBridge Pipes takes the message off the contact queue and submits a Batch job
with the fields of the message's event that name the contact, each a job parameter the job's
command passes on as an option (JOB_EVENT_FIELDS). On Azure, the Container Apps job's KEDA rule starts
an execution per waiting message and the execution receives that message itself, completing
it only when the contact's products are written (else it is abandoned: retried, then
dead-lettered).

A failure is one line on stderr and a non-zero exit: 1 when the message failed (Batch retries
the job, Service Bus redelivers the abandoned message, then each dead-letters it), 2 when a
setting the job's definition gives it is missing or unusable, 3 (Azure) when no message could be
received (a credential, a client or the receive failed: the message stays on the queue, as with
2, and is neither retried by this execution nor dead-lettered).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import sys
from typing import Any

from groundlink.processing.errors import warn

from .aws_lambda import PRODUCTS_BUCKET, RAW_BUCKET, S3Store
from .azure_functions import ACCOUNT_URL, PRODUCTS_CONTAINER, QUEUE, RAW_CONTAINER, BlobStore
from .delivery import CAPTURE_FORMAT, SettingError, capture_format, failure_line, handle, setting

NAMESPACE = "GROUNDLINK_SERVICEBUS_NAMESPACE"
# The execution's replica timeout (spec processing.timeout_seconds), for as long as the message lock
# is renewed; the Container Apps maximum when unset.
TIMEOUT = "GROUNDLINK_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT = 86_400
MESSAGE_FAILED = 1
SETTING_PROBLEM = 2
NOTHING_RECEIVED = 3

# The fields of a contact's event that the AWS pipe hands a Batch job: job parameter -> where the
# field is in the event. Each is a JSON path into the queue message's body, which Pipes parses
# when it is JSON and from which it "extracts the value" of a path such as `$.body.someKey`
# (EventBridge User Guide, "Amazon EventBridge Pipes targets", dynamic path parameters). The
# whole body (`$.body`) is not passed: a path to a JSON object put into a string field, as a job
# parameter is, loses its inner quotes ("Amazon EventBridge Pipes input transformation"), and the
# event would reach the job as no JSON. Ground Station's upload and a partner's manifest each
# give these (delivery.locate reads nothing else of them); the parameters a kind does not give
# keep the job definition's NOT_GIVEN.
JOB_EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "source": ("source",),
    "detailType": ("detail-type",),
    "time": ("time",),
    "contactId": ("detail", "contactId"),
    "objectKey": ("detail", "object", "key"),
}
STATION_EVENT_FIELDS = ("source", "detailType", "time", "contactId")
PARTNER_EVENT_FIELDS = ("source", "detailType", "time", "objectKey")
NOT_GIVEN = "-"


def _option(parameter: str) -> str:
    return "--" + "".join(f"-{c.lower()}" if c.isupper() else c for c in parameter)


def job_command() -> list[str]:
    """The Batch job definition's command: every event field as an option, from its parameter."""
    return [
        "python",
        "-m",
        "groundlink.runtime.job",
        *(arg for name in JOB_EVENT_FIELDS for arg in (_option(name), f"Ref::{name}")),
    ]


def job_parameter_defaults() -> dict[str, str]:
    """The job definition's parameter defaults: a field the pipe does not give is NOT_GIVEN."""
    return dict.fromkeys(JOB_EVENT_FIELDS, NOT_GIVEN)


def pipe_parameters(station: bool) -> dict[str, str]:
    """The pipe's job parameters: JSON paths into the message body, for the mission's kind of event."""
    names = STATION_EVENT_FIELDS if station else PARTNER_EVENT_FIELDS
    return {name: "$.body." + ".".join(JOB_EVENT_FIELDS[name]) for name in names}


# Where the dead-letter message of a failed job names that job (`aws batch describe-jobs` gives
# its statusReason): beside the contact event's own fields, which the pipe does not read.
FAILED_JOB_KEY = "groundlinkFailedJob"


def failed_job_input(station: bool) -> tuple[dict[str, str], str]:
    """The input transformer (paths, template) of the rule that dead-letters a contact job that
    failed every attempt. Batch's job state event holds the job's parameters, the contact event's
    fields the pipe gave it (`pipe_parameters`); the template rebuilds the contact event from them,
    so a redrive of the dead-letter message into the contact queue resubmits the contact. Batch's
    event itself, redriven, reached a job as no contact and was acknowledged: the contact was gone.
    Only the parameters the pipe gives are read, so every path is present; a placeholder outside
    quotes takes the value as JSON (EventBridge User Guide, "Amazon EventBridge input
    transformation"; API Reference, InputTransformer)."""
    names = STATION_EVENT_FIELDS if station else PARTNER_EVENT_FIELDS
    paths = {name: f"$.detail.parameters.{name}" for name in names}
    paths["jobId"] = "$.detail.jobId"
    event = event_from_fields({name: f"<{name}>" for name in names})
    event[FAILED_JOB_KEY] = "<jobId>"
    template = json.dumps(event)
    for name in paths:
        template = template.replace(f'"<{name}>"', f"<{name}>")
    return paths, template


def event_from_fields(fields: dict[str, str | None]) -> dict[str, object]:
    """The event the job's options give back, with only the fields given."""
    event: dict[str, object] = {}
    for name, value in fields.items():
        if value is None or value == NOT_GIVEN:
            continue
        *parents, last = JOB_EVENT_FIELDS[name]
        node = event
        for parent in parents:
            child = node.setdefault(parent, {})
            assert isinstance(child, dict)
            node = child
        node[last] = value
    return event


class MissingSetting(SettingError):
    """An environment variable the job's definition sets (components/*/processing.py) is absent."""


class MessageFailed(Exception):
    """The message could not be processed; what went wrong, as one line."""


class NothingReceived(Exception):
    """No message could be received (Azure): what went wrong, as one line."""


def _setting(name: str) -> str:
    try:
        return setting(name)
    except SettingError as error:
        raise MissingSetting(str(error)) from None


def _timeout() -> float:
    text = os.environ.get(TIMEOUT)
    if not text:
        return float(DEFAULT_TIMEOUT)
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise SettingError(f"{TIMEOUT} is {text!r}, not a number of seconds above 0")
    return seconds


def run_aws(body: str) -> None:
    raw_bucket, products_bucket = _setting(RAW_BUCKET), _setting(PRODUCTS_BUCKET)
    capture_format()  # a bad setting fails every message alike: named before the message is read

    def stores() -> tuple[S3Store, S3Store]:  # made only for a message that names a contact
        client = importlib.import_module("boto3").client("s3")
        return S3Store(client, raw_bucket), S3Store(client, products_bucket)

    try:
        record = handle(body, stores)
    except SettingError:
        raise
    except Exception as error:  # Batch retries the job; its FAILED event is then dead-lettered (AwsEvents)
        raise MessageFailed(f"the message failed: {failure_line(error)}") from error
    print(json.dumps(record))


def run_azure() -> None:
    account, raw_container, products_container = (
        _setting(ACCOUNT_URL),
        _setting(RAW_CONTAINER),
        _setting(PRODUCTS_CONTAINER),
    )
    namespace, queue = _setting(NAMESPACE), _setting(QUEUE)
    timeout = _timeout()
    capture_format()  # checked before a message is received: it is not spent on a bad setting
    try:
        credential = importlib.import_module("azure.identity").DefaultAzureCredential()
        blobs = importlib.import_module("azure.storage.blob").BlobServiceClient(account, credential)
        raw = BlobStore(blobs.get_container_client(raw_container))
        products = BlobStore(blobs.get_container_client(products_container))
        servicebus = importlib.import_module("azure.servicebus")
        bus = servicebus.ServiceBusClient(namespace, credential)
        # A peek-lock lasts at most 5 minutes and a contact may take the job's whole replica timeout:
        # unrenewed, the lock would lapse, the message reach another execution meanwhile, and this
        # one's completion fail. The renewer holds the lock for as long as the job may run.
        renewer = servicebus.AutoLockRenewer(max_lock_renewal_duration=timeout)
    except Exception as error:
        raise NothingReceived(_not_received(error)) from error
    with contextlib.ExitStack() as clients:
        try:
            clients.enter_context(bus)
            clients.enter_context(renewer)
            receiver = clients.enter_context(bus.get_queue_receiver(queue, max_wait_time=30, auto_lock_renewer=renewer))
            received = receiver.receive_messages(max_message_count=1)
        except Exception as error:
            # roles not yet in effect after a first deploy, a namespace that admits no one: the
            # message was never taken, so it was neither abandoned nor counts a delivery
            raise NothingReceived(_not_received(error)) from error
        for message in received:
            _settle(receiver, message, raw, products)


def _not_received(error: BaseException) -> str:
    return (
        f"no message received ({failure_line(error)}): it stays on the queue, and the "
        "contact-events-waiting alert fires if it is still there in a day"
    )


def _settle(receiver: Any, message: Any, raw: BlobStore, products: BlobStore) -> None:
    """The contact processed and its message completed, or the message abandoned (retried, then
    dead-lettered at maxDeliveryCount) and MessageFailed raised naming why it failed, whatever
    becomes of the abandoning: a lock already lapsed fails it, and the contact's own failure,
    not the lock's, is what the line must say."""
    try:
        record = handle(str(message), lambda: (raw, products))
    except Exception as error:
        line = f"message {getattr(message, 'message_id', '?')} failed: {failure_line(error)}"
        try:
            receiver.abandon_message(message)
        except Exception as abandoning:
            line += (
                f"; abandoning it failed too ({failure_line(abandoning)}): Service Bus delivers it again when its "
                "lock lapses"
            )
        raise MessageFailed(line) from error
    print(json.dumps(record))
    receiver.complete_message(message)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m groundlink.runtime.job",
        description="Process one contact into its products, as the stack's container job does.",
        epilog=(
            f"AWS (Batch, submitted by the EventBridge pipe): the options give the fields of the queue "
            f"message's event ({NOT_GIVEN}: not given), or EVENT_JSON gives the event whole; "
            f"reads {RAW_BUCKET} and {PRODUCTS_BUCKET}. Azure (Container Apps job): no argument; receives "
            f"one message from {QUEUE} on {NAMESPACE} and reads {ACCOUNT_URL}, {RAW_CONTAINER}, "
            f"{PRODUCTS_CONTAINER}; abandons the message when it fails. Both read {CAPTURE_FORMAT}. "
            f"Exit 0 when the contact was processed or the message names none (acknowledged); "
            f"{MESSAGE_FAILED} when the message failed (not an event, missing captures, a contact that "
            f"cannot be processed, a store error), so that it is retried, then dead-lettered; "
            f"{SETTING_PROBLEM} when a setting is missing or invalid; {NOTHING_RECEIVED} (Azure) when no message "
            f"could be received (a credential, a client or the receive failed: the message stays on the queue). "
            f"A failure is one line on stderr."
        ),
    )
    parser.add_argument("event", nargs="?", metavar="EVENT_JSON", help="the contact message (AWS only)")
    for name, path in JOB_EVENT_FIELDS.items():
        parser.add_argument(_option(name), dest=name, metavar="TEXT", help=f"the event's {'.'.join(path)} (AWS only)")
    return parser


def _joined(argv: list[str]) -> list[str]:
    """`--object-key VALUE` as `--object-key=VALUE`: Batch puts each parameter in an argument of
    its own, and argparse takes a value starting with `-` for an option of its own."""
    options = {_option(name) for name in JOB_EVENT_FIELDS}
    joined: list[str] = []
    pending: str | None = None
    for arg in argv:
        if pending is not None:
            joined.append(f"{pending}={arg}")
            pending = None
        elif arg in options:
            pending = arg
        else:
            joined.append(arg)
    return [*joined, pending] if pending is not None else joined


def main(argv: list[str]) -> int:
    args = _parser().parse_args(_joined(argv))
    fields = {name: getattr(args, name) for name in JOB_EVENT_FIELDS}
    try:
        if args.event is not None:
            run_aws(args.event)
        elif any(value is not None for value in fields.values()):
            run_aws(json.dumps(event_from_fields(fields)))
        else:
            run_azure()
    except SettingError as err:
        warn(f"groundlink job: {failure_line(err)}")
        return SETTING_PROBLEM
    except MessageFailed as err:
        warn(f"groundlink job: {err}")
        return MESSAGE_FAILED
    except NothingReceived as err:
        warn(f"groundlink job: {err}")
        return NOTHING_RECEIVED
    except Exception as err:  # a client that cannot be made, a receive that failed: the run failed
        warn(f"groundlink job: {failure_line(err)}")
        return MESSAGE_FAILED
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
