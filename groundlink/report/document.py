"""compare.json: the one document every rendering (terminal, Markdown, HTML) reads.

Its shape is documented in docs/compare.md and versioned by `formatVersion`;
the Markdown and HTML reports are templates over this document, so the three
outputs never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..blueprint import LAYERS, Blueprint
from ..cost import LONGEST_MONTH_DAYS, LONGEST_MONTH_FACTOR, PROJECTION_MONTHS, CostEstimate, Total
from ..cost.alternatives import CHOICE_FIELDS, Alternative, alternatives
from ..cost.catalog import PriceEntry, prices_read
from ..cost.choices import durability_choices
from ..cost.decision import decision
from ..cost.model import Line, other_regions, total
from ..engine.plan import Plan
from ..limits import AZURE_ORBITAL_RETIRED_ON
from ..parity import ParityMatrix
from ..rounding import MONEY_DECIMALS

# 2 (2026-12-04): every price id is `<cloud>.<id>` (totals' `unknown[]` and `decision.notPriced` held
# bare ids), and `cost.warnings[]` holds the timeouts a run would outlast (they were in `cost.notes`).
# 7 (2026-12-05): `cost.clouds.<cloud>.longestMonth`, the budget judged for a 31-day month.
FORMAT_VERSION = 12
PARTNER_NETWORKS = ("KSAT Lite", "Viasat RTE", "RBC Signals")
RETIREMENT = (
    f"Azure Orbital Ground Station was retired on {AZURE_ORBITAL_RETIRED_ON} (no new authorizations; Microsoft "
    'Learn banner and Azure Update "Azure Orbital Ground Station Retirement", Oct 2024). Azure\'s ground segment '
    f"is therefore a partner network delivering into the mission's Azure landing zone: {', '.join(PARTNER_NETWORKS)} "
    "(RBC Signals operates Microsoft's former antennas since 2025). The legacy Microsoft.Orbital resources "
    "still preview in pulumi-azure-native but can no longer be created."
)


class TimedPlan(Protocol):
    """A cloud's plan with the wall time it took in the process that built it."""

    plan: Plan
    seconds: float


def _total(t: Total, cloud: str) -> dict[str, Any]:
    """A total, its unknown prices named as every price id of the document is: `<cloud>.<id>`."""
    return {
        "known": round(t.known, MONEY_DECIMALS),
        "complete": t.complete,
        "unknown": [f"{cloud}.{u}" for u in t.unknown],
    }


# Layers whose resources the cost model prices none of (the cost notes: "Budgets ... are not
# priced"): their $0 is no figure, and their total says `priced: false`. Any other layer without a
# line costs a known $0 (security without customer-managed keys has no key to bill).
UNPRICED_LAYERS = ("budget",)


def _layer_total(t: Total, cloud: str, layer: str, lines: list[Line]) -> dict[str, Any]:
    """A layer's total; one the cost model does not price says so, so that a script reading
    `known: 0` does not take it for a known $0.00 (the report says "not priced")."""
    unpriced = layer in UNPRICED_LAYERS and not any(x.layer == layer for x in lines)
    return {**_total(t, cloud), **({"priced": False} if unpriced else {})}


def _alternative_json(alt: Alternative, cloud: str) -> dict[str, Any]:
    return {
        "value": alt.value,
        "option": alt.option,
        "chosen": alt.chosen,
        "valid": alt.monthly is not None,
        "monthly": _total(alt.monthly, cloud) if alt.monthly is not None else None,
        "delta": _total(alt.delta, cloud) if alt.delta is not None else None,
        "notes": list(alt.notes),
        "gaps": [{"capability": capability, "reason": reason} for capability, reason in alt.gaps],
        "keys": alt.keys,
        "premiumUnits": alt.units,
    }


def _choices_json(estimate: CostEstimate, cloud: str, spec: Any) -> dict[str, Any]:
    others = alternatives(cloud, spec, estimate.catalogs, estimate.assumptions)
    return {
        name: {
            "value": choice.value,
            "monthly": _total(choice.monthly, cloud),
            "basis": choice.basis,
            "field": CHOICE_FIELDS[name][0],
            "alternatives": [_alternative_json(alt, cloud) for alt in others[name]],
        }
        for name, choice in durability_choices(cloud, spec, estimate.clouds[cloud]).items()
    }


