"""The processor's third-party wheels, built for each cloud's function runtime (`make function-deps`).

Neither function runtime installs `requirements.txt` from a package deployed the way this stack
deploys it: Lambda runs what its archive and layers hold, and a Flex Consumption app whose
package is uploaded to its deployment container runs without a remote build, finding its
dependencies under `.python_packages/lib/site-packages` (docs/processing.md, "Dependencies").
So the wheels are fetched here, for the runtime's Python, platform and architecture (manylinux
binary wheels only, never a local build), at the versions pinned in `requirements.lock` for the
processor and in `groundlink.runtime.package.AZURE_REQUIREMENTS` for the Azure runtime, and zipped
reproducibly: sorted entries, fixed timestamps and modes, so the same pins give the same bytes
and the plan shows no change.

The Pulumi program takes Lambda's archive as an asset and refuses, in one line, to run without it;
`make flex-package` builds the Flex app's package from Azure's (groundlink/flexpackage.py).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging import tags

from .outputs import MKSTEMP_RANDOM, keep_mode, sibling_stem
from .runtime.package import AZURE_REQUIREMENTS, PROCESSOR_REQUIREMENTS, pinned

# Relative to the project directory, where `make` and the Pulumi CLI run.
ARTIFACTS_DIR = Path("build") / "processing"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
# Lambda: "Unzipped size must be smaller than 262144000 bytes" for a function and its layers
# together; 50 MB zipped when uploaded directly, larger archives through S3 (docs/processing.md).
LAMBDA_UNZIPPED_MAX = 262_144_000
LAMBDA_DIRECT_UPLOAD_MAX = 50 * 1024 * 1024
# Flex Consumption runs from its package, and "the maximum size for a deployment package file is
# 1 GB" (Microsoft Learn, "Run your functions from a package file in Azure"); read as 10**9 bytes,
# the smaller reading of "GB". No unzipped limit is documented (docs/processing.md).
FLEX_PACKAGE_MAX = 1_000_000_000


@dataclass(frozen=True)
class Bundle:
    """One cloud's dependency archive: what it holds, for which runtime, where entries go."""

    cloud: str
    python_version: str  # the function runtime's Python, major.minor
    platforms: tuple[str, ...]  # pip --platform tags the runtime's glibc and architecture accept
    prefix: str  # where the runtime looks inside the archive
    filename: str
    unzipped_max: int | None  # the runtime's limit on the extracted size, when it has one
    zipped_max: int | None = None  # the runtime's limit on the package file, when the wheels ride in it
    # stored, not deflated, where a plan digests the archive's bytes (the Lambda layer is a
    # Pulumi file asset): deflate's output depends on the zlib the interpreter links (zlib-ng,
    # the system zlib of Fedora 40 and later, writes other bytes than zlib for the same
    # entries), and the layer was published again from one teammate's machine to the next
    stored: bool = False

    @property
    def path(self) -> Path:
        return ARTIFACTS_DIR / self.filename

    def requirements(self) -> list[str]:
        lines = pinned(PROCESSOR_REQUIREMENTS)
        if self.cloud == "azure":
            lines += list(AZURE_REQUIREMENTS)
        return lines


BUNDLES = {
    # python3.12 on arm64 (components/aws/processing.py); Amazon Linux 2023's glibc is 2.34
    "aws": Bundle(
        "aws",
        "3.12",
        ("manylinux_2_28_aarch64", "manylinux2014_aarch64", "manylinux_2_17_aarch64"),
        "python/",
        "aws-lambda-layer.zip",
        LAMBDA_UNZIPPED_MAX,
        stored=True,
    ),
    # Python 3.11 on Linux x86_64 (components/azure/processing.py)
    "azure": Bundle(
        "azure",
        "3.11",
        ("manylinux_2_28_x86_64", "manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_5_x86_64"),
        "",
        "azure-python-packages.zip",
        None,
        FLEX_PACKAGE_MAX,
    ),
}


class BuildError(Exception):
    """The archive could not be built or breaks the runtime's limits; one line for the user."""


