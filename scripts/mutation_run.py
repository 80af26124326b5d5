"""`make mutation`: run mutmut over the chosen modules, or over a fixed sample of their mutants.

mutmut 3 writes every mutant of the source paths first (cached by file time), then records
which tests reach which function ("stats", once; again only for new tests), then runs each
chosen mutant against the tests that reach its function. Arguments are module globs
(`groundlink.cost.*`); a mutant is chosen when its name matches one.

MUTATION_SAMPLE=N runs one mutant in N per source file (at least one), chosen by a hash of
the mutant's name, so the same code gives the same sample on every machine; MUTATION_SAMPLE=1
runs them all. The score script reports how many of each module's mutants were run.

Each module (spec, blueprint, cost, parity, check, the pack, each cloud's components) is run
on its own, in its own process, against the test files that assert its behaviour (AREA_TESTS):
the stats phase then runs only those files, not the whole selection. mutmut forgets every
verdict when its test selection changes, so each module's verdicts are written to
mutants/results/<module>.txt as soon as its run ends; the score script reads those.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


SPEC = [
    "tests/test_spec_validation.py", "tests/test_spec_bounds.py", "tests/test_spec_schema_bounds.py",
    "tests/test_spec_rule_messages.py", "tests/test_spec_durability.py", "tests/test_spec_signals.py",
    "tests/test_azure_spec.py", "tests/test_field_paths.py", "tests/test_input_hardening.py",
    "tests/test_spec_provider_config.py", "tests/test_schema.py", "tests/test_telemetry_units.py",
]  # fmt: skip
BLUEPRINT = [
    "tests/test_blueprint_contract.py", "tests/test_blueprint_gaps_rules.py", "tests/test_archive_tier.py",
    "tests/test_blueprint_partner_addresses.py", "tests/test_layer_inputs.py", "tests/test_accepted_specs_build.py",
]  # fmt: skip
PARITY = [
    "tests/test_parity.py", "tests/test_azure_parity.py", "tests/test_durability_parity.py",
    "tests/test_protection_parity.py", "tests/test_parity_json.py",
]  # fmt: skip
# A component mutant is reached by every test that plans its cloud (a plan runs the whole program),
# so mutmut's stats alone would run every plan-building file for it (hours). Each component file's
# mutants run only the test files that assert that file's resources (its own file first, then the
# cross-cutting protection and stack tests); the cloud's area runs the union.
# every component file: the protection tests, the names of the mission tree and the pack's verdicts
PROTECTED = [
    "tests/test_protection_sets.py", "tests/test_stream_delivery_protection.py", "tests/test_resource_names.py",
    "tests/test_pack_on_plans.py",  # every rule of the pack over the example plans, in this process
]  # fmt: skip
PROCESSING = [
    "tests/test_processing_cloud.py", "tests/test_processing_network.py", "tests/test_processing_catalog.py",
    "tests/test_aws_processing_pipe.py", "tests/test_aws_processing_layer.py",
    "tests/test_azure_processing_off.py", "tests/test_resource_names.py", "tests/test_flex_package.py",
    "tests/test_flex_subnet_sizing.py", "tests/test_lambda_reach.py",
]  # fmt: skip
# the survivors of a sampled run, each asserted where it lives (in-process, plans from the cache)
GUARDS = ["tests/test_guards5.py", "tests/test_guards6.py", "tests/test_guards7.py", "tests/test_guards8.py"]
# settings the docs state, asserted as literals on the shared plans, and a program of one's own
# that renders the stack (its options and region); each cloud's survivors of the sampled run of
# 2026-12-06 that only these files killed
PLANNED = ["tests/test_guards_planned.py", "tests/test_durability_parity.py"]
AWS_SETTINGS = ["tests/test_guards2_aws.py", "tests/test_guards10_aws.py", *PLANNED]
AZURE_SETTINGS = [
    "tests/test_guards2_azure.py", "tests/test_guards10_azure.py", *PLANNED, "tests/test_log_retention_parity.py",
]  # fmt: skip
OWN_PROGRAM = ["tests/test_component_options.py", "tests/test_component_region.py"]
COMPONENT_TESTS: dict[str, list[str]] = {
    "components.aws.analytics": [
        "tests/test_aws_analytics.py", "tests/test_aws_catalog_serdes.py", "tests/test_aws_mission.py", *PROTECTED,
        *GUARDS, *AWS_SETTINGS, "tests/test_processing_catalog.py",
    ],
    "components.aws.events": [
        "tests/test_aws_events.py", "tests/test_aws_mission.py", *PROTECTED,
        "tests/test_aws_processing_pipe.py", "tests/test_processing_cloud.py", *AWS_SETTINGS,
    ],
    "components.aws.ground": [
        "tests/test_aws_ground.py", "tests/test_aws_ground_roles.py", "tests/test_aws_limits.py",
        "tests/test_aws_storage.py", *PROTECTED, *GUARDS, *AWS_SETTINGS,
    ],
    "components.aws.iam": [
        "tests/test_aws_security.py", "tests/test_aws_storage.py", "tests/test_aws_events.py",
        "tests/test_aws_replication.py", "tests/test_aws_ground.py", "tests/test_aws_ground_roles.py",
        "tests/test_preflight_policy_grammar.py",  # every policy document the plans hold, against IAM's grammar
        "tests/test_guards10_aws.py",
    ],
    "components.aws.mission": [
        "tests/test_aws_mission.py", "tests/test_smoke_plan.py", "tests/test_aws_observability.py",
        "tests/test_component_inputs.py", *PROTECTED,
        *AWS_SETTINGS, *OWN_PROGRAM, "tests/test_tag_limits.py",
    ],
    "components.aws.naming": [
        "tests/test_aws_limits.py", "tests/test_aws_storage.py", "tests/test_aws_ground.py", "tests/test_resource_names.py",
        "tests/test_guards10_aws.py",
    ],
    "components.aws.observability": [
        "tests/test_aws_observability.py", "tests/test_aws_security.py", "tests/test_frame_loss_alarm.py", *PROTECTED,
        *GUARDS,  # the replication alarms: test_guards7.py plans the geo variant
        "tests/test_aws_replication.py", *AWS_SETTINGS,
    ],
    "components.aws.processing": [*PROCESSING, *GUARDS, *AWS_SETTINGS],
    "components.aws.security": [
        "tests/test_aws_security.py", "tests/test_aws_mission.py", "tests/test_component_outputs.py", *PROTECTED,
        "tests/test_network_cidr.py", "tests/test_tag_limits.py", "tests/test_preflight_policy_grammar.py",
        *AWS_SETTINGS,
    ],
    "components.aws.storage": [
        "tests/test_aws_storage.py", "tests/test_aws_replication.py", "tests/test_archive_tier.py",
        "tests/test_component_hand_inputs.py", *PROTECTED,
        *AWS_SETTINGS, *GUARDS,
    ],
    "components.azure.analytics": [
        "tests/test_azure_analytics.py", "tests/test_azure_synapse_network.py", "tests/test_azure_adx_identity.py",
        *PROTECTED,
        "tests/test_telemetry_units.py", "tests/test_azure_parity.py", *AZURE_SETTINGS, *GUARDS,
        "tests/test_processing_catalog.py",
    ],
    "components.azure.events": [
        "tests/test_azure_events.py", "tests/test_servicebus_reach.py", *PROTECTED,
        "tests/test_azure_parity.py", *AZURE_SETTINGS,
    ],
    "components.azure.ground": [
        "tests/test_azure_ground.py", "tests/test_azure_ground_ids.py", "tests/test_component_hand_inputs.py", *PROTECTED,
        *AZURE_SETTINGS,
    ],
    "components.azure.iam": [
        "tests/test_azure_security.py", "tests/test_processing_cloud.py", "tests/test_guards10_azure.py",
    ],
    "components.azure.mission": [
        "tests/test_azure_parity.py", "tests/test_smoke_plan.py", "tests/test_component_inputs.py", *PROTECTED,
        *AZURE_SETTINGS, *OWN_PROGRAM, "tests/test_tag_limits.py",
    ],
    "components.azure.naming": [
        "tests/test_azure_dashed_names.py", "tests/test_azure_security.py", "tests/test_azure_storage.py",
        "tests/test_resource_names.py", "tests/test_guards10_azure.py",
    ],
    "components.azure.observability": [
        "tests/test_azure_observability.py", "tests/test_azure_diagnostics.py", "tests/test_azure_alert_receivers.py",
        "tests/test_azure_security.py", "tests/test_frame_loss_alarm.py", *PROTECTED, *GUARDS,
        *AZURE_SETTINGS,
    ],
    "components.azure.processing": [*PROCESSING, *GUARDS, *AZURE_SETTINGS],
    "components.azure.security": [
        "tests/test_azure_security.py", "tests/test_processing_network.py", "tests/test_azure_processing_off.py",
        *PROTECTED, *GUARDS,
        *AZURE_SETTINGS,
    ],
    "components.azure.storage": [
        "tests/test_azure_storage.py", "tests/test_azure_geo_storage.py", "tests/test_archive_tier.py",
        "tests/test_azure_security.py", "tests/test_component_hand_inputs.py", *PROTECTED, *GUARDS,
        *AZURE_SETTINGS,
    ],
    # the tag budget (tags_up_to) and the plan warnings (warn_if_no_frames, warn_if_private_image)
    # are asserted in their own files: the stats credited the test that built the shared plan first
    "components.base": [
        "tests/test_aws_mission.py", "tests/test_smoke_plan.py", "tests/test_azure_parity.py",
        "tests/test_tag_limits.py", "tests/test_processing_cloud.py", *PROTECTED, *GUARDS, *OWN_PROGRAM,
    ],
}  # fmt: skip


# A test that names the other cloud (`[azure]`, `test_the_azure_plan_…`, `TestAzurePrivate`) plans
# only that cloud's stack, which holds no mutant of this one: a cross-cloud test file runs its own half.
OTHER_CLOUD = {
    cloud: re.compile(rf"(?<![a-z]){other}(?![a-z])", re.I) for cloud, other in (("aws", "azure"), ("azure", "aws"))
}
COMPONENT_TIMEOUT_CONSTANT = 120.0  # seconds added to a component mutant's tests' recorded time


def component_tests(cloud: str) -> list[str]:
    """The cloud's test files: every file some component file of that cloud is tested by."""
    prefix = f"components.{cloud}."
    return sorted({f for module, files in COMPONENT_TESTS.items() if module.startswith(prefix) for f in files})


