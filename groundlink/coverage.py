"""Contact coverage: how often each ground network can see each satellite, and whether that
is enough for the contacts per day the spec plans.

Passes come from `passes.py` (sgp4, every pass above the minimum elevation, AOS and LOS
refined to well under 1 s) over the sites of `data/sites.yaml`, each with its source. A
network's *contacts per day* are the distinct contacts it can offer one satellite: its
single-site passes at least `min_contact_seconds` long, no two overlapping in time (one
satellite is received once at a time, on one antenna). Its *contacts of planned length per
day* are counted alike with the spec's `contact_minutes` (see `planned_length_contacts`),
and its *longest pass* the longest single-site pass: the contact
the cost model bills must fit in one of them. Its *longest gap* is the longest time without
any of its sites in view. A satellite without TLE lines is reported as "needs TLE": orbital
elements are never made up. Pure Python: no pulumi.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sgp4.api import Satrec
from sgp4.conveniences import sat_epoch_datetime

from .blueprint import Blueprint
from .clouds import cloud_title
from .limits import DIGIF_BANDWIDTH_MHZ
from .passes import DAY_S, Pass, Site, Window, predict
from .resources import package_dir
from .rounding import exact_figure, figure, figure_under, percent, some_of

if TYPE_CHECKING:
    from .spec import GroundSegment, Satellite

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
# The status of a satellite whose networks have sites with coordinates, none of which can take its
# contacts (each named in `withoutSites`, with why): it gets no contact there, and is warned of.
NO_SITE_TAKES = "no site of its networks can take its contacts"
# AWS Ground Station's site priced apart (prices/aws.yaml), where ground_segment.dubbo_minutes_share
# takes its share of the minutes: the name the site catalog gives it.
DUBBO_SITE = "Dubbo 1"

__all__ = [
    "DAYS",
    "NO_SITE_TAKES",
    "Site",
    "coverage_report",
    "dubbo_warning",
    "estimate_satellite",
    "load_sites",
    "network_sites",
    "networks_for",
    "placed_sites",
    "planned_length_contacts",
    "planned_length_warning",
    "refused_sites",
    "site_refusal",
]


def load_sites(path: Path = SITES_FILE) -> dict[str, Any]:
    import yaml

    # libyaml's loader where PyYAML has it: the catalog is read for every report (10 ms in Python)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return data


def networks_for(blueprint: Blueprint) -> dict[str, list[str]]:
    gs = blueprint.spec.ground_segment
    if gs.provider == "partner" and gs.partner is not None:
        chosen = PARTNER_NETWORKS[gs.partner.name]
        return {"aws": chosen, "azure": chosen}
    return {"aws": ["aws_ground_station"], "azure": AZURE_MANAGED_EQUIVALENT}


def site_refusal(site: dict[str, Any], satellite: Satellite | None) -> str | None:
    """Why a catalog site cannot take `satellite`'s contacts, in words, or None (also for no
    satellite). A contact takes every downlink of the satellite at once, so the site must receive
    them all: the wideband capability where one needs it, and each downlink's centre frequency in a
    band the site documents (`downlink_mhz`; a site that documents none is taken to receive any)."""
    if satellite is None:
        return None
    if needs_wideband_sites(satellite) and not site.get("wideband", True):
        return "no wideband downlink"
    bands = site.get("downlink_mhz")
    if bands is None:
        return None
    # the centre frequency, as the sources give a band for the frequencies used: a channel's edges
    # past it (JPSS-1's 30 MHz at 7812 MHz, a public satellite Microsoft received) are not refused
    missed = [d for d in satellite.downlinks if not any(lo <= d.center_frequency_mhz <= hi for lo, hi in bands)]
    if not missed:
        return None
    received = ", ".join(f"{lo:g}-{hi:g}" for lo, hi in bands)
    return f"no downlink at {', '.join(f'{d.center_frequency_mhz:g}' for d in missed)} MHz: it receives {received} MHz"


def network_sites(
    catalog: dict[str, Any], network: str, satellite: Satellite | None = None
) -> tuple[list[Site], list[str]]:
    """The network's sites with coordinates (that can take `satellite`'s contacts, when one is
    given), and the names of those without coordinates."""
    placed, unplaced = [], []
    for s in catalog["networks"][network]["sites"]:
        if s.get("lat") is None or s.get("lon") is None:
            unplaced.append(s["name"])
        elif site_refusal(s, satellite) is None:
            placed.append(Site(s["name"], float(s["lat"]), float(s["lon"]), bool(s.get("wideband", True))))
    return placed, unplaced


def refused_sites(catalog: dict[str, Any], networks: list[str], satellite: Satellite) -> list[dict[str, str]]:
    """The sites with coordinates of `networks` that cannot take `satellite`'s contacts, and why:
    its figures leave them out."""
    return [
        {"site": s["name"], "reason": why}
        for n in networks
        for s in catalog["networks"][n]["sites"]
        if s.get("lat") is not None and s.get("lon") is not None and (why := site_refusal(s, satellite)) is not None
    ]


@dataclass(frozen=True)
class Contacts:
    """What a set of sites offers one satellite over a window."""

    per_day: float
    minutes_per_day: float
    longest_gap_hours: float
    by_site: dict[str, float]
    planned_length_per_day: float
    longest_pass_minutes: float
    # passes a day per site long enough for a contact of the planned length: what a share of the
    # contacts priced at one site (AWS's Dubbo 1) is judged against
    planned_length_by_site: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "contactsPerDay": self.per_day,
            "minutesPerDay": self.minutes_per_day,
            "longestGapHours": self.longest_gap_hours,
            "contactsOfPlannedLengthPerDay": self.planned_length_per_day,
            "longestPassMinutes": self.longest_pass_minutes,
            "bySite": self.by_site,
            "plannedLengthBySite": self.planned_length_by_site,
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


def planned_length_contacts(passes: list[Pass], contact_seconds: float) -> int:
    """How many contacts `contact_seconds` long the passes can hold: the largest set of
    single-site passes, each at least `contact_seconds` long, no two overlapping in time.

    Single-site passes, not the windows `merge` joins across sites: a contact is taken on
    one antenna. AWS Ground Station's ReserveContact names one `groundStation` with the
    contact's `startTime` and `endTime` (API reference); partner networks are modelled alike.
    So a contact cannot continue from one site's pass into another's: two 7-minute passes at
    two sites overlapping by 4 minutes make a 10-minute window in view, but hold no 10-minute
    contact. Each long-enough pass holds one contact (the pass is what is booked), and passes
    that overlap in time count once (one satellite is received once at a time). Contacts/day
    are counted so too, with `min_contact_seconds`. The largest set of pairwise
    non-overlapping intervals is found exactly by taking them in order of their end, each
    one that starts no earlier than the last one taken ends (interval scheduling)."""
    long_enough = sorted((p for p in passes if p.seconds >= contact_seconds), key=lambda p: p.los)
    count, busy_until = 0, float("-inf")
    for p in long_enough:
        if p.aos >= busy_until:
            count, busy_until = count + 1, p.los
    return count


def contacts(
    by_site: dict[str, list[Pass]], days: float, min_contact_seconds: float, contact_seconds: float = 0
) -> Contacts:
    """What the passes offer over the window [0, `days`). Passes may reach past its edges
    (`passes_around`): time in view counts only inside the window, so a pass cut by an edge is
    in view, not a gap, for its part inside; a pass is counted (per site, as a contact of the
    planned length, as the longest) in the window that holds its culmination."""
    end = days * DAY_S
    everything = [p for site_passes in by_site.values() for p in site_passes]
    inside = [(max(p.aos, 0.0), min(p.los, end)) for p in everything if p.los > 0 and p.aos < end]
    merged = merge([Pass("", a, b, a, 0.0) for a, b in inside])
    edges = [0.0] + [x for interval in merged for x in interval] + [end]
    gaps = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
    culminating = {name: [p for p in site_passes if 0 <= p.culmination < end] for name, site_passes in by_site.items()}
    counted = [p for site_passes in culminating.values() for p in site_passes]
    # contacts are counted as the planned length's are, one antenna each: passes merged across
    # sites chained two passes that do not overlap (Athens, then Svalbard, joined by Gävle's
    # between them) into one contact, so contacts/day read fewer than contacts of planned length
    return Contacts(
        per_day=planned_length_contacts(counted, min_contact_seconds) / days,
        minutes_per_day=sum(b - a for a, b in merged) / 60 / days,
        longest_gap_hours=max(gaps) / 3600,
        by_site={name: len(site_passes) / days for name, site_passes in culminating.items()},
        planned_length_per_day=planned_length_contacts(counted, contact_seconds) / days,
        longest_pass_minutes=max((p.seconds for p in counted), default=0.0) / 60,
        planned_length_by_site={
            name: planned_length_contacts(site_passes, contact_seconds) / days
            for name, site_passes in culminating.items()
        },
    )


def orbital_period_seconds(satrec: Satrec) -> float:
    return 2 * math.pi / float(satrec.no_kozai) * 60  # no_kozai: rad/min


def passes_around(satrec: Satrec, sites: Sequence[Site], window: Window, min_elevation_deg: float) -> list[list[Pass]]:
    """Passes per site over `window` and one orbital period either side, timed in seconds from
    the window's start: a pass cut by an edge of the window is found whole (its culmination may
    lie outside, where a scan of the window alone never sees it)."""
    margin = orbital_period_seconds(satrec)
    (per_site,) = predict([satrec], sites, window.widened(margin), min_elevation_deg)
    return [
        [p._replace(aos=p.aos - margin, los=p.los - margin, culmination=p.culmination - margin) for p in site]
        for site in per_site
    ]


def estimate_satellite(
    tle: list[str],
    sites: list[Site],
    min_elevation_deg: float,
    days: float = DAYS,
    min_contact_seconds: float = 0,
    contact_seconds: float = 0,
) -> dict[str, Any] | None:
    """Contacts the sites offer the satellite over `days` from its TLE epoch, as a report's network
    entry gives them; None without sites. An orbit the pass model does not hold for (not a low
    Earth orbit, under the Kármán line, one sgp4 cannot propagate) raises ValueError with the
    reason the report gives: estimated anyway, an orbit under the surface read 9.71 contacts a day
    and a geostationary one none."""
    sat = Satrec.twoline2rv(tle[0], tle[1])
    window = Window.from_epoch(tle, days)
    unfit = orbit_unfit(sat, window)
    if unfit:
        raise ValueError(f"not estimated: {unfit}")
    per_site = passes_around(sat, sites, window, min_elevation_deg)
    if not per_site:
        return None
    by_site = dict(zip([s.name for s in sites], per_site, strict=True))
    return contacts(by_site, days, min_contact_seconds, contact_seconds).to_json()


# Low Earth orbit as Space-Track.org defines it: at least 11.25 revolutions a day (a period of
# 128 minutes or less) and an eccentricity under 0.25 (Wikipedia "Low Earth orbit", citing
# Space-Track.org; docs/facts.md §3). The pass model (one elevation maximum per revolution and
# site, passes that begin and end inside the window) holds there; a GEO satellite, in view all
# week, read as never in view.
LEO_MIN_REVS_PER_DAY = 11.25
LEO_MAX_ECCENTRICITY = 0.25
# The Kármán line, 100 km above sea level (the FAI's boundary of space), "approximately where
# satellites, even on very eccentric trajectories, will decay before completing a single orbit"
# (Wikipedia, "Kármán line", read 2026-12-05; docs/facts.md §3). sgp4 fails only once a position
# is under the Earth's surface (error 6): a TLE of 16.95 rev/day without drag terms, its perigee
# at 23 km, was estimated in view 8 minutes a day.
MIN_PERIGEE_KM = 100.0
# sgp4's error codes (python-sgp4, `sgp4.api.SGP4_ERRORS`).
_SGP4_ERRORS = {
    1: "mean eccentricity outside 0-1 or semi-major axis below 0.95 Earth radii",
    2: "negative mean motion",
    3: "perturbed eccentricity outside 0-1",
    4: "negative semi-latus rectum",
    5: "unused",
    6: "the satellite has decayed",
}


def orbit_unfit(satrec: Satrec, window: Window) -> str | None:
    """Why the pass model does not hold for the satellite's orbit over `window`, or None."""
    unfit = not_low_earth_orbit(satrec)
    if not unfit:
        flight = _flight(satrec, window)
        unfit = propagation_failure(satrec, window, flight) or under_the_karman_line(satrec, window, flight)
    return unfit


