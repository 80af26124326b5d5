"""The command line under what a user's environment may bring: a locale whose encoding is not
UTF-8 (latin-1), and `python -OO` (PYTHONOPTIMIZE=2, which some container images set).

Under latin-1 a UTF-8 file name `spéc.yaml` was printed `spÃ©c.yaml` and recorded so in plans,
so the same spec planned otherwise under each locale; a latin-1 name's byte came out as two.
Under -OO every command ended in a traceback before reading its arguments."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from groundlink.spec import json_schema

from .conftest import SPECS

LATIN1 = "en_US.ISO-8859-1"


def _groundlink(
    *args: str, cwd: Path, env: dict[str, str], options: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *options, "-m", "groundlink", *args],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def latin1(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A latin-1 locale of this test's own (LOCPATH), built from the system's locale sources."""
    if shutil.which("localedef") is None or not Path("/usr/share/i18n/locales/en_US").is_file():
        pytest.skip("no localedef or en_US locale source to build a latin-1 locale with")
    where = tmp_path_factory.mktemp("locales")
    made = subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(where / LATIN1)], capture_output=True, check=False
    )
    if not (where / LATIN1).is_dir():
        pytest.skip(f"localedef could not build {LATIN1}: {made.stderr.decode(errors='replace').strip()}")
    return {"LOCPATH": str(where), "LC_ALL": LATIN1, "LANG": LATIN1}


def test_a_latin1_locale_prints_file_names_as_their_bytes_and_plans_as_utf8_does(latin1, tmp_path: Path) -> None:
    utf8_name, latin1_name = "spéc.yaml".encode(), b"sp\xe9c.yaml"
    for name in (utf8_name, latin1_name):
        (tmp_path / os.fsdecode(name)).write_bytes((SPECS / "noaa20.yaml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "groundlink", "validate", latin1_name],
        cwd=tmp_path,
        env={**os.environ, **latin1},
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith(latin1_name + b": ok"), done.stdout + done.stderr
    plans = {}
    for locale_env, out in ((latin1, "latin1.json"), ({"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, "utf8.json")):
        done = subprocess.run(
            [sys.executable, "-m", "groundlink", "plan", utf8_name, "--cloud", "aws", "--json", out],
            cwd=tmp_path,
            env={**os.environ, **locale_env},
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        plans[out] = json.loads((tmp_path / out).read_text(encoding="utf-8"))
    assert plans["latin1.json"]["spec"] == plans["utf8.json"]["spec"] == "spéc.yaml"


def test_python_oo_runs_every_command_and_gives_the_same_schema(tmp_path: Path) -> None:
    env = {"PYTHONOPTIMIZE": "2"}
    done = _groundlink("validate", str(SPECS / "noaa20.yaml"), cwd=tmp_path, env=env)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    done = _groundlink("--help", cwd=tmp_path, env=env)
    assert done.returncode == 0 and b"Commands: validate, schema, plan" in done.stdout.replace(b"\n", b" ")
    done = _groundlink("schema", cwd=tmp_path, env=env)
    assert done.returncode == 0 and json.loads(done.stdout) == json_schema()


def test_code_given_inline_is_not_started_again(latin1, tmp_path: Path) -> None:
    """Started again, `python -c` ran the code before the command a second time, and a script
    read from stdin, already consumed, ran as nothing."""
    code = "import groundlink.cli as cli; print('before', flush=True); cli.in_utf8_mode(); print('after')"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, **latin1},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.split() == [b"before", b"after"], done.stderr


@pytest.mark.parametrize("lang", ["C.UTF-8", "C"])
def test_an_error_line_names_a_file_by_its_own_bytes_as_the_other_lines_do(tmp_path: Path, lang: str) -> None:
    """stderr's errors are Python's `backslashreplace`: a directory named in bytes that are not
    UTF-8 came out as `\\udcff\\udcfe` in every error line, while stdout gave its bytes."""
    folder = os.fsencode(tmp_path) + b"/\xff\xfe"
    os.mkdir(folder)
    with open(folder + b"/bad.yaml", "wb") as spec:
        spec.write(b"mission:\n  onwer: x\n")
    done = _groundlink("validate", os.fsdecode(folder + b"/bad.yaml"), cwd=tmp_path, env={"LC_ALL": lang})
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.startswith(folder + b"/bad.yaml: ") and b"\\u" not in done.stderr


def test_a_character_no_utf_8_stream_takes_is_written_as_its_escape() -> None:
    from groundlink.cli import OWN_BYTES

    assert "a\udcffb\ud800".encode("utf-8", OWN_BYTES) == b"a\xffb\\ud800"


def test_the_lowest_byte_that_is_not_utf_8_is_written_as_itself_too() -> None:
    """A file name holding byte 0x80 (read by Python as U+DC80, the first of the range) was
    printed with `\\udc80` where every other such byte went out as itself, as `ls` shows it."""
    from groundlink.cli import OWN_BYTES

    name = b"/data/\x80-\xff.yaml"
    assert name.decode("utf-8", "surrogateescape").encode("utf-8", OWN_BYTES) == name
    assert "\udc7f".encode("utf-8", OWN_BYTES) == b"\\udc7f"  # just below the range: no byte of a name
