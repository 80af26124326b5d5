"""A command's synopsis in its doc page lists every option its parser takes: a reader of
docs/compare.md did not learn of `--against` or `--allow-data-loss` from it."""

from __future__ import annotations

import argparse
import re

import pytest

from groundlink.cli import build_parser

from .conftest import ROOT

# The pages whose fenced block opens with `groundlink COMMAND ...` as the command's synopsis.
SYNOPSES = {"check": "docs/policies.md", "compare": "docs/compare.md", "diff": "docs/diff.md"}


def _subparser(command: str) -> argparse.ArgumentParser:
    actions = build_parser()._subparsers._group_actions  # type: ignore[union-attr]  # argparse keeps its subparsers private
    (chooser,) = [a for a in actions if isinstance(a, argparse._SubParsersAction)]
    return chooser.choices[command]


def _synopsis(page: str, command: str) -> str:
    """The synopsis line of `command` in `page` (`groundlink COMMAND SPEC`, or `OLD NEW` for
    diff) and its indented continuation lines."""
    lines = (ROOT / page).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"groundlink {command} (SPEC|OLD NEW) ", line))
    end = start + 1
    while end < len(lines) and re.match(r"\s+\[", lines[end]):
        end += 1
    return "\n".join(lines[start:end])


@pytest.mark.parametrize("command", sorted(SYNOPSES))
def test_the_synopsis_names_every_option_of_the_command(command):
    options = {
        max(action.option_strings, key=len)
        for action in _subparser(command)._actions
        if action.option_strings and action.help is not argparse.SUPPRESS and "--help" not in action.option_strings
    }
    synopsis = _synopsis(SYNOPSES[command], command)
    assert options  # the parser was found, with its options
    assert sorted(o for o in options if not re.search(rf"{re.escape(o)}\b", synopsis)) == [], synopsis
