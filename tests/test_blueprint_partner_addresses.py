"""The partner's source addresses reach the storage layer of both clouds' blueprints.

Azure's storage firewall admits exactly these addresses (tests/test_azure_storage.py checks
the planned rules); the blueprint is where the spec's list is handed to the components, so a
list lost here closes the landing store to the partner.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.spec import spec_from_data

from .conftest import spec_data

ADDRESSES = ["203.0.113.7", "198.51.100.0/24"]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_storage_inputs_carry_the_partner_source_addresses(cloud):
    data = spec_data("partner.yaml")
    data["ground_segment"]["partner"]["source_addresses"] = ADDRESSES
    storage = build_blueprint(spec_from_data(data)).for_cloud(cloud).storage
    assert list(storage.partner_source_addresses) == ADDRESSES


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_without_a_partner_no_address_is_admitted(cloud):
    data = spec_data("noaa20.yaml")
    assert "partner" not in data["ground_segment"]
    assert list(build_blueprint(spec_from_data(data)).for_cloud(cloud).storage.partner_source_addresses) == []
