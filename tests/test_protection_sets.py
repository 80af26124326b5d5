"""Exactly the stateful resources are protected and retained on delete, on both clouds,
for every example spec; nothing else is.

What is stateful is decided here from the resource type alone (does deleting it lose data
or the key to data?), not from the blueprint's STATEFUL_CAPABILITIES nor from what the
components mark, so a resource that stops being protected, or a new one protected by
mistake, fails here whatever the production list says.
"""

from __future__ import annotations

import json

import pytest

from groundlink.clouds import CLOUDS
from groundlink.diff.state import RETAINED_SETTING_TYPES

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
# Settings a retained store needs as much as its data (components/base.py `store_setting`),
# retained with it and never protected: a teardown that keeps the stores (`pulumi state unprotect
# --all`, `pulumi destroy`) deleted them, and left the kept buckets without their public access
# block, policy, default key, versioning and lifecycle, and the kept storage account without its
# lifecycle and soft delete. By type (the types `diff` counts as no store: one list, so a type
# retained by the components and not listed there, or listed and not retained, fails here), and on
# Azure also the identity the stores encrypt through and its grant on the key (`store_settings`),
# without which a kept account answers 403.
KEY_IDENTITY_TYPES = {"azure-native:managedidentity:UserAssignedIdentity", "azure-native:authorization:RoleAssignment"}
STORE_SETTINGS = {
    cloud: {
        t
        for t in RETAINED_SETTING_TYPES - KEY_IDENTITY_TYPES - SHARED_SETTINGS[cloud]
        if t.split(":")[0] == {"aws": "aws", "azure": "azure-native"}[cloud]
    }
    for cloud in CLOUDS
}


# Every type a setting kept with its store may have, the key identity and its grant included.
SETTING_TYPES = {
    cloud: SHARED_SETTINGS[cloud] | STORE_SETTINGS[cloud] | (KEY_IDENTITY_TYPES if cloud == "azure" else set())
    for cloud in CLOUDS
}


def store_settings(plan, cloud: str) -> set[tuple[str, str]]:
    """The (type, name) of every setting `plan`'s retained stores need kept with them."""
    found = {(r.type, r.name) for r in plan.custom() if r.type in STORE_SETTINGS[cloud]}
    if cloud == "azure":
        encryption = json.dumps([r.inputs.get("encryption") for r in plan.custom() if r.protect])
        identities = [
            r
            for r in plan.of_type("azure-native:managedidentity:UserAssignedIdentity")
            if r.outputs["id"] in encryption
        ]
        keys = {k.outputs["id"] for k in plan.of_type("azure-native:keyvault:Key")}
        found |= {(r.type, r.name) for r in identities}
        found |= {
            (g.type, g.name)
            for g in plan.of_type("azure-native:authorization:RoleAssignment")
            if g.inputs["scope"] in keys
            and any(g.inputs["principalId"] == i.outputs["principalId"] for i in identities)
        }
    return found


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
    settings = store_settings(cached_plan(spec, cloud), cloud)
    assert settings, "every example keeps a store whose settings it needs"
    assert {(r.type, r.name) for r in resources if r.retainOnDelete} == stateful | shared | settings
    # and `diff` counts none of those settings as a store: dropped or replaced, it loses no data
    assert {t for t, _ in shared | settings} <= RETAINED_SETTING_TYPES


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_dev_stack_retains_no_store_setting(cloud):
    """`data_protection: dev` keeps no store, so nothing is kept for one."""
    from .conftest import variant_plan

    plan = variant_plan(cloud, {"storage.data_protection": "dev"})
    assert store_settings(plan, cloud)
    assert [r.name for r in plan.custom() if r.retainOnDelete and r.type not in SHARED_SETTINGS[cloud]] == []