# The test files that assert each module's behaviour in this process. Left out everywhere: tests
# that run the command line or the pack in another process (it runs the code unmutated, so they
# cannot kill a mutant), the end-to-end compare/report/diff/edit-matrix/engine/preflight runs
# (minutes of plans; `make test` runs them), the property and fuzz tests, tests of the source
# text (mutants/ holds instrumented copies) and of groundlink/processing (not mutated).
AREA_TESTS: dict[str, list[str]] = {  # run in this order, the cheapest first
    "groundlink.cost": [
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_cost*.py")),
        "tests/test_telemetry_units.py", *GUARDS,
    ],
    "groundlink.spec": [*SPEC, *GUARDS],
    "groundlink.blueprint": [*BLUEPRINT, "tests/test_azure_parity.py", *GUARDS],
    "groundlink.parity": PARITY,
    "groundlink.check": [
        "tests/test_check_config_rules.py", "tests/test_check_pack_stderr.py", "tests/test_check_requests.py",
        "tests/test_check_property_dependencies.py", "tests/test_check_e2e.py", *GUARDS,
    ],
    "policies": [
        *sorted(
            str(p.relative_to(ROOT)) for g in ("test_policies_*.py", "test_pack_*.py") for p in (ROOT / "tests").glob(g)
        ),
        *GUARDS,
    ],
    "components.aws": component_tests("aws"),
    "components.azure": component_tests("azure"),
    "components": COMPONENT_TESTS["components.base"],
}  # fmt: skip


