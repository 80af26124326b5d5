"""The groundlink Pulumi program, as a function.

`__main__.py` (what the Pulumi CLI runs) and the offline engine both call
`main()`: it reads the stack config (`groundlink:spec`, `groundlink:cloud`),
loads and validates the mission spec, builds the blueprint, renders that
cloud's MissionStack and exports the output keys both clouds share.
"""

from __future__ import annotations

import difflib
import importlib
import os
import stat
from pathlib import Path
from typing import Any, Protocol

import pulumi

from .blueprint import OUTPUT_KEYS, Realization, build_blueprint
from .clouds import CLOUDS, PROVIDER_REGION_KEYS
from .functiondeps import missing
from .inputs import did_you_mean, one_line, show
from .spec import SpecError, load_spec

NAMESPACE = "groundlink"
# The stack config keys the program reads, all in its namespace; any other `groundlink:` key is
# refused (a typo would otherwise be ignored without a word).
CONFIG_KEYS = ("cloud", "spec")
_SET_SPEC = "set it to the mission spec's path: pulumi config set spec PATH"
# What a path names when it is no regular file, as a message says it.
_FILE_KINDS = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "is a FIFO (named pipe), not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


class RenderedMission(Protocol):
    """The root component of a rendered mission, as the program and the engine use it."""

    realization: Realization
    exports: dict[str, Any]


def _configured_keys() -> set[str]:
    """Every stack config key the program can see, as the SDK looks them up: the map a test or
    the Automation API sets (`set_all_config`), then the JSON map the language host hands the
    program in PULUMI_CONFIG (the whole stack config, ESC environment values merged in)."""
    from pulumi.runtime import config as runtime_config

    return set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())


def _check_keys() -> None:
    """Refuse a `groundlink:` key the program does not read: a misspelt one would be ignored."""
    allowed = [f"{NAMESPACE}:{key}" for key in CONFIG_KEYS]
    unknown = sorted(k for k in _configured_keys() if k.startswith(f"{NAMESPACE}:") and k not in allowed)
    if not unknown:
        return
    key = unknown[0]
    others = f" (and {', '.join(unknown[1:])})" if len(unknown) > 1 else ""  # every one in one run
    name = key.removeprefix(f"{NAMESPACE}:")
    guess = difflib.get_close_matches(name, [*CONFIG_KEYS, "region", "location"], n=1)
    if not guess:
        hint = ""
    elif guess[0] in CONFIG_KEYS:
        hint = did_you_mean(name, CONFIG_KEYS, f"{NAMESPACE}:")
    else:  # the region is the providers' setting, not the program's
        region_keys = ", ".join(k for cloud in CLOUDS for k in PROVIDER_REGION_KEYS[cloud])
        hint = f"; the region goes in the providers' keys: {region_keys}"
    raise pulumi.RunError(one_line(f"{key}: unknown config key{hint}{others} (allowed: {', '.join(allowed)})"))


def _spec_file(configured: str) -> Path:
    """The mission spec `groundlink:spec` names, relative to the project directory (where the
    CLI runs the program); a path that is no regular file is refused naming the key."""
    if not configured.strip():
        raise pulumi.RunError(f"groundlink:spec: empty; {_SET_SPEC}")
    path = Path(os.path.abspath(configured))  # no file system access: cannot fail on a bad name
    why = None
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        why = "does not exist"
    except (OSError, ValueError) as exc:  # a name too long, a symlink loop, no permission, a NUL
        why = f"cannot be read ({exc.strerror if isinstance(exc, OSError) and exc.strerror else exc})"
    else:
        why = next((text for kind, text in _FILE_KINDS if kind(mode)), None)
        if why is None and not stat.S_ISREG(mode):
            why = "is not a regular file"
    if why:
        # a relative path is shown resolved too: the project directory is where it starts
        where = "" if os.path.isabs(configured) else f" ({one_line(str(path), 120)}, relative to the project directory)"
        raise pulumi.RunError(f"groundlink:spec: {show(configured)} {why}{where}; {_SET_SPEC}")
    return path


def _spec_errors(configured: str, error: SpecError) -> str:
    """The spec's own error lines, each naming the key and the path as configured where the spec
    reader named the file it read."""
    lines = []
    for line in error.lines:
        rest = line.removeprefix(f"{error.source}: ")
        lines.append(one_line(f"groundlink:spec: {configured}: {rest}"))
    return "\n".join(lines)


def main(*, offline: bool = False) -> RenderedMission:
    """Render the configured mission on the configured cloud; returns the root component
    (its `realization` says which capabilities each resource realizes). Under the Pulumi CLI a
    processing function needs its built dependencies (`make function-deps`); the offline engine
    (`offline`) plans without them, the archive's content then shows as not known."""
    _check_keys()
    config = pulumi.Config(NAMESPACE)
    cloud = config.get("cloud")
    if cloud is None:
        raise pulumi.RunError(
            f"groundlink:cloud: not set in the stack config; allowed: {', '.join(CLOUDS)} "
            f"(pulumi config set groundlink:cloud {CLOUDS[0]})"
        )
    if cloud not in CLOUDS:
        raise pulumi.RunError(f"groundlink:cloud: {show(cloud)} is not allowed; allowed: {', '.join(CLOUDS)}")
    configured = config.get("spec")
    if configured is None:
        raise pulumi.RunError(f"groundlink:spec: not set in the stack config; {_SET_SPEC}")
    spec_path = _spec_file(configured)
    try:
        spec = load_spec(spec_path)
    except SpecError as error:
        raise pulumi.RunError(_spec_errors(configured, error)) from None

    blueprint = build_blueprint(spec).for_cloud(cloud)
    # Lambda's wheels are an asset of the plan; the Flex app's package is built and uploaded outside it
    if not offline and cloud == "aws" and blueprint.processing.enabled and blueprint.processing.mode == "function":
        problem = missing(cloud)
        if problem:
            raise pulumi.RunError(problem)
    # components/ installs as groundlink.components (setup.py); only the chosen cloud's SDK is imported
    renderer = importlib.import_module(f"groundlink.components.{cloud}")
    mission: RenderedMission = renderer.MissionStack(blueprint.mission.name, blueprint)
    for key in OUTPUT_KEYS:
        pulumi.export(key, mission.exports[key])
    return mission
