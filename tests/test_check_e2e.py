"""`groundlink check` end to end: the real pack process, driven over the gRPC
Analyzer protocol. Broken plans are captured plans with a few resources edited
(Plan.from_json of a modified to_json()), so every other resource stays as the
stacks really build it."""

from __future__ import annotations

import copy
import json

import pytest

from groundlink.check import PackConfigError, check, check_plans
from groundlink.check import runner as check_runner
from groundlink.cli import main
from groundlink.clouds import CLOUDS
from groundlink.engine import Plan

from .conftest import ROOT, SPECS, cached_plan, live_children

pytestmark = pytest.mark.usefixtures("warm_policy_packs")  # this module forks no process


def _pack_children() -> list[int]:
    """Pack processes this test process started and that are still alive."""
    return live_children("pulumi.policy")


def _doc(cloud: str) -> dict:
    return copy.deepcopy(cached_plan("noaa20.yaml", cloud).to_json())


def _find(doc: dict, type_token: str, where=lambda r: True) -> dict:
    return next(r for r in doc["resources"] if r["type"] == type_token and where(r))


def _set(resource: dict, **props) -> None:
    """Edit inputs and outputs alike (Analyze reads inputs, AnalyzeStack outputs)."""
    for bag in (resource["inputs"], resource["outputs"]):
        bag.update(props)


def _found(result) -> set[tuple[str, str]]:
    return {(v.policy, v.resource_name) for v in result.violations}


@pytest.mark.usefixtures("shared_plans")
@pytest.mark.parametrize("spec", ["noaa20.yaml", "partner.yaml"])
def test_reference_specs_pass_on_both_clouds(spec, own_pack_processes):
    result = check(SPECS / spec)
    assert [c.cloud for c in result.clouds] == ["aws", "azure"]
    assert all(c.resources > 0 for c in result.clouds)
    assert result.mandatory == [], [(v.cloud, v.policy, v.resource_name, v.message) for v in result.mandatory]
    assert _pack_children() == []


def test_broken_aws_plan_yields_exactly_the_expected_violations():
    doc = _doc("aws")
    bucket = _find(doc, "aws:s3/bucket:Bucket")
    _set(bucket, acl="public-read")
    name = bucket["outputs"]["bucket"]
    doc["resources"] = [
        r
        for r in doc["resources"]
        if not (r["type"] == "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock" and r["inputs"]["bucket"] == name)
    ]
    key = _find(doc, "aws:kms/key:Key")
    _set(key, enableKeyRotation=False)
    key["protect"] = False
    role = _find(doc, "aws:iam/role:Role", lambda r: "groundstation.amazonaws.com" in r["inputs"]["assumeRolePolicy"])
    trust = json.loads(role["inputs"]["assumeRolePolicy"])
    for statement in trust["Statement"]:
        statement.pop("Condition", None)
    _set(role, assumeRolePolicy=json.dumps(trust))
    tracking = _find(
        doc, "aws-native:groundstation:Config", lambda r: "trackingConfig" in r["inputs"].get("configData", {})
    )
    _set(tracking, configData={"trackingConfig": {"autotrack": "REMOVED"}})

    result = check_plans([Plan.from_json(doc)])
    assert _found(result) == {
        ("aws-s3-no-public-acl", bucket["name"]),
        ("aws-s3-public-access-block", bucket["name"]),
        ("aws-kms-key-rotation", key["name"]),
        ("data-protection-stateful-protected", key["name"]),
        ("aws-iam-service-trust-conditions", role["name"]),
        ("aws-gs-autotrack", tracking["name"]),
    }
    assert all(v.mandatory for v in result.violations) and not result.passed
    by_policy = {v.policy: v for v in result.violations}
    assert by_policy["aws-s3-no-public-acl"].severity == "critical"
    assert by_policy["aws-kms-key-rotation"].controls == ["CIS AWS 3.6", "CKV_AWS_7"]
    assert by_policy["aws-kms-key-rotation"].remediation.startswith("Set enable_key_rotation=True")
    assert by_policy["aws-s3-public-access-block"].resource_type == "aws:s3/bucket:Bucket"


