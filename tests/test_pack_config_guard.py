"""The pack itself refuses a configuration naming a rule or a setting it does not have
(policies/config_guard.py): under `pulumi preview --policy-pack-config FILE`, which does not
run groundlink's own check of FILE, a misspelt setting otherwise switched its rule back to the
default without a word (`allowedAwsRegion` for `allowedAwsRegions`: any region passed)."""

from __future__ import annotations

import importlib
import json

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2 as pb

from groundlink.check import PackProcess, import_pack
from groundlink.check.config import PackConfigError, check_against_the_rules, load_config_file
from groundlink.check.runner import PACK_DIR

PACK = import_pack()
guard = importlib.import_module(PACK.__name__.rsplit(".", 1)[0] + ".config_guard")
SETTINGS = {rule.name: list(rule.config) for rule in PACK.RULES}
CONFIGURED = sorted(name for name, keys in SETTINGS.items() if keys)


def test_a_misspelt_setting_is_named_with_the_rules_settings_and_the_nearest():
    problem = guard.config_problem({"allowed-regions": {"allowedAwsRegion": ["eu-west-1"]}}, SETTINGS)
    assert problem == (
        "policy pack config: allowed-regions.allowedAwsRegion: unknown property; "
        "allowed: enforcementLevel, allowedAwsRegions, allowedAzureLocations; did you mean 'allowedAwsRegions'?"
    )


def test_a_misspelt_rule_is_named_with_the_nearest():
    problem = guard.config_problem({"allowed-region": {"allowedAwsRegions": ["eu-west-1"]}}, SETTINGS)
    assert problem == "policy pack config: allowed-region: unknown policy; did you mean 'allowed-regions'?"


def test_a_name_with_a_line_break_or_edge_spaces_is_quoted_on_the_one_line():
    problem = guard.config_problem({"allowed-regions": {"x\ny ": 1}}, SETTINGS)
    assert problem is not None and "\n" not in problem
    assert problem.startswith('policy pack config: allowed-regions."x\\ny ": unknown property')
    assert guard.config_problem({" tags-required": {}}, SETTINGS) == (
        "policy pack config: \" tags-required\": unknown policy; did you mean 'tags-required'?"
    )


@pytest.mark.parametrize("name", CONFIGURED)
def test_every_setting_of_every_rule_is_taken_and_its_misspelling_refused(name):
    keys = SETTINGS[name]
    assert guard.config_problem({name: dict.fromkeys(keys, None)}, SETTINGS) is None
    for key in keys:
        problem = guard.config_problem({name: {key + "s": None}}, SETTINGS)
        assert problem is not None and problem.startswith(f"policy pack config: {name}.{key}s: unknown property")
        assert problem.endswith(f"did you mean '{key}'?")


def test_a_name_near_nothing_gets_no_suggestion_and_all_hides_no_name_after_it():
    assert guard.config_problem({"zzzz-qqqq": {}}, SETTINGS) == "policy pack config: zzzz-qqqq: unknown policy"
    # `all` sorts first: the names after it are judged too
    config = {"all": {"enforcementLevel": "mandatory"}, "allowed-regionz": {"enforcementLevel": "mandatory"}}
    assert guard.config_problem(config, SETTINGS) == (
        "policy pack config: allowed-regionz: unknown policy; did you mean 'allowed-regions'?"
    )


def test_a_setting_under_all_is_refused_as_it_configures_no_rule():
    problem = guard.config_problem({"all": {"enforcementLevel": "mandatory", "allowedAwsRegions": []}}, SETTINGS)
    assert problem == (
        "policy pack config: all.allowedAwsRegions: `all` sets only enforcementLevel; put properties under the "
        "policy they configure"
    )


def test_every_rule_of_the_pack_and_the_clis_all_are_taken_with_a_level():
    config = {name: {"enforcementLevel": "mandatory"} for name in SETTINGS} | {"all": {"enforcementLevel": "advisory"}}
    assert guard.config_problem(config, SETTINGS) is None


def test_the_pack_refuses_what_groundlink_check_refuses_and_takes_what_it_takes(tmp_path):
    """The two guards of one file agree: the pack's under the CLI, check's before it plans."""
    cases = {
        '{"allowed-regions": {"allowedAwsRegion": ["eu-west-1"]}}': True,
        '{"allowed-regionz": "mandatory"}': True,
        '{"allowed-regions": {"allowedAwsRegions": ["eu-west-1"]}, "all": "mandatory"}': False,
        '{"tags-required": {"requiredTags": ["mission"], "enforcementLevel": "advisory"}}': False,
        # the CLI passes `all` on with its properties, which configure no rule
        '{"all": {"enforcementLevel": "mandatory", "allowedAwsRegions": ["eu-west-1"]}}': True,
    }
    for text, refused in cases.items():
        path = tmp_path / "pack.json"
        path.write_text(text)
        try:
            check_against_the_rules(load_config_file(path))
            check_refused = False
        except PackConfigError:
            check_refused = True
        # as the CLI sends each entry: its properties (a level alone sends none)
        as_sent = {name: value if isinstance(value, dict) else {} for name, value in json.loads(text).items()}
        assert (guard.config_problem(as_sent, SETTINGS) is not None) is refused is check_refused, text


def _configure(stub, config: dict[str, tuple[str, dict]]):
    request = pb.ConfigureAnalyzerRequest()
    for name, (level, properties) in config.items():
        entry = request.policyConfig[name]
        entry.enforcementLevel = pb.EnforcementLevel.Value(level)
        entry.properties.update(properties)
    return stub.Configure(request)


def test_the_pack_process_answers_a_misspelt_setting_as_the_cli_sends_it_with_an_error():
    """What the CLI sends for the typo: the rule's defaults, the unknown key beside them."""
    process = PackProcess(PACK_DIR, "groundlink", "noaa20-aws")
    with process:
        stub = process.connect(timeout=60)
        typo = {"allowedAwsRegions": [], "allowedAzureLocations": [], "allowedAwsRegion": ["eu-west-1"]}
        with pytest.raises(grpc.RpcError) as refused:
            _configure(stub, {"allowed-regions": ("MANDATORY", typo)})
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert refused.value.details() == guard.config_problem({"allowed-regions": typo}, SETTINGS)
        right = {"allowedAwsRegions": ["eu-west-1"], "allowedAzureLocations": []}
        assert isinstance(_configure(stub, {"allowed-regions": ("MANDATORY", right)}), empty_pb2.Empty)
    assert not process.running
