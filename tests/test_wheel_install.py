"""An installed copy of groundlink works without the checkout.

The wheel is built from a copy of the sources, installed in a fresh virtual
environment (the locked libraries reach it through a .pth line, not the
checkout), and `groundlink compare` runs on a spec copied to another
directory: the program, the components (groundlink.components), the policy
pack, the price catalogs and the site data must all come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from .conftest import ROOT, SPECS

SOURCES = ("pyproject.toml", "setup.py", "groundlink", "components", "policies", "prices", "data")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _wheel(tmp: Path) -> Path:
    src, dist = tmp / "src", tmp / "dist"
    src.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, ignore=shutil.ignore_patterns("__pycache__", "venv", "*.pyc"))
        else:
            shutil.copy2(source, src / name)
    built = _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        src,
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-q",
        "-w",
        dist,
        cwd=tmp,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("groundlink-*.whl")
    return wheel


def _venv_with(wheel: Path, tmp: Path) -> Path:
    venv = tmp / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel, cwd=tmp
    )
    assert installed.returncode == 0, installed.stderr
    # The locked libraries (pulumi, providers...) come from the project's environment, after the
    # venv's own site-packages: a .pth line adds a path without running that path's own .pth files,
    # so the development install's finder stays off.
    purelib = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp).stdout.strip()
    )
    (purelib / "locked-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def test_an_installed_wheel_compares_a_spec_outside_the_checkout(tmp_path, aws_noaa20, azure_noaa20):
    venv = _venv_with(_wheel(tmp_path), tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy2(SPECS / "noaa20.yaml", elsewhere / "mission.yaml")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"

    where = _run(
        venv / "bin" / "python",
        "-c",
        "import groundlink.program, groundlink.components.aws, groundlink.cost.catalog as c, groundlink.coverage as s, "
        "groundlink.check.runner as r; "
        "print(groundlink.program.__file__, groundlink.components.aws.__file__, c.PRICES_DIR, s.SITES_FILE, r.PACK_DIR)",
        cwd=elsewhere,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    site = venv.resolve()
    for found in where.stdout.split():
        assert Path(found).resolve().is_relative_to(site), f"{found} is not from the installed wheel"
        assert not Path(found).resolve().is_relative_to(ROOT.resolve())

    compared = _run(venv / "bin" / "groundlink", "compare", "mission.yaml", "--out", "out", cwd=elsewhere, env=env)
    assert compared.returncode == 0, compared.stdout + compared.stderr
    doc = json.loads((elsewhere / "out" / "compare.json").read_text())
    assert doc["ok"] and doc["spec"] == "mission.yaml"
    # both clouds planned from the installed components exactly what the checkout plans
    assert doc["clouds"]["aws"]["resources"] == len(aws_noaa20.resources)
    assert doc["clouds"]["azure"]["resources"] == len(azure_noaa20.resources)
    # the installed policy pack ran over both plans
    assert doc["policy"]["available"] and set(doc["policy"]["clouds"]) == {"aws", "azure"}
    # the installed price catalogs priced the ground segment, the installed site data gave coverage
    assert doc["cost"]["clouds"]["aws"]["byLayer"]["ground"]["known"] > 0
    assert doc["coverage"]["sites"]["aws"]
    assert (elsewhere / "out" / "report.html").stat().st_size > 0