def _canonical(name: str) -> str:
    """A distribution's name as PEP 503 compares it (a wheel's .dist-info spells `-` as `_`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def built_versions(archive: zipfile.ZipFile, bundle: Bundle) -> dict[str, str]:
    """The distributions `bundle`'s archive holds, by canonical name: its wheels' `.dist-info` folders."""
    found: dict[str, str] = {}
    for entry in archive.namelist():
        top = entry.removeprefix(bundle.prefix).split("/", 1)[0]
        if entry.startswith(bundle.prefix) and top.endswith(".dist-info"):
            name, _, version = top.removesuffix(".dist-info").rpartition("-")
            found[_canonical(name)] = version
    return found


def built_for_another_runtime(archive: zipfile.ZipFile, bundle: Bundle) -> list[str]:
    """The archive's wheels that the bundle's runtime cannot load, each as `name (its tag)`: a
    wheel whose tags (its `.dist-info/WHEEL`) hold none that CPython `python_version` on
    `platforms` takes, as pip decides (packaging.tags). The versions alone were compared: an
    archive built before a runtime moved (Python 3.11 to 3.12, x86_64 to arm64) passed, and
    numpy failed to import in the cloud."""
    python = tuple(int(part) for part in bundle.python_version.split("."))
    platforms = _with_older_manylinux(bundle.platforms)
    supported = {
        *tags.cpython_tags(python_version=python, platforms=platforms),
        *tags.compatible_tags(python_version=python, platforms=platforms),
    }
    wrong = []
    for entry in sorted(archive.namelist()):
        inside = entry.removeprefix(bundle.prefix).split("/")
        if not entry.startswith(bundle.prefix) or len(inside) != 2 or inside[1] != "WHEEL":
            continue
        if not inside[0].endswith(".dist-info"):
            continue
        lines = archive.read(entry).decode("utf-8", "replace").splitlines()
        found = [tag for line in lines if line.startswith("Tag:") for tag in tags.parse_tag(line[4:].strip())]
        if found and not supported.intersection(found):
            wrong.append(f"{inside[0].removesuffix('.dist-info').rpartition('-')[0]} ({found[0]})")
    return wrong


_LEGACY_MANYLINUX = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}


def _with_older_manylinux(platforms: Sequence[str]) -> list[str]:
    """`platforms` and every older glibc's manylinux tag of the same machine, as pip expands a
    `--platform` it is given (pip's compatibility_tags `_custom_manylinux_platforms`): a wheel
    for glibc 2.17 installs where 2.28 is asked for."""
    expanded = list(platforms)
    for platform in platforms:
        match = re.fullmatch(r"manylinux_2_(\d+)_(\w+)|(manylinux2014|manylinux2010|manylinux1)_(\w+)", platform)
        if match is None:
            continue
        glibc = int(match[1]) if match[1] else _LEGACY_MANYLINUX[match[3]]
        machine = match[2] or match[4]
        for minor in range(glibc, 4, -1):
            expanded.append(f"manylinux_2_{minor}_{machine}")
        expanded += [f"{legacy}_{machine}" for legacy, minor in _LEGACY_MANYLINUX.items() if minor <= glibc]
    return list(dict.fromkeys(expanded))


def _stale(bundle: Bundle, before: str) -> str | None:
    """One line when the archive's wheels are not the pinned versions (built before a pin
    changed: `build/` outlives a `git pull` that rebuilds the venv), or None. Shipped as it was,
    the Flex package's requirements.txt named the new pins beside the old wheels, and its code
    digest still matched the plan's."""
    try:
        with zipfile.ZipFile(bundle.path) as archive:  # read once: the layer is some 212 MB
            found = built_versions(archive, bundle)
            # the wheels' tags and the entries' compression are read from it too: a damaged entry
            # (a bad CRC, a `Tag:` line packaging cannot parse) is the archive's to rebuild
            other = built_for_another_runtime(archive, bundle)
            deflated = bundle.stored and any(i.compress_type != zipfile.ZIP_STORED for i in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        return f"processing: {bundle.path} cannot be read ({error}): run `make function-deps` again, before {before}"
    wrong = []
    pinned = {}
    for requirement in bundle.requirements():
        name, _, version = requirement.partition("==")
        pinned[_canonical(name)] = version
        held = found.get(_canonical(name))
        if held != version:
            wrong.append(f"{name} {held or 'missing'} where the pins give {version}")
    # the archive holds what the pins list and nothing more (a requirement dropped since it was built)
    wrong += [f"{name} {found[name]}, which the pins no longer list" for name in sorted(set(found) - set(pinned))]
    if not wrong and deflated:
        # built before the layer was stored: its bytes are those of the builder's zlib, and a
        # stored layer built elsewhere differs from it, so each one's `up` published it again
        return (
            f"processing: {bundle.path} was built deflated, where the layer is now stored so that every machine "
            f"builds the same bytes: run `make function-deps` again, before {before}"
        )
    if not wrong and other:
        more = f" and {len(other) - 3} more" if len(other) > 3 else ""
        return (
            f"processing: {bundle.path} holds wheels for another runtime than CPython {bundle.python_version} on "
            f"{bundle.platforms[0]} ({'; '.join(other[:3])}{more}): run `make function-deps` again, before {before}"
        )
    if not wrong:
        return None
    more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
    return (
        f"processing: {bundle.path} was built for other pins ({'; '.join(wrong[:3])}{more}): run `make function-deps` "
        f"again (after every change of requirements.lock), before {before}"
    )


def missing(cloud: str) -> str | None:
    """One line saying the cloud's archive is not built, or built for other pins; None when it
    holds the pinned wheels."""
    bundle = BUNDLES[cloud]
    # Lambda's layer is a Pulumi asset; the Flex package is built from the archive by make flex-package
    before = "pulumi preview or up" if cloud == "aws" else "make flex-package"
    if bundle.path.is_file():
        return _stale(bundle, before)
    return (
        f"processing: {bundle.path} is not built: run `make function-deps`, or `python -m groundlink.functiondeps "
        f"{cloud}` in a project without the Makefile (the processor's wheels for the {cloud} function runtime, "
        f"Python {bundle.python_version}), before {before}"
    )


def unzipped_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def write_zip(
    folder: Path, archive: Path, prefix: str, fits: Callable[[int], None] | None = None, stored: bool = False
) -> None:
    """Every file under `folder` into `archive` under `prefix` (see `write_entries`), executables
    0755, the rest 0644."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    write_entries(
        (
            (
                prefix + path.relative_to(folder).as_posix(),
                path.read_bytes(),
                0o755 if path.stat().st_mode & 0o111 else 0o644,
            )
            for path in files
        ),
        archive,
        fits,
        stored,
    )


def write_entries(
    entries: Iterable[tuple[str, bytes, int]],
    archive: Path,
    fits: Callable[[int], None] | None = None,
    stored: bool = False,
) -> tuple[int, str]:
    """(name, content, mode) entries into `archive` in name order with fixed times: the same
    entries give the same bytes (`stored`: on any machine, where deflate's depend on its zlib).
    Written to a hidden temporary sibling of its own, then moved in place once `fits` (given the
    zipped size) accepts it; refused, the temporary file is removed.
    The size and SHA-256 of the bytes written, read before the move: another run writing the same
    archive may replace it at once after. One `.partial` name shared by every run let two runs
    write into one file, one of them printing the other's digest, and took a user's file of that
    name."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    short = sibling_stem(archive.name, MKSTEMP_RANDOM + len(".tmp"), archive.parent)
    fd, name = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=archive.parent)
    partial = Path(name)
    try:
        with open(fd, "w+b") as handle:
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with zipfile.ZipFile(handle, "w", method, compresslevel=None if stored else 9) as out:
                for entry_name, content, mode in sorted(entries):
                    entry = zipfile.ZipInfo(entry_name, ZIP_EPOCH)
                    entry.external_attr = mode << 16
                    entry.compress_type = method
                    out.writestr(entry, content)
            handle.seek(0)
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
            size = handle.tell()
        if fits is not None:
            fits(size)
        keep_mode(partial, archive)
        partial.replace(archive)
    except BaseException:  # refused, or a write that failed (a full disk): no temporary file stays
        partial.unlink(missing_ok=True)
        raise
    return size, digest


def check_size(bundle: Bundle, size: int, code_size: int) -> None:
    if bundle.unzipped_max is not None and size + code_size >= bundle.unzipped_max:
        raise BuildError(
            f"processing: the {bundle.cloud} dependencies unzip to {size:,} bytes, with the function's "
            f"{code_size:,}: over the runtime's {bundle.unzipped_max:,}"
        )


def check_zipped(bundle: Bundle, size: int, code_size: int) -> None:
    """The package the runtime fetches holds these wheels zipped and the code beside them."""
    if bundle.zipped_max is not None and size + code_size > bundle.zipped_max:
        raise BuildError(
            f"processing: the {bundle.cloud} dependencies zip to {size:,} bytes, with the function's "
            f"{code_size:,}: over the package limit of {bundle.zipped_max:,}"
        )


def pip_command(bundle: Bundle, target: Path, requirements: Path) -> list[str]:
    """pip installs exactly the pinned set (no resolution, no sdist build) for the runtime."""
    platforms = [arg for tag in bundle.platforms for arg in ("--platform", tag)]
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-deps",
        "--only-binary=:all:",
        "--no-compile",
        "--implementation",
        "cp",
        "--python-version",
        bundle.python_version,
        *platforms,
        "--target",
        str(target),
        "--requirement",
        str(requirements),
    ]


