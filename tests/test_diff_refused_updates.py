"""Updates azure-native makes in place and Azure refuses at `pulumi up`: a virtual network's range
taken off a subnet, a subnet moved while something runs in it, a Container Apps environment
moved to another subnet, a storage account's zone redundancy changed by its SKU. `groundlink diff` refuses
them whatever --allow-data-loss says."""

from __future__ import annotations

import json

from groundlink.app import diff_command
from groundlink.diff import State, diff_states, render_text
from groundlink.diff.run import diff_against, unappliable_lines
from groundlink.diff.state import Resource
from groundlink.errors import EXIT_FAILED, EXIT_OK
from groundlink.report.compare_console import _refused_for
from groundlink.report.sections import refusal

from .conftest import SPECS, spec_data
from .plan_cache import plan_of, spec_file

VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
NOAA20 = str(SPECS / "noaa20.yaml")


def _cidr(value: str) -> str:
    data = spec_data()
    data["clouds"]["azure"]["network_cidr"] = value
    return spec_file(data)


def _azure(old: str, new: str):
    (diff,) = diff_against(old, new, ["azure"], planner=plan_of)
    return diff


def test_moving_the_azure_network_range_is_refused_as_a_change_azure_rejects(capsys):
    moved = _cidr("10.99.0.0/24")
    diff = _azure(NOAA20, moved)
    assert diff.unappliable == (
        f"azure: {VNET} noaa20-security-processing-vnet would take 10.42.0.128/25 out of its address space "
        "(10.99.0.0/24 in NEW) while its subnet noaa20-security-processing is in it, which Azure refuses: keep the "
        "deployed range, or delete the subnet and what runs in it first",
        f"azure: {SUBNET} noaa20-security-processing would move from 10.42.0.128/25 to 10.99.0.128/25 while "
        "azure-native:web:WebApp noaa20-processing-app is in it, which Azure refuses: keep the deployed range, or "
        "move or delete what runs in the subnet first",
    )
    assert not diff.data_loss  # nothing is lost: the update fails
    assert f"    cannot apply: {diff.unappliable[0]}" in render_text(diff)
    assert diff.to_json()["unappliable"] == list(diff.unappliable)
    assert diff.to_json()["summary"]["unappliable"] == 2
    for allow in (False, True):  # --allow-data-loss does not accept it
        assert diff_command.verdict([diff], allow, NOAA20, moved) == EXIT_FAILED
        err = capsys.readouterr().err.splitlines()
        assert err == [
            *diff.unappliable,
            "groundlink: refusing a change the cloud rejects at pulumi up: the spec changes "
            "clouds.azure.network_cidr (10.42.0.0/24 => 10.99.0.0/24): revert it (--allow-data-loss does not "
            "accept it)",
        ]


def test_widening_the_range_so_that_its_first_24_moves_moves_the_subnets_and_is_refused():
    """The subnets are the halves of the range's first /24: 10.42.1.0/24 widened to 10.42.0.0/23
    keeps the old range inside the new one, and still moves both subnets."""
    diff = _azure(_cidr("10.42.1.0/24"), _cidr("10.42.0.0/23"))
    assert diff.unappliable == (
        f"azure: {SUBNET} noaa20-security-processing would move from 10.42.1.128/25 to 10.42.0.128/25 while "
        "azure-native:web:WebApp noaa20-processing-app is in it, which Azure refuses: keep the deployed range, or "
        "move or delete what runs in the subnet first",
    )


def test_widening_the_range_around_its_subnets_applies():
    diff = _azure(NOAA20, _cidr("10.42.0.0/23"))
    assert [(c.type, c.action) for c in diff.changes] == [(VNET, "update")]
    assert diff.unappliable == () and unappliable_lines([diff]) == []
    assert diff_command.verdict([diff], False, NOAA20, "new.yaml") == EXIT_OK


def _state(*resources: Resource) -> State:
    return State("azure", "plan", "x", {r.key: r for r in resources})


def _vnet(prefixes, subnets=None, key: str = "vnet") -> Resource:
    inputs = {"addressSpace": {"addressPrefixes": prefixes}, **({"subnets": subnets} if subnets else {})}
    return Resource(key, VNET, "net", inputs, False)


def _subnet(prefix, vnet: str = "vnet", field: str = "addressPrefix") -> Resource:
    return Resource("subnet", SUBNET, "sub", {field: prefix}, False, {"virtualNetworkName": (vnet,)})