def area(name: str) -> str:
    """The module a mutant belongs to: groundlink's subpackage, the cloud's components, the pack."""
    parts = re.split(r"\.x[_ǁ]", name, maxsplit=1)[0].split(".")
    if parts[0] == "groundlink" or (parts[0] == "components" and parts[1:2] in (["aws"], ["azure"])):
        return ".".join(parts[:2])
    return parts[0]


def chosen(names: list[str], globs: list[str], every: int) -> list[str]:
    """The mutants matching `globs`, one in `every` per module, the same ones on every run."""
    by_module: dict[str, list[str]] = {}
    for name in names:
        if any(fnmatch.fnmatch(name, g) for g in globs):
            by_module.setdefault(name.split(".x", 1)[0], []).append(name)
    picked: list[str] = []
    for members in by_module.values():
        members.sort(key=lambda n: hashlib.sha256(n.encode()).hexdigest())
        picked += members[: math.ceil(len(members) / every)]
    return sorted(picked)


def forget_unfinished(root: Path, sources: list[Path]) -> list[Path]:
    """Remove each mutant file whose writing did not finish: mutmut writes a source's mutants, then
    its `.meta`, and on the next run keeps any mutant file newer than its source. A Ctrl-C while it
    wrote left empty files newer than their sources with no `.meta`: the next run took them as
    done, chose no mutant of those sources, and stopped without results, saying nothing of why."""
    removed = []
    for source in sources:
        mutant, meta = root / "mutants" / source, root / "mutants" / f"{source}.meta"
        if mutant.is_file() and (not meta.is_file() or meta.stat().st_mtime_ns < mutant.stat().st_mtime_ns):
            mutant.unlink()
            removed.append(source)
    return removed


