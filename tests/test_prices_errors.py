"""Bad `--prices` and `--policy-pack-config` files: one line naming the file, the field path
and what is allowed (the closest key for a misspelt one, the range, the date formats), with
the line and column where the YAML gives them; exit 2, no traceback, nothing written. Each
case is one a probe met: pydantic's own wording leaked out ("Extra inputs are not permitted",
"Input should be greater than or equal to 0"), `date: soon` passed, and an empty file was
taken for "no overrides"."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from groundlink import cli
from groundlink.check.config import PackConfigError, PolicySchema, load_config_file, reconcile
from groundlink.cost.catalog import PriceError, load_catalog, load_catalogs, load_overrides
from groundlink.inputs import MAX_LINE
from groundlink.spec import SpecError, _fmt, load_spec

from .conftest import SPECS

ENTRY = "price: 1, source: s, date: '2026'"
DATES = "YYYY, YYYY-MM or YYYY-MM-DD (e.g. '2026', '2026-12', '2026-12-02')"
RAW = ("Input should", "String should", "Extra inputs", "is not of type", "is invalid (", "Errno")


def _lines(tmp_path: Path, text: str) -> list[str]:
    """The lines `load_overrides` refuses `text` with, the file's name cut off."""
    path = tmp_path / "prices.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PriceError) as raised:
        load_overrides(path)
    lines = raised.value.lines
    assert all(line.startswith(f"{path}: ") and not any(raw in line for raw in RAW) for line in lines), lines
    return [line.removeprefix(f"{path}: ") for line in lines]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "assumptions: {object_sizemb: 5}\n",
            "assumptions.object_sizemb: unknown field; did you mean 'object_size_mb'? (allowed: object_size_mb) "
            "(line 1, column 15)",
        ),
        ("gcp: {}\n", "gcp: unknown field (allowed: assumptions, aws, azure) (line 1, column 1)"),
        (
            "azur: {}\n",
            "azur: unknown field; did you mean 'azure'? (allowed: assumptions, aws, azure) (line 1, column 1)",
        ),
        (
            f"aws:\n  eventbridge_events: {{{ENTRY}, per: 5}}\n",
            "aws.eventbridge_events.per: unknown field (allowed: date, note, price, region, source) (line 2, column 59)",
        ),
        (
            f"aws:\n  eventbridge_events: {{{ENTRY}, notes: x}}\n",
            "aws.eventbridge_events.notes: unknown field; did you mean 'note'? "
            "(allowed: date, note, price, region, source) (line 2, column 59)",
        ),
    ],
)
def test_an_unknown_key_names_the_allowed_ones_the_closest_and_where(tmp_path, text, expected):
    assert _lines(tmp_path, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "aws:\n  kms_key_month: {price: -1, source: s, date: '2026'}\n",
            "aws.kms_key_month.price: -1 is out of range; allowed: 0 or more (line 2, column 19)",
        ),
        (
            "aws:\n  kms_key_month: {price: .inf, source: s, date: '2026'}\n",
            "aws.kms_key_month.price: inf is not allowed; allowed: a finite number (not .inf or .nan) (line 2, column 19)",
        ),
        (
            "aws:\n  kms_key_month: {price: 1, source: '', date: '2026'}\n",
            "aws.kms_key_month.source: has 0 characters; at least 1 character required (line 2, column 29)",
        ),
        (
            "assumptions: {object_size_mb: 0}\n",
            "assumptions.object_size_mb: 0 is out of range; allowed: 0.000001 or more (line 1, column 15)",
        ),
        (  # under a byte: the object counts, and the request lines, would be absurd
            "assumptions: {object_size_mb: 0.000000001}\n",
            "assumptions.object_size_mb: 1e-09 is out of range; allowed: 0.000001 or more (line 1, column 15)",
        ),
        (
            "assumptions: {object_size_mb: true}\n",
            "assumptions.object_size_mb: must be a number, got the boolean true (YAML reads an unquoted yes, no, on, "
            "off, true or false as one) (line 1, column 15)",
        ),
        (
            "assumptions: {object_size_mb: '500'}\n",
            "assumptions.object_size_mb: must be a number, got the text '500'; write the number without quotes "
            "(line 1, column 15)",
        ),
        (
            "assumptions: {object_size_mb: .nan}\n",
            "assumptions.object_size_mb: nan is not allowed; allowed: a finite number (not .inf or .nan) (line 1, column 15)",
        ),
    ],
)
def test_a_value_out_of_range_says_the_range_in_the_file_s_words(tmp_path, text, expected):
    assert _lines(tmp_path, text) == [expected]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("per: 0", "prices.x.per: 0 is out of range; allowed: more than 0 (line 4, column 5)"),
        ("free_per_month: -5", "prices.x.free_per_month: -5 is out of range; allowed: 0 or more (line 4, column 5)"),
        (
            "secondry: true",
            "prices.x.secondry: unknown field; did you mean 'secondary'? (allowed: date, free_per_month, note, per, "
            "price, region, secondary, source, supply, unit) (line 4, column 5)",
        ),
        ("date: soon", f"prices.x.date: 'soon' is not a date; allowed: {DATES} (line 4, column 5)"),
    ],
)
def test_a_catalog_entry_is_held_to_the_same_words(tmp_path, entry, expected):
    fields = {"price": "1", "unit": "GB", "region": "r", "source": "s", "date": "'2026'"}
    key = entry.split(":")[0]
    fields.pop(key, None)
    body = "".join(f"    {k}: {v}\n" for k, v in fields.items())
    (tmp_path / "aws.yaml").write_text(f"cloud: aws\nprices:\n  x:\n    {entry}\n{body}")
    with pytest.raises(PriceError) as raised:
        load_catalog("aws", tmp_path)
    (line,) = raised.value.lines
    assert line == f"{tmp_path / 'aws.yaml'}: {expected}"


