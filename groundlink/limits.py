"""Hard limits and catalog facts the spec is validated against.

Each value is a published limit, so a spec that passes here does not fail
later at `pulumi up`. Sources are docs/facts.md sections (AWS Ground Station
API reference 2025-09-16 and CloudFormation schema; Microsoft Learn).
Pure data: imported by the spec model, the blueprint and the renderers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

# AWS Ground Station downlink centre-frequency bands, MHz (API reference).
DOWNLINK_BANDS_MHZ: tuple[tuple[float, float], ...] = ((2200.0, 2300.0), (7750.0, 8400.0))
UPLINK_BAND_MHZ: tuple[float, float] = (2025.0, 2120.0)

# Bandwidth per delivery form, MHz (API reference).
DEMOD_DECODE_BANDWIDTH_MHZ: tuple[float, float] = (0.125, 650.0)
DIGIF_BANDWIDTH_MHZ: tuple[float, float] = (0.01, 54.0)
# Billing tier boundary: narrowband <= 40 MHz, wideband above.
NARROWBAND_MAX_MHZ = 40.0

# MissionProfile timings, seconds (CloudFormation AWS::GroundStation::MissionProfile).
MIN_CONTACT_SECONDS: tuple[int, int] = (1, 21600)
PASS_PADDING_SECONDS: tuple[int, int] = (0, 21600)
# DataflowEndpointGroup pre/post pass, seconds: applies when data is streamed to an endpoint.
# The API takes 30-480 (botocore groundstation CreateDataflowEndpointGroupRequest), the
# CloudFormation resource 120-480 ("Minimum: 120", AWS::GroundStation::DataflowEndpointGroup,
# read 2026-12-03), and pulumi-aws-native creates it through Cloud Control, which checks the
# CloudFormation schema: the spec takes what both accept (docs/facts.md §2). The registry schema
# itself, as cfn-lint 1.58.0 bundles it (preflight/registry_schemas.json), says 30-480; the
# documentation page's 120 is kept until the two agree.
ENDPOINT_PASS_PADDING_SECONDS: tuple[int, int] = (120, 480)
DATAFLOW_EDGES_MAX = 500
# DataflowEndpointGroup: 1-500 endpoints (create-only).
DATAFLOW_ENDPOINTS_MAX = 500

# Config.Name pattern and demod/decode JSON size (CloudFormation schema).
CONFIG_NAME_PATTERN = r"^[ a-zA-Z0-9_:-]{1,256}$"
DEMOD_DECODE_JSON_MAX_CHARS = 8192
# The decode graph's egress node is named after the antenna config's ARN in the mission profile's
# dataflow edge source, `<arn>/<egress>`, which botocore's groundstation ConfigArn takes as
# `(/.{1,256})?` (botocore 1.44.5 service-2.json).
EGRESS_NODE_NAME_MAX = 256

# S3 data delivery: the bucket name must begin with this (Ground Station user guide).
DELIVERY_BUCKET_PREFIX = "aws-groundstation"
S3_KEY_PREFIX_MAX_CHARS = 900
# pulumi-aws `bucket_prefix`: at most 37 characters (the provider appends a unique suffix).
S3_BUCKET_PREFIX_MAX_CHARS = 37
# Starts of a bucket name S3 reserves (Amazon S3 User Guide, "General purpose bucket naming
# rules", read 2026-12-02); the buckets of a mission are named after it.
S3_RESERVED_BUCKET_STARTS = ("xn--", "sthree-", "amzn-s3-demo-")
# EC2 refuses a security group name starting `sg-` (botocore 1.44.5 ec2 model,
# CreateSecurityGroupRequest.GroupName: "Constraints: Up to 255 characters in length. Can't start
# with sg-"; names are case-insensitive). The mission's security groups carry no name of their own,
# so Pulumi names each `<mission>-<role>-sg-<7 characters>` after its resource: the mission name
# followed by `-` starts each one.
EC2_SECURITY_GROUP_RESERVED_START = "sg-"
EC2_SECURITY_GROUP_NAME_MAX_CHARS = 255
# The Athena workgroup of a mission is named after it (components/aws/analytics.py), and every
# account already has the workgroup `primary` (botocore 1.44.5 athena DeleteWorkGroup: "The
# primary workgroup cannot be deleted"): a mission named so would create it a second time.
ATHENA_PRIMARY_WORKGROUP = "primary"
# EventBridge takes an event pattern of at most 2048 characters by default, adjustable up to 4096
# by a quota request (pulumi_aws cloudwatch EventRule, event_pattern; botocore events 2015-10-07
# carries only the 4096 ceiling); Ground Station's missionProfileArn is at most 138 characters
# (API Reference, ContactData): the contact rule names a constellation's profiles in several rules.
EVENT_PATTERN_MAX = 2048
MISSION_PROFILE_ARN_MAX = 138
# The resource group Synapse makes for a workspace's managed resources (components/azure/analytics.py):
# `rg-<mission>-synapse-managed`, unique in a subscription (pulumi_azure_native synapse Workspace,
# managed_resource_group_name), as the mission's own `rg-<mission>` is: a mission named
# `<other>-synapse-managed` would take the other mission's managed group name for its own group.
AZURE_SYNAPSE_MANAGED_GROUP_SUFFIX = "-synapse-managed"

# Azure refuses a resource name that is a reserved word or trademark, holds MICROSOFT or WINDOWS
# anywhere, or starts with LOGIN (ReservedResourceName; Microsoft Learn, "Resolve errors for
# reserved resource names", https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-reserved-resource-name,
# read 2026-12-03; docs/facts.md §11), in a resource with an endpoint (a DNS name). Names compare
# ignoring case. Its whole-name reserved words (AZURE, XBOX, ...) no groundlink name can be: each
# adds a prefix or a hash to the mission name.
AZURE_RESERVED_NAME_DOC = 'Microsoft Learn, "Resolve errors for reserved resource names"'
AZURE_RESERVED_SUBSTRINGS = ("microsoft", "windows")
AZURE_RESERVED_STARTS = ("login",)

# A Synapse workspace takes at most 128 IP firewall rules (Microsoft Learn, "Azure Synapse Analytics
# IP firewall rules", https://learn.microsoft.com/azure/synapse-analytics/security/synapse-workspace-ip-firewall,
# ms.date 2025-01-22, read 2026-12-04 in the MicrosoftDocs azure-docs repository: "The maximum number of IP
# firewall rules is limited to 128"; "Allow Azure Services" counts as one, which groundlink never
# turns on); `analytics.sql_clients` makes one rule each.
SYNAPSE_MAX_IP_FIREWALL_RULES = 128

# Regions with an AWS Ground Station API endpoint (botocore 1.44.5 endpoint data, FIPS endpoints
# left out; a test compares it with botocore): where a mission's configs and profiles can live.
# Contacts at any antenna site deliver there by cross-region data delivery.
AWS_GROUND_STATION_API_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "eu-central-1",
        "eu-north-1",
        "eu-west-1",
        "me-south-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-2",
    }
)
# Regions where both S3 and KMS have an endpoint (botocore 1.44.5 endpoint data, aws partition,
# FIPS and global endpoints left out; a test compares it with botocore): where a geo mission's
# replica bucket and its key can live.
AWS_REPLICA_REGIONS: frozenset[str] = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
    }
)
# Regions where every service the AWS stack uses has an endpoint: S3, KMS, SQS, SNS (the alert
# topic), EventBridge, Glue, Athena, Kinesis, Firehose, Lambda, CloudWatch and its logs, Batch,
# ECS, EC2, and Cloud Control, through which pulumi-aws-native makes the Ground Station resources
# (botocore 1.44.5 endpoint data; tests/test_aws_regions.py recomputes it). Today the same
# regions as S3 and KMS.
AWS_STACK_REGIONS: frozenset[str] = AWS_REPLICA_REGIONS
AWS_STACK_SERVICES = (
    "s3", "kms", "sqs", "sns", "events", "glue", "athena", "kinesis", "firehose", "lambda", "cloudwatch", "logs",
    "batch", "ecs", "ec2", "cloudcontrol",
)  # fmt: skip
# The Availability Zones (by zone id, the same in every account) where Fargate runs Linux tasks, in
# the regions where it runs in some of them only ("us-west-1 (usw1-az1 & usw1-az3 only)", Amazon
# ECS Developer Guide, "Supported Regions for Amazon ECS on AWS Fargate", Linux containers, read
# 2026-12-07): the container jobs' subnet is made in the first, where EC2 would pick any zone.
FARGATE_ZONE_IDS: dict[str, tuple[str, ...]] = {
    "us-west-1": ("usw1-az1", "usw1-az3"),
    "ap-northeast-1": ("apne1-az1", "apne1-az2", "apne1-az4"),
}
# ... and EventBridge Pipes, which starts the container jobs (processing.mode: container_job):
# every stack region but these eight.
AWS_PIPES_REGIONS: frozenset[str] = AWS_STACK_REGIONS - frozenset(
    {"ap-east-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "il-central-1",
     "mx-central-1"}
)  # fmt: skip
# The AWS partitions and their region names (botocore 1.44.5 endpoint data, each partition's
# `regionRegex`; a test compares them with botocore): a stack deploys to `aws`, the commercial
# partition, and a region of another one is named by its partition.
AWS_PARTITION_REGIONS: tuple[tuple[str, str], ...] = (
    ("aws-cn", r"^cn\-\w+\-\d+$"),
    ("aws-us-gov", r"^us\-gov\-\w+\-\d+$"),
    ("aws-iso", r"^us\-iso\-\w+\-\d+$"),
    ("aws-iso-b", r"^us\-isob\-\w+\-\d+$"),
    ("aws-iso-e", r"^eu\-isoe\-\w+\-\d+$"),
    ("aws-iso-f", r"^us\-isof\-\w+\-\d+$"),
    ("aws-eusc", r"^eusc\-(de)\-\w+\-\d+$"),
    ("aws", r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$"),
)


def aws_partition_of(region: str) -> str | None:
    """The partition whose region names `region` follows, or None."""
    return next((name for name, pattern in AWS_PARTITION_REGIONS if re.fullmatch(pattern, region)), None)


AWS_REGION_PATTERN = (
    r"^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$"
)

# Azure Orbital Ground Station (retired 2024-12-18): the regions it served.
AZURE_ORBITAL_RETIRED_ON = "2024-12-18"
# The retired service's resources: what legacy_orbital plans (Spacecraft, ContactProfile) and
# the contacts scheduled on them. The SDK's orbital module holds live services too (GeoCatalog:
# Microsoft Planetary Computer Pro; GroundStation, EdgeSite, L2Connection: a separate preview;
# docs/facts.md §1), which Azure still creates. The policy pack names the same three
# (policies/tokens.py ORBITAL_RETIRED; tests/test_azure_orbital_retired.py keeps them equal).
AZURE_ORBITAL_RETIRED_TYPES: tuple[str, ...] = ("Spacecraft", "ContactProfile", "Contact")


def is_retired_orbital(type_token: str) -> bool:
    """Of Azure Orbital Ground Station: `azure-native:orbital:Spacecraft`, or an API version's
    token of it (`azure-native:orbital/v20221101:Spacecraft`)."""
    module, _, name = type_token.rpartition(":")
    return module.split("/")[0] == "azure-native:orbital" and name in AZURE_ORBITAL_RETIRED_TYPES


AOGS_ELIGIBLE_LOCATIONS: frozenset[str] = frozenset(
    {"westus2", "swedencentral", "southeastasia", "brazilsouth", "southafricanorth"}
)
AZURE_LOCATION_PATTERN = r"^[a-z]+[a-z0-9]*$"
# The locations whose standard general-purpose v2 storage accounts offer zone-redundant storage,
# and geo-zone-redundant storage (Microsoft Learn, "Azure regions that support zone-redundant
# storage (ZRS)" and "Azure regions that support geo-zone-redundant storage (GZRS)", read
# 2026-12-03; docs/facts.md §9). The mission's account is always zone-redundant (ZRS, or
# GZRS / RA-GZRS with storage.redundancy: geo): elsewhere the API refuses it
# (RedundancyConfigurationNotAvailableInRegion).
# Those pages also list chinanorth3 (Azure operated by 21Vianet) and usgovvirginia (Azure
# Government): sovereign clouds, which groundlink does not deploy to (below), so left out here.
AZURE_ZRS_LOCATIONS: frozenset[str] = frozenset(
    {"southafricanorth", "australiaeast", "centralindia", "eastasia", "japaneast",
     "koreacentral", "southeastasia", "francecentral", "germanywestcentral", "italynorth", "northeurope",
     "norwayeast", "polandcentral", "spaincentral", "swedencentral", "switzerlandnorth", "uksouth",
     "westeurope", "israelcentral", "qatarcentral", "uaenorth", "canadacentral", "centralus", "eastus",
     "eastus2", "mexicocentral", "southcentralus", "westus2", "westus3", "brazilsouth"}
)  # fmt: skip
AZURE_GZRS_LOCATIONS: frozenset[str] = frozenset(
    {"southafricanorth", "australiaeast", "eastasia", "japaneast", "koreacentral", "southeastasia",
     "centralindia", "francecentral", "germanywestcentral", "northeurope", "norwayeast", "swedencentral",
     "switzerlandnorth", "uksouth", "westeurope", "uaenorth", "canadacentral", "centralus", "eastus",
     "eastus2", "southcentralus", "westus2", "westus3", "brazilsouth"}
)  # fmt: skip
# Where a GZRS / RA-GZRS account keeps its second copy: the location's secondary in Microsoft's
# region pairs (Microsoft Learn, "Azure region pairs and nonpaired regions",
# https://learn.microsoft.com/azure/reliability/cross-region-replication-azure, read 2026-12-05;
# docs/facts.md §9). The
# pairs are one-way in two places: Brazil South's secondary is South Central US, whose own is North
# Central US. ARM reports it as the account's `secondaryLocation`.
AZURE_PAIRED_LOCATION: dict[str, str] = {
    "australiaeast": "australiasoutheast", "brazilsouth": "southcentralus", "canadacentral": "canadaeast",
    "centralindia": "southindia", "centralus": "eastus2", "eastasia": "southeastasia", "eastus": "westus",
    "eastus2": "centralus", "francecentral": "francesouth", "germanywestcentral": "germanynorth",
    "japaneast": "japanwest", "koreacentral": "koreasouth", "northeurope": "westeurope",
    "norwayeast": "norwaywest", "southafricanorth": "southafricawest", "southcentralus": "northcentralus",
    "southeastasia": "eastasia", "swedencentral": "swedensouth", "switzerlandnorth": "switzerlandwest",
    "uaenorth": "uaecentral", "uksouth": "ukwest", "westeurope": "northeurope", "westus2": "westcentralus",
    "westus3": "eastus",
}  # fmt: skip
# The locations whose pair lies in another geography: "Brazil South is unique because it's paired
# with a region outside of its geography" (the same page).
AZURE_PAIR_OUTSIDE_GEOGRAPHY: dict[str, str] = {"brazilsouth": "Brazil"}
# groundlink deploys to the Azure public cloud only: pulumi_azure_native's provider `environment`
# (public, usgovernment or china) is left at its default, public, and public-cloud host names are
# written into the program (privatelink.blob.core.windows.net, *.servicebus.windows.net). The
# sovereign clouds' locations start with these (Azure operated by 21Vianet: chinaeast..chinanorth3,
# docs.azure.cn "Azure regions list"; Azure Government: usgov*, usdod*; the US secret clouds:
# usnat*, ussec*; Azure SDK for .NET `AzureLocation`, Cosmos DB `Regions`), read 2026-12-03.
AZURE_SOVEREIGN_LOCATION_STARTS = ("china", "usgov", "usdod", "usnat", "ussec")
# AOGS contact-profile endpoint ports and subnet rules (Microsoft Learn, docs/facts.md §4).
AOGS_ENDPOINT_PORTS: tuple[int, int] = (49152, 65535)
AOGS_MIN_SUBNET_PREFIX = 24
# What no Azure virtual network's address space may hold: "You can't add the following address
# ranges: 224.0.0.0/4 (multicast), 255.255.255.255/32 (broadcast), 127.0.0.0/8 (loopback),
# 169.254.0.0/16 (link-local), 168.63.129.16/32 (internal DNS)" (Microsoft Learn, "Azure Virtual
# Network frequently asked questions", "What address ranges can I use in my virtual networks?",
# https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq, read 2026-12-05).
AZURE_VNET_FORBIDDEN_RANGES: tuple[str, ...] = (
    "224.0.0.0/4",
    "255.255.255.255/32",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "168.63.129.16/32",
)
AOGS_MIN_MTU = 3650
# No MTU is larger than an IPv4 packet: its Total Length field is 16 bits, "allows the length of
# a datagram to be up to 65,535 octets" (RFC 791, "Internet Protocol", §3.1). The contact profile
# has no MTU field; the value goes into a tag, whose value Azure holds to 256 characters.
AOGS_MAX_MTU = 65535
# The storage account SKUs that keep a copy in the location's paired region (GRS, GZRS and their
# read-access forms; pulumi_azure_native storage.SkuName): the part after the tier and its `_`
# (`Standard_GZRS`, `StandardV2_GZRS`)
AZURE_GEO_SKUS = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})


def geo_redundant(sku_name: str) -> bool:
    """Whether a storage account SKU (`Standard_RAGZRS`) keeps a copy in the paired region."""
    return sku_name.rpartition("_")[2] in AZURE_GEO_SKUS


# "Azure reserves the first four addresses and the last address, for a total of five IP addresses
# within each subnet" (Microsoft Learn, "Azure Virtual Network frequently asked questions", "Are
# there any restrictions on using IP addresses within these subnets?",
# https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq, read 2026-12-07).
# Subnets are aligned blocks, so the first four and the last address of a virtual network's range
# are reserved in whichever of its subnets holds them.
AZURE_SUBNET_RESERVED_FIRST = 4
# The private address ranges a mission network is drawn from (RFC 1918, "Address Allocation for
# Private Internets"): AWS recommends them for a VPC's CIDR block ("we recommend that you specify
# a CIDR block from the private IPv4 address ranges as specified in RFC 1918", Amazon VPC User
# Guide, "VPC CIDR blocks"), and Azure's examples use them.
PRIVATE_IPV4_RANGES: tuple[str, ...] = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
# A mission network's size: from /16, the largest VPC CIDR block AWS takes ("between a /16 netmask
# (65,536 IP addresses) and /28 netmask (16 IP addresses)", Amazon VPC User Guide, "VPC CIDR
# blocks"), to /24, which holds the networks' subnets (AWS: one /24; Azure: two /25).
MISSION_NETWORK_PREFIXES: tuple[int, int] = (16, 24)
# Each cloud's mission network when the spec names none (clouds.<cloud>.network_cidr): apart, so
# that a mission's two networks can be connected.
AWS_NETWORK_CIDR = "10.64.0.0/16"
AZURE_NETWORK_CIDR = "10.42.0.0/24"

# Satellites AWS Ground Station no longer supports, with the date support ended, and where AWS
# said so: "Effective November 30 2024, AWS Ground Station will no longer support the AQUA
# satellite" (awslabs/aws-groundstation-eos-pipeline README, commit fc49606 "AQUA end-of-life",
# 2024-10-24; docs/facts.md §3).
AWS_UNSUPPORTED_SATELLITES: dict[int, str] = {27424: "2024-11-30"}  # Aqua
AWS_UNSUPPORTED_SATELLITE_SOURCES: dict[int, str] = {
    27424: "AWS's notice in the awslabs/aws-groundstation-eos-pipeline README, 2024-10-24"
}

# Athena: the smallest per-query bytes-scanned cutoff pulumi-aws takes, 10 MiB (pulumi_aws 7.51.1
# `athena.WorkgroupConfigurationArgs.bytes_scanned_cutoff_per_query`: "Must be at least
# `10485760`", the bridged provider's validation); the Athena API's own floor is lower (botocore
# 1.44.5 `athena` `BytesScannedCutoffValue` min 10000000), so a value between the two passed the
# spec and failed at `pulumi preview`.
ATHENA_MIN_CUTOFF_BYTES = 10_485_760

# S3 lifecycle: objects must stay 30 days before moving to STANDARD_IA, and one rule cannot move
# them on to Glacier Flexible Retrieval or Deep Archive less than 30 days after its STANDARD_IA
# transition (Amazon S3 User Guide, "Transitioning objects using Amazon S3 Lifecycle",
# constraints; https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html).
S3_MIN_DAYS_BEFORE_INFREQUENT = 30
S3_MIN_DAYS_IN_INFREQUENT_BEFORE_GLACIER = 30
# ... nor to Deep Archive less than 90 days after its Glacier Flexible Retrieval transition: S3
# refuses the rule (PutBucketLifecycleConfiguration InvalidArgument "'Days' in the 'Transition'
# action for StorageClass 'DEEP_ARCHIVE' ... must be 90 days more than ... StorageClass
# 'GLACIER'", as public Terraform apply logs show it; Glacier Flexible Retrieval's 90-day minimum
# storage duration, same S3 User Guide page). docs/facts.md §9.
S3_MIN_DAYS_IN_GLACIER_BEFORE_DEEP_ARCHIVE = 90

# Minimum storage durations, by cloud-neutral tier as each cloud holds it: an object that leaves
# the tier earlier, deleted or moved on, is billed for the rest of the minimum. S3 Standard-IA 30
# days, Glacier Flexible Retrieval 90, Glacier Deep Archive 180 (Amazon S3 User Guide,
# "Understanding and managing Amazon S3 storage classes", and S3 pricing); Azure Cool 30, Cold 90,
# Archive 180 (Microsoft Learn, "Access tiers for blob data", early deletion). docs/facts.md §9.
MINIMUM_STORAGE_DAYS: dict[str, dict[str, int]] = {
    "aws": {"cool": 30, "cold": 90, "archive": 180},
    "azure": {"cool": 30, "cold": 90, "archive": 180},
}
# Blob and container soft delete keep a deleted blob 1-365 days (pulumi_azure_native 3.29.0
# `storage.DeleteRetentionPolicyArgs.days`: "The minimum specified value can be 1 and the maximum
# value can be 365"): the stack's soft delete, and what the cost model counts as kept.
AZURE_SOFT_DELETE_MAX_DAYS = 365

# Tags (AWS "Tagging restrictions"; Microsoft Learn "Use tags to organize your Azure resources"):
# 50 per resource on both clouds; AWS values use letters, digits, spaces and `_ . : / = + - @`;
# Azure tag names refuse `< > % & \ ? /`; AWS reserves the `aws:` prefix, Azure `microsoft`,
# `azure` and `windows`.
TAGS_PER_RESOURCE_MAX = 50
# ... but an S3 object takes 10 (Amazon S3 User Guide, "Categorizing your objects using tags":
# "You can associate up to 10 tags with an object") and a Key Vault key 15 (Microsoft Learn,
# Azure Key Vault "About keys", Key tags: "up to 15 tags"), both read 2026-12-02.
S3_OBJECT_TAGS_MAX = 10
KEY_VAULT_KEY_TAGS_MAX = 15
# ... and an Azure storage account 15 (pulumi_azure_native 3.29.0 `storage.StorageAccountArgs.tags`,
# from the Storage resource provider's API: "A maximum of 15 tags can be provided for a resource").
AZURE_STORAGE_ACCOUNT_TAGS_MAX = 15
# ... and a private DNS zone and its virtual network links 15 (ARM refuses a 16th: "The resource
# tags are invalid. A maximum of 15 tags are allowed with keys no longer than 512 and values no
# longer than 256 characters", Azure/bicep-registry-modules issue 1541, 2024-04; "this limitation
# exists for private and public zones by design", Azure support in Azure/azure-rest-api-specs
# issue 13600, 2025-03; Azure Private DNS added to the 15-tag list of Microsoft Learn "Use tags to
# organize your Azure resources" by MicrosoftDocs/azure-docs pull request 126105, merged 2025-03;
# zones and links alike: hashicorp/terraform-provider-azurerm issue 21749). pulumi_azure_native
# 3.29.0 `privatedns.PrivateZoneArgs.tags` states no limit. All read 2026-12-03.
AZURE_PRIVATE_DNS_TAGS_MAX = 15


@dataclass(frozen=True)
class TagKeyRule:
    """The tag keys a resource takes no tag of (`refuses`), and how the plan says so."""

    refuses: Callable[[str], bool]
    said: str


# Private DNS zones and links drop, without an error, a tag whose key holds a colon (Azure/azure-
# rest-api-specs issue 11748, open, read 2026-12-03: zones and virtual network links): such a tag
# would show as an update at every `pulumi up`. Mission.tags keys may hold one (TAG_KEY_PATTERN).
# And "Azure DNS zones don't support the use of spaces or parentheses in the tag or a tag that
# starts with a number" (Microsoft Learn, "Use tags to organize your Azure resources", tag
# limitations, read 2026-12-07); spaces and parentheses Mission.tags refuses everywhere.
AZURE_PRIVATE_DNS_TAG_KEYS = TagKeyRule(
    refuses=lambda key: ":" in key or key[:1].isdigit(),
    said="whose key holds ':' (dropped without an error) or starts with a digit",
)
# AWS Ground Station's tag values (AWS::GroundStation::Config, MissionProfile and
# DataflowEndpointGroup registry schemas, `Tag.Value` pattern `^[ a-zA-Z0-9\+\-=._:/@]{1,256}$`,
# as cfn-lint 1.58.0 bundles them, read 2026-12-04; Cloud Control, which pulumi-aws-native calls,
# validates against them): ASCII letters and digits, these, and at least one character.
AWS_TAG_VALUE_PUNCTUATION = frozenset(" _.:/=+-@")
RESERVED_TAG_PREFIXES: tuple[str, ...] = ("aws:", "microsoft", "azure", "windows")
# A tag VALUE's reserved start: ECS refuses it in keys and values alike (botocore 1.44.5 `ecs`
# Tag: "Do not use aws:, AWS:, or any upper or lowercase combination of such as a prefix for
# either keys or values as it is reserved for Amazon Web Services use"), and a container job's
# definition (`propagateTags`, botocore `batch`) copies the mission's tags onto its ECS tasks.
AWS_RESERVED_TAG_VALUE_PREFIX = "aws:"

# Minutes in a day: a satellite is received by one antenna at a time, so its contacts a day
# (ground_segment.contacts_per_day x contact_minutes) add up to at most this (arithmetic, no service limit).
MINUTES_PER_DAY = 24 * 60

# Budget notifications: Azure consumption budgets take up to five (azure-native consumption.Budget,
# Microsoft.Consumption API), and AWS Budgets five too (botocore 1.44.5 `budgets`
# CreateBudgetRequest.NotificationsWithSubscribers: "A budget can have up to five notifications";
# the shape's own max is 10). One spec deploys on both (docs/facts.md §11).
BUDGET_NOTIFICATIONS_MAX = 5

# Azure storage firewall IP rules: "Maximum number of IP address rules per storage account. | 400"
# (Microsoft Learn, "Scalability and performance targets for standard storage accounts", the
# storage-account limits include of MicrosoftDocs/azure-docs, ms.date 2025-11-19; 200 in its
# earlier revisions); IPv4 only, no RFC 1918 private ranges, no /31 or /32 ("Configure Azure
# Storage firewalls and virtual networks").
AZURE_STORAGE_MAX_IP_RULES = 400
# A blob container's name: "between 3 and 63 characters in length and use numbers, lower-case
# letters and dash (-) only. Every dash (-) character must be immediately preceded and followed
# by a letter or number" (pulumi-azure-native 3.29.0, storage.BlobContainer container_name).
AZURE_CONTAINER_NAME_PATTERN = r"(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*"
RFC1918_BLOCKS: tuple[str, ...] = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
# "This network" (RFC 1122 §3.2.1.3; IANA IPv4 Special-Purpose Address Registry, 0.0.0.0/8):
# no host sends from it, and Python's ipaddress calls none of it private, reserved or loopback.
THIS_NETWORK_BLOCK = "0.0.0.0/8"

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy; pulumi-aws LogGroup docs).
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


# pulumi-aws LogGroup `retention_in_days` 0: no retention policy, the events never expire.
LOG_NEVER_EXPIRE = 0


def log_retention(days: int) -> int:
    """The shortest CloudWatch retention that keeps logs at least `days`; past the longest
    (3653 days, where a raw retention may go on to 36500) LOG_NEVER_EXPIRE: capped at 3653, the
    logs of a store's last years went before the store did."""
    return next((d for d in LOG_RETENTION_DAYS if d >= days), LOG_NEVER_EXPIRE)


