"""Processing compute in the cost model: the processor's measured throughput turned into billed
quantities per cloud, mode and size, priced from sourced catalog entries."""

from __future__ import annotations

import copy
import dataclasses
import math

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
        "aws", inputs(), [(120, 1125.0)], BENCH, messages=120, messages_basis="one per contact event"
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
        [(10, 140.0)],
        BENCH,
        messages=200,
        messages_basis="x",
    )
    # a 2,048 MB instance has 1 core: 140 MB at 140 MB/s = 1.0 s a contact, billed 1.0 s; the 190 other
    # messages (of no contact, acknowledged without work) bill the 1 s minimum each:
    # 2 GB x (1.0 s x 10 + 1 s x 190) = 400 GB-s
    assert (duration.price_id, duration.quantity) == ("functions_flex_gb_second", pytest.approx(400))
    # every Service Bus message is an execution: 200 messages for 10 contacts
    assert (executions.price_id, executions.quantity) == ("functions_flex_executions", 200)


def test_the_basis_names_a_share_of_a_core_and_not_a_whole_one() -> None:
    """A run on a share of a core says so in its line's basis; a 2,048 MB Flex instance has one
    whole core, and its basis read "on 1 of a core" as if the run were slowed."""
    whole, _ = processing_quantities(
        "azure",
        inputs(memory_mb=2048, flex_instance_memory_mb=2048),
        [(10, 140.0)],
        BENCH,
        messages=10,
        messages_basis="x",
    )
    assert whole.basis == (
        "2 GB instance x (10 contacts x 1 s (140 MB at 140 MB/s, make bench 2026-12-01), billed 1 s: at least 1 s, "
        "then in 0.1 s steps; + 0 messages acknowledged without work x the 1 s minimum)"
    )
    quarter, _ = processing_quantities(
        "azure",
        inputs(memory_mb=512, flex_instance_memory_mb=512),
        [(10, 140.0)],
        BENCH,
        messages=10,
        messages_basis="x",
    )
    assert "(140 MB at 140 MB/s on 0.25 of a core, make bench 2026-12-01)" in quarter.basis


