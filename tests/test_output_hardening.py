"""Output and environment faults a user met: a non-UTF-8 locale, Ctrl-C during compare."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

from .conftest import ROOT, SPECS

CLI = [sys.executable, "-m", "groundlink.cli"]


def test_output_is_utf8_whatever_the_locale(tmp_path):
    spec = tmp_path / "été.yaml"
    shutil.copy(SPECS / "noaa20.yaml", spec)
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run([*CLI, "validate", str(spec)], capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"{spec}: ok (noaa20".encode() in result.stdout  # UTF-8 bytes, not an encoding error


def test_ctrl_c_during_compare_exits_130_with_one_line_and_leaves_no_process(tmp_path):
    process = subprocess.Popen(
        [*CLI, "compare", str(SPECS / "noaa20.yaml"), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
    )
    time.sleep(3)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["groundlink: interrupted"]
    time.sleep(0.5)
    survivors = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True).stdout
    assert survivors == ""
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no half-written report left beside it
