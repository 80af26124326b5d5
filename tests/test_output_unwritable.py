"""Outputs that cannot be written: one line, exit 2, nothing half-written left behind.

A directory under /proc refuses new entries whatever the permission bits say, even to
root (for whom every `os.access` check passes and chmod changes nothing): the real case of
a read-only location, found before any planning. A write that fails after planning (a
disk turned read-only meanwhile) is simulated at the file system call and ends the same
way, removing the directories it created."""

from __future__ import annotations

import errno
import json
import os
import tempfile
import uuid
from pathlib import Path

import pytest

from groundlink import cli, engine, outputs
from groundlink.app import compare, parallel_plans

from .conftest import SPECS, cached_plan

SPEC = str(SPECS / "noaa20.yaml")


def unwritable() -> Path:
    return Path("/proc") / f"groundlink-{uuid.uuid4().hex}"


def refuse(*args, **kwargs):
    raise AssertionError("planned although the output cannot be written")


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err
    return err.strip()


def test_plan_json_in_a_read_only_location_is_refused_before_planning(capsys, monkeypatch):
    monkeypatch.setattr(engine, "plan", refuse)
    target = unwritable() / "plan.json"
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 2
    assert one_line(capsys).startswith(f"groundlink: --json {target}: cannot write in /proc (")
    assert not target.parent.exists()


def test_compare_out_in_a_read_only_location_is_refused_before_planning(capsys, monkeypatch):
    monkeypatch.setattr(parallel_plans, "run_plans", refuse)
    out = unwritable() / "report"
    assert cli.main(["compare", SPEC, "--out", str(out)]) == 2
    assert one_line(capsys).startswith(f"groundlink: --out {out}: cannot write in /proc (")


def test_a_write_failing_after_planning_is_one_line_and_removes_what_it_created(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: cached_plan("noaa20.yaml", cloud))

    def read_only_after_the_check(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only_after_the_check)
    target = tmp_path / "new" / "deeper" / "plan.json"
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 2
    assert one_line(capsys) == f"groundlink: --json {target}: cannot write (Read-only file system)"
    assert list(tmp_path.iterdir()) == []  # the directories it made are gone, and no temporary file


def test_a_report_that_cannot_be_moved_into_place_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    out = tmp_path / "report"
    out.mkdir()
    (out / "compare.json").write_text(json.dumps({"previous": True}))
    fresh = tmp_path / ".report.tmp-1"
    fresh.mkdir()
    (fresh / "compare.json").write_text(json.dumps({"previous": False}))
    real_replace = Path.replace

    def failing_replace(self, target):
        if self == fresh:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError):
        compare._replace_dir(fresh, out)
    assert json.loads((out / "compare.json").read_text()) == {"previous": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.tmp-1", "report"]  # no .report.old-* left


def _refusing_writes_in(monkeypatch, refused: Path) -> None:
    """Creating an entry in `refused` fails as a directory without write permission makes it
    fail (root passes permission bits, so the probe's own call is made to refuse)."""
    real = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        if Path(kwargs["dir"]) == refused:
            raise PermissionError(errno.EACCES, "Permission denied", str(refused))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)


def test_process_writes_into_an_existing_out_below_a_read_only_directory(tmp_path, capsys, monkeypatch):
    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    out = tmp_path / "shared" / "products"
    out.mkdir(parents=True)
    _refusing_writes_in(monkeypatch, tmp_path / "shared")  # the products directory takes entries; its parent not
    assert cli.main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 0
    assert capsys.readouterr().out.endswith(f"wrote {out}\n")
    assert (out / "contact_summary").is_dir()


def test_process_refuses_an_existing_out_that_takes_no_entries_before_reading(tmp_path, capsys, monkeypatch):
    from groundlink.processing import processor
    from tests.contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    out = tmp_path / "products"
    out.mkdir()
    _refusing_writes_in(monkeypatch, out)
    monkeypatch.setattr(processor, "discover", refuse)
    assert cli.main(["process", str(tmp_path / "raw"), "--out", str(out)]) == 2
    assert one_line(capsys) == f"groundlink: --out {out}: cannot write in {out} (Permission denied)"


