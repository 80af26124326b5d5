"""Processing compute in the cost model: the processor's measured throughput turned into billed
quantities per cloud, mode and size, priced from sourced catalog entries."""

from __future__ import annotations

import dataclasses

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost.catalog import load_catalogs
from groundlink.cost.model import estimate
from groundlink.cost.processing import Throughput, measured_throughput, processing_quantities
from groundlink.spec import load_spec

from .conftest import SPECS

BENCH = Throughput(140.0, "2026-12-01", "test machine")


def inputs(**changes):
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml")).for_cloud("aws").processing
    return dataclasses.replace(blueprint, **changes)


def test_the_throughput_is_the_committed_bench_figure_with_its_date_and_machine() -> None:
    measured = measured_throughput()
    assert (measured.mb_per_second, measured.date) == (1381.788306, "2026-12-03")
    assert "core" in measured.machine


def test_lambda_bills_memory_times_measured_seconds_and_one_request_per_message() -> None:
    duration, requests = processing_quantities(
        "aws", inputs(), 120, 1125.0, BENCH, messages=120, messages_basis="one per contact event"
    )
    # 1125 MB / 140 MB/s = 8.0357 s, billed to the millisecond: 8.036 s; 2 GB x 8.036 s x 120
    assert (duration.price_id, duration.quantity) == ("lambda_arm_gb_second", pytest.approx(1928.64))
    # one invocation per SQS message: the 120 messages the queue's line counts
    assert (requests.price_id, requests.quantity) == ("lambda_requests", 120)
    assert requests.basis == "one invocation per SQS message (one per contact event)"


def test_flex_consumption_bills_the_instance_size_the_memory_rounds_up_to() -> None:
    duration, executions = processing_quantities(
        "azure",
        inputs(memory_mb=1000, flex_instance_memory_mb=2048),
        10,
        140.0,
        BENCH,
        messages=200,
        messages_basis="x",
    )
    assert (duration.price_id, duration.quantity) == ("functions_flex_gb_second", pytest.approx(2 * 1.0 * 10))
    # every Service Bus message is an execution: 200 messages for 10 contacts (20 data blobs each)
    assert (executions.price_id, executions.quantity) == ("functions_flex_executions", 200)


def test_a_fargate_job_bills_at_least_a_minute() -> None:
    job = inputs(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")
    vcpu, memory = processing_quantities("aws", job, 60, 140.0, BENCH, messages=60, messages_basis="x")
    # 1 s of work bills 60 s: 2 vCPU x 60 s x 60 contacts = 2 vCPU-hours; 4 GB -> 4 GB-hours
    assert (vcpu.price_id, vcpu.quantity) == ("fargate_vcpu_hour", pytest.approx(2.0))
    assert (memory.price_id, memory.quantity) == ("fargate_gb_hour", pytest.approx(4.0))


def test_no_processing_bills_nothing() -> None:
    assert (
        processing_quantities("azure", inputs(enabled=False), 120, 1125.0, BENCH, messages=120, messages_basis="x")
        == []
    )


def test_the_estimate_has_a_processing_layer_on_both_clouds_priced_from_the_catalog() -> None:
    spec = load_spec(SPECS / "noaa20.yaml")
    catalogs, assumptions = load_catalogs()
    result = estimate(build_blueprint(spec), catalogs, assumptions)
    aws = {x.price_id: x for x in result.clouds["aws"].lines if x.layer == "processing"}
    azure = {x.price_id: x for x in result.clouds["azure"].lines if x.layer == "processing"}
    assert set(aws) == {"lambda_arm_gb_second", "lambda_requests"}
    assert set(azure) == {"functions_flex_gb_second", "functions_flex_executions"}
    # $0.40 per million executions, no free grant counted; GB-s within the 100,000 free a month
    executions = azure["functions_flex_executions"]
    assert executions.cost == pytest.approx(executions.quantity * 0.40 / 1_000_000) and executions.cost > 0
    assert 0 < azure["functions_flex_gb_second"].quantity < 100_000
    assert azure["functions_flex_gb_second"].cost == 0
