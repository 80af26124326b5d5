"""The AWS mission stack as a whole: exports, capabilities, parentage, protection, scaling with the constellation."""

from __future__ import annotations

import pytest

from groundlink.blueprint import OUTPUT_KEYS, build_blueprint
from groundlink.spec import load_spec

from .aws_support import GS_CONFIG, GS_PROFILE, KEY, aws, aws_data, aws_variant, bucket_by_role, spec_data
from .conftest import SPECS, tunables_data, variant_plan
from .test_processing_cloud import CONTAINER_JOB
from .test_protection_sets import SHARED_SETTINGS, STATEFUL_TYPES, store_settings

STATEFUL = STATEFUL_TYPES["aws"]  # one list of what deleting loses data, decided by type
EXAMPLES = ("noaa20.yaml", "partner.yaml", "constellation.yaml")


class TestExports:
    def test_every_output_key_has_the_real_value(self):
        plan = aws()
        out = plan.outputs
        assert set(out) == set(OUTPUT_KEYS) and all(out[k] is not None for k in OUTPUT_KEYS)
        for role, key in (
            ("raw", "raw_store_uri"),
            ("products", "products_store_uri"),
            ("query-results", "query_results_uri"),
        ):
            assert out[key] == f"s3://{bucket_by_role(plan, role).outputs['bucket']}/"
        assert out["catalog"] == plan.one("aws:glue/catalogDatabase:CatalogDatabase").inputs["name"]
        assert out["query_endpoint"] == plan.one("aws:athena/workgroup:Workgroup").inputs["name"]
        assert out["telemetry_stream"] == plan.one("aws:kinesis/stream:Stream").outputs["arn"]
        assert out["event_queue"] == plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["url"]
        assert out["ground_segment_ids"] == [plan.one(GS_PROFILE).outputs["arn"]]
        assert out["key_ids"] == [plan.one(KEY).outputs["arn"]]
        assert (out["mission"], out["cloud"]) == ("noaa20", "aws")


@pytest.mark.parametrize("spec", EXAMPLES)
def test_every_needed_capability_is_realized_or_a_declared_gap(spec):
    plan = aws(spec)
    needed = {c.id for c in build_blueprint(load_spec(SPECS / spec)).capabilities}
    realized = {c for r in plan.resources for c in r.capability}
    assert needed <= realized | set(plan.gaps), needed - realized - set(plan.gaps)
    assert not set(plan.gaps) & realized


@pytest.mark.parametrize("variant", ["stream", "private", "no-cmk", "analytics-off", "stream-only-wideband"])
def test_variants_realize_what_they_need(variant):
    plan = aws_variant(variant)
    realized = {c for r in plan.resources for c in r.capability}
    spec = load_spec(plan.spec)
    needed = {c.id for c in build_blueprint(spec).capabilities}
    assert needed <= realized | set(plan.gaps)
    off = {
        "analytics-off": {"analytics.catalog", "analytics.serverless_sql", "analytics.telemetry_stream"},
        "no-cmk": {"security.cmk"},
    }.get(variant, set())
    assert not off & realized


@pytest.mark.parametrize("spec", EXAMPLES)
def test_every_resource_sits_under_a_component_named_as_its_prefix(spec):
    plan = aws(spec)
    by_urn = {r.urn: r for r in plan.resources}
    root = plan.one("groundlink:index:AwsMissionStack")
    assert len(plan.resources) > 1
    for resource in plan.resources:
        if resource is root:
            continue
        parent = by_urn[resource.parent]
        assert parent.type.startswith("groundlink:index:"), resource.name
        assert resource.name.startswith(parent.name + "-") or resource.name == parent.name, resource.name


# Bucket hardening every store carries whatever the spec says: no capability of the catalog to mark
# (encryption with the mission key is marked `security.cmk`; SSE-S3 is not a capability).
UNMARKED = {
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
}
MARKED_PLANS = {
    **{spec: lambda s=spec: aws(s) for spec in EXAMPLES},
    **{variant: lambda v=variant: aws_variant(v) for variant in ("stream", "private", "no-cmk")},
}


