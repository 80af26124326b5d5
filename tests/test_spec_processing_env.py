"""The processor's capture setting fits the Lambda environment, checked when the spec is read:
a spec listing 700 UDP ports passed `validate` and was refused only by preflight and check."""

from __future__ import annotations

import json

import pytest

from groundlink import limits
from groundlink.runtime.aws_lambda import PRODUCTS_BUCKET, RAW_BUCKET
from groundlink.runtime.delivery import CAPTURE_FORMAT, SAMPLES_DELIVERED
from groundlink.spec import SpecError, spec_from_data

from .conftest import spec_data

S3_BUCKET_NAME_MAX = limits.S3_BUCKET_NAME_MAX


def test_the_budget_is_what_the_other_variables_leave_at_their_longest():
    """Lambda measures the variables as one compact JSON object (limits.py): the budget is what the
    names, the two longest bucket names and that JSON around them leave. Counted as names and
    values alone it was 19 bytes larger, and a capture that fit it was refused at deployment."""
    longest = {RAW_BUCKET: "r" * S3_BUCKET_NAME_MAX, PRODUCTS_BUCKET: "p" * S3_BUCKET_NAME_MAX, CAPTURE_FORMAT: ""}
    others = len(json.dumps(longest, separators=(",", ":")))  # the capture's value empty
    assert limits.CAPTURE_SETTING_BYTES_MAX == limits.LAMBDA_ENVIRONMENT_BYTES_MAX - others == 3879


def test_a_digif_mission_s_budget_leaves_room_for_the_runtime_s_samples_setting():
    """Where a downlink delivers DigIF the function also holds SAMPLES_DELIVERED: a capture that
    fit the three variables' budget pushed the four past 4 KB, and Lambda refused the function."""
    assert len(json.dumps({SAMPLES_DELIVERED: "true"}, separators=(",", ":"))) - 1 == limits.SAMPLES_SETTING_BYTES
    # 630 ports: 60 + 630 x 6 = 3,840 bytes, inside 3,841; 631: 3,846, over
    setting = spec_from_data(_with_ports(630, base="constellation.yaml"), "s.yaml").processing.capture.setting()
    variables = {
        RAW_BUCKET: "r" * S3_BUCKET_NAME_MAX,
        PRODUCTS_BUCKET: "p" * S3_BUCKET_NAME_MAX,
        CAPTURE_FORMAT: setting,
        SAMPLES_DELIVERED: "true",
    }
    assert limits.lambda_environment_bytes(variables) <= limits.LAMBDA_ENVIRONMENT_BYTES_MAX
    with pytest.raises(SpecError) as refused:
        spec_from_data(_with_ports(631, base="constellation.yaml"), "s.yaml")
    assert str(refused.value) == (
        "s.yaml: processing.capture: its settings take 3,846 bytes of the function's environment as Lambda measures "
        "it, over the 3,841 its other variables leave, a downlink's digif among them (AWS Lambda takes 4,096 in "
        "all): list fewer udp_ports or spacecraft_ids, or use mode: container_job"
    )
    # without DigIF the same 631 ports fit
    assert len(spec_from_data(_with_ports(631), "s.yaml").processing.capture.udp_ports) == 631


def test_a_capture_just_inside_the_budget_fits_lambdas_own_measure_at_the_longest_names():
    setting = spec_from_data(_with_ports(636), "s.yaml").processing.capture.setting()
    variables = {
        RAW_BUCKET: "r" * S3_BUCKET_NAME_MAX,
        PRODUCTS_BUCKET: "p" * S3_BUCKET_NAME_MAX,
        CAPTURE_FORMAT: setting,
    }
    assert len(json.dumps(variables, separators=(",", ":"))) <= limits.LAMBDA_ENVIRONMENT_BYTES_MAX


def _with_ports(count: int, mode: str = "function", base: str = "noaa20.yaml") -> dict:
    data = spec_data(base)
    data["processing"]["capture"] = {"udp_ports": list(range(10_000, 10_000 + count))}
    if mode == "container_job":
        data["processing"].update(mode=mode, container_image="ghcr.io/example/groundlink:1.0", timeout_seconds=3600)
    return data


def test_a_capture_setting_over_the_budget_is_one_line_naming_the_field():
    # {"cadu_length":1024,"spacecraft_ids":[],"udp_ports":[]} is 55 bytes, 61 with its six quotes
    # escaped; n ports of five digits add 6n - 1: 700 ports take 60 + 4,200 = 4,260 bytes
    with pytest.raises(SpecError) as refused:
        spec_from_data(_with_ports(700), "s.yaml")
    assert str(refused.value) == (
        "s.yaml: processing.capture: its settings take 4,260 bytes of the function's environment as Lambda measures "
        "it, over the 3,879 its other variables leave (AWS Lambda takes 4,096 in all): list fewer udp_ports or "
        "spacecraft_ids, or use mode: container_job"
    )


