"""Contact coverage: how often each ground network can see each satellite, and whether that
is enough for the contacts per day the spec plans.

Passes come from `passes.py` (sgp4, every pass above the minimum elevation, AOS and LOS
refined to well under 1 s) over the sites of `data/sites.yaml`, each with its source. A
network's *contacts per day* are the distinct contacts it can offer one satellite: passes
of all its sites merged where they overlap (one satellite is received once at a time), kept
when at least `min_contact_seconds` long. Its *longest gap* is the longest time without any
of its sites in view. A satellite without TLE lines is reported as "needs TLE": orbital
elements are never made up. Pure Python: no pulumi.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sgp4.api import Satrec

from .blueprint import Blueprint
from .limits import NARROWBAND_MAX_MHZ
from .passes import DAY_S, Pass, Site, Window, predict
from .resources import package_dir

# data/ ships in the package as groundlink.data, so an installed copy finds the sites too.
SITES_FILE = package_dir("groundlink.data") / "sites.yaml"
DAYS = 7
PARTNER_NETWORKS: dict[str, list[str]] = {
    "ksat_lite": ["ksatlite"],
    "rbc_signals": ["rbc_signals"],
    "viasat_rte": ["viasat_rte"],
    "other": [],
}
# Azure has no first-party ground station since 2024-12-18: its managed-equivalent is the partner path.
AZURE_MANAGED_EQUIVALENT = ["rbc_signals", "ksatlite"]

__all__ = [
    "DAYS",
    "Site",
    "coverage_report",
    "estimate_satellite",
    "load_sites",
    "network_sites",
    "networks_for",
    "placed_sites",
]


def load_sites(path: Path = SITES_FILE) -> dict[str, Any]:
    import yaml

    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def networks_for(blueprint: Blueprint) -> dict[str, list[str]]:
    gs = blueprint.spec.ground_segment
    if gs.provider == "partner" and gs.partner is not None:
        chosen = PARTNER_NETWORKS[gs.partner.name]
        return {"aws": chosen, "azure": chosen}
    return {"aws": ["aws_ground_station"], "azure": AZURE_MANAGED_EQUIVALENT}


def network_sites(catalog: dict[str, Any], network: str, wideband: bool = False) -> tuple[list[Site], list[str]]:
    """The network's sites with coordinates (that can receive the band), and the names of those without."""
    placed, unplaced = [], []
    for s in catalog["networks"][network]["sites"]:
        if s.get("lat") is None or s.get("lon") is None:
            unplaced.append(s["name"])
        elif bool(s.get("wideband", True)) or not wideband:
            placed.append(Site(s["name"], float(s["lat"]), float(s["lon"]), bool(s.get("wideband", True))))
    return placed, unplaced


@dataclass(frozen=True)
class Contacts:
    """What a set of sites offers one satellite over a window."""

    per_day: float
    minutes_per_day: float
    longest_gap_hours: float
    by_site: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "contactsPerDay": self.per_day,
            "minutesPerDay": self.minutes_per_day,
            "longestGapHours": self.longest_gap_hours,
            "bySite": self.by_site,
        }


def merge(passes: list[Pass]) -> list[tuple[float, float]]:
    """Intervals during which at least one site sees the satellite, in time order."""
    merged: list[tuple[float, float]] = []
    for p in sorted(passes, key=lambda p: p.aos):
        if merged and p.aos <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], p.los))
        else:
            merged.append((p.aos, p.los))
    return merged


def contacts(by_site: dict[str, list[Pass]], days: float, min_contact_seconds: float) -> Contacts:
    everything = [p for site_passes in by_site.values() for p in site_passes]
    merged = merge(everything)
    usable = [(a, b) for a, b in merged if b - a >= min_contact_seconds]
    edges = [0.0] + [x for interval in merged for x in interval] + [days * DAY_S]
    gaps = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
    return Contacts(
        per_day=len(usable) / days,
        minutes_per_day=sum(b - a for a, b in merged) / 60 / days,
        longest_gap_hours=max(gaps) / 3600,
        by_site={name: len(site_passes) / days for name, site_passes in by_site.items()},
    )


def estimate_satellite(
    tle: list[str], sites: list[Site], min_elevation_deg: float, days: float = DAYS, min_contact_seconds: float = 0
) -> dict[str, Any] | None:
    """Contacts the sites offer the satellite over `days` from its TLE epoch; None if sgp4 fails."""
    sat = Satrec.twoline2rv(tle[0], tle[1])
    (per_site,) = predict([sat], sites, Window.from_epoch(tle, days), min_elevation_deg)
    if not per_site:
        return None
    return contacts(dict(zip([s.name for s in sites], per_site, strict=True)), days, min_contact_seconds).to_json()


