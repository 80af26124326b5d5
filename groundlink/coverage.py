"""Contact coverage: how often each cloud's ground segment can see each satellite.

Orbits come from the spec's TLE lines through sgp4 (TEME positions rotated to
Earth-fixed by Greenwich sidereal time, city-level site coordinates from
data/sites.yaml): good enough to compare networks, not to schedule. A
satellite without TLE lines is reported as "needs TLE": orbital elements are
never made up. Pure Python: no pulumi.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .blueprint import Blueprint
from .limits import NARROWBAND_MAX_MHZ

SITES_FILE = Path(__file__).resolve().parents[1] / "data" / "sites.yaml"
DAYS = 3
STEP_SECONDS = 30
EARTH_A_KM, EARTH_F = 6378.137, 1 / 298.257223563  # WGS-84
PARTNER_NETWORKS = {"ksat_lite": ["ksat"], "rbc_signals": ["rbc_signals"], "viasat_rte": [], "other": []}
# Azure has no first-party ground station since 2024-12-18: its managed-equivalent is the partner path.
AZURE_MANAGED_EQUIVALENT = ["rbc_signals", "ksat"]


@dataclass(frozen=True)
class Site:
    name: str
    lat: float
    lon: float
    wideband: bool = True


def load_sites(path: Path = SITES_FILE) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def networks_for(blueprint: Blueprint) -> dict[str, list[str]]:
    gs = blueprint.spec.ground_segment
    if gs.provider == "partner":
        chosen = PARTNER_NETWORKS[gs.partner.name]
        return {"aws": chosen, "azure": chosen}
    return {"aws": ["aws_ground_station"], "azure": AZURE_MANAGED_EQUIVALENT}


def _sites(catalog: dict[str, Any], networks: list[str], wideband: bool) -> list[Site]:
    out = []
    for network in networks:
        for s in catalog["networks"][network]["sites"]:
            site = Site(s["name"], float(s["lat"]), float(s["lon"]), bool(s.get("wideband", True)))
            if site.wideband or not wideband:
                out.append(site)
    return out


def _ecef_site(site: Site):
    import numpy as np

    lat, lon = np.radians(site.lat), np.radians(site.lon)
    e2 = EARTH_F * (2 - EARTH_F)
    n = EARTH_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    position = np.array([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1 - e2) * np.sin(lat)])
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    return position, up


def satellite_track(tle: list[str], days: float = DAYS, step_seconds: int = STEP_SECONDS):
    """Earth-fixed positions (km), one per step from the TLE epoch, or None if sgp4 fails."""
    import numpy as np
    from sgp4.api import Satrec
    from sgp4.propagation import gstime

    sat = Satrec.twoline2rv(tle[0], tle[1])
    offsets = np.arange(0, days * 86400, step_seconds) / 86400.0
    jd = np.full(offsets.shape, sat.jdsatepoch)
    fr = sat.jdsatepochF + offsets
    errors, teme, _ = sat.sgp4_array(jd, fr)
    if np.any(errors):
        return None
    theta = np.vectorize(gstime)(jd + fr)
    cos, sin = np.cos(theta), np.sin(theta)
    x = cos * teme[:, 0] + sin * teme[:, 1]
    y = -sin * teme[:, 0] + cos * teme[:, 1]
    return np.column_stack([x, y, teme[:, 2]])


def visibility(track, site: Site, min_elevation_deg: float):
    """Boolean per step: the satellite is above the site's minimum elevation."""
    import numpy as np

    position, up = _ecef_site(site)
    rel = track - position
    sin_el = rel @ up / np.linalg.norm(rel, axis=1)
    return sin_el >= np.sin(np.radians(min_elevation_deg))


def _passes(visible) -> int:
    import numpy as np

    v = visible.astype(int)
    return int(np.count_nonzero(np.diff(v) == 1) + v[0])


def estimate_satellite(
    tle: list[str], sites: list[Site], min_elevation_deg: float, days: float = DAYS
) -> dict[str, Any] | None:
    import numpy as np

    track = satellite_track(tle, days)
    if track is None:
        return None
    per_site = {s.name: visibility(track, s, min_elevation_deg) for s in sites}
    any_visible = np.any(np.vstack(list(per_site.values())), axis=0) if per_site else np.zeros(len(track), bool)
    return {
        "contactsPerDay": sum(_passes(v) for v in per_site.values()) / days,
        "minutesPerDay": float(any_visible.sum()) * STEP_SECONDS / 60 / days,
        "bySite": {name: _passes(v) / days for name, v in per_site.items()},
    }


def coverage_report(blueprint: Blueprint, catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    catalog = catalog or load_sites()
    spec = blueprint.spec
    networks = networks_for(blueprint)
    min_el = spec.ground_segment.min_elevation_deg
    satellites = []
    for sat in spec.satellites:
        wideband = any(d.bandwidth_mhz > NARROWBAND_MAX_MHZ for d in sat.downlinks)
        clouds = {}
        for cloud, chosen in networks.items():
            sites = _sites(catalog, chosen, wideband)
            if not sat.tle:
                clouds[cloud] = {"status": "needs TLE", "supply": f"satellites[{sat.name}].tle in the spec"}
            elif not sites:
                clouds[cloud] = {"status": "no sites in the site catalog"}
            else:
                result = estimate_satellite(sat.tle, sites, min_el)
                clouds[cloud] = {"status": "estimated", **result} if result else {"status": "orbit propagation failed"}
        satellites.append({"satellite": sat.name, "noradId": sat.norad_id, "wideband": wideband, "clouds": clouds})
    return {
        "method": (
            f"Passes above {min_el:g} deg elevation over {DAYS} days from each TLE's epoch "
            f"({STEP_SECONDS} s steps, sgp4); contacts/day counts passes at every site of the network "
            "(available, not booked), minutes/day the time at least one site sees the satellite. "
            f"The spec plans {spec.ground_segment.contacts_per_day:g} contacts/day of "
            f"{spec.ground_segment.contact_minutes:g} min per satellite."
        ),
        "source": f"{catalog['source']} ({catalog['date']}); data/sites.yaml",
        "networks": {cloud: [catalog["networks"][n]["title"] for n in chosen] for cloud, chosen in networks.items()},
        "sites": {cloud: [s.name for s in _sites(catalog, chosen, False)] for cloud, chosen in networks.items()},
        "satellites": satellites,
    }
