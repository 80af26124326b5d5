"""Preflight: a plan checked against what the real clouds accept, before any CLI or account.

The offline engine's mocks accept anything; `pulumi preview` checks only the
provider schema. Preflight checks every planned resource's inputs against:

- the pinned provider's own schema (names, required inputs, types, closed enums), derived
  from the installed provider SDKs (`schema`, `provider`);
- service API constraints no provider checks at preview: AWS shapes from botocore's
  models (`aws_api`), the CloudFormation registry schemas Cloud Control validates aws-native
  resources against (`registry`), Azure naming rules and role-assignment principal types
  (`azure_names`, `azure_roles`);
- cross-resource rules the APIs enforce only when data moves: writers into
  customer-managed-key stores hold every key permission the write needs (`cmk`);
- subnets serverless compute joins: delegated to Microsoft.App/environments, nothing else
  in them, large enough (`integration`); the processor's Service Bus namespace admits the
  subnet it runs in (`servicebus_reach`), a Lambda function in a VPC reaches S3 (`lambda_reach`);
- quotas no API shape carries: a Lambda function's environment fits 4 KB (`lambda_env`), a
  Batch job definition 24 KiB (`batch_job`);
- features an account refuses for its kind: blob versioning and the change feed on an account
  with a hierarchical namespace (`hns_features`);
- diagnostic settings naming categories their target does not export: `AllMetrics` or logs on a
  storage account (`diagnostics`);
- AWS policy documents (roles, inline policies, bucket, queue, topic and key policies) against
  the IAM JSON policy grammar, which the services parse only when the document is written
  (`policy_grammar`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.plan import Plan
from . import (
    aws_api,
    azure_names,
    azure_roles,
    batch_job,
    cmk,
    diagnostics,
    hns_features,
    integration,
    lambda_env,
    lambda_reach,
    policy_grammar,
    registry,
    servicebus_reach,
)
from .constraints import check_table
from .findings import Finding
from .provider import check_resource

__all__ = ["Finding", "preflight", "preflight_planned"]


def preflight_planned(plan: Plan) -> list[Finding]:
    """Preflight a plan of a spec file, with what that spec declares (its partner's principal)."""
    from pathlib import Path

    from ..spec import load_spec

    principals: list[str] = []
    if Path(plan.spec).is_file():
        partner = load_spec(plan.spec).ground_segment.partner
        if partner is not None and partner.azure_principal_object_id:
            principals.append(partner.azure_principal_object_id)
    return preflight(plan, principals)


def preflight(plan: Plan, service_principals: Iterable[str] = ()) -> list[Finding]:
    """Every finding on `plan`; `service_principals` are principal ids known to be service
    principals (a partner's delivery identity), beside the identities the plan creates."""
    findings = [finding for resource in plan.custom() for finding in check_resource(resource)]
    if plan.cloud == "aws":
        findings += check_table(plan, aws_api.constraints())
        findings += check_table(plan, aws_api.RESERVED)
        findings += registry.aws_findings(plan)
        findings += cmk.aws_findings(plan)
        findings += lambda_reach.aws_findings(plan)
        findings += lambda_env.aws_findings(plan)
        findings += batch_job.aws_findings(plan)
        findings += policy_grammar.aws_findings(plan)
    else:
        findings += check_table(plan, azure_names.NAME_RULES)
        findings += azure_names.duplicate_global_names(plan)
        findings += azure_roles.principal_type_findings(plan, service_principals)
        findings += cmk.azure_findings(plan)
        findings += cmk.explorer_key_findings(plan)
        findings += cmk.unreachable_key_findings(plan)
        findings += integration.azure_findings(plan)
        findings += servicebus_reach.azure_findings(plan)
        findings += hns_features.azure_findings(plan)
        findings += diagnostics.azure_findings(plan)
    return findings
