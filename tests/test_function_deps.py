"""The processor's third-party wheels reach both function runtimes: built for the runtime by
`make function-deps`, carried as a Lambda layer and under the Flex app's .python_packages
(tests/test_flex_package.py), and the Pulumi program refuses in one line to deploy a function
without them."""

from __future__ import annotations

import re
import zipfile
import zlib
from importlib import metadata
from pathlib import Path

import pytest

from groundlink import functiondeps
from groundlink.engine.runner import run_program, stack_config
from groundlink.errors import PlanError
from groundlink.functiondeps import BUNDLES
from groundlink.spec import load_spec

from .conftest import ROOT, SPECS
from .wheel_archives import stand_in

LOCK = (ROOT / "requirements.lock").read_text()


def _locked(name: str) -> str:
    (line,) = [line for line in LOCK.splitlines() if line.lower().startswith(f"{name}==")]
    return line.split()[0]


def test_each_bundle_pins_the_processor_to_the_lock_and_targets_its_runtime() -> None:
    for cloud, python, machine in (("aws", "3.12", "aarch64"), ("azure", "3.11", "x86_64")):
        bundle = BUNDLES[cloud]
        wanted = {_locked(name) for name in ("dpkt", "numpy", "pyarrow")}
        assert wanted <= set(bundle.requirements())
        assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][\w.]*", line) for line in bundle.requirements())
        command = functiondeps.pip_command(bundle, Path("t"), Path("r.txt"))
        assert {"--no-deps", "--only-binary=:all:"} <= set(command)
        assert command[command.index("--python-version") + 1] == python
        platforms = [command[i + 1] for i, arg in enumerate(command) if arg == "--platform"]
        assert platforms and all(p.startswith("manylinux") and p.endswith(machine) for p in platforms)
    # the Azure app also needs its own runtime's libraries, each pinned
    assert any(line.startswith("azure-identity==") for line in BUNDLES["azure"].requirements())
    assert not any(line.startswith("azure-") for line in BUNDLES["aws"].requirements())


def _tree(root: Path) -> Path:
    (root / "numpy" / "core").mkdir(parents=True)
    (root / "numpy" / "__init__.py").write_text("version = 1\n")
    (root / "numpy" / "core" / "_multiarray.so").write_bytes(b"\x7fELF" + bytes(64))
    (root / "numpy" / "core" / "_multiarray.so").chmod(0o755)
    (root / "dpkt.py").write_text("pass\n")
    return root


def test_the_archive_is_the_same_bytes_for_the_same_files_with_the_runtime_prefix(tmp_path) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    functiondeps.write_zip(_tree(tmp_path / "one"), first, "python/")
    functiondeps.write_zip(_tree(tmp_path / "two"), second, "python/")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == [
        "python/dpkt.py",
        "python/numpy/__init__.py",
        "python/numpy/core/_multiarray.so",
    ]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [i.external_attr >> 16 for i in infos] == [0o644, 0o644, 0o755]
    assert not list(tmp_path.glob(".*.tmp")) and not list((tmp_path / "two").glob(".*.tmp"))


def test_the_lambda_layer_s_bytes_do_not_depend_on_the_zlib_of_the_machine_that_builds_it(
    tmp_path, monkeypatch
) -> None:
    """Deflate's output depends on the zlib the interpreter links (zlib-ng writes other bytes
    than zlib), and the plan digests the layer's bytes: built on another teammate's machine, the
    layer was published again. It is stored, which no zlib writes: the same bytes with a deflate
    that differs, and with none at all. The Flex package, digested by its files, stays deflated."""
    assert functiondeps.BUNDLES["aws"].stored and not functiondeps.BUNDLES["azure"].stored
    tree = _tree(tmp_path / "tree")
    built, deflated = tmp_path / "a.zip", tmp_path / "deflated.zip"
    functiondeps.write_zip(tree, built, "python/", stored=True)
    functiondeps.write_zip(tree, deflated, "python/")

    class OtherDeflate:  # another implementation's choices: valid, but other bytes
        Z_DEFAULT_COMPRESSION, DEFLATED, MAX_WBITS = -1, 8, 15
        crc32 = staticmethod(zlib.crc32)

        @staticmethod
        def compressobj(*args):
            return zlib.compressobj(0, *args[1:])

    for other in (OtherDeflate, None):
        monkeypatch.setattr(zipfile, "zlib", other)
        again = tmp_path / f"again-{other is None}.zip"
        functiondeps.write_zip(tree, again, "python/", stored=True)
        assert again.read_bytes() == built.read_bytes()
        if other is not None:  # where deflate's bytes are another zlib's
            functiondeps.write_zip(tree, tmp_path / "other.zip", "python/")
            assert (tmp_path / "other.zip").read_bytes() != deflated.read_bytes()
    with zipfile.ZipFile(built) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}


