"""Hostile and broken input: every command answers with exit 2 and one short line naming the
file and the field, quickly, with no traceback. Each case is a fault a user met."""

from __future__ import annotations

import json

import pytest
import yaml

from groundlink import cli, inputs
from groundlink.inputs import MAX_LINE

from .conftest import SPECS, spec_data, write_spec

DL = "satellites[0].downlinks[0]"


def answer(capsys, *argv: str) -> tuple[int, list[str]]:
    """Run the CLI in-process; its exit code and stderr lines."""
    code = cli.main(list(argv))
    err = capsys.readouterr().err
    return code, err.splitlines()


def one_line_error(capsys, *argv: str) -> str:
    code, lines = answer(capsys, *argv)
    assert code == 2, lines
    assert len(lines) == 1, lines
    assert len(lines[0]) <= MAX_LINE and "Traceback" not in lines[0]
    return lines[0]


def with_downlink(tmp_path, **fields):
    data = spec_data()
    link = data["satellites"][0]["downlinks"][0]
    link.pop("preset", None)
    link.update(fields)
    return write_spec(tmp_path, data)


GOOD_DEMOD = json.dumps({"type": "QPSK"})
GOOD_DECODE = json.dumps(
    {"edges": [{"from": "a", "to": "b"}], "nodeConfigs": {"a": {"type": "IQ_RECOMBINER"}, "b": {"type": "X_EGRESS"}}}
)


@pytest.mark.parametrize("text", ["[]", "null", "1", '"s"', '{"nodeConfigs": {"a": "x"}}', '{"edges": 1}'])
def test_decode_json_that_is_json_but_not_a_graph_is_one_line(capsys, tmp_path, text):
    path = with_downlink(tmp_path, demodulation_json=GOOD_DEMOD, decode_json=text)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {DL}.decode_json: ")


@pytest.mark.parametrize("text", ["[]", "null", "1", '{"qpsk": {}}'])
def test_demodulation_json_that_is_not_an_object_with_a_type_is_one_line(capsys, tmp_path, text):
    path = with_downlink(tmp_path, demodulation_json=text, decode_json=GOOD_DECODE)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {DL}.demodulation_json: ")


@pytest.mark.parametrize(
    "edge",
    [
        {"from": "a", "to": "UncodedFrameEgress"},  # a typo of the node's name
        {"from": "c", "to": "b"},
        {"from": "a"},
        ["a", "b"],
    ],
)
def test_a_decode_edge_that_names_no_node_of_the_graph_is_refused_at_its_index(capsys, tmp_path, edge):
    """A hand-written graph whose edge names a node it does not hold passed validate, and only
    AWS Ground Station would have refused the config, at pulumi up."""
    graph = json.loads(GOOD_DECODE)
    graph["edges"].append(edge)
    path = with_downlink(tmp_path, demodulation_json=GOOD_DEMOD, decode_json=json.dumps(graph))
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f'{path}: {DL}.decode_json: edges[1]: needs "from" and "to" naming nodes of nodeConfigs')


def test_an_explicit_graph_of_the_right_shape_is_accepted(capsys, tmp_path):
    path = with_downlink(tmp_path, demodulation_json=GOOD_DEMOD, decode_json=GOOD_DECODE)
    assert answer(capsys, "validate", str(path))[0] == 0


def test_deeply_nested_json_under_the_size_limit_is_one_line(capsys, tmp_path):
    deep = "[" * 4000 + "]" * 4000
    path = with_downlink(tmp_path, demodulation_json=deep, decode_json=GOOD_DECODE)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {DL}.demodulation_json: ")
    path = with_downlink(
        tmp_path, demodulation_json='{"type": "Q", "a": ' + "[" * 100 + "]" * 100 + "}", decode_json=GOOD_DECODE
    )
    assert "nested" in one_line_error(capsys, "validate", str(path))


def test_deeply_nested_yaml_names_line_and_column(capsys, tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text((SPECS / "noaa20.yaml").read_text() + "usage: " + "{a: " * 250 + "1" + "}" * 250 + "\n")
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: line ") and "nested deeper than" in line


def test_nesting_past_the_yaml_scanners_own_limit_is_said_as_any_other(capsys, tmp_path):
    """100,000 open brackets: libyaml's scanner, reading ahead, stops at 1,000 levels with its
    own words ("exceeded maximum nesting depth") before the 65th level reaches the check."""
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "\n")
    assert one_line_error(capsys, "validate", str(path)) == f"{path}: line 1, column 1003: nested deeper than 64 levels"


