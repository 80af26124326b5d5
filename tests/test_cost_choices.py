"""The durability and security choices the report states per cloud, each with what it costs a
month, for the worked example of test_cost_worked_example.py (made-up prices, all known
except the ones named here).

- Storage: the example's captures are its bits x (1 + 114/1024) (each 1,024-byte datagram's 114
  bytes of headers). AWS S3 capacity lines 1.3682671875 + 1.3682671875 + 0.8209603125 +
  0.6993365625 = $4.25683125 (3.8304 x 1.111328125), and the lifecycle's: transitions 14.6 +
  43.8 + 73 = $131.4 and the archived objects' overhead 0.000527344 + 0.000341675 + 0.002367554 =
  $0.003236573; Azure ZRS has no archive tier, so archive-aged data is priced in Cold:
  1.77874734375 + 2.59970765625 + 4.0705948828125, and its tier changes 167.9 + 335.8 = $503.7.
- Keys: one KMS key at $1 on AWS; one Key Vault HSM key of 3,072 bits at $5.5 on Azure.
- Messaging: no premium lines on either cloud unless premium messaging is chosen; its
  unit-hour prices are not in the worked example's catalog, so they stay unknown.
"""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate
from groundlink.cost.choices import durability_choices
from groundlink.cost.model import Total
from groundlink.spec import spec_from_data

from .test_cost_worked_example import _catalogs, _example


def _choices(cloud: str, **changes):
    spec = spec_from_data(_example(**changes))
    cost = estimate(build_blueprint(spec), _catalogs()).clouds[cloud]
    return {name: (c.value, c.monthly, c.basis) for name, c in durability_choices(cloud, spec, cost).items()}


GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in


def _total(known: float, *unknown: str) -> Total:
    return Total(pytest.approx(known), unknown)


def test_aws_choices_of_the_worked_example():
    assert _choices("aws") == {
        "storageRedundancy": (
            "S3 Standard (3 zones)",
            # the four tiers' lines and the noncurrent versions kept 30 days in Deep Archive
            # (68.413359375 GB x $0.001), in binary GB, and the lifecycle's lines: test_cost_worked_example.py
            _total((4.25683125 + 0.068413359375) * GIB + 131.4 + 0.003236573),
            "S3 capacity and lifecycle lines; zone redundancy is in the list price",
        ),
        "hsmKeys": (True, _total(1), "KMS keys are HSM-backed; the key-month lines"),
        "messagingEncryption": (
            "mission key",
            _total(0),
            "queues and topics use the mission key; no charge beyond the KMS lines",
        ),
    }


def test_azure_choices_of_the_worked_example():
    assert _choices("azure") == {
        # no archive tier on ZRS: archive-aged data stays in Cold, (205.240078125 + 699.3365625) GB x
        # $0.0045; the soft-deleted blobs kept 30 days in Cold, 68.413359375 GB x $0.0045 =
        # 0.3078601171875; and the ZRS write operations, one per 4 MiB of each object: 16,863 x $0.05
        # = 843.15; and the tier changes, 1,679 into Cool x $0.1 + 1,679 into Cold x $0.2 = 503.7
        "storageRedundancy": (
            "ZRS",
            _total((1.77874734375 + 2.59970765625 + 4.0705948828125 + 0.3078601171875) * GIB + 843.15 + 503.7),
            "blob capacity, write operation and tier change lines at this redundancy's prices; no archive tier on this "
            "redundancy: archive-aged data is held and priced in Cold",
        ),
        "hsmKeys": (True, _total(5.5), "Key Vault premium RSA-HSM key-month lines, priced by the key's size"),
        "messagingEncryption": (
            "service-managed",
            # the Standard tier's base, operations (3 x 73 manifests x $0.0005), throughput and Capture
            _total(9.855 + 0.1095 + 21.9 + 73),
            "Standard tier lines (Service Bus Standard base charge, Service Bus operations, Event Hubs Standard throughput units, Event Hubs Capture (telemetry archive)): "
            "Microsoft-managed keys (declared gap)",
        ),
    }


def test_without_customer_managed_keys_no_key_is_chosen_and_aws_messaging_is_service_managed():
    changes = {"security.customer_managed_keys": False, "security.hsm_keys": False}
    aws, azure = _choices("aws", **changes), _choices("azure", **changes)
    assert aws["hsmKeys"] == (False, _total(0), "no customer-managed keys")
    assert azure["hsmKeys"] == (False, _total(0), "no customer-managed keys")
    assert aws["messagingEncryption"][0] == "service-managed"


def test_software_keys_on_azure_bring_no_key_month_charge():
    assert _choices("azure", **{"security.hsm_keys": False})["hsmKeys"] == (
        False,
        _total(0),
        "software-protected keys: operations only, no key-month charge",
    )


def test_premium_messaging_on_azure_is_the_mission_key_at_the_premium_unit_prices():
    value, monthly, basis = _choices("azure", **{"security.premium_messaging": True})["messagingEncryption"]
    assert (value, basis) == ("mission key", "Service Bus and Event Hubs Premium unit-hour lines")
    # one messaging unit and one processing unit all month: 730 h x $1 + 730 h x $1.50 (the worked
    # example's catalog)
    assert monthly.known == pytest.approx(730 + 1095) and monthly.unknown == ()


def test_a_geo_account_s_figure_and_basis_hold_its_copy_to_the_paired_region():
    """GZRS's figure held the geo-replication transfer line, and its basis named capacity and
    writes only: 69.363544921875 GB landed a month x $0.02 (the worked example's catalog)."""
    geo = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-1"}
    zone, geo_choice = _choices("azure")["storageRedundancy"], _choices("azure", **geo)["storageRedundancy"]
    assert geo_choice[2].startswith(
        "blob capacity, write operation and tier change lines at this redundancy's prices, and the geo-replication data "
        "transfer to the paired region"
    )
    assert "geo-replication" not in zone[2]


def test_the_replica_key_of_an_aws_geo_mission_is_the_storage_choice_s_not_the_key_choice_s():
    """A geo mission's replica bucket has a key of its own in the replica region: its key-month is
    a line of the storage redundancy choice, and the HSM key choice, counting it too, read $2 a
    month for one mission key ($1 in the worked example's catalog)."""
    geo = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-1"}
    assert _choices("aws", **geo)["hsmKeys"] == (True, _total(1), "KMS keys are HSM-backed; the key-month lines")


def test_geo_redundancy_names_the_azure_account_kind():
    geo = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-1"}
    assert _choices("azure", **geo)["storageRedundancy"][0] == "GZRS"
    assert _choices("azure", **geo, **{"storage.geo_read_access": True})["storageRedundancy"][0] == "RA-GZRS"


def test_the_messaging_basis_names_only_the_tier_lines_the_stack_has():
    """Without a telemetry stream the Azure stack has no Event Hubs: its basis named Event Hubs
    throughput and Capture units all the same, beside a figure of Service Bus alone."""
    from groundlink.cost import load_catalogs

    from .conftest import spec_data

    data = spec_data("noaa20.yaml")
    data["analytics"] = {**data.get("analytics", {}), "telemetry_stream": False}
    spec = spec_from_data(data)
    azure = estimate(build_blueprint(spec), load_catalogs()[0]).clouds["azure"]
    basis = durability_choices("azure", spec, azure)["messagingEncryption"].basis
    assert basis.startswith("Standard tier lines (Service Bus Standard base charge, Service Bus operations): ")
    assert "Event Hubs" not in basis
