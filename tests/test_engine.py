"""The offline engine: the real program under mocks, captured as a documented plan."""

from __future__ import annotations

import contextlib
import json

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from groundlink.blueprint import OUTPUT_KEYS
from groundlink.clouds import CLOUDS
from groundlink.engine import Plan, PlanError, plan
from groundlink.spec import SpecError

from .conftest import SPECS, cached_plan, plan_of, spec_data, variant_plan
from .test_protection_sets import SHARED_SETTINGS

RESOURCE_KEYS = {
    "urn",
    "type",
    "name",
    "parent",
    "custom",
    "inputs",
    "outputs",
    "protect",
    "retainOnDelete",
    "deleteBeforeReplace",
    "dependencies",
    "capability",
    "provider",
    "id",
    "propertyDependencies",
    "ignoreChanges",
    "replaceOnChanges",
}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_plan_json_has_the_documented_shape(cloud, tmp_path):
    result = cached_plan("noaa20.yaml", cloud)
    target = tmp_path / "plan.json"
    result.write(target)
    doc = json.loads(target.read_text())
    assert {"cloud", "spec", "project", "stack", "resources", "outputs"} <= set(doc)
    assert (doc["cloud"], doc["project"], doc["stack"]) == (cloud, "groundlink", f"noaa20-{cloud}")
    assert set(doc["outputs"]) == set(OUTPUT_KEYS)
    for r in doc["resources"]:
        assert set(r) == RESOURCE_KEYS
        assert r["urn"].startswith(f"urn:pulumi:noaa20-{cloud}::groundlink::")
        assert r["urn"].endswith("::" + r["name"])
    urns = {r["urn"] for r in doc["resources"]}
    for r in doc["resources"]:
        assert (
            r["parent"] is None
            or r["parent"] in urns
            or r["parent"].endswith("pulumi:pulumi:Stack::groundlink-" + doc["stack"])
        )
        assert set(r["dependencies"]) <= urns
    assert Plan.read(target).to_json() == result.to_json()


def test_a_plan_document_is_its_own(azure_noaa20):
    """Plans are shared (the caches); editing the document of one never edits the plan."""
    doc = azure_noaa20.to_json()
    gaps, outputs, warnings = dict(azure_noaa20.gaps), json.dumps(azure_noaa20.outputs), list(azure_noaa20.warnings)
    assert gaps  # the Azure plan declares gaps: the edit below has something to spill into
    doc["gaps"]["storage.invented"] = "edited on the document"
    doc["outputs"].clear()
    doc["warnings"].append("edited on the document")
    assert azure_noaa20.gaps == gaps
    assert json.dumps(azure_noaa20.outputs) == outputs
    assert azure_noaa20.warnings == warnings


def test_inputs_use_wire_camel_case_names(aws_noaa20, azure_noaa20):
    bucket = next(r for r in aws_noaa20.realizing("storage.raw") if r.type == "aws:s3/bucket:Bucket")
    assert bucket.inputs["bucketPrefix"].startswith("aws-groundstation-noaa20-")
    account = azure_noaa20.one("azure-native:storage:StorageAccount")
    assert account.inputs["minimumTlsVersion"] == "TLS1_2" and account.inputs["isHnsEnabled"] is True


def test_mock_outputs_look_like_the_clouds(aws_noaa20, azure_noaa20):
    key = aws_noaa20.one("aws:kms/key:Key")
    assert key.outputs["arn"].startswith("arn:aws:kms:us-west-2:123456789012:key/")
    account = azure_noaa20.one("azure-native:storage:StorageAccount")
    assert account.outputs["id"].startswith("/subscriptions/")
    assert "/providers/Microsoft.Storage/storageAccounts/" in account.outputs["id"]


def test_children_are_parented_to_their_components(aws_noaa20):
    components = {r.urn for r in aws_noaa20.resources if not r.custom}
    assert all(r.parent in components for r in aws_noaa20.custom())
    assert all(r.type.startswith("groundlink:index:") for r in aws_noaa20.resources if not r.custom)


