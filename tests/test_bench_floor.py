"""`make bench` compares a plan with its straight-line floor: the same resources declared by
hand. The floor replays a captured plan through the provider classes, so it breaks when the
plans gain a type or an input it cannot replay (it did, with the contact function's code)."""

from __future__ import annotations

from groundlink.engine.runner import run_program

from .conftest import cached_plan, script_module


def test_the_floor_declares_every_resource_of_the_aws_plan() -> None:
    """The AWS plan holds the assets (the contact function's code, a bucket object's source)."""
    captured = cached_plan("noaa20.yaml", "aws")
    program, _ = script_module("bench/bench.py").floor_program(captured)
    records, _ = run_program(program, stack=captured.stack, region="bench", config={})
    assert sorted((r["type"], r["name"]) for r in records) == sorted((r.type, r.name) for r in captured.resources)
    (function,) = [r for r in records if r["type"] == "aws:lambda/function:Function"]
    assert set(function["inputs"]["code"]) == set(captured.one("aws:lambda/function:Function").inputs["code"])
