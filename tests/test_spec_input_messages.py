"""What `groundlink validate` says about a spec an author got wrong, exactly: one line naming
the field path (the spec's own notation, `satellites[0].downlinks[0].bandwidth_mhz`) and the
line and column, exit 2, nothing written. Budget thresholds, processing turned off, keys given
twice, characters YAML does not allow, tabs."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from groundlink.cli import main

from .conftest import ROOT, SPECS

NOAA20 = (SPECS / "noaa20.yaml").read_text(encoding="utf-8")


def edited(old: str, new: str) -> str:
    assert NOAA20.count(old) == 1, old
    return NOAA20.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of `needle` in `text`."""
    return text[: text.index(needle)].count("\n") + 1


@pytest.fixture
def validate(tmp_path, capsys, monkeypatch):
    """`groundlink validate SPEC` over `text`: exit code, stdout, stderr."""
    monkeypatch.chdir(tmp_path)

    def run(text: str, name: str = "spec.yaml") -> tuple[int, str, str]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        code = main(["validate", name])
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --- budget.thresholds_percent: at least one threshold ---------------------------------------


def test_no_budget_threshold_is_refused_as_it_would_remove_every_alert(validate):
    text = edited("thresholds_percent: [80, 100]", "thresholds_percent: []")
    line = line_of(text, "thresholds_percent")
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: budget.thresholds_percent: has 0 items; at least 1 item required (line {line}, column 3)\n",
    )


def test_no_budget_threshold_plans_nothing_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(edited("thresholds_percent: [80, 100]", "thresholds_percent: []"))
    assert main(["plan", "spec.yaml", "--cloud", "aws", "--json", "plan.json"]) == 2
    assert "budget.thresholds_percent: has 0 items" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]


def test_the_schema_says_a_budget_needs_a_threshold():
    schema = json.loads((ROOT / "schema" / "mission.schema.json").read_text())
    assert schema["$defs"]["Budget"]["properties"]["thresholds_percent"]["minItems"] == 1


# --- processing: off means the processor's own requirements are not asked for ----------------

PROCESSING_ON = (
    "  enabled: true\n  mode: function          # container_job for contacts longer than a function's 900 s\n"
)


def test_processing_off_asks_for_no_container_image_but_still_checks_its_values(validate):
    off = edited(PROCESSING_ON, "  enabled: false\n  mode: container_job\n")
    code, out, err = validate(off)
    assert (code, err) == (0, "")
    assert out.startswith("spec.yaml: ok (")
    # on, the image is required as before
    on = edited(PROCESSING_ON, "  enabled: true\n  mode: container_job\n")
    assert validate(on) == (
        2,
        "",
        "spec.yaml: processing.container_image: mode container_job needs the processor's image: an OCI "
        f"reference (registry/name:tag) both clouds pull (line {line_of(on, 'processing:')}, column 1)\n",
    )
    # off, a value of the wrong kind is still refused
    wrong = off.replace("  memory_mb: 2048", '  memory_mb: "big"')
    assert validate(wrong) == (
        2,
        "",
        f"spec.yaml: processing.memory_mb: must be a number, got the text 'big' "
        f"(line {line_of(wrong, 'memory_mb')}, column 3)\n",
    )


def test_processing_off_in_container_job_mode_plans(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(edited(PROCESSING_ON, "  enabled: false\n  mode: container_job\n"))
    assert main(["plan", "spec.yaml", "--cloud", "aws", "--json", "plan.json"]) == 0
    assert capsys.readouterr().err == ""
    assert Path("plan.json").is_file()


# --- a key given twice: named by its field path ------------------------------------------------

BANDWIDTH = "        bandwidth_mhz: 30\n"


@pytest.mark.parametrize("again", ["        bandwidth_mhz: 40\n", '        "bandwidth_mhz": 40\n'])
def test_a_duplicate_key_is_named_by_its_field_path(validate, again):
    text = edited(BANDWIDTH, BANDWIDTH + again)
    assert validate(text) == (
        2,
        "",
        "spec.yaml: satellites[0].downlinks[0].bandwidth_mhz: duplicate key "
        f"(line {line_of(text, BANDWIDTH) + 1}, column 9)\n",
    )


def test_a_duplicate_top_level_key_is_named(validate):
    text = NOAA20 + "budget:\n  monthly_usd: 1\n"
    assert validate(text) == (2, "", f"spec.yaml: budget: duplicate key (line {text.count(chr(10)) - 1}, column 1)\n")


def test_a_duplicate_key_in_an_anchored_mapping_is_named_where_it_is_written(validate):
    text = edited(
        "  tags:\n    cost-center: eo-ground\n", "  tags: &t\n    cost-center: eo-ground\n    cost-center: x\n"
    )
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: mission.tags.cost-center: duplicate key (line {line_of(text, 'cost-center: x')}, column 5)\n",
    )


