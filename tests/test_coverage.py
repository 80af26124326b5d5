"""Contact coverage from TLEs with sgp4; no TLE means "needs TLE", never made-up elements."""

from __future__ import annotations

import datetime as dt

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.coverage import coverage_report, estimate_satellite, load_sites, network_sites
from groundlink.passes import Pass, Site, Window, predict
from groundlink.spec import spec_from_data

from .conftest import spec_data

# ISS (ZARYA), the example element set in the sgp4 package's documentation: 51.6 deg inclination, ~420 km.
ISS = [
    "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991",
    "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482",
]
EXAMPLE_TLES = {
    "noaa20": spec_data("noaa20.yaml")["satellites"][0]["tle"],
    "snpp": spec_data("partner.yaml")["satellites"][0]["tle"],
    "aqua": spec_data("aqua-legacy.yaml")["satellites"][0]["tle"],
    "iss": ISS,
}


def _site(network: str, name: str) -> Site:
    (site,) = [s for s in network_sites(load_sites(), network)[0] if s.name == name]
    return site


SITES = [
    _site("aws_ground_station", "Alaska 1"),
    _site("ksat", "SvalSat (Svalbard)"),
    _site("aws_ground_station", "Singapore 1"),
    _site("aws_ground_station", "Punta Arenas 1"),
]


def _skyfield_passes(tle: list[str], site: Site, window: Window, min_el: float) -> list[tuple[float, float]]:
    """Rise/set pairs from skyfield's find_events, as seconds from the window start."""
    from skyfield.api import EarthSatellite, load, wgs84

    ts = load.timescale(builtin=True)
    j2000 = dt.datetime(2000, 1, 1, 12, tzinfo=dt.UTC)
    start = j2000 + dt.timedelta(days=window.jd - 2451545.0 + window.fraction)
    t0, t1 = ts.from_datetime(start), ts.from_datetime(start + dt.timedelta(days=window.days))
    times, events = EarthSatellite(*tle, ts=ts).find_events(wgs84.latlon(site.lat, site.lon), t0, t1, min_el)
    seconds = (times.tt - t0.tt) * 86400
    pairs, rise = [], None
    for t, event in zip(seconds, events, strict=True):
        if event == 0:
            rise = t
        elif event == 2 and rise is not None:
            pairs.append((float(rise), float(t)))
            rise = None
    return pairs


@pytest.mark.parametrize(("name", "min_el"), [*((n, 5.0) for n in EXAMPLE_TLES), ("noaa20", 40.0)])
def test_passes_match_skyfield_to_one_second(name, min_el):
    from sgp4.api import Satrec

    tle = EXAMPLE_TLES[name]
    window = Window.from_epoch(tle, 7)
    ours = predict([Satrec.twoline2rv(*tle)], SITES, window, min_el)[0]
    compared = 0
    for site, passes in zip(SITES, ours, strict=True):
        theirs = _skyfield_passes(tle, site, window, min_el)
        assert len(passes) == len(theirs), f"{name} over {site.name}: {len(passes)} passes vs {len(theirs)}"
        for p, (rise, set_) in zip(passes, theirs, strict=True):
            assert abs(p.aos - rise) < 1.0 and abs(p.los - set_) < 1.0, (name, site.name, p, rise, set_)
            assert p.max_elevation_deg >= min_el
        compared += len(passes)
    assert compared > 20  # a week over four sites: many passes, not a vacuous match


def test_sites_catalog_covers_every_network_the_spec_can_name_and_sources_every_site():
    catalog = load_sites()
    networks = catalog["networks"]
    assert {"aws_ground_station", "ksat", "ksatlite", "viasat_rte", "rbc_signals"} <= set(networks)
    assert len(networks["aws_ground_station"]["sites"]) == 12
    assert {"Quincy WA", "Longovilo"} <= {s["name"] for s in networks["rbc_signals"]["sites"]}
    assert "Alice Springs" in {s["name"] for s in networks["viasat_rte"]["sites"]}
    for network in networks.values():
        assert network["sites"] and network["source"]
        for site in network["sites"]:
            assert site["source"], site
            assert (site["lat"] is None) == (site["lon"] is None), site


