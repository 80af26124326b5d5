"""Render a plan as a tree, the way `pulumi preview` shows one."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from ..engine.plan import Plan, PlannedResource
from .terminal import report_console


def _label(r: PlannedResource) -> str:
    marks = []
    if r.protect:
        marks.append("[bold yellow]protected[/]")
    if r.retainOnDelete:
        marks.append("[yellow]retain[/]")
    if r.capability:
        marks.append(f"[dim]{escape(', '.join(r.capability))}[/]")
    return f"[green]+[/] {escape(r.type)}  [bold]{escape(r.name)}[/]" + (f"  {' '.join(marks)}" if marks else "")


def build_tree(plan: Plan) -> Tree:
    tree = Tree(f"[bold]Previewing[/] {escape(f'{plan.project}/{plan.stack}')} ({plan.cloud}, offline)")
    nodes: dict[str | None, Tree] = {}
    for r in plan.resources:
        parent = nodes.get(r.parent, tree)
        nodes[r.urn] = parent.add(_label(r))
    return tree


def counts_table(plan: Plan) -> Table:
    table = Table(
        title=f"Resources: + {len(plan.resources)} to create, {sum(1 for r in plan.resources if r.protect)} protected",
        title_justify="left",
    )
    table.add_column("type", overflow="fold")
    table.add_column("count", justify="right")
    for type_token, count in plan.type_counts().items():
        table.add_row(escape(type_token), str(count))
    return table


def render_tree(plan: Plan, console: Console | None = None) -> None:
    console = console or report_console()
    console.print(build_tree(plan))
    console.print(counts_table(plan))
    for warning in plan.warnings:
        console.print(f"[bold red]warning:[/] {escape(warning)}")
    for cap, reason in plan.gaps.items():
        console.print(f"[yellow]gap:[/] {cap}: {escape(reason)}")