@pytest.mark.parametrize("name", sorted(MARKED_PLANS))
def test_every_resource_outside_bucket_hardening_is_marked_with_its_capability(name):
    plan = MARKED_PLANS[name]()
    unmarked = {(r.type, r.name) for r in plan.custom() if not r.capability and r.type not in UNMARKED}
    assert unmarked == set()


@pytest.mark.parametrize("spec", EXAMPLES)
def test_stateful_resources_are_protected_and_retained_and_nothing_else_is(spec):
    plan = aws(spec)
    assert {r.type for r in plan.custom()} & STATEFUL >= {"aws:s3/bucket:Bucket", "aws:kms/key:Key"}
    settings = store_settings(plan, "aws")
    for resource in plan.custom():
        stateful = resource.type in STATEFUL
        retained = stateful or resource.type in SHARED_SETTINGS["aws"] or (resource.type, resource.name) in settings
        assert (resource.protect, resource.retainOnDelete) == (stateful, retained), resource.name


def test_logical_names_do_not_depend_on_tunables(tmp_path):
    data = tunables_data()
    changed = aws_data(tmp_path, data)
    assert {(r.type, r.name) for r in changed.resources} == {(r.type, r.name) for r in aws().resources}


class TestConstellation:
    def test_24_satellites_by_2_downlinks(self):
        plan = aws("constellation.yaml")
        assert len(plan.of_type(GS_PROFILE)) == 24  # one per satellite: a contact receives both downlinks
        kinds = [next(iter(r.inputs["configData"])) for r in plan.of_type(GS_CONFIG)]
        assert kinds.count("antennaDownlinkDemodDecodeConfig") == 24
        assert kinds.count("antennaDownlinkConfig") == 24
        assert kinds.count("trackingConfig") == 24
        assert kinds.count("s3RecordingConfig") == 48
        assert kinds.count("telemetrySinkConfig") == 1
        assert len(plan.outputs["ground_segment_ids"]) == 24

    def test_resource_count_grows_linearly_with_satellites_and_downlinks(self, tmp_path):
        """With live delivery, the fuller case: a link also gets its dataflow endpoint config."""
        base = spec_data("constellation.yaml")
        base["delivery"] = {"stream": True}

        def count(satellites: int, downlinks: int) -> int:
            data = dict(
                base,
                satellites=[dict(s, downlinks=s["downlinks"][:downlinks]) for s in base["satellites"][:satellites]],
            )
            return len(aws_data(tmp_path, data, f"c{satellites}x{downlinks}.yaml").resources)

        fixed_plus_one = count(1, 1)
        per_satellite_with_a_link = count(2, 1) - fixed_plus_one
        per_link = count(1, 2) - fixed_plus_one
        # a link: its antenna, recording and endpoint configs under its component; a satellite
        # adds its profile, tracking config and their component too, and its own dataflow
        # endpoint group (a contact reserves its whole group: one per satellite lets them overlap)
        assert per_link == 4
        assert per_satellite_with_a_link == per_link + 4
        for satellites, downlinks in ((3, 1), (2, 2)):
            expected = fixed_plus_one + (satellites - 1) * (per_satellite_with_a_link - per_link)
            expected += per_link * (satellites * downlinks - 1)
            assert count(satellites, downlinks) == expected, (satellites, downlinks)


def test_every_mocked_output_shape_is_one_the_stack_creates():
    """A mock entry for a type no component creates would shape outputs nothing reads."""
    from groundlink.engine.mocks_aws import AWS_EXTRAS

    plans = (
        aws(),
        aws("partner.yaml"),
        aws_variant("stream"),
        aws_variant("private"),
        variant_plan("aws", CONTAINER_JOB),
    )
    created = {r.type for plan in plans for r in plan.resources}
    assert set(AWS_EXTRAS) <= created, sorted(set(AWS_EXTRAS) - created)
