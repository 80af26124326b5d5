"""Per-module mutation score from mutmut's results, for `make mutation`.

A module here is one of the areas under test: groundlink.spec, .blueprint, .cost, .parity,
.check, the policy pack (policies), the AWS and Azure components and their shared base
(components). The table shows each area's files below it.

Score = killed / (mutants that ran - equivalent survivors). Killed includes timeouts
(the mutant hung the tests) and type-check failures; "no tests" counts as survived (no
test looks at that code). Equivalent survivors are the mutant names listed in
docs/testing.md, each with its reason; a listed name that was killed counts as killed.

A run chooses a sample (scripts/mutation_run.py writes mutants/chosen/<module>.txt); only the
chosen mutants of each module's last run count: the score is then an estimate of the whole module's, and the
table gives the sample's size next to the module's mutant count, and the 95% interval of
the estimate (Wilson score interval of a binomial proportion).
Exits 1 when a module, or the whole, is below the bar (85%).
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

BAR = 0.85
KILLED = {"killed", "timeout", "caught by type check", "segfault"}
CHOSEN = Path("mutants/chosen")
RESULTS = Path("mutants/results")
Z95 = 1.959964


def equivalents(doc: Path = Path("docs/testing.md")) -> set[str]:
    """The names listed under the "Equivalent survivors" heading (and only there)."""
    text = doc.read_text() if doc.exists() else ""
    section = re.search(r"^### Equivalent survivors\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    return set(re.findall(r"^- `([^`]+__mutmut_\d+)`", section.group(1), re.M)) if section else set()


def source_file(name: str) -> str:
    return re.split(r"\.x[_ǁ]", name, maxsplit=1)[0]


def area(name: str) -> str:
    """The module a mutant belongs to: groundlink's subpackage, the cloud's components, the pack."""
    parts = source_file(name).split(".")
    if parts[0] == "groundlink" or (parts[0] == "components" and parts[1:2] in (["aws"], ["azure"])):
        return ".".join(parts[:2])
    return parts[0]


def score(killed: int, survived: int) -> float:
    return killed / (killed + survived) if killed + survived else 1.0


def interval(killed: int, survived: int) -> tuple[float, float]:
    """95% Wilson interval of the kill rate, from a sample of killed + survived mutants."""
    n = killed + survived
    if not n:
        return 0.0, 1.0
    p = killed / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def tally(results: str, chosen: set[str] | None, same: set[str]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in results.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        counts[source_file(name)]["total"] += 1
        if status in ("not checked", "skipped") or (chosen is not None and name not in chosen):
            continue
        bucket = "killed" if status in KILLED else "equivalent" if name in same else "survived"
        counts[source_file(name)][bucket] += 1
    return counts


def row(label: str, c: Counter[str], bar: bool) -> str:
    ran = c["killed"] + c["survived"] + c["equivalent"]
    value = score(c["killed"], c["survived"])
    low, high = interval(c["killed"], c["survived"])
    mark = "  < 85%" if bar and value < BAR else ""
    return (
        f"{label:36} {ran:>6} {c['total']:>6} {c['killed']:7} {c['survived']:9} {c['equivalent']:7}"
        f" {value:7.1%}   {low:5.1%}-{high:6.1%}{mark}"
    )


def results() -> str:
    """`name: status` of every mutant: the last run's verdicts (mutants/results/, one file per
    module) for the mutants it chose, "not checked" for the others."""
    lines = {}
    for meta in Path("mutants").rglob("*.py.meta"):
        lines |= dict.fromkeys(json.loads(meta.read_text())["exit_code_by_key"], "not checked")
    for path in sorted(RESULTS.glob("*.txt")):
        for line in path.read_text().splitlines():
            name, _, status = line.rpartition(": ")
            lines[name] = status
    return "".join(f"{name}: {status}\n" for name, status in lines.items())


def main(argv: list[str] | None = None) -> int:
    import argparse

    argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0]).parse_args(argv)  # --help; no options
    # each module's last run: its chosen mutants have a verdict, the others are "not checked"
    chosen = {n for p in CHOSEN.glob("*.txt") if (RESULTS / p.name).exists() for n in p.read_text().split()}
    files = tally(results(), None, equivalents())
    areas: dict[str, Counter[str]] = defaultdict(Counter)
    for name, c in files.items():
        areas[area(name)] += c
    total: Counter[str] = Counter()
    low = []
    print(
        f"{'module (files below it)':36} {'sample':>6} {'of':>6} {'killed':>7} {'survived':>9} {'equiv.':>7} {'score':>7}   95% interval"
    )
    for name in sorted(areas):
        c = areas[name]
        if not c["killed"] + c["survived"] + c["equivalent"]:
            continue
        total += c
        low += [name] if score(c["killed"], c["survived"]) < BAR else []
        print(row(name, c, bar=True))
        for file in sorted(f for f in files if area(f) == name):
            if file != name and files[file]["killed"] + files[file]["survived"] + files[file]["equivalent"]:
                print(row("  " + file, files[file], bar=False))
    ran = total["killed"] + total["survived"] + total["equivalent"]
    print(row("all", total, bar=True) if ran else "all: no mutant ran, so there is no score")
    if chosen:
        print(
            f"Sampled run: {len(chosen)} mutants chosen; each score estimates its module's, within the interval shown."
        )
    unrun = sorted(p.stem for p in Path("mutants/chosen").glob("*.txt") if not (RESULTS / p.name).exists())
    if unrun:
        print(f"chosen but without results (their run stopped; see its output above): {', '.join(unrun)}")
    if low:
        print(f"{len(low)} module(s) below {BAR:.0%}: {', '.join(low)}")
    return 0 if ran and score(total["killed"], total["survived"]) >= BAR and not low and not unrun else 1


if __name__ == "__main__":
    sys.exit(main())
