"""The console a command prints its report to.

On a terminal, rich fits the report to the terminal's width. Piped or redirected it
assumed 80 columns, so a table cut its wider cells to "…" and a file held no value whole
(a query's rows, a plan's resource types); there the report takes the width its text needs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

UNBOUNDED_WIDTH = 100_000  # columns: wider than any line a report prints


def report_console() -> Console:
    from rich.console import Console

    # no `:name:` emoji codes: what is printed names user paths and values (`--out 'x :fire:'`
    # was printed as "x 🔥", not the directory written); escape() stops markup, not emoji
    return Console(emoji=False) if sys.stdout.isatty() else Console(width=UNBOUNDED_WIDTH, emoji=False)
