"""One-line edits a sampled mutation run left alive (2026-12-04), each guarded by an exact value a
user sees: planned inputs the providers require (Azure's lifecycle policy named "default", its
budget operator "GreaterThan"), the container-job stacks on both clouds, the cost lines'
price ids and bases, the decision's headline and sentence, a pack's start-up error, pack rule
messages and the spec's decode config of a partner downlink.

The planned tests share two plans, the container-job variant of specs/noaa20.yaml on each cloud;
the rest price specs without a plan, or run pack rules in process."""

from __future__ import annotations

import copy
import socket
from pathlib import Path

import pytest
from groundlink.components.aws.events import AwsEvents

from groundlink.blueprint import build_blueprint
from groundlink.check import PackProcess
from groundlink.check.host import PackError
from groundlink.cost import estimate, load_catalogs
from groundlink.cost.decision import decision
from groundlink.cost.model import key_vault_key_size
from groundlink.engine import Plan
from groundlink.report.document import cost_json
from groundlink.spec import spec_from_data

from .azure_support import one
from .conftest import DROP, spec_data, variant_plan, with_changes
from .test_cost_decision import MINUTES
from .test_cost_decision import blueprint as decision_blueprint
from .test_pack_policy_documents import PUBLIC, PUBLIC_READ, RAW, RAW_ARN, TLS, TLS_RULE, check
from .test_processing_cloud import CONTAINER_JOB

TAGS = {
    "managed-by": "groundlink",
    "cost-center": "eo-ground",
    "data-classification": "internal",
    "mission": "noaa20",
    "owner": "platform-team",
}


@pytest.fixture(scope="module")
def catalogs():
    return load_catalogs()[0]


@pytest.fixture(scope="module")
def aws_jobs() -> Plan:
    return variant_plan("aws", CONTAINER_JOB)


@pytest.fixture(scope="module")
def azure_jobs() -> Plan:
    return variant_plan("azure", CONTAINER_JOB)


# -- AWS: the telemetry archive's role, the container job's queue, no artifacts bucket -----------


def test_the_firehose_role_says_what_it_is_for(aws_jobs):
    role = aws_jobs.one("aws:iam/role:Role", "noaa20-telemetry-archive-role")
    assert role.inputs["description"] == "Firehose reads the telemetry stream and writes the products bucket"


def test_the_batch_job_queue_carries_the_mission_tags(aws_jobs):
    """Every resource carries the mission's tags (cost allocation): the job queue too."""
    queue = aws_jobs.one("aws:batch/jobQueue:JobQueue", "noaa20-processing-jobs")
    assert queue.inputs["name"] == "noaa20-contacts"
    assert queue.inputs["tags"] == TAGS


def test_a_container_job_mission_has_no_artifacts_bucket(aws_jobs):
    """The artifacts bucket holds the Lambda function's dependency layer: container jobs pull an
    image instead, so the stack has the four data stores and the log bucket only."""
    buckets = sorted(r.name for r in aws_jobs.of_type("aws:s3/bucket:Bucket"))
    assert buckets == [
        "noaa20-storage-logs",
        "noaa20-storage-products",
        "noaa20-storage-query-results",
        "noaa20-storage-raw",
    ]


# -- Azure: the Container Apps environment and job, lifecycle policy name, budget operator --------


def test_the_container_apps_environment_is_in_the_mission_region(azure_jobs):
    """clouds.azure.region of specs/noaa20.yaml is westus2: the environment is created there."""
    environment = one(azure_jobs, "app:ManagedEnvironment").inputs
    assert environment["location"] == "westus2"
    assert environment["environmentName"].startswith("cae-noaa20-")


def test_one_execution_of_the_job_completes_one_contact(azure_jobs):
    """One replica per execution, and that one replica's success completes it (a count of 2 would
    wait for a second replica that parallelism 1 never starts)."""
    trigger = one(azure_jobs, "app:Job").inputs["configuration"]["eventTriggerConfig"]
    assert (trigger["parallelism"], trigger["replicaCompletionCount"]) == (1, 1)


def test_the_storage_lifecycle_policy_is_named_default(azure_jobs):
    """Azure Storage accepts one management policy per account, and its name must be "default"."""
    policy = one(azure_jobs, "storage:ManagementPolicy").inputs
    assert policy["managementPolicyName"] == "default"


def test_budget_notifications_use_azures_operator_enum(azure_jobs):
    """Microsoft.Consumption's operator enum is spelled EqualTo, GreaterThan, GreaterThanOrEqualTo;
    GreaterThan is how AWS Budgets compares (GREATER_THAN), so both clouds alert at the same spend."""
    notes = one(azure_jobs, "consumption:Budget").inputs["notifications"]
    assert {name: note["operator"] for name, note in notes.items()} == {
        "actual-80": "GreaterThan",
        "actual-100": "GreaterThan",
    }


# -- the layer contract's message -----------------------------------------------------------------


def test_a_layer_registering_a_stray_output_is_named_in_the_error():
    events = AwsEvents.__new__(AwsEvents)
    with pytest.raises(ValueError) as raised:
        events.register_outputs({"event_queue": None, "queue_id": None})
    assert str(raised.value) == "AwsEvents registers ['queue_id'], not events outputs"


