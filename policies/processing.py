"""Contact processing: the function that consumes the contact queue loses no contact (partial
batch failures, a dead-letter queue, enough visibility), its role writes only product prefixes,
it carries the third-party packages it imports, and the Azure Functions app takes no keys,
serves only HTTPS and can reach the storage account it deploys from. Whatever runs the processor
(a function, a container job) does so with its own identity and holds no key."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from . import limits as L
from . import tokens as T
from .aws_iam import every_resource, pins
from .azure_storage import ACCOUNT_KEYS
from .joins import of_type, private_endpoint_reaches, refers_to, sides
from .props import (
    UNKNOWN,
    as_list,
    dependencies_of,
    get,
    iam_glob,
    is_number,
    is_true,
    plain,
    policy_statements,
    same_text,
    tls_at_least,
    wildcard_actions,
)
from .registry import resource_rule, stack_rule

EVENT_SOURCE_MAPPING = ("aws:lambda/eventSourceMapping:EventSourceMapping",)
LAMBDA_FUNCTION = ("aws:lambda/function:Function",)
SQS_QUEUE = ("aws:sqs/queue:Queue",)
IAM_ROLE = ("aws:iam/role:Role",)
ROLE_POLICY = ("aws:iam/rolePolicy:RolePolicy",)
ROLE_POLICY_ATTACHMENT = ("aws:iam/rolePolicyAttachment:RolePolicyAttachment",)
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = ("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",)
POLICY_ATTACHMENT = ("aws:iam/policyAttachment:PolicyAttachment",)
IAM_POLICY = ("aws:iam/policy:Policy",)
# AWS-managed policies that allow s3:PutObject on every resource (AWS Managed Policy Reference:
# AmazonS3FullAccess s3:* on *, PowerUserAccess NotAction iam/organizations/account on *,
# AdministratorAccess * on *).
# AWS-managed policies that write every bucket: AWSLambdaExecute grants s3:PutObject on
# arn:aws:s3:::* (AWS Managed Policy Reference), the others s3:* or more.
BROAD_MANAGED = re.compile(
    r"arn:aws[a-z-]*:iam::aws:policy/(AmazonS3FullAccess|PowerUserAccess|AdministratorAccess|AWSLambdaExecute)"
)
WEB_APP = ("azure-native:web:WebApp",)
SCM_BASIC_AUTH = ("azure-native:web:WebAppScmAllowed",)
STORAGE_ACCOUNT = ("azure-native:storage:StorageAccount",)
SUBNET = ("azure-native:network:Subnet",)
# Flex Consumption and Container Apps take a subnet delegated to this service (docs/processing.md)
FLEX_DELEGATION = "Microsoft.App/environments"
# Object writes; a statement's action matches one case-insensitively, with * and ? wildcards (IAM JSON
# policy elements: Action)
S3_WRITES = ("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion")
KEY_MARKERS = ("accountkey=", "sharedaccesskey=", "sharedaccesssignature=")  # connection string keys, any case
# A shared access signature in a URL (WEBSITE_RUN_FROM_PACKAGE=https://...blob.core.windows.net/...?sv=...&sig=...):
# its `sig` query parameter is the credential (Azure Storage, "Create a service SAS": sig)
SAS_SIGNATURE = re.compile(r"[?&]sig=", re.IGNORECASE)


CONTAINER_APPS_JOB = ("azure-native:app:Job",)
CONTAINER_APPS_ENVIRONMENT = ("azure-native:app:ManagedEnvironment",)
NO_IDENTITY = "has no managed identity (it would reach the queue and the stores with keys)"
BATCH_JOB_DEFINITION = ("aws:batch/jobDefinition:JobDefinition",)
# An AWS access key id (IAM User Guide, "Understanding unique ID prefixes": AKIA long-term, ASIA
# temporary) or the variables the SDKs read credentials from (AWS SDKs and Tools reference guide,
# "Environment variables").
AWS_ACCESS_KEY_ID = re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b")
AWS_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def holds_key(value: str) -> bool:
    """A setting's value that carries a storage or Service Bus credential: a connection string's
    key or signature, or a URL signed with a SAS."""
    lowered = value.lower()
    return any(marker in lowered for marker in KEY_MARKERS) or SAS_SIGNATURE.search(value) is not None


def _dead_letter_target(redrive: Any) -> Any:
    """The dead-letter queue a redrive policy names (UNKNOWN when the policy is not known yet)."""
    if redrive is UNKNOWN:
        return UNKNOWN
    try:  # a policy that is no JSON object (a typo, a list) names no dead-letter queue either
        policy = json.loads(redrive) if isinstance(redrive, str) and redrive else {}
    except ValueError:
        policy = {}
    return policy.get("deadLetterTargetArn") if isinstance(policy, dict) else None


def _queue_problems(mapping: Any, queue: Any, function: Any | None, redrives: list[Any]) -> list[str]:
    """What `mapping` loses reading `queue`; `redrives` are the queue's RedrivePolicy resources (the
    policy set apart from the queue, as pulumi-aws offers it)."""
    problems = []
    responses = as_list(get(mapping.props, "functionResponseTypes"))
    if UNKNOWN not in responses and "ReportBatchItemFailures" not in responses:
        problems.append("does not report batch item failures (a failed contact retries its whole batch)")
    targets = [_dead_letter_target(get(r, "redrivePolicy")) for r in [queue.props, *(r.props for r in redrives)]]
    if UNKNOWN not in targets and not any(targets):
        problems.append(f"reads queue {queue.name}, which has no dead-letter queue")
    timeout = get(function.props, "timeout", default=3) if function is not None else None
    visibility = get(queue.props, "visibilityTimeoutSeconds", default=30)
    if is_number(timeout) and is_number(visibility):
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
    "redrive_policy with deadLetterTargetArn on the queue (or an aws.sqs.RedrivePolicy for it), and "
    "visibility_timeout_seconds >= 6 x timeout.",
)
def queue_consumer_loses_nothing(args: Any, report: Any) -> None:
    queues = of_type(args.resources, SQS_QUEUE)
    functions = of_type(args.resources, LAMBDA_FUNCTION)
    for mapping in of_type(args.resources, EVENT_SOURCE_MAPPING):
        queue = next((q for q in queues if refers_to(mapping, "eventSourceArn", q, ("arn",))), None)
        if queue is None:
            continue  # not an SQS source of this stack
        function = next((f for f in functions if _invokes(mapping, f)), None)
        redrives = sides(args.resources, T.SQS_REDRIVE_POLICY, "queueUrl", queue, ("url", "id"))
        for problem in _queue_problems(mapping, queue, function, redrives):
            report(f"event source mapping {mapping.name} {problem}", mapping.urn)


def _invokes(mapping: Any, function: Any) -> bool:
    """Whether an event source mapping invokes `function`: by its name or ARN, or by either with
    an alias or version (`name:live`, `<arn>:3`, `123456789012:function:name`), which Lambda takes
    for FunctionName. Unjoined, an alias's consumer had its queue's visibility timeout unjudged."""
    if refers_to(mapping, "functionName", function, ("arn", "name")):
        return True
    value, name = get(mapping.props, "functionName"), get(function.props, "name")
    if not (isinstance(value, str) and isinstance(name, str) and name):
        return False
    bare = value.split(":function:", 1)[1] if ":function:" in value else value
    return bare.split(":", 1)[0] == name


def _broad_writes(document: Any) -> list[str]:
    """Statements that allow writing S3 objects beyond named prefixes, or anything at all."""
    found = []
    for statement in policy_statements(document):
        if statement.get("Effect") != "Allow":
            continue
        actions = {str(a) for a in as_list(statement.get("Action"))}
        excluded = [str(a) for a in as_list(statement.get("NotAction"))]
        writes = sorted(a for a in actions if any(iam_glob(a, w, ignore_case=True) for w in S3_WRITES))
        if "NotResource" in statement and ("NotAction" in statement or writes or wildcard_actions(actions)):
            allowed = f"every action but {sorted(excluded)}" if "NotAction" in statement else sorted(actions)
            not_resources = ", ".join(map(str, as_list(statement.get("NotResource"))))
            found.append(f"allows {allowed} on every resource but {not_resources}")
        for resource in as_list(statement.get("Resource")):
            if "NotAction" in statement:
                found.append(f"allows every action but {sorted(excluded)} on {resource}")
            elif wildcard_actions(actions):
                found.append(f"allows {sorted(actions)} on {resource}")
            elif writes and (every_resource([str(resource)]) or _whole_bucket(resource)):
                found.append(f"allows {writes} on all of {resource}")
    return found


def _whole_bucket(resource: Any) -> bool:
    """Every object of a bucket, or of every prefix in it: an S3 ARN in any partition whose bucket,
    or whose key's first path segment, is wildcards only (`b/*`, `b/**`, `b/*/*`, `b/?*/x*`, `*`,
    `arn:*:s3:::b/*`), or whose bucket holds a `*` (`b*`: IAM's `*` matches across `/`, so it
    reaches every key of the bucket, and of every bucket named as it begins): it reaches keys
    under every prefix, the raw contacts' included."""
    fields = str(resource).split(":", 5)
    if len(fields) != 6 or fields[0] != "arn" or fields[2] not in ("s3", "*"):
        return False
    bucket, _, key = fields[5].partition("/")
    first = key.split("/", 1)[0]
    return "*" in bucket or set(bucket) <= {"*", "?"} or (bool(first) and set(first) <= {"*", "?"})


