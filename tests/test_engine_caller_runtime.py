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


def _set_mocks_after_a_plan_in_a_thread_that_had_no_loop() -> None:
    local = asyncio.get_event_loop_policy()._local  # type: ignore[attr-defined]  # the default policy's thread state
    saved = (local._loop, local._set_called)
    local._loop, local._set_called = None, False  # as a fresh interpreter's main thread
    try:
        plan(SPECS / "partner.yaml", "azure")
        # set_mocks asks asyncio.get_event_loop for the loop: after the plan that raised
        # "There is no current event loop", so a user's fixture failed once any test had planned
        pulumi.runtime.set_mocks(_CallersMocks(), project="myproj", stack="mystack", preview=False)
        mine = pulumi.CustomResource("mine:index:Thing", "after-the-plan", {})
        assert asyncio.get_event_loop().run_until_complete(mine.id.future()) == "after-the-plan-id"
    finally:
        made = local._loop
        local._loop, local._set_called = saved
        if made is not None and made is not saved[0]:
            made.close()


def test_a_caller_without_an_event_loop_can_set_its_mocks_after_a_plan() -> None:
    contextvars.copy_context().run(_set_mocks_after_a_plan_in_a_thread_that_had_no_loop)