def forget_files_outside(target: Path) -> None:
    """Drop the RECORD lines of files pip wrote outside `target` (console scripts in ../../bin,
    removed above): their hashes cover a first line naming this machine's interpreter, so they
    made the archive differ from one checkout to another for the same pins."""
    for record in target.glob("*.dist-info/RECORD"):
        lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not line.startswith("../")]
        if len(kept) != len(lines):
            record.write_text("".join(kept), encoding="utf-8")


def build(bundle: Bundle, code_size: int = 0) -> Path:
    with tempfile.TemporaryDirectory(prefix=f"groundlink-{bundle.cloud}-deps-") as scratch:
        target, requirements = Path(scratch) / "site-packages", Path(scratch) / "requirements.txt"
        requirements.write_text("\n".join(bundle.requirements()) + "\n")
        result = subprocess.run(pip_command(bundle, target, requirements), capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["pip failed"])[-1]
            raise BuildError(f"processing: fetching the {bundle.cloud} wheels failed: {last}")
        # bytecode is the runtime's to write; console scripts name this machine's interpreter
        for cache in [*target.rglob("__pycache__"), target / "bin"]:
            shutil.rmtree(cache, ignore_errors=True)
        forget_files_outside(target)
        check_size(bundle, unzipped_size(target), code_size)
        write_zip(
            target, bundle.path, bundle.prefix, lambda zipped: check_zipped(bundle, zipped, code_size), bundle.stored
        )
    return bundle.path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m groundlink.functiondeps", description=__doc__)
    parser.add_argument("clouds", nargs="*", help=f"the clouds to build for: {', '.join(BUNDLES)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [cloud for cloud in args.clouds if cloud not in BUNDLES]
    if unknown:
        print(f"clouds: {unknown[0]!r} is not allowed; allowed: {', '.join(BUNDLES)}", file=sys.stderr)
        return 2
    from .runtime.package import package_files

    code_size = sum(p.stat().st_size for p in package_files().values())
    try:
        for cloud in args.clouds or sorted(BUNDLES):
            path = build(BUNDLES[cloud], code_size)
            print(f"{path}: {path.stat().st_size:,} bytes")
    except BuildError as error:
        print(error, file=sys.stderr)
        return 2
    except OSError as error:
        from .outputs import reason

        print(f"{error.filename}: cannot write ({reason(error)})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    from .tool import run_tool

    run_tool(main)
