"""Resource type tokens the rules match, per provider.

pulumi-aws v7 split the S3 bucket into side resources and kept both spellings
(`BucketV2`/`BucketVersioningV2` ... and the un-suffixed names); a guard that
knew only one spelling would let the other through, so every S3 group lists
both. azure-native tokens may carry an explicit API version module
(`azure-native:storage/v20240101:StorageAccount`); `is_type` accepts those.
"""

from __future__ import annotations

import re

# --- AWS (pulumi-aws v7) ---------------------------------------------------
S3_BUCKET = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
# Buckets of other kinds, which the general-purpose bucket rules do not fit (no versioning or
# public access block of their own) but which hold data all the same, and take force_destroy.
S3_OTHER_BUCKETS = (
    "aws:s3/directoryBucket:DirectoryBucket",
    "aws:s3tables/tableBucket:TableBucket",
    "aws:s3/vectorsVectorBucket:VectorsVectorBucket",  # its force_destroy deletes every index and vector
)
S3_PUBLIC_ACCESS_BLOCK = ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",)
S3_ACCOUNT_PUBLIC_ACCESS_BLOCK = ("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",)
S3_POLICY = ("aws:s3/bucketPolicy:BucketPolicy",)
S3_SSE = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)
S3_VERSIONING = ("aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2")
S3_LOGGING = ("aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2")
S3_LIFECYCLE = (
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
)
S3_ACL = ("aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2")
S3_OWNERSHIP = ("aws:s3/bucketOwnershipControls:BucketOwnershipControls",)
S3_REPLICATION = ("aws:s3/bucketReplicationConfig:BucketReplicationConfig",)

KMS_KEY = ("aws:kms/key:Key",)
# Every KMS key a stack can create and encrypt with: a multi-Region replica of a key (of this
# stack or another) and imported key material are keys of the stack's own as much as a Key.
KMS_KEYS_OF_THE_STACK = (
    *KMS_KEY,
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
)
KMS_KEY_POLICY = ("aws:kms/keyPolicy:KeyPolicy",)  # replaces its key's policy (PutKeyPolicy)
IAM_ROLE = ("aws:iam/role:Role",)
IAM_POLICY_DOCS = (
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
)
ATHENA_WORKGROUP = ("aws:athena/workgroup:Workgroup",)
GLUE_DATABASE = ("aws:glue/catalogDatabase:CatalogDatabase",)
GLUE_ENCRYPTION = ("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",)
KINESIS_STREAM = ("aws:kinesis/stream:Stream",)
FIREHOSE = ("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",)
LAMBDA_FUNCTION = ("aws:lambda/function:Function",)
# who may invoke a function or use a layer, besides its event source mappings
LAMBDA_PERMISSIONS = ("aws:lambda/permission:Permission", "aws:lambda/layerVersionPermission:LayerVersionPermission")
LAMBDA_ACCESS = (LAMBDA_PERMISSIONS[0], "aws:lambda/functionUrl:FunctionUrl", LAMBDA_PERMISSIONS[1])
SQS_QUEUE = ("aws:sqs/queue:Queue",)
# each replaces one attribute of its queue (SetQueueAttributes), as the queue's own input does
SQS_QUEUE_POLICY = ("aws:sqs/queuePolicy:QueuePolicy",)
SQS_REDRIVE_POLICY = ("aws:sqs/redrivePolicy:RedrivePolicy",)
SQS_REDRIVE_ALLOW_POLICY = ("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",)
SNS_TOPIC = ("aws:sns/topic:Topic",)
SNS_TOPIC_POLICY = ("aws:sns/topicPolicy:TopicPolicy",)  # replaces its topic's Policy attribute
VPC = ("aws:ec2/vpc:Vpc", "aws:ec2/defaultVpc:DefaultVpc")  # a program may adopt the default VPC
FLOW_LOG = ("aws:ec2/flowLog:FlowLog",)
LOG_GROUP = ("aws:cloudwatch/logGroup:LogGroup",)
# Resource policies of the other kinds that hold or carry a mission's data, each naming who may
# read or write it: a stream's records, the catalog, log groups, an event bus, a secret, images.
OTHER_RESOURCE_POLICIES = (
    "aws:kinesis/resourcePolicy:ResourcePolicy",
    "aws:glue/resourcePolicy:ResourcePolicy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
    "aws:secretsmanager/secretPolicy:SecretPolicy",
    "aws:secretsmanager/secret:Secret",  # its own `policy` input, as a SecretPolicy sets it
    "aws:ecr/repositoryPolicy:RepositoryPolicy",
    # aws-native's kinds that hold a whole policy document (`policy`, `repositoryPolicyText`)
    "aws-native:events:EventBus",
    "aws-native:eventsv2:ResourcePolicy",  # an event bus's policy document, set apart from the bus
    "aws-native:ecr:Repository",
)
# an event bus's grant to one account, or to every account with principal '*' (PutPermission)
EVENT_PERMISSION = ("aws:cloudwatch/eventPermission:EventPermission",)