def test_a_subnet_resource_of_another_network_or_inside_the_new_range_is_no_refusal():
    assert (
        diff_states(_state(_vnet(["10.0.0.0/24"]), _subnet("10.0.0.0/25")), _state(_vnet(["10.0.0.0/25"]))).unappliable
        == ()
    )
    other = _state(_vnet(["10.0.0.0/24"]), _subnet("10.0.0.0/25", vnet="elsewhere"))
    assert diff_states(other, _state(_vnet(["10.1.0.0/24"]))).unappliable == ()


def test_a_range_shrunk_off_a_subnet_is_refused_whichever_way_the_subnet_is_written():
    for field, prefix in (("addressPrefix", "10.0.0.128/25"), ("addressPrefixes", ["10.0.0.128/25"])):
        old = _state(_vnet(["10.0.0.0/24"]), _subnet(prefix, field=field))
        (line,) = diff_states(old, _state(_vnet(["10.0.0.0/25"]))).unappliable
        assert "would take 10.0.0.128/25 out of its address space (10.0.0.0/25 in NEW) while its subnet sub" in line


def test_an_inline_subnet_counts_and_a_range_added_beside_it_keeps_it():
    inline = [{"name": "apps", "addressPrefix": "10.0.0.0/26"}]
    old = _state(_vnet(["10.0.0.0/24"], inline))
    (line,) = diff_states(old, _state(_vnet(["10.5.0.0/24"], inline))).unappliable
    assert "while its subnet apps is in it" in line
    assert diff_states(old, _state(_vnet(["10.0.0.0/24", "10.5.0.0/24"], inline))).unappliable == ()


def test_an_unknown_range_or_a_replaced_network_is_not_judged():
    old = _state(_vnet(["10.0.0.0/24"]), _subnet("10.0.0.0/25"))
    assert diff_states(old, _state(_vnet(["(computed)"]))).unappliable == ()
    assert diff_states(_state(_vnet(["10.0.0.0/24"]), _subnet(None)), _state(_vnet(["10.1.0.0/24"]))).unappliable == ()
    moved = _vnet(["10.1.0.0/24"])  # another resource group: a new network, created with its own range
    moved = Resource(moved.key, VNET, "net", {**moved.inputs, "resourceGroupName": "rg2"}, False)
    old = _state(Resource("vnet", VNET, "net", {**_vnet(["10.0.0.0/24"]).inputs, "resourceGroupName": "rg1"}, False))
    diff = diff_states(_state(*old.resources.values(), _subnet("10.0.0.0/25")), _state(moved))
    assert [c.action for c in diff.changes if c.type == VNET] == ["replace"] and diff.unappliable == ()


def test_an_ipv6_subnet_is_kept_only_by_an_ipv6_range():
    old = _state(_vnet(["10.0.0.0/24", "fd00::/48"]), _subnet("fd00::/64"))
    assert diff_states(old, _state(_vnet(["10.0.0.0/24", "fd00::/48"]))).unappliable == ()
    (line,) = diff_states(old, _state(_vnet(["10.0.0.0/24"]))).unappliable
    assert "would take fd00::/64 out" in line


def test_compare_names_the_rejected_change_as_its_refusal():
    doc = {"diff": {"against": "old.json", "refused": True, "dataLoss": [], "unappliable": ["azure: x"]}}
    assert refusal(doc) == (
        "applying the spec over old.json makes 1 change(s) the cloud rejects at pulumi up (azure: x); the command "
        "exited 1, whatever --allow-data-loss says"
    )
    assert _refused_for(doc) == "a change the cloud rejects"
    assert _refused_for({"diff": {"dataLoss": ["aws: y"], "unappliable": []}}) == "data loss"


def _user(type_token: str, subnet: str = "subnet") -> Resource:
    return Resource(f"{type_token}::u", type_token, "u", {"subnetRef": "x"}, False, {"subnetRef": (subnet,)})