def role_documents(resources: list[Any], role: Any) -> list[tuple[Any, str, Any]]:
    """(the resource holding it, how it is held, policy document) for every identity policy the
    role gets: role policies, the role's own inline policies, and customer-managed policies
    attached to it, in every form (an attachment of one ARN or of several, the role's own
    managedPolicyArns). A role policy was the only form read, so the same grant inline or attached
    passed."""
    held = [
        (policy, f"role policy {policy.name}", get(policy.props, "policy"))
        for policy in of_type(resources, ROLE_POLICY)
        if refers_to(policy, "role", role, ("id", "name"))
    ]
    held += [
        (role, f"role {role.name} inline policy", get(p, "policy")) for p in as_list(get(role.props, "inlinePolicies"))
    ]
    holders = [(role, "managedPolicyArns", as_list(get(role.props, "managedPolicyArns")))]
    holders += _attachments(resources, role)
    for holder, key, arns in holders:
        held += [
            (holder, f"attached policy {policy.name}", get(policy.props, "policy"))
            for policy in _named_policies(resources, holder, key, arns)
        ]
    return held


def unread_policies(resources: list[Any], role: Any) -> bool:
    """Whether a policy reaches the role that the plan does not hold (an AWS-managed policy,
    another stack's, or one whose ARN is not known yet): what it grants cannot be read here."""
    holders = [(role, "managedPolicyArns", as_list(get(role.props, "managedPolicyArns")))]
    holders += _attachments(resources, role)
    return any(len(_named_policies(resources, holder, key, arns)) < len(arns) for holder, key, arns in holders if arns)


