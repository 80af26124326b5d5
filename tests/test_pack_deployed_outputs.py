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