def _longest_month(lines: list[Line], known: float, budget_usd: float) -> dict[str, Any]:
    """The budget a calendar month is judged by (the deployed budgets are monthly) against a
    31-day month's cost, bounded from above: each price's lines priced together at their
    quantities scaled by the month's hours (usage.LONGEST_MONTH_FACTOR), so a free monthly
    allowance is taken off once, as the bill takes it, also where the model splits it between
    two lines (`model._after_line`: the second line gets what the first leaves of it in the
    average month). `mayExceedBudget`: the average month is within the budget and that bound
    is not."""
    priced: dict[tuple[str, float | None, float], tuple[PriceEntry, float]] = {}
    for line in lines:
        key = (line.price_id, line.entry.price, line.entry.per)
        entry, quantity = priced.get(key, (line.entry, 0.0))
        if line.entry.free_per_month > entry.free_per_month:
            entry = line.entry  # the whole allowance, as the first line of the price holds it
        priced[key] = (entry, quantity + line.quantity * LONGEST_MONTH_FACTOR)
    scaled = (entry.cost(quantity) for entry, quantity in priced.values())
    at_most = sum(cost for cost in scaled if cost is not None)
    return {
        "days": LONGEST_MONTH_DAYS,
        "knownAtMost": round(at_most, MONEY_DECIMALS),
        "mayExceedBudget": known <= budget_usd < at_most,
    }


def cost_json(estimate: CostEstimate, budget_usd: float, spec: Any) -> dict[str, Any]:
    usage = estimate.usage
    clouds = {}
    for cloud, cc in estimate.clouds.items():
        projection = []
        for month, lines in enumerate(cc.projection, start=1):
            # the month's storage layer, as the layer table counts it: capacity by tier, and the
            # writes, requests and replication that go with it
            storage = total([x for x in lines if x.layer == "storage"])
            projection.append(
                {"month": month, **_total(total(lines), cloud), "storageKnown": round(storage.known, MONEY_DECIMALS)}
            )
        year = total([x for lines in cc.projection for x in lines])
        monthly = cc.monthly
        clouds[cloud] = {
            "region": cc.region,
            "monthly": _total(monthly, cloud),
            "overBudget": monthly.known > budget_usd,
            "longestMonth": _longest_month(cc.lines, monthly.known, budget_usd),
            "byLayer": {layer: _layer_total(t, cloud, layer, cc.lines) for layer, t in cc.layer_totals().items()},
            "lines": [line.to_json(cloud) for line in cc.lines],
            "choices": _choices_json(estimate, cloud, spec),
            "projection": projection,
            "projectionTotal": _total(year, cloud),
            "toSupply": [
                {
                    "priceId": f"{cloud}.{x.price_id}",
                    "item": x.item,
                    "unit": x.entry.unit,
                    "per": x.entry.per,
                    "supply": x.entry.supply,
                }
                for x in cc.unknowns()
            ],
            # what the report's assumptions name: prices another region's figures, or stating none
            "otherRegions": {f"{cloud}.{price_id}": region for price_id, region in other_regions(cc).items()},
        }
    return {
        "currency": "USD",
        "budgetMonthlyUsd": budget_usd,
        "projectionMonths": PROJECTION_MONTHS,
        "assumptions": list(usage.assumptions),
        "notes": estimate.notes,
        "warnings": estimate.warnings,
        "usage": {
            "daysPerMonth": usage.days_per_month,
            "contactsPerMonth": usage.contacts_per_month,
            "billedMinutes": {"narrowband": usage.billed_minutes(False), "wideband": usage.billed_minutes(True)},
            "links": [
                {
                    "satellite": x.satellite,
                    "downlink": x.downlink,
                    "delivery": x.delivery,
                    "bandwidthMhz": x.bandwidth_mhz,
                    "dataRateMbps": x.data_rate_mbps,
                    "gbPerContact": x.gb_per_contact,
                }
                for x in usage.links
            ],
            "rawGbPerMonth": usage.raw_gb,
            "productsGbPerMonth": usage.products_gb,
            "objectsPerMonth": usage.objects_written,
            "manifestsPerMonth": {cloud: usage.manifests.get(cloud, 0.0) for cloud in estimate.clouds},
            "objectSizeMb": usage.object_size_mb,
            "telemetryGbPerMonth": usage.telemetry_gb,
            "queryTbBilled": usage.billed_query_tb,
            "egressGbPerMonth": usage.egress_gb,
            "storageSteadyGb": usage.storage_steady(),
            "storageGbByMonth": [
                {"month": m, "average": usage.storage_month(m), "endOfMonth": usage.storage_end_of_month(m)}
                for m in range(1, PROJECTION_MONTHS + 1)
            ],
        },
        "clouds": clouds,
    }