def _named_policies(resources: list[Any], holder: Any, key: str, arns: list[Any]) -> list[Any]:
    """The plan's customer-managed policies among `arns`, the value of `holder`'s input `key`: by an
    equal known ARN, or, for one not known yet, by the engine's property dependencies of that input
    (else the holder's only policy dependency)."""
    policies = of_type(resources, IAM_POLICY)
    known = {arn for arn in arns if isinstance(arn, str)}
    linked = {d.urn for d in dependencies_of(holder, key)}
    if not linked and UNKNOWN in arns:
        depends = [d.urn for d in of_type(getattr(holder, "dependencies", None) or [], IAM_POLICY)]
        linked = set(depends) if len(depends) == 1 else set()
    return [p for p in policies if p.urn in linked or get(p.props, "arn") in known]


def _attachments(resources: list[Any], role: Any) -> list[tuple[Any, str, list[Any]]]:
    """(attachment, its input holding policy ARNs, the ARNs) for every attachment that reaches the
    role: a RolePolicyAttachment (role), a RolePolicyAttachmentsExclusive (roleName, policyArns), a
    PolicyAttachment (roles)."""
    found = []
    for attachment in of_type(resources, ROLE_POLICY_ATTACHMENT):
        if refers_to(attachment, "role", role, ("id", "name")):
            found.append((attachment, "policyArn", as_list(get(attachment.props, "policyArn"))))
    for attachment in of_type(resources, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE):
        if refers_to(attachment, "roleName", role, ("id", "name")):
            found.append((attachment, "policyArns", as_list(get(attachment.props, "policyArns"))))
    names = {get(role.props, key) for key in ("id", "name")} - {None}
    for attachment in of_type(resources, POLICY_ATTACHMENT):
        linked = dependencies_of(attachment, "roles")
        given = set(map(str, as_list(get(attachment.props, "roles"))))
        if any(dep.urn == role.urn for dep in linked) or names & given:
            found.append((attachment, "policyArn", as_list(get(attachment.props, "policyArn"))))
    return found


