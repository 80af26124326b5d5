"""Contact coverage from TLEs with sgp4; no TLE means "needs TLE", never made-up elements."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.clouds import CLOUDS
from groundlink.coverage import coverage_report, estimate_satellite, load_sites, network_sites
from groundlink.passes import Pass, Site, Window, predict
from groundlink.spec import spec_from_data

from .conftest import spec_data

TITLE = {"aws": "AWS", "azure": "Azure"}  # each cloud as the report writes it

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


def _matched_with_skyfield(tle: list[str], sites: list[Site], min_el: float) -> int:
    """How many passes of a week from the TLE's epoch over `sites` match skyfield's, each within
    1 s at both edges and peaking at or above the mask; fails on any pass only one side has."""
    from sgp4.api import Satrec

    window = Window.from_epoch(tle, 7)
    ours = predict([Satrec.twoline2rv(*tle)], sites, window, min_el)[0]
    compared = 0
    for site, passes in zip(sites, ours, strict=True):
        theirs = _skyfield_passes(tle, site, window, min_el)
        assert len(passes) == len(theirs), f"{site.name}: {len(passes)} passes vs {len(theirs)}"
        for p, (rise, set_) in zip(passes, theirs, strict=True):
            assert abs(p.aos - rise) < 1.0 and abs(p.los - set_) < 1.0, (site.name, p, rise, set_)
            assert p.max_elevation_deg >= min_el
        compared += len(passes)
    return compared


@pytest.mark.parametrize(("name", "min_el"), [*((n, 5.0) for n in EXAMPLE_TLES), ("noaa20", 40.0)])
def test_passes_match_skyfield_to_one_second(name, min_el):
    assert _matched_with_skyfield(EXAMPLE_TLES[name], SITES, min_el) > 20  # a week over four sites: many


# NOAA-20's elements at 16.4 rev/day: a circular orbit about 160 km up, above the Kármán line
VLEO_TLE = [
    "1 43013U 17073A   24169.90584172  .00000089  00000+0  62647-4 0  9992",
    "2 43013  97.0000 107.8155 0000956 138.6960 221.4288 16.40000000341005",
]


@pytest.mark.parametrize("min_el", [60.0, 80.0])
def test_a_very_low_orbit_s_passes_near_the_zenith_are_all_found(min_el):
    """160 km up, a pass over a high mask lasts seconds, and the two samples around its peak fell
    on the flanks where sin(elevation) is convex: the tangent bound passed under a peak of 88 deg
    and the pass was dropped (16 of 36 over the AWS sites at 70 deg). Every pass skyfield finds
    is found, its edges within a second."""
    sites = network_sites(load_sites(), "aws_ground_station")[0]
    assert _matched_with_skyfield(VLEO_TLE, sites, min_el) >= 5  # passes near the zenith, not a vacuous match


def test_sites_catalog_covers_every_network_the_spec_can_name_and_sources_every_site():
    catalog = load_sites()
    networks = catalog["networks"]
    assert {"aws_ground_station", "ksat", "ksatlite", "viasat_rte", "rbc_signals"} <= set(networks)
    assert len(networks["aws_ground_station"]["sites"]) == 11  # Seoul 1 closed on 2026-06-16
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
    assert {e["supply"] for e in sat["clouds"].values()} == {f"satellites[0].tle in the spec ({sat['satellite']})"}
    assert "Alaska 1" in report["sites"]["aws"] and "Svalbard" in report["sites"]["azure"]
    assert report["warnings"] == []


def test_a_low_inclination_orbit_is_never_seen_from_svalbard_but_is_from_the_equator():
    svalbard, singapore = Site("Svalbard", 78.2, 15.4), Site("Singapore", 1.35, 103.8)
    result = estimate_satellite(ISS, [svalbard, singapore], min_elevation_deg=5)
    assert result is not None
    assert result["bySite"]["Svalbard"] == 0
    assert 1 <= result["bySite"]["Singapore"] <= 8  # LEO: a handful of passes a day at most
    assert 0 < result["minutesPerDay"] < 8 * 12


@pytest.mark.parametrize(
    ("tle", "reason"),
    [
        ("GEO", "not estimated: not a low Earth orbit (1.00 rev/day"),
        ("DIPS_AFTER_148_H", "not estimated: sgp4 cannot propagate the TLE 148.1 h after its epoch (error 6"),
        ("DECAYS_AFTER_60_H", "not estimated: sgp4 cannot propagate the TLE 60.5 h after its epoch (error 6"),
        ("INSIDE_THE_EARTH", "not estimated: "),
    ],
)
def test_estimate_satellite_refuses_the_orbits_the_report_does_not_estimate(tle, reason):
    """The public estimate skipped the report's orbit checks: an orbit under the surface read 9.71
    contacts a day and a geostationary one none, where the report says "not estimated" and why."""
    site = Site("Singapore", 1.35, 103.8)
    with pytest.raises(ValueError) as refused:
        estimate_satellite(globals()[tle], [site], min_elevation_deg=5)
    assert str(refused.value).startswith(reason)
    assert estimate_satellite(ISS, [], min_elevation_deg=5) is None  # no sites, nothing to estimate


def _one_downlink_of(bandwidth_mhz: float) -> dict:
    data = spec_data("noaa20.yaml")
    link = dict(data["satellites"][0]["downlinks"][0], bandwidth_mhz=bandwidth_mhz)
    data["satellites"] = [{"name": "iss", "norad_id": 25544, "tle": ISS, "downlinks": [link]}]
    return coverage_report(build_blueprint(spec_from_data(data)))


@pytest.mark.parametrize("bandwidth_mhz", [40.5, 45, 54])
def test_a_downlink_the_ordinary_path_carries_keeps_every_site_though_billed_wideband(bandwidth_mhz):
    """Alaska 1 and Punta Arenas 1 lack the X-band wideband capability (50-400 MHz, through the
    Agent), not the ordinary antenna downlink (10 kHz-54 MHz): a downlink over the 40 MHz billing
    tier but within 54 MHz is received there too (it was dropped from 40 MHz up)."""
    report = _one_downlink_of(bandwidth_mhz)
    (satellite,) = report["satellites"]
    assert satellite["wideband"] is False
    assert {"Alaska 1", "Punta Arenas 1"} <= set(satellite["clouds"]["aws"]["bySite"])
    assert {"Alaska 1", "Punta Arenas 1"} <= set(report["sites"]["aws"])


def test_wideband_satellites_skip_sites_without_wideband():
    report = _one_downlink_of(54.5)  # past the ordinary path's 54 MHz: the wideband capability
    assert report["satellites"][0]["wideband"] is True
    by_site = report["satellites"][0]["clouds"]["aws"]["bySite"]
    assert "Alaska 1" not in by_site and "Hawaii 1" in by_site
    # the sites the report lists for the cloud are those the estimate used
    assert "Alaska 1" not in report["sites"]["aws"] and "Punta Arenas 1" not in report["sites"]["aws"]
    assert sorted(report["sites"]["aws"]) == sorted(by_site)


def test_a_warning_says_which_sites_of_the_network_it_could_not_count():
    """Viasat RTE's Georgia and UK sites have no coordinates: '0.0 contacts/day' is Alice Springs alone."""
    data = spec_data("partner.yaml")
    data["ground_segment"]["partner"]["name"] = "viasat_rte"
    data["ground_segment"]["contacts_per_day"] = 50
    report = coverage_report(build_blueprint(spec_from_data(data)))
    assert report["warnings"]
    for warning in report["warnings"]:
        assert (
            "Viasat Real-Time Earth (without Georgia (United States), United Kingdom: no coordinates in the site "
            "catalog)" in warning
        )


