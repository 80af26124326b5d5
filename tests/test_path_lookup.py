"""A path argument the system cannot look up, for every path argument of every command: a name
longer than NAME_MAX, a loop of symbolic links. One line naming the argument and the system's
reason, exit 2, nothing written; before, `Path.exists` raised inside six commands (a traceback,
exit 1), and a loop given as --json was replaced by a plain file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from groundlink.cli import commands, main
from groundlink.path_args import DIR, FILE, INPUT, INTO, OLD, SPEC

from .conftest import SPECS

NOAA20 = str(SPECS / "noaa20.yaml")
BAD = "{bad}"

# Each path argument of each command (cli.commands' `paths`), with the rest of a command line
# that would run: BAD stands for the path under test.
CASES: dict[tuple[str, str], list[str]] = {
    ("validate", "spec"): ["validate", BAD],
    ("plan", "spec"): ["plan", BAD, "--cloud", "aws"],
    ("plan", "--against"): ["plan", NOAA20, "--cloud", "aws", "--against", BAD],
    ("plan", "--json"): ["plan", NOAA20, "--cloud", "aws", "--json", BAD],
    ("check", "spec"): ["check", BAD, "--cloud", "aws"],
    ("check", "--against"): ["check", NOAA20, "--cloud", "aws", "--against", BAD],
    ("check", "--policy-pack-config"): ["check", NOAA20, "--cloud", "aws", "--policy-pack-config", BAD],
    ("check", "--json"): ["check", NOAA20, "--cloud", "aws", "--json", BAD],
    ("compare", "spec"): ["compare", BAD, "--out", "{tmp}/report"],
    ("compare", "--against"): ["compare", NOAA20, "--out", "{tmp}/report", "--against", BAD],
    ("compare", "--prices"): ["compare", NOAA20, "--out", "{tmp}/report", "--prices", BAD],
    ("compare", "--policy-pack-config"): ["compare", NOAA20, "--out", "{tmp}/report", "--policy-pack-config", BAD],
    ("compare", "--out"): ["compare", NOAA20, "--out", BAD],
    ("process", "contact_dir"): ["process", BAD, "--out", "{tmp}/products"],
    ("process", "--out"): ["process", "{tmp}/raw", "--out", BAD],
    ("query", "products_dir"): ["query", BAD, "SELECT 1"],
    ("preflight", "spec"): ["preflight", BAD],
    ("diff", "old"): ["diff", BAD, NOAA20, "--cloud", "aws"],
    ("diff", "new"): ["diff", NOAA20, BAD, "--cloud", "aws"],
}


def test_every_path_argument_of_every_command_has_a_case() -> None:
    declared = {(c.name, arg.flag) for c in commands() for arg in c.paths}
    assert set(CASES) == declared


def _too_long(tmp: Path, role: str) -> str:
    suffix = "" if role in (DIR, INTO) else ".yaml"
    return str(tmp / ("a" * 300 + suffix))


def _loop(tmp: Path) -> str:
    (tmp / "one").symlink_to(tmp / "two")
    (tmp / "two").symlink_to(tmp / "one")
    return str(tmp / "one")


def _roles() -> dict[tuple[str, str], str]:
    return {(c.name, arg.flag): arg.role for c in commands() for arg in c.paths}


@pytest.mark.parametrize("kind", ["name too long", "symbolic link loop"])
@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[0]} {c[1]}")
def test_a_path_the_system_cannot_look_up_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, str], kind: str
) -> None:
    (tmp_path / "raw").mkdir()
    bad = _too_long(tmp_path, _roles()[case]) if kind == "name too long" else _loop(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = [a.replace(BAD, bad).replace("{tmp}", str(tmp_path)) for a in CASES[case]]
    assert main(argv) == 2
    err = capsys.readouterr().err.splitlines()
    reason = os.strerror(errno.ENAMETOOLONG) if kind == "name too long" else "Too many levels of symbolic links"
    named = bad if not case[1].startswith("-") else f"{case[1]} {bad}"
    role = _roles()[case]
    # a file read is named as its other problems are (`spec.yaml: ...`); a directory read or
    # anything written is a usage error (`groundlink: --out DIR: ...`)
    start = named if role in (SPEC, OLD, INPUT) else f"groundlink: {named}"
    assert len(err) == 1 and err[0].startswith(start[:60]), err
    verb = "write" if role in (DIR, INTO, FILE) else "read"
    assert err[0].endswith(f": cannot {verb} ({reason})")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, no link replaced
    if kind == "symbolic link loop":
        assert os.readlink(tmp_path / "one") == str(tmp_path / "two")


def test_process_refuses_an_out_that_is_a_broken_link_before_reading_any_capture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from .contactgen import demo_contact

    demo_contact(tmp_path / "raw")
    (tmp_path / "out").symlink_to(tmp_path / "gone" / "products")
    assert main(["process", str(tmp_path / "raw"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"groundlink: --out {tmp_path / 'out'}: {tmp_path / 'out'} is a broken symbolic link "
        f"(to {tmp_path / 'gone' / 'products'}), not a directory"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "raw"]


def test_a_name_of_exactly_name_max_is_still_usable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The bound, just inside: 255 bytes is a name the system takes."""
    out = tmp_path / ("b" * (os.pathconf(tmp_path, "PC_NAME_MAX") - len(".json")) + ".json")
    assert main(["plan", NOAA20, "--cloud", "aws", "--json", str(out)]) == 0
    assert out.is_file() and [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary sibling left


@pytest.mark.parametrize(("stem_bytes", "first_too_long"), [(245, "-azure.json"), (250, "-aws.json")])
def test_a_json_stem_that_fits_only_without_its_cloud_suffix_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stem_bytes: int, first_too_long: str
) -> None:
    """`plan --json NAME.json` writes NAME-aws.json and NAME-azure.json for both clouds: a stem
    that fitted NAME_MAX as given but not with `-azure` ended in a traceback (exit 1) from the
    look at the derived name."""
    name_max = os.pathconf(tmp_path, "PC_NAME_MAX")
    stem = "c" * (stem_bytes - 255 + name_max)
    code = main(["plan", NOAA20, "--json", str(tmp_path / f"{stem}.json")])
    (line,) = capsys.readouterr().err.splitlines()
    assert code == 2
    too_long = os.strerror(errno.ENAMETOOLONG)
    assert line == f"groundlink: --json {tmp_path / stem}{first_too_long}: cannot write ({too_long})"
    assert list(tmp_path.iterdir()) == []


