"""A plan called from a user's own Pulumi unit tests leaves their runtime as it was.

README "Testing your own changes" has tests call `groundlink.engine.plan`; such a test may
also have set its own mocks with `pulumi.runtime.set_mocks`. A plan used to replace them:
the caller's monitor, project, stack, preview flag and config were the plan's afterwards,
the caller's queued RPCs were dropped, and its event loop was unset.
"""

from __future__ import annotations

import asyncio
import contextvars

import pulumi
from pulumi.runtime import settings

from groundlink.engine import plan
from groundlink.engine.runner import _current_event_loop

from .conftest import SPECS


class _CallersMocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        return f"{args.name}-id", {"mine": True}

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict:
        return {}


def _callers_state() -> tuple[object, ...]:
    return (
        settings.SETTINGS.monitor,
        settings.SETTINGS.rpc_manager,
        settings.SETTINGS.outputs,
        settings.get_root_resource(),
        pulumi.get_project(),
        pulumi.get_stack(),
        pulumi.runtime.is_dry_run(),
        pulumi.Config("mine").get("key"),
        pulumi.Config("groundlink").get("spec"),
        _current_event_loop(),
    )


def _as_a_user_test_does() -> None:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        pulumi.runtime.set_all_config({"mine:key": "v"})
        pulumi.runtime.set_mocks(_CallersMocks(), project="myproj", stack="mystack", preview=False)
        before = _callers_state()
        assert before[4:10] == ("myproj", "mystack", False, "v", None, loop)

        result = plan(SPECS / "partner.yaml", "azure")

        assert result.stack == "polar-partner-azure" and result.resources  # the plan itself is whole
        after = _callers_state()
        assert after == before
        # and the caller's mocks still answer what the caller registers next
        mine = pulumi.CustomResource("mine:index:Thing", "after-the-plan", {})
        assert loop.run_until_complete(mine.id.future()) == "after-the-plan-id"
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def test_a_plan_leaves_the_callers_mocks_config_stack_and_event_loop_as_they_were() -> None:
    # in a copy of the test's own context, so the mocks set here stay out of later tests
    contextvars.copy_context().run(_as_a_user_test_does)
