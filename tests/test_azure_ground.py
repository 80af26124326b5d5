"""The Azure ground segment: partner landing zone by default, retired Azure Orbital only on opt-in."""

from __future__ import annotations

import pytest

from groundlink import limits
from groundlink.spec import load_spec

from .azure_support import azure, every, one, tle_for, variant
from .conftest import DROP, SPECS, variant_plan

SBDC = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"  # Storage Blob Data Contributor
EH_SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975"  # Azure Event Hubs Data Sender
DEFAULT_SPECS = ("noaa20.yaml", "partner.yaml", "constellation.yaml")


def _grants_to(result, principal):
    return [r for r in every(result, "authorization:RoleAssignment") if r.inputs["principalId"] == principal]


# -- partner mode -------------------------------------------------------------


def test_partner_principal_may_only_write_the_landing_container():
    result = azure("partner.yaml")
    principal = load_spec(SPECS / "partner.yaml").ground_segment.partner.azure_principal_object_id
    grants = _grants_to(result, principal)
    assert len(grants) == 1
    landing = one(result, "storage:BlobContainer", "polar-partner-storage-raw")
    assert grants[0].inputs["roleDefinitionId"].endswith(f"/roleDefinitions/{SBDC}")
    assert grants[0].inputs["scope"] == landing.outputs["id"]
    assert grants[0].inputs["scope"].endswith("/blobServices/default/containers/raw-contact-data")
    assert {"ground.partner_landing", "ground.delivery_identity"} <= set(grants[0].capability)
    assert "ground.partner_landing" in landing.capability


def test_landing_container_is_private_and_protected():
    landing = one(azure("partner.yaml"), "storage:BlobContainer", "polar-partner-storage-raw")
    assert landing.inputs["publicAccess"] == "None"
    assert landing.protect and landing.retainOnDelete


@pytest.mark.parametrize("spec", DEFAULT_SPECS)
def test_telemetry_hub_is_entra_only_tls12_with_an_analytics_consumer_group(spec):
    result = azure(spec)
    namespace = one(result, "eventhub:Namespace")
    assert namespace.inputs["minimumTlsVersion"] == "1.2"
    assert namespace.inputs["disableLocalAuth"] is True
    hub = one(result, "eventhub:EventHub")
    groups = {g.inputs["consumerGroupName"]: g for g in every(result, "eventhub:ConsumerGroup")}
    assert groups["analytics"].inputs["eventHubName"] == hub.inputs["eventHubName"]
    assert result.outputs["telemetry_stream"] == hub.outputs["id"]


@pytest.mark.parametrize("spec", DEFAULT_SPECS)
def test_default_plans_contain_no_orbital_resource_and_no_retirement_warning(spec):
    result = azure(spec)
    assert not [r for r in result.resources if r.type.startswith("azure-native:orbital:")]
    assert not [w for w in result.warnings if "Orbital" in w]


def test_managed_provider_is_a_named_gap_and_the_landing_zone_is_still_rendered(azure_noaa20):
    assert "2024-12-18" in azure_noaa20.gaps["ground.managed_station"]
    assert "partner" in azure_noaa20.gaps["ground.managed_station"]
    assert azure_noaa20.realizing("ground.partner_landing")
    # no partner principal named: nobody is granted write, and that is said, not hidden
    assert "ground.delivery_identity" in azure_noaa20.gaps
    assert not azure_noaa20.realizing("ground.delivery_identity")


@pytest.fixture(scope="module")
def streamed(tmp_path_factory):
    """partner.yaml with live delivery: the partner streams contact data into the mission's hub."""
    return variant(tmp_path_factory.mktemp("streamed"), {"delivery.stream": True}, base="partner.yaml")


def _stream_hub(result):
    return one(result, "eventhub:EventHub", "polar-partner-ground-contact-data")


def _hub_namespace(result, hub):
    [namespace] = [n for n in every(result, "eventhub:Namespace") if n.outputs["name"] == hub.inputs["namespaceName"]]
    return namespace


