"""Pulumi ComponentResources that render a groundlink blueprint on one cloud.

`aws/` and `azure/` mirror each other file for file (ground, storage, events,
analytics, security, observability, mission), so parity is visible in the tree.
"""
