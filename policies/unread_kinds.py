"""Resources of a kind the pack guards, declared through a provider whose shapes its rules do not
read. The rules read pulumi-aws and azure-native inputs; an aws-native S3 bucket with every
public access flag off and a public policy passed every S3 rule, the protection rule and the tag
rule, unread. Such a resource is refused rather than passed."""

from __future__ import annotations

from typing import Any

from .props import get
from .registry import resource_rule
from .tokens import canonical

# aws-native types whose kind the pack judges, with the pulumi-aws resources its rules read.
AWS_NATIVE_KINDS = {
    "aws-native:s3:Bucket": "aws.s3.Bucket (or BucketV2) with its side resources",
    "aws-native:s3:BucketPolicy": "aws.s3.BucketPolicy",
    "aws-native:kms:Key": "aws.kms.Key",
    "aws-native:sqs:Queue": "aws.sqs.Queue",
    "aws-native:sns:Topic": "aws.sns.Topic",
    "aws-native:sns:TopicPolicy": "aws.sns.TopicPolicy",
    # a queue's or topic's policy set beside it (aws-messaging-policy-no-public-allow and
    # aws-resource-policy-service-scoped read pulumi-aws's QueuePolicy and TopicPolicy)
    "aws-native:sqs:QueuePolicy": "aws.sqs.QueuePolicy",
    "aws-native:sqs:QueueInlinePolicy": "aws.sqs.QueuePolicy",
    "aws-native:sns:TopicInlinePolicy": "aws.sns.TopicPolicy",
    "aws-native:kinesis:Stream": "aws.kinesis.Stream",
    "aws-native:kinesisfirehose:DeliveryStream": "aws.kinesis.FirehoseDeliveryStream",
    "aws-native:glue:Database": "aws.glue.CatalogDatabase",
    "aws-native:logs:LogGroup": "aws.cloudwatch.LogGroup",
    "aws-native:iam:Role": "aws.iam.Role",
    "aws-native:iam:ManagedPolicy": "aws.iam.Policy",
    "aws-native:iam:RolePolicy": "aws.iam.RolePolicy",
    # a user's or group's inline policies and managed policy ARNs (aws-iam-no-wildcard-admin reads
    # pulumi-aws's UserPolicy, GroupPolicy and their policy attachments)
    "aws-native:iam:UserPolicy": "aws.iam.UserPolicy",
    "aws-native:iam:GroupPolicy": "aws.iam.GroupPolicy",
    "aws-native:iam:User": "aws.iam.User with aws.iam.UserPolicy and aws.iam.UserPolicyAttachment",
    "aws-native:iam:Group": "aws.iam.Group with aws.iam.GroupPolicy and aws.iam.GroupPolicyAttachment",
    "aws-native:athena:WorkGroup": "aws.athena.Workgroup",
    "aws-native:lambda:Function": "aws.lambda_.Function",
    # who may invoke a function or use a layer (processing-function-not-public)
    "aws-native:lambda:Permission": "aws.lambda_.Permission",
    "aws-native:lambda:Url": "aws.lambda_.FunctionUrl",
    "aws-native:lambda:LayerVersionPermission": "aws.lambda_.LayerVersionPermission",
    "aws-native:lambda:ResourcePolicy": "aws.lambda_.Permission",
    # the resource policies of streams, logs, event buses and secrets (aws_resource_policies)
    "aws-native:kinesis:ResourcePolicy": "aws.kinesis.ResourcePolicy",
    "aws-native:logs:ResourcePolicy": "aws.cloudwatch.LogResourcePolicy",
    "aws-native:events:EventBusPolicy": "aws.cloudwatch.EventBusPolicy",
    "aws-native:secretsmanager:ResourcePolicy": "aws.secretsmanager.SecretPolicy",
    # what a security group admits (aws-security-group-no-open-ingress)
    "aws-native:ec2:SecurityGroup": "aws.ec2.SecurityGroup",
    "aws-native:ec2:SecurityGroupIngress": "aws.vpc.SecurityGroupIngressRule",
    "aws-native:lambda:EventSourceMapping": "aws.lambda_.EventSourceMapping",
    # what a container job holds (processing-identity-no-keys)
    "aws-native:batch:JobDefinition": "aws.batch.JobDefinition",
    # a VPC and its flow log (aws-vpc-flow-logs joins aws.ec2.FlowLog to aws.ec2.Vpc: an aws-native
    # VPC passed it with no flow log, an aws-native flow log was no flow log of a pulumi-aws VPC)
    "aws-native:ec2:Vpc": "aws.ec2.Vpc",
    "aws-native:ec2:FlowLog": "aws.ec2.FlowLog",
    # the stateful kinds a program beside groundlink's may add (data-protection-stateful-protected)
    "aws-native:kms:ReplicaKey": "aws.kms.ReplicaKey",
    "aws-native:dynamodb:Table": "aws.dynamodb.Table",
    "aws-native:dynamodb:GlobalTable": "aws.dynamodb.Table with its replicas",
    "aws-native:rds:DbInstance": "aws.rds.Instance",
    "aws-native:rds:DbCluster": "aws.rds.Cluster",
    "aws-native:efs:FileSystem": "aws.efs.FileSystem",
    "aws-native:s3express:DirectoryBucket": "aws.s3.DirectoryBucket",
    "aws-native:s3tables:TableBucket": "aws.s3tables.TableBucket",
    "aws-native:s3vectors:VectorBucket": "aws.s3.VectorsVectorBucket",
}
# The modules of the classic Azure provider (pulumi-azure, `azure:<module>/...`) whose kinds the
# pack judges through their azure-native counterparts.
AZURE_CLASSIC_MODULES = (
    "storage",
    "keyvault",
    "servicebus",
    "eventhub",
    "synapse",
    "kusto",
    "monitoring",
    "appservice",  # Functions apps (processing-functions-app-https-no-keys reads azure-native's WebApp)
    "containerapp",  # Container Apps jobs (processing-identity-no-keys reads azure-native's Job)
    "loganalytics",  # Log Analytics workspaces, stateful
    "authorization",  # role assignments (azure-role-assignment-least-privilege reads azure-native's)
)
# Single kinds of a classic module the pack does not guard as a whole.
AZURE_CLASSIC_KINDS = {
    "azure:core/resourceGroup:ResourceGroup": "azure-native:resources:ResourceGroup",
    # what a network security group admits (azure-nsg-no-open-inbound)
    "azure:network/networkSecurityGroup:NetworkSecurityGroup": "azure-native:network:NetworkSecurityGroup",
    "azure:network/networkSecurityRule:NetworkSecurityRule": "azure-native:network:SecurityRule",
}
# Resources that write a Functions app's settings or are an app of their own: the rules read the
# app's own siteConfig, which a settings resource replaces (PUT .../config/appsettings), and judge
# no slot.
AZURE_NATIVE_KINDS = {
    "azure-native:web:WebAppApplicationSettings": "the app's own siteConfig.appSettings, which it replaces",
    "azure-native:web:WebAppApplicationSettingsSlot": "the app's own siteConfig.appSettings, which it replaces",
    "azure-native:web:WebAppConnectionStrings": "the app's own siteConfig.connectionStrings, which it replaces",
    "azure-native:web:WebAppConnectionStringsSlot": "the app's own siteConfig.connectionStrings, which it replaces",
    "azure-native:web:WebAppSlot": "azure-native:web:WebApp",
}
# Templates, whose resources no rule reads: an ARM deployment, a CloudFormation stack.
TEMPLATES = (
    "azure-native:resources:Deployment",
    "azure-native:resources:DeploymentAtScope",
    "azure-native:resources:DeploymentAtSubscriptionScope",
    "azure-native:resources:DeploymentAtManagementGroupScope",
    "azure-native:resources:DeploymentAtTenantScope",
    "azure-native:resources:DeploymentStackAtResourceGroup",
    "azure-native:resources:DeploymentStackAtSubscription",
    "azure-native:resources:DeploymentStackAtManagementGroup",
    "aws:cloudformation/stack:Stack",
    "aws:cloudformation/stackSet:StackSet",
    "aws-native:cloudformation:Stack",
    "aws-native:cloudformation:StackSet",
)
# An azure-native generic resource creates any ARM type by namespace: the guarded namespaces' ones
# are judged as their typed resources only.
GENERIC_RESOURCE = "azure-native:resources:Resource"
GUARDED_NAMESPACES = frozenset(
    {
        "microsoft.storage",
        "microsoft.keyvault",
        "microsoft.servicebus",
        "microsoft.eventhub",
        "microsoft.synapse",
        "microsoft.kusto",
        "microsoft.web",
        "microsoft.network",
        "microsoft.insights",
        "microsoft.orbital",
        "microsoft.authorization",
        "microsoft.app",  # Container Apps jobs and environments (processing rules)
        "microsoft.operationalinsights",  # Log Analytics workspaces (audit and data protection rules)
    }
)


