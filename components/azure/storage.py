"""Stores: one ADLS Gen2 account, one container per role (raw landing, ...).

One account with hierarchical namespace is what Synapse and partner
deliveries both want; the account carries every control, the containers
separate the roles.
"""

from __future__ import annotations

from typing import Optional

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import Blueprint, realizes

from ..base import MissionComponent
from .naming import storage_account_name


class AzureStorage(MissionComponent):
    TOKEN = "groundlink:index:AzureStorage"

    def __init__(self, name: str, blueprint: Blueprint, *, resource_group: azure.resources.ResourceGroup,
                 opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        self.account_name = storage_account_name(blueprint.mission)
        self.account = realizes(azure.storage.StorageAccount(
            self.child_name("account"),
            account_name=self.account_name,
            resource_group_name=resource_group.name,
            kind=azure.storage.Kind.STORAGE_V2,
            sku={"name": azure.storage.SkuName.STANDARD_LRS},
            is_hns_enabled=True,
            enable_https_traffic_only=True,
            minimum_tls_version=azure.storage.MinimumTlsVersion.TLS1_2,
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            encryption={"require_infrastructure_encryption": True, "key_source": "Microsoft.Storage",
                        "services": {"blob": {"enabled": True, "key_type": "Account"},
                                     "file": {"enabled": True, "key_type": "Account"}}},
            network_rule_set={"default_action": azure.storage.DefaultAction.DENY,
                              "bypass": azure.storage.Bypass.AZURE_SERVICES},
            tags=self.tags,
            opts=self.opts(stateful=True),
        ), "storage.raw")
        self.raw = realizes(azure.storage.BlobContainer(
            self.child_name("raw"),
            container_name=blueprint.raw_container,
            account_name=self.account.name,
            resource_group_name=resource_group.name,
            public_access=azure.storage.PublicAccess.NONE,
            opts=self.opts(stateful=True),
        ), "storage.raw")
        self.raw_uri = pulumi.Output.concat("abfss://", blueprint.raw_container, "@", self.account.name,
                                            ".dfs.core.windows.net/")
        self.register_outputs({"raw_store_uri": self.raw_uri})