def test_partner_streams_into_a_contact_data_hub_in_a_hardened_namespace(streamed):
    hub = _stream_hub(streamed)
    assert hub.inputs["eventHubName"] == "contact-data"
    # a partition takes about 1 MB/s on Standard: as many as the 20 units a namespace can have, at least
    assert hub.inputs["partitionCount"] == 32
    assert hub.ignoreChanges == ["partitionCount"]  # fixed at creation on Standard
    assert hub.inputs["retentionDescription"]["retentionTimeInHours"] == 24
    namespace = _hub_namespace(streamed, hub)
    assert namespace.inputs["sku"]["name"] == "Standard"
    assert namespace.inputs["minimumTlsVersion"] == "1.2"
    assert namespace.inputs["disableLocalAuth"] is True
    # telemetry_stream is on: the telemetry namespace carries both hubs
    assert namespace.name == "polar-partner-ground-telemetry-namespace"
    assert len(every(streamed, "eventhub:Namespace")) == 1
    assert hub.outputs["id"] in streamed.outputs["ground_segment_ids"]


def test_stream_hub_is_sized_and_retained_like_the_telemetry_hub(streamed):
    """One hub shape for the mission, as on AWS one stream shape: the two cannot drift apart."""
    telemetry = one(streamed, "eventhub:EventHub", "polar-partner-ground-telemetry-hub")
    settings = ("partitionCount", "retentionDescription")
    assert [_stream_hub(streamed).inputs[k] for k in settings] == [telemetry.inputs[k] for k in settings]


def test_partner_may_only_send_to_the_stream_hub(streamed):
    principal = load_spec(SPECS / "partner.yaml").ground_segment.partner.azure_principal_object_id
    hub = _stream_hub(streamed)
    grants = {
        (g.inputs["roleDefinitionId"].rsplit("/", 1)[1], g.inputs["scope"]) for g in _grants_to(streamed, principal)
    }
    landing = one(streamed, "storage:BlobContainer", "polar-partner-storage-raw")
    assert grants == {(SBDC, landing.outputs["id"]), (EH_SENDER, hub.outputs["id"])}


def test_stream_delivery_is_realized_not_a_gap(streamed):
    assert "ground.stream_delivery" not in streamed.gaps
    realizing = {r.name for r in streamed.realizing("ground.stream_delivery")}
    assert {"polar-partner-ground-contact-data", "polar-partner-ground-partner-sends-contact-data"} <= realizing


def test_without_telemetry_stream_the_hub_gets_its_own_hardened_namespace_with_diagnostics(tmp_path):
    result = variant(tmp_path, {"delivery.stream": True, "analytics.telemetry_stream": False}, base="partner.yaml")
    [namespace] = every(result, "eventhub:Namespace")
    assert namespace is _hub_namespace(result, _stream_hub(result))
    assert "ground.stream_delivery" in namespace.capability
    assert (namespace.inputs["minimumTlsVersion"], namespace.inputs["disableLocalAuth"]) == ("1.2", True)
    assert namespace.inputs["tags"]["mission"] == "polar-partner"
    assert [r.name for r in every(result, "eventhub:EventHub")] == ["polar-partner-ground-contact-data"]
    diagnostics = [
        d for d in every(result, "monitor:DiagnosticSetting") if d.inputs["resourceUri"] == namespace.outputs["id"]
    ]
    assert len(diagnostics) == 1 and diagnostics[0].inputs["logs"][0]["categoryGroup"] == "allLogs"
    assert "telemetry_stream" not in result.outputs
    assert "ground.stream_delivery" not in result.gaps


def test_stream_delivery_without_a_partner_principal_is_a_gap_naming_the_field(tmp_path):
    result = variant(
        tmp_path,
        {"delivery.stream": True, "ground_segment.partner.azure_principal_object_id": None},
        base="partner.yaml",
    )
    assert "ground_segment.partner.azure_principal_object_id" in result.gaps["ground.stream_delivery"]
    assert not result.realizing("ground.stream_delivery")
    assert not [h for h in every(result, "eventhub:EventHub") if h.inputs["eventHubName"] == "contact-data"]


def test_managed_provider_streaming_has_no_partner_to_send_and_says_so(tmp_path):
    result = variant(tmp_path, {"delivery.stream": True})
    # the partner's field cannot be set with provider: managed: the reason names what can
    assert "provider: partner only" in result.gaps["ground.stream_delivery"]
    assert "azure_principal_object_id" not in result.gaps["ground.stream_delivery"]
    assert "provider: partner only" in result.gaps["ground.delivery_identity"]


