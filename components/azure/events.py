"""Contact events: Event Grid on the account -> Service Bus queue, dead-lettered at both hops.

An ADLS write raises a `CreateFile` event before any byte is written and a
`FlushWithClose` when a flush closes the file (`close=true`; a write whose last flush
does not close raises none, which docs/azure.md tells the partner), so the subscription
passes only completed writes (`PutBlob`, `PutBlockList`, `FlushWithClose`) under the raw
container. Event Grid delivers with its own identity (Service Bus has local
auth disabled) and dead-letters what it cannot deliver into a container;
the queue dead-letters what processing gives up on.
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure

from groundlink.blueprint import EventsInputs, MissionInputs
from groundlink.runtime.delivery import BLOB_CREATED, MANIFEST_NAME

from ..base import MissionComponent
from .iam import grant, system_principal
from .naming import namespace_name
from .security import MissionKey, messaging_encryption
from .storage import DEAD_LETTER_CONTAINER, Stores, container

QUEUE_NAME = "contact-data"
MAX_DELIVERY_COUNT = 10
LOCK_DURATION = "PT5M"
MESSAGE_TTL = "P14D"
EVENT_GRID_MAX_ATTEMPTS = 30
EVENT_GRID_TTL_MINUTES = 1440
COMPLETED_WRITE_APIS = ["PutBlob", "PutBlockList", "FlushWithClose"]


class AzureEvents(MissionComponent):
    """One message per completed contact write, so processing starts on a whole contact and a
    failure is kept rather than lost. Pass `resource_group_name`, `storage` (the account whose
    raw container raises the events and keeps the dead letters), `messaging_key` (Premium
    messaging with the mission key, or None) and `processing_subnet_id` (the subnet a keyed
    namespace's firewall admits). AWS's counterpart: AwsEvents in components/aws/events.py."""

    TOKEN = "groundlink:index:AzureEvents"
    LAYER = "events"

    def __init__(
        self,
        name: str,
        mission: MissionInputs,
        inputs: EventsInputs,
        *,
        resource_group_name: pulumi.Output[str],
        storage: Stores,
        messaging_key: MissionKey | None,
        processing_subnet_id: pulumi.Output[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__(name, mission, opts)
        location = mission.region
        self.namespace = self.realize(
            azure.servicebus.Namespace(
                self.child_name("bus"),
                namespace_name=namespace_name("sb", mission.name, seed=mission.name_seed),
                resource_group_name=resource_group_name,
                location=location,
                minimum_tls_version="1.2",
                disable_local_auth=True,
                public_network_access="Enabled",
                tags=self.tags,
                **messaging_encryption(self, messaging_key, system_identity=False, holds="events.per_contact"),
            ),
            "events.per_contact",
            *(["security.messaging_cmk"] if messaging_key else []),
        )
        if messaging_key and processing_subnet_id is not None:
            self._admit_processor(resource_group_name, processing_subnet_id)
        self.queue = self.realize(
            azure.servicebus.Queue(
                self.child_name("queue"),
                queue_name=QUEUE_NAME,
                namespace_name=self.namespace.name,
                resource_group_name=resource_group_name,
                max_delivery_count=MAX_DELIVERY_COUNT,
                dead_lettering_on_message_expiration=True,
                lock_duration=LOCK_DURATION,
                default_message_time_to_live=MESSAGE_TTL,
                opts=self.holder_opts("events.per_contact"),
            ),
            "events.per_contact",
            "events.dead_letter",
        )
        self.topic = self.realize(
            azure.eventgrid.SystemTopic(
                self.child_name("topic"),
                system_topic_name=f"{mission.name}-storage-events",
                resource_group_name=resource_group_name,
                location=location,
                source=storage.account_id,
                topic_type="Microsoft.Storage.StorageAccounts",
                identity={"type": "SystemAssigned"},
                tags=self.tags,
                opts=self.opts(),
            ),
            "events.per_contact",
        )
        topic_principal = system_principal(self.topic)
        send = self.realize(
            grant(
                self,
                "topic-sends-to-queue",
                role="Azure Service Bus Data Sender",
                principal_id=topic_principal,
                scope=self.queue.id,
            ),
            "events.per_contact",
        )
        self.dead_letter = container(
            self,
            "dead-letter",
            DEAD_LETTER_CONTAINER,
            "events.dead_letter",
            account_name=storage.account_name,
            resource_group_name=resource_group_name,
        )
        dead_letter_write = self.realize(
            grant(
                self,
                "topic-writes-dead-letter",
                role="Storage Blob Data Contributor",
                principal_id=topic_principal,
                scope=self.dead_letter.id,
            ),
            "events.dead_letter",
        )
        self.subscription = self.realize(
            azure.eventgrid.SystemTopicEventSubscription(
                self.child_name("raw-created"),
                event_subscription_name="raw-contact-data-created",
                system_topic_name=self.topic.name,
                resource_group_name=resource_group_name,
                event_delivery_schema="EventGridSchema",
                filter={
                    "included_event_types": [BLOB_CREATED],
                    "subject_begins_with": f"/blobServices/default/containers/{inputs.raw_container}/",
                    # only the manifest a partner writes last under each contact's prefix, by its
                    # exact name as on AWS: a data blob's event would start a run (a Container Apps
                    # job execution) that has nothing to do
                    "subject_ends_with": f"/{MANIFEST_NAME}",
                    "is_subject_case_sensitive": True,
                    # polymorphic inputs take their Args class, so the SDK knows their wire names
                    "advanced_filters": [
                        azure.eventgrid.StringInAdvancedFilterArgs(
                            operator_type="StringIn", key="data.api", values=COMPLETED_WRITE_APIS
                        )
                    ],
                },
                delivery_with_resource_identity={
                    "identity": {"type": "SystemAssigned"},
                    "destination": azure.eventgrid.ServiceBusQueueEventSubscriptionDestinationArgs(
                        endpoint_type="ServiceBusQueue", resource_id=self.queue.id
                    ),
                },
                dead_letter_with_resource_identity={
                    "identity": {"type": "SystemAssigned"},
                    "dead_letter_destination": azure.eventgrid.StorageBlobDeadLetterDestinationArgs(
                        endpoint_type="StorageBlob",
                        resource_id=storage.account_id,
                        blob_container_name=DEAD_LETTER_CONTAINER,
                    ),
                },
                retry_policy={
                    "max_delivery_attempts": EVENT_GRID_MAX_ATTEMPTS,
                    "event_time_to_live_in_minutes": EVENT_GRID_TTL_MINUTES,
                },
                opts=self.opts(depends_on=[send, dead_letter_write, self.dead_letter]),
            ),
            "events.per_contact",
            "events.dead_letter",
        )
        # The queue's URL, as AWS exports its SQS queue URL: what a consumer connects to.
        self.queue_url = pulumi.Output.concat(
            "https://", self.namespace.name, ".servicebus.windows.net/", self.queue.name
        )
        # Service Bus keeps a queue's dead letters in its $DeadLetterQueue subqueue (AWS: a queue of its own)
        self.dead_letter_queue = pulumi.Output.concat(self.queue_url, "/$DeadLetterQueue")
        self.register_outputs({"event_queue": self.queue_url, "dead_letter_queue": self.dead_letter_queue})

    def _admit_processor(self, resource_group_name: pulumi.Input[str], subnet_id: pulumi.Input[str]) -> None:
        """A Premium namespace's firewall: only the processor's subnet (through its
        Microsoft.ServiceBus service endpoint) and trusted services, Event Grid among them,
        which delivers with its identity over the public endpoint. Without a rule Service Bus
        does not enforce `Deny`, so the subnet's rule is what closes the namespace
        (docs/processing.md, "Reaching the contact queue")."""
        self.realize(
            azure.servicebus.NamespaceNetworkRuleSet(
                self.child_name("bus-network"),
                namespace_name=self.namespace.name,
                resource_group_name=resource_group_name,
                default_action="Deny",
                public_network_access="Enabled",
                trusted_service_access_enabled=True,
                virtual_network_rules=[{"subnet": {"id": subnet_id}, "ignore_missing_vnet_service_endpoint": False}],
                ip_rules=[],
                opts=self.opts(),
            ),
            "events.per_contact",
        )
