"""Event Hubs Standard takes 1 MB a second of ingress per throughput unit and throttles above it
(docs/facts.md): the telemetry namespace is sized for the spec's telemetry rate, and the cost of
the Azure stack follows the units planned. AWS's Kinesis stream is on-demand and needs no size."""

from __future__ import annotations

import pytest

from groundlink.limits import event_hubs_units

from .conftest import variant_plan

NAMESPACE = "azure-native:eventhub:Namespace"


@pytest.mark.parametrize(("kb_per_second", "units"), [(0, 1), (1, 1), (1000, 1), (1000.5, 2), (5000, 5), (20000, 20)])
def test_a_throughput_unit_takes_a_thousand_kb_a_second(kb_per_second, units):
    assert event_hubs_units(kb_per_second) == units


def _telemetry_namespace(plan):
    (namespace,) = [r for r in plan.of_type(NAMESPACE) if "telemetry" in r.name]
    return namespace


@pytest.mark.parametrize(("kb_per_second", "units"), [(1, 1), (5000, 5)])
def test_the_telemetry_namespace_has_the_units_its_rate_needs(kb_per_second, units):
    plan = variant_plan("azure", {"usage.telemetry_kb_per_second": kb_per_second, "security.premium_messaging": False})
    assert _telemetry_namespace(plan).inputs["sku"] == {"name": "Standard", "tier": "Standard", "capacity": units}


def test_the_azure_cost_bills_the_units_planned():
    """5 units all month: 5 x 730 TU-hours of throughput and as many of Capture."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    changes = {"usage.telemetry_kb_per_second": 5000, "security.premium_messaging": False}
    blueprint = build_blueprint(spec_from_data(with_changes(spec_data(), changes)))
    catalogs, _ = load_catalogs()
    plans = {"aws": variant_plan("aws", changes), "azure": variant_plan("azure", changes)}
    lines = {x.item: x for x in estimate(blueprint, catalogs, plans=plans).clouds["azure"].lines}
    assert lines["Event Hubs Standard throughput units"].quantity == 3650
    assert lines["Event Hubs Capture (telemetry archive)"].quantity == 3650


def test_a_live_stream_adds_its_downlinks_rate():
    """The partner's 15 Mbit/s downlink streamed live into the mission's hub is 1,875 KB/s, 2 units
    (a partner sends no telemetry: its 1 KB/s is not sized). A managed station streams to AWS only:
    no stream on Azure, only the telemetry AWS Ground Station sends on AWS, sized alike."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    streamed = spec_from_data(with_changes(spec_data("partner.yaml"), {"delivery.stream": True}))
    assert streamed.contact_hub_kb_per_second() == pytest.approx(1875.0)
    assert event_hubs_units(streamed.contact_hub_kb_per_second()) == 2
    managed = spec_from_data(with_changes(spec_data(), {"delivery.stream": True}))
    assert managed.contact_hub_kb_per_second() == 1.0


def test_a_partners_unsent_telemetry_neither_sizes_nor_refuses_its_stream_hub():
    """A partner sends no telemetry: 19,000 KB/s of usage.telemetry_kb_per_second beside the
    1,875 KB/s stream read 20,875 KB/s, 21 units, and refused the spec (an AWS plan too, which has
    no Event Hubs), for a hub the stream alone fills to 2 units."""
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    spec = spec_from_data(
        with_changes(spec_data("partner.yaml"), {"usage.telemetry_kb_per_second": 19000, "delivery.stream": True})
    )
    assert spec.contact_hub_kb_per_second() == pytest.approx(1875.0)
    assert event_hubs_units(spec.contact_hub_kb_per_second()) == 2


def _constellation(rates_mbps, contacts_per_day, contact_minutes):
    """partner.yaml streaming live, its one satellite replaced by one per rate (no processing: the
    contacts' size on the processor's disk is another test's)."""
    from .conftest import spec_data, with_changes

    satellites = [
        {
            "name": f"sat-{i}",
            "norad_id": 90001 + i,
            "downlinks": [
                {
                    "name": "hrd",
                    "center_frequency_mhz": 7812,
                    "bandwidth_mhz": 30,
                    "delivery": "demod_decode",
                    "data_rate_mbps": rate,
                }
            ],
        }
        for i, rate in enumerate(rates_mbps)
    ]
    changes = {
        "satellites": satellites,
        "delivery.stream": True,
        "processing.enabled": False,
        "ground_segment.contacts_per_day": contacts_per_day,
        "ground_segment.contact_minutes": contact_minutes,
    }
    return with_changes(spec_data("partner.yaml"), changes), changes


