"""A pack that dies at start explains itself through its stderr: the check keeps every line
the process wrote there, as written, and quotes the last ones in its one-line error.

The "interpreter" is a shell script standing in for a crashing pack (milliseconds, no Python
start-up), as a user's broken pack would crash before printing its port."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from groundlink.check import PackError, PackProcess

TRACEBACK = ["Traceback (most recent call last):", '  File "__main__.py", line 3', "ImportError: pack exploded"]


def _crashing_python(tmp_path: Path) -> str:
    script = tmp_path / "python"
    lines = "\n".join(f"printf '%s\\n' '{line}' >&2" for line in TRACEBACK)
    script.write_text(f"#!/bin/sh\n{lines}\nprintf '   \\n' >&2\nexit 3\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_a_pack_that_crashes_at_start_keeps_its_stderr_and_quotes_it(tmp_path):
    process = PackProcess(tmp_path, "groundlink", "noaa20-aws", python=_crashing_python(tmp_path))
    with process, pytest.raises(PackError, match=r"policy pack failed to start \(exit 3\)"):
        process.connect(timeout=10)
    deadline = time.monotonic() + 10
    while len(process.stderr_lines) < 4 and time.monotonic() < deadline:  # the reader thread may lag
        time.sleep(0.01)
    assert process.stderr_lines == [*TRACEBACK, ""]  # trailing blanks stripped, nothing else changed
    assert process.stderr_tail() == " | ".join(TRACEBACK)
    assert process.stderr_tail(lines=1) == "ImportError: pack exploded"
    assert not process.running


def test_a_pack_that_ignores_the_stop_signal_is_killed_after_the_stop_timeout(tmp_path, monkeypatch):
    """The CLI's way: SIGTERM, then SIGKILL once the wait runs out. A pack that traps SIGTERM
    (and never reads its stdin) must not outlive the check that started it."""
    from groundlink.check import host

    script = tmp_path / "python"
    script.write_text("#!/bin/sh\ntrap '' TERM\nexec sleep 600\n")  # the ignored signal survives the exec
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(host, "STOP_TIMEOUT_SECONDS", 0.3)
    process = PackProcess(tmp_path, "groundlink", "noaa20-aws", python=str(script)).start()
    try:
        time.sleep(0.2)  # the trap is set before the stop comes
        assert process.running
        started = time.monotonic()
        process.stop()
        assert not process.running
        assert 0.3 <= time.monotonic() - started < 10
    finally:
        if process._proc is not None and process._proc.poll() is None:
            process._proc.kill()
            process._proc.wait()


def test_a_pack_that_crashes_at_start_is_named_by_its_exception_before_what_follows_it(tmp_path):
    """A traceback followed by other lines (an interpreter's abort at shutdown printed four): the
    one-line error leads with the exception, which a long line's cut had hidden in its middle."""
    script = tmp_path / "python"
    after = ["Fatal Python error: _enter_buffered_busy", "Python runtime state: finalizing", "  <no Python frame>"]
    lines = "\n".join(f"printf '%s\\n' '{line}' >&2" for line in [*TRACEBACK, *after])
    script.write_text(f"#!/bin/sh\n{lines}\nexit 3\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    process = PackProcess(tmp_path, "groundlink", "noaa20-aws", python=str(script))
    with process, pytest.raises(PackError) as raised:
        process.connect(timeout=10)
    assert str(raised.value).startswith(
        "policy pack failed to start (exit 3): ImportError: pack exploded (the pack's traceback: Traceback"
    )


def test_a_real_pack_whose_rule_module_fails_to_import_exits_1_and_names_the_module(tmp_path):
    """Under the launcher, whose thread watches the caller through stdin, a pack that raised at
    start was aborted at the interpreter's shutdown (exit -6, SIGABRT) and its cause buried."""
    import sys

    (tmp_path / "__main__.py").write_text("import groundlink_missing_rules_module\n")
    process = PackProcess(tmp_path, "groundlink", "noaa20-aws", python=sys.executable)
    with process, pytest.raises(PackError) as raised:
        process.connect(timeout=60)
    assert str(raised.value).startswith(
        "policy pack failed to start (exit 1): ModuleNotFoundError: No module named 'groundlink_missing_rules_module'"
    )
    assert not [line for line in process.stderr_lines if "Fatal Python error" in line]


def test_a_pack_interrupted_while_it_starts_ends_with_ctrl_c_s_status_not_an_abort(tmp_path):
    """A terminal's Ctrl-C reaches the pack's process group: raised in a pack still starting, it
    ended at the interpreter's shutdown in SIGABRT (exit -6, "Fatal Python error"), as a
    failed start had."""
    import signal
    import sys

    (tmp_path / "__main__.py").write_text(
        "import sys, time\nprint('starting', file=sys.stderr, flush=True)\ntime.sleep(60)\n"
    )
    process = PackProcess(tmp_path, "groundlink", "noaa20-aws", python=sys.executable).start()
    try:
        deadline = time.monotonic() + 60
        while "starting" not in process.stderr_lines and time.monotonic() < deadline:
            time.sleep(0.01)
        assert process._proc is not None and "starting" in process.stderr_lines
        process._proc.send_signal(signal.SIGINT)
        assert process._proc.wait(timeout=30) == 130
        assert not [line for line in process.stderr_lines if "Fatal Python error" in line]
    finally:
        process.stop()
