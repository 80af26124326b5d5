"""Preflight: each rule fires on a crafted bad plan and stays quiet on the example plans."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from groundlink.clouds import CLOUDS
from groundlink.engine import Plan, PlannedResource
from groundlink.preflight import aws_api, azure_names, azure_roles, cmk, preflight, registry
from groundlink.preflight.constraints import check_table
from groundlink.preflight.provider import check_resource
from groundlink.preflight.schema import PACKAGES, Closed, ListOf, MapOf, Scalar, provider_class, resource_schema

from .conftest import cached_plan, variant_plan
from .test_processing_cloud import CONTAINER_JOB

EXAMPLES = ("noaa20.yaml", "constellation.yaml", "partner.yaml", "aqua-legacy.yaml")
PARTNER_PRINCIPAL = "3f2b8c1e-6a4d-4e2f-9b7a-0c5d1e2f3a4b"  # specs/partner.yaml, aqua-legacy.yaml


def broken(spec: str, cloud: str) -> Plan:
    """A private copy of an example plan, to break one input of."""
    return copy.deepcopy(cached_plan(spec, cloud))


def first(plan: Plan, type_token: str) -> PlannedResource:
    found = plan.of_type(type_token)
    assert found, f"the plan has no {type_token}"
    return found[0]


def lines(findings) -> list[str]:
    return [f.line() for f in findings]


# -- the provider schema, derived from the installed SDKs --------------------------------


def test_schema_is_the_installed_providers():
    storage = resource_schema("azure-native:storage:StorageAccount")
    identity = storage.props["identity"].schema.props
    assert identity["userAssignedIdentities"].schema == ListOf(Scalar("str"))  # pulumi-azure-native 3.x
    assert identity["type"].required
    autotrack = resource_schema("aws-native:groundstation:Config").props["configData"].schema
    assert autotrack.props["trackingConfig"].schema.props["autotrack"].schema == Closed(
        "ConfigTrackingConfigAutotrack", ("REQUIRED", "PREFERRED", "REMOVED")
    )
    role = resource_schema("aws:iam/role:Role").props
    assert role["assumeRolePolicy"].required and not role["path"].required
    assert role["tags"].schema == MapOf(Scalar("str"))
    assert resource_schema("pulumi:providers:aws") is None


def test_every_resource_type_the_plans_create_has_its_provider_schema():
    """Preflight checks each resource against its SDK class's inputs; a type whose class it could
    not find was skipped without a word (`aws:lambda/...` lives in `pulumi_aws.lambda_`)."""
    plans = [cached_plan(spec, cloud) for spec in EXAMPLES for cloud in CLOUDS]
    plans += [variant_plan(cloud, CONTAINER_JOB) for cloud in CLOUDS]
    types = {r.type for plan in plans for r in plan.resources if r.custom and r.type.split(":")[0] in PACKAGES}
    assert {"aws:lambda/function:Function", "aws:batch/jobDefinition:JobDefinition", "azure-native:app:Job"} <= types
    assert sorted(t for t in types if resource_schema(t) is None) == []
    assert provider_class("aws:lambda/eventSourceMapping:EventSourceMapping").__module__.startswith(
        "pulumi_aws.lambda_"
    )


def test_a_lambda_function_input_of_the_wrong_type_fires():
    plan = broken("noaa20.yaml", "aws")
    function = first(plan, "aws:lambda/function:Function")
    function.inputs["timeout"] = "900"
    (line,) = lines(check_resource(function))
    assert line.startswith(
        f'{function.name} ({function.type}) timeout = "900": expected int, got a string [pulumi-aws '
    )
    assert line.endswith(" FunctionArgs]")


def test_unknown_property_fires():
    plan = broken("noaa20.yaml", "aws")
    bucket = first(plan, "aws:s3/bucket:Bucket")
    bucket.inputs["bucketPrefx"] = bucket.inputs.pop("bucketPrefix")
    found = lines(check_resource(bucket))
    assert len(found) == 1 and "bucketPrefx" in found[0] and "unknown property of BucketArgs" in found[0]
    assert "pulumi-aws 7.51.1" in found[0]


def test_missing_required_input_fires():
    plan = broken("noaa20.yaml", "aws")
    role = first(plan, "aws:iam/role:Role")
    del role.inputs["assumeRolePolicy"]
    assert [f.path for f in check_resource(role)] == ["assumeRolePolicy"]


def test_wrong_type_fires_recursively():
    plan = broken("noaa20.yaml", "aws")
    profile = first(plan, "aws-native:groundstation:MissionProfile")
    profile.inputs["dataflowEdges"][0]["source"] = 42
    profile.inputs["minimumViableContactDurationSeconds"] = "180"
    found = {f.path: f.rule for f in check_resource(profile)}
    assert found == {
        "dataflowEdges[0].source": "expected str, got int",
        "minimumViableContactDurationSeconds": "expected int, got a string",
    }


def test_closed_enum_fires():
    plan = broken("noaa20.yaml", "aws")
    tracking = next(
        c for c in plan.of_type("aws-native:groundstation:Config") if "trackingConfig" in c.inputs["configData"]
    )
    tracking.inputs["configData"]["trackingConfig"]["autotrack"] = "SOMETIMES"
    found = lines(check_resource(tracking))
    assert len(found) == 1 and "configData.trackingConfig.autotrack" in found[0]
    assert "REQUIRED, PREFERRED, REMOVED" in found[0]


def test_identity_map_refused_where_a_list_is_declared():
    plan = broken("noaa20.yaml", "azure")
    account = first(plan, "azure-native:storage:StorageAccount")
    account.inputs["identity"]["userAssignedIdentities"] = {"/subscriptions/x/id-cmk": {}}
    found = [f for f in check_resource(account) if f.path == "identity.userAssignedIdentities"]
    assert found and found[0].rule == "expected a list, got a map"


# -- AWS API constraints from botocore ---------------------------------------------------


def test_shapes_file_is_what_botocore_says():
    assert json.loads(aws_api.SHAPES_FILE.read_text()) == aws_api.derive_shapes()


def test_role_arn_with_a_path_is_refused_by_ground_station():
    plan = broken("noaa20.yaml", "aws")
    recording = next(c for c in plan.of_type(aws_api.GS_CONFIG) if "s3RecordingConfig" in c.inputs["configData"])
    recording.inputs["configData"]["s3RecordingConfig"]["roleArn"] = "arn:aws:iam::123456789012:role/team/x-role"
    found = [f for f in check_table(plan, aws_api.constraints()) if f.resource == recording.name]
    assert len(found) == 1 and found[0].path == "configData.s3RecordingConfig.roleArn"
    assert "groundstation RoleArn" in found[0].rule and found[0].source.startswith("botocore 1.44.5")


def test_the_finding_docs_preflight_md_shows_is_the_line_the_command_prints():
    """The docs' sample line, for the delivery role of docs/aws.md given an IAM path: the value
    cut to 60 characters, the last an ellipsis."""
    plan = broken("noaa20.yaml", "aws")
    recording = next(c for c in plan.of_type(aws_api.GS_CONFIG) if "s3RecordingConfig" in c.inputs["configData"])
    role = "arn:aws:iam::123456789012:role/groundlink/noaa20/noaa20-ground-delivery-role"
    recording.inputs["configData"]["s3RecordingConfig"]["roleArn"] = role
    (finding,) = [f for f in preflight(plan) if f.resource == recording.name]
    shown = f"aws: {finding.line()}"
    assert len(shown.split(" = ")[1].split(": groundstation")[0]) == 60
    assert f"\n{shown}\n" in (Path(__file__).resolve().parents[1] / "docs" / "preflight.md").read_text()


@pytest.mark.parametrize(
    ("type_token", "key", "value", "shape"),
    [
        ("aws:kinesis/stream:Stream", "name", "telemetry stream!", "kinesis StreamName"),
        ("aws:iam/role:Role", "path", "groundlink", "iam pathType"),
        ("aws:iam/role:Role", "name", "r" * 65, "iam roleNameType"),
        ("aws:sqs/queue:Queue", "name", "q" * 81, "SQS queue name"),
        ("aws:kms/alias:Alias", "name", "alias/mission key", "kms AliasNameType"),
        (
            "aws:lambda/eventSourceMapping:EventSourceMapping",
            "functionName",
            "arn:aws:lambda:us-west-2:123456789012:function/noaa20-processing",  # `function/`, not `function:`
            "lambda NamespacedFunctionName",
        ),
    ],
)
def test_api_name_rules_fire(type_token, key, value, shape):
    plan = broken("noaa20.yaml", "aws")
    first(plan, type_token).inputs[key] = value
    found = [f for f in check_table(plan, aws_api.constraints()) if f.path == key and f.type == type_token]
    assert len(found) == 1 and found[0].rule.startswith(shape)


@pytest.mark.parametrize(("name", "fires"), [("noaa20_noaa20_hrd", False), ("noaa20/noaa20/hrd", True)])
def test_a_dataflow_endpoint_name_is_judged_by_ground_stations_safe_name(name, fires):
    from .conftest import variant_plan

    plan = copy.deepcopy(variant_plan("aws", {"delivery.stream": True}))
    group = first(plan, aws_api.GS_ENDPOINTS)
    group.inputs["endpointDetails"][0]["endpoint"]["name"] = name
    found = [f for f in check_table(plan, aws_api.constraints()) if f.resource == group.name]
    assert [f.rule.split(":")[0] for f in found] == (["groundstation SafeName"] if fires else [])


@pytest.mark.parametrize(
    ("prefix", "fires"),
    [
        ("noaa20-logs-" + "x" * 24 + "-", False),  # 37 characters: a 63-character name
        ("noaa20-logs-" + "x" * 25 + "-", True),  # 38: the provider's 26 characters make 64
        ("noaa20-logs-" + "x" * 30 + "-", True),  # 43 passed, judged as a whole 3-63 name
        ("a-", False),  # a-<26 characters> is a valid name, and was refused as a name of 2
        ("Noaa20-", True),  # S3 names are lowercase
        ("-noaa20-", True),  # a name begins with a letter or digit
        (".noaa20-", True),
        ("noaa20..raw-", True),  # no two adjacent periods
        ("noaa20.raw-", False),
    ],
)
def test_a_bucket_prefix_is_judged_as_the_start_of_a_name_the_provider_completes(prefix, fires):
    plan = broken("noaa20.yaml", "aws")
    bucket = first(plan, "aws:s3/bucket:Bucket")
    bucket.inputs["bucketPrefix"] = prefix
    found = [f for f in check_table(plan, aws_api.constraints()) if f.resource == bucket.name]
    assert [f.rule.split(":")[0] for f in found] == (["S3 bucket name prefix"] if fires else [])


@pytest.mark.parametrize(
    ("type_token", "key", "value", "shape"),
    [
        ("aws:iam/role:Role", "name", "noaa20-données", "iam roleNameType"),
        ("aws:iam/rolePolicy:RolePolicy", "name", "politique-écrire", "iam policyNameType"),
        ("aws:iam/role:Role", "name", "noaa20-٣", "iam roleNameType"),  # an Arabic-Indic digit
    ],
)
def test_botocore_s_pattern_classes_are_ascii_as_java_s_are(type_token, key, value, shape):
    """botocore's patterns are Java's, whose \\w and \\d are ASCII; read by Python's `re`, they took any
    script's letters and digits, and names the API refuses passed."""
    plan = broken("noaa20.yaml", "aws")
    first(plan, type_token).inputs[key] = value
    found = [f for f in check_table(plan, aws_api.constraints()) if f.path == key and f.type == type_token]
    assert len(found) == 1 and found[0].rule.startswith(shape)