def test_an_alias_bomb_is_refused_from_the_event_stream_before_any_node_is_built(capsys, tmp_path, monkeypatch):
    """A billion-value bomb in under 3 kB: building its nodes would take minutes and gigabytes, so
    the refusal must come before the loader builds a single node."""
    rows = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    text = "".join(
        line for line in (SPECS / "noaa20.yaml").read_text().splitlines(True) if not line.lstrip().startswith("#")
    )
    text = text.replace("mission:", "anchors:\n" + "\n".join("  " + r for r in rows) + "\nmission:", 1)
    path = tmp_path / "bomb.yaml"
    path.write_text(text.replace("data_classification: internal", "data_classification: *a8"))
    assert len(text) < 3000

    def no_nodes(text: str) -> None:
        raise AssertionError("the loader was reached: the bomb's nodes would be built")

    monkeypatch.setattr(inputs, "_unique_key_loader", lambda: no_nodes)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: line ") and "expands to more than" in line


def test_a_document_of_too_many_values_without_an_alias_does_not_blame_aliases(capsys, tmp_path):
    text = (SPECS / "noaa20.yaml").read_text()
    path = tmp_path / "flat.yaml"
    path.write_text(text.replace("satellites:\n", "".join(f"x{i}: 1\n" for i in range(100_001)) + "satellites:\n"))
    line = one_line_error(capsys, "validate", str(path))
    assert line.endswith(": holds more than 200000 values"), line


def test_many_unknown_keys_are_each_named_in_time_linear_in_their_number(capsys, tmp_path):
    """10,000 unknown top-level keys (a flat file fed by mistake) took 44 s: each error scanned
    the whole mapping twice, once for its line and once for its key. Ten times the keys must
    take about ten times the time (a quadratic reading takes a hundred), measured in one run."""
    import time

    text = (SPECS / "noaa20.yaml").read_text()

    def spent(keys: int) -> float:
        path = tmp_path / f"flat{keys}.yaml"
        path.write_text(text.replace("satellites:\n", "".join(f"x{i}: 1\n" for i in range(keys)) + "satellites:\n"))
        started = time.process_time()
        code, lines = answer(capsys, "validate", str(path))
        assert code == 2 and len(lines) == keys
        assert lines[-1].startswith(f"{path}: x{keys - 1}: unknown field (allowed: analytics, budget, ")
        return time.process_time() - started

    few, many = spent(1_000), spent(10_000)
    assert many < 40 * few, (few, many)


def test_a_huge_rejected_value_is_echoed_truncated(capsys, tmp_path):
    data = spec_data()
    data["mission"]["data_classification"] = "x" * 100_000
    data["clouds"] = {"aws": {"region": ["y" * 1000] * 1000}}
    code, lines = answer(capsys, "validate", str(write_spec(tmp_path, data)))
    assert code == 2 and len(lines) == 2
    assert all(len(line) <= MAX_LINE for line in lines)
    assert any("mission.data_classification: 'xxx" in line for line in lines)


@pytest.mark.parametrize("key", ["na\nme", "own\x07er", "\x1b[31mred"])
def test_control_characters_in_keys_give_one_line_with_a_field_path(capsys, tmp_path, key):
    data = spec_data()
    data["mission"][key] = "x"
    path = write_spec(tmp_path, data)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: mission.'") and "unknown field" in line
    assert "(line " in line


def test_errors_from_a_file_name_their_line_and_column(capsys, tmp_path):
    data = spec_data()
    data["budget"]["monthly_usd"] = -5
    path = write_spec(tmp_path, data)
    line = one_line_error(capsys, "validate", str(path))
    lineno = path.read_text().splitlines().index("  monthly_usd: -5") + 1
    assert line.startswith(f"{path}: budget.monthly_usd: ") and line.endswith(f"(line {lineno}, column 3)")


@pytest.mark.parametrize(
    ("field", "code", "message"),
    [
        ("budget.monthly_usd", 2, "budget.monthly_usd: must be a number, got the text '2026-13-01'"),
        ("mission.owner", 0, "ok"),  # text where text belongs: the owner '2026-13-01'
    ],
)
def test_a_date_yaml_cannot_build_is_the_text_it_is_not_a_traceback(capsys, tmp_path, field, code, message):
    """YAML 1.1 reads an unquoted 2026-13-01 as a date; PyYAML raised ValueError building one
    that does not exist, a traceback from whichever field held it."""
    data = spec_data()
    section, key = field.split(".")
    data[section][key] = "PLACEHOLDER"
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data).replace("PLACEHOLDER", "2026-13-01"))
    assert cli.main(["validate", str(path)]) == code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and message in (err or out)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