def test_compare_replaces_its_out_so_the_directory_above_must_take_entries(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(parallel_plans, "run_plans", refuse)
    out = tmp_path / "report"
    out.mkdir()
    _refusing_writes_in(monkeypatch, tmp_path)
    assert cli.main(["compare", SPEC, "--out", str(out)]) == 2
    assert one_line(capsys) == f"groundlink: --out {out}: cannot write in {tmp_path} (Permission denied)"


def test_a_pseudo_file_system_that_takes_no_entries_is_said_so_not_no_such_file(capsys, monkeypatch):
    monkeypatch.setattr(engine, "plan", refuse)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", "/proc/version"]) == 2
    # root may write the file, and is told what /proc takes; another user may not
    said = (
        "cannot write in /proc (it takes no new entries)"
        if os.geteuid() == 0
        else "cannot overwrite (no write permission)"
    )
    assert one_line(capsys) == f"groundlink: --json /proc/version: {said}"


def test_compare_out_at_a_mount_point_is_refused_before_planning(tmp_path, monkeypatch, capsys):
    """compare replaces its --out directory whole, by a rename, which a mount point refuses
    (EBUSY): the whole run used to end there, after planning and checking. A mount point is now
    refused up front, naming a directory inside it; `process --out` writes into one and takes it."""
    import os

    mounted = tmp_path / "vol"
    mounted.mkdir()
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: os.path.realpath(p) == str(mounted) or real(p))
    monkeypatch.setattr(parallel_plans, "run_plans", lambda *a, **k: pytest.fail("planned"))
    code = cli.main(["compare", str(SPECS / "noaa20.yaml"), "--out", str(mounted)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"groundlink: --out {mounted}: is a mount point, which cannot be replaced whole; give a directory "
        f"inside it ({mounted / 'report'})\n"
    )
    assert list(mounted.iterdir()) == []


def _mounted_per_table(monkeypatch, tmp_path, *points: Path) -> None:
    """The kernel's mount table lists `points` (a bind mount within one file system, which
    `os.path.ismount` does not see), with its octal escapes, and nothing else here."""
    from groundlink import outputs

    escaped = [str(p).replace("\\", "\\134").replace(" ", "\\040") for p in points]
    table = tmp_path / "mountinfo"
    table.write_text("".join(f"{30 + i} 1 8:1 /src{i} {p} rw - ext4 /dev/vda rw\n" for i, p in enumerate(escaped)))
    monkeypatch.setattr(outputs, "MOUNT_TABLE", table)


def test_compare_out_through_a_link_or_a_bind_mount_is_refused_before_planning(tmp_path, monkeypatch, capsys):
    """A link to a mount point, and a directory bound within one file system, passed the check
    (`os.path.ismount` follows no link and sees no bind mount) and the run ended in EBUSY after
    planning both clouds and running the pack."""
    import os

    bound, mounted = tmp_path / "bound dir", tmp_path / "vol"
    bound.mkdir()
    mounted.mkdir()
    (tmp_path / "link").symlink_to(mounted)
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: str(p) == str(mounted) or real(p))  # no link followed
    _mounted_per_table(monkeypatch, tmp_path, bound)
    monkeypatch.setattr(parallel_plans, "run_plans", lambda *a, **k: pytest.fail("planned"))
    for out in (tmp_path / "link", bound):
        assert cli.main(["compare", str(SPECS / "noaa20.yaml"), "--out", str(out)]) == 2
        assert one_line(capsys) == (
            f"groundlink: --out {out}: is a mount point, which cannot be replaced whole; give a directory "
            f"inside it ({out / 'report'})"
        )


