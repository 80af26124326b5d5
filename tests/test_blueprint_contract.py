"""The blueprint is the contract between the spec and the clouds.

Cross-cloud parity is a property of the blueprint: for any combination of spec
switches both clouds get the same layer decisions, except where a cloud fact
(Azure has no first-party ground station) forces them apart, and each layer
decision is the one the needed capabilities ask for. The components never see
the spec, and the two component trees mirror each other module for module.
"""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink import blueprint as blueprint_module
from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.spec import load_spec, spec_from_data

from .conftest import ROOT, SPECS, cached_plan, spec_data, with_changes

COMPONENTS = ROOT / "components"

switches = st.fixed_dictionaries(
    {
        "provider": st.sampled_from(["managed", "partner"]),
        "object_store": st.booleans(),
        "stream": st.booleans(),
        "catalog": st.booleans(),
        "serverless_sql": st.booleans(),
        "telemetry_stream": st.booleans(),
        "azure_engine": st.sampled_from(["synapse", "adx"]),
        "cmk": st.booleans(),
        "network": st.sampled_from(["public", "private"]),
        "raw_retention_days": st.integers(min_value=60, max_value=3650),
        "partner_identities": st.booleans(),
    }
)


def _spec(choice: dict):
    data = spec_data("noaa20.yaml")
    if choice["provider"] == "partner":
        partner = {"name": "ksat_lite", "source_addresses": ["203.0.113.7"]}
        if choice["partner_identities"]:
            partner.update(
                aws_account_id="111122223333", azure_principal_object_id="3f2b8c1e-6a4d-4e2f-9b7a-0c5d1e2f3a4b"
            )
        data["ground_segment"].update(provider="partner", partner=partner)
    data["delivery"].update(object_store=choice["object_store"] or not choice["stream"], stream=choice["stream"])
    data["processing"]["enabled"] = data["delivery"]["object_store"]  # a stream leaves no objects to process
    data["analytics"].update(
        catalog=choice["catalog"] or choice["serverless_sql"],
        serverless_sql=choice["serverless_sql"],
        telemetry_stream=choice["telemetry_stream"],
        azure_engine=choice["azure_engine"],
    )
    data["security"].update(customer_managed_keys=choice["cmk"], network=choice["network"])
    data["storage"]["raw_retention_days"] = choice["raw_retention_days"]
    data["storage"]["tiering"] = []
    return spec_from_data(data)


def _decisions(layer: object) -> dict:
    return {f.name: getattr(layer, f.name) for f in dataclasses.fields(layer)}


