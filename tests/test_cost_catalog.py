"""The price catalogs and the user's override file."""

from __future__ import annotations

import re

import pytest

from groundlink.clouds import CLOUDS
from groundlink.cost import PriceError, load_catalogs
from groundlink.cost.catalog import load_catalog, load_overrides


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_entry_has_a_source_date_and_region_and_unknowns_say_what_to_supply(cloud):
    catalog = load_catalog(cloud)
    assert catalog.prices
    for price_id, entry in catalog.prices.items():
        assert entry.source and entry.date and entry.region and entry.unit, price_id
        assert entry.known or entry.supply, price_id


# The clouds' own publications: their price pages, docs and price APIs. A figure read anywhere
# else (a blog, a cost tool's data, a repository's capture of an API) is a third party's copy.
CLOUDS_OWN_HOSTS = (".amazon.com", ".aws", ".microsoft.com", "prices.azure.com")


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_price_read_from_a_third_party_is_marked_secondary(cloud):
    """The report tags a secondary price "(secondary)" and docs/compare.md tells the reader to
    override those: SQS and EventBridge from blogs, Functions from the same blog as Flex, went
    untagged while Flex was tagged."""
    third_party = {}
    for price_id, entry in load_catalog(cloud).prices.items():
        hosts = re.findall(r"https?://([^/\s)]+)", entry.source)
        if entry.known and any(not host.endswith(CLOUDS_OWN_HOSTS) for host in hosts):
            third_party[price_id] = entry.secondary
    assert third_party and all(third_party.values()), {k for k, v in third_party.items() if not v}


def test_the_unknowns_the_reference_names_are_unknown():
    catalogs, _ = load_catalogs()
    for cloud, price_id in [
        ("aws", "partner_minute"),
        ("azure", "partner_minute"),
        ("azure", "data_explorer_cluster_month"),
        ("aws", "ground_station_reserved_narrowband_minute"),
        ("aws", "ground_station_reserved_wideband_minute"),
    ]:
        assert catalogs[cloud].entry(price_id).price is None, (cloud, price_id)


def test_an_unknown_price_without_supply_is_rejected(tmp_path):
    (tmp_path / "aws.yaml").write_text(
        "cloud: aws\nprices:\n  x:\n    price: null\n    unit: GB\n    region: r\n    source: s\n    date: '2026'\n"
    )
    with pytest.raises(PriceError) as error:
        load_catalog("aws", tmp_path)
    assert "supply" in error.value.lines[0]


def test_overrides_apply_with_their_own_source(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text(
        "azure:\n  partner_minute: {price: 11.5, source: RBC quote 7, date: 2026-10-01}\n"
        "assumptions:\n  object_size_mb: 250\n"
    )
    catalogs, assumptions = load_catalogs(path)
    entry = catalogs["azure"].entry("partner_minute")
    assert entry.price == 11.5 and entry.date == "2026-10-01" and "RBC quote 7" in entry.source
    assert str(path) in entry.source
    assert assumptions.object_size_mb == 250
    assert catalogs["aws"].entry("partner_minute").price is None  # other cloud untouched


def test_an_unknown_price_id_is_an_error_with_a_suggestion(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text("aws:\n  kms_key_months: {price: 1, source: s, date: '2026'}\n")
    with pytest.raises(PriceError) as error:
        load_catalogs(path)
    assert error.value.lines == [
        f"{path}: aws.kms_key_months: unknown price id; did you mean 'kms_key_month'? (line 2, column 3)"
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("aws:\n  kms_key_month: {price: 1}\n", "source"),
        ("aws:\n  kms_key_month: {price: -1, source: s, date: '2026'}\n", "-1 is out of range; allowed: 0 or more"),
        ("gcp: {}\n", "gcp"),
        ("aws: [\n", "line"),
    ],
)
def test_bad_override_files_give_one_line_per_problem(tmp_path, text, expected):
    path = tmp_path / "prices.yaml"
    path.write_text(text)
    with pytest.raises(PriceError) as error:
        load_overrides(path)
    assert all(line.startswith(str(path)) for line in error.value.lines)
    assert any(expected in line for line in error.value.lines)


def test_a_missing_override_file_is_a_one_line_error(tmp_path):
    with pytest.raises(PriceError) as error:
        load_overrides(tmp_path / "nope.yaml")
    assert error.value.lines == [f"{tmp_path / 'nope.yaml'}: no such price file"]


def test_the_catalog_entry_docs_compare_md_shows_is_the_shipped_one():
    """The format's example is the shipped s3_put_requests entry, its source shortened: a reader
    copying it for a price of their own copies a third party's price marked as such."""
    from pathlib import Path

    import yaml

    text = (Path(__file__).resolve().parents[1] / "docs" / "compare.md").read_text()
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "s3_put_requests:" in b]
    shown = yaml.safe_load(block)["prices"]["s3_put_requests"]
    shipped = load_catalogs()[0]["aws"].prices["s3_put_requests"]
    assert shipped.source.startswith(shown.pop("source"))
    assert shown == {key: getattr(shipped, key) for key in shown} and shown["secondary"] is True
