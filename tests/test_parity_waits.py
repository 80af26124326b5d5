"""Lines under the parity matrix where a realized capability still waits on something outside the
plan: the Flex app's package, which no plan can upload, and a partner that cannot deliver into the
landing zone until an address is listed or a private endpoint approved."""

from __future__ import annotations

from typing import Any

import pytest

from groundlink.blueprint.gaps import PUBLIC_PARTNER_WITHOUT_ADDRESSES, adx_catalog_scope, private_partner_landing
from groundlink.report.sections import (
    AWS_BUDGET_TAG_STEP,
    COLD_TIER_OFFLINE,
    FLEX_PACKAGE_STEP,
    PARTNER_GRANT_WIDER,
    SYNAPSE_AVRO_ARCHIVE,
    SYNAPSE_CATALOG_SCOPE,
    _parity,
)


def _row(capability: str, **clouds: list[dict[str, str]]) -> dict[str, Any]:
    """A row realized on the clouds given, a gap on the others."""
    cells = {
        cloud: {"status": "realized", "resources": clouds[cloud]}
        if cloud in clouds
        else {"status": "gap", "reason": "not here"}
        for cloud in ("aws", "azure")
    }
    return {"capability": capability, "title": capability, "layer": capability.split(".")[0], "clouds": cells}


def _after(
    rows: list[dict[str, Any]], warnings: dict[str, list[str]] | None = None, priced: tuple[str, ...] = ()
) -> list[str]:
    doc = {
        "mission": "m",
        "parity": {"rows": rows, "notNeededButRealized": {}},
        "clouds": {cloud: {"warnings": (warnings or {}).get(cloud, [])} for cloud in ("aws", "azure")},
        "cost": {"clouds": {"aws": {"lines": [{"priceId": p} for p in priced]}, "azure": {"lines": []}}},
    }
    return [cell.text for cell in _parity(doc, ["aws", "azure"]).after]


LAMBDA = [{"type": "aws:lambda/function:Function", "name": "m-processing-function"}]
FLEX = [{"type": "azure-native:web:WebApp", "name": "m-processing-app"}]
JOB = [{"type": "azure-native:app:Job", "name": "m-processing-job"}]


@pytest.mark.parametrize(("azure", "said"), [(FLEX, True), (JOB, False)])
def test_a_flex_app_waits_on_its_package_and_a_container_job_on_nothing(azure, said):
    """After pulumi up the Flex app held no code (the package is uploaded by hand) and the matrix
    called the processor realized with no word; a container job's image is the spec's own."""
    after = _after([_row("processing.function", aws=LAMBDA, azure=azure)])
    assert (FLEX_PACKAGE_STEP in after) is said


@pytest.mark.parametrize(
    "warning", [PUBLIC_PARTNER_WITHOUT_ADDRESSES, private_partner_landing(0), private_partner_landing(2)]
)
def test_a_partner_that_cannot_deliver_yet_is_said_under_a_realized_landing_zone(warning):
    landing = [{"type": "azure-native:storage:BlobContainer", "name": "m-storage-raw"}]
    after = _after([_row("ground.partner_landing", azure=landing)], {"azure": [warning, "another warning"]})
    assert [t for t in after if "cannot deliver yet" in t] == [
        f"Azure: the partner landing zone is built, but the partner cannot deliver yet: {warning}"
    ]
    # the warning without a landing zone realized (another capability's row) says nothing here
    assert not [t for t in _after([], {"azure": [warning]}) if "cannot deliver yet" in t]