# Contact processing (docs/facts.md §10). One spec deploys on both clouds, so a value must be
# accepted by both: the function mode by Lambda and by Azure Functions Flex Consumption, the
# container mode by AWS Batch on Fargate and by Azure Container Apps jobs (consumption).
# Lambda memory: 128-10,240 MB (Lambda quotas); botocore's CreateFunction models MemorySize >= 128.
LAMBDA_MEMORY_MB: tuple[int, int] = (128, 10240)
# Lambda /tmp: the size the processing function is given (components/aws/processing.py), the
# 10,240 MB maximum of the Lambda quotas page and of botocore 1.44.5's own documentation of
# EphemeralStorage.Size ("any whole number between 512 and 10,240 MB. For functions that use
# AcceleratorConfig, the maximum is 32,768 MB": its shape's max, which the processing function,
# without one, does not reach). AWS writes MB and says no
# more; it is taken as written (10.24 GB), the smaller reading, so a contact the check lets
# through fits whichever unit AWS means (docs/facts.md §10).
LAMBDA_EPHEMERAL_STORAGE_MB = 10240
# A decoded downlink's capture holds more than its bits: per datagram a pcap record header (16
# bytes), an Ethernet header with a VLAN tag (18), an IPv6 header (40, IPv4's 20 at most too),
# UDP's (8) and a VITA-49 header and trailer (at most 32: the header word, stream id, class id,
# both timestamps, the trailer): 114 bytes. The datagram size is onboarding's
# (`processing.capture.datagram_payload_bytes`); the raw store's volume and the disk a contact
# needs are sized from it, by default datagrams of 1,024 bytes of payload, as small as the
# processor's tests make them (11.1% more than the bits; 8 KiB datagrams add 1.4%). Measured 2026-12-05
# with bench/processing.py write_contact: 500.0 MB of capture for 494.8 MB of CADUs at 8 KiB
# datagrams, 500.0 for 461.3 at 1 KiB (IPv4, no tag).
CAPTURE_HEADER_BYTES = 114
SIZED_DATAGRAM_PAYLOAD_BYTES = 1024
# The payload a datagram can carry (`processing.capture.datagram_payload_bytes`): at least one
# 32-bit word (a VITA-49 packet is counted in 32-bit words, VITA 49.2), at most a UDP datagram's
# 65,527 octets of data (RFC 768's 16-bit length, less its 8-octet header; an IPv6 jumbogram
# aside) less VITA-49's header and trailer (32).
DATAGRAM_PAYLOAD_BYTES: tuple[int, int] = (4, 65527 - 32)
# The frame index written beside the frame streams: measured 13.7 (8 KiB datagrams) and 20.2
# (1 KiB) bytes a frame (6.6 MB for 483,000 CADUs, 9.1 MB for 450,000; 2026-12-05); sized at 24.
INDEX_BYTES_PER_FRAME = 24
# DigIF delivers the digitised intermediate frequency: its volume follows the sampled
# bandwidth, not the data rate. A 10.5-minute NOAA-20 DigIF contact of a 30 MHz downlink
# wrote 22 objects, 43.1 GB to S3 (community measurement, 2026-08-31; docs/facts.md §3): 43.1 GB / 630 s /
# 30 MHz: about 2.2804 MB per second per MHz of bandwidth.
DIGIF_GB_PER_MHZ_SECOND = 43.1 / (10.5 * 60) / 30
# Lambda environment: "4 KB, for all environment variables associated with the function, in
# aggregate" (AWS Lambda Developer Guide, "Lambda quotas", read 2026-12-02), measured on the
# variables as one compact JSON object: Lambda's refusal quotes "String measured:
# {"NAME":"value",...}" with a value's quotes escaped (the error quoted in
# github-aws-runners/terraform-aws-github-runner#3594), as LocalStack's AWS-validated check
# measures `json.dumps(variables, separators=(",", ":"))` (read 2026-12-05).
LAMBDA_ENVIRONMENT_BYTES_MAX = 4096

