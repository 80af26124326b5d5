"""A comparison on the terminal: the summary tables printed after the report is written."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .sections import (
    Section,
    coverage_dated,
    coverage_not_estimated,
    coverage_warnings_shown,
    prices_elsewhere,
    refusal,
    sections,
    unused_overrides,
    unused_overrides_line,
)
from .terminal import line, table_widths

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
        console.print(line(note.text))
    for failure in doc["failures"]:
        console.print(line(("parity failure:", "bold red"), f" {failure}"))
    for cloud, data in doc["clouds"].items():
        for warning in data["warnings"]:
            console.print(line((f"{cloud} warning:", "bold red"), f" {warning}"))
    for warning in doc["cost"]["warnings"]:  # a run the estimate prices that would never end
        console.print(line(("cost warning:", "bold red"), f" {warning}"))
    for warning in coverage_warnings_shown(doc):
        console.print(line(("coverage warning:", "yellow"), f" {warning}"))
    for said in (*coverage_not_estimated(doc), *coverage_dated(doc)):
        console.print(line(("coverage:", "yellow"), f" {said}"))
    for said in prices_elsewhere(doc):
        console.print(line(("prices:", "yellow"), f" {said}"))
    if unused := unused_overrides(doc):
        console.print(line((unused_overrides_line(unused), "yellow")))
    supply = chosen["Prices to supply"]
    if doc["cost"]["clouds"] and any(d["toSupply"] for d in doc["cost"]["clouds"].values()):
        console.print("[yellow]prices to supply (totals are partial until then):[/]")
        for bullet in supply.bullets:
            console.print(line(f"  - {bullet.text}"))
    if not doc["policy"]["available"]:
        console.print(line(("policy results not available:", "yellow"), f" {doc['policy']['reason']}"))
    else:  # the verdict and each mandatory finding; advisories stay in the report
        console.print(line(("policy:", "bold"), f" {doc['policy']['summary']}"))
        for bullet in chosen["Policy"].bullets:
            if bullet.mark == "bad" and ("[mandatory]" in bullet.text or "[preflight]" in bullet.text):
                console.print(line("  - ", (bullet.text, "bold red")))
    verdict = ("comparable", "green") if doc["ok"] else ("FAILED", "bold red")
    refused: list[str | tuple[str, str]] = (  # the reason follows on stderr, as `diff` gives it
        [", ", ("refused", "bold red"), f" ({_refused_for(doc)} against {doc['diff']['against']})"]
        if refusal(doc)
        else []
    )
    written: list[str | tuple[str, str]] = [
        ": report written to ",
        (str(out_dir), "bold"),
        " (report.html, report.md, compare.json)",
    ]
    console.print(line(verdict, *refused, *written))


def _refused_for(doc: dict[str, Any]) -> str:
    return "a change the cloud rejects" if doc["diff"].get("unappliable") else "data loss"
