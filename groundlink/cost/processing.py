"""Compute for contact processing: how long the processor takes per contact, from its measured
throughput (data/processing_throughput.yaml, written from `make bench`), and what that bills
on each cloud's service for the spec's mode and size. Pure Python: no pulumi.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from ..blueprint import ProcessingInputs
from ..limits import FLEX_INSTANCE_MEMORY_MB, flex_maximum_instance_count
from ..processing.throughput import measured_throughput as processor_throughput
from ..rounding import count_figure, exact_figure, figure
from .usage import DAYS_PER_MONTH

# Fargate bills per second with a one-minute minimum (prices/aws.yaml).
FARGATE_MINIMUM_SECONDS = 60
# "Lambda allocates CPU power in proportion to the amount of memory configured. At 1,769 MB, a
# function has the equivalent of one vCPU" (AWS Lambda quotas, read 2026-12-03).
LAMBDA_MB_PER_VCPU = 1769
# Flex Consumption instance sizes, memory MB -> CPU cores ("typical allocations"), and billing:
# "The minimum billable execution period for both execution modes is 1,000 ms. Past that, the
# billable activity period is rounded up to the nearest 100 ms." (Microsoft Learn, "Azure
# Functions Flex Consumption plan hosting", Instance sizes and Billing, read 2026-12-03.)
FLEX_CORES = dict(zip(FLEX_INSTANCE_MEMORY_MB, (0.25, 1.0, 2.0), strict=True))  # 512, 2048, 4096 MB
FLEX_MINIMUM_SECONDS = 1.0
FLEX_STEP_SECONDS = 0.1


@dataclass(frozen=True)
class Throughput:
    mb_per_second: float
    date: str
    machine: str

    def seconds(self, mb: float, cores: float = 1.0) -> float:
        """Seconds to process `mb`, to the millisecond Lambda bills. The processor runs on one
        core (the benchmark's figure); a share of a core (a small function, a quarter-vCPU job)
        runs it proportionally longer, more cores no faster."""
        return math.ceil(mb / (self.mb_per_second * min(cores, 1.0)) * 1000) / 1000


def timeout_note(cloud: str, inputs: ProcessingInputs, raw_mb_per_contact: float, throughput: Throughput) -> str:
    """A sentence when the estimated run of a contact is longer than the run may last: the
    function (or job) would be stopped every time, retried, and the contact dead-lettered,
    while the estimate bills a run that ends. Empty when it fits."""
    if not inputs.enabled or raw_mb_per_contact <= 0:
        return ""
    seconds = throughput.seconds(raw_mb_per_contact, _cores(cloud, inputs))
    if seconds <= inputs.timeout_seconds:
        return ""
    return (
        f"{cloud}: processing.timeout_seconds ({exact_figure(inputs.timeout_seconds)} s) is shorter than the estimated "
        f"{exact_figure(seconds)} s a contact of {figure(raw_mb_per_contact, 0)} MB takes (processing alone, at the bench "
        "figure): every run would be stopped before it ends and the contact dead-lettered; raise the "
        "timeout or the memory"
    )


def concurrent_runs(cloud: str, inputs: ProcessingInputs) -> int:
    """How many contacts the cloud processes at once: the SQS event source mapping's maximum
    concurrency or the Container Apps job's maximum executions (`max_concurrency`), AWS Batch's
    vCPUs for that many jobs, or the Flex app's maximum instance count (within Azure's range)."""
    if cloud == "azure" and inputs.mode == "function":
        return flex_maximum_instance_count(inputs.max_concurrency)
    return inputs.max_concurrency


def capacity_note(
    cloud: str, inputs: ProcessingInputs, runs: Sequence[tuple[float, float]], throughput: Throughput
) -> str:
    """A sentence when the month's contacts take longer to process than the runs the cloud
    allows at once have in a month: the contact queue then grows without end, and drops what
    waits past its retention (SQS deletes such a message unprocessed). Empty when they fit.
    `runs`: (contacts a month, raw MB of one), as `processing_quantities` takes them."""
    if not inputs.enabled:
        return ""
    cores = _cores(cloud, inputs)
    busy = sum(count * throughput.seconds(mb, cores) for count, mb in runs if count > 0 and mb > 0)
    at_once = concurrent_runs(cloud, inputs)
    month = DAYS_PER_MONTH * 86_400
    if busy <= at_once * month:
        return ""
    # what becomes of a message that waits too long: SQS deletes it, Service Bus dead-letters it
    dropped = "SQS deletes" if cloud == "aws" else "Service Bus dead-letters"
    # a run is no faster than one core: more memory or vCPU helps only a run with a share of one
    what = "the memory" if inputs.mode == "function" else "container_vcpu"
    faster = f", or {what} (a run has {cores:.2g} of a core)" if cores < 1 else ""
    return (
        f"{cloud}: processing.max_concurrency lets {at_once} contacts be processed at once, and the month's "
        f"contacts take {count_figure(busy / month, 2)} runs busy at all times (processing alone, at the bench figure): "
        f"the contact queue grows without end and {dropped} what waits past its retention; raise "
        f"max_concurrency{faster}"
    )


def _cores(cloud: str, inputs: ProcessingInputs) -> float:
    """The CPU a run gets: a function's follows its memory, a job's is its vCPU."""
    if inputs.mode == "container_job":
        return inputs.container_vcpu
    if cloud == "aws":
        return inputs.memory_mb / LAMBDA_MB_PER_VCPU
    return FLEX_CORES[inputs.flex_instance_memory_mb]


@cache
def measured_throughput() -> Throughput:
    """The figures `make bench` recorded, read by the processor's own reader."""
    recorded = processor_throughput()
    return Throughput(recorded.bytes_per_second / 1e6, recorded.measured, recorded.machine)