def test_a_subnet_moved_is_refused_only_while_something_runs_in_it():
    before, after = _subnet("10.0.0.0/25"), _subnet("10.0.0.128/25")
    space = _vnet(["10.0.0.0/24"])
    endpoint = _user("azure-native:network:PrivateEndpoint")
    (line,) = diff_states(_state(space, before, endpoint), _state(space, after, endpoint)).unappliable
    assert line == (
        f"azure: {SUBNET} sub would move from 10.0.0.0/25 to 10.0.0.128/25 while azure-native:network:PrivateEndpoint "
        "u is in it, which Azure refuses: keep the deployed range, or move or delete what runs in the subnet first"
    )
    assert diff_states(_state(space, before), _state(space, after)).unappliable == ()
    # a storage account's firewall names the subnet; nothing of it runs there
    rule = _user("azure-native:storage:StorageAccount")
    assert diff_states(_state(space, before, rule), _state(space, after, rule)).unappliable == ()
    # the same range written as a list, or as a one-item list: no move
    listed = _subnet(["10.0.0.0/25"], field="addressPrefixes")
    assert diff_states(_state(space, before, endpoint), _state(space, listed, endpoint)).unappliable == ()


ENVIRONMENT = "azure-native:app:ManagedEnvironment"


def _environment(subnet) -> Resource:
    return Resource("env", ENVIRONMENT, "env", {"vnetConfiguration": {"infrastructureSubnetId": subnet}}, False)


def test_a_container_apps_environment_moved_to_another_subnet_is_refused():
    old = _state(
        _environment("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/a/subnets/p")
    )
    new = _state(
        _environment("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/b/subnets/p")
    )
    (line,) = diff_states(old, new).unappliable
    assert line.startswith(
        f"azure: {ENVIRONMENT} env would move to another subnet (vnetConfiguration.infrastructureSubnetId), which "
        "Azure sets at creation only"
    )
    assert diff_states(old, old).unappliable == ()
    assert diff_states(old, _state(_environment(None))).unappliable == ()  # not known yet: not judged


def test_switching_to_a_private_network_with_container_jobs_is_refused_and_processing_off_first_applies():
    jobs = spec_data()
    jobs["processing"].update(mode="container_job", container_image="ghcr.io/example/processor:1")
    jobs["processing"].pop("memory_mb", None)
    private = json.loads(json.dumps(jobs))
    private["security"]["network"] = "private"
    off = json.loads(json.dumps(jobs))
    off["processing"]["enabled"] = False
    (line,) = _azure(spec_file(jobs), spec_file(private)).unappliable
    assert f"{ENVIRONMENT} noaa20-processing-environment would move to another subnet" in line
    # the way the line gives: processing off (nothing it holds is a store), then the switch
    assert (
        _azure(spec_file(jobs), spec_file(off)).unappliable == ()
        and not _azure(spec_file(jobs), spec_file(off)).data_loss
    )
    on_again = json.loads(json.dumps(private))
    assert _azure(spec_file(off), spec_file(on_again)).unappliable == ()


def test_switching_processing_mode_on_azure_is_refused_and_processing_off_first_applies():
    """A Flex app and a Container Apps environment cannot share a subnet (docs/processing.md),
    and the engine deletes what NEW drops only after creating what it adds: switching
    processing.mode would create the one while the other still holds the processing subnet.
    The line gives the way that applies: processing off, then the new mode."""
    function = spec_data()
    jobs = json.loads(json.dumps(function))
    jobs["processing"].update(mode="container_job", container_image="ghcr.io/example/processor:1")
    jobs["processing"].pop("memory_mb", None)
    off = json.loads(json.dumps(jobs))
    off["processing"]["enabled"] = False
    advice = (
        "which Azure refuses: turn processing off (processing.enabled: false) and apply, then switch "
        "processing.mode and turn it on again"
    )
    (line,) = _azure(spec_file(jobs), spec_file(function)).unappliable
    assert line == (
        "azure: azure-native:web:WebApp noaa20-processing-app would join subnet noaa20-security-processing while "
        f"{ENVIRONMENT} noaa20-processing-environment, deleted only once the update has created what it adds, still "
        f"holds it (a Flex app and a Container Apps environment cannot share a subnet), {advice}"
    )
    (line,) = _azure(spec_file(function), spec_file(jobs)).unappliable
    assert line.startswith(f"azure: {ENVIRONMENT} noaa20-processing-environment would join subnet") and line.endswith(
        advice
    )
    # the way the line gives
    assert _azure(spec_file(jobs), spec_file(off)).unappliable == ()
    assert _azure(spec_file(off), spec_file(function)).unappliable == ()


def _account(sku: str) -> Resource:
    inputs = {"accountName": "stnoaa20", "resourceGroupName": "rg-noaa20", "sku": {"name": sku}, "kind": "StorageV2"}
    return Resource("account", "azure-native:storage:StorageAccount", "noaa20-storage-account", inputs, True)


