"""Ctrl-C while an extension module written in Rust (PyO3) initialises ends in a Rust panic
report on stderr, not in the one line. So the command line imports every such module a
command needs before it hands Ctrl-C to Python (groundlink.cli), while an interrupt still
ends the process at once. This runs `check` (spec, plan, policy pack and its configuration)
in a fresh interpreter and lists the PyO3 modules first imported after the hand-over."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import ROOT, SPECS

PROBE = r"""
import json, sys
from pathlib import Path
from groundlink import cli, interrupt

def pyo3_modules():
    found = set()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.endswith(".so") and b"pyo3" in Path(path).read_bytes():
            found.add(name)
    return found

before = {}
hand_over = interrupt.hand_to_python

def snapshot():
    before["pyo3"] = pyo3_modules()
    hand_over()

interrupt.hand_to_python = snapshot
cli.no_collection_during_the_command()  # as the command line's entry does
code = cli.main(sys.argv[1:])
print(json.dumps({"code": code, "before": sorted(before["pyo3"]), "after": sorted(pyo3_modules() - before["pyo3"])}))
"""


def test_no_rust_extension_is_first_imported_after_ctrl_c_is_handed_to_python():
    run = subprocess.run(
        [sys.executable, "-c", PROBE, "check", str(SPECS / "noaa20.yaml"), "--cloud", "aws"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, run.stderr[-2000:]
    assert "pydantic_core._pydantic_core" in result["before"]  # the probe sees PyO3 modules at all
    assert result["after"] == []
