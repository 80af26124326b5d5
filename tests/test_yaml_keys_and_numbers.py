"""What YAML makes of keys and numbers a person did not mean, refused in one line naming the
field and the fix, exit 2, through the commands themselves: integers past Python's 4300-digit
conversion limit (a traceback from every command), a key two merged mappings give (YAML leaves
which one wins open; PyYAML kept either), keys YAML reads as no text (`yes:`, `~:`, `2024-01-01:`,
named as Python spells True and None, at the line of their mapping), and a mapping that merges
the mapping it is in (`nested too deeply`, no field)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from groundlink import cli
from groundlink.inputs import load_yaml, show
from groundlink.spec import SpecError, spec_from_data

from .conftest import SPECS, spec_data

BASE = (SPECS / "noaa20.yaml").read_text(encoding="utf-8")
# A number no field takes is told with the field's own range (budget.monthly_usd, a NORAD id)
USD_RANGE = "allowed: 0.01-1,000,000,000"
NORAD_RANGE = "allowed: 1-99999"
USD_BOUNDS = "write a number within the field's bounds (0.01-1,000,000,000)"


def _spec(tmp_path: Path, old: str, new: str, *, anchor: str = "") -> Path:
    """specs/noaa20.yaml with `old` replaced by `new` (and `mission:` anchored as `anchor` says)."""
    assert BASE.count(old) == 1, old
    text = BASE.replace(old, new)
    if anchor:
        text = text.replace("mission:\n", f"mission: {anchor}\n", 1)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(capsys: pytest.CaptureFixture[str], path: Path, *command: str) -> str:
    """The one line a command prints refusing `path` (exit 2, nothing on stdout), without the path."""
    code = cli.main([*(command or ("validate",)), str(path)])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and len(err.splitlines()) == 1, (code, out, err)
    assert err.startswith(f"{path}: "), err
    return err.removeprefix(f"{path}: ").rstrip("\n")


# --- 1. integers of more digits than Python converts


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  monthly_usd: 8000\n",
            "  monthly_usd: " + "9" * 5000 + "\n",
            f"budget.monthly_usd: a number of 5000 digits is out of range; {USD_RANGE} (line 71, column 3)",
        ),
        (
            "  monthly_usd: 8000\n",
            "  monthly_usd: -" + "9" * 5000 + "\n",
            f"budget.monthly_usd: a negative number of 5000 digits is out of range; {USD_RANGE} (line 71, column 3)",
        ),
        (
            "  owner: platform-team\n",
            "  owner: " + "9" * 5000 + "\n",
            "mission.owner: must be text, got a number of 5000 digits; put the value in quotes (line 8, column 3)",
        ),
        (
            "    norad_id: 43013\n",
            "    norad_id: " + "9" * 5000 + "\n",
            f"satellites[0].norad_id: a number of 5000 digits is out of range; {NORAD_RANGE} (line 14, column 5)",
        ),
        (  # converted (a power-of-two base has no limit), then repr() of it raised in the message
            "    norad_id: 43013\n",
            "    norad_id: 0x" + "f" * 5000 + "\n",
            f"satellites[0].norad_id: a number of 6021 digits is out of range; {NORAD_RANGE} (line 14, column 5)",
        ),
        (  # within Python's limit: the field's own range
            "    norad_id: 43013\n",
            "    norad_id: " + "9" * 400 + "\n",
            "satellites[0].norad_id: a number of 400 digits is out of range; allowed: 1-99999 (line 14, column 5)",
        ),
        (  # past the largest float: a float field said "must be a number, got 999...9"
            "  monthly_usd: 8000\n",
            "  monthly_usd: " + "9" * 400 + "\n",
            f"budget.monthly_usd: a number of 400 digits is out of range; {USD_RANGE} (line 71, column 3)",
        ),
        (  # read as infinity: "inf is not allowed", a value the spec never wrote
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1.0e+400\n",
            "budget.monthly_usd: must be a number, got 1.0e+400, which YAML 1.1 reads as infinity (it is past "
            f"1.8e308, the largest number); {USD_BOUNDS} (line 71, column 3)",
        ),
        (  # read as text: the advice was to write 1.0e+400, which is the case above
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1e400\n",
            "budget.monthly_usd: must be a number, got 1e400, which YAML 1.1 reads as text, and as a number it is "
            f"past 1.8e308, the largest number; {USD_BOUNDS} (line 71, column 3)",
        ),
        (  # read as text, and advised as 1.0e-400, which YAML reads as 0 (the case below)
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1e-400\n",
            "budget.monthly_usd: must be a number, got 1e-400, which YAML 1.1 reads as text, and as a number it is "
            f"nearer 0 than 4.9e-324, the smallest number, and reads as 0; {USD_BOUNDS} "
            "(line 71, column 3)",
        ),
        (  # read as 0, where a field that takes 0 took it without a word
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1.0e-400\n",
            "budget.monthly_usd: must be a number, got 1.0e-400, which YAML 1.1 reads as 0 (it is nearer 0 than "
            f"4.9e-324, the smallest number); {USD_BOUNDS} (line 71, column 3)",
        ),
        (  # a base-60 float past 1.8e308: PyYAML's reading raised OverflowError, a traceback
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1" + ":0" * 174 + ".5\n",
            "budget.monthly_usd: must be a number, got '1:0:0:0:0:0:0:0:0:0:0:0:0:0...:0:0:0:0:0:0:0:0:0:0:0:0:0.5', "
            "which YAML 1.1 reads as infinity (it is past 1.8e308, the largest number); write a number within the "
            "field's bounds (0.01-1,000,000,000) (line 71, column 3)",
        ),
        (  # the same in a text field, and under an explicit tag
            "    cost-center: eo-ground\n",
            "    cost-center: !!float 1" + ":0" * 174 + ".5\n",
            "mission.tags.cost-center: has 351 characters; at most 256 allowed (line 11, column 5)",
        ),
        (  # a base-60 integer of 3,000 parts: counted from its leading parts, never converted
            "  monthly_usd: 8000\n",
            "  monthly_usd: 1" + ":0" * 3000 + "\n",
            f"budget.monthly_usd: a number of 5335 digits is out of range; {USD_RANGE} (line 71, column 3)",
        ),
        (  # a million parts (3 MB) took minutes: PyYAML multiplies a growing power of 60 by each
            "    cost-center: eo-ground\n",
            "    cost-center: 1" + ":59" * 1_000_000 + "\n",
            "mission.tags.cost-center: must be text, got a number of 1778152 digits; put the value in quotes "
            "(line 11, column 5)",
        ),
    ],
)
def test_a_number_too_long_for_any_field_is_named_by_its_digit_count(capsys, tmp_path, old, new, expected):
    assert _refused(capsys, _spec(tmp_path, old, new)) == expected


@pytest.mark.parametrize(
    "command", [("validate",), ("plan", "--cloud", "aws"), ("preflight",), ("check",), ("compare", "--out", "OUT")]
)
def test_every_command_refuses_a_5000_digit_number_in_one_line_writing_nothing(capsys, tmp_path, command):
    path = _spec(tmp_path, "    norad_id: 43013\n", "    norad_id: " + "9" * 5000 + "\n")
    out = tmp_path / "out"
    line = _refused(capsys, path, *(str(out) if part == "OUT" else part for part in command))
    assert line == f"satellites[0].norad_id: a number of 5000 digits is out of range; {NORAD_RANGE} (line 14, column 5)"
    assert not out.exists()


def test_a_long_number_is_counted_under_a_lower_interpreter_limit_too(capsys, tmp_path, monkeypatch):
    """`sys.set_int_max_str_digits(640)` (or PYTHONINTMAXSTRDIGITS) lowers the limit: a 1000-digit
    number, within the default, must not reach int() then."""
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        path = _spec(tmp_path, "    norad_id: 43013\n", "    norad_id: " + "9" * 1000 + "\n")
        line = _refused(capsys, path)
    finally:
        sys.set_int_max_str_digits(limit)
    assert line == f"satellites[0].norad_id: a number of 1000 digits is out of range; {NORAD_RANGE} (line 14, column 5)"


def test_show_names_a_long_integer_by_its_digit_count_never_by_repr():
    assert show(10**5000) == "a number of 5001 digits"
    assert show(-(10**100)) == "a negative number of 101 digits"
    assert show([1, 10**5000]) == "[1, a number of 5001 digits]"
    assert show(10**59) == repr(10**59)  # 60 digits: shown as they are


# --- 2. a key two merged mappings give


def test_a_key_two_merged_mappings_give_is_refused(capsys, tmp_path):
    path = _spec(
        tmp_path,
        "  tags:\n    cost-center: eo-ground\n",
        "  tags: {<<: [{program: alpha}, {program: beta}]}\n",
    )
    assert _refused(capsys, path) == (
        "mission.tags.program: given by two mappings merged here (<<), also at line 10, column 16; "
        "keep one, or set it in this mapping (line 10, column 34)"
    )


def test_a_one_letter_key_two_merged_mappings_give_is_refused_too():
    """PyYAML told merged keys apart by id(): one-letter strings are one object, so the first
    mapping's won, where two longer keys had the last one's."""
    from groundlink.inputs import InputError

    with pytest.raises(InputError) as info:
        load_yaml("a: &a {x: 1}\nb: &b {x: 2}\nc: {<<: [*a, *b]}\n", "f.yaml")
    assert str(info.value) == (
        "f.yaml: c.x: given by two mappings merged here (<<), also at line 1, column 8; "
        "keep one, or set it in this mapping (line 2, column 8)"
    )


@pytest.mark.parametrize(
    "text",
    [
        "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: [*b, *a]}\n",  # b merges a: x reaches c twice
        "a: &a {x: 1}\nc: {<<: [*a, *a]}\n",  # the same mapping merged twice
    ],
)
def test_one_key_reached_twice_through_merges_is_no_conflict(text):
    """A conflict is two different values for a key; the same pair reached by two routes holds
    one value, and was refused as 'given by two mappings'."""
    assert load_yaml(text, "f.yaml").data["c"]["x"] == 1


def test_a_mappings_own_key_overrides_merged_ones_at_every_level(capsys, tmp_path):
    """The purpose of `<<`: own keys override merged ones, in a mapping merged in turn too (whose
    flattened keys were taken for a duplicate: `d.a: duplicate key`)."""
    data = load_yaml(
        "d: &d {<<: {a: 1, b: 1}, a: 2}\ne: {<<: [*d, {c: 3}], b: 4}\nf: {<<: [{x: 1}, {x: 2}], x: 3}\n", "f.yaml"
    ).data
    assert data == {"d": {"a": 2, "b": 1}, "e": {"a": 2, "b": 4, "c": 3}, "f": {"x": 3}}


# --- 3. keys YAML reads as no text


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  tags:\n    cost-center: eo-ground\n",
            "  tags: {yes: x}\n",
            "mission.tags.yes: a key must be text; YAML reads an unquoted yes as the boolean true; "
            "put it in quotes (line 10, column 10)",
        ),
        (
            "    cost-center: eo-ground\n",
            "    cost-center: eo-ground\n    no: x\n",
            "mission.tags.no: a key must be text; YAML reads an unquoted no as the boolean false; "
            "put it in quotes (line 12, column 5)",
        ),
        (
            "  tags:\n    cost-center: eo-ground\n",
            "  tags: {~: x}\n",
            "mission.tags.'~': a key must be text; YAML reads an unquoted ~ as null; put it in quotes "
            "(line 10, column 10)",
        ),
        (
            "  tags:\n    cost-center: eo-ground\n",
            "  tags: {2024-01-01: x}\n",
            "mission.tags.2024-01-01: a key must be text; YAML reads an unquoted 2024-01-01 as the date 2024-01-01; "
            "put it in quotes (line 10, column 10)",
        ),
        (
            "  tags:\n    cost-center: eo-ground\n",
            "  tags: {3: x}\n",
            "mission.tags.3: a key must be text; YAML reads an unquoted 3 as the number 3; put it in quotes "
            "(line 10, column 10)",
        ),
        (
            "  owner: platform-team\n",
            "  owner: platform-team\n  on: 1\n",
            "mission.on: a key must be text; YAML reads an unquoted on as the boolean true; put it in quotes "
            "(line 9, column 3)",
        ),
        (
            "version: 1\n",
            "version: 1\nyes: 1\n",
            "yes: a key must be text; YAML reads an unquoted yes as the boolean true; put it in quotes "
            "(line 6, column 1)",
        ),
    ],
)
def test_a_key_yaml_reads_as_no_text_is_named_as_written_where_it_is(capsys, tmp_path, old, new, expected):
    assert _refused(capsys, _spec(tmp_path, old, new)) == expected


def test_a_key_that_is_no_text_in_given_data_is_named_in_yamls_words():
    data = spec_data()
    data["mission"]["tags"] = {True: "x", None: "y"}
    with pytest.raises(SpecError) as info:
        spec_from_data(data, "s.yaml")
    assert info.value.lines == [
        "s.yaml: mission.tags.true: a key must be text; put it in quotes",
        "s.yaml: mission.tags.null: a key must be text; put it in quotes",
    ]


# --- 4. a mapping that merges the mapping it is in


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  owner: platform-team\n",
            "  owner: platform-team\n  <<: *m\n",
            "mission.'<<': merges the mapping it is in (line 9, column 3)",
        ),
        (
            "  tags:\n    cost-center: eo-ground\n",
            "  tags: {<<: *m}\n",
            "mission.tags.'<<': merges the mapping it is in (line 10, column 10)",
        ),
        (
            "    cost-center: eo-ground\n",
            "    cost-center: eo-ground\n    loop: *m\n",
            "mission: holds itself (an alias inside it names its anchor); a mapping cannot hold itself "
            "(line 6, column 10)",
        ),
    ],
)
def test_a_mapping_that_holds_itself_is_refused_where_it_is(capsys, tmp_path, old, new, expected):
    assert _refused(capsys, _spec(tmp_path, old, new, anchor="&m")) == expected


def test_digits_are_counted_exactly_without_text_next_to_powers_of_ten_too():
    from groundlink.inputs import digit_count

    for k in (1, 59, 603, 4300, 20_000):
        assert [digit_count(n) for n in (10**k - 1, 10**k, -(10**k))] == [k, k + 1, k + 1]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  monthly_usd: 8000\n",
            "  monthly_usd: !!binary aGVsbG8=\n",
            "budget.monthly_usd: must be a number, got binary data (!!binary, 5 bytes) (line 71, column 3)",
        ),
        (
            "  alert_emails: [ground-ops@example.com]\n",
            "  alert_emails: !!set {ground-ops@example.com: null}\n",
            "budget.alert_emails: must be a list, got a set (!!set) (line 72, column 3)",
        ),
    ],
)
def test_yamls_binary_and_set_are_named_not_shown_as_python_values(capsys, tmp_path, old, new, expected):
    """`!!binary` and `!!set` are YAML 1.1 types no spec field takes: the message said
    `got b'hello'` and `got {'a'}`, Python's spelling of them."""
    assert _refused(capsys, _spec(tmp_path, old, new)) == expected


