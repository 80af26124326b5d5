"""What a probe of 83 one-line breaks of the spec, cost, parity and check modules (2026-12-06)
changed without a test failing: a satellite with one wide downlink billed narrowband, guiding
files counted per satellite, the sensitivity grid without the spec's own contacts a day, and the
check runner's start-up timeout, violation order and cloud refusal."""

from __future__ import annotations

import copy

import pytest

from groundlink.blueprint import build_blueprint
from groundlink.check import host, runner
from groundlink.check.host import PackError
from groundlink.check.runner import Violation, in_report_order
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.decision import decision
from groundlink.cost.usage import monthly_usage
from groundlink.spec import spec_from_data

from .conftest import spec_data

WIDE = {
    "name": "wide",
    "center_frequency_mhz": 8100,
    "bandwidth_mhz": 50,
    "polarization": "right_hand",
    "delivery": "digif",
    "data_rate_mbps": 15,
}


def _blueprint(data):
    return build_blueprint(spec_from_data(data))


def _with_a_second_downlink(downlink):
    data = spec_data("noaa20.yaml")
    data["satellites"][0]["downlinks"].append(copy.deepcopy(downlink))
    return data


def test_a_satellite_with_one_wide_downlink_is_billed_wideband():
    """Ground Station bills a contact by its widest downlink: noaa20's 30 MHz decoded downlink
    and a 50 MHz DigIF one are wideband minutes (over 40 MHz), not narrowband."""
    data = _with_a_second_downlink(WIDE)
    data["processing"]["enabled"] = False  # a DigIF contact outgrows a function's disk
    blueprint = _blueprint(data)
    (contacts,) = monthly_usage(blueprint, 100).contacts
    assert contacts.wideband is True
    lines = {x.price_id for x in estimate(blueprint, load_catalogs()[0]).clouds["aws"].lines}
    assert "ground_station_wideband_minute" in lines
    assert "ground_station_narrowband_minute" not in lines


def test_guiding_files_are_one_a_contact_for_each_downlink():
    """docs: one guiding file per downlink a contact: two downlinks of one satellite write two."""
    second = {**copy.deepcopy(spec_data("noaa20.yaml")["satellites"][0]["downlinks"][0]), "name": "hrd2"}
    one = monthly_usage(_blueprint(spec_data("noaa20.yaml")), 100)
    two = monthly_usage(_blueprint(_with_a_second_downlink(second)), 100)
    contacts_per_month = one.contacts[0].contacts_per_month
    assert one.guides == {"aws": contacts_per_month}
    assert two.guides == {"aws": 2 * contacts_per_month}


def test_the_sensitivity_holds_a_row_at_the_spec_s_own_contacts_a_day():
    """The chart marks the spec's contacts a day; the table under it must hold that row too,
    between the grid's whole numbers."""
    data = spec_data("noaa20.yaml")
    data["ground_segment"]["contacts_per_day"] = 2.5
    blueprint = _blueprint(data)
    catalogs = load_catalogs()[0]
    series = decision(blueprint, estimate(blueprint, catalogs))["sensitivity"]["series"]
    assert 2.5 in [point["contactsPerDay"] for point in series]
    assert [point["contactsPerDay"] for point in series] == sorted(point["contactsPerDay"] for point in series)


def test_the_pack_has_60_seconds_to_start_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv(host.STARTUP_TIMEOUT_ENV, raising=False)
    assert host.startup_timeout() == 60.0
    monkeypatch.setenv(host.STARTUP_TIMEOUT_ENV, "0.5")
    assert host.startup_timeout() == 0.5


@pytest.mark.parametrize("raw", ["0", "-1", "0.0", "nan", "inf", "soon"])
def test_a_start_up_timeout_that_is_no_time_at_all_is_refused_in_one_line(monkeypatch, raw):
    monkeypatch.setenv(host.STARTUP_TIMEOUT_ENV, raw)
    with pytest.raises(PackError, match=r"^GROUNDLINK_PACK_STARTUP_SECONDS: .* is not allowed; allowed: a number"):
        host.startup_timeout()


def _violation(severity: str, enforcement: str, policy: str, name: str = "r") -> Violation:
    return Violation("aws", policy, enforcement, severity, "m", "urn", "t", name, [], "")


def test_violations_are_listed_by_severity_then_mandatory_before_advisory():
    listed = [
        _violation("medium", "mandatory", "b"),
        _violation("high", "advisory", "a"),
        _violation("high", "mandatory", "z"),
        _violation("high", "mandatory", "c", "y"),
        _violation("high", "mandatory", "c", "x"),
    ]
    ordered = sorted(listed, key=in_report_order)
    assert [(v.severity, v.enforcement, v.policy, v.resource_name) for v in ordered] == [
        ("high", "mandatory", "c", "x"),
        ("high", "mandatory", "c", "y"),
        ("high", "mandatory", "z", "r"),
        ("high", "advisory", "a", "r"),
        ("medium", "mandatory", "b", "r"),
    ]


def test_checking_a_cloud_groundlink_has_no_stack_for_is_one_line():
    with pytest.raises(PackError, match=r"^cloud: 'gcp' is not allowed; allowed: aws, azure$"):
        runner.check("specs/noaa20.yaml", ["gcp"])


def test_checking_no_cloud_is_refused_not_passed():
    """An empty cloud list (a CI variable left empty) checked nothing and passed."""
    with pytest.raises(PackError, match=r"^clouds: none given, so nothing would be checked; allowed: aws, azure$"):
        runner.check("specs/noaa20.yaml", [])
    with pytest.raises(PackError, match=r"^plans: none given, so nothing would be checked$"):
        runner.check_plans([])


def test_one_cloud_given_as_a_string_is_that_cloud(monkeypatch):
    """As `plan` takes it: iterated, "aws" was refused as the cloud 'a'."""
    seen = []
    monkeypatch.setattr(runner, "_check_all", lambda spec, jobs, *args, **kwargs: seen.extend(j[1] for j in jobs))
    runner.check("specs/noaa20.yaml", "aws")
    assert seen == ["noaa20-aws"]


def test_a_spec_given_as_data_where_a_path_belongs_says_so_in_one_line():
    """A dict or a MissionSpec for a path failed in pathlib: "expected str, bytes or os.PathLike"."""
    from groundlink.engine import plan
    from groundlink.spec import load_spec

    data = spec_data("noaa20.yaml")
    message = r"^{} takes the path of a spec file, not {} \(a spec's data as a dict: spec_from_data\(data\); "
    with pytest.raises(TypeError, match=message.format("load_spec", "dict")):
        load_spec(data)
    with pytest.raises(TypeError, match=message.format("plan", "MissionSpec")):
        plan(spec_from_data(data), "aws")