def not_low_earth_orbit(satrec: Satrec) -> str | None:
    """Why the pass model does not hold for this orbit, or None for a low Earth orbit."""
    revs = float(satrec.no_kozai) * 1440 / (2 * math.pi)  # rad/min to revolutions a day
    if revs >= LEO_MIN_REVS_PER_DAY and satrec.ecco < LEO_MAX_ECCENTRICITY:
        return None
    shown = figure_under(revs, LEO_MIN_REVS_PER_DAY, 2) if revs < LEO_MIN_REVS_PER_DAY else figure(revs, 2)
    eccentricity = (
        figure_under(satrec.ecco, LEO_MAX_ECCENTRICITY, 3)
        if satrec.ecco < LEO_MAX_ECCENTRICITY
        else figure(satrec.ecco, 3)
    )
    return (
        f"not a low Earth orbit ({shown} rev/day, eccentricity {eccentricity}); passes are estimated for "
        f"LEO only (at least {LEO_MIN_REVS_PER_DAY:g} rev/day and eccentricity under {LEO_MAX_ECCENTRICITY:g})"
    )


def under_the_karman_line(satrec: Satrec, window: Window, flight: _Flight | None = None) -> str | None:
    """Why an orbit sgp4 propagates cannot be flown, or None: its perigee (of the mean elements,
    above the equatorial radius) is under MIN_PERIGEE_KM, or the propagated orbit sinks under it
    within the span `passes_around` propagates. The mean perigee alone let a decaying orbit's
    last element set (16.3 rev/day and a drag term) be estimated all week, though it went under
    the line on its sixth day: sgp4 keeps propagating down to the surface."""
    perigee_km = float(satrec.altp) * float(satrec.radiusearthkm)
    if perigee_km < MIN_PERIGEE_KM:
        return (
            f"its perigee is {figure_under(perigee_km, MIN_PERIGEE_KM, 0)} km up, under the "
            f"{MIN_PERIGEE_KM:g} km Kármán line, where a satellite decays before completing an orbit"
        )
    import numpy as np

    flight = flight or _flight(satrec, window)
    altitude = flight.radius - float(satrec.radiusearthkm)
    under = np.flatnonzero(flight.ok & (altitude < MIN_PERIGEE_KM))
    if not under.size:
        return None
    first = int(under[np.argmin(flight.minutes[under])])
    return (
        f"it sinks under the {MIN_PERIGEE_KM:g} km Kármán line {_when(flight.minutes[first])} "
        f"({figure_under(float(altitude[first]), MIN_PERIGEE_KM, 0)} km up), where a satellite decays "
        "before completing an orbit"
    )