def _broken_azure() -> tuple[dict, dict[str, str]]:
    doc = _doc("azure")
    account = _find(doc, "azure-native:storage:StorageAccount")
    _set(account, minimumTlsVersion="TLS1_0")
    vault = _find(doc, "azure-native:keyvault:Vault")
    properties = copy.deepcopy(vault["inputs"]["properties"])
    properties["enablePurgeProtection"] = False
    _set(vault, properties=properties)
    container = _find(doc, "azure-native:storage:BlobContainer")
    _set(container, publicAccess="Blob")
    spacecraft = copy.deepcopy(account)
    spacecraft.update(
        type="azure-native:orbital:Spacecraft",
        name="noaa20-spacecraft",
        protect=True,  # as a strict stack protects it: it cannot be created again
        urn=account["urn"].rsplit("$", 1)[0] + "$azure-native:orbital:Spacecraft::noaa20-spacecraft",
    )
    spacecraft["inputs"] = spacecraft["outputs"] = {  # complete, so preflight finds nothing to refuse
        "noradId": "43013",
        "location": "westus2",
        "resourceGroupName": account["inputs"]["resourceGroupName"],
        "titleLine": "NOAA 20",
        "tleLine1": "1 43013U 17073A   24169.90584172  .00000089  00000+0  62647-4 0  9992",
        "tleLine2": "2 43013  98.7065 107.8155 0000956 138.6960 221.4288 14.19597428341003",
        "tags": account["inputs"]["tags"],
        "links": [],
    }
    doc["resources"].append(spacecraft)
    names = {
        "account": account["name"],
        "vault": vault["name"],
        "container": container["name"],
        "spacecraft": spacecraft["name"],
    }
    return doc, names


def test_broken_azure_plan_yields_exactly_the_expected_violations():
    doc, names = _broken_azure()
    result = check_plans([Plan.from_json(doc)])
    assert _found(result) == {
        ("azure-storage-min-tls", names["account"]),
        ("azure-keyvault-purge-protection", names["vault"]),
        ("azure-container-private", names["container"]),
        ("retired-azure-orbital", names["spacecraft"]),
    }
    [orbital] = [v for v in result.violations if v.policy == "retired-azure-orbital"]
    assert orbital.mandatory and "2024-12-18" in orbital.message


def test_pack_config_opts_in_to_legacy_orbital_and_relaxes_levels(tmp_path):
    doc, names = _broken_azure()
    config = tmp_path / "pack.json"
    config.write_text(
        json.dumps({"retired-azure-orbital": {"legacyOrbitalAllowed": True}, "azure-storage-min-tls": "advisory"})
    )
    result = check_plans([Plan.from_json(doc)], policy_pack_config=config)
    assert ("retired-azure-orbital", names["spacecraft"]) not in _found(result)
    levels = {v.policy: v.enforcement for v in result.violations}
    assert levels["azure-storage-min-tls"] == "advisory"
    assert result.pack["config"]["retired-azure-orbital"]["legacyOrbitalAllowed"] is True
    relaxed = check_plans([Plan.from_json(doc)], policy_pack_config={"all": "advisory"})
    assert relaxed.violations and relaxed.passed


def test_provider_region_reaches_the_pack():
    """Analyze carries the stack's default provider, whose region the region rules read."""
    result = check_plans(
        [cached_plan("noaa20.yaml", "aws")],
        policy_pack_config={"allowed-regions": {"allowedAwsRegions": ["eu-north-1"]}},
    )
    flagged = {v.resource_type for v in result.violations if v.policy == "allowed-regions"}
    assert {"aws:s3/bucket:Bucket", "aws-native:groundstation:Config"} <= flagged
    assert all("us-west-2" in v.message for v in result.violations if v.policy == "allowed-regions")


def test_defaults_from_the_config_schema_are_applied(own_pack_processes):
    result = check_plans([cached_plan("noaa20.yaml", "azure")])
    config = result.pack["config"]
    assert config["tags-required"]["requiredTags"] == ["mission", "owner", "data-classification"]
    assert config["retired-azure-orbital"] == {"enforcementLevel": "mandatory", "legacyOrbitalAllowed": False}