def _broad_managed(resources: list[Any], role: Any) -> list[tuple[Any, str]]:
    """(holder, ARN) of the AWS-managed policies reaching the role that write every bucket's
    objects: in its managedPolicyArns or through any attachment."""
    held = [(role, str(arn)) for arn in as_list(get(role.props, "managedPolicyArns"))]
    held += [(attachment, str(arn)) for attachment, _, arns in _attachments(resources, role) for arn in arns]
    return [(holder, arn) for holder, arn in held if BROAD_MANAGED.fullmatch(arn)]


@stack_rule(
    "processing-function-writes-product-prefixes",
    area="processing",
    severity="high",
    enforcement="mandatory",
    controls=("IAM least privilege", "MCSB PA-7"),
    description="A Lambda function's role allows no wildcard action and writes S3 objects only under named "
    "prefixes (the products), never a whole bucket.",
    remediation="Grant s3:PutObject on arn:aws:s3:::<products>/<prefix>* for each product prefix, and list the "
    "exact actions the function needs.",
)
def function_writes_product_prefixes(args: Any, report: Any) -> None:
    roles = of_type(args.resources, IAM_ROLE)
    for function in of_type(args.resources, LAMBDA_FUNCTION):
        for role in (r for r in roles if refers_to(function, "role", r, ("arn",))):
            for holder, held, document in role_documents(args.resources, role):
                for problem in _broad_writes(document):
                    report(f"function {function.name}: {held} {problem}", holder.urn)
            for holder, arn in _broad_managed(args.resources, role):
                report(
                    f"function {function.name}: role {role.name} attaches {arn}, which writes every bucket", holder.urn
                )


def is_function_app(props: Any) -> bool:
    """`kind` names a Functions app in any case ("functionapp,linux", "FunctionApp,Linux"): ARM
    compares it without case."""
    return "functionapp" in str(get(props, "kind", default="")).lower()


@resource_rule(
    "processing-functions-app-https-no-keys",
    area="processing",
    severity="high",
    enforcement="mandatory",
    types=WEB_APP,
    controls=("CKV_AZURE_70", "CKV_AZURE_145", "CKV_AZURE_78", "MCSB IM-1"),
    description="An Azure Functions app serves HTTPS only (TLS 1.2+, no FTP) and holds no storage or Service Bus "
    "key: its deployment storage and triggers connect with its managed identity.",
    remediation="Set https_only=True, site_config min_tls_version '1.2' and ftps_state 'Disabled' (leave it unset on "
    "Flex Consumption, which has no FTP and deprecates it), identity-based "
    "settings (<CONNECTION>__fullyQualifiedNamespace, AzureWebJobsStorage__accountName) and deployment storage "
    "authentication SystemAssignedIdentity or UserAssignedIdentity.",
)
def functions_app_https_no_keys(args: Any, report: Any) -> None:
    props = args.props
    if not is_function_app(props):
        return
    https_only, min_tls = get(props, "httpsOnly"), get(props, "siteConfig", "minTlsVersion")
    if https_only is not UNKNOWN and not is_true(https_only):
        report("serves plain HTTP (httpsOnly is not true)")
    # unset is App Service's default, 1.2: "By default, the minimum TLS version for incoming requests
    # to your web app and to SCM would be set to 1.2 on both portal and API" (Microsoft Learn, "Azure
    # App Service TLS overview")
    if min_tls is not UNKNOWN and min_tls is not None and not tls_at_least(min_tls):
        report(f"accepts TLS below 1.2 (minTlsVersion is {min_tls!r})")
    # the deployment (SCM) site's own: unset, 1.2 as the app's (the same page)
    scm_tls = get(props, "siteConfig", "scmMinTlsVersion")
    if scm_tls is not UNKNOWN and scm_tls is not None and not tls_at_least(scm_tls):
        report(f"its deployment (SCM) site accepts TLS below 1.2 (scmMinTlsVersion is {scm_tls!r})")
    ftps = get(props, "siteConfig", "ftpsState")
    # a Flex Consumption app (functionAppConfig) has no FTP, and Microsoft deprecates the setting
    # there ("properties.ftpsState | FTPS not supported", Microsoft Learn, "App settings reference
    # for Azure Functions", Flex Consumption plan deprecations): unset passes; a value set is judged
    flex = get(props, "functionAppConfig") is not None
    if ftps is not UNKNOWN and not same_text(ftps, "Disabled") and not (flex and ftps is None):
        report(f"allows FTP deployment (ftpsState is {'unset' if ftps is None else repr(ftps)}, not Disabled)")
    for where, settings in (
        ("app setting", get(props, "siteConfig", "appSettings")),
        ("connection string", get(props, "siteConfig", "connectionStrings")),
    ):
        for setting in as_list(settings):
            value = get(setting, "value") if get(setting, "value") is not None else get(setting, "connectionString")
            if isinstance(value, str) and holds_key(value):
                report(f"{where} {get(setting, 'name')} holds a key")
    auth = get(props, "functionAppConfig", "deployment", "storage", "authentication", "type")
    if same_text(auth, "StorageAccountConnectionString"):
        report("reads its deployment storage with a connection string")


