"""Processor throughput against the machine's own sequential read of the same file.

Writes a synthetic contact of `--gb` gigabytes (one pcap of Ethernet/IPv4/UDP
datagrams, each one VITA-49 packet of `--piece` payload bytes, CADUs of 1024 bytes
with frame counts in sequence) into a temporary directory, then times on one core:

- `cat FILE > /dev/null`, the read the target is stated against;
- `cp FILE COPY`, reading and writing as many bytes, since the processor writes its
  frame streams (about as many bytes as it reads);
- `groundlink.processing` over the file into a products directory.

Each figure is the median of `--repeat` runs with the file in the page cache. The
temporary directory is deleted afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import dpkt
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from groundlink.processing.config import CaptureFormat  # noqa: E402
from groundlink.processing.processor import discover, process_contact  # noqa: E402

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


def _median_seconds(command: list[str] | None, fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        if command:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        else:
            fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(gb: float, piece: int, repeat: int) -> dict[str, Any]:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, for this process and its children
    with tempfile.TemporaryDirectory(prefix="groundlink-bench-") as tmp:
        raw = Path(tmp) / "raw" / "satellite=bench"
        raw.mkdir(parents=True)
        capture = raw / f"bench_{CONTACT_ID}_0001.pcap"
        frames = write_contact(capture, int(gb * 1e9), piece)
        size = capture.stat().st_size
        (contact,) = discover(raw.parent, CaptureFormat())
        out = Path(tmp) / "products"
        summary: dict[str, Any] = {}

        def process() -> None:
            shutil.rmtree(out, ignore_errors=True)
            summary.update(process_contact(contact, out))

        subprocess.run(["cat", str(capture)], check=True, stdout=subprocess.DEVNULL)  # into the page cache
        cat = _median_seconds(["cat", str(capture)], None, repeat)
        cp = _median_seconds(["cp", str(capture), str(Path(tmp) / "copy")], None, repeat)
        processed = _median_seconds(None, process, repeat)
        assert summary["ok_frames"] == frames and summary["gaps"] == 0, summary
    return {"bytes": size, "frames": frames, "piece": piece, "cat": cat, "cp": cp, "process": processed}


def report(figures: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    size = figures["bytes"]
    table = Table(title=f"contact processor, one core, synthetic contact of {size / 1e9:.2f} GB")
    for column in ("run", "seconds", "MB/s", "ratio to cat"):
        table.add_column(column, justify="right")
    for label, key in (("cat FILE > /dev/null", "cat"), ("cp FILE COPY", "cp"), ("groundlink.processing", "process")):
        seconds = figures[key]
        table.add_row(label, f"{seconds:.3f}", f"{size / seconds / 1e6:.0f}", f"{figures['cat'] / seconds:.2f}")
    console.print(table)
    console.print(
        f"{figures['frames']} frames of {CADU} bytes, {figures['piece']} payload bytes per datagram. "
        f"throughput ratio processor/cat: {figures['cat'] / figures['process']:.2f} (target >= 0.5); "
        f"processor/cp: {figures['cp'] / figures['process']:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gb", type=float, default=1.0, help="size of the synthetic contact (default 1 GB)")
    parser.add_argument("--piece", type=int, default=8192, help="payload bytes per datagram (multiple of 1024)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    report(measure(args.gb, args.piece, args.repeat), Console())
    return 0


if __name__ == "__main__":
    sys.exit(main())
