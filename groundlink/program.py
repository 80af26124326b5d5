"""The groundlink Pulumi program, as a function.

`__main__.py` (what the Pulumi CLI runs) and the offline engine both call
`main()`: it reads the stack config (`groundlink:spec`, `groundlink:cloud`),
loads and validates the mission spec, builds the blueprint, renders that
cloud's MissionStack and exports the output keys both clouds share.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol

import pulumi

from .blueprint import OUTPUT_KEYS, Realization, build_blueprint
from .clouds import CLOUDS
from .functiondeps import missing
from .spec import SpecError, load_spec


class RenderedMission(Protocol):
    """The root component of a rendered mission, as the program and the engine use it."""

    realization: Realization
    exports: dict[str, Any]


def _spec_file(configured: str) -> Path:
    """The mission spec `groundlink:spec` names, relative to the project directory (where the
    CLI runs the program); a path that is no file is refused naming the key."""
    path = Path(configured).resolve()
    if not configured.strip():
        raise pulumi.RunError("groundlink:spec: empty; set it to the mission spec's path: pulumi config set spec PATH")
    if not path.is_file():
        why = "is a directory" if path.is_dir() else "does not exist"
        raise pulumi.RunError(
            f"groundlink:spec: {configured!r} {why} ({path}, relative to the project directory); "
            "set it to the mission spec's path: pulumi config set spec PATH"
        )
    return path


def main(*, offline: bool = False) -> RenderedMission:
    """Render the configured mission on the configured cloud; returns the root component
    (its `realization` says which capabilities each resource realizes). Under the Pulumi CLI a
    processing function needs its built dependencies (`make function-deps`); the offline engine
    (`offline`) plans without them, the archive's content then shows as not known."""
    config = pulumi.Config("groundlink")
    cloud = config.require("cloud")
    if cloud not in CLOUDS:
        raise pulumi.RunError(f"groundlink:cloud: {cloud!r} is not allowed; allowed: {', '.join(CLOUDS)}")
    spec_path = _spec_file(config.require("spec"))
    try:
        spec = load_spec(spec_path)
    except SpecError as error:
        raise pulumi.RunError("\n".join(error.lines)) from None

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
