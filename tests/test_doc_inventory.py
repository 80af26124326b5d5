"""The docs' inventories follow the code: a module added to the pack, or a grant added to a
component, shows in the reference a reader checks it against. Both drifted once (the pack's
layout left out two modules; the Azure tree counted the processor's grants before the queue's
owner role was added)."""

from __future__ import annotations

import re

from .conftest import ROOT, variant_plan

ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"


def _section(text: str, heading: str) -> str:
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + len(heading) + 2)
    return text[start : end if end != -1 else len(text)]


def test_every_pack_module_is_in_the_policies_layout_table():
    layout = _section((ROOT / "docs" / "policies.md").read_text(encoding="utf-8"), "## Layout")
    named = set(re.findall(r"`(?:policies/)?(\w+\.py)`", layout))
    modules = {path.name for path in (ROOT / "policies").glob("*.py")} - {"__init__.py"}
    assert modules - named == set(), "pack modules docs/policies.md's layout does not name"
    assert named - modules == set(), "modules docs/policies.md's layout names that the pack does not have"


def _processor_grants(changes: dict[str, object] | None) -> int:
    plan = variant_plan("azure", changes)
    [processing] = [r for r in plan.resources if r.type == "groundlink:index:AzureProcessing"]
    return sum(1 for r in plan.children(processing) if r.type == ROLE_ASSIGNMENT)


def test_the_azure_tree_counts_the_processors_role_assignments():
    tree = (ROOT / "docs" / "azure.md").read_text(encoding="utf-8")
    [(function, job)] = re.findall(r"RoleAssignment x(\d+) or x(\d+) the app's \(function\) or job's identity", tree)
    container = {"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/p:1"}
    assert _processor_grants(None) == int(function)  # noaa20 processes in a function
    assert _processor_grants(container) == int(job)


def _cells(line: str) -> list[str]:
    """A markdown table row's cells: split on `|` outside code spans, `\\|` kept as text."""
    cells, cell, code, i = [], "", False, 0
    while i < len(line):
        char = line[i]
        if char == "\\" and line[i + 1 : i + 2] == "|":
            cell, i = cell + "|", i + 2
            continue
        if char == "`":
            code = not code
        if char == "|" and not code:
            cells.append(cell)
            cell = ""
        else:
            cell += char
        i += 1
    return [*cells, cell]


def test_every_table_row_in_the_docs_has_its_headers_cells():
    """A row with a cell too few or too many loses a cell when rendered: an edit of the preflight
    rules table moved one rule's source into the next row, where no column showed it."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    uneven = []
    for page in pages:
        header, fenced = None, False
        for number, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1):
            if line.startswith("```"):
                fenced = not fenced
            if fenced or not line.startswith("|"):
                header = None
                continue
            count = len(_cells(line))
            header = count if header is None else header
            if count != header:
                uneven.append(f"{page.name}:{number}: {count - 2} cells, the header {header - 2}")
    assert len(pages) > 5 and uneven == []
