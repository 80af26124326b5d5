"""Contact processing in the plans of both clouds: wired to the contact queue and to the
products store, sized from `processing.*`, under an identity that may do nothing else."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from groundlink.presets import PRESETS
from groundlink.spec import SpecError, spec_from_data

from .aws_support import bucket_by_role, doc, statements
from .conftest import DROP, cached_plan, spec_data, variant_plan, with_changes

ROOT = Path(__file__).resolve().parents[1]
CONTAINER_JOB = {
    "processing.mode": "container_job",
    "processing.timeout_seconds": 7200,
    "processing.max_concurrency": 4,
    "processing.container_image": "ghcr.io/example/groundlink:1.0",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "memory_mb",
            511,
            "processing.memory_mb: 511 is under 512, the least the processor is given (Flex Consumption's smallest "
            "instance; the processor with its storage client takes about 205 MB, docs/processing.md); allowed: 512-4096",
        ),
        ("memory_mb", 8192, "processing.memory_mb: 8192 is over 4096, the largest Azure Functions Flex Consumption"),
        ("timeout_seconds", 901, "processing.timeout_seconds: 901 is outside 1-900 in mode function"),
        ("max_concurrency", 1, "processing.max_concurrency: 1 is outside 2-1000"),
        ("container_vcpu", 3.0, "processing.container_vcpu: 3 is not allowed; allowed: 0.25, 0.5, 1, 2, 4"),
        (
            "container_memory_gb",
            3.0,
            "processing.container_memory_gb: 3 is not allowed; allowed: 0.5, 1, 2, 4, 8 (2 GB per vCPU",
        ),
        ("mode", "batch", "processing.mode: 'batch' is not allowed; allowed: 'function' or 'container_job'"),
        ("container_image", "ghcr.io/x:1", "processing.container_image: only applies to mode: container_job"),
        ("container_vcpu", 1.0, "processing.container_vcpu: only applies to mode: container_job"),
    ],
)
def test_a_bad_processing_field_is_one_line_naming_it_and_what_is_allowed(field, value, message) -> None:
    data = with_changes(spec_data(), {f"processing.{field}": value})
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "spec.yaml")
    (line,) = caught.value.lines
    assert line.startswith(f"spec.yaml: {message}")


def test_a_function_memory_in_a_container_job_is_refused_not_ignored() -> None:
    """memory_mb 3000 in mode container_job passed on both clouds and sized nothing: the job
    ran with container_memory_gb's 4 GB. The reverse (container_vcpu in a function) was refused."""
    data = with_changes(spec_data(), {**CONTAINER_JOB, "processing.memory_mb": 3000})
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "spec.yaml")
    assert caught.value.lines == [
        "spec.yaml: processing.memory_mb: only applies to mode: function (a container job's memory is "
        "container_memory_gb); leave it out"
    ]
    assert spec_from_data(with_changes(spec_data(), {**CONTAINER_JOB, "processing.memory_mb": 2048}))
    # an editor reading the JSON Schema flags it too
    import jsonschema

    from groundlink.spec import json_schema

    flagged = [e.message for e in jsonschema.Draft202012Validator(json_schema()).iter_errors(data)]
    assert flagged and all("should not be valid" in m or "is not valid" in m for m in flagged)
    # under the floor or over the top, said once, as misplaced: raising 256 to 512, as the floor's
    # line told, was refused next as misplaced (a spec valid before the floor)
    for memory in (256, 8192):
        off = with_changes(spec_data(), {**CONTAINER_JOB, "processing.memory_mb": memory})
        with pytest.raises(SpecError) as caught:
            spec_from_data(off, "spec.yaml")
        assert caught.value.lines == [
            "spec.yaml: processing.memory_mb: only applies to mode: function (a container job's memory is "
            "container_memory_gb); leave it out"
        ]


def test_a_container_job_needs_its_image() -> None:
    data = with_changes(spec_data(), {"processing.mode": "container_job"})
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "spec.yaml")
    assert caught.value.lines == [
        "spec.yaml: processing.container_image: mode container_job needs the processor's "
        "image: an OCI reference (registry/name:tag) both clouds pull"
    ]


