"""Blob service features an account with a hierarchical namespace (ADLS Gen2) refuses.

`pulumi preview` accepts a BlobServiceProperties with `isVersioningEnabled: true` or an
enabled `changeFeed` whatever its account is; Azure refuses it at deployment (HTTP 409) when
the account has `isHnsEnabled: true`. docs/azure.md, "Blob service", has the sources.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..engine.plan import Plan, PlannedResource
from .findings import Finding, values_at

SOURCE = "Blob Storage feature support in Azure Storage accounts: not yet supported with a hierarchical namespace"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
ACCOUNT = "azure-native:storage:StorageAccount"
# (input path, the value Azure refuses on an HNS account, what it is)
REFUSED = (
    ("isVersioningEnabled", True, "blob versioning"),
    ("changeFeed.enabled", True, "the change feed"),
)


def _account_of(plan: Plan, service: PlannedResource) -> PlannedResource | None:
    name = service.inputs.get("accountName")
    if name is None:  # a blob service naming no account joins none (None would match an unnamed one)
        return None
    return next(
        (a for a in plan.of_type(ACCOUNT) if name in (a.outputs.get("name"), a.inputs.get("accountName"))), None
    )


def azure_findings(plan: Plan) -> Iterator[Finding]:
    for service in plan.of_type(BLOB_SERVICE):
        account = _account_of(plan, service)
        if account is None or account.inputs.get("isHnsEnabled") is not True:
            continue
        for path, refused, what in REFUSED:
            for where, value in values_at(service.inputs, path):
                if value is not refused:
                    continue
                yield Finding(
                    service.name,
                    service.type,
                    where,
                    value,
                    f"{what} is not supported on storage account {account.name}, which has a hierarchical "
                    "namespace (isHnsEnabled: true); Azure refuses it with HTTP 409",
                    SOURCE,
                )
