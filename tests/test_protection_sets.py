"""Exactly the stateful resources are protected and retained on delete, on both clouds,
for every example spec; nothing else is.

What is stateful is decided here from the resource type alone (does deleting it lose data
or the key to data?), not from the blueprint's STATEFUL_CAPABILITIES nor from what the
components mark, so a resource that stops being protected, or a new one protected by
mistake, fails here whatever the production list says.
"""

from __future__ import annotations

import pytest

from groundlink.clouds import CLOUDS

from .conftest import SPECS, cached_plan
from .test_azure_security import HOLDERS as AZURE_HOLDERS
from .test_azure_security import STATEFUL as AZURE_STATEFUL

EXAMPLES = sorted(p.name for p in SPECS.glob("*.yaml"))
STATEFUL_TYPES = {
    "aws": {
        "aws:s3/bucket:Bucket",  # raw, products, query results, access logs
        "aws:kms/key:Key",  # deleting the key loses everything encrypted with it
        "aws:glue/catalogDatabase:CatalogDatabase",
        "aws:kinesis/stream:Stream",  # telemetry not yet archived
        "aws:sqs/queue:Queue",  # contact events not yet delivered
        "aws:cloudwatch/logGroup:LogGroup",  # flow, processor and archive logs kept for their retention
    },
    # what holds data, and the queues, streams and log workspace that hold it until delivered
    "azure": AZURE_STATEFUL | AZURE_HOLDERS,
}
# Settings of the whole account that missions share, retained on delete and never protected: a
# destroyed stack must not reset another mission's (Glue's catalog encryption, which a delete
# turns off for the account and region).
SHARED_SETTINGS = {
    "aws": {"aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"},
    "azure": set(),
}
# What every example spec stores, whatever its switches: the delivered data and its key.
ALWAYS = {
    "aws": {"aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:sqs/queue:Queue"},
    "azure": {
        "azure-native:resources:ResourceGroup",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:keyvault:Key",
        "azure-native:servicebus:Queue",
    },
}


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("spec", EXAMPLES)
def test_exactly_the_stateful_resources_are_protected_and_retained(spec, cloud):
    resources = cached_plan(spec, cloud).resources
    stateful = {(r.type, r.name) for r in resources if r.custom and r.type in STATEFUL_TYPES[cloud]}
    assert {t for t, _ in stateful} >= ALWAYS[cloud]
    assert {(r.type, r.name) for r in resources if r.protect} == stateful
    shared = {(r.type, r.name) for r in resources if r.custom and r.type in SHARED_SETTINGS[cloud]}
    assert {(r.type, r.name) for r in resources if r.retainOnDelete} == stateful | shared
