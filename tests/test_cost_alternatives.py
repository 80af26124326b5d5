"""What every alternative of the durability and security choices would cost, per cloud, for the
worked example of test_cost_worked_example.py (made-up prices, `per` 1), with these made-up
prices added so that every alternative is known:

    AWS   s3_inter_region_transfer_gb 0.02, cloudwatch_custom_metric_month 0.3
    Azure blob_hot_gzrs 0.05, blob_cool_gzrs 0.04, blob_cold_gzrs 0.01, blob_geo_replication_gb 0.02,
          blob_hot_gzrs_write_operations 0.06, blob_cool_gzrs_write_operations 0.12,
          blob_cold_gzrs_write_operations 0.24, service_bus_premium_mu_hour 1, event_hubs_premium_pu_hour 2

The example's captures are its bits x (1 + 114/1024) = 1.111328125 (each 1,024-byte datagram's
114 bytes of headers: test_cost_worked_example.py). It holds hot 68.413359375 GB, cool
136.82671875, cold 205.240078125, archive 699.3365625 (Azure keeps the archive GB in Cold:
904.576640625), lands 46.24236328125 + 23.121181640625 = 69.363544921875 GB and writes 1,606
objects a month (1,387 raw files, 219 product objects), which Azure bills as 16,863 write
operations (one per 4 MiB of each object, and one per manifest: test_cost_worked_example.py); on
AWS Ground Station's 73 empty guiding files make 1,679 objects.

Deleted data kept 30 days (noncurrent versions, soft delete) adds 68.413359375 GB in the last
tier: Deep Archive on AWS (x 0.001 = 0.068413359375), Cold on Azure (x 0.0045 = 0.3078601171875
on ZRS).

Capacity is billed in binary GB: each capacity figure (the GB, so their cost) is multiplied by
G = 10^9 / 2^30 = 0.931323 (GIB below).

- AWS zone: (1.3682671875 + 1.3682671875 + 0.8209603125 + 0.6993365625 + 0.068413359375) x G =
  4.325244609375 G = 4.02820 of capacity, and the lifecycle's lines L = 131.403236573
  (transitions 14.6 + 43.8 + 73, archived objects' overhead 0.003236573:
  test_cost_worked_example.py): 135.43143.
- AWS geo adds: replica capacity 4.325244609375 G and lifecycle L (the replicas age alike);
  replica PUTs 1,679 x 0.01 = 16.79; transfer 69.363544921875 x 0.02 = 1.3872708984375;
  replication metrics 4 x 2 rules x 0.3 = 2.4 and their 2 failure alarms x 0.1 = 0.2; replica
  key 1; KMS requests 2 x 1,679 x 0.001 = 3.358. Delta 4.325244609375 G + 25.1352708984375 + L
  = 160.56671; the storage choice becomes 2 x 4.325244609375 G + 25.1352708984375 + 2 L =
  295.99814.
- Azure geo (GZRS): (68.413359375 x 0.05 + 136.82671875 x 0.04 + (904.576640625 + 68.413359375)
  x 0.01) G = (3.42066796875 + 5.47306875 + 9.7299) G = 18.62363671875 G, plus transfer
  1.3872708984375 plus writes 16,863 x 0.06 = 1,011.78 plus tier changes 1,679 x 0.12 + 1,679 x
  0.24 = 604.44: 1,634.95188, against ZRS (1.77874734375 + 2.59970765625 + 4.0705948828125 +
  0.3078601171875) G = 8.75691 G, plus writes 16,863 x 0.05 = 843.15 plus tier changes 1,679 x
  0.1 + 1,679 x 0.2 = 503.7: 1,355.00551; delta 279.94638.
- Azure software keys: the $5.5 HSM key line (the 3,072-bit key the stack creates) goes: delta -5.5.
- Azure Premium messaging adds 730 h x $1 + 730 h x $2 = 2,190 and removes the Standard lines
  9.855 + 0.1095 + 21.9 + 73 = 104.8645 (Service Bus operations: 3 x 73 messages, one per
  partner manifest, x $0.0005 = 0.1095): delta 2,085.1355.
- AWS keys are HSM-backed and its queues use the mission key whatever the spec says: no change.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from groundlink.blueprint import build_blueprint
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.alternatives import alternatives
from groundlink.cost.catalog import Catalog
from groundlink.report.document import cost_json
from groundlink.report.sections import _alternatives
from groundlink.spec import load_spec, spec_from_data

from .conftest import SPECS, spec_data
from .test_cost_worked_example import _catalogs, _example

GIB = 1e9 / 2**30  # a decimal GB in the binary GB capacity is billed in
SCHEMA = Path(__file__).resolve().parents[1] / "groundlink" / "report" / "compare.schema.json"
ADDED = {
    "aws": {"s3_inter_region_transfer_gb": 0.02, "cloudwatch_custom_metric_month": 0.3},
    "azure": {
        "blob_hot_gzrs_gb_month": 0.05,
        "blob_cool_gzrs_gb_month": 0.04,
        "blob_cold_gzrs_gb_month": 0.01,
        "blob_geo_replication_gb": 0.02,
        "blob_hot_gzrs_write_operations": 0.06,
        "blob_cool_gzrs_write_operations": 0.12,
        "blob_cold_gzrs_write_operations": 0.24,
        "service_bus_premium_mu_hour": 1,
        "event_hubs_premium_pu_hour": 2,
    },
}
GEO = {"storage.redundancy": "geo", "clouds.aws.replica_region": "us-east-2"}
LIFECYCLE = 131.4 + 0.003236573  # the AWS lifecycle's lines, in each bucket set
AWS_CAPACITY = 4.325244609375  # 3.89196 of the bits x (1 + 114/1024), before G
AWS_GEO_ADDED = 25.1352708984375  # 16.79 + 1.3872708984375 + 2.4 + 0.2 + 1 + 3.358
TRANSFER = 1.3872708984375  # 69.363544921875 GB x $0.02
AZURE_TIER_CHANGES = {"ZRS": 1679 * (0.1 + 0.2), "GZRS": 1679 * (0.12 + 0.24)}


def _priced() -> dict[str, Catalog]:
    out = {}
    for cloud, catalog in _catalogs().items():
        prices = dict(catalog.prices)
        for price_id, price in ADDED[cloud].items():
            prices[price_id] = prices[price_id].model_copy(update={"price": price, "supply": None})
        out[cloud] = Catalog(cloud=cloud, prices=prices)
    return out


def _figures(cloud: str, catalogs: dict[str, Catalog] | None = None, **changes):
    """{choice: {spec value: (option, chosen, monthly known, delta known, delta unknown)}}."""
    spec = spec_from_data(_example(**changes))
    found = alternatives(cloud, spec, catalogs or _priced())
    return {
        key: {
            alt.value: (
                alt.option,
                alt.chosen,
                pytest.approx(alt.monthly.known),
                pytest.approx(alt.delta.known),
                alt.delta.unknown,
            )
            for alt in rows
        }
        for key, rows in found.items()
    }


def test_aws_alternatives_of_the_worked_example():
    assert _figures("aws") == {
        "storageRedundancy": {
            "zone": ("S3 Standard (3 zones)", True, AWS_CAPACITY * GIB + LIFECYCLE, 0, ()),
            "geo": (
                "S3 Standard (3 zones), replicated to us-east-1",
                False,
                2 * AWS_CAPACITY * GIB + AWS_GEO_ADDED + 2 * LIFECYCLE,
                AWS_CAPACITY * GIB + AWS_GEO_ADDED + LIFECYCLE,
                (),
            ),
        },
        "hsmKeys": {True: (True, True, 1, 0, ()), False: (True, False, 1, 0, ())},
        "messagingEncryption": {False: ("mission key", True, 0, 0, ()), True: ("mission key", False, 0, 0, ())},
    }


def test_azure_alternatives_of_the_worked_example():
    assert _figures("azure") == {
        "storageRedundancy": {
            "zone": ("ZRS", True, 8.75691 * GIB + 843.15 + AZURE_TIER_CHANGES["ZRS"], 0, ()),
            "geo": (
                "GZRS",
                False,
                18.62363671875 * GIB + TRANSFER + 1011.78 + AZURE_TIER_CHANGES["GZRS"],
                # writes 16,863 x (0.06 - 0.05) = 168.63
                (18.62363671875 - 8.75691) * GIB
                + TRANSFER
                + 168.63
                + AZURE_TIER_CHANGES["GZRS"]
                - AZURE_TIER_CHANGES["ZRS"],
                (),
            ),
        },
        "hsmKeys": {True: (True, True, 5.5, 0, ()), False: (False, False, 0, -5.5, ())},
        "messagingEncryption": {
            # Standard: 9.855 base + 0.1095 operations + 21.9 throughput + 73 Capture = 104.8645; the
            # Premium figure is that much more than Standard: 2,190 - 104.8645 = 2,085.1355
            False: ("service-managed", True, 104.8645, 0, ()),
            True: ("mission key", False, 2190, 2085.1355, ()),
        },
    }


def test_from_a_geo_spec_zone_saves_what_geo_costs_and_read_access_is_dropped():
    aws, azure = _figures("aws", **GEO), _figures("azure", **GEO, **{"storage.geo_read_access": True})
    assert aws["storageRedundancy"]["zone"][1:4] == (
        False,
        pytest.approx(AWS_CAPACITY * GIB + LIFECYCLE),
        pytest.approx(-(AWS_CAPACITY * GIB + AWS_GEO_ADDED + LIFECYCLE)),
    )
    # RA-GZRS prices are not among the added ones: the chosen account's capacity and writes are
    # unknown, so the saving is ZRS's 1,355.00551 less the transfer line's 1.38727, plus an unknown, named
    option, chosen, _, saving, unknown = azure["storageRedundancy"]["zone"]
    assert (option, chosen, saving) == (
        "ZRS",
        False,
        pytest.approx(8.75691 * GIB + 843.15 + AZURE_TIER_CHANGES["ZRS"] - TRANSFER),
    )
    assert set(unknown) == {
        "blob_hot_ragzrs_gb_month",
        "blob_cool_ragzrs_gb_month",
        "blob_cold_ragzrs_gb_month",
        "blob_hot_ragzrs_write_operations",
        "blob_cool_ragzrs_write_operations",
        "blob_cold_ragzrs_write_operations",
    }
    assert azure["storageRedundancy"]["geo"][:2] == ("RA-GZRS", True)


def test_an_unknown_price_makes_the_delta_partial_and_names_it():
    """The worked example's catalog without the transfer and custom metric prices: the geo delta
    leaves out the transfer (1.38727) and the replication metrics (2.4), and names both; the
    frame-loss metric, in both options alike, is no part of the delta."""
    catalogs = _catalogs()
    prices = dict(catalogs["aws"].prices)
    for price_id in ("s3_inter_region_transfer_gb", "cloudwatch_custom_metric_month"):
        prices[price_id] = prices[price_id].model_copy(update={"price": None, "supply": "left out of this test"})
    catalogs["aws"] = Catalog(cloud="aws", prices=prices)
    geo = _figures("aws", catalogs)["storageRedundancy"]["geo"]
    assert geo[3] == pytest.approx(AWS_CAPACITY * GIB + AWS_GEO_ADDED + LIFECYCLE - TRANSFER - 2.4)
    assert geo[4] == ("s3_inter_region_transfer_gb", "cloudwatch_custom_metric_month")


def test_notes_say_what_was_assumed_what_has_no_effect_and_the_declared_gaps():
    spec = spec_from_data(_example())
    aws, azure = alternatives("aws", spec, _priced()), alternatives("azure", spec, _priced())
    assert aws["storageRedundancy"][1].notes == (
        "AWS replica priced in us-east-1: the spec names no clouds.aws.replica_region",
    )
    assert all("HSM-backed whatever security.hsm_keys says" in alt.notes[0] for alt in aws["hsmKeys"])
    assert [alt.notes for alt in azure["messagingEncryption"]] == [(), ()]
    # the HSM choice declares no gap: the messaging key's is premium_messaging's, said there
    assert [alt.gaps for alt in azure["hsmKeys"]] == [(), ()]
    # Standard messaging with the mission's keys is the gap the Azure plan declares
    assert [[cap for cap, _ in alt.gaps] for alt in azure["messagingEncryption"]] == [["security.messaging_cmk"], []]
    # Azure keeps archive-aged data in Cold, and no object versions (ADLS Gen2), on ZRS and GZRS alike
    assert [[cap for cap, _ in alt.gaps] for alt in azure["storageRedundancy"]] == [
        ["storage.versioning", "storage.archive_tier"]
    ] * 2


def test_premium_messaging_without_customer_keys_is_not_priced_but_said_invalid():
    spec = spec_from_data(_example(**{"security.customer_managed_keys": False, "security.hsm_keys": False}))
    for cloud in ("aws", "azure"):
        chosen, premium = alternatives(cloud, spec, _priced())["messagingEncryption"]
        assert chosen.chosen and chosen.monthly is not None
        assert premium.monthly is None and premium.delta is None and premium.option is None
        assert premium.notes == (
            "not a valid spec: security.premium_messaging: needs customer_managed_keys: true (Premium is for the "
            "mission's key)",
        )


def test_the_report_table_shows_each_alternative_and_its_delta_per_cloud():
    spec = spec_from_data(_example())
    doc = {"cost": cost_json(estimate(build_blueprint(spec), _priced()), 1000, spec)}
    section = _alternatives(doc, ["aws", "azure"])
    assert section.table is not None
    rows = {row[1].text: [cell.text for cell in row[2:]] for row in section.table.rows}
    assert rows == {
        "storage.redundancy: zone": [
            "S3 Standard (3 zones): $135.43/month (the spec's choice)",  # 135.43143
            "ZRS: $1,355.01/month (the spec's choice)",  # 1,355.00551
        ],
        "storage.redundancy: geo": [
            "S3 Standard (3 zones), replicated to us-east-1: $296.00/month (+$160.57 a month)",  # 295.99814, 160.56671
            "GZRS: $1,634.95/month (+$279.95 a month)",  # 1,634.95188, 279.94638
        ],
        "security.hsm_keys: true": ["yes: $1.00/month (the spec's choice)", "yes: $5.50/month (the spec's choice)"],
        "security.hsm_keys: false": ["yes: $1.00/month (no change)", "no: $0.00/month (-$5.50 a month)"],
        "security.premium_messaging: false": [
            "mission key: $0.00/month (the spec's choice)",
            "service-managed: $104.86/month (the spec's choice)",  # 104.8645
        ],
        "security.premium_messaging: true": [
            "mission key: $0.00/month (no change)",
            "mission key: $2,190.00/month (+$2,085.14 a month)",  # 2,085.1355
        ],
    }


def test_a_sub_cent_change_reads_as_the_figures_beside_it_are_shown():
    """A change under a cent is shown to four places, as the monthly figures beside it are: rounded
    to the cent, +$0.003042 read "(no change)" between $0.0038 and $0.0068. Only a change that is
    zero at those places is no change."""
    spec = spec_from_data(_example())
    doc = {"cost": cost_json(estimate(build_blueprint(spec), _priced()), 1000, spec)}
    chosen, other = doc["cost"]["clouds"]["aws"]["choices"]["hsmKeys"]["alternatives"]
    rows = {}
    for known, delta in ((0.006842, 0.003042), (0, -0.0038), (0.00383, 0.00003), (0.0038, 0)):
        chosen["monthly"]["known"], other["monthly"]["known"] = 0.0038, known
        other["delta"]["known"] = delta
        table = _alternatives(doc, ["aws", "azure"]).table
        assert table is not None
        rows[delta] = [row[2].text for row in table.rows if row[1].text == "security.hsm_keys: false"]
    assert rows == {
        0.003042: ["yes: $0.0068/month (+$0.0030 a month)"],
        -0.0038: ["yes: $0.00/month (-$0.0038 a month)"],
        0.00003: ["yes: $0.0038/month (no change)"],
        0: ["yes: $0.0038/month (no change)"],
    }


def test_a_partial_change_too_small_to_show_is_no_no_change():
    """A change that leaves out unknown prices is never "no change", however small its known part:
    the unknown part may be any amount. A partial change of 0 is an unknown change."""
    spec = spec_from_data(_example())
    doc = {"cost": cost_json(estimate(build_blueprint(spec), _priced()), 1000, spec)}
    chosen, other = doc["cost"]["clouds"]["aws"]["choices"]["hsmKeys"]["alternatives"]
    rows = {}
    for delta in (0.00003, 0):
        chosen["monthly"]["known"], other["monthly"]["known"] = 0.0038, 0.0038 + delta
        other["monthly"]["complete"] = other["delta"]["complete"] = False
        other["delta"]["known"] = delta
        table = _alternatives(doc, ["aws", "azure"]).table
        assert table is not None
        rows[delta] = [row[2].text for row in table.rows if row[1].text == "security.hsm_keys: false"]
    assert rows == {
        0.00003: ["yes: $0.0038 + unknown/month (+<$0.0001 + unknown a month)"],
        0: ["yes: $0.0038 + unknown/month (unknown change a month)"],
    }


def test_compare_json_carries_every_alternative_for_both_clouds():
    spec = load_spec(SPECS / "noaa20.yaml")
    catalogs = load_catalogs()[0]
    clouds = cost_json(estimate(build_blueprint(spec), catalogs), spec.budget.monthly_usd, spec)["clouds"]
    defs = json.loads(SCHEMA.read_text())["$defs"]
    expected = {
        "storageRedundancy": ("storage.redundancy", ["zone", "geo"]),
        "hsmKeys": ("security.hsm_keys", [True, False]),
        "messagingEncryption": ("security.premium_messaging", [False, True]),
    }
    assert set(clouds) == {"aws", "azure"}
    for cloud, data in clouds.items():
        assert set(data["choices"]) == set(expected), cloud
        for key, (field, values) in expected.items():
            choice = data["choices"][key]
            jsonschema.validate(choice, {"$ref": "#/$defs/choice", "$defs": defs})
            assert choice["field"] == field
            assert [alt["value"] for alt in choice["alternatives"]] == values
            assert [alt["chosen"] for alt in choice["alternatives"]] == [True, False]  # noaa20 takes the defaults
            assert all(alt["valid"] and alt["monthly"]["complete"] for alt in choice["alternatives"]), (cloud, key)


def _alternatives_sentence(name: str, **changes) -> tuple[str, dict]:
    """The report's sentence on how the alternatives are priced, for example spec `name`, and its cost JSON."""
    data = spec_data(name)
    for dotted, value in changes.items():
        section, field = dotted.split(".")
        data[section][field] = value
    spec = spec_from_data(data)
    doc = {"cost": cost_json(estimate(build_blueprint(spec), load_catalogs()[0]), 1000, spec)}
    return _alternatives(doc, ["aws", "azure"]).paragraphs[0].text, doc["cost"]["clouds"]