def test_no_telemetry_stream_means_no_event_hub_and_no_output(tmp_path):
    result = variant(tmp_path, {"analytics.telemetry_stream": False})
    assert not [r for r in result.resources if r.type.startswith("azure-native:eventhub:")]
    assert "telemetry_stream" not in result.outputs


# -- legacy mode (aqua-legacy.yaml) ---------------------------------------------


@pytest.fixture(scope="module")
def aqua():
    return azure("aqua-legacy.yaml")


def test_aqua_legacy_is_the_only_example_opting_in():
    opted = [p.name for p in sorted(SPECS.glob("*.yaml")) if load_spec(p).clouds.azure.legacy_orbital]
    assert opted == ["aqua-legacy.yaml"]


def test_aqua_spacecraft_carries_norad_tle_and_the_reference_downlink(aqua):
    spec = load_spec(SPECS / "aqua-legacy.yaml")
    craft = one(aqua, "orbital:Spacecraft")
    assert craft.inputs["noradId"] == "27424"
    assert [craft.inputs["tleLine1"], craft.inputs["tleLine2"]] == spec.satellites[0].tle
    assert craft.inputs["links"] == [
        {
            "name": "direct-broadcast",
            "centerFrequencyMHz": 8160.0,
            "bandwidthMHz": 15.0,
            "direction": "Downlink",
            "polarization": "RHCP",
        }
    ]


def test_aqua_contact_profile_plans_to_the_reference_values(aqua):
    profile = one(aqua, "orbital:ContactProfile").inputs
    assert profile["minimumElevationDegrees"] == 5
    assert profile["minimumViableContactDuration"] == "PT1M"
    assert profile["autoTrackingConfiguration"] == "xBand"
    [link] = profile["links"]
    assert (link["direction"], link["polarization"]) == ("Downlink", "RHCP")
    [channel] = link["channels"]
    assert (channel["centerFrequencyMHz"], channel["bandwidthMHz"]) == (8160, 15)
    assert channel["demodulationConfiguration"] == "aqua_direct_broadcast"
    lo, hi = limits.AOGS_ENDPOINT_PORTS
    assert lo <= int(channel["endPoint"]["port"]) <= hi
    assert channel["endPoint"]["ipAddress"] == "10.40.0.4" and channel["endPoint"]["protocol"] == "TCP"
    assert int(profile["tags"]["endpoint-mtu"]) >= limits.AOGS_MIN_MTU


def test_aqua_contact_profile_uses_an_empty_delegated_subnet_of_at_least_24(aqua):
    import ipaddress

    profile = one(aqua, "orbital:ContactProfile")
    (subnet,) = [
        s
        for s in every(aqua, "network:Subnet")
        if s.outputs["id"] == profile.inputs["networkConfiguration"]["subnetId"]
    ]
    assert [d["serviceName"] for d in subnet.inputs["delegations"]] == ["Microsoft.Orbital/orbitalGateways"]
    assert ipaddress.ip_network(subnet.inputs["addressPrefix"]).prefixlen <= 24
    assert profile.inputs["networkConfiguration"]["subnetId"] == subnet.outputs["id"]
    # nothing else is placed in the delegated subnet
    others = [r for r in aqua.resources if r is not profile and subnet.outputs["id"] in str(r.inputs)]
    assert others == []


def test_aqua_telemetry_hub_is_wired_and_the_orbital_provider_may_only_send(aqua):
    spec = load_spec(SPECS / "aqua-legacy.yaml")
    hub = one(aqua, "eventhub:EventHub")
    assert one(aqua, "orbital:ContactProfile").inputs["eventHubUri"] == hub.outputs["id"]
    grants = _grants_to(aqua, spec.clouds.azure.orbital.resource_provider_object_id)
    assert [(g.inputs["roleDefinitionId"].rsplit("/", 1)[1], g.inputs["scope"]) for g in grants] == [
        (EH_SENDER, hub.outputs["id"])
    ]
    # Azure Orbital sends telemetry over the public endpoint
    assert one(aqua, "eventhub:Namespace").inputs["publicNetworkAccess"] == "Enabled"


def test_aqua_plan_warns_that_the_resources_can_no_longer_be_created(aqua):
    [warning] = [w for w in aqua.warnings if "Orbital" in w]
    assert "2024-12-18" in warning and "can no longer be created" in warning


