"""The gaps a cloud declares, decided in one place for both clouds: each rule on its own
inputs, with the exact reason the comparison prints. A gap that is not declared becomes a
parity failure; one declared wrongly hides a missing resource."""

from __future__ import annotations

import pytest

from groundlink.blueprint import Realization
from groundlink.blueprint.gaps import adx_catalog_scope, cloud_gaps, private_partner_landing

NOTHING = {
    "managed": False,
    "station": False,
    "landing": False,
    "legacy_orbital": False,
    "stream": False,
    "partner_principal": None,
    "partner_name": "KSAT",
    "adx": False,
    "serverless_sql": False,
}
AWS_IDENTITY = (
    "ground.delivery_identity",
    # no "or the partner stream": a spec without one was told of it, and with one it is a gap of its own
    "ground_segment.partner.aws_account_id is not set: no partner account may write the landing prefix until it is",
)
AZURE_IDENTITY = (
    "ground.delivery_identity",
    "no ground_segment.partner.azure_principal_object_id: the landing container grants nobody write access "
    "until a partner principal is named",
)
# with provider: managed the partner field above cannot be set: the reason says what closes the gap
MANAGED_IDENTITY = (
    "ground.delivery_identity",
    "provider: managed names no partner (ground_segment.partner applies to provider: partner only): the landing "
    "container grants nobody write access",
)
MANAGED_STREAM = (
    "ground.stream_delivery",
    "provider: managed names no partner (ground_segment.partner applies to provider: partner only): nobody could "
    "put records on a contact-data stream, so none is created",
)
RETIRED = (
    "ground.managed_station",
    "Azure Orbital Ground Station retired 2024-12-18; Azure has no first-party ground station: "
    "use provider: partner (partner network)",
)
AWS_STREAM = (
    "ground.stream_delivery",
    "ground_segment.partner.aws_account_id is not set: no partner stream is provisioned, since no KSAT "
    "account could put records on it",
)
AZURE_STREAM = (
    "ground.stream_delivery",
    "no ground_segment.partner.azure_principal_object_id: there is nobody to grant 'Azure Event Hubs Data "
    "Sender' on a contact-data hub, so none is created",
)
ADX = (
    "analytics.serverless_sql",
    "Azure Data Explorer runs on a provisioned cluster (engine VMs billed per hour): there is no pay-per-query "
    "SQL; the cluster answers KQL and T-SQL at query_endpoint. Use azure_engine: synapse for serverless SQL",
)
ADX_SCAN = ("analytics.query_scan_limit", ADX[1])  # no serverless SQL: no scan limit either, for the same reason
NO_SCAN_LIMIT = (
    "analytics.query_scan_limit",
    "Synapse serverless SQL has no per-query scan limit: analytics.query_bytes_scanned_cutoff_gb binds Athena only. "
    "Synapse budgets the data processed per day, week or month (TB), set in Synapse Studio or with "
    "sp_set_data_processed_limit in T-SQL, not through Azure Resource Manager, and a query running past the "
    "budget is not stopped",
)


@pytest.mark.parametrize(
    "cloud, given, gaps",
    [
        ("aws", {}, ()),
        ("aws", {"landing": True}, (AWS_IDENTITY,)),
        ("azure", {"landing": True}, (AZURE_IDENTITY,)),
        ("azure", {"landing": True, "partner_principal": "p"}, ()),
        ("azure", {"managed": True}, (RETIRED,)),
        ("aws", {"managed": True, "station": True}, ()),
        ("azure", {"managed": True, "legacy_orbital": True}, ()),
        ("aws", {"landing": True, "stream": True}, (AWS_IDENTITY, AWS_STREAM)),
        ("azure", {"landing": True, "stream": True}, (AZURE_IDENTITY, AZURE_STREAM)),
        ("azure", {"stream": True}, ()),  # no landing: nothing to stream from a partner
        ("azure", {"landing": True, "stream": True, "partner_principal": "p"}, ()),
        ("azure", {"landing": True, "stream": True, "legacy_orbital": True}, (AZURE_IDENTITY,)),
        ("azure", {"managed": True, "landing": True, "legacy_orbital": True}, (MANAGED_IDENTITY,)),
        ("azure", {"adx": True, "serverless_sql": True}, (ADX, ADX_SCAN)),
        ("azure", {"adx": True, "serverless_sql": True, "query_scan_limit": False}, (ADX, ADX_SCAN)),
        ("azure", {"adx": True}, ()),
        ("azure", {"serverless_sql": True}, ()),
        ("azure", {"serverless_sql": True, "query_scan_limit": False}, (NO_SCAN_LIMIT,)),
        ("azure", {"query_scan_limit": False}, ()),  # no serverless SQL: no query to stop
        (
            "azure",
            {"managed": True, "landing": True, "stream": True, "adx": True, "serverless_sql": True},
            (MANAGED_IDENTITY, RETIRED, MANAGED_STREAM, ADX, ADX_SCAN),
        ),
    ],
)
def test_each_gap_rule_with_its_reason(cloud, given, gaps):
    assert cloud_gaps(cloud, **{**NOTHING, **given}) == gaps


def test_a_realization_records_capabilities_gaps_and_warnings_once():
    record = Realization()
    record.record("aws:s3/bucket:Bucket", "raw", ("storage.raw",))
    record.record("aws:s3/bucket:Bucket", "raw", ("storage.products",))
    record.gap("ground.managed_station", "retired")
    record.warn("careful")
    record.warn("careful")
    assert record.capabilities_of("aws:s3/bucket:Bucket", "raw") == ["storage.raw", "storage.products"]
    assert record.capabilities_of("aws:s3/bucket:Bucket", "other") == []
    assert record.gaps == {"ground.managed_station": "retired"} and record.warnings == ["careful"]
    with pytest.raises(KeyError, match=r"unknown capability 'storage\.nope'"):
        record.record("t", "n", ("storage.nope",))
    with pytest.raises(KeyError, match=r"unknown capability 'ground\.nope'"):
        record.gap("ground.nope", "x")


@pytest.mark.parametrize(
    ("addresses", "ending"),
    [
        (0, "before the first contact"),
        (
            1,
            "before the first contact; the 1 ground_segment.partner.source_addresses are not made firewall rules "
            "in private mode",
        ),
    ],
)
def test_a_private_landing_zone_says_even_one_listed_address_is_ignored(addresses, ending):
    """security.network: private with a partner's one source address: the warning said nothing of the
    address, and the user took it for a firewall rule the account applies."""
    assert private_partner_landing(addresses) == (
        "security.network: private closes the storage account's public endpoint to every network but trusted "
        "Azure services, so a partner writing from outside the mission's network cannot deliver: have the "
        "partner request a private endpoint to the account and approve it " + ending
    )


@pytest.mark.parametrize(
    ("telemetry", "held"),
    [(True, " and the telemetry as contact_telemetry (one dynamic column)"), (False, "")],
)
def test_a_data_explorer_catalog_says_it_holds_the_telemetry_table_only_with_telemetry(telemetry, held):
    """With analytics.telemetry_stream the Data Explorer database holds the telemetry too, and the
    warning names its table; without it the warning names only the product tables."""
    assert adx_catalog_scope(telemetry, "contact_telemetry") == (
        "analytics.catalog: the Data Explorer database holds the product tables (frame_index, contact_summary)"
        f"{held}; the raw captures have no table there (Athena's raw_contacts lists them where the AWS stack "
        "holds contacts as objects): find a contact's capture files in the raw container"
    )