def test_reference_mission_per_network_contacts_and_gaps():
    report = coverage_report(build_blueprint(spec_from_data(spec_data("noaa20.yaml"))))
    (sat,) = report["satellites"]
    for cloud in CLOUDS:
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
    too_few = [w for w in report["warnings"] if "plans 100 contacts/day" in w]
    assert len(too_few) == 2
    assert all("ground_segment.contacts_per_day" in w for w in too_few)
    # fewer than 100 passes a day last the 10 minutes billed either: one more sentence per cloud
    too_short = [w for w in report["warnings"] if "bills, 100 contacts/day of 10 min" in w]
    assert len(too_short) == 2 and len(report["warnings"]) == 4


def test_planned_length_counts_single_site_passes_at_least_contact_minutes_long_at_the_boundary():
    from groundlink.coverage import contacts, planned_length_contacts

    ten_min = 600.0
    exactly = Pass("a", 0, 600, 300, 40)  # exactly contact_minutes: counts
    one_second_short = Pass("a", 10_000, 10_599, 10_300, 40)  # 599 s: does not
    assert planned_length_contacts([exactly], ten_min) == 1
    assert planned_length_contacts([one_second_short], ten_min) == 0
    assert planned_length_contacts([exactly, one_second_short], ten_min) == 1
    # two 7-minute passes at two sites overlapping by 4 min merge into a 10-minute window,
    # but a contact is taken on one antenna: neither holds a 10-minute contact
    relay = [Pass("a", 20_000, 20_420, 20_210, 30), Pass("b", 20_180, 20_600, 20_390, 30)]
    assert _merged_length(relay) == 600
    assert planned_length_contacts(relay, ten_min) == 0
    # two long passes at the same time over two sites are one contact, not two
    together = [Pass("a", 30_000, 30_700, 30_350, 60), Pass("b", 30_050, 30_650, 30_350, 50)]
    assert planned_length_contacts(together, ten_min) == 1
    # a pass starting the second the previous one ends is a distinct contact
    back_to_back = [Pass("a", 40_000, 40_600, 40_300, 60), Pass("b", 40_600, 41_200, 40_900, 60)]
    assert planned_length_contacts(back_to_back, ten_min) == 2
    # the largest non-overlapping set: one long pass spanning two shorter disjoint ones counts 2, not 1
    spanning = [
        Pass("a", 50_000, 51_500, 50_750, 80),
        Pass("b", 50_100, 50_700, 50_400, 30),
        Pass("c", 50_800, 51_400, 51_100, 30),
    ]
    assert planned_length_contacts(spanning, ten_min) == 2

    by_site = {"a": [exactly, one_second_short], "b": []}
    result = contacts(by_site, days=2, min_contact_seconds=180, contact_seconds=ten_min).to_json()
    assert result["contactsOfPlannedLengthPerDay"] == 0.5  # 1 pass in 2 days
    assert result["longestPassMinutes"] == 10.0
    # the merged count still takes both windows: they are at least min_contact_seconds long
    assert result["contactsPerDay"] == 1.0


def _merged_length(passes: list[Pass]) -> float:
    from groundlink.coverage import merge

    ((start, end),) = merge(passes)
    return end - start


def test_a_network_giving_exactly_the_planned_contacts_is_not_warned_of():
    """A network that gives the 4 contacts/day the spec plans is enough: it was warned of as
    "plans 4 contacts/day, but ... can give 4", a shortfall of nothing."""
    from groundlink.coverage import _warnings

    spec = spec_from_data(spec_data("noaa20.yaml"))
    satellites = copy.deepcopy(coverage_report(build_blueprint(spec))["satellites"])
    satellites[0]["clouds"]["azure"]["contactsPerDay"] = 4.0
    assert _warnings(satellites, spec.ground_segment, load_sites()) == []
    satellites[0]["clouds"]["azure"]["contactsPerDay"] = 27 / 7
    assert _warnings(satellites, spec.ground_segment, load_sites()) == [
        "noaa20 on Azure: the spec plans 4 contacts/day, but RBC Signals (former Azure Orbital Ground Station "
        "antennas) + KSATlite (KSAT sites of the former Azure Orbital partner path) can give 3.9 "
        "(ground_segment.contacts_per_day)"
    ]