def test_a_layer_arn_without_its_version_fires():
    """Lambda takes a layer by its version's ARN (`...:layer:<name>:<version>`)."""
    plan = broken("noaa20.yaml", "aws")
    function = first(plan, "aws:lambda/function:Function")
    function.inputs["layers"] = ["arn:aws:lambda:us-west-2:123456789012:layer:noaa20-processor-dependencies"]
    found = [f for f in check_table(plan, aws_api.constraints()) if f.path == "layers[0]"]
    assert len(found) == 1 and found[0].rule.startswith("lambda LayerVersionArn")


def test_a_name_the_provider_chooses_is_checked_as_a_given_one():
    """A role given no name is named by Pulumi `<resource name>-xxxxxxx`; at 72 characters AWS
    refused it at `pulumi up` while preflight, which read only the names a program gives, said
    clean."""
    plan = broken("noaa20.yaml", "aws")
    role = first(plan, "aws:iam/role:Role")
    assert "name" not in role.inputs
    role.outputs["name"] = "r" * 65

    (found,) = [f for f in check_table(plan, aws_api.constraints()) if f.type == "aws:iam/role:Role"]

    assert found.path == "name (named by the provider)" and found.rule == "iam roleNameType: length 65 outside 1-64"


LONGEST_MISSION = "m" + "x" * 30 + "1"  # the spec's longest mission name: 32 characters


