"""Only Azure Orbital Ground Station's own resources are the retired ones: the SDK's orbital
module holds live services too, which a deployed stack may delete and create again."""

from __future__ import annotations

import pytest

from groundlink import limits
from groundlink.diff.changes import Change


def test_the_pack_and_the_diff_name_the_same_retired_types():
    from policies import tokens

    assert set(tokens.ORBITAL_RETIRED) == {
        f"azure-native:orbital:{name}" for name in limits.AZURE_ORBITAL_RETIRED_TYPES
    }


@pytest.mark.parametrize(
    ("type_token", "retired"),
    [
        ("azure-native:orbital:Spacecraft", True),
        ("azure-native:orbital:ContactProfile", True),
        ("azure-native:orbital:Contact", True),
        ("azure-native:orbital/v20221101:Spacecraft", True),  # an API version's token of it
        # live services in the same SDK module (docs/facts.md §1)
        ("azure-native:orbital:GeoCatalog", False),
        ("azure-native:orbital:GroundStation", False),
        ("azure-native:orbital:EdgeSite", False),
        ("azure-native:orbital:L2Connection", False),
        ("azure-native:network:Spacecraft", False),
    ],
)
def test_a_resource_is_irreplaceable_only_if_of_the_retired_service(type_token, retired):
    """A GeoCatalog (Microsoft Planetary Computer Pro) a checkpoint held was refused as "CANNOT BE
    CREATED AGAIN: Azure Orbital Ground Station was retired", though Azure creates it today."""
    deleted = Change(action="delete", key=f"urn::{type_token}::x", type=type_token, name="x", stateful=False)
    assert (deleted.irreplaceable, deleted.loses_data) == (retired, retired)


def test_every_retired_type_is_an_sdk_resource():
    """The names are the SDK's own: a misspelt one would match nothing and guard nothing."""
    import pulumi_azure_native.orbital as orbital

    for name in limits.AZURE_ORBITAL_RETIRED_TYPES:
        assert getattr(orbital, name).__module__.startswith("pulumi_azure_native.orbital.")


def test_an_update_of_a_retired_resource_is_refused_as_one_the_cloud_cannot_make(tmp_path, capsys):
    """A legacy stack whose spec value the validator now refuses (an MTU over 65535, an address
    Azure reserves) was told to change it, and the diff showed the contact profile's update as
    plain, exit 0, though the retired service takes no change."""
    import json

    from groundlink import cli

    from .conftest import cached_plan, spec_data, spec_file, with_changes

    plan = cached_plan("aqua-legacy.yaml", "azure")
    plan.write(tmp_path / "old.json")
    new = spec_file(with_changes(spec_data("aqua-legacy.yaml"), {}))
    assert cli.main(["diff", str(tmp_path / "old.json"), str(new), "--cloud", "azure"]) == 0  # unchanged: fine
    capsys.readouterr()
    doc = json.loads((tmp_path / "old.json").read_text())
    for r in doc["resources"]:
        if r["type"] == "azure-native:orbital:ContactProfile":
            r["inputs"]["tags"]["endpoint-mtu"] = "70000"
    (tmp_path / "old.json").write_text(json.dumps(doc))
    code = cli.main(["diff", str(tmp_path / "old.json"), str(new), "--cloud", "azure"])
    _, err = capsys.readouterr()
    assert code == 1
    assert (
        "azure: azure-native:orbital:ContactProfile aqua-ground-orbital-aqua-contact-profile would be updated, "
        "which Azure refuses: Azure Orbital Ground Station was retired on 2024-12-18"
    ) in err