def test_bad_spec_fails_before_pulumi_runs(tmp_path):
    data = spec_data()
    data["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = 700
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(SpecError):
        plan(path, "aws")


def test_unknown_cloud_is_a_plan_error():
    with pytest.raises(PlanError, match="allowed: aws, azure"):
        plan(SPECS / "noaa20.yaml", "gcp")


def test_plans_are_reproducible():
    # the session's shared plan was built earlier by the same engine; plan again and compare
    assert plan(SPECS / "noaa20.yaml", "aws").to_json() == cached_plan("noaa20.yaml", "aws").to_json()


def test_a_file_asset_is_planned_by_its_content_and_a_rewrite_is_seen(tmp_path):
    """File assets (the Lambda layer, some 65 MB) are hashed once per version of the file in a
    process: the same file plans the same digest, and a file rewritten in place or replaced
    plans the new content's digest, never the digest remembered for the old one."""
    import hashlib
    import os

    import pulumi

    from groundlink.engine.runner import _asset

    layer = tmp_path / "layer.zip"
    layer.write_bytes(b"first")
    first = _asset(pulumi.FileAsset(str(layer)))
    assert first == _asset(pulumi.FileArchive(str(layer))) == "sha256:" + hashlib.sha256(b"first").hexdigest()
    with layer.open("ab") as appended:  # the same inode, a new size and time
        appended.write(b" and more")
    assert _asset(pulumi.FileAsset(str(layer))) == "sha256:" + hashlib.sha256(b"first and more").hexdigest()
    replacement = tmp_path / "new.zip"
    replacement.write_bytes(b"other")
    os.replace(replacement, layer)  # a new inode, as `make function-deps` writes it
    assert _asset(pulumi.FileAsset(str(layer))) == "sha256:" + hashlib.sha256(b"other").hexdigest()
    before = layer.stat()
    layer.write_bytes(b"OTHER")  # the same size, its modification time put back (`cp -p`)
    os.utime(layer, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert _asset(pulumi.FileAsset(str(layer))) == "sha256:" + hashlib.sha256(b"OTHER").hexdigest()
    assert _asset(pulumi.FileAsset(str(tmp_path / "absent.zip"))) == "FileAsset"


def test_ctrl_c_that_breaks_off_a_registration_ends_the_plan_instead_of_hanging(monkeypatch):
    """The SDK's run_pulumi_func catches the program's KeyboardInterrupt and waits for the
    registrations under way before raising it again; one that Ctrl-C broke off never finishes,
    and `groundlink plan` hung after Ctrl-C (about one run in thirty). The program here leaves
    such a registration, as Ctrl-C did, and the plan ends in KeyboardInterrupt at once, its tasks unwound."""
    import asyncio
    import time

    from pulumi.runtime.settings import _get_rpc_manager

    from groundlink import interrupt
    from groundlink.engine.runner import run_program

    monkeypatch.setattr(interrupt, "_count", interrupt.count())  # raise_interrupt counts it; put back after

    def interrupted_program() -> None:
        never = asyncio.get_event_loop().create_future()  # a registration's answer that never comes

        async def registration() -> None:
            await never

        left.append(asyncio.ensure_future(_get_rpc_manager().do_rpc("register", registration)()))
        with pytest.raises(KeyboardInterrupt):  # Ctrl-C, as the command line's handler raises it
            interrupt.raise_interrupt(2, None)
        raise KeyboardInterrupt

    left: list[asyncio.Future[object]] = []
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_program(interrupted_program, stack="t-aws", region="us-west-2", config={})
    assert time.monotonic() - started < 5
    # cancelled and unwound, not left to be reported at exit ("Task was destroyed but it is pending!")
    assert left[0].cancelled()


def test_ctrl_c_before_the_unwinding_wait_starts_leaves_no_warning_at_exit():
    """A Ctrl-C landing between the creation of the wait for a plan's cancelled tasks and the
    loop taking it was printed at exit as "coroutine 'wait' was never awaited", under the one
    line (found by interrupting `plan` at every moment, 2026-12-04)."""
    import asyncio
    import gc
    import warnings

    from groundlink.engine.runner import _cancel_pending

    loop = asyncio.new_event_loop()

    async def forever() -> None:
        await asyncio.sleep(3600)

    task = loop.create_task(forever())

    def interrupted(awaitable: object) -> None:
        raise KeyboardInterrupt

    loop.run_until_complete = interrupted  # type: ignore[method-assign]  # Ctrl-C before it runs anything
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _cancel_pending(loop)
            gc.collect()
        assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
        assert task.cancelling()
    finally:
        del loop.run_until_complete
        with contextlib.suppress(BaseException):
            loop.run_until_complete(asyncio.wait([task], timeout=1.0))
        loop.close()


@pytest.mark.parametrize("interrupted", [True, False], ids=["interrupted", "not-interrupted"])
def test_a_task_left_pending_is_reported_only_when_no_ctrl_c_broke_the_plan_off(interrupted, monkeypatch, caplog):
    """A Ctrl-C landing in the unwinding of a plan left the SDK's registrations pending, and asyncio
    printed "Task was destroyed but it is pending!" for each under the one line; a plan nobody
    interrupted still has its loop's reports."""
    import asyncio
    import gc

    from groundlink import interrupt
    from groundlink.engine.runner import _silent_once_interrupted

    monkeypatch.setattr(interrupt, "_count", interrupt.count())
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(_silent_once_interrupted(interrupt.count()))

    async def registration() -> None:
        await asyncio.sleep(3600)

    task = loop.create_task(registration())
    loop.run_until_complete(asyncio.sleep(0))  # the task has started and waits
    if interrupted:
        monkeypatch.setattr(interrupt, "_count", interrupt.count() + 1)
    loop.close()
    with caplog.at_level("ERROR", logger="asyncio"):
        del task
        gc.collect()
    reported = [record.getMessage().splitlines()[0] for record in caplog.records if record.name == "asyncio"]
    assert reported == ([] if interrupted else ["Task was destroyed but it is pending!"])


def test_an_interrupt_of_an_earlier_command_does_not_stop_a_later_plan(monkeypatch):
    """A caller that runs commands in-process keeps the interrupt module's state: a Ctrl-C that
    ended an earlier command is no reason to stop the next plan."""
    from groundlink import interrupt

    monkeypatch.setattr(interrupt, "_count", interrupt.count() + 1)  # and never forgotten
    assert plan(SPECS / "noaa20.yaml", "azure").to_json() == cached_plan("noaa20.yaml", "azure").to_json()


def test_a_plan_hands_the_sdk_back_as_it_found_it():
    """The engine turns off the cyclic collector and the SDK's stack walk (source positions no
    plan holds) while a program runs; a caller running Pulumi code after a plan gets both back."""
    import gc

    import pulumi
    from pulumi.runtime import resource

    walk, merge = resource._get_stack_trace, pulumi.ResourceOptions.merge
    assert gc.isenabled()
    result = plan(SPECS / "noaa20.yaml", "azure")
    assert resource._get_stack_trace is walk and gc.isenabled()
    assert pulumi.ResourceOptions.merge is merge  # the provider type aliases are left out only during a run
    assert result.resources and "file://" not in json.dumps(result.to_json())


def test_offline_runs_leave_out_only_the_provider_sdks_own_type_aliases():
    """Offline, the aliases a provider SDK merges into every resource (each earlier API version
    of an azure-native type) are dropped; an alias the program declares itself is kept."""
    import pulumi

    from groundlink.engine.runner import run_program

    declared = [
        pulumi.Alias(name="raw-store-before-rename"),  # a renamed resource
        pulumi.Alias(type_="groundlink:aws:OldStorage"),  # a renamed component type
        pulumi.Alias(type_="azure-native:storage/v20190601:StorageAccount", parent=None),  # moved to the root
        "urn:pulumi:s::groundlink::aws:s3/bucket:Bucket::old",
    ]
    provider = [
        pulumi.Alias(type_="azure-native:storage/v20190601:StorageAccount"),
        pulumi.Alias(type_="aws:s3/bucketV2:BucketV2"),
        pulumi.Alias(type_="aws-native:s3:Bucket"),
    ]
    seen: dict[str, object] = {}

    def program() -> None:
        seen["merged"] = pulumi.ResourceOptions.merge(
            pulumi.ResourceOptions(aliases=declared), pulumi.ResourceOptions(aliases=provider)
        ).aliases
        seen["only_provider"] = pulumi.ResourceOptions.merge(None, pulumi.ResourceOptions(aliases=provider)).aliases
        seen["as_a_method"] = pulumi.ResourceOptions(protect=True).merge(pulumi.ResourceOptions(aliases=provider))

    run_program(program, stack="s", region="westeurope", config={})
    assert seen["merged"] == declared
    assert seen["only_provider"] is None
    assert seen["as_a_method"].aliases is None and seen["as_a_method"].protect is True
    # outside a run the SDK merges as it always did
    assert pulumi.ResourceOptions.merge(None, pulumi.ResourceOptions(aliases=provider)).aliases == provider


def _names(spec: dict, cloud: str) -> set[tuple[str, str]]:
    return {(r.type, r.name) for r in plan_of(spec, cloud).resources}


# Both ends of every range, then two derandomized draws between them: a fixed budget of
# four tuned specs (eight plans) whatever the machine.
@settings(max_examples=2, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@example(raw_days=200, bandwidth=22.5, contacts=1, min_contact=60, protection="dev", cutoff=0.01048576)
@example(raw_days=3000, bandwidth=40, contacts=20, min_contact=600, protection="strict", cutoff=1000)
@given(
    raw_days=st.integers(200, 3000),
    bandwidth=st.floats(22.5, 40),  # what preset jpss1_hrd occupies, up to the narrowband tier
    contacts=st.floats(1, 20),
    min_contact=st.integers(60, 600),
    protection=st.sampled_from(["strict", "dev"]),
    cutoff=st.floats(0.01048576, 1000),
)
def test_logical_names_depend_only_on_identity(raw_days, bandwidth, contacts, min_contact, protection, cutoff):
    base = spec_data()
    baseline = {cloud: _names(base, cloud) for cloud in CLOUDS}
    tuned = spec_data()
    tuned["storage"].update(raw_retention_days=raw_days, data_protection=protection)
    tuned["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = bandwidth
    tuned["ground_segment"].update(contacts_per_day=contacts, min_contact_seconds=min_contact)
    tuned["analytics"]["query_bytes_scanned_cutoff_gb"] = cutoff
    for cloud in CLOUDS:
        assert _names(tuned, cloud) == baseline[cloud]


def test_renaming_an_identity_renames_resources():
    renamed = spec_data()
    renamed["mission"]["name"] = "noaa21"
    names = _names(renamed, "aws")
    assert names and all(name.startswith("noaa21") for _, name in names)


def test_data_protection_drives_protect_and_retain():
    for cloud in CLOUDS:
        dev = variant_plan(cloud, {"storage.data_protection": "dev"})
        assert dev.resources and not any(r.protect for r in dev.resources)
        # only what missions share is retained: a dev stack's destroy must not reset another's
        assert {r.type for r in dev.resources if r.retainOnDelete} == SHARED_SETTINGS[cloud]
        strict = cached_plan("noaa20.yaml", cloud)
        assert any(r.protect and r.retainOnDelete for r in strict.resources)


def test_stack_region_must_match_the_spec():
    """The error names the spec field to edit, as the README's stack steps do."""
    aws_field = r"differs from the spec's clouds\.aws\.region \('us-west-2'\); set it to 'us-west-2' or edit the spec"
    with pytest.raises(PlanError, match=r"aws:region: 'eu-west-1' " + aws_field):
        plan(SPECS / "noaa20.yaml", "aws", extra_config={"aws:region": "eu-west-1"})
    with pytest.raises(PlanError, match=r"aws-native:region: 'eu-west-1' " + aws_field):
        plan(SPECS / "noaa20.yaml", "aws", extra_config={"aws-native:region": "eu-west-1"})
    with pytest.raises(
        PlanError, match=r"azure-native:location: 'eastus' differs from the spec's clouds\.azure\.location"
    ):
        plan(SPECS / "noaa20.yaml", "azure", extra_config={"azure-native:location": "eastus"})


@pytest.mark.parametrize(
    ("cloud", "key", "field"),
    [
        ("aws", "aws:region", "clouds.aws.region"),
        ("aws", "aws-native:region", "clouds.aws.region"),
        ("azure", "azure-native:location", "clouds.azure.location"),
    ],
)
def test_a_stack_config_lacking_a_region_key_is_refused(cloud, key, field):
    """Without the key the provider would take its region from the environment: stores in the
    wrong region. A wrong value was already refused; a missing one now is too."""
    with pytest.raises(PlanError, match=f"{key}: not set in the stack config; set it to the spec's {field} "):
        plan(SPECS / "noaa20.yaml", cloud, extra_config={key: None})


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("", "empty; set it to the mission spec's path"),
        ("specs", "'specs' is a directory"),
        ("nope.yaml", "'nope.yaml' does not exist"),
    ],
)
def test_a_stack_spec_path_that_is_no_file_names_the_key(value, why):
    with pytest.raises(PlanError, match=f"groundlink:spec: {why}"):
        plan(SPECS / "noaa20.yaml", "aws", extra_config={"groundlink:spec": value})


def test_program_rejects_an_unknown_cloud_in_stack_config():
    with pytest.raises(PlanError, match="groundlink:cloud: 'gcp' is not allowed; allowed: aws, azure"):
        plan(SPECS / "noaa20.yaml", "aws", extra_config={"groundlink:cloud": "gcp"})


def test_stack_files_point_at_valid_specs_in_the_same_region():
    from groundlink.spec import load_spec

    from .conftest import ROOT

    stacks = sorted((ROOT / "stacks").glob("Pulumi.*.yaml"))
    assert {s.name for s in stacks} >= {"Pulumi.noaa20-aws.yaml", "Pulumi.noaa20-azure.yaml"}
    for stack in stacks:
        config = yaml.safe_load(stack.read_text())["config"]
        spec = load_spec(ROOT / config["groundlink:spec"])
        if config["groundlink:cloud"] == "aws":
            assert config["aws:region"] == config["aws-native:region"] == spec.clouds.aws.region
        else:
            assert config["azure-native:location"] == spec.clouds.azure.location


def test_engine_knows_the_sdk_envelope_key():
    from pulumi.runtime import rpc

    from groundlink.engine.runner import _SIG_KEY, _plain

    assert rpc._special_sig_key == _SIG_KEY
    assert _plain({_SIG_KEY: rpc._special_secret_sig, "value": {"a": 1}}) == {"a": 1}


def test_a_program_registering_one_urn_twice_is_refused_as_the_engine_refuses_it():
    """The mocks would keep the second registration and drop the first without a word; the real
    engine stops the preview ("Duplicate resource URN")."""
    import pulumi

    from groundlink.engine.runner import run_program

    def twice() -> None:
        pulumi.CustomResource("test:index:Thing", "same", {})
        pulumi.CustomResource("test:index:Thing", "same", {})

    with pytest.raises(
        PlanError,
        match=r"duplicate resource URN urn:pulumi:s::groundlink::pulumi:pulumi:Stack\$test:index:Thing::same:",
    ):
        run_program(twice, stack="s", region="us-west-2", config={})


def test_a_plan_runs_the_mock_monitor_in_its_own_thread_and_leaves_no_thread_behind():
    """Offline, each registration runs in the planning thread instead of on the SDK's thread
    pool: a plan starts no thread, so a command may fork its plan workers after one (a fork
    while other threads run can leave the child hung on a lock they held)."""
    import threading

    import pulumi

    from groundlink.engine import mocks
    from groundlink.engine.runner import run_program

    threads_before = threading.enumerate()
    seen: list[int] = []
    new_resource = mocks.OfflineMocks.new_resource

    def recorded(self, args):
        seen.append(threading.get_ident())
        return new_resource(self, args)

    def program() -> None:
        for name in ("one", "two", "three"):
            pulumi.CustomResource("test:index:Thing", name, {})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mocks.OfflineMocks, "new_resource", recorded)
        records, _ = run_program(program, stack="s", region="us-west-2", config={})
    assert [r["name"] for r in records] == ["one", "three", "two"]
    assert seen == [threading.get_ident()] * 3
    assert threading.enumerate() == threads_before


def test_a_monitor_call_that_fails_fails_the_plan_and_the_event_loop_is_put_back():
    """What fails inside a registration fails the plan with its own exception, as it did from a
    pool thread, and the caller's event loop state is as before (none running, the same one set)."""
    import asyncio

    import pulumi

    from groundlink.engine import mocks
    from groundlink.engine.runner import _current_event_loop, run_program

    def refused(self, args):
        raise ValueError(f"the mock refuses {args.name}")

    def program() -> None:
        pulumi.CustomResource("test:index:Thing", "refused-one", {})

    set_before = _current_event_loop()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mocks.OfflineMocks, "new_resource", refused)
        with pytest.raises(ValueError, match="the mock refuses refused-one"):
            run_program(program, stack="s", region="us-west-2", config={})
    assert asyncio._get_running_loop() is None
    assert _current_event_loop() is set_before


def test_one_name_under_two_types_is_no_duplicate():
    import pulumi

    from groundlink.engine.runner import run_program

    def two_types() -> None:
        pulumi.CustomResource("test:index:Thing", "same", {})
        pulumi.CustomResource("test:index:Other", "same", {})

    records, _ = run_program(two_types, stack="s", region="us-west-2", config={})
    assert sorted(r["type"] for r in records) == ["test:index:Other", "test:index:Thing"]