# -- a pack that does not answer ------------------------------------------------------------------


class _Exited:
    """A pack process that has already exited (nothing to stop, its stdin already closed)."""

    returncode = 0
    stdin = stdout = stderr = None

    def poll(self) -> int:
        return 0


def _reported_a_free_port(stand_in: _Exited) -> tuple[PackProcess, int]:
    """A pack host whose process (`stand_in`: none is started) reported a port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = PackProcess(Path("/nonexistent"), "groundlink", "noaa20-aws")
    process._proc = stand_in  # type: ignore[assignment]  # a stand-in for the Popen: no process is started
    process._port_line.append(str(port))
    process._port_ready.set()
    return process, port


def test_a_pack_that_never_answers_on_its_port_fails_with_the_grpc_reason():
    """The pack printed a port but nothing listens there: the first call's deadline passes and the
    check says so, with gRPC's own words, instead of failing on the error object."""
    process, port = _reported_a_free_port(_Running())
    with pytest.raises(PackError) as raised:
        process.connect(timeout=0.6)
    assert str(raised.value) == f"policy pack did not answer on port {port} within 0.6s: Deadline Exceeded"
    assert process.stub is None and process._channel is None


class _Running(_Exited):
    """A pack process still running (as far as anyone asking can tell)."""

    def poll(self) -> None:  # type: ignore[override]  # None: not exited
        return None

    def terminate(self) -> None:
        """Stopped as the host stops a pack that did not answer: nothing to stop here."""

    kill = terminate

    def wait(self, timeout: float | None = None) -> int:
        return 0


def test_a_pack_that_exits_after_its_port_line_is_said_at_once_not_after_the_timeout():
    """A pack killed after it printed its port (an out-of-memory kill) was waited for the whole
    startup timeout, 60 s by default, and then "did not answer"; its exit says why at once."""
    import time

    process, port = _reported_a_free_port(_Exited())
    process.stderr_lines.append("Killed")
    started = time.monotonic()
    with pytest.raises(PackError) as raised:
        process.connect(timeout=60)
    assert str(raised.value) == f"policy pack ended (exit 0) before it answered on port {port}: Killed"
    assert time.monotonic() - started < 30  # within a few watch periods, where it took the timeout
    assert process.stub is None and process._channel is None


# -- the decision: headline and sentence (tests/test_cost_decision.py's case) ---------------------

# a GB of telemetry on AWS: written into the on-demand Kinesis stream ($0.08/GB, every rendered
# stream's mode, priced so without a plan too) and archived by Firehose ($0.035/GB)
TELEMETRY_PER_GB = 0.08 + 0.035


def test_the_managed_headline_is_the_break_even_against_ground_station_on_demand(catalogs):
    """3 contacts/day of 9.5 min (billed 10): 912.5 min at $10/min on demand = $9,125 on AWS."""
    bp = decision_blueprint()
    d = decision(bp, estimate(bp, catalogs))
    rest = d["restMonthly"]
    # AWS with the partner costs less than Azure with it (asserted below), so the break-even is
    # that option's: $10/min plus what Ground Station's telemetry adds to AWS's other lines
    # (0.0520125 GB a month into the on-demand stream at $0.08/GB and archived at $0.035/GB, as
    # below) per partner minute
    expected = 10 + 0.0520125 * TELEMETRY_PER_GB / MINUTES
    assert d["headlineBreakEven"] == {
        "perMinute": pytest.approx(expected, abs=1e-6),
        "groundStation": "on demand",
        "partnerCloud": "aws",
    }
    # the partner totals differ by the rest alone: |AWS rest with a partner - Azure rest|, AWS's own
    # less the telemetry Ground Station sends and a partner does not: 91.25 contacts x 570 s x
    # 1,000 B/s = 0.0520125 GB a month, into the on-demand stream and archived by Firehose
    assert rest["aws"] - rest["awsWithPartner"] == pytest.approx(0.0520125 * TELEMETRY_PER_GB, abs=1e-4)
    assert d["sentence"].endswith(
        f"; with a partner on both clouds AWS is cheaper by ${abs(rest['awsWithPartner'] - rest['azure']):,.2f}"
        "/month at any partner price (for 3 contacts/day of 9.5 min per satellite)."
    )
    assert rest["aws"] < rest["azure"]


def test_with_a_partner_the_headline_is_ground_station_on_demand_against_the_partner(catalogs):
    """provider: partner: no Ground Station minutes in AWS's total, so the headline is still the
    break-even against Ground Station on demand ($9,125 for 912.5 min), not against $0."""
    bp = decision_blueprint(provider="partner", partner={"name": "ksat_lite", "price_per_minute_usd": 4})
    d = decision(bp, estimate(bp, catalogs))
    rest = d["restMonthly"]
    # AWS with Ground Station carries the rest it has with Ground Station: the partner's own plus
    # the telemetry the stream takes in and Firehose archives (0.0520125 GB, as above)
    assert rest["awsWithGroundStation"] - rest["aws"] == pytest.approx(0.0520125 * TELEMETRY_PER_GB, abs=1e-4)
    assert rest["aws"] < rest["azure"]  # the partner costs less on AWS: its break-even is the headline
    expected = 10 + 0.0520125 * TELEMETRY_PER_GB / 912.5
    assert d["headlineBreakEven"] == {
        "perMinute": pytest.approx(expected, abs=1e-6),
        "groundStation": "on demand",
        "partnerCloud": "aws",
    }
    assert d["headlineBreakEven"]["perMinute"] == d["breakEvenPerMinute"]["awsPartnerVsAwsOnDemand"]