@pytest.mark.parametrize(
    "changes",
    [{"security.network": "private"}, {"security.network": "private", **CONTAINER_JOB}],
    ids=["private", "private-container-job"],
)
def test_the_longest_mission_name_plans_roles_iam_accepts(changes):
    plan = variant_plan("aws", {"mission.name": LONGEST_MISSION, **changes})
    roles = plan.of_type("aws:iam/role:Role")

    assert [f.line() for f in preflight(plan)] == []
    assert roles and all(len(r.outputs["name"]) <= 64 for r in roles)
    prefixed = [r.inputs["namePrefix"] for r in roles if "namePrefix" in r.inputs]
    assert prefixed and all(len(p) == 38 and p.endswith("-") for p in prefixed)  # + 26: Terraform's unique id
    assert len(set(prefixed)) == len(prefixed)  # two long roles told apart by the digest of their whole name


def test_a_role_whose_auto_name_fits_keeps_it():
    """Only a name past the limit changes: a deployed stack's roles are not renamed (replaced)."""
    assert not any("namePrefix" in r.inputs for r in cached_plan("noaa20.yaml", "aws").of_type("aws:iam/role:Role"))


@pytest.mark.parametrize(
    ("key", "value", "fires"),
    [
        ("bucketPrefix", "xn--noaa20-raw-", True),
        ("bucketPrefix", "sthree-noaa20-raw-", True),
        ("bucketPrefix", "amzn-s3-demo-noaa20-", True),
        ("bucketPrefix", "noaa20-xn--raw-", False),  # reserved only at the start
        ("bucket", "noaa20-raw-s3alias", True),
        ("bucket", "noaa20-raw-s3alias-x", False),
        ("bucket", "noaa20-raw--ol-s3", True),
        ("bucket", "noaa20-raw-x-s3alias", True),
        ("bucket", "noaa20.mrap", True),
    ],
)
def test_bucket_names_s3_reserves_fire_where_botocore_says_nothing(key, value, fires):
    """A mission named xn--noaa20 planned buckets S3 refuses, and preflight said clean:
    botocore's bucket name shape carries none of S3's reserved prefixes and suffixes."""
    plan = broken("noaa20.yaml", "aws")
    bucket = first(plan, "aws:s3/bucket:Bucket")
    bucket.inputs.pop("bucketPrefix", None)
    bucket.inputs[key] = value
    found = [f for f in check_table(plan, aws_api.RESERVED) if f.resource == bucket.name]
    assert [f.path for f in found] == ([key] if fires else [])  # once, at what the program gave
    assert all(f.source.startswith("Amazon S3 User Guide") for f in found)


PRIVATE = {"security.network": "private"}


def test_an_unnamed_security_group_is_planned_with_the_name_pulumi_gives_it_and_passes():
    """EC2 judges the name Pulumi gives an unnamed group (`<resource name>-` and seven
    characters) as it would a given one, so the plan records it for preflight to check."""
    plan = variant_plan("aws", PRIVATE)
    groups = plan.of_type("aws:ec2/securityGroup:SecurityGroup")
    assert groups and all("name" not in g.inputs for g in groups)
    assert all(re.fullmatch(re.escape(g.name) + "-[0-9a-f]{7}", g.outputs["name"]) for g in groups)
    assert not [f for f in check_table(plan, aws_api.RESERVED) if f.type == "aws:ec2/securityGroup:SecurityGroup"]


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        ("sg-noaa20-processing-sg-1a2b3c4", True),
        ("SG-noaa20", True),  # EC2 names are case-insensitive
        ("noaa20-processing-sg-1a2b3c4", False),  # sg- only at the start
        ("sgnoaa20", False),
        ("n" * 255, False),
        ("n" * 256, True),
    ],
)
def test_security_group_names_ec2_refuses_fire_where_botocore_says_nothing(name, fires):
    """A mission named sg-noaa20 planned groups EC2 refuses ("Can't start with sg-"), and preflight
    said clean: botocore models GroupName as a free string and states the rule in words."""
    plan = copy.deepcopy(variant_plan("aws", PRIVATE))
    group = first(plan, "aws:ec2/securityGroup:SecurityGroup")
    group.outputs["name"] = name
    found = [f for f in check_table(plan, aws_api.RESERVED) if f.resource == group.name]
    assert [f.path for f in found] == (["name (named by the provider)"] if fires else [])
    assert all(f.source.startswith("botocore 1.44.5 ec2 model") for f in found)