@pytest.mark.parametrize("name", ["partner.yaml", "constellation.yaml"])
def test_the_alternatives_sentence_counts_the_keys_a_data_explorer_stack_holds(name):
    """With Azure Data Explorer the cluster keeps Microsoft-managed keys: Azure's HSM keys are the
    mission key alone, $5.00, where the cluster's own key made two ($6.00)."""
    sentence, clouds = _alternatives_sentence(name)
    assert "(no plan: one key on each cloud; one Service Bus messaging unit and one Event Hubs processing unit" in (
        sentence
    )
    hsm = clouds["azure"]["choices"]["hsmKeys"]["alternatives"]
    assert [(alt["value"], alt["keys"], alt["monthly"]["known"]) for alt in hsm] == [(True, 1, 5.0), (False, 0, 0)]


def test_the_alternatives_sentence_says_each_clouds_key_count_where_they_differ():
    from groundlink.report.sections import _no_plan_counts

    def hsm(keys: int) -> dict:
        return {
            "hsmKeys": {"alternatives": [{"valid": True, "keys": keys}]},
            "messagingEncryption": {"alternatives": []},
        }

    assert _no_plan_counts({"aws": hsm(1), "azure": hsm(2)}, ["aws", "azure"]) == (
        "no plan: one key on AWS and two keys on Azure assumed"
    )


