"""The alert action group: a global resource (action groups have no region) that mails every
address of the spec, each receiver named so that an edit of the list keeps the others."""

from __future__ import annotations

from .azure_support import azure, one


def test_the_action_group_is_global_and_mails_every_address_under_a_stable_name() -> None:
    group = one(azure("partner.yaml"), "monitor:ActionGroup").inputs
    assert group["location"] == "global"
    assert group["emailReceivers"] == [
        {"name": "email-0", "emailAddress": "finance@example.com", "useCommonAlertSchema": True},
        {"name": "email-1", "emailAddress": "ops@example.com", "useCommonAlertSchema": True},
    ]