def test_a_fargate_job_bills_at_least_a_minute() -> None:
    job = inputs(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")
    vcpu, memory = processing_quantities("aws", job, [(60, 140.0)], BENCH, messages=60, messages_basis="x")
    # 1 s of work bills 60 s: 2 vCPU x 60 s x 60 contacts = 2 vCPU-hours; 4 GB -> 4 GB-hours
    assert (vcpu.price_id, vcpu.quantity) == ("fargate_vcpu_hour", pytest.approx(2.0))
    assert (memory.price_id, memory.quantity) == ("fargate_gb_hour", pytest.approx(4.0))


def test_no_processing_bills_nothing() -> None:
    assert (
        processing_quantities("azure", inputs(enabled=False), [(120, 1125.0)], BENCH, messages=120, messages_basis="x")
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


@pytest.mark.parametrize(
    ("cloud", "changes", "item", "quantity"),
    [
        # 512 MB of Lambda (the least the processor is given) is 512/1769 of a vCPU: 140 MB takes
        # 1.0 s x 1769/512 = 3.4551 s, billed 3.456 s (whole ms); 0.5 GB x 3.456 s x 10 contacts
        # = 17.28 GB-s (at 1,769 MB and above: 1.0 s)
        (
            "aws",
            {"memory_mb": 512, "flex_instance_memory_mb": 512},
            "Lambda duration (contact processor)",
            0.5 * 3.456 * 10,
        ),
        (
            "aws",
            {"memory_mb": 4096, "flex_instance_memory_mb": 4096},
            "Lambda duration (contact processor)",
            4 * 1.0 * 10,
        ),
        # a 512 MB Flex instance has a quarter core: 4.0 s a contact, billed 4.0 s;
        # 0.5 GB x (4.0 s x 10 + 1 s x 10 messages of no contact) = 25 GB-s
        (
            "azure",
            {"memory_mb": 512, "flex_instance_memory_mb": 512},
            "Functions Flex Consumption execution time (contact processor)",
            0.5 * (4.0 * 10 + 1 * 10),
        ),
        # a 0.25 vCPU job: 4.0 s a contact; 0.25 vCPU x 4.0 s x 10 = 10 vCPU-s
        (
            "azure",
            {
                "mode": "container_job",
                "container_image": "ghcr.io/example/groundlink:1.0",
                "container_vcpu": 0.25,
                "container_memory_gb": 0.5,
                "max_concurrency": 4,  # whole vCPUs for AWS Batch
            },
            "Container Apps vCPU (contact jobs)",
            0.25 * 4.0 * 10,
        ),
    ],
)
def test_a_share_of_a_core_runs_the_processor_proportionally_longer(cloud, changes, item, quantity) -> None:
    """The bench measured one core; Lambda gives one vCPU at 1,769 MB and Flex a quarter core at
    512 MB, so a small function ran 0.8 s in the estimate and about 11 s in fact."""
    lines = processing_quantities(cloud, inputs(**changes), [(10, 140.0)], BENCH, messages=20, messages_basis="x")
    assert {q.item: q.quantity for q in lines}[item] == pytest.approx(quantity, rel=1e-4)


def test_flex_bills_a_run_of_less_than_a_second_as_one_and_rounds_up_to_a_tenth() -> None:
    def billed(mb: float) -> float:
        (duration, _) = processing_quantities(
            "azure", inputs(flex_instance_memory_mb=2048), [(1, mb)], BENCH, messages=1, messages_basis="x"
        )
        return duration.quantity / 2  # GB-s of a 2 GB instance, one contact: the billed seconds

    # 14 MB: 0.1 s, billed 1 s; 154 MB: 1.1 s, billed 1.1 s; 155.4 MB: 1.11 s, billed 1.2 s
    assert [billed(14), billed(154), billed(155.4)] == pytest.approx([1.0, 1.1, 1.2])


def test_a_timeout_shorter_than_the_estimated_run_is_said_and_one_that_fits_is_not() -> None:
    from groundlink.cost.processing import timeout_note

    # 512 MB of Lambda: 140 MB x 1769/512 / 140 MB/s = 3.45508 s, billed to the millisecond 3.456 s
    short = inputs(memory_mb=512, flex_instance_memory_mb=512, timeout_seconds=1)
    assert timeout_note("aws", short, 140.0, BENCH) == (
        "aws: processing.timeout_seconds (1 s) is shorter than the estimated 3.456 s a contact of 140 MB takes "
        "(processing alone, at the bench figure): every run would be stopped before it ends and the contact "
        "dead-lettered; raise the timeout or the memory"
    )
    assert (
        timeout_note("aws", inputs(memory_mb=512, flex_instance_memory_mb=512, timeout_seconds=4), 140.0, BENCH) == ""
    )
    assert timeout_note("aws", inputs(enabled=False, timeout_seconds=1), 140.0, BENCH) == ""


def test_the_timeout_note_judges_the_largest_contact_not_the_average() -> None:
    """noaa20 at 15 Mbit/s and nine satellites at 1 Mbit/s: 10-minute contacts of 1,125 MB and 75 MB
    of bits, captured with 114 bytes of headers a 1,024-byte datagram: x (1 + 114/1024), 1,250.24 MB
    and 83.35 MB. At 512 MB of Lambda (512/1769 of a vCPU) the large one takes 1,250.24 / 1,381.788
    x 1769/512 = 3.126 s, over a 2 s timeout; the average contact (180 MB x 1.111328125 = 200.04 MB,
    0.500 s) fits, and said nothing."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost import estimate, load_catalogs
    from groundlink.spec import spec_from_data

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    first = data["satellites"][0]
    for i in range(9):
        small = copy.deepcopy(first)
        small.update(name=f"small{i}", norad_id=50000 + i, tle=None)
        small["downlinks"][0]["data_rate_mbps"] = 1
        data["satellites"].append(small)
    data["processing"].update(memory_mb=512, timeout_seconds=2)
    catalogs, _ = load_catalogs(None)
    warnings = estimate(build_blueprint(spec_from_data(data, "s.yaml")), catalogs).warnings
    assert [n.split(":", 1)[0] for n in warnings] == ["aws", "azure"]
    assert all("a contact of 1,250 MB" in n for n in warnings)


def test_the_processing_basis_rounds_half_up_like_the_report() -> None:
    """15 Mbit/s for 540 s is 1,012.5 MB a contact and 182.5 contacts a month: the basis says
    1,013 MB and 182.5, as the report's tables round (Python's own formatting said 1,012 MB)."""
    from groundlink.cost.processing import timeout_note

    duration, _ = processing_quantities(
        "aws", inputs(), [(182.5, 1012.5)], BENCH, messages=182.5, messages_basis="one per contact event"
    )
    assert duration.basis.startswith("2 GB x 182.5 contacts x 7.233 s (1,013 MB at 140 MB/s, make bench 2026-12-01)")
    assert "a contact of 1,013 MB takes" in timeout_note("aws", inputs(timeout_seconds=1), 1012.5, BENCH)
    # Flex: 1,012.5 MB at 140 MB/s on 2,048 MB (one core) = 7.2322 s, billed 7.3 s
    flex, _ = processing_quantities(
        "azure", inputs(), [(182.5, 1012.5)], BENCH, messages=182.75, messages_basis="one per contact event"
    )
    assert flex.basis.endswith("+ 0.3 messages acknowledged without work x the 1 s minimum)")


def test_a_compute_line_within_its_free_grant_says_so() -> None:
    """A few hundred Container Apps vCPU-seconds cost $0.00: the basis names the 180,000 free a
    month (and the 360,000 GiB-seconds) as the other lines with a free allowance do."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    data["processing"].update(mode="container_job", container_image="ghcr.io/example/groundlink:1.0")
    catalogs, assumptions = load_catalogs()
    result = estimate(build_blueprint(spec_from_data(data)), catalogs, assumptions)
    lines = {x.item: x for x in result.clouds["azure"].lines if x.layer == "processing"}
    vcpu, memory = lines["Container Apps vCPU (contact jobs)"], lines["Container Apps memory (contact jobs)"]
    assert vcpu.basis.endswith("; the first 180,000 a month are free") and vcpu.cost == 0
    assert memory.basis.endswith("; the first 360,000 a month are free") and memory.cost == 0


MIXED = [(100, 7.5)] * 4 + [(100, 4500.0)]  # four small satellites' contacts and one large one's, a month


def test_flex_bills_each_satellites_runs_at_their_own_minimum_not_an_average_contact() -> None:
    """At 140 MB/s on one core: a 7.5 MB contact runs 0.054 s and bills the 1 s minimum, a 4,500 MB
    one runs 32.143 s and bills 32.2 s. 2 GB x 100 x (4 x 1.0 + 32.2) = 7,240 GB-s; the average
    contact (906 MB, 6.472 s, billed 6.5 s) gave 2 GB x 500 x 6.5 = 6,500."""
    duration, _ = processing_quantities(
        "azure", inputs(flex_instance_memory_mb=2048), MIXED, BENCH, messages=500, messages_basis="x"
    )
    assert duration.quantity == pytest.approx(7240.0)
    assert duration.basis.startswith(
        "2 GB instance x (500 contacts of 2 sizes x 0.054-32.143 s each (8-4,500 MB each at 140 MB/s"
    )
    assert "billed 1-32.2 s each: at least 1 s" in duration.basis


def test_lambda_and_container_jobs_sum_each_satellites_runs() -> None:
    """Lambda: 400 x 0.054 s + 100 x 32.143 s = 3,235.9 s, at 1,769 MB (one vCPU, 1.7275 GB).
    Fargate: 60 s minimum per run, a 14,000 MB contact 100 s: 400 x 60 + 100 x 100 = 34,000 s."""
    lam, _ = processing_quantities("aws", inputs(memory_mb=1769), MIXED, BENCH, messages=500, messages_basis="x")
    assert lam.quantity == pytest.approx(1769 / 1024 * 3235.9)
    job = inputs(
        mode="container_job",
        container_image="ghcr.io/example/groundlink:1.0",
        container_vcpu=1.0,
        container_memory_gb=2.0,
    )
    runs = [(100, 7.5)] * 4 + [(100, 14_000.0)]
    vcpu, memory = processing_quantities("aws", job, runs, BENCH, messages=500, messages_basis="x")
    assert vcpu.quantity == pytest.approx(34_000 / 3600)
    assert memory.quantity == pytest.approx(2 * 34_000 / 3600)


def test_the_estimate_bills_each_satellite_of_a_constellation_its_own_runs() -> None:
    """constellation.yaml with eo01's X band at 1 Mbit/s (its S-band DigIF unchanged): its contacts
    are smaller than the others', and the estimate's Flex line is the sum of each satellite's runs,
    each billed at least 1 s then in 0.1 s steps, at the committed bench figure. A contact of 8
    minutes (480 s): X band at 15 Mbit/s is 900 MB of bits, captured with 114 bytes of headers a
    1,024-byte datagram, x (1 + 114/1024) = 1,000.1953125 MB, eo01's at 1 Mbit/s 60 MB x 1.111328125
    = 66.6796875 MB; the S-band DigIF's 5 MHz x 480 s x 43.1 GB / (30 MHz x 630 s) = 5,473.015873 MB
    is its captures' own, whatever the datagrams."""
    from groundlink.cost.usage import monthly_usage
    from groundlink.spec import spec_from_data

    from .conftest import spec_data

    data = spec_data("constellation.yaml")
    data["satellites"][0]["downlinks"][0]["data_rate_mbps"] = 1
    blueprint = build_blueprint(spec_from_data(data))
    spec = blueprint.spec
    usage = monthly_usage(blueprint, 1959)
    seconds = spec.ground_segment.contact_minutes * 60
    contacts = spec.ground_segment.contacts_per_day * usage.days_per_month
    assert seconds == 480
    sband = 5 * 480 * 43.1 / (30 * 630) * 1000
    mb = [66.6796875 + sband] + [1000.1953125 + sband] * (len(spec.satellites) - 1)
    assert usage.processing_runs() == [pytest.approx((contacts, m)) for m in mb]
    assert len(set(mb)) == 2  # eo01 apart, the others alike
    rate = measured_throughput().mb_per_second
    flex_gb = blueprint.for_cloud("azure").processing.flex_instance_memory_mb / 1024
    billed = [max(1.0, math.ceil(round(math.ceil(m / rate * 1000) / 1000 * 10, 6)) / 10) for m in mb]
    catalogs, assumptions = load_catalogs()
    lines = estimate(blueprint, catalogs, assumptions).clouds["azure"].lines
    (flex,) = [line for line in lines if line.item == "Functions Flex Consumption execution time (contact processor)"]
    acknowledged = usage.queue_messages("azure")[0] - contacts * len(mb)
    assert flex.quantity == pytest.approx(flex_gb * (contacts * sum(billed) + acknowledged))


def test_more_work_than_the_runs_allowed_at_once_can_do_is_said_and_work_that_fits_is_not() -> None:
    """Two runs at once on AWS, and 300 satellites' contacts keeping more than two busy: the
    queue grew without end and SQS deleted what waited past 4 days, and nothing said so."""
    from groundlink.cost.processing import capacity_note

    # 1,769 MB of Lambda (one core): a 1,400 MB contact takes 10 s; 2,628,000 s in a month
    month = 365 / 12 * 86_400
    fits = [(0.5 * 2 * month / 10, 1400.0)]  # half of two runs' month
    over = [(1.5 * 2 * month / 10, 1400.0)]  # three runs' month of work
    two = inputs(memory_mb=1769, max_concurrency=2)
    assert capacity_note("aws", two, fits, BENCH) == ""
    assert capacity_note("aws", two, over, BENCH) == (
        "aws: processing.max_concurrency lets 2 contacts be processed at once, and the month's contacts take 3 runs "
        "busy at all times (processing alone, at the bench figure): the contact queue grows without end and SQS "
        "deletes what waits past its retention; raise max_concurrency"
    )
    # a run with a share of a core: more memory makes it faster, and the note says so
    small = inputs(memory_mb=512, flex_instance_memory_mb=512, max_concurrency=2)
    assert capacity_note("aws", small, over, BENCH).endswith(
        "raise max_concurrency, or the memory (a run has 0.29 of a core)"
    )
    # Flex Consumption runs max_concurrency instances (Azure takes 1-1000), a quarter core each at
    # 512 MB: 40 s a contact; it ran at least 40 while Azure's lowest maximum was 40
    flex = inputs(max_concurrency=2, memory_mb=512, flex_instance_memory_mb=512)
    assert capacity_note("azure", flex, [(1.9 * month / 40, 1400.0)], BENCH) == ""
    assert capacity_note("azure", flex, [(3 * month / 40, 1400.0)], BENCH) == (
        "azure: processing.max_concurrency lets 2 contacts be processed at once, and the month's contacts take 3 runs "
        "busy at all times (processing alone, at the bench figure): the contact queue grows without end and Service "
        "Bus dead-letters what waits past its retention; raise max_concurrency, or the memory (a run has 0.25 of a "
        "core)"
    )
    assert capacity_note("aws", inputs(enabled=False, max_concurrency=2), over, BENCH) == ""
