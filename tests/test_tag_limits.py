"""The spec may hold 50 tags (46 extra), which most resources take; an S3 object takes 10, a
Key Vault key, an Azure storage account and a private DNS zone or link 15, so those get
groundlink's four and as many extra tags as fit, in the spec's order, and the plan warns of the rest. A plan with 16 tags on any of
them would have failed at `pulumi up`."""

from __future__ import annotations

import importlib
import json
import re
from functools import cache

import pytest

from groundlink import limits
from groundlink.spec import GROUNDLINK_TAGS

from .conftest import variant_plan

EXTRA = {f"team-{i:02d}": f"value-{i:02d}" for i in range(limits.TAGS_PER_RESOURCE_MAX - len(GROUNDLINK_TAGS))}


@pytest.mark.parametrize(
    ("cloud", "type_token", "most", "what"),
    [
        (
            "aws",
            "aws:s3/bucketObjectv2:BucketObjectv2",
            limits.S3_OBJECT_TAGS_MAX,
            "the processing dependencies archive (an S3 object)",
        ),
        ("azure", "azure-native:keyvault:Key", limits.KEY_VAULT_KEY_TAGS_MAX, "a Key Vault key"),
        ("azure", "azure-native:storage:StorageAccount", limits.AZURE_STORAGE_ACCOUNT_TAGS_MAX, "the storage account"),
    ],
)
def test_resources_that_take_fewer_tags_get_groundlinks_and_the_first_extra_ones(cloud, type_token, most, what):
    plan = variant_plan(cloud, {"mission.tags": EXTRA})
    [limited] = plan.of_type(type_token)
    tags = limited.inputs["tags"]
    assert len(tags) == most == {"aws": 10, "azure": 15}[cloud]
    assert set(tags) == {*GROUNDLINK_TAGS, *list(EXTRA)[: most - len(GROUNDLINK_TAGS)]}
    left = list(EXTRA)[most - len(GROUNDLINK_TAGS) :]
    [warning] = [w for w in plan.warnings if w.startswith(f"mission.tags: {what}")]
    assert warning == (
        f"mission.tags: {what} takes at most {most} tags: it carries groundlink's own, then the spec's while "
        f"they fit, not {', '.join(left[:5])} and {len(left) - 5} more"
    )
    # every other taggable resource carries all 50
    full = [r for r in plan.resources if r.type != type_token and len(r.inputs.get("tags") or {}) == 50]
    assert len(full) > 10


def test_tags_that_fit_everywhere_raise_no_warning():
    plan = variant_plan("azure", {"mission.tags": dict(list(EXTRA.items())[:11])})  # 15 in all
    assert not [w for w in plan.warnings if w.startswith("mission.tags:")]
    [account] = plan.of_type("azure-native:storage:StorageAccount")
    assert len(account.inputs["tags"]) == 15


_SDK_TAG_LIMIT = re.compile(r"maximum of (\d+) tags", re.IGNORECASE)


@cache
def _documented_tag_limit(type_token: str) -> int | None:
    """The tag limit the installed provider SDK documents for a resource type's `tags`, if any
    (pulumi_azure_native carries the resource providers' API docs: the Storage RP's "A maximum of
    15 tags can be provided for a resource")."""
    package, module, name = type_token.split(":")
    root = {"aws": "pulumi_aws", "aws-native": "pulumi_aws_native", "azure-native": "pulumi_azure_native"}[package]
    path = module.split("/")[0].replace("-", "_")
    sdk = importlib.import_module(f"{root}.{path}_" if path == "lambda" else f"{root}.{path}")
    args = getattr(sdk, f"{name}Args", None)
    tags = getattr(args, "tags", None)  # the property's docstring: what the SDK says of `tags`
    found = _SDK_TAG_LIMIT.search(tags.__doc__ or "") if tags is not None else None
    return int(found[1]) if found else None


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_no_resource_carries_more_tags_than_its_sdk_documents(cloud):
    """The class of the storage account's 15: every planned type is read against what its SDK
    says, so a type added later with a documented limit is caught here."""
    plan = variant_plan(cloud, {"mission.tags": EXTRA})
    limited = {r.type: _documented_tag_limit(r.type) for r in plan.resources if r.custom and r.inputs.get("tags")}
    over = {
        t: n for t, n in limited.items() if n is not None and any(len(r.inputs["tags"]) > n for r in plan.of_type(t))
    }
    assert over == {}
    if cloud == "azure":  # the SDK's documented limits are read at all
        assert limited["azure-native:storage:StorageAccount"] == 15


