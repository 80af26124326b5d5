"""docs/compare.md lists the lines `groundlink compare` prints on the terminal after its two
tables: every line the console prints is one of them, and each of them is printed by some run.
The page once left out the `policy:` line, its `[mandatory]` findings and the unused `--prices`
overrides line, all of which the terminal printed."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from rich.console import Console

from groundlink.cli import main
from groundlink.report.compare_console import print_summary

from .conftest import ROOT, SPECS

PAGE = ROOT / "docs" / "compare.md"
# The sentence that opens the list of lines, and the one that opens the example of a run.
LIST_LEAD = "stands for the text of the run"
EXAMPLE_LEAD = "For example, `specs/aqua-legacy.yaml` with a price file"
# `<...>` is the run's text; DIR and OLD are the command's arguments.
PLACEHOLDER = re.compile(r"<[^<>]+>|\bDIR\b|\bOLD\b")
TABLE_CHARACTERS = set("┏┃┡│└━┗┳╇┻┷┯")
# The LRS reference price: the mission's account is ZRS, and no choice prices LRS.
UNUSED_PRICES = "azure:\n  blob_hot_gb_month: {price: 0.001, source: contract, date: '2026-06-01'}\n"


def _block_after(lead: str) -> list[str]:
    """The lines of the first fenced block after `lead` in the page."""
    text = PAGE.read_text()
    start = text.index("```\n", text.index(lead)) + 4
    return text[start : text.index("```", start)].splitlines()


def _pattern(line: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(line)
    return re.compile(".+".join(re.escape(part) for part in parts))


def _printed(doc: dict[str, Any]) -> list[str]:
    """The lines the console prints after its tables (a table's rows and titles left out)."""
    console = Console(record=True, width=4000)
    print_summary(doc, "out/aqua", console)
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    titles = {"Summary", "Monthly cost by layer (steady state)"}
    return [line for line in lines if line and line not in titles and not TABLE_CHARACTERS & set(line)]


@pytest.fixture(scope="module")
def aqua(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """specs/aqua-legacy.yaml compared with an override it does not use, the policy pack run over
    the session's plans of the spec (the subject is what the terminal prints, not the planner)."""
    from groundlink.app import parallel_plans

    from .test_compare import _fake_runs

    folder = tmp_path_factory.mktemp("aqua")
    prices = folder / "prices.yaml"
    prices.write_text(UNUSED_PRICES)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel_plans, "run_plans", _fake_runs(spec=None))
        code = main(["compare", str(SPECS / "aqua-legacy.yaml"), "--out", str(folder / "out"), "--prices", str(prices)])
    assert code == 0
    doc: dict[str, Any] = json.loads((folder / "out" / "compare.json").read_text())
    return doc


def _variants(aqua: dict[str, Any]) -> list[dict[str, Any]]:
    """The run as it was, and as it prints what it did not have: a parity failure, a cost and a
    coverage warning, no policy results, a refusal of data loss, layers whose cents do not add up
    to the total's (two of $1.006: $1.01 each as shown, $2.012 in all, shown $2.01)."""
    failed = copy.deepcopy(aqua)
    aws = failed["cost"]["clouds"]["aws"]
    for i, layer in enumerate(aws["byLayer"].values()):
        layer["known"] = 1.006 if i < 2 else 0.0
    aws["monthly"]["known"] = 2.012
    failed.update(ok=False, failures=["analytics.catalog: realized on no cloud"])
    failed["cost"]["warnings"] = ["a processing run longer than its timeout"]
    failed["coverage"]["warnings"] = ["aqua: 3.1 contacts/day over the sites, fewer than the 4 planned"]
    failed["policy"] = {"available": False, "reason": "the pack did not start", "summary": "", "clouds": {}}
    refused = copy.deepcopy(aqua)
    refused["diff"] = {"against": "old.yaml", "allowDataLoss": False, "refused": True, "dataLoss": ["x"], "clouds": []}
    refused["policy"]["clouds"]["aws"]["preflight"] = [  # as groundlink preflight words a finding
        "aqua-processing-job (aws:batch/jobDefinition:JobDefinition) containerProperties = 25069: the definition "
        "takes 25,069 bytes as RegisterJobDefinition sends it, tags included, over the 24,576 AWS Batch takes "
        '[AWS Batch User Guide, "AWS Batch service quotas": a job definition of at most 24 KiB]'
    ]
    return [aqua, failed, refused]


def test_every_line_the_terminal_prints_is_one_the_page_lists(aqua):
    patterns = [_pattern(line) for line in _block_after(LIST_LEAD)]
    printed = [line for doc in _variants(aqua) for line in _printed(doc)]
    assert [line for line in printed if not any(p.fullmatch(line) for p in patterns)] == []
    for name in (
        "policy: ",
        "  - Azure [mandatory] ",
        "  - AWS [preflight] ",
        "Price overrides no cost line of this spec uses: ",
    ):
        assert any(line.startswith(name) for line in printed), name  # the lines the page left out


def test_every_line_the_page_lists_is_printed_by_some_run(aqua):
    printed = [line for doc in _variants(aqua) for line in _printed(doc)]
    listed = _block_after(LIST_LEAD)
    assert [line for line in listed if not any(_pattern(line).fullmatch(p) for p in printed)] == []


def test_the_example_on_the_page_is_the_end_of_the_run_it_names(aqua):
    """The example ends as this run ends, line for line (the report folder aside)."""
    example = _block_after(EXAMPLE_LEAD)
    assert example[-1] == "comparable: report written to out/aqua (report.html, report.md, compare.json)"
    assert _printed(aqua)[-len(example) :] == example