def test_planned_length_warning_judges_each_cloud_by_the_same_counts():
    from groundlink.coverage import planned_length_warning

    gs = spec_from_data(spec_data("noaa20.yaml")).ground_segment  # 4 contacts/day of 10 min above 5 deg
    enough = {"contactsOfPlannedLengthPerDay": 4.0, "longestPassMinutes": 12.5}
    assert planned_length_warning("sat", "aws", "Net", enough, gs) is None
    assert planned_length_warning("sat", "azure", "Net", enough, gs) is None
    few = {"contactsOfPlannedLengthPerDay": 27 / 7, "longestPassMinutes": 12.5}
    for cloud in ("aws", "azure"):
        text = planned_length_warning("sat", cloud, "Net", few, gs)
        assert text is not None and text.startswith(f"sat on {TITLE[cloud]}: ")
        assert "only 27 single-site passes" in text and "(3.86/day)" in text and "12.50 min" in text
    none = planned_length_warning(
        "sat", "aws", "Net", {"contactsOfPlannedLengthPerDay": 0, "longestPassMinutes": 9.99}, gs
    )
    assert none is not None and "no pass over any single site of Net" in none and "longest lasts 9.99 min" in none
    for text in (none, planned_length_warning("sat", "aws", "Net", few, gs)):
        assert text is not None and text.count(". ") == 0  # one sentence
        for field in (
            "ground_segment.contacts_per_day",
            "ground_segment.contact_minutes",
            "ground_segment.min_elevation_deg",
        ):
            assert field in text


def test_a_figure_short_of_the_plan_is_shown_short_of_it():
    """Rounded half up to one place, 2.857 contacts/day read "plans 2.9 contacts/day, but ... can
    give 2.9"; a longest pass of 9.996 min would read "lasts 10.00 min" against 10 planned."""
    from groundlink.coverage import planned_length_warning
    from groundlink.rounding import figure_under

    assert figure_under(20 / 7, 2.9, 1) == "2.86"
    assert figure_under(342 / 7, 48.86, 1) == "48.857"  # 48.9, then 48.86, are not under it
    assert figure_under(3.2, 4, 1) == "3.2"  # one place when one place shows it
    assert figure_under(0.0024, 10, 2) == "0.002"  # a pass of 0.144 s read "lasts 0.00 min"
    assert figure_under(0, 10, 2) == "0.00"
    gs = spec_from_data(spec_data("noaa20.yaml")).ground_segment  # 4 contacts/day of 10 min
    none = planned_length_warning(
        "sat", "aws", "Net", {"contactsOfPlannedLengthPerDay": 0, "longestPassMinutes": 9.996}, gs
    )
    assert none is not None and none.endswith("the longest lasts 9.996 min")
    few = planned_length_warning(
        "sat", "aws", "Net", {"contactsOfPlannedLengthPerDay": 3.999, "longestPassMinutes": 12}, gs
    )
    assert few is not None and "(3.999/day)" in few


def _noaa20_coverage(**ground_segment: float) -> dict:
    data = spec_data("noaa20.yaml")
    data["ground_segment"].update(ground_segment)
    return coverage_report(build_blueprint(spec_from_data(data)))


def test_real_noaa20_at_20_deg_has_no_pass_long_enough_for_its_10_minute_contacts_and_says_so():
    report = _noaa20_coverage(min_elevation_deg=20)
    (sat,) = report["satellites"]
    assert len(report["warnings"]) == 2
    for cloud, warning in zip(CLOUDS, report["warnings"], strict=True):
        offer = sat["clouds"][cloud]
        # the merged windows are many (the old check saw nothing wrong) ...
        assert offer["contactsPerDay"] > 4
        # ... but no single-site pass above 20 deg lasts 10 min
        assert offer["contactsOfPlannedLengthPerDay"] == 0
        assert 0 < offer["longestPassMinutes"] < 10
        assert warning.startswith(f"noaa20 on {TITLE[cloud]}: ")
        assert "4 contacts/day of 10 min" in warning and "above 20 deg" in warning
        assert f"the longest lasts {offer['longestPassMinutes']:.2f} min" in warning
        for field in ("ground_segment.contact_minutes", "ground_segment.min_elevation_deg"):
            assert field in warning


def test_real_noaa20_25_minute_contacts_exist_on_no_cloud():
    report = _noaa20_coverage(contact_minutes=25)
    (sat,) = report["satellites"]
    assert [w.split(":")[0] for w in report["warnings"]] == ["noaa20 on AWS", "noaa20 on Azure"]
    for cloud in CLOUDS:
        assert sat["clouds"][cloud]["contactsOfPlannedLengthPerDay"] == 0
        assert sat["clouds"][cloud]["longestPassMinutes"] < 25
        assert "lasts 25 min" in report["warnings"][CLOUDS.index(cloud)]


def test_real_noaa20_default_spec_has_its_10_minute_contacts_on_both_clouds_and_no_warning():
    report = _noaa20_coverage()
    (sat,) = report["satellites"]
    for cloud in CLOUDS:
        offer = sat["clouds"][cloud]
        assert offer["contactsOfPlannedLengthPerDay"] >= 4
        assert offer["longestPassMinutes"] >= 10
    assert report["warnings"] == []


def test_real_noaa20_each_cloud_warns_exactly_when_its_passes_of_planned_length_are_too_few():
    report = _noaa20_coverage(contacts_per_day=30)
    (sat,) = report["satellites"]
    short = {c for c in CLOUDS if sat["clouds"][c]["contactsOfPlannedLengthPerDay"] < 30}
    warned = {
        c
        for c in CLOUDS
        if any(w.startswith(f"noaa20 on {TITLE[c]}: ") and "lasting at least 10 min" in w for w in report["warnings"])
    }
    assert short and warned == short


