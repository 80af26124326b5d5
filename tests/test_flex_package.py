"""The Flex app's package is built on the deployer's machine for an upload with Entra ID, and the
plan holds nothing the provider cannot create on the mission's account.

The account disables shared keys and pulumi-azure-native writes blobs only with them
(pulumi/pulumi-azure-native#2015), so a planned package blob would fail every `pulumi up`.
`python -m groundlink.flexpackage SPEC` writes released-package.zip instead (docs/processing.md).
"""

from __future__ import annotations

import errno
import hashlib
import json
import uuid
import zipfile
from pathlib import Path

import pytest

from groundlink import flexpackage
from groundlink.diff.run import diff_against
from groundlink.functiondeps import BUNDLES
from groundlink.runtime.package import package_files

from .conftest import SPECS, cached_plan, spec_data, write_spec
from .wheel_archives import stand_in


def test_the_azure_plan_uploads_no_blob_and_the_app_reads_the_deployment_container(azure_noaa20) -> None:
    assert azure_noaa20.of_type("azure-native:storage:Blob") == []
    account = azure_noaa20.one("azure-native:storage:StorageAccount")
    assert account.inputs["allowSharedKeyAccess"] is False  # why the provider could not write one
    storage = azure_noaa20.one("azure-native:web:WebApp").inputs["functionAppConfig"]["deployment"]["storage"]
    assert storage["value"].endswith(f".blob.core.windows.net/{flexpackage.DEPLOYMENT_CONTAINER}")
    assert storage["authentication"] == {"type": "SystemAssignedIdentity"}
    containers = [c.inputs["containerName"] for c in azure_noaa20.of_type("azure-native:storage:BlobContainer")]
    assert flexpackage.DEPLOYMENT_CONTAINER in containers


def test_the_app_is_created_after_the_containers_its_host_and_deployment_need(azure_noaa20) -> None:
    """The package container was named by a constant and the host's lease and key containers not
    at all: Pulumi could create the app first, and its grants, scoped to those containers, let
    the host create none of them itself."""
    app = azure_noaa20.one("azure-native:web:WebApp")
    containers = {c.name: c.urn for c in azure_noaa20.of_type("azure-native:storage:BlobContainer")}
    needed = {f"noaa20-processing-{child}" for child in ("deployment", "host", "host-secrets")}
    assert needed <= set(containers) and {containers[n] for n in needed} <= set(app.dependencies)
    deployment = azure_noaa20.one("azure-native:storage:BlobContainer", "noaa20-processing-deployment")
    assert deployment.urn in app.propertyDependencies["functionAppConfig"]  # its URL names the container


def _wheels(folder: Path) -> Path:
    """A stand-in for the archive `make function-deps` builds: one module, one extension."""
    return stand_in(
        folder,
        BUNDLES["azure"],
        [("numpy/__init__.py", b"version = 1\n", 0o644), ("numpy/_core.so", b"\x7fELF", 0o755)],
    )


def test_the_package_holds_the_app_its_host_settings_and_the_wheels_where_the_runtime_finds_them(tmp_path) -> None:
    files = flexpackage.entries(900, _wheels(tmp_path))
    assert {"function_app.py", "host.json", "requirements.txt", "groundlink/processing/__init__.py"} <= set(files)
    assert files[".python_packages/lib/site-packages/numpy/__init__.py"] == (b"version = 1\n", 0o644)
    assert files[".python_packages/lib/site-packages/numpy/_core.so"] == (b"\x7fELF", 0o755)
    host = json.loads(files["host.json"][0])
    # a Python app's Service Bus trigger comes from the extension bundle: without it, no trigger
    assert host["extensionBundle"] == {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.0.0, 5.0.0)"}
    assert host["functionTimeout"] == "00:15:00"
    assert host["extensions"]["serviceBus"] == {
        "maxAutoLockRenewalDuration": "00:15:00",
        "maxConcurrentCalls": 1,
        "autoCompleteMessages": True,
    }