def test_demodulation_json_outside_the_api_alphabet_fires():
    plan = broken("noaa20.yaml", "aws")
    antenna = next(
        c for c in plan.of_type(aws_api.GS_CONFIG) if "antennaDownlinkDemodDecodeConfig" in c.inputs["configData"]
    )
    antenna.inputs["configData"]["antennaDownlinkDemodDecodeConfig"]["decodeConfig"]["unvalidatedJson"] = '{"a":"#"}'
    found = [f for f in check_table(plan, aws_api.constraints()) if f.resource == antenna.name]
    assert [f.rule.split(":")[0] for f in found] == ["groundstation JsonString"]


# -- Azure naming rules and principal types ------------------------------------------------


@pytest.mark.parametrize(
    ("type_token", "key", "value"),
    [
        ("azure-native:storage:StorageAccount", "accountName", "Noaa20_Store"),
        ("azure-native:keyvault:Vault", "vaultName", "kv-" + "x" * 22),
        ("azure-native:keyvault:Vault", "vaultName", "kv--noaa20"),
        ("azure-native:storage:BlobContainer", "containerName", "Raw-Contacts"),
        ("azure-native:storage:BlobContainer", "containerName", "raw--contacts"),
        ("azure-native:eventhub:Namespace", "namespaceName", "evh-1"),
        ("azure-native:servicebus:Namespace", "namespaceName", "sb-noaa20-sb"),
    ],
)
def test_azure_name_rules_fire(type_token, key, value):
    plan = broken("noaa20.yaml", "azure")
    first(plan, type_token).inputs[key] = value
    found = [f for f in check_table(plan, azure_names.NAME_RULES) if f.type == type_token]
    assert len(found) == 1 and found[0].path == key and "Microsoft Learn" in found[0].source


@pytest.mark.parametrize(
    ("type_token", "key", "value", "fires"),
    [
        ("azure-native:network:PrivateEndpoint", "privateEndpointName", "pe-" + "x" * 61, False),  # 64
        ("azure-native:network:PrivateEndpoint", "privateEndpointName", "pe-" + "x" * 62, True),  # 65
        ("azure-native:network:PrivateEndpoint", "privateEndpointName", "-pe-noaa20", True),
        ("azure-native:network:PrivateEndpoint", "privateEndpointName", "pe-noaa20_", False),
        ("azure-native:network:PrivateEndpoint", "privateEndpointName", "pe-noaa20.", True),
        ("azure-native:privatedns:VirtualNetworkLink", "virtualNetworkLinkName", "l" * 80, False),
        ("azure-native:privatedns:VirtualNetworkLink", "virtualNetworkLinkName", "l" * 81, True),
        ("azure-native:privatedns:VirtualNetworkLink", "virtualNetworkLinkName", "link/endpoints", True),
    ],
)
def test_private_network_name_rules_at_their_bounds(type_token, key, value, fires):
    plan = broken("partner.yaml", "azure")  # private: endpoints and zone links
    first(plan, type_token).inputs[key] = value
    found = [f for f in check_table(plan, azure_names.NAME_RULES) if f.type == type_token]
    assert [(f.path, "Microsoft.Network/" in f.source) for f in found] == ([(key, True)] if fires else [])


@pytest.mark.parametrize("engine", ["synapse", "adx"])
def test_the_longest_mission_name_makes_private_endpoint_and_link_names_azure_accepts(engine):
    """Every name groundlink derives for the private network, for a 32-character mission."""
    plan = variant_plan(
        "azure",
        {"mission.name": "m" * 32, "security.network": "private", "analytics.azure_engine": engine},
    )
    endpoints = plan.of_type("azure-native:network:PrivateEndpoint")
    assert len(endpoints) == (6 if engine == "synapse" else 4)
    assert max(len(e.inputs["privateEndpointName"]) for e in endpoints) <= 64
    assert list(check_table(plan, azure_names.NAME_RULES)) == []


@pytest.mark.parametrize("type_token", ["azure-native:keyvault:Vault", "azure-native:web:WebApp"])
def test_duplicate_global_name_fires(type_token):
    plan = broken("noaa20.yaml", "azure")
    assert list(azure_names.duplicate_global_names(plan)) == []
    original = first(plan, type_token)
    twin = copy.deepcopy(original)
    twin.name = "noaa20-second"
    plan.resources.append(twin)
    found = list(azure_names.duplicate_global_names(plan))
    assert len(found) == 1 and found[0].resource == "noaa20-second" and original.name in found[0].rule


def test_identity_granted_as_a_user_fires():
    plan = broken("noaa20.yaml", "azure")
    identity = first(plan, "azure-native:managedidentity:UserAssignedIdentity")
    grants = [
        a
        for a in plan.of_type(azure_roles.ROLE_ASSIGNMENT)
        if a.inputs["principalId"] == identity.outputs["principalId"]
    ]
    assert grants
    grants[0].inputs["principalType"] = "User"
    found = list(azure_roles.principal_type_findings(plan))
    assert [(f.resource, f.value) for f in found] == [(grants[0].name, "User")]
    assert identity.name in found[0].rule


def test_spec_service_principal_granted_as_a_user_fires():
    plan = broken("partner.yaml", "azure")
    for assignment in plan.of_type(azure_roles.ROLE_ASSIGNMENT):
        if assignment.inputs["principalId"] == PARTNER_PRINCIPAL:
            assignment.inputs["principalType"] = "User"
    found = list(azure_roles.principal_type_findings(plan, [PARTNER_PRINCIPAL]))
    assert found and all("service principal the spec names" in f.rule for f in found)


# -- writers into customer-managed-key stores ----------------------------------------------


