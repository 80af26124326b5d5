"""Processor throughput against the machine's own sequential read of the same file.

A synthetic contact of `--gb` gigabytes (one pcap of Ethernet/IPv4/UDP datagrams,
each one VITA-49 packet of `--piece` payload bytes, CADUs of 1024 bytes on two
interleaved virtual channels, frame counts in sequence) is written once and kept
under $GROUNDLINK_BENCH_CACHE (default /tmp/groundlink-bench), so later runs reuse
it. Then, pinned to one core (this process and its children; numpy and Arrow
with one thread), runs alternate so that the load of a shared machine hits all
of them alike:

- `cat FILE > /dev/null`, the read the target is stated against;
- `cp FILE COPY`, reading and writing as many bytes: the processor writes its frame
  streams (about as many bytes as it reads), so cp's time bounds what any processor
  can reach here;
- `groundlink.processing` over the file into a products directory.

The three are measured in two states of the page cache, because "a sequential
read of the file" is two different things: warm, the file just read (`cat` then
measures a memory copy out of the page cache), and cold, the file's pages evicted
with posix_fadvise(POSIX_FADV_DONTNEED) before every run of all three alike
(`cat` then reads the disk). Each figure is the median of `--repeat` runs: wall
time (what the target is stated in) and CPU time (user + system, steadier when
other work shares the core). `--record` writes the processor's throughput in both
states to data/processing_throughput.yaml, where the cost model reads the warm one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

for _threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core: no thread pools
    os.environ.setdefault(_threads, "1")

import dpkt  # noqa: E402  (imported after the thread set-up above)
import numpy as np  # noqa: E402  (imported after the thread set-up above)
import yaml  # noqa: E402  (imported after the thread set-up above)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from groundlink.processing.config import CaptureFormat  # noqa: E402  (imported after the sys.path set-up above)
from groundlink.processing.processor import discover, process_contact  # noqa: E402  (imported after the sys.path set-up above)

CADU = 1024
ASM = bytes.fromhex("1ACFFC1D")
CONTACT_ID = "5b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"
EPOCH_S = 1_764_547_200
SPACECRAFT, CHANNELS = 157, (0, 16)


def _frames(first: int, count: int, rng: np.random.Generator) -> bytes:
    """`count` CADUs from frame number `first`: two interleaved virtual channels, random data."""
    block = rng.integers(0, 256, size=(count, CADU), dtype=np.uint8)
    numbers = first + np.arange(count)
    vc = np.array(CHANNELS)[numbers % len(CHANNELS)]
    counts = numbers // len(CHANNELS)
    block[:, :4] = np.frombuffer(ASM, np.uint8)
    block[:, 4] = (1 << 6) | (SPACECRAFT >> 2)
    block[:, 5] = ((SPACECRAFT & 3) << 6) | vc
    block[:, 6], block[:, 7], block[:, 8] = (counts >> 16) & 0xFF, (counts >> 8) & 0xFF, counts & 0xFF
    block[:, 9] = 0
    return block.tobytes()


def _datagram_header(piece: int) -> bytes:
    """Ethernet + IPv4 + UDP + VITA-49 (stream id, class id, timestamps) headers, built by dpkt."""
    words = 7 + piece // 4
    vrt = struct.pack(">IIIIIQ", (1 << 28) | (1 << 27) | (1 << 22) | (2 << 20) | words, 1, 0x123456, 0x10002, 0, 0)
    udp = dpkt.udp.UDP(sport=50000, dport=55888, data=vrt + bytes(piece))
    udp.ulen = 8 + len(udp.data)
    ip = dpkt.ip.IP(src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02", p=dpkt.ip.IP_PROTO_UDP, data=udp)
    ip.len = 20 + udp.ulen
    eth = dpkt.ethernet.Ethernet(src=b"\x02" * 6, dst=b"\x04" * 6, type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
    return bytes(eth)[:-piece]


def write_contact(path: Path, size: int, piece: int) -> int:
    """A pcap of about `size` bytes; returns the number of frames in it."""
    rng = np.random.default_rng(0)
    header = _datagram_header(piece)
    frames_per_block = (64 << 20) // CADU // (piece // CADU) * (piece // CADU)
    total = size // (len(header) + piece + 16) * piece // CADU
    with path.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        packet = 0
        for first in range(0, total, frames_per_block):
            stream = _frames(first, min(frames_per_block, total - first), rng)
            for at in range(0, len(stream), piece):
                body = stream[at : at + piece]
                usec = packet * 100
                out.write(
                    struct.pack(
                        "<IIII", EPOCH_S + usec // 1_000_000, usec % 1_000_000, len(header) + piece, len(header) + piece
                    )
                )
                out.write(header)
                out.write(body)
                packet += 1
    return total


CACHE = Path(os.environ.get("GROUNDLINK_BENCH_CACHE", "/tmp/groundlink-bench"))
GENERATOR_VERSION = 1  # bump when write_contact changes, so a cached contact is not reused
THROUGHPUT_FILE = ROOT / "data" / "processing_throughput.yaml"


def cached_contact(gb: float, piece: int) -> tuple[Path, int]:
    """The synthetic contact's capture file and its frame count, written on first use.
    A contact is only reused once complete: its frame count is written last."""
    directory = CACHE / f"contact-{gb:g}gb-{piece}-v{GENERATOR_VERSION}"
    capture = directory / "raw" / "satellite=bench" / f"bench_{CONTACT_ID}_0001.pcap"
    stamp = directory / "frames"
    if stamp.exists() and capture.exists():
        return capture, int(stamp.read_text())
    shutil.rmtree(directory, ignore_errors=True)
    capture.parent.mkdir(parents=True)
    frames = write_contact(capture, int(gb * 1e9), piece)
    stamp.write_text(str(frames))
    return capture, frames


def one_core() -> int:
    """Pin this process (and the children it starts) to one core, and Arrow to one thread."""
    import pyarrow as pa

    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    return core


STATES = ("warm", "cold")
RUNS = ("cat", "cp", "process")
LABELS = {"cat": "cat FILE > /dev/null", "cp": "cp FILE COPY", "process": "groundlink.processing"}
STATE_TITLES = {
    "warm": "warm: the file in the page cache (cat measures a memory copy)",
    "cold": "cold: the file's pages evicted before every run (cat reads the disk)",
}


def evict(path: Path) -> None:
    """Drop the file's clean pages from the page cache, so the next read goes to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def cached_bytes(path: Path) -> int | None:
    """Bytes of the file in the page cache (util-linux `fincore`), or None without it."""
    if shutil.which("fincore") is None:
        return None
    out = subprocess.run(
        ["fincore", "--bytes", "--noheadings", "--output", "RES", str(path)], capture_output=True, text=True
    )
    return int(out.stdout.split()[0]) if out.returncode == 0 and out.stdout.strip() else None


