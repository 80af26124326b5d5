"""The path arguments of every command (groundlink.path_args): an empty path, an output that
is one of the command's inputs, and a spec or OLD that comes from a pipe.

`plan --against X --json X` wrote the new plan over X before reading it, so the diff compared
the plan with itself: "no changes", exit 0, whatever the edit destroyed; `--json SPEC` lost the
spec. `--json ''` wrote nothing and said nothing. A piped spec (`cat spec | groundlink plan
/dev/stdin`) ended in a message about Pulumi stack config, since the program reads the spec
again by its resolved path."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from groundlink import cli, engine

from .conftest import ROOT, SPECS, cached_plan

SPEC_TEXT = (SPECS / "noaa20.yaml").read_bytes()


@pytest.fixture
def never_planned(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("planned although an argument was refused")

    monkeypatch.setattr(engine, "plan", refuse)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary directory the command's private copies go to, to see them removed."""
    place = tmp_path / "private-tmp"
    place.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(place))
    return place


@pytest.fixture
def spec(tmp_path) -> Path:
    path = tmp_path / "mission.yaml"
    path.write_bytes(SPEC_TEXT)
    return path


def refused(capsys, *argv: str) -> str:
    """The one line a refused command printed (exit 2, nothing on stdout)."""
    assert cli.main(list(argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    return err.strip()


@pytest.fixture
def piped() -> Iterator[callable]:
    """`piped(data)`: a /dev/fd path reading `data` from a pipe, as `cat FILE |` gives it."""
    opened: list[int] = []

    def pipe(data: bytes) -> str:
        read, write = os.pipe()
        opened.append(read)

        def feed() -> None:
            try:
                with open(write, "wb") as handle:
                    handle.write(data)
            except BrokenPipeError:  # the reader stopped early, as a refused input makes it
                pass

        threading.Thread(target=feed, daemon=True).start()
        return f"/dev/fd/{read}"

    yield pipe
    for fd in opened:
        with contextlib.suppress(OSError):
            os.close(fd)


# -- an output that is an input ------------------------------------------------------------


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize(
    ("cloud", "json_name", "against_name"), [("aws", "old.json", "old.json"), ("both", "p.json", "p-aws.json")]
)
def test_a_plan_written_over_its_against_file_is_refused_before_planning(
    capsys, tmp_path, monkeypatch, spec, cloud, json_name, against_name
):
    """With --cloud both, --json NAME writes NAME-aws.json: that file may be --against too."""
    monkeypatch.chdir(tmp_path)
    cached_plan("noaa20.yaml", "aws").write(tmp_path / against_name)
    before = (tmp_path / against_name).read_bytes()
    line = refused(capsys, "plan", str(spec), "--cloud", cloud, "--against", against_name, "--json", json_name)
    assert line == (
        f"groundlink: --json {against_name}: is the --against file ({against_name}); "
        "writing it would lose that input; choose another file"
    )
    assert (tmp_path / against_name).read_bytes() == before


def test_plan_reads_against_before_it_writes_so_a_bad_one_leaves_no_plan_file(capsys, tmp_path, monkeypatch, spec):
    """An --against plan of the other cloud is refused when the diff reads it, after planning:
    the plan file was already written then."""
    monkeypatch.chdir(tmp_path)
    cached_plan("noaa20.yaml", "azure").write(tmp_path / "azure.json")
    assert cli.main(["plan", str(spec), "--cloud", "aws", "--against", "azure.json", "--json", "new.json"]) == 2
    assert capsys.readouterr().err == "groundlink: azure.json: holds the azure stack; --cloud aws asks for another\n"
    assert not (tmp_path / "new.json").exists()


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize(
    "argv",
    [
        ["diff", "aws.json", "{spec}"],
        ["diff", "aws.json", "{spec}", "--cloud", "both"],
        ["plan", "{spec}", "--cloud", "both", "--against", "aws.json"],
        ["check", "{spec}", "--against", "aws.json"],
    ],
    ids=["diff", "diff-both", "plan-both", "check"],
)
def test_one_clouds_plan_as_old_against_both_clouds_is_refused_before_planning(
    capsys, tmp_path, monkeypatch, spec, argv
):
    """A plan holds one cloud: against --cloud both (the default) the diff covered that cloud
    alone and passed, the other cloud's stores unchecked by the gate that was asked to watch them."""
    monkeypatch.chdir(tmp_path)
    cached_plan("noaa20.yaml", "aws").write(tmp_path / "aws.json")
    line = refused(capsys, *(a.format(spec=spec) for a in argv))
    assert line == (
        "groundlink: aws.json: holds the aws stack only, so azure would go unchecked; "
        "give --cloud aws, or a spec as OLD to diff every cloud"
    )


def test_one_clouds_plan_as_old_diffs_when_its_cloud_is_named(capsys, tmp_path, monkeypatch, spec):
    monkeypatch.chdir(tmp_path)
    cached_plan("noaa20.yaml", "aws").write(tmp_path / "aws.json")
    assert cli.main(["diff", "aws.json", str(spec), "--cloud", "aws"]) == 0
    assert "aws: " in capsys.readouterr().out


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize("command", ["plan", "check"])
@pytest.mark.parametrize("spelling", ["same", "dotdot", "link", "descriptor"])
def test_json_naming_the_spec_is_refused_and_the_spec_kept(capsys, tmp_path, monkeypatch, spec, command, spelling):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.json").symlink_to(spec)
    spec_arg = str(spec)
    if spelling == "descriptor":  # `groundlink plan /dev/stdin --json mission.yaml < mission.yaml`
        fd = os.open(spec, os.O_RDONLY)
        spec_arg = f"/dev/fd/{fd}"
    output = {"same": "mission.yaml", "dotdot": "sub/../mission.yaml", "link": "link.json"}.get(
        spelling, "mission.yaml"
    )
    try:
        line = refused(capsys, command, spec_arg, "--cloud", "aws", "--json", output)
    finally:
        if spelling == "descriptor":
            os.close(fd)
    assert line.startswith(f"groundlink: --json {Path(output)}: is the spec ({spec_arg}); writing it would lose")
    assert spec.read_bytes() == SPEC_TEXT
    assert (tmp_path / "link.json").is_symlink()


@pytest.mark.usefixtures("never_planned")
def test_check_json_naming_the_pack_config_is_refused(capsys, tmp_path, spec):
    config = tmp_path / "pack.json"
    config.write_text("{}")
    line = refused(capsys, "check", str(spec), "--policy-pack-config", str(config), "--json", str(config))
    assert line.startswith(f"groundlink: --json {config}: is the --policy-pack-config file ({config});")
    assert config.read_text() == "{}"


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize("inside", ["spec", "against"])
def test_compare_out_holding_an_input_is_refused_and_left_as_it_was(capsys, tmp_path, monkeypatch, spec, inside):
    """The report replaces DIR whole: a spec kept in it, or an earlier report's plan given as
    --against, would be gone (and a second run would diff the new plan against itself)."""
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report"
    report.mkdir()
    (report / "plan-aws.json").write_text("{}")
    (report / ".groundlink-report").write_text(json.dumps({"files": ["plan-aws.json"]}))
    argv = ["compare", str(spec), "--out", "report"]
    if inside == "spec":
        (report / "mission.yaml").write_bytes(SPEC_TEXT)
        argv[1] = "report/mission.yaml"
        label = "the spec (report/mission.yaml)"
    else:
        argv += ["--against", "report/plan-aws.json"]
        label = "the --against file (report/plan-aws.json)"
    before = sorted((p.name, p.read_bytes()) for p in report.iterdir())
    assert refused(capsys, *argv) == (
        f"groundlink: --out report: holds {label}, lost when it is replaced; choose another directory"
    )
    assert sorted((p.name, p.read_bytes()) for p in report.iterdir()) == before


# -- empty paths ---------------------------------------------------------------------------


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["plan", "SPEC", "--cloud", "aws", "--json", ""], "--json: an empty path; give a file path"),
        (["check", "SPEC", "--cloud", "aws", "--json", ""], "--json: an empty path; give a file path"),
        (["compare", "SPEC", "--out", ""], "--out: an empty path; give a directory path"),
        (["plan", "", "--cloud", "aws"], "spec: an empty path; give a path"),
        (["preflight", ""], "spec: an empty path; give a path"),
        (["validate", "SPEC", ""], "spec: an empty path; give a path"),
        (["plan", "SPEC", "--against", ""], "--against: an empty path; give a path"),
        (["check", "SPEC", "--policy-pack-config", ""], "--policy-pack-config: an empty path; give a path"),
        (["compare", "SPEC", "--out", "OUT", "--prices", ""], "--prices: an empty path; give a path"),
        (["diff", "", "SPEC"], "old: an empty path; give a path"),
        (["diff", "SPEC", ""], "new: an empty path; give a path"),
        (["process", "", "--out", "OUT"], "contact_dir: an empty path; give a path"),
        (["process", "OUT", "--out", ""], "--out: an empty path; give a directory path"),
        (["query", "", "select 1"], "products_dir: an empty path; give a path"),
    ],
)
def test_an_empty_path_is_one_line_naming_the_argument(capsys, tmp_path, monkeypatch, spec, argv, expected):
    """`Path('')` is the current directory: --json '' wrote nothing and said nothing, --out ''
    was reported as the working directory, `process ''` processed it."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    argv = [str(spec) if a == "SPEC" else str(tmp_path / "o") if a == "OUT" else a for a in argv]
    assert refused(capsys, *argv) == f"groundlink: {expected}"
    assert list(work.iterdir()) == []
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["validate", "specs/noaa20.yaml"], "spec specs/noaa20.yaml"),
        (["plan", "{spec}", "--cloud", "aws", "--json", "plan.json"], "--json plan.json"),
        (["compare", "{spec}", "--out", "report"], "--out report"),
        (["query", "products", "select 1"], "products_dir products"),
    ],
)
def test_a_relative_path_in_a_deleted_directory_is_one_line_naming_it(
    capsys, tmp_path, monkeypatch, never_planned, spec, argv, named
):
    """Started in a directory deleted since, a relative path has nothing to be relative to."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    line = refused(capsys, *(a.format(spec=spec) for a in argv))
    assert line == (
        f"groundlink: {named}: a relative path, and the current directory no longer exists; cd to an existing "
        "directory or give an absolute path"
    )


