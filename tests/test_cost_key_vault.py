"""The Azure mission key is priced at the rate of the key the plan creates, by its RSA size.

Key Vault (Premium) prices an RSA 2048-bit HSM key at $1 a key-month and its operations at $0.03
per 10,000; a 3072- or 4096-bit key at $5 a key-month (first 250 keys) and $0.15 per 10,000
(prices/azure.yaml). The Azure stack creates an RSA-HSM key of components/azure/security.py
KEY_SIZE bits: the cost model reads the size from the plan, and assumes that same size when it has
no plan (the alternatives table); a change of KEY_SIZE fails here instead of leaving the price wrong.

The reference mission (noaa20): on Azure, 600 s contacts write 20 raw files, the partner's
manifest (Azure lands every contact from a partner network) and 1 product object each;
4 contacts a day x 365/12 = 121.67 contacts: 22 x 121.67 = 2,676.67 key operations a month.
"""

from __future__ import annotations

import copy

import pytest
from groundlink.components.azure.security import KEY_SIZE

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.model import ASSUMED_KEY_SIZE
from groundlink.engine import Plan
from groundlink.spec import spec_from_data

from .conftest import cached_plan, spec_data

# one per object written a month: per contact 20 raw files, the partner's manifest, a frame stream,
# the frame index and the contact summary, x 4 x 365/12 contacts = 2,920
OPERATIONS = 24 * 4 * 365 / 12


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


def _with_key_size(size: int | None) -> Plan:
    """The reference Azure plan with its Key Vault key of `size` bits (None: no keySize at all)."""
    doc = copy.deepcopy(cached_plan("noaa20.yaml", "azure").to_json())
    [key] = [r for r in doc["resources"] if r["type"] == "azure-native:keyvault:Key"]
    if size is None:
        key["inputs"]["properties"].pop("keySize")
    else:
        key["inputs"]["properties"]["keySize"] = size
    return Plan.from_json(doc)


def _key_lines(catalogs, plan: Plan | None) -> dict[str, tuple[str, float, float | None]]:
    est = estimate(build_blueprint(spec_from_data(spec_data("noaa20.yaml"))), catalogs, plans={"azure": plan})
    return {
        x.item: (x.price_id, x.quantity, x.cost) for x in est.clouds["azure"].lines if x.item.startswith("Key Vault")
    }


def test_the_plan_creates_the_key_size_the_model_assumes_without_a_plan(azure_noaa20):
    [key] = azure_noaa20.of_type("azure-native:keyvault:Key")
    assert key.inputs["properties"]["keySize"] == KEY_SIZE == ASSUMED_KEY_SIZE == 3072
    assert key.inputs["properties"]["kty"] == "RSA-HSM"


def test_the_3072_bit_hsm_key_of_the_plan_is_priced_at_the_advanced_key_rate(catalogs, azure_noaa20):
    assert _key_lines(catalogs, azure_noaa20) == {
        # 1 key x $5 a key-month (not the 2048-bit $1)
        "Key Vault HSM keys (RSA 3072-bit)": ("key_vault_hsm_advanced_key_month", 1, pytest.approx(5.0)),
        # 2,920 operations x $0.15 / 10,000 = $0.0438 (not x $0.03 = $0.00876)
        "Key Vault operations (RSA 3072-bit key)": (
            "key_vault_advanced_key_operations",
            pytest.approx(OPERATIONS),
            pytest.approx(0.0438),
        ),
    }


def test_without_a_plan_the_stack_s_key_size_is_assumed(catalogs):
    assert _key_lines(catalogs, None) == {
        "Key Vault HSM keys (RSA 3072-bit)": ("key_vault_hsm_advanced_key_month", 1, pytest.approx(5.0)),
        "Key Vault operations (RSA 3072-bit key)": (
            "key_vault_advanced_key_operations",
            pytest.approx(OPERATIONS),
            pytest.approx(0.0438),
        ),
    }


def test_the_price_follows_the_key_size_in_the_plan(catalogs):
    assert _key_lines(catalogs, _with_key_size(2048)) == {
        # 1 x $1; 2,920 x $0.03 / 10,000 = $0.00876
        "Key Vault HSM keys (RSA 2048-bit)": ("key_vault_hsm_key_month", 1, pytest.approx(1.0)),
        "Key Vault operations (RSA 2048-bit key)": (
            "key_vault_operations",
            pytest.approx(OPERATIONS),
            pytest.approx(0.00876),
        ),
    }
    four = _key_lines(catalogs, _with_key_size(4096))
    assert four["Key Vault HSM keys (RSA 4096-bit)"] == ("key_vault_hsm_advanced_key_month", 1, pytest.approx(5.0))


def test_a_key_without_a_size_is_an_unknown_price_never_another_size_s(catalogs):
    lines = _key_lines(catalogs, _with_key_size(None))
    assert {item: cost for item, (_, _, cost) in lines.items()} == {
        "Key Vault HSM keys (RSA, size not in the plan)": None,
        "Key Vault operations (RSA, size not in the plan)": None,
    }


def test_the_catalog_gives_the_advanced_key_prices_with_their_source(catalogs):
    azure = catalogs["azure"]
    month, ops = azure.entry("key_vault_hsm_advanced_key_month"), azure.entry("key_vault_advanced_key_operations")
    assert (month.price, month.per, ops.price, ops.per) == (5, 1, 0.15, 10000)
    for entry in (month, ops):
        # the date is the cited golden's own (Infracost commit 027bec33, 2021-11-09), not the day it was read
        assert "027bec33" in entry.source and entry.secondary and entry.date == "2021-11-09"


def test_a_data_explorer_stack_prices_the_mission_key_alone(catalogs):
    """The cluster keeps Microsoft-managed keys (it could not reach a key in the mission vault):
    an ADX stack holds the 3,072-bit mission key alone, $5 a key-month, with or without a plan,
    where the cluster's own 2,048-bit key was priced at $1 beside it."""
    from .conftest import variant_plan

    data = spec_data("noaa20.yaml")
    data["analytics"]["azure_engine"] = "adx"
    plan = variant_plan("azure", {"analytics.azure_engine": "adx"})
    for with_plan in (plan, None):
        est = estimate(build_blueprint(spec_from_data(data)), catalogs, plans={"azure": with_plan})
        lines = {x.item: (x.price_id, x.quantity, x.cost) for x in est.clouds["azure"].lines}
        keys = {item: line for item, line in lines.items() if item.startswith("Key Vault HSM keys")}
        assert keys == {
            "Key Vault HSM keys (RSA 3072-bit)": ("key_vault_hsm_advanced_key_month", 1, pytest.approx(5.0))
        }
        assert lines["Key Vault operations (RSA 3072-bit key)"][0] == "key_vault_advanced_key_operations"
