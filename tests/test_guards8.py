"""Settings a probe of 127 one-line breaks of the components (2026-12-06) changed without a test
failing, each held to the value the docs and the clouds give: what the geo copy keeps, what a
contact's padding is, which days Athena lists, how a container job reaches its image, how the
Azure key rotates and what it may do, what private networking leaves closed, and which resource
waits for which (a grant or a policy first, as the comment beside each `depends_on` says).

The planned tests share the example's plans and variants other files build."""

from __future__ import annotations

import json

import pytest

from .aws_support import as_list, doc, sid, statements
from .conftest import cached_plan, variant_plan

GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
PRIVATE = {"security.network": "private"}
CONTAINER_JOB = {
    "processing.mode": "container_job",
    "processing.container_image": "public.ecr.aws/example/groundlink:1",
}


def _waits_for(plan, dependent: tuple[str, str], *needed: tuple[str, str]) -> None:
    """`dependent` (type, name) lists every `needed` (type, name) among its dependencies."""
    urns = set(plan.one(*dependent).dependencies)
    assert {name for typ, name in needed if plan.one(typ, name).urn not in urns} == set()


# --- AWS --------------------------------------------------------------------------------------

LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


def test_the_geo_copy_keeps_each_store_as_long_as_the_store_and_tiers_it_alike():
    """A replica with the access logs' lifecycle expired products after 365 days where the
    source keeps them 1,825, and kept them in Standard the whole time."""
    plan = variant_plan("aws", GEO)
    for store in ("raw", "products"):
        source = plan.one(LIFECYCLE, f"noaa20-storage-{store}-lifecycle").inputs["rules"]
        replica = plan.one(LIFECYCLE, f"noaa20-storage-replica-{store}-lifecycle").inputs["rules"]
        assert replica == source
    (products,) = plan.one(LIFECYCLE, "noaa20-storage-replica-products-lifecycle").inputs["rules"]
    assert products["expiration"] == {"days": 1825}
    assert [(t["storageClass"], t["days"]) for t in products["transitions"]] == [
        ("STANDARD_IA", 30),
        ("GLACIER", 90),
        ("DEEP_ARCHIVE", 180),
    ]


@pytest.mark.parametrize("stream", [False, True])
def test_a_contact_s_padding_before_and_after_the_pass_is_each_its_own_field(stream):
    """Every example pads alike before and after, so a profile given the pre-pass padding twice
    went unseen: it would end each contact early and lose the pass's tail."""
    pre = 150 if stream else 60  # a stream's endpoint group takes 120-480 s
    changes = {"ground_segment.pre_pass_seconds": pre, "ground_segment.post_pass_seconds": 300}
    plan = variant_plan("aws", {**changes, "delivery.stream": True} if stream else changes)
    types = ["aws-native:groundstation:MissionProfile"]
    if stream:
        types.append("aws-native:groundstation:DataflowEndpointGroup")
    padded = [r for typ in types for r in plan.of_type(typ)]
    assert len(padded) == len(types)
    for resource in padded:
        assert (
            resource.inputs["contactPrePassDurationSeconds"],
            resource.inputs["contactPostPassDurationSeconds"],
        ) == (pre, 300), resource.name


def test_athena_projects_every_day_of_every_month_and_every_hour():
    """A day range of 1-30 drops the 31st from every query, without a word."""
    plan = cached_plan("noaa20.yaml", "aws")
    projected = {}
    for table in plan.of_type("aws:glue/catalogTable:CatalogTable"):
        params = table.inputs.get("parameters", {})
        for key in ("year", "month", "day", "hour"):
            if f"projection.{key}.range" in params:
                projected.setdefault(key, set()).add(
                    (params[f"projection.{key}.range"], params[f"projection.{key}.digits"])
                )
    assert projected["month"] == {("1,12", "2")}
    assert projected["day"] == {("1,31", "2")}
    assert projected["hour"] == {("0,23", "2")}  # the telemetry archive's, by the hour
    assert {digits for _, digits in projected["year"]} == {"4"}


def test_a_container_job_has_a_public_address_to_reach_its_image_and_stores():
    """The job's subnet has no NAT gateway (the plan warns of it): without a public address
    Fargate cannot pull the image or reach S3, and every contact's job fails."""
    (job,) = variant_plan("aws", CONTAINER_JOB).of_type("aws:batch/jobDefinition:JobDefinition")
    assert json.loads(job.inputs["containerProperties"])["networkConfiguration"] == {"assignPublicIp": "ENABLED"}


def test_the_replication_role_uses_each_key_through_s3_for_its_own_buckets_only():
    plan = variant_plan("aws", GEO)
    policy = doc(plan.one("aws:iam/rolePolicy:RolePolicy", "noaa20-storage-replica-policy"))
    keyed = [s for s in statements(policy) if any(str(a).startswith("kms:") for a in as_list(s["Action"]))]
    assert len(keyed) == 2
    for statement in keyed:
        condition = statement["Condition"]
        assert set(condition) == {"StringEquals", "StringLike"}
        assert set(condition["StringEquals"]) == {"kms:ViaService"}
        arns = condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"]
        assert arns and all(":s3:::" in arn for arn in arns)


