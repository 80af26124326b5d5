"""Terminal report: violations grouped by severity, then a verdict per cloud."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from ..check.runner import SEVERITY_ORDER, CheckResult
from ..rounding import counted

if TYPE_CHECKING:
    from rich.console import Console

STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "unspecified": "white"}


COLUMNS = ("cloud", "level", "rule", "resource", "violation")


def _records(console: Console, title: str, style: str, found: list[Any]) -> None:
    """Violations one after another, each field on a line of its own: for a terminal too narrow
    for the table."""
    console.print(f"[{style}]{escape(title)}[/]")
    for v in found:
        level = "[bold red]mandatory[/]" if v.mandatory else v.enforcement
        console.print(f"{v.cloud} {level} [bold]{escape(v.policy)}[/]")
        console.print(f"  resource: {escape(v.resource_name)} [dim]({escape(v.resource_type)})[/]")
        console.print(f"  violation: {escape(v.message)}")


def render(result: CheckResult, console: Console | None = None) -> None:
    from rich.table import Table

    from .terminal import bounded, line, report_console, table_widths

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
            level = "[bold red]mandatory[/]" if v.mandatory else v.enforcement
            table.add_row(
                v.cloud,
                level,
                escape(v.policy),
                # the type in brackets: folded, a name and its type still read as two things
                f"{escape(v.resource_name)}\n[dim]({escape(v.resource_type)})[/]",
                escape(v.message),
            )
        console.print(table)
    fixes = {v.policy: (v.controls, v.remediation) for v in result.violations}
    for policy, (controls, remediation) in sorted(fixes.items()):
        console.print(f"[bold]{escape(policy)}[/] [dim]({escape(', '.join(controls))})[/]: {escape(remediation)}")
    for cloud in result.clouds:
        for finding in cloud.preflight:
            console.print(f"[red]preflight[/] {cloud.cloud}: {escape(finding)}", highlight=False)
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