@dataclass(frozen=True)
class _Flight:
    """sgp4's answers over the span `passes_around` propagates: every 10 minutes, and at each
    perigee low enough to matter, found to the millisecond."""

    minutes: Any
    errors: Any
    positions: Any

    @property
    def radius(self) -> Any:
        import numpy as np

        return np.linalg.norm(self.positions, axis=1)

    @property
    def ok(self) -> Any:
        """Where sgp4 gave a position: no error, and a number (it reports none for a TLE field it
        could not read, only positions of NaN)."""
        import numpy as np

        return (self.errors == 0) & np.isfinite(self.positions).all(axis=1)


def _flight(satrec: Satrec, window: Window) -> _Flight:
    """The orbit over the window and the orbital period either side, sampled every 10 minutes
    and at the lowest point within 10 minutes of each lowest sample: an orbit whose perigee dips
    under the surface fails for seconds at a time there (error 6), between samples 10 minutes
    apart, and was estimated as if whole."""
    import numpy as np

    margin = math.ceil(orbital_period_seconds(satrec) / 600) * 10.0  # minutes, on the epoch's 10-minute grid
    coarse = np.arange(-margin, window.days * 1440 + margin + 10, 10.0)
    errors, positions = _propagated(satrec, window, coarse)
    radius = np.linalg.norm(positions, axis=1)
    # a sample 10 minutes from a perigee under the surface is within 7% of the Earth's radius of it
    # for any orbit the model takes (eccentricity under 0.25: Kepler's equation gives 1.064 at
    # most), so only the lowest samples under 1.1 radii are looked at closer (the Kármán line is
    # 1.016 radii up)
    lowest = (
        np.flatnonzero(
            (radius[1:-1] <= radius[:-2]) & (radius[1:-1] <= radius[2:]) & (radius[1:-1] < 1.1 * satrec.radiusearthkm)
        )
        + 1
    )
    if not lowest.size:
        return _Flight(coarse, errors, positions)
    # the lowest point, and a second either side of it: a dip lasts 4 s and more
    low = _lowest_between(satrec, window, coarse[lowest] - 10.0, coarse[lowest] + 10.0)
    fine = np.concatenate([low - 1 / 60, low, low + 1 / 60])
    fine_errors, fine_positions = _propagated(satrec, window, fine)
    return _Flight(
        np.concatenate([coarse, fine]),
        np.concatenate([errors, fine_errors]),
        np.concatenate([positions, fine_positions]),
    )


