"""Pulumi ComponentResources that render a groundlink blueprint on one cloud.

`aws/` and `azure/` mirror each other file for file (ground, storage, events,
analytics, processing, security, observability, iam, naming, mission), so parity
is visible in the tree.
"""
