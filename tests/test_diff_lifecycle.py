"""A lifecycle deletes data by what it switches and widens, not only by the numbers it lowers.

OLD here is the deployed stack as `pulumi refresh` reads it back (a saved plan edited as the
drift would leave it): a rule someone turned off, a filter narrowed to a prefix, a rule renamed,
a lifecycle removed by hand. The next `pulumi up` puts the spec's lifecycle back, and with it
deletes what the drifted one kept: S3 applies a rule to "both existing objects and objects that
you add later" (Amazon S3 User Guide, "Managing the lifecycle of objects"), as Azure's
management policy does. Each such edit is refused like a retention lowered, and the ones that
delete nothing sooner are not."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groundlink.diff.lifecycle import AZURE_LIFECYCLE, S3_LIFECYCLE, sooner

from .test_diff import NOAA20, run_cli

S3 = "aws: aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration noaa20-storage-raw-lifecycle"
AZURE = "azure: azure-native:storage:ManagementPolicy noaa20-storage-lifecycle"
RAW_AZURE = 'under "raw-contact-data/" (rule raw-retention)'


def _raw_rule(inputs: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = (inputs.get("rules") or inputs["policy"]["rules"])[0]
    return rule


def _drifted(capsys, tmp_path: Path, cloud: str, drift: Callable[[dict[str, Any]], None]) -> str:
    """NOAA20's saved plan with `drift` applied to its resources, by name."""
    plan = tmp_path / "plan.json"
    code, _, _ = run_cli(capsys, "plan", NOAA20, "--cloud", cloud, "--json", str(plan))
    assert code == 0
    doc = json.loads(plan.read_text())
    drift({r["name"]: r for r in doc["resources"]} | {"": doc})
    plan.write_text(json.dumps(doc))
    return str(plan)


def _lifecycle(cloud: str) -> str:
    return "noaa20-storage-raw-lifecycle" if cloud == "aws" else "noaa20-storage-lifecycle"


REFUSED = [
    (
        "aws",
        lambda r: _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"]).update(status="Disabled"),
        f'{S3} would delete data sooner (current versions under "" (rule retention): without end => 365, '
        'old versions under "" (rule retention): without end => 30 days past the 0 newest)',
    ),
    (
        "aws",
        lambda r: _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"]).update(filter={"prefix": "keep-only/"}),
        f'{S3} would delete data sooner (current versions under "" (rule retention): without end => 365, '
        'old versions under "" (rule retention): without end => 30 days past the 0 newest)',
    ),
    (
        "aws",
        lambda r: _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"]).update(
            id="legal-hold", expiration={"days": 3650}
        ),
        f'{S3} would delete data sooner (current versions under "" (rule retention): 3650 => 365)',
    ),
    (
        "aws",
        lambda r: _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"])["noncurrentVersionExpiration"].update(
            newerNoncurrentVersions=5
        ),
        f'{S3} would delete data sooner (old versions under "" (rule retention): 30 days past the 5 newest => '
        "30 days past the 0 newest)",
    ),
    (
        "aws",
        lambda r: r[""]["resources"].remove(r["noaa20-storage-raw-lifecycle"]),
        f'{S3} would delete data sooner (current versions under "" (rule retention): without end => 365, '
        'old versions under "" (rule retention): without end => 30 days past the 0 newest)',
    ),
    (
        "azure",
        lambda r: _raw_rule(r["noaa20-storage-lifecycle"]["inputs"]).update(enabled=False),
        f"{AZURE} would delete data sooner (current versions by last modification {RAW_AZURE}: without end => 365, "
        f"snapshots by creation {RAW_AZURE}: without end => 30)",
    ),
    (
        "azure",
        lambda r: _raw_rule(r["noaa20-storage-lifecycle"]["inputs"])["definition"]["filters"].update(
            prefixMatch=["raw-contact-data/keep-only/"]
        ),
        f"{AZURE} would delete data sooner (current versions by last modification {RAW_AZURE}: without end => 365, "
        f"snapshots by creation {RAW_AZURE}: without end => 30)",
    ),
    (
        "azure",
        lambda r: _raw_rule(r["noaa20-storage-lifecycle"]["inputs"]).update(name="hold"),
        # renamed, the same days: the rule the spec puts back deletes nothing sooner than `hold` did
        None,
    ),
]


