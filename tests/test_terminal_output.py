"""What the commands print where users run them: a narrow terminal keeps every figure whole, a
CI log that FORCE_COLOR makes rich take for a terminal gets neither a table 100,000 columns wide
nor a spinner redrawn into it, and the processor's progress bar goes where it is turned on."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from groundlink.check.runner import CheckResult, CloudCheck
from groundlink.report.check_console import render
from groundlink.report.compare_console import print_summary
from groundlink.report.terminal import UNBOUNDED_WIDTH, column_widths, longest_word, report_console

from .conftest import violation
from .test_report_decisions import _document

ROOT = Path(__file__).resolve().parents[1]
MONEY = re.compile(r"\$[\d,]+\.\d\d")


def _terminal(width: int) -> Console:
    return Console(width=width, force_terminal=True, color_system=None, record=True, emoji=False, file=io.StringIO())


@pytest.mark.parametrize("changes", [{}, {"ground_segment.contacts_per_day": 12, "ground_segment.contact_minutes": 15}])
def test_every_figure_of_the_summary_is_printed_whole_at_every_width(changes):
    """Every dollar amount the summary prints on an unbounded line is on one line of a terminal
    of any width from 30 to 75 columns (and 100, 120), and no table is cut at the terminal's edge: folded to
    its column, `$4,233,636.75` read `$4,233,636` over `.75`, and a table rich laid out wider
    than the terminal lost its last digits there (`$17.5` for `$17.51`)."""
    doc = _document(changes)[0]
    piped = Console(width=UNBOUNDED_WIDTH, record=True, emoji=False, file=io.StringIO())
    print_summary(doc, "out", piped)
    figures = sorted(MONEY.findall(piped.export_text()))
    assert len(figures) > 10
    for width in [*range(30, 76), 100, 120]:  # rich cropped tables at 37-59 columns
        console = _terminal(width)
        print_summary(doc, "out", console)
        text = console.export_text()
        assert sorted(MONEY.findall(text)) == figures, width
        edges = [line for line in text.splitlines() if line.startswith(("│", "┃", "┏", "┡", "└"))]
        assert all(line.rstrip().endswith(("│", "┃", "┓", "┩", "┘")) for line in edges), width


def test_the_summary_prints_each_finding_the_clouds_would_refuse_beside_the_mandatory_ones():
    """A preflight finding (a plan the cloud would refuse at `pulumi up`) is printed under the
    policy line as a mandatory violation is; an advisory one stays in the report."""
    doc = _document()[0]
    finding = {"level": "advisory", "policy": "aws-s3-versioning", "resource": "bucket", "message": "says no"}
    doc["policy"] = {
        "available": True,
        "summary": "1 finding the clouds would refuse",
        "clouds": {"aws": {"violations": 0, "advisories": 1, "findings": [finding], "preflight": ["a name too long"]}},
    }
    console = Console(width=UNBOUNDED_WIDTH, record=True, emoji=False, file=io.StringIO())
    print_summary(doc, "out", console)
    lines = console.export_text().splitlines()
    at = lines.index("policy: 1 finding the clouds would refuse")
    assert lines[at + 1] == "  - AWS [preflight] a name too long"
    assert not any("aws-s3-versioning" in line for line in lines)


def test_a_terminal_too_narrow_for_the_figures_gets_each_row_as_a_record():
    doc = _document()[0]
    console = _terminal(40)
    print_summary(doc, "out", console)
    lines = console.export_text().splitlines()
    at = lines.index("Monthly cost, steady state")
    assert lines[at + 1].startswith("  AWS: $") and lines[at + 2].startswith("  Azure: $")
    wide = _terminal(100)
    print_summary(doc, "out", wide)
    assert "Monthly cost, steady state" not in wide.export_text().splitlines()  # a table's cell, not a line


def _result() -> CheckResult:
    found = [violation("aws-kms-key-rotation", "mandatory"), violation("aws-s3-versioning")]
    return CheckResult(
        "specs/noaa20.yaml",
        {"name": "groundlink", "version": "0.1.0", "policies": 72},
        [CloudCheck("aws", "noaa20-aws", 102, found, 0.5, 0.1)],
    )


def test_check_cuts_no_resource_name_or_type_in_two_at_any_width_they_fit():
    """rich folded the violations table's columns mid-word from 66 to 129 columns
    (`aqua-ground-orbital-aqua` over `-contact-profile`): the table is drawn only where every
    column holds its longest word, as records below that."""
    from groundlink.check.runner import Violation

    name, kind = "aqua-ground-orbital-aqua-contact-profile", "azure-native:orbital:ContactProfile"
    found = Violation(
        "azure",
        "retired-azure-orbital",
        "mandatory",
        "critical",
        "ContactProfile belongs to Azure Orbital Ground Station, retired 2024-12-18: it previews but can no "
        "longer be created",
        "urn:x",
        kind,
        name,
        ["c"],
        "fix",
    )
    result = CheckResult(
        "specs/aqua-legacy.yaml",
        {"name": "groundlink", "version": "0.1.0", "policies": 72},
        [CloudCheck("azure", "aqua-azure", 72, [found], 1.0, 1.0)],
    )
    for width in range(len(name), 131):
        console = _terminal(width)
        render(result, console)
        words = console.export_text().split()
        assert name in words and f"({kind})" in words, width


def test_check_on_a_narrow_terminal_gives_each_violation_its_fields_on_lines_of_their_own():
    console = _terminal(40)
    render(_result(), console)
    lines = console.export_text().splitlines()
    assert "aws mandatory aws-kms-key-rotation" in lines
    # each field on its own line, wrapped at the terminal's edge between words
    assert "resource: bucket (aws:s3/bucket:Bucket) violation:" in " ".join(line.strip() for line in lines)
    wide = _terminal(120)
    render(_result(), wide)
    text = wide.export_text()
    assert "┃ cloud" in text and "(aws:s3/bucket:Bucket)" in text  # a table, the type in brackets


def test_a_piped_report_is_neither_animated_nor_stretched_where_rich_is_told_it_is_a_terminal(monkeypatch, capsys):
    """FORCE_COLOR (or TTY_COMPATIBLE) makes rich take a pipe for a terminal: check's tables were
    expanded to the pipe's 100,000 columns (1.5 MB for two findings) and compare's steps
    animated into the log."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    console = report_console()
    assert console.width == UNBOUNDED_WIDTH and console.is_terminal and not console.is_interactive
    render(_result(), console)
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) < 400 and "\r" not in out


