"""Stack config problems (`groundlink:*`): one line naming the key, the value as configured and
what is allowed, from the program itself, before any resource is registered.

The program runs under the offline engine's mocks; each case stops at the config check, so no
test plans a whole mission.
"""

from __future__ import annotations

import json
import os

import pytest

from groundlink.engine import PlanError, plan

from .conftest import SPECS

SET_SPEC = "set it to the mission spec's path: pulumi config set spec PATH"


def refusal(extra_config: dict[str, str | None]) -> str:
    with pytest.raises(PlanError) as caught:
        plan(SPECS / "noaa20.yaml", "aws", extra_config=extra_config)
    return str(caught.value)


def test_a_stack_without_a_cloud_is_refused_with_the_allowed_clouds():
    """Not the SDK's "Missing required configuration variable", which lists no cloud."""
    assert refusal({"groundlink:cloud": None}) == (
        "groundlink:cloud: not set in the stack config; allowed: aws, azure (pulumi config set groundlink:cloud aws)"
    )


def test_a_stack_without_a_spec_is_refused_as_an_empty_one_is():
    assert refusal({"groundlink:spec": None}) == f"groundlink:spec: not set in the stack config; {SET_SPEC}"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (
            "groundlink:specs",
            "groundlink:specs: unknown config key; did you mean 'groundlink:spec'? "
            "(allowed: groundlink:cloud, groundlink:spec)",
        ),
        (
            "groundlink:regoin",
            "groundlink:regoin: unknown config key; the region goes in the providers' keys: "
            "aws:region, aws-native:region, azure-native:location (allowed: groundlink:cloud, groundlink:spec)",
        ),
        ("groundlink:owner", "groundlink:owner: unknown config key (allowed: groundlink:cloud, groundlink:spec)"),
    ],
)
def test_an_unknown_groundlink_key_is_refused_not_ignored(key, message):
    assert refusal({key: "us-west-2"}) == message


def test_every_unknown_key_is_named_in_one_run():
    assert refusal({"groundlink:owner": "x", "groundlink:team": "y"}) == (
        "groundlink:owner: unknown config key (and groundlink:team) (allowed: groundlink:cloud, groundlink:spec)"
    )


def test_an_unknown_key_from_the_cli_config_is_refused(monkeypatch):
    """The Pulumi CLI hands the program the whole stack config as JSON in PULUMI_CONFIG; the
    engine's own map (set_all_config) holds only what the test sets."""
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"groundlink:clod": "aws", "aws:skipMetadataApiCheck": "true"}))
    assert refusal({}) == (
        "groundlink:clod: unknown config key; did you mean 'groundlink:cloud'? (allowed: groundlink:cloud, groundlink:spec)"
    )


def test_other_namespaces_and_the_programs_keys_are_not_checked_here():
    import contextvars

    from pulumi.runtime import set_all_config

    from groundlink.program import _check_keys

    def check() -> None:
        set_all_config(
            {"groundlink:spec": "s.yaml", "groundlink:cloud": "aws", "aws:regoin": "x", "groundlinks:x": "y"}
        )
        _check_keys()

    contextvars.copy_context().run(check)  # the engine's config map stays as it was


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_no_spec_file_and_is_not_called_missing():
    assert refusal({"groundlink:spec": "/dev/zero"}) == (
        f"groundlink:spec: '/dev/zero' is a character device, not a regular file; {SET_SPEC}"
    )


def test_a_fifo_is_no_spec_file_and_is_not_called_missing(tmp_path, monkeypatch):
    """Reading a FIFO would block the program until something writes to it."""
    os.mkfifo(tmp_path / "spec.yaml")
    monkeypatch.chdir(tmp_path)  # the project directory, where the CLI runs the program
    assert refusal({"groundlink:spec": "spec.yaml"}) == (
        f"groundlink:spec: 'spec.yaml' is a FIFO (named pipe), not a regular file "
        f"({tmp_path / 'spec.yaml'}, relative to the project directory); {SET_SPEC}"
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (
            "/" + "a" * 300 + ".yaml",
            "'/aaaaaaaaaaaaaaaaaaaaaaaaaa...aaaaaaaaaaaaaaaaaaaaaaa.yaml' cannot be read (File name too long)",
        ),
        ("/x\x00y.yaml", "'/x\\x00y.yaml' cannot be read (embedded null byte)"),
    ],
)
def test_a_spec_path_the_system_refuses_is_one_line_not_a_traceback(value, why):
    assert refusal({"groundlink:spec": value}) == f"groundlink:spec: {why}; {SET_SPEC}"


def test_an_error_inside_the_spec_names_the_key_and_the_path_as_configured(tmp_path, monkeypatch):
    (tmp_path / "list.yaml").write_text("- 1\n")
    monkeypatch.chdir(tmp_path)
    assert refusal({"groundlink:spec": "./list.yaml"}) == (
        "groundlink:spec: ./list.yaml: the spec must be a mapping with mission, satellites and budget, got a list"
    )


def test_each_error_inside_the_spec_is_a_line_naming_the_key(tmp_path, monkeypatch):
    (tmp_path / "empty.yaml").write_text("{}\n")
    monkeypatch.chdir(tmp_path)
    assert refusal({"groundlink:spec": "empty.yaml"}).splitlines() == [
        "groundlink:spec: empty.yaml: mission: is required",
        "groundlink:spec: empty.yaml: satellites: is required",
        "groundlink:spec: empty.yaml: budget: is required",
    ]
