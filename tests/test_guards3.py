"""Boundaries a third probe of one-line breaks found unguarded (2026-12-03), each asserted as a
hand-written literal."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundlink.engine.plan import PlannedResource
from groundlink.inputs import read_input
from groundlink.preflight.integration import needed_prefix
from groundlink.runtime.delivery import ContactLocation, capture_keys

CONTACT = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def _flex_app(instances: int) -> PlannedResource:
    config = {"scaleAndConcurrency": {"maximumInstanceCount": instances}}
    return PlannedResource(
        "urn:app", "azure-native:web:WebApp", "app", None, True, {"functionAppConfig": config}, {}, False, False, [], []
    )


@pytest.mark.parametrize(("instances", "prefix"), [(1000, 27), (1001, 26)])
def test_a_flex_app_past_1000_instances_needs_a_26_and_at_1000_a_27_is_enough(instances, prefix):
    """Microsoft Learn: /27 for one app, /26 beyond 1,000 instances (docs/processing.md)."""
    assert needed_prefix(_flex_app(instances)) == prefix


def test_a_file_with_old_mac_line_ends_reads_as_lines(tmp_path: Path):
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"a: 1\rb: 2\r\nc: 3\n")
    assert read_input(path) == "a: 1\nb: 2\nc: 3\n"


class _Keys:
    def __init__(self, keys: list[str]):
        self._keys = keys

    def keys(self, prefix: str) -> list[str]:
        return [k for k in self._keys if k.startswith(prefix)]


def test_captures_named_with_an_upper_case_suffix_are_the_contacts():
    keys = [
        f"contacts/satellite=noaa20/noaa20_{CONTACT}_0002.PCAP",
        f"contacts/satellite=noaa20/noaa20_{CONTACT}_0001.pcapng",
        f"contacts/satellite=noaa20/noaa20_{CONTACT}_0003.json",
    ]
    assert capture_keys(_Keys(keys), ContactLocation(("contacts/",), CONTACT)) == sorted(keys[:2])