# --- AWS Ground Station (pulumi-aws-native; CloudFormation AWS::GroundStation::*) ---
GS_CONFIG = ("aws-native:groundstation:Config",)
GS_MISSION_PROFILE = ("aws-native:groundstation:MissionProfile",)
GS_ENDPOINT_GROUP = (
    "aws-native:groundstation:DataflowEndpointGroup",
    "aws-native:groundstation:DataflowEndpointGroupV2",
)
GS_ALL = GS_CONFIG + GS_MISSION_PROFILE + GS_ENDPOINT_GROUP

# --- Azure (pulumi-azure-native 3.x) ----------------------------------------
STORAGE_ACCOUNT = ("azure-native:storage:StorageAccount",)
BLOB_CONTAINER = ("azure-native:storage:BlobContainer",)
BLOB_SERVICE = ("azure-native:storage:BlobServiceProperties",)
ENCRYPTION_SCOPE = ("azure-native:storage:EncryptionScope",)  # a container may be held to one
MANAGEMENT_POLICY = ("azure-native:storage:ManagementPolicy",)
KEY_VAULT = ("azure-native:keyvault:Vault",)
KEY_VAULT_KEY = ("azure-native:keyvault:Key",)
EVENTHUB_NAMESPACE = ("azure-native:eventhub:Namespace",)
SERVICEBUS_NAMESPACE = ("azure-native:servicebus:Namespace",)
SYNAPSE_WORKSPACE = ("azure-native:synapse:Workspace",)
KUSTO_CLUSTER = ("azure-native:kusto:Cluster",)
ROLE_ASSIGNMENT = (
    "azure-native:authorization:RoleAssignment",
    "azure-native:authorization:PimRoleEligibilitySchedule",  # a role a principal may activate
)
SYNAPSE_FIREWALL_RULE = ("azure-native:synapse:IpFirewallRule",)
ROLE_DEFINITION = ("azure-native:authorization:RoleDefinition",)
LOG_ANALYTICS_WORKSPACE = ("azure-native:operationalinsights:Workspace",)
PRIVATE_ENDPOINT = ("azure-native:network:PrivateEndpoint",)
NSG = ("azure-native:network:NetworkSecurityGroup", "azure-native:network:SecurityRule")
KUSTO_DATABASE = ("azure-native:kusto:ReadWriteDatabase", "azure-native:kusto:Database")
DIAGNOSTIC_SETTING = ("azure-native:monitor:DiagnosticSetting", "azure-native:insights:DiagnosticSetting")
# Azure Orbital Ground Station, retired 2024-12-18: still in the SDK, no longer creatable.
ORBITAL_RETIRED = (
    "azure-native:orbital:Spacecraft",
    "azure-native:orbital:ContactProfile",
    "azure-native:orbital:Contact",
)

_VERSIONED = re.compile(r"^(azure-native:[A-Za-z0-9]+)/v[0-9a-z]+(:[A-Za-z0-9]+)$")


def canonical(type_token: str) -> str:
    """`azure-native:storage/v20240101:StorageAccount` -> `azure-native:storage:StorageAccount`."""
    match = _VERSIONED.match(type_token)
    return match.group(1) + match.group(2) if match else type_token


def is_type(type_token: str, tokens: tuple[str, ...]) -> bool:
    return canonical(type_token) in tokens


def provider_of(type_token: str) -> str:
    """`aws`, `aws-native`, `azure-native`... the package part of a token."""
    return type_token.split(":", 1)[0]