@resource_rule(
    "processing-functions-app-closed",
    area="processing",
    severity="high",
    enforcement="mandatory",
    types=WEB_APP,
    controls=(
        "Azure Policy 969ac98b-88a8-449f-883c-2e9adb123127 (Function apps should disable public network access)",
        "Azure Policy 0e60b895-3786-45da-8377-9c6b4b6ac5f9 (remote debugging turned off)",
        "Azure Policy 0820b7b9-23aa-4725-a1ce-ae4558f718e5 (CORS not every origin)",
        "MCSB IM-3",
    ),
    description="An Azure Functions app takes no request from the internet (publicNetworkAccess Disabled: its "
    "triggers pull from Service Bus), has remote debugging off and no CORS origin '*', and runs as a managed "
    "identity, as the Lambda function runs as its role.",
    remediation="Set public_network_access='Disabled', site_config remote_debugging_enabled=False (or unset) and no "
    "'*' in cors.allowed_origins, and identity={'type': 'SystemAssigned'}.",
)
def functions_app_closed(args: Any, report: Any) -> None:
    props = args.props
    if not is_function_app(props):
        return
    public = get(props, "publicNetworkAccess")
    if public is not UNKNOWN and not same_text(public, "Disabled"):
        report(f"takes requests from the internet (publicNetworkAccess is {public or 'unset'}, not Disabled)")
    if is_true(get(props, "siteConfig", "remoteDebuggingEnabled")):
        report("has remote debugging on (it opens inbound debugger ports)")
    origins = get(props, "siteConfig", "cors", "allowedOrigins")
    if origins is not UNKNOWN and "*" in as_list(origins):
        report("lets every origin call it (CORS allowedOrigins holds '*')")
    identity = get(props, "identity", "type")
    if identity is not UNKNOWN and (identity is None or same_text(identity, "None")):
        report(NO_IDENTITY)


@stack_rule(
    "processing-functions-app-no-basic-auth",
    area="processing",
    severity="medium",
    enforcement="mandatory",
    controls=(
        "Azure Policy aede300b-d67f-480a-ae26-4b3dfb1a1fdc (App Service apps should have local authentication "
        "methods disabled for SCM site deployments)",
        "MCSB IM-1",
    ),
    description="An Azure Functions app's deployment (SCM) site refuses basic-auth publishing credentials, which "
    "App Service allows unless a basicPublishingCredentialsPolicies/scm resource says otherwise: a deployment "
    "signs in with Entra ID, as the package's upload to its deployment container does.",
    remediation="Add azure_native.web.WebAppScmAllowed(name=<the app's name>, resource_group_name=..., allow=False) "
    "beside the app.",
)
def functions_app_no_basic_auth(args: Any, report: Any) -> None:
    for app in of_type(args.resources, WEB_APP):
        if not is_function_app(app.props):
            continue
        # its `name` input is the app's; its outputs' `name` is its own, `scm`
        policies = sides(args.resources, SCM_BASIC_AUTH, "name", app, ("name",), as_input=True)
        if not policies:
            report(
                f"functions app {app.name} takes basic-auth publishing credentials on its SCM site (no "
                "WebAppScmAllowed with allow false: App Service's default allows them)",
                app.urn,
            )
        for policy in policies:
            allow = get(policy.props, "allow")
            if allow is not UNKNOWN and (allow is None or is_true(allow)):
                report(
                    f"functions app {app.name} takes basic-auth publishing credentials on its SCM site "
                    f"(WebAppScmAllowed {policy.name} has allow {'unset' if allow is None else str(allow).lower()})",
                    policy.urn,
                )


def _archive_members(code: Any) -> set[str]:
    """Member paths of a code archive: a mapping under the offline check, an AssetArchive's
    `assets` under the Pulumi CLI; nothing known otherwise."""
    assets = getattr(code, "assets", code)
    return {str(name) for name in assets} if isinstance(assets, Mapping) else set()


