"""The durability and key-protection fields of the spec: storage redundancy, the
AWS replica region geo needs, HSM keys, Premium messaging and flow-log retention.
Each bad value is refused with one line naming the field path and what is allowed."""

from __future__ import annotations

import pytest

from groundlink.spec import SpecError, spec_from_data

from .conftest import spec_data


def _spec(**sections):
    data = spec_data()
    for section, fields in sections.items():
        if section == "aws":
            data.setdefault("clouds", {}).setdefault("aws", {}).update(fields)
        else:
            data.setdefault(section, {}).update(fields)
    return spec_from_data(data, "s.yaml")


def _errors(**sections) -> list[str]:
    with pytest.raises(SpecError) as info:
        _spec(**sections)
    return info.value.lines


def test_defaults_are_zone_redundancy_hsm_keys_and_standard_messaging():
    spec = _spec()
    assert spec.storage.redundancy == "zone" and spec.storage.geo_read_access is False
    assert spec.security.hsm_keys is True and spec.security.premium_messaging is False
    assert spec.security.flow_log_retention_days == 365
    assert spec.clouds.aws.replica_region is None


def test_geo_with_a_replica_region_is_accepted():
    spec = _spec(storage={"redundancy": "geo", "geo_read_access": True}, aws={"replica_region": "us-east-2"})
    assert (spec.storage.redundancy, spec.clouds.aws.replica_region) == ("geo", "us-east-2")


@pytest.mark.parametrize(
    "sections, line",
    [
        (
            {"storage": {"redundancy": "regional"}},
            "s.yaml: storage.redundancy: 'regional' is not allowed; allowed: 'zone' or 'geo'",
        ),
        (
            {"storage": {"redundancy": "geo"}},
            "s.yaml: clouds.aws.replica_region: storage.redundancy: geo needs the region S3 replicates to; "
            "allowed: an AWS region other than us-west-2",
        ),
        (
            {"storage": {"redundancy": "geo"}, "aws": {"replica_region": "us-west-2"}},
            "s.yaml: clouds.aws.replica_region: us-west-2 is the stack's region; name a second region",
        ),
        (
            {"aws": {"replica_region": "us-east-2"}},
            "s.yaml: clouds.aws.replica_region: only applies to storage.redundancy: geo",
        ),
        (
            {"storage": {"geo_read_access": True}},
            "s.yaml: storage.geo_read_access: only applies to redundancy: geo",
        ),
        (
            {"security": {"premium_messaging": True, "customer_managed_keys": False}},
            "s.yaml: security.premium_messaging: needs customer_managed_keys: true (Premium is for the mission's key)",
        ),
        (
            {"security": {"hsm_keys": "yes"}},
            "s.yaml: security.hsm_keys: must be true or false, got the text 'yes'",
        ),
        (
            {"security": {"flow_log_retention_days": 0}},
            "s.yaml: security.flow_log_retention_days: 0 is out of range; allowed: 1-3653",
        ),
    ],
)
def test_bad_values_are_one_line_naming_the_field(sections, line):
    assert _errors(**sections) == [line]


def test_schema_documents_every_new_field():
    from groundlink.spec import json_schema

    defs = json_schema()["$defs"]
    storage, security, aws = (defs[name]["properties"] for name in ("Storage", "Security", "AwsCloud"))
    assert storage["redundancy"]["enum"] == ["zone", "geo"] and "GZRS" in storage["redundancy"]["description"]
    assert "RA-GZRS" in storage["geo_read_access"]["description"]
    assert "RSA-HSM" in security["hsm_keys"]["description"]
    assert "Premium" in security["premium_messaging"]["description"]
    assert "CloudWatch" in security["flow_log_retention_days"]["description"]
    assert "replicates" in aws["replica_region"]["description"]