# --- characters YAML does not allow, tabs, other syntax errors: one line each ------------------

TAG = "    cost-center: eo-ground\n"


@pytest.mark.parametrize(
    ("line", "anchor", "path", "what", "column"),
    [
        ("    cost-center: eo-gr\x00ound\n", "cost-center", "mission.tags.cost-center", "control character U+0000", 23),
        ("    cost-center: eo-gr\x07ound\n", "cost-center", "mission.tags.cost-center", "control character U+0007", 23),
        ("    cost-center: eo-gr\ufffeound\n", "cost-center", "mission.tags.cost-center", "character U+FFFE", 23),
        # after accented text, columns count characters, not bytes
        ('    cost-center: "é eo\x1bg"\n', "cost-center", "mission.tags.cost-center", "control character U+001B", 23),
        # in a key: the mapping holding it is named
        ("    cost-\x07center: eo-ground\n", "cost-", "mission.tags", "control character U+0007", 10),
    ],
    ids=["nul", "bel", "fffe", "after-accents", "in-a-key"],
)  # fmt: skip
def test_a_character_yaml_refuses_is_one_line_with_its_field_line_and_column(
    validate, line, anchor, path, what, column
):
    text = edited(TAG, line)
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: {path}: {what} is not allowed in YAML; remove it (line {line_of(text, anchor)}, column {column})\n",
    )


@pytest.mark.parametrize(
    ("line", "path", "what", "column"),
    [
        # unquoted, YAML 1.1 broke the value in two: "could not find expected ':'" two lines on
        ("    cost-center: eo\x85ground\n", "mission.tags.cost-center", "control character U+0085", 20),
        # quoted, the value became "eo ground", accepted without a word
        ('    cost-center: "eo\u2028ground"\n', "mission.tags.cost-center", "character U+2028", 21),
        # in a comment, the rest of the comment became a line of its own, refused as YAML; a
        # comment is in no field, so the line and column lead
        ("    cost-center: eo-ground  # a \u2029 comment\n", None, "character U+2029", 33),
    ],
    ids=["nel", "ls-quoted", "ps-in-a-comment"],
)  # fmt: skip
def test_a_line_break_only_yaml_1_1_has_is_one_line_with_its_field_line_and_column(validate, line, path, what, column):
    """NEL, LS and PS are line breaks to YAML 1.1, which the reader follows, and text to the
    YAML 1.2 an editor reads and to `grep -n`: what the author saw as one line was read as two."""
    text = edited(TAG, line)
    at, why = (
        f"line {line_of(text, 'cost-center')}, column {column}",
        "is a line break to this reader and text to YAML 1.2 editors",
    )
    expected = f"{path}: {what} {why}; remove it ({at})" if path else f"{at}: {what} {why}; remove it"
    assert validate(text) == (2, "", f"spec.yaml: {expected}\n")


@pytest.mark.parametrize(
    ("line", "path", "tag", "column"),
    [
        ("    cost-center: !custom eo-ground\n", "mission.tags.cost-center", "!custom", 18),
        ("    cost-center: !!python/object:os.system x\n", "mission.tags.cost-center", "!!python/object:os.system", 18),
        ("    !weird cost-center: eo-ground\n", "mission.tags", "!weird", 5),  # on a key: the mapping
        # a tagged list or mapping is its field, not its first item (it was `...cost-center[0]`)
        ("    cost-center: !custom [eo, ground]\n", "mission.tags.cost-center", "!custom", 18),
        ("    cost-center: !custom {eo: ground}\n", "mission.tags.cost-center", "!custom", 18),
    ],
    ids=["local", "python", "on-a-key", "on-a-list", "on-a-mapping"],
)  # fmt: skip
def test_a_tag_yaml_cannot_construct_names_its_field_and_what_is_allowed(validate, line, path, tag, column):
    """PyYAML's "could not determine a constructor for the tag" named neither the field nor what
    a spec may hold."""
    text = edited(TAG, line)
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: {path}: the tag {tag} is not allowed; allowed: untagged text, numbers, booleans, lists and "
        "mappings (YAML's core tags: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map) "
        f"(line {line_of(text, 'cost-center')}, column {column})\n",
    )