class TestAwsFunction:
    def test_the_function_consumes_the_contact_queue_reporting_failures_per_contact(self, aws_noaa20) -> None:
        queue = aws_noaa20.one("aws:sqs/queue:Queue", "noaa20-events-contacts")
        mapping = aws_noaa20.one("aws:lambda/eventSourceMapping:EventSourceMapping")
        function = aws_noaa20.one("aws:lambda/function:Function")
        assert mapping.inputs["eventSourceArn"] == queue.outputs["arn"]
        assert mapping.inputs["functionName"] == function.outputs["arn"]
        assert mapping.inputs["functionResponseTypes"] == ["ReportBatchItemFailures"]
        assert mapping.inputs["batchSize"] == 1 and mapping.inputs["scalingConfig"] == {"maximumConcurrency": 10}
        # failures reach the dead-letter queue through the queue's redrive policy
        assert '"maxReceiveCount": 5' in queue.inputs["redrivePolicy"]

    def test_the_queue_hides_a_contact_six_times_the_function_timeout(self, aws_noaa20) -> None:
        function = aws_noaa20.one("aws:lambda/function:Function")
        queue = aws_noaa20.one("aws:sqs/queue:Queue", "noaa20-events-contacts")
        assert (function.inputs["timeout"], queue.inputs["visibilityTimeoutSeconds"]) == (900, 5400)

    def test_the_function_is_sized_from_the_spec_and_encrypted_with_the_mission_key(self, aws_noaa20) -> None:
        function = aws_noaa20.one("aws:lambda/function:Function")
        key = aws_noaa20.one("aws:kms/key:Key")
        assert function.inputs["memorySize"] == 2048 and function.inputs["runtime"] == "python3.12"
        assert function.inputs["kmsKeyArn"] == key.outputs["arn"]
        assert function.inputs["handler"] == "groundlink.runtime.aws_lambda.handler"
        variables = function.inputs["environment"]["variables"]
        assert variables["GROUNDLINK_PRODUCTS_BUCKET"] == bucket_by_role(aws_noaa20, "products").outputs["bucket"]
        assert variables["GROUNDLINK_RAW_BUCKET"] == bucket_by_role(aws_noaa20, "raw").outputs["bucket"]

    def test_the_code_is_the_processor_module_byte_for_byte(self, aws_noaa20) -> None:
        code = aws_noaa20.one("aws:lambda/function:Function").inputs["code"]
        processor = (ROOT / "groundlink" / "processing" / "processor.py").read_bytes()
        assert code["groundlink/processing/processor.py"] == "sha256:" + hashlib.sha256(processor).hexdigest()

    def test_the_role_reads_raw_writes_only_product_prefixes_and_uses_the_key(self, aws_noaa20) -> None:
        policy = aws_noaa20.one("aws:iam/rolePolicy:RolePolicy", "noaa20-processing-policy")
        products = bucket_by_role(aws_noaa20, "products").outputs["arn"]
        raw = bucket_by_role(aws_noaa20, "raw").outputs["arn"]
        queue = aws_noaa20.one("aws:sqs/queue:Queue", "noaa20-events-contacts").outputs["arn"]
        by_sid = {s["Sid"]: s for s in statements(doc(policy))}
        assert by_sid["ConsumeContactQueue"]["Resource"] == queue
        assert by_sid["ReadRawContacts"] == {
            "Sid": "ReadRawContacts",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": f"{raw}/*",
        }
        # a failed multipart upload (s3transfer, above 8 MiB) is aborted, not left billed
        assert by_sid["WriteProducts"]["Action"] == ["s3:AbortMultipartUpload", "s3:PutObject"]
        assert by_sid["WriteProducts"]["Resource"] == [
            f"{products}/frames/*",
            f"{products}/frame_index/*",
            f"{products}/contact_summary/*",
        ]
        # a contact processed again replaces its earlier products: listed and deleted, in the
        # product prefixes only
        assert by_sid["ListProducts"] == {
            "Sid": "ListProducts",
            "Effect": "Allow",
            "Action": ["s3:ListBucket"],
            "Resource": products,
            "Condition": {"StringLike": {"s3:prefix": ["frames/*", "frame_index/*", "contact_summary/*"]}},
        }
        assert by_sid["ReplaceProducts"]["Action"] == ["s3:DeleteObject"]
        assert by_sid["ReplaceProducts"]["Resource"] == by_sid["WriteProducts"]["Resource"]
        assert by_sid["UseMissionKey"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
        # through S3, the queue's SQS and the function's own (encrypted) environment only
        assert by_sid["UseMissionKey"]["Condition"] == {
            "StringEquals": {"kms:ViaService": [f"{s}.us-west-2.amazonaws.com" for s in ("s3", "lambda", "sqs")]}
        }
        everywhere = [s["Sid"] for s in statements(doc(policy)) if "*" in s["Action"] or s["Resource"] == "*"]
        assert everywhere == ["WriteTraces"], "only X-Ray's uploads, which it authorizes on '*' alone"


def test_aws_container_job_is_batch_on_fargate_fed_by_a_pipe_from_the_queue() -> None:
    plan = variant_plan("aws", CONTAINER_JOB)
    queue = plan.one("aws:sqs/queue:Queue", "noaa20-events-contacts")
    pipe = plan.one("aws:pipes/pipe:Pipe")
    job_queue = plan.one("aws:batch/jobQueue:JobQueue")
    compute = plan.one("aws:batch/computeEnvironment:ComputeEnvironment")
    definition = plan.one("aws:batch/jobDefinition:JobDefinition")
    assert (pipe.inputs["source"], pipe.inputs["target"]) == (queue.outputs["arn"], job_queue.outputs["arn"])
    assert compute.inputs["computeResources"]["type"] == "FARGATE"
    assert compute.inputs["computeResources"]["maxVcpus"] == 8  # 4 contacts at once x 2 vCPU
    assert definition.inputs["timeout"] == {"attemptDurationSeconds": 7200}
    assert plan.of_type("aws:lambda/function:Function") == []
    assert plan.of_type("aws:ec2/flowLog:FlowLog"), "the job's own network logs its traffic"


@pytest.mark.parametrize(("vcpu", "most", "refused"), [(0.25, 8, 5), (0.5, 6, 3)])
def test_container_jobs_of_part_of_a_vcpu_run_as_many_at_once_on_both_clouds(vcpu, most, refused) -> None:
    """AWS Batch counts whole vCPUs (maxvCpus): 5 jobs of 0.25 vCPU were rounded to 1 vCPU (4
    at once) and 6 to 2 vCPUs (8 at once), where Azure runs exactly max_concurrency. A count that
    fills whole vCPUs plans on both clouds alike; another is refused, naming the multiple to use."""
    sized = {
        **CONTAINER_JOB,
        "processing.container_vcpu": vcpu,
        "processing.container_memory_gb": 2 * vcpu,
        "ground_segment.contact_minutes": 3,  # what a job this small has the disk for
    }
    plan = variant_plan("aws", {**sized, "processing.max_concurrency": most})
    compute = plan.one("aws:batch/computeEnvironment:ComputeEnvironment")
    assert compute.inputs["computeResources"]["maxVcpus"] * 1.0 / vcpu == most
    job = variant_plan("azure", {**sized, "processing.max_concurrency": most}).one("azure-native:app:Job")
    assert job.inputs["configuration"]["eventTriggerConfig"]["scale"]["maxExecutions"] == most
    data = with_changes(spec_data(), {**sized, "processing.max_concurrency": refused})
    with pytest.raises(SpecError) as raised:
        spec_from_data(data, "spec.yaml")
    [line] = raised.value.lines
    assert (
        f"processing.max_concurrency: {refused} jobs of {vcpu:g} vCPU are {refused * vcpu:g} vCPUs; AWS Batch" in line
    )
    assert f"use a multiple of {round(1 / vcpu)} for both clouds" in line


class TestAzureFunction:
    def test_a_flex_consumption_app_sized_from_the_spec(self, azure_noaa20) -> None:
        farm = azure_noaa20.one("azure-native:web:AppServicePlan")
        app = azure_noaa20.one("azure-native:web:WebApp")
        assert farm.inputs["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
        assert app.inputs["serverFarmId"] == farm.outputs["id"]
        config = app.inputs["functionAppConfig"]
        assert config["runtime"] == {"name": "python", "version": "3.11"}
        assert config["scaleAndConcurrency"] == {"instanceMemoryMB": 2048, "maximumInstanceCount": 10}
        assert app.inputs["httpsOnly"] is True and app.inputs["identity"] == {"type": "SystemAssigned"}

    def test_the_trigger_connects_to_the_contact_queue_by_identity(self, azure_noaa20) -> None:
        app = azure_noaa20.one("azure-native:web:WebApp")
        namespace = azure_noaa20.one("azure-native:servicebus:Namespace")
        settings = {s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]}
        host = f"{namespace.inputs['namespaceName']}.servicebus.windows.net"
        assert settings["ServiceBusConnection__fullyQualifiedNamespace"] == host
        assert settings["GROUNDLINK_QUEUE"] == "contact-data"
        assert not [k for k in settings if "ConnectionString" in k or k == "AzureWebJobsStorage"]

    def test_the_app_identity_writes_only_the_products_container(self, azure_noaa20) -> None:
        grants = [
            g for g in azure_noaa20.of_type("azure-native:authorization:RoleAssignment") if "-processing-" in g.name
        ]
        products = azure_noaa20.one("azure-native:storage:BlobContainer", "noaa20-storage-products")
        queue = azure_noaa20.one("azure-native:servicebus:Queue")
        roles = {
            g.name.split("-processing-")[1]: (g.inputs["description"].split(": ")[1], g.inputs["scope"]) for g in grants
        }
        assert roles["writes-products"] == ("Storage Blob Data Contributor", products.outputs["id"])
        assert roles["receives-contacts"] == ("Azure Service Bus Data Receiver", queue.outputs["id"])
        # the trigger's scaling reads the queue's length, which needs the Manage right: with Listen
        # alone Functions scales incrementally (Microsoft Learn, "Target-based scaling")
        assert roles["counts-contacts"] == ("Azure Service Bus Data Owner", queue.outputs["id"])
        writers = [scope for role, scope in roles.values() if role == "Storage Blob Data Contributor"]
        assert sorted(s.rsplit("/", 1)[1] for s in writers) == [
            "azure-webjobs-hosts",
            "azure-webjobs-secrets",
            "products",
        ]


@pytest.mark.parametrize(("jobs", "warned"), [(248, False), (252, True)])
def test_aws_container_jobs_that_may_outgrow_their_subnet_are_warned_of(jobs, warned) -> None:
    """Each Fargate task holds a network interface of its own in the jobs' one subnet, a /24 of 251
    usable addresses (EC2 reserves 5): 1,000 jobs of 0.25 vCPU at once planned without a word,
    and every one past the 251st had no address to start with. Azure's jobs hold no subnet."""
    small = {
        **CONTAINER_JOB,
        "processing.container_vcpu": 0.25,
        "processing.container_memory_gb": 0.5,
        "processing.max_concurrency": jobs,  # a multiple of 4: whole vCPUs
        "ground_segment.contact_minutes": 3,
    }
    warnings = [w for w in variant_plan("aws", small).warnings if w.startswith("processing.max_concurrency")]
    assert warnings == (
        [
            f"processing.max_concurrency: {jobs} AWS container jobs may run at once, each a Fargate task with a "
            "network interface of its own in the jobs' subnet 10.64.0.0/24, which has 251 addresses (EC2 reserves 5 "
            "of each subnet's): past 251 jobs at once a task finds no address to start with; set "
            "processing.max_concurrency to 248 or fewer"  # a multiple of 4 at 0.25 vCPU, as validate takes
        ]
        if warned
        else []
    )
    assert not [w for w in variant_plan("azure", small).warnings if w.startswith("processing.max_concurrency")]


def test_the_jobs_subnet_bound_is_its_usable_addresses() -> None:
    from groundlink.components.aws.processing import jobs_subnet_problem

    assert jobs_subnet_problem(251, "10.64.0.0/24") is None
    assert jobs_subnet_problem(252, "10.64.0.0/24") is not None
    assert jobs_subnet_problem(11, "10.0.0.0/28") is None  # 16 - 5
    assert jobs_subnet_problem(12, "10.0.0.0/28") is not None
    # the count it advises is one the spec takes: whole vCPUs (251 x 0.5 = 125.5 is refused)
    for vcpu, most in ((0.25, 248), (0.5, 250), (1.0, 251), (2.0, 251)):
        advice = jobs_subnet_problem(1000, "10.64.0.0/24", vcpu)
        assert advice is not None and advice.endswith(f"set processing.max_concurrency to {most} or fewer")
        assert (most * vcpu).is_integer()


def test_azure_container_job_is_scaled_by_the_service_bus_queue() -> None:
    plan = variant_plan("azure", CONTAINER_JOB)
    job = plan.one("azure-native:app:Job")
    config = job.inputs["configuration"]
    (rule,) = config["eventTriggerConfig"]["scale"]["rules"]
    assert config["triggerType"] == "Event" and config["replicaTimeout"] == 7200
    assert rule["type"] == "azure-servicebus" and rule["metadata"]["queueName"] == "contact-data"
    assert config["eventTriggerConfig"]["scale"]["maxExecutions"] == 4
    container = job.inputs["template"]["containers"][0]
    assert container["image"] == "ghcr.io/example/groundlink:1.0"
    assert container["resources"] == {"cpu": 2.0, "memory": "4Gi"}
    # the execution renews its message's lock for as long as the replica may run
    assert {"name": "GROUNDLINK_TIMEOUT_SECONDS", "value": "7200"} in container["env"]
    assert plan.of_type("azure-native:web:WebApp") == []
    # the scale rule reads the queue's message count as the job's identity ("identity": "system"),
    # which needs the Manage right: Data Owner on that one queue, beside Receiver for the messages
    assert rule["identity"] == "system"
    queue = plan.one("azure-native:servicebus:Queue").outputs["id"]
    grants = {
        g.name.split("-processing-")[1]: (g.inputs["description"].split(": ")[1], g.inputs["scope"])
        for g in plan.of_type("azure-native:authorization:RoleAssignment")
        if "-processing-" in g.name
    }
    assert grants["counts-contacts"] == ("Azure Service Bus Data Owner", queue)
    assert grants["receives-contacts"] == ("Azure Service Bus Data Receiver", queue)


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_both_clouds_realize_the_same_processing_capabilities(cloud) -> None:
    plan = cached_plan("noaa20.yaml", cloud)
    assert plan.realizing("processing.function") and plan.realizing("processing.least_privilege")
    assert not plan.realizing("processing.container_job")
    disabled = variant_plan(cloud, {"processing.enabled": False})
    assert not [r for r in disabled.resources if "processing" in r.name]


DEFAULT_CAPTURE = '{"cadu_length":1024,"spacecraft_ids":[],"udp_ports":[]}'
# the reference spec's: JPSS-1 HRD frames arrive pseudo-randomized (docs/processing.md)
NOAA20_CAPTURE = '{"cadu_length":1024,"pseudo_randomized":true,"spacecraft_ids":[],"udp_ports":[]}'
MISSION_CAPTURE = '{"cadu_length":2048,"spacecraft_ids":[157],"udp_ports":[55888]}'


def _runtime_settings(plan, cloud: str) -> list[dict[str, str]]:
    """Every runtime environment the plan gives the processor (function or job), as name -> value."""
    found = []
    for fn in plan.of_type("aws:lambda/function:Function"):
        found.append(fn.inputs["environment"]["variables"])
    for definition in plan.of_type("aws:batch/jobDefinition:JobDefinition"):
        found.append(
            {e["name"]: e["value"] for e in json.loads(definition.inputs["containerProperties"])["environment"]}
        )
    for app in plan.of_type("azure-native:web:WebApp"):
        found.append({s["name"]: s["value"] for s in app.inputs["siteConfig"]["appSettings"]})
    for job in plan.of_type("azure-native:app:Job"):
        found.append({e["name"]: e["value"] for e in job.inputs["template"]["containers"][0]["env"]})
    assert found, f"no processor runtime in the {cloud} plan"
    return found


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_every_processor_runtime_gets_the_specs_capture_format(cloud: str) -> None:
    capture = {"processing.capture": {"cadu_length": 2048, "spacecraft_ids": [157], "udp_ports": [55888]}}
    for plan, expected in (
        (cached_plan("noaa20.yaml", cloud), NOAA20_CAPTURE),
        (variant_plan(cloud, capture), MISSION_CAPTURE),
        (variant_plan(cloud, CONTAINER_JOB), NOAA20_CAPTURE),
        (cached_plan("partner.yaml", cloud), DEFAULT_CAPTURE),
    ):
        assert [s["GROUNDLINK_CAPTURE_FORMAT"] for s in _runtime_settings(plan, cloud)] == [expected]


def test_the_aws_runtime_knows_the_satellites_its_catalog_projects_for_a_partner() -> None:
    """A partner's satellite partitions are an enum projection of the spec's names on AWS: its
    function and its jobs are told them (the runtime says of a contact under another name that
    Athena will not see it). Ground Station's are injected, and Azure's views read every name."""
    settings = "GROUNDLINK_CATALOGED_SATELLITES"
    for plan in (cached_plan("partner.yaml", "aws"), variant_plan("aws", CONTAINER_JOB, base="partner.yaml")):
        assert [s.get(settings) for s in _runtime_settings(plan, "aws")] == ["snpp"]
    for plan, cloud in ((cached_plan("noaa20.yaml", "aws"), "aws"), (cached_plan("partner.yaml", "azure"), "azure")):
        assert all(settings not in s for s in _runtime_settings(plan, cloud))


@pytest.mark.parametrize("cloud", ["aws", "azure"])
@pytest.mark.parametrize(
    ("image", "registry"),
    [
        ("123456789012.dkr.ecr.us-west-2.amazonaws.com/groundlink:1", "an Amazon ECR private registry"),
        ("missionreg.azurecr.io/groundlink:1", "an Azure Container Registry"),
        ("missionreg.azurecr.us:443/groundlink:1", "an Azure Container Registry"),  # a sovereign cloud, a port
        ("123456789012.dkr-ecr.us-west-2.on.aws/groundlink:1", "an Amazon ECR private registry"),  # dual-stack
        ("ghcr.io/example/groundlink:1", None),
        ("public.ecr.aws/example/groundlink:1", None),
    ],
)
def test_an_image_in_a_private_registry_is_warned_about_on_both_clouds(cloud, image, registry) -> None:
    """The jobs get no registry credentials: a private image fails every job at its first pull."""
    plan = variant_plan(cloud, {"processing.mode": "container_job", "processing.container_image": image})
    warned = [w for w in plan.warnings if w.startswith("processing.container_image is in ")]
    if registry is None:
        assert warned == []
    else:
        host = image.split("/")[0].split(":")[0]
        assert warned == [
            f"processing.container_image is in {registry} ({host}), which the jobs are given no credentials to "
            f"pull from{' unless its anonymous pull is on' if 'azurecr' in host else ''}: push it to a registry "
            "both clouds pull from anonymously (docs/processing.md)"
        ]


def test_a_container_jobs_memory_over_the_function_bound_names_the_jobs_own_field() -> None:
    """memory_mb is the function's; in mode container_job the advice "use mode: container_job"
    was the one the spec had already taken."""
    data = with_changes(spec_data(), {**CONTAINER_JOB, "processing.memory_mb": 5000})
    with pytest.raises(SpecError) as caught:
        spec_from_data(data, "spec.yaml")
    assert "a container job's memory is container_memory_gb" in str(caught.value)
    assert "use mode: container_job" not in str(caught.value)


def test_an_aws_contact_job_that_fails_every_attempt_reaches_the_dead_letter_queue():
    """The pipe takes a contact's message off the queue when it submits the job, so the queue's
    redrive never sees a job that fails: its contact was lost without an alarm. Batch's FAILED
    job event for the mission's job queue is sent to the dead-letter queue, whose policy lets
    that rule send."""
    plan = variant_plan("aws", CONTAINER_JOB)
    rule = plan.one("aws:cloudwatch/eventRule:EventRule", "noaa20-events-failed-jobs")
    assert json.loads(rule.inputs["eventPattern"]) == {
        "source": ["aws.batch"],
        "detail-type": ["Batch Job State Change"],
        "detail": {"status": ["FAILED"], "jobQueue": [{"wildcard": "arn:aws:batch:*:*:job-queue/noaa20-contacts"}]},
    }
    [job_queue] = plan.of_type("aws:batch/jobQueue:JobQueue")
    assert job_queue.inputs["name"] == "noaa20-contacts"  # the queue the pattern names
    target = plan.one("aws:cloudwatch/eventTarget:EventTarget", "noaa20-events-failed-jobs-to-dead-letter")
    dead_letter = plan.one("aws:sqs/queue:Queue", "noaa20-events-dead-letter")
    assert target.inputs["arn"] == dead_letter.outputs["arn"] and target.inputs["rule"] == rule.outputs["name"]
    policy = plan.one("aws:sqs/queuePolicy:QueuePolicy", "noaa20-events-dead-letter-policy")
    [sends] = [s for s in statements(doc(policy)) if s["Effect"] == "Allow"]
    assert rule.outputs["arn"] in sends["Condition"]["ArnEquals"]["aws:SourceArn"]
    assert sends["Action"] == "sqs:SendMessage" and sends["Principal"] == {"Service": "events.amazonaws.com"}


@pytest.mark.parametrize("changes", [{}, {"processing.enabled": False}], ids=["function", "off"])
def test_without_container_jobs_no_failed_job_rule_is_planned(changes):
    plan = variant_plan("aws", changes)
    assert [r.name for r in plan.of_type("aws:cloudwatch/eventRule:EventRule") if "failed-jobs" in r.name] == []


def test_aws_container_jobs_on_a_private_mission_say_they_run_outside_the_private_network():
    private_jobs = variant_plan("aws", {**CONTAINER_JOB, "security.network": "private"})
    [warning] = [w for w in private_jobs.warnings if w.startswith("security.network: private: the AWS container jobs")]
    assert "public addresses" in warning and "function mode keeps processing inside the private network" in warning
    public_jobs = variant_plan("aws", CONTAINER_JOB)
    assert not [w for w in public_jobs.warnings if w.startswith("security.network: private")]


DIGIF_ONLY = {
    "satellites.0.downlinks.0.delivery": "digif",
    "satellites.0.downlinks.0.bandwidth_mhz": 1.0,
    "satellites.0.downlinks.0.preset": DROP,
}


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_a_processor_with_only_digif_to_read_is_warned_of_on_both_clouds(cloud):
    """DigIF delivers samples of the signal, no transfer frames: the processor ran on every contact,
    found nothing and wrote empty products, billed, with no word in the plan."""
    warned = [w for w in variant_plan(cloud, DIGIF_ONLY).warnings if "every downlink delivers digif" in w]
    assert warned == [
        "processing.enabled: every downlink delivers digif (samples of the signal, no transfer frames): the "
        "processor finds no frames in any contact and writes empty products; set processing.enabled: false unless "
        "a demod_decode downlink is added"
    ]
    assert not [w for w in cached_plan("noaa20.yaml", cloud).warnings if "digif" in w]


RETRY_OFFLINE = (
    "storage.tiering: from day {day} raw files are in S3 Glacier Flexible Retrieval or Deep Archive, within the "
    "{window} days{queued} after its first file a failed contact's message may wait for a retry or a redrive: a "
    "contact processed after day {day} cannot read its capture (S3 GetObject: InvalidObjectState) until it is "
    "restored (S3 RestoreObject); "
    "a first cold or archive step at day {window} or later{margin} keeps every retry's capture online"
)
JOB_AT = {"processing.mode": "container_job", "processing.container_image": "ghcr.io/example/groundlink:1"}


@pytest.mark.parametrize(
    ("changes", "day", "window"),
    [
        # S3 ages a file from its creation: the contact's first file is older than its event by up to
        # the longest contact and padding a spec takes (360 min + 2 x 21,600 s = 18 h); the event
        # reaches the queue up to a day late (EventBridge's retries), and a function's message keeps
        # that enqueue time in the dead-letter queue: 18 h + 1 + 14 days = 15.75, so 16
        ({"storage.tiering": [{"after_days": 15, "tier": "cold"}]}, 15, 16),
        ({"storage.tiering": [{"after_days": 16, "tier": "cold"}]}, None, 16),
        ({"storage.tiering": [{"after_days": 30, "tier": "cool"}]}, None, 16),  # Standard-IA is online
        ({"storage.tiering": [{"after_days": 1, "tier": "cold"}], "processing.enabled": False}, None, 16),
        # a job's dead-letter message is new: sent after 3 attempts of timeout_seconds and up to a
        # day of delivery, then kept 14 days: 15.75 + 3 x 900 s + 1 day = 16.78, so 17
        ({"storage.tiering": [{"after_days": 16, "tier": "archive"}], **JOB_AT}, 16, 17),
        ({"storage.tiering": [{"after_days": 17, "tier": "archive"}], **JOB_AT}, None, 17),
        # 3 x 86,400 s: 19.75, so 20
        (
            {"storage.tiering": [{"after_days": 19, "tier": "cold"}], **JOB_AT, "processing.timeout_seconds": 86400},
            19,
            20,
        ),
    ],
)
def test_raw_files_offline_before_a_redrive_can_come_are_warned_of_on_aws(changes, day, window):
    """A failed contact waits in the dead-letter queue for a redrive; raw files moved to an offline
    tier before it can come cannot be read by it. Azure keeps archive-aged data in Cold."""
    warned = [w for w in variant_plan("aws", changes).warnings if "a retry or a redrive" in w]
    job = changes.get("processing.mode") == "container_job"
    expected = RETRY_OFFLINE.format(
        day=day,
        window=window,
        queued=" (and the time its jobs wait to start)" if job else "",
        margin=" and a margin for that wait" if job else "",
    )
    assert warned == ([] if day is None else [expected])
    assert not [w for w in variant_plan("azure", changes).warnings if "a retry or a redrive" in w]


def _role_policy_statements(plan, role_arn) -> list[dict]:
    role = next(r for r in plan.of_type("aws:iam/role:Role") if r.outputs["arn"] == role_arn)
    (policy,) = [p for p in plan.of_type("aws:iam/rolePolicy:RolePolicy") if p.inputs["role"] == role.outputs["id"]]
    return json.loads(policy.inputs["policy"])["Statement"]


@pytest.mark.parametrize("changes", [{}, {"security.network": "private"}], ids=["public", "private"])
def test_an_actively_traced_function_may_send_its_traces(changes) -> None:
    """Lambda refuses to create an actively traced function whose role cannot call
    xray:PutTraceSegments (docs/facts.md §10); X-Ray authorizes its uploads only on "*"."""
    plan = variant_plan("aws", changes)
    (function,) = plan.of_type("aws:lambda/function:Function")
    assert function.inputs["tracingConfig"] == {"mode": "Active"}
    traces = [s for s in _role_policy_statements(plan, function.inputs["role"]) if s["Sid"] == "WriteTraces"]
    assert traces == [
        {
            "Sid": "WriteTraces",
            "Effect": "Allow",
            "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"],
            "Resource": "*",
        }
    ]


def test_a_container_jobs_role_sends_no_traces_and_writes_no_logs() -> None:
    """The Batch job is not traced, so its role gets no X-Ray action (least privilege); its output
    reaches the log group through the awslogs driver, which writes with the execution role, so
    the job role gets no log action either (the execution role has them)."""
    plan = variant_plan("aws", CONTAINER_JOB)
    definition = plan.one("aws:batch/jobDefinition:JobDefinition")
    properties = json.loads(definition.inputs["containerProperties"])
    actions = [a for s in _role_policy_statements(plan, properties["jobRoleArn"]) for a in s["Action"]]
    assert actions and not [a for a in actions if a.startswith(("xray:", "logs:"))]
    execution = [a for s in _role_policy_statements(plan, properties["executionRoleArn"]) for a in s["Action"]]
    assert {"logs:CreateLogStream", "logs:PutLogEvents"} <= set(execution)
    # and uses the mission key through S3 alone: it reads no queue and has no encrypted environment
    (key,) = [s for s in _role_policy_statements(plan, properties["jobRoleArn"]) if s["Sid"] == "UseMissionKey"]
    assert key["Condition"] == {"StringEquals": {"kms:ViaService": "s3.us-west-2.amazonaws.com"}}


RANDOMIZER_UNSET = "processing.capture.pseudo_randomized is off, but the preset of noaa20-hrd sends CADUs"


@pytest.mark.parametrize(
    ("cloud", "changes", "warned"),
    [
        ("aws", {"processing.capture.pseudo_randomized": False}, True),
        ("aws", {}, False),  # the reference spec sets it
        ("azure", {"processing.capture.pseudo_randomized": False}, False),  # no Ground Station decode graph there
        # a station whose downlink gives its own decode graph: nothing known of its link
        (
            "aws",
            {
                "processing.capture.pseudo_randomized": False,
                "satellites.0.downlinks.0.preset": DROP,
                "satellites.0.downlinks.0.demodulation_json": PRESETS["jpss1_hrd"].demodulation_json(7812.0),
                "satellites.0.downlinks.0.decode_json": PRESETS["jpss1_hrd"].decode_json(),
            },
            False,
        ),
    ],
)
def test_a_station_preset_that_sends_randomized_frames_warns_when_the_setting_is_off(cloud, changes, warned):
    """AWS Ground Station's decode graph leaves the CCSDS pseudo-randomizer on JPSS-1 HRD frames:
    read with the setting off, every frame of every contact is corrupt and the products hold none
    of the data, with the plan, the pack and preflight all clean."""
    plan = variant_plan(cloud, changes)
    assert any(w.startswith(RANDOMIZER_UNSET) for w in plan.warnings) is warned


def test_the_randomizer_warning_names_the_links_it_reads_wrong_and_the_setting_that_reads_it():
    """The whole warning, on a mission of 24 such links: the first five named and the others
    counted (a line naming each of 4,000 was 60 KB), and the way out spelt as the spec field it
    is (the one line a user acts on: the setting is the mission's, not a link's)."""
    plan = variant_plan("aws", {"processing.capture.pseudo_randomized": False}, "constellation.yaml")
    (warning,) = [w for w in plan.warnings if w.startswith("processing.capture.pseudo_randomized is off")]
    links = "eo01-xband, eo02-xband, eo03-xband, eo04-xband, eo05-xband and 19 more"
    assert warning == (
        f"processing.capture.pseudo_randomized is off, but the preset of {links} sends CADUs that carry "
        "the CCSDS pseudo-randomizer, which AWS Ground Station's decode graph does not take off "
        "(docs/processing.md): every frame of those contacts reads as corrupt; set "
        "processing.capture.pseudo_randomized: true"
    )