@pytest.mark.parametrize("telemetry", [True, False])
def test_a_data_explorer_catalog_says_it_holds_no_raw_table_under_the_matrix(telemetry):
    """The matrix counted the catalog realized on both clouds while Data Explorer's holds no raw
    table (Athena's raw_contacts lists a contact's captures): said beside the matrix, not only among
    the plan's warnings. A Synapse catalog says nothing of it."""
    scope = adx_catalog_scope(telemetry, "telemetry")
    cluster = [{"type": "azure-native:kusto:Cluster", "name": "m-analytics-adx"}]
    glue = [
        {"type": "aws:glue/catalogTable:CatalogTable", "name": f"m-catalog-{table}"}
        for table in ("contact-summary", "frame-index", "raw-contacts")
    ]
    after = _after([_row("analytics.catalog", aws=glue, azure=cluster)], {"azure": [scope]})
    assert f"Azure: {scope}" in after
    assert not [t for t in _after([], {"azure": [scope]}) if "Data Explorer database" in t]
    # where no contact lands as objects on AWS its catalog has no raw table either: nothing is missing
    products_only = _after([_row("analytics.catalog", aws=glue[:2], azure=cluster)], {"azure": [scope]})
    assert not [t for t in products_only if "Data Explorer database" in t]


def test_a_partner_grant_wider_than_aws_is_said_under_the_matrix():
    """Both clouds counted the write-only delivery identity realized, while Azure's grant (Storage
    Blob Data Contributor) may also read and delete in the landing container."""
    role = [{"type": "aws:iam/role:Role", "name": "m-ground-partner-role"}]
    grant = [{"type": "azure-native:authorization:RoleAssignment", "name": "m-ground-partner-writes-landing"}]
    assert PARTNER_GRANT_WIDER in _after([_row("ground.delivery_identity", aws=role, azure=grant)])
    # a gap on AWS (no partner account given) compares nothing
    assert PARTNER_GRANT_WIDER not in _after([_row("ground.delivery_identity", azure=grant)])


GLUE = [
    {"type": "aws:glue/catalogTable:CatalogTable", "name": f"m-catalog-{table}"}
    for table in ("contact-summary", "frame-index", "raw-contacts", "telemetry")
]
SYNAPSE = [{"type": "azure-native:synapse:Workspace", "name": "m-analytics-workspace"}]
ADX = [{"type": "azure-native:kusto:Cluster", "name": "m-analytics-adx"}]


@pytest.mark.parametrize(("azure", "said"), [(SYNAPSE, True), (ADX, False)])
def test_a_synapse_catalog_says_it_holds_no_raw_table_and_cannot_read_the_avro_archive(azure, said):
    """Synapse's catalog and telemetry archive were counted realized like AWS's, while its views
    cover the product tables only and serverless SQL cannot read Capture's Avro; Data Explorer
    says its own scope (above) and ingests the telemetry itself."""
    capture = [{"type": "azure-native:eventhub:EventHub", "name": "m-ground-telemetry-hub"}]
    rows = [
        _row("analytics.catalog", aws=GLUE, azure=azure),
        _row("analytics.telemetry_archive", aws=GLUE[3:], azure=capture),
    ]
    after = _after(rows)
    assert (SYNAPSE_CATALOG_SCOPE in after, SYNAPSE_AVRO_ARCHIVE in after) == (said, said)
    # no telemetry archived on Azure: nothing to say of Avro
    assert SYNAPSE_AVRO_ARCHIVE not in _after([rows[0], _row("analytics.telemetry_archive", aws=GLUE[3:])])


@pytest.mark.parametrize(
    ("priced", "said"),
    [
        (("aws.s3_glacier_flexible_gb_month", "azure.blob_cold_zrs_gb_month"), True),
        (("aws.s3_glacier_flexible_gb_month",), False),  # Azure keeps nothing in Cold
        (("aws.s3_standard_ia_gb_month", "azure.blob_cold_zrs_gb_month"), False),
    ],
)
def test_an_offline_cold_tier_priced_against_an_online_one_is_said(priced, said):
    """The spec's cold tier is offline Glacier Flexible Retrieval on AWS and online Blob Cold on
    Azure: the lifecycle row counted both realized and the costs compared them with no word."""
    assert (COLD_TIER_OFFLINE in _after([], priced=priced)) is said


def test_an_aws_budget_waits_on_its_cost_allocation_tag():
    topic = [{"type": "aws:budgets/budget:Budget", "name": "m-observability-budget"}]
    assert AWS_BUDGET_TAG_STEP.format(mission="m") in _after([_row("budget.alerts", aws=topic)])
    assert not [t for t in _after([_row("budget.alerts")]) if "cost allocation tag" in t]