def test_every_path_argument_of_every_command_is_declared():
    """The checks above apply to what a command declares (cli.Command.paths): an argument
    added without its declaration would escape them."""
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.choices and "plan" in a.choices)
    for command in cli.commands():
        declared = {arg.dest for arg in command.paths}
        actions = subparsers.choices[command.name]._actions
        path_like = {
            a.dest
            for a in actions
            if a.metavar in ("FILE", "DIR", "OLD") or (not a.option_strings and a.dest not in ("help", "sql"))
        }
        assert path_like <= declared, (command.name, path_like - declared)


# -- a spec from a pipe --------------------------------------------------------------------


def test_a_piped_spec_is_planned_named_as_given_and_its_copy_removed(capsys, tmp_path, private_tmp, piped):
    given = piped(SPEC_TEXT)
    assert cli.main(["plan", given, "--cloud", "aws", "--json", str(tmp_path / "p.json")]) == 0
    out, err = capsys.readouterr()
    assert "preflight aws (noaa20-aws): " in out and err == ""
    assert json.loads((tmp_path / "p.json").read_text())["spec"] == given
    assert list(private_tmp.iterdir()) == []


def test_a_piped_spec_that_is_wrong_is_named_as_given(capsys, private_tmp, piped):
    given = piped(SPEC_TEXT.replace(b"mission:\n", b"mission:\n  onwer: x\n", 1))
    line = refused(capsys, "preflight", given, "--cloud", "aws")
    assert line.startswith(f"{given}: mission.onwer: unknown field")
    assert list(private_tmp.iterdir()) == []