def _without_kms_decrypt(policy: PlannedResource) -> None:
    document = json.loads(policy.inputs["policy"])
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = [a for a in actions if a != "kms:Decrypt"] or ["kms:GenerateDataKey"]
    policy.inputs["policy"] = json.dumps(document)


def test_s3_writer_without_kms_decrypt_fires():
    plan = broken("noaa20.yaml", "aws")
    archive = plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-telemetry-archive-policy")
    assert not [f for f in cmk.aws_findings(plan) if f.resource == archive.name]  # it holds both today
    _without_kms_decrypt(archive)
    found = [f for f in cmk.aws_findings(plan) if f.resource == archive.name]
    assert len(found) == 1 and "s3:PutObject" in found[0].rule and "lacks kms:Decrypt" in found[0].rule
    assert "Multipart" in found[0].source


def test_a_writer_s_key_actions_are_matched_whatever_their_case():
    """IAM matches an action's prefix and name case-insensitively: a policy granting `KMS:decrypt`
    grants kms:Decrypt, and its writer was said to lack it."""
    plan = broken("noaa20.yaml", "aws")
    archive = plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-telemetry-archive-policy")
    document = json.loads(archive.inputs["policy"])
    for statement in document["Statement"]:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        statement["Action"] = [a.upper() if a.startswith("kms:") else a for a in actions]
    archive.inputs["policy"] = json.dumps(document)
    assert "KMS:DECRYPT" in archive.inputs["policy"]
    assert [f for f in cmk.aws_findings(plan) if f.resource == archive.name] == []


def test_a_dual_layer_kms_bucket_is_a_customer_managed_key_store():
    """A bucket encrypted with `aws:kms:dsse` (dual-layer SSE-KMS) under the mission key needs the
    same key permissions of its writers as `aws:kms`: its writer without kms:Decrypt went unfound."""
    plan = broken("noaa20.yaml", "aws")
    sse_type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    for sse in plan.of_type(sse_type):
        for rule in sse.inputs["rules"]:
            rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] = "aws:kms:dsse"
    archive = plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-telemetry-archive-policy")
    _without_kms_decrypt(archive)
    found = [f for f in cmk.aws_findings(plan) if f.resource == archive.name]
    assert len(found) == 1 and "s3:PutObject" in found[0].rule and "lacks kms:Decrypt" in found[0].rule


def test_kinesis_writer_without_generate_data_key_fires():
    plan = broken("noaa20.yaml", "aws")
    policy = plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-ground-telemetry-role-policy")
    document = json.loads(policy.inputs["policy"])
    document["Statement"] = [s for s in document["Statement"] if not str(s["Action"]).count("kms:")]
    policy.inputs["policy"] = json.dumps(document)
    found = [f.rule for f in cmk.aws_findings(plan) if f.resource == policy.name]
    assert found and all("kinesis:PutRecord" in rule and "kms:GenerateDataKey" in rule for rule in found)


def test_azure_cmk_identity_without_a_key_role_fires():
    plan = broken("noaa20.yaml", "azure")
    assert not list(cmk.azure_findings(plan))
    plan.resources = [
        r
        for r in plan.resources
        if not (r.type == azure_roles.ROLE_ASSIGNMENT and r.inputs["roleDefinitionId"].endswith(tuple(cmk.KEY_ROLES)))
    ]
    found = list(cmk.azure_findings(plan))
    assert {f.type for f in found} == {"azure-native:storage:StorageAccount", "azure-native:synapse:Workspace"}
    assert all("Key Vault Crypto Service Encryption User" in f.rule for f in found)


# -- the example plans ----------------------------------------------------------------------

RULES = {
    "provider schema": lambda plan: [f for r in plan.custom() for f in check_resource(r)],
    "AWS API shapes": lambda plan: list(check_table(plan, aws_api.constraints())) if plan.cloud == "aws" else [],
    "Azure names": lambda plan: (
        list(check_table(plan, azure_names.NAME_RULES)) + list(azure_names.duplicate_global_names(plan))
    ),
    "principal types": lambda plan: list(azure_roles.principal_type_findings(plan, [PARTNER_PRINCIPAL])),
    "CMK writers": lambda plan: list(cmk.aws_findings(plan)) + list(cmk.azure_findings(plan)),
    "registry schemas": lambda plan: list(registry.aws_findings(plan)),
}


@pytest.mark.parametrize("rule", RULES)
def test_rule_is_quiet_on_the_example_plans(rule):
    checked = 0
    for spec in EXAMPLES:
        for cloud in CLOUDS:
            assert lines(RULES[rule](cached_plan(spec, cloud))) == []
            checked += 1
    assert checked == 8


def test_preflight_runs_every_rule():
    plan = broken("noaa20.yaml", "aws")
    first(plan, "aws:kinesis/stream:Stream").inputs["name"] = "bad name"
    first(plan, "aws:s3/bucket:Bucket").inputs["bucketPrefx"] = "x"
    found = {f.path for f in preflight(plan)}
    assert {"name", "bucketPrefx"} <= found


def test_a_lambda_environment_over_4_kb_fires_and_the_examples_fit():
    """botocore bounds no variable, yet Lambda refuses more than 4 KB of them in all. The spec
    refuses a capture list that long (tests/test_spec_processing_env.py); a program of one's own
    that builds ProcessingInputs itself is held to it here: 256 spacecraft ids and 1,000 UDP
    ports make the capture format ~5 KB."""
    import copy
    import json

    from groundlink.engine import Plan
    from groundlink.preflight import lambda_env

    doc = copy.deepcopy(cached_plan("partner.yaml", "aws").to_json())
    (function,) = [r for r in doc["resources"] if r["type"] == "aws:lambda/function:Function"]
    many = {"cadu_length": 1024, "spacecraft_ids": list(range(256)), "udp_ports": list(range(1000, 2000))}
    function["inputs"]["environment"]["variables"]["GROUNDLINK_CAPTURE_FORMAT"] = json.dumps(many)
    edited = Plan.from_json(doc)
    [finding] = list(lambda_env.aws_findings(edited))
    assert finding.path == "environment.variables.GROUNDLINK_CAPTURE_FORMAT"
    assert "as Lambda measures them (as one JSON object), over the 4,096 it allows in all" in finding.rule
    assert "Lambda quotas" in finding.source
    assert [f.line() for f in preflight(edited) if "4,096" in f.rule]
    for spec in ("noaa20.yaml", "partner.yaml"):
        assert list(lambda_env.aws_findings(cached_plan(spec, "aws"))) == []