def test_compare_refuses_an_out_whose_files_would_pass_path_max_before_planning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DIR itself fitted PATH_MAX and DIR/charts/storage_growth.svg did not: both plans, the pack
    and the report ran before the one line came. It now comes before any plan."""
    from groundlink.app import parallel_plans as plan_runs

    planned: list[object] = []
    monkeypatch.setattr(plan_runs, "run_plans", lambda *a, **k: planned.append(a))
    path_max = os.pathconf(tmp_path, "PC_PATH_MAX")
    deep = tmp_path
    while len(os.fsencode(str(deep))) < path_max - 240:
        deep = deep / ("d" * min(200, path_max - 240 - len(os.fsencode(str(deep)))))
    deep.mkdir(parents=True)
    out = deep / ("r" * (path_max - len(os.fsencode(str(deep))) - 30))
    assert len(os.fsencode(str(out))) < path_max
    assert main(["compare", NOAA20, "--out", str(out)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    # a path this long is shown shortened in the middle (`…`), its start and its end kept
    assert line.startswith(f"groundlink: --out {tmp_path}/ddd") and "…" in line
    assert line.endswith(f"rrr: cannot write compare.json in it ({os.strerror(errno.ENAMETOOLONG)})")
    assert planned == [] and not out.exists()


def test_a_relative_path_is_measured_as_given_not_from_the_root(tmp_path: Path, monkeypatch) -> None:
    """The system limits the path it is handed: a short relative name in a deep directory is
    written there, though the directory and the name together pass PATH_MAX."""
    from groundlink.outputs import lookup_problem

    path_max = os.pathconf(tmp_path, "PC_PATH_MAX")
    deep = tmp_path
    while len(os.fsencode(str(deep))) < path_max - 40:
        deep = deep / ("d" * min(200, path_max - 40 - len(os.fsencode(str(deep)))))
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    name = Path("r" * 60 + ".json")
    assert len(os.fsencode(str(deep / name))) >= path_max
    assert lookup_problem(name) is None
    name.write_text("{}")  # and the system takes it
