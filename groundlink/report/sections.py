"""The report's sections as plain tables and lists, built once from compare.json.

report.md and report.html are thin templates over these sections, so a figure
is formatted in one place and both reports always say the same thing.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..blueprint.capabilities import ORBITAL_TELEMETRY_GRANT, TELEMETRY_SINK_TYPE
from ..blueprint.gaps import ADX_CATALOG_SCOPE, partner_cannot_deliver
from ..clouds import cloud_title
from ..cost.catalog import OVERRIDE_MARK
from ..cost.choices import PREMIUM_UNITS
from ..cost.decision import MIXED_BANDS
from ..coverage import NO_SITE_TAKES, clouds_estimated
from ..rounding import counted, exact_decimals, half_up, rate, shown_amount, some_of
from .charts import held_tiers
from .number_format import break_even_text, fixed, layer_cost, money, num, usd


@dataclass(frozen=True)
class Cell:
    text: str
    mark: str = ""  # "", "ok", "gap", "bad", "code", "strong"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    numeric: list[bool] = field(default_factory=list)  # right-align per column


@dataclass
class Section:
    title: str
    paragraphs: list[Cell] = field(default_factory=list)
    table: Table | None = None
    chart: str | None = None
    # the chart's figures as text, for a reader who cannot see it (and a print in black and white)
    figures: Table | None = None
    bullets: list[Cell] = field(default_factory=list)
    after: list[Cell] = field(default_factory=list)


def _c(text: Any, mark: str = "") -> Cell:
    return Cell(str(text), mark)


def _table(headers: list[str], rows: list[list[Any]], numeric: list[bool] | None = None) -> Table:
    cells = [[x if isinstance(x, Cell) else _c(x) for x in row] for row in rows]
    return Table(headers, cells, numeric or [False] * len(headers))


def _counts(doc: dict[str, Any], cloud: str) -> str:
    statuses = [row["clouds"][cloud]["status"] for row in doc["parity"]["rows"]]
    return " / ".join(str(statuses.count(s)) for s in ("realized", "gap", "missing"))


def _budget(cost: dict[str, Any]) -> str:
    if cost["overBudget"]:
        return "over budget"
    verdict = "within budget" if cost["monthly"]["complete"] else "known part within budget"
    longest = cost["longestMonth"]
    if longest["mayExceedBudget"]:
        # the deployed budget judges calendar months: a 31-day month may cross it
        return f"{verdict} on average, up to {usd(longest['knownAtMost'])} in a {longest['days']}-day month"
    return verdict


def refusal(doc: dict[str, Any]) -> str:
    """Why the command exited 1 beside the parity verdict: --against found a change the cloud
    rejects, or data loss it was not allowed. Empty when nothing was refused."""
    diff = doc.get("diff") or {}
    if not diff.get("refused"):
        return ""
    if diff.get("unappliable"):
        return (
            f"applying the spec over {diff['against']} makes {len(diff['unappliable'])} change(s) the cloud rejects "
            f"at pulumi up ({'; '.join(diff['unappliable'])}); the command exited 1, whatever --allow-data-loss says"
        )
    return (
        f"applying the spec over {diff['against']} would lose data ({len(diff['dataLoss'])} change(s), listed under "
        f'"Changes against {diff["against"]}"); the command exited 1, and --allow-data-loss accepts it'
    )


def _summary(doc: dict[str, Any], clouds: list[str]) -> Section:
    cost = doc["cost"]
    rows = [
        ["Region"] + [doc["clouds"][c]["region"] for c in clouds],
        ["Ground segment"] + [doc["groundSegment"][c] for c in clouds],
        ["Resources planned (protected)"]
        + [f"{doc['clouds'][c]['resources']} ({doc['clouds'][c]['protected']})" for c in clouds],
        ["Capabilities realized / gaps / missing"] + [_counts(doc, c) for c in clouds],
        [_c("Monthly cost, steady state", "strong")]
        + [_c(money(cost["clouds"][c]["monthly"]), "strong") for c in clouds],
        ["First 12 months"] + [money(cost["clouds"][c]["projectionTotal"]) for c in clouds],
        [f"Budget {usd(cost['budgetMonthlyUsd'])}/month"] + [_budget(cost["clouds"][c]) for c in clouds],
        ["Offline plan time"] + [f"{doc['clouds'][c]['planSeconds']:.2f} s" for c in clouds],
    ]
    if doc["ok"]:
        verdict = _c(
            "Result: comparable. Every capability the spec needs is realized on each cloud or declared "
            "as a gap with its reason.",
            "ok",
        )
    else:
        verdict = _c("Result: FAILED. The two stacks cannot be compared like for like (see below).", "bad")
    refused = refusal(doc)
    return Section(
        "Summary",
        paragraphs=[
            _c(f"Decision: {doc['decision']['sentence']}", "strong"),
            verdict,
            *([_c(f"Refused: {refused}.", "bad")] if refused else []),
        ],
        # a contact plan the orbit cannot give is a reason to doubt every cost below it
        bullets=[_c(f, "bad") for f in doc["failures"]]
        + [
            _c(f"Coverage: {w}", "gap")
            for w in (*coverage_warnings_shown(doc), *coverage_not_estimated(doc), *coverage_dated(doc))
        ]
        + [_c(f"Prices: {w}", "gap") for w in prices_elsewhere(doc)],
        table=_table([""] + [cloud_title(c) for c in clouds], rows),
        after=[
            _c(
                'A total marked "+ unknown" is partial: it leaves out prices the catalog does not '
                'know (see "Prices to supply"); they are never counted as zero.'
            )
        ],
    )


def _decision(doc: dict[str, Any]) -> Section:
    d = doc["decision"]
    names = {
        "azurePartnerVsAwsOnDemand": "Azure + partner = AWS Ground Station on demand",
        "azurePartnerVsAwsReserved": "Azure + partner = AWS Ground Station reserved",
        "awsPartnerVsAwsOnDemand": "AWS + partner = AWS Ground Station on demand",
        "awsPartnerVsAwsReserved": "AWS + partner = AWS Ground Station reserved",
    }
    rows = [[label, break_even_text(d["breakEvenPerMinute"][key])] for key, label in names.items()]
    headline = d["headlineBreakEven"]
    if headline["groundStation"] == MIXED_BANDS and headline["perMinute"] is not None:
        # one band reserved, the other on demand: the break-even the sentence leads with is that
        # mix, which no row above holds (each prices both bands alike)
        rows.append(
            [
                f"{cloud_title(headline['partnerCloud'])} + partner = AWS Ground Station {MIXED_BANDS} "
                "(each band as AWS's total prices it)",
                break_even_text(headline["perMinute"]),
            ]
        )
    # no Ground Station alternative (a satellite it no longer supports): no break-even with it to
    # tabulate; the sentence says why
    table = (
        None
        if d["groundStationNotOffered"]
        else _table(["Where the monthly totals are equal", "Partner price"], rows, [False, True])
    )
    rest = d["restMonthly"]
    after = [
        _c(
            f"Partner minutes: {num(d['partnerMinutesPerMonth'])}/month. Monthly cost without the ground segment: "
            f"AWS {usd(rest['aws'])}{_other_mode(rest)}, Azure {usd(rest['azure'])}{_azure_as_planned(rest)}. Prices "
            "not known are left out "
            "of both sides: " + (", ".join(p for ids in d["notPriced"].values() for p in ids) or "none") + "."
        ),
        *[_c(f"Not in the comparison: {x}", "gap") for x in d["leftOut"]],
    ]
    return Section(
        "Break-even partner price",
        paragraphs=[_c(d["sentence"])],
        table=table,
        chart="sensitivity",
        figures=_sensitivity_figures(d),
        after=after,
    )


def _sensitivity_figures(d: dict[str, Any]) -> Table:
    """The sensitivity chart's lines and bands, a row per contacts/day: AWS with Ground Station
    where priced, Azure with the partner at each partner price drawn, and AWS with the partner
    over the same prices (its band's two ends)."""
    series, prices = d["sensitivity"]["series"], d["sensitivity"]["partnerPrices"]
    aws = [
        (key, label)
        for key, label in (
            ("awsOnDemand", "AWS + Ground Station on demand"),
            ("awsReserved", "AWS + Ground Station reserved"),
        )
        if series and all(p[key] is not None for p in series)
    ]
    headers = ["Contacts/day", *(label for _, label in aws), *(f"Azure + partner at {rate(x)}/min" for x in prices)]
    if prices:
        headers.append(f"AWS + partner, {rate(prices[0])}-{rate(prices[-1])}/min")
    rows = []
    for point in series:
        row: list[Any] = [num(point["contactsPerDay"]), *(usd(point[key]) for key, _ in aws)]
        row += [usd(v) for v in point["azureAtPrice"]]
        if prices:
            ends = point["awsPartnerAtPrice"]
            row.append(f"{usd(ends[0])} to {usd(ends[-1])}")
        rows.append(row)
    return _table(headers, rows, [True] * len(headers))


def _other_mode(rest: dict[str, Any]) -> str:
    """AWS's rest with the ground segment the spec did not choose, which its side of the decision
    carries: a partner sends no telemetry and writes manifests, Ground Station the reverse."""
    station, partner = rest["awsWithGroundStation"], rest["awsWithPartner"]
    if station is None or usd(station) == usd(partner):  # the same as shown: nothing to add
        return ""
    if rest["aws"] == station:
        return f" ({usd(partner)} with a partner network)"
    return f" ({usd(station)} with AWS Ground Station)"


def _azure_as_planned(rest: dict[str, Any]) -> str:
    """Azure's rest as the spec's own stack plans it, where that is not Azure with a partner: with
    AWS Ground Station in the spec, its telemetry hub is sized for telemetry no partner sends."""
    planned = rest.get("azureAsPlanned")
    if planned is None or usd(planned) == usd(rest["azure"]):
        return ""
    return f" with a partner network ({usd(planned)} as this spec plans it, its telemetry hub sized for AWS Ground Station's)"


def _retirement(doc: dict[str, Any]) -> Section:
    gs = doc["groundSegment"]
    paragraphs = [_c(gs["retirement"])]
    if gs["azureLegacyOrbital"]:
        paragraphs.append(
            _c(
                "This spec opts into the legacy Azure Orbital resources (clouds.azure.legacy_orbital: "
                "true): they preview but fail at deploy.",
                "bad",
            )
        )
    return Section("Ground segment: Azure Orbital retirement", paragraphs=paragraphs)


# A constellation realizes a capability with thousands of resources (a Ground Station config
# per downlink): the matrix names the first ones, compare.json and the plans hold them all.
NAMES_IN_A_CELL = 8


def _names(resources: list[dict[str, Any]]) -> str:
    shown = ", ".join(r["name"] for r in resources[:NAMES_IN_A_CELL])
    more = len(resources) - NAMES_IN_A_CELL
    return f"{shown} and {more:,} more (compare.json)" if more > 0 else shown


SYNAPSE_LAKE_DATABASE_STEP = (
    "Azure (Synapse): the catalog's lake database is a data-plane object no plan creates: create it from a Spark "
    "pool or the database designer after the first pulumi up (docs/azure.md); the plan holds the workspace and the "
    "store it reads."
)


PARTNER_GRANT_WIDER = (
    "Azure: the partner's delivery identity holds Storage Blob Data Contributor on the landing container, so it "
    "may also read, overwrite and delete what it delivered, where AWS's may only put objects under partner/: "
    "Azure has no built-in write-only blob role (docs/azure.md, where Azure's stack is more open)."
)

SYNAPSE_CATALOG_SCOPE = (
    "Azure (Synapse): the lake database's views (docs/processing.md) cover the product tables (frame_index, "
    "contact_summary); the raw captures have no table there (Athena's raw_contacts lists them): find a contact's "
    "capture files in the raw container."
)

SYNAPSE_AVRO_ARCHIVE = (
    "Azure (Synapse): the telemetry archive Event Hubs Capture writes is Avro, which serverless SQL does not read "
    "(it reads Parquet, delimited text, JSON and Delta Lake: Microsoft Learn, 'Query storage files with serverless "
    "SQL pool'), where Athena's telemetry table reads AWS's archive: read it from a Spark pool, or convert it to "
    "Parquet into products/ (docs/azure.md)."
)

# S3 Glacier Flexible Retrieval (the spec's `cold` on AWS, docs/aws.md) against Azure's Cold tier.
COLD_TIER_OFFLINE = (
    "Storage lifecycle: the spec's cold tier is S3 Glacier Flexible Retrieval on AWS, which is offline (an "
    "object is restored before it is read: 1-5 minutes expedited, 3-5 hours standard; Amazon S3 User Guide, "
    "'Understanding archive retrieval options'), and Blob Cold on Azure, which is online: the storage costs "
    "compare the two as the tiers map (docs/aws.md); S3 Glacier Instant Retrieval is S3's online class at the "
    "same 90-day minimum."
)

AWS_BUDGET_TAG_STEP = (
    "AWS: the budget counts only costs tagged mission={mission}, and AWS counts a user-defined tag only once it is "
    "activated as a cost allocation tag (Billing console, by the organization's management account or a standalone "
    "account; AWS Billing User Guide, 'Activating user-defined cost allocation tags'): until then it sees $0 and "
    "never alerts. Each alert email also confirms its SNS subscription before any alarm reaches it (docs/aws.md)."
)

# The AWS catalog's raw table, as the plan names it (<mission>-catalog-raw-contacts).
RAW_TABLE_SUFFIX = "-catalog-raw-contacts"

FLEX_PACKAGE_STEP = (
    "Azure (Functions Flex Consumption): the contact processor's app runs no code until its package is uploaded, "
    "which the plan cannot do (the account takes no shared key, and its firewall refuses the deployer): after the "
    "first pulumi up, make flex-package, upload it with Entra ID from an admitted address and restart the app "
    "(docs/processing.md, 'Not automated here'); until then nothing receives the contact queue."
)


def _realized(doc: dict[str, Any], capability: str) -> dict[str, list[dict[str, Any]]]:
    """The resources realizing `capability` on each cloud that realizes it (none when not needed)."""
    return {
        cloud: cell["resources"]
        for row in doc["parity"]["rows"]
        if row["capability"] == capability
        for cloud, cell in row["clouds"].items()
        if cell["status"] == "realized"
    }


def _synapse_engine(doc: dict[str, Any]) -> bool:
    """Whether the Azure stack's SQL engine is a Synapse workspace (not Data Explorer)."""
    return any(
        r["type"] == "azure-native:synapse:Workspace"
        for cells in (_realized(doc, c).get("azure", []) for c in ("analytics.catalog", "analytics.serverless_sql"))
        for r in cells
    )


def _priced(doc: dict[str, Any], *prefixes: str) -> bool:
    """Whether the costs hold a line priced by an id starting with each of `prefixes` (the
    tiers and services the two clouds' costs compare)."""
    clouds = doc.get("cost", {}).get("clouds", {})
    ids = [line["priceId"] for cost in clouds.values() for line in cost.get("lines", [])]
    return all(any(i.startswith(prefix) for i in ids) for prefix in prefixes)


def _synapse_catalog(doc: dict[str, Any]) -> bool:
    """Whether Azure realizes the catalog with a Synapse workspace, whose lake database is made by hand."""
    resources = _realized(doc, "analytics.catalog").get("azure", [])
    return any(r["type"] == "azure-native:synapse:Workspace" for r in resources)


NO_TELEMETRY_SENDER = {
    "aws": (
        "AWS Ground Station's telemetry sink streams only the contacts it runs (not a partner network's, nor a "
        "satellite it no longer supports)"
    ),
    "azure": (
        "only the retired Azure Orbital's contacts streamed telemetry to Event Hubs, and only given its resource "
        "provider's object id (clouds.azure.orbital.resource_provider_object_id); a partner network delivers its "
        "data to the landing zone"
    ),
}


def unsent_telemetry(doc: dict[str, Any]) -> list[str]:
    """The clouds whose telemetry stream the plan builds, and bills, with nothing in it to send to it:
    read from the row's resources (the sender is one of them), not from the spec's switches, since
    Azure Orbital sends only where its resource provider's object id was given."""

    def sends(resource: dict[str, Any]) -> bool:
        kind, name = str(resource["type"]), str(resource["name"])
        return kind == TELEMETRY_SINK_TYPE or (
            kind == "azure-native:authorization:RoleAssignment" and name.endswith(ORBITAL_TELEMETRY_GRANT)
        )

    return [
        cloud
        for cloud, resources in _realized(doc, "analytics.telemetry_stream").items()
        if not any(sends(r) for r in resources)
    ]


def unsent_telemetry_line(cloud: str) -> str:
    return (
        f"{cloud_title(cloud)}: nothing in the plan sends contact telemetry to its stream: {NO_TELEMETRY_SENDER[cloud]}. "
        "The stream is built and billed all the same: grant sending to what produces the telemetry, or set "
        "analytics.telemetry_stream: false."
    )


def _parity(doc: dict[str, Any], clouds: list[str]) -> Section:
    rows = []
    for row in doc["parity"]["rows"]:
        cells: list[Any] = [_c(f"{row['capability']}: {row['title']}"), row["layer"]]
        for c in clouds:
            cell = row["clouds"][c]
            if cell["status"] == "realized":
                cells.append(_c(_names(cell["resources"]), "ok"))
            elif cell["status"] == "gap":
                cells.append(_c(f"gap: {cell['reason']}", "gap"))
            else:
                cells.append(_c("MISSING (no resource, no declared gap)", "bad"))
        rows.append(cells)
    extras = [
        _c(f"{cloud_title(c)} also realizes capabilities this spec does not need: {', '.join(x)}")
        for c, x in doc["parity"]["notNeededButRealized"].items()
    ]
    if _synapse_catalog(doc):
        extras.append(_c(SYNAPSE_LAKE_DATABASE_STEP, "gap"))
    if any(r["type"] == "azure-native:web:WebApp" for r in _realized(doc, "processing.function").get("azure", [])):
        extras.append(_c(FLEX_PACKAGE_STEP, "gap"))
    extras += [
        _c(f"{cloud_title(c)}: the partner landing zone is built, but the partner cannot deliver yet: {warning}", "gap")
        for c in clouds
        if c in _realized(doc, "ground.partner_landing")
        for warning in doc["clouds"].get(c, {}).get("warnings", [])
        if partner_cannot_deliver(warning)
    ]
    delivery = _realized(doc, "ground.delivery_identity")
    if "aws" in delivery and any(
        r["type"] == "azure-native:authorization:RoleAssignment" for r in delivery.get("azure", [])
    ):
        extras.append(_c(PARTNER_GRANT_WIDER, "gap"))
    # a realized catalog that holds less than the other cloud's (Data Explorer: no raw table, where
    # AWS's catalog has one: none where no contact lands as objects on AWS)
    catalogs = _realized(doc, "analytics.catalog")
    if any(r["name"].endswith(RAW_TABLE_SUFFIX) for r in catalogs.get("aws", [])):
        extras += [
            _c(f"{cloud_title(c)}: {warning}", "gap")
            for c in clouds
            if c in catalogs
            for warning in doc["clouds"].get(c, {}).get("warnings", [])
            if warning.startswith(ADX_CATALOG_SCOPE)
        ]
        if _synapse_catalog(doc):
            extras.append(_c(SYNAPSE_CATALOG_SCOPE, "gap"))
    archives = _realized(doc, "analytics.telemetry_archive")
    if "aws" in archives and _synapse_engine(doc) and "azure" in archives:
        extras.append(_c(SYNAPSE_AVRO_ARCHIVE, "gap"))
    if _priced(doc, "aws.s3_glacier_flexible_gb_month", "azure.blob_cold_"):
        extras.append(_c(COLD_TIER_OFFLINE, "gap"))
    if "aws" in _realized(doc, "budget.alerts"):
        extras.append(_c(AWS_BUDGET_TAG_STEP.format(mission=doc["mission"]), "gap"))
    extras += [_c(unsent_telemetry_line(c), "gap") for c in unsent_telemetry(doc)]
    return Section(
        "Parity matrix", table=_table(["Capability", "Layer"] + [cloud_title(c) for c in clouds], rows), after=extras
    )


def _layers(doc: dict[str, Any], clouds: list[str]) -> Section:
    rows = []
    for layer in doc["layers"]:
        cells: list[Any] = [layer]
        cells += [layer_cost(doc["cost"]["clouds"][c], layer) for c in clouds]
        rows.append(cells)
    rows.append([_c("total", "strong")] + [_c(money(doc["cost"]["clouds"][c]["monthly"]), "strong") for c in clouds])
    return Section(
        "Monthly cost by layer (steady state)",
        chart="cost_by_layer",
        table=_table(["Layer"] + [cloud_title(c) for c in clouds], rows, [False] + [True] * len(clouds)),
        after=[
            x
            for c in clouds
            if (
                x := _rounding(
                    "layers", doc["cost"]["clouds"][c]["byLayer"].values(), doc["cost"]["clouds"][c]["monthly"], c
                )
            )
        ],
    )


def _rounding(parts_named: str, parts: Iterable[dict[str, Any]], whole: dict[str, Any], cloud: str) -> Cell | None:
    """Each figure is rounded to the cent from the unrounded costs, so the parts as shown (a
    month's layers, a year's months) can add up to a cent or so more or less than their total:
    said whenever they do."""
    with exact_decimals():
        shown = sum((shown_amount(t["known"]) for t in parts), Decimal(0))
    total = shown_amount(whole["known"])
    if half_up(shown, 2) == total:
        return None
    return _c(
        f"{cloud_title(cloud)}: the {parts_named} as shown add up to {usd(shown)}, the total is {usd(total)}: each "
        "figure is rounded to the cent from the unrounded line costs."
    )


CHOICES = (
    ("storageRedundancy", "Storage redundancy"),
    ("hsmKeys", "HSM keys"),
    ("messagingEncryption", "Messaging encryption"),
)


def _choice(choice: dict[str, Any]) -> str:
    value = choice["value"]
    shown = ("yes" if value else "no") if isinstance(value, bool) else value
    return f"{shown}: {money(choice['monthly'])}/month"


def _choices(doc: dict[str, Any], clouds: list[str]) -> Section:
    """What each cloud keeps of durability and security, and what each choice costs a month."""
    rows: list[list[Any]] = [
        [label] + [_choice(doc["cost"]["clouds"][c]["choices"][key]) for c in clouds] for key, label in CHOICES
    ]
    basis = [
        _c(f"{cloud_title(c)} {label.lower()}: {doc['cost']['clouds'][c]['choices'][key]['basis']}.")
        for key, label in CHOICES
        for c in clouds
    ]
    return Section(
        "Durability and security choices (monthly cost of each)",
        table=_table(["Choice"] + [cloud_title(c) for c in clouds], rows),
        after=basis,
    )


def _yaml(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _delta(t: dict[str, Any]) -> str:
    """A change of monthly cost, signed; a change made only of unknown prices is never shown as $0.
    "No change" is a change that is zero as the figures beside it are shown (`shown_amount`: four
    places under a cent): rounded to the cent, +$0.003042 read "(no change)" between $0.0038 and
    $0.0068."""
    if not t["complete"] and not t["known"]:
        return "unknown change"
    if t["complete"] and not shown_amount(t["known"]):
        return "no change"
    sign = "+" if t["known"] > 0 else "-"
    return f"{sign}{usd(abs(t['known']))}" + ("" if t["complete"] else " + unknown")


def _alternative(alt: dict[str, Any]) -> Cell:
    if not alt["valid"]:
        return _c("not a valid spec", "gap")
    option = alt["option"]
    shown = ("yes" if option else "no") if isinstance(option, bool) else option
    delta = _delta(alt["delta"])
    change = "the spec's choice" if alt["chosen"] else delta if delta == "no change" else f"{delta} a month"
    return _c(f"{shown}: {money(alt['monthly'])}/month ({change})", "strong" if alt["chosen"] else "")


def _keys_priced(choices: dict[str, Any]) -> int:
    """The customer-managed keys a cloud's alternatives are priced with: the most any valid value
    of security.hsm_keys prices by the month (with software-protected keys the same keys exist,
    unbilled by the month), e.g. the mission key."""
    return max((alt["keys"] for alt in choices["hsmKeys"]["alternatives"] if alt["valid"]), default=0)


def _in_words(count: int, noun: str) -> str:
    """`one key`, `two keys`, `3 keys`: the small counts of an assumption, said as words."""
    return f"{ {1: 'one', 2: 'two'}.get(count, str(count)) } {noun}{'' if count == 1 else 's'}"


def _keys_text(count: int) -> str:
    return _in_words(count, "key") if count else "no customer-managed key"


def _units_text(choices: dict[str, dict[str, Any]], clouds: list[str]) -> list[str]:
    """The Premium units the alternatives price, the most any valid value prices: none where no
    valid value is Premium (without customer-managed keys), and each namespace's unit by name."""
    most: dict[str, int] = {}
    for cloud in clouds:
        for alt in choices[cloud]["messagingEncryption"]["alternatives"]:
            for name, count in (alt["premiumUnits"] or {}).items():
                most[name] = max(most.get(name, 0), count)
    words = dict(PREMIUM_UNITS.values())
    return [_in_words(n, words[name]) for name, n in most.items() if n]


def _no_plan_counts(choices: dict[str, dict[str, Any]], clouds: list[str]) -> str:
    """The counts the alternatives assume without a plan, read from what they price: a key count
    said as one where a Data Explorer stack prices two, or a messaging unit where no value is
    Premium, was not what the table showed."""
    keys = {c: _keys_priced(choices[c]) for c in clouds}
    if len(set(keys.values())) == 1:
        said = _keys_text(next(iter(keys.values())))
        said += "" if len(clouds) == 1 or not keys[clouds[0]] else " on each cloud"
    else:
        said = " and ".join(f"{_keys_text(n)} on {cloud_title(c)}" for c, n in keys.items())
    units = _units_text(choices, clouds)
    return f"no plan: {'; '.join([said, ' and '.join(units)] if units else [said])} assumed"


def _alternatives(doc: dict[str, Any], clouds: list[str]) -> Section:
    """Every value of each choice's spec field, per cloud, with what it adds or saves a month."""
    choices = {c: doc["cost"]["clouds"][c]["choices"] for c in clouds}
    rows: list[list[Any]] = []
    said: dict[tuple[str, str, str], list[str]] = {}  # (cloud, field, note) -> the values it holds for
    for key, label in CHOICES:
        field = choices[clouds[0]][key]["field"]
        for i, alt in enumerate(choices[clouds[0]][key]["alternatives"]):
            cells = [choices[c][key]["alternatives"][i] for c in clouds]
            rows.append([label, f"{field}: {_yaml(alt['value'])}"] + [_alternative(x) for x in cells])
            for c, mine in zip(clouds, cells, strict=True):
                gaps = (f"declared gap {g['capability']}: {g['reason']}" for g in mine["gaps"])
                for note in (*mine["notes"], *gaps):
                    said.setdefault((c, field, note), []).append(_yaml(alt["value"]))
    return Section(
        "What each alternative would cost",
        paragraphs=[
            _c(
                "Each value of the field priced by the cost model on the spec with only that field changed "
                f"({_no_plan_counts(choices, clouds)}), against the spec's value priced the same way."
            )
        ],
        table=_table(["Choice", "Spec value"] + [cloud_title(c) for c in clouds], rows),
        after=[
            _c(f"{cloud_title(c)}, {field}: {' or '.join(values)}: {note}.")
            for (c, field, note), values in said.items()
        ],
    )


def _archives_streams(cost: dict[str, Any], clouds: list[str]) -> bool:
    """Whether a stream archive runs on a cloud: a Firehose or Event Hubs Capture line with a
    quantity (Firehose's GB of telemetry sent; Capture's units on a hub that receives a stream)."""
    return any(
        ("Firehose" in line["item"] or "Capture" in line["item"]) and line["quantity"]
        for c in clouds
        for line in cost["clouds"][c]["lines"]
    )


def _projection(doc: dict[str, Any], clouds: list[str]) -> Section:
    cost = doc["cost"]
    rows = []
    for i in range(cost["projectionMonths"]):
        cells: list[Any] = [i + 1]
        for c in clouds:
            p = cost["clouds"][c]["projection"][i]
            cells += [money(p), usd(p["storageKnown"])]
        rows.append(cells)
    rows.append(
        [_c("12 months", "strong")]
        + [x for c in clouds for x in (_c(money(cost["clouds"][c]["projectionTotal"]), "strong"), "")]
    )
    headers = ["Month"] + [h for c in clouds for h in (f"{cloud_title(c)} total", f"{cloud_title(c)} storage")]
    steady = ", ".join(f"{tier} {num(gb)} GB" for tier, gb in cost["usage"]["storageSteadyGb"].items() if gb)
    months = cost["usage"]["storageGbByMonth"]
    tiers = held_tiers(months)
    figures = _table(
        ["Month", *(f"{tier} GB" for tier in tiers)],
        [[m["month"], *(num(m["average"].get(t, 0.0)) for t in tiers)] for m in months],
        [True] * (len(tiers) + 1),
    )
    return Section(
        "12-month projection (storage accumulates until retention)",
        chart="storage_growth",
        figures=figures,
        table=_table(headers, rows, [True] * len(headers)),
        after=[
            _c(
                f"Storage held at steady state, by the spec's lifecycle: {steady} (decimal GB, before the deleted "
                "data each cloud still keeps; the capacity lines bill binary GB)."
                if steady
                else "No raw files or products are held: no contact delivers objects and nothing writes products"
                + (
                    "; the files the stream archives write (Firehose, Event Hubs Capture) are not in these figures."
                    if _archives_streams(cost, clouds)
                    else "."
                )
            ),
            *(
                x
                for c in clouds
                if (x := _rounding("months", cost["clouds"][c]["projection"], cost["clouds"][c]["projectionTotal"], c))
            ),
        ],
    )


def _price(line: dict[str, Any]) -> str:
    if line["price"] is None:
        return "unknown"
    return rate(line["price"]) + (f" per {num(line['per'])}" if line["per"] != 1 else "")


def _lines(doc: dict[str, Any], cloud: str) -> Section:
    rows = [
        [
            x["layer"],
            x["item"],
            num(x["quantity"]),
            x["unit"],
            _price(x),
            _c(usd(x["cost"]), "gap" if x["cost"] is None else ""),
            x["basis"],
        ]
        for x in doc["cost"]["clouds"][cloud]["lines"]
    ]
    return Section(
        f"{cloud_title(cloud)} cost lines (steady-state month)",
        table=_table(
            ["Layer", "Item", "Quantity", "Unit", "Price", "Cost", "Basis"],
            rows,
            [False, False, True, False, True, True, False],
        ),
    )


def _supply(doc: dict[str, Any], clouds: list[str]) -> Section:
    bullets = [
        _c(f"{s['priceId']} ({s['item']}): {s['supply']}") for c in clouds for s in doc["cost"]["clouds"][c]["toSupply"]
    ]
    if not bullets:
        return Section("Prices to supply", bullets=[_c("Nothing: every price used is known.")])
    return Section(
        "Prices to supply",
        bullets=bullets,
        after=[
            # the command is a cell of its own: a code span inside a sentence was escaped as text,
            # and report.html showed its backticks
            _c(
                "Put them in a prices file, each as <cloud>: <price id>: {price, source, date}, and run this "
                "(docs/compare.md):"
            ),
            _c(f"groundlink compare {_shell_word(doc['spec'])} --out DIR --prices FILE", "code"),
        ],
    )


def _shell_word(text: str) -> str:
    """`text` as one word a POSIX shell reads back as it is: quoted as shlex does, or, holding a
    control character (an ESC or a newline in a spec's name), in bash's $'...' with that character
    as its escape. shlex's single quotes kept it raw, and the report, which shows every control
    character as its escape, then gave a command naming another file."""
    if text.isprintable():
        return shlex.quote(text)
    return "$'" + "".join(_ansi_c(c) for c in text) + "'"


def _ansi_c(c: str) -> str:
    """One character inside bash's $'...': a backslash and a quote escaped, a control or format
    character as the `\\xHH` escapes of its UTF-8 bytes, anything else as it is. Bytes, not
    `\\uHHHH`: bash turns a `\\u` escape into the locale's encoding, and under LC_ALL=C it left
    `\\u2028` as those six characters, a command naming another file. A byte of a name that is not
    UTF-8 (read as U+DC80-U+DCFF) is that byte."""
    if c in "\\'":
        return "\\" + c
    if c.isprintable():
        return c
    code = ord(c)
    data = bytes([code - 0xDC00]) if 0xDC80 <= code <= 0xDCFF else c.encode("utf-8", "surrogatepass")
    return "".join(f"\\x{byte:02x}" for byte in data)


def _source(price: dict[str, Any]) -> str:
    """A price's source, tagged secondary once: a catalog source may already say so."""
    source = str(price["source"])
    return source + (" (secondary)" if price["secondary"] and "(secondary)" not in source else "")


def _sources(doc: dict[str, Any]) -> Section:
    """Each price a figure rests on, with what a buyer checks it by: its free allowance and the
    catalog's caveat on it (a figure in doubt, a date that is another source's) beside its source."""
    rows = [
        [
            _c(p["priceId"], "code"),
            _price(p),
            p["unit"],
            num(p["freePerMonth"]) if p["freePerMonth"] else "",
            p["region"],
            _source(p) + (f"; note: {p['note']}" if p["note"] else ""),
            p["date"],
        ]
        for p in doc["prices"]
        if p["used"]
    ]
    unused = unused_overrides(doc)
    return Section(
        "Price sources and dates",
        table=_table(
            ["Price", "Value", "Unit", "Free a month", "Region", "Source", "Date"],
            rows,
            [False, True, False, True, False, False, False],
        ),
        after=[_c(unused_overrides_line(unused), "gap")] if unused else [],
    )


def unused_overrides(doc: dict[str, Any]) -> list[str]:
    """The price ids a --prices file overrode that no cost line of this spec uses: known ids (an
    unknown one is refused), but of another configuration, such as blob_hot_gb_month, the LRS
    reference price, where the mission's account is ZRS. Silent, they looked applied."""
    return [p["priceId"] for p in doc["prices"] if not p["used"] and OVERRIDE_MARK in (p["source"] or "")]


def unused_overrides_line(ids: list[str]) -> str:
    """Which overrides changed nothing, and why that can be: an id is the price of another
    configuration (blob_hot_gb_month, the LRS reference price) or of what no cost line prices
    (s3_get_requests: the processor's reads are not modelled)."""
    return (
        f"Price overrides no cost line of this spec uses: {', '.join(ids)} (each is the price of another "
        'configuration, or of what groundlink does not price: docs/compare.md, "Not modelled"; the lines and '
        "their price ids are in compare.json, cost.clouds.*.lines)"
    )


# The coverage table's columns per cloud: compare.json key, header, decimals (one precision a column).
COVERAGE_COLUMNS = (
    ("contactsPerDay", "contacts/day", 2),
    ("minutesPerDay", "minutes/day", 1),
    ("longestGapHours", "longest gap h", 2),
    ("contactsOfPlannedLengthPerDay", "contacts/day of planned length", 2),
    ("longestPassMinutes", "longest pass min", 2),
)


def coverage_warnings(doc: dict[str, Any]) -> list[str]:
    """What the coverage estimate found the spec's contact plan cannot have."""
    return list((doc["coverage"] or {}).get("warnings", []))


# The statuses whose contact plan was judged, or is said apart ("needs TLE", one line for all).
CHECKED_STATUSES = ("estimated", "needs TLE", NO_SITE_TAKES)
# Coverage warnings the summary and the terminal show in full, and past that how many they show
# before counting the rest: a satellite gets up to three on AWS (contacts a day, passes of the
# planned length, a Dubbo share; or one: no site takes it) and two on Azure, and a constellation
# of 400 whose passes were all too short printed 800 above the costs; the Contact coverage
# section lists every one.
WARNINGS_IN_FULL = 12
WARNINGS_SHOWN = 3


def coverage_warnings_shown(doc: dict[str, Any]) -> list[str]:
    """Every coverage warning up to WARNINGS_IN_FULL; past that the first WARNINGS_SHOWN and a
    line counting the rest, with how many satellites they are of."""
    warnings = coverage_warnings(doc)
    if len(warnings) <= WARNINGS_IN_FULL:
        return warnings
    rest = len(warnings) - WARNINGS_SHOWN
    # each warning opens with its satellite's name ("eo01 on AWS: ..."): the satellites warned of,
    # not every satellite of the spec (24 were counted where 3 had TLE lines and all the warnings)
    names = {s["satellite"] for s in (doc["coverage"] or {}).get("satellites", [])}
    satellites = len(names & {w.split(" on ", 1)[0] for w in warnings})
    counted_rest = (
        f"{rest:,} more coverage warnings ({counted(satellites, 'satellite')} in all): the report's Contact coverage "
        "section and compare.json's coverage.warnings list every one"
    )
    return [*warnings[:WARNINGS_SHOWN], counted_rest]


def prices_elsewhere(doc: dict[str, Any]) -> list[str]:
    """Where a cloud's total rests on prices of another region than its stack's: the report's
    assumptions named each, and the totals above them said nothing (an af-south-1 stack priced
    almost whole at us-east-1 figures)."""
    said = []
    for cloud, cost in doc["cost"]["clouds"].items():
        if cost["otherRegions"]:
            said.append(
                f"{cloud_title(cloud)} runs in {cost['region']}; {counted(len(cost['otherRegions']), 'price')} its "
                "total rests on are another region's figures or state no region (the report names each, under "
                "Assumptions): give your region's with --prices"
            )
    return said


def coverage_not_estimated(doc: dict[str, Any]) -> list[str]:
    """Where coverage could not be estimated, so the contact plan was not checked: said in the
    summary and on the terminal as the warnings are. Only the coverage table said it, and a
    spec without TLE lines, or a GEO one, compared with nothing on the terminal to say that
    `contacts_per_day` had gone unchecked. Satellites without TLE lines share one line."""
    satellites = (doc["coverage"] or {}).get("satellites", [])
    lines = []
    without_tle = [s["satellite"] for s in satellites if any(e["status"] == "needs TLE" for e in s["clouds"].values())]
    if without_tle:
        lines.append(
            f"not estimated for {counted(len(without_tle), 'satellite')} without TLE lines ({some_of(without_tle)}; "
            "satellites[].tle): ground_segment.contacts_per_day is not checked against the ground stations"
        )
    # the other statuses, one line per kind of reason and clouds: a spec of 500 GEO satellites
    # printed 500 lines
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for sat in satellites:
        # a satellite no site can take is checked, and warned of (coverage.warnings)
        others = [e["status"] for e in sat["clouds"].values() if e["status"] not in CHECKED_STATUSES]
        for status in dict.fromkeys(others):
            clouds = " and ".join(cloud_title(c) for c, e in sat["clouds"].items() if e["status"] == status)
            groups.setdefault((status.split(" (")[0], clouds), []).append((sat["satellite"], status))
    for (kind, clouds), found in groups.items():
        if len(found) == 1:
            name, said = found[0]
        else:
            name = f"{counted(len(found), 'satellite')} ({some_of([n for n, _ in found])})"
            said = f"{kind} (the coverage table gives each one's reason)"
        lines.append(f"{name} on {clouds}: {said}; ground_segment.contacts_per_day is not checked")
    return lines


# A TLE whose epoch is further than this from the run, before it or after it, describes no week
# to come: the estimate is of the week after its epoch.
STALE_TLE_DAYS = 30


def coverage_dated(doc: dict[str, Any]) -> list[str]:
    """When an estimate is of a week long past: it is made for the week after each TLE's epoch
    (an element set is good for days), with today's site catalog, and only the method paragraph
    said so; a 2017 TLE gave 2017's passes over sites AWS opened since, with no word. An epoch
    years after the run (a year typed 56 for 26: the spec reads 00-56 as 2000-2056) is as far
    from the weeks to come, and an element set is fitted to past observations."""
    run = _day(doc["generatedAt"])
    old = []
    for sat in (doc["coverage"] or {}).get("satellites", []):
        window = sat.get("window")
        if window and clouds_estimated(sat) and abs(age := (run - _day(window["from"])).days) > STALE_TLE_DAYS:
            when = f"{age:,} days before" if age > 0 else f"{-age:,} days after"
            old.append(f"{sat['satellite']} from {window['from'][:10]}, {when} this run")
    if not old:
        return []
    return [
        f"estimated for the week after each TLE's epoch, not the weeks to come ({some_of(old)}), over today's "
        "site catalog: refresh satellites[].tle for a current estimate"
    ]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _no_usable_site(cov: dict[str, Any], cloud: str) -> str:
    """A cloud's sites line when no satellite can use any of its sites: the catalog places some,
    which take none of the satellites (named below, with why), or it places none."""
    titles = cov["networks"][cloud]
    placed = any(
        set(n["sites"]) - set(n["withoutCoordinates"]) for n in cov.get("catalog", {}).values() if n["title"] in titles
    )
    return "none that can take a satellite's contacts (below)" if placed else "none in the site catalog"


def _coverage(doc: dict[str, Any], clouds: list[str]) -> Section:
    cov = doc["coverage"]
    if not cov:
        return Section("Contact coverage", paragraphs=[_c("Not estimated.")])
    rows = []
    for sat in cov["satellites"]:
        cells: list[Any] = [sat["satellite"]]
        for c in clouds:
            e = sat["clouds"][c]
            cells += (
                [fixed(e[key], decimals) for key, _, decimals in COVERAGE_COLUMNS]
                if e["status"] == "estimated"
                else [_c(e["status"], "gap")] + [""] * (len(COVERAGE_COLUMNS) - 1)
            )
        rows.append(cells)
    headers = ["Satellite"] + [f"{cloud_title(c)} {title}" for c in clouds for _, title, _ in COVERAGE_COLUMNS]
    # the network a cloud's contacts come through, named: "AWS sites: Alice Springs" read as AWS's own
    sites = [
        _c(
            f"{cloud_title(c)} sites ({', '.join(cov['networks'][c]) or 'a partner network the catalog does not hold'}): "
            f"{', '.join(cov['sites'][c]) or _no_usable_site(cov, c)}"
        )
        for c in clouds
    ]
    # the sites a satellite's figures leave out (a band or a capability they lack): the sites line
    # names every site some satellite can use
    # (one line for the satellites a cloud's figures leave out the same sites for: a constellation
    # of 400 alike wrote 400)
    without: dict[tuple[str, str], list[str]] = {}
    for sat in cov["satellites"]:
        for c in clouds:
            if sat["clouds"][c].get("withoutSites"):
                why = "; ".join(f"{w['site']} ({w['reason']})" for w in sat["clouds"][c]["withoutSites"])
                without.setdefault((c, why), []).append(sat["satellite"])
    sites += [
        _c(f"{some_of(names)} on {cloud_title(c)}: estimated without {why}") for (c, why), names in without.items()
    ]
    # only the networks a cloud's contacts come through: a note on a network neither cloud uses
    # (Viasat's sites under a spec on AWS Ground Station and RBC Signals) read as a gap of the figures
    used = {title for c in clouds for title in cov["networks"][c]}
    unplaced = [
        _c(f"{n['title']}: {', '.join(n['withoutCoordinates'])} listed without coordinates (no source gives them)")
        for n in cov.get("catalog", {}).values()
        if n["withoutCoordinates"] and n["title"] in used
    ]
    # what the catalog says of its own sites (coordinates only approximate, sites it leaves out),
    # for the networks the figures come from: it was in compare.json only
    notes = [
        _c(f"{n['title']}: {n['note']}") for n in cov.get("catalog", {}).values() if n["note"] and n["title"] in used
    ]
    warnings = [_c(w, "gap") for w in coverage_warnings(doc)]
    return Section(
        "Contact coverage",
        paragraphs=[_c(cov["method"]), *warnings],
        table=_table(headers, rows, [False] + [True] * (len(headers) - 1)),
        after=[*sites, *unplaced, *notes, _c(f"Sites: {cov['source']}")],
    )


def _warnings(doc: dict[str, Any], clouds: list[str]) -> Section:
    bullets = []
    for c in clouds:
        data = doc["clouds"][c]
        # a warning that is a gap's reason is said once, as the gap, which names its capability
        reasons = set(data["gaps"].values())
        bullets += [_c(f"{cloud_title(c)} warning: {w}", "bad") for w in data["warnings"] if w not in reasons]
        bullets += [_c(f"{cloud_title(c)} gap {cap}: {reason}", "gap") for cap, reason in data["gaps"].items()]
        if not data["warnings"] and not data["gaps"]:
            bullets.append(_c(f"{cloud_title(c)}: no warnings, no gaps."))
    return Section("Plan warnings and gaps", bullets=bullets)


def _policy(doc: dict[str, Any], clouds: list[str]) -> Section:
    policy = doc["policy"]
    if not policy["available"]:
        return Section("Policy", paragraphs=[_c(f"Policy results not available: {policy['reason']}", "gap")])
    bullets = []
    for c in clouds:
        result = policy["clouds"].get(c)
        if result is None:
            continue
        bullets.append(
            _c(
                f"{cloud_title(c)}: {result['violations']} mandatory violation(s), "
                f"{result['advisories']} advisory finding(s)",
                "bad" if result["violations"] else "ok",
            )
        )
        bullets += [
            _c(
                f"{cloud_title(c)} [{f['level']}] {f['policy']} on {f['resource']}: {f['message']}",
                "bad" if f["level"] == "mandatory" else "gap",
            )
            for f in result["findings"]
        ]
        # what the summary counts as findings the clouds would refuse, each said (groundlink preflight)
        bullets += [_c(f"{cloud_title(c)} [preflight] {finding}", "bad") for finding in result.get("preflight", [])]
    return Section("Policy", paragraphs=[_c(policy["summary"])], bullets=bullets)


# Planned resources the cost model gives no line, by the capability they realize and their type,
# and why (docs/compare.md "Not modelled" names them too): no price is made up for them, and a
# reader of the cost lines alone would not know they are there.
UNPRICED_RESOURCES = {
    ("processing.container_job", "aws:pipes/pipe:Pipe"): (
        "the EventBridge pipe that submits one Batch job per queue message: EventBridge Pipes requests have "
        "no price in the catalog"
    ),
    ("events.dead_letter", "aws:cloudwatch/eventRule:EventRule"): (
        "the second EventBridge rule, sending failed Batch jobs' state events to the dead-letter queue: "
        "its events are not counted"
    ),
}


def unpriced_resources(doc: dict[str, Any]) -> list[str]:
    """A sentence per planned resource of UNPRICED_RESOURCES, read from the parity rows (the plan's
    resources): the processing.mode: container_job stack's pipe and failed-jobs rule had no cost
    line and were named nowhere."""
    return [
        f"Not priced: {cloud_title(cloud)} {resource['name']}, {why}."
        for (capability, kind), why in UNPRICED_RESOURCES.items()
        for cloud, resources in _realized(doc, capability).items()
        for resource in resources
        if resource["type"] == kind
    ]


def _assumptions(doc: dict[str, Any]) -> Section:
    return Section(
        "Assumptions taken from the spec",
        bullets=[
            *(_c(w, "bad") for w in doc["cost"]["warnings"]),
            *(_c(a) for a in doc["cost"]["assumptions"] + doc["cost"]["notes"]),
            *(_c(x) for x in unpriced_resources(doc)),
        ],
    )


def sections(doc: dict[str, Any]) -> list[Section]:
    clouds = list(doc["clouds"])
    return [
        _summary(doc, clouds),
        _decision(doc),
        _retirement(doc),
        _parity(doc, clouds),
        _layers(doc, clouds),
        _choices(doc, clouds),
        _alternatives(doc, clouds),
        _projection(doc, clouds),
        *[_lines(doc, c) for c in clouds],
        _supply(doc, clouds),
        _assumptions(doc),
        _sources(doc),
        _coverage(doc, clouds),
        _warnings(doc, clouds),
        _policy(doc, clouds),
        *([_changes(doc)] if doc.get("diff") else []),
    ]


def _risk(change: dict[str, Any]) -> Cell:
    """Why a change loses data, with the property change that does it; empty when it loses none."""
    if change["dataLoss"]:
        how = "deleted" if change["action"] == "delete" else "replaced"
        if change["irreplaceable"]:  # of the retired Azure Orbital Ground Station
            return _c(f"{how}, and it cannot be created again (retired service)", "bad")
        return _c(f"data loss: stateful resource {how}", "bad")
    reasons = []
    if change["retentionsShortened"]:
        # as the refusal's line gives them: a lifecycle rule widened has no property change of
        # its own, and its values (`without end => 1825`) were left out
        shown = [f"{r['path']}: {r['old']} => {r['new']}" for r in change["retentionsShortened"]]
        reasons.append(f"retention shortened, data deleted sooner ({', '.join(shown)})")
    if change["unprotects"]:
        reasons.append("protection removed (protect, retainOnDelete): the next delete takes its data")
    return _c("; ".join(reasons), "bad" if reasons else "")


def _diff_summary(cloud: dict[str, Any]) -> str:
    """The cloud's counts as the terminal gives them, the inputs OLD could not be compared on
    included (the report had left them out)."""
    from ..diff.preview_text import counts_text

    summary = cloud["summary"]
    return f"{cloud['cloud']}: {counts_text(summary, summary['unchanged'], summary['notCompared'])}"


def _not_compared_row(cloud: str, item: dict[str, Any]) -> list[Any]:
    """An input OLD could not be compared on (a secret, an archive known by its hash only): the
    summary counted it, and a row names it (the report had named only the refused ones)."""
    held = f"{item['path']} is {item['value']} in OLD, not compared ({item['why']})"
    if item["mayReplace"]:
        action, reason = "may replace", _c(f"data loss if it differs: {held}", "bad")
    elif item["mayShortenRetention"]:
        action, reason = "may delete sooner", _c(f"data deleted sooner if lower: {held}", "bad")
    else:
        action, reason = "not compared", _c(held)
    return [
        _c(cloud),
        _c(action, reason.mark),
        _c(item["type"]),
        _c(item["name"]),
        # under "forced by" only an input that forces a replacement; the reason names any other
        _c(item["path"] if item["mayReplace"] else ""),
        reason,
    ]


def _changes(doc: dict[str, Any]) -> Section:
    """What applying this spec over --against OLD does, resource by resource."""
    rows = [
        [
            _c(cloud["cloud"]),
            _c(change["action"], "bad" if _risk(change).text else ""),
            _c(change["type"]),
            _c(change["name"]),
            _c(", ".join(change["forcedBy"])),
            _risk(change),
        ]
        for cloud in doc["diff"]["clouds"]
        for change in cloud["changes"]
    ]
    # every input OLD could not be compared on, one row each as the terminal lists them: a store's
    # input that forces a replacement, or a retention, OLD hides is refused as well
    rows += [
        _not_compared_row(cloud["cloud"], item) for cloud in doc["diff"]["clouds"] for item in cloud["notCompared"]
    ]
    summary = [_c(_diff_summary(cloud)) for cloud in doc["diff"]["clouds"]]
    summary += [_c(f"{cloud['cloud']}: {note}") for cloud in doc["diff"]["clouds"] for note in cloud.get("notes", [])]
    summary += [
        _c(f"{cloud}: not compared: {doc['diff']['against']} holds another cloud's stack only.", "bad")
        for cloud in doc["diff"].get("notCompared", [])
    ]
    if doc["diff"].get("refused"):
        summary.append(
            _c(
                f"Refused: {len(doc['diff']['dataLoss'])} change(s) losing data (listed below); the command exited 1. "
                "--allow-data-loss accepts it.",
                "bad",
            )
        )
    elif doc["diff"].get("dataLoss"):
        summary.append(
            _c(f"Accepted with --allow-data-loss: {len(doc['diff']['dataLoss'])} change(s) losing data.", "bad")
        )
    return Section(
        f"Changes against {doc['diff']['against']}",
        paragraphs=summary,
        table=Table(["cloud", "action", "type", "name", "forced by", "data loss"], rows, [False] * 6) if rows else None,
    )
