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

Each figure is the median of `--repeat` runs with the file in the page cache:
wall time (what the target is stated in) and CPU time (user + system, steadier
when other work shares the core). `--record` writes the processor's throughput to
data/processing_throughput.yaml, where the cost model reads it.
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


def measure(gb: float, piece: int, repeat: int) -> dict[str, Any]:
    core = one_core()
    capture, frames = cached_contact(gb, piece)
    size = capture.stat().st_size
    (contact,) = discover(capture.parent.parent, CaptureFormat())
    runs: dict[str, list[tuple[float, float]]] = {"cat": [], "cp": [], "process": []}
    with tempfile.TemporaryDirectory(prefix="groundlink-bench-", dir=CACHE) as tmp:
        out, copy = Path(tmp) / "products", Path(tmp) / "copy"
        summary: dict[str, Any] = {}

        def process() -> None:
            summary.update(process_contact(contact, out))

        _child(["cat", str(capture)])  # into the page cache
        _own(process)  # warm-up: imports, and the products' pages
        for _ in range(repeat):  # alternate, so the load of a shared machine hits all three alike
            runs["cat"].append(_child(["cat", str(capture)]))
            copy.unlink(missing_ok=True)
            runs["cp"].append(_child(["cp", str(capture), str(copy)]))
            shutil.rmtree(out, ignore_errors=True)
            runs["process"].append(_own(process))
        assert summary["ok_frames"] == frames and summary["gaps"] == 0, summary
    figures: dict[str, Any] = {"bytes": size, "frames": frames, "piece": piece, "repeat": repeat, "core": core}
    for name, timings in runs.items():
        figures[name] = statistics.median(wall for wall, _ in timings)
        figures[f"{name}_cpu"] = statistics.median(cpu for _, cpu in timings)
    return figures


def report(figures: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    size = figures["bytes"]
    table = Table(
        title=f"contact processor on core {figures['core']}, synthetic contact of {size / 1e9:.2f} GB "
        f"(median of {figures['repeat']})"
    )
    for column in ("run", "wall s", "MB/s", "wall ratio cat/run", "CPU s", "CPU ratio cat/run"):
        table.add_column(column, justify="right")
    for label, key in (("cat FILE > /dev/null", "cat"), ("cp FILE COPY", "cp"), ("groundlink.processing", "process")):
        seconds, cpu = figures[key], figures[f"{key}_cpu"]
        table.add_row(
            label,
            f"{seconds:.3f}",
            f"{size / seconds / 1e6:.0f}",
            f"{figures['cat'] / seconds:.2f}",
            f"{cpu:.3f}",
            f"{figures['cat_cpu'] / cpu:.2f}" if cpu else "-",
        )
    console.print(table)
    console.print(
        f"{figures['frames']} frames of {CADU} bytes, {figures['piece']} payload bytes per datagram. "
        f"throughput ratio processor/cat: {figures['cat'] / figures['process']:.2f} (target >= 0.5); "
        f"cp/cat, the bound for a run that writes as many bytes as it reads: {figures['cat'] / figures['cp']:.2f}; "
        f"processor/cp: {figures['cp'] / figures['process']:.2f}"
    )


def record(figures: dict[str, Any], path: Path = THROUGHPUT_FILE) -> None:
    """Write the processor's measured throughput where the cost model reads it."""
    size = figures["bytes"]
    entry = {
        "bytes_per_second": round(size / figures["process"]),
        "cpu_bytes_per_second": round(size / figures["process_cpu"]),
        "ratio_to_cat": round(figures["cat"] / figures["process"], 3),
        "contact_bytes": size,
        "process_seconds": round(figures["process"], 3),
        "cat_seconds": round(figures["cat"], 3),
        "cp_seconds": round(figures["cp"], 3),
        "measured": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores shared, one core used, {_cpu_model()}",
        "command": "make bench (bench/processing.py --record)",
    }
    header = (
        "# The contact processor's throughput, measured by bench/processing.py --record (make bench prints\n"
        "# the same figures). The cost model takes a contact's processing duration from bytes_per_second.\n"
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
    parser.add_argument("--record", action="store_true", help=f"write the figures to {THROUGHPUT_FILE.name}")
    args = parser.parse_args(argv)
    figures = measure(args.gb, args.piece, args.repeat)
    report(figures, Console())
    if args.record:
        record(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
