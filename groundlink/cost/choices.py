"""The durability and security choices a reader weighs per cloud, and what each costs a month.

Storage redundancy, HSM-backed keys and the key that encrypts messaging differ in kind between
the clouds (S3 Standard is zone-redundant at its list price; Azure prices ZRS, GZRS and RA-GZRS
apart), so the report states each choice next to the cost lines it brings, never a bare total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..blueprint.tiering import ARCHIVE
from .model import (
    GEO_TRANSFER,
    REPLICATION,
    CloudCost,
    Line,
    Total,
    azure_storage_redundancy,
    total,
    write_operations_price_id,
)
from .usage import HOURS_PER_MONTH

# Price ids whose lines exist because of a choice.
HSM_PRICE_IDS = frozenset({"kms_key_month", "key_vault_hsm_key_month", "key_vault_hsm_advanced_key_month"})
# The Azure messaging tier's lines, whichever tier the key chooses: Standard's base, operations,
# throughput and Capture units (Microsoft-managed keys only) or Premium's units (operations and
# Capture included). Counting one tier's lines only, the Standard choice showed $0 against
# Premium's full cost, and the two figures did not differ by the delta shown beside them.
MESSAGING_TIER_PRICE_IDS = frozenset(
    {
        "service_bus_standard_base_hour",
        "service_bus_operations",
        "event_hubs_standard_tu_hour",
        "event_hubs_capture_tu_hour",
        "service_bus_premium_mu_hour",
        "event_hubs_premium_pu_hour",
    }
)


# The Premium tier's unit-hour prices: each one's name in compare.json and the unit it bills.
# Without a plan the model prices one unit a namespace (cost.model._units), which the report states.
PREMIUM_UNITS = {
    "service_bus_premium_mu_hour": ("serviceBus", "Service Bus messaging unit"),
    "event_hubs_premium_pu_hour": ("eventHubs", "Event Hubs processing unit"),
}


def premium_units(cost: CloudCost) -> dict[str, int]:
    """The Premium units `cost` prices a month, by name (all 0 on a Standard tier or on AWS)."""
    hours = dict.fromkeys(PREMIUM_UNITS, 0.0)
    for line in cost.lines:
        if line.price_id in hours:
            hours[line.price_id] += line.quantity
    return {PREMIUM_UNITS[price_id][0]: round(h / HOURS_PER_MONTH) for price_id, h in hours.items()}


@dataclass(frozen=True)
class Choice:
    value: str | bool
    monthly: Total
    basis: str


def _storage(cloud: str, spec: Any, cost: CloudCost) -> Choice:
    writes = write_operations_price_id(azure_storage_redundancy(spec)) if cloud == "azure" else None
    stored = total(
        [x for x in cost.lines if x.tier or x.item.startswith(REPLICATION) or x.price_id in (GEO_TRANSFER, writes)]
    )
    if cloud == "azure":
        sku = azure_storage_redundancy(spec)
        held = "; no archive tier on this redundancy: archive-aged data is held and priced in Cold"
        archived = any(step.tier == ARCHIVE for step in spec.storage.tiering)
        basis = "blob capacity, write operation and tier change lines at this redundancy's prices"
        if any(x.price_id == GEO_TRANSFER for x in cost.lines):
            basis += ", and the geo-replication data transfer to the paired region"
        return Choice(sku, stored, basis + (held if archived else ""))
    if spec.storage.redundancy == "geo":
        return Choice(
            f"S3 Standard (3 zones), replicated to {spec.clouds.aws.replica_region}",
            stored,
            "S3 capacity and lifecycle lines plus the replication lines: replica capacity and lifecycle, PUTs, inter-region transfer, "
            "replica key and its requests, replication metrics and failure alarms",
        )
    return Choice(
        "S3 Standard (3 zones)", stored, "S3 capacity and lifecycle lines; zone redundancy is in the list price"
    )


def key_month_lines(cost: CloudCost) -> list[Line]:
    """The lines pricing the mission's customer-managed keys by the month: the HSM choice's. The
    replica key of an AWS geo mission is the storage choice's line, counted there only."""
    return [x for x in cost.lines if x.price_id in HSM_PRICE_IDS and not x.item.startswith(REPLICATION)]


def _hsm(cloud: str, spec: Any, cost: CloudCost) -> Choice:
    keys = total(key_month_lines(cost))
    if not spec.security.customer_managed_keys:
        return Choice(False, keys, "no customer-managed keys")
    if cloud == "aws":
        return Choice(True, keys, "KMS keys are HSM-backed; the key-month lines")
    if spec.security.hsm_keys:
        return Choice(True, keys, "Key Vault premium RSA-HSM key-month lines, priced by the key's size")
    return Choice(False, keys, "software-protected keys: operations only, no key-month charge")


def _messaging(cloud: str, spec: Any, cost: CloudCost) -> Choice:
    lines = [x for x in cost.lines if x.price_id in MESSAGING_TIER_PRICE_IDS]
    tier = total(lines)
    # the tier's lines this stack has: no Event Hubs line without a hub (no telemetry stream, no live delivery)
    standard = f"Standard tier lines ({', '.join(x.item for x in lines)})" if lines else "no Standard tier line"
    keys = spec.security.customer_managed_keys
    if cloud == "aws" and keys:
        return Choice("mission key", tier, "queues and topics use the mission key; no charge beyond the KMS lines")
    if cloud == "aws":
        return Choice(
            "service-managed",
            tier,
            "queues use SQS-managed encryption and the alerts topic none (CloudWatch alarms cannot publish under "
            "the AWS managed key); security.customer_managed_keys: false, no mission key; no charge",
        )
    if spec.security.premium_messaging:
        return Choice("mission key", tier, "Service Bus and Event Hubs Premium unit-hour lines")
    if not keys:
        return Choice(
            "service-managed",
            tier,
            f"{standard}: Microsoft-managed keys, as the spec asks (security.customer_managed_keys: false)",
        )
    return Choice(
        "service-managed",
        tier,
        f"{standard}: Microsoft-managed keys (declared gap)",
    )


def durability_choices(cloud: str, spec: Any, cost: CloudCost) -> dict[str, Choice]:
    """Storage redundancy, HSM keys and messaging encryption on `cloud`, each with its monthly cost."""
    return {
        "storageRedundancy": _storage(cloud, spec, cost),
        "hsmKeys": _hsm(cloud, spec, cost),
        "messagingEncryption": _messaging(cloud, spec, cost),
    }