@resource_rule(
    "processing-python-function-ships-its-requirements",
    area="processing",
    severity="high",
    enforcement="mandatory",
    types=LAMBDA_FUNCTION,
    controls=("AWS Lambda developer guide: Python deployment packages and layers",),
    description="A Python Lambda function whose archive declares third-party requirements (requirements.txt) "
    "carries them: in a layer, or installed in the archive itself. Lambda never installs requirements.txt, so "
    "otherwise the handler fails at import.",
    remediation="Build the wheels for the function's runtime and architecture (make function-deps) and attach "
    "them as a layer (aws.lambda_.LayerVersion, layers=[layer.arn]), or install them into the archive.",
)
def python_function_ships_its_requirements(args: Any, report: Any) -> None:
    props = args.props
    runtime = get(props, "runtime")
    if not (isinstance(runtime, str) and runtime.startswith("python")):
        return
    members = _archive_members(get(props, "code"))
    if "requirements.txt" not in members or any(".dist-info/" in m or m.endswith(".dist-info") for m in members):
        return
    layers = get(props, "layers")
    if layers is UNKNOWN or as_list(layers):
        return
    report(
        "declares third-party requirements (requirements.txt) but has no layer and installs none: Lambda does not "
        "install them, so the handler fails at import"
    )


def _app_account(app: Any, accounts: list[Any]) -> Any | None:
    """The storage account the app deploys from: named in its deployment container URL, or the
    stack's only account while that URL is not known yet."""
    url = get(app.props, "functionAppConfig", "deployment", "storage", "value")
    if isinstance(url, str) and url:
        # an account's name is `accountName` among its inputs and `name` among its outputs (what a
        # real preview passes a stack rule: azure-native's outputs leave out the path's inputs)
        return next((a for a in accounts if any(f"//{get(a.props, key)}." in url for key in ACCOUNT_KEYS)), None)
    return accounts[0] if len(accounts) == 1 else None


def _denies_networks(account: Any) -> bool:
    return same_text(get(account.props, "publicNetworkAccess"), "Disabled") or same_text(
        get(account.props, "networkRuleSet", "defaultAction"), "Deny"
    )


def _reach_problems(app: Any, account: Any, subnets: list[Any], endpoints: list[Any]) -> list[str]:
    name = account.name
    subnet_id = get(app.props, "virtualNetworkSubnetId")
    if subnet_id is UNKNOWN:
        return []
    if not subnet_id:
        return [
            f"runs outside any virtual network, and storage account {name} denies network access: it cannot "
            "read its deployment package, its host storage or its data"
        ]
    subnet = next((s for s in subnets if refers_to(app, "virtualNetworkSubnetId", s, ("id",))), None)
    if subnet is None:
        return []  # a subnet of another stack: not judged here
    problems = []
    services = [get(d, "serviceName") for d in as_list(get(subnet.props, "delegations"))]
    if UNKNOWN not in services and not any(same_text(service, FLEX_DELEGATION) for service in services):
        problems.append(f"integrates subnet {subnet.name}, which is not delegated to {FLEX_DELEGATION}")
    # A blob private endpoint serves the integrated subnet whatever the public endpoint admits (the
    # account's firewall applies to its public endpoint only, Microsoft Learn "Azure Storage network
    # security overview"); an account that stays reachable by trusted services keeps public network
    # access Enabled beside its private endpoints (docs/azure.md, "Storage behind security.network:
    # private").
    served = private_endpoint_reaches(account, endpoints, "blob")
    if same_text(get(account.props, "publicNetworkAccess"), "Disabled") and not served:
        problems.append(
            f"integrates subnet {subnet.name}, but storage account {name} has public network access disabled and no "
            "blob private endpoint: nothing reaches it"
        )
    elif not served:
        # the firewall must admit the subnet
        rules = [
            get(r, "virtualNetworkResourceId")
            for r in as_list(get(account.props, "networkRuleSet", "virtualNetworkRules"))
        ]
        subnet_ids = [get(subnet.props, "id"), subnet_id]
        if UNKNOWN not in rules and not any(same_text(rule, str(own)) for rule in rules for own in subnet_ids if own):
            problems.append(f"integrates subnet {subnet.name}, which storage account {name}'s firewall does not admit")
    return problems