def _read_instead(type_token: str, props: Any) -> str | None:
    """What the pack's rules read for a resource of `type_token`, when they do not read it."""
    if type_token in AWS_NATIVE_KINDS:
        return AWS_NATIVE_KINDS[type_token]
    if type_token in AZURE_NATIVE_KINDS:
        return AZURE_NATIVE_KINDS[type_token]
    if type_token in AZURE_CLASSIC_KINDS:
        return AZURE_CLASSIC_KINDS[type_token]
    if type_token in TEMPLATES:
        return "the resources themselves, declared one by one, not a template of them"
    if type_token == GENERIC_RESOURCE:
        namespace = get(props, "resourceProviderNamespace")
        if isinstance(namespace, str) and namespace.casefold() in GUARDED_NAMESPACES:
            return f"the azure-native resource of its type ({namespace}/{get(props, 'resourceType')})"
        return None
    provider, _, rest = type_token.partition(":")
    module = rest.split("/", 1)[0]
    if provider == "azure" and rest.endswith("TemplateDeployment"):  # core/..., management/groupTemplateDeployment
        return "the resources themselves, declared one by one, not a template of them"
    if provider == "azure" and module in AZURE_CLASSIC_MODULES:
        return "its azure-native counterpart (pulumi-azure-native)"
    return None


