"""A virtual network's address space moved off a subnet: azure-native updates it in place, Azure
refuses it at `pulumi up`. `groundlink diff` refuses it whatever --allow-data-loss says."""

from __future__ import annotations

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
        "deployed range (clouds.azure.network_cidr), or delete the subnet and what runs in it first",
    )
    assert not diff.data_loss  # nothing is lost: the update fails
    assert f"    cannot apply: {diff.unappliable[0]}" in render_text(diff)
    assert diff.to_json()["unappliable"] == list(diff.unappliable)
    assert diff.to_json()["summary"]["unappliable"] == 1
    for allow in (False, True):  # --allow-data-loss does not accept it
        assert diff_command.verdict([diff], allow, NOAA20, moved) == EXIT_FAILED
        err = capsys.readouterr().err.splitlines()
        assert err == [
            diff.unappliable[0],
            "groundlink: refusing a change the cloud rejects at pulumi up: the spec changes "
            "clouds.azure.network_cidr (10.42.0.0/24 => 10.99.0.0/24): revert it (--allow-data-loss does not "
            "accept it)",
        ]


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
