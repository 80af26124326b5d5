"""The Flex Consumption app's package, built on the deployer's machine for an upload with Entra ID.

A Flex Consumption app runs the package it finds in its deployment container. The mission's
storage account disables shared keys and its firewall refuses the deployer's address, and
pulumi-azure-native writes blobs only with the account's keys, so the Pulumi program does not
upload the package: `python -m groundlink.flexpackage SPEC` writes `released-package.zip` (the
processor and its runtime from the installed package, the app's entry point, a host.json with the
spec's timeout, the pinned requirements and the wheels `make function-deps` built, under
`.python_packages/lib/site-packages`), and the deployer uploads it with `az storage blob upload
--auth-mode login` from a machine the account admits (docs/processing.md, "Not automated here").
The zip is reproducible: sorted entries, fixed times and modes, so the same code and pins give the
same bytes and the same SHA-256.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .functiondeps import ARTIFACTS_DIR, BUNDLES, FLEX_PACKAGE_MAX, BuildError, missing, write_entries
from .runtime.azure_functions import CODE_DIGEST
from .runtime.package import AZURE_FUNCTION_APP, files_digest, package_files, requirements

DEPLOYMENT_CONTAINER = "processing-deployment"
PACKAGE_BLOB = "released-package.zip"
# where a Python app deployed without a remote build finds its dependencies (docs/processing.md)
SITE_PACKAGES = ".python_packages/lib/site-packages/"
# host.json: the function may run for the spec's timeout, and the trigger renews the message lock
# for as long (Service Bus locks last at most 5 minutes; the extension renews them). A Python app
# gets every trigger but HTTP and timer from the extension bundle it names: without the bundle the
# host has no `serviceBusTrigger` binding and the function is never indexed (Microsoft Learn,
# "Azure Functions extension bundles": `extensionBundle` in host.json, versions [4.0.0, 5.0.0)).
EXTENSION_BUNDLE = {"id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.0.0, 5.0.0)"}


def host_json(timeout_seconds: int) -> str:
    """The app's host.json for a function that may run `timeout_seconds`."""
    timeout = duration(timeout_seconds)
    host = {
        "version": "2.0",
        "extensionBundle": EXTENSION_BUNDLE,
        "functionTimeout": timeout,
        "extensions": {
            "serviceBus": {"maxAutoLockRenewalDuration": timeout, "maxConcurrentCalls": 1, "autoCompleteMessages": True}
        },
    }
    return json.dumps(host) + "\n"


def duration(seconds: int) -> str:
    """hh:mm:ss, as host.json writes a timespan."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def code_entries(timeout_seconds: int) -> dict[str, tuple[bytes, int]]:
    """Package path -> (content, mode) of the package's own files: everything but the wheels,
    which the pins in requirements.txt stand for."""
    files: dict[str, tuple[bytes, int]] = {path: (src.read_bytes(), 0o644) for path, src in package_files().items()}
    files["function_app.py"] = (AZURE_FUNCTION_APP.encode(), 0o644)
    files["host.json"] = (host_json(timeout_seconds).encode(), 0o644)
    files["requirements.txt"] = (requirements("azure").encode(), 0o644)
    return files


def code_digest(timeout_seconds: int) -> str:
    """SHA-256 of the package's own files, path by path: what the stack plans as the app's
    `GROUNDLINK_CODE_SHA256` setting and what this module prints beside the package it writes.

    The package is uploaded outside Pulumi, so without it a code change would show in no plan;
    with it, a change to the processor, its runtime, the pins or the spec's timeout is an update
    of the app in `pulumi preview` and `groundlink diff`, as a change of the Lambda's code archive
    is on AWS. The wheels are left out: the build machine's wheels need not exist where the stack
    is planned, and the pinned versions they are built from are in requirements.txt."""
    return files_digest({path: content for path, (content, _) in code_entries(timeout_seconds).items()})


def entries(timeout_seconds: int, wheels: Path) -> dict[str, tuple[bytes, int]]:
    """Package path -> (content, mode) of every file the app runs."""
    files = code_entries(timeout_seconds)
    with zipfile.ZipFile(wheels) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                files[SITE_PACKAGES + info.filename] = (archive.read(info), (info.external_attr >> 16) or 0o644)
    return files


def write_package(files: dict[str, tuple[bytes, int]], out: Path, limit: int = FLEX_PACKAGE_MAX) -> tuple[int, str]:
    """The package at `out`, moved in place only within `limit`; the size and SHA-256 of what
    this run wrote (`write_entries`)."""

    def fits(size: int) -> None:
        if size > limit:
            raise BuildError(
                f"processing: the Flex package zips to {size:,} bytes: over the package limit of {limit:,}"
            )

    return write_entries(((name, content, mode) for name, (content, mode) in files.items()), out, fits)


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import UsageError
    from .inputs import InputError, one_line
    from .path_args import FILE, SPEC, PathArg, prepared, refuse_overwriting

    parser = argparse.ArgumentParser(prog="python -m groundlink.flexpackage", description=__doc__)
    parser.add_argument("spec", help="the mission spec whose Azure processor the package is for")
    parser.add_argument("--out", default=str(ARTIFACTS_DIR / PACKAGE_BLOB), help="where to write it")
    args = parser.parse_args(argv)
    try:
        # the checks every groundlink command makes of its paths: an empty one, an output that is
        # the spec (the package was written over it), a spec given as a pipe read once
        with prepared(args, (PathArg("spec", SPEC), PathArg("--out", FILE))):
            # the archives `make function-deps` builds (from PyPI): the package's own input, and the
            # Lambda layer, which an offline plan would then read as the layer's bytes
            refuse_overwriting(
                Path(args.out),
                "--out",
                [
                    ("the dependency archive", str(BUNDLES["azure"].path)),
                    ("the Lambda layer", str(BUNDLES["aws"].path)),
                ],
            )
            return _build(args.spec, args.out)
    except InputError as error:
        print(one_line(str(error)), file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"groundlink: {one_line(str(error))}", file=sys.stderr)
        return 2


def _build(spec_path: str, out_given: str) -> int:
    from .errors import UsageError
    from .inputs import one_line
    from .outputs import check_file_target, file_location, output_path, writing
    from .spec import SpecError, load_spec

    try:
        spec = load_spec(Path(spec_path))
    except SpecError as error:
        print("\n".join(error.lines), file=sys.stderr)
        return 2
    if not (spec.processing.enabled and spec.processing.mode == "function"):
        field = "processing.enabled" if not spec.processing.enabled else "processing.mode"  # the one to change
        print(
            f"{spec_path}: {field}: the Flex package is for mode function with processing.enabled: true "
            f"(this spec: enabled {str(spec.processing.enabled).lower()}, mode {spec.processing.mode})",
            file=sys.stderr,
        )
        return 2
    problem = missing("azure")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    try:
        out = output_path(out_given, "--out")
        check_file_target(out, "--out", streams=False)  # before the package is built
        with writing(out, "--out"):
            size, digest = write_package(
                entries(spec.processing.timeout_seconds, BUNDLES["azure"].path), file_location(out)
            )
    except BuildError as error:
        print(one_line(str(error)), file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"groundlink: {one_line(str(error))}", file=sys.stderr)
        return 2
    print(f"{out}: {size:,} bytes, sha256 {digest}")
    print(f"code sha256 {code_digest(spec.processing.timeout_seconds)} (the app setting {CODE_DIGEST} the stack plans)")
    return 0


if __name__ == "__main__":
    from .tool import run_tool

    run_tool(main)
