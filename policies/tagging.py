"""Tags and placement: every taggable resource carries the tags cost
allocation and ownership reports key on, and lives where policy allows."""

from __future__ import annotations

import json
from typing import Any

from . import limits as L
from . import tokens as T
from .props import UNKNOWN, UNKNOWN_TEXT, get, missing, tags_of
from .registry import resource_rule

REQUIRED_TAGS = ["mission", "owner", "data-classification"]
# Azure resources that are not placed in a region (action groups, metric alerts, DNS zones):
# nothing to keep resident, so the allowed-locations list does not apply to them.
NOT_A_REGION = {"global"}
# The types that take fewer tags than a spec may hold: groundlink gives them its own tags, then
# the spec's in the order written while they fit (components/base.py `tags_up_to`), so a tag a
# team requires can be in the spec and still be left off there.
TAGS_MAX_OF_TYPE = {
    "aws:s3/bucketObjectv2:BucketObjectv2": L.S3_OBJECT_TAGS_MAX,
    "azure-native:keyvault:Key": L.KEY_VAULT_KEY_TAGS_MAX,
    "azure-native:storage:StorageAccount": L.AZURE_STORAGE_ACCOUNT_TAGS_MAX,
    "azure-native:privatedns:PrivateZone": L.AZURE_PRIVATE_DNS_TAGS_MAX,
    "azure-native:privatedns:VirtualNetworkLink": L.AZURE_PRIVATE_DNS_TAGS_MAX,
}


def _provider_default_tags(args: Any) -> Any:
    """aws provider `default_tags`; provider inputs arrive JSON-encoded for objects. UNKNOWN when a
    preview does not know them yet: pulumi-aws encodes the whole block with `.apply`, so one tag
    from an output makes it all unknown, and every resource relying on them was said to miss them."""
    provider = getattr(args, "provider", None)
    value = get(provider.props, "defaultTags") if provider is not None else None
    if value is UNKNOWN or value == UNKNOWN_TEXT:  # a provider input arrives unwrapped
        return UNKNOWN
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    tags = get(value, "tags")
    return dict(tags) if hasattr(tags, "items") else {}


@resource_rule(
    "tags-required",
    area="tagging",
    severity="medium",
    enforcement="mandatory",
    types=T.TAGGABLE,
    controls=("Cost allocation and ownership tags",),
    description="Taggable resources carry the required tags (aws provider default tags count).",
    remediation="Add the tags to the mission spec (mission.owner, mission.data_classification, mission.tags); "
    "groundlink puts them on every taggable resource. Its own keys are lowercase (mission, owner, "
    "data-classification, managed-by), and mission.tags takes no key that differs from one of them only in case "
    '(Azure\'s tag names ignore it): require them as written (requiredTags: ["owner"], not "Owner"). A resource that takes fewer tags than the '
    "spec holds (an S3 object 10; a Key Vault key, an Azure storage account, private DNS 15) carries groundlink's "
    "own, then mission.tags in the order written while they fit: list a required tag first.",
    config={
        "requiredTags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "uniqueItems": True,
            "default": REQUIRED_TAGS,
            "description": "Tag keys every resource of a type groundlink tags must carry (TAGGABLE in "
            "policies/tokens.py; a team's other types are not judged).",
        }
    },
)
def required_tags(args: Any, report: Any) -> None:
    tags = tags_of(args.props)
    defaults = _provider_default_tags(args)
    if tags is None or defaults is UNKNOWN:  # not known before deployment
        return
    present = {**defaults, **tags}
    if T.provider_of(args.resource_type) == "azure-native":
        # Azure's tag names ignore case ("Tag names are case-insensitive for operations", Microsoft
        # Learn, "Use tags to organize your Azure resources"): `owner` is the `Owner` a config requires
        present = {str(k).lower(): v for k, v in present.items()}
        wanted = {t: t.lower() for t in args.get_config().get("requiredTags", REQUIRED_TAGS)}
    else:
        wanted = {t: t for t in args.get_config().get("requiredTags", REQUIRED_TAGS)}
    # a tag whose value a preview does not know yet is there: it is judged again at `pulumi up`
    absent = [t for t, key in wanted.items() if missing(present.get(key))]
    if not absent:
        return
    most = TAGS_MAX_OF_TYPE.get(args.resource_type, L.TAGS_PER_RESOURCE_MAX)
    full = ""
    if len(present) >= most:  # the spec may well hold the tag: it did not fit here
        full = (
            f" ({args.resource_type} takes at most {most} tags and holds {len(present)}: the mission.tags that did "
            "not fit are left off, the last written first)"
        )
    report(f"missing tags: {', '.join(absent)}{full}")


