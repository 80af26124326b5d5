"""A diff against what is really deployed (`pulumi stack export`) of a stack that was
deployed from the same spec: no change at all, though every value the cloud chose differs
from the offline plan's placeholders. Compared as they were, a real export of an unchanged
Azure stack read 22 replacements and refused a Synapse workspace as data loss."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from groundlink.clouds import CLOUDS
from groundlink.diff import diff_states
from groundlink.diff.run import data_loss_lines, diff_against
from groundlink.diff.state import Resource, State
from groundlink.engine.mockids import ACCOUNT_ID, SUBSCRIPTION_ID, TENANT_ID

from .conftest import SPECS, cached_plan

NOAA20 = str(SPECS / "noaa20.yaml")
REAL = {
    ACCOUNT_ID: "210987654321",
    SUBSCRIPTION_ID: "6b1f2c3d-1111-2222-3333-444455556666",
    TENANT_ID: "9c8d7e6f-aaaa-bbbb-cccc-ddddeeeeffff",
}


def _output_strings(outputs: dict) -> list[tuple[str, str]]:
    """(top-level output name, a string inside it): the cloud chooses values one level down too,
    as a system-assigned identity's `identity.principalId`, which the role assignments name."""

    def leaves(value: object) -> list[str]:
        if isinstance(value, dict):
            return [leaf for v in value.values() for leaf in leaves(v)]
        if isinstance(value, list):
            return [leaf for v in value for leaf in leaves(v)]
        return [value] if isinstance(value, str) else []

    return [(name, leaf) for name, value in outputs.items() for leaf in leaves(value)]


def _deployed(cloud: str, spec: str = "noaa20.yaml") -> dict:
    """The checkpoint a deployment of the noaa20 plan leaves: the stack's own account,
    subscription and tenant, and for every value the provider chose (an output that is none of
    the resource's inputs: ids, ARNs, generated names, URLs, principal ids) another value,
    wherever it appears."""
    plan = cached_plan(spec, cloud)
    identities = re.compile("|".join(map(re.escape, REAL)))
    planned = json.loads(identities.sub(lambda m: REAL[m.group(0)], json.dumps([r.__dict__ for r in plan.resources])))
    chosen: dict[str, str] = {}
    for resource in planned:
        given = json.dumps(resource["inputs"])
        for name, value in _output_strings(resource["outputs"]):
            if name in ("region", "location") or len(value) < 8:
                continue  # where it lives is the stack's, not a value the cloud chose
            if cloud == "azure" and name == "id":
                continue  # an ARM id is the resource's path (subscription, group, type, name), not chosen
            if value in REAL.values():
                continue
            if value not in given and value not in chosen:
                chosen[value] = f"{value}-d{len(chosen):04d}"  # deployed: another value, as long or longer
    pattern = re.compile("|".join(re.escape(v) for v in sorted(chosen, key=len, reverse=True)))
    text = pattern.sub(lambda m: chosen[m.group(0)], json.dumps(planned))
    resources = [
        {**r, "urn": r["urn"].replace(f"urn:pulumi:{plan.stack}::", "urn:pulumi:prod::")} for r in json.loads(text)
    ]
    provider = {
        "urn": "urn:pulumi:prod::groundlink::pulumi:providers:aws::default_7_51_1",
        "type": "pulumi:providers:aws",
        "custom": True,
        "inputs": {"region": plan.region},
    }
    return {"version": 3, "deployment": {"resources": [provider, *resources] if cloud == "aws" else resources}}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_stack_deployed_from_the_spec_diffs_as_no_change(cloud: str, tmp_path: Path) -> None:
    checkpoint = tmp_path / f"{cloud}.checkpoint.json"
    checkpoint.write_text(json.dumps(_deployed(cloud)))

    (diff,) = diff_against(str(checkpoint), NOAA20, [cloud], {cloud: cached_plan("noaa20.yaml", cloud)})

    assert [(c.action, c.name, [p.path for p in c.properties]) for c in diff.changes] == []
    assert diff.unchanged == len(
        [r for r in cached_plan("noaa20.yaml", cloud).custom() if not r.type.startswith("pulumi:")]
    )


