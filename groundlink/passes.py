"""Satellite passes over ground sites, with acquisition and loss of signal exact to well under 1 s.

How no pass is missed. The elevation of a low-Earth-orbit satellite seen from a site
has one maximum and one minimum per revolution of the satellite relative to the site,
about half an orbital period apart. A pass above the minimum elevation is exactly a
maximum whose elevation is at or above it. So the scan does not look for samples above
the minimum (a grazing pass shorter than the step would slip between two samples): it
looks for every maximum. The coarse step is 1/75 of the orbital period (at most 60 s, and
within the concave span below), so no step holds both a maximum and a minimum, and every
maximum shows up as the elevation rate (computed from sgp4's velocity, not by differencing) changing sign from
+ to - between two consecutive samples. When either sample is above the minimum the pass
exists; when both are below (a grazing candidate) the maximum is refined by root finding
on the elevation rate and the pass kept when its peak reaches the minimum. Candidates
far below are dropped first: sin(elevation) is concave around a maximum, so the tangent
lines at the two samples bound the peak from above, and a peak whose bound (plus a slack
of 0.01, about 0.6 deg) stays below the minimum cannot be a pass. That holds only while
both samples lie in the concave span around the peak: for a track at speed v whose closest
approach is rho, sin(elevation) is rho/sqrt(rho^2 + v^2 t^2), concave within rho/(v sqrt 2) of
the peak (wider over the curved Earth: 2-25% for 120-2,000 km up). rho is at least the
perigee's height and v at most the perigee's speed plus the Earth's surface speed, so the
step is kept under 0.9 of that span (`concave_span_s`). A satellite 160-270 km up at a mask
of 45 deg or more otherwise lost passes that peaked near the zenith: its high passes last
seconds, and the two samples fell on the convex flanks, where the tangents pass under the
peak (2026-12-06: 16 of 36 passes missed at 70 deg, against skyfield).

How the edges are exact. The elevation rises monotonically from the preceding sample
below the minimum to the maximum and falls monotonically after it, so each pass's
acquisition (AOS) and loss of signal (LOS) are bracketed by one sample below the minimum
and one sample (or the peak) above it. The root of `sin(elevation) - sin(minimum)` is
started from the cubic Hermite interpolant of the bracket (values and rates from the scan)
and refined by Newton steps on the propagated geometry, guarded by the bracket, until a
step is under 10 ms. The culmination of a pass that is not grazing is interpolated from
the scan (its elevation to a fraction of a degree): it decides nothing.

Why not scipy's brentq. brentq refines one bracket per call; a week of 24 satellites over
two dozen sites has tens of thousands of brackets. The refinement here runs on all
brackets of a satellite at once, one vectorised sgp4 call per iteration (Illinois regula
falsi for the rate, guarded Newton for the edges), which is what keeps the whole
prediction more than 20x faster than a per-site loop with an independent propagator
(`make bench` prints the ratio and checks every pass against it).

Frames: sgp4's TEME position rotated to Earth-fixed by Greenwich mean sidereal time (the
IAU-82 formula sgp4 itself uses), geodetic site positions and zenith directions on WGS-84,
UT1 taken as UTC. `predict` returns the passes whose AOS and LOS both fall inside the window;
the coverage estimate (`coverage.passes_around`) widens the window by an orbital period on
either side first, so the passes an edge cuts are found whole.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from sgp4.api import Satrec, SatrecArray

Array = npt.NDArray[np.float64]

DAY_S = 86400.0
EARTH_A_KM, EARTH_F = 6378.137, 1 / 298.257223563  # WGS-84
EARTH_RATE_RAD_S = 7.292115146706979e-5  # GMST rate of the IAU-82 formula below
MAX_STEP_S = 60.0
STEPS_PER_ORBIT = 75
TOLERANCE_S = 1e-2
# Slack on the tangent-line bound of a maximum, in sin(elevation) (about 0.6 deg).
PEAK_SLACK = 0.01
# The step's share of the concave span around a peak, and what the span is taken from.
CONCAVE_SHARE = 0.9
EARTH_MU_KM3_S2 = 398600.4418  # WGS-84 GM
PERIGEE_MARGIN_KM = 10.0
MIN_HEIGHT_KM = 1.0  # a perigee under the Kármán line is refused before this (coverage.py)


@dataclass(frozen=True)
class Site:
    name: str
    lat: float
    lon: float
    wideband: bool = True


class Pass(NamedTuple):
    """One pass over one site; times are seconds from the window start (a tuple: tens of
    thousands are made per prediction)."""

    site: str
    aos: float
    los: float
    culmination: float
    max_elevation_deg: float

    @property
    def seconds(self) -> float:
        return self.los - self.aos


@dataclass(frozen=True)
class Window:
    """A UTC window as sgp4 takes time: whole Julian day plus fraction, and a length."""

    jd: float
    fraction: float
    days: float

    @classmethod
    def from_epoch(cls, tle: Sequence[str], days: float) -> Window:
        sat = Satrec.twoline2rv(tle[0], tle[1])
        return cls(float(sat.jdsatepoch), float(sat.jdsatepochF), days)

    def widened(self, seconds: float) -> Window:
        """This window with `seconds` more on either side (times in it start `seconds` earlier)."""
        return Window(self.jd, self.fraction - seconds / DAY_S, self.days + 2 * seconds / DAY_S)


def coarse_step(satrecs: Sequence[Satrec]) -> float:
    """Seconds between samples: 1/75 of the shortest orbital period, at most 60 s, and at most
    0.9 of the narrowest concave span around a peak (`concave_span_s`)."""
    period_s = min(2 * np.pi / float(sat.no_kozai) * 60 for sat in satrecs)  # no_kozai: rad/min
    span_s = min(concave_span_s(sat) for sat in satrecs)
    return float(min(MAX_STEP_S, period_s / STEPS_PER_ORBIT, CONCAVE_SHARE * span_s))


def concave_span_s(sat: Satrec) -> float:
    """Seconds either side of any pass's peak within which sin(elevation) is concave, at least
    (the module docstring): the perigee's height, less 10 km for what the mean elements leave
    out, over the perigee's speed (vis-viva) plus the equator's, times 1/sqrt(2)."""
    perigee_radius_km = sat.radiusearthkm * (1 + sat.altp)  # altp: the perigee's height in Earth radii
    semi_major_km = sat.radiusearthkm * sat.a
    speed = np.sqrt(EARTH_MU_KM3_S2 * (2 / perigee_radius_km - 1 / semi_major_km)) + EARTH_RATE_RAD_S * EARTH_A_KM
    height = max(sat.altp * sat.radiusearthkm - PERIGEE_MARGIN_KM, MIN_HEIGHT_KM)
    return float(height / (speed * np.sqrt(2)))


def _gmst(jd: Array, fraction: Array) -> Array:
    """Greenwich mean sidereal time (rad), IAU-82, as sgp4.propagation.gstime, vectorised."""
    tut1 = (jd - 2451545.0 + fraction) / 36525.0
    seconds = -6.2e-6 * tut1**3 + 0.093104 * tut1**2 + (876600.0 * 3600 + 8640184.812866) * tut1 + 67310.54841
    return np.asarray(np.radians(seconds / 240.0) % (2 * np.pi), dtype=np.float64)


def _earth_fixed(r: Array, v: Array, theta: Array) -> tuple[Array, Array]:
    """TEME position and velocity (..., 3) to Earth-fixed, rotating by GMST `theta`."""
    cos, sin = np.cos(theta), np.sin(theta)
    x = cos * r[..., 0] + sin * r[..., 1]
    y = -sin * r[..., 0] + cos * r[..., 1]
    vx = cos * v[..., 0] + sin * v[..., 1] + EARTH_RATE_RAD_S * y
    vy = -sin * v[..., 0] + cos * v[..., 1] - EARTH_RATE_RAD_S * x
    return np.stack([x, y, r[..., 2]], axis=-1), np.stack([vx, vy, v[..., 2]], axis=-1)


def site_frames(sites: Sequence[Site]) -> tuple[Array, Array]:
    """Earth-fixed positions (km) and zenith unit vectors of the sites, shape (sites, 3)."""
    lat, lon = np.radians([s.lat for s in sites]), np.radians([s.lon for s in sites])
    e2 = EARTH_F * (2 - EARTH_F)
    n = EARTH_A_KM / np.sqrt(1 - e2 * np.sin(lat) ** 2)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    position = np.stack([n * up[:, 0], n * up[:, 1], n * (1 - e2) * up[:, 2]], axis=-1)
    return position, up


def _elevation_and_rate(r: Array, v: Array, site_r: Array, site_up: Array) -> tuple[Array, Array]:
    """sin(elevation) and its time derivative (1/s) for matching rows of r, v and the site."""
    rel = r - site_r
    dist = np.linalg.norm(rel, axis=-1)
    along_up = np.einsum("...i,...i->...", rel, site_up)
    sin_el = along_up / dist
    rate = np.einsum("...i,...i->...", v, site_up) / dist - along_up * np.einsum("...i,...i->...", rel, v) / dist**3
    return sin_el, rate


def _illinois(f: Callable[[Array], Array], a: Array, b: Array, fa: Array, fb: Array) -> Array:
    """Roots of `f` in the brackets [a, b] (f(a), f(b) of opposite sign or zero), all at once."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    side = np.zeros(a.shape, dtype=np.int8)
    for _ in range(60):
        if not a.size or np.all(np.abs(b - a) < TOLERANCE_S):
            break
        denominator = np.where(fb != fa, fb - fa, 1.0)
        c = np.where(fb != fa, b - fb * (b - a) / denominator, (a + b) / 2)
        c = np.clip(c, np.minimum(a, b), np.maximum(a, b))
        fc = f(c)
        replaces_b = np.sign(fc) == np.sign(fb)
        # Illinois: when the same end is kept twice, halve its value so the bracket closes from both sides.
        fa = np.where(replaces_b & (side == 1), fa / 2, fa)
        fb = np.where(~replaces_b & (side == -1), fb / 2, fb)
        a, fa = np.where(replaces_b, a, c), np.where(replaces_b, fa, fc)
        b, fb = np.where(replaces_b, c, b), np.where(replaces_b, fc, fb)
        side = np.where(replaces_b, 1, -1).astype(np.int8)
        done = fc == 0
        a, b = np.where(done, c, a), np.where(done, c, b)
    return (a + b) / 2