MEMORY = "  memory_mb: 2048 "


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("!!int 2048.5", "!!int '2048.5' is not an integer; give one, or leave the tag out"),
        ("!!int ''", "!!int '' is not an integer; give one, or leave the tag out"),
        ("!!int 0x", "!!int '0x' is not an integer; give one, or leave the tag out"),
        ("!!float abc", "!!float 'abc' is not a number; give one, or leave the tag out"),
        ("!!bool maybe", "!!bool 'maybe' is not a boolean (true or false); give one, or leave the tag out"),
        ("!!map x", "expected a mapping node, but found scalar"),
        ("!!int [1]", "expected a scalar node, but found sequence"),  # the field, not an item [0] of it
        ("!!str {a: 1}", "expected a scalar node, but found mapping"),
        ("!!binary zz", "failed to decode base64 data: Incorrect padding"),
    ],
)
def test_a_core_tag_whose_content_it_cannot_hold_names_the_field(validate, value, problem):
    """The README allows !!int, !!float, !!bool: with content they cannot hold, PyYAML's own
    constructors raised ValueError, IndexError or KeyError, a traceback and exit 1 from every command."""
    text = edited(MEMORY, f"  memory_mb: {value} ")
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: processing.memory_mb: {problem} (line {line_of(text, 'memory_mb')}, column 14)\n",
    )


@pytest.mark.parametrize(
    ("old", "new", "field", "kind"),
    [
        (MEMORY, "  memory_mb: !!str 2048 ", "processing.memory_mb", "must be a number, got 2048"),
        ("  enabled: true", "  enabled: !!str true", "processing.enabled", "must be true or false, got true"),
    ],
)
def test_a_value_made_text_by_an_explicit_str_tag_says_to_leave_the_tag_out(validate, old, new, field, kind):
    """`!!str 43013` was said to be read as text by YAML 1.1 itself, with the fix `write 43013`,
    what the user had written; the tag made it text."""
    text = edited(old, new)
    code, out, err = validate(text)
    assert (code, out) == (2, "")
    assert err.startswith(f"spec.yaml: {field}: {kind}, which the !!str tag makes text; leave the tag out ("), err


def test_an_explicit_str_tag_where_text_belongs_is_the_text(validate):
    """An owner written `!!str 123` is the text 123, as the tag asks."""
    assert validate(edited("  owner: platform-team", "  owner: !!str 123"))[0] == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-01-01", "must be a number, got the date 2020-01-01 (YAML reads an unquoted date as one)"),
        (
            "2020-01-01 10:00:00",
            "must be a number, got the date 2020-01-01T10:00:00 (YAML reads an unquoted date as one)",
        ),
    ],
)
def test_a_date_where_a_number_belongs_is_named_as_a_date(validate, value, expected):
    """It was shown as Python's repr, datetime.date(2020, 1, 1)."""
    text = edited(MEMORY, f"  memory_mb: {value} ")
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: processing.memory_mb: {expected} (line {line_of(text, 'memory_mb')}, column 3)\n",
    )


def test_a_timestamp_tag_on_no_date_is_refused_as_other_tags_are(validate):
    """`owner: !!timestamp foo` was taken as the text 'foo', where `!!int abc` is refused."""
    text = edited(MEMORY, "  memory_mb: !!timestamp x ")
    assert validate(text) == (
        2,
        "",
        "spec.yaml: processing.memory_mb: !!timestamp 'x' is not a date; give one, or leave the tag out "
        f"(line {line_of(text, 'memory_mb')}, column 14)\n",
    )
    code, _, err = validate(edited("owner: platform-team", "owner: !!timestamp foo"))
    assert code == 2 and "mission.owner: !!timestamp 'foo' is not a date" in err


def test_a_control_character_before_any_field_is_named_by_line_and_column(validate):
    assert validate("\x00" + NOAA20) == (
        2,
        "",
        "spec.yaml: line 1, column 1: control character U+0000 is not allowed in YAML; remove it\n",
    )


def test_a_byte_order_mark_is_no_column(validate):
    """Column 1 is the first character after the mark, as YAML counts it for every other error."""
    assert validate("\ufeff\x00" + NOAA20) == (
        2,
        "",
        "spec.yaml: line 1, column 1: control character U+0000 is not allowed in YAML; remove it\n",
    )


