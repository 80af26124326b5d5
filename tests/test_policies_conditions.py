"""One failing case per condition a rule checks.

Each rule has a passing input; each case changes exactly one field of it (a dotted
path set to a value, or removed with DROP) and must produce exactly the one message
written here. Losing any single condition of a rule, or its wording, fails one case.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .conftest import DROP, with_changes
from .test_policies_support import run_resource

DEMOD = "configData.antennaDownlinkDemodDecodeConfig"
RECORDING = "configData.s3RecordingConfig"
ATHENA = "configuration.resultConfiguration.encryptionConfiguration"

GOOD: dict[str, dict[str, Any]] = {
    "aws-gs-mission-profile": {
        "minimumViableContactDurationSeconds": 180,
        "contactPrePassDurationSeconds": 120,
        "contactPostPassDurationSeconds": 120,
        "dataflowEdges": [{"source": "a", "destination": "b"}],
        "streamsKmsKey": {"kmsKeyArn": "arn:k"},
        "streamsKmsRole": "arn:role",
    },
    "aws-gs-endpoint-group-timing": {"contactPrePassDurationSeconds": 120, "contactPostPassDurationSeconds": 120},
    "aws-gs-config-name-and-size": {
        "name": "noaa20-hrd:demod",
        "configData": {
            "antennaDownlinkDemodDecodeConfig": {
                "demodulationConfig": {"unvalidatedJson": "x" * 8192},
                "decodeConfig": {"unvalidatedJson": "{}"},
            }
        },
    },
    "aws-gs-delivery-bucket": {
        "configData": {
            "s3RecordingConfig": {
                "bucketArn": "arn:aws:s3:::aws-groundstation-noaa20-raw-1",
                "prefix": "year={year}/satellite={satellite_id}",
            }
        }
    },
    "aws-gs-bandwidth": {
        "configData": {
            "antennaDownlinkDemodDecodeConfig": {"spectrumConfig": {"bandwidth": {"value": 650, "units": "MHz"}}}
        }
    },
    "aws-gs-frequency": {
        "configData": {
            "antennaDownlinkDemodDecodeConfig": {"spectrumConfig": {"centerFrequency": {"value": 8400, "units": "MHz"}}}
        }
    },
    "aws-athena-workgroup-encryption": {
        "configuration": {
            "enforceWorkgroupConfiguration": True,
            "resultConfiguration": {"encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": "arn:k"}},
        }
    },
    "aws-kinesis-cmk": {"encryptionType": "KMS", "kmsKeyId": "arn:k"},
    "aws-firehose-cmk": {"serverSideEncryption": {"enabled": True, "keyType": "CUSTOMER_MANAGED_CMK", "keyArn": "k"}},
}

# (rule, one change, the message it must produce)
CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "aws-gs-mission-profile",
        {"minimumViableContactDurationSeconds": 0},
        "minimum viable contact 0 s is outside 1-21600 s",
    ),
    (
        "aws-gs-mission-profile",
        {"minimumViableContactDurationSeconds": 21601},
        "minimum viable contact 21601 s is outside 1-21600 s",
    ),
    (
        "aws-gs-mission-profile",
        {"contactPrePassDurationSeconds": 21601},
        "contactPrePassDurationSeconds 21601 is outside 0-21600 s",
    ),
    (
        "aws-gs-mission-profile",
        {"contactPostPassDurationSeconds": -1},
        "contactPostPassDurationSeconds -1 is outside 0-21600 s",
    ),
    ("aws-gs-mission-profile", {"dataflowEdges": []}, "0 dataflow edges (allowed 1-500)"),
    (
        "aws-gs-mission-profile",
        {"dataflowEdges": [{"source": "a", "destination": "b"}] * 501},
        "501 dataflow edges (allowed 1-500)",
    ),
    ("aws-gs-mission-profile", {"streamsKmsRole": DROP}, "streamsKmsKey is set without streamsKmsRole"),
    (
        "aws-gs-endpoint-group-timing",
        {"contactPrePassDurationSeconds": 29},
        "contactPrePassDurationSeconds 29 is outside 30-480 s",
    ),
    (
        "aws-gs-endpoint-group-timing",
        {"contactPostPassDurationSeconds": 481},
        "contactPostPassDurationSeconds 481 is outside 30-480 s",
    ),
    (
        "aws-gs-config-name-and-size",
        {"name": "noaa20/hrd"},
        "config name 'noaa20/hrd' does not match ^[ a-zA-Z0-9_:-]{1,256}$",
    ),
    (
        "aws-gs-config-name-and-size",
        {f"{DEMOD}.demodulationConfig.unvalidatedJson": "x" * 8193},
        "demodulationConfig JSON has 8193 characters (limit 8192)",
    ),
    (
        "aws-gs-config-name-and-size",
        {f"{DEMOD}.decodeConfig.unvalidatedJson": "x" * 8193},
        "decodeConfig JSON has 8193 characters (limit 8192)",
    ),
    (
        "aws-gs-delivery-bucket",
        {f"{RECORDING}.bucketArn": "arn:aws:s3:::noaa20-raw"},
        "delivery bucket 'noaa20-raw' does not begin with 'aws-groundstation'",
    ),
    ("aws-gs-delivery-bucket", {f"{RECORDING}.prefix": "/raw"}, "key prefix '/raw' begins with '/'"),
    ("aws-gs-delivery-bucket", {f"{RECORDING}.prefix": "p" * 901}, "key prefix has 901 characters (limit 900)"),
    (
        "aws-gs-bandwidth",
        {f"{DEMOD}.spectrumConfig.bandwidth.value": 651},
        "antennaDownlinkDemodDecodeConfig bandwidth 651 MHz is outside 0.125-650 MHz",
    ),
    (
        "aws-gs-frequency",
        {f"{DEMOD}.spectrumConfig.centerFrequency.value": 8401},
        "antennaDownlinkDemodDecodeConfig centre frequency 8401 MHz is outside 2200-2300 MHz or 7750-8400 MHz",
    ),
    (
        "aws-athena-workgroup-encryption",
        {"configuration.enforceWorkgroupConfiguration": False},
        "enforceWorkgroupConfiguration is false: clients can override encryption and limits",
    ),
    (
        "aws-athena-workgroup-encryption",
        {f"{ATHENA}.encryptionOption": "SSE_S3"},
        "query results are encrypted with SSE_S3, not SSE_KMS/CSE_KMS",
    ),
    ("aws-athena-workgroup-encryption", {f"{ATHENA}.kmsKeyArn": DROP}, "SSE_KMS without kmsKeyArn"),
    ("aws-kinesis-cmk", {"encryptionType": "NONE"}, "encryption type is NONE"),
    (
        "aws-kinesis-cmk",
        {"kmsKeyId": "alias/aws/kinesis"},
        "encrypted with alias/aws/kinesis, not a customer-managed key",
    ),
    ("aws-kinesis-cmk", {"kmsKeyId": DROP}, "encrypted with no key, not a customer-managed key"),
    ("aws-firehose-cmk", {"serverSideEncryption.enabled": False}, "server-side encryption is off"),
    (
        "aws-firehose-cmk",
        {"serverSideEncryption.keyType": "AWS_OWNED_CMK"},
        "server-side encryption uses AWS_OWNED_CMK, not a customer-managed key",
    ),
    (
        "aws-firehose-cmk",
        {"serverSideEncryption.keyArn": DROP},
        "server-side encryption uses CUSTOMER_MANAGED_CMK, not a customer-managed key",
    ),
]


@pytest.mark.parametrize("rule", sorted(GOOD))
def test_the_passing_input_passes(rule):
    assert run_resource(rule, copy.deepcopy(GOOD[rule])) == []


@pytest.mark.parametrize(
    "rule, change, message",
    CASES,
    ids=[f"{rule}:{next(iter(change))}={i}" for i, (rule, change, _) in enumerate(CASES)],
)
def test_one_change_one_violation(rule, change, message):
    assert len(change) == 1, "a case changes exactly one thing"
    assert run_resource(rule, with_changes(copy.deepcopy(GOOD[rule]), change)) == [message]


def test_every_rule_here_has_a_case():
    assert {rule for rule, _, _ in CASES} == set(GOOD)