def _child(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of a command (its output to /dev/null)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _own(fn: Any) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def measure(gb: float, piece: int, repeat: int, states: tuple[str, ...] = STATES) -> dict[str, Any]:
    """Median wall and CPU seconds of cat, cp and the processor, per page-cache state.

    Warm: the file was just read, as a file downloaded right before processing is. Cold: its
    pages are evicted before every run of all three alike, so each one reads the disk. What a
    run wrote (cp's copy, the products) is deleted right after it, before the kernel writes
    it back, so that no run pays for the write-back of another."""
    core = one_core()
    capture, frames = cached_contact(gb, piece)
    size = capture.stat().st_size
    (contact,) = discover(capture.parent.parent, CaptureFormat())
    runs: dict[str, dict[str, list[tuple[float, float]]]] = {state: {run: [] for run in RUNS} for state in states}
    resident: dict[str, int | None] = {}
    with tempfile.TemporaryDirectory(prefix="groundlink-bench-", dir=CACHE) as tmp:
        out, copy = Path(tmp) / "products", Path(tmp) / "copy"
        summary: dict[str, Any] = {}

        def process() -> None:
            summary.update(process_contact(contact, out))

        commands: dict[str, Any] = {
            "cat": lambda: _child(["cat", str(capture)]),
            "cp": lambda: _child(["cp", str(capture), str(copy)]),
            "process": lambda: _own(process),
        }
        _child(["cat", str(capture)])  # into the page cache
        _own(process)  # warm-up: imports, and the products' pages
        shutil.rmtree(out)
        for _ in range(repeat):  # alternate, so the load of a shared machine hits every run alike
            for state in states:
                for run in RUNS:
                    if state == "cold":
                        evict(capture)
                        resident.setdefault(state, cached_bytes(capture))
                    else:
                        _child(["cat", str(capture)])
                    runs[state][run].append(commands[run]())
                    copy.unlink(missing_ok=True)
                    shutil.rmtree(out, ignore_errors=True)
        assert summary["ok_frames"] == frames and summary["gaps"] == 0, summary
    figures: dict[str, Any] = {"bytes": size, "frames": frames, "piece": piece, "repeat": repeat, "core": core}
    figures["load"] = os.getloadavg()[0]
    for state, timings in runs.items():
        figures[state] = {
            run: {
                "wall": statistics.median(wall for wall, _ in timing),
                "cpu": statistics.median(cpu for _, cpu in timing),
            }
            for run, timing in timings.items()
        }
        figures[state]["resident_after_evict"] = resident.get(state)
    return figures


def ratios(figures: dict[str, Any], state: str) -> dict[str, float]:
    """The processor's throughput against cat's and cp's (time of the other / time of the processor)."""
    runs = figures[state]
    process = runs["process"]
    return {
        "wall": runs["cat"]["wall"] / process["wall"],
        "cpu": runs["cat"]["cpu"] / process["cpu"],
        "cp_wall": runs["cat"]["wall"] / runs["cp"]["wall"],
        "cp_cpu": runs["cat"]["cpu"] / runs["cp"]["cpu"],
    }


def report(figures: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    size = figures["bytes"]
    for state in STATES:
        if state not in figures:
            continue
        runs = figures[state]
        table = Table(
            title=f"contact processor on core {figures['core']}, synthetic contact of {size / 1e9:.2f} GB "
            f"(median of {figures['repeat']}), {STATE_TITLES[state]}"
        )
        for column in ("run", "wall s", "MB/s", "wall ratio cat/run", "CPU s", "CPU ratio cat/run"):
            table.add_column(column, justify="right")
        for run in RUNS:
            seconds, cpu = runs[run]["wall"], runs[run]["cpu"]
            table.add_row(
                LABELS[run],
                f"{seconds:.3f}",
                f"{size / seconds / 1e6:.0f}",
                f"{runs['cat']['wall'] / seconds:.2f}",
                f"{cpu:.3f}",
                f"{runs['cat']['cpu'] / cpu:.2f}" if cpu else "-",
            )
        console.print(table)
        got = ratios(figures, state)
        met = "met" if got["wall"] >= 0.5 else "NOT met"
        console.print(
            f"{state}: processor/cat {got['wall']:.2f} wall, {got['cpu']:.2f} CPU: target 0.5 {met}; "
            f"cp/cat {got['cp_wall']:.2f} wall, {got['cp_cpu']:.2f} CPU"
            + (
                f"; {runs['resident_after_evict']} bytes of the file still cached after eviction"
                if state == "cold" and runs.get("resident_after_evict")
                else ""
            )
        )
    console.print(
        f"{figures['frames']} frames of {CADU} bytes, {figures['piece']} payload bytes per datagram; "
        f"load average {figures['load']:.1f}"
    )


def record(figures: dict[str, Any], path: Path = THROUGHPUT_FILE) -> None:
    """Write the processor's measured throughput where the cost model reads it: the warm figures
    (bytes_per_second), with the cold ones next to them."""
    size = figures["bytes"]
    entry: dict[str, Any] = {}
    for state in STATES:
        runs = figures[state]
        prefix = "" if state == "warm" else "cold_"
        entry[f"{prefix}bytes_per_second"] = round(size / runs["process"]["wall"])
        entry[f"{prefix}cpu_bytes_per_second"] = round(size / runs["process"]["cpu"])
        entry[f"{prefix}ratio_to_cat"] = round(ratios(figures, state)["wall"], 3)
        entry[f"{prefix}cpu_ratio_to_cat"] = round(ratios(figures, state)["cpu"], 3)
        for run in RUNS:
            name = "process" if run == "process" else run
            entry[f"{prefix}{name}_seconds"] = round(runs[run]["wall"], 3)
    entry["contact_bytes"] = size
    entry["measured"] = dt.date.today().isoformat()
    entry["machine"] = f"{platform.machine()}, {os.cpu_count()} cores shared, one core used, {_cpu_model()}"
    entry["load_average"] = round(figures["load"], 1)
    entry["command"] = "make bench (bench/processing.py --record)"
    header = (
        "# The contact processor's throughput, measured by bench/processing.py --record (make bench prints\n"
        "# the same figures). bytes_per_second and ratio_to_cat are the warm state (the capture file in the\n"
        "# page cache), which the cost model reads: the cloud runtime downloads a contact's files to local disk\n"
        "# right before it processes them, so they are read from the page cache. The cold_ figures (the file's\n"
        "# pages evicted before every run, read from the disk) are the state of a contact read from storage.\n"
    )
    path.write_text(header + yaml.safe_dump(entry, sort_keys=False))


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the synthetic contact (default 1 GB)")
    parser.add_argument("--piece", type=int, default=8192, help="payload bytes per datagram (multiple of 1024)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--state", choices=(*STATES, "both"), default="both", help="page-cache state (default both)")
    parser.add_argument("--record", action="store_true", help=f"write the figures to {THROUGHPUT_FILE.name}")
    args = parser.parse_args(argv)
    # a datagram's payload is whole CADUs, and the datagram (VITA-49, UDP and IPv4 headers, 56
    # bytes) fits an IPv4 packet of at most 65,535 bytes (RFC 791)
    largest_piece = (65_535 - 56) // CADU * CADU
    if not (args.piece % CADU == 0 and CADU <= args.piece <= largest_piece):
        parser.error(f"--piece: {args.piece} bytes; allowed: a multiple of {CADU} from {CADU} to {largest_piece}")
    record_bytes = len(_datagram_header(args.piece)) + args.piece + 16  # a pcap record of one datagram
    if not args.gb * 1e9 >= record_bytes:
        parser.error(f"--gb: {args.gb:g}; allowed: {record_bytes / 1e9:g} (one datagram of --piece bytes) or more")
    if args.repeat < 1:
        parser.error(f"--repeat: {args.repeat} runs; allowed: 1 or more (the median of the timed runs is kept)")
    if args.record and args.state != "both":
        parser.error("--record needs both states (--state both)")
    figures = measure(args.gb, args.piece, args.repeat, STATES if args.state == "both" else (args.state,))
    report(figures, Console())
    if args.record:
        record(figures)
    return 0


if __name__ == "__main__":
    from groundlink.interrupt import unwind_on_termination

    unwind_on_termination()  # a stopped run removes its temporary files
    sys.exit(main())
