"""Contact processing: the function that consumes the contact queue loses no contact (partial
batch failures, a dead-letter queue, enough visibility), its role writes only product prefixes,
and the Azure Functions app takes no keys and serves only HTTPS."""

from __future__ import annotations

import json
from typing import Any

from . import limits as L
from .joins import of_type, refers_to
from .props import UNKNOWN, as_list, get, is_true, policy_statements, tls_at_least
from .registry import resource_rule, stack_rule

EVENT_SOURCE_MAPPING = ("aws:lambda/eventSourceMapping:EventSourceMapping",)
LAMBDA_FUNCTION = ("aws:lambda/function:Function",)
SQS_QUEUE = ("aws:sqs/queue:Queue",)
IAM_ROLE = ("aws:iam/role:Role",)
ROLE_POLICY = ("aws:iam/rolePolicy:RolePolicy",)
WEB_APP = ("azure-native:web:WebApp",)
S3_WRITES = {"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:*", "*"}
KEY_MARKERS = ("AccountKey=", "SharedAccessKey=", "SharedAccessSignature=")


def _queue_problems(mapping: Any, queue: Any, function: Any | None) -> list[str]:
    problems = []
    if "ReportBatchItemFailures" not in as_list(get(mapping.props, "functionResponseTypes")):
        problems.append("does not report batch item failures (a failed contact retries its whole batch)")
    redrive = get(queue.props, "redrivePolicy")
    if redrive is not UNKNOWN:
        target = json.loads(redrive).get("deadLetterTargetArn") if isinstance(redrive, str) and redrive else None
        if not target:
            problems.append(f"reads queue {queue.name}, which has no dead-letter queue")
    timeout = get(function.props, "timeout", default=3) if function is not None else None
    visibility = get(queue.props, "visibilityTimeoutSeconds", default=30)
    if isinstance(timeout, (int, float)) and isinstance(visibility, (int, float)):
        wanted = L.SQS_VISIBILITY_PER_FUNCTION_TIMEOUT * timeout
        if visibility < wanted:
            problems.append(
                f"reads queue {queue.name} whose visibility timeout {visibility:g} s is under "
                f"{L.SQS_VISIBILITY_PER_FUNCTION_TIMEOUT} x the function timeout ({wanted:g} s)"
            )
    return problems


@stack_rule(
    "processing-queue-consumer-loses-nothing",
    area="processing",
    severity="high",
    enforcement="mandatory",
    controls=("AWS Lambda developer guide: SQS partial batch responses", "SQS developer guide: Lambda triggers"),
    description="A Lambda function consuming an SQS queue reports batch item failures, its queue has a dead-letter "
    "queue, and the queue's visibility timeout is at least six times the function timeout.",
    remediation="Set function_response_types=['ReportBatchItemFailures'] on the aws.lambda_.EventSourceMapping, a "
    "redrive_policy with deadLetterTargetArn on the queue, and visibility_timeout_seconds >= 6 x timeout.",
)
def queue_consumer_loses_nothing(args: Any, report: Any) -> None:
    queues = of_type(args.resources, SQS_QUEUE)
    functions = of_type(args.resources, LAMBDA_FUNCTION)
    for mapping in of_type(args.resources, EVENT_SOURCE_MAPPING):
        queue = next((q for q in queues if refers_to(mapping, "eventSourceArn", q, ("arn",))), None)
        if queue is None:
            continue  # not an SQS source of this stack
        function = next((f for f in functions if refers_to(mapping, "functionName", f, ("arn", "name"))), None)
        for problem in _queue_problems(mapping, queue, function):
            report(f"event source mapping {mapping.name} {problem}", mapping.urn)


def _broad_writes(document: Any) -> list[str]:
    """Statements that allow writing S3 objects beyond named prefixes, or anything at all."""
    found = []
    for statement in policy_statements(document):
        if statement.get("Effect") != "Allow":
            continue
        actions = set(as_list(statement.get("Action")))
        for resource in as_list(statement.get("Resource")):
            if "*" in actions or any(a.endswith(":*") for a in actions):
                found.append(f"allows {sorted(actions)} on {resource}")
            elif actions & S3_WRITES and (resource == "*" or str(resource).endswith(":::*") or _whole_bucket(resource)):
                found.append(f"allows {sorted(actions & S3_WRITES)} on all of {resource}")
    return found


def _whole_bucket(resource: Any) -> bool:
    text = str(resource)
    return text.startswith("arn:aws:s3:::") and text.count("/") == 1 and text.endswith("/*")


@stack_rule(
    "processing-function-writes-product-prefixes",
    area="processing",
    severity="high",
    enforcement="mandatory",
    controls=("CIS AWS 1.16", "MCSB PA-7"),
    description="A Lambda function's role allows no wildcard action and writes S3 objects only under named "
    "prefixes (the products), never a whole bucket.",
    remediation="Grant s3:PutObject on arn:aws:s3:::<products>/<prefix>* for each product prefix, and list the "
    "exact actions the function needs.",
)
def function_writes_product_prefixes(args: Any, report: Any) -> None:
    roles = of_type(args.resources, IAM_ROLE)
    policies = of_type(args.resources, ROLE_POLICY)
    for function in of_type(args.resources, LAMBDA_FUNCTION):
        for role in (r for r in roles if refers_to(function, "role", r, ("arn",))):
            for policy in (p for p in policies if refers_to(p, "role", role, ("id", "name"))):
                for problem in _broad_writes(get(policy.props, "policy")):
                    report(f"function {function.name}: role policy {policy.name} {problem}", policy.urn)


@resource_rule(
    "processing-functions-app-https-no-keys",
    area="processing",
    severity="high",
    enforcement="mandatory",
    types=WEB_APP,
    controls=("CKV_AZURE_70", "CKV_AZURE_145", "CKV_AZURE_78", "MCSB IM-1"),
    description="An Azure Functions app serves HTTPS only (TLS 1.2+, no FTP) and holds no storage or Service Bus "
    "key: its deployment storage and triggers connect with its managed identity.",
    remediation="Set https_only=True, site_config min_tls_version '1.2' and ftps_state 'Disabled', identity-based "
    "settings (<CONNECTION>__fullyQualifiedNamespace, AzureWebJobsStorage__accountName) and deployment storage "
    "authentication SystemAssignedIdentity or UserAssignedIdentity.",
)
def functions_app_https_no_keys(args: Any, report: Any) -> None:
    props = args.props
    if "functionapp" not in str(get(props, "kind", default="")):
        return
    if not is_true(get(props, "httpsOnly")):
        report("serves plain HTTP (httpsOnly is not true)")
    if not tls_at_least(get(props, "siteConfig", "minTlsVersion")):
        report("accepts TLS below 1.2")
    if get(props, "siteConfig", "ftpsState") not in ("Disabled", UNKNOWN):
        report("allows FTP deployment (ftpsState is not Disabled)")
    for setting in as_list(get(props, "siteConfig", "appSettings")):
        value = get(setting, "value")
        if isinstance(value, str) and any(marker in value for marker in KEY_MARKERS):
            report(f"app setting {get(setting, 'name')} holds a key")
    auth = get(props, "functionAppConfig", "deployment", "storage", "authentication", "type")
    if auth == "StorageAccountConnectionString":
        report("reads its deployment storage with a connection string")