def test_the_same_files_give_the_same_bytes_and_the_digest_printed(tmp_path) -> None:
    files = flexpackage.entries(600, _wheels(tmp_path))
    first, second = tmp_path / "a" / "released-package.zip", tmp_path / "b" / "released-package.zip"
    size, digest = flexpackage.write_package(files, first)
    assert flexpackage.write_package(files, second) == (size, digest)
    assert first.read_bytes() == second.read_bytes() and hashlib.sha256(first.read_bytes()).hexdigest() == digest
    assert first.stat().st_size == size
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names) and {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_file_of_the_users_named_as_a_partial_package_is_left_alone(tmp_path) -> None:
    """Every run wrote through the one name `<out>.partial`: a user's `release.partial` was
    overwritten and removed, and two runs into one --out wrote into one file, one of them
    printing the other's digest. Each writes a hidden temporary file of its own."""
    (tmp_path / "release.partial").write_text("my notes")
    _, digest = flexpackage.write_package({"a.txt": (b"x", 0o644)}, tmp_path / "release.zip")
    assert (tmp_path / "release.partial").read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["release.partial", "release.zip"]
    assert hashlib.sha256((tmp_path / "release.zip").read_bytes()).hexdigest() == digest


def test_a_package_over_the_limit_is_refused_and_nothing_is_left(tmp_path) -> None:
    out = tmp_path / "released-package.zip"
    with pytest.raises(flexpackage.BuildError) as caught:
        flexpackage.write_package({"a.txt": (b"x", 0o644)}, out, limit=10)
    assert str(caught.value).startswith("processing: the Flex package zips to ")
    assert str(caught.value).endswith(" bytes: over the package limit of 10")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_package_for_a_spec(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    _wheels(tmp_path)
    assert flexpackage.main([str(SPECS / "noaa20.yaml")]) == 0
    out = tmp_path / "build" / "processing" / "released-package.zip"
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    planned = _code_setting(cached_plan("noaa20.yaml", "azure"))
    assert capsys.readouterr().out == (
        f"build/processing/released-package.zip: {out.stat().st_size:,} bytes, sha256 {digest}\n"
        f"code sha256 {planned} (the app setting GROUNDLINK_CODE_SHA256 the stack plans)\n"
    )
    # the deployer can check a package against the stack: the digest of its own files, path by path
    with zipfile.ZipFile(out) as archive:
        own = sorted(n for n in archive.namelist() if not n.startswith(".python_packages/"))
        lines = "".join(f"{n}\0{hashlib.sha256(archive.read(n)).hexdigest()}\n" for n in own)
    assert own == sorted(["function_app.py", "host.json", "requirements.txt", *package_files()])
    assert hashlib.sha256(lines.encode()).hexdigest() == planned


def _code_setting(plan) -> str:
    (app,) = [r for r in plan.of_type("azure-native:web:WebApp") if r.custom]
    settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
    return settings["GROUNDLINK_CODE_SHA256"]


@pytest.mark.engine_runs  # the plan is the subject: built anew, not the session's
def test_a_code_change_is_an_update_of_the_app_and_of_nothing_else(tmp_path, monkeypatch) -> None:
    """The package is uploaded outside Pulumi; the digest of its code in the app's settings is
    what makes a code change show in the plan, as an in-place update (the app keeps its name,
    identity and grants)."""
    from groundlink.engine import plan

    before = cached_plan("noaa20.yaml", "azure")
    files = package_files()
    fixed = tmp_path / "processor.py"
    fixed.write_bytes(files["groundlink/processing/processor.py"].read_bytes() + b"\n# a fix\n")
    monkeypatch.setattr(flexpackage, "package_files", lambda: {**files, "groundlink/processing/processor.py": fixed})
    after = plan(SPECS / "noaa20.yaml", "azure")
    assert _code_setting(after) != _code_setting(before)
    (diff,) = diff_against(
        str(SPECS / "noaa20.yaml"),
        str(SPECS / "noaa20.yaml"),
        ["azure"],
        new_plans={"azure": after},
        planner=lambda spec, cloud: before,
    )
    assert [(c.action, c.type) for c in diff.changes] == [("update", "azure-native:web:WebApp")]
    assert not diff.data_loss


def test_the_code_digest_follows_the_pins_and_the_timeout(monkeypatch) -> None:
    base = flexpackage.code_digest(600)
    assert flexpackage.code_digest(600) == base  # the same code, the same digest
    assert flexpackage.code_digest(900) != base  # host.json's functionTimeout
    monkeypatch.setattr(flexpackage, "requirements", lambda cloud: "numpy==1.0\n")
    assert flexpackage.code_digest(600) != base


def test_the_command_refuses_in_one_line(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert flexpackage.main([str(SPECS / "noaa20.yaml")]) == 2  # no wheels built here
    assert capsys.readouterr().err.startswith("processing: build/processing/azure-python-packages.zip is not built")
    _wheels(tmp_path)
    data = spec_data()
    data["processing"] = {
        "mode": "container_job",
        "container_image": "registry.example/groundlink:1",
        "timeout_seconds": 3600,
    }
    job = write_spec(tmp_path, data)
    assert flexpackage.main([str(job)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == (
        f"{job}: processing.mode: the Flex package is for mode function with processing.enabled: true "
        "(this spec: enabled true, mode container_job)"
    )
    # the field named is the one to change: processing off named processing.mode, already function
    data = spec_data()
    data["processing"]["enabled"] = False
    off = write_spec(tmp_path, data, "off.yaml")
    assert flexpackage.main([str(off)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"{off}: processing.enabled: the Flex package is for mode function with processing.enabled: true "
        "(this spec: enabled false, mode function)"
    ]
    broken = write_spec(tmp_path, {**spec_data(), "budget": "lots"}, "broken.yaml")
    assert flexpackage.main([str(broken)]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert not (tmp_path / "build" / "processing" / "released-package.zip").exists()


@pytest.mark.parametrize("where", ["read-only", "under-a-file", "is-a-directory"])
def test_an_out_that_cannot_be_written_is_one_line_before_the_package_is_built(
    tmp_path, monkeypatch, capsys, where
) -> None:
    monkeypatch.chdir(tmp_path)
    _wheels(tmp_path)
    monkeypatch.setattr(flexpackage, "entries", lambda *a: pytest.fail("built although --out cannot be written"))
    (tmp_path / "file").write_text("x")
    (tmp_path / "directory").mkdir()
    out = {
        "read-only": Path("/proc") / f"groundlink-{uuid.uuid4().hex}" / "released-package.zip",
        "under-a-file": tmp_path / "file" / "released-package.zip",
        "is-a-directory": tmp_path / "directory",
    }[where]
    assert flexpackage.main([str(SPECS / "noaa20.yaml"), "--out", str(out)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"groundlink: --out {out}: ")


def test_a_write_failing_mid_package_is_one_line_and_leaves_no_partial_file(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    _wheels(tmp_path)
    out = tmp_path / "new" / "released-package.zip"
    real = zipfile.ZipFile.writestr

    def disk_full(self, info, data, *args, **kwargs):
        if str(info.filename if hasattr(info, "filename") else info).startswith("groundlink/"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", disk_full)
    assert flexpackage.main([str(SPECS / "noaa20.yaml"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"groundlink: --out {out}: cannot write (No space left on device)\n"
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("what", ["the spec", "the dependency archive", "the Lambda layer", "empty"])
def test_an_out_that_is_an_input_or_empty_is_refused_before_anything_is_written(
    tmp_path, monkeypatch, capsys, what
) -> None:
    """`--out SPEC` wrote the package over the spec (exit 0), as `plan --json SPEC` is refused;
    the archive of wheels the package is built from, likewise, and the Lambda layer, which an
    offline plan then read as the layer's bytes; `--out ''` named the directory."""
    monkeypatch.chdir(tmp_path)
    _wheels(tmp_path)
    monkeypatch.setattr(flexpackage, "entries", lambda *a: pytest.fail("built although --out is refused"))
    spec = tmp_path / "noaa20.yaml"
    spec.write_bytes((SPECS / "noaa20.yaml").read_bytes())
    archive, layer = (str(flexpackage.BUNDLES[cloud].path) for cloud in ("azure", "aws"))
    Path(layer).write_bytes(b"the layer")
    out = {"the spec": str(spec), "the dependency archive": archive, "the Lambda layer": layer, "empty": ""}[what]
    before = {p: p.read_bytes() for p in (spec, Path(archive), Path(layer))}
    assert flexpackage.main([str(spec), "--out", out]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    if what == "empty":
        assert line == "groundlink: --out: an empty path; give a file path"
    else:
        assert (
            line == f"groundlink: --out {out}: is {what} ({out}); writing it would lose that input; choose another file"
        )
    assert {p: p.read_bytes() for p in before} == before


def test_only_modules_go_into_the_code_a_checkout_s_other_files_stay_out(tmp_path, monkeypatch):
    """An Emacs lock file (`.#processor.py`, a dangling link) crashed every Azure plan and put an
    unreadable file in the Lambda code; a macOS copy's `._classify.py` changed the code of both
    clouds with no module changed. Only what import can load is packaged."""
    import shutil

    from groundlink.runtime import package

    copy = tmp_path / "groundlink"
    shutil.copytree(package.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(package, "ROOT", copy)
    clean = sorted(package.package_files())
    (copy / "processing" / ".#processor.py").symlink_to("user@host.12345:1733420000")
    (copy / "processing" / "._classify.py").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    (copy / "runtime" / "notes-2.py").write_text("draft = 1\n")
    assert sorted(package.package_files()) == clean
    assert "groundlink/processing/processor.py" in clean