def placed_sites(catalog: dict[str, Any], wideband: bool = False) -> list[Site]:
    """Every site of every network that has coordinates, once each (by name)."""
    unique: dict[str, Site] = {}
    for network in catalog["networks"]:
        for site in network_sites(catalog, network, wideband)[0]:
            unique.setdefault(site.name, site)
    return list(unique.values())


def _satellite(
    sat_spec: Any, catalog: dict[str, Any], networks: dict[str, list[str]], min_el: float, min_contact: float
) -> dict[str, Any]:
    wideband = any(d.bandwidth_mhz > NARROWBAND_MAX_MHZ for d in sat_spec.downlinks)
    entry: dict[str, Any] = {"satellite": sat_spec.name, "noradId": sat_spec.norad_id, "wideband": wideband}
    if not sat_spec.tle:
        needs = {"status": "needs TLE", "supply": f"satellites[{sat_spec.name}].tle in the spec"}
        entry["networks"] = {n: dict(needs) for n in catalog["networks"]}
        entry["clouds"] = {cloud: dict(needs) for cloud in networks}
        return entry
    sites = placed_sites(catalog, wideband)
    window = Window.from_epoch(sat_spec.tle, DAYS)
    (per_site,) = predict([Satrec.twoline2rv(*sat_spec.tle)], sites, window, min_el)
    passes = dict(zip([s.name for s in sites], per_site, strict=True))

    def offer(chosen: list[str]) -> dict[str, Any]:
        names = [s.name for n in chosen for s in network_sites(catalog, n, wideband)[0]]
        if not names:
            return {"status": "no sites with coordinates in the site catalog"}
        return {"status": "estimated", **contacts({n: passes[n] for n in names}, DAYS, min_contact).to_json()}

    entry["networks"] = {n: offer([n]) for n in catalog["networks"]}
    entry["clouds"] = {cloud: {**offer(chosen), "networks": chosen} for cloud, chosen in networks.items()}
    return entry


def _warnings(satellites: list[dict[str, Any]], planned: float, catalog: dict[str, Any]) -> list[str]:
    out = []
    for sat in satellites:
        for cloud, e in sat["clouds"].items():
            if e["status"] == "estimated" and e["contactsPerDay"] < planned:
                titles = " + ".join(catalog["networks"][n]["title"] for n in e["networks"])
                out.append(
                    f"{sat['satellite']} on {cloud.upper()}: the spec plans {planned:g} contacts/day, "
                    f"but {titles} can give {e['contactsPerDay']:.1f} "
                    f"(ground_segment.contacts_per_day)"
                )
    return out


def coverage_report(blueprint: Blueprint, catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    catalog = catalog or load_sites()
    spec = blueprint.spec
    gs = spec.ground_segment
    networks = networks_for(blueprint)
    satellites = [
        _satellite(sat, catalog, networks, gs.min_elevation_deg, gs.min_contact_seconds) for sat in spec.satellites
    ]
    unplaced = {n: network_sites(catalog, n)[1] for n in catalog["networks"]}
    return {
        "method": (
            f"Every pass above {gs.min_elevation_deg:g} deg elevation over {DAYS} days from each TLE's epoch "
            "(sgp4; each elevation maximum found from the sign of the elevation rate, AOS and LOS refined by "
            "root finding to well under 1 s). Contacts/day: passes of all the network's sites merged where they "
            f"overlap, at least {gs.min_contact_seconds} s long (ground_segment.min_contact_seconds): what the "
            "network can offer, not what is booked. Longest gap: the longest time no site sees the satellite. "
            f"The spec plans {gs.contacts_per_day:g} contacts/day of {gs.contact_minutes:g} min per satellite."
        ),
        "source": f"data/sites.yaml ({catalog['date']}): every site with its source",
        "days": DAYS,
        "networks": {cloud: [catalog["networks"][n]["title"] for n in chosen] for cloud, chosen in networks.items()},
        "sites": {
            cloud: [s.name for n in chosen for s in network_sites(catalog, n)[0]] for cloud, chosen in networks.items()
        },
        "catalog": {
            n: {
                "title": v["title"],
                "source": v["source"],
                "sites": [s["name"] for s in v["sites"]],
                "withoutCoordinates": unplaced[n],
                "note": v.get("note"),
            }
            for n, v in catalog["networks"].items()
        },
        "satellites": satellites,
        "warnings": _warnings(satellites, gs.contacts_per_day, catalog),
    }
