"""`clouds.azure.global_name_seed`: Azure's globally unique names (and role assignment GUIDs)
were hashed from the mission name alone, the same in every subscription, so the first stack
anywhere of a mission named `noaa20` held the names every later one asked for
(`StorageAccountAlreadyTaken` at `pulumi up`). A seed of the user's is hashed with them; without
one every name is as before (tests/test_guards10_azure.py pins those), and adding one to a
deployed stack renames its stores, which `diff` refuses."""

from __future__ import annotations

import re

import pytest
from groundlink.components.azure import naming

from groundlink.blueprint import MissionInputs
from groundlink.blueprint.layers import LayerInputError

from .conftest import ROOT, cached_plan, spec_data, spec_file, variant_plan

SEED = {"clouds.azure.global_name_seed": "contoso-prod"}
# (resource type, the input holding its global name) as docs/azure.md lists the global kinds
GLOBAL_NAMES = {
    "azure-native:storage:StorageAccount": "accountName",
    "azure-native:keyvault:Vault": "vaultName",
    "azure-native:servicebus:Namespace": "namespaceName",
    "azure-native:eventhub:Namespace": "namespaceName",
    "azure-native:synapse:Workspace": "workspaceName",
    "azure-native:web:WebApp": "name",
}


def test_a_seed_gives_every_global_name_a_hash_of_its_own_and_none_keeps_the_old_names():
    """Written out by hand: the seeded hash is sha256 of `<mission>/<role>/<seed>`."""
    assert naming.storage_account_name("noaa20") == "noaa207fef7b"  # no seed: unchanged
    assert naming.storage_account_name("noaa20", seed="contoso-prod") == "noaa202ee42d"
    assert naming.key_vault_name("noaa20", seed="contoso-prod") == "kv-noaa20-390e6"
    assert naming.namespace_name("sb", "noaa20", seed="contoso-prod") == "sb-noaa20-00617"
    assert naming.synapse_workspace_name("noaa20", seed="contoso-prod") == "syn-noaa20-4ea7b"
    assert naming.function_app_name("noaa20", seed="contoso-prod") == "func-noaa20-b6db3"
    assert naming.function_app_name("noaa20") == naming.dashed_name("func", "noaa20", max_length=60)
    assert naming.kusto_cluster_name("noaa20", seed="a") != naming.kusto_cluster_name("noaa20", seed="b")
    grant = ("noaa20", "noaa20-events-topic-sends-to-queue")
    assert naming.role_assignment_name(*grant) == "250216af-1930-5578-9dd3-bb17a939c6ff"
    assert naming.role_assignment_name(*grant, seed="contoso-prod") != naming.role_assignment_name(*grant)


def test_the_azure_plan_names_its_global_resources_with_the_seed_and_the_aws_plan_is_untouched():
    plain, seeded = cached_plan("noaa20.yaml", "azure"), variant_plan("azure", SEED)
    for kind, key in GLOBAL_NAMES.items():
        before = {r.inputs[key] for r in plain.resources if r.type == kind}
        after = {r.inputs[key] for r in seeded.resources if r.type == kind}
        assert before and after and not before & after, kind
        assert all(re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", name) for name in after), after
    plain_grants = {r.inputs["roleAssignmentName"] for r in plain.resources if "RoleAssignment" in r.type}
    seeded_grants = {r.inputs["roleAssignmentName"] for r in seeded.resources if "RoleAssignment" in r.type}
    assert len(seeded_grants) == len(plain_grants) > 0 and not plain_grants & seeded_grants
    aws_plain, aws_seeded = cached_plan("noaa20.yaml", "aws"), variant_plan("aws", SEED)
    assert [(r.urn, r.inputs) for r in aws_seeded.resources] == [(r.urn, r.inputs) for r in aws_plain.resources]


def test_adding_a_seed_to_a_deployed_stack_is_refused_as_data_loss(capsys):
    from groundlink import cli

    data = spec_data()
    data["clouds"]["azure"]["global_name_seed"] = "contoso-prod"
    code = cli.main(["diff", str(ROOT / "specs" / "noaa20.yaml"), str(spec_file(data)), "--cloud", "azure"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "+- azure-native:storage:StorageAccount noaa20-storage-account" in out  # the tree: replaced
    assert (
        "azure: azure-native:storage:StorageAccount noaa20-storage-account would be replaced (forced by accountName): "
        "data loss"
    ) in err.splitlines()
    assert err.strip().endswith(
        "the spec changes clouds.azure.global_name_seed (null => contoso-prod): revert, or pass --allow-data-loss "
        "to accept it"
    )


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        (
            '"contoso prod"',
            "'contoso prod' does not match ^[A-Za-z0-9._-]{1,64}$ (1-64 ASCII letters, digits and . _ -)",
        ),
        ('"' + "x" * 65 + '"', "does not match ^[A-Za-z0-9._-]{1,64}$"),
        ('""', "'' does not match ^[A-Za-z0-9._-]{1,64}$"),
    ],
)
def test_a_seed_outside_its_alphabet_or_length_is_one_line(tmp_path, capsys, seed, message):
    from groundlink import cli

    path = tmp_path / "seed.yaml"
    text = (ROOT / "specs" / "noaa20.yaml").read_text()
    path.write_text(text.replace("    location: westus2\n", f"    location: westus2\n    global_name_seed: {seed}\n"))
    code = cli.main(["validate", str(path)])
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2 and line.startswith(f"{path}: clouds.azure.global_name_seed: ") and message in line, line


def test_a_layer_given_a_seed_outside_its_alphabet_is_refused_before_it_names_anything():
    with pytest.raises(LayerInputError, match=r"MissionInputs.name_seed: 'a/b' is not a name seed"):
        MissionInputs(name="noaa20", tags={}, protected=True, region="westus2", name_seed="a/b")
    assert MissionInputs(name="noaa20", tags={}, protected=True, region="westus2", name_seed="x" * 64).name_seed