def test_the_alternatives_sentence_says_one_key_where_one_is_priced():
    sentence, _ = _alternatives_sentence("noaa20.yaml")
    assert (
        "(no plan: one key on each cloud; one Service Bus messaging unit and one Event Hubs processing unit assumed)"
    ) in sentence


def test_the_alternatives_sentence_names_only_the_premium_units_priced():
    """Without a telemetry stream there is no Event Hubs namespace: the Premium alternative prices
    one Service Bus messaging unit (730 h) and no processing unit, and says only that one."""
    sentence, clouds = _alternatives_sentence("noaa20.yaml", **{"analytics.telemetry_stream": False})
    assert "(no plan: one key on each cloud; one Service Bus messaging unit assumed)" in sentence
    premium = clouds["azure"]["choices"]["messagingEncryption"]["alternatives"]
    assert [alt["premiumUnits"] for alt in premium] == [
        {"serviceBus": 0, "eventHubs": 0},
        {"serviceBus": 1, "eventHubs": 0},
    ]
    aws = clouds["aws"]["choices"]["messagingEncryption"]["alternatives"]
    assert [alt["premiumUnits"] for alt in aws] == [{"serviceBus": 0, "eventHubs": 0}] * 2


def test_the_alternatives_sentence_says_no_key_without_customer_managed_keys():
    """Without customer-managed keys no valid value is Premium (it needs the mission key): no
    messaging unit is priced, and none is said to be assumed."""
    sentence, clouds = _alternatives_sentence("noaa20.yaml", **{"security.customer_managed_keys": False})
    assert "(no plan: no customer-managed key assumed)" in sentence
    premium = clouds["azure"]["choices"]["messagingEncryption"]["alternatives"]
    assert [(alt["value"], alt["valid"], alt["premiumUnits"]) for alt in premium] == [
        (False, True, {"serviceBus": 0, "eventHubs": 0}),
        (True, False, None),
    ]


