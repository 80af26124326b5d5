"""A loop that asserts over a plan's resources proves nothing when it finds none: an
empty list passes every assert in its body (a Lambda check over plans with no Lambda did,
for months). Every test loop over plan resources must therefore sit next to an assert on
the same collection (`assert plan.of_type(BUCKET)`, `assert buckets`), which fails when it
is empty. Checked on the source, so a new vacuous loop fails here before review."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# What a loop over a plan's resources (or what they hold) iterates on.
RESOURCE_ACCESS = (".resources", ".custom()", ".of_type(", ".realizing(", "statements(", "queues(")


def _segment(text: str, node: ast.AST) -> str:
    return ast.get_source_segment(text, node) or ""


def vacuous_loops(text: str, where: str) -> list[str]:
    """`for` loops over plan resources, with an assert in their body, in test functions that
    assert neither on the iterated collection itself nor on a counter the loop increments."""
    found: list[str] = []
    if not any(token in text for token in RESOURCE_ACCESS):  # no such loop can be in it: not parsed
        return found
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
            continue
        for loop in ast.walk(function):
            if not isinstance(loop, ast.For) or not any(isinstance(n, ast.Assert) for n in ast.walk(loop)):
                continue
            iterated = _segment(text, loop.iter)
            if not any(token in iterated for token in RESOURCE_ACCESS):
                continue
            inside = {id(n) for n in ast.walk(loop)}
            outside = [
                _segment(text, n.test) for n in ast.walk(function) if isinstance(n, ast.Assert) and id(n) not in inside
            ]
            counters = {
                n.target.id for n in ast.walk(loop) if isinstance(n, ast.AugAssign) and isinstance(n.target, ast.Name)
            }
            counted = any(
                isinstance(n, ast.Name) and n.id in counters
                for condition in outside
                for n in ast.walk(ast.parse(condition))
            )
            if not counted and not any(iterated in condition for condition in outside):
                found.append(f"{where}:{loop.lineno}: {function.name}: for ... in {iterated}")
    return found


def test_the_check_flags_a_vacuous_loop_and_passes_a_guarded_one():
    vacuous = "def test_x(plan):\n    for r in plan.of_type(LAMBDA):\n        assert r.inputs['runtime']\n"
    guarded = "def test_x(plan):\n    assert plan.of_type(LAMBDA)\n" + vacuous.split("\n", 1)[1]
    counted = vacuous.replace("'runtime']\n", "'runtime']\n        n += 1\n") + "    assert n > 2\n"
    assert vacuous_loops(vacuous, "t.py") == ["t.py:2: test_x: for ... in plan.of_type(LAMBDA)"]
    assert vacuous_loops(guarded, "t.py") == vacuous_loops(counted, "t.py") == []


def test_every_loop_over_plan_resources_asserts_it_found_some():
    files = sorted(TESTS.glob("test_*.py"))
    assert len(files) > 50
    found = [line for path in files for line in vacuous_loops(path.read_text(), path.name)]
    assert found == []
