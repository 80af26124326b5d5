"""Price entries and user overrides in detail, on small catalogs written here: what a price
with a free allowance costs, what an override keeps of the catalog's entry and what it
replaces, and the one line each unusable file gets."""

from __future__ import annotations

import pytest

from groundlink.cost.catalog import (
    Assumptions,
    OverrideFile,
    PriceEntry,
    PriceError,
    apply_overrides,
    load_catalog,
    load_catalogs,
    load_overrides,
)

ENTRY = {"unit": "request", "region": "us-west-2", "source": "list page", "date": "2026-11-01"}


@pytest.mark.parametrize(
    "price, per, free, quantity, cost",
    [
        (2, 1000, 500, 1500, 2.0),  # 1,000 billed requests at $2 per 1,000
        (2, 1000, 500, 500, 0.0),  # all within the free allowance
        (2, 1000, 500, 400, 0.0),
        (2, 1, 0, 3, 6.0),
        (None, 1, 500, 400, 0.0),  # unknown price, but nothing billed: known to be zero
        (None, 1, 500, 600, None),
        (None, 1, 0, 0, 0.0),
    ],
)
def test_a_price_bills_only_what_exceeds_the_free_allowance(price, per, free, quantity, cost):
    entry = PriceEntry(
        price=price, per=per, free_per_month=free, supply=None if price is not None else "a quote", **ENTRY
    )
    assert entry.known is (price is not None)
    assert entry.cost(quantity) == (pytest.approx(cost) if cost is not None else None)


def _catalogs(tmp_path):
    for cloud in ("aws", "azure"):
        (tmp_path / f"{cloud}.yaml").write_text(
            f"cloud: {cloud}\nprices:\n"
            "  minute:\n    price: null\n    unit: minute\n    region: r\n    source: s\n    date: 2026-09-11\n"
            "    note: the catalog's note\n    secondary: true\n    supply: a partner quote\n"
        )
    return tmp_path


def test_an_override_replaces_price_source_date_and_region_and_keeps_the_note(tmp_path):
    """Without a region of its own, the user's figure is not said to be for the catalog's."""
    directory = _catalogs(tmp_path)
    prices = tmp_path / "prices.yaml"
    prices.write_text("aws:\n  minute: {price: 3.5, source: quote 7, date: 2026-10-01}\n")
    catalogs, assumptions = load_catalogs(prices, directory)
    entry = catalogs["aws"].entry("minute")
    assert entry.model_dump() == {
        "price": 3.5,
        "unit": "minute",
        "per": 1,
        "region": "not stated by the override",
        "source": f"quote 7 (override: {prices})",
        "date": "2026-10-01",
        "secondary": False,
        "note": "the catalog's note on its own figure, not on this override: the catalog's note",
        "supply": None,
        "free_per_month": 0,
    }
    untouched = catalogs["azure"].entry("minute")
    assert (untouched.price, untouched.date, untouched.secondary, untouched.supply) == (
        None,
        "2026-09-11",
        True,
        "a partner quote",
    )
    assert catalogs["azure"].origin == str(directory / "azure.yaml")
    assert assumptions == Assumptions() and assumptions.object_size_mb is None


def test_an_override_with_its_own_region_and_note(tmp_path):
    directory = _catalogs(tmp_path)
    overrides = OverrideFile.model_validate(
        {"azure": {"minute": {"price": 1, "source": "q", "date": "2026", "region": "eu", "note": "mine"}}}
    )
    entry = apply_overrides(load_catalog("azure", directory), overrides).entry("minute")
    assert (entry.region, entry.note, entry.source) == ("eu", "mine", "q (override: --prices)")


def test_unknown_price_ids_are_each_one_line(tmp_path):
    directory = _catalogs(tmp_path)
    overrides = OverrideFile.model_validate(
        {
            "aws": {
                "minutes": {"price": 1, "source": "q", "date": "2026"},
                "zzz": {"price": 1, "source": "q", "date": "2026"},
            }
        }
    )
    with pytest.raises(PriceError) as raised:
        apply_overrides(load_catalog("aws", directory), overrides, "p.yaml")
    assert raised.value.lines == [
        "p.yaml: aws.minutes: unknown price id; did you mean 'minute'?",
        "p.yaml: aws.zzz: unknown price id",
    ]
    assert str(raised.value) == "; ".join(raised.value.lines)


@pytest.mark.parametrize(
    "text, problem",
    [
        (None, "no such price file"),
        ("cloud: azure\nprices: {}\n", "cloud: 'azure' should be 'aws'"),
        (
            "cloud: aws\nprices:\n  x: {price: -1, unit: u, region: r, source: s, date: '2026'}\n",
            "prices.x.price: -1 is out of range; allowed: 0 or more (line 3, column 7)",
        ),
        (
            "cloud: aws\nprices:\n  x: {price: null, unit: u, region: r, source: s, date: '2026'}\n",
            "prices.x: an unknown price (price: null) needs `supply`: what the user must provide (line 3, column 3)",
        ),
    ],
)
def test_catalog_files_that_cannot_be_used(tmp_path, text, problem):
    if text is not None:
        (tmp_path / "aws.yaml").write_text(text)
    with pytest.raises(PriceError) as raised:
        load_catalog("aws", tmp_path)
    assert raised.value.lines == [f"{tmp_path / 'aws.yaml'}: {problem}"]


def test_an_override_file_of_an_empty_mapping_changes_nothing(tmp_path):
    """`{}` says "no overrides" in so many words; an empty file is refused (tests/test_prices_errors.py)."""
    path = tmp_path / "prices.yaml"
    path.write_text("{}\n")
    assert load_overrides(path) == OverrideFile()


def test_a_price_file_under_a_long_directory_keeps_its_whole_message(tmp_path):
    """Price files' lines were cut at their end, unmarked (as spec lines were): the path is
    what gives way now, in its middle, and the message stays whole."""
    from groundlink.inputs import MAX_LINE

    directory = tmp_path / ("d" * 250) / ("e" * 200)
    directory.mkdir(parents=True)
    problem = "prices.x.price: -1 is out of range; allowed: 0 or more (line 3, column 7)"
    (directory / "aws.yaml").write_text(
        "cloud: aws\nprices:\n  x: {price: -1, unit: u, region: r, source: s, date: '2026'}\n"
    )
    with pytest.raises(PriceError) as raised:
        load_catalog("aws", directory)
    (line,) = raised.value.lines
    assert line.endswith(f"/aws.yaml: {problem}") and "…" in line and len(line) <= MAX_LINE