def _prices_json(estimate: CostEstimate, read: set[tuple[str, str]]) -> list[dict[str, Any]]:
    """Every catalog entry; `used` where a figure of the report rests on it: a cost line of the
    spec, or a known price the choices or the decision read (an unknown one they read is priced
    by no figure: an entry they only looked at to choose another)."""
    used = {(cloud, x.price_id) for cloud, cc in estimate.clouds.items() for x in cc.lines}
    used |= {(cloud, price_id) for cloud, price_id in read if estimate.catalogs[cloud].entry(price_id).known}
    out = []
    for cloud, catalog in estimate.catalogs.items():
        for price_id, e in catalog.prices.items():
            out.append(
                {
                    "priceId": f"{cloud}.{price_id}",
                    "price": e.price,
                    "unit": e.unit,
                    "per": e.per,
                    "region": e.region,
                    "source": e.source,
                    "date": e.date,
                    "secondary": e.secondary,
                    "supply": e.supply,
                    "freePerMonth": e.free_per_month,  # units a month billed nothing (a free tier)
                    "note": e.note,  # the catalog's caveat on the figure, if any
                    "used": (cloud, price_id) in used,
                }
            )
    # a spec-supplied partner price is not in the catalog: list it where it is used
    for cloud, cc in estimate.clouds.items():
        for x in cc.lines:
            if x.price_id == "partner_minute" and x.entry.source.startswith("mission spec"):
                for row in out:
                    if row["priceId"] == f"{cloud}.partner_minute":
                        row.update(price=x.entry.price, source=x.entry.source, date=x.entry.date, supply=None)
    return out


def _ground_json(blueprint: Blueprint) -> dict[str, Any]:
    spec = blueprint.spec
    gs = spec.ground_segment
    partner = gs.partner.name if gs.partner else None  # the spec requires one with provider: partner
    return {
        "provider": gs.provider,
        "partner": partner,
        "aws": "AWS Ground Station (managed)" if gs.provider == "managed" else f"partner network ({partner})",
        "azure": (
            f"partner network ({partner})"
            if partner
            else "partner network (no first-party ground station since " + AZURE_ORBITAL_RETIRED_ON + ")"
        ),
        "azureOrbitalRetiredOn": AZURE_ORBITAL_RETIRED_ON,
        "azureLegacyOrbital": spec.clouds.azure.legacy_orbital,
        "partnerNetworks": list(PARTNER_NETWORKS),
        "retirement": RETIREMENT,
    }


def build_document(
    *,
    spec_path: str,
    blueprint: Blueprint,
    runs: Mapping[str, TimedPlan],
    matrix: ParityMatrix,
    estimate: CostEstimate,
    policy: dict[str, Any],
    coverage: dict[str, Any] | None,
    generated_at: str,
    prices_file: str | None,
) -> dict[str, Any]:
    spec = blueprint.spec
    clouds = {}
    for cloud, run in runs.items():
        p = run.plan
        clouds[cloud] = {
            "region": spec.region(cloud),
            "stack": p.stack,
            "resources": len(p.resources),
            "customResources": sum(1 for _ in p.custom()),
            "protected": sum(1 for r in p.resources if r.protect),
            "planSeconds": round(run.seconds, 3),
            "planFile": f"plan-{cloud}.json",
            "warnings": list(p.warnings),
            "gaps": dict(p.gaps),
        }
    failures = list(matrix.failures)
    with prices_read() as read:  # what the choices and the decision price, beyond the spec's own lines
        decided = decision(blueprint, estimate, {cloud: run.plan for cloud, run in runs.items()})
        cost = cost_json(estimate, spec.budget.monthly_usd, spec)
    return {
        "formatVersion": FORMAT_VERSION,
        "generatedAt": generated_at,
        "mission": blueprint.mission,
        "spec": spec_path,
        "pricesFile": prices_file,
        "ok": not failures,
        "failures": failures,
        "layers": list(LAYERS),
        "clouds": clouds,
        "groundSegment": _ground_json(blueprint),
        "parity": matrix.to_json(),
        "decision": decided,
        "cost": cost,
        "prices": _prices_json(estimate, read),
        "coverage": coverage,
        "policy": policy,
    }
