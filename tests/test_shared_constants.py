"""Shared constants have one home: the list of clouds is groundlink.clouds.CLOUDS,
and no other module of the project (toolkit, components, program, policy pack,
benchmark, tests) defines its own copy."""

from __future__ import annotations

import ast

from .conftest import ROOT, python_sources

SOURCES = ("groundlink", "components", "policies", "bench", "tests")


def _python_files():
    yield from python_sources("__main__.py", *SOURCES)


def _assigned_names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            yield from (t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id


def test_the_clouds_are_defined_in_one_module():
    texts = {path: path.read_text() for path in _python_files()}
    defining = sorted(
        str(path.relative_to(ROOT))
        for path, text in texts.items()
        if "CLOUDS" in text  # a file without the name cannot assign it: only these are parsed
        and "CLOUDS" in set(_assigned_names(ast.parse(text, str(path))))
    )
    assert defining == ["groundlink/clouds.py"]


def test_the_blueprint_knows_the_facts_of_every_cloud():
    from groundlink.blueprint.layers import CLOUD_FACTS
    from groundlink.clouds import CLOUDS

    assert tuple(CLOUD_FACTS) == CLOUDS


def test_the_spec_offers_exactly_the_preset_catalog():
    """PresetName spells the preset names out for the type checker; it must not drift from PRESETS."""
    from typing import get_args

    from groundlink.presets import PRESETS
    from groundlink.spec import PresetName

    assert get_args(PresetName) == tuple(PRESETS)
    assert len(PRESETS) >= 3