def all_mutants() -> list[str]:
    from mutmut.utils.file_utils import walk_mutatable_files

    names: list[str] = []
    for path in walk_mutatable_files():
        meta = ROOT / "mutants" / f"{path}.meta"
        if meta.exists():
            names += json.loads(meta.read_text())["exit_code_by_key"]
    return names


def one_clean_run() -> None:
    """mutmut runs the chosen mutants' tests unmutated before mutating: when this run has just
    recorded the stats, that is a second clean run of the same tests (minutes), since the stats
    run itself runs every selected test unmutated and fails on the first failure. Skip it then;
    when the stats are reused from an earlier run, the clean run still checks the tests pass."""
    import mutmut.__main__ as mutmut_main

    make_runner = mutmut_main.get_mutant_runner

    def runner(children: int) -> Any:
        made = make_runner(children)
        collect, clean = made.collect_stats, made.run_clean_tests
        recorded_all: list[bool] = []

        def collect_stats(tests: Any) -> int:
            recorded_all.append(not tests)
            return int(collect(tests))

        def run_clean_tests(tests: Any) -> int:
            if recorded_all and all(recorded_all):
                print("    the stats run was the clean run", flush=True)
                return 0
            return int(clean(tests))

        made.collect_stats, made.run_clean_tests = collect_stats, run_clean_tests
        return made

    mutmut_main.get_mutant_runner = runner


def own_tests_only() -> None:
    """After the stats are recorded or loaded, a component function keeps only the tests of
    its own file's entry in COMPONENT_TESTS: the stats credit every test that gets a plan with
    every component function the plan reached, which is every test of that cloud."""
    import mutmut.__main__ as mutmut_main
    from mutmut.state import state

    collect_or_load = mutmut_main.collect_or_load_stats

    def collect_or_load_stats(*args: Any, **kwargs: Any) -> None:
        collect_or_load(*args, **kwargs)
        by_function = state().tests_by_mangled_function_name
        for function, tests in by_function.items():
            module = re.split(r"\.x[_ǁ]", function, maxsplit=1)[0]
            files = COMPONENT_TESTS.get(module)
            if files is not None:
                other = OTHER_CLOUD.get(module.split(".")[1])
                by_function[function] = {
                    t
                    for t in tests
                    if t.split("::", 1)[0] in files and not (other and other.search(t.split("::", 1)[1]))
                }

    mutmut_main.collect_or_load_stats = collect_or_load_stats


