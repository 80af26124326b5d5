"""Published limits the pack enforces, copied from groundlink/limits.py.

The pack runs in its own virtualenv without groundlink, so the values are
duplicated here; tests/test_policies_pack.py fails if the copies drift.
Sources: AWS Ground Station API reference (2025-09-16) and CloudFormation
AWS::GroundStation::* schema (docs/facts.md §2); Microsoft Learn (docs/facts.md §1).
"""

from __future__ import annotations

DOWNLINK_BANDS_MHZ: tuple[tuple[float, float], ...] = ((2200.0, 2300.0), (7750.0, 8400.0))
UPLINK_BAND_MHZ: tuple[float, float] = (2025.0, 2120.0)
DEMOD_DECODE_BANDWIDTH_MHZ: tuple[float, float] = (0.125, 650.0)
DIGIF_BANDWIDTH_MHZ: tuple[float, float] = (0.01, 54.0)
MIN_CONTACT_SECONDS: tuple[int, int] = (1, 21600)
PASS_PADDING_SECONDS: tuple[int, int] = (0, 21600)
ENDPOINT_PASS_PADDING_SECONDS: tuple[int, int] = (120, 480)
DATAFLOW_EDGES_MAX = 500
CONFIG_NAME_PATTERN = r"^[ a-zA-Z0-9_:-]{1,256}$"
DEMOD_DECODE_JSON_MAX_CHARS = 8192
DELIVERY_BUCKET_PREFIX = "aws-groundstation"
S3_KEY_PREFIX_MAX_CHARS = 900
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
AZURE_ORBITAL_RETIRED_ON = "2024-12-18"
# A Lambda consumer's queue hides a message at least six times the function timeout (SQS
# developer guide, "Configuring an Amazon SQS queue to trigger an AWS Lambda function").
SQS_VISIBILITY_PER_FUNCTION_TIMEOUT = 6
# Where a geo-redundant storage account keeps its second copy: the location's secondary in
# Microsoft's region pairs (Microsoft Learn, "Azure region pairs and nonpaired regions", read
# 2026-12-05; docs/facts.md §9), one-way for Brazil South (South Central US) and South Central US
# (North Central US).
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
# The SKUs that keep a copy in the paired region: Standard_GRS, StandardV2_GZRS and the rest.
AZURE_GEO_SKUS = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})
# What a resource takes at most (groundlink/limits.py gives the sources): the 50 of most types,
# 10 on an S3 object, 15 on a Key Vault key, an Azure storage account and private DNS.
TAGS_PER_RESOURCE_MAX = 50
S3_OBJECT_TAGS_MAX = 10
KEY_VAULT_KEY_TAGS_MAX = 15
AZURE_STORAGE_ACCOUNT_TAGS_MAX = 15
AZURE_PRIVATE_DNS_TAGS_MAX = 15