def test_a_legacy_demod_decode_downlink_without_a_preset_is_planned_with_a_warning_naming_it():
    """The legacy channel's demodulation is the preset's named one: without a preset (a partner's
    spec may leave it out) the channel has none, which Azure Orbital reads as the raw VITA.49
    signal. The estate is still described (refusing it broke the specs of deployed estates),
    and the plan says so of the downlink; a downlink with its preset is said nothing of."""
    plan = variant_plan("azure", {"satellites.0.downlinks.0.preset": DROP}, "aqua-legacy.yaml")
    [channel] = one(plan, "orbital:ContactProfile").inputs["links"][0]["channels"]
    assert "demodulationConfiguration" not in channel
    said = [w for w in plan.warnings if "has no demodulation" in w]
    assert said == [
        "aqua-direct-broadcast: the legacy contact profile's channel has no demodulation (its named one comes "
        "from a preset, and the downlink has none): Azure Orbital sends a channel without one the raw VITA.49 "
        "signal, not the demodulated data the spec's demod_decode asks for"
    ]
    assert not [w for w in variant_plan("azure", {}, "aqua-legacy.yaml").warnings if "has no demodulation" in w]


def test_aqua_legacy_still_renders_the_partner_landing_zone(aqua):
    assert aqua.realizing("ground.partner_landing")
    assert aqua.realizing("ground.delivery_identity")
    ids = set(aqua.outputs["ground_segment_ids"])
    assert {one(aqua, "orbital:Spacecraft").outputs["id"], one(aqua, "orbital:ContactProfile").outputs["id"]} <= ids


def test_legacy_with_managed_provider_realizes_the_station_instead_of_a_gap(tmp_path):
    result = variant(
        tmp_path,
        {
            "satellites": [
                {
                    "name": "noaa20",
                    "norad_id": 43013,
                    "tle": tle_for(43013),
                    "downlinks": [
                        {
                            "name": "hrd",
                            "center_frequency_mhz": 7812,
                            "bandwidth_mhz": 30,
                            "preset": "jpss1_hrd",
                            "data_rate_mbps": 15,
                        },
                        {
                            "name": "hk",
                            "center_frequency_mhz": 2247.5,
                            "bandwidth_mhz": 5,
                            "polarization": "left_hand",
                            "delivery": "digif",
                            "data_rate_mbps": 1,
                        },
                        {
                            "name": "hrd-b",
                            "center_frequency_mhz": 7812,
                            "bandwidth_mhz": 30,
                            "preset": "jpss1_hrd",
                            "data_rate_mbps": 15,
                        },
                    ],
                }
            ],
            "delivery.stream": True,
            "processing.enabled": False,  # 9 GB of DigIF a contact: no function holds it (a job would)
            "clouds.azure.legacy_orbital": True,
            "clouds.azure.orbital": {"resource_provider_object_id": "9e0d3c2b-1a4f-4e5d-8c7b-6a5f4e3d2c1b"},
        },
    )
    assert "ground.managed_station" not in result.gaps and "ground.stream_delivery" not in result.gaps
    assert result.realizing("ground.managed_station") and result.realizing("ground.stream_delivery")
    profile = one(result, "orbital:ContactProfile").inputs
    links = {link["polarization"]: link for link in profile["links"]}
    assert sorted(links) == ["LHCP", "RHCP"]  # one link per polarization, channels under it
    ports = [c["endPoint"]["port"] for link in profile["links"] for c in link["channels"]]
    assert len(set(ports)) == 3
    channels = {c["name"]: c for link in profile["links"] for c in link["channels"]}
    assert channels["hrd"]["demodulationConfiguration"] == "jpss-1_direct_broadcast"
    assert "demodulationConfiguration" not in channels["hk"]  # DigIF: no modem
    assert result.warnings


def test_without_the_orbital_principal_profiles_get_no_hub_and_the_plan_says_why(tmp_path):
    result = variant(tmp_path, {"clouds.azure.orbital.resource_provider_object_id": None}, base="aqua-legacy.yaml")
    assert "eventHubUri" not in one(result, "orbital:ContactProfile").inputs
    assert not [
        g for g in every(result, "authorization:RoleAssignment") if g.inputs["roleDefinitionId"].endswith(EH_SENDER)
    ]
    assert any("resource_provider_object_id" in w for w in result.warnings)