def test_the_lambda_environment_is_measured_as_lambda_measures_it():
    """Names and values alone came 25 bytes short of what Lambda measures (the variables' compact
    JSON, quotes escaped): 4,092 bytes passed preflight that Lambda refuses as 4,117."""
    import copy
    import json

    from groundlink.engine import Plan
    from groundlink.preflight import lambda_env

    doc = copy.deepcopy(cached_plan("partner.yaml", "aws").to_json())
    (function,) = [r for r in doc["resources"] if r["type"] == "aws:lambda/function:Function"]
    variables = function["inputs"]["environment"]["variables"]
    variables["GROUNDLINK_CAPTURE_FORMAT"] = ""
    room = lambda_env.ENVIRONMENT_BYTES_MAX - len(json.dumps(variables, separators=(",", ":")))
    for fill, fires in ((room, False), (room + 1, True)):
        variables["GROUNDLINK_CAPTURE_FORMAT"] = "x" * fill
        assert bool(list(lambda_env.aws_findings(Plan.from_json(doc)))) is fires
    # a quote counts twice, escaped: the same length, one character a quote, goes over
    variables["GROUNDLINK_CAPTURE_FORMAT"] = '"' + "x" * (room - 1)
    assert list(lambda_env.aws_findings(Plan.from_json(doc)))


# -- blob service features an ADLS Gen2 account refuses ----------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "what"),
    [("isVersioningEnabled", True, "blob versioning"), ("changeFeed", {"enabled": True}, "the change feed")],
)
def test_versioning_or_a_change_feed_on_an_account_with_a_hierarchical_namespace_fires(path, value, what):
    """Azure refuses both with HTTP 409 on an isHnsEnabled account; preview accepts them (docs/azure.md)."""
    from groundlink.preflight import hns_features

    plan = broken("noaa20.yaml", "azure")
    service = first(plan, "azure-native:storage:BlobServiceProperties")
    account = first(plan, "azure-native:storage:StorageAccount")
    assert list(hns_features.azure_findings(plan)) == []  # the plan as groundlink makes it
    service.inputs[path] = value
    shown = "isVersioningEnabled = true" if path == "isVersioningEnabled" else "changeFeed.enabled = true"
    assert lines(preflight(plan)) == [
        f"{service.name} (azure-native:storage:BlobServiceProperties) {shown}: {what} is not supported on storage "
        f"account {account.name}, which has a hierarchical namespace (isHnsEnabled: true); Azure refuses it with "
        f"HTTP 409 [{hns_features.SOURCE}]"
    ]
    account.inputs["isHnsEnabled"] = False  # a flat account takes both
    assert lines(preflight(plan)) == []


# -- diagnostic setting categories a storage account does not export ---------------------------


def _setting(plan, name):
    return next(r for r in plan.of_type("azure-native:monitor:DiagnosticSetting") if r.name == name)


@pytest.mark.parametrize("target", ["storage", "blob"])
def test_all_metrics_on_a_storage_account_or_its_blob_service_fires(target):
    """Azure Monitor refuses AllMetrics on storage ('supported categories are: Capacity;Transaction');
    `pulumi preview` and the mocks take any category."""
    from groundlink.preflight import diagnostics

    plan = broken("noaa20.yaml", "azure")
    assert list(diagnostics.azure_findings(plan)) == []  # the plan as groundlink makes it
    setting = _setting(plan, f"noaa20-observability-{target}-diagnostics")
    setting.inputs["metrics"] = [{"category": "AllMetrics", "enabled": True}]
    assert lines(preflight(plan)) == [
        f'{setting.name} (azure-native:monitor:DiagnosticSetting) metrics[0].category = "AllMetrics": a storage '
        f"account and its services export the metric categories Capacity and Transaction only; Azure refuses "
        f"any other [{diagnostics.SOURCE}]"
    ]
    setting.inputs["metrics"] = [{"category": "Capacity", "enabled": True}]  # the other category it has
    assert lines(preflight(plan)) == []


def test_logs_on_the_storage_account_itself_fire_and_on_its_blob_service_do_not():
    from groundlink.preflight import diagnostics

    plan = broken("noaa20.yaml", "azure")
    logs = [{"categoryGroup": "allLogs", "enabled": True}]
    account = _setting(plan, "noaa20-observability-storage-diagnostics")
    account.inputs["logs"] = logs
    assert [f.path for f in diagnostics.azure_findings(plan)] == ["logs"]
    del account.inputs["logs"]
    assert _setting(plan, "noaa20-observability-blob-diagnostics").inputs["logs"] == logs
    assert list(diagnostics.azure_findings(plan)) == []
    # another service's AllMetrics is its own to export
    assert (
        _setting(plan, "noaa20-observability-servicebus-diagnostics").inputs["metrics"][0]["category"] == "AllMetrics"
    )


# -- numbers the APIs bound (botocore's integer shapes) ----------------------------------------

GS_PROFILE = "aws-native:groundstation:MissionProfile"
ESM = "aws:lambda/eventSourceMapping:EventSourceMapping"