_FULL = {"mission.tags": EXTRA}
# every resource that carries a tag of its own: VPCs and subnets of the private network and of
# the container jobs' network
_OWN_TAGS = {
    **_FULL,
    "security.network": "private",
    "processing.mode": "container_job",
    "processing.timeout_seconds": 7200,
    "processing.container_image": "ghcr.io/example/groundlink:1.0",
}


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_no_resource_carries_more_than_fifty_tags_even_with_its_own(cloud):
    """A VPC and its subnet carry a `Name` tag beside the mission's: with the spec's 46 extra tags
    they had 51, which EC2 refuses ("Each resource can have a maximum of 50 tags", botocore
    `ec2` CreateTags); the spec's last tag gives way, and the plan says so."""
    plan = variant_plan(cloud, _OWN_TAGS)
    counts = {r.name: len(r.inputs.get("tags") or {}) for r in plan.resources if r.custom}
    assert max(counts.values()) == limits.TAGS_PER_RESOURCE_MAX
    assert [name for name, n in counts.items() if n > limits.TAGS_PER_RESOURCE_MAX] == []
    if cloud == "aws":
        vpcs = plan.of_type("aws:ec2/vpc:Vpc")
        assert len(vpcs) == 2 and all(v.inputs["tags"]["Name"] == v.name for v in vpcs)
        assert any(
            w.startswith("mission.tags: a VPC, beside its Name tag, takes at most 49 tags: ") for w in plan.warnings
        )
        # the roles that write the private stores from outside the VPC keep the tag the stores admit them by
        outside = [r for r in plan.of_type("aws:iam/role:Role") if "outside-vpc-writer" in r.inputs["tags"]]
        assert len(outside) == 3 and all(len(r.inputs["tags"]) == limits.TAGS_PER_RESOURCE_MAX for r in outside)
        assert any(
            w.startswith(
                "mission.tags: a role writing the stores from outside the VPC, beside its outside-vpc-writer tag, "
                "takes at most 49 tags: "
            )
            for w in plan.warnings
        )


def test_a_legacy_contact_profile_keeps_its_mtu_tag_within_fifty():
    plan = variant_plan("azure", _FULL, base="aqua-legacy.yaml")
    profiles = plan.of_type("azure-native:orbital:ContactProfile")
    assert profiles and all(len(p.inputs["tags"]) == 50 and "endpoint-mtu" in p.inputs["tags"] for p in profiles)


_PRIVATE_DNS = ("azure-native:privatedns:PrivateZone", "azure-native:privatedns:VirtualNetworkLink")


@pytest.mark.parametrize("engine", ["synapse", "adx"])
def test_private_dns_zones_and_links_take_fifteen_tags_and_no_key_with_a_colon_or_a_leading_digit(engine):
    """ARM refuses a private DNS zone or link with a 16th tag, drops a tag whose key holds a
    colon without an error, and Azure DNS takes no tag key starting with a digit
    (groundlink/limits.py): the zones of the stores and of each query engine get groundlink's
    four and the spec's first extra tags, never one of those; every other resource keeps them all."""
    # 50 in all: the first extra one with a colon, the second starting with a digit
    tags = {"cost:center": "ops", "2025-budget": "q1", **dict(list(EXTRA.items())[:-2])}
    plan = variant_plan(
        "azure", {"mission.tags": tags, "security.network": "private", "analytics.azure_engine": engine}
    )
    dns = [r for r in plan.resources if r.type in _PRIVATE_DNS]
    zones = {r.inputs["privateZoneName"] for r in plan.of_type(_PRIVATE_DNS[0])}
    assert (
        len(dns) == 2 * len(zones) and {"privatelink.blob.core.windows.net", "privatelink.vaultcore.azure.net"} <= zones
    )
    assert any(("azuresynapse" if engine == "synapse" else "kusto") in zone for zone in zones)
    kept = list(EXTRA)[: limits.AZURE_PRIVATE_DNS_TAGS_MAX - len(GROUNDLINK_TAGS)]
    for resource in dns:
        assert set(resource.inputs["tags"]) == {*GROUNDLINK_TAGS, *kept}, resource.name
    assert (
        "mission.tags: a private DNS zone or link takes no tag whose key holds ':' (dropped without an error) or "
        "starts with a digit, so it is left off there: cost:center, 2025-budget"
    ) in plan.warnings
    assert any(w.startswith("mission.tags: a private DNS zone or link takes at most 15 tags: ") for w in plan.warnings)
    [endpoint, *_] = plan.of_type("azure-native:network:PrivateEndpoint")
    assert len(endpoint.inputs["tags"]) == limits.TAGS_PER_RESOURCE_MAX
    assert {"cost:center", "2025-budget"} <= set(endpoint.inputs["tags"])