def test_sites_without_coordinates_are_listed_and_said_so_not_placed():
    report = coverage_report(build_blueprint(spec_from_data(spec_data("noaa20.yaml"))))
    viasat = report["catalog"]["viasat_rte"]
    assert {"Georgia (United States)", "United Kingdom"} == set(viasat["withoutCoordinates"])
    assert set(viasat["withoutCoordinates"]) < set(viasat["sites"])
    assert "TrollSat (Troll, Antarctica)" in report["catalog"]["ksat"]["withoutCoordinates"]
    placed = report["satellites"][0]["networks"]["viasat_rte"]["bySite"]
    assert set(placed) == {"Alice Springs"}


def test_contacts_merge_overlapping_sites_and_measure_the_longest_gap():
    from groundlink.coverage import contacts

    by_site = {
        "a": [Pass("a", 0, 600, 300, 40)],
        "b": [Pass("b", 300, 900, 600, 30), Pass("b", 5000, 5100, 5050, 6)],
    }
    result = contacts(by_site, days=1, min_contact_seconds=180)
    # [0, 900] is one contact (two sites overlap); [5000, 5100] is shorter than 180 s
    assert result.per_day == 1
    assert result.minutes_per_day == pytest.approx((900 + 100) / 60)
    assert result.longest_gap_hours == pytest.approx((86400 - 5100) / 3600)
    assert result.by_site == {"a": 1, "b": 2}


def test_without_tle_every_cloud_says_needs_tle():
    data = spec_data("noaa20.yaml")
    data["satellites"][0].pop("tle")
    report = coverage_report(build_blueprint(spec_from_data(data)))
    (sat,) = report["satellites"]
    assert {c: e["status"] for c, e in sat["clouds"].items()} == {"aws": "needs TLE", "azure": "needs TLE"}
    assert "Alaska 1" in report["sites"]["aws"] and "Svalbard" in report["sites"]["azure"]
    assert report["warnings"] == []


def test_a_low_inclination_orbit_is_never_seen_from_svalbard_but_is_from_the_equator():
    svalbard, singapore = Site("Svalbard", 78.2, 15.4), Site("Singapore", 1.35, 103.8)
    result = estimate_satellite(ISS, [svalbard, singapore], min_elevation_deg=5)
    assert result is not None
    assert result["bySite"]["Svalbard"] == 0
    assert 1 <= result["bySite"]["Singapore"] <= 8  # LEO: a handful of passes a day at most
    assert 0 < result["minutesPerDay"] < 8 * 12


def test_wideband_satellites_skip_sites_without_wideband():
    data = spec_data("noaa20.yaml")
    link = dict(data["satellites"][0]["downlinks"][0], bandwidth_mhz=50)
    data["satellites"] = [{"name": "iss", "norad_id": 25544, "tle": ISS, "downlinks": [link]}]
    report = coverage_report(build_blueprint(spec_from_data(data)))
    by_site = report["satellites"][0]["clouds"]["aws"]["bySite"]
    assert "Alaska 1" not in by_site and "Hawaii 1" in by_site


def test_reference_mission_per_network_contacts_and_gaps():
    report = coverage_report(build_blueprint(spec_from_data(spec_data("noaa20.yaml"))))
    (sat,) = report["satellites"]
    for cloud in ("aws", "azure"):
        estimate = sat["clouds"][cloud]
        # a sun-synchronous satellite passes high-latitude sites several times a day
        assert estimate["contactsPerDay"] > 4
        assert 0 < estimate["longestGapHours"] < 24
    # Svalbard alone sees a polar orbiter on nearly every revolution (~14 a day)
    assert sat["networks"]["ksatlite"]["bySite"]["Svalbard"] > 10
    assert report["warnings"] == []  # 4 contacts/day are available on both clouds


def test_warns_when_the_spec_plans_more_contacts_than_the_network_gives():
    data = spec_data("noaa20.yaml")
    data["ground_segment"]["contacts_per_day"] = 100
    report = coverage_report(build_blueprint(spec_from_data(data)))
    assert len(report["warnings"]) == 2
    assert all("plans 100 contacts/day" in w and "ground_segment.contacts_per_day" in w for w in report["warnings"])