@dataclass(frozen=True)
class ComputeQuantity:
    """One billed quantity of processing compute: what, how much, at which price, and why."""

    item: str
    quantity: float
    price_id: str
    basis: str


def processing_quantities(
    cloud: str,
    inputs: ProcessingInputs,
    runs: Sequence[tuple[float, float]],
    throughput: Throughput,
    *,
    messages: float,
    messages_basis: str,
) -> list[ComputeQuantity]:
    """The month's compute for processing the contacts of `runs`: (contacts a month, raw MB of
    one of them), one pair per satellite (`MonthlyUsage.processing_runs`).

    Each run is billed on its own: Flex Consumption's 1 s minimum and 0.1 s steps, and Fargate's
    60 s minimum, apply to each contact's run, so a constellation's small satellites are billed
    their minimum even beside a large one (an average contact hid it: four 7.5 MB contacts and one
    of 4,500 MB billed as five of 906 MB, 31% under at the bench's 1,382 MB/s). `messages` is what the contact queue
    delivers to the processor a month (the count the queue's own cost line uses,
    `MonthlyUsage.queue_messages`): every message invokes the function once, whether it carries a
    contact or an event the runtime acknowledges without work (a contact that ended without a
    delivery), which bills Flex Consumption's minimum."""
    sizes: dict[float, float] = {}  # raw MB of a contact -> contacts a month of that size
    for count, mb in runs:
        if count > 0:
            sizes[mb] = sizes.get(mb, 0.0) + count
    contacts = sum(sizes.values())
    if not inputs.enabled or contacts <= 0:
        return []
    cores = _cores(cloud, inputs)
    seconds = {mb: throughput.seconds(mb, cores) for mb in sizes}

    def total(billed: Callable[[float], float]) -> float:
        """Seconds billed a month: each size's contacts at what one of their runs bills."""
        return sum(billed(seconds[mb]) * count for mb, count in sizes.items())

    def span(values: Iterable[float], unit: str = "s", digits: int | None = None) -> str:
        listed = list(values)
        low, high = min(listed), max(listed)
        # seconds are billed to the millisecond: to it, every digit (`:g` wrote a run of 1,234,567.5 s as
        # 1.23457e+06), and no float noise (Flex's 12 steps of 0.1 s are 1.2000000000000002)
        a, b = (
            (exact_figure(round(low, 3)), exact_figure(round(high, 3)))
            if digits is None
            else (figure(low, digits), figure(high, digits))
        )
        return f"{a} {unit}" if low == high else f"{a}-{b} {unit} each"

    share = "" if cores >= 1 else f" on {cores:.3g} of a core"
    of_sizes = "" if len(sizes) == 1 else f" of {len(sizes)} sizes"
    why = (
        f"{count_figure(contacts)} contacts{of_sizes} x {span(seconds.values())} ({span(sizes, 'MB', 0)} at "
        f"{figure(throughput.mb_per_second, 0)} MB/s"
        f"{share}, make bench {throughput.date})"
    )
    if inputs.mode == "function":
        if cloud == "aws":
            gb = inputs.memory_mb / 1024
            return [
                ComputeQuantity(
                    "Lambda duration (contact processor)",
                    gb * total(lambda run: run),
                    "lambda_arm_gb_second",
                    f"{exact_figure(gb)} GB x {why}",
                ),
                ComputeQuantity(
                    "Lambda requests (contact processor)",
                    messages,
                    "lambda_requests",
                    f"one invocation per SQS message ({messages_basis})",
                ),
            ]
        gb = inputs.flex_instance_memory_mb / 1024
        acknowledged = max(messages - contacts, 0.0)  # messages of no contact: no work, the minimum each
        return [
            ComputeQuantity(
                "Functions Flex Consumption execution time (contact processor)",
                gb * (total(flex_billed_seconds) + FLEX_MINIMUM_SECONDS * acknowledged),
                "functions_flex_gb_second",
                f"{exact_figure(gb)} GB instance x ({why}, billed {span(map(flex_billed_seconds, seconds.values()))}: at least "
                f"1 s, then in 0.1 s steps; + {count_figure(acknowledged)} messages acknowledged without work x the "
                "1 s minimum)",
            ),
            ComputeQuantity(
                "Functions Flex Consumption executions (contact processor)",
                messages,
                "functions_flex_executions",
                f"one execution per Service Bus message ({messages_basis})",
            ),
        ]
    if cloud == "aws":
        hours = total(lambda run: max(run, FARGATE_MINIMUM_SECONDS)) / 3600
        return [
            ComputeQuantity(
                "Fargate vCPU (contact jobs)",
                inputs.container_vcpu * hours,
                "fargate_vcpu_hour",
                f"{inputs.container_vcpu:g} vCPU x {why}, at least 60 s",
            ),
            ComputeQuantity(
                "Fargate memory (contact jobs)",
                inputs.container_memory_gb * hours,
                "fargate_gb_hour",
                f"{inputs.container_memory_gb:g} GB x {why}, at least 60 s",
            ),
        ]
    run_seconds = total(lambda run: run)
    return [
        ComputeQuantity(
            "Container Apps vCPU (contact jobs)",
            inputs.container_vcpu * run_seconds,
            "container_apps_vcpu_second",
            f"{inputs.container_vcpu:g} vCPU x {why}",
        ),
        ComputeQuantity(
            "Container Apps memory (contact jobs)",
            inputs.container_memory_gb * run_seconds,
            "container_apps_gib_second",
            f"{inputs.container_memory_gb:g} GiB x {why}",
        ),
    ]


def flex_billed_seconds(run: float) -> float:
    """What Flex Consumption bills for one execution of `run` seconds: at least 1 s, then in
    0.1 s steps (rounded first to the microsecond, so 1.2 s computed as 1.2000000000000002 bills 1.2)."""
    return max(FLEX_MINIMUM_SECONDS, math.ceil(round(run / FLEX_STEP_SECONDS, 6)) * FLEX_STEP_SECONDS)