# AWS Batch: "Maximum job definition size (for RegisterJobDefinition API operations) | 24 KiB",
# among the quotas that can't be changed (AWS Batch User Guide, "AWS Batch service quotas",
# https://docs.aws.amazon.com/batch/latest/userguide/service_limits.html, read 2026-12-06).
# A container job carries the capture setting in its environment, as a function does.
BATCH_JOB_DEFINITION_BYTES_MAX = 24 * 1024


def lambda_environment_bytes(variables: Mapping[str, object]) -> int:
    """The bytes of a function's environment variables as Lambda measures them (one compact JSON
    object, quotes and escapes included), against LAMBDA_ENVIRONMENT_BYTES_MAX."""
    import json

    return len(json.dumps({str(k): str(v) for k, v in variables.items()}, separators=(",", ":")).encode())


# The longest S3 bucket name (S3 bucket naming rules: 3-63 characters): what a bucket-name
# variable of the processor may take, its value not known before deployment.
S3_BUCKET_NAME_MAX = 63
# The bytes that JSON adds to three variables: the braces, each name's and value's quotes and
# its colon, and the two commas.
LAMBDA_ENVIRONMENT_JSON_OVERHEAD = 2 + 3 * 5 + 2
# What of it the processor's capture setting (spec processing.capture as JSON, measured escaped,
# as Lambda measures it) may take: the rest holds the three variables' names and the two bucket
# names, at most 63 characters each (S3 bucket naming rules), and the JSON around them:
# 4,096 - 21 - 63 - 26 - 63 - 25 - 19 (tests/test_spec_processing_env.py derives it from the
# runtime's own names).
CAPTURE_SETTING_BYTES_MAX = 3879
# What a fourth variable takes of it where some downlink delivers DigIF: the runtime is told so
# (`,"GROUNDLINK_SAMPLES_DELIVERED":"true"`, 38 bytes; tests/test_spec_processing_env.py).
SAMPLES_SETTING_BYTES = 38
# Lambda timeout: at most 900 s (botocore 1.44.5 lambda CreateFunction `Timeout` documentation).
LAMBDA_TIMEOUT_SECONDS: tuple[int, int] = (1, 900)
# Flex Consumption instance memory sizes, MB (Microsoft Learn, "Flex Consumption plan hosting").
FLEX_INSTANCE_MEMORY_MB: tuple[int, ...] = (512, 2048, 4096)
# The least memory the contact processor is given on either cloud: Flex Consumption's smallest
# instance. Lambda takes 128, under the processor's own working set: on the bench's 1 GB contact
# its peak anonymous memory was 124 MB, with its libraries mapped (43 MB) and the handler's boto3
# S3 client (38 MB) beside it (measured 2026-12-05, docs/processing.md), so at 128 MB every
# contact was killed and dead-lettered.
PROCESSOR_MIN_MEMORY_MB = FLEX_INSTANCE_MEMORY_MB[0]
# What the processor holds beside its frames (the working set above, with the client): 205 MB.
PROCESSOR_WORKING_SET_MB = 205
# When a frame arrives late across the processor's 64 MiB chunks, the contact's frame index is
# judged again whole at its end: measured 168 bytes a frame at the peak (855 MB over 67 MB for
# an index of 4.68 million frames, 2026-12-05, `_rewrite_missing`); sized at 180.
INDEX_REWRITE_BYTES_PER_FRAME = 180
# Lambda event source mapping ScalingConfig.MaximumConcurrency 2-1000 (botocore 1.44.5);
# Flex Consumption scales out to at most 1,000 instances (Microsoft Learn, same page).
MAX_CONCURRENCY: tuple[int, int] = (2, 1000)
# Flex Consumption "Scale: The lowest maximum scale is currently `1`. The highest currently
# supported value is `1000`." (Microsoft Learn, "Flex Consumption plan hosting", Considerations,
# the revision that documents Azure Files mounts and .NET 10, read 2026-12-06; it was `40` in the
# preview and the first general-availability revisions): the spec's concurrency as it is.
FLEX_MAXIMUM_INSTANCE_COUNT: tuple[int, int] = (1, 1000)
# Container sizes both accept: Azure Container Apps consumption allocations are 0.25-4 vCPU with
# 2 GiB per vCPU; each of those pairs is a Fargate task size (AWS Batch on Fargate, vCPU/memory).
CONTAINER_VCPU: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)
CONTAINER_GB_PER_VCPU = 2.0
# A container job stages a contact on its local disk as a function does. Azure Container Apps give
# a replica ephemeral storage by its vCPUs: 0.25 or lower 1 GiB, 0.5 or lower 2 GiB, 1 or lower
# 4 GiB, over 1 8 GiB (Microsoft Learn, "Use storage mounts in Azure Container Apps",
# https://learn.microsoft.com/azure/container-apps/storage-mounts, read 2026-12-03). AWS Batch on
# Fargate gives a job 20 GiB by default (AWS What's New, 2023-03-22, "AWS Batch now supports
# configurable ephemeral storage for AWS Fargate"; ECS developer guide, "Fargate task ephemeral
# storage"), more than any contact the Azure side can hold.
CONTAINER_APPS_EPHEMERAL_GIB: tuple[tuple[float, int], ...] = ((0.25, 1), (0.5, 2), (1.0, 4), (float("inf"), 8))
FARGATE_DEFAULT_EPHEMERAL_GIB = 20