def test_a_json_file_mounted_on_its_own_is_refused_before_planning(tmp_path, monkeypatch, capsys):
    """`docker run -v ./plan.json:/work/plan.json`: a file is written aside and renamed over the
    old one, which a mount point refuses (EBUSY) after the whole plan had run."""
    target = tmp_path / "plan.json"
    target.write_text("{}")
    _mounted_per_table(monkeypatch, tmp_path, target)
    monkeypatch.setattr(engine, "plan", refuse)
    for flag_args in (["plan", SPEC, "--cloud", "aws"], ["check", SPEC, "--cloud", "aws"]):
        assert cli.main([*flag_args, "--json", str(target)]) == 2
        assert one_line(capsys) == (
            f"groundlink: --json {target}: is a mount point (a file mounted on its own), which cannot be replaced; "
            "mount the directory holding it instead, or give another path"
        )
    assert target.read_text() == "{}"


def test_a_replaced_output_keeps_the_permissions_it_had(tmp_path, monkeypatch):
    """A plan or a report made private (0600, 0700) was replaced by one readable by everyone;
    a new one is created as an ordinary write creates it (the umask applies)."""
    import os
    import stat

    from groundlink.engine.plan import Plan

    monkeypatch.setattr(engine, "plan", lambda *a, **k: cached_plan("noaa20.yaml", "aws"))
    private, new = tmp_path / "private.json", tmp_path / "new.json"
    private.write_text("{}")
    private.chmod(0o600)
    for out in (private, new):
        assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(out)]) == 0
        assert Plan.from_json(json.loads(out.read_text())).resources  # written
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask
    report = tmp_path / "report"
    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs_of_noaa20())
    assert cli.main(["compare", SPEC, "--out", str(report)]) == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o777 & ~mask
    report.chmod(0o700)
    assert cli.main(["compare", SPEC, "--out", str(report)]) == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o700 and (report / "compare.json").exists()


def _another_group() -> int | None:
    """A group this process may give its files other than its own: any, as root; else one it is
    a member of besides its own, if any."""
    import os

    if os.geteuid() == 0:
        return 4321
    return next((g for g in os.getgroups() if g != os.getegid()), None)


@pytest.mark.skipif(_another_group() is None, reason="this user belongs to one group only: no group to keep")
def test_a_replaced_plan_or_report_keeps_the_group_it_was_shared_with(tmp_path, monkeypatch):
    """A plan or a report shared with a team's group went to the writer's own group when it was
    replaced, and the team lost its write to it."""
    import os

    team = _another_group()
    assert team is not None
    monkeypatch.setattr(engine, "plan", lambda *a, **k: cached_plan("noaa20.yaml", "aws"))
    shared = tmp_path / "shared.json"
    shared.write_text("{}")
    os.chown(shared, -1, team)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(shared)]) == 0
    assert shared.stat().st_gid == team and json.loads(shared.read_text())["resources"]
    report = tmp_path / "report"
    monkeypatch.setattr(parallel_plans, "run_plans", _fake_runs_of_noaa20())
    assert cli.main(["compare", SPEC, "--out", str(report)]) == 0
    assert report.stat().st_gid == os.getegid()  # a new report: the writer's group, as any new file
    os.chown(report, -1, team)
    assert cli.main(["compare", SPEC, "--out", str(report)]) == 0
    held = [report, *report.rglob("*")]
    assert len(held) > 5 and {p.stat().st_gid for p in held} == {team}


def _fake_runs_of_noaa20():
    from .test_compare import _fake_runs

    return _fake_runs()


@pytest.mark.parametrize("failure", [OSError(errno.EBUSY, "Device or resource busy"), KeyboardInterrupt()])
def test_a_rename_into_place_that_fails_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, failure):
    """The last step of a file output (`check --json`, a plan's `write`) is the rename of its
    temporary sibling over the target: when that fails (a mount point's EBUSY, Ctrl-C just
    then) the target keeps its old text and the hidden temporary goes too, where only failures
    before the rename were watched."""
    target = tmp_path / "check.json"
    target.write_text("old\n")
    real_replace = Path.replace

    def failing_replace(self, other):
        if Path(other) == target:
            raise failure
        return real_replace(self, other)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(type(failure)):
        outputs.write_text(target, "new\n")
    assert [p.name for p in tmp_path.iterdir()] == ["check.json"]
    assert target.read_text() == "old\n"