@stack_rule(
    "processing-functions-app-reaches-its-storage",
    area="processing",
    severity="high",
    enforcement="mandatory",
    controls=("Azure Functions networking options: virtual network integration", "MCSB NS-2"),
    description="A Functions app whose storage account denies network access (public access disabled, or a "
    "firewall denying by default) runs in a subnet delegated to Microsoft.App/environments, which that "
    "account's firewall admits when its public endpoint is on and no blob private endpoint serves it, and which a "
    "blob private endpoint serves when it is off (Functions apps are not trusted Azure services).",
    remediation="Set virtual_network_subnet_id to a subnet delegated to Microsoft.App/environments; with public "
    "network access on, list it in the account's network_rule_set.virtual_network_rules (Microsoft.Storage "
    "service endpoint), or give the account blob private endpoints the subnet resolves (required with it disabled).",
)
def functions_app_reaches_its_storage(args: Any, report: Any) -> None:
    accounts = of_type(args.resources, STORAGE_ACCOUNT)
    subnets = of_type(args.resources, SUBNET)
    for app in of_type(args.resources, WEB_APP):
        if not is_function_app(app.props):
            continue
        account = _app_account(app, accounts)
        if account is None or not _denies_networks(account):
            continue
        for problem in _reach_problems(app, account, subnets, of_type(args.resources, T.PRIVATE_ENDPOINT)):
            report(f"functions app {app.name} {problem}", app.urn)


@resource_rule(
    "processing-function-not-public",
    area="processing",
    severity="critical",
    enforcement="mandatory",
    types=T.LAMBDA_ACCESS,
    controls=("CKV_AWS_301 (Lambda function not publicly accessible)", "CKV_AWS_258 (function URL auth)"),
    description="No Lambda function (the contact processor, whose role reads raw contacts and writes products) or "
    "layer is open to every principal or to a service acting for any account: no permission to '*' or to a "
    "service principal unless a source account, a source ARN naming an account or an organization confines it "
    "(an ARN with a wildcard account, or a bucket's, which has no account field, confines nothing alone), no "
    "function URL without IAM authorization. The Functions app's side is processing-functions-app-https-no-keys.",
    remediation="Grant the invoking service by name with source_account and source_arn (EventBridge, S3...), or "
    "give the URL authorization_type 'AWS_IAM'.",
)
def function_not_public(args: Any, report: Any) -> None:
    props = args.props
    if T.is_type(args.resource_type, ("aws:lambda/functionUrl:FunctionUrl",)):
        auth = get(props, "authorizationType")
        if auth is not UNKNOWN and str(auth).upper() == "NONE":
            report("its URL takes requests from anyone (authorizationType is NONE)")
        return
    principal = get(props, "principal")
    what = "layer" if "layerVersionPermission" in args.resource_type else "function"
    if _confined(props):
        return
    if principal == "*":
        report(f"lets every principal use the {what} ({get(props, 'action')})")
    elif isinstance(principal, str) and principal.endswith(SERVICE_PRINCIPAL_ENDS):
        report(
            f"lets {principal} invoke the {what} for any account's resources: no sourceAccount, or sourceArn naming "
            "an account, confines it (confused deputy)"
        )


# A service principal's name (s3.amazonaws.com; the China partition's amazonaws.com.cn).
SERVICE_PRINCIPAL_ENDS = (".amazonaws.com", ".amazonaws.com.cn")
# What confines a Lambda permission to callers of one account or organization, and the condition
# key each stands for (aws_iam.pins judges its value as for a policy's condition).
_PERMISSION_CONFINES = {
    "sourceAccount": "aws:sourceaccount",
    "sourceArn": "aws:sourcearn",
    "principalOrgId": "aws:sourceorgid",
    "organizationId": "aws:sourceorgid",
}


def _confined(props: Any) -> bool:
    """A permission's source names one account or organization: any non-empty sourceArn counted,
    and 'arn:aws:s3:::*' (every bucket of every account) let any account's notifications invoke
    the processor. An unknown value is judged at `pulumi up`."""
    for field, key in _PERMISSION_CONFINES.items():
        value = get(props, field)
        if value is UNKNOWN:
            return True
        if value not in (None, "") and pins(key, str(value)):
            return True
    return False


def _aws_environment_keys(variables: Any) -> list[str]:
    """The names of `variables` (a name-to-value mapping) that carry an AWS credential."""
    found = []
    for name, value in variables.items():
        if str(name).upper() in AWS_CREDENTIAL_VARIABLES or (
            isinstance(value, str) and AWS_ACCESS_KEY_ID.search(value)
        ):
            found.append(str(name))
    return found


def _container_properties(props: Any) -> Any:
    """A Batch job definition's containerProperties as a mapping (JSON text in pulumi-aws); None when
    not known or not a container job."""
    text = get(props, "containerProperties")
    if not isinstance(text, str) or text is UNKNOWN:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, Mapping) else None