def container_apps_ephemeral_gib(vcpu: float) -> int:
    """GiB of ephemeral storage a Container Apps replica of `vcpu` vCPUs has."""
    return next(gib for most, gib in CONTAINER_APPS_EPHEMERAL_GIB if vcpu <= most)


# A container job's timeout: AWS Batch's attemptDurationSeconds is at least 60; Container Apps
# jobs' replicaTimeout is in seconds; a day bounds a single contact's processing.
CONTAINER_TIMEOUT_SECONDS: tuple[int, int] = (60, 86400)
# SQS: the queue's visibility timeout should be at least six times the function timeout
# (SQS developer guide, "Configuring an Amazon SQS queue to trigger an AWS Lambda function").
SQS_VISIBILITY_PER_FUNCTION_TIMEOUT = 6
SQS_MAX_VISIBILITY_SECONDS = 43200


def flex_maximum_instance_count(max_concurrency: int) -> int:
    """The Flex Consumption maximum instance count for the spec's concurrency, within Azure's range."""
    low, high = FLEX_MAXIMUM_INSTANCE_COUNT
    return min(max(max_concurrency, low), high)


def flex_instance_memory(memory_mb: int) -> int:
    """The smallest Flex Consumption instance size holding `memory_mb` (the spec bounds it)."""
    return next(size for size in FLEX_INSTANCE_MEMORY_MB if size >= memory_mb)


