"""aws-s3-replication-role-keys judges the replica key whatever kind of stack key it is: a
multi-Region `ReplicaKey` of the mission key (AWS's usual key for a replica in another region)
or an `ExternalKey`, as a `Key`. Only an `aws:kms/key:Key` was looked up, so a replication role
without a grant on a replica key of the other kinds passed, and every SSE-KMS replica failed
once deployed (docs/policies.md: not judged is only a key of another stack)."""

from __future__ import annotations

import dataclasses

import pytest

from groundlink.engine import Plan

from .pack_cases import BASELINES, MISSION_KEY
from .pack_harness import State, changed_plan, resolve, run

RULE = "aws-s3-replication-role-keys"
REPLICA_KEY = "noaa20-storage-replica-key"
# the replication role's KMS grants, its Encrypt and Decrypt on the replica key taken away
WITHOUT_REPLICA_GRANTS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": MISSION_KEY}],
}
EXPECTED = [
    (
        f"replication role noaa20-storage-replica-role may not {action} with the replica key "
        "(destination.encryptionConfiguration.replicaKmsKeyId, S3 Bucket Keys)",
        name,
    )
    for name in ("noaa20-storage-replica-products-replication", "noaa20-storage-replica-raw-replication")
    for action in ("kms:Encrypt", "kms:Decrypt")
]


def _retyped(plan: Plan, name: str, type_token: str) -> Plan:
    """`plan` with resource `name` of another type, every reference to its URN following it."""
    (old,) = [r for r in plan.resources if r.custom and r.name == name]
    urn = old.urn.replace(f"{old.type}::{name}", f"{type_token}::{name}")
    assert urn != old.urn

    def moved(urns: list[str]) -> list[str]:
        return [urn if u == old.urn else u for u in urns]

    resources = [
        dataclasses.replace(
            r,
            urn=urn if r is old else r.urn,
            type=type_token if r is old else r.type,
            dependencies=moved(r.dependencies),
            propertyDependencies={k: moved(v) for k, v in r.propertyDependencies.items()},
        )
        for r in plan.resources
    ]
    return dataclasses.replace(plan, resources=resources)


@pytest.mark.parametrize(
    "kind", ["aws:kms/key:Key", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey"]
)
def test_a_replica_key_of_any_kind_of_the_stack_is_judged(kind: str) -> None:
    geo = resolve(BASELINES, "noaa20-aws-geo").plan
    plan = geo if kind == "aws:kms/key:Key" else _retyped(geo, REPLICA_KEY, kind)
    assert run(RULE, State(plan)) == []  # the geo stack grants the role both
    ungranted = changed_plan(plan, "noaa20-storage-replica-policy/policy", WITHOUT_REPLICA_GRANTS)
    assert sorted(run(RULE, State(ungranted))) == sorted(EXPECTED)
