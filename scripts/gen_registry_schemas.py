"""Copy the CloudFormation registry schemas of the aws-native types groundlink plans into the
package (groundlink/preflight/registry_schemas.json), from the bundle cfn-lint ships.

cfn-lint is not a dependency of the toolkit: this script downloads its pinned wheel from PyPI
(`pip download`) unless given one, reads the schemas of REGISTRY_TYPES for REGION, and writes
them whole with where they were read. Run it when the pin moves; tests/test_preflight.py keeps a
schema for every aws-native type the example plans create.

    .venv/bin/python scripts/gen_registry_schemas.py [CFN_LINT_WHEEL]
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from groundlink.preflight.registry import REGISTRY_TYPES, SCHEMAS_FILE  # noqa: E402  (imported after sys.path names the checkout)

PACKAGE, VERSION = "cfn-lint", "1.58.0"
REGION = "us-west-2"  # the specs' default AWS region, where AWS Ground Station runs


def read_wheel(wheel: Path) -> dict[str, Any]:
    with zipfile.ZipFile(wheel) as bundle:
        by_type = json.loads(bundle.read(f"cfnlint/data/schemas/providers/{REGION}.json"))
        schemas = {
            name: json.loads(bundle.read(f"cfnlint/data/schemas/resources/{by_type[name]}.json"))
            for name in sorted(REGISTRY_TYPES.values())
        }
    return {
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "region": REGION,
            "read": datetime.date.today().isoformat(),
            "path": "cfnlint/data/schemas/resources (by cfnlint/data/schemas/providers/<region>.json)",
        },
        "schemas": schemas,
    }


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("wheel", nargs="?", type=Path, help=f"a {PACKAGE} wheel (default: {VERSION} from PyPI)")
    given = parser.parse_args(argv).wheel
    if given is not None and not zipfile.is_zipfile(given):
        parser.error(f"{given}: not a wheel (a zip file) that can be read")
    with tempfile.TemporaryDirectory() as scratch:
        if given is not None:
            wheel = given
        else:
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", scratch,
                 f"{PACKAGE}=={VERSION}"],
                check=True,
            )  # fmt: skip
            (wheel,) = Path(scratch).glob("*.whl")
        fresh = read_wheel(wheel)
    SCHEMAS_FILE.write_text(json.dumps(_dated_as_before(fresh), indent=1, sort_keys=True) + "\n")
    print(f"wrote {SCHEMAS_FILE}")
    return 0


def _dated_as_before(fresh: dict[str, Any]) -> dict[str, Any]:
    """`fresh` with the file's own read date when nothing else changed: the date says when the
    schemas were read as they are, and a run that finds them the same leaves the file as it was."""
    try:
        before = json.loads(SCHEMAS_FILE.read_text())
    except (OSError, ValueError):
        return fresh
    undated = {**fresh, "source": {**fresh["source"], "read": None}}
    if {**before, "source": {**before.get("source", {}), "read": None}} == undated:
        return {**fresh, "source": {**fresh["source"], "read": before["source"]["read"]}}
    return fresh


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