def test_contacts_the_constellation_s_minutes_force_to_overlap_are_sized_together():
    """3 satellites x 24 contacts x 30 min are 2,160 minutes a day: 2 contacts at once, of the two
    fastest satellites (30 and 15 Mbit/s: 3,750 + 1,875 KB/s; a partner sends no telemetry):
    5,625 KB/s, 6 units. Sized for one contact, the namespace had 4 and throttled the second."""
    from groundlink.spec import spec_from_data

    data, changes = _constellation([15, 30, 15], 24, 30)
    spec = spec_from_data(data)
    assert spec.contacts_at_once() == 2
    assert spec.contact_hub_kb_per_second() == pytest.approx(5625.0)
    plan = variant_plan("azure", changes, base="partner.yaml")
    (namespace,) = plan.of_type(NAMESPACE)
    assert namespace.inputs["sku"]["capacity"] == 6


def test_a_day_s_minutes_of_one_satellite_is_still_one_contact_at_a_time():
    from groundlink.spec import spec_from_data

    data, _ = _constellation([15, 15], 18, 40)  # 720 minutes each, 1,440 in all: back to back
    assert spec_from_data(data).contacts_at_once() == 1
    data, _ = _constellation([15, 15], 18, 40.5)  # 1,458 minutes: two overlap
    assert spec_from_data(data).contacts_at_once() == 2


def test_contacts_at_once_over_twenty_units_are_refused_saying_why():
    """6 satellites each in contact all day (24 x 60 min) stream 6 x 3,750 KB/s at once (a partner
    sends no telemetry): 22,500 KB/s, 23 units."""
    from groundlink.spec import SpecError, spec_from_data

    data, _ = _constellation([30] * 6, 24, 60)
    with pytest.raises(SpecError) as refused:
        spec_from_data(data)
    assert refused.value.lines == [
        "<spec>: delivery.stream: 6 contacts at once (satellites x contacts_per_day x contact_minutes over a "
        "day's 1,440 minutes) send 22,500 KB/s to Event Hubs (a live stream of their downlinks), "
        "23 throughput units; a Standard namespace has at most 20 (20,000 KB/s)"
    ]


def test_telemetry_units_for_overlapping_contacts_are_telemetry_s_not_a_partner_stream_s():
    """24 satellites x 12 contacts x 8 min are 2,304 minutes a day: 2 contacts at once, each with
    600 KB/s of telemetry, 1,200 KB/s, 2 units. No partner streams here: both units are the
    analytics layer's, where the second was priced as "partner live delivery" and left out of
    the comparison."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    changes = {"ground_segment.contacts_per_day": 12, "usage.telemetry_kb_per_second": 600}
    spec = spec_from_data(with_changes(spec_data("constellation.yaml"), changes))
    assert spec.contacts_at_once() == 2
    plans = {"azure": variant_plan("azure", changes, base="constellation.yaml")}
    lines = estimate(build_blueprint(spec), load_catalogs()[0], plans=plans).clouds["azure"].lines
    hubs = [(x.layer, x.item, x.quantity) for x in lines if x.item.startswith("Event Hubs Standard throughput")]
    assert hubs == [("analytics", "Event Hubs Standard throughput units", 2 * 730)]


def _partner_streaming(**more):
    from .conftest import spec_data, with_changes

    changes = {"delivery.stream": True, "analytics.telemetry_stream": False, **more}
    return with_changes(spec_data("partner.yaml"), changes), changes


@pytest.mark.parametrize("planned", [True, False])
def test_a_premium_stream_namespace_is_priced_by_its_processing_unit(planned):
    """With telemetry off the partner's hub has a namespace of its own, Premium with
    security.premium_messaging: it was priced as one Standard throughput unit ($21.90 a month
    where a processing unit is $749.71); without a plan (the alternatives table) not at all."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    data, changes = _partner_streaming(**{"security.premium_messaging": True})
    plans = {"azure": variant_plan("azure", changes, base="partner.yaml")} if planned else None
    lines = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0], plans=plans).clouds["azure"].lines
    hubs = [(x.layer, x.item, x.quantity, x.price_id) for x in lines if x.item.startswith("Event Hubs")]
    assert hubs == [
        ("ground", "Event Hubs Premium processing units (partner live delivery)", 730, "event_hubs_premium_pu_hour")
    ]