@pytest.mark.parametrize(("cloud", "drift", "line"), REFUSED)
def test_putting_back_a_lifecycle_that_deletes_more_is_refused(capsys, tmp_path, cloud, drift, line):
    old = _drifted(capsys, tmp_path, cloud, drift)
    code, out, err = run_cli(capsys, "diff", old, NOAA20, "--cloud", cloud)
    if line is None:
        assert (code, err) == (0, "") and _lifecycle(cloud) in out
        return
    assert code == 1 and err.splitlines()[0] == line
    assert "RETENTION SHORTENED" in out
    code, out, _ = run_cli(capsys, "diff", old, NOAA20, "--cloud", cloud, "--json", "--allow-data-loss")
    (doc,) = json.loads(out)
    (change,) = [c for c in doc["changes"] if c["name"] == _lifecycle(cloud)]
    assert code == 0 and change["dataAtRisk"] and change["shortensRetention"]


KEPT_LONGER = [
    # the drifted stack deleted more than the spec does: putting the spec back keeps more
    ("aws", lambda r: _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"]).update(expiration={"days": 60})),
    (
        "aws",
        lambda r: r["noaa20-storage-raw-lifecycle"]["inputs"]["rules"].append(
            {"id": "purge", "status": "Enabled", "filter": {}, "expiration": {"days": 10}}
        ),
    ),
    (
        "azure",
        lambda r: _raw_rule(r["noaa20-storage-lifecycle"]["inputs"])["definition"]["actions"]["baseBlob"][
            "delete"
        ].update(daysAfterModificationGreaterThan=60),
    ),
]


@pytest.mark.parametrize(("cloud", "drift"), KEPT_LONGER)
def test_putting_back_a_lifecycle_that_deletes_less_is_let_through(capsys, tmp_path, cloud, drift):
    old = _drifted(capsys, tmp_path, cloud, drift)
    code, out, err = run_cli(capsys, "diff", old, NOAA20, "--cloud", cloud)
    assert (code, err) == (0, "") and f"{_lifecycle(cloud)} update" in out


def _s3(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"rules": [{"status": "Enabled", **r} for r in rules]}


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        # the same rule: nothing sooner
        (_s3({"id": "a", "expiration": {"days": 30}}), _s3({"id": "a", "expiration": {"days": 30}}), []),
        # a whole-bucket rule covers one under a prefix, not the other way round
        (_s3({"id": "a", "expiration": {"days": 30}}), _s3({"id": "b", "filter": {"prefix": "x/"}, "expiration": {"days": 60}}), []),
        (
            _s3({"id": "a", "filter": {"prefix": "x/"}, "expiration": {"days": 30}}),
            _s3({"id": "b", "expiration": {"days": 60}}),
            [('current versions under "" (rule b)', math.inf, 60.0)],
        ),
        # a prefix under `and`, and the old top-level prefix, are prefixes too
        (
            _s3({"id": "a", "filter": {"and": {"prefix": "x/"}}, "expiration": {"days": 30}}),
            _s3({"id": "a", "prefix": "x/", "expiration": {"days": 30}}),
            [],
        ),
        # a date expires every object on that day
        (_s3(), _s3({"id": "a", "expiration": {"date": "2030-01-01T00:00:00Z"}}), [('current versions under "" (rule a)', math.inf, "on 2030-01-01T00:00:00Z")]),
        # S3 days are 1 or more: 0 and an empty date are unset values, as a refreshed state holds them
        (_s3(), _s3({"id": "a", "expiration": {"days": 0, "date": ""}, "noncurrentVersionExpiration": {"noncurrentDays": 0}}), []),
        # a date is compared with the same date alone: one in OLD (some day) covers no rule by age
        (_s3({"id": "a", "expiration": {"date": "2099-01-01T00:00:00Z", "days": 0}}), _s3({"id": "a", "expiration": {"days": 365}}), [('current versions under "" (rule a)', "on 2099-01-01T00:00:00Z", 365.0)]),
        (_s3({"id": "a", "expiration": {"date": "2099-01-01T00:00:00Z"}}), _s3({"id": "a", "expiration": {"date": "2099-01-01T00:00:00Z"}}), []),
        # the filter's one prefix, whichever field a refreshed state holds it in ("" in the others)
        (
            _s3({"id": "a", "filter": {"prefix": "", "and": {"prefix": "tmp/", "tags": {"a": "b"}}}, "expiration": {"days": 30}}),
            _s3({"id": "a", "filter": {"prefix": ""}, "expiration": {"days": 30}}),
            [('current versions under "" (rule a)', math.inf, 30.0)],
        ),
        # a count written as text, as an older provider's state may hold it
        (
            _s3({"id": "a", "noncurrentVersionExpiration": {"noncurrentDays": 30, "newerNoncurrentVersions": "5"}}),
            _s3({"id": "a", "noncurrentVersionExpiration": {"noncurrentDays": 30}}),
            [('old versions under "" (rule a)', "30 days past the 5 newest", "30 days past the 0 newest")],
        ),
        # a tier move deletes nothing
        (_s3(), _s3({"id": "a", "transitions": [{"days": 30, "storageClass": "GLACIER"}]}), []),
        # a disabled rule in OLD kept everything
        (
            {"rules": [{"id": "a", "status": "Disabled", "expiration": {"days": 30}}]},
            _s3({"id": "a", "expiration": {"days": 30}}),
            [('current versions under "" (rule a)', math.inf, 30.0)],
        ),
    ],
)  # fmt: skip
def test_what_an_s3_lifecycle_deletes_sooner(old, new, found):
    assert sooner(S3_LIFECYCLE, old, new) == found