# -- cost lines -------------------------------------------------------------------------------------


def test_the_stream_dataflow_endpoint_line_names_its_unknown_price(catalogs):
    """delivery.stream: one dataflow endpoint instance all month (730 h), priced by the EC2
    instance the user picks: the line names the price id to supply."""
    bp = build_blueprint(spec_from_data(with_changes(spec_data(), {"delivery.stream": True})))
    est = estimate(bp, catalogs)
    [line] = [x for x in est.clouds["aws"].lines if x.item == "Dataflow endpoint instance (stream delivery)"]
    assert (line.layer, line.quantity, line.price_id, line.cost, line.basis) == (
        "ground",
        730,
        "dataflow_endpoint_hour",
        None,
        "one endpoint instance running all month",
    )
    assert [x.price_id for x in est.clouds["aws"].unknowns()] == ["dataflow_endpoint_hour"]


def test_a_key_without_a_key_size_is_named_in_the_key_vault_lines(catalogs, azure_jobs):
    """A plan whose Key Vault key gives no keySize: the size is not guessed, and the lines say why."""
    doc = copy.deepcopy(azure_jobs.to_json())
    [key] = [r for r in doc["resources"] if r["type"] == "azure-native:keyvault:Key"]
    key["inputs"]["properties"].pop("keySize")
    plan = Plan.from_json(doc)
    assert key_vault_key_size(plan) == (0, "a key in the plan gives no keySize")
    bp = build_blueprint(spec_from_data(with_changes(spec_data(), dict(CONTAINER_JOB))))
    lines = estimate(bp, catalogs, plans={"azure": plan}).clouds["azure"].lines
    bases = {x.item: x.basis for x in lines if x.item.startswith("Key Vault")}
    assert bases == {
        "Key Vault HSM keys (RSA, size not in the plan)": "1 in the plan; a key in the plan gives no keySize",
        "Key Vault operations (RSA, size not in the plan)": "one per object written; a key in the plan gives no keySize",
    }


def test_without_a_telemetry_stream_no_telemetry_is_counted(catalogs):
    """noaa20: 1 kB/s over 73,000 contact seconds a month (121.67 contacts of 600 s) = 0.073 GB
    with the stream; none without it, in compare.json's usage too."""
    on = estimate(build_blueprint(spec_from_data(spec_data())), catalogs)
    assert on.usage.telemetry_gb == pytest.approx(0.073)
    spec = spec_from_data(with_changes(spec_data(), {"analytics.telemetry_stream": False}))
    off = estimate(build_blueprint(spec), catalogs)
    assert off.usage.telemetry_gb == 0.0
    assert cost_json(off, 500, spec)["usage"]["telemetryGbPerMonth"] == 0.0


# -- the spec: a partner's demod/decode downlink without a preset ---------------------------------


def test_a_partner_downlink_without_a_preset_has_no_decode_config():
    """With provider: partner the partner's network demodulates and decodes by its own configuration:
    a demod_decode downlink may name no preset and no JSON, and has no decode config of ours."""
    spec = spec_from_data(with_changes(spec_data("partner.yaml"), {"satellites.0.downlinks.0.preset": DROP}))
    link = spec.satellites[0].downlinks[0]
    assert (link.delivery, link.preset, link.decode_json) == ("demod_decode", None, None)
    assert link.decode() is None
    assert link.egress_node() is None


# -- pack rule messages ---------------------------------------------------------------------------


def test_a_public_not_action_allow_is_reported_with_the_actions_it_leaves_out():
    statement = {k: v for k, v in PUBLIC_READ.items() if k not in ("Action", "Condition")}
    statement["NotAction"] = ["s3:DeleteObject", "s3:PutBucketPolicy"]
    assert check(PUBLIC, "raw-bucket-policy", "policy.Statement.1", statement) == [
        "statement PublicRead allows every action but s3:DeleteObject, s3:PutBucketPolicy to every principal"
    ]


def test_the_tls_deny_must_name_the_bucket_as_written():
    """S3 ARNs are case-sensitive: a deny on the bucket's name in capitals covers another bucket."""
    bucket = RAW_ARN.removeprefix("arn:aws:s3:::")
    shouted = f"arn:aws:s3:::{bucket.upper()}"
    assert check(TLS_RULE, "noaa20-aws", f"{TLS}.Resource", [shouted, f"{shouted}/*"]) == [
        (f"bucket {RAW}: the policy denying aws:SecureTransport=false does not cover {RAW_ARN}, {RAW_ARN}/*", RAW)
    ]
