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
from .processing import command as processing  # noqa: E402

COMMANDS["process"] = (
    "process a contact's capture files into frame streams, a frame index and a summary",
    processing.configure_process,
    processing.run_process,
)
COMMANDS["query"] = ("SQL (DuckDB) over a products directory", processing.configure_query, processing.run_query)