GEO = [
    "1 99101U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9994",
    "2 99101   0.0500  80.0000 0001000   0.0000 162.7452  1.00273791341001",
]
DECAYS_AFTER_60_H = [
    "1 99122U 17073A   24169.90584172  .00100000  00000+0  10000-1 0  9991",
    "2 99122  51.6000 107.8000 0000956 138.7000 221.4000 16.00000000341006",
]

# a perigee that dips under the surface for seconds at a time, 148 h after the epoch, between
# samples 10 minutes apart: it was estimated as 36 contacts a day
DIPS_AFTER_148_H = [
    "1 40005U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9993",
    "2 40005  98.7065 107.8155 1221000 138.6960 221.4288 14.00000000341002",
]
# an orbit inside the Earth (20 rev/day): no time of the window propagates, its epoch included
INSIDE_THE_EARTH = [
    "1 99122U 17073A   24169.90584172  .00100000  00000+0  10000-1 0  9991",
    "2 99122  51.6000 107.8000 0000956 138.7000 221.4000 20.00000000341001",
]


# 16.95 rev/day without drag terms: sgp4 propagates it all week, its perigee 23 km up (it was
# estimated in view 8 minutes a day); 16.6 rev/day puts it at 113 km, over the line
UNDER_THE_KARMAN_LINE = [
    "1 43013U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9995",
    "2 43013  51.6000 107.8155 0000956 138.6960 221.4288 16.95000000341001",
]
JUST_OVER_THE_KARMAN_LINE = [
    "1 43013U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9995",
    "2 43013  51.6000 107.8155 0000956 138.6960 221.4288 16.60000000341003",
]
# 11.2499 rev/day: under the LEO bound, which a figure to two places read as 11.25
JUST_UNDER_LEO = [
    "1 43013U 17073A   24169.90584172  .00000000  00000+0  00000+0 0  9995",
    "2 43013  55.0000 107.8155 0010000 138.6960 221.4288 11.24990000341005",
]


def _coverage_of(tle: list[str]) -> dict:
    data = spec_data()
    data["satellites"][0].update(tle=tle, norad_id=int(tle[0][2:7]))
    return coverage_report(build_blueprint(spec_from_data(data)))


@pytest.mark.parametrize(
    ("tle", "reason"),
    [
        (GEO, "not estimated: not a low Earth orbit (1.00 rev/day, eccentricity 0.0001); passes are estimated for LEO "
         "only (at least 11.25 rev/day and eccentricity under 0.25) (satellites[0].tle, noaa20)"),
        (DECAYS_AFTER_60_H, "not estimated: sgp4 cannot propagate the TLE 60.5 h after its epoch (error 6: the "
         "satellite has decayed) (satellites[0].tle, noaa20)"),
        (DIPS_AFTER_148_H, "not estimated: sgp4 cannot propagate the TLE 148.1 h after its epoch (error 6: the "
         "satellite has decayed) (satellites[0].tle, noaa20)"),
        (INSIDE_THE_EARTH, "not estimated: sgp4 cannot propagate the TLE at its epoch (error 6: the satellite "
         "has decayed) (satellites[0].tle, noaa20)"),
        (UNDER_THE_KARMAN_LINE, "not estimated: its perigee is 23 km up, under the 100 km Kármán line, where a "
         "satellite decays before completing an orbit (satellites[0].tle, noaa20)"),
        (JUST_UNDER_LEO, "not estimated: not a low Earth orbit (11.2499 rev/day, eccentricity 0.001); passes are "
         "estimated for LEO only (at least 11.25 rev/day and eccentricity under 0.25) (satellites[0].tle, noaa20)"),
    ],
)  # fmt: skip
def test_an_orbit_the_pass_model_cannot_estimate_is_said_so_not_read_as_never_in_view(tle, reason):
    """A GEO satellite, in view of three sites all week, read as 0 contacts/day and a 168 h gap; a
    satellite that decays after 60 h read as 2.5 days of passes spread over 7. The status names
    the spec field to change, as "needs TLE" does (it said only why, not where)."""
    report = _coverage_of(tle)
    (sat,) = report["satellites"]
    assert {e["status"] for e in (*sat["clouds"].values(), *sat["networks"].values())} == {reason}
    assert report["warnings"] == []  # no "can give 0.0" from figures that were never estimated


def test_a_perigee_just_under_the_karman_line_is_not_said_to_be_on_it():
    """99.7 km read "100 km up, under the 100 km Kármán line"."""
    from sgp4.api import Satrec

    from groundlink.coverage import under_the_karman_line

    tle = [JUST_OVER_THE_KARMAN_LINE[0], "2 43013  51.6000 107.8155 0000956 138.6960 221.4288 16.65135913341000"]
    said = under_the_karman_line(Satrec.twoline2rv(*tle), Window.from_epoch(tle, 7))
    assert said is not None and said.startswith("its perigee is 99.7 km up, under the 100 km Kármán line")


# A re-entering satellite's last element set: its mean perigee (at epoch) is 190 km up, but the
# drag term takes it under 100 km 135.8 h into the week; sgp4 propagates it until 188 h.
SINKS_UNDER_THE_KARMAN_LINE = [
    "1 99990U 24001A   24170.00000000  .05000000  12345-4  60000-3 0  9990",
    "2 99990  51.6000 100.0000 0005000 100.0000 260.0000 16.30000000 10006",
]


def test_an_orbit_that_sinks_under_the_karman_line_within_the_week_is_not_estimated():
    """Only the mean perigee at epoch was held to the line, and sgp4 keeps propagating below it:
    the week was estimated whole, 31 of its 193 passes flown under 100 km."""
    (sat,) = _coverage_of(SINKS_UNDER_THE_KARMAN_LINE)["satellites"]
    assert {e["status"] for e in (*sat["clouds"].values(), *sat["networks"].values())} == {
        "not estimated: it sinks under the 100 km Kármán line 135.8 h after its epoch (99.5 km up), where a "
        "satellite decays before completing an orbit (satellites[0].tle, noaa20)"
    }


