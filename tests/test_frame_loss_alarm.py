"""The frame-loss alarm on both clouds: a contact the processor finished without error, but that
lost more than `processing.loss_alarm_percent` of its frames, mails budget.alert_emails, as a
contact that failed does (the dead-letter alarms). Each cloud reads the same field of the
runtime's log record, `worst_loss_percent`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from groundlink.components.aws.observability import LOSS_METRIC, loss_filter_pattern
from groundlink.components.azure.observability import PROCESSOR_LOG_TABLES, loss_query
from hypothesis import given
from hypothesis import strategies as st

from groundlink.processing.config import CaptureFormat
from groundlink.processing.processor import discover, process_contact
from groundlink.runtime.delivery import LOSS_FIELD, SAMPLES_DELIVERED, loss_percent, loss_threshold
from groundlink.spec import SpecError, spec_from_data

from .conftest import cached_plan, spec_data, variant_plan, with_changes
from .contactgen import CONTACT_A, EPOCH, Capture, Frame, contact_file, frames, packetise, raw_dir, stream_of
from .test_processing_cloud import CONTAINER_JOB, _runtime_settings

FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
RULE = "azure-native:monitor:ScheduledQueryRule"


def _loss_alarm(plan):
    return [r for r in plan.of_type(ALARM) if r.inputs["metricName"] == LOSS_METRIC]


def test_aws_counts_the_processor_s_records_of_a_lossy_contact_and_alarms_on_the_first():
    plan = variant_plan("aws")
    (log_group,) = [g for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup") if "processing" in g.name]
    (metric_filter,) = plan.of_type(FILTER)
    assert metric_filter.inputs["logGroupName"] == log_group.outputs["name"]
    assert metric_filter.inputs["pattern"] == "{ $.worst_loss_percent > 1 }"  # the spec's default, 1%
    assert metric_filter.inputs["metricTransformation"] == {
        "name": "ContactsLosingFrames",
        "namespace": "groundlink/noaa20",
        "value": "1",
        "unit": "Count",
    }
    (alarm,) = _loss_alarm(plan)
    topic = plan.one("aws:sns/topic:Topic").outputs["arn"]
    assert (alarm.inputs["namespace"], alarm.inputs["statistic"], alarm.inputs["threshold"]) == (
        "groundlink/noaa20",
        "Sum",
        0,
    )
    assert alarm.inputs["comparisonOperator"] == "GreaterThanThreshold"
    assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [topic]
    assert alarm.inputs["treatMissingData"] == "notBreaching"  # no record in 5 minutes is no alarm
    assert (alarm.inputs["period"], alarm.inputs["evaluationPeriods"]) == (300, 1)
    assert alarm.inputs["tags"]["mission"] == "noaa20"
    assert "lost more than 1% of its frames" in alarm.inputs["alarmDescription"]
    assert not alarm.inputs.get("dimensions")  # the filter's metric has none: a dimension would match nothing
    # both realize the alarm capability, so parity and the report count them with the others
    assert metric_filter.capability == alarm.capability == ["observability.alarm"]


def test_azure_searches_the_processor_s_logs_in_the_workspace_every_five_minutes():
    plan = variant_plan("azure")
    (rule,) = plan.of_type(RULE)
    workspace = plan.one("azure-native:operationalinsights:Workspace")
    group = plan.one("azure-native:monitor:ActionGroup")
    assert rule.inputs["scopes"] == [workspace.outputs["id"]] and rule.inputs["kind"] == "LogAlert"
    assert rule.inputs["actions"] == {"actionGroups": [group.outputs["id"]]}
    (condition,) = rule.inputs["criteria"]["allOf"]
    assert condition == {
        "criterionType": "StaticThresholdCriterion",
        "query": loss_query("function", 1.0),
        "timeAggregation": "Count",
        "operator": "GreaterThan",
        "threshold": 0,
        # one 5-minute window holding a record is enough: a lossy contact is one record
        "failingPeriods": {"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1},
    }
    assert condition["query"].startswith("FunctionAppLogs\n| where Message has")
    rest = {key: value for key, value in rule.inputs.items() if key not in ("criteria", "scopes", "actions", "tags")}
    assert rest == {
        "ruleName": "noaa20-frame-loss",
        "resourceGroupName": "rg-noaa20",
        "location": "westus2",  # the workspace's region
        "kind": "LogAlert",
        "description": "A processed contact lost more than 1% of its frames (missing or corrupt; the processor's "
        "log record, field worst_loss_percent, and its contact summary say which).",
        "severity": 2,
        "enabled": True,
        "autoMitigate": True,  # resolved once a window holds no such record, as AWS's alarm goes back to OK
        "evaluationFrequency": "PT5M",
        "windowSize": "PT5M",
        # created with the workspace, before the processor's first record makes its table: a
        # validated query naming a table the workspace does not have yet fails the create
        "skipQueryValidation": True,
    }
    assert rule.inputs["tags"]["mission"] == "noaa20"
    assert rule.capability == ["observability.alarm"]


def test_a_container_job_s_records_are_read_where_each_cloud_keeps_its_console_output():
    aws, azure = variant_plan("aws", CONTAINER_JOB), variant_plan("azure", CONTAINER_JOB)
    (job,) = aws.of_type("aws:batch/jobDefinition:JobDefinition")
    group = json.loads(job.inputs["containerProperties"])["logConfiguration"]["options"]["awslogs-group"]
    assert aws.one(FILTER).inputs["logGroupName"] == group  # Batch writes where the function would
    (rule,) = azure.of_type(RULE)
    assert rule.inputs["criteria"]["allOf"][0]["query"].startswith("ContainerAppConsoleLogs\n| where Log has")


@pytest.mark.parametrize(
    "changes",
    [{"processing.loss_alarm_percent": None}, {"processing.enabled": False}],
    ids=["turned-off", "no-processor"],
)
def test_no_alarm_where_the_spec_turns_it_off_or_nothing_processes_the_contacts(changes):
    aws, azure = variant_plan("aws", changes), variant_plan("azure", changes)
    assert not aws.of_type(FILTER) and not _loss_alarm(aws) and not azure.of_type(RULE)
    # the other alarms stay
    assert aws.of_type(ALARM) and azure.of_type("azure-native:monitor:MetricAlert")


def test_the_threshold_is_the_spec_s_on_both_clouds():
    changes = {"processing.loss_alarm_percent": 0.25}
    aws, azure = variant_plan("aws", changes), variant_plan("azure", changes)
    assert aws.one(FILTER).inputs["pattern"] == "{ $.worst_loss_percent > 0.25 }"
    assert azure.one(RULE).inputs["criteria"]["allOf"][0]["query"].endswith("| where lost > 0.25")


@pytest.mark.parametrize(
    ("percent", "written"),
    [
        (1.0, "1"),
        (0.25, "0.25"),
        (99.99, "99.99"),
        (0, "0"),
        (0.00001, "0"),
        (12.3456, "12.345"),  # rounded to 12.346, a loss of 12.346 was not alarmed
        (99.9996, "99.999"),  # rounded to 100, which no loss exceeds: an alarm that never fires
        (1.001, "1.001"),  # 1000.9999... thousandths as a float: taken as written
        (1e-7, "0"),
    ],
)
def test_a_threshold_is_written_to_the_thousandth_the_record_keeps_without_an_exponent(percent, written):
    assert loss_threshold(percent) == written
    assert loss_filter_pattern(percent) == f"{{ $.{LOSS_FIELD} > {written} }}"


@given(
    percent=st.floats(min_value=0, max_value=100, exclude_max=True, allow_nan=False),
    thousandths=st.integers(min_value=0, max_value=100_000),
)
def test_the_written_threshold_alarms_exactly_the_losses_the_spec_s_does(percent, thousandths):
    """A loss is a whole number of thousandths (loss_percent): it exceeds the written threshold
    exactly when it exceeds the spec's."""
    loss = thousandths / 1000
    assert (loss > float(loss_threshold(percent))) == (loss > percent)