def test_a_missing_archive_is_one_line_naming_the_make_target(tmp_path, monkeypatch) -> None:
    """And the command itself, for a project of one's own, which has no Makefile."""
    monkeypatch.chdir(tmp_path)
    assert functiondeps.missing("aws") == (
        "processing: build/processing/aws-lambda-layer.zip is not built: run `make function-deps`, or "
        "`python -m groundlink.functiondeps aws` in a project without the Makefile (the processor's wheels for "
        "the aws function runtime, Python 3.12), before pulumi preview or up"
    )
    stand_in(tmp_path, BUNDLES["azure"])
    assert functiondeps.missing("azure") is None


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_an_archive_built_for_other_pins_is_one_line_naming_them(tmp_path, monkeypatch, cloud) -> None:
    """`build/` outlives a `git pull` that changes requirements.lock: the Flex package's
    requirements.txt named the new pins beside the old wheels, its code digest matched the plan's."""
    monkeypatch.chdir(tmp_path)
    stand_in(tmp_path, BUNDLES[cloud], numpy="2.3.0")
    pinned = metadata.version("numpy")
    before = "pulumi preview or up" if cloud == "aws" else "make flex-package"
    assert functiondeps.missing(cloud) == (
        f"processing: {BUNDLES[cloud].path} was built for other pins (numpy 2.3.0 where the pins give {pinned}): run "
        f"`make function-deps` again (after every change of requirements.lock), before {before}"
    )
    stand_in(tmp_path, BUNDLES[cloud], [(f"{BUNDLES[cloud].prefix}isodate-0.6.0.dist-info/METADATA", b"", 0o644)])
    if cloud == "aws":  # a wheel of a requirement dropped since the archive was built
        assert functiondeps.missing(cloud) == (
            f"processing: {BUNDLES[cloud].path} was built for other pins (isodate 0.6.0, which the pins no longer "
            f"list): run `make function-deps` again (after every change of requirements.lock), before {before}"
        )
    BUNDLES[cloud].path.write_bytes(b"not a zip")
    assert functiondeps.missing(cloud).startswith(f"processing: {BUNDLES[cloud].path} cannot be read (")


def test_the_program_refuses_to_deploy_a_function_without_its_dependencies(tmp_path, monkeypatch) -> None:
    from groundlink.program import main

    monkeypatch.chdir(tmp_path)
    spec_path = SPECS / "noaa20.yaml"
    config = stack_config(spec_path, "aws", load_spec(spec_path))
    with pytest.raises(PlanError) as caught:
        run_program(main, stack="noaa20-aws", region="us-west-2", config=config)
    assert str(caught.value) == functiondeps.missing("aws")


def test_the_function_runs_with_the_layer_uploaded_through_the_artifacts_bucket(aws_noaa20) -> None:
    function = aws_noaa20.one("aws:lambda/function:Function")
    layer = aws_noaa20.one("aws:lambda/layerVersion:LayerVersion")
    archive = aws_noaa20.one("aws:s3/bucketObjectv2:BucketObjectv2", "noaa20-processing-dependencies-archive")
    bucket = next(b for b in aws_noaa20.of_type("aws:s3/bucket:Bucket") if b.name == "noaa20-storage-artifacts")
    assert function.inputs["layers"] == [layer.outputs["arn"]]
    assert (layer.inputs["compatibleRuntimes"], layer.inputs["compatibleArchitectures"]) == (
        [function.inputs["runtime"]],
        function.inputs["architectures"],
    )
    assert (layer.inputs["s3Bucket"], layer.inputs["s3Key"]) == (bucket.outputs["bucket"], archive.inputs["key"])
    assert archive.inputs["bucket"] == bucket.outputs["id"]
    assert "processing.function" in layer.capability and "processing.function" in bucket.capability
    assert bucket.protect is True


