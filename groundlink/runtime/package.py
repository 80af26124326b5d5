"""What the cloud runs: the files of `groundlink.runtime` and every module of groundlink's own
they import (the processor in `groundlink.processing`, `interrupt`), found by following their
imports, plus the third-party requirements they import, pinned to the versions installed with
groundlink.

Both clouds' functions and the container image are built from this one list, so the code in
the cloud is the code `groundlink process` runs on a laptop.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the groundlink package
ENTRY_PACKAGE = "runtime"  # the handlers and the job, whose imports say what else goes
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
    """Archive path -> source file, for every module the runtime needs (no tests, no caches):
    the entry package's modules and what they import of groundlink, transitively, each with its
    packages' `__init__.py`. Every module of `processing` went before, `query` (DuckDB, the CLI's
    `groundlink query`) and `throughput` (the benchmark's) among them: neither imports in the
    cloud, and an edit of either changed the Lambda code and the Flex and image digests, telling
    the operator to upload and rebuild with no code of theirs changed."""
    todo = [
        ROOT / "__init__.py",
        *(
            path
            for path in sorted((ROOT / ENTRY_PACKAGE).glob("*.py"))
            # a module import can load: an editor's lock file (Emacs's `.#processor.py`, a
            # dangling link) or a macOS copy's `._classify.py` beside them crashed the Azure
            # plan, or put a file in the Lambda code that changed it with no code changed
            if path.stem.isidentifier() and path.is_file()
        ),
    ]
    files: dict[str, Path] = {}
    while todo:
        path = todo.pop()
        archived = "groundlink/" + path.relative_to(ROOT).as_posix()
        if archived in files:
            continue
        files[archived] = path
        # the packages it sits in run first, and what their `__init__.py` imports goes too
        todo.extend(ROOT / parent / "__init__.py" for parent in path.relative_to(ROOT).parents[:-1])
        found = path.stat()
        imported = _groundlink_imports(path, (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
        todo.extend(module for module in map(_module_file, imported) if module is not None)
    return dict(sorted(files.items()))


@functools.lru_cache(maxsize=256)
def _groundlink_imports(path: Path, version: tuple[int, int, int, int]) -> tuple[str, ...]:
    """The dotted names of groundlink's own modules `path` imports, wherever in it (a function's
    deferred import included), leaving out those under `if TYPE_CHECKING:`, which never run.
    Once per version of the file in a process (size, modification and change times, inode): every
    plan of a processing stack lists the package, and parsing it each time was some 90 ms a plan."""
    return tuple(_imports_in(path))


def _imports_in(path: Path) -> Iterator[str]:
    module = ".".join(("groundlink", *path.relative_to(ROOT).with_suffix("").parts))
    package = module.removesuffix(".__init__") if path.name == "__init__.py" else module.rpartition(".")[0]
    todo: list[ast.AST] = [ast.parse(path.read_bytes(), str(path))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            named = ".".join([*base, *([node.module] if node.module else [])])
            yield named
            yield from (f"{named}.{alias.name}" for alias in node.names)  # `from . import delivery`
        todo.extend(ast.iter_child_nodes(node))


def _module_file(name: str) -> Path | None:
    """The source file of groundlink module `name` (a package's `__init__.py`), or None for a
    name that is no module of groundlink's (a class, another package)."""
    head, *parts = name.split(".")
    if head != "groundlink" or not parts:
        return None
    module, package = ROOT.joinpath(*parts).with_suffix(".py"), ROOT.joinpath(*parts, "__init__.py")
    return module if module.is_file() else package if package.is_file() else None


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
