"""Retired services: resources a provider SDK still ships but the cloud no
longer creates. They preview fine and fail at deploy (docs/facts.md §1-2)."""

from __future__ import annotations

from typing import Any

from . import limits as L
from . import tokens as T
from .props import get
from .registry import resource_rule

# AWS disabled creating Lambda functions on python3.8/3.9 on 2026-06-01, and on python3.10/3.11
# (Amazon Linux 2) on 2026-07-31 (docs/facts.md §1); every earlier Python runtime was retired before them.
RETIRED_LAMBDA_RUNTIMES = ["python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10", "python3.11"]


@resource_rule(
    "retired-azure-orbital",
    area="retired",
    severity="critical",
    enforcement="mandatory",
    types=T.ORBITAL_RETIRED,
    controls=("Azure Orbital Ground Station retirement (Azure Update, Oct 2024)",),
    description=f"No Azure Orbital Ground Station resources (Spacecraft, ContactProfile, Contact): the service was "
    f"retired on {L.AZURE_ORBITAL_RETIRED_ON} and they can no longer be created, unless the pack "
    f"config opts in to legacy orbital.",
    remediation="Take contacts through a partner network (KSAT Lite, Viasat RTE, RBC Signals) delivering into the "
    "Azure landing zone (ground_segment.provider: partner). Only a team with a surviving AOGS "
    "authorization sets legacyOrbitalAllowed: true.",
    config={
        "legacyOrbitalAllowed": {
            "type": "boolean",
            "default": False,
            "description": "Accept azure-native:orbital Spacecraft/ContactProfile/Contact (retired service).",
        }
    },
)
def retired_azure_orbital(args: Any, report: Any) -> None:
    if not args.get_config().get("legacyOrbitalAllowed", False):
        kind = args.resource_type.rsplit(":", 1)[-1]
        report(
            f"{kind} belongs to Azure Orbital Ground Station, retired {L.AZURE_ORBITAL_RETIRED_ON}: "
            f"it previews but can no longer be created"
        )


@resource_rule(
    "retired-lambda-runtime",
    area="retired",
    severity="high",
    enforcement="mandatory",
    types=T.LAMBDA_FUNCTION,
    controls=("AWS Lambda runtime deprecation policy",),
    description="Lambda functions use none of the runtimes in retiredRuntimes: by default the Python ones AWS no "
    "longer lets you create (through python3.11: 3.8/3.9 creation was disabled on 2026-06-01, 3.10/3.11 on "
    "2026-07-31), the language groundlink's "
    "function runs; a program with functions in other languages adds theirs as they retire.",
    remediation="Move the function to a runtime retiredRuntimes does not name (AWS Lambda Developer Guide, "
    '"Runtime deprecation policy") and re-test its dependencies; groundlink\'s contact processor takes its runtime '
    "from the groundlink release deployed, not from the spec.",
    config={
        "retiredRuntimes": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": RETIRED_LAMBDA_RUNTIMES,
            "description": "Lambda runtimes treated as retired.",
        }
    },
)
def retired_lambda_runtime(args: Any, report: Any) -> None:
    runtime = get(args.props, "runtime")
    if isinstance(runtime, str) and runtime in args.get_config().get("retiredRuntimes", RETIRED_LAMBDA_RUNTIMES):
        report(f"runtime {runtime} is retired")
