"""The resource policies of the kinds no example plans besides the bucket, queue, topic and key
policies (tests/pack_cases.py has the stream's): CloudWatch Logs' names its document
`policyDocument`, an event bus's `policy`; each is read for a public grant and an unconfined
service. And aws-resource-policy-no-other-account knows the stack's own account from its
resources' ARNs: on a first preview none is known yet."""

from __future__ import annotations

import dataclasses
import itertools
import json
from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_OBJECT_VALUE

from .pack_cases import BASELINES
from .pack_harness import State, Written, apply, resolve, run

LOG_DELIVERY = {
    "Sid": "LogDeliveryWrite",
    "Effect": "Allow",
    "Principal": {"Service": "delivery.logs.amazonaws.com"},
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": "arn:aws:logs:us-west-2:123456789012:log-group:vended:*",
    "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
}
PUBLIC_PUT = {"Sid": "AnyonePuts", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": "*"}
KINDS = {
    "logs": ("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "policyDocument", {"policyName": "vended"}),
    "bus": ("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "policy", {"eventBusName": "default"}),
    "secret": ("aws:secretsmanager/secretPolicy:SecretPolicy", "policy", {"secretArn": "arn:aws:secretsmanager:x"}),
}


_NAMES = itertools.count()  # resolve() memoises by the baselines' id and key: a key per call


def _policy(kind: str, *statements: dict[str, Any]) -> State:
    token, key, rest = KINDS[kind]
    return _written(token, {**rest, key: json.dumps({"Version": "2012-10-17", "Statement": list(statements)})})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_grant_to_every_principal_is_refused(kind: str) -> None:
    assert run("aws-resource-policy-no-public-allow", _policy(kind, PUBLIC_PUT)) == [
        "statement AnyonePuts allows events:PutEvents to every principal"
    ]
    pinned = {**PUBLIC_PUT, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}
    assert run("aws-resource-policy-no-public-allow", _policy(kind, pinned)) == []


def test_a_log_delivery_grant_is_confined_to_this_account() -> None:
    rule = "aws-resource-policy-service-scoped"
    assert run(rule, _policy("logs", LOG_DELIVERY)) == []
    unconfined = {k: v for k, v in LOG_DELIVERY.items() if k != "Condition"}
    assert run(rule, _policy("logs", unconfined)) == [
        "statement LogDeliveryWrite allows delivery.logs.amazonaws.com with no aws:SourceAccount/aws:SourceArn "
        "condition: any account's use of the service is let in"
    ]


RULE = "aws-resource-policy-no-other-account"
GRANT = {
    "function": "noaa20-processing-function-96142e8",
    "action": "lambda:InvokeFunction",
    "principal": "111122223333",
}


def _with_grant(state: State) -> State:
    return apply(state, "@add:aws:lambda/permission:Permission::invoke-from-partner", GRANT)


def test_a_first_preview_knows_no_account_and_reports_nothing() -> None:
    stack = resolve(BASELINES, "noaa20-aws")
    unknown = [
        dataclasses.replace(r, outputs={k: v for k, v in (r.outputs or r.inputs).items() if k != "arn"})
        for r in stack.plan.resources
    ]
    first_preview = dataclasses.replace(stack, plan=dataclasses.replace(stack.plan, resources=unknown))
    assert run(RULE, _with_grant(first_preview)) == []
    # the same grant once the stack's ARNs are known
    assert run(RULE, _with_grant(stack)) == [
        ("invoke-from-partner: lets account 111122223333 lambda:InvokeFunction", "invoke-from-partner")
    ]


def test_an_event_bus_shared_with_another_account_is_reported() -> None:
    share = {**PUBLIC_PUT, "Sid": "PartnerPuts", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}
    stack = apply(
        resolve(BASELINES, "noaa20-aws"),
        "@add:aws:cloudwatch/eventBusPolicy:EventBusPolicy::bus-share",
        {"eventBusName": "default", "policy": json.dumps({"Statement": [share]})},
    )
    assert run(RULE, stack) == [
        ("bus-share: statement PartnerPuts lets account 111122223333 events:PutEvents", "bus-share")
    ]


def _written(token: str, inputs: dict[str, Any]) -> State:
    name = f"user-{next(_NAMES)}"
    return resolve({**BASELINES, name: Written(token, "user-resource", inputs, "a user's")}, name)


@pytest.mark.parametrize(
    ("token", "key", "document"),
    [
        ("aws:secretsmanager/secret:Secret", "policy", json.dumps),  # a secret's own policy input
        ("aws-native:events:EventBus", "policy", lambda d: d),  # aws-native takes the document as an object
        ("aws-native:ecr:Repository", "repositoryPolicyText", lambda d: d),
        ("aws-native:eventsv2:ResourcePolicy", "policyDocument", lambda d: d),  # a bus's, set apart
    ],
)
def test_a_policy_held_by_the_resource_itself_is_read(token: str, key: str, document: Any) -> None:
    policy = {"Version": "2012-10-17", "Statement": [PUBLIC_PUT]}
    assert run("aws-resource-policy-no-public-allow", _written(token, {key: document(policy)})) == [
        "statement AnyonePuts allows events:PutEvents to every principal"
    ]
    confined = {**PUBLIC_PUT, "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}}}
    policy = {"Version": "2012-10-17", "Statement": [confined]}
    assert run("aws-resource-policy-no-public-allow", _written(token, {key: document(policy)})) == []


def test_an_event_permission_for_every_account_is_refused() -> None:
    token = "aws:cloudwatch/eventPermission:EventPermission"
    assert run("aws-resource-policy-no-public-allow", _written(token, {"principal": "*", "statementId": "any"})) == [
        "lets every AWS account put events on the bus (principal '*', no condition)"
    ]
    org = {
        "principal": "*",
        "statementId": "org",
        "condition": {"key": "aws:PrincipalOrgID", "type": "StringEquals", "value": "o-a1b2c3d4e5"},
    }
    assert run("aws-resource-policy-no-public-allow", _written(token, org)) == []
    # a condition a program builds in .apply() is not known on a preview: judged once it is
    later = {"principal": "*", "statementId": "org", "condition": UNKNOWN_OBJECT_VALUE}
    assert run("aws-resource-policy-no-public-allow", _written(token, later)) == []
    assert (
        run("aws-resource-policy-no-public-allow", _written(token, {"principal": "111122223333", "statementId": "p"}))
        == []
    )


def test_an_event_permission_for_another_account_is_reported() -> None:
    stack = apply(
        resolve(BASELINES, "noaa20-aws"),
        "@add:aws:cloudwatch/eventPermission:EventPermission::partner-puts",
        {"principal": "111122223333", "statementId": "partner"},
    )
    assert run(RULE, stack) == [("partner-puts: lets account 111122223333 events:PutEvents", "partner-puts")]


def test_an_event_target_s_arn_is_its_target_s_not_an_account_of_the_stack() -> None:
    """An EventTarget's `arn` names where it sends: a bus of the other account made that account
    one of the stack's, and a grant to it went unreported."""
    stack = apply(
        resolve(BASELINES, "noaa20-aws"),
        "@add:aws:cloudwatch/eventTarget:EventTarget::to-partner-bus",
        {"rule": "noaa20-events-contact-29a8eed", "arn": "arn:aws:events:us-west-2:111122223333:event-bus/partner"},
    )
    assert run(RULE, _with_grant(stack)) == [
        ("invoke-from-partner: lets account 111122223333 lambda:InvokeFunction", "invoke-from-partner")
    ]
