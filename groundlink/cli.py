"""`groundlink`: validate, schema, plan, check, compare.

Every user error (bad spec, bad flag value, unreadable file) ends as one line
per problem on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .spec import SpecError

EXIT_USAGE = 2


class UsageError(Exception):
    """A user-facing error: printed as is, exit 2."""


def _validate(args: argparse.Namespace) -> int:
    from .spec import load_spec

    for path in args.spec:
        spec = load_spec(path)
        print(
            f"{path}: ok ({spec.mission.name}: {len(spec.satellites)} satellites, "
            f"{len(spec.downlinks())} downlinks, ground segment {spec.ground_segment.provider})"
        )
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .spec import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def _plan(args: argparse.Namespace) -> int:
    from .engine import plan
    from .preflight import preflight_planned
    from .preflight.command import print_findings
    from .tree import render_tree

    clouds = ["aws", "azure"] if args.cloud == "both" else [args.cloud]
    for cloud in clouds:
        result = plan(args.spec, cloud)
        render_tree(result)
        print_findings(result, preflight_planned(result))
        if args.json:
            target = Path(args.json)
            if len(clouds) > 1:
                target = target.with_name(f"{target.stem}-{cloud}{target.suffix or '.json'}")
            result.write(target)
            print(f"wrote {target}")
    return 0


# Subcommands added by other modules register here: name -> (configure parser, run).
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def _configure_builtin(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check mission specs; one line per problem, exit 2 if any")
    p.add_argument("spec", nargs="+")
    p.set_defaults(run=_validate)

    p = sub.add_parser("schema", help="print the mission spec JSON Schema")
    p.set_defaults(run=_schema)

    p = sub.add_parser("plan", help="offline plan of a spec on a cloud (no CLI, no credentials)")
    p.add_argument("spec")
    p.add_argument("--cloud", choices=["aws", "azure", "both"], default="both")
    p.add_argument("--json", metavar="FILE", help="write the plan JSON (one file per cloud with --cloud both)")
    p.set_defaults(run=_plan)


def build_parser() -> argparse.ArgumentParser:
    from . import commands  # noqa: F401  (registers check/compare)

    parser = argparse.ArgumentParser(prog="groundlink", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    _configure_builtin(sub)
    for name, (help_text, configure, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        configure(p)
        p.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from .engine import PlanError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SpecError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, PlanError) as error:
        print(f"groundlink: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