@pytest.mark.parametrize("field", ["budget.monthly_usd", "usage.egress_gb_per_month", "usage.products_ratio"])
def test_non_finite_numbers_are_refused(capsys, tmp_path, field, value):
    section, key = field.split(".")
    path = tmp_path / "spec.yaml"
    data = spec_data()
    data.setdefault(section, {})[key] = 1.5
    text = yaml.safe_dump(data, sort_keys=False).replace(f"{key}: 1.5", f"{key}: {value}")
    path.write_text(text)
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {field}: ") and "finite" in line


@pytest.mark.parametrize("value", [".inf", ".nan"])
def test_non_finite_prices_are_refused_before_planning(capsys, tmp_path, value):
    prices = tmp_path / "prices.yaml"
    prices.write_text(
        f"aws:\n  ground_station_narrowband_minute:\n    price: {value}\n    source: x\n    date: 2026-01-01\n"
    )
    line = one_line_error(
        capsys, "compare", str(SPECS / "noaa20.yaml"), "--out", str(tmp_path / "o"), "--prices", str(prices)
    )
    assert line.startswith(f"{prices}: aws.ground_station_narrowband_minute.price: ") and "finite" in line
    assert not (tmp_path / "o").exists()


def test_a_symlink_loop_as_the_spec_is_one_line(capsys, tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    for command in ("validate", "plan", "check", "compare"):
        extra = ["--out", str(tmp_path / "o")] if command == "compare" else []
        line = one_line_error(capsys, command, str(tmp_path / "a.yaml"), *extra)
        assert line.startswith(f"{tmp_path / 'a.yaml'}: cannot read")


def test_a_directory_or_binary_file_as_the_spec_is_one_line(capsys, tmp_path):
    assert one_line_error(capsys, "validate", str(tmp_path)).startswith(f"{tmp_path}: cannot read")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00junk")
    assert one_line_error(capsys, "validate", str(binary)) == (
        f"{binary}: line 1, column 1: not UTF-8 text: byte 0xFF is no UTF-8 character; the file is UTF-16; save it as UTF-8"
    )


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-32", "line 1, column 1: not UTF-8 text: byte 0xFF is no UTF-8 character; the file is UTF-32"),
        ("utf-16", "line 1, column 1: not UTF-8 text: byte 0xFF is no UTF-8 character; the file is UTF-16"),
        # no byte-order mark: the first byte that is no UTF-8 (the comment's section sign), or,
        # in ASCII alone, the NUL YAML refuses; neither placed (UTF-8's lines are not the editor's)
        ("utf-16-le", "not UTF-8 text: byte 0xA7 is no UTF-8 character; the file looks UTF-16 or UTF-32"),
        ("utf-32-be", "not UTF-8 text: byte 0xA7 is no UTF-8 character; the file looks UTF-16 or UTF-32"),
        ("ascii-utf-16-le", "not UTF-8 text: the file looks UTF-16 or UTF-32"),
    ],
)
def test_a_spec_saved_as_utf16_or_utf32_is_named_so(capsys, tmp_path, encoding, expected):
    """A UTF-32 file was named UTF-16 (its mark begins with UTF-16's), and one without a mark
    was "control character U+0000 ... remove it" at a line and column no editor shows."""
    text = (SPECS / "noaa20.yaml").read_text()
    if encoding.startswith("ascii-"):
        text, encoding = text.encode("ascii", "ignore").decode(), encoding.removeprefix("ascii-")
    path = tmp_path / "wide.yaml"
    path.write_bytes(text.encode(encoding))
    line = one_line_error(capsys, "validate", str(path))
    assert line.startswith(f"{path}: {expected}") and line.endswith("; save it as UTF-8"), line


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "a: 1\n---\nb: 2\n", "!!python/object:os.system {}\n", "\t- x"])
def test_yaml_the_loader_refuses_is_one_line(capsys, tmp_path, text):
    path = tmp_path / "s.yaml"
    path.write_text(text)
    assert one_line_error(capsys, "validate", str(path)).startswith(f"{path}: ")