def test_a_standard_stream_namespace_is_priced_with_or_without_a_plan():
    """The partner's 15 Mbit/s stream is 1,875 KB/s: 2 units in its own namespace, planned or
    not (the alternatives table prices without a plan, and said nothing of them)."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    data, changes = _partner_streaming()
    blueprint = build_blueprint(spec_from_data(data))
    for plans in ({"azure": variant_plan("azure", changes, base="partner.yaml")}, None):
        lines = estimate(blueprint, load_catalogs()[0], plans=plans).clouds["azure"].lines
        hubs = [(x.layer, x.item, x.quantity) for x in lines if x.item.startswith("Event Hubs")]
        assert hubs == [("ground", "Event Hubs Standard throughput units (partner live delivery)", 2 * 730)]


def test_the_stream_s_event_hubs_lines_say_what_they_bill():
    """Each Event Hubs line's basis says its units and hours, and whose they are: the stream's own
    namespace ("2 TU x 730 h"), or the share of the telemetry namespace a partner's live stream
    takes, whose Capture bills every unit of the namespace, the partner's too. Priced without a
    plan, as the alternatives table prices them."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    from .conftest import with_changes

    def bases(data) -> list[tuple[str, str]]:
        lines = estimate(build_blueprint(spec_from_data(data)), load_catalogs()[0]).clouds["azure"].lines
        return [(x.item, x.basis) for x in lines if x.item.startswith("Event Hubs")]

    assert bases(_partner_streaming()[0]) == [
        ("Event Hubs Standard throughput units (partner live delivery)", "the stream's namespace: 2 TU x 730 h")
    ]
    data, _ = _constellation([15, 30, 15], 24, 30)
    more = {
        "analytics.telemetry_stream": True,
        "usage.telemetry_kb_per_second": 600,
        "security.premium_messaging": False,
    }
    shared = dict(bases(with_changes(data, more)))
    share = "5 of the telemetry namespace's 6 TU x 730 h (the contact hub shares it)"
    assert shared["Event Hubs Standard throughput units (partner live delivery)"] == share
    assert shared["Event Hubs Capture (partner live delivery's units)"] == (
        share + "; Capture is billed on every unit of its namespace"
    )


