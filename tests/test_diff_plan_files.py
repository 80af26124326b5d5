"""A saved plan as OLD or NEW of a diff: a damaged file is one line and exit 2, never a diff.

A plan whose resource lost its `inputs` (or had them set to null) was read as a resource with
no inputs, and the diff reported a replacement and a data loss that the spec change never
made; a `urn` that was no URN named a deletion; a resource given twice, or lists of the wrong
kind, passed unseen; and a file cut short was answered with the JSON decoder's half sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from groundlink import cli

from .conftest import SPECS, cached_plan

NOAA20 = str(SPECS / "noaa20.yaml")
DATABASE = 3  # resources[3] of the noaa20 AWS plan: the Glue catalog database, a stateful resource


def _document() -> dict[str, Any]:
    doc = cached_plan("noaa20.yaml", "aws").to_json()
    assert doc["resources"][DATABASE]["type"] == "aws:glue/catalogDatabase:CatalogDatabase"
    return doc


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["resources"][DATABASE].__setitem__(field, value)


def _drop_inputs(doc: dict[str, Any]) -> None:
    del doc["resources"][DATABASE]["inputs"]


def _repeat(doc: dict[str, Any]) -> None:
    doc["resources"].append(dict(doc["resources"][DATABASE]))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_set("inputs", None), "resources[3].inputs: must be an object"),
        (_drop_inputs, "resources[3].inputs: must be an object"),
        (
            _set("urn", "garbage"),
            "resources[3].urn: must be the resource's URN, urn:pulumi:STACK::PROJECT::TYPES::NAME ending in its type "
            'aws:glue/catalogDatabase:CatalogDatabase, got "garbage"',
        ),
        (
            _set("urn", "urn:pulumi:dev::groundlink::aws:s3/bucket:Bucket::noaa20-catalog-database"),
            "resources[3].urn: must be the resource's URN",
        ),
        (_set("dependencies", "x"), 'resources[3].dependencies: must be a list of text, got "x"'),
        (_set("ignoreChanges", 5), "resources[3].ignoreChanges: must be a list of text, got 5"),
        (_set("capability", [1]), "resources[3].capability: must be a list of text, got [1]"),
    ],
)
def test_a_damaged_plan_is_one_line_and_exit_2_not_a_data_loss(tmp_path, capsys, damage, message):
    doc = _document()
    damage(doc)
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(doc))
    code, out, err = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert (code, out) == (2, "")
    assert err.startswith(f"groundlink: {saved}: {message}") and len(err.splitlines()) == 1, err


def test_a_resource_given_twice_is_refused_naming_both_places(tmp_path, capsys):
    doc = _document()
    _repeat(doc)
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(doc))
    last = len(doc["resources"]) - 1
    code, out, err = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert (code, out, err) == (
        2,
        "",
        f"groundlink: {saved}: resources[{last}].urn: repeats resources[{DATABASE}]; keep one of them\n",
    )


def test_the_undamaged_plan_diffs_as_no_change(tmp_path, capsys):
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(_document()))
    code, out, _ = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert code == 0 and "no changes" in out


def test_a_checkpoint_may_leave_out_a_resource_s_empty_inputs(tmp_path, capsys):
    """Pulumi writes a resource's inputs `omitempty`: only a plan must give them."""
    urn = "urn:pulumi:dev::groundlink::aws:sqs/queue:Queue::q"
    doc = {"version": 3, "deployment": {"resources": [{"urn": urn, "type": "aws:sqs/queue:Queue", "custom": True}]}}
    saved = tmp_path / "checkpoint.json"
    saved.write_text(json.dumps(doc))
    code, out, err = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws", "--allow-data-loss")
    assert code == 0 and err == "" and "- aws:sqs/queue:Queue q delete" in out, out