def test_an_orbit_just_over_the_karman_line_is_estimated():
    (sat,) = _coverage_of(JUST_OVER_THE_KARMAN_LINE)["satellites"]
    assert {e["status"] for e in sat["clouds"].values()} == {"estimated"}


def test_a_tle_sgp4_reads_as_positions_of_nan_is_not_propagated_not_read_as_never_in_view():
    """sgp4 gives no error for a drag term it could not read, only positions of NaN, which the
    pass search read as a satellite never in view (the spec now refuses such a field: this is
    the estimate's own guard)."""
    from sgp4.api import Satrec

    from groundlink.coverage import propagation_failure

    blank_bstar = [DECAYS_AFTER_60_H[0][:53] + " " * 8 + DECAYS_AFTER_60_H[0][61:], DECAYS_AFTER_60_H[1]]
    satrec = Satrec.twoline2rv(*blank_bstar)
    failure = propagation_failure(satrec, Window.from_epoch(blank_bstar, 7))
    assert failure is not None and failure.endswith("(error 0: its position is not a number)")
    assert propagation_failure(Satrec.twoline2rv(*GEO), Window.from_epoch(GEO, 7)) is None


def test_passes_chained_across_sites_are_as_many_contacts_as_do_not_overlap():
    """Athens 55237-55599 s, Gävle 55513-56133 s, Svalbard 55780-56475 s (noaa20, one of nine such
    windows in a week): merged across sites they were one contact, though Athens and Svalbard
    do not overlap and are two contacts on two antennas; contacts/day then read fewer than the
    contacts of planned length, and the two warnings contradicted each other."""
    from groundlink.coverage import contacts

    by_site = {
        "athens": [Pass("athens", 55_237.0, 55_599.0, 55_418.0, 30.0)],
        "gavle": [Pass("gavle", 55_513.0, 56_133.0, 55_823.0, 40.0)],
        "svalbard": [Pass("svalbard", 55_780.0, 56_475.0, 56_127.0, 50.0)],
    }
    result = contacts(by_site, days=1, min_contact_seconds=60, contact_seconds=60)
    assert result.per_day == 2 == result.planned_length_per_day
    assert result.minutes_per_day == pytest.approx((56_475 - 55_237) / 60)  # in view without a break
    # only Gävle's and Svalbard's passes last 10 minutes, and they overlap: one contact of 10 min
    assert contacts(by_site, days=1, min_contact_seconds=600).per_day == 1


def test_a_pass_cut_by_an_edge_of_the_window_is_in_view_for_its_part_inside():
    """The window's first pass began before it and its last ends after it. Counted as gap, they
    made the longest gap too long and the minutes in view too few; each pass is still counted
    once, in the window that holds its culmination, and each window of contact in the one it
    begins in (counted in both, a cut window made contacts/day too many)."""
    from groundlink.coverage import contacts

    passes = {
        "a": [Pass("a", -300.0, 300.0, -10.0, 30.0), Pass("a", 40_000.0, 40_600.0, 40_300.0, 40.0)],
        "b": [Pass("b", 86_000.0, 86_700.0, 86_350.0, 50.0)],
    }
    offered = contacts(passes, days=1, min_contact_seconds=0, contact_seconds=600)
    # in view: 0-300, 40,000-40,600 and 86,000-86,400 (the day's end): 1,300 s
    assert offered.minutes_per_day == pytest.approx(1_300 / 60)
    assert offered.longest_gap_hours == pytest.approx((86_000 - 40_600) / 3600)
    assert offered.per_day == 2  # the windows that begin inside the day, b's whole; a's first began the day before
    assert offered.by_site == {"a": 1, "b": 1}  # a's first pass culminates the day before
    assert offered.longest_pass_minutes == pytest.approx(700 / 60)  # b's, whole
    assert offered.planned_length_per_day == 2


def test_passes_at_the_window_edges_of_a_real_orbit_match_an_independent_prediction():
    """partner.yaml's KSATlite sites over its TLE's week, against skyfield's find_events over the
    same TLE, sites and mask, computed apart from groundlink (passes cut by the window's edges
    clipped to it): longest gap 1.605 h, 306.27 min/day. Dropping the cut passes gave 1.726 h."""
    report = coverage_report(build_blueprint(spec_from_data(spec_data("partner.yaml"))))
    (satellite,) = report["satellites"]
    offered = satellite["clouds"]["aws"]
    assert offered["longestGapHours"] == pytest.approx(1.605, abs=0.001)
    assert offered["minutesPerDay"] == pytest.approx(306.27, abs=0.01)


# An equatorial LEO (0.5 deg inclination, 15.2 rev/day, about 400 km): KSATlite's sites lie at
# 25.9 deg S and beyond, farther than such an orbit is ever above 5 deg from.
EQUATORIAL = [
    "1 99201U 24001A   24169.50000000  .00000000  00000+0  00000+0 0  9993",
    "2 99201   0.5000  10.0000 0001000   0.0000   0.0000 15.20000000    19",
]


def _all_figures_finite(report: dict) -> bool:
    import json
    import math

    text = json.dumps(report, allow_nan=False)  # raises on NaN or inf
    numbers = [e[k] for s in report["satellites"] for e in s["clouds"].values() for k in e if k != "networks"]
    return bool(text) and all(math.isfinite(n) for n in numbers if isinstance(n, float))