def test_a_dated_expiry_widened_from_a_prefix_to_the_whole_bucket_deletes_sooner():
    """A rule expiring `tmp/` on 2027-06-01 widened to every object, its date kept: the same date
    was taken to cover the new rule whatever its prefix, and an edit that deletes the whole bucket
    that day passed the data-loss gate as deleting nothing sooner."""
    on_the_day = {"date": "2027-06-01T00:00:00Z"}
    under_tmp = _s3({"id": "r", "filter": {"prefix": "tmp/"}, "expiration": on_the_day})
    everything = _s3({"id": "r", "filter": {"prefix": ""}, "expiration": on_the_day})
    assert sooner(S3_LIFECYCLE, under_tmp, everything) == [
        ('current versions under "" (rule r)', math.inf, "on 2027-06-01T00:00:00Z")
    ]
    assert sooner(S3_LIFECYCLE, everything, under_tmp) == []  # narrowed: nothing it did not delete that day


def _azure(*rules: dict[str, Any]) -> dict[str, Any]:
    return {"policy": {"rules": list(rules)}}


def _delete(prefixes: list[str] | None, **ages: int) -> dict[str, Any]:
    filters = {"prefixMatch": prefixes} if prefixes is not None else {}
    return {"name": "r", "definition": {"filters": filters, "actions": {"baseBlob": {"delete": ages}}}}


@pytest.mark.parametrize(
    ("old", "new", "new_containers", "found"),
    [
        (_azure(_delete(["c/"], daysAfterModificationGreaterThan=30)), _azure(_delete(["c/"], daysAfterModificationGreaterThan=30)), frozenset(), []),
        # another clock is not covered: last access is not last modification
        (
            _azure(_delete(["c/"], daysAfterModificationGreaterThan=30)),
            _azure(_delete(["c/"], daysAfterLastAccessTimeGreaterThan=90)),
            frozenset(),
            [('current versions by last access under "c/" (rule r)', math.inf, 90.0)],
        ),
        # a rule without prefixMatch takes every blob
        (
            _azure(_delete(["c/"], daysAfterModificationGreaterThan=30)),
            _azure(_delete(None, daysAfterModificationGreaterThan=30)),
            frozenset(),
            [('current versions by last modification under "" (rule r)', math.inf, 30.0)],
        ),
        # a container made by the same update holds nothing yet
        (_azure(), _azure(_delete(["q/"], daysAfterModificationGreaterThan=30)), frozenset({"q/"}), []),
        (
            _azure(),
            _azure(_delete(["q/"], daysAfterModificationGreaterThan=30)),
            frozenset({"p/"}),
            [('current versions by last modification under "q/" (rule r)', math.inf, 30.0)],
        ),
    ],
)  # fmt: skip
def test_what_an_azure_management_policy_deletes_sooner(old, new, new_containers, found):
    assert sooner(AZURE_LIFECYCLE, old, new, new_containers) == found