@pytest.mark.usefixtures("own_pack_processes")
def test_a_piped_spec_is_checked_and_named_as_given(capsys, tmp_path, private_tmp, piped):
    given = piped(SPEC_TEXT)
    assert cli.main(["check", given, "--cloud", "aws", "--json", str(tmp_path / "c.json")]) == 0
    assert f"policies) on {given}" in capsys.readouterr().out
    assert json.loads((tmp_path / "c.json").read_text())["spec"] == given
    assert list(private_tmp.iterdir()) == []


def test_a_piped_spec_is_compared_and_the_report_names_it_as_given(capsys, tmp_path, private_tmp, piped):
    given = piped(SPEC_TEXT)
    out = tmp_path / "report"
    assert cli.main(["compare", given, "--out", str(out)]) == 0
    assert json.loads((out / "compare.json").read_text())["spec"] == given
    assert {json.loads((out / f"plan-{cloud}.json").read_text())["spec"] for cloud in ("aws", "azure")} == {given}
    assert str(private_tmp) not in (out / "report.md").read_text()
    assert list(private_tmp.iterdir()) == []


def test_a_piped_against_plan_is_read_once_and_diffed(capsys, tmp_path, spec, piped):
    """--against is read twice (before planning, then by the diff): a pipe was empty the second time."""
    old = tmp_path / "old.json"
    cached_plan(spec, "aws").write(old)  # the very plan the command gets: no changes
    pipe = piped(old.read_bytes())
    code = cli.main(["plan", str(spec), "--cloud", "aws", "--against", pipe])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "    no changes; " in out, out[-2000:]
    assert f"aws: {pipe} -> " in out  # named as given, not by the private copy read