def test_a_plan_pair_whose_rename_fails_is_one_line_and_leaves_no_temporary(tmp_path, capsys, monkeypatch):
    """`plan --json` writes through `write_texts_together`: a rename that fails (EBUSY) is the
    one usage line naming the file, exit 2, and no hidden temporary stays beside the old file."""
    monkeypatch.setattr(engine, "plan", lambda spec, cloud: cached_plan("noaa20.yaml", cloud))
    target = tmp_path / "plan.json"
    target.write_text("old\n")
    real_replace = Path.replace

    def failing_replace(self, other):
        if Path(other) == target:
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real_replace(self, other)

    monkeypatch.setattr(Path, "replace", failing_replace)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 2
    assert one_line(capsys) == f"groundlink: --json {target}: cannot write (Device or resource busy)"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]
    assert target.read_text() == "old\n"


@pytest.mark.parametrize(("flags", "said"), [(os.ST_RDONLY, "Read-only file system"), (0, "no write permission")])
def test_an_existing_output_on_a_read_only_mount_is_said_so_not_no_permission(
    tmp_path, capsys, monkeypatch, flags, said
):
    """`os.access` says no for a file on a read-only mount whatever its mode: the line said "no
    write permission", and a user who then made the file writable failed the same way."""
    import types

    target = tmp_path / "plan.json"
    target.write_text("{}")
    real_access, real_statvfs = os.access, os.statvfs
    monkeypatch.setattr(outputs.os, "access", lambda p, mode: False if Path(p) == target else real_access(p, mode))
    monkeypatch.setattr(
        outputs.os, "statvfs", lambda p: types.SimpleNamespace(f_flag=flags) if Path(p) == target else real_statvfs(p)
    )
    monkeypatch.setattr(engine, "plan", refuse)
    assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 2
    assert one_line(capsys) == f"groundlink: --json {target}: cannot overwrite ({said})"


def test_a_new_output_takes_the_users_umask_not_a_fixed_mode(tmp_path, monkeypatch):
    """A new plan is made as an ordinary write makes it: 0666 less the umask. Under a team's
    umask 002 it is group-writable (0664), where 0644 left the team unable to replace it."""
    import stat

    monkeypatch.setattr(engine, "plan", lambda *a, **k: cached_plan("noaa20.yaml", "aws"))
    target = tmp_path / "plan.json"
    before = os.umask(0o002)
    try:
        assert cli.main(["plan", SPEC, "--cloud", "aws", "--json", str(target)]) == 0
    finally:
        os.umask(before)
    assert stat.S_IMODE(target.stat().st_mode) == 0o664


def test_a_pair_that_fails_on_its_second_file_names_that_file(tmp_path):
    """`plan --cloud both` writes a pair: a failure staging the second file named the first,
    which was fine, and the first is left as it was."""
    from groundlink.errors import UsageError

    first, blocker = tmp_path / "plan-aws.json", tmp_path / "sub"
    blocker.write_text("a file where a directory must go")
    second = blocker / "plan-azure.json"
    with pytest.raises(UsageError) as raised:
        outputs.write_texts_together([(first, "{}"), (second, "{}")], "--json")
    assert str(raised.value).startswith(f"--json {second}: cannot write (")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_a_failure_elsewhere_while_writing_into_a_directory_is_not_called_a_write_of_it(tmp_path):
    """`writing_dir` turns a failed write under DIR into one usage line naming DIR; an OSError
    about another path (an input read meanwhile) is raised as it is, not blamed on DIR."""
    from groundlink.errors import UsageError

    out = tmp_path / "products"
    elsewhere = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "contact.raw"))
    with pytest.raises(OSError) as raised, outputs.writing_dir(out, "--out"):
        raise elsewhere
    assert raised.value is elsewhere
    full = rf"^--out {out}: cannot write \(No space left on device\)$"
    with pytest.raises(UsageError, match=full), outputs.writing_dir(out, "--out"):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "a.parquet"))
    assert not out.exists()