@pytest.mark.parametrize(
    ("case", "no_site"),
    [("equatorial orbit over KSATlite", "KSATlite"), ("min_elevation_deg: 90", "AWS Ground Station")],
)
def test_a_satellite_no_site_ever_sees_is_said_never_in_view_not_a_pass_of_0_minutes(case, no_site):
    """The warning said "no pass ... lasts 9 min: the longest lasts 0.00 min", as if there were a
    pass too short, when no site sees the satellite at all (an orbit out of reach, a 90 deg mask)."""
    if case.startswith("equatorial"):
        data = spec_data("partner.yaml")
        data["satellites"][0].update(tle=EQUATORIAL, norad_id=99201)
        report = coverage_report(build_blueprint(spec_from_data(data)))
    else:
        report = _noaa20_coverage(min_elevation_deg=90)
    (sat,) = report["satellites"]
    for offer in sat["clouds"].values():
        assert offer["contactsPerDay"] == 0 and offer["longestPassMinutes"] == 0
        assert offer["longestGapHours"] == 168  # the whole week
    assert _all_figures_finite(report)
    never = [w for w in report["warnings"] if "not one pass" in w]
    assert len(never) == 2 and all("0.00 min" not in w and "longest lasts" not in w for w in report["warnings"])
    assert any(f"no site of {no_site}" in w for w in never)
    for text in never:
        assert text.count(". ") == 0 and "ground_segment.min_elevation_deg" in text


# NOAA-20's orbit with an epoch of 2005-01-01 12:00 UTC: a TLE far from the day of the run.
OLD_EPOCH = [
    "1 99202U 24001A   05001.50000000  .00000000  00000+0  00000+0 0  9998",
    "2 99202  98.7000 100.0000 0001000  90.0000   0.0000 14.20000000    17",
]


def test_the_report_names_the_week_of_each_tle_its_figures_are_for():
    """The figures are for the week after the TLE's epoch, but neither compare.json nor the report
    said which week: a TLE from 2005 gave 2005's passes with nothing to tell them from next week's."""
    report = _noaa20_coverage()
    (sat,) = report["satellites"]
    # epoch 24169.90584172: 2024-06-17 (day 169 of a leap year) at 21:44:24 UTC
    assert sat["window"] == {"from": "2024-06-17T21:44Z", "to": "2024-06-24T21:44Z"}
    assert "noaa20 2024-06-17T21:44Z to 2024-06-24T21:44Z" in report["method"]
    old = _coverage_of(OLD_EPOCH)
    assert old["satellites"][0]["window"] == {"from": "2005-01-01T12:00Z", "to": "2005-01-08T12:00Z"}
    assert "not from today" in old["method"] and "2005-01-01T12:00Z" in old["method"]
    assert "window" not in _coverage_of(GEO)["satellites"][0]  # not estimated: no week to name


def test_every_number_of_the_site_catalog_has_a_source_with_its_date():
    """`wideband: false` (Alaska 1, Punta Arenas 1) cited the Locations page, which does not say
    it; RBC Signals' and KSATlite's sites cited no document at all."""
    networks = load_sites()["networks"]
    for name in ("aws_ground_station", "rbc_signals", "ksatlite", "viasat_rte"):
        source = networks[name]["source"]
        assert "https://" in source, name
    for name in ("aws_ground_station", "rbc_signals", "ksatlite"):
        assert "read 2026-12-03" in networks[name]["source"], name
    narrowband = [s for n in networks.values() for s in n["sites"] if s.get("wideband") is False]
    assert {s["name"] for s in narrowband} == {"Alaska 1", "Punta Arenas 1"}
    for site in narrowband:
        assert "locations.capabilities.html" in site["wideband_source"], site["name"]
        assert site["name"] in site["wideband_source"] and "read 2026-12-03" in site["wideband_source"]
    # where the source names no city, the catalog says the coordinates are a chosen point
    assert (
        "Alaska 1" in networks["aws_ground_station"]["note"] and "approximate" in networks["aws_ground_station"]["note"]
    )


def test_the_method_the_report_prints_counts_contacts_on_one_antenna():
    """compare.json's and the report's method still said contacts/day merged every site's passes
    after the count had become single-site passes."""
    method = coverage_report(build_blueprint(spec_from_data(spec_data())))["method"]
    assert (
        "Contacts/day: single-site passes at least 180 s long (ground_segment.min_contact_seconds), no two "
        "overlapping in time: what the network can offer, not what is booked." in method
    )
    assert "merged" not in method


def test_a_partner_network_the_catalog_does_not_hold_is_said_so_not_left_empty():
    """`partner: other` read "AWS sites (): none in the site catalog" in the report."""
    from groundlink.report.sections import _coverage

    data = spec_data("noaa20.yaml")
    data["ground_segment"].update(provider="partner", partner={"name": "other"})
    cov = coverage_report(build_blueprint(spec_from_data(data)))
    section = _coverage({"coverage": cov}, ["aws", "azure"])
    texts = [cell.text for cell in (*section.paragraphs, *section.after, *section.bullets)]
    sites = [t for t in texts if " sites (" in t]
    assert sites == [
        "AWS sites (a partner network the catalog does not hold): none in the site catalog",
        "Azure sites (a partner network the catalog does not hold): none in the site catalog",
    ]


def _aqua_with(*extra_downlinks: dict) -> dict:
    """aqua-legacy (RBC Signals on both clouds, 8160 MHz) with more downlinks."""
    data = spec_data("aqua-legacy.yaml")
    data["satellites"][0]["downlinks"] += list(extra_downlinks)
    return coverage_report(build_blueprint(spec_from_data(data)))


SBAND = {"name": "sband", "center_frequency_mhz": 2250, "bandwidth_mhz": 5, "data_rate_mbps": 2}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_site_that_receives_no_band_of_a_downlink_is_left_out_and_named(cloud):
    """Quincy, WA has no S-band downlink (Microsoft's band table): an S-band downlink's contacts
    cannot be taken there, and its passes were counted."""
    x_only = _aqua_with()["satellites"][0]["clouds"][cloud]
    assert "Quincy WA" in x_only["bySite"] and "withoutSites" not in x_only
    report = _aqua_with(SBAND)
    with_s = report["satellites"][0]["clouds"][cloud]
    assert with_s["withoutSites"] == [
        {"site": "Quincy WA", "reason": "no downlink at 2250 MHz: it receives 7800-8400 MHz"}
    ]
    assert set(with_s["bySite"]) == set(x_only["bySite"]) - {"Quincy WA"}
    assert with_s["contactsPerDay"] < x_only["contactsPerDay"]
    assert "Quincy WA" not in report["sites"][cloud]  # no satellite of the spec can use it