@pytest.mark.parametrize("date", ["soon", "26", "2026-13", "2026-02-30", "2026/12/01", "2026-1-5", "2026-12-02T10:00"])
def test_a_date_that_is_not_a_catalog_date_is_refused(tmp_path, date):
    (line,) = _lines(tmp_path, f"aws:\n  kms_key_month: {{price: 1, source: s, date: '{date}'}}\n")
    assert line == f"aws.kms_key_month.date: '{date}' is not a date; allowed: {DATES} (line 2, column 40)"


@pytest.mark.parametrize("date", ["'2026'", "'2026-12'", "'2026-12-02'", "2026-12-02", "2024-02-29"])
def test_the_catalogs_date_formats_are_taken(tmp_path, date):
    path = tmp_path / "prices.yaml"
    path.write_text(f"aws:\n  kms_key_month: {{price: 1, source: s, date: {date}}}\n")
    assert load_overrides(path).aws["kms_key_month"].date == date.strip("'")


def test_an_unquoted_date_with_no_such_day_is_one_line_not_a_traceback(tmp_path):
    """YAML reads an unquoted 2026-13-01 as a date, and PyYAML raised ValueError building it."""
    (line,) = _lines(tmp_path, "aws:\n  kms_key_month: {price: 1, source: s, date: 2026-13-01}\n")
    assert line == f"aws.kms_key_month.date: '2026-13-01' is not a date; allowed: {DATES} (line 2, column 40)"


@pytest.mark.parametrize("text", ["", "  \n\n", "# prices for the Q3 review\n", "~\n"])
def test_an_empty_override_file_is_refused_not_taken_for_no_overrides(tmp_path, text):
    assert _lines(tmp_path, text) == [
        "holds no overrides; a price override file is a YAML mapping with any of aws, azure, assumptions "
        "(docs/compare.md, Overrides)"
    ]


def test_a_directory_or_a_bad_name_cannot_be_read_in_the_spec_s_words(tmp_path):
    with pytest.raises(SpecError) as spec:
        load_spec(tmp_path)
    with pytest.raises(PriceError) as prices:
        load_overrides(tmp_path)
    # a --prices file is said to be the price file, which a name alone may not tell
    assert spec.value.lines == [f"{tmp_path}: cannot read (Is a directory)"]
    assert prices.value.lines == [f"{tmp_path}: cannot read price file (Is a directory)"]
    with pytest.raises(PriceError) as nul:
        load_overrides("a\0b")
    assert nul.value.lines == ["a\\x00b: cannot read price file (embedded null byte)"]
    with pytest.raises(PriceError) as missing:
        load_overrides(tmp_path / "nope.yaml")
    assert missing.value.lines == [f"{tmp_path / 'nope.yaml'}: no such price file"]


@pytest.mark.parametrize("typed", ["./nope.yaml", "specs//nope.yaml", "https://example.com/x.yaml"])
def test_a_missing_spec_is_named_as_typed(typed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError) as missing:
        load_spec(typed)
    assert missing.value.lines == [f"{typed}: no such file"]