@pytest.mark.parametrize(
    "config, words, documented",
    [
        (
            {"retired-azure-orbital": {"legacyOrbitalAllowed": "yes"}},
            'retired-azure-orbital.legacyOrbitalAllowed: "yes" is not allowed; allowed: true, false',
            True,
        ),
        ({"retired-azure-orbital": "hard"}, "allowed: advisory, mandatory, remediate, disabled", True),
        ({"retired-azure-orbit": "advisory"}, "did you mean 'retired-azure-orbital'?", True),
        (
            {"tags-required": {"requiredTag": ["x"]}},
            "tags-required.requiredTag: unknown property; allowed: enforcementLevel, requiredTags; did you mean 'requiredTags'?",
            False,
        ),
        ({"all": {"legacyOrbitalAllowed": True}}, "all.legacyOrbitalAllowed: `all` sets only enforcementLevel", False),
    ],
)
def test_invalid_pack_config_is_one_clear_line_and_stops_the_pack(config, words, documented, own_pack_processes):
    with pytest.raises(PackConfigError) as raised:
        check_plans([cached_plan("noaa20.yaml", "azure")], policy_pack_config=config)
    assert words in str(raised.value) and "\n" not in str(raised.value)
    assert _pack_children() == []
    # docs/policies.md shows the documented ones as `groundlink check` prints them for a pack.json
    shown = "groundlink: " + str(raised.value).replace("policy pack config:", "pack.json:", 1)
    assert (shown in _policies_doc_lines()) is documented


def _policies_doc_lines() -> list[str]:
    return (ROOT / "docs" / "policies.md").read_text().splitlines()


def test_the_documented_empty_config_line_is_the_one_check_prints(tmp_path):
    from groundlink.check.config import load_config_file

    path = tmp_path / "pack.json"
    path.write_text("")
    with pytest.raises(PackConfigError) as raised:
        load_config_file(path)
    assert "groundlink: " + str(raised.value).replace(str(path), "pack.json", 1) in _policies_doc_lines()


@pytest.mark.usefixtures("shared_plans")
def test_cli_invalid_pack_config_exits_2(tmp_path, capsys):
    config = tmp_path / "pack.json"
    config.write_text('{"aws-gs-autotrack": {"allowAutotrackRemoved": 1}}')
    out = tmp_path / "check.json"
    assert (
        main(
            [
                "check",
                str(SPECS / "noaa20.yaml"),
                "--cloud",
                "azure",
                "--policy-pack-config",
                str(config),
                "--json",
                str(out),
            ]
        )
        == 2
    )
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "aws-gs-autotrack.allowAutotrackRemoved" in line and "allowed: true, false" in line
    assert not out.exists()


@pytest.mark.parametrize("target", ["dir", "under-a-file"])
def test_cli_json_target_that_cannot_be_written_exits_2_before_checking(tmp_path, capsys, monkeypatch, target):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    out = tmp_path if target == "dir" else blocker / "check.json"
    monkeypatch.setattr(check_runner, "check", lambda *a, **k: pytest.fail("checked despite a bad --json"))
    assert main(["check", str(SPECS / "noaa20.yaml"), "--json", str(out)]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"groundlink: --json {out}")


def test_interrupt_during_analysis_still_stops_the_pack(monkeypatch, own_pack_processes):
    def interrupted(self, plan, config):
        assert _pack_children(), "the pack should be running while analyzing"
        raise KeyboardInterrupt

    monkeypatch.setattr(check_runner._Session, "analyze", interrupted)
    with pytest.raises(KeyboardInterrupt):
        check_plans([cached_plan("noaa20.yaml", "azure")])
    assert _pack_children() == []