class _Satellite:
    """One satellite's propagation at arbitrary times of the window, with its site geometry."""

    def __init__(self, sat: Satrec, window: Window, site_r: Array, site_up: Array):
        self.sat, self.window, self.site_r, self.site_up = sat, window, site_r, site_up

    def state(self, seconds: Array) -> tuple[Array, Array]:
        jd = np.full(seconds.shape, self.window.jd)
        fraction = self.window.fraction + seconds / DAY_S
        _, r, v = self.sat.sgp4_array(jd, fraction)
        return _earth_fixed(np.asarray(r), np.asarray(v), _gmst(jd, fraction))

    def geometry(self, seconds: Array, sites: npt.NDArray[np.intp]) -> tuple[Array, Array]:
        r, v = self.state(seconds)
        return _elevation_and_rate(r, v, self.site_r[sites], self.site_up[sites])


def _scan(satrecs: Sequence[Satrec], window: Window, times: Array) -> tuple[Array, Array]:
    """Earth-fixed positions and velocities of every satellite at every coarse time (sats, times, 3)."""
    jd = np.full(times.shape, window.jd)
    fraction = window.fraction + times / DAY_S
    errors, r, v = SatrecArray(list(satrecs)).sgp4(jd, fraction)
    r = np.where(errors[..., None] == 0, r, np.nan)
    return _earth_fixed(np.asarray(r), np.asarray(v), _gmst(jd, fraction)[None, :])


