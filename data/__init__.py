"""Site data (ground station sites); installed as groundlink.data (package data)."""