@pytest.mark.parametrize("columns", ["0", "5", "19"])
def test_a_terminal_said_to_be_narrower_than_any_report_is_drawn_for_twenty_columns(monkeypatch, columns):
    """`COLUMNS=0` on a terminal: rich drew for 0 columns and printed nothing, exit 0 (a check's
    violations too); at 10 columns a query's cells were all empty."""
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    console = report_console()
    assert console.width == 20
    console.file = io.StringIO()
    render(_result(), console)
    drawn = re.sub(r"[\s│┃|]", "", console.file.getvalue())
    assert "aws-kms-key-rotationsaysno" in drawn, drawn


def test_the_progress_bar_is_drawn_on_the_terminal_that_turns_it_on_not_into_stdout(tmp_path):
    """stderr a terminal, stdout a file (`process ... > run.log`): the bar was drawn into the file,
    on the lines a script reads; it goes to the terminal now, and the file holds the contact lines."""
    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    controller, terminal = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "groundlink.cli", "process", str(tmp_path / "raw"), "--out", str(tmp_path / "o")],
            stdout=subprocess.PIPE,
            stderr=terminal,
            cwd=ROOT,
            env={**os.environ, "FORCE_COLOR": "1"},
            timeout=120,
        )
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end closed
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(controller)
    out = done.stdout.decode()
    assert done.returncode == 0, drawn
    assert "\x1b" not in out and "\r" not in out and out.splitlines()[-1].startswith("wrote ")
    assert b"processing" in drawn or b"contact" in drawn  # the bar, on the terminal


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    width=st.integers(min_value=10, max_value=220),
    cells=st.lists(
        st.lists(st.text(alphabet="ab $.,-\n", max_size=30), min_size=1, max_size=4), min_size=1, max_size=6
    ),
)
def test_column_widths_hold_every_word_within_the_width_or_give_way_to_records(width, cells):
    widths = column_widths(width, cells)
    least = [max(1, longest_word(column)) for column in cells]
    if widths is None:
        assert sum(least) + 3 * len(cells) + 1 > width  # only where the words cannot fit
        return
    assert len(widths) == len(cells) and all(w >= lo for w, lo in zip(widths, least, strict=True))
    assert sum(widths) + 3 * len(cells) + 1 <= width


