"""The components used from a program of one's own: a provider the caller passes (another
subscription or account) answers every lookup the components make, as it creates every
resource, so role definitions and the Key Vault tenant come from where the stack deploys."""

from __future__ import annotations

import pulumi
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.engine import runner
from groundlink.engine.mocks import OfflineMocks
from groundlink.spec import load_spec

from .conftest import SPECS


def _invokes_through(cloud: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[str, str]], list[dict]]:
    import importlib

    calls: list[tuple[str, str]] = []
    real = OfflineMocks.call

    def recorded(self: OfflineMocks, args: pulumi.runtime.MockCallArgs) -> object:
        calls.append((args.token, args.provider))
        return real(self, args)

    monkeypatch.setattr(OfflineMocks, "call", recorded)
    blueprint = build_blueprint(load_spec(SPECS / "noaa20.yaml")).for_cloud(cloud)
    components = importlib.import_module(f"groundlink.components.{cloud}")

    def program() -> None:
        if cloud == "azure":
            import pulumi_azure_native as azure

            provider = azure.Provider("elsewhere", subscription_id="22222222-2222-2222-2222-222222222222")
        else:
            import pulumi_aws as aws
            import pulumi_aws_native as aws_native

            # the Ground Station resources are aws-native's: a stack with them takes both (one refused)
            provider = [
                aws.Provider("elsewhere", region="us-west-2"),
                aws_native.Provider("elsewhere-native", region="us-west-2"),
            ]
        providers = provider if isinstance(provider, list) else [provider]
        components.MissionStack("noaa20", blueprint, opts=pulumi.ResourceOptions(providers=providers))

    records, _ = runner.run_program(program, stack="dev", region="us-west-2", config={})
    return calls, records


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_every_lookup_goes_through_the_callers_provider(cloud: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """getClientConfig went to the default azure-native provider while the role assignments
    it names went through the caller's: role definition ids of the wrong subscription."""
    calls, records = _invokes_through(cloud, monkeypatch)

    assert calls
    assert [(token, provider) for token, provider in calls if "elsewhere" not in (provider or "")] == []
    packages = {"aws": ("aws", "aws-native"), "azure": ("azure-native",)}[cloud]  # the providers passed
    made = [r for r in records if r["custom"] and r["type"].split(":")[0] in packages]
    assert made and all("elsewhere" in (r["provider"] or "") for r in made)
    assert {r["type"].split(":")[0] for r in made} == set(packages)
