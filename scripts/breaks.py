"""Deliberate one-line breaks of secondary behaviour, each of which some test must kill.

    make breaks                                   # every break
    .venv/bin/python scripts/breaks.py sqs hsm    # some, by name

The checkout is never touched: the tracked and unignored files are copied once into a
temporary tree (with `groundlink/components` and friends linked to their folders, as the
installed package maps them), the selected tests are run there once unbroken (they must
pass, or a "kill" would mean nothing), then each break is applied to the copy alone, its
tests run, and the copy restored. Prints killed/survived per break; exits 1 if any survived.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# installed subpackage -> folder in the checkout (setup.py's mapping)
MAPPED = {"components": "components", "policies": "policies", "prices": "prices", "data": "data"}


@dataclass(frozen=True)
class Break:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BREAKS = (
    Break(
        "sqs-requests-per-contact",
        "groundlink/cost/model.py",
        '3 * messages,\n            "sqs_requests"',
        '1 * messages,\n            "sqs_requests"',
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "service-bus-operations-per-contact",
        "groundlink/cost/model.py",
        '3 * messages,\n            "service_bus_operations"',
        '1 * messages,\n            "service_bus_operations"',
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "contact-events-per-satellite",
        "groundlink/cost/usage.py",
        "            contacts_per_month * len(spec.satellites)\n            if spec.ground_segment",
        "            contacts_per_month\n            if spec.ground_segment",
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "software-key-billed-as-hsm",
        "groundlink/cost/model.py",
        "            keys = 0  # software-protected keys in the plan: operations only\n",
        "            pass\n",
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "check-exit-1-on-advisory",
        "groundlink/check/runner.py",
        "return not self.mandatory and not self.preflight",
        "return not self.violations and not self.preflight",
        ("tests/test_exit_codes.py", "tests/test_check_e2e.py"),
    ),
    Break(
        "pack-first-line-not-a-port-ignored",
        "groundlink/check/host.py",
        "        if not line.isdigit():\n",
        "        if False:\n",
        ("tests/test_exit_codes.py", "tests/test_check_e2e.py"),
    ),
    Break(
        "rule-streams-kms-key-without-role",
        "policies/aws_groundstation.py",
        'if get(props, "streamsKmsKey") and missing(get(props, "streamsKmsRole")):',
        "if False:",
        ("tests/test_policies_conditions.py", "tests/test_policies_rules_aws.py"),
    ),
    Break(
        "azure-cross-tenant-replication",
        "components/azure/storage.py",
        "allow_cross_tenant_replication=False,",
        "allow_cross_tenant_replication=True,",
        ("tests/test_azure_storage.py",),
    ),
    # The "change-feed retention set to 7 days": the account has a hierarchical namespace,
    # which refuses a change feed and versioning (docs/azure.md), so the break is turning one on.
    Break(
        "azure-versioning-on-adls-gen2",
        "components/azure/storage.py",
        'blob_services_name="default",',
        'blob_services_name="default", is_versioning_enabled=True,',
        ("tests/test_azure_storage.py",),
    ),
    Break(
        "azure-soft-delete-cap-30",
        "groundlink/limits.py",
        "AZURE_SOFT_DELETE_MAX_DAYS = 365",
        "AZURE_SOFT_DELETE_MAX_DAYS = 30",
        ("tests/test_azure_storage.py", "tests/test_cost_worked_example.py"),
    ),
    Break(
        "azure-snapshot-expiry-removed",
        "components/azure/storage.py",
        '"base_blob": base_blob, "snapshot": noncurrent}',
        '"base_blob": base_blob}',
        ("tests/test_azure_storage.py",),
    ),
    Break(
        "aws-access-log-bucket-expires-after-1-day",
        "groundlink/blueprint/__init__.py",
        "logs_lifecycle=Lifecycle((), spec.storage.raw_retention_days,",
        "logs_lifecycle=Lifecycle((), 1,",
        ("tests/test_aws_storage.py",),
    ),
    Break(
        "spec-tier-before-products-retention",
        "groundlink/spec.py",
        'for store in ("raw", "products"):',
        'for store in ("raw",):',
        ("tests/test_spec_validation.py", "tests/test_spec_bounds.py"),
    ),
    # found by later reviews of the suite (2026-12-06): no test had caught them
    Break(
        "preflight-exit-from-the-last-cloud-only",
        "groundlink/app/preflight_command.py",
        "        total += len(findings)",
        "        total = len(findings)",
        ("tests/test_preflight_cli.py",),
    ),
    Break(
        "write-text-keeps-its-temporary-when-the-rename-fails",
        "groundlink/outputs.py",
        "    try:\n        staged.commit()\n    except BaseException:\n        staged.discard()\n        raise\n",
        "    staged.commit()\n",
        ("tests/test_output_unwritable.py",),
    ),
    Break(
        "spacecraft-warning-only-when-every-frame-is-refused",
        "groundlink/processing/processor.py",
        "    if not refused or 2 * refused < run.frames:",
        "    if not refused or refused < run.frames:",
        ("tests/test_processing_edges.py",),
    ),
    Break(
        "plan-against-exits-0-on-data-loss",
        "groundlink/app/spec_commands.py",
        "        say_written(target)\n    return code\n",
        "        say_written(target)\n    return 0\n",
        ("tests/test_diff.py",),
    ),
    Break(
        "decode-edge-may-name-no-node",
        "groundlink/presets.py",
        "if not all(isinstance(end, str) and end in nodes for end in ends):",
        "if not all(isinstance(end, str) for end in ends):",
        ("tests/test_input_hardening.py",),
    ),
    Break(
        "sqs-queue-mock-id-is-its-name",
        "groundlink/engine/mocks_aws.py",
        '"id": url, "url": url,',
        '"id": name, "url": url,',
        ("tests/test_mocks_shapes.py",),
    ),
)


def copy_tree(dest: Path) -> Path:
    """The checkout's tracked and unignored files (as they are now, edits included) under
    `dest`, with the installed package's mapped folders linked under groundlink/."""
    for name in checkout_files():
        source = ROOT / name
        if source.is_file():  # a deleted but still tracked file is skipped
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for sub, folder in MAPPED.items():
        (dest / "groundlink" / sub).symlink_to(Path("..") / folder)
    return dest


