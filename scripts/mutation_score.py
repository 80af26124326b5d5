"""Per-module mutation score from mutmut's results, for `make mutation`.

Score = killed / (mutants that ran - equivalent survivors). Killed includes timeouts
(the mutant hung the tests) and type-check failures; "no tests" counts as survived (no
test looks at that code). Equivalent survivors are the mutant names listed in
docs/testing.md, each with its reason; a listed name that was killed counts as killed.
When the last run chose its mutants (scripts/mutation_run.py writes mutants/chosen.txt),
only those count, and the table says how many of each module's mutants they were.
Exits 1 when a module, or the whole, is below the bar (85%).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

BAR = 0.85
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
CHOSEN = Path("mutants/chosen.txt")


def equivalents(doc: Path = Path("docs/testing.md")) -> set[str]:
    return set(re.findall(r"^- `([^`]+__mutmut_\d+)`", doc.read_text(), re.M)) if doc.exists() else set()


def module(name: str) -> str:
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def score(killed: int, survived: int) -> float:
    return killed / (killed + survived) if killed + survived else 1.0


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    chosen = set(CHOSEN.read_text().split()) if CHOSEN.exists() else None
    same = equivalents()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        counts[module(name)]["total"] += 1
        if status in ("not checked", "skipped") or (chosen is not None and name not in chosen):
            continue
        bucket = "killed" if status in KILLED else "equivalent" if name in same else "survived"
        counts[module(name)][bucket] += 1
    total: Counter[str] = Counter()
    low = []
    print(f"{'module':34} {'run':>11} {'killed':>7} {'survived':>9} {'equiv.':>7} {'score':>7}")
    for name in sorted(counts):
        c = counts[name]
        ran = c["killed"] + c["survived"] + c["equivalent"]
        if not ran:
            continue
        total += c
        value = score(c["killed"], c["survived"])
        low += [name] if value < BAR else []
        mark = "" if value >= BAR else "  < 85%"
        run = f"{ran}/{c['total']}"
        print(f"{name:34} {run:>11} {c['killed']:7} {c['survived']:9} {c['equivalent']:7} {value:7.1%}{mark}")
    ran = total["killed"] + total["survived"] + total["equivalent"]
    overall = score(total["killed"], total["survived"])
    run = f"{ran}/{total['total']}"
    print(f"{'all':34} {run:>11} {total['killed']:7} {total['survived']:9} {total['equivalent']:7} {overall:7.1%}")
    if low:
        print(f"{len(low)} module(s) below {BAR:.0%}: {', '.join(low)}")
    return 0 if ran and overall >= BAR and not low else 1


if __name__ == "__main__":
    sys.exit(main())
