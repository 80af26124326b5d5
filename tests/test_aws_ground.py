"""AWS ground segment: Ground Station configs and mission profiles, delivery roles, partner landing."""

from __future__ import annotations

import json
import re

import pytest

from groundlink.limits import CONFIG_NAME_PATTERN
from groundlink.presets import PRESETS

from .aws_support import (
    ACCOUNT,
    GS_CONFIG,
    GS_GROUP,
    GS_PROFILE,
    KEY,
    ROLE,
    as_list,
    aws,
    aws_data,
    aws_variant,
    bucket_by_role,
    component,
    doc,
    role_policy_of,
    sid,
    spec_data,
    statements,
)

STREAM = "aws:kinesis/stream:Stream"

# The JPSS-1 demodulation and decode documents of aws-samples/aws-groundstation-s3-data-delivery
# cfn/jpss1-gs-to-s3.yml (SnppJpssDownlinkDemodDecodeAntennaConfig), transcribed.
REFERENCE_DEMOD = {
    "type": "QPSK",
    "qpsk": {
        "carrierFrequencyRecovery": {
            "centerFrequency": {"value": 7812, "units": "MHz"},
            "range": {"value": 250, "units": "kHz"},
        },
        "symbolTimingRecovery": {
            "symbolRate": {"value": 15, "units": "Msps"},
            "range": {"value": 0.75, "units": "ksps"},
            "matchedFilter": {"type": "ROOT_RAISED_COSINE", "rolloffFactor": 0.5},
        },
    },
}
REFERENCE_DECODE = {
    "edges": [
        {"from": "I-Ingress", "to": "IQ-Recombiner"},
        {"from": "Q-Ingress", "to": "IQ-Recombiner"},
        {"from": "IQ-Recombiner", "to": "CcsdsViterbiDecoder"},
        {"from": "CcsdsViterbiDecoder", "to": "NrzmDecoder"},
        {"from": "NrzmDecoder", "to": "UncodedFramesEgress"},
    ],
    "nodeConfigs": {
        "I-Ingress": {"type": "CODED_SYMBOLS_INGRESS", "codedSymbolsIngress": {"source": "I"}},
        "Q-Ingress": {"type": "CODED_SYMBOLS_INGRESS", "codedSymbolsIngress": {"source": "Q"}},
        "IQ-Recombiner": {"type": "IQ_RECOMBINER"},
        "CcsdsViterbiDecoder": {
            "type": "CCSDS_171_133_VITERBI_DECODER",
            "ccsds171133ViterbiDecoder": {"codeRate": "ONE_HALF"},
        },
        "NrzmDecoder": {"type": "NRZ_M_DECODER"},
        "UncodedFramesEgress": {"type": "UNCODED_FRAMES_EGRESS"},
    },
}


def config(plan, suffix):
    """A config of NOAA-20's one downlink, or with "tracking" the satellite's tracking config."""
    owner = "noaa20-ground-noaa20" if suffix == "tracking" else "noaa20-ground-noaa20-hrd"
    return plan.one(GS_CONFIG, f"{owner}-{suffix}")


def data_of(resource):
    ((kind, body),) = resource.inputs["configData"].items()
    return kind, body