def test_an_unknown_price_id_says_where_it_is(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text(f"azure:\n  partner_minute: {{{ENTRY}}}\n  egress_internet_gbs: {{{ENTRY}}}\n")
    with pytest.raises(PriceError) as raised:
        load_catalogs(path)
    assert raised.value.lines == [
        f"{path}: azure.egress_internet_gbs: unknown price id; did you mean 'egress_internet_gb'? (line 3, column 3)"
    ]


def _no_planning(monkeypatch):
    from groundlink import engine

    def refuse(*args, **kwargs):
        raise AssertionError("planned although an input was refused")

    monkeypatch.setattr(engine, "plan", refuse)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "holds no overrides"),
        ("assumptions: {object_sizemb: 5}\n", "did you mean 'object_size_mb'?"),
        ("aws:\n  kms_key_month: {price: 1, source: s, date: soon}\n", "is not a date; allowed: YYYY"),
    ],
)
def test_compare_refuses_a_bad_prices_file_in_one_line_and_writes_nothing(
    capsys, tmp_path, monkeypatch, text, expected
):
    _no_planning(monkeypatch)
    prices = tmp_path / "prices.yaml"
    prices.write_text(text)
    out = tmp_path / "out"
    assert cli.main(["compare", str(SPECS / "noaa20.yaml"), "--out", str(out), "--prices", str(prices)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"{prices}: ") and expected in line and len(line) <= MAX_LINE
    assert not out.exists()


# ---------------------------------------------------------------------------
# The pack config


def _config_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = tmp_path / "pack.json"
    path.write_text(text)
    with pytest.raises(PackConfigError) as raised:
        reconcile(SCHEMAS, load_config_file(path))
    line = str(raised.value)
    assert "\n" not in line and not any(raw in line for raw in RAW), line
    return path, line


@pytest.mark.parametrize("text", ["", " \n\t\n"])
def test_an_empty_pack_config_is_refused(tmp_path, text):
    path, line = _config_error(tmp_path, text)
    assert line == (
        f'{path}: policy pack config is empty; expected a JSON object of policy name -> level or settings, e.g. {{"all": "mandatory"}}'
    )


def test_check_refuses_an_empty_pack_config_and_writes_nothing(capsys, tmp_path, monkeypatch):
    _no_planning(monkeypatch)
    config = tmp_path / "pack.json"
    config.write_text("")
    out = tmp_path / "check.json"
    argv = [
        "check",
        str(SPECS / "noaa20.yaml"),
        "--cloud",
        "aws",
        "--policy-pack-config",
        str(config),
        "--json",
        str(out),
    ]
    assert cli.main(argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"groundlink: {config}: policy pack config is empty; expected a JSON object")
    assert not out.exists()


SCHEMAS = [
    PolicySchema(
        "p",
        "advisory",
        {
            "count": {"type": "integer", "minimum": 1, "maximum": 9},
            "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "minItems": 1},
            "mode": {"type": "array", "items": {"enum": ["a", "b"]}},
            "name": {"type": "string", "pattern": "^[a-z]+$"},
            "flag": {"type": "boolean"},
        },
        [],
    ),
    PolicySchema("q", "advisory", {"k": {"type": "string"}}, ["k"]),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"p": {"count": 0}, "q": {"k": "x"}}',
            "p.count: 0 is not allowed; allowed: an integer, at least 1 and at most 9",
        ),
        (
            '{"p": {"count": "3"}, "q": {"k": "x"}}',
            'p.count: "3" is not allowed; allowed: an integer, at least 1 and at most 9',
        ),
        (
            '{"p": {"tags": ["a", "b", "a"]}, "q": {"k": "x"}}',
            '"a" is given twice; allowed: a list of strings, each once (at least 1 of them)',
        ),
        (
            '{"p": {"tags": []}, "q": {"k": "x"}}',
            "p.tags: [] is not allowed; allowed: a list of strings, each once (at least 1 of them)",
        ),
        ('{"p": {"tags": ["a", 2]}, "q": {"k": "x"}}', "p.tags[1]: 2 is not allowed; allowed: a string"),
        ('{"p": {"mode": ["c"]}, "q": {"k": "x"}}', 'p.mode[0]: "c" is not allowed; allowed: "a", "b"'),
        ('{"p": {"name": "A1"}, "q": {"k": "x"}}', 'p.name: "A1" is not allowed; allowed: a string matching ^[a-z]+$'),
        ('{"p": {"flag": "yes"}, "q": {"k": "x"}}', 'p.flag: "yes" is not allowed; allowed: true, false'),
        ('{"q": "advisory"}', "q.k: is required; allowed: a string"),
        (
            '{"p": {"flags": true}}',
            "p.flags: unknown property; allowed: enforcementLevel, count, tags, mode, name, flag; did you mean 'flag'?",
        ),
        ('{"pp": "advisory"}', "pp: unknown policy; allowed: all, p, q; did you mean 'p'?"),
        (
            '{"p": "mandetory"}',
            "p: \"mandetory\" is not an enforcement level; allowed: advisory, mandatory, remediate, disabled; did you mean 'mandatory'?",
        ),
        (
            '{"p": 3}',
            "p: 3 is not allowed; allowed: an enforcement level (advisory, mandatory, remediate, disabled) or an object",
        ),
        ('{"p": {"count": NaN}}', "NaN is not valid JSON; allowed: a JSON number, string or true/false"),
        ('{"p": "advisory",\n  "q": }', "not valid JSON: line 2, column 8: Expecting value"),
    ],
)
def test_a_bad_pack_config_names_the_file_the_field_and_what_is_allowed(tmp_path, text, expected):
    path, line = _config_error(tmp_path, text)
    assert line.startswith(f"{path}: ") and expected in line, line


