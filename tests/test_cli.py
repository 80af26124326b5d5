"""The command line as users meet it: exit codes, one line per error, no traceback.

The commands run in this process through `groundlink.cli.main` (what the console script
calls), with the checkout as the working directory; a started Python costs a second or two
of imports and a cold plan. What only a real process shows (`python -m groundlink.cli`
itself, argparse's usage exit) runs as one."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass

import pytest
import yaml

from groundlink.cli import build_parser, main

from .conftest import ROOT, SPECS, spec_data

CLI = [sys.executable, "-m", "groundlink.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """`groundlink ARGS` in this process, from the checkout: its exit code and output."""
    monkeypatch.chdir(ROOT)

    def call(*args: str) -> Result:
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return call


def test_validate_good_specs(cli):
    result = cli("validate", *(str(p) for p in sorted(SPECS.glob("*.yaml"))))
    assert result.returncode == 0, result.stderr
    assert "specs/noaa20.yaml: ok (noaa20: 1 satellite, 1 downlink," in result.stdout.replace(str(ROOT) + "/", "")


def test_validate_bad_spec_exits_2_with_one_line_per_error(cli, tmp_path):
    data = spec_data()
    data["satellites"][0]["downlinks"][0]["bandwidth_mhz"] = 700
    data["mission"]["onwer"] = "x"
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(data))
    result = cli("validate", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert (
        f"{path}: satellites[0].downlinks[0].bandwidth_mhz: 700 is outside 0.125-650 (AWS Ground Station demod/decode) "
        "(line " in "\n".join(lines)
    )
    assert any(line.startswith(f"{path}: mission.onwer: unknown field; did you mean 'owner'?") for line in lines)
    assert len(lines) == 2 and "Traceback" not in result.stderr


def test_validate_reads_every_spec_given_a_bad_one_included(cli, tmp_path):
    """`validate specs/*.yaml` stopped at the first bad spec: the ones after it went unread."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path, field in ((first, "onwer"), (second, "ownr")):
        data = spec_data()
        data["mission"][field] = "x"
        path.write_text(yaml.safe_dump(data))
    good = str(SPECS / "noaa20.yaml")

    result = cli("validate", str(first), good, str(second))

    assert result.returncode == 2
    assert result.stdout == f"{good}: ok (noaa20: 1 satellite, 1 downlink, ground segment managed)\n"
    lines = result.stderr.splitlines()
    assert [line.split(": mission.")[0] for line in lines] == [str(first), str(second)]
    assert "unknown field" in lines[0] and "unknown field" in lines[1]


def test_yaml_errors_exit_2_without_traceback(cli, tmp_path):
    path = tmp_path / "y.yaml"
    path.write_text("mission: {name: a\n")
    result = cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}: line ")


def test_plan_writes_json_and_prints_tree(cli, tmp_path):
    target = tmp_path / "aws.json"
    result = cli("plan", "specs/noaa20.yaml", "--cloud", "aws", "--json", str(target))
    assert result.returncode == 0, result.stderr
    assert "groundlink:index:AwsMissionStack" in result.stdout and "protected" in result.stdout
    assert json.loads(target.read_text())["cloud"] == "aws"


def test_plan_bad_spec_writes_nothing(cli, tmp_path):
    data = spec_data()
    data["clouds"]["aws"]["region"] = "ca-central-1"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    target = tmp_path / "out.json"
    result = cli("plan", str(path), "--cloud", "aws", "--json", str(target))
    assert (
        result.returncode == 2
        and "clouds.aws.region: ca-central-1 has no AWS Ground Station API endpoint" in result.stderr
    )
    assert not target.exists()