def test_the_sites_line_names_what_some_satellite_uses_and_each_satellite_what_it_leaves_out():
    """A narrowband and a wideband satellite on AWS: the list named all 11 sites, and the wideband
    satellite's figures, without Alaska 1 and Punta Arenas 1, read as theirs."""
    from groundlink.report.sections import _coverage

    data = spec_data("noaa20.yaml")
    wide = dict(spec_data("partner.yaml")["satellites"][0], name="wide")  # S-NPP, with its own TLE
    wide["downlinks"] = [dict(wide["downlinks"][0], bandwidth_mhz=100)]
    data["satellites"].append(wide)
    report = coverage_report(build_blueprint(spec_from_data(data)))
    assert {"Alaska 1", "Punta Arenas 1"} <= set(report["sites"]["aws"])
    narrow, wideband = report["satellites"]
    assert "withoutSites" not in narrow["clouds"]["aws"]
    assert wideband["clouds"]["aws"]["withoutSites"] == [
        {"site": "Alaska 1", "reason": "no wideband downlink"},
        {"site": "Punta Arenas 1", "reason": "no wideband downlink"},
    ]
    after = [cell.text for cell in _coverage({"coverage": report}, ["aws", "azure"]).after]
    assert (
        "wide on AWS: estimated without Alaska 1 (no wideband downlink); Punta Arenas 1 (no wideband downlink)" in after
    )
    assert not any(line.startswith("noaa20 on") for line in after)


def test_a_satellite_every_site_refuses_gets_no_contact_and_a_warning_not_no_sites_in_the_catalog():
    """Aqua at 7780 MHz, inside the X band the spec takes, but under every RBC Signals site's
    7800-8400 MHz: the sites have coordinates, so "no sites with coordinates in the site catalog"
    and "contacts_per_day is not checked" hid that the network can take no contact of it."""
    from groundlink.report.sections import _coverage, coverage_not_estimated

    data = spec_data("aqua-legacy.yaml")
    downlink = data["satellites"][0]["downlinks"][0]
    downlink.pop("preset")
    downlink["center_frequency_mhz"] = 7780
    report = coverage_report(build_blueprint(spec_from_data(data)))
    (sat,) = report["satellites"]
    for cloud in CLOUDS:
        offer = sat["clouds"][cloud]
        assert offer["status"] == "no site of its networks can take its contacts"
        assert len(offer["withoutSites"]) == 5
        assert {w["reason"].split(":")[0] for w in offer["withoutSites"]} == {"no downlink at 7780 MHz"}
    assert [w.split(": the spec")[0] for w in report["warnings"]] == ["aqua on AWS", "aqua on Azure"]
    for warning in report["warnings"]:
        assert "no site of RBC Signals" in warning and "can take its contacts (no downlink at 7780 MHz" in warning
        assert "satellites[0].downlinks" in warning and warning.endswith("it gets none there")
    assert coverage_not_estimated({"coverage": report}) == []
    texts = [cell.text for cell in _coverage({"coverage": report}, list(CLOUDS)).after]
    assert [t for t in texts if t.startswith(tuple(f"{TITLE[c]} sites (" for c in CLOUDS))] == [
        f"{TITLE[c]} sites (RBC Signals (former Azure Orbital Ground Station antennas)): "
        "none that can take a satellite's contacts (below)"
        for c in CLOUDS
    ]


def _dubbo_warnings(tle: list[str] | None = None, **ground_segment: float) -> list[str]:
    data = spec_data("noaa20.yaml")
    if tle is not None:
        data["satellites"][0].update(tle=tle, norad_id=int(tle[0][2:7]))
    data["ground_segment"].update(ground_segment)
    report = coverage_report(build_blueprint(spec_from_data(data)))
    return [w for w in report["warnings"] if "dubbo_minutes_share" in w]


def test_a_network_that_never_sees_the_satellite_gives_none_not_a_rounded_zero():
    """An equatorial orbit never rises 5 deg over Viasat's one placed site (Alice Springs, 23.7 deg S):
    the warning read "can give 0.0", a figure rounded to zero, where no contact at all is given."""
    data = spec_data("partner.yaml")
    data["satellites"][0].update(tle=EQUATORIAL, norad_id=int(EQUATORIAL[0][2:7]))
    data["ground_segment"]["partner"] = {"name": "viasat_rte"}
    warnings = [w for w in coverage_report(build_blueprint(spec_from_data(data)))["warnings"] if "can give" in w]
    assert warnings == [
        f"snpp on {cloud}: the spec plans 6 contacts/day, but Viasat Real-Time Earth (without Georgia (United "
        "States), United Kingdom: no coordinates in the site catalog) can give none (ground_segment.contacts_per_day)"
        for cloud in ("AWS", "Azure")
    ]


def test_a_dubbo_share_of_an_orbit_dubbo_never_sees_is_warned_of():
    """An equatorial orbit never rises 5 deg over Dubbo (32 deg S): half its minutes were priced at
    Dubbo 1's rate with no word, though the coverage of the same run had no pass there."""
    assert _dubbo_warnings(EQUATORIAL, dubbo_minutes_share=0.5) == [
        "noaa20 on AWS: ground_segment.dubbo_minutes_share takes 50% of its contact minutes at Dubbo 1, priced "
        "there (2 of its 4 contacts/day), but in 7 days Dubbo 1 does not see it above 5 deg "
        "(ground_segment.min_elevation_deg): not one pass"
    ]
    assert _dubbo_warnings(EQUATORIAL) == []  # no share, nothing priced there