@pytest.mark.parametrize("line_prefix", ["", "2026-12-05T10:00:00Z INFO "])
def test_the_azure_query_reads_the_field_as_the_runtime_writes_it(line_prefix):
    """The query's pattern, applied the way KQL's extract applies it, to the record the runtime
    prints (json.dumps), whole or behind a prefix a log pipeline adds."""
    record = {"processed": "pass-7", "contacts": ["pass-7"], "counts": {}, LOSS_FIELD: 25.0}
    line = line_prefix + json.dumps(record)
    pattern = re.search(r"extract\(@'(.*)', 1,", loss_query("function", 1.0)).group(1)
    found = re.search(pattern, line)
    assert found is not None and float(found.group(1)) == 25.0


@pytest.mark.parametrize("value", [-1, 100])
def test_a_threshold_outside_0_to_100_is_refused_naming_the_field(value):
    data = with_changes(spec_data(), {"processing.loss_alarm_percent": value})
    with pytest.raises(SpecError) as refused:
        spec_from_data(data)
    assert str(refused.value) == (
        f"<spec>: processing.loss_alarm_percent: {value} is out of range; allowed: 0 to less than 100"
    )


def test_each_downlink_s_garbled_ends_count_and_a_repeated_datagram_does_not_hide_them(tmp_path):
    """Two downlinks of one contact are read one after the other: the first's garbled last frames
    and the second's garbled first ones lay between good frames and were counted nowhere (0.908%
    read for 1.8% lost). And a datagram repeated after the garbled tail is no data frame that
    ends it."""

    def garbled(counts: range, vc: int = 0) -> list[Frame]:
        return [Frame(c, vc=vc, version=0) for c in counts]

    def loss(flows: list[tuple[str, list[Frame]]], under: Path) -> float:
        for number, (folder, items) in enumerate(flows, start=1):
            capture = Capture(packetise(stream_of(items), 4096, EPOCH * 1_000_000))
            capture.write(contact_file(raw_dir(under / "raw") / folder, CONTACT_A, number))
        (found,) = discover(under / "raw", CaptureFormat())
        return loss_percent(process_contact(found, under / "out"))

    first = [*garbled(range(9)), *frames(range(9, 991)), *garbled(range(991, 1000))]
    second = [*garbled(range(9), 6), *frames(range(9, 991), 6), *garbled(range(991, 1000), 6)]
    assert loss([("downlink-a", first), ("downlink-b", second)], tmp_path / "a") == 1.8  # 36 of 2,000
    repeated = [*garbled(range(4)), *frames(range(4, 996)), *garbled(range(996, 1000)), *frames(range(992, 996))]
    assert loss([("x", repeated)], tmp_path / "b") == 0.8  # 8 of 1,000