def test_a_table_that_fits_the_terminal_exactly_is_drawn_as_a_table():
    """Two columns of two characters take 11 columns drawn (three borders, a space each side of
    each cell): at 11 the table is drawn at its natural widths, at 10 it gives way to records."""
    from rich.table import Table

    assert column_widths(11, [["ab"], ["cd"]]) == [2, 2]
    assert column_widths(10, [["ab"], ["cd"]]) is None
    console = Console(file=io.StringIO(), width=11)
    table = Table()
    for header, width in zip(("ab", "cd"), [2, 2], strict=True):
        table.add_column(header, width=width)
    console.print(table)
    assert max(len(line) for line in console.file.getvalue().splitlines()) == 11


def test_advisory_violations_alone_pass_the_check():
    """A cloud whose violations are all advisory passes: its line reads "pass", not "FAIL (0
    mandatory)"."""
    cloud = CloudCheck("aws", "noaa20-aws", 102, [violation("aws-s3-versioning")], 0.5, 0.1)
    console = Console(file=io.StringIO(), width=200)
    render(
        CheckResult("specs/noaa20.yaml", {"name": "groundlink", "version": "0.1.0", "policies": 72}, [cloud]), console
    )
    assert console.file.getvalue().splitlines()[-1] == (
        "aws (noaa20-aws): 102 resources, 1 violation: pass  plan 0.50s, analyze 0.10s"
    )


@pytest.mark.parametrize("width", [200, 40])  # the table, and the records of a narrow terminal
def test_check_prints_a_messages_control_characters_as_their_escapes(width):
    """A message quotes what the pack config gives (a required tag): an ESC, an OSC 8 link or a
    newline in a config someone else wrote reached the terminal raw through rich's escape(), and
    a trailing backslash printed doubled."""
    from dataclasses import replace

    hostile = "missing tags: x\x1b[2J\x1b]8;;http://e.example\x1b\\L\x1b]8;;\x1b\\\ncost\\"
    found = [replace(violation("tags-required", "mandatory"), message=hostile, resource_name="b\x1b[31m")]
    result = CheckResult(
        "spec.yaml", {"name": "pack", "version": "1", "policies": 1}, [CloudCheck("aws", "s", 1, found, 0.1, 0.1)]
    )
    console = Console(width=width, force_terminal=True, color_system="standard", record=True, file=io.StringIO())
    render(result, console)
    text = console.export_text(styles=False)
    written = console.file.getvalue()
    assert "\x1b[2J" not in written and "\x1b]8" not in written and "\x1b[31m" not in written
    folded = text.replace("\n", "").replace("│", "").replace(" ", "")
    assert "x\\x1b[2J\\x1b]8;;http://e.example\\x1b\\L\\x1b]8;;\\x1b\\\\ncost\\" in folded
    assert "b\\x1b[31m" in folded
