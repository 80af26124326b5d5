"""The AWS stack's region is one where every service it uses has an endpoint, as botocore's
endpoint data lists them; a region that does not exist, or lacks a service the spec turns on,
is one line naming clouds.aws.region or the setting that needs the service."""

from __future__ import annotations

import botocore.session
import pytest

from groundlink import limits
from groundlink.spec import SpecError, spec_from_data

from .conftest import spec_data, with_changes

SESSION = botocore.session.get_session()
JOBS = {"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:1"}


def _regions(service: str) -> set[str]:
    return set(SESSION.get_available_regions(service))


def test_the_stack_regions_are_botocores_regions_of_every_service_the_stack_uses():
    every = set.intersection(*(_regions(service) for service in limits.AWS_STACK_SERVICES))
    assert every == limits.AWS_STACK_REGIONS
    assert every & _regions("pipes") == limits.AWS_PIPES_REGIONS
    assert limits.AWS_PIPES_REGIONS < limits.AWS_STACK_REGIONS  # some regions have no Pipes


def _refused(changes: dict, base: str = "partner.yaml") -> str:
    with pytest.raises(SpecError) as error:
        spec_from_data(with_changes(spec_data(base), changes))
    [line] = str(error.value).splitlines()
    return line


@pytest.mark.parametrize("region", ["us-north-9", "eu-west-7"])
def test_a_region_aws_does_not_have_is_refused_naming_the_field(region):
    line = _refused({"clouds.aws.region": region})
    assert line.startswith(f"<spec>: clouds.aws.region: {region} is not an AWS region with the stack's services")
    assert "allowed: " in line and ("us-east-1" in line or "eu-west-1" in line)


@pytest.mark.parametrize("region", sorted(limits.AWS_STACK_REGIONS - limits.AWS_PIPES_REGIONS))
def test_container_jobs_need_a_region_with_eventbridge_pipes(region):
    spec_from_data(with_changes(spec_data("partner.yaml"), {"clouds.aws.region": region}))  # function mode: fine
    line = _refused({"clouds.aws.region": region, **JOBS})
    assert line.startswith(
        f"<spec>: processing.mode: container_job starts its jobs through EventBridge Pipes, which {region}"
    )
    assert "use mode: function" in line


def test_every_stack_region_with_pipes_takes_container_jobs():
    for region in sorted(limits.AWS_PIPES_REGIONS):
        spec = spec_from_data(with_changes(spec_data("partner.yaml"), {"clouds.aws.region": region, **JOBS}))
        assert spec.clouds.aws.region == region
