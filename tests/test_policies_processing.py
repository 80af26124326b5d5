"""The contact-processing rules: each fires on one broken input and stays quiet on the
processor as the stacks build it."""

from __future__ import annotations

import json

import pytest

from .test_policies_support import doc, res, run_resource, run_stack

QUEUE_ARN = "arn:aws:sqs:us-west-2:123456789012:contacts"
FUNCTION_ARN = "arn:aws:lambda:us-west-2:123456789012:function:processor"
ROLE_ARN = "arn:aws:iam::123456789012:role/processor"
PRODUCTS = "arn:aws:s3:::noaa20-products"
TESTED = {
    "processing-queue-consumer-loses-nothing",
    "processing-function-writes-product-prefixes",
    "processing-functions-app-https-no-keys",
}


def consumer(mapping: dict | None = None, queue: dict | None = None, timeout: int = 900) -> list:
    redrive = json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-west-2:123456789012:dlq", "maxReceiveCount": 5})
    return [
        res(
            "aws:sqs/queue:Queue",
            "contacts",
            {"arn": QUEUE_ARN, "redrivePolicy": redrive, "visibilityTimeoutSeconds": 5400, **(queue or {})},
        ),
        res("aws:lambda/function:Function", "processor", {"arn": FUNCTION_ARN, "timeout": timeout, "role": ROLE_ARN}),
        res(
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "contacts",
            {
                "eventSourceArn": QUEUE_ARN,
                "functionName": FUNCTION_ARN,
                "functionResponseTypes": ["ReportBatchItemFailures"],
                **(mapping or {}),
            },
        ),
    ]


def test_a_consumer_with_failures_reported_a_dead_letter_queue_and_visibility_passes() -> None:
    assert run_stack("processing-queue-consumer-loses-nothing", consumer()) == []


@pytest.mark.parametrize(
    ("mapping", "queue", "words"),
    [
        ({"functionResponseTypes": []}, None, "does not report batch item failures"),
        (None, {"redrivePolicy": ""}, "has no dead-letter queue"),
        (
            None,
            {"visibilityTimeoutSeconds": 900},
            "visibility timeout 900 s is under 6 x the function timeout (5400 s)",
        ),
    ],
)
def test_a_consumer_that_can_lose_a_contact_fires(mapping, queue, words) -> None:
    ((message, _),) = run_stack("processing-queue-consumer-loses-nothing", consumer(mapping, queue))
    assert words in message


def role_policy(*statements: dict) -> list:
    return [
        res("aws:iam/role:Role", "processor", {"arn": ROLE_ARN, "id": "processor", "name": "processor"}),
        res("aws:lambda/function:Function", "processor", {"arn": FUNCTION_ARN, "role": ROLE_ARN}),
        res("aws:iam/rolePolicy:RolePolicy", "processor", {"role": "processor", "policy": doc(*statements)}),
    ]


def test_a_role_writing_product_prefixes_passes() -> None:
    write = {
        "Effect": "Allow",
        "Action": ["s3:PutObject"],
        "Resource": [f"{PRODUCTS}/frames/*", f"{PRODUCTS}/frame_index/*"],
    }
    read = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::raw/*"}
    assert run_stack("processing-function-writes-product-prefixes", role_policy(write, read)) == []


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        (
            {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": f"{PRODUCTS}/*"},
            "on all of arn:aws:s3:::noaa20-products/*",
        ),
        ({"Effect": "Allow", "Action": ["s3:*"], "Resource": f"{PRODUCTS}/frames/*"}, "allows ['s3:*']"),
    ],
)
def test_a_role_writing_a_whole_bucket_or_any_action_fires(statement, words) -> None:
    ((message, _),) = run_stack("processing-function-writes-product-prefixes", role_policy(statement))
    assert words in message


def app(**changes) -> dict:
    props = {
        "kind": "functionapp,linux",
        "httpsOnly": True,
        "siteConfig": {
            "minTlsVersion": "1.2",
            "ftpsState": "Disabled",
            "appSettings": [
                {"name": "ServiceBusConnection__fullyQualifiedNamespace", "value": "sb.servicebus.windows.net"}
            ],
        },
        "functionAppConfig": {"deployment": {"storage": {"authentication": {"type": "SystemAssignedIdentity"}}}},
    }
    props.update(changes)
    return props


def test_an_identity_based_https_only_app_passes() -> None:
    assert run_resource("processing-functions-app-https-no-keys", app()) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"httpsOnly": False}, "serves plain HTTP"),
        ({"siteConfig": {"minTlsVersion": "1.0", "ftpsState": "Disabled"}}, "accepts TLS below 1.2"),
        ({"siteConfig": {"minTlsVersion": "1.2", "ftpsState": "AllAllowed"}}, "allows FTP deployment"),
        (
            {
                "siteConfig": {
                    "minTlsVersion": "1.2",
                    "ftpsState": "Disabled",
                    "appSettings": [
                        {
                            "name": "AzureWebJobsStorage",
                            "value": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=k",
                        }
                    ],
                }
            },
            "app setting AzureWebJobsStorage holds a key",
        ),
        (
            {
                "functionAppConfig": {
                    "deployment": {"storage": {"authentication": {"type": "StorageAccountConnectionString"}}}
                }
            },
            "reads its deployment storage with a connection string",
        ),
    ],
)
def test_an_app_with_plain_http_old_tls_ftp_or_keys_fires(changes, words) -> None:
    (message,) = run_resource("processing-functions-app-https-no-keys", app(**changes))
    assert message.startswith(words)
