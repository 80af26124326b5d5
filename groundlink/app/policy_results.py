"""Policy results for the comparison report, from the policy runner (`groundlink check`).

The import is guarded: without the runner, or if the pack cannot run, the
report says the results are not available rather than implying the stacks
passed. Policy findings are reported, not turned into the compare's exit code:
`groundlink check` is the gate for that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def unavailable(reason: str) -> dict[str, Any]:
    return {"available": False, "reason": reason, "summary": "", "clouds": {}}


def policy_results_as_planned(
    spec_path: str,
    clouds: tuple[str, ...],
    get_plan: Callable[[str], Any],
    preflight_of: Callable[[Any], list[str] | None] = lambda plan: None,
    policy_pack_config: Any = None,
    config_name: str | None = None,
) -> dict[str, Any]:
    """Policy results for plans still being built: the pack process starts at once.
    `preflight_of(plan)`: the plan's preflight finding lines if already known, else None.

    One pack process analyzes both stacks, configured for each in turn: the pack reads
    its stack and configuration only from the Analyzer calls (it never imports the Pulumi
    runtime), so the findings are those of `groundlink check`'s process per stack, and the
    comparison saves the start-up of a second interpreter with the pack loaded.
    `policy_pack_config`: the pack config file `groundlink check` and `pulumi preview` take, or
    its settings already read (check.config.LoadedConfig; the summary names it `config_name`, as
    the user gave it); a config the pack refuses is the user's
    bad input (PackConfigError), not an unavailable pack."""
    try:
        from .. import check
    except ImportError:
        return unavailable("the policy runner (groundlink check) is not installed in this checkout.")
    try:
        result = check.check_as_planned(
            spec_path,
            clouds,
            get_plan,
            policy_pack_config=policy_pack_config,
            preflight_of=preflight_of,
            one_process=True,
        )
    except check.PackConfigError:
        raise
    except Exception as error:
        return unavailable(f"the policy pack did not run ({type(error).__name__}: {error}).")
    by_cloud: dict[str, Any] = {}
    for checked in result.clouds:
        by_cloud[checked.cloud] = {
            "violations": len(checked.mandatory),
            "advisories": len(checked.violations) - len(checked.mandatory),
            "findings": [
                {"level": v.enforcement, "policy": v.policy, "resource": v.resource_name or v.urn, "message": v.message}
                for v in checked.violations
            ],
            "preflight": checked.preflight,
        }
    pack = result.pack
    failures = [f"{len(result.mandatory)} mandatory violation(s)"] * bool(result.mandatory) + [
        f"{len(result.preflight)} preflight finding(s) the clouds would refuse"
    ] * bool(result.preflight)
    verdict = "passed" if result.passed else ", ".join(failures)
    configured = f", configured by {config_name or policy_pack_config}" if policy_pack_config else ""
    return {
        "available": True,
        "reason": "",
        "summary": f"Policy pack {pack.get('name', '?')} {pack.get('version', '')} "
        f"({pack.get('policies', '?')} policies, run offline over the Analyzer protocol{configured}): {verdict}.",
        "clouds": by_cloud,
    }