def refresh_data_files() -> None:
    """mutmut copies a source file into mutants/ once and regenerates only the Python ones when
    they change: a data file of the package (a JSON schema, a YAML catalog) changed since would
    stay stale there and fail the tests that read it. Copy the newer ones again."""
    from mutmut.utils.file_utils import walk_all_files

    for root, name in walk_all_files():
        source = Path(root) / name
        target = ROOT / "mutants" / root / name
        stale = target.exists() and source.stat().st_mtime > target.stat().st_mtime
        if source.suffix != ".py" and source.is_file() and stale:
            shutil.copy2(source, target)


def run_area(module: str, children: int) -> int:
    """One module's chosen mutants against its own tests; its verdicts to mutants/results/."""
    from mutmut.__main__ import _run
    from mutmut.configuration import config
    from mutmut.stats import status_by_exit_code

    names = (ROOT / "mutants" / "chosen" / f"{module}.txt").read_text().split()
    selection = config().pytest_add_cli_args_test_selection
    config().pytest_add_cli_args_test_selection = AREA_TESTS[module] + [a for a in selection if a.startswith("-")]
    one_clean_run()
    if module.startswith("components"):
        own_tests_only()
        # mutmut's time limit grows from the tests' recorded call time, but a mutant's run plans
        # again what the stats run took from the plans an earlier test had built: under a busy
        # machine a limit of seconds would stop it, and a timeout counts as killed.
        config().timeout_constant = max(config().timeout_constant, COMPONENT_TIMEOUT_CONSTANT)
    _run(names, children)
    codes: dict[str, int | None] = {}
    for path in (ROOT / "mutants").rglob("*.py.meta"):
        codes |= json.loads(path.read_text())["exit_code_by_key"]
    results = ROOT / "mutants" / "results"
    results.mkdir(exist_ok=True)
    (results / f"{module}.txt").write_text("".join(f"{n}: {status_by_exit_code[codes.get(n)]}\n" for n in names))
    return 0


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("globs", nargs="*", help="module globs, e.g. 'groundlink.cost.*' (default: every module)")
    parser.add_argument("--area", help=argparse.SUPPRESS)  # one module's run, in a process of its own
    args = parser.parse_args(argv)
    counts = {}
    for variable, default in (("MUTATION_CHILDREN", "2"), ("MUTATION_SAMPLE", "1")):
        value = os.environ.get(variable, default)
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            parser.error(f"{variable}={value}; allowed: a whole number, 1 or more")
        counts[variable] = int(value)
    os.chdir(ROOT)
    children = counts["MUTATION_CHILDREN"]
    if args.area:
        from mutmut.utils.file_utils import setup_source_paths

        setup_source_paths()
        return run_area(args.area, children)
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants, set_mutant_under_test
    from mutmut.utils.file_utils import setup_source_paths

    every = counts["MUTATION_SAMPLE"]
    globs = args.globs or ["*"]
    Path("mutants").mkdir(exist_ok=True)
    from mutmut.utils.file_utils import walk_mutatable_files

    for source in forget_unfinished(ROOT, [Path(p) for p in walk_mutatable_files()]):
        print(
            f"{source}: its mutants were not all written (a run stopped while writing them): written again", flush=True
        )
    set_mutant_under_test("mutant_generation")
    copy_src_dir()
    refresh_data_files()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(children)
    names = chosen(all_mutants(), globs, every)
    print(f"{len(names)} mutants chosen (one in {every} per source file) for {' '.join(globs)}", flush=True)
    by_area: dict[str, list[str]] = {}
    for name in names:
        by_area.setdefault(area(name), []).append(name)
    (ROOT / "mutants" / "chosen").mkdir(exist_ok=True)
    (ROOT / "mutants" / "chosen.txt").write_text("".join(f"{n}\n" for n in names))
    for module, members in ((m, by_area[m]) for m in AREA_TESTS if m in by_area):
        (ROOT / "mutants" / "chosen" / f"{module}.txt").write_text("".join(f"{n}\n" for n in members))
        (ROOT / "mutants" / "results" / f"{module}.txt").unlink(missing_ok=True)
        print(f"== {module}: {len(members)} mutants, tests {' '.join(AREA_TESTS[module])}", flush=True)
        if subprocess.run([sys.executable, __file__, "--area", module]).returncode:
            print(f"== {module}: stopped without results; the other modules still run", flush=True)
    return 0 if names else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
