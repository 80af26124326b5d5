"""Stand-ins for the archives `make function-deps` builds: the wheels' `.dist-info` folders of
every pinned requirement (what `functiondeps.missing` checks against the pins), and the files a
test gives."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

from groundlink.functiondeps import Bundle


def stand_in(folder: Path, bundle: Bundle, files: Iterable[tuple[str, bytes, int]] = (), **versions: str) -> Path:
    """`bundle`'s archive under `folder`, holding `files` (name, content, mode) and a `.dist-info`
    folder per pinned requirement, at the pinned version unless `versions` (by module name) says
    another."""
    path = folder / bundle.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for requirement in bundle.requirements():
            name, _, version = requirement.partition("==")
            wheel_name = name.replace("-", "_")
            version = versions.get(wheel_name, version)
            archive.writestr(f"{bundle.prefix}{wheel_name}-{version}.dist-info/METADATA", f"Name: {name}\n")
        for name, content, mode in files:
            entry = zipfile.ZipInfo(name)
            entry.external_attr = mode << 16
            archive.writestr(entry, content)
    return path
