"""Role assignments ARM refuses at deploy time: the declared principal type must match the principal.

azure-native's `RoleAssignment` sends principalType "User" when none is given;
ARM then checks it against the directory and refuses an assignment whose
principal is a service principal (managed identities are service principals)
with `UnmatchedPrincipalType`. Preflight knows two kinds of service principals:
identities created by the plan itself, and principals the spec declares as
service principals (a partner's delivery identity).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..engine.plan import Plan, PlannedResource
from .findings import Finding

ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
USER_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
SOURCE = "Microsoft Learn, Assign Azure roles using the REST API (principalType; UnmatchedPrincipalType)"


def identity_principals(plan: Plan) -> dict[str, str]:
    """Principal ids of the identities the plan creates -> the resource that owns each."""
    found: dict[str, str] = {}
    for resource in plan.resources:
        identity = resource.outputs.get("identity")
        principal = (identity if isinstance(identity, dict) else {}).get("principalId")
        if resource.type == USER_IDENTITY:
            principal = resource.outputs.get("principalId")
        if isinstance(principal, str):
            found[principal] = resource.name
    return found


def principal_type_findings(plan: Plan, service_principals: Iterable[str] = ()) -> Iterator[Finding]:
    known = dict.fromkeys(service_principals, "a service principal the spec names")
    known.update({p: f"the identity of {owner}" for p, owner in identity_principals(plan).items()})
    for assignment in plan.of_type(ROLE_ASSIGNMENT):
        yield from _check(assignment, known)


def _check(assignment: PlannedResource, service_principals: dict[str, str]) -> Iterator[Finding]:
    principal = assignment.inputs.get("principalId")
    declared = assignment.inputs.get("principalType")
    if isinstance(principal, str) and principal in service_principals and declared != "ServicePrincipal":
        rule = f"principal is {service_principals[principal]}: principalType must be ServicePrincipal"
        yield Finding(assignment.name, assignment.type, "principalType", declared, rule, SOURCE)