def _no_planning(monkeypatch):
    from groundlink import engine

    def refuse(*args, **kwargs):
        raise AssertionError("planned although an input was refused")

    monkeypatch.setattr(engine, "plan", refuse)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "/dev/zero"], "/dev/zero: larger than 8 MiB; not a mission spec"),
        (["validate", "/dev/urandom"], "/dev/urandom: larger than 8 MiB; not a mission spec"),
        (
            ["compare", "SPEC", "--out", "OUT", "--prices", "/dev/zero"],
            "/dev/zero: larger than 8 MiB; not a price file",
        ),
        (
            ["check", "SPEC", "--cloud", "aws", "--policy-pack-config", "/dev/zero"],
            "groundlink: /dev/zero: larger than 8 MiB; not a policy pack config",
        ),
        (["diff", "/dev/zero", "SPEC"], "groundlink: /dev/zero: larger than 256 MiB"),
    ],
)
def test_an_endless_input_is_one_line_not_a_memory_error(capsys, tmp_path, monkeypatch, argv, expected):
    """A device that never ends was read whole: MemoryError and a traceback, or the machine's
    memory gone. Every input is read up to its limit and one byte more."""
    _no_planning(monkeypatch)
    spec = str(SPECS / "noaa20.yaml")
    argv = [spec if a == "SPEC" else str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert one_line_error(capsys, *argv) == expected
    assert not (tmp_path / "o").exists()


NOT_UTF8 = "not UTF-8 {}: byte 0xE9 is no UTF-8 character; save it as UTF-8"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "BAD"], f"BAD: line 1, column 5: {NOT_UTF8.format('text')}"),
        (["compare", "SPEC", "--out", "OUT", "--prices", "BAD"], f"BAD: line 1, column 5: {NOT_UTF8.format('text')}"),
        (
            ["check", "SPEC", "--cloud", "aws", "--policy-pack-config", "BAD"],
            f"groundlink: BAD: line 1, column 5: {NOT_UTF8.format('policy pack config')}",
        ),
        (["diff", "BAD", "SPEC"], f"groundlink: BAD: line 1, column 5: {NOT_UTF8.format('text')}"),
    ],
)
def test_an_input_that_is_not_utf8_is_one_line(capsys, tmp_path, monkeypatch, argv, expected):
    """A pack config in another encoding ended in a UnicodeDecodeError traceback."""
    _no_planning(monkeypatch)
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b'{"a"\xe9: 1}')
    spec = str(SPECS / "noaa20.yaml")
    names = {"BAD": str(bad), "SPEC": spec, "OUT": str(tmp_path / "o")}
    line = one_line_error(capsys, *[names.get(a, a) for a in argv])
    assert line.startswith(expected.replace("BAD", str(bad)))
    assert not (tmp_path / "o").exists()


def test_an_input_at_its_limit_is_read_and_one_byte_over_is_not(tmp_path):
    from groundlink import inputs

    path = tmp_path / "small.yaml"
    path.write_bytes(b"a: 1\r\n" + b"#" * 58)  # 64 bytes
    assert inputs.read_input(path, 64) == "a: 1\n" + "#" * 58  # newlines as read_text gives them
    path.write_bytes(b"a: 1\r\n" + b"#" * 59)
    with pytest.raises(inputs.InputTooLarge, match=r"^larger than 64 bytes$"):
        inputs.read_input(path, 64)


