"""Ctrl-C at every moment of a command: each run ends in exit 130 and the one line, or is a crash.

    make interrupts                                          # 200 interrupts of `plan` (aws)
    .venv/bin/python scripts/interrupt_sweep.py --runs 1000 --seed 7
    .venv/bin/python scripts/interrupt_sweep.py -- compare specs/noaa20.yaml --out /tmp/sweep/{run}

A timed signal (the Ctrl-C tests' way) lands where a fast machine happens to be, so a window a
few milliseconds wide in a seconds-long command is met once in hundreds of CI runs: a segfault
inside a provider SDK's import was found so. Here the interrupt is placed by count instead. A
first run of the command counts the interpreter's profile events (every Python and C call and
return) from the moment the console script's handler is set; each run after it raises SIGINT
in the process itself at one event number drawn from that range, as a terminal's Ctrl-C would
arrive there. (Before the handler, the interpreter answers: tests/test_interrupt_startup.py.)
A crash prints where it happened (faulthandler). Prints the tally and every other outcome; exits 1 if
there was one. `{run}` in the command becomes the run's event number (an output directory of
its own for each of the parallel runs). Not part of `make test`: 200 interrupts of `plan` take
about 5 minutes on two cores.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COMMAND = ("plan", "specs/noaa20.yaml", "--cloud", "aws")
EXPECTED = (130, "groundlink: interrupted\n")

# The console script's entry (groundlink.console), with a profile hook that raises SIGINT at
# event number argv[1] (0: only count, and print the count at exit).
PROBE = r"""
import faulthandler, signal, sys
faulthandler.enable()
at = int(sys.argv[1])
sys.argv = ["groundlink", *sys.argv[2:]]
seen = 0
def hook(frame, event, arg):
    global seen
    seen += 1
    if seen == at:
        sys.setprofile(None)
        signal.raise_signal(signal.SIGINT)
if at == 0:
    import atexit
    atexit.register(lambda: sys.setprofile(None) or sys.stderr.write(f"events: {seen}\n"))
from groundlink import console  # its import sets the handler: a signal before that is the interpreter's
sys.setprofile(hook)
console.entry()
"""


def _run(at: int, command: tuple[str, ...]) -> tuple[int, str]:
    env = dict(os.environ, GRPC_VERBOSITY="ERROR")
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(at), *(part.replace("{run}", str(at)) for part in command)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        env=env,
    )
    return run.returncode, run.stderr


def _events(command: tuple[str, ...]) -> int:
    code, err = _run(0, command)
    lines = [line for line in err.splitlines() if line.startswith("events: ")]
    if code != 0 or not lines:
        sys.exit(f"interrupt_sweep: the command itself failed (exit {code}):\n{err[-2000:]}")
    return int(lines[-1].split()[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None, help="the event numbers drawn (default: random)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("command", nargs="*", help="the groundlink command line (default: plan noaa20, aws)")
    args = parser.parse_args(argv)
    for option, value in (("--runs", args.runs), ("--jobs", args.jobs)):
        if value < 1:
            parser.error(f"{option}: {value}; allowed: 1 or more")
    command = tuple(args.command) or DEFAULT_COMMAND
    total = _events(command)
    draw = random.Random(args.seed)
    points = sorted(draw.randint(1, total) for _ in range(args.runs))
    print(f"groundlink {' '.join(command)}: {total:,} events; {args.runs} interrupts", flush=True)
    tally: Counter[str] = Counter()
    failures = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        for at, (code, err) in zip(points, pool.map(lambda at: _run(at, command), points), strict=True):
            if (code, err) == EXPECTED:
                tally["interrupted, one line"] += 1
            elif code == 0 and err == "":
                tally["finished before the interrupt"] += 1  # hash seeds move the count a little
            else:
                tally[f"exit {code}"] += 1
                failures += 1
                print(f"--- event {at:,} ({at / total:.1%}): exit {code}\n{err[-3000:]}", flush=True)
    for outcome, count in tally.most_common():
        print(f"{count:5d}  {outcome}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
