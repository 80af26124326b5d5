"""What each layer's components register as outputs: one set of keys per layer, the same on
every cloud (one schema, one implementation per provider, the same outputs from each).

A layer component (`LAYER = "<layer>"` on its class in components/<cloud>/) registers only its
layer's keys, and the components of a layer together register all of them: a key whose resource
the spec turns off is None, never missing. Where a cloud splits a layer into several components
(AWS analytics: AwsCatalog, AwsQuery, AwsTelemetry), each registers the keys of what it builds;
a component the spec does not build registers nothing (docs/aws.md, "Component outputs").
A building block inside a layer component declares the layer when it registers some of the
layer's keys (AwsNetwork, AzurePrivateNetwork, AwsReplica); the others (a bucket, a ground link,
the retired Azure Orbital resources) declare none and register outputs of their own.
`tests/test_component_outputs.py` holds both clouds to this contract.
"""

from __future__ import annotations

# layer -> key -> what it holds, on AWS and on Azure
LAYER_OUTPUT_MEANINGS: dict[str, dict[str, str]] = {
    "security": {
        "key_ids": "the mission keys: [KMS key ARN] / [Key Vault key id]; None without customer-managed keys",
        "network_id": "the network a consumer joins to reach the mission privately: the mission VPC id "
        "(security.network: private, or a managed station's stream delivery) / the private-endpoint "
        "VNet id (security.network: private); None when the layer builds none",
        "subnet_id": "that network's subnet: the VPC's private subnet / the private-endpoint subnet; "
        "None with network_id",
    },
    "storage": {
        "raw_store_uri": "s3://<raw bucket>/ / abfss://raw-contact-data@<account>.dfs.core.windows.net/; None "
        "without a raw store (AWS with a managed station that only streams)",
        "products_store_uri": "s3://<products bucket>/ / abfss://products@<account>.dfs.core.windows.net/",
        "query_results_uri": "s3://<query-results bucket>/ / abfss://query-results@...; None without serverless SQL",
        "replica_region": "where the second copy of the stores lives (storage.redundancy: geo): "
        "clouds.aws.replica_region / the storage account's secondary location; None with zone redundancy",
    },
    "ground": {
        "ground_segment_ids": "mission profile ARNs (+ the stream receiver's interface id) or the partner landing "
        "URI (+ partner stream ARN), then the partner's role ARN / "
        "the landing container id (+ partner grant, stream hub, legacy Orbital ids)",
    },
    "events": {
        "event_queue": "the per-contact queue's URL: SQS queue URL / https://<namespace>.servicebus.windows.net/<queue>",
        "dead_letter_queue": "where contacts that failed processing go: the dead-letter SQS queue's URL / "
        "the queue's $DeadLetterQueue subqueue path (<event_queue>/$DeadLetterQueue)",
    },
    "analytics": {
        "catalog": "Glue database name / Synapse lake database or Data Explorer database name; None without catalog",
        "query_endpoint": "Athena workgroup name / Synapse serverless SQL host or Data Explorer cluster URI; "
        "None without serverless SQL",
        "telemetry_stream": "Kinesis stream ARN / Event Hub resource id; None without telemetry",
    },
    "processing": {
        "function": "the contact processor as a function: Lambda function ARN / Functions app id; "
        "None in container_job mode",
        "job": "the contact processor as a container job: AWS Batch job queue ARN / Container Apps job id; "
        "None in function mode",
    },
    "observability": {
        "alerts": "where alarms are sent: SNS topic ARN / action group id",
        "budget": "the monthly budget's name (<mission>-monthly on both)",
        "log_workspace": "the one log store every log goes to: None on AWS (each log stays beside what it "
        "describes: log groups, the access-log bucket) / the Log Analytics workspace id",
    },
}

# layer -> the output keys every cloud's components of that layer register
LAYER_OUTPUTS: dict[str, tuple[str, ...]] = {layer: tuple(keys) for layer, keys in LAYER_OUTPUT_MEANINGS.items()}