def test_just_inside_the_budget_and_in_a_container_job_the_list_is_accepted():
    # 637 ports: 60 + 637 x 6 = 3,882 bytes, three over; 636 ports: 3,876 bytes (640 passed before,
    # and Lambda refused it with two 63-character bucket names)
    with pytest.raises(SpecError):
        spec_from_data(_with_ports(637), "s.yaml")
    assert len(json.dumps(spec_from_data(_with_ports(636), "s.yaml").processing.capture.setting())) - 2 == 3876
    assert spec_from_data(_with_ports(700, "container_job"), "s.yaml").processing.capture.udp_ports[-1] == 10_699


def test_with_processing_off_no_function_holds_the_setting():
    data = _with_ports(700)
    data["processing"]["enabled"] = False
    assert spec_from_data(data, "s.yaml").processing.capture.udp_ports[0] == 10_000


def _partner_function(data: dict):
    """The plan of `data` on AWS and its processing function's environment variables."""
    from .conftest import plan_of

    plan = plan_of(data, "aws")
    (function,) = plan.of_type("aws:lambda/function:Function")
    return plan, function.inputs["environment"]["variables"]


@pytest.mark.parametrize("many", ["satellites", "ports"])
def test_the_cataloged_satellite_names_are_given_only_where_they_fit_beside_the_other_variables(many):
    """A partner's function is told the names its catalog projects (GROUNDLINK_CATALOGED_SATELLITES);
    450 satellites' names, or one name beside the longest capture setting the spec takes, pushed
    the variables past Lambda's 4 KB: validate accepted the spec and Lambda refused the function.
    Then the names are left out, the plan says so, and the variables fit at their longest."""
    from groundlink.preflight.lambda_env import aws_findings

    data = spec_data("partner.yaml")
    if many == "satellites":
        satellite = data["satellites"][0]
        satellite.pop("tle")
        data["satellites"] = [dict(satellite, name=f"sat-{i:04d}", norad_id=90000 + i) for i in range(450)]
    else:
        data["processing"]["capture"] = {"udp_ports": list(range(10_000, 10_636))}  # 3,876 bytes, just inside
    plan, variables = _partner_function(data)
    assert "GROUNDLINK_CATALOGED_SATELLITES" not in variables
    assert [w for w in plan.warnings if "satellite names the catalog projects do not fit" in w]
    longest = {**variables, RAW_BUCKET: "r" * S3_BUCKET_NAME_MAX, PRODUCTS_BUCKET: "p" * S3_BUCKET_NAME_MAX}
    assert limits.lambda_environment_bytes(longest) <= limits.LAMBDA_ENVIRONMENT_BYTES_MAX
    assert list(aws_findings(plan)) == []
    # a few satellites' names fit, and are given
    plan, few = _partner_function(spec_data("partner.yaml"))
    assert few["GROUNDLINK_CATALOGED_SATELLITES"] == "snpp"
    assert not [w for w in plan.warnings if "satellite names the catalog projects" in w]


def test_a_container_job_is_given_the_names_whatever_their_length():
    """The 4 KB is Lambda's: a Batch job's environment takes the names beside a capture setting
    the function could not hold (mode container_job is what the spec's refusal advises for it)."""
    import json

    from .conftest import plan_of

    data = spec_data("partner.yaml")
    data["processing"].update(
        mode="container_job", container_image="ghcr.io/example/groundlink:1.0", timeout_seconds=3600
    )
    data["processing"]["capture"] = {"udp_ports": list(range(10_000, 10_700))}
    plan = plan_of(data, "aws")
    (definition,) = plan.of_type("aws:batch/jobDefinition:JobDefinition")
    variables = {e["name"]: e["value"] for e in json.loads(definition.inputs["containerProperties"])["environment"]}
    assert variables["GROUNDLINK_CATALOGED_SATELLITES"] == "snpp"
    assert not [w for w in plan.warnings if "satellite names the catalog projects" in w]


def test_the_capture_budget_is_said_beside_the_spec_s_other_problems():
    """Checked where every field had to be valid first, an oversized capture was said only once
    the other problems were mended: validate promises every problem in one run."""
    data = _with_ports(700)
    data["processing"]["memory_mb"] = 100
    with pytest.raises(SpecError) as refused:
        spec_from_data(data, "s.yaml")
    said = str(refused.value).splitlines()
    assert [line.split(": ")[1] for line in said] == ["processing.memory_mb", "processing.capture"]


def test_a_digif_mission_is_told_its_own_budget_first_and_beside_the_spec_s_other_problems():
    """Told the 3,879 bytes of a mission without DigIF, a user trimmed to fit it and was then told
    3,841; and the DigIF budget was said only once the spec's other problems were mended."""
    data = _with_ports(700, base="constellation.yaml")
    with pytest.raises(SpecError) as refused:
        spec_from_data(data, "s.yaml")
    assert "over the 3,841 its other variables leave, a downlink's digif among them" in str(refused.value)
    data = _with_ports(634, base="constellation.yaml")  # 60 + 634 x 6 = 3,864 bytes, over 3,841 only
    data["processing"]["memory_mb"] = 100
    with pytest.raises(SpecError) as refused:
        spec_from_data(data, "s.yaml")
    assert [line.split(": ")[1] for line in str(refused.value).splitlines()] == [
        "processing.memory_mb",
        "processing.capture",
    ]
