"""Contact coverage from TLEs with sgp4; no TLE means "needs TLE", never made-up elements."""

from __future__ import annotations

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.coverage import Site, coverage_report, estimate_satellite, load_sites
from groundlink.spec import spec_from_data

from .conftest import spec_data

# ISS (ZARYA), the example element set in the sgp4 package's documentation: 51.6 deg inclination, ~420 km.
ISS = [
    "1 25544U 98067A   19343.69339541  .00001764  00000-0  38792-4 0  9991",
    "2 25544  51.6439 211.2001 0007417  17.6667  85.6398 15.50103472202482",
]


def test_sites_catalog_has_a_source_and_the_reference_networks():
    sites = load_sites()
    assert sites["source"] and sites["date"]
    names = {n: [s["name"] for s in v["sites"]] for n, v in sites["networks"].items()}
    assert len(names["aws_ground_station"]) == 12 and "Dubbo 1" in names["aws_ground_station"]
    assert {"Quincy WA", "Longovilo"} <= set(names["rbc_signals"]) and "Svalbard" in names["ksat"]


def test_without_tle_every_cloud_says_needs_tle():
    data = spec_data("noaa20.yaml")
    data["satellites"][0].pop("tle")
    report = coverage_report(build_blueprint(spec_from_data(data)))
    (sat,) = report["satellites"]
    assert {c: e["status"] for c, e in sat["clouds"].items()} == {"aws": "needs TLE", "azure": "needs TLE"}
    assert "Alaska 1" in report["sites"]["aws"] and "Svalbard" in report["sites"]["azure"]


def test_a_low_inclination_orbit_is_never_seen_from_svalbard_but_is_from_the_equator():
    svalbard, singapore = Site("Svalbard", 78.2, 15.4), Site("Singapore", 1.35, 103.8)
    result = estimate_satellite(ISS, [svalbard, singapore], min_elevation_deg=5)
    assert result["bySite"]["Svalbard"] == 0
    assert 1 <= result["bySite"]["Singapore"] <= 8  # LEO: a handful of passes a day at most
    assert 0 < result["minutesPerDay"] < 8 * 12


def test_estimates_per_cloud_with_a_tle():
    data = spec_data("noaa20.yaml")
    data["satellites"] = [
        {"name": "iss", "norad_id": 25544, "tle": ISS, "downlinks": data["satellites"][0]["downlinks"]}
    ]
    report = coverage_report(build_blueprint(spec_from_data(data)))
    for cloud in CLOUDS:
        entry = report["satellites"][0]["clouds"][cloud]
        assert entry["status"] == "estimated"
        assert entry["contactsPerDay"] == pytest.approx(sum(entry["bySite"].values()))
        assert entry["contactsPerDay"] > 0
    assert set(report["satellites"][0]["clouds"]["aws"]["bySite"]) <= set(report["sites"]["aws"])


def test_wideband_satellites_skip_sites_without_wideband():
    data = spec_data("noaa20.yaml")
    link = dict(data["satellites"][0]["downlinks"][0], bandwidth_mhz=50)
    data["satellites"] = [{"name": "iss", "norad_id": 25544, "tle": ISS, "downlinks": [link]}]
    report = coverage_report(build_blueprint(spec_from_data(data)))
    assert "Alaska 1" not in report["satellites"][0]["clouds"]["aws"]["bySite"]


def test_reference_mission_gets_a_polar_orbit_estimate_on_both_clouds():
    report = coverage_report(build_blueprint(spec_from_data(spec_data("noaa20.yaml"))))
    (sat,) = report["satellites"]
    for cloud in CLOUDS:
        estimate = sat["clouds"][cloud]
        assert estimate.get("status") != "needs TLE"
        # a sun-synchronous satellite passes high-latitude sites several times a day
        assert estimate["contactsPerDay"] > 4
