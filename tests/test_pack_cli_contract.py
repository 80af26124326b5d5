"""What the real Pulumi CLI reads of the pack, held to what the CLI and the installed SDK accept,
and the pack's run instructions held to what works as written.

The CLI starts a Python pack with the pack's virtualenv (the `virtualenv` option of
PulumiPolicy.yaml), as `python -u -m pulumi.policy <engine> <pack dir>` in the pack's directory:
through the language host's RunPlugin since pulumi/pulumi#21684 (2026-02-12), through the
`pulumi-analyzer-policy-python` shim before; it validates a policy's config by wrapping the schema's
properties in `{"type": "object", "properties": ..., "required": ...}` with an injected
`enforcementLevel` enum (sdk/go/common/resource/plugin/analyzer_plugin.go, GetAnalyzerInfo;
pkg/resource/analyzer/config.go, convertSchema), after filling in each property's `default`;
and it reads `--policy-pack-config` as a map from policy name to a level or to an object with an
optional `enforcementLevel` and the properties (config.go, parsePolicyPackConfig)."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import sys

import jsonschema
import pytest
import yaml

from groundlink.check import PACK_DIR

from .conftest import ROOT
from .policies_support import PACK, RULES

LEVELS = ("advisory", "mandatory", "remediate", "disabled")  # apitype.EnforcementLevel, the SDK's enum
PACK_DOCS = ("README.md", "docs/policies.md")


def _cli_schema(properties: dict, required: list[str] | None = None) -> dict:
    """The schema the CLI validates a policy's config against."""
    schema: dict = {
        "$schema": "http://json-schema.org/draft-07/schema#",  # gojsonschema's newest draft
        "type": "object",
        "properties": {**properties, "enforcementLevel": {"type": "string", "enum": list(LEVELS)}},
    }
    if required:
        schema["required"] = required
    return schema


def test_every_policy_passes_the_installed_sdks_checks_and_the_services():
    """pulumi_policy.Policy refuses an empty name or description and the reserved name `all`;
    PolicyPack checks the pack name against ^[a-zA-Z0-9-_.]{1,100}$; the service refuses a
    publish with two policies of one name ("Duplicate policy name")."""
    from pulumi_policy import Policy
    from pulumi_policy.policy import _POLICY_PACK_NAME_RE

    policies = PACK.policies()
    assert all(isinstance(p, Policy) for p in policies)
    names = [p.name for p in policies]
    assert len(names) == len(set(names))
    assert "all" not in names
    assert all(p.description and isinstance(p.description, str) for p in policies)
    # URL-safe ids well inside the pack name's own limit (the service keys results by them)
    assert [n for n in names if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) or len(n) > 100] == []
    assert _POLICY_PACK_NAME_RE.match(PACK.PACK_NAME)


@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if rule.config))
def test_each_config_schema_is_one_the_cli_compiles_and_its_defaults_pass_it(name):
    """The CLI fills in the defaults, then validates: a default outside its own schema would
    fail every preview that loads the pack."""
    policy = PACK.policy_of(RULES[name])
    schema = _cli_schema(policy.config_schema.properties, policy.config_schema.required)
    jsonschema.Draft7Validator.check_schema(schema)
    assert "enforcementLevel" not in policy.config_schema.properties
    defaults = {key: prop["default"] for key, prop in policy.config_schema.properties.items() if "default" in prop}
    assert list(jsonschema.Draft7Validator(schema).iter_errors(defaults)) == []
    # JSON numbers reach the pack as floats: an integer property would read 3.0
    assert [k for k, p in policy.config_schema.properties.items() if p.get("type") == "integer"] == []


@pytest.mark.parametrize("path", sorted(PACK_DIR.glob("*.config.json")), ids=lambda p: p.name)
def test_the_shipped_pack_configs_have_the_shape_the_cli_takes(path):
    config = json.loads(path.read_text())
    assert isinstance(config, dict) and config
    for name, value in config.items():
        assert name == "all" or name in RULES, f"{path.name}: no policy {name!r}"
        if isinstance(value, str):
            assert value in LEVELS
            continue
        assert isinstance(value, dict), f"{path.name}: {name}: must be a string or object"
        settings = dict(value)
        level = settings.pop("enforcementLevel", None)
        assert level is None or level in LEVELS
        if name == "all":
            assert settings == {}
            continue
        rule = RULES[name]
        assert set(settings) <= set(rule.config), f"{path.name}: {name}: {sorted(set(settings) - set(rule.config))}"
        merged = {**rule.defaults(), **settings}
        assert list(jsonschema.Draft7Validator(_cli_schema(rule.config)).iter_errors(merged)) == []