def test_the_units_follow_the_contacts_per_day_priced_not_the_plan_s():
    """The sensitivity prices other contacts per day on the spec's own plan: 24 satellites of 6
    contacts of 8 min with 5,000 KB/s of telemetry are 1 contact at once, 5 units; at 20
    contacts a day, 3,840 minutes, 3 at once, 15,000 KB/s, 15 units, priced on the 6/day plan."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    from .conftest import spec_data, with_changes

    changes = {"usage.telemetry_kb_per_second": 5000, "security.premium_messaging": False}
    plans = {"azure": variant_plan("azure", changes, base="constellation.yaml")}
    busier = spec_from_data(
        with_changes(spec_data("constellation.yaml"), {**changes, "ground_segment.contacts_per_day": 20})
    )
    lines = estimate(build_blueprint(busier), load_catalogs()[0], plans=plans).clouds["azure"].lines
    hubs = [(x.item, x.quantity) for x in lines if x.item.startswith("Event Hubs Standard")]
    assert hubs == [("Event Hubs Standard throughput units", 15 * 730)]


def test_a_partner_stream_sharing_the_telemetry_namespace_is_priced_once_beside_telemetry():
    """2 contacts at once (3 satellites x 24 contacts x 30 min) of the two fastest downlinks
    streamed live: 3,750 + 1,875 KB/s = 5,625 KB/s in the telemetry namespace, 6 units. A partner
    sends no telemetry, so its 600 KB/s a contact are not sized (they made 7 units): the telemetry
    hub keeps its least, 1 unit, the analytics layer's, and 5 are the partner's live delivery,
    priced with their Capture in the ground layer; no namespace of the stream's own is priced."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost.catalog import load_catalogs
    from groundlink.cost.model import estimate
    from groundlink.spec import spec_from_data

    from .conftest import with_changes

    data, changes = _constellation([15, 30, 15], 24, 30)
    more = {
        "analytics.telemetry_stream": True,
        "usage.telemetry_kb_per_second": 600,
        "security.premium_messaging": False,
    }
    data, changes = with_changes(data, more), {**changes, **more}
    spec = spec_from_data(data)
    assert (spec.contacts_at_once(), spec.contact_hub_kb_per_second()) == (2, pytest.approx(5625.0))
    plan = variant_plan("azure", changes, base="partner.yaml")
    assert [n.inputs["sku"]["capacity"] for n in plan.of_type(NAMESPACE)] == [6]
    lines = estimate(build_blueprint(spec), load_catalogs()[0], plans={"azure": plan}).clouds["azure"].lines
    hubs = [(x.layer, x.item, x.quantity) for x in lines if x.item.startswith("Event Hubs")]
    assert sorted(hubs) == [
        ("analytics", "Event Hubs Capture (telemetry archive)", 1 * 730),
        ("analytics", "Event Hubs Standard throughput units", 1 * 730),
        ("ground", "Event Hubs Capture (partner live delivery's units)", 5 * 730),
        ("ground", "Event Hubs Standard throughput units (partner live delivery)", 5 * 730),
    ]


def test_telemetry_alone_over_twenty_units_is_refused_naming_the_telemetry_rate():
    """24 satellites x 20 contacts x 8 min are 3,840 minutes a day: 3 contacts at once, each with
    8,000 KB/s of telemetry, 24,000 KB/s, 24 units. No partner streams: the field to change is
    the telemetry rate, not delivery.stream."""
    from groundlink.spec import SpecError, spec_from_data

    from .conftest import spec_data, with_changes

    changes = {"ground_segment.contacts_per_day": 20, "usage.telemetry_kb_per_second": 8000}
    with pytest.raises(SpecError) as refused:
        spec_from_data(with_changes(spec_data("constellation.yaml"), changes))
    assert refused.value.lines == [
        "<spec>: usage.telemetry_kb_per_second: 3 contacts at once (satellites x contacts_per_day x "
        "contact_minutes over a day's 1,440 minutes) send 24,000 KB/s to Event Hubs (telemetry), 24 throughput "
        "units; a Standard namespace has at most 20 (20,000 KB/s)"
    ]


def test_a_premium_namespace_is_refused_where_the_stack_could_not_size_it():
    """With security.premium_messaging the spec let 22,500 KB/s through, and the Azure program
    then stopped with a traceback (GroundInputs.hub_units over 20): validate refuses what the
    program cannot build, whatever the tier."""
    from groundlink.spec import SpecError, spec_from_data

    from .conftest import with_changes

    data, _ = _constellation([30] * 6, 24, 60)
    with pytest.raises(SpecError) as refused:
        spec_from_data(with_changes(data, {"security.premium_messaging": True}))
    assert "23 throughput units; a Standard namespace has at most 20" in refused.value.lines[0]


def test_a_premium_namespace_past_one_processing_unit_is_warned_of():
    """security.premium_messaging keeps the hubs' namespace at 1 processing unit, which Microsoft
    gives about 5-10 MB/s of ingress: 5,625 KB/s of streams at once (6 Standard units' worth) is
    past the low end, said on the plan; the same spec on Standard sizes 6 units and says nothing."""
    _, changes = _constellation([15, 30, 15], 24, 30)
    premium = variant_plan("azure", {**changes, "security.premium_messaging": True}, base="partner.yaml")
    (warning,) = [w for w in premium.warnings if w.startswith("security.premium_messaging: the contact hubs'")]
    assert "1 processing unit, which Microsoft gives about 5-10 MB/s of ingress" in warning
    assert "send more than the low end, 5,000 KB/s (6 Standard throughput units' worth)" in warning
    standard = variant_plan("azure", changes, base="partner.yaml")
    assert not [w for w in standard.warnings if "processing unit" in w]
