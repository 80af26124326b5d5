"""Contact processing on Azure, the twin of components/aws/processing.py: the same
`groundlink.processing` module, triggered by the per-contact Service Bus queue, writing the
products container.

`function` mode: a Functions app on the Flex Consumption plan (Python 3.11) that runs the
package in a deployment container it reads with its own identity, a Service Bus trigger with an
identity-based connection. The package is built by `python -m groundlink.flexpackage` and
uploaded by the deployer with Entra ID: the account takes no shared key, the only way
pulumi-azure-native writes a blob. Failed messages are retried and dead-lettered by the queue's
maxDeliveryCount. `container_job` mode: a Container Apps job whose KEDA `azure-servicebus` rule
starts one execution per waiting message. Either way the app's or job's own identity holds only:
receive on the queue, read raw, write products (Storage Blob Data Contributor on that container only).
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import MissionInputs, ProcessingInputs
from groundlink.flexpackage import DEPLOYMENT_CONTAINER, code_digest
from groundlink.functiondeps import BUNDLES
from groundlink.limits import flex_maximum_instance_count
from groundlink.runtime.azure_functions import (
    ACCOUNT_URL,
    CODE_DIGEST,
    CONNECTION,
    PRODUCTS_CONTAINER,
    QUEUE,
    RAW_CONTAINER,
)
from groundlink.runtime.delivery import mission_settings
from groundlink.runtime.job import NAMESPACE, TIMEOUT
from groundlink.runtime.package import image_digest

from ..base import MissionComponent
from .iam import grant, system_principal
from .naming import compact_name, dashed_name, function_app_name
from .storage import HOST_KEYS_CONTAINER, HOST_LEASES_CONTAINER, Stores, container  # the host's own containers

PACKAGES = BUNDLES["azure"]  # the processor's and the runtime's wheels, built by `make function-deps`
RUNTIME, RUNTIME_VERSION = "python", PACKAGES.python_version


class AzureProcessing(MissionComponent):
    """The mission's contact processor on Azure: the same code as on AWS, one contact per
    Service Bus message, run by its own identity granted per queue and per container only.
    Pass `resource_group_name`, `storage` (the containers it reads and writes), `namespace` and
    `queue` (the contact queue that triggers it) and `subnet_id` (its delegated subnet, through
    which it reaches the account's firewall; or None). AWS's counterpart: AwsProcessing in
    components/aws/processing.py."""

    TOKEN = "groundlink:index:AzureProcessing"
    LAYER = "processing"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: ProcessingInputs,
        *,
        resource_group_name: pulumi.Output[str],
        storage: Stores,
        namespace: azure.servicebus.Namespace,
        queue: azure.servicebus.Queue,
        subnet_id: pulumi.Output[str] | None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        self.inputs, self.storage, self.resource_group_name = inputs, storage, resource_group_name
        self.warn_if_no_frames(inputs.frames_delivered)
        self.warn_if_randomized_frames_unread(inputs.randomized_unset)
        # The account denies what its firewall does not admit: the app or job reaches it from this
        # delegated subnet (components/azure/security.py processing_subnet).
        self.subnet_id = subnet_id
        self.namespace, self.queue = namespace, queue
        self.capability = "processing.function" if inputs.mode == "function" else "processing.container_job"
        self.grants: list[azure.authorization.RoleAssignment] = []
        # what the function mode's own containers need, granted with the rest below
        self.deployment_grants: list[tuple[str, str, pulumi.Input[str]]] = []
        self.app: azure.web.WebApp | None = None
        self.job: azure.app.Job | None = None
        self.environment: azure.app.ManagedEnvironment | None = None
        holder: pulumi.CustomResource = self._function() if inputs.mode == "function" else self._container_job()
        principal = system_principal(holder)
        # Both modes scale on the queue's message count, a management read that needs the Manage
        # right (Azure Service Bus Data Owner, scoped here to the one queue). A container job's
        # scale rule authenticates as the job's identity: with Receiver alone the count is refused
        # and no execution ever starts (microsoft/azure-container-apps#1138; kedacore/keda#7822).
        # A Functions app's trigger: "With Listen rights scaling reverts to incremental scale
        # because the queue or topic length can't be used to inform scaling decisions" (Microsoft
        # Learn, "Target-based scaling", Service Bus), so a backlog of contacts drained slowly.
        counts = [("counts-contacts", "Azure Service Bus Data Owner", queue.id)]
        for grant_name, role, scope in [
            ("receives-contacts", "Azure Service Bus Data Receiver", queue.id),
            *counts,
            ("reads-raw", "Storage Blob Data Reader", storage.raw_container_id),
            ("writes-products", "Storage Blob Data Contributor", storage.products_container_id),
            *self.deployment_grants,
        ]:
            self.grants.append(self._grant(grant_name, role, scope, principal))
        self.register_outputs({"function": self.app.id if self.app else None, "job": self.job.id if self.job else None})

    @property
    def log_sources(self) -> dict[str, pulumi.Output[str]]:
        """What writes the processor's logs, by diagnostics target name: the function app, or
        the container jobs' environment. AWS keeps them in a log group of its own."""
        if self.app is not None:
            return {"processing-app": self.app.id}
        return {"processing-environment": self.environment.id} if self.environment is not None else {}

    def _grant(
        self, name: str, role: str, scope: pulumi.Input[str], principal: pulumi.Output[str | None]
    ) -> azure.authorization.RoleAssignment:
        return self.realize(
            grant(self, name, role=role, principal_id=principal.apply(lambda p: p or ""), scope=scope),
            self.capability,
            "processing.least_privilege",
        )

    def _settings(self) -> dict[str, pulumi.Input[str]]:
        """What the runtime reads; every connection is identity-based (no keys, no secrets)."""
        return {
            ACCOUNT_URL: pulumi.Output.concat("https://", self.storage.account_name, ".blob.core.windows.net"),
            RAW_CONTAINER: self.inputs.raw_container,
            PRODUCTS_CONTAINER: self.inputs.products_container,
            QUEUE: self.queue.name,
            **mission_settings(self.inputs.capture_format, samples_delivered=self.inputs.samples_delivered),
        }

    def _function(self) -> azure.web.WebApp:
        inputs, storage = self.inputs, self.storage
        deployment = container(
            self,
            "deployment",
            DEPLOYMENT_CONTAINER,
            "processing.function",
            account_name=storage.account_name,
            resource_group_name=self.resource_group_name,
        )
        # The host keeps its leases and its keys in containers of its own in the account, created
        # here (a grant scoped to a container cannot create one) and granted there only.
        hosts, secrets = (
            container(
                self,
                child,
                name,
                "processing.function",
                account_name=storage.account_name,
                resource_group_name=self.resource_group_name,
            )
            for child, name in (("host", HOST_LEASES_CONTAINER), ("host-secrets", HOST_KEYS_CONTAINER))
        )
        self.deployment_grants = [
            ("reads-deployment", "Storage Blob Data Reader", deployment.id),
            ("host-leases", "Storage Blob Data Contributor", hosts.id),
            ("host-keys", "Storage Blob Data Contributor", secrets.id),
        ]
        plan = self.realize(
            azure.web.AppServicePlan(
                self.child_name("plan"),
                name=dashed_name("asp", self.mission.name, max_length=40),
                resource_group_name=self.resource_group_name,
                location=self.mission.region,
                kind="functionapp",
                reserved=True,  # Linux: Flex Consumption runs on Linux only
                sku={"name": "FC1", "tier": "FlexConsumption"},
                tags=self.tags,
                opts=self.opts(),
            ),
            "processing.function",
        )
        settings = {
            **self._settings(),
            f"{CONNECTION}__fullyQualifiedNamespace": pulumi.Output.concat(
                self.namespace.name, ".servicebus.windows.net"
            ),
            "AzureWebJobsStorage__accountName": storage.account_name,
            # the package is uploaded outside Pulumi: its code's digest makes a code change an update
            CODE_DIGEST: code_digest(inputs.timeout_seconds),
        }
        self.app = self.realize(
            azure.web.WebApp(
                self.child_name("app"),
                name=function_app_name(self.mission.name, seed=self.mission.name_seed),
                resource_group_name=self.resource_group_name,
                location=self.mission.region,
                kind="functionapp,linux",
                server_farm_id=plan.id,
                https_only=True,
                client_cert_enabled=False,
                identity={"type": "SystemAssigned"},
                function_app_config={
                    "deployment": {
                        "storage": {
                            "type": "blobContainer",
                            # the container's own name: the app is created after the container
                            "value": pulumi.Output.concat(
                                "https://", storage.account_name, ".blob.core.windows.net/", deployment.name
                            ),
                            "authentication": {"type": "SystemAssignedIdentity"},
                        }
                    },
                    "runtime": {"name": RUNTIME, "version": RUNTIME_VERSION},
                    "scale_and_concurrency": {
                        "instance_memory_mb": inputs.flex_instance_memory_mb,
                        # as many at once as Lambda's and the container jobs' (Azure takes 1-1000)
                        "maximum_instance_count": flex_maximum_instance_count(inputs.max_concurrency),
                    },
                },
                site_config={
                    "app_settings": [{"name": k, "value": v} for k, v in sorted(settings.items())],
                    "min_tls_version": "1.2",
                    # no ftps_state: Flex Consumption has no FTP and deprecates the setting ("FTPS not
                    # supported", Microsoft Learn, "App settings reference", Flex Consumption plan deprecations)
                    "http20_enabled": True,
                },
                public_network_access="Disabled",
                # Flex Consumption VNet integration: the deployment package, the host's leases and
                # the stores are all read through the processor's subnet
                virtual_network_subnet_id=self.subnet_id,
                tags=self.tags,
                # the host's lease and key containers exist before it starts: its grants are
                # scoped to them, so it cannot create them itself
                opts=self.opts(depends_on=[hosts, secrets]),
            ),
            "processing.function",
        )
        # The package reaches the app through its deployment container (an upload with Entra ID),
        # never through the deployment (SCM) site, whose basic-auth publishing credentials App
        # Service allows unless told otherwise (Microsoft Learn, "Disable basic authentication in
        # App Service deployments"). Flex Consumption has no FTP to close.
        self.realize(
            azure.web.WebAppScmAllowed(
                self.child_name("scm-basic-auth"),
                allow=False,
                name=self.app.name,
                resource_group_name=self.resource_group_name,
                opts=self.opts(),
            ),
            "processing.function",
        )
        return self.app

    def _container_job(self) -> azure.app.Job:
        inputs = self.inputs
        caps = ("processing.container_job",)
        self.warn_if_private_image(inputs.container_image)
        self.environment = environment = self.realize(
            azure.app.ManagedEnvironment(
                self.child_name("environment"),
                environment_name=dashed_name("cae", self.mission.name, max_length=32),
                resource_group_name=self.resource_group_name,
                location=self.mission.region,
                zone_redundant=False,
                public_network_access="Disabled",
                # an internal environment in the processor's subnet (workload profiles: a delegated subnet)
                workload_profiles=[{"name": "Consumption", "workload_profile_type": "Consumption"}],
                vnet_configuration={"infrastructure_subnet_id": self.subnet_id, "internal": True}
                if self.subnet_id
                else None,
                # the jobs' console and system logs go out through diagnostic settings (the
                # mission's workspace, components/azure/observability.py), as AWS's go to CloudWatch
                app_logs_configuration={"destination": "azure-monitor"},
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        namespace_host = pulumi.Output.concat(self.namespace.name, ".servicebus.windows.net")
        env = {
            **self._settings(),
            NAMESPACE: namespace_host,
            TIMEOUT: str(self.inputs.timeout_seconds),
            # the image is built outside Pulumi: its processor's digest makes an upgrade that
            # changes it an update, which the diff notes
            CODE_DIGEST: image_digest(),
        }
        self.job = self.realize(
            azure.app.Job(
                self.child_name("job"),
                job_name=compact_name(self.mission.name, "job", max_length=32),
                resource_group_name=self.resource_group_name,
                location=self.mission.region,
                environment_id=environment.id,
                identity={"type": "SystemAssigned"},
                configuration={
                    "trigger_type": "Event",
                    "replica_timeout": inputs.timeout_seconds,
                    "replica_retry_limit": 0,  # Service Bus retries the message, then dead-letters it
                    "event_trigger_config": {
                        "parallelism": 1,
                        "replica_completion_count": 1,
                        "scale": {
                            "min_executions": 0,
                            "max_executions": inputs.max_concurrency,
                            "polling_interval": 30,
                            "rules": [
                                {
                                    "name": "contact-queue",
                                    "type": "azure-servicebus",
                                    "identity": "system",
                                    "metadata": {
                                        "queueName": self.queue.name,
                                        "namespace": self.namespace.name,
                                        "messageCount": "1",
                                    },
                                }
                            ],
                        },
                    },
                },
                template={
                    "containers": [
                        {
                            "name": "processor",
                            "image": inputs.container_image,
                            "command": ["python", "-m", "groundlink.runtime.job"],
                            "resources": {
                                "cpu": inputs.container_vcpu,
                                "memory": f"{inputs.container_memory_gb:g}Gi",
                            },
                            "env": [{"name": k, "value": v} for k, v in sorted(env.items())],
                        }
                    ]
                },
                tags=self.tags,
                opts=self.opts(),
            ),
            *caps,
        )
        return self.job