@pytest.mark.parametrize("command", ["diff", "plan --against"])
def test_one_pipe_given_as_both_inputs_is_read_once_for_both(capsys, spec, piped, command):
    """`cat spec.yaml | groundlink diff /dev/stdin /dev/stdin`: the second read found the pipe
    empty and called the spec "nothing (null)". Read once, the spec is diffed against itself."""
    pipe = piped(SPEC_TEXT)
    argv = ["diff", pipe, pipe] if command == "diff" else ["plan", pipe, "--against", pipe]
    code = cli.main([*argv, "--cloud", "aws"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert f"aws: {pipe} -> {pipe}" in out and "    no changes; " in out, out[-2000:]


def test_diff_names_a_piped_old_as_given(capsys, tmp_path, spec, piped):
    old = tmp_path / "old.json"
    cached_plan(spec, "aws").write(old)
    pipe = piped(old.read_bytes())
    code = cli.main(["diff", pipe, str(spec), "--cloud", "aws", "--json"])
    out, err = capsys.readouterr()
    (doc,) = json.loads(out)
    assert code == 0, err
    assert (doc["old"], doc["summary"]["unchanged"]) == (pipe, len(list(cached_plan(spec, "aws").custom())))


def test_the_readme_pipe_works_for_plan_from_a_shell():
    """`cat spec.yaml | groundlink plan /dev/stdin`, as a user's shell runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "groundlink.cli", "plan", "/dev/stdin", "--cloud", "aws"],
        input=SPEC_TEXT,
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"preflight aws (noaa20-aws): " in result.stdout and result.stderr == b""


# -- what the command line says about itself -----------------------------------------------


def test_the_help_description_names_every_command(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    names = [c.name for c in cli.commands()]
    assert f"Commands: {', '.join(names)}." in text
    assert {"preflight", "diff"} <= set(names)


def test_validate_counts_in_words_that_agree_with_the_number(capsys):
    assert cli.main(["validate", str(SPECS / "noaa20.yaml"), str(SPECS / "constellation.yaml")]) == 0
    out = capsys.readouterr().out
    assert "(noaa20: 1 satellite, 1 downlink, ground segment managed)" in out
    assert "(eo-constellation: 24 satellites, 48 downlinks, ground segment managed)" in out


def test_a_piped_spec_past_the_readers_limit_is_refused_whole(capsys, piped):
    """The copy read the limit and one byte more, then left the reader the rest of the pipe:
    the reader judged the tail, not the input."""
    pipe = piped(b"# filler\n" * (9 * 2**20 // 9))
    assert cli.main(["plan", pipe, "--cloud", "aws"]) == 2
    assert capsys.readouterr().err == f"{pipe}: larger than 8 MiB; not a mission spec\n"


@pytest.mark.parametrize(
    ("given", "aws", "azure"),
    [
        ("plan.json", "plan-aws.json", "plan-azure.json"),
        ("plan", "plan-aws.json", "plan-azure.json"),  # no suffix: .json, as --help says
        ("plan.out", "plan-aws.out", "plan-azure.out"),
    ],
)
def test_both_clouds_name_their_plan_files_as_the_help_says(tmp_path, given, aws, azure):
    from groundlink.app.spec_commands import _plan_target

    target = tmp_path / given
    assert [_plan_target(target, cloud, 2).name for cloud in ("aws", "azure")] == [aws, azure]
    assert _plan_target(target, "aws", 1) == target  # one cloud: the file itself


@pytest.mark.parametrize("failure", ["disk-full", "interrupted"])
def test_both_clouds_plans_are_written_whole_or_not_at_all(tmp_path, capsys, monkeypatch, failure):
    """`plan --cloud both --json` wrote and renamed one file after the other: a full disk or a
    Ctrl-C at the second left this run's AWS plan beside the last run's Azure plan, two specs'
    plans that a later diff read as a pair."""
    from groundlink import outputs

    monkeypatch.setattr(engine, "plan", cached_plan)
    target = tmp_path / "plans" / "plan.json"
    assert cli.main(["plan", str(SPECS / "aqua-legacy.yaml"), "--json", str(target)]) == 0
    capsys.readouterr()
    pair = [tmp_path / "plans" / f"plan-{cloud}.json" for cloud in ("aws", "azure")]
    before = [path.read_bytes() for path in pair]
    staged = outputs._staged_text

    def second_fails(path: Path, text: str):
        if path.name == "plan-azure.json":
            if failure == "interrupted":
                raise KeyboardInterrupt
            raise OSError(28, "No space left on device")
        return staged(path, text)

    monkeypatch.setattr(outputs, "_staged_text", second_fails)
    code = cli.main(["plan", str(SPECS / "partner.yaml"), "--json", str(target)])
    err = capsys.readouterr().err
    assert [path.read_bytes() for path in pair] == before
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["plan-aws.json", "plan-azure.json"]
    if failure == "interrupted":
        assert (code, err) == (130, "groundlink: interrupted\n")
    else:
        assert (code, err.splitlines()[-1]) == (
            2,
            f"groundlink: --json {pair[1]}: cannot write (No space left on device)",
        )


def test_a_pair_of_plans_into_a_new_directory_leaves_no_directory_when_it_fails(tmp_path, capsys, monkeypatch):
    from groundlink import outputs

    monkeypatch.setattr(engine, "plan", cached_plan)

    def full(path: Path, text: str):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "_staged_text", full)
    assert cli.main(["plan", str(SPECS / "noaa20.yaml"), "--json", str(tmp_path / "new" / "deep" / "plan.json")]) == 2
    capsys.readouterr()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["validate", "plan", "preflight", "check"])
def test_every_command_names_a_spec_as_given_dot_slash_included(capsys, tmp_path, monkeypatch, command):
    """`plan` and `preflight` named `./bad.yaml` as `bad.yaml`, where the other commands kept it as
    given; a plan made of `./spec.yaml` recorded `spec.yaml` beside a compare.json saying `./spec.yaml`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(
        (SPECS / "noaa20.yaml").read_text().replace("contacts_per_day: 4", "contacts_per_day: 0")
    )
    code = cli.main([command, "./bad.yaml", *([] if command == "validate" else ["--cloud", "aws"])])
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("./bad.yaml: ground_segment.contacts_per_day: "), err


def test_a_plan_records_its_spec_as_given(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text((SPECS / "noaa20.yaml").read_text())
    assert engine.plan("./spec.yaml", "aws").spec == "./spec.yaml"


def test_a_file_named_dash_is_read_as_that_file(capsys, tmp_path, monkeypatch):
    """`-` is refused as no name of standard input only where no file has that name: a spec
    saved as ./- was refused as "standard input is not a file here"."""
    monkeypatch.chdir(tmp_path)
    Path("-").write_bytes(SPEC_TEXT)
    assert cli.main(["validate", "-"]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == ("-: ok (noaa20: 1 satellite, 1 downlink, ground segment managed)\n", "")


def test_an_output_naming_the_same_pipe_as_an_input_loses_nothing(tmp_path):
    """Two names for one pipe or terminal (`plan /dev/stdin --json /dev/stdout` at a terminal,
    where both are the terminal) lose nothing when written: only a regular file is refused."""
    from groundlink.errors import UsageError
    from groundlink.path_args import refuse_overwriting

    fifo = tmp_path / "stream"
    os.mkfifo(fifo)
    alias = tmp_path / "alias"
    alias.symlink_to(fifo)
    refuse_overwriting(alias, "--json", [("the spec", str(fifo))])  # no refusal
    plan = tmp_path / "plan.json"
    plan.write_text("{}")
    with pytest.raises(UsageError, match="is the spec"):
        refuse_overwriting(plan, "--json", [("the spec", str(plan))])