def _when(minutes: float) -> str:
    hours = minutes / 60
    return f"{figure(hours, 1)} h after its epoch" if hours >= 0 else f"{figure(-hours, 1)} h before its epoch"


def propagation_failure(satrec: Satrec, window: Window, flight: _Flight | None = None) -> str | None:
    """sgp4's first error over the span `passes_around` propagates, or None: a decayed orbit
    gave no positions, read as never in view."""
    import numpy as np

    flight = flight or _flight(satrec, window)
    failed = np.flatnonzero(~flight.ok)
    if not failed.size:
        return None
    first = int(failed[np.argmin(flight.minutes[failed])])
    code = int(flight.errors[first])
    at_epoch_errors, at_epoch = _propagated(satrec, window, np.zeros(1))
    if at_epoch_errors[0] != 0 or not np.isfinite(at_epoch).all():
        when = "at its epoch"  # its elements themselves: no time of the window is propagated
        code = int(at_epoch_errors[0])
    else:
        when = _when(float(flight.minutes[first]))
    why = _SGP4_ERRORS.get(code, "unknown") if code else "its position is not a number"
    return f"sgp4 cannot propagate the TLE {when} (error {code}: {why})"


def _lowest_between(satrec: Satrec, window: Window, start: Any, end: Any) -> Any:
    """The minute of the lowest point between each `start` and `end`, by golden-section search
    (60 propagations for each where sampling every 2 s took 600): the radius has one low there, a
    perigee, and a time sgp4 cannot propagate counts as lower than any (error 6 is a radius
    under the Earth's)."""
    import numpy as np

    def radius(minutes: Any) -> Any:
        errors, positions = _propagated(satrec, window, minutes)
        value = np.linalg.norm(positions, axis=1)
        return np.where((errors != 0) | ~np.isfinite(value), 0.0, value)

    ratio = (math.sqrt(5) - 1) / 2
    low, high = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
    for _ in range(30):  # 20 minutes narrowed to under a millisecond
        left, right = high - ratio * (high - low), low + ratio * (high - low)
        lower_left = radius(left) < radius(right)
        low, high = np.where(lower_left, low, left), np.where(lower_left, right, high)
    return (low + high) / 2