class TestNoaa20Reference:
    def test_antenna_is_the_reference_spectrum(self):
        kind, body = data_of(config(aws(), "antenna"))
        assert kind == "antennaDownlinkDemodDecodeConfig"
        assert body["spectrumConfig"] == {
            "centerFrequency": {"value": 7812, "units": "MHz"},
            "bandwidth": {"value": 30, "units": "MHz"},
            "polarization": "RIGHT_HAND",
        }

    def test_demod_and_decode_are_the_reference_documents(self):
        _, body = data_of(config(aws(), "antenna"))
        assert json.loads(body["demodulationConfig"]["unvalidatedJson"]) == REFERENCE_DEMOD
        assert json.loads(body["decodeConfig"]["unvalidatedJson"]) == REFERENCE_DECODE

    def test_preset_json_is_the_template_text_without_whitespace(self):
        preset = PRESETS["jpss1_hrd"]
        assert preset.demodulation_json(7812.0) == json.dumps(REFERENCE_DEMOD, separators=(",", ":"))
        assert preset.decode_json() == json.dumps(REFERENCE_DECODE, separators=(",", ":"))

    def test_decode_graph_is_one_chain_ending_in_the_egress(self):
        _, body = data_of(config(aws(), "antenna"))
        graph = json.loads(body["decodeConfig"]["unvalidatedJson"])
        sinks = set(graph["nodeConfigs"]) - {e["from"] for e in graph["edges"]}
        assert sinks == {"UncodedFramesEgress"}
        assert graph["nodeConfigs"]["UncodedFramesEgress"]["type"] == "UNCODED_FRAMES_EGRESS"

    def test_tracking_autotrack_is_preferred(self):
        assert data_of(config(aws(), "tracking")) == ("trackingConfig", {"autotrack": "PREFERRED"})

    def test_mission_profile_timings(self):
        profile = aws().one(GS_PROFILE)
        assert profile.inputs["minimumViableContactDurationSeconds"] == 180
        assert profile.inputs["contactPrePassDurationSeconds"] == 120
        assert profile.inputs["contactPostPassDurationSeconds"] == 120
        assert profile.inputs["trackingConfigArn"] == config(aws(), "tracking").outputs["arn"]

    def test_dataflow_edge_leaves_the_egress_node_for_the_recording(self):
        plan = aws()
        (edge,) = plan.one(GS_PROFILE).inputs["dataflowEdges"]
        assert edge["source"] == config(plan, "antenna").outputs["arn"] + "/UncodedFramesEgress"
        assert edge["destination"] == config(plan, "recording").outputs["arn"]

    def test_recording_lands_hive_style_in_the_delivery_bucket(self):
        plan = aws()
        _, body = data_of(config(plan, "recording"))
        raw = bucket_by_role(plan, "raw")
        assert raw.outputs["bucket"].startswith("aws-groundstation-")
        assert body["bucketArn"] == raw.outputs["arn"]
        # each downlink under its own config's name: the processor reads each folder as a stream
        assert body["prefix"] == "contacts/year={year}/month={month}/day={day}/satellite={satellite_id}/{config-name}"
        assert not body["prefix"].startswith("/") and len(body["prefix"]) <= 900
        assert body["roleArn"] == plan.one(ROLE, "noaa20-ground-delivery-role").outputs["arn"]

    def test_telemetry_sink_feeds_the_stream_and_the_profile(self):
        plan = aws()
        sink = plan.one(GS_CONFIG, "noaa20-ground-telemetry-sink")
        kind, body = data_of(sink)
        assert kind == "telemetrySinkConfig" and body["telemetrySinkType"] == "KINESIS_DATA_STREAM"
        kinesis = body["telemetrySinkData"]["kinesisDataStreamData"]
        assert kinesis["kinesisDataStreamArn"] == plan.one("aws:kinesis/stream:Stream").outputs["arn"]
        assert kinesis["kinesisRoleArn"] == plan.one(ROLE, "noaa20-ground-telemetry-role").outputs["arn"]
        assert plan.one(GS_PROFILE).inputs["telemetrySinkConfigArn"] == sink.outputs["arn"]

    def test_telemetry_role_may_only_put_on_the_telemetry_stream_and_use_the_key_through_kinesis(self):
        plan = aws()
        stream, key = plan.one(STREAM).outputs["arn"], plan.one(KEY).outputs["arn"]
        policy = statements(doc(role_policy_of(plan, plan.one(ROLE, "noaa20-ground-telemetry-role"))))
        assert {s["Effect"] for s in policy} == {"Allow"}
        granted = {(a, s["Resource"]) for s in policy for a in as_list(s["Action"])}
        assert granted == {
            ("kinesis:DescribeStream", stream),
            ("kinesis:PutRecord", stream),
            ("kinesis:PutRecords", stream),
            ("kms:GenerateDataKey", key),
        }
        (kms,) = [s for s in policy if s["Action"] == ["kms:GenerateDataKey"]]
        assert kms["Condition"] == {"StringEquals": {"kms:ViaService": "kinesis.us-west-2.amazonaws.com"}}

    def test_no_streams_key_for_narrowband_object_delivery(self):
        assert "streamsKmsKey" not in aws().one(GS_PROFILE).inputs


