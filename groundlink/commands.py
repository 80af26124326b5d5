"""Registers the subcommands that live in their own modules (check, compare).

Each module exposes `configure(parser)` and `run(args) -> exit code`; adding a
command is one line here.
"""

from __future__ import annotations

from .check import command as check
from .cli import COMMANDS

COMMANDS["check"] = ("run the policy pack offline over the Analyzer protocol", check.configure, check.run)
from .report import compare  # noqa: E402

COMMANDS["compare"] = ("compare both clouds side by side: parity, cost, report", compare.configure, compare.run)
from .preflight import command as preflight  # noqa: E402

COMMANDS["preflight"] = (
    "check a spec's plans against the provider schemas and the cloud APIs; exit 1 on any finding",
    preflight.configure,
    preflight.run,
)
