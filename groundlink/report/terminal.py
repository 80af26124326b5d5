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
    from rich.text import Text

UNBOUNDED_WIDTH = 100_000  # columns: wider than any line a report prints
# The narrowest terminal a report is drawn for: rich takes `COLUMNS=0` for a terminal 0 wide
# and printed nothing at all, exit 0 (a check's violations included), and at 10 columns a query's
# cells were all empty; narrower terminals wrap its lines.
MIN_TERMINAL_WIDTH = 20


def report_console() -> Console:
    from rich.console import Console

    # no `:name:` emoji codes: what is printed names user paths and values (`--out 'x :fire:'`
    # was printed as "x 🔥", not the directory written); escape() stops markup, not emoji
    if sys.stdout.isatty():
        console = Console(emoji=False)
        return console if console.width >= MIN_TERMINAL_WIDTH else Console(emoji=False, width=MIN_TERMINAL_WIDTH)
    # piped: never animated, even where FORCE_COLOR or TTY_COMPATIBLE make rich take the pipe
    # for a terminal (a spinner redrawn four times a second into a CI log)
    return Console(width=UNBOUNDED_WIDTH, emoji=False, force_interactive=False)


def bounded(console: Console) -> bool:
    """Whether `console` draws to a terminal's width (a table may fill it), not a pipe's, whose
    lines are as long as their text: a table expanded there was 100,000 columns wide."""
    return console.width < UNBOUNDED_WIDTH


def longest_word(column: list[str]) -> int:
    """The longest run of a column's text without a space: the narrowest the column can be
    drawn without cutting a word (a figure, an id) in two."""
    return max((len(word) for cell in column for word in cell.split()), default=0)


def _widest(column: list[str]) -> int:
    return max((len(line) for cell in column for line in cell.split("\n")), default=0)


def column_widths(width: int, cells: list[list[str]]) -> list[int] | None:
    """Widths for a table of `cells` (each column's header first) within `width` that cut no
    word in two, or None where even each column's longest word does not fit (draw records
    instead). rich, left to itself, shrank columns below their longest word and widened them
    back past the terminal, which then cropped the figures at its edge ('$17.5' for '$17.51').
    The room beyond the words goes to the columns whose text is longer than their longest word,
    as much as each could use."""
    least = [max(1, longest_word(column)) for column in cells]  # never 0 wide: rich would drop it
    natural = [max(1, _widest(column)) for column in cells]
    room = width - (3 * len(cells) + 1)
    if sum(least) > room:
        return None
    if sum(natural) <= room:
        return natural
    spare, wants = room - sum(least), [n - w for n, w in zip(natural, least, strict=True)]
    given = [w + spare * want // sum(wants) for w, want in zip(least, wants, strict=True)]
    return given


def table_widths(console: Console, cells: list[list[str]]) -> list[int | None] | None:
    """`column_widths` on a terminal; piped, no width set (the lines as long as their text)."""
    if not bounded(console):
        return [None] * len(cells)
    widths = column_widths(console.width, cells)
    return None if widths is None else list(widths)


def line(*parts: str | tuple[str, str]) -> Text:
    """A console line of plain parts and (text, style) pairs, each printed as written: no rich
    markup read in it, and no control character (an ESC or a newline in a path given for --out,
    --against or --policy-pack-config) but as its escape. Not markup with rich's escape() in it:
    that doubles only a lone trailing backslash, so an --out ending in three backslashes printed
    one and a literal `[/]` before a closing tag, one ending in two printed one, and a lone one at a
    line's end printed two."""
    from rich.text import Text

    from ..inputs import escaped

    return Text.assemble(*((escaped(p), "") if isinstance(p, str) else (escaped(p[0]), p[1]) for p in parts))
