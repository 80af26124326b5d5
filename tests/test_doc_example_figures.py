"""Figures the docs print as example output, held to what the code gives today: an example of
`check --json` gave 99 resources and one of `diff` 52 unchanged after the plans had grown."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import cached_plan

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_the_check_json_example_counts_the_noaa20_aws_plan():
    text = (DOCS / "policies.md").read_text(encoding="utf-8")
    [count] = re.findall(r'"stack": "noaa20-aws", "resources": (\d+)', text)
    assert int(count) == len(cached_plan("noaa20.yaml", "aws").resources)


def test_the_diff_example_counts_the_noaa20_azure_custom_resources():
    """The example diffs a checkpoint of the noaa20 Azure stack against its spec: every custom
    resource unchanged but the one input not compared."""
    text = (DOCS / "diff.md").read_text(encoding="utf-8")
    [count] = re.findall(r"no changes; (\d+) unchanged; 1 input\(s\) not compared", text)
    assert int(count) == sum(1 for r in cached_plan("noaa20.yaml", "azure").resources if r.custom)