# Event Hubs Standard: a throughput unit takes up to 1 MB a second (or 1,000 events a second) of
# ingress, beyond which senders are throttled (Microsoft Learn, "Scaling with Event Hubs",
# https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability, read 2026-12-03); a
# Standard namespace has 0-20 throughput units (pulumi-azure-native `eventhub` `SkuArgs.capacity`,
# from the Event Hubs API). Counted in KB of 1,000 bytes, so a rate near a unit's edge gets the next.
EVENT_HUBS_TU_INGRESS_KB_PER_SECOND = 1000
EVENT_HUBS_STANDARD_MAX_UNITS = 20


# What one processing unit of a Premium namespace takes in: "Event Hubs Premium namespace with one
# PU and one event hub (100 partitions) can approximately offer core capacity of ~5-10 MB/s
# ingress" (Microsoft Learn, "Scaling with Event Hubs", Processing units,
# https://learn.microsoft.com/azure/event-hubs/event-hubs-scalability, read 2026-12-05): the lower
# end, as KB/s.
EVENT_HUBS_PREMIUM_PU_INGRESS_KB_PER_SECOND = 5000


def event_hubs_units(kb_per_second: float) -> int:
    """Standard throughput units a namespace needs to take `kb_per_second` without throttling."""
    return max(1, math.ceil(kb_per_second / EVENT_HUBS_TU_INGRESS_KB_PER_SECOND))


