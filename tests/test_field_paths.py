"""Every rejection names the full field path as the file spells it, whatever the keys hold:
keys that look like pydantic's own location tags (`function-after[...]`, `literal[...]`,
`[key]`), keys that are not text (YAML reads `3:` and `null:` as a number and a null), and
bad keys of a mapping-valued field (`mission.tags`) at any depth, in specs and in
`--prices` files alike."""

from __future__ import annotations

import pytest

from groundlink.cost.catalog import PriceError, load_overrides
from groundlink.spec import SpecError, spec_from_data

from .conftest import spec_data

SOURCE = "x.yaml"


def rejection(edit) -> list[str]:
    data = spec_data("noaa20.yaml")
    edit(data)
    with pytest.raises(SpecError) as info:
        spec_from_data(data, SOURCE)
    return info.value.lines


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"bad key": "v"}, "x.yaml: mission.tags.'bad key': key does not match ^[A-Za-z0-9._:-]{1,64}$"),
        ({"mission": "v", "a/b": "v"}, "x.yaml: mission.tags.a/b: key does not match ^[A-Za-z0-9._:-]{1,64}$"),
        ({"literal[x": "v"}, "x.yaml: mission.tags.'literal[x': key does not match ^[A-Za-z0-9._:-]{1,64}$"),
        ({"[key]": "v"}, "x.yaml: mission.tags.'[key]': key does not match ^[A-Za-z0-9._:-]{1,64}$"),
        ({3: "v"}, "x.yaml: mission.tags.3: a key must be text"),
        ({None: "v"}, "x.yaml: mission.tags.None: a key must be text"),
    ],
)
def test_a_bad_key_of_a_mapping_field_is_named_under_the_field(tags, expected):
    assert expected in rejection(lambda d: d["mission"].update(tags=tags))


def test_a_tag_key_spelled_like_a_validator_keeps_its_place_in_the_path():
    lines = rejection(lambda d: d["mission"].update(tags={"function-after": 1}))
    assert lines == ["x.yaml: mission.tags.function-after: input should be a valid string (got 1)"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.update({7: "x"}), "x.yaml: 7: a key must be text"),
        (lambda d: d["mission"].update({3: "x"}), "x.yaml: mission.3: a key must be text"),
        (
            lambda d: d["satellites"][0]["downlinks"][0].update({None: "x"}),
            "x.yaml: satellites[0].downlinks[0].None: a key must be text",
        ),
    ],
)
def test_a_key_that_is_not_text_is_named_as_a_key_at_any_depth(edit, expected):
    assert expected in rejection(edit)


def test_an_unknown_field_named_like_a_validator_is_reported_where_it_is():
    lines = rejection(lambda d: d["mission"].update({"function-after": 1}))
    assert lines[0].startswith("x.yaml: mission.function-after: unknown field (allowed: data_classification, ")


def test_errors_inside_list_items_keep_their_index_and_missing_fields_their_name():
    lines = rejection(lambda d: d["storage"].update(tiering=[{"after_days": "x"}]))
    assert lines == [
        "x.yaml: storage.tiering[0].after_days: input should be a valid integer (got 'x')",
        "x.yaml: storage.tiering[0].tier: is required",
    ]


def test_price_overrides_name_the_path_of_bad_keys_and_of_a_file_that_is_no_mapping(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text('aws:\n  3: {price: 1}\n  "a b": 2\n', encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert f"{prices}: aws.3: a key must be text" in info.value.lines
    assert f"{prices}: aws.'a b': Input should be a valid dictionary or instance of Override" in info.value.lines
    prices.write_text("[1]\n", encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert info.value.lines == [
        f"{prices}: the whole file: Input should be a valid dictionary or instance of OverrideFile"
    ]
