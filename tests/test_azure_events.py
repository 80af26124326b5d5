"""Contact events: BlobCreated on the raw container -> Service Bus queue, dead-lettered at both hops."""

from __future__ import annotations

from .azure_support import every, one

SB_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"


def test_service_bus_is_entra_only_tls12(azure_noaa20):
    namespace = one(azure_noaa20, "servicebus:Namespace").inputs
    assert namespace["minimumTlsVersion"] == "1.2"
    assert namespace["disableLocalAuth"] is True


def test_queue_dead_letters_with_a_maximum_delivery_count(azure_noaa20):
    queue = one(azure_noaa20, "servicebus:Queue")
    assert queue.inputs["queueName"] == "contact-data"
    assert queue.inputs["deadLetteringOnMessageExpiration"] is True
    assert 1 <= queue.inputs["maxDeliveryCount"] <= 100
    assert {"events.per_contact", "events.dead_letter"} <= set(queue.capability)
    namespace = one(azure_noaa20, "servicebus:Namespace")
    # a queue URL, the same kind of value AWS exports (its SQS queue URL)
    assert (
        azure_noaa20.outputs["event_queue"]
        == f"https://{namespace.outputs['name']}.servicebus.windows.net/contact-data"
    )


def test_system_topic_watches_the_mission_account(azure_noaa20):
    topic = one(azure_noaa20, "eventgrid:SystemTopic").inputs
    assert topic["source"] == one(azure_noaa20, "storage:StorageAccount").outputs["id"]
    assert topic["topicType"] == "Microsoft.Storage.StorageAccounts"


def test_subscription_passes_completed_manifests_under_the_raw_container_to_the_queue(azure_noaa20):
    subscription = one(azure_noaa20, "eventgrid:SystemTopicEventSubscription").inputs
    flt = subscription["filter"]
    assert flt["includedEventTypes"] == ["Microsoft.Storage.BlobCreated"]
    assert flt["subjectBeginsWith"] == "/blobServices/default/containers/raw-contact-data/"
    # only a contact's manifest, by its exact name as on AWS: a data blob's event would start a
    # run (a Container Apps job execution) with nothing to do
    assert (flt["subjectEndsWith"], flt["isSubjectCaseSensitive"]) == ("/manifest.json", True)
    [api] = flt["advancedFilters"]
    assert api["key"] == "data.api" and "FlushWithClose" in api["values"] and "CreateFile" not in api["values"]
    delivery = subscription["deliveryWithResourceIdentity"]
    assert delivery["destination"] == {
        "endpointType": "ServiceBusQueue",
        "resourceId": one(azure_noaa20, "servicebus:Queue").outputs["id"],
    }


def test_undeliverable_events_land_in_a_dead_letter_container(azure_noaa20):
    subscription = one(azure_noaa20, "eventgrid:SystemTopicEventSubscription").inputs
    destination = subscription["deadLetterWithResourceIdentity"]["deadLetterDestination"]
    containers = {c.inputs["containerName"] for c in every(azure_noaa20, "storage:BlobContainer")}
    assert destination["endpointType"] == "StorageBlob" and destination["blobContainerName"] in containers


def test_the_topic_identity_may_only_send_to_the_queue(azure_noaa20):
    topic = one(azure_noaa20, "eventgrid:SystemTopic")
    principal = topic.outputs["identity"]["principalId"]
    grants = [g for g in every(azure_noaa20, "authorization:RoleAssignment") if g.inputs["principalId"] == principal]
    queue_id = one(azure_noaa20, "servicebus:Queue").outputs["id"]
    sends = [g for g in grants if g.inputs["roleDefinitionId"].endswith(SB_SENDER)]
    assert [g.inputs["scope"] for g in sends] == [queue_id]
    assert all(g.inputs["scope"].endswith(("/queues/contact-data", "/containers/event-dead-letter")) for g in grants)
    subscription = one(azure_noaa20, "eventgrid:SystemTopicEventSubscription")
    assert {g.urn for g in grants} <= set(subscription.dependencies)