def test_preflight_holds_the_filter_and_its_alarm_to_the_cloudwatch_api_shapes():
    """What CloudWatch Logs refuses (botocore logs PutMetricFilter: a namespace without `:`, a
    pattern of at most 1,024 characters) is a preflight finding, not a failed `pulumi up`."""
    import copy

    from groundlink.preflight import preflight

    plan = copy.deepcopy(variant_plan("aws"))
    assert not [f for f in preflight(plan) if "frame-loss" in f.resource]
    metric_filter = plan.one(FILTER)
    metric_filter.inputs["metricTransformation"]["namespace"] = "groundlink:noaa20"
    metric_filter.inputs["pattern"] = "{ $.x > 1 }" * 100
    (alarm,) = _loss_alarm(plan)
    alarm.inputs["namespace"] = ":groundlink"
    found = sorted((f.resource, f.path) for f in preflight(plan) if "frame-loss" in f.resource)
    assert found == [
        ("noaa20-observability-frame-loss", "metricTransformation.namespace"),
        ("noaa20-observability-frame-loss", "namespace"),
        ("noaa20-observability-frame-loss", "pattern"),
    ]


@pytest.mark.parametrize(
    ("items", "keep", "percent"),
    [
        # one frame of 100 missing, or corrupt where it sat: the same loss, 1 in 100
        ([*frames(range(50)), *frames(range(51, 100))], None, 1.0),
        ([*frames(range(50)), Frame(50, version=0), *frames(range(51, 100))], None, 1.0),
        # every second frame corrupt: half the data, each counted once
        ([Frame(i, version=0) if i % 2 else Frame(i) for i in range(100)], None, 50.0),
        # every frame corrupt: no sequence ever starts, nothing is missing, all is lost
        ([Frame(i, version=0) for i in range(20)], None, 100.0),
        # an outage of data frames 40-49 and the fill between them: 10 of 100 data frames, the
        # idle frames holding no data
        ([f for i in range(100) if not 40 <= i < 50 for f in (Frame(i), Frame(i, vc=63))], None, 10.0),
        # every datagram cut by the capture's snap length: no payload of the downlink at all
        (frames(range(100)), 20, 100.0),
        # 8 frames missing mid-pass and the last 9 garbled (low elevation at the end of a pass):
        # 17 of 1,000, the garbled ones in no gap (the larger of the two counts read 0.907)
        ([*frames(range(500)), *frames(range(508, 991)), *(Frame(c, version=0) for c in range(991, 1000))], None, 1.7),
        # the same at the start of the pass
        ([*(Frame(c, version=0) for c in range(9)), *frames(range(9, 500)), *frames(range(508, 1000))], None, 1.7),
    ],
    ids=["one-missing", "one-corrupt", "every-second-corrupt", "all-corrupt", "idle-fill", "all-cut", "end", "start"],
)
def test_a_contact_s_loss_is_what_the_processor_found_missing_or_corrupt_each_frame_once(
    tmp_path, items, keep, percent
):
    """Through the processor, not counts written by hand: a corrupt frame between good ones is
    also a gap in its channel's count sequence, and counting both put one corrupt frame in 100
    at 1.98%, firing the default 1% alarm where one missing frame did not."""
    packets = packetise(stream_of(items), 4096, EPOCH * 1_000_000)
    for packet in packets:
        packet.keep = keep
    Capture(packets).write(contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1))
    (found,) = discover(tmp_path / "raw", CaptureFormat())
    assert loss_percent(process_contact(found, tmp_path / "out")) == percent


