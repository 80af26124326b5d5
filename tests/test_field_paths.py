"""Every rejection names the full field path as the file spells it, whatever the keys hold:
keys that look like pydantic's own location tags (`function-after[...]`, `literal[...]`,
`[key]`), keys that are not text (YAML reads `3:` and `null:` as a number and a null), and
bad keys of a mapping-valued field (`mission.tags`) at any depth, in specs and in
`--prices` files alike."""

from __future__ import annotations

import pytest

from groundlink.cost.catalog import PriceError, load_overrides
from groundlink.spec import SpecError, load_spec, spec_from_data

from .conftest import spec_data, write_spec

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
        (
            {"bad key": "v"},
            "x.yaml: mission.tags.'bad key': key does not match ^[A-Za-z0-9._:-]{1,64}$ (1-64 letters, digits and . _ : -)",
        ),
        (
            {"mission": "v", "a/b": "v"},
            "x.yaml: mission.tags.a/b: key does not match ^[A-Za-z0-9._:-]{1,64}$ (1-64 letters, digits and . _ : -)",
        ),
        (
            {"literal[x": "v"},
            "x.yaml: mission.tags.'literal[x': key does not match ^[A-Za-z0-9._:-]{1,64}$ (1-64 letters, digits and . _ : -)",
        ),
        (
            {"[key]": "v"},
            "x.yaml: mission.tags.'[key]': key does not match ^[A-Za-z0-9._:-]{1,64}$ (1-64 letters, digits and . _ : -)",
        ),
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


def test_every_pattern_of_the_spec_is_also_said_in_words():
    """A pattern mismatch names the pattern and then says it in words (spec.PATTERN_WORDS): every
    pattern the spec's JSON Schema holds has its words, so a new field cannot fall back to a bare
    regular expression."""
    from groundlink.spec import PATTERN_WORDS, json_schema

    def patterns(node):
        if isinstance(node, dict):
            yield from ([node["pattern"]] if "pattern" in node else [])
            for value in node.values():
                yield from patterns(value)
        elif isinstance(node, list):
            for value in node:
                yield from patterns(value)

    found = set(patterns(json_schema()))
    assert len(found) >= 9
    assert found <= set(PATTERN_WORDS)


def test_a_bad_name_says_what_is_allowed_in_words(tmp_path):
    data = spec_data()
    data["mission"]["name"] = "Mission_X"
    with pytest.raises(SpecError) as raised:
        load_spec(write_spec(tmp_path, data))
    assert raised.value.lines == [
        f"{tmp_path / 'spec.yaml'}: mission.name: 'Mission_X' does not match ^[a-z][a-z0-9-]{{0,30}}[a-z0-9]$ "
        "(2-32 lowercase letters, digits and '-', starting with a letter and not ending with '-') (line 3, column 3)"
    ]