def test_pulumipolicy_yaml_asks_the_cli_for_what_its_python_shim_runs():
    meta = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text())
    assert set(meta) <= {"runtime", "version", "main", "description", "author", "website", "license"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(meta["version"]))
    runtime = meta["runtime"]
    assert runtime["name"] == "python"
    options = runtime["options"]
    assert set(options) <= {"virtualenv", "toolchain", "typechecker"}
    # `pulumi install` builds the venv with the toolchain; the shim then runs <virtualenv>/bin/python,
    # which only the pip toolchain's venv at that path provides
    assert options.get("toolchain", "pip") == "pip"
    venv = options["virtualenv"]
    assert not venv.startswith("/") and ".." not in venv
    assert f"{venv}/" in (PACK_DIR / ".gitignore").read_text().split()  # never committed nor published


def _non_stdlib_import_roots() -> set[str]:
    roots = set()
    for path in PACK_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots.add(node.module.split(".")[0])
    return roots - set(sys.stdlib_module_names) - {"__future__"}


def _pins() -> dict[str, str]:
    return {
        name.strip().lower().replace("_", "-"): version.strip()
        for line in (PACK_DIR / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.lstrip().startswith("#")
        for name, version in [line.split("==")]
    }


def test_every_package_the_pack_or_its_runner_imports_is_pinned():
    """The CLI runs `<venv>/bin/python -m pulumi.policy`, whose SDK (pulumi_policy) imports grpc;
    the pack itself imports pulumi_policy and google.protobuf."""
    pins = _pins()
    providers = importlib.metadata.packages_distributions()
    for root in _non_stdlib_import_roots() | {"pulumi", "grpc"}:
        dists = {d.lower().replace("_", "-") for d in providers[root]}
        if root == "google":
            dists &= {"protobuf"}  # google.protobuf, not another google.* namespace package
        assert dists and dists <= set(pins), (root, sorted(dists - set(pins)))
    assert pins["protobuf"].startswith("5.29.")  # pulumi-policy 1.21 requires protobuf~=5.29.5


def test_the_docs_name_every_package_the_pack_imports():
    text = " ".join((ROOT / "docs" / "policies.md").read_text().split())
    sentence = text[text.index("The pack imports nothing but") :].split(". ")[0]
    named = {name.split(".")[0] for name in re.findall(r"`([\w.]+)`", sentence)}
    assert _non_stdlib_import_roots() <= named, sentence


def _shell_lines(page: str) -> list[str]:
    """The lines of the page's ```sh / ```bash blocks."""
    lines, inside = [], False
    for line in (ROOT / page).read_text().splitlines():
        if line.startswith("```"):
            inside = not inside and line.strip() in ("```sh", "```bash")
        elif inside:
            lines.append(line)
    return lines


@pytest.mark.parametrize("page", PACK_DOCS)
def test_a_command_in_the_pack_docs_runs_as_written(page):
    """`groundlink` is a script in .venv/bin, not on PATH (README: "without the script on PATH"),
    so a command to run names it by path; a synopsis (`groundlink check SPEC [...]`) is no command."""
    bare = [
        line
        for line in _shell_lines(page)
        if re.match(r"groundlink \w+ ", line) and not re.match(r"groundlink \w+ (SPEC|OLD NEW) \[", line)
    ]
    assert bare == []


@pytest.mark.parametrize("page", PACK_DOCS)
def test_the_manual_venv_is_given_as_the_alternative_to_pulumi_install_not_run_after_it(page):
    lines = _shell_lines(page)
    install = [i for i, line in enumerate(lines) if line.startswith("(cd policies && pulumi install)")]
    assert install, page
    for i in install:
        if "or" in lines[i].split("#", 1)[-1].split():  # "...; or, without the CLI's help:"
            alternative = lines[i + 1]
            assert alternative.lstrip().startswith("# python3"), alternative