def test_records_of_removed_console_scripts_are_dropped(tmp_path):
    """numpy's RECORD hashed bin/f2py, whose first line names the building interpreter: the
    layer's bytes followed the checkout's path. Only the lines of files outside the tree go."""
    info = tmp_path / "numpy-2.4.6.dist-info"
    info.mkdir()
    kept = "numpy/__init__.py,sha256=abc,10\nnumpy-2.4.6.dist-info/RECORD,,\n"
    (info / "RECORD").write_text("../../bin/f2py,sha256=def,200\n" + kept + "../../bin/numpy-config,sha256=g,9\n")
    functiondeps.forget_files_outside(tmp_path)
    assert (info / "RECORD").read_text() == kept


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_an_archive_of_wheels_for_another_runtime_is_one_line_naming_them(tmp_path, monkeypatch, cloud) -> None:
    """Only the versions were compared: an archive built before a runtime moved (Python 3.11 to
    3.12, x86_64 to arm64) passed with the right pins, and numpy failed to import in the cloud.
    A wheel's tags must hold one the runtime takes, as pip decides; a pure wheel fits any."""
    bundle = BUNDLES[cloud]
    other = "cp311-cp311-manylinux_2_17_x86_64" if cloud == "aws" else "cp312-cp312-manylinux_2_17_x86_64"
    # an older glibc than the ones named installs as pip expands them (numpy 2.4 is manylinux_2_27)
    fitting = "cp312-cp312-manylinux_2_27_aarch64" if cloud == "aws" else "cp311-cp311-manylinux_2_24_x86_64"
    numpy = f"{bundle.prefix}numpy-{metadata.version('numpy')}.dist-info/WHEEL"
    dpkt = f"{bundle.prefix}dpkt-{metadata.version('dpkt')}.dist-info/WHEEL"
    monkeypatch.chdir(tmp_path)
    stand_in(tmp_path, bundle, [(numpy, f"Wheel-Version: 1.0\nTag: {other}\n".encode(), 0o644)])
    before = "pulumi preview or up" if cloud == "aws" else "make flex-package"
    assert functiondeps.missing(cloud) == (
        f"processing: {bundle.path} holds wheels for another runtime than CPython {bundle.python_version} on "
        f"{bundle.platforms[0]} (numpy ({other})): run `make function-deps` again, before {before}"
    )
    fits = [(numpy, f"Tag: {fitting}\n".encode(), 0o644), (dpkt, b"Tag: py3-none-any\n", 0o644)]
    stand_in(tmp_path, bundle, fits)
    assert functiondeps.missing(cloud) is None


def test_three_wheels_for_another_runtime_are_all_named_with_nothing_more_said(tmp_path, monkeypatch) -> None:
    """The line names three wheels and counts the rest: with exactly three it ended "... and 0
    more", a fourth to look for that does not exist."""
    bundle = BUNDLES["aws"]
    other = "cp311-cp311-manylinux_2_17_x86_64"
    wheels = [
        (name.replace("-", "_"), version) for name, _, version in (r.partition("==") for r in bundle.requirements())
    ]
    assert [name for name, _ in wheels] == ["dpkt", "numpy", "pyarrow"]
    monkeypatch.chdir(tmp_path)
    tag = f"Wheel-Version: 1.0\nTag: {other}\n".encode()
    stand_in(tmp_path, bundle, [(f"{bundle.prefix}{n}-{v}.dist-info/WHEEL", tag, 0o644) for n, v in wheels])
    assert functiondeps.missing("aws") == (
        f"processing: {bundle.path} holds wheels for another runtime than CPython 3.12 on manylinux_2_28_aarch64 "
        f"(dpkt ({other}); numpy ({other}); pyarrow ({other})): run `make function-deps` again, before pulumi "
        "preview or up"
    )


def test_a_layer_built_deflated_before_it_was_stored_is_one_line_asking_for_a_rebuild(tmp_path, monkeypatch) -> None:
    """Its bytes are those of the zlib that built it, and a stored layer built elsewhere differs:
    each teammate's `up` published the layer again until everyone rebuilt, which nothing said.
    The Flex package stays deflated."""
    monkeypatch.chdir(tmp_path)
    for cloud in ("aws", "azure"):
        bundle = BUNDLES[cloud]
        built = stand_in(tmp_path, bundle)
        with zipfile.ZipFile(built) as archive:
            entries = [(info.filename, archive.read(info), 0o644) for info in archive.infolist()]
        functiondeps.write_entries(entries, built)  # deflated, as before the layer was stored
        before = "pulumi preview or up" if cloud == "aws" else "make flex-package"
        assert functiondeps.missing(cloud) == (
            None
            if cloud == "azure"
            else f"processing: {bundle.path} was built deflated, where the layer is now stored so that every machine "
            f"builds the same bytes: run `make function-deps` again, before {before}"
        )


@pytest.mark.parametrize("damage", ["crc", "tag"])
def test_an_archive_whose_wheel_tags_cannot_be_read_is_one_line(tmp_path, monkeypatch, damage) -> None:
    """The tags are read from each wheel's `.dist-info/WHEEL`: a damaged entry ended
    `pulumi preview` and `make flex-package` in a traceback (BadZipFile, InvalidTag)."""
    monkeypatch.chdir(tmp_path)
    bundle = BUNDLES["aws"]
    wheel = f"{bundle.prefix}numpy-{metadata.version('numpy')}.dist-info/WHEEL"
    text = b"Tag: cp312-cp312-manylinux_2_28_aarch64\n" if damage == "crc" else b"Tag: cp312\n"
    built = stand_in(tmp_path, bundle, [(wheel, text, 0o644)])
    if damage == "crc":
        data = bytearray(built.read_bytes())
        data[data.index(text)] ^= 0xFF  # a flipped byte in the stored entry
        built.write_bytes(bytes(data))
    line = functiondeps.missing("aws")
    assert line is not None and line.startswith(f"processing: {bundle.path} cannot be read (")
    assert line.endswith("): run `make function-deps` again, before pulumi preview or up")