def _propagated(satrec: Satrec, window: Window, minutes: Any) -> tuple[Any, Any]:
    """sgp4's error codes and positions at `minutes` after the TLE's epoch."""
    import numpy as np

    errors, positions, _ = satrec.sgp4_array(np.full_like(minutes, window.jd), window.fraction + minutes / 1440)
    return errors, positions


def window_dates(satrec: Satrec, window: Window) -> dict[str, str]:
    """The UTC week the figures are for (ISO 8601, to the minute). The estimate starts at the
    TLE's epoch (`Window.from_epoch`), not at the run's date, so the report says which week it
    is: a TLE years old gives that week's figures without a word otherwise, and a user reads
    them as the weeks to come."""
    start: datetime = sat_epoch_datetime(satrec) + timedelta(seconds=30)  # rounded to the minute

    def at(days_after_epoch: float) -> str:
        return (start + timedelta(days=days_after_epoch)).strftime("%Y-%m-%dT%H:%MZ")

    return {"from": at(0), "to": at(window.days)}


def needs_wideband_sites(satellite: Satellite) -> bool:
    """Whether a satellite's contacts need the X-band wideband downlink capability (50-400 MHz,
    through the AWS Ground Station Agent), which Alaska 1 and Punta Arenas 1 do not have (Site
    Capabilities page, data/sites.yaml `wideband_source`): only a downlink wider than the
    ordinary antenna-downlink path carries (AntennaDownlinkConfig, 10 kHz-54 MHz: API reference,
    FrequencyBandwidth). The 40 MHz of the billing tier (limits.NARROWBAND_MAX_MHZ) is a price,
    not a capability: a 45 MHz downlink is billed wideband and received at every site."""
    return any(d.bandwidth_mhz > DIGIF_BANDWIDTH_MHZ[1] for d in satellite.downlinks)