def _aws_messaging_notes(keyed: bool, field: str = "security.premium_messaging") -> list[str]:
    """The report's notes under the alternatives table on AWS's `field`, for specs/noaa20.yaml
    with customer-managed keys on or off."""
    data = spec_data("noaa20.yaml")
    data["security"].update(customer_managed_keys=keyed)
    spec = spec_from_data(data)
    doc = {"cost": cost_json(estimate(build_blueprint(spec), load_catalogs()[0]), 1000, spec)}
    after = _alternatives(doc, ["aws", "azure"]).after
    return [c.text for c in after if c.text.startswith(f"AWS, {field}")]


def test_without_customer_managed_keys_aws_messaging_is_not_said_to_use_the_mission_key():
    """security.customer_managed_keys: false leaves no mission key (AWS queues use SQS-managed
    encryption), yet the notes said AWS queues and topics use the mission key."""
    notes = _aws_messaging_notes(False)
    assert not any("use the mission key" in note for note in notes)
    assert notes == [
        "AWS, security.premium_messaging: false: security.customer_managed_keys: false: there is no mission key "
        "to protect or to encrypt messaging with.",
        "AWS, security.premium_messaging: true: not a valid spec: security.premium_messaging: needs "
        "customer_managed_keys: true (Premium is for the mission's key).",
    ]


