"""Render a plan as a tree, the way `pulumi preview` shows one."""

from __future__ import annotations

from typing import Optional

from rich.console import Console
from rich.tree import Tree

from .engine.plan import Plan, PlannedResource


def _label(r: PlannedResource) -> str:
    marks = []
    if r.protect:
        marks.append("[bold yellow]protected[/]")
    if r.retainOnDelete:
        marks.append("[yellow]retain[/]")
    if r.capability:
        marks.append(f"[dim]{', '.join(r.capability)}[/]")
    return f"[green]+[/] {r.type}  [bold]{r.name}[/]" + (f"  {' '.join(marks)}" if marks else "")


def build_tree(plan: Plan) -> Tree:
    counts = plan.type_counts()
    title = (f"[bold]{plan.project}-{plan.stack}[/] ({plan.cloud}): {len(plan.resources)} resources to create, "
             f"{sum(1 for r in plan.resources if r.protect)} protected")
    tree = Tree(title)
    nodes: dict[Optional[str], Tree] = {}
    for r in plan.resources:
        parent = nodes.get(r.parent, tree)
        nodes[r.urn] = parent.add(_label(r))
    del counts
    return tree


def render_tree(plan: Plan, console: Optional[Console] = None) -> None:
    console = console or Console()
    console.print(build_tree(plan))
    for warning in plan.warnings:
        console.print(f"[bold red]warning:[/] {warning}")
    for cap, reason in plan.gaps.items():
        console.print(f"[yellow]gap:[/] {cap}: {reason}")