def test_only_this_region_s_alarms_of_this_account_publish_to_the_alert_topic():
    plan = cached_plan("noaa20.yaml", "aws")
    policy = doc(plan.one("aws:sns/topicPolicy:TopicPolicy", "noaa20-observability-alerts-policy"))
    alarms = sid(policy, "AlarmsPublish")
    assert alarms["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*"},
    }


def test_what_a_grant_or_policy_must_precede_waits_for_it_on_aws():
    plan = variant_plan("aws", GEO)
    for store in ("raw", "products"):
        _waits_for(
            plan,
            ("aws:s3/bucketReplicationConfig:BucketReplicationConfig", f"noaa20-storage-replica-{store}-replication"),
            ("aws:iam/rolePolicy:RolePolicy", "noaa20-storage-replica-policy"),
        )
    plan = cached_plan("noaa20.yaml", "aws")
    _waits_for(  # the recording config writes under the raw bucket's TLS and endpoint policy
        plan,
        ("aws-native:groundstation:Config", "noaa20-ground-noaa20-hrd-recording"),
        ("aws:iam/rolePolicy:RolePolicy", "noaa20-ground-delivery-role-policy"),
        ("aws:s3/bucketPolicy:BucketPolicy", "noaa20-storage-raw-policy"),
    )
    plan = variant_plan("aws", {"delivery.stream": True})
    _waits_for(
        plan,
        ("aws-native:groundstation:DataflowEndpointGroup", "noaa20-ground-stream-group-noaa20"),
        ("aws:iam/rolePolicy:RolePolicy", "noaa20-ground-stream-role-policy"),
    )
    plan = variant_plan("aws", PRIVATE)
    (flow_log,) = plan.of_type("aws:ec2/flowLog:FlowLog")
    (policy,) = [p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if "flow" in p.name]
    assert policy.urn in flow_log.dependencies


# --- Azure ------------------------------------------------------------------------------------


def test_the_mission_key_rotates_every_90_days_expires_after_a_year_and_only_wraps():
    """docs/azure.md: RSA-HSM 3072, wrapKey and unwrapKey only, rotated every 90 days, a notice
    30 days before its one-year expiry."""
    (key,) = cached_plan("noaa20.yaml", "azure").of_type("azure-native:keyvault:Key")
    properties = key.inputs["properties"]
    assert properties["keyOps"] == ["wrapKey", "unwrapKey"]
    assert properties["rotationPolicy"] == {
        "lifetimeActions": [
            {"trigger": {"timeAfterCreate": "P90D"}, "action": {"type": "rotate"}},
            {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "notify"}},
        ],
        "attributes": {"expiryTime": "P1Y"},
    }


def test_the_function_app_takes_no_traffic_from_the_internet():
    (app,) = cached_plan("noaa20.yaml", "azure").of_type("azure-native:web:WebApp")
    assert app.inputs["publicNetworkAccess"] == "Disabled"


def test_private_networking_leaves_the_endpoint_subnet_closed_and_registers_no_vm_names():
    """The private endpoints' subnet has no default outbound access, and no private DNS zone
    auto-registers virtual machines (Azure allows one registration zone per network)."""
    plan = variant_plan("azure", PRIVATE)
    subnets = {s.name: s.inputs for s in plan.of_type("azure-native:network:Subnet")}
    assert subnets["noaa20-security-network-endpoints"]["defaultOutboundAccess"] is False
    links = plan.of_type("azure-native:privatedns:VirtualNetworkLink")
    assert links and all(link.inputs["registrationEnabled"] is False for link in links)


def test_premium_namespaces_encrypt_twice_with_the_mission_key():
    plan = variant_plan("azure", {"security.premium_messaging": True})
    namespaces = [*plan.of_type("azure-native:servicebus:Namespace"), *plan.of_type("azure-native:eventhub:Namespace")]
    assert len(namespaces) == 2
    for namespace in namespaces:
        encryption = namespace.inputs["encryption"]
        assert (encryption["requireInfrastructureEncryption"], encryption["keySource"]) == (True, "Microsoft.KeyVault")


def test_data_explorer_keeps_its_data_from_purge():
    (cluster,) = variant_plan("azure", {"analytics.azure_engine": "adx"}).of_type("azure-native:kusto:Cluster")
    assert cluster.inputs["enablePurge"] is False


def test_synapse_lets_trusted_azure_services_through_its_firewall():
    (workspace,) = cached_plan("noaa20.yaml", "azure").of_type("azure-native:synapse:Workspace")
    assert workspace.inputs["trustedServiceBypassEnabled"] is True


def test_the_lifecycle_policy_waits_for_the_blob_service_it_sits_beside():
    """Both update the one storage account; written at once, one of them fails."""
    _waits_for(
        cached_plan("noaa20.yaml", "azure"),
        ("azure-native:storage:ManagementPolicy", "noaa20-storage-lifecycle"),
        ("azure-native:storage:BlobServiceProperties", "noaa20-storage-blob-service"),
    )