def test_private_dns_zones_keep_every_tag_that_fits_without_a_warning():
    plan = variant_plan(
        "azure", {"mission.tags": dict(list(EXTRA.items())[:11]), "security.network": "private"}
    )  # 15 in all, no colon
    dns = [r for r in plan.resources if r.type in _PRIVATE_DNS]
    assert dns and all(len(r.inputs["tags"]) == 15 for r in dns)
    assert not [w for w in plan.warnings if w.startswith("mission.tags:")]


# --- the stack's provider default tags (aws:defaultTags, aws-native:defaultTags)

_DEFAULTS = {"env": "prod", "cost-centre": "ops", "team-00": "provider"}


def _with_defaults(changes: dict, defaults: dict, setting: str = "aws:defaultTags"):
    from groundlink.engine import plan

    from .conftest import spec_data, spec_file, with_changes

    return plan(
        spec_file(with_changes(spec_data("noaa20.yaml"), changes)),
        "aws",
        extra_config={setting: json.dumps({"tags": defaults})},
    )


@pytest.mark.parametrize("package", ["aws", "aws-native"])
def test_each_providers_default_tags_take_their_room_on_its_own_resources(package):
    """AWS counts a resource's merged tags (its own and its provider's `default_tags`, the
    provider's `tags_all`): 46 extra spec tags beside two default tags made 52 on every
    resource, and 12 on the S3 object, which `pulumi up` would refuse. Each provider merges its
    own only: aws-native's default tags never reach a pulumi-aws resource, nor aws's the Ground
    Station ones, whose tags stay whole. A default tag the spec also sets (team-00) takes no
    room of its own: the resource's value replaces it."""
    plan = _with_defaults({**_FULL, "processing.mode": "function"}, _DEFAULTS, f"{package}:defaultTags")
    tagged = [r for r in plan.resources if r.custom and r.inputs.get("tags")]
    mine = [r for r in tagged if r.type.split(":")[0] == package]
    assert len(tagged) > 25 and len(mine) >= 2 and len(tagged) - len(mine) >= 2
    for resource in tagged:
        tags = resource.inputs["tags"]
        keys = {t["key"] for t in tags} if isinstance(tags, list) else set(tags)
        most = limits.S3_OBJECT_TAGS_MAX if resource.type.startswith("aws:s3/bucketObject") else 50
        if resource in mine:  # the defaults' room taken: team-44 and team-45 gave way
            assert len(keys | set(_DEFAULTS)) == most and "team-45" not in keys, resource.name
        else:  # the other provider's defaults never reach it: as full as it would be without them
            assert len(keys) == most, resource.name
    assert (
        "mission.tags: a resource takes at most 50 tags beside the 3 default tags of "
        f"{package}:defaultTags: it carries groundlink's own, then the spec's while they fit, not team-44, team-45"
    ) in plan.warnings
    [role] = [r for r in plan.of_type("aws:iam/role:Role") if r.name == "noaa20-processing-role"]
    [archive] = plan.of_type("aws:s3/bucketObjectv2:BucketObjectv2")
    if package == "aws":
        assert set(role.inputs["tags"]) == {*GROUNDLINK_TAGS, *list(EXTRA)[:44]}  # team-00 to team-43
        assert set(archive.inputs["tags"]) == {*GROUNDLINK_TAGS, "team-00", "team-01", "team-02", "team-03"}
    else:
        assert set(role.inputs["tags"]) == {*GROUNDLINK_TAGS, *EXTRA}
        assert set(archive.inputs["tags"]) == {*GROUNDLINK_TAGS, *list(EXTRA)[:6]}