# Data Explorer encrypts with a customer-managed RSA key of one size only: "Only RSA keys of size
# 2048 are supported" (Microsoft Learn, "Configure customer-managed keys" for Azure Data Explorer,
# read 2026-12-04). The Azure stack gives a Data Explorer cluster no key of the vault (Data
# Explorer is no trusted service of a vault that admits only those: docs/azure.md), so only
# preflight reads this, for a cluster a program of one's own gives a key.
DATA_EXPLORER_KEY_SIZE = 2048
DATA_EXPLORER_KEY_SOURCE = 'Microsoft Learn, "Configure customer-managed keys" (Azure Data Explorer): "Only RSA keys of size 2048 are supported"'


# Every Kinesis stream groundlink renders is on-demand (components/aws/analytics.contact_stream), so
# a contact's rate needs no shard sizing; a cost estimated without a plan prices that mode too.
KINESIS_STREAM_MODE = "ON_DEMAND"

# S3 transitions no object under 128 KB to another storage class by default (botocore 1.44.5 s3
# model, PutBucketLifecycleConfigurationRequest.TransitionDefaultMinimumObjectSize,
# all_storage_classes_128K: "Objects smaller than 128 KB will not transition to any storage
# class by default"), the default the AWS stack's lifecycle rules state.
S3_TRANSITION_MIN_OBJECT_BYTES = 128 * 1024