@pytest.mark.parametrize("cut", [1000, 20])
def test_a_plan_cut_short_says_so_in_a_whole_sentence(tmp_path, capsys, cut):
    saved = tmp_path / "plan.json"
    saved.write_text(json.dumps(_document(), indent=2)[:cut])
    code, out, err = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert (code, out) == (2, "")
    assert err.endswith("; the document ends before it is complete (was the file cut short?)\n"), err
    assert " at;" not in err and not err.rstrip().endswith(" at")


def test_json_broken_midway_names_the_place_without_guessing_a_cut(tmp_path, capsys):
    saved = tmp_path / "plan.json"
    saved.write_text('{"formatVersion": 1,, "cloud": "aws"}')
    code, _, err = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert (code, err) == (
        2,
        f"groundlink: {saved}: line 1, column 21: Expecting property name enclosed in double quotes\n",
    )


def _as_earlier_mocks_saved_it(doc: dict[str, Any]) -> dict[str, Any]:
    """The noaa20 AWS plan as the groundlink before 2026-12-06 saved it: an SNS topic's and a
    Kinesis stream's `id` their name (now their ARN, as the provider's), a Ground Station
    config's `id` its uuid (now its ARN), and no version id on the layer's archive, which the
    layer then took as null."""
    for resource in doc["resources"]:
        outputs = resource["outputs"]
        if resource["type"] in ("aws:sns/topic:Topic", "aws:kinesis/stream:Stream"):
            outputs["id"] = outputs["name"]
        elif resource["type"] == "aws-native:groundstation:Config":
            outputs["id"] = outputs["awsId"]
        elif resource["type"] == "aws:s3/bucketObjectv2:BucketObjectv2":
            outputs.pop("versionId")
        elif resource["type"] == "aws:lambda/layerVersion:LayerVersion":
            resource["inputs"]["s3ObjectVersion"] = None
    return doc


def test_a_plan_saved_by_an_earlier_groundlink_diffs_as_no_change(tmp_path, capsys):
    """A plan saved before the mocks' ids took the providers' form (a topic's ARN for its id)
    read 4 replacements and 9 updates a real `pulumi up` would not make: the unchanged ARN was
    taken for a placeholder of the old name, and the archive's new version id had nothing in
    OLD to compare with."""
    doc = _as_earlier_mocks_saved_it(_document())
    assert any(r["type"] == "aws:s3/bucketObjectv2:BucketObjectv2" for r in doc["resources"])
    saved = tmp_path / "earlier.json"
    saved.write_text(json.dumps(doc))
    code, out, _ = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    assert code == 0 and "no changes" in out, out


DROP_INPUT = object()  # the layer's input left out of OLD


@pytest.mark.parametrize(
    ("layer_input", "expected"),
    [
        # OLD's layer held a version its archive's state does not record: a real preview reads the
        # archive's output from the state, none, and the layer's input changes (a replacement)
        ("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", '~ s3ObjectVersion: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" => null'),
        # OLD's layer never had the input (the SDK sends no input of no value): nothing changes
        (DROP_INPUT, None),
    ],
)
def test_an_input_from_an_output_old_does_not_record_is_what_old_s_state_gives(tmp_path, capsys, layer_input, expected):
    doc = _document()
    for resource in doc["resources"]:
        if resource["type"] == "aws:s3/bucketObjectv2:BucketObjectv2":
            resource["outputs"].pop("versionId")
        elif resource["type"] == "aws:lambda/layerVersion:LayerVersion":
            if layer_input is DROP_INPUT:
                resource["inputs"].pop("s3ObjectVersion")
            else:
                resource["inputs"]["s3ObjectVersion"] = layer_input
    saved = tmp_path / "old.json"
    saved.write_text(json.dumps(doc))
    code, out, _ = _run(capsys, "diff", str(saved), NOAA20, "--cloud", "aws")
    if expected is None:
        assert code == 0 and "no changes" in out, out
    else:
        assert expected in out and "noaa20-processing-dependencies replace" in out, out