def checkout_files() -> list[str]:
    """The checkout's files as git lists them (tracked and unignored); in a download without
    git's metadata (an archive, "Download ZIP"), or without git, every file but what
    .gitignore names (the venv, caches, outputs): it stopped with git's traceback there."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return list(filter(None, listed.split("\0")))
    except (OSError, subprocess.CalledProcessError):
        found = []
        rules: dict[Path, list[str]] = {}  # each folder's .gitignore lines and its parents'
        for folder, dirs, files in os.walk(ROOT):
            here = Path(folder).relative_to(ROOT)
            own = here / ".gitignore"
            lines = (ROOT / own).read_text().splitlines() if (ROOT / own).is_file() else []
            prefix = "" if here == Path(".") else here.as_posix() + "/"
            patterns = [*rules.get(here.parent, []), *(prefix + _rule(line) for line in lines if _rule(line))]
            rules[here] = patterns
            dirs[:] = sorted(d for d in dirs if d != ".git" and not _ignored(here / d, patterns))
            found += [(here / f).as_posix() for f in sorted(files) if not _ignored(here / f, patterns)]
        return sorted(found)


def _rule(line: str) -> str:
    """A .gitignore line as a pattern (the forms the checkout's use: names, `dir/`, `*`)."""
    return "" if not line.strip() or line.startswith("#") else line.strip().strip("/")


def _ignored(path: Path, patterns: list[str]) -> bool:
    """`path` (relative to the checkout) matches a pattern: a name in the pattern's folder or under it."""
    for pattern in patterns:
        folder, _, name = pattern.rpartition("/")
        inside = folder in ("", ".") or path.as_posix().startswith(folder + "/")
        if inside and fnmatch.fnmatch(path.name, name):
            return True
    return False


def _env(tree: Path) -> dict[str, str]:
    """The copy first on the path, so neither pytest nor the processes it starts (the pack,
    the command line) import the checkout through its development install."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GROUNDLINK_TEST_PLAN_CACHE")}
    env["PYTHONPATH"] = str(tree)
    return env


def imports_from(tree: Path) -> bool:
    """Whether the copy's modules (not the checkout's) are the ones imported there."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import groundlink.spec, groundlink.components.azure.storage as s, groundlink.policies as p; "
            "print(groundlink.spec.__file__, s.__file__, p.__path__[0])",
        ],
        cwd=tree,
        env=_env(tree),
        capture_output=True,
        text=True,
    )
    files = probe.stdout.split()
    return probe.returncode == 0 and len(files) == 3 and all(Path(f).is_relative_to(tree) for f in files)


def pytest(tree: Path, tests: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=tree,
        env=_env(tree),
        capture_output=True,
        text=True,
    )


def _failed(proc: subprocess.CompletedProcess[str]) -> str:
    failed = [line[7:].split(" - ")[0] for line in proc.stdout.splitlines() if line.startswith("FAILED ")]
    return ", ".join(failed) or (proc.stdout.strip().splitlines() or ["no output"])[-1]


def run(chosen: list[Break], tree: Path) -> int:
    if not imports_from(tree):
        print(f"the copy in {tree} imports the checkout, not itself: nothing would be tested")
        return 2
    selection = tuple(dict.fromkeys(t for brk in chosen for t in brk.tests))
    baseline = pytest(tree, selection)
    if baseline.returncode != 0:
        print(f"the unbroken tests fail, so no break can be judged: {_failed(baseline)}")
        return 2
    survived = []
    for brk in chosen:
        path = tree / brk.path
        original = path.read_text()
        if original.count(brk.old) != 1:
            print(f"{brk.name}: SURVIVED (the line to break is not in {brk.path} exactly once: moved?)")
            survived.append(brk.name)
            continue
        path.write_text(original.replace(brk.old, brk.new))
        try:
            proc = pytest(tree, brk.tests)
        finally:
            path.write_text(original)
        if proc.returncode == 1:  # a test failed; 0 is all passed, 2-5 interrupted or nothing collected
            print(f"{brk.name}: killed by {_failed(proc)}")
        else:
            survived.append(brk.name)
            print(f"{brk.name}: SURVIVED {' '.join(brk.tests)} (pytest exit {proc.returncode})")
    print(f"{len(chosen) - len(survived)} of {len(chosen)} breaks killed")
    return 1 if survived else 0


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("names", nargs="*", help="breaks to run, by name or part of it (default: every break)")
    names = parser.parse_args(argv).names
    chosen = [b for b in BREAKS if not names or any(n in b.name for n in names)]
    if not chosen:
        print(f"no break matches {' '.join(names)}; breaks: {' '.join(b.name for b in BREAKS)}")
        return 2
    with tempfile.TemporaryDirectory(prefix="groundlink-breaks-") as tmp:
        return run(chosen, copy_tree(Path(tmp)))


if __name__ == "__main__":
    from groundlink.interrupt import unwind_on_termination

    unwind_on_termination()  # a stopped run removes its copy of the tree
    sys.exit(main(sys.argv[1:]))