def test_a_spec_from_a_pipe_is_read(capsys, tmp_path):
    import os
    import threading

    fifo = tmp_path / "spec.pipe"
    os.mkfifo(fifo)
    text = (SPECS / "noaa20.yaml").read_bytes()

    def feed() -> None:
        with fifo.open("wb") as handle:
            handle.write(text)

    threading.Thread(target=feed, daemon=True).start()
    assert cli.main(["validate", str(fifo)]) == 0
    assert capsys.readouterr().out.startswith(f"{fifo}: ok (noaa20:")


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ('{"tags-required": "advisory", "tags-required": "mandatory"}', "tags-required"),
        (
            '{"tags-required": {"enforcementLevel": "advisory", "enforcementLevel": "disabled"}}',
            "tags-required.enforcementLevel",
        ),
        # nine rules take requireCustomerManagedKey: the key alone named none of them
        (
            '{"aws-s3-kms-encryption": {"requireCustomerManagedKey": false}, '
            '"aws-kinesis-cmk": {"requireCustomerManagedKey": false, "requireCustomerManagedKey": true}}',
            "aws-kinesis-cmk.requireCustomerManagedKey",
        ),
    ],
)
def test_a_pack_config_key_given_twice_is_refused_before_planning(capsys, tmp_path, monkeypatch, config, key):
    """JSON readers keep the last of two equal keys without a word: a rule set to advisory,
    then to mandatory, passed as whichever came last; the spec's YAML refuses the same."""
    _no_planning(monkeypatch)
    path = tmp_path / "pack.json"
    path.write_text(config)
    line = one_line_error(capsys, "check", str(SPECS / "noaa20.yaml"), "--policy-pack-config", str(path))
    assert line == (
        f"groundlink: {path}: {key}: given twice in one object; keep one (JSON readers keep the last silently)"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["validate", "NL"], "NL: no such file"),
        (["process", "NL", "--out", "OUT"], "groundlink: NL: no such directory"),
        (["query", "NL", "select 1"], "groundlink: NL: no such directory"),
        (["compare", "SPEC", "--out", "OUT", "--prices", "NL"], "NL: no such price file"),
        (["diff", "NL", "SPEC"], "groundlink: NL: no such file"),
    ],
)
def test_a_path_holding_a_newline_is_still_one_line(capsys, tmp_path, monkeypatch, argv, expected):
    """`process` and `query` printed a path as given, so a name holding a newline split the
    message in two; `--prices` likewise. Every message escapes it as the spec reader does."""
    _no_planning(monkeypatch)
    odd = str(tmp_path / "a\nb")
    names = {"NL": odd, "SPEC": str(SPECS / "noaa20.yaml"), "OUT": str(tmp_path / "o")}
    line = one_line_error(capsys, *[names.get(a, a) for a in argv])
    assert line == expected.replace("NL", odd.replace("\n", "\\n"))


def test_a_long_source_is_cut_before_the_allowed_values_are() -> None:
    """A line over the limit was cut at its end, unmarked: under a long directory a region error
    lost ten of its twelve allowed regions mid-word. The source's middle goes first now."""
    from groundlink import limits
    from groundlink.spec import SpecError, spec_from_data

    from .conftest import with_changes

    source = "/missions/" + "d" * 200 + "/mission-spec.yaml"
    data = with_changes(spec_data(), {"clouds.aws.region": "ap-east-1"})
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, source)
    (line,) = [line for line in caught.value.lines if "clouds.aws.region" in line]
    assert len(line) <= MAX_LINE and "…" in line.split(": ")[0]
    assert "mission-spec.yaml: clouds.aws.region: ap-east-1 has no AWS Ground Station API endpoint" in line
    assert all(region in line for region in limits.AWS_GROUND_STATION_API_REGIONS)


def test_an_undefined_alias_is_named_with_the_field_it_stands_in(tmp_path, capsys):
    """libyaml says only 'found undefined alias': the line now names the alias and the field."""
    from groundlink import cli

    spec = tmp_path / "s.yaml"
    spec.write_text("version: 1\nmission:\n  name: x\n  owner: *zz\n")
    assert cli.main(["validate", str(spec)]) == 2
    assert capsys.readouterr().err == (
        f"{spec}: mission.owner: *zz names no anchor: no &zz is defined before it (line 4, column 10)\n"
    )


def test_a_byte_that_is_not_utf8_is_named_with_its_field_line_and_column(tmp_path, capsys):
    """A Latin-1 `é` in a value said only "not UTF-8 text (byte 41)"."""
    from groundlink import cli

    spec = tmp_path / "s.yaml"
    spec.write_bytes(b"version: 1\nmission:\n  name: x\n  owner: platform-t\xe9am\n")
    assert cli.main(["validate", str(spec)]) == 2
    assert capsys.readouterr().err == (
        f"{spec}: mission.owner: not UTF-8 text: byte 0xE9 is no UTF-8 character; save it as UTF-8 "
        "(line 4, column 20)\n"
    )


def test_an_anchor_defined_twice_is_named_with_both_places(tmp_path, capsys):
    """PyYAML said "found duplicate anchor; first occurrence, second occurrence", naming neither
    the anchor nor where it was first defined."""
    from groundlink import cli

    spec = tmp_path / "s.yaml"
    spec.write_text("version: 1\nmission:\n  name: x\n  owner: &o team\n  data_classification: &o internal\n")
    assert cli.main(["validate", str(spec)]) == 2
    assert capsys.readouterr().err == (
        f"{spec}: mission.data_classification: the anchor &o is defined twice (first at line 4, column 10); "
        "give this one another name (line 5, column 24)\n"
    )