def test_a_tab_used_for_indentation_says_to_use_spaces(validate):
    text = edited(TAG, "\tcost-center: eo-ground\n")
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: line {line_of(text, chr(9))}, column 1: found character that cannot start any token; "
        "YAML indentation must use spaces, not tabs\n",
    )


SPACE_ADVICE = "which YAML reads as text, not as a space; type an ordinary space there"
INVISIBLE_ADVICE = "an invisible character YAML reads as text; delete it"


@pytest.mark.parametrize(
    ("old", "new", "char", "advice"),
    [
        ("  owner: ", "\u00a0 owner: ", "\u00a0", SPACE_ADVICE),  # indentation pasted from a web page
        ("  owner: ", "  owner:\u00a0", "\u00a0", SPACE_ADVICE),  # after a key's colon: the parser fails a line later
        ("  owner: ", "  owner:\u3000", "\u3000", SPACE_ADVICE),  # an ideographic space
        # before a line's indentation these gave only the parser's message, pointing at a later
        # line and column where nothing looked wrong
        ("  owner: ", "\ufeff  owner: ", "\ufeff", INVISIBLE_ADVICE),  # a byte order mark where two files were joined
        ("  owner: ", "\u200b  owner: ", "\u200b", INVISIBLE_ADVICE),  # a zero-width space
        ("  owner: ", "  owner:\u2060 ", "\u2060", INVISIBLE_ADVICE),  # a word joiner
        ("  owner: ", "\u200d  owner: ", "\u200d", INVISIBLE_ADVICE),  # a zero-width joiner
        ("  owner: ", "\u200c  owner: ", "\u200c", INVISIBLE_ADVICE),  # a zero-width non-joiner
        ("  owner: ", "\u00ad  owner: ", "\u00ad", INVISIBLE_ADVICE),  # a soft hyphen
    ],
)
def test_a_space_yaml_does_not_take_as_one_is_named_with_its_line(validate, old, new, char, advice):
    """A no-break space gave PyYAML's "mapping values are not allowed here" or "could not find
    expected ':'", often on the next line, naming no character; a tab has its own hint."""
    text = edited(old, new)
    code, out, err = validate(text)
    assert (code, out) == (2, "") and err.count("\n") == 1
    line = line_of(text, char)
    column = text.split("\n")[line - 1].index(char) + 1
    assert err.endswith(
        f"; line {line}, column {column} holds U+{ord(char):04X} ({unicodedata.name(char).lower()}), {advice}\n"
    ), err


def test_an_invisible_character_inside_text_is_not_blamed(validate):
    """A zero-width joiner in an emoji of a comment was named as the cause of an error elsewhere."""
    text = edited("  owner: ", "  # \U0001f469\u200d\U0001f680 flight-ops\u00adteam\n  owner: ")
    text = text.replace("  contacts_per_day:", " contacts_per_day:", 1)  # the real error, later
    code, _, err = validate(text)
    assert code == 2 and "U+200D" not in err and "U+00AD" not in err and err.count("\n") == 1


def test_a_byte_order_mark_at_the_start_is_named_by_no_hint(validate):
    """The file's own byte order mark is read as YAML allows it: a later error is not blamed on it."""
    text = "\ufeff" + edited("  owner: ", "\u00a0 owner: ")
    code, _, err = validate(text)
    assert code == 2 and "U+FEFF" not in err and "U+00A0" in err


def test_an_unclosed_quote_says_where_the_part_it_broke_starts(validate):
    """The parser finds the error lines later, where the quoted text runs into the next keys; the
    message also names where what it was reading started, the line to look at."""
    text = edited(TAG, '    cost-center: "eo-ground\n')
    code, out, err = validate(text)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "<unicode string>" not in err and "\\n" not in err
    assert err.startswith("spec.yaml: line ")
    assert err.endswith(f" that starts at line {line_of(text, 'cost-center')}, column 5)\n")


@pytest.mark.parametrize(
    ("text", "kind", "opened"),
    [
        ("mission: [\n", "sequence", 10),
        ("mission: {a: 1,\n", "mapping", 10),
        ("mission: [a, {b: [1],\n", "mapping", 14),
    ],
)
def test_a_bracket_left_open_at_the_end_says_where_it_was_opened(validate, text, kind, opened):
    """The parser stops where the text ends, and its own context points there too: the line
    named nothing to look at. The innermost bracket still open is named (a closed one is not)."""
    assert validate(text) == (
        2,
        "",
        f"spec.yaml: line 2, column 1: did not find expected node content (while parsing a flow {kind} "
        f"that starts at line 1, column {opened})\n",
    )