def test_schema_command_prints_the_schema(cli):
    result = cli("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "groundlink mission spec"


def test_bad_choice_is_a_usage_error():
    result = run("plan", "specs/noaa20.yaml", "--cloud", "gcp")
    assert result.returncode == 2 and "invalid choice: 'gcp'" in result.stderr


@pytest.mark.parametrize("command", ["plan", "check", "compare"])
def test_allow_data_loss_without_against_is_a_usage_error(capsys, tmp_path, command):
    """The flag accepts the data loss the diff against OLD finds: without --against it did
    nothing, silently, and a user who meant to diff was left believing the change was checked."""
    out = tmp_path / "out"
    extra = ["--out", str(out)] if command == "compare" else ["--json", str(out)] if command == "plan" else []
    with pytest.raises(SystemExit) as stop:
        main([command, str(SPECS / "noaa20.yaml"), "--allow-data-loss", *extra])
    result = capsys.readouterr()
    assert stop.value.code == 2 and result.out == ""
    assert result.err == (
        f"groundlink: {command}: --allow-data-loss needs --against OLD: it accepts the data loss the diff against "
        f"OLD finds; see groundlink {command} --help\n"
    )
    assert not out.exists()


def test_allow_data_loss_with_against_or_on_diff_is_taken():
    parser = build_parser()
    assert parser.parse_args(["plan", "s.yaml", "--against", "old.json", "--allow-data-loss"]).allow_data_loss
    assert parser.parse_args(["diff", "old.json", "s.yaml", "--allow-data-loss"]).allow_data_loss


def test_python_m_reaches_every_subcommand():
    """`python -m groundlink.cli` once listed only validate/schema/plan: check and compare
    registered themselves into a second copy of the module."""
    result = run("--help")
    assert result.returncode == 0, result.stderr
    assert "{validate,schema,plan,check,compare,process,query,preflight,diff}" in result.stdout
    assert run("compare", "--help").returncode == 0


def test_python_m_groundlink_is_the_command_line_and_says_its_version():
    """`python -m groundlink` is what a user types when the script is not on PATH; it said
    "No module named groundlink.__main__". `--version` said "the following arguments are
    required: command"."""
    result = subprocess.run(
        [sys.executable, "-m", "groundlink", "--version"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert (result.returncode, result.stdout, result.stderr) == (0, f"groundlink {declared}\n", "")


def _exit_probe(args: list[str]) -> subprocess.CompletedProcess[str]:
    probe = (
        "import atexit, gc, sys\n"
        # what the interpreter froze itself before any code ran (375 objects on CPython 3.12.1)
        "before = gc.get_freeze_count()\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > before, 'collecting', gc.isenabled()))\n"
        f"sys.argv = ['groundlink', *{args!r}]\n"
        "import groundlink.cli as cli\n"
        "command = cli.main\n"
        "cli.main = lambda: (print('collecting during the command', gc.isenabled()), command())[1]\n"
        "cli.entry()\n"
    )
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize(("args", "code"), [(["validate", "specs/noaa20.yaml"], 0), (["validate", "nope.yaml"], 2)])
def test_the_command_line_leaves_its_heap_out_of_the_collector_at_exit(args, code):
    """A command runs without the cyclic collector (a plan's cyclic garbage cost 0.15-0.45 s to
    collect) and freezes its heap before exit, whose full collections over the provider SDKs and
    the plans took 1.7 s of `plan --cloud both`; on every exit code."""
    result = _exit_probe(args)
    assert result.returncode == code, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "collecting during the command False"
    assert lines[-1] == "frozen True collecting False"


def test_a_command_that_loaded_duckdb_exits_as_usual_and_says_nothing_of_leaks(tmp_path):
    """DuckDB reports the objects alive at shutdown, which a frozen heap would leave: `query`
    (a small heap) is not frozen, shutdown collects as usual, and its stderr stays empty."""
    (tmp_path / "frame_index").mkdir()  # a products directory, no contact in it yet
    result = _exit_probe(["query", str(tmp_path), "SELECT COUNT(*) AS n FROM frame_index", "--json"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "collecting during the command False",
        '{"n": 0}',
        "frozen False collecting False",
    ]
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (["process", "raw", "--out", "o", "--cadu-length", "abc"], "groundlink: process: argument --cadu-length: invalid int value: 'abc'; see groundlink process --help"),
        (["plan"], "groundlink: plan: the following arguments are required: spec; see groundlink plan --help"),
        (["plan", "x.yaml", "--cloud", "gcp"], "groundlink: plan: argument --cloud: invalid choice: 'gcp' (choose from 'aws', 'azure', 'both'); see groundlink plan --help"),
        ([], "groundlink: the following arguments are required: command; see groundlink --help"),
        # an option the subcommand does not take is named against that subcommand, with the closest
        # option it does take (it said `see groundlink --help`, which lists no subcommand's options)
        (["plan", "x.yaml", "--clod", "aws"], "groundlink: plan: unrecognized arguments: --clod aws (did you mean --cloud?); see groundlink plan --help"),
        (["process", "raw", "--out", "o", "--cadu-lenght=9"], "groundlink: process: unrecognized arguments: --cadu-lenght=9 (did you mean --cadu-length?); see groundlink process --help"),
        (["schema", "extra"], "groundlink: schema: unrecognized arguments: extra; see groundlink schema --help"),
        # a misspelt top-level flag is the mistake, not a missing command
        (["--versoin"], "groundlink: unrecognized arguments: --versoin (did you mean --version?); see groundlink --help"),
        # an unknown option before the command is the top level's, whatever command follows
        (["-x", "plan", "x.yaml"], "groundlink: unrecognized arguments: -x; see groundlink --help"),
        (["plan", "-x", "x.yaml"], "groundlink: plan: unrecognized arguments: -x; see groundlink plan --help"),
        # the only argument taken for an option: it is named, not the spec it left missing
        (["validate", "-dash.yaml"], "groundlink: validate: unrecognized arguments: -dash.yaml (a path starting with -: ./-dash.yaml); see groundlink validate --help"),
        (["validate", "--help-me"], "groundlink: validate: unrecognized arguments: --help-me (did you mean --help?); see groundlink validate --help"),
        # an option after `--` is an argument: it is to be moved, not guessed at as itself
        (["plan", "--", "-x.yaml", "--cloud", "aws"], "groundlink: plan: unrecognized arguments: --cloud aws (after -- every word is an argument: give --cloud before --); see groundlink plan --help"),
        # a missing argument is what is said, whatever abbreviation, negative number or `--` the line holds
        (["compare", "x.yaml", "--ser"], "groundlink: compare: the following arguments are required: --out; see groundlink compare --help"),
        (["plan", "--cl", "aws"], "groundlink: plan: the following arguments are required: spec; see groundlink plan --help"),
        (["process", "--out", "o", "--cadu-length", "-5"], "groundlink: process: the following arguments are required: contact_dir; see groundlink process --help"),
        (["diff", "--cloud", "aws", "--", "x.yaml"], "groundlink: diff: the following arguments are required: new; see groundlink diff --help"),
        # a one-value option given twice: the last one silently won (a second --against took the gate away)
        (["plan", "x.yaml", "--against", "old.yaml", "--against", "x.yaml"], "groundlink: plan: --against is given twice; give it once; see groundlink plan --help"),
        (["diff", "a.yaml", "b.yaml", "--cloud", "aws", "--cloud=azure"], "groundlink: diff: --cloud is given twice; give it once; see groundlink diff --help"),
        # a command's option before the command: its value was called an invalid command
        (["--cloud", "aws", "plan", "x.yaml"], "groundlink: unrecognized arguments: --cloud (a command's options go after it: groundlink COMMAND --cloud ...); see groundlink --help"),
        # a value starting with -, read as an option
        (["plan", "x.yaml", "--json", "-out.json"], "groundlink: plan: argument --json: expected one argument (a value starting with -: give it as --json=-out.json); see groundlink plan --help"),
        (["plan", "x.yaml", "--json"], "groundlink: plan: argument --json: expected one argument; see groundlink plan --help"),
        # the value left out before another option: no hint to pass the option as the value
        (["compare", "x.yaml", "--out", "--serial"], "groundlink: compare: argument --out: expected one argument; see groundlink compare --help"),
        (["plan", "x.yaml", "--jso", "-x.json"], "groundlink: plan: argument --json: expected one argument (a value starting with -: give it as --json=-x.json); see groundlink plan --help"),
        # the hint names the value typed after the option, not the word after a later `--` (following
        # it made NEW its own OLD: no changes, exit 0, the data-loss gate gone)
        (["plan", "--cloud", "aws", "--against", "-old.yaml", "--", "-new.yaml"], "groundlink: plan: argument --against: expected one argument (a value starting with -: give it as --against=-old.yaml); see groundlink plan --help"),
        # a misspelt command with its options after it is the invalid choice
        (["chek", "x.yaml", "--cloud", "aws"], "groundlink: argument command: invalid choice: 'chek' (choose from 'validate', 'schema', 'plan', 'check', 'compare', 'process', 'query', 'preflight', 'diff') (did you mean check?); see groundlink --help"),
        (["Plan", "x.yaml"], "groundlink: argument command: invalid choice: 'Plan' (choose from 'validate', 'schema', 'plan', 'check', 'compare', 'process', 'query', 'preflight', 'diff') (did you mean plan?); see groundlink --help"),
        # a command typed in capitals is guessed as typed in small letters: `VALIDATE` got no guess at all
        (["VALIDATE", "x.yaml"], "groundlink: argument command: invalid choice: 'VALIDATE' (choose from 'validate', 'schema', 'plan', 'check', 'compare', 'process', 'query', 'preflight', 'diff') (did you mean validate?); see groundlink --help"),
        (["help"], "groundlink: argument command: invalid choice: 'help' (choose from 'validate', 'schema', 'plan', 'check', 'compare', 'process', 'query', 'preflight', 'diff'); see groundlink --help"),
        # SQL the shell split into words: only its first word was taken, and the rest named alone
        (["query", "products", "SELECT", "1"], "groundlink: query: unrecognized arguments: 1 (SQL of several words is one argument: quote it, \"SELECT ...\"); see groundlink query --help"),
        (["query", "products", "SELECT 1", "out.csv"], "groundlink: query: unrecognized arguments: out.csv; see groundlink query --help"),
        # a one-word SQL and an unknown option: no word of the SQL was left over, so no hint to quote it
        (["query", "products", "SELECT", "--bogus"], "groundlink: query: unrecognized arguments: --bogus; see groundlink query --help"),
        # a file given to a flag that takes none (plan's and check's --json take one, diff's prints)
        (["diff", "a.yaml", "b.yaml", "--cloud", "aws", "--json", "out.json"], "groundlink: diff: unrecognized arguments: out.json (--json takes no value: the JSON goes to standard output; redirect it, > out.json); see groundlink diff --help"),
        (["compare", "x.yaml", "--out", "o", "--serial", "yes"], "groundlink: compare: unrecognized arguments: yes (--serial takes no value); see groundlink compare --help"),
    ],
    ids=["not-a-number", "missing-argument", "not-a-choice", "no-command", "unknown-option", "unknown-option-value", "extra-argument", "misspelt-top-level-flag", "option-before-the-command", "option-after-the-command", "path-taken-for-an-option", "misspelt-flag-and-no-spec", "option-after-double-dash", "abbreviation-and-a-missing-option", "abbreviation-and-no-spec", "negative-number-and-no-directory", "double-dash-and-no-new", "against-twice", "cloud-twice", "option-before-its-command", "value-starting-with-a-dash", "no-value", "value-left-out-before-an-option", "abbreviated-flag-and-a-dash-value", "dash-value-and-a-later-double-dash", "misspelt-command", "command-in-capitals", "command-all-in-capitals", "help-as-a-command", "unquoted-sql", "quoted-sql-and-a-word-more", "one-word-sql-and-an-unknown-option", "file-for-a-valueless-json", "value-for-a-switch"],
)  # fmt: skip
def test_a_misused_command_line_is_one_line_and_exit_2(argv, line, capsys) -> None:
    """argparse printed its usage, several lines, above the error; like every other bad input,
    a misused command line is one line: what is wrong, and where the usage is."""
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(argv)
    assert stop.value.code == 2
    assert capsys.readouterr().err == line + "\n"


def test_a_command_run_in_process_leaves_the_callers_streams_as_they_were(capsys) -> None:
    """The command writes a file name's own bytes on both streams (`_utf8_output`); an in-process
    caller's stderr kept that setting after the call, and its later write of a lone surrogate
    went out as a raw byte where Python would have escaped it."""
    before = [(stream.encoding, stream.errors) for stream in (sys.stdout, sys.stderr)]
    assert before[1][1] != "groundlink.own-bytes"
    assert main(["validate", "/nonexistent/spec.yaml"]) == 2
    assert [(stream.encoding, stream.errors) for stream in (sys.stdout, sys.stderr)] == before
