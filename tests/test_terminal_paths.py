"""A path a user names, printed on the terminal as written: a control character as its escape
(as compare, diff and the error lines show it), and a run of trailing backslashes as it is.
The check header, validate's ok line and `wrote PATH` printed an ESC raw; compare's verdict put
rich's escape() of --out before a closing `[/]` tag, which doubles only a lone trailing
backslash: `tri\\\\\\` printed `tri\\[/]`, `dbl\\\\` printed `dbl\\`, and `one\\` at a line's end
or before plain text printed two."""

from __future__ import annotations

import io
import shutil

import pytest
from rich.console import Console

from groundlink.check.runner import CheckResult
from groundlink.cli import main
from groundlink.outputs import say_written
from groundlink.report import check_console
from groundlink.report.compare_console import print_summary

from .conftest import SPECS
from .test_report_decisions import _document

# (a name as given, as the terminal must show it)
NAMES = [
    ("esc\x1b[35m\nname", "esc\\x1b[35m\\nname"),
    ("tri\\\\\\", "tri\\\\\\"),
    ("dbl\\\\", "dbl\\\\"),
    ("one\\", "one\\"),
]


def _printed(draw) -> list[str]:
    console = Console(file=io.StringIO(), record=True, width=400, color_system=None)
    draw(console)
    return console.export_text().splitlines()


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_the_check_header_names_the_spec_as_written(name, shown):
    result = CheckResult(name, {"name": "pack", "version": "1", "policies": 3}, [])
    lines = _printed(lambda console: check_console.render(result, console))
    assert lines[0] == f"policy pack pack@1 (3 policies) on {shown}"


@pytest.fixture(scope="module")
def summary_doc():
    doc = _document()[0]
    return {**doc, "diff": {"against": "", "allowDataLoss": False, "refused": True, "dataLoss": ["x"], "clouds": []}}


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_compare_s_verdict_names_out_and_old_as_written(summary_doc, name, shown):
    doc = {**summary_doc, "diff": {**summary_doc["diff"], "against": f"old-{name}"}}
    lines = _printed(lambda console: print_summary(doc, f"out/{name}", console))
    assert lines[-1] == (
        f"comparable, refused (data loss against old-{shown}): report written to out/{shown} "
        "(report.html, report.md, compare.json)"
    )


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_validate_s_ok_line_names_the_spec_as_written(tmp_path, capsys, name, shown):
    spec = tmp_path / name
    shutil.copy(SPECS / "noaa20.yaml", spec)
    assert main(["validate", str(spec)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{tmp_path}/{shown}: ok (") and "\x1b" not in out


@pytest.mark.parametrize(("name", "shown"), NAMES)
def test_wrote_names_the_file_as_written(tmp_path, capsys, name, shown):
    say_written(tmp_path / name)
    assert capsys.readouterr().out == f"wrote {tmp_path}/{shown}\n"
