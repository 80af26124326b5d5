"""The pack at `pulumi up`: AnalyzeStack gives a stack rule every resource's outputs, and after an
update those hold what the provider read back, not only what the program set (pulumi/pulumi
stepGenerator.AnalyzeResources: "AnalyzeStack is called on the final outputs of each resource").
An S3 bucket's default encryption, versioning and policy, an SNS topic's default policy: the
pack's one-writer-per-setting rules took each for the bucket's or topic's own input beside the
side resource that sets it, and every stack groundlink plans failed eleven mandatory rules at
its first `pulumi up` (twenty-three after a refresh)."""

from __future__ import annotations

import copy
import json
from typing import Any

from groundlink.check import check_plans
from groundlink.engine import Plan

from .conftest import cached_plan

ONE_WRITER = {"aws-s3-one-resource-per-setting", "aws-messaging-one-resource-per-setting"}
BUCKET, TOPIC = "aws:s3/bucket:Bucket", "aws:sns/topic:Topic"


def _deployed(doc: dict[str, Any]) -> dict[str, Any]:
    """The plan as `pulumi up` leaves its buckets' and topics' outputs: what pulumi-aws reads back
    right after the create (S3's default encryption, versioning off, no policy; SNS's default
    topic policy), whatever the program set as inputs."""
    doc = copy.deepcopy(doc)
    for resource in doc["resources"]:
        outputs = resource.setdefault("outputs", {})
        if resource["type"] == BUCKET:
            outputs["serverSideEncryptionConfiguration"] = {
                "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}
            }
            outputs["versioning"] = {"enabled": False, "mfaDelete": False}
            outputs["policy"] = ""
        elif resource["type"] == TOPIC:
            outputs["policy"] = json.dumps(
                {"Version": "2008-10-17", "Id": "__default_policy_ID", "Statement": [{"Sid": "__default_statement_ID"}]}
            )
    return doc


def _one_writer(doc: dict[str, Any]) -> list[tuple[str, str]]:
    result = check_plans([Plan.from_json(doc)])
    return sorted((v.policy, v.resource_name) for v in result.violations if v.policy in ONE_WRITER)


def test_a_deployed_stack_s_read_back_settings_are_no_second_writer() -> None:
    assert _one_writer(_deployed(cached_plan("noaa20.yaml", "aws").to_json())) == []


def test_a_bucket_whose_program_sets_its_policy_beside_a_bucket_policy_is_still_refused() -> None:
    """The rule judges what the program set, as the per-resource analysis saw it: a policy given
    as the bucket's own input beside a BucketPolicy is two writers, deployed or not."""
    doc = _deployed(cached_plan("noaa20.yaml", "aws").to_json())
    (raw,) = [r for r in doc["resources"] if r["type"] == BUCKET and r["name"] == "noaa20-storage-raw"]
    raw["inputs"]["policy"] = json.dumps({"Version": "2012-10-17", "Statement": []})
    assert _one_writer(doc) == [("aws-s3-one-resource-per-setting", "noaa20-storage-raw")]


def test_a_diagnostic_setting_named_by_a_path_its_outputs_leave_out_still_covers_its_blob_service() -> None:
    """azure-native keeps no path parameter among a resource's outputs: a diagnostic setting's
    `resourceUri` is not in what AnalyzeStack gets at `pulumi up`. One built from the account's
    id (docs/policies.md admits it) named nothing there, and the blob service it logs was said to
    have no diagnostic setting, a mandatory violation; the input Analyze saw names it."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "azure").to_json())
    account = next(r for r in doc["resources"] if r["type"] == "azure-native:storage:StorageAccount")
    (setting,) = [
        r
        for r in doc["resources"]
        if r["type"] == "azure-native:monitor:DiagnosticSetting" and "blob" in r["inputs"]["resourceUri"].casefold()
    ]
    setting["inputs"]["resourceUri"] = account["outputs"]["id"] + "/blobServices/default"
    setting["propertyDependencies"]["resourceUri"] = [account["urn"]]
    setting["outputs"].pop("resourceUri", None)
    result = check_plans([Plan.from_json(doc)])
    assert [v for v in result.violations if v.policy == "azure-data-access-logs"] == []


def test_an_input_not_known_yet_still_lets_the_stack_rules_run_through_analyze() -> None:
    """The inputs kept from Analyze hold a first preview's unknown values: read as the SDK's
    proxy reads them, an unknown raised, and the whole stack rule ended in one advisory "can't
    run policy during preview", hiding its every violation (a key's policy built from outputs
    switched off aws-kms-key-policy). Read through the pack's `get`, an unknown input the
    program set from another resource is a writer, and the rules run."""
    import dataclasses

    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

    from . import pack_cases
    from .pack_harness import FromOutputs, changed_plan

    plan = changed_plan(
        cached_plan("noaa20.yaml", "aws"),
        f"{pack_cases.ALERTS}/policy",
        FromOutputs(UNKNOWN_STRING_VALUE, pack_cases.KEY),
    )
    result = check_plans([plan])
    assert not [v for v in result.violations if "can't run policy" in v.message]
    assert [(v.policy, v.enforcement) for v in result.violations if v.policy in ONE_WRITER] == [
        ("aws-messaging-one-resource-per-setting", "mandatory")
    ]
    planned = cached_plan("noaa20.yaml", "aws")
    (key,) = [r for r in planned.resources if r.type == "aws:kms/key:Key"]
    unknown_key = dataclasses.replace(key, inputs={**key.inputs, "policy": UNKNOWN_STRING_VALUE})
    first_preview = dataclasses.replace(planned, resources=[unknown_key if r is key else r for r in planned.resources])
    assert not [v for v in check_plans([first_preview]).violations if "can't run policy" in v.message]


def test_a_key_the_program_gave_no_policy_is_refused_though_kms_reads_back_its_default() -> None:
    """A key's `policy` output is KMS's default policy where the program gave none: judged on
    it, a key without an explicit policy passed at `pulumi up` and in every preview after; only
    the offline check, whose outputs echo the inputs, reported it."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "aws").to_json())
    (key,) = [r for r in doc["resources"] if r["type"] == "aws:kms/key:Key"]
    del key["inputs"]["policy"]
    key["outputs"]["policy"] = json.dumps(
        {"Version": "2012-10-17", "Id": "key-default-1", "Statement": [{"Sid": "Enable IAM User Permissions"}]}
    )
    result = check_plans([Plan.from_json(doc)])
    assert [(v.policy, v.resource_name, v.message) for v in result.violations if v.policy == "aws-kms-key-policy"] == [
        ("aws-kms-key-policy", key["name"], "no key policy: the default policy is applied implicitly")
    ]