def test_negative_zero_is_zero_and_printed_so():
    """`-0.0` passed as the float -0.0, and reports and compare.json echoed a sign the number does not have."""
    import math

    from groundlink.inputs import load_yaml

    data = load_yaml("egress_gb_per_month: -0.0\nratio: -0.00\n", "s.yaml").data
    assert [math.copysign(1, value) for value in data.values()] == [1.0, 1.0]
    assert [f"{value:g}" for value in data.values()] == ["0", "0"]


@pytest.mark.parametrize("value", ["0", "0.005", "-1"])
def test_a_query_cutoff_under_10_mib_is_told_the_least_the_first_time(validate, value):
    """A range message gives the range a value must be in, not a looser one a later check narrows
    ("more than 0" for 0, then "under 0.01048576" for 0.005)."""
    text = edited("query_bytes_scanned_cutoff_gb: 10", f"query_bytes_scanned_cutoff_gb: {value}")
    code, out, err = validate(text)
    assert (code, out) == (2, "")
    assert err == (
        f"spec.yaml: analytics.query_bytes_scanned_cutoff_gb: {value} is under 0.01048576 (10 MiB, the least "
        "pulumi-aws takes for Athena's per-query limit); allowed: 0.01048576-1,000,000 "
        f"(line {line_of(text, 'query_bytes_scanned_cutoff_gb')}, column 3)\n"
    )


@pytest.mark.parametrize(
    ("delivery", "allowed"),
    [("demod_decode", "0.125-650 (AWS Ground Station demod/decode)"), ("digif", "0.01-54 (AWS Ground Station DigIF)")],
)
@pytest.mark.parametrize("value", ["0", "-5"])
def test_a_bandwidth_of_zero_or_less_is_told_its_delivery_s_range(validate, delivery, allowed, value):
    text = edited("bandwidth_mhz: 30", f"bandwidth_mhz: {value}").replace(
        "delivery: demod_decode", f"delivery: {delivery}"
    )
    code, _, err = validate(text)
    assert code == 2
    assert err == (
        f"spec.yaml: satellites[0].downlinks[0].bandwidth_mhz: {value} is outside {allowed} "
        f"(line {line_of(text, 'bandwidth_mhz')}, column 9)\n"
    )


# --- values YAML reads otherwise than they look ------------------------------------------------

OWNER = "owner: platform-team"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        # a GitHub team, a backquoted name, a percent: characters YAML reserves at a value's start
        ("owner: @platform-team", "a value cannot start with @ unquoted (YAML reserves it); put the value in quotes"),
        ("owner: `ops`", "a value cannot start with ` unquoted (YAML reserves it); put the value in quotes"),
        ("owner: %ops", "a value cannot start with % unquoted (YAML reserves it); put the value in quotes"),
        ("owner: team: ops", "a value holding ': ' must be in quotes (YAML reads ': ' as the end of a key)"),
    ],
)
def test_a_plain_value_yaml_cannot_read_names_its_field_and_the_quotes(validate, written, message):
    """PyYAML's 'found character that cannot start any token' named no field and no fix, and
    `owner` is documented to take `@`."""
    text = edited(OWNER, written)
    line = line_of(text, written)
    column = 14 if written == "owner: team: ops" else 10  # the second colon, or the value's first character
    assert validate(text) == (2, "", f"spec.yaml: mission.owner: {message} (line {line}, column {column})\n")
    assert validate(edited(OWNER, f"owner: '{written.removeprefix('owner: ')}'"))[0] == (
        0 if written == "owner: @platform-team" else 2  # quoted, each is text the owner pattern judges
    )


def test_a_value_after_a_hash_is_said_to_be_a_comment(validate):
    """`owner: #ground-ops` (a chat channel) was told 'got nothing', with a value on screen."""
    text = edited(OWNER, "owner: #ground-ops")
    line = line_of(text, "owner: #")
    hint = "' #' starts a comment in YAML: a value starting with # goes in quotes"
    assert validate(text)[2] == (
        f"spec.yaml: mission.owner: must be text, got nothing (null); {hint} (line {line}, column 3)\n"
    )
    # no comment, no hint: a key left empty
    assert hint not in validate(edited(OWNER, "owner:"))[2]
    assert hint not in validate(edited(OWNER, "owner: ''"))[2]


