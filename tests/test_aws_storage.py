"""AWS stores: every bucket hardened the same way, lifecycle from the spec, access logs, private access."""

from __future__ import annotations

import fnmatch
import json

import pytest

from .aws_support import ACCOUNT, BUCKET, KEY, aws, aws_variant, bucket_by_role, doc, sid, side, statements
from .conftest import plan_of, spec_data

ROLES = ("raw", "products", "query-results", "logs", "artifacts")
STORES = ("raw", "products", "query-results")


@pytest.fixture(scope="module")
def plan():
    return aws()


def test_one_bucket_per_role_and_the_delivery_bucket_is_named_for_ground_station(plan):
    assert len(plan.of_type(BUCKET)) == len(ROLES)
    assert bucket_by_role(plan, "raw").inputs["bucketPrefix"] == "aws-groundstation-noaa20-raw-"
    assert bucket_by_role(plan, "products").inputs["bucketPrefix"] == "noaa20-products-"


@pytest.mark.parametrize("role", ROLES)
def test_public_access_is_blocked_four_ways_and_acls_are_off(plan, role):
    bucket = bucket_by_role(plan, role)
    block = side(plan, bucket, "bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    assert all(
        block[k] is True for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    )
    ownership = side(plan, bucket, "bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert (
        side(plan, bucket, "bucketVersioning:BucketVersioning").inputs["versioningConfiguration"]["status"] == "Enabled"
    )


@pytest.mark.parametrize("role", STORES)
def test_stores_use_the_mission_key_with_a_bucket_key(plan, role):
    (rule,) = side(
        plan,
        bucket_by_role(plan, role),
        "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": plan.one(KEY).outputs["arn"],
    }
    assert rule["bucketKeyEnabled"] is True


