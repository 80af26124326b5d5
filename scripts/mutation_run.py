"""`make mutation`: run mutmut over the chosen modules, or over a fixed sample of their mutants.

mutmut 3 writes every mutant of the source paths first (cached by file time), then records
which tests reach which function ("stats", once; again only for new tests), then runs each
chosen mutant against the tests that reach its function. Arguments are module globs
(`groundlink.cost.*`); a mutant is chosen when its name matches one.

MUTATION_SAMPLE=N runs one mutant in N per module (at least one), chosen by a hash of the
mutant's name, so the same code gives the same sample on every machine; MUTATION_SAMPLE=1
runs them all. The score script reports how many of each module's mutants were run.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import math
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def chosen(names: list[str], globs: list[str], every: int) -> list[str]:
    """The mutants matching `globs`, one in `every` per module, the same ones on every run."""
    by_module: dict[str, list[str]] = {}
    for name in names:
        if any(fnmatch.fnmatch(name, g) for g in globs):
            by_module.setdefault(name.split(".x", 1)[0], []).append(name)
    picked: list[str] = []
    for members in by_module.values():
        members.sort(key=lambda n: hashlib.sha256(n.encode()).hexdigest())
        picked += members[: math.ceil(len(members) / every)]
    return sorted(picked)


def all_mutants() -> list[str]:
    from mutmut.utils.file_utils import walk_mutatable_files

    names: list[str] = []
    for path in walk_mutatable_files():
        meta = ROOT / "mutants" / f"{path}.meta"
        if meta.exists():
            names += json.loads(meta.read_text())["exit_code_by_key"]
    return names


def one_clean_run() -> None:
    """mutmut runs the chosen mutants' tests unmutated before mutating: when this run has just
    recorded the stats, that is a second clean run of the same tests (minutes), since the stats
    run itself runs every selected test unmutated and fails on the first failure. Skip it then;
    when the stats are reused from an earlier run, the clean run still checks the tests pass."""
    import mutmut.__main__ as mutmut_main

    make_runner = mutmut_main.get_mutant_runner

    def runner(children: int) -> Any:
        made = make_runner(children)
        collect, clean = made.collect_stats, made.run_clean_tests
        recorded_all: list[bool] = []

        def collect_stats(tests: Any) -> int:
            recorded_all.append(not tests)
            return int(collect(tests))

        def run_clean_tests(tests: Any) -> int:
            if recorded_all and all(recorded_all):
                print("    the stats run was the clean run", flush=True)
                return 0
            return int(clean(tests))

        made.collect_stats, made.run_clean_tests = collect_stats, run_clean_tests
        return made

    mutmut_main.get_mutant_runner = runner


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    from mutmut.__main__ import _run, copy_also_copy_files, copy_src_dir, create_mutants, setup_source_paths

    children = int(os.environ.get("MUTATION_CHILDREN", "2"))
    every = int(os.environ.get("MUTATION_SAMPLE", "1"))
    globs = argv or ["*"]
    Path("mutants").mkdir(exist_ok=True)
    copy_src_dir()
    copy_also_copy_files()
    setup_source_paths()
    create_mutants(children)
    names = chosen(all_mutants(), globs, every)
    print(f"{len(names)} mutants chosen (one in {every} per module) for {' '.join(globs)}", flush=True)
    (ROOT / "mutants" / "chosen.txt").write_text("".join(f"{n}\n" for n in names))
    if not names:
        return 1
    one_clean_run()
    _run(names, children)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