def test_a_blank_or_padded_owner_is_refused(validate):
    """`owner: '   '` put a blank owner tag on every resource."""
    for owner in ("'   '", "' platform-team'", "'platform-team '"):
        code, _, err = validate(edited(OWNER, f"owner: {owner}"))
        assert code == 2 and "mission.owner: " in err and "no space first or last" in err, owner
    assert validate(edited(OWNER, "owner: platform team"))[0] == 0


@pytest.mark.parametrize(
    ("old", "new", "path", "held"),
    [
        ("data_classification: internal", "data_classification: intern\u0430l", "mission.data_classification",
         "U+0430 (CYRILLIC SMALL LETTER A), not an ASCII letter"),
        ("region: us-west-2", "region: us\u2013west\u20132", "clouds.aws.region",
         "U+2013 (EN DASH), not an ASCII character"),
        ("owner: platform-team", "owner: platf\u043erm-team", "mission.owner",
         "U+043E (CYRILLIC SMALL LETTER O), not an ASCII letter"),
    ],
)  # fmt: skip
def test_a_refused_value_names_the_look_alike_characters_it_holds(validate, old, new, path, held):
    """A value that reads like an allowed one on screen was refused without saying why."""
    code, _, err = validate(edited(old, new))
    assert code == 2 and err.startswith(f"spec.yaml: {path}: ") and f"; it holds {held}" in err


def test_a_list_or_mapping_given_a_boolean_says_what_yaml_made_of_it(validate):
    """`tags: no` was told 'got False', Python's spelling."""
    text = edited("  tags:\n", "  tags: no\n  old_tags:\n")
    err = validate(text)[2].splitlines()
    assert err[0].startswith(
        "spec.yaml: mission.tags: must be a mapping, got the boolean false (YAML reads an unquoted yes, no, on,"
    )
    text = edited("alert_emails: [", "alert_emails: yes\n  old_emails: [")
    assert "budget.alert_emails: must be a list, got the boolean true (YAML reads" in validate(text)[2]


@pytest.mark.parametrize(
    ("old", "path", "allowed"),
    [
        ("min_contact_seconds: 180", "ground_segment.min_contact_seconds", "1-21600"),
        ("pre_pass_seconds: 120", "ground_segment.pre_pass_seconds", "0-21600"),
        ("memory_mb: 2048", "processing.memory_mb", "512-4096"),
        ("timeout_seconds: 900", "processing.timeout_seconds", "1-86400"),
        ("max_concurrency: 10", "processing.max_concurrency", "2-1000"),
        ("raw_retention_days: 365", "storage.raw_retention_days", "1-36500"),
    ],
)
def test_a_huge_whole_number_is_told_as_written_with_the_field_s_range(validate, old, path, allowed):
    """`1.0e+308` in a whole-number field was echoed as the 309 digits of its integer, in the
    fields whose own checks print the value; then told `allowed: a number within the field's
    bounds`, where the same number written as an integer was told the field's range. The range
    of a field a model validator bounds is the widest it takes (`timeout_seconds` as a job)."""
    text = edited(old, f"{old.split(':')[0]}: 1.0e+308")
    code, _, err = validate(text)
    assert code == 2 and err.startswith(f"spec.yaml: {path}: 1.0e+308 is out of range; allowed: {allowed} (line "), err


def test_a_plain_key_past_what_yaml_reads_is_named_as_a_long_key(validate):
    """A tag key of 1,100 characters was told 'mapping values are not allowed in this context'."""
    text = edited("  tags:\n", "  tags:\n    " + "k" * 1100 + ": v\n")
    assert validate(text) == (
        2,
        "",
        "spec.yaml: mission.tags: a key of 1100 characters; YAML reads a plain key of at most 1024 "
        f"(line {line_of(text, 'k' * 1100)}, column 1105)\n",
    )


def test_a_yaml_version_other_than_1_1_is_refused_not_read_by_1_1_rules(validate):
    """`%YAML 1.2` was taken without a word and the file read by YAML 1.1's rules, where `on`
    is a boolean and `0b101` a number: what a 1.2 file says was not what groundlink read."""
    message = (
        "line 1, column 1: %YAML 1.2 is not read here: groundlink reads YAML 1.1 (yes, no, on and off are "
        "booleans); remove the directive or write %YAML 1.1"
    )
    assert validate("%YAML 1.2\n---\n" + NOAA20) == (2, "", f"spec.yaml: {message}\n")
    assert validate("# written for 1.2\n%YAML 1.2\n---\n" + NOAA20)[2].startswith("spec.yaml: line 2, column 1: %YAML")
    assert validate("%YAML 1.1\n---\n" + NOAA20)[0] == 0