def test_with_customer_managed_keys_aws_messaging_is_said_to_use_the_mission_key():
    assert _aws_messaging_notes(True) == [
        "AWS, security.premium_messaging: false or true: AWS queues and topics use the mission key whatever "
        "security.premium_messaging says: nothing changes on AWS."
    ]


def test_without_customer_managed_keys_aws_keys_are_not_said_to_be_hsm_backed():
    """Without customer-managed keys the stack has no KMS key of its own, yet the notes said AWS
    KMS keys are HSM-backed whatever security.hsm_keys says; they say there is no key instead."""
    assert _aws_messaging_notes(False, "security.hsm_keys") == [
        "AWS, security.hsm_keys: true or false: security.customer_managed_keys: false: there is no mission key "
        "to protect or to encrypt messaging with."
    ]
    assert _aws_messaging_notes(True, "security.hsm_keys") == [
        "AWS, security.hsm_keys: true or false: AWS KMS keys are HSM-backed whatever security.hsm_keys says: "
        "nothing changes on AWS."
    ]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_the_spec_s_own_alternative_is_priced_with_the_estimate_s_object_size(cloud):
    """An object size from --prices (assumptions.object_size_mb) changed every write count of the
    cost lines and the choices table, but the alternatives were priced at the default 1,959 MB:
    the row marked as the spec's choice showed another figure than the choice above it."""
    from groundlink.blueprint import build_blueprint
    from groundlink.cost import estimate
    from groundlink.cost.catalog import Assumptions, load_catalogs
    from groundlink.report.document import _choices_json
    from groundlink.spec import load_spec

    from .conftest import SPECS

    spec = load_spec(SPECS / "noaa20.yaml")
    catalogs = load_catalogs()[0]
    small = estimate(build_blueprint(spec), catalogs, Assumptions(object_size_mb=1))
    default = estimate(build_blueprint(spec), catalogs)
    choices = _choices_json(small, cloud, spec)["storageRedundancy"]
    (own,) = [a for a in choices["alternatives"] if a["chosen"]]
    assert own["monthly"] == choices["monthly"]
    if cloud == "azure":  # ZRS write operations are counted by object: more, smaller objects cost more
        assert (
            choices["monthly"]["known"] > _choices_json(default, cloud, spec)["storageRedundancy"]["monthly"]["known"]
        )