# the keys a lifecycle's rules are read by, and one they are not
_KEYS = [
    "id", "status", "filter", "prefix", "and", "expiration", "days", "date", "noncurrentVersionExpiration",
    "noncurrentDays", "newerNoncurrentVersions", "name", "enabled", "definition", "filters", "prefixMatch",
    "actions", "baseBlob", "version", "snapshot", "delete", "daysAfterModificationGreaterThan",
    "daysAfterCreationGreaterThan", "rules", "policy", "other",
]  # fmt: skip
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 400) | st.sampled_from(["", "x/", "Enabled", "Disabled", "c/x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(old=_JSON, new=_JSON)
def test_any_lifecycle_input_is_read_without_a_crash_and_one_equal_to_old_deletes_nothing_sooner(old, new):
    """Whatever a checkpoint holds (a hand-edited export, another provider version's shape):
    no exception, and NEW equal to OLD is never called sooner."""
    for kind in (S3_LIFECYCLE, AZURE_LIFECYCLE):
        for inputs in ({"rules": old}, {"policy": {"rules": old}}, old if isinstance(old, dict) else {}):
            assert sooner(kind, inputs, inputs) == []
            sooner(kind, inputs, new if isinstance(new, dict) else {"rules": new})


def test_a_lowered_number_and_a_widened_rule_in_one_edit_are_both_refused(capsys, tmp_path):
    """One drift narrowed the rule's filter and raised its days: the refusal named the days
    alone, and an operator who mended them alone was refused again for the filter."""

    def drift(r: dict[str, Any]) -> None:
        rule = _raw_rule(r["noaa20-storage-raw-lifecycle"]["inputs"])
        rule.update(filter={"prefix": "keep-only/"}, expiration={"days": 400})

    old = _drifted(capsys, tmp_path, "aws", drift)
    code, out, _ = run_cli(capsys, "diff", old, NOAA20, "--cloud", "aws", "--json")
    assert code == 1
    (change,) = [c for c in json.loads(out)[0]["changes"] if c["shortensRetention"]]
    shown = {(r["path"], r["old"], r["new"]) for r in change["retentionsShortened"]}
    assert ("rules[0].expiration.days", "400", "365") in shown
    assert ('current versions under "" (rule retention)', "without end", "365") in shown
    assert change["shortensRetention"] == [r["path"] for r in change["retentionsShortened"]]


def test_the_report_gives_a_widened_rule_s_old_and_new_retention(capsys, tmp_path):
    """The report's "data loss" cell looked a shortened retention's values up among the changed
    properties: a rule widened (no property of its own) was named without them, where the
    terminal said `without end => 365`."""
    from groundlink.report.sections import _risk

    old = _drifted(
        capsys,
        tmp_path,
        "azure",
        lambda r: _raw_rule(r["noaa20-storage-lifecycle"]["inputs"])["definition"]["filters"].update(
            prefixMatch=["raw-contact-data/keep-only/"]
        ),
    )
    _, out, _ = run_cli(capsys, "diff", old, NOAA20, "--cloud", "azure", "--json")
    (change,) = [c for c in json.loads(out)[0]["changes"] if c["shortensRetention"]]
    assert _risk(change).text == (
        f"retention shortened, data deleted sooner (current versions by last modification {RAW_AZURE}: without "
        f"end => 365, snapshots by creation {RAW_AZURE}: without end => 30)"
    )


def test_a_rule_shortened_gives_as_before_the_soonest_old_rule_that_deleted_those_objects():
    """OLD deletes every object at 60 days and those under `x/` at 400; NEW deletes `x/` at 30.
    Those objects were kept 60 days, the soonest of the two rules that took them, so the
    refusal says `60 => 30`, not `400 => 30`."""
    old = _s3(
        {"id": "a", "expiration": {"days": 60}}, {"id": "b", "filter": {"prefix": "x/"}, "expiration": {"days": 400}}
    )
    new = _s3({"id": "c", "filter": {"prefix": "x/"}, "expiration": {"days": 30}})
    assert sooner(S3_LIFECYCLE, old, new) == [('current versions under "x/" (rule c)', 60.0, 30.0)]