def placed_sites(catalog: dict[str, Any], satellite: Satellite | None = None) -> list[Site]:
    """Every site of every network that has coordinates (and can take `satellite`'s contacts),
    once each (by name)."""
    unique: dict[str, Site] = {}
    for network in catalog["networks"]:
        for site in network_sites(catalog, network, satellite)[0]:
            unique.setdefault(site.name, site)
    return list(unique.values())


def _satellite(
    index: int,
    sat_spec: Any,
    catalog: dict[str, Any],
    networks: dict[str, list[str]],
    min_el: float,
    min_contact: float,
    contact_seconds: float,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "satellite": sat_spec.name,
        "noradId": sat_spec.norad_id,
        "wideband": needs_wideband_sites(sat_spec),
    }
    if not sat_spec.tle:
        # the field path as validation errors spell it (satellites[0].tle), with the name to find it by
        needs = {"status": "needs TLE", "supply": f"satellites[{index}].tle in the spec ({sat_spec.name})"}
        entry["networks"] = {n: dict(needs) for n in catalog["networks"]}
        entry["clouds"] = {cloud: dict(needs) for cloud in networks}
        return entry
    satrec = Satrec.twoline2rv(*sat_spec.tle)
    window = Window.from_epoch(sat_spec.tle, DAYS)
    unfit = orbit_unfit(satrec, window)
    if unfit:
        # the field path as validation errors spell it, like "needs TLE": the TLE is what to change
        cannot = {"status": f"not estimated: {unfit} (satellites[{index}].tle, {sat_spec.name})"}
        entry["networks"] = {n: dict(cannot) for n in catalog["networks"]}
        entry["clouds"] = {cloud: dict(cannot) for cloud in networks}
        return entry
    entry["window"] = window_dates(satrec, window)
    sites = placed_sites(catalog, sat_spec)
    per_site = passes_around(satrec, sites, window, min_el)
    passes = dict(zip([s.name for s in sites], per_site, strict=True))

    def offer(chosen: list[str]) -> dict[str, Any]:
        names = [s.name for n in chosen for s in network_sites(catalog, n, sat_spec)[0]]
        refused = refused_sites(catalog, chosen, sat_spec)
        without = {"withoutSites": refused} if refused else {}
        if not names:
            # sites with coordinates that all refuse it (a band none receives) give it no contact: a
            # status of its own, warned of, not the one of a network no source places
            return {"status": NO_SITE_TAKES if refused else "no sites with coordinates in the site catalog", **without}
        offered = contacts({n: passes[n] for n in names}, DAYS, min_contact, contact_seconds)
        return {"status": "estimated", **offered.to_json(), **without}

    entry["networks"] = {n: offer([n]) for n in catalog["networks"]}
    entry["clouds"] = {cloud: {**offer(chosen), "networks": chosen} for cloud, chosen in networks.items()}
    return entry


def planned_length_warning(
    satellite: str, cloud: str, titles: str, offer: dict[str, Any], gs: GroundSegment, days: float = DAYS
) -> str | None:
    """One sentence when the cloud's networks have fewer single-site passes a day at least
    `contact_minutes` long than the `contacts_per_day` the cost model bills (or none at all);
    None when they have enough. Every cloud is judged by this one function."""
    per_day, longest = offer["contactsOfPlannedLengthPerDay"], offer["longestPassMinutes"]
    if per_day >= gs.contacts_per_day:
        return None
    head = (
        f"{satellite} on {cloud_title(cloud)}: the spec plans, and the cost estimate bills, "
        f"{exact_figure(gs.contacts_per_day)} contacts/day of {exact_figure(gs.contact_minutes)} min "
        "(ground_segment.contacts_per_day, ground_segment.contact_minutes), but "
    )
    above = f"above {exact_figure(gs.min_elevation_deg)} deg (ground_segment.min_elevation_deg)"
    if longest == 0:  # no pass at all: "the longest lasts 0.00 min" read as a pass too short
        return head + f"in {days:g} days no site of {titles} sees it {above}: not one pass, of any length"
    if per_day == 0:
        return (
            head + f"in {days:g} days no pass over any single site of {titles} {above} lasts "
            f"{exact_figure(gs.contact_minutes)} min: the longest lasts {figure_under(longest, gs.contact_minutes, 2)} min"
        )
    return (
        head + f"in {days:g} days the sites of {titles} have only {round(per_day * days)} single-site passes "
        f"{above} lasting at least {exact_figure(gs.contact_minutes)} min, distinct in time "
        f"({figure_under(per_day, gs.contacts_per_day, 2)}/day); "
        f"the longest lasts {figure(longest, 2)} min"
    )


