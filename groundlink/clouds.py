"""The clouds groundlink builds for, in the order every listing and report uses.

One home for the tuple, so a command's `--cloud` choices, the engine's check
of a stack's cloud, the price catalogs and the comparison cannot disagree.
"""

from __future__ import annotations

CLOUDS = ("aws", "azure")
BOTH = "both"  # the `--cloud` choice meaning every cloud in CLOUDS
CLOUD_CHOICES = (*CLOUDS, BOTH)
# The stack config keys each cloud's providers read their region from, and the spec field every
# one of them must equal.
PROVIDER_REGION_KEYS = {"aws": ("aws:region", "aws-native:region"), "azure": ("azure-native:location",)}
REGION_FIELDS = {"aws": "clouds.aws.region", "azure": "clouds.azure.location"}
# Each cloud as its provider writes it, in every report, table, chart and message a person reads.
CLOUD_TITLES = {"aws": "AWS", "azure": "Azure"}


def cloud_title(cloud: str) -> str:
    """`aws` -> AWS, `azure` -> Azure; anything else in capitals."""
    return CLOUD_TITLES.get(cloud, cloud.upper())


def chosen_clouds(choice: str) -> list[str]:
    """The clouds a `--cloud` choice names: one, or every cloud for `both`."""
    return list(CLOUDS) if choice == BOTH else [choice]
