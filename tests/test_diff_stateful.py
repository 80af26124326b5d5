"""A store is a store whatever its protection says, and a retention lowered deletes data. Turning protection off (strict to dev) is
shown and refused like data loss, and once a stack runs unprotected, deleting or replacing a
store is still data loss. A saved plan without a region still has its stores moved region
refused: its ARNs name the region."""

from __future__ import annotations

import json

import pytest

from groundlink import limits
from groundlink.diff import State, diff_states
from groundlink.diff.changes import PROTECTION, STATEFUL_TYPES, PropertyChange, shortens_retention
from groundlink.diff.state import SECRET, Resource

from .conftest import SPECS, cached_plan, spec_data
from .test_diff import NOAA20, change_of, edited, one_diff, run_cli

EXAMPLES = sorted(p.name for p in SPECS.glob("*.yaml"))


def test_the_stateful_types_are_exactly_the_types_the_stacks_protect():
    protected = {
        r.type
        for spec in EXAMPLES
        for cloud in ("aws", "azure")
        for r in cached_plan(spec, cloud).resources
        if r.protect
    }
    # the legacy Orbital resources hold no data but are protected too: they cannot be made again
    # (Change.irreplaceable refuses their deletion on its own)
    irreplaceable = {t for t in protected if limits.is_retired_orbital(t)}
    assert irreplaceable == {"azure-native:orbital:Spacecraft", "azure-native:orbital:ContactProfile"}
    assert protected - irreplaceable == STATEFUL_TYPES


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_turning_protection_off_lists_every_store_and_is_refused(capsys, cloud):
    dev = edited(lambda d: d["storage"].update(data_protection="dev"))
    diff = one_diff(NOAA20, dev, cloud)
    stores = {r.name for r in cached_plan("noaa20.yaml", cloud).resources if r.protect}
    assert {c.name for c in diff.unprotected} == stores and len(stores) > 5
    assert all(c.action == "update" and c.properties[0].path == PROTECTION for c in diff.unprotected)
    assert diff.data_loss == []  # nothing deleted yet

    code, out, err = run_cli(capsys, "diff", NOAA20, dev, "--cloud", cloud)
    assert code == 1 and "PROTECTION REMOVED: stateful resource" in out and f"~ {PROTECTION}: true => false" in out
    assert err.count("would lose its protection") == len(stores)
    assert err.endswith(
        "groundlink: refusing data loss; the spec changes storage.data_protection (strict => dev): revert, "
        "or pass --allow-data-loss to accept it\n"
    )
    code, out, _ = run_cli(capsys, "diff", NOAA20, dev, "--cloud", cloud, "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    assert code == 0 and doc["summary"]["unprotected"] == len(stores) and doc["summary"]["dataLoss"] == 0


@pytest.mark.parametrize(
    ("cloud", "type_token"),
    [("aws", "aws:kinesis/stream:Stream"), ("azure", "azure-native:eventhub:EventHub")],
)
def test_an_unprotected_store_deleted_is_still_data_loss(cloud, type_token):
    dev = edited(lambda d: d["storage"].update(data_protection="dev"))
    gone = edited(lambda d: (d["storage"].update(data_protection="dev"), d["analytics"].update(telemetry_stream=False)))
    diff = one_diff(dev, gone, cloud)
    [lost] = [c for c in diff.data_loss if c.type == type_token]
    assert lost.action == "delete" and lost.stateful


def test_a_saved_plan_without_its_region_still_refuses_moving_the_stores(capsys, tmp_path):
    doc = cached_plan("noaa20.yaml", "aws").to_json()
    doc.pop("region", None)
    old = tmp_path / "old-aws.json"
    old.write_text(json.dumps(doc))
    moved = edited(lambda d: d["clouds"]["aws"].update(region="us-east-2"))
    code, _, err = run_cli(capsys, "diff", str(old), moved, "--cloud", "aws")
    assert code == 1
    assert (
        "aws: aws:s3/bucket:Bucket noaa20-storage-raw would be replaced (forced by (provider region)): data loss" in err
    )


def test_the_retained_catalog_encryption_setting_is_no_store_when_the_catalog_goes():
    """The setting is retained on delete (deleting it would turn encryption off for the account)
    and holds no data: dropping the catalog loses the database, not the setting."""
    no_catalog = edited(lambda d: d["analytics"].update({"catalog": False, "serverless_sql": False}))
    diff = one_diff(NOAA20, no_catalog, "aws")
    setting = change_of(
        diff, "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings", "noaa20-catalog-encryption"
    )
    assert setting.action == "delete" and not setting.stateful
    assert {c.type for c in diff.data_loss} == {"aws:glue/catalogDatabase:CatalogDatabase", "aws:s3/bucket:Bucket"}


def test_a_spec_that_keeps_its_protection_unprotects_nothing():
    tagged = edited(lambda d: d["mission"].setdefault("tags", {}).update({"team": "ops"}))
    diff = one_diff(NOAA20, tagged, "azure")
    assert diff.unprotected == [] and diff.data_loss == []
    assert diff.count("update") > 5  # the tags did change, on the stores too


@pytest.mark.parametrize(
    ("cloud", "line"),
    [
        (
            "aws",
            "aws: aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration noaa20-storage-raw-lifecycle "
            "would delete data sooner (rules[0].expiration.days: 365 => 60)",
        ),
        (
            "azure",
            "azure: azure-native:storage:ManagementPolicy noaa20-storage-lifecycle would delete data sooner "
            "(policy.rules[0].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan: 365 => 60)",
        ),
    ],
)
def test_a_lowered_retention_is_refused_as_data_deleted_sooner(capsys, cloud, line):
    """Lifecycle expiry deletes the data past it for good: 365 days to 60 loses ten months of contacts."""
    shorter = edited(lambda d: d["storage"].update(raw_retention_days=60, tiering=[{"after_days": 30, "tier": "cool"}]))
    code, out, err = run_cli(capsys, "diff", NOAA20, shorter, "--cloud", cloud)
    assert code == 1 and line in err.splitlines() and "RETENTION SHORTENED" in out
    code, out, _ = run_cli(capsys, "diff", NOAA20, shorter, "--cloud", cloud, "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    assert code == 0 and doc["summary"]["retentionShortened"] >= 1 and doc["summary"]["dataLoss"] == 0


def test_a_longer_retention_deletes_nothing_sooner(capsys):
    longer = edited(lambda d: d["storage"].update(raw_retention_days=400))
    code, _, err = run_cli(capsys, "diff", NOAA20, longer, "--cloud", "aws")
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("change", "shorter"),
    [
        (PropertyChange("rules[0].expiration.days", "~", 365, 60), True),
        (PropertyChange("rules[0].noncurrentVersionExpiration.noncurrentDays", "~", 30.0, 7.0), True),
        (PropertyChange("retentionInDays", "~", 365, 400), False),
        (PropertyChange("softDeletePeriod", "~", "P1825D", "P30D"), True),  # ADX, ISO 8601 days
        (PropertyChange("rules[0].expiration.days", "+", None, 90), True),  # kept without end, now 90 days
        (PropertyChange("rules[0].transitions[1].days", "~", 90, 30), False),  # a tier move deletes nothing
        (
            PropertyChange(
                "policy.rules[0].definition.actions.baseBlob.tierToCool.daysAfterModificationGreaterThan", "~", 30, 10
            ),
            False,
        ),
        (PropertyChange("deleteRetentionPolicy.enabled", "~", True, False), False),  # no number of days
        (PropertyChange("rules[0].expiration.days", "-", 365, None), False),  # kept without end from now on
        (PropertyChange("deleteRetentionPolicy.days", "+", None, 7), False),  # soft delete added: safer
        (PropertyChange("deleteRetentionPolicy.days", "~", 30, 7), True),  # deleted data purged sooner
        (PropertyChange("softDeletePeriod", "~", 30, "P30D"), False),  # the same 30 days, spelt otherwise
        # a block added whole to an existing rule: the numbers inside it count
        (PropertyChange("rules[0].expiration", "+", None, {"days": 90}), True),
        (PropertyChange("deleteRetentionPolicy", "+", None, {"days": 7, "enabled": True}), False),
        # a rule added whole is for data that is new with it (query results turned on)
        (PropertyChange("policy.rules[2]", "+", None, {"name": "q", "definition": {"actions": {"baseBlob": {"delete": {"daysAfterModificationGreaterThan": 30}}}}}), False),
    ],
)  # fmt: skip
def test_which_changes_delete_data_sooner(change, shorter):
    assert shortens_retention(change) is shorter


LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"


@pytest.mark.parametrize(
    ("resource_type", "change", "shorter"),
    [
        # pulumi-aws: a log group's retentionInDays 0 keeps its events without end
        (LOG_GROUP, PropertyChange("retentionInDays", "~", 0, 3288), True),
        (LOG_GROUP, PropertyChange("retentionInDays", "~", 3288, 0), False),
        (LOG_GROUP, PropertyChange("retentionInDays", "+", None, 0), False),  # unset was without end too
        (LOG_GROUP, PropertyChange("retentionInDays", "+", None, 365), True),
        (LOG_GROUP, PropertyChange("retentionInDays", "~", 731, 365), True),
        # 0 is a number of days elsewhere: Azure deletes a blob 0 days after its last change
        (
            "azure-native:storage:ManagementPolicy",
            PropertyChange("policy.rules[0].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan", "~", 365, 0),
            True,
        ),
        ("azure-native:operationalinsights:Workspace", PropertyChange("retentionInDays", "~", 365, 0), True),
        # ISO 8601 durations other than whole days (ADX soft delete)
        ("azure-native:kusto:ReadWriteDatabase", PropertyChange("softDeletePeriod", "~", "P1Y", "P400D"), False),
        ("azure-native:kusto:ReadWriteDatabase", PropertyChange("softDeletePeriod", "~", "P1Y", "P300D"), True),
        ("azure-native:kusto:ReadWriteDatabase", PropertyChange("softDeletePeriod", "~", "P2D", "PT36H"), True),
    ],
)  # fmt: skip
def test_a_retention_kept_without_end_is_the_longest(resource_type, change, shorter):
    assert shortens_retention(change, resource_type) is shorter


def test_a_log_group_kept_without_end_then_given_a_retention_is_refused_and_the_way_back_is_not(capsys):
    """A raw retention past CloudWatch's longest (3653 days) keeps the mission's log groups
    without end (retentionInDays 0); lowered under it, they get 3288 days and older events go."""
    forever = edited(lambda d: d["storage"].update(raw_retention_days=36500))
    shorter = edited(lambda d: d["storage"].update(raw_retention_days=3000))
    code, out, err = run_cli(capsys, "diff", forever, shorter, "--cloud", "aws")
    logs = [line for line in err.splitlines() if LOG_GROUP in line]
    assert code == 1 and logs == [
        f"aws: {LOG_GROUP} noaa20-{name} would delete data sooner (retentionInDays: 0, without end => 3288)"
        for name in ("processing-logs", "telemetry-archive-logs")
    ]
    assert out.count(f"{LOG_GROUP} noaa20-processing-logs update  RETENTION SHORTENED") == 1
    code, out, _ = run_cli(capsys, "diff", forever, shorter, "--cloud", "aws", "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    groups = [c for c in doc["changes"] if c["type"] == LOG_GROUP]
    assert code == 0 and len(groups) == 2 and all(c["dataAtRisk"] and c["shortensRetention"] for c in groups)
    # back to without end: every log group and lifecycle keeps its data longer, nothing refused
    code, out, err = run_cli(capsys, "diff", shorter, forever, "--cloud", "aws")
    assert (code, err) == (0, "") and "retentionInDays: 3288 => 0" in out and "RETENTION SHORTENED" not in out


def test_rules_are_matched_by_name_so_a_rule_added_beside_a_lowered_retention_hides_nothing():
    """Query results turned on add a lifecycle rule; the rules list changed length and was
    compared as one value, so the products retention lowered in the same edit was an update."""
    old = edited(lambda d: d["analytics"].update(serverless_sql=False))
    new = edited(lambda d: d["storage"].update(products_retention_days=1000))
    diff = one_diff(old, new, "azure")
    (policy,) = [c for c in diff.changes if c.type == "azure-native:storage:ManagementPolicy"]
    assert [(p.path, p.old, p.new) for p in policy.shortened] == [
        ("policy.rules[1].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan", 1825, 1000)
    ]
    assert [(p.path, p.kind) for p in policy.properties if p.kind != "~"] == [("policy.rules[2]", "+")]
    # the other way, query results turned off: the rule removed, the retention still compared
    diff = one_diff(new, old, "azure")
    (policy,) = [c for c in diff.changes if c.type == "azure-native:storage:ManagementPolicy"]
    assert policy.shortened == () and [(p.path, p.kind) for p in policy.properties if p.kind != "~"] == [
        ("policy.rules[2]", "-")
    ]


def test_premium_messaging_replaces_the_service_bus_namespace_as_data_loss():
    """Standard to Premium is a migration into another namespace, not an update in place."""
    premium = edited(lambda d: d["security"].update(premium_messaging=True))
    diff = one_diff(NOAA20, premium, "azure")
    [bus] = [c for c in diff.changes if c.type == "azure-native:servicebus:Namespace"]
    assert bus.action == "replace" and "sku.name" in bus.forced_by and bus.loses_data
    # the telemetry Event Hubs namespace alike: Azure changes no tier after deployment, and a
    # namespace that holds event hubs takes no customer-managed key (it was planned an update)
    [hubs] = [c for c in diff.changes if c.type == "azure-native:eventhub:Namespace"]
    assert hubs.action == "replace" and {"sku.name", "encryption"} <= set(hubs.forced_by) and hubs.loses_data


@pytest.mark.parametrize(
    ("options", "type_token"),
    [
        ({"analytics": {"sql_clients": ["203.0.113.7"]}}, "azure-native:synapse:IpFirewallRule"),
        ({"security": {"premium_messaging": True}}, "azure-native:servicebus:NamespaceNetworkRuleSet"),
    ],
)
def test_a_child_of_a_moved_parent_is_shown_replaced_not_updated(options, type_token):
    """A resource named under its parent (a Synapse firewall rule, a Service Bus network rule
    set) goes with it: a new location replaces the parent, so the child's path is new too. Both
    types once had no recorded rules, and the preview said "update (replacement rules for this
    type not recorded)"."""

    def with_options(data):
        for section, values in options.items():
            data[section].update(values)

    old = edited(with_options)
    new = edited(lambda d: (with_options(d), d["clouds"]["azure"].update(location="westus3")))
    diff = one_diff(old, new, "azure")
    children = [c for c in diff.changes if c.type == type_token]
    assert children, type_token
    for child in children:
        assert child.action == "replace" and child.forced_by, (child.name, child.action, child.forced_by)


def test_deleting_a_retired_orbital_resource_is_refused_as_it_cannot_be_created_again(capsys):
    """Azure Orbital Ground Station takes no new resources: legacy_orbital turned off deleted a
    stack's spacecraft and contact profiles with exit 0, and they can never be made again."""
    from .plan_cache import spec_file

    data = spec_data("aqua-legacy.yaml")
    data["clouds"]["azure"]["legacy_orbital"] = False
    del data["clouds"]["azure"]["orbital"]  # its endpoint settings go with the opt-in
    legacy_off = str(spec_file(data))
    diff = one_diff(str(SPECS / "aqua-legacy.yaml"), legacy_off, "azure")
    lost = [(c.type, c.action, c.stateful) for c in diff.data_loss]
    assert lost == [  # protected under strict: they cannot be made again
        ("azure-native:orbital:ContactProfile", "delete", True),
        ("azure-native:orbital:Spacecraft", "delete", True),
    ]
    code, out, err = run_cli(capsys, "diff", str(SPECS / "aqua-legacy.yaml"), legacy_off, "--cloud", "azure")
    assert code == 1 and "CANNOT BE CREATED AGAIN: Azure Orbital Ground Station was retired on 2024-12-18" in out
    assert (
        "azure: azure-native:orbital:Spacecraft aqua-ground-orbital-aqua-spacecraft would be deleted: it cannot be "
        "created again (Azure Orbital Ground Station was retired on 2024-12-18 and takes no new resources)"
    ) in err.splitlines()
    # an update of them (tags) loses nothing
    data = spec_data("aqua-legacy.yaml")
    data["mission"].setdefault("tags", {})["cost-center"] = "eo-ops"
    diff = one_diff(str(SPECS / "aqua-legacy.yaml"), str(spec_file(data)), "azure")
    orbital = [c for c in diff.changes if c.irreplaceable]
    assert orbital and {c.action for c in orbital} == {"update"} and diff.data_loss == []


@pytest.mark.parametrize(
    "edit",
    [
        {"satellites.0.downlinks.0.polarization": "left_hand"},
        {"satellites.0.downlinks.0.name": "db-hrd"},
    ],
)
def test_a_downlink_edit_that_replaces_the_retired_spacecraft_is_refused(edit):
    """The Spacecraft's links are create-only (the Orbital REST spec: x-ms-mutability read, create,
    "Immutable list of Spacecraft links"): a downlink's polarization or name changed
    replaces it, which Azure deletes first and can never create again; the diff called it an
    in-place update, exit 0."""
    from .conftest import with_changes
    from .plan_cache import spec_file

    edited = str(spec_file(with_changes(spec_data("aqua-legacy.yaml"), edit)))
    diff = one_diff(str(SPECS / "aqua-legacy.yaml"), edited, "azure")
    (spacecraft,) = [c for c in diff.changes if c.type == "azure-native:orbital:Spacecraft"]
    assert spacecraft.action == "replace" and spacecraft.irreplaceable
    assert spacecraft in diff.data_loss


def test_reordering_the_downlinks_replaces_the_retired_spacecraft_and_is_refused():
    """The links list is compared place by place, as the provider does: matched by name, the
    reversed downlinks of a two-downlink satellite were no change of the Spacecraft (exit 0),
    though a real preview replaces it, and Azure can never create it again."""
    from .plan_cache import spec_file

    two = spec_data("aqua-legacy.yaml")
    first = two["satellites"][0]["downlinks"][0]
    sband = {"name": "sb", "center_frequency_mhz": 2250, "bandwidth_mhz": 5, "delivery": "digif", "data_rate_mbps": 2}
    two["satellites"][0]["downlinks"].append(sband)
    swapped = json.loads(json.dumps(two))
    swapped["satellites"][0]["downlinks"].reverse()
    diff = one_diff(str(spec_file(two)), str(spec_file(swapped)), "azure")
    (spacecraft,) = [c for c in diff.changes if c.type == "azure-native:orbital:Spacecraft"]
    assert spacecraft.action == "replace" and spacecraft in diff.data_loss
    order = [p for p in spacecraft.properties if p.path == "links"]
    assert [(p.kind, p.old, p.new) for p in order] == [("~", [first["name"], "sb"], ["sb", first["name"]])]


def test_a_list_matched_by_name_in_a_new_order_is_a_change_of_the_list():
    from groundlink.diff.changes import PropertyChange, leaf_changes

    old = [{"name": "a", "days": 1}, {"name": "b", "days": 2}]
    assert list(leaf_changes(old, old[::-1], "rules")) == [PropertyChange("rules", "~", ["a", "b"], ["b", "a"])]
    # an item added or removed keeps the others' order: no change of order is said
    assert list(leaf_changes(old, [*old, {"name": "c", "days": 3}], "rules")) == [
        PropertyChange("rules[2]", "+", None, {"name": "c", "days": 3})
    ]
    assert list(leaf_changes(old, old[1:], "rules")) == [PropertyChange("rules[0]", "-", old[0], None)]


@pytest.mark.parametrize(
    ("stateful", "irreplaceable", "said"),
    [
        (True, False, "data loss: stateful resource deleted"),
        (False, True, "deleted, and it cannot be created again (retired service)"),
        (True, True, "deleted, and it cannot be created again (retired service)"),  # protected in OLD
    ],
)
def test_the_report_says_why_a_deletion_is_refused(stateful, irreplaceable, said):
    from groundlink.report.sections import _risk

    change = {
        "action": "delete",
        "dataLoss": True,
        "stateful": stateful,
        "irreplaceable": irreplaceable,
        "shortensRetention": [],
        "unprotects": False,
    }
    assert _risk(change).text == said


@pytest.mark.parametrize("stateful", [False, True])
def test_a_retired_orbital_resource_is_said_irreplaceable_even_when_protected(stateful):
    """An orbital resource a stack protected counts as stateful too: it was said to be a store."""
    from groundlink.diff.changes import Change
    from groundlink.diff.preview_text import change_lines

    change = Change("delete", "k", "azure-native:orbital:Spacecraft", "aqua-spacecraft", stateful)
    assert change.loses_data and change_lines(change)[0].endswith(
        "delete  CANNOT BE CREATED AGAIN: Azure Orbital Ground Station was retired on 2024-12-18 and takes no new "
        "resources"
    )


def test_a_retired_orbital_resource_a_spec_edit_adds_is_said_to_be_impossible_to_create(capsys):
    """legacy_orbital describes an estate that exists; a second satellite added to it planned a new
    spacecraft and contact profile as a plain create, which `pulumi up` cannot do."""
    from .azure_support import tle_for
    from .plan_cache import spec_file

    data = spec_data("aqua-legacy.yaml")
    second = {**data["satellites"][0], "name": "terra", "norad_id": 25994, "tle": tle_for(25994)}
    data["satellites"].append(second)
    added = str(spec_file(data))
    code, out, _ = run_cli(capsys, "diff", str(SPECS / "aqua-legacy.yaml"), added, "--cloud", "azure")
    created = [line for line in out.splitlines() if " create" in line and "orbital:" in line]
    assert created and all(
        line.endswith(
            "create  CANNOT BE CREATED: Azure Orbital Ground Station was retired on 2024-12-18 and takes no new "
            "resources"
        )
        for line in created
    ), created
    assert code == 0  # nothing held is lost: the pack's retired-azure-orbital refuses it (check, compare)


def test_replication_onto_a_store_whose_lifecycle_archives_nothing_says_only_batch_replication():
    from .test_diff import edited

    def cool_only(data) -> None:
        data["storage"]["tiering"] = [{"after_days": 30, "tier": "cool"}]

    def cool_only_geo(data) -> None:
        cool_only(data)
        _to_geo(data)

    diff = one_diff(edited(cool_only), edited(cool_only_geo), "aws")
    assert len(diff.notes) == 2 and all(
        note.endswith('(S3 User Guide, "Replicating existing objects with Batch Replication")') for note in diff.notes
    )


def test_geo_taken_off_an_azure_account_notes_the_paired_region_copy_it_drops(capsys):
    """GZRS to ZRS is an update in place that keeps every object, so no data loss; but it dropped
    the copy in the paired region without a word, where AWS refuses deleting its replica buckets."""
    from .test_diff import edited

    geo = edited(_to_geo)
    diff = _the_one_note_is(
        capsys,
        (geo, NOAA20, "azure"),
        "noaa20-storage-account: sku.name Standard_GZRS => Standard_ZRS drops the account's copy in the paired "
        "region: its objects stay, in the stack's location only, and a regional outage leaves no copy to fail over "
        "to (the AWS stack's replica buckets, the same copy, are refused as data loss)",
    )
    assert [(c.action, c.name) for c in diff.changes] == [("update", "noaa20-storage-account")]
    # zone to geo adds the copy (Azure copies what the account holds): nothing to say
    assert one_diff(NOAA20, geo, "azure").notes == ()


def _the_one_note_is(capsys, edit: tuple[str, str, str], note: str):
    """The diff of `edit` (OLD, NEW, cloud) loses no data and says `note` alone, and the command
    prints it and exits 0."""
    old, new, cloud = edit
    diff = one_diff(old, new, cloud)
    assert not diff.data_loss and diff.notes == (note,)
    code, out, _ = run_cli(capsys, "diff", old, new, "--cloud", cloud)
    assert code == 0 and f"    note: {note}" in out.splitlines()
    return diff


def _to_geo(data) -> None:
    data["storage"]["redundancy"] = "geo"
    data["clouds"]["aws"]["replica_region"] = "us-east-2"


def test_replication_added_to_deployed_buckets_notes_their_objects_stay_in_one_region(capsys):
    """S3 replicates only the objects written after its rule exists: a stack moved from zone to geo
    kept every object it held in one region, while the diff showed only creates, safe and silent."""
    from .test_diff import edited

    geo = edited(_to_geo)
    diff = one_diff(NOAA20, geo, "aws")
    assert {c.action for c in diff.changes} == {"create"} and not diff.data_loss
    assert [note.split(":")[0] for note in diff.notes] == [
        "noaa20-storage-replica-products-replication",
        "noaa20-storage-replica-raw-replication",
    ]
    for note, store in zip(diff.notes, ("products", "raw"), strict=True):
        assert (
            f"those already in noaa20-storage-{store} stay out of noaa20-storage-replica-{store} until an S3 Batch "
            "Replication job copies them"
        ) in note
        # Batch Replication skips what the lifecycle archived: most of a stack deployed 90 days
        assert note.endswith(
            "but for those its lifecycle has moved to S3 Glacier Flexible Retrieval after 90 days and S3 Glacier "
            "Deep Archive after 180 days, which S3 does not replicate: restore them and copy each over itself into "
            'another storage class first (a new version, which the rule replicates; S3 User Guide, "What does '
            'Amazon S3 replicate?")'
        )
    code, out, _ = run_cli(capsys, "diff", NOAA20, geo, "--cloud", "aws")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("    note: ")] == [
        f"    note: {n}" for n in diff.notes
    ]
    code, out, _ = run_cli(capsys, "diff", NOAA20, geo, "--cloud", "aws", "--json")
    assert json.loads(out)[0]["notes"] == list(diff.notes)
    # a geo stack planned again from scratch, or against itself, has nothing to copy
    assert one_diff(geo, geo, "aws").notes == ()
    # and the report's "Changes against" section says them under its counts
    from groundlink.report.sections import _changes

    section = _changes({"diff": {"against": NOAA20, "clouds": [diff.to_json()], "dataLoss": []}})
    assert [p.text for p in section.paragraphs][1:] == [f"aws: {note}" for note in diff.notes]


def test_a_replica_region_moved_notes_the_new_replicas_start_empty():
    """The replica buckets are replaced in the new region, and S3 copies none of what the stores
    held into them: the same note, where the configurations are only updated."""
    from .test_diff import edited

    geo = edited(_to_geo)
    moved = edited(lambda d: (_to_geo(d), d["clouds"]["aws"].update(replica_region="us-west-1")))
    diff = one_diff(geo, moved, "aws")
    assert {c.name: c.action for c in diff.changes if c.type.endswith("BucketReplicationConfig")} == {
        "noaa20-storage-replica-products-replication": "update",
        "noaa20-storage-replica-raw-replication": "update",
    }
    assert [n.split(": S3")[0] for n in diff.notes if "OLD protects" not in n] == [
        "noaa20-storage-replica-products-replication",
        "noaa20-storage-replica-raw-replication",
    ]
    # the replicas in the old region, protected, are deleted: pulumi up needs them unprotected first
    (protected,) = [n for n in diff.notes if "OLD protects" in n]
    assert protected.startswith("4 resource(s) OLD protects would be deleted or replaced (aws:kms/key:Key")


def test_a_source_bucket_replaced_with_the_change_has_nothing_to_copy():
    """The note is for objects a kept store holds: against the recorded checkpoint the raw store
    is replaced (its bucketPrefix), so it starts empty and no batch copy is asked of it."""
    from .conftest import ROOT
    from .test_diff import edited

    checkpoint = str(ROOT / "tests/fixtures/noaa20-aws.real.checkpoint.json")
    diff = one_diff(checkpoint, edited(_to_geo), "aws")
    assert [(c.action, c.name) for c in diff.changes if c.name == "noaa20-storage-raw"] == [
        ("replace", "noaa20-storage-raw")
    ]
    assert not [n for n in diff.notes if "noaa20-storage-raw " in n]


def test_a_partner_satellite_renamed_on_aws_notes_its_contacts_drop_out_of_athena(capsys):
    """AWS's catalog tables list a partner's satellites in an enum partition projection, and Athena
    reads only the partitions it lists: a renamed satellite's stored contacts stayed in S3 and left
    every query, while the diff showed four plain updates. Azure's views read every name."""
    from .conftest import spec_file

    partner = str(SPECS / "partner.yaml")
    data = spec_data("partner.yaml")
    assert [s["name"] for s in data["satellites"]] == ["snpp"]
    data["satellites"][0]["name"] = "suomi-npp"
    renamed = str(spec_file(data))
    _the_one_note_is(
        capsys,
        (partner, renamed, "aws"),
        "contact_summary, frame_index, raw_contacts: Athena's partition projection no longer lists satellite snpp: "
        "the contacts stored under satellite=snpp/ stay in the buckets but no query reads them; keep the old name "
        'in the spec to query them (Athena User Guide, "Supported types for partition projection": enum)',
    )
    assert one_diff(partner, renamed, "azure").notes == ()
    # a satellite added keeps every name listed: nothing to say
    data["satellites"][0]["name"] = "snpp"
    data["satellites"].append({**data["satellites"][0], "name": "noaa20", "norad_id": 43013})
    data["satellites"][1].pop("tle", None)
    assert one_diff(partner, str(spec_file(data)), "aws").notes == ()


def test_satellites_reordered_with_stream_delivery_note_the_receiver_ports_move():
    """Stream ports follow the downlinks' order in the spec: two satellites swapped replace their
    endpoint groups with each other's ports, which read as a routine replacement while a receiver
    set up by port would file one satellite's stream as the other's."""
    from .conftest import spec_file

    data = spec_data("constellation.yaml")
    data["delivery"] = {"object_store": True, "stream": True}
    streaming = str(spec_file(data))
    swapped = dict(data, satellites=[data["satellites"][1], data["satellites"][0], *data["satellites"][2:]])
    diff = one_diff(streaming, str(spec_file(swapped)), "aws")
    assert not diff.data_loss
    assert diff.notes == (
        "the contact streams move to other ports of the receiver (eo-constellation_eo01_xband 55888 => 55890, "
        "eo-constellation_eo01_sband 55889 => 55891, eo-constellation_eo02_xband 55890 => 55888, "
        "eo-constellation_eo02_sband 55891 => 55889): set the receiver up for them before the next contact, or it files "
        "one downlink's stream as another's (ports follow the downlinks' order in the spec, docs/aws.md)",
    )
    assert one_diff(streaming, streaming, "aws").notes == ()


def test_a_partner_mission_moved_to_ground_station_gets_no_projection_note():
    """With AWS Ground Station the tables' satellite projection is injected (Athena takes the value
    from the query): the satellite keeps its name, and the note that its contacts leave every
    query was false there."""
    from .conftest import spec_file

    data = spec_data("partner.yaml")
    data["ground_segment"] = {"provider": "managed", "contacts_per_day": 6, "contact_minutes": 9}
    diff = one_diff(str(SPECS / "partner.yaml"), str(spec_file(data)), "aws")
    assert not [n for n in diff.notes if "partition projection" in n]


def test_a_ground_station_mission_moved_to_a_partner_notes_athena_lists_only_the_partner_s_names():
    """From AWS Ground Station (an injected projection: any value a query gives) to a partner (an
    enum of the spec's names): what Ground Station stored under its own satellite= values drops out
    of every query, which the diff did not say."""
    from .conftest import spec_file

    data = spec_data("partner.yaml")
    managed = dict(data, ground_segment={"provider": "managed", "contacts_per_day": 6, "contact_minutes": 9})
    diff = one_diff(str(spec_file(managed)), str(SPECS / "partner.yaml"), "aws")
    assert [n for n in diff.notes if "partition projection" in n] == [
        "contact_summary, frame_index, raw_contacts: Athena's partition projection now lists only satellite snpp "
        "(it took any value a query gave): the contacts stored under any other satellite= value (AWS Ground "
        "Station's) stay in the buckets but no query reads them (Athena User Guide, \"Supported types for "
        'partition projection": enum)'
    ]


def test_a_changed_azure_processor_code_is_noted_with_what_to_upload(tmp_path):
    """The code's digest is an app setting, which the diff shows by its place in the list
    (appSettings[3]); pulumi up changes the setting and nothing else: the package is uploaded by
    hand, which nothing told the operator upgrading a deployed stack."""
    from .conftest import cached_plan

    doc = cached_plan("noaa20.yaml", "azure").to_json()
    (app,) = [r for r in doc["resources"] if r["type"] == "azure-native:web:WebApp"]
    (setting,) = [s for s in app["inputs"]["siteConfig"]["appSettings"] if s["name"] == "GROUNDLINK_CODE_SHA256"]
    setting["value"] = "0" * 64
    old = tmp_path / "deployed.json"
    old.write_text(json.dumps(doc))
    diff = one_diff(str(old), NOAA20, "azure")
    assert diff.notes == (
        "noaa20-processing-app: the processor's code changes (the app setting GROUNDLINK_CODE_SHA256, shown above by "
        "its place in siteConfig.appSettings): build its package with make flex-package, upload it after this update "
        'and restart the app (README, "Running it for real"), or the app keeps running the code it has',
    )
    assert one_diff(NOAA20, NOAA20, "azure").notes == ()


@pytest.mark.parametrize(
    ("old_sku", "new_sku", "action", "noted"),
    [
        ({"name": "Standard_RAGZRS"}, {"name": "Standard_ZRS"}, "update", True),
        ({"name": "Standard_GRS"}, {"name": "Standard_LRS"}, "update", True),
        ({"name": "Standard_GZRS"}, {"name": "Standard_ZRS"}, "replace", False),  # a new account: nothing stays
        ({"name": "Standard_ZRS"}, {"name": "Standard_GZRS"}, "update", False),
        ("Standard_GZRS", {"name": "Standard_ZRS"}, "update", False),  # a hand-edited state: no crash
    ],
)
def test_the_paired_copy_note_only_for_an_account_kept_that_loses_its_geo_copy(old_sku, new_sku, action, noted):
    from groundlink.diff.changes import STORAGE_ACCOUNT, Change, _geo_copy_notes
    from groundlink.diff.state import Resource, State

    def state(sku) -> State:
        account = Resource("acct", STORAGE_ACCOUNT, "noaa20-storage-account", {"sku": sku}, protected=True)
        return State("azure", "plan", "x", {"acct": account})

    change = Change(action, "acct", STORAGE_ACCOUNT, "noaa20-storage-account", stateful=True)
    notes = _geo_copy_notes(state(old_sku), state(new_sku), [change])
    assert bool(notes) == noted


def _job_digest(doc: dict, cloud: str, value: str | None) -> None:
    """Set (or, with None, drop) the container job's GROUNDLINK_CODE_SHA256 in a plan document."""
    from groundlink.runtime.azure_functions import CODE_DIGEST

    for r in doc["resources"]:
        if cloud == "aws" and r["type"] == "aws:batch/jobDefinition:JobDefinition":
            properties = json.loads(r["inputs"]["containerProperties"])
            properties["environment"] = [v for v in properties["environment"] if v["name"] != CODE_DIGEST]
            properties["environment"] += [{"name": CODE_DIGEST, "value": value}] if value else []
            r["inputs"]["containerProperties"] = json.dumps(properties, sort_keys=True)
        if cloud == "azure" and r["type"] == "azure-native:app:Job":
            (container,) = r["inputs"]["template"]["containers"]
            container["env"] = [v for v in container["env"] if v["name"] != CODE_DIGEST]
            container["env"] += [{"name": CODE_DIGEST, "value": value}] if value else []


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_an_upgrade_that_changes_the_processor_tells_a_container_job_s_operator_to_rebuild_the_image(cloud, tmp_path):
    """A container job runs the image the operator built: an upgrade that changed the processor
    (the escaping of a partner's names, the manifest layout) showed "no changes" on AWS and no note
    on Azure, and the jobs went on running the old code. The job carries the image's processor
    digest (`image_digest`), and a change of it is an update with a note."""
    from groundlink.runtime.azure_functions import CODE_DIGEST
    from groundlink.runtime.package import image_digest

    from .conftest import spec_file, variant_plan, with_changes
    from .test_processing_cloud import CONTAINER_JOB

    spec = str(spec_file(with_changes(spec_data(), CONTAINER_JOB)))
    plan = variant_plan(cloud, CONTAINER_JOB)
    plan.write(tmp_path / "current.json")
    doc = json.loads((tmp_path / "current.json").read_text())
    assert CODE_DIGEST in json.dumps(doc) and image_digest() in json.dumps(doc)
    assert one_diff(str(tmp_path / "current.json"), spec, cloud).notes == ()
    for was, how in (("0" * 64, "changes"), (None, "is recorded for the first time")):
        _job_digest(doc, cloud, was)
        old = tmp_path / f"old-{how[:2]}.json"
        old.write_text(json.dumps(doc))
        diff = one_diff(str(old), spec, cloud)
        (note,) = diff.notes
        assert f"the processor's code {how} (the job's setting {CODE_DIGEST}): build the container image" in note
        assert not diff.data_loss


# What the data-loss gate says of edits built as states: no plan is needed to read them.
S3_LIFECYCLE_TYPE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"


def _states(*pairs: tuple[Resource | None, Resource | None], cloud: str = "aws") -> tuple[State, State]:
    """OLD and NEW, each holding the resources given on its side of each pair."""
    old = {b.key: b for b, _ in pairs if b is not None}
    new = {a.key: a for _, a in pairs if a is not None}
    return State(cloud, "plan", "old.json", old), State(cloud, "plan", "new.json", new)


def test_a_key_vault_s_soft_delete_retention_added_deletes_nothing_sooner():
    """Soft delete set on a Key Vault (`properties.softDeleteRetentionInDays` where OLD had none)
    keeps deleted keys for 90 days: safer, as blob soft delete added is. Read as a retention set
    where data was kept without end, the edit was refused as data deleted sooner."""
    added = PropertyChange("properties.softDeleteRetentionInDays", "+", None, 90)
    assert shortens_retention(added, "azure-native:keyvault:Vault") is False
    assert shortens_retention(PropertyChange("properties.softDeleteRetentionInDays", "~", 90, 7)) is True


def test_a_data_explorer_retention_set_where_data_was_kept_without_end_deletes_data():
    """Data Explorer's `softDeletePeriod` is the database's retention, not a soft delete: set on a
    database OLD kept without one (data never aged out), it deletes every row older than the
    period. Its name matched the soft-delete words, and the edit passed as deleting nothing."""
    database = "azure-native:kusto:ReadWriteDatabase"
    assert shortens_retention(PropertyChange("softDeletePeriod", "+", None, "P365D"), database) is True
    assert shortens_retention(PropertyChange("softDeletePeriod", "~", "P365D", "P30D"), database) is True
    assert shortens_retention(PropertyChange("softDeletePeriod", "~", "P30D", "P365D"), database) is False
    # a Key Vault's switch for soft delete turned on deletes nothing either
    switched_on = PropertyChange("properties.enableSoftDelete", "+", None, True)
    assert shortens_retention(switched_on, "azure-native:keyvault:Vault") is False


def test_fewer_old_versions_kept_deletes_sooner_and_more_kept_does_not():
    """S3's `newerNoncurrentVersions` counts the old versions kept whatever their age: lowered
    from 5 to 2, three versions of every object are deleted at once, and raised, none. The
    comparison turned round refused keeping more and let keeping fewer through."""
    path = "rules[0].noncurrentVersionExpiration.newerNoncurrentVersions"
    assert shortens_retention(PropertyChange(path, "~", 5, 2)) is True
    assert shortens_retention(PropertyChange(path, "~", 2, 5)) is False


def test_a_refusal_names_three_lowered_retentions_and_counts_the_rest():
    """Four rules of one lifecycle lowered in one edit: the data-loss line names the first three
    and counts the fourth as `and 1 more`, so the line stays one line and adds up."""

    def lifecycle(days: int) -> Resource:
        rules = [{"id": rule, "status": "Enabled", "expiration": {"days": days}} for rule in "abcd"]
        return Resource("lc", S3_LIFECYCLE_TYPE, "raw-lifecycle", {"bucket": "raw", "rules": rules}, False)

    diff = diff_states(*_states((lifecycle(365), lifecycle(30))))
    assert diff.at_risk_lines() == [
        f"aws: {S3_LIFECYCLE_TYPE} raw-lifecycle would delete data sooner (rules[0].expiration.days: 365 => 30, "
        "rules[1].expiration.days: 365 => 30, rules[2].expiration.days: 365 => 30 and 1 more)"
    ]


def test_a_hidden_input_that_may_replace_a_store_is_said_once_not_again_as_a_retention():
    """A store of a type without replacement rules may be replaced by any input; its retention
    held as a secret in OLD is one such input. The refusal says once that the store may be
    replaced (which takes all its data), not a second time that it may delete data sooner, and
    the summary counts it among `mayReplace` only."""
    store = "aws:example/store:Store"  # no rules recorded: any change may replace it
    before = Resource("s", store, "vault-store", {"retentionInDays": SECRET}, True)
    after = Resource("s", store, "vault-store", {"retentionInDays": 30}, True)
    diff = diff_states(*_states((before, after)))
    assert diff.at_risk_lines() == [
        f"aws: {store} vault-store may be replaced: its retentionInDays, which forces a replacement, is [secret] in "
        "OLD and cannot be compared (export with --show-secrets)"
    ]
    summary = diff.to_json()["summary"]
    assert (summary["mayReplace"], summary["mayShortenRetention"], summary["dataAtRisk"]) == (1, 0, 1)


def test_a_store_replaced_anyway_is_not_also_said_to_maybe_be_replaced_by_a_hidden_input():
    """A log group renamed is replaced (`name` forces it), which its refusal line says; its
    `logGroupClass`, also forcing, is a secret in OLD. No second line says it `may be replaced`
    on that input: it is replaced whatever the secret holds."""
    group = "aws:cloudwatch/logGroup:LogGroup"
    before = Resource("g", group, "contact-logs", {"name": "old-logs", "logGroupClass": SECRET}, False)
    after = Resource("g", group, "contact-logs", {"name": "new-logs", "logGroupClass": "STANDARD"}, False)
    diff = diff_states(*_states((before, after)))
    assert diff.at_risk_lines() == [f"aws: {group} contact-logs would be replaced (forced by name): data loss"]
    assert [n.to_json()["mayReplace"] for n in diff.not_compared] == [False]


def test_a_retired_orbital_resource_only_unprotected_is_no_change_azure_refuses():
    """Protection taken off a retired Orbital spacecraft is the stack's own state, no call to
    Azure: it is refused as unprotecting a store, never as an update `pulumi up` cannot make."""
    craft = "azure-native:orbital:Spacecraft"
    inputs = {"spacecraftName": "noaa20", "links": []}
    before, after = (Resource("sc", craft, "noaa20-spacecraft", inputs, held) for held in (True, False))
    diff = diff_states(*_states((before, after), cloud="azure"))
    assert [(c.action, [p.path for p in c.properties]) for c in diff.changes] == [("update", [PROTECTION])]
    assert diff.unappliable == ()


def test_a_resource_whose_region_old_does_not_record_is_not_moved():
    """OLD without a region for a resource (none recorded for its provider) against NEW's
    us-east-1: nothing says it moved, so it is unchanged, not replaced by `(provider region)`."""
    queue = "aws:sqs/queue:Queue"
    before = Resource("q", queue, "contacts", {"name": "contacts"}, True, region=None)
    after = Resource("q", queue, "contacts", {"name": "contacts"}, True, region="us-east-1")
    diff = diff_states(*_states((before, after)))
    assert (diff.changes, diff.unchanged) == ((), 1)