def predict(
    satrecs: Sequence[Satrec], sites: Sequence[Site], window: Window, min_elevation_deg: float
) -> list[list[list[Pass]]]:
    """Passes per satellite, per site (in the order given), in time order, wholly inside the window."""
    step = coarse_step(satrecs)
    times = np.arange(0.0, window.days * DAY_S + step, step)
    site_r, site_up = site_frames(sites)
    r, v = _scan(satrecs, window, times)
    threshold = np.sin(np.radians(min_elevation_deg))
    result = []
    for k, sat in enumerate(satrecs):
        sin_el, rate = _site_grid(r[k], v[k], site_r, site_up)
        result.append(_passes(_Satellite(sat, window, site_r, site_up), sites, times, sin_el, rate, threshold))
    return result


def _site_grid(r: Array, v: Array, site_r: Array, site_up: Array) -> tuple[Array, Array]:
    """sin(elevation) and its rate for one satellite's track (times, 3) over every site: (sites, times).
    The same quantities as `_elevation_and_rate`, written per component (no (sites, times, 3) temporaries)."""
    x, y, z = (r[:, c][None, :] - site_r[:, c][:, None] for c in range(3))
    ux, uy, uz = (site_up[:, c][:, None] for c in range(3))
    vx, vy, vz = (v[:, c][None, :] for c in range(3))
    inv = x * x
    inv += y * y
    inv += z * z
    np.sqrt(inv, out=inv)
    np.reciprocal(inv, out=inv)
    sin_el = x * ux
    sin_el += y * uy
    sin_el += z * uz
    sin_el *= inv
    rel_v = x * vx
    rel_v += y * vy
    rel_v += z * vz
    rel_v *= inv
    rel_v *= sin_el  # sin(el) x the range rate
    rate = vx * ux + vy * uy
    rate += vz * uz
    rate -= rel_v
    rate *= inv
    return sin_el, rate


