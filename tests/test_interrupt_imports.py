"""Ctrl-C while an extension module written in Rust (PyO3) initialises ends in a Rust panic
report on stderr, not in the one line. So the command line imports every such module a
command needs before it hands Ctrl-C to Python (groundlink.cli), while an interrupt still
ends the process at once. This runs `check` (spec, plan, policy pack and its configuration)
in a fresh interpreter and lists the PyO3 modules first imported after the hand-over."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from groundlink import interrupt

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


DEFERRED_PROBE = r"""
import json, signal, sys, time, traceback
from groundlink import interrupt

signal.signal(signal.SIGINT, signal.default_int_handler)  # as a terminal's shell starts a command
interrupt.install()
interrupt.hand_to_python()
sys.path.insert(0, sys.argv[1])
modules = ("outer", "inner")
took_back = sys.argv[2] == "take-back"  # outer's last line takes the handlers back, still importing
try:
    import outer
    deadline = time.monotonic() + (0.3 if took_back else 10)  # 60 looks of the deferral's timer
    while time.monotonic() < deadline:
        time.sleep(0.001)
    where = None
except KeyboardInterrupt as raised:
    where = [frame.filename for frame in traceback.extract_tb(raised.__traceback__)]
finished = {name: getattr(sys.modules.get(name), "finished", False) for name in modules}
timer = signal.getitimer(signal.ITIMER_REAL)[0]
print(json.dumps({"where": where, "finished": finished, "received": interrupt.received(), "timer": timer}))
"""


def _import_interrupted_by_its_inner_module(tmp_path, after: str) -> dict:
    returns = "from groundlink import interrupt\ninterrupt.take_back()\n" if after == "take-back" else ""
    (tmp_path / "outer.py").write_text(f"import inner\nfor _ in range(100_000):\n    pass\n{returns}finished = True\n")
    (tmp_path / "inner.py").write_text(
        "import signal\nsignal.raise_signal(signal.SIGINT)\nfor _ in range(100_000):\n    pass\nfinished = True\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", DEFERRED_PROBE, str(tmp_path), after],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def test_ctrl_c_during_an_import_is_raised_once_the_outermost_import_has_ended(tmp_path):
    """An exception raised in the middle of an import can break the interpreter's own state (a
    Ctrl-C inside the provider SDKs' lazy imports once ended `plan` in a segmentation fault):
    both modules load to their last line, and the interrupt is raised in the importer's code."""
    result = _import_interrupted_by_its_inner_module(tmp_path, "wait")
    assert result["finished"] == {"outer": True, "inner": True}
    # raised from the handler into the importer's loop: no frame of the modules or of importlib
    assert [frame for frame in result["where"] if frame != interrupt.__file__] == ["<string>"], result["where"]
    assert result["received"]


def test_a_command_that_returns_before_a_deferred_ctrl_c_is_raised_ends_as_interrupted(tmp_path):
    """The command line takes the handlers back when the command returns: the waiting Ctrl-C is
    not raised later in the caller, and the run is still reported as interrupted."""
    result = _import_interrupted_by_its_inner_module(tmp_path, "take-back")
    assert result["where"] is None
    assert result["received"]
    assert result["timer"] == 0.0  # nothing left ticking in the caller


@pytest.mark.engine_runs  # the plan is the subject: built anew, not the session's
def test_a_ctrl_c_deferred_when_a_plan_starts_stops_the_plan(monkeypatch):
    """A Ctrl-C during the imports before a plan's program is counted at once and raised when
    they end: counted into the plan's baseline, the program ran on, and when its exception broke
    off a registration the SDK then waited for, the plan hung (about once in twenty Ctrl-Cs
    0.2 s into `plan`). Here the deferral's timer never ticks: the plan itself must raise it."""
    from types import SimpleNamespace

    from groundlink.engine import plan

    monkeypatch.setattr(signal, "setitimer", lambda *args: (0.0, 0.0))
    importing = SimpleNamespace(f_code=SimpleNamespace(co_filename=interrupt.IMPORT_MACHINERY), f_back=None)
    previous = signal.getsignal(signal.SIGALRM)
    interrupt.forget()
    try:
        interrupt._stop(signal.SIGINT, importing)  # type: ignore[arg-type]  # a frame of an import, as the handler sees one
        assert signal.getsignal(signal.SIGALRM) is interrupt._deferred  # waiting for the import to end
        with pytest.raises(KeyboardInterrupt):
            plan(SPECS / "noaa20.yaml", "aws")
        assert signal.getsignal(signal.SIGALRM) is signal.SIG_IGN  # raised once: no deferral left
    finally:
        signal.signal(signal.SIGALRM, previous)
        interrupt.forget()