def test_a_synapse_firewall_rule_is_named_by_its_workspace_though_the_outputs_leave_it_out() -> None:
    """`workspaceName` is a path parameter azure-native leaves out of a firewall rule's outputs:
    the rules of every workspace were grouped as one, under "workspace None"."""
    from .conftest import variant_plan

    doc = copy.deepcopy(variant_plan("azure", {"analytics.sql_clients": ["203.0.113.0/24"]}).to_json())
    rules = [r for r in doc["resources"] if r["type"] == "azure-native:synapse:IpFirewallRule"]
    assert rules
    workspace = rules[0]["inputs"]["workspaceName"]
    for rule in rules:
        rule["inputs"].update(startIpAddress="0.0.0.0", endIpAddress="0.0.0.0")
        rule["outputs"].update(startIpAddress="0.0.0.0", endIpAddress="0.0.0.0")
        rule["outputs"].pop("workspaceName", None)
    messages = [
        v.message
        for v in check_plans([Plan.from_json(doc)]).violations
        if v.policy == "azure-synapse-firewall-not-open"
    ]
    assert messages and all(f"of workspace {workspace} admits every Azure service" in m for m in messages)


def test_a_first_preview_setting_built_from_the_account_waits_for_its_blob_service() -> None:
    """azure-native puts no path parameter among a resource's outputs, in a preview either: a
    diagnostic setting's `resourceUri` built from its account's id, not known yet on a first
    preview, was read from the outputs (absent, so not unknown), and its blob service was
    judged at once and said to have none, where docs/policies.md says it is judged at `up`."""
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

    doc = copy.deepcopy(cached_plan("noaa20.yaml", "azure").to_json())
    account = next(r for r in doc["resources"] if r["type"] == "azure-native:storage:StorageAccount")
    blob = next(r for r in doc["resources"] if r["type"] == "azure-native:storage:BlobServiceProperties")
    (setting,) = [
        r
        for r in doc["resources"]
        if r["type"] == "azure-native:monitor:DiagnosticSetting"
        and r["inputs"]["resourceUri"].endswith("/blobServices/default")
    ]
    setting["inputs"]["resourceUri"] = UNKNOWN_STRING_VALUE
    setting["propertyDependencies"]["resourceUri"] = [account["urn"]]
    setting["dependencies"].append(account["urn"])
    account["outputs"]["id"] = blob["outputs"]["id"] = UNKNOWN_STRING_VALUE
    setting["outputs"].pop("resourceUri", None)
    result = check_plans([Plan.from_json(doc)])
    assert [v for v in result.violations if v.policy == "azure-data-access-logs"] == []


def _scm_deployed(allow: bool) -> list[str]:
    """The noaa20 Azure plan with its WebAppScmAllowed's outputs as azure-native returns them:
    `name` is the policy's own (`scm`), the app's name and resource group (path parameters) left
    out, `allow` as read back."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "azure").to_json())
    (policy,) = [r for r in doc["resources"] if r["type"] == "azure-native:web:WebAppScmAllowed"]
    policy["outputs"] = {
        "name": "scm",
        "allow": allow,
        "type": "Microsoft.Web/sites/basicPublishingCredentialsPolicies",
    }
    return [
        v.message
        for v in check_plans([Plan.from_json(doc)]).violations
        if v.policy == "processing-functions-app-no-basic-auth"
    ]


def test_an_scm_policy_named_scm_in_its_outputs_still_covers_its_app() -> None:
    """Its `name` input is the app's, its outputs' `name` its own: at `pulumi up` the app was said
    to have no WebAppScmAllowed, a mandatory violation; the input Analyze saw names the app. What
    the cloud reads back still decides whether it is allowed."""
    assert _scm_deployed(allow=False) == []
    (message,) = _scm_deployed(allow=True)
    assert message.endswith("(WebAppScmAllowed noaa20-processing-scm-basic-auth has allow true)")
