"""A container job's definition fits the 24 KiB AWS Batch takes in one RegisterJobDefinition
("AWS Batch service quotas", a quota that cannot be changed). The capture setting sits in the
job's environment: validate took any number of `processing.capture.udp_ports` in job mode and
preflight said clean, while `pulumi up` would be refused."""

from __future__ import annotations

import pytest

from groundlink import limits
from groundlink.inputs import SpecError
from groundlink.preflight import batch_job, preflight
from groundlink.spec import spec_from_data

from .conftest import plan_of, spec_data, with_changes
from .test_processing_cloud import CONTAINER_JOB


def _job_spec(ports: int) -> dict:
    return with_changes(
        spec_data(), {**CONTAINER_JOB, "processing.capture.udp_ports": list(range(40000, 40000 + ports))}
    )


def test_a_capture_setting_larger_than_a_whole_definition_is_refused_naming_the_field():
    with pytest.raises(SpecError) as error:
        spec_from_data(_job_spec(5000), "s.yaml")
    (line,) = [line for line in error.value.lines if "processing.capture" in line]
    assert line.startswith("s.yaml: processing.capture: its settings take 30,")
    assert line.endswith(
        f"bytes of the container job's definition, over the {limits.BATCH_JOB_DEFINITION_BYTES_MAX:,} AWS Batch takes "
        "for a whole definition (RegisterJobDefinition): list fewer udp_ports or spacecraft_ids"
    )


def test_preflight_measures_the_whole_definition_the_request_sends():
    """3,900 ports fit 24 KiB alone, not with the rest of the definition and the mission's tags."""
    data = _job_spec(3900)
    spec_from_data(data)  # validate takes it
    plan = plan_of(data, "aws")
    (definition,) = plan.of_type(batch_job.JOB_DEFINITION)
    size = batch_job.request_bytes(definition.inputs, definition.outputs["name"])
    assert size > limits.BATCH_JOB_DEFINITION_BYTES_MAX
    (finding,) = [f for f in preflight(plan) if f.type == batch_job.JOB_DEFINITION]
    assert finding.line() == (
        f"{definition.name} ({batch_job.JOB_DEFINITION}) containerProperties = {size}: the definition takes "
        f"{size:,} bytes as RegisterJobDefinition sends it, tags included, over the 24,576 AWS Batch takes (a long "
        "processing.capture list of udp_ports or spacecraft_ids, the satellites' names and the mission's tags make "
        f"it grow) [{batch_job.SOURCE}]"
    )


def test_a_definition_of_the_reference_spec_is_far_within_it():
    plan = plan_of(with_changes(spec_data(), CONTAINER_JOB), "aws")
    (definition,) = plan.of_type(batch_job.JOB_DEFINITION)
    assert batch_job.request_bytes(definition.inputs, definition.outputs["name"]) < 4096
    assert [f for f in preflight(plan) if f.type == batch_job.JOB_DEFINITION] == []