def test_the_layer_holds_its_archive_version_as_a_deployment_records_it(tmp_path: Path) -> None:
    """The artifacts bucket is versioned, so S3 gives the layer's archive a version and the
    layer takes it (`s3ObjectVersion`, which forces a new layer version when it changes). The
    mocks gave none: the plan held null, a real checkpoint the version, and the diff of an
    unchanged stack read the layer as replaced."""
    checkpoint = _deployed("aws")
    (layer,) = [r for r in checkpoint["deployment"]["resources"] if r["type"] == "aws:lambda/layerVersion:LayerVersion"]
    (archive,) = [
        r for r in checkpoint["deployment"]["resources"] if r["type"] == "aws:s3/bucketObjectv2:BucketObjectv2"
    ]
    assert layer["inputs"]["s3ObjectVersion"] == archive["outputs"]["versionId"] != ""
    path = tmp_path / "aws.checkpoint.json"
    path.write_text(json.dumps(checkpoint))
    (diff,) = diff_against(str(path), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
    assert [(c.action, c.name) for c in diff.changes] == []


def test_an_interrupted_replacement_compares_the_live_resource_not_the_one_pending_delete(tmp_path: Path) -> None:
    """Pulumi keeps the old half of an interrupted replacement under the same URN, marked
    `delete`; it replaced the live resource in the comparison and read as data loss. The live
    one is compared (no change); the old half is the delete the next update makes
    (tests/test_diff_pending.py)."""
    doc = _deployed("azure")
    resources = doc["deployment"]["resources"]
    live = next(r for r in resources if r["type"] == "azure-native:storage:StorageAccount")
    resources.append(
        {**json.loads(json.dumps(live)), "delete": True, "inputs": {**live["inputs"], "location": "eastus"}}
    )
    checkpoint = tmp_path / "pending.checkpoint.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), NOAA20, ["azure"], {"azure": cached_plan("noaa20.yaml", "azure")})

    assert [(c.action, c.type, c.pending) for c in diff.changes] == [
        ("delete", "azure-native:storage:StorageAccount", "delete")
    ]


@pytest.mark.parametrize(
    ("kind", "spelt", "expect"),
    [
        ("azure-native:storage:StorageAccount", "West US 2", []),  # as ARM reports it, in an imported stack
        ("azure-native:web:WebApp", "WESTUS2", []),
        # another location is one, and moves the account: a replacement, with its data
        ("azure-native:storage:StorageAccount", "East US", [("replace", "location")]),
    ],
)
def test_an_azure_location_spelt_another_way_is_the_same_location(kind, spelt, expect, tmp_path: Path) -> None:
    """azure-native compares every `location` without case or spaces (pulumi-azure-native #2281);
    "West US 2" in a checkpoint read as a replacement of the storage account, refused as data
    loss, where `pulumi preview` shows no change."""
    doc = _deployed("azure")
    deployed = next(r for r in doc["deployment"]["resources"] if r["type"] == kind)
    deployed["inputs"]["location"] = spelt
    checkpoint = tmp_path / "location.checkpoint.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), NOAA20, ["azure"], {"azure": cached_plan("noaa20.yaml", "azure")})

    changed = next((c for c in diff.changes if c.type == kind), None)
    assert ([] if changed is None else [(changed.action, p.path) for p in changed.properties]) == expect


def test_a_resource_read_into_the_stack_is_not_deleted_when_the_program_drops_it(tmp_path: Path) -> None:
    """A `.get()` read leaves an `external` entry in the state; when the program no longer reads
    it Pulumi drops it from the state and never deletes it. It read as a bucket deleted, with
    data loss."""
    doc = _deployed("aws")
    doc["deployment"]["resources"].append(
        {
            "urn": "urn:pulumi:prod::groundlink::aws:s3/bucket:Bucket::shared-org-logs",
            "type": "aws:s3/bucket:Bucket",
            "custom": True,
            "external": True,
            "id": "org-central-logs",
            "outputs": {"bucket": "org-central-logs", "arn": "arn:aws:s3:::org-central-logs"},
        }
    )
    checkpoint = tmp_path / "external.checkpoint.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})

    assert diff.changes == ()


@pytest.mark.parametrize(
    ("edit", "changed"),
    [
        # a value the program computes from the spec: the replica role's description names its region
        (
            lambda d: (d["storage"].update(redundancy="geo"), d["clouds"]["aws"].update(replica_region="eu-west-1")),
            "noaa20-storage-replica-role",
        ),
        # the mission key's alias follows the spec, whatever the deployed key's id
        (lambda d: d["mission"]["tags"].update({"cost-center": "eo-ground-2"}), "noaa20-storage-raw"),
    ],
    ids=["replica region", "tag"],
)
def test_a_real_change_survives_the_deployed_values(edit, changed, tmp_path: Path) -> None:
    """Placeholders are taken from the deployment only where an input came from another
    resource: a substitution everywhere turned a region in a role's description back into the
    deployed one, and a region move read as no change."""
    from .conftest import spec_data
    from .plan_cache import spec_file

    base = spec_data("noaa20.yaml")
    geo = json.loads(json.dumps(base))
    geo["storage"]["redundancy"] = "geo"
    geo["clouds"]["aws"]["replica_region"] = "us-east-2"
    old_spec = geo if changed == "noaa20-storage-replica-role" else base
    checkpoint = tmp_path / "deployed.json"
    checkpoint.write_text(json.dumps(_deployed("aws", spec_file(old_spec))))
    new = json.loads(json.dumps(old_spec))
    edit(new)

    (diff,) = diff_against(str(checkpoint), spec_file(new), ["aws"])

    assert changed in {c.name for c in diff.changes}


def _refreshed(doc: dict, text: Callable[[Any], str]) -> int:
    """`doc` as `pulumi refresh` leaves it: every input that is JSON text written again by the
    provider's normaliser (`text`); how many were."""
    count = 0
    for resource in doc["deployment"]["resources"]:
        for key, value in resource.get("inputs", {}).items():
            if isinstance(value, str) and value.startswith(("{", "[")):
                try:
                    document = json.loads(value)
                except ValueError:
                    continue  # a template that is no JSON (an input transformer's `<field>`)
                resource["inputs"][key] = text(document)
                count += 1
    return count


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _one_item_lists_as_items(value: Any) -> Any:
    if isinstance(value, list):
        return _one_item_lists_as_items(value[0]) if len(value) == 1 else [_one_item_lists_as_items(v) for v in value]
    return {k: _one_item_lists_as_items(v) for k, v in value.items()} if isinstance(value, dict) else value


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
def test_a_refreshed_checkpoint_s_json_text_is_the_same_document(cloud: str, spec: str, tmp_path: Path) -> None:
    """`pulumi refresh` writes each JSON input (policies, redrive policies, event patterns, a
    job's container properties) as the provider normalises it, compact with its keys sorted, and
    `pulumi preview` then shows no change: `groundlink diff` compared the texts and showed every
    one of them updated (20 on noaa20's AWS stack)."""
    doc = _deployed(cloud, spec)
    normalised = _refreshed(doc, _compact)
    assert normalised >= (10 if cloud == "aws" else 0)
    checkpoint = tmp_path / "refreshed.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), str(SPECS / spec), [cloud], {cloud: cached_plan(spec, cloud)})

    assert [(c.action, c.name, [p.path for p in c.properties]) for c in diff.changes] == []


def test_a_refreshed_policy_that_really_changed_is_still_an_update(tmp_path: Path) -> None:
    """Read as documents, a policy with a one-item list written as its item (as the provider's
    policy normaliser may) is the same policy, and one whose action changed is not."""
    doc = _deployed("aws")
    _refreshed(doc, lambda value: _compact(_one_item_lists_as_items(value) if "Statement" in value else value))
    (policy,) = [r for r in doc["deployment"]["resources"] if r["urn"].endswith("::noaa20-ground-delivery-role-policy")]
    policy["inputs"]["policy"] = policy["inputs"]["policy"].replace('"s3:PutObject"', '"s3:PutObjectAcl"', 1)
    checkpoint = tmp_path / "refreshed.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})

    assert [(c.action, c.name, [p.path for p in c.properties]) for c in diff.changes] == [
        ("update", "noaa20-ground-delivery-role-policy", ["policy"])
    ]


IMPORTED_STORES = {
    "aws:s3/bucket:Bucket",
    "aws:sqs/queue:Queue",
    "aws:cloudwatch/logGroup:LogGroup",
    "aws:kinesis/stream:Stream",
    "aws:glue/catalogDatabase:CatalogDatabase",
}


def _imported(checkpoint: dict) -> dict:
    """The checkpoint after the README's `pulumi import --file import.json` of the stores: the
    bridge records as inputs what the provider read, computed attributes included (the name,
    the Glue catalog's id, the region), no `__defaults`, and of a bucket's conflicting `bucket`
    and `bucketPrefix` the first by name (pulumi-terraform-bridge extractSchemaInputsObject,
    deconflict)."""
    for resource in checkpoint["deployment"]["resources"]:
        if resource["type"] not in IMPORTED_STORES:
            continue
        inputs = {k: v for k, v in resource["inputs"].items() if not k.startswith("__") and k != "bucketPrefix"}
        for computed in ("bucket", "catalogId", "name", "region"):
            if computed in resource["outputs"]:
                inputs[computed] = resource["outputs"][computed]
        resource["inputs"] = {**inputs, "__defaults": []}
    return checkpoint


def test_stores_re_adopted_by_pulumi_import_diff_as_no_change(tmp_path: Path) -> None:
    """Each imported store read as replaced (`- bucket`, `+ bucketPrefix`; a Glue database by
    `catalogId`; queues, log groups and the stream by `name`): 11 data losses refused, where the
    provider keeps a computed attribute the program leaves out and finds a given one equal to
    its state."""
    checkpoint = _imported(_deployed("aws"))
    imported = [r for r in checkpoint["deployment"]["resources"] if r["type"] in IMPORTED_STORES]
    assert len(imported) >= 10 and all("bucket" in r["inputs"] for r in imported if r["type"].endswith("Bucket"))
    path = tmp_path / "aws.imported.json"
    path.write_text(json.dumps(checkpoint))
    (diff,) = diff_against(str(path), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
    assert [(c.action, c.name, [p.path for p in c.properties]) for c in diff.changes] == []


def test_an_input_the_provider_does_not_compute_still_changes_when_the_program_drops_or_changes_it(
    tmp_path: Path,
) -> None:
    """Only computed attributes keep their state: a queue's `delaySeconds` (optional, not
    computed) that the program no longer gives is still a change, and a bucket name prefix the
    program changes still a replacement."""
    checkpoint = _deployed("aws")
    resources = {r["urn"].rsplit("::", 1)[-1] + " " + r["type"]: r for r in checkpoint["deployment"]["resources"]}
    resources["noaa20-events-contacts aws:sqs/queue:Queue"]["inputs"]["delaySeconds"] = 30
    resources["noaa20-storage-raw aws:s3/bucket:Bucket"]["inputs"]["bucketPrefix"] = "noaa20-old-raw-"
    path = tmp_path / "aws.checkpoint.json"
    path.write_text(json.dumps(checkpoint))
    (diff,) = diff_against(str(path), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})
    changed = {c.name: (c.action, [p.path for p in c.properties]) for c in diff.changes}
    assert changed["noaa20-storage-raw"] == ("replace", ["bucketPrefix"])  # its settings follow it
    assert changed["noaa20-events-contacts"] == ("update", ["delaySeconds"])


def _one_resource(cloud: str, kind: str, type_token: str, inputs: dict, outputs: dict) -> State:
    resource = Resource(f"{type_token}::store", type_token, "store", inputs, True, outputs=outputs)
    return State(cloud, kind, f"{kind}.json", {resource.key: resource})


def _changes(old: State, new: State) -> list[tuple]:
    return [
        (c.action, c.forced_by, c.loses_data, [(p.path, p.kind, p.old, p.new) for p in c.properties])
        for c in diff_states(old, new).changes
    ]


def test_an_added_input_unlike_the_checkpoint_s_output_still_replaces_the_bucket() -> None:
    """An added input the provider's state already holds changes nothing, and only one equal to
    it: a bucket whose checkpoint records `objectLockEnabled: false` (as `pulumi import` records
    what the provider read), given Object Lock by the program, was shown as no change, where
    Terraform creates the bucket anew and its objects are lost."""
    bucket = "aws:s3/bucket:Bucket"
    outputs = {"bucket": "noaa20-raw-1a2b3c", "objectLockEnabled": False, "arn": "arn:aws:s3:::noaa20-raw-1a2b3c"}
    old = _one_resource("aws", "checkpoint", bucket, {"bucket": "noaa20-raw-1a2b3c"}, outputs)
    locked = {"bucket": "noaa20-raw-1a2b3c", "objectLockEnabled": True}
    new = _one_resource("aws", "plan", bucket, locked, {**outputs, "objectLockEnabled": True})

    assert _changes(old, new) == [("replace", ("objectLockEnabled",), True, [("objectLockEnabled", "+", None, True)])]
    assert data_loss_lines([diff_states(old, new)]) == [
        f"aws: {bucket} store would be replaced (forced by objectLockEnabled): data loss"
    ]
    # the same input, equal to the state's value, is what the provider already has
    already = _one_resource(
        "aws", "checkpoint", bucket, {"bucket": "noaa20-raw-1a2b3c"}, {**outputs, "objectLockEnabled": True}
    )
    assert _changes(already, new) == []


def test_an_input_added_to_an_azure_account_replaces_it_whatever_its_outputs_hold() -> None:
    """azure-native compares the program's inputs with the checkpoint's inputs, not with the
    provider's state as pulumi-aws does: a storage account whose checkpoint gives no
    `isHnsEnabled` input (its outputs, as ARM reports the account, say true) and whose program
    now sets it is replaced, with its containers' data. Read against the outputs, the
    replacement was hidden and the data-loss gate let the update through."""
    account = "azure-native:storage:StorageAccount"
    outputs = {"kind": "StorageV2", "isHnsEnabled": True}
    old = _one_resource("azure", "checkpoint", account, {"kind": "StorageV2"}, outputs)
    new = _one_resource("azure", "plan", account, {"kind": "StorageV2", "isHnsEnabled": True}, {})

    assert _changes(old, new) == [("replace", ("isHnsEnabled",), True, [("isHnsEnabled", "+", None, True)])]
    assert data_loss_lines([diff_states(old, new)]) == [
        f"azure: {account} store would be replaced (forced by isHnsEnabled): data loss"
    ]


def test_a_list_output_shorter_in_the_checkpoint_than_in_the_plan_is_compared_not_a_crash(tmp_path: Path) -> None:
    """An alarm deployed with no OK action (`okActions: []` in the checkpoint), which the program
    now sends to the alerts topic: the deployed values are read from the checkpoint's outputs
    item by item, and past the end of its shorter list `groundlink diff` ended in an IndexError.
    It is an update naming the topic as deployed."""
    doc = _deployed("aws")
    (alarm,) = [
        r
        for r in doc["deployment"]["resources"]
        if r["type"] == "aws:cloudwatch/metricAlarm:MetricAlarm"
        and r["urn"].endswith("::noaa20-observability-frame-loss")
    ]
    topic = alarm["outputs"]["okActions"][0]
    assert topic.startswith(f"arn:aws:sns:us-west-2:{REAL[ACCOUNT_ID]}:noaa20-observability-alerts-")
    alarm["inputs"]["okActions"] = alarm["outputs"]["okActions"] = []
    checkpoint = tmp_path / "aws.checkpoint.json"
    checkpoint.write_text(json.dumps(doc))

    (diff,) = diff_against(str(checkpoint), NOAA20, ["aws"], {"aws": cached_plan("noaa20.yaml", "aws")})

    assert [(c.action, c.name, [(p.path, p.old, p.new) for p in c.properties]) for c in diff.changes] == [
        ("update", "noaa20-observability-frame-loss", [("okActions", [], [topic])])
    ]