def _warnings(satellites: list[dict[str, Any]], gs: GroundSegment, catalog: dict[str, Any]) -> list[str]:
    planned = gs.contacts_per_day
    out = []
    for index, sat in enumerate(satellites):
        for cloud, e in sat["clouds"].items():
            if e["status"] == NO_SITE_TAKES:
                out.append(_no_site_warning(sat["satellite"], index, cloud, e, planned, catalog))
            if e["status"] != "estimated":
                continue
            titles = " + ".join(catalog["networks"][n]["title"] for n in e["networks"])
            unplaced = [name for n in e["networks"] for name in network_sites(catalog, n)[1]]
            if unplaced:  # the figure counts the sites with coordinates only
                titles += f" (without {', '.join(unplaced)}: no coordinates in the site catalog)"
            if e["contactsPerDay"] < planned:
                out.append(
                    f"{sat['satellite']} on {cloud_title(cloud)}: the spec plans {exact_figure(planned)} contacts/day, "
                    f"but {titles} can give {_contacts_given(e['contactsPerDay'], planned)} "
                    f"(ground_segment.contacts_per_day)"
                )
            too_short = planned_length_warning(sat["satellite"], cloud, titles, e, gs)
            if too_short is not None:
                out.append(too_short)
            if cloud == "aws" and "aws_ground_station" in e["networks"]:
                dubbo = dubbo_warning(sat["satellite"], e, gs)
                if dubbo is not None:
                    out.append(dubbo)
    return out


def _no_site_warning(
    satellite: str, index: int, cloud: str, offer: dict[str, Any], planned: float, catalog: dict[str, Any]
) -> str:
    """The sentence for a satellite no site of a cloud's networks can take: it gets no contact."""
    titles = " + ".join(catalog["networks"][n]["title"] for n in offer["networks"])
    reasons = "; ".join(dict.fromkeys(w["reason"] for w in offer["withoutSites"]))
    return (
        f"{satellite} on {cloud_title(cloud)}: the spec plans {exact_figure(planned)} contacts/day, but no site of {titles} "
        f"can take its contacts ({reasons}; satellites[{index}].downlinks): it gets none there"
    )


def _contacts_given(per_day: float, planned: float) -> str:
    """The contacts a day a network gives, under the plan: "none" rather than "0.0" ("can give
    0.0" read as a rounded figure)."""
    return "none" if per_day == 0 else figure_under(per_day, planned, 1)


def dubbo_warning(satellite: str, offer: dict[str, Any], gs: GroundSegment, days: float = DAYS) -> str | None:
    """One sentence when `dubbo_minutes_share` takes more contacts a day at Dubbo 1 than Dubbo 1
    has passes over the satellite long enough for one (`contact_minutes`, above the mask), or
    Dubbo 1 cannot take its contacts at all; None otherwise. The cost model prices that share at
    Dubbo 1's rate, and the break-even with it, whatever the orbit: a share no pass there can
    carry was billed in silence, and passes of any length were counted as room for it (a whole
    share of 12-minute contacts passed on 4.6 passes a day, 2 of them long enough)."""
    share = gs.dubbo_minutes_share
    if gs.provider != "managed" or not share:
        return None
    wanted = share * gs.contacts_per_day
    contacts = next(  # 12.5, 100, 0.016: its places, to 3, and as many more as a sliver takes not to read 0
        shown for places in range(3, 20) if (shown := figure(wanted, places).rstrip("0").rstrip(".")) != "0"
    )
    head = (
        f"{satellite} on AWS: ground_segment.dubbo_minutes_share takes {percent(share)} of its contact minutes at "
        f"{DUBBO_SITE}, priced there ({contacts} of its {exact_figure(gs.contacts_per_day)} contacts/day), but "
    )
    refused = next((w["reason"] for w in offer.get("withoutSites", []) if w["site"] == DUBBO_SITE), None)
    if refused is not None:
        return head + f"{DUBBO_SITE} cannot take its contacts ({refused})"
    passes = offer["plannedLengthBySite"].get(DUBBO_SITE, 0.0)
    if passes >= wanted:
        return None
    above = f"above {exact_figure(gs.min_elevation_deg)} deg (ground_segment.min_elevation_deg)"
    if offer["bySite"].get(DUBBO_SITE, 0.0) == 0:
        return head + f"in {days:g} days {DUBBO_SITE} does not see it {above}: not one pass"
    length = f"{exact_figure(gs.contact_minutes)} min (ground_segment.contact_minutes)"
    if passes == 0:
        return head + f"in {days:g} days not one of its passes over {DUBBO_SITE} {above} lasts {length}"
    return head + (f"{DUBBO_SITE} sees it {above} on {figure_under(passes, wanted, 2)} passes/day of at least {length}")