@pytest.mark.usefixtures("shared_plans")
def test_cli_json_and_exit_codes(tmp_path, capsys):
    out = tmp_path / "check.json"
    assert main(["check", str(SPECS / "noaa20.yaml"), "--cloud", "azure", "--json", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["passed"] is True and [c["cloud"] for c in doc["clouds"]] == ["azure"]
    assert doc["pack"]["name"] == "groundlink" and doc["pack"]["policies"] >= 30
    # the plan's warnings, which a violation often follows from, in the JSON and on the terminal
    warned = cached_plan("noaa20.yaml", "azure").warnings
    assert warned and doc["clouds"][0]["warnings"] == warned
    shown = capsys.readouterr().out.splitlines()
    assert [line for line in shown if line.startswith("warning azure: ")] == [f"warning azure: {w}" for w in warned]
    config = tmp_path / "pack.json"
    config.write_text(json.dumps({"allowed-regions": {"allowedAzureLocations": ["eastus"]}}))
    assert (
        main(
            [
                "check",
                str(SPECS / "noaa20.yaml"),
                "--cloud",
                "azure",
                "--policy-pack-config",
                str(config),
                "--json",
                str(out),
            ]
        )
        == 1
    )
    doc = json.loads(out.read_text())
    violations = doc["clouds"][0]["violations"]
    assert doc["passed"] is False and {v["policy"] for v in violations} == {"allowed-regions"}
    assert "allowed-regions" in capsys.readouterr().out


@pytest.mark.usefixtures("shared_plans")
def test_json_says_failed_and_holds_the_diff_when_check_refuses_data_loss(tmp_path, capsys):
    """`check --against --json` exited 1 for the data loss it refused, and its JSON said
    passed: true with no diff in it: a CI step reading the file saw a pass."""
    old = tmp_path / "old.json"
    cached_plan("noaa20.yaml", "aws").write(old)
    renamed = tmp_path / "noaa21.yaml"
    renamed.write_text((SPECS / "noaa20.yaml").read_text().replace("  name: noaa20\n", "  name: noaa21\n", 1))
    out = tmp_path / "check.json"
    argv = ["check", str(renamed), "--cloud", "aws", "--against", str(old), "--json", str(out)]

    assert main(argv) == 1
    doc = json.loads(out.read_text())
    assert doc["passed"] is False and doc["clouds"][0]["mandatory"] == 0  # the pack passed; the diff did not
    (cloud,) = doc["diff"]["clouds"]
    assert doc["diff"]["against"] == str(old) and doc["diff"]["allowDataLoss"] is False
    assert cloud["cloud"] == "aws" and cloud["summary"]["dataLoss"] > 0

    assert main([*argv, "--allow-data-loss"]) == 0
    doc = json.loads(out.read_text())
    assert doc["passed"] is True and doc["diff"]["allowDataLoss"] is True
    capsys.readouterr()


def test_timed_check_reports_plan_and_check_seconds_for_the_benchmark():
    from groundlink.check import timed_check

    timed = timed_check(SPECS / "noaa20.yaml", ["azure"])
    assert timed["plan_seconds"] > 0 and timed["check_seconds"] > 0
    assert timed["ratio"] == pytest.approx(timed["check_seconds"] / timed["plan_seconds"])
    assert timed["mandatory_violations"] == 0


@pytest.mark.usefixtures("shared_plans")
def test_legacy_orbital_spec_fails_without_opt_in_and_passes_with_the_shipped_config():
    spec = SPECS / "aqua-legacy.yaml"
    denied = check(spec, ["azure"])
    assert {v.policy for v in denied.mandatory} == {"retired-azure-orbital"}
    assert {v.resource_type for v in denied.mandatory} >= {
        "azure-native:orbital:Spacecraft",
        "azure-native:orbital:ContactProfile",
    }
    allowed = check(spec, ["azure"], policy_pack_config=check_runner.PACK_DIR / "legacy-orbital.config.json")
    assert allowed.mandatory == []


@pytest.mark.usefixtures("shared_plans")
def test_a_mission_without_customer_managed_keys_passes_with_the_shipped_config(tmp_path):
    """security.customer_managed_keys: false is a supported choice (SSE-S3, AWS managed keys):
    every rule it fails takes `requireCustomerManagedKey: false`, gathered in one shipped file."""
    from .conftest import spec_data, with_changes, write_spec

    data = with_changes(
        spec_data(),
        {
            "security.customer_managed_keys": False,
            "security.network": "private",  # a VPC: its flow logs go to a log group without a key
            "storage.redundancy": "geo",
            "clouds.aws.replica_region": "us-east-2",
        },
    )
    spec = write_spec(tmp_path, data)
    denied = check(spec, list(CLOUDS))
    assert {v.policy for v in denied.mandatory} == {
        "aws-s3-kms-encryption",
        "aws-s3-replica-own-key",
        "aws-messaging-mission-key",
        "aws-athena-workgroup-encryption",
        "aws-glue-catalog-encryption",  # the catalog under alias/aws/glue
        "aws-kinesis-cmk",
        "aws-firehose-cmk",
        "azure-storage-cmk",
        "aws-vpc-flow-logs",
        "aws-log-group-encrypted-retained",
    }
    config = check_runner.PACK_DIR / "customer-managed-keys-off.config.json"
    allowed = check(spec, list(CLOUDS), policy_pack_config=config)
    assert allowed.mandatory == []


def test_a_rule_that_crashes_is_one_clear_error_and_stops_the_pack(tmp_path, own_pack_processes):
    """A pack that fails while analyzing gives a PackError line (exit 2 from the CLI), not a gRPC traceback."""
    import shutil

    from groundlink.check import PackError

    pack = tmp_path / "pack"
    shutil.copytree(check_runner.PACK_DIR, pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    with (pack / "data_protection.py").open("a") as module:
        module.write(
            '\n\n@resource_rule("crashes", area="data-protection", severity="low", enforcement="advisory",\n'
            '               types=T.KEY_VAULT, controls=("test",), description="d", remediation="r")\n'
            "def crashes(args, report):\n"
            '    raise ValueError("rule exploded")\n'
        )
    with pytest.raises(PackError) as raised:
        check_plans([cached_plan("noaa20.yaml", "azure")], pack_dir=pack)
    message = str(raised.value)
    assert "rule exploded" in message and "azure" in message and "\n" not in message
    assert _pack_children() == []


def test_a_pack_s_initial_config_is_applied_as_the_cli_reads_it(tmp_path, own_pack_processes):
    """A pack may set `initial_config`. Its enforcement level has no presence on the wire (a proto3
    enum): an entry of properties only arrives as ADVISORY, which the CLI applies as advisory
    (convertPolicyConfig). The check read it as optional and stopped with a protobuf traceback."""
    import shutil

    from .conftest import variant_plan

    pack = tmp_path / "pack"
    shutil.copytree(check_runner.PACK_DIR, pack, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    main_module = pack / "__main__.py"
    text = main_module.read_text()
    assert text.count("        policies=pack.policies(),\n") == 1
    main_module.write_text(
        text.replace(
            "        policies=pack.policies(),\n",
            "        policies=pack.policies(),\n"
            '        initial_config={"aws-s3-kms-encryption": {"requireCustomerManagedKey": True},\n'
            '                        "aws-kinesis-cmk": EnforcementLevel.DISABLED},\n',
        )
    )
    plan = variant_plan("aws", {"security.customer_managed_keys": False})
    mandatory = {v.policy for v in check_plans([plan]).mandatory}
    assert {"aws-s3-kms-encryption", "aws-kinesis-cmk"} <= mandatory
    result = check_plans([plan], pack_dir=pack)
    assert {v.policy for v in result.mandatory} == mandatory - {"aws-s3-kms-encryption", "aws-kinesis-cmk"}
    advisory = {v.policy for v in result.violations if not v.mandatory}
    assert "aws-s3-kms-encryption" in advisory and "aws-kinesis-cmk" not in advisory


def test_allowed_regions_with_the_stack_location_pass_the_reference_mission():
    """Global resources (action group, metric alert) are not placed in a region: no false violation."""
    result = check_plans(
        [cached_plan("noaa20.yaml", "azure")],
        policy_pack_config={"allowed-regions": {"allowedAzureLocations": ["westus2"]}},
    )
    assert result.violations == []


def test_a_pack_that_cannot_start_is_one_clear_error_and_leaves_nothing_running(tmp_path):
    from groundlink.check import PackError, PackProcess

    process = PackProcess(tmp_path / "missing-pack", "groundlink", "noaa20-aws", python=str(tmp_path / "no-python"))
    with pytest.raises(PackError, match="cannot start the policy pack"):
        process.start()
    assert process._engine is None and process._proc is None


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_pack_is_configured_with_the_config_the_plan_ran_with(monkeypatch, cloud):
    """A rule reading stack config must see what the program saw (region, spec path, cloud)."""
    from groundlink.engine import runner as engine_runner

    spec = SPECS / "noaa20.yaml"
    seen: dict = {}
    real_run = engine_runner.run_program
    monkeypatch.setattr(
        engine_runner,
        "run_program",
        lambda program, **kw: seen.setdefault("plan", kw["config"]) and real_run(program, **kw),
    )
    engine_runner.plan(spec, cloud)
    monkeypatch.setattr(check_runner, "_check_all", lambda label, jobs, given, pack_dir: seen.setdefault("pack", jobs))
    check_runner.check(spec, [cloud])
    assert seen["pack"][0][2] == seen["plan"]
    assert seen["plan"]["groundlink:cloud"] == cloud
    assert seen["plan"]["groundlink:spec"] == str(spec.resolve())


def test_a_stack_larger_than_the_analyze_window_gets_every_finding(monkeypatch):
    """At most ANALYZE_WINDOW Analyze calls are in flight: a 500-satellite stack's 4,593 at once
    had the pack's server cancel them (CANCELLED, no verdict). With a window of 3 over the
    82-resource noaa20 stack the findings are those of the whole stack, and no more than 3
    calls are ever outstanding."""
    from groundlink.check import host

    doc = _doc("aws")
    key = _find(doc, "aws:kms/key:Key")
    _set(key, enableKeyRotation=False)
    bucket = _find(doc, "aws:s3/bucket:Bucket")
    _set(bucket, acl="public-read")
    waiting, most = [0], [0]  # calls sent and not yet collected by the runner
    connect = host.PackProcess.connect

    class Collected:
        def __init__(self, call):
            self.call = call

        def result(self):
            waiting[0] -= 1
            return self.call.result()

    class Counted:
        def __init__(self, analyze):
            self.analyze = analyze

        def future(self, request):
            waiting[0] += 1
            most[0] = max(most[0], waiting[0])
            return Collected(self.analyze(request))

    def counting(self, timeout=None):
        stub = connect(self, timeout)  # the same stub each time a session connects: wrapped once
        if not isinstance(stub.Analyze, Counted):
            stub.Analyze = Counted(stub.Analyze.future)
        return stub

    monkeypatch.setattr(host.PackProcess, "connect", counting)
    monkeypatch.setattr(check_runner, "ANALYZE_WINDOW", 3, raising=False)
    result = check_plans([Plan.from_json(doc)])
    assert {("aws-kms-key-rotation", key["name"]), ("aws-s3-no-public-acl", bucket["name"])} <= _found(result)
    assert 1 <= most[0] <= 3 < len(doc["resources"])


@pytest.mark.parametrize("command", ["check", "compare"])
def test_a_misspelt_policy_is_refused_before_anything_is_planned_or_started(
    tmp_path, monkeypatch, capsys, own_pack_processes, command
):
    """A misspelt policy name was refused only once both clouds were planned (4-6 s), when the
    pack answered; the file is judged against the pack's rules before any plan or process."""
    from groundlink import cli
    from groundlink.app import parallel_plans
    from groundlink.check import host, runner

    def refused(*args, **kwargs):
        raise AssertionError("planned or started although the pack config was refused")

    monkeypatch.setattr(runner, "build_plan", refused)
    monkeypatch.setattr(parallel_plans, "run_plans", refused)
    monkeypatch.setattr(host.PackProcess, "start", refused)
    config = tmp_path / "pack.json"
    config.write_text('{"azure-storage-no-publik": "mandatory"}')
    out = ["--out", str(tmp_path / "report")] if command == "compare" else []
    assert cli.main([command, str(SPECS / "noaa20.yaml"), *out, "--policy-pack-config", str(config)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: {config}: azure-storage-no-publik: unknown policy; allowed: all, or a rule name in "
        "docs/policies.md; those starting azure-storage-no- end in: cross-tenant-replication, public-blob; did you mean "
        "'azure-storage-no-public-blob'?"
    ]
    assert not (tmp_path / "report").exists()


def test_the_rules_judged_up_front_are_the_schemas_the_pack_reports():
    """The up-front judgement of a pack config reads the rules in this process; the pack
    process reports its policies over gRPC, and the two must be the same names, levels and
    property schemas, or the two judgements could differ."""
    from google.protobuf import empty_pb2, json_format
    from groundlink.policies.pack import RULES
    from pulumi.runtime.proto import analyzer_pb2 as pb
    from pulumi_policy import EnforcementLevel
    from pulumi_policy.policy import _PolicyAnalyzerServicer

    from groundlink.check import import_pack

    pack = import_pack()
    servicer = _PolicyAnalyzerServicer("groundlink", "0", pack.policies(), EnforcementLevel.ADVISORY)
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    reported = {
        p.name: (
            pb.EnforcementLevel.Name(p.enforcementLevel).lower(),
            json_format.MessageToDict(p.configSchema.properties),
            list(p.configSchema.required),
        )
        for p in info.policies
    }
    assert reported == {rule.name: (rule.enforcement, rule.config, []) for rule in RULES}
    assert len(reported) > 40


def test_a_proxy_in_the_environment_never_stands_between_groundlink_and_its_pack(monkeypatch, own_pack_processes):
    """gRPC sends every channel through http_proxy, https_proxy or grpc_proxy, loopback too:
    behind a corporate proxy `check` waited 60 s and failed, blaming the pack, and `compare`
    passed with no policy results at all."""
    from pathlib import Path

    from groundlink.check.host import PackProcess

    for name in ("http_proxy", "https_proxy", "grpc_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # a port nothing listens on
    monkeypatch.delenv("no_grpc_proxy", raising=False)
    monkeypatch.setenv("no_proxy", "internal.example.com")
    plan = cached_plan("noaa20.yaml", "aws")
    result = check_plans([plan])
    assert result.passed and [c.resources for c in result.clouds] == [len(plan.resources)]
    # the pack's own channel back to groundlink's engine bypasses it too, the user's exceptions kept
    with PackProcess(check_runner.PACK_DIR, "p", "s").start() as pack:
        assert pack._proc is not None
        environ = Path(f"/proc/{pack._proc.pid}/environ").read_bytes().split(b"\0")
    assert b"no_grpc_proxy=internal.example.com,127.0.0.1" in environ


def test_the_json_counts_mandatory_violations_apart_from_advisory_ones():
    """`check --json`'s per-cloud `mandatory` is the number of violations that fail the check: an
    advisory finding beside one mandatory one counted as two, and a CI gate reading the field
    failed on advisories that docs/policies.md says only print."""
    from groundlink.check.runner import CheckResult, CloudCheck

    from .conftest import violation

    def cloud(*levels: str) -> CloudCheck:
        found = [violation(f"rule-{i}", level) for i, level in enumerate(levels)]
        return CloudCheck("aws", "noaa20-aws", 3, found, 1.0, 2.0)

    doc = CheckResult("noaa20.yaml", {}, [cloud("advisory", "mandatory"), cloud("advisory")]).to_json()
    assert doc["passed"] is False
    assert [(c["mandatory"], len(c["violations"])) for c in doc["clouds"]] == [(1, 2), (0, 1)]
    assert [v["enforcement"] for v in doc["clouds"][0]["violations"]] == ["advisory", "mandatory"]
    assert CheckResult("noaa20.yaml", {}, [cloud("advisory")]).to_json()["passed"] is True
