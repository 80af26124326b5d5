"""What the spec hands the providers and the ground segment, read the way they read it.

The stack config a plan runs with must put the spec's region where the installed provider
SDKs look for it (pulumi-aws, pulumi-aws-native, pulumi-azure-native read their own config
namespace); a key the provider does not read would leave the stack in the provider's default
region. The decode graph's egress node exists only for a downlink that is decoded.
"""

from __future__ import annotations

import contextvars

import pulumi_aws
import pulumi_aws_native
import pulumi_azure_native
import pytest
from pulumi.runtime import set_all_config

from groundlink.spec import spec_from_data

from .conftest import spec_data


def _read_through_the_providers(config: dict[str, str]) -> dict[str, str | None]:
    set_all_config(config)
    return {
        "aws": pulumi_aws.config.region,
        "aws-native": pulumi_aws_native.config.region,
        "azure-native": pulumi_azure_native.config.location,
    }


@pytest.mark.parametrize("cloud, readers", [("aws", ("aws", "aws-native")), ("azure", ("azure-native",))])
def test_each_provider_of_the_cloud_reads_the_spec_region_from_the_stack_config(cloud, readers, monkeypatch):
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):  # pulumi-aws falls back to these
        monkeypatch.delenv(variable, raising=False)
    data = spec_data("noaa20.yaml")
    data["clouds"]["aws"]["region"] = "eu-north-1"
    data["clouds"]["azure"]["location"] = "swedencentral"
    spec = spec_from_data(data)
    # a copied context: the session's own Pulumi config is left as it was
    read = contextvars.copy_context().run(_read_through_the_providers, spec.provider_config(cloud))
    expected = {"aws": "eu-north-1", "azure": "swedencentral"}[cloud]
    assert {reader: read[reader] for reader in readers} == dict.fromkeys(readers, expected)


def test_a_downlink_delivered_as_digital_if_has_no_decode_graph_and_no_egress_node():
    data = spec_data("noaa20.yaml")
    link = data["satellites"][0]["downlinks"][0]
    for key in ("preset", "demodulation_json", "decode_json"):
        link.pop(key, None)
    link["delivery"] = "digif"
    link["bandwidth_mhz"] = 1  # 1.4 GB of samples in 10 minutes: a Container Apps replica holds them
    data["processing"].update(mode="container_job", container_image="ghcr.io/example/groundlink:1")
    downlink = spec_from_data(data).satellites[0].downlinks[0]
    assert downlink.decode() is None
    assert downlink.egress_node() is None


def test_a_decoded_downlink_names_the_egress_node_of_its_decode_graph():
    downlink = spec_from_data(spec_data("noaa20.yaml")).satellites[0].downlinks[0]
    assert downlink.delivery == "demod_decode"
    assert downlink.egress_node(), "a decoded downlink's graph ends in an egress node"
    assert f'"{downlink.egress_node()}"' in (downlink.decode() or "")