def test_a_storage_account_s_zone_redundancy_changed_by_its_sku_is_refused() -> None:
    """A stack deployed when the stores were LRS read its upgrade to ZRS as a plain update, which
    Azure refuses: zone redundancy is added or removed by a conversion, geo-replication and read
    access by the SKU (Microsoft Learn, "Change how a storage account is replicated")."""
    for was, now, verb in (("Standard_LRS", "Standard_ZRS", "add"), ("Standard_GZRS", "Standard_GRS", "remove")):
        diff = diff_states(_state(_account(was)), _state(_account(now)))
        assert diff.unappliable == (
            f"azure: azure-native:storage:StorageAccount noaa20-storage-account would {verb} zone redundancy by its "
            f"SKU ({was} to {now}), which Azure refuses: a change of zone redundancy is a conversion, not a SKU "
            f"update: convert the account first (Azure portal, Redundancy, or Start-AzStorageAccountMigration "
            f"-TargetSku {now}), then apply",
        )
    for was, now in (("Standard_ZRS", "Standard_GZRS"), ("Standard_GZRS", "Standard_RAGZRS"), ("Standard_LRS", "x")):
        assert diff_states(_state(_account(was)), _state(_account(now))).unappliable == ()


def test_a_subnet_moved_under_two_users_names_the_first_and_counts_the_other():
    """A Flex app and a private endpoint in the subnet: the line names the first (sorted) and says
    `and 1 more`, the count of the others, not of all."""
    before, after = _subnet("10.0.0.0/25"), _subnet("10.0.0.128/25")
    users = (_user("azure-native:web:WebApp"), _user("azure-native:network:PrivateEndpoint"))
    (line,) = diff_states(_state(before, *users), _state(after, *users)).unappliable
    assert line == (
        f"azure: {SUBNET} sub would move from 10.0.0.0/25 to 10.0.0.128/25 while azure-native:network:PrivateEndpoint "
        "u and 1 more is in it, which Azure refuses: keep the deployed range, or move or delete what runs in the "
        "subnet first"
    )


def test_a_subnet_s_ranges_listed_in_another_order_are_no_move():
    """`addressPrefixes` as a refreshed checkpoint may order them: the same two ranges, so the
    subnet stays where it is and nothing is refused."""
    endpoint = _user("azure-native:network:PrivateEndpoint")
    before = _subnet(["10.0.0.0/25", "10.0.1.0/25"], field="addressPrefixes")
    after = _subnet(["10.0.1.0/25", "10.0.0.0/25"], field="addressPrefixes")
    assert diff_states(_state(before, endpoint), _state(after, endpoint)).unappliable == ()


def test_an_environment_s_subnet_id_spelt_in_another_case_is_no_move():
    """ARM resource ids are compared without case: a checkpoint's `/Subnets/` for NEW's
    `/subnets/` names the same subnet, so the environment does not move and nothing is refused."""
    subnet_id = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/net/subnets/jobs"
    before, after = _environment(subnet_id.replace("/subnets/", "/Subnets/")), _environment(subnet_id)
    assert diff_states(_state(before), _state(after)).unappliable == ()


def test_a_sku_name_in_lower_case_is_still_judged_for_zone_redundancy():
    """`standard_lrs`, as a hand-written or imported checkpoint may hold it, is LRS: moving to
    Standard_ZRS adds zone redundancy and is refused as a conversion Azure does not make by SKU."""
    (line,) = diff_states(_state(_account("standard_lrs")), _state(_account("Standard_ZRS"))).unappliable
    assert "would add zone redundancy by its SKU (standard_lrs to Standard_ZRS)" in line


def test_a_flex_app_replaced_by_another_in_the_same_subnet_is_not_refused():
    """A Flex app renamed: the new app joins the subnet the old one leaves. Only a Flex app and a
    Container Apps environment cannot share a subnet; two apps are no such pair."""
    app = "azure-native:web:WebApp"
    subnet = _subnet("10.0.0.0/25")

    def flex(name: str) -> Resource:
        return Resource(
            name, app, name, {"virtualNetworkSubnetId": "x"}, False, {"virtualNetworkSubnetId": ("subnet",)}
        )

    assert diff_states(_state(subnet, flex("old-app")), _state(subnet, flex("new-app"))).unappliable == ()
