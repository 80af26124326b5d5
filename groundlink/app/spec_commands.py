"""`groundlink validate`, `schema` and `plan`: the commands over one spec and the offline engine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..clouds import CLOUD_CHOICES, chosen_clouds
from ..errors import UsageError
from ..rounding import counted
from . import diff_command


def configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", nargs="+")


def validate(args: argparse.Namespace) -> int:
    """Every spec given is read, a bad one included: its lines on stderr as they come, the good
    ones' summaries on stdout, and exit 2 when any spec had a problem."""
    import sys

    from ..errors import EXIT_OK, EXIT_USAGE
    from ..inputs import escaped
    from ..spec import SpecError, load_spec

    code = EXIT_OK
    for path in args.spec:
        try:
            spec = load_spec(path)
        except SpecError as error:
            for line in error.lines:
                print(line, file=sys.stderr, flush=True)
            code = EXIT_USAGE
            continue
        print(  # the path's control characters as their escapes, as every error line shows them
            f"{escaped(str(path))}: ok ({spec.mission.name}: {counted(len(spec.satellites), 'satellite')}, "
            f"{counted(len(spec.downlinks()), 'downlink')}, ground segment {spec.ground_segment.provider})",
            flush=True,
        )
    return code


def configure_schema(parser: argparse.ArgumentParser) -> None:
    """`schema` takes no arguments."""


def schema(args: argparse.Namespace) -> int:
    from ..spec import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def configure_plan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec")
    parser.add_argument("--cloud", choices=CLOUD_CHOICES, default="both", help="(default: both)")
    parser.add_argument(
        "--json",
        metavar="FILE",
        help="write the plan JSON; with --cloud both, one file per cloud: FILE's name with -aws and -azure "
        "before its suffix, .json when it has none (plan.json or plan: plan-aws.json, plan-azure.json)",
    )
    diff_command.add_against(parser)


def _plan_target(path: Path, cloud: str, clouds: int) -> Path:
    """The file of `cloud`'s plan: `--json` itself for one cloud, NAME-<cloud>.json beside it for both."""
    from ..outputs import not_writable_as_file, written_in_place

    if clouds == 1:
        return path
    if written_in_place(path):  # one stream would carry two documents, and no name to tell them apart
        raise UsageError(
            f"--json {path}: --cloud both writes a file per cloud (NAME-aws.json, NAME-azure.json); give a file path or one --cloud"
        )
    # what the user named is judged, not the names made from it: `-` or /dev/zero would
    # otherwise pass as "--aws.json" or a new file beside the device
    problem = not_writable_as_file(path)
    if problem is not None:
        raise UsageError(f"--json {path}: {problem}")
    return path.with_name(f"{path.stem}-{cloud}{path.suffix or '.json'}")


def _refuse_one_file_for_two(targets: dict[str, Path]) -> None:
    """Two clouds' --json names that lead to one file (a link at one to the other) would leave
    one plan, the second written, under both names."""
    from ..outputs import file_location

    seen: dict[Path, Path] = {}
    for target in targets.values():
        where = file_location(target)
        if where in seen:
            raise UsageError(
                f"--json {target}: leads to the same file as {seen[where]} ({where}), so one cloud's plan "
                "would be written over the other's; remove the link, or give another --json name"
            )
        seen[where] = target


def plan(args: argparse.Namespace) -> int:
    """Every input is read (the spec, --against, the diff against it) before any --json file is
    written, and no --json file may be one of them: a plan written over --against first made
    the diff compare the new plan with itself."""
    from dataclasses import replace

    from ..engine import plan
    from ..outputs import check_file_target, output_path, say_written, write_texts_together
    from ..path_args import copied_from, inputs_of, refuse_overwriting
    from ..preflight import preflight_planned
    from ..report.plan_tree import render_tree
    from .preflight_command import print_findings

    clouds = chosen_clouds(args.cloud)
    given = output_path(args.json, "--json") if args.json else None
    targets = {cloud: _plan_target(given, cloud, len(clouds)) for cloud in clouds} if given else {}
    _refuse_one_file_for_two(targets)
    for target in targets.values():  # before any planning
        refuse_overwriting(target, "--json", inputs_of(args))
        check_file_target(target, "--json")
    diff_command.check_against(args)
    plans = {}
    piped = copied_from(args, args.spec)
    for cloud in clouds:
        result = plan(args.spec, cloud)
        if piped:  # planned from a private copy: the plan names what the user gave
            result = replace(result, spec=piped)
        plans[cloud] = result
        render_tree(result)
        print_findings(result, preflight_planned(result))
    code = diff_command.against(args, clouds, plans)
    # both clouds' files, or neither: a pair of one run
    write_texts_together([(target, plans[cloud].json_text()) for cloud, target in targets.items()], "--json")
    for target in targets.values():
        say_written(target)
    return code