# Decisions a cloud fact may set apart: whether the cloud books its own station, and
# what follows from it (who lands the raw data, who signals a contact, who streams
# into the mission network); the retired Azure Orbital resources exist only on Azure.
STATION_DEPENDENT = {
    "ground": {"station", "landing", "legacy_orbital", "partner_principal"},
    "storage": {"raw_store", "landing"},
    "events": {"station", "landing"},
    "analytics": {"station"},
    "security": {"station_stream"},
}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(switches)
def test_both_clouds_get_the_same_layer_decisions(choice):
    bp = build_blueprint(_spec(choice))
    aws, azure = bp.for_cloud("aws"), bp.for_cloud("azure")
    partner = choice["provider"] == "partner"
    for layer in ("ground", "storage", "events", "analytics", "security", "observability"):
        left, right = _decisions(getattr(aws, layer)), _decisions(getattr(azure, layer))
        apart = ({"partner_principal"} if layer == "ground" else set()) | (
            set() if partner else STATION_DEPENDENT.get(layer, set())
        )
        same = {k for k in left if k not in apart}
        assert {k: left[k] for k in same} == {k: right[k] for k in same}, layer
    # with a partner network neither cloud has a station and both land the partner's data
    ground_gaps = {
        cloud: [c for c, _ in b.gaps if c.startswith("ground.")] for cloud, b in (("aws", aws), ("azure", azure))
    }
    if partner:
        assert not aws.ground.station and not azure.ground.station
        assert aws.storage.landing and azure.storage.landing
        # the same rules leave out the same ground capabilities on both clouds
        assert ground_gaps["aws"] == ground_gaps["azure"]
        assert bool(ground_gaps["aws"]) != choice["partner_identities"]
    else:
        assert aws.ground.station and not azure.ground.station
    # the mission identity differs only by region and its network's address space, each cloud's own
    assert dataclasses.replace(aws.mission, region="", network_cidr=None) == dataclasses.replace(
        azure.mission, region="", network_cidr=None
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(switches)
def test_each_layer_decision_is_what_the_needed_capabilities_ask_for(choice):
    bp = build_blueprint(_spec(choice))
    for cloud in CLOUDS:
        layers = bp.for_cloud(cloud)
        assert layers.storage.raw_needed == bp.needs("storage.raw")
        assert layers.storage.query_results == bp.needs("storage.query_results")
        assert layers.security.customer_managed_keys == bp.needs("security.cmk")
        assert layers.security.private == layers.storage.private == bp.needs("security.private_network")
        assert layers.analytics.catalog == bp.needs("analytics.catalog")
        assert layers.analytics.serverless_sql == bp.needs("analytics.serverless_sql")
        assert layers.analytics.telemetry == layers.ground.telemetry == bp.needs("analytics.telemetry_stream")
        assert layers.ground.stream == bp.needs("ground.stream_delivery")
        assert not layers.ground.station or bp.needs("ground.managed_station")  # never unasked
        # a raw store exists whenever the spec needs one or a partner lands there
        assert layers.storage.raw_store == (bp.needs("storage.raw") or layers.storage.landing)
        # the retention the spec asks for is the raw store's expiry on every cloud
        assert layers.storage.raw_lifecycle.expire_days == choice["raw_retention_days"]


def test_the_blueprint_holds_no_module_level_registry():
    for name in ("REALIZED", "realizes", "declare_gap", "warn"):
        assert not hasattr(blueprint_module, name), name


def _component_modules() -> list[Path]:
    found = sorted(COMPONENTS.rglob("*.py"))
    assert len(found) > 10
    return found


def test_no_component_reads_the_spec():
    """Components get layer inputs and siblings' outputs: no `.spec` attribute, no spec import."""
    for path in _component_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr != "spec", f"{path.relative_to(ROOT)}:{node.lineno} reads .spec"
            if isinstance(node, ast.ImportFrom):
                assert node.module != "groundlink.spec", f"{path.relative_to(ROOT)}:{node.lineno} imports the spec"


def test_the_aws_and_azure_trees_have_the_same_modules():
    aws = {p.name for p in (COMPONENTS / "aws").glob("*.py")}
    azure = {p.name for p in (COMPONENTS / "azure").glob("*.py")}
    assert aws == azure
    assert {"ground.py", "storage.py", "events.py", "analytics.py", "security.py", "observability.py"} <= aws


def _component_parameters(path: Path) -> list[tuple[str, str]]:
    """(class, annotation) for every constructor parameter of every component class in `path`."""
    tree = ast.parse(path.read_text())
    out = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"):
            for arg in fn.args.args[1:] + fn.args.kwonlyargs:
                if arg.annotation is not None:
                    out.append((cls.name, ast.unparse(arg.annotation)))
    return out


def test_layers_are_wired_by_outputs_not_by_sibling_components():
    """No component constructor takes another layer's component (AwsStorage, AzureSecurity...)."""
    components = {
        node.name
        for path in _component_modules()
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("Component") for b in node.bases)
    }
    assert "AzureSecurity" in components and "AwsStorage" in components
    parameters = [p for path in _component_modules() for p in _component_parameters(path)]
    assert parameters
    for cls, annotation in parameters:
        used = {c for c in components if c in annotation.replace("|", " ").split()}
        assert not used, f"{cls} takes {used}"


def _trace_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("### Tracing one field: `storage.raw_retention_days`")
    return readme[start : readme.index("Choices made along the way:", start)]


