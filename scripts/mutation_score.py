"""Per-module mutation score from mutmut's results, for `make mutation`.

Score = killed / (mutants that ran - equivalent survivors). Killed includes timeouts
(the mutant hung the tests) and type-check failures; "no tests" counts as survived (no
test looks at that code). Equivalent survivors are the mutant names listed in
docs/testing.md, each with its reason. Exits 1 below the bar (85%).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

BAR = 0.85
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
SURVIVED = {"survived", "no tests", "suspicious"}


def equivalents(doc: Path = Path("docs/testing.md")) -> set[str]:
    return set(re.findall(r"^- `([^`]+__mutmut_\d+)`", doc.read_text(), re.M)) if doc.exists() else set()


def module(name: str) -> str:
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def main() -> int:
    out = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"], capture_output=True, text=True, check=True
    ).stdout
    same = equivalents()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name or status in ("not checked", "skipped"):
            continue
        bucket = "equivalent" if name in same else "killed" if status in KILLED else "survived"
        counts[module(name)][bucket] += 1
    total: Counter[str] = Counter()
    print(f"{'module':50} {'killed':>7} {'survived':>9} {'equiv.':>7} {'score':>7}")
    for name in sorted(counts):
        c = counts[name]
        total += c
        ran = c["killed"] + c["survived"]
        print(f"{name:50} {c['killed']:7} {c['survived']:9} {c['equivalent']:7} {c['killed'] / ran if ran else 1:7.1%}")
    ran = total["killed"] + total["survived"]
    score = total["killed"] / ran if ran else 0.0
    print(f"{'all':50} {total['killed']:7} {total['survived']:9} {total['equivalent']:7} {score:7.1%}")
    return 0 if score >= BAR else 1


if __name__ == "__main__":
    sys.exit(main())
