"""The roles AWS Ground Station assumes: each says what it is for, each trusts Ground Station only
for this account's own configs, and the telemetry sink and its role exist only with a stream."""

from __future__ import annotations

from .aws_support import ACCOUNT, GS_CONFIG, GS_PROFILE, ROLE, aws, aws_variant, doc, statements

GS = f"arn:aws:groundstation:us-west-2:{ACCOUNT}"


def test_each_ground_station_role_says_what_it_does() -> None:
    plan = aws()
    assert plan.one(ROLE, "noaa20-ground-delivery-role").inputs["description"] == (
        "AWS Ground Station writes contact data to the raw bucket"
    )
    assert plan.one(ROLE, "noaa20-ground-telemetry-role").inputs["description"] == (
        "AWS Ground Station puts contact telemetry on the stream"
    )


def test_the_telemetry_role_trusts_ground_station_only_for_this_accounts_sinks_and_profiles() -> None:
    (trust,) = statements(doc(aws().one(ROLE, "noaa20-ground-telemetry-role"), "assumeRolePolicy"))
    assert trust["Principal"] == {"Service": "groundstation.amazonaws.com"}
    assert trust["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": [f"{GS}:config/telemetry-sink/*", f"{GS}:mission-profile/*"]},
    }


def test_without_a_telemetry_stream_there_is_no_sink_and_no_telemetry_role() -> None:
    plan = aws_variant("analytics-off")
    assert plan.of_type("aws:kinesis/stream:Stream") == []
    assert [c.name for c in plan.of_type(GS_CONFIG) if "telemetry" in c.name] == []
    assert [r.name for r in plan.of_type(ROLE) if "telemetry" in r.name] == []
    assert "telemetrySinkConfigArn" not in plan.one(GS_PROFILE).inputs
    assert plan.one(ROLE, "noaa20-ground-delivery-role"), "the recording still has its role"


def test_the_partner_role_lets_the_partners_account_assume_it_with_the_agreed_external_id() -> None:
    (trust,) = statements(doc(aws("partner.yaml").one(ROLE, "polar-partner-ground-partner-role"), "assumeRolePolicy"))
    assert trust == {
        "Sid": "TrustPartnerAccount",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": "polar-partner-landing"}},
    }