def test_a_pack_config_that_cannot_be_read_says_why_in_the_spec_s_words(tmp_path):
    with pytest.raises(PackConfigError) as raised:
        load_config_file(tmp_path)
    assert str(raised.value) == f"{tmp_path}: cannot read policy pack config (Is a directory)"
    with pytest.raises(PackConfigError) as raised:
        load_config_file("a\0b")
    assert str(raised.value) == "a\\x00b: cannot read policy pack config (embedded null byte)"


def test_the_documented_override_example_is_accepted_as_written(tmp_path: Path) -> None:
    """docs/compare.md's example is what a user copies first: it must load, and each price it
    sets must reach the catalog with the source it names."""
    text = (SPECS.parent / "docs" / "compare.md").read_text()
    start = text.index("```yaml", text.index("### Overrides: `--prices FILE`")) + len("```yaml")
    example = tmp_path / "prices.yaml"
    example.write_text(text[start : text.index("```", start)])
    catalogs, assumptions = load_catalogs(example)
    assert assumptions.object_size_mb == 500
    partner = catalogs["azure"].entry("partner_minute")
    assert (partner.price, partner.source) == (12.0, f"partner quote Q-4411 (override: {example})")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("quote Q-1\\u0000 red", "0000"),
        ("\\u001b[31m red", "001B"),
        ("a\\u0085b", "0085"),
        ("two\\nlines", "000A"),
        ("two\\u2028lines", "2028"),
        ("price \\u202e01$", "202E"),
    ],
)
def test_a_control_character_in_an_overrides_text_is_refused(tmp_path, text, code):
    """A NUL or an ESC in a source went into report.html (a parse error) and report.md (binary
    to grep, escape codes on a CI log's terminal)."""
    (line,) = _lines(tmp_path, f'aws:\n  kms_key_month: {{price: 1, source: "{text}", date: "2026-06-01"}}\n')
    assert line == (
        f"aws.kms_key_month.source: holds the control character U+{code}; allowed: printable text on one line "
        "(a tab is allowed) (line 2, column 29)"
    )
    path = tmp_path / "tab.yaml"
    path.write_text('aws:\n  kms_key_month: {price: 1, source: "quote Q-1\\tred", date: "2026-06-01"}\n')
    assert load_overrides(path).aws["kms_key_month"].source == "quote Q-1\tred"  # a tab is text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_number_a_message_names_reads_back_from_yaml_as_that_number(number: float) -> None:
    """A bound or a value is written so that, put in the file as shown, YAML 1.1 reads the same
    number (`1e-06` is text to it): the message's offer is one the file can take as written."""
    shown = _fmt(number)
    assert yaml.safe_load(f"x: {shown}")["x"] == number, shown


@pytest.mark.parametrize("typed", ["./nope.yaml", "prices//nope.yaml"])
def test_a_missing_price_file_is_named_as_typed(typed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PriceError) as missing:
        load_overrides(typed)
    assert missing.value.lines == [f"{typed}: no such price file"]