@pytest.mark.parametrize(
    ("value", "advice"),
    [
        ("infinity", f"got the text 'infinity'; {USD_BOUNDS}"),
        ("nan", f"got the text 'nan'; {USD_BOUNDS}"),
        ("\uff18\uff10\uff10\uff10", "got the text '\uff18\uff10\uff10\uff10'; write the number in ASCII digits"),
        ('"8000"', "got the text '8000'; write the number without quotes"),
    ],
)
def test_text_python_reads_as_a_number_is_not_told_to_drop_quotes_it_lacks(capsys, tmp_path, value, advice):
    """`infinity`, `nan` and full-width digits, unquoted, were told to "write the number without
    quotes": Python's float() takes them, YAML reads them as text whatever the quotes."""
    path = _spec(tmp_path, "  monthly_usd: 8000\n", f"  monthly_usd: {value}\n")
    assert _refused(capsys, path) == f"budget.monthly_usd: must be a number, {advice} (line 71, column 3)"


def test_base_sixty_reads_in_time_linear_in_its_parts_leading_zeros_too():
    """Leading zero parts were dropped one list copy at a time (quadratic), and a head of 0 from a
    signed part (`!!int 1:-60:...`) skipped the size check. Ten times the parts must take about
    ten times the time, measured in one run."""
    import time

    from groundlink.inputs import base_sixty

    def spent(parts: int) -> float:
        text = "0" + ":0" * parts + ":1.5"
        started = time.process_time()
        assert base_sixty(text, floating=True) == 1.5
        return time.process_time() - started

    few, many = spent(20_000), spent(200_000)
    assert many < 40 * max(few, 1e-3), (few, many)
    with pytest.raises(ValueError):
        base_sixty("1:-60" + ":59" * 10, floating=False)  # `!!int` takes it past YAML's pattern
    assert base_sixty("1:30." + "0" * 5000, floating=True) == 90.0  # a long fraction is no long number
    assert base_sixty("0" * 5000 + "1:30", floating=False) == 90  # nor are leading zeros
    assert [base_sixty(text, floating=True) for text in ("1:00.", "0:0.", "1:0.", "00:30.5")] == [60.0, 0.0, 60.0, 30.5]
