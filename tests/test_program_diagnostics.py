"""What `pulumi preview` and `pulumi up` show of a plan's warnings and gaps.

`groundlink plan` printed them, but the program handed none to the Pulumi engine: under the
CLI the retired Azure Orbital resources previewed without the warning the README promises on
every plan, and a Synapse workspace whose endpoints admit nobody without a word. Each is now a
diagnostic of the component that found it (`pulumi.log`), which the engine shows; the offline
engine gives them to a logger of its own, as `groundlink plan` prints them from the plan.
"""

from __future__ import annotations

import logging

import pytest

from groundlink.engine import plan

from .conftest import SPECS


class _Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def diagnostics():
    logger = logging.getLogger("groundlink.engine.diagnostics")
    handler = _Recorded()
    logger.addHandler(handler)
    before = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(before)


@pytest.mark.parametrize(("spec", "cloud"), [("aqua-legacy.yaml", "azure"), ("aqua-legacy.yaml", "aws")])
def test_every_warning_and_gap_of_the_plan_reaches_the_engine_once(diagnostics, spec, cloud):
    planned = plan(SPECS / spec, cloud)
    warned = [r.getMessage() for r in diagnostics if r.levelno == logging.WARNING]
    told = [r.getMessage() for r in diagnostics if r.levelno == logging.INFO]
    # once each (the engine takes them as they come, not in the plan's order)
    assert planned.warnings and sorted(warned) == sorted(planned.warnings)
    assert planned.gaps and sorted(told) == sorted(f"gap: {cap}: {reason}" for cap, reason in planned.gaps.items())


def test_the_retired_orbital_warning_is_a_warning_pulumi_preview_shows(diagnostics):
    plan(SPECS / "aqua-legacy.yaml", "azure")
    assert any(
        r.levelno == logging.WARNING and "Azure Orbital Ground Station was retired on 2024-12-18" in r.getMessage()
        for r in diagnostics
    )
