"""`groundlink preflight SPEC --cloud aws|azure|both`: plan offline, then preflight each plan.

Exit 0 when every plan is clean, 1 on any finding (one line each on stdout).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ..clouds import CLOUD_CHOICES, chosen_clouds
from ..errors import EXIT_FAILED, EXIT_OK
from ..limits import AZURE_ORBITAL_RETIRED_ON, is_retired_orbital

if TYPE_CHECKING:  # the engine and the spec model are imported by the commands that plan
    from ..engine.plan import Plan
    from ..preflight.findings import Finding


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("spec", help="mission spec (YAML)")
    parser.add_argument("--cloud", choices=CLOUD_CHOICES, default="both", help="(default: both)")


def run(args: argparse.Namespace) -> int:
    from ..engine import plan
    from ..preflight import preflight_planned

    clouds = chosen_clouds(args.cloud)
    total = 0
    for cloud in clouds:
        result = plan(args.spec, cloud)
        findings = preflight_planned(result)
        print_findings(result, findings)
        total += len(findings)
    return EXIT_FAILED if total else EXIT_OK


def print_findings(plan: Plan, findings: Sequence[Finding], stream: TextIO | None = None) -> None:
    """One line per finding, then a verdict line for the plan."""
    out = stream or sys.stdout
    for finding in findings:
        print(f"{plan.cloud}: {finding.line()}", file=out)
    verdict = "clean" if not findings else f"{len(findings)} finding{'s' if len(findings) > 1 else ''}"
    # the legacy_orbital opt-in's resources pass every provider check, but Azure creates them no more
    retired = sum(1 for r in plan.resources if is_retired_orbital(r.type))
    if retired:
        verdict += (
            f"; {retired} Azure Orbital resource{'s' if retired > 1 else ''} (legacy_orbital), which Azure no "
            f"longer creates (retired {AZURE_ORBITAL_RETIRED_ON}): preview only, pulumi up fails on them"
        )
    print(f"preflight {plan.cloud} ({plan.stack}): {len(plan.resources)} resources, {verdict}", file=out)