@pytest.mark.parametrize(("argv", "label"), [(["validate", "-"], "spec"), (["diff", "-", "specs/noaa20.yaml"], "old")])
def test_a_dash_for_an_input_says_how_to_read_standard_input(argv, label, capsys):
    """`--json -` says standard output is no file here; `-` for a spec said `-: no such file`."""
    from groundlink import cli

    assert cli.main(argv) == 2
    assert capsys.readouterr().err == (
        f"groundlink: {label} -: standard input is not a file here; give a file path (or /dev/stdin)\n"
    )


@pytest.mark.parametrize(
    ("argv", "label"), [(["query", "-", "SELECT 1"], "products_dir"), (["process", "-", "--out", "o"], "contact_dir")]
)
def test_a_dash_for_a_directory_asks_for_a_directory(argv, label, capsys, tmp_path, monkeypatch):
    """`-` for a directory was told to give a file path or /dev/stdin, which is no directory either."""
    from groundlink import cli

    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    assert (
        capsys.readouterr().err == f"groundlink: {label} -: standard input is not a directory; give a directory path\n"
    )


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": 1, "a": 2}', "a"),
        ('{"a": {"b": [1, {"c": 1}, {"d": {"e": 1, "e": 2}}]}}', "a.b[2].d.e"),
        ('[{"x": 1}, {"x": 1, "x": 2}]', "[1].x"),
        # the first in reading order, of two
        ('{"p": {"q": 1, "q": 2}, "r": {"s": 1, "s": 2}}', "p.q"),
        # an outer object's and an inner one's: the outer first, each key with its own path
        ('{"a": {"x": 1, "b": {"y": 1, "y": 2}, "x": 2}}', "a.x"),
    ],
)
def test_a_key_given_twice_is_named_with_its_path_in_the_document(text, where):
    """A key given twice deep in a document was named alone: a pack config's nine rules that take
    requireCustomerManagedKey left the user to guess which one."""
    from groundlink.inputs import DuplicateKey, strict_json

    with pytest.raises(DuplicateKey) as raised:
        strict_json(text)
    assert raised.value.where == where


def test_once_each_alone_still_refuses_a_key_given_twice():
    """Used as json's object_pairs_hook on its own (as its docstring offers), it must not keep
    a part of the object: it raises, as strict_json does with the path."""
    import json

    from groundlink.inputs import DuplicateKey, once_each

    with pytest.raises(DuplicateKey) as raised:
        json.loads('{"a": 1, "a": 2, "b": 3}', object_pairs_hook=once_each)
    assert raised.value.key == "a"


@pytest.mark.parametrize("target", ["/nonexistent-groundlink/x", "./afile/x"])
def test_compare_out_through_a_link_to_no_directory_is_refused_before_planning(capsys, tmp_path, monkeypatch, target):
    """A report replaced whole is made where the link points: through a link into a directory
    that does not exist, or into a file, compare planned both clouds, ran the pack and then
    failed to write (`cannot write (No such file or directory)`), where `plan --json` and
    `process --out` refuse such a link before anything runs."""
    _no_planning(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("")
    link = tmp_path / "report-link"
    link.symlink_to(target)
    line = one_line_error(capsys, "compare", str(SPECS / "noaa20.yaml"), "--out", str(link))
    assert line == (
        f"groundlink: --out {link}: a symbolic link to {target}, whose directory does not exist; "
        "create it, or give another path"
    )


@pytest.mark.parametrize("command", ["compare", "process"])
def test_an_out_of_a_dash_is_refused_as_standard_output_is_elsewhere(capsys, tmp_path, monkeypatch, command):
    """`--json -` and `query -` refuse `-` in one line; `compare --out -` and `process --out -`
    made a directory named `-` in the working directory, exit 0."""
    _no_planning(monkeypatch)
    (tmp_path / "raw").mkdir()
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    given = str(SPECS / "noaa20.yaml") if command == "compare" else str(tmp_path / "raw")
    line = one_line_error(capsys, command, given, "--out", "-")
    assert (
        line == "groundlink: --out -: standard output is not a directory; give a directory path (./- for one named -)"
    )
    assert not (tmp_path / "work" / "-").exists()
