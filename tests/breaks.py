"""Deliberate one-line breaks of secondary behaviour, each of which some test must catch.

    .venv/bin/python tests/breaks.py            # every break
    .venv/bin/python tests/breaks.py sqs hsm    # some, by name

For each break: apply it to the working tree, run the tests most likely to catch it,
report which failed, and restore the file (also on Ctrl-C). A break that no test
catches exits 1. Not collected by pytest (no test_ prefix); never commit a broken file.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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
        '3 * usage.contact_events,\n            "sqs_requests"',
        '1 * usage.contact_events,\n            "sqs_requests"',
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "service-bus-operations-per-contact",
        "groundlink/cost/model.py",
        '3 * usage.raw_objects,\n            "service_bus_operations"',
        '1 * usage.raw_objects,\n            "service_bus_operations"',
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "contact-events-per-satellite",
        "groundlink/cost/usage.py",
        "contact_events=contacts_per_month * len(spec.satellites),",
        "contact_events=contacts_per_month,",
        ("tests/test_cost_worked_example.py", "tests/test_cost.py"),
    ),
    Break(
        "software-key-billed-as-hsm",
        "groundlink/cost/model.py",
        '            keys, basis = 0, "software-protected keys in the plan: operations only"\n',
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
        'if get(props, "streamsKmsKey") and not get(props, "streamsKmsRole"):',
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
    Break(
        "azure-change-feed-7-days",
        "components/azure/storage.py",
        '"retention_in_days": change_feed_days}',
        '"retention_in_days": 7}',
        ("tests/test_azure_storage.py",),
    ),
    Break(
        "azure-soft-delete-cap-30",
        "components/azure/storage.py",
        "MAX_SOFT_DELETE_DAYS = 365",
        "MAX_SOFT_DELETE_DAYS = 30",
        ("tests/test_azure_storage.py",),
    ),
    Break(
        "azure-snapshot-expiry-removed",
        "components/azure/storage.py",
        '"version": noncurrent, "snapshot": noncurrent}',
        '"version": noncurrent}',
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
)


def run(chosen: list[Break]) -> int:
    uncaught = []
    for brk in chosen:
        path = ROOT / brk.path
        original = path.read_text()
        if original.count(brk.old) != 1:
            print(f"{brk.name}: the line to break is not in {brk.path} exactly once (moved?)")
            uncaught.append(brk.name)
            continue
        try:
            path.write_text(original.replace(brk.old, brk.new))
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *brk.tests],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
        finally:
            path.write_text(original)
        failed = [line[7:].split(" - ")[0] for line in proc.stdout.splitlines() if line.startswith("FAILED ")]
        if proc.returncode != 1:  # 0: all passed; 2-5: interrupted, usage error, nothing collected
            uncaught.append(brk.name)
            print(f"{brk.name}: NOT CAUGHT by {' '.join(brk.tests)}")
        else:
            print(f"{brk.name}: caught by {', '.join(failed) or proc.stdout.strip().splitlines()[-1]}")
    return 1 if uncaught else 0


if __name__ == "__main__":
    names = sys.argv[1:]
    selected = [b for b in BREAKS if not names or any(n in b.name for n in names)]
    sys.exit(run(selected))
