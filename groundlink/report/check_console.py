"""Terminal report: violations grouped by severity, then a verdict per cloud."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..check.runner import SEVERITY_ORDER, CheckResult
from ..rounding import counted
from .terminal import line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "unspecified": "white"}


COLUMNS = ("cloud", "level", "rule", "resource", "violation")


# Every text of a violation is printed through `line`, each control character as its escape: a
# message quotes what the pack config gives (a required tag, an allowed region), and an ESC or an
# OSC 8 link in a config someone else wrote reached the terminal raw through rich's escape().


def _level(v: Any) -> tuple[str, str] | str:
    return ("mandatory", "bold red") if v.mandatory else v.enforcement


def _resource(v: Any) -> Text:
    """The resource's name, and its type in brackets on the next line: folded, a name and its
    type still read as two things."""
    cell = line(v.resource_name)
    cell.append("\n")
    cell.append_text(line((f"({v.resource_type})", "dim")))
    return cell


def _records(console: Console, title: str, style: str, found: list[Any]) -> None:
    """Violations one after another, each field on a line of its own: for a terminal too narrow
    for the table."""
    console.print(line((title, style)))
    for v in found:
        console.print(line(v.cloud, " ", _level(v), " ", (v.policy, "bold")))
        console.print(line("  resource: ", v.resource_name, " ", (f"({v.resource_type})", "dim")))
        console.print(line("  violation: ", v.message))


def render(result: CheckResult, console: Console | None = None) -> None:
    from rich.table import Table

    from .terminal import bounded, report_console, table_widths

    console = console or report_console()  # piped into a CI log: lines as long as their text
    pack = result.pack
    # plain Text, no markup: the spec's path was printed with an ESC in it raw (rich's escape() stops
    # markup only), and a run of trailing backslashes is no markup's to read
    console.print(
        line(
            ("policy pack", "bold"),
            f" {pack.get('name')}@{pack.get('version')} ({pack.get('policies')} policies) on {result.spec}",
        )
    )
    for severity in SEVERITY_ORDER:
        found = [v for v in result.violations if v.severity == severity]
        if not found:
            continue
        title = f"{severity} ({len(found)})"
        cells = [
            [v.cloud, v.enforcement, v.policy, f"{v.resource_name}\n({v.resource_type})", v.message] for v in found
        ]
        columns = [[heading, *(row[i] for row in cells)] for i, heading in enumerate(COLUMNS)]
        widths = table_widths(console, columns)
        if widths is None:
            _records(console, title, STYLE[severity], found)
            continue
        table = Table(
            title=title,
            title_style=STYLE[severity],
            title_justify="left",
            show_lines=False,
            expand=bounded(console),  # a terminal's width; piped, as wide as the cells, no wider
        )
        for column, fixed in zip(COLUMNS, widths, strict=True):
            table.add_column(column, overflow="fold", width=fixed)
        for v in found:
            table.add_row(line(v.cloud), line(_level(v)), line(v.policy), _resource(v), line(v.message))
        console.print(table)
    fixes = {v.policy: (v.controls, v.remediation) for v in result.violations}
    for policy, (controls, remediation) in sorted(fixes.items()):
        console.print(line((policy, "bold"), " ", (f"({', '.join(controls)})", "dim"), ": ", remediation))
    for cloud in result.clouds:
        for warning in cloud.warnings:
            console.print(line(("warning", "yellow"), f" {cloud.cloud}: ", warning), highlight=False)
    for cloud in result.clouds:
        for finding in cloud.preflight:
            console.print(line(("preflight", "red"), f" {cloud.cloud}: ", finding), highlight=False)
    for cloud in result.clouds:
        mandatory, total = len(cloud.mandatory), len(cloud.violations)
        failures = [f"{mandatory} mandatory"] * bool(mandatory) + [f"{len(cloud.preflight)} preflight"] * bool(
            cloud.preflight
        )
        verdict = "[green]pass[/]" if not failures else f"[bold red]FAIL[/] ({', '.join(failures)})"
        console.print(
            f"{cloud.cloud} ({cloud.stack}): {counted(cloud.resources, 'resource')}, {counted(total, 'violation')}: {verdict}  "
            f"[dim]plan {cloud.plan_seconds:.2f}s, analyze {cloud.analyze_seconds:.2f}s[/]"
        )
