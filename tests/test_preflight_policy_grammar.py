"""Preflight reads every AWS policy document the stacks plan against the IAM JSON policy grammar:
IAM and the services parse a document only when it is written, so a malformed one passes the
mocks and the provider schema and fails `pulumi up`."""

from __future__ import annotations

import copy
import json

import pytest

from groundlink.preflight import policy_grammar, preflight

from .conftest import cached_plan

GOOD = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "Principal": "*", "NotAction": "kms:*", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"},
    ],
}


@pytest.mark.parametrize("spec", ["noaa20.yaml", "constellation.yaml", "partner.yaml", "aqua-legacy.yaml"])
def test_every_planned_policy_document_is_well_formed(spec):
    plan = cached_plan(spec, "aws")
    documents = [
        (r.type, path)
        for r in plan.custom()
        for key, v in r.inputs.items()
        for path, _ in policy_grammar._documents(v, key)
    ]
    kinds = {kind for kind, _ in documents}
    # roles, their policies, the key, and the bucket, queue and topic policies are all read
    assert {"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:kms/key:Key"} <= kinds
    assert {"aws:s3/bucketPolicy:BucketPolicy", "aws:sqs/queuePolicy:QueuePolicy"} <= kinds
    assert list(policy_grammar.aws_findings(plan)) == []


def _broken(change) -> list[tuple[str, object, str]]:
    document = copy.deepcopy(GOOD)
    change(document)
    return list(policy_grammar.problems(document))


def test_a_well_formed_document_has_no_problem():
    assert _broken(lambda d: None) == []


def test_an_action_with_the_single_character_wildcard_is_well_formed():
    """IAM takes `?` in an action as it takes `*` ("Action": "s3:Get?bject" matches s3:GetObject):
    a role granting such an action was a finding preflight called a break of the grammar."""
    assert _broken(lambda d: d["Statement"][0].update(Action=["s3:Get?bject", "s3:?ut*"])) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["Statement"][0].update(Effect="ALLOW"),
            ("Statement[0].Effect", "ALLOW", "Effect is required: Allow or Deny, as written (case sensitive)"),
        ),
        (
            lambda d: d["Statement"][0].pop("Effect"),
            ("Statement[0].Effect", None, "Effect is required: Allow or Deny, as written (case sensitive)"),
        ),
        (
            lambda d: d["Statement"][0].update(XXResourceXX=d["Statement"][0].pop("Resource")),
            (
                "Statement[0].XXResourceXX",
                "arn:aws:s3:::b/*",
                "'XXResourceXX' is no statement element; allowed: Action, Condition, Effect, NotAction, NotPrincipal, "
                "NotResource, Principal, Resource, Sid",
            ),
        ),
        (
            lambda d: d.update(version=d.pop("Version")),
            ("version", "2012-10-17", "'version' is no policy element; allowed: Id, Statement, Version"),
        ),
        (
            lambda d: d.update(Version="2012-10-18"),
            ("Version", "2012-10-18", "allowed: 2008-10-17, 2012-10-17"),
        ),
        (
            lambda d: d["Statement"][1].update(Principal="XX*XX"),
            (
                "Statement[1].Principal",
                "XX*XX",
                'a principal is "*" or a map of AWS, Service, Federated, CanonicalUser',
            ),
        ),
        (
            lambda d: d["Statement"][2].update(Principal={"service": "lambda.amazonaws.com"}),
            (
                "Statement[2].Principal.service",
                "lambda.amazonaws.com",
                "allowed: AWS, CanonicalUser, Federated, Service",
            ),
        ),
        (
            lambda d: d["Statement"][0].pop("Action"),
            ("Statement[0]", ["Effect", "Resource", "Sid"], "exactly one of Action and NotAction"),
        ),
        (
            lambda d: d["Statement"][1].update(Action="kms:Decrypt"),
            (
                "Statement[1]",
                ["Action", "Effect", "NotAction", "Principal", "Resource"],
                "exactly one of Action and NotAction",
            ),
        ),
        (
            lambda d: d["Statement"][0].update(Action=["s3 GetObject"]),
            ("Statement[0].Action", "s3 GetObject", "an action is * or service:action"),
        ),
        (
            lambda d: d.update(Statement=["Allow"]),
            ("Statement[0]", "Allow", "a statement is an object"),
        ),
    ],
)
def test_each_break_of_the_grammar_is_one_problem(change, expected):
    assert _broken(change) == [expected]


def test_a_planned_key_policy_with_an_effect_written_in_capitals_is_a_preflight_finding():
    plan = copy.deepcopy(cached_plan("noaa20.yaml", "aws"))
    [key] = plan.of_type("aws:kms/key:Key")
    document = json.loads(key.inputs["policy"])
    document["Statement"][0]["Effect"] = "ALLOW"
    key.inputs["policy"] = json.dumps(document)
    found = [f for f in preflight(plan) if f.source == policy_grammar.SOURCE]
    assert [(f.resource, f.path, f.value) for f in found] == [(key.name, "policy Statement[0].Effect", "ALLOW")]
    assert found[0].line() == (
        f'{key.name} (aws:kms/key:Key) policy Statement[0].Effect = "ALLOW": Effect is required: Allow or Deny, as '
        "written (case sensitive) [IAM User Guide, IAM JSON policy element reference]"
    )