@pytest.mark.parametrize(
    ("type_token", "path", "outside", "edges", "rule"),
    [
        # an edge of each range passes, one step past it fires
        (GS_PROFILE, "minimumViableContactDurationSeconds", 0, (1, 21600), "value 0 outside 1-21,600"),
        (GS_PROFILE, "contactPrePassDurationSeconds", 21601, (0, 21600), "value 21,601 outside 0-21,600"),
        (ESM, "batchSize", 10001, (1, 10000), "value 10,001 outside 1-10,000"),
        (ESM, "maximumBatchingWindowInSeconds", 301, (0, 300), "value 301 outside 0-300"),
        (ESM, "scalingConfig.maximumConcurrency", 1, (2, 1000), "value 1 outside 2-1,000"),
        ("aws:lambda/function:Function", "ephemeralStorage.size", 511, (512,), "value 511 outside 512-32,768"),
    ],
)
def test_a_number_outside_its_api_range_fires_and_its_edges_do_not(type_token, path, outside, edges, rule):
    """`pulumi preview` takes any number; the API refuses one outside the range botocore models."""
    plan = broken("noaa20.yaml", "aws")
    resource = first(plan, type_token)
    *parents, leaf = path.split(".")
    holder = resource.inputs
    for key in parents:
        holder = holder.setdefault(key, {})
    for edge in edges:
        holder[leaf] = float(edge)  # the plan holds numbers as the wire's doubles
        assert [f for f in check_table(plan, aws_api.constraints()) if f.path == path] == []
    holder[leaf] = float(outside)
    (found,) = [f for f in check_table(plan, aws_api.constraints()) if f.path == path]
    assert found.rule.endswith(rule) and found.type == type_token and found.value == outside


def test_a_ground_station_dataflow_endpoint_group_pass_padding_outside_30_480_fires():
    plan = copy.deepcopy(variant_plan("aws", {"delivery.stream": True}, base="constellation.yaml"))
    group = first(plan, "aws-native:groundstation:DataflowEndpointGroup")
    assert [f for f in preflight(plan) if f.type == group.type] == []
    group.inputs["contactPrePassDurationSeconds"] = 20.0
    assert [f.line() for f in preflight(plan) if f.type == group.type] == [
        f"{group.name} ({group.type}) contactPrePassDurationSeconds = 20.0: groundstation "
        f"DataflowEndpointGroupDurationInSeconds: value 20 outside 30-480 [{aws_api.shape('groundstation', 'DataflowEndpointGroupDurationInSeconds').source}]",
        # the registry schema Cloud Control validates says the same
        f"{group.name} ({group.type}) contactPrePassDurationSeconds = 20.0: the registry schema's minimum is 30 "
        f"[{registry.source('AWS::GroundStation::DataflowEndpointGroup')}]",
    ]


def test_a_data_explorer_cluster_given_the_mission_key_fires_twice():
    """Data Explorer takes only 2048-bit RSA keys, and it is no trusted service of Key Vault: a
    cluster pointed at the mission key (3072 bits, in a vault that takes no public network access)
    would be refused at pulumi up on both counts (the stack keeps the cluster on Microsoft-managed
    keys; partner.yaml's cluster had the second fault and passed preflight)."""
    from groundlink.preflight import cmk

    plan = copy.deepcopy(variant_plan("azure", {"analytics.azure_engine": "adx"}))
    assert preflight(plan) == []
    cluster = first(plan, "azure-native:kusto:Cluster")
    vault = first(plan, "azure-native:keyvault:Vault")
    uri = f"https://{vault.inputs['vaultName']}.vault.azure.net/"
    cluster.inputs["keyVaultProperties"] = {"keyName": "data", "keyVaultUri": uri}
    assert lines(preflight(plan)) == [
        f'{cluster.name} (azure-native:kusto:Cluster) keyVaultProperties.keyName = "data": key data is RSA '
        f"3072-bit; Data Explorer takes only a 2048-bit RSA key and refuses the cluster [{cmk.EXPLORER_SOURCE}]",
        f'{cluster.name} (azure-native:kusto:Cluster) keyVaultProperties.keyVaultUri = "{uri}": reads a key of '
        f"vault {vault.inputs['vaultName']}, which admits only trusted services (public network access disabled or "
        "a firewall denying by default), and this service is none: admit it through the vault's firewall (an IP or "
        f"network rule), or give it no customer-managed key [{cmk.TRUSTED_SOURCE}]",
    ]


def test_a_vault_uri_outside_a_key_field_is_no_key_reference():
    """An app setting naming the vault (a program that reads its secrets through the vault's
    private endpoint) is the program's network's reach, not a service's key: not judged."""
    from groundlink.preflight import cmk

    plan = copy.deepcopy(variant_plan("azure", {"security.network": "private"}))
    vault = first(plan, "azure-native:keyvault:Vault")
    uri = f"https://{vault.inputs['vaultName']}.vault.azure.net/"
    app = first(plan, "azure-native:web:WebApp")
    app.inputs["siteConfig"]["appSettings"].append({"name": "KEY_VAULT_URI", "value": uri})
    assert list(cmk.unreachable_key_findings(plan)) == []
    app.inputs["keyVaultUri"] = uri  # the same URI in a key field is judged
    assert [f.path for f in cmk.unreachable_key_findings(plan)] == ["keyVaultUri"]


