"""Keys: one customer-managed KMS key per mission, rotated, with an explicit policy."""

from __future__ import annotations

import json
from typing import Optional

import pulumi
import pulumi_aws as aws

from groundlink.blueprint import Blueprint, realizes

from ..base import MissionComponent


class AwsSecurity(MissionComponent):
    """The mission CMK. Its key policy names the account root (no `*` principal), so
    access is granted by IAM policies that name the key, never by the key policy alone."""

    TOKEN = "groundlink:index:AwsSecurity"

    def __init__(self, name: str, blueprint: Blueprint, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(name, blueprint, opts)
        identity = aws.get_caller_identity_output()
        self.key: Optional[aws.kms.Key] = None
        if blueprint.spec.security.customer_managed_keys:
            policy = identity.account_id.apply(lambda account: json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "AccountAdministers",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }],
            }))
            self.key = realizes(aws.kms.Key(
                self.child_name("data"),
                description=f"{blueprint.mission}: contact data, products and streams",
                enable_key_rotation=True,
                deletion_window_in_days=30,
                policy=policy,
                tags=self.tags,
                opts=self.opts(stateful=True),
            ), "security.cmk")
            realizes(aws.kms.Alias(
                self.child_name("data-alias"),
                name=f"alias/{blueprint.mission}-data",
                target_key_id=self.key.key_id,
                opts=self.opts(),
            ), "security.cmk")
        self.register_outputs({"key_arn": self.key.arn if self.key else None})
