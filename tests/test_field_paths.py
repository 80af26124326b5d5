"""Every rejection names the full field path as the file spells it, whatever the keys hold:
keys that look like pydantic's own location tags (`function-after[...]`, `literal[...]`,
`[key]`), keys that are not text (YAML reads `3:` and `null:` as a number and a null), and
bad keys of a mapping-valued field (`mission.tags`) at any depth, in specs and in
`--prices` files alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundlink.cost.catalog import PriceError, load_overrides
from groundlink.spec import SpecError, load_spec, spec_from_data

from .conftest import SPECS, schema_patterns, spec_data, write_spec

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
        ({3: "v"}, "x.yaml: mission.tags.3: a key must be text; put it in quotes"),
        ({None: "v"}, "x.yaml: mission.tags.null: a key must be text; put it in quotes"),
    ],
)
def test_a_bad_key_of_a_mapping_field_is_named_under_the_field(tags, expected):
    assert expected in rejection(lambda d: d["mission"].update(tags=tags))


def test_a_tag_key_spelled_like_a_validator_keeps_its_place_in_the_path():
    lines = rejection(lambda d: d["mission"].update(tags={"function-after": 1}))
    assert lines == ["x.yaml: mission.tags.function-after: must be text, got the number 1; put the value in quotes"]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda d: d.update({7: "x"}), "x.yaml: 7: a key must be text; put it in quotes"),
        (lambda d: d["mission"].update({3: "x"}), "x.yaml: mission.3: a key must be text; put it in quotes"),
        (
            lambda d: d["satellites"][0]["downlinks"][0].update({None: "x"}),
            "x.yaml: satellites[0].downlinks[0].null: a key must be text; put it in quotes",
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
        "x.yaml: storage.tiering[0].after_days: must be a number, got the text 'x'",
        "x.yaml: storage.tiering[0].tier: is required",
    ]


def test_price_overrides_name_the_path_of_bad_keys_and_of_a_file_that_is_no_mapping(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text('aws:\n  3: {price: 1}\n  "a b": 2\n', encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert info.value.lines == [  # refused as the file is read: YAML made the key no text
        f"{prices}: aws.3: a key must be text; YAML reads an unquoted 3 as the number 3; put it in quotes "
        "(line 2, column 3)"
    ]
    prices.write_text('aws:\n  "3": {price: 1}\n  "a b": 2\n', encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert f"{prices}: aws.3.source: is required (line 2, column 3)" in info.value.lines
    assert (
        f"{prices}: aws.'a b': must be a mapping (fields: price, source, date, region, note), got 2 (line 3, column 3)"
        in info.value.lines
    )
    prices.write_text("[1]\n", encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert info.value.lines == [
        f"{prices}: the whole file: must be a mapping (fields: aws, azure, assumptions), got a list"
    ]


def test_every_pattern_of_the_spec_is_also_said_in_words():
    """A pattern mismatch names the pattern and then says it in words (spec.PATTERN_WORDS): every
    pattern the spec's JSON Schema holds has its words, so a new field cannot fall back to a bare
    regular expression."""
    from groundlink.spec import PATTERN_WORDS, json_schema

    found = set(schema_patterns(json_schema()))
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


# YAML 1.1 (what PyYAML reads) types unquoted scalars by itself: `no` is false, `2025-01-01` a
# date, `1.0` a number. Where text is expected, the message says what YAML made of it and how
# to keep it text, instead of "input should be a valid string (got datetime.date(...))".
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "  name: no",
            "x.yaml: mission.name: must be text, got the boolean false (YAML reads an unquoted yes, no, on, off, "
            "true or false as one); put the value in quotes (line 7, column 3)",
        ),
        (
            "  name: on",
            "x.yaml: mission.name: must be text, got the boolean true (YAML reads an unquoted yes, no, on, off, "
            "true or false as one); put the value in quotes (line 7, column 3)",
        ),
        (
            "  name: 2025-01-01",
            "x.yaml: mission.name: must be text, got the date 2025-01-01 (YAML reads an unquoted date as one); "
            "put the value in quotes (line 7, column 3)",
        ),
        (
            "  name: 2025-01-01 10:00:00",
            "x.yaml: mission.name: must be text, got the date 2025-01-01T10:00:00 (YAML reads an unquoted date as "
            "one); put the value in quotes (line 7, column 3)",
        ),
        (
            "  name: 1.5",
            "x.yaml: mission.name: must be text, got the number 1.5; put the value in quotes (line 7, column 3)",
        ),
    ],
)
def test_a_value_yaml_typed_by_itself_says_so_and_how_to_keep_it_text(tmp_path, line, expected):
    text = (SPECS / "noaa20.yaml").read_text(encoding="utf-8").replace("  name: noaa20\n", line + "\n", 1)
    path = tmp_path / SOURCE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert [one.replace(str(path), SOURCE) for one in info.value.lines] == [expected]


def test_the_quoted_value_is_text_and_valid(tmp_path):
    text = (SPECS / "noaa20.yaml").read_text(encoding="utf-8").replace("  name: noaa20\n", '  name: "no"\n', 1)
    path = tmp_path / SOURCE
    path.write_text(text, encoding="utf-8")
    assert load_spec(path).mission.name == "no"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda d: d.update(mission=5),
            "x.yaml: mission: must be a mapping (fields: name, owner, data_classification, tags), got 5",
        ),
        (
            lambda d: d.update(mission=None),
            "must be a mapping (fields: name, owner, data_classification, tags), got nothing (null)",
        ),
        (lambda d: d.update(satellites={"a": 1}), "x.yaml: satellites: must be a list, got a mapping"),
        (lambda d: d["mission"].update(tags=["a"]), "x.yaml: mission.tags: must be a mapping, got a list"),
        (
            lambda d: d["satellites"][0].update(downlinks=[5]),
            "x.yaml: satellites[0].downlinks[0]: must be a mapping (fields: name,",
        ),
    ],
)
def test_a_value_of_the_wrong_shape_names_the_shape_and_the_fields_never_a_class(edit, expected):
    (line,) = rejection(edit)
    assert expected in line
    assert "instance of" not in line and "dictionary" not in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "aws:\n  eventbridge_events: {price: 1, source: yes, date: '2026-11-01'}\n",
            "aws.eventbridge_events.source: must be text, got the boolean true",
        ),
        (
            "azure:\n  partner_minute: {price: 1, source: q, date: '2026-11-01', region: 2026}\n",
            "azure.partner_minute.region: must be text, got the number 2026; put the value in quotes",
        ),
        ("aws: 5\n", "aws: must be a mapping, got 5"),
        ("assumptions: [1]\n", "assumptions: must be a mapping (fields: object_size_mb), got a list"),
    ],
)
def test_price_overrides_say_what_yaml_read_and_the_shape_expected(tmp_path, text, expected):
    prices = tmp_path / "prices.yaml"
    prices.write_text(text, encoding="utf-8")
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    (line,) = info.value.lines
    assert line.removeprefix(f"{prices}: ").startswith(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "must be a number, got the boolean true"),
        ('"5"', "must be a number, got the text '5'; write the number without quotes"),
        # YAML 1.1 readings, worded as for a spec
        (
            "1e3",
            "must be a number, got 1e3, which YAML 1.1 reads as text (its numbers take a dot and a signed exponent",
        ),
        ("0750", "must be a number, got 0750, which YAML 1.1 reads as the octal number 488 (a leading zero makes one)"),
    ],
)
def test_a_price_override_is_a_number_as_written_not_one_pydantic_reads_into_it(tmp_path, value, expected):
    """`price: yes` was billed as $1 and `price: "5"` as $5: the spec refuses both."""
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        f"aws:\n  athena_tb_scanned: {{price: {value}, source: x, date: '2026-01-01'}}\n", encoding="utf-8"
    )
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    (line,) = info.value.lines
    assert line.startswith(f"{prices}: aws.athena_tb_scanned.price: {expected}")


def test_an_empty_override_region_is_refused_not_the_catalogs_taken_silently(tmp_path):
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        "aws:\n  athena_tb_scanned: {price: 5, source: x, date: '2026-01-01', region: ''}\n", encoding="utf-8"
    )
    with pytest.raises(PriceError) as info:
        load_overrides(prices)
    assert info.value.lines[0].startswith(f"{prices}: aws.athena_tb_scanned.region: ")


def test_a_yaml_merge_key_is_read_and_the_mappings_own_value_wins(tmp_path, monkeypatch):
    """`<<: *defaults` was refused with "could not determine a constructor for the tag
    'tag:yaml.org,2002:merge'" and no field path: the safe loader reads merge keys, ours did not."""
    monkeypatch.chdir(tmp_path)
    text = (
        (SPECS / "noaa20.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "      - name: hrd\n        center_frequency_mhz: 7812\n        bandwidth_mhz: 30\n",
            "      - name: hrd\n        <<: {center_frequency_mhz: 7812, bandwidth_mhz: 30}\n        bandwidth_mhz: 25\n",
            1,
        )
    )
    Path(SOURCE).write_text(text, encoding="utf-8")
    assert load_spec(SOURCE).satellites[0].downlinks[0].bandwidth_mhz == 25

    Path(SOURCE).write_text(text.replace("bandwidth_mhz: 25\n", "bandwidth_mhz: 2000\n"), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(SOURCE)
    (line,) = info.value.lines
    assert line.startswith("x.yaml: satellites[0].downlinks[0].bandwidth_mhz: 2000 is outside")
    assert line.endswith(
        f"(line {text.splitlines().index('        bandwidth_mhz: 25') + 1}, column 9)"
    )  # the value that won


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: {<<: {x: 1, x: 2}}\n", "f.yaml: a.'<<'.x: duplicate key (line 1, column 16)"),
        ("a: {<<: [{x: 1, x: 2}]}\n", "f.yaml: a.'<<'[0].x: duplicate key (line 1, column 17)"),
        (
            "a: {<<: {x: 1}, <<: {y: 2}}\n",
            "f.yaml: a.'<<': duplicate key; a mapping merges (<<) once (line 1, column 17)",
        ),
    ],
)
def test_a_key_given_twice_inside_a_merged_mapping_is_refused_as_anywhere(text, expected):
    """The safe loader flattens a merged mapping without constructing it, so a key given twice
    there was taken as whichever came first without a word."""
    from groundlink.inputs import InputError, load_yaml

    with pytest.raises(InputError) as info:
        load_yaml(text, "f.yaml")
    assert str(info.value) == expected


def test_a_long_pattern_is_said_in_its_words_alone(tmp_path):
    """The email address's pattern is 257 characters of character classes: shown, it made up
    most of a 381-character line; a short one is still shown before its words (above)."""
    from groundlink.spec import EMAIL_PATTERN, PATTERN_SHOWN_MAX

    data = spec_data()
    data["budget"]["alert_emails"] = ["not-an-email"]
    path = write_spec(tmp_path, data)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    [line] = raised.value.lines
    assert len(EMAIL_PATTERN) > PATTERN_SHOWN_MAX
    # measured after the spec's path, which is as long as the test's temporary directory (a long
    # TMPDIR failed this test)
    assert line.startswith(f"{path}: ")
    message = line.removeprefix(f"{path}: ")
    assert message.startswith(
        "budget.alert_emails[0]: 'not-an-email' is not an email address, name@domain.tld, in ASCII (line "
    )
    assert EMAIL_PATTERN not in message and len(message) < 120