@pytest.mark.parametrize(
    ("properties", "fires"),
    [
        ({"publicNetworkAccess": "Disabled", "networkAcls": {"defaultAction": "Deny"}}, True),
        ({"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Deny"}}, True),
        ({"publicNetworkAccess": "Enabled", "networkAcls": {"defaultAction": "Allow"}}, False),
        ({"networkAcls": {"defaultAction": "Deny", "ipRules": [{"value": "203.0.113.0/24"}]}}, False),
    ],
)
def test_a_store_of_a_trusted_service_reaches_a_closed_vault_and_another_does_not(properties, fires):
    """The storage account (a trusted service) reads the mission key through a closed vault; the
    same reference from an untrusted service fires, unless the vault's network admits more."""
    from groundlink.preflight import cmk

    plan = copy.deepcopy(variant_plan("azure", {"analytics.azure_engine": "adx"}))
    vault = first(plan, "azure-native:keyvault:Vault")
    kept = {k: v for k, v in vault.inputs["properties"].items() if k not in ("publicNetworkAccess", "networkAcls")}
    vault.inputs["properties"] = {**kept, **properties}
    assert list(cmk.unreachable_key_findings(plan)) == []  # the account's keyVaultUri: a trusted service
    cluster = first(plan, "azure-native:kusto:Cluster")
    cluster.inputs["keyVaultProperties"] = {
        "keyVaultUri": f"https://{vault.inputs['vaultName'].upper()}.vault.azure.net"
    }
    assert bool(list(cmk.unreachable_key_findings(plan))) is fires


# -- aws-native resources against their CloudFormation registry schemas ----------------------


def test_every_aws_native_type_the_plans_create_has_its_registry_schema():
    """A type without one would be skipped without a word."""
    planned = {
        r.type for spec in EXAMPLES for r in cached_plan(spec, "aws").custom() if r.type.startswith("aws-native:")
    } | {r.type for r in variant_plan("aws", {"delivery.stream": True}).custom() if r.type.startswith("aws-native:")}
    assert planned == set(registry.REGISTRY_TYPES)
    schemas = registry.registry()["schemas"]
    assert {schemas[t]["typeName"] for t in registry.REGISTRY_TYPES.values()} == set(registry.REGISTRY_TYPES.values())


TAG_VALUE = r"^[ a-zA-Z0-9\+\-=._:/@]{1,256}$"


@pytest.mark.parametrize(
    ("type_token", "path", "value", "rule"),
    [
        # the tag values the spec now refuses, as a plan from elsewhere could still hold them
        ("aws-native:groundstation:MissionProfile", ("tags", 0, "value"), "Zürich", f"pattern is {TAG_VALUE}"),
        ("aws-native:groundstation:Config", ("tags", 0, "value"), "", f"pattern is {TAG_VALUE}"),
        ("aws-native:groundstation:MissionProfile", ("minimumViableContactDurationSeconds",), 0, "minimum is 1"),
        ("aws-native:groundstation:Config", ("configData", "trackingConfig", "autotrack"), "SOMETIMES", "enum is"),
        ("aws-native:groundstation:MissionProfile", ("dataflowEdges",), [], "minItems is 1"),
    ],
)
def test_a_value_the_registry_schema_refuses_fires(type_token, path, value, rule):
    plan = broken("noaa20.yaml", "aws")
    resource = next(r for r in plan.of_type(type_token) if _reaches(r.inputs, path[:-1]))
    node = resource.inputs
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    found = list(registry.aws_findings(plan))
    assert len(found) == 1, lines(found)
    (finding,) = found
    shown = ".".join(str(p) for p in path).replace(".0.", "[0].")
    assert (finding.resource, finding.path, finding.value) == (resource.name, shown, value)
    assert rule in finding.rule and registry.REGISTRY_TYPES[type_token] in finding.source


def _reaches(inputs, path) -> bool:
    node = inputs
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def test_an_input_the_registry_schema_does_not_know_fires_in_the_provider_s_names():
    plan = broken("noaa20.yaml", "aws")
    profile = first(plan, "aws-native:groundstation:MissionProfile")
    profile.inputs["streamsKmsKeyy"] = "x"
    (finding,) = registry.aws_findings(plan)
    assert finding.path == "" and "'streamsKmsKeyy' was unexpected" in finding.rule


def test_a_choice_of_properties_is_named_in_the_provider_s_spelling():
    """A mission profile's streams key is one of three forms: the finding names them, and shows
    the value as the plan holds it (`kmsKeyArn`, not the registry's `KmsKeyArn`)."""
    plan = broken("noaa20.yaml", "aws")
    profile = first(plan, "aws-native:groundstation:MissionProfile")
    key = "arn:aws:kms:us-west-2:123456789012:key/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1"
    alias = "arn:aws:kms:us-west-2:123456789012:alias/noaa20"
    profile.inputs["streamsKmsKey"] = {"kmsKeyArn": key, "kmsAliasArn": alias}
    (finding,) = registry.aws_findings(plan)
    assert (finding.path, finding.value) == ("streamsKmsKey", {"kmsKeyArn": key, "kmsAliasArn": alias})
    assert finding.rule == "the registry schema takes exactly one of: kmsKeyArn; kmsAliasArn; kmsAliasName"


def test_a_length_prints_with_its_thousands_as_a_value_does():
    constraint = aws_api.shape("iam", "policyDocumentType")
    assert constraint.broken_by("x" * 200_000) == "length 200,000 outside 1-131,072"


def test_a_finding_shows_a_value_of_60_characters_whole_and_a_longer_one_cut_on_one_line():
    """A finding's value is shown up to 60 characters as quoted, cut with `…` past them; a value of
    exactly 60 was cut too. A policy document written over several lines is shown on the
    finding's one line with its line breaks as spaces, not as `\\n` escapes."""
    from groundlink.preflight.findings import Finding

    def line(value) -> str:
        return Finding("key", "aws:kms/key:Key", "policy", value, "rule", "source").line()

    assert line("x" * 58) == 'key (aws:kms/key:Key) policy = "' + "x" * 58 + '": rule [source]'  # 60 as quoted
    assert line("x" * 59) == 'key (aws:kms/key:Key) policy = "' + "x" * 58 + "…: rule [source]"
    assert line('{\n  "Version": "2012-10-17"\n}') == (
        'key (aws:kms/key:Key) policy = "{   \\"Version\\": \\"2012-10-17\\" }": rule [source]'
    )