def _job_problems(props: Any) -> list[str]:
    """What a Container Apps job holds or lacks that makes it reach its queue and stores with keys."""
    problems = []
    identity = get(props, "identity", "type")
    if identity is not UNKNOWN and (identity is None or same_text(identity, "None")):
        problems.append(NO_IDENTITY)
    for secret in as_list(get(props, "configuration", "secrets")):
        value = get(secret, "value")
        if isinstance(value, str) and holds_key(value):
            problems.append(f"secret {get(secret, 'name')} holds a key")
    for container in as_list(get(props, "template", "containers")):
        for variable in as_list(get(container, "env")):
            value = get(variable, "value")
            if isinstance(value, str) and holds_key(value):
                problems.append(f"container {get(container, 'name')} env {get(variable, 'name')} holds a key")
    for rule in as_list(get(props, "configuration", "eventTriggerConfig", "scale", "rules")):
        auth = get(rule, "auth")
        if auth is not UNKNOWN and as_list(auth) and get(rule, "identity") in (None, ""):
            problems.append(f"scale rule {get(rule, 'name')} authenticates with a secret, not the job's identity")
    return problems


@resource_rule(
    "processing-identity-no-keys",
    area="processing",
    severity="high",
    enforcement="mandatory",
    types=CONTAINER_APPS_JOB + BATCH_JOB_DEFINITION + LAMBDA_FUNCTION,
    controls=("MCSB IM-3 (managed identities)", "IAM User Guide: use roles, not long-term access keys"),
    description="What runs the processor besides the Functions app (a Container Apps job, a Batch job definition, a "
    "Lambda function) reaches the queue and the stores with its own identity (a managed identity, a job or "
    "execution role) and holds no key: no storage or Service Bus key or SAS in its environment, secrets or "
    "scaler, no AWS access key in its environment.",
    remediation="Give the Container Apps job identity SystemAssigned and its scale rule identity 'system'; give the "
    "Batch job definition a jobRoleArn; grant the role or identity the data roles it needs; remove the keys.",
)
def identity_no_keys(args: Any, report: Any) -> None:
    props = args.props
    if T.is_type(args.resource_type, CONTAINER_APPS_JOB):
        for problem in _job_problems(props):
            report(problem)
        return
    if T.is_type(args.resource_type, LAMBDA_FUNCTION):
        variables = plain(get(props, "environment", "variables"))  # a value not known yet is UNKNOWN
        if isinstance(variables, Mapping):
            for name in _aws_environment_keys(variables):
                report(f"environment variable {name} holds an AWS access key")
        return
    container = _container_properties(props)
    if container is None:
        return
    if container.get("jobRoleArn") in (None, ""):
        report("has no jobRoleArn (the container would reach the stores with access keys)")
    variables = {get(v, "name"): get(v, "value") for v in as_list(container.get("environment"))}
    for name in _aws_environment_keys(variables):
        report(f"environment variable {name} holds an AWS access key")


@resource_rule(
    "processing-container-environment-internal",
    area="processing",
    severity="medium",
    enforcement="mandatory",
    types=CONTAINER_APPS_ENVIRONMENT,
    controls=(
        "Azure Policy 8b346db6-85af-419b-8557-92cee2c0f9bb (Container App environments should use network injection)",
        "Azure Policy d074ddf8-01a5-4b5e-a2b8-964aed452c0a (Container Apps environment should disable public "
        "network access)",
    ),
    description="A Container Apps environment (where the container jobs run) is injected into a subnet of the "
    "stack and internal: no public IP, no app in it reachable from the internet, as the Batch jobs run in the "
    "stack's own VPC.",
    remediation="Set vnet_configuration={'infrastructure_subnet_id': <a subnet delegated to "
    "Microsoft.App/environments>, 'internal': True} (both fixed when the environment is made).",
)
def container_environment_internal(args: Any, report: Any) -> None:
    vnet = get(args.props, "vnetConfiguration")
    if vnet is UNKNOWN:
        return
    subnet, internal = get(vnet, "infrastructureSubnetId"), get(vnet, "internal")
    if subnet is not UNKNOWN and not subnet:
        report("is in no subnet of the stack (vnetConfiguration.infrastructureSubnetId unset)")
    if internal is not UNKNOWN and not is_true(internal):
        report("has a public IP (vnetConfiguration.internal is not true): its apps can be reached from the internet")