# --- Groups used by the data-protection and tagging rules ------------------------
# Stateful: losing one loses mission data or the keys to read it (README.md, "Data protection").
# The README's list: stores, keys, catalogs and databases, log stores, and every queue or stream
# holding undelivered data (tests/test_policies_pack.py holds it to what groundlink protects).
STATEFUL_AWS = (
    S3_BUCKET
    + KMS_KEY
    + GLUE_DATABASE
    + KINESIS_STREAM
    + SQS_QUEUE
    + LOG_GROUP
    # keys, databases, buckets and file systems a program beside groundlink's may add (README
    # "Data protection")
    + S3_OTHER_BUCKETS
    + (
        "aws:kms/externalKey:ExternalKey",
        "aws:kms/replicaKey:ReplicaKey",
        "aws:kms/replicaExternalKey:ReplicaExternalKey",
        "aws:dynamodb/table:Table",
        "aws:dynamodb/tableReplica:TableReplica",
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:efs/fileSystem:FileSystem",
        "aws:fsx/lustreFileSystem:LustreFileSystem",
    )
)
STATEFUL_AZURE = (
    STORAGE_ACCOUNT
    + BLOB_CONTAINER
    + KEY_VAULT
    + KEY_VAULT_KEY
    + KUSTO_DATABASE
    + KUSTO_CLUSTER
    + SYNAPSE_WORKSPACE
    + EVENTHUB_NAMESPACE
    + SERVICEBUS_NAMESPACE
    + (
        "azure-native:eventhub:EventHub",
        "azure-native:servicebus:Queue",
        # a topic's subscriptions hold its undelivered messages; a SQL pool is a database; an
        # account's queues, tables and file shares hold data as its containers do
        "azure-native:servicebus:Topic",
        "azure-native:servicebus:Subscription",
        "azure-native:synapse:SqlPool",
        "azure-native:storage:Queue",
        "azure-native:storage:Table",
        "azure-native:storage:FileShare",
        "azure-native:operationalinsights:Workspace",
        # deleting a resource group deletes every resource in it
        "azure-native:resources:ResourceGroup",
        # the retired Azure Orbital Ground Station takes no new resources: deleted, they are gone
        "azure-native:orbital:Spacecraft",
        "azure-native:orbital:ContactProfile",
    )
)
STATEFUL = STATEFUL_AWS + STATEFUL_AZURE

# Taggable resources a groundlink stack creates (their provider schema has `tags`).
TAGGABLE_AWS = (
    S3_BUCKET
    + KMS_KEY
    + IAM_ROLE
    + ("aws:iam/policy:Policy",)
    + ATHENA_WORKGROUP
    + GLUE_DATABASE
    + KINESIS_STREAM
    + FIREHOSE
    + LAMBDA_FUNCTION
    + SQS_QUEUE
    + (
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        *LOG_GROUP,
        *SNS_TOPIC,
        *VPC,
        *FLOW_LOG,
        "aws:budgets/budget:Budget",
        # the network, processing and object types groundlink tags as well
        "aws:ec2/subnet:Subnet",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
        "aws:ec2/networkInterface:NetworkInterface",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws:ec2/routeTable:RouteTable",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/vpcEndpoint:VpcEndpoint",
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:batch/computeEnvironment:ComputeEnvironment",
        "aws:batch/jobDefinition:JobDefinition",
        "aws:batch/jobQueue:JobQueue",
        "aws:pipes/pipe:Pipe",
        "aws:s3/bucketObjectv2:BucketObjectv2",
    )
    + GS_ALL
)
TAGGABLE_AZURE = (
    "azure-native:resources:ResourceGroup",
    *STORAGE_ACCOUNT,
    *KEY_VAULT,
    *EVENTHUB_NAMESPACE,
    *SERVICEBUS_NAMESPACE,
    *SYNAPSE_WORKSPACE,
    *KUSTO_CLUSTER,
    "azure-native:operationalinsights:Workspace",
    "azure-native:eventgrid:SystemTopic",
    "azure-native:managedidentity:UserAssignedIdentity",
    "azure-native:network:VirtualNetwork",
    "azure-native:network:PrivateEndpoint",
    "azure-native:insights:MetricAlert",
    "azure-native:monitor:MetricAlert",
    "azure-native:monitor:ActionGroup",
    "azure-native:monitor:ScheduledQueryRule",
    "azure-native:insights:ScheduledQueryRule",
    "azure-native:keyvault:Key",
    "azure-native:privatedns:PrivateZone",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:web:AppServicePlan",
    "azure-native:web:WebApp",
    "azure-native:app:Job",
    "azure-native:app:ManagedEnvironment",
    *ORBITAL_RETIRED,
)
TAGGABLE = TAGGABLE_AWS + TAGGABLE_AZURE
