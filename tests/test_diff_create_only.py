"""Replacements the SDKs cannot tell: Azure body properties accepted only at creation, and
resources whose provider metadata is not recorded. A store's change there is data loss."""

from __future__ import annotations

from groundlink.diff import State, diff_states, render_text, rules
from groundlink.diff.run import data_loss_lines
from groundlink.diff.state import Resource

WORKSPACE = "azure-native:synapse:Workspace"
KEY = "azure-native:keyvault:Key"
ROLE = "aws:ec2/natGateway:NatGateway"  # no stack creates one: its replacement rules are not recorded


def one(type_token: str, inputs: dict, protected: bool = True, cloud: str = "azure") -> State:
    resource = Resource(f"{type_token}::r", type_token, "r", inputs, protected)
    return State(cloud, "plan", "x", {resource.key: resource})


def only_change(old: State, new: State):
    (change,) = diff_states(old, new).changes
    return change


def test_removing_a_synapse_workspace_encryption_replaces_the_workspace_as_data_loss():
    cmk = {"cmk": {"key": {"name": "k", "keyVaultUrl": "https://v.vault.azure.net/keys/k"}}}
    change = only_change(one(WORKSPACE, {"encryption": cmk}), one(WORKSPACE, {}))
    assert (change.action, change.forced_by, change.loses_data) == ("replace", ("encryption",), True)
    diff = diff_states(one(WORKSPACE, {"encryption": cmk}), one(WORKSPACE, {}))
    assert data_loss_lines([diff]) == [f"azure: {WORKSPACE} r would be replaced (forced by encryption): data loss"]


def test_a_nested_create_only_property_forces_only_itself():
    lake = {"accountUrl": "https://a.dfs.core.windows.net", "filesystem": "products"}
    moved = one(WORKSPACE, {"defaultDataLakeStorage": {**lake, "accountUrl": "https://b.dfs.core.windows.net"}})
    change = only_change(one(WORKSPACE, {"defaultDataLakeStorage": lake}), moved)
    assert (change.action, change.forced_by) == ("replace", ("defaultDataLakeStorage.accountUrl",))
    renamed = one(WORKSPACE, {"defaultDataLakeStorage": {**lake, "filesystem": "other"}})
    assert only_change(one(WORKSPACE, {"defaultDataLakeStorage": lake}), renamed).action == "update"


def test_a_key_vault_key_cannot_change_its_type_in_place():
    old = one(KEY, {"properties": {"kty": "RSA", "keySize": 3072}})
    new = one(KEY, {"properties": {"kty": "RSA-HSM", "keySize": 3072}})
    change = only_change(old, new)
    assert (change.action, change.forced_by, change.loses_data) == ("replace", ("properties",), True)
    text = "\n".join(render_text(diff_states(old, new)))
    assert '~ properties.kty: "RSA" => "RSA-HSM" (forces replacement)' in text


def test_a_store_of_a_type_without_recorded_rules_counts_a_change_as_a_possible_replacement():
    assert rules.forcing(ROLE) is None
    old, new = (
        one(ROLE, {"cidrBlock": "10.0.0.0/16"}, cloud="aws"),
        one(ROLE, {"cidrBlock": "10.1.0.0/16"}, cloud="aws"),
    )
    change = only_change(old, new)
    assert (change.action, change.rules_known, change.loses_data) == ("replace", False, True)
    assert (
        "may be forced by cidrBlock: replacement rules for this type not recorded"
        in render_text(diff_states(old, new))[1]
    )
    assert data_loss_lines([diff_states(old, new)]) == [
        f"aws: {ROLE} r would be replaced (changed cidrBlock; no replacement rules recorded for the type): data loss"
    ]


def test_a_resource_holding_no_data_of_an_unknown_type_is_an_update_marked_unknown():
    change = only_change(
        one(ROLE, {"cidrBlock": "10.0.0.0/16"}, protected=False, cloud="aws"),
        one(ROLE, {"cidrBlock": "10.2.0.0/16"}, False, "aws"),
    )
    assert (change.action, change.rules_known, change.loses_data) == ("update", False, False)


BUCKET = "aws:s3/bucket:Bucket"


def test_turning_object_lock_on_replaces_the_bucket_as_data_loss():
    """Terraform creates a bucket anew for Object Lock (object_lock_enabled and the older
    object_lock_configuration.object_lock_enabled are ForceNew in bucket.go); the rules had been
    read in a version of the file without them, and the edit showed as an update."""
    old = one(BUCKET, {"bucketPrefix": "noaa20-raw-"}, cloud="aws")
    change = only_change(old, one(BUCKET, {"bucketPrefix": "noaa20-raw-", "objectLockEnabled": True}, cloud="aws"))
    assert (change.action, change.forced_by, change.loses_data) == ("replace", ("objectLockEnabled",), True)
    nested = one(
        BUCKET,
        {"bucketPrefix": "noaa20-raw-", "objectLockConfiguration": {"objectLockEnabled": "Enabled"}},
        cloud="aws",
    )
    assert only_change(old, nested).forced_by == ("objectLockConfiguration.objectLockEnabled",)
    # a change of the bucket's tags stays an update
    tagged = one(BUCKET, {"bucketPrefix": "noaa20-raw-", "tags": {"team": "ops"}}, cloud="aws")
    assert only_change(old, tagged).action == "update"


COMPUTE = "aws:batch/computeEnvironment:ComputeEnvironment"
SUBNET = "aws:ec2/subnet:Subnet"


def _compute_beside(cidr: str, resources: dict) -> State:
    subnet = Resource("subnet", SUBNET, "subnet", {"cidrBlock": cidr}, False)
    compute = Resource(
        "compute",
        COMPUTE,
        "compute",
        {
            "type": "MANAGED",
            "computeResources": {"type": "FARGATE", "maxVcpus": 4, "subnets": ["subnet-1"], **resources},
        },
        False,
        {"computeResources": ("subnet",)},
    )
    return State("aws", "plan", "x", {r.key: r for r in (subnet, compute)})


def test_a_replaced_subnet_updates_a_fargate_compute_environment_in_place():
    """Its `computeResources` comes from the subnet, so it is unknown as a whole here; the fields
    that force a replacement inside it (launchTemplate, ...) are EC2's, which the program never
    sets: a real preview, unknown only at `subnets`, updates it."""
    diff = diff_states(_compute_beside("10.0.0.0/24", {}), _compute_beside("10.1.0.0/24", {}))
    compute = next(c for c in diff.changes if c.type == COMPUTE)
    assert (compute.action, compute.forced_by) == ("update", ())
    template = {"launchTemplate": {"launchTemplateName": "t"}}
    diff = diff_states(_compute_beside("10.0.0.0/24", template), _compute_beside("10.1.0.0/24", template))
    compute = next(c for c in diff.changes if c.type == COMPUTE)
    assert (compute.action, compute.forced_by) == ("replace", ("computeResources.launchTemplate",))
