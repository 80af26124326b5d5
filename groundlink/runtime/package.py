"""What the cloud runs: the files of `groundlink.processing` and `groundlink.runtime` (and the
one module of groundlink's own they import, `interrupt`), plus the third-party requirements
they import, pinned to the versions installed with groundlink.

Both clouds' functions and the container image are built from this one list, so the code in
the cloud is the code `groundlink process` runs on a laptop.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the groundlink package
PACKAGES = ("processing", "runtime")
MODULES = ("interrupt",)  # the processor holds stop signals back while it commits a contact
# What the processor imports (docs/processing.md); pinned to the installed versions.
PROCESSOR_REQUIREMENTS = ("dpkt", "numpy", "pyarrow")
# What the Azure runtime loads on the app (azure-functions, azure-identity, azure-storage-blob,
# azure-servicebus) and what they need, resolved once for CPython 3.11 on manylinux x86_64
# (pip install --dry-run --report, 2026-12-02) and pinned: no remote build installs them on the
# app, `make function-deps` packs exactly these (groundlink/functiondeps.py).
AZURE_REQUIREMENTS = (
    "azure-functions==1.26.0",
    "azure-identity==1.27.0",
    "azure-storage-blob==12.31.1",
    "azure-servicebus==7.15.0",
    "azure-core==1.41.0",
    "cryptography==50.0.2",
    "isodate==0.7.2",
    "msal==1.39.0",
    "msal-extensions==1.3.1",
    "typing_extensions==4.16.0",
    "Werkzeug==3.1.9",
    "cffi==2.1.1",
    "MarkupSafe==3.0.4",
    "requests==2.34.2",
    "certifi==2026.10.19.post1",
    "charset-normalizer==3.5.3",
    "idna==3.20",
    "urllib3==2.8.0",
    "pycparser==3.12",
    "PyJWT==2.15.1",
)
AWS_HANDLER = "groundlink.runtime.aws_lambda.handler"
# The Python v2 programming model finds the app in function_app.py at the package root.
AZURE_FUNCTION_APP = "from groundlink.runtime.azure_functions import build_app\n\napp = build_app()\n"


def package_files() -> dict[str, Path]:
    """Archive path -> source file, for every module the runtime needs (no tests, no caches)."""
    files = {"groundlink/__init__.py": ROOT / "__init__.py"}
    for module in MODULES:
        files[f"groundlink/{module}.py"] = ROOT / f"{module}.py"
    for package in PACKAGES:
        for path in sorted((ROOT / package).glob("*.py")):
            # a module import can load: an editor's lock file (Emacs's `.#processor.py`, a
            # dangling link) or a macOS copy's `._classify.py` beside them crashed the Azure
            # plan, or put a file in the Lambda code that changed it with no code changed
            if path.stem.isidentifier() and path.is_file():
                files[f"groundlink/{package}/{path.name}"] = path
    return files


def files_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 of `files` (path -> content), path by path: `path NUL sha256 LF` in path order."""
    lines = (f"{path}\0{hashlib.sha256(content).hexdigest()}\n" for path, content in sorted(files.items()))
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def image_digest() -> str:
    """The digest (`files_digest`) of what a container image of this version runs: the
    processor's and the runtimes' files and the processor's pinned requirements. The image is built
    and pushed outside Pulumi, so a job's definition holds it (`GROUNDLINK_CODE_SHA256`, as a Flex
    app's settings hold its package's): a groundlink upgrade that changes the processor is then an
    update the diff notes, telling the operator to build the image again."""
    files = {path: src.read_bytes() for path, src in package_files().items()}
    return files_digest({**files, "requirements.txt": requirements("aws").encode()})


def pinned(names: tuple[str, ...]) -> list[str]:
    """`name==version` for each of `names`, as installed here (requirements.lock pins them)."""
    return [f"{name}=={metadata.version(name)}" for name in names]


def requirements(cloud: str) -> str:
    """The requirements.txt that goes into the package for `cloud`."""
    lines = pinned(PROCESSOR_REQUIREMENTS)
    if cloud == "azure":
        lines += list(AZURE_REQUIREMENTS)
    return "\n".join(lines) + "\n"