def test_a_dubbo_share_is_judged_against_dubbo_passes_a_day():
    """NOAA-20 passes over Dubbo a few times a day: a quarter of 4 contacts fits, half of 20 does not."""
    assert _dubbo_warnings(dubbo_minutes_share=0.25) == []
    (warning,) = _dubbo_warnings(dubbo_minutes_share=0.5, contacts_per_day=20, contact_minutes=5)
    assert warning.startswith(
        "noaa20 on AWS: ground_segment.dubbo_minutes_share takes 50% of its contact minutes at Dubbo 1, "
        "priced there (10 of its 20 contacts/day), but Dubbo 1 sees it above 5 deg "
        "(ground_segment.min_elevation_deg) on "
    )
    passes = float(warning.split(" on ")[-1].split(" passes/day")[0])
    assert 1 < passes < 10 and warning.endswith("passes/day of at least 5 min (ground_segment.contact_minutes)")


def test_a_dubbo_share_is_judged_against_the_passes_long_enough_for_a_contact():
    """Over the reference TLE's week Dubbo 1 sees NOAA-20 above 5 deg on 32 passes, 12 of them of
    12 min or more (skyfield's find_events, 2024-06-17T21:44Z to 06-24T21:44Z, 1.09 to 12.98 min):
    all 4 contacts a day of 12 min priced there passed without a word, as passes of any length
    (4.57 a day) were counted as room for them. None lasts 16 min."""
    (warning,) = _dubbo_warnings(dubbo_minutes_share=1, contact_minutes=12)
    assert warning == (
        "noaa20 on AWS: ground_segment.dubbo_minutes_share takes 100% of its contact minutes at Dubbo 1, priced "
        "there (4 of its 4 contacts/day), but Dubbo 1 sees it above 5 deg (ground_segment.min_elevation_deg) on "
        "1.71 passes/day of at least 12 min (ground_segment.contact_minutes)"
    )
    assert _dubbo_warnings(dubbo_minutes_share=0.4, contact_minutes=12) == []  # 1.6 of them a day fit
    (warning,) = _dubbo_warnings(dubbo_minutes_share=0.1, contact_minutes=16)
    assert warning.endswith(
        "(0.4 of its 4 contacts/day), but in 7 days not one of its passes over Dubbo 1 above 5 deg "
        "(ground_segment.min_elevation_deg) lasts 16 min (ground_segment.contact_minutes)"
    )


def test_a_dubbo_share_dubbo_cannot_take_is_warned_of_with_the_reason():
    """A wideband satellite, with a catalog where Dubbo 1 lacks the wideband capability (as
    Alaska 1 and Punta Arenas 1 do): no contact is taken there, whatever the share."""
    import copy

    catalog = copy.deepcopy(load_sites())
    (dubbo,) = [s for s in catalog["networks"]["aws_ground_station"]["sites"] if s["name"] == "Dubbo 1"]
    dubbo["wideband"] = False
    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = 100
    data["ground_segment"]["dubbo_minutes_share"] = 0.5
    report = coverage_report(build_blueprint(spec_from_data(data)), catalog)
    assert [w for w in report["warnings"] if "dubbo_minutes_share" in w] == [
        "noaa20 on AWS: ground_segment.dubbo_minutes_share takes 50% of its contact minutes at Dubbo 1, priced "
        "there (2 of its 4 contacts/day), but Dubbo 1 cannot take its contacts (no wideband downlink)"
    ]


@pytest.mark.parametrize(
    ("share", "per_day", "said"),
    [
        (1.0, 100, "takes 100% of its contact minutes at Dubbo 1, priced there (100 of its 100 contacts/day)"),
        (0.5, 25, "takes 50% of its contact minutes at Dubbo 1, priced there (12.5 of its 25 contacts/day)"),
        (0.004, 4, "takes 0.4% of its contact minutes at Dubbo 1, priced there (0.016 of its 4 contacts/day)"),
        (0.125, 4, "takes 12.5% of its contact minutes at Dubbo 1, priced there (0.5 of its 4 contacts/day)"),
        (0.0001, 4, "takes 0.01% of its contact minutes at Dubbo 1, priced there (0.0004 of its 4 contacts/day)"),
    ],
)
def test_the_dubbo_share_and_its_contacts_are_written_as_the_report_writes_figures(share, per_day, said):
    """Formatted as Python's %/g formats them, the share read "0%" for 0.4% and "12%" for 12.5%,
    and 100 contacts "1e+02"."""
    (warning,) = _dubbo_warnings(EQUATORIAL, dubbo_minutes_share=share, contacts_per_day=per_day, contact_minutes=5)
    assert said in warning


def test_the_spec_s_figures_are_written_out_in_the_method_never_with_an_exponent():
    """`:g` wrote 0.00001 contacts a day as 1e-05; the spec's figures are written as given."""
    data = spec_data("noaa20.yaml")
    data["ground_segment"].update(contacts_per_day=0.00001, contact_minutes=7.5)
    method = coverage_report(build_blueprint(spec_from_data(data)))["method"]
    assert "The spec plans 0.00001 contacts/day of 7.5 min per satellite." in method, method
    assert "e-0" not in method


def test_the_method_names_the_weeks_of_satellites_a_cloud_was_estimated_for():
    """With a partner the catalog does not hold (`partner.name: other`), the catalog's networks
    were estimated over the satellite's week and neither cloud's figures were: the method said
    "Weeks estimated ...: snpp 2024-06-17T21:19Z to ..." above a table saying neither was."""
    partner = spec_data("partner.yaml")
    estimated = coverage_report(build_blueprint(spec_from_data(partner)))
    assert " Weeks estimated (UTC, from each TLE's epoch, not from today): " in estimated["method"]
    partner["ground_segment"]["partner"]["name"] = "other"
    other = coverage_report(build_blueprint(spec_from_data(partner)))
    (satellite,) = other["satellites"]
    assert {e["status"] for e in satellite["clouds"].values()} == {"no sites with coordinates in the site catalog"}
    assert "window" in satellite  # the catalog's networks were estimated over it
    assert "Weeks estimated" not in other["method"]
