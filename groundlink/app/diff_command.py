"""`groundlink diff OLD NEW [--cloud aws|azure|both] [--json] [--allow-data-loss]`,
and the `--against OLD` option plan, check and compare share."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from ..clouds import CLOUD_CHOICES, chosen_clouds
from ..errors import EXIT_FAILED, EXIT_OK
from ..outputs import displayable

OLD_HELP = "a spec, a plan (groundlink plan --json) or a checkpoint (pulumi stack export)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help=f"what is deployed: {OLD_HELP}")
    parser.add_argument("new", help="the mission spec to apply (YAML)")
    parser.add_argument("--cloud", choices=CLOUD_CHOICES, default="both", help="(default: both)")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    add_allow_data_loss(parser)


def add_allow_data_loss(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-data-loss",
        action="store_true",
        help="do not fail when a stateful resource would be deleted or replaced",
    )


def add_against(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--against", metavar="OLD", help=f"also show the diff against {OLD_HELP}")
    add_allow_data_loss(parser)


def clouds_of(args: argparse.Namespace) -> list[str]:
    return chosen_clouds(args.cloud)


def run(args: argparse.Namespace) -> int:
    from ..diff import render_text
    from ..diff.run import diff_against

    diffs = _as_given(args, diff_against(args.old, args.new, clouds_of(args)), args.old, args.new)
    if args.json:
        print(json.dumps(displayable([d.to_json() for d in diffs]), indent=2, default=str))  # U+FFFD, as plans
    else:
        for diff in diffs:
            print("\n".join(render_text(diff)))
    return verdict(diffs, args.allow_data_loss, args.old, args.new)


def _as_given(args: argparse.Namespace, diffs: list[Any], old: str, new: str) -> list[Any]:
    """The diffs naming OLD and NEW as the user gave them, not the private copies made of a
    pipe (groundlink.path_args)."""
    from dataclasses import replace

    from ..path_args import copied_from

    old_name, new_name = copied_from(args, old), copied_from(args, new)
    return [replace(d, old=old_name or d.old, new=new_name or d.new) for d in diffs]


def verdict(diffs: Sequence[Any], allow_data_loss: bool, old: str, new: str) -> int:
    """EXIT_FAILED, with one line per change on stderr, when the cloud would refuse a change
    (whatever --allow-data-loss says) or data would be lost and that was not allowed; the last
    line names the spec fields changed when OLD is a spec too."""
    from ..diff.run import data_loss_lines, spec_changes, unappliable_lines
    from ..inputs import one_line

    rejected = unappliable_lines(diffs)
    lines = [] if allow_data_loss else data_loss_lines(diffs)
    if not rejected and not lines:
        return EXIT_OK
    for line in rejected + lines:
        print(line, file=sys.stderr)
    changed = spec_changes(old, new)
    if rejected:
        cause = f": the spec changes {changed}: revert it" if changed else ": revert it"
        message = f"groundlink: refusing a change the cloud rejects at pulumi up{cause} (--allow-data-loss does not accept it)"
    else:
        cause = f"; the spec changes {changed}: revert, or" if changed else ";"
        message = f"groundlink: refusing data loss{cause} pass --allow-data-loss to accept it"
    print(one_line(message), file=sys.stderr)
    return EXIT_FAILED


def check_against(args: argparse.Namespace) -> None:
    """Before planning: a bad --against OLD is one line, not minutes of planning later."""
    from ..diff.run import check_old

    if args.against:
        check_old(args.against, clouds_of(args))


def against(args: argparse.Namespace, clouds: Sequence[str], new_plans: Mapping[str, Any] | None) -> int:
    """For plan/check/compare --against: print the diff; the exit code a data loss calls for."""
    return against_diffs(args, clouds, new_plans)[0]


def against_diffs(
    args: argparse.Namespace, clouds: Sequence[str], new_plans: Mapping[str, Any] | None
) -> tuple[int, list[Any]]:
    """`against`, and the diffs it printed (none without --against), for a command that also
    records them (check --json)."""
    from ..diff import render_text
    from ..diff.run import diff_against

    if not args.against:
        return EXIT_OK, []
    diffs = _as_given(args, diff_against(args.against, args.spec, clouds, new_plans), args.against, args.spec)
    for diff in diffs:
        print("\n".join(render_text(diff)))
    return verdict(diffs, args.allow_data_loss, args.against, args.spec), diffs
