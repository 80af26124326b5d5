"""`groundlink plan` without --json: the tree `pulumi preview` would show, the counts, then the
plan's warnings and declared gaps, each printed as written."""

from __future__ import annotations

import dataclasses
import io

from rich.console import Console

from groundlink.report.plan_tree import render_tree


def _lines(plan) -> list[str]:
    console = Console(file=io.StringIO(), record=True, width=300, color_system=None)
    render_tree(plan, console)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_the_tree_marks_protected_stores_and_counts_every_resource(aws_noaa20):
    lines = _lines(aws_noaa20)
    assert lines[0] == f"Previewing {aws_noaa20.project}/{aws_noaa20.stack} (aws, offline)"
    protected = sum(1 for r in aws_noaa20.resources if r.protect)
    assert f"Resources: + {len(aws_noaa20.resources)} to create, {protected} protected" in lines
    [line] = [line for line in lines if "aws:s3/bucket:Bucket  noaa20-storage-raw  " in line]
    assert "protected" in line and "retain" in line


def test_warnings_and_gaps_are_printed_as_written_brackets_and_all(aws_noaa20):
    plan = dataclasses.replace(
        aws_noaa20,
        warnings=["partner [ksat] cannot reach [private] stores"],
        gaps={"ground.stream_delivery": "needs partner.[aws_account_id]"},
    )
    lines = _lines(plan)
    assert "warning: partner [ksat] cannot reach [private] stores" in lines
    assert "gap: ground.stream_delivery: needs partner.[aws_account_id]" in lines
