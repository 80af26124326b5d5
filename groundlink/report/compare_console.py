"""A comparison on the terminal: the summary tables printed after the report is written."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape as markup_escape
from rich.table import Table
from rich.text import Text

from ..inputs import escaped
from .sections import (
    Section,
    coverage_dated,
    coverage_not_estimated,
    coverage_warnings_shown,
    refusal,
    sections,
    unused_overrides,
    unused_overrides_line,
)
from .terminal import table_widths


def escape(text: str) -> str:
    """`text` for a console line: no rich markup, and no control character (an ESC or a newline
    in a path given for --out, --against or --policy-pack-config) but as its escape."""
    return markup_escape(escaped(text))


STYLES = {"ok": "green", "gap": "yellow", "bad": "bold red", "strong": "bold", "code": "cyan", "": ""}


def _print_table(section: Section, console: Console) -> None:
    """A section's table, its figures whole: where the terminal is too narrow for them, each row
    as a record (its first cell, then each column's header and value on a line of its own). A
    column of figures folded to the terminal cut `$4,233,636.75` into `$4,233,636` over `.75`."""
    assert section.table is not None  # only sections with a table are printed as one
    headers, numeric, rows = section.table.headers, section.table.numeric, section.table.rows
    columns = [[header, *(row[i].text for row in rows)] for i, header in enumerate(headers)]
    widths = table_widths(console, columns)
    if widths is not None:
        table = Table(title=section.title, title_justify="left", show_lines=False)
        for header, right, fixed in zip(headers, numeric, widths, strict=False):
            # each column as wide as given: its longest word fits, so text wraps between words
            table.add_column(header, justify="right" if right else "left", overflow="fold", width=fixed)
        for row in rows:
            table.add_row(*[Text(c.text, style=STYLES[c.mark]) for c in row])
        console.print(table)
        return
    console.print(Text(section.title, style="italic"))
    for row in rows:
        first, *rest = row
        console.print(Text(first.text, style=STYLES[first.mark] or "bold"))
        for header, cell in zip(headers[1:], rest, strict=False):
            console.print(Text.assemble(f"  {header}: ", (cell.text, STYLES[cell.mark])))


def print_summary(doc: dict[str, Any], out_dir: str, console: Console) -> None:
    chosen = {s.title: s for s in sections(doc)}
    _print_table(chosen["Summary"], console)
    layers = chosen["Monthly cost by layer (steady state)"]
    _print_table(layers, console)
    for note in layers.after:  # the rounding, when the layers as shown do not add up to the total
        console.print(escape(note.text))
    for failure in doc["failures"]:
        console.print(f"[bold red]parity failure:[/] {escape(failure)}")
    for cloud, data in doc["clouds"].items():
        for warning in data["warnings"]:
            console.print(f"[bold red]{cloud} warning:[/] {escape(warning)}")
    for warning in doc["cost"]["warnings"]:  # a run the estimate prices that would never end
        console.print(f"[bold red]cost warning:[/] {escape(warning)}")
    for warning in coverage_warnings_shown(doc):
        console.print(f"[yellow]coverage warning:[/] {escape(warning)}")
    for line in (*coverage_not_estimated(doc), *coverage_dated(doc)):
        console.print(f"[yellow]coverage:[/] {escape(line)}")
    if unused := unused_overrides(doc):
        console.print(f"[yellow]{escape(unused_overrides_line(unused))}[/]")
    supply = chosen["Prices to supply"]
    if doc["cost"]["clouds"] and any(d["toSupply"] for d in doc["cost"]["clouds"].values()):
        console.print("[yellow]prices to supply (totals are partial until then):[/]")
        for bullet in supply.bullets:
            console.print(f"  - {escape(bullet.text)}")
    if not doc["policy"]["available"]:
        console.print(f"[yellow]policy results not available:[/] {escape(doc['policy']['reason'])}")
    else:  # the verdict and each mandatory finding; advisories stay in the report
        console.print(f"[bold]policy:[/] {escape(doc['policy']['summary'])}")
        for bullet in chosen["Policy"].bullets:
            if bullet.mark == "bad" and "[mandatory]" in bullet.text:
                console.print(f"  - [bold red]{escape(bullet.text)}[/]")
    verdict = "[green]comparable[/]" if doc["ok"] else "[bold red]FAILED[/]"
    if refusal(doc):  # the reason follows on stderr, as `diff` gives it
        verdict += f", [bold red]refused[/] (data loss against {escape(doc['diff']['against'])})"
    console.print(
        f"{verdict}: report written to [bold]{escape(str(out_dir))}[/] (report.html, report.md, compare.json)"
    )