def clouds_estimated(satellite: dict[str, Any]) -> bool:
    """Whether a cloud's figures were estimated for a satellite of the report: the clouds' figures,
    not the catalog's. With a partner the catalog does not hold, the catalog's networks were
    estimated over the satellite's week and neither cloud's figures were."""
    return any(e.get("status") == "estimated" for e in satellite.get("clouds", {}).values())


def _weeks(satellites: list[dict[str, Any]]) -> str:
    """The sentence of the method that names the week (UTC) of each estimated satellite, the
    satellites of one week together (400 alike wrote one 18,000-character sentence)."""
    weeks: dict[str, list[str]] = {}
    for s in satellites:
        if "window" in s and clouds_estimated(s):
            weeks.setdefault(f"{s['window']['from']} to {s['window']['to']}", []).append(s["satellite"])
    said = [f"{some_of(names)} {week}" for week, names in weeks.items()]
    return f" Weeks estimated (UTC, from each TLE's epoch, not from today): {'; '.join(said)}." if said else ""


def coverage_report(blueprint: Blueprint, catalog: dict[str, Any] | None = None) -> dict[str, Any]:
    catalog = catalog or load_sites()
    spec = blueprint.spec
    gs = spec.ground_segment
    networks = networks_for(blueprint)
    satellites = [
        _satellite(i, sat, catalog, networks, gs.min_elevation_deg, gs.min_contact_seconds, gs.contact_minutes * 60)
        for i, sat in enumerate(spec.satellites)
    ]
    unplaced = {n: network_sites(catalog, n)[1] for n in catalog["networks"]}
    # the sites a cloud can use: those at least one satellite's contacts can take (each satellite's
    # figures leave out the ones it cannot use, named in its `withoutSites`)
    usable = {s.name for sat in spec.satellites for s in placed_sites(catalog, sat)}
    return {
        "method": (
            f"Every pass above {exact_figure(gs.min_elevation_deg)} deg elevation over {DAYS} days from each TLE's epoch "
            "(sgp4; each elevation maximum found from the sign of the elevation rate, AOS and LOS refined by "
            "root finding to well under 1 s). Contacts/day: single-site passes at least "
            f"{gs.min_contact_seconds} s long (ground_segment.min_contact_seconds), no two overlapping in time: what "
            "the network can offer, not what is booked. Contacts/day of planned length: single-site passes at least "
            f"{exact_figure(gs.contact_minutes)} min long (ground_segment.contact_minutes), no two overlapping in time (a "
            "contact is booked on one antenna for one pass; it cannot continue at another site). Longest pass: the "
            "longest over a single site. Longest gap: the longest time no site sees the satellite. Each satellite is "
            "counted as if it had the antennas to itself: satellites of the spec passing over one site together "
            "compete for its antennas, which is not modelled. "
            f"The spec plans {exact_figure(gs.contacts_per_day)} contacts/day of {exact_figure(gs.contact_minutes)} min per satellite."
            + _weeks(satellites)
        ),
        "source": f"data/sites.yaml ({catalog['date']}): every site with its source",
        "days": DAYS,
        "networks": {cloud: [catalog["networks"][n]["title"] for n in chosen] for cloud, chosen in networks.items()},
        "sites": {
            cloud: [s.name for n in chosen for s in network_sites(catalog, n)[0] if s.name in usable]
            for cloud, chosen in networks.items()
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
        "warnings": _warnings(satellites, gs, catalog),
    }
