"""Azure audit trail: the SQL engines that query contact data (Synapse
workspaces, Data Explorer clusters) send every SQL, security and audit log
category to the mission's Log Analytics workspace, so a query leaves a trace;
the mission key's vault and the blob service of its stores send their data
access logs there too, so a read of contact data or a use of the key does."""

from __future__ import annotations

from typing import Any

from . import tokens as T
from .joins import given, of_type, sides
from .props import UNKNOWN, as_list, dependencies_of, get, is_true, same_text
from .registry import resource_rule, stack_rule

# The audit-relevant categories (Microsoft Learn, "Supported logs for Microsoft.Synapse/workspaces" and
# "... for Microsoft.Kusto/clusters"); the category group allLogs covers them all.
AUDIT_CATEGORIES = {
    "Synapse workspace": (
        T.SYNAPSE_WORKSPACE,
        ("BuiltinSqlReqsEnded", "GatewayApiRequests", "SQLSecurityAuditEvents", "SynapseRbacOperations"),
        (),
    ),
    "Data Explorer cluster": (T.KUSTO_CLUSTER, ("Command", "Query", "Journal"), ()),
}
# Who read, wrote or deleted a blob, and who used a key or secret (Microsoft Learn, "Supported logs
# for Microsoft.Storage/storageAccounts/blobServices" and "... for Microsoft.KeyVault/vaults").
# A vault's audit category group holds its AuditEvent: CIS Microsoft Azure Foundations Benchmark,
# "Ensure that logging for Azure Key Vault is 'Enabled'", takes the audit or allLogs group.
ACCESS_CATEGORIES = {
    "blob service": (T.BLOB_SERVICE, ("StorageRead", "StorageWrite", "StorageDelete"), ()),
    "Key Vault": (T.KEY_VAULT, ("AuditEvent",), ("audit",)),
}


def _missing(setting: Any, required: tuple[str, ...], groups: tuple[str, ...]) -> list[str] | None:
    """Categories the setting does not send; None when it cannot be judged yet. A category group
    of `groups` (allLogs always) sends them all; names compare without case, as ARM reads them."""
    logs = get(setting.props, "logs")
    if logs is UNKNOWN:
        return None
    entries = as_list(logs)
    if any(UNKNOWN in (get(e, "enabled"), get(e, "categoryGroup"), get(e, "category")) for e in entries):
        return None  # an entry not known yet may be the allLogs group
    enabled = [entry for entry in entries if is_true(get(entry, "enabled", default=True))]
    if any(same_text(get(entry, "categoryGroup"), group) for entry in enabled for group in ("allLogs", *groups)):
        return []
    sent = {str(get(entry, "category")).casefold() for entry in enabled}
    return [category for category in required if category.casefold() not in sent]


@stack_rule(
    "azure-analytics-audit-logs",
    area="azure-audit",
    severity="high",
    enforcement="mandatory",
    controls=("CIS Azure 5.4", "MCSB LT-3"),
    description="Synapse workspaces and Data Explorer clusters send every SQL, security and audit log category "
    "(the allLogs category group) to a Log Analytics workspace.",
    remediation="Add azure_native.monitor.DiagnosticSetting(resource_uri=<workspace or cluster id>, workspace_id="
    "<Log Analytics workspace id>, logs=[{'category_group': 'allLogs', 'enabled': True}]).",
)
def analytics_audit_logs(args: Any, report: Any) -> None:
    _judge(args.resources, AUDIT_CATEGORIES, "queries leave no audit trail", report)


@stack_rule(
    "azure-data-access-logs",
    area="azure-audit",
    severity="high",
    enforcement="mandatory",
    controls=("MCSB LT-3", "Azure Policy: Resource logs in Key Vault should be enabled"),
    description="Every blob service sends its read, write and delete logs, and every Key Vault its audit events (or "
    "the allLogs category group), to a Log Analytics workspace.",
    remediation="Add azure_native.monitor.DiagnosticSetting(resource_uri=<blob service or vault id>, workspace_id="
    "<Log Analytics workspace id>, logs=[{'category_group': 'allLogs', 'enabled': True}]).",
)
def data_access_logs(args: Any, report: Any) -> None:
    _judge(args.resources, ACCESS_CATEGORIES, "its data is used without a trace", report)


def _may_be_on(resources: list[Any], target: Any) -> bool:
    """A blob service, and a diagnostic setting whose `resourceUri` is not known yet and is built
    from the blob service's account (`account.id.apply(lambda i: f"{i}/blobServices/default")` in
    a first preview): it may be the blob service's setting, so the blob service is not judged
    until it is known. Other kinds are named by their own id, not their parent's."""
    if not T.is_type(target.resource_type, T.BLOB_SERVICE):
        return False
    parents = {
        d.urn for d in getattr(target, "dependencies", None) or [] if T.is_type(d.resource_type, T.STORAGE_ACCOUNT)
    }
    return any(
        # read as given: azure-native keeps no path parameter among a setting's outputs, in a
        # preview either, so under the CLI this was never unknown and the blob service was judged
        given(setting, "resourceUri") is UNKNOWN
        and any(d.urn in parents for d in dependencies_of(setting, "resourceUri"))
        for setting in of_type(resources, T.DIAGNOSTIC_SETTING)
    )


def _judge(resources: list[Any], kinds: dict[str, Any], untraced: str, report: Any) -> None:
    """Report each resource of `kinds` whose diagnostic settings together send its required
    categories to no Log Analytics workspace (one setting may send some, another the rest)."""
    for kind, (tokens, required, groups) in kinds.items():
        for target in of_type(resources, tokens):
            if _may_be_on(resources, target):
                continue  # a setting whose target is not known yet: judged once it is
            settings = sides(resources, T.DIAGNOSTIC_SETTING, "resourceUri", target, ("id",))
            if not settings:
                report(f"{kind} {target.name} has no diagnostic setting ({untraced})", target.urn)
                continue
            gaps, unsent = [], set(required)
            for setting in settings:
                missing = _missing(setting, required, groups)
                workspace = get(setting.props, "workspaceId")
                if missing is None or workspace is UNKNOWN:
                    gaps, unsent = [], set()
                    break
                if workspace:
                    unsent &= set(missing)
                gaps.append(
                    f"diagnostic setting {setting.name} "
                    + ("sends to no Log Analytics workspace" if not workspace else f"misses {', '.join(missing)}")
                )
            if unsent:
                report(f"{kind} {target.name}: {'; '.join(gaps)}", target.urn)


@resource_rule(
    "azure-log-workspace-entra-only",
    area="azure-audit",
    severity="medium",
    enforcement="mandatory",
    types=T.LOG_ANALYTICS_WORKSPACE,
    controls=("Azure Policy e15effd4-2278-4c65-a0da-4d6f6d1890e2 (block non-Entra ingestion)", "MCSB LT-3"),
    description="Log Analytics workspaces take records signed in with Entra ID only (features.disableLocalAuth): "
    "with shared keys, whoever holds one writes forged records into the audit trail.",
    remediation="Set features={'disable_local_auth': True}; diagnostic settings, Azure Monitor Agent and queries "
    "do not use the shared keys.",
)
def log_workspace_entra_only(args: Any, report: Any) -> None:
    value = get(args.props, "features", "disableLocalAuth")
    if value is not UNKNOWN and not is_true(value):
        report("features.disableLocalAuth is not true: the workspace's shared keys write records into it")