def test_a_default_tag_of_a_resources_own_key_is_counted_once():
    """A VPC's own `Name` replaces a default `Name`: counted twice, the spec's last tag gave way
    to a tag the VPC never gets twice."""
    plan = _with_defaults(
        {"mission.tags": dict(list(EXTRA.items())[:45]), "security.network": "private"}, {"Name": "corp"}
    )
    vpc, subnet = plan.of_type("aws:ec2/vpc:Vpc")[0], plan.of_type("aws:ec2/subnet:Subnet")[0]
    for resource in (vpc, subnet):
        assert len(resource.inputs["tags"]) == 50 and resource.inputs["tags"]["Name"] == resource.name
    assert not [w for w in plan.warnings if w.startswith(("mission.tags: a VPC", "mission.tags: a subnet"))]
    # a role, whose own tag is not `Name`, carries the default beside it: the spec's last tag gives way
    assert any(
        w.startswith("mission.tags: a role writing the stores") and w.endswith("not team-44") for w in plan.warnings
    )


def test_default_tags_that_fit_beside_the_mission_tags_change_nothing():
    plan = _with_defaults({"mission.tags": dict(list(EXTRA.items())[:2])}, _DEFAULTS)
    assert plan.resources == variant_plan("aws", {"mission.tags": dict(list(EXTRA.items())[:2])}).resources
    assert not [w for w in plan.warnings if w.startswith("mission.tags:")]


def test_default_tags_that_leave_no_room_for_groundlinks_own_are_refused_naming_the_setting():
    """Seven default tags beside groundlink's four make 11 on the processor libraries' S3 object:
    the program stops before anything registers there, in one line naming the setting."""
    from groundlink.engine import PlanError

    defaults = {f"d{i}": "x" for i in range(7)}
    with pytest.raises(PlanError) as raised:
        _with_defaults({"processing.mode": "function"}, defaults)
    assert str(raised.value).endswith(
        "aws:defaultTags: 7 default tags leave the processing dependencies archive (an S3 object), which takes "
        "at most 10, no room for groundlink's own managed-by; keep at most 6 default tags besides groundlink's "
        "(mission, owner, data-classification, managed-by)"
    )
    assert _with_defaults({"processing.mode": "function"}, dict(list(defaults.items())[:6])).resources


def test_a_spec_name_tag_names_the_vpc_and_subnet_too():
    """groundlink names the mission VPC and its subnet with a `Name` tag of their own; a spec whose
    tags hold a `Name` for every resource got it on every resource but those two, replaced without
    a word. The spec's tag is the user's choice, and it is kept there too."""
    plan = variant_plan("aws", {"mission.tags": {"Name": "custom-name"}, "security.network": "private"})
    named = plan.of_type("aws:ec2/vpc:Vpc") + plan.of_type("aws:ec2/subnet:Subnet")
    assert len(named) == 2
    assert [r.inputs["tags"]["Name"] for r in named] == ["custom-name", "custom-name"]
    tagged = [r for r in plan.resources if r.custom and "Name" in (r.inputs.get("tags") or {})]
    assert len(tagged) > 20 and {r.inputs["tags"]["Name"] for r in tagged} == {"custom-name"}
    # without it, each keeps its own console name
    plain = variant_plan("aws", {"security.network": "private"})
    own = plain.of_type("aws:ec2/vpc:Vpc") + plain.of_type("aws:ec2/subnet:Subnet")
    assert [r.inputs["tags"]["Name"] for r in own] == [r.name for r in own]


@pytest.mark.parametrize(
    ("package", "key"),
    [("aws", "outside-vpc-writer"), ("aws-native", "Outside-VPC-Writer"), ("aws", "endpoint-mtu")],
)
def test_a_default_tag_groundlink_sets_on_some_resources_only_is_refused(package, key):
    """`aws:defaultTags` with outside-vpc-writer put it on every role, each one then admitted past
    the private network's bucket policies, which admit only the roles writing from AWS's network:
    `mission.tags` may not hold it, and the provider's defaults reached every role all the same."""
    from groundlink.engine import PlanError

    with pytest.raises(PlanError) as refused:
        _with_defaults({"security.network": "private"}, {**_DEFAULTS, key: "noaa20"}, f"{package}:defaultTags")
    message = str(refused.value)
    assert message.startswith(f"{package}:defaultTags: {key!r} is a tag groundlink sets on some resources only")
    assert message.endswith("not allowed: outside-vpc-writer, endpoint-mtu, in any case")
    assert "\n" not in message
    _with_defaults({"security.network": "private"}, _DEFAULTS, f"{package}:defaultTags")  # others plan