def test_the_readme_traces_raw_retention_through_at_most_four_files_per_cloud_that_exist():
    section = _trace_section()
    aws_part, azure_part = section.split("On Azure")
    files = {
        "aws": re.findall(r"`((?:groundlink|components)/[\w/]+\.py)`", aws_part),
        "azure": [
            "groundlink/spec.py",  # "the same first two files"
            "groundlink/blueprint/__init__.py",
            *re.findall(r"`((?:groundlink|components)/[\w/]+\.py)`", azure_part),
        ],
    }
    for cloud, paths in files.items():
        assert len(paths) == len(set(paths)) == 4, (cloud, paths)
        for path in paths:
            assert (ROOT / path).is_file(), path
    # every function the trace names is defined in the files it names
    defined = {
        node.name
        for paths in files.values()
        for path in paths
        for node in ast.walk(ast.parse((ROOT / path).read_text()))
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }
    named = set(re.findall(r"`(\w+)(?:\.__init__)?(?:\(|`)", section))
    for name in ("build_blueprint", "_cloud_blueprint", "MissionStack", "AwsStorage", "AzureStorage", "lifecycle_rule"):
        assert name in named and name in defined, name


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("spec", sorted(p.name for p in SPECS.glob("*.yaml")))
def test_the_blueprints_gaps_are_every_gap_the_plan_declares(spec: str, cloud: str) -> None:
    """The blueprint is the contract: Azure's security component declared the messaging-key gap
    itself, so code reading `for_cloud("azure").gaps` missed it (and the cost alternatives
    decided it a second time)."""
    blueprint = build_blueprint(load_spec(SPECS / spec)).for_cloud(cloud)
    assert dict(blueprint.gaps) == cached_plan(spec, cloud).gaps


def test_every_component_takes_the_mission_inputs_as_mission_on_both_clouds():
    """A call written for one component (`mission=...`) works for every other: Azure's
    observability took it as `mission_inputs`."""
    named = {}
    for path in _component_modules():
        for cls in (n for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"):
                for arg in fn.args.args[1:] + fn.args.kwonlyargs:
                    if arg.annotation is not None and ast.unparse(arg.annotation) == "MissionInputs":
                        named[cls.name] = arg.arg
    assert {"AwsObservability", "AzureObservability", "AwsStorage", "AzureStorage"} <= set(named)
    assert {cls: name for cls, name in named.items() if name != "mission"} == {}


def test_the_layer_input_error_the_readme_names_is_the_blueprints():
    import groundlink.blueprint as blueprint
    from groundlink.blueprint.layers import LayerInputError

    assert blueprint.LayerInputError is LayerInputError and "LayerInputError" in blueprint.__all__


def test_a_blueprint_asked_of_another_cloud_or_built_from_a_path_says_so_in_one_line():
    """A program of one's own met a bare KeyError: 'gcp', or "'str' object has no attribute
    'storage'" from deep inside, for what the CLI says in one line."""
    import pytest

    from groundlink.blueprint import build_blueprint
    from groundlink.spec import load_spec

    from .conftest import SPECS

    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml"))
    for cloud in ("gcp", "AWS"):
        with pytest.raises(ValueError, match=rf"^cloud: '{cloud}' is not allowed; allowed: aws, azure$"):
            blueprint.for_cloud(cloud)
    with pytest.raises(
        TypeError, match=r"^build_blueprint takes a MissionSpec \(groundlink.spec.load_spec\(path\)\), not str$"
    ):
        build_blueprint(str(SPECS / "noaa20.yaml"))  # type: ignore[arg-type]  # the wrong type is the case under test


@pytest.mark.parametrize("mode", ["function", "container_job"])
def test_a_processor_turned_off_needs_no_processing_capability_whatever_its_mode(mode):
    """processing.enabled: false with processing.mode: container_job left in the spec: the blueprint
    still needed a container job, which neither cloud builds, and the compare failed on a
    processor the user had turned off."""
    data = with_changes(spec_data("noaa20.yaml"), {"processing.enabled": False, "processing.mode": mode})
    bp = build_blueprint(spec_from_data(data))
    assert [c.id for c in bp.capabilities if c.layer == "processing"] == []
