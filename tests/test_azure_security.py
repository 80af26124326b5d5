"""Key Vault, keys, grants and tags: secure by default on every example."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest

from groundlink.blueprint import STATEFUL_CAPABILITIES
from groundlink.spec import load_spec

from .azure_support import azure, every, one
from .conftest import SPECS, variant_plan

SPECS_ALL = ("noaa20.yaml", "partner.yaml", "constellation.yaml", "aqua-legacy.yaml")
ALLOWED_ROLES = {
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe",  # Storage Blob Data Contributor
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",  # Storage Blob Data Reader
    "e147488a-f6f5-4113-8e2d-b22465e65bf6",  # Key Vault Crypto Service Encryption User
    "2b629674-e913-4c01-ae53-ef4638d8f975",  # Azure Event Hubs Data Sender
    "a638d3c7-ab3a-418d-83e6-5f17a39d4fde",  # Azure Event Hubs Data Receiver
    "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",  # Azure Service Bus Data Sender
    "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",  # Azure Service Bus Data Receiver (the contact processor)
    "090c5cfd-751d-490a-894a-3ce6f1109419",  # Azure Service Bus Data Owner (the processor's queue count, for its scaling)
}
# A scope that names one resource below its provider, never a resource group or subscription.
RESOURCE_SCOPE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.[A-Za-z]+/.+")


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_key_vault_is_rbac_soft_deleting_purge_protected_and_closed(spec):
    vault = one(azure(spec), "keyvault:Vault")
    props = vault.inputs["properties"]
    assert props["enableRbacAuthorization"] is True
    assert props["enableSoftDelete"] is True and props["softDeleteRetentionInDays"] >= 7
    assert props["enablePurgeProtection"] is True
    assert props["networkAcls"]["defaultAction"] == "Deny"
    assert "accessPolicies" not in props
    assert re.fullmatch(r"[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]", vault.inputs["vaultName"])
    assert "--" not in vault.inputs["vaultName"]
    assert vault.protect and vault.retainOnDelete


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_key_rotates_and_expires(spec):
    result = azure(spec)
    keys = every(result, "keyvault:Key")
    # the mission key (3,072 bits) alone: a Data Explorer cluster keeps Microsoft-managed keys
    sizes = {k.inputs["keyName"]: k.inputs["properties"]["keySize"] for k in keys}
    assert sizes == {"data": 3072}
    for key in keys:
        policy = key.inputs["properties"]["rotationPolicy"]
        actions = {a["action"]["type"]: a["trigger"] for a in policy["lifetimeActions"]}
        assert re.fullmatch(r"P\d+D", actions["rotate"]["timeAfterCreate"])
        assert "notify" in actions and policy["attributes"]["expiryTime"]
        assert key.inputs["properties"]["kty"].startswith("RSA")
        assert key.protect and key.retainOnDelete
    assert result.outputs["key_ids"] == [k.outputs["id"] for k in sorted(keys, key=lambda k: k.inputs["keyName"])]


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_role_assignments_are_least_privilege(spec):
    grants = every(azure(spec), "authorization:RoleAssignment")
    assert grants
    names = [g.inputs["roleAssignmentName"] for g in grants]
    assert len(set(names)) == len(names)
    for g in grants:
        assert g.inputs["roleDefinitionId"].rsplit("/", 1)[1] in ALLOWED_ROLES, g.name
        assert RESOURCE_SCOPE.match(g.inputs["scope"]), (g.name, g.inputs["scope"])
        assert g.inputs["principalId"], g.name


def test_a_grant_whose_principal_changes_is_replaced_under_its_name_deleted_first():
    """A partner's new principal (or a processor's new identity) replaces the assignment under the
    same name and scope: created first, that is a PUT to the id the old one holds, which ARM
    refuses (RoleAssignmentUpdateNotPermitted), and `pulumi up` failed. Only the assignments are
    deleted first; every other resource is created before the one it replaces goes."""
    from groundlink.spec import load_spec

    from .conftest import SPECS

    partner = load_spec(SPECS / "partner.yaml").ground_segment.partner
    assert partner is not None and partner.azure_principal_object_id
    principal = "aaaaaaaa-6a4d-4e2f-9b7a-0c5d1e2f3a4b"
    before = variant_plan("azure", base="partner.yaml")
    after = variant_plan("azure", {"ground_segment.partner.azure_principal_object_id": principal}, base="partner.yaml")
    [old] = [
        g
        for g in every(before, "authorization:RoleAssignment")
        if g.inputs["principalId"] == partner.azure_principal_object_id
    ]
    [new] = [g for g in every(after, "authorization:RoleAssignment") if g.inputs["principalId"] == principal]
    assert (old.name, old.inputs["roleAssignmentName"], old.inputs["scope"]) == (
        new.name,
        new.inputs["roleAssignmentName"],
        new.inputs["scope"],
    )
    for plan in (before, after):
        assert {r.type for r in plan.resources if r.deleteBeforeReplace} == {
            "azure-native:authorization:RoleAssignment"
        }
        assert all(g.deleteBeforeReplace for g in every(plan, "authorization:RoleAssignment"))


def test_only_the_cmk_identity_may_use_the_key(azure_noaa20):
    key = one(azure_noaa20, "keyvault:Key")
    identity = one(azure_noaa20, "managedidentity:UserAssignedIdentity")
    on_key = [
        g
        for g in every(azure_noaa20, "authorization:RoleAssignment")
        if g.inputs["scope"].startswith(one(azure_noaa20, "keyvault:Vault").outputs["id"])
    ]
    assert [(g.inputs["principalId"], g.inputs["scope"]) for g in on_key] == [
        (identity.outputs["principalId"], key.outputs["id"])
    ]


def _accepts_tags(type_token: str) -> bool:
    _, module, cls = type_token.split(":")
    resource = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    return "tags" in inspect.signature(resource._internal_init).parameters


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_every_taggable_resource_carries_the_mission_tags(spec):
    result = azure(spec)
    taggable = [r for r in result.custom() if r.type.startswith("azure-native:") and _accepts_tags(r.type)]
    assert len(taggable) >= 10
    for r in taggable:
        tags = r.inputs.get("tags") or {}
        assert tags.get("mission") and tags.get("managed-by") == "groundlink" and tags.get("owner"), r.name


# Types Azure holds globally, which take only "global": private DNS zones and their network
# links, action groups and metric alert rules.
GLOBAL_TYPES = {"privatedns:PrivateZone", "privatedns:VirtualNetworkLink", "monitor:ActionGroup", "monitor:MetricAlert"}


def _accepts_location(type_token: str) -> bool:
    _, module, cls = type_token.split(":")
    resource = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    return "location" in inspect.signature(resource._internal_init).parameters


@pytest.mark.parametrize("spec", [*SPECS_ALL, "private"])
def test_every_located_resource_names_the_specs_location(spec):
    """Left out, a location is the resource group's, or the provider's default, which a stack
    deployed with another `azure-native:location` or into another group would silently take."""
    result = variant_plan("azure", {"security.network": "private"}) if spec == "private" else azure(spec)
    location = load_spec(SPECS / ("noaa20.yaml" if spec == "private" else spec)).region("azure")
    located = [r for r in result.custom() if r.type.startswith("azure-native:") and _accepts_location(r.type)]
    assert len(located) >= 8
    for r in located:
        kind = r.type.removeprefix("azure-native:")
        assert r.inputs.get("location") == ("global" if kind in GLOBAL_TYPES else location), r.name


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_stateful_resources_are_protected_and_retained(spec):
    result = azure(spec)
    stateful = [
        "storage:StorageAccount",
        "storage:BlobContainer",
        "keyvault:Vault",
        "keyvault:Key",
        "synapse:Workspace",
        "kusto:Cluster",
        "kusto:ReadWriteDatabase",
    ]
    found = [r for kind in stateful for r in every(result, kind)]
    assert len(found) >= 6
    assert all(r.protect and r.retainOnDelete for r in found)


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_resource_group_holding_the_stores_is_protected_and_retained(spec):
    """Deleting a resource group deletes everything in it, retained or not (pulumi-azure-native#2522):
    a retained store survives only if its resource group does."""
    group = one(azure(spec), "resources:ResourceGroup")
    assert group.protect and group.retainOnDelete


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_every_resource_sits_under_the_mission_stack_with_a_prefixed_name(spec):
    result = azure(spec)
    [root] = [r for r in result.resources if r.type == "groundlink:index:AzureMissionStack"]
    assert len(result.resources) > 1
    for r in result.resources:
        if r is root:
            continue
        parent = result.by_urn(r.parent)
        assert parent.type.startswith("groundlink:index:"), r.name
        assert r.name.startswith(parent.name + "-"), (r.name, parent.name)


def _snake_keys(value, path=""):
    """Dict keys the SDK did not translate to wire names (user maps such as tags excluded)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if re.search(r"[a-z]_[a-z]", key) and not path.endswith(("tags", "notifications", ".source")):
                yield f"{path}.{key}"
            yield from _snake_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _snake_keys(item, path + "[]")


@pytest.mark.parametrize("spec", SPECS_ALL)
def test_every_input_reaches_the_provider_under_its_wire_name(spec):
    """A polymorphic input given as a plain dict keeps snake_case keys the provider ignores."""
    result = azure(spec)
    assert [k for r in result.custom() for k in _snake_keys(r.inputs, r.name)] == []


def test_messaging_namespaces_left_on_microsoft_keys_are_said_not_hidden(azure_noaa20, tmp_path):
    from .azure_support import variant

    assert any("Microsoft-managed keys" in w for w in azure_noaa20.warnings)
    assert "encryption" not in one(azure_noaa20, "eventhub:Namespace").inputs
    assert not any(
        "Microsoft-managed keys" in w for w in variant(tmp_path, {"security.customer_managed_keys": False}).warnings
    )


# What holds data (or, for the resource group, holds what holds data: deleting a group deletes
# everything in it): protected and retained on delete in strict mode, and nothing else is.
STATEFUL = {
    "azure-native:resources:ResourceGroup",
    "azure-native:storage:StorageAccount",
    "azure-native:storage:BlobContainer",
    "azure-native:keyvault:Vault",
    "azure-native:keyvault:Key",
    "azure-native:synapse:Workspace",
    "azure-native:kusto:Cluster",
    "azure-native:kusto:ReadWriteDatabase",
    # no data, but the retired service takes no new ones: deleted, they are gone for good
    "azure-native:orbital:Spacecraft",
    "azure-native:orbital:ContactProfile",
}
# Hold data only when they realize a stateful capability of the blueprint (undelivered events,
# telemetry, contact data streamed live by a partner, audit logs; tests/test_protection_parity.py).
HOLDERS = {
    "azure-native:servicebus:Namespace",
    "azure-native:servicebus:Queue",
    "azure-native:eventhub:Namespace",
    "azure-native:eventhub:EventHub",
    "azure-native:operationalinsights:Workspace",
}
PROTECTION_PLANS = {
    **{spec: lambda s=spec: azure(s) for spec in SPECS_ALL},
    "partner-stream": lambda: variant_plan("azure", {"delivery.stream": True}, "partner.yaml"),
}


@pytest.mark.parametrize("name", sorted(PROTECTION_PLANS))
def test_exactly_the_stateful_resources_are_protected_and_retained(name):
    result = PROTECTION_PLANS[name]()
    custom = list(result.custom())
    from .test_protection_sets import store_settings  # which imports this module's sets

    assert {r.type for r in custom} & STATEFUL >= {"azure-native:storage:StorageAccount"}
    settings = store_settings(result, "azure")
    for resource in custom:
        stateful = resource.type in STATEFUL or (
            resource.type in HOLDERS and bool(set(resource.capability) & STATEFUL_CAPABILITIES)
        )
        retained = stateful or (resource.type, resource.name) in settings
        assert (resource.protect, resource.retainOnDelete) == (stateful, retained), (resource.type, resource.name)