@resource_rule(
    "allowed-regions",
    area="tagging",
    severity="high",
    enforcement="mandatory",
    types=(),
    controls=("Data residency",),
    description="Resources deploy only to the allowed AWS regions and Azure locations (empty list: any), a "
    "geo-redundant storage account's second copy, in its location's pair, included.",
    remediation="Change clouds.aws.region / clouds.azure.location in the spec (clouds.aws.replica_region for the "
    "replica's resources of storage.redundancy: geo), or extend the allowed lists in the pack config.",
    config={
        "allowedAwsRegions": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "description": "AWS regions allowed for aws and aws-native resources; [] allows any.",
        },
        "allowedAzureLocations": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": [],
            "description": "Azure locations allowed for azure-native resources; [] allows any.",
        },
    },
)
def allowed_regions(args: Any, report: Any) -> None:
    config = args.get_config()
    package = T.provider_of(args.resource_type)
    provider = getattr(args, "provider", None)
    if package in ("aws", "aws-native"):
        allowed = config.get("allowedAwsRegions", [])
        # pulumi-aws 7 takes a `region` per resource, over its provider's
        own = get(args.props, "region") if package == "aws" else None
        where = own if isinstance(own, str) and own else (get(provider.props, "region") if provider else None)
    elif package == "azure-native":
        allowed = config.get("allowedAzureLocations", [])
        where = get(args.props, "location") or (get(provider.props, "location") if provider else None)
    else:
        return
    if isinstance(where, str) and where.lower() in NOT_A_REGION:
        return
    if (
        allowed
        and isinstance(where, str)
        and where is not UNKNOWN
        and where.replace(" ", "").lower() not in {a.replace(" ", "").lower() for a in allowed}
    ):
        report(f"{where} is not an allowed location ({', '.join(allowed)})")
    elif allowed and package == "azure-native" and isinstance(where, str) and where is not UNKNOWN:
        # a geo-redundant account keeps a second copy in the location's pair (ARM's secondaryLocation)
        secondary = _geo_copy_location(args, where)
        if secondary == "":
            report(
                f"{where}'s geo-redundant copy is kept in its paired location, which the pack's table of pairs "
                f"does not hold: not known to be an allowed location ({', '.join(allowed)})"
            )
        elif secondary and secondary not in {a.replace(" ", "").lower() for a in allowed}:
            report(
                f"{where}'s geo-redundant copy is kept in its paired location {secondary}, not an allowed location "
                f"({', '.join(allowed)})"
            )


def _geo_copy_location(args: Any, where: str) -> str | None:
    """Where a storage account's geo-redundant copy is kept (Microsoft Learn, "Azure Storage
    redundancy": GRS, RA-GRS, GZRS, RA-GZRS, in their Standard and StandardV2 SKUs); "" where its
    location's pair is not in the table; None for an account that keeps no such copy."""
    if not T.is_type(args.resource_type, T.STORAGE_ACCOUNT):
        return None
    sku = get(args.props, "sku", "name")
    if not isinstance(sku, str) or sku.rpartition("_")[2].upper() not in L.AZURE_GEO_SKUS:
        return None
    return L.AZURE_PAIRED_LOCATION.get(where.replace(" ", "").lower(), "")
