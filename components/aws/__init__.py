"""The AWS rendering of a groundlink blueprint."""

from .mission import MissionStack

__all__ = ["MissionStack"]
