"""The plan carries each input's dependencies, and the pack joins on them.

Under a real `pulumi preview` a new bucket's name is unknown, so a side
resource (here the access-logging configuration, which depends on two
buckets: the one it configures and the log bucket) can only be joined to
its bucket through the engine's per-property dependencies.
"""

from __future__ import annotations

import copy

from groundlink.check import check_plans
from groundlink.engine import Plan

from .conftest import cached_plan

LOGGING = "aws:s3/bucketLogging:BucketLogging"
BUCKET = "aws:s3/bucket:Bucket"


def test_plan_records_which_resource_each_input_depends_on():
    plan = cached_plan("noaa20.yaml", "aws")
    logging = plan.one(LOGGING, "noaa20-storage-raw-access-logs")
    raw = plan.one(BUCKET, "noaa20-storage-raw")
    logs = plan.one(BUCKET, "noaa20-storage-logs")
    assert logging.propertyDependencies["bucket"] == [raw.urn]
    assert logging.propertyDependencies["targetBucket"] == [logs.urn]
    assert {raw.urn, logs.urn} <= set(logging.dependencies)


def _unknown_bucket_names(keep_property_dependencies: bool) -> Plan:
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "aws").to_json())
    for r in doc["resources"]:
        if r["type"] == LOGGING:
            for props in (r["inputs"], r["outputs"]):
                props["bucket"] = None  # unknown during preview
            if not keep_property_dependencies:
                r["propertyDependencies"] = {}
    return Plan.from_json(doc)


def _logging_findings(plan: Plan) -> list[str]:
    result = check_plans([plan])
    return [v.resource_name for v in result.violations if v.policy == "aws-s3-access-logging"]


def test_pack_joins_logging_to_its_bucket_through_property_dependencies():
    assert _logging_findings(_unknown_bucket_names(keep_property_dependencies=True)) == []


def test_without_property_dependencies_the_join_is_lost():
    # two bucket dependencies and no known name: the logging cannot be placed
    findings = _logging_findings(_unknown_bucket_names(keep_property_dependencies=False))
    assert sorted(findings) == [
        "noaa20-storage-artifacts",
        "noaa20-storage-products",
        "noaa20-storage-query-results",
        "noaa20-storage-raw",
    ]
