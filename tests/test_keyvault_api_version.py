"""docs/facts.md §1 and docs/azure.md ("Key Vault API retirement") say which Key Vault API
version the pinned pulumi-azure-native manages the mission vault and key with, and that Azure
retires it on 2027-02-27. When the provider is upgraded, this fails until the docs say what the
new version uses."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from pulumi_azure_native import keyvault

from .conftest import cached_plan

DOCS = Path(__file__).resolve().parents[1] / "docs"
RETIRED_BEFORE = "2026-02-01"


def _api_version(cls: type) -> str:
    """The version the class's own docstrings name (its __init__ overloads carry them)."""
    versions = set(re.findall(r"Uses Azure REST API version (\S+?)\.\s", inspect.getsource(cls)))
    [version] = versions
    return version


@pytest.mark.parametrize("cls", [keyvault.Vault, keyvault.Key])
def test_the_docs_name_the_key_vault_api_version_the_provider_uses(cls):
    version = _api_version(cls)
    facts = (DOCS / "facts.md").read_text(encoding="utf-8")
    azure = (DOCS / "azure.md").read_text(encoding="utf-8")
    assert f'"Uses Azure REST API version {version}"' in facts
    assert f"API version {version} (pulumi-azure-native" in azure
    # a version this old is retired on 2027-02-27: the docs say so while the provider uses one
    assert version < RETIRED_BEFORE
    assert "2027-02-27" in facts and "2027-02-27" in azure


def test_the_key_vault_resources_the_stack_plans_are_the_ones_the_docs_name():
    kinds = {
        r.type for r in cached_plan("noaa20.yaml", "azure").resources if r.type.startswith("azure-native:keyvault")
    }
    assert kinds == {"azure-native:keyvault:Vault", "azure-native:keyvault:Key"}
