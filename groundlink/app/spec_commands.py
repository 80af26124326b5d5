"""`groundlink validate`, `schema` and `plan`: the commands over one spec and the offline engine."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..clouds import CLOUD_CHOICES, chosen_clouds
from ..errors import UsageError
from . import diff_command


def configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", nargs="+")


def validate(args: argparse.Namespace) -> int:
    """Every spec given is read, a bad one included: its lines on stderr as they come, the good
    ones' summaries on stdout, and exit 2 when any spec had a problem."""
    import sys

    from ..errors import EXIT_OK, EXIT_USAGE
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
        print(
            f"{path}: ok ({spec.mission.name}: {len(spec.satellites)} satellites, "
            f"{len(spec.downlinks())} downlinks, ground segment {spec.ground_segment.provider})",
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
    parser.add_argument("--cloud", choices=CLOUD_CHOICES, default="both")
    parser.add_argument("--json", metavar="FILE", help="write the plan JSON (one file per cloud with --cloud both)")
    diff_command.add_against(parser)


def _plan_target(path: Path, cloud: str, clouds: int) -> Path:
    """The file of `cloud`'s plan: `--json` itself for one cloud, NAME-<cloud>.json beside it for both."""
    from ..outputs import written_in_place

    if clouds == 1:
        return path
    if written_in_place(path):  # one stream would carry two documents, and no name to tell them apart
        raise UsageError(
            f"--json {path}: --cloud both writes a file per cloud (NAME-aws.json, NAME-azure.json); give a file path or one --cloud"
        )
    return path.with_name(f"{path.stem}-{cloud}{path.suffix or '.json'}")


def plan(args: argparse.Namespace) -> int:
    from ..engine import plan
    from ..outputs import check_file_target, output_path, writing
    from ..preflight import preflight_planned
    from ..report.plan_tree import render_tree
    from .preflight_command import print_findings

    clouds = chosen_clouds(args.cloud)
    given = output_path(args.json, "--json") if args.json else None
    targets = {cloud: _plan_target(given, cloud, len(clouds)) for cloud in clouds} if given else {}
    for target in targets.values():
        check_file_target(target, "--json")  # before any planning
    diff_command.check_against(args)
    plans = {}
    for cloud in clouds:
        result = plans[cloud] = plan(args.spec, cloud)
        render_tree(result)
        print_findings(result, preflight_planned(result))
        if cloud in targets:
            with writing(targets[cloud], "--json"):
                result.write(targets[cloud])
            print(f"wrote {targets[cloud]}")
    return diff_command.against(args, clouds, plans)