@pytest.mark.parametrize("role", ROLES)
def test_encryption_with_the_mission_key_is_marked_as_the_cmk_capability(plan, role):
    """Parity and cost read the marks: the stores' SSE-KMS is where the CMK is used, the log bucket's SSE-S3 is not."""
    encryption = side(
        plan,
        bucket_by_role(plan, role),
        "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )
    assert ("security.cmk" in (encryption.capability or ())) is (role != "logs")


def test_access_log_bucket_uses_sse_s3_as_server_access_logging_requires(plan):
    (rule,) = side(
        plan,
        bucket_by_role(plan, "logs"),
        "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


@pytest.mark.parametrize("role", ROLES)
def test_bucket_policy_denies_plain_http_on_bucket_and_objects(plan, role):
    bucket = bucket_by_role(plan, role)
    policy = doc(side(plan, bucket, "bucketPolicy:BucketPolicy"))
    deny = sid(policy, "DenyInsecureTransport")
    arn = bucket.outputs["arn"]
    assert deny["Effect"] == "Deny" and deny["Action"] == "s3:*"
    assert sorted(deny["Resource"]) == [arn, f"{arn}/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


@pytest.mark.parametrize("role, expire", [("raw", 365), ("products", 1825)])
def test_lifecycle_follows_the_spec_schedule(plan, role, expire):
    lifecycle = side(plan, bucket_by_role(plan, role), "bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    # objects under 128 KB are not tiered, as docs/aws.md says: stated in the plan, not left to a default
    assert lifecycle.inputs["transitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    (rule,) = lifecycle.inputs["rules"]
    assert rule["status"] == "Enabled"
    assert [(t["days"], t["storageClass"]) for t in rule["transitions"]] == [
        (30, "STANDARD_IA"),
        (90, "GLACIER"),
        (180, "DEEP_ARCHIVE"),
    ]
    assert rule["expiration"]["days"] == expire
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 30
    assert rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"] == 7


def test_access_logs_are_kept_as_long_as_raw_data_and_never_tiered(plan):
    """The access logs are the audit trail of the raw data: they expire with it (365 days
    in the reference spec), not before, and stay in S3 Standard."""
    (rule,) = side(
        plan, bucket_by_role(plan, "logs"), "bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    ).inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["expiration"]["days"] == 365
    assert rule.get("transitions") in (None, [])
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 30


def test_the_dependency_archive_the_stack_manages_is_never_expired(plan):
    """The artifacts bucket holds the layer archive the stack uploads and the layer is published
    from: an expiry made its current version a delete marker after raw_retention_days, then
    removed it, and the next refresh and update uploaded it again and replaced the layer. Its
    replaced versions expire; the archive itself is in the plan."""
    artifacts = bucket_by_role(plan, "artifacts")
    (rule,) = side(plan, artifacts, "bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["status"] == "Enabled" and rule["filter"] == {}
    assert "expiration" not in rule
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 30
    assert rule["abortIncompleteMultipartUpload"]["daysAfterInitiation"] == 7
    (archive,) = plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")
    assert archive.inputs["bucket"] == artifacts.outputs["id"]


@pytest.mark.parametrize("role", STORES)
def test_stores_log_access_to_the_log_bucket(plan, role):
    logging = side(plan, bucket_by_role(plan, role), "bucketLogging:BucketLogging").inputs
    assert logging["targetBucket"] == bucket_by_role(plan, "logs").outputs["bucket"]
    assert logging["targetPrefix"] == f"{role}/"


def test_log_bucket_admits_only_log_delivery_for_this_accounts_buckets(plan):
    logs = bucket_by_role(plan, "logs")
    grant = sid(doc(side(plan, logs, "bucketPolicy:BucketPolicy")), "S3ServerAccessLogDelivery")
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"} and grant["Action"] == "s3:PutObject"
    assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
    sources = grant["Condition"]["ArnLike"]["aws:SourceArn"]
    # ArnLike's wildcards: `?` one character, `*` any run (fnmatchcase reads them alike)
    assert all(
        any(fnmatch.fnmatchcase(b.outputs["arn"], s) for s in sources) for b in plan.of_type(BUCKET) if b is not logs
    )
    # not the buckets of a mission whose name starts with this one's bucket prefix
    other = plan_of(
        {**spec_data("noaa20.yaml"), "mission": {**spec_data("noaa20.yaml")["mission"], "name": "noaa20-products"}},
        "aws",
    )
    assert not any(fnmatch.fnmatchcase(b.outputs["arn"], s) for s in sources for b in other.of_type(BUCKET))


def test_buckets_are_protected_and_retained_in_strict_mode_only(plan):
    assert all(b.protect and b.retainOnDelete for b in plan.of_type(BUCKET))
    assert all(not b.protect and not b.retainOnDelete for b in aws_variant("dev").of_type(BUCKET))
    assert not any(r.protect for r in plan.resources if r.type.startswith("aws:s3/bucket") and r.type != BUCKET)


def test_without_cmk_stores_fall_back_to_sse_s3():
    plan = aws_variant("no-cmk")
    assert plan.of_type(BUCKET)
    for bucket in plan.of_type(BUCKET):
        (rule,) = side(
            plan, bucket, "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        ).inputs["rules"]
        assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


class TestPrivateNetwork:
    def test_a_gateway_endpoint_serves_s3_in_the_spec_region(self):
        plan = aws_variant("private")
        endpoint = plan.one("aws:ec2/vpcEndpoint:VpcEndpoint")
        assert endpoint.inputs["serviceName"] == "com.amazonaws.us-west-2.s3"
        assert endpoint.inputs["vpcEndpointType"] == "Gateway"
        assert endpoint.inputs["routeTableIds"] == [plan.one("aws:ec2/routeTable:RouteTable").outputs["id"]]
        assert "security.private_network" in endpoint.capability

    def test_the_endpoint_reaches_only_this_account_s_buckets(self):
        """Without an endpoint policy the private subnet's one way out reached all of S3, so
        mission data could be copied into a bucket of any account through it."""
        endpoint = aws_variant("private").one("aws:ec2/vpcEndpoint:VpcEndpoint")
        assert json.loads(endpoint.inputs["policy"]) == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "OnlyThisAccountsBuckets",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}},  # the mocks' account
                }
            ],
        }

    @pytest.mark.parametrize("role", STORES)
    def test_object_access_outside_the_endpoint_is_denied_except_the_roles_that_write_from_outside(self, role):
        plan = aws_variant("private")
        bucket = bucket_by_role(plan, role)
        policy = side(plan, bucket, "bucketPolicy:BucketPolicy")
        deny = sid(doc(policy), "DenyObjectAccessOutsideVpcEndpoint")
        endpoint = plan.one("aws:ec2/vpcEndpoint:VpcEndpoint").outputs["id"]
        assert deny["Resource"] == bucket.outputs["arn"] + "/*"
        assert deny["Condition"]["StringNotEquals"] == {
            "aws:SourceVpce": endpoint,
            "aws:PrincipalTag/outside-vpc-writer": "noaa20",
        }
        assert "ArnNotLike" not in deny["Condition"]  # a name prefix would let in `noaa20-b`'s roles
        assert "security.private_network" in policy.capability

    @pytest.mark.parametrize(
        ("spec", "mode", "outside"),
        [
            ("noaa20.yaml", "function", {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role"}),
            (
                "noaa20.yaml",
                "container_job",
                {"noaa20-ground-delivery-role", "noaa20-telemetry-archive-role", "noaa20-processing-role"},
            ),
            ("partner.yaml", "function", {"polar-partner-ground-partner-role", "polar-partner-telemetry-archive-role"}),
        ],
        ids=["function", "container-job", "partner"],
    )
    def test_only_the_roles_that_write_from_aws_network_carry_the_outside_tag(self, spec, mode, outside):
        """Ground Station and partner delivery, Firehose and the container jobs (public addresses,
        no NAT) write the stores from outside the VPC; the processing function runs in it and
        comes through the endpoint, so its credentials used elsewhere are refused. Every role
        still carries the mission tag."""
        data = spec_data(spec)
        data["security"]["network"] = "private"
        if mode == "container_job":
            data["processing"].update(mode=mode, container_image="ghcr.io/example/groundlink:2")
        plan = plan_of(data, "aws")
        mission = data["mission"]["name"]
        roles = plan.of_type("aws:iam/role:Role")
        assert {r.name for r in roles if (r.inputs.get("tags") or {}).get("outside-vpc-writer") == mission} == outside
        assert {r.name for r in roles if "outside-vpc-writer" in (r.inputs.get("tags") or {})} == outside
        assert [r.name for r in roles if (r.inputs.get("tags") or {}).get("mission") != mission] == []

    def test_log_bucket_stays_reachable_by_log_delivery(self):
        plan = aws_variant("private")
        policy = doc(side(plan, bucket_by_role(plan, "logs"), "bucketPolicy:BucketPolicy"))
        assert {s["Sid"] for s in statements(policy)} == {"DenyInsecureTransport", "S3ServerAccessLogDelivery"}

    def test_public_network_has_no_vpc(self, plan):
        assert not plan.of_type("aws:ec2/vpc:Vpc")
