"""Output paths that are not plain files: `--json /dev/null`, `--json /dev/stdout`, a pipe, a
symbolic link, `-`.

A file output is written through a temporary renamed into place. Renamed over /dev/null that
replaced the device node (for root: for every program on the machine), over a link it replaced
the link, and `-` became a file named "-". Here a pipe, /dev/null, a terminal or a descriptor
of the process is written straight into (through the descriptor itself, so what is printed
after it does not overwrite it), a link is followed, and anything else that is not a file is
refused in one line before any planning.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from groundlink import cli, engine
from groundlink.errors import UsageError
from groundlink.outputs import check_dir_target, check_file_target, say_written, write_text, written_in_place

from .conftest import SPECS, cached_plan, groundlink_with_stdout

SPEC = str(SPECS / "noaa20.yaml")


@pytest.fixture
def planned(monkeypatch):
    """`groundlink plan` takes the session's plan instead of planning again."""
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: cached_plan("noaa20.yaml", cloud))


@pytest.fixture
def never_planned(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("planned although the output was refused")

    monkeypatch.setattr(engine, "plan", refuse)


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    return err.strip()


def _read_fifo(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:  # blocks until the writer opens it
            into.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


@pytest.mark.usefixtures("planned")
def test_a_pipe_gets_the_plan_and_stays_a_pipe(tmp_path):
    fifo = tmp_path / "plan.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(fifo)]) == 0
    reader.join(10)
    assert json.loads(received[0])["stack"] == "noaa20-aws"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pipe"]  # no temporary beside it


@pytest.mark.usefixtures("planned")
def test_dev_null_takes_the_plan_and_stays_the_device(capsys):
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert "wrote /dev/null" in capsys.readouterr().out


@pytest.mark.parametrize("alias", ["/dev/fd/{fd}", "/proc/self/fd/{fd}"])
def test_a_descriptor_is_written_through_so_later_output_follows_the_text(tmp_path, alias):
    """As `groundlink plan --json /dev/stdout > out.txt`: the shell's descriptor writes at its own
    offset, so text written through a second opening of the file was overwritten by the next print."""
    out = tmp_path / "out.txt"
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    try:
        os.write(fd, b"printed before\n")
        write_text(Path(alias.format(fd=fd)), '{"stack": "s"}')
        os.write(fd, b"printed after\n")
    finally:
        os.close(fd)
    assert out.read_text() == 'printed before\n{"stack": "s"}\nprinted after\n'


def test_a_pipe_descriptor_gets_the_text_with_its_line_ended():
    read, write = os.pipe()
    try:
        write_text(Path(f"/dev/fd/{write}"), "{}")
    finally:
        os.close(write)
    with os.fdopen(read, "rb") as handle:
        assert handle.read() == b"{}\n"


@pytest.mark.usefixtures("planned")
def test_a_link_is_followed_and_stays_a_link(tmp_path):
    (tmp_path / "plans").mkdir()
    real = tmp_path / "plans" / "aws.json"
    real.write_text("older plan")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert json.loads(real.read_text())["stack"] == "noaa20-aws"
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["aws.json"]


@pytest.mark.usefixtures("never_planned")
def test_a_link_into_a_missing_directory_is_refused_and_nothing_made_where_it_points(tmp_path, monkeypatch, capsys):
    """Missing directories are made on the way to the path typed, not where a link points: a
    link to /nonexistent/dir/x.json made /nonexistent/dir at the root and wrote the plan there."""
    monkeypatch.chdir(tmp_path)  # short paths: a long message is cut in its middle
    Path("latest.json").symlink_to("elsewhere/plans/x.json")
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", "latest.json"]) == 2
    assert one_line(capsys) == (
        "groundlink: --json latest.json: a symbolic link to elsewhere/plans/x.json, whose directory does not "
        "exist; create it, or give another path"
    )
    assert not (tmp_path / "elsewhere").exists()


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize("cloud", ["aws", "both"])  # both: the name given is judged, not NAME-aws.json
@pytest.mark.parametrize("command", ["plan", "check"])
def test_dash_is_one_line_before_planning_and_no_file_named_dash(tmp_path, monkeypatch, capsys, command, cloud):
    monkeypatch.chdir(tmp_path)
    assert cli.main([command, SPEC, "--cloud", cloud, "--json", "-"]) == 2
    assert one_line(capsys) == (
        "groundlink: --json -: standard output is not a file here; give a file path (or /dev/stdout)"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize("cloud", ["aws", "both"])  # both: no /dev/zero-aws.json beside the device
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/full", "/dev/random"])
def test_a_device_that_is_not_an_output_is_refused_before_planning(capsys, device, cloud):
    assert cli.main(["plan", SPEC, "--cloud", cloud, "--json", device]) == 2
    assert one_line(capsys) == f"groundlink: --json {device}: a character device, not a file; give a file path"
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not Path(f"{device}-aws.json").exists()


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize(
    ("argv", "flag", "under"),
    [
        (["plan", SPEC, "--cloud", "aws", "--json"], "--json", "plan.json"),
        (["compare", SPEC, "--out"], "--out", "report"),
        (["process", "{raw}", "--out"], "--out", ""),
    ],
    ids=["plan-json", "compare-out", "process-out"],
)
def test_a_broken_link_on_the_way_to_an_output_is_named_as_one(tmp_path, monkeypatch, capsys, argv, flag, under):
    """Nothing can be created through a broken symbolic link: it was reported as a file, or as
    "cannot write (File exists)"; it is named as what it is, before any work."""
    from tests.contactgen import CONTACT_A, EPOCH, Capture, contact_file, frames, packetise, raw_dir, stream_of

    monkeypatch.chdir(tmp_path)  # short paths: a long message is cut in its middle
    link = Path("results")
    link.symlink_to("gone")
    packets = packetise(stream_of(frames([0, 1, 2])), 1000, EPOCH * 1_000_000)
    Capture(packets).write(contact_file(raw_dir(Path("raw")), CONTACT_A, 1))
    target = link / under if under else link
    args = [a.replace("{raw}", "raw") for a in argv]
    assert cli.main([*args, str(target)]) == 2
    assert one_line(capsys) == (
        f"groundlink: {flag} {target}: results is a broken symbolic link (to gone), not a directory"
    )
    assert not (tmp_path / "gone").exists()


@pytest.mark.usefixtures("never_planned")
def test_a_file_on_the_way_to_an_output_is_named_as_one(tmp_path, monkeypatch, capsys):
    """`--json notes/plan.json` where `notes` is a file: the system's "Not a directory" was the
    whole message (`cannot write (Not a directory)`), naming nothing; the file in the way is named,
    before any planning."""
    monkeypatch.chdir(tmp_path)
    Path("notes").write_text("a file, not a directory\n")
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", "notes/plan.json"]) == 2
    assert one_line(capsys) == f"groundlink: --json notes/plan.json: {tmp_path}/notes is a file, not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]


@pytest.mark.usefixtures("never_planned")
def test_a_directory_given_for_both_clouds_is_refused_not_written_beside(tmp_path, capsys):
    target = tmp_path / "plans"
    target.mkdir()
    assert cli.main(["plan", SPEC, "--json", str(target)]) == 2
    assert one_line(capsys) == f"groundlink: --json {target}: is a directory; give a file path"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plans"]


@pytest.mark.usefixtures("never_planned")
def test_both_clouds_into_one_stream_is_refused_before_planning(capsys):
    assert cli.main(["plan", SPEC, "--json", "/dev/null"]) == 2
    assert one_line(capsys) == (
        "groundlink: --json /dev/null: --cloud both writes a file per cloud (NAME-aws.json, NAME-azure.json); "
        "give a file path or one --cloud"
    )


def test_an_archive_output_must_be_a_file(tmp_path):
    fifo = tmp_path / "package.pipe"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/null"), Path("/dev/stdout")):
        with pytest.raises(UsageError, match=f"^--out {target}: not a file; give a file path$"):
            check_file_target(target, "--out", streams=False)
    check_file_target(tmp_path / "package.zip", "--out", streams=False)  # a new file is fine


def test_a_descriptor_that_is_not_open_is_refused():
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    with pytest.raises(UsageError, match=f"^--json /dev/fd/{write}: no such open descriptor$"):
        check_file_target(Path(f"/dev/fd/{write}"), "--json")


def test_what_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "file.json").write_text("{}")
    (tmp_path / "null-link").symlink_to("/dev/null")
    in_place = {
        "/dev/null": True,
        "/dev/stdout": True,
        "/dev/fd/1": True,
        str(fifo): True,
        str(tmp_path / "null-link"): True,
        "/dev/zero": False,
        str(tmp_path / "file.json"): False,
        str(tmp_path / "new.json"): False,
    }
    assert {path: written_in_place(Path(path)) for path in in_place} == in_place


def _with_stdout_closed(argv: list[str], unbuffered: bool) -> subprocess.CompletedProcess[str]:
    """`groundlink ARGV | head -0`: the reader of stdout is gone before anything is written."""
    read, write = os.pipe()
    os.close(read)
    try:
        return groundlink_with_stdout(argv, write, unbuffered)
    finally:
        os.close(write)


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", ["validate", "schema", "process"])
def test_a_reader_that_leaves_is_exit_141_without_a_traceback(tmp_path, command, unbuffered):
    """`groundlink validate a.yaml b.yaml | head -1`: print() raised BrokenPipeError (a traceback),
    a buffered line failed at the interpreter's last flush (exit 120, "Exception ignored"), and
    rich's consoles exit 1, the code of a failed check. Now each ends quietly with 141, what a
    shell reports for a process a closed pipe ended."""
    from tests.contactgen import demo_contact

    argv = {
        "validate": ["validate", SPEC, str(SPECS / "partner.yaml")],
        "schema": ["schema"],
        "process": ["process", str(tmp_path / "raw"), "--out", str(tmp_path / "products")],
    }[command]
    demo_contact(tmp_path / "raw")
    done = _with_stdout_closed(argv, unbuffered)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.usefixtures("planned")
def test_a_piped_plan_holds_every_type_whole_on_its_line(capsys):
    """Redirected, rich drew the plan at 80 columns: the resource counts cut long types to "…"
    and the tree split them over lines. Piped, the report takes the width its lines need,
    and no line is padded out to that width."""
    assert cli.main(["plan", SPEC, "--cloud", "aws"]) == 0
    lines = capsys.readouterr().out.splitlines()
    long_type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    assert any(long_type in line and "noaa20-storage-raw-encryption" in line for line in lines)
    assert any(long_type in line and line.rstrip(" │").endswith("5") for line in lines)  # the counts table
    assert not any("…" in line for line in lines)
    assert max(len(line) for line in lines) < 400


@pytest.mark.usefixtures("never_planned")
@pytest.mark.parametrize("command", ["plan", "check"])
def test_a_json_path_ending_in_a_slash_is_refused_before_planning(tmp_path, monkeypatch, capsys, command):
    """`--json results/` meant a directory; a Path drops the slash, and a file named `results`
    was written."""
    monkeypatch.chdir(tmp_path)
    assert cli.main([command, SPEC, "--cloud", "aws", "--json", "results/"]) == 2
    assert one_line(capsys) == "groundlink: --json results/: names a directory (it ends in /); give a file path"
    assert list(tmp_path.iterdir()) == []


def test_output_path_keeps_a_file_and_the_root_to_the_checks_after_it():
    from groundlink.outputs import output_path

    assert output_path("out/plan.json", "--json") == Path("out/plan.json")
    assert output_path("/", "--json") == Path("/")  # the root: "is a directory" from check_file_target
    with pytest.raises(UsageError, match=r"^--out build/: names a directory \(it ends in /\); give a file path$"):
        output_path("build/", "--out")


@pytest.mark.usefixtures("planned")
@pytest.mark.parametrize("alias", ["/dev/stdout", "/dev/fd/1"])
def test_json_sent_to_stdout_is_the_last_thing_there_for_a_reader_to_parse(capfd, alias):
    """`groundlink plan --json /dev/stdout | jq`: the tree, then the JSON and nothing after it
    (a `wrote /dev/stdout` line followed the document)."""
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", alias]) == 0
    printed = capfd.readouterr().out
    assert json.loads(printed[printed.index("\n{\n") + 1 :])["stack"] == "noaa20-aws"
    assert "wrote" not in printed


def test_the_written_line_is_left_out_where_stdout_is_the_file_written(tmp_path, monkeypatch):
    """`groundlink plan --json seen.txt > seen.txt` names stdout's own file by its path."""
    target, other = tmp_path / "seen.txt", tmp_path / "other.json"
    with target.open("w") as stdout:
        monkeypatch.setattr(sys, "stdout", stdout)
        say_written(target)
        say_written(other)
    assert target.read_text() == f"wrote {other}\n"


@pytest.mark.usefixtures("planned")
def test_json_to_a_file_says_where_it_went(tmp_path, capsys):
    target = tmp_path / "plan.json"
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 0
    assert capsys.readouterr().out.endswith(f"wrote {target}\n")


@pytest.mark.usefixtures("never_planned")
def test_two_clouds_names_that_lead_to_one_file_are_refused_before_planning(tmp_path, monkeypatch, capsys):
    """A link at plan-aws.json to plan-azure.json: the azure plan, written second, was left under
    both names, each said written."""
    monkeypatch.chdir(tmp_path)
    Path("plan-azure.json").write_text("{}")
    Path("plan-aws.json").symlink_to("plan-azure.json")
    assert cli.main(["plan", SPEC, "--json", "plan.json"]) == 2
    assert one_line(capsys) == (
        f"groundlink: --json plan-azure.json: leads to the same file as plan-aws.json ({tmp_path / 'plan-azure.json'}), "
        "so one cloud's plan would be written over the other's; remove the link, or give another --json name"
    )
    assert Path("plan-azure.json").read_text() == "{}"


NOBODY = 65534
# Acting as another user (setuid) takes root; an unprivileged `make test` cannot make a file
# another user owns, so these cases run where the suite runs as root (CI, this machine).
AS_ANOTHER_USER = pytest.mark.skipif(os.geteuid() != 0, reason="acting as another user needs root")


def _as_another_user(check) -> str:
    """What `check()` raises (its message) or "" when run by an unprivileged user: in a forked
    child, so no module has to be read again from where that user cannot."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's lines run, and report, in another process
        os.close(read)
        message = ""
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            check()
        except UsageError as error:
            message = str(error)
        except BaseException as error:  # the parent asserts on what it is told
            message = f"unexpected {error!r}"
        os.write(write, message.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        told = pipe.read().decode()
    os.waitpid(child, 0)
    return told


@pytest.fixture
def reachable():
    """A directory every user can reach (pytest's own are its user's alone)."""
    made = Path(tempfile.mkdtemp(prefix="groundlink-test-"))
    made.chmod(0o755)
    yield made
    shutil.rmtree(made)


def _sticky(reachable: Path) -> Path:
    shared = reachable / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # as /tmp: anyone creates entries, only their owners replace them
    return shared


@AS_ANOTHER_USER
def test_a_file_of_another_user_in_a_sticky_directory_is_refused_before_planning(reachable):
    """rename(2) over it fails (EPERM) however open the file's own mode; the probe directory,
    a new entry, is allowed, so the plan ran before the write failed."""
    plan = _sticky(reachable) / "plan.json"
    plan.write_text("{}")
    plan.chmod(0o666)
    assert _as_another_user(lambda: check_file_target(plan, "--json")) == (
        f"--json {plan}: cannot replace it: {plan.parent} is a sticky directory, where only the owner of an entry "
        "(or of the directory) may replace it, and another user owns it"
    )
    os.chown(plan, NOBODY, NOBODY)  # the user's own file: replaced
    assert _as_another_user(lambda: check_file_target(plan, "--json")) == ""
    assert _as_another_user(lambda: check_file_target(plan.with_name("new.json"), "--json")) == ""


@AS_ANOTHER_USER
def test_a_report_directory_the_user_cannot_write_is_refused_before_planning(reachable):
    """Replacing a report moves the old one aside, which rewrites its `..` entry, then deletes
    its files: both need write permission on the directory itself, not only on its parent."""
    shared = reachable / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    report = shared / "report"
    report.mkdir(mode=0o755)
    (report / "report.md").write_text("earlier")
    assert _as_another_user(lambda: check_dir_target(report, "--out")) == (
        f"--out {report}: cannot replace it: the directory is moved aside and then deleted, which needs write "
        "permission on it"
    )
    os.chown(report, NOBODY, NOBODY)
    assert _as_another_user(lambda: check_dir_target(report, "--out")) == ""
    assert _as_another_user(lambda: check_dir_target(report, "--out", into=True)) == "", "written into: not moved"


def test_a_half_written_output_a_killed_run_left_is_named_and_one_being_written_is_not(tmp_path, capsys):
    """`kill -9` during `plan --json` left hidden `.p-aws.json.*.tmp` files that every later run
    passed over in silence. A run writing its own holds it locked, and is not named."""
    import fcntl

    from groundlink.outputs import write_text

    target = tmp_path / "p-aws.json"
    left = tmp_path / ".p-aws.json.abcd1234.tmp"
    writing = tmp_path / ".p-aws.json.wxyz9876.tmp"
    left.write_text('{"half')
    writing.write_text('{"going')
    held = os.open(writing, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the run writing it holds it
        write_text(target, "{}")
    finally:
        os.close(held)
    assert target.read_text() == "{}"
    assert capsys.readouterr().err == (
        f"groundlink: {left} was left by a run that was stopped outright: a half-written p-aws.json; delete it "
        f"unless a run writing {target} is still running\n"
    )
    assert left.exists() and writing.exists()  # named, never deleted
    assert sorted(p.name for p in tmp_path.iterdir()) == [left.name, writing.name, target.name]


@pytest.mark.usefixtures("planned")
def test_json_sent_to_stderr_goes_to_stderr_and_stdout_says_where(capfd):
    """`--json /dev/stderr` is this process's descriptor 2: the plan went to stdout instead,
    into the text a reader of stdout parses, and the `wrote` line was left out."""
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", "/dev/stderr"]) == 0
    out, err = capfd.readouterr()
    assert json.loads(err)["stack"] == "noaa20-aws"
    assert out.endswith("wrote /dev/stderr\n") and '"stack"' not in out


@AS_ANOTHER_USER
def test_a_file_in_a_sticky_directory_the_user_owns_is_replaced(reachable):
    """In a sticky directory the directory's owner may replace any entry in it, as the entry's
    owner may: a user's own shared directory refused their plan over a file another user left."""
    shared = _sticky(reachable)
    os.chown(shared, NOBODY, NOBODY)
    plan = shared / "plan.json"
    plan.write_text("{}")  # root's file, in nobody's directory
    plan.chmod(0o666)
    assert _as_another_user(lambda: check_file_target(plan, "--json")) == ""
