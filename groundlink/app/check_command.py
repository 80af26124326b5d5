"""`groundlink check SPEC [--cloud aws|azure|both] [--policy-pack-config FILE] [--json FILE]`."""

from __future__ import annotations

import argparse
import json

from ..clouds import CLOUD_CHOICES, chosen_clouds
from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from . import diff_command


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", help="mission spec (YAML)")
    parser.add_argument("--cloud", choices=CLOUD_CHOICES, default="both", help="(default: both)")
    parser.add_argument(
        "--policy-pack-config", metavar="FILE", help="pack config JSON, as for `pulumi preview --policy-pack-config`"
    )
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
    diff_command.add_against(parser)


def run(args: argparse.Namespace) -> int:
    """The results name the spec and OLD as the user gave them, a pipe included (the
    command reads a private copy of it: groundlink.path_args)."""
    from dataclasses import replace

    from ..check.host import PackError
    from ..check.runner import check
    from ..outputs import check_file_target, displayable, output_path, say_written, write_text, writing
    from ..path_args import copied_from
    from ..report.check_console import render

    clouds = chosen_clouds(args.cloud)
    path = output_path(args.json, "--json") if args.json else None
    if path is not None:
        check_file_target(path, "--json")  # before minutes of planning are lost
    diff_command.check_against(args)
    try:
        result = check(args.spec, clouds, policy_pack_config=args.policy_pack_config)
    except PackError as error:
        raise UsageError(str(error)) from None
    result = replace(result, spec=copied_from(args, args.spec) or result.spec)
    render(result)
    lost, diffs = diff_command.against_diffs(args, clouds, None)
    passed = result.passed and lost == EXIT_OK
    if path is not None:  # what the exit code says, the refused data loss included
        doc = {**result.to_json(), "passed": passed}
        if args.against:
            doc["diff"] = {
                "against": copied_from(args, args.against) or args.against,
                "allowDataLoss": bool(args.allow_data_loss),
                "clouds": [d.to_json() for d in diffs],
            }
        with writing(path, "--json"):
            write_text(path, json.dumps(displayable(doc), indent=2))  # a name not UTF-8 as U+FFFD
        say_written(path)
    return EXIT_OK if passed else EXIT_FAILED
