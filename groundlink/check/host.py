"""The policy pack as its own process, started and spoken to the way the
Pulumi CLI does it (docs/facts.md §8).

The CLI runs `python -m pulumi.policy <engine-address> <pack-dir>` with the
stack identity in PULUMI_PROJECT/PULUMI_STACK/PULUMI_DRY_RUN/PULUMI_CONFIG,
reads the Analyzer's port from the first stdout line and dials it. Here the same
module runs under a small launcher (`PACK_LAUNCHER`) that also ends the pack when
groundlink does. The engine
address is a live Engine gRPC service the pack may log to; a small in-process
one stands in for the CLI's. (pulumi 3.272's policy host configures its
runtime without that address and logs to stderr, so stderr is kept too.)
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pulumi.runtime.proto import analyzer_pb2_grpc, engine_pb2, engine_pb2_grpc

STARTUP_TIMEOUT_SECONDS = 60.0
STARTUP_TIMEOUT_ENV = "GROUNDLINK_PACK_STARTUP_SECONDS"
STOP_TIMEOUT_SECONDS = 5.0
PACK_WATCH_SECONDS = 0.25  # how often a pack is looked at while its first answer is awaited
PIPE_DRAIN_SECONDS = 0.5  # how long a stopped pack's pipes are read out before they are closed
# `python -m pulumi.policy ADDRESS PACK_DIR`, run by runpy as -m runs it, and ended when its
# standard input closes. A pack serves its Analyzer until it is stopped, so one whose caller
# was killed outright (SIGKILL, an OOM kill), or left while the pack was still starting,
# served for ever; the caller holds the write end of the pack's stdin, and the kernel closes
# it whenever the caller ends, however it ends. A pack that fails (a rule module that does not
# import: pulumi.policy logs the traceback and exits 1), or is interrupted while it starts (a
# terminal's Ctrl-C reaches the pack's process group too), ends at once with its status: left to
# the interpreter's shutdown, the watch thread's blocked read of stdin aborted it ("Fatal Python
# error: _enter_buffered_busy", SIGABRT), and those lines buried the traceback's last one, which
# says what is wrong.
PACK_LAUNCHER = "\n".join(
    (
        "import os, runpy, sys, threading, traceback",
        "def _end_with_the_caller():",
        "    while sys.stdin.buffer.read(65536):",
        "        pass",
        "    os._exit(0)",
        "threading.Thread(target=_end_with_the_caller, name='caller-watch', daemon=True).start()",
        "try:",
        "    runpy.run_module('pulumi.policy', run_name='__main__', alter_sys=True)",
        "    code = 0",
        "except SystemExit as stop:",
        "    code = stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 1",
        "    if not isinstance(stop.code, int | None):",
        "        print(stop.code, file=sys.stderr)",
        "except KeyboardInterrupt:",  # a terminal's Ctrl-C reaches the pack too: the caller says it
        "    code = 130",
        "except Exception:",
        "    traceback.print_exc()",
        "    code = 1",
        "sys.stdout.flush()",
        "sys.stderr.flush()",
        "os._exit(code)",
    )
)


class PackError(Exception):
    """The pack process could not be started or failed while analyzing."""


def startup_timeout() -> float:
    """How long to wait for the pack's port line: 60 s (a cold pack imports the Pulumi SDK
    and every rule), or GROUNDLINK_PACK_STARTUP_SECONDS on a slower machine, or to give up
    quickly on a pack that never answers."""
    raw = os.environ.get(STARTUP_TIMEOUT_ENV)
    if raw is None:
        return STARTUP_TIMEOUT_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise PackError(f"{STARTUP_TIMEOUT_ENV}: {raw[:40]!r} is not allowed; allowed: a number of seconds above 0")
    return value


@dataclass
class EngineLog:
    severity: str
    message: str
    urn: str = ""


def _engine_servicer(logs: list[EngineLog]) -> engine_pb2_grpc.EngineServicer:
    """The engine RPCs a language host or pack may call; logs are appended to `logs`."""
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

    class EngineServicer(engine_pb2_grpc.EngineServicer):
        def __init__(self) -> None:
            self._root = ""

        def Log(self, request: engine_pb2.LogRequest, context: Any) -> empty_pb2.Empty:
            severity = engine_pb2.LogSeverity.Name(request.severity).lower()
            logs.append(EngineLog(severity, request.message, request.urn))
            return empty_pb2.Empty()

        def GetRootResource(
            self, request: engine_pb2.GetRootResourceRequest, context: Any
        ) -> engine_pb2.GetRootResourceResponse:
            return engine_pb2.GetRootResourceResponse(urn=self._root)

        def SetRootResource(
            self, request: engine_pb2.SetRootResourceRequest, context: Any
        ) -> engine_pb2.SetRootResourceResponse:
            self._root = request.urn
            return engine_pb2.SetRootResourceResponse()

    return EngineServicer()


class EngineServer:
    def __init__(self) -> None:
        import grpc
        from pulumi.runtime.proto import engine_pb2_grpc

        self.logs: list[EngineLog] = []
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        engine_pb2_grpc.add_EngineServicer_to_server(_engine_servicer(self.logs), self._server)
        self.port: int = self._server.add_insecure_port("127.0.0.1:0")
        self._server.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.stop(0)


def ended(returncode: int) -> str:
    """How a pack process ended, in words: `exit 3`, or `killed by SIGKILL` where a signal ended it
    (the out-of-memory killer's, which leaves nothing on the pack's stderr), not `exit -9`."""
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-returncode).name}"
    return f"exit {returncode}"


def _loopback_not_proxied() -> str:
    """The pack's `no_grpc_proxy`: the user's exceptions and 127.0.0.1. gRPC reads the lowercase
    names, no_grpc_proxy before no_proxy, and proxies every channel otherwise, loopback too."""
    given = os.environ.get("no_grpc_proxy", os.environ.get("no_proxy", ""))  # noqa: SIM112 (gRPC's own names)
    return ",".join(filter(None, [given, "127.0.0.1"]))


@dataclass
class PackProcess:
    """One pack process for one stack. Use as a context manager: it always stops."""

    pack_dir: Path
    project: str
    stack: str
    config: dict[str, str] = field(default_factory=dict)
    dry_run: bool = True
    python: str = sys.executable
    stderr_lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._engine: EngineServer | None = None
        self._channel: Any = None  # a grpc.Channel (grpc ships no types)
        self._port_line: list[str] = []
        self._port_ready = threading.Event()
        self._stderr_reader: threading.Thread | None = None
        self._stdout_reader: threading.Thread | None = None
        self.stub: analyzer_pb2_grpc.AnalyzerStub | None = None

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> PackProcess:
        """Spawn the process; returns at once so the caller can plan meanwhile."""
        self._engine = EngineServer()
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(self.config),
            # the pack's own channel to the engine above is loopback too
            "no_grpc_proxy": _loopback_not_proxied(),
        }
        try:
            self._proc = subprocess.Popen(
                [self.python, "-c", PACK_LAUNCHER, self._engine.address, str(self.pack_dir)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.PIPE,  # never written: its end tells the pack that groundlink left
                env=env,
                cwd=str(self.pack_dir),
            )
        except OSError as error:  # no interpreter, no pack directory: nothing may stay running
            self.stop()
            raise PackError(f"cannot start the policy pack in {self.pack_dir}: {error}") from None
        self._stdout_reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._stdout_reader.start()
        self._stderr_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self._stderr_reader.start()
        return self

    def _read_stdout(self) -> None:
        assert self._proc and self._proc.stdout
        first = self._proc.stdout.readline()
        self._port_line.append(first.decode(errors="replace").strip())
        self._port_ready.set()
        for _ in self._proc.stdout:  # keep draining so the pack never blocks on a full pipe
            pass

    def _read_stderr(self) -> None:
        assert self._proc and self._proc.stderr
        for line in self._proc.stderr:
            self.stderr_lines.append(line.decode(errors="replace").rstrip())

    def connect(self, timeout: float | None = None) -> analyzer_pb2_grpc.AnalyzerStub:
        """Wait for the port line (`startup_timeout()` by default) and dial the Analyzer; returns its stub."""
        import grpc
        from google.protobuf import empty_pb2
        from pulumi.runtime.proto import analyzer_pb2_grpc

        if self.stub is not None:
            return self.stub
        if timeout is None:
            timeout = startup_timeout()
        if self._proc is None:
            self.start()
        if not self._port_ready.wait(timeout):
            raise PackError(f"policy pack did not report a port within {timeout:g}s")
        line = self._port_line[0]
        if not line.isdigit():
            proc = self._proc
            assert proc is not None  # started above
            try:  # a pack that crashed closed its stdout: its exit status and traceback explain why
                proc.wait(min(timeout, STOP_TIMEOUT_SECONDS))
            except subprocess.TimeoutExpired:  # it printed something else and runs on: not a pack to talk to
                self.stop()
                raise PackError(f"policy pack failed to start: its first line is not a port: {line[:60]!r}") from None
            # the pack has exited, so its stderr ends: the reader has its traceback once it stops
            if self._stderr_reader is not None:
                self._stderr_reader.join(STOP_TIMEOUT_SECONDS)
            raise PackError(f"policy pack failed to start ({ended(proc.returncode)}): {self.startup_failure()}")
        # never through a proxy: gRPC takes http_proxy, https_proxy and grpc_proxy from the
        # environment for every channel, loopback too, and a check behind a corporate proxy
        # waited 60 s for a pack it never reached
        self._channel = grpc.insecure_channel(f"127.0.0.1:{line}", options=[("grpc.enable_http_proxy", 0)])
        stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        # The first call waits for the connection. grpc.channel_ready_future would too, but it
        # leaves a thread polling the channel's state every 0.2 s, which close() then waits
        # for: 0.2 s added to every pack's stop, so to every check.
        # The pack is watched meanwhile: one killed after its port line (the out-of-memory
        # killer, a `kill -9`) was waited for the whole timeout, 60 s, before the answer "did not
        # answer", where its exit says at once why.
        answer = stub.GetPluginInfo.future(empty_pb2.Empty(), wait_for_ready=True, timeout=timeout)
        try:
            while True:
                try:
                    answer.result(timeout=PACK_WATCH_SECONDS)
                    break
                except grpc.FutureTimeoutError:
                    proc = self._proc
                    if proc is not None and proc.poll() is not None:
                        answer.cancel()
                        if self._stderr_reader is not None:
                            self._stderr_reader.join(STOP_TIMEOUT_SECONDS)
                        self.stop()
                        raise PackError(
                            f"policy pack ended ({ended(proc.returncode)}) before it answered on port {line}: "
                            f"{self.startup_failure()}"
                        ) from None
        except grpc.RpcError as error:
            self.stop()
            details = error.details() if hasattr(error, "details") else str(error)
            raise PackError(f"policy pack did not answer on port {line} within {timeout:g}s: {details}") from None
        self.stub = stub
        return self.stub

    def startup_failure(self) -> str:
        """Why a pack ended before it served: a traceback's last line (the exception, which says
        what is wrong) first, then the lines before it; else the end of what it printed."""
        lines = [line for line in self.stderr_lines if line.strip()]
        starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):")]
        if starts:
            after = lines[starts[-1] + 1 :]
            cause = next((line for line in after if not line[:1].isspace()), None)
            if cause is not None:
                return f"{cause.strip()} (the pack's traceback: {self.stderr_tail()})"
        return self.stderr_tail()

    def stderr_tail(self, lines: int = 8) -> str:
        tail = [line for line in self.stderr_lines if line.strip()][-lines:]
        return " | ".join(tail) or "no output on stderr"

    @property
    def logs(self) -> list[EngineLog]:
        return list(self._engine.logs) if self._engine else []

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The pack process's id once started (until the object goes), else None."""
        return self._proc.pid if self._proc is not None else None

    def stop(self) -> None:
        """Stop the pack the way the CLI does (signal, then kill), and the engine."""
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._proc is not None and self._proc.stdin is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc is not None and self._proc.poll() is not None:
            # the pack has ended, so its pipes end: read out, then closed (left to the garbage
            # collector they were "ResourceWarning: unclosed file", a traceback each under
            # PYTHONWARNINGS=error or PYTHONDEVMODE). One short wait for both readers: a process
            # the pack left behind may hold a pipe open, and its reader then runs on, unclosed.
            deadline = time.monotonic() + PIPE_DRAIN_SECONDS
            for reader, pipe in ((self._stdout_reader, self._proc.stdout), (self._stderr_reader, self._proc.stderr)):
                if reader is not None:
                    reader.join(max(0.0, deadline - time.monotonic()))
                if pipe is not None and (reader is None or not reader.is_alive()):
                    with contextlib.suppress(OSError):
                        pipe.close()
        if self._engine is not None:
            self._engine.stop()
            self._engine = None

    def __enter__(self) -> PackProcess:
        if self._proc is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class WarmPacks:
    """Pack processes kept running between checks of the same stacks, for a caller that checks
    again and again (a benchmark, a long-lived session): the second check skips the pack's start-up.

    Keyed by the pack, project and stack the process was started for, not by the stack's config
    (its spec path, region...): every check configures the Analyzer again (Configure,
    ConfigureStack) and the pack reads the stack's config from those calls only, as compare's one
    process for both stacks does; checks of variants of one mission reuse one process.
    `close()` stops them all.
    """

    def __init__(self) -> None:
        self._packs: dict[tuple[str, str, str], PackProcess] = {}
        self._lock = threading.Lock()

    def acquire(self, pack_dir: Path, project: str, stack: str, config: dict[str, str]) -> PackProcess:
        key = (str(pack_dir), project, stack)
        with self._lock:
            process = self._packs.get(key)
            if process is None or (process._proc is not None and not process.running):
                if process is not None:
                    process.stop()
                process = PackProcess(pack_dir, project, stack, config).start()
                self._packs[key] = process
            return process

    def pids(self) -> set[int]:
        """The process ids of the packs kept, so a caller that looks for leftover processes
        can tell them from a command's."""
        with self._lock:
            return {process.pid for process in self._packs.values() if process.pid is not None}

    def close(self) -> None:
        with self._lock:
            for process in self._packs.values():
                process.stop()
            self._packs.clear()


_warm: WarmPacks | None = None


def warm_packs() -> WarmPacks | None:
    """The registry checks reuse pack processes from, if a caller opened one."""
    return _warm


@contextlib.contextmanager
def keep_packs_warm() -> Iterator[WarmPacks]:
    """Within this block, checks reuse running pack processes; all stop when it ends."""
    global _warm
    previous, _warm = _warm, WarmPacks()
    try:
        yield _warm
    finally:
        _warm.close()
        _warm = previous