def _last_below(
    below: npt.NDArray[np.bool_], site: npt.NDArray[np.intp], i: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """For each (site, sample i), the latest sample at or before i below the minimum (-1: none)."""
    n = below.shape[-1]
    flat = np.flatnonzero(below)
    at = np.searchsorted(flat, site * n + i, side="right") - 1
    found = flat[np.maximum(at, 0)]
    return np.where((at >= 0) & (found // n == site), found % n, -1)


def _next_below(
    below: npt.NDArray[np.bool_], site: npt.NDArray[np.intp], i: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """For each (site, sample i), the earliest sample at or after i below the minimum (n: none)."""
    n = below.shape[-1]
    flat = np.flatnonzero(below)
    at = np.searchsorted(flat, site * n + i, side="left")
    found = flat[np.minimum(at, flat.size - 1)] if flat.size else np.full(i.shape, -1, dtype=np.intp)
    return np.asarray(np.where((at < flat.size) & (found // n == site), found % n, n), dtype=np.intp)


def _hermite_start(a: Array, b: Array, ga: Array, gb: Array, da: Array, db: Array) -> Array:
    """A first guess of the root in [a, b] from the end values and slopes (the cubic Hermite
    interpolant, three Newton steps from the secant point): costs no propagation."""
    h = b - a
    t = np.clip(np.where(gb != ga, -ga / np.where(gb != ga, gb - ga, 1.0), 0.5), 0.0, 1.0)
    for _ in range(3):
        t2, t3 = t * t, t * t * t
        value = (2 * t3 - 3 * t2 + 1) * ga + (t3 - 2 * t2 + t) * h * da + (-2 * t3 + 3 * t2) * gb + (t3 - t2) * h * db
        slope = (
            (6 * t2 - 6 * t) * ga + (3 * t2 - 4 * t + 1) * h * da + (6 * t - 6 * t2) * gb + (3 * t2 - 2 * t) * h * db
        )
        t = np.clip(t - value / np.where(slope != 0, slope, np.inf), 0.0, 1.0)
    return np.asarray(a + t * h, dtype=np.float64)


def _newton(
    g: Callable[[Array, npt.NDArray[np.intp]], tuple[Array, Array]], a: Array, b: Array, ga: Array, start: Array
) -> Array:
    """Roots of `g` (value and derivative at times t for the brackets numbered idx) in the brackets
    [a, b], all at once: Newton steps from `start`, kept inside a bracket that shrinks with every
    evaluation (bisection when a step would leave it), so it converges like Newton and cannot escape
    like it. Only the brackets not yet converged are evaluated again."""
    a, b, ga, t = a.copy(), b.copy(), ga.copy(), start.copy()
    active = np.arange(t.size)
    for _ in range(60):
        if not active.size:
            break
        ta = t[active]
        value, slope = g(ta, active)
        same = np.sign(value) == np.sign(ga[active])
        a[active] = np.where(same, ta, a[active])
        ga[active] = np.where(same, value, ga[active])
        b[active] = np.where(same, b[active], ta)
        proposed = ta - value / np.where(slope != 0, slope, np.inf)
        inside = (proposed > a[active]) & (proposed < b[active])
        proposed = np.where(inside, proposed, (a[active] + b[active]) / 2)
        done = (np.abs(proposed - ta) < TOLERANCE_S) | (value == 0)
        t[active] = np.where(value == 0, ta, proposed)
        active = active[~done]
    return t


def _passes(
    sat: _Satellite, sites: Sequence[Site], times: Array, sin_el: Array, rate: Array, threshold: float
) -> list[list[Pass]]:
    n = times.size
    step = times[1] - times[0]
    below = sin_el < threshold
    # Every maximum: the elevation rate turns from + to - between samples i and i+1.
    site_idx, i = np.nonzero((rate[:, :-1] > 0) & (rate[:, 1:] <= 0))
    r0, r1 = rate[site_idx, i], rate[site_idx, i + 1]
    s0, s1 = sin_el[site_idx, i], sin_el[site_idx, i + 1]
    # Around its maximum sin(elevation) is concave, so the tangents at both samples bound the peak
    # from above: a maximum below the minimum at both samples whose bound (plus slack) stays under
    # it too is far from any pass.
    near = (np.minimum(s0 + r0 * step, s1 - r1 * step) + PEAK_SLACK >= threshold) | (s0 >= threshold)
    near |= s1 >= threshold
    site_idx, i, r0, r1 = site_idx[near], i[near], r0[near], r1[near]

    # Culmination: where the rate, linear between the two samples, crosses zero ...
    peak_t = times[i] + step * r0 / np.where(r0 != r1, r0 - r1, 1.0)
    # ... refined by root finding on the rate when neither sample is above the minimum (a grazing
    # candidate): there the exact peak decides whether the pass exists at all.
    grazing = below[site_idx, i] & below[site_idx, i + 1]
    g_sites = site_idx[grazing]
    peak_t[grazing] = _illinois(
        lambda t: sat.geometry(t, g_sites)[1], times[i][grazing], times[i + 1][grazing], r0[grazing], r1[grazing]
    )
    # The culmination's elevation: exact for grazing candidates, else integrated from the linear rate
    # and at least either sample's (a pass of seconds between samples 12 s apart read 0.6 deg under
    # its own mask, integrated so)
    s0, s1 = sin_el[site_idx, i], sin_el[site_idx, i + 1]
    peak_sin = np.maximum(s0 + r0 * (peak_t - times[i]) / 2, np.maximum(s0, s1))
    peak_sin[grazing] = sat.geometry(peak_t[grazing], g_sites)[0]
    keep = ~grazing | (peak_sin >= threshold)
    site_idx, i, peak_t, peak_sin = site_idx[keep], i[keep], peak_t[keep], peak_sin[keep]

    j = _last_below(below, site_idx, i)  # the sample before AOS
    k = _next_below(below, site_idx, np.minimum(i + 1, n - 1))  # the sample after LOS
    whole = (j >= 0) & (k < n)
    site_idx, j, k = site_idx[whole], j[whole], k[whole]
    peak_t, peak_sin = peak_t[whole], peak_sin[whole]

    def above(t: Array, which: npt.NDArray[np.intp]) -> tuple[Array, Array]:
        sin_t, rate_t = sat.geometry(t, site_idx[which])
        return sin_t - threshold, rate_t

    # AOS lies between the sample before it and the first sample above (or the peak of a grazing pass).
    # Values at the bracket ends come from the scan (or the refined peak): no new propagation.
    peak_before, peak_after = below[site_idx, j + 1], below[site_idx, k - 1]
    aos_hi = np.where(peak_before, peak_t, times[j + 1])
    los_lo = np.where(peak_after, peak_t, times[k - 1])
    at_aos_hi = np.where(peak_before, peak_sin, sin_el[site_idx, j + 1]) - threshold
    at_los_lo = np.where(peak_after, peak_sin, sin_el[site_idx, k - 1]) - threshold
    at_j, at_k = sin_el[site_idx, j] - threshold, sin_el[site_idx, k] - threshold
    rate_aos_hi = np.where(peak_before, 0.0, rate[site_idx, j + 1])
    rate_los_lo = np.where(peak_after, 0.0, rate[site_idx, k - 1])
    aos_start = _hermite_start(times[j], aos_hi, at_j, at_aos_hi, rate[site_idx, j], rate_aos_hi)
    los_start = _hermite_start(los_lo, times[k], at_los_lo, at_k, rate_los_lo, rate[site_idx, k])
    aos = _newton(above, times[j], aos_hi, at_j, aos_start)
    los = _newton(above, los_lo, times[k], at_los_lo, los_start)

    out: list[list[Pass]] = [[] for _ in sites]
    names = [site.name for site in sites]
    peak_deg = np.degrees(np.arcsin(np.minimum(peak_sin, 1.0)))
    columns = (site_idx.tolist(), aos.tolist(), los.tolist(), peak_t.tolist(), peak_deg.tolist())
    for s, start, end, top, top_deg in zip(*columns, strict=True):  # plain floats: no numpy scalar per pass
        out[s].append(Pass(names[s], start, end, top, top_deg))
    for site_passes in out:
        site_passes.sort(key=lambda p: p.aos)
    return out