class TestDeliveryRole:
    def test_trusts_ground_station_only_for_this_accounts_recording_configs(self):
        role = aws().one(ROLE, "noaa20-ground-delivery-role")
        (trust,) = statements(doc(role, "assumeRolePolicy"))
        assert trust["Principal"] == {"Service": "groundstation.amazonaws.com"}
        assert trust["Action"] == "sts:AssumeRole"
        assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT}
        assert trust["Condition"]["ArnLike"] == {
            "aws:SourceArn": f"arn:aws:groundstation:us-west-2:{ACCOUNT}:config/s3-recording/*"
        }

    def test_the_trust_admits_every_planned_recording_config_and_no_other_config(self):
        """The trust's ARN pattern and the configs' ARNs come from two places (the role's policy,
        the engine's mock of the API's ARNs): each recording config must match it, or Ground
        Station could not assume the role at the first contact."""
        from fnmatch import fnmatchcase

        plan = aws()
        (trust,) = statements(doc(plan.one(ROLE, "noaa20-ground-delivery-role"), "assumeRolePolicy"))
        pattern = trust["Condition"]["ArnLike"]["aws:SourceArn"]
        configs = plan.of_type("aws-native:groundstation:Config")
        admitted = {c.name for c in configs if fnmatchcase(c.outputs["arn"], pattern)}
        recording = {c.name for c in configs if "s3RecordingConfig" in c.inputs["configData"]}
        assert admitted == recording == {"noaa20-ground-noaa20-hrd-recording"}

    def test_s3_permissions_are_exactly_locate_and_put(self):
        plan = aws()
        policy = doc(role_policy_of(plan, plan.one(ROLE, "noaa20-ground-delivery-role")))
        arn = bucket_by_role(plan, "raw").outputs["arn"]
        s3 = {
            (a, r)
            for s in statements(policy)
            for a in as_list(s["Action"])
            if a.startswith("s3:")
            for r in as_list(s["Resource"])
        }
        # objects under the recording config's prefix only (contacts/year={year}/...), not the
        # whole raw bucket, which holds a partner's landing prefix too
        assert s3 == {("s3:GetBucketLocation", arn), ("s3:PutObject", f"{arn}/contacts/year=*")}
        (recording,) = [
            c for c in plan.of_type("aws-native:groundstation:Config") if "s3RecordingConfig" in c.inputs["configData"]
        ]
        assert recording.inputs["configData"]["s3RecordingConfig"]["prefix"].startswith("contacts/year={year}/")

    def test_key_use_is_only_through_s3(self):
        plan = aws()
        policy = doc(role_policy_of(plan, plan.one(ROLE, "noaa20-ground-delivery-role")))
        kms = sid(policy, "EncryptContactData")
        assert kms["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]  # multipart uploads need both
        assert kms["Resource"] == plan.one("aws:kms/key:Key").outputs["arn"]
        assert kms["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}


class TestLinks:
    def test_names_pass_the_ground_station_pattern(self):
        plan = aws("constellation.yaml")
        names = [r.inputs["name"] for r in plan.of_type(GS_CONFIG) + plan.of_type(GS_PROFILE)]
        assert names and all(re.fullmatch(CONFIG_NAME_PATTERN, n) for n in names)
        assert len(set(names)) == len(names)

    def test_digif_link_uses_antenna_downlink_and_an_unsuffixed_edge(self):
        plan = aws("constellation.yaml")
        antenna = plan.one(GS_CONFIG, "eo-constellation-ground-eo07-sband-antenna")
        kind, body = data_of(antenna)
        assert kind == "antennaDownlinkConfig"
        assert body["spectrumConfig"]["polarization"] == "LEFT_HAND"
        assert body["spectrumConfig"]["centerFrequency"] == {"value": 2250, "units": "MHz"}
        profile = plan.one(GS_PROFILE, "eo-constellation-ground-eo07-profile")
        assert antenna.outputs["arn"] in [edge["source"] for edge in profile.inputs["dataflowEdges"]]

    def test_every_link_config_lives_under_its_link_component(self):
        plan = aws("constellation.yaml")
        segment = component(plan, "AwsGroundSegment")
        links = [r for r in plan.children(segment) if r.type == "groundlink:index:AwsGroundLink"]
        assert len(links) == 48
        for link in links:
            names = sorted(r.name.rsplit("-", 1)[-1] for r in plan.children(link))
            assert names == ["antenna", "recording"]
            assert all(r.name.startswith(link.name + "-") for r in plan.children(link))

    def test_one_mission_profile_per_satellite_receives_all_its_downlinks(self):
        """A contact is reserved against one mission profile: with one per downlink a contact
        would receive one downlink, where the cost bills one contact per pass for all."""
        plan = aws("constellation.yaml")
        segment = component(plan, "AwsGroundSegment")
        satellites = [r for r in plan.children(segment) if r.type == "groundlink:index:AwsSatelliteProfile"]
        assert len(satellites) == 24 == len(plan.of_type(GS_PROFILE))
        for satellite in satellites:
            assert sorted(r.name.rsplit("-", 1)[-1] for r in plan.children(satellite)) == ["profile", "tracking"]
        eo07 = plan.one(GS_PROFILE, "eo-constellation-ground-eo07-profile")
        antennas = [plan.one(GS_CONFIG, f"eo-constellation-ground-eo07-{link}-antenna") for link in ("xband", "sband")]
        recordings = [
            plan.one(GS_CONFIG, f"eo-constellation-ground-eo07-{link}-recording") for link in ("xband", "sband")
        ]
        sources = [edge["source"] for edge in eo07.inputs["dataflowEdges"]]
        assert [edge["destination"] for edge in eo07.inputs["dataflowEdges"]] == [r.outputs["arn"] for r in recordings]
        assert [source.split("/UncodedFramesEgress")[0] for source in sources] == [a.outputs["arn"] for a in antennas]
        assert eo07.inputs["name"] == "eo-constellation eo07"
        assert len(plan.outputs["ground_segment_ids"]) == 24

    def test_ground_station_resources_carry_the_mission_tags(self):
        assert aws().of_type(GS_CONFIG) + aws().of_type(GS_PROFILE)
        for r in aws().of_type(GS_CONFIG) + aws().of_type(GS_PROFILE):
            tags = {t["key"]: t["value"] for t in r.inputs["tags"]}
            assert tags["mission"] == "noaa20" and tags["owner"] == "platform-team"
            assert tags["data-classification"] == "internal"


class TestStreamDelivery:
    def test_one_endpoint_per_downlink_matching_the_endpoint_configs(self):
        plan = aws_variant("stream")
        group = plan.one(GS_GROUP)
        (detail,) = group.inputs["endpointDetails"]
        _, endpoint_config = data_of(config(plan, "endpoint"))
        assert detail["endpoint"]["name"] == endpoint_config["dataflowEndpointName"]
        assert detail["endpoint"]["address"] == {"name": "10.64.0.10", "port": 55888}
        assert 1400 <= detail["endpoint"]["mtu"] <= 1500
        network = component(plan, "AwsNetwork")
        subnet = next(r for r in plan.children(network) if r.type == "aws:ec2/subnet:Subnet")
        assert detail["securityDetails"]["subnetIds"] == [subnet.outputs["id"]]
        assert group.inputs["contactPrePassDurationSeconds"] == 120

    def test_profile_sends_the_egress_to_both_recording_and_endpoint(self):
        plan = aws_variant("stream")
        edges = plan.one(GS_PROFILE).inputs["dataflowEdges"]
        assert {e["destination"] for e in edges} == {
            config(plan, "recording").outputs["arn"],
            config(plan, "endpoint").outputs["arn"],
        }
        assert {e["source"] for e in edges} == {config(plan, "antenna").outputs["arn"] + "/UncodedFramesEgress"}

    def test_endpoint_role_is_scoped_to_endpoint_groups_and_network_actions(self):
        plan = aws_variant("stream")
        role = plan.one(ROLE, "noaa20-ground-stream-role")
        (trust,) = statements(doc(role, "assumeRolePolicy"))
        assert trust["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":dataflow-endpoint-group/*")
        (allow,) = statements(doc(role_policy_of(plan, role)))
        assert all(a.startswith("ec2:") and "*" not in a for a in allow["Action"])

    def test_wideband_stream_is_encrypted_with_the_mission_key(self):
        plan = aws_variant("stream-only-wideband")
        profile = plan.one(GS_PROFILE)
        key = plan.one("aws:kms/key:Key").outputs["arn"]
        role = plan.one(ROLE, "noaa20-ground-streams-kms-role")
        assert profile.inputs["streamsKmsKey"] == {"kmsKeyArn": key}
        assert profile.inputs["streamsKmsRole"] == role.outputs["arn"]
        (grant,) = statements(doc(role_policy_of(plan, role)))
        assert grant["Action"] == ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"]
        assert grant["Condition"]["StringEquals"] == {"kms:EncryptionContext:sourceAccount": ACCOUNT}
        assert grant["Condition"]["ArnLike"]["kms:EncryptionContext:sourceArn"].endswith(":mission-profile/*")

    def test_only_a_wideband_satellite_s_profile_takes_the_streams_key(self):
        """A mission streaming one wideband and one narrowband satellite: the streams key and role
        are for the wideband one's profile alone (AWS Ground Station encrypts wideband streams)."""
        import copy

        from .conftest import plan_of

        data = spec_data()
        data["delivery"].update(stream=True, object_store=False)
        data["processing"].update(enabled=False)
        narrow = copy.deepcopy(data["satellites"][0])
        narrow.update(name="narrow", norad_id=99901)
        narrow.pop("tle", None)
        data["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = 100
        data["satellites"].append(narrow)
        plan = plan_of(data, "aws")
        keyed = {p.name: "streamsKmsKey" in p.inputs and "streamsKmsRole" in p.inputs for p in plan.of_type(GS_PROFILE)}
        assert keyed == {"noaa20-ground-noaa20-profile": True, "noaa20-ground-narrow-profile": False}

    def test_stream_only_has_no_recording_and_no_raw_store(self):
        plan = aws_variant("stream-only-wideband")
        kinds = {next(iter(r.inputs["configData"])) for r in plan.of_type(GS_CONFIG)}
        assert "s3RecordingConfig" not in kinds and "dataflowEndpointConfig" in kinds
        assert "raw_store_uri" not in plan.outputs


class TestPartner:
    def test_no_ground_station_resources(self):
        plan = aws("partner.yaml")
        assert not [r for r in plan.resources if r.type.startswith("aws-native:groundstation")]
        assert plan.realizing("ground.managed_station") == []

    def test_partner_account_may_only_write_the_landing_prefix(self):
        plan = aws("partner.yaml")
        role = plan.one(ROLE, "polar-partner-ground-partner-role")
        (trust,) = statements(doc(role, "assumeRolePolicy"))
        assert trust["Principal"] == {"AWS": "arn:aws:iam::111122223333:root"}
        assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "polar-partner-landing"}}
        assert not [w for w in plan.warnings if "ExternalId" in w]
        arn = bucket_by_role(plan, "raw").outputs["arn"]
        policy = doc(role_policy_of(plan, role))
        s3 = {
            (a, r)
            for s in statements(policy)
            for a in as_list(s["Action"])
            if a.startswith("s3:")
            for r in as_list(s["Resource"])
        }
        assert s3 == {("s3:GetBucketLocation", arn), ("s3:PutObject", f"{arn}/partner/*")}
        assert {c for r in (role,) for c in r.capability} >= {"ground.delivery_identity", "ground.partner_landing"}

    def test_ground_segment_ids_are_the_landing_prefix_and_the_role_the_partner_is_given(self):
        """docs/aws.md: "Give the role ARN to the partner": its name ends in Pulumi's random
        suffix, so the output is where the operator finds it (Azure's ids name the grant too)."""
        plan = aws("partner.yaml")
        bucket = bucket_by_role(plan, "raw").outputs["bucket"]
        role = plan.one(ROLE, "polar-partner-ground-partner-role").outputs["arn"]
        assert plan.outputs["ground_segment_ids"] == [f"s3://{bucket}/partner/", role]

    def test_without_external_id_the_trust_has_no_condition_and_the_plan_warns(self, tmp_path):
        data = spec_data("partner.yaml")
        del data["ground_segment"]["partner"]["aws_external_id"]
        plan = aws_data(tmp_path, data)
        (trust,) = statements(doc(plan.one(ROLE, "polar-partner-ground-partner-role"), "assumeRolePolicy"))
        assert "Condition" not in trust
        assert any("without an sts:ExternalId" in w and "aws_external_id" in w for w in plan.warnings)
        # the partner named as a name: with `other` it read "the other landing role", a second role
        data["ground_segment"]["partner"]["name"] = "other"
        other = aws_data(tmp_path, data)
        assert any(w.startswith("the landing role of partner 'other' trusts account") for w in other.warnings)

    def test_without_partner_account_the_identity_is_a_declared_gap(self, tmp_path):
        data = spec_data("partner.yaml")
        del data["ground_segment"]["partner"]["aws_account_id"]
        del data["ground_segment"]["partner"]["aws_external_id"]  # presented to the role no account gets
        plan = aws_data(tmp_path, data)
        assert "partner.aws_account_id" in plan.gaps["ground.delivery_identity"]
        assert plan.realizing("ground.delivery_identity") == []

    def test_partner_streams_land_on_a_protected_mission_key_stream(self, partner_streaming):
        plan = partner_streaming
        stream = plan.one(STREAM, PARTNER_STREAM)
        assert stream.inputs["streamModeDetails"] == {"streamMode": "ON_DEMAND"}
        assert stream.inputs["retentionPeriod"] == 24
        assert stream.inputs["encryptionType"] == "KMS" and stream.inputs["kmsKeyId"] == plan.one(KEY).outputs["arn"]
        assert stream.protect and stream.retainOnDelete
        assert stream.parent == component(plan, "AwsGroundSegment").urn
        assert "ground.stream_delivery" in stream.capability
        assert "ground.stream_delivery" not in plan.gaps
        assert not plan.of_type(GS_GROUP)

    def test_partner_stream_is_configured_like_the_telemetry_stream(self, partner_streaming):
        """One stream policy for the mission: sizing, retention and encryption do not drift apart."""

        def settings(stream):
            return {k: v for k, v in stream.inputs.items() if k not in ("tags", "kmsKeyId")}

        assert settings(partner_streaming.one(STREAM, PARTNER_STREAM)) == settings(aws().one(STREAM))

    def test_partner_role_may_only_put_records_on_the_partner_stream(self, partner_streaming):
        plan = partner_streaming
        arn, key = plan.one(STREAM, PARTNER_STREAM).outputs["arn"], plan.one(KEY).outputs["arn"]
        role = plan.one(ROLE, "polar-partner-ground-partner-role")
        policy = statements(doc(role_policy_of(plan, role)))
        kinesis = {
            (a, r)
            for s in policy
            for a in as_list(s["Action"])
            if a.startswith("kinesis:")
            for r in as_list(s["Resource"])
        }
        assert kinesis == {
            (a, arn)
            for a in ("kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary", "kinesis:ListShards")
        }
        via = {
            s["Condition"]["StringEquals"]["kms:ViaService"]: (as_list(s["Action"]), s["Resource"])
            for s in policy
            if any(a.startswith("kms:") for a in as_list(s["Action"]))
        }
        assert via["kinesis.eu-north-1.amazonaws.com"] == (["kms:GenerateDataKey"], key)
        assert {s["Effect"] for s in policy} == {"Allow"}
        assert "ground.stream_delivery" in role.capability

    def test_partner_stream_id_follows_the_landing_prefix_and_the_role(self, partner_streaming):
        plan = partner_streaming
        bucket = bucket_by_role(plan, "raw").outputs["bucket"]
        # the stream's ARN stays the second entry (as an earlier release documented it), the role last
        assert plan.outputs["ground_segment_ids"] == [
            f"s3://{bucket}/partner/",
            plan.one(STREAM, PARTNER_STREAM).outputs["arn"],
            plan.one(ROLE, "polar-partner-ground-partner-role").outputs["arn"],
        ]

    def test_partner_stream_without_mission_key_uses_the_kinesis_managed_key(self, tmp_path):
        data = spec_data("partner.yaml")
        data.update(delivery={"stream": True}, security={"customer_managed_keys": False})
        plan = aws_data(tmp_path, data)
        assert plan.one(STREAM, PARTNER_STREAM).inputs["kmsKeyId"] == "alias/aws/kinesis"
        policy = statements(doc(role_policy_of(plan, plan.one(ROLE, "polar-partner-ground-partner-role"))))
        assert not [a for s in policy for a in as_list(s["Action"]) if a.startswith("kms:")]

    def test_partner_stream_without_partner_account_is_a_declared_gap(self, tmp_path):
        data = spec_data("partner.yaml")
        data["delivery"] = {"stream": True}
        del data["ground_segment"]["partner"]["aws_account_id"]
        del data["ground_segment"]["partner"]["aws_external_id"]  # presented to the role no account gets
        plan = aws_data(tmp_path, data)
        assert "partner.aws_account_id" in plan.gaps["ground.stream_delivery"]
        assert "partner.aws_account_id" in plan.gaps["ground.delivery_identity"]
        assert not [s for s in plan.of_type(STREAM) if s.name == PARTNER_STREAM]
        assert plan.realizing("ground.stream_delivery") == []


PARTNER_STREAM = "polar-partner-ground-partner-stream"


@pytest.fixture(scope="module")
def partner_streaming(tmp_path_factory):
    data = spec_data("partner.yaml")
    data["delivery"] = {"stream": True}
    return aws_data(tmp_path_factory.mktemp("partner-stream"), data)


def test_two_missions_never_share_a_dataflow_endpoint_name():
    """Ground Station picks the group for a contact by endpoint name, account-wide: mission
    `jpss` with satellite `noaa-twenty` and mission `jpss-noaa` with satellite `twenty` named
    their endpoints alike when joined with `-`, so one mission's contacts could stream to the
    other's receiver."""
    from .conftest import variant_plan

    names = {}
    for mission, satellite in (("jpss", "noaa-twenty"), ("jpss-noaa", "twenty")):
        changes = {"mission.name": mission, "satellites.0.name": satellite, "delivery.stream": True}
        plan = variant_plan("aws", changes)
        (group,) = plan.of_type(GS_GROUP)
        (detail,) = group.inputs["endpointDetails"]
        _, endpoint_config = data_of(plan.one(GS_CONFIG, f"{mission}-ground-{satellite}-hrd-endpoint"))
        assert detail["endpoint"]["name"] == endpoint_config["dataflowEndpointName"]
        names[mission] = detail["endpoint"]["name"]
    assert names == {"jpss": "jpss_noaa-twenty_hrd", "jpss-noaa": "jpss-noaa_twenty_hrd"}


def test_an_endpoint_name_the_api_refuses_is_refused_before_deployment():
    from components.aws.naming import endpoint_name

    assert endpoint_name("m" * 32, "s" * 32, "d" * 32) == "_".join(("m" * 32, "s" * 32, "d" * 32))
    with pytest.raises(ValueError, match="dataflow endpoint name 'm_s/t_d'"):
        endpoint_name("m", "s/t", "d")


def test_each_satellite_streams_through_its_own_endpoint_group():
    """A contact reserves its whole dataflow endpoint group, and contacts run at once only on
    different groups (docs/facts.md §2): one group per satellite, holding that satellite's
    endpoints, so two satellites' passes that overlap can both stream."""
    from .conftest import variant_plan

    plan = variant_plan("aws", {"delivery.stream": True}, base="constellation.yaml")
    groups = plan.of_type("aws-native:groundstation:DataflowEndpointGroup")
    satellites = [s["name"] for s in spec_data("constellation.yaml")["satellites"]]
    assert len(groups) == len(satellites) == 24
    by_group = {g.name: sorted(e["endpoint"]["name"] for e in g.inputs["endpointDetails"]) for g in groups}
    downlinks = [d["name"] for d in spec_data("constellation.yaml")["satellites"][0]["downlinks"]]
    for satellite in satellites:
        assert by_group[f"eo-constellation-ground-stream-group-{satellite}"] == sorted(
            f"eo-constellation_{satellite}_{d}" for d in downlinks
        )
    ports = [e["endpoint"]["address"]["port"] for g in groups for e in g.inputs["endpointDetails"]]
    assert sorted(ports) == list(range(55888, 55888 + 48))  # one receiver address, a port per downlink
    # the interface the receiver runs on (docs/aws.md) follows the profiles in the stack's ids
    (receiver,) = plan.of_type("aws:ec2/networkInterface:NetworkInterface")
    profiles = [p.outputs["arn"] for p in plan.of_type("aws-native:groundstation:MissionProfile")]
    assert plan.outputs["ground_segment_ids"] == [*profiles, receiver.outputs["id"]]


def _digif(data) -> None:
    (link,) = data["satellites"][0]["downlinks"]
    link["delivery"] = "digif"
    link.pop("preset")


@pytest.mark.parametrize("to_digif", [True, False], ids=["demod-to-digif", "digif-to-demod"])
def test_a_downlink_switched_between_digif_and_demod_decode_replaces_its_antenna_config(to_digif):
    """A config's kind is in its ARN and in UpdateConfig's path (botocore groundstation), and the
    provider replaces on no part of its data: the switch was planned as an update no API call can
    make. The program's replace_on_changes makes it a replacement, in the plan and in the diff."""
    from .test_diff import change_of, edited, one_diff

    def off(data) -> None:
        data["processing"]["enabled"] = False  # DigIF samples hold no frames for the processor

    demod, digif = edited(off), edited(lambda d: (off(d), _digif(d)))
    old, new = (demod, digif) if to_digif else (digif, demod)
    diff = one_diff(old, new, "aws")
    antenna = change_of(diff, "aws-native:groundstation:Config", "noaa20-ground-noaa20-hrd-antenna")
    assert antenna.action == "replace" and antenna.forced_by == ("name",)
    profile = change_of(diff, "aws-native:groundstation:MissionProfile", "noaa20-ground-noaa20-profile")
    assert profile.action == "update"
    # a change within one kind is an update in place, as README says of bandwidth
    retuned = edited(lambda d: (off(d), d["satellites"][0]["downlinks"][0].update(bandwidth_mhz=25)))
    assert change_of(one_diff(demod, retuned, "aws"), antenna.type, antenna.name).action == "update"
    assert one_diff(demod, demod, "aws").changes == ()


def test_the_plan_records_the_antenna_config_s_replace_on_changes():
    from .conftest import cached_plan

    plan = cached_plan("noaa20.yaml", "aws")
    antenna = next(r for r in plan.resources if r.name == "noaa20-ground-noaa20-hrd-antenna")
    assert antenna.replaceOnChanges == ["name"]
    assert all(r.replaceOnChanges == [] for r in plan.resources if r is not antenna)


@pytest.mark.parametrize(("groups", "warned"), [(250, False), (251, True)])
def test_stream_delivery_warns_when_the_groups_interfaces_outgrow_the_mission_subnet(groups, warned):
    """A /24 keeps 251 of its addresses (EC2 reserves 5): one interface per dataflow endpoint group
    and the receiver's fill it at 250 streamed satellites, and `pulumi up` ran out of addresses at
    the 251st without a word before."""
    from groundlink.components.aws.ground import stream_subnet_problem

    problem = stream_subnet_problem(groups, "10.64.0.0/24")
    assert (problem is not None) == warned
    if warned:
        assert problem == (
            "ground: 251 streamed satellites get 251 dataflow endpoint groups, for each of which AWS Ground Station "
            "creates a network interface in the mission subnet 10.64.0.0/24 beside the receiver's: 252 addresses at "
            "least, where the subnet has 251 (EC2 reserves 5 of each subnet's), so `pulumi up` would run out of "
            "addresses; split the constellation into missions, or deliver its contacts to S3 (delivery.stream: false)"
        )


@pytest.mark.engine_runs
def test_the_subnet_warning_reaches_the_plan(monkeypatch, tmp_path):
    """The plan's warnings carry it (the subnet made too small here, as 251 satellites would fill it)."""
    from groundlink.components.aws import ground, security

    from groundlink.engine.runner import plan

    from .conftest import spec_data, with_changes, write_spec

    monkeypatch.setattr(security, "SUBNET_RESERVED_ADDRESSES", 255)  # a /24 of one usable address
    spec = write_spec(tmp_path, with_changes(spec_data(), {"delivery.stream": True}))
    assert [w for w in plan(spec, "aws").warnings if "dataflow endpoint groups" in w] == [
        ground.stream_subnet_problem(1, "10.64.0.0/24")
    ]
