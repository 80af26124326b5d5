"""The contact processor's measured throughput: what a contact's processing duration is taken from.

`make bench` measures the processor on a 1 GB synthetic contact on one core
(bench/processing.py) and `bench/processing.py --record` writes the figures,
with their date and machine, to data/processing_throughput.yaml. The cost model
prices a contact's compute from this figure rather than from a guess: the warm
figure (the capture file in the page cache), because the cloud runtime
downloads a contact's files to local disk right before processing them, so the
processor reads them from the page cache. The cold figure (the file's pages
evicted before the run) is kept next to it for a contact read from a disk. Reading it
imports nothing heavy, so the Pulumi program and the cost model can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from groundlink.resources import package_dir

THROUGHPUT_FILE = "processing_throughput.yaml"


@dataclass(frozen=True)
class Throughput:
    bytes_per_second: float  # warm, wall clock, on one shared core: what a run took
    cpu_bytes_per_second: float  # warm, CPU time (user + system): what a dedicated core would take
    ratio_to_cat: float  # warm, against `cat FILE > /dev/null` of the same file, same run
    cold_bytes_per_second: float  # the file's pages evicted before each run, wall clock
    cold_ratio_to_cat: float  # cold, against a cold `cat` of the same file
    measured: str  # ISO date
    machine: str
    source: str

    def seconds(self, contact_bytes: float) -> float:
        """Processing duration of a contact whose capture files hold `contact_bytes`."""
        return contact_bytes / self.bytes_per_second


def measured_throughput(path: Path | None = None) -> Throughput:
    """The recorded figures (data/processing_throughput.yaml unless `path`)."""
    path = path or package_dir("groundlink.data") / THROUGHPUT_FILE
    entry: dict[str, Any] = yaml.safe_load(path.read_text())
    return Throughput(
        bytes_per_second=float(entry["bytes_per_second"]),
        cpu_bytes_per_second=float(entry["cpu_bytes_per_second"]),
        ratio_to_cat=float(entry["ratio_to_cat"]),
        cold_bytes_per_second=float(entry["cold_bytes_per_second"]),
        cold_ratio_to_cat=float(entry["cold_ratio_to_cat"]),
        measured=str(entry["measured"]),
        machine=str(entry["machine"]),
        source=f"data/{THROUGHPUT_FILE} ({entry['command']}, {entry['measured']})",
    )