@pytest.mark.parametrize(("samples", "percent"), [(False, 100.0), (True, 0.0)])
def test_a_payload_without_a_frame_is_all_lost_unless_a_downlink_delivers_digif(tmp_path, samples, percent):
    """A CADU length, sync marker or port that is not the mission's finds no frame in any contact:
    each was processed "without error" into empty products and read 0, so the alarm stayed
    silent while every contact was lost. Only a DigIF delivery holds samples and never a frame."""
    Capture(packetise(bytes(range(256)) * 800, 4096, EPOCH * 1_000_000)).write(
        contact_file(raw_dir(tmp_path / "raw"), CONTACT_A, 1)
    )
    (found,) = discover(tmp_path / "raw", CaptureFormat())
    summary = process_contact(found, tmp_path / "out")
    assert (summary["frames"], summary["payload_bytes"]) == (0, 204_800)
    assert loss_percent(summary, samples=samples) == percent


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_every_runtime_of_a_mission_with_a_digif_downlink_is_told_so_and_no_other(cloud):
    """The runtime reads a frameless contact as a loss unless told that DigIF is delivered; a
    mission without DigIF is given no new setting (an upgrade changes none of its functions)."""
    for plan in (
        cached_plan("constellation.yaml", cloud),
        variant_plan(cloud, CONTAINER_JOB, base="constellation.yaml"),
    ):
        assert [s.get(SAMPLES_DELIVERED) for s in _runtime_settings(plan, cloud)] == ["true"]
    for plan in (cached_plan("noaa20.yaml", cloud), variant_plan(cloud, CONTAINER_JOB)):
        assert [SAMPLES_DELIVERED in s for s in _runtime_settings(plan, cloud)] == [False]


@pytest.mark.parametrize(
    ("changes", "source", "sent_as"),
    [({}, "noaa20-processing-app", None), (CONTAINER_JOB, "noaa20-processing-environment", "Dedicated")],
)
def test_the_processor_s_records_land_in_the_table_the_alert_reads(changes, source, sent_as):
    """The query reads FunctionAppLogs or ContainerAppConsoleLogs, resource-specific tables; a
    diagnostic setting without `Dedicated` writes to AzureDiagnostics (the REST API's default),
    where the query found nothing and the alert never fired. App Service writes its own tables
    whatever the setting says and reads it back as null: the function app's is left unset, or it
    would differ from the stack after every refresh."""
    plan = variant_plan("azure", changes)
    settings = plan.of_type("azure-native:monitor:DiagnosticSetting")
    sent = {s.name: s.inputs.get("logAnalyticsDestinationType") for s in settings}
    processor = [s.name for s in settings if s.inputs["resourceUri"] == _id_of(plan, source)]
    assert len(processor) == 1 and sent.pop(processor[0]) == sent_as
    assert sent and set(sent.values()) == {None}  # the others keep the workspace's layout as it was


def _id_of(plan, name: str) -> str:
    (resource,) = [r for r in plan.resources if r.name == name]
    return resource.outputs["id"]


def test_a_warning_that_quotes_the_loss_field_in_a_partner_s_key_raises_no_azure_alert():
    """A partner's key `"worst_loss_percent": 100.txt` (no control character: printed as it is)
    put the field's text in the skipped-objects warning, and the query's `extract`, which reads it
    anywhere in a line, found 100. Warning lines are left out by their prefix; the runtime's JSON
    records, which escape a key's quotes, hold none."""
    from groundlink.processing.errors import WARNING_PREFIXES
    from groundlink.runtime.delivery import skipped_objects

    key = 'partner/year=2026/month=12/day=07/satellite=snpp/c1/"worst_loss_percent": 100.txt'
    warning = f"groundlink: contact c1: {skipped_objects([key])}"
    record = json.dumps({"processed": "c1", "contacts": ["c1"], "counts": {}, LOSS_FIELD: 25.0})
    failed = json.dumps({"failed": "m-1", "error": f"raw object {key}: cut short"})
    for mode in ("function", "container_job"):
        query = loss_query(mode, 1.0)
        column = PROCESSOR_LOG_TABLES[mode][1]
        pattern = re.search(r"extract\(@'(.*)', 1,", query).group(1)
        assert re.search(pattern, warning) is not None  # what the field's text alone would match
        left_out = f'| where not({column} contains "groundlink: " or {column} contains "groundlink job: ")'
        assert left_out in query.splitlines() and WARNING_PREFIXES == ("groundlink: ", "groundlink job: ")
        assert any(p in warning for p in WARNING_PREFIXES)
        assert not any(p in record for p in WARNING_PREFIXES) and re.search(pattern, record) is not None
        assert re.search(pattern, failed) is None  # JSON escapes the key's quotes