@resource_rule(
    "pack-reads-every-guarded-kind",
    area="coverage",
    severity="high",
    enforcement="mandatory",
    types=(),
    controls=("Every guarded resource judged (groundlink design)",),
    description="No bucket, key, queue, topic, stream, catalog, log group, role, workgroup or function is declared "
    "through a provider whose shapes the pack does not read (aws-native, the classic azure provider, an "
    "azure-native generic resource), in a template (ARM deployment, CloudFormation stack), or as a Functions app's "
    "separate settings or slot: it would pass every rule of its kind unread.",
    remediation="Declare it with pulumi-aws (aws.s3.Bucket, aws.kms.Key, ...) or azure-native, whose resources the "
    "rules judge; or list its type in acceptedUnread, for the team to answer for it.",
    config={
        "acceptedUnread": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
            "default": [],
            "description": "Type tokens (aws-native:s3:Bucket, ...) a team accepts unjudged: the pack's other rules "
            "still do not read them.",
        }
    },
)
def reads_every_guarded_kind(args: Any, report: Any) -> None:
    # a versioned module (`azure-native:web/v20240401:WebAppSlot`) is the same kind
    kind = canonical(args.resource_type)
    instead = _read_instead(kind, args.props)
    # an accepted kind is accepted in every API version (`azure-native:web/v20240401:WebAppSlot`)
    accepted = {canonical(str(token)) for token in args.get_config().get("acceptedUnread", [])}
    if instead is not None and kind not in accepted:
        report(f"{args.resource_type} is not read by the pack's rules of its kind, which judge {instead}")
